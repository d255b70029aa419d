// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Gunyah vCPU function: what each vcpu_run run state
 * leads to, the resume data that follows an exit, and the run loop, with
 * the hypervisor and the VM stood in for by this file.
 */

#include <kunit/test.h>
#include <linux/sched/signal.h>
#include <linux/unaligned.h>

#include "gunyah_vcpu.h"

#define T_STATES_MAX	8
#define T_CAPID		0x1234
/* Filler of the run page before a state is handled: spots stale bytes */
#define T_STALE		0xa5

/**
 * struct t_env - The stand-in hypervisor and VM of one test
 * @states: run states vcpu_run returns, in order
 * @errors: errors vcpu_run returns instead, in order (OK: use @states)
 * @nstates: number of entries in @states and @errors
 * @calls: vcpu_run calls so far
 * @resume: resume data of each vcpu_run call
 * @capid: capability of the last call
 * @mmio_ret: what the in-kernel MMIO handler returns
 * @mmio_calls: its calls
 * @mmio_addr: address of its last call
 * @mmio_len: length of its last call
 * @mmio_data: data of its last call
 * @provide_ret: what providing a page returns
 * @provide_gpa: the address of the last page provided
 * @exit_status: what gunyah_vm_exit_status() returns
 * @exit_info: and the exit information it gives
 * @report_at: after this many vcpu_run calls (if not 0), the RM reports
 *             the VM's exit: @exit_status becomes @report_status
 * @report_status: see @report_at
 * @wq: the VM's status wait queue
 */
struct t_env {
	struct gunyah_hypercall_vcpu_run_resp states[T_STATES_MAX];
	enum gunyah_error errors[T_STATES_MAX];
	unsigned int nstates;
	unsigned int calls;
	unsigned long resume[T_STATES_MAX][3];
	u64 capid;
	int mmio_ret;
	unsigned int mmio_calls;
	u64 mmio_addr;
	u32 mmio_len;
	u64 mmio_data;
	int provide_ret;
	u64 provide_gpa;
	int exit_status;
	struct gunyah_vm_exit_info exit_info;
	unsigned int report_at;
	int report_status;
	wait_queue_head_t wq;
};

/* KUnit runs one case at a time. */
static struct t_env *t_env;

static enum gunyah_error t_run(u64 capid, const unsigned long resume_data[3],
			       struct gunyah_hypercall_vcpu_run_resp *resp)
{
	unsigned int i = t_env->calls;

	t_env->capid = capid;
	if (i >= t_env->nstates)
		return GUNYAH_ERROR_FAILURE;
	memcpy(t_env->resume[i], resume_data, sizeof(t_env->resume[i]));
	t_env->calls++;
	if (t_env->calls == t_env->report_at)
		t_env->exit_status = t_env->report_status;
	if (t_env->errors[i] != GUNYAH_ERROR_OK)
		return t_env->errors[i];
	*resp = t_env->states[i];
	return GUNYAH_ERROR_OK;
}

static int t_mmio_write(struct gunyah_vm *ghvm, u64 addr, u32 len, u64 data)
{
	t_env->mmio_calls++;
	t_env->mmio_addr = addr;
	t_env->mmio_len = len;
	t_env->mmio_data = data;
	return t_env->mmio_ret;
}

static int t_provide_page(struct gunyah_vm *ghvm, u64 gpa)
{
	t_env->provide_gpa = gpa;
	return t_env->provide_ret;
}

static int t_exit_status(struct gunyah_vm *ghvm,
			 struct gunyah_vm_exit_info *info)
{
	if (t_env->exit_status)
		*info = t_env->exit_info;
	return t_env->exit_status;
}

static wait_queue_head_t *t_status_waitqueue(struct gunyah_vm *ghvm)
{
	return &t_env->wq;
}

static const struct gunyah_vcpu_ops t_ops = {
	.run = t_run,
	.mmio_write = t_mmio_write,
	.provide_page = t_provide_page,
	.exit_status = t_exit_status,
	.status_waitqueue = t_status_waitqueue,
};

static struct gunyah_resource t_rsc = {
	.type = GUNYAH_RESOURCE_TYPE_VCPU,
	.capid = T_CAPID,
};

static void t_vcpu_free(void *vcpu)
{
	gunyah_vcpu_put(vcpu);
}

/* A vCPU whose resource was handed out, on an RM with or without paging */
static struct gunyah_vcpu *t_vcpu(struct kunit *test, bool demand_paging)
{
	struct gunyah_vcpu *vcpu;

	t_env = kunit_kzalloc(test, sizeof(*t_env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t_env);
	init_waitqueue_head(&t_env->wq);

	vcpu = gunyah_vcpu_alloc(NULL, NULL, 3);
	KUNIT_ASSERT_NOT_NULL(test, vcpu);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_vcpu_free, vcpu),
			0);
	vcpu->ops = &t_ops;
	vcpu->demand_paging = demand_paging;
	vcpu->rsc = &t_rsc;
	return vcpu;
}

static void t_push(u64 state, u64 d0, u64 d1, u64 d2)
{
	struct gunyah_hypercall_vcpu_run_resp *r = &t_env->states[t_env->nstates];

	r->sized_state = state;
	r->state_data[0] = d0;
	r->state_data[1] = d1;
	r->state_data[2] = d2;
	t_env->nstates++;
}

static void t_push_error(enum gunyah_error err)
{
	t_env->errors[t_env->nstates++] = err;
}

/* Handle one state, with a run page full of stale bytes */
static int t_handle(struct gunyah_vcpu *vcpu, u64 state, u64 d0, u64 d1,
		    u64 d2)
{
	struct gunyah_hypercall_vcpu_run_resp resp = {
		.sized_state = state,
		.state_data = { d0, d1, d2 },
	};

	memset(vcpu->run, T_STALE, sizeof(*vcpu->run));
	vcpu->pending = GUNYAH_VCPU_PENDING_NONE;
	return gunyah_vcpu_handle_state(vcpu, &resp);
}

/* The run page is untouched: no exit was written */
static void t_expect_stale(struct kunit *test, struct gunyah_vcpu *vcpu)
{
	u8 stale[sizeof(*vcpu->run)];

	memset(stale, T_STALE, sizeof(stale));
	KUNIT_EXPECT_MEMEQ(test, vcpu->run, stale, sizeof(stale));
}

static void gunyah_vcpu_ready_blocked_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);

	KUNIT_EXPECT_EQ(test, t_handle(vcpu, GUNYAH_VCPU_STATE_READY, 0, 0, 0),
			GUNYAH_VCPU_RUN_AGAIN);
	KUNIT_EXPECT_EQ(test, vcpu->pending, GUNYAH_VCPU_PENDING_NONE);
	t_expect_stale(test, vcpu);
	KUNIT_EXPECT_EQ(test, t_handle(vcpu, GUNYAH_VCPU_STATE_BLOCKED, 0, 0, 0),
			GUNYAH_VCPU_RUN_AGAIN);
	KUNIT_EXPECT_EQ(test, vcpu->pending, GUNYAH_VCPU_PENDING_NONE);
	t_expect_stale(test, vcpu);
}

static void gunyah_vcpu_sleep_states_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);
	u64 from;

	/* WFI, CPU_SUSPEND with a power state, each wakeup-from state */
	for (from = 0; from <= 3; from++) {
		KUNIT_EXPECT_EQ(test, t_handle(vcpu,
					       GUNYAH_VCPU_STATE_EXPECTS_WAKEUP,
					       from ? 0x10033 : 0, from, 0),
				GUNYAH_VCPU_SLEEP);
		t_expect_stale(test, vcpu);
	}
	/* Powered off, not for good: until it is powered on */
	KUNIT_EXPECT_EQ(test, t_handle(vcpu, GUNYAH_VCPU_STATE_POWERED_OFF,
				       0, 0, 0),
			GUNYAH_VCPU_SLEEP);
	KUNIT_EXPECT_EQ(test, vcpu->pending, GUNYAH_VCPU_PENDING_NONE);
	t_expect_stale(test, vcpu);
}

static void t_expect_guess(struct kunit *test, struct gunyah_vcpu *vcpu,
			   u32 status, u16 type, const u32 *words,
			   unsigned int nwords)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, vcpu->pending, GUNYAH_VCPU_PENDING_STATUS);
	KUNIT_EXPECT_EQ(test, vcpu->status, status);
	KUNIT_EXPECT_EQ(test, vcpu->exit_info.type, type);
	KUNIT_EXPECT_EQ(test, vcpu->exit_info.padding, 0);
	KUNIT_EXPECT_EQ(test, vcpu->exit_info.reason_size, nwords * 4);
	for (i = 0; i < nwords; i++)
		KUNIT_EXPECT_EQ(test,
				get_unaligned_le32(vcpu->exit_info.reason + 4 * i),
				words[i]);
	for (i = nwords * 4; i < GUNYAH_VM_MAX_EXIT_REASON_SIZE; i++)
		KUNIT_EXPECT_EQ(test, vcpu->exit_info.reason[i], 0);
	KUNIT_EXPECT_FALSE(test, vcpu->exited);
}

static void gunyah_vcpu_vm_gone_states_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);
	const u32 fault[] = { 1 << 16 };
	const u32 reset[] = { 0 };
	const u32 reset2[] = { 0, 0x80000001 };
	const u32 reset2_smc64[] = { BIT(15), 7 };

	KUNIT_EXPECT_EQ(test, t_handle(vcpu, GUNYAH_VCPU_STATE_POWERED_OFF,
				       GUNYAH_VCPU_POWEROFF_EXITED, 0, 0),
			GUNYAH_VCPU_VM_EXITED);
	t_expect_guess(test, vcpu, GUNYAH_VM_STATUS_EXITED, 1, NULL, 0);

	KUNIT_EXPECT_EQ(test, t_handle(vcpu, GUNYAH_VCPU_STATE_FAULT, 0, 0, 0),
			GUNYAH_VCPU_VM_EXITED);
	t_expect_guess(test, vcpu, GUNYAH_VM_STATUS_CRASHED, 5, fault, 1);

	/* SYSTEM_RESET */
	KUNIT_EXPECT_EQ(test, t_handle(vcpu, GUNYAH_VCPU_STATE_PSCI_SYSTEM_RESET,
				       BIT_ULL(63), 0, 0),
			GUNYAH_VCPU_VM_EXITED);
	t_expect_guess(test, vcpu, GUNYAH_VM_STATUS_EXITED, 2, reset, 1);

	/* SYSTEM_RESET2, SMC32 and SMC64, with a cookie that does not fit */
	KUNIT_EXPECT_EQ(test, t_handle(vcpu, GUNYAH_VCPU_STATE_PSCI_SYSTEM_RESET,
				       0x80000001, 0xc00c1e, 0),
			GUNYAH_VCPU_VM_EXITED);
	t_expect_guess(test, vcpu, GUNYAH_VM_STATUS_EXITED, 3, reset2, 2);
	KUNIT_EXPECT_EQ(test, t_handle(vcpu, GUNYAH_VCPU_STATE_PSCI_SYSTEM_RESET,
				       BIT_ULL(62) | 7, 0, 0),
			GUNYAH_VCPU_VM_EXITED);
	t_expect_guess(test, vcpu, GUNYAH_VM_STATUS_EXITED, 3, reset2_smc64, 2);

	/* Nothing reaches the run page before the RM was heard. */
	t_expect_stale(test, vcpu);
}

/* Only the MMIO member of the union is left non-zero */
static void t_expect_mmio(struct kunit *test, struct gunyah_vcpu *vcpu,
			  u64 addr, u32 len, bool is_write, u64 data)
{
	struct gunyah_vcpu_run *run = vcpu->run;
	struct gunyah_vcpu_run want;

	memset(&want, 0, sizeof(want));
	memset(&want, T_STALE, offsetof(struct gunyah_vcpu_run, exit_reason));
	want.exit_reason = GUNYAH_VCPU_EXIT_MMIO;
	want.mmio.phys_addr = addr;
	put_unaligned_le64(data, want.mmio.data);
	want.mmio.len = len;
	want.mmio.is_write = is_write;
	want.mmio.resume_action = GUNYAH_VCPU_RESUME_HANDLED;
	KUNIT_EXPECT_MEMEQ(test, run, &want, sizeof(want));
	KUNIT_EXPECT_EQ(test, vcpu->pending,
			is_write ? GUNYAH_VCPU_PENDING_MMIO_WRITE :
				   GUNYAH_VCPU_PENDING_MMIO_READ);
}

static const u32 t_widths[] = { 1, 2, 4, 8 };

static void gunyah_vcpu_mmio_read_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t_widths); i++) {
		KUNIT_EXPECT_EQ(test,
				t_handle(vcpu, GUNYAH_VCPU_ADDRSPACE_VMMIO_READ,
					 0x9000 + i, t_widths[i], ~0ULL),
				GUNYAH_VCPU_EXIT_USER);
		t_expect_mmio(test, vcpu, 0x9000 + i, t_widths[i], false, 0);
		KUNIT_EXPECT_EQ(test, vcpu->mmio_len, t_widths[i]);
	}
	KUNIT_EXPECT_EQ(test, t_env->mmio_calls, 0);
}

static void gunyah_vcpu_mmio_write_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);
	const u64 value = 0x8877665544332211ULL;
	unsigned int i;
	u64 mask;

	for (i = 0; i < ARRAY_SIZE(t_widths); i++) {
		mask = GENMASK_ULL(t_widths[i] * 8 - 1, 0);

		/* The in-kernel handler declines: an exit, data masked */
		t_env->mmio_ret = -ENODEV;
		KUNIT_EXPECT_EQ(test,
				t_handle(vcpu, GUNYAH_VCPU_ADDRSPACE_VMMIO_WRITE,
					 0x8000, t_widths[i], value),
				GUNYAH_VCPU_EXIT_USER);
		t_expect_mmio(test, vcpu, 0x8000, t_widths[i], true,
			      value & mask);
		KUNIT_EXPECT_EQ(test, t_env->mmio_addr, 0x8000);
		KUNIT_EXPECT_EQ(test, t_env->mmio_len, t_widths[i]);
		KUNIT_EXPECT_EQ(test, t_env->mmio_data, value & mask);

		/* It takes the write: no exit, the vCPU runs on */
		t_env->mmio_ret = 0;
		KUNIT_EXPECT_EQ(test,
				t_handle(vcpu, GUNYAH_VCPU_ADDRSPACE_VMMIO_WRITE,
					 0x8008, t_widths[i], value),
				GUNYAH_VCPU_RUN_AGAIN);
		KUNIT_EXPECT_EQ(test, vcpu->pending, GUNYAH_VCPU_PENDING_NONE);
		KUNIT_EXPECT_EQ(test, t_env->mmio_addr, 0x8008);
		KUNIT_EXPECT_EQ(test, t_env->mmio_data, value & mask);
		t_expect_stale(test, vcpu);
	}
	KUNIT_EXPECT_EQ(test, t_env->mmio_calls, 2 * ARRAY_SIZE(t_widths));
	/* Only the writes the handler took were handled in the kernel */
	KUNIT_EXPECT_EQ(test, vcpu->stats[GUNYAH_VCPU_STAT_MMIO_IN_KERNEL],
			ARRAY_SIZE(t_widths));
}

static void gunyah_vcpu_mmio_bad_len_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);
	const u64 lens[] = { 0, 3, 16, 1ULL << 32 | 4 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		KUNIT_EXPECT_EQ(test,
				t_handle(vcpu, GUNYAH_VCPU_ADDRSPACE_VMMIO_READ,
					 0x9000, lens[i], 0),
				-EIO);
		KUNIT_EXPECT_EQ(test,
				t_handle(vcpu, GUNYAH_VCPU_ADDRSPACE_VMMIO_WRITE,
					 0x9000, lens[i], 0),
				-EIO);
		t_expect_stale(test, vcpu);
	}
	KUNIT_EXPECT_EQ(test, t_env->mmio_calls, 0);
}

static void gunyah_vcpu_page_fault_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, true);
	unsigned long resume[3];
	struct gunyah_vcpu_run want;

	/* Provided: the next run retries the access, no exit */
	KUNIT_EXPECT_EQ(test, t_handle(vcpu, GUNYAH_VCPU_ADDRSPACE_PAGE_FAULT,
				       0x80042000, 1, 0),
			GUNYAH_VCPU_RUN_AGAIN);
	KUNIT_EXPECT_EQ(test, t_env->provide_gpa, 0x80042000);
	KUNIT_EXPECT_EQ(test, vcpu->pending, GUNYAH_VCPU_PENDING_RETRY);
	t_expect_stale(test, vcpu);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_resume_data(vcpu, resume), 0);
	KUNIT_EXPECT_EQ(test, resume[0], 0);
	KUNIT_EXPECT_EQ(test, resume[1], GUNYAH_ADDRSPACE_VMMIO_ACTION_RETRY);
	KUNIT_EXPECT_EQ(test, resume[2], 0);

	/* Not provided: a PAGE_FAULT exit, FAULT preset */
	t_env->provide_ret = -ENOMEM;
	KUNIT_EXPECT_EQ(test, t_handle(vcpu, GUNYAH_VCPU_ADDRSPACE_PAGE_FAULT,
				       0x80043000, 0, 0),
			GUNYAH_VCPU_EXIT_USER);
	memset(&want, 0, sizeof(want));
	memset(&want, T_STALE, offsetof(struct gunyah_vcpu_run, exit_reason));
	want.exit_reason = GUNYAH_VCPU_EXIT_PAGE_FAULT;
	want.page_fault.phys_addr = 0x80043000;
	want.page_fault.attempt = -ENOMEM;
	want.page_fault.resume_action = GUNYAH_VCPU_RESUME_FAULT;
	KUNIT_EXPECT_MEMEQ(test, vcpu->run, &want, sizeof(want));
	KUNIT_EXPECT_EQ(test, vcpu->pending, GUNYAH_VCPU_PENDING_PAGE_FAULT);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_resume_data(vcpu, resume), 0);
	KUNIT_EXPECT_EQ(test, resume[1], GUNYAH_ADDRSPACE_VMMIO_ACTION_FAULT);
	KUNIT_EXPECT_EQ(test,
			vcpu->stats[GUNYAH_VCPU_STAT_PAGE_FAULTS_SERVED], 1);
}

static void gunyah_vcpu_unknown_state_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);
	const u64 states[] = { 8, 0xff, 0x101, 0x1000, 1ULL << 32, ~0ULL };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(states); i++) {
		KUNIT_EXPECT_EQ(test, t_handle(vcpu, states[i], 1, 2, 3), -EIO);
		KUNIT_EXPECT_EQ(test, vcpu->pending, GUNYAH_VCPU_PENDING_NONE);
		t_expect_stale(test, vcpu);
	}
}

/**
 * struct t_resume_case - Resume data after an exit
 * @name: the case
 * @pending: the exit
 * @action: the resume action the VMM left
 * @demand_paging: the RM has demand paging
 * @len: length of the MMIO access
 * @ret: what gunyah_vcpu_resume_data() returns
 * @resume0: resume data 0
 * @resume1: resume data 1
 */
struct t_resume_case {
	const char *name;
	enum gunyah_vcpu_pending pending;
	u8 action;
	bool demand_paging;
	u32 len;
	int ret;
	u64 resume0;
	u64 resume1;
};

#define T_READ		GUNYAH_VCPU_PENDING_MMIO_READ
#define T_WRITE		GUNYAH_VCPU_PENDING_MMIO_WRITE
#define T_PF		GUNYAH_VCPU_PENDING_PAGE_FAULT
#define T_HANDLED	GUNYAH_VCPU_RESUME_HANDLED
#define T_RETRY		GUNYAH_VCPU_RESUME_RETRY
#define T_FAULT		GUNYAH_VCPU_RESUME_FAULT
#define T_DATA		0x1122334455667788ULL

static const struct t_resume_case t_resume_cases[] = {
	{ "read 1 handled, public", T_READ, T_HANDLED, false, 1, 0, 0x88, 0 },
	{ "read 2 handled, public", T_READ, T_HANDLED, false, 2, 0, 0x7788, 0 },
	{ "read 4 handled, public", T_READ, T_HANDLED, false, 4, 0, 0x55667788, 0 },
	{ "read 8 handled, public", T_READ, T_HANDLED, false, 8, 0, T_DATA, 0 },
	{ "read 4 handled, full", T_READ, T_HANDLED, true, 4, 0, 0x55667788, 0 },
	{ "read retry, public", T_READ, T_RETRY, false, 4, -EOPNOTSUPP },
	{ "read fault, public", T_READ, T_FAULT, false, 4, -EOPNOTSUPP },
	{ "read retry, full", T_READ, T_RETRY, true, 4, 0, 0, 1 },
	{ "read fault, full", T_READ, T_FAULT, true, 4, 0, 0, 2 },
	{ "read unknown action", T_READ, 3, true, 4, -EINVAL },
	{ "read action 255", T_READ, 255, false, 4, -EINVAL },
	{ "write handled, public", T_WRITE, T_HANDLED, false, 8, 0, 0, 0 },
	{ "write handled, full", T_WRITE, T_HANDLED, true, 8, 0, 0, 0 },
	{ "write retry, public", T_WRITE, T_RETRY, false, 8, -EOPNOTSUPP },
	{ "write fault, public", T_WRITE, T_FAULT, false, 8, -EOPNOTSUPP },
	{ "write retry, full", T_WRITE, T_RETRY, true, 8, 0, 0, 1 },
	{ "write fault, full", T_WRITE, T_FAULT, true, 8, 0, 0, 2 },
	{ "write unknown action", T_WRITE, 3, false, 8, -EINVAL },
	{ "page fault handled", T_PF, T_HANDLED, true, 0, 0, 0, 0 },
	{ "page fault retry", T_PF, T_RETRY, true, 0, 0, 0, 1 },
	{ "page fault fault", T_PF, T_FAULT, true, 0, 0, 0, 2 },
	{ "page fault unknown action", T_PF, 9, true, 0, -EINVAL },
};

static void t_resume_case_desc(const struct t_resume_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_resume, t_resume_cases, t_resume_case_desc);

static void gunyah_vcpu_resume_data_test(struct kunit *test)
{
	const struct t_resume_case *c = test->param_value;
	struct gunyah_vcpu *vcpu = t_vcpu(test, c->demand_paging);
	unsigned long resume[3] = { 7, 7, 7 };

	vcpu->pending = c->pending;
	vcpu->mmio_len = c->len;
	put_unaligned_le64(T_DATA, vcpu->run->mmio.data);
	if (c->pending == T_PF)
		vcpu->run->page_fault.resume_action = c->action;
	else
		vcpu->run->mmio.resume_action = c->action;

	KUNIT_EXPECT_EQ(test, gunyah_vcpu_resume_data(vcpu, resume), c->ret);
	if (!c->ret) {
		KUNIT_EXPECT_EQ(test, resume[0], c->resume0);
		KUNIT_EXPECT_EQ(test, resume[1], c->resume1);
		KUNIT_EXPECT_EQ(test, resume[2], 0);
	}
	/* Only a vcpu_run that took the data ends the exit. */
	KUNIT_EXPECT_EQ(test, vcpu->pending, c->pending);
}

static void gunyah_vcpu_resume_nothing_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, true);
	unsigned long resume[3] = { 7, 7, 7 };

	vcpu->run->mmio.resume_action = T_FAULT;
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_resume_data(vcpu, resume), 0);
	KUNIT_EXPECT_EQ(test, resume[0], 0);
	KUNIT_EXPECT_EQ(test, resume[1], 0);
	KUNIT_EXPECT_EQ(test, resume[2], 0);
}

/* The run loop: an MMIO read exit, then its data and action in one call */
static void gunyah_vcpu_run_mmio_read_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);

	t_push(GUNYAH_VCPU_STATE_READY, 0, 0, 0);
	t_push(GUNYAH_VCPU_STATE_BLOCKED, 0, 0, 0);
	t_push(GUNYAH_VCPU_ADDRSPACE_VMMIO_READ, 0x9000, 2, 0);
	t_push(GUNYAH_VCPU_ADDRSPACE_VMMIO_WRITE, 0x9004, 4, 0xdeadbeef);

	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_EQ(test, t_env->calls, 3);
	KUNIT_EXPECT_EQ(test, t_env->capid, T_CAPID);
	KUNIT_EXPECT_EQ(test, vcpu->run->exit_reason, GUNYAH_VCPU_EXIT_MMIO);
	KUNIT_EXPECT_EQ(test, vcpu->run->mmio.resume_action, T_HANDLED);

	/* The VMM answers with more bytes than the access had */
	put_unaligned_le64(0xffff1234, vcpu->run->mmio.data);
	t_env->mmio_ret = -ENODEV;
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_EQ(test, t_env->calls, 4);
	KUNIT_EXPECT_EQ(test, t_env->resume[3][0], 0x1234);
	KUNIT_EXPECT_EQ(test, t_env->resume[3][1],
			GUNYAH_ADDRSPACE_VMMIO_ACTION_EMULATE);
	KUNIT_EXPECT_EQ(test, vcpu->run->mmio.is_write, 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(vcpu->run->mmio.data),
			0xdeadbeef);
	/* Each hypercall and each exit counted */
	KUNIT_EXPECT_EQ(test, vcpu->stats[GUNYAH_VCPU_STAT_RUN_CALLS], 4);
	KUNIT_EXPECT_EQ(test, vcpu->stats[GUNYAH_VCPU_STAT_EXITS_MMIO], 2);
	KUNIT_EXPECT_EQ(test, vcpu->stats[GUNYAH_VCPU_STAT_EXITS_STATUS], 0);
	KUNIT_EXPECT_EQ(test, vcpu->stats[GUNYAH_VCPU_STAT_MMIO_IN_KERNEL], 0);
}

/* RETRY on the public RM: refused, the exit stays, HANDLED then works */
static void gunyah_vcpu_run_resume_refused_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);

	t_push(GUNYAH_VCPU_ADDRSPACE_VMMIO_READ, 0x9000, 4, 0);
	t_push(GUNYAH_VCPU_ADDRSPACE_VMMIO_READ, 0x9008, 4, 0);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);

	vcpu->run->mmio.resume_action = T_RETRY;
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), -EOPNOTSUPP);
	vcpu->run->mmio.resume_action = 17;
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), -EINVAL);
	KUNIT_EXPECT_EQ(test, t_env->calls, 1);

	vcpu->run->mmio.resume_action = T_HANDLED;
	put_unaligned_le64(42, vcpu->run->mmio.data);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_EQ(test, t_env->calls, 2);
	KUNIT_EXPECT_EQ(test, t_env->resume[1][0], 42);
	KUNIT_EXPECT_EQ(test, vcpu->run->mmio.phys_addr, 0x9008);
}

/* A provided page is retried in the very next call, not after an exit */
static void gunyah_vcpu_run_page_fault_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, true);

	t_push(GUNYAH_VCPU_ADDRSPACE_PAGE_FAULT, 0x80001000, 0, 0);
	t_push(GUNYAH_VCPU_ADDRSPACE_VMMIO_READ, 0x9000, 1, 0);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_EQ(test, t_env->calls, 2);
	KUNIT_EXPECT_EQ(test, t_env->resume[1][1],
			GUNYAH_ADDRSPACE_VMMIO_ACTION_RETRY);
}

static void gunyah_vcpu_run_errors_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);

	/* RETRY is retried; other errors are returned, remapped */
	t_push_error(GUNYAH_ERROR_RETRY);
	t_push_error(GUNYAH_ERROR_RETRY);
	t_push(GUNYAH_VCPU_ADDRSPACE_VMMIO_READ, 0x9000, 4, 0);
	t_push_error(GUNYAH_ERROR_BUSY);
	t_push(0x42, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_EQ(test, t_env->calls, 3);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), -EBUSY);
	/* The exit was not taken: its resume data is passed again */
	put_unaligned_le64(5, vcpu->run->mmio.data);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), -EIO);
	KUNIT_EXPECT_EQ(test, t_env->resume[4][0], 5);
	KUNIT_EXPECT_EQ(test, t_env->calls, 5);
}

static void gunyah_vcpu_run_immediate_exit_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);

	t_push(GUNYAH_VCPU_STATE_READY, 0, 0, 0);
	t_push(GUNYAH_VCPU_ADDRSPACE_VMMIO_READ, 0x9000, 4, 0);
	vcpu->run->immediate_exit = 1;
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), -EINTR);
	KUNIT_EXPECT_EQ(test, t_env->calls, 0);
	KUNIT_EXPECT_EQ(test, vcpu->stats[GUNYAH_VCPU_STAT_SIGNAL_EXITS], 1);
	vcpu->run->immediate_exit = 0;
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_EQ(test, t_env->calls, 2);
	KUNIT_EXPECT_EQ(test, vcpu->stats[GUNYAH_VCPU_STAT_SIGNAL_EXITS], 1);
	KUNIT_EXPECT_EQ(test, vcpu->stats[GUNYAH_VCPU_STAT_RUN_CALLS], 2);
}

static void gunyah_vcpu_run_not_ready_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);

	t_push(GUNYAH_VCPU_ADDRSPACE_VMMIO_READ, 0x9000, 4, 0);
	/* Before the RM handed the vCPU out */
	vcpu->rsc = NULL;
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), -ENODEV);
	vcpu->rsc = &t_rsc;
	/* After the function was removed */
	gunyah_vcpu_remove(vcpu);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), -ENODEV);
	KUNIT_EXPECT_EQ(test, t_env->calls, 0);
}

static void t_expect_status(struct kunit *test, struct gunyah_vcpu *vcpu,
			    u32 status, const struct gunyah_vm_exit_info *info)
{
	struct gunyah_vcpu_run want;

	memset(&want, 0, sizeof(want));
	want.exit_reason = GUNYAH_VCPU_EXIT_STATUS;
	want.status.status = status;
	want.status.exit_info = *info;
	KUNIT_EXPECT_MEMEQ(test, vcpu->run, &want, sizeof(want));
}

/* The RM reported the exit before the run: no vcpu_run at all */
static void gunyah_vcpu_run_rm_exit_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);
	const struct gunyah_vm_exit_info rm = {
		.type = 4, .reason_size = 4, .reason = { 0, 0, 2, 0 },
	};

	t_push(GUNYAH_VCPU_STATE_READY, 0, 0, 0);
	t_env->exit_status = GUNYAH_VM_STATUS_CRASHED;
	t_env->exit_info = rm;
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_EQ(test, t_env->calls, 0);
	t_expect_status(test, vcpu, GUNYAH_VM_STATUS_CRASHED, &rm);
	KUNIT_EXPECT_TRUE(test, vcpu->exited);
}

/* The RM stays silent: after a second, the vCPU's own guess */
static void gunyah_vcpu_run_silent_rm_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);
	const struct gunyah_vm_exit_info guess = {
		.type = 5, .reason_size = 4, .reason = { 0, 0, 1, 0 },
	};
	const struct gunyah_vm_exit_info rm = { .type = 7, .reason_size = 4 };
	unsigned long start = jiffies;

	t_push(GUNYAH_VCPU_STATE_READY, 0, 0, 0);
	t_push(GUNYAH_VCPU_STATE_FAULT, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_GE(test, jiffies - start, HZ);
	KUNIT_EXPECT_EQ(test, t_env->calls, 2);
	t_expect_status(test, vcpu, GUNYAH_VM_STATUS_CRASHED, &guess);

	/* Every later run is the same STATUS exit, the RM heard or not */
	t_env->exit_status = GUNYAH_VM_STATUS_EXITED;
	t_env->exit_info = rm;
	memset(vcpu->run, 0xff, sizeof(*vcpu->run));
	vcpu->run->immediate_exit = 0;
	memset(vcpu->run->padding, 0, sizeof(vcpu->run->padding));
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_EQ(test, t_env->calls, 2);
	t_expect_status(test, vcpu, GUNYAH_VM_STATUS_CRASHED, &guess);
}

/* The RM reports while the vCPU waits for it: its reason wins */
static void gunyah_vcpu_run_rm_late_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);
	const struct gunyah_vm_exit_info rm = {
		.type = 1, .reason_size = 4, .reason = { 0, 0, 0x2a, 0 },
	};

	/* A guest that powered off with code 42 */
	t_push(GUNYAH_VCPU_STATE_READY, 0, 0, 0);
	t_push(GUNYAH_VCPU_STATE_POWERED_OFF, GUNYAH_VCPU_POWEROFF_EXITED, 0, 0);
	t_env->exit_info = rm;
	t_env->report_at = 2;
	t_env->report_status = GUNYAH_VM_STATUS_EXITED;
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_EQ(test, t_env->calls, 2);
	t_expect_status(test, vcpu, GUNYAH_VM_STATUS_EXITED, &rm);
}

/* Waiting for the wakeup: a vCPU without a wakeup interrupt polls */
static void gunyah_vcpu_run_sleep_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);

	t_push(GUNYAH_VCPU_STATE_EXPECTS_WAKEUP, 0, 1, 0);
	t_push(GUNYAH_VCPU_STATE_POWERED_OFF, 0, 0, 0);
	t_push(GUNYAH_VCPU_ADDRSPACE_VMMIO_READ, 0x9000, 4, 0);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_EQ(test, t_env->calls, 3);
	KUNIT_EXPECT_EQ(test, vcpu->run->exit_reason, GUNYAH_VCPU_EXIT_MMIO);
	KUNIT_EXPECT_EQ(test, vcpu->stats[GUNYAH_VCPU_STAT_WAKEUP_WAITS], 2);
}

/* The VM exits while the vCPU sleeps: woken, a STATUS exit, no more runs */
static void gunyah_vcpu_run_exit_while_asleep_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);
	const struct gunyah_vm_exit_info rm = { .type = 7, .reason_size = 4 };
	struct gunyah_resource rsc = t_rsc;

	/* With a wakeup interrupt: only the RM's report ends the sleep. */
	rsc.irq = 1;
	vcpu->rsc = &rsc;
	t_push(GUNYAH_VCPU_STATE_EXPECTS_WAKEUP, 0, 0, 0);
	t_push(GUNYAH_VCPU_STATE_READY, 0, 0, 0);
	t_env->exit_info = rm;
	t_env->report_at = 1;
	t_env->report_status = GUNYAH_VM_STATUS_EXITED;
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), 0);
	KUNIT_EXPECT_EQ(test, t_env->calls, 1);
	t_expect_status(test, vcpu, GUNYAH_VM_STATUS_EXITED, &rm);
	KUNIT_EXPECT_EQ(test, vcpu->stats[GUNYAH_VCPU_STAT_EXITS_STATUS], 1);
	KUNIT_EXPECT_EQ(test, vcpu->stats[GUNYAH_VCPU_STAT_EXITS_MMIO], 0);
	vcpu->rsc = &t_rsc;
}

/* A signal pending: EINTR before anything runs */
static void gunyah_vcpu_run_signal_test(struct kunit *test)
{
	struct gunyah_vcpu *vcpu = t_vcpu(test, false);

	t_push(GUNYAH_VCPU_ADDRSPACE_VMMIO_READ, 0x9000, 4, 0);
	set_tsk_thread_flag(current, TIF_SIGPENDING);
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_run(vcpu), -EINTR);
	clear_tsk_thread_flag(current, TIF_SIGPENDING);
	KUNIT_EXPECT_EQ(test, t_env->calls, 0);
}

static struct kunit_case gunyah_vcpu_test_cases[] = {
	KUNIT_CASE(gunyah_vcpu_ready_blocked_test),
	KUNIT_CASE(gunyah_vcpu_sleep_states_test),
	KUNIT_CASE(gunyah_vcpu_vm_gone_states_test),
	KUNIT_CASE(gunyah_vcpu_mmio_read_test),
	KUNIT_CASE(gunyah_vcpu_mmio_write_test),
	KUNIT_CASE(gunyah_vcpu_mmio_bad_len_test),
	KUNIT_CASE(gunyah_vcpu_page_fault_test),
	KUNIT_CASE(gunyah_vcpu_unknown_state_test),
	KUNIT_CASE_PARAM(gunyah_vcpu_resume_data_test, t_resume_gen_params),
	KUNIT_CASE(gunyah_vcpu_resume_nothing_test),
	KUNIT_CASE(gunyah_vcpu_run_mmio_read_test),
	KUNIT_CASE(gunyah_vcpu_run_resume_refused_test),
	KUNIT_CASE(gunyah_vcpu_run_page_fault_test),
	KUNIT_CASE(gunyah_vcpu_run_errors_test),
	KUNIT_CASE(gunyah_vcpu_run_immediate_exit_test),
	KUNIT_CASE(gunyah_vcpu_run_not_ready_test),
	KUNIT_CASE(gunyah_vcpu_run_rm_exit_test),
	KUNIT_CASE(gunyah_vcpu_run_silent_rm_test),
	KUNIT_CASE(gunyah_vcpu_run_rm_late_test),
	KUNIT_CASE(gunyah_vcpu_run_sleep_test),
	KUNIT_CASE(gunyah_vcpu_run_exit_while_asleep_test),
	KUNIT_CASE(gunyah_vcpu_run_signal_test),
	{}
};

static struct kunit_suite gunyah_vcpu_test_suite = {
	.name = "gunyah_vcpu",
	.test_cases = gunyah_vcpu_test_cases,
};

kunit_test_suite(gunyah_vcpu_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the Gunyah vCPU function");
