// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the simulated Gunyah Resource Manager.
 */

#include <kunit/test.h>
#include <linux/module.h>

#include "gunyah_sim.h"

static void gunyah_sim_rm_profile_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_get_profile(), GUNYAH_SIM_RM_PUBLIC);
}

static struct kunit_case gunyah_sim_rm_test_cases[] = {
	KUNIT_CASE(gunyah_sim_rm_profile_test),
	{}
};

static struct kunit_suite gunyah_sim_rm_suite = {
	.name = "gunyah_sim_rm",
	.test_cases = gunyah_sim_rm_test_cases,
};

kunit_test_suite(gunyah_sim_rm_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the simulated Gunyah Resource Manager");
