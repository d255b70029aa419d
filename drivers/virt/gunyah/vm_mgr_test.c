// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Gunyah VM manager: the physical ranges of parcels,
 * guest-memory folios, and the registry of VM functions.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/file.h>
#include <linux/pagemap.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "rsc_mgr.h"
#include "vm_mgr.h"

/* The type the test function module gunyah_vm_test_fn registers */
#define GUNYAH_TEST_FN_MODULE_TYPE	32343
/* A type only this test registers */
#define GUNYAH_TEST_FN_TYPE		32344

/**
 * struct gunyah_extents_case - Pages handed to gunyah_extents_add()
 * @name: the case
 * @pages: how many
 * @step: distance of one page to the next, in pages (negative: downwards)
 * @want: ranges expected
 */
struct gunyah_extents_case {
	const char *name;
	unsigned long pages;
	long step;
	unsigned long want;
};

static const struct gunyah_extents_case gunyah_extents_cases[] = {
	{ "one page", 1, 1, 1 },
	{ "contiguous 4 MiB", 1024, 1, 1 },
	{ "every other page", 300, 2, 300 },
	{ "descending pages", 100, -1, 100 },
	{ "above the 512 of one message", 2000, 2, 2000 },
	{ "4 GiB of scattered pages", SZ_4G / SZ_4K, 2, SZ_4G / SZ_4K },
};

static void gunyah_extents_case_desc(const struct gunyah_extents_case *c,
				     char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(gunyah_extents, gunyah_extents_cases,
		  gunyah_extents_case_desc);

static void gunyah_extents_test(struct kunit *test)
{
	const struct gunyah_extents_case *c = test->param_value;
	phys_addr_t base = SZ_16G, addr;
	struct gunyah_extents ext = {};
	u64 total = 0;
	unsigned long i;

	for (i = 0; i < c->pages; i++) {
		addr = base + (phys_addr_t)(c->step * (long)i) * PAGE_SIZE;
		KUNIT_ASSERT_EQ(test, gunyah_extents_add(&ext, addr, PAGE_SIZE),
				0);
	}

	KUNIT_EXPECT_EQ(test, ext.n, c->want);
	for (i = 0; i < ext.n; i++)
		total += le64_to_cpu(ext.entries[i].size);
	KUNIT_EXPECT_EQ(test, total, (u64)c->pages * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(ext.entries[0].phys_addr), base);
	/* The ranges of a huge parcel never needed a high-order page. */
	if (array_size(ext.max, sizeof(*ext.entries)) > PAGE_SIZE << 3)
		KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(ext.entries));
	kvfree(ext.entries);
}

static struct file *gunyah_test_gmem(struct kunit *test, u64 flags, u64 size)
{
	struct gunyah_create_mem_args args = { .flags = flags, .size = size };
	struct file *file;

	file = gunyah_gmem_create_file(&args);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	return file;
}

/* Ranges of guest memory: whole folios, neighbours merged. */
static void gunyah_gmem_extents_check(struct kunit *test, u64 flags,
				      unsigned int want_order)
{
	const u64 size = 4 * PMD_SIZE;
	struct gunyah_vm_binding b = {};
	struct gunyah_extents ext = {};
	struct folio *folio;
	u64 total = 0;
	size_t i;

	b.file = gunyah_test_gmem(test, flags, size);
	b.nr = size >> PAGE_SHIFT;
	KUNIT_ASSERT_EQ(test, gunyah_gmem_extents(&b, &ext), 0);

	for (i = 0; i < ext.n; i++) {
		total += le64_to_cpu(ext.entries[i].size);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(le64_to_cpu(ext.entries[i].size),
						   PAGE_SIZE << want_order));
	}
	KUNIT_EXPECT_EQ(test, total, size);
	if (want_order)
		KUNIT_EXPECT_LE(test, ext.n, size >> (PAGE_SHIFT + want_order));

	for (i = 0; i < b.nr; i += 1UL << want_order) {
		folio = filemap_get_folio(b.file->f_mapping, i);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, folio);
		KUNIT_EXPECT_EQ(test, folio_order(folio), want_order);
		KUNIT_EXPECT_TRUE(test, folio_test_uptodate(folio));
		folio_put(folio);
	}
	kvfree(ext.entries);
	fput(b.file);
}

static void gunyah_gmem_small_folios_test(struct kunit *test)
{
	gunyah_gmem_extents_check(test, 0, 0);
}

static void gunyah_gmem_huge_folios_test(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE))
		kunit_skip(test, "no large folios without THP");
	gunyah_gmem_extents_check(test, GHMF_ALLOW_HUGEPAGE, PMD_ORDER);
}

static void gunyah_gmem_args_test(struct kunit *test)
{
	struct gunyah_create_mem_args args = { .size = PAGE_SIZE };

	args.flags = BIT(2);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_gmem_create_file(&args)), -EINVAL);
	args.flags = 0;
	args.reserved[5] = 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_gmem_create_file(&args)), -EINVAL);
	args.reserved[5] = 0;
	args.size = PAGE_SIZE + 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_gmem_create_file(&args)), -EINVAL);
	args.size = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_gmem_create_file(&args)), -EINVAL);
}

/**
 * struct gunyah_test_fn_state - What the test function saw
 * @binds: successful binds
 * @unbinds: unbinds
 */
struct gunyah_test_fn_state {
	int binds;
	int unbinds;
};

static struct gunyah_test_fn_state gunyah_test_fn_state;

/* The argument is one byte: 0xee makes bind fail. */
static long gunyah_test_fn_bind(struct gunyah_vm_function_instance *f)
{
	if (f->arg_size != 1)
		return -EINVAL;
	if (*(u8 *)f->argp == 0xee)
		return -EIO;
	gunyah_test_fn_state.binds++;
	return *(u8 *)f->argp;
}

static void gunyah_test_fn_unbind(struct gunyah_vm_function_instance *f)
{
	gunyah_test_fn_state.unbinds++;
}

static bool gunyah_test_fn_compare(const struct gunyah_vm_function_instance *f,
				   const void *arg, size_t size)
{
	return size == f->arg_size && !memcmp(arg, f->argp, size);
}

static struct gunyah_vm_function gunyah_test_fn = {
	.type = GUNYAH_TEST_FN_TYPE,
	.name = "test",
	.mod = THIS_MODULE,
	.bind = gunyah_test_fn_bind,
	.unbind = gunyah_test_fn_unbind,
	.compare = gunyah_test_fn_compare,
};

/**
 * struct gunyah_test_vm - A VM manager without an RM, for functions
 * @rm: stands in for the RM; only its device is used
 * @mgr: the VM manager
 * @ghvm: a VM that never starts
 */
struct gunyah_test_vm {
	struct gunyah_rm rm;
	struct gunyah_vm_manager mgr;
	struct gunyah_vm *ghvm;
};

static struct gunyah_test_vm *gunyah_test_vm_create(struct kunit *test)
{
	struct gunyah_test_vm *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->rm.dev = kunit_device_register(test, "gunyah-vm-mgr-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->rm.dev);
	KUNIT_ASSERT_EQ(test, gunyah_vm_manager_init(&t->mgr, &t->rm), 0);
	t->ghvm = gunyah_vm_alloc(&t->mgr);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->ghvm);
	return t;
}

/* Drop the VM and wait for its teardown. */
static void gunyah_test_vm_destroy(struct gunyah_test_vm *t)
{
	gunyah_vm_put(t->ghvm);
	gunyah_vm_manager_exit(&t->mgr);
}

static long gunyah_test_add(struct gunyah_vm *ghvm, u32 type, u8 val)
{
	u8 *arg = kmemdup(&val, 1, GFP_KERNEL);

	if (!arg)
		return -ENOMEM;
	return gunyah_vm_add_function_instance(ghvm, type, arg, 1);
}

static void gunyah_registry_register_test(struct kunit *test)
{
	struct gunyah_vm_function incomplete = { .type = GUNYAH_TEST_FN_TYPE };
	struct gunyah_vm_function *fn;
	unsigned int refs = module_refcount(THIS_MODULE);

	KUNIT_EXPECT_EQ(test, gunyah_vm_function_register(&incomplete), -EINVAL);
	KUNIT_ASSERT_EQ(test, gunyah_vm_function_register(&gunyah_test_fn), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_function_register(&gunyah_test_fn),
			-EEXIST);

	/* A lookup holds the module of the type. */
	fn = gunyah_vm_function_get(GUNYAH_TEST_FN_TYPE);
	KUNIT_EXPECT_PTR_EQ(test, fn, &gunyah_test_fn);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 1);
	module_put(THIS_MODULE);

	gunyah_vm_function_unregister(&gunyah_test_fn);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_vm_function_get(GUNYAH_TEST_FN_TYPE)),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs);
}

static void gunyah_registry_autoload_test(struct kunit *test)
{
	struct gunyah_vm_function *fn;

	/* Not loaded by anyone: request_module() finds it by its alias. */
	fn = gunyah_vm_function_get(GUNYAH_TEST_FN_MODULE_TYPE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fn);
	KUNIT_EXPECT_STREQ(test, module_name(fn->mod), "gunyah_vm_test_fn");
	KUNIT_EXPECT_EQ(test, fn->type, GUNYAH_TEST_FN_MODULE_TYPE);
	KUNIT_EXPECT_GE(test, module_refcount(fn->mod), 1);
	module_put(fn->mod);
}

static void gunyah_registry_instances_test(struct kunit *test)
{
	unsigned int refs = module_refcount(THIS_MODULE);
	struct gunyah_test_vm *t;
	u8 one = 1, three = 3;

	memset(&gunyah_test_fn_state, 0, sizeof(gunyah_test_fn_state));
	KUNIT_ASSERT_EQ(test, gunyah_vm_function_register(&gunyah_test_fn), 0);
	t = gunyah_test_vm_create(test);

	/* bind's value goes to userspace; duplicates and failures add none. */
	KUNIT_EXPECT_EQ(test, gunyah_test_add(t->ghvm, GUNYAH_TEST_FN_TYPE, 1), 1);
	KUNIT_EXPECT_EQ(test, gunyah_test_add(t->ghvm, GUNYAH_TEST_FN_TYPE, 1),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, gunyah_test_add(t->ghvm, GUNYAH_TEST_FN_TYPE, 2), 2);
	KUNIT_EXPECT_EQ(test, gunyah_test_add(t->ghvm, GUNYAH_TEST_FN_TYPE, 0xee),
			-EIO);
	KUNIT_EXPECT_EQ(test, gunyah_test_add(t->ghvm, GUNYAH_TEST_FN_TYPE + 100,
					      1), -ENODEV);
	KUNIT_EXPECT_EQ(test, gunyah_test_fn_state.binds, 2);
	/* Each instance holds the module. */
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 2);

	KUNIT_EXPECT_EQ(test,
			gunyah_vm_remove_function_instance(t->ghvm,
							   GUNYAH_TEST_FN_TYPE,
							   &three, 1),
			-ENOENT);
	KUNIT_EXPECT_EQ(test,
			gunyah_vm_remove_function_instance(t->ghvm,
							   GUNYAH_TEST_FN_TYPE + 100,
							   &one, 1),
			-ENODEV);
	KUNIT_EXPECT_EQ(test,
			gunyah_vm_remove_function_instance(t->ghvm,
							   GUNYAH_TEST_FN_TYPE,
							   &one, 1), 0);
	KUNIT_EXPECT_EQ(test, gunyah_test_fn_state.unbinds, 1);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 1);

	/* The VM's teardown unbinds what is left. */
	gunyah_test_vm_destroy(t);
	KUNIT_EXPECT_EQ(test, gunyah_test_fn_state.unbinds, 2);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs);
	gunyah_vm_function_unregister(&gunyah_test_fn);
}

static struct kunit_case gunyah_vm_mgr_test_cases[] = {
	KUNIT_CASE_PARAM(gunyah_extents_test, gunyah_extents_gen_params),
	KUNIT_CASE(gunyah_gmem_small_folios_test),
	KUNIT_CASE(gunyah_gmem_huge_folios_test),
	KUNIT_CASE(gunyah_gmem_args_test),
	KUNIT_CASE(gunyah_registry_register_test),
	KUNIT_CASE(gunyah_registry_autoload_test),
	KUNIT_CASE(gunyah_registry_instances_test),
	{}
};

static struct kunit_suite gunyah_vm_mgr_test_suite = {
	.name = "gunyah_vm_mgr",
	.test_cases = gunyah_vm_mgr_test_cases,
};

kunit_test_suite(gunyah_vm_mgr_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the Gunyah VM manager");
