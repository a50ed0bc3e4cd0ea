// SPDX-License-Identifier: GPL-2.0
/*
 * The probes by spec and target (see check_int.h). The hash covers the
 * target and the spec's timing, not its strings: probes differing only in
 * those (two HTTP paths of one real) share a chain, where hc_spec_equal()
 * tells them apart.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "check_int.h"

#define FIRST_BUCKETS 256

static int alen(int af)
{
	return af == AF_INET ? 4 : 16;
}

static int addr_eq(int af, const uint8_t *a, const uint8_t *b)
{
	return !memcmp(a, b, alen(af));
}

static int target_equal(const struct hc_target *a, const struct hc_target *b)
{
	return a->af == b->af && addr_eq(a->af, a->addr, b->addr) &&
	       a->port == b->port && a->src_af == b->src_af &&
	       (!a->src_af || addr_eq(a->src_af, a->src, b->src)) &&
	       a->mark == b->mark && a->vip_af == b->vip_af &&
	       (!a->vip_af || addr_eq(a->vip_af, a->vip, b->vip)) &&
	       a->vport == b->vport;
}

/* FNV-1a, over what target_equal() and hc_spec_equal() compare. */
static uint64_t mix(uint64_t h, const void *data, size_t len)
{
	const uint8_t *b = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t mix_u32(uint64_t h, uint32_t v)
{
	return mix(h, &v, sizeof(v));
}

static size_t hash(const struct hc_hash *t, const struct hc_spec *s,
		   const struct hc_target *x)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = mix_u32(h, s->type);
	h = mix_u32(h, s->interval_ms);
	h = mix_u32(h, s->timeout_ms);
	h = mix_u32(h, s->rise);
	h = mix_u32(h, s->fall);
	h = mix_u32(h, x->af);
	h = mix(h, x->addr, alen(x->af));
	h = mix_u32(h, x->port);
	h = mix_u32(h, x->src_af);
	if (x->src_af)
		h = mix(h, x->src, alen(x->src_af));
	h = mix_u32(h, x->mark);
	h = mix_u32(h, x->vip_af);
	if (x->vip_af)
		h = mix(h, x->vip, alen(x->vip_af));
	h = mix_u32(h, x->vport);
	return h & (t->nbuckets - 1);
}

struct hc_probe *hc_hash_find(const struct hc_hash *t,
			      const struct hc_spec *spec,
			      const struct hc_target *target)
{
	struct hc_probe *p;

	if (!t->nbuckets)
		return NULL;
	for (p = t->bucket[hash(t, spec, target)]; p; p = p->hnext)
		if (hc_spec_equal(p->spec, spec) &&
		    target_equal(&p->target, target))
			return p;
	return NULL;
}

static void link_probe(struct hc_hash *t, struct hc_probe *p)
{
	size_t b = hash(t, p->spec, &p->target);

	p->hnext = t->bucket[b];
	t->bucket[b] = p;
}

/* Twice the buckets; kept as they are when memory is short. */
static void grow(struct hc_hash *t)
{
	struct hc_probe **old = t->bucket, *p, *next;
	size_t nold = t->nbuckets, i;

	t->bucket = calloc(nold * 2, sizeof(*t->bucket));
	if (!t->bucket) {
		t->bucket = old;
		return;
	}
	t->nbuckets = nold * 2;
	for (i = 0; i < nold; i++) {
		for (p = old[i]; p; p = next) {
			next = p->hnext;
			link_probe(t, p);
		}
	}
	free(old);
}

int hc_hash_add(struct hc_hash *t, struct hc_probe *p)
{
	if (!t->nbuckets) {
		t->bucket = calloc(FIRST_BUCKETS, sizeof(*t->bucket));
		if (!t->bucket)
			return -ENOMEM;
		t->nbuckets = FIRST_BUCKETS;
	}
	if (t->n >= t->nbuckets)
		grow(t);
	link_probe(t, p);
	t->n++;
	return 0;
}

void hc_hash_del(struct hc_hash *t, struct hc_probe *p)
{
	struct hc_probe **pp;

	if (!t->nbuckets)
		return;
	for (pp = &t->bucket[hash(t, p->spec, &p->target)]; *pp;
	     pp = &(*pp)->hnext) {
		if (*pp == p) {
			*pp = p->hnext;
			p->hnext = NULL;
			t->n--;
			return;
		}
	}
}

void hc_hash_free(struct hc_hash *t)
{
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}
