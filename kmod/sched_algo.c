// SPDX-License-Identifier: GPL-2.0
/*
 * rr, wrr, sh, lc and wlc over an array of destination states (see
 * sched_algo.h). Plain C: built into the module and into userspace tests.
 * The algorithms follow IPVS's (net/netfilter/ipvs/ip_vs_{rr,wrr,sh,lc,wlc}.c)
 * so that operators moving from IPVS see the same choices.
 */
#include "sched_algo.h"

static int available(const struct sluice_sched_dest *d)
{
	return READ_ONCE(d->weight) && !READ_ONCE(d->overloaded);
}

void sluice_sched_update_overload(struct sluice_sched_dest *d)
{
	u64 conns = (u64)(u32)atomic_read(&d->activeconns) +
		   (u32)atomic_read(&d->inactconns);

	u32 u = READ_ONCE(d->u_threshold), l = READ_ONCE(d->l_threshold);

	if (!u) {
		WRITE_ONCE(d->overloaded, 0);
	} else if (conns >= u) {
		WRITE_ONCE(d->overloaded, 1);
	} else if (READ_ONCE(d->overloaded)) {
		if (l ? conns <= l : conns * 4 <= (u64)u * 3)
			WRITE_ONCE(d->overloaded, 0);
	}
}

int sluice_sched_rr(struct sluice_sched_dest *const d[], int n, int last)
{
	int i, k;

	for (k = 1; k <= n; k++) {
		i = (last + k) % n;
		if (i < 0)
			i += n;
		if (available(d[i]))
			return i;
	}
	return -1;
}

static u32 gcd(u32 a, u32 b)
{
	while (b) {
		u32 t = a % b;

		a = b;
		b = t;
	}
	return a;
}

void sluice_sched_wrr_reset(struct sluice_wrr_state *s)
{
	s->last = -1;
	s->cw = 0;
}

int sluice_sched_wrr(struct sluice_sched_dest *const d[], int n,
		     struct sluice_wrr_state *s)
{
	u32 mw = 0, g = 0;
	u64 steps, bound;
	int i;

	for (i = 0; i < n; i++) {
		if (d[i]->weight) {
			mw = d[i]->weight > mw ? d[i]->weight : mw;
			g = gcd(g, d[i]->weight);
		}
	}
	if (!mw)
		return -1;
	/* Within one sweep of cw from mw down to g, all are tried. */
	bound = (u64)n * (mw / g + 1) + 1;
	i = s->last < 0 || s->last >= n ? n - 1 : s->last;
	for (steps = 0; steps < bound; steps++) {
		if (++i >= n) {
			i = 0;
			s->cw -= g;
			if (s->cw <= 0)
				s->cw = mw;
		}
		if (available(d[i]) && d[i]->weight >= (u32)s->cw) {
			s->last = i;
			return i;
		}
	}
	return -1;
}

void sluice_sched_sh_build(struct sluice_sched_dest *const d[], int n,
			   s16 table[SLUICE_SH_BUCKETS])
{
	u32 given = 0;
	int b, i = 0;

	for (b = 0; b < SLUICE_SH_BUCKETS; b++) {
		if (!n) {
			table[b] = -1;
			continue;
		}
		table[b] = i;
		/* A destination takes as many buckets in a row as its weight. */
		if (++given >= d[i]->weight) {
			i = (i + 1) % n;
			given = 0;
		}
	}
}

int sluice_sched_sh(struct sluice_sched_dest *const d[], int n,
		    const s16 table[SLUICE_SH_BUCKETS], u32 src_hash,
		    int fallback)
{
	u32 b = src_hash % SLUICE_SH_BUCKETS, k;
	int i;

	for (k = 0; k < SLUICE_SH_BUCKETS; k++) {
		i = table[(b + k) % SLUICE_SH_BUCKETS];
		if (i >= 0 && i < n && available(d[i]))
			return i;
		if (!fallback)
			return -1;
	}
	return -1;
}

static u64 overhead(const struct sluice_sched_dest *d)
{
	return ((u64)(u32)atomic_read(&d->activeconns) << 8) +
	       (u32)atomic_read(&d->inactconns);
}

int sluice_sched_lc(struct sluice_sched_dest *const d[], int n)
{
	int i, best = -1;

	for (i = 0; i < n; i++) {
		if (!available(d[i]))
			continue;
		if (best < 0 || overhead(d[i]) < overhead(d[best]))
			best = i;
	}
	return best;
}

int sluice_sched_wlc(struct sluice_sched_dest *const d[], int n)
{
	int i, best = -1;

	for (i = 0; i < n; i++) {
		if (!available(d[i]))
			continue;
		/* overhead_i / w_i < overhead_best / w_best, without division */
		if (best < 0 || overhead(d[i]) * d[best]->weight <
					overhead(d[best]) * d[i]->weight)
			best = i;
	}
	return best;
}
