/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF test files share (test_bpf.c defines it): TAP-style result
 * lines, the packet buffers, and one run of each program with its checks.
 */
#ifndef SLUICE_TEST_HARNESS_H
#define SLUICE_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/sluice.h>
#include "pkt.h"
#include "tc.skel.h"
#include "xdp.skel.h"

#define BUF_SIZE 70000

/* The XDP tests' addresses (services set up by test_bpf.c's xdp_setup()) */
#define V4_VIP "10.0.0.10"
#define V6_VIP "2001:db8::10"
#define V4_MANY "10.0.0.20"
#define V4_ANY "10.0.0.30" /* a TCP service on port 0: every port */
#define V4_CLIENT "192.0.2.1"
#define V6_CLIENT "2001:db8:1::1"

/* A valid TCP packet to the VIP's service, with fields overridden */
#define TCP4(...)                                                      \
	{                                                              \
		.src = V4_CLIENT, .dst = V4_VIP, .proto = IPPROTO_TCP, \
		.sport = 40000, .dport = 80, .ack = 1, .payload = 100, \
		__VA_ARGS__                                            \
	}
#define TCP6(...)                                                            \
	{                                                                    \
		.v6 = 1, .src = V6_CLIENT, .dst = V6_VIP,                    \
		.proto = IPPROTO_TCP, .sport = 40000, .dport = 80, .ack = 1, \
		.payload = 100, __VA_ARGS__                                  \
	}

extern int failures, ncpus;
extern uint8_t in_buf[BUF_SIZE], out_buf[BUF_SIZE];

/* A per-CPU counter's entry @idx, summed over the CPUs. */
struct sluice_counter stat_get(int map_fd, uint32_t idx);
/* Entries 0..@n-1 of a counter map into @s. */
void stats_snapshot(int fd, int n, struct sluice_counter *s);

/* "ok bpf/NAME" or "not ok bpf/NAME" (counted in failures). */
void result(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A "#   " detail line. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One XDP run of @pkt: its verdict and the output's length (in out_buf). */
int run_xdp(struct sluice_xdp *x, const uint8_t *pkt, size_t len, int *action,
	    size_t *out_len);
/*
 * One XDP run of @pkt: verdict @want_action, the packet unchanged, and
 * exactly one counter, @want_stat, moved by one packet of @len bytes.
 * @quiet: no detail lines. Returns 1 if all held.
 */
int xdp_case(struct sluice_xdp *x, const uint8_t *pkt, size_t len,
	     int want_action, int want_stat, int quiet);

/* One tc run: its verdict, the mark after, the output's length. */
struct tc_out {
	int action;
	uint32_t mark;
	size_t len;
};

int run_tc(struct sluice_tc *t, const uint8_t *pkt, size_t len, uint32_t mark,
	   struct tc_out *r);
/* run_tc(), and exactly one counter, @want_stat, moved by the packet. */
int tc_case_counted(struct sluice_tc *t, const uint8_t *pkt, size_t len,
		    uint32_t mark, struct tc_out *r, int want_stat);
int check_encap(const uint8_t *in, size_t in_len, const struct tc_out *r,
		int outer6, int inner6, int df, int tos,
		uint32_t *outer_src_low);

/* An XDP service on @vip (test_bpf.c); 0 or an error. */
int add_service(struct sluice_xdp *x, const char *vip, uint8_t proto,
		uint16_t port);
/* The tc program's tunnel sources and reals 1 (IPv4) and 2 (IPv6). */
void tc_setup(struct sluice_tc *t, const char *src4, int plen4,
	      const char *src6, int plen6);

/* fastpath.c: the XDP fast path against the tc program (its own objects). */
void fastpath_tests(void);

/* mutate.c: mutated frames through both programs (set up by the caller). */
void xdp_mutation_tests(struct sluice_xdp *x);
void tc_mutation_tests(struct sluice_tc *t);

#endif
