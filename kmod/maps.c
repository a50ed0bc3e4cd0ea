// SPDX-License-Identifier: GPL-2.0
/*
 * The tc program's maps, handed over by userspace (SLUICE_CMD_SET_MAPS)
 * and kept in step with the configuration: sluice_reals[slot] holds each
 * tunnel endpoint (written when the endpoint appears, cleared before its
 * slot can be reused), sluice_tc_cfg the tunnel settings.
 *
 * The map pointers are guarded by the namespace's ep_lock, which endpoint
 * releases take from RCU callbacks: array updates are a copy and never
 * sleep. Only array maps are written (hash map updates from a module
 * would need the syscall path's recursion protection).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/err.h>
#include <linux/module.h>

#include "compat.h"
#include "maps.h"
#include "service.h"

SLUICE_IMPORT_BPF_NS();

static struct bpf_map *get_array(u32 fd, u32 value_size, u32 entries)
{
	struct bpf_map *map = bpf_map_get(fd);

	if (IS_ERR(map))
		return map;
	if (map->map_type != BPF_MAP_TYPE_ARRAY || map->key_size != sizeof(u32) ||
	    map->value_size != value_size || map->max_entries != entries) {
		bpf_map_put(map);
		return ERR_PTR(-EINVAL);
	}
	return map;
}

static void update(struct bpf_map *map, u32 key, void *value)
{
	rcu_read_lock();
	map->ops->map_update_elem(map, &key, value, BPF_ANY);
	rcu_read_unlock();
}

/* sn->ep_lock held. */
void sluice_maps_ep_write(struct sluice_net *sn, const struct sluice_ep *ep, bool valid)
{
	struct sluice_real_ep v = {};

	if (!sn->map_reals)
		return;
	if (valid) {
		memcpy(v.addr, &ep->key.addr, sizeof(v.addr));
		v.family = ep->key.af;
		v.flags = SLUICE_REAL_EP_VALID;
		v.gen = ep->fp_gen;
		v.mtu = ep->fp_mtu;
	}
	update(sn->map_reals, ep->slot, &v);
}

/* A new generation for the slot (see "XDP fast path" in the uapi header). */
void sluice_fp_bump(struct sluice_net *sn, struct sluice_ep *ep)
{
	lockdep_assert_held(&sn->ep_lock);
	if (!++sn->fp_gen)
		sn->fp_gen = 1;
	WRITE_ONCE(ep->fp_gen, sn->fp_gen);
	sluice_maps_ep_write(sn, ep, true);
}

void sluice_fp_dest_gone(struct sluice_net *sn, struct sluice_ep *ep)
{
	unsigned long flags;

	spin_lock_irqsave(&sn->ep_lock, flags);
	sluice_fp_bump(sn, ep);
	spin_unlock_irqrestore(&sn->ep_lock, flags);
}

/* config_lock held: the tunnel settings into sluice_tc_cfg. */
void sluice_maps_cfg_write(struct sluice_net *sn)
{
	const struct sluice_config *c = &sn->cfg;
	struct sluice_tc_config v = {
		.src_v4 = c->tun_src4,
		.src_v4_plen = c->tun_src4_plen,
		.src_v6_plen = c->tun_src6_plen,
		.ttl = c->tun_ttl,
	};
	unsigned long flags;

	memcpy(v.src_v6, &c->tun_src6, sizeof(v.src_v6));
	spin_lock_irqsave(&sn->ep_lock, flags);
	if (sn->map_tc_cfg)
		update(sn->map_tc_cfg, 0, &v);
	spin_unlock_irqrestore(&sn->ep_lock, flags);
}

int sluice_maps_set(struct sluice_net *sn, u32 reals_fd, u32 cfg_fd,
		    struct netlink_ext_ack *extack)
{
	struct bpf_map *reals, *cfg, *old_reals, *old_cfg;
	struct sluice_ep *ep;
	unsigned long flags, i;

	lockdep_assert_held(&sn->config_lock);
	reals = get_array(reals_fd, sizeof(struct sluice_real_ep), SLUICE_MAX_REALS);
	if (IS_ERR(reals)) {
		NL_SET_ERR_MSG(extack, "MAP_REALS is not a sluice_reals map");
		return PTR_ERR(reals);
	}
	cfg = get_array(cfg_fd, sizeof(struct sluice_tc_config), 1);
	if (IS_ERR(cfg)) {
		bpf_map_put(reals);
		NL_SET_ERR_MSG(extack, "MAP_TC_CFG is not a sluice_tc_cfg map");
		return PTR_ERR(cfg);
	}

	spin_lock_irqsave(&sn->ep_lock, flags);
	old_reals = sn->map_reals;
	old_cfg = sn->map_tc_cfg;
	sn->map_reals = reals;
	sn->map_tc_cfg = cfg;
	/* The endpoints with a reference: those in ep_slots. */
	xa_for_each(&sn->ep_slots, i, ep)
		sluice_maps_ep_write(sn, ep, true);
	spin_unlock_irqrestore(&sn->ep_lock, flags);
	sluice_maps_cfg_write(sn);

	if (old_reals)
		bpf_map_put(old_reals);
	if (old_cfg)
		bpf_map_put(old_cfg);
	return 0;
}

void sluice_maps_release(struct sluice_net *sn)
{
	unsigned long flags;
	struct bpf_map *reals, *cfg;

	spin_lock_irqsave(&sn->ep_lock, flags);
	reals = sn->map_reals;
	cfg = sn->map_tc_cfg;
	sn->map_reals = NULL;
	sn->map_tc_cfg = NULL;
	spin_unlock_irqrestore(&sn->ep_lock, flags);
	if (reals)
		bpf_map_put(reals);
	if (cfg)
		bpf_map_put(cfg);
}
