// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of the irqfd and ioeventfd functions with running simulated
 * guests: the doorbell an irqfd rings in edge and level mode, an irqfd
 * signalled before the VM starts, an eventfd closed under a live irqfd,
 * guest writes completed in the kernel by ioeventfds of each length with
 * and without datamatch, and the removal of each kind of function while a
 * vCPU runs. (The argument checks of both functions are elsewhere.)
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"
#include "gunyah_guest_test.h"

#define NO_IRQFD_FN	"no irqfd function (GUNYAH_FN_IRQFD) in this kernel"
#define NO_IOEVENTFD_FN	"no ioeventfd function (GUNYAH_FN_IOEVENTFD) in this kernel"

/* Add an irqfd for the doorbell: true if skipped for want of the function */
static bool add_irqfd(struct __test_metadata *_metadata, int vm, int fd,
		      uint32_t flags)
{
	int ret = gh_add_irqfd(vm, fd, GH_BELL_LABEL, flags);

	if (gh_fn_missing(ret))
		SKIP(return true, NO_IRQFD_FN);
	ASSERT_EQ(0, ret) TH_LOG("irqfd: %s", strerror(-ret));
	return false;
}

static int signal_eventfd(int fd)
{
	uint64_t one = 1;

	return write(fd, &one, sizeof(one)) == sizeof(one) ? 0 : -errno;
}

struct delayed_write {
	pthread_t thread;
	int fd;
	unsigned int ms;
};

static void *delayed_write_fn(void *data)
{
	struct delayed_write *w = data;

	gh_sleep_ms(w->ms);
	signal_eventfd(w->fd);
	return NULL;
}

/*
 * The guest of the irqfd tests: wait for the doorbell, acknowledge it,
 * store the flags it had to M(1), and again.
 */
static void bell_program(struct gh_prog *p, bool forever)
{
	gh_wait_bell(p, GH_BELL_LABEL);
	gh_ack_bell(p, GH_BELL_LABEL);
	gh_store_acc(p, 8, M(1));
	if (forever) {
		gh_jump(p, 0);
		return;
	}
	gh_wait_bell(p, GH_BELL_LABEL);
	gh_ack_bell(p, GH_BELL_LABEL);
	gh_store_acc(p, 8, M(1));
	gh_poweroff(p, 0);
}

FIXTURE(irqfd) {
	struct gh_guest g;
	struct gh_prog p;
	int efd;
};

/*
 * Edge: the doorbell's flag stays set until the guest acknowledges it, so
 * the guest receives 1. Level: the flag is cleared as the interrupt is
 * asserted (ack mask 1), so the guest receives 0.
 */
FIXTURE_VARIANT(irqfd) {
	uint32_t flags;
	uint64_t flags_seen;
};

FIXTURE_VARIANT_ADD(irqfd, edge) {
	.flags = 0,
	.flags_seen = 1,
};

FIXTURE_VARIANT_ADD(irqfd, level) {
	.flags = GUNYAH_IRQFD_FLAGS_LEVEL,
	.flags_seen = 0,
};

FIXTURE_SETUP(irqfd)
{
	gh_guest_init(&self->g);
	gh_prog_init(&self->p);
	self->efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, self->efd);
}

FIXTURE_TEARDOWN(irqfd)
{
	gh_guest_close(&self->g);
	if (self->efd >= 0)
		close(self->efd);
}

/*
 * A signal while the vCPU sleeps in the guest's wait wakes it; signals
 * before it runs are seen when it does.
 */
TEST_F(irqfd, wakes_sleeping_vcpu)
{
	struct delayed_write w = { .fd = self->efd, .ms = SLEEP_MS };

	bell_program(&self->p, false);
	if (guest_setup(_metadata, &self->g, &self->p, 1, 0))
		return;
	if (add_irqfd(_metadata, self->g.v.vm, self->efd, variant->flags))
		return;
	guest_start(_metadata, &self->g);

	ASSERT_EQ(0, pthread_create(&w.thread, NULL, delayed_write_fn, &w));
	RUN_TO_WRITE(0, M(1), 8, variant->flags_seen);
	pthread_join(w.thread, NULL);

	/* Twice before the guest looks: still one flag. */
	ASSERT_EQ(0, signal_eventfd(self->efd));
	ASSERT_EQ(0, signal_eventfd(self->efd));
	RUN_TO_WRITE(0, M(1), 8, variant->flags_seen);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
}

/* Signalled before the VM starts, the irqfd rings the doorbell once it can */
TEST_F(irqfd, signalled_before_start)
{
	bell_program(&self->p, false);
	if (guest_setup(_metadata, &self->g, &self->p, 1, 0))
		return;
	if (add_irqfd(_metadata, self->g.v.vm, self->efd, variant->flags))
		return;
	ASSERT_EQ(0, signal_eventfd(self->efd));
	guest_start(_metadata, &self->g);

	RUN_TO_WRITE(0, M(1), 8, variant->flags_seen);
	/* Once only: the guest waits for the second. */
	EXPECT_EQ(-ETIMEDOUT, gh_vcpu_run_timeout(self->g.vcpu[0], SLEEP_MS));
}

/*
 * The eventfd closed (EPOLLHUP) while the guest waits for its doorbell:
 * nothing rings, the function can still be removed, and a new irqfd for
 * the label works.
 */
TEST_F(irqfd, eventfd_closed)
{
	struct runner r = { .addr = M(1), .len = 8 };
	int efd2;

	r.data = variant->flags_seen;
	bell_program(&self->p, true);
	if (guest_setup(_metadata, &self->g, &self->p, 1, 0))
		return;
	if (add_irqfd(_metadata, self->g.v.vm, self->efd, variant->flags))
		return;
	guest_start(_metadata, &self->g);

	ASSERT_EQ(0, runner_start(&r, self->g.vcpu[0], self->g.run[0]));
	gh_sleep_ms(SLEEP_MS);
	ASSERT_EQ(0, close(self->efd));
	self->efd = -1;
	gh_sleep_ms(SLEEP_MS);
	EXPECT_FALSE(runner_done(&r)) TH_LOG("the guest woke: %s",
					     exit_str(r.run));

	EXPECT_EQ(0, gh_remove_irqfd(self->g.v.vm, GH_BELL_LABEL));
	EXPECT_EQ(-ENOENT, gh_remove_irqfd(self->g.v.vm, GH_BELL_LABEL));

	efd2 = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd2);
	ASSERT_EQ(0, gh_add_irqfd(self->g.v.vm, efd2, GH_BELL_LABEL,
				  variant->flags));
	ASSERT_EQ(0, signal_eventfd(efd2));
	ASSERT_TRUE(runner_wait(&r, RUN_MS)) TH_LOG("the new irqfd did not ring");
	EXPECT_EQ(0, r.ret) TH_LOG("%s", strerror(-r.ret));
	EXPECT_EQ(1, r.mmio_exits);
	EXPECT_EQ(0, r.bad_exits) TH_LOG("%s", exit_str(r.run));
	close(efd2);
}

/*
 * Removed while the vCPU sleeps in the guest's wait: the removal returns,
 * the eventfd no longer rings, and the runner still comes back on a signal.
 */
TEST_F(irqfd, remove_while_running)
{
	struct runner r = { .addr = M(1), .len = 8 };

	r.data = variant->flags_seen;
	bell_program(&self->p, true);
	if (guest_setup(_metadata, &self->g, &self->p, 1, 0))
		return;
	if (add_irqfd(_metadata, self->g.v.vm, self->efd, variant->flags))
		return;
	guest_start(_metadata, &self->g);
	gh_signal_ignore(SIGUSR1);

	/* Rung once, to see that it works. */
	ASSERT_EQ(0, signal_eventfd(self->efd));
	RUN_TO_WRITE(0, M(1), 8, variant->flags_seen);

	ASSERT_EQ(0, runner_start(&r, self->g.vcpu[0], self->g.run[0]));
	gh_sleep_ms(SLEEP_MS);
	ASSERT_FALSE(runner_done(&r)) TH_LOG("%s", exit_str(r.run));
	EXPECT_EQ(0, gh_remove_irqfd(self->g.v.vm, GH_BELL_LABEL));
	ASSERT_EQ(0, signal_eventfd(self->efd));
	gh_sleep_ms(SLEEP_MS);
	EXPECT_FALSE(runner_done(&r)) TH_LOG("a removed irqfd rang: %s",
					     exit_str(r.run));

	ASSERT_TRUE(runner_interrupt(&r, RUN_MS)) TH_LOG("the runner ignores signals");
	EXPECT_EQ(-EINTR, r.ret);
}

/*
 * ioeventfds: a guest writes to the registered address with each width,
 * with the datamatch value and with another; the writes that match the
 * length (any, with len 0) and the data (with datamatch) are completed in
 * the kernel and counted by the eventfd, all others exit to userspace.
 */
#define IO_ADDR		M(5)
#define IO_SENTINEL	M(9)
#define IO_OTHER	0xa5a5a5a5a5a5a5a5ULL

FIXTURE(ioeventfd) {
	struct gh_guest g;
	struct gh_prog p;
	int efd;
};

FIXTURE_VARIANT(ioeventfd) {
	uint32_t len;
	bool datamatch;
	uint64_t value;		/* the datamatch value, within len bytes */
};

FIXTURE_VARIANT_ADD(ioeventfd, len0_any) {
	.len = 0,
	.datamatch = false,
	.value = 0x5a,
};

FIXTURE_VARIANT_ADD(ioeventfd, len0_datamatch) {
	.len = 0,
	.datamatch = true,
	.value = 0x5a,
};

FIXTURE_VARIANT_ADD(ioeventfd, len1_any) {
	.len = 1,
	.datamatch = false,
	.value = 0x11,
};

FIXTURE_VARIANT_ADD(ioeventfd, len1_datamatch) {
	.len = 1,
	.datamatch = true,
	.value = 0x11,
};

FIXTURE_VARIANT_ADD(ioeventfd, len2_any) {
	.len = 2,
	.datamatch = false,
	.value = 0x2211,
};

FIXTURE_VARIANT_ADD(ioeventfd, len2_datamatch) {
	.len = 2,
	.datamatch = true,
	.value = 0x2211,
};

FIXTURE_VARIANT_ADD(ioeventfd, len4_any) {
	.len = 4,
	.datamatch = false,
	.value = 0x44332211,
};

FIXTURE_VARIANT_ADD(ioeventfd, len4_datamatch) {
	.len = 4,
	.datamatch = true,
	.value = 0x44332211,
};

FIXTURE_VARIANT_ADD(ioeventfd, len8_any) {
	.len = 8,
	.datamatch = false,
	.value = 0x8877665544332211ULL,
};

FIXTURE_VARIANT_ADD(ioeventfd, len8_datamatch) {
	.len = 8,
	.datamatch = true,
	.value = 0x8877665544332211ULL,
};

FIXTURE_SETUP(ioeventfd)
{
	gh_guest_init(&self->g);
	gh_prog_init(&self->p);
	self->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
}

FIXTURE_TEARDOWN(ioeventfd)
{
	gh_guest_close(&self->g);
	close(self->efd);
}

static uint64_t width_mask(uint32_t w)
{
	return w >= 8 ? ~0ULL : (1ULL << (8 * w)) - 1;
}

struct io_write {
	uint32_t width;
	uint64_t data;
	bool in_kernel;
};

TEST_F(ioeventfd, writes)
{
	static const uint32_t widths[] = { 1, 2, 4, 8 };
	struct io_write io[8];
	unsigned int i, n = 0, next, in_kernel = 0;
	uint32_t flags = variant->datamatch ? GUNYAH_IOEVENTFD_FLAGS_DATAMATCH : 0;
	struct gunyah_vcpu_run *run;
	uint64_t count;
	int ret;

	for (i = 0; i < 4; i++) {
		uint32_t w = widths[i];
		bool len_ok = !variant->len || variant->len == w;

		io[n].width = w;
		io[n].data = variant->value & width_mask(w);
		io[n].in_kernel = len_ok && (!variant->datamatch ||
					     io[n].data == variant->value);
		n++;
		io[n].width = w;
		io[n].data = IO_OTHER & width_mask(w);
		io[n].in_kernel = len_ok && !variant->datamatch;
		n++;
	}
	for (i = 0; i < n; i++) {
		gh_store(&self->p, io[i].width, IO_ADDR, io[i].data);
		in_kernel += io[i].in_kernel;
	}
	gh_store(&self->p, 4, IO_SENTINEL, 0xdead);
	gh_poweroff(&self->p, 0);
	if (guest_setup(_metadata, &self->g, &self->p, 1, 0))
		return;
	ret = gh_add_ioeventfd(self->g.v.vm, self->efd, IO_ADDR, variant->len,
			       flags, variant->datamatch ? variant->value : 0);
	if (gh_fn_missing(ret))
		SKIP(return, NO_IOEVENTFD_FN);
	/* Like KVM's, datamatch may need a length to compare. */
	if (!variant->len && variant->datamatch && ret == -EINVAL)
		SKIP(return, "datamatch with len 0 (any length) is refused");
	ASSERT_EQ(0, ret) TH_LOG("ioeventfd: %s", strerror(-ret));
	guest_start(_metadata, &self->g);
	run = self->g.run[0];

	for (next = 0;; next++) {
		while (next < n && io[next].in_kernel)
			next++;
		RUN(0);
		ASSERT_EQ(GUNYAH_VCPU_EXIT_MMIO, run->exit_reason)
			TH_LOG("%s", exit_str(run));
		if (run->mmio.phys_addr == IO_SENTINEL)
			break;
		ASSERT_GT(n, next) TH_LOG("unexpected exit: %s", exit_str(run));
		EXPECT_MMIO(0, true, IO_ADDR, io[next].width);
		EXPECT_EQ(io[next].data, gh_mmio_data(run)) TH_LOG("write %u", next);
	}
	EXPECT_EQ(n, next) TH_LOG("writes %u..%u did not exit", next, n - 1);
	EXPECT_MMIO(0, true, IO_SENTINEL, 4);

	ASSERT_EQ(0, gh_eventfd_count(self->efd, &count));
	EXPECT_EQ(in_kernel, count);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
}

/* Removal of the functions while a vCPU runs */
FIXTURE(remove) {
	struct gh_guest g;
	struct gh_prog p;
	int efd;
};

FIXTURE_SETUP(remove)
{
	gh_guest_init(&self->g);
	gh_prog_init(&self->p);
	self->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
}

FIXTURE_TEARDOWN(remove)
{
	gh_guest_close(&self->g);
	close(self->efd);
}

/*
 * The guest writes to an ioeventfd's address in a loop, all in the kernel;
 * once the ioeventfd is removed, the next write exits to the runner.
 */
TEST_F(remove, ioeventfd_while_running)
{
	struct runner r = { .addr = IO_ADDR, .len = 4, .data = 1 };
	uint64_t count;
	int ret;

	gh_store(&self->p, 4, IO_ADDR, 1);
	gh_jump(&self->p, 0);
	if (guest_setup(_metadata, &self->g, &self->p, 1, 0))
		return;
	ret = gh_add_ioeventfd(self->g.v.vm, self->efd, IO_ADDR, 4, 0, 0);
	if (gh_fn_missing(ret))
		SKIP(return, NO_IOEVENTFD_FN);
	ASSERT_EQ(0, ret) TH_LOG("ioeventfd: %s", strerror(-ret));
	guest_start(_metadata, &self->g);

	ASSERT_EQ(0, runner_start(&r, self->g.vcpu[0], self->g.run[0]));
	gh_sleep_ms(SLEEP_MS);
	ASSERT_FALSE(runner_done(&r)) TH_LOG("%s", r.ret ? strerror(-r.ret) :
					     exit_str(r.run));
	ASSERT_EQ(0, gh_eventfd_count(self->efd, &count));
	EXPECT_LT(0, count);

	EXPECT_EQ(0, gh_remove_ioeventfd(self->g.v.vm, self->efd, IO_ADDR, 4,
					 0, 0));
	ASSERT_TRUE(runner_wait(&r, RUN_MS)) TH_LOG("writes still completed in the kernel");
	EXPECT_EQ(0, r.ret) TH_LOG("%s", strerror(-r.ret));
	EXPECT_EQ(1, r.mmio_exits);
	EXPECT_EQ(0, r.bad_exits) TH_LOG("%s", exit_str(r.run));
	EXPECT_EQ(-ENOENT, gh_remove_ioeventfd(self->g.v.vm, self->efd,
					       IO_ADDR, 4, 0, 0));
}

/*
 * The vCPU function removed while its runner sleeps (the guest waits for
 * its doorbell) or loops in the kernel (the guest yields forever): the
 * removal returns and the runner comes back with ENODEV, as does every
 * later run.
 */
static void remove_vcpu_while_running(struct __test_metadata *_metadata,
				      struct gh_guest *g,
				      const struct gh_prog *p)
{
	struct runner r = {};

	if (guest_up(_metadata, g, p, 1, 0))
		return;
	ASSERT_EQ(0, runner_start(&r, g->vcpu[0], g->run[0]));
	gh_sleep_ms(SLEEP_MS);
	ASSERT_FALSE(runner_done(&r)) TH_LOG("%s", r.ret ? strerror(-r.ret) :
					     exit_str(r.run));

	EXPECT_EQ(0, gh_remove_vcpu(g->v.vm, 0));
	ASSERT_TRUE(runner_wait(&r, RUN_MS)) TH_LOG("the runner stays in VCPU_RUN");
	EXPECT_EQ(-ENODEV, r.ret) TH_LOG("%s", r.ret ? strerror(-r.ret) :
					 exit_str(r.run));
	EXPECT_EQ(-ENODEV, gh_vcpu_run_timeout(g->vcpu[0], RUN_MS));
}

TEST_F(remove, vcpu_while_sleeping)
{
	gh_wait_bell(&self->p, GH_BELL_LABEL);
	gh_poweroff(&self->p, 0);
	remove_vcpu_while_running(_metadata, &self->g, &self->p);
}

TEST_F(remove, vcpu_while_looping)
{
	gh_yield(&self->p);
	gh_jump(&self->p, 0);
	remove_vcpu_while_running(_metadata, &self->g, &self->p);
}

TEST_HARNESS_MAIN
