// SPDX-License-Identifier: GPL-2.0
/* The service table as userspace sees it (see table.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "table.h"

/* The service's reals, in an array of the size the kernel said it has. */
static int add_dest(const struct sluice_dest *d, void *arg)
{
	struct sluice_entry *e = arg;

	if (SLUICE_GROW(e->dests, e->ndests, e->cap,
			e->svc.ndests ? e->svc.ndests : 8))
		return -ENOMEM;
	e->dests[e->ndests++] = *d;
	return 0;
}

static int cmp_addr(uint16_t af, const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, af == AF_INET6 ? 16 : 4);
}

/* Families first, then addresses (unsigned), then ports. */
static int cmp_af_addr_port(uint16_t af_a, const uint8_t *a, uint16_t port_a,
			    uint16_t af_b, const uint8_t *b, uint16_t port_b)
{
	int r;

	if (af_a != af_b)
		return af_a < af_b ? -1 : 1;
	r = cmp_addr(af_a, a, b);
	return r ? r : (int)port_a - (int)port_b;
}

/* ipvsadm's service order, with unsigned address comparison. */
static int cmp_svc(const void *x, const void *y)
{
	const struct sluice_svc *a = &((const struct sluice_entry *)x)->svc;
	const struct sluice_svc *b = &((const struct sluice_entry *)y)->svc;

	if (a->fwmark != b->fwmark)
		return a->fwmark < b->fwmark ? -1 : 1;
	if (a->af == b->af && a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	return cmp_af_addr_port(a->af, a->addr, a->port, b->af, b->addr,
				b->port);
}

static int cmp_dest(const void *x, const void *y)
{
	const struct sluice_dest *a = x, *b = y;

	return cmp_af_addr_port(a->af, a->addr, a->port, b->af, b->addr,
				b->port);
}

void sluice_table_free(struct sluice_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].dests);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

int sluice_table_read(struct sluice_nl *nl, const struct sluice_svc *key,
		      int sort, struct sluice_table *t)
{
	struct sluice_svc_array l = { 0 };
	size_t i;
	int err;

	memset(t, 0, sizeof(*t));
	if (key) {
		struct sluice_svc s;

		err = sluice_svc_get(nl, key, &s);
		if (!err)
			err = sluice_svc_array_add(&s, &l);
	} else {
		err = sluice_svc_list(nl, sluice_svc_array_add, &l);
	}
	if (err)
		goto out;
	t->v = calloc(l.n ? l.n : 1, sizeof(*t->v));
	if (!t->v) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		struct sluice_entry *e = &t->v[t->n++];

		e->svc = l.v[i];
		err = sluice_dest_list(nl, &e->svc, add_dest, e);
		if (err)
			goto out;
		if (sort)
			qsort(e->dests, e->ndests, sizeof(*e->dests), cmp_dest);
	}
	if (sort)
		qsort(t->v, t->n, sizeof(*t->v), cmp_svc);
out:
	free(l.v);
	if (err)
		sluice_table_free(t);
	return err;
}

int sluice_svc_same(const struct sluice_svc *a, const struct sluice_svc *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return 0;
	return a->fwmark || (a->proto == b->proto && a->port == b->port &&
			     !cmp_addr(a->af, a->addr, b->addr));
}

int sluice_dest_same(const struct sluice_dest *a, const struct sluice_dest *b)
{
	return a->af == b->af && a->port == b->port &&
	       !cmp_addr(a->af, a->addr, b->addr);
}

static int cmp_u(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int sluice_svc_cmp(const struct sluice_svc *a, const struct sluice_svc *b)
{
	int r;

	if ((r = cmp_u(a->af, b->af)) || (r = cmp_u(a->fwmark, b->fwmark)) ||
	    a->fwmark)
		return r;
	if ((r = cmp_u(a->proto, b->proto)) || (r = cmp_u(a->port, b->port)))
		return r;
	return cmp_addr(a->af, a->addr, b->addr);
}

int sluice_dest_cmp(const struct sluice_dest *a, const struct sluice_dest *b)
{
	int r;

	if ((r = cmp_u(a->af, b->af)) || (r = cmp_u(a->port, b->port)))
		return r;
	return cmp_addr(a->af, a->addr, b->addr);
}

static int cmp_entry_key(const void *x, const void *y)
{
	return sluice_svc_cmp(&((const struct sluice_entry *)x)->svc,
			      &((const struct sluice_entry *)y)->svc);
}

static int cmp_dest_key(const void *x, const void *y)
{
	return sluice_dest_cmp(x, y);
}

void sluice_table_sort_keys(struct sluice_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		qsort(t->v[i].dests, t->v[i].ndests, sizeof(*t->v[i].dests),
		      cmp_dest_key);
	qsort(t->v, t->n, sizeof(*t->v), cmp_entry_key);
}

struct sluice_entry *sluice_table_find(const struct sluice_table *t,
				       const struct sluice_svc *key)
{
	struct sluice_entry k = { .svc = *key };

	return bsearch(&k, t->v, t->n, sizeof(*t->v), cmp_entry_key);
}

const struct sluice_dest *sluice_entry_dest(const struct sluice_entry *e,
					    const struct sluice_dest *d)
{
	if (!e)
		return NULL;
	return bsearch(d, e->dests, e->ndests, sizeof(*e->dests), cmp_dest_key);
}

int sluice_table_refresh(struct sluice_nl *nl, struct sluice_table *t,
			 const struct sluice_svc *key)
{
	struct sluice_entry *e = sluice_table_find(t, key), *v;
	struct sluice_table one;
	size_t i;
	int err;

	err = sluice_table_read(nl, key, 0, &one);
	if (err == -ENOENT) {
		if (e) {
			i = e - t->v;
			free(e->dests);
			memmove(e, e + 1, (t->n - i - 1) * sizeof(*e));
			t->n--;
		}
		return 0;
	}
	if (err)
		return err;
	sluice_table_sort_keys(&one);
	if (e) {
		free(e->dests);
		*e = one.v[0];
		free(one.v);
		return 0;
	}
	v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (!v) {
		sluice_table_free(&one);
		return -ENOMEM;
	}
	t->v = v;
	for (i = 0; i < t->n && sluice_svc_cmp(&v[i].svc, key) < 0; i++)
		;
	memmove(&v[i + 1], &v[i], (t->n - i) * sizeof(*v));
	v[i] = one.v[0];
	t->n++;
	free(one.v);
	return 0;
}
