// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of the guest-memory fd: mmap(), fallocate() and ftruncate(), and
 * what the host may still touch once the memory is lent or shared to a
 * running VM.
 */
#include <fcntl.h>
#include <linux/falloc.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"

#define MB		0x100000ULL

FIXTURE(guest_mem) {
	int dev;
	int mem;
	uint64_t size;
};

FIXTURE_SETUP(guest_mem)
{
	self->mem = -1;
	self->size = 16 * page_size();
	self->dev = gh_open_dev();
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV,
				       strerror(-self->dev));
	self->mem = gh_create_mem(self->dev, self->size, 0);
	ASSERT_LE(0, self->mem) TH_LOG("guest memory: %s", strerror(-self->mem));
}

FIXTURE_TEARDOWN(guest_mem)
{
	if (self->mem >= 0)
		close(self->mem);
	if (self->dev >= 0)
		close(self->dev);
}

static uint8_t pattern(uint64_t offset)
{
	return (uint8_t)(offset / 4096 * 7 + 1);
}

/* Fill each page of [0, size) with its own byte */
static void *fill(int mem, uint64_t size)
{
	uint8_t *p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, mem, 0);
	if (p == MAP_FAILED)
		return p;
	for (uint64_t off = 0; off < size; off += page_size())
		memset(p + off, pattern(off), page_size());
	return p;
}

static bool page_is(const uint8_t *p, uint8_t val)
{
	for (uint64_t i = 0; i < page_size(); i++)
		if (p[i] != val)
			return false;
	return true;
}

TEST_F(guest_mem, mmap_shared)
{
	uint64_t ps = page_size();
	uint8_t *p;

	p = fill(self->mem, self->size);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p, self->size));

	/* A new mapping sees what the first one wrote. */
	p = mmap(NULL, self->size, PROT_READ, MAP_SHARED, self->mem, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (uint64_t off = 0; off < self->size; off += ps) {
		EXPECT_TRUE(page_is(p + off, pattern(off)))
			TH_LOG("offset %#llx", (unsigned long long)off);
	}
	ASSERT_EQ(0, munmap(p, self->size));

	/* So does a mapping of part of the fd. */
	p = mmap(NULL, ps, PROT_READ, MAP_SHARED, self->mem, 5 * ps);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_TRUE(page_is(p, pattern(5 * ps)));
	ASSERT_EQ(0, munmap(p, ps));
}

TEST_F(guest_mem, new_memory_is_zero)
{
	uint8_t *p;

	p = mmap(NULL, self->size, PROT_READ, MAP_SHARED, self->mem, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (uint64_t off = 0; off < self->size; off += page_size())
		EXPECT_TRUE(page_is(p + off, 0));
	munmap(p, self->size);
}

TEST_F(guest_mem, mmap_private)
{
	void *p;

	p = mmap(NULL, self->size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		 self->mem, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, self->size, PROT_READ, MAP_PRIVATE, self->mem, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(guest_mem, punch_hole)
{
	uint64_t ps = page_size();
	struct stat st;
	uint8_t *p;

	p = fill(self->mem, self->size);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, fallocate(self->mem, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       2 * ps, 3 * ps));
	/* The hole reads back zero, through the existing mapping too. */
	EXPECT_TRUE(page_is(p + ps, pattern(ps)));
	EXPECT_TRUE(page_is(p + 2 * ps, 0));
	EXPECT_TRUE(page_is(p + 3 * ps, 0));
	EXPECT_TRUE(page_is(p + 4 * ps, 0));
	EXPECT_TRUE(page_is(p + 5 * ps, pattern(5 * ps)));
	ASSERT_EQ(0, fstat(self->mem, &st));
	EXPECT_EQ(self->size, st.st_size);
	/* The hole can be written again. */
	p[3 * ps] = 0xaa;
	EXPECT_EQ(0xaa, p[3 * ps]);
	munmap(p, self->size);
}

TEST_F(guest_mem, fallocate_allocate)
{
	struct stat st;

	EXPECT_EQ(0, fallocate(self->mem, 0, 0, self->size));
	ASSERT_EQ(0, fstat(self->mem, &st));
	EXPECT_EQ(self->size, st.st_size);
}

TEST_F(guest_mem, fallocate_other_modes)
{
	uint64_t ps = page_size();
	static const int modes[] = {
		FALLOC_FL_PUNCH_HOLE,
		FALLOC_FL_ZERO_RANGE,
		FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
		FALLOC_FL_COLLAPSE_RANGE,
		FALLOC_FL_INSERT_RANGE,
		FALLOC_FL_UNSHARE_RANGE,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		EXPECT_EQ(-1, fallocate(self->mem, modes[i], ps, ps))
			TH_LOG("mode %#x", modes[i]);
		EXPECT_EQ(EOPNOTSUPP, errno) TH_LOG("mode %#x", modes[i]);
	}
}

TEST_F(guest_mem, ftruncate_grow)
{
	uint64_t big = 2 * self->size;
	struct stat st;
	uint8_t *p;

	p = fill(self->mem, self->size);
	ASSERT_NE(MAP_FAILED, p);
	munmap(p, self->size);

	ASSERT_EQ(0, ftruncate(self->mem, big));
	ASSERT_EQ(0, fstat(self->mem, &st));
	EXPECT_EQ(big, st.st_size);
	p = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_SHARED, self->mem, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_TRUE(page_is(p, pattern(0)));
	EXPECT_TRUE(page_is(p + self->size, 0));
	p[big - 1] = 0x11;
	EXPECT_EQ(0x11, p[big - 1]);
	munmap(p, big);
}

TEST_F(guest_mem, ftruncate_shrink)
{
	uint64_t half = self->size / 2;
	struct stat st;
	uint8_t *p;

	p = fill(self->mem, self->size);
	ASSERT_NE(MAP_FAILED, p);
	munmap(p, self->size);

	ASSERT_EQ(0, ftruncate(self->mem, half));
	ASSERT_EQ(0, fstat(self->mem, &st));
	EXPECT_EQ(half, st.st_size);
	/* What was cut off is gone: growing back gives zeroes. */
	ASSERT_EQ(0, ftruncate(self->mem, self->size));
	p = mmap(NULL, self->size, PROT_READ, MAP_SHARED, self->mem, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_TRUE(page_is(p + half - page_size(), pattern(half - page_size())));
	EXPECT_TRUE(page_is(p + half, 0));
	munmap(p, self->size);
}

/*
 * A running VM with its 4 MiB of guest memory in two ranges: the lower
 * half lent (with the devicetree), the upper half shared.
 */
FIXTURE(running) {
	struct gh_vm v;
	uint8_t *host;
};

#define LENT_SIZE	(GUEST_MEM_SIZE / 2)
#define DTB_OFFSET	MB

FIXTURE_SETUP(running)
{
	uint64_t size = GUEST_MEM_SIZE;
	int ret;

	self->host = MAP_FAILED;
	gh_vm_init(&self->v);
	self->v.dtb_addr = GUEST_BASE + DTB_OFFSET;
	ret = gh_vm_setup(&self->v, GH_STEP_CREATE_GUEST_MEM);
	ASSERT_EQ(0, ret) TH_LOG("VM and guest memory: %s", strerror(-ret));

	/* Mapped and filled before start, past the devicetree's pages. */
	self->host = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			  self->v.mem, 0);
	ASSERT_NE(MAP_FAILED, self->host);
	memset(self->host, 0x33, DTB_OFFSET);
	memset(self->host + LENT_SIZE, 0x44, size - LENT_SIZE);

	ASSERT_EQ(0, gh_map_mem(self->v.vm, self->v.mem, GUEST_BASE, 0, LENT_SIZE,
				GUNYAH_MEM_FORCE_LEND | GUEST_MEM_RWX));
	ASSERT_EQ(0, gh_map_mem(self->v.vm, self->v.mem, GUEST_BASE + LENT_SIZE,
				LENT_SIZE, size - LENT_SIZE,
				GUNYAH_MEM_FORCE_SHARE | GUEST_MEM_RWX));
	ASSERT_EQ(0, gh_set_dtb_config(self->v.vm, self->v.dtb_addr,
				       self->v.dtb_size));
	ret = gh_start(self->v.vm);
	ASSERT_EQ(0, ret) TH_LOG("start: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(running)
{
	if (self->host != MAP_FAILED)
		munmap(self->host, GUEST_MEM_SIZE);
	gh_vm_close(&self->v);
}

TEST_F(running, lent_range_faults)
{
	uint64_t ps = page_size();

	EXPECT_EQ(SIGBUS, gh_access_signal(self->host, false));
	EXPECT_EQ(SIGBUS, gh_access_signal(self->host, true));
	EXPECT_EQ(SIGBUS, gh_access_signal(self->host + DTB_OFFSET, false));
	EXPECT_EQ(SIGBUS, gh_access_signal(self->host + LENT_SIZE - ps, false));
}

TEST_F(running, lent_range_faults_in_new_mapping)
{
	uint8_t *p;

	p = mmap(NULL, LENT_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->v.mem, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(SIGBUS, gh_access_signal(p, false));
	EXPECT_EQ(SIGBUS, gh_access_signal(p + LENT_SIZE / 2, true));
	munmap(p, LENT_SIZE);
}

TEST_F(running, shared_range_stays)
{
	uint8_t *shared = self->host + LENT_SIZE;
	uint64_t ps = page_size();

	ASSERT_EQ(0, gh_access_signal(shared, false));
	EXPECT_TRUE(page_is(shared, 0x44));
	EXPECT_TRUE(page_is(shared + GUEST_MEM_SIZE - LENT_SIZE - ps, 0x44));
	ASSERT_EQ(0, gh_access_signal(shared, true));
	shared[1] = 0x55;
	EXPECT_EQ(0x55, shared[1]);
}

TEST_F(running, punch_hole_busy)
{
	int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
	uint64_t ps = page_size();

	EXPECT_EQ(-1, fallocate(self->v.mem, mode, 0, ps));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, fallocate(self->v.mem, mode, LENT_SIZE, ps));
	EXPECT_EQ(EBUSY, errno);
	/* Across both ranges. */
	EXPECT_EQ(-1, fallocate(self->v.mem, mode, LENT_SIZE - ps, 2 * ps));
	EXPECT_EQ(EBUSY, errno);
	/* The shared data survived. */
	EXPECT_TRUE(page_is(self->host + LENT_SIZE, 0x44));
}

TEST_F(running, shrink_busy)
{
	struct stat st;

	EXPECT_EQ(-1, ftruncate(self->v.mem, LENT_SIZE + MB));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, ftruncate(self->v.mem, 0));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, fstat(self->v.mem, &st));
	EXPECT_EQ(GUEST_MEM_SIZE, st.st_size);
	/* Growing is fine. */
	EXPECT_EQ(0, ftruncate(self->v.mem, GUEST_MEM_SIZE + MB));
}

/* Punching a hole in memory bound into a VM fails, before start too */
TEST_F(guest_mem, punch_hole_bound_busy)
{
	int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
	uint64_t ps = page_size();
	uint8_t *p;
	int vm;

	p = fill(self->mem, self->size);
	ASSERT_NE(MAP_FAILED, p);
	vm = gh_create_vm(self->dev);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, gh_map_mem(vm, self->mem, GUEST_BASE, 4 * ps, 4 * ps,
				GUEST_MEM_RWX));
	EXPECT_EQ(-1, fallocate(self->mem, mode, 5 * ps, ps));
	EXPECT_EQ(EBUSY, errno);
	/* Overlapping the bound range at either end. */
	EXPECT_EQ(-1, fallocate(self->mem, mode, 3 * ps, 2 * ps));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, fallocate(self->mem, mode, 7 * ps, 2 * ps));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_TRUE(page_is(p + 5 * ps, pattern(5 * ps)));
	EXPECT_TRUE(page_is(p + 3 * ps, pattern(3 * ps)));
	/* Outside it, holes are fine. */
	EXPECT_EQ(0, fallocate(self->mem, mode, 0, 4 * ps));
	EXPECT_TRUE(page_is(p + 3 * ps, 0));
	EXPECT_EQ(0, fallocate(self->mem, mode, 8 * ps, ps));
	/* Once unbound, the range may be punched too. */
	ASSERT_EQ(0, gh_unmap_mem(vm, self->mem, GUEST_BASE, 4 * ps, 4 * ps));
	EXPECT_EQ(0, fallocate(self->mem, mode, 5 * ps, ps));
	EXPECT_TRUE(page_is(p + 5 * ps, 0));
	munmap(p, self->size);
	close(vm);
}

/* Shrinking over a bound range fails before start too */
TEST_F(guest_mem, shrink_bound_busy)
{
	uint64_t ps = page_size();
	struct stat st;
	int vm;

	vm = gh_create_vm(self->dev);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, gh_map_mem(vm, self->mem, GUEST_BASE, 0, 8 * ps,
				GUEST_MEM_RWX));
	EXPECT_EQ(-1, ftruncate(self->mem, 4 * ps));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, fstat(self->mem, &st));
	EXPECT_EQ(self->size, st.st_size);
	/* Cutting only what is not bound is fine. */
	EXPECT_EQ(0, ftruncate(self->mem, 8 * ps));
	/* Once unbound, the rest may go too. */
	ASSERT_EQ(0, gh_unmap_mem(vm, self->mem, GUEST_BASE, 0, 8 * ps));
	EXPECT_EQ(0, ftruncate(self->mem, 4 * ps));
	close(vm);
}

TEST_HARNESS_MAIN
