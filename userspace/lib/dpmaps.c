// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <linux/sluice.h>

#include "dpmaps.h"
#include "grow.h"

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

/* ---- keeping the XDP maps in step with the module's services ---- */

static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct sluice_svc_key));
}

static int same_vip(const struct sluice_svc_key *a,
		    const struct sluice_svc_key *b)
{
	return a->family == b->family && !memcmp(a->addr, b->addr, 16);
}

/* Keys of map @fd (of @size bytes each) into a new array; count in *@n. */
static void *map_keys(int fd, size_t size, size_t *n)
{
	uint8_t cur[sizeof(struct sluice_svc_key)], next[sizeof(cur)];
	size_t cap = 0;
	void *prev = NULL;
	uint8_t *v = NULL;

	*n = 0;
	while (!bpf_map_get_next_key(fd, prev, next)) {
		if (sluice_grow(&v, *n, &cap, size, 256)) {
			free(v);
			return NULL;
		}
		memcpy(v + *n * size, next, size);
		(*n)++;
		memcpy(cur, next, size);
		prev = cur;
	}
	if (!v)
		v = malloc(1);
	return v;
}

/* VIP @k's entry as the services @k[0..@n) make it; kept slot and SYN. */
static int vip_write(const struct sluice_dpm_vips *vips, uint8_t *used,
		     const struct sluice_svc_key *k, size_t n)
{
	int fd = k->family == AF_INET ? vips->v4 : vips->v6;
	struct sluice_vip v;
	size_t i;

	if (bpf_map_lookup_elem(fd, k->addr, &v)) {
		memset(&v, 0, sizeof(v));
		for (i = 0; i < SLUICE_MAX_VIPS && used[i]; i++)
			;
		if (i == SLUICE_MAX_VIPS)
			return -ENOSPC;
		used[i] = 1;
		v.index = i;
	}
	memset(v.ports, 0, sizeof(v.ports));
	v.nports = n;
	for (i = 0; i < n && i < SLUICE_VIP_PORTS; i++) {
		v.ports[i].proto = k[i].proto;
		v.ports[i].port = k[i].port;
	}
	return bpf_map_update_elem(fd, k->addr, &v, BPF_ANY) ? -errno : 0;
}

/* Delete the keys of map @fd that @keep() says are gone. */
static int
prune(int fd, size_t size, const struct sluice_svc_key *keys, size_t n,
      int (*keep)(const void *key, const struct sluice_svc_key *keys, size_t n))
{
	size_t i, m;
	uint8_t *k = map_keys(fd, size, &m);

	if (!k)
		return -ENOMEM;
	for (i = 0; i < m; i++)
		if (!keep(k + i * size, keys, n))
			bpf_map_delete_elem(fd, k + i * size);
	free(k);
	return 0;
}

static int keep_service(const void *key, const struct sluice_svc_key *keys,
			size_t n)
{
	return bsearch(key, keys, n, sizeof(*keys), key_cmp) != NULL;
}

static int keep_vip(const void *key, const struct sluice_svc_key *keys,
		    size_t n, int family)
{
	struct sluice_svc_key k = { .family = family };
	size_t lo = 0, hi = n;

	/* The first key of the VIP, if any: keys are sorted by address. */
	memcpy(k.addr, key, family == AF_INET ? 4 : 16);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (memcmp(&keys[mid], &k,
			   offsetof(struct sluice_svc_key, family) + 1) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && same_vip(&keys[lo], &k);
}

static int keep_vip4(const void *key, const struct sluice_svc_key *keys,
		     size_t n)
{
	return keep_vip(key, keys, n, AF_INET);
}

static int keep_vip6(const void *key, const struct sluice_svc_key *keys,
		     size_t n)
{
	return keep_vip(key, keys, n, AF_INET6);
}

int sluice_dpm_sync(const struct sluice_dpm_vips *vips, int svc_fd,
		    struct sluice_svc_key *keys, size_t n)
{
	static uint8_t used[SLUICE_MAX_VIPS];
	uint32_t flags = 0;
	size_t i, j;
	int err = 0;

	qsort(keys, n, sizeof(*keys), key_cmp);
	memset(used, 0, sizeof(used));
	mark_used(vips->v4, used);
	mark_used(vips->v6, used);
	/* Add first, remove last: nothing served is dropped meanwhile. */
	for (i = 0; !err && i < n; i = j) {
		for (j = i; j < n && same_vip(&keys[i], &keys[j]); j++)
			if (bpf_map_update_elem(svc_fd, &keys[j], &flags,
						BPF_ANY))
				err = -errno;
		if (!err)
			err = vip_write(vips, used, &keys[i], j - i);
	}
	if (!err)
		err = prune(svc_fd, sizeof(*keys), keys, n, keep_service);
	if (!err)
		err = prune(vips->v4, 4, keys, n, keep_vip4);
	if (!err)
		err = prune(vips->v6, sizeof(struct sluice_vip6_key), keys, n,
			    keep_vip6);
	return err;
}
