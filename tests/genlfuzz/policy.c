// SPDX-License-Identifier: GPL-2.0
/* Reading the family's policies with CTRL_CMD_GETPOLICY (see policy.h). */
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "policy.h"

int gf_int_size(uint32_t type)
{
	switch (type) {
	case NL_ATTR_TYPE_U8:
	case NL_ATTR_TYPE_S8:
		return 1;
	case NL_ATTR_TYPE_U16:
	case NL_ATTR_TYPE_S16:
		return 2;
	case NL_ATTR_TYPE_U32:
	case NL_ATTR_TYPE_S32:
	case NL_ATTR_TYPE_BITFIELD32:
		return 4;
	case NL_ATTR_TYPE_U64:
	case NL_ATTR_TYPE_S64:
		return 8;
	}
	return 0;
}

static void read_attr(struct gf_attr_policy *ap, struct nlattr *desc)
{
	struct nlattr *a;
	int rem;

	memset(ap, 0, sizeof(*ap));
	ap->nested = -1;
	nla_for_each_nested(a, desc, rem) {
		switch (nla_type(a)) {
		case NL_POLICY_TYPE_ATTR_TYPE:
			ap->type = nla_get_u32(a);
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			ap->min = (int64_t)nla_get_u64(a);
			ap->has_range = 1;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			ap->max = (int64_t)nla_get_u64(a);
			ap->has_range = 1;
			break;
		case NL_POLICY_TYPE_ATTR_MASK:
			ap->mask = nla_get_u64(a);
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			ap->min_len = nla_get_u32(a);
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			ap->max_len = nla_get_u32(a);
			break;
		case NL_POLICY_TYPE_ATTR_POLICY_IDX:
			ap->nested = (int)nla_get_u32(a);
			break;
		}
	}
}

/* One message: CTRL_ATTR_POLICY { policy index { attribute { desc } } }. */
static int on_policy(struct nl_msg *msg, void *arg)
{
	struct gf_policies *out = arg;
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *pol, *attr;
	int rem, rem2;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_POLICY])
		return NL_OK; /* the op-to-policy messages */
	nla_for_each_nested(pol, tb[CTRL_ATTR_POLICY], rem) {
		int idx = nla_type(pol);
		struct gf_policy *p;

		if (idx >= GF_MAX_POLICIES)
			continue;
		p = &out->p[idx];
		if (idx >= out->n)
			out->n = idx + 1;
		nla_for_each_nested(attr, pol, rem2) {
			int t = nla_type(attr);

			if (t >= GF_MAX_ATTRS)
				continue;
			read_attr(&p->a[t], attr);
			if (t > p->maxattr)
				p->maxattr = t;
			out->attrs++;
		}
	}
	return NL_OK;
}

int gf_policy_read(struct nl_sock *sk, int family, struct gf_policies *out)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	memset(out, 0, sizeof(*out));
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0,
			 NLM_F_DUMP, CTRL_CMD_GETPOLICY, 1) ||
	    nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, family)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_policy, out);
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	if (err < 0)
		return -EIO;
	return out->n && out->attrs ? 0 : -ENODATA;
}
