// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of sluiced's keepalived.conf converter (sluiced/kconv*.c):
 * - every case of tests/sluiced/kconv/: NAME.keepalived.conf must give
 *   NAME.sluiced.conf and the messages NAME.err byte for byte (a unified
 *   diff is printed on a mismatch; KCONV_REGEN=1 writes them instead);
 * - single constructs, setting by setting;
 * - bad input, each refused with its line;
 * - includes (glob, relative to the including file, loops, no match).
 */
#include <errno.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kconv.h"

#ifndef SLUICE_ROOT
#error "build with -DSLUICE_ROOT='\"/path/to/the/repository\"'"
#endif
#define CASES SLUICE_ROOT "/tests/sluiced/kconv"

struct result {
	int ret;
	char *out;
	char *err;
};

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

/* Convert @f, named @name. */
static struct result convert_file(FILE *f, const char *name)
{
	struct result r = { 0 };
	size_t olen, elen;
	FILE *out, *err;

	out = open_memstream(&r.out, &olen);
	err = open_memstream(&r.err, &elen);
	assert_non_null(out);
	assert_non_null(err);
	r.ret = sd_kconv(f, name, out, err);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(fclose(err), 0);
	return r;
}

static struct result convert(const char *text)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct result r;

	assert_non_null(in);
	r = convert_file(in, "t.conf");
	fclose(in);
	return r;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	assert_non_null(m);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	assert_int_equal(fclose(m), 0);
	return buf;
}

static void spill(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* @got must be the content of @path: print a unified diff if it is not. */
static bool same_as_file(const char *path, const char *got)
{
	char *want = slurp(path), tmp[] = "/tmp/kconv-got.XXXXXX", *cmd;
	bool same = want && !strcmp(want, got);
	int fd;

	if (!same) {
		fd = mkstemp(tmp);
		assert_true(fd >= 0);
		close(fd);
		spill(tmp, got);
		assert_true(asprintf(&cmd, "diff -u '%s' '%s' >&2", path, tmp) >
			    0);
		fprintf(stderr, "%s differs from what came out:\n", path);
		if (system(cmd) == -1)
			fprintf(stderr, "(diff could not run)\n");
		free(cmd);
		unlink(tmp);
	}
	free(want);
	return same;
}

/* Each NAME.keepalived.conf of tests/sluiced/kconv/ against its results. */
static void cases(void **state)
{
	char *want_out, *want_err, *base;
	bool regen = getenv("KCONV_REGEN") != NULL, ok = true;
	struct result r;
	glob_t g;
	size_t i;
	FILE *f;

	(void)state;
	assert_int_equal(chdir(CASES), 0);
	assert_int_equal(glob("*.keepalived.conf", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 5);
	for (i = 0; i < g.gl_pathc; i++) {
		f = fopen(g.gl_pathv[i], "r");
		assert_non_null(f);
		r = convert_file(f, g.gl_pathv[i]);
		fclose(f);
		base = strndup(g.gl_pathv[i],
			       strlen(g.gl_pathv[i]) -
				       strlen(".keepalived.conf"));
		assert_non_null(base);
		assert_true(asprintf(&want_out, "%s.sluiced.conf", base) > 0);
		assert_true(asprintf(&want_err, "%s.err", base) > 0);
		if (regen) {
			spill(want_out, r.out);
			spill(want_err, r.err);
		}
		if (!same_as_file(want_out, r.out) ||
		    !same_as_file(want_err, r.err))
			ok = false;
		/* 1 exactly when something was not carried */
		if (r.ret != (strstr(r.err, ": not carried (") ? 1 : 0)) {
			fprintf(stderr, "%s: returned %d\n", g.gl_pathv[i],
				r.ret);
			ok = false;
		}
		free(want_out);
		free(want_err);
		free(base);
		result_free(&r);
	}
	globfree(&g);
	assert_true(ok);
}

/* The lines of the group @name (a check, "  NAME = {" ... "  };"). */
static char *check_block(const char *out, const char *name)
{
	char *head, *start, *end;

	assert_true(asprintf(&head, "\n  %s = {\n", name) > 0);
	start = strstr(out, head);
	free(head);
	if (!start)
		fail_msg("no check %s in:\n%s", name, out);
	end = strstr(start, "\n  };\n");
	assert_non_null(end);
	return strndup(start, end - start + 1);
}

/* Check @name of @out has each of the settings (NULL-terminated). */
static void check_has(const char *out, const char *name, ...)
{
	char *block = check_block(out, name), *line;
	const char *s;
	va_list ap;

	va_start(ap, name);
	while ((s = va_arg(ap, const char *))) {
		assert_true(asprintf(&line, "\n    %s\n", s) > 0);
		if (!strstr(block, line))
			fail_msg("check %s lacks '%s':\n%s", name, s, block);
		free(line);
	}
	va_end(ap);
	free(block);
}

static void has(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("'%s' not in:\n%s", part, text);
}

static void lacks(const char *text, const char *part)
{
	if (strstr(text, part))
		fail_msg("'%s' in:\n%s", part, text);
}

#define VS_HEAD "virtual_server 10.9.0.1 80 {\n lb_kind TUN\n"

static void tcp_check_timing(void **state)
{
	struct result r = convert(VS_HEAD
				  " delay_loop 6\n"
				  " real_server 10.9.1.1 80 {\n"
				  "  TCP_CHECK {\n   connect_timeout 3\n  }\n"
				  " }\n}\n");

	(void)state;
	assert_int_equal(r.ret, 0);
	assert_string_equal(r.err, "");
	check_has(r.out, "tcp_80", "type = \"tcp\";", "port = 80;",
		  "interval = 6.0;", "timeout = 3.0;", "rise = 1;", "fall = 2;",
		  "via_vip = false;", NULL);
	has(r.out, "        checks = [ \"tcp_80\" ];\n");
	has(r.out, "        protocol = \"tcp\";\n        port = 80;\n"
		   "        scheduler = \"wlc\";\n        persistence = 0;\n");
	result_free(&r);
}

static void timeout_clamped(void **state)
{
	struct result r = convert(
		VS_HEAD
		" delay_loop 3\n"
		" real_server 10.9.1.1 80 {\n"
		"  TCP_CHECK {\n   connect_port 8080\n   connect_timeout 5\n  }\n"
		" }\n"
		" real_server 10.9.1.2 80 {\n"
		"  TCP_CHECK {\n   connect_port 8080\n  }\n"
		" }\n}\n");

	(void)state;
	assert_int_equal(r.ret, 1);
	check_has(r.out, "tcp_8080", "port = 8080;", "interval = 3.0;",
		  "timeout = 2.0;", NULL);
	assert_string_equal(
		r.err,
		"t.conf:7: connect_timeout 5: not carried (sluiced needs timeout < interval 3.0: timeout = 2.0)\n"
		"t.conf:11: connect_timeout (default 5.0) of TCP_CHECK: not carried (sluiced needs timeout < interval 3.0: timeout = 2.0)\n");
	/* both reals end up with the same check */
	lacks(r.out, "tcp_8080_2");
	result_free(&r);

	r = convert(VS_HEAD
		    " delay_loop 0.5\n real_server 10.9.1.1 80 {\n"
		    "  TCP_CHECK {\n   connect_timeout 1\n  }\n }\n}\n");
	check_has(r.out, "tcp_80", "interval = 0.5;", "timeout = 0.25;", NULL);
	result_free(&r);
}

static void retries(void **state)
{
	struct result r = convert(
		VS_HEAD
		" delay_loop 10\n retry 4\n"
		" real_server 10.9.1.1 80 {\n"
		"  TCP_CHECK {\n   connect_port 81\n  }\n"
		"  HTTP_GET {\n   url {\n    path /a\n   }\n   nb_get_retry 0\n  }\n"
		"  DNS_CHECK {\n   connect_port 53\n   retry 2\n  }\n"
		" }\n"
		" real_server 10.9.1.2 80 {\n"
		"  retry 1\n  delay_before_retry 10\n"
		"  DNS_CHECK {\n   connect_port 53\n  }\n"
		"  MISC_CHECK {\n   misc_path /bin/true\n   misc_timeout 2\n  }\n"
		" }\n}\n");
	char *block;

	(void)state;
	/* delay_before_retry = delay_loop is carried as is */
	assert_string_equal(r.err, "");
	assert_int_equal(r.ret, 0);
	check_has(r.out, "tcp_81", "fall = 5;", NULL);
	check_has(r.out, "http_80_a", "fall = 1;", NULL);
	check_has(r.out, "dns_53_soa_root", "fall = 3;", "query = \".\";",
		  "qtype = \"SOA\";", "transport = \"udp\";", NULL);
	check_has(r.out, "dns_53_soa_root_2", "fall = 2;", NULL);
	check_has(r.out, "exec_true", "command = \"/bin/true\";",
		  "timeout = 2.0;", "fall = 2;", NULL);
	/* no port and no via_vip for commands */
	block = check_block(r.out, "exec_true");
	lacks(block, "port =");
	lacks(block, "via_vip");
	free(block);
	result_free(&r);

	/* keepalived's own defaults: retry 1, DNS 3, MISC 0 */
	r = convert(
		VS_HEAD
		" delay_loop 10\n real_server 10.9.1.1 53 {\n"
		"  TCP_CHECK {\n  }\n  DNS_CHECK {\n   type aaaa\n   name Example.ORG\n  }\n"
		"  MISC_CHECK {\n   misc_path \"/usr/bin/chk --x\"\n   misc_timeout 3\n  }\n"
		" }\n}\n");
	check_has(r.out, "tcp_53", "fall = 2;", "timeout = 5.0;",
		  "interval = 10.0;", NULL);
	check_has(r.out, "dns_53_aaaa_example_org", "fall = 4;",
		  "qtype = \"AAAA\";", "query = \"Example.ORG\";", NULL);
	check_has(r.out, "exec_chk", "fall = 1;",
		  "command = \"/usr/bin/chk --x\";", NULL);
	has(r.out,
	    "checks = [ \"tcp_53\", \"dns_53_aaaa_example_org\", \"exec_chk\" ];");
	result_free(&r);

	r = convert(VS_HEAD
		    " delay_loop 6\n real_server 10.9.1.1 80 {\n"
		    "  TCP_CHECK {\n   delay_before_retry 2\n  }\n }\n}\n");
	assert_int_equal(r.ret, 1);
	assert_string_equal(
		r.err,
		"t.conf:6: delay_before_retry 2: not carried (sluiced checks again after the interval, delay_loop 6.0, not sooner)\n");
	result_free(&r);
}

static void schedulers(void **state)
{
	static const char *const ok[] = { "rr", "wrr", "lc", "wlc", "sh", "mh" };
	char *text, *want;
	struct result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_true(asprintf(&text, VS_HEAD " lb_algo %s\n}\n", ok[i]) >
			    0);
		r = convert(text);
		assert_int_equal(r.ret, 0);
		assert_true(asprintf(&want, "scheduler = \"%s\";", ok[i]) > 0);
		has(r.out, want);
		free(want);
		free(text);
		result_free(&r);
	}
	r = convert(VS_HEAD " lvs_sched dh\n}\n");
	assert_int_equal(r.ret, 1);
	has(r.out, "scheduler = \"mh\";");
	assert_string_equal(
		r.err,
		"t.conf:3: lvs_sched dh: not carried (sluice schedules with rr, wrr, lc, wlc, sh or mh: mh is used)\n");
	/* the comment stands in the service, before its settings */
	has(r.out, "        # t.conf:3: lvs_sched dh: not carried");
	result_free(&r);
}

static void forwarding(void **state)
{
	struct result r =
		convert("virtual_server 10.9.0.1 80 {\n lb_kind DR\n}\n"
			"virtual_server 10.9.0.1 81 {\n}\n");

	(void)state;
	assert_int_equal(r.ret, 1);
	assert_string_equal(
		r.err,
		"t.conf:2: lb_kind DR: not carried (sluice forwards by IP-in-IP tunnel only: the output uses the tunnel, the reals must decapsulate it and answer from the VIP)\n"
		"t.conf:4: lb_kind (default NAT): not carried (sluice forwards by IP-in-IP tunnel only: the output uses the tunnel, the reals must decapsulate it and answer from the VIP)\n");
	result_free(&r);
}

static void persistence(void **state)
{
	struct result r =
		convert(VS_HEAD " persistence_timeout\n"
				" persistence_granularity 255.255.240.0\n}\n");

	(void)state;
	assert_int_equal(r.ret, 0);
	has(r.out, "persistence = 360;\n        persistence_netmask = 20;\n");
	result_free(&r);

	r = convert(VS_HEAD " persistence_timeout 7200\n"
			    " persistence_granularity 255.0.255.0\n}\n");
	assert_int_equal(r.ret, 1);
	has(r.out, "persistence = 7200;\n");
	lacks(r.out, "persistence_netmask");
	has(r.err,
	    "t.conf:4: persistence_granularity 255.0.255.0: not carried");
	result_free(&r);

	r = convert("virtual_server 2001:db8::1 80 {\n lb_kind TUN\n"
		    " persistence_granularity 48\n}\n");
	assert_int_equal(r.ret, 0);
	has(r.out, "address = \"2001:db8::1\";");
	has(r.out, "persistence_netmask = 48;");
	result_free(&r);
}

static void quorum(void **state)
{
	struct result r = convert(
		VS_HEAD " quorum 4\n"
			" real_server 10.9.1.1 80 {\n  weight 2\n }\n"
			" real_server 10.9.1.2 80 {\n  weight 2\n }\n"
			" real_server 10.9.1.3 80 {\n  weight 2\n }\n}\n");

	(void)state;
	assert_int_equal(r.ret, 0);
	has(r.out, "    min_healthy = 2;\n");
	result_free(&r);

	/* min_healthy is the VIP's: the least any of its services needs */
	r = convert(VS_HEAD " quorum 2\n"
			    " real_server 10.9.1.1 80 {\n }\n"
			    " real_server 10.9.1.2 80 {\n }\n}\n"
			    "virtual_server 10.9.0.1 81 {\n lb_kind TUN\n"
			    " real_server 10.9.1.1 81 {\n }\n}\n");
	assert_int_equal(r.ret, 1);
	has(r.out, "    min_healthy = 1;\n");
	assert_string_equal(
		r.err,
		"t.conf:3: quorum 2: not carried (min_healthy is one for all services of VIP 10.9.0.1, and another one needs fewer reals: min_healthy = 1)\n");
	result_free(&r);
}

static void hysteresis_and_friends(void **state)
{
	struct result r = convert(VS_HEAD
				  " hysteresis 2\n sorry_server 10.9.9.9 80\n"
				  " ha_suspend\n quorum_up /bin/up\n}\n");

	(void)state;
	assert_int_equal(r.ret, 1);
	assert_string_equal(
		r.err,
		"t.conf:3: hysteresis 2: not carried (sluiced's hold_down covers it: a withdrawn VIP is announced again once eligible for daemon.hold_down seconds)\n"
		"t.conf:4: sorry_server 10.9.9.9 80: not carried (sluiced has no sorry server: a VIP without enough healthy reals is withdrawn)\n"
		"t.conf:5: ha_suspend: not carried (sluiced holds the VIP addresses itself: its checks always run)\n"
		"t.conf:6: quorum_up /bin/up: not carried (sluiced runs no scripts on state changes: its status socket and metrics tell them)\n");
	result_free(&r);
}

static void reals(void **state)
{
	struct result r = convert(
		VS_HEAD
		" inhibit_on_failure\n"
		" real_server 10.9.1.1 8080 {\n  weight 0\n  inhibit_on_failure\n }\n"
		" real_server 10.9.1.2 80 {\n  uthreshold 10\n  lthreshold 5\n }\n}\n");

	(void)state;
	assert_int_equal(r.ret, 0);
	assert_string_equal(r.err, "");
	has(r.out, "address = \"10.9.1.1\";\n            port = 8080;\n"
		   "            weight = 0;\n");
	has(r.out, "address = \"10.9.1.2\";\n            weight = 1;\n"
		   "            u_thresh = 10;\n            l_thresh = 5;\n");
	has(r.out,
	    "# t.conf:3: inhibit_on_failure: carried: sluiced always drains a failing real to weight 0");
	has(r.out, "# t.conf:6: inhibit_on_failure: carried");
	lacks(r.out, "checks = [ \"");
	result_free(&r);
}

/* What sluiced.conf refuses is not carried (found by tests/fuzz/fuzz_kconv). */
static void refused_by_sluiced(void **state)
{
	struct result r = convert(
		VS_HEAD
		" real_server 10.9.1.1 80 {\n  uthreshold 10\n  lthreshold 10\n }\n"
		" real_server 10.9.1.2 80 {\n  lthreshold 3\n"
		"  HTTP_GET {\n   url {\n    path status\n   }\n  }\n }\n}\n");

	(void)state;
	assert_int_equal(r.ret, 1);
	has(r.out, "address = \"10.9.1.1\";\n            weight = 1;\n"
		   "            u_thresh = 10;\n");
	lacks(r.out, "l_thresh");
	check_has(r.out, "http_80_root", "path = \"/\";", NULL);
	assert_string_equal(
		r.err,
		"t.conf:5: lthreshold 10: not carried (must be below uthreshold: left out (an overload clears below 3/4 of uthreshold))\n"
		"t.conf:8: lthreshold 3: not carried (needs a uthreshold: left out)\n"
		"t.conf:11: path status: not carried (a path must start with /: the check asks for / instead)\n");
	result_free(&r);
}

static void per_real_checks(void **state)
{
	struct result r = convert(
		VS_HEAD
		" delay_loop 10\n virtualhost vs.example\n"
		" real_server 10.9.1.1 80 {\n  HTTP_GET {\n   url {\n    path /a\n   }\n  }\n }\n"
		" real_server 10.9.1.2 80 {\n  virtualhost rs.example\n"
		"  HTTP_GET {\n   url {\n    path /a\n   }\n  }\n }\n"
		" real_server 10.9.1.3 80 {\n  HTTP_GET {\n   url {\n    path /a\n   }\n  }\n }\n"
		" real_server 10.9.1.4 80 {\n  HTTP_GET {\n   url {\n    path /a\n"
		"    virtualhost url.example\n    status_code 204\n   }\n  }\n }\n}\n");
	char *block;

	(void)state;
	assert_int_equal(r.ret, 0);
	check_has(r.out, "http_80_a", "host = \"vs.example\";",
		  "path = \"/a\";", "timeout = 5.0;", "interval = 10.0;", NULL);
	block = check_block(r.out, "http_80_a");
	lacks(block, "expect_status");
	free(block);
	check_has(r.out, "http_80_a_2", "host = \"rs.example\";", NULL);
	check_has(r.out, "http_80_a_3", "host = \"url.example\";",
		  "expect_status = 204;", NULL);
	/* the service has what most reals have; the others their own */
	has(r.out, "        checks = [ \"http_80_a\" ];\n");
	has(r.out,
	    "address = \"10.9.1.2\";\n            weight = 1;\n"
	    "            # checked otherwise than the service's other reals:\n"
	    "            checks = [ \"http_80_a_2\" ];\n");
	has(r.out, "checks = [ \"http_80_a_3\" ];\n");
	result_free(&r);
}

static void http_specials(void **state)
{
	struct result r = convert(
		VS_HEAD
		" delay_loop 6\n"
		" real_server 10.9.1.1 443 {\n  SSL_GET {\n   url {\n    path /\n"
		"    digest 0123456789abcdef0123456789abcdef\n   }\n"
		"   connect_timeout 2\n   bindto 10.9.0.2\n  }\n"
		"  HTTP_GET {\n   connect_timeout 1\n  }\n  SMTP_CHECK {\n  }\n }\n}\n");

	(void)state;
	assert_int_equal(r.ret, 1);
	check_has(r.out, "https_443_root", "verify = false;", "path = \"/\";",
		  "port = 443;", NULL);
	assert_string_equal(
		r.err,
		"t.conf:8: digest 0123456789abcdef0123456789abcdef: not carried (sluiced does not hash the body: the check tests the status only)\n"
		"t.conf:11: bindto 10.9.0.2: not carried (sluiced probes from the node's own address; daemon.probe_source only sets the source of through-the-VIP probes)\n"
		"t.conf:13: HTTP_GET without url: not carried (keepalived needs one: no check made)\n"
		"t.conf:16: SMTP_CHECK: not carried (sluiced has no SMTP check: the real is not checked by it)\n");
	result_free(&r);
}

static void outside_lvs(void **state)
{
	struct result r = convert("global_defs {\n router_id x\n}\n"
				  "vrrp_instance VI_1 {\n state MASTER\n"
				  " virtual_ipaddress {\n  10.9.0.1\n }\n}\n"
				  "static_routes {\n}\n");

	(void)state;
	assert_int_equal(r.ret, 0);
	assert_string_equal(
		r.err,
		"t.conf:1: global_defs: skipped: keepalived's global settings (mail, router_id, processes) are not sluiced's job\n"
		"t.conf:4: vrrp_instance VI_1: skipped: VRRP is not used; VIPs are announced over BGP\n"
		"t.conf:10: static_routes: skipped: static addresses, routes and rules are the system's job, not sluiced's\n");
	has(r.out, "\nvips = (\n);\n");
	lacks(r.out, "checks = {");
	result_free(&r);
}

static void not_carried_servers(void **state)
{
	struct result r = convert("virtual_server fwmark 1 {\n}\n"
				  "virtual_server group G {\n}\n" VS_HEAD
				  " protocol SCTP\n}\n");

	(void)state;
	assert_int_equal(r.ret, 1);
	assert_string_equal(
		r.err,
		"t.conf:1: virtual_server fwmark 1: not carried (sluice has no firewall-mark services: write one virtual_server per VIP, protocol and port)\n"
		"t.conf:3: virtual_server group G: not carried (sluiced has no groups of virtual servers: write one virtual_server per VIP and port)\n"
		"t.conf:5: virtual_server 10.9.0.1 80: not carried (protocol SCTP, line 7: sluice balances TCP and UDP)\n");
	/* a VIP left without services is not written */
	lacks(r.out, "address =");
	has(r.out,
	    "vips = (\n  # t.conf:1: virtual_server fwmark 1: not carried");
	result_free(&r);
}

static void syntax(void **state)
{
	struct result r = convert(
		"! c\n# c\nvirtual_server 10.9.0.1 80 # c\n{\n"
		" lb_kind TUN ! c\n real_server 10.9.1.1 80 { weight 3 }\n"
		" real_server 10.9.1.2 80\n {\n  MISC_CHECK {\n"
		"   misc_path \"/bin/check a!b #c\"\n   misc_timeout 30\n  }\n }\n}\n");

	(void)state;
	assert_int_equal(r.ret, 0);
	has(r.out, "address = \"10.9.1.1\";\n            weight = 3;\n");
	has(r.out, "command = \"/bin/check a!b #c\";");
	result_free(&r);
}

static void bad_one(const char *text, int ret, const char *err)
{
	struct result r = convert(text);

	if (r.ret != ret)
		fail_msg("returned %d, not %d, for:\n%s", r.ret, ret, text);
	assert_string_equal(r.err, err);
	assert_string_equal(r.out, "");
	result_free(&r);
}

static void bad_input(void **state)
{
	(void)state;
	bad_one(VS_HEAD " real_server 10.9.1.1 80 {\n  weight 1\n}\n", 2,
		"t.conf:6: unbalanced braces: the '{' of line 1 is not closed\n");
	bad_one(VS_HEAD "}\n}\n", 2,
		"t.conf:4: unbalanced braces: '}' closes no block\n");
	bad_one("\n\nvirtual_server foo 80 {\n}\n", 2,
		"t.conf:3: virtual_server: 'foo' is not an address, fwmark or group\n");
	bad_one("virtual_server 10.9.0.300 80 {\n}\n", 2,
		"t.conf:1: virtual_server: '10.9.0.300' is not an IPv4 or IPv6 address\n");
	bad_one("virtual_server 10.9.0.1 80 443 {\n}\n", 2,
		"t.conf:1: virtual_server takes an address and a port\n");
	bad_one("virtual_server 10.9.0.1 http {\n}\n", 2,
		"t.conf:1: virtual_server: 'http' is not a port (0 to 65535)\n");
	/* an error stops the conversion: what came before is not reported */
	bad_one(VS_HEAD
		" hysteresis 1\n real_server 10.9.1.1 80 {\n  weight heavy\n }\n}\n",
		2,
		"t.conf:5: weight: 'heavy' is not a whole number from 0 to 65535\n");
	bad_one(VS_HEAD " protocol ICMP\n}\n", 2,
		"t.conf:3: protocol: 'ICMP' is not TCP, UDP or SCTP\n");
	bad_one(VS_HEAD " real_server 10.9.1.1 80 {\n  MISC_CHECK {\n"
			"   misc_path \"/bin/x\n  }\n }\n}\n",
		2, "t.conf:5: unterminated quoted string\n");
	bad_one("{\n}\n", 2, "t.conf:1: '{' opens a block without a keyword\n");
	bad_one(VS_HEAD " delay_loop soon\n}\n", 2,
		"t.conf:3: delay_loop: 'soon' is not a number of seconds\n");
}

static void includes(void **state)
{
	char dir[] = "/tmp/kconv-inc.XXXXXX", *path, *cwd;
	struct result r;
	FILE *f;

	(void)state;
	cwd = getcwd(NULL, 0);
	assert_non_null(cwd);
	/* relative to the including file, wherever the process is */
	assert_int_equal(chdir("/"), 0);
	f = fopen(CASES "/include.keepalived.conf", "r");
	assert_non_null(f);
	r = convert_file(f, CASES "/include.keepalived.conf");
	fclose(f);
	assert_int_equal(r.ret, 0);
	has(r.out, "address = \"10.6.0.82\";");
	has(r.err,
	    CASES "/include.d/10-vrrp.conf:1: vrrp_instance VI_1: skipped");
	result_free(&r);

	/* no file matches */
	r = convert("include /nonexistent/kconv/*.conf\n");
	assert_int_equal(r.ret, -ENOENT);
	assert_string_equal(
		r.err,
		"t.conf:1: include /nonexistent/kconv/*.conf: no file matches /nonexistent/kconv/*.conf\n");
	assert_string_equal(r.out, "");
	result_free(&r);

	/* a file that includes itself */
	assert_non_null(mkdtemp(dir));
	assert_true(asprintf(&path, "%s/loop.conf", dir) > 0);
	spill(path, "\ninclude loop.conf\n");
	f = fopen(path, "r");
	assert_non_null(f);
	r = convert_file(f, path);
	fclose(f);
	assert_int_equal(r.ret, 2);
	has(r.err,
	    "/loop.conf:2: include loop.conf: more than 16 levels of includes (a loop?)\n");
	result_free(&r);
	unlink(path);
	free(path);
	rmdir(dir);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cases),
		cmocka_unit_test(tcp_check_timing),
		cmocka_unit_test(timeout_clamped),
		cmocka_unit_test(retries),
		cmocka_unit_test(schedulers),
		cmocka_unit_test(forwarding),
		cmocka_unit_test(persistence),
		cmocka_unit_test(quorum),
		cmocka_unit_test(hysteresis_and_friends),
		cmocka_unit_test(reals),
		cmocka_unit_test(refused_by_sluiced),
		cmocka_unit_test(per_real_checks),
		cmocka_unit_test(http_specials),
		cmocka_unit_test(outside_lvs),
		cmocka_unit_test(not_carried_servers),
		cmocka_unit_test(syntax),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(includes),
	};

	return cmocka_run_group_tests_name("kconv", tests, NULL, NULL);
}
