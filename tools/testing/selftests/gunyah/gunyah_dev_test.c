// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of /dev/gunyah: the device node, GUNYAH_CREATE_VM,
 * GUNYAH_CREATE_GUEST_MEM and ioctl numbers it does not know.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"

FIXTURE(dev) {
	int dev;
};

FIXTURE_SETUP(dev)
{
	self->dev = gh_open_dev();
	ASSERT_LE(0, self->dev)
		TH_LOG("open %s: %s", GUNYAH_DEV, strerror(-self->dev));
}

FIXTURE_TEARDOWN(dev)
{
	if (self->dev >= 0)
		close(self->dev);
}

/* An address that is certainly not mapped: a page mapped and unmapped */
static void *unmapped_address(void)
{
	void *p = mmap(NULL, page_size(), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, page_size());
	return p;
}

TEST_F(dev, node_is_root_only)
{
	struct stat st;

	ASSERT_EQ(0, stat(GUNYAH_DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(0, st.st_gid);
}

TEST_F(dev, create_vm)
{
	int vm1, vm2;

	vm1 = gh_create_vm(self->dev);
	ASSERT_LE(0, vm1);
	vm2 = gh_create_vm(self->dev);
	ASSERT_LE(0, vm2);
	EXPECT_NE(vm1, vm2);
	/* Each VM is a fd of its own that answers VM ioctls. */
	EXPECT_EQ(0, gh_check_extension(vm1, GUNYAH_CAP_VCPU_TIMER_WAKEUP));
	EXPECT_EQ(0, gh_check_extension(vm2, GUNYAH_CAP_VCPU_TIMER_WAKEUP));
	EXPECT_EQ(0, close(vm1));
	EXPECT_EQ(0, close(vm2));
}

TEST_F(dev, create_vm_arg_nonzero)
{
	EXPECT_EQ(-EINVAL, gh_ioctl_val(self->dev, GUNYAH_CREATE_VM, 1));
	EXPECT_EQ(-EINVAL, gh_ioctl_val(self->dev, GUNYAH_CREATE_VM, 0x100));
	EXPECT_EQ(-EINVAL, gh_ioctl_val(self->dev, GUNYAH_CREATE_VM, ~0UL));
}

TEST_F(dev, unknown_ioctl)
{
	struct gunyah_vm_dtb_config cfg = { .size = 1 };
	uint64_t buf[8] = {};

	EXPECT_EQ(-ENOTTY, gh_ioctl_val(self->dev, _IO(GUNYAH_IOCTL_TYPE, 0x3f), 0));
	EXPECT_EQ(-ENOTTY, gh_ioctl_val(self->dev, _IO('X', 0x0), 0));
	/* CREATE_GUEST_MEM's number with another size is another ioctl. */
	EXPECT_EQ(-ENOTTY, gh_ioctl(self->dev, _IOW(GUNYAH_IOCTL_TYPE, 0x8, __u64), buf));
	/* VM ioctls are not /dev/gunyah's. */
	EXPECT_EQ(-ENOTTY, gh_ioctl(self->dev, GUNYAH_VM_SET_DTB_CONFIG, &cfg));
	EXPECT_EQ(-ENOTTY, gh_ioctl_val(self->dev, GUNYAH_VM_START, 0));
}

TEST_F(dev, create_guest_mem)
{
	uint64_t size = 16 * page_size();
	struct stat st;
	int mem;

	mem = gh_create_mem(self->dev, size, 0);
	ASSERT_LE(0, mem);
	ASSERT_EQ(0, fstat(mem, &st));
	EXPECT_EQ(size, st.st_size);
	EXPECT_EQ(0, fcntl(mem, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, close(mem));
}

TEST_F(dev, create_guest_mem_cloexec)
{
	int mem;

	mem = gh_create_mem(self->dev, page_size(), GHMF_CLOEXEC);
	ASSERT_LE(0, mem);
	EXPECT_EQ(FD_CLOEXEC, fcntl(mem, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, close(mem));
}

TEST_F(dev, create_guest_mem_hugepage)
{
	struct stat st;
	int mem;

	mem = gh_create_mem(self->dev, 0x400000, GHMF_ALLOW_HUGEPAGE);
	ASSERT_LE(0, mem);
	ASSERT_EQ(0, fstat(mem, &st));
	EXPECT_EQ(0x400000, st.st_size);
	EXPECT_EQ(0, close(mem));
}

TEST_F(dev, create_guest_mem_unknown_flag)
{
	int bit;

	for (bit = 2; bit < 64; bit++) {
		EXPECT_EQ(-EINVAL, gh_create_mem(self->dev, page_size(), 1ULL << bit))
			TH_LOG("flag bit %d", bit);
	}
}

TEST_F(dev, create_guest_mem_reserved)
{
	struct gunyah_create_mem_args args;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(args.reserved); i++) {
		memset(&args, 0, sizeof(args));
		args.size = page_size();
		args.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, gh_ioctl(self->dev, GUNYAH_CREATE_GUEST_MEM, &args))
			TH_LOG("reserved[%u]", i);
	}
}

TEST_F(dev, create_guest_mem_size)
{
	uint64_t ps = page_size();

	EXPECT_EQ(-EINVAL, gh_create_mem(self->dev, 0, 0));
	EXPECT_EQ(-EINVAL, gh_create_mem(self->dev, 1, 0));
	EXPECT_EQ(-EINVAL, gh_create_mem(self->dev, ps / 2, 0));
	EXPECT_EQ(-EINVAL, gh_create_mem(self->dev, ps + 1, 0));
	EXPECT_EQ(-EINVAL, gh_create_mem(self->dev, 2 * ps - 1, 0));
}

TEST_F(dev, create_guest_mem_efault)
{
	EXPECT_EQ(-EFAULT, gh_ioctl(self->dev, GUNYAH_CREATE_GUEST_MEM, NULL));
	EXPECT_EQ(-EFAULT, gh_ioctl(self->dev, GUNYAH_CREATE_GUEST_MEM,
				    unmapped_address()));
}

TEST_F(dev, open_many)
{
	int fds[16], i;

	/* /dev/gunyah may be opened any number of times. */
	for (i = 0; i < 16; i++) {
		fds[i] = gh_open_dev();
		ASSERT_LE(0, fds[i]);
	}
	for (i = 0; i < 16; i++)
		EXPECT_EQ(0, close(fds[i]));
}

TEST_HARNESS_MAIN
