// SPDX-License-Identifier: GPL-2.0
/*
 * UDP and DNS probes, on nonblocking sockets the engine polls next to
 * libcurl's (hc_socket_open(): the TCP probes' too). UDP sends @send and passes on a reply (that starts with
 * @expect when set); DNS sends a query made by res_mkquery() over UDP or
 * TCP and passes on a reply with RCODE NOERROR (parsed by ns_initparse()).
 * UDP sockets are connected: an ICMP port unreachable fails the run at once
 * ("recv: Connection refused") instead of at its timeout.
 */
#include <arpa/nameser.h>
#include <errno.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "check_int.h"

enum { DNS_CONNECT, DNS_SEND, DNS_RECV };

/* A DNS message over TCP: 2 bytes of length, then up to 64 KiB. */
#define DNS_BUF (2 + 65535)

int hc_socket_open(struct hc_probe *p, int type)
{
	const struct hc_target *t = &p->target;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, mark = t->mark;

	fd = socket(t->af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		hc_run_fail_errno(p, "socket", errno);
		return -1;
	}
	p->fd = fd;
	if (mark && setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark))) {
		hc_run_fail_errno(p, "SO_MARK", errno);
		return -1;
	}
	if (t->src_af) {
		len = hc_sockaddr(t->src_af, t->src, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, len)) {
			hc_run_fail_errno(p, "bind", errno);
			return -1;
		}
	}
	len = hc_sockaddr(t->af, t->addr, t->port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) {
		hc_run_fail_errno(p, "connect", errno);
		return -1;
	}
	return fd;
}

int hc_udp_start(struct hc_probe *p)
{
	const struct hc_spec *s = p->spec;

	/* The reply is compared with @expect: one byte more shows it is longer. */
	p->buf_size = s->expect_len + 1;
	p->buf = malloc(p->buf_size);
	if (!p->buf) {
		hc_run_fail_errno(p, "start", ENOMEM);
		return -1;
	}
	if (hc_socket_open(p, SOCK_DGRAM) < 0)
		return -1;
	if (send(p->fd, s->send ? s->send : (const uint8_t *)"", s->send_len,
		 0) < 0) {
		hc_run_fail_errno(p, "send", errno);
		return -1;
	}
	p->events = CURL_WAIT_POLLIN;
	return 0;
}

void hc_udp_events(struct hc_probe *p, short revents)
{
	const struct hc_spec *s = p->spec;
	ssize_t n;

	(void)revents;
	n = recv(p->fd, p->buf, p->buf_size, MSG_TRUNC);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			hc_run_fail_errno(p, "recv", errno);
		return;
	}
	if (s->expect && ((size_t)n < s->expect_len ||
			  memcmp(p->buf, s->expect, s->expect_len))) {
		hc_run_done(p, false,
			    "reply does not start with the expected %zu bytes",
			    s->expect_len);
		return;
	}
	hc_run_done(p, true, NULL);
}

void hc_udp_stop(struct hc_probe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	free(p->buf);
	p->buf = NULL;
}

/* DNS */

static const char *rcode_name(int rcode)
{
	static const char *const names[] = {
		[ns_r_noerror] = "NOERROR",   [ns_r_formerr] = "FORMERR",
		[ns_r_servfail] = "SERVFAIL", [ns_r_nxdomain] = "NXDOMAIN",
		[ns_r_notimpl] = "NOTIMP",    [ns_r_refused] = "REFUSED",
		[ns_r_yxdomain] = "YXDOMAIN", [ns_r_yxrrset] = "YXRRSET",
		[ns_r_nxrrset] = "NXRRSET",   [ns_r_notauth] = "NOTAUTH",
		[ns_r_notzone] = "NOTZONE",
	};

	if (rcode >= 0 && (size_t)rcode < sizeof(names) / sizeof(names[0]) &&
	    names[rcode])
		return names[rcode];
	return NULL;
}

/* Judge a reply; 0 if it is not the answer to our query (UDP: wait on). */
static int dns_reply(struct hc_probe *p, const uint8_t *msg, size_t len)
{
	const char *name;
	ns_msg h;
	int rcode;

	if (ns_initparse(msg, len, &h) < 0) {
		if (len >= 2 && ns_get16(msg) != p->dns_id)
			return 0;
		hc_run_done(p, false, "malformed DNS reply");
		return 1;
	}
	if (ns_msg_id(h) != p->dns_id || !ns_msg_getflag(h, ns_f_qr))
		return 0;
	rcode = ns_msg_getflag(h, ns_f_rcode);
	if (rcode == ns_r_noerror) {
		hc_run_done(p, true, NULL);
		return 1;
	}
	name = rcode_name(rcode);
	if (name)
		hc_run_done(p, false, "DNS rcode %s", name);
	else
		hc_run_done(p, false, "DNS rcode %d", rcode);
	return 1;
}

int hc_dns_start(struct hc_probe *p)
{
	const struct hc_spec *s = p->spec;
	int n;

	p->buf_size = DNS_BUF;
	p->buf = malloc(p->buf_size);
	if (!p->buf) {
		hc_run_fail_errno(p, "start", ENOMEM);
		return -1;
	}
	n = res_mkquery(ns_o_query, s->dns_name ? s->dns_name : ".", ns_c_in,
			s->dns_qtype ? s->dns_qtype : ns_t_a, NULL, 0, NULL,
			p->buf + 2, p->buf_size - 2);
	if (n < 0) {
		hc_run_done(p, false, "cannot make a query for \"%.64s\"",
			    s->dns_name ? s->dns_name : ".");
		return -1;
	}
	p->dns_id = ns_get16(p->buf + 2);
	if (!s->dns_tcp) {
		if (hc_socket_open(p, SOCK_DGRAM) < 0)
			return -1;
		if (send(p->fd, p->buf + 2, n, 0) < 0) {
			hc_run_fail_errno(p, "send", errno);
			return -1;
		}
		p->phase = DNS_RECV;
		p->events = CURL_WAIT_POLLIN;
		return 0;
	}
	ns_put16(n, p->buf);
	p->len = n + 2;
	p->off = 0;
	if (hc_socket_open(p, SOCK_STREAM) < 0)
		return -1;
	p->phase = DNS_CONNECT;
	p->events = CURL_WAIT_POLLOUT;
	return 0;
}

static void dns_udp_events(struct hc_probe *p)
{
	ssize_t n;

	for (;;) {
		n = recv(p->fd, p->buf, p->buf_size, 0);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				hc_run_fail_errno(p, "recv", errno);
			return;
		}
		if (dns_reply(p, p->buf, n))
			return;
	}
}

static void dns_tcp_events(struct hc_probe *p)
{
	socklen_t elen = sizeof(int);
	size_t want;
	ssize_t n;
	int err;

	switch (p->phase) {
	case DNS_CONNECT:
		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &elen))
			err = errno;
		if (err) {
			hc_run_fail_errno(p, "connect", err);
			return;
		}
		p->phase = DNS_SEND;
		/* fall through */
	case DNS_SEND:
		n = send(p->fd, p->buf + p->off, p->len - p->off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				hc_run_fail_errno(p, "send", errno);
			return;
		}
		p->off += n;
		if (p->off < p->len)
			return;
		p->phase = DNS_RECV;
		p->events = CURL_WAIT_POLLIN;
		p->off = 0;
		return;
	case DNS_RECV:
		want = p->off < 2 ? 2 : 2 + ns_get16(p->buf);
		n = recv(p->fd, p->buf + p->off, want - p->off, 0);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				hc_run_fail_errno(p, "recv", errno);
			return;
		}
		if (n == 0) {
			hc_run_done(p, false,
				    "connection closed before the reply");
			return;
		}
		p->off += n;
		if (p->off < 2)
			return;
		want = 2 + ns_get16(p->buf);
		if (p->off < want)
			return;
		if (!dns_reply(p, p->buf + 2, want - 2))
			hc_run_done(p, false, "DNS reply to another query");
		return;
	}
}

void hc_dns_events(struct hc_probe *p, short revents)
{
	(void)revents;
	if (p->spec->dns_tcp)
		dns_tcp_events(p);
	else
		dns_udp_events(p);
}
