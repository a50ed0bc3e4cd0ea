// SPDX-License-Identifier: GPL-2.0
/*
 * keepalived.conf's LVS part to sluiced.conf (docs/SLUICED.md).
 *
 * Mapping (keepalived.conf(5) on the left):
 *
 * virtual_server IP PORT   a service of the VIP IP (services grouped by VIP,
 *                          VIPs and services in the order of the input)
 * virtual_server fwmark N, virtual_server group NAME, virtual_server_group:
 *                          not carried (sluiced has neither)
 * protocol TCP|UDP         protocol "tcp"|"udp" (default TCP); SCTP: the
 *                          service is not carried
 * lb_algo / lvs_sched      scheduler, always written (keepalived's default
 *                          is wlc, sluiced's mh); rr wrr lc wlc sh mh carried,
 *                          any other: not carried, "mh" written
 * lb_kind / lvs_method     TUN carried; NAT, DR and the default (NAT): not
 *                          carried, sluice forwards by IP-in-IP tunnel only
 * persistence_timeout [N]  persistence = N (360 without N), always written
 * persistence_granularity  persistence_netmask = prefix length of the mask
 * quorum Q                 min_healthy of the VIP: Q / weight when the reals
 *                          have one weight; otherwise the fewest reals whose
 *                          weights reach Q (named). A VIP's min_healthy is
 *                          the least its services need: the others are named.
 * hysteresis               not carried: sluiced's hold_down covers it
 * real_server IP PORT      a real: address, port (written when it is not the
 *                          service's), weight (default 1, weight 0 kept),
 *                          uthreshold/lthreshold -> u_thresh/l_thresh
 * inhibit_on_failure       carried: sluiced always drains to weight 0 (a
 *                          comment says so where it was written)
 * TCP_CHECK                check type "tcp"
 * HTTP_GET / SSL_GET       one check type "http" / "https" per url block
 *                          (keepalived needs every url to pass, as sluiced
 *                          needs every check of a service): path,
 *                          status_code -> expect_status, virtualhost -> host
 *                          (url, checker, real_server, virtual_server, the
 *                          first found); SSL_GET -> verify = false (keepalived
 *                          does not verify the certificate); digest: not
 *                          carried
 * DNS_CHECK                check type "dns": name -> query (default "."),
 *                          type -> qtype (default SOA), transport "udp"
 * MISC_CHECK               check type "exec": misc_path -> command,
 *                          misc_timeout -> timeout (default delay_loop);
 *                          misc_dynamic: not carried
 * SMTP_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK, BFD_CHECK: not carried
 *
 * Check timing, for every check type:
 *   interval = delay_loop (checker, else real_server, else virtual_server,
 *              else keepalived's default 60 s)
 *   timeout  = connect_timeout (default 5 s) or misc_timeout; sluiced needs
 *              timeout < interval: a larger one is clamped to
 *              interval - min(1 s, interval / 2) and named
 *   rise = 1 (keepalived brings a real up on its first passed check)
 *   fall = retry + 1 (nb_get_retry is retry; defaults: 1, DNS_CHECK 3,
 *          MISC_CHECK 0): keepalived takes a real down after its check and
 *          `retry` more checks fail in a row, so does sluiced after `fall`
 *   delay_before_retry: sluiced checks again after interval, not sooner: a
 *          written delay_before_retry that is not the interval is named
 *   port = connect_port, else the real's port (always written, so a check's
 *          name tells its port); via_vip = false (keepalived probes the real
 *          itself, not through the VIP); none of the two for exec checks
 *   connect_ip, bindto, bind_port, bind_if, fwmark, warmup: not carried
 *
 * Identical checks become one entry of `checks`, named TYPE_PORT_WHAT
 * (http_80_healthz, tcp_443, dns_53_soa_root, exec_check_app; _2, _3... when
 * two differ in other settings). A service lists the checks most of its reals
 * have; a real whose checks differ from them gets its own `checks` list (the
 * per-real override of docs/SLUICED.md).
 *
 * Outside the LVS part (global_defs, vrrp_*, static_*...) a block is skipped
 * with one line on err. Anything of the LVS part not listed here is named
 * as not carried.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kconv.h"
#include "kconv_int.h"

#define KA_DELAY_LOOP 60.0 /* keepalived's defaults */
#define KA_CONNECT_TIMEOUT 5.0
#define KA_DELAY_BEFORE_RETRY 1.0
#define KA_PERSISTENCE 360

struct kc_note {
	const char *text;
	int seq; /* of the node it is about: the order */
	bool error;
	struct kc_note *next;
};

struct kc_notes {
	struct kc_note *head;
};

struct kc_check {
	const char *type; /* tcp http https dns exec */
	int port; /* -1: not written */
	const char *path, *host, *query, *qtype, *command;
	int expect_status; /* -1: not written */
	bool no_verify;
	double interval, timeout;
	int rise, fall;
	bool direct; /* via_vip = false */
	const char *name;
	struct kc_check *next;
};

struct kc_ref {
	struct kc_check *check;
	struct kc_ref *next;
};

struct kc_real {
	const char *addr;
	int port;
	long weight, uth, lth; /* uth, lth: -1 not written */
	struct kc_ref *checks;
	bool own_checks;
	struct kc_notes notes;
	struct kc_real *next;
};

struct kc_vip;

struct kc_service {
	struct kc_vip *vip;
	const char *proto;
	int port;
	const char *sched;
	long persistence;
	int netmask; /* -1: not written */
	long quorum; /* -1: not written */
	const struct kc_node *quorum_node;
	const struct kc_node *node;
	int nreals;
	struct kc_real *reals, **reals_tail;
	struct kc_ref *checks;
	struct kc_notes notes;
	struct kc_service *next;
};

struct kc_vip {
	const char *addr;
	int family;
	long min_healthy;
	struct kc_service *services, **services_tail;
	struct kc_notes notes;
	struct kc_vip *next;
};

/* What a checker takes from its real_server, and that from its VS. */
struct kc_inherit {
	double delay_loop;
	long retry; /* -1: the checker's default */
	const char *virtualhost;
};

struct kc_ctx {
	struct kc_arena a;
	FILE *err;
	int not_carried;
	bool oom; /* while writing the output */
	struct kc_notes msgs; /* for err, in the order of the input */
	struct kc_notes skipped; /* output's head */
	struct kc_notes dropped; /* in vips, before the first VIP */
	struct kc_check *checks, **checks_tail;
	struct kc_vip *vips, **vips_tail;
};

#define TRY(x)                      \
	do {                        \
		int __r = (x);      \
		if (__r)            \
			return __r; \
	} while (0)

/* Add @text to @list, kept in the order of the input (@seq). */
static int add_note_err(struct kc_ctx *c, struct kc_notes *list, int seq,
			const char *text, bool error)
{
	struct kc_note *n = kc_alloc(&c->a, sizeof(*n)), **p;

	if (!n || !text)
		return -ENOMEM;
	n->text = text;
	n->seq = seq;
	n->error = error;
	for (p = &list->head; *p && (*p)->seq <= seq; p = &(*p)->next)
		;
	n->next = *p;
	*p = n;
	return 0;
}

static int add_note(struct kc_ctx *c, struct kc_notes *list, int seq,
		    const char *text)
{
	return add_note_err(c, list, seq, text, false);
}

/* The keyword and its arguments, as written. */
static const char *node_text(struct kc_ctx *c, const struct kc_node *n)
{
	const char *s = n->name;
	int i;

	for (i = 0; s && i < n->nargs; i++)
		s = kc_printf(&c->a,
			      strchr(n->args[i], ' ') ? "%s \"%s\"" : "%s %s",
			      s, n->args[i]);
	return s;
}

/* "FILE:LINE: " of @n and what @fmt says, in c's arena; NULL: no memory. */
static char *at_node(struct kc_ctx *c, const struct kc_node *n, const char *fmt,
		     va_list ap)
{
	char *msg, *text;

	if (vasprintf(&msg, fmt, ap) < 0)
		return NULL;
	text = kc_printf(&c->a, "%s:%d: %s", n->file, n->line, msg);
	free(msg);
	return text;
}

/*
 * Name what @n says as not carried: "FILE:LINE: WHAT: not carried (WHY)" on
 * err and as a comment in @where. @fmt gives "WHAT: not carried (WHY)".
 */
static int __attribute__((format(printf, 4, 5)))
not_carried(struct kc_ctx *c, struct kc_notes *where, const struct kc_node *n,
	    const char *fmt, ...)
{
	char *text;
	va_list ap;

	va_start(ap, fmt);
	text = at_node(c, n, fmt, ap);
	va_end(ap);
	if (!text)
		return -ENOMEM;
	c->not_carried = 1;
	TRY(add_note(c, &c->msgs, n->seq, text));
	return add_note(c, where, n->seq, text);
}

/* The usual "KEYWORD ARGS: not carried (WHY)". */
static int nc(struct kc_ctx *c, struct kc_notes *where, const struct kc_node *n,
	      const char *why)
{
	const char *what = node_text(c, n);

	if (!what)
		return -ENOMEM;
	return not_carried(c, where, n, "%s: not carried (%s)", what, why);
}

static int bad(struct kc_ctx *c, const struct kc_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(struct kc_ctx *c, const struct kc_node *n, const char *fmt, ...)
{
	char *text;
	va_list ap;

	va_start(ap, fmt);
	text = at_node(c, n, fmt, ap);
	va_end(ap);
	if (!text || add_note_err(c, &c->msgs, n->seq, text, true))
		return -ENOMEM;
	return 2;
}

static bool is(const struct kc_node *n, const char *name)
{
	return !strcmp(n->name, name);
}

static bool is_ci(const char *s, const char *t)
{
	return !strcasecmp(s, t);
}

static int arg1(struct kc_ctx *c, const struct kc_node *n)
{
	if (n->nargs < 1)
		return bad(c, n, "%s needs a value", n->name);
	if (n->nargs > 1)
		return bad(c, n, "%s takes one value, not %d", n->name,
			   n->nargs);
	return 0;
}

static int get_long(struct kc_ctx *c, const struct kc_node *n, long min,
		    long max, long *out)
{
	char *end;
	long v;

	TRY(arg1(c, n));
	errno = 0;
	v = strtol(n->args[0], &end, 10);
	if (errno || end == n->args[0] || *end || v < min || v > max)
		return bad(c, n,
			   "%s: '%s' is not a whole number from %ld to %ld",
			   n->name, n->args[0], min, max);
	*out = v;
	return 0;
}

static int get_secs(struct kc_ctx *c, const struct kc_node *n, double *out)
{
	char *end;
	double v;

	TRY(arg1(c, n));
	errno = 0;
	v = strtod(n->args[0], &end);
	if (errno || end == n->args[0] || *end || !isfinite(v) || v < 0 ||
	    v > 86400)
		return bad(c, n, "%s: '%s' is not a number of seconds", n->name,
			   n->args[0]);
	*out = v;
	return 0;
}

/* An IPv4 or IPv6 address, written back the usual way. */
static int get_addr(struct kc_ctx *c, const struct kc_node *n, int i,
		    const char **out, int *family)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned char bin[16];
	int af;

	af = strchr(n->args[i], ':') ? AF_INET6 : AF_INET;
	if (inet_pton(af, n->args[i], bin) != 1)
		return bad(c, n, "%s: '%s' is not an IPv4 or IPv6 address",
			   n->name, n->args[i]);
	inet_ntop(af, bin, buf, sizeof(buf));
	*out = kc_strdup(&c->a, buf);
	if (family)
		*family = af;
	return *out ? 0 : -ENOMEM;
}

static int get_port(struct kc_ctx *c, const struct kc_node *n, int i, int *out)
{
	char *end;
	long v;

	v = strtol(n->args[i], &end, 10);
	if (end == n->args[i] || *end || v < 0 || v > 65535)
		return bad(c, n, "%s: '%s' is not a port (0 to 65535)", n->name,
			   n->args[i]);
	*out = v;
	return 0;
}

/* Seconds as sluiced writes them: 6.0, 2.5, 0.125. */
static const char *secs(struct kc_ctx *c, double v)
{
	char buf[64];
	const char *s;
	size_t n;

	snprintf(buf, sizeof(buf), "%.3f", v);
	n = strlen(buf);
	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = '\0';
	s = kc_strdup(&c->a, buf);
	if (!s) {
		c->oom = true;
		return "?";
	}
	return s;
}

/* keepalived.conf(5)'s conditional lines and parameters. */
static int keepalived_macro(struct kc_ctx *c, struct kc_notes *where,
			    const struct kc_node *n)
{
	if (n->name[0] == '@')
		return nc(
			c, where, n,
			"a conditional line depends on keepalived's config-id: convert a copy edited for this node");
	return nc(
		c, where, n,
		"keepalived's parameter substitution: convert a copy with the parameters written out");
}

static bool is_macro(const struct kc_node *n)
{
	return n->name[0] == '@' || n->name[0] == '$';
}

/* -------------------------------------------------------------------- */
/* checks */

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_check(const struct kc_check *a, const struct kc_check *b)
{
	return !strcmp(a->type, b->type) && a->port == b->port &&
	       same_str(a->path, b->path) && same_str(a->host, b->host) &&
	       same_str(a->query, b->query) && same_str(a->qtype, b->qtype) &&
	       same_str(a->command, b->command) &&
	       a->expect_status == b->expect_status &&
	       a->no_verify == b->no_verify && a->interval == b->interval &&
	       a->timeout == b->timeout && a->rise == b->rise &&
	       a->fall == b->fall && a->direct == b->direct;
}

/* Add @proto (or the same check already known) to @real's checks. */
static int use_check(struct kc_ctx *c, struct kc_real *real,
		     const struct kc_check *proto)
{
	struct kc_check *k;
	struct kc_ref **r;

	for (k = c->checks; k; k = k->next)
		if (same_check(k, proto))
			break;
	if (!k) {
		k = kc_alloc(&c->a, sizeof(*k));
		if (!k)
			return -ENOMEM;
		*k = *proto;
		k->next = NULL;
		*c->checks_tail = k;
		c->checks_tail = &k->next;
	}
	for (r = &real->checks; *r; r = &(*r)->next)
		if ((*r)->check == k)
			return 0;
	*r = kc_alloc(&c->a, sizeof(**r));
	if (!*r)
		return -ENOMEM;
	(*r)->check = k;
	return 0;
}

static const char *const unsupported_checkers[][2] = {
	{ "SMTP_CHECK",
	  "sluiced has no SMTP check: the real is not checked by it" },
	{ "UDP_CHECK",
	  "sluiced's udp check needs the bytes to send and expect: write one by hand" },
	{ "PING_CHECK",
	  "sluiced has no ICMP check: the real is not checked by it" },
	{ "FILE_CHECK",
	  "sluiced has no file check: the real is not checked by it" },
	{ "BFD_CHECK", "BFD is BIRD's job: the real is not checked by it" },
};

static bool is_checker(const struct kc_node *n)
{
	size_t i;

	if (is(n, "TCP_CHECK") || is(n, "HTTP_GET") || is(n, "SSL_GET") ||
	    is(n, "DNS_CHECK") || is(n, "MISC_CHECK"))
		return true;
	for (i = 0;
	     i < sizeof(unsupported_checkers) / sizeof(unsupported_checkers[0]);
	     i++)
		if (is(n, unsupported_checkers[i][0]))
			return true;
	return false;
}

/* Settings every level (virtual_server, real_server, checker) may hold. */
static int common_setting(struct kc_ctx *c, struct kc_notes *where,
			  const struct kc_node *n, struct kc_inherit *inh,
			  bool *done)
{
	*done = true;
	if (is(n, "delay_loop")) {
		TRY(get_secs(c, n, &inh->delay_loop));
		if (inh->delay_loop <= 0)
			return bad(c, n, "delay_loop must be more than 0");
	} else if (is(n, "retry") || is(n, "nb_get_retry")) {
		TRY(get_long(c, n, 0, 1000, &inh->retry));
	} else if (is(n, "delay_before_retry")) {
		double v;

		TRY(get_secs(c, n, &v));
		/* sluiced's interval is the level's delay_loop, or lower's */
		if (v != inh->delay_loop)
			return not_carried(
				c, where, n,
				"delay_before_retry %s: not carried (sluiced checks again after the interval, delay_loop %s, not sooner)",
				n->args[0], secs(c, inh->delay_loop));
	} else if (is(n, "inhibit_on_failure")) {
		return add_note(
			c, where, n->seq,
			kc_printf(
				&c->a,
				"%s:%d: inhibit_on_failure: carried: sluiced always drains a failing real to weight 0",
				n->file, n->line));
	} else if (is(n, "warmup")) {
		return nc(
			c, where, n,
			"sluiced starts every check at once; its learn period keeps VIPs back until the checks have a verdict");
	} else if (is(n, "alpha")) {
		return nc(
			c, where, n,
			"sluiced starts down every real the kernel does not already have with its weight");
	} else if (is(n, "smtp_alert")) {
		return nc(c, where, n, "sluiced sends no mail");
	} else if (is(n, "virtualhost")) {
		TRY(arg1(c, n));
		inh->virtualhost = n->args[0];
	} else {
		*done = false;
	}
	return 0;
}

static int checker_setting(struct kc_ctx *c, struct kc_notes *where,
			   const struct kc_node *n, struct kc_check *k,
			   struct kc_inherit *inh, const struct kc_node **tmo)
{
	bool done;
	long v;

	TRY(common_setting(c, where, n, inh, &done));
	if (done)
		return 0;
	if (is(n, "connect_port")) {
		TRY(get_long(c, n, 1, 65535, &v));
		k->port = v;
	} else if (is(n, "connect_timeout")) {
		TRY(get_secs(c, n, &k->timeout));
		if (k->timeout <= 0)
			return bad(c, n, "connect_timeout must be more than 0");
		*tmo = n;
	} else if (is(n, "connect_ip")) {
		return nc(c, where, n,
			  "sluiced probes the real's own address (or the VIP)");
	} else if (is(n, "bindto") || is(n, "bind_if") || is(n, "bind_port")) {
		return nc(
			c, where, n,
			"sluiced probes from the node's own address; daemon.probe_source only sets the source of through-the-VIP probes");
	} else if (is(n, "fwmark")) {
		return nc(c, where, n, "sluiced's checks set no firewall mark");
	} else if (is_macro(n)) {
		return keepalived_macro(c, where, n);
	} else {
		return nc(c, where, n, "no sluiced equivalent");
	}
	return 0;
}

/* timeout < interval, as sluiced needs. */
static int clamp_timeout(struct kc_ctx *c, struct kc_notes *where,
			 const struct kc_node *checker,
			 const struct kc_node *tmo, const char *what,
			 struct kc_check *k)
{
	double t = k->timeout;

	if (t < k->interval)
		return 0;
	k->timeout = k->interval - fmin(1.0, k->interval / 2);
	if (tmo)
		return not_carried(
			c, where, tmo,
			"%s %s: not carried (sluiced needs timeout < interval %s: timeout = %s)",
			what, tmo->args[0], secs(c, k->interval),
			secs(c, k->timeout));
	return not_carried(
		c, where, checker,
		"%s (default %s) of %s: not carried (sluiced needs timeout < interval %s: timeout = %s)",
		what, secs(c, t), checker->name, secs(c, k->interval),
		secs(c, k->timeout));
}

static int url_block(struct kc_ctx *c, struct kc_real *real,
		     const struct kc_node *url, const struct kc_check *base,
		     const char *host)
{
	struct kc_check k = *base;
	const struct kc_node *n;
	long v;

	k.path = "/";
	k.host = host;
	for (n = url->child; n; n = n->next) {
		if (is(n, "path")) {
			TRY(arg1(c, n));
			if (n->args[0][0] == '/') {
				k.path = n->args[0];
				continue;
			}
			/* sluiced.conf's rule (an HTTP request's path) */
			k.path = "/";
			TRY(nc(c, &real->notes, n,
			       "a path must start with /: the check asks for / instead"));
		} else if (is(n, "status_code")) {
			char *end = NULL;

			v = n->nargs == 1 ? strtol(n->args[0], &end, 10) : 0;
			if (end && end != n->args[0] && !*end && v >= 100 &&
			    v <= 599) {
				k.expect_status = v;
				continue;
			}
			TRY(nc(c, &real->notes, n,
			       "sluiced expects one status code: any 2xx is expected"));
		} else if (is(n, "digest")) {
			TRY(nc(c, &real->notes, n,
			       "sluiced does not hash the body: the check tests the status only"));
		} else if (is(n, "virtualhost")) {
			TRY(arg1(c, n));
			k.host = n->args[0];
		} else if (is_macro(n)) {
			TRY(keepalived_macro(c, &real->notes, n));
		} else {
			TRY(nc(c, &real->notes, n, "no sluiced equivalent"));
		}
	}
	return use_check(c, real, &k);
}

static int checker(struct kc_ctx *c, struct kc_real *real,
		   const struct kc_node *ck, struct kc_inherit inh)
{
	const struct kc_node *n, *tmo = NULL, *mtmo = NULL;
	struct kc_check k = {
		.port = real->port,
		.expect_status = -1,
		.timeout = -1,
		.rise = 1,
		.direct = true,
	};
	bool http = is(ck, "HTTP_GET") || is(ck, "SSL_GET");
	bool dns = is(ck, "DNS_CHECK"), misc = is(ck, "MISC_CHECK");
	long retry_default = dns ? 3 : misc ? 0 : 1;
	int urls = 0;
	size_t i;

	for (i = 0;
	     i < sizeof(unsupported_checkers) / sizeof(unsupported_checkers[0]);
	     i++)
		if (is(ck, unsupported_checkers[i][0]))
			return nc(c, &real->notes, ck,
				  unsupported_checkers[i][1]);
	if (!ck->block)
		return bad(c, ck, "%s needs a block { ... }", ck->name);
	k.type = is(ck, "TCP_CHECK") ? "tcp" :
		 is(ck, "HTTP_GET")  ? "http" :
		 is(ck, "SSL_GET")   ? "https" :
		 dns		     ? "dns" :
				       "exec";
	k.no_verify = is(ck, "SSL_GET");
	if (dns) {
		k.query = ".";
		k.qtype = "SOA";
	}
	/* delay_loop first: delay_before_retry is judged against it */
	for (n = ck->child; n; n = n->next)
		if (is(n, "delay_loop"))
			TRY(checker_setting(c, &real->notes, n, &k, &inh,
					    &tmo));
	for (n = ck->child; n; n = n->next) {
		if (is(n, "delay_loop"))
			continue;
		if (http && is(n, "url")) {
			urls++;
			continue;
		}
		if (dns && is(n, "type")) {
			static const char *const types[] = {
				"A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA",
			};

			TRY(arg1(c, n));
			for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
				if (is_ci(n->args[0], types[i]))
					k.qtype = types[i];
			if (!is_ci(k.qtype, n->args[0]))
				return bad(
					c, n,
					"type: '%s' is not A, NS, CNAME, SOA, MX, TXT or AAAA",
					n->args[0]);
			continue;
		}
		if (dns && is(n, "name")) {
			TRY(arg1(c, n));
			k.query = n->args[0];
			continue;
		}
		if (misc && is(n, "misc_path")) {
			if (n->nargs < 1)
				return bad(c, n, "misc_path needs a command");
			k.command = n->args[0];
			if (n->nargs > 1)
				TRY(not_carried(
					c, &real->notes, n,
					"misc_path's user and group (%s): not carried (sluiced runs commands as its own user)",
					n->args[1]));
			continue;
		}
		if (misc && is(n, "misc_timeout")) {
			TRY(get_secs(c, n, &k.timeout));
			if (k.timeout <= 0)
				return bad(c, n,
					   "misc_timeout must be more than 0");
			mtmo = n;
			continue;
		}
		if (misc && is(n, "misc_dynamic")) {
			TRY(nc(c, &real->notes, n,
			       "sluiced does not set weights from a command's exit status: 0 passes, anything else fails"));
			continue;
		}
		if (misc && (is(n, "user") || is(n, "group"))) {
			TRY(nc(c, &real->notes, n,
			       "sluiced runs commands as its own user"));
			continue;
		}
		TRY(checker_setting(c, &real->notes, n, &k, &inh, &tmo));
	}
	k.interval = inh.delay_loop;
	k.fall = (inh.retry >= 0 ? inh.retry : retry_default) + 1;
	if (misc) {
		if (!k.command)
			return bad(c, ck, "MISC_CHECK without misc_path");
		if (k.timeout < 0)
			k.timeout = k.interval;
		k.port = -1;
		k.direct = false;
		TRY(clamp_timeout(c, &real->notes, ck, mtmo, "misc_timeout",
				  &k));
		return use_check(c, real, &k);
	}
	if (k.timeout < 0)
		k.timeout = KA_CONNECT_TIMEOUT;
	TRY(clamp_timeout(c, &real->notes, ck, tmo, "connect_timeout", &k));
	if (!http)
		return use_check(c, real, &k);
	if (!urls)
		return not_carried(
			c, &real->notes, ck,
			"%s without url: not carried (keepalived needs one: no check made)",
			ck->name);
	for (n = ck->child; n; n = n->next)
		if (is(n, "url"))
			TRY(url_block(c, real, n, &k, inh.virtualhost));
	return 0;
}

/* -------------------------------------------------------------------- */
/* virtual and real servers */

static int forwarding(struct kc_ctx *c, struct kc_notes *where,
		      const struct kc_node *n)
{
	TRY(arg1(c, n));
	if (is_ci(n->args[0], "TUN"))
		return 0;
	if (is_ci(n->args[0], "NAT") || is_ci(n->args[0], "DR"))
		return nc(
			c, where, n,
			"sluice forwards by IP-in-IP tunnel only: the output uses the tunnel, the reals must decapsulate it and answer from the VIP");
	return bad(c, n, "%s: '%s' is not NAT, DR or TUN", n->name, n->args[0]);
}

static int real_server(struct kc_ctx *c, struct kc_service *s,
		       const struct kc_node *rs, struct kc_inherit inh)
{
	const struct kc_node *n, *lth = NULL;
	struct kc_real *r, *o;
	int port = s->port;
	bool done;

	if (rs->nargs < 1 || rs->nargs > 2)
		return bad(c, rs, "real_server takes an address and a port");
	r = kc_alloc(&c->a, sizeof(*r));
	if (!r)
		return -ENOMEM;
	TRY(get_addr(c, rs, 0, &r->addr, NULL));
	if (rs->nargs == 2)
		TRY(get_port(c, rs, 1, &port));
	r->port = port ? port : s->port;
	r->weight = 1;
	r->uth = r->lth = -1;
	for (o = s->reals; o; o = o->next)
		if (!strcmp(o->addr, r->addr) && o->port == r->port)
			return nc(
				c, &s->notes, rs,
				"the same real again in this virtual_server: the first is kept");
	/* delay_loop first: delay_before_retry is judged against it */
	for (n = rs->child; n; n = n->next)
		if (is(n, "delay_loop"))
			TRY(common_setting(c, &r->notes, n, &inh, &done));
	for (n = rs->child; n; n = n->next) {
		if (is(n, "delay_loop") || is_checker(n))
			continue;
		TRY(common_setting(c, &r->notes, n, &inh, &done));
		if (done)
			continue;
		if (is(n, "weight")) {
			TRY(get_long(c, n, 0, 65535, &r->weight));
		} else if (is(n, "uthreshold")) {
			TRY(get_long(c, n, 0, 0x7fffffff, &r->uth));
		} else if (is(n, "lthreshold")) {
			TRY(get_long(c, n, 0, 0x7fffffff, &r->lth));
			lth = n;
		} else if (is(n, "lb_kind") || is(n, "lvs_method")) {
			TRY(forwarding(c, &r->notes, n));
		} else if (is(n, "notify_up") || is(n, "notify_down")) {
			TRY(nc(c, &r->notes, n,
			       "sluiced runs no scripts on state changes: its status socket and metrics tell them"));
		} else if (is_macro(n)) {
			TRY(keepalived_macro(c, &r->notes, n));
		} else {
			TRY(nc(c, &r->notes, n, "no sluiced equivalent"));
		}
	}
	/* sluiced.conf's rule: below a uthreshold, or no lthreshold */
	if (r->lth > 0 && r->lth >= (r->uth > 0 ? r->uth : 0)) {
		r->lth = -1;
		TRY(nc(c, &r->notes, lth,
		       r->uth > 0 ?
			       "must be below uthreshold: left out (an overload clears below 3/4 of uthreshold)" :
			       "needs a uthreshold: left out"));
	}
	for (n = rs->child; n; n = n->next)
		if (is_checker(n))
			TRY(checker(c, r, n, inh));
	*s->reals_tail = r;
	s->reals_tail = &r->next;
	s->nreals++;
	return 0;
}

static const char *const schedulers[] = { "rr", "wrr", "lc", "wlc", "sh", "mh" };

static int netmask_len(const char *mask, int family)
{
	unsigned char b[16];
	int len = 0, i, bits = family == AF_INET ? 32 : 128;
	char *end;
	long v;

	if (!strchr(mask, '.') && !strchr(mask, ':')) {
		v = strtol(mask, &end, 10);
		return end == mask || *end || v < 0 || v > bits ? -1 : v;
	}
	if (inet_pton(family, mask, b) != 1)
		return -1;
	for (i = 0; i < bits; i++) {
		if (!(b[i / 8] & (0x80 >> (i % 8))))
			break;
		len++;
	}
	for (; i < bits; i++)
		if (b[i / 8] & (0x80 >> (i % 8)))
			return -1;
	return len;
}

static struct kc_vip *find_vip(struct kc_ctx *c, const char *addr, int family)
{
	struct kc_vip *v;

	for (v = c->vips; v; v = v->next)
		if (!strcmp(v->addr, addr))
			return v;
	v = kc_alloc(&c->a, sizeof(*v));
	if (!v)
		return NULL;
	v->addr = addr;
	v->family = family;
	v->services_tail = &v->services;
	*c->vips_tail = v;
	c->vips_tail = &v->next;
	return v;
}

/* A service not carried: what was said of it goes to its VIP. */
static int drop_service(struct kc_ctx *c, struct kc_service *s, int ret)
{
	struct kc_note *n;

	for (n = s->notes.head; !ret && n; n = n->next)
		ret = add_note(c, &s->vip->notes, n->seq, n->text);
	return ret;
}

static int virtual_server(struct kc_ctx *c, const struct kc_node *vs)
{
	struct kc_inherit inh = { .delay_loop = KA_DELAY_LOOP, .retry = -1 };
	const struct kc_node *n, *kind = NULL, *sctp = NULL;
	struct kc_service *s, *o;
	const char *addr;
	bool done;
	int family;
	size_t i;

	if (vs->nargs >= 1 && is_ci(vs->args[0], "fwmark"))
		return nc(
			c, &c->dropped, vs,
			"sluice has no firewall-mark services: write one virtual_server per VIP, protocol and port");
	if (vs->nargs >= 1 && is_ci(vs->args[0], "group"))
		return nc(
			c, &c->dropped, vs,
			"sluiced has no groups of virtual servers: write one virtual_server per VIP and port");
	if (vs->nargs < 1)
		return bad(
			c, vs,
			"virtual_server needs an address and a port, fwmark N or group NAME");
	if (!strchr(vs->args[0], ':') && !strchr(vs->args[0], '.'))
		return bad(
			c, vs,
			"virtual_server: '%s' is not an address, fwmark or group",
			vs->args[0]);
	if (vs->nargs != 2)
		return bad(c, vs, "virtual_server takes an address and a port");
	if (!vs->block)
		return bad(c, vs, "virtual_server needs a block { ... }");
	s = kc_alloc(&c->a, sizeof(*s));
	if (!s)
		return -ENOMEM;
	TRY(get_addr(c, vs, 0, &addr, &family));
	TRY(get_port(c, vs, 1, &s->port));
	s->node = vs;
	s->proto = "tcp";
	s->sched = "wlc";
	s->netmask = -1;
	s->quorum = -1;
	s->reals_tail = &s->reals;

	for (n = vs->child; n; n = n->next)
		if (is(n, "delay_loop"))
			TRY(common_setting(c, &s->notes, n, &inh, &done));
	for (n = vs->child; n; n = n->next) {
		if (is(n, "delay_loop") || is(n, "real_server"))
			continue;
		TRY(common_setting(c, &s->notes, n, &inh, &done));
		if (done)
			continue;
		if (is(n, "lb_algo") || is(n, "lvs_sched")) {
			TRY(arg1(c, n));
			s->sched = NULL;
			for (i = 0;
			     i < sizeof(schedulers) / sizeof(schedulers[0]);
			     i++)
				if (is_ci(n->args[0], schedulers[i]))
					s->sched = schedulers[i];
			if (!s->sched) {
				s->sched = "mh";
				TRY(nc(c, &s->notes, n,
				       "sluice schedules with rr, wrr, lc, wlc, sh or mh: mh is used"));
			}
		} else if (is(n, "lb_kind") || is(n, "lvs_method")) {
			kind = n;
			TRY(forwarding(c, &s->notes, n));
		} else if (is(n, "protocol")) {
			TRY(arg1(c, n));
			if (is_ci(n->args[0], "TCP"))
				s->proto = "tcp";
			else if (is_ci(n->args[0], "UDP"))
				s->proto = "udp";
			else if (is_ci(n->args[0], "SCTP"))
				sctp = n;
			else
				return bad(
					c, n,
					"protocol: '%s' is not TCP, UDP or SCTP",
					n->args[0]);
		} else if (is(n, "persistence_timeout")) {
			s->persistence = KA_PERSISTENCE;
			if (n->nargs)
				TRY(get_long(c, n, 0, 0x7fffffff,
					     &s->persistence));
		} else if (is(n, "persistence_granularity")) {
			TRY(arg1(c, n));
			s->netmask = netmask_len(n->args[0], family);
			if (s->netmask < 0)
				TRY(nc(c, &s->notes, n,
				       "not a netmask of contiguous bits for this VIP's family: the whole address is used"));
		} else if (is(n, "quorum")) {
			TRY(get_long(c, n, 0, 0x7fffffff, &s->quorum));
			s->quorum_node = n;
		} else if (is(n, "hysteresis")) {
			TRY(nc(c, &s->notes, n,
			       "sluiced's hold_down covers it: a withdrawn VIP is announced again once eligible for daemon.hold_down seconds"));
		} else if (is(n, "sorry_server") ||
			   is(n, "sorry_server_inhibit") ||
			   is(n, "sorry_server_lvs_method")) {
			TRY(nc(c, &s->notes, n,
			       "sluiced has no sorry server: a VIP without enough healthy reals is withdrawn"));
		} else if (is(n, "omega") || is(n, "quorum_up") ||
			   is(n, "quorum_down")) {
			TRY(nc(c, &s->notes, n,
			       "sluiced runs no scripts on state changes: its status socket and metrics tell them"));
		} else if (is(n, "ha_suspend")) {
			TRY(nc(c, &s->notes, n,
			       "sluiced holds the VIP addresses itself: its checks always run"));
		} else if (is_macro(n)) {
			TRY(keepalived_macro(c, &s->notes, n));
		} else {
			TRY(nc(c, &s->notes, n, "no sluiced equivalent"));
		}
	}
	if (!kind)
		TRY(not_carried(
			c, &s->notes, vs,
			"lb_kind (default NAT): not carried (sluice forwards by IP-in-IP tunnel only: the output uses the tunnel, the reals must decapsulate it and answer from the VIP)"));

	s->vip = find_vip(c, addr, family);
	if (!s->vip)
		return -ENOMEM;
	if (sctp)
		return drop_service(
			c, s,
			not_carried(
				c, &s->vip->notes, vs,
				"virtual_server %s %s: not carried (protocol SCTP, line %d: sluice balances TCP and UDP)",
				vs->args[0], vs->args[1], sctp->line));
	for (o = s->vip->services; o; o = o->next)
		if (o->port == s->port && !strcmp(o->proto, s->proto))
			return drop_service(
				c, s,
				not_carried(
					c, &s->vip->notes, vs,
					"virtual_server %s %s: not carried (the same service as at %s:%d, which is kept)",
					vs->args[0], vs->args[1], o->node->file,
					o->node->line));

	for (n = vs->child; n; n = n->next)
		if (is(n, "real_server"))
			TRY(real_server(c, s, n, inh));
	*s->vip->services_tail = s;
	s->vip->services_tail = &s->next;
	return 0;
}

/* -------------------------------------------------------------------- */
/* what comes after: per-service checks, quorum, names */

static bool same_refs(const struct kc_ref *a, const struct kc_ref *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (a->check != b->check)
			return false;
	return !a && !b;
}

/* The service checks what most of its reals check (the first on a tie). */
static void service_checks(struct kc_service *s)
{
	struct kc_real *r, *o;
	int best = 0, n;

	for (r = s->reals; r; r = r->next) {
		n = 0;
		for (o = s->reals; o; o = o->next)
			n += same_refs(r->checks, o->checks);
		if (n > best) {
			best = n;
			s->checks = r->checks;
		}
	}
	for (r = s->reals; r; r = r->next)
		r->own_checks = !same_refs(r->checks, s->checks);
}

static int cmp_weight_desc(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* How many healthy reals stand for keepalived's quorum (a total weight). */
static int service_need(struct kc_ctx *c, struct kc_service *s, long *need)
{
	long *w, sum = 0;
	struct kc_real *r;
	bool one = true;
	int i = 0;

	*need = 1;
	if (s->quorum < 0)
		return 0;
	if (s->quorum == 0 || !s->nreals) {
		*need = s->quorum ? 1 : 0;
		return 0;
	}
	w = kc_alloc(&c->a, s->nreals * sizeof(*w));
	if (!w)
		return -ENOMEM;
	for (r = s->reals; r; r = r->next) {
		w[i] = r->weight;
		one = one && w[i] == w[0];
		i++;
	}
	if (one && w[0] > 0) {
		*need = (s->quorum + w[0] - 1) / w[0];
		if (*need <= s->nreals)
			return 0;
	}
	qsort(w, s->nreals, sizeof(*w), cmp_weight_desc);
	for (i = 0; i < s->nreals && sum < s->quorum; i++)
		sum += w[i];
	*need = i;
	if (sum < s->quorum)
		return not_carried(
			c, &s->notes, s->quorum_node,
			"quorum %ld: not carried (more than the weights of all reals, %ld: min_healthy = %ld, all of them)",
			s->quorum, sum, *need);
	return not_carried(
		c, &s->notes, s->quorum_node,
		"quorum %ld: not carried (a total weight; sluiced counts healthy reals and these have unequal weights: min_healthy = %ld, the fewest that can reach it)",
		s->quorum, *need);
}

static int vip_min_healthy(struct kc_ctx *c, struct kc_vip *v)
{
	struct kc_service *s;
	long need;

	v->min_healthy = -1;
	for (s = v->services; s; s = s->next) {
		TRY(service_need(c, s, &need));
		s->quorum = need; /* from here on: reals needed */
		if (v->min_healthy < 0 || need < v->min_healthy)
			v->min_healthy = need;
	}
	for (s = v->services; s; s = s->next)
		if (s->quorum > v->min_healthy) {
			if (s->quorum_node)
				TRY(not_carried(
					c, &s->notes, s->quorum_node,
					"quorum %s: not carried (min_healthy is one for all services of VIP %s, and another one needs fewer reals: min_healthy = %ld)",
					s->quorum_node->args[0], v->addr,
					v->min_healthy));
			else
				TRY(not_carried(
					c, &s->notes, s->node,
					"min_healthy %ld of virtual_server %s %d: not carried (min_healthy is one for all services of the VIP, and another one needs fewer reals: min_healthy = %ld)",
					s->quorum, v->addr, s->port,
					v->min_healthy));
		}
	return 0;
}

/* Lower case letters and digits, '_' for the rest: "/health/z" "health_z" */
static const char *slug(struct kc_ctx *c, const char *s)
{
	char buf[41];
	size_t n = 0;

	for (; *s && n < sizeof(buf) - 1; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			buf[n++] = *s;
		else if (*s >= 'A' && *s <= 'Z')
			buf[n++] = *s - 'A' + 'a';
		else if (n && buf[n - 1] != '_')
			buf[n++] = '_';
	}
	while (n && buf[n - 1] == '_')
		n--;
	buf[n] = '\0';
	return kc_strdup(&c->a, n ? buf : "root");
}

static int name_checks(struct kc_ctx *c)
{
	struct kc_check *k, *o;
	const char *base, *word;
	int i;

	for (k = c->checks; k; k = k->next) {
		if (!strcmp(k->type, "tcp")) {
			base = kc_printf(&c->a, "tcp_%d", k->port);
		} else if (!strcmp(k->type, "dns")) {
			base = kc_printf(&c->a, "dns_%d_%s_%s", k->port,
					 slug(c, k->qtype), slug(c, k->query));
		} else if (!strcmp(k->type, "exec")) {
			/* the program's file name */
			word = kc_strndup(&c->a, k->command,
					  strcspn(k->command, " \t"));
			if (word && strrchr(word, '/'))
				word = strrchr(word, '/') + 1;
			base = word ? kc_printf(&c->a, "exec_%s",
						slug(c, word)) :
				      NULL;
		} else {
			base = kc_printf(&c->a, "%s_%d_%s", k->type, k->port,
					 slug(c, k->path));
		}
		if (!base)
			return -ENOMEM;
		k->name = base;
		for (i = 2;; i++) {
			for (o = c->checks; o != k; o = o->next)
				if (!strcmp(o->name, k->name))
					break;
			if (o == k)
				break;
			k->name = kc_printf(&c->a, "%s_%d", base, i);
			if (!k->name)
				return -ENOMEM;
		}
	}
	return 0;
}

/* -------------------------------------------------------------------- */
/* output */

static void put(FILE *out, int indent, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put(FILE *out, int indent, const char *fmt, ...)
{
	va_list ap;

	fprintf(out, "%*s", indent * 2, "");
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

/* A libconfig string: "..." with \" \\ and \xNN for control bytes. */
static const char *quote(struct kc_ctx *c, const char *s)
{
	char *q = kc_alloc(&c->a, strlen(s) * 4 + 3), *p = q;

	if (!q) {
		c->oom = true;
		return "\"\"";
	}
	*p++ = '"';
	for (; *s; s++) {
		if (*s == '"' || *s == '\\') {
			*p++ = '\\';
			*p++ = *s;
		} else if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			p += sprintf(p, "\\x%02x", (unsigned char)*s);
		} else {
			*p++ = *s;
		}
	}
	*p++ = '"';
	return q;
}

static void put_notes(FILE *out, int indent, const struct kc_notes *l)
{
	const struct kc_note *n;

	for (n = l->head; n; n = n->next)
		put(out, indent, "# %s", n->text);
}

static void put_check_list(struct kc_ctx *c, FILE *out, int indent,
			   const struct kc_ref *r)
{
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);

	if (!m) {
		c->oom = true;
		return;
	}
	fputs("checks = [", m);
	for (; r; r = r->next)
		fprintf(m, " \"%s\"%s", r->check->name, r->next ? "," : " ");
	fputs("];", m);
	if (fclose(m)) {
		c->oom = true;
		free(line);
		return;
	}
	put(out, indent, "%s", line);
	free(line);
}

static void put_check(struct kc_ctx *c, FILE *out, const struct kc_check *k)
{
	put(out, 1, "%s = {", k->name);
	put(out, 2, "type = \"%s\";", k->type);
	if (k->port >= 0)
		put(out, 2, "port = %d;", k->port);
	if (k->path)
		put(out, 2, "path = %s;", quote(c, k->path));
	if (k->host)
		put(out, 2, "host = %s;", quote(c, k->host));
	if (k->expect_status >= 0)
		put(out, 2, "expect_status = %d;", k->expect_status);
	if (k->no_verify)
		put(out, 2, "verify = false;");
	if (k->query)
		put(out, 2, "query = %s;", quote(c, k->query));
	if (k->qtype) {
		put(out, 2, "qtype = \"%s\";", k->qtype);
		put(out, 2, "transport = \"udp\";");
	}
	if (k->command)
		put(out, 2, "command = %s;", quote(c, k->command));
	put(out, 2, "interval = %s;", secs(c, k->interval));
	put(out, 2, "timeout = %s;", secs(c, k->timeout));
	put(out, 2, "rise = %d;", k->rise);
	put(out, 2, "fall = %d;", k->fall);
	if (k->direct)
		put(out, 2, "via_vip = false;");
	put(out, 1, "};");
}

static void put_real(struct kc_ctx *c, FILE *out, const struct kc_service *s,
		     const struct kc_real *r)
{
	put(out, 5, "{");
	put_notes(out, 6, &r->notes);
	put(out, 6, "address = \"%s\";", r->addr);
	if (r->port != s->port)
		put(out, 6, "port = %d;", r->port);
	put(out, 6, "weight = %ld;", r->weight);
	if (r->uth >= 0)
		put(out, 6, "u_thresh = %ld;", r->uth);
	if (r->lth >= 0)
		put(out, 6, "l_thresh = %ld;", r->lth);
	if (r->own_checks) {
		put(out, 6,
		    "# checked otherwise than the service's other reals:");
		put_check_list(c, out, 6, r->checks);
	}
	put(out, 5, "}%s", r->next ? "," : "");
}

static void put_service(struct kc_ctx *c, FILE *out, const struct kc_service *s)
{
	const struct kc_real *r;

	put(out, 3, "{");
	put(out, 4, "# %s:%d: virtual_server %s %d", s->node->file,
	    s->node->line, s->vip->addr, s->port);
	put_notes(out, 4, &s->notes);
	put(out, 4, "protocol = \"%s\";", s->proto);
	put(out, 4, "port = %d;", s->port);
	put(out, 4, "scheduler = \"%s\";", s->sched);
	put(out, 4, "persistence = %ld;", s->persistence);
	if (s->netmask >= 0)
		put(out, 4, "persistence_netmask = %d;", s->netmask);
	put_check_list(c, out, 4, s->checks);
	if (!s->reals) {
		put(out, 4, "reals = ( );");
	} else {
		put(out, 4, "reals = (");
		for (r = s->reals; r; r = r->next)
			put_real(c, out, s, r);
		put(out, 4, ");");
	}
	put(out, 3, "}%s", s->next ? "," : "");
}

static void output(struct kc_ctx *c, FILE *out, const char *in_name)
{
	const struct kc_service *s;
	const struct kc_check *k;
	const struct kc_vip *v;
	bool first = true;

	put(out, 0, "# sluiced.conf converted from %s (keepalived.conf).",
	    in_name);
	put(out, 0,
	    "# Checks as keepalived's: a real is probed directly (via_vip = false), up");
	put(out, 0,
	    "# after one passed check (rise = 1), down after retry + 1 failed ones (fall).");
	put(out, 0,
	    "# sluiced drains a failing real to weight 0 (inhibit_on_failure) and");
	put(out, 0,
	    "# withdraws a VIP whose services have fewer than min_healthy reals up.");
	put_notes(out, 0, &c->skipped);
	if (c->checks) {
		put(out, 0, "%s", "");
		put(out, 0, "checks = {");
		for (k = c->checks; k; k = k->next)
			put_check(c, out, k);
		put(out, 0, "};");
	}
	put(out, 0, "%s", "");
	put(out, 0, "vips = (");
	put_notes(out, 1, &c->dropped);
	for (v = c->vips; v; v = v->next) {
		if (!v->services) {
			put_notes(out, 1, &v->notes);
			continue;
		}
		if (!first)
			put(out, 1, "},");
		first = false;
		put(out, 1, "{");
		put_notes(out, 2, &v->notes);
		put(out, 2, "address = \"%s\";", v->addr);
		put(out, 2, "min_healthy = %ld;", v->min_healthy);
		put(out, 2, "services = (");
		for (s = v->services; s; s = s->next)
			put_service(c, out, s);
		put(out, 2, ");");
	}
	if (!first)
		put(out, 1, "}");
	put(out, 0, ");");
}

/* -------------------------------------------------------------------- */

static const char *skip_reason(const char *name)
{
	if (!strncmp(name, "vrrp_", 5) || !strcmp(name, "garp_group") ||
	    !strcmp(name, "linkbeat_interfaces"))
		return "VRRP is not used; VIPs are announced over BGP";
	if (!strcmp(name, "global_defs"))
		return "keepalived's global settings (mail, router_id, processes) are not sluiced's job";
	if (!strncmp(name, "static_", 7))
		return "static addresses, routes and rules are the system's job, not sluiced's";
	if (!strcmp(name, "bfd_instance"))
		return "BFD is BIRD's job, not sluiced's";
	if (!strncmp(name, "track_", 6))
		return "tracking is for VRRP, which is not used";
	return "not part of keepalived's LVS configuration";
}

static int convert(struct kc_ctx *c, const struct kc_node *top)
{
	const struct kc_node *n;
	struct kc_service *s;
	struct kc_vip *v;
	const char *what;

	for (n = top; n; n = n->next) {
		if (is(n, "virtual_server")) {
			TRY(virtual_server(c, n));
		} else if (is(n, "virtual_server_group")) {
			TRY(nc(c, &c->dropped, n,
			       "sluiced has no groups of virtual servers: write one virtual_server per VIP and port"));
		} else if (is_macro(n)) {
			TRY(keepalived_macro(c, &c->dropped, n));
		} else {
			what = node_text(c, n);
			if (!what)
				return -ENOMEM;
			what = kc_printf(&c->a, "%s:%d: %s: skipped: %s",
					 n->file, n->line, what,
					 skip_reason(n->name));
			if (!what)
				return -ENOMEM;
			TRY(add_note(c, &c->msgs, n->seq, what));
			TRY(add_note(c, &c->skipped, n->seq, what));
		}
	}
	for (v = c->vips; v; v = v->next) {
		for (s = v->services; s; s = s->next)
			service_checks(s);
		TRY(vip_min_healthy(c, v));
	}
	return name_checks(c);
}

/* Write the output to memory first: nothing of it is written on errors. */
static int write_output(struct kc_ctx *c, FILE *out, const char *in_name)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m;
	int ret = 0;

	m = open_memstream(&text, &len);
	if (!m)
		return -ENOMEM;
	output(c, m, in_name);
	if (fclose(m) || c->oom)
		ret = -ENOMEM;
	else if (fwrite(text, 1, len, out) != len || fflush(out))
		ret = -EIO;
	free(text);
	return ret;
}

int sd_kconv(FILE *in, const char *in_name, FILE *out, FILE *err)
{
	struct kc_ctx c = { .err = err };
	struct kc_node *top = NULL;
	struct kc_note *n;
	int ret;

	c.checks_tail = &c.checks;
	c.vips_tail = &c.vips;
	ret = kc_parse(&c.a, in, in_name, err, &top);
	if (ret)
		goto out;
	ret = convert(&c, top);
	/* on an error, the error alone: the conversion stopped there */
	for (n = c.msgs.head; n; n = n->next)
		if (ret != 2 || n->error)
			fprintf(err, "%s\n", n->text);
	if (!ret)
		ret = write_output(&c, out, in_name);
	if (ret == -ENOMEM || ret == -EIO)
		fprintf(err, "%s: %s\n", in_name, strerror(-ret));
	if (!ret)
		ret = c.not_carried;
out:
	kc_arena_free(&c.a);
	return ret;
}
