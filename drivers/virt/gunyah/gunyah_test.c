// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Gunyah hypercall layer and hypervisor identification.
 */

#include <kunit/test.h>
#include <linux/gunyah.h>
#include <linux/module.h>

#include "gunyah_detect.h"

struct gunyah_error_case {
	long error;
	int errno;
};

/* Every code the hypervisor defines, and a few it does not. */
static const struct gunyah_error_case gunyah_error_cases[] = {
	{ GUNYAH_ERROR_OK, 0 },
	{ GUNYAH_ERROR_UNIMPLEMENTED, -EOPNOTSUPP },
	{ GUNYAH_ERROR_RETRY, -EAGAIN },
	{ GUNYAH_ERROR_ARG_INVAL, -EINVAL },
	{ GUNYAH_ERROR_ARG_SIZE, -EINVAL },
	{ GUNYAH_ERROR_ARG_ALIGN, -EINVAL },
	{ GUNYAH_ERROR_NOMEM, -ENOMEM },
	{ GUNYAH_ERROR_NORESOURCES, -ENOSPC },
	{ GUNYAH_ERROR_ADDR_OVFL, -EOVERFLOW },
	{ GUNYAH_ERROR_ADDR_UNFL, -EINVAL },
	{ GUNYAH_ERROR_ADDR_INVAL, -EFAULT },
	{ GUNYAH_ERROR_DENIED, -EACCES },
	{ GUNYAH_ERROR_BUSY, -EBUSY },
	{ GUNYAH_ERROR_IDLE, -EBUSY },
	{ GUNYAH_ERROR_OBJECT_STATE, -EBUSY },
	{ GUNYAH_ERROR_OBJECT_CONFIG, -EINVAL },
	{ GUNYAH_ERROR_OBJECT_CONFIGURED, -EEXIST },
	{ GUNYAH_ERROR_FAILURE, -EIO },
	{ GUNYAH_ERROR_VIRQ_BOUND, -EBUSY },
	{ GUNYAH_ERROR_VIRQ_NOT_BOUND, -ENOENT },
	{ GUNYAH_ERROR_CSPACE_CAP_NULL, -EACCES },
	{ GUNYAH_ERROR_CSPACE_CAP_REVOKED, -EACCES },
	{ GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE, -EACCES },
	{ GUNYAH_ERROR_CSPACE_INSUF_RIGHTS, -EACCES },
	{ GUNYAH_ERROR_CSPACE_FULL, -ENOSPC },
	{ GUNYAH_ERROR_MSGQUEUE_EMPTY, -ENODATA },
	{ GUNYAH_ERROR_MSGQUEUE_FULL, -ENOBUFS },
	{ GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING, -EEXIST },
	{ GUNYAH_ERROR_ALLOCATOR_MEM_INUSE, -EBUSY },
	{ GUNYAH_ERROR_MEMDB_EMPTY, -ENOENT },
	{ GUNYAH_ERROR_MEMDB_NOT_OWNER, -EPERM },
	{ GUNYAH_ERROR_MEMEXTENT_MAPPINGS_FULL, -ENOSPC },
	{ GUNYAH_ERROR_MEMEXTENT_TYPE, -EINVAL },
	{ GUNYAH_ERROR_EXISTING_MAPPING, -EEXIST },
	/* Not hypervisor errors: internal log strings and unknown codes. */
	{ 4, -EIO },
	{ 90, -EIO },
	{ 94, -EIO },
	{ 1000, -EIO },
	{ -3, -EIO },
};

static void gunyah_error_case_desc(const struct gunyah_error_case *c,
				   char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "error %ld", c->error);
}

KUNIT_ARRAY_PARAM(gunyah_error, gunyah_error_cases, gunyah_error_case_desc);

static void gunyah_error_remap_test(struct kunit *test)
{
	const struct gunyah_error_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, gunyah_error_remap(c->error), c->errno);
}

/* Every defined code is in the table above exactly once. */
static void gunyah_error_table_complete_test(struct kunit *test)
{
	static const long defined[] = {
		0, -1, -2, 1, 2, 3, 10, 11, 20, 21, 22, 30, 31, 32, 33, 34,
		35, 36, 40, 41, 50, 51, 52, 53, 54, 60, 61, 100, 101, 110,
		111, 120, 121, 200,
	};
	int i, j, found;

	for (i = 0; i < ARRAY_SIZE(defined); i++) {
		found = 0;
		for (j = 0; j < ARRAY_SIZE(gunyah_error_cases); j++)
			found += gunyah_error_cases[j].error == defined[i];
		KUNIT_EXPECT_EQ_MSG(test, found, 1, "error %ld", defined[i]);
	}
}

static struct kunit_case gunyah_error_test_cases[] = {
	KUNIT_CASE_PARAM(gunyah_error_remap_test, gunyah_error_gen_params),
	KUNIT_CASE(gunyah_error_table_complete_test),
	{}
};

static struct kunit_suite gunyah_error_suite = {
	.name = "gunyah_error",
	.test_cases = gunyah_error_test_cases,
};

struct gunyah_fn_case {
	const char *name;
	u32 fn;
	u32 expected;
};

static const struct gunyah_fn_case gunyah_fn_cases[] = {
	{ "hyp_identify", GUNYAH_HYPERCALL_HYP_IDENTIFY, 0xc6008000 },
	{ "bell_send", GUNYAH_HYPERCALL_BELL_SEND, 0xc6008012 },
	{ "bell_set_mask", GUNYAH_HYPERCALL_BELL_SET_MASK, 0xc6008015 },
	{ "msgq_send", GUNYAH_HYPERCALL_MSGQ_SEND, 0xc600801b },
	{ "msgq_recv", GUNYAH_HYPERCALL_MSGQ_RECV, 0xc600801c },
	{ "addrspace_map", GUNYAH_HYPERCALL_ADDRSPACE_MAP, 0xc600802b },
	{ "addrspace_unmap", GUNYAH_HYPERCALL_ADDRSPACE_UNMAP, 0xc600802c },
	{ "vcpu_set_affinity", GUNYAH_HYPERCALL_VCPU_SET_AFFINITY, 0xc600803d },
	{ "vpm_group_get_state", GUNYAH_HYPERCALL_VPM_GROUP_GET_STATE, 0xc6008045 },
	{ "memextent_donate", GUNYAH_HYPERCALL_MEMEXTENT_DONATE, 0xc6008061 },
	{ "vcpu_run", GUNYAH_HYPERCALL_VCPU_RUN, 0xc6008065 },
};

static void gunyah_fn_case_desc(const struct gunyah_fn_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(gunyah_fn, gunyah_fn_cases, gunyah_fn_case_desc);

static void gunyah_fn_id_test(struct kunit *test)
{
	const struct gunyah_fn_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, c->fn, c->expected);
	/* Fast, 64-bit, vendor-hypervisor owned, hypercall class. */
	KUNIT_EXPECT_TRUE(test, ARM_SMCCC_IS_FAST_CALL(c->fn));
	KUNIT_EXPECT_TRUE(test, ARM_SMCCC_IS_64(c->fn));
	KUNIT_EXPECT_EQ(test, ARM_SMCCC_OWNER_NUM(c->fn),
			ARM_SMCCC_OWNER_VENDOR_HYP);
	KUNIT_EXPECT_EQ(test, c->fn & GENMASK(23, 16), 0);
	KUNIT_EXPECT_EQ(test, (c->fn >> 14) & 0x3, 0x2);
}

static void gunyah_uid_call_id_test(struct kunit *test)
{
	/* The UID query is a fast SMC32 service call, not a hypercall. */
	KUNIT_EXPECT_EQ(test, ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, 0x8600ff01);
}

/* Gunyah's UID as the hypervisor returns it in X0..X3. */
static const unsigned long gunyah_uid_words[4] = {
	0xcd8fd5c1, 0xdb5f53a4, 0x36ce6592, 0x145f3d67,
};

static void gunyah_uid_match_test(struct kunit *test)
{
	const uuid_t gunyah_uuid = GUNYAH_UUID;
	const u8 bytes[16] = {
		0xc1, 0xd5, 0x8f, 0xcd, 0xa4, 0x53, 0x5f, 0xdb,
		0x92, 0x65, 0xce, 0x36, 0x67, 0x3d, 0x5f, 0x14,
	};

	KUNIT_EXPECT_TRUE(test, gunyah_uid_is_gunyah(gunyah_uid_words));
	KUNIT_EXPECT_MEMEQ(test, gunyah_uuid.b, bytes, sizeof(bytes));
}

static void gunyah_uid_mismatch_test(struct kunit *test)
{
	/* KVM's vendor-hypervisor UID. */
	const unsigned long kvm[4] = {
		0xb66fb428, 0xe911c52e, 0x564bcaa9, 0x743a004d,
	};
	/* Each word byte-swapped. */
	const unsigned long swapped[4] = {
		0xc1d58fcd, 0xa4535fdb, 0x9265ce36, 0x673d5f14,
	};
	/* Reversed word order, as an early driver version compared. */
	const unsigned long reversed[4] = {
		0x673d5f14, 0x9265ce36, 0xa4535fdb, 0xc1d58fcd,
	};
	/* Right low halves, but stray upper bits. */
	const unsigned long upper[4] = {
		0x1cd8fd5c1, 0xdb5f53a4, 0x36ce6592, 0x145f3d67,
	};
	/* An SMCCC "not supported" answer. */
	const unsigned long unsupported[4] = { ULONG_MAX, 0, 0, 0 };
	const unsigned long zero[4] = { 0 };

	KUNIT_EXPECT_FALSE(test, gunyah_uid_is_gunyah(kvm));
	KUNIT_EXPECT_FALSE(test, gunyah_uid_is_gunyah(swapped));
	KUNIT_EXPECT_FALSE(test, gunyah_uid_is_gunyah(reversed));
	KUNIT_EXPECT_FALSE(test, gunyah_uid_is_gunyah(upper));
	KUNIT_EXPECT_FALSE(test, gunyah_uid_is_gunyah(unsupported));
	KUNIT_EXPECT_FALSE(test, gunyah_uid_is_gunyah(zero));
}

static void gunyah_uid_single_byte_test(struct kunit *test)
{
	unsigned long words[4];
	int word, byte;

	/* Any one byte changed is another UID. */
	for (word = 0; word < 4; word++) {
		for (byte = 0; byte < 4; byte++) {
			memcpy(words, gunyah_uid_words, sizeof(words));
			words[word] ^= 0x01UL << (byte * 8);
			KUNIT_EXPECT_FALSE_MSG(test, gunyah_uid_is_gunyah(words),
					       "word %d byte %d", word, byte);
		}
	}
}

static struct kunit_case gunyah_hypercall_test_cases[] = {
	KUNIT_CASE_PARAM(gunyah_fn_id_test, gunyah_fn_gen_params),
	KUNIT_CASE(gunyah_uid_call_id_test),
	KUNIT_CASE(gunyah_uid_match_test),
	KUNIT_CASE(gunyah_uid_mismatch_test),
	KUNIT_CASE(gunyah_uid_single_byte_test),
	{}
};

static struct kunit_suite gunyah_hypercall_suite = {
	.name = "gunyah_hypercall",
	.test_cases = gunyah_hypercall_test_cases,
};

struct gunyah_identify_case {
	const char *name;
	u64 api_info;
	u64 flags0;
	int ret;
	u8 variant;
};

#define GUNYAH_V1_LE64	(BIT_ULL(15) | 1)

static const struct gunyah_identify_case gunyah_identify_cases[] = {
	{ "qualcomm v1", (0x51ULL << 56) | GUNYAH_V1_LE64, 0x10000fff, 0, 0x51 },
	{ "gunyah v1", (0x48ULL << 56) | GUNYAH_V1_LE64, 0x26, 0, 0x48 },
	{ "unknown variant", GUNYAH_V1_LE64, 0, 0, 0 },
	{ "v1 reserved bits", GENMASK_ULL(55, 16) | GUNYAH_V1_LE64, 0x2, 0, 0 },
	{ "v0", BIT_ULL(15), 0xfff, -EOPNOTSUPP },
	{ "v2", BIT_ULL(15) | 2, 0xfff, -EOPNOTSUPP },
	{ "v0x2001", BIT_ULL(15) | 0x2001, 0xfff, -EOPNOTSUPP },
	{ "32-bit", 1, 0xfff, -EOPNOTSUPP },
	{ "big-endian", BIT_ULL(14) | GUNYAH_V1_LE64, 0xfff, -EOPNOTSUPP },
};

static void gunyah_identify_case_desc(const struct gunyah_identify_case *c,
				      char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(gunyah_identify, gunyah_identify_cases,
		  gunyah_identify_case_desc);

static void gunyah_parse_identify_test(struct kunit *test)
{
	const struct gunyah_identify_case *c = test->param_value;
	struct gunyah_hypercall_hyp_identify_resp resp = {
		.api_info = c->api_info,
		.flags = { c->flags0, 0, 0 },
	};
	struct gunyah_hyp_info info = { .api_version = 0xdead };

	KUNIT_ASSERT_EQ(test, gunyah_parse_identify(&resp, &info), c->ret);
	if (c->ret) {
		/* A refused answer leaves nothing behind. */
		KUNIT_EXPECT_EQ(test, info.api_version, 0xdead);
		return;
	}

	KUNIT_EXPECT_EQ(test, info.api_version, GUNYAH_API_V1);
	KUNIT_EXPECT_EQ(test, info.variant, c->variant);
	KUNIT_EXPECT_EQ(test, info.features, c->flags0);
}

static void gunyah_identify_fields_test(struct kunit *test)
{
	struct gunyah_hypercall_hyp_identify_resp resp = {
		.api_info = (0x51ULL << 56) | BIT_ULL(15) | 0x1234,
	};

	KUNIT_EXPECT_EQ(test, gunyah_api_version(&resp), 0x1234);
	KUNIT_EXPECT_EQ(test, gunyah_api_variant(&resp), 0x51);
	resp.api_info = GENMASK_ULL(63, 0);
	KUNIT_EXPECT_EQ(test, gunyah_api_version(&resp), 0x3fff);
	KUNIT_EXPECT_EQ(test, gunyah_api_variant(&resp), 0xff);
}

static struct kunit_case gunyah_identify_test_cases[] = {
	KUNIT_CASE_PARAM(gunyah_parse_identify_test,
			 gunyah_identify_gen_params),
	KUNIT_CASE(gunyah_identify_fields_test),
	{}
};

static struct kunit_suite gunyah_identify_suite = {
	.name = "gunyah_identify",
	.test_cases = gunyah_identify_test_cases,
};

kunit_test_suites(&gunyah_error_suite, &gunyah_hypercall_suite,
		  &gunyah_identify_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the Gunyah hypercall layer");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
