/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The classic IPVS scheduling algorithms (rr, wrr, sh, lc, wlc) and the
 * connection thresholds, as plain C over an array of destination states,
 * so that the module's scheduler plug-ins, the KUnit suites and the
 * userspace tests share one implementation (like maglev.c).
 *
 * A destination is available for new connections when its weight is not
 * 0 and it is not overloaded. Every function returns the index of the
 * chosen destination, or -1 when none is available.
 */
#ifndef _SLUICE_SCHED_ALGO_H
#define _SLUICE_SCHED_ALGO_H

#ifdef __KERNEL__
#include <linux/atomic.h>
#include <linux/types.h>
#else
#include "ktypes.h"	/* userspace/lib: u8..u64, size_t, atomic_t */
#endif

/*
 * A destination's scheduling state. The module embeds one in each real;
 * the connection counts change on every CPU, hence atomic_t. The
 * algorithms take an array of pointers to them (a service's reals).
 */
struct sluice_sched_dest {
	u32 weight;		/* 0: drain, no new connections */
	atomic_t activeconns;
	atomic_t inactconns;
	u32 u_threshold;	/* 0: no upper limit */
	u32 l_threshold;	/* 0: 3/4 of u_threshold */
	u8 overloaded;		/* kept by sluice_sched_update_overload() */
};

/*
 * Recompute @d->overloaded after its connection counts changed, as IPVS
 * does: overloaded once active + inactive connections reach u_threshold;
 * back when they fall to l_threshold, or to 3/4 of u_threshold when
 * l_threshold is 0 (the gap keeps it from flapping).
 */
void sluice_sched_update_overload(struct sluice_sched_dest *d);

/* Round robin. @last: the index chosen last time (-1 to start). */
int sluice_sched_rr(struct sluice_sched_dest *const d[], int n, int last);

/*
 * Weighted round robin (IPVS's algorithm): a destination of weight w is
 * chosen w times per cycle of sum(w) choices, heavier ones first.
 */
struct sluice_wrr_state {
	int last;	/* index chosen last time, -1 to start */
	int cw;		/* current weight */
};

void sluice_sched_wrr_reset(struct sluice_wrr_state *s);
int sluice_sched_wrr(struct sluice_sched_dest *const d[], int n,
		     struct sluice_wrr_state *s);

/*
 * Source hashing: a table of SLUICE_SH_BUCKETS buckets, each destination
 * given buckets in proportion to its weight (round robin over weights);
 * a flow's bucket is its source hash modulo the table size. An
 * unavailable destination's flows get no destination, unless @fallback:
 * then the next available bucket's.
 */
#define SLUICE_SH_BUCKETS 256

void sluice_sched_sh_build(struct sluice_sched_dest *const d[], int n,
			   s16 table[SLUICE_SH_BUCKETS]);
int sluice_sched_sh(struct sluice_sched_dest *const d[], int n,
		    const s16 table[SLUICE_SH_BUCKETS], u32 src_hash,
		    int fallback);

/* Least connections: fewest active * 256 + inactive (IPVS's overhead). */
int sluice_sched_lc(struct sluice_sched_dest *const d[], int n);

/* Weighted least connections: least overhead / weight. */
int sluice_sched_wlc(struct sluice_sched_dest *const d[], int n);

#endif /* _SLUICE_SCHED_ALGO_H */
