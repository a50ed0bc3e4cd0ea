// SPDX-License-Identifier: GPL-2.0
/* sluiceadm commands for the BPF data plane: attach, detach, counters, blocklist. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "blocklist.h"
#include "cmds.h"
#include "dataplane.h"
#include "dpmaps.h"
#include "dpsync.h"
#include "grow.h"
#include "info.h"
#include "nl.h"
#include "services.h"
#include "prefix.h"
#include "fastpath.h"
#include "steer.h"

static int failed(const char *err)
{
	fprintf(stderr, "sluiceadm: %s\n", err);
	return EXIT_FAILURE;
}

/*
 * Give the module the tc program's maps, so it keeps the reals' tunnel
 * endpoints and the tunnel settings in them. Without the module, --attach
 * notes it and succeeds (the module may come later); --handover (REQUIRED)
 * fails.
 */
static int handover(bool required)
{
	int reals = -1, cfg = -1, ret = EXIT_FAILURE, e;
	struct sluice_nl nl;
	char err[512];

	e = sluice_nl_open(&nl);
	if (e == -ENOENT && !required) {
		/* The BPF side works on its own (tests, or the module comes later). */
		fprintf(stderr,
			"sluiceadm: note: %s; run sluiceadm --handover once it is loaded\n",
			sluice_nl_strerror(&nl, e));
		return EXIT_SUCCESS;
	}
	if (e) {
		fprintf(stderr, "sluiceadm: %s\n", sluice_nl_strerror(&nl, e));
		return EXIT_FAILURE;
	}
	reals = sluice_dp_map_fd("sluice_reals", err, sizeof(err));
	cfg = reals < 0 ? -1 :
			  sluice_dp_map_fd("sluice_tc_cfg", err, sizeof(err));
	if (reals < 0 || cfg < 0) {
		fprintf(stderr, "sluiceadm: %s\n", err);
		goto out;
	}
	e = sluice_set_maps(&nl, reals, cfg);
	if (e) {
		fprintf(stderr,
			"sluiceadm: handing the maps to the module: %s\n",
			sluice_nl_strerror(&nl, e));
		goto out;
	}
	if (dataplane_sync(&nl))
		goto out;
	ret = EXIT_SUCCESS;
out:
	if (reals >= 0)
		close(reals);
	if (cfg >= 0)
		close(cfg);
	sluice_nl_close(&nl);
	return ret;
}

int dataplane_sync(struct sluice_nl *nl)
{
	char msg[512];

	if (sluice_dp_sync(nl, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "sluiceadm: %s\n", msg);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

/* --syn-rate VIP RATE[/BURST]: TCP SYNs per second per CPU (0: no limit). */
static int cmd_syn_rate(const char *vip, const char *rate)
{
	struct sluice_dpm_vips vips = { -1, -1 };
	unsigned long r, b;
	struct sluice_prefix p;
	char msg[512], *end;
	int e;

	if (sluice_prefix_parse(vip, &p, msg, sizeof(msg)) ||
	    p.len != (p.family == AF_INET ? 32 : 128)) {
		fprintf(stderr,
			"sluiceadm: --syn-rate '%s': want a VIP address\n",
			vip);
		return EXIT_USAGE;
	}
	errno = 0;
	r = strtoul(rate, &end, 10);
	b = r;
	if (*end == '/')
		b = strtoul(end + 1, &end, 10);
	if (errno || *end || !*rate || *rate == '-' ||
	    r > SLUICE_SYN_RATE_MAX || b > SLUICE_SYN_RATE_MAX) {
		fprintf(stderr,
			"sluiceadm: --syn-rate '%s': want RATE[/BURST], 0..%u SYNs per second\n",
			rate, SLUICE_SYN_RATE_MAX);
		return EXIT_USAGE;
	}
	vips.v4 = sluice_dp_map_fd("sluice_vips4", msg, sizeof(msg));
	vips.v6 = vips.v4 < 0 ?
			  -1 :
			  sluice_dp_map_fd("sluice_vips6", msg, sizeof(msg));
	if (vips.v6 < 0) {
		if (vips.v4 >= 0)
			close(vips.v4);
		return failed(msg);
	}
	e = sluice_dpm_vip_syn(&vips, &p, r, b);
	close(vips.v4);
	close(vips.v6);
	if (e == -ENOENT) {
		fprintf(stderr,
			"sluiceadm: --syn-rate: %s is not a VIP of any service here\n",
			vip);
		return EXIT_FAILURE;
	}
	if (e) {
		fprintf(stderr, "sluiceadm: --syn-rate: %s\n", strerror(-e));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

static void print_vip(int family, const void *addr, const struct sluice_vip *v)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(family, addr, a, sizeof(a));
	printf("%-40s %-5u %-6u %-10u %u\n", a, v->index, v->nports,
	       v->syn_rate, v->syn_burst);
}

/* --vips: the XDP program's VIP table. */
static int cmd_vips(void)
{
	int fds[2], i;
	char msg[512];

	fds[0] = sluice_dp_map_fd("sluice_vips4", msg, sizeof(msg));
	if (fds[0] < 0)
		return failed(msg);
	fds[1] = sluice_dp_map_fd("sluice_vips6", msg, sizeof(msg));
	if (fds[1] < 0) {
		close(fds[0]);
		return failed(msg);
	}
	printf("%-40s %-5s %-6s %-10s %s\n", "VIP", "Slot", "Ports", "SynRate",
	       "SynBurst");
	for (i = 0; i < 2; i++) {
		struct sluice_vip6_key cur, next;
		struct sluice_vip v;
		void *prev = NULL;

		while (!bpf_map_get_next_key(fds[i], prev, &next)) {
			if (!bpf_map_lookup_elem(fds[i], &next, &v))
				print_vip(i ? AF_INET6 : AF_INET, &next, &v);
			cur = next;
			prev = &cur;
		}
		close(fds[i]);
	}
	return EXIT_SUCCESS;
}

static int cmd_attach(const char *ifname, const char *mode)
{
	enum sluice_xdp_mode m = SLUICE_XDP_AUTO;
	const char *used;
	char err[512];

	if (mode && !strcmp(mode, "native")) {
		m = SLUICE_XDP_NATIVE;
	} else if (mode && !strcmp(mode, "generic")) {
		m = SLUICE_XDP_GENERIC;
	} else if (mode && strcmp(mode, "auto")) {
		fprintf(stderr,
			"sluiceadm: --xdp-mode '%s': want native, generic or auto\n",
			mode);
		return EXIT_USAGE;
	}
	if (sluice_dp_attach(ifname, m, &used, err, sizeof(err)))
		return failed(err);
	printf("attached to %s (XDP %s mode, tc egress)\n", ifname, used);
	return handover(false);
}

/*
 * --handover: the data plane stays as attached, programs and all; a module
 * loaded again since (an upgrade, a reload) gets its maps, and the XDP maps
 * follow its services. What --attach does after loading the programs,
 * without loading them again (their verifier run is most of --attach).
 */
static int cmd_handover(void)
{
	return handover(true);
}

static int cmd_detach(const char *ifname)
{
	char err[512];

	if (sluice_dp_detach(ifname, err, sizeof(err)))
		return failed(err);
	return EXIT_SUCCESS;
}

static void print_counters(const char *title, const char *const *names,
			   const struct sluice_counter *c, int n)
{
	int i;

	printf("%s\n", title);
	for (i = 0; i < n; i++)
		printf("  %-20s %20llu %20llu\n", names[i],
		       (unsigned long long)c[i].packets,
		       (unsigned long long)c[i].bytes);
}

/* The module's drop counters and connection count, when it is loaded. */
static int module_stats(void)
{
	struct sluice_info info;
	struct sluice_nl nl;
	int e, i;

	e = sluice_nl_open(&nl);
	if (e == -ENOENT)
		return EXIT_SUCCESS;
	if (!e)
		e = sluice_get_info(&nl, &info);
	if (e) {
		fprintf(stderr, "sluiceadm: %s\n", sluice_nl_strerror(&nl, e));
		if (nl.sk)
			sluice_nl_close(&nl);
		return EXIT_FAILURE;
	}
	sluice_nl_close(&nl);
	printf("kernel module\n");
	printf("  %-20s %20u\n", "connections", info.conns);
	printf("  %-20s %20u\n", "connection-limit", info.conn_max);
	printf("  %-20s %20u\n", "connection-buckets", info.conn_buckets);
	printf("  %-20s %20u\n", "connection-entry-size", info.conn_entry_size);
	printf("  %-20s %20llu\n", "connection-bytes",
	       (unsigned long long)info.conn_bytes);
	printf("  %-20s %20llu\n", "conn-evicted",
	       (unsigned long long)info.conn_evicted);
	printf("  %-20s %20llu\n", "conn-stateless",
	       (unsigned long long)info.conn_stateless);
	for (i = 0; i < SLUICE_DROPS_MAX; i++)
		printf("  drop-%-15s %20llu\n", sluice_drop_names[i],
		       (unsigned long long)info.drops[i]);
	return EXIT_SUCCESS;
}

static int cmd_dp_stats(void)
{
	struct sluice_counter xdp[SLUICE_XDP_STATS_MAX],
		tc[SLUICE_TC_STATS_MAX], fp[SLUICE_FP_STATS_MAX];
	struct sluice_fp_totals fl;
	char err[512];
	int on;

	if (sluice_dp_stats(xdp, tc, fp, err, sizeof(err)))
		return failed(err);
	on = sluice_fastpath_get(err, sizeof(err));
	if (on < 0 || sluice_fastpath_flows(&fl, err, sizeof(err)))
		return failed(err);
	printf("%-22s %20s %20s\n", "counter", "packets", "bytes");
	print_counters("XDP ingress", sluice_xdp_stat_names, xdp,
		       SLUICE_XDP_STATS_MAX);
	print_counters("tc egress", sluice_tc_stat_names, tc,
		       SLUICE_TC_STATS_MAX);
	print_counters(on ? "fast path (on)" : "fast path (off)",
		       sluice_fp_stat_names, fp, SLUICE_FP_STATS_MAX);
	/* Sent by the fast path, not in the module's counters yet. */
	printf("  %-20s %20llu %20llu\n", "pending", fl.packets, fl.bytes);
	printf("  %-20s %20llu\n", "flows", fl.flows);
	return module_stats();
}

static int cmd_block(const char *arg, int add)
{
	struct sluice_prefix p;
	char err[512];

	if (sluice_prefix_parse(arg, &p, err, sizeof(err))) {
		fprintf(stderr, "sluiceadm: %s %s\n",
			add ? "--block" : "--unblock", err);
		return EXIT_USAGE;
	}
	if (add ? sluice_block_add(&p, err, sizeof(err)) :
		  sluice_block_del(&p, err, sizeof(err)))
		return failed(err);
	return EXIT_SUCCESS;
}

static void print_prefix(const struct sluice_prefix *p, void *arg)
{
	char buf[64];

	(void)arg;
	printf("%s\n", sluice_prefix_str(p, buf, sizeof(buf)));
}

static int cmd_blocklist(void)
{
	char err[512];

	if (sluice_block_list(print_prefix, NULL, err, sizeof(err)))
		return failed(err);
	return EXIT_SUCCESS;
}

static int cmd_steer(const char *arg)
{
	unsigned int cpus[SLUICE_MAX_STEER_CPUS], n = 0;
	char err[512] = "";

	if (strcmp(arg, "off") &&
	    sluice_cpulist_parse(arg, cpus, SLUICE_MAX_STEER_CPUS, &n, err,
				 sizeof(err))) {
		fprintf(stderr, "sluiceadm: --steer %s\n", err);
		return EXIT_USAGE;
	}
	if (sluice_steer_set(cpus, n, err, sizeof(err)))
		return failed(err);
	return EXIT_SUCCESS;
}

static int cmd_fastpath(const char *arg)
{
	char err[512] = "";
	int on = !strcmp(arg, "on");

	if (!on && strcmp(arg, "off")) {
		fprintf(stderr,
			"sluiceadm: --fastpath wants on or off, not '%s'\n",
			arg);
		return EXIT_USAGE;
	}
	if (sluice_fastpath_set(on, err, sizeof(err)))
		return failed(err);
	return EXIT_SUCCESS;
}

enum {
	OPT_ATTACH = 256,
	OPT_DETACH,
	OPT_XDP_MODE,
	OPT_DP_STATS,
	OPT_BLOCK,
	OPT_UNBLOCK,
	OPT_BLOCKLIST,
	OPT_STEER,
	OPT_SYN_RATE,
	OPT_VIPS,
	OPT_HANDOVER,
	OPT_FASTPATH
};

const struct option dataplane_long_opts[] = {
	{ "attach", required_argument, NULL, OPT_ATTACH },
	{ "detach", required_argument, NULL, OPT_DETACH },
	{ "xdp-mode", required_argument, NULL, OPT_XDP_MODE },
	{ "dataplane-stats", no_argument, NULL, OPT_DP_STATS },
	{ "block", required_argument, NULL, OPT_BLOCK },
	{ "unblock", required_argument, NULL, OPT_UNBLOCK },
	{ "blocklist", no_argument, NULL, OPT_BLOCKLIST },
	{ "steer", required_argument, NULL, OPT_STEER },
	{ "syn-rate", required_argument, NULL, OPT_SYN_RATE },
	{ "vips", no_argument, NULL, OPT_VIPS },
	{ "handover", no_argument, NULL, OPT_HANDOVER },
	{ "fastpath", required_argument, NULL, OPT_FASTPATH },
	{ NULL, 0, NULL, 0 }
};

int dataplane_option(const char *arg)
{
	const struct option *o;
	size_t n;

	if (strncmp(arg, "--", 2))
		return 0;
	arg += 2;
	n = strcspn(arg, "=");
	for (o = dataplane_long_opts; o->name; o++)
		if (strlen(o->name) == n && !strncmp(o->name, arg, n))
			return 1;
	return 0;
}

int dataplane_main(int argc, char **argv)
{
	const char *arg = NULL, *mode = NULL;
	int c, cmd = 0;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":", dataplane_long_opts, NULL)) !=
	       -1) {
		if (c == '?' || c == ':') {
			fprintf(stderr, "sluiceadm: %s '%s'\n",
				c == ':' ?
					"option needs an argument:" :
					"option does not go with the data-plane commands:",
				argv[optind - 1]);
			return EXIT_USAGE;
		}
		if (c == OPT_XDP_MODE) {
			mode = optarg;
			continue;
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
	if (cmd == OPT_SYN_RATE) {
		if (optind + 1 != argc) {
			fprintf(stderr,
				"sluiceadm: --syn-rate wants VIP RATE[/BURST]\n");
			return EXIT_USAGE;
		}
		return cmd_syn_rate(arg, argv[optind]);
	}
	if (optind < argc) {
		fprintf(stderr, "sluiceadm: unexpected argument %s\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (mode && cmd != OPT_ATTACH) {
		fprintf(stderr, "sluiceadm: --xdp-mode goes with --attach\n");
		return EXIT_USAGE;
	}
	switch (cmd) {
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
	case OPT_VIPS:
		return cmd_vips();
	case OPT_HANDOVER:
		return cmd_handover();
	case OPT_FASTPATH:
		return cmd_fastpath(arg);
	}
	fprintf(stderr, "sluiceadm: --xdp-mode goes with --attach\n");
	return EXIT_USAGE;
}
