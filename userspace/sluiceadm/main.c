// SPDX-License-Identifier: GPL-2.0
/*
 * sluiceadm: administer the sluice load balancer with ipvsadm's commands
 * and output (parse.c, show.c), plus sluice's own: --json, --monitor, the
 * settings ipvsadm has no word for, and the BPF data plane (dataplane.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "apply.h"
#include "cmds.h"
#include "info.h"

int cmd_version(void)
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

/* libbpf's own messages only with SLUICE_DEBUG set: ours say what failed. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (!getenv("SLUICE_DEBUG") || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int run(const struct adm_cmd *c)
{
	struct sluice_nl nl;
	int err, rc;

	err = sluice_nl_open(&nl);
	if (err) {
		fprintf(stderr, "sluiceadm: %s\n",
			sluice_nl_strerror(&nl, err));
		return EXIT_FAILURE;
	}
	switch (c->cmd) {
	case ADM_LIST:
	case ADM_SAVE:
		rc = cmd_list(&nl, c);
		break;
	case ADM_RESTORE:
		rc = adm_restore(&nl, stdin);
		if (!rc)
			rc = dataplane_sync(&nl);
		break;
	default:
		err = adm_apply(&nl, c);
		if (err)
			fprintf(stderr, "sluiceadm: %s\n",
				sluice_nl_strerror(&nl, err));
		/* The XDP maps follow the services (when attached here). */
		rc = err ? EXIT_FAILURE : dataplane_sync(&nl);
	}
	sluice_nl_close(&nl);
	return rc;
}

int main(int argc, char **argv)
{
	struct adm_cmd c;
	char err[256];
	int i;

	libbpf_set_print(libbpf_print);
	for (i = 1; i < argc; i++)
		if (dataplane_option(argv[i]))
			return dataplane_main(argc, argv);
	if (adm_parse(argc, argv, &c, err, sizeof(err))) {
		fprintf(stderr, "sluiceadm: %s\n", err);
		return EXIT_USAGE;
	}
	switch (c.cmd) {
	case ADM_HELP:
		fputs(adm_usage, stdout);
		return EXIT_SUCCESS;
	case ADM_VERSION:
		return cmd_version();
	case ADM_MONITOR:
		return cmd_monitor(!!(c.options & ADM_HAS(ADM_O_JSON)),
				   !!(c.options & ADM_HAS(ADM_O_NUMERIC)));
	default:
		return run(&c);
	}
}
