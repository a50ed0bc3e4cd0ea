/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels sluice supports (Debian's 6.1 and
 * 6.12, and the 6.1-based KUnit test kernel) is handled here and nowhere
 * else. Code outside this file never tests LINUX_VERSION_CODE.
 */
#ifndef _SLUICE_COMPAT_H
#define _SLUICE_COMPAT_H

#include <linux/version.h>

/*
 * 6.1 has no genl_info_net() helper variant for split ops and keeps the
 * per-family resv_start_op field, which 6.12 also has; nothing to do yet.
 *
 * Multicast groups can require CAP_NET_ADMIN to join from 6.6 on.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define SLUICE_MCGRP_ADMIN_FLAGS	GENL_MCAST_CAP_NET_ADMIN
#else
#define SLUICE_MCGRP_ADMIN_FLAGS	0
#endif

#endif /* _SLUICE_COMPAT_H */
