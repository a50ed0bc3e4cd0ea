// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks, IPv4 and IPv6, PRE_ROUTING, registered per namespace.
 *
 * Priority: before defragmentation and before nf_conntrack, so that
 * traffic to a VIP costs the host's connection tracking nothing and
 * fragments to a VIP are seen (and dropped) as they arrive, whether or
 * not nf_defrag is loaded.
 *
 * The first cut accepts every packet; the data path (service lookup,
 * connection table, scheduling, forwarding to reals) arrives with it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>

#include "sluice.h"

#define SLUICE_HOOK_PRIORITY	(NF_IP_PRI_CONNTRACK_DEFRAG - 10)

static unsigned int sluice_hook_v4(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

static unsigned int sluice_hook_v6(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

static const struct nf_hook_ops sluice_hook_ops[] = {
	{
		.hook = sluice_hook_v4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = SLUICE_HOOK_PRIORITY,
	},
	{
		.hook = sluice_hook_v6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = SLUICE_HOOK_PRIORITY,
	},
};

int sluice_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, sluice_hook_ops,
				     ARRAY_SIZE(sluice_hook_ops));
}

void sluice_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, sluice_hook_ops,
				ARRAY_SIZE(sluice_hook_ops));
}
