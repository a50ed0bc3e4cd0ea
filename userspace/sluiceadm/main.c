// SPDX-License-Identifier: GPL-2.0
/*
 * sluiceadm: administer the sluice load balancer. The grammar and output
 * follow ipvsadm's; this first cut knows --version and --help, the
 * service and real commands arrive with the kernel's control plane.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "info.h"
#include "nl.h"

#define EXIT_USAGE 2

static const char usage_text[] =
	"Usage:\n"
	"  sluiceadm -v|--version   print the versions of sluiceadm and of the loaded module\n"
	"  sluiceadm -h|--help      this text\n";

static int cmd_version(void)
{
	struct sluice_info info;
	struct sluice_nl nl;
	int err;

	printf("sluiceadm v%s", SLUICE_VERSION);
	err = sluice_nl_open(&nl);
	if (!err) {
		err = sluice_get_info(&nl, &info);
		if (!err)
			printf(" (kernel module sluice v%s, built for %s)\n",
			       info.version, info.kernel);
	}
	if (err) {
		printf("\n");
		fprintf(stderr, "sluiceadm: %s\n",
			sluice_nl_strerror(&nl, err));
	}
	if (nl.sk)
		sluice_nl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, "vh", opts, NULL);
	switch (c) {
	case 'v':
		return cmd_version();
	case 'h':
		fputs(usage_text, stdout);
		return EXIT_SUCCESS;
	case -1:
		fprintf(stderr, "sluiceadm: no command given\n%s", usage_text);
		return EXIT_USAGE;
	default:
		fprintf(stderr, "sluiceadm: unknown option '%s'\n%s",
			argv[optind - 1], usage_text);
		return EXIT_USAGE;
	}
}
