// SPDX-License-Identifier: GPL-2.0
/*
 * A configuration just read is thousands of small arrays (each VIP's
 * services, each service's reals and check indexes), allocated while
 * libconfig's tree was being freed: scattered among its holes, they would
 * keep most of those pages resident for as long as the configuration is in
 * force. sd_config_pack() moves them into one block (from mmap, at scale),
 * so that what reading the file used can be given back whole.
 */
#include <malloc.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* An array's room in the block: calloc(n ? n : 1)'s size, aligned. */
static size_t room(size_t n, size_t size)
{
	size_t a = alignof(max_align_t);

	return ((n ? n : 1) * size + a - 1) / a * a;
}

/* Move the array *@arrp of @n elements of @size to *@at (the next room). */
static void move(void *arrp, size_t n, size_t size, char **at)
{
	void *old;

	memcpy(&old, arrp, sizeof(old)); /* any object pointer, as void * */
	if (!old)
		return;
	memcpy(*at, old, n * size);
	free(old);
	memcpy(arrp, at, sizeof(*at));
	*at += room(n, size);
}

void sd_config_pack(struct sd_config *cfg)
{
	size_t i, j, k, total = 0;
	char *at;

	for (i = 0; i < cfg->nvips; i++) {
		const struct sd_vip *v = &cfg->vips[i];

		total += room(v->nsvcs, sizeof(*v->svcs));
		for (j = 0; j < v->nsvcs; j++) {
			const struct sd_service *s = &v->svcs[j];

			total += room(s->nchecks, sizeof(*s->checks)) +
				 room(s->nreals, sizeof(*s->reals));
			for (k = 0; k < s->nreals; k++)
				total += room(s->reals[k].nchecks,
					      sizeof(*s->reals[k].checks));
		}
	}
	/* What reading freed goes back first: the copy does not add to it. */
	malloc_trim(0);
	cfg->block = at = malloc(total ? total : 1);
	if (!at)
		return; /* left as it is: only less compact */
	for (i = 0; i < cfg->nvips; i++) {
		struct sd_vip *v = &cfg->vips[i];

		move(&v->svcs, v->nsvcs, sizeof(*v->svcs), &at);
		for (j = 0; j < v->nsvcs; j++) {
			struct sd_service *s = &v->svcs[j];

			move(&s->checks, s->nchecks, sizeof(*s->checks), &at);
			move(&s->reals, s->nreals, sizeof(*s->reals), &at);
			for (k = 0; k < s->nreals; k++)
				move(&s->reals[k].checks, s->reals[k].nchecks,
				     sizeof(*s->reals[k].checks), &at);
		}
	}
}
