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
 * is encapsulated, so it is never encapsulated twice.
 */
#include <linux/pkt_cls.h>

#include "common.h"

#define DEFAULT_TTL 64
#define IP_DF 0x4000

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLUICE_MAX_REALS);
	__type(key, __u32);
	__type(value, struct sluice_real_ep);
} sluice_reals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sluice_tc_config);
} sluice_tc_cfg SEC(".maps");

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

/* Keep the prefix's top @plen bits, take the rest from @hash. */
static __always_inline __u32 in_prefix(__u32 prefix_host, __u8 plen, __u32 hash)
{
	__u32 mask;

	if (plen >= 32)
		return prefix_host;
	mask = plen ? ~0U << (32 - plen) : 0;
	return (prefix_host & mask) | (hash & ~mask);
}

static __always_inline __u16 csum_fold(__u32 csum)
{
	csum = (csum & 0xffff) + (csum >> 16);
	csum = (csum & 0xffff) + (csum >> 16);
	return (__u16)~csum;
}

/* What the inner header says: DSCP/ECN byte, whether DF applies, the flow. */
struct inner {
	__u8 tos;
	__u8 df;
	__u8 proto; /* IPPROTO_IPIP or IPPROTO_IPV6 */
	__u32 hash; /* of addresses and ports: the same on every node */
};

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
 * of TCP and UDP, the type and code of ICMP) and hash the flow. Our own
 * hash rather than the skb's: the flow dissector costs more than the rest
 * of this program, and a hash of the headers gives a flow the same outer
 * source on every LB node. The module sends only packets with those 4
 * bytes (TCP, UDP, ICMP errors).
 */
static __always_inline int read_inner(struct __sk_buff *skb, struct inner *in)
{
	__u32 *w, h;
	__u8 *b;
	int i;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		w = l3_header(skb, 24);
		b = (__u8 *)w;
		if (!b || (b[0] >> 4) != 4)
			return -1;
		in->tos = b[1];
		in->df = !!(w[1] & bpf_htonl(IP_DF));
		in->proto = IPPROTO_IPIP;
		/* Ports only after an option-less header (0 otherwise). */
		h = mix32(w[3] ^
			  mix32(w[4] ^
				mix32(((b[0] & 0x0f) == 5 ? w[5] : 0) ^ b[9])));
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		w = l3_header(skb, 44);
		b = (__u8 *)w;
		if (!b || (b[0] >> 4) != 6)
			return -1;
		in->tos = (b[0] << 4) | (b[1] >> 4);
		in->df = 1; /* IPv6 is never fragmented on the way */
		in->proto = IPPROTO_IPV6;
		h = b[6];
#pragma unroll
		for (i = 2; i < 11; i++)
			h = mix32(h ^ w[i]);
	} else {
		return -1;
	}
	in->hash = h;
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

/* The IPv4 header checksum of @iph (its check field 0). */
static __always_inline __u16 ip_checksum(const struct iphdr *iph)
{
	const __u16 *p = (const __u16 *)iph;
	__u32 sum = 0;
	int i;

#pragma unroll
	for (i = 0; i < (int)(sizeof(*iph) / 2); i++)
		sum += p[i];
	return csum_fold(sum);
}

static __always_inline int encap_v4(struct __sk_buff *skb,
				    const struct sluice_real_ep *ep,
				    const struct sluice_tc_config *cfg,
				    const struct inner *in)
{
	__u32 inner_len = skb->len - ETH_HLEN;
	struct iphdr iph = {};

	if (!cfg->src_v4)
		return verdict(skb, SLUICE_TC_DROP_NO_SOURCE, TC_ACT_SHOT);
	if (bpf_skb_adjust_room(skb, sizeof(iph), BPF_ADJ_ROOM_MAC,
				BPF_F_ADJ_ROOM_ENCAP_L3_IPV4))
		return verdict(skb, SLUICE_TC_DROP_ENCAP_FAILED, TC_ACT_SHOT);

	iph.version = 4;
	iph.ihl = 5;
	iph.tos = in->tos;
	iph.tot_len = bpf_htons(inner_len + sizeof(iph) > 0xffff ?
					0xffff :
					inner_len + sizeof(iph));
	/* RFC 2003: DF copied from the inner header. */
	iph.frag_off = in->df ? bpf_htons(IP_DF) : 0;
	iph.id = in->df ? 0 : (__be16)bpf_get_prandom_u32();
	iph.ttl = cfg->ttl ? cfg->ttl : DEFAULT_TTL;
	iph.protocol = in->proto;
	iph.saddr = bpf_htonl(
		in_prefix(bpf_ntohl(cfg->src_v4), cfg->src_v4_plen, in->hash));
	iph.daddr = ep->addr[0];
	iph.check = ip_checksum(&iph);

	return finish_encap(skb, &iph, sizeof(iph), ETH_P_IP,
			    SLUICE_TC_ENCAP_V4);
}

static __always_inline int encap_v6(struct __sk_buff *skb,
				    const struct sluice_real_ep *ep,
				    const struct sluice_tc_config *cfg,
				    const struct inner *in)
{
	__u32 inner_len = skb->len - ETH_HLEN;
	__u32 hash = in->hash;
	struct ipv6hdr ip6 = {};
	__u32 low;
	int i;

	if (!(cfg->src_v6[0] | cfg->src_v6[1] | cfg->src_v6[2] |
	      cfg->src_v6[3]))
		return verdict(skb, SLUICE_TC_DROP_NO_SOURCE, TC_ACT_SHOT);
	if (bpf_skb_adjust_room(skb, sizeof(ip6), BPF_ADJ_ROOM_MAC,
				BPF_F_ADJ_ROOM_ENCAP_L3_IPV6))
		return verdict(skb, SLUICE_TC_DROP_ENCAP_FAILED, TC_ACT_SHOT);

	ip6.version = 6;
	ip6.priority = in->tos >> 4;
	/* Traffic class low nibble, then a flow label from the flow's hash. */
	ip6.flow_lbl[0] = (in->tos << 4) | ((hash >> 16) & 0x0f);
	ip6.flow_lbl[1] = hash >> 8;
	ip6.flow_lbl[2] = hash;
	ip6.payload_len = bpf_htons(inner_len > 0xffff ? 0xffff : inner_len);
	ip6.nexthdr = in->proto;
	ip6.hop_limit = cfg->ttl ? cfg->ttl : DEFAULT_TTL;
	__builtin_memcpy(&ip6.saddr, cfg->src_v6, sizeof(ip6.saddr));
	/* The host part varies in the last 32 bits at most. */
	if (cfg->src_v6_plen < 128) {
		i = cfg->src_v6_plen > 96 ? cfg->src_v6_plen - 96 : 0;
		low = in_prefix(bpf_ntohl(cfg->src_v6[3]), i, hash);
		ip6.saddr.in6_u.u6_addr32[3] = bpf_htonl(low);
	}
	__builtin_memcpy(&ip6.daddr, ep->addr, sizeof(ip6.daddr));

	return finish_encap(skb, &ip6, sizeof(ip6), ETH_P_IPV6,
			    SLUICE_TC_ENCAP_V6);
}

SEC("tc")
int sluice_tc(struct __sk_buff *skb)
{
	struct sluice_tc_config *cfg;
	struct sluice_real_ep *ep;
	__u32 idx, zero = 0;
	struct inner in;

	if ((skb->mark & SLUICE_MARK_MASK) != SLUICE_MARK_VALUE)
		return verdict(skb, SLUICE_TC_PASS, TC_ACT_OK);

	idx = skb->mark & ~SLUICE_MARK_MASK;
	ep = bpf_map_lookup_elem(&sluice_reals, &idx);
	if (!ep || !(ep->flags & SLUICE_REAL_EP_VALID))
		return verdict(skb, SLUICE_TC_DROP_NO_REAL, TC_ACT_SHOT);
	cfg = bpf_map_lookup_elem(&sluice_tc_cfg, &zero);
	if (!cfg)
		return verdict(skb, SLUICE_TC_DROP_NO_SOURCE, TC_ACT_SHOT);
	if (read_inner(skb, &in))
		return verdict(skb, SLUICE_TC_DROP_MALFORMED, TC_ACT_SHOT);

	if (ep->family == AF_INET)
		return encap_v4(skb, ep, cfg, &in);
	if (ep->family == AF_INET6)
		return encap_v6(skb, ep, cfg, &in);
	return verdict(skb, SLUICE_TC_DROP_NO_REAL, TC_ACT_SHOT);
}

char _license[] SEC("license") = "GPL";
