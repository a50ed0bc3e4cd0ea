// SPDX-License-Identifier: GPL-2.0
/* The XDP fast path's switch (fastpath.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "dataplane.h"
#include "fastpath.h"

/* The XDP program's settings: its fd, filled @cfg, or a negative errno. */
static int read_cfg(struct sluice_xdp_config *cfg, char *err, size_t errlen)
{
	int fd = sluice_dp_map_fd("sluice_xdp_cfg", err, errlen);
	__u32 zero = 0;

	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &zero, cfg)) {
		snprintf(err, errlen, "reading sluice_xdp_cfg: %s",
			 strerror(errno));
		close(fd);
		return -errno;
	}
	return fd;
}

int sluice_fastpath_set(int on, char *err, size_t errlen)
{
	struct sluice_xdp_config cfg;
	int fd = read_cfg(&cfg, err, errlen), ret = 0;
	__u32 zero = 0;

	if (fd < 0)
		return fd;
	if (on)
		cfg.flags |= SLUICE_XDP_FASTPATH;
	else
		cfg.flags &= ~SLUICE_XDP_FASTPATH;
	if (bpf_map_update_elem(fd, &zero, &cfg, BPF_EXIST)) {
		ret = -errno;
		snprintf(err, errlen, "writing sluice_xdp_cfg: %s",
			 strerror(errno));
	}
	close(fd);
	return ret;
}

int sluice_fastpath_get(char *err, size_t errlen)
{
	struct sluice_xdp_config cfg;
	int fd = read_cfg(&cfg, err, errlen);

	if (fd < 0)
		return fd;
	close(fd);
	return !!(cfg.flags & SLUICE_XDP_FASTPATH);
}

int sluice_fastpath_flows(struct sluice_fp_totals *t, char *err, size_t errlen)
{
	int fd = sluice_dp_map_fd("sluice_fp_flows", err, errlen);
	struct sluice_fp_key key, next;
	struct sluice_fp_flow f;
	void *prev = NULL;

	if (fd < 0)
		return fd;
	memset(t, 0, sizeof(*t));
	/* A live table: flows come and go meanwhile (each seen at most once). */
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &f))
			continue;
		t->flows++;
		t->packets += f.packets;
		t->bytes += f.bytes;
	}
	close(fd);
	return 0;
}
