// SPDX-License-Identifier: GPL-2.0
/*
 * The check engine's indexes: the timer heap (check_heap.c) against a
 * sorted list of the same due times, and the probe hash (check_hash.c)
 * through hc_probe_get(): equal spec and target give the probe back, any
 * difference another one, across the hash's growth and after puts.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "check_int.h"

#define N 3000

static uint64_t rnd_state = 88172645463325252ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every probe's place is right and no child is due before its parent. */
static void assert_heap(const struct hc_heap *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		assert_int_equal(h->v[i].p->heap_idx, i);
		assert_true(h->v[i].due == h->v[i].p->due);
		if (i)
			assert_true(h->v[(i - 1) / 2].due <= h->v[i].due);
	}
}

/* Insert, move (earlier and later), delete, then drain in order. */
static void test_heap_order(void **state)
{
	static struct hc_probe p[N];
	struct hc_heap h = { 0 };
	uint64_t want[N];
	size_t i, n = 0, left;

	(void)state;
	memset(p, 0, sizeof(p));
	assert_int_equal(hc_heap_reserve(&h, N), 0);
	assert_null(hc_heap_top(&h));
	for (i = 0; i < N; i++) {
		p[i].heap_idx = HC_NO_HEAP;
		hc_heap_set(&h, &p[i], rnd() % 100000);
	}
	assert_int_equal(h.n, N);
	assert_heap(&h);
	/* A third moved to a new time, a tenth taken out. */
	for (i = 0; i < N; i += 3)
		hc_heap_set(&h, &p[i], rnd() % 100000);
	assert_heap(&h);
	for (i = 5; i < N; i += 10) {
		hc_heap_del(&h, &p[i]);
		assert_int_equal(p[i].heap_idx, HC_NO_HEAP);
		hc_heap_del(&h, &p[i]); /* twice: nothing */
	}
	assert_heap(&h);
	for (i = 0; i < N; i++)
		if (p[i].heap_idx != HC_NO_HEAP)
			want[n++] = p[i].due;
	assert_int_equal(n, h.n);
	qsort(want, n, sizeof(want[0]), cmp_u64);
	for (i = 0, left = n; left; i++, left--) {
		struct hc_probe *top = hc_heap_top(&h);

		assert_non_null(top);
		assert_true(top->due == want[i]);
		hc_heap_del(&h, top);
		if (i % 97 == 0)
			assert_heap(&h);
	}
	assert_null(hc_heap_top(&h));
	hc_heap_free(&h);
}

/* The probe due first, moved after all the others, is last. */
static void test_heap_move(void **state)
{
	struct hc_probe p[4] = { 0 };
	struct hc_heap h = { 0 };
	size_t i;

	(void)state;
	assert_int_equal(hc_heap_reserve(&h, 4), 0);
	for (i = 0; i < 4; i++) {
		p[i].heap_idx = HC_NO_HEAP;
		hc_heap_set(&h, &p[i], 10 * (i + 1));
	}
	assert_ptr_equal(hc_heap_top(&h), &p[0]);
	hc_heap_set(&h, &p[0], 100);
	assert_ptr_equal(hc_heap_top(&h), &p[1]);
	hc_heap_set(&h, &p[3], 5);
	assert_ptr_equal(hc_heap_top(&h), &p[3]);
	assert_heap(&h);
	hc_heap_free(&h);
}

static struct hc_target target_n(unsigned int n)
{
	struct hc_target t = { .af = AF_INET };
	uint32_t a = htonl(0x7f000001u + n / 50);

	memcpy(t.addr, &a, 4);
	t.port = 10000 + n % 50;
	return t;
}

/* Equal spec and target: the same probe; anything else: another one. */
static void test_hash_get(void **state)
{
	static struct hc_probe *p[N];
	struct hc_engine *e = hc_engine_new(NULL, NULL);
	struct hc_spec tcp = { .type = HC_TCP,
			       .interval_ms = 3600000,
			       .timeout_ms = 1000 };
	struct hc_spec http = tcp, http2;
	struct hc_target t;
	struct hc_info info;
	size_t i;

	(void)state;
	assert_non_null(e);
	http.type = HC_HTTP;
	http.path = "/a";
	http2 = http;
	http2.path = "/b";
	for (i = 0; i < N; i++) {
		t = target_n(i);
		p[i] = hc_probe_get(e, &tcp, &t, HC_UNKNOWN);
		assert_non_null(p[i]);
	}
	assert_true(e->hash.nbuckets >= N); /* it grew */
	assert_int_equal(e->heap.n, N);
	for (i = 0; i < N; i++) {
		t = target_n(i);
		assert_ptr_equal(hc_probe_get(e, &tcp, &t, HC_UP), p[i]);
		hc_probe_info(p[i], &info);
		assert_int_equal(info.refs, 2);
		assert_int_equal(info.state, HC_UNKNOWN);
	}
	/* Another spec, another source, another mark: other probes. */
	t = target_n(7);
	{
		struct hc_probe *a = hc_probe_get(e, &http, &t, HC_UNKNOWN);
		struct hc_probe *b = hc_probe_get(e, &http2, &t, HC_UNKNOWN);
		struct hc_probe *c, *d;

		assert_true(a != p[7] && b != p[7] && a != b);
		assert_ptr_equal(hc_probe_get(e, &http, &t, HC_UNKNOWN), a);
		t.mark = 1;
		c = hc_probe_get(e, &tcp, &t, HC_UNKNOWN);
		assert_true(c != p[7]);
		t.mark = 0;
		t.src_af = AF_INET;
		d = hc_probe_get(e, &tcp, &t, HC_UNKNOWN);
		assert_true(d != p[7] && d != c);
		assert_ptr_equal(hc_probe_get(e, &tcp, &t, HC_UNKNOWN), d);
		hc_probe_put(d);
		hc_probe_put(d);
		hc_probe_put(a);
		hc_probe_put(a);
		hc_probe_put(b);
		hc_probe_put(c);
	}
	assert_int_equal(e->heap.n, N);
	assert_int_equal(e->hash.n, N);
	/* Put both references of the even ones: gone, a new one if asked. */
	for (i = 0; i < N; i += 2) {
		hc_probe_put(p[i]);
		hc_probe_put(p[i]);
	}
	assert_int_equal(e->heap.n, N / 2);
	assert_int_equal(e->hash.n, N / 2);
	for (i = 0; i < N; i++) {
		struct hc_probe *q;

		t = target_n(i);
		q = hc_probe_get(e, &tcp, &t, HC_UP);
		if (i % 2) {
			assert_ptr_equal(q, p[i]);
			hc_probe_put(q);
		} else {
			hc_probe_info(q, &info);
			assert_int_equal(info.refs, 1);
			assert_int_equal(info.state, HC_UP);
			p[i] = q;
		}
	}
	for (i = 0; i < N; i++) {
		hc_probe_put(p[i]);
		if (i % 2)
			hc_probe_put(p[i]);
	}
	assert_int_equal(e->heap.n, 0);
	assert_int_equal(e->hash.n, 0);
	hc_engine_free(e);
}

/*
 * A turn of the loop with nothing due starts nothing, and the probe due
 * first is the heap's top: its first run is within its interval.
 */
static void test_timers(void **state)
{
	struct hc_engine *e = hc_engine_new(NULL, NULL);
	struct hc_spec tcp = { .type = HC_TCP,
			       .interval_ms = 3600000,
			       .timeout_ms = 1000 };
	struct hc_probe *p[64], *top;
	struct hc_target t;
	struct timespec ts;
	uint64_t now;
	size_t i;

	(void)state;
	assert_non_null(e);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	for (i = 0; i < 64; i++) {
		t = target_n(i);
		p[i] = hc_probe_get(e, &tcp, &t, HC_UNKNOWN);
		assert_non_null(p[i]);
		assert_true(p[i]->due >= now &&
			    p[i]->due < now + 3600000000000ull);
	}
	top = hc_heap_top(&e->heap);
	for (i = 0; i < 64; i++)
		assert_true(top->due <= p[i]->due);
	/* Nothing is due for a while: a turn runs nothing. */
	if (top->due > now + 1000000000ull) {
		assert_int_equal(hc_engine_run(e, NULL, 0, 0), 0);
		for (i = 0; i < 64; i++)
			assert_false(p[i]->running);
	}
	/* Made due now: the next turn starts it and only it. */
	hc_heap_set(&e->heap, p[10], 0);
	assert_ptr_equal(hc_heap_top(&e->heap), p[10]);
	assert_int_equal(hc_engine_run(e, NULL, 0, 0), 0);
	assert_true(p[10]->running || p[10]->runs == 1);
	assert_true(p[10]->due > now);
	for (i = 0; i < 64; i++)
		if (i != 10 && p[i]->due > now + 2000000000ull)
			assert_false(p[i]->running);
	for (i = 0; i < 64; i++)
		hc_probe_put(p[i]);
	assert_null(hc_heap_top(&e->heap));
	hc_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap_order),
		cmocka_unit_test(test_heap_move),
		cmocka_unit_test(test_hash_get),
		cmocka_unit_test(test_timers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
