// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of vCPU fds with simulated guests: every exit type (MMIO reads and
 * writes of each width, the VM's status after power-off, crash and reset,
 * page faults the kernel cannot serve), every resume action, immediate_exit,
 * signals, concurrent runners, running before start and after exit, a
 * second vCPU powered on by the first, and the states the kernel handles
 * without an exit. Each runs on both profiles of the simulated Resource
 * Manager; where they differ, GUNYAH_CAP_DEMAND_PAGING tells which it is.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"
#include "gunyah_guest_test.h"

FIXTURE(vcpu) {
	struct gh_guest g;
	struct gh_prog p;
};

FIXTURE_SETUP(vcpu)
{
	gh_guest_init(&self->g);
	gh_prog_init(&self->p);
}

FIXTURE_TEARDOWN(vcpu)
{
	gh_guest_close(&self->g);
}

/*
 * The run page is a page; a VMM that maps 4096 bytes without asking gets
 * the same page: immediate_exit set through it is seen, and the exit is
 * reported in it.
 */
TEST_F(vcpu, run_page)
{
	struct gunyah_vcpu_run *run;

	gh_poweroff(&self->p, 3);
	if (guest_setup(_metadata, &self->g, &self->p, 1, 0))
		return;
	EXPECT_EQ((int)page_size(), gh_ioctl_val(self->g.vcpu[0],
						 GUNYAH_VCPU_MMAP_SIZE, 0));
	run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->g.vcpu[0], 0);
	ASSERT_NE(MAP_FAILED, run);
	ASSERT_EQ(0, gh_guest_start(&self->g));

	run->immediate_exit = 1;
	EXPECT_EQ(-EINTR, gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS));
	EXPECT_EQ(1, self->g.run[0]->immediate_exit);
	run->immediate_exit = 0;
	RUN(0);
	EXPECT_EQ(GUNYAH_VCPU_EXIT_STATUS, run->exit_reason);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 3 << 16);
	munmap(run, 4096);
}

/* Guest stores of each width: address, length and data as written */
TEST_F(vcpu, mmio_write_widths)
{
	static const uint32_t widths[] = { 1, 2, 4, 8 };
	const uint64_t val = 0x8877665544332211ULL;
	unsigned int i;

	for (i = 0; i < 4; i++)
		gh_store(&self->p, widths[i], M(widths[i]), val);
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;

	for (i = 0; i < 4; i++) {
		uint64_t mask = widths[i] == 8 ? ~0ULL :
				(1ULL << (8 * widths[i])) - 1;

		RUN_TO_WRITE(0, M(widths[i]), widths[i], val & mask);
		EXPECT_EQ(GUNYAH_VCPU_RESUME_HANDLED,
			  self->g.run[0]->mmio.resume_action);
	}
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
}

/*
 * Guest loads of each width: the exit names the access; the data the VMM
 * returns (resume action HANDLED) reaches the guest, which stores it to
 * another address.
 */
TEST_F(vcpu, mmio_read_widths)
{
	static const uint32_t widths[] = { 1, 2, 4, 8 };
	static const uint64_t vals[] = {
		0xa5, 0xb6c7, 0xd8e9fa0b, 0x0123456789abcdefULL,
	};
	unsigned int i;

	for (i = 0; i < 4; i++) {
		gh_load(&self->p, widths[i], M(16 + widths[i]));
		gh_store_acc(&self->p, 8, M(32));
	}
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;

	for (i = 0; i < 4; i++) {
		RUN(0);
		EXPECT_MMIO(0, false, M(16 + widths[i]), widths[i]);
		EXPECT_EQ(GUNYAH_VCPU_RESUME_HANDLED,
			  self->g.run[0]->mmio.resume_action);
		gh_mmio_set_data(self->g.run[0], vals[i]);
		RUN_TO_WRITE(0, M(32), 8, vals[i]);
	}
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
}

/* After the VM exited, every run reports it again */
TEST_F(vcpu, poweroff_status)
{
	int i;

	gh_store(&self->p, 4, M(1), 1);
	gh_poweroff(&self->p, 0x1234);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;

	RUN_TO_WRITE(0, M(1), 4, 1);
	for (i = 0; i < 3; i++) {
		memset(&self->g.run[0]->status, 0xff,
		       sizeof(self->g.run[0]->status));
		RUN(0);
		EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF,
			      0x1234U << 16);
		EXPECT_EQ(4, self->g.run[0]->status.exit_info.reason_size);
	}
}

TEST_F(vcpu, crash_status)
{
	int i;

	gh_store(&self->p, 4, M(1), 1);
	gh_crash(&self->p);
	gh_store(&self->p, 4, M(2), 2);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;

	RUN_TO_WRITE(0, M(1), 4, 1);
	for (i = 0; i < 3; i++) {
		memset(&self->g.run[0]->status, 0xff,
		       sizeof(self->g.run[0]->status));
		RUN(0);
		EXPECT_STATUS(0, GUNYAH_VM_STATUS_CRASHED, EXIT_TYPE_SW_ERROR,
			      1U << 16);
	}
}

/* An instruction the simulator does not know faults the vCPU */
TEST_F(vcpu, invalid_instruction_crashes)
{
	gh_store(&self->p, 4, M(1), 1);
	gh_emit(&self->p, 0x7fff, 0, 0, 0);
	gh_store(&self->p, 4, M(2), 2);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;

	RUN_TO_WRITE(0, M(1), 4, 1);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_CRASHED, EXIT_TYPE_SW_ERROR, 1U << 16);
}

TEST_F(vcpu, reset_status)
{
	int i;

	gh_reset(&self->p, false, 0);
	gh_store(&self->p, 4, M(2), 2);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;

	for (i = 0; i < 2; i++) {
		RUN(0);
		EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_RESET, 0);
	}
}

/* SYSTEM_RESET2: the reset type in reason word 1 */
TEST_F(vcpu, reset2_status)
{
	int i;

	gh_reset(&self->p, true, 0x80000005);
	gh_store(&self->p, 4, M(2), 2);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;

	for (i = 0; i < 2; i++) {
		RUN(0);
		EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_RESET2, 0);
		/* Four words from the RM: the first two fit. */
		EXPECT_EQ(8, self->g.run[0]->status.exit_info.reason_size);
		EXPECT_EQ(0x80000005, gh_reason_word(self->g.run[0], 1));
	}
}

/*
 * Guest-memory-fd memory outside the devicetree's binding, on an RM with
 * demand paging: the kernel provides it page by page as the guest touches
 * it, without an exit, and the guest reads what the host wrote there and
 * reads back what it wrote. (Without demand paging, the simulator reads
 * only the parcel holding the image: the same program then runs on memory
 * of that parcel, lent at start.)
 */
TEST_F(vcpu, data_memory_without_exit)
{
	const uint64_t a = GH_GUEST_DATA + 0x1000, b = GH_GUEST_DATA + 0x42000;
	const uint64_t val = 0x1122334455667788ULL;
	uint64_t calls0 = 0, runs0 = 0, calls1, runs1;
	int demand = gh_rm_demand_paging();
	bool counters;

	ASSERT_LE(0, demand) TH_LOG("GUNYAH_CAP_DEMAND_PAGING: %s", strerror(-demand));
	gh_load(&self->p, 8, a);
	gh_store_acc(&self->p, 8, M(1));
	gh_store(&self->p, 8, b, 0x77);
	gh_load(&self->p, 2, b);
	gh_store_acc(&self->p, 8, M(1));
	gh_poweroff(&self->p, 0);
	if (guest_setup(_metadata, &self->g, &self->p, 1,
			demand ? 0 : GH_GUEST_ONE_BINDING))
		return;
	ASSERT_EQ(demand, self->g.demand_paging);
	ASSERT_EQ(0, gh_mem_write(self->g.v.mem, a - GUEST_BASE, &val,
				  sizeof(val)));
	guest_start(_metadata, &self->g);
	TH_LOG("data %s", demand ? "in a binding paged in on demand" :
	       "in the image's binding, lent at start");

	counters = !gh_sim_hypercalls(&calls0, &runs0);
	RUN_TO_WRITE(0, M(1), 8, val);
	if (counters && demand) {
		/* At least the fault, the provision and the retry */
		ASSERT_EQ(0, gh_sim_hypercalls(&calls1, &runs1));
		EXPECT_LE(2, runs1 - runs0);
		EXPECT_LT(runs1 - runs0, calls1 - calls0);
	}
	RUN_TO_WRITE(0, M(1), 8, 0x77);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
}

/*
 * Memory that is not there: the guest faults (public RM); an RM with
 * demand paging asks the host first, which has nothing to give: a
 * PAGE_FAULT exit, after which the preset resume action faults the guest.
 */
TEST_F(vcpu, missing_memory)
{
	const uint64_t addr = GUEST_BASE + 0x1000000;
	struct gunyah_vcpu_run *run;

	gh_store(&self->p, 4, M(1), 1);
	gh_load(&self->p, 8, addr);
	gh_store_acc(&self->p, 8, M(2));
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;
	run = self->g.run[0];

	RUN_TO_WRITE(0, M(1), 4, 1);
	RUN(0);
	if (run->exit_reason == GUNYAH_VCPU_EXIT_PAGE_FAULT) {
		ASSERT_TRUE(self->g.demand_paging) TH_LOG("%s", exit_str(run));
		EXPECT_EQ(addr & ~(page_size() - 1),
			  run->page_fault.phys_addr & ~(page_size() - 1));
		EXPECT_EQ(-ENOENT, run->page_fault.attempt);
		EXPECT_EQ(GUNYAH_VCPU_RESUME_FAULT, run->page_fault.resume_action);
		RUN(0);
	}
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_CRASHED, EXIT_TYPE_SW_ERROR, 1U << 16);
}

/*
 * A PAGE_FAULT exit the kernel cannot avoid: the address is in a range the
 * RM pages in on demand, but its binding was removed after start. The exit
 * names the address and the kernel's errno, with resume action FAULT
 * preset; RETRY faults again, FAULT crashes the guest.
 */
TEST_F(vcpu, page_fault_exit)
{
	const uint64_t addr = GH_GUEST_DATA + 0x3000;
	uint64_t page = ~(page_size() - 1);
	struct gunyah_vcpu_run *run;
	int i;

	gh_load(&self->p, 8, addr);
	gh_store_acc(&self->p, 8, M(1));
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;
	if (!self->g.demand_paging)
		SKIP(return, "the %s RM has no demand paging: %s",
		     gh_profile(), "no PAGE_FAULT exits (see missing_memory)");
	run = self->g.run[0];
	ASSERT_EQ(0, gh_unmap_mem(self->g.v.vm, self->g.v.mem, GH_GUEST_DATA,
				  GH_GUEST_IMAGE_SIZE, GH_GUEST_DATA_SIZE));

	for (i = 0; i < 3; i++) {
		RUN(0);
		ASSERT_EQ(GUNYAH_VCPU_EXIT_PAGE_FAULT, run->exit_reason)
			TH_LOG("%s", exit_str(run));
		EXPECT_EQ(addr & page, run->page_fault.phys_addr & page);
		EXPECT_EQ(-ENOENT, run->page_fault.attempt);
		EXPECT_EQ(GUNYAH_VCPU_RESUME_FAULT, run->page_fault.resume_action);
		/* Retried, the access faults again. */
		run->page_fault.resume_action = GUNYAH_VCPU_RESUME_RETRY;
	}
	run->page_fault.resume_action = GUNYAH_VCPU_RESUME_FAULT;
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_CRASHED, EXIT_TYPE_SW_ERROR, 1U << 16);
}

/*
 * RETRY: the access is made again, so it exits again, with HANDLED preset;
 * on an RM without demand paging the hypervisor cannot retry: EOPNOTSUPP,
 * and the exit stays pending for another resume action.
 */
TEST_F(vcpu, resume_retry)
{
	struct gunyah_vcpu_run *run;
	int i, ret;

	gh_store(&self->p, 4, M(1), 0x11);
	gh_load(&self->p, 4, M(3));
	gh_store_acc(&self->p, 4, M(4));
	gh_store(&self->p, 4, M(2), 0x22);
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;
	run = self->g.run[0];

	RUN_TO_WRITE(0, M(1), 4, 0x11);
	for (i = 0; i < 2; i++) {
		run->mmio.resume_action = GUNYAH_VCPU_RESUME_RETRY;
		ret = gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS);
		if (!self->g.demand_paging) {
			EXPECT_EQ(-EOPNOTSUPP, ret);
			break;
		}
		ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
		EXPECT_MMIO(0, true, M(1), 4);
		EXPECT_EQ(0x11, gh_mmio_data(run));
		EXPECT_EQ(GUNYAH_VCPU_RESUME_HANDLED, run->mmio.resume_action);
	}
	/* The exit is still the store's. */
	EXPECT_MMIO(0, true, M(1), 4);
	run->mmio.resume_action = GUNYAH_VCPU_RESUME_HANDLED;

	/* A load retried is loaded again; its data comes with HANDLED. */
	RUN(0);
	EXPECT_MMIO(0, false, M(3), 4);
	run->mmio.resume_action = GUNYAH_VCPU_RESUME_RETRY;
	ret = gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS);
	if (self->g.demand_paging) {
		ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
		EXPECT_MMIO(0, false, M(3), 4);
		EXPECT_EQ(GUNYAH_VCPU_RESUME_HANDLED, run->mmio.resume_action);
	} else {
		EXPECT_EQ(-EOPNOTSUPP, ret);
		EXPECT_MMIO(0, false, M(3), 4);
		run->mmio.resume_action = GUNYAH_VCPU_RESUME_HANDLED;
	}
	gh_mmio_set_data(run, 0x5a5a);
	RUN_TO_WRITE(0, M(4), 4, 0x5a5a);
	RUN_TO_WRITE(0, M(2), 4, 0x22);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
}

/* FAULT: the guest takes a fault and crashes; EOPNOTSUPP without demand paging */
TEST_F(vcpu, resume_fault)
{
	struct gunyah_vcpu_run *run;
	int ret;

	gh_store(&self->p, 4, M(1), 0x11);
	gh_store(&self->p, 4, M(2), 0x22);
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;
	run = self->g.run[0];

	RUN_TO_WRITE(0, M(1), 4, 0x11);
	run->mmio.resume_action = GUNYAH_VCPU_RESUME_FAULT;
	ret = gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS);
	if (self->g.demand_paging) {
		ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
		EXPECT_STATUS(0, GUNYAH_VM_STATUS_CRASHED, EXIT_TYPE_SW_ERROR,
			      1U << 16);
		return;
	}
	EXPECT_EQ(-EOPNOTSUPP, ret);
	EXPECT_MMIO(0, true, M(1), 4);
	run->mmio.resume_action = GUNYAH_VCPU_RESUME_HANDLED;
	RUN_TO_WRITE(0, M(2), 4, 0x22);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
}

/* An unknown resume action is refused and leaves the exit pending */
TEST_F(vcpu, resume_unknown)
{
	static const uint8_t bad[] = { 3, 0x80, 0xff };
	struct gunyah_vcpu_run *run;
	unsigned int i;

	gh_store(&self->p, 4, M(1), 0x11);
	gh_store(&self->p, 4, M(2), 0x22);
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;
	run = self->g.run[0];

	RUN_TO_WRITE(0, M(1), 4, 0x11);
	for (i = 0; i < sizeof(bad); i++) {
		run->mmio.resume_action = bad[i];
		EXPECT_EQ(-EINVAL, gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS))
			TH_LOG("resume action %u", bad[i]);
	}
	EXPECT_MMIO(0, true, M(1), 4);
	run->mmio.resume_action = GUNYAH_VCPU_RESUME_HANDLED;
	RUN_TO_WRITE(0, M(2), 4, 0x22);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
}

/*
 * immediate_exit: EINTR without running the vCPU (the simulator counts
 * no vcpu_run call), before the first run and with an exit pending.
 */
TEST_F(vcpu, immediate_exit)
{
	uint64_t calls0, runs0, calls1, runs1;
	struct gunyah_vcpu_run *run;
	bool counters;
	int i;

	gh_store(&self->p, 4, M(1), 1);
	gh_store(&self->p, 4, M(1), 2);
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;
	run = self->g.run[0];
	counters = !gh_sim_hypercalls(&calls0, &runs0);
	if (!counters)
		TH_LOG("%s is missing: not counting vcpu_run calls",
		       GUNYAH_SIM_HYPERCALLS);

	for (i = 1; i <= 2; i++) {
		run->immediate_exit = 1;
		EXPECT_EQ(-EINTR, gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS));
		EXPECT_EQ(-EINTR, gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS));
		if (counters) {
			ASSERT_EQ(0, gh_sim_hypercalls(&calls1, &runs1));
			EXPECT_EQ(runs0, runs1);
		}
		run->immediate_exit = 0;
		/* Nothing ran: the next store is the one that follows. */
		RUN_TO_WRITE(0, M(1), 4, i);
		if (counters)
			ASSERT_EQ(0, gh_sim_hypercalls(&calls0, &runs0));
	}
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
}

struct signaller {
	pthread_t target;
	pthread_t thread;
	int delay_ms;
	int stop;
};

/* Signal the target after a delay, and again until told to stop */
static void *signaller_fn(void *data)
{
	struct signaller *s = data;

	gh_sleep_ms(s->delay_ms);
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		pthread_kill(s->target, SIGUSR1);
		gh_sleep_ms(100);
	}
	return NULL;
}

/*
 * A vCPU sleeping until its doorbell rings comes back with EINTR on a
 * signal, and runs on afterwards: with the irqfd function, the doorbell
 * then wakes it; without, it sleeps again.
 */
TEST_F(vcpu, signal_interrupts_wait)
{
	struct signaller s = { .target = pthread_self(), .delay_ms = SLEEP_MS };
	uint64_t one = 1;
	int efd, ret, irqfd_ret;

	gh_wait_bell(&self->p, GH_BELL_LABEL);
	gh_ack_bell(&self->p, GH_BELL_LABEL);
	gh_store_acc(&self->p, 8, M(1));
	gh_poweroff(&self->p, 0);
	if (guest_setup(_metadata, &self->g, &self->p, 1, 0))
		return;
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	irqfd_ret = gh_add_irqfd(self->g.v.vm, efd, GH_BELL_LABEL, 0);
	if (irqfd_ret)
		ASSERT_TRUE(gh_fn_missing(irqfd_ret))
			TH_LOG("irqfd: %s", strerror(-irqfd_ret));
	ASSERT_EQ(0, gh_guest_start(&self->g));

	gh_signal_ignore(SIGUSR1);
	ASSERT_EQ(0, pthread_create(&s.thread, NULL, signaller_fn, &s));
	ret = gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS);
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	pthread_join(s.thread, NULL);
	ASSERT_EQ(-EINTR, ret) TH_LOG("%s", ret ? strerror(-ret) :
				      exit_str(self->g.run[0]));

	if (irqfd_ret) {
		TH_LOG("no irqfd function: checking that the vCPU sleeps again");
		EXPECT_EQ(-ETIMEDOUT, gh_vcpu_run_timeout(self->g.vcpu[0],
							  SLEEP_MS));
		close(efd);
		return;
	}
	ASSERT_EQ(sizeof(one), write(efd, &one, sizeof(one)));
	RUN_TO_WRITE(0, M(1), 8, 1);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
	close(efd);
}

/*
 * Two threads run one vCPU whose guest stores N times: each store is
 * reported to exactly one of them (a thread may miss the last one it got
 * if the other's STATUS exit overwrote the run page before it looked), no
 * run fails (the second waits), and both see the VM's exit.
 */
TEST_F_TIMEOUT(vcpu, concurrent_runners, 120)
{
	const unsigned int n = 200;
	struct runner r[2] = {};
	unsigned int i, total;

	gh_set_counter(&self->p, n);
	gh_store(&self->p, 4, M(1), 0xc0ffee);
	gh_loop(&self->p, 1);
	gh_poweroff(&self->p, 9);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;

	for (i = 0; i < 2; i++) {
		r[i].loop = true;
		r[i].addr = M(1);
		r[i].len = 4;
		r[i].data = 0xc0ffee;
		ASSERT_EQ(0, runner_start(&r[i], self->g.vcpu[0], self->g.run[0]));
	}
	for (i = 0; i < 2; i++)
		ASSERT_TRUE(runner_wait(&r[i], 60000)) TH_LOG("runner %u hangs", i);

	total = r[0].mmio_exits + r[1].mmio_exits;
	TH_LOG("exits: %u and %u of %u", r[0].mmio_exits, r[1].mmio_exits, n);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, r[i].ret) TH_LOG("runner %u: %s", i, strerror(-r[i].ret));
		EXPECT_EQ(0, r[i].other_exits);
		EXPECT_EQ(0, r[i].bad_exits);
	}
	EXPECT_GE(n, total);
	EXPECT_LE(n - 2, total);
	/* Whichever thread missed its last store saw the VM's exit instead. */
	EXPECT_EQ(2, r[0].status + r[1].status);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 9U << 16);
}

/*
 * While one thread runs a sleeping vCPU, a second VCPU_RUN waits: it does
 * not return and makes no vcpu_run call, and a signal takes it out (EINTR)
 * without disturbing the first.
 */
TEST_F(vcpu, concurrent_runner_waits)
{
	uint64_t calls0, runs0, calls1, runs1, calls2, runs2;
	struct runner r[2] = {};
	bool counters, stable;

	gh_wait_bell(&self->p, GH_BELL_LABEL);
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;
	gh_signal_ignore(SIGUSR1);

	ASSERT_EQ(0, runner_start(&r[0], self->g.vcpu[0], self->g.run[0]));
	gh_sleep_ms(SLEEP_MS);
	ASSERT_FALSE(runner_done(&r[0]))
		TH_LOG("the sleeping vCPU came back: %s", strerror(-r[0].ret));

	/* With the vCPU asleep, the simulator counts no vcpu_run calls. */
	counters = !gh_sim_hypercalls(&calls0, &runs0);
	gh_sleep_ms(SLEEP_MS);
	stable = counters && !gh_sim_hypercalls(&calls1, &runs1) &&
		 runs1 == runs0;
	if (!stable)
		TH_LOG("vcpu_run calls not counted or not still: not checking them");

	ASSERT_EQ(0, runner_start(&r[1], self->g.vcpu[0], self->g.run[0]));
	gh_sleep_ms(SLEEP_MS);
	EXPECT_FALSE(runner_done(&r[1]))
		TH_LOG("the second runner came back: %s", strerror(-r[1].ret));
	if (stable) {
		ASSERT_EQ(0, gh_sim_hypercalls(&calls2, &runs2));
		EXPECT_EQ(runs1, runs2) TH_LOG("the second runner ran the vCPU");
	}

	ASSERT_TRUE(runner_interrupt(&r[1], RUN_MS)) TH_LOG("the waiting runner ignores signals");
	EXPECT_EQ(-EINTR, r[1].ret);
	EXPECT_FALSE(runner_done(&r[0]));

	ASSERT_TRUE(runner_interrupt(&r[0], RUN_MS)) TH_LOG("the sleeping runner ignores signals");
	EXPECT_EQ(-EINTR, r[0].ret);
}

/* A vCPU of a VM that is not started cannot run yet: ENODEV, then it can */
TEST_F(vcpu, run_before_start)
{
	gh_store(&self->p, 4, M(1), 1);
	gh_poweroff(&self->p, 0);
	if (guest_setup(_metadata, &self->g, &self->p, 1, 0))
		return;

	EXPECT_EQ(-ENODEV, gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS));
	EXPECT_EQ(-ENODEV, gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS));
	ASSERT_EQ(0, gh_guest_start(&self->g));
	RUN_TO_WRITE(0, M(1), 4, 1);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
}

/* The fd of a removed vCPU function runs nothing: ENODEV */
TEST_F(vcpu, run_after_remove)
{
	gh_store(&self->p, 4, M(1), 1);
	gh_store(&self->p, 4, M(1), 2);
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;

	RUN_TO_WRITE(0, M(1), 4, 1);
	ASSERT_EQ(0, gh_remove_vcpu(self->g.v.vm, 0));
	EXPECT_EQ(-ENODEV, gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS));
	EXPECT_EQ(-ENODEV, gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS));
	EXPECT_EQ(-ENOENT, gh_remove_vcpu(self->g.v.vm, 0));
}

/*
 * The boot vCPU powers on the second (PSCI CPU_ON) and waits in an MMIO
 * read; the second, whose runner slept while it was off, stores and powers
 * itself off; its runner sleeps again until the boot vCPU powers the VM
 * off.
 */
TEST_F(vcpu, cpu_on_second_vcpu)
{
	struct runner r = {};
	unsigned int second;

	gh_cpu_on(&self->p, 1, 4);
	gh_load(&self->p, 4, M(1));
	gh_poweroff(&self->p, 5);
	gh_crash(&self->p);
	second = gh_store(&self->p, 4, M(2), 0x22);
	gh_cpu_off(&self->p);
	gh_crash(&self->p);
	ASSERT_EQ(4, second);
	if (guest_up(_metadata, &self->g, &self->p, 2, 0))
		return;

	/* Powered off, the second vCPU sleeps. */
	r.addr = M(2);
	r.len = 4;
	r.data = 0x22;
	ASSERT_EQ(0, runner_start(&r, self->g.vcpu[1], self->g.run[1]));
	gh_sleep_ms(SLEEP_MS);
	EXPECT_FALSE(runner_done(&r))
		TH_LOG("a vCPU never powered on came back: %s",
		       r.ret ? strerror(-r.ret) : exit_str(r.run));

	RUN(0);
	EXPECT_MMIO(0, false, M(1), 4);
	ASSERT_TRUE(runner_wait(&r, RUN_MS)) TH_LOG("the second vCPU did not run");
	ASSERT_EQ(0, r.ret) TH_LOG("%s", strerror(-r.ret));
	EXPECT_EQ(1, r.mmio_exits) TH_LOG("%s", exit_str(r.run));
	EXPECT_EQ(0, r.bad_exits) TH_LOG("%s", exit_str(r.run));

	/* Off again, it sleeps until the VM exits. */
	ASSERT_EQ(0, runner_start(&r, self->g.vcpu[1], self->g.run[1]));
	gh_sleep_ms(SLEEP_MS);
	EXPECT_FALSE(runner_done(&r))
		TH_LOG("a vCPU powered off came back: %s",
		       r.ret ? strerror(-r.ret) : exit_str(r.run));

	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 5U << 16);
	ASSERT_TRUE(runner_wait(&r, RUN_MS)) TH_LOG("the second vCPU missed the exit");
	EXPECT_EQ(0, r.ret);
	EXPECT_TRUE(r.status);
	EXPECT_STATUS(1, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 5U << 16);
}

/* Yields and blocks in the hypervisor are the kernel's business: no exit */
TEST_F(vcpu, yield_block_in_kernel)
{
	gh_yield(&self->p);
	gh_block(&self->p);
	gh_set_counter(&self->p, 100);
	gh_yield(&self->p);
	gh_block(&self->p);
	gh_loop(&self->p, 3);
	gh_store(&self->p, 4, M(1), 7);
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, 0))
		return;

	RUN_TO_WRITE(0, M(1), 4, 7);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
}

TEST_HARNESS_MAIN
