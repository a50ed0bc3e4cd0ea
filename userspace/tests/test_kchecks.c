// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the module's plain-C parts (Maglev tables, scheduling
 * algorithms) compiled for userspace, running the same property checks as
 * the KUnit suites.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "maglev_checks.h"
#include "sched_checks.h"

static struct mh_check_mem mem;

struct run {
	const struct sluice_check *check;
	void *mem;
};

static void run_check(void **state)
{
	const struct run *r = *state;
	char msg[256] = "";

	if (r->check->fn(r->mem, msg, sizeof(msg)))
		fail_msg("%s: %s", r->check->name, msg);
}

static int run_group(const char *name, const struct sluice_check *checks,
		     unsigned int n, void *m)
{
	struct CMUnitTest tests[32];
	struct run runs[32];
	unsigned int i;

	for (i = 0; i < n && i < 32; i++) {
		runs[i] = (struct run){ &checks[i], m };
		tests[i] = (struct CMUnitTest){ .name = checks[i].name,
						.test_func = run_check,
						.initial_state = &runs[i] };
	}
	return _cmocka_run_group_tests(name, tests, i, NULL, NULL);
}

int main(void)
{
	int ret;

	mem.a = calloc(SLUICE_MH_SIZE_MAX, sizeof(*mem.a));
	mem.b = calloc(SLUICE_MH_SIZE_MAX, sizeof(*mem.b));
	mem.ra = calloc(MH_CHECK_REALS, sizeof(*mem.ra));
	mem.rb = calloc(MH_CHECK_REALS, sizeof(*mem.rb));
	mem.scratch = malloc(sluice_mh_scratch_size(MH_CHECK_REALS));
	mem.count = calloc(MH_CHECK_REALS, sizeof(*mem.count));
	if (!mem.a || !mem.b || !mem.ra || !mem.rb || !mem.scratch ||
	    !mem.count)
		return 1;
	ret = run_group("maglev", sluice_mh_checks, sluice_mh_nchecks, &mem);
	ret |= run_group("sched", sluice_sched_checks, sluice_sched_nchecks,
			 NULL);
	free(mem.a);
	free(mem.b);
	free(mem.ra);
	free(mem.rb);
	free(mem.scratch);
	free(mem.count);
	return ret;
}
