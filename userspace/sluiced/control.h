/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The status socket: a Unix stream socket; a client writes one line
 * ("status" or "status json") and reads the report until the daemon closes.
 */
#ifndef SLUICED_CONTROL_H
#define SLUICED_CONTROL_H

#include "daemon.h"

/* Listen on @path (a stale socket file is replaced). fd, or -1 with @err. */
int sd_control_listen(const char *path, char *err, size_t errlen);
/* Answer one client of listening socket @fd. */
void sd_control_serve(struct sd_daemon *d, int fd);
/*
 * `sluiced status`: ask the daemon at @sock (NULL: the control path of the
 * configuration @cfg_path, or the default) and print its answer. Exit status.
 */
int sd_control_status(const char *sock, const char *cfg_path, int json);

#endif
