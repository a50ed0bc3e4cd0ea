// SPDX-License-Identifier: GPL-2.0
/*
 * sluice XDP ingress program: early drop and steering of traffic to VIPs.
 *
 * Parses Ethernet (up to two VLAN tags), IPv4, IPv6 (fewer than
 * SLUICE_IPV6_EXT_MAX extension headers), TCP, UDP, ICMP and ICMPv6 once. Packets whose
 * destination is not a VIP pass untouched (ARP and neighbour discovery
 * included), as do packets cut short before their destination address is
 * complete (the stack drops those itself). For a VIP, in this order:
 *   malformed or truncated headers, IPv4 options, fragments  -> drop
 *   ICMP/ICMPv6 errors (unreachable, too big, time exceeded) -> pass,
 *     so the module can hand them to the real that owns the flow
 *   source in the blocklist                                   -> drop
 *   protocol/port with no service                             -> drop
 *   TCP SYN over the VIP's per-CPU rate                       -> drop
 *   with the fast path on, a flow the module decided and the tc program
 *     recorded: encapsulated here and sent (XDP_TX / XDP_REDIRECT; see
 *     "XDP fast path" in the uapi header)
 *   otherwise pass to the stack, or redirect to a CPU by flow hash when
 *   steering is on.
 * Every packet is counted under exactly one enum sluice_xdp_stat.
 */
#include <linux/tcp.h>
#include <linux/udp.h>

#include "encap.h"

#define SLUICE_IPV6_EXT_MAX 6
#define NSEC_PER_SEC 1000000000ULL

/* linux/icmp.h pulls in libc headers: the few definitions needed here. */
#define ICMP_DEST_UNREACH 3
#define ICMP_TIME_EXCEEDED 11
#define ICMPV6_DEST_UNREACH 1
#define ICMPV6_PKT_TOOBIG 2
#define ICMPV6_TIME_EXCEED 3
#define ICMPV6_PARAMPROB 4

/* ICMP and ICMPv6 share this layout. */
struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be32 rest;
};

struct vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* IPv6 extension header, common part (hop-by-hop, routing, dest. opts, AH). */
struct ext_hdr {
	__u8 nexthdr;
	__u8 hdrlen;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SLUICE_MAX_VIPS);
	__type(key, __be32);
	__type(value, struct sluice_vip);
} sluice_vips4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SLUICE_MAX_VIPS);
	__type(key, struct sluice_vip6_key);
	__type(value, struct sluice_vip);
} sluice_vips6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct sluice_svc_key);
	__type(value, __u32);
} sluice_services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct sluice_lpm_v4);
	__type(value, __u32);
} sluice_block_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct sluice_lpm_v6);
	__type(value, __u32);
} sluice_block_v6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLUICE_MAX_STEER_CPUS);
	__type(key, __u32);
	__type(value, __u32);
} sluice_steer_cpus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, SLUICE_MAX_STEER_CPUS);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} sluice_cpumap SEC(".maps");

/* Token bucket per VIP and CPU: tokens in units of 1e-9 SYN. */
struct syn_bucket {
	__u64 tokens;
	__u64 last_ns;
};

/* Indexed by sluice_vip.index; a fresh (zero) bucket refills to full. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLUICE_MAX_VIPS);
	__type(key, __u32);
	__type(value, struct syn_bucket);
} sluice_syn_buckets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLUICE_XDP_STATS_MAX);
	__type(key, __u32);
	__type(value, struct sluice_counter);
} sluice_xdp_stats SEC(".maps");

/* A VIP of either family, as in struct sluice_svc_key. */
struct vip_addr {
	__be32 addr[4];
	__u8 family;
};

/* What the parser learnt about a packet to a VIP. */
struct flow {
	struct vip_addr vip;
	__be32 saddr[4];
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 syn;
	__u16 ip_len; /* the IP packet's length, headers included */
	__u8 ctl; /* TCP: SYN, FIN or RST */
	__u8 plain; /* no VLAN tag, no IPv6 extension header */
};

static __always_inline int verdict(struct xdp_md *ctx, __u32 stat, int action)
{
	count(&sluice_xdp_stats, stat, ctx->data_end - ctx->data);
	return action;
}

/* Over the VIP's SYN rate on this CPU? */
static __always_inline int syn_over_rate(const struct sluice_vip *vip)
{
	__u64 now, cap, add, elapsed;
	__u32 idx = vip->index;
	struct syn_bucket *b;

	b = bpf_map_lookup_elem(&sluice_syn_buckets, &idx);
	if (!b)
		return 0;
	/* Tick resolution is plenty for refilling a bucket, and cheaper. */
	now = bpf_ktime_get_coarse_ns();
	cap = (__u64)(vip->syn_burst ? vip->syn_burst : 1) * NSEC_PER_SEC;
	elapsed = now - b->last_ns;
	b->last_ns = now;
	/*
	 * No division on this path: past 2^32 ns (4.3 s) any bucket is full
	 * (burst < 2^32, rate >= 1/s); below, elapsed * rate < 2^56.
	 */
	add = elapsed >> 32 ? cap :
			      elapsed * (vip->syn_rate & SLUICE_SYN_RATE_MAX);
	b->tokens = b->tokens + add > cap ? cap : b->tokens + add;
	if (b->tokens < NSEC_PER_SEC)
		return 1;
	b->tokens -= NSEC_PER_SEC;
	return 0;
}

/* Does the VIP serve the flow's protocol and port (or every port)? */
static __always_inline int served(const struct flow *f,
				  const struct sluice_vip *vip)
{
	struct sluice_svc_key sk = {};
	int i;

	if (vip->nports <= SLUICE_VIP_PORTS) {
#pragma unroll
		for (i = 0; i < SLUICE_VIP_PORTS; i++) {
			if (i >= vip->nports)
				return 0;
			/* port 0: a service on every port (persistent, as IPVS) */
			if ((vip->ports[i].port == f->dport ||
			     !vip->ports[i].port) &&
			    vip->ports[i].proto == f->proto)
				return 1;
		}
		return 0;
	}
	__builtin_memcpy(sk.addr, f->vip.addr, sizeof(sk.addr));
	sk.family = f->vip.family;
	sk.proto = f->proto;
	sk.port = f->dport;
	if (bpf_map_lookup_elem(&sluice_services, &sk))
		return 1;
	sk.port = 0;
	return !!bpf_map_lookup_elem(&sluice_services, &sk);
}

static __always_inline int blocked(const struct flow *f,
				   const struct sluice_xdp_config *cfg)
{
	struct sluice_lpm_v6 k6;
	struct sluice_lpm_v4 k4;

	if (f->vip.family == AF_INET) {
		if (!cfg->block_v4)
			return 0;
		k4.prefixlen = 32;
		k4.addr = f->saddr[0];
		return !!bpf_map_lookup_elem(&sluice_block_v4, &k4);
	}
	if (!cfg->block_v6)
		return 0;
	k6.prefixlen = 128;
	__builtin_memcpy(k6.addr, f->saddr, sizeof(k6.addr));
	return !!bpf_map_lookup_elem(&sluice_block_v6, &k6);
}

static __always_inline __u32 flow_hash(const struct flow *f)
{
	__u32 h = f->saddr[0] ^ f->saddr[1] ^ f->saddr[2] ^ f->saddr[3];

	h = mix32(h ^ f->vip.addr[0] ^ f->vip.addr[1] ^ f->vip.addr[2] ^
		  f->vip.addr[3]);
	return mix32(h ^ ((__u32)f->sport << 16 | f->dport) ^ f->proto);
}

static __always_inline void fp_count(__u32 stat, __u64 bytes)
{
	count(&sluice_fp_stats, stat, bytes);
}

/*
 * A flow's packet goes the slow path while its entry @e holds counts of
 * fast-path packets: carry them to the module in XDP metadata (struct
 * sluice_fp_meta), taken from the entry with atomic subtractions so that
 * packets counted meanwhile on another CPU stay counted. With no room
 * for metadata (the driver has none), they stay for the next time.
 */
static __always_inline void fp_carry(struct xdp_md *ctx,
				     struct sluice_fp_flow *e)
{
	__u32 packets = e->packets;
	__u32 bytes = e->bytes;
	struct sluice_fp_meta *m;
	void *data;

	if (!packets)
		return;
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*m))) {
		fp_count(SLUICE_FP_META_DEFERRED, bytes);
		return;
	}
	m = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if ((void *)(m + 1) > data)
		return;
	m->magic = SLUICE_FP_META_MAGIC;
	m->packets = packets;
	m->bytes = bytes;
	__sync_fetch_and_add(&e->packets, -packets);
	__sync_fetch_and_add(&e->bytes, -bytes);
}

static __always_inline int fp_miss(__u32 stat, struct xdp_md *ctx)
{
	fp_count(stat, ctx->data_end - ctx->data);
	return -1;
}

/*
 * The fast path (see "XDP fast path" in the uapi header): the packet
 * encapsulated and sent as the tc program sent the flow's last slow-path
 * packet, or -1 (counted by reason) to go on to the stack.
 *
 * Not inlined: a function of its own (a BPF-to-BPF call) costs the
 * verifier 17,940 instructions for the program, inlined 31,444 (9,837
 * without the fast path), which every attach pays, on the debug kernel
 * under TCG for seconds. (Not a global function, which the verifier
 * would check only once: it needs the kernel's BTF to take a context
 * argument, and the KUnit kernel has none.)
 */
static __noinline int fast_path(struct xdp_md *ctx, const struct flow *f,
				const struct sluice_xdp_config *xc)
{
	__u32 slot, gen, zero = 0, now, olen, inner_len, pad, *mac;
	struct sluice_tc_config *cfg;
	struct sluice_real_ep *ep;
	struct sluice_fp_flow *e;
	struct sluice_fp_key k;
	struct ethhdr *eth;
	struct inner in;
	void *data, *end;

	if (!f->plain)
		return fp_miss(SLUICE_FP_MISS_HEADERS, ctx);
	__builtin_memset(&k, 0, sizeof(k));
	__builtin_memcpy(k.saddr, f->saddr, sizeof(k.saddr));
	__builtin_memcpy(k.daddr, f->vip.addr, sizeof(k.daddr));
	k.sport = f->sport;
	k.dport = f->dport;
	k.family = f->vip.family;
	k.proto = f->proto;
	e = bpf_map_lookup_elem(&sluice_fp_flows, &k);
	if (f->ctl) {
		/*
		 * The module sees the connection's end (or a new start): its
		 * counts go with this packet, its entry with it (the module
		 * lets no packet of a closing connection be recorded again).
		 */
		if (e) {
			fp_carry(ctx, e);
			bpf_map_delete_elem(&sluice_fp_flows, &k);
		}
		return fp_miss(SLUICE_FP_MISS_TCP_FLAGS, ctx);
	}
	if (!e)
		return fp_miss(SLUICE_FP_MISS_NO_ENTRY, ctx);
	/* gen first (tc clears it while it rewrites an entry), checked last. */
	gen = *(volatile __u32 *)&e->gen;
	barrier();
	slot = e->slot;
	ep = bpf_map_lookup_elem(&sluice_reals, &slot);
	cfg = bpf_map_lookup_elem(&sluice_tc_cfg, &zero);
	if (!ep || !cfg || !(ep->flags & SLUICE_REAL_EP_VALID) || !gen ||
	    ep->gen != gen || !have_source(cfg, ep->family)) {
		fp_carry(ctx, e);
		return fp_miss(SLUICE_FP_MISS_STALE, ctx);
	}
	now = fp_now();
	if ((__s32)(now - e->refresh) >= 0 || e->bytes >= 1U << 31) {
		e->refresh = now + fp_interval(xc);
		fp_carry(ctx, e);
		return fp_miss(SLUICE_FP_MISS_REFRESH, ctx);
	}

	inner_len = f->ip_len;
	if (inner_len > ep->mtu)
		return fp_miss(SLUICE_FP_MISS_TOO_BIG, ctx);
	/*
	 * A short frame's Ethernet padding (a NIC pads frames under 60
	 * bytes) is not the packet's: the stack trims it before the module
	 * and tc see the packet, so here too (the parser checked that the
	 * IP length is within the frame).
	 */
	pad = ctx->data_end - ctx->data - ETH_HLEN - inner_len;
	if (pad && bpf_xdp_adjust_tail(ctx, -(int)pad))
		return fp_miss(SLUICE_FP_MISS_NO_ROOM, ctx);
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	/* The flow's hash as tc computed it; TOS and DF from this packet. */
	if (f->vip.family == AF_INET) {
		if (data + ETH_HLEN + sizeof(struct iphdr) > end)
			return fp_miss(SLUICE_FP_MISS_HEADERS, ctx);
		inner_tos_v4(data + ETH_HLEN, &in);
	} else {
		if (data + ETH_HLEN + sizeof(struct ipv6hdr) > end)
			return fp_miss(SLUICE_FP_MISS_HEADERS, ctx);
		inner_tos_v6(data + ETH_HLEN, &in);
	}
	in.hash = e->hash;
	olen = ep->family == AF_INET ? sizeof(struct iphdr) :
				       sizeof(struct ipv6hdr);
	if (bpf_xdp_adjust_head(ctx, -(int)olen))
		return fp_miss(SLUICE_FP_MISS_NO_ROOM, ctx);
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	if (data + ETH_HLEN + sizeof(struct ipv6hdr) > end)
		return XDP_DROP; /* cannot be: the inner packet is behind */
	mac = (__u32 *)e->eth;
	__builtin_memcpy(eth, mac, 12);
	if (ep->family == AF_INET) {
		eth->h_proto = bpf_htons(ETH_P_IP);
		outer_v4(data + ETH_HLEN, ep, cfg, &in, inner_len);
	} else {
		eth->h_proto = bpf_htons(ETH_P_IPV6);
		outer_v6(data + ETH_HLEN, ep, cfg, &in, inner_len);
	}
	__sync_fetch_and_add(&e->packets, 1);
	__sync_fetch_and_add(&e->bytes, inner_len);
	if (e->ifindex == ctx->ingress_ifindex)
		return verdict(ctx, SLUICE_XDP_FAST_TX, XDP_TX);
	count(&sluice_xdp_stats, SLUICE_XDP_FAST_REDIRECT, end - data);
	return bpf_redirect(e->ifindex, 0);
}

/* Policy for a well-formed, unfragmented TCP/UDP packet to a VIP. */
static __always_inline int vip_policy(struct xdp_md *ctx, const struct flow *f,
				      const struct sluice_vip *vip)
{
	struct sluice_xdp_config *cfg;
	__u32 zero = 0, idx, *cpu;
	int ret;

	cfg = bpf_map_lookup_elem(&sluice_xdp_cfg, &zero);
	if (!cfg)
		return verdict(ctx, SLUICE_XDP_PASS_VIP, XDP_PASS);
	if (blocked(f, cfg))
		return verdict(ctx, SLUICE_XDP_DROP_BLOCKLIST, XDP_DROP);
	if (!served(f, vip))
		return verdict(ctx, SLUICE_XDP_DROP_NO_SERVICE, XDP_DROP);

	if (f->syn && vip->syn_rate && syn_over_rate(vip))
		return verdict(ctx, SLUICE_XDP_DROP_SYN_RATE, XDP_DROP);

	if (cfg->flags & SLUICE_XDP_FASTPATH) {
		ret = fast_path(ctx, f, cfg);
		if (ret >= 0)
			return ret;
	}
	if ((cfg->flags & SLUICE_XDP_STEER) && cfg->steer_cpus) {
		idx = flow_hash(f) % cfg->steer_cpus;
		cpu = bpf_map_lookup_elem(&sluice_steer_cpus, &idx);
		if (cpu) {
			count(&sluice_xdp_stats, SLUICE_XDP_STEERED,
			      ctx->data_end - ctx->data);
			return bpf_redirect_map(&sluice_cpumap, *cpu, XDP_PASS);
		}
	}
	return verdict(ctx, SLUICE_XDP_PASS_VIP, XDP_PASS);
}

/*
 * Transport header at @l4, inside the IP payload that ends at @pend
 * (pend <= end; the verifier only trusts comparisons with @end itself).
 * Fills ports and the SYN flag; returns the verdict for ICMP and malformed
 * packets, or -1 to go on with the policy.
 */
static __always_inline int parse_l4(struct xdp_md *ctx, struct flow *f,
				    void *l4, void *pend, void *end, int v6)
{
	struct icmphdr *icmp;
	struct tcphdr *th;
	struct udphdr *uh;
	__u8 type;

	switch (f->proto) {
	case IPPROTO_TCP:
		th = l4;
		if ((void *)(th + 1) > end || (void *)(th + 1) > pend ||
		    th->doff < 5 || l4 + th->doff * 4 > pend)
			return verdict(ctx, SLUICE_XDP_DROP_MALFORMED,
				       XDP_DROP);
		f->sport = th->source;
		f->dport = th->dest;
		f->syn = th->syn && !th->ack;
		f->ctl = th->syn | th->fin | th->rst;
		return -1;
	case IPPROTO_UDP:
		uh = l4;
		if ((void *)(uh + 1) > end || (void *)(uh + 1) > pend ||
		    bpf_ntohs(uh->len) < sizeof(*uh) ||
		    l4 + be16_len(uh->len) > pend)
			return verdict(ctx, SLUICE_XDP_DROP_MALFORMED,
				       XDP_DROP);
		f->sport = uh->source;
		f->dport = uh->dest;
		return -1;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if ((f->proto == IPPROTO_ICMPV6) != v6)
			return verdict(ctx, SLUICE_XDP_DROP_NO_SERVICE,
				       XDP_DROP);
		icmp = l4;
		if ((void *)(icmp + 1) > end || (void *)(icmp + 1) > pend)
			return verdict(ctx, SLUICE_XDP_DROP_MALFORMED,
				       XDP_DROP);
		type = icmp->type;
		if (!v6 &&
		    (type == ICMP_DEST_UNREACH || type == ICMP_TIME_EXCEEDED))
			return verdict(ctx, SLUICE_XDP_PASS_ICMP_ERROR,
				       XDP_PASS);
		if (v6 &&
		    (type == ICMPV6_DEST_UNREACH || type == ICMPV6_PKT_TOOBIG ||
		     type == ICMPV6_TIME_EXCEED || type == ICMPV6_PARAMPROB))
			return verdict(ctx, SLUICE_XDP_PASS_ICMP_ERROR,
				       XDP_PASS);
		/* Neighbour discovery is never ours to drop. */
		if (v6 && type >= 133 && type <= 137)
			return verdict(ctx, SLUICE_XDP_PASS_OTHER, XDP_PASS);
		return verdict(ctx, SLUICE_XDP_DROP_NO_SERVICE, XDP_DROP);
	default:
		return verdict(ctx, SLUICE_XDP_DROP_NO_SERVICE, XDP_DROP);
	}
}

static __always_inline int handle_v4(struct xdp_md *ctx, struct iphdr *ip,
				     void *end, int vlan)
{
	struct sluice_vip *vip;
	struct flow f = {};
	void *pend;
	int ret;

	if ((void *)(ip + 1) > end)
		return verdict(ctx, SLUICE_XDP_PASS_OTHER, XDP_PASS);
	vip = bpf_map_lookup_elem(&sluice_vips4, &ip->daddr);
	if (!vip)
		return verdict(ctx, SLUICE_XDP_PASS_OTHER, XDP_PASS);

	if (ip->version != 4 || ip->ihl < 5)
		return verdict(ctx, SLUICE_XDP_DROP_MALFORMED, XDP_DROP);
	pend = (void *)ip + be16_len(ip->tot_len);
	if (pend > end || pend < (void *)ip + ip->ihl * 4)
		return verdict(ctx, SLUICE_XDP_DROP_MALFORMED, XDP_DROP);
	if (ip->ihl != 5)
		return verdict(ctx, SLUICE_XDP_DROP_IP_OPTIONS, XDP_DROP);
	if (ip->frag_off & bpf_htons(0x3fff)) /* MF or a fragment offset */
		return verdict(ctx, SLUICE_XDP_DROP_FRAGMENT, XDP_DROP);

	f.vip.family = AF_INET;
	f.vip.addr[0] = ip->daddr;
	f.saddr[0] = ip->saddr;
	f.proto = ip->protocol;
	f.plain = !vlan;
	f.ip_len = be16_len(ip->tot_len);
	ret = parse_l4(ctx, &f, ip + 1, pend, end, 0);
	if (ret >= 0)
		return ret;
	return vip_policy(ctx, &f, vip);
}

static __always_inline int handle_v6(struct xdp_md *ctx, struct ipv6hdr *ip6,
				     void *end, int vlan)
{
	struct sluice_vip *vip;
	struct ext_hdr *ext;
	struct flow f = {};
	void *l4, *pend;
	__u8 nexthdr;
	int i, ret;

	if ((void *)(ip6 + 1) > end)
		return verdict(ctx, SLUICE_XDP_PASS_OTHER, XDP_PASS);
	vip = bpf_map_lookup_elem(&sluice_vips6, &ip6->daddr);
	if (!vip)
		return verdict(ctx, SLUICE_XDP_PASS_OTHER, XDP_PASS);

	/* A zero payload length means a jumbogram: not ours to carry. */
	pend = (void *)(ip6 + 1) + be16_len(ip6->payload_len);
	if (ip6->version != 6 || !ip6->payload_len || pend > end)
		return verdict(ctx, SLUICE_XDP_DROP_MALFORMED, XDP_DROP);

	f.vip.family = AF_INET6;
	__builtin_memcpy(f.vip.addr, &ip6->daddr, sizeof(f.vip.addr));
	__builtin_memcpy(f.saddr, &ip6->saddr, sizeof(f.saddr));
	nexthdr = ip6->nexthdr;
	l4 = ip6 + 1;
#pragma unroll
	for (i = 0; i < SLUICE_IPV6_EXT_MAX; i++) {
		if (nexthdr == IPPROTO_FRAGMENT)
			return verdict(ctx, SLUICE_XDP_DROP_FRAGMENT, XDP_DROP);
		if (nexthdr != IPPROTO_HOPOPTS && nexthdr != IPPROTO_ROUTING &&
		    nexthdr != IPPROTO_DSTOPTS && nexthdr != IPPROTO_AH)
			break;
		ext = l4;
		if ((void *)(ext + 1) > end || (void *)(ext + 1) > pend)
			return verdict(ctx, SLUICE_XDP_DROP_MALFORMED,
				       XDP_DROP);
		if (nexthdr == IPPROTO_AH)
			l4 += (ext->hdrlen + 2) * 4;
		else
			l4 += (ext->hdrlen + 1) * 8;
		nexthdr = ext->nexthdr;
		if (l4 > pend)
			return verdict(ctx, SLUICE_XDP_DROP_MALFORMED,
				       XDP_DROP);
	}
	if (i == SLUICE_IPV6_EXT_MAX)
		return verdict(ctx, SLUICE_XDP_DROP_MALFORMED, XDP_DROP);

	f.proto = nexthdr;
	f.plain = !vlan && l4 == (void *)(ip6 + 1);
	f.ip_len = sizeof(*ip6) + be16_len(ip6->payload_len);
	ret = parse_l4(ctx, &f, l4, pend, end, 1);
	if (ret >= 0)
		return ret;
	return vip_policy(ctx, &f, vip);
}

SEC("xdp")
int sluice_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct vlan_hdr *vlan;
	void *l3;
	__be16 proto;
	int i;

	if ((void *)(eth + 1) > end)
		return verdict(ctx, SLUICE_XDP_PASS_OTHER, XDP_PASS);
	proto = eth->h_proto;
	l3 = eth + 1;
#pragma unroll
	for (i = 0; i < 2; i++) {
		if (proto != bpf_htons(ETH_P_8021Q) &&
		    proto != bpf_htons(ETH_P_8021AD))
			break;
		vlan = l3;
		if ((void *)(vlan + 1) > end)
			return verdict(ctx, SLUICE_XDP_PASS_OTHER, XDP_PASS);
		proto = vlan->proto;
		l3 = vlan + 1;
	}
	if (proto == bpf_htons(ETH_P_IP))
		return handle_v4(ctx, l3, end, l3 != eth + 1);
	if (proto == bpf_htons(ETH_P_IPV6))
		return handle_v6(ctx, l3, end, l3 != eth + 1);
	return verdict(ctx, SLUICE_XDP_PASS_OTHER, XDP_PASS);
}

char _license[] SEC("license") = "GPL";
