// SPDX-License-Identifier: GPL-2.0
/*
 * Clocks and logging. Log lines go to stderr: "sluiced: TIME LEVEL: message"
 * (UTC, milliseconds). When stderr is the journal (JOURNAL_STREAM names
 * stderr's device and inode, as systemd sets it for a service), entries go
 * to the journal directly instead (sd_journal_sendv): the message, its
 * syslog PRIORITY (`journalctl -p warning -u sluiced`) and, for events,
 * fields of their own (SLUICE_EVENT, SLUICE_VIP, SLUICE_SERVICE,
 * SLUICE_REAL, SLUICE_REASON) that `journalctl SLUICE_REAL=10.2.0.12:80`
 * selects by. Should the journal refuse an entry, the line goes to stderr,
 * prefixed with its priority ("<4>"), which journald reads the same way.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"

#define MAX_FIELDS 8

double sd_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

double sd_wall(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Is stderr the journal's stream (systemd's JOURNAL_STREAM, "dev:ino")? */
static int to_journal(void)
{
	static int known = -1;
	unsigned long long dev, ino;
	const char *js;
	struct stat st;

	if (known >= 0)
		return known;
	known = 0;
	js = getenv("JOURNAL_STREAM");
	if (js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
	    !fstat(STDERR_FILENO, &st) && st.st_dev == dev && st.st_ino == ino)
		known = 1;
	return known;
}

static int journal(int prio, const char *msg, const struct sd_field *f)
{
	char fields[MAX_FIELDS + 3][1100];
	struct iovec iov[MAX_FIELDS + 3];
	int n = 0;

	snprintf(fields[n++], sizeof(fields[0]), "MESSAGE=%s", msg);
	snprintf(fields[n++], sizeof(fields[0]), "PRIORITY=%d", prio);
	snprintf(fields[n++], sizeof(fields[0]), "SYSLOG_IDENTIFIER=sluiced");
	for (; f && f->name && n < MAX_FIELDS + 3; f++)
		if (f->value && f->value[0])
			snprintf(fields[n++], sizeof(fields[0]), "%s=%s",
				 f->name, f->value);
	for (int i = 0; i < n; i++) {
		iov[i].iov_base = fields[i];
		iov[i].iov_len = strlen(fields[i]);
	}
	return sd_journal_sendv(iov, n);
}

static void vlog(const char *level, const struct sd_field *f, const char *fmt,
		 va_list ap)
{
	static const struct {
		const char *name;
		int prio;
	} levels[] = { { "error", LOG_ERR },
		       { "warning", LOG_WARNING },
		       { "notice", LOG_NOTICE },
		       { "info", LOG_INFO },
		       { "debug", LOG_DEBUG } };
	char msg[1024];
	int prio = LOG_INFO;
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strcmp(levels[i].name, level))
			prio = levels[i].prio;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (to_journal()) {
		if (journal(prio, msg, f) < 0)
			fprintf(stderr, "<%d>%s\n", prio, msg);
	} else {
		struct timespec t;
		struct tm tm;
		char when[32];

		clock_gettime(CLOCK_REALTIME, &t);
		gmtime_r(&t.tv_sec, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(stderr, "sluiced: %s.%03ldZ %s: %s\n", when,
			t.tv_nsec / 1000000, level, msg);
	}
}

void sd_log(const char *level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, NULL, fmt, ap);
	va_end(ap);
}

void sd_log_event(const char *level, const struct sd_field *f, const char *fmt,
		  ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, f, fmt, ap);
	va_end(ap);
}
