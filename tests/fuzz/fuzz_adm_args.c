// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: sluiceadm's command line (adm_parse). The input is the
 * argument list, one argument per line (so arguments may hold spaces and
 * any other byte but a newline); at most 64 arguments.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[MAX_ARGS + 2], err[256], *p, *nl;
	struct adm_cmd c;
	int argc = 1;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "sluiceadm";
	for (p = buf; argc <= MAX_ARGS && *p; p = nl + 1) {
		argv[argc++] = p;
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
	}
	argv[argc] = NULL;
	memset(&c, 0xa5, sizeof(c)); /* adm_parse must set what it reports */
	err[0] = '\0';
	if (adm_parse(argc, argv, &c, err, sizeof(err))) {
		/* A refusal says why. */
		if (!err[0])
			abort();
	} else if (c.cmd <= ADM_NONE || c.cmd >= ADM_NCMDS) {
		abort();
	}
	free(buf);
	return 0;
}
