// SPDX-License-Identifier: GPL-2.0
/* Unit tests: CPU lists for --steer (lib/steer.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "steer.h"

static void good(void **state)
{
	unsigned int cpus[64], n;
	char err[128];

	(void)state;
	assert_int_equal(sluice_cpulist_parse("0-3,6", cpus, 64, &n, err,
					      sizeof(err)),
			 0);
	assert_int_equal(n, 5);
	assert_int_equal(cpus[3], 3);
	assert_int_equal(cpus[4], 6);
	assert_int_equal(
		sluice_cpulist_parse("5", cpus, 64, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cpus[0], 5);
	assert_int_equal(sluice_cpulist_parse("0-63", cpus, 64, &n, err,
					      sizeof(err)),
			 0);
	assert_int_equal(n, 64);
}

static void bad_one(const char *in, const char *msg_part)
{
	unsigned int cpus[64], n;
	char err[128] = "";

	assert_int_equal(
		sluice_cpulist_parse(in, cpus, 64, &n, err, sizeof(err)), -22);
	if (!strstr(err, msg_part))
		fail_msg("'%s': message '%s' lacks '%s'", in, err, msg_part);
}

static void bad(void **state)
{
	(void)state;
	bad_one("", "not a CPU list");
	bad_one("a", "not a CPU list");
	bad_one("1,", "not a CPU list");
	bad_one(",1", "not a CPU list");
	bad_one("3-1", "not a CPU list");
	bad_one("1-", "not a CPU list");
	bad_one("-1", "not a CPU list");
	bad_one("1 2", "not a CPU list");
	bad_one("64", "CPU 64 in '64' is out of range (0 to 63)");
	bad_one("0-64", "out of range");
	bad_one("2,1", "not ascending");
	bad_one("1,1", "not ascending");
	bad_one("0-3,2", "not ascending");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(bad),
	};

	return cmocka_run_group_tests_name("cpulist", tests, NULL, NULL);
}
