// SPDX-License-Identifier: GPL-2.0
/* Services, reals and settings over generic netlink (see services.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "grow.h"
#include "services.h"

static struct nla_policy top_policy[SLUICE_A_MAX + 1] = {
	[SLUICE_A_SERVICE] = { .type = NLA_NESTED },
	[SLUICE_A_DEST] = { .type = NLA_NESTED },
	[SLUICE_A_CONFIG] = { .type = NLA_NESTED },
};

static struct nla_policy svc_policy[SLUICE_SVC_A_MAX + 1] = {
	[SLUICE_SVC_A_AF] = { .type = NLA_U16 },
	[SLUICE_SVC_A_PROTOCOL] = { .type = NLA_U8 },
	[SLUICE_SVC_A_ADDR] = { .minlen = SLUICE_ADDR_LEN },
	[SLUICE_SVC_A_PORT] = { .type = NLA_U16 },
	[SLUICE_SVC_A_FWMARK] = { .type = NLA_U32 },
	/*
	 * Read as the kernel reads its NLA_NUL_STRING: up to the first NUL,
	 * whatever follows it (libnl's NLA_STRING wants the NUL last).
	 */
	[SLUICE_SVC_A_SCHED_NAME] = { .minlen = 1 },
	[SLUICE_SVC_A_SCHED_FLAGS] = { .type = NLA_U32 },
	[SLUICE_SVC_A_FLAGS] = { .type = NLA_U32 },
	[SLUICE_SVC_A_TIMEOUT] = { .type = NLA_U32 },
	[SLUICE_SVC_A_PERSIST_PLEN] = { .type = NLA_U8 },
	[SLUICE_SVC_A_HASH_FIELDS] = { .type = NLA_U32 },
	[SLUICE_SVC_A_MH_SIZE] = { .type = NLA_U32 },
	[SLUICE_SVC_A_NUM_DESTS] = { .type = NLA_U32 },
	[SLUICE_SVC_A_STATS] = { .type = NLA_NESTED },
};

static struct nla_policy dest_policy[SLUICE_DEST_A_MAX + 1] = {
	[SLUICE_DEST_A_AF] = { .type = NLA_U16 },
	[SLUICE_DEST_A_ADDR] = { .minlen = SLUICE_ADDR_LEN },
	[SLUICE_DEST_A_PORT] = { .type = NLA_U16 },
	[SLUICE_DEST_A_FWD_METHOD] = { .type = NLA_U8 },
	[SLUICE_DEST_A_WEIGHT] = { .type = NLA_U32 },
	[SLUICE_DEST_A_U_THRESH] = { .type = NLA_U32 },
	[SLUICE_DEST_A_L_THRESH] = { .type = NLA_U32 },
	[SLUICE_DEST_A_ACTIVE_CONNS] = { .type = NLA_U32 },
	[SLUICE_DEST_A_INACT_CONNS] = { .type = NLA_U32 },
	[SLUICE_DEST_A_PERSIST_CONNS] = { .type = NLA_U32 },
	[SLUICE_DEST_A_REAL_INDEX] = { .type = NLA_U32 },
	[SLUICE_DEST_A_STATS] = { .type = NLA_NESTED },
};

static struct nla_policy cfg_policy[SLUICE_CFG_A_MAX + 1] = {
	[SLUICE_CFG_A_TIMEOUT_TCP] = { .type = NLA_U32 },
	[SLUICE_CFG_A_TIMEOUT_TCP_FIN] = { .type = NLA_U32 },
	[SLUICE_CFG_A_TIMEOUT_UDP] = { .type = NLA_U32 },
	[SLUICE_CFG_A_CONN_MAX] = { .type = NLA_U32 },
	[SLUICE_CFG_A_MH_SEED] = { .type = NLA_U64 },
	[SLUICE_CFG_A_TUN_SRC4] = { .minlen = 4 },
	[SLUICE_CFG_A_TUN_SRC4_PLEN] = { .type = NLA_U8 },
	[SLUICE_CFG_A_TUN_SRC6] = { .minlen = 16 },
	[SLUICE_CFG_A_TUN_SRC6_PLEN] = { .type = NLA_U8 },
	[SLUICE_CFG_A_TUN_TTL] = { .type = NLA_U8 },
	[SLUICE_CFG_A_EXPIRE_NODEST] = { .type = NLA_U8 },
};

static struct nla_policy stats_policy[SLUICE_STATS_A_MAX + 1] = {
	[SLUICE_STATS_A_CONNS] = { .type = NLA_U64 },
	[SLUICE_STATS_A_INPKTS] = { .type = NLA_U64 },
	[SLUICE_STATS_A_INBYTES] = { .type = NLA_U64 },
	[SLUICE_STATS_A_OUTPKTS] = { .type = NLA_U64 },
	[SLUICE_STATS_A_OUTBYTES] = { .type = NLA_U64 },
	[SLUICE_STATS_A_CPS] = { .type = NLA_U64 },
	[SLUICE_STATS_A_INPPS] = { .type = NLA_U64 },
	[SLUICE_STATS_A_INBPS] = { .type = NLA_U64 },
	[SLUICE_STATS_A_OUTPPS] = { .type = NLA_U64 },
	[SLUICE_STATS_A_OUTBPS] = { .type = NLA_U64 },
};

/* ---- requests ---- */

int sluice_put_svc(struct nl_msg *msg, const struct sluice_svc *s, int key_only)
{
	struct nlattr *nest = nla_nest_start(msg, SLUICE_A_SERVICE);
	uint32_t p = key_only ? 0 : s->present;

	if (!nest || nla_put_u16(msg, SLUICE_SVC_A_AF, s->af))
		return -EMSGSIZE;
	if (s->fwmark) {
		if (nla_put_u32(msg, SLUICE_SVC_A_FWMARK, s->fwmark))
			return -EMSGSIZE;
	} else if (nla_put_u8(msg, SLUICE_SVC_A_PROTOCOL, s->proto) ||
		   nla_put(msg, SLUICE_SVC_A_ADDR, SLUICE_ADDR_LEN, s->addr) ||
		   nla_put_u16(msg, SLUICE_SVC_A_PORT, htons(s->port))) {
		return -EMSGSIZE;
	}
#define PUT(attr, fn, val)                                \
	if ((p & SLUICE_HAS(attr)) && fn(msg, attr, val)) \
		return -EMSGSIZE;
	PUT(SLUICE_SVC_A_SCHED_NAME, nla_put_string, s->sched)
	PUT(SLUICE_SVC_A_SCHED_FLAGS, nla_put_u32, s->sched_flags)
	PUT(SLUICE_SVC_A_FLAGS, nla_put_u32, s->flags)
	PUT(SLUICE_SVC_A_TIMEOUT, nla_put_u32, s->timeout)
	PUT(SLUICE_SVC_A_PERSIST_PLEN, nla_put_u8, s->persist_plen)
	PUT(SLUICE_SVC_A_HASH_FIELDS, nla_put_u32, s->hash_fields)
	PUT(SLUICE_SVC_A_MH_SIZE, nla_put_u32, s->mh_size)
	nla_nest_end(msg, nest);
	return 0;
}

int sluice_put_dest(struct nl_msg *msg, const struct sluice_dest *d,
		    int key_only)
{
	struct nlattr *nest = nla_nest_start(msg, SLUICE_A_DEST);
	uint32_t p = key_only ? 0 : d->present;

	if (!nest || nla_put_u16(msg, SLUICE_DEST_A_AF, d->af) ||
	    nla_put(msg, SLUICE_DEST_A_ADDR, SLUICE_ADDR_LEN, d->addr) ||
	    nla_put_u16(msg, SLUICE_DEST_A_PORT, htons(d->port)))
		return -EMSGSIZE;
	PUT(SLUICE_DEST_A_FWD_METHOD, nla_put_u8, d->fwd)
	PUT(SLUICE_DEST_A_WEIGHT, nla_put_u32, d->weight)
	PUT(SLUICE_DEST_A_U_THRESH, nla_put_u32, d->u_thresh)
	PUT(SLUICE_DEST_A_L_THRESH, nla_put_u32, d->l_thresh)
	nla_nest_end(msg, nest);
	return 0;
}

int sluice_put_cfg(struct nl_msg *msg, const struct sluice_cfg *c)
{
	struct nlattr *nest = nla_nest_start(msg, SLUICE_A_CONFIG);
	uint32_t p = c->present;

	if (!nest)
		return -EMSGSIZE;
	PUT(SLUICE_CFG_A_TIMEOUT_TCP, nla_put_u32, c->timeout_tcp)
	PUT(SLUICE_CFG_A_TIMEOUT_TCP_FIN, nla_put_u32, c->timeout_tcp_fin)
	PUT(SLUICE_CFG_A_TIMEOUT_UDP, nla_put_u32, c->timeout_udp)
	PUT(SLUICE_CFG_A_CONN_MAX, nla_put_u32, c->conn_max)
	PUT(SLUICE_CFG_A_MH_SEED, nla_put_u64, c->mh_seed)
	if ((p & SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4)) &&
	    nla_put(msg, SLUICE_CFG_A_TUN_SRC4, 4, c->tun_src4))
		return -EMSGSIZE;
	PUT(SLUICE_CFG_A_TUN_SRC4_PLEN, nla_put_u8, c->tun_src4_plen)
	if ((p & SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6)) &&
	    nla_put(msg, SLUICE_CFG_A_TUN_SRC6, 16, c->tun_src6))
		return -EMSGSIZE;
	PUT(SLUICE_CFG_A_TUN_SRC6_PLEN, nla_put_u8, c->tun_src6_plen)
	PUT(SLUICE_CFG_A_TUN_TTL, nla_put_u8, c->tun_ttl)
	PUT(SLUICE_CFG_A_EXPIRE_NODEST, nla_put_u8, c->expire_nodest)
#undef PUT
	nla_nest_end(msg, nest);
	return 0;
}

int sluice_request_msg(struct sluice_nl *nl, uint8_t cmd, int flags,
		       const struct sluice_svc *svc, int svc_key_only,
		       const struct sluice_dest *dest, int dest_key_only,
		       const struct sluice_cfg *cfg, struct nl_msg **out)
{
	struct nl_msg *msg = sluice_nl_msg(nl, cmd, flags);

	if (!msg)
		return -ENOMEM;
	if ((svc && sluice_put_svc(msg, svc, svc_key_only)) ||
	    (dest && sluice_put_dest(msg, dest, dest_key_only)) ||
	    (cfg && sluice_put_cfg(msg, cfg))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	*out = msg;
	return 0;
}

/* Build @cmd with the parts given (NULL: absent), send, parse replies. */
static int request(struct sluice_nl *nl, uint8_t cmd, int flags,
		   const struct sluice_svc *svc, int svc_key_only,
		   const struct sluice_dest *dest, int dest_key_only,
		   const struct sluice_cfg *cfg,
		   int (*parse)(struct nl_msg *, void *), void *arg)
{
	struct nl_msg *msg;
	int err = sluice_request_msg(nl, cmd, flags, svc, svc_key_only, dest,
				     dest_key_only, cfg, &msg);

	return err ? err : sluice_nl_exec(nl, msg, parse, arg);
}

/* ---- replies ---- */

static void get_stats(struct nlattr *nest, struct sluice_stats *st)
{
	struct nlattr *tb[SLUICE_STATS_A_MAX + 1];
	uint64_t *v[SLUICE_STATS_A_MAX + 1] = {
		[SLUICE_STATS_A_CONNS] = &st->conns,
		[SLUICE_STATS_A_INPKTS] = &st->inpkts,
		[SLUICE_STATS_A_INBYTES] = &st->inbytes,
		[SLUICE_STATS_A_OUTPKTS] = &st->outpkts,
		[SLUICE_STATS_A_OUTBYTES] = &st->outbytes,
		[SLUICE_STATS_A_CPS] = &st->cps,
		[SLUICE_STATS_A_INPPS] = &st->inpps,
		[SLUICE_STATS_A_INBPS] = &st->inbps,
		[SLUICE_STATS_A_OUTPPS] = &st->outpps,
		[SLUICE_STATS_A_OUTBPS] = &st->outbps,
	};
	int i;

	memset(st, 0, sizeof(*st));
	if (!nest ||
	    nla_parse_nested(tb, SLUICE_STATS_A_MAX, nest, stats_policy) < 0)
		return;
	for (i = 0; i <= SLUICE_STATS_A_MAX; i++)
		if (tb[i] && v[i])
			*v[i] = nla_get_u64(tb[i]);
}

static struct nlattr *top_attr(struct nl_msg *msg, int type)
{
	struct nlattr *tb[SLUICE_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SLUICE_A_MAX, top_policy) < 0)
		return NULL;
	return tb[type];
}

static uint16_t get_port(const struct nlattr *a)
{
	return ntohs(nla_get_u16(a));
}

/* The SLUICE_HAS() bits of the attributes in @tb[0..@max]. */
static uint32_t seen(struct nlattr **tb, int max)
{
	uint32_t p = 0;
	int i;

	for (i = 0; i <= max && i < 32; i++)
		if (tb[i])
			p |= SLUICE_HAS(i);
	return p;
}

#define GET(tb, attr, field, fn)              \
	do {                                  \
		if (tb[attr])                 \
			field = fn(tb[attr]); \
	} while (0)

int sluice_msg_svc(struct nl_msg *msg, struct sluice_svc *s)
{
	struct nlattr *nest = top_attr(msg, SLUICE_A_SERVICE),
		      *tb[SLUICE_SVC_A_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (!nest)
		return 0;
	if (nla_parse_nested(tb, SLUICE_SVC_A_MAX, nest, svc_policy) < 0 ||
	    !tb[SLUICE_SVC_A_AF])
		return -EPROTO;
	GET(tb, SLUICE_SVC_A_AF, s->af, nla_get_u16);
	GET(tb, SLUICE_SVC_A_PROTOCOL, s->proto, nla_get_u8);
	if (tb[SLUICE_SVC_A_ADDR])
		memcpy(s->addr, nla_data(tb[SLUICE_SVC_A_ADDR]),
		       SLUICE_ADDR_LEN);
	GET(tb, SLUICE_SVC_A_PORT, s->port, get_port);
	GET(tb, SLUICE_SVC_A_FWMARK, s->fwmark, nla_get_u32);
	if (tb[SLUICE_SVC_A_SCHED_NAME])
		nla_strlcpy(s->sched, tb[SLUICE_SVC_A_SCHED_NAME],
			    sizeof(s->sched));
	GET(tb, SLUICE_SVC_A_SCHED_FLAGS, s->sched_flags, nla_get_u32);
	GET(tb, SLUICE_SVC_A_FLAGS, s->flags, nla_get_u32);
	GET(tb, SLUICE_SVC_A_TIMEOUT, s->timeout, nla_get_u32);
	GET(tb, SLUICE_SVC_A_PERSIST_PLEN, s->persist_plen, nla_get_u8);
	GET(tb, SLUICE_SVC_A_HASH_FIELDS, s->hash_fields, nla_get_u32);
	GET(tb, SLUICE_SVC_A_MH_SIZE, s->mh_size, nla_get_u32);
	GET(tb, SLUICE_SVC_A_NUM_DESTS, s->ndests, nla_get_u32);
	get_stats(tb[SLUICE_SVC_A_STATS], &s->stats);
	s->present = seen(tb, SLUICE_SVC_A_MAX);
	return 1;
}

int sluice_msg_dest(struct nl_msg *msg, struct sluice_dest *d)
{
	struct nlattr *nest = top_attr(msg, SLUICE_A_DEST),
		      *tb[SLUICE_DEST_A_MAX + 1];

	memset(d, 0, sizeof(*d));
	if (!nest)
		return 0;
	if (nla_parse_nested(tb, SLUICE_DEST_A_MAX, nest, dest_policy) < 0 ||
	    !tb[SLUICE_DEST_A_AF] || !tb[SLUICE_DEST_A_ADDR])
		return -EPROTO;
	GET(tb, SLUICE_DEST_A_AF, d->af, nla_get_u16);
	memcpy(d->addr, nla_data(tb[SLUICE_DEST_A_ADDR]), SLUICE_ADDR_LEN);
	GET(tb, SLUICE_DEST_A_PORT, d->port, get_port);
	GET(tb, SLUICE_DEST_A_FWD_METHOD, d->fwd, nla_get_u8);
	GET(tb, SLUICE_DEST_A_WEIGHT, d->weight, nla_get_u32);
	GET(tb, SLUICE_DEST_A_U_THRESH, d->u_thresh, nla_get_u32);
	GET(tb, SLUICE_DEST_A_L_THRESH, d->l_thresh, nla_get_u32);
	GET(tb, SLUICE_DEST_A_ACTIVE_CONNS, d->activeconns, nla_get_u32);
	GET(tb, SLUICE_DEST_A_INACT_CONNS, d->inactconns, nla_get_u32);
	GET(tb, SLUICE_DEST_A_PERSIST_CONNS, d->persistconns, nla_get_u32);
	GET(tb, SLUICE_DEST_A_REAL_INDEX, d->real_index, nla_get_u32);
	get_stats(tb[SLUICE_DEST_A_STATS], &d->stats);
	d->present = seen(tb, SLUICE_DEST_A_MAX);
	return 1;
}

int sluice_msg_cfg(struct nl_msg *msg, struct sluice_cfg *c)
{
	struct nlattr *nest = top_attr(msg, SLUICE_A_CONFIG),
		      *tb[SLUICE_CFG_A_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (!nest)
		return 0;
	if (nla_parse_nested(tb, SLUICE_CFG_A_MAX, nest, cfg_policy) < 0)
		return -EPROTO;
	GET(tb, SLUICE_CFG_A_TIMEOUT_TCP, c->timeout_tcp, nla_get_u32);
	GET(tb, SLUICE_CFG_A_TIMEOUT_TCP_FIN, c->timeout_tcp_fin, nla_get_u32);
	GET(tb, SLUICE_CFG_A_TIMEOUT_UDP, c->timeout_udp, nla_get_u32);
	GET(tb, SLUICE_CFG_A_CONN_MAX, c->conn_max, nla_get_u32);
	GET(tb, SLUICE_CFG_A_MH_SEED, c->mh_seed, nla_get_u64);
	if (tb[SLUICE_CFG_A_TUN_SRC4])
		memcpy(c->tun_src4, nla_data(tb[SLUICE_CFG_A_TUN_SRC4]), 4);
	if (tb[SLUICE_CFG_A_TUN_SRC6])
		memcpy(c->tun_src6, nla_data(tb[SLUICE_CFG_A_TUN_SRC6]), 16);
	GET(tb, SLUICE_CFG_A_TUN_SRC4_PLEN, c->tun_src4_plen, nla_get_u8);
	GET(tb, SLUICE_CFG_A_TUN_SRC6_PLEN, c->tun_src6_plen, nla_get_u8);
	GET(tb, SLUICE_CFG_A_TUN_TTL, c->tun_ttl, nla_get_u8);
	GET(tb, SLUICE_CFG_A_EXPIRE_NODEST, c->expire_nodest, nla_get_u8);
	c->present = seen(tb, SLUICE_CFG_A_MAX);
	return 1;
}

/* ---- commands ---- */

uint32_t sluice_default_hash(const char *sched)
{
	return strcmp(sched, "sh") ? SLUICE_HASH_5TUPLE : SLUICE_HASH_SRC_ADDR;
}

int sluice_svc_cmd(struct sluice_nl *nl, uint8_t cmd,
		   const struct sluice_svc *svc)
{
	return request(nl, cmd, 0, svc, cmd == SLUICE_CMD_DEL_SERVICE, NULL, 0,
		       NULL, NULL, NULL);
}

static int parse_one_svc(struct nl_msg *msg, void *arg)
{
	return sluice_msg_svc(msg, arg) == 1 ? 0 : -EPROTO;
}

int sluice_svc_get(struct sluice_nl *nl, const struct sluice_svc *key,
		   struct sluice_svc *out)
{
	return request(nl, SLUICE_CMD_GET_SERVICE, 0, key, 1, NULL, 0, NULL,
		       parse_one_svc, out);
}

struct list_state {
	int (*svc_fn)(const struct sluice_svc *, void *);
	int (*dest_fn)(const struct sluice_dest *, void *);
	void *arg;
	int stopped;
};

static int parse_svc_item(struct nl_msg *msg, void *arg)
{
	struct list_state *ls = arg;
	struct sluice_svc s;
	int err;

	if (ls->stopped)
		return 0;
	if (sluice_msg_svc(msg, &s) != 1)
		return -EPROTO;
	err = ls->svc_fn(&s, ls->arg);
	if (err)
		ls->stopped = err;
	return 0;
}

static int parse_dest_item(struct nl_msg *msg, void *arg)
{
	struct list_state *ls = arg;
	struct sluice_dest d;
	int err;

	if (ls->stopped)
		return 0;
	if (sluice_msg_dest(msg, &d) != 1)
		return -EPROTO;
	err = ls->dest_fn(&d, ls->arg);
	if (err)
		ls->stopped = err;
	return 0;
}

int sluice_svc_list(struct sluice_nl *nl,
		    int (*fn)(const struct sluice_svc *svc, void *arg),
		    void *arg)
{
	struct list_state ls = { .svc_fn = fn, .arg = arg };
	int err;

	err = request(nl, SLUICE_CMD_GET_SERVICE, NLM_F_DUMP, NULL, 0, NULL, 0,
		      NULL, parse_svc_item, &ls);
	return err ? err : ls.stopped;
}

int sluice_dest_cmd(struct sluice_nl *nl, uint8_t cmd,
		    const struct sluice_svc *svc,
		    const struct sluice_dest *dest)
{
	return request(nl, cmd, 0, svc, 1, dest, cmd == SLUICE_CMD_DEL_DEST,
		       NULL, NULL, NULL);
}

int sluice_dest_list(struct sluice_nl *nl, const struct sluice_svc *svc,
		     int (*fn)(const struct sluice_dest *dest, void *arg),
		     void *arg)
{
	struct list_state ls = { .dest_fn = fn, .arg = arg };
	int err;

	err = request(nl, SLUICE_CMD_GET_DEST, NLM_F_DUMP, svc, 1, NULL, 0,
		      NULL, parse_dest_item, &ls);
	return err ? err : ls.stopped;
}

int sluice_flush(struct sluice_nl *nl)
{
	return request(nl, SLUICE_CMD_FLUSH, 0, NULL, 0, NULL, 0, NULL, NULL,
		       NULL);
}

int sluice_zero(struct sluice_nl *nl, const struct sluice_svc *svc)
{
	return request(nl, SLUICE_CMD_ZERO, 0, svc, 1, NULL, 0, NULL, NULL,
		       NULL);
}

static int parse_cfg(struct nl_msg *msg, void *arg)
{
	return sluice_msg_cfg(msg, arg) == 1 ? 0 : -EPROTO;
}

int sluice_cfg_get(struct sluice_nl *nl, struct sluice_cfg *cfg)
{
	return request(nl, SLUICE_CMD_GET_CONFIG, 0, NULL, 0, NULL, 0, NULL,
		       parse_cfg, cfg);
}

int sluice_cfg_set(struct sluice_nl *nl, const struct sluice_cfg *cfg)
{
	return request(nl, SLUICE_CMD_SET_CONFIG, 0, NULL, 0, NULL, 0, cfg,
		       NULL, NULL);
}

int sluice_set_maps_msg(struct sluice_nl *nl, int reals_fd, int tc_cfg_fd,
			struct nl_msg **out)
{
	struct nl_msg *msg = sluice_nl_msg(nl, SLUICE_CMD_SET_MAPS, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, SLUICE_A_MAP_REALS, reals_fd) ||
	    nla_put_u32(msg, SLUICE_A_MAP_TC_CFG, tc_cfg_fd)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	*out = msg;
	return 0;
}

int sluice_set_maps(struct sluice_nl *nl, int reals_fd, int tc_cfg_fd)
{
	struct nl_msg *msg;
	int err = sluice_set_maps_msg(nl, reals_fd, tc_cfg_fd, &msg);

	return err ? err : sluice_nl_exec(nl, msg, NULL, NULL);
}

static struct nla_policy conn_policy[SLUICE_CONN_A_MAX + 1] = {
	[SLUICE_CONN_A_AF] = { .type = NLA_U16 },
	[SLUICE_CONN_A_PROTOCOL] = { .type = NLA_U8 },
	[SLUICE_CONN_A_CADDR] = { .minlen = 16 },
	[SLUICE_CONN_A_CPORT] = { .type = NLA_U16 },
	[SLUICE_CONN_A_VADDR] = { .minlen = 16 },
	[SLUICE_CONN_A_VPORT] = { .type = NLA_U16 },
	[SLUICE_CONN_A_DAF] = { .type = NLA_U16 },
	[SLUICE_CONN_A_DADDR] = { .minlen = 16 },
	[SLUICE_CONN_A_DPORT] = { .type = NLA_U16 },
	[SLUICE_CONN_A_STATE] = { .type = NLA_U8 },
	[SLUICE_CONN_A_EXPIRES] = { .type = NLA_U32 },
};

struct conn_list_state {
	int (*fn)(const struct sluice_conn *, void *);
	void *arg;
	int stopped;
};

static int parse_conn_item(struct nl_msg *msg, void *arg)
{
	struct nlattr *nest = top_attr(msg, SLUICE_A_CONN),
		      *tb[SLUICE_CONN_A_MAX + 1];
	struct conn_list_state *ls = arg;
	struct sluice_conn c = { 0 };
	int i;

	if (ls->stopped)
		return 0;
	if (!nest ||
	    nla_parse_nested(tb, SLUICE_CONN_A_MAX, nest, conn_policy) < 0)
		return -EPROTO;
	for (i = SLUICE_CONN_A_AF; i <= SLUICE_CONN_A_MAX; i++)
		if (!tb[i])
			return -EPROTO;
	c.af = nla_get_u16(tb[SLUICE_CONN_A_AF]);
	c.daf = nla_get_u16(tb[SLUICE_CONN_A_DAF]);
	c.proto = nla_get_u8(tb[SLUICE_CONN_A_PROTOCOL]);
	c.state = nla_get_u8(tb[SLUICE_CONN_A_STATE]);
	memcpy(c.caddr, nla_data(tb[SLUICE_CONN_A_CADDR]), SLUICE_ADDR_LEN);
	memcpy(c.vaddr, nla_data(tb[SLUICE_CONN_A_VADDR]), SLUICE_ADDR_LEN);
	memcpy(c.daddr, nla_data(tb[SLUICE_CONN_A_DADDR]), SLUICE_ADDR_LEN);
	c.cport = get_port(tb[SLUICE_CONN_A_CPORT]);
	c.vport = get_port(tb[SLUICE_CONN_A_VPORT]);
	c.dport = get_port(tb[SLUICE_CONN_A_DPORT]);
	c.expires_ms = nla_get_u32(tb[SLUICE_CONN_A_EXPIRES]);
	ls->stopped = ls->fn(&c, ls->arg);
	return 0;
}

int sluice_conn_list(struct sluice_nl *nl,
		     int (*fn)(const struct sluice_conn *c, void *arg),
		     void *arg)
{
	struct conn_list_state ls = { .fn = fn, .arg = arg };
	int err;

	err = request(nl, SLUICE_CMD_GET_CONN, NLM_F_DUMP, NULL, 0, NULL, 0,
		      NULL, parse_conn_item, &ls);
	return err ? err : ls.stopped;
}

int sluice_svc_array_add(const struct sluice_svc *s, void *arg)
{
	struct sluice_svc_array *a = arg;

	if (SLUICE_GROW(a->v, a->n, a->cap, 64))
		return -ENOMEM;
	a->v[a->n++] = *s;
	return 0;
}
