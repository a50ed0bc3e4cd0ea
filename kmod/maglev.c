// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted Maglev table population (see maglev.h). Plain C, no kernel-only
 * API: built into the module and into userspace tests and benchmarks.
 *
 * Each real gets a permutation of the slots from two hashes of its key
 * (offset and skip, as in the Maglev paper). Weights are honoured exactly:
 * real i is entitled to target_i slots, within one of m * w_i / W (the
 * targets add up to m), and the reals that still have room take turns
 * claiming the next free slot of their permutation. Every real ends with
 * exactly its target, so weights are proportional to within one slot, and
 * an equal-weight table is as even as Maglev's (max - min <= 1).
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "maglev.h"

#define MH_EMPTY	0xffff

struct mh_state {
	u32 pos;	/* current slot in the permutation */
	u32 skip;
	u32 target;	/* slots this real is entitled to */
	u32 claimed;
};

size_t sluice_mh_scratch_size(u32 n)
{
	return (size_t)n * (sizeof(struct mh_state) + sizeof(u32));
}

int sluice_mh_size_ok(u32 m)
{
	u32 d;

	if (m < SLUICE_MH_SIZE_MIN || m > SLUICE_MH_SIZE_MAX)
		return 0;
	if (!(m & 1))
		return 0;
	for (d = 3; d * d <= m; d += 2)
		if (m % d == 0)
			return 0;
	return 1;
}

/* FNV-1a over the bytes, seeded, then splitmix64's finaliser. */
u64 sluice_mh_hash(const u8 *data, size_t len, u64 seed)
{
	u64 h = 0xcbf29ce484222325ULL ^ seed;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= data[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

static int key_cmp(const struct sluice_mh_real *a, const struct sluice_mh_real *b)
{
	return memcmp(a->key, b->key, SLUICE_MH_KEY_LEN);
}

static void swap_reals(struct sluice_mh_real *a, struct sluice_mh_real *b)
{
	struct sluice_mh_real t = *a;

	*a = *b;
	*b = t;
}

static void sift_down(struct sluice_mh_real *r, u32 root, u32 n)
{
	u32 child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && key_cmp(&r[child], &r[child + 1]) < 0)
			child++;
		if (key_cmp(&r[root], &r[child]) >= 0)
			return;
		swap_reals(&r[root], &r[child]);
		root = child;
	}
}

/* Heapsort by key: O(n log n), in place, no allocation. */
static void sort_reals(struct sluice_mh_real *r, u32 n)
{
	u32 i;

	for (i = n / 2; i-- > 0;)
		sift_down(r, i, n);
	for (i = n; i-- > 1;) {
		swap_reals(&r[0], &r[i]);
		sift_down(r, 0, i);
	}
}

/*
 * Targets: floor(m * w / W) each, then one more slot for the first reals
 * (in key order) whose share had a fraction, until they add up to m.
 * Every target is within one slot of the exact share.
 */
static void set_targets(struct mh_state *st, const struct sluice_mh_real *r,
			u32 n, u32 m, u64 total)
{
	u64 given = 0, share;
	u32 i;

	for (i = 0; i < n; i++) {
		share = (u64)m * r[i].weight;
		st[i].target = share / total;
		st[i].claimed = share % total ? 1 : 0;	/* has a fraction */
		given += st[i].target;
	}
	for (i = 0; i < n; i++) {
		if (given < m && st[i].claimed) {
			st[i].target++;
			given++;
		}
		st[i].claimed = 0;
	}
}

int sluice_mh_build(u16 *table, u32 m, struct sluice_mh_real *reals, u32 n,
		    u64 seed, void *scratch)
{
	struct mh_state *st = scratch;
	u32 *active = (u32 *)(st + n);
	u32 i, j, keep, nactive, filled;
	u64 total = 0, h1, h2;

	if (!sluice_mh_size_ok(m) || n > SLUICE_MH_MAX_REALS)
		return -EINVAL;
	sort_reals(reals, n);
	for (i = 0; i < n; i++) {
		if (i && !key_cmp(&reals[i - 1], &reals[i]))
			return -EINVAL;
		total += reals[i].weight;
	}
	if (!total)
		return -ENOENT;

	for (i = 0; i < n; i++) {
		h1 = sluice_mh_hash(reals[i].key, SLUICE_MH_KEY_LEN, seed);
		h2 = sluice_mh_hash(reals[i].key, SLUICE_MH_KEY_LEN,
				    seed ^ 0x9e3779b97f4a7c15ULL);
		st[i].pos = h1 % m;
		st[i].skip = h2 % (m - 1) + 1;
	}
	set_targets(st, reals, n, m, total);

	for (i = 0; i < m; i++)
		table[i] = MH_EMPTY;
	nactive = 0;
	for (i = 0; i < n; i++)
		if (st[i].target)
			active[nactive++] = i;

	/*
	 * Rounds: each real with room left claims the next free slot of its
	 * permutation; the finished leave, the rest keep their order.
	 */
	for (filled = 0; filled < m; nactive = keep) {
		for (j = 0, keep = 0; j < nactive; j++) {
			struct mh_state *s = &st[active[j]];

			while (table[s->pos] != MH_EMPTY) {
				s->pos += s->skip;
				if (s->pos >= m)
					s->pos -= m;
			}
			table[s->pos] = reals[active[j]].id;
			filled++;
			if (++s->claimed < s->target)
				active[keep++] = active[j];
		}
	}
	return 0;
}
