// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the control plane, run on a private namespace state
 * (struct sluice_net not tied to a netns, events off) with the module's own
 * files compiled in:
 *
 *   sluice_netlink: every policy boundary (just inside and just outside
 *     each range), missing mandatory attributes, duplicates, unknown
 *     scheduler, oversize strings. Requests are real generic netlink
 *     messages validated exactly as the genetlink core does (strict
 *     nlmsg_parse with the family policy), then run by the command bodies.
 *     A rejected request must leave the state as it was (generation and
 *     service count), an accepted one must change it.
 *   sluice_control: Maglev through the service layer (same table whatever
 *     the order reals were added in, weight 0 gets no slots, a new table
 *     published on every change), and scheduling after edits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/socket.h>

#include "../netlink.c"
#include "../nl_service.c"
#include "../sched.c"
#include "../sched_classic.c"
#include "../conn.c"
#include "../maps.c"
#include "../sched_mh.c"
#include "../service.c"
#include "../stats.c"
#include "nl_kunit.h"

/* What netns.c would own; the command bodies here get their state directly. */
unsigned int sluice_net_id;

/* What hooks.c would own: private tables never register hooks (service.c). */
int sluice_hooks_register(struct net *net)
{
	return -EOPNOTSUPP;
}

void sluice_hooks_unregister(struct net *net)
{
}

/* est.c's: nor do they start the estimator. */
void sluice_est_start(struct sluice_net *sn)
{
}

/* One attribute of a request: in nest @nest (0: top level). */
struct kattr {
	u16 nest;
	u16 type;
	u8 size;		/* 1, 2, 4, 8; 16 = address; 0 = string */
	u64 val;
	const char *str;
	const u8 *bytes;
};

#define MAX_KATTRS	6

struct nl_case {
	const char *name;
	u8 cmd;
	bool with_svc;		/* first add service 10.0.0.9:80/tcp, real 192.168.0.9 */
	u32 omit;		/* default key attributes (KEY_*) left out */
	struct kattr a[MAX_KATTRS];
	int want;
};

#define KEY_SVC		BIT(0)	/* SLUICE_A_SERVICE with AF, PROTOCOL, ADDR, PORT */
#define KEY_DEST	BIT(1)	/* SLUICE_A_DEST with AF, ADDR */
#define NO_AF		BIT(2)
#define NO_PROTO	BIT(3)
#define NO_ADDR		BIT(4)
#define NO_PORT		BIT(5)
#define NO_DAF		BIT(6)
#define NO_DADDR	BIT(7)

#define S(t, sz, v)	{ SLUICE_A_SERVICE, t, sz, v }
#define D(t, sz, v)	{ SLUICE_A_DEST, t, sz, v }
#define C(t, sz, v)	{ SLUICE_A_CONFIG, t, sz, v }
#define SSTR(t, s)	{ SLUICE_A_SERVICE, t, 0, 0, s }

static const u8 v4_vip[16] = { 10, 0, 0, 9 };
static const u8 v4_real[16] = { 192, 168, 0, 9 };
static const u8 v4_real2[16] = { 192, 168, 0, 10 };
static const u8 v4_junk[16] = { 10, 0, 0, 9, 0, 0, 0, 1 };

/* Has @c an attribute of @type in @nest (which replaces a default)? */
static bool has(const struct nl_case *c, u16 nest, u16 type)
{
	int i;

	for (i = 0; i < MAX_KATTRS; i++)
		if (c->a[i].nest == nest && c->a[i].type == type && (c->a[i].size || c->a[i].str))
			return true;
	return false;
}

static int put_kattr(struct sk_buff *skb, const struct kattr *a)
{
	switch (a->size) {
	case 0:
		return nla_put_string(skb, a->type, a->str);
	case 1:
		return nla_put_u8(skb, a->type, a->val);
	case 2:
		return nla_put_u16(skb, a->type, a->val);
	case 4:
		return nla_put_u32(skb, a->type, a->val);
	case 8:
		return nla_put_u64_64bit(skb, a->type, a->val, 1);
	default:
		return nla_put(skb, a->type, a->size, a->bytes);
	}
}

static void put_nest(struct kunit *test, struct sk_buff *skb, const struct nl_case *c,
		     u16 nest)
{
	struct nlattr *n = nla_nest_start(skb, nest);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, n);
	if (nest == SLUICE_A_SERVICE) {
		if (!(c->omit & NO_AF) && !has(c, nest, SLUICE_SVC_A_AF))
			nla_put_u16(skb, SLUICE_SVC_A_AF, AF_INET);
		if (!(c->omit & NO_PROTO) && !has(c, nest, SLUICE_SVC_A_PROTOCOL) &&
		    !has(c, nest, SLUICE_SVC_A_FWMARK))
			nla_put_u8(skb, SLUICE_SVC_A_PROTOCOL, IPPROTO_TCP);
		if (!(c->omit & NO_ADDR) && !has(c, nest, SLUICE_SVC_A_ADDR) &&
		    !has(c, nest, SLUICE_SVC_A_FWMARK))
			nla_put(skb, SLUICE_SVC_A_ADDR, 16, v4_vip);
		if (!(c->omit & NO_PORT) && !has(c, nest, SLUICE_SVC_A_PORT) &&
		    !has(c, nest, SLUICE_SVC_A_FWMARK))
			nla_put_be16(skb, SLUICE_SVC_A_PORT, htons(80));
	} else if (nest == SLUICE_A_DEST) {
		if (!(c->omit & NO_DAF) && !has(c, nest, SLUICE_DEST_A_AF))
			nla_put_u16(skb, SLUICE_DEST_A_AF, AF_INET);
		if (!(c->omit & NO_DADDR) && !has(c, nest, SLUICE_DEST_A_ADDR))
			nla_put(skb, SLUICE_DEST_A_ADDR, 16, v4_real);
	}
	for (i = 0; i < MAX_KATTRS; i++)
		if (c->a[i].nest == nest && (c->a[i].size || c->a[i].str))
			KUNIT_ASSERT_EQ(test, put_kattr(skb, &c->a[i]), 0);
	nla_nest_end(skb, n);
}

/* Build @c as a generic netlink request, validate it as genetlink does, run it. */
static int run_request(struct kunit *test, struct sluice_net *sn, const struct nl_case *c,
		       u32 keys)
{
	struct nlattr *attrs[SLUICE_A_MAX + 1];
	struct netlink_ext_ack extack = {};
	struct genl_info info = {};
	struct genlmsghdr *hdr;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	int err, i;
	bool nests[SLUICE_A_MAX + 1] = {};

	skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nlh = nlmsg_put(skb, 0, 1, 0x10, GENL_HDRLEN, 0);
	KUNIT_ASSERT_NOT_NULL(test, nlh);
	hdr = nlmsg_data(nlh);
	hdr->cmd = c->cmd;
	hdr->version = SLUICE_GENL_VERSION;
	nests[SLUICE_A_SERVICE] = keys & KEY_SVC;
	nests[SLUICE_A_DEST] = keys & KEY_DEST;
	for (i = 0; i < MAX_KATTRS; i++)
		if (c->a[i].size || c->a[i].str)
			nests[c->a[i].nest] = true;
	for (i = 1; i <= SLUICE_A_MAX; i++)
		if (nests[i])
			put_nest(test, skb, c, i);
	for (i = 0; i < MAX_KATTRS; i++)	/* top-level attributes */
		if (!c->a[i].nest && c->a[i].size)
			KUNIT_ASSERT_EQ(test, put_kattr(skb, &c->a[i]), 0);
	nlmsg_end(skb, nlh);

	err = nlmsg_parse(nlh, GENL_HDRLEN, attrs, SLUICE_A_MAX, sluice_policy, &extack);
	if (!err) {
		info.nlhdr = nlh;
		info.genlhdr = hdr;
		info.attrs = attrs;
		info.extack = &extack;
		/* The family's own table of command bodies (netlink.c). */
		err = sluice_do_fns[c->cmd](sn, &info);
	}
	if (err)
		KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "%s: error %d without a message",
					  c->name, err);
	kfree_skb(skb);
	return err;
}

static const u32 keys_of[] = {
	[SLUICE_CMD_NEW_SERVICE] = KEY_SVC, [SLUICE_CMD_SET_SERVICE] = KEY_SVC,
	[SLUICE_CMD_DEL_SERVICE] = KEY_SVC, [SLUICE_CMD_NEW_DEST] = KEY_SVC | KEY_DEST,
	[SLUICE_CMD_SET_DEST] = KEY_SVC | KEY_DEST, [SLUICE_CMD_DEL_DEST] = KEY_SVC | KEY_DEST,
	[SLUICE_CMD_ZERO] = 0, [SLUICE_CMD_SET_CONFIG] = 0,
};

#define NEW_SVC	SLUICE_CMD_NEW_SERVICE
#define NEW_DST	SLUICE_CMD_NEW_DEST
#define SET_DST	SLUICE_CMD_SET_DEST
#define SET_CFG	SLUICE_CMD_SET_CONFIG
#define TMAX	SLUICE_TIMEOUT_MAX
#define CMIN	SLUICE_CONN_MAX_MIN
#define CMAX	SLUICE_CONN_MAX_MAX

static const struct nl_case nl_cases[] = {
	{ "svc-defaults", NEW_SVC, false, 0, {}, 0 },
	{ "svc-duplicate", NEW_SVC, true, 0, {}, -EEXIST },
	{ "svc-missing-nest", NEW_SVC, false, KEY_SVC, {}, -EINVAL },
	{ "svc-missing-af", NEW_SVC, false, NO_AF, {}, -EINVAL },
	{ "svc-missing-proto", NEW_SVC, false, NO_PROTO, {}, -EINVAL },
	{ "svc-missing-addr", NEW_SVC, false, NO_ADDR, {}, -EINVAL },
	{ "svc-missing-port", NEW_SVC, false, NO_PORT, {}, -EINVAL },
	{ "af-1", NEW_SVC, false, 0, { S(SLUICE_SVC_A_AF, 2, 1) }, -ERANGE },
	{ "af-2", NEW_SVC, false, 0, { S(SLUICE_SVC_A_AF, 2, 2) }, 0 },
	{ "af-3", NEW_SVC, false, 0, { S(SLUICE_SVC_A_AF, 2, 3) }, -EINVAL },
	{ "af-10", NEW_SVC, false, 0, { S(SLUICE_SVC_A_AF, 2, 10) }, 0 },
	{ "af-11", NEW_SVC, false, 0, { S(SLUICE_SVC_A_AF, 2, 11) }, -ERANGE },
	{ "af-as-u32", NEW_SVC, false, 0, { S(SLUICE_SVC_A_AF, 4, 2) }, -EINVAL },
	{ "proto-5", NEW_SVC, false, 0, { S(SLUICE_SVC_A_PROTOCOL, 1, 5) }, -ERANGE },
	{ "proto-6", NEW_SVC, false, 0, { S(SLUICE_SVC_A_PROTOCOL, 1, 6) }, 0 },
	{ "proto-7", NEW_SVC, false, 0, { S(SLUICE_SVC_A_PROTOCOL, 1, 7) }, -EINVAL },
	{ "proto-17", NEW_SVC, false, 0, { S(SLUICE_SVC_A_PROTOCOL, 1, 17) }, 0 },
	{ "proto-18", NEW_SVC, false, 0, { S(SLUICE_SVC_A_PROTOCOL, 1, 18) }, -ERANGE },
	{ "addr-15-bytes", NEW_SVC, false, 0,
	  { { SLUICE_A_SERVICE, SLUICE_SVC_A_ADDR, 15, 0, NULL, v4_vip } }, -ERANGE },
	{ "addr-v4-junk", NEW_SVC, false, 0,
	  { { SLUICE_A_SERVICE, SLUICE_SVC_A_ADDR, 16, 0, NULL, v4_junk } }, -EINVAL },
	{ "port-0-not-persistent", NEW_SVC, false, 0, { S(SLUICE_SVC_A_PORT, 2, 0) }, -EINVAL },
	{ "port-0-persistent", NEW_SVC, false, 0,
	  { S(SLUICE_SVC_A_PORT, 2, 0), S(SLUICE_SVC_A_TIMEOUT, 4, 1) }, 0 },
	{ "fwmark-0", NEW_SVC, false, NO_PROTO | NO_ADDR | NO_PORT,
	  { S(SLUICE_SVC_A_FWMARK, 4, 0) }, -ERANGE },
	{ "fwmark-1", NEW_SVC, false, 0, { S(SLUICE_SVC_A_FWMARK, 4, 1) }, 0 },
	{ "fwmark-with-port", NEW_SVC, false, NO_PROTO | NO_ADDR,
	  { S(SLUICE_SVC_A_FWMARK, 4, 1), S(SLUICE_SVC_A_PORT, 2, 80) }, -EINVAL },
	{ "sched-rr", NEW_SVC, false, 0, { SSTR(SLUICE_SVC_A_SCHED_NAME, "rr") }, 0 },
	{ "sched-wrr", NEW_SVC, false, 0, { SSTR(SLUICE_SVC_A_SCHED_NAME, "wrr") }, 0 },
	{ "sched-sh", NEW_SVC, false, 0, { SSTR(SLUICE_SVC_A_SCHED_NAME, "sh") }, 0 },
	{ "sched-lc", NEW_SVC, false, 0, { SSTR(SLUICE_SVC_A_SCHED_NAME, "lc") }, 0 },
	{ "sched-wlc", NEW_SVC, false, 0, { SSTR(SLUICE_SVC_A_SCHED_NAME, "wlc") }, 0 },
	{ "sched-unknown", NEW_SVC, false, 0, { SSTR(SLUICE_SVC_A_SCHED_NAME, "fifo") }, -ENOENT },
	{ "sched-15-chars", NEW_SVC, false, 0,
	  { SSTR(SLUICE_SVC_A_SCHED_NAME, "abcdefghijklmno") }, -ENOENT },
	{ "sched-16-chars", NEW_SVC, false, 0,
	  { SSTR(SLUICE_SVC_A_SCHED_NAME, "abcdefghijklmnop") }, -EINVAL },
	{ "sched-flags-1", NEW_SVC, false, 0, { S(SLUICE_SVC_A_SCHED_FLAGS, 4, 1) }, 0 },
	{ "sched-flags-2", NEW_SVC, false, 0, { S(SLUICE_SVC_A_SCHED_FLAGS, 4, 2) }, -EINVAL },
	{ "flags-onepacket-udp", NEW_SVC, false, 0,
	  { S(SLUICE_SVC_A_PROTOCOL, 1, 17), S(SLUICE_SVC_A_FLAGS, 4, 1) }, 0 },
	{ "flags-onepacket-tcp", NEW_SVC, false, 0, { S(SLUICE_SVC_A_FLAGS, 4, 1) }, -EINVAL },
	{ "flags-2", NEW_SVC, false, 0, { S(SLUICE_SVC_A_FLAGS, 4, 2) }, -EINVAL },
	{ "timeout-max", NEW_SVC, false, 0, { S(SLUICE_SVC_A_TIMEOUT, 4, TMAX) }, 0 },
	{ "timeout-max+1", NEW_SVC, false, 0, { S(SLUICE_SVC_A_TIMEOUT, 4, TMAX + 1) }, -ERANGE },
	{ "plen-0", NEW_SVC, false, 0, { S(SLUICE_SVC_A_PERSIST_PLEN, 1, 0) }, -ERANGE },
	{ "plen-1", NEW_SVC, false, 0, { S(SLUICE_SVC_A_PERSIST_PLEN, 1, 1) }, 0 },
	{ "plen-32-v4", NEW_SVC, false, 0, { S(SLUICE_SVC_A_PERSIST_PLEN, 1, 32) }, 0 },
	{ "plen-33-v4", NEW_SVC, false, 0, { S(SLUICE_SVC_A_PERSIST_PLEN, 1, 33) }, -ERANGE },
	{ "plen-128-v6", NEW_SVC, false, 0,
	  { S(SLUICE_SVC_A_AF, 2, 10), S(SLUICE_SVC_A_PERSIST_PLEN, 1, 128) }, 0 },
	{ "plen-129-v6", NEW_SVC, false, 0,
	  { S(SLUICE_SVC_A_AF, 2, 10), S(SLUICE_SVC_A_PERSIST_PLEN, 1, 129) }, -ERANGE },
	{ "hash-5tuple", NEW_SVC, false, 0, { S(SLUICE_SVC_A_HASH_FIELDS, 4, 0x1f) }, 0 },
	{ "hash-src-only", NEW_SVC, false, 0, { S(SLUICE_SVC_A_HASH_FIELDS, 4, 0x1) }, 0 },
	{ "hash-no-src", NEW_SVC, false, 0, { S(SLUICE_SVC_A_HASH_FIELDS, 4, 0x1e) }, -EINVAL },
	{ "hash-bit-5", NEW_SVC, false, 0, { S(SLUICE_SVC_A_HASH_FIELDS, 4, 0x21) }, -EINVAL },
	{ "mh-250", NEW_SVC, false, 0, { S(SLUICE_SVC_A_MH_SIZE, 4, 250) }, -ERANGE },
	{ "mh-251", NEW_SVC, false, 0, { S(SLUICE_SVC_A_MH_SIZE, 4, 251) }, 0 },
	{ "mh-253-not-prime", NEW_SVC, false, 0, { S(SLUICE_SVC_A_MH_SIZE, 4, 253) }, -EINVAL },
	{ "mh-131071", NEW_SVC, false, 0, { S(SLUICE_SVC_A_MH_SIZE, 4, 131071) }, 0 },
	{ "mh-131072", NEW_SVC, false, 0, { S(SLUICE_SVC_A_MH_SIZE, 4, 131072) }, -ERANGE },
	{ "num-dests-read-only", NEW_SVC, false, 0, { S(SLUICE_SVC_A_NUM_DESTS, 4, 1) }, -EINVAL },
	{ "svc-unknown-attr", NEW_SVC, false, 0, { S(SLUICE_SVC_A_MAX + 1, 4, 1) }, -EINVAL },
	{ "top-unknown-attr", NEW_SVC, false, 0, { { 0, SLUICE_A_MAX + 1, 4, 1 } }, -EINVAL },
	{ "top-read-only", NEW_SVC, false, 0, { { 0, SLUICE_A_INFO_SERVICES, 4, 1 } }, -EINVAL },
	{ "set-svc-unknown", SLUICE_CMD_SET_SERVICE, false, 0, {}, -ENOENT },
	{ "set-svc-sched", SLUICE_CMD_SET_SERVICE, true, 0,
	  { SSTR(SLUICE_SVC_A_SCHED_NAME, "wlc") }, 0 },
	{ "set-svc-sched-unknown", SLUICE_CMD_SET_SERVICE, true, 0,
	  { SSTR(SLUICE_SVC_A_SCHED_NAME, "nope") }, -ENOENT },
	{ "del-svc", SLUICE_CMD_DEL_SERVICE, true, 0, {}, 0 },
	{ "del-svc-unknown", SLUICE_CMD_DEL_SERVICE, false, 0, {}, -ENOENT },
	{ "del-svc-with-settings", SLUICE_CMD_DEL_SERVICE, true, 0,
	  { S(SLUICE_SVC_A_TIMEOUT, 4, 1) }, -EINVAL },
	{ "dest-defaults", NEW_DST, true, 0,
	  { { SLUICE_A_DEST, SLUICE_DEST_A_ADDR, 16, 0, NULL, v4_real2 } }, 0 },
	{ "dest-duplicate", NEW_DST, true, 0, {}, -EEXIST },
	{ "dest-no-service", NEW_DST, false, 0, {}, -ENOENT },
	{ "dest-missing-nest", NEW_DST, true, KEY_DEST, {}, -EINVAL },
	{ "dest-missing-af", NEW_DST, true, NO_DAF, {}, -EINVAL },
	{ "dest-missing-addr", NEW_DST, true, NO_DADDR, {}, -EINVAL },
	{ "weight-0", SET_DST, true, 0, { D(SLUICE_DEST_A_WEIGHT, 4, 0) }, 0 },
	{ "weight-65535", SET_DST, true, 0, { D(SLUICE_DEST_A_WEIGHT, 4, 65535) }, 0 },
	{ "weight-65536", SET_DST, true, 0, { D(SLUICE_DEST_A_WEIGHT, 4, 65536) }, -ERANGE },
	{ "fwd-0", SET_DST, true, 0, { D(SLUICE_DEST_A_FWD_METHOD, 1, 0) }, -ERANGE },
	{ "fwd-1", SET_DST, true, 0, { D(SLUICE_DEST_A_FWD_METHOD, 1, 1) }, 0 },
	{ "fwd-2", SET_DST, true, 0, { D(SLUICE_DEST_A_FWD_METHOD, 1, 2) }, -ERANGE },
	{ "thresh-l-eq-u", SET_DST, true, 0,
	  { D(SLUICE_DEST_A_U_THRESH, 4, 5), D(SLUICE_DEST_A_L_THRESH, 4, 5) }, 0 },
	{ "thresh-l-above-u", SET_DST, true, 0,
	  { D(SLUICE_DEST_A_U_THRESH, 4, 5), D(SLUICE_DEST_A_L_THRESH, 4, 6) }, -EINVAL },
	{ "thresh-l-without-u", SET_DST, true, 0, { D(SLUICE_DEST_A_L_THRESH, 4, 1) }, -EINVAL },
	{ "active-conns-read-only", SET_DST, true, 0,
	  { D(SLUICE_DEST_A_ACTIVE_CONNS, 4, 1) }, -EINVAL },
	{ "set-dest-unknown", SET_DST, true, 0, { D(SLUICE_DEST_A_PORT, 2, 81) }, -ENOENT },
	{ "del-dest", SLUICE_CMD_DEL_DEST, true, 0, {}, 0 },
	{ "del-dest-with-weight", SLUICE_CMD_DEL_DEST, true, 0,
	  { D(SLUICE_DEST_A_WEIGHT, 4, 1) }, -EINVAL },
	{ "zero-all", SLUICE_CMD_ZERO, true, 0, {}, 0 },
	{ "zero-unknown", SLUICE_CMD_ZERO, false, KEY_SVC, { S(SLUICE_SVC_A_AF, 2, 2) }, -ENOENT },
	{ "cfg-missing", SET_CFG, false, 0, {}, -EINVAL },
	{ "cfg-tcp-0", SET_CFG, false, 0, { C(SLUICE_CFG_A_TIMEOUT_TCP, 4, 0) }, -ERANGE },
	{ "cfg-tcp-1", SET_CFG, false, 0, { C(SLUICE_CFG_A_TIMEOUT_TCP, 4, 1) }, 0 },
	{ "cfg-fin-max", SET_CFG, false, 0, { C(SLUICE_CFG_A_TIMEOUT_TCP_FIN, 4, TMAX) }, 0 },
	{ "cfg-fin-max+1", SET_CFG, false, 0,
	  { C(SLUICE_CFG_A_TIMEOUT_TCP_FIN, 4, TMAX + 1) }, -ERANGE },
	{ "cfg-udp-0", SET_CFG, false, 0, { C(SLUICE_CFG_A_TIMEOUT_UDP, 4, 0) }, -ERANGE },
	{ "cfg-conn-min-1", SET_CFG, false, 0,
	  { C(SLUICE_CFG_A_CONN_MAX, 4, CMIN - 1) }, -ERANGE },
	{ "cfg-conn-min", SET_CFG, false, 0, { C(SLUICE_CFG_A_CONN_MAX, 4, CMIN) }, 0 },
	{ "cfg-conn-max", SET_CFG, false, 0, { C(SLUICE_CFG_A_CONN_MAX, 4, CMAX) }, 0 },
	{ "cfg-conn-max+1", SET_CFG, false, 0,
	  { C(SLUICE_CFG_A_CONN_MAX, 4, CMAX + 1) }, -ERANGE },
	{ "cfg-seed", SET_CFG, true, 0, { C(SLUICE_CFG_A_MH_SEED, 8, 12345) }, 0 },
	{ "cfg-src4-plen-0", SET_CFG, false, 0, { C(SLUICE_CFG_A_TUN_SRC4_PLEN, 1, 0) }, -ERANGE },
	{ "cfg-src4-plen-32", SET_CFG, false, 0, { C(SLUICE_CFG_A_TUN_SRC4_PLEN, 1, 32) }, 0 },
	{ "cfg-src4-plen-33", SET_CFG, false, 0,
	  { C(SLUICE_CFG_A_TUN_SRC4_PLEN, 1, 33) }, -ERANGE },
	{ "cfg-src6-plen-128", SET_CFG, false, 0, { C(SLUICE_CFG_A_TUN_SRC6_PLEN, 1, 128) }, 0 },
	{ "cfg-src6-plen-129", SET_CFG, false, 0,
	  { C(SLUICE_CFG_A_TUN_SRC6_PLEN, 1, 129) }, -ERANGE },
	{ "cfg-src4-3-bytes", SET_CFG, false, 0,
	  { { SLUICE_A_CONFIG, SLUICE_CFG_A_TUN_SRC4, 3, 0, NULL, v4_vip } }, -ERANGE },
	{ "cfg-nodest-1", SET_CFG, false, 0, { C(SLUICE_CFG_A_EXPIRE_NODEST, 1, 1) }, 0 },
	{ "cfg-nodest-2", SET_CFG, false, 0, { C(SLUICE_CFG_A_EXPIRE_NODEST, 1, 2) }, -ERANGE },
};

static struct sluice_net *new_state(struct kunit *test)
{
	struct sluice_net *sn = kunit_kzalloc(test, sizeof(*sn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sn);
	KUNIT_ASSERT_EQ(test, sluice_net_state_init(sn, &init_net), 0);
	return sn;
}

static void nl_case_run(struct kunit *test)
{
	static const struct nl_case setup_svc = { "setup", NEW_SVC };
	static const struct nl_case setup_dest = { "setup", NEW_DST };
	const struct nl_case *c = test->param_value;
	struct sluice_net *sn = new_state(test);
	u32 gen, nsvc;
	int err;

	if (c->with_svc) {
		KUNIT_ASSERT_EQ(test, run_request(test, sn, &setup_svc, KEY_SVC), 0);
		KUNIT_ASSERT_EQ(test, run_request(test, sn, &setup_dest, KEY_SVC | KEY_DEST), 0);
	}
	gen = sn->gen;
	nsvc = sn->nsvc;
	err = run_request(test, sn, c, keys_of[c->cmd] & ~c->omit);
	KUNIT_EXPECT_EQ_MSG(test, err, c->want, "%s", c->name);
	if (err) {
		KUNIT_EXPECT_EQ_MSG(test, sn->gen, gen, "%s: a rejected request changed state",
				    c->name);
		KUNIT_EXPECT_EQ(test, sn->nsvc, nsvc);
	} else if (c->cmd != SLUICE_CMD_ZERO) {
		KUNIT_EXPECT_NE_MSG(test, sn->gen, gen, "%s: accepted but nothing changed",
				    c->name);
	}
	sluice_net_state_exit(sn);
}

static const void *nl_params(const void *prev, char *desc)
{
	const struct nl_case *c = prev ? (const struct nl_case *)prev + 1 : nl_cases;

	if (c >= nl_cases + ARRAY_SIZE(nl_cases))
		return NULL;
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
	return c;
}

static int sched_suite_init(struct kunit_suite *suite)
{
	return sluice_sched_builtin_init();
}

static void sched_suite_exit(struct kunit_suite *suite)
{
	sluice_sched_builtin_exit();
}

static struct kunit_case sluice_netlink_cases[] = {
	KUNIT_CASE_PARAM(nl_case_run, nl_params),
	{}
};

struct kunit_suite sluice_netlink_suite = {
	.name = "sluice_netlink",
	.suite_init = sched_suite_init,
	.suite_exit = sched_suite_exit,
	.test_cases = sluice_netlink_cases,
};

/* ---- control: Maglev and scheduling through the service layer ---- */

static struct sluice_service *add_svc(struct kunit *test, struct sluice_net *sn,
				      const char *sched, u32 m)
{
	struct sluice_svc_conf c = {
		.key = { .af = AF_INET, .proto = IPPROTO_TCP, .port = htons(80) },
		.mh_size = m,
		.present = SVC_HAS(SLUICE_SVC_A_MH_SIZE),
	};
	struct sluice_service *svc;

	c.key.addr.ip = htonl(0x0a000001);
	strscpy(c.sched_name, sched, sizeof(c.sched_name));
	mutex_lock(&sn->config_lock);
	KUNIT_ASSERT_EQ(test, sluice_svc_add(sn, &c, NULL), 0);
	svc = sluice_svc_find(sn, &c.key);
	mutex_unlock(&sn->config_lock);
	return svc;
}

static void add_real(struct kunit *test, struct sluice_service *svc, u32 host, u32 weight)
{
	struct sluice_dest_conf dc = { .af = AF_INET, .port = htons(80), .weight = weight,
				       .present = SVC_HAS(SLUICE_DEST_A_WEIGHT) };

	dc.addr.ip = htonl(0xc0a80000 | host);
	mutex_lock(&svc->sn->config_lock);
	KUNIT_ASSERT_EQ(test, sluice_dest_add(svc, &dc, NULL), 0);
	mutex_unlock(&svc->sn->config_lock);
}

/* The real (last octet) each slot of @svc's Maglev table names. */
static void mh_snapshot(struct sluice_service *svc, u8 *out, u32 m)
{
	struct sluice_sched_state *st;
	struct sluice_dest_set *set;
	struct mh_table *t;
	u32 i;

	rcu_read_lock();
	st = rcu_dereference(svc->sched);
	set = rcu_dereference(to_set_state(st)->set);
	t = sluice_dest_set_extra(set);
	for (i = 0; i < m; i++)
		out[i] = ntohl(sluice_sd_dest(set->sd[t->slot[i]])->addr.ip) & 0xff;
	rcu_read_unlock();
}

static void mh_order_independent(struct kunit *test)
{
	static const u32 order_a[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const u32 order_b[] = { 8, 3, 5, 1, 7, 2, 6, 4 };
	const u32 m = 4093;
	struct sluice_net *a = new_state(test), *b = new_state(test);
	struct sluice_service *sa = add_svc(test, a, "mh", m), *sb = add_svc(test, b, "mh", m);
	u8 *ta = kunit_kzalloc(test, m, GFP_KERNEL), *tb = kunit_kzalloc(test, m, GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, ta);
	KUNIT_ASSERT_NOT_NULL(test, tb);
	for (i = 0; i < ARRAY_SIZE(order_a); i++) {
		add_real(test, sa, order_a[i], order_a[i] % 3 + 1);
		add_real(test, sb, order_b[i], order_b[i] % 3 + 1);
	}
	mh_snapshot(sa, ta, m);
	mh_snapshot(sb, tb, m);
	KUNIT_EXPECT_EQ(test, memcmp(ta, tb, m), 0);
	sluice_net_state_exit(a);
	sluice_net_state_exit(b);
}

static void mh_weight0_and_republish(struct kunit *test)
{
	const u32 m = 251;
	struct sluice_net *sn = new_state(test);
	struct sluice_service *svc = add_svc(test, sn, "mh", m);
	struct sluice_dest_set *before, *after;
	struct sluice_dest_conf dc = { .af = AF_INET, .port = htons(80), .weight = 0,
				       .present = SVC_HAS(SLUICE_DEST_A_WEIGHT) };
	struct sluice_dest *d;
	u8 *t = kunit_kzalloc(test, m, GFP_KERNEL);
	u32 i, n2 = 0;

	KUNIT_ASSERT_NOT_NULL(test, t);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, sluice_svc_schedule(svc, 1));	/* no reals yet */
	rcu_read_unlock();
	add_real(test, svc, 1, 1);
	add_real(test, svc, 2, 1);
	before = rcu_access_pointer(to_set_state(rcu_access_pointer(svc->sched))->set);

	dc.addr.ip = htonl(0xc0a80002);
	mutex_lock(&sn->config_lock);
	d = sluice_dest_find(svc, &dc);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_EQ(test, sluice_dest_edit(d, &dc, NULL), 0);
	mutex_unlock(&sn->config_lock);
	after = rcu_access_pointer(to_set_state(rcu_access_pointer(svc->sched))->set);
	KUNIT_EXPECT_PTR_NE(test, before, after);	/* a new table, published */

	mh_snapshot(svc, t, m);
	for (i = 0; i < m; i++)
		n2 += t[i] == 2;
	KUNIT_EXPECT_EQ(test, n2, 0);		/* drained: no slots */
	rcu_read_lock();
	for (i = 0; i < 1000; i++) {
		struct sluice_dest *got = sluice_svc_schedule(svc, i * 2654435761ULL);

		KUNIT_ASSERT_NOT_NULL(test, got);
		KUNIT_EXPECT_EQ(test, ntohl(got->addr.ip) & 0xff, 1);
	}
	rcu_read_unlock();
	sluice_net_state_exit(sn);
}

static void sched_after_edits(struct kunit *test)
{
	static const char *const scheds[] = { "mh", "rr", "wrr", "sh", "lc", "wlc" };
	struct sluice_net *sn = new_state(test);
	struct sluice_service *svc = add_svc(test, sn, "rr", 251);
	struct sluice_svc_conf c = { .key = svc->key, .present = SVC_HAS(SLUICE_SVC_A_SCHED_NAME) };
	int i, k;

	add_real(test, svc, 1, 1);
	add_real(test, svc, 2, 3);
	for (i = 0; i < ARRAY_SIZE(scheds); i++) {
		strscpy(c.sched_name, scheds[i], sizeof(c.sched_name));
		mutex_lock(&sn->config_lock);
		KUNIT_ASSERT_EQ(test, sluice_svc_edit(svc, &c, NULL), 0);
		mutex_unlock(&sn->config_lock);
		rcu_read_lock();
		for (k = 0; k < 16; k++)
			KUNIT_EXPECT_NOT_NULL_MSG(test, sluice_svc_schedule(svc, k * 7919), "%s",
						  scheds[i]);
		rcu_read_unlock();
	}
	sluice_net_state_exit(sn);
}

static struct kunit_case sluice_control_cases[] = {
	KUNIT_CASE(mh_order_independent),
	KUNIT_CASE(mh_weight0_and_republish),
	KUNIT_CASE(sched_after_edits),
	{}
};

struct kunit_suite sluice_control_suite = {
	.name = "sluice_control",
	.suite_init = sched_suite_init,
	.suite_exit = sched_suite_exit,
	.test_cases = sluice_control_cases,
};
