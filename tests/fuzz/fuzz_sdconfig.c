// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: sluiced's configuration reader (sd_config_load, the
 * code behind sluiced's start, its reloads and --check). The input is the
 * file. A refused file says why, with its place; an accepted one packs and
 * frees cleanly (sd_config_pack, as the daemon does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sd_config cfg;
	char path[64], err[512];
	int fd, rc;

	if (fuzz_has_word(data, size, "@include"))
		return 0;
	fd = memfd_create("sluiced.conf", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err[0] = '\0';
	rc = sd_config_load(path, &cfg, err, sizeof(err));
	close(fd);
	if (rc) {
		if (!err[0])
			abort();
		return 0;
	}
	sd_config_pack(&cfg);
	sd_config_free(&cfg);
	return 0;
}
