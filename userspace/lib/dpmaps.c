// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <linux/sluice.h>

#include "dpmaps.h"

static void vip_key(struct sluice_vip_key *k, const struct sluice_prefix *p)
{
	memset(k, 0, sizeof(*k));
	k->family = p->family;
	memcpy(k->addr, p->addr, p->family == AF_INET ? 4 : 16);
}

/* The VIP's entry, or a new one with the lowest free index. */
static int vip_get(int vips_fd, const struct sluice_vip_key *k,
		   struct sluice_vip *v)
{
	static uint8_t used[SLUICE_MAX_VIPS];
	struct sluice_vip_key cur, next;
	struct sluice_vip other;
	void *prev = NULL;
	uint32_t i;

	if (!bpf_map_lookup_elem(vips_fd, k, v))
		return 0;
	memset(used, 0, sizeof(used));
	while (!bpf_map_get_next_key(vips_fd, prev, &next)) {
		if (!bpf_map_lookup_elem(vips_fd, &next, &other) &&
		    other.index < SLUICE_MAX_VIPS)
			used[other.index] = 1;
		cur = next;
		prev = &cur;
	}
	for (i = 0; i < SLUICE_MAX_VIPS && used[i]; i++)
		;
	if (i == SLUICE_MAX_VIPS)
		return -ENOSPC;
	memset(v, 0, sizeof(*v));
	v->index = i;
	return 0;
}

int sluice_dpm_service_add(int vips_fd, int svc_fd,
			   const struct sluice_prefix *vip, uint8_t proto,
			   uint16_t port)
{
	struct sluice_svc_key sk = { .proto = proto, .port = htons(port) };
	struct sluice_vip_key k;
	struct sluice_vip v;
	uint32_t flags = 0;
	int ret;

	vip_key(&k, vip);
	memcpy(sk.addr, k.addr, sizeof(sk.addr));
	sk.family = k.family;
	ret = vip_get(vips_fd, &k, &v);
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
	return bpf_map_update_elem(vips_fd, &k, &v, BPF_ANY) ? -errno : 0;
}

int sluice_dpm_vip_syn(int vips_fd, const struct sluice_prefix *vip,
		       uint32_t rate, uint32_t burst)
{
	struct sluice_vip_key k;
	struct sluice_vip v;

	if (rate > SLUICE_SYN_RATE_MAX)
		return -ERANGE;
	vip_key(&k, vip);
	if (bpf_map_lookup_elem(vips_fd, &k, &v))
		return -ENOENT;
	v.syn_rate = rate;
	v.syn_burst = burst;
	return bpf_map_update_elem(vips_fd, &k, &v, BPF_EXIST) ? -errno : 0;
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
