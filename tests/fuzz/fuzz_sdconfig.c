// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: sluiced's configuration reader (sd_config_load, the
 * code behind sluiced's start, its reloads and --check). The input is the
 * file. A refused file says why, with its place; an accepted one packs and
 * frees cleanly (sd_config_pack, as the daemon does).
 */
#include <stdlib.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sd_config cfg;
	char err[512];
	int rc;

	if (fuzz_has_word(data, size, "@include"))
		return 0;
	rc = fuzz_config_load(data, size, &cfg, err, sizeof(err));
	if (rc == -2)
		return 0;
	if (rc) {
		if (!err[0]) /* a refusal says why */
			abort();
		return 0;
	}
	sd_config_pack(&cfg);
	sd_config_free(&cfg);
	return 0;
}
