// SPDX-License-Identifier: GPL-2.0
/* Growable arrays (see grow.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

int sluice_grow(void *arrp, size_t n, size_t *cap, size_t size, size_t first)
{
	void *v, *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : first;
	memcpy(&v, arrp, sizeof(v)); /* any object pointer, as void * */
	nv = realloc(v, ncap * size);
	if (!nv)
		return -ENOMEM;
	memcpy(arrp, &nv, sizeof(nv));
	*cap = ncap;
	return 0;
}
