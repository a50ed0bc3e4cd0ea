// SPDX-License-Identifier: GPL-2.0
/*
 * sluice tc egress program: IP-in-IP encapsulation toward the reals.
 *
 * The module marks a packet for real i with skb->mark = SLUICE_MARK_VALUE
 * | i and routes it toward the real. Here such a packet gets an outer IPv4
 * header (IPv4 real) or IPv6 header (IPv6 real) in front of its unchanged
 * inner packet, with bpf_skb_adjust_room()'s encapsulation flags so GSO
 * packets are segmented right (their MSS shrinks by the outer header).
 * The outer source is the configured tunnel source, or an address in the
 * configured source prefix picked by the flow's hash, so a real's NIC
 * spreads flows over its queues; the same flow always gets the same one.
 * Unmarked packets pass untouched; a mark naming an unused real slot is
 * dropped, never sent unencapsulated. The mark is cleared once the packet
 * is encapsulated, so it is never encapsulated twice. With the XDP fast
 * path on, the flows the module allows are recorded for it (encap.h and
 * "XDP fast path" in the uapi header).
 */
#include <linux/pkt_cls.h>

#include "encap.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLUICE_TC_STATS_MAX);
	__type(key, __u32);
	__type(value, struct sluice_counter);
} sluice_tc_stats SEC(".maps");

static __always_inline int verdict(struct __sk_buff *skb, __u32 stat, int act)
{
	count(&sluice_tc_stats, stat, skb->len);
	return act;
}

/*
 * The @len bytes after the Ethernet header, linear (pulled into the head
 * if they are not), or NULL if the packet is shorter. Inlined with a
 * constant @len, the bounds check here is the one the verifier sees.
 */
static __always_inline void *l3_header(struct __sk_buff *skb, __u32 len)
{
	void *data = (void *)(long)skb->data;

	if (data + ETH_HLEN + len > (void *)(long)skb->data_end) {
		if (bpf_skb_pull_data(skb, ETH_HLEN + len))
			return NULL;
		data = (void *)(long)skb->data;
		if (data + ETH_HLEN + len > (void *)(long)skb->data_end)
			return NULL;
	}
	return data + ETH_HLEN;
}

/*
 * Read the inner IPv4 or IPv6 header (and the 4 bytes after it: the ports
 * of TCP and UDP, the type and code of ICMP) and hash the flow.
 * The module sends only packets with those 4 bytes (TCP, UDP, ICMP
 * errors).
 */
static __always_inline int read_inner(struct __sk_buff *skb, struct inner *in)
{
	__u8 *b;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		b = l3_header(skb, 24);
		if (!b || (b[0] >> 4) != 4)
			return -1;
		inner_v4(b, in);
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		b = l3_header(skb, 44);
		if (!b || (b[0] >> 4) != 6)
			return -1;
		inner_v6(b, in);
	} else {
		return -1;
	}
	return 0;
}

/*
 * The room for the outer header is made: write it (@len bytes) and the
 * Ethernet type that goes with it, clear the mark, count under @stat.
 * bpf_skb_adjust_room() made the room in the linear head.
 */
static __always_inline int finish_encap(struct __sk_buff *skb, void *hdr,
					__u32 len, __u16 eth_type, __u32 stat)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if (data + ETH_HLEN + sizeof(struct ipv6hdr) > end)
		return verdict(skb, SLUICE_TC_DROP_ENCAP_FAILED, TC_ACT_SHOT);
	if (len == sizeof(struct iphdr))
		__builtin_memcpy(data + ETH_HLEN, hdr, sizeof(struct iphdr));
	else
		__builtin_memcpy(data + ETH_HLEN, hdr, sizeof(struct ipv6hdr));
	eth->h_proto = bpf_htons(eth_type);
	skb->mark = 0;
	return verdict(skb, stat, TC_ACT_OK);
}

static __always_inline int encap_v4(struct __sk_buff *skb,
				    const struct sluice_real_ep *ep,
				    const struct sluice_tc_config *cfg,
				    const struct inner *in)
{
	struct iphdr iph;

	outer_v4(&iph, ep, cfg, in, skb->len - ETH_HLEN);
	if (bpf_skb_adjust_room(skb, sizeof(iph), BPF_ADJ_ROOM_MAC,
				BPF_F_ADJ_ROOM_ENCAP_L3_IPV4))
		return verdict(skb, SLUICE_TC_DROP_ENCAP_FAILED, TC_ACT_SHOT);
	return finish_encap(skb, &iph, sizeof(iph), ETH_P_IP,
			    SLUICE_TC_ENCAP_V4);
}

static __always_inline int encap_v6(struct __sk_buff *skb,
				    const struct sluice_real_ep *ep,
				    const struct sluice_tc_config *cfg,
				    const struct inner *in)
{
	struct ipv6hdr ip6;

	outer_v6(&ip6, ep, cfg, in, skb->len - ETH_HLEN);
	if (bpf_skb_adjust_room(skb, sizeof(ip6), BPF_ADJ_ROOM_MAC,
				BPF_F_ADJ_ROOM_ENCAP_L3_IPV6))
		return verdict(skb, SLUICE_TC_DROP_ENCAP_FAILED, TC_ACT_SHOT);
	return finish_encap(skb, &ip6, sizeof(ip6), ETH_P_IPV6,
			    SLUICE_TC_ENCAP_V6);
}

/*
 * Should this packet's flow be recorded for the XDP fast path? The fast
 * path is on, and the module said so (cb[0], with the slot's generation
 * it checked in cb[1]; see "XDP fast path" in the uapi header).
 */
static __always_inline int fp_wanted(struct __sk_buff *skb)
{
	struct sluice_xdp_config *xc;
	__u32 zero = 0;

	if (skb->cb[0] != SLUICE_FP_CB_MAGIC || !skb->cb[1])
		return 0;
	xc = bpf_map_lookup_elem(&sluice_xdp_cfg, &zero);
	return xc && (xc->flags & SLUICE_XDP_FASTPATH);
}

/*
 * Record the flow of the packet just encapsulated (@olen bytes of outer
 * header; the Ethernet header in front of it is the one the neighbour
 * layer wrote), if the fast path takes it (TCP or UDP, no IPv4 options,
 * no IPv6 extension header): a new entry, or the fields of an existing
 * one changed in place, its fast-path counts kept. A reader on another
 * CPU checks gen last: gen is cleared first and set last, so it never
 * takes a half-written entry for a valid one.
 *
 * Not inlined (a BPF-to-BPF call): inlined, it doubled the states the
 * verifier goes through on the paths before it.
 */
static __noinline int fp_record(struct __sk_buff *skb, __u32 olen, __u32 slot,
				__u32 gen, __u32 hash)
{
	struct sluice_fp_flow *e, nf = {};
	struct sluice_xdp_config *xc;
	__u32 mac[3], *old, zero = 0;
	struct sluice_fp_key key;
	volatile __u32 *vgen;
	void *data, *end;
	__u8 *b;

	if (olen != sizeof(struct iphdr) && olen != sizeof(struct ipv6hdr))
		return 0;
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	/* The inner headers were in the linear head before the outer one. */
	b = data + ETH_HLEN + olen;
	if ((void *)(b + 24) > end)
		return 0;
	if ((b[0] >> 4) == 6) {
		if ((void *)(b + 44) > end || fp_key_of(b, 1, &key))
			return 0;
	} else if (fp_key_of(b, 0, &key)) {
		return 0;
	}
	__builtin_memcpy(mac, data, sizeof(mac));
	e = bpf_map_lookup_elem(&sluice_fp_flows, &key);
	if (e) {
		old = (__u32 *)e->eth;
		if (e->gen == gen && e->slot == slot && e->hash == hash &&
		    e->ifindex == skb->ifindex && old[0] == mac[0] &&
		    old[1] == mac[1] && old[2] == mac[2])
			return 0;
	}
	count(&sluice_fp_stats, SLUICE_FP_RECORDED, skb->len);
	if (!e) {
		xc = bpf_map_lookup_elem(&sluice_xdp_cfg, &zero);
		if (!xc)
			return 0;
		__builtin_memcpy(nf.eth, mac, sizeof(mac));
		nf.ifindex = skb->ifindex;
		nf.slot = slot;
		nf.gen = gen;
		nf.hash = hash;
		nf.refresh = fp_now() + fp_interval(xc);
		bpf_map_update_elem(&sluice_fp_flows, &key, &nf, BPF_NOEXIST);
		return 0;
	}
	vgen = &e->gen;
	*vgen = 0;
	barrier();
	__builtin_memcpy(e->eth, mac, sizeof(mac));
	e->ifindex = skb->ifindex;
	e->slot = slot;
	e->hash = hash;
	barrier();
	*vgen = gen;
	return 0;
}

SEC("tc")
int sluice_tc(struct __sk_buff *skb)
{
	struct sluice_tc_config *cfg;
	struct sluice_real_ep *ep;
	__u32 idx, zero = 0, gen;
	struct inner in;
	int ret;

	if ((skb->mark & SLUICE_MARK_MASK) != SLUICE_MARK_VALUE)
		return verdict(skb, SLUICE_TC_PASS, TC_ACT_OK);

	idx = skb->mark & ~SLUICE_MARK_MASK;
	ep = bpf_map_lookup_elem(&sluice_reals, &idx);
	if (!ep || !(ep->flags & SLUICE_REAL_EP_VALID))
		return verdict(skb, SLUICE_TC_DROP_NO_REAL, TC_ACT_SHOT);
	cfg = bpf_map_lookup_elem(&sluice_tc_cfg, &zero);
	if (!cfg)
		return verdict(skb, SLUICE_TC_DROP_NO_SOURCE, TC_ACT_SHOT);
	gen = fp_wanted(skb) ? skb->cb[1] : 0;
	if (read_inner(skb, &in))
		return verdict(skb, SLUICE_TC_DROP_MALFORMED, TC_ACT_SHOT);
	if (!have_source(cfg, ep->family))
		return verdict(skb, SLUICE_TC_DROP_NO_SOURCE, TC_ACT_SHOT);

	if (ep->family == AF_INET)
		ret = encap_v4(skb, ep, cfg, &in);
	else if (ep->family == AF_INET6)
		ret = encap_v6(skb, ep, cfg, &in);
	else
		return verdict(skb, SLUICE_TC_DROP_NO_REAL, TC_ACT_SHOT);
	if (ret == TC_ACT_OK && gen)
		fp_record(skb,
			  ep->family == AF_INET ? sizeof(struct iphdr) :
						  sizeof(struct ipv6hdr),
			  idx, gen, in.hash);
	return ret;
}

char _license[] SEC("license") = "GPL";
