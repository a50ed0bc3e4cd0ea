/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink layer's internals: the policies (the uapi header is
 * their specification) and the command bodies, which take the namespace's
 * state explicitly so that the KUnit suite can run them on a private one.
 */
#ifndef _SLUICE_NL_H
#define _SLUICE_NL_H

#include <net/genetlink.h>
#include <linux/sluice.h>

#include "service.h"

extern const struct nla_policy sluice_policy[SLUICE_A_MAX + 1];
extern const struct nla_policy sluice_svc_policy[SLUICE_SVC_A_MAX + 1];
extern const struct nla_policy sluice_dest_policy[SLUICE_DEST_A_MAX + 1];
extern const struct nla_policy sluice_cfg_policy[SLUICE_CFG_A_MAX + 1];

/* Command bodies (nl_service.c, netlink.c): @info->attrs parsed. */
int sluice_do_new_service(struct sluice_net *sn, struct genl_info *info);
int sluice_do_set_service(struct sluice_net *sn, struct genl_info *info);
int sluice_do_del_service(struct sluice_net *sn, struct genl_info *info);
int sluice_do_new_dest(struct sluice_net *sn, struct genl_info *info);
int sluice_do_set_dest(struct sluice_net *sn, struct genl_info *info);
int sluice_do_del_dest(struct sluice_net *sn, struct genl_info *info);
int sluice_do_flush(struct sluice_net *sn, struct genl_info *info);
int sluice_do_zero(struct sluice_net *sn, struct genl_info *info);
int sluice_do_set_config(struct sluice_net *sn, struct genl_info *info);
int sluice_do_set_maps(struct sluice_net *sn, struct genl_info *info);

/* Parsing and filling shared by the do and dump handlers. */
int sluice_nl_svc_key(struct sluice_net *sn, struct nlattr *nest,
		      struct sluice_service **svc, struct netlink_ext_ack *extack);
int sluice_nl_fill_svc(struct sk_buff *msg, const struct sluice_service *svc,
		       bool key_only);
int sluice_nl_fill_dest(struct sk_buff *msg, const struct sluice_dest *dest,
			bool key_only);
int sluice_nl_fill_config(struct sk_buff *msg, const struct sluice_config *cfg);

/* Message header for @cmd, on the family (netlink.c). */
void *sluice_nl_put(struct sk_buff *msg, u32 portid, u32 seq, int flags, u8 cmd);

/*
 * Event to the namespace's listeners after a change (netlink.c): @cmd with
 * the service and/or real (key only for deletions), config_lock held.
 */
void sluice_nl_notify(struct sluice_net *sn, u8 cmd,
		      const struct sluice_service *svc,
		      const struct sluice_dest *dest);

/* Dumps (nl_service.c). */
int sluice_dump_services(struct sk_buff *skb, struct netlink_callback *cb);
int sluice_dump_dests(struct sk_buff *skb, struct netlink_callback *cb);
int sluice_dump_conns_start(struct netlink_callback *cb);
int sluice_dump_conns(struct sk_buff *skb, struct netlink_callback *cb);
int sluice_dump_conns_done(struct netlink_callback *cb);
int sluice_cmd_get_service(struct sk_buff *skb, struct genl_info *info);

#endif /* _SLUICE_NL_H */
