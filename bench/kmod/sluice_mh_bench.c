// SPDX-License-Identifier: GPL-2.0
/*
 * Maglev table build time inside the kernel: the module's maglev.c, N = 10,
 * 100 and 1000 reals at M = 65537, median of 21 builds each, printed as
 * "sluice_mh_bench: reals=N m=M ns=T" lines when loaded. make bench loads
 * it in a VM and puts the figures next to the userspace ones.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include "maglev.c"
#include "mh_reals.h"

#define BUILDS 21

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int __init mh_bench_init(void)
{
	static const u32 ns[] = { 10, 100, 1000 };
	const u32 m = SLUICE_MH_SIZE_DEFAULT;
	struct sluice_mh_real *r;
	u64 t[BUILDS], t0;
	void *scratch;
	u16 *table;
	int k, b, err = -ENOMEM;

	r = kcalloc(1000, sizeof(*r), GFP_KERNEL);
	scratch = vmalloc(sluice_mh_scratch_size(1000));
	table = vmalloc(m * sizeof(*table));
	if (!r || !scratch || !table)
		goto out;

	for (k = 0; k < ARRAY_SIZE(ns); k++) {
		for (b = 0; b < BUILDS; b++) {
			mh_bench_reals(r, ns[k]);
			t0 = ktime_get_ns();
			err = sluice_mh_build(table, m, r, ns[k], 1, scratch);
			t[b] = ktime_get_ns() - t0;
			if (err)
				goto out;
			cond_resched();
		}
		sort(t, BUILDS, sizeof(t[0]), cmp_u64, NULL);
		pr_info("reals=%u m=%u ns=%llu\n", ns[k], m, t[BUILDS / 2]);
	}
	err = 0;
out:
	vfree(table);
	vfree(scratch);
	kfree(r);
	return err;
}

static void __exit mh_bench_exit(void)
{
}

module_init(mh_bench_init);
module_exit(mh_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sluice: Maglev table build benchmark");
