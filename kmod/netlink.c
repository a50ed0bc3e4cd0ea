// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "sluice". include/uapi/linux/sluice.h is its
 * specification; every attribute is validated by the strict policies here
 * and in nl_service.c (services and reals). This file: the family, info,
 * settings, and the events multicast group.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <generated/utsrelease.h>

#include "compat.h"
#include "maps.h"
#include "nl.h"
#include "service.h"

/*
 * Ranges beyond 16 bits need a struct (NLA_POLICY_RANGE takes s16); not
 * const because 6.1's policy points at a mutable one.
 */
static struct netlink_range_validation timeout_range = {
	.min = 1, .max = SLUICE_TIMEOUT_MAX,
};

static struct netlink_range_validation conn_max_range = {
	.min = SLUICE_CONN_MAX_MIN, .max = SLUICE_CONN_MAX_MAX,
};

const struct nla_policy sluice_cfg_policy[SLUICE_CFG_A_MAX + 1] = {
	[SLUICE_CFG_A_TIMEOUT_TCP] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[SLUICE_CFG_A_TIMEOUT_TCP_FIN] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[SLUICE_CFG_A_TIMEOUT_UDP] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[SLUICE_CFG_A_CONN_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &conn_max_range),
	[SLUICE_CFG_A_MH_SEED] = { .type = NLA_U64 },
	[SLUICE_CFG_A_TUN_SRC4] = NLA_POLICY_EXACT_LEN(4),
	[SLUICE_CFG_A_TUN_SRC4_PLEN] = NLA_POLICY_RANGE(NLA_U8, 1, 32),
	[SLUICE_CFG_A_TUN_SRC6] = NLA_POLICY_EXACT_LEN(16),
	[SLUICE_CFG_A_TUN_SRC6_PLEN] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
	[SLUICE_CFG_A_TUN_TTL] = { .type = NLA_U8 },
	[SLUICE_CFG_A_EXPIRE_NODEST] = NLA_POLICY_MAX(NLA_U8, 1),
};

const struct nla_policy sluice_policy[SLUICE_A_MAX + 1] = {
	[SLUICE_A_INFO_VERSION] = { .type = NLA_REJECT,
				    .reject_message = "read-only attribute" },
	[SLUICE_A_INFO_KERNEL] = { .type = NLA_REJECT,
				   .reject_message = "read-only attribute" },
	[SLUICE_A_INFO_NETNS_COOKIE] = { .type = NLA_REJECT,
					 .reject_message = "read-only attribute" },
	[SLUICE_A_SERVICE] = NLA_POLICY_NESTED(sluice_svc_policy),
	[SLUICE_A_DEST] = NLA_POLICY_NESTED(sluice_dest_policy),
	[SLUICE_A_CONFIG] = NLA_POLICY_NESTED(sluice_cfg_policy),
	[SLUICE_A_INFO_SERVICES] = { .type = NLA_REJECT,
				     .reject_message = "read-only attribute" },
	[SLUICE_A_INFO_CONN_MAX] = { .type = NLA_REJECT,
				     .reject_message = "read-only attribute" },
	[SLUICE_A_MAP_REALS] = { .type = NLA_U32 },
	[SLUICE_A_MAP_TC_CFG] = { .type = NLA_U32 },
	[SLUICE_A_INFO_CONNS] = { .type = NLA_REJECT,
				  .reject_message = "read-only attribute" },
	[SLUICE_A_INFO_DROPS] = { .type = NLA_REJECT,
				  .reject_message = "read-only attribute" },
	[SLUICE_A_INFO_CONN_EVICTED] = { .type = NLA_REJECT,
					 .reject_message = "read-only attribute" },
	[SLUICE_A_INFO_CONN_STATELESS] = { .type = NLA_REJECT,
					   .reject_message = "read-only attribute" },
	[SLUICE_A_CONN] = { .type = NLA_REJECT, .reject_message = "read-only attribute" },
	[SLUICE_A_INFO_CONN_BUCKETS] = { .type = NLA_REJECT,
					 .reject_message = "read-only attribute" },
	[SLUICE_A_INFO_CONN_ENTRY_SIZE] = { .type = NLA_REJECT,
					    .reject_message = "read-only attribute" },
	[SLUICE_A_INFO_CONN_BYTES] = { .type = NLA_REJECT,
				       .reject_message = "read-only attribute" },
};

static const struct genl_multicast_group sluice_mcgrps[] = {
	{ .name = SLUICE_GENL_MCGRP_EVENTS, .flags = SLUICE_MCGRP_ADMIN_FLAGS },
};

static struct genl_family sluice_genl_family;

void *sluice_nl_put(struct sk_buff *msg, u32 portid, u32 seq, int flags, u8 cmd)
{
	return genlmsg_put(msg, portid, seq, &sluice_genl_family, flags, cmd);
}

static int put_drops(struct sk_buff *msg, struct sluice_net *sn)
{
	struct nlattr *nest = nla_nest_start(msg, SLUICE_A_INFO_DROPS);
	u64 sum[SLUICE_DROPS_MAX] = {};
	int cpu, i;

	if (!nest)
		return -EMSGSIZE;
	for_each_possible_cpu(cpu)
		for (i = 0; i < SLUICE_DROPS_MAX; i++)
			sum[i] += READ_ONCE(per_cpu_ptr(sn->drops, cpu)->n[i]);
	for (i = 0; i < SLUICE_DROPS_MAX; i++)
		if (nla_put_u64_64bit(msg, i + 1, sum[i], SLUICE_DROPS_MAX + 1))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int sluice_cmd_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct sluice_net *sn = sluice_pernet(net);
	struct sluice_conn_mem mem;
	struct sk_buff *msg;
	void *hdr;
	int err = -EMSGSIZE;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = sluice_nl_put(msg, info->snd_portid, info->snd_seq, 0,
			    SLUICE_CMD_GET_INFO);
	if (!hdr)
		goto err_free;
	mutex_lock(&sn->config_lock);
	sluice_conn_mem(sn, &mem);
	if (nla_put_string(msg, SLUICE_A_INFO_VERSION, SLUICE_VERSION) ||
	    nla_put_string(msg, SLUICE_A_INFO_KERNEL, UTS_RELEASE) ||
	    nla_put_u64_64bit(msg, SLUICE_A_INFO_NETNS_COOKIE, net->net_cookie,
			      SLUICE_A_PAD) ||
	    nla_put_u32(msg, SLUICE_A_INFO_SERVICES, sn->nsvc) ||
	    nla_put_u32(msg, SLUICE_A_INFO_CONN_MAX, sn->cfg.conn_max) ||
	    nla_put_u32(msg, SLUICE_A_INFO_CONNS, mem.entries) ||
	    nla_put_u32(msg, SLUICE_A_INFO_CONN_BUCKETS, mem.buckets) ||
	    nla_put_u32(msg, SLUICE_A_INFO_CONN_ENTRY_SIZE, mem.entry_size) ||
	    nla_put_u64_64bit(msg, SLUICE_A_INFO_CONN_BYTES, mem.bytes, SLUICE_A_PAD) ||
	    nla_put_u64_64bit(msg, SLUICE_A_INFO_CONN_EVICTED,
			      atomic64_read(&sn->conns.evicted), SLUICE_A_PAD) ||
	    nla_put_u64_64bit(msg, SLUICE_A_INFO_CONN_STATELESS,
			      atomic64_read(&sn->conns.stateless), SLUICE_A_PAD) ||
	    put_drops(msg, sn)) {
		mutex_unlock(&sn->config_lock);
		goto err_free;
	}
	mutex_unlock(&sn->config_lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

int sluice_nl_fill_config(struct sk_buff *msg, const struct sluice_config *cfg)
{
	struct nlattr *nest = nla_nest_start(msg, SLUICE_A_CONFIG);

	if (!nest ||
	    nla_put_u32(msg, SLUICE_CFG_A_TIMEOUT_TCP, cfg->timeout_tcp) ||
	    nla_put_u32(msg, SLUICE_CFG_A_TIMEOUT_TCP_FIN, cfg->timeout_tcp_fin) ||
	    nla_put_u32(msg, SLUICE_CFG_A_TIMEOUT_UDP, cfg->timeout_udp) ||
	    nla_put_u32(msg, SLUICE_CFG_A_CONN_MAX, cfg->conn_max) ||
	    nla_put_u64_64bit(msg, SLUICE_CFG_A_MH_SEED, cfg->mh_seed, SLUICE_CFG_A_PAD) ||
	    nla_put_in_addr(msg, SLUICE_CFG_A_TUN_SRC4, cfg->tun_src4) ||
	    nla_put_u8(msg, SLUICE_CFG_A_TUN_SRC4_PLEN, cfg->tun_src4_plen) ||
	    nla_put_in6_addr(msg, SLUICE_CFG_A_TUN_SRC6, &cfg->tun_src6) ||
	    nla_put_u8(msg, SLUICE_CFG_A_TUN_SRC6_PLEN, cfg->tun_src6_plen) ||
	    nla_put_u8(msg, SLUICE_CFG_A_TUN_TTL, cfg->tun_ttl) ||
	    nla_put_u8(msg, SLUICE_CFG_A_EXPIRE_NODEST, cfg->expire_nodest)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int sluice_cmd_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct sluice_net *sn = sluice_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = sluice_nl_put(msg, info->snd_portid, info->snd_seq, 0,
			    SLUICE_CMD_GET_CONFIG);
	mutex_lock(&sn->config_lock);
	err = hdr ? sluice_nl_fill_config(msg, &sn->cfg) : -EMSGSIZE;
	mutex_unlock(&sn->config_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int sluice_do_set_config(struct sluice_net *sn, struct genl_info *info)
{
	struct nlattr *tb[SLUICE_CFG_A_MAX + 1], *nest = info->attrs[SLUICE_A_CONFIG];
	struct sluice_config cfg;
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(info->extack, "missing CONFIG");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, SLUICE_A_CONFIG);
		return -EINVAL;
	}
	err = nla_parse_nested(tb, SLUICE_CFG_A_MAX, nest, sluice_cfg_policy,
			       info->extack);
	if (err)
		return err;

	mutex_lock(&sn->config_lock);
	cfg = sn->cfg;
	if (tb[SLUICE_CFG_A_TIMEOUT_TCP])
		cfg.timeout_tcp = nla_get_u32(tb[SLUICE_CFG_A_TIMEOUT_TCP]);
	if (tb[SLUICE_CFG_A_TIMEOUT_TCP_FIN])
		cfg.timeout_tcp_fin = nla_get_u32(tb[SLUICE_CFG_A_TIMEOUT_TCP_FIN]);
	if (tb[SLUICE_CFG_A_TIMEOUT_UDP])
		cfg.timeout_udp = nla_get_u32(tb[SLUICE_CFG_A_TIMEOUT_UDP]);
	if (tb[SLUICE_CFG_A_CONN_MAX])
		cfg.conn_max = nla_get_u32(tb[SLUICE_CFG_A_CONN_MAX]);
	if (tb[SLUICE_CFG_A_MH_SEED])
		cfg.mh_seed = nla_get_u64(tb[SLUICE_CFG_A_MH_SEED]);
	if (tb[SLUICE_CFG_A_TUN_SRC4])
		cfg.tun_src4 = nla_get_in_addr(tb[SLUICE_CFG_A_TUN_SRC4]);
	if (tb[SLUICE_CFG_A_TUN_SRC4_PLEN])
		cfg.tun_src4_plen = nla_get_u8(tb[SLUICE_CFG_A_TUN_SRC4_PLEN]);
	if (tb[SLUICE_CFG_A_TUN_SRC6])
		cfg.tun_src6 = nla_get_in6_addr(tb[SLUICE_CFG_A_TUN_SRC6]);
	if (tb[SLUICE_CFG_A_TUN_SRC6_PLEN])
		cfg.tun_src6_plen = nla_get_u8(tb[SLUICE_CFG_A_TUN_SRC6_PLEN]);
	if (tb[SLUICE_CFG_A_TUN_TTL])
		cfg.tun_ttl = nla_get_u8(tb[SLUICE_CFG_A_TUN_TTL]);
	if (tb[SLUICE_CFG_A_EXPIRE_NODEST])
		cfg.expire_nodest = nla_get_u8(tb[SLUICE_CFG_A_EXPIRE_NODEST]);
	err = sluice_config_set(sn, &cfg, info->extack);
	if (!err)
		sluice_nl_notify(sn, SLUICE_CMD_SET_CONFIG, NULL, NULL);
	mutex_unlock(&sn->config_lock);
	return err;
}

void sluice_nl_notify(struct sluice_net *sn, u8 cmd,
		      const struct sluice_service *svc,
		      const struct sluice_dest *dest)
{
	bool key_only = cmd == SLUICE_CMD_DEL_SERVICE || cmd == SLUICE_CMD_DEL_DEST ||
			cmd == SLUICE_CMD_ZERO || dest;
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_held(&sn->config_lock);
	if (!sn->events || !genl_has_listeners(&sluice_genl_family, sn->net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = sluice_nl_put(msg, 0, 0, 0, cmd);
	if (!hdr)
		goto err_free;
	if (svc && sluice_nl_fill_svc(msg, svc, key_only))
		goto err_free;
	if (dest && sluice_nl_fill_dest(msg, dest, cmd == SLUICE_CMD_DEL_DEST))
		goto err_free;
	if (cmd == SLUICE_CMD_SET_CONFIG && sluice_nl_fill_config(msg, &sn->cfg))
		goto err_free;
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&sluice_genl_family, sn->net, msg, 0, 0, GFP_KERNEL);
	return;

err_free:
	nlmsg_free(msg);
}

int sluice_do_set_maps(struct sluice_net *sn, struct genl_info *info)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SLUICE_A_MAP_REALS) ||
	    GENL_REQ_ATTR_CHECK(info, SLUICE_A_MAP_TC_CFG)) {
		NL_SET_ERR_MSG(info->extack, "SET_MAPS needs MAP_REALS and MAP_TC_CFG");
		return -EINVAL;
	}
	mutex_lock(&sn->config_lock);
	err = sluice_maps_set(sn, nla_get_u32(info->attrs[SLUICE_A_MAP_REALS]),
			      nla_get_u32(info->attrs[SLUICE_A_MAP_TC_CFG]), info->extack);
	mutex_unlock(&sn->config_lock);
	return err;
}

/* Commands whose bodies take the namespace's state (nl.h). */
static int (*const sluice_do_fns[])(struct sluice_net *, struct genl_info *) = {
	[SLUICE_CMD_NEW_SERVICE] = sluice_do_new_service,
	[SLUICE_CMD_SET_SERVICE] = sluice_do_set_service,
	[SLUICE_CMD_DEL_SERVICE] = sluice_do_del_service,
	[SLUICE_CMD_NEW_DEST] = sluice_do_new_dest,
	[SLUICE_CMD_SET_DEST] = sluice_do_set_dest,
	[SLUICE_CMD_DEL_DEST] = sluice_do_del_dest,
	[SLUICE_CMD_FLUSH] = sluice_do_flush,
	[SLUICE_CMD_ZERO] = sluice_do_zero,
	[SLUICE_CMD_SET_CONFIG] = sluice_do_set_config,
	[SLUICE_CMD_SET_MAPS] = sluice_do_set_maps,
};

static int sluice_cmd_do(struct sk_buff *skb, struct genl_info *info)
{
	return sluice_do_fns[info->genlhdr->cmd](sluice_pernet(genl_info_net(info)),
						 info);
}

#define SLUICE_OP(_cmd, _doit) \
	{ .cmd = _cmd, .doit = _doit, .flags = GENL_UNS_ADMIN_PERM }

static const struct genl_ops sluice_genl_ops[] = {
	SLUICE_OP(SLUICE_CMD_GET_INFO, sluice_cmd_get_info),
	SLUICE_OP(SLUICE_CMD_NEW_SERVICE, sluice_cmd_do),
	SLUICE_OP(SLUICE_CMD_SET_SERVICE, sluice_cmd_do),
	SLUICE_OP(SLUICE_CMD_DEL_SERVICE, sluice_cmd_do),
	{
		.cmd = SLUICE_CMD_GET_SERVICE,
		.doit = sluice_cmd_get_service,
		.dumpit = sluice_dump_services,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	SLUICE_OP(SLUICE_CMD_NEW_DEST, sluice_cmd_do),
	SLUICE_OP(SLUICE_CMD_SET_DEST, sluice_cmd_do),
	SLUICE_OP(SLUICE_CMD_DEL_DEST, sluice_cmd_do),
	{
		.cmd = SLUICE_CMD_GET_DEST,
		.dumpit = sluice_dump_dests,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	SLUICE_OP(SLUICE_CMD_FLUSH, sluice_cmd_do),
	SLUICE_OP(SLUICE_CMD_ZERO, sluice_cmd_do),
	SLUICE_OP(SLUICE_CMD_GET_CONFIG, sluice_cmd_get_config),
	SLUICE_OP(SLUICE_CMD_SET_CONFIG, sluice_cmd_do),
	SLUICE_OP(SLUICE_CMD_SET_MAPS, sluice_cmd_do),
	{
		.cmd = SLUICE_CMD_GET_CONN,
		.start = sluice_dump_conns_start,
		.dumpit = sluice_dump_conns,
		.done = sluice_dump_conns_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family sluice_genl_family __ro_after_init = {
	.name = SLUICE_GENL_NAME,
	.version = SLUICE_GENL_VERSION,
	.maxattr = SLUICE_A_MAX,
	.policy = sluice_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = sluice_genl_ops,
	.n_ops = ARRAY_SIZE(sluice_genl_ops),
	.mcgrps = sluice_mcgrps,
	.n_mcgrps = ARRAY_SIZE(sluice_mcgrps),
};

int sluice_genl_register(void)
{
	return genl_register_family(&sluice_genl_family);
}

void sluice_genl_unregister(void)
{
	genl_unregister_family(&sluice_genl_family);
}

/* Lets "modprobe"-style family resolution load the module on demand. */
MODULE_ALIAS_GENL_FAMILY(SLUICE_GENL_NAME);
