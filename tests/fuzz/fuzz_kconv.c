// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the keepalived.conf converter (sd_kconv). The input is
 * keepalived's file. What it says of itself must hold: a file it cannot
 * parse (2) writes nothing; a file it carries (0 or 1) gives a sluiced.conf,
 * and one it carries whole (0) a sluiced.conf that sluiced accepts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

#include "fuzz_common.h"
#include "kconv.h"

/* Does sluiced take @conf (@len bytes) as its configuration? */
static int loads(const char *conf, size_t len)
{
	struct sd_config cfg;
	char path[64], err[512];
	int fd = memfd_create("sluiced.conf", MFD_CLOEXEC);

	if (fd < 0 || write(fd, conf, len) != (ssize_t)len)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (sd_config_load(path, &cfg, err, sizeof(err))) {
		fprintf(stderr, "converted file refused: %s\n%.*s\n", err,
			(int)len, conf);
		close(fd);
		return 0;
	}
	close(fd);
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
