// SPDX-License-Identifier: GPL-2.0
/*
 * sluice-dpctl: fill this namespace's pinned data-plane maps by hand, as
 * the module will (for tests that run the BPF programs without it).
 *
 *   sluice-dpctl service VIP tcp|udp PORT
 *   sluice-dpctl syn-rate VIP RATE BURST
 *   sluice-dpctl real INDEX ADDR
 *   sluice-dpctl tunnel-source V4PREFIX V6PREFIX
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataplane.h"
#include "dpmaps.h"
#include "prefix.h"

static int fd(const char *name)
{
	char err[256];
	int f = sluice_dp_map_fd(name, err, sizeof(err));

	if (f < 0) {
		fprintf(stderr, "sluice-dpctl: %s\n", err);
		exit(1);
	}
	return f;
}

static void addr(const char *s, struct sluice_prefix *p)
{
	char err[256];

	if (sluice_prefix_parse(s, p, err, sizeof(err))) {
		fprintf(stderr, "sluice-dpctl: %s\n", err);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	struct sluice_prefix a, b;
	struct sluice_dpm_vips vips;
	int ret = -EINVAL;

	if (argc == 5 &&
	    (!strcmp(argv[1], "service") || !strcmp(argv[1], "syn-rate"))) {
		vips.v4 = fd("sluice_vips4");
		vips.v6 = fd("sluice_vips6");
	}
	if (argc == 5 && !strcmp(argv[1], "service")) {
		addr(argv[2], &a);
		ret = sluice_dpm_service_add(
			&vips, fd("sluice_services"), &a,
			strcmp(argv[3], "udp") ? IPPROTO_TCP : IPPROTO_UDP,
			atoi(argv[4]));
	} else if (argc == 5 && !strcmp(argv[1], "syn-rate")) {
		addr(argv[2], &a);
		ret = sluice_dpm_vip_syn(&vips, &a, atoi(argv[3]),
					 atoi(argv[4]));
	} else if (argc == 4 && !strcmp(argv[1], "real")) {
		addr(argv[3], &a);
		ret = sluice_dpm_real_set(fd("sluice_reals"), atoi(argv[2]),
					  &a);
	} else if (argc == 4 && !strcmp(argv[1], "tunnel-source")) {
		addr(argv[2], &a);
		addr(argv[3], &b);
		ret = sluice_dpm_tunnel_src(fd("sluice_tc_cfg"), &a, &b);
	} else {
		fprintf(stderr,
			"usage: see the comment at the top of sluice-dpctl.c\n");
		return 2;
	}
	if (ret)
		fprintf(stderr, "sluice-dpctl %s: %s\n", argv[1],
			strerror(-ret));
	return ret ? 1 : 0;
}
