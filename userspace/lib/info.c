// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "info.h"

static struct nla_policy info_policy[SLUICE_A_MAX + 1] = {
	[SLUICE_A_INFO_VERSION] = { .type = NLA_STRING,
				    .maxlen = SLUICE_STR_MAX },
	[SLUICE_A_INFO_KERNEL] = { .type = NLA_STRING,
				   .maxlen = SLUICE_STR_MAX },
	[SLUICE_A_INFO_NETNS_COOKIE] = { .type = NLA_U64 },
	[SLUICE_A_INFO_SERVICES] = { .type = NLA_U32 },
	[SLUICE_A_INFO_CONN_MAX] = { .type = NLA_U32 },
	[SLUICE_A_INFO_CONNS] = { .type = NLA_U32 },
	[SLUICE_A_INFO_DROPS] = { .type = NLA_NESTED },
	[SLUICE_A_INFO_CONN_EVICTED] = { .type = NLA_U64 },
	[SLUICE_A_INFO_CONN_STATELESS] = { .type = NLA_U64 },
};

const char *const sluice_drop_names[SLUICE_DROPS_MAX] = {
	[SLUICE_DROP_MALFORMED] = "malformed",
	[SLUICE_DROP_FRAGMENT] = "fragment",
	[SLUICE_DROP_IP_OPTIONS] = "ip-options",
	[SLUICE_DROP_NO_SERVICE] = "no-service",
	[SLUICE_DROP_NO_DEST] = "no-real",
	[SLUICE_DROP_NO_ROUTE] = "no-route",
	[SLUICE_DROP_TOO_BIG] = "too-big",
	[SLUICE_DROP_NO_MEMORY] = "no-memory",
	[SLUICE_DROP_PROBE_NO_REAL] = "probe-no-real",
};

static int parse_info(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[SLUICE_A_MAX + 1];
	struct sluice_info *info = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SLUICE_A_MAX, info_policy) < 0)
		return -EPROTO;
	if (!tb[SLUICE_A_INFO_VERSION] || !tb[SLUICE_A_INFO_KERNEL] ||
	    !tb[SLUICE_A_INFO_NETNS_COOKIE])
		return -EPROTO;
	nla_strlcpy(info->version, tb[SLUICE_A_INFO_VERSION],
		    sizeof(info->version));
	nla_strlcpy(info->kernel, tb[SLUICE_A_INFO_KERNEL],
		    sizeof(info->kernel));
	info->netns_cookie = nla_get_u64(tb[SLUICE_A_INFO_NETNS_COOKIE]);
	if (tb[SLUICE_A_INFO_SERVICES])
		info->services = nla_get_u32(tb[SLUICE_A_INFO_SERVICES]);
	if (tb[SLUICE_A_INFO_CONN_MAX])
		info->conn_max = nla_get_u32(tb[SLUICE_A_INFO_CONN_MAX]);
	if (tb[SLUICE_A_INFO_CONNS])
		info->conns = nla_get_u32(tb[SLUICE_A_INFO_CONNS]);
	if (tb[SLUICE_A_INFO_CONN_BUCKETS])
		info->conn_buckets =
			nla_get_u32(tb[SLUICE_A_INFO_CONN_BUCKETS]);
	if (tb[SLUICE_A_INFO_CONN_ENTRY_SIZE])
		info->conn_entry_size =
			nla_get_u32(tb[SLUICE_A_INFO_CONN_ENTRY_SIZE]);
	if (tb[SLUICE_A_INFO_CONN_BYTES])
		info->conn_bytes = nla_get_u64(tb[SLUICE_A_INFO_CONN_BYTES]);
	if (tb[SLUICE_A_INFO_CONN_EVICTED])
		info->conn_evicted =
			nla_get_u64(tb[SLUICE_A_INFO_CONN_EVICTED]);
	if (tb[SLUICE_A_INFO_CONN_STATELESS])
		info->conn_stateless =
			nla_get_u64(tb[SLUICE_A_INFO_CONN_STATELESS]);
	if (tb[SLUICE_A_INFO_DROPS]) {
		struct nlattr *a;
		int rem;

		nla_for_each_nested(a, tb[SLUICE_A_INFO_DROPS], rem)
			if (nla_type(a) >= 1 &&
			    nla_type(a) <= SLUICE_DROPS_MAX &&
			    nla_len(a) == sizeof(uint64_t))
				info->drops[nla_type(a) - 1] = nla_get_u64(a);
	}
	return 0;
}

int sluice_get_info(struct sluice_nl *nl, struct sluice_info *info)
{
	struct nl_msg *msg = sluice_nl_msg(nl, SLUICE_CMD_GET_INFO, 0);

	if (!msg)
		return -ENOMEM;
	memset(info, 0, sizeof(*info));
	return sluice_nl_exec(nl, msg, parse_info, info);
}
