/* SPDX-License-Identifier: GPL-2.0 */
/* The calling thread's network namespace. */
#ifndef SLUICE_NETNS_H
#define SLUICE_NETNS_H

#include <stdint.h>

/*
 * The namespace's cookie (SO_NETNS_COOKIE): unique for the life of the
 * kernel, never reused, the same value the module reports in GET_INFO.
 * Returns 0 or a negative errno.
 */
int sluice_netns_cookie(uint64_t *cookie);

#endif
