// SPDX-License-Identifier: GPL-2.0
/*
 * TCP probes: a nonblocking connect() on a socket of the engine's own
 * (polled for POLLOUT, judged by SO_ERROR), then close, as keepalived's
 * TCP_CHECK does. libcurl did it before (CONNECT_ONLY), at the cost of a
 * handle set up, added to and removed from the multi handle per run, and
 * of its walks over every running transfer in each turn of the loop.
 */
#include <errno.h>
#include <sys/socket.h>
#include "check_int.h"

int hc_tcp_start(struct hc_probe *p)
{
	if (hc_socket_open(p, SOCK_STREAM) < 0)
		return -1;
	p->events = CURL_WAIT_POLLOUT;
	return 0;
}

void hc_tcp_events(struct hc_probe *p, short revents)
{
	socklen_t len = sizeof(int);
	int err = 0;

	(void)revents;
	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	if (err)
		hc_run_fail_errno(p, "connect", err);
	else
		hc_run_done(p, true, NULL);
}
