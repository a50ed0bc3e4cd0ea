// SPDX-License-Identifier: GPL-2.0
/*
 * BPF fixture tests on the host kernel (BPF_PROG_TEST_RUN): for each
 * fixture, an input packet, the expected verdict, the expected output
 * packet and the one counter that must move. Prints one TAP-style line per
 * test ("ok bpf/..." / "not ok bpf/...") and exits non-zero on failure.
 * Needs root (loading BPF programs).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <linux/sluice.h>
#include "dpmaps.h"
#include "harness.h"
#include "pkt.h"

int failures, ncpus;
uint8_t in_buf[BUF_SIZE], out_buf[BUF_SIZE];

void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf(ok ? "ok bpf/" : "not ok bpf/");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		failures++;
}

void note(const char *fmt, ...)
{
	va_list ap;

	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Sum of a per-CPU counter array entry. */
struct sluice_counter stat_get(int map_fd, uint32_t idx)
{
	struct sluice_counter per[ncpus], sum = { 0, 0 };
	int i;

	if (bpf_map_lookup_elem(map_fd, &idx, per))
		return sum;
	for (i = 0; i < ncpus; i++) {
		sum.packets += per[i].packets;
		sum.bytes += per[i].bytes;
	}
	return sum;
}

void stats_snapshot(int fd, int n, struct sluice_counter *s)
{
	int i;

	for (i = 0; i < n; i++)
		s[i] = stat_get(fd, i);
}

/* Exactly one counter, @want, moved by one packet of @bytes. */
static int stats_moved(int fd, int n, const struct sluice_counter *before,
		       int want, size_t bytes)
{
	struct sluice_counter now;
	int i, ok = 1;

	for (i = 0; i < n; i++) {
		now = stat_get(fd, i);
		uint64_t dp = now.packets - before[i].packets;
		uint64_t db = now.bytes - before[i].bytes;

		if (i == want ? dp != 1 || db != bytes : dp || db) {
			note("counter %d moved by %llu packets, %llu bytes", i,
			     (unsigned long long)dp, (unsigned long long)db);
			ok = 0;
		}
	}
	return ok;
}

static struct sluice_prefix host(const char *addr)
{
	struct sluice_prefix p;
	char err[128];

	if (sluice_prefix_parse(addr, &p, err, sizeof(err)))
		note("%s", err);
	return p;
}

int add_service(struct sluice_xdp *x, const char *vip, uint8_t proto,
		uint16_t port)
{
	struct sluice_prefix p = host(vip);

	struct sluice_dpm_vips vips = { bpf_map__fd(x->maps.sluice_vips4),
					bpf_map__fd(x->maps.sluice_vips6) };

	return sluice_dpm_service_add(
		&vips, bpf_map__fd(x->maps.sluice_services), &p, proto, port);
}

/* ---------------------------------------------------------------- XDP */

struct xdp_fixture {
	const char *name;
	struct pkt_spec spec;
	int action;
	int stat;
};

static const struct xdp_fixture xdp_fixtures[] = {
	{ "v4-tcp-to-service", TCP4(), XDP_PASS, SLUICE_XDP_PASS_VIP },
	{ "v4-tcp-syn-to-service", TCP4(.syn = 1, .ack = 0), XDP_PASS,
	  SLUICE_XDP_PASS_VIP },
	{ "v4-udp-to-service", TCP4(.proto = IPPROTO_UDP, .dport = 53),
	  XDP_PASS, SLUICE_XDP_PASS_VIP },
	{ "v6-tcp-to-service", TCP6(), XDP_PASS, SLUICE_XDP_PASS_VIP },
	{ "v6-udp-to-service", TCP6(.proto = IPPROTO_UDP, .dport = 53),
	  XDP_PASS, SLUICE_XDP_PASS_VIP },
	{ "v4-vlan", TCP4(.vlans = 1), XDP_PASS, SLUICE_XDP_PASS_VIP },
	{ "v4-qinq", TCP4(.vlans = 2), XDP_PASS, SLUICE_XDP_PASS_VIP },
	{ "v6-qinq", TCP6(.vlans = 2), XDP_PASS, SLUICE_XDP_PASS_VIP },
	{ "v6-ext-headers-2", TCP6(.ext = 2), XDP_PASS, SLUICE_XDP_PASS_VIP },
	{ "v6-ext-headers-5", TCP6(.ext = 5), XDP_PASS, SLUICE_XDP_PASS_VIP },
	{ "v6-ext-headers-over-bound", TCP6(.ext = 6), XDP_DROP,
	  SLUICE_XDP_DROP_MALFORMED },
	{ "v4-max-tcp-header", TCP4(.tcp_opts = 40), XDP_PASS,
	  SLUICE_XDP_PASS_VIP },
	{ "v4-min-tcp-no-payload", TCP4(.payload = 0), XDP_PASS,
	  SLUICE_XDP_PASS_VIP },
	{ "v4-1500-bytes", TCP4(.payload = 1446), XDP_PASS,
	  SLUICE_XDP_PASS_VIP },
	{ "v4-many-ports-first", TCP4(.dst = V4_MANY, .dport = 1000), XDP_PASS,
	  SLUICE_XDP_PASS_VIP },
	{ "v4-many-ports-beyond-entry", TCP4(.dst = V4_MANY, .dport = 1009),
	  XDP_PASS, SLUICE_XDP_PASS_VIP },
	{ "v4-many-ports-unserved", TCP4(.dst = V4_MANY, .dport = 1010),
	  XDP_DROP, SLUICE_XDP_DROP_NO_SERVICE },
	{ "v4-all-ports-service", TCP4(.dst = V4_ANY, .dport = 4242), XDP_PASS,
	  SLUICE_XDP_PASS_VIP },
	{ "v4-all-ports-service-other-proto",
	  TCP4(.dst = V4_ANY, .proto = IPPROTO_UDP, .dport = 4242), XDP_DROP,
	  SLUICE_XDP_DROP_NO_SERVICE },
	{ "v4-many-ports-all-ports-beyond-entry",
	  TCP4(.dst = V4_MANY, .proto = IPPROTO_UDP, .dport = 7), XDP_PASS,
	  SLUICE_XDP_PASS_VIP },
	{ "v4-not-a-vip", TCP4(.dst = "10.0.0.11"), XDP_PASS,
	  SLUICE_XDP_PASS_OTHER },
	{ "v6-not-a-vip", TCP6(.dst = "2001:db8::11"), XDP_PASS,
	  SLUICE_XDP_PASS_OTHER },
	{ "arp", { .ethertype = ETH_P_ARP }, XDP_PASS, SLUICE_XDP_PASS_OTHER },
	{ "arp-vlan",
	  { .ethertype = ETH_P_ARP, .vlans = 1 },
	  XDP_PASS,
	  SLUICE_XDP_PASS_OTHER },
	{ "v6-neighbour-solicitation-to-vip",
	  TCP6(.proto = IPPROTO_ICMPV6, .icmp_type = 135, .payload = 16),
	  XDP_PASS, SLUICE_XDP_PASS_OTHER },
	{ "v4-tcp-unserved-port", TCP4(.dport = 81), XDP_DROP,
	  SLUICE_XDP_DROP_NO_SERVICE },
	{ "v4-udp-unserved-port", TCP4(.proto = IPPROTO_UDP, .dport = 80),
	  XDP_DROP, SLUICE_XDP_DROP_NO_SERVICE },
	{ "v6-tcp-unserved-port", TCP6(.dport = 81), XDP_DROP,
	  SLUICE_XDP_DROP_NO_SERVICE },
	{ "v4-gre-to-vip", TCP4(.proto = 47), XDP_DROP,
	  SLUICE_XDP_DROP_NO_SERVICE },
	{ "v4-icmp-echo-to-vip", TCP4(.proto = IPPROTO_ICMP, .icmp_type = 8),
	  XDP_DROP, SLUICE_XDP_DROP_NO_SERVICE },
	{ "v4-icmpv6-in-ipv4", TCP4(.proto = IPPROTO_ICMPV6, .icmp_type = 2),
	  XDP_DROP, SLUICE_XDP_DROP_NO_SERVICE },
	{ "v4-icmp-frag-needed",
	  TCP4(.proto = IPPROTO_ICMP, .icmp_type = 3, .payload = 28), XDP_PASS,
	  SLUICE_XDP_PASS_ICMP_ERROR },
	{ "v4-icmp-time-exceeded",
	  TCP4(.proto = IPPROTO_ICMP, .icmp_type = 11, .payload = 28), XDP_PASS,
	  SLUICE_XDP_PASS_ICMP_ERROR },
	{ "v6-packet-too-big",
	  TCP6(.proto = IPPROTO_ICMPV6, .icmp_type = 2, .payload = 48),
	  XDP_PASS, SLUICE_XDP_PASS_ICMP_ERROR },
	{ "v6-unreachable",
	  TCP6(.proto = IPPROTO_ICMPV6, .icmp_type = 1, .payload = 48),
	  XDP_PASS, SLUICE_XDP_PASS_ICMP_ERROR },
	{ "v6-echo-to-vip", TCP6(.proto = IPPROTO_ICMPV6, .icmp_type = 128),
	  XDP_DROP, SLUICE_XDP_DROP_NO_SERVICE },
	{ "v4-ip-options", TCP4(.ip_opts = 4), XDP_DROP,
	  SLUICE_XDP_DROP_IP_OPTIONS },
	{ "v4-ip-options-max", TCP4(.ip_opts = 40), XDP_DROP,
	  SLUICE_XDP_DROP_IP_OPTIONS },
	{ "v4-first-fragment", TCP4(.frag = 1), XDP_DROP,
	  SLUICE_XDP_DROP_FRAGMENT },
	{ "v4-later-fragment", TCP4(.frag = 2), XDP_DROP,
	  SLUICE_XDP_DROP_FRAGMENT },
	{ "v4-df-not-a-fragment", TCP4(.df = 1), XDP_PASS,
	  SLUICE_XDP_PASS_VIP },
	{ "v6-first-fragment", TCP6(.frag = 1), XDP_DROP,
	  SLUICE_XDP_DROP_FRAGMENT },
	{ "v6-later-fragment-after-ext", TCP6(.frag = 2, .ext = 1), XDP_DROP,
	  SLUICE_XDP_DROP_FRAGMENT },
	{ "v4-blocklisted-source", TCP4(.src = "198.51.100.7"), XDP_DROP,
	  SLUICE_XDP_DROP_BLOCKLIST },
	{ "v4-next-to-blocklist", TCP4(.src = "198.51.101.7"), XDP_PASS,
	  SLUICE_XDP_PASS_VIP },
	{ "v6-blocklisted-source", TCP6(.src = "2001:db8:bad:0:1::1"), XDP_DROP,
	  SLUICE_XDP_DROP_BLOCKLIST },
	{ "v6-next-to-blocklist", TCP6(.src = "2001:db8:bad:1::1"), XDP_PASS,
	  SLUICE_XDP_PASS_VIP },
	{ "v4-blocklisted-to-non-vip",
	  TCP4(.src = "198.51.100.7", .dst = "10.9.9.9"), XDP_PASS,
	  SLUICE_XDP_PASS_OTHER },
};

/* Hand-made malformed packets: a valid one with one field broken. */
struct xdp_mangle {
	const char *name;
	struct pkt_spec spec;
	int l3_off; /* byte offset from the IP header */
	int l4; /* offset counts from the L4 header instead */
	uint16_t value; /* new value of that byte (mask applied) */
	uint8_t mask; /* bits replaced; 0: value is a 16-bit field */
};

static const struct xdp_mangle xdp_mangles[] = {
	{ "v4-version-6-in-ipv4-frame", TCP4(), 0, 0, 0x60, 0xf0 },
	{ "v4-ihl-below-5", TCP4(), 0, 0, 0x04, 0x0f },
	{ "v4-tot-len-beyond-packet", TCP4(), 2, 0, 0xff, 0xff },
	{ "v4-tot-len-below-header", TCP4(.payload = 0), 3, 0, 10, 0xff },
	{ "v4-tcp-doff-below-5", TCP4(), 12, 1, 0x40, 0xf0 },
	{ "v4-tcp-doff-beyond-packet", TCP4(.payload = 0), 12, 1, 0xf0, 0xf0 },
	{ "v4-udp-len-below-8", TCP4(.proto = IPPROTO_UDP, .dport = 53), 5, 1,
	  4, 0xff },
	{ "v4-udp-len-beyond-ip", TCP4(.proto = IPPROTO_UDP, .dport = 53), 4, 1,
	  0x40, 0xff },
	{ "v6-version-4-in-ipv6-frame", TCP6(), 0, 0, 0x40, 0xf0 },
	{ "v6-payload-len-beyond-packet", TCP6(), 4, 0, 0x40, 0xff },
	{ "v6-jumbogram-payload-len-0", TCP6(), 4, 0, 0, 0 },
};

int run_xdp(struct sluice_xdp *x, const uint8_t *pkt, size_t len, int *action,
	    size_t *out_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = len,
		    .data_out = out_buf, .data_size_out = sizeof(out_buf),
		    .repeat = 1);
	int err = bpf_prog_test_run_opts(bpf_program__fd(x->progs.sluice_xdp),
					 &o);

	*action = o.retval;
	*out_len = o.data_size_out;
	return err;
}

/* Run one packet; check verdict, output (== input) and counters. */
int xdp_case(struct sluice_xdp *x, const uint8_t *pkt, size_t len,
	     int want_action, int want_stat, int quiet)
{
	int fd = bpf_map__fd(x->maps.sluice_xdp_stats), action, ok = 1;
	struct sluice_counter before[SLUICE_XDP_STATS_MAX];
	size_t out_len;

	stats_snapshot(fd, SLUICE_XDP_STATS_MAX, before);
	if (run_xdp(x, pkt, len, &action, &out_len)) {
		note("test run failed: %s", strerror(errno));
		return 0;
	}
	if (action != want_action) {
		if (!quiet)
			note("verdict %d, want %d", action, want_action);
		ok = 0;
	}
	if (out_len != len || memcmp(out_buf, pkt, len)) {
		if (!quiet)
			note("packet changed");
		ok = 0;
	}
	if (!stats_moved(fd, SLUICE_XDP_STATS_MAX, before, want_stat, len))
		ok = 0;
	return ok;
}

static void xdp_setup(struct sluice_xdp *x)
{
	struct sluice_lpm_v4 b4 = { .prefixlen = 24 };
	struct sluice_lpm_v6 b6 = { .prefixlen = 64 };
	struct sluice_xdp_config cfg = { .block_v4 = 1, .block_v6 = 1 };
	uint32_t zero = 0;
	int i;

	if (add_service(x, V4_VIP, IPPROTO_TCP, 80) ||
	    add_service(x, V4_VIP, IPPROTO_UDP, 53) ||
	    add_service(x, V6_VIP, IPPROTO_TCP, 80) ||
	    add_service(x, V6_VIP, IPPROTO_UDP, 53))
		note("adding services failed");
	/* A VIP with more services than its entry lists. */
	for (i = 0; i < SLUICE_VIP_PORTS + 2; i++)
		add_service(x, V4_MANY, IPPROTO_TCP, 1000 + i);
	/* ... the last of them on every UDP port */
	add_service(x, V4_MANY, IPPROTO_UDP, 0);
	add_service(x, V4_ANY, IPPROTO_TCP, 0);
	inet_pton(AF_INET, "198.51.100.0", &b4.addr);
	inet_pton(AF_INET6, "2001:db8:bad::", b6.addr);
	bpf_map_update_elem(bpf_map__fd(x->maps.sluice_block_v4), &b4, &zero,
			    0);
	bpf_map_update_elem(bpf_map__fd(x->maps.sluice_block_v6), &b6, &zero,
			    0);
	bpf_map_update_elem(bpf_map__fd(x->maps.sluice_xdp_cfg), &zero, &cfg,
			    0);
}

static void xdp_fixture_tests(struct sluice_xdp *x)
{
	size_t i, len, l3_end, off;
	const struct xdp_mangle *m;

	for (i = 0; i < sizeof(xdp_fixtures) / sizeof(xdp_fixtures[0]); i++) {
		const struct xdp_fixture *f = &xdp_fixtures[i];

		len = pkt_build(&f->spec, in_buf, sizeof(in_buf), NULL);
		result(len && xdp_case(x, in_buf, len, f->action, f->stat, 0),
		       "xdp/%s", f->name);
	}
	for (i = 0; i < sizeof(xdp_mangles) / sizeof(xdp_mangles[0]); i++) {
		m = &xdp_mangles[i];
		len = pkt_build(&m->spec, in_buf, sizeof(in_buf), &l3_end);
		off = l3_end - (m->spec.v6 ? 40 : 20) + m->l3_off;
		if (m->l4)
			off = l3_end + m->spec.ip_opts + m->l3_off;
		if (m->mask) {
			in_buf[off] = (in_buf[off] & ~m->mask) |
				      (m->value & m->mask);
		} else {
			in_buf[off] = m->value >> 8;
			in_buf[off + 1] = m->value & 0xff;
		}
		result(xdp_case(x, in_buf, len, XDP_DROP,
				SLUICE_XDP_DROP_MALFORMED, 0),
		       "xdp/malformed-%s", m->name);
	}
}

/*
 * Every proper prefix of valid packets to a VIP, from the shortest frame a
 * test run takes (an Ethernet header) on: cut before the base IP
 * header is complete, the destination is unknown and the packet passes as
 * "other" (the stack drops it); from there on it is dropped as malformed.
 * Never passed as a VIP packet.
 */
static void xdp_truncation_tests(struct sluice_xdp *x)
{
	static const struct xdp_fixture valid[] = {
		{ "v4-tcp", TCP4(.payload = 10) },
		{ "v4-udp-vlan", TCP4(.proto = IPPROTO_UDP, .dport = 53,
				      .vlans = 1, .payload = 10) },
		{ "v6-tcp-ext", TCP6(.ext = 2, .payload = 10, .vlans = 2) },
		{ "v6-udp",
		  TCP6(.proto = IPPROTO_UDP, .dport = 53, .payload = 10) },
		{ "v4-icmp-error",
		  TCP4(.proto = IPPROTO_ICMP, .icmp_type = 3, .payload = 0) },
	};
	size_t i, len, cut, l3_end;
	int bad;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		len = pkt_build(&valid[i].spec, in_buf, sizeof(in_buf),
				&l3_end);
		bad = 0;
		for (cut = ETH_HLEN; cut < len; cut++) {
			int to_vip = cut >= l3_end;

			if (!xdp_case(x, in_buf, cut,
				      to_vip ? XDP_DROP : XDP_PASS,
				      to_vip ? SLUICE_XDP_DROP_MALFORMED :
					       SLUICE_XDP_PASS_OTHER,
				      1)) {
				note("cut at %zu of %zu bytes", cut, len);
				bad++;
			}
		}
		result(!bad, "xdp/truncated-%s-every-length", valid[i].name);
	}
}

static void xdp_syn_rate_test(struct sluice_xdp *x)
{
	struct pkt_spec syn = TCP4(.syn = 1, .ack = 0, .payload = 0);
	struct pkt_spec ack = TCP4();
	struct sluice_prefix vip = host(V4_VIP);
	struct sluice_dpm_vips vips = { bpf_map__fd(x->maps.sluice_vips4),
					bpf_map__fd(x->maps.sluice_vips6) };
	size_t len, alen;
	int i, ok = 1;
	uint8_t ackpkt[256];

	ok = !sluice_dpm_vip_syn(&vips, &vip, 1, 3);
	len = pkt_build(&syn, in_buf, sizeof(in_buf), NULL);
	for (i = 0; i < 3; i++)
		ok &= xdp_case(x, in_buf, len, XDP_PASS, SLUICE_XDP_PASS_VIP,
			       0);
	for (i = 0; i < 3; i++)
		ok &= xdp_case(x, in_buf, len, XDP_DROP,
			       SLUICE_XDP_DROP_SYN_RATE, 0);
	/* Non-SYN traffic is never limited. */
	alen = pkt_build(&ack, in_buf, sizeof(in_buf), NULL);
	memcpy(ackpkt, in_buf, alen < sizeof(ackpkt) ? alen : sizeof(ackpkt));
	ok &= xdp_case(x, ackpkt, alen, XDP_PASS, SLUICE_XDP_PASS_VIP, 0);
	result(ok, "xdp/syn-rate-burst-3-then-drop");

	/* Limit off again: SYNs pass. */
	sluice_dpm_vip_syn(&vips, &vip, 0, 0);
	len = pkt_build(&syn, in_buf, sizeof(in_buf), NULL);
	result(xdp_case(x, in_buf, len, XDP_PASS, SLUICE_XDP_PASS_VIP, 0),
	       "xdp/syn-rate-off");
}

static void xdp_steer_test(struct sluice_xdp *x)
{
	struct sluice_xdp_config cfg = { .flags = SLUICE_XDP_STEER,
					 .steer_cpus = 1 };
	struct bpf_cpumap_val cv = { .qsize = 192 };
	struct pkt_spec s = TCP4();
	uint32_t zero = 0, cpu = 0;
	size_t len;
	int err;

	err = bpf_map_update_elem(bpf_map__fd(x->maps.sluice_cpumap), &cpu, &cv,
				  0);
	err |= bpf_map_update_elem(bpf_map__fd(x->maps.sluice_steer_cpus),
				   &zero, &cpu, 0);
	err |= bpf_map_update_elem(bpf_map__fd(x->maps.sluice_xdp_cfg), &zero,
				   &cfg, 0);
	len = pkt_build(&s, in_buf, sizeof(in_buf), NULL);
	result(!err && xdp_case(x, in_buf, len, XDP_REDIRECT,
				SLUICE_XDP_STEERED, 0),
	       "xdp/steer-to-cpumap");
	s.dst = "10.0.0.99";
	len = pkt_build(&s, in_buf, sizeof(in_buf), NULL);
	result(xdp_case(x, in_buf, len, XDP_PASS, SLUICE_XDP_PASS_OTHER, 0),
	       "xdp/steer-leaves-other-traffic");
	cfg.flags = 0;
	bpf_map_update_elem(bpf_map__fd(x->maps.sluice_xdp_cfg), &zero, &cfg,
			    0);
}

/* ----------------------------------------------------------------- tc */

#define REAL4 "172.16.0.5"
#define REAL6 "2001:db8:5::5"

int run_tc(struct sluice_tc *t, const uint8_t *pkt, size_t len, uint32_t mark,
	   struct tc_out *r)
{
	struct __sk_buff ctx = { .mark = mark };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = len,
		    .data_out = out_buf, .data_size_out = sizeof(out_buf),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .ctx_out = &ctx,
		    .ctx_size_out = sizeof(ctx), .repeat = 1);
	int err =
		bpf_prog_test_run_opts(bpf_program__fd(t->progs.sluice_tc), &o);

	r->action = o.retval;
	r->len = o.data_size_out;
	r->mark = ctx.mark;
	return err;
}

void tc_setup(struct sluice_tc *t, const char *src4, int plen4,
	      const char *src6, int plen6)
{
	struct sluice_tc_config cfg = { .src_v4_plen = plen4,
					.src_v6_plen = plen6 };
	struct sluice_real_ep ep = { .flags = SLUICE_REAL_EP_VALID };
	uint32_t zero = 0, idx;

	if (src4)
		inet_pton(AF_INET, src4, &cfg.src_v4);
	if (src6)
		inet_pton(AF_INET6, src6, cfg.src_v6);
	bpf_map_update_elem(bpf_map__fd(t->maps.sluice_tc_cfg), &zero, &cfg, 0);
	ep.family = AF_INET;
	inet_pton(AF_INET, REAL4, ep.addr);
	idx = 1;
	bpf_map_update_elem(bpf_map__fd(t->maps.sluice_reals), &idx, &ep, 0);
	memset(ep.addr, 0, sizeof(ep.addr));
	ep.family = AF_INET6;
	inet_pton(AF_INET6, REAL6, ep.addr);
	idx = 2;
	bpf_map_update_elem(bpf_map__fd(t->maps.sluice_reals), &idx, &ep, 0);
}

/*
 * Check an encapsulated packet: outer header, Ethernet type, inner bytes.
 * @df and @tos: the outer header's, or -1 for any.
 */
int check_encap(const uint8_t *in, size_t in_len, const struct tc_out *r,
		int outer6, int inner6, int df, int tos,
		uint32_t *outer_src_low)
{
	size_t ohl = outer6 ? 40 : 20;
	uint16_t eth_type = *(uint16_t *)(out_buf + 12);
	int ok = 1;

	if (r->action != TC_ACT_OK || r->mark != 0 || r->len != in_len + ohl) {
		note("action %d mark %#x len %zu (in %zu)", r->action, r->mark,
		     r->len, in_len);
		return 0;
	}
	if (memcmp(out_buf, in, 12) ||
	    eth_type != htons(outer6 ? ETH_P_IPV6 : ETH_P_IP)) {
		note("ethernet header wrong");
		ok = 0;
	}
	if (memcmp(out_buf + 14 + ohl, in + 14, in_len - 14)) {
		note("inner packet changed");
		ok = 0;
	}
	if (!outer6) {
		struct iphdr *ip = (struct iphdr *)(out_buf + 14);
		struct in_addr real;

		inet_pton(AF_INET, REAL4, &real);
		if (ip->version != 4 || ip->ihl != 5 ||
		    ntohs(ip->tot_len) != in_len - 14 + 20 || ip->ttl != 64 ||
		    ip->protocol != (inner6 ? IPPROTO_IPV6 : IPPROTO_IPIP) ||
		    ip->daddr != real.s_addr || (tos >= 0 && ip->tos != tos) ||
		    (df >= 0 && !!(ntohs(ip->frag_off) & 0x4000) != df) ||
		    (ntohs(ip->frag_off) & 0x3fff) || pkt_csum(ip, 20) != 0) {
			note("outer IPv4 header wrong");
			ok = 0;
		}
		*outer_src_low = ntohl(ip->saddr);
	} else {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(out_buf + 14);
		struct in6_addr real;

		inet_pton(AF_INET6, REAL6, &real);
		if (ip6->version != 6 ||
		    ntohs(ip6->payload_len) != in_len - 14 ||
		    ip6->hop_limit != 64 ||
		    ip6->nexthdr != (inner6 ? IPPROTO_IPV6 : IPPROTO_IPIP) ||
		    memcmp(&ip6->daddr, &real, 16) ||
		    (tos >= 0 && (uint8_t)(ip6->priority << 4 |
					   ip6->flow_lbl[0] >> 4) != tos)) {
			note("outer IPv6 header wrong");
			ok = 0;
		}
		*outer_src_low = ntohl(ip6->saddr.s6_addr32[3]);
	}
	return ok;
}

int tc_case_counted(struct sluice_tc *t, const uint8_t *pkt, size_t len,
		    uint32_t mark, struct tc_out *r, int want_stat)
{
	int fd = bpf_map__fd(t->maps.sluice_tc_stats);
	struct sluice_counter before[SLUICE_TC_STATS_MAX];

	stats_snapshot(fd, SLUICE_TC_STATS_MAX, before);
	if (run_tc(t, pkt, len, mark, r)) {
		note("test run failed: %s", strerror(errno));
		return 0;
	}
	/* Encapsulated packets count with their outer header. */
	if (want_stat == SLUICE_TC_ENCAP_V4 || want_stat == SLUICE_TC_ENCAP_V6)
		len = r->len;
	return stats_moved(fd, SLUICE_TC_STATS_MAX, before, want_stat, len);
}

static void tc_tests(struct sluice_tc *t)
{
	struct pkt_spec s4 = TCP4(.df = 1, .tos = 0xb8), s6 = TCP6(.tos = 0x2e);
	uint32_t real4 = SLUICE_MARK_VALUE | 1, real6 = SLUICE_MARK_VALUE | 2;
	uint32_t low, low2, seen[256] = { 0 }, distinct = 0, prefix;
	struct tc_out r;
	size_t len;
	int i, ok;

	tc_setup(t, "100.64.0.0", 24, "2001:db8:ffff::", 112);
	inet_pton(AF_INET, "100.64.0.0", &prefix);

	len = pkt_build(&s4, in_buf, sizeof(in_buf), NULL);
	ok = tc_case_counted(t, in_buf, len, 0, &r, SLUICE_TC_PASS);
	result(ok && r.action == TC_ACT_OK && r.len == len &&
		       !memcmp(in_buf, out_buf, len),
	       "tc/unmarked-untouched");
	ok = tc_case_counted(t, in_buf, len, 0x12345678, &r, SLUICE_TC_PASS);
	result(ok && r.action == TC_ACT_OK && r.mark == 0x12345678 &&
		       !memcmp(in_buf, out_buf, len),
	       "tc/foreign-mark-untouched");

	ok = tc_case_counted(t, in_buf, len, real4, &r, SLUICE_TC_ENCAP_V4);
	ok = check_encap(in_buf, len, &r, 0, 0, 1, 0xb8, &low) && ok;
	result(ok && (low & 0xffffff00) == ntohl(prefix), "tc/ipip-v4-in-v4");

	s4.df = 0;
	len = pkt_build(&s4, in_buf, sizeof(in_buf), NULL);
	ok = tc_case_counted(t, in_buf, len, real4, &r, SLUICE_TC_ENCAP_V4);
	result(ok && check_encap(in_buf, len, &r, 0, 0, 0, 0xb8, &low),
	       "tc/ipip-v4-no-df");

	len = pkt_build(&s4, in_buf, sizeof(in_buf), NULL);
	ok = tc_case_counted(t, in_buf, len, real6, &r, SLUICE_TC_ENCAP_V6);
	result(ok && check_encap(in_buf, len, &r, 1, 0, 1, 0xb8, &low) &&
		       (low & 0xffff0000) == 0,
	       "tc/ip6tnl-v4-in-v6");

	len = pkt_build(&s6, in_buf, sizeof(in_buf), NULL);
	ok = tc_case_counted(t, in_buf, len, real4, &r, SLUICE_TC_ENCAP_V4);
	result(ok && check_encap(in_buf, len, &r, 0, 1, 1, 0x2e, &low),
	       "tc/sit-v6-in-v4");
	ok = tc_case_counted(t, in_buf, len, real6, &r, SLUICE_TC_ENCAP_V6);
	result(ok && check_encap(in_buf, len, &r, 1, 1, 1, 0x2e, &low),
	       "tc/ip6tnl-v6-in-v6");

	/* Maximal size a test run takes for skbs (one page): 3500 bytes. */
	s4.payload = 3500 - 54;
	len = pkt_build(&s4, in_buf, sizeof(in_buf), NULL);
	ok = tc_case_counted(t, in_buf, len, real4, &r, SLUICE_TC_ENCAP_V4);
	result(ok && check_encap(in_buf, len, &r, 0, 0, 0, 0xb8, &low),
	       "tc/ipip-3500-bytes");
	s4.payload = 100;

	/* Same flow, same outer source; many flows spread over the prefix. */
	len = pkt_build(&s4, in_buf, sizeof(in_buf), NULL);
	run_tc(t, in_buf, len, real4, &r);
	low = ntohl(((struct iphdr *)(out_buf + 14))->saddr);
	run_tc(t, in_buf, len, real4, &r);
	low2 = ntohl(((struct iphdr *)(out_buf + 14))->saddr);
	result(low == low2, "tc/same-flow-same-source");
	for (i = 0; i < 64; i++) {
		s4.sport = 20000 + i;
		len = pkt_build(&s4, in_buf, sizeof(in_buf), NULL);
		run_tc(t, in_buf, len, real4, &r);
		low = ntohl(((struct iphdr *)(out_buf + 14))->saddr) & 0xff;
		distinct += !seen[low]++;
	}
	result(distinct >= 32, "tc/flows-spread-over-source-prefix");
	if (distinct < 32)
		note("64 flows used %u source addresses", distinct);

	len = pkt_build(&s4, in_buf, sizeof(in_buf), NULL);
	ok = tc_case_counted(t, in_buf, len, SLUICE_MARK_VALUE | 7, &r,
			     SLUICE_TC_DROP_NO_REAL);
	result(ok && r.action == TC_ACT_SHOT, "tc/unused-real-slot-dropped");

	{
		struct pkt_spec arp = { .ethertype = ETH_P_ARP };

		len = pkt_build(&arp, in_buf, sizeof(in_buf), NULL);
		ok = tc_case_counted(t, in_buf, len, real4, &r,
				     SLUICE_TC_DROP_MALFORMED);
		result(ok && r.action == TC_ACT_SHOT,
		       "tc/marked-non-ip-dropped");
	}

	tc_setup(t, NULL, 0, NULL, 0);
	len = pkt_build(&s4, in_buf, sizeof(in_buf), NULL);
	ok = tc_case_counted(t, in_buf, len, real4, &r,
			     SLUICE_TC_DROP_NO_SOURCE);
	result(ok && r.action == TC_ACT_SHOT, "tc/no-v4-source-dropped");
	ok = tc_case_counted(t, in_buf, len, real6, &r,
			     SLUICE_TC_DROP_NO_SOURCE);
	result(ok && r.action == TC_ACT_SHOT, "tc/no-v6-source-dropped");

	tc_setup(t, "100.64.0.9", 32, "2001:db8:ffff::9", 128);
	ok = tc_case_counted(t, in_buf, len, real4, &r, SLUICE_TC_ENCAP_V4);
	low = ntohl(((struct iphdr *)(out_buf + 14))->saddr);
	result(ok && low == ntohl(inet_addr("100.64.0.9")),
	       "tc/exact-v4-source");
	ok = tc_case_counted(t, in_buf, len, real6, &r, SLUICE_TC_ENCAP_V6);
	low = ntohl(((struct ipv6hdr *)(out_buf + 14))->saddr.s6_addr32[3]);
	result(ok && low == 9, "tc/exact-v6-source");
}

int main(void)
{
	struct sluice_xdp *x;
	struct sluice_tc *t;
	cpu_set_t one;

	/* Per-CPU token buckets: stay on one CPU. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	ncpus = libbpf_num_possible_cpus();
	if (!getenv("SLUICE_BPF_VERBOSE"))
		libbpf_set_print(NULL);

	x = sluice_xdp__open_and_load();
	result(!!x, "xdp/load");
	t = sluice_tc__open_and_load();
	result(!!t, "tc/load");
	if (x) {
		xdp_setup(x);
		xdp_fixture_tests(x);
		xdp_truncation_tests(x);
		xdp_syn_rate_test(x);
		xdp_steer_test(x);
		xdp_mutation_tests(x);
		sluice_xdp__destroy(x);
	}
	if (t) {
		tc_tests(t);
		tc_mutation_tests(t);
		sluice_tc__destroy(t);
	}
	fastpath_tests();
	return failures ? 1 : 0;
}
