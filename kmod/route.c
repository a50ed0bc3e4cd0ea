// SPDX-License-Identifier: GPL-2.0
/*
 * Cached routes to tunnel endpoints (see route.h). Replacing a cached
 * route and dropping routes on a device event both happen under the
 * namespace's ep_lock; the old entry is freed after a grace period, since
 * packets use the cached route without a reference (skb_dst_set_noref()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/slab.h>

#include "maps.h"
#include "route.h"
#include "sluice.h"

static void ep_dst_free_rcu(struct rcu_head *head)
{
	struct sluice_ep_dst *d = container_of(head, struct sluice_ep_dst, rcu);

	dst_release(d->dst);
	kfree(d);
}

struct dst_entry *sluice_route_get(const struct sluice_ep *ep)
{
	struct sluice_ep_dst *d = rcu_dereference(ep->dst);
	struct dst_entry *dst;

	if (!d)
		return NULL;
	dst = d->dst;
	if (READ_ONCE(dst->obsolete) && !dst->ops->check(dst, d->cookie))
		return NULL;
	return dst;
}

/* ep_lock held: replace @ep's entry with @d (may be NULL). */
static void ep_dst_replace(struct sluice_net *sn, struct sluice_ep *ep,
			   struct sluice_ep_dst *d)
{
	struct sluice_ep_dst *old;

	old = rcu_replace_pointer(ep->dst, d, lockdep_is_held(&sn->ep_lock));
	if (old)
		call_rcu(&old->rcu, ep_dst_free_rcu);
}

void sluice_route_set(struct sluice_net *sn, struct sluice_ep *ep,
		      struct dst_entry *dst, u32 cookie)
{
	struct sluice_ep_dst *d = kmalloc(sizeof(*d), GFP_ATOMIC);
	unsigned long flags;

	if (!d)
		return; /* no cache this time: the next packet looks up again */
	dst_hold(dst);
	d->dst = dst;
	d->cookie = cookie;
	spin_lock_irqsave(&sn->ep_lock, flags);
	/* A device going away must not be cached again: see route_event(). */
	if (dst->dev->reg_state == NETREG_REGISTERED && netif_running(dst->dev)) {
		ep_dst_replace(sn, ep, d);
		d = NULL;
	}
	spin_unlock_irqrestore(&sn->ep_lock, flags);
	if (d) {
		dst_release(d->dst);
		kfree(d);
	}
}

/*
 * A device going down or away: drop every cached route of its namespace,
 * or its unregistration could wait for them forever (a namespace being
 * deleted would never go). Not only those through the device: by now the
 * kernel may have moved a route's device to blackhole_dev while the route
 * still holds the device through other references. Unregistration
 * repeats NETDEV_UNREGISTER while references remain, so a route cached in
 * a race is dropped then.
 */
static int route_event(struct notifier_block *nb, unsigned long event,
		       void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct sluice_net *sn;
	struct sluice_ep *ep;
	unsigned long flags, i;

	if (event != NETDEV_DOWN && event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	sn = sluice_pernet(dev_net(dev));
	if (!sn || !READ_ONCE(sn->ep_ready))
		return NOTIFY_DONE;
	spin_lock_irqsave(&sn->ep_lock, flags);
	xa_for_each(&sn->ep_slots, i, ep) {
		ep_dst_replace(sn, ep, NULL);
		sluice_fp_bump(sn, ep);
	}
	spin_unlock_irqrestore(&sn->ep_lock, flags);
	return NOTIFY_DONE;
}

static struct notifier_block route_notifier = {
	.notifier_call = route_event,
};

int sluice_route_register(void)
{
	return register_netdevice_notifier(&route_notifier);
}

void sluice_route_unregister(void)
{
	unregister_netdevice_notifier(&route_notifier);
	rcu_barrier(); /* entries replaced by packets or events */
}
