/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maglev consistent hashing (Eisenbud et al., NSDI 2016), weighted.
 *
 * This file and maglev.c use no kernel-only API, so the same code builds
 * into the module and into userspace (tests, benchmarks, tools).
 *
 * Determinism: the table depends only on the set of reals (their keys and
 * weights), the table size and the seed, never on the order the reals were
 * added in (they are sorted by key first) nor on anything per boot. Every
 * LB node with the same configuration builds the same table.
 */
#ifndef _SLUICE_MAGLEV_H
#define _SLUICE_MAGLEV_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "ktypes.h"	/* userspace/lib: u8..u64, size_t, ARRAY_SIZE */
#endif

/* Table sizes allowed (primes only), as ip_vs_mh allows: SLUICE_MH_SIZE_*. */
#include <linux/sluice.h>
/* A table slot holds a real's position in the caller's array. */
#define SLUICE_MH_MAX_REALS	65535
#define SLUICE_MH_KEY_LEN	20

struct sluice_mh_real {
	/* What identifies the real on every node: family, address, port. */
	u8 key[SLUICE_MH_KEY_LEN];
	u32 weight;		/* 0: no slots */
	u16 id;			/* the caller's index, stored in the table */
};

/* Bytes of scratch memory sluice_mh_build() needs for @n reals. */
size_t sluice_mh_scratch_size(u32 n);

/* Is @m a prime in [SLUICE_MH_SIZE_MIN, SLUICE_MH_SIZE_MAX]? */
int sluice_mh_size_ok(u32 m);

/*
 * Fill @table (@m slots) from @reals (@n of them; sorted by key in
 * place). @scratch: sluice_mh_scratch_size(n) bytes. Returns 0, -EINVAL
 * for a bad size, too many reals or two reals with the same key, or
 * -ENOENT when no real has a weight (the table is then unusable).
 */
int sluice_mh_build(u16 *table, u32 m, struct sluice_mh_real *reals, u32 n,
		    u64 seed, void *scratch);

/* The hash used for the permutations, exposed for tests and tools. */
u64 sluice_mh_hash(const u8 *data, size_t len, u64 seed);

/* The slot for a flow's hash. */
static inline u16 sluice_mh_lookup(const u16 *table, u32 m, u64 flow_hash)
{
	return table[flow_hash % m];
}

#endif /* _SLUICE_MAGLEV_H */
