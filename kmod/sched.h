/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduler plug-ins, registered by name as IPVS's are.
 *
 * A scheduler keeps per-service state (struct sluice_sched_state first in
 * its own struct) that the data path reads under RCU. Every change to the
 * reals is done in two steps so that a failure changes nothing:
 * prepare() builds what the scheduler publishes next (from the service's
 * reals, leaving out ctx->exclude, with ctx->seed) and may fail; commit()
 * publishes it with RCU and cannot fail; abort() frees an unpublished one.
 * IPVS's add_dest/del_dest/upd_dest are prepare + commit after the real
 * was linked, before it is unlinked, and after its weight changed.
 * Everything but schedule() runs under the namespace's config_lock.
 */
#ifndef _SLUICE_SCHED_H
#define _SLUICE_SCHED_H

#include <linux/list.h>
#include <linux/rcupdate.h>

struct sluice_service;
struct sluice_dest;

struct sluice_sched_ctx {
	const struct sluice_dest *exclude;	/* a real about to go, or NULL */
	u64 seed;				/* the namespace's Maglev seed */
};

struct sluice_scheduler {
	const char *name;
	struct list_head list;
	/* Hash fields when the service does not choose (SLUICE_HASH_*). */
	u32 default_hash;
	/* State for @svc's current reals; @self: this scheduler. */
	struct sluice_sched_state *(*init_service)(const struct sluice_scheduler *self,
						   struct sluice_service *svc,
						   const struct sluice_sched_ctx *ctx);
	void (*done_service)(struct sluice_sched_state *st);
	void *(*prepare)(struct sluice_service *svc, struct sluice_sched_state *st,
			 const struct sluice_sched_ctx *ctx);
	void (*commit)(struct sluice_sched_state *st, void *next);
	void (*abort)(void *next);
	struct sluice_dest *(*schedule)(struct sluice_service *svc,
					struct sluice_sched_state *st, u64 hash);
};

struct sluice_sched_state {
	const struct sluice_scheduler *ops;
	struct rcu_head rcu;
};

int sluice_sched_register(struct sluice_scheduler *s);
void sluice_sched_unregister(struct sluice_scheduler *s);
const struct sluice_scheduler *sluice_sched_get(const char *name);

/* The built-in schedulers: mh (sched_mh.c), rr wrr sh lc wlc (sched_classic.c). */
int sluice_sched_builtin_init(void);
void sluice_sched_builtin_exit(void);

/*
 * A service's available reals as an array (what sched_algo.c takes),
 * published with RCU by the schedulers. extra: bytes the scheduler wants
 * after the array (its own table), at sluice_dest_set_extra().
 */
struct sluice_dest_set {
	struct rcu_head rcu;
	u32 n;
	u32 extra_off;
	struct sluice_sched_dest *sd[];
};

struct sluice_dest_set *sluice_dest_set_build(struct sluice_service *svc,
					      const struct sluice_sched_ctx *ctx,
					      size_t extra);
void sluice_dest_set_free(struct sluice_dest_set *set);
void sluice_dest_set_free_rcu(struct sluice_dest_set *set);

static inline void *sluice_dest_set_extra(struct sluice_dest_set *set)
{
	return (u8 *)set + set->extra_off;
}

#endif /* _SLUICE_SCHED_H */
