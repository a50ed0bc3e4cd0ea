// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: sluiced's configuration reader (sluiced/config.c): the
 * example file's values, every kind of error with its file, line and
 * setting, the same configuration packed (config_pack.c), and the
 * keepalived conversions' expected outputs (they must be files sluiced
 * accepts).
 */
#include <arpa/inet.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"

static char *write_tmp(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/sdconfig-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* @text must be refused with "<file>:@line: @what" in the message. */
static void refused(const char *text, int line, const char *what)
{
	char err[512] = "", want[256];
	struct sd_config cfg;
	char *path = write_tmp(text);

	assert_int_equal(sd_config_load(path, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:%d: %s", path, line, what);
	unlink(path);
	if (strncmp(err, want, strlen(want)))
		fail_msg("got  '%s'\nwant '%s...'", err, want);
	/* Nothing is left allocated in cfg (valgrind checks). */
}

static void example(void **state)
{
	struct sd_config cfg;
	char err[512] = "";
	const struct sd_service *s;
	struct in_addr a;

	(void)state;
	assert_int_equal(sd_config_load(SLUICE_ROOT
					"/examples/sluiced/sluiced.conf",
					&cfg, err, sizeof(err)),
			 0);
	assert_string_equal(cfg.daemon.vip_if, "sluice-vip");
	assert_true(cfg.daemon.learn == 5.0 && cfg.daemon.hold_down == 3.0);
	assert_string_equal(cfg.daemon.metrics, "127.0.0.1:9642");
	assert_string_equal(cfg.daemon.control, SD_DEFAULT_CONTROL);
	assert_int_equal(cfg.settings.mh_seed, 0x5eed);
	assert_int_equal(cfg.settings.tun_src4_plen, 32);
	assert_true(cfg.settings.present & SLUICE_HAS(SLUICE_CFG_A_MH_SEED));
	assert_false(cfg.settings.present &
		     SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_TCP));
	assert_int_equal(cfg.nchecks, 2);
	assert_string_equal(cfg.checks[0].name, "web");
	assert_int_equal(cfg.checks[0].spec.type, HC_HTTP);
	assert_int_equal(cfg.checks[0].spec.interval_ms, 1000);
	assert_int_equal(cfg.checks[0].spec.timeout_ms, 500);
	assert_int_equal(cfg.checks[0].spec.rise, 2);
	assert_int_equal(cfg.checks[0].spec.fall, 2);
	assert_int_equal(cfg.checks[0].spec.expect_status, 200);
	assert_true(cfg.checks[0].via_vip);
	assert_int_equal(cfg.checks[1].spec.type, HC_DNS);
	assert_int_equal(cfg.checks[1].spec.interval_ms, 2000);
	assert_int_equal(cfg.checks[1].spec.timeout_ms, 1000); /* default */
	assert_int_equal(cfg.checks[1].spec.fall, 3); /* default */
	assert_int_equal(cfg.nvips, 2);
	assert_int_equal(cfg.vips[0].nsvcs, 1);
	s = &cfg.vips[0].svcs[0];
	inet_pton(AF_INET, "10.99.0.1", &a);
	assert_memory_equal(s->svc.addr, &a, 4);
	assert_int_equal(s->svc.port, 80);
	assert_int_equal(s->svc.proto, IPPROTO_TCP);
	assert_string_equal(s->svc.sched, "mh");
	assert_int_equal(s->svc.hash_fields, SLUICE_HASH_5TUPLE);
	assert_int_equal(s->min_healthy, 1);
	assert_int_equal(s->nchecks, 1);
	assert_int_equal(s->checks[0], 0);
	assert_int_equal(s->nreals, 3);
	assert_int_equal(s->reals[0].dest.port, 80); /* the service's */
	assert_int_equal(s->reals[0].dest.weight, 1);
	assert_int_equal(s->reals[2].dest.weight, 2);
	assert_int_equal(s->reals[2].dest.fwd, SLUICE_FWD_TUNNEL);
	assert_int_equal(cfg.vips[1].svcs[0].svc.proto, IPPROTO_UDP);
	assert_int_equal(cfg.vips[1].svcs[0].checks[0], 1);
	sd_config_free(&cfg);
}

#define VIP_HEAD "vips = (\n  { address = \"10.99.0.1\";\n    services = (\n"

static void errors(void **state)
{
	(void)state;
	/* syntax (libconfig's) */
	refused("daemon = {\n  learn = ;\n};\n", 2, "syntax:");
	/* duplicate names in one group (libconfig's) */
	refused("daemon = {\n  learn = 1;\n  learn = 2;\n};\n", 3,
		"syntax: duplicate setting name");
	/* unknown settings, at every level */
	refused("colour = 1;\n", 1, "colour: unknown setting");
	refused("daemon = {\n  lern = 1;\n};\n", 2,
		"daemon.lern: unknown setting");
	refused(VIP_HEAD "      { protocol = \"tcp\"; port = 80;\n"
			 "        reals = ( { address = \"10.2.0.11\";\n"
			 "                    wieght = 2; } ); } ); } );\n",
		6, "vips[0].services[0].reals[0].wieght: unknown setting");
	refused("checks = { a = { type = \"tcp\"; path = \"/\"; }; };\n", 1,
		"checks.a.path: unknown setting");
	/* wrong types and bad values */
	refused(VIP_HEAD
		"      { protocol = \"tcp\"; port = \"80\"; } ); } );\n",
		4, "vips[0].services[0].port: must be an integer");
	refused(VIP_HEAD
		"      { protocol = \"tcp\";\n        port = 70000; } ); } );\n",
		5,
		"vips[0].services[0].port: 70000 is out of range (1..65535)");
	refused(VIP_HEAD "      { protocol = \"sctp\"; port = 80; } ); } );\n",
		4, "vips[0].services[0].protocol: must be \"tcp\" or \"udp\"");
	refused(VIP_HEAD
		"      { protocol = \"tcp\"; port = 80;\n"
		"        reals = ( { address = \"10.2.0.300\"; } ); } ); } );\n",
		5,
		"vips[0].services[0].reals[0].address: `10.2.0.300' is not an IPv4 or IPv6 address");
	refused(VIP_HEAD
		"      { protocol = \"tcp\"; port = 80; scheduler = \"lblc\"; } ); } );\n",
		4, "vips[0].services[0].scheduler: unknown scheduler `lblc'");
	refused(VIP_HEAD
		"      { protocol = \"tcp\"; port = 80; mh_size = 1000; } ); } );\n",
		4, "vips[0].services[0].mh_size: must be a prime");
	refused("checks = {\n  a = { type = \"http\"; interval = 1;\n        timeout = 2; };\n};\n",
		3,
		"checks.a.timeout: timeout (2 s) must be shorter than interval (1 s)");
	refused("checks = { a = { type = \"smtp\"; }; };\n", 1,
		"checks.a.type: unknown check type `smtp'");
	refused(VIP_HEAD "      { protocol = \"tcp\"; port = 80;\n"
			 "        checks = [ \"nope\" ]; } ); } );\n",
		5, "vips[0].services[0].checks[0]: no check named `nope'");
	refused("settings = { tunnel_source = \"10.2.0.1/33\"; };\n", 1,
		"settings.tunnel_source:");
	refused("daemon = { metrics = \"localhost\"; };\n", 1,
		"daemon.metrics: `localhost' is not ADDRESS:PORT");
	refused(VIP_HEAD "      { protocol = \"tcp\"; } ); } );\n", 4,
		"vips[0].services[0].port: missing");
	refused(VIP_HEAD "      { protocol = \"tcp\"; port = 80;\n"
			 "        reals = ( { address = \"10.2.0.11\";\n"
			 "                    l_thresh = 5; } ); } ); } );\n",
		6,
		"vips[0].services[0].reals[0].l_thresh: needs u_thresh (the connections that overload the real)");
	refused(VIP_HEAD
		"      { protocol = \"tcp\"; port = 80;\n"
		"        reals = ( { address = \"10.2.0.11\";\n"
		"                    u_thresh = 5; l_thresh = 5; } ); } ); } );\n",
		6,
		"vips[0].services[0].reals[0].l_thresh: must be below u_thresh (5)");
	/* duplicates sluiced finds */
	refused(VIP_HEAD
		"      { protocol = \"tcp\"; port = 80;\n"
		"        reals = ( { address = \"10.2.0.11\"; },\n"
		"                  { address = \"10.2.0.11\"; port = 80; } ); } ); } );\n",
		6, "vips[0].services[0].reals[1]: the same real as line 5");
	refused(VIP_HEAD "      { protocol = \"tcp\"; port = 80; },\n"
			 "      { protocol = \"tcp\"; port = 80; } ); } );\n",
		5, "vips[0].services[1]: the same service as line 4");
	refused("vips = (\n  { address = \"10.99.0.1\"; services = ( { protocol = \"udp\"; port = 53; } ); },\n"
		"  { address = \"10.99.0.1\"; services = ( { protocol = \"tcp\"; port = 80; } ); } );\n",
		3, "vips[1]: the same VIP as line 2");
}

/* Commands never go through the VIP; other checks do unless told not to. */
static void via_vip(void **state)
{
	struct sd_config cfg;
	char err[512] = "";
	char *path = write_tmp(
		"checks = { a = { type = \"exec\"; command = \"true\"; };\n"
		"  b = { type = \"tcp\"; }; c = { type = \"tcp\"; via_vip = false; }; };\n");

	(void)state;
	assert_int_equal(sd_config_load(path, &cfg, err, sizeof(err)), 0);
	unlink(path);
	assert_false(cfg.checks[0].via_vip);
	assert_true(cfg.checks[1].via_vip);
	assert_false(cfg.checks[2].via_vip);
	sd_config_free(&cfg);
	refused("checks = {\n  a = { type = \"exec\"; command = \"true\"; via_vip = true; };\n};\n",
		2, "checks.a.via_vip: a command cannot go through the VIP");
	refused("settings = { conn_max = 100; };\n", 1,
		"settings.conn_max: 100 is out of range (1024..67108864)");
}

/* @include is relative to the file; an error in it names the included file. */
static void includes(void **state)
{
	char dir[] = "/tmp/sdconfig-inc-XXXXXX", main_conf[64], inc[64],
	     err[512] = "", want[128];
	struct sd_config cfg;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(main_conf, sizeof(main_conf), "%s/main.conf", dir);
	snprintf(inc, sizeof(inc), "%s/vips.conf", dir);
	f = fopen(main_conf, "w");
	assert_non_null(f);
	fputs("daemon = { learn = 1.0; };\n@include \"vips.conf\"\n", f);
	fclose(f);
	f = fopen(inc, "w");
	assert_non_null(f);
	fputs("# the VIPs\nvips = ( { address = \"10.99.0.1\";\n"
	      "  services = ( { protocol = \"tcp\"; port = 80; } ); } );\n",
	      f);
	fclose(f);
	assert_int_equal(chdir("/"), 0);
	assert_int_equal(sd_config_load(main_conf, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.nvips, 1);
	sd_config_free(&cfg);
	f = fopen(inc, "w");
	assert_non_null(f);
	fputs("# the VIPs\nvips = ( { address = \"10.99.0.1\";\n"
	      "  services = ( { protocol = \"tcp\"; port = 0; } ); } );\n",
	      f);
	fclose(f);
	assert_int_equal(sd_config_load(main_conf, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: vips[0].services[0].port: 0 is out",
		 inc);
	unlink(inc);
	unlink(main_conf);
	rmdir(dir);
	if (strncmp(err, want, strlen(want)))
		fail_msg("got '%s', want '%s...'", err, want);
}

static void missing_file(void **state)
{
	struct sd_config cfg;
	char err[512] = "";

	(void)state;
	assert_int_equal(sd_config_load("/nonexistent/sluiced.conf", &cfg, err,
					sizeof(err)),
			 -1);
	assert_string_equal(
		err, "/nonexistent/sluiced.conf: No such file or directory");
}

/* What the keepalived converter is expected to write is a valid file. */
static void same_indexes(const size_t *a, size_t na, const size_t *b, size_t nb)
{
	assert_int_equal(na, nb);
	if (na)
		assert_memory_equal(a, b, na * sizeof(*a));
}

/* sd_config_pack(): the same configuration, its arrays in one block. */
static void packed(void **state)
{
	static const char text[] =
		"checks = { a = { type = \"tcp\"; }; b = { type = \"tcp\"; port = 81; }; };\n"
		"vips = (\n"
		"  { address = \"10.99.0.1\";\n"
		"    services = ( { protocol = \"tcp\"; port = 80; checks = [ \"a\" ];\n"
		"      reals = ( { address = \"10.2.0.11\"; },\n"
		"                { address = \"10.2.0.12\"; checks = [ \"a\", \"b\" ]; } ); },\n"
		"      { protocol = \"udp\"; port = 53; reals = ( ); } ); },\n"
		"  { address = \"10.99.0.2\";\n"
		"    services = ( { protocol = \"tcp\"; port = 443; checks = [ \"b\" ];\n"
		"      reals = ( { address = \"10.2.0.13\"; } ); } ); }\n"
		");\n";
	struct sd_config a, b;
	char err[512] = "", *path = write_tmp(text);
	size_t i, j, k;

	(void)state;
	assert_int_equal(sd_config_load(path, &a, err, sizeof(err)), 0);
	assert_int_equal(sd_config_load(path, &b, err, sizeof(err)), 0);
	unlink(path);
	sd_config_pack(&b);
	assert_null(a.block);
	assert_non_null(b.block);
	assert_int_equal(a.nvips, 2);
	assert_int_equal(b.nvips, a.nvips);
	for (i = 0; i < a.nvips; i++) {
		assert_int_equal(b.vips[i].nsvcs, a.vips[i].nsvcs);
		for (j = 0; j < a.vips[i].nsvcs; j++) {
			const struct sd_service *x = &a.vips[i].svcs[j],
						*y = &b.vips[i].svcs[j];

			assert_memory_equal(&x->svc, &y->svc, sizeof(x->svc));
			same_indexes(x->checks, x->nchecks, y->checks,
				     y->nchecks);
			assert_int_equal(y->nreals, x->nreals);
			for (k = 0; k < x->nreals; k++) {
				assert_memory_equal(&x->reals[k].dest,
						    &y->reals[k].dest,
						    sizeof(x->reals[k].dest));
				assert_int_equal(y->reals[k].own_checks,
						 x->reals[k].own_checks);
				same_indexes(x->reals[k].checks,
					     x->reals[k].nchecks,
					     y->reals[k].checks,
					     y->reals[k].nchecks);
			}
		}
	}
	assert_int_equal(b.vips[0].svcs[0].reals[1].nchecks, 2);
	assert_int_equal(b.vips[0].svcs[1].nreals, 0);
	/* Freed whole, packed or not (valgrind checks). */
	sd_config_free(&a);
	sd_config_free(&b);
}

static void conversions_load(void **state)
{
	char err[512] = "", first[512] = "";
	glob_t g;
	size_t i, n;

	(void)state;
	if (glob(SLUICE_ROOT "/tests/sluiced/kconv/*.sluiced.conf", 0, NULL,
		 &g)) {
		fail_msg("no expected conversions under tests/sluiced/kconv");
		return;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		struct sd_config cfg;

		if (!sd_config_load(g.gl_pathv[i], &cfg, err, sizeof(err)))
			sd_config_free(&cfg);
		else if (!first[0])
			memcpy(first, err, sizeof(first));
	}
	n = g.gl_pathc;
	globfree(&g);
	if (first[0])
		fail_msg("%s", first);
	assert_true(n >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(example),	    cmocka_unit_test(errors),
		cmocka_unit_test(via_vip),	    cmocka_unit_test(includes),
		cmocka_unit_test(missing_file),	    cmocka_unit_test(packed),
		cmocka_unit_test(conversions_load),
	};

	return cmocka_run_group_tests_name("sdconfig", tests, NULL, NULL);
}
