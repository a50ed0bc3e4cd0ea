/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Services and their reals (destinations), per network namespace.
 *
 * Writers hold the namespace's config_lock; the data path finds services
 * in the RCU hash table and reaches reals only through the scheduler's
 * RCU-published state. A real holds a reference on its service and
 * whoever keeps a real beyond an RCU read section (a connection entry)
 * holds a reference on it; both are freed after a grace period once the
 * last reference is gone.
 */
#ifndef _SLUICE_SERVICE_H
#define _SLUICE_SERVICE_H

#include <linux/list.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sluice.h>
#include <net/inet_sock.h>
#include <uapi/linux/netfilter.h>

#include "sched_algo.h"
#include "sluice.h"
#include "stats.h"

/* What names a service: compared with memcmp, so padding is zero. */
struct sluice_svc_id {
	union nf_inet_addr addr;	/* zero for fwmark services */
	u16 af;
	u8 proto;			/* 0 for fwmark services */
	u8 pad;
	__be16 port;
	u16 pad2;
	u32 fwmark;			/* 0 for address services */
};

struct sluice_sched_state;

struct sluice_service {
	struct rhash_head hnode;	/* sn->svc_ht */
	struct list_head list;		/* sn->svc_list */
	struct sluice_svc_id key;
	struct sluice_net *sn;
	struct sluice_sched_state __rcu *sched;
	u32 sched_flags;
	u32 flags;
	u32 timeout;			/* persistence, seconds */
	u32 hash_fields;
	u32 mh_size;
	u8 persist_plen;
	bool hash_fields_set;		/* chosen by the user, not the default */
	struct list_head dests;		/* struct sluice_dest.list */
	u32 ndests;
	struct sluice_stats stats;
	refcount_t refcnt;
	struct rcu_head rcu;
};

/*
 * A tunnel endpoint: a real's family and address, and its slot in the tc
 * program's sluice_reals map (the mark the data path sets). Shared by every
 * real with that address, freed with the last of them; only then can the
 * slot go to another address.
 */
struct sluice_ep_dst;

/* A family and an address as the hash tables key them (VIPs, endpoints). */
struct sluice_addr_key {
	union nf_inet_addr addr;
	u16 af;
	u16 pad;			/* zero: compared with memcmp */
};

struct sluice_ep {
	struct rhlist_head hnode;	/* sn->ep_ht while it has a reference */
	struct sluice_addr_key key;
	u32 slot;
	refcount_t refcnt;
	struct sluice_ep_dst __rcu *dst;	/* cached route (route.c), ep_lock */
	/*
	 * The fast path (fastpath.c), written under sn->ep_lock: the slot's
	 * generation, and what the last packet went with (the route and the
	 * neighbour entry only compared, never followed; the largest inner
	 * packet the route carries; the next hop's address).
	 */
	u32 fp_gen;
	u32 fp_mtu;
	const void *fp_dst;
	const void *fp_neigh;
	u8 fp_mac[6];
	struct sluice_net *sn;
	struct rcu_head rcu;
};

struct sluice_dest {
	struct list_head list;		/* svc->dests, under config_lock */
	struct rhash_head hnode;	/* sn->dest_ht until deleted */
	struct sluice_service *svc;	/* holds a reference */
	union nf_inet_addr addr;
	u16 af;
	__be16 port;
	u8 fwd;
	struct sluice_sched_dest sd;	/* weight, connections, thresholds */
	atomic_t persistconns;
	struct sluice_ep *ep;		/* holds a reference */
	bool gone;			/* deleted: only connections still use it */
	struct sluice_stats stats;
	refcount_t refcnt;
	struct rcu_head rcu;
};

static inline struct sluice_dest *sluice_sd_dest(struct sluice_sched_dest *sd)
{
	return container_of(sd, struct sluice_dest, sd);
}

/* A service's settings as a request gives them (netlink.c parses them). */
struct sluice_svc_conf {
	struct sluice_svc_id key;
	char sched_name[SLUICE_SCHED_NAME_MAX];
	u32 sched_flags;
	u32 flags;
	u32 timeout;
	u32 hash_fields;
	u32 mh_size;
	u8 persist_plen;
	u32 present;			/* SVC_HAS_* for what the request set */
};

#define SVC_HAS(attr)	(1U << (attr))

struct sluice_dest_conf {
	union nf_inet_addr addr;
	u16 af;
	__be16 port;
	u8 fwd;
	u32 weight;
	u32 u_thresh;
	u32 l_thresh;
	u32 present;			/* SVC_HAS(SLUICE_DEST_A_*) */
};

/*
 * The tunnel endpoint in @slot, or NULL if no real uses it; RCU read
 * section (the endpoint is freed a grace period after it leaves the slot).
 */
struct sluice_ep *sluice_ep_lookup_rcu(struct sluice_net *sn, u32 slot);

/* Is @addr (family @af) the VIP of any service? RCU read section. */
bool sluice_is_vip_rcu(struct sluice_net *sn, u16 af, const union nf_inet_addr *addr);

/* Lookups. _rcu: in an RCU read section; the others: config_lock held. */
struct sluice_service *sluice_svc_lookup_rcu(struct sluice_net *sn,
					     const struct sluice_svc_id *key);
struct sluice_service *sluice_svc_find(struct sluice_net *sn,
				       const struct sluice_svc_id *key);
struct sluice_dest *sluice_dest_find(struct sluice_service *svc,
				     const struct sluice_dest_conf *dc);

/* Changes: config_lock held; on error nothing has changed. */
int sluice_svc_add(struct sluice_net *sn, const struct sluice_svc_conf *c,
		   struct netlink_ext_ack *extack);
int sluice_svc_edit(struct sluice_service *svc, const struct sluice_svc_conf *c,
		    struct netlink_ext_ack *extack);
void sluice_svc_del(struct sluice_service *svc);
void sluice_svc_flush(struct sluice_net *sn);
void sluice_svc_zero(struct sluice_service *svc);
int sluice_dest_add(struct sluice_service *svc, const struct sluice_dest_conf *dc,
		    struct netlink_ext_ack *extack);
int sluice_dest_edit(struct sluice_dest *dest, const struct sluice_dest_conf *dc,
		     struct netlink_ext_ack *extack);
int sluice_dest_del(struct sluice_dest *dest, struct netlink_ext_ack *extack);
int sluice_config_set(struct sluice_net *sn, const struct sluice_config *cfg,
		      struct netlink_ext_ack *extack);

/* References (the data path takes them on reals it keeps). */
void sluice_dest_put(struct sluice_dest *dest);

static inline bool sluice_dest_hold(struct sluice_dest *dest)
{
	return refcount_inc_not_zero(&dest->refcnt);
}

/* The scheduler's choice for a flow; RCU read section. NULL: none. */
struct sluice_dest *sluice_svc_schedule(struct sluice_service *svc, u64 hash);

#endif /* _SLUICE_SERVICE_H */
