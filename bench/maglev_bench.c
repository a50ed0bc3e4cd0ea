// SPDX-License-Identifier: GPL-2.0
/*
 * Maglev table build time in userspace (the module's maglev.c as it is),
 * N = 10, 100, 1000 reals at M = 65537, median of 21 builds; and the
 * table's memory per service. Prints a Markdown table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maglev.h"
#include "mh_reals.h"

#define BUILDS 21

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	static const unsigned int ns[] = { 10, 100, 1000 };
	const unsigned int m = SLUICE_MH_SIZE_DEFAULT;
	struct sluice_mh_real *r = calloc(1000, sizeof(*r));
	void *scratch = malloc(sluice_mh_scratch_size(1000));
	uint16_t *table = malloc(m * sizeof(*table));
	double t[BUILDS];
	unsigned int k, b;

	if (!r || !scratch || !table)
		return 1;
	printf("| reals | M | build ms (median of %d) | table bytes |\n|---|---|---|---|\n",
	       BUILDS);
	for (k = 0; k < 3; k++) {
		for (b = 0; b < BUILDS; b++) {
			struct timespec t0, t1;

			mh_bench_reals(r, ns[k]);
			clock_gettime(CLOCK_MONOTONIC, &t0);
			if (sluice_mh_build(table, m, r, ns[k], 1, scratch))
				return 1;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			t[b] = (t1.tv_sec - t0.tv_sec) * 1e3 +
			       (t1.tv_nsec - t0.tv_nsec) / 1e6;
		}
		qsort(t, BUILDS, sizeof(t[0]), cmp);
		printf("| %u | %u | %.2f | %zu |\n", ns[k], m, t[BUILDS / 2],
		       m * sizeof(*table));
	}
	free(r);
	free(scratch);
	free(table);
	return 0;
}
