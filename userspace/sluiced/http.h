/* SPDX-License-Identifier: GPL-2.0 */
/* The metrics endpoint (libmicrohttpd, driven by the main loop). */
#ifndef SLUICED_HTTP_H
#define SLUICED_HTTP_H

#include <microhttpd.h>

#include "daemon.h"

/*
 * Listen on @listen ("ADDR:PORT", "[V6]:PORT"); *@fd: the fd to poll, after
 * which MHD_run() serves. NULL with a message in @err on failure.
 */
struct MHD_Daemon *sd_http_start(struct sd_daemon *d, const char *listen,
				 int *fd, char *err, size_t errlen);

#endif
