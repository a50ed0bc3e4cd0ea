// SPDX-License-Identifier: GPL-2.0
/* Scheduler behaviour checks (see sched_checks.h). Plain C. */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#endif

#include "sched_algo.h"
#include "sched_checks.h"

/* Put what went wrong into @msg; returns 1 (failed). */
static __printf(3, 4) int fail(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return 1;
}

/* @n destinations of @weights in @d, and @p pointing at them. */
static void dests(struct sluice_sched_dest *d, struct sluice_sched_dest **p,
		  int n, const u32 *weights)
{
	int i;

	memset(d, 0, n * sizeof(*d));
	for (i = 0; i < n; i++) {
		d[i].weight = weights[i];
		p[i] = &d[i];
	}
}

/* The first picks of round robin from the start must be @want. */
static int rr_seq(struct sluice_sched_dest *const d[], int n, const int *want,
		  int count, char *msg, size_t len)
{
	int k, got, last = -1;

	for (k = 0; k < count; k++) {
		got = sluice_sched_rr(d, n, last);
		if (got != want[k])
			return fail(msg, len, "rr: pick %d is %d, want %d", k, got, want[k]);
		last = got;
	}
	return 0;
}

static int rr_cycles(void *mem, char *msg, size_t len)
{
	static const u32 w[] = { 1, 1, 1 };
	static const int want[] = { 0, 1, 2, 0, 1, 2, 0 };
	struct sluice_sched_dest d[3];
	struct sluice_sched_dest *p[3];

	dests(d, p, 3, w);
	return rr_seq(p, 3, want, ARRAY_SIZE(want), msg, len);
}

static int rr_skips_unavailable(void *mem, char *msg, size_t len)
{
	static const u32 w[] = { 1, 0, 1, 1 };
	static const int want[] = { 0, 3, 0, 3 };
	struct sluice_sched_dest d[4];
	struct sluice_sched_dest *p[4];

	dests(d, p, 4, w);
	d[2].overloaded = 1;
	if (rr_seq(p, 4, want, ARRAY_SIZE(want), msg, len))
		return 1;
	d[0].weight = 0;
	d[3].overloaded = 1;
	if (sluice_sched_rr(p, 4, 3) != -1)
		return fail(msg, len, "rr chose a destination while none is available");
	return 0;
}

static int wrr_cycle(void *mem, char *msg, size_t len)
{
	/* IPVS's order for weights 1:2:3: cw 3, then 2, then 1. */
	static const u32 w[] = { 1, 2, 3 };
	static const int want[] = { 2, 1, 2, 0, 1, 2, 2, 1, 2, 0, 1, 2 };
	struct sluice_sched_dest d[3];
	struct sluice_sched_dest *p[3];
	struct sluice_wrr_state s;
	unsigned int k;
	int got;

	dests(d, p, 3, w);
	sluice_sched_wrr_reset(&s);
	for (k = 0; k < ARRAY_SIZE(want); k++) {
		got = sluice_sched_wrr(p, 3, &s);
		if (got != want[k])
			return fail(msg, len, "wrr 1:2:3: pick %u is %d, want %d", k,
				    got, want[k]);
	}
	return 0;
}

static int wrr_proportional_gcd(void *mem, char *msg, size_t len)
{
	static const u32 w[] = { 20, 40, 60, 0 };
	struct sluice_sched_dest d[4];
	struct sluice_sched_dest *p[4];
	struct sluice_wrr_state s;
	u32 count[4] = { 0 };
	int i, c;

	dests(d, p, 4, w);
	sluice_sched_wrr_reset(&s);
	/* gcd 20: a cycle is 1 + 2 + 3 = 6 picks; 100 cycles */
	for (i = 0; i < 600; i++) {
		c = sluice_sched_wrr(p, 4, &s);
		if (c < 0 || c > 3)
			return fail(msg, len, "wrr returned %d", c);
		count[c]++;
	}
	if (count[0] != 100 || count[1] != 200 || count[2] != 300 || count[3])
		return fail(msg, len, "wrr 20:40:60:0 gave %u:%u:%u:%u", count[0], count[1],
		     count[2], count[3]);
	d[2].overloaded = 1;
	for (i = 0; i < 30; i++)
		if (sluice_sched_wrr(p, 4, &s) == 2)
			return fail(msg, len, "wrr chose an overloaded destination");
	return 0;
}

static int sh_sticky_weighted(void *mem, char *msg, size_t len)
{
	static const u32 w[] = { 1, 3 };
	struct sluice_sched_dest d[2];
	struct sluice_sched_dest *p[2];
	s16 table[SLUICE_SH_BUCKETS];
	u32 count[2] = { 0 }, h;
	int i, c;

	dests(d, p, 2, w);
	sluice_sched_sh_build(p, 2, table);
	for (i = 0; i < SLUICE_SH_BUCKETS; i++)
		count[table[i]]++;
	if (count[0] != 64 || count[1] != 192)
		return fail(msg, len, "sh buckets %u:%u for weights 1:3", count[0], count[1]);
	for (h = 0; h < 1000; h++) {
		c = sluice_sched_sh(p, 2, table, h * 2654435761U, 0);
		if (c != sluice_sched_sh(p, 2, table, h * 2654435761U, 0) || c < 0)
			return fail(msg, len, "sh: source hash %u not sticky", h);
	}
	return 0;
}

static int sh_unavailable_and_fallback(void *mem, char *msg, size_t len)
{
	static const u32 w[] = { 1, 1 };
	struct sluice_sched_dest d[2];
	struct sluice_sched_dest *p[2];
	s16 table[SLUICE_SH_BUCKETS];
	u32 h;

	dests(d, p, 2, w);
	sluice_sched_sh_build(p, 2, table);
	d[0].weight = 0;
	for (h = 0; h < SLUICE_SH_BUCKETS; h++) {
		int c = sluice_sched_sh(p, 2, table, h, 0);
		int f = sluice_sched_sh(p, 2, table, h, 1);

		if (table[h] == 0 && (c != -1 || f != 1))
			return fail(msg, len, "bucket %u of a drained real: %d / fallback %d",
				    h, c, f);
		if (table[h] == 1 && (c != 1 || f != 1))
			return fail(msg, len, "bucket %u: %d / fallback %d", h, c, f);
	}
	d[1].overloaded = 1;
	if (sluice_sched_sh(p, 2, table, 7, 1) != -1)
		return fail(msg, len, "sh fallback found a destination while none is available");
	return 0;
}

static int lc_least(void *mem, char *msg, size_t len)
{
	static const u32 w[] = { 1, 1, 1, 1 };
	struct sluice_sched_dest d[4];
	struct sluice_sched_dest *p[4];

	dests(d, p, 4, w);
	atomic_set(&d[0].activeconns, 5);
	atomic_set(&d[1].activeconns, 2);
	atomic_set(&d[1].inactconns, 300);	/* 2 * 256 + 300 = 812 */
	atomic_set(&d[2].activeconns, 3);	/* 768: the least */
	atomic_set(&d[3].activeconns, 0);
	d[3].weight = 0;	/* drained: never */
	if (sluice_sched_lc(p, 4) != 2)
		return fail(msg, len, "lc chose %d, want 2", sluice_sched_lc(p, 4));
	d[2].overloaded = 1;
	if (sluice_sched_lc(p, 4) != 1)
		return fail(msg, len, "lc chose %d with 2 overloaded, want 1",
			    sluice_sched_lc(p, 4));
	atomic_set(&d[1].activeconns, 5);
	atomic_set(&d[1].inactconns, 0);
	if (sluice_sched_lc(p, 4) != 0)
		return fail(msg, len, "lc tie went to %d, want the first", sluice_sched_lc(p, 4));
	return 0;
}

static int wlc_least_per_weight(void *mem, char *msg, size_t len)
{
	static const u32 w[] = { 1, 4, 2 };
	struct sluice_sched_dest d[3];
	struct sluice_sched_dest *p[3];

	dests(d, p, 3, w);
	atomic_set(&d[0].activeconns, 10);	/* 10 per weight */
	atomic_set(&d[1].activeconns, 30);	/* 7.5 */
	atomic_set(&d[2].activeconns, 16);	/* 8 */
	if (sluice_sched_wlc(p, 3) != 1)
		return fail(msg, len, "wlc chose %d, want 1", sluice_sched_wlc(p, 3));
	d[1].weight = 0;
	if (sluice_sched_wlc(p, 3) != 2)
		return fail(msg, len, "wlc chose %d with 1 drained, want 2",
			    sluice_sched_wlc(p, 3));
	return 0;
}

static int thresholds(void *mem, char *msg, size_t len)
{
	struct sluice_sched_dest d = { .weight = 1, .u_threshold = 10, .l_threshold = 5 };
	static const struct {
		u32 conns;
		u8 want;
	} with_l[] = { { 9, 0 }, { 10, 1 }, { 6, 1 }, { 5, 0 }, { 9, 0 } },
	  without_l[] = { { 7, 0 }, { 8, 1 }, { 7, 1 }, { 6, 0 } };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(with_l); i++) {
		atomic_set(&d.activeconns, with_l[i].conns);
		sluice_sched_update_overload(&d);
		if (d.overloaded != with_l[i].want)
			return fail(msg, len, "u=10 l=5, %u conns: overloaded %u", with_l[i].conns,
			     d.overloaded);
	}
	d.u_threshold = 8;
	d.l_threshold = 0;
	d.overloaded = 0;
	for (i = 0; i < ARRAY_SIZE(without_l); i++) {
		atomic_set(&d.activeconns, without_l[i].conns / 2);
		atomic_set(&d.inactconns, without_l[i].conns - without_l[i].conns / 2);
		sluice_sched_update_overload(&d);
		if (d.overloaded != without_l[i].want)
			return fail(msg, len, "u=8 l=0, %u conns: overloaded %u",
				    without_l[i].conns,
			     d.overloaded);
	}
	d.u_threshold = 0;
	atomic_set(&d.activeconns, 1000000);
	sluice_sched_update_overload(&d);
	if (d.overloaded)
		return fail(msg, len, "no threshold, yet overloaded");
	return 0;
}

const struct sluice_check sluice_sched_checks[] = {
	{ "rr-cycles-in-order", rr_cycles },
	{ "rr-skips-drained-and-overloaded", rr_skips_unavailable },
	{ "wrr-ipvs-order-1-2-3", wrr_cycle },
	{ "wrr-proportional-with-gcd", wrr_proportional_gcd },
	{ "sh-sticky-and-weighted", sh_sticky_weighted },
	{ "sh-drained-real-and-fallback", sh_unavailable_and_fallback },
	{ "lc-least-connections", lc_least },
	{ "wlc-least-per-weight", wlc_least_per_weight },
	{ "thresholds-ipvs-semantics", thresholds },
};

const unsigned int sluice_sched_nchecks = ARRAY_SIZE(sluice_sched_checks);
