// SPDX-License-Identifier: GPL-2.0
/*
 * Clocks and logging. Log lines go to stderr: "sluiced: TIME LEVEL: message"
 * (UTC, milliseconds); under systemd (JOURNAL_STREAM set) each starts with
 * its syslog priority instead ("<4>"), which journald turns into the
 * entry's PRIORITY field (it keeps the time itself), so `journalctl -p
 * warning -u sluiced` filters them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "daemon.h"

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

void sd_log(const char *level, const char *fmt, ...)
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
	va_list ap;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strcmp(levels[i].name, level))
			prio = levels[i].prio;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (getenv("JOURNAL_STREAM")) {
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
