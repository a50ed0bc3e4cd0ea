// SPDX-License-Identifier: GPL-2.0
/*
 * rr, wrr, sh, lc and wlc as plug-ins over sched_algo.c, and the state
 * all built-in schedulers share (sched_builtin.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/slab.h>
#include <linux/sluice.h>

#include "sched_builtin.h"
#include "service.h"

struct sluice_sched_state *sluice_set_init(const struct sluice_scheduler *self,
					   struct sluice_service *svc,
					   const struct sluice_sched_ctx *ctx)
{
	struct sluice_set_state *st;
	void *next;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return NULL;
	spin_lock_init(&st->lock);
	st->last = -1;
	sluice_sched_wrr_reset(&st->wrr);
	st->hdr.ops = self;
	next = self->prepare(svc, &st->hdr, ctx);
	if (IS_ERR(next)) {
		kfree(st);
		return NULL;
	}
	RCU_INIT_POINTER(st->set, next);
	return &st->hdr;
}

static void set_state_free_cb(struct rcu_head *head)
{
	struct sluice_set_state *st = container_of(head, struct sluice_set_state,
						   hdr.rcu);

	kvfree(rcu_dereference_raw(st->set));
	kfree(st);
}

void sluice_set_done(struct sluice_sched_state *st)
{
	call_rcu(&st->rcu, set_state_free_cb);
}

void sluice_set_commit(struct sluice_sched_state *st, void *next)
{
	struct sluice_set_state *s = to_set_state(st);
	struct sluice_dest_set *old;

	old = rcu_replace_pointer(s->set, next, true);
	spin_lock_bh(&s->lock);
	s->last = -1;
	sluice_sched_wrr_reset(&s->wrr);
	spin_unlock_bh(&s->lock);
	sluice_dest_set_free_rcu(old);
}

void sluice_set_abort(void *next)
{
	sluice_dest_set_free(next);
}

static void *plain_prepare(struct sluice_service *svc, struct sluice_sched_state *st,
			   const struct sluice_sched_ctx *ctx)
{
	struct sluice_dest_set *set = sluice_dest_set_build(svc, ctx, 0);

	return set ? set : ERR_PTR(-ENOMEM);
}

static struct sluice_dest *pick(struct sluice_dest_set *set, int i)
{
	return i < 0 ? NULL : sluice_sd_dest(set->sd[i]);
}

static struct sluice_dest *rr_schedule(struct sluice_service *svc,
				       struct sluice_sched_state *st, u64 hash)
{
	struct sluice_set_state *s = to_set_state(st);
	struct sluice_dest_set *set = rcu_dereference(s->set);
	int i;

	spin_lock_bh(&s->lock);
	i = sluice_sched_rr(set->sd, set->n, s->last);
	if (i >= 0)
		s->last = i;
	spin_unlock_bh(&s->lock);
	return pick(set, i);
}

static struct sluice_dest *wrr_schedule(struct sluice_service *svc,
					struct sluice_sched_state *st, u64 hash)
{
	struct sluice_set_state *s = to_set_state(st);
	struct sluice_dest_set *set = rcu_dereference(s->set);
	int i;

	spin_lock_bh(&s->lock);
	i = sluice_sched_wrr(set->sd, set->n, &s->wrr);
	spin_unlock_bh(&s->lock);
	return pick(set, i);
}

static void *sh_prepare(struct sluice_service *svc, struct sluice_sched_state *st,
			const struct sluice_sched_ctx *ctx)
{
	struct sluice_dest_set *set;

	set = sluice_dest_set_build(svc, ctx, SLUICE_SH_BUCKETS * sizeof(s16));
	if (!set)
		return ERR_PTR(-ENOMEM);
	sluice_sched_sh_build(set->sd, set->n, sluice_dest_set_extra(set));
	return set;
}

static struct sluice_dest *sh_schedule(struct sluice_service *svc,
				       struct sluice_sched_state *st, u64 hash)
{
	struct sluice_dest_set *set = rcu_dereference(to_set_state(st)->set);

	return pick(set, sluice_sched_sh(set->sd, set->n, sluice_dest_set_extra(set),
					 (u32)hash,
					 svc->sched_flags & SLUICE_SCHED_F_FALLBACK));
}

static struct sluice_dest *lc_schedule(struct sluice_service *svc,
				       struct sluice_sched_state *st, u64 hash)
{
	struct sluice_dest_set *set = rcu_dereference(to_set_state(st)->set);

	return pick(set, sluice_sched_lc(set->sd, set->n));
}

static struct sluice_dest *wlc_schedule(struct sluice_service *svc,
					struct sluice_sched_state *st, u64 hash)
{
	struct sluice_dest_set *set = rcu_dereference(to_set_state(st)->set);

	return pick(set, sluice_sched_wlc(set->sd, set->n));
}

#define SET_SCHEDULER(_name, _prepare, _schedule, _hash) {	\
	.name = _name,						\
	.default_hash = _hash,					\
	.init_service = sluice_set_init,			\
	.done_service = sluice_set_done,			\
	.prepare = _prepare,					\
	.commit = sluice_set_commit,				\
	.abort = sluice_set_abort,				\
	.schedule = _schedule,					\
}

struct sluice_scheduler sluice_sched_rr_ops =
	SET_SCHEDULER("rr", plain_prepare, rr_schedule, SLUICE_HASH_5TUPLE);
struct sluice_scheduler sluice_sched_wrr_ops =
	SET_SCHEDULER("wrr", plain_prepare, wrr_schedule, SLUICE_HASH_5TUPLE);
struct sluice_scheduler sluice_sched_sh_ops =
	SET_SCHEDULER("sh", sh_prepare, sh_schedule, SLUICE_HASH_SRC_ADDR);
struct sluice_scheduler sluice_sched_lc_ops =
	SET_SCHEDULER("lc", plain_prepare, lc_schedule, SLUICE_HASH_5TUPLE);
struct sluice_scheduler sluice_sched_wlc_ops =
	SET_SCHEDULER("wlc", plain_prepare, wlc_schedule, SLUICE_HASH_5TUPLE);

static struct sluice_scheduler *builtin[] = {
	&sluice_sched_mh, &sluice_sched_rr_ops, &sluice_sched_wrr_ops,
	&sluice_sched_sh_ops, &sluice_sched_lc_ops, &sluice_sched_wlc_ops,
};

int sluice_sched_builtin_init(void)
{
	int i, err;

	for (i = 0; i < ARRAY_SIZE(builtin); i++) {
		err = sluice_sched_register(builtin[i]);
		if (err)
			goto err_unwind;
	}
	return 0;

err_unwind:
	while (--i >= 0)
		sluice_sched_unregister(builtin[i]);
	return err;
}

void sluice_sched_builtin_exit(void)
{
	int i;

	for (i = ARRAY_SIZE(builtin) - 1; i >= 0; i--)
		sluice_sched_unregister(builtin[i]);
}
