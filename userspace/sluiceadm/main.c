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

static const char usage_text[] =
	"Usage:\n"
	"  sluiceadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [-b sched-flags] [-o] [--mh-size prime]\n"
	"  sluiceadm -D virtual-service\n"
	"  sluiceadm -C\n"
	"  sluiceadm -R\n"
	"  sluiceadm -S [-n]\n"
	"  sluiceadm -a|e virtual-service -r server-address [-i] [-w weight] [-x uthreshold] [-y lthreshold] [--tun-type ipip]\n"
	"  sluiceadm -d virtual-service -r server-address\n"
	"  sluiceadm -L|l [virtual-service] [options]\n"
	"  sluiceadm -Z [virtual-service]\n"
	"  sluiceadm --set tcp tcpfin udp\n"
	"  sluiceadm --monitor [--json] [-n]\n"
	"  sluiceadm [--tunnel-source prefix]... [--mh-seed n] [--conn-max n] [--expire-nodest 0|1]\n"
	"  sluiceadm --attach iface [--xdp-mode native|generic|auto] | --detach iface\n"
	"  sluiceadm --dataplane-stats | --block prefix | --unblock prefix | --blocklist | --steer cpus|off\n"
	"  sluiceadm -h | -v\n"
	"\n"
	"Commands:\n"
	"Either long or short options are allowed.\n"
	"  --add-service     -A        add virtual service with options\n"
	"  --edit-service    -E        edit virtual service with options\n"
	"  --delete-service  -D        delete virtual service\n"
	"  --clear           -C        clear the whole table\n"
	"  --restore         -R        restore rules from stdin (all or nothing)\n"
	"  --save            -S        save rules to stdout\n"
	"  --add-server      -a        add real server with options\n"
	"  --edit-server     -e        edit real server with options\n"
	"  --delete-server   -d        delete real server\n"
	"  --list            -L|-l     list the table\n"
	"  --zero            -Z        zero counters in a service or all services\n"
	"  --set tcp tcpfin udp        set connection timeout values (0: unchanged)\n"
	"  --monitor                   print configuration changes as they happen\n"
	"  --tunnel-source prefix      outer source of encapsulated packets (one per family)\n"
	"  --mh-seed n                 Maglev seed (the same on every LB node)\n"
	"  --conn-max n                connection table limit\n"
	"  --expire-nodest 0|1         1: a deleted real's connections move to another\n"
	"  --attach iface              attach the XDP and tc programs to iface\n"
	"  --detach iface              detach them\n"
	"  --dataplane-stats           XDP and tc counters, module drop counters\n"
	"  --block|--unblock prefix    drop traffic to VIPs from prefix, or stop\n"
	"  --blocklist                 list blocked prefixes\n"
	"  --steer cpus|off            spread VIP traffic over cpus (e.g. 0-3,6) by flow\n"
	"  --help            -h        display this help message\n"
	"  --version         -v        versions of sluiceadm and of the module\n"
	"\n"
	"virtual-service:\n"
	"  --tcp-service|-t  service-address   service-address is host[:port] ([IPv6]:port)\n"
	"  --udp-service|-u  service-address   service-address is host[:port] ([IPv6]:port)\n"
	"  --fwmark-service|-f fwmark          fwmark is an integer greater than zero\n"
	"\n"
	"Options:\n"
	"  --ipv6         -6                   fwmark entry uses IPv6\n"
	"  --scheduler    -s scheduler         one of mh|rr|wrr|sh|lc|wlc,\n"
	"                                      the default scheduler is mh.\n"
	"  --persistent   -p [timeout]         persistent service (default 360 s)\n"
	"  --netmask      -M netmask           persistent granularity mask\n"
	"  --sched-flags  -b flags             mh-fallback, mh-port (sh-*, flag-N; comma-separated)\n"
	"  --ops          -o                   one-packet scheduling (UDP)\n"
	"  --mh-size      prime                Maglev table size (default 65537)\n"
	"  --real-server  -r server-address    server-address is host (and port)\n"
	"  --ipip         -i                   ipip encapsulation (tunneling), the default\n"
	"  --gatewaying   -g, --masquerading -m  not supported yet\n"
	"  --tun-type     ipip                 the tunnel type (ipip only)\n"
	"  --weight       -w weight            capacity of real server (0..65535, 0 drains)\n"
	"  --u-threshold  -x uthreshold        upper threshold of connections\n"
	"  --l-threshold  -y lthreshold        lower threshold of connections\n"
	"  --connection   -c                   output of current connections\n"
	"  --timeout                           output of timeout (tcp tcpfin udp)\n"
	"  --stats                             output of statistics information\n"
	"  --rate                              output of rate information\n"
	"  --exact                             expand numbers (display exact values)\n"
	"  --thresholds                        output of thresholds information\n"
	"  --persistent-conn                   output of persistent connection info\n"
	"  --tun-info                          output of tunnel information\n"
	"  --nosort                            disable sorting output of service/server entries\n"
	"  --sort                              does nothing, for backwards compatibility\n"
	"  --json                              listings and --monitor as JSON\n"
	"  --numeric      -n                   numeric output of addresses and ports\n";

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
		fprintf(stderr, "sluiceadm: %s\n", sluice_nl_strerror(&nl, err));
		return EXIT_FAILURE;
	}
	switch (c->cmd) {
	case ADM_LIST:
	case ADM_SAVE:
		rc = cmd_list(&nl, c);
		break;
	case ADM_RESTORE:
		rc = adm_restore(&nl, stdin);
		break;
	default:
		err = adm_apply(&nl, c);
		if (err)
			fprintf(stderr, "sluiceadm: %s\n",
				sluice_nl_strerror(&nl, err));
		rc = err ? EXIT_FAILURE : EXIT_SUCCESS;
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
		fputs(usage_text, stdout);
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
