// SPDX-License-Identifier: GPL-2.0
/* The connection table (see conn.h). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/tcp.h>

#include "conn.h"
#include "service.h"

/*
 * The timer wheels (conn.h): one slot per second, WHEEL_SLOTS seconds
 * ahead; the worker runs every second and frees or queues again at most
 * WHEEL_BATCH entries per hold of a wheel's lock (a CPU's packets wait at
 * most that long for it).
 */
#define WHEEL_SLOTS	256
#define WHEEL_BATCH	32
#define EVICT_ENTRIES	16
#define EVICT_BUCKETS	64
#define GC_INTERVAL	HZ
#define TABLE_MIN	256	/* buckets */

struct sluice_conn_wheel {
	spinlock_t lock;	/* the slots, done; and the entries' wheel links */
	unsigned long done;	/* the next second the worker looks at */
	struct list_head slot[WHEEL_SLOTS];
};

static const struct rhashtable_params conn_params = {
	.key_len = sizeof(struct sluice_conn_key),
	.key_offset = offsetof(struct sluice_conn, key),
	.head_offset = offsetof(struct sluice_conn, node),
	.min_size = TABLE_MIN,
	.automatic_shrinking = true,
};

static struct kmem_cache *conn_cache __read_mostly;

int sluice_conn_module_init(void)
{
	/* #17: an entry stays within two cache lines (IPVS's: 288 bytes). */
	BUILD_BUG_ON(sizeof(struct sluice_conn) > 128);
	conn_cache = KMEM_CACHE(sluice_conn, 0);
	return conn_cache ? 0 : -ENOMEM;
}

void sluice_conn_module_exit(void)
{
	kmem_cache_destroy(conn_cache);
}

/* The real's count an entry in @state is part of. */
static atomic_t *counter_of(struct sluice_dest *d, u8 state)
{
	if (state == SLUICE_CS_TEMPLATE)
		return &d->persistconns;
	return state == SLUICE_CS_EST ? &d->sd.activeconns : &d->sd.inactconns;
}

/* Move the real's counts from state @from to @to (-1: none). */
static void account(struct sluice_dest *d, int from, int to)
{
	if (from >= 0)
		atomic_dec(counter_of(d, from));
	if (to >= 0)
		atomic_inc(counter_of(d, to));
	sluice_sched_update_overload(&d->sd);
}

static void conn_free_cb(struct rcu_head *head)
{
	struct sluice_conn *c = container_of(head, struct sluice_conn, rcu);

	sluice_dest_put(c->dest);
	kmem_cache_free(conn_cache, c);
}

static bool expired(const struct sluice_conn *c)
{
	return time_after_eq(jiffies, READ_ONCE(c->expires));
}

/* Off the hash table (by this caller): its counts go back, freed after RCU. */
static void conn_release(struct sluice_conn *c)
{
	/* After this, sluice_conn_update() makes no transition on it. */
	account(c->dest, xchg(&c->state, SLUICE_CS_DEAD), -1);
	call_rcu(&c->rcu, conn_free_cb);
}

/*
 * Wheel lock held: take @c off the hash table and free it, unless another
 * CPU took it off first (which then waits for this lock to unlink it).
 */
static bool conn_reap(struct sluice_conn_table *t, struct sluice_conn *c)
{
	if (rhashtable_remove_fast(&t->ht, &c->node, conn_params))
		return false;
	list_del_init(&c->wheel);
	conn_release(c);
	return true;
}

static bool conn_unlink(struct sluice_conn_table *t, struct sluice_conn *c)
{
	struct sluice_conn_wheel *w = per_cpu_ptr(t->wheels, c->cpu);

	if (rhashtable_remove_fast(&t->ht, &c->node, conn_params))
		return false;
	spin_lock_bh(&w->lock);
	list_del_init(&c->wheel);
	spin_unlock_bh(&w->lock);
	conn_release(c);
	return true;
}

/* Wheel lock held: @c into the slot of the second it is due. */
static void wheel_queue(struct sluice_conn_wheel *w, struct sluice_conn *c)
{
	unsigned long due = DIV_ROUND_UP(READ_ONCE(c->expires), HZ);

	/* Never the slot the worker may be in, nor past the last. */
	due = clamp(due, w->done + 1, w->done + WHEEL_SLOTS - 1);
	list_add_tail(&c->wheel, &w->slot[due % WHEEL_SLOTS]);
}

static unsigned long timeout_of(struct sluice_net *sn, u8 state)
{
	const struct sluice_config *cfg = &sn->cfg;
	u32 s;

	switch (state) {
	case SLUICE_CS_EST:
		s = READ_ONCE(cfg->timeout_tcp);
		break;
	case SLUICE_CS_UDP:
		s = READ_ONCE(cfg->timeout_udp);
		break;
	default:
		s = READ_ONCE(cfg->timeout_tcp_fin);
		break;
	}
	return (unsigned long)s * HZ;
}

/*
 * The slots of @w that came due: expired entries are freed, the others
 * (a packet moved their deadline) queued at their new second.
 */
static void wheel_run(struct sluice_conn_table *t, struct sluice_conn_wheel *w)
{
	unsigned long now = jiffies / HZ;
	struct list_head *slot;
	struct sluice_conn *c;
	bool more = true;
	int n;

	while (more) {
		spin_lock_bh(&w->lock);
		for (n = 0; n < WHEEL_BATCH; n++) {
			if (time_after(w->done, now)) {
				more = false;
				break;
			}
			slot = &w->slot[w->done % WHEEL_SLOTS];
			if (list_empty(slot)) {
				w->done++;
				continue;
			}
			c = list_first_entry(slot, struct sluice_conn, wheel);
			list_del_init(&c->wheel);
			if (!expired(c) || !conn_reap(t, c))
				/* Renewed; or being removed: its remover unlinks it. */
				wheel_queue(w, c);
		}
		spin_unlock_bh(&w->lock);
		cond_resched();
	}
}

static void gc_work(struct work_struct *work)
{
	struct sluice_conn_table *t = container_of(to_delayed_work(work),
						   struct sluice_conn_table, gc);
	int cpu;

	for_each_possible_cpu(cpu)
		wheel_run(t, per_cpu_ptr(t->wheels, cpu));
	queue_delayed_work(system_power_efficient_wq, &t->gc, GC_INTERVAL);
}

void sluice_conn_init(struct sluice_net *sn)
{
	struct sluice_conn_table *t = &sn->conns;

	t->wheels = NULL;
	atomic64_set(&t->evicted, 0);
	atomic64_set(&t->stateless, 0);
	INIT_DELAYED_WORK(&t->gc, gc_work);
}

int sluice_conn_start(struct sluice_net *sn)
{
	struct sluice_conn_table *t = &sn->conns;
	struct sluice_conn_wheel __percpu *wheels;
	struct sluice_conn_wheel *w;
	int cpu, i, err;

	lockdep_assert_held(&sn->config_lock);
	wheels = alloc_percpu(struct sluice_conn_wheel);
	if (!wheels)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		w = per_cpu_ptr(wheels, cpu);
		spin_lock_init(&w->lock);
		w->done = jiffies / HZ;
		for (i = 0; i < WHEEL_SLOTS; i++)
			INIT_LIST_HEAD(&w->slot[i]);
	}
	err = rhashtable_init(&t->ht, &conn_params);
	if (err) {
		free_percpu(wheels);
		return err;
	}
	/* Dumps and GET_INFO look without the lock: the table before the pointer. */
	smp_store_release(&t->wheels, wheels);
	queue_delayed_work(system_power_efficient_wq, &t->gc, GC_INTERVAL);
	return 0;
}

/*
 * Nothing reads or changes the table any more: the namespace's hooks are
 * unregistered (which waited for the packets in them), a dump holds the
 * namespace and the module, and the expiry worker is cancelled here. So
 * the entries are freed at once with the table, off their wheels: an RCU
 * callback each would take seconds for a few thousand entries (while the
 * queue is short, RCU runs ten callbacks per softirq) and minutes for a
 * million.
 */
static void conn_free_now(void *ptr, void *arg)
{
	struct sluice_conn *c = ptr;

	account(c->dest, xchg(&c->state, SLUICE_CS_DEAD), -1);
	sluice_dest_put(c->dest);
	kmem_cache_free(conn_cache, c);
}

void sluice_conn_flush(struct sluice_net *sn)
{
	struct sluice_conn_table *t = &sn->conns;

	if (!t->wheels)
		return;
	cancel_delayed_work_sync(&t->gc);
	rhashtable_free_and_destroy(&t->ht, conn_free_now, NULL);
}

void sluice_conn_free(struct sluice_net *sn)
{
	free_percpu(sn->conns.wheels);
	sn->conns.wheels = NULL;
}

struct sluice_conn *sluice_conn_lookup(struct sluice_net *sn,
				       const struct sluice_conn_key *key)
{
	struct sluice_conn *c = rhashtable_lookup(&sn->conns.ht, key, conn_params);

	return c && !expired(c) ? c : NULL;
}

/*
 * Make room: evict one half-open or expired entry among the first
 * EVICT_ENTRIES in EVICT_BUCKETS buckets from a random one (a sample of the
 * table, as nf_conntrack's early drop). Under a SYN flood most are
 * half-open.
 */
static bool evict_one(struct sluice_conn_table *t)
{
	unsigned int i, b, mask, seen = 0;
	const struct bucket_table *tbl;
	struct rhash_head *pos;
	struct sluice_conn *c;
	bool done = false;

	rcu_read_lock();
	tbl = rht_dereference_rcu(t->ht.tbl, &t->ht);
	mask = tbl->size - 1;
	b = get_random_u32();
	for (i = 0; i < EVICT_BUCKETS && seen < EVICT_ENTRIES && !done; i++) {
		rht_for_each_entry_rcu(c, pos, tbl, (b + i) & mask, node) {
			if (++seen > EVICT_ENTRIES)
				break;
			if ((expired(c) || READ_ONCE(c->state) == SLUICE_CS_SYN) &&
			    conn_unlink(t, c)) {
				done = true;
				break;
			}
		}
	}
	rcu_read_unlock();
	if (done)
		atomic64_inc(&t->evicted);
	return done;
}

static struct sluice_conn *conn_add(struct sluice_net *sn,
				    const struct sluice_conn_key *key,
				    struct sluice_dest *dest, u8 state, unsigned long timeout)
{
	struct sluice_conn_table *t = &sn->conns;
	struct sluice_conn_wheel *w;
	struct sluice_conn *c, *old;
	int tries;

	if (atomic_read(&t->ht.nelems) >= READ_ONCE(sn->cfg.conn_max) && !evict_one(t)) {
		atomic64_inc(&t->stateless);
		return NULL;
	}
	c = kmem_cache_alloc(conn_cache, GFP_ATOMIC);
	if (!c) {
		atomic64_inc(&t->stateless);
		return NULL;
	}
	if (!sluice_dest_hold(dest)) {
		kmem_cache_free(conn_cache, c);
		return NULL;
	}
	c->key = *key;
	c->dest = dest;
	c->state = state;
	c->expires = jiffies + timeout;
	c->cpu = raw_smp_processor_id();
	account(dest, -1, state);
	/* On its wheel before anyone can find it: a remover unlinks it there. */
	w = per_cpu_ptr(t->wheels, c->cpu);
	spin_lock_bh(&w->lock);
	wheel_queue(w, c);
	spin_unlock_bh(&w->lock);

	for (tries = 0; tries < 2; tries++) {
		old = rhashtable_lookup_get_insert_fast(&t->ht, &c->node, conn_params);
		if (!old)
			return c;
		if (IS_ERR(old) || !expired(old))
			break;
		/* An expired entry the worker has not freed yet: this one replaces it. */
		conn_unlink(t, old);
	}
	spin_lock_bh(&w->lock);
	list_del_init(&c->wheel);
	spin_unlock_bh(&w->lock);
	account(dest, state, -1);
	sluice_dest_put(dest);
	kmem_cache_free(conn_cache, c);
	if (IS_ERR_OR_NULL(old)) {	/* no memory, or lost to expired ones twice */
		atomic64_inc(&t->stateless);
		return NULL;
	}
	/* Another CPU won the race: use its entry. */
	return old;
}

struct sluice_conn *sluice_conn_add(struct sluice_net *sn,
				    const struct sluice_conn_key *key,
				    struct sluice_dest *dest, u8 state)
{
	return conn_add(sn, key, dest, state, timeout_of(sn, state));
}

struct sluice_conn *sluice_conn_add_template(struct sluice_net *sn,
					     const struct sluice_conn_key *key,
					     struct sluice_dest *dest, u32 timeout)
{
	return conn_add(sn, key, dest, SLUICE_CS_TEMPLATE, (unsigned long)timeout * HZ);
}

void sluice_conn_update(struct sluice_net *sn, struct sluice_conn *c, __be32 tcp_flags)
{
	u8 state = READ_ONCE(c->state), next = state;
	unsigned long expires;

	if (state == SLUICE_CS_DEAD)
		return;
	if (c->key.proto == IPPROTO_TCP) {
		if (tcp_flags & (TCP_FLAG_FIN | TCP_FLAG_RST))
			next = SLUICE_CS_FIN;
		else if (state == SLUICE_CS_SYN && (tcp_flags & TCP_FLAG_ACK) &&
			 !(tcp_flags & TCP_FLAG_SYN))
			next = SLUICE_CS_EST;
	}
	/* One CPU makes each transition, so the counts stay right. */
	if (next != state && cmpxchg(&c->state, state, next) == state)
		account(c->dest, state, next);
	expires = jiffies + timeout_of(sn, next);
	/* Written at most every second or so: the line is shared by all CPUs. */
	if (time_after(expires, READ_ONCE(c->expires) + HZ) || next != state)
		WRITE_ONCE(c->expires, expires);
}

void sluice_conn_remove(struct sluice_net *sn, struct sluice_conn *c)
{
	/* Another CPU or the worker may have removed it already. */
	conn_unlink(&sn->conns, c);
}

void sluice_conn_mem(struct sluice_net *sn, struct sluice_conn_mem *m)
{
	struct sluice_conn_table *t = &sn->conns;
	const struct bucket_table *tbl;

	memset(m, 0, sizeof(*m));
	m->entry_size = kmem_cache_size(conn_cache);
	/* Pairs with sluice_conn_start()'s release: the table is set up. */
	if (!smp_load_acquire(&t->wheels))	/* never had a service */
		return;
	m->entries = atomic_read(&t->ht.nelems);
	rcu_read_lock();
	tbl = rcu_dereference(t->ht.tbl);
	m->buckets = tbl->size;
	rcu_read_unlock();
	m->bytes = (u64)m->entries * m->entry_size +
		   (u64)m->buckets * sizeof(tbl->buckets[0]) +
		   (u64)num_possible_cpus() * sizeof(struct sluice_conn_wheel);
}

int sluice_conn_dump_start(struct sluice_net *sn, struct netlink_callback *cb)
{
	struct rhashtable_iter *it;

	cb->args[0] = 0;
	if (!smp_load_acquire(&sn->conns.wheels))	/* never had a service: no entries */
		return 0;
	it = kmalloc(sizeof(*it), GFP_KERNEL);
	if (!it)
		return -ENOMEM;
	rhashtable_walk_enter(&sn->conns.ht, it);
	cb->args[0] = (long)it;
	return 0;
}

int sluice_conn_dump(struct sk_buff *skb, struct netlink_callback *cb,
		     int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
				 const struct sluice_conn *c))
{
	struct rhashtable_iter *it = (struct rhashtable_iter *)cb->args[0];
	struct sluice_conn *c;

	if (!it)
		return 0;
	rhashtable_walk_start(it);
	/* First the entry that did not fit last time, if any. */
	for (c = rhashtable_walk_peek(it); c; c = rhashtable_walk_next(it)) {
		if (IS_ERR(c)) {
			if (PTR_ERR(c) == -EAGAIN)	/* resized: from the start again */
				continue;
			break;
		}
		if (!expired(c) && fill(skb, cb, c))
			break;
	}
	rhashtable_walk_stop(it);
	return skb->len;
}

int sluice_conn_dump_done(struct netlink_callback *cb)
{
	struct rhashtable_iter *it = (struct rhashtable_iter *)cb->args[0];

	if (it) {
		rhashtable_walk_exit(it);
		kfree(it);
	}
	return 0;
}
