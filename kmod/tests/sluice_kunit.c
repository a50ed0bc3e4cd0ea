// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for sluice. Run by tests/kunit/run in the KUnit test kernel
 * (with KASAN, lockdep and kmemleak).
 *
 * sluice_maglev: the properties of kmod/maglev_checks.c (the same checks
 * the userspace unit tests run), one parameterised case each, against the
 * module's maglev.c compiled into this test module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../maglev.c"
#include "../maglev_checks.c"

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

static void mh_case(struct kunit *test)
{
	const struct mh_check *c = test->param_value;
	char msg[256] = "";

	KUNIT_EXPECT_EQ_MSG(test, c->fn(test->priv, msg, sizeof(msg)), 0, "%s", msg);
}

static const void *mh_params(const void *prev, char *desc)
{
	const struct mh_check *c = prev ? (const struct mh_check *)prev + 1 :
					  sluice_mh_checks;

	if (c >= sluice_mh_checks + sluice_mh_nchecks)
		return NULL;
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
	return c;
}

static struct kunit_case sluice_maglev_cases[] = {
	KUNIT_CASE_PARAM(mh_case, mh_params),
	{}
};

static struct kunit_suite sluice_maglev_suite = {
	.name = "sluice_maglev",
	.init = mh_init,
	.test_cases = sluice_maglev_cases,
};

kunit_test_suite(sluice_maglev_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sluice KUnit suites");
