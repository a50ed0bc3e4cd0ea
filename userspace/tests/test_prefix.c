// SPDX-License-Identifier: GPL-2.0
/* Unit tests: prefix parsing for the blocklist (lib/prefix.c). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "prefix.h"

static void parse_ok(const char *in, int family, unsigned int len,
		     const char *canonical)
{
	struct sluice_prefix p;
	char err[128], buf[64];

	assert_int_equal(sluice_prefix_parse(in, &p, err, sizeof(err)), 0);
	assert_int_equal(p.family, family);
	assert_int_equal(p.len, len);
	assert_string_equal(sluice_prefix_str(&p, buf, sizeof(buf)), canonical);
}

static void parse_bad(const char *in, const char *msg_part)
{
	struct sluice_prefix p;
	char err[128] = "";

	assert_int_equal(sluice_prefix_parse(in, &p, err, sizeof(err)), -22);
	if (!strstr(err, msg_part))
		fail_msg("'%s': message '%s' lacks '%s'", in, err, msg_part);
}

static void good_prefixes(void **state)
{
	(void)state;
	parse_ok("10.0.0.0/8", AF_INET, 8, "10.0.0.0/8");
	parse_ok("192.0.2.7", AF_INET, 32, "192.0.2.7/32");
	parse_ok("0.0.0.0/0", AF_INET, 0, "0.0.0.0/0");
	parse_ok("192.0.2.128/25", AF_INET, 25, "192.0.2.128/25");
	parse_ok("2001:db8::/32", AF_INET6, 32, "2001:db8::/32");
	parse_ok("2001:db8::1", AF_INET6, 128, "2001:db8::1/128");
	parse_ok("::/0", AF_INET6, 0, "::/0");
	parse_ok("2001:db8:0:2::/63", AF_INET6, 63, "2001:db8:0:2::/63");
}

static void bad_prefixes(void **state)
{
	(void)state;
	parse_bad("", "not an IPv4 or IPv6");
	parse_bad("/24", "not an IPv4 or IPv6");
	parse_bad("10.0.0/24", "'10.0.0' is not an IPv4 or IPv6 address");
	parse_bad("example.com", "not an IPv4 or IPv6 address");
	parse_bad("10.0.0.0/33", "must be 0 to 32");
	parse_bad("10.0.0.0/", "must be 0 to 32");
	parse_bad("10.0.0.0/-1", "must be 0 to 32");
	parse_bad("10.0.0.0/+8", "must be 0 to 32");
	parse_bad("10.0.0.0/8x", "must be 0 to 32");
	parse_bad("2001:db8::/129", "must be 0 to 128");
	parse_bad("10.0.0.1/24", "host bits set (did you mean 10.0.0.0/24?)");
	parse_bad("192.0.2.129/25", "did you mean 192.0.2.128/25?");
	parse_bad("2001:db8::1/64", "did you mean 2001:db8::/64?");
	parse_bad("2001:db8:0:1::/62", "did you mean 2001:db8::/62?");
	parse_bad("1.2.3.4/0", "did you mean 0.0.0.0/0?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_prefixes),
		cmocka_unit_test(bad_prefixes),
	};

	return cmocka_run_group_tests_name("prefix", tests, NULL, NULL);
}
