/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The outer header of IP-in-IP encapsulation, built the same way by the tc
 * program (every packet the module sends) and by the XDP fast path (the
 * next packets of a flow the module decided): the same bytes for the same
 * flow, whichever program sends it.
 */
#ifndef SLUICE_BPF_ENCAP_H
#define SLUICE_BPF_ENCAP_H

#include "common.h"

#define DEFAULT_TTL 64
#define IP_DF 0x4000

/* What the inner header says: DSCP/ECN byte, whether DF applies, the flow. */
struct inner {
	__u8 tos;
	__u8 df;
	__u8 proto; /* IPPROTO_IPIP or IPPROTO_IPV6 */
	__u32 hash; /* of addresses and ports: the same on every node */
};

/*
 * Our own hash rather than the skb's: the flow dissector costs more than
 * the rest of the tc program, and a hash of the headers gives a flow the
 * same outer source on every LB node.
 */

/* What changes per packet: an IPv4 header's TOS and DF (20 bytes readable). */
static __always_inline void inner_tos_v4(const void *l3, struct inner *in)
{
	const __u32 *w = l3;
	const __u8 *b = l3;

	in->tos = b[1];
	in->df = !!(w[1] & bpf_htonl(IP_DF));
	in->proto = IPPROTO_IPIP;
}

/* An IPv6 header's traffic class (40 bytes readable). */
static __always_inline void inner_tos_v6(const void *l3, struct inner *in)
{
	const __u8 *b = l3;

	in->tos = (b[0] << 4) | (b[1] >> 4);
	in->df = 1; /* IPv6 is never fragmented on the way */
	in->proto = IPPROTO_IPV6;
}

/* An IPv4 header and the 4 bytes after it (@l3: 24 bytes readable). */
static __always_inline void inner_v4(const void *l3, struct inner *in)
{
	const __u32 *w = l3;
	const __u8 *b = l3;

	inner_tos_v4(l3, in);
	/* Ports only after an option-less header (0 otherwise). */
	in->hash = mix32(
		w[3] ^
		mix32(w[4] ^ mix32(((b[0] & 0x0f) == 5 ? w[5] : 0) ^ b[9])));
}

/* An IPv6 header and the 4 bytes after it (@l3: 44 bytes readable). */
static __always_inline void inner_v6(const void *l3, struct inner *in)
{
	const __u32 *w = l3;
	const __u8 *b = l3;
	__u32 h;
	int i;

	inner_tos_v6(l3, in);
	h = b[6];
#pragma unroll
	for (i = 2; i < 11; i++)
		h = mix32(h ^ w[i]);
	in->hash = h;
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

/* Is there a tunnel source for a real of @family? */
static __always_inline int have_source(const struct sluice_tc_config *cfg,
				       __u8 family)
{
	if (family == AF_INET)
		return !!cfg->src_v4;
	return !!(cfg->src_v6[0] | cfg->src_v6[1] | cfg->src_v6[2] |
		  cfg->src_v6[3]);
}

/* The outer IPv4 header toward @ep for an inner packet of @inner_len bytes. */
static __always_inline void outer_v4(struct iphdr *iph,
				     const struct sluice_real_ep *ep,
				     const struct sluice_tc_config *cfg,
				     const struct inner *in, __u32 inner_len)
{
	__builtin_memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = in->tos;
	iph->tot_len = bpf_htons(inner_len + sizeof(*iph) > 0xffff ?
					 0xffff :
					 inner_len + sizeof(*iph));
	/* RFC 2003: DF copied from the inner header. */
	iph->frag_off = in->df ? bpf_htons(IP_DF) : 0;
	iph->id = in->df ? 0 : (__be16)bpf_get_prandom_u32();
	iph->ttl = cfg->ttl ? cfg->ttl : DEFAULT_TTL;
	iph->protocol = in->proto;
	iph->saddr = bpf_htonl(
		in_prefix(bpf_ntohl(cfg->src_v4), cfg->src_v4_plen, in->hash));
	iph->daddr = ep->addr[0];
	iph->check = ip_checksum(iph);
}

/* The outer IPv6 header toward @ep for an inner packet of @inner_len bytes. */
static __always_inline void outer_v6(struct ipv6hdr *ip6,
				     const struct sluice_real_ep *ep,
				     const struct sluice_tc_config *cfg,
				     const struct inner *in, __u32 inner_len)
{
	__u32 hash = in->hash;
	__u32 low;
	int i;

	__builtin_memset(ip6, 0, sizeof(*ip6));
	ip6->version = 6;
	ip6->priority = in->tos >> 4;
	/* Traffic class low nibble, then a flow label from the flow's hash. */
	ip6->flow_lbl[0] = (in->tos << 4) | ((hash >> 16) & 0x0f);
	ip6->flow_lbl[1] = hash >> 8;
	ip6->flow_lbl[2] = hash;
	ip6->payload_len = bpf_htons(inner_len > 0xffff ? 0xffff : inner_len);
	ip6->nexthdr = in->proto;
	ip6->hop_limit = cfg->ttl ? cfg->ttl : DEFAULT_TTL;
	__builtin_memcpy(&ip6->saddr, cfg->src_v6, sizeof(ip6->saddr));
	/* The host part varies in the last 32 bits at most. */
	if (cfg->src_v6_plen < 128) {
		i = cfg->src_v6_plen > 96 ? cfg->src_v6_plen - 96 : 0;
		low = in_prefix(bpf_ntohl(cfg->src_v6[3]), i, hash);
		ip6->saddr.in6_u.u6_addr32[3] = bpf_htonl(low);
	}
	__builtin_memcpy(&ip6->daddr, ep->addr, sizeof(ip6->daddr));
}

/*
 * The flow's fast-path key from its inner header (@l3: 44 bytes readable
 * for IPv6, 24 for IPv4 without options), or -1 if the fast path does not
 * take it (not TCP/UDP, IPv4 options, IPv6 extension headers).
 */
static __always_inline int fp_key_of(const void *l3, int v6,
				     struct sluice_fp_key *k)
{
	const __u32 *w = l3;
	const __u8 *b = l3;

	__builtin_memset(k, 0, sizeof(*k));
	if (v6) {
		if (b[6] != IPPROTO_TCP && b[6] != IPPROTO_UDP)
			return -1;
		k->family = AF_INET6;
		k->proto = b[6];
		__builtin_memcpy(k->saddr, &w[2], 16);
		__builtin_memcpy(k->daddr, &w[6], 16);
		__builtin_memcpy(&k->sport, &w[10], 4);
		return 0;
	}
	if ((b[9] != IPPROTO_TCP && b[9] != IPPROTO_UDP) || (b[0] & 0x0f) != 5)
		return -1;
	k->family = AF_INET;
	k->proto = b[9];
	k->saddr[0] = w[3];
	k->daddr[0] = w[4];
	__builtin_memcpy(&k->sport, &w[5], 4);
	return 0;
}

/* Now, in the units of sluice_fp_flow.refresh (2^20 ns). */
static __always_inline __u32 fp_now(void)
{
	return bpf_ktime_get_coarse_ns() >> 20;
}

/* A flow's refresh interval in those units (about 0.95 per millisecond). */
static __always_inline __u32 fp_interval(const struct sluice_xdp_config *xc)
{
	__u32 ms = xc->fp_refresh_ms ? xc->fp_refresh_ms : SLUICE_FP_REFRESH_MS;

	return (__u32)(((__u64)ms * 1000000) >> 20);
}

/* The fast path's shared maps (pinned: the same maps in both programs). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SLUICE_FP_FLOWS);
	__type(key, struct sluice_fp_key);
	__type(value, struct sluice_fp_flow);
} sluice_fp_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLUICE_FP_STATS_MAX);
	__type(key, __u32);
	__type(value, struct sluice_counter);
} sluice_fp_stats SEC(".maps");

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
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sluice_xdp_config);
} sluice_xdp_cfg SEC(".maps");

#endif
