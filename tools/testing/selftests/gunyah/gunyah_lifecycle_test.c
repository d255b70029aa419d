// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of the lives of VMs: created and destroyed in loops, taken through
 * every step to a running VM and destroyed, and their VMM killed after each
 * step. Nothing may outlive a VM: no fd and, in the simulated Resource
 * Manager, no VM, memory parcel, lent or shared page.
 */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"

#define LOOPS		200

static const char *const step_names[] = {
	[GH_STEP_NONE] = "none",
	[GH_STEP_CREATE_VM] = "GUNYAH_CREATE_VM",
	[GH_STEP_CREATE_GUEST_MEM] = "GUNYAH_CREATE_GUEST_MEM",
	[GH_STEP_MAP_MEM] = "GUNYAH_VM_MAP_MEM",
	[GH_STEP_SET_DTB_CONFIG] = "GUNYAH_VM_SET_DTB_CONFIG",
	[GH_STEP_START] = "GUNYAH_VM_START",
};

#define ASSERT_RM_IDLE() do {						\
	struct rm_state __st = {};					\
	int __ret = rm_state_wait_idle(&__st);				\
									\
	ASSERT_EQ(0, __ret)						\
		TH_LOG("RM not idle (%s): vms %lu parcels %lu "		\
		       "lent_pages %lu shared_pages %lu others %lu",	\
		       strerror(-__ret), __st.vms, __st.parcels,	\
		       __st.lent_pages, __st.shared_pages, __st.other);	\
} while (0)

FIXTURE(life) {
	int dev;
};

FIXTURE_SETUP(life)
{
	self->dev = gh_open_dev();
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV,
				       strerror(-self->dev));
}

FIXTURE_TEARDOWN(life)
{
	if (self->dev >= 0)
		close(self->dev);
}

/* Every count, and RM bookkeeping if it can be seen, as before */
TEST_F_TIMEOUT(life, create_destroy_loop, 120)
{
	int fds, vm, mem, i;

	fds = gh_count_fds();
	ASSERT_LT(0, fds);
	for (i = 0; i < LOOPS; i++) {
		vm = gh_create_vm(self->dev);
		ASSERT_LE(0, vm) TH_LOG("iteration %d", i);
		mem = gh_create_mem(self->dev, GUEST_MEM_SIZE, 0);
		ASSERT_LE(0, mem) TH_LOG("iteration %d", i);
		/* Close in both orders. */
		if (i & 1) {
			ASSERT_EQ(0, close(vm));
			ASSERT_EQ(0, close(mem));
		} else {
			ASSERT_EQ(0, close(mem));
			ASSERT_EQ(0, close(vm));
		}
	}
	EXPECT_EQ(fds, gh_count_fds());
}

TEST_F_TIMEOUT(life, bound_memory_loop, 120)
{
	struct rm_state st;
	int fds, i, ret;
	struct gh_vm v;

	bool rm_state = rm_state_available();

	if (rm_state)
		ASSERT_RM_IDLE();
	fds = gh_count_fds();
	ASSERT_LT(0, fds);
	for (i = 0; i < LOOPS; i++) {
		gh_vm_init(&v);
		v.dev = self->dev;
		ret = gh_vm_setup(&v, GH_STEP_SET_DTB_CONFIG);
		ASSERT_EQ(0, ret) TH_LOG("iteration %d, %s: %s", i,
					 step_names[v.failed_step],
					 strerror(-ret));
		/* A VM that never started costs the RM nothing. */
		if (rm_state && i % 50 == 0) {
			ASSERT_EQ(0, rm_state_read(&st));
			EXPECT_EQ(0, st.vms + st.parcels + st.lent_pages +
				     st.shared_pages);
		}
		v.dev = -1;
		gh_vm_close(&v);
	}
	EXPECT_EQ(fds, gh_count_fds());
}

TEST_F(life, unstarted_vm_costs_no_rm_call)
{
	struct rm_state st;
	struct gh_vm v;

	if (!rm_state_available())
		SKIP(return, NO_RM_STATE);
	ASSERT_RM_IDLE();
	gh_vm_init(&v);
	ASSERT_EQ(0, gh_vm_setup(&v, GH_STEP_SET_DTB_CONFIG));
	ASSERT_EQ(0, rm_state_read(&st));
	EXPECT_EQ(0, st.vms);
	EXPECT_EQ(0, st.parcels);
	EXPECT_EQ(0, st.lent_pages);
	EXPECT_EQ(0, st.shared_pages);
	gh_vm_close(&v);
}

/* Create, fill, bind, configure, start, destroy, and check the RM */
TEST_F_TIMEOUT(life, full_lifecycle, 120)
{
	uint64_t pages = GUEST_MEM_SIZE / page_size();
	struct rm_state st;
	int fds, i, ret;
	struct gh_vm v;

	if (!rm_state_available())
		SKIP(return, NO_RM_STATE);
	ASSERT_RM_IDLE();
	fds = gh_count_fds();
	for (i = 0; i < 10; i++) {
		gh_vm_init(&v);
		ret = gh_vm_setup(&v, GH_STEP_START);
		ASSERT_EQ(0, ret) TH_LOG("iteration %d, %s: %s", i,
					 step_names[v.failed_step],
					 strerror(-ret));
		ASSERT_EQ(0, rm_state_read(&st));
		EXPECT_EQ(1, st.vms);
		EXPECT_LE(1, st.parcels);
		EXPECT_EQ(pages, st.lent_pages);
		EXPECT_EQ(0, st.shared_pages);
		gh_vm_close(&v);
		ASSERT_RM_IDLE();
	}
	EXPECT_EQ(fds, gh_count_fds());
}

TEST_F_TIMEOUT(life, shared_lifecycle, 60)
{
	uint64_t pages = GUEST_MEM_SIZE / page_size();
	struct rm_state st;
	struct gh_vm v;

	if (!rm_state_available())
		SKIP(return, NO_RM_STATE);
	ASSERT_RM_IDLE();
	gh_vm_init(&v);
	ASSERT_EQ(0, gh_vm_setup(&v, GH_STEP_CREATE_GUEST_MEM));
	ASSERT_EQ(0, gh_map_mem(v.vm, v.mem, GUEST_BASE, 0, GUEST_MEM_SIZE,
				GUNYAH_MEM_FORCE_SHARE | GUEST_MEM_RWX));
	ASSERT_EQ(0, gh_set_dtb_config(v.vm, v.dtb_addr, v.dtb_size));
	ASSERT_EQ(0, gh_start(v.vm));
	ASSERT_EQ(0, rm_state_read(&st));
	EXPECT_EQ(1, st.vms);
	EXPECT_LE(1, st.parcels);
	EXPECT_EQ(0, st.lent_pages);
	EXPECT_EQ(pages, st.shared_pages);
	gh_vm_close(&v);
	ASSERT_RM_IDLE();
}

/* The guest-memory fd does not keep the VM: its memory comes back */
TEST_F_TIMEOUT(life, memory_fd_outlives_vm, 60)
{
	uint8_t *p;
	struct gh_vm v;

	if (!rm_state_available())
		SKIP(return, NO_RM_STATE);
	ASSERT_RM_IDLE();
	gh_vm_init(&v);
	ASSERT_EQ(0, gh_vm_setup(&v, GH_STEP_START));
	p = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 v.mem, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(SIGBUS, gh_access_signal(p, false));

	ASSERT_EQ(0, close(v.vm));
	v.vm = -1;
	ASSERT_EQ(0, close(v.dev));
	v.dev = -1;
	ASSERT_RM_IDLE();
	/* Reclaimed from the VM, the memory is the host's again. */
	EXPECT_EQ(0, gh_access_signal(p, true));
	EXPECT_EQ(0, gh_access_signal(p + GUEST_MEM_SIZE - page_size(), true));
	EXPECT_EQ(0, ftruncate(v.mem, 0));
	munmap(p, GUEST_MEM_SIZE);
	gh_vm_close(&v);
}

TEST_F_TIMEOUT(life, vm_fd_outlives_memory_fd, 60)
{
	struct rm_state st;
	struct gh_vm v;

	if (!rm_state_available())
		SKIP(return, NO_RM_STATE);
	ASSERT_RM_IDLE();
	gh_vm_init(&v);
	ASSERT_EQ(0, gh_vm_setup(&v, GH_STEP_START));
	ASSERT_EQ(0, close(v.mem));
	v.mem = -1;
	/* The VM still holds its memory. */
	ASSERT_EQ(0, rm_state_read(&st));
	EXPECT_EQ(1, st.vms);
	EXPECT_EQ(GUEST_MEM_SIZE / page_size(), st.lent_pages);
	gh_vm_close(&v);
	ASSERT_RM_IDLE();
}

/*
 * A VMM killed after a step of a VM's life: the child takes the steps,
 * reports each on a pipe and waits to be killed.
 */
FIXTURE(killed) {
	pid_t child;
};

FIXTURE_VARIANT(killed) {
	enum gh_step step;
};

FIXTURE_VARIANT_ADD(killed, after_create_vm) {
	.step = GH_STEP_CREATE_VM,
};

FIXTURE_VARIANT_ADD(killed, after_create_guest_mem) {
	.step = GH_STEP_CREATE_GUEST_MEM,
};

FIXTURE_VARIANT_ADD(killed, after_map_mem) {
	.step = GH_STEP_MAP_MEM,
};

FIXTURE_VARIANT_ADD(killed, after_set_dtb_config) {
	.step = GH_STEP_SET_DTB_CONFIG,
};

FIXTURE_VARIANT_ADD(killed, after_start) {
	.step = GH_STEP_START,
};

FIXTURE_SETUP(killed)
{
	self->child = -1;
}

FIXTURE_TEARDOWN(killed)
{
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
}

static void vmm_child(int out, enum gh_step last)
{
	struct gh_vm v;
	enum gh_step s;
	char c;

	gh_vm_init(&v);
	for (s = GH_STEP_CREATE_VM; s <= last; s++) {
		if (gh_vm_setup(&v, s))
			_exit(10 + v.failed_step);
		c = s;
		if (write(out, &c, 1) != 1)
			_exit(2);
	}
	for (;;)
		pause();
}

TEST_F_TIMEOUT(killed, rm_forgets_vm, 60)
{
	enum gh_step step = variant->step;
	struct rm_state st;
	int pipefd[2], status, n = 0;
	char c;

	if (!rm_state_available())
		SKIP(return, NO_RM_STATE);
	ASSERT_RM_IDLE();
	ASSERT_EQ(0, pipe(pipefd));
	fflush(stdout);
	fflush(stderr);
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		close(pipefd[0]);
		vmm_child(pipefd[1], step);
	}
	close(pipefd[1]);
	while (n < (int)step && read(pipefd[0], &c, 1) == 1)
		n++;
	close(pipefd[0]);
	ASSERT_EQ((int)step, n) TH_LOG("the VMM stopped after %s",
				       step_names[n]);

	/* The RM knows the VM only once it started. */
	ASSERT_EQ(0, rm_state_read(&st));
	EXPECT_EQ(step == GH_STEP_START ? 1 : 0, st.vms);
	if (step == GH_STEP_START)
		EXPECT_EQ(GUEST_MEM_SIZE / page_size(), st.lent_pages);

	ASSERT_EQ(0, kill(self->child, SIGKILL));
	ASSERT_EQ(self->child, waitpid(self->child, &status, 0));
	self->child = -1;
	ASSERT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
	ASSERT_RM_IDLE();
}

/* The VMM kills itself right after the step, as raise(SIGKILL) does */
TEST_F_TIMEOUT(killed, raise_sigkill, 60)
{
	enum gh_step step = variant->step;
	int status;
	struct gh_vm v;

	if (!rm_state_available())
		SKIP(return, NO_RM_STATE);
	ASSERT_RM_IDLE();
	fflush(stdout);
	fflush(stderr);
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		gh_vm_init(&v);
		if (gh_vm_setup(&v, step))
			_exit(10 + v.failed_step);
		raise(SIGKILL);
		_exit(3);
	}
	ASSERT_EQ(self->child, waitpid(self->child, &status, 0));
	self->child = -1;
	ASSERT_TRUE(WIFSIGNALED(status))
		TH_LOG("the VMM exited with %d", WEXITSTATUS(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
	ASSERT_RM_IDLE();
}

TEST_HARNESS_MAIN
