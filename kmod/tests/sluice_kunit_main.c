// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for sluice. Run by tests/kunit/run in the KUnit test kernel
 * (with KASAN, lockdep and kmemleak). Each suite runs one set of the
 * plain-C property checks (kmod/checks.h) that the userspace unit tests
 * also run, one parameterised case per check, against the module's own
 * files compiled into this test module.
 *
 *   sluice_maglev: maglev_checks.c over maglev.c
 *   sluice_sched:  sched_checks.c over sched_algo.c (rr, wrr, sh, lc, wlc,
 *                  thresholds)
 *   sluice_netlink, sluice_control: nl_kunit.c
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../maglev.c"
#include "../maglev_checks.c"
#include "../sched_algo.c"
#include "../sched_checks.c"
#include "nl_kunit.h"

static void run_check(struct kunit *test)
{
	const struct sluice_check *c = test->param_value;
	char msg[256] = "";

	KUNIT_EXPECT_EQ_MSG(test, c->fn(test->priv, msg, sizeof(msg)), 0, "%s", msg);
}

/* Parameter generators: each check of the suite in turn. */
static const void *next_check(const void *prev, char *desc,
			      const struct sluice_check *checks, unsigned int n)
{
	const struct sluice_check *c = prev ? (const struct sluice_check *)prev + 1 :
					      checks;

	if (c >= checks + n)
		return NULL;
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
	return c;
}

static const void *mh_params(const void *prev, char *desc)
{
	return next_check(prev, desc, sluice_mh_checks, sluice_mh_nchecks);
}

static const void *sched_params(const void *prev, char *desc)
{
	return next_check(prev, desc, sluice_sched_checks, sluice_sched_nchecks);
}

static int mh_init(struct kunit *test)
{
	struct mh_check_mem *mem;

	mem = kunit_kzalloc(test, sizeof(*mem), GFP_KERNEL);
	if (!mem)
		return -ENOMEM;
	mem->a = kunit_kcalloc(test, SLUICE_MH_SIZE_MAX, sizeof(*mem->a), GFP_KERNEL);
	mem->b = kunit_kcalloc(test, SLUICE_MH_SIZE_MAX, sizeof(*mem->b), GFP_KERNEL);
	mem->ra = kunit_kcalloc(test, MH_CHECK_REALS, sizeof(*mem->ra), GFP_KERNEL);
	mem->rb = kunit_kcalloc(test, MH_CHECK_REALS, sizeof(*mem->rb), GFP_KERNEL);
	mem->count = kunit_kcalloc(test, MH_CHECK_REALS, sizeof(*mem->count), GFP_KERNEL);
	mem->scratch = kunit_kzalloc(test, sluice_mh_scratch_size(MH_CHECK_REALS),
				     GFP_KERNEL);
	if (!mem->a || !mem->b || !mem->ra || !mem->rb || !mem->count || !mem->scratch)
		return -ENOMEM;
	test->priv = mem;
	return 0;
}

static struct kunit_case sluice_maglev_cases[] = {
	KUNIT_CASE_PARAM(run_check, mh_params),
	{}
};

static struct kunit_suite sluice_maglev_suite = {
	.name = "sluice_maglev",
	.init = mh_init,
	.test_cases = sluice_maglev_cases,
};

static struct kunit_case sluice_sched_cases[] = {
	KUNIT_CASE_PARAM(run_check, sched_params),
	{}
};

static struct kunit_suite sluice_sched_suite = {
	.name = "sluice_sched",
	.test_cases = sluice_sched_cases,
};

kunit_test_suites(&sluice_maglev_suite, &sluice_sched_suite, &sluice_netlink_suite,
		  &sluice_control_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sluice KUnit suites");
