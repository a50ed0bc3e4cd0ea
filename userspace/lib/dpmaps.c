// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <linux/sluice.h>

#include "dpmaps.h"

/* The VIP map of @p's family; the key is the address itself. */
static int vip_fd(const struct sluice_dpm_vips *vips,
		  const struct sluice_prefix *p)
{
	return p->family == AF_INET ? vips->v4 : vips->v6;
}

/* Mark the SYN-bucket indexes the VIPs in map @fd use. */
static void mark_used(int fd, uint8_t *used)
{
	struct sluice_vip6_key cur, next; /* large enough for either key */
	struct sluice_vip other;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (!bpf_map_lookup_elem(fd, &next, &other) &&
		    other.index < SLUICE_MAX_VIPS)
			used[other.index] = 1;
		cur = next;
		prev = &cur;
	}
}

/* The VIP's entry, or a new one with the lowest index free in both maps. */
static int vip_get(const struct sluice_dpm_vips *vips,
		   const struct sluice_prefix *p, struct sluice_vip *v)
{
	static uint8_t used[SLUICE_MAX_VIPS];
	uint32_t i;

	if (!bpf_map_lookup_elem(vip_fd(vips, p), p->addr, v))
		return 0;
	memset(used, 0, sizeof(used));
	mark_used(vips->v4, used);
	mark_used(vips->v6, used);
	for (i = 0; i < SLUICE_MAX_VIPS && used[i]; i++)
		;
	if (i == SLUICE_MAX_VIPS)
		return -ENOSPC;
	memset(v, 0, sizeof(*v));
	v->index = i;
	return 0;
}

int sluice_dpm_service_add(const struct sluice_dpm_vips *vips, int svc_fd,
			   const struct sluice_prefix *vip, uint8_t proto,
			   uint16_t port)
{
	struct sluice_svc_key sk = { .family = vip->family,
				     .proto = proto,
				     .port = htons(port) };
	struct sluice_vip v;
	uint32_t flags = 0;
	int ret;

	memcpy(sk.addr, vip->addr, vip->family == AF_INET ? 4 : 16);
	ret = vip_get(vips, vip, &v);
	if (ret)
		return ret;
	if (!bpf_map_lookup_elem(svc_fd, &sk, &flags))
		return -EEXIST;
	if (bpf_map_update_elem(svc_fd, &sk, &flags, BPF_NOEXIST))
		return -errno;
	if (v.nports < SLUICE_VIP_PORTS) {
		v.ports[v.nports].proto = proto;
		v.ports[v.nports].port = htons(port);
	}
	v.nports++;
	return bpf_map_update_elem(vip_fd(vips, vip), vip->addr, &v, BPF_ANY) ?
		       -errno :
		       0;
}

int sluice_dpm_vip_syn(const struct sluice_dpm_vips *vips,
		       const struct sluice_prefix *vip, uint32_t rate,
		       uint32_t burst)
{
	struct sluice_vip v;

	if (rate > SLUICE_SYN_RATE_MAX)
		return -ERANGE;
	if (bpf_map_lookup_elem(vip_fd(vips, vip), vip->addr, &v))
		return -ENOENT;
	v.syn_rate = rate;
	v.syn_burst = burst;
	return bpf_map_update_elem(vip_fd(vips, vip), vip->addr, &v,
				   BPF_EXIST) ?
		       -errno :
		       0;
}

int sluice_dpm_real_set(int reals_fd, uint32_t idx,
			const struct sluice_prefix *addr)
{
	struct sluice_real_ep ep = { .family = addr->family,
				     .flags = SLUICE_REAL_EP_VALID };

	memcpy(ep.addr, addr->addr, addr->family == AF_INET ? 4 : 16);
	return bpf_map_update_elem(reals_fd, &idx, &ep, 0) ? -errno : 0;
}

int sluice_dpm_tunnel_src(int cfg_fd, const struct sluice_prefix *v4,
			  const struct sluice_prefix *v6)
{
	struct sluice_tc_config cfg = {};
	uint32_t zero = 0;

	if (v4) {
		memcpy(&cfg.src_v4, v4->addr, 4);
		cfg.src_v4_plen = v4->len;
	}
	if (v6) {
		memcpy(cfg.src_v6, v6->addr, 16);
		cfg.src_v6_plen = v6->len;
	}
	return bpf_map_update_elem(cfg_fd, &zero, &cfg, 0) ? -errno : 0;
}
