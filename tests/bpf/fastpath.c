// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP fast path through BPF_PROG_TEST_RUN: both programs loaded with
 * their maps shared (as the pinned maps are), a flow's packet through tc
 * as the module marks it, then the same packet through XDP: the frame XDP
 * sends is byte for byte the one tc sent (IPv4 and IPv6 inside IPv4 and
 * IPv6, TCP and UDP); and every reason to miss: no entry, a stale
 * generation, an invalid slot, TCP flags, over the MTU, a VLAN tag, the
 * refresh (which carries the counts), the switch off.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <linux/pkt_cls.h>

#include "harness.h"

#define GEN 7
#define LO 1 /* ingress and egress: the loopback device */

static uint8_t tc_frame[BUF_SIZE];

struct fp {
	struct sluice_xdp *x;
	struct sluice_tc *t;
	int flows, stats, reals, xcfg;
};

/* The tc object's maps are the XDP object's (as pinning makes them). */
static int fp_load(struct fp *f)
{
	struct bpf_map *m;

	f->x = sluice_xdp__open_and_load();
	f->t = f->x ? sluice_tc__open() : NULL;
	if (!f->t)
		return -1;
	bpf_object__for_each_map(m, f->t->obj) {
		struct bpf_map *xm = bpf_object__find_map_by_name(
			f->x->obj, bpf_map__name(m));

		if (xm && bpf_map__reuse_fd(m, bpf_map__fd(xm)))
			return -1;
	}
	if (sluice_tc__load(f->t))
		return -1;
	f->flows = bpf_map__fd(f->x->maps.sluice_fp_flows);
	f->stats = bpf_map__fd(f->x->maps.sluice_fp_stats);
	f->reals = bpf_map__fd(f->x->maps.sluice_reals);
	f->xcfg = bpf_map__fd(f->x->maps.sluice_xdp_cfg);
	return 0;
}

static void fp_setup(struct fp *f, uint32_t xflags)
{
	struct sluice_xdp_config xc = { .flags = xflags };
	struct sluice_real_ep ep = { .flags = SLUICE_REAL_EP_VALID,
				     .gen = GEN,
				     .mtu = 1500 };
	uint32_t zero = 0, idx;

	tc_setup(f->t, "10.9.0.0", 24, "2001:db8:9::", 120);
	ep.family = AF_INET;
	inet_pton(AF_INET, "172.16.0.5", ep.addr);
	idx = 1;
	bpf_map_update_elem(f->reals, &idx, &ep, 0);
	memset(ep.addr, 0, sizeof(ep.addr));
	ep.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:5::5", ep.addr);
	idx = 2;
	bpf_map_update_elem(f->reals, &idx, &ep, 0);
	bpf_map_update_elem(f->xcfg, &zero, &xc, 0);
	add_service(f->x, V4_VIP, IPPROTO_TCP, 80);
	add_service(f->x, V4_VIP, IPPROTO_UDP, 53);
	add_service(f->x, V6_VIP, IPPROTO_TCP, 80);
	add_service(f->x, V6_VIP, IPPROTO_UDP, 53);
}

/* One XDP run with ingress on loopback: its verdict, output in out_buf. */
static int fp_xdp(struct fp *f, const uint8_t *pkt, size_t len, size_t *out_len)
{
	struct xdp_md ctx = { .data_end = len, .ingress_ifindex = LO };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = len,
		    .data_out = out_buf, .data_size_out = sizeof(out_buf),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = 1);

	if (bpf_prog_test_run_opts(bpf_program__fd(f->x->progs.sluice_xdp),
				   &o)) {
		note("XDP test run: %s", strerror(errno));
		return -1;
	}
	*out_len = o.data_size_out;
	return o.retval;
}

/* One tc run of a packet the module marked for @slot (fast path allowed). */
static int fp_tc(struct fp *f, const uint8_t *pkt, size_t len, uint32_t slot,
		 size_t *out_len)
{
	struct __sk_buff ctx = { .mark = SLUICE_MARK_VALUE | slot,
				 .cb = { SLUICE_FP_CB_MAGIC, GEN } };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = len,
		    .data_out = tc_frame, .data_size_out = sizeof(tc_frame),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = 1);

	if (bpf_prog_test_run_opts(bpf_program__fd(f->t->progs.sluice_tc),
				   &o)) {
		note("tc test run: %s", strerror(errno));
		return -1;
	}
	*out_len = o.data_size_out;
	return o.retval;
}

/* Did fast-path counter @stat move by exactly one packet? */
static int fp_moved(struct fp *f, uint32_t stat, struct sluice_counter *before)
{
	struct sluice_counter now = stat_get(f->stats, stat);
	int ok = now.packets == before->packets + 1;

	*before = now;
	return ok;
}

static int entry_of(struct fp *f, const struct pkt_spec *s,
		    struct sluice_fp_key *k, struct sluice_fp_flow *e)
{
	memset(k, 0, sizeof(*k));
	k->family = s->v6 ? AF_INET6 : AF_INET;
	k->proto = s->proto;
	inet_pton(s->v6 ? AF_INET6 : AF_INET, s->src, k->saddr);
	inet_pton(s->v6 ? AF_INET6 : AF_INET, s->dst, k->daddr);
	k->sport = htons(s->sport);
	k->dport = htons(s->dport);
	return bpf_map_lookup_elem(f->flows, k, e);
}

struct fp_case {
	const char *name;
	struct pkt_spec spec;
	uint32_t slot; /* 1: the IPv4 real, 2: the IPv6 one */
};

static const struct fp_case fp_cases[] = {
	{ "tcp4-in-ipv4", TCP4(.df = 1), 1 },
	{ "tcp4-in-ipv6", TCP4(.df = 1, .tos = 0xb8, .sport = 40001), 2 },
	{ "udp4-in-ipv4",
	  TCP4(.proto = IPPROTO_UDP, .dport = 53, .ack = 0, .df = 1,
	       .sport = 41000),
	  1 },
	{ "tcp6-in-ipv6", TCP6(.tos = 0x28), 2 },
	{ "udp6-in-ipv4",
	  TCP6(.proto = IPPROTO_UDP, .dport = 53, .ack = 0, .sport = 41000),
	  1 },
};

/* A flow through tc, then XDP: the same frame out of both. */
static void fp_same_frame(struct fp *f, const struct fp_case *c)
{
	size_t len = pkt_build(&c->spec, in_buf, sizeof(in_buf), NULL), tl, xl;
	struct sluice_counter miss = stat_get(f->stats,
					      SLUICE_FP_MISS_NO_ENTRY),
			      rec = stat_get(f->stats, SLUICE_FP_RECORDED);
	struct sluice_counter tx = stat_get(
		bpf_map__fd(f->x->maps.sluice_xdp_stats), SLUICE_XDP_FAST_TX);
	struct sluice_fp_flow e;
	struct sluice_fp_key k;
	int ok = 1, act;

	act = fp_xdp(f, in_buf, len, &xl);
	if (act != XDP_PASS || !fp_moved(f, SLUICE_FP_MISS_NO_ENTRY, &miss)) {
		note("before tc: verdict %d, want XDP_PASS and a miss", act);
		ok = 0;
	}
	act = fp_tc(f, in_buf, len, c->slot, &tl);
	if (act != TC_ACT_OK || !fp_moved(f, SLUICE_FP_RECORDED, &rec) ||
	    entry_of(f, &c->spec, &k, &e) || e.slot != c->slot ||
	    e.gen != GEN || e.ifindex != LO || memcmp(e.eth, in_buf, 12)) {
		note("tc: verdict %d, want TC_ACT_OK and the flow recorded",
		     act);
		ok = 0;
	}
	act = fp_xdp(f, in_buf, len, &xl);
	if (act != XDP_TX || xl != tl || memcmp(out_buf, tc_frame, tl)) {
		note("XDP: verdict %d, %zu bytes; want XDP_TX and tc's %zu bytes",
		     act, xl, tl);
		ok = 0;
	}
	tx.packets++;
	if (stat_get(bpf_map__fd(f->x->maps.sluice_xdp_stats),
		     SLUICE_XDP_FAST_TX)
			    .packets != tx.packets ||
	    entry_of(f, &c->spec, &k, &e) || e.packets != 1 ||
	    e.bytes != len - 14) {
		note("fast-tx or the flow's count did not move by one packet");
		ok = 0;
	}
	result(ok, "fastpath/same-frame-as-tc-%s", c->name);
}

/*
 * A short frame with Ethernet padding (as a NIC delivers it): XDP sends
 * the frame tc makes of the packet without it (the stack trims padding
 * before the module and tc see a packet).
 */
static void fp_padding(struct fp *f)
{
	struct pkt_spec s = TCP4(.proto = IPPROTO_UDP, .dport = 53, .ack = 0,
				 .df = 1, .sport = 43000, .payload = 2);
	size_t len = pkt_build(&s, in_buf, sizeof(in_buf), NULL), tl, xl;
	int act;

	fp_tc(f, in_buf, len, 1, &tl);
	memset(in_buf + len, 0, 60 - len);
	act = fp_xdp(f, in_buf, 60, &xl);
	result(len < 60 && act == XDP_TX && xl == tl &&
		       !memcmp(out_buf, tc_frame, tl),
	       "fastpath/ethernet-padding-left-out");
}

/*
 * @s's flow recorded, then @change applied to the state: XDP misses it
 * (@probe: a packet of the flow other than @s), passing it unchanged but
 * for metadata in front (the output's length is returned).
 */
static size_t fp_miss_case(struct fp *f, const char *name,
			   const struct pkt_spec *s, uint32_t stat,
			   void (*change)(struct fp *, struct sluice_fp_key *),
			   const struct pkt_spec *probe)
{
	size_t len = pkt_build(s, in_buf, sizeof(in_buf), NULL), l;
	struct sluice_counter before;
	struct sluice_fp_flow e;
	struct sluice_fp_key k;
	int act;

	fp_tc(f, in_buf, len, 1, &l);
	entry_of(f, s, &k, &e);
	if (change)
		change(f, &k);
	if (probe)
		len = pkt_build(probe, in_buf, sizeof(in_buf), NULL);
	before = stat_get(f->stats, stat);
	act = fp_xdp(f, in_buf, len, &l);
	result(act == XDP_PASS && fp_moved(f, stat, &before) && l >= len &&
		       !memcmp(out_buf + (l - len), in_buf, len),
	       "fastpath/miss-%s", name);
	return l - len;
}

static void set_real(struct fp *f, uint32_t gen, uint32_t mtu, uint32_t flags)
{
	struct sluice_real_ep ep;
	uint32_t idx = 1;

	bpf_map_lookup_elem(f->reals, &idx, &ep);
	ep.gen = gen;
	ep.mtu = mtu;
	ep.flags = flags;
	bpf_map_update_elem(f->reals, &idx, &ep, 0);
}

static void new_gen(struct fp *f, struct sluice_fp_key *k)
{
	(void)k;
	set_real(f, GEN + 1, 1500, SLUICE_REAL_EP_VALID);
}

static void slot_freed(struct fp *f, struct sluice_fp_key *k)
{
	(void)k;
	set_real(f, GEN, 1500, 0);
}

static void small_mtu(struct fp *f, struct sluice_fp_key *k)
{
	(void)k;
	set_real(f, GEN, 100, SLUICE_REAL_EP_VALID);
}

static void real_back(struct fp *f)
{
	set_real(f, GEN, 1500, SLUICE_REAL_EP_VALID);
}

/* The entry's refresh time is now: its counts leave with this packet. */
static void refresh_due(struct fp *f, struct sluice_fp_key *k)
{
	struct sluice_fp_flow e;

	bpf_map_lookup_elem(f->flows, k, &e);
	e.refresh -= 2000;
	e.packets = 3;
	e.bytes = 300;
	bpf_map_update_elem(f->flows, k, &e, BPF_EXIST);
}

static void fastpath_off(struct fp *f)
{
	struct sluice_xdp_config xc = {};
	uint32_t zero = 0;

	bpf_map_update_elem(f->xcfg, &zero, &xc, 0);
}

void fastpath_tests(void)
{
	struct pkt_spec udp = TCP4(.proto = IPPROTO_UDP, .dport = 53, .ack = 0,
				   .df = 1, .sport = 42000);
	struct pkt_spec syn = TCP4(.df = 1, .sport = 42001);
	struct pkt_spec syn_probe = TCP4(.df = 1, .sport = 42001, .syn = 1);
	struct pkt_spec vlan_probe = udp;
	struct sluice_counter miss;
	struct sluice_fp_meta meta;
	struct sluice_fp_flow e;
	struct sluice_fp_key k;
	struct fp f = {};
	size_t i, len, l;
	int act;

	if (fp_load(&f)) {
		result(0, "fastpath/load");
		goto out;
	}
	result(1, "fastpath/load");
	fp_setup(&f, SLUICE_XDP_FASTPATH);
	for (i = 0; i < sizeof(fp_cases) / sizeof(fp_cases[0]); i++)
		fp_same_frame(&f, &fp_cases[i]);
	fp_padding(&f);

	fp_miss_case(&f, "stale-generation", &udp, SLUICE_FP_MISS_STALE,
		     new_gen, NULL);
	real_back(&f);
	fp_miss_case(&f, "slot-freed", &udp, SLUICE_FP_MISS_STALE, slot_freed,
		     NULL);
	real_back(&f);
	fp_miss_case(&f, "over-the-mtu", &udp, SLUICE_FP_MISS_TOO_BIG,
		     small_mtu, NULL);
	real_back(&f);
	fp_miss_case(&f, "tcp-syn", &syn, SLUICE_FP_MISS_TCP_FLAGS, NULL,
		     &syn_probe);
	result(entry_of(&f, &syn, &k, &e), "fastpath/tcp-flags-end-the-entry");
	vlan_probe.vlans = 1;
	fp_miss_case(&f, "vlan-tag", &udp, SLUICE_FP_MISS_HEADERS, NULL,
		     &vlan_probe);
	l = fp_miss_case(&f, "refresh", &udp, SLUICE_FP_MISS_REFRESH,
			 refresh_due, NULL);
	/* The counts left with the refresh packet, in its metadata. */
	memcpy(&meta, out_buf, sizeof(meta));
	result(l == sizeof(meta) && meta.magic == SLUICE_FP_META_MAGIC &&
		       meta.packets == 3 && meta.bytes == 300 &&
		       !entry_of(&f, &udp, &k, &e) && e.packets == 0 &&
		       e.bytes == 0,
	       "fastpath/refresh-carries-the-counts");
	/* ... and the next packet is the fast path's again. */
	len = pkt_build(&udp, in_buf, sizeof(in_buf), NULL);
	act = fp_xdp(&f, in_buf, len, &l);
	result(act == XDP_TX, "fastpath/after-refresh-fast-again");
	/* A flow recorded on another interface: XDP_REDIRECT there. */
	entry_of(&f, &udp, &k, &e);
	e.ifindex = LO + 1000;
	bpf_map_update_elem(f.flows, &k, &e, BPF_EXIST);
	act = fp_xdp(&f, in_buf, len, &l);
	result(act == XDP_REDIRECT &&
		       stat_get(bpf_map__fd(f.x->maps.sluice_xdp_stats),
				SLUICE_XDP_FAST_REDIRECT)
				       .packets == 1,
	       "fastpath/other-interface-redirect");
	/* Off: tc records nothing, XDP passes everything, no counter moves. */
	miss = stat_get(f.stats, SLUICE_FP_MISS_NO_ENTRY);
	fastpath_off(&f);
	udp.sport++;
	len = pkt_build(&udp, in_buf, sizeof(in_buf), NULL);
	fp_tc(&f, in_buf, len, 1, &l);
	act = fp_xdp(&f, in_buf, len, &l);
	result(act == XDP_PASS && entry_of(&f, &udp, &k, &e) &&
		       stat_get(f.stats, SLUICE_FP_MISS_NO_ENTRY).packets ==
			       miss.packets,
	       "fastpath/switched-off");
out:
	sluice_tc__destroy(f.t);
	sluice_xdp__destroy(f.x);
}
