// SPDX-License-Identifier: GPL-2.0
/*
 * Clocks and logging. Log lines go to stderr; under systemd (JOURNAL_STREAM
 * set) each starts with its syslog priority ("<4>"), which journald turns
 * into the entry's PRIORITY field, so `journalctl -p warning -u sluiced`
 * filters them.
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
	if (getenv("JOURNAL_STREAM"))
		fprintf(stderr, "<%d>%s\n", prio, msg);
	else
		fprintf(stderr, "sluiced: %s: %s\n", level, msg);
}
