// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the reader of sluiceadm -R (adm_restore_read): the
 * input is a rules file. Every line it accepts is a change a restore can
 * apply, numbered within the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "apply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct adm_restore_line *lines = NULL;
	size_t n = 0, i;
	FILE *in;
	int rc;

	if (!size)
		return 0;
	in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	/* Its messages go to stderr (tests/fuzz/run: -close_fd_mask=2). */
	rc = adm_restore_read(in, &lines, &n);
	fclose(in);
	if (rc) {
		if (lines || n)
			abort();
		return 0;
	}
	for (i = 0; i < n; i++)
		if (!adm_is_change(lines[i].c.cmd) || lines[i].no < 1 ||
		    (i && lines[i].no <= lines[i - 1].no))
			abort();
	free(lines);
	return 0;
}
