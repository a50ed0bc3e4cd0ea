/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels sluice supports (Debian's 6.1 and
 * 6.12, and the 6.1-based KUnit test kernel) is handled here and nowhere
 * else: code outside this file never tests kernel versions or features.
 */
#ifndef _SLUICE_COMPAT_H
#define _SLUICE_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/* skb_gso_validate_network_len() moved to <net/gso.h> in 6.5. */
#if KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE
#include <net/gso.h>
#endif

/*
 * Prefer testing for a feature over testing LINUX_VERSION_CODE.
 *
 * Multicast groups can require CAP_NET_ADMIN to join from 6.6 on; on
 * older kernels events are only sent to the namespace they concern.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define SLUICE_MCGRP_ADMIN_FLAGS	GENL_MCAST_CAP_NET_ADMIN
#else
#define SLUICE_MCGRP_ADMIN_FLAGS	0
#endif

/*
 * A dump's parsed request attributes: 6.2 moved them into a struct
 * genl_info inside struct genl_dumpit_info (there is no feature macro).
 */
#if KERNEL_VERSION(6, 2, 0) > LINUX_VERSION_CODE
static inline struct nlattr **sluice_dump_attrs(struct netlink_callback *cb)
{
	return genl_dumpit_info(cb)->attrs;
}
#else
static inline struct nlattr **sluice_dump_attrs(struct netlink_callback *cb)
{
	return genl_dumpit_info(cb)->info.attrs;
}
#endif

/*
 * bpf_map_get() (maps.c: the tc program's maps handed over as fds) is
 * exported in the BPF_INTERNAL symbol namespace on 6.12 (not on 6.1).
 * Kernels in between are not supported; check there before relying on it.
 */
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
#define SLUICE_IMPORT_BPF_NS()	MODULE_IMPORT_NS(BPF_INTERNAL)
#else
#define SLUICE_IMPORT_BPF_NS()
#endif

#endif /* _SLUICE_COMPAT_H */
