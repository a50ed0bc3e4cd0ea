// SPDX-License-Identifier: GPL-2.0
/*
 * The data path: netfilter hooks, IPv4 and IPv6, PRE_ROUTING (clients'
 * packets) and LOCAL_OUT (health-check probes), registered per namespace.
 *
 * Priority: before defragmentation and before nf_conntrack, so that
 * traffic to a VIP costs the host's connection tracking nothing and
 * fragments to a VIP are seen (and dropped) as they arrive, whether or
 * not nf_defrag is loaded.
 *
 * A packet for a service: its connection entry, else the scheduler's
 * choice (and a new entry); then it leaves toward the real, routed with
 * the real's address as next hop, marked SLUICE_MARK_VALUE | endpoint slot
 * for the tc egress program, which encapsulates it (IP-in-IP). The real
 * answers the client directly. Packets to a VIP are never delivered to a
 * socket on this host.
 *
 * A probe (see "Health checks through the VIP" in the uapi header) is a
 * packet a socket of this host marked SLUICE_MARK_VALUE | slot: it leaves
 * toward that slot's real through the same transmit path, so it reaches
 * the real as a client's packet does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/kernel.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/neighbour.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "compat.h"
#include "conn.h"
#include "fastpath.h"
#include "maglev.h"
#include "route.h"
#include "service.h"
#include "sluice.h"

#define SLUICE_HOOK_PRIORITY	(NF_IP_PRI_CONNTRACK_DEFRAG - 10)

/* What the data path needs of a packet. */
struct sluice_pkt {
	struct sluice_conn_key key;
	__be32 tcp_flags;
	bool fragment;
	bool options;
};

static void count_drop(struct sluice_net *sn, enum sluice_drop why)
{
	this_cpu_inc(sn->drops->n[why]);
}

/* Ports and TCP flags at @thoff; false if the header is not all there. */
static bool parse_l4(struct sk_buff *skb, unsigned int thoff, struct sluice_pkt *p)
{
	if (p->key.proto == IPPROTO_TCP) {
		struct tcphdr _th;
		const struct tcphdr *th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);

		if (!th || th->doff < 5)
			return false;
		p->key.sport = th->source;
		p->key.dport = th->dest;
		p->tcp_flags = tcp_flag_word(th);
		return true;
	}
	if (p->key.proto == IPPROTO_UDP) {
		struct udphdr _uh;
		const struct udphdr *uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);

		if (!uh)
			return false;
		p->key.sport = uh->source;
		p->key.dport = uh->dest;
		return true;
	}
	return false;
}

/* -1: not ours (not TCP/UDP); 0: parsed; 1: malformed. */
static int parse_v4(struct sk_buff *skb, struct sluice_pkt *p)
{
	const struct iphdr *iph = ip_hdr(skb);

	memset(p, 0, sizeof(*p));
	p->key.af = AF_INET;
	p->key.proto = iph->protocol;
	p->key.saddr.ip = iph->saddr;
	p->key.daddr.ip = iph->daddr;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return -1;
	p->fragment = ip_is_fragment(iph);
	p->options = iph->ihl > 5;
	if (p->fragment || p->options)
		return 0;
	return parse_l4(skb, ip_hdrlen(skb), p) ? 0 : 1;
}

static int parse_v6(struct sk_buff *skb, struct sluice_pkt *p)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned short frag = 0;
	unsigned int thoff = 0;
	int proto;

	memset(p, 0, sizeof(*p));
	p->key.af = AF_INET6;
	p->key.saddr.in6 = ip6h->saddr;
	p->key.daddr.in6 = ip6h->daddr;
	proto = ipv6_find_hdr(skb, &thoff, -1, &frag, NULL);
	if (proto < 0)
		return -1;
	p->key.proto = proto;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP) {
		/* A fragment whose first part would name TCP/UDP is still ours. */
		if (proto != NEXTHDR_FRAGMENT && !frag)
			return -1;
	}
	p->fragment = frag || proto == NEXTHDR_FRAGMENT;
	if (p->fragment)
		return 0;
	return parse_l4(skb, thoff, p) ? 0 : 1;
}

/* The service for the packet: fwmark first (as IPVS), then VIP:port, then VIP:0. */
static struct sluice_service *find_service(struct sluice_net *sn, struct sk_buff *skb,
					   const struct sluice_pkt *p)
{
	struct sluice_svc_id id = { .af = p->key.af };
	struct sluice_service *svc;

	if (skb->mark && (skb->mark & SLUICE_MARK_MASK) != SLUICE_MARK_VALUE) {
		id.fwmark = skb->mark;
		svc = sluice_svc_lookup_rcu(sn, &id);
		if (svc)
			return svc;
		id.fwmark = 0;
	}
	id.addr = p->key.daddr;
	id.proto = p->key.proto;
	id.port = p->key.dport;
	svc = sluice_svc_lookup_rcu(sn, &id);
	if (svc)
		return svc;
	id.port = 0;
	return sluice_svc_lookup_rcu(sn, &id);
}

/*
 * The flow hash the scheduler sees: the service's hash fields of the
 * packet, with the namespace's seed, so every LB node computes the same.
 */
static u64 flow_hash(struct sluice_net *sn, const struct sluice_service *svc,
		     const struct sluice_pkt *p)
{
	u32 f = READ_ONCE(svc->hash_fields);
	struct sluice_conn_key k = { .af = p->key.af };

	if (f & SLUICE_HASH_SRC_ADDR)
		k.saddr = p->key.saddr;
	if (f & SLUICE_HASH_SRC_PORT)
		k.sport = p->key.sport;
	if (f & SLUICE_HASH_DST_ADDR)
		k.daddr = p->key.daddr;
	if (f & SLUICE_HASH_DST_PORT)
		k.dport = p->key.dport;
	if (f & SLUICE_HASH_PROTO)
		k.proto = p->key.proto;
	return sluice_mh_hash((const u8 *)&k, sizeof(k), READ_ONCE(sn->cfg.mh_seed));
}

/* The outer header the tc program adds for a real of family @af. */
static unsigned int tunnel_overhead(u16 af)
{
	return af == AF_INET ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
}

/* Does the packet fit @mtu (GSO packets: each segment)? */
static bool fits(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb_is_gso(skb))
		return skb_gso_validate_network_len(skb, mtu);
	return skb->len <= mtu;
}

/*
 * A forwarded packet's receive time is not a departure time for the qdisc
 * (fq) and its checksum state is the receiving device's; a local packet's
 * time is its socket's departure time (TCP pacing) and its checksum is
 * still to be done (CHECKSUM_PARTIAL), as on the stack's output path.
 */
static void mark_for_tc(struct sk_buff *skb, const struct sluice_ep *ep, bool local)
{
	skb->mark = SLUICE_MARK_VALUE | ep->slot;
	if (!local) {
		skb_clear_tstamp(skb);
		skb_forward_csum(skb);
	}
	/* Not the host's business: keep nf_conntrack away from it. */
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
}

/*
 * The route to endpoint @ep: the cached one (*noref: no reference taken,
 * valid under RCU) or a new lookup, cached for the next packets.
 */
static struct dst_entry *route_v4(struct sluice_net *sn, struct sluice_ep *ep, bool *noref)
{
	struct flowi4 fl4 = {
		.daddr = ep->key.addr.ip,
		.flowi4_flags = FLOWI_FLAG_KNOWN_NH,
	};
	struct dst_entry *dst = sluice_route_get(ep);
	struct rtable *rt;

	*noref = !!dst;
	if (dst)
		return dst;
	rt = ip_route_output_key(sn->net, &fl4);
	if (IS_ERR(rt))
		return NULL;
	if (rt->rt_type != RTN_UNICAST) {
		ip_rt_put(rt);
		return NULL;
	}
	sluice_route_set(sn, ep, &rt->dst, 0);
	return &rt->dst;
}

static struct dst_entry *route_v6(struct sluice_net *sn, struct sluice_ep *ep, bool *noref)
{
	struct flowi6 fl6 = {
		.daddr = ep->key.addr.in6,
		.flowi6_flags = FLOWI_FLAG_KNOWN_NH,
	};
	struct dst_entry *dst = sluice_route_get(ep);

	*noref = !!dst;
	if (dst)
		return dst;
	dst = ip6_route_output(sn->net, NULL, &fl6);
	if (dst->error || (dst->dev->flags & IFF_LOOPBACK)) {
		dst_release(dst);
		return NULL;
	}
	sluice_route_set(sn, ep, dst, rt6_get_cookie(dst_rt6_info(dst)));
	return dst;
}

/*
 * Too big for the tunnel: tell the sender (rate-limited as all ICMP, but
 * for local senders). A local packet (a probe) still has its own route,
 * to the VIP: the error comes from the VIP to this host's socket, which
 * lowers its path MTU as for any other hop's error (as IPVS does for
 * local clients). icmpv6_send() takes the namespace from skb->dev, which
 * the output path has not set yet.
 */
static void too_big(struct sluice_net *sn, struct sk_buff *skb, u16 af, unsigned int mtu,
		    bool local)
{
	if (af == AF_INET6) {
		if (local && !skb->dev)
			skb->dev = sn->net->loopback_dev;
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		return;
	}
	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return;
	if (!local) {
		/* icmp_send() needs the input route. */
		skb_dst_drop(skb);
		if (ip_route_input_noref(skb, ip_hdr(skb)->daddr, ip_hdr(skb)->saddr,
					 ip_hdr(skb)->tos, skb->dev))
			return;
	}
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
}

/* The neighbour entry of @dst's next hop toward @ep (RCU read section). */
static struct neighbour *next_hop(struct dst_entry *dst, const struct sluice_ep *ep)
{
	struct rtable *rt;

	if (ep->key.af == AF_INET6)
		return ip_neigh_gw6(dst->dev, rt6_nexthop(dst_rt6_info(dst), &ep->key.addr.in6));
	rt = container_of(dst, struct rtable, dst);
	if (rt->rt_gw_family == AF_INET6)
		return ip_neigh_gw6(dst->dev, &rt->rt_gw6);
	return ip_neigh_gw4(dst->dev, rt->rt_gw_family == AF_INET ? rt->rt_gw4 : ep->key.addr.ip);
}

/*
 * Send the packet (of family @af) toward tunnel endpoint @ep (of either
 * family), marked for tc. 0 if the packet is gone; else the caller drops
 * it. @local: generated by this host (a probe, from LOCAL_OUT), else
 * received (from PRE_ROUTING). @fp: the tc program may record the flow
 * for the XDP fast path (fastpath.c).
 *
 * The packet goes straight to the next hop's neighbour entry, as
 * ip(6)_finish_output2() would hand it on, not through ip(6)_local_out():
 * the route is the real's, which may be of the other family (the output
 * path would take the inner header for its own), and the LOCAL_OUT and
 * POST_ROUTING hooks would see a packet that is not the one on the wire
 * (the tc program puts the outer header in front after them). The
 * Ethernet type follows skb->protocol, the inner family, until tc writes
 * the outer one.
 */
static int xmit(struct sluice_net *sn, struct sk_buff *skb, u16 af, struct sluice_ep *ep,
		bool local, bool fp)
{
	unsigned int overhead = tunnel_overhead(ep->key.af);
	struct neighbour *neigh;
	struct dst_entry *dst;
	unsigned int mtu;
	bool noref;
	int err;

	dst = ep->key.af == AF_INET ? route_v4(sn, ep, &noref) : route_v6(sn, ep, &noref);
	if (!dst) {
		count_drop(sn, SLUICE_DROP_NO_ROUTE);
		return -EHOSTUNREACH;
	}
	mtu = dst_mtu(dst) - overhead;
	/*
	 * A header of our own (not shared with a clone) with room for the
	 * link-layer header and the outer one, so tc need not move it again.
	 * GSO packets (a local TCP socket builds them: its route to the VIP
	 * is loopback's) are checked segment by segment.
	 */
	err = !fits(skb, mtu) ? -EMSGSIZE :
	      skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + overhead) ? -ENOMEM : 0;
	if (err) {
		if (!noref)
			dst_release(dst);
		if (err == -EMSGSIZE)
			too_big(sn, skb, af, mtu, local);
		count_drop(sn, err == -EMSGSIZE ? SLUICE_DROP_TOO_BIG : SLUICE_DROP_NO_MEMORY);
		return err;
	}
	skb_dst_drop(skb);
	if (noref)
		skb_dst_set_noref(skb, dst);
	else
		skb_dst_set(skb, dst);
	mark_for_tc(skb, ep, local);
	skb->dev = dst->dev;
	neigh = next_hop(dst, ep);
	if (IS_ERR(neigh)) {
		count_drop(sn, SLUICE_DROP_NO_ROUTE);
		return PTR_ERR(neigh);
	}
	sluice_fp_mark(skb, fp ? sluice_fp_path(sn, ep, dst, mtu, neigh) : 0);
	neigh_output(neigh, skb, false);
	return 0;
}

/* @addr masked to its first @plen bits. */
static void mask_addr(union nf_inet_addr *addr, u16 af, u8 plen)
{
	int i, words = af == AF_INET ? 1 : 4;

	for (i = 0; i < words; i++, plen = plen > 32 ? plen - 32 : 0)
		addr->all[i] &= plen >= 32 ? htonl(~0U) : plen ? htonl(~0U << (32 - plen)) : 0;
}

/*
 * The scheduler's choice, through the service's persistence template when
 * it has a timeout: the client's address (masked to the persistence prefix)
 * keeps going to the real it went to first, as with IPVS's persistent
 * services, until the template has not been used for the timeout.
 * Templates live in the connection table with protocol 0; the key holds the
 * VIP and port (0 for all-port services; the fwmark for fwmark services).
 */
static struct sluice_dest *persistent_dest(struct sluice_net *sn, struct sluice_service *svc,
					   const struct sluice_pkt *p)
{
	u32 timeout = READ_ONCE(svc->timeout);
	struct sluice_conn_key tk = { .af = p->key.af };
	struct sluice_dest *dest;
	struct sluice_conn *t;

	if (!timeout)
		return sluice_svc_schedule(svc, flow_hash(sn, svc, p));
	tk.saddr = p->key.saddr;
	mask_addr(&tk.saddr, p->key.af, READ_ONCE(svc->persist_plen));
	if (svc->key.fwmark) {
		tk.daddr.all[0] = htonl(svc->key.fwmark);
	} else {
		tk.daddr = svc->key.addr;
		tk.dport = svc->key.port;
	}
	t = sluice_conn_lookup(sn, &tk);
	if (t && !READ_ONCE(t->dest->gone)) {
		WRITE_ONCE(t->expires, jiffies + (unsigned long)timeout * HZ);
		return t->dest;
	}
	if (t)		/* its real was deleted: the client starts over */
		sluice_conn_remove(sn, t);
	dest = sluice_svc_schedule(svc, flow_hash(sn, svc, p));
	if (dest)
		sluice_conn_add_template(sn, &tk, dest, timeout);
	return dest;
}

/*
 * A TCP SYN (no ACK) for the 5-tuple of a connection past its handshake:
 * closed (FIN or RST seen), or established, which a client's SYN never is
 * (its old connection ended where this node could not see it: reset by
 * the real, whose packets go to the client directly). A SYN on an entry
 * still in its handshake is a retransmission, and keeps its real.
 */
static bool reused_port(const struct sluice_conn *c, const struct sluice_pkt *p)
{
	u8 state = READ_ONCE(c->state);

	return p->key.proto == IPPROTO_TCP &&
	       (p->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN &&
	       (state == SLUICE_CS_FIN || state == SLUICE_CS_EST);
}

/*
 * The real for the packet: its connection's, else the scheduler's. *@cs:
 * the connection's state after this packet (SLUICE_CS_DEAD: no entry).
 */
static struct sluice_dest *choose(struct sluice_net *sn, struct sluice_service *svc,
				  const struct sluice_pkt *p, bool *new_conn, u8 *cs)
{
	struct sluice_conn *c = sluice_conn_lookup(sn, &p->key);
	struct sluice_dest *dest;
	u8 state;

	*new_conn = false;
	*cs = SLUICE_CS_DEAD;
	if (c) {
		dest = c->dest;
		/*
		 * A new connection on an old one's port is scheduled as new
		 * (IPVS's conn_reuse_mode 1, and its expire_nodest_conn for
		 * a drained real), so that a real drained or deleted since
		 * gets none, whatever ports clients pick; every node's
		 * scheduler makes the same choice. A connection whose
		 * real was deleted starts over if expire_nodest is on.
		 */
		if (!reused_port(c, p) &&
		    (!READ_ONCE(dest->gone) || !READ_ONCE(sn->cfg.expire_nodest))) {
			sluice_conn_update(sn, c, p->tcp_flags);
			*cs = READ_ONCE(c->state);
			return dest;
		}
		sluice_conn_remove(sn, c);
	}
	dest = persistent_dest(sn, svc, p);
	if (!dest)
		return NULL;
	*new_conn = true;
	if (p->key.proto == IPPROTO_UDP) {
		if (READ_ONCE(svc->flags) & SLUICE_SVC_F_ONEPACKET)
			return dest;
		state = SLUICE_CS_UDP;
	} else if ((p->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN) {
		state = SLUICE_CS_SYN;
	} else if (p->tcp_flags & (TCP_FLAG_FIN | TCP_FLAG_RST)) {
		state = SLUICE_CS_FIN;
	} else {
		/* Mid-flow (another LB node had it): the scheduler agrees with it. */
		state = SLUICE_CS_EST;
	}
	sluice_conn_add(sn, &p->key, dest, state);
	*cs = state;
	return dest;
}

/*
 * An ICMP error to a VIP (a router on the reply path telling the VIP "too
 * big" or "unreachable") quotes the reply it is about: VIP -> client. The
 * flow is that reversed; the error goes to the real that owns it (its
 * connection entry, else the scheduler's choice), encapsulated like the
 * flow, so the real's stack learns the path MTU. Returns the real, or NULL
 * if the error is not about one of our flows.
 */
static struct sluice_dest *icmp_error_dest(struct sluice_net *sn, struct sk_buff *skb,
					   u16 af, struct sluice_service **svcp)
{
	unsigned int off, inner_len;
	struct sluice_pkt inner, flow;
	__be16 _ports[2];
	const __be16 *ports;
	struct sluice_conn *c;
	u8 type;

	if (af == AF_INET) {
		struct icmphdr _ih;
		const struct icmphdr *ih;
		struct iphdr _iph;
		const struct iphdr *iph;

		off = ip_hdrlen(skb);
		ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
		if (!ih || (ih->type != ICMP_DEST_UNREACH && ih->type != ICMP_TIME_EXCEEDED &&
			    ih->type != ICMP_PARAMETERPROB))
			return NULL;
		off += sizeof(_ih);
		iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
		if (!iph || iph->version != 4 || iph->ihl < 5)
			return NULL;
		memset(&inner, 0, sizeof(inner));
		inner.key.af = AF_INET;
		inner.key.proto = iph->protocol;
		inner.key.saddr.ip = iph->saddr;
		inner.key.daddr.ip = iph->daddr;
		inner_len = iph->ihl * 4;
	} else {
		struct icmp6hdr _ih;
		const struct icmp6hdr *ih;
		struct ipv6hdr _iph;
		const struct ipv6hdr *iph;

		if (ipv6_hdr(skb)->nexthdr != IPPROTO_ICMPV6)
			return NULL;
		off = sizeof(struct ipv6hdr);
		ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
		type = ih ? ih->icmp6_type : 0;
		if (!ih || type < ICMPV6_DEST_UNREACH || type > ICMPV6_PARAMPROB)
			return NULL;
		off += sizeof(_ih);
		iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
		if (!iph)
			return NULL;
		memset(&inner, 0, sizeof(inner));
		inner.key.af = AF_INET6;
		inner.key.proto = iph->nexthdr;
		inner.key.saddr.in6 = iph->saddr;
		inner.key.daddr.in6 = iph->daddr;
		inner_len = sizeof(*iph);
	}
	/* TCP or UDP, with its ports quoted (routers may quote only 8 bytes). */
	if (inner.key.proto != IPPROTO_TCP && inner.key.proto != IPPROTO_UDP)
		return NULL;
	ports = skb_header_pointer(skb, off + inner_len, sizeof(_ports), _ports);
	if (!ports)
		return NULL;
	inner.key.sport = ports[0];
	inner.key.dport = ports[1];
	memset(&flow, 0, sizeof(flow));
	flow.key.af = af;
	flow.key.proto = inner.key.proto;
	flow.key.saddr = inner.key.daddr;
	flow.key.daddr = inner.key.saddr;
	flow.key.sport = inner.key.dport;
	flow.key.dport = inner.key.sport;
	*svcp = find_service(sn, skb, &flow);
	if (!*svcp)
		return NULL;
	c = sluice_conn_lookup(sn, &flow.key);
	if (c)
		return c->dest;
	return sluice_svc_schedule(*svcp, flow_hash(sn, *svcp, &flow));
}

/*
 * May the XDP fast path carry the flow's next packets? Those of a UDP
 * flow with a connection entry (not a one-packet service's), and of an
 * established TCP connection, from a packet with no SYN, FIN or RST:
 * those, and every packet of a closing connection, the module must see.
 * @cs: the flow's connection state after the packet (choose()).
 */
static bool fast_path_ok(const struct sluice_pkt *p, u8 cs)
{
	if (p->key.proto == IPPROTO_UDP)
		return cs == SLUICE_CS_UDP;
	return cs == SLUICE_CS_EST &&
	       !(p->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST));
}

static unsigned int sluice_hook(struct sk_buff *skb, const struct nf_hook_state *state,
				u16 af)
{
	struct sluice_net *sn = sluice_pernet(state->net);
	struct sluice_service *svc;
	struct sluice_dest *dest;
	struct sluice_pkt p;
	bool new_conn;
	u8 cs;
	int err;

	if (!READ_ONCE(sn->nsvc))
		return NF_ACCEPT;
	err = af == AF_INET ? parse_v4(skb, &p) : parse_v6(skb, &p);
	if (err < 0) {
		/* Not TCP/UDP: an ICMP error about one of our flows goes to its real. */
		if (!sluice_is_vip_rcu(sn, af, &p.key.daddr))
			return NF_ACCEPT;
		dest = icmp_error_dest(sn, skb, af, &svc);
		if (!dest)
			return NF_ACCEPT;
		err = xmit(sn, skb, af, dest->ep, false, false);
		return err ? NF_DROP : NF_STOLEN;
	}
	svc = find_service(sn, skb, &p);
	if (!svc) {
		/* TCP/UDP to a VIP on a port no service has: not for this host. */
		if (!sluice_is_vip_rcu(sn, af, &p.key.daddr))
			return NF_ACCEPT;
		count_drop(sn, SLUICE_DROP_NO_SERVICE);
		return NF_DROP;
	}
	if (err) {
		count_drop(sn, SLUICE_DROP_MALFORMED);
		return NF_DROP;
	}
	if (p.fragment || p.options) {
		count_drop(sn, p.fragment ? SLUICE_DROP_FRAGMENT : SLUICE_DROP_IP_OPTIONS);
		return NF_DROP;
	}
	dest = choose(sn, svc, &p, &new_conn, &cs);
	if (!dest) {
		count_drop(sn, SLUICE_DROP_NO_DEST);
		return NF_DROP;
	}
	sluice_stats_add(&svc->stats, skb->len, new_conn);
	sluice_stats_add(&dest->stats, skb->len, new_conn);
	sluice_fp_count(skb, svc, dest);
	err = xmit(sn, skb, af, dest->ep, false, fast_path_ok(&p, cs));
	if (err)
		return NF_DROP;
	return NF_STOLEN;
}

static unsigned int sluice_hook_v4(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return sluice_hook(skb, state, AF_INET);
}

static unsigned int sluice_hook_v6(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return sluice_hook(skb, state, AF_INET6);
}

/*
 * A health-check probe: a locally generated TCP or UDP packet marked
 * SLUICE_MARK_VALUE | slot goes to the real in that slot as a client's
 * packet would (see the uapi header). Anything else passes untouched.
 *
 * Only the stack's output path hands packets to LOCAL_OUT; the module's
 * own (xmit()) goes to the neighbour layer and never comes back here, and
 * the tc program adds the outer header (and clears the mark) only after,
 * so a packet is never taken twice.
 *
 * The packet keeps its socket (skb->sk and its destructor), as on the
 * stack's output path (ip_finish_output2() keeps it): the destructor
 * gives the memory back to the socket when the packet is gone, which TCP
 * small queues and the send buffer count on, and fq paces by it;
 * skb_cow_head() leaves a socket's accounting alone. The output path may
 * run with bottom halves enabled (a process sending): xmit() runs with
 * them disabled, as from PRE_ROUTING and as ip_finish_output2() hands
 * packets to the neighbour layer.
 */
static unsigned int sluice_probe(struct sk_buff *skb, const struct nf_hook_state *state,
				 u16 af)
{
	struct sluice_net *sn;
	struct sluice_ep *ep;
	struct sluice_pkt p;
	int err;

	if ((skb->mark & SLUICE_MARK_MASK) != SLUICE_MARK_VALUE)
		return NF_ACCEPT;
	err = af == AF_INET ? parse_v4(skb, &p) : parse_v6(skb, &p);
	if (err < 0)
		return NF_ACCEPT;
	sn = sluice_pernet(state->net);
	if (err || p.fragment || p.options) {
		count_drop(sn, err ? SLUICE_DROP_MALFORMED :
			   p.fragment ? SLUICE_DROP_FRAGMENT : SLUICE_DROP_IP_OPTIONS);
		return NF_DROP;
	}
	ep = sluice_ep_lookup_rcu(sn, skb->mark & ~SLUICE_MARK_MASK);
	if (!ep) {
		count_drop(sn, SLUICE_DROP_PROBE_NO_REAL);
		return NF_DROP;
	}
	local_bh_disable();
	err = xmit(sn, skb, af, ep, true, false);
	local_bh_enable();
	return err ? NF_DROP : NF_STOLEN;
}

static unsigned int sluice_probe_v4(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	return sluice_probe(skb, state, AF_INET);
}

static unsigned int sluice_probe_v6(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	return sluice_probe(skb, state, AF_INET6);
}

/*
 * LOCAL_OUT at the same priority: before the host's own conntrack and
 * OUTPUT rules (raw, mangle, nat, filter), which a probe, like a client's
 * packet, does not pass through.
 */
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
	{
		.hook = sluice_probe_v4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = SLUICE_HOOK_PRIORITY,
	},
	{
		.hook = sluice_probe_v6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
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
