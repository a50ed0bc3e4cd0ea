// SPDX-License-Identifier: GPL-2.0
/*
 * sluice-ctltest: drives every control-plane command of the sluice generic
 * netlink family (libnl-3, through userspace/lib/services.c) with good and
 * bad input, in the VM. After every rejected request it checks that the
 * whole configuration (services, reals, settings) is exactly as before.
 *
 *   sluice-ctltest suite PREFIX     the command suite; one TAP line per check,
 *                                   named PREFIX/<check>; exit 1 on a failure
 *   sluice-ctltest scale N R SCHED  add N services with R reals each, list
 *                                   them back and check every field; prints
 *                                   the time taken for each step
 *   sluice-ctltest reals N          one service with N reals: add, find by
 *                                   key, mh over them, delete in a shuffled
 *                                   order (many_reals)
 *   sluice-ctltest count            print the number of services
 *   sluice-ctltest flush            delete every service
 *   sluice-ctltest add-one          add one TCP service 10.0.0.1:80 (mh)
 *   sluice-ctltest slot ADDR        print the real slot (SLUICE_DEST_A_REAL_INDEX)
 *                                   of real ADDR, as a health-check probe's
 *                                   mark needs it; exit 1 if no service has it
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "info.h"
#include "nl.h"
#include "events.h"
#include "services.h"

static const char *prefix;
static int failures, checks;

static __attribute__((format(printf, 2, 3))) void result(int ok,
							 const char *fmt, ...)
{
	char name[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	printf("%s %s/%s\n", ok ? "ok" : "not ok", prefix, name);
	fflush(stdout);
	checks++;
	failures += !ok;
}

/* ---- a text snapshot of the whole configuration ---- */

struct buf {
	char *p;
	size_t len, cap;
};

static __attribute__((format(printf, 2, 3))) void bprintf(struct buf *b,
							  const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (b->len + n < b->cap)
			break;
		b->cap = (b->cap + n) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	b->len += n;
}

static int snap_dest(const struct sluice_dest *d, void *arg)
{
	struct buf *b = arg;
	int i;

	bprintf(b, "  real af=%u addr=", d->af);
	for (i = 0; i < SLUICE_ADDR_LEN; i++)
		bprintf(b, "%02x", d->addr[i]);
	bprintf(b, " port=%u fwd=%u w=%u u=%u l=%u idx=%u\n", d->port, d->fwd,
		d->weight, d->u_thresh, d->l_thresh, d->real_index);
	return 0;
}

static int snap_svc(struct sluice_nl *nl, const struct sluice_svc *s,
		    struct buf *b)
{
	int i;

	bprintf(b, "svc af=%u proto=%u port=%u mark=%u addr=", s->af, s->proto,
		s->port, s->fwmark);
	for (i = 0; i < SLUICE_ADDR_LEN; i++)
		bprintf(b, "%02x", s->addr[i]);
	bprintf(b, " sched=%s sf=%u f=%u t=%u plen=%u hash=%u m=%u n=%u\n",
		s->sched, s->sched_flags, s->flags, s->timeout, s->persist_plen,
		s->hash_fields, s->mh_size, s->ndests);
	return sluice_dest_list(nl, s, snap_dest, b);
}

/* The whole configuration as text (malloc'ed), or NULL on error. */
static char *snapshot(struct sluice_nl *nl)
{
	struct buf b = { .p = malloc(4096), .cap = 4096 };
	struct sluice_svc_array a = { 0 };
	struct sluice_cfg c;
	size_t i;
	int err;

	if (!b.p)
		return NULL;
	b.p[0] = '\0';
	err = sluice_svc_list(nl, sluice_svc_array_add, &a);
	for (i = 0; !err && i < a.n; i++)
		err = snap_svc(nl, &a.v[i], &b);
	free(a.v);
	if (!err)
		err = sluice_cfg_get(nl, &c);
	if (err) {
		fprintf(stderr, "snapshot: %s\n", sluice_nl_strerror(nl, err));
		free(b.p);
		return NULL;
	}
	bprintf(&b, "cfg %u %u %u %u %llu %u.%u.%u.%u/%u ttl=%u nodest=%u\n",
		c.timeout_tcp, c.timeout_tcp_fin, c.timeout_udp, c.conn_max,
		(unsigned long long)c.mh_seed, c.tun_src4[0], c.tun_src4[1],
		c.tun_src4[2], c.tun_src4[3], c.tun_src4_plen, c.tun_ttl,
		c.expire_nodest);
	return b.p;
}

/*
 * A request expected to fail with @want and an extack message containing
 * @msg, leaving the configuration as it was.
 */
static void expect_reject(struct sluice_nl *nl, const char *name, int err,
			  int want, const char *msg)
{
	int ok = err == want && strstr(nl->errmsg, msg);

	if (!ok)
		fprintf(stderr, "%s: got %d (%s), want %d with \"%s\"\n", name,
			err, sluice_nl_strerror(nl, err), want, msg);
	result(ok, "reject/%s", name);
}

static char *baseline;

/* Checked after every rejection: nothing changed since the baseline. */
static void unchanged(struct sluice_nl *nl, const char *name)
{
	char *now = snapshot(nl);
	int ok = now && baseline && !strcmp(now, baseline);

	if (!ok)
		fprintf(stderr,
			"%s changed the configuration:\n--- before\n%s--- after\n%s",
			name, baseline ? baseline : "", now ? now : "");
	result(ok, "unchanged/%s", name);
	free(now);
}

static void rebase(struct sluice_nl *nl)
{
	free(baseline);
	baseline = snapshot(nl);
}

static void reject(struct sluice_nl *nl, const char *name, int err, int want,
		   const char *msg)
{
	expect_reject(nl, name, err, want, msg);
	unchanged(nl, name);
}

static void good(struct sluice_nl *nl, const char *name, int err)
{
	if (err)
		fprintf(stderr, "%s: %s\n", name, sluice_nl_strerror(nl, err));
	result(!err, "accept/%s", name);
}

/* ---- fixtures ---- */

static void v4(uint8_t *addr, const char *s)
{
	memset(addr, 0, SLUICE_ADDR_LEN);
	inet_pton(AF_INET, s, addr);
}

static void v6(uint8_t *addr, const char *s)
{
	inet_pton(AF_INET6, s, addr);
}

static struct sluice_svc tcp_svc(const char *vip, uint16_t port)
{
	struct sluice_svc s = { .af = AF_INET,
				.proto = IPPROTO_TCP,
				.port = port };

	v4(s.addr, vip);
	return s;
}

static struct sluice_dest real4(const char *addr, uint16_t port,
				uint32_t weight)
{
	struct sluice_dest d = { .af = AF_INET,
				 .port = port,
				 .weight = weight,
				 .present = SLUICE_HAS(SLUICE_DEST_A_WEIGHT) };

	v4(d.addr, addr);
	return d;
}

/* Send a raw request: @fill puts attributes into @msg. */
static int raw(struct sluice_nl *nl, uint8_t cmd,
	       void (*fill)(struct nl_msg *msg))
{
	struct nl_msg *msg = sluice_nl_msg(nl, cmd, 0);

	if (!msg)
		return -ENOMEM;
	fill(msg);
	return sluice_nl_exec(nl, msg, NULL, NULL);
}

static void svc_key_attrs(struct nl_msg *msg)
{
	uint8_t addr[SLUICE_ADDR_LEN] = { 10, 0, 0, 1 };

	nla_put_u16(msg, SLUICE_SVC_A_AF, AF_INET);
	nla_put_u8(msg, SLUICE_SVC_A_PROTOCOL, IPPROTO_TCP);
	nla_put(msg, SLUICE_SVC_A_ADDR, sizeof(addr), addr);
	nla_put_u16(msg, SLUICE_SVC_A_PORT, htons(8080));
}

static void raw_short_addr(struct nl_msg *msg)
{
	struct nlattr *n = nla_nest_start(msg, SLUICE_A_SERVICE);
	uint8_t addr[4] = { 10, 0, 0, 1 };

	nla_put_u16(msg, SLUICE_SVC_A_AF, AF_INET);
	nla_put_u8(msg, SLUICE_SVC_A_PROTOCOL, IPPROTO_TCP);
	nla_put(msg, SLUICE_SVC_A_ADDR, sizeof(addr), addr);
	nla_put_u16(msg, SLUICE_SVC_A_PORT, htons(8080));
	nla_nest_end(msg, n);
}

static void raw_no_af(struct nl_msg *msg)
{
	struct nlattr *n = nla_nest_start(msg, SLUICE_A_SERVICE);

	nla_put_u8(msg, SLUICE_SVC_A_PROTOCOL, IPPROTO_TCP);
	nla_nest_end(msg, n);
}

static void raw_no_port(struct nl_msg *msg)
{
	struct nlattr *n = nla_nest_start(msg, SLUICE_A_SERVICE);
	uint8_t addr[SLUICE_ADDR_LEN] = { 10, 0, 0, 1 };

	nla_put_u16(msg, SLUICE_SVC_A_AF, AF_INET);
	nla_put_u8(msg, SLUICE_SVC_A_PROTOCOL, IPPROTO_TCP);
	nla_put(msg, SLUICE_SVC_A_ADDR, sizeof(addr), addr);
	nla_nest_end(msg, n);
}

static void raw_read_only(struct nl_msg *msg)
{
	struct nlattr *n = nla_nest_start(msg, SLUICE_A_SERVICE);

	svc_key_attrs(msg);
	nla_put_u32(msg, SLUICE_SVC_A_NUM_DESTS, 3);
	nla_nest_end(msg, n);
}

static void raw_unknown_nested(struct nl_msg *msg)
{
	struct nlattr *n = nla_nest_start(msg, SLUICE_A_SERVICE);

	svc_key_attrs(msg);
	nla_put_u32(msg, SLUICE_SVC_A_MAX + 1, 1);
	nla_nest_end(msg, n);
}

static void raw_long_sched(struct nl_msg *msg)
{
	struct nlattr *n = nla_nest_start(msg, SLUICE_A_SERVICE);

	svc_key_attrs(msg);
	nla_put_string(msg, SLUICE_SVC_A_SCHED_NAME,
		       "a-scheduler-name-too-long");
	nla_nest_end(msg, n);
}

static void raw_mark_and_addr(struct nl_msg *msg)
{
	struct nlattr *n = nla_nest_start(msg, SLUICE_A_SERVICE);

	svc_key_attrs(msg);
	nla_put_u32(msg, SLUICE_SVC_A_FWMARK, 7);
	nla_nest_end(msg, n);
}

static void raw_wrong_type(struct nl_msg *msg)
{
	struct nlattr *n = nla_nest_start(msg, SLUICE_A_SERVICE);

	nla_put_u32(msg, SLUICE_SVC_A_AF, AF_INET); /* NLA_U16 expected */
	nla_nest_end(msg, n);
}

static void raw_no_service(struct nl_msg *msg)
{
	(void)msg;
}

/* SET_MAPS with stdin's fd twice: not a BPF map. */
static void raw_maps_not_maps(struct nl_msg *msg)
{
	nla_put_u32(msg, SLUICE_A_MAP_REALS, 0);
	nla_put_u32(msg, SLUICE_A_MAP_TC_CFG, 0);
}

/* ---- the suite ---- */

static void services(struct sluice_nl *nl)
{
	struct sluice_svc s = tcp_svc("10.0.0.1", 80), got, b;
	struct sluice_svc m = { .af = AF_INET6, .fwmark = 42 };

	good(nl, "new-service-defaults",
	     sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &s));
	good(nl, "get-service", sluice_svc_get(nl, &s, &got));
	result(!strcmp(got.sched, "mh") &&
		       got.mh_size == SLUICE_MH_SIZE_DEFAULT &&
		       got.hash_fields == SLUICE_HASH_5TUPLE &&
		       got.persist_plen == 32 && got.timeout == 0 &&
		       got.ndests == 0,
	       "defaults/mh-65537-5tuple (got %s %u %#x %u)", got.sched,
	       got.mh_size, got.hash_fields, got.persist_plen);

	m.present = SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME) |
		    SLUICE_HAS(SLUICE_SVC_A_TIMEOUT);
	strcpy(m.sched, "sh");
	m.timeout = 360;
	good(nl, "new-service-fwmark-v6-sh",
	     sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &m));
	good(nl, "get-fwmark", sluice_svc_get(nl, &m, &got));
	result(got.hash_fields == SLUICE_HASH_SRC_ADDR &&
		       got.persist_plen == 128 && got.timeout == 360,
	       "defaults/sh-hashes-source-address");

	b = tcp_svc("10.0.0.2", 0);
	b.present = SLUICE_HAS(SLUICE_SVC_A_TIMEOUT) |
		    SLUICE_HAS(SLUICE_SVC_A_MH_SIZE) |
		    SLUICE_HAS(SLUICE_SVC_A_PERSIST_PLEN) |
		    SLUICE_HAS(SLUICE_SVC_A_SCHED_FLAGS);
	b.timeout = SLUICE_TIMEOUT_MAX;
	b.mh_size = SLUICE_MH_SIZE_MIN;
	b.persist_plen = 24;
	b.sched_flags = SLUICE_SCHED_F_FALLBACK;
	good(nl, "new-service-port0-persistent-edges",
	     sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &b));
	b = tcp_svc("10.0.0.3", 53);
	b.proto = IPPROTO_UDP;
	b.present = SLUICE_HAS(SLUICE_SVC_A_FLAGS) |
		    SLUICE_HAS(SLUICE_SVC_A_MH_SIZE);
	b.flags = SLUICE_SVC_F_ONEPACKET;
	b.mh_size = SLUICE_MH_SIZE_MAX;
	good(nl, "new-service-udp-onepacket-mh-max",
	     sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &b));
	rebase(nl);

	/* Every way to get a service wrong, each leaving everything as it was. */
	reject(nl, "duplicate-service",
	       sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &s), -EEXIST,
	       "already exists");
#define BAD_SVC(name, field, value, err, msg)                               \
	do {                                                                \
		struct sluice_svc x = tcp_svc("10.9.9.9", 80);              \
		x.field = value;                                            \
		reject(nl, name,                                            \
		       sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &x), err, \
		       msg);                                                \
	} while (0)
#define BAD_OPT(name, attr, field, value, err, msg)                         \
	do {                                                                \
		struct sluice_svc x = tcp_svc("10.9.9.9", 80);              \
		x.present = SLUICE_HAS(attr);                               \
		x.field = value;                                            \
		reject(nl, name,                                            \
		       sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &x), err, \
		       msg);                                                \
	} while (0)
	BAD_SVC("af-below-range", af, 1, -ERANGE, "");
	BAD_SVC("af-above-range", af, 11, -ERANGE, "");
	BAD_SVC("af-inside-range-unknown", af, 3, -EINVAL,
		"AF_INET or AF_INET6");
	BAD_SVC("proto-below-range", proto, 5, -ERANGE, "");
	BAD_SVC("proto-above-range", proto, 18, -ERANGE, "");
	BAD_SVC("proto-not-tcp-udp", proto, 7, -EINVAL, "TCP or UDP");
	BAD_SVC("ipv4-addr-trailing-bytes", addr[15], 1, -EINVAL,
		"bytes after the first 4");
	BAD_SVC("port0-not-persistent", port, 0, -EINVAL, "persistence");
	BAD_OPT("sched-unknown", SLUICE_SVC_A_SCHED_NAME, sched[0], 'x',
		-ENOENT, "unknown scheduler");
	BAD_OPT("sched-flags-unknown-bit", SLUICE_SVC_A_SCHED_FLAGS,
		sched_flags, 2, -EINVAL, "");
	BAD_OPT("flags-unknown-bit", SLUICE_SVC_A_FLAGS, flags, 2, -EINVAL, "");
	BAD_OPT("onepacket-on-tcp", SLUICE_SVC_A_FLAGS, flags,
		SLUICE_SVC_F_ONEPACKET, -EINVAL, "UDP");
	BAD_OPT("timeout-above-max", SLUICE_SVC_A_TIMEOUT, timeout,
		SLUICE_TIMEOUT_MAX + 1, -ERANGE, "");
	BAD_OPT("plen-0", SLUICE_SVC_A_PERSIST_PLEN, persist_plen, 0, -ERANGE,
		"");
	BAD_OPT("plen-33-ipv4", SLUICE_SVC_A_PERSIST_PLEN, persist_plen, 33,
		-ERANGE, "prefix length");
	BAD_OPT("plen-129", SLUICE_SVC_A_PERSIST_PLEN, persist_plen, 129,
		-ERANGE, "");
	BAD_OPT("hash-unknown-bit", SLUICE_SVC_A_HASH_FIELDS, hash_fields, 0x20,
		-EINVAL, "");
	BAD_OPT("hash-without-source", SLUICE_SVC_A_HASH_FIELDS, hash_fields,
		SLUICE_HASH_DST_PORT, -EINVAL, "source address");
	BAD_OPT("mh-size-below-min", SLUICE_SVC_A_MH_SIZE, mh_size,
		SLUICE_MH_SIZE_MIN - 1, -ERANGE, "");
	BAD_OPT("mh-size-above-max", SLUICE_SVC_A_MH_SIZE, mh_size,
		SLUICE_MH_SIZE_MAX + 1, -ERANGE, "");
	BAD_OPT("mh-size-not-prime", SLUICE_SVC_A_MH_SIZE, mh_size, 65535,
		-EINVAL, "prime");
	reject(nl, "addr-4-bytes",
	       raw(nl, SLUICE_CMD_NEW_SERVICE, raw_short_addr), -ERANGE,
	       "size out of range");
	reject(nl, "missing-af", raw(nl, SLUICE_CMD_NEW_SERVICE, raw_no_af),
	       -EINVAL, "AF");
	reject(nl, "missing-port", raw(nl, SLUICE_CMD_NEW_SERVICE, raw_no_port),
	       -EINVAL, "PORT");
	reject(nl, "read-only-attribute",
	       raw(nl, SLUICE_CMD_NEW_SERVICE, raw_read_only), -EINVAL,
	       "read-only");
	reject(nl, "unknown-nested-attribute",
	       raw(nl, SLUICE_CMD_NEW_SERVICE, raw_unknown_nested), -EINVAL,
	       "");
	reject(nl, "sched-name-too-long",
	       raw(nl, SLUICE_CMD_NEW_SERVICE, raw_long_sched), -EINVAL, "");
	reject(nl, "fwmark-with-addr",
	       raw(nl, SLUICE_CMD_NEW_SERVICE, raw_mark_and_addr), -EINVAL,
	       "FWMARK");
	reject(nl, "wrong-attribute-type",
	       raw(nl, SLUICE_CMD_NEW_SERVICE, raw_wrong_type), -EINVAL,
	       "attribute length");
	reject(nl, "missing-service",
	       raw(nl, SLUICE_CMD_NEW_SERVICE, raw_no_service), -EINVAL,
	       "SERVICE");
	b = tcp_svc("10.9.9.9", 80);
	reject(nl, "set-unknown-service",
	       sluice_svc_cmd(nl, SLUICE_CMD_SET_SERVICE, &b), -ENOENT,
	       "no such service");
	reject(nl, "del-unknown-service",
	       sluice_svc_cmd(nl, SLUICE_CMD_DEL_SERVICE, &b), -ENOENT,
	       "no such service");
	reject(nl, "get-unknown-service", sluice_svc_get(nl, &b, &got), -ENOENT,
	       "no such service");
	reject(nl, "zero-unknown-service", sluice_zero(nl, &b), -ENOENT,
	       "no such service");
	b = tcp_svc("10.0.0.2", 0);
	b.present = SLUICE_HAS(SLUICE_SVC_A_TIMEOUT);
	reject(nl, "set-port0-drops-persistence",
	       sluice_svc_cmd(nl, SLUICE_CMD_SET_SERVICE, &b), -EINVAL,
	       "persistence");

	/* Edits change what they name and nothing else. */
	s.present = SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME) |
		    SLUICE_HAS(SLUICE_SVC_A_TIMEOUT);
	strcpy(s.sched, "wlc");
	s.timeout = 60;
	good(nl, "set-service-sched-timeout",
	     sluice_svc_cmd(nl, SLUICE_CMD_SET_SERVICE, &s));
	sluice_svc_get(nl, &s, &got);
	result(!strcmp(got.sched, "wlc") && got.timeout == 60 &&
		       got.mh_size == SLUICE_MH_SIZE_DEFAULT &&
		       got.hash_fields == SLUICE_HASH_5TUPLE,
	       "set/changes-only-what-it-names");
	s.present = SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME) |
		    SLUICE_HAS(SLUICE_SVC_A_MH_SIZE);
	strcpy(s.sched, "mh");
	s.mh_size = 251;
	good(nl, "set-service-back-to-mh-251",
	     sluice_svc_cmd(nl, SLUICE_CMD_SET_SERVICE, &s));
	sluice_svc_get(nl, &s, &got);
	result(!strcmp(got.sched, "mh") && got.mh_size == 251 &&
		       got.timeout == 60,
	       "set/mh-size-and-scheduler");
	s.present = 0;
}

struct dest_count {
	int n, weights, idx_dup;
	uint32_t seen[64];
};

static int count_dest(const struct sluice_dest *d, void *arg)
{
	struct dest_count *c = arg;
	int i;

	for (i = 0; i < c->n && i < 64; i++)
		if (c->seen[i] == d->real_index)
			c->idx_dup = 1;
	if (c->n < 64)
		c->seen[c->n] = d->real_index;
	c->n++;
	c->weights += d->weight;
	return 0;
}

static void dests(struct sluice_nl *nl)
{
	struct sluice_svc s = tcp_svc("10.0.0.1", 80), got;
	struct sluice_dest d1 = real4("192.168.1.1", 80, 1),
			   d2 = real4("192.168.1.2", 80, 2);
	struct sluice_dest d3 = { .af = AF_INET6,
				  .port = 80,
				  .weight = SLUICE_WEIGHT_MAX,
				  .present =
					  SLUICE_HAS(SLUICE_DEST_A_WEIGHT) |
					  SLUICE_HAS(SLUICE_DEST_A_U_THRESH) |
					  SLUICE_HAS(SLUICE_DEST_A_L_THRESH) |
					  SLUICE_HAS(SLUICE_DEST_A_FWD_METHOD),
				  .u_thresh = 100,
				  .l_thresh = 100,
				  .fwd = SLUICE_FWD_TUNNEL };
	struct dest_count c = { 0 };

	v6(d3.addr, "2001:db8::3");
	good(nl, "new-dest-v4",
	     sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &s, &d1));
	good(nl, "new-dest-v4-weight2",
	     sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &s, &d2));
	good(nl, "new-dest-v6-in-v4-service-edges",
	     sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &s, &d3));
	sluice_dest_list(nl, &s, count_dest, &c);
	result(c.n == 3 && c.weights == 3 + SLUICE_WEIGHT_MAX && !c.idx_dup,
	       "list-dests/3-reals-unique-slots");
	{
		/* The same real in another service: the same tunnel endpoint slot. */
		struct sluice_svc u = tcp_svc("10.0.0.3", 53);
		struct dest_count cu = { 0 };

		u.proto = IPPROTO_UDP;
		good(nl, "new-dest-shared-real",
		     sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &u, &d1));
		sluice_dest_list(nl, &u, count_dest, &cu);
		result(cu.n == 1 && cu.seen[0] == c.seen[0],
		       "list-dests/shared-real-shares-slot");
	}
	sluice_svc_get(nl, &s, &got);
	result(got.ndests == 3, "get-service/num-dests");
	rebase(nl);

	reject(nl, "duplicate-dest",
	       sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &s, &d1), -EEXIST,
	       "already has this real");
#define BAD_DEST(name, attr, field, value, err, msg)                          \
	do {                                                                  \
		struct sluice_dest x = real4("192.168.1.9", 80, 1);           \
		x.present |= SLUICE_HAS(attr);                                \
		x.field = value;                                              \
		reject(nl, name,                                              \
		       sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &s, &x), err, \
		       msg);                                                  \
	} while (0)
	BAD_DEST("weight-above-max", SLUICE_DEST_A_WEIGHT, weight,
		 SLUICE_WEIGHT_MAX + 1, -ERANGE, "");
	BAD_DEST("fwd-0", SLUICE_DEST_A_FWD_METHOD, fwd, 0, -ERANGE, "");
	BAD_DEST("fwd-unknown", SLUICE_DEST_A_FWD_METHOD, fwd,
		 SLUICE_FWD_MAX + 1, -ERANGE, "");
	BAD_DEST("lower-without-upper", SLUICE_DEST_A_L_THRESH, l_thresh, 5,
		 -EINVAL, "L_THRESH");
	BAD_DEST("dest-af-unknown", SLUICE_DEST_A_AF, af, 3, -EINVAL,
		 "AF_INET");
	BAD_DEST("dest-ipv4-trailing-bytes", SLUICE_DEST_A_WEIGHT, addr[8], 1,
		 -EINVAL, "bytes after");
	{
		struct sluice_dest x = real4("192.168.1.9", 80, 1);
		struct sluice_svc none = tcp_svc("10.9.9.9", 80);

		x.present |= SLUICE_HAS(SLUICE_DEST_A_U_THRESH) |
			     SLUICE_HAS(SLUICE_DEST_A_L_THRESH);
		x.u_thresh = 10;
		x.l_thresh = 11;
		reject(nl, "lower-above-upper",
		       sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &s, &x),
		       -EINVAL, "L_THRESH");
		reject(nl, "dest-in-unknown-service",
		       sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &none, &x),
		       -ENOENT, "no such service");
		reject(nl, "set-unknown-dest",
		       sluice_dest_cmd(nl, SLUICE_CMD_SET_DEST, &s, &x),
		       -ENOENT, "no such real");
		reject(nl, "del-unknown-dest",
		       sluice_dest_cmd(nl, SLUICE_CMD_DEL_DEST, &s, &x),
		       -ENOENT, "no such real");
		reject(nl, "list-dests-unknown-service",
		       sluice_dest_list(nl, &none, count_dest, &c), -ENOENT,
		       "no such service");
		d3.present = SLUICE_HAS(SLUICE_DEST_A_U_THRESH);
		d3.u_thresh = 50;
		reject(nl, "set-upper-below-lower",
		       sluice_dest_cmd(nl, SLUICE_CMD_SET_DEST, &s, &d3),
		       -EINVAL, "L_THRESH");
	}

	d2.present = SLUICE_HAS(SLUICE_DEST_A_WEIGHT);
	d2.weight = 0;
	good(nl, "set-dest-weight-0",
	     sluice_dest_cmd(nl, SLUICE_CMD_SET_DEST, &s, &d2));
	memset(&c, 0, sizeof(c));
	sluice_dest_list(nl, &s, count_dest, &c);
	result(c.n == 3 && c.weights == 1 + SLUICE_WEIGHT_MAX,
	       "set-dest/weight-0-kept-as-drain");
	good(nl, "del-dest", sluice_dest_cmd(nl, SLUICE_CMD_DEL_DEST, &s, &d2));
	memset(&c, 0, sizeof(c));
	sluice_dest_list(nl, &s, count_dest, &c);
	result(c.n == 2, "del-dest/gone");
}

static void settings(struct sluice_nl *nl)
{
	struct sluice_cfg c = { 0 }, got;

	good(nl, "get-config", sluice_cfg_get(nl, &got));
	result(got.timeout_tcp == SLUICE_TIMEOUT_TCP_DEFAULT &&
		       got.timeout_tcp_fin == SLUICE_TIMEOUT_TCP_FIN_DEFAULT &&
		       got.timeout_udp == SLUICE_TIMEOUT_UDP_DEFAULT &&
		       got.conn_max == SLUICE_CONN_MAX_DEFAULT,
	       "config/defaults-as-ipvs");
	c.present = SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_TCP) |
		    SLUICE_HAS(SLUICE_CFG_A_MH_SEED) |
		    SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4) |
		    SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4_PLEN) |
		    SLUICE_HAS(SLUICE_CFG_A_CONN_MAX) |
		    SLUICE_HAS(SLUICE_CFG_A_EXPIRE_NODEST);
	c.timeout_tcp = SLUICE_TIMEOUT_MAX;
	c.mh_seed = 0x5eed5eed5eedULL;
	c.tun_src4[0] = 10;
	c.tun_src4[3] = 7;
	c.tun_src4_plen = 24;
	c.conn_max = SLUICE_CONN_MAX_MIN;
	c.expire_nodest = 1;
	good(nl, "set-config-edges-and-seed", sluice_cfg_set(nl, &c));
	sluice_cfg_get(nl, &got);
	result(got.timeout_tcp == SLUICE_TIMEOUT_MAX &&
		       got.mh_seed == c.mh_seed && got.tun_src4[3] == 7 &&
		       got.tun_src4_plen == 24 &&
		       got.conn_max == SLUICE_CONN_MAX_MIN &&
		       got.expire_nodest == 1 &&
		       got.timeout_udp == SLUICE_TIMEOUT_UDP_DEFAULT,
	       "config/set-changes-only-what-it-names");
	rebase(nl);
#define BAD_CFG(name, attr, field, value)                              \
	do {                                                           \
		struct sluice_cfg x = { .present = SLUICE_HAS(attr) }; \
		x.field = value;                                       \
		reject(nl, name, sluice_cfg_set(nl, &x), -ERANGE, ""); \
	} while (0)
	BAD_CFG("timeout-tcp-0", SLUICE_CFG_A_TIMEOUT_TCP, timeout_tcp, 0);
	BAD_CFG("timeout-fin-above-max", SLUICE_CFG_A_TIMEOUT_TCP_FIN,
		timeout_tcp_fin, SLUICE_TIMEOUT_MAX + 1);
	BAD_CFG("timeout-udp-0", SLUICE_CFG_A_TIMEOUT_UDP, timeout_udp, 0);
	BAD_CFG("conn-max-below-min", SLUICE_CFG_A_CONN_MAX, conn_max,
		SLUICE_CONN_MAX_MIN - 1);
	BAD_CFG("conn-max-above-max", SLUICE_CFG_A_CONN_MAX, conn_max,
		SLUICE_CONN_MAX_MAX + 1);
	BAD_CFG("src4-plen-33", SLUICE_CFG_A_TUN_SRC4_PLEN, tun_src4_plen, 33);
	BAD_CFG("src6-plen-0", SLUICE_CFG_A_TUN_SRC6_PLEN, tun_src6_plen, 0);
	BAD_CFG("expire-nodest-2", SLUICE_CFG_A_EXPIRE_NODEST, expire_nodest,
		2);
	{
		struct sluice_cfg x = { .present = SLUICE_HAS(
						SLUICE_CFG_A_TIMEOUT_UDP),
					.timeout_udp = got.timeout_udp };

		/* A SET_CONFIG without CONFIG: the raw helper sends no attribute. */
		reject(nl, "set-config-missing-config",
		       raw(nl, SLUICE_CMD_SET_CONFIG, raw_no_service), -EINVAL,
		       "CONFIG");
		reject(nl, "set-maps-missing-fds",
		       raw(nl, SLUICE_CMD_SET_MAPS, raw_no_service), -EINVAL,
		       "MAP_REALS");
		reject(nl, "set-maps-not-maps",
		       raw(nl, SLUICE_CMD_SET_MAPS, raw_maps_not_maps), -EINVAL,
		       "not a sluice_reals map");
		good(nl, "set-config-same-value", sluice_cfg_set(nl, &x));
		unchanged(nl, "set-config-same-value");
	}
}

static void zero_and_flush(struct sluice_nl *nl)
{
	struct sluice_svc s = tcp_svc("10.0.0.1", 80);
	struct sluice_info in;

	good(nl, "zero-one", sluice_zero(nl, &s));
	good(nl, "zero-all", sluice_zero(nl, NULL));
	good(nl, "flush", sluice_flush(nl));
	good(nl, "info-after-flush", sluice_get_info(nl, &in));
	result(in.services == 0, "flush/no-services-left");
	good(nl, "flush-empty", sluice_flush(nl));
}

/* ---- events ---- */

struct events {
	int cmds[64];
	int n;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	struct events *ev = arg;

	if (ev->n < 64)
		ev->cmds[ev->n++] = g->cmd;
	return NL_OK;
}

static void events(struct sluice_nl *nl)
{
	static const int want[] = {
		SLUICE_CMD_NEW_SERVICE, SLUICE_CMD_NEW_DEST,
		SLUICE_CMD_SET_DEST,	SLUICE_CMD_SET_SERVICE,
		SLUICE_CMD_ZERO,	SLUICE_CMD_SET_CONFIG,
		SLUICE_CMD_DEL_DEST,	SLUICE_CMD_DEL_SERVICE,
		SLUICE_CMD_FLUSH
	};
	struct sluice_svc s = tcp_svc("10.0.0.5", 443);
	struct sluice_dest d = real4("192.168.2.1", 443, 3);
	struct sluice_cfg c = { .present = SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_UDP),
				.timeout_udp = 30 };
	struct events ev = { .n = 0 };
	struct nl_sock *sk;
	int err, ok, i;

	sk = sluice_events_open(on_event, &ev, &err);
	result(sk != NULL, "events/group-exists");
	if (!sk)
		return;

	sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &s);
	sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &s, &d);
	d.weight = 5;
	sluice_dest_cmd(nl, SLUICE_CMD_SET_DEST, &s, &d);
	s.present = SLUICE_HAS(SLUICE_SVC_A_TIMEOUT);
	s.timeout = 10;
	sluice_svc_cmd(nl, SLUICE_CMD_SET_SERVICE, &s);
	/* A failed change sends nothing. */
	sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &s);
	sluice_zero(nl, &s);
	sluice_cfg_set(nl, &c);
	sluice_dest_cmd(nl, SLUICE_CMD_DEL_DEST, &s, &d);
	sluice_svc_cmd(nl, SLUICE_CMD_DEL_SERVICE, &s);
	sluice_flush(nl);

	nl_socket_set_nonblocking(sk);
	while (nl_recvmsgs_default(sk) >= 0 && ev.n < 64)
		;
	ok = ev.n == (int)(sizeof(want) / sizeof(want[0]));
	for (i = 0; ok && i < ev.n; i++)
		ok = ev.cmds[i] == want[i];
	if (!ok) {
		fprintf(stderr, "events:");
		for (i = 0; i < ev.n; i++)
			fprintf(stderr, " %d", ev.cmds[i]);
		fprintf(stderr, "\n");
	}
	result(ok, "events/one-per-change-in-order");
	nl_socket_free(sk);
	c.timeout_udp = SLUICE_TIMEOUT_UDP_DEFAULT;
	sluice_cfg_set(nl, &c);
}

static int suite(struct sluice_nl *nl)
{
	int err = sluice_flush(nl);

	if (err) {
		fprintf(stderr, "flush: %s\n", sluice_nl_strerror(nl, err));
		return 1;
	}
	services(nl);
	dests(nl);
	settings(nl);
	zero_and_flush(nl);
	events(nl);
	fprintf(stderr, "%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}

/* ---- scale ---- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct sluice_svc scale_svc(int i)
{
	struct sluice_svc s = { .af = AF_INET,
				.proto = IPPROTO_TCP,
				.port = 1000 + i % 50000 };

	s.addr[0] = 10;
	s.addr[1] = 100 + i / 50000;
	s.addr[2] = (i >> 8) & 0xff;
	s.addr[3] = i & 0xff;
	return s;
}

/* Real 172.NET.(x >> 8).(x & 255):80 with @weight. */
static struct sluice_dest pool_dest(int net, int x, uint32_t weight)
{
	struct sluice_dest d = { .af = AF_INET,
				 .port = 80,
				 .weight = weight,
				 .present = SLUICE_HAS(SLUICE_DEST_A_WEIGHT) };

	d.addr[0] = 172;
	d.addr[1] = net;
	d.addr[2] = x >> 8;
	d.addr[3] = x & 0xff;
	return d;
}

/* Services share a pool of 5,000 real servers, 10 consecutive ones each. */
static struct sluice_dest scale_dest(int i, int r)
{
	return pool_dest(16, (i * 10 + r) % 5000, 1 + r);
}

struct scale_check {
	int next, reals, bad;
	long dests;
};

static int scale_dest_check(const struct sluice_dest *d, void *arg)
{
	struct scale_check *c = arg;
	struct sluice_dest want = scale_dest(c->next, c->dests % c->reals);

	if (memcmp(d->addr, want.addr, SLUICE_ADDR_LEN) ||
	    d->weight != want.weight)
		c->bad++;
	c->dests++;
	return 0;
}

static int scale_svc_check(const struct sluice_svc *s, void *arg)
{
	struct scale_check *c = arg;
	struct sluice_svc want = scale_svc(c->next);

	if (memcmp(s->addr, want.addr, SLUICE_ADDR_LEN) ||
	    s->port != want.port || (int)s->ndests != c->reals)
		c->bad++;
	c->next++;
	return 0;
}

static int scale(struct sluice_nl *nl, int n, int reals, const char *sched)
{
	struct scale_check c = { .reals = reals };
	struct sluice_svc_array a = { 0 };
	double t0, t1, t2, t3;
	int i, r, err;

	t0 = now_s();
	for (i = 0; i < n; i++) {
		struct sluice_svc s = scale_svc(i);

		s.present = SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME);
		snprintf(s.sched, sizeof(s.sched), "%s", sched);
		err = sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &s);
		for (r = 0; !err && r < reals; r++) {
			struct sluice_dest d = scale_dest(i, r);

			err = sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &s, &d);
		}
		if (err) {
			fprintf(stderr, "service %d: %s\n", i,
				sluice_nl_strerror(nl, err));
			return 1;
		}
	}
	t1 = now_s();
	err = sluice_svc_list(nl, scale_svc_check, &c);
	t2 = now_s();
	if (err || c.next != n || c.bad) {
		fprintf(stderr, "service list: %d listed, %d wrong: %s\n",
			c.next, c.bad, err ? sluice_nl_strerror(nl, err) : "");
		return 1;
	}
	c.next = 0;
	err = sluice_svc_list(nl, sluice_svc_array_add, &a);
	for (i = 0; !err && i < (int)a.n; i++, c.next++) {
		long before = c.dests;

		err = sluice_dest_list(nl, &a.v[i], scale_dest_check, &c);
		if (c.dests - before != reals)
			c.bad++;
	}
	free(a.v);
	t3 = now_s();
	if (err || c.dests != (long)n * reals || c.bad) {
		fprintf(stderr, "real lists: %ld listed, %d wrong: %s\n",
			c.dests, c.bad, err ? sluice_nl_strerror(nl, err) : "");
		return 1;
	}
	printf("add %d services x %d reals (%s): %.2f s\n", n, reals, sched,
	       t1 - t0);
	printf("list services: %.3f s\nlist every real: %.2f s\n", t2 - t1,
	       t3 - t2);
	return 0;
}

/* ---- one service with many reals ---- */

/* Real @x of the reals test: 172.20.x/16, port 80 (weight 1 + x % 7). */
static struct sluice_dest many_dest(int x)
{
	return pool_dest(20, x, 1 + x % 7);
}

struct many_check {
	const bool *alive;
	int n, listed, bad;
};

/* Listed reals: each alive, with its weight, none twice. */
static int many_dest_check(const struct sluice_dest *d, void *arg)
{
	struct many_check *c = arg;
	int x = d->addr[2] << 8 | d->addr[3];

	if (d->addr[0] != 172 || d->addr[1] != 20 || x >= c->n ||
	    !c->alive[x] || d->weight != many_dest(x).weight)
		c->bad++;
	c->listed++;
	return 0;
}

/* The service lists exactly the reals alive[] says, @left of them. */
static int many_list_ok(struct sluice_nl *nl, const struct sluice_svc *s,
			const bool *alive, int n, int left)
{
	struct many_check c = { .alive = alive, .n = n };
	int err = sluice_dest_list(nl, s, many_dest_check, &c);

	if (err || c.bad || c.listed != left) {
		fprintf(stderr, "reals: %d listed, %d wrong, want %d: %s\n",
			c.listed, c.bad, left,
			err ? sluice_nl_strerror(nl, err) : "");
		return 0;
	}
	return 1;
}

static int many_fail(struct sluice_nl *nl, const char *what, int x, int err)
{
	fprintf(stderr, "%s real %d: %s\n", what, x,
		err ? sluice_nl_strerror(nl, err) :
		      "succeeded, want a failure");
	return 1;
}

/*
 * reals N: one service with N reals (the kernel finds a real in its
 * service by hash). Added one by one (rr: each change rebuilds the
 * scheduler's state in O(N)), each added again fails -EEXIST, listed back;
 * the service switched to mh (one Maglev table over the N) and one weight
 * changed (a rebuild: timed); back to rr, then every real deleted in a
 * shuffled order: each deleted again fails -ENOENT, and every N / 10
 * deletions the listing is exactly the reals left.
 */
static int many_reals(struct sluice_nl *nl, int n)
{
	struct sluice_svc s = tcp_svc("10.0.0.9", 80);
	bool *alive = calloc(n, sizeof(*alive));
	int *order = malloc(n * sizeof(*order));
	double t0, t1, t2, t3, t4;
	unsigned int rnd = 12345;
	int i, j, x, err, left;

	if (!alive || !order)
		return 1;
	s.present |= SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME);
	snprintf(s.sched, sizeof(s.sched), "rr");
	err = sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &s);
	if (err)
		return many_fail(nl, "service for", 0, err);
	t0 = now_s();
	for (x = 0; x < n; x++) {
		struct sluice_dest d = many_dest(x);

		err = sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &s, &d);
		if (err)
			return many_fail(nl, "add", x, err);
		alive[x] = true;
	}
	t1 = now_s();
	for (x = 0; x < n; x += 97) {
		struct sluice_dest d = many_dest(x);

		err = sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &s, &d);
		if (err != -EEXIST)
			return many_fail(nl, "add again", x, err);
	}
	if (!many_list_ok(nl, &s, alive, n, n))
		return 1;

	snprintf(s.sched, sizeof(s.sched), "mh");
	t2 = now_s();
	err = sluice_svc_cmd(nl, SLUICE_CMD_SET_SERVICE, &s);
	if (err)
		return many_fail(nl, "mh over", n, err);
	t3 = now_s();
	{
		struct sluice_dest d = many_dest(n / 2);

		d.weight = 9;
		err = sluice_dest_cmd(nl, SLUICE_CMD_SET_DEST, &s, &d);
		if (err)
			return many_fail(nl, "weight of", n / 2, err);
		d.weight = many_dest(n / 2).weight;
		err = sluice_dest_cmd(nl, SLUICE_CMD_SET_DEST, &s, &d);
		if (err)
			return many_fail(nl, "weight back of", n / 2, err);
	}
	t4 = now_s();
	snprintf(s.sched, sizeof(s.sched), "rr");
	err = sluice_svc_cmd(nl, SLUICE_CMD_SET_SERVICE, &s);
	if (err)
		return many_fail(nl, "rr over", n, err);
	if (!many_list_ok(nl, &s, alive, n, n))
		return 1;

	/* A shuffle (Fisher-Yates over a fixed LCG: the same order every run). */
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		rnd = rnd * 1103515245 + 12345;
		j = (rnd >> 8) % (i + 1);
		x = order[i], order[i] = order[j], order[j] = x;
	}
	for (i = 0, left = n; i < n; i++) {
		struct sluice_dest d = many_dest(order[i]);

		err = sluice_dest_cmd(nl, SLUICE_CMD_DEL_DEST, &s, &d);
		if (err)
			return many_fail(nl, "delete", order[i], err);
		alive[order[i]] = false;
		left--;
		err = sluice_dest_cmd(nl, SLUICE_CMD_DEL_DEST, &s, &d);
		if (err != -ENOENT)
			return many_fail(nl, "delete again", order[i], err);
		if ((i + 1) % (n / 10 ? n / 10 : 1) == 0 &&
		    !many_list_ok(nl, &s, alive, n, left))
			return 1;
	}
	err = sluice_svc_cmd(nl, SLUICE_CMD_DEL_SERVICE, &s);
	if (err)
		return many_fail(nl, "service of", 0, err);
	printf("add %d reals one by one (rr): %.2f s\n", n, t1 - t0);
	printf("switch to mh (one Maglev table over %d reals): %.3f s\n", n,
	       t3 - t2);
	printf("one weight changed and back (mh): %.3f s per change\n",
	       (t4 - t3) / 2);
	printf("every real deleted, shuffled: %.2f s\n", now_s() - t4);
	free(alive);
	free(order);
	return 0;
}

struct slot_query {
	uint8_t addr[SLUICE_ADDR_LEN];
	uint16_t af;
	int64_t slot;
};

static int slot_dest(const struct sluice_dest *d, void *arg)
{
	struct slot_query *q = arg;

	if (d->af == q->af && !memcmp(d->addr, q->addr, SLUICE_ADDR_LEN))
		q->slot = d->real_index;
	return 0;
}

/* The slot of real @addr (every service's reals agree: one per address). */
static int slot(struct sluice_nl *nl, const char *addr)
{
	struct slot_query q = { .af = strchr(addr, ':') ? AF_INET6 : AF_INET,
				.slot = -1 };
	struct sluice_svc_array a = { 0 };
	size_t i;
	int err;

	if (inet_pton(q.af, addr, q.addr) != 1) {
		fprintf(stderr, "not an address: %s\n", addr);
		return 2;
	}
	err = sluice_svc_list(nl, sluice_svc_array_add, &a);
	for (i = 0; !err && i < a.n && q.slot < 0; i++)
		err = sluice_dest_list(nl, &a.v[i], slot_dest, &q);
	free(a.v);
	if (err) {
		fprintf(stderr, "%s\n", sluice_nl_strerror(nl, err));
		return 1;
	}
	if (q.slot < 0) {
		fprintf(stderr, "no service has the real %s\n", addr);
		return 1;
	}
	printf("%lld\n", (long long)q.slot);
	return 0;
}

int main(int argc, char **argv)
{
	struct sluice_nl nl;
	struct sluice_info in;
	int err, rc = 2;

	if (argc < 2)
		goto usage;
	err = sluice_nl_open(&nl);
	if (err) {
		fprintf(stderr, "%s\n", sluice_nl_strerror(&nl, err));
		return 1;
	}
	if (!strcmp(argv[1], "suite") && argc == 3) {
		prefix = argv[2];
		rc = suite(&nl);
	} else if (!strcmp(argv[1], "scale") && argc == 5) {
		rc = scale(&nl, atoi(argv[2]), atoi(argv[3]), argv[4]);
	} else if (!strcmp(argv[1], "reals") && argc == 3) {
		rc = many_reals(&nl, atoi(argv[2]));
	} else if (!strcmp(argv[1], "count") && argc == 2) {
		err = sluice_get_info(&nl, &in);
		if (!err)
			printf("%u\n", in.services);
		rc = !!err;
	} else if (!strcmp(argv[1], "flush") && argc == 2) {
		err = sluice_flush(&nl);
		if (err)
			fprintf(stderr, "%s\n", sluice_nl_strerror(&nl, err));
		rc = !!err;
	} else if (!strcmp(argv[1], "slot") && argc == 3) {
		rc = slot(&nl, argv[2]);
	} else if (!strcmp(argv[1], "add-one") && argc == 2) {
		struct sluice_svc s = tcp_svc("10.0.0.1", 80);

		err = sluice_svc_cmd(&nl, SLUICE_CMD_NEW_SERVICE, &s);
		if (err)
			fprintf(stderr, "%s\n", sluice_nl_strerror(&nl, err));
		rc = !!err;
	} else {
		sluice_nl_close(&nl);
		goto usage;
	}
	sluice_nl_close(&nl);
	free(baseline);
	return rc;
usage:
	fprintf(stderr,
		"usage: sluice-ctltest suite PREFIX | scale N R SCHED | reals N | count | flush |\n"
		"       add-one | slot ADDR\n");
	return 2;
}
