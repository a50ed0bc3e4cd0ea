/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the libFuzzer targets of files (sluiced.conf, keepalived.conf). */
#ifndef SLUICE_FUZZ_COMMON_H
#define SLUICE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/*
 * Does @data hold @word (any case)? Inputs with an include directive are
 * skipped: an include names another file (/dev/zero, the fuzzer's own
 * fds), which would test the file system, not the parser; the unit tests
 * cover includes.
 */
static inline int fuzz_has_word(const uint8_t *data, size_t size,
				const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; i + n <= size; i++)
		if (!strncasecmp((const char *)data + i, word, n))
			return 1;
	return 0;
}

#endif
