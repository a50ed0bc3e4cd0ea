// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/sluice.h>

#include "blocklist.h"
#include "dataplane.h"

/* The LPM key for @p: struct sluice_lpm_v4 or _v6, by family. */
static void lpm_key(const struct sluice_prefix *p, void *key)
{
	struct sluice_lpm_v4 *k4 = key;
	struct sluice_lpm_v6 *k6 = key;

	if (p->family == AF_INET) {
		k4->prefixlen = p->len;
		memcpy(&k4->addr, p->addr, 4);
		return;
	}
	k6->prefixlen = p->len;
	memcpy(k6->addr, p->addr, 16);
}

static const char *map_name(int family)
{
	return family == AF_INET ? "sluice_block_v4" : "sluice_block_v6";
}

/*
 * Tell the XDP program whether the family's blocklist holds anything (it
 * skips the lookup when not). Recomputed from the map after every change,
 * so concurrent editors cannot leave it wrong for long.
 */
static int sync_flag(int map_fd, int family, char *err, size_t errlen)
{
	struct sluice_xdp_config cfg;
	struct sluice_lpm_v6 first;
	__u32 zero = 0, nonempty;
	int fd, ret = 0;

	nonempty = !bpf_map_get_next_key(map_fd, NULL, &first);
	fd = sluice_dp_map_fd("sluice_xdp_cfg", err, errlen);
	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &zero, &cfg)) {
		ret = -errno;
	} else {
		if (family == AF_INET)
			cfg.block_v4 = nonempty;
		else
			cfg.block_v6 = nonempty;
		if (bpf_map_update_elem(fd, &zero, &cfg, BPF_EXIST))
			ret = -errno;
	}
	if (ret)
		snprintf(err, errlen, "updating the XDP configuration: %s",
			 strerror(-ret));
	close(fd);
	return ret;
}

static int update(const struct sluice_prefix *p, int add, char *err,
		  size_t errlen)
{
	struct sluice_lpm_v6 key;
	char buf[64];
	__u32 zero = 0;
	int fd, ret;

	fd = sluice_dp_map_fd(map_name(p->family), err, errlen);
	if (fd < 0)
		return fd;
	lpm_key(p, &key);
	ret = add ? bpf_map_update_elem(fd, &key, &zero, BPF_ANY) :
		    bpf_map_delete_elem(fd, &key);
	if (ret) {
		ret = -errno;
		snprintf(err, errlen, "%s %s: %s",
			 add ? "blocking" : "unblocking",
			 sluice_prefix_str(p, buf, sizeof(buf)),
			 ret == -ENOENT ? "not in the blocklist" :
					  strerror(-ret));
	} else {
		ret = sync_flag(fd, p->family, err, errlen);
	}
	close(fd);
	return ret;
}

int sluice_block_add(const struct sluice_prefix *p, char *err, size_t errlen)
{
	return update(p, 1, err, errlen);
}

int sluice_block_del(const struct sluice_prefix *p, char *err, size_t errlen)
{
	return update(p, 0, err, errlen);
}

int sluice_block_list(void (*fn)(const struct sluice_prefix *p, void *arg),
		      void *arg, char *err, size_t errlen)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct sluice_lpm_v6 key, next;
	struct sluice_prefix p;
	int f, fd;
	void *prev;

	for (f = 0; f < 2; f++) {
		fd = sluice_dp_map_fd(map_name(families[f]), err, errlen);
		if (fd < 0)
			return fd;
		for (prev = NULL; !bpf_map_get_next_key(fd, prev, &next);
		     prev = &key) {
			memset(&p, 0, sizeof(p));
			p.family = families[f];
			if (p.family == AF_INET) {
				struct sluice_lpm_v4 *k4 = (void *)&next;

				p.len = k4->prefixlen;
				memcpy(p.addr, &k4->addr, 4);
			} else {
				p.len = next.prefixlen;
				memcpy(p.addr, next.addr, 16);
			}
			fn(&p, arg);
			memcpy(&key, &next, sizeof(key));
		}
		close(fd);
	}
	return 0;
}
