/* SPDX-License-Identifier: GPL-2.0 */
/* The tc program's maps, kept in step by the module (maps.c). */
#ifndef _SLUICE_MAPS_H
#define _SLUICE_MAPS_H

#include <linux/netlink.h>

#include "sluice.h"

struct sluice_ep;

int sluice_maps_set(struct sluice_net *sn, u32 reals_fd, u32 cfg_fd,
		    struct netlink_ext_ack *extack);
void sluice_maps_release(struct sluice_net *sn);
void sluice_maps_ep_write(struct sluice_net *sn, const struct sluice_ep *ep, bool valid);
void sluice_maps_cfg_write(struct sluice_net *sn);
/*
 * sn->ep_lock held: a new generation for @ep's slot (the fast path's
 * flows to it miss from their next packet), written to sluice_reals.
 */
void sluice_fp_bump(struct sluice_net *sn, struct sluice_ep *ep);
/* A real of @ep was deleted (config_lock held): sluice_fp_bump(). */
void sluice_fp_dest_gone(struct sluice_net *sn, struct sluice_ep *ep);

#endif /* _SLUICE_MAPS_H */
