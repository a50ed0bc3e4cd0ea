/* SPDX-License-Identifier: GPL-2.0 */
/* Growable arrays: one place for "double it when full". */
#ifndef SLUICE_GROW_H
#define SLUICE_GROW_H

#include <stddef.h>

/*
 * Make room for element @n in the array *@arrp (*@cap elements of @size
 * bytes allocated), doubling its size, from @first. Returns 0, or -ENOMEM
 * with the array untouched.
 */
int sluice_grow(void *arrp, size_t n, size_t *cap, size_t size, size_t first);

/* sluice_grow() for a typed array @arr (a pointer variable or member). */
#define SLUICE_GROW(arr, n, cap, first) \
	sluice_grow(&(arr), (n), &(cap), sizeof(*(arr)), (first))

#endif
