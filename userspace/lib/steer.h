/* SPDX-License-Identifier: GPL-2.0 */
/* Steering VIP traffic over CPUs from the XDP program (cpumap). */
#ifndef SLUICE_STEER_H
#define SLUICE_STEER_H

#include <stddef.h>

/*
 * Parse a CPU list as the kernel writes them ("0-3,6"): ascending, no
 * duplicates, each CPU below @max. Fills @cpus (room for @max) and @n.
 * Returns 0 or -EINVAL with a message naming the problem in @err.
 */
int sluice_cpulist_parse(const char *s, unsigned int *cpus, unsigned int max,
			 unsigned int *n, char *err, size_t errlen);

/*
 * Spread VIP traffic over @cpus by flow hash (@n = 0: stop). The CPU
 * entries are in place before the XDP program is told to use them, and it
 * stops using them before they go. Returns 0 or a negative errno with a
 * message in @err.
 */
int sluice_steer_set(const unsigned int *cpus, unsigned int n, char *err,
		     size_t errlen);

#endif
