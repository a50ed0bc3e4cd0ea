/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection table: 5-tuple -> real, per namespace. A resizable hash
 * table (the kernel's rhashtable: it doubles past 75 % load and halves
 * below 30 %, in a worker, while lookups go on), so a lookup costs the same
 * at a thousand entries as at millions: no fixed bucket count to outgrow.
 * Lookups are lock-free under RCU; inserts and removals take one bucket's
 * lock.
 *
 * Expiry: each entry is also on a timer wheel, one per CPU (the CPU that
 * added it), in the slot of the second it is due (at most WHEEL_SLOTS - 1
 * seconds ahead: later ones wait in the last slot and are queued again). A
 * packet only moves an entry's deadline; once a second a worker takes the
 * slots that came due, frees the entries that expired and queues the
 * others at their new second, in batches of a few dozen per lock hold. Its
 * work grows with the entries that come due, not with the table: no sweep
 * of every bucket.
 *
 * The table is bounded (the conn_max setting): when it is full, an entry
 * that never got past the handshake, or that expired, is evicted (a
 * bounded look at a few buckets from a random one, like nf_conntrack's
 * early drop); if none can be, the packet is forwarded without an entry
 * (the scheduler's choice, which for mh is the same on every node) and
 * counted. A packet is never dropped because the table is full.
 *
 * An entry is removed by whoever removes it from the hash table first (the
 * worker, an eviction, the data path, a newer entry for its key): that one
 * takes it off its wheel, gives back its counts and frees it after RCU.
 */
#ifndef _SLUICE_CONN_H
#define _SLUICE_CONN_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
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

/* 104 bytes on 64-bit (SLUICE_A_INFO_CONN_ENTRY_SIZE says what the slab gives). */
struct sluice_conn {
	struct rhash_head node;
	struct sluice_conn_key key;
	struct sluice_dest *dest;	/* holds a reference */
	unsigned long expires;		/* jiffies */
	struct list_head wheel;		/* in a slot of wheel @cpu; self-linked off it */
	u8 state;			/* enum sluice_conn_state, changed by xchg */
	u16 cpu;			/* whose wheel */
	struct rcu_head rcu;
};

struct sluice_conn_wheel;

struct sluice_conn_table {
	struct rhashtable ht;
	struct sluice_conn_wheel __percpu *wheels;	/* NULL until sluice_conn_start() */
	struct delayed_work gc;
	/* Statistics since the namespace began. */
	atomic64_t evicted;		/* half-open entries evicted when full */
	atomic64_t stateless;		/* forwarded without an entry: full, or no memory */
};

/* What the table holds and costs (SLUICE_CMD_GET_INFO). */
struct sluice_conn_mem {
	u32 entries;
	u32 buckets;		/* the hash table's current size */
	u32 entry_size;		/* bytes per entry, as the slab allocates them */
	u64 bytes;		/* entries, buckets and timer wheels */
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

void sluice_conn_mem(struct sluice_net *sn, struct sluice_conn_mem *m);

/*
 * Dump (netlink .start, .dumpit, .done): a walk of the hash table kept in
 * cb->args[0] between calls. Not a snapshot: an entry added or removed
 * meanwhile may be missed, and one may come twice if the table is resized
 * during the dump (as an IPVS listing under churn).
 */
int sluice_conn_dump_start(struct sluice_net *sn, struct netlink_callback *cb);
int sluice_conn_dump(struct sk_buff *skb, struct netlink_callback *cb,
		     int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
				 const struct sluice_conn *c));
int sluice_conn_dump_done(struct netlink_callback *cb);

#endif /* _SLUICE_CONN_H */
