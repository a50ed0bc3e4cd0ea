// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP and HTTPS probes, run by libcurl's multi interface: a GET whose
 * status and (when asked) body are checked. A probe with a host name asks for the URL with
 * that name (Host header, TLS SNI and certificate name) and connects to the
 * target through CURLOPT_CONNECT_TO: that is per transfer, where
 * CURLOPT_RESOLVE would fill the multi handle's DNS cache, shared by the
 * probes of every real with that name. Connections are never reused: each
 * run connects, as a client would.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "check_int.h"

#ifndef SLUICE_VERSION
#define SLUICE_VERSION "0"
#endif

/* The part of a body searched for @expect_body. */
#define BODY_MAX 65536

/* A run's state: allocated at its start, freed at its end. */
struct hc_curl_run {
	struct curl_slist *connect_to;
	char errbuf[CURL_ERROR_SIZE];
	size_t body_len;
	bool body_found, body_stop; /* stopped reading: found, or too long */
	int sockopt_err; /* errno of a failed setsockopt(SO_MARK) */
	char body[]; /* the start of the body, when @spec.expect_body */
};

static size_t write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct hc_probe *p = arg;
	struct hc_curl_run *r = p->curl;
	const char *want = p->spec->expect_body;
	size_t len = size * n, wlen, take, from;

	if (!want)
		return len;
	wlen = strlen(want);
	take = BODY_MAX - r->body_len;
	if (take > len)
		take = len;
	memcpy(r->body + r->body_len, data, take);
	/* Search only where a new match can be. */
	from = r->body_len > wlen ? r->body_len - wlen : 0;
	r->body_len += take;
	if (memmem(r->body + from, r->body_len - from, want, wlen))
		r->body_found = true;
	if (r->body_found || r->body_len == BODY_MAX) {
		/* Enough read: stop (the run is judged as it is). */
		r->body_stop = true;
		return 0;
	}
	return len;
}

static int sockopt_cb(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	struct hc_probe *p = arg;
	int mark = p->target.mark;

	if (purpose != CURLSOCKTYPE_IPCXN || !mark)
		return CURL_SOCKOPT_OK;
	if (setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark))) {
		p->curl->sockopt_err = errno;
		return CURL_SOCKOPT_ERROR;
	}
	return CURL_SOCKOPT_OK;
}

/* "1.2.3.4" or "[2001:db8::1]" */
static void url_addr(int af, const uint8_t *addr, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	hc_addr_str(af, addr, a, sizeof(a));
	snprintf(buf, size, af == AF_INET6 ? "[%s]" : "%s", a);
}

static CURLcode setup(struct hc_probe *p, CURL *c)
{
	const struct hc_spec *s = p->spec;
	const struct hc_target *t = &p->target;
	const char *path = s->path && s->path[0] ? s->path : "/";
	bool named = s->host && s->host[0];
	char addr[INET6_ADDRSTRLEN + 2], src[INET6_ADDRSTRLEN];
	char iface[INET6_ADDRSTRLEN + 8], *url;
	CURLcode rc = CURLE_OK;
	int n;

#define SET(opt, val)                                         \
	do {                                                  \
		if (rc == CURLE_OK)                           \
			rc = curl_easy_setopt(c, opt, (val)); \
	} while (0)

	url_addr(t->af, t->addr, addr, sizeof(addr));
	n = asprintf(&url, "%s://%s:%u%s%s",
		     s->type == HC_HTTPS ? "https" : "http",
		     named ? s->host : addr, t->port, path[0] == '/' ? "" : "/",
		     path);
	if (n < 0)
		return CURLE_OUT_OF_MEMORY;
	SET(CURLOPT_URL, url);
	free(url);
	if (named) {
		n = asprintf(&url, "%s:%u:%s:%u", s->host, t->port, addr,
			     t->port);
		if (n < 0)
			return CURLE_OUT_OF_MEMORY;
		p->curl->connect_to = curl_slist_append(NULL, url);
		free(url);
		if (!p->curl->connect_to)
			return CURLE_OUT_OF_MEMORY;
		SET(CURLOPT_CONNECT_TO, p->curl->connect_to);
	}
	SET(CURLOPT_PRIVATE, p);
	SET(CURLOPT_ERRORBUFFER, p->curl->errbuf);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_PROXY, ""); /* never the environment's proxy */
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FORBID_REUSE, 1L);
	SET(CURLOPT_FRESH_CONNECT, 1L);
	/*
	 * No DNS cache: targets are addresses, and libcurl walks its whole
	 * cache (an entry per address and port, kept 60 s) at the end of every
	 * transfer: with 10,000 probes that walk was most of sluiced's CPU.
	 */
	SET(CURLOPT_DNS_CACHE_TIMEOUT, 0L);
	/*
	 * The engine ends the run at its deadline; libcurl's own timeout (it
	 * counts from a little later, in whole ms) is only a backstop.
	 */
	SET(CURLOPT_TIMEOUT_MS, (long)s->timeout_ms + 100);
	SET(CURLOPT_CONNECTTIMEOUT_MS, (long)s->timeout_ms + 100);
	SET(CURLOPT_SOCKOPTFUNCTION, sockopt_cb);
	SET(CURLOPT_SOCKOPTDATA, p);
	if (t->src_af) {
		hc_addr_str(t->src_af, t->src, src, sizeof(src));
		snprintf(iface, sizeof(iface), "host!%s", src);
		SET(CURLOPT_INTERFACE, iface);
	}
	SET(CURLOPT_USERAGENT, "sluiced/" SLUICE_VERSION);
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	SET(CURLOPT_WRITEFUNCTION, write_cb);
	SET(CURLOPT_WRITEDATA, p);
	if (s->type == HC_HTTPS) {
		SET(CURLOPT_SSL_VERIFYPEER, s->tls_verify ? 1L : 0L);
		SET(CURLOPT_SSL_VERIFYHOST, s->tls_verify ? 2L : 0L);
	}
#undef SET
	return rc;
}

int hc_curl_start(struct hc_probe *p)
{
	CURLcode rc;
	CURLMcode mc;

	p->curl = calloc(1, sizeof(*p->curl) +
				    (p->spec->expect_body ? BODY_MAX : 0));
	if (!p->curl)
		goto nomem;
	p->easy = curl_easy_init();
	if (!p->easy)
		goto nomem;
	rc = setup(p, p->easy);
	if (rc != CURLE_OK) {
		hc_run_done(p, false, "libcurl: %s", curl_easy_strerror(rc));
		return -1;
	}
	mc = curl_multi_add_handle(p->e->multi, p->easy);
	if (mc != CURLM_OK) {
		hc_run_done(p, false, "libcurl: %s", curl_multi_strerror(mc));
		return -1;
	}
	return 0;
nomem:
	hc_run_fail_errno(p, "start", ENOMEM);
	return -1;
}

static void fail(struct hc_probe *p, CURLcode rc)
{
	const char *msg = p->curl->errbuf[0] ? p->curl->errbuf :
					       curl_easy_strerror(rc);
	long err = 0;

	if (p->curl->sockopt_err) {
		hc_run_fail_errno(p, "SO_MARK", p->curl->sockopt_err);
		return;
	}
	curl_easy_getinfo(p->easy, CURLINFO_OS_ERRNO, &err);
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		hc_run_done(p, false, "timeout after %u ms",
			    p->spec->timeout_ms);
		return;
	case CURLE_COULDNT_CONNECT:
		if (err) {
			hc_run_fail_errno(p, "connect", err);
			return;
		}
		break;
	case CURLE_INTERFACE_FAILED:
		if (err) {
			hc_run_fail_errno(p, "bind", err);
			return;
		}
		break;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		if (err) {
			hc_run_fail_errno(
				p, rc == CURLE_SEND_ERROR ? "send" : "recv",
				err);
			return;
		}
		break;
	case CURLE_GOT_NOTHING:
		hc_run_done(p, false, "empty reply");
		return;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
		hc_run_done(p, false, "TLS: %s", msg);
		return;
	default:
		break;
	}
	hc_run_done(p, false, "%s", msg);
}

void hc_curl_done(struct hc_probe *p, CURLcode rc)
{
	const struct hc_spec *s = p->spec;
	long status = 0;

	if (rc == CURLE_WRITE_ERROR && p->curl->body_stop)
		rc = CURLE_OK; /* we stopped reading */
	if (rc != CURLE_OK) {
		fail(p, rc);
		return;
	}
	curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &status);
	if (s->expect_status && status != s->expect_status) {
		hc_run_done(p, false, "HTTP %ld, expected %u", status,
			    s->expect_status);
		return;
	}
	if (!s->expect_status && (status < 200 || status > 399)) {
		hc_run_done(p, false, "HTTP %ld", status);
		return;
	}
	if (s->expect_body && !p->curl->body_found &&
	    !memmem(p->curl->body, p->curl->body_len, s->expect_body,
		    strlen(s->expect_body))) {
		hc_run_done(p, false, "body does not contain \"%.64s\"",
			    s->expect_body);
		return;
	}
	hc_run_done(p, true, NULL);
}

void hc_curl_stop(struct hc_probe *p)
{
	if (p->easy) {
		curl_multi_remove_handle(p->e->multi, p->easy);
		curl_easy_cleanup(p->easy);
		p->easy = NULL;
	}
	if (p->curl)
		curl_slist_free_all(p->curl->connect_to);
	free(p->curl);
	p->curl = NULL;
}
