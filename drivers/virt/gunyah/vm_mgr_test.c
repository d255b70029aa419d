// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Gunyah VM manager: the physical ranges of parcels,
 * guest-memory folios, the registry of VM functions and the in-kernel
 * MMIO handlers.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/file.h>
#include <linux/kthread.h>
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

/**
 * struct gunyah_test_io - An in-kernel MMIO handler that records its calls
 * @io: the handler
 * @calls: writes it was offered
 * @addr: address of the last write
 * @len: length of the last write
 * @data: data of the last write
 * @decline: refuse every write with -ENODEV
 * @removed: set once gunyah_vm_remove_io_handler() returned
 * @late: calls seen after @removed was set
 */
struct gunyah_test_io {
	struct gunyah_vm_io_handler io;
	atomic_t calls;
	u64 addr;
	u32 len;
	u64 data;
	bool decline;
	bool removed;
	atomic_t late;
};

static int gunyah_test_io_write(struct gunyah_vm_io_handler *io_dev, u64 addr,
				u32 len, u64 data)
{
	struct gunyah_test_io *t = container_of(io_dev, struct gunyah_test_io,
						io);

	if (READ_ONCE(t->removed))
		atomic_inc(&t->late);
	atomic_inc(&t->calls);
	t->addr = addr;
	t->len = len;
	t->data = data;
	return t->decline ? -ENODEV : 0;
}

static const struct gunyah_vm_io_handler_ops gunyah_test_io_ops = {
	.write = gunyah_test_io_write,
};

static void gunyah_test_io_init(struct gunyah_test_io *t, u64 addr, u32 len)
{
	memset(t, 0, sizeof(*t));
	t->io.addr = addr;
	t->io.len = len;
	t->io.ops = &gunyah_test_io_ops;
}

/* One handler per address, whatever the lengths; bad handlers refused. */
static void gunyah_io_add_test(struct kunit *test)
{
	static const struct gunyah_vm_io_handler_ops no_write = {};
	struct gunyah_test_io a, same_addr, overlap, bad;
	struct gunyah_test_vm *t = gunyah_test_vm_create(test);

	gunyah_test_io_init(&a, 0x8008, 4);
	gunyah_test_io_init(&same_addr, 0x8008, 2);
	gunyah_test_io_init(&overlap, 0x800a, 4);

	KUNIT_EXPECT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &a.io), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &a.io), -EEXIST);
	KUNIT_EXPECT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &same_addr.io),
			-EEXIST);
	same_addr.io.len = 0;
	KUNIT_EXPECT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &same_addr.io),
			-EEXIST);
	/* Overlapping ranges that start elsewhere are neighbours. */
	KUNIT_EXPECT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &overlap.io), 0);

	gunyah_test_io_init(&bad, 0x9000, 3);
	KUNIT_EXPECT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &bad.io), -EINVAL);
	bad.io.len = 16;
	KUNIT_EXPECT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &bad.io), -EINVAL);
	bad.io.len = 8;
	bad.io.ops = &no_write;
	KUNIT_EXPECT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &bad.io), -EINVAL);
	bad.io.ops = NULL;
	KUNIT_EXPECT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &bad.io), -EINVAL);

	/* Removing a handler that is not registered leaves the other one. */
	gunyah_vm_remove_io_handler(t->ghvm, &same_addr.io);
	KUNIT_EXPECT_EQ(test, gunyah_vm_mmio_write(t->ghvm, 0x8008, 4, 1), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&a.calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&same_addr.calls), 0);

	gunyah_vm_remove_io_handler(t->ghvm, &a.io);
	gunyah_vm_remove_io_handler(t->ghvm, &overlap.io);
	KUNIT_EXPECT_TRUE(test, xa_empty(&t->ghvm->io_handlers));
	gunyah_test_vm_destroy(t);
}

/* Writes reach the handler at their exact address and length only. */
static void gunyah_io_len_test(struct kunit *test)
{
	struct gunyah_test_vm *t = gunyah_test_vm_create(test);
	struct gunyah_test_io four, any;
	u32 len;

	gunyah_test_io_init(&four, 0x1000, 4);
	gunyah_test_io_init(&any, 0x2000, 0);
	KUNIT_ASSERT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &four.io), 0);
	KUNIT_ASSERT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &any.io), 0);

	KUNIT_EXPECT_EQ(test, gunyah_vm_mmio_write(t->ghvm, 0x1000, 4,
						   0xdeadbeef), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&four.calls), 1);
	KUNIT_EXPECT_EQ(test, four.addr, 0x1000);
	KUNIT_EXPECT_EQ(test, four.len, 4);
	KUNIT_EXPECT_EQ(test, four.data, 0xdeadbeef);

	/* Another length, or an address inside the range, is not ours. */
	KUNIT_EXPECT_EQ(test, gunyah_vm_mmio_write(t->ghvm, 0x1000, 2, 1),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, gunyah_vm_mmio_write(t->ghvm, 0x1000, 8, 1),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, gunyah_vm_mmio_write(t->ghvm, 0x1002, 2, 1),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, gunyah_vm_mmio_write(t->ghvm, 0xfff, 4, 1),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, atomic_read(&four.calls), 1);

	/* Length 0 takes every length. */
	for (len = 1; len <= 8; len <<= 1)
		KUNIT_EXPECT_EQ(test, gunyah_vm_mmio_write(t->ghvm, 0x2000, len,
							   len), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&any.calls), 4);
	KUNIT_EXPECT_EQ(test, any.len, 8);

	gunyah_vm_remove_io_handler(t->ghvm, &four.io);
	gunyah_vm_remove_io_handler(t->ghvm, &any.io);
	gunyah_test_vm_destroy(t);
}

/* A handler that declines leaves the write to the VMM. */
static void gunyah_io_decline_test(struct kunit *test)
{
	struct gunyah_test_vm *t = gunyah_test_vm_create(test);
	struct gunyah_test_io h;

	gunyah_test_io_init(&h, 0x3000, 2);
	h.decline = true;
	KUNIT_ASSERT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &h.io), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_mmio_write(t->ghvm, 0x3000, 2, 5),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, atomic_read(&h.calls), 1);
	h.decline = false;
	KUNIT_EXPECT_EQ(test, gunyah_vm_mmio_write(t->ghvm, 0x3000, 2, 5), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&h.calls), 2);
	gunyah_vm_remove_io_handler(t->ghvm, &h.io);
	gunyah_test_vm_destroy(t);
}

/* After removal nothing reaches the handler; the address can be reused. */
static void gunyah_io_remove_test(struct kunit *test)
{
	struct gunyah_test_vm *t = gunyah_test_vm_create(test);
	struct gunyah_test_io h, again;

	gunyah_test_io_init(&h, 0x4000, 8);
	gunyah_test_io_init(&again, 0x4000, 1);
	KUNIT_ASSERT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &h.io), 0);
	gunyah_vm_remove_io_handler(t->ghvm, &h.io);
	KUNIT_EXPECT_EQ(test, gunyah_vm_mmio_write(t->ghvm, 0x4000, 8, 1),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, atomic_read(&h.calls), 0);

	KUNIT_ASSERT_EQ(test, gunyah_vm_add_io_handler(t->ghvm, &again.io), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_mmio_write(t->ghvm, 0x4000, 1, 1), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&again.calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&h.calls), 0);
	gunyah_vm_remove_io_handler(t->ghvm, &again.io);
	gunyah_test_vm_destroy(t);
}

/**
 * struct gunyah_test_io_writer - A vCPU stand-in that writes in a loop
 * @ghvm: the VM
 * @writes: writes done
 */
struct gunyah_test_io_writer {
	struct gunyah_vm *ghvm;
	atomic_t writes;
};

static int gunyah_test_io_writer_fn(void *data)
{
	struct gunyah_test_io_writer *w = data;

	while (!kthread_should_stop()) {
		gunyah_vm_mmio_write(w->ghvm, 0x5000, 4, 1);
		atomic_inc(&w->writes);
		cond_resched();
	}
	return 0;
}

static void gunyah_test_io_wait_writes(struct gunyah_test_io_writer *w,
				       int n)
{
	int before = atomic_read(&w->writes);

	while (atomic_read(&w->writes) < before + n)
		cond_resched();
}

/* Removal while another thread writes: no call once the removal returned. */
static void gunyah_io_remove_race_test(struct kunit *test)
{
	struct gunyah_test_vm *t = gunyah_test_vm_create(test);
	struct gunyah_test_io_writer w = { .ghvm = t->ghvm };
	struct task_struct *task;
	struct gunyah_test_io h;
	int round;

	task = kthread_run(gunyah_test_io_writer_fn, &w, "gunyah-io-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));

	for (round = 0; round < 20; round++) {
		gunyah_test_io_init(&h, 0x5000, 4);
		if (gunyah_vm_add_io_handler(t->ghvm, &h.io)) {
			KUNIT_FAIL(test, "round %d: cannot add the handler", round);
			break;
		}
		gunyah_test_io_wait_writes(&w, 50);
		gunyah_vm_remove_io_handler(t->ghvm, &h.io);
		WRITE_ONCE(h.removed, true);
		gunyah_test_io_wait_writes(&w, 50);
		KUNIT_EXPECT_GT(test, atomic_read(&h.calls), 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&h.late), 0);
	}

	kthread_stop(task);
	gunyah_test_vm_destroy(t);
}

static struct kunit_case gunyah_vm_mgr_test_cases[] = {
	KUNIT_CASE_PARAM(gunyah_extents_test, gunyah_extents_gen_params),
	KUNIT_CASE(gunyah_gmem_small_folios_test),
	KUNIT_CASE(gunyah_gmem_huge_folios_test),
	KUNIT_CASE(gunyah_gmem_args_test),
	KUNIT_CASE(gunyah_registry_register_test),
	KUNIT_CASE(gunyah_registry_autoload_test),
	KUNIT_CASE(gunyah_registry_instances_test),
	KUNIT_CASE(gunyah_io_add_test),
	KUNIT_CASE(gunyah_io_len_test),
	KUNIT_CASE(gunyah_io_decline_test),
	KUNIT_CASE(gunyah_io_remove_test),
	KUNIT_CASE(gunyah_io_remove_race_test),
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
