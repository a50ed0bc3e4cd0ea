// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics endpoint: libmicrohttpd without threads of its own, run from
 * sluiced's main loop (its epoll fd is one of the loop's fds), so a scrape
 * reads the daemon's state without locks. GET /metrics only.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "http.h"

static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_len, void **state)
{
	struct sd_daemon *d = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	unsigned int code = MHD_HTTP_OK;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	(void)version;
	(void)upload;
	(void)upload_len;
	(void)state;
	out = open_memstream(&buf, &len);
	if (!out)
		return MHD_NO;
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		code = MHD_HTTP_METHOD_NOT_ALLOWED;
		fprintf(out, "GET only\n");
	} else if (!strcmp(url, "/metrics")) {
		sd_metrics(d, out);
	} else {
		code = MHD_HTTP_NOT_FOUND;
		fprintf(out, "sluiced: metrics are at /metrics\n");
	}
	if (fclose(out)) {
		free(buf);
		return MHD_NO;
	}
	r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(
		r, "Content-Type",
		code == MHD_HTTP_OK ?
			"text/plain; version=0.0.4; charset=utf-8" :
			"text/plain");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

struct MHD_Daemon *sd_http_start(struct sd_daemon *d, const char *listen,
				 int *fd, char *err, size_t errlen)
{
	struct sockaddr_storage ss = { 0 };
	char host[64];
	const char *colon = strrchr(listen, ':');
	struct MHD_Daemon *m;
	const union MHD_DaemonInfo *info;
	int port;
	size_t n;

	n = colon ? (size_t)(colon - listen) : 0;
	if (!colon || n >= sizeof(host)) {
		snprintf(err, errlen, "metrics: `%s' is not ADDRESS:PORT",
			 listen);
		return NULL;
	}
	memcpy(host, listen, n);
	host[n] = '\0';
	if (host[0] == '[' && n > 1 && host[n - 1] == ']') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
	port = atoi(colon + 1);
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)&ss)->sin_addr) ==
	    1) {
		ss.ss_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	} else if (inet_pton(AF_INET6, host,
			     &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	} else {
		snprintf(err, errlen, "metrics: `%s' is not an IP address",
			 host);
		return NULL;
	}
	m = MHD_start_daemon(
		MHD_USE_EPOLL | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
		port, NULL, NULL, answer, d, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&ss, MHD_OPTION_CONNECTION_TIMEOUT, 10U,
		MHD_OPTION_CONNECTION_LIMIT, 64U, MHD_OPTION_END);
	if (!m) {
		snprintf(err, errlen, "metrics: cannot listen on %s", listen);
		return NULL;
	}
	info = MHD_get_daemon_info(m, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info) {
		MHD_stop_daemon(m);
		snprintf(err, errlen, "metrics: no epoll fd");
		return NULL;
	}
	*fd = info->epoll_fd;
	return m;
}
