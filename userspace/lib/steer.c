// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/sluice.h>

#include "dataplane.h"
#include "steer.h"

/* Queue of packets per CPU in the cpumap (the kernel's default size). */
#define STEER_QSIZE 2048

static int number(const char **p, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return -1;
	errno = 0;
	*v = strtoul(*p, &end, 10);
	if (errno)
		return -1;
	*p = end;
	return 0;
}

int sluice_cpulist_parse(const char *s, unsigned int *cpus, unsigned int max,
			 unsigned int *n, char *err, size_t errlen)
{
	const char *p = s;
	unsigned long a, b, c;

	*n = 0;
	while (*p) {
		if (number(&p, &a))
			goto bad;
		b = a;
		if (*p == '-') {
			p++;
			if (number(&p, &b) || b < a)
				goto bad;
		}
		if (*p == ',' && p[1])
			p++;
		else if (*p)
			goto bad;
		for (c = a; c <= b; c++) {
			if (c >= max) {
				snprintf(
					err, errlen,
					"CPU %lu in '%s' is out of range (0 to %u)",
					c, s, max - 1);
				return -EINVAL;
			}
			if (*n && c <= cpus[*n - 1]) {
				snprintf(err, errlen,
					 "CPU list '%s' is not ascending", s);
				return -EINVAL;
			}
			cpus[(*n)++] = c;
		}
	}
	if (*n)
		return 0;
bad:
	snprintf(err, errlen, "'%s' is not a CPU list such as 0-3,6", s);
	return -EINVAL;
}

static int open_maps(int *cpumap, int *list, int *cfg, char *err, size_t errlen)
{
	*cpumap = sluice_dp_map_fd("sluice_cpumap", err, errlen);
	*list = *cpumap < 0 ?
			-1 :
			sluice_dp_map_fd("sluice_steer_cpus", err, errlen);
	*cfg = *list < 0 ? -1 : sluice_dp_map_fd("sluice_xdp_cfg", err, errlen);
	if (*cfg >= 0)
		return 0;
	if (*cpumap >= 0)
		close(*cpumap);
	if (*list >= 0)
		close(*list);
	return *cpumap < 0 ? *cpumap : *list < 0 ? *list : *cfg;
}

int sluice_steer_set(const unsigned int *cpus, unsigned int n, char *err,
		     size_t errlen)
{
	struct bpf_cpumap_val val = { .qsize = STEER_QSIZE };
	struct sluice_xdp_config cfg;
	int cpumap, list, cfgfd, ret;
	__u32 zero = 0, i, cpu;

	if (n > SLUICE_MAX_STEER_CPUS) {
		snprintf(err, errlen, "at most %d CPUs", SLUICE_MAX_STEER_CPUS);
		return -EINVAL;
	}
	ret = open_maps(&cpumap, &list, &cfgfd, err, errlen);
	if (ret)
		return ret;
	if (bpf_map_lookup_elem(cfgfd, &zero, &cfg)) {
		ret = -errno;
		goto out;
	}
	/* Off first: the program stops using the old set. */
	cfg.flags &= ~SLUICE_XDP_STEER;
	cfg.steer_cpus = 0;
	if (bpf_map_update_elem(cfgfd, &zero, &cfg, BPF_EXIST)) {
		ret = -errno;
		goto out;
	}
	for (cpu = 0; cpu < SLUICE_MAX_STEER_CPUS; cpu++)
		bpf_map_delete_elem(cpumap, &cpu);
	for (i = 0; i < n; i++) {
		cpu = cpus[i];
		if (bpf_map_update_elem(cpumap, &cpu, &val, 0) ||
		    bpf_map_update_elem(list, &i, &cpu, 0)) {
			ret = -errno;
			snprintf(err, errlen, "CPU %u: %s", cpu,
				 strerror(-ret));
			goto out;
		}
	}
	if (n) {
		cfg.flags |= SLUICE_XDP_STEER;
		cfg.steer_cpus = n;
		if (bpf_map_update_elem(cfgfd, &zero, &cfg, BPF_EXIST))
			ret = -errno;
	}
out:
	if (ret && !err[0])
		snprintf(err, errlen, "steering: %s", strerror(-ret));
	close(cpumap);
	close(list);
	close(cfgfd);
	return ret;
}
