/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's side of the XDP fast path ("XDP fast path" in the uapi
 * header): each endpoint slot's generation, what the data path tells the
 * tc program, and the fast path's packets counted (fastpath.c).
 */
#ifndef _SLUICE_FASTPATH_H
#define _SLUICE_FASTPATH_H

#include <linux/skbuff.h>
#include <net/dst.h>
#include <net/neighbour.h>

#include "service.h"

/* The generations themselves: sluice_fp_bump() (maps.c). */
/*
 * Data path, a packet about to leave toward @ep by @dst (whose MTU less
 * the tunnel header is @mtu) through next hop @n: the slot's generation,
 * a new one if any of those changed since the last packet.
 */
u32 sluice_fp_path(struct sluice_net *sn, struct sluice_ep *ep,
		   const struct dst_entry *dst, unsigned int mtu,
		   const struct neighbour *n);
/* Tell the tc program whether (@gen != 0) and with which generation to record the flow. */
void sluice_fp_mark(struct sk_buff *skb, u32 gen);
/* Data path: the fast path's packets the XDP metadata of @skb carries, counted. */
void sluice_fp_count(const struct sk_buff *skb, struct sluice_service *svc,
		     struct sluice_dest *dest);

int sluice_fp_register(void);
void sluice_fp_unregister(void);

#endif /* _SLUICE_FASTPATH_H */
