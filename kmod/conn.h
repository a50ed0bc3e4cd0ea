/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection table: 5-tuple -> real, per namespace. Lookups are
 * lock-free under RCU; inserts and removals take one of a set of hashed
 * bucket locks. Entries expire by their state's timeout; a periodic worker
 * frees expired ones. The table is bounded (the conn_max setting): when it
 * is full, an entry that never got past the handshake is evicted (bounded
 * scan, like nf_conntrack's early drop); if none can be, the packet is
 * forwarded without an entry (the scheduler's choice, which for mh is the
 * same on every node) and counted. A packet is never dropped because the
 * table is full.
 */
#ifndef _SLUICE_CONN_H
#define _SLUICE_CONN_H

#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <uapi/linux/netfilter.h>
#include <linux/sluice.h>

struct netlink_callback;
struct sk_buff;
struct sluice_net;
struct sluice_dest;

/* Compared with memcmp: padding is zero. */
struct sluice_conn_key {
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	__be16 sport;
	__be16 dport;
	u8 af;
	u8 proto;
	u16 pad;
};

/* The same values as the uapi's enum sluice_conn_state_uapi. */
enum sluice_conn_state {
	SLUICE_CS_SYN = SLUICE_CONN_SYN_RECV,	/* TCP, handshake seen from the client */
	SLUICE_CS_EST = SLUICE_CONN_ESTABLISHED, /* TCP, established: an active one */
	SLUICE_CS_FIN = SLUICE_CONN_FIN_WAIT,	/* TCP, FIN or RST seen */
	SLUICE_CS_UDP = SLUICE_CONN_UDP,
	SLUICE_CS_TEMPLATE = SLUICE_CONN_TEMPLATE, /* persistence: client prefix -> real */
	SLUICE_CS_DEAD = 0xff,	/* unlinked: its counts were given back */
};

struct sluice_conn {
	struct hlist_node node;
	struct sluice_conn_key key;
	struct sluice_dest *dest;	/* holds a reference */
	unsigned long expires;		/* jiffies */
	u8 state;			/* enum sluice_conn_state, changed by xchg */
	struct rcu_head rcu;
};

#define SLUICE_CONN_HASH_BITS	16
#define SLUICE_CONN_LOCKS	256

struct sluice_conn_table {
	struct hlist_head *buckets;
	spinlock_t locks[SLUICE_CONN_LOCKS];	/* bucket b: locks[b % SLUICE_CONN_LOCKS] */
	atomic_t count;
	u32 rnd;
	u32 gc_next;			/* next bucket the worker looks at */
	struct delayed_work gc;
	/* Statistics since the namespace began. */
	atomic64_t evicted;		/* half-open entries evicted when full */
	atomic64_t stateless;		/* forwarded without an entry: full, or no memory */
};

int sluice_conn_module_init(void);
void sluice_conn_module_exit(void);
void sluice_conn_init(struct sluice_net *sn);
/*
 * The table itself and its expiry worker, with the namespace's first
 * service (config_lock held; once): a namespace that never has a service
 * (every container on a host that loaded the module) costs no table and
 * no periodic work. The data path runs only after this.
 */
int sluice_conn_start(struct sluice_net *sn);
/*
 * The namespace is going, its hooks unregistered: sluice_conn_flush()
 * stops the expiry worker and frees every entry (dropping its real);
 * sluice_conn_free() frees the table once the reals' RCU callbacks have
 * run (netns.c waits once for a whole batch of namespaces).
 */
void sluice_conn_flush(struct sluice_net *sn);
void sluice_conn_free(struct sluice_net *sn);

/* RCU read section. An entry that has not expired, or NULL. */
struct sluice_conn *sluice_conn_lookup(struct sluice_net *sn,
				       const struct sluice_conn_key *key);
/*
 * A new entry for @key to @dest (a reference is taken) in state @state,
 * or the one another CPU added meanwhile; NULL if there is no room or no
 * memory (forward without an entry).
 */
struct sluice_conn *sluice_conn_add(struct sluice_net *sn,
				    const struct sluice_conn_key *key,
				    struct sluice_dest *dest, u8 state);
/* A persistence template for @key (proto 0) to @dest for @timeout seconds. */
struct sluice_conn *sluice_conn_add_template(struct sluice_net *sn,
					     const struct sluice_conn_key *key,
					     struct sluice_dest *dest, u32 timeout);
/* A client packet with TCP @flags (TCP_FLAG_*) or UDP seen on @c. */
void sluice_conn_update(struct sluice_net *sn, struct sluice_conn *c, __be32 tcp_flags);
void sluice_conn_remove(struct sluice_net *sn, struct sluice_conn *c);

/*
 * Dump: fill entries from bucket cb->args[0], skipping cb->args[1] entries
 * of it, into @skb with @fill until it is full; advances the position.
 */
int sluice_conn_dump(struct sluice_net *sn, struct sk_buff *skb, struct netlink_callback *cb,
		     int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
				 const struct sluice_conn *c));

#endif /* _SLUICE_CONN_H */
