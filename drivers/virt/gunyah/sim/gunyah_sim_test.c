// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of Gunyah detection against the simulated hypervisor.
 */

#include <kunit/test.h>
#include <linux/gunyah.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "../gunyah_detect.h"
#include "gunyah_sim.h"

static int gunyah_sim_test_init(struct kunit *test)
{
	struct gunyah_sim_identity *saved;

	saved = kunit_kzalloc(test, sizeof(*saved), GFP_KERNEL);
	if (!saved)
		return -ENOMEM;

	gunyah_sim_get_identity(saved);
	test->priv = saved;
	return 0;
}

/* Put the simulator back the way every other test expects it. */
static void gunyah_sim_test_exit(struct kunit *test)
{
	gunyah_sim_set_identity(test->priv);
}

static struct gunyah_sim_identity *gunyah_sim_test_identity(struct kunit *test)
{
	struct gunyah_sim_identity *identity;

	identity = kunit_kzalloc(test, sizeof(*identity), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, identity);
	*identity = *(struct gunyah_sim_identity *)test->priv;
	return identity;
}

static void gunyah_sim_detect_test(struct kunit *test)
{
	struct gunyah_hyp_info info = {};

	KUNIT_ASSERT_EQ(test, gunyah_detect(&info), 0);
	KUNIT_EXPECT_EQ(test, info.api_version, GUNYAH_API_V1);
	KUNIT_EXPECT_EQ(test, info.variant, GUNYAH_API_VARIANT_QUALCOMM);
	KUNIT_EXPECT_TRUE(test, info.features & BIT_ULL(GUNYAH_FEATURE_MSGQUEUE));
	KUNIT_EXPECT_TRUE(test, info.features & BIT_ULL(GUNYAH_FEATURE_VCPU_RUN));
	/* What the public hypervisor reports: no watchdog, FPRR scheduler. */
	KUNIT_EXPECT_EQ(test, info.features, 0x10000eff);
}

/* The core module loaded against the simulator and kept its features. */
static void gunyah_sim_features_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, gunyah_has_feature(GUNYAH_FEATURE_DOORBELL));
	KUNIT_EXPECT_TRUE(test, gunyah_has_feature(GUNYAH_FEATURE_MSGQUEUE));
	KUNIT_EXPECT_TRUE(test, gunyah_has_feature(GUNYAH_FEATURE_VCPU));
	KUNIT_EXPECT_TRUE(test, gunyah_has_feature(GUNYAH_FEATURE_MEMEXTENT));
	KUNIT_EXPECT_TRUE(test, gunyah_has_feature(GUNYAH_FEATURE_VCPU_RUN));
	/* Bit 28 is the scheduler variant, not a feature the enum names. */
	KUNIT_EXPECT_FALSE(test, gunyah_has_feature(16));
}

static void gunyah_sim_detect_changed_variant_test(struct kunit *test)
{
	struct gunyah_sim_identity *identity = gunyah_sim_test_identity(test);
	struct gunyah_hyp_info info = {};

	identity->api_info &= ~GUNYAH_API_INFO_VARIANT_MASK;
	identity->api_info |= FIELD_PREP(GUNYAH_API_INFO_VARIANT_MASK,
					 GUNYAH_API_VARIANT_GUNYAH);
	identity->flags[0] = BIT_ULL(GUNYAH_FEATURE_DOORBELL);
	gunyah_sim_set_identity(identity);

	KUNIT_ASSERT_EQ(test, gunyah_detect(&info), 0);
	KUNIT_EXPECT_EQ(test, info.variant, GUNYAH_API_VARIANT_GUNYAH);
	KUNIT_EXPECT_EQ(test, info.features, BIT_ULL(GUNYAH_FEATURE_DOORBELL));
}

struct gunyah_sim_uid_case {
	const char *name;
	unsigned long uid[4];
	bool unsupported;
};

static const struct gunyah_sim_uid_case gunyah_sim_uid_cases[] = {
	{ "kvm", { 0xb66fb428, 0xe911c52e, 0x564bcaa9, 0x743a004d } },
	{ "byte-swapped", { 0xc1d58fcd, 0xa4535fdb, 0x9265ce36, 0x673d5f14 } },
	{ "word-reversed", { 0x145f3d67, 0x36ce6592, 0xdb5f53a4, 0xcd8fd5c1 } },
	{ "not supported", { 0 }, true },
};

static void gunyah_sim_uid_case_desc(const struct gunyah_sim_uid_case *c,
				     char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(gunyah_sim_uid, gunyah_sim_uid_cases,
		  gunyah_sim_uid_case_desc);

static void gunyah_sim_wrong_uid_test(struct kunit *test)
{
	const struct gunyah_sim_uid_case *c = test->param_value;
	struct gunyah_sim_identity *identity = gunyah_sim_test_identity(test);
	struct gunyah_hyp_info info = {};
	unsigned long words[4];

	memcpy(identity->uid, c->uid, sizeof(identity->uid));
	identity->uid_unsupported = c->unsupported;
	gunyah_sim_set_identity(identity);

	KUNIT_EXPECT_EQ(test, gunyah_hypercall_get_uid(words),
			c->unsupported ? -EOPNOTSUPP : 0);
	KUNIT_EXPECT_EQ(test, gunyah_detect(&info), -ENODEV);
}

struct gunyah_sim_api_case {
	const char *name;
	u64 api_info;
	int ret;
};

static const struct gunyah_sim_api_case gunyah_sim_api_cases[] = {
	{ "v0", GUNYAH_API_INFO_IS_64BIT, -EOPNOTSUPP },
	{ "v2", GUNYAH_API_INFO_IS_64BIT | 2, -EOPNOTSUPP },
	{ "v1 32-bit", 1, -EOPNOTSUPP },
	{ "v1 big-endian", GUNYAH_API_INFO_IS_64BIT | GUNYAH_API_INFO_BIG_ENDIAN | 1,
	  -EOPNOTSUPP },
	{ "v1", GUNYAH_API_INFO_IS_64BIT | 1, 0 },
};

static void gunyah_sim_api_case_desc(const struct gunyah_sim_api_case *c,
				     char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(gunyah_sim_api, gunyah_sim_api_cases,
		  gunyah_sim_api_case_desc);

static void gunyah_sim_api_version_test(struct kunit *test)
{
	const struct gunyah_sim_api_case *c = test->param_value;
	struct gunyah_sim_identity *identity = gunyah_sim_test_identity(test);
	struct gunyah_hyp_info info = {};

	identity->api_info = c->api_info;
	gunyah_sim_set_identity(identity);

	KUNIT_EXPECT_EQ(test, gunyah_detect(&info), c->ret);
}

/*
 * Capabilities the simulator never hands out (it uses IDs below 0x10000):
 * every object call on them fails on the capability.
 */
#define GUNYAH_SIM_TEST_NO_CAP(n)	(0x10000 + (n))

static void gunyah_sim_empty_cspace_test(struct kunit *test)
{
	const unsigned long resume[3] = { 0 };
	const u64 nocap = GUNYAH_SIM_TEST_NO_CAP(0);
	struct gunyah_hypercall_vcpu_run_resp run = {};
	struct gunyah_addrspace_map_args map = {};
	size_t recv_size = 1;
	bool ready = true;
	u64 val = 0;
	u8 buf[16];

	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(nocap + 1, 1, &val),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_set_mask(nocap + 1, 1, 1),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_msgq_send(nocap + 2, sizeof(buf), buf, 0,
							 &ready),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_FALSE(test, ready);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_msgq_recv(nocap + 3, buf, sizeof(buf),
							 &recv_size, &ready),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, recv_size, 0);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_addrspace_map(nocap + 4, 5, &map),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_addrspace_unmap(nocap + 4, 5, &map),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test,
			gunyah_hypercall_memextent_donate(0, 5, nocap + 6, 0, PAGE_SIZE),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_vcpu_run(GUNYAH_CAPID_INVAL,
							resume, &run),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_vcpu_set_affinity(nocap + 7, 0),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_vpm_group_get_state(nocap + 8, &val),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
}

static struct kunit_case gunyah_sim_test_cases[] = {
	KUNIT_CASE(gunyah_sim_detect_test),
	KUNIT_CASE(gunyah_sim_features_test),
	KUNIT_CASE(gunyah_sim_detect_changed_variant_test),
	KUNIT_CASE_PARAM(gunyah_sim_wrong_uid_test, gunyah_sim_uid_gen_params),
	KUNIT_CASE_PARAM(gunyah_sim_api_version_test, gunyah_sim_api_gen_params),
	KUNIT_CASE(gunyah_sim_empty_cspace_test),
	{}
};

static struct kunit_suite gunyah_sim_suite = {
	.name = "gunyah_sim_detect",
	.init = gunyah_sim_test_init,
	.exit = gunyah_sim_test_exit,
	.test_cases = gunyah_sim_test_cases,
};

kunit_test_suite(gunyah_sim_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of Gunyah detection against the simulator");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
