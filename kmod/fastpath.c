// SPDX-License-Identifier: GPL-2.0
/*
 * The module's side of the XDP fast path (see "XDP fast path" in the uapi
 * header). The module stays the one place a flow's real is decided: the
 * tc program records a flow only when the module marked its packet so,
 * with the generation of the real's slot the module checked, and the XDP
 * program uses the record only while the slot still has that generation.
 *
 * A slot gets a new generation (from the namespace's counter: never the
 * same twice, never 0; it starts at a random value, so that a module
 * loaded again does not hand out the generations the flows recorded under
 * the one before still carry) when its endpoint is created, when one of its
 * reals is deleted, and when the data path sees the route to it, the
 * route's MTU or the next hop's link-layer address change; also when a
 * device goes down (route.c) and when the next hop's neighbour entry
 * changes its address or fails (a netevent, below), so that flows the
 * fast path carries, which send the slow path one packet a second only,
 * follow at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <net/netevent.h>
#include <net/sch_generic.h>

#include "fastpath.h"
#include "maps.h"
#include "sluice.h"
#include "stats.h"

/* The link-layer address of @n (zeros if not an Ethernet one). */
static void neigh_mac(const struct neighbour *n, u8 mac[ETH_ALEN])
{
	char ha[MAX_ADDR_LEN];

	if (n->dev->addr_len != ETH_ALEN) {
		eth_zero_addr(mac);
		return;
	}
	neigh_ha_snapshot(ha, n, n->dev);
	ether_addr_copy(mac, ha);
}

u32 sluice_fp_path(struct sluice_net *sn, struct sluice_ep *ep,
		   const struct dst_entry *dst, unsigned int mtu,
		   const struct neighbour *n)
{
	unsigned long flags;
	u8 mac[ETH_ALEN];
	u32 gen;

	neigh_mac(n, mac);
	if (likely(READ_ONCE(ep->fp_dst) == dst && READ_ONCE(ep->fp_mtu) == mtu &&
		   READ_ONCE(ep->fp_neigh) == n && ether_addr_equal(ep->fp_mac, mac)))
		return READ_ONCE(ep->fp_gen);
	spin_lock_irqsave(&sn->ep_lock, flags);
	/*
	 * An endpoint on its way out keeps its (cleared) slot as it is: its
	 * count reaches zero under ep_lock (ep_put()) and never rises again.
	 */
	if (refcount_read(&ep->refcnt)) {
		ep->fp_dst = dst;
		ep->fp_mtu = mtu;
		ep->fp_neigh = n;
		ether_addr_copy(ep->fp_mac, mac);
		sluice_fp_bump(sn, ep);
	}
	gen = ep->fp_gen;
	spin_unlock_irqrestore(&sn->ep_lock, flags);
	return gen;
}

void sluice_fp_mark(struct sk_buff *skb, u32 gen)
{
	u32 *cb = (u32 *)qdisc_skb_cb(skb)->data;

	/* The tc program's __sk_buff cb[0] and cb[1]. */
	BUILD_BUG_ON(sizeof(qdisc_skb_cb(skb)->data) < 2 * sizeof(u32));
	cb[0] = gen ? SLUICE_FP_CB_MAGIC : 0;
	cb[1] = gen;
}

void sluice_fp_count(const struct sk_buff *skb, struct sluice_service *svc,
		     struct sluice_dest *dest)
{
	struct sluice_fp_meta m;

	if (likely(skb_metadata_len(skb) != sizeof(m)) || !skb_mac_header_was_set(skb))
		return;
	memcpy(&m, skb_metadata_end(skb) - sizeof(m), sizeof(m));
	if (m.magic != SLUICE_FP_META_MAGIC)
		return;
	sluice_stats_add_n(&svc->stats, m.packets, m.bytes, 0);
	sluice_stats_add_n(&dest->stats, m.packets, m.bytes, 0);
}

/*
 * A neighbour entry changed: the endpoints whose packets last went to it
 * get a new generation if its address is another or it failed.
 */
static int fp_neigh_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct neighbour *n = ptr;
	struct sluice_net *sn;
	struct sluice_ep *ep;
	unsigned long flags;
	u8 mac[ETH_ALEN];
	unsigned long i;
	bool valid;

	if (event != NETEVENT_NEIGH_UPDATE)
		return NOTIFY_DONE;
	sn = sluice_pernet(dev_net(n->dev));
	if (!sn || !READ_ONCE(sn->ep_ready))
		return NOTIFY_DONE;
	neigh_mac(n, mac);
	valid = READ_ONCE(n->nud_state) & NUD_VALID;
	spin_lock_irqsave(&sn->ep_lock, flags);
	xa_for_each(&sn->ep_slots, i, ep) {
		if (ep->fp_neigh != n || (valid && ether_addr_equal(ep->fp_mac, mac)))
			continue;
		ep->fp_neigh = NULL;
		sluice_fp_bump(sn, ep);
	}
	spin_unlock_irqrestore(&sn->ep_lock, flags);
	return NOTIFY_DONE;
}

static struct notifier_block fp_netevent = {
	.notifier_call = fp_neigh_event,
};

int sluice_fp_register(void)
{
	return register_netevent_notifier(&fp_netevent);
}

void sluice_fp_unregister(void)
{
	unregister_netevent_notifier(&fp_netevent);
}
