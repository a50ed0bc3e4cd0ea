// SPDX-License-Identifier: GPL-2.0
/*
 * The Maglev scheduler "mh" (the default): maglev.c's weighted table over
 * the service's reals, rebuilt off to the side on every change and
 * published together with the array of reals it indexes (one RCU pointer),
 * so a reader never sees a half-built table nor a table whose slots name
 * other reals. The table depends only on the reals (family, address,
 * port, weight), the table size and the namespace's seed: every LB node
 * with the same configuration picks the same real for the same flow.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sluice.h>

#include "maglev.h"
#include "sched_builtin.h"
#include "service.h"

struct mh_table {
	u32 m;
	u32 usable;		/* 0: no real has a weight, no choice */
	u16 slot[];
};

/* A real's identity on every node: family, address, port. */
static void mh_key(const struct sluice_dest *d, u8 key[SLUICE_MH_KEY_LEN])
{
	memset(key, 0, SLUICE_MH_KEY_LEN);
	key[0] = d->af == AF_INET ? 4 : 6;
	memcpy(key + 1, &d->addr, sizeof(d->addr));
	memcpy(key + 1 + sizeof(d->addr), &d->port, sizeof(d->port));
}

static void *mh_prepare(struct sluice_service *svc, struct sluice_sched_state *st,
			const struct sluice_sched_ctx *ctx)
{
	struct sluice_mh_real *reals = NULL;
	struct sluice_dest_set *set;
	struct mh_table *t;
	void *scratch = NULL;
	u32 i, m = svc->mh_size;
	int err = -ENOMEM;

	set = sluice_dest_set_build(svc, ctx, struct_size(t, slot, m));
	if (!set)
		return ERR_PTR(-ENOMEM);
	t = sluice_dest_set_extra(set);
	t->m = m;
	if (!set->n)
		return set;

	reals = kvcalloc(set->n, sizeof(*reals), GFP_KERNEL);
	scratch = kvmalloc(sluice_mh_scratch_size(set->n), GFP_KERNEL);
	if (!reals || !scratch)
		goto err_free;
	for (i = 0; i < set->n; i++) {
		mh_key(sluice_sd_dest(set->sd[i]), reals[i].key);
		reals[i].weight = set->sd[i]->weight;
		reals[i].id = i;
	}
	err = sluice_mh_build(t->slot, m, reals, set->n, ctx->seed, scratch);
	if (err == -ENOENT)		/* every weight is 0: nothing to choose */
		err = 0;
	else if (!err)
		t->usable = 1;
	if (err)
		goto err_free;
	kvfree(scratch);
	kvfree(reals);
	return set;

err_free:
	kvfree(scratch);
	kvfree(reals);
	sluice_dest_set_free(set);
	return ERR_PTR(err);
}

static struct sluice_dest *mh_schedule(struct sluice_service *svc,
				       struct sluice_sched_state *st, u64 hash)
{
	struct sluice_dest_set *set = rcu_dereference(to_set_state(st)->set);
	struct mh_table *t = sluice_dest_set_extra(set);
	struct sluice_sched_dest *sd;
	u32 k, pos;

	if (!t->usable)
		return NULL;
	pos = hash % t->m;
	sd = set->sd[t->slot[pos]];
	if (!READ_ONCE(sd->overloaded))
		return sluice_sd_dest(sd);
	if (!(svc->sched_flags & SLUICE_SCHED_F_FALLBACK))
		return NULL;
	/* As ip_vs_mh's fallback: the next slot whose real is available. */
	for (k = 1; k < t->m; k++) {
		if (++pos == t->m)
			pos = 0;
		sd = set->sd[t->slot[pos]];
		if (!READ_ONCE(sd->overloaded))
			return sluice_sd_dest(sd);
	}
	return NULL;
}

struct sluice_scheduler sluice_sched_mh = {
	.name = "mh",
	.default_hash = SLUICE_HASH_5TUPLE,
	.init_service = sluice_set_init,
	.done_service = sluice_set_done,
	.prepare = mh_prepare,
	.commit = sluice_set_commit,
	.abort = sluice_set_abort,
	.schedule = mh_schedule,
};
