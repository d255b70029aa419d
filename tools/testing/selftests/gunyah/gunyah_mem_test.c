// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of guest memory given to a VM: GUNYAH_VM_MAP_MEM (binding,
 * unbinding, partial unbinds, memory added and removed after start) and
 * the user-memory ioctls of older VMMs.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"

#define MB		0x100000ULL

FIXTURE(map) {
	struct gh_vm v;
};

FIXTURE_SETUP(map)
{
	int ret;

	gh_vm_init(&self->v);
	ret = gh_vm_setup(&self->v, GH_STEP_CREATE_GUEST_MEM);
	ASSERT_EQ(0, ret) TH_LOG("VM and guest memory: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(map)
{
	gh_vm_close(&self->v);
}

TEST_F(map, map_unmap)
{
	int vm = self->v.vm, mem = self->v.mem;

	EXPECT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE, 0, GUEST_MEM_SIZE,
				GUEST_MEM_RWX));
	EXPECT_EQ(0, gh_unmap_mem(vm, mem, GUEST_BASE, 0, GUEST_MEM_SIZE));
	/* Unbound, the range may be bound again. */
	EXPECT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE, 0, GUEST_MEM_SIZE,
				GUEST_MEM_RWX));
}

TEST_F(map, access_modes)
{
	int vm = self->v.vm, mem = self->v.mem;

	EXPECT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE, 0, MB,
				GUNYAH_MEM_DEFAULT_ACCESS | GUNYAH_MEM_ALLOW_READ));
	EXPECT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE + MB, MB, MB,
				GUNYAH_MEM_FORCE_LEND | GUNYAH_MEM_ALLOW_WRITE));
	EXPECT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE + 2 * MB, 2 * MB, MB,
				GUNYAH_MEM_FORCE_SHARE | GUNYAH_MEM_ALLOW_EXEC));
}

TEST_F(map, unaligned)
{
	int vm = self->v.vm, mem = self->v.mem;
	uint64_t ps = page_size();

	EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE + 1, 0, ps, GUEST_MEM_RWX));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE + ps / 2, 0, ps,
				      GUEST_MEM_RWX));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE, 1, ps, GUEST_MEM_RWX));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE, ps / 2, ps,
				      GUEST_MEM_RWX));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE, 0, ps + 1,
				      GUEST_MEM_RWX));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE, 0, ps / 2,
				      GUEST_MEM_RWX));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE, 0, 0, GUEST_MEM_RWX));
}

TEST_F(map, unknown_flag)
{
	int vm = self->v.vm, mem = self->v.mem;
	int bit;

	/* Bits 3, 7 and 9 and above have no meaning. */
	for (bit = 3; bit < 32; bit++) {
		if (bit >= 4 && bit <= 6)	/* GUNYAH_MEM_ALLOW_* */
			continue;
		if (bit == 8)			/* GUNYAH_MEM_UNMAP */
			continue;
		EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE, 0, MB,
					      GUEST_MEM_RWX | (1U << bit)))
			TH_LOG("flag bit %d", bit);
	}
}

TEST_F(map, unknown_access_mode)
{
	int vm = self->v.vm, mem = self->v.mem;
	uint32_t mode;

	for (mode = GUNYAH_MEM_FORCE_SHARE + 1; mode <= GUNYAH_MEM_ACCESS_MASK;
	     mode++) {
		EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE, 0, MB,
					      GUEST_MEM_RWX | mode))
			TH_LOG("access mode %u", mode);
	}
}

TEST_F(map, no_access)
{
	int vm = self->v.vm, mem = self->v.mem;

	EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE, 0, MB, 0));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE, 0, MB,
				      GUNYAH_MEM_FORCE_LEND));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, mem, GUEST_BASE, 0, MB,
				      GUNYAH_MEM_FORCE_SHARE));
}

TEST_F(map, guest_range_wraps)
{
	uint64_t ps = page_size();

	EXPECT_EQ(-EOVERFLOW, gh_map_mem(self->v.vm, self->v.mem, -ps, 0, 2 * ps,
					 GUEST_MEM_RWX));
}

TEST_F(map, file_range_wraps)
{
	uint64_t ps = page_size();

	EXPECT_EQ(-EOVERFLOW, gh_map_mem(self->v.vm, self->v.mem, GUEST_BASE, -ps,
					 2 * ps, GUEST_MEM_RWX));
}

TEST_F(map, beyond_file_end)
{
	int vm = self->v.vm, mem = self->v.mem;
	uint64_t ps = page_size();

	EXPECT_EQ(-ENXIO, gh_map_mem(vm, mem, GUEST_BASE, GUEST_MEM_SIZE - ps,
				     2 * ps, GUEST_MEM_RWX));
	EXPECT_EQ(-ENXIO, gh_map_mem(vm, mem, GUEST_BASE, GUEST_MEM_SIZE, ps,
				     GUEST_MEM_RWX));
	EXPECT_EQ(-ENXIO, gh_map_mem(vm, mem, GUEST_BASE, 0, GUEST_MEM_SIZE + ps,
				     GUEST_MEM_RWX));
	/* Up to the end is fine. */
	EXPECT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE, GUEST_MEM_SIZE - ps, ps,
				GUEST_MEM_RWX));
}

TEST_F(map, overlap)
{
	int vm = self->v.vm, mem = self->v.mem;
	uint64_t ps = page_size();

	ASSERT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE + MB, 0, MB, GUEST_MEM_RWX));
	/* Same range, inside it, across its start, across its end. */
	EXPECT_EQ(-EEXIST, gh_map_mem(vm, mem, GUEST_BASE + MB, MB, MB,
				      GUEST_MEM_RWX));
	EXPECT_EQ(-EEXIST, gh_map_mem(vm, mem, GUEST_BASE + MB + ps, MB, ps,
				      GUEST_MEM_RWX));
	EXPECT_EQ(-EEXIST, gh_map_mem(vm, mem, GUEST_BASE + MB - ps, MB, 2 * ps,
				      GUEST_MEM_RWX));
	EXPECT_EQ(-EEXIST, gh_map_mem(vm, mem, GUEST_BASE + 2 * MB - ps, MB,
				      2 * ps, GUEST_MEM_RWX));
	EXPECT_EQ(-EEXIST, gh_map_mem(vm, mem, GUEST_BASE, MB, 3 * MB,
				      GUEST_MEM_RWX));
	/* Neighbours on both sides are fine. */
	EXPECT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE, MB, MB, GUEST_MEM_RWX));
	EXPECT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE + 2 * MB, 2 * MB, MB,
				GUEST_MEM_RWX));
}

TEST_F(map, not_guest_mem)
{
	int vm = self->v.vm;
	int memfd;

	memfd = memfd_create("not-guest-mem", 0);
	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, ftruncate(memfd, GUEST_MEM_SIZE));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, memfd, GUEST_BASE, 0, MB, GUEST_MEM_RWX));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, self->v.dev, GUEST_BASE, 0, MB,
				      GUEST_MEM_RWX));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, vm, GUEST_BASE, 0, MB, GUEST_MEM_RWX));
	EXPECT_EQ(-EINVAL, gh_map_mem(vm, 0, GUEST_BASE, 0, MB, GUEST_MEM_RWX));
	close(memfd);
}

TEST_F(map, closed_fd)
{
	int fd;

	fd = dup(self->v.mem);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(-EBADF, gh_map_mem(self->v.vm, fd, GUEST_BASE, 0, MB,
				     GUEST_MEM_RWX));
	EXPECT_EQ(-EBADF, gh_map_mem(self->v.vm, 0x7fffffff, GUEST_BASE, 0, MB,
				     GUEST_MEM_RWX));
}

TEST_F(map, unmap_unbound)
{
	int vm = self->v.vm, mem = self->v.mem;
	uint64_t ps = page_size();
	int other;

	EXPECT_EQ(-ENOENT, gh_unmap_mem(vm, mem, GUEST_BASE, 0, MB));

	ASSERT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE, 0, MB, GUEST_MEM_RWX));
	/* Partly outside the bound range. */
	EXPECT_EQ(-ENOENT, gh_unmap_mem(vm, mem, GUEST_BASE + MB - ps, MB - ps,
					2 * ps));
	/* The right guest range, but another offset or another fd. */
	EXPECT_EQ(-ENOENT, gh_unmap_mem(vm, mem, GUEST_BASE, MB, MB));
	other = gh_create_mem(self->v.dev, GUEST_MEM_SIZE, 0);
	ASSERT_LE(0, other);
	EXPECT_EQ(-ENOENT, gh_unmap_mem(vm, other, GUEST_BASE, 0, MB));
	close(other);
	/* None of that changed the binding. */
	EXPECT_EQ(0, gh_unmap_mem(vm, mem, GUEST_BASE, 0, MB));
}

TEST_F(map, partial_unmap)
{
	int vm = self->v.vm, mem = self->v.mem;
	uint64_t ps = page_size(), hole = GUEST_BASE + MB;

	ASSERT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE, 0, 2 * MB, GUEST_MEM_RWX));
	/* A page in the middle. */
	ASSERT_EQ(0, gh_unmap_mem(vm, mem, hole, MB, ps));
	EXPECT_EQ(-ENOENT, gh_unmap_mem(vm, mem, hole, MB, ps));
	/* Both sides stay bound. */
	EXPECT_EQ(-EEXIST, gh_map_mem(vm, mem, hole - ps, 2 * MB, ps,
				      GUEST_MEM_RWX));
	EXPECT_EQ(-EEXIST, gh_map_mem(vm, mem, hole + ps, 2 * MB, ps,
				      GUEST_MEM_RWX));
	/* The hole takes a page again, from elsewhere in the file. */
	EXPECT_EQ(0, gh_map_mem(vm, mem, hole, 3 * MB, ps, GUEST_MEM_RWX));
	EXPECT_EQ(-EEXIST, gh_map_mem(vm, mem, hole, MB, ps, GUEST_MEM_RWX));
	/* Each piece unbinds on its own. */
	EXPECT_EQ(0, gh_unmap_mem(vm, mem, hole, 3 * MB, ps));
	EXPECT_EQ(0, gh_unmap_mem(vm, mem, GUEST_BASE, 0, MB));
	EXPECT_EQ(0, gh_unmap_mem(vm, mem, hole + ps, MB + ps, MB - ps));
	EXPECT_EQ(-ENOENT, gh_unmap_mem(vm, mem, GUEST_BASE, 0, ps));
}

TEST_F(map, unmap_ends)
{
	int vm = self->v.vm, mem = self->v.mem;
	uint64_t ps = page_size();

	ASSERT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE, 0, MB, GUEST_MEM_RWX));
	EXPECT_EQ(0, gh_unmap_mem(vm, mem, GUEST_BASE, 0, ps));
	EXPECT_EQ(0, gh_unmap_mem(vm, mem, GUEST_BASE + MB - ps, MB - ps, ps));
	EXPECT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE, 0, ps, GUEST_MEM_RWX));
	EXPECT_EQ(0, gh_unmap_mem(vm, mem, GUEST_BASE, 0, MB - ps));
}

/* Memory bound after START is lent at once */
TEST_F(map, map_after_start)
{
	struct rm_state before, after;
	uint64_t ps = page_size();
	uint8_t *p;
	int extra, i;

	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_START));
	extra = gh_create_mem(self->v.dev, MB, 0);
	ASSERT_LE(0, extra);
	p = mmap(NULL, MB, PROT_READ | PROT_WRITE, MAP_SHARED, extra, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < (int)(MB / ps); i++)
		p[i * ps] = 0x5a;

	if (rm_state_available())
		ASSERT_EQ(0, rm_state_read(&before));
	ASSERT_EQ(0, gh_map_mem(self->v.vm, extra, GUEST_BASE + GUEST_MEM_SIZE, 0,
				MB, GUNYAH_MEM_FORCE_LEND | GUEST_MEM_RWX));
	/* The host lost the pages as the call returned. */
	EXPECT_EQ(SIGBUS, gh_access_signal(p, false));
	EXPECT_EQ(SIGBUS, gh_access_signal(p + MB - ps, true));

	if (rm_state_available()) {
		ASSERT_EQ(0, rm_state_read(&after));
		EXPECT_LT(before.parcels, after.parcels);
		EXPECT_EQ(before.lent_pages + MB / ps, after.lent_pages);
		EXPECT_EQ(before.shared_pages, after.shared_pages);
		EXPECT_EQ(before.vms, after.vms);
	} else {
		TH_LOG("%s is missing: RM bookkeeping not checked",
		       GUNYAH_SIM_RM_STATE);
	}
	munmap(p, MB);
	close(extra);
}

/*
 * A running guest holds the memory it was given until it is reset: the RM
 * refuses to take it back, so unbinding fails with EBUSY and changes
 * nothing, for memory lent at start as for memory bound later.
 */
TEST_F(map, unmap_after_start_busy)
{
	struct rm_state before, after;
	uint64_t ps = page_size();
	uint8_t *p;

	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_START));
	p = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->v.mem, 0);
	ASSERT_NE(MAP_FAILED, p);
	if (rm_state_available())
		ASSERT_EQ(0, rm_state_read(&before));

	/* Part of the range, the middle of it, all of it. */
	EXPECT_EQ(-EBUSY, gh_unmap_mem(self->v.vm, self->v.mem, GUEST_BASE + MB,
				       MB, MB));
	EXPECT_EQ(-EBUSY, gh_unmap_mem(self->v.vm, self->v.mem,
				       GUEST_BASE + MB + ps, MB + ps, ps));
	EXPECT_EQ(-EBUSY, gh_unmap_mem(self->v.vm, self->v.mem, GUEST_BASE, 0,
				       GUEST_MEM_SIZE));
	/* What is not bound is still not bound. */
	EXPECT_EQ(-ENOENT, gh_unmap_mem(self->v.vm, self->v.mem,
					GUEST_BASE + GUEST_MEM_SIZE, 0, MB));

	/* Still lent: the host cannot touch it, the RM still counts it. */
	EXPECT_EQ(SIGBUS, gh_access_signal(p + MB, false));
	EXPECT_EQ(SIGBUS, gh_access_signal(p + MB + ps, false));
	if (rm_state_available()) {
		ASSERT_EQ(0, rm_state_read(&after));
		EXPECT_TRUE(rm_state_equal(&before, &after));
	} else {
		TH_LOG("%s is missing: RM bookkeeping not checked",
		       GUNYAH_SIM_RM_STATE);
	}
	/* And the range is still taken. */
	EXPECT_EQ(-EEXIST, gh_map_mem(self->v.vm, self->v.mem, GUEST_BASE + MB,
				      MB, ps, GUEST_MEM_RWX));
	munmap(p, GUEST_MEM_SIZE);
}

TEST_F(map, unmap_added_after_start_busy)
{
	uint64_t guest = GUEST_BASE + GUEST_MEM_SIZE;
	struct rm_state before, after;
	uint8_t *p;
	int extra;

	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_START));
	extra = gh_create_mem(self->v.dev, MB, 0);
	ASSERT_LE(0, extra);
	p = mmap(NULL, MB, PROT_READ | PROT_WRITE, MAP_SHARED, extra, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, gh_map_mem(self->v.vm, extra, guest, 0, MB,
				GUNYAH_MEM_FORCE_LEND | GUEST_MEM_RWX));
	if (rm_state_available())
		ASSERT_EQ(0, rm_state_read(&before));

	EXPECT_EQ(-EBUSY, gh_unmap_mem(self->v.vm, extra, guest, 0, MB));
	EXPECT_EQ(SIGBUS, gh_access_signal(p, false));
	if (rm_state_available()) {
		ASSERT_EQ(0, rm_state_read(&after));
		EXPECT_TRUE(rm_state_equal(&before, &after));
	}
	munmap(p, MB);
	close(extra);
}

/* The user-memory ioctls: 'G' 0x1 shares, 'A' 0x11 lends */
FIXTURE(user_mem) {
	struct gh_vm v;
	void *anon;
	void *shared;
	int memfd;
};

FIXTURE_VARIANT(user_mem) {
	bool lend;
};

FIXTURE_VARIANT_ADD(user_mem, share) {
	.lend = false,
};

FIXTURE_VARIANT_ADD(user_mem, lend) {
	.lend = true,
};

FIXTURE_SETUP(user_mem)
{
	int ret;

	self->anon = MAP_FAILED;
	self->shared = MAP_FAILED;
	self->memfd = -1;
	gh_vm_init(&self->v);
	ret = gh_vm_setup(&self->v, GH_STEP_CREATE_VM);
	ASSERT_EQ(0, ret) TH_LOG("VM creation: %s", strerror(-ret));

	self->anon = mmap(NULL, 2 * MB, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->anon);
	self->memfd = memfd_create("gunyah-user-mem", 0);
	ASSERT_LE(0, self->memfd);
	ASSERT_EQ(0, ftruncate(self->memfd, 2 * MB));
	self->shared = mmap(NULL, 2 * MB, PROT_READ | PROT_WRITE, MAP_SHARED,
			    self->memfd, 0);
	ASSERT_NE(MAP_FAILED, self->shared);
}

FIXTURE_TEARDOWN(user_mem)
{
	gh_vm_close(&self->v);
	if (self->anon != MAP_FAILED)
		munmap(self->anon, 2 * MB);
	if (self->shared != MAP_FAILED)
		munmap(self->shared, 2 * MB);
	if (self->memfd >= 0)
		close(self->memfd);
}

#define USER_RWX	(GUNYAH_USER_MEM_READ | GUNYAH_USER_MEM_WRITE | \
			 GUNYAH_USER_MEM_EXEC)

TEST_F(user_mem, anonymous)
{
	int vm = self->v.vm;

	EXPECT_EQ(0, gh_user_mem(vm, variant->lend, 1, USER_RWX, GUEST_BASE, MB,
				 self->anon));
	EXPECT_EQ(0, gh_user_mem(vm, variant->lend, 1, USER_RWX, GUEST_BASE, 0,
				 NULL));
	/* Removed, the label is free again. */
	EXPECT_EQ(0, gh_user_mem(vm, variant->lend, 1, USER_RWX, GUEST_BASE, MB,
				 self->anon));
}

TEST_F(user_mem, memfd)
{
	int vm = self->v.vm;

	EXPECT_EQ(0, gh_user_mem(vm, variant->lend, 7, GUNYAH_USER_MEM_READ,
				 GUEST_BASE, 2 * MB, self->shared));
	EXPECT_EQ(0, gh_user_mem(vm, variant->lend, 7, GUNYAH_USER_MEM_READ,
				 GUEST_BASE, 0, self->shared));
}

TEST_F(user_mem, regular_file)
{
	char dir[] = "/tmp/gunyah-ramfs-XXXXXX", path[64];
	void *p = MAP_FAILED;
	int fd = -1, ret;

	/* A file of a filesystem that is not shmem: ramfs, always built in. */
	ASSERT_NE(NULL, mkdtemp(dir));
	if (mount("gunyah-test", dir, "ramfs", 0, NULL)) {
		rmdir(dir);
		SKIP(return, "cannot mount ramfs: %s", strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	if (fd >= 0 && !ftruncate(fd, MB))
		p = mmap(NULL, MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ret = p == MAP_FAILED ? -errno :
	      gh_user_mem(self->v.vm, variant->lend, 1, USER_RWX, GUEST_BASE,
			  MB, p);
	if (p != MAP_FAILED)
		munmap(p, MB);
	if (fd >= 0)
		close(fd);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	EXPECT_EQ(-EOPNOTSUPP, ret);
}

TEST_F(user_mem, memlock_limit)
{
	struct rlimit lim = { .rlim_cur = 0, .rlim_max = 0 };

	/* Runs in a child of its own: the limit dies with it. */
	ASSERT_EQ(0, gh_drop_cap_ipc_lock());
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &lim));
	EXPECT_EQ(-ENOMEM, gh_user_mem(self->v.vm, variant->lend, 1, USER_RWX,
				       GUEST_BASE, MB, self->anon));
	EXPECT_EQ(-ENOMEM, gh_user_mem(self->v.vm, variant->lend, 2, USER_RWX,
				       GUEST_BASE, MB, self->shared));
}

TEST_F(user_mem, memlock_limit_partial)
{
	struct rlimit lim;

	/* Room for half a region is not enough. */
	lim.rlim_cur = MB / 2;
	lim.rlim_max = MB / 2;
	ASSERT_EQ(0, gh_drop_cap_ipc_lock());
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &lim));
	EXPECT_EQ(-ENOMEM, gh_user_mem(self->v.vm, variant->lend, 1, USER_RWX,
				       GUEST_BASE, MB, self->anon));
	/* A quarter region fits. */
	EXPECT_EQ(0, gh_user_mem(self->v.vm, variant->lend, 1, USER_RWX,
				 GUEST_BASE, MB / 4, self->anon));
}

TEST_F(user_mem, duplicate_label)
{
	int vm = self->v.vm;

	ASSERT_EQ(0, gh_user_mem(vm, variant->lend, 3, USER_RWX, GUEST_BASE, MB,
				 self->anon));
	EXPECT_EQ(-EEXIST, gh_user_mem(vm, variant->lend, 3, USER_RWX,
				       GUEST_BASE + 4 * MB, MB, self->shared));
	EXPECT_EQ(-EEXIST, gh_user_mem(vm, !variant->lend, 3, USER_RWX,
				       GUEST_BASE + 4 * MB, MB, self->shared));
}

TEST_F(user_mem, guest_overlap)
{
	int vm = self->v.vm;
	int mem;

	ASSERT_EQ(0, gh_user_mem(vm, variant->lend, 1, USER_RWX, GUEST_BASE, MB,
				 self->anon));
	EXPECT_EQ(-EEXIST, gh_user_mem(vm, variant->lend, 2, USER_RWX,
				       GUEST_BASE + MB / 2, MB, self->shared));
	/* Guest memory bound from a guest-memory fd counts too. */
	mem = gh_create_mem(self->v.dev, MB, 0);
	ASSERT_LE(0, mem);
	ASSERT_EQ(0, gh_map_mem(vm, mem, GUEST_BASE + 4 * MB, 0, MB,
				GUEST_MEM_RWX));
	EXPECT_EQ(-EEXIST, gh_user_mem(vm, variant->lend, 2, USER_RWX,
				       GUEST_BASE + 4 * MB, MB, self->shared));
	EXPECT_EQ(-EEXIST, gh_map_mem(vm, mem, GUEST_BASE, 0, MB, GUEST_MEM_RWX));
	close(mem);
}

TEST_F(user_mem, remove_unknown_label)
{
	EXPECT_EQ(-ENOENT, gh_user_mem(self->v.vm, variant->lend, 99, USER_RWX,
				       GUEST_BASE, 0, NULL));
	EXPECT_EQ(-ENOENT, gh_user_mem(self->v.vm, variant->lend, 99, 0, 0, 0,
				       self->anon));
}

TEST_F(user_mem, bad_arguments)
{
	int vm = self->v.vm;
	uint64_t ps = page_size();
	char *anon = self->anon;

	EXPECT_EQ(-EINVAL, gh_user_mem(vm, variant->lend, 1, USER_RWX | 0x8,
				       GUEST_BASE, MB, anon));
	EXPECT_EQ(-EINVAL, gh_user_mem(vm, variant->lend, 1, 0x80000000 | USER_RWX,
				       GUEST_BASE, MB, anon));
	EXPECT_EQ(-EINVAL, gh_user_mem(vm, variant->lend, 1, 0, GUEST_BASE, MB,
				       anon));
	EXPECT_EQ(-EINVAL, gh_user_mem(vm, variant->lend, 1, USER_RWX,
				       GUEST_BASE + 1, MB, anon));
	EXPECT_EQ(-EINVAL, gh_user_mem(vm, variant->lend, 1, USER_RWX,
				       GUEST_BASE, MB - 1, anon));
	EXPECT_EQ(-EINVAL, gh_user_mem(vm, variant->lend, 1, USER_RWX,
				       GUEST_BASE, MB, anon + ps / 2));
	EXPECT_EQ(-EOVERFLOW, gh_user_mem(vm, variant->lend, 1, USER_RWX, -ps,
					  2 * ps, anon));
}

TEST_F(user_mem, not_mapped)
{
	char *hole = self->anon;

	ASSERT_EQ(0, munmap(hole + MB, MB));
	EXPECT_EQ(-EFAULT, gh_user_mem(self->v.vm, variant->lend, 1, USER_RWX,
				       GUEST_BASE, 2 * MB, hole));
	ASSERT_EQ(0, munmap(hole, MB));
	self->anon = MAP_FAILED;
	EXPECT_EQ(-EFAULT, gh_user_mem(self->v.vm, variant->lend, 1, USER_RWX,
				       GUEST_BASE, MB, hole));
}

TEST_HARNESS_MAIN
