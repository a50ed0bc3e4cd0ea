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
 *     SLUICE_A_INFO_SERVICES: NLA_U32, services in this namespace.
 *     SLUICE_A_INFO_CONN_MAX: NLA_U32, the connection table's limit.
 *     SLUICE_A_INFO_CONNS: NLA_U32, entries in the connection table.
 *     SLUICE_A_INFO_CONN_EVICTED: NLA_U64, entries evicted to make room
 *       (the table was full: half-open or expired ones near the new one).
 *     SLUICE_A_INFO_CONN_STATELESS: NLA_U64, new flows forwarded without an
 *       entry because the table was full and nothing could be evicted, or
 *       the entry could not be allocated (the scheduler's choice is the
 *       same for the flow's next packet: it keeps its real).
 *     SLUICE_A_INFO_DROPS: nested, one NLA_U64 per enum sluice_drop (type =
 *       reason + 1; type SLUICE_DROPS_MAX + 1 is padding), packets dropped.
 *     SLUICE_A_INFO_CONN_BUCKETS: NLA_U32, the connection table's hash
 *       buckets now (the table doubles past 75 % load and halves below 30 %,
 *       256 at least; 0 before the namespace's first service).
 *     SLUICE_A_INFO_CONN_ENTRY_SIZE: NLA_U32, bytes one entry takes (as the
 *       slab allocates it).
 *     SLUICE_A_INFO_CONN_BYTES: NLA_U64, the table's memory: entries,
 *       buckets and the expiry wheels (one per CPU).
 *
 * The model (as IPVS's): a service is (family, protocol, VIP, port) or
 * (family, firewall mark); it has a scheduler and a set of destinations
 * ("reals"). Attributes inside SLUICE_A_SERVICE are enum sluice_svc_attr,
 * inside SLUICE_A_DEST enum sluice_dest_attr, inside SLUICE_A_CONFIG enum
 * sluice_cfg_attr, inside the STATS nests enum sluice_stats_attr.
 * Attributes marked "(out)" are only sent by the kernel: a request that
 * carries one fails. A service is named in a request by its key: AF plus
 * either FWMARK, or PROTOCOL, ADDR and PORT (never both forms).
 *
 * SLUICE_CMD_NEW_SERVICE: do. SLUICE_A_SERVICE with the key; optional
 *   SCHED_NAME (default "mh"), SCHED_FLAGS, FLAGS, TIMEOUT, PERSIST_PLEN,
 *   HASH_FIELDS, MH_SIZE. -EEXIST if the service exists.
 * SLUICE_CMD_SET_SERVICE: do. SLUICE_A_SERVICE with the key and the
 *   attributes to change (absent ones keep their value). Changing the
 *   scheduler re-initialises its state; connections keep their reals.
 * SLUICE_CMD_DEL_SERVICE: do. SLUICE_A_SERVICE with the key.
 * SLUICE_CMD_GET_SERVICE: do with the key (reply: one SLUICE_A_SERVICE),
 *   or dump of every service (one message each, in the order they were
 *   added). A dump interrupted by a change is flagged NLM_F_DUMP_INTR.
 * SLUICE_CMD_NEW_DEST: do. SLUICE_A_SERVICE (key) and SLUICE_A_DEST with
 *   AF, ADDR, PORT; optional FWD_METHOD, WEIGHT (default 1), U_THRESH,
 *   L_THRESH. -EEXIST if the service has that real.
 * SLUICE_CMD_SET_DEST: do. Same, changing only the attributes present.
 * SLUICE_CMD_DEL_DEST: do. SLUICE_A_SERVICE (key), SLUICE_A_DEST (AF,
 *   ADDR, PORT).
 * SLUICE_CMD_GET_DEST: dump only. SLUICE_A_SERVICE (key): one message per
 *   real of that service, each with SLUICE_A_SERVICE (key only) and
 *   SLUICE_A_DEST.
 * SLUICE_CMD_FLUSH: do. Deletes every service of the namespace.
 * SLUICE_CMD_ZERO: do. Zeroes the counters of the service in
 *   SLUICE_A_SERVICE (key) and its reals, or of everything without it.
 * SLUICE_CMD_GET_CONFIG: do. Reply: SLUICE_A_CONFIG with every setting.
 * SLUICE_CMD_SET_CONFIG: do. SLUICE_A_CONFIG with the settings to change.
 * SLUICE_CMD_GET_CONN: dump only. One message per connection-table entry,
 *   each with SLUICE_A_CONN (enum sluice_conn_attr). A dump that spans
 *   changes to the table may miss or repeat entries (it is a live table).
 * SLUICE_CMD_SET_MAPS: do. Hands the tc program's maps to the module, which
 *   from then on keeps them in step with its configuration (see "BPF maps"
 *   below): SLUICE_A_MAP_REALS (NLA_U32, an fd of sluice_reals) and
 *   SLUICE_A_MAP_TC_CFG (NLA_U32, an fd of sluice_tc_cfg), both required;
 *   each must be the map the uapi describes (type, key and value sizes,
 *   entries) or the request fails with -EINVAL. The module writes every
 *   real's tunnel endpoint and the tunnel settings at once, then on every
 *   change; it holds the maps until the next SET_MAPS or the namespace ends.
 *
 * Errors: -EINVAL (malformed or inconsistent), -ERANGE (value out of
 * range), -ENOENT (no such service or real), -EEXIST (already there),
 * -E2BIG (a limit such as SLUICE_MAX_REALS reached), -ENOMEM; each with an
 * extended ack message (and the offending attribute where there is one).
 * A failed command changes nothing.
 *
 * Events: multicast group SLUICE_GENL_MCGRP_EVENTS. After every successful
 * change the kernel sends, to listeners in the same network namespace, a
 * message with the command that made it: NEW/SET/DEL_SERVICE with the
 * service as GET_SERVICE shows it (DEL: key only), NEW/SET/DEL_DEST with
 * the service key and the real (DEL: key only), FLUSH and ZERO (with the
 * service key when one was named), SET_CONFIG with every setting.
 *
 * Health checks through the VIP
 * -----------------------------
 * A health check that proves a real serves the VIP travels as a client's
 * packet does: from the LB node to VIP:port, encapsulated to that one real
 * by the tc program. A socket on the LB node asks for it with the mark
 * (setsockopt SO_MARK, which needs CAP_NET_ADMIN):
 *
 *   SO_MARK = SLUICE_MARK_VALUE | i
 *
 * where i is the real's SLUICE_DEST_A_REAL_INDEX (GET_DEST). The module's
 * LOCAL_OUT hook (IPv4 and IPv6) takes every locally generated TCP or UDP
 * packet with such a mark and sends it toward real i exactly as it sends
 * a client's packet (route to the real, mark for tc, IP-in-IP), whatever
 * its destination and whether or not that address is local to the node;
 * unmarked packets, and marked ones of other protocols, are left alone. A
 * mark naming a slot no real uses is dropped, counted as
 * SLUICE_DROP_PROBE_NO_REAL (the sender sees EPERM). A probe larger than
 * the tunnel to the real allows gets an ICMP "too big" from the VIP, so
 * the socket lowers its MSS or path MTU (counted as SLUICE_DROP_TOO_BIG).
 * The hook runs at priority -410: the node's conntrack and its OUTPUT
 * rules (raw, mangle, nat, filter) do not see a probe, as its PRE_ROUTING
 * rules do not see a client's packets. Probes get no connection entry and
 * count in no service's statistics. The module's hooks exist while the
 * namespace has a service: with none, no slot is in use and a marked
 * packet is routed as usual.
 *
 * The real answers from the VIP straight to the probe's source: bind the
 * probe to an address of the LB node the real can reach (not the VIP).
 * That reply has a local address (the VIP) as its source, which IPv4
 * drops as a martian unless the receiving interface has
 * net.ipv4.conf.<if>.accept_local = 1, with rp_filter 0 or 2 (loose;
 * strict filtering rejects it). IPv6 needs no setting. The reply reaches
 * the host's firewall and conntrack as a packet from the VIP to the node
 * (its conntrack never saw the probe leave).
 */
#ifndef _UAPI_LINUX_SLUICE_H
#define _UAPI_LINUX_SLUICE_H

#include <linux/types.h>

#define SLUICE_GENL_NAME	"sluice"
#define SLUICE_GENL_VERSION	1

/* Longest string attribute value, terminating NUL included. */
#define SLUICE_STR_MAX		64

#define SLUICE_GENL_MCGRP_EVENTS	"events"

/* Scheduler names: at most SLUICE_SCHED_NAME_MAX bytes with the NUL. */
#define SLUICE_SCHED_NAME_MAX	16
#define SLUICE_SCHED_DEFAULT	"mh"

enum sluice_cmd {
	SLUICE_CMD_UNSPEC,
	SLUICE_CMD_GET_INFO,
	SLUICE_CMD_NEW_SERVICE,
	SLUICE_CMD_SET_SERVICE,
	SLUICE_CMD_DEL_SERVICE,
	SLUICE_CMD_GET_SERVICE,
	SLUICE_CMD_NEW_DEST,
	SLUICE_CMD_SET_DEST,
	SLUICE_CMD_DEL_DEST,
	SLUICE_CMD_GET_DEST,
	SLUICE_CMD_FLUSH,
	SLUICE_CMD_ZERO,
	SLUICE_CMD_GET_CONFIG,
	SLUICE_CMD_SET_CONFIG,
	SLUICE_CMD_SET_MAPS,
	SLUICE_CMD_GET_CONN,
	__SLUICE_CMD_MAX
};

#define SLUICE_CMD_MAX (__SLUICE_CMD_MAX - 1)

enum sluice_attr {
	SLUICE_A_UNSPEC,
	SLUICE_A_PAD,			/* 64-bit alignment padding, never sent by users */
	SLUICE_A_INFO_VERSION,		/* NLA_NUL_STRING (out) */
	SLUICE_A_INFO_KERNEL,		/* NLA_NUL_STRING (out) */
	SLUICE_A_INFO_NETNS_COOKIE,	/* NLA_U64 (out) */
	SLUICE_A_SERVICE,		/* nested enum sluice_svc_attr */
	SLUICE_A_DEST,			/* nested enum sluice_dest_attr */
	SLUICE_A_CONFIG,		/* nested enum sluice_cfg_attr */
	SLUICE_A_INFO_SERVICES,		/* NLA_U32 (out) */
	SLUICE_A_INFO_CONN_MAX,		/* NLA_U32 (out) */
	SLUICE_A_MAP_REALS,		/* NLA_U32: fd */
	SLUICE_A_MAP_TC_CFG,		/* NLA_U32: fd */
	SLUICE_A_INFO_CONNS,		/* NLA_U32 (out): connection entries */
	SLUICE_A_INFO_DROPS,		/* nested, NLA_U64 per enum sluice_drop (out) */
	SLUICE_A_INFO_CONN_EVICTED,	/* NLA_U64 (out): half-open entries evicted */
	SLUICE_A_INFO_CONN_STATELESS,	/* NLA_U64 (out): packets sent without entry */
	SLUICE_A_CONN,			/* nested enum sluice_conn_attr (out) */
	SLUICE_A_INFO_CONN_BUCKETS,	/* NLA_U32 (out) */
	SLUICE_A_INFO_CONN_ENTRY_SIZE,	/* NLA_U32 (out) */
	SLUICE_A_INFO_CONN_BYTES,	/* NLA_U64 (out) */
	__SLUICE_A_MAX
};

#define SLUICE_A_MAX (__SLUICE_A_MAX - 1)

/*
 * Addresses (SLUICE_SVC_A_ADDR, SLUICE_DEST_A_ADDR) are 16 bytes in network
 * byte order: an IPv6 address, or an IPv4 address in the first 4 bytes
 * with the other 12 zero (as in the BPF maps below).
 */
#define SLUICE_ADDR_LEN		16

/* Longest persistence or connection timeout, in seconds (about 24 days). */
#define SLUICE_TIMEOUT_MAX	2147483U

enum sluice_svc_attr {
	SLUICE_SVC_A_UNSPEC,
	SLUICE_SVC_A_PAD,
	SLUICE_SVC_A_AF,		/* NLA_U16: AF_INET or AF_INET6 */
	SLUICE_SVC_A_PROTOCOL,		/* NLA_U8: IPPROTO_TCP or IPPROTO_UDP */
	SLUICE_SVC_A_ADDR,		/* SLUICE_ADDR_LEN bytes: the VIP */
	SLUICE_SVC_A_PORT,		/* NLA_BE16; 0 (all ports) only if persistent */
	SLUICE_SVC_A_FWMARK,		/* NLA_U32, not 0: a firewall-mark service */
	SLUICE_SVC_A_SCHED_NAME,	/* NLA_NUL_STRING: "mh", "rr", "wrr", "sh", "lc", "wlc" */
	SLUICE_SVC_A_SCHED_FLAGS,	/* NLA_U32: SLUICE_SCHED_F_* */
	SLUICE_SVC_A_FLAGS,		/* NLA_U32: SLUICE_SVC_F_* */
	SLUICE_SVC_A_TIMEOUT,		/* NLA_U32: persistence in seconds, 0 = none */
	SLUICE_SVC_A_PERSIST_PLEN,	/* NLA_U8: persistence granularity, a prefix
					 * length (default 32 / 128, the client)
					 */
	SLUICE_SVC_A_HASH_FIELDS,	/* NLA_U32: SLUICE_HASH_* fed to the flow hash */
	SLUICE_SVC_A_MH_SIZE,		/* NLA_U32: Maglev table size, a prime in
					 * [SLUICE_MH_SIZE_MIN, SLUICE_MH_SIZE_MAX]
					 */
	SLUICE_SVC_A_NUM_DESTS,		/* NLA_U32 (out): reals */
	SLUICE_SVC_A_STATS,		/* nested enum sluice_stats_attr (out) */
	__SLUICE_SVC_A_MAX
};

#define SLUICE_SVC_A_MAX (__SLUICE_SVC_A_MAX - 1)

#define SLUICE_MH_SIZE_MIN	251
#define SLUICE_MH_SIZE_MAX	131071
#define SLUICE_MH_SIZE_DEFAULT	65537

/* SLUICE_SVC_A_FLAGS */
#define SLUICE_SVC_F_ONEPACKET	(1U << 0)	/* UDP: schedule every packet, no entry */
#define SLUICE_SVC_F_ALL	SLUICE_SVC_F_ONEPACKET

/* SLUICE_SVC_A_SCHED_FLAGS (ipvsadm: sh-fallback / mh-fallback) */
#define SLUICE_SCHED_F_FALLBACK	(1U << 0)	/* sh, mh: skip a real that is
						 * overloaded to the next one
						 */
#define SLUICE_SCHED_F_ALL	SLUICE_SCHED_F_FALLBACK

/*
 * SLUICE_SVC_A_HASH_FIELDS: what the flow hash (mh and sh, and the
 * connection table's choice of real on every LB node) is computed from.
 * Default: the 5-tuple for mh (SLUICE_HASH_5TUPLE), the client address for
 * sh (SLUICE_HASH_SRC_ADDR, ipvsadm's sh; with the source port that is
 * ipvsadm's sh-port / mh-port). Must include SLUICE_HASH_SRC_ADDR.
 */
#define SLUICE_HASH_SRC_ADDR	(1U << 0)
#define SLUICE_HASH_SRC_PORT	(1U << 1)
#define SLUICE_HASH_DST_ADDR	(1U << 2)
#define SLUICE_HASH_DST_PORT	(1U << 3)
#define SLUICE_HASH_PROTO	(1U << 4)
#define SLUICE_HASH_5TUPLE	0x1fU

enum sluice_fwd_method {
	SLUICE_FWD_TUNNEL = 1,		/* IP-in-IP (4in4, 6in4, 4in6, 6in6) */
	__SLUICE_FWD_MAX
};

#define SLUICE_FWD_MAX		(__SLUICE_FWD_MAX - 1)
#define SLUICE_WEIGHT_MAX	65535

enum sluice_dest_attr {
	SLUICE_DEST_A_UNSPEC,
	SLUICE_DEST_A_PAD,
	SLUICE_DEST_A_AF,		/* NLA_U16: the real's family (may differ
					 * from the service's: the tunnel carries it)
					 */
	SLUICE_DEST_A_ADDR,		/* SLUICE_ADDR_LEN bytes */
	SLUICE_DEST_A_PORT,		/* NLA_BE16: informational for tunnels */
	SLUICE_DEST_A_FWD_METHOD,	/* NLA_U8: enum sluice_fwd_method */
	SLUICE_DEST_A_WEIGHT,		/* NLA_U32: 0..SLUICE_WEIGHT_MAX, 0 = drain */
	SLUICE_DEST_A_U_THRESH,		/* NLA_U32: connection limit, 0 = none */
	SLUICE_DEST_A_L_THRESH,		/* NLA_U32: back in service below, 0 = 3/4 of U */
	SLUICE_DEST_A_ACTIVE_CONNS,	/* NLA_U32 (out) */
	SLUICE_DEST_A_INACT_CONNS,	/* NLA_U32 (out) */
	SLUICE_DEST_A_PERSIST_CONNS,	/* NLA_U32 (out) */
	SLUICE_DEST_A_REAL_INDEX,	/* NLA_U32 (out): slot in sluice_reals, one
					 * per distinct real address in the namespace
					 * (at most SLUICE_MAX_REALS of them): the i
					 * of the mark SLUICE_MARK_VALUE | i, for the
					 * tc program and for health-check probes
					 */
	SLUICE_DEST_A_STATS,		/* nested enum sluice_stats_attr (out) */
	__SLUICE_DEST_A_MAX
};

#define SLUICE_DEST_A_MAX (__SLUICE_DEST_A_MAX - 1)

/* Counters (NLA_U64, since zeroing) and rates (NLA_U64, per second). */
enum sluice_stats_attr {
	SLUICE_STATS_A_UNSPEC,
	SLUICE_STATS_A_PAD,
	SLUICE_STATS_A_CONNS,
	SLUICE_STATS_A_INPKTS,
	SLUICE_STATS_A_INBYTES,
	SLUICE_STATS_A_OUTPKTS,		/* 0 with direct server return */
	SLUICE_STATS_A_OUTBYTES,
	SLUICE_STATS_A_CPS,
	SLUICE_STATS_A_INPPS,
	SLUICE_STATS_A_INBPS,
	SLUICE_STATS_A_OUTPPS,
	SLUICE_STATS_A_OUTBPS,
	__SLUICE_STATS_A_MAX
};

#define SLUICE_STATS_A_MAX (__SLUICE_STATS_A_MAX - 1)

/*
 * Packets the module drops, by reason (SLUICE_A_INFO_DROPS: attribute
 * type = reason + 1, NLA_U64 packets).
 */
enum sluice_drop {
	SLUICE_DROP_MALFORMED,		/* truncated or inconsistent headers */
	SLUICE_DROP_FRAGMENT,		/* fragment to a VIP */
	SLUICE_DROP_IP_OPTIONS,		/* IPv4 options to a VIP */
	SLUICE_DROP_NO_SERVICE,		/* to a VIP, no service for the protocol/port */
	SLUICE_DROP_NO_DEST,		/* the scheduler had no available real */
	SLUICE_DROP_NO_ROUTE,		/* no route to the real */
	SLUICE_DROP_TOO_BIG,		/* over the path MTU with DF (ICMP sent) */
	SLUICE_DROP_NO_MEMORY,		/* could not make room in the packet */
	SLUICE_DROP_PROBE_NO_REAL,	/* a local packet marked for a real slot
					 * no real uses (see "Health checks
					 * through the VIP")
					 */
	SLUICE_DROPS_MAX
};

/* A connection-table entry (SLUICE_CMD_GET_CONN). */
enum sluice_conn_attr {
	SLUICE_CONN_A_UNSPEC,
	SLUICE_CONN_A_PAD,
	SLUICE_CONN_A_AF,		/* NLA_U16 */
	SLUICE_CONN_A_PROTOCOL,		/* NLA_U8: TCP, UDP, or 0 for a persistence template */
	SLUICE_CONN_A_CADDR,		/* SLUICE_ADDR_LEN bytes: client (template: prefix) */
	SLUICE_CONN_A_CPORT,		/* NLA_BE16 */
	SLUICE_CONN_A_VADDR,		/* SLUICE_ADDR_LEN bytes: VIP */
	SLUICE_CONN_A_VPORT,		/* NLA_BE16 */
	SLUICE_CONN_A_DAF,		/* NLA_U16: the real's family */
	SLUICE_CONN_A_DADDR,		/* SLUICE_ADDR_LEN bytes: the real */
	SLUICE_CONN_A_DPORT,		/* NLA_BE16 */
	SLUICE_CONN_A_STATE,		/* NLA_U8: enum sluice_conn_state_uapi */
	SLUICE_CONN_A_EXPIRES,		/* NLA_U32: milliseconds left */
	__SLUICE_CONN_A_MAX
};

#define SLUICE_CONN_A_MAX (__SLUICE_CONN_A_MAX - 1)

enum sluice_conn_state_uapi {
	SLUICE_CONN_SYN_RECV,		/* TCP, handshake seen from the client */
	SLUICE_CONN_ESTABLISHED,
	SLUICE_CONN_FIN_WAIT,		/* TCP, FIN or RST seen */
	SLUICE_CONN_UDP,
	SLUICE_CONN_TEMPLATE,		/* persistence */
};

/* Connection table limit, and its default. */
#define SLUICE_CONN_MAX_MIN	1024U
#define SLUICE_CONN_MAX_MAX	(1U << 26)
#define SLUICE_CONN_MAX_DEFAULT	(1U << 20)

/* Connection timeouts by default (seconds), as IPVS's. */
#define SLUICE_TIMEOUT_TCP_DEFAULT	900
#define SLUICE_TIMEOUT_TCP_FIN_DEFAULT	120
#define SLUICE_TIMEOUT_UDP_DEFAULT	300

enum sluice_cfg_attr {
	SLUICE_CFG_A_UNSPEC,
	SLUICE_CFG_A_PAD,
	SLUICE_CFG_A_TIMEOUT_TCP,	/* NLA_U32: 1..SLUICE_TIMEOUT_MAX seconds */
	SLUICE_CFG_A_TIMEOUT_TCP_FIN,	/* NLA_U32: 1..SLUICE_TIMEOUT_MAX */
	SLUICE_CFG_A_TIMEOUT_UDP,	/* NLA_U32: 1..SLUICE_TIMEOUT_MAX */
	SLUICE_CFG_A_CONN_MAX,		/* NLA_U32: SLUICE_CONN_MAX_MIN..SLUICE_CONN_MAX_MAX */
	SLUICE_CFG_A_MH_SEED,		/* NLA_U64: Maglev seed, the same on every LB node */
	SLUICE_CFG_A_TUN_SRC4,		/* 4 bytes: tunnel source, IPv4; 0.0.0.0 = none */
	SLUICE_CFG_A_TUN_SRC4_PLEN,	/* NLA_U8: 1..32, prefix the source is taken from */
	SLUICE_CFG_A_TUN_SRC6,		/* 16 bytes: tunnel source, IPv6; :: = none */
	SLUICE_CFG_A_TUN_SRC6_PLEN,	/* NLA_U8: 1..128 */
	SLUICE_CFG_A_TUN_TTL,		/* NLA_U8: outer TTL / hop limit, 0 = 64 */
	SLUICE_CFG_A_EXPIRE_NODEST,	/* NLA_U8: 0/1, drop a deleted real's connections */
	__SLUICE_CFG_A_MAX
};

#define SLUICE_CFG_A_MAX (__SLUICE_CFG_A_MAX - 1)

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
 *   sluice_cpumap    CPUMAP  the CPUs VIP traffic is steered to (entries:
 *                    SLUICE_MAX_STEER_CPUS, or fewer if the kernel has fewer)
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
 *
 * Fast path maps (both programs; see "XDP fast path" below):
 *   sluice_fp_flows  LRU_HASH[SLUICE_FP_FLOWS] struct sluice_fp_key ->
 *                    struct sluice_fp_flow: flows the module decided,
 *                    recorded by the tc program, used by the XDP program.
 *   sluice_fp_stats  PERCPU_ARRAY[SLUICE_FP_STATS_MAX] struct sluice_counter
 *                    indexed by enum sluice_fp_stat.
 *   The XDP program also reads sluice_reals and sluice_tc_cfg, and the tc
 *   program sluice_xdp_cfg (the same pinned maps).
 *
 * XDP fast path
 * -------------
 * Off by default; on while sluice_xdp_config.flags has SLUICE_XDP_FASTPATH
 * (sluiceadm --fastpath on|off). The module stays the one place where a
 * flow's real is decided; the XDP program only repeats, for the next
 * packets of a flow, what the module and the tc program did to its last
 * one:
 *  1. The module sends a packet of an established TCP connection (no SYN,
 *     FIN or RST) or of a UDP flow (not a one-packet service) with
 *     __sk_buff cb[0] = SLUICE_FP_CB_MAGIC and cb[1] = the generation of
 *     the real's slot it checked (sluice_real_ep.gen) at that moment.
 *  2. The tc program, the fast path being on, encapsulates it as always
 *     and records the flow in sluice_fp_flows: the real's slot, that
 *     generation, the finished Ethernet header and the egress interface.
 *  3. The XDP program, for a well-formed TCP (no SYN, FIN, RST) or UDP
 *     packet to a served VIP that passed every policy check, with no VLAN
 *     tag, finds the flow; if the slot is valid, its generation is still
 *     the recorded one, the packet fits the route's MTU (sluice_real_ep.
 *     mtu) and the flow's refresh time has not come, it adds the same
 *     outer header the tc program would (same source choice per flow),
 *     writes the recorded Ethernet header and sends it: XDP_TX on the
 *     interface it came in on, else XDP_REDIRECT to the recorded one.
 *     Anything else goes the slow path, counted by reason.
 * The module gives a slot a new generation when its real is deleted from
 * a service, when the route to it is another (a route change), when the
 * route's MTU or the next hop's link-layer address changes, and when the
 * slot is freed: every flow recorded before misses at its next packet
 * (O(1), no walk of the flows) and takes the slow path, which decides
 * again. Once per SLUICE_FP_REFRESH_MS (or sluice_xdp_config.fp_refresh_ms)
 * each flow sends one packet the slow path, so the module's connection
 * entry never expires under it and a route change is followed within that
 * time at most; that packet carries, in XDP metadata (struct
 * sluice_fp_meta), the packets and bytes the fast path sent for the flow
 * since the last such packet, which the module adds to the service's and
 * the real's counters: listings and --stats count every packet, at most
 * one refresh interval late.
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
#define SLUICE_XDP_FASTPATH	(1U << 1)	/* the XDP fast path (see above) is on */

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
	__u32 fp_refresh_ms;	/* fast path: a flow's slow-path packet interval, 0 = default */
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
	SLUICE_XDP_FAST_TX,		/* fast path: encapsulated, XDP_TX */
	SLUICE_XDP_FAST_REDIRECT,	/* fast path: encapsulated, XDP_REDIRECT */
	SLUICE_XDP_STATS_MAX
};

struct sluice_counter {
	__u64 packets;
	__u64 bytes;
};

/* sluice_real_ep.flags */
#define SLUICE_REAL_EP_VALID	(1U << 0)

/*
 * A real's tunnel endpoint (sluice_reals[slot]), written by the module.
 * gen: the slot's generation, new whenever what the fast path recorded for
 *   it may no longer hold (see "XDP fast path"); never 0 in a valid slot.
 * mtu: the largest inner packet the route to the real carries (the route's
 *   MTU less the outer header), 0 until the module has routed a packet.
 */
struct sluice_real_ep {
	__be32 addr[4];
	__u8 family;
	__u8 pad[3];
	__u32 flags;
	__u32 gen;
	__u32 mtu;
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

/* Fast path: flows sluice_fp_flows holds at most (least recently used go). */
#define SLUICE_FP_FLOWS		(1U << 17)
#define SLUICE_FP_REFRESH_MS	1000U
/* __sk_buff cb[0] of a packet the module lets the fast path record. */
#define SLUICE_FP_CB_MAGIC	0x5c15fa57U

/* A flow as its client sends it; padding zero. */
struct sluice_fp_key {
	__be32 saddr[4];	/* client */
	__be32 daddr[4];	/* VIP */
	__be16 sport;
	__be16 dport;
	__u8 family;
	__u8 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	__u8 pad[2];
};

/*
 * What the tc program did to the flow's last slow-path packet. hash: the
 * flow's hash, which picks its outer source (bpf/encap.h). packets and
 * bytes: sent by the fast path since the last slow-path packet (bytes of
 * the inner IP packet, as the module counts them; a flow's packet goes the
 * slow path before bytes reach 2^31). refresh: when the next packet takes
 * the slow path, in units of 2^20 ns (about a millisecond; compared modulo
 * 2^32). 40 bytes: with its 40-byte key and the kernel's 48-byte header,
 * an entry takes 128 bytes.
 */
struct sluice_fp_flow {
	__u8 eth[12];		/* destination and source MAC */
	__u32 ifindex;		/* egress interface */
	__u32 slot;		/* in sluice_reals */
	__u32 gen;		/* the slot's generation the module checked */
	__u32 refresh;
	__u32 hash;
	__u32 packets;
	__u32 bytes;
};

/* XDP metadata on a flow's slow-path packet (see "XDP fast path"). */
#define SLUICE_FP_META_MAGIC	0x5c15c0deU

struct sluice_fp_meta {
	__u32 magic;
	__u32 packets;
	__u32 bytes;
	__u32 pad;
};

enum sluice_fp_stat {
	SLUICE_FP_RECORDED,		/* tc: a flow recorded (or recorded again) */
	SLUICE_FP_MISS_NO_ENTRY,	/* XDP: flow not recorded (new, or evicted) */
	SLUICE_FP_MISS_STALE,		/* XDP: slot invalid or of another generation */
	SLUICE_FP_MISS_REFRESH,		/* XDP: the flow's periodic slow-path packet */
	SLUICE_FP_MISS_TCP_FLAGS,	/* XDP: SYN, FIN or RST */
	SLUICE_FP_MISS_TOO_BIG,		/* XDP: over the route's MTU once encapsulated */
	SLUICE_FP_MISS_HEADERS,	/* XDP: VLAN tag, IPv6 extension headers */
	SLUICE_FP_MISS_NO_ROOM,		/* XDP: the driver gave no headroom */
	SLUICE_FP_META_DEFERRED,	/* XDP: no room for metadata: counts kept for later */
	SLUICE_FP_STATS_MAX
};

#endif /* _UAPI_LINUX_SLUICE_H */
