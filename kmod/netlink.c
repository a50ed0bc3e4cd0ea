// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "sluice". include/uapi/linux/sluice.h is its
 * specification; every attribute is validated by the strict policy below.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <generated/utsrelease.h>
#include <net/genetlink.h>
#include <linux/sluice.h>

#include "compat.h"
#include "sluice.h"

static const struct nla_policy sluice_policy[SLUICE_A_MAX + 1] = {
	[SLUICE_A_INFO_VERSION] = { .type = NLA_NUL_STRING,
				    .len = SLUICE_STR_MAX - 1 },
	[SLUICE_A_INFO_KERNEL] = { .type = NLA_NUL_STRING,
				   .len = SLUICE_STR_MAX - 1 },
	[SLUICE_A_INFO_NETNS_COOKIE] = { .type = NLA_U64 },
};

static struct genl_family sluice_genl_family;

static int sluice_fill_info(struct sk_buff *msg, struct net *net,
			    const struct genl_info *info)
{
	void *hdr;

	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq,
			  &sluice_genl_family, 0, SLUICE_CMD_GET_INFO);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_string(msg, SLUICE_A_INFO_VERSION, SLUICE_VERSION) ||
	    nla_put_string(msg, SLUICE_A_INFO_KERNEL, UTS_RELEASE) ||
	    nla_put_u64_64bit(msg, SLUICE_A_INFO_NETNS_COOKIE,
			      net->net_cookie, SLUICE_A_PAD)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

static int sluice_cmd_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	err = sluice_fill_info(msg, net, info);
	if (err)
		goto err_free;

	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

static const struct genl_small_ops sluice_genl_ops[] = {
	{
		.cmd = SLUICE_CMD_GET_INFO,
		.doit = sluice_cmd_get_info,
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
	.small_ops = sluice_genl_ops,
	.n_small_ops = ARRAY_SIZE(sluice_genl_ops),
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
