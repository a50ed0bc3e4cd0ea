// SPDX-License-Identifier: GPL-2.0
/*
 * Mutated frames through the XDP and tc programs (BPF_PROG_TEST_RUN), with
 * the services and reals test_bpf.c set up:
 * - sweeps: the IPv4 header length 0-15, the TCP data offset 0-15 (with
 *   and without room for it), 0-8 IPv6 extension headers, each with its
 *   one expected verdict and counter;
 * - random mutations of valid frames (bytes set to random and special
 *   values, bits flipped, nibbles of the version/length fields, cuts), the
 *   seed printed (SLUICE_BPF_SEED=N replays it): XDP only passes or drops,
 *   never changes a frame, and moves exactly one counter by one packet and
 *   its bytes; tc only passes or drops, moves exactly one counter, and a
 *   frame it encapsulates is well formed (outer header, checksum, lengths,
 *   the inner bytes as they were).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"

#define MUTATIONS 20000

static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void seed_rng(void)
{
	const char *s = getenv("SLUICE_BPF_SEED");
	uint64_t seed = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL);

	note("mutations: seed %llu (SLUICE_BPF_SEED=%llu replays them)",
	     (unsigned long long)seed, (unsigned long long)seed);
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
}

/*
 * Which counter moved, if exactly one did, by one packet of @bytes
 * (@bytes_alt too, for tc's encapsulated packets counted with their outer
 * header); NONE_MOVED if none did; -1 otherwise.
 */
#define NONE_MOVED (-2)
static int moved_one(int fd, int n, const struct sluice_counter *before,
		     size_t bytes, size_t bytes_alt)
{
	int i, which = -1;

	for (i = 0; i < n; i++) {
		struct sluice_counter now = stat_get(fd, i);
		uint64_t dp = now.packets - before[i].packets;
		uint64_t db = now.bytes - before[i].bytes;

		if (!dp && !db)
			continue;
		if (which >= 0 || dp != 1 || (db != bytes && db != bytes_alt))
			return -1;
		which = i;
	}
	return which == -1 ? NONE_MOVED : which;
}

/* 1-4 random changes to @p (@len bytes), mostly in the headers. */
static size_t mutate(uint8_t *p, size_t len)
{
	static const uint8_t special[] = { 0, 1, 0x7f, 0x80, 0xfe, 0xff };
	int k, n = 1 + next() % 4;

	for (k = 0; k < n; k++) {
		size_t span = len < 96 ? len : 96, at = next() % span;

		switch (next() % 6) {
		case 0:
			p[at] = next();
			break;
		case 1:
			p[at] = special[next() % sizeof(special)];
			break;
		case 2:
			p[at] ^= 1 << (next() % 8);
			break;
		case 3: /* version/IHL (IPv4 at 14, or after a VLAN tag) */
			at = next() % 2 ? 14 : 18;
			if (at < len)
				p[at] = (p[at] & 0xf0) | (next() % 16);
			break;
		case 4:
			if (at < len)
				p[at] = (next() % 16) << 4 | (p[at] & 0x0f);
			break;
		default: /* cut, never below an Ethernet header */
			len = ETH_HLEN + next() % (len - ETH_HLEN + 1);
			break;
		}
	}
	return len;
}

static void xdp_sweeps(struct sluice_xdp *x)
{
	struct pkt_spec s = TCP4(.payload = 40);
	size_t len, l3_end;
	int v, ok;

	for (v = 0; v < 16; v++) {
		len = pkt_build(&s, in_buf, sizeof(in_buf), &l3_end);
		in_buf[l3_end - 20] = 0x40 | v;
		ok = xdp_case(x, in_buf, len, v == 5 ? XDP_PASS : XDP_DROP,
			      v < 5  ? SLUICE_XDP_DROP_MALFORMED :
			      v == 5 ? SLUICE_XDP_PASS_VIP :
				       SLUICE_XDP_DROP_IP_OPTIONS,
			      0);
		result(ok, "xdp/sweep-ipv4-ihl-%d", v);
	}
	for (v = 0; v < 16; v++) {
		size_t room;

		for (room = 0; room <= 40; room += 40) {
			s.payload = room;
			len = pkt_build(&s, in_buf, sizeof(in_buf), &l3_end);
			in_buf[l3_end + 12] = v << 4;
			/* header within the packet: passed; else malformed */
			ok = v >= 5 && 20 + room >= (size_t)v * 4;
			ok = xdp_case(x, in_buf, len, ok ? XDP_PASS : XDP_DROP,
				      ok ? SLUICE_XDP_PASS_VIP :
					   SLUICE_XDP_DROP_MALFORMED,
				      0);
			result(ok, "xdp/sweep-tcp-doff-%d-%s", v,
			       room ? "with-room" : "no-room");
		}
	}
	for (v = 0; v <= 8; v++) {
		struct pkt_spec s6 = TCP6(.ext = v);

		len = pkt_build(&s6, in_buf, sizeof(in_buf), NULL);
		ok = xdp_case(x, in_buf, len, v <= 5 ? XDP_PASS : XDP_DROP,
			      v <= 5 ? SLUICE_XDP_PASS_VIP :
				       SLUICE_XDP_DROP_MALFORMED,
			      0);
		result(ok, "xdp/sweep-ipv6-ext-headers-%d", v);
	}
}

/* Valid frames the mutations start from. */
static const struct pkt_spec bases[] = {
	TCP4(.payload = 20),
	TCP4(.proto = IPPROTO_UDP, .dport = 53, .vlans = 1, .payload = 20),
	TCP4(.syn = 1, .ack = 0, .tcp_opts = 12, .payload = 0),
	TCP4(.proto = IPPROTO_ICMP, .icmp_type = 3, .payload = 28),
	TCP6(.ext = 2, .payload = 20),
	TCP6(.proto = IPPROTO_UDP, .dport = 53, .vlans = 2, .payload = 20),
	TCP6(.proto = IPPROTO_ICMPV6, .icmp_type = 2, .payload = 48),
};
#define NBASES (sizeof(bases) / sizeof(bases[0]))

void xdp_mutation_tests(struct sluice_xdp *x)
{
	int fd = bpf_map__fd(x->maps.sluice_xdp_stats), i, bad = 0, runs = 0;
	struct sluice_counter before[SLUICE_XDP_STATS_MAX];
	unsigned int seen[SLUICE_XDP_STATS_MAX] = { 0 };
	uint8_t *frame = in_buf;

	xdp_sweeps(x);
	seed_rng();
	for (i = 0; i < MUTATIONS && bad < 5; i++) {
		const struct pkt_spec *b = &bases[next() % NBASES];
		size_t len = pkt_build(b, frame, BUF_SIZE, NULL), out_len;
		int which, action;

		if (!len)
			abort(); /* a base that does not build */
		len = mutate(frame, len);
		stats_snapshot(fd, SLUICE_XDP_STATS_MAX, before);
		if (run_xdp(x, frame, len, &action, &out_len)) {
			note("mutation %d: test run failed", i);
			bad++;
			continue;
		}
		runs++;
		which = moved_one(fd, SLUICE_XDP_STATS_MAX, before, len, len);
		if ((action != XDP_PASS && action != XDP_DROP) || which < 0 ||
		    out_len != len || memcmp(out_buf, frame, len)) {
			note("mutation %d (%zu bytes): verdict %d, counter %d, %s",
			     i, len, action, which,
			     out_len != len || memcmp(out_buf, frame, len) ?
				     "frame changed" :
				     "frame unchanged");
			bad++;
			continue;
		}
		seen[which]++;
	}
	result(!bad && runs == MUTATIONS,
	       "xdp/mutated-frames-pass-or-drop-one-counter");
	note("%d mutated frames: %u passed to a VIP, %u passed as other, %u dropped as malformed",
	     runs, seen[SLUICE_XDP_PASS_VIP], seen[SLUICE_XDP_PASS_OTHER],
	     seen[SLUICE_XDP_DROP_MALFORMED]);
}

void tc_mutation_tests(struct sluice_tc *t)
{
	int fd = bpf_map__fd(t->maps.sluice_tc_stats), i, bad = 0, encap = 0,
	    refused = 0;
	struct sluice_counter before[SLUICE_TC_STATS_MAX];
	uint32_t low;

	for (i = 0; i < MUTATIONS && bad < 5; i++) {
		/* Unfragmented, untagged frames: what the module transmits */
		const struct pkt_spec *b = &bases[(next() % 2) * 4];
		size_t len = pkt_build(b, in_buf, sizeof(in_buf), NULL);
		/* Slot 1: an IPv4 real, 2: an IPv6 real (test_bpf.c) */
		int slot = 1 + next() % 2, which, ok = 1;
		struct tc_out r;

		if (!len)
			abort();
		len = mutate(in_buf, len);
		stats_snapshot(fd, SLUICE_TC_STATS_MAX, before);
		if (run_tc(t, in_buf, len, SLUICE_MARK_VALUE | slot, &r)) {
			/*
			 * The kernel's test run takes no skb whose network
			 * header it cannot pull (the stack never makes one):
			 * the program never saw it.
			 */
			if (errno == EINVAL &&
			    moved_one(fd, SLUICE_TC_STATS_MAX, before, 0, 0) ==
				    NONE_MOVED) {
				refused++;
				continue;
			}
			note("mutation %d (%zu bytes): test run failed: %s", i,
			     len, strerror(errno));
			bad++;
			continue;
		}
		which = moved_one(fd, SLUICE_TC_STATS_MAX, before, len, r.len);
		if (r.action == TC_ACT_OK) {
			uint16_t type = *(uint16_t *)(in_buf + 12);

			ok = which == (slot == 2 ? SLUICE_TC_ENCAP_V6 :
						   SLUICE_TC_ENCAP_V4) &&
			     check_encap(in_buf, len, &r, slot == 2,
					 type == htons(ETH_P_IPV6), -1, -1,
					 &low);
			encap++;
		} else if (r.action != TC_ACT_SHOT || which < 0) { /* or none */
			ok = 0;
		}
		if (!ok) {
			note("mutation %d (%zu bytes, slot %d): verdict %d, counter %d",
			     i, len, slot, r.action, which);
			bad++;
		}
	}
	result(!bad, "tc/mutated-frames-pass-or-drop-one-counter-well-formed");
	note("%d mutated frames, %d encapsulated, %d not taken by the kernel's test run",
	     i, encap, refused);
}
