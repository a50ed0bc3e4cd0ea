// SPDX-License-Identifier: GPL-2.0
/* Maglev properties (see maglev_checks.h). Plain C, kernel and userspace. */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdio.h>
#include <string.h>
#endif

#include "maglev_checks.h"

#define M_DEFAULT SLUICE_MH_SIZE_DEFAULT
#define SEED 0x5eedULL

/* Real i: an IPv4 address 10.x.y.z, port 80, distinct for every i. */
static void make_real(struct sluice_mh_real *r, u32 i, u32 weight)
{
	memset(r, 0, sizeof(*r));
	r->key[0] = 2; /* AF_INET */
	r->key[1] = 10;
	r->key[2] = (i >> 16) & 0xff;
	r->key[3] = (i >> 8) & 0xff;
	r->key[4] = i & 0xff;
	r->key[17] = 0;
	r->key[18] = 80;
	r->weight = weight;
	r->id = i;
}

static void make_reals(struct sluice_mh_real *r, u32 n, u32 weight)
{
	u32 i;

	for (i = 0; i < n; i++)
		make_real(&r[i], i, weight);
}

/* Deterministic shuffle (xorshift32, Fisher-Yates). */
static void shuffle(struct sluice_mh_real *r, u32 n, u32 seed)
{
	struct sluice_mh_real t;
	u32 i, j, x = seed | 1;

	for (i = n; i > 1; i--) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		j = x % i;
		t = r[i - 1];
		r[i - 1] = r[j];
		r[j] = t;
	}
}

static int build(struct mh_check_mem *mem, u16 *table, u32 m,
		 struct sluice_mh_real *r, u32 n, char *msg, size_t len)
{
	int ret = sluice_mh_build(table, m, r, n, SEED, mem->scratch);

	if (ret)
		snprintf(msg, len, "%u reals into %u slots failed: %d", n, m, ret);
	return ret;
}

/* Slots per id into mem->count; fails on a slot holding no valid id. */
static int tally(struct mh_check_mem *mem, const u16 *table, u32 m, u32 n,
		 char *msg, size_t len)
{
	u32 i;

	memset(mem->count, 0, n * sizeof(*mem->count));
	for (i = 0; i < m; i++) {
		if (table[i] >= n) {
			snprintf(msg, len, "slot %u holds %u, not a real", i, table[i]);
			return -EINVAL;
		}
		mem->count[table[i]]++;
	}
	return 0;
}

static int every_slot_filled(void *m, char *msg, size_t len)
{
	struct mh_check_mem *mem = m;
	static const u32 sizes[] = { 251, 65537, 131071 };
	static const u32 reals[] = { 1, 7, 250, 1000 };
	u32 s, n;

	for (s = 0; s < 3; s++) {
		for (n = 0; n < 4; n++) {
			if (reals[n] > sizes[s])
				continue;
			make_reals(mem->ra, reals[n], 1);
			if (build(mem, mem->a, sizes[s], mem->ra, reals[n], msg, len) ||
			    tally(mem, mem->a, sizes[s], reals[n], msg, len))
				return -EINVAL;
		}
	}
	return 0;
}

static int uniform_100_reals(void *m, char *msg, size_t len)
{
	struct mh_check_mem *mem = m;
	u32 i, lo = ~0U, hi = 0;

	make_reals(mem->ra, 100, 1);
	if (build(mem, mem->a, M_DEFAULT, mem->ra, 100, msg, len) ||
	    tally(mem, mem->a, M_DEFAULT, 100, msg, len))
		return -EINVAL;
	for (i = 0; i < 100; i++) {
		lo = mem->count[i] < lo ? mem->count[i] : lo;
		hi = mem->count[i] > hi ? mem->count[i] : hi;
	}
	/* max / min <= 1.01 */
	if (hi * 100 > lo * 101) {
		snprintf(msg, len, "slots per real from %u to %u", lo, hi);
		return -EINVAL;
	}
	return 0;
}

static int weights_proportional(void *m, char *msg, size_t len)
{
	struct mh_check_mem *mem = m;
	u32 i, total = 0;

	/* Weights 1..20 and one of 65535 (IPVS's maximum) */
	for (i = 0; i < 20; i++) {
		make_real(&mem->ra[i], i, i + 1);
		total += i + 1;
	}
	if (build(mem, mem->a, M_DEFAULT, mem->ra, 20, msg, len) ||
	    tally(mem, mem->a, M_DEFAULT, 20, msg, len))
		return -EINVAL;
	for (i = 0; i < 20; i++) {
		/* want = M * w / total, within 1% (and one slot of rounding) */
		u64 want100 = (u64)M_DEFAULT * (i + 1) * 100 / total;
		u64 got100 = (u64)mem->count[i] * 100;
		u64 diff = got100 > want100 ? got100 - want100 : want100 - got100;

		if (diff > want100 / 100 + 100) {
			snprintf(msg, len, "weight %u got %u slots, want %llu", i + 1,
				 mem->count[i], (unsigned long long)(want100 / 100));
			return -EINVAL;
		}
	}
	/* Twice the weight, twice the slots: 2:1 within 1%. */
	make_real(&mem->ra[0], 0, 65535);
	make_real(&mem->ra[1], 1, 32767);
	make_real(&mem->ra[2], 2, 0);
	if (build(mem, mem->a, M_DEFAULT, mem->ra, 3, msg, len) ||
	    tally(mem, mem->a, M_DEFAULT, 3, msg, len))
		return -EINVAL;
	if (mem->count[2] || mem->count[0] * 100 > mem->count[1] * 202 ||
	    mem->count[0] * 100 < mem->count[1] * 198) {
		snprintf(msg, len, "weights 65535:32767:0 got %u:%u:%u slots",
			 mem->count[0], mem->count[1], mem->count[2]);
		return -EINVAL;
	}
	return 0;
}

/* All 24 orders of 4 reals give one table. */
static int insertion_order_4(void *m, char *msg, size_t len)
{
	struct mh_check_mem *mem = m;
	static const u8 w[4] = { 1, 2, 3, 5 };
	u32 p, i, j, used, pick, perm[4];

	for (i = 0; i < 4; i++)
		make_real(&mem->ra[i], i, w[i]);
	if (build(mem, mem->a, M_DEFAULT, mem->ra, 4, msg, len))
		return -EINVAL;
	for (p = 0; p < 24; p++) {
		/* p-th permutation (factorial number system) */
		used = 0;
		for (i = 0, j = p; i < 4; i++) {
			u32 fact = i == 0 ? 6 : i == 1 ? 2 : 1;
			u32 k = i == 3 ? 0 : j / fact;

			j = i == 3 ? 0 : j % fact;
			for (pick = 0;; pick++) {
				if (used & (1U << pick))
					continue;
				if (!k--)
					break;
			}
			used |= 1U << pick;
			perm[i] = pick;
		}
		for (i = 0; i < 4; i++)
			make_real(&mem->rb[i], perm[i], w[perm[i]]);
		if (build(mem, mem->b, M_DEFAULT, mem->rb, 4, msg, len))
			return -EINVAL;
		if (memcmp(mem->a, mem->b, M_DEFAULT * sizeof(u16))) {
			snprintf(msg, len, "order %u%u%u%u gives another table",
				 perm[0], perm[1], perm[2], perm[3]);
			return -EINVAL;
		}
	}
	return 0;
}

static int insertion_order_1000(void *m, char *msg, size_t len)
{
	struct mh_check_mem *mem = m;
	u32 round;

	make_reals(mem->ra, 1000, 1);
	if (build(mem, mem->a, M_DEFAULT, mem->ra, 1000, msg, len))
		return -EINVAL;
	for (round = 1; round <= 3; round++) {
		make_reals(mem->rb, 1000, 1);
		shuffle(mem->rb, 1000, round * 7919);
		if (build(mem, mem->b, M_DEFAULT, mem->rb, 1000, msg, len))
			return -EINVAL;
		if (memcmp(mem->a, mem->b, M_DEFAULT * sizeof(u16))) {
			snprintf(msg, len, "shuffle %u gives another table", round);
			return -EINVAL;
		}
	}
	return 0;
}

/* Removing 1 of N moves its slots and at most 1% of the others'. */
static int removal_disruption(void *m, char *msg, size_t len)
{
	struct mh_check_mem *mem = m;
	static const u32 ns[] = { 10, 100, 1000 };
	u32 t, i, n, gone, moved, others;

	for (t = 0; t < 3; t++) {
		n = ns[t];
		gone = n / 3;
		make_reals(mem->ra, n, 1);
		make_reals(mem->rb, n, 1);
		/* drop real "gone"; ids stay the reals' numbers */
		memmove(&mem->rb[gone], &mem->rb[gone + 1],
			(n - gone - 1) * sizeof(mem->rb[0]));
		if (build(mem, mem->a, M_DEFAULT, mem->ra, n, msg, len) ||
		    build(mem, mem->b, M_DEFAULT, mem->rb, n - 1, msg, len))
			return -EINVAL;
		moved = 0;
		others = 0;
		for (i = 0; i < M_DEFAULT; i++) {
			if (mem->a[i] == gone) {
				if (mem->b[i] == gone) {
					snprintf(msg, len, "slot %u still on the removed real", i);
					return -EINVAL;
				}
				continue;
			}
			others++;
			moved += mem->a[i] != mem->b[i];
		}
		if (moved * 100 > others) {
			snprintf(msg, len, "N=%u: %u of %u other slots moved", n, moved, others);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * 5,000 reals in the largest table (#17): every slot on a real, each real
 * floor(M/N) or ceil(M/N) slots; then 10 of them removed one after
 * another, in a shuffled order: no slot stays on a removed real, and each
 * removal moves at most 1 % of the other reals' slots (measured: 0.13 to
 * 0.17 %).
 */
static int many_reals(void *m, char *msg, size_t len)
{
	struct mh_check_mem *mem = m;
	const u32 n = MH_CHECK_REALS, size = SLUICE_MH_SIZE_MAX;
	u32 i, k, lo = ~0U, hi = 0, moved, others, left = n;
	u16 *cur = mem->a, *next = mem->b, *t;

	make_reals(mem->ra, n, 1);
	if (build(mem, cur, size, mem->ra, n, msg, len) ||
	    tally(mem, cur, size, n, msg, len))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		lo = mem->count[i] < lo ? mem->count[i] : lo;
		hi = mem->count[i] > hi ? mem->count[i] : hi;
	}
	if (lo < size / n || hi > size / n + 1) {
		snprintf(msg, len, "slots per real from %u to %u, want %u or %u", lo, hi,
			 size / n, size / n + 1);
		return -EINVAL;
	}
	/* mem->rb: the reals left, in a shuffled order; remove from its end. */
	make_reals(mem->rb, n, 1);
	shuffle(mem->rb, n, 4242);
	for (k = 0; k < 10; k++) {
		u32 id = mem->rb[--left].id;

		if (build(mem, next, size, mem->rb, left, msg, len))
			return -EINVAL;
		moved = 0;
		others = 0;
		for (i = 0; i < size; i++) {
			if (next[i] == id) {
				snprintf(msg, len, "removal %u: slot %u still on real %u", k, i,
					 id);
				return -EINVAL;
			}
			if (cur[i] == id)
				continue;
			others++;
			moved += cur[i] != next[i];
		}
		if (moved * 100 > others) {
			snprintf(msg, len, "removal %u: %u of %u other slots moved", k, moved,
				 others);
			return -EINVAL;
		}
		t = cur, cur = next, next = t;
	}
	return 0;
}

static int seed_matters(void *m, char *msg, size_t len)
{
	struct mh_check_mem *mem = m;
	u32 i, same = 0;

	make_reals(mem->ra, 100, 1);
	make_reals(mem->rb, 100, 1);
	if (sluice_mh_build(mem->a, M_DEFAULT, mem->ra, 100, 1, mem->scratch) ||
	    sluice_mh_build(mem->b, M_DEFAULT, mem->rb, 100, 2, mem->scratch)) {
		snprintf(msg, len, "build failed");
		return -EINVAL;
	}
	for (i = 0; i < M_DEFAULT; i++)
		same += mem->a[i] == mem->b[i];
	/* Unrelated tables agree on about 1 slot in 100. */
	if (same * 20 > M_DEFAULT) {
		snprintf(msg, len, "seeds 1 and 2 agree on %u slots", same);
		return -EINVAL;
	}
	return 0;
}

static int bad_input(void *m, char *msg, size_t len)
{
	struct mh_check_mem *mem = m;
	static const u32 bad_sizes[] = { 0, 249, 250, 255, 65536, 131073, 262147 };
	u32 i;
	int ret;

	make_reals(mem->ra, 4, 1);
	for (i = 0; i < 7; i++) {
		ret = sluice_mh_build(mem->a, bad_sizes[i], mem->ra, 4, SEED, mem->scratch);
		if (ret != -EINVAL) {
			snprintf(msg, len, "size %u: %d, want -EINVAL", bad_sizes[i], ret);
			return -EINVAL;
		}
	}
	if (!sluice_mh_size_ok(251) || !sluice_mh_size_ok(131071) ||
	    !sluice_mh_size_ok(65537) || sluice_mh_size_ok(65535)) {
		snprintf(msg, len, "sluice_mh_size_ok is wrong at the bounds");
		return -EINVAL;
	}
	make_reals(mem->ra, 4, 1);
	mem->ra[3] = mem->ra[1];
	ret = sluice_mh_build(mem->a, 251, mem->ra, 4, SEED, mem->scratch);
	if (ret != -EINVAL) {
		snprintf(msg, len, "duplicate real: %d, want -EINVAL", ret);
		return -EINVAL;
	}
	make_reals(mem->ra, 4, 0);
	ret = sluice_mh_build(mem->a, 251, mem->ra, 4, SEED, mem->scratch);
	if (ret != -ENOENT) {
		snprintf(msg, len, "all weights 0: %d, want -ENOENT", ret);
		return -EINVAL;
	}
	ret = sluice_mh_build(mem->a, 251, mem->ra, 0, SEED, mem->scratch);
	if (ret != -ENOENT) {
		snprintf(msg, len, "no reals: %d, want -ENOENT", ret);
		return -EINVAL;
	}
	return 0;
}

const struct sluice_check sluice_mh_checks[] = {
	{ "every-slot-filled", every_slot_filled },
	{ "uniform-100-reals", uniform_100_reals },
	{ "weights-proportional", weights_proportional },
	{ "insertion-order-4-reals-24-orders", insertion_order_4 },
	{ "insertion-order-1000-reals-shuffled", insertion_order_1000 },
	{ "removal-moves-1-percent-at-most", removal_disruption },
	{ "5000-reals-largest-table-shuffled-removals", many_reals },
	{ "seed-changes-table", seed_matters },
	{ "bad-input-rejected", bad_input },
};

const unsigned int sluice_mh_nchecks = ARRAY_SIZE(sluice_mh_checks);
