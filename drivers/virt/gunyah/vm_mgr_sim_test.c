// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Gunyah VM manager against the simulated Resource
 * Manager: start on both RM profiles, teardown order, RM failures during
 * start and teardown, memory given after start, resource tickets; and the
 * figures of make bench.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/falloc.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/pagemap.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmstat.h>

#include "rsc_mgr.h"
#include "sim/gunyah_sim.h"
#include "vm_mgr.h"

static bool bench;
module_param(bench, bool, 0444);
MODULE_PARM_DESC(bench, "also measure the figures of make bench");

#define T_MEM_BASE	0x80000000ULL
#define T_MEM_SIZE	SZ_2M
#define T_DTB_OFFSET	SZ_1M
#define T_DTB_SIZE	SZ_4K
#define T_VCPUS		2

/* RM message IDs, as the simulated RM records them */
#define T_MEM_LEND	0x51000012
#define T_MEM_RECLAIM	0x51000015
#define T_VM_ALLOCATE	0x56000001
#define T_VM_DEALLOCATE	0x56000002
#define T_VM_START	0x56000004
#define T_VM_STOP	0x56000005
#define T_VM_RESET	0x56000006
#define T_VM_CONFIG	0x56000009
#define T_VM_INIT	0x5600000b
#define T_VM_RESOURCES	0x56000020

/* RM error codes */
#define T_RM_DENIED	0x3
#define T_RM_NORESOURCE	0x2

/**
 * struct t_ctx - An RM link of the test's own and a VM manager on it
 * @client: the simulated RM's side of the link
 * @rm: the link
 * @mgr: the VM manager, without /dev/gunyah
 * @profile: the RM profile before the test, restored after it
 */
struct t_ctx {
	struct gunyah_sim_rm_client_info client;
	struct gunyah_rm rm;
	struct gunyah_vm_manager mgr;
	enum gunyah_sim_rm_profile profile;
};

static int t_init(struct kunit *test)
{
	struct device_node *np;
	struct device *dev;
	struct t_ctx *t;
	int ret;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	dev = kunit_device_register(test, "gunyah-vm-mgr-sim-test");
	if (IS_ERR(dev))
		return PTR_ERR(dev);

	t->profile = gunyah_sim_rm_get_profile();
	ret = gunyah_sim_rm_create_client(&t->client);
	if (ret)
		return ret;
	ret = gunyah_rm_init(&t->rm, dev, t->client.tx_cap, t->client.tx_irq,
			     t->client.rx_cap, t->client.rx_irq);
	if (ret)
		goto err_client;
	ret = gunyah_vm_manager_init(&t->mgr, &t->rm);
	if (ret)
		goto err_rm;
	/* Our link has no node: use the host RM node's interrupt parent. */
	np = of_find_compatible_node(NULL, NULL, "gunyah-resource-manager");
	t->mgr.irq_parent = of_irq_find_parent(np);
	of_node_put(np);
	test->priv = t;
	return 0;

err_rm:
	gunyah_rm_teardown(&t->rm);
err_client:
	gunyah_sim_rm_destroy_client(&t->client);
	return ret;
}

static void t_exit(struct kunit *test)
{
	struct t_ctx *t = test->priv;

	gunyah_sim_rm_fail_nth(0, 0, 0);
	gunyah_sim_rm_trace_stop();
	gunyah_vm_manager_exit(&t->mgr);
	gunyah_rm_teardown(&t->rm);
	gunyah_sim_rm_destroy_client(&t->client);
	gunyah_sim_rm_set_profile(t->profile);
}

/* Wait for the teardown of the VMs dropped so far. */
static void t_flush(struct t_ctx *t)
{
	flush_workqueue(t->mgr.wq);
}

static void t_usage_is_zero(struct kunit *test)
{
	struct gunyah_sim_rm_usage usage;

	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.vms, 0);
	KUNIT_EXPECT_EQ(test, usage.parcels, 0);
	KUNIT_EXPECT_EQ(test, usage.lent_pages, 0);
	KUNIT_EXPECT_EQ(test, usage.shared_pages, 0);
	KUNIT_EXPECT_EQ(test, usage.donated_pages, 0);
}

static struct file *t_gmem(struct kunit *test, u64 size, u64 flags)
{
	struct gunyah_create_mem_args args = { .size = size, .flags = flags };
	struct file *file = gunyah_gmem_create_file(&args);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	return file;
}

/* Write the VM's config devicetree into its guest memory at @offset. */
static void t_write_dtb(struct kunit *test, struct file *file, u64 offset)
{
	struct gunyah_sim_vm_dt dt = {
		.cpus = T_VCPUS,
		.proxy = true,
		.base = T_MEM_BASE,
		.vdevs = true,
	};
	struct folio *folio;
	void *va;

	KUNIT_ASSERT_EQ(test, vfs_fallocate(file, 0, offset, T_DTB_SIZE), 0);
	folio = filemap_get_folio(file->f_mapping, offset >> PAGE_SHIFT);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, folio);
	va = kmap_local_folio(folio, offset_in_folio(folio, offset));
	KUNIT_EXPECT_GT(test, gunyah_sim_vm_dtb(&dt, va, T_DTB_SIZE), 0);
	kunmap_local(va);
	folio_put(folio);
}

static int t_map(struct gunyah_vm *ghvm, struct file *file, u64 gpa,
		 u64 offset, u64 size, u32 flags)
{
	struct gunyah_map_mem_args args = {
		.guest_addr = gpa,
		.flags = flags,
		.offset = offset,
		.size = size,
	};

	return gunyah_vm_map_file(ghvm, &args, file);
}

/* A VM with 2 MiB of lent guest memory and its devicetree, not started. */
static struct gunyah_vm *t_vm(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct gunyah_vm *ghvm;
	struct file *file;

	ghvm = gunyah_vm_alloc(&t->mgr);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ghvm);
	file = t_gmem(test, T_MEM_SIZE, 0);
	t_write_dtb(test, file, T_DTB_OFFSET);
	KUNIT_EXPECT_EQ(test, t_map(ghvm, file, T_MEM_BASE, 0, T_MEM_SIZE,
				    GUNYAH_MEM_ALLOW_RWX), 0);
	fput(file);	/* the binding holds it */
	ghvm->dtb.guest_phys_addr = T_MEM_BASE + T_DTB_OFFSET;
	ghvm->dtb.size = T_DTB_SIZE;
	return ghvm;
}

/* Position of the first @id in @ids from @from on, or -1. */
static int t_find(const u32 *ids, size_t n, size_t from, u32 id)
{
	size_t i;

	for (i = from; i < n; i++)
		if (ids[i] == id)
			return i;
	return -1;
}

/**
 * struct t_ticket - A resource ticket that records what it got
 * @ticket: the ticket
 * @populated: resources it was given
 * @capid: capability of the last one
 * @irq: interrupt of the last one
 */
struct t_ticket {
	struct gunyah_vm_resource_ticket ticket;
	int populated;
	u64 capid;
	unsigned int irq;
};

static bool t_populate(struct gunyah_vm_resource_ticket *ticket,
		       struct gunyah_resource *ghrsc)
{
	struct t_ticket *t = container_of(ticket, struct t_ticket, ticket);

	t->populated++;
	t->capid = ghrsc->capid;
	t->irq = ghrsc->irq;
	return true;
}

static void t_unpopulate(struct gunyah_vm_resource_ticket *ticket,
			 struct gunyah_resource *ghrsc)
{
	struct t_ticket *t = container_of(ticket, struct t_ticket, ticket);

	t->populated--;
}

static void t_ticket_init(struct t_ticket *t, enum gunyah_rm_resource_type type,
			  u32 label)
{
	t->ticket.resource_type = type;
	t->ticket.label = label;
	t->ticket.owner = THIS_MODULE;
	t->ticket.populate = t_populate;
	t->ticket.unpopulate = t_unpopulate;
}

static const enum gunyah_sim_rm_profile t_profiles[] = {
	GUNYAH_SIM_RM_PUBLIC,
	GUNYAH_SIM_RM_FULL,
};

static void t_profile_desc(const enum gunyah_sim_rm_profile *p, char *desc)
{
	strscpy(desc, *p == GUNYAH_SIM_RM_FULL ? "full RM" : "public RM",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_profile, t_profiles, t_profile_desc);

/*
 * Start and tear down: the RM's VM runs with its memory lent, the tickets
 * get their resources, and teardown goes stop, reset, reclaim, deallocate.
 */
static void t_lifecycle_test(struct kunit *test)
{
	const enum gunyah_sim_rm_profile *profile = test->param_value;
	struct gunyah_vm_boot_context pc = {
		.reg = GUNYAH_VM_BOOT_CONTEXT_REG(REG_SET_PC, 0),
		.value = T_MEM_BASE + SZ_64K,
	};
	struct t_ticket vcpu1 = {}, missing = {}, bell = {};
	struct gunyah_sim_rm_usage usage;
	struct t_ctx *t = test->priv;
	int stop, reset, reclaim, dealloc;
	struct gunyah_vm *ghvm;
	u32 ids[64];
	size_t n;
	u16 vmid;
	u64 reg;

	gunyah_sim_rm_set_profile(*profile);
	ghvm = t_vm(test);
	KUNIT_EXPECT_EQ(test, gunyah_vm_set_boot_context(ghvm, &pc), 0);

	t_ticket_init(&vcpu1, GUNYAH_RESOURCE_TYPE_VCPU, 1);
	t_ticket_init(&missing, GUNYAH_RESOURCE_TYPE_VCPU, 9);
	t_ticket_init(&bell, GUNYAH_RESOURCE_TYPE_BELL_TX, 5);
	KUNIT_ASSERT_EQ(test, gunyah_vm_add_resource_ticket(ghvm, &vcpu1.ticket), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_add_resource_ticket(ghvm, &vcpu1.ticket),
			-EEXIST);
	KUNIT_ASSERT_EQ(test, gunyah_vm_add_resource_ticket(ghvm, &missing.ticket), 0);

	KUNIT_ASSERT_EQ(test, gunyah_vm_start(ghvm), 0);
	vmid = gunyah_vm_vmid(ghvm);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_vm_state(vmid), GUNYAH_RM_VM_STATUS_RUNNING);
	KUNIT_EXPECT_EQ(test, gunyah_vm_start(ghvm), -EBUSY);
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.parcels, 1);
	KUNIT_EXPECT_EQ(test, usage.lent_pages, T_MEM_SIZE / SZ_4K);

	/* The boot PC: a register on the full RM, the image offset otherwise. */
	if (*profile == GUNYAH_SIM_RM_FULL) {
		KUNIT_EXPECT_EQ(test, gunyah_sim_rm_vm_boot_reg(vmid, 32, &reg), 0);
		KUNIT_EXPECT_EQ(test, reg, pc.value);
	}

	/* Resources go to the tickets that want them, also to late ones. */
	KUNIT_EXPECT_EQ(test, vcpu1.populated, 1);
	KUNIT_EXPECT_NE(test, vcpu1.capid, 0);
	KUNIT_EXPECT_GT(test, vcpu1.irq, 0);
	KUNIT_EXPECT_EQ(test, missing.populated, 0);
	KUNIT_ASSERT_EQ(test, gunyah_vm_add_resource_ticket(ghvm, &bell.ticket), 0);
	KUNIT_EXPECT_EQ(test, bell.populated, 1);
	gunyah_vm_remove_resource_ticket(ghvm, &bell.ticket);
	gunyah_vm_remove_resource_ticket(ghvm, &missing.ticket);
	gunyah_vm_remove_resource_ticket(ghvm, &vcpu1.ticket);
	KUNIT_EXPECT_EQ(test, vcpu1.populated, 0);

	gunyah_sim_rm_trace_start();
	gunyah_vm_put(ghvm);
	t_flush(t);
	n = min_t(size_t, gunyah_sim_rm_trace_get(ids, ARRAY_SIZE(ids)),
		  ARRAY_SIZE(ids));

	stop = t_find(ids, n, 0, T_VM_STOP);
	reset = t_find(ids, n, 0, T_VM_RESET);
	reclaim = t_find(ids, n, 0, T_MEM_RECLAIM);
	dealloc = t_find(ids, n, 0, T_VM_DEALLOCATE);
	KUNIT_EXPECT_GE(test, stop, 0);
	KUNIT_EXPECT_GT(test, reset, stop);
	KUNIT_EXPECT_GT(test, reclaim, reset);
	KUNIT_EXPECT_GT(test, dealloc, reclaim);
	t_usage_is_zero(test);
}

/*
 * Where the RM has no boot-context message, what it cannot express is
 * refused, and a PC outside the devicetree's memory fails the start.
 */
static void t_boot_context_public_test(struct kunit *test)
{
	struct gunyah_vm_boot_context ctx = {};
	struct t_ctx *t = test->priv;
	struct gunyah_vm *ghvm;

	gunyah_sim_rm_set_profile(GUNYAH_SIM_RM_PUBLIC);
	ghvm = t_vm(test);

	ctx.reg = GUNYAH_VM_BOOT_CONTEXT_REG(REG_SET_X, 1);
	ctx.value = 1;
	KUNIT_EXPECT_EQ(test, gunyah_vm_set_boot_context(ghvm, &ctx), -EOPNOTSUPP);
	ctx.value = 0;
	KUNIT_EXPECT_EQ(test, gunyah_vm_set_boot_context(ghvm, &ctx), 0);
	ctx.reg = GUNYAH_VM_BOOT_CONTEXT_REG(REG_SET_SP, 1);
	ctx.value = SZ_1M;
	KUNIT_EXPECT_EQ(test, gunyah_vm_set_boot_context(ghvm, &ctx), -EOPNOTSUPP);
	ctx.reg = GUNYAH_VM_BOOT_CONTEXT_REG(REG_SET_PC, 0);
	ctx.value = T_MEM_BASE + T_MEM_SIZE;
	KUNIT_EXPECT_EQ(test, gunyah_vm_set_boot_context(ghvm, &ctx), 0);

	/* Refused before the RM is asked anything: the VM may still start. */
	gunyah_sim_rm_trace_start();
	KUNIT_EXPECT_EQ(test, gunyah_vm_start(ghvm), -ENXIO);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_trace_get(NULL, 0), 0);
	ctx.value = T_MEM_BASE;
	KUNIT_EXPECT_EQ(test, gunyah_vm_set_boot_context(ghvm, &ctx), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_start(ghvm), 0);

	gunyah_vm_put(ghvm);
	t_flush(t);
	t_usage_is_zero(test);
}

/**
 * struct t_fail - An RM failure injected during start
 * @name: the case
 * @msg_id: the message that fails
 * @errno: what gunyah_vm_start() returns
 */
struct t_fail {
	const char *name;
	u32 msg_id;
	int errno;
};

static const struct t_fail t_start_fails[] = {
	{ "VM_ALLOCATE", T_VM_ALLOCATE, -ENOSPC },
	{ "MEM_LEND", T_MEM_LEND, -ENOSPC },
	{ "VM_CONFIG_IMAGE", T_VM_CONFIG, -ENOSPC },
	{ "VM_INIT", T_VM_INIT, -ENOSPC },
	{ "VM_GET_HYP_RESOURCES", T_VM_RESOURCES, -ENOSPC },
	{ "VM_START", T_VM_START, -ENOSPC },
};

static void t_fail_desc(const struct t_fail *f, char *desc)
{
	strscpy(desc, f->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_start_fail, t_start_fails, t_fail_desc);

/* A start that fails anywhere leaves nothing in the RM after teardown. */
static void t_start_failure_test(struct kunit *test)
{
	const struct t_fail *f = test->param_value;
	struct t_ctx *t = test->priv;
	struct gunyah_vm *ghvm;

	ghvm = t_vm(test);
	gunyah_sim_rm_fail_nth(f->msg_id, 1, T_RM_NORESOURCE);
	KUNIT_EXPECT_EQ(test, gunyah_vm_start(ghvm), f->errno);
	KUNIT_EXPECT_EQ(test, gunyah_vm_start(ghvm), -EBADFD);

	gunyah_vm_put(ghvm);
	t_flush(t);
	t_usage_is_zero(test);
}

static const struct t_fail t_teardown_fails[] = {
	{ "VM_STOP", T_VM_STOP, 0 },
	{ "VM_RESET", T_VM_RESET, 0 },
	{ "MEM_RECLAIM", T_MEM_RECLAIM, 0 },
	{ "VM_DEALLOCATE", T_VM_DEALLOCATE, 0 },
};

KUNIT_ARRAY_PARAM(t_teardown_fail, t_teardown_fails, t_fail_desc);

static bool t_state_is(u16 vmid, int state)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (gunyah_sim_rm_vm_state(vmid) == state)
			return true;
		msleep(20);
	}
	return false;
}

/*
 * An RM that refuses a step of teardown: the later steps are still tried,
 * memory not reclaimed stays with the guest (never given back to the
 * host), and the VMID stays allocated. Finishing the teardown by hand
 * then empties the RM, which shows nothing else was left behind.
 */
static void t_teardown_failure_test(struct kunit *test)
{
	const struct t_fail *f = test->param_value;
	struct gunyah_sim_rm_usage usage;
	struct t_ctx *t = test->priv;
	struct gunyah_vm_binding *b;
	struct gunyah_vm *ghvm;
	u32 handle;
	u16 vmid;
	int state;

	ghvm = t_vm(test);
	KUNIT_ASSERT_EQ(test, gunyah_vm_start(ghvm), 0);
	vmid = gunyah_vm_vmid(ghvm);
	b = mtree_load(&ghvm->mem_layout, T_MEM_BASE >> PAGE_SHIFT);
	KUNIT_ASSERT_NOT_NULL(test, b);
	handle = b->parcel_handle;

	gunyah_sim_rm_fail_nth(f->msg_id, 1, T_RM_DENIED);
	gunyah_vm_put(ghvm);
	t_flush(t);

	gunyah_sim_rm_get_usage(&usage);
	if (f->msg_id == T_VM_DEALLOCATE) {
		/* Memory came back; only the VMID is left. */
		KUNIT_EXPECT_EQ(test, usage.parcels, 0);
		KUNIT_EXPECT_EQ(test, usage.vms, 1);
	} else {
		/* The parcel is still the guest's; so is the VM. */
		KUNIT_EXPECT_EQ(test, usage.parcels, 1);
		KUNIT_EXPECT_EQ(test, usage.lent_pages, T_MEM_SIZE / SZ_4K);
		KUNIT_EXPECT_EQ(test, usage.vms, f->msg_id == T_MEM_RECLAIM ? 0 : 1);
	}

	/* Finish by hand. */
	state = gunyah_sim_rm_vm_state(vmid);
	if (state == GUNYAH_RM_VM_STATUS_RUNNING) {
		KUNIT_EXPECT_EQ(test, gunyah_rm_vm_stop(&t->rm, vmid,
							GUNYAH_RM_VM_STOP_FLAG_FORCE_STOP,
							GUNYAH_RM_VM_STOP_REASON_FORCE_STOP), 0);
		KUNIT_EXPECT_TRUE(test, t_state_is(vmid, GUNYAH_RM_VM_STATUS_EXITED));
		state = GUNYAH_RM_VM_STATUS_EXITED;
	}
	if (state == GUNYAH_RM_VM_STATUS_EXITED) {
		KUNIT_EXPECT_EQ(test, gunyah_rm_vm_reset(&t->rm, vmid), 0);
		KUNIT_EXPECT_TRUE(test, t_state_is(vmid, GUNYAH_RM_VM_STATUS_RESET));
	}
	if (f->msg_id != T_VM_DEALLOCATE) {
		KUNIT_EXPECT_EQ(test, gunyah_rm_mem_reclaim(&t->rm, handle, 0), 0);
		/*
		 * The driver kept the binding, and with it the memory, for
		 * good; now that it is back, let the test's memory go.
		 */
		KUNIT_EXPECT_TRUE(test, b->lost);
		gunyah_gmem_set_lent(b, false);
		gunyah_gmem_unbind(b);
		kfree(b);
	}
	if (state >= 0)
		KUNIT_EXPECT_EQ(test, gunyah_rm_dealloc_vmid(&t->rm, vmid), 0);
	t_usage_is_zero(test);
}

/*
 * Memory bound after start is given at once. The guest holds what it was
 * given until it is reset, so unbinding it fails and changes nothing.
 */
static void t_map_after_start_test(struct kunit *test)
{
	struct gunyah_sim_rm_usage usage;
	struct t_ctx *t = test->priv;
	struct gunyah_vm *ghvm;
	struct file *file;

	ghvm = t_vm(test);
	KUNIT_ASSERT_EQ(test, gunyah_vm_start(ghvm), 0);

	file = t_gmem(test, SZ_1M, 0);
	KUNIT_EXPECT_EQ(test, t_map(ghvm, file, T_MEM_BASE + SZ_16M, 0, SZ_1M,
				    GUNYAH_MEM_ALLOW_READ |
				    GUNYAH_MEM_FORCE_SHARE), 0);
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.parcels, 2);
	KUNIT_EXPECT_EQ(test, usage.shared_pages, SZ_1M / SZ_4K);

	KUNIT_EXPECT_EQ(test, t_map(ghvm, file, T_MEM_BASE + SZ_16M + SZ_64K,
				    SZ_64K, SZ_64K, GUNYAH_MEM_UNMAP), -EBUSY);
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.parcels, 2);
	KUNIT_EXPECT_EQ(test, usage.shared_pages, SZ_1M / SZ_4K);

	/* Not bound from this offset: nothing changes. */
	KUNIT_EXPECT_EQ(test, t_map(ghvm, file, T_MEM_BASE + SZ_16M, SZ_64K,
				    SZ_4K, GUNYAH_MEM_UNMAP), -ENOENT);
	fput(file);

	gunyah_vm_put(ghvm);
	t_flush(t);
	t_usage_is_zero(test);
}

/*
 * On the full RM, memory other than the devicetree's is given when the
 * guest touches it: a folio at a time, mapped where the guest touched,
 * hidden from the host while lent, and taken back at teardown.
 */
static void t_demand_paging_test(struct kunit *test)
{
	const u64 gpa = T_MEM_BASE + SZ_16M, size = 4 * SZ_2M;
	struct gunyah_sim_rm_usage usage;
	struct t_ctx *t = test->priv;
	struct gunyah_vm *ghvm;
	struct folio *folio;
	struct file *file;
	u64 pa;
	u16 vmid;

	gunyah_sim_rm_set_profile(GUNYAH_SIM_RM_FULL);
	ghvm = t_vm(test);
	file = t_gmem(test, size, GHMF_ALLOW_HUGEPAGE);
	KUNIT_ASSERT_EQ(test, t_map(ghvm, file, gpa, 0, size,
				    GUNYAH_MEM_ALLOW_RWX), 0);
	KUNIT_ASSERT_EQ(test, gunyah_vm_start(ghvm), 0);
	vmid = gunyah_vm_vmid(ghvm);

	/* Only the devicetree's memory went as a parcel. */
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.parcels, 1);
	KUNIT_EXPECT_EQ(test, usage.lent_pages, T_MEM_SIZE / SZ_4K);
	KUNIT_EXPECT_EQ(test, usage.donated_pages, 0);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_ipa_lookup(vmid, gpa + SZ_2M, &pa),
			-ENOENT);

	/* A touch in the second 2 MiB gives that whole folio. */
	KUNIT_EXPECT_EQ(test, gunyah_vm_provide_page(ghvm, gpa + SZ_2M + SZ_8K), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_provide_page(ghvm, gpa + SZ_2M), 0);
	gunyah_sim_rm_get_usage(&usage);
	folio = filemap_get_folio(file->f_mapping, SZ_2M >> PAGE_SHIFT);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, folio);
	KUNIT_EXPECT_EQ(test, usage.donated_pages, folio_size(folio) / SZ_4K);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_ipa_lookup(vmid, gpa + SZ_2M, &pa), 0);
	KUNIT_EXPECT_EQ(test, pa, PFN_PHYS(folio_pfn(folio)) +
			(SZ_2M - folio_pos(folio)));
	folio_put(folio);

	KUNIT_EXPECT_EQ(test, gunyah_vm_provide_page(ghvm, gpa + size), -ENOENT);
	KUNIT_EXPECT_EQ(test, gunyah_vm_provide_page(ghvm, T_MEM_BASE), -EINVAL);
	/* The guest keeps what it was given until it is reset. */
	KUNIT_EXPECT_EQ(test, t_map(ghvm, file, gpa + SZ_2M, SZ_2M, SZ_2M,
				    GUNYAH_MEM_UNMAP), -EBUSY);
	fput(file);

	gunyah_vm_put(ghvm);
	t_flush(t);
	t_usage_is_zero(test);
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.donated_pages, 0);
}

/* Where the RM has no demand paging, everything bound is lent at start. */
static void t_no_demand_paging_test(struct kunit *test)
{
	struct gunyah_sim_rm_usage usage;
	struct t_ctx *t = test->priv;
	struct gunyah_vm *ghvm;
	struct file *file;

	gunyah_sim_rm_set_profile(GUNYAH_SIM_RM_PUBLIC);
	ghvm = t_vm(test);
	file = t_gmem(test, SZ_2M, 0);
	KUNIT_ASSERT_EQ(test, t_map(ghvm, file, T_MEM_BASE + SZ_16M, 0, SZ_2M,
				    GUNYAH_MEM_ALLOW_RWX), 0);
	fput(file);
	KUNIT_ASSERT_EQ(test, gunyah_vm_start(ghvm), 0);
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.parcels, 2);
	KUNIT_EXPECT_EQ(test, usage.lent_pages, 2 * SZ_2M / SZ_4K);
	KUNIT_EXPECT_EQ(test, gunyah_vm_provide_page(ghvm, T_MEM_BASE + SZ_16M),
			-EINVAL);
	gunyah_vm_put(ghvm);
	t_flush(t);
	t_usage_is_zero(test);
}

/* Fragment free memory into single pages: hold every other page. */
static struct page **t_fragment(unsigned long pages)
{
	struct page **held;
	unsigned long i;

	held = kvcalloc(pages, sizeof(*held), GFP_KERNEL);
	if (!held)
		return NULL;
	for (i = 0; i < pages; i++)
		held[i] = alloc_page(GFP_HIGHUSER);
	for (i = 0; i < pages; i += 2) {
		if (held[i])
			__free_page(held[i]);
		held[i] = NULL;
	}
	return held;
}

static void t_unfragment(struct page **held, unsigned long pages)
{
	unsigned long i;

	for (i = 0; i < pages; i++)
		if (held[i])
			__free_page(held[i]);
	kvfree(held);
}

/* Fragments of one request of @entries ranges (spec: 232 bytes each). */
static u64 t_min_packets(unsigned long entries, bool first)
{
	/* First: 8-byte header, ACL of one, SGL header, empty attributes. */
	size_t len = first ? 8 + 4 + 4 + 4 + 4 : 8 + 4;

	return DIV_ROUND_UP(len + entries * 16, 232);
}

/* Lend 1 GiB of guest memory to a VM and count what it cost. */
static void t_bench_lend(struct kunit *test, const char *what, u64 flags)
{
	struct gunyah_sim_rm_stats before, after;
	struct gunyah_extents ext = {};
	struct t_ctx *t = test->priv;
	struct gunyah_vm_binding *b;
	struct gunyah_vm *ghvm;
	u64 min_req, min_pkt;
	unsigned long left, n;
	struct file *file;
	ktime_t start;
	s64 us;
	int ret;

	ghvm = gunyah_vm_alloc(&t->mgr);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ghvm);
	file = t_gmem(test, SZ_1G, flags);
	KUNIT_ASSERT_EQ(test, t_map(ghvm, file, T_MEM_BASE, 0, SZ_1G,
				    GUNYAH_MEM_ALLOW_RWX), 0);
	fput(file);
	b = mtree_load(&ghvm->mem_layout, T_MEM_BASE >> PAGE_SHIFT);
	KUNIT_ASSERT_NOT_NULL(test, b);

	/* Allocate first: the figure is the cost of lending. */
	KUNIT_ASSERT_EQ(test, gunyah_gmem_extents(b, &ext), 0);
	ret = gunyah_rm_alloc_vmid(&t->rm, 0);
	KUNIT_ASSERT_GT(test, ret, 0);
	ghvm->vmid = ret;

	gunyah_sim_rm_get_stats(&before);
	start = ktime_get();
	down_write(&ghvm->mem_lock);
	ret = gunyah_vm_give_binding(ghvm, b);
	up_write(&ghvm->mem_lock);
	us = ktime_us_delta(ktime_get(), start);
	gunyah_sim_rm_get_stats(&after);
	KUNIT_ASSERT_EQ(test, ret, 0);

	/* The first request carries up to 512 ranges, each append as many. */
	min_req = DIV_ROUND_UP(ext.n, GUNYAH_RM_MAX_MEM_ENTRIES);
	min_pkt = 0;
	for (left = ext.n; left; left -= n) {
		n = min_t(unsigned long, left, GUNYAH_RM_MAX_MEM_ENTRIES);
		min_pkt += t_min_packets(n, left == ext.n);
	}
	kunit_info(test,
		   "figure: lend 1 GiB of %s: %zu ranges, %llu RM requests (minimum %llu), %llu msgq sends (minimum %llu), %lld us\n",
		   what, ext.n, after.requests - before.requests, min_req,
		   after.packets_rx - before.packets_rx, min_pkt, us);
	KUNIT_EXPECT_EQ(test, after.requests - before.requests, min_req);
	kvfree(ext.entries);

	/* Never started: teardown reclaims and deallocates. */
	ghvm->vm_status = GUNYAH_RM_VM_STATUS_LOAD;
	KUNIT_ASSERT_EQ(test, gunyah_rm_notifier_register(&t->rm, &ghvm->nb), 0);
	gunyah_vm_put(ghvm);
	t_flush(t);
	t_usage_is_zero(test);
}

static void t_bench_test(struct kunit *test)
{
	const unsigned long frag_pages = SZ_1G / PAGE_SIZE;
	struct t_ctx *t = test->priv;
	unsigned long slab_before, slab_after;
	struct gunyah_vm *vms[32];
	struct page **held;
	unsigned int i, cycles = 0;
	ktime_t start;
	s64 us;

	if (!bench)
		kunit_skip(test, "figures only with bench=1");

	held = t_fragment(frag_pages * 2);
	KUNIT_ASSERT_NOT_NULL(test, held);
	t_bench_lend(test, "scattered 4 KiB pages", 0);
	t_unfragment(held, frag_pages * 2);
	t_bench_lend(test, "2 MiB folios", GHMF_ALLOW_HUGEPAGE);

	start = ktime_get();
	for (i = 0; i < 100; i++) {
		struct gunyah_vm *ghvm = t_vm(test);

		KUNIT_ASSERT_EQ(test, gunyah_vm_start(ghvm), 0);
		gunyah_vm_put(ghvm);
		t_flush(t);
		cycles++;
	}
	us = ktime_us_delta(ktime_get(), start);
	kunit_info(test, "figure: %u VM create-start-destroy cycles in %lld us: %lld cycles/s\n",
		   cycles, us, cycles * 1000000LL / max(us, 1LL));

	slab_before = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
	for (i = 0; i < ARRAY_SIZE(vms); i++) {
		vms[i] = t_vm(test);
		KUNIT_ASSERT_EQ(test, gunyah_vm_start(vms[i]), 0);
	}
	slab_after = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
	kunit_info(test, "figure: kernel memory per started VM (slab, guest memory not counted): %lu bytes\n",
		   (slab_after - slab_before) * PAGE_SIZE / ARRAY_SIZE(vms));
	for (i = 0; i < ARRAY_SIZE(vms); i++)
		gunyah_vm_put(vms[i]);
	t_flush(t);
	t_usage_is_zero(test);
}

static struct kunit_case t_cases[] = {
	KUNIT_CASE_PARAM(t_lifecycle_test, t_profile_gen_params),
	KUNIT_CASE(t_boot_context_public_test),
	KUNIT_CASE_PARAM(t_start_failure_test, t_start_fail_gen_params),
	KUNIT_CASE_PARAM(t_teardown_failure_test, t_teardown_fail_gen_params),
	KUNIT_CASE(t_map_after_start_test),
	KUNIT_CASE(t_demand_paging_test),
	KUNIT_CASE(t_no_demand_paging_test),
	KUNIT_CASE_SLOW(t_bench_test),
	{}
};

static struct kunit_suite t_suite = {
	.name = "gunyah_vm_mgr_sim",
	.init = t_init,
	.exit = t_exit,
	.test_cases = t_cases,
};

kunit_test_suite(t_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the Gunyah VM manager on the simulated RM");
