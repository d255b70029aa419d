// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU function of Gunyah VMs: a vCPU fd that runs one of the guest's
 * vCPUs by proxy scheduling, with the vcpu_run hypercall, until the VMM has
 * something to do.
 */

#include <kunit/visibility.h>
#include <linux/anon_inodes.h>
#include <linux/device.h>
#include <linux/file.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/unaligned.h>
#include <trace/events/gunyah.h>

#include "gunyah_vcpu.h"

/* How long a vCPU whose VM exited waits for the RM to say why */
#define GUNYAH_VCPU_EXIT_WAIT		HZ
/* How often a vCPU without a wakeup interrupt looks again */
#define GUNYAH_VCPU_POLL		msecs_to_jiffies(10)

static const struct gunyah_vcpu_ops gunyah_vcpu_vm_ops = {
	.run = gunyah_hypercall_vcpu_run,
	.mmio_write = gunyah_vm_mmio_write,
	.provide_page = gunyah_vm_provide_page,
	.exit_status = gunyah_vm_exit_status,
	.status_waitqueue = gunyah_vm_status_waitqueue,
};

/**
 * gunyah_vcpu_alloc() - Allocate a vCPU and its zeroed run page
 * @ghvm: the VM (no reference is taken)
 * @dev: device to report problems against
 * @id: the vCPU's index
 *
 * The vCPU calls the hypervisor and the VM manager; the caller may replace
 * @ops and set @demand_paging.
 *
 * Return: the vCPU with one reference, or NULL.
 */
VISIBLE_IF_KUNIT struct gunyah_vcpu *
gunyah_vcpu_alloc(struct gunyah_vm *ghvm, struct device *dev, u32 id)
{
	struct gunyah_vcpu *vcpu;
	struct page *page;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return NULL;
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!page) {
		kfree(vcpu);
		return NULL;
	}
	vcpu->run = page_address(page);
	vcpu->ghvm = ghvm;
	vcpu->dev = dev;
	vcpu->ops = &gunyah_vcpu_vm_ops;
	vcpu->id = id;
	kref_init(&vcpu->kref);
	init_waitqueue_head(&vcpu->wait);
	mutex_init(&vcpu->run_lock);
	snprintf(vcpu->irq_name, sizeof(vcpu->irq_name), "gunyah_vcpu%u", id);
	return vcpu;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_alloc);

static void gunyah_vcpu_release(struct kref *kref)
{
	struct gunyah_vcpu *vcpu = container_of(kref, struct gunyah_vcpu, kref);

	/* A mapping of the run page holds its own reference on the page. */
	__free_page(virt_to_page(vcpu->run));
	mutex_destroy(&vcpu->run_lock);
	kfree(vcpu);
}

/* Under the run lock; stats fds read without it. */
static void gunyah_vcpu_count(struct gunyah_vcpu *vcpu,
			      enum gunyah_vcpu_stat stat, u64 n)
{
	WRITE_ONCE(vcpu->stats[stat], vcpu->stats[stat] + n);
}

/**
 * gunyah_vcpu_put() - Drop a reference on a vCPU
 * @vcpu: the vCPU
 */
VISIBLE_IF_KUNIT void gunyah_vcpu_put(struct gunyah_vcpu *vcpu)
{
	kref_put(&vcpu->kref, gunyah_vcpu_release);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_put);

/*
 * Zero what a previous exit left in the run page: the union and the
 * padding in front of it.
 */
static void gunyah_vcpu_clear_exit(struct gunyah_vcpu_run *run)
{
	size_t start = offsetofend(struct gunyah_vcpu_run, exit_reason);

	memset((u8 *)run + start, 0, sizeof(*run) - start);
}

static u64 gunyah_vcpu_mmio_mask(u32 len)
{
	return GENMASK_ULL(len * BITS_PER_BYTE - 1, 0);
}

static bool gunyah_vcpu_mmio_len_valid(u64 len)
{
	return len == 1 || len == 2 || len == 4 || len == 8;
}

static void gunyah_vcpu_mmio_exit(struct gunyah_vcpu *vcpu, u64 addr, u32 len,
				  bool is_write, u64 data)
{
	struct gunyah_vcpu_run *run = vcpu->run;

	gunyah_vcpu_clear_exit(run);
	run->mmio.phys_addr = addr;
	put_unaligned_le64(data, run->mmio.data);
	run->mmio.len = len;
	run->mmio.is_write = is_write;
	run->mmio.resume_action = GUNYAH_VCPU_RESUME_HANDLED;
	run->exit_reason = GUNYAH_VCPU_EXIT_MMIO;
	vcpu->pending = is_write ? GUNYAH_VCPU_PENDING_MMIO_WRITE :
				   GUNYAH_VCPU_PENDING_MMIO_READ;
	vcpu->mmio_len = len;
}

static void gunyah_vcpu_page_fault_exit(struct gunyah_vcpu *vcpu, u64 addr,
					int attempt)
{
	struct gunyah_vcpu_run *run = vcpu->run;

	gunyah_vcpu_clear_exit(run);
	run->page_fault.phys_addr = addr;
	run->page_fault.attempt = attempt;
	run->page_fault.resume_action = GUNYAH_VCPU_RESUME_FAULT;
	run->exit_reason = GUNYAH_VCPU_EXIT_PAGE_FAULT;
	vcpu->pending = GUNYAH_VCPU_PENDING_PAGE_FAULT;
}

/*
 * The VM is gone: keep what the vCPU saw as the reason, in the form of the
 * RM's VM_EXITED, for the case that the RM does not say.
 */
static void gunyah_vcpu_guess_exit(struct gunyah_vcpu *vcpu, u32 status,
				   u16 type, const u32 *words,
				   unsigned int nwords)
{
	unsigned int i;

	memset(&vcpu->exit_info, 0, sizeof(vcpu->exit_info));
	vcpu->status = status;
	vcpu->exit_info.type = type;
	vcpu->exit_info.reason_size = nwords * sizeof(u32);
	for (i = 0; i < nwords; i++)
		put_unaligned_le32(words[i], vcpu->exit_info.reason + i * 4);
	vcpu->pending = GUNYAH_VCPU_PENDING_STATUS;
}

static void gunyah_vcpu_guess_reset(struct gunyah_vcpu *vcpu, u64 data)
{
	u32 words[2] = {};

	if (data & GUNYAH_VCPU_RESET_SYSTEM_RESET) {
		gunyah_vcpu_guess_exit(vcpu, GUNYAH_VM_STATUS_EXITED,
				       GUNYAH_VCPU_VM_EXIT_PLATFORM_RESET,
				       words, 1);
		return;
	}
	/* SYSTEM_RESET2: the reset type follows; the cookie does not fit. */
	if (data & GUNYAH_VCPU_RESET_SMC64)
		words[0] = GUNYAH_VCPU_VM_EXIT_FLAG_SMC64;
	words[1] = FIELD_GET(GUNYAH_VCPU_RESET_TYPE, data);
	gunyah_vcpu_guess_exit(vcpu, GUNYAH_VM_STATUS_EXITED,
			       GUNYAH_VCPU_VM_EXIT_PSCI_SYSTEM_RESET2, words, 2);
}

/**
 * gunyah_vcpu_handle_state() - Decide what follows a vcpu_run run state
 * @vcpu: the vCPU
 * @resp: what vcpu_run returned, with no error
 *
 * Exits for the VMM are written to the run page, with the rest of its
 * union zeroed, and recorded in @vcpu->pending. A VMMIO write is first
 * offered to the in-kernel handlers; a page fault is first served from
 * guest memory (the next vcpu_run then retries the access). What the next
 * vcpu_run passes as resume data follows from @vcpu->pending, see
 * gunyah_vcpu_resume_data().
 *
 * Context: Process context, with the vCPU's run lock held.
 * Return: an enum gunyah_vcpu_action, or -EIO for a run state (or VMMIO
 * access size) the driver does not know.
 */
VISIBLE_IF_KUNIT int
gunyah_vcpu_handle_state(struct gunyah_vcpu *vcpu,
			 const struct gunyah_hypercall_vcpu_run_resp *resp)
{
	const u64 *data = resp->state_data;
	u32 words[1];
	int ret;

	switch (resp->sized_state) {
	case GUNYAH_VCPU_STATE_READY:
	case GUNYAH_VCPU_STATE_BLOCKED:
		return GUNYAH_VCPU_RUN_AGAIN;
	case GUNYAH_VCPU_STATE_EXPECTS_WAKEUP:
		return GUNYAH_VCPU_SLEEP;
	case GUNYAH_VCPU_STATE_POWERED_OFF:
		if (!(data[0] & GUNYAH_VCPU_POWEROFF_EXITED))
			return GUNYAH_VCPU_SLEEP;	/* until powered on */
		gunyah_vcpu_guess_exit(vcpu, GUNYAH_VM_STATUS_EXITED,
				       GUNYAH_VCPU_VM_EXIT_PLATFORM_OFF, NULL, 0);
		return GUNYAH_VCPU_VM_EXITED;
	case GUNYAH_VCPU_ADDRSPACE_VMMIO_READ:
		if (!gunyah_vcpu_mmio_len_valid(data[1]))
			break;
		gunyah_vcpu_mmio_exit(vcpu, data[0], data[1], false, 0);
		return GUNYAH_VCPU_EXIT_USER;
	case GUNYAH_VCPU_ADDRSPACE_VMMIO_WRITE:
		if (!gunyah_vcpu_mmio_len_valid(data[1]))
			break;
		if (!vcpu->ops->mmio_write(vcpu->ghvm, data[0], data[1],
					   data[2] & gunyah_vcpu_mmio_mask(data[1]))) {
			gunyah_vcpu_count(vcpu, GUNYAH_VCPU_STAT_MMIO_IN_KERNEL, 1);
			return GUNYAH_VCPU_RUN_AGAIN;
		}
		gunyah_vcpu_mmio_exit(vcpu, data[0], data[1], true,
				      data[2] & gunyah_vcpu_mmio_mask(data[1]));
		return GUNYAH_VCPU_EXIT_USER;
	case GUNYAH_VCPU_STATE_FAULT:
		words[0] = GUNYAH_VCPU_VM_EXIT_CODE_SOFTWARE_ERROR;
		gunyah_vcpu_guess_exit(vcpu, GUNYAH_VM_STATUS_CRASHED,
				       GUNYAH_VCPU_VM_EXIT_SOFTWARE_ERROR,
				       words, 1);
		return GUNYAH_VCPU_VM_EXITED;
	case GUNYAH_VCPU_ADDRSPACE_PAGE_FAULT:
		ret = vcpu->ops->provide_page(vcpu->ghvm, data[0]);
		if (!ret) {
			gunyah_vcpu_count(vcpu,
					  GUNYAH_VCPU_STAT_PAGE_FAULTS_SERVED, 1);
			vcpu->pending = GUNYAH_VCPU_PENDING_RETRY;
			return GUNYAH_VCPU_RUN_AGAIN;
		}
		gunyah_vcpu_page_fault_exit(vcpu, data[0], ret);
		return GUNYAH_VCPU_EXIT_USER;
	case GUNYAH_VCPU_STATE_PSCI_SYSTEM_RESET:
		gunyah_vcpu_guess_reset(vcpu, data[0]);
		return GUNYAH_VCPU_VM_EXITED;
	default:
		break;
	}

	dev_warn_ratelimited(vcpu->dev,
			     "vCPU %u: unknown run state %#llx (data %#llx %#llx %#llx)\n",
			     vcpu->id, resp->sized_state, data[0], data[1],
			     data[2]);
	return -EIO;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_handle_state);

/**
 * gunyah_vcpu_resume_data() - Resume data of the next vcpu_run
 * @vcpu: the vCPU
 * @resume: set to the resume data 0, 1 and 2
 *
 * After an exit for the VMM, the resume action it left in the run page
 * becomes resume data 1 (HANDLED -> EMULATE, RETRY -> RETRY, FAULT ->
 * FAULT) and, for a read that it handled, the data it left, masked to the
 * access length, resume data 0. Nothing is consumed: the pending exit only
 * ends once vcpu_run took the data.
 *
 * Context: Process context, with the vCPU's run lock held.
 * Return: 0; -EINVAL for an unknown resume action; -EOPNOTSUPP for RETRY
 * or FAULT when the hypervisor ignores resume data 1 (no demand paging).
 */
VISIBLE_IF_KUNIT int gunyah_vcpu_resume_data(struct gunyah_vcpu *vcpu,
					     unsigned long resume[3])
{
	struct gunyah_vcpu_run *run = vcpu->run;
	u8 action;

	resume[0] = 0;
	resume[1] = 0;
	resume[2] = 0;
	switch (vcpu->pending) {
	case GUNYAH_VCPU_PENDING_MMIO_READ:
	case GUNYAH_VCPU_PENDING_MMIO_WRITE:
		action = READ_ONCE(run->mmio.resume_action);
		break;
	case GUNYAH_VCPU_PENDING_PAGE_FAULT:
		action = READ_ONCE(run->page_fault.resume_action);
		break;
	case GUNYAH_VCPU_PENDING_RETRY:
		resume[1] = GUNYAH_ADDRSPACE_VMMIO_ACTION_RETRY;
		return 0;
	default:
		return 0;
	}

	switch (action) {
	case GUNYAH_VCPU_RESUME_HANDLED:
		resume[1] = GUNYAH_ADDRSPACE_VMMIO_ACTION_EMULATE;
		if (vcpu->pending == GUNYAH_VCPU_PENDING_MMIO_READ)
			resume[0] = get_unaligned_le64(run->mmio.data) &
				    gunyah_vcpu_mmio_mask(vcpu->mmio_len);
		return 0;
	case GUNYAH_VCPU_RESUME_RETRY:
		if (!vcpu->demand_paging)
			return -EOPNOTSUPP;
		resume[1] = GUNYAH_ADDRSPACE_VMMIO_ACTION_RETRY;
		return 0;
	case GUNYAH_VCPU_RESUME_FAULT:
		if (!vcpu->demand_paging)
			return -EOPNOTSUPP;
		resume[1] = GUNYAH_ADDRSPACE_VMMIO_ACTION_FAULT;
		return 0;
	default:
		return -EINVAL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_resume_data);

/* Trace and count an exit to the VMM. */
static void gunyah_vcpu_note_user_exit(struct gunyah_vcpu *vcpu)
{
	u32 reason = vcpu->run->exit_reason;
	u64 addr = 0;

	switch (reason) {
	case GUNYAH_VCPU_EXIT_MMIO:
		addr = vcpu->run->mmio.phys_addr;
		gunyah_vcpu_count(vcpu, GUNYAH_VCPU_STAT_EXITS_MMIO, 1);
		break;
	case GUNYAH_VCPU_EXIT_PAGE_FAULT:
		addr = vcpu->run->page_fault.phys_addr;
		gunyah_vcpu_count(vcpu, GUNYAH_VCPU_STAT_EXITS_PAGE_FAULT, 1);
		break;
	case GUNYAH_VCPU_EXIT_STATUS:
		gunyah_vcpu_count(vcpu, GUNYAH_VCPU_STAT_EXITS_STATUS, 1);
		break;
	}
	trace_gunyah_vcpu_user_exit(vcpu->vmid, vcpu->id, reason, addr);
}

static void gunyah_vcpu_status_exit(struct gunyah_vcpu *vcpu)
{
	struct gunyah_vcpu_run *run = vcpu->run;

	gunyah_vcpu_clear_exit(run);
	run->status.status = vcpu->status;
	run->status.exit_info = vcpu->exit_info;
	run->exit_reason = GUNYAH_VCPU_EXIT_STATUS;
}

/* The VM exited, the RM said why: that is final. */
static void gunyah_vcpu_exited(struct gunyah_vcpu *vcpu, int status,
			       const struct gunyah_vm_exit_info *info)
{
	vcpu->status = status;
	vcpu->exit_info = *info;
	vcpu->exited = true;
	vcpu->pending = GUNYAH_VCPU_PENDING_NONE;
	gunyah_vcpu_status_exit(vcpu);
}

static bool gunyah_vcpu_rm_said(struct gunyah_vcpu *vcpu, int *status,
				struct gunyah_vm_exit_info *info)
{
	*status = vcpu->ops->exit_status(vcpu->ghvm, info);
	return *status > 0;
}

/* The RM said why the VM exited, or nobody will ask any more. */
static bool gunyah_vcpu_exit_known(struct gunyah_vcpu *vcpu, int *status,
				   struct gunyah_vm_exit_info *info)
{
	return gunyah_vcpu_rm_said(vcpu, status, info) ||
	       READ_ONCE(vcpu->removed);
}

/*
 * The vCPU saw the VM go: wait a little for the RM's VM_EXITED, which
 * carries the reason, else report what the vCPU saw.
 */
static long gunyah_vcpu_wait_exit(struct gunyah_vcpu *vcpu)
{
	wait_queue_head_t *wq = vcpu->ops->status_waitqueue(vcpu->ghvm);
	struct gunyah_vm_exit_info info;
	int status = 0;
	long left;

	left = wait_event_interruptible_timeout(*wq,
						gunyah_vcpu_exit_known(vcpu, &status,
								       &info),
						GUNYAH_VCPU_EXIT_WAIT);
	if (left < 0)
		return -EINTR;	/* the guess is kept for the next run */
	if (status > 0) {
		gunyah_vcpu_exited(vcpu, status, &info);
		return 0;
	}
	if (READ_ONCE(vcpu->removed))
		return -ENODEV;

	dev_dbg(vcpu->dev, "vCPU %u: the RM did not report the VM's exit\n",
		vcpu->id);
	info = vcpu->exit_info;
	gunyah_vcpu_exited(vcpu, vcpu->status, &info);
	return 0;
}

/*
 * Wait for the wakeup interrupt, the VM's exit or the vCPU's removal.
 * Without a wakeup interrupt, look again every GUNYAH_VCPU_POLL.
 */
static int gunyah_vcpu_sleep(struct gunyah_vcpu *vcpu, bool has_irq)
{
	wait_queue_head_t *vm_wq = vcpu->ops->status_waitqueue(vcpu->ghvm);
	long timeout = has_irq ? MAX_SCHEDULE_TIMEOUT : GUNYAH_VCPU_POLL;
	struct gunyah_vm_exit_info info;
	DEFINE_WAIT(vcpu_wait);
	DEFINE_WAIT(vm_wait);
	int status, ret = 0;

	for (;;) {
		prepare_to_wait(&vcpu->wait, &vcpu_wait, TASK_INTERRUPTIBLE);
		prepare_to_wait(vm_wq, &vm_wait, TASK_INTERRUPTIBLE);
		if (test_and_clear_bit(GUNYAH_VCPU_WOKEN, &vcpu->flags) ||
		    READ_ONCE(vcpu->removed) ||
		    gunyah_vcpu_rm_said(vcpu, &status, &info))
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (!timeout)
			break;
		timeout = schedule_timeout(timeout);
	}
	finish_wait(vm_wq, &vm_wait);
	finish_wait(&vcpu->wait, &vcpu_wait);
	return ret;
}

static bool gunyah_vcpu_should_stop(struct gunyah_vcpu *vcpu, long *ret)
{
	if (READ_ONCE(vcpu->removed))
		*ret = -ENODEV;
	else if (READ_ONCE(vcpu->run->immediate_exit) ||
		 signal_pending(current))
		*ret = -EINTR;
	else
		return false;
	return true;
}

/**
 * gunyah_vcpu_run() - GUNYAH_VCPU_RUN
 * @vcpu: the vCPU
 *
 * Runs the vCPU until the run page holds an exit for the VMM. One thread
 * at a time: another waits for it. The loop allocates nothing and takes no
 * lock of the VM.
 *
 * Context: Process context; takes the vCPU's run lock.
 * Return: 0 with an exit in the run page, or a negative errno, see
 * GUNYAH_VCPU_RUN.
 */
VISIBLE_IF_KUNIT long gunyah_vcpu_run(struct gunyah_vcpu *vcpu)
{
	struct gunyah_hypercall_vcpu_run_resp resp;
	struct gunyah_vm_exit_info info;
	unsigned long resume[3];
	struct gunyah_resource *rsc;
	enum gunyah_error gerr;
	int status;
	u64 start;
	long ret;

	if (mutex_lock_interruptible(&vcpu->run_lock))
		return -EINTR;

	if (READ_ONCE(vcpu->removed)) {
		ret = -ENODEV;
		goto out;
	}
	/* Pairs with the release in gunyah_vcpu_populate(). */
	rsc = smp_load_acquire(&vcpu->rsc);
	if (!rsc) {
		ret = -ENODEV;	/* the VM has not started */
		goto out;
	}
	if (gunyah_vcpu_should_stop(vcpu, &ret))
		goto out;

	if (vcpu->exited) {
		gunyah_vcpu_status_exit(vcpu);
		ret = 0;
		goto out;
	}
	if (vcpu->pending == GUNYAH_VCPU_PENDING_STATUS) {
		ret = gunyah_vcpu_wait_exit(vcpu);
		goto out;
	}
	/* Another vCPU, or the RM, ended the VM. */
	if (gunyah_vcpu_rm_said(vcpu, &status, &info)) {
		gunyah_vcpu_exited(vcpu, status, &info);
		ret = 0;
		goto out;
	}

	for (;;) {
		ret = gunyah_vcpu_resume_data(vcpu, resume);
		if (ret)
			break;
		trace_gunyah_vcpu_run(vcpu->vmid, vcpu->id, resume[0],
				      resume[1]);
		start = ktime_get_ns();
		gerr = vcpu->ops->run(rsc->capid, resume, &resp);
		gunyah_vcpu_count(vcpu, GUNYAH_VCPU_STAT_RUN_TIME,
				  ktime_get_ns() - start);
		gunyah_vcpu_count(vcpu, GUNYAH_VCPU_STAT_RUN_CALLS, 1);
		if (gerr == GUNYAH_ERROR_RETRY) {
			cond_resched();
			if (gunyah_vcpu_should_stop(vcpu, &ret))
				break;
			continue;
		}
		if (gerr != GUNYAH_ERROR_OK) {
			ret = gunyah_error_remap(gerr);
			break;
		}

		trace_gunyah_vcpu_exit(vcpu->vmid, vcpu->id, resp.state,
				       resp.state_data[0], resp.state_data[1]);
		/* vcpu_run took the resume data: the exit is over. */
		vcpu->pending = GUNYAH_VCPU_PENDING_NONE;
		ret = gunyah_vcpu_handle_state(vcpu, &resp);
		if (ret < 0)
			break;
		if (ret == GUNYAH_VCPU_EXIT_USER) {
			ret = 0;
			break;
		}
		if (ret == GUNYAH_VCPU_VM_EXITED) {
			ret = gunyah_vcpu_wait_exit(vcpu);
			break;
		}
		if (ret == GUNYAH_VCPU_SLEEP) {
			gunyah_vcpu_count(vcpu, GUNYAH_VCPU_STAT_WAKEUP_WAITS, 1);
			ret = gunyah_vcpu_sleep(vcpu, rsc->irq);
			if (ret)
				break;
			if (gunyah_vcpu_rm_said(vcpu, &status, &info)) {
				gunyah_vcpu_exited(vcpu, status, &info);
				ret = 0;
				break;
			}
		} else {
			cond_resched();
		}
		if (gunyah_vcpu_should_stop(vcpu, &ret))
			break;
	}
out:
	if (!ret)
		gunyah_vcpu_note_user_exit(vcpu);
	else if (ret == -EINTR)
		gunyah_vcpu_count(vcpu, GUNYAH_VCPU_STAT_SIGNAL_EXITS, 1);
	mutex_unlock(&vcpu->run_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_run);

/**
 * gunyah_vcpu_remove() - Stop the vCPU's runs for good
 * @vcpu: the vCPU
 *
 * A thread in GUNYAH_VCPU_RUN is woken and waited for; later runs fail
 * with -ENODEV.
 *
 * Context: Process context; takes the vCPU's run lock.
 */
VISIBLE_IF_KUNIT void gunyah_vcpu_remove(struct gunyah_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->removed, true);
	wake_up_all(&vcpu->wait);
	wake_up_all(vcpu->ops->status_waitqueue(vcpu->ghvm));
	mutex_lock(&vcpu->run_lock);
	mutex_unlock(&vcpu->run_lock);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_remove);

static irqreturn_t gunyah_vcpu_irq(int irq, void *data)
{
	struct gunyah_vcpu *vcpu = data;

	set_bit(GUNYAH_VCPU_WOKEN, &vcpu->flags);
	wake_up(&vcpu->wait);
	return IRQ_HANDLED;
}

static bool gunyah_vcpu_populate(struct gunyah_vm_resource_ticket *ticket,
				 struct gunyah_resource *ghrsc)
{
	struct gunyah_vcpu *vcpu = container_of(ticket, struct gunyah_vcpu,
						ticket);
	int ret;

	if (vcpu->rsc)
		return false;
	if (ghrsc->irq) {
		ret = request_irq(ghrsc->irq, gunyah_vcpu_irq,
				  IRQF_TRIGGER_RISING, vcpu->irq_name, vcpu);
		if (ret) {
			dev_warn(vcpu->dev,
				 "vCPU %u: cannot request its wakeup interrupt: %d\n",
				 vcpu->id, ret);
			return false;
		}
	}
	if (vcpu->ghvm)
		vcpu->vmid = gunyah_vm_vmid(vcpu->ghvm);
	/* Runners read it without the resource lock. */
	smp_store_release(&vcpu->rsc, ghrsc);
	return true;
}

static void gunyah_vcpu_unpopulate(struct gunyah_vm_resource_ticket *ticket,
				   struct gunyah_resource *ghrsc)
{
	struct gunyah_vcpu *vcpu = container_of(ticket, struct gunyah_vcpu,
						ticket);

	/* Only after gunyah_vcpu_remove(): no runner uses it any more. */
	if (ghrsc->irq)
		free_irq(ghrsc->irq, vcpu);
	WRITE_ONCE(vcpu->rsc, NULL);
}

static const struct gunyah_stat_def gunyah_vcpu_stat_defs[] = {
	[GUNYAH_VCPU_STAT_RUN_CALLS] = {
		"vcpu_run_calls", GUNYAH_STATS_TYPE_CUMULATIVE },
	[GUNYAH_VCPU_STAT_RUN_TIME] = {
		"vcpu_run_time",
		GUNYAH_STATS_TYPE_CUMULATIVE | GUNYAH_STATS_UNIT_SECONDS, -9 },
	[GUNYAH_VCPU_STAT_EXITS_MMIO] = {
		"exits_mmio", GUNYAH_STATS_TYPE_CUMULATIVE },
	[GUNYAH_VCPU_STAT_EXITS_STATUS] = {
		"exits_status", GUNYAH_STATS_TYPE_CUMULATIVE },
	[GUNYAH_VCPU_STAT_EXITS_PAGE_FAULT] = {
		"exits_page_fault", GUNYAH_STATS_TYPE_CUMULATIVE },
	[GUNYAH_VCPU_STAT_MMIO_IN_KERNEL] = {
		"mmio_in_kernel", GUNYAH_STATS_TYPE_CUMULATIVE },
	[GUNYAH_VCPU_STAT_PAGE_FAULTS_SERVED] = {
		"page_faults_served", GUNYAH_STATS_TYPE_CUMULATIVE },
	[GUNYAH_VCPU_STAT_WAKEUP_WAITS] = {
		"wakeup_waits", GUNYAH_STATS_TYPE_CUMULATIVE },
	[GUNYAH_VCPU_STAT_SIGNAL_EXITS] = {
		"signal_exits", GUNYAH_STATS_TYPE_CUMULATIVE },
};

static_assert(ARRAY_SIZE(gunyah_vcpu_stat_defs) == GUNYAH_VCPU_STATS);
static_assert(GUNYAH_VCPU_STATS <= GUNYAH_STATS_MAX);

static void gunyah_vcpu_stats_read(void *owner, u64 *values)
{
	struct gunyah_vcpu *vcpu = owner;
	unsigned int i;

	for (i = 0; i < GUNYAH_VCPU_STATS; i++)
		values[i] = READ_ONCE(vcpu->stats[i]);
}

static void gunyah_vcpu_stats_put(void *owner)
{
	gunyah_vcpu_put(owner);
}

static const struct gunyah_stats_ops gunyah_vcpu_stats_ops = {
	.module = THIS_MODULE,
	.defs = gunyah_vcpu_stat_defs,
	.count = GUNYAH_VCPU_STATS,
	.read = gunyah_vcpu_stats_read,
	.put = gunyah_vcpu_stats_put,
};

static int gunyah_vcpu_stats_fd(struct gunyah_vcpu *vcpu)
{
	char id[GUNYAH_STATS_NAME_SIZE];
	int ret;

	snprintf(id, sizeof(id), "gunyah-vm-%d-vcpu-%u",
		 task_tgid_nr(current), vcpu->id);
	kref_get(&vcpu->kref);
	ret = gunyah_stats_get_fd(&gunyah_vcpu_stats_ops, vcpu, id);
	if (ret < 0)
		gunyah_vcpu_put(vcpu);
	return ret;
}

static long gunyah_vcpu_ioctl(struct file *filp, unsigned int cmd,
			      unsigned long arg)
{
	struct gunyah_vcpu *vcpu = filp->private_data;

	switch (cmd) {
	case GUNYAH_VCPU_RUN:
		return gunyah_vcpu_run(vcpu);
	case GUNYAH_VCPU_MMAP_SIZE:
		return PAGE_SIZE;
	case GUNYAH_GET_STATS_FD:
		if (arg)
			return -EINVAL;
		return gunyah_vcpu_stats_fd(vcpu);
	default:
		return -ENOTTY;
	}
}

static int gunyah_vcpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct gunyah_vcpu *vcpu = filp->private_data;

	if (vma->vm_pgoff || vma_pages(vma) != 1 ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	vm_flags_set(vma, VM_DONTEXPAND);
	return vm_insert_page(vma, vma->vm_start, virt_to_page(vcpu->run));
}

static int gunyah_vcpu_release_file(struct inode *inode, struct file *filp)
{
	struct gunyah_vcpu *vcpu = filp->private_data;
	struct gunyah_vm *ghvm = vcpu->ghvm;

	gunyah_vcpu_put(vcpu);
	gunyah_vm_put(ghvm);
	return 0;
}

static const struct file_operations gunyah_vcpu_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = gunyah_vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = gunyah_vcpu_mmap,
	.release = gunyah_vcpu_release_file,
	.llseek = noop_llseek,
};

static long gunyah_vcpu_bind(struct gunyah_vm_function_instance *f)
{
	const struct gunyah_fn_vcpu_arg *arg = f->argp;
	struct gunyah_vcpu *vcpu;
	char name[16];
	long ret;

	if (f->arg_size != sizeof(*arg))
		return -EINVAL;

	vcpu = gunyah_vcpu_alloc(f->ghvm, gunyah_vm_dev(f->ghvm), arg->id);
	if (!vcpu)
		return -ENOMEM;
	vcpu->demand_paging = gunyah_vm_has_demand_paging(f->ghvm);

	vcpu->ticket.resource_type = GUNYAH_RESOURCE_TYPE_VCPU;
	vcpu->ticket.label = arg->id;
	vcpu->ticket.owner = THIS_MODULE;
	vcpu->ticket.populate = gunyah_vcpu_populate;
	vcpu->ticket.unpopulate = gunyah_vcpu_unpopulate;
	ret = gunyah_vm_add_resource_ticket(f->ghvm, &vcpu->ticket);
	if (ret)
		goto err_put;

	/* The fd's references; the caller's VM fd keeps the VM alive. */
	if (!gunyah_vm_get(f->ghvm)) {
		ret = -ENODEV;
		goto err_ticket;
	}
	kref_get(&vcpu->kref);
	ret = anon_inode_getfd("gunyah-vcpu", &gunyah_vcpu_fops, vcpu,
			       O_RDWR | O_CLOEXEC);
	if (ret < 0)
		goto err_fd_refs;

	snprintf(name, sizeof(name), "vcpu%u", vcpu->id);
	vcpu->stats_node.ops = &gunyah_vcpu_stats_ops;
	vcpu->stats_node.owner = vcpu;
	gunyah_vm_debugfs_add_stats(f->ghvm, name, &vcpu->stats_node);
	f->data = vcpu;
	return ret;

err_fd_refs:
	gunyah_vcpu_put(vcpu);
	gunyah_vm_put(f->ghvm);
err_ticket:
	gunyah_vm_remove_resource_ticket(f->ghvm, &vcpu->ticket);
err_put:
	gunyah_vcpu_put(vcpu);
	return ret;
}

static void gunyah_vcpu_unbind(struct gunyah_vm_function_instance *f)
{
	struct gunyah_vcpu *vcpu = f->data;

	gunyah_stats_debugfs_remove(&vcpu->stats_node);
	gunyah_vcpu_remove(vcpu);
	gunyah_vm_remove_resource_ticket(f->ghvm, &vcpu->ticket);
	gunyah_vcpu_put(vcpu);
}

static bool gunyah_vcpu_compare(const struct gunyah_vm_function_instance *f,
				const void *arg, size_t size)
{
	const struct gunyah_fn_vcpu_arg *instance = f->argp, *other = arg;

	return size == sizeof(*other) && instance->id == other->id;
}

DECLARE_GUNYAH_VM_FUNCTION_INIT(vcpu, GUNYAH_FN_VCPU, gunyah_vcpu_bind,
				gunyah_vcpu_unbind, gunyah_vcpu_compare);
GUNYAH_FN_MODULE_ALIAS(1);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah vCPU function");
