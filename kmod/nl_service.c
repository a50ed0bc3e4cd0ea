// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink: services and reals. The policies check types, lengths
 * and ranges; the parsers below check what a policy cannot (families,
 * combinations, primes) and name the attribute in the extended ack.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/socket.h>

#include "compat.h"
#include "maglev.h"
#include "nl.h"
#include "sched.h"

static const struct nla_policy stats_reject = {
	.type = NLA_REJECT, .reject_message = "read-only attribute",
};

static struct netlink_range_validation persist_range = {
	.max = SLUICE_TIMEOUT_MAX,
};

static struct netlink_range_validation mh_size_range = {
	.min = SLUICE_MH_SIZE_MIN, .max = SLUICE_MH_SIZE_MAX,
};

const struct nla_policy sluice_svc_policy[SLUICE_SVC_A_MAX + 1] = {
	[SLUICE_SVC_A_AF] = NLA_POLICY_RANGE(NLA_U16, AF_INET, AF_INET6),
	[SLUICE_SVC_A_PROTOCOL] = NLA_POLICY_RANGE(NLA_U8, IPPROTO_TCP, IPPROTO_UDP),
	[SLUICE_SVC_A_ADDR] = NLA_POLICY_EXACT_LEN(SLUICE_ADDR_LEN),
	[SLUICE_SVC_A_PORT] = { .type = NLA_BE16 },
	[SLUICE_SVC_A_FWMARK] = NLA_POLICY_MIN(NLA_U32, 1),
	[SLUICE_SVC_A_SCHED_NAME] = { .type = NLA_NUL_STRING,
				      .len = SLUICE_SCHED_NAME_MAX - 1 },
	[SLUICE_SVC_A_SCHED_FLAGS] = NLA_POLICY_MASK(NLA_U32, SLUICE_SCHED_F_ALL),
	[SLUICE_SVC_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, SLUICE_SVC_F_ALL),
	[SLUICE_SVC_A_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &persist_range),
	[SLUICE_SVC_A_PERSIST_PLEN] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
	[SLUICE_SVC_A_HASH_FIELDS] = NLA_POLICY_MASK(NLA_U32, SLUICE_HASH_5TUPLE),
	[SLUICE_SVC_A_MH_SIZE] = NLA_POLICY_FULL_RANGE(NLA_U32, &mh_size_range),
	[SLUICE_SVC_A_NUM_DESTS] = stats_reject,
	[SLUICE_SVC_A_STATS] = stats_reject,
};

static struct netlink_range_validation weight_range = {
	.max = SLUICE_WEIGHT_MAX,
};

const struct nla_policy sluice_dest_policy[SLUICE_DEST_A_MAX + 1] = {
	[SLUICE_DEST_A_AF] = NLA_POLICY_RANGE(NLA_U16, AF_INET, AF_INET6),
	[SLUICE_DEST_A_ADDR] = NLA_POLICY_EXACT_LEN(SLUICE_ADDR_LEN),
	[SLUICE_DEST_A_PORT] = { .type = NLA_BE16 },
	[SLUICE_DEST_A_FWD_METHOD] = NLA_POLICY_RANGE(NLA_U8, SLUICE_FWD_TUNNEL,
						      SLUICE_FWD_MAX),
	[SLUICE_DEST_A_WEIGHT] = NLA_POLICY_FULL_RANGE(NLA_U32, &weight_range),
	[SLUICE_DEST_A_U_THRESH] = { .type = NLA_U32 },
	[SLUICE_DEST_A_L_THRESH] = { .type = NLA_U32 },
	[SLUICE_DEST_A_ACTIVE_CONNS] = stats_reject,
	[SLUICE_DEST_A_INACT_CONNS] = stats_reject,
	[SLUICE_DEST_A_PERSIST_CONNS] = stats_reject,
	[SLUICE_DEST_A_REAL_INDEX] = stats_reject,
	[SLUICE_DEST_A_STATS] = stats_reject,
};

/*
 * Missing mandatory attribute @type of @nest (NULL: top level), and bad
 * attribute @attr: the extended ack names both; @msg is a literal.
 */
#define missing(extack, nest, type, msg) ({		\
	struct netlink_ext_ack *__e = (extack);		\
	NL_SET_ERR_MSG(__e, msg);			\
	NL_SET_ERR_ATTR_MISS(__e, nest, type);		\
	-EINVAL;					\
})

#define bad(extack, attr, msg, err) ({			\
	NL_SET_ERR_MSG_ATTR(extack, attr, msg);		\
	err;						\
})

static int check_af(struct netlink_ext_ack *extack, const struct nlattr *attr)
{
	u16 af = nla_get_u16(attr);

	if (af != AF_INET && af != AF_INET6)
		return bad(extack, attr, "family must be AF_INET or AF_INET6", -EINVAL);
	return 0;
}

/* An address attribute for @af: IPv4 leaves bytes 4..15 zero. */
static int get_addr(struct netlink_ext_ack *extack, const struct nlattr *attr,
		    u16 af, union nf_inet_addr *addr)
{
	nla_memcpy(addr, attr, sizeof(*addr));
	if (af == AF_INET && (addr->all[1] || addr->all[2] || addr->all[3]))
		return bad(extack, attr, "IPv4 address with bytes after the first 4",
			   -EINVAL);
	return 0;
}

/* The key attributes of a service nest: AF, then FWMARK or PROTOCOL+ADDR+PORT. */
static int parse_svc_key(struct nlattr **tb, const struct nlattr *nest,
			 struct sluice_svc_id *key, struct netlink_ext_ack *extack)
{
	int err;

	memset(key, 0, sizeof(*key));
	if (!tb[SLUICE_SVC_A_AF])
		return missing(extack, nest, SLUICE_SVC_A_AF, "service without AF");
	err = check_af(extack, tb[SLUICE_SVC_A_AF]);
	if (err)
		return err;
	key->af = nla_get_u16(tb[SLUICE_SVC_A_AF]);

	if (tb[SLUICE_SVC_A_FWMARK]) {
		if (tb[SLUICE_SVC_A_PROTOCOL] || tb[SLUICE_SVC_A_ADDR] ||
		    tb[SLUICE_SVC_A_PORT])
			return bad(extack, tb[SLUICE_SVC_A_FWMARK],
				   "FWMARK service with PROTOCOL, ADDR or PORT", -EINVAL);
		key->fwmark = nla_get_u32(tb[SLUICE_SVC_A_FWMARK]);
		return 0;
	}
	if (!tb[SLUICE_SVC_A_PROTOCOL])
		return missing(extack, nest, SLUICE_SVC_A_PROTOCOL,
			       "service without PROTOCOL (or FWMARK)");
	if (!tb[SLUICE_SVC_A_ADDR])
		return missing(extack, nest, SLUICE_SVC_A_ADDR, "service without ADDR");
	if (!tb[SLUICE_SVC_A_PORT])
		return missing(extack, nest, SLUICE_SVC_A_PORT, "service without PORT");
	key->proto = nla_get_u8(tb[SLUICE_SVC_A_PROTOCOL]);
	if (key->proto != IPPROTO_TCP && key->proto != IPPROTO_UDP)
		return bad(extack, tb[SLUICE_SVC_A_PROTOCOL],
			   "PROTOCOL must be TCP or UDP", -EINVAL);
	key->port = nla_get_be16(tb[SLUICE_SVC_A_PORT]);
	return get_addr(extack, tb[SLUICE_SVC_A_ADDR], key->af, &key->addr);
}

static const int svc_key_attrs[] = {
	SLUICE_SVC_A_AF, SLUICE_SVC_A_PROTOCOL, SLUICE_SVC_A_ADDR,
	SLUICE_SVC_A_PORT, SLUICE_SVC_A_FWMARK,
};

/*
 * The attributes left in @tb (the caller took the key's out), as
 * SVC_HAS() bits added to *@present; returns the first of them, if any.
 */
static const struct nlattr *settings_of(struct nlattr **tb, int max, u32 *present)
{
	const struct nlattr *first = NULL;
	int i;

	for (i = 0; i <= max; i++) {
		if (!tb[i])
			continue;
		*present |= SVC_HAS(i);
		if (!first)
			first = tb[i];
	}
	return first;
}

/* A service nest: the key, and the settings unless @key_only. */
static int parse_svc(const struct nlattr *nest, struct sluice_svc_conf *c,
		     bool key_only, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SLUICE_SVC_A_MAX + 1];
	const struct nlattr *first;
	int i, err;

	memset(c, 0, sizeof(*c));
	err = nla_parse_nested(tb, SLUICE_SVC_A_MAX, nest, sluice_svc_policy, extack);
	if (err)
		return err;
	err = parse_svc_key(tb, nest, &c->key, extack);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(svc_key_attrs); i++)
		tb[svc_key_attrs[i]] = NULL;
	first = settings_of(tb, SLUICE_SVC_A_MAX, &c->present);
	if (first && key_only)
		return bad(extack, first, "only the service's key belongs here", -EINVAL);
	if (tb[SLUICE_SVC_A_SCHED_NAME]) {
		nla_strscpy(c->sched_name, tb[SLUICE_SVC_A_SCHED_NAME],
			    sizeof(c->sched_name));
		if (!sluice_sched_get(c->sched_name))
			return bad(extack, tb[SLUICE_SVC_A_SCHED_NAME],
				   "unknown scheduler", -ENOENT);
	}
	if (tb[SLUICE_SVC_A_SCHED_FLAGS])
		c->sched_flags = nla_get_u32(tb[SLUICE_SVC_A_SCHED_FLAGS]);
	if (tb[SLUICE_SVC_A_FLAGS]) {
		c->flags = nla_get_u32(tb[SLUICE_SVC_A_FLAGS]);
		if ((c->flags & SLUICE_SVC_F_ONEPACKET) && c->key.proto != IPPROTO_UDP)
			return bad(extack, tb[SLUICE_SVC_A_FLAGS],
				   "one-packet scheduling is for UDP services", -EINVAL);
	}
	if (tb[SLUICE_SVC_A_TIMEOUT])
		c->timeout = nla_get_u32(tb[SLUICE_SVC_A_TIMEOUT]);
	if (tb[SLUICE_SVC_A_PERSIST_PLEN]) {
		c->persist_plen = nla_get_u8(tb[SLUICE_SVC_A_PERSIST_PLEN]);
		if (c->key.af == AF_INET && c->persist_plen > 32)
			return bad(extack, tb[SLUICE_SVC_A_PERSIST_PLEN],
				   "IPv4 prefix length over 32", -ERANGE);
	}
	if (tb[SLUICE_SVC_A_HASH_FIELDS]) {
		c->hash_fields = nla_get_u32(tb[SLUICE_SVC_A_HASH_FIELDS]);
		if (!(c->hash_fields & SLUICE_HASH_SRC_ADDR))
			return bad(extack, tb[SLUICE_SVC_A_HASH_FIELDS],
				   "hash fields must include the source address", -EINVAL);
	}
	if (tb[SLUICE_SVC_A_MH_SIZE]) {
		c->mh_size = nla_get_u32(tb[SLUICE_SVC_A_MH_SIZE]);
		if (!sluice_mh_size_ok(c->mh_size))
			return bad(extack, tb[SLUICE_SVC_A_MH_SIZE],
				   "Maglev table size must be a prime", -EINVAL);
	}
	return 0;
}

/* A top-level attribute the command cannot do without. */
static struct nlattr *need_attr(struct genl_info *info, int attr)
{
	if (!info->attrs[attr])
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	return info->attrs[attr];
}

#define need(info, attr, msg) ({					\
	struct genl_info *__i = (info);					\
	struct nlattr *__a = need_attr(__i, attr);			\
	if (!__a)							\
		NL_SET_ERR_MSG(__i->extack, msg);			\
	__a;								\
})

int sluice_nl_svc_key(struct sluice_net *sn, struct nlattr *nest,
		      struct sluice_service **svc, struct netlink_ext_ack *extack)
{
	struct sluice_svc_conf c;
	int err;

	err = parse_svc(nest, &c, true, extack);
	if (err)
		return err;
	*svc = sluice_svc_find(sn, &c.key);
	if (!*svc) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "no such service");
		return -ENOENT;
	}
	return 0;
}

/* Persistence is what makes a port-0 ("all ports") service meaningful. */
static int check_port0(const struct sluice_svc_id *key, u32 timeout,
		       struct netlink_ext_ack *extack)
{
	if (!key->fwmark && !key->port && !timeout) {
		NL_SET_ERR_MSG(extack, "port 0 (all ports) needs a persistence TIMEOUT");
		return -EINVAL;
	}
	return 0;
}

int sluice_do_new_service(struct sluice_net *sn, struct genl_info *info)
{
	struct nlattr *nest = need(info, SLUICE_A_SERVICE, "missing SERVICE");
	struct sluice_svc_conf c;
	int err;

	if (!nest)
		return -EINVAL;
	err = parse_svc(nest, &c, false, info->extack);
	if (err)
		return err;
	err = check_port0(&c.key, c.timeout, info->extack);
	if (err)
		return err;
	mutex_lock(&sn->config_lock);
	err = sluice_svc_add(sn, &c, info->extack);
	if (!err)
		sluice_nl_notify(sn, SLUICE_CMD_NEW_SERVICE,
				 sluice_svc_find(sn, &c.key), NULL);
	mutex_unlock(&sn->config_lock);
	return err;
}

int sluice_do_set_service(struct sluice_net *sn, struct genl_info *info)
{
	struct nlattr *nest = need(info, SLUICE_A_SERVICE, "missing SERVICE");
	struct sluice_service *svc;
	struct sluice_svc_conf c;
	int err;

	if (!nest)
		return -EINVAL;
	err = parse_svc(nest, &c, false, info->extack);
	if (err)
		return err;
	mutex_lock(&sn->config_lock);
	svc = sluice_svc_find(sn, &c.key);
	if (!svc) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "no such service");
		err = -ENOENT;
		goto out;
	}
	err = check_port0(&c.key, c.present & SVC_HAS(SLUICE_SVC_A_TIMEOUT) ?
			  c.timeout : svc->timeout, info->extack);
	if (err)
		goto out;
	err = sluice_svc_edit(svc, &c, info->extack);
	if (!err)
		sluice_nl_notify(sn, SLUICE_CMD_SET_SERVICE, svc, NULL);
out:
	mutex_unlock(&sn->config_lock);
	return err;
}

int sluice_do_del_service(struct sluice_net *sn, struct genl_info *info)
{
	struct nlattr *nest = need(info, SLUICE_A_SERVICE, "missing SERVICE");
	struct sluice_service *svc;
	int err;

	if (!nest)
		return -EINVAL;
	mutex_lock(&sn->config_lock);
	err = sluice_nl_svc_key(sn, nest, &svc, info->extack);
	if (!err) {
		sluice_nl_notify(sn, SLUICE_CMD_DEL_SERVICE, svc, NULL);
		sluice_svc_del(svc);
	}
	mutex_unlock(&sn->config_lock);
	return err;
}

/* A real nest: AF and ADDR always, the settings unless @key_only. */
static int parse_dest(const struct nlattr *nest, struct sluice_dest_conf *dc,
		      bool key_only, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SLUICE_DEST_A_MAX + 1];
	const struct nlattr *first;
	int err;

	memset(dc, 0, sizeof(*dc));
	err = nla_parse_nested(tb, SLUICE_DEST_A_MAX, nest, sluice_dest_policy, extack);
	if (err)
		return err;
	if (!tb[SLUICE_DEST_A_AF])
		return missing(extack, nest, SLUICE_DEST_A_AF, "real without AF");
	if (!tb[SLUICE_DEST_A_ADDR])
		return missing(extack, nest, SLUICE_DEST_A_ADDR, "real without ADDR");
	err = check_af(extack, tb[SLUICE_DEST_A_AF]);
	if (err)
		return err;
	dc->af = nla_get_u16(tb[SLUICE_DEST_A_AF]);
	err = get_addr(extack, tb[SLUICE_DEST_A_ADDR], dc->af, &dc->addr);
	if (err)
		return err;
	if (tb[SLUICE_DEST_A_PORT])
		dc->port = nla_get_be16(tb[SLUICE_DEST_A_PORT]);
	tb[SLUICE_DEST_A_AF] = NULL;
	tb[SLUICE_DEST_A_ADDR] = NULL;
	tb[SLUICE_DEST_A_PORT] = NULL;
	first = settings_of(tb, SLUICE_DEST_A_MAX, &dc->present);
	if (first && key_only)
		return bad(extack, first, "only the real's key belongs here", -EINVAL);
	if (tb[SLUICE_DEST_A_FWD_METHOD])
		dc->fwd = nla_get_u8(tb[SLUICE_DEST_A_FWD_METHOD]);
	if (tb[SLUICE_DEST_A_WEIGHT])
		dc->weight = nla_get_u32(tb[SLUICE_DEST_A_WEIGHT]);
	if (tb[SLUICE_DEST_A_U_THRESH])
		dc->u_thresh = nla_get_u32(tb[SLUICE_DEST_A_U_THRESH]);
	if (tb[SLUICE_DEST_A_L_THRESH])
		dc->l_thresh = nla_get_u32(tb[SLUICE_DEST_A_L_THRESH]);
	return 0;
}

/* Thresholds as they will be after the change: lower above upper is an error. */
static int check_thresholds(const struct sluice_dest_conf *dc,
			    const struct sluice_dest *dest,
			    struct netlink_ext_ack *extack)
{
	u32 u = dest ? dest->sd.u_threshold : 0, l = dest ? dest->sd.l_threshold : 0;

	if (dc->present & SVC_HAS(SLUICE_DEST_A_U_THRESH))
		u = dc->u_thresh;
	if (dc->present & SVC_HAS(SLUICE_DEST_A_L_THRESH))
		l = dc->l_thresh;
	if (l && (!u || l > u)) {
		NL_SET_ERR_MSG(extack, "L_THRESH needs a U_THRESH at least as large");
		return -EINVAL;
	}
	return 0;
}

enum dest_op { DEST_NEW, DEST_SET, DEST_DEL };

static int do_dest(struct sluice_net *sn, struct genl_info *info, enum dest_op op)
{
	struct nlattr *snest = need(info, SLUICE_A_SERVICE, "missing SERVICE");
	struct nlattr *dnest = need(info, SLUICE_A_DEST, "missing DEST");
	static const u8 cmd[] = { SLUICE_CMD_NEW_DEST, SLUICE_CMD_SET_DEST,
				  SLUICE_CMD_DEL_DEST };
	struct sluice_service *svc;
	struct sluice_dest_conf dc;
	struct sluice_dest *dest;
	int err;

	if (!snest || !dnest)
		return -EINVAL;
	err = parse_dest(dnest, &dc, op == DEST_DEL, info->extack);
	if (err)
		return err;
	mutex_lock(&sn->config_lock);
	err = sluice_nl_svc_key(sn, snest, &svc, info->extack);
	if (err)
		goto out;
	dest = sluice_dest_find(svc, &dc);
	if (op != DEST_NEW && !dest) {
		NL_SET_ERR_MSG_ATTR(info->extack, dnest, "the service has no such real");
		err = -ENOENT;
		goto out;
	}
	if (op != DEST_DEL) {
		err = check_thresholds(&dc, dest, info->extack);
		if (err)
			goto out;
	}
	switch (op) {
	case DEST_NEW:
		err = sluice_dest_add(svc, &dc, info->extack);
		if (!err)
			dest = sluice_dest_find(svc, &dc);
		break;
	case DEST_SET:
		err = sluice_dest_edit(dest, &dc, info->extack);
		break;
	case DEST_DEL:
		/* Keep it for the event: unlinked, it is freed after a grace period. */
		refcount_inc(&dest->refcnt);
		err = sluice_dest_del(dest, info->extack);
		if (!err)
			sluice_nl_notify(sn, cmd[op], svc, dest);
		sluice_dest_put(dest);
		goto out;
	}
	if (!err)
		sluice_nl_notify(sn, cmd[op], svc, dest);
out:
	mutex_unlock(&sn->config_lock);
	return err;
}

int sluice_do_new_dest(struct sluice_net *sn, struct genl_info *info)
{
	return do_dest(sn, info, DEST_NEW);
}

int sluice_do_set_dest(struct sluice_net *sn, struct genl_info *info)
{
	return do_dest(sn, info, DEST_SET);
}

int sluice_do_del_dest(struct sluice_net *sn, struct genl_info *info)
{
	return do_dest(sn, info, DEST_DEL);
}

int sluice_do_flush(struct sluice_net *sn, struct genl_info *info)
{
	mutex_lock(&sn->config_lock);
	sluice_svc_flush(sn);
	sluice_nl_notify(sn, SLUICE_CMD_FLUSH, NULL, NULL);
	mutex_unlock(&sn->config_lock);
	return 0;
}

int sluice_do_zero(struct sluice_net *sn, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[SLUICE_A_SERVICE];
	struct sluice_service *svc = NULL;
	int err = 0;

	mutex_lock(&sn->config_lock);
	if (nest) {
		err = sluice_nl_svc_key(sn, nest, &svc, info->extack);
		if (err)
			goto out;
		sluice_svc_zero(svc);
	} else {
		list_for_each_entry(svc, &sn->svc_list, list)
			sluice_svc_zero(svc);
		svc = NULL;
	}
	sluice_nl_notify(sn, SLUICE_CMD_ZERO, svc, NULL);
out:
	mutex_unlock(&sn->config_lock);
	return err;
}

static int put_stats(struct sk_buff *msg, int type, const struct sluice_stats *s)
{
	struct sluice_stats_sum sum;
	struct nlattr *nest;

	sluice_stats_read(s, &sum);
	nest = nla_nest_start(msg, type);
	if (!nest ||
	    nla_put_u64_64bit(msg, SLUICE_STATS_A_CONNS, sum.conns, SLUICE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, SLUICE_STATS_A_INPKTS, sum.inpkts, SLUICE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, SLUICE_STATS_A_INBYTES, sum.inbytes, SLUICE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, SLUICE_STATS_A_CPS, s->rate.cps, SLUICE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, SLUICE_STATS_A_INPPS, s->rate.inpps, SLUICE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, SLUICE_STATS_A_INBPS, s->rate.inbps, SLUICE_STATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int sluice_nl_fill_svc(struct sk_buff *msg, const struct sluice_service *svc,
		       bool key_only)
{
	const struct sluice_svc_id *k = &svc->key;
	struct sluice_sched_state *st;
	struct nlattr *nest;

	nest = nla_nest_start(msg, SLUICE_A_SERVICE);
	if (!nest || nla_put_u16(msg, SLUICE_SVC_A_AF, k->af))
		goto err;
	if (k->fwmark ? nla_put_u32(msg, SLUICE_SVC_A_FWMARK, k->fwmark) :
	    nla_put_u8(msg, SLUICE_SVC_A_PROTOCOL, k->proto) ||
	    nla_put(msg, SLUICE_SVC_A_ADDR, sizeof(k->addr), &k->addr) ||
	    nla_put_be16(msg, SLUICE_SVC_A_PORT, k->port))
		goto err;
	if (key_only)
		goto done;
	st = rcu_dereference_protected(svc->sched,
				       lockdep_is_held(&svc->sn->config_lock));
	if (nla_put_string(msg, SLUICE_SVC_A_SCHED_NAME, st->ops->name) ||
	    nla_put_u32(msg, SLUICE_SVC_A_SCHED_FLAGS, svc->sched_flags) ||
	    nla_put_u32(msg, SLUICE_SVC_A_FLAGS, svc->flags) ||
	    nla_put_u32(msg, SLUICE_SVC_A_TIMEOUT, svc->timeout) ||
	    nla_put_u8(msg, SLUICE_SVC_A_PERSIST_PLEN, svc->persist_plen) ||
	    nla_put_u32(msg, SLUICE_SVC_A_HASH_FIELDS, svc->hash_fields) ||
	    nla_put_u32(msg, SLUICE_SVC_A_MH_SIZE, svc->mh_size) ||
	    nla_put_u32(msg, SLUICE_SVC_A_NUM_DESTS, svc->ndests) ||
	    put_stats(msg, SLUICE_SVC_A_STATS, &svc->stats))
		goto err;
done:
	nla_nest_end(msg, nest);
	return 0;
err:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

int sluice_nl_fill_dest(struct sk_buff *msg, const struct sluice_dest *dest,
			bool key_only)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, SLUICE_A_DEST);
	if (!nest || nla_put_u16(msg, SLUICE_DEST_A_AF, dest->af) ||
	    nla_put(msg, SLUICE_DEST_A_ADDR, sizeof(dest->addr), &dest->addr) ||
	    nla_put_be16(msg, SLUICE_DEST_A_PORT, dest->port))
		goto err;
	if (key_only)
		goto done;
	if (nla_put_u8(msg, SLUICE_DEST_A_FWD_METHOD, dest->fwd) ||
	    nla_put_u32(msg, SLUICE_DEST_A_WEIGHT, dest->sd.weight) ||
	    nla_put_u32(msg, SLUICE_DEST_A_U_THRESH, dest->sd.u_threshold) ||
	    nla_put_u32(msg, SLUICE_DEST_A_L_THRESH, dest->sd.l_threshold) ||
	    nla_put_u32(msg, SLUICE_DEST_A_ACTIVE_CONNS,
			atomic_read(&dest->sd.activeconns)) ||
	    nla_put_u32(msg, SLUICE_DEST_A_INACT_CONNS,
			atomic_read(&dest->sd.inactconns)) ||
	    nla_put_u32(msg, SLUICE_DEST_A_PERSIST_CONNS,
			atomic_read(&dest->persistconns)) ||
	    nla_put_u32(msg, SLUICE_DEST_A_REAL_INDEX, dest->ep->slot) ||
	    put_stats(msg, SLUICE_DEST_A_STATS, &dest->stats))
		goto err;
done:
	nla_nest_end(msg, nest);
	return 0;
err:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

int sluice_cmd_get_service(struct sk_buff *skb, struct genl_info *info)
{
	struct sluice_net *sn = sluice_pernet(genl_info_net(info));
	struct nlattr *nest = need(info, SLUICE_A_SERVICE, "missing SERVICE");
	struct sluice_service *svc;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!nest)
		return -EINVAL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&sn->config_lock);
	err = sluice_nl_svc_key(sn, nest, &svc, info->extack);
	if (err)
		goto err_unlock;
	err = -EMSGSIZE;
	hdr = sluice_nl_put(msg, info->snd_portid, info->snd_seq, 0,
			    SLUICE_CMD_GET_SERVICE);
	if (!hdr || sluice_nl_fill_svc(msg, svc, false))
		goto err_unlock;
	genlmsg_end(msg, hdr);
	mutex_unlock(&sn->config_lock);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&sn->config_lock);
	nlmsg_free(msg);
	return err;
}

/* cb->args[0]: how many services were sent in earlier passes. */
int sluice_dump_services(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sluice_net *sn = sluice_pernet(sock_net(skb->sk));
	struct sluice_service *svc;
	long idx = 0, start = cb->args[0];
	void *hdr;

	mutex_lock(&sn->config_lock);
	cb->seq = sn->gen;
	list_for_each_entry(svc, &sn->svc_list, list) {
		if (idx++ < start)
			continue;
		hdr = sluice_nl_put(skb, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI,
				    SLUICE_CMD_GET_SERVICE);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (sluice_nl_fill_svc(skb, svc, false)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	mutex_unlock(&sn->config_lock);
	return skb->len;
}

/* cb->args[0]: how many reals were sent in earlier passes. */
int sluice_dump_dests(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sluice_net *sn = sluice_pernet(sock_net(skb->sk));
	struct nlattr **attrs = sluice_dump_attrs(cb);
	struct sluice_service *svc;
	struct sluice_dest *dest;
	long idx = 0, start = cb->args[0];
	void *hdr;
	int err;

	if (!attrs[SLUICE_A_SERVICE]) {
		NL_SET_ERR_MSG(cb->extack, "missing SERVICE");
		return -EINVAL;
	}
	mutex_lock(&sn->config_lock);
	cb->seq = sn->gen;
	err = sluice_nl_svc_key(sn, attrs[SLUICE_A_SERVICE], &svc, cb->extack);
	if (err) {
		mutex_unlock(&sn->config_lock);
		/* Gone between two passes: the dump ends there. */
		return start ? 0 : err;
	}
	list_for_each_entry(dest, &svc->dests, list) {
		if (idx++ < start)
			continue;
		hdr = sluice_nl_put(skb, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI,
				    SLUICE_CMD_GET_DEST);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (sluice_nl_fill_svc(skb, svc, true) ||
		    sluice_nl_fill_dest(skb, dest, false)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	mutex_unlock(&sn->config_lock);
	return skb->len;
}

static int fill_conn(struct sk_buff *skb, struct netlink_callback *cb,
		     const struct sluice_conn *c)
{
	const struct sluice_conn_key *k = &c->key;
	const struct sluice_dest *d = c->dest;
	long left = (long)(READ_ONCE(c->expires) - jiffies);
	struct nlattr *nest;
	void *hdr;

	hdr = sluice_nl_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq, NLM_F_MULTI,
			    SLUICE_CMD_GET_CONN);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, SLUICE_A_CONN);
	if (!nest || nla_put_u16(skb, SLUICE_CONN_A_AF, k->af) ||
	    nla_put_u8(skb, SLUICE_CONN_A_PROTOCOL, k->proto) ||
	    nla_put(skb, SLUICE_CONN_A_CADDR, sizeof(k->saddr), &k->saddr) ||
	    nla_put_be16(skb, SLUICE_CONN_A_CPORT, k->sport) ||
	    nla_put(skb, SLUICE_CONN_A_VADDR, sizeof(k->daddr), &k->daddr) ||
	    nla_put_be16(skb, SLUICE_CONN_A_VPORT, k->dport) ||
	    nla_put_u16(skb, SLUICE_CONN_A_DAF, d->af) ||
	    nla_put(skb, SLUICE_CONN_A_DADDR, sizeof(d->addr), &d->addr) ||
	    nla_put_be16(skb, SLUICE_CONN_A_DPORT, d->port) ||
	    nla_put_u8(skb, SLUICE_CONN_A_STATE, READ_ONCE(c->state)) ||
	    nla_put_u32(skb, SLUICE_CONN_A_EXPIRES, left > 0 ? jiffies_to_msecs(left) : 0)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: the table walk (conn.c). */
int sluice_dump_conns_start(struct netlink_callback *cb)
{
	return sluice_conn_dump_start(sluice_pernet(sock_net(cb->skb->sk)), cb);
}

int sluice_dump_conns(struct sk_buff *skb, struct netlink_callback *cb)
{
	return sluice_conn_dump(skb, cb, fill_conn);
}

int sluice_dump_conns_done(struct netlink_callback *cb)
{
	return sluice_conn_dump_done(cb);
}
