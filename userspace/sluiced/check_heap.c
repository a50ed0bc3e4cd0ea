// SPDX-License-Identifier: GPL-2.0
/*
 * The probes' timers: a binary min-heap by due time (see check_int.h).
 * Every probe knows its place in it (@heap_idx), so moving a probe to a new
 * due time or taking it out is O(log n) without a search. The due times
 * are in the heap's slots too: sifting reads no probe.
 */
#include <errno.h>
#include <stdlib.h>
#include "check_int.h"

static void place(struct hc_heap *h, size_t i, struct hc_heap_slot s)
{
	h->v[i] = s;
	s.p->heap_idx = i;
}

static void sift_up(struct hc_heap *h, size_t i)
{
	struct hc_heap_slot s = h->v[i];

	while (i) {
		size_t parent = (i - 1) / 2;

		if (h->v[parent].due <= s.due)
			break;
		place(h, i, h->v[parent]);
		i = parent;
	}
	place(h, i, s);
}

static void sift_down(struct hc_heap *h, size_t i)
{
	struct hc_heap_slot s = h->v[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1].due < h->v[c].due)
			c++;
		if (s.due <= h->v[c].due)
			break;
		place(h, i, h->v[c]);
		i = c;
	}
	place(h, i, s);
}

int hc_heap_reserve(struct hc_heap *h, size_t n)
{
	struct hc_heap_slot *v;
	size_t cap;

	if (n <= h->cap)
		return 0;
	cap = h->cap < 64 ? 64 : h->cap;
	while (cap < n)
		cap *= 2;
	v = realloc(h->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	h->v = v;
	h->cap = cap;
	return 0;
}

void hc_heap_set(struct hc_heap *h, struct hc_probe *p, uint64_t due)
{
	size_t i = p->heap_idx;

	if (i == HC_NO_HEAP) {
		if (h->n == h->cap)
			abort(); /* hc_heap_reserve() was not called */
		p->due = due;
		place(h, h->n++, (struct hc_heap_slot){ due, p });
		sift_up(h, p->heap_idx);
		return;
	}
	h->v[i].due = due;
	if (due < p->due) {
		p->due = due;
		sift_up(h, i);
	} else {
		p->due = due;
		sift_down(h, i);
	}
}

void hc_heap_del(struct hc_heap *h, struct hc_probe *p)
{
	size_t i = p->heap_idx;
	struct hc_heap_slot last;

	if (i == HC_NO_HEAP)
		return;
	p->heap_idx = HC_NO_HEAP;
	last = h->v[--h->n];
	if (last.p == p)
		return;
	/* The last one fills the hole, then goes up or down from there. */
	place(h, i, last);
	if (i && h->v[(i - 1) / 2].due > last.due)
		sift_up(h, i);
	else
		sift_down(h, i);
}

struct hc_probe *hc_heap_top(const struct hc_heap *h)
{
	return h->n ? h->v[0].p : NULL;
}

void hc_heap_free(struct hc_heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
