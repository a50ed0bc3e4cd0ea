/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Properties of the Maglev tables, checked by the KUnit suite (in the
 * kernel) and by the userspace unit tests (the same code, maglev.c being
 * plain C): written once here, run in both places.
 */
#ifndef _SLUICE_MAGLEV_CHECKS_H
#define _SLUICE_MAGLEV_CHECKS_H

#include "checks.h"
#include "maglev.h"

#define MH_CHECK_REALS	5000

/* Memory a check may use, allocated by the caller. */
struct mh_check_mem {
	u16 *a, *b;			/* SLUICE_MH_SIZE_MAX slots each */
	struct sluice_mh_real *ra, *rb;	/* MH_CHECK_REALS each */
	void *scratch;			/* sluice_mh_scratch_size(MH_CHECK_REALS) */
	u32 *count;			/* MH_CHECK_REALS counters */
};

/* Each takes a struct mh_check_mem. */
extern const struct sluice_check sluice_mh_checks[];
extern const unsigned int sluice_mh_nchecks;

#endif
