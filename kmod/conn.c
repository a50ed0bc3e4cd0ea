// SPDX-License-Identifier: GPL-2.0
/* The connection table (see conn.h). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/tcp.h>

#include "conn.h"
#include "service.h"

/*
 * Eviction looks at up to EVICT_ENTRIES entries in the next EVICT_BUCKETS
 * buckets (empty ones cost a read: with a small limit the table is sparse).
 */
#define EVICT_ENTRIES	16
#define EVICT_BUCKETS	512
#define GC_BUCKETS	4096
#define GC_INTERVAL	(HZ / 4)

static struct kmem_cache *conn_cache __read_mostly;

int sluice_conn_module_init(void)
{
	conn_cache = KMEM_CACHE(sluice_conn, 0);
	return conn_cache ? 0 : -ENOMEM;
}

void sluice_conn_module_exit(void)
{
	kmem_cache_destroy(conn_cache);
}

static u32 bucket_of(const struct sluice_conn_table *t, const struct sluice_conn_key *key)
{
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), t->rnd) &
	       ((1U << SLUICE_CONN_HASH_BITS) - 1);
}

static spinlock_t *lock_of(struct sluice_conn_table *t, u32 bucket)
{
	return &t->locks[bucket % SLUICE_CONN_LOCKS];
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

/* Bucket lock held. */
static void unlink_conn(struct sluice_conn_table *t, struct sluice_conn *c)
{
	hlist_del_rcu(&c->node);
	atomic_dec(&t->count);
	/* After this, sluice_conn_update() makes no transition on it. */
	account(c->dest, xchg(&c->state, SLUICE_CS_DEAD), -1);
	call_rcu(&c->rcu, conn_free_cb);
}

static bool expired(const struct sluice_conn *c)
{
	return time_after_eq(jiffies, READ_ONCE(c->expires));
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

static void gc_work(struct work_struct *work)
{
	struct sluice_conn_table *t = container_of(to_delayed_work(work),
						   struct sluice_conn_table, gc);
	struct sluice_conn *c;
	struct hlist_node *tmp;
	u32 i, b;

	for (i = 0; i < GC_BUCKETS; i++) {
		b = (t->gc_next + i) & ((1U << SLUICE_CONN_HASH_BITS) - 1);
		if (!READ_ONCE(t->buckets[b].first))	/* a hint: checked again locked */
			continue;
		spin_lock_bh(lock_of(t, b));
		hlist_for_each_entry_safe(c, tmp, &t->buckets[b], node)
			if (expired(c))
				unlink_conn(t, c);
		spin_unlock_bh(lock_of(t, b));
	}
	t->gc_next = (t->gc_next + GC_BUCKETS) & ((1U << SLUICE_CONN_HASH_BITS) - 1);
	queue_delayed_work(system_power_efficient_wq, &t->gc, GC_INTERVAL);
}

void sluice_conn_init(struct sluice_net *sn)
{
	struct sluice_conn_table *t = &sn->conns;
	int i;

	t->buckets = NULL;
	for (i = 0; i < SLUICE_CONN_LOCKS; i++)
		spin_lock_init(&t->locks[i]);
	atomic_set(&t->count, 0);
	atomic64_set(&t->evicted, 0);
	atomic64_set(&t->stateless, 0);
	t->rnd = get_random_u32();
	INIT_DELAYED_WORK(&t->gc, gc_work);
}

int sluice_conn_start(struct sluice_net *sn)
{
	struct sluice_conn_table *t = &sn->conns;
	struct hlist_head *buckets;

	lockdep_assert_held(&sn->config_lock);
	buckets = kvcalloc(1U << SLUICE_CONN_HASH_BITS, sizeof(*buckets), GFP_KERNEL);
	if (!buckets)
		return -ENOMEM;
	/* Dumps look without the lock: the empty buckets before the pointer. */
	smp_store_release(&t->buckets, buckets);
	queue_delayed_work(system_power_efficient_wq, &t->gc, GC_INTERVAL);
	return 0;
}

/*
 * Nothing reads or changes the table any more: the namespace's hooks are
 * unregistered (which waited for the packets in them), a dump holds the
 * namespace and the module, and the expiry worker is cancelled here. So
 * the entries are freed at once, without the bucket locks: an RCU
 * callback each would take seconds for a few thousand entries (while the
 * queue is short, RCU runs ten callbacks per softirq) and minutes for a
 * million.
 */
void sluice_conn_flush(struct sluice_net *sn)
{
	struct sluice_conn_table *t = &sn->conns;
	struct sluice_conn *c;
	struct hlist_node *tmp;
	u32 b;

	if (!t->buckets)
		return;
	cancel_delayed_work_sync(&t->gc);
	for (b = 0; b < 1U << SLUICE_CONN_HASH_BITS && atomic_read(&t->count); b++) {
		hlist_for_each_entry_safe(c, tmp, &t->buckets[b], node) {
			hlist_del(&c->node);
			atomic_dec(&t->count);
			account(c->dest, xchg(&c->state, SLUICE_CS_DEAD), -1);
			sluice_dest_put(c->dest);
			kmem_cache_free(conn_cache, c);
		}
	}
}

void sluice_conn_free(struct sluice_net *sn)
{
	kvfree(sn->conns.buckets);
	sn->conns.buckets = NULL;
}

struct sluice_conn *sluice_conn_lookup(struct sluice_net *sn,
				       const struct sluice_conn_key *key)
{
	struct sluice_conn_table *t = &sn->conns;
	struct sluice_conn *c;

	hlist_for_each_entry_rcu(c, &t->buckets[bucket_of(t, key)], node)
		if (!memcmp(&c->key, key, sizeof(*key)) && !expired(c))
			return c;
	return NULL;
}

/* Make room by evicting one half-open or expired entry near @bucket. */
static bool evict_one(struct sluice_conn_table *t, u32 bucket)
{
	struct sluice_conn *c;
	u32 i, b, seen = 0;

	for (i = 0; i < EVICT_BUCKETS && seen < EVICT_ENTRIES; i++) {
		b = (bucket + i) & ((1U << SLUICE_CONN_HASH_BITS) - 1);
		if (!READ_ONCE(t->buckets[b].first))	/* a hint: checked again locked */
			continue;
		spin_lock_bh(lock_of(t, b));
		hlist_for_each_entry(c, &t->buckets[b], node) {
			seen++;
			if (expired(c) || READ_ONCE(c->state) == SLUICE_CS_SYN) {
				unlink_conn(t, c);
				spin_unlock_bh(lock_of(t, b));
				atomic64_inc(&t->evicted);
				return true;
			}
		}
		spin_unlock_bh(lock_of(t, b));
	}
	return false;
}

static struct sluice_conn *conn_add(struct sluice_net *sn,
				    const struct sluice_conn_key *key,
				    struct sluice_dest *dest, u8 state, unsigned long timeout)
{
	struct sluice_conn_table *t = &sn->conns;
	u32 b = bucket_of(t, key);
	struct sluice_conn *c, *old;

	if (atomic_read(&t->count) >= READ_ONCE(sn->cfg.conn_max) && !evict_one(t, b)) {
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

	spin_lock_bh(lock_of(t, b));
	hlist_for_each_entry(old, &t->buckets[b], node) {
		if (!memcmp(&old->key, key, sizeof(*key)) && !expired(old)) {
			/* Another CPU won the race: use its entry. */
			spin_unlock_bh(lock_of(t, b));
			sluice_dest_put(dest);
			kmem_cache_free(conn_cache, c);
			return old;
		}
	}
	hlist_add_head_rcu(&c->node, &t->buckets[b]);
	atomic_inc(&t->count);
	account(dest, -1, state);
	spin_unlock_bh(lock_of(t, b));
	return c;
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
	struct sluice_conn_table *t = &sn->conns;
	u32 b = bucket_of(t, &c->key);
	struct sluice_conn *i;

	spin_lock_bh(lock_of(t, b));
	/* Still linked? Another CPU or the worker may have removed it. */
	hlist_for_each_entry(i, &t->buckets[b], node) {
		if (i == c) {
			unlink_conn(t, c);
			break;
		}
	}
	spin_unlock_bh(lock_of(t, b));
}

int sluice_conn_dump(struct sluice_net *sn, struct sk_buff *skb, struct netlink_callback *cb,
		     int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
				 const struct sluice_conn *c))
{
	struct sluice_conn *c;
	struct hlist_head *buckets;
	long b, skip, i;

	/* Pairs with sluice_conn_start()'s release: the buckets are zeroed. */
	buckets = smp_load_acquire(&sn->conns.buckets);
	if (!buckets)		/* never had a service: no entries */
		return 0;
	rcu_read_lock();
	for (b = cb->args[0]; b < 1L << SLUICE_CONN_HASH_BITS; b++, cb->args[1] = 0) {
		skip = cb->args[1];
		i = 0;
		hlist_for_each_entry_rcu(c, &buckets[b], node) {
			if (i++ < skip || expired(c))
				continue;
			if (fill(skb, cb, c)) {
				cb->args[0] = b;
				cb->args[1] = i - 1;
				rcu_read_unlock();
				return skb->len;
			}
		}
	}
	cb->args[0] = b;
	rcu_read_unlock();
	return skb->len;
}
