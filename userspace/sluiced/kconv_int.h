/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keepalived.conf converter: what its parser (kconv_parse.c) and its mapper
 * (kconv.c) share.
 */
#ifndef SLUICED_KCONV_INT_H
#define SLUICED_KCONV_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* All of one conversion's memory, freed at once. */
struct kc_arena {
	struct kc_block *blocks;
};

void *kc_alloc(struct kc_arena *a, size_t size); /* zeroed; NULL: OOM */
char *kc_strndup(struct kc_arena *a, const char *s, size_t n);
char *kc_strdup(struct kc_arena *a, const char *s);
char *kc_printf(struct kc_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kc_arena_free(struct kc_arena *a);

/*
 * One statement of keepalived.conf: a keyword, its arguments on the same
 * line, and the statements of its block when it has one.
 */
struct kc_node {
	const char *name;
	const char **args;
	int nargs;
	const char *file;
	int line;
	int seq; /* its place in the input, includes followed */
	bool block;
	struct kc_node *child;
	struct kc_node *next;
};

/*
 * Parse @in (named @name) into a list of statements, following includes.
 * Returns 0, 2 on a syntax error or a negative errno (message on @err).
 */
int kc_parse(struct kc_arena *a, FILE *in, const char *name, FILE *err,
	     struct kc_node **out);

#endif
