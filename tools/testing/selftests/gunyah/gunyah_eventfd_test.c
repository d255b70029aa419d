// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of the irqfd and ioeventfd functions on a VM that is not started:
 * argument checks and their errnos, one function per label or address,
 * removal (including the forms crosvm uses), and that a removed function
 * keeps nothing of its eventfd.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"

/* Room for an argument one word larger than the real one */
union fn_arg {
	struct gunyah_fn_irqfd_arg irqfd;
	struct gunyah_fn_ioeventfd_arg ioeventfd;
	uint8_t bytes[64];
};

static int fn_call(int vm, unsigned long request, uint32_t type,
		   const void *arg, uint32_t size)
{
	struct gunyah_fn_desc desc = {
		.type = type,
		.arg_size = size,
		.arg = (uintptr_t)arg,
	};

	return gh_ioctl(vm, request, &desc);
}

static int irqfd_add(int vm, uint32_t fd, uint32_t label, uint32_t flags)
{
	struct gunyah_fn_irqfd_arg a = {
		.fd = fd, .label = label, .flags = flags,
	};

	return fn_call(vm, GUNYAH_VM_ADD_FUNCTION, GUNYAH_FN_IRQFD, &a,
		       sizeof(a));
}

/* REMOVE_FUNCTION finds an irqfd by its label alone. */
static int irqfd_remove(int vm, uint32_t label)
{
	struct gunyah_fn_irqfd_arg a = { .fd = -1, .label = label };

	return fn_call(vm, GUNYAH_VM_REMOVE_FUNCTION, GUNYAH_FN_IRQFD, &a,
		       sizeof(a));
}

static int ioeventfd_call(int vm, unsigned long request, int fd,
			  uint64_t addr, uint32_t len, uint32_t flags,
			  uint64_t datamatch)
{
	struct gunyah_fn_ioeventfd_arg a = {
		.datamatch = datamatch, .addr = addr, .len = len,
		.fd = fd, .flags = flags,
	};

	return fn_call(vm, request, GUNYAH_FN_IOEVENTFD, &a, sizeof(a));
}

static int ioeventfd_add(int vm, int fd, uint64_t addr, uint32_t len)
{
	return ioeventfd_call(vm, GUNYAH_VM_ADD_FUNCTION, fd, addr, len, 0, 0);
}

/* As crosvm removes one: only the address set. */
static int ioeventfd_remove(int vm, uint64_t addr)
{
	return ioeventfd_call(vm, GUNYAH_VM_REMOVE_FUNCTION, 0, addr, 0, 0, 0);
}

/* The eventfd's counter, or -errno (-EAGAIN when it is 0) */
static int64_t eventfd_count(int fd)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return -errno;
	return v;
}

static int eventfd_add(int fd, uint64_t v)
{
	return write(fd, &v, sizeof(v)) == sizeof(v) ? 0 : -errno;
}

FIXTURE(eventfd) {
	struct gh_vm v;
	int efd;
	int efd2;
	int notefd;	/* an fd that is not an eventfd */
	int fds;	/* open fds before the test made its eventfds */
};

FIXTURE_SETUP(eventfd)
{
	int ret;

	self->efd = -1;
	self->efd2 = -1;
	self->notefd = -1;
	gh_vm_init(&self->v);
	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_CREATE_VM));
	self->fds = gh_count_fds();
	ASSERT_LT(0, self->fds);

	self->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT_LE(0, self->efd);
	self->efd2 = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT_LE(0, self->efd2);
	self->notefd = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->notefd);

	/* The functions' modules are loaded on demand. */
	ret = irqfd_add(self->v.vm, self->efd, 0xfffe, 0);
	if (ret == -ENODEV)
		SKIP(return, "no irqfd function (gunyah_irqfd)");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, irqfd_remove(self->v.vm, 0xfffe));
	ret = ioeventfd_add(self->v.vm, self->efd, 0xfffe0000, 0);
	if (ret == -ENODEV)
		SKIP(return, "no ioeventfd function (gunyah_ioeventfd)");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, ioeventfd_remove(self->v.vm, 0xfffe0000));
}

FIXTURE_TEARDOWN(eventfd)
{
	if (self->efd >= 0)
		close(self->efd);
	if (self->efd2 >= 0)
		close(self->efd2);
	if (self->notefd >= 0)
		close(self->notefd);
	gh_vm_close(&self->v);
}

TEST_F(eventfd, irqfd_bad_args)
{
	int vm = self->v.vm;
	union fn_arg a;

	memset(&a, 0, sizeof(a));
	a.irqfd.fd = self->efd;
	a.irqfd.label = 1;

	/* arg_size must be the struct's, neither less nor more */
	EXPECT_EQ(-EINVAL, fn_call(vm, GUNYAH_VM_ADD_FUNCTION, GUNYAH_FN_IRQFD,
				   &a, sizeof(a.irqfd) - 4));
	EXPECT_EQ(-EINVAL, fn_call(vm, GUNYAH_VM_ADD_FUNCTION, GUNYAH_FN_IRQFD,
				   &a, sizeof(a.irqfd) + 8));
	EXPECT_EQ(-EINVAL, fn_call(vm, GUNYAH_VM_ADD_FUNCTION, GUNYAH_FN_IRQFD,
				   NULL, 0));

	/* Unknown flags and padding */
	EXPECT_EQ(-EINVAL, irqfd_add(vm, self->efd, 1, 1u << 1));
	EXPECT_EQ(-EINVAL, irqfd_add(vm, self->efd, 1, 1u << 31));
	a.irqfd.padding = 1;
	EXPECT_EQ(-EINVAL, fn_call(vm, GUNYAH_VM_ADD_FUNCTION, GUNYAH_FN_IRQFD,
				   &a, sizeof(a.irqfd)));

	/* Not an fd, a closed fd, an fd that is not an eventfd */
	EXPECT_EQ(-EBADF, irqfd_add(vm, -1, 1, 0));
	EXPECT_EQ(-EBADF, irqfd_add(vm, 1000, 1, 0));
	EXPECT_EQ(-EINVAL, irqfd_add(vm, self->notefd, 1, 0));

	/* None of that left anything behind. */
	EXPECT_EQ(-ENOENT, irqfd_remove(vm, 1));
	EXPECT_EQ(0, irqfd_add(vm, self->efd, 1, 0));
	EXPECT_EQ(0, irqfd_add(vm, self->efd2, 2, GUNYAH_IRQFD_FLAGS_LEVEL));
}

TEST_F(eventfd, irqfd_one_per_label)
{
	int vm = self->v.vm;

	ASSERT_EQ(0, irqfd_add(vm, self->efd, 7, 0));
	/* Whatever the eventfd or the flags */
	EXPECT_EQ(-EEXIST, irqfd_add(vm, self->efd2, 7, 0));
	EXPECT_EQ(-EEXIST, irqfd_add(vm, self->efd, 7,
				     GUNYAH_IRQFD_FLAGS_LEVEL));
	/* Labels are any u32. */
	EXPECT_EQ(0, irqfd_add(vm, self->efd2, 0xffffffff,
			       GUNYAH_IRQFD_FLAGS_LEVEL));
	EXPECT_EQ(0, irqfd_add(vm, self->efd2, 0, 0));
}

TEST_F(eventfd, irqfd_remove_readd)
{
	int vm = self->v.vm;
	struct gunyah_fn_irqfd_arg a = { .label = 9 };

	EXPECT_EQ(-ENOENT, irqfd_remove(vm, 9));
	ASSERT_EQ(0, irqfd_add(vm, self->efd, 9, GUNYAH_IRQFD_FLAGS_LEVEL));
	/* A removal must be a whole argument. */
	EXPECT_EQ(-ENOENT, fn_call(vm, GUNYAH_VM_REMOVE_FUNCTION,
				   GUNYAH_FN_IRQFD, &a, sizeof(a) - 4));
	/* By label alone: fd and flags do not matter. */
	EXPECT_EQ(-ENOENT, irqfd_remove(vm, 10));
	EXPECT_EQ(0, irqfd_remove(vm, 9));
	EXPECT_EQ(-ENOENT, irqfd_remove(vm, 9));
	/* The label is free again, for another eventfd. */
	EXPECT_EQ(0, irqfd_add(vm, self->efd2, 9, 0));
	EXPECT_EQ(0, irqfd_remove(vm, 9));
	EXPECT_EQ(0, irqfd_add(vm, self->efd, 9, 0));
}

/*
 * The irqfd takes each signal off the eventfd (the guest gets one
 * interrupt however many signals came); once removed it takes none.
 */
TEST_F(eventfd, irqfd_consumes_signals_until_removed)
{
	int vm = self->v.vm;

	ASSERT_EQ(0, irqfd_add(vm, self->efd, 3, 0));
	ASSERT_EQ(0, eventfd_add(self->efd, 1));
	EXPECT_EQ(-EAGAIN, eventfd_count(self->efd));
	ASSERT_EQ(0, eventfd_add(self->efd, 5));
	EXPECT_EQ(-EAGAIN, eventfd_count(self->efd));

	ASSERT_EQ(0, irqfd_remove(vm, 3));
	ASSERT_EQ(0, eventfd_add(self->efd, 2));
	EXPECT_EQ(2, eventfd_count(self->efd));

	/* Another irqfd on the same eventfd takes over again. */
	ASSERT_EQ(0, irqfd_add(vm, self->efd, 4, GUNYAH_IRQFD_FLAGS_LEVEL));
	ASSERT_EQ(0, eventfd_add(self->efd, 1));
	EXPECT_EQ(-EAGAIN, eventfd_count(self->efd));
}

/*
 * Closing the eventfd of an irqfd (EPOLLHUP) detaches it; the irqfd
 * keeps its label until it is removed. Nothing of the eventfd is left.
 */
TEST_F(eventfd, irqfd_eventfd_closed)
{
	int vm = self->v.vm;

	ASSERT_EQ(0, irqfd_add(vm, self->efd, 5, 0));
	ASSERT_EQ(0, irqfd_add(vm, self->efd2, 6, GUNYAH_IRQFD_FLAGS_LEVEL));
	ASSERT_EQ(0, close(self->efd));
	self->efd = -1;
	EXPECT_EQ(-EEXIST, irqfd_add(vm, self->efd2, 5, 0));
	EXPECT_EQ(0, irqfd_remove(vm, 5));
	EXPECT_EQ(0, irqfd_add(vm, self->efd2, 5, 0));

	/* Closed after removal, and while the VM still holds the other. */
	EXPECT_EQ(0, irqfd_remove(vm, 5));
	ASSERT_EQ(0, close(self->efd2));
	self->efd2 = -1;
	ASSERT_EQ(0, close(self->notefd));
	self->notefd = -1;
	EXPECT_EQ(self->fds, gh_count_fds());
	EXPECT_EQ(0, irqfd_remove(vm, 6));
	EXPECT_EQ(-ENOENT, irqfd_remove(vm, 6));
}

TEST_F(eventfd, ioeventfd_bad_args)
{
	int vm = self->v.vm, efd = self->efd;
	union fn_arg a;

	memset(&a, 0, sizeof(a));
	a.ioeventfd.fd = efd;
	a.ioeventfd.addr = 0x9000;
	a.ioeventfd.len = 4;

	EXPECT_EQ(-EINVAL, fn_call(vm, GUNYAH_VM_ADD_FUNCTION,
				   GUNYAH_FN_IOEVENTFD, &a,
				   sizeof(a.ioeventfd) - 4));
	EXPECT_EQ(-EINVAL, fn_call(vm, GUNYAH_VM_ADD_FUNCTION,
				   GUNYAH_FN_IOEVENTFD, &a,
				   sizeof(a.ioeventfd) + 8));
	EXPECT_EQ(-EINVAL, fn_call(vm, GUNYAH_VM_ADD_FUNCTION,
				   GUNYAH_FN_IOEVENTFD, NULL, 0));
	a.ioeventfd.padding = 1;
	EXPECT_EQ(-EINVAL, fn_call(vm, GUNYAH_VM_ADD_FUNCTION,
				   GUNYAH_FN_IOEVENTFD, &a,
				   sizeof(a.ioeventfd)));

	/* Bits 0 and 1 both mean DATAMATCH; no other bit has a meaning. */
	EXPECT_EQ(-EINVAL, ioeventfd_call(vm, GUNYAH_VM_ADD_FUNCTION, efd,
					  0x9000, 4, 1u << 2, 0));
	EXPECT_EQ(-EINVAL, ioeventfd_call(vm, GUNYAH_VM_ADD_FUNCTION, efd,
					  0x9000, 4, 1u << 31, 0));

	EXPECT_EQ(-EINVAL, ioeventfd_add(vm, efd, 0x9000, 3));
	EXPECT_EQ(-EINVAL, ioeventfd_add(vm, efd, 0x9000, 5));
	EXPECT_EQ(-EINVAL, ioeventfd_add(vm, efd, 0x9000, 16));
	EXPECT_EQ(-EINVAL, ioeventfd_add(vm, efd, 0x9000, 0xffffffff));

	EXPECT_EQ(-EOVERFLOW, ioeventfd_add(vm, efd, UINT64_MAX, 1));
	EXPECT_EQ(-EOVERFLOW, ioeventfd_add(vm, efd, UINT64_MAX - 3, 8));

	EXPECT_EQ(-EBADF, ioeventfd_add(vm, -1, 0x9000, 4));
	EXPECT_EQ(-EBADF, ioeventfd_add(vm, 1000, 0x9000, 4));
	EXPECT_EQ(-EINVAL, ioeventfd_add(vm, self->notefd, 0x9000, 4));

	/* None of that left anything behind. */
	EXPECT_EQ(-ENOENT, ioeventfd_remove(vm, 0x9000));
	EXPECT_EQ(0, ioeventfd_add(vm, efd, 0x9000, 4));
	/* A range that ends at the last byte does not wrap. */
	EXPECT_EQ(0, ioeventfd_add(vm, efd, UINT64_MAX - 8, 8));
}

TEST_F(eventfd, ioeventfd_lengths_and_flags)
{
	static const uint32_t lens[] = { 0, 1, 2, 4, 8 };
	int vm = self->v.vm, efd = self->efd;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		EXPECT_EQ(0, ioeventfd_add(vm, efd, 0x1000 + 0x10 * i,
					   lens[i]));
		/* With DATAMATCH, and with crosvm's spelling of it */
		EXPECT_EQ(0, ioeventfd_call(vm, GUNYAH_VM_ADD_FUNCTION, efd,
					    0x2000 + 0x10 * i, lens[i],
					    GUNYAH_IOEVENTFD_FLAGS_DATAMATCH,
					    i));
		EXPECT_EQ(0, ioeventfd_call(vm, GUNYAH_VM_ADD_FUNCTION, efd,
					    0x3000 + 0x10 * i, lens[i], 1u << 1,
					    i));
		EXPECT_EQ(0, ioeventfd_call(vm, GUNYAH_VM_ADD_FUNCTION, efd,
					    0x4000 + 0x10 * i, lens[i], 3, i));
	}
}

TEST_F(eventfd, ioeventfd_one_per_address)
{
	int vm = self->v.vm, efd = self->efd, efd2 = self->efd2;

	ASSERT_EQ(0, ioeventfd_add(vm, efd, 0x8000, 4));
	/* Another length, any length, a datamatch, another eventfd */
	EXPECT_EQ(-EEXIST, ioeventfd_add(vm, efd, 0x8000, 4));
	EXPECT_EQ(-EEXIST, ioeventfd_add(vm, efd, 0x8000, 2));
	EXPECT_EQ(-EEXIST, ioeventfd_add(vm, efd, 0x8000, 0));
	EXPECT_EQ(-EEXIST, ioeventfd_add(vm, efd2, 0x8000, 8));
	EXPECT_EQ(-EEXIST, ioeventfd_call(vm, GUNYAH_VM_ADD_FUNCTION, efd,
					  0x8000, 4,
					  GUNYAH_IOEVENTFD_FLAGS_DATAMATCH, 1));

	/* Neighbours whose ranges overlap, as gunyah-test-vmm registers */
	EXPECT_EQ(0, ioeventfd_add(vm, efd, 0x8008, 4));
	EXPECT_EQ(0, ioeventfd_add(vm, efd2, 0x800a, 4));
	EXPECT_EQ(0, ioeventfd_add(vm, efd2, 0x8001, 1));
	EXPECT_EQ(0, ioeventfd_add(vm, efd2, 0x7ffc, 8));
}

TEST_F(eventfd, ioeventfd_remove_readd)
{
	int vm = self->v.vm, efd = self->efd;

	EXPECT_EQ(-ENOENT, ioeventfd_remove(vm, 0x8000));
	ASSERT_EQ(0, ioeventfd_call(vm, GUNYAH_VM_ADD_FUNCTION, efd, 0x8000, 4,
				    1u << 1, 0x1234));
	/* crosvm's removal: only the address set */
	EXPECT_EQ(0, ioeventfd_remove(vm, 0x8000));
	EXPECT_EQ(-ENOENT, ioeventfd_remove(vm, 0x8000));

	/* Re-added, then removed by its full argument */
	ASSERT_EQ(0, ioeventfd_add(vm, efd, 0x8000, 2));
	EXPECT_EQ(-ENOENT, ioeventfd_remove(vm, 0x8002));
	/* A length other than 0 must be the registered one. */
	EXPECT_EQ(-ENOENT, ioeventfd_call(vm, GUNYAH_VM_REMOVE_FUNCTION, efd,
					  0x8000, 4, 0, 0));
	EXPECT_EQ(0, ioeventfd_call(vm, GUNYAH_VM_REMOVE_FUNCTION, efd,
				    0x8000, 2, 0, 0));
	EXPECT_EQ(-ENOENT, ioeventfd_remove(vm, 0x8000));

	/* A neighbour's removal leaves the other one. */
	ASSERT_EQ(0, ioeventfd_add(vm, efd, 0x8008, 4));
	ASSERT_EQ(0, ioeventfd_add(vm, efd, 0x800a, 4));
	EXPECT_EQ(0, ioeventfd_remove(vm, 0x8008));
	EXPECT_EQ(-EEXIST, ioeventfd_add(vm, efd, 0x800a, 2));
	EXPECT_EQ(0, ioeventfd_add(vm, efd, 0x8008, 0));
}

/* An ioeventfd whose eventfd was closed still goes away cleanly. */
TEST_F(eventfd, ioeventfd_eventfd_closed)
{
	int vm = self->v.vm;

	ASSERT_EQ(0, ioeventfd_add(vm, self->efd, 0x6000, 4));
	ASSERT_EQ(0, ioeventfd_add(vm, self->efd2, 0x7000, 0));
	ASSERT_EQ(0, close(self->efd));
	self->efd = -1;
	EXPECT_EQ(0, ioeventfd_remove(vm, 0x6000));
	EXPECT_EQ(0, ioeventfd_remove(vm, 0x7000));
	ASSERT_EQ(0, close(self->efd2));
	self->efd2 = -1;
	ASSERT_EQ(0, close(self->notefd));
	self->notefd = -1;
	EXPECT_EQ(self->fds, gh_count_fds());
	/* Nothing is there any more. */
	EXPECT_EQ(-ENOENT, ioeventfd_remove(vm, 0x6000));
}

/*
 * Both functions on a VM that starts: the irqfd of the doorbell the VM's
 * configuration has (label 1) gets it at start, with the signal that came
 * before; functions added after start and removed before the VM goes
 * leave nothing behind.
 */
TEST_F(eventfd, started_vm)
{
	struct gh_vm v;
	int efd;

	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	gh_vm_init(&v);
	v.dev = self->v.dev;
	ASSERT_EQ(0, gh_vm_setup(&v, GH_STEP_SET_DTB_CONFIG));

	ASSERT_EQ(0, irqfd_add(v.vm, efd, 1, GUNYAH_IRQFD_FLAGS_LEVEL));
	ASSERT_EQ(0, ioeventfd_add(v.vm, efd, 0x9000, 4));
	ASSERT_EQ(0, eventfd_add(efd, 1));
	EXPECT_EQ(-EAGAIN, eventfd_count(efd));

	ASSERT_EQ(0, gh_start(v.vm));
	ASSERT_EQ(0, eventfd_add(efd, 1));
	EXPECT_EQ(-EAGAIN, eventfd_count(efd));
	/* Labels the RM gave nothing for are accepted, and do nothing. */
	EXPECT_EQ(0, irqfd_add(v.vm, efd, 2, 0));
	EXPECT_EQ(-EEXIST, irqfd_add(v.vm, efd, 1, 0));
	EXPECT_EQ(-EEXIST, ioeventfd_add(v.vm, efd, 0x9000, 0));
	EXPECT_EQ(0, ioeventfd_add(v.vm, efd, 0x9004, 4));

	EXPECT_EQ(0, irqfd_remove(v.vm, 1));
	EXPECT_EQ(0, ioeventfd_remove(v.vm, 0x9000));
	/* Added again to the running VM: it gets the doorbell at once. */
	EXPECT_EQ(0, irqfd_add(v.vm, efd, 1, 0));
	ASSERT_EQ(0, eventfd_add(efd, 1));
	EXPECT_EQ(-EAGAIN, eventfd_count(efd));

	/* The rest goes with the VM. */
	v.dev = -1;
	gh_vm_close(&v);
	ASSERT_EQ(0, close(efd));
	EXPECT_EQ(self->fds, gh_count_fds() - 3);
}

/* Many adds and removes, and the fds balance at the end. */
TEST_F(eventfd, add_remove_many)
{
	int vm = self->v.vm, i, efd;

	for (i = 0; i < 200; i++) {
		efd = eventfd(0, EFD_CLOEXEC);
		ASSERT_LE(0, efd);
		ASSERT_EQ(0, irqfd_add(vm, efd, 100 + i % 4,
				       i & 1 ? GUNYAH_IRQFD_FLAGS_LEVEL : 0));
		ASSERT_EQ(0, ioeventfd_add(vm, efd, 0x10000 + 8 * (i % 4),
					   8));
		/* Half closed before the removal, half after */
		if (i & 2)
			ASSERT_EQ(0, close(efd));
		ASSERT_EQ(0, irqfd_remove(vm, 100 + i % 4));
		ASSERT_EQ(0, ioeventfd_remove(vm, 0x10000 + 8 * (i % 4)));
		if (!(i & 2))
			ASSERT_EQ(0, close(efd));
	}
	/* The fixture's three fds are still open. */
	EXPECT_EQ(self->fds + 3, gh_count_fds());
}

/* The eventfd closed by another thread while the irqfd is removed */
struct closer {
	pthread_barrier_t go;
	int efd;
	int ret;
};

static void *closer_fn(void *arg)
{
	struct closer *c = arg;

	pthread_barrier_wait(&c->go);
	c->ret = close(c->efd);
	return NULL;
}

/*
 * The eventfd's release and the irqfd's removal race: each time one of
 * them takes the irqfd off the eventfd, the other waits for it, and the
 * fds balance at the end (a use after free shows in the kernel log).
 */
TEST_F(eventfd, close_races_remove)
{
	int vm = self->v.vm, i;
	struct closer c;
	pthread_t t;

	for (i = 0; i < 300; i++) {
		c.efd = eventfd(0, EFD_CLOEXEC);
		ASSERT_LE(0, c.efd);
		ASSERT_EQ(0, irqfd_add(vm, c.efd, 200,
				       i & 1 ? GUNYAH_IRQFD_FLAGS_LEVEL : 0));
		ASSERT_EQ(0, pthread_barrier_init(&c.go, NULL, 2));
		ASSERT_EQ(0, pthread_create(&t, NULL, closer_fn, &c));
		pthread_barrier_wait(&c.go);
		EXPECT_EQ(0, irqfd_remove(vm, 200));
		ASSERT_EQ(0, pthread_join(t, NULL));
		pthread_barrier_destroy(&c.go);
		ASSERT_EQ(0, c.ret);
	}
	EXPECT_EQ(self->fds + 3, gh_count_fds());
}

TEST_HARNESS_MAIN
