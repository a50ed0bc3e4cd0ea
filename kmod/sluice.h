/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal declarations shared by the files of the sluice module.
 */
#ifndef _SLUICE_H
#define _SLUICE_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>

struct bpf_map;
#include <net/netns/generic.h>
#include <linux/sluice.h>

#include "conn.h"

/* Settings per namespace (SLUICE_CMD_SET_CONFIG), under config_lock. */
struct sluice_config {
	u32 timeout_tcp;
	u32 timeout_tcp_fin;
	u32 timeout_udp;
	u32 conn_max;
	u64 mh_seed;
	__be32 tun_src4;
	struct in6_addr tun_src6;
	u8 tun_src4_plen;
	u8 tun_src6_plen;
	u8 tun_ttl;
	u8 expire_nodest;
};

/*
 * Per network namespace state: each namespace is an independent balancer.
 * Configuration changes take config_lock; the data path reads services,
 * reals and scheduler state under RCU only.
 */
struct sluice_net {
	struct net *net;
	struct mutex config_lock;	/* serialises every change below */
	struct sluice_config cfg;
	/*
	 * Services by key and VIPs by address (data-path lookups under RCU),
	 * every service's reals by (service, address, port) (control plane):
	 * hash tables that grow and shrink with what they hold (service.c).
	 */
	struct rhashtable svc_ht;
	struct list_head svc_list;	/* in the order they were added */
	struct rhashtable vip_ht;
	struct rhashtable dest_ht;
	u32 nsvc;
	/*
	 * The namespace's own state (not a test's private table): its
	 * netfilter hooks come with its first service and go with its last;
	 * hooks_on while they are registered. Active from the first service
	 * on: the connection table and the estimator are running.
	 */
	bool own_hooks;
	bool hooks_on;
	bool active;
	/* Bumped by every change: flags dumps that span one (DUMP_INTR). */
	u32 gen;
	/*
	 * Tunnel endpoints: slots in the tc program's sluice_reals map, one
	 * per distinct real address however many services use it (service.c).
	 * ep_slots allocates the slots and maps each to its endpoint while it
	 * has a reference (RCU readers: the data path, health-check probes;
	 * changed under ep_lock: the notifiers walk it). ep_ht finds an
	 * endpoint by address when a real is added (config_lock); an endpoint
	 * leaves it when its last reference goes, in any context, so a new
	 * one for the address may sit beside it meanwhile (a list table).
	 */
	struct xarray ep_slots;
	spinlock_t ep_lock;		/* taken from RCU callbacks */
	struct rhltable ep_ht;
	bool ep_ready;			/* the above initialised: notifiers look */
	/* The tc program's maps once userspace handed them over (maps.c). */
	struct bpf_map *map_reals;	/* under ep_lock */
	struct bpf_map *map_tc_cfg;	/* under ep_lock */
	u32 fp_gen;			/* the last slot generation given, ep_lock */
	/* Send events to the multicast group (off for tests' private tables). */
	bool events;
	struct sluice_conn_table conns;
	/* Packets the data path dropped, by enum sluice_drop. */
	struct sluice_drops __percpu *drops;
	struct delayed_work est;	/* the rate estimator (est.c) */
};

struct sluice_drops {
	u64 n[SLUICE_DROPS_MAX];
};

extern unsigned int sluice_net_id;

static inline struct sluice_net *sluice_pernet(const struct net *net)
{
	return net_generic(net, sluice_net_id);
}

int sluice_netns_register(void);
void sluice_netns_unregister(void);

/*
 * A namespace's tables (service.c); also used on their own by KUnit.
 * sluice_net_state_exit() is sluice_net_state_flush() (every service
 * deleted: their reals, endpoints and VIPs freed by RCU callbacks), the
 * callbacks waited for (SLUICE_RCU_ROUNDS rcu_barrier()s), then
 * sluice_net_state_free() (the tables, the maps let go). netns.c does the
 * three steps itself, waiting once for a whole batch of namespaces.
 */
int sluice_net_state_init(struct sluice_net *sn, struct net *net);
void sluice_net_state_flush(struct sluice_net *sn);
void sluice_net_state_free(struct sluice_net *sn);
void sluice_net_state_exit(struct sluice_net *sn);
/*
 * The longest chain of RCU callbacks a namespace's teardown waits for: an
 * entry the expiry worker unlinked before has a callback that drops its
 * real, whose callback drops its endpoint and service, each freed by a
 * callback of its own. Each rcu_barrier() waits for the callbacks queued
 * before it.
 */
#define SLUICE_RCU_ROUNDS 3
void sluice_rcu_rounds(void);
void sluice_config_defaults(struct sluice_config *cfg);

void sluice_est_start(struct sluice_net *sn);
void sluice_est_stop(struct sluice_net *sn);

int sluice_hooks_register(struct net *net);
void sluice_hooks_unregister(struct net *net);

int sluice_genl_register(void);
void sluice_genl_unregister(void);

#endif /* _SLUICE_H */
