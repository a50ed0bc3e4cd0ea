/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The route to each tunnel endpoint, cached (as IPVS caches one per real):
 * the data path looks it up once and reuses it while dst_check() says it
 * is current, so a route change refreshes it at the next packet. A
 * netdevice notifier drops cached routes through a device going down or
 * away, since a cached route holds its device (route.c).
 */
#ifndef SLUICE_ROUTE_H
#define SLUICE_ROUTE_H

#include <net/dst.h>

#include "service.h"

struct sluice_ep_dst {
	struct dst_entry *dst;	/* holds a reference */
	u32 cookie;		/* for dst_check() (IPv6) */
	struct rcu_head rcu;
};

/* The endpoint's cached route if still valid; RCU read side. */
struct dst_entry *sluice_route_get(const struct sluice_ep *ep);
/* Cache @dst (a reference is taken) for @ep; any context. */
void sluice_route_set(struct sluice_net *sn, struct sluice_ep *ep,
		      struct dst_entry *dst, u32 cookie);

int sluice_route_register(void);
void sluice_route_unregister(void);

/* An endpoint being freed (no reader can reach it): drop its route. */
static inline void sluice_route_ep_free(struct sluice_ep *ep)
{
	struct sluice_ep_dst *d = rcu_dereference_protected(ep->dst, true);

	if (d) {
		dst_release(d->dst);
		kfree(d);
	}
}

#endif
