// SPDX-License-Identifier: GPL-2.0
/*
 * BPF data-plane benchmark: ns per packet through BPF_PROG_TEST_RUN with
 * repeat, for every XDP path and the tc encapsulation, each against a bare
 * program (XDP_DROP / TC_ACT_OK) on the same packet in the same run; the
 * XDP fast path against a bare XDP_TX (MAC swap, Katran's yardstick).
 * Prints a Markdown table.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <linux/sluice.h>
#include "bare.skel.h"
#include "dpmaps.h"
#include "pkt.h"
#include "tc.skel.h"
#include "xdp.skel.h"

#define RUNS 3
#define REPEAT 300000

static uint8_t buf[70000];

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Median ns per run of @prog on @pkt (with context @ctx if not NULL), or
 * -1. RUNS runs of REPEAT repeats; @single: SINGLE_RUNS runs of one
 * repeat each (the kernel times each run alone), for programs that change
 * the packet they are given: a test run reuses one skb (or XDP buffer)
 * across its repeats, and an encapsulation would grow it again each time.
 */
#define SINGLE_RUNS 20000
static double t_single[SINGLE_RUNS];

static double ns_per_packet(int prog, const void *pkt, size_t len, int single,
			    void *ctx, size_t ctx_size)
{
	int i, n = single ? SINGLE_RUNS : RUNS;
	double *t = t_single;

	for (i = 0; i < n; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt,
			    .data_size_in = len, .ctx_in = ctx,
			    .ctx_size_in = ctx ? ctx_size : 0,
			    .repeat = single ? 1 : REPEAT);
		if (bpf_prog_test_run_opts(prog, &o))
			return -1;
		t[i] = o.duration;
	}
	qsort(t, n, sizeof(t[0]), cmp);
	return t[n / 2];
}

/*
 * One table row. The program and the bare one are measured in turns
 * (ROUNDS each, median), so a noisy moment hits both alike.
 */
#define ROUNDS 5
static void row_ctx(const char *name, int prog, int bare,
		    const struct pkt_spec *s, int single, void *ctx,
		    size_t ctx_size)
{
	size_t len = pkt_build(s, buf, sizeof(buf), NULL);
	double ns[ROUNDS], base[ROUNDS];
	int i;

	for (i = 0; i < ROUNDS; i++) {
		ns[i] = ns_per_packet(prog, buf, len, single, ctx, ctx_size);
		base[i] = ns_per_packet(bare, buf, len, single, ctx, ctx_size);
	}
	qsort(ns, ROUNDS, sizeof(ns[0]), cmp);
	qsort(base, ROUNDS, sizeof(base[0]), cmp);
	printf("| %-34s | %6.1f | %6.1f | %5.2f |\n", name, ns[ROUNDS / 2],
	       base[ROUNDS / 2],
	       base[ROUNDS / 2] > 0 ? ns[ROUNDS / 2] / base[ROUNDS / 2] : 0);
}

/* An XDP row (repeated runs), or a tc one (single runs) with @mark. */
static void row(const char *name, int prog, int bare, const struct pkt_spec *s,
		int tc, uint32_t mark)
{
	struct __sk_buff ctx = { .mark = mark };

	row_ctx(name, prog, bare, s, tc, tc ? &ctx : NULL, sizeof(ctx));
}

static void vip(struct sluice_xdp *x, const char *addr, uint32_t syn_rate)
{
	struct sluice_dpm_vips vips = { bpf_map__fd(x->maps.sluice_vips4),
					bpf_map__fd(x->maps.sluice_vips6) };
	struct sluice_prefix p;
	char err[128];

	sluice_prefix_parse(addr, &p, err, sizeof(err));
	sluice_dpm_service_add(&vips, bpf_map__fd(x->maps.sluice_services), &p,
			       IPPROTO_TCP, 80);
	sluice_dpm_vip_syn(&vips, &p, syn_rate, 1);
}

/* The tc object, its maps the XDP object's (as the pinned maps are). */
static struct sluice_tc *tc_sharing_maps(struct sluice_xdp *x)
{
	struct sluice_tc *t = sluice_tc__open();
	struct bpf_map *m, *xm;

	if (!t)
		return NULL;
	bpf_object__for_each_map(m, t->obj) {
		xm = bpf_object__find_map_by_name(x->obj, bpf_map__name(m));
		if (xm && bpf_map__reuse_fd(m, bpf_map__fd(xm)))
			goto fail;
	}
	if (!sluice_tc__load(t))
		return t;
fail:
	sluice_tc__destroy(t);
	return NULL;
}

/*
 * The fast path: each flow's first packet through tc as the module marks
 * it (which records the flow), then its packets through XDP, encapsulated
 * and sent back out (XDP_TX), against a bare XDP_TX. The refresh is an
 * hour away: the rows time the hit alone.
 */
static void fast_path_rows(struct sluice_xdp *x, int tp, int bare_tx,
			   const struct pkt_spec *v4, const struct pkt_spec *v6)
{
	struct sluice_xdp_config cfg = { .flags = SLUICE_XDP_FASTPATH,
					 .fp_refresh_ms = 3600000 };
	struct __sk_buff skb = { .cb = { SLUICE_FP_CB_MAGIC, 1 } };
	struct xdp_md md = { .ingress_ifindex = 1 };
	const struct pkt_spec *s[2] = { v4, v6 };
	uint32_t zero = 0;
	size_t len;
	int i;

	bpf_map_update_elem(bpf_map__fd(x->maps.sluice_xdp_cfg), &zero, &cfg,
			    0);
	for (i = 0; i < 2; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &skb,
			    .ctx_size_in = sizeof(skb));

		len = pkt_build(s[i], buf, sizeof(buf), NULL);
		skb.mark = SLUICE_MARK_VALUE | (i + 1);
		o.data_in = buf;
		o.data_size_in = len;
		bpf_prog_test_run_opts(tp, &o);
		md.data_end = len;
		row_ctx(i ? "XDP fast path: IPv6 in IPv6, XDP_TX" :
			    "XDP fast path: IPv4 in IPv4, XDP_TX",
			bpf_program__fd(x->progs.sluice_xdp), bare_tx, s[i], 1,
			&md, sizeof(md));
	}
}

int main(void)
{
#define TCP4(...)                                                             \
	{                                                                     \
		.src = "192.0.2.1", .dst = "10.0.0.10", .proto = IPPROTO_TCP, \
		.sport = 40000, .dport = 80, .ack = 1, .payload = 18,         \
		__VA_ARGS__                                                   \
	}
	struct pkt_spec pass_vip = TCP4(), other = TCP4(.dst = "10.0.0.99"),
			unserved = TCP4(.dport = 81), frag = TCP4(.frag = 1),
			opts = TCP4(.ip_opts = 4),
			blocked = TCP4(.src = "198.51.100.1"),
			syn = TCP4(.dst = "10.0.0.11", .syn = 1, .ack = 0),
			icmp = TCP4(.proto = IPPROTO_ICMP, .icmp_type = 3),
			v6 = { .v6 = 1,
			       .src = "2001:db8:1::1",
			       .dst = "2001:db8::10",
			       .proto = IPPROTO_TCP,
			       .sport = 1,
			       .dport = 80,
			       .payload = 18 };
	struct sluice_tc_config cfg = { .src_v4_plen = 24, .src_v6_plen = 112 };
	struct sluice_real_ep ep = { .family = AF_INET,
				     .flags = SLUICE_REAL_EP_VALID,
				     .gen = 1,
				     .mtu = 1500 };
	struct sluice_lpm_v4 b4 = { .prefixlen = 24 };
	struct sluice_xdp_config xcfg = {};
	int cfg_fd;
	struct sluice_xdp *x = sluice_xdp__open_and_load();
	struct sluice_tc *t = x ? tc_sharing_maps(x) : NULL;
	struct bench_bare *bare = bench_bare__open_and_load();
	uint32_t zero = 0, idx = 1;
	cpu_set_t one;
	int xp, tp, bx, bt;

	if (!x || !t || !bare) {
		fprintf(stderr,
			"bpf_bench: cannot load the programs (root needed)\n");
		return 1;
	}
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	vip(x, "10.0.0.10", 0);
	vip(x, "10.0.0.11", 1);
	vip(x, "2001:db8::10", 0);
	inet_pton(AF_INET, "198.51.100.0", &b4.addr);
	bpf_map_update_elem(bpf_map__fd(x->maps.sluice_block_v4), &b4, &zero,
			    0);
	cfg_fd = bpf_map__fd(x->maps.sluice_xdp_cfg);
	inet_pton(AF_INET, "100.64.0.0", &cfg.src_v4);
	inet_pton(AF_INET6, "2001:db8:ffff::", cfg.src_v6);
	bpf_map_update_elem(bpf_map__fd(t->maps.sluice_tc_cfg), &zero, &cfg, 0);
	inet_pton(AF_INET, "172.16.0.5", ep.addr);
	bpf_map_update_elem(bpf_map__fd(t->maps.sluice_reals), &idx, &ep, 0);
	ep.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:5::5", ep.addr);
	idx = 2;
	bpf_map_update_elem(bpf_map__fd(t->maps.sluice_reals), &idx, &ep, 0);

	xp = bpf_program__fd(x->progs.sluice_xdp);
	tp = bpf_program__fd(t->progs.sluice_tc);
	bx = bpf_program__fd(bare->progs.bare_xdp_drop);
	bt = bpf_program__fd(bare->progs.bare_tc_ok);

	printf("| path | ns/packet | bare ns/packet | ratio |\n|---|---|---|---|\n");
	/* (bare: XDP_DROP, TC_ACT_OK; for the fast path a MAC-swap XDP_TX) */
	row("XDP pass: not a VIP", xp, bx, &other, 0, 0);
	row("XDP pass: served VIP port", xp, bx, &pass_vip, 0, 0);
	row("XDP pass: ICMP error to VIP", xp, bx, &icmp, 0, 0);
	row("XDP drop: no service", xp, bx, &unserved, 0, 0);
	row("XDP drop: fragment", xp, bx, &frag, 0, 0);
	row("XDP drop: IPv4 options", xp, bx, &opts, 0, 0);
	row("XDP drop: SYN over rate", xp, bx, &syn, 0, 0);
	/* With a blocklist, every VIP packet pays an LPM lookup. */
	xcfg.block_v4 = 1;
	bpf_map_update_elem(cfg_fd, &zero, &xcfg, 0);
	row("XDP drop: blocklist", xp, bx, &blocked, 0, 0);
	row("XDP pass: served, blocklist on", xp, bx, &pass_vip, 0, 0);
	row("XDP drop: no service, blocklist on", xp, bx, &unserved, 0, 0);
	row("tc pass: unmarked", tp, bt, &pass_vip, 1, 0);
	row("tc encap: IPv4 in IPv4", tp, bt, &pass_vip, 1,
	    SLUICE_MARK_VALUE | 1);
	row("tc encap: IPv6 in IPv6", tp, bt, &v6, 1, SLUICE_MARK_VALUE | 2);
	fast_path_rows(x, tp, bpf_program__fd(bare->progs.bare_xdp_tx),
		       &pass_vip, &v6);
	bench_bare__destroy(bare);
	sluice_tc__destroy(t);
	sluice_xdp__destroy(x);
	return 0;
}
