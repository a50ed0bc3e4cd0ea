/* SPDX-License-Identifier: GPL-2.0 */
/* Definitions shared by the BPF programs (not by userspace: see sluice.h). */
#ifndef SLUICE_BPF_COMMON_H
#define SLUICE_BPF_COMMON_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <linux/sluice.h>

#define AF_INET 2
#define AF_INET6 10

/* Count one packet of @bytes under @stat in the per-CPU array @map. */
static __always_inline void count(void *map, __u32 stat, __u64 bytes)
{
	struct sluice_counter *c = bpf_map_lookup_elem(map, &stat);

	if (c) {
		c->packets++;
		c->bytes += bytes;
	}
}

/*
 * A 16-bit big-endian length as a number the verifier knows is below
 * 65536: older verifiers (6.1, 6.12) lose the bounds of a byte swap, and
 * the compiler would drop a plain mask as redundant.
 */
static __always_inline __u32 be16_len(__be16 v)
{
	__u32 x = bpf_ntohs(v);

	barrier_var(x);
	return x & 0xffff;
}

/* A cheap, well-mixed 32-bit hash step (murmur3's finaliser). */
static __always_inline __u32 mix32(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

#endif
