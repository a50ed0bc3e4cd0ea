/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal declarations shared by the files of the sluice module.
 */
#ifndef _SLUICE_H
#define _SLUICE_H

#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

/* Per network namespace state: each namespace is an independent balancer. */
struct sluice_net {
	struct net *net;
	/* Serialises configuration changes in this namespace. */
	struct mutex config_lock;
};

extern unsigned int sluice_net_id;

static inline struct sluice_net *sluice_pernet(const struct net *net)
{
	return net_generic(net, sluice_net_id);
}

int sluice_netns_register(void);
void sluice_netns_unregister(void);

int sluice_hooks_register(struct net *net);
void sluice_hooks_unregister(struct net *net);

int sluice_genl_register(void);
void sluice_genl_unregister(void);

#endif /* _SLUICE_H */
