// SPDX-License-Identifier: GPL-2.0
/* Unit tests: the module's Maglev code, compiled for userspace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "maglev_checks.h"

static struct mh_check_mem mem;

static void run_check(void **state)
{
	const struct mh_check *c = *state;
	char msg[256] = "";

	if (c->fn(&mem, msg, sizeof(msg)))
		fail_msg("%s: %s", c->name, msg);
}

int main(void)
{
	struct CMUnitTest tests[16];
	unsigned int i;
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
	for (i = 0; i < sluice_mh_nchecks && i < 16; i++) {
		tests[i] = (struct CMUnitTest){
			.name = sluice_mh_checks[i].name,
			.test_func = run_check,
			.initial_state = (void *)&sluice_mh_checks[i]
		};
	}
	ret = _cmocka_run_group_tests("maglev", tests, i, NULL, NULL);
	free(mem.a);
	free(mem.b);
	free(mem.ra);
	free(mem.rb);
	free(mem.scratch);
	free(mem.count);
	return ret;
}
