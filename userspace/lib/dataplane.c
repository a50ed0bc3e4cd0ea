// SPDX-License-Identifier: GPL-2.0
/* Loading and attaching the BPF data plane (see dataplane.h). */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dataplane.h"
#include "netns.h"
#include "tc.skel.h"
#include "xdp.skel.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

const char *const sluice_xdp_stat_names[SLUICE_XDP_STATS_MAX] = {
	[SLUICE_XDP_PASS_OTHER] = "pass-other",
	[SLUICE_XDP_PASS_VIP] = "pass-vip",
	[SLUICE_XDP_PASS_ICMP_ERROR] = "pass-icmp-error",
	[SLUICE_XDP_STEERED] = "steered",
	[SLUICE_XDP_DROP_MALFORMED] = "drop-malformed",
	[SLUICE_XDP_DROP_IP_OPTIONS] = "drop-ip-options",
	[SLUICE_XDP_DROP_FRAGMENT] = "drop-fragment",
	[SLUICE_XDP_DROP_NO_SERVICE] = "drop-no-service",
	[SLUICE_XDP_DROP_BLOCKLIST] = "drop-blocklist",
	[SLUICE_XDP_DROP_SYN_RATE] = "drop-syn-rate",
	[SLUICE_XDP_FAST_TX] = "fast-tx",
	[SLUICE_XDP_FAST_REDIRECT] = "fast-redirect",
};

const char *const sluice_fp_stat_names[SLUICE_FP_STATS_MAX] = {
	[SLUICE_FP_RECORDED] = "recorded",
	[SLUICE_FP_MISS_NO_ENTRY] = "miss-no-entry",
	[SLUICE_FP_MISS_STALE] = "miss-stale",
	[SLUICE_FP_MISS_REFRESH] = "miss-refresh",
	[SLUICE_FP_MISS_TCP_FLAGS] = "miss-tcp-flags",
	[SLUICE_FP_MISS_TOO_BIG] = "miss-too-big",
	[SLUICE_FP_MISS_HEADERS] = "miss-headers",
	[SLUICE_FP_MISS_NO_ROOM] = "miss-no-room",
	[SLUICE_FP_META_DEFERRED] = "counts-deferred",
};

const char *const sluice_tc_stat_names[SLUICE_TC_STATS_MAX] = {
	[SLUICE_TC_PASS] = "pass",
	[SLUICE_TC_ENCAP_V4] = "encap-ipv4",
	[SLUICE_TC_ENCAP_V6] = "encap-ipv6",
	[SLUICE_TC_DROP_NO_REAL] = "drop-no-real",
	[SLUICE_TC_DROP_NO_SOURCE] = "drop-no-source",
	[SLUICE_TC_DROP_MALFORMED] = "drop-malformed",
	[SLUICE_TC_DROP_ENCAP_FAILED] = "drop-encap-failed",
};

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

int sluice_dp_pin_dir(char *buf, size_t len)
{
	uint64_t cookie;
	int ret = sluice_netns_cookie(&cookie);

	if (!ret)
		snprintf(buf, len, "%s/netns-%llu", SLUICE_BPF_PIN_DIR,
			 (unsigned long long)cookie);
	return ret;
}

/* Make sure a BPF filesystem is mounted and our pin directory exists. */
static int pin_dir(char *dir, size_t len, char *err, size_t errlen)
{
	struct statfs fs;
	int ret;

	if (statfs("/sys/fs/bpf", &fs) || fs.f_type != BPF_FS_MAGIC) {
		if (mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL))
			return fail(
				err, errlen, -errno,
				"cannot mount the BPF filesystem on /sys/fs/bpf: %s",
				strerror(errno));
	}
	ret = sluice_dp_pin_dir(dir, len);
	if (ret)
		return fail(err, errlen, ret,
			    "cannot tell the network namespace: %s",
			    strerror(-ret));
	if ((mkdir(SLUICE_BPF_PIN_DIR, 0700) && errno != EEXIST) ||
	    (mkdir(dir, 0700) && errno != EEXIST))
		return fail(err, errlen, -errno, "cannot create %s: %s", dir,
			    strerror(errno));
	return 0;
}

/* Pin every map of @obj under @dir (reusing pinned ones). */
static int pin_maps(struct bpf_object *obj, const char *dir, char *err,
		    size_t errlen)
{
	struct bpf_map *map;
	char path[256];
	int ret;

	bpf_object__for_each_map(map, obj) {
		snprintf(path, sizeof(path), "%s/%s", dir, bpf_map__name(map));
		ret = bpf_map__set_pin_path(map, path);
		if (ret)
			return fail(err, errlen, ret, "pin path %s: %s", path,
				    strerror(-ret));
	}
	return 0;
}

static int is_ours(__u32 id, const char *name);

static int attach_xdp(int ifindex, int prog_fd, enum sluice_xdp_mode mode,
		      const char **mode_used)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int ret = -EOPNOTSUPP;

	/*
	 * Native and generic XDP exclude each other: moving our program
	 * from one mode to the other takes it off the old one first. A
	 * foreign program is never touched (the attach below then fails).
	 */
	if (!bpf_xdp_query(ifindex, 0, &q)) {
		if (mode == SLUICE_XDP_GENERIC && q.drv_prog_id &&
		    is_ours(q.drv_prog_id, "sluice_xdp"))
			bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
		if (mode == SLUICE_XDP_NATIVE && q.skb_prog_id &&
		    is_ours(q.skb_prog_id, "sluice_xdp"))
			bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
		/* Auto keeps the mode it runs in. */
		if (mode == SLUICE_XDP_AUTO && q.skb_prog_id &&
		    is_ours(q.skb_prog_id, "sluice_xdp"))
			mode = SLUICE_XDP_GENERIC;
	}

	if (mode != SLUICE_XDP_GENERIC) {
		ret = bpf_xdp_attach(ifindex, prog_fd, XDP_FLAGS_DRV_MODE,
				     NULL);
		*mode_used = "native";
		if (!ret || mode == SLUICE_XDP_NATIVE)
			return ret;
	}
	*mode_used = "generic";
	return bpf_xdp_attach(ifindex, prog_fd, XDP_FLAGS_SKB_MODE, NULL);
}

static int attach_tc(int ifindex, int prog_fd)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
			    .attach_point = BPF_TC_EGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = SLUICE_TC_HANDLE,
			    .priority = SLUICE_TC_PRIORITY, .prog_fd = prog_fd,
			    .flags = BPF_TC_F_REPLACE);
	int ret = bpf_tc_hook_create(&hook);

	if (ret && ret != -EEXIST)
		return ret;
	return bpf_tc_attach(&hook, &opts);
}

int sluice_dp_attach(const char *ifname, enum sluice_xdp_mode mode,
		     const char **mode_used, char *err, size_t errlen)
{
	unsigned int ifindex = if_nametoindex(ifname);
	struct sluice_xdp *xdp = NULL;
	struct sluice_tc *tc = NULL;
	char dir[128];
	int ret, ncpus;

	*mode_used = "";
	if (!ifindex)
		return fail(err, errlen, -ENODEV, "no interface '%s'", ifname);
	ret = pin_dir(dir, sizeof(dir), err, errlen);
	if (ret)
		return ret;

	xdp = sluice_xdp__open();
	tc = sluice_tc__open();
	if (!xdp || !tc) {
		ret = fail(err, errlen, -ENOMEM, "cannot open the BPF objects");
		goto out;
	}
	ret = pin_maps(xdp->obj, dir, err, errlen);
	if (!ret)
		ret = pin_maps(tc->obj, dir, err, errlen);
	if (ret)
		goto out;
	/* A cpumap may not have more entries than the kernel has CPUs (NR_CPUS). */
	ncpus = libbpf_num_possible_cpus();
	if (ncpus > 0 && ncpus < SLUICE_MAX_STEER_CPUS)
		bpf_map__set_max_entries(xdp->maps.sluice_cpumap, ncpus);
	ret = sluice_xdp__load(xdp);
	if (!ret)
		ret = sluice_tc__load(tc);
	if (ret) {
		ret = fail(
			err, errlen, ret,
			"cannot load the BPF programs (%s); a map pinned in %s by an incompatible build must be removed first",
			strerror(-ret), dir);
		goto out;
	}

	/* tc first: once XDP lets VIP traffic through, encapsulation works. */
	ret = attach_tc(ifindex, bpf_program__fd(tc->progs.sluice_tc));
	if (ret) {
		ret = fail(err, errlen, ret,
			   "cannot attach the tc program to %s: %s", ifname,
			   strerror(-ret));
		goto out;
	}
	ret = attach_xdp(ifindex, bpf_program__fd(xdp->progs.sluice_xdp), mode,
			 mode_used);
	if (ret)
		ret = fail(err, errlen, ret,
			   "cannot attach the XDP program to %s in %s mode: %s",
			   ifname, *mode_used, strerror(-ret));
out:
	/* Attached programs and pinned maps live on without us. */
	sluice_tc__destroy(tc);
	sluice_xdp__destroy(xdp);
	return ret;
}

/* Is program @id one of ours (by name)? */
static int is_ours(__u32 id, const char *name)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id), ok;

	if (fd < 0)
		return 0;
	ok = !bpf_obj_get_info_by_fd(fd, &info, &len) &&
	     !strncmp(info.name, name, sizeof(info.name));
	close(fd);
	return ok;
}

int sluice_dp_detach(const char *ifname, char *err, size_t errlen)
{
	unsigned int ifindex = if_nametoindex(ifname);
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
			    .attach_point = BPF_TC_EGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = SLUICE_TC_HANDLE,
			    .priority = SLUICE_TC_PRIORITY);
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int found = 0, ret;

	if (!ifindex)
		return fail(err, errlen, -ENODEV, "no interface '%s'", ifname);

	/* Only sluice's own programs: never someone else's. */
	if (!bpf_xdp_query(ifindex, 0, &q)) {
		if (q.drv_prog_id && is_ours(q.drv_prog_id, "sluice_xdp")) {
			ret = bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
			if (ret)
				return fail(err, errlen, ret,
					    "detaching XDP from %s: %s", ifname,
					    strerror(-ret));
			found = 1;
		}
		if (q.skb_prog_id && is_ours(q.skb_prog_id, "sluice_xdp")) {
			ret = bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
			if (ret)
				return fail(err, errlen, ret,
					    "detaching XDP from %s: %s", ifname,
					    strerror(-ret));
			found = 1;
		}
	}
	if (!bpf_tc_query(&hook, &opts)) {
		opts.prog_id = 0;
		opts.prog_fd = 0;
		opts.flags = 0;
		ret = bpf_tc_detach(&hook, &opts);
		if (ret)
			return fail(err, errlen, ret,
				    "detaching tc from %s: %s", ifname,
				    strerror(-ret));
		found = 1;
	}
	if (!found)
		return fail(err, errlen, -ENOENT,
			    "sluice is not attached to %s", ifname);
	return 0;
}

int sluice_dp_map_fd(const char *name, char *err, size_t errlen)
{
	char path[256], dir[128];
	int fd;

	fd = sluice_dp_pin_dir(dir, sizeof(dir));
	if (fd)
		return fail(err, errlen, fd,
			    "cannot tell the network namespace: %s",
			    strerror(-fd));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return fail(
			err, errlen, -errno,
			"%s: %s (is the data plane attached? sluiceadm --attach IFACE)",
			path, strerror(errno));
	return fd;
}

static int read_counters(const char *map, struct sluice_counter *out, int n,
			 char *err, size_t errlen)
{
	int ncpus = libbpf_num_possible_cpus(), fd, i, c;

	if (ncpus < 1)
		return fail(err, errlen, ncpus, "cannot count CPUs");
	fd = sluice_dp_map_fd(map, err, errlen);
	if (fd < 0)
		return fd;
	{
		struct sluice_counter per[ncpus];

		for (i = 0; i < n; i++) {
			__u32 key = i;

			out[i].packets = out[i].bytes = 0;
			if (bpf_map_lookup_elem(fd, &key, per))
				continue;
			for (c = 0; c < ncpus; c++) {
				out[i].packets += per[c].packets;
				out[i].bytes += per[c].bytes;
			}
		}
	}
	close(fd);
	return 0;
}

int sluice_dp_stats(struct sluice_counter xdp[SLUICE_XDP_STATS_MAX],
		    struct sluice_counter tc[SLUICE_TC_STATS_MAX],
		    struct sluice_counter fp[SLUICE_FP_STATS_MAX], char *err,
		    size_t errlen)
{
	int ret = read_counters("sluice_xdp_stats", xdp, SLUICE_XDP_STATS_MAX,
				err, errlen);

	if (!ret)
		ret = read_counters("sluice_tc_stats", tc, SLUICE_TC_STATS_MAX,
				    err, errlen);
	return ret ? ret :
		     read_counters("sluice_fp_stats", fp, SLUICE_FP_STATS_MAX,
				   err, errlen);
}
