// SPDX-License-Identifier: GPL-2.0
/*
 * Checks' specs: compared, copied and freed; and the engine's copies, one
 * of each spec (by hc_spec_equal), shared by every probe that runs it and
 * freed with the last: 10,000 probes of one check hold one copy.
 */
#include <stdlib.h>
#include <string.h>
#include "check_int.h"

/* One spec of the engine's (e->specs). */
struct hc_spec_ref {
	struct hc_spec spec; /* first: the probes point to it */
	struct hc_spec_ref *next;
	size_t refs;
};

static int str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static int bytes_eq(const uint8_t *a, size_t alen, const uint8_t *b,
		    size_t blen)
{
	if (!a || !b)
		return !a && !b;
	return alen == blen && !memcmp(a, b, alen);
}

/* Only what the probe's type uses is compared: it is all that it does. */
int hc_spec_equal(const struct hc_spec *a, const struct hc_spec *b)
{
	if (a->type != b->type || a->interval_ms != b->interval_ms ||
	    a->timeout_ms != b->timeout_ms || a->rise != b->rise ||
	    a->fall != b->fall)
		return 0;
	switch (a->type) {
	case HC_TCP:
		return 1;
	case HC_HTTP:
	case HC_HTTPS:
		return str_eq(a->path ? a->path : "/",
			      b->path ? b->path : "/") &&
		       str_eq(a->host, b->host) &&
		       a->expect_status == b->expect_status &&
		       str_eq(a->expect_body, b->expect_body) &&
		       (a->type == HC_HTTP || !a->tls_verify == !b->tls_verify);
	case HC_DNS:
		return str_eq(a->dns_name, b->dns_name) &&
		       a->dns_qtype == b->dns_qtype &&
		       !a->dns_tcp == !b->dns_tcp;
	case HC_UDP:
		return bytes_eq(a->send, a->send_len, b->send, b->send_len) &&
		       bytes_eq(a->expect, a->expect_len, b->expect,
				b->expect_len);
	case HC_EXEC:
		return str_eq(a->command, b->command);
	}
	return 0;
}

void hc_spec_free(struct hc_spec *s)
{
	free(s->path);
	free(s->host);
	free(s->expect_body);
	free(s->dns_name);
	free(s->send);
	free(s->expect);
	free(s->command);
}

static int dup_str(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -1;
}

static int dup_bytes(uint8_t **dst, const uint8_t *src, size_t len)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = malloc(len ? len : 1);
	if (!*dst)
		return -1;
	memcpy(*dst, src, len);
	return 0;
}

void hc_spec_defaults(struct hc_spec *s)
{
	if (!s->rise)
		s->rise = 1;
	if (!s->fall)
		s->fall = 1;
	if (!s->interval_ms)
		s->interval_ms = 1;
	if (!s->timeout_ms)
		s->timeout_ms = 1;
}

static int spec_copy(struct hc_spec *d, const struct hc_spec *s)
{
	*d = *s;
	if (dup_str(&d->path, s->path) | dup_str(&d->host, s->host) |
	    dup_str(&d->expect_body, s->expect_body) |
	    dup_str(&d->dns_name, s->dns_name) |
	    dup_str(&d->command, s->command) |
	    dup_bytes(&d->send, s->send, s->send_len) |
	    dup_bytes(&d->expect, s->expect, s->expect_len)) {
		hc_spec_free(d);
		return -1;
	}
	return 0;
}

const struct hc_spec *hc_spec_get(struct hc_engine *e,
				  const struct hc_spec *spec)
{
	struct hc_spec_ref *r;

	for (r = e->specs; r; r = r->next)
		if (hc_spec_equal(&r->spec, spec)) {
			r->refs++;
			return &r->spec;
		}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	if (spec_copy(&r->spec, spec)) {
		free(r);
		return NULL;
	}
	r->refs = 1;
	r->next = e->specs;
	e->specs = r;
	return &r->spec;
}

void hc_spec_put(struct hc_engine *e, const struct hc_spec *spec)
{
	struct hc_spec_ref **pp, *r;

	for (pp = &e->specs; *pp; pp = &(*pp)->next) {
		r = *pp;
		if (&r->spec != spec)
			continue;
		if (--r->refs)
			return;
		*pp = r->next;
		hc_spec_free(&r->spec);
		free(r);
		return;
	}
}
