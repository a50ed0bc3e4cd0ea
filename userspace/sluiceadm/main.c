// SPDX-License-Identifier: GPL-2.0
/*
 * sluiceadm: administer the sluice load balancer. The grammar and output
 * follow ipvsadm's; this cut knows --version, --help and the BPF data
 * plane commands. Service and real commands arrive with the kernel's
 * control plane.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "cmds.h"
#include "info.h"
#include "ipvs.h"
#include "nl.h"

static const char usage_text[] =
	"Usage:\n"
	"  sluiceadm -v|--version        versions of sluiceadm and of the loaded module\n"
	"  sluiceadm --attach IFACE [--xdp-mode native|generic|auto]\n"
	"                                attach the XDP and tc programs to IFACE\n"
	"  sluiceadm --detach IFACE      detach them\n"
	"  sluiceadm --dataplane-stats   XDP and tc counters (packets, bytes)\n"
	"  sluiceadm --block PREFIX      drop traffic to VIPs from PREFIX (IPv4 or IPv6)\n"
	"  sluiceadm --unblock PREFIX    remove PREFIX from the blocklist\n"
	"  sluiceadm --blocklist         list blocked prefixes\n"
	"  sluiceadm --steer CPUS|off    spread VIP traffic over CPUS (e.g. 0-3,6) by flow\n"
	"  sluiceadm -A|-E -t|-u|-f SERVICE [-s SCHED] [-p [TIMEOUT]] [-M NETMASK]\n"
	"            [-b mh-fallback|mh-port] [--mh-size PRIME]\n"
	"                                add or edit a service (default scheduler: mh)\n"
	"  sluiceadm -D -t|-u|-f SERVICE delete a service\n"
	"  sluiceadm -C                  delete every service\n"
	"  sluiceadm -a|-e -t|-u|-f SERVICE -r SERVER[:PORT] [-i] [-w WEIGHT] [-x UTHRESH] [-y LTHRESH]\n"
	"                                add or edit a real server (IP-in-IP)\n"
	"  sluiceadm -d -t|-u|-f SERVICE -r SERVER[:PORT]\n"
	"                                delete a real server\n"
	"  sluiceadm -L|-l [-n] [--stats|--rate] [-t|-u|-f SERVICE]\n"
	"  sluiceadm -L -n -c            list the connection table\n"
	"                                list services and real servers\n"
	"  sluiceadm -Z [-t|-u|-f SERVICE]\n"
	"                                zero counters\n"
	"  sluiceadm --set TCP TCPFIN UDP connection timeouts in seconds (0: unchanged)\n"
	"  sluiceadm --tunnel-source PREFIX\n"
	"                                outer source of encapsulated packets (IPv4 or IPv6)\n"
	"  sluiceadm --mh-seed N         Maglev seed (the same on every LB node)\n"
	"  sluiceadm --conn-max N        connection table limit\n"
	"  sluiceadm --expire-nodest 0|1 1: a deleted real's connections move to another\n"
	"  SERVICE: ADDRESS:PORT, [IPV6]:PORT, or a firewall mark (-f, with -6 for IPv6)\n"
	"  sluiceadm -h|--help           this text\n";

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

enum {
	OPT_ATTACH = 256,
	OPT_DETACH,
	OPT_XDP_MODE,
	OPT_DP_STATS,
	OPT_BLOCK,
	OPT_UNBLOCK,
	OPT_BLOCKLIST,
	OPT_STEER
};

int main(int argc, char **argv)
{
	static const struct option own[] = {
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "attach", required_argument, NULL, OPT_ATTACH },
		{ "detach", required_argument, NULL, OPT_DETACH },
		{ "xdp-mode", required_argument, NULL, OPT_XDP_MODE },
		{ "dataplane-stats", no_argument, NULL, OPT_DP_STATS },
		{ "block", required_argument, NULL, OPT_BLOCK },
		{ "unblock", required_argument, NULL, OPT_UNBLOCK },
		{ "blocklist", no_argument, NULL, OPT_BLOCKLIST },
		{ "steer", required_argument, NULL, OPT_STEER },
	};
	struct option opts[sizeof(own) / sizeof(own[0]) + 64] = { 0 };
	const char *arg = NULL, *mode = NULL;
	int c, cmd = 0;

	/* Ours, then ipvsadm's (the zeroed tail ends the array). */
	memcpy(opts, own, sizeof(own));
	memcpy(opts + sizeof(own) / sizeof(own[0]), ipvs_long_opts,
	       ipvs_n_long_opts * sizeof(ipvs_long_opts[0]));
	libbpf_set_print(libbpf_print);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh" IPVS_SHORT_OPTS, opts,
				NULL)) != -1) {
		if (ipvs_is_option(c)) {
			const char *arg = optarg;

			/* ipvsadm's "-p 360": an optional argument as the next word. */
			if (c == 'p' && !arg && optind < argc &&
			    argv[optind][0] >= '0' && argv[optind][0] <= '9')
				arg = argv[optind++];
			if (ipvs_option(c, arg))
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case OPT_XDP_MODE:
			mode = optarg;
			continue;
		case '?':
		case ':':
			fprintf(stderr, "sluiceadm: %s '%s'\n",
				optopt ? "option needs an argument:" :
					 "unknown option",
				argv[optind - 1]);
			return EXIT_USAGE;
		}
		if (cmd) {
			fprintf(stderr,
				"sluiceadm: '%s': only one command at a time\n",
				argv[optind - 1 - (optarg != NULL)]);
			return EXIT_USAGE;
		}
		cmd = c;
		arg = optarg;
	}
	if (ipvs_have_command()) {
		if (cmd) {
			fprintf(stderr,
				"sluiceadm: only one command at a time\n");
			return EXIT_USAGE;
		}
		return ipvs_run(argc - optind, argv + optind);
	}
	if (optind < argc) {
		fprintf(stderr, "sluiceadm: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (mode && cmd != OPT_ATTACH) {
		fprintf(stderr, "sluiceadm: --xdp-mode goes with --attach\n");
		return EXIT_USAGE;
	}

	switch (cmd) {
	case 'v':
		return cmd_version();
	case 'h':
		fputs(usage_text, stdout);
		return EXIT_SUCCESS;
	case OPT_ATTACH:
		return cmd_attach(arg, mode);
	case OPT_DETACH:
		return cmd_detach(arg);
	case OPT_DP_STATS:
		return cmd_dp_stats();
	case OPT_BLOCK:
	case OPT_UNBLOCK:
		return cmd_block(arg, cmd == OPT_BLOCK);
	case OPT_BLOCKLIST:
		return cmd_blocklist();
	case OPT_STEER:
		return cmd_steer(arg);
	default:
		fprintf(stderr, "sluiceadm: no command given\n%s", usage_text);
		return EXIT_USAGE;
	}
}
