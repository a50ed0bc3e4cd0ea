// SPDX-License-Identifier: GPL-2.0
/*
 * Services and reals of a namespace (see service.h): the tables, and every
 * change to them done so that a failure leaves things exactly as they were
 * (whatever can fail, such as a scheduler's new table, is built before
 * anything visible changes).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "maglev.h"
#include "maps.h"
#include "route.h"
#include "sched.h"
#include "service.h"

/*
 * The VIPs: one entry per (family, address) any service has, counted by
 * services, so the data path can tell "a VIP, but no such service" (drop)
 * from "not a VIP" (not ours).
 */
struct sluice_vip_ent {
	struct rhash_head hnode;
	struct sluice_addr_key key;
	u32 services;			/* under config_lock */
	struct rcu_head rcu;
};

/* A real's key in sn->dest_ht: its service, family, address and port. */
struct dest_key {
	const struct sluice_service *svc;
	const union nf_inet_addr *addr;
	u16 af;
	__be16 port;
};

static u32 dest_hash(const struct sluice_service *svc, const union nf_inet_addr *addr,
		     u16 af, __be16 port, u32 seed)
{
	u64 p = (unsigned long)svc;

	return jhash2(addr->all, ARRAY_SIZE(addr->all),
		      jhash_3words((u32)p, (u32)(p >> 32), (u32)af << 16 | (__force u16)port,
				   seed));
}

static u32 dest_key_hash(const void *data, u32 len, u32 seed)
{
	const struct dest_key *k = data;

	return dest_hash(k->svc, k->addr, k->af, k->port, seed);
}

static u32 dest_obj_hash(const void *data, u32 len, u32 seed)
{
	const struct sluice_dest *d = data;

	return dest_hash(d->svc, &d->addr, d->af, d->port, seed);
}

static int dest_obj_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct dest_key *k = arg->key;
	const struct sluice_dest *d = obj;

	return !(d->svc == k->svc && d->af == k->af && d->port == k->port &&
		 !memcmp(&d->addr, k->addr, sizeof(d->addr)));
}

/*
 * Services, VIPs and reals in hash tables that double past 75 % load and
 * halve below 30 % (the kernel's rhashtable): a lookup costs the same with
 * ten services or a hundred thousand, with three reals or 65,535.
 */
static const struct rhashtable_params svc_params = {
	.key_len = sizeof(struct sluice_svc_id),
	.key_offset = offsetof(struct sluice_service, key),
	.head_offset = offsetof(struct sluice_service, hnode),
	.automatic_shrinking = true,
};

static const struct rhashtable_params vip_params = {
	.key_len = sizeof(struct sluice_addr_key),
	.key_offset = offsetof(struct sluice_vip_ent, key),
	.head_offset = offsetof(struct sluice_vip_ent, hnode),
	.automatic_shrinking = true,
};

static const struct rhashtable_params ep_params = {
	.key_len = sizeof(struct sluice_addr_key),
	.key_offset = offsetof(struct sluice_ep, key),
	.head_offset = offsetof(struct sluice_ep, hnode),
	.automatic_shrinking = true,
};

static const struct rhashtable_params dest_params = {
	.key_len = sizeof(struct dest_key),
	.head_offset = offsetof(struct sluice_dest, hnode),
	.hashfn = dest_key_hash,
	.obj_hashfn = dest_obj_hash,
	.obj_cmpfn = dest_obj_cmp,
	.automatic_shrinking = true,
};

void sluice_config_defaults(struct sluice_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_tcp = SLUICE_TIMEOUT_TCP_DEFAULT;
	cfg->timeout_tcp_fin = SLUICE_TIMEOUT_TCP_FIN_DEFAULT;
	cfg->timeout_udp = SLUICE_TIMEOUT_UDP_DEFAULT;
	cfg->conn_max = SLUICE_CONN_MAX_DEFAULT;
	cfg->tun_src4_plen = 32;
	cfg->tun_src6_plen = 128;
}

int sluice_net_state_init(struct sluice_net *sn, struct net *net)
{
	int err;

	sn->net = net;
	mutex_init(&sn->config_lock);
	sluice_config_defaults(&sn->cfg);
	INIT_LIST_HEAD(&sn->svc_list);
	xa_init_flags(&sn->ep_slots, XA_FLAGS_ALLOC | XA_FLAGS_LOCK_IRQ);
	spin_lock_init(&sn->ep_lock);
	/*
	 * The fast path's flows outlive a module (their map is pinned): a
	 * module loaded again must not give a slot a generation an old flow
	 * of another real still carries (fastpath.c).
	 */
	sn->fp_gen = get_random_u32();
	err = rhashtable_init(&sn->svc_ht, &svc_params);
	if (err)
		goto err_out;
	err = rhashtable_init(&sn->vip_ht, &vip_params);
	if (err)
		goto err_svc;
	err = rhashtable_init(&sn->dest_ht, &dest_params);
	if (err)
		goto err_vip;
	err = rhltable_init(&sn->ep_ht, &ep_params);
	if (err)
		goto err_dest;
	WRITE_ONCE(sn->ep_ready, true);
	return 0;

err_dest:
	rhashtable_destroy(&sn->dest_ht);
err_vip:
	rhashtable_destroy(&sn->vip_ht);
err_svc:
	rhashtable_destroy(&sn->svc_ht);
err_out:
	mutex_destroy(&sn->config_lock);
	return err;
}

void sluice_net_state_flush(struct sluice_net *sn)
{
	mutex_lock(&sn->config_lock);
	sluice_svc_flush(sn);
	mutex_unlock(&sn->config_lock);
}

void sluice_rcu_rounds(void)
{
	int i;

	for (i = 0; i < SLUICE_RCU_ROUNDS; i++)
		rcu_barrier();
}

void sluice_net_state_exit(struct sluice_net *sn)
{
	sluice_net_state_flush(sn);
	sluice_rcu_rounds();
	sluice_net_state_free(sn);
}

/* After sluice_net_state_flush() and its callbacks (endpoints write the maps). */
void sluice_net_state_free(struct sluice_net *sn)
{
	sluice_maps_release(sn);
	WRITE_ONCE(sn->ep_ready, false);
	xa_destroy(&sn->ep_slots);
	/*
	 * Empty: the services, their reals and VIPs went by sluice_svc_flush(),
	 * the endpoints with the reals.
	 */
	rhltable_destroy(&sn->ep_ht);
	rhashtable_destroy(&sn->dest_ht);
	rhashtable_destroy(&sn->vip_ht);
	rhashtable_destroy(&sn->svc_ht);
	mutex_destroy(&sn->config_lock);
}

static struct sluice_sched_state *sched_state(struct sluice_service *svc)
{
	return rcu_dereference_protected(svc->sched,
					 lockdep_is_held(&svc->sn->config_lock));
}

static struct sluice_sched_ctx sched_ctx(struct sluice_service *svc,
					 const struct sluice_dest *exclude)
{
	return (struct sluice_sched_ctx){ .exclude = exclude,
					  .seed = svc->sn->cfg.mh_seed };
}

struct sluice_service *sluice_svc_lookup_rcu(struct sluice_net *sn,
					     const struct sluice_svc_id *key)
{
	return rhashtable_lookup(&sn->svc_ht, key, svc_params);
}

struct sluice_service *sluice_svc_find(struct sluice_net *sn,
				       const struct sluice_svc_id *key)
{
	lockdep_assert_held(&sn->config_lock);
	return rhashtable_lookup_fast(&sn->svc_ht, key, svc_params);
}

struct sluice_dest *sluice_dest_find(struct sluice_service *svc,
				     const struct sluice_dest_conf *dc)
{
	struct dest_key k = { .svc = svc, .addr = &dc->addr, .af = dc->af, .port = dc->port };

	lockdep_assert_held(&svc->sn->config_lock);
	return rhashtable_lookup_fast(&svc->sn->dest_ht, &k, dest_params);
}

struct sluice_dest *sluice_svc_schedule(struct sluice_service *svc, u64 hash)
{
	struct sluice_sched_state *st = rcu_dereference(svc->sched);

	return st->ops->schedule(svc, st, hash);
}

bool sluice_is_vip_rcu(struct sluice_net *sn, u16 af, const union nf_inet_addr *addr)
{
	struct sluice_addr_key k = { .addr = *addr, .af = af };

	return rhashtable_lookup(&sn->vip_ht, &k, vip_params);
}

/* A service with @key's address exists from now on; fwmark ones have none. */
static int vip_get(struct sluice_net *sn, const struct sluice_svc_id *key)
{
	struct sluice_addr_key k = { .addr = key->addr, .af = key->af };
	struct sluice_vip_ent *v;
	int err;

	if (key->fwmark)
		return 0;
	v = rhashtable_lookup_fast(&sn->vip_ht, &k, vip_params);
	if (!v) {
		v = kzalloc(sizeof(*v), GFP_KERNEL);
		if (!v)
			return -ENOMEM;
		v->key = k;
		err = rhashtable_insert_fast(&sn->vip_ht, &v->hnode, vip_params);
		if (err) {
			kfree(v);
			return err;
		}
	}
	v->services++;
	return 0;
}

static void vip_put(struct sluice_net *sn, const struct sluice_svc_id *key)
{
	struct sluice_addr_key k = { .addr = key->addr, .af = key->af };
	struct sluice_vip_ent *v;

	if (key->fwmark)
		return;
	v = rhashtable_lookup_fast(&sn->vip_ht, &k, vip_params);
	if (v && !--v->services) {
		rhashtable_remove_fast(&sn->vip_ht, &v->hnode, vip_params);
		kfree_rcu(v, rcu);
	}
}

static void svc_free_cb(struct rcu_head *head)
{
	struct sluice_service *svc = container_of(head, struct sluice_service, rcu);

	sluice_stats_free(&svc->stats);
	kfree(svc);
}

static void svc_put(struct sluice_service *svc)
{
	if (refcount_dec_and_test(&svc->refcnt))
		call_rcu(&svc->rcu, svc_free_cb);
}

struct sluice_ep *sluice_ep_lookup_rcu(struct sluice_net *sn, u32 slot)
{
	/* A reserved slot (being set up or given up) reads as NULL. */
	return xa_load(&sn->ep_slots, slot);
}

/*
 * The endpoint for @af/@addr with a reference; config_lock held. Its slot
 * is reserved first and given the endpoint once the tc program's map has
 * it, so a probe never names an endpoint the tc program does not know.
 */
static struct sluice_ep *ep_get(struct sluice_net *sn, u16 af,
				const union nf_inet_addr *addr)
{
	struct sluice_addr_key k = { .addr = *addr, .af = af };
	struct rhlist_head *list, *pos;
	struct sluice_ep *ep;
	unsigned long flags;
	int err;

	lockdep_assert_held(&sn->config_lock);
	rcu_read_lock();
	list = rhltable_lookup(&sn->ep_ht, &k, ep_params);
	rhl_for_each_entry_rcu(ep, pos, list, hnode) {
		/* One at zero is on its way out: a new one takes its place. */
		if (refcount_inc_not_zero(&ep->refcnt)) {
			rcu_read_unlock();
			return ep;
		}
	}
	rcu_read_unlock();

	/* Only config_lock holders insert, so nobody adds this one meanwhile. */
	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return ERR_PTR(-ENOMEM);
	/* The lowest free slot, reserved (NULL) for now. */
	err = xa_alloc_irq(&sn->ep_slots, &ep->slot, NULL,
			   XA_LIMIT(0, SLUICE_MAX_REALS - 1), GFP_KERNEL);
	if (err) {
		kfree(ep);
		return ERR_PTR(err == -EBUSY ? -E2BIG : err);
	}
	ep->key = k;
	ep->sn = sn;
	refcount_set(&ep->refcnt, 1);
	err = rhltable_insert(&sn->ep_ht, &ep->hnode, ep_params);
	if (err) {
		xa_erase_irq(&sn->ep_slots, ep->slot);
		kfree(ep);
		return ERR_PTR(err);
	}
	spin_lock_irqsave(&sn->ep_lock, flags);
	sluice_fp_bump(sn, ep);
	/* Into its reserved slot: nothing to allocate, cannot fail. */
	xa_lock(&sn->ep_slots);
	__xa_store(&sn->ep_slots, ep->slot, ep, 0);
	xa_unlock(&sn->ep_slots);
	spin_unlock_irqrestore(&sn->ep_lock, flags);
	return ep;
}

/*
 * A grace period after the endpoint left its slot: no packet can be
 * marked with the slot any more (the data path reaches an endpoint only
 * through a real or the slot, under RCU), so it may go to another address.
 */
static void ep_free_rcu(struct rcu_head *head)
{
	struct sluice_ep *ep = container_of(head, struct sluice_ep, rcu);
	unsigned long flags;

	xa_lock_irqsave(&ep->sn->ep_slots, flags);
	__xa_erase(&ep->sn->ep_slots, ep->slot);
	xa_unlock_irqrestore(&ep->sn->ep_slots, flags);
	sluice_route_ep_free(ep);
	kfree(ep);
}

/* Process context or an RCU callback (reals are freed from those). */
static void ep_put(struct sluice_net *sn, struct sluice_ep *ep)
{
	unsigned long flags;

	if (!refcount_dec_and_lock_irqsave(&ep->refcnt, &sn->ep_lock, &flags))
		return;
	/* Cleared before the slot can go to another address. */
	sluice_maps_ep_write(sn, ep, false);
	/*
	 * Probes and the notifiers find it no more; the slot stays reserved
	 * until it is freed.
	 */
	xa_lock(&sn->ep_slots);
	__xa_store(&sn->ep_slots, ep->slot, NULL, 0);
	xa_unlock(&sn->ep_slots);
	spin_unlock_irqrestore(&sn->ep_lock, flags);
	/* Not under ep_lock (IRQs off): the table's bucket locks turn BHs off and on. */
	rhltable_remove(&sn->ep_ht, &ep->hnode, ep_params);
	call_rcu(&ep->rcu, ep_free_rcu);
}

static void dest_free(struct sluice_dest *dest)
{
	ep_put(dest->svc->sn, dest->ep);
	sluice_stats_free(&dest->stats);
	svc_put(dest->svc);
	kfree(dest);
}

static void dest_free_cb(struct rcu_head *head)
{
	dest_free(container_of(head, struct sluice_dest, rcu));
}

void sluice_dest_put(struct sluice_dest *dest)
{
	if (refcount_dec_and_test(&dest->refcnt))
		call_rcu(&dest->rcu, dest_free_cb);
}

/* Apply the settings @c carries (all of them for a new service). */
static void svc_apply(struct sluice_service *svc, const struct sluice_svc_conf *c,
		      const struct sluice_scheduler *ops)
{
	if (c->present & SVC_HAS(SLUICE_SVC_A_SCHED_FLAGS))
		WRITE_ONCE(svc->sched_flags, c->sched_flags);
	if (c->present & SVC_HAS(SLUICE_SVC_A_FLAGS))
		WRITE_ONCE(svc->flags, c->flags);
	if (c->present & SVC_HAS(SLUICE_SVC_A_TIMEOUT))
		WRITE_ONCE(svc->timeout, c->timeout);
	if (c->present & SVC_HAS(SLUICE_SVC_A_PERSIST_PLEN))
		WRITE_ONCE(svc->persist_plen, c->persist_plen);
	if (c->present & SVC_HAS(SLUICE_SVC_A_MH_SIZE))
		svc->mh_size = c->mh_size;
	if (c->present & SVC_HAS(SLUICE_SVC_A_HASH_FIELDS)) {
		WRITE_ONCE(svc->hash_fields, c->hash_fields);
		svc->hash_fields_set = true;
	} else if (!svc->hash_fields_set) {
		WRITE_ONCE(svc->hash_fields, ops->default_hash);
	}
}

/*
 * The netfilter hooks follow the services, as IPVS's do: a namespace
 * without any costs its packets nothing. The first service ever also
 * starts the connection table and the estimator, which stay until the
 * namespace goes. A private table (KUnit's) is not its namespace's, and
 * gets none of them. config_lock held; may sleep.
 */
static int hooks_need(struct sluice_net *sn, struct netlink_ext_ack *extack)
{
	int err;

	if (sn->hooks_on || !sn->own_hooks)
		return 0;
	if (!sn->active) {
		err = sluice_conn_start(sn);
		if (err) {
			NL_SET_ERR_MSG(extack, "no memory for the connection table");
			return err;
		}
		sluice_est_start(sn);
		sn->active = true;
	}
	err = sluice_hooks_register(sn->net);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the netfilter hooks");
		return err;
	}
	sn->hooks_on = true;
	return 0;
}

static void hooks_unneeded(struct sluice_net *sn)
{
	if (sn->nsvc || !sn->hooks_on)
		return;
	sluice_hooks_unregister(sn->net);
	sn->hooks_on = false;
}

int sluice_svc_add(struct sluice_net *sn, const struct sluice_svc_conf *c,
		   struct netlink_ext_ack *extack)
{
	const struct sluice_scheduler *ops;
	struct sluice_service *svc;
	struct sluice_sched_state *st;
	struct sluice_sched_ctx ctx;
	int err;

	lockdep_assert_held(&sn->config_lock);
	if (sluice_svc_find(sn, &c->key)) {
		NL_SET_ERR_MSG(extack, "service already exists");
		return -EEXIST;
	}
	ops = sluice_sched_get(c->sched_name[0] ? c->sched_name : SLUICE_SCHED_DEFAULT);
	if (!ops) {
		NL_SET_ERR_MSG(extack, "unknown scheduler");
		return -ENOENT;
	}
	err = hooks_need(sn, extack);
	if (err)
		return err;

	err = -ENOMEM;
	svc = kzalloc(sizeof(*svc), GFP_KERNEL);
	if (!svc)
		goto err_out;
	if (sluice_stats_init(&svc->stats))
		goto err_free;
	svc->key = c->key;
	svc->sn = sn;
	svc->mh_size = SLUICE_MH_SIZE_DEFAULT;
	svc->persist_plen = c->key.af == AF_INET ? 32 : 128;
	INIT_LIST_HEAD(&svc->dests);
	refcount_set(&svc->refcnt, 1);
	svc_apply(svc, c, ops);

	ctx = sched_ctx(svc, NULL);
	st = ops->init_service(ops, svc, &ctx);
	if (!st)
		goto err_stats;
	RCU_INIT_POINTER(svc->sched, st);
	if (vip_get(sn, &svc->key)) {
		st->ops->done_service(st);
		goto err_stats;
	}

	err = rhashtable_insert_fast(&sn->svc_ht, &svc->hnode, svc_params);
	if (err) {
		vip_put(sn, &svc->key);
		st->ops->done_service(st);
		goto err_stats;
	}
	list_add_tail(&svc->list, &sn->svc_list);
	sn->nsvc++;
	sn->gen++;
	return 0;

err_stats:
	sluice_stats_free(&svc->stats);
err_free:
	kfree(svc);
err_out:
	NL_SET_ERR_MSG(extack, "out of memory for the service");
	hooks_unneeded(sn);
	return err;
}

/* The service's settings that an edit may change, to undo a failed one. */
struct svc_settings {
	u32 sched_flags, flags, timeout, hash_fields, mh_size;
	u8 persist_plen;
	bool hash_fields_set;
};

static void settings_save(const struct sluice_service *svc, struct svc_settings *s)
{
	*s = (struct svc_settings){
		.sched_flags = svc->sched_flags, .flags = svc->flags,
		.timeout = svc->timeout, .hash_fields = svc->hash_fields,
		.mh_size = svc->mh_size, .persist_plen = svc->persist_plen,
		.hash_fields_set = svc->hash_fields_set,
	};
}

static void settings_restore(struct sluice_service *svc, const struct svc_settings *s)
{
	WRITE_ONCE(svc->sched_flags, s->sched_flags);
	WRITE_ONCE(svc->flags, s->flags);
	WRITE_ONCE(svc->timeout, s->timeout);
	WRITE_ONCE(svc->hash_fields, s->hash_fields);
	WRITE_ONCE(svc->persist_plen, s->persist_plen);
	svc->mh_size = s->mh_size;
	svc->hash_fields_set = s->hash_fields_set;
}

int sluice_svc_edit(struct sluice_service *svc, const struct sluice_svc_conf *c,
		    struct netlink_ext_ack *extack)
{
	struct sluice_sched_state *st = sched_state(svc), *nst = NULL;
	const struct sluice_scheduler *ops = st->ops;
	struct sluice_sched_ctx ctx = sched_ctx(svc, NULL);
	struct svc_settings old;
	void *next = NULL;

	if (c->present & SVC_HAS(SLUICE_SVC_A_SCHED_NAME)) {
		ops = sluice_sched_get(c->sched_name);
		if (!ops) {
			NL_SET_ERR_MSG(extack, "unknown scheduler");
			return -ENOENT;
		}
	}
	settings_save(svc, &old);
	svc_apply(svc, c, ops);

	if (ops != st->ops) {
		nst = ops->init_service(ops, svc, &ctx);
		if (!nst)
			goto err_nomem;
	} else if (svc->mh_size != old.mh_size) {
		next = ops->prepare(svc, st, &ctx);
		if (IS_ERR(next))
			goto err_nomem;
	}

	if (nst) {
		rcu_assign_pointer(svc->sched, nst);
		st->ops->done_service(st);
	} else if (next) {
		ops->commit(st, next);
	}
	svc->sn->gen++;
	return 0;

err_nomem:
	settings_restore(svc, &old);
	NL_SET_ERR_MSG(extack, "out of memory for the scheduler's state");
	return -ENOMEM;
}

static void dest_unlink(struct sluice_dest *dest)
{
	WRITE_ONCE(dest->gone, true);
	/* Flows the fast path carries to it come back to the slow path. */
	sluice_fp_dest_gone(dest->svc->sn, dest->ep);
	rhashtable_remove_fast(&dest->svc->sn->dest_ht, &dest->hnode, dest_params);
	list_del(&dest->list);
	dest->svc->ndests--;
	sluice_dest_put(dest);
}

void sluice_svc_del(struct sluice_service *svc)
{
	struct sluice_net *sn = svc->sn;
	struct sluice_sched_state *st = sched_state(svc);
	struct sluice_dest *dest, *tmp;

	rhashtable_remove_fast(&sn->svc_ht, &svc->hnode, svc_params);
	list_del(&svc->list);
	vip_put(sn, &svc->key);
	sn->nsvc--;
	sn->gen++;
	/*
	 * A reader that found the service before it was unlinked may still
	 * use svc->sched and the reals: both are freed after a grace period.
	 */
	st->ops->done_service(st);
	list_for_each_entry_safe(dest, tmp, &svc->dests, list)
		dest_unlink(dest);
	svc_put(svc);
	hooks_unneeded(sn);
}

void sluice_svc_flush(struct sluice_net *sn)
{
	struct sluice_service *svc, *tmp;

	lockdep_assert_held(&sn->config_lock);
	list_for_each_entry_safe(svc, tmp, &sn->svc_list, list)
		sluice_svc_del(svc);
}

void sluice_svc_zero(struct sluice_service *svc)
{
	struct sluice_dest *dest;

	sluice_stats_zero(&svc->stats);
	list_for_each_entry(dest, &svc->dests, list)
		sluice_stats_zero(&dest->stats);
}

static void dest_apply(struct sluice_dest *dest, const struct sluice_dest_conf *dc)
{
	if (dc->present & SVC_HAS(SLUICE_DEST_A_FWD_METHOD))
		WRITE_ONCE(dest->fwd, dc->fwd);
	if (dc->present & SVC_HAS(SLUICE_DEST_A_WEIGHT))
		WRITE_ONCE(dest->sd.weight, dc->weight);
	if (dc->present & SVC_HAS(SLUICE_DEST_A_U_THRESH))
		WRITE_ONCE(dest->sd.u_threshold, dc->u_thresh);
	if (dc->present & SVC_HAS(SLUICE_DEST_A_L_THRESH))
		WRITE_ONCE(dest->sd.l_threshold, dc->l_thresh);
	sluice_sched_update_overload(&dest->sd);
}

int sluice_dest_add(struct sluice_service *svc, const struct sluice_dest_conf *dc,
		    struct netlink_ext_ack *extack)
{
	struct sluice_sched_state *st = sched_state(svc);
	struct sluice_net *sn = svc->sn;
	struct sluice_sched_ctx ctx = sched_ctx(svc, NULL);
	struct sluice_dest *dest;
	struct sluice_ep *ep;
	void *next;

	if (sluice_dest_find(svc, dc)) {
		NL_SET_ERR_MSG(extack, "the service already has this real");
		return -EEXIST;
	}
	if (svc->ndests >= SLUICE_MH_MAX_REALS) {
		NL_SET_ERR_MSG(extack, "the service has the most reals it can have");
		return -E2BIG;
	}
	ep = ep_get(sn, dc->af, &dc->addr);
	if (IS_ERR(ep)) {
		if (PTR_ERR(ep) == -E2BIG)
			NL_SET_ERR_MSG(extack, "every tunnel endpoint slot is in use");
		else
			NL_SET_ERR_MSG(extack, "out of memory for the real");
		return PTR_ERR(ep);
	}
	dest = kzalloc(sizeof(*dest), GFP_KERNEL);
	if (!dest)
		goto err_ep;
	if (sluice_stats_init(&dest->stats))
		goto err_free;
	dest->svc = svc;
	dest->addr = dc->addr;
	dest->af = dc->af;
	dest->port = dc->port;
	dest->fwd = SLUICE_FWD_TUNNEL;
	dest->sd.weight = 1;
	dest->ep = ep;
	refcount_set(&dest->refcnt, 1);
	dest_apply(dest, dc);
	if (rhashtable_insert_fast(&sn->dest_ht, &dest->hnode, dest_params))
		goto err_stats;

	list_add_tail(&dest->list, &svc->dests);
	svc->ndests++;
	next = st->ops->prepare(svc, st, &ctx);
	if (IS_ERR(next))
		goto err_unlink;
	refcount_inc(&svc->refcnt);
	st->ops->commit(st, next);
	sn->gen++;
	return 0;

err_unlink:
	/* Never published: nobody but us has seen it. */
	list_del(&dest->list);
	svc->ndests--;
	rhashtable_remove_fast(&sn->dest_ht, &dest->hnode, dest_params);
err_stats:
	sluice_stats_free(&dest->stats);
err_free:
	kfree(dest);
err_ep:
	ep_put(sn, ep);
	NL_SET_ERR_MSG(extack, "out of memory for the real");
	return -ENOMEM;
}

int sluice_dest_edit(struct sluice_dest *dest, const struct sluice_dest_conf *dc,
		     struct netlink_ext_ack *extack)
{
	struct sluice_service *svc = dest->svc;
	struct sluice_sched_state *st = sched_state(svc);
	struct sluice_sched_ctx ctx = sched_ctx(svc, NULL);
	struct sluice_dest_conf old = {
		.fwd = dest->fwd, .weight = dest->sd.weight,
		.u_thresh = dest->sd.u_threshold, .l_thresh = dest->sd.l_threshold,
		.present = dc->present,
	};
	void *next;

	dest_apply(dest, dc);
	next = st->ops->prepare(svc, st, &ctx);
	if (IS_ERR(next)) {
		dest_apply(dest, &old);
		NL_SET_ERR_MSG(extack, "out of memory for the scheduler's state");
		return PTR_ERR(next);
	}
	st->ops->commit(st, next);
	svc->sn->gen++;
	return 0;
}

int sluice_dest_del(struct sluice_dest *dest, struct netlink_ext_ack *extack)
{
	struct sluice_service *svc = dest->svc;
	struct sluice_sched_state *st = sched_state(svc);
	struct sluice_sched_ctx ctx = sched_ctx(svc, dest);
	void *next;

	next = st->ops->prepare(svc, st, &ctx);
	if (IS_ERR(next)) {
		NL_SET_ERR_MSG(extack, "out of memory for the scheduler's state");
		return PTR_ERR(next);
	}
	st->ops->commit(st, next);
	dest_unlink(dest);
	svc->sn->gen++;
	return 0;
}

int sluice_config_set(struct sluice_net *sn, const struct sluice_config *cfg,
		      struct netlink_ext_ack *extack)
{
	struct sluice_sched_ctx ctx = { .seed = cfg->mh_seed };
	struct sluice_service *svc;
	void **next = NULL;
	u32 i = 0, k;

	lockdep_assert_held(&sn->config_lock);
	if (cfg->mh_seed == sn->cfg.mh_seed || !sn->nsvc)
		goto apply;

	/* A new seed: every service's table, all built before any is used. */
	next = kvmalloc_array(sn->nsvc, sizeof(*next), GFP_KERNEL);
	if (!next)
		goto err_nomem;
	list_for_each_entry(svc, &sn->svc_list, list) {
		struct sluice_sched_state *st = sched_state(svc);

		next[i] = st->ops->prepare(svc, st, &ctx);
		if (IS_ERR(next[i]))
			goto err_abort;
		i++;
	}
	i = 0;
	list_for_each_entry(svc, &sn->svc_list, list) {
		struct sluice_sched_state *st = sched_state(svc);

		st->ops->commit(st, next[i++]);
	}
	kvfree(next);
apply:
	sn->cfg = *cfg;
	sn->gen++;
	sluice_maps_cfg_write(sn);
	return 0;

err_abort:
	/* next[0 .. i - 1] were built, by the first i services; none is used. */
	k = 0;
	list_for_each_entry(svc, &sn->svc_list, list) {
		if (k == i)
			break;
		sched_state(svc)->ops->abort(next[k++]);
	}
	kvfree(next);
err_nomem:
	NL_SET_ERR_MSG(extack, "out of memory for the Maglev tables");
	return -ENOMEM;
}
