/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reals both Maglev benchmarks (kernel and userspace) build tables
 * from, so their figures compare: n IPv4 reals 10.0.x.y, weights 1 to 3.
 */
#ifndef _SLUICE_MH_REALS_H
#define _SLUICE_MH_REALS_H

#include "maglev.h"

static inline void mh_bench_reals(struct sluice_mh_real *r, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].key[0] = 2;
		r[i].key[1] = 10;
		r[i].key[3] = i >> 8;
		r[i].key[4] = i;
		r[i].weight = 1 + i % 3;
		r[i].id = i;
	}
}

#endif
