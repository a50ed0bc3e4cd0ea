/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Property checks written once in plain C and run in two places: the KUnit
 * suites (kmod/tests/sluice_kunit.c) and the userspace unit tests.
 */
#ifndef _SLUICE_CHECKS_H
#define _SLUICE_CHECKS_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "ktypes.h"
#endif

/* A check returns 0, or non-zero with what went wrong in @msg. @mem is
 * whatever memory its suite's caller provides (NULL if it needs none).
 */
struct sluice_check {
	const char *name;
	int (*fn)(void *mem, char *msg, size_t len);
};

#endif
