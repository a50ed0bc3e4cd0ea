// SPDX-License-Identifier: GPL-2.0
/*
 * Reading sluiced.conf (see config.h and docs/SLUICED.md). libconfig parses
 * the file (syntax errors and duplicate names come from it, with their
 * line); this file checks every setting against what it may be, so an
 * unknown name, a wrong type or a bad value is refused with the file, the
 * line and the setting's path, before anything is applied.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libconfig.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/nameser.h>
#include <netinet/in.h>

#include "config.h"
#include "prefix.h"
#include "table.h"

struct ctx {
	const char *file, *dir; /* the file given, and its directory */
	char *err;
	size_t errlen;
	struct sd_config *cfg;
};

/* "vips[0].services[1].port" for @s. */
static void path(const config_setting_t *s, char *buf, size_t len)
{
	const config_setting_t *p = config_setting_parent(s);
	size_t n;

	buf[0] = '\0';
	if (!p) /* the root */
		return;
	path(p, buf, len);
	n = strlen(buf);
	if (config_setting_name(s))
		snprintf(buf + n, len - n, "%s%s", n ? "." : "",
			 config_setting_name(s));
	else
		snprintf(buf + n, len - n, "[%d]", config_setting_index(s));
}

/* Fail with "FILE:LINE: PATH: message" about @s (or @parent's @name). */
static int __attribute__((format(printf, 4, 5)))
bad(struct ctx *c, const config_setting_t *s, const char *name, const char *fmt,
    ...)
{
	char where[256], msg[256];
	const char *file;
	size_t n;
	va_list ap;

	path(s, where, sizeof(where));
	n = strlen(where);
	if (name)
		snprintf(where + n, sizeof(where) - n, "%s%s", n ? "." : "",
			 name);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	file = config_setting_source_file(s);
	if (!file)
		file = c->file;
	/* An @included file is named as written: relative to c->dir. */
	snprintf(c->err, c->errlen, "%s%s%s:%d: %s: %s",
		 file[0] == '/' || !strcmp(file, c->file) ? "" : c->dir,
		 file[0] == '/' || !strcmp(file, c->file) ? "" : "/", file,
		 config_setting_source_line(s), where[0] ? where : "(top)",
		 msg);
	return -1;
}

/* Every member of group @g is one of @names (NULL-terminated). */
static int known(struct ctx *c, const config_setting_t *g,
		 const char *const *names)
{
	int i, n = g ? config_setting_length(g) : 0;

	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(g, i);
		const char *const *k;

		for (k = names; *k; k++)
			if (!strcmp(*k, config_setting_name(m)))
				break;
		if (!*k)
			return bad(c, m, NULL, "unknown setting");
	}
	return 0;
}

static int want_type(struct ctx *c, const config_setting_t *s, int type,
		     const char *what)
{
	int t = config_setting_type(s);

	if (t == type || (type == CONFIG_TYPE_FLOAT &&
			  (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)))
		return 0;
	if (type == CONFIG_TYPE_INT && t == CONFIG_TYPE_INT64)
		return 0;
	return bad(c, s, NULL, "must be %s", what);
}

/* Optional member @name of @g: NULL if absent. */
static config_setting_t *member(const config_setting_t *g, const char *name)
{
	return g ? config_setting_get_member(g, name) : NULL;
}

static int get_str(struct ctx *c, const config_setting_t *g, const char *name,
		   int required, const char **out)
{
	config_setting_t *s = member(g, name);

	if (!s) {
		if (required)
			return bad(c, g, name, "missing");
		return 0;
	}
	if (want_type(c, s, CONFIG_TYPE_STRING, "a string"))
		return -1;
	*out = config_setting_get_string(s);
	return 0;
}

static int get_uint(struct ctx *c, const config_setting_t *g, const char *name,
		    long long min, long long max, uint32_t *out)
{
	config_setting_t *s = member(g, name);
	long long v;

	if (!s)
		return 0;
	if (want_type(c, s, CONFIG_TYPE_INT, "an integer"))
		return -1;
	v = config_setting_get_int64(s);
	if (v < min || v > max)
		return bad(c, s, NULL, "%lld is out of range (%lld..%lld)", v,
			   min, max);
	*out = (uint32_t)v;
	return 0;
}

static int get_u64(struct ctx *c, const config_setting_t *g, const char *name,
		   uint64_t *out)
{
	config_setting_t *s = member(g, name);

	if (!s)
		return 0;
	if (want_type(c, s, CONFIG_TYPE_INT, "an integer"))
		return -1;
	if (config_setting_get_int64(s) < 0)
		return bad(c, s, NULL, "must not be negative");
	*out = (uint64_t)config_setting_get_int64(s);
	return 0;
}

/* Seconds, integer or not, in [@min, @max]. */
static int get_secs(struct ctx *c, const config_setting_t *g, const char *name,
		    double min, double max, double *out)
{
	config_setting_t *s = member(g, name);
	double v;

	if (!s)
		return 0;
	if (want_type(c, s, CONFIG_TYPE_FLOAT, "a number of seconds"))
		return -1;
	v = config_setting_type(s) == CONFIG_TYPE_FLOAT ?
		    config_setting_get_float(s) :
		    (double)config_setting_get_int64(s);
	if (!(v >= min && v <= max))
		return bad(c, s, NULL, "%g s is out of range (%g..%g)", v, min,
			   max);
	*out = v;
	return 0;
}

static int get_bool(struct ctx *c, const config_setting_t *g, const char *name,
		    int *out)
{
	config_setting_t *s = member(g, name);

	if (!s)
		return 0;
	if (want_type(c, s, CONFIG_TYPE_BOOL, "true or false"))
		return -1;
	*out = config_setting_get_bool(s);
	return 0;
}

/* An address (no prefix length) into @af/@addr. */
static int get_addr(struct ctx *c, const config_setting_t *g, const char *name,
		    int required, int *af, uint8_t *addr)
{
	const char *v = NULL;

	if (get_str(c, g, name, required, &v))
		return -1;
	if (!v)
		return 0;
	if (inet_pton(AF_INET, v, addr) == 1) {
		*af = AF_INET;
		memset(addr + 4, 0, 12);
	} else if (inet_pton(AF_INET6, v, addr) == 1) {
		*af = AF_INET6;
	} else {
		return bad(c, member(g, name), NULL,
			   "`%s' is not an IPv4 or IPv6 address", v);
	}
	return 0;
}

const char *sd_addr_str(int af, const uint8_t *addr, char *buf, size_t len)
{
	if (!inet_ntop(af, addr, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

const char *sd_svc_str(const struct sluice_svc *s, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (s->fwmark)
		snprintf(buf, len, "FWM %u", s->fwmark);
	else
		snprintf(buf, len,
			 s->af == AF_INET6 ? "%s [%s]:%u" : "%s %s:%u",
			 s->proto == IPPROTO_UDP ? "UDP" : "TCP",
			 sd_addr_str(s->af, s->addr, a, sizeof(a)), s->port);
	return buf;
}

const char *sd_dest_str(const struct sluice_dest *d, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, len, d->af == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 sd_addr_str(d->af, d->addr, a, sizeof(a)), d->port);
	return buf;
}

/* ---- daemon and settings ---- */

static int read_daemon(struct ctx *c, const config_setting_t *g)
{
	static const char *const names[] = {
		"vip_interface", "learn",	  "hold_down",
		"drain",	 "control",	  "metrics",
		"probe_source",	 "probe_source6", NULL
	};
	struct sd_daemon_cfg *d = &c->cfg->daemon;
	const char *ifname = NULL, *control = NULL, *metrics = NULL;
	uint8_t a[16];
	int af = 0;

	if (g && config_setting_type(g) != CONFIG_TYPE_GROUP)
		return bad(c, g, NULL, "must be a group { ... }");
	if (known(c, g, names) || get_str(c, g, "vip_interface", 0, &ifname) ||
	    get_secs(c, g, "learn", 0, 3600, &d->learn) ||
	    get_secs(c, g, "hold_down", 0, 3600, &d->hold_down) ||
	    get_secs(c, g, "drain", 0, 3600, &d->drain) ||
	    get_str(c, g, "control", 0, &control) ||
	    get_str(c, g, "metrics", 0, &metrics))
		return -1;
	if (ifname) {
		if (!*ifname || strlen(ifname) >= IFNAMSIZ ||
		    strpbrk(ifname, "/ \t:"))
			return bad(c, member(g, "vip_interface"), NULL,
				   "`%s' is not an interface name", ifname);
		snprintf(d->vip_if, sizeof(d->vip_if), "%s", ifname);
	}
	if (control) {
		if (control[0] != '/' || strlen(control) >= sizeof(d->control))
			return bad(c, member(g, "control"), NULL,
				   "must be an absolute path shorter than %zu",
				   sizeof(d->control));
		snprintf(d->control, sizeof(d->control), "%s", control);
	}
	if (metrics) {
		const char *colon = strrchr(metrics, ':');

		if (*metrics &&
		    (!colon || strlen(metrics) >= sizeof(d->metrics) ||
		     atoi(colon + 1) <= 0 || atoi(colon + 1) > 65535))
			return bad(
				c, member(g, "metrics"), NULL,
				"`%s' is not ADDRESS:PORT (or \"\" for none)",
				metrics);
		snprintf(d->metrics, sizeof(d->metrics), "%s", metrics);
	}
	if (get_addr(c, g, "probe_source", 0, &af, a))
		return -1;
	if (af == AF_INET6)
		return bad(c, member(g, "probe_source"), NULL,
			   "must be an IPv4 address (probe_source6 is IPv6's)");
	if (af) {
		memcpy(d->src4, a, 4);
		d->have_src4 = 1;
	}
	af = 0;
	if (get_addr(c, g, "probe_source6", 0, &af, a))
		return -1;
	if (af == AF_INET)
		return bad(c, member(g, "probe_source6"), NULL,
			   "must be an IPv6 address");
	if (af) {
		memcpy(d->src6, a, 16);
		d->have_src6 = 1;
	}
	return 0;
}

static int get_prefix(struct ctx *c, const config_setting_t *g,
		      const char *name, int family, uint8_t *addr,
		      uint8_t *plen)
{
	const char *v = NULL;
	struct sluice_prefix p;
	char msg[128];

	if (get_str(c, g, name, 0, &v))
		return -1;
	if (!v)
		return 0;
	if (sluice_prefix_parse(v, &p, msg, sizeof(msg)))
		return bad(c, member(g, name), NULL, "%s", msg);
	if (p.family != family)
		return bad(c, member(g, name), NULL, "must be an IPv%d prefix",
			   family == AF_INET ? 4 : 6);
	memcpy(addr, p.addr, family == AF_INET ? 4 : 16);
	*plen = p.len;
	return 1;
}

static int read_settings(struct ctx *c, const config_setting_t *g)
{
	static const char *const names[] = { "mh_seed",		"tunnel_source",
					     "tunnel_source6",	"tunnel_ttl",
					     "conn_max",	"timeout_tcp",
					     "timeout_tcp_fin", "timeout_udp",
					     "expire_nodest",	NULL };
	struct sluice_cfg *s = &c->cfg->settings;
	uint32_t ttl = 0;
	int r, b = -1;

#define SET(attr) (s->present |= SLUICE_HAS(attr))
	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return bad(c, g, NULL, "must be a group { ... }");
	if (known(c, g, names) || get_u64(c, g, "mh_seed", &s->mh_seed))
		return -1;
	if (member(g, "mh_seed"))
		SET(SLUICE_CFG_A_MH_SEED);
	r = get_prefix(c, g, "tunnel_source", AF_INET, s->tun_src4,
		       &s->tun_src4_plen);
	if (r < 0)
		return -1;
	if (r)
		s->present |= SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4) |
			      SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4_PLEN);
	r = get_prefix(c, g, "tunnel_source6", AF_INET6, s->tun_src6,
		       &s->tun_src6_plen);
	if (r < 0)
		return -1;
	if (r)
		s->present |= SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6) |
			      SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6_PLEN);
	if (get_uint(c, g, "tunnel_ttl", 1, 255, &ttl) ||
	    get_uint(c, g, "conn_max", SLUICE_CONN_MAX_MIN, SLUICE_CONN_MAX_MAX,
		     &s->conn_max) ||
	    get_uint(c, g, "timeout_tcp", 1, SLUICE_TIMEOUT_MAX,
		     &s->timeout_tcp) ||
	    get_uint(c, g, "timeout_tcp_fin", 1, SLUICE_TIMEOUT_MAX,
		     &s->timeout_tcp_fin) ||
	    get_uint(c, g, "timeout_udp", 1, SLUICE_TIMEOUT_MAX,
		     &s->timeout_udp) ||
	    get_bool(c, g, "expire_nodest", &b))
		return -1;
	s->tun_ttl = ttl;
	if (member(g, "tunnel_ttl"))
		SET(SLUICE_CFG_A_TUN_TTL);
	if (member(g, "conn_max"))
		SET(SLUICE_CFG_A_CONN_MAX);
	if (member(g, "timeout_tcp"))
		SET(SLUICE_CFG_A_TIMEOUT_TCP);
	if (member(g, "timeout_tcp_fin"))
		SET(SLUICE_CFG_A_TIMEOUT_TCP_FIN);
	if (member(g, "timeout_udp"))
		SET(SLUICE_CFG_A_TIMEOUT_UDP);
	if (b >= 0) {
		s->expire_nodest = b;
		SET(SLUICE_CFG_A_EXPIRE_NODEST);
	}
#undef SET
	return 0;
}

/* ---- checks ---- */

static const char *const check_types[] = {
	[HC_TCP] = "tcp", [HC_HTTP] = "http", [HC_HTTPS] = "https",
	[HC_DNS] = "dns", [HC_UDP] = "udp",   [HC_EXEC] = "exec",
};

/* Bytes from a string with \xNN escapes (libconfig strings hold no NUL). */
static int get_bytes(struct ctx *c, const config_setting_t *g, const char *name,
		     uint8_t **out, size_t *len)
{
	const char *v = NULL, *p;
	uint8_t *b;
	size_t n = 0;

	if (get_str(c, g, name, 0, &v) || !v)
		return v ? -1 : 0;
	b = malloc(strlen(v) + 1);
	if (!b)
		return bad(c, member(g, name), NULL, "out of memory");
	for (p = v; *p; p++) {
		unsigned int x;

		if (p[0] == '\\' && p[1] == 'x' &&
		    sscanf(p + 2, "%2x", &x) == 1 &&
		    strspn(p + 2, "0123456789abcdefABCDEF") >= 2) {
			b[n++] = x;
			p += 3;
		} else {
			b[n++] = *p;
		}
	}
	*out = b;
	*len = n;
	return 0;
}

static int dup_str(struct ctx *c, const config_setting_t *g, const char *name,
		   int required, char **out)
{
	const char *v = NULL;

	if (get_str(c, g, name, required, &v))
		return -1;
	if (v && !(*out = strdup(v)))
		return bad(c, g, name, "out of memory");
	return 0;
}

static int read_check(struct ctx *c, const config_setting_t *g,
		      struct sd_check *k)
{
	static const char *const common[] = { "type",	 "interval", "timeout",
					      "rise",	 "fall",     "port",
					      "via_vip", NULL };
	static const char *const more[][8] = {
		[HC_TCP] = { NULL },
		[HC_HTTP] = { "path", "host", "expect_status", "expect_body",
			      NULL },
		[HC_HTTPS] = { "path", "host", "expect_status", "expect_body",
			       "verify", NULL },
		[HC_DNS] = { "query", "qtype", "transport", NULL },
		[HC_UDP] = { "send", "expect", NULL },
		[HC_EXEC] = { "command", NULL },
	};
	const char *names[16], *type = NULL, *qtype = "A", *tr = "udp";
	struct hc_spec *sp = &k->spec;
	double interval = 2.0, timeout = 1.0;
	uint32_t port = 0, v;
	size_t t, n = 0, i;

	k->line = config_setting_source_line(g);
	k->via_vip = -1; /* not set: through the VIP, but for commands */
	sp->rise = 2;
	sp->fall = 3;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return bad(c, g, NULL, "must be a group { type = ...; }");
	if (get_str(c, g, "type", 1, &type))
		return -1;
	for (t = 0; t < sizeof(check_types) / sizeof(check_types[0]); t++)
		if (!strcmp(type, check_types[t]))
			break;
	if (t == sizeof(check_types) / sizeof(check_types[0]))
		return bad(
			c, member(g, "type"), NULL,
			"unknown check type `%s' (tcp, http, https, dns, udp, exec)",
			type);
	sp->type = t;
	for (i = 0; common[i]; i++)
		names[n++] = common[i];
	for (i = 0; more[t][i]; i++)
		names[n++] = more[t][i];
	names[n] = NULL;
	if (known(c, g, names) ||
	    get_secs(c, g, "interval", 0.1, 3600, &interval) ||
	    get_secs(c, g, "timeout", 0.01, 3600, &timeout) ||
	    get_uint(c, g, "rise", 1, 100, &sp->rise) ||
	    get_uint(c, g, "fall", 1, 100, &sp->fall) ||
	    get_uint(c, g, "port", 1, 65535, &port) ||
	    get_bool(c, g, "via_vip", &k->via_vip))
		return -1;
	if (timeout >= interval)
		return bad(
			c, member(g, "timeout") ? member(g, "timeout") : g,
			NULL,
			"timeout (%g s) must be shorter than interval (%g s)",
			timeout, interval);
	if (t == HC_EXEC && k->via_vip == 1)
		return bad(
			c, member(g, "via_vip"), NULL,
			"a command cannot go through the VIP (it is told the real's address and port)");
	k->via_vip = t != HC_EXEC && k->via_vip;
	sp->interval_ms = (uint32_t)lround(interval * 1000);
	sp->timeout_ms = (uint32_t)lround(timeout * 1000);
	k->port = port;
	switch (t) {
	case HC_HTTP:
	case HC_HTTPS:
		v = 0;
		if (dup_str(c, g, "path", 0, &sp->path) ||
		    dup_str(c, g, "host", 0, &sp->host) ||
		    dup_str(c, g, "expect_body", 0, &sp->expect_body) ||
		    get_uint(c, g, "expect_status", 100, 599, &v) ||
		    get_bool(c, g, "verify", &sp->tls_verify))
			return -1;
		sp->expect_status = v;
		if (sp->path && sp->path[0] != '/')
			return bad(c, member(g, "path"), NULL,
				   "must start with /");
		break;
	case HC_DNS:
		if (dup_str(c, g, "query", 1, &sp->dns_name) ||
		    get_str(c, g, "qtype", 0, &qtype) ||
		    get_str(c, g, "transport", 0, &tr))
			return -1;
		if (!strcasecmp(qtype, "A"))
			sp->dns_qtype = ns_t_a;
		else if (!strcasecmp(qtype, "AAAA"))
			sp->dns_qtype = ns_t_aaaa;
		else if (!strcasecmp(qtype, "SOA"))
			sp->dns_qtype = ns_t_soa;
		else if (!strcasecmp(qtype, "NS"))
			sp->dns_qtype = ns_t_ns;
		else if (!strcasecmp(qtype, "TXT"))
			sp->dns_qtype = ns_t_txt;
		else if (!strcasecmp(qtype, "MX"))
			sp->dns_qtype = ns_t_mx;
		else
			return bad(
				c, member(g, "qtype"), NULL,
				"unknown query type `%s' (A, AAAA, SOA, NS, TXT, MX)",
				qtype);
		if (!strcmp(tr, "tcp"))
			sp->dns_tcp = 1;
		else if (strcmp(tr, "udp"))
			return bad(c, member(g, "transport"), NULL,
				   "must be \"udp\" or \"tcp\"");
		break;
	case HC_UDP:
		if (get_bytes(c, g, "send", &sp->send, &sp->send_len) ||
		    get_bytes(c, g, "expect", &sp->expect, &sp->expect_len))
			return -1;
		if (!sp->send || !sp->send_len)
			return bad(c, g, "send",
				   "missing (the request to send)");
		break;
	case HC_EXEC:
		if (dup_str(c, g, "command", 1, &sp->command))
			return -1;
		break;
	default:
		break;
	}
	return 0;
}

static int read_checks(struct ctx *c, const config_setting_t *g)
{
	struct sd_config *cfg = c->cfg;
	int i, n;

	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return bad(c, g, NULL, "must be a group of named checks");
	n = config_setting_length(g);
	cfg->checks = calloc(n ? n : 1, sizeof(*cfg->checks));
	if (!cfg->checks)
		return bad(c, g, NULL, "out of memory");
	for (i = 0; i < n; i++) {
		config_setting_t *k = config_setting_get_elem(g, i);
		struct sd_check *ck = &cfg->checks[cfg->nchecks++];

		ck->name = strdup(config_setting_name(k));
		if (!ck->name)
			return bad(c, k, NULL, "out of memory");
		if (read_check(c, k, ck))
			return -1;
	}
	return 0;
}

/* ---- VIPs, services, reals ---- */

static const char *const scheds[] = {
	"mh", "rr", "wrr", "sh", "lc", "wlc", NULL
};

static int is_prime(uint32_t n)
{
	uint32_t d;

	if (n < 2)
		return 0;
	for (d = 2; d * d <= n; d++)
		if (n % d == 0)
			return 0;
	return 1;
}

static int read_checks_list(struct ctx *c, const config_setting_t *g,
			    size_t **out, size_t *nout);

static int read_real(struct ctx *c, const config_setting_t *g,
		     const struct sd_service *s, struct sd_real *r)
{
	static const char *const names[] = { "address",	 "port",     "weight",
					     "u_thresh", "l_thresh", "checks",
					     NULL };
	struct sluice_dest *d = &r->dest;
	uint32_t port = s->svc.port, weight = 1;
	int af = 0;

	r->line = config_setting_source_line(g);
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return bad(c, g, NULL, "must be a group { address = ...; }");
	if (known(c, g, names) || get_addr(c, g, "address", 1, &af, d->addr) ||
	    get_uint(c, g, "port", 1, 65535, &port) ||
	    get_uint(c, g, "weight", 0, SLUICE_WEIGHT_MAX, &weight) ||
	    get_uint(c, g, "u_thresh", 0, INT32_MAX, &d->u_thresh) ||
	    get_uint(c, g, "l_thresh", 0, INT32_MAX, &d->l_thresh) ||
	    read_checks_list(c, g, &r->checks, &r->nchecks))
		return -1;
	r->own_checks = member(g, "checks") != NULL;
	/* The kernel's rule (an overload cleared below l_thresh), stricter */
	if (d->l_thresh && !d->u_thresh)
		return bad(
			c, member(g, "l_thresh"), NULL,
			"needs u_thresh (the connections that overload the real)");
	if (d->l_thresh && d->l_thresh >= d->u_thresh)
		return bad(c, member(g, "l_thresh"), NULL,
			   "must be below u_thresh (%u)", d->u_thresh);
	d->af = af;
	d->port = port;
	d->weight = weight;
	d->fwd = SLUICE_FWD_TUNNEL;
	d->present = SLUICE_DEST_SET_PRESENT;
	return 0;
}

static int find_check(struct ctx *c, const config_setting_t *s,
		      const char *name, size_t *out)
{
	size_t i;

	for (i = 0; i < c->cfg->nchecks; i++)
		if (!strcmp(c->cfg->checks[i].name, name)) {
			*out = i;
			return 0;
		}
	return bad(c, s, NULL, "no check named `%s' in checks", name);
}

/* @g's "checks" list into *@out (*@nout entries); 0 if absent or read. */
static int read_checks_list(struct ctx *c, const config_setting_t *g,
			    size_t **out, size_t *nout)
{
	config_setting_t *l = member(g, "checks");
	size_t *v;
	int i, n;

	if (!l)
		return 0;
	if (!config_setting_is_aggregate(l) ||
	    config_setting_type(l) == CONFIG_TYPE_GROUP)
		return bad(c, l, NULL,
			   "must be a list of check names [ \"...\" ]");
	n = config_setting_length(l);
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return bad(c, l, NULL, "out of memory");
	*out = v;
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(l, i);
		size_t j;

		if (want_type(c, e, CONFIG_TYPE_STRING, "a check name") ||
		    find_check(c, e, config_setting_get_string(e), &v[*nout]))
			return -1;
		for (j = 0; j < *nout; j++)
			if (v[j] == v[*nout])
				return bad(c, e, NULL,
					   "check `%s' listed twice",
					   config_setting_get_string(e));
		(*nout)++;
	}
	return 0;
}

static int read_hash(struct ctx *c, const config_setting_t *g,
		     struct sluice_svc *svc)
{
	static const char *const fields[] = { "src_addr", "src_port",
					      "dst_addr", "dst_port",
					      "proto",	  NULL };
	config_setting_t *l = member(g, "hash");
	int i, n;

	svc->hash_fields = sluice_default_hash(svc->sched);
	if (!l)
		return 0;
	if (!config_setting_is_aggregate(l) ||
	    config_setting_type(l) == CONFIG_TYPE_GROUP)
		return bad(c, l, NULL,
			   "must be a list of fields [ \"src_addr\", ... ]");
	svc->hash_fields = 0;
	n = config_setting_length(l);
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(l, i);
		int f;

		if (want_type(c, e, CONFIG_TYPE_STRING, "a field name"))
			return -1;
		for (f = 0; fields[f]; f++)
			if (!strcmp(fields[f], config_setting_get_string(e)))
				break;
		if (!fields[f])
			return bad(
				c, e, NULL,
				"unknown field `%s' (src_addr, src_port, dst_addr, dst_port, proto)",
				config_setting_get_string(e));
		svc->hash_fields |= 1U << f;
	}
	if (!(svc->hash_fields & SLUICE_HASH_SRC_ADDR))
		return bad(c, l, NULL, "must include \"src_addr\"");
	return 0;
}

static int read_service(struct ctx *c, const config_setting_t *g,
			const struct sd_vip *v, struct sd_service *s)
{
	static const char *const names[] = {
		"protocol", "port",	   "scheduler",	  "fallback",
		"hash",	    "one_packet",  "persistence", "persistence_netmask",
		"mh_size",  "min_healthy", "checks",	  "reals",
		NULL
	};
	struct sluice_svc *svc = &s->svc;
	const char *proto = NULL, *sched = "mh";
	uint32_t port = 0, plen, max = v->af == AF_INET6 ? 128 : 32;
	int fallback = 0, onepacket = 0, i, n;
	config_setting_t *reals;

	s->line = config_setting_source_line(g);
	s->min_healthy = v->min_healthy;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return bad(c, g, NULL, "must be a group { protocol = ...; }");
	if (known(c, g, names) || get_str(c, g, "protocol", 1, &proto))
		return -1;
	if (!strcmp(proto, "tcp"))
		svc->proto = IPPROTO_TCP;
	else if (!strcmp(proto, "udp"))
		svc->proto = IPPROTO_UDP;
	else
		return bad(c, member(g, "protocol"), NULL,
			   "must be \"tcp\" or \"udp\"");
	if (!member(g, "port"))
		return bad(c, g, "port", "missing");
	if (get_uint(c, g, "port", 1, 65535, &port) ||
	    get_str(c, g, "scheduler", 0, &sched))
		return -1;
	for (i = 0; scheds[i]; i++)
		if (!strcmp(scheds[i], sched))
			break;
	if (!scheds[i])
		return bad(c, member(g, "scheduler"), NULL,
			   "unknown scheduler `%s' (mh, rr, wrr, sh, lc, wlc)",
			   sched);
	svc->af = v->af;
	memcpy(svc->addr, v->addr, 16);
	svc->port = port;
	snprintf(svc->sched, sizeof(svc->sched), "%s", sched);
	plen = max;
	if (get_bool(c, g, "fallback", &fallback) ||
	    get_bool(c, g, "one_packet", &onepacket) ||
	    get_uint(c, g, "persistence", 0, INT32_MAX, &svc->timeout) ||
	    get_uint(c, g, "persistence_netmask", 1, max, &plen) ||
	    get_uint(c, g, "mh_size", SLUICE_MH_SIZE_MIN, SLUICE_MH_SIZE_MAX,
		     &svc->mh_size) ||
	    get_uint(c, g, "min_healthy", 0, 65535, &s->min_healthy) ||
	    read_hash(c, g, svc) ||
	    read_checks_list(c, g, &s->checks, &s->nchecks))
		return -1;
	if (fallback && strcmp(sched, "mh") && strcmp(sched, "sh"))
		return bad(c, member(g, "fallback"), NULL,
			   "only the mh and sh schedulers fall back");
	if (onepacket && svc->proto != IPPROTO_UDP)
		return bad(c, member(g, "one_packet"), NULL,
			   "only for UDP services");
	if (svc->mh_size && (strcmp(sched, "mh") || !is_prime(svc->mh_size)))
		return bad(c, member(g, "mh_size"), NULL,
			   "must be a prime, for the mh scheduler");
	svc->sched_flags = fallback ? SLUICE_SCHED_F_FALLBACK : 0;
	svc->flags = onepacket ? SLUICE_SVC_F_ONEPACKET : 0;
	svc->persist_plen = plen;
	svc->present = SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME) |
		       SLUICE_HAS(SLUICE_SVC_A_SCHED_FLAGS) |
		       SLUICE_HAS(SLUICE_SVC_A_FLAGS) |
		       SLUICE_HAS(SLUICE_SVC_A_TIMEOUT) |
		       SLUICE_HAS(SLUICE_SVC_A_PERSIST_PLEN) |
		       SLUICE_HAS(SLUICE_SVC_A_HASH_FIELDS);
	if (svc->mh_size)
		svc->present |= SLUICE_HAS(SLUICE_SVC_A_MH_SIZE);

	reals = member(g, "reals");
	if (!reals)
		return 0;
	if (config_setting_type(reals) != CONFIG_TYPE_LIST)
		return bad(c, reals, NULL, "must be a list ( { ... }, ... )");
	n = config_setting_length(reals);
	s->reals = calloc(n ? n : 1, sizeof(*s->reals));
	if (!s->reals)
		return bad(c, reals, NULL, "out of memory");
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(reals, i);
		size_t j;

		s->nreals++; /* freed with the service even if half read */
		if (read_real(c, e, s, &s->reals[i]))
			return -1;
		for (j = 0; j < (size_t)i; j++)
			if (sluice_dest_same(&s->reals[j].dest,
					     &s->reals[i].dest))
				return bad(c, e, NULL,
					   "the same real as line %d",
					   s->reals[j].line);
	}
	return 0;
}

static int read_vip(struct ctx *c, const config_setting_t *g, struct sd_vip *v)
{
	static const char *const names[] = { "address", "min_healthy",
					     "announce", "services", NULL };
	config_setting_t *l;
	int i, n;

	v->line = config_setting_source_line(g);
	v->min_healthy = 1;
	v->announce = 1;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return bad(c, g, NULL, "must be a group { address = ...; }");
	if (known(c, g, names) ||
	    get_addr(c, g, "address", 1, &v->af, v->addr) ||
	    get_uint(c, g, "min_healthy", 0, 65535, &v->min_healthy) ||
	    get_bool(c, g, "announce", &v->announce))
		return -1;
	l = member(g, "services");
	if (!l)
		return bad(c, g, "services", "missing");
	if (config_setting_type(l) != CONFIG_TYPE_LIST ||
	    !config_setting_length(l))
		return bad(c, l, NULL, "must be a non-empty list ( { ... } )");
	n = config_setting_length(l);
	v->svcs = calloc(n, sizeof(*v->svcs));
	if (!v->svcs)
		return bad(c, l, NULL, "out of memory");
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(l, i);
		size_t j;

		v->nsvcs++; /* freed with the VIP even if half read */
		if (read_service(c, e, v, &v->svcs[i]))
			return -1;
		for (j = 0; j < (size_t)i; j++)
			if (sluice_svc_same(&v->svcs[j].svc, &v->svcs[i].svc))
				return bad(c, e, NULL,
					   "the same service as line %d",
					   v->svcs[j].line);
	}
	return 0;
}

/*
 * Each VIP's services are taken out of libconfig's tree once read (the
 * VIP stays, for the paths of later errors): the tree (most of the file)
 * and what it is read into are not both held whole (10,000 reals: 5 MB
 * and 2 MB).
 */
static int read_vips(struct ctx *c, config_setting_t *l)
{
	struct sd_config *cfg = c->cfg;
	int i, n;

	if (!l)
		return 0;
	if (config_setting_type(l) != CONFIG_TYPE_LIST)
		return bad(c, l, NULL, "must be a list ( { ... }, ... )");
	n = config_setting_length(l);
	cfg->vips = calloc(n ? n : 1, sizeof(*cfg->vips));
	if (!cfg->vips)
		return bad(c, l, NULL, "out of memory");
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(l, i);
		size_t j;

		cfg->nvips++; /* freed with the file even if half read */
		if (read_vip(c, e, &cfg->vips[i]))
			return -1;
		for (j = 0; j < (size_t)i; j++)
			if (cfg->vips[j].af == cfg->vips[i].af &&
			    !memcmp(cfg->vips[j].addr, cfg->vips[i].addr, 16))
				return bad(c, e, NULL,
					   "the same VIP as line %d",
					   cfg->vips[j].line);
		config_setting_remove(e, "services");
	}
	return 0;
}

void sd_config_free(struct sd_config *cfg)
{
	size_t i, j;

	for (i = 0; i < cfg->nchecks; i++) {
		free(cfg->checks[i].name);
		hc_spec_free(&cfg->checks[i].spec);
	}
	free(cfg->checks);
	for (i = 0; i < cfg->nvips && !cfg->block; i++) {
		for (j = 0; j < cfg->vips[i].nsvcs; j++) {
			struct sd_service *s = &cfg->vips[i].svcs[j];
			size_t k;

			for (k = 0; k < s->nreals; k++)
				free(s->reals[k].checks);
			free(s->checks);
			free(s->reals);
		}
		free(cfg->vips[i].svcs);
	}
	free(cfg->block);
	free(cfg->vips);
	free(cfg->path);
	memset(cfg, 0, sizeof(*cfg));
}

int sd_config_load(const char *file, struct sd_config *cfg, char *err,
		   size_t errlen)
{
	static const char *const names[] = { "daemon", "settings", "checks",
					     "vips", NULL };
	struct ctx c = {
		.file = file, .err = err, .errlen = errlen, .cfg = cfg
	};
	config_setting_t *root;
	char *dir = NULL;
	config_t lc;
	int rc = -1;

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->daemon.vip_if, sizeof(cfg->daemon.vip_if), "sluice-vip");
	snprintf(cfg->daemon.control, sizeof(cfg->daemon.control), "%s",
		 SD_DEFAULT_CONTROL);
	cfg->daemon.learn = 5;
	cfg->daemon.hold_down = 3;
	cfg->daemon.drain = 2;
	config_init(&lc);
	dir = strdup(file);
	if (!dir) {
		snprintf(err, errlen, "%s: out of memory", file);
		goto out;
	}
	/* @include "x.conf": next to the file, whatever the working directory. */
	c.dir = dirname(dir);
	config_set_include_dir(&lc, c.dir);
	if (!config_read_file(&lc, file)) {
		const char *f =
			config_error_file(&lc) ? config_error_file(&lc) : file;
		int rel = f[0] != '/' && strcmp(f, file);

		if (config_error_type(&lc) == CONFIG_ERR_FILE_IO)
			snprintf(err, errlen, "%s: %s", file, strerror(errno));
		else
			snprintf(err, errlen, "%s%s%s:%d: syntax: %s",
				 rel ? c.dir : "", rel ? "/" : "", f,
				 config_error_line(&lc),
				 config_error_text(&lc));
		goto out;
	}
	root = config_root_setting(&lc);
	cfg->path = strdup(file);
	if (!cfg->path) {
		snprintf(err, errlen, "%s: out of memory", file);
		goto out;
	}
	if (known(&c, root, names) ||
	    read_daemon(&c, config_lookup(&lc, "daemon")) ||
	    read_settings(&c, config_lookup(&lc, "settings")) ||
	    read_checks(&c, config_lookup(&lc, "checks")) ||
	    read_vips(&c, config_lookup(&lc, "vips")))
		goto out;
	rc = 0;
out:
	config_destroy(&lc);
	free(dir);
	if (rc)
		sd_config_free(cfg);
	return rc;
}
