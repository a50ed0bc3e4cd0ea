/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * sluice - an L4 load balancer: the contract between the kernel module,
 * the BPF programs and userspace. This header is the specification of the
 * generic netlink API; nothing here may be copied by hand elsewhere.
 *
 * Generic netlink family
 * ----------------------
 * Name SLUICE_GENL_NAME, version SLUICE_GENL_VERSION. The family is
 * network-namespace aware: every request acts on the balancer of the
 * namespace the netlink socket belongs to, and each namespace is an
 * independent balancer. Every command requires CAP_NET_ADMIN in the user
 * namespace that owns the network namespace.
 *
 * Attributes are validated strictly: an unknown attribute, a wrong type or
 * length, or a value out of range fails the whole request with -EINVAL (or
 * -ERANGE) and an extended ack message naming the attribute; a failed
 * request changes nothing.
 *
 * Commands
 * --------
 * SLUICE_CMD_GET_INFO: do only.
 *   Request: no attributes.
 *   Reply (same command):
 *     SLUICE_A_INFO_VERSION: NLA_NUL_STRING, the module's version
 *       ("MAJOR.MINOR.PATCH").
 *     SLUICE_A_INFO_KERNEL: NLA_NUL_STRING, the kernel release the module
 *       was built for (uname -r).
 *     SLUICE_A_INFO_NETNS_COOKIE: NLA_U64, cookie of the network namespace
 *       whose balancer answered (same value as SO_NETNS_COOKIE).
 */
#ifndef _UAPI_LINUX_SLUICE_H
#define _UAPI_LINUX_SLUICE_H

#include <linux/types.h>

#define SLUICE_GENL_NAME	"sluice"
#define SLUICE_GENL_VERSION	1

/* Longest string attribute value, terminating NUL included. */
#define SLUICE_STR_MAX		64

enum sluice_cmd {
	SLUICE_CMD_UNSPEC,
	SLUICE_CMD_GET_INFO,
	__SLUICE_CMD_MAX
};

#define SLUICE_CMD_MAX (__SLUICE_CMD_MAX - 1)

enum sluice_attr {
	SLUICE_A_UNSPEC,
	SLUICE_A_PAD,			/* 64-bit alignment padding, never sent by users */
	SLUICE_A_INFO_VERSION,		/* NLA_NUL_STRING */
	SLUICE_A_INFO_KERNEL,		/* NLA_NUL_STRING */
	SLUICE_A_INFO_NETNS_COOKIE,	/* NLA_U64 */
	__SLUICE_A_MAX
};

#define SLUICE_A_MAX (__SLUICE_A_MAX - 1)

/*
 * BPF maps
 * --------
 * Shared by the XDP program (bpf/xdp.bpf.c), the tc egress program
 * (bpf/tc.bpf.c), userspace and the module. Addresses are in network byte
 * order; an IPv4 address sits in addr[0] with addr[1..3] zero. family is
 * AF_INET (2) or AF_INET6 (10). Padding is zero in keys.
 *
 * XDP program maps:
 *   sluice_vips4     HASH  __be32 (IPv4 address) -> struct sluice_vip
 *   sluice_vips6     HASH  struct sluice_vip6_key -> struct sluice_vip
 *                    The VIPs: traffic to any other address passes untouched.
 *                    (One map per family: the 4-byte IPv4 key hashes faster.)
 *   sluice_services  HASH  struct sluice_svc_key -> __u32 (flags, 0 for now)
 *                    Served (VIP, protocol, port). Traffic to a VIP that
 *                    matches none is dropped (SLUICE_XDP_DROP_NO_SERVICE).
 *   sluice_block_v4  LPM_TRIE struct sluice_lpm_v4 -> __u32 (0)
 *   sluice_block_v6  LPM_TRIE struct sluice_lpm_v6 -> __u32 (0)
 *                    Client source prefixes whose traffic to VIPs is dropped.
 *   sluice_xdp_cfg   ARRAY[1] struct sluice_xdp_config
 *   sluice_syn_buckets PERCPU_ARRAY[SLUICE_MAX_VIPS] (program-private state)
 *   sluice_steer_cpus ARRAY[SLUICE_MAX_STEER_CPUS] __u32 (cpu numbers)
 *   sluice_cpumap    CPUMAP  the CPUs VIP traffic is steered to
 *   sluice_xdp_stats PERCPU_ARRAY[SLUICE_XDP_STATS_MAX] struct sluice_counter
 *                    indexed by enum sluice_xdp_stat; sum over CPUs to read.
 *
 * tc egress program maps:
 *   sluice_reals     ARRAY[SLUICE_MAX_REALS] struct sluice_real_ep
 *                    real index -> tunnel endpoint. The module marks a
 *                    packet for real i by skb->mark = SLUICE_MARK_VALUE | i
 *                    (under SLUICE_MARK_MASK); the program encapsulates it
 *                    toward reals[i], or drops it if that slot is unused.
 *   sluice_tc_cfg    ARRAY[1] struct sluice_tc_config
 *   sluice_tc_stats  PERCPU_ARRAY[SLUICE_TC_STATS_MAX] struct sluice_counter
 */
#define SLUICE_MAX_VIPS		4096
#define SLUICE_MAX_REALS	65536
#define SLUICE_MAX_STEER_CPUS	64
#define SLUICE_MARK_MASK	0xffff0000U
#define SLUICE_MARK_VALUE	0x5c150000U

struct sluice_vip6_key {
	__be32 addr[4];
};

/*
 * Per-VIP settings and served ports.
 * syn_rate: TCP SYNs per second allowed on each CPU, 0 (the default) for
 *   no limit, at most SLUICE_SYN_RATE_MAX; syn_burst: bucket depth in SYNs.
 * index: the VIP's slot (< SLUICE_MAX_VIPS, unique among VIPs) in the
 *   per-CPU SYN token buckets.
 * nports, ports: the VIP's services when it has at most SLUICE_VIP_PORTS
 *   of them, so the XDP program decides "served or not" with the one VIP
 *   lookup. nports > SLUICE_VIP_PORTS means "look in sluice_services",
 *   which always holds every service.
 */
#define SLUICE_VIP_PORTS	8
#define SLUICE_SYN_RATE_MAX	((1U << 24) - 1)

struct sluice_vip_port {
	__u8 proto;		/* IPPROTO_TCP or IPPROTO_UDP; 0 = unused */
	__u8 pad;
	__be16 port;
};

struct sluice_vip {
	__u32 flags;
	__u32 syn_rate;
	__u32 syn_burst;
	__u32 index;
	__u32 nports;
	struct sluice_vip_port ports[SLUICE_VIP_PORTS];
};

struct sluice_svc_key {
	__be32 addr[4];
	__u8 family;
	__u8 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	__be16 port;
};

struct sluice_lpm_v4 {
	__u32 prefixlen;
	__be32 addr;
};

struct sluice_lpm_v6 {
	__u32 prefixlen;
	__be32 addr[4];
};

/* sluice_xdp_config.flags */
#define SLUICE_XDP_STEER	(1U << 0)	/* spread VIP traffic over sluice_steer_cpus */

/*
 * block_v4/block_v6: non-zero while sluice_block_v4/_v6 hold any prefix
 * (whoever edits a blocklist sets them), so an empty blocklist costs no
 * lookup.
 */
struct sluice_xdp_config {
	__u32 flags;
	__u32 steer_cpus;	/* entries used in sluice_steer_cpus */
	__u32 block_v4;
	__u32 block_v6;
};

/* Every packet the XDP program sees is counted under exactly one of these. */
enum sluice_xdp_stat {
	SLUICE_XDP_PASS_OTHER,		/* not for a VIP (or not IP): untouched */
	SLUICE_XDP_PASS_VIP,		/* for a served VIP port: to the stack */
	SLUICE_XDP_PASS_ICMP_ERROR,	/* ICMP error to a VIP: to the stack */
	SLUICE_XDP_STEERED,		/* for a served VIP port: to another CPU */
	SLUICE_XDP_DROP_MALFORMED,	/* truncated or inconsistent headers */
	SLUICE_XDP_DROP_IP_OPTIONS,	/* IPv4 header with options */
	SLUICE_XDP_DROP_FRAGMENT,	/* IPv4 or IPv6 fragment, first or later */
	SLUICE_XDP_DROP_NO_SERVICE,	/* protocol or port not served */
	SLUICE_XDP_DROP_BLOCKLIST,	/* source in a blocklisted prefix */
	SLUICE_XDP_DROP_SYN_RATE,	/* TCP SYN over the VIP's rate */
	SLUICE_XDP_STATS_MAX
};

struct sluice_counter {
	__u64 packets;
	__u64 bytes;
};

/* sluice_real_ep.flags */
#define SLUICE_REAL_EP_VALID	(1U << 0)

struct sluice_real_ep {
	__be32 addr[4];
	__u8 family;
	__u8 pad[3];
	__u32 flags;
};

/*
 * Outer source address of encapsulated packets: src_v4/src_v6 with the
 * low (32 - src_v4_plen) / (128 - src_v6_plen) bits taken from the flow's
 * hash, so a real's NIC spreads flows over its queues; plen 32 / 128 means
 * the exact address. ttl: outer TTL / hop limit (0 means 64).
 */
struct sluice_tc_config {
	__be32 src_v4;
	__be32 src_v6[4];
	__u8 src_v4_plen;
	__u8 src_v6_plen;
	__u8 ttl;
	__u8 pad;
};

enum sluice_tc_stat {
	SLUICE_TC_PASS,			/* not marked by the module: untouched */
	SLUICE_TC_ENCAP_V4,		/* encapsulated in IPv4 */
	SLUICE_TC_ENCAP_V6,		/* encapsulated in IPv6 */
	SLUICE_TC_DROP_NO_REAL,		/* mark names an unused real slot */
	SLUICE_TC_DROP_NO_SOURCE,	/* no tunnel source for the real's family */
	SLUICE_TC_DROP_MALFORMED,	/* marked packet that is not IPv4/IPv6 */
	SLUICE_TC_DROP_ENCAP_FAILED,	/* the kernel refused to grow the packet */
	SLUICE_TC_STATS_MAX
};

#endif /* _UAPI_LINUX_SLUICE_H */
