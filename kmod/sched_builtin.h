/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the built-in schedulers share: their per-service state is the
 * current array of reals (plus each scheduler's table after it), swapped
 * with RCU on every change, and a position for rr and wrr.
 */
#ifndef _SLUICE_SCHED_BUILTIN_H
#define _SLUICE_SCHED_BUILTIN_H

#include <linux/spinlock.h>

#include "sched.h"
#include "sched_algo.h"

struct sluice_set_state {
	struct sluice_sched_state hdr;
	struct sluice_dest_set __rcu *set;
	spinlock_t lock;		/* rr and wrr position */
	int last;
	struct sluice_wrr_state wrr;
};

static inline struct sluice_set_state *to_set_state(struct sluice_sched_state *st)
{
	return container_of(st, struct sluice_set_state, hdr);
}

struct sluice_sched_state *sluice_set_init(const struct sluice_scheduler *self,
					   struct sluice_service *svc,
					   const struct sluice_sched_ctx *ctx);
void sluice_set_done(struct sluice_sched_state *st);
void sluice_set_commit(struct sluice_sched_state *st, void *next);
void sluice_set_abort(void *next);

extern struct sluice_scheduler sluice_sched_mh;
extern struct sluice_scheduler sluice_sched_rr_ops;
extern struct sluice_scheduler sluice_sched_wrr_ops;
extern struct sluice_scheduler sluice_sched_sh_ops;
extern struct sluice_scheduler sluice_sched_lc_ops;
extern struct sluice_scheduler sluice_sched_wlc_ops;

#endif /* _SLUICE_SCHED_BUILTIN_H */
