// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the keepalived.conf converter (sd_kconv). The input is
 * keepalived's file. What it says of itself must hold: a file it cannot
 * parse (2) writes nothing; a file it carries (0 or 1) gives a sluiced.conf,
 * and one it carries whole (0) a sluiced.conf that sluiced accepts.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "kconv.h"

/* Does sluiced take @conf (@len bytes) as its configuration? */
static int loads(const char *conf, size_t len)
{
	struct sd_config cfg;
	char err[512];
	int rc = fuzz_config_load(conf, len, &cfg, err, sizeof(err));

	if (rc == -2)
		abort();
	if (rc) {
		fprintf(stderr, "converted file refused: %s\n%.*s\n", err,
			(int)len, conf);
		return 0;
	}
	sd_config_free(&cfg);
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *outbuf = NULL, *errbuf = NULL;
	size_t outlen = 0, errlen = 0;
	FILE *in, *out, *err;
	int rc;

	if (!size || fuzz_has_word(data, size, "include"))
		return 0;
	in = fmemopen((void *)data, size, "r");
	out = open_memstream(&outbuf, &outlen);
	err = open_memstream(&errbuf, &errlen);
	if (!in || !out || !err)
		abort();
	rc = sd_kconv(in, "/nonexistent/keepalived.conf", out, err);
	fclose(in);
	fclose(out);
	fclose(err);
	if (rc < -4095 || rc > 2)
		abort();
	if (rc == 2 && (outlen || !errlen))
		abort();
	if ((rc == 0 || rc == 1) && !outlen)
		abort();
	if (rc == 0 && !loads(outbuf, outlen))
		abort();
	free(outbuf);
	free(errbuf);
	return 0;
}
