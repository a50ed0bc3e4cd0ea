/* SPDX-License-Identifier: GPL-2.0 */
/* Behaviour of rr, wrr, sh, lc, wlc and the thresholds (sched_algo.c). */
#ifndef _SLUICE_SCHED_CHECKS_H
#define _SLUICE_SCHED_CHECKS_H

#include "checks.h"

/* They need no memory (mem is ignored). */
extern const struct sluice_check sluice_sched_checks[];
extern const unsigned int sluice_sched_nchecks;

#endif
