/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the libFuzzer targets of files (sluiced.conf, keepalived.conf). */
#ifndef SLUICE_FUZZ_COMMON_H
#define SLUICE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

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

/*
 * sd_config_load() of @len bytes (a file of its own, in memory): 0 with
 * @cfg loaded, -1 with @err set (as sd_config_load), -2 if no file could
 * be made.
 */
static inline int fuzz_config_load(const void *conf, size_t len,
				   struct sd_config *cfg, char *err,
				   size_t errlen)
{
	int fd = memfd_create("sluiced.conf", MFD_CLOEXEC), rc = -2;
	char path[64];

	if (fd < 0)
		return -2;
	if (write(fd, conf, len) == (ssize_t)len) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		err[0] = '\0';
		rc = sd_config_load(path, cfg, err, errlen);
	}
	close(fd);
	return rc;
}

#endif
