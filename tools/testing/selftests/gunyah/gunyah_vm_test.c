// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of the VM fd: the devicetree configuration, the boot context on
 * the public and the full Resource Manager, starting a VM, adding and
 * removing functions, capabilities and the ioctls it does not support.
 */
#include <string.h>
#include <sys/mman.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"

#define DTB_ADDR	(GUEST_BASE + GUEST_DTB_OFFSET)

FIXTURE(vm) {
	struct gh_vm v;
};

FIXTURE_SETUP(vm)
{
	int ret;

	gh_vm_init(&self->v);
	ret = gh_vm_setup(&self->v, GH_STEP_CREATE_VM);
	ASSERT_EQ(0, ret) TH_LOG("VM creation: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(vm)
{
	gh_vm_close(&self->v);
}

/* Give the fixture's VM its memory and devicetree, ready to start */
static int vm_prepare(struct gh_vm *v)
{
	return gh_vm_setup(v, GH_STEP_SET_DTB_CONFIG);
}

static void *unmapped_address(void)
{
	void *p = mmap(NULL, page_size(), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, page_size());
	return p;
}

TEST_F(vm, set_dtb_config)
{
	EXPECT_EQ(0, gh_set_dtb_config(self->v.vm, DTB_ADDR, page_size()));
	/* Until the VM starts it may be changed. */
	EXPECT_EQ(0, gh_set_dtb_config(self->v.vm, GUEST_BASE, 2 * page_size()));
}

TEST_F(vm, set_dtb_config_size_zero)
{
	EXPECT_EQ(-EINVAL, gh_set_dtb_config(self->v.vm, DTB_ADDR, 0));
}

TEST_F(vm, set_dtb_config_overflow)
{
	EXPECT_EQ(-EINVAL, gh_set_dtb_config(self->v.vm, ~0ULL - page_size() + 1,
					     2 * page_size()));
	EXPECT_EQ(-EINVAL, gh_set_dtb_config(self->v.vm, DTB_ADDR, ~0ULL));
}

TEST_F(vm, set_dtb_config_after_start)
{
	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_START));
	EXPECT_EQ(-EBUSY, gh_set_dtb_config(self->v.vm, DTB_ADDR, page_size()));
}

TEST_F(vm, boot_context_registers)
{
	int i;

	ASSERT_EQ(0, gh_set_dtb_config(self->v.vm, DTB_ADDR, page_size()));
	/* Values every RM can express: X0 the devicetree, the rest reset. */
	EXPECT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_X, 0, DTB_ADDR));
	for (i = 1; i < 32; i++) {
		EXPECT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_X, i, 0))
			TH_LOG("X%d", i);
	}
	EXPECT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_PC, 0, GUEST_BASE));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_SP, i, 0))
			TH_LOG("SP%d", i);
	}
}

TEST_F(vm, boot_context_index_range)
{
	EXPECT_EQ(-EINVAL, gh_set_boot_context(self->v.vm, REG_SET_X, 32, 0));
	EXPECT_EQ(-EINVAL, gh_set_boot_context(self->v.vm, REG_SET_X, 0xff, 0));
	EXPECT_EQ(-EINVAL, gh_set_boot_context(self->v.vm, REG_SET_PC, 1, 0));
	EXPECT_EQ(-EINVAL, gh_set_boot_context(self->v.vm, REG_SET_PC, 0xff, 0));
	EXPECT_EQ(-EINVAL, gh_set_boot_context(self->v.vm, REG_SET_SP, 3, 0));
	EXPECT_EQ(-EINVAL, gh_set_boot_context(self->v.vm, REG_SET_SP, 0xff, 0));
}

TEST_F(vm, boot_context_unknown_set)
{
	EXPECT_EQ(-EINVAL, gh_set_boot_context(self->v.vm, 3, 0, 0));
	EXPECT_EQ(-EINVAL, gh_set_boot_context(self->v.vm, 0xff, 0, 0));
}

TEST_F(vm, boot_context_bits_above_set)
{
	struct gunyah_vm_boot_context ctx = {
		.reg = (1U << 16) | GUNYAH_VM_BOOT_CONTEXT_REG(REG_SET_X, 1),
	};

	/* reg is (set << 8) | index: higher bits name no register. */
	EXPECT_EQ(-EINVAL, gh_ioctl(self->v.vm, GUNYAH_VM_SET_BOOT_CONTEXT, &ctx));
}

TEST_F(vm, boot_context_reserved)
{
	struct gunyah_vm_boot_context ctx = {
		.reg = GUNYAH_VM_BOOT_CONTEXT_REG(REG_SET_X, 1),
		.reserved = 1,
	};

	EXPECT_EQ(-EINVAL, gh_ioctl(self->v.vm, GUNYAH_VM_SET_BOOT_CONTEXT, &ctx));
	ctx.reserved = 0x80000000;
	EXPECT_EQ(-EINVAL, gh_ioctl(self->v.vm, GUNYAH_VM_SET_BOOT_CONTEXT, &ctx));
}

TEST_F(vm, boot_context_pc_any)
{
	/* The PC is checked at start, not when it is set. */
	EXPECT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_PC, 0, GUEST_BASE));
	EXPECT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_PC, 0, 0x1000));
}

TEST_F(vm, boot_context_x0_dtb)
{
	ASSERT_EQ(0, gh_set_dtb_config(self->v.vm, DTB_ADDR, page_size()));
	EXPECT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_X, 0, DTB_ADDR));
}

/*
 * What only an RM with the boot-context message can set. Without it, the
 * X0 the devicetree's address cannot be checked until start, so the
 * refusal may come from either call.
 */
TEST_F(vm, boot_context_x0_not_dtb)
{
	int ret;

	ASSERT_EQ(0, vm_prepare(&self->v));
	ret = gh_set_boot_context(self->v.vm, REG_SET_X, 0, DTB_ADDR + page_size());
	if (gh_profile_full()) {
		EXPECT_EQ(0, ret);
		EXPECT_EQ(0, gh_start(self->v.vm));
	} else if (ret) {
		EXPECT_EQ(-EOPNOTSUPP, ret);
	} else {
		EXPECT_EQ(-EOPNOTSUPP, gh_start(self->v.vm))
			TH_LOG("X0 was accepted, so the start must fail");
	}
}

TEST_F(vm, boot_context_nonzero)
{
	int want = gh_profile_full() ? 0 : -EOPNOTSUPP;

	EXPECT_EQ(want, gh_set_boot_context(self->v.vm, REG_SET_X, 1, 0x1234));
	EXPECT_EQ(want, gh_set_boot_context(self->v.vm, REG_SET_X, 31, 1));
	EXPECT_EQ(want, gh_set_boot_context(self->v.vm, REG_SET_SP, 0, 0x80001000));
	EXPECT_EQ(want, gh_set_boot_context(self->v.vm, REG_SET_SP, 2, 1));
	/* Zero, the value at reset, is accepted by every RM. */
	EXPECT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_X, 1, 0));
}

TEST_F(vm, boot_context_after_start)
{
	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_START));
	EXPECT_EQ(-EBUSY, gh_set_boot_context(self->v.vm, REG_SET_X, 1, 0));
	EXPECT_EQ(-EBUSY, gh_set_boot_context(self->v.vm, REG_SET_PC, 0, GUEST_BASE));
}

TEST_F(vm, start)
{
	ASSERT_EQ(0, vm_prepare(&self->v));
	EXPECT_EQ(0, gh_start(self->v.vm));
}

TEST_F(vm, start_with_boot_context)
{
	ASSERT_EQ(0, vm_prepare(&self->v));
	ASSERT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_PC, 0, GUEST_BASE));
	ASSERT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_X, 0, DTB_ADDR));
	ASSERT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_X, 1, 0));
	EXPECT_EQ(0, gh_start(self->v.vm));
}

TEST_F(vm, start_twice)
{
	ASSERT_EQ(0, vm_prepare(&self->v));
	ASSERT_EQ(0, gh_start(self->v.vm));
	EXPECT_EQ(-EBUSY, gh_start(self->v.vm));
}

/* The RM refuses a devicetree it cannot parse: the VM is then unusable */
TEST_F(vm, start_bad_dtb)
{
	struct rm_state st;
	uint32_t *p;
	int ret;

	ASSERT_EQ(0, vm_prepare(&self->v));
	p = mmap(NULL, page_size(), PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->v.mem, GUEST_DTB_OFFSET);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0;	/* the FDT magic */
	munmap(p, page_size());

	ret = gh_start(self->v.vm);
	EXPECT_GT(0, ret);
	EXPECT_NE(-EBUSY, ret);
	EXPECT_EQ(-EBADFD, gh_start(self->v.vm));

	/* Nothing of the failed start is left once the VM is gone. */
	if (!rm_state_available())
		return;
	gh_vm_close(&self->v);
	EXPECT_EQ(0, rm_state_wait_idle(&st))
		TH_LOG("vms %lu parcels %lu lent_pages %lu shared_pages %lu",
		       st.vms, st.parcels, st.lent_pages, st.shared_pages);
}

TEST_F(vm, start_without_dtb)
{
	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_MAP_MEM));
	EXPECT_EQ(-EINVAL, gh_start(self->v.vm));
}

TEST_F(vm, start_without_memory)
{
	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_CREATE_GUEST_MEM));
	ASSERT_EQ(0, gh_set_dtb_config(self->v.vm, DTB_ADDR, self->v.dtb_size));
	EXPECT_EQ(-ENXIO, gh_start(self->v.vm));
}

TEST_F(vm, start_dtb_outside_memory)
{
	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_MAP_MEM));
	ASSERT_EQ(0, gh_set_dtb_config(self->v.vm, 0x10000000, page_size()));
	EXPECT_EQ(-ENXIO, gh_start(self->v.vm));
}

TEST_F(vm, start_dtb_across_memory_end)
{
	uint64_t end = GUEST_BASE + GUEST_MEM_SIZE;

	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_MAP_MEM));
	ASSERT_EQ(0, gh_set_dtb_config(self->v.vm, end - page_size(),
				       2 * page_size()));
	EXPECT_EQ(-ENXIO, gh_start(self->v.vm));
}

TEST_F(vm, start_dtb_across_two_ranges)
{
	uint64_t half = GUEST_MEM_SIZE / 2;

	/* Two bound ranges side by side are still two ranges. */
	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_CREATE_GUEST_MEM));
	ASSERT_EQ(0, gh_map_mem(self->v.vm, self->v.mem, GUEST_BASE, 0, half,
				GUEST_MEM_RWX));
	ASSERT_EQ(0, gh_map_mem(self->v.vm, self->v.mem, GUEST_BASE + half,
				half, half, GUEST_MEM_RWX));
	ASSERT_EQ(0, gh_set_dtb_config(self->v.vm, GUEST_BASE + half - page_size(),
				       2 * page_size()));
	EXPECT_EQ(-ENXIO, gh_start(self->v.vm));
}

TEST_F(vm, start_pc_outside_memory)
{
	/* Only an RM without boot context needs the PC inside the range. */
	int want = gh_profile_full() ? 0 : -ENXIO;

	ASSERT_EQ(0, vm_prepare(&self->v));
	ASSERT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_PC, 0, 0x10000000));
	EXPECT_EQ(want, gh_start(self->v.vm));
}

TEST_F(vm, start_pc_inside_memory)
{
	ASSERT_EQ(0, vm_prepare(&self->v));
	ASSERT_EQ(0, gh_set_boot_context(self->v.vm, REG_SET_PC, 0,
					 GUEST_BASE + 0x1000));
	EXPECT_EQ(0, gh_start(self->v.vm));
}

static int fn_ioctl(int vm, bool add, uint32_t type, uint32_t arg_size,
		    const void *arg)
{
	struct gunyah_fn_desc desc = {
		.type = type,
		.arg_size = arg_size,
		.arg = (uintptr_t)arg,
	};

	return gh_ioctl(vm, add ? GUNYAH_VM_ADD_FUNCTION :
			GUNYAH_VM_REMOVE_FUNCTION, &desc);
}

/* GUNYAH_VM_ADD_FUNCTION and GUNYAH_VM_REMOVE_FUNCTION check alike */
FIXTURE(fn) {
	struct gh_vm v;
};

FIXTURE_VARIANT(fn) {
	bool add;
};

FIXTURE_VARIANT_ADD(fn, add) {
	.add = true,
};

FIXTURE_VARIANT_ADD(fn, remove) {
	.add = false,
};

FIXTURE_SETUP(fn)
{
	int ret;

	gh_vm_init(&self->v);
	ret = gh_vm_setup(&self->v, GH_STEP_CREATE_VM);
	ASSERT_EQ(0, ret) TH_LOG("VM creation: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(fn)
{
	gh_vm_close(&self->v);
}

TEST_F(fn, arg_too_big)
{
	static char arg[GUNYAH_FN_MAX_ARG_SIZE + 1];

	EXPECT_EQ(-E2BIG, fn_ioctl(self->v.vm, variant->add, GUNYAH_FN_VCPU,
				   GUNYAH_FN_MAX_ARG_SIZE + 1, arg));
	EXPECT_EQ(-E2BIG, fn_ioctl(self->v.vm, variant->add, GUNYAH_FN_IRQFD,
				   ~0U, arg));
}

TEST_F(fn, unknown_type)
{
	static char arg[GUNYAH_FN_MAX_ARG_SIZE];

	EXPECT_EQ(-ENODEV, fn_ioctl(self->v.vm, variant->add, 0, 4, arg));
	EXPECT_EQ(-ENODEV, fn_ioctl(self->v.vm, variant->add, 0x1000, 4, arg));
	EXPECT_EQ(-ENODEV, fn_ioctl(self->v.vm, variant->add, ~0U,
				    GUNYAH_FN_MAX_ARG_SIZE, arg));
}

TEST_F(fn, bad_descriptor)
{
	unsigned long req = variant->add ? GUNYAH_VM_ADD_FUNCTION :
			    GUNYAH_VM_REMOVE_FUNCTION;

	EXPECT_EQ(-EFAULT, gh_ioctl(self->v.vm, req, NULL));
	EXPECT_EQ(-EFAULT, gh_ioctl(self->v.vm, req, unmapped_address()));
}

TEST_F(fn, bad_argument)
{
	int ret;

	ret = fn_ioctl(self->v.vm, variant->add, GUNYAH_FN_VCPU,
		       sizeof(struct gunyah_fn_vcpu_arg), unmapped_address());
	if (ret == -ENODEV)
		SKIP(return, "no vCPU function in this kernel");
	EXPECT_EQ(-EFAULT, ret);
}

TEST_F(vm, vcpu)
{
	struct gunyah_fn_vcpu_arg arg = { .id = 0 };
	int vcpu, ret;

	vcpu = fn_ioctl(self->v.vm, true, GUNYAH_FN_VCPU, sizeof(arg), &arg);
	if (vcpu == -ENODEV)
		SKIP(return, "no vCPU function in this kernel");
	ASSERT_LE(0, vcpu);
	EXPECT_EQ((int)page_size(), gh_ioctl_val(vcpu, GUNYAH_VCPU_MMAP_SIZE, 0));
	EXPECT_EQ(-EEXIST, fn_ioctl(self->v.vm, true, GUNYAH_FN_VCPU, sizeof(arg),
				    &arg));
	ret = fn_ioctl(self->v.vm, false, GUNYAH_FN_VCPU, sizeof(arg), &arg);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(-ENOENT, fn_ioctl(self->v.vm, false, GUNYAH_FN_VCPU,
				    sizeof(arg), &arg));
	EXPECT_EQ(0, close(vcpu));
}

TEST_F(vm, check_extension)
{
	int boot_ctx = gh_profile_full() ? 1 : 0;

	EXPECT_EQ(0, gh_check_extension(self->v.vm, GUNYAH_CAP_VCPU_TIMER_WAKEUP));
	EXPECT_EQ(0, gh_check_extension(self->v.vm, 0xdead));
	EXPECT_EQ(0, gh_check_extension(self->v.vm, ~0UL));
	EXPECT_EQ(boot_ctx, gh_check_extension(self->v.vm, GUNYAH_CAP_BOOT_CONTEXT))
		TH_LOG("profile %s", gh_profile());
	EXPECT_EQ(1, gh_check_extension(self->v.vm, GUNYAH_CAP_GUEST_MEM));
	EXPECT_EQ(1, gh_check_extension(self->v.vm, GUNYAH_CAP_USER_MEM));
	/* Of the simulated RMs, only the full one pages memory in on demand. */
	EXPECT_EQ(boot_ctx, gh_check_extension(self->v.vm,
					       GUNYAH_CAP_DEMAND_PAGING));
}

TEST_F(vm, set_fw_config)
{
	struct gunyah_vm_firmware_config fw = {
		.guest_phys_addr = GUEST_BASE,
		.size = page_size(),
	};

	EXPECT_EQ(-EOPNOTSUPP, gh_ioctl(self->v.vm, GUNYAH_VM_ANDROID_SET_FW_CONFIG,
					&fw));
}

TEST_F(vm, android_reclaim_region_unknown)
{
	uint64_t buf[8] = {};

	/* 'A' 0x13 belongs to Qualcomm's production RM: not recognised. */
	EXPECT_EQ(-ENOTTY, gh_ioctl_val(self->v.vm,
					_IO(GUNYAH_ANDROID_IOCTL_TYPE, 0x13), 0));
	EXPECT_EQ(-ENOTTY, gh_ioctl(self->v.vm,
				    _IOW(GUNYAH_ANDROID_IOCTL_TYPE, 0x13,
					 struct gunyah_userspace_memory_region),
				    buf));
}

TEST_F(vm, unknown_ioctl)
{
	uint64_t buf[8] = {};

	EXPECT_EQ(-ENOTTY, gh_ioctl_val(self->v.vm, _IO(GUNYAH_IOCTL_TYPE, 0x3f), 0));
	EXPECT_EQ(-ENOTTY, gh_ioctl(self->v.vm, _IOW(GUNYAH_IOCTL_TYPE, 0x2, __u64),
				    buf));
	/* /dev/gunyah's ioctls are not the VM's. */
	EXPECT_EQ(-ENOTTY, gh_ioctl_val(self->v.vm, GUNYAH_CREATE_VM, 0));
	EXPECT_EQ(-ENOTTY, gh_ioctl(self->v.vm, GUNYAH_CREATE_GUEST_MEM, buf));
}

TEST_HARNESS_MAIN
