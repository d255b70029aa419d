/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the Gunyah vCPU function, shared with its KUnit tests.
 */

#ifndef _GUNYAH_VCPU_PRIV_H
#define _GUNYAH_VCPU_PRIV_H

#include <linux/gunyah.h>
#include <linux/gunyah_vm_mgr.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <uapi/linux/gunyah.h>

/* POWERED_OFF state data 0: the vCPU exited for good */
#define GUNYAH_VCPU_POWEROFF_EXITED		BIT_ULL(0)
/* PSCI_SYSTEM_RESET state data 0 (spec §1.10) */
#define GUNYAH_VCPU_RESET_SYSTEM_RESET		BIT_ULL(63)
#define GUNYAH_VCPU_RESET_SMC64			BIT_ULL(62)
#define GUNYAH_VCPU_RESET_TYPE			GENMASK_ULL(31, 0)

/* Exit types of the RM's VM_EXITED (spec §3.8.3) */
#define GUNYAH_VCPU_VM_EXIT_PLATFORM_OFF	1
#define GUNYAH_VCPU_VM_EXIT_PLATFORM_RESET	2
#define GUNYAH_VCPU_VM_EXIT_PSCI_SYSTEM_RESET2	3
#define GUNYAH_VCPU_VM_EXIT_SOFTWARE_ERROR	5
/* Exit reason word 0: exit flags in bits 15:0, exit code in bits 31:16 */
#define GUNYAH_VCPU_VM_EXIT_FLAG_SMC64		BIT(15)
#define GUNYAH_VCPU_VM_EXIT_CODE_SOFTWARE_ERROR	BIT(16)	/* exit code 1 */

/**
 * enum gunyah_vcpu_action - What the run loop does after a run state
 * @GUNYAH_VCPU_RUN_AGAIN: call vcpu_run again (with the resume data set)
 * @GUNYAH_VCPU_SLEEP: wait for the vCPU's wakeup interrupt, then run again
 * @GUNYAH_VCPU_EXIT_USER: the run page holds an exit for the VMM
 * @GUNYAH_VCPU_VM_EXITED: the VM is gone; wait for the RM's reason, then
 *                         give the VMM a STATUS exit
 */
enum gunyah_vcpu_action {
	GUNYAH_VCPU_RUN_AGAIN,
	GUNYAH_VCPU_SLEEP,
	GUNYAH_VCPU_EXIT_USER,
	GUNYAH_VCPU_VM_EXITED,
};

/**
 * enum gunyah_vcpu_pending - What the next vcpu_run must pass on
 * @GUNYAH_VCPU_PENDING_NONE: nothing; the next run starts afresh
 * @GUNYAH_VCPU_PENDING_MMIO_READ: the data and resume action of a read
 * @GUNYAH_VCPU_PENDING_MMIO_WRITE: the resume action of a write
 * @GUNYAH_VCPU_PENDING_PAGE_FAULT: the resume action of a page fault
 * @GUNYAH_VCPU_PENDING_RETRY: the kernel provided the page the guest
 *                             faulted on: the next run retries the access
 * @GUNYAH_VCPU_PENDING_STATUS: the RM's reason for the VM's exit; the
 *                              vCPU's own guess is kept meanwhile
 */
enum gunyah_vcpu_pending {
	GUNYAH_VCPU_PENDING_NONE,
	GUNYAH_VCPU_PENDING_MMIO_READ,
	GUNYAH_VCPU_PENDING_MMIO_WRITE,
	GUNYAH_VCPU_PENDING_PAGE_FAULT,
	GUNYAH_VCPU_PENDING_RETRY,
	GUNYAH_VCPU_PENDING_STATUS,
};

/**
 * struct gunyah_vcpu_ops - What the run loop asks of the hypervisor and
 *                          the VM manager
 * @run: gunyah_hypercall_vcpu_run()
 * @mmio_write: gunyah_vm_mmio_write()
 * @provide_page: gunyah_vm_provide_page()
 * @exit_status: gunyah_vm_exit_status()
 * @status_waitqueue: gunyah_vm_status_waitqueue()
 *
 * Always the functions named, except in the KUnit tests, which stand in
 * for the hypervisor and the VM.
 */
struct gunyah_vcpu_ops {
	enum gunyah_error (*run)(u64 capid, const unsigned long resume_data[3],
				 struct gunyah_hypercall_vcpu_run_resp *resp);
	int (*mmio_write)(struct gunyah_vm *ghvm, u64 addr, u32 len, u64 data);
	int (*provide_page)(struct gunyah_vm *ghvm, u64 gpa);
	int (*exit_status)(struct gunyah_vm *ghvm,
			   struct gunyah_vm_exit_info *info);
	wait_queue_head_t *(*status_waitqueue)(struct gunyah_vm *ghvm);
};

/**
 * enum gunyah_vcpu_stat - Statistics of a vCPU, in the order of its stats fd
 * @GUNYAH_VCPU_STAT_RUN_CALLS: vcpu_run hypercalls
 * @GUNYAH_VCPU_STAT_RUN_TIME: nanoseconds spent in them
 * @GUNYAH_VCPU_STAT_EXITS_MMIO: MMIO exits to the VMM
 * @GUNYAH_VCPU_STAT_EXITS_STATUS: STATUS exits to the VMM
 * @GUNYAH_VCPU_STAT_EXITS_PAGE_FAULT: PAGE_FAULT exits to the VMM
 * @GUNYAH_VCPU_STAT_MMIO_IN_KERNEL: MMIO writes handled in the kernel
 * @GUNYAH_VCPU_STAT_PAGE_FAULTS_SERVED: page faults served in the kernel
 * @GUNYAH_VCPU_STAT_WAKEUP_WAITS: sleeps until the wakeup interrupt
 * @GUNYAH_VCPU_STAT_SIGNAL_EXITS: runs that ended with -EINTR
 * @GUNYAH_VCPU_STATS: number of statistics
 */
enum gunyah_vcpu_stat {
	GUNYAH_VCPU_STAT_RUN_CALLS,
	GUNYAH_VCPU_STAT_RUN_TIME,
	GUNYAH_VCPU_STAT_EXITS_MMIO,
	GUNYAH_VCPU_STAT_EXITS_STATUS,
	GUNYAH_VCPU_STAT_EXITS_PAGE_FAULT,
	GUNYAH_VCPU_STAT_MMIO_IN_KERNEL,
	GUNYAH_VCPU_STAT_PAGE_FAULTS_SERVED,
	GUNYAH_VCPU_STAT_WAKEUP_WAITS,
	GUNYAH_VCPU_STAT_SIGNAL_EXITS,
	GUNYAH_VCPU_STATS,
};

/* Bits of &gunyah_vcpu.flags */
#define GUNYAH_VCPU_WOKEN	0	/* the wakeup interrupt fired */

/**
 * struct gunyah_vcpu - A vCPU function
 * @ghvm: the VM; the vCPU fd holds a reference on it
 * @dev: device to report problems against
 * @ops: hypervisor and VM calls
 * @id: the vCPU's index, the label of its RM resource
 * @vmid: the VM's VMID once the vCPU's resource was handed out (for trace
 *        events)
 * @demand_paging: the RM has demand paging: resume data 1 is honoured
 * @run: the run page, mapped by the VMM
 * @kref: references: the function instance and the vCPU fd
 * @ticket: asks the VM for the vCPU's capability and wakeup interrupt
 * @rsc: the vCPU's resource once the RM handed it out (set with
 *       smp_store_release() under the VM's resource lock; cleared only
 *       after the vCPU was removed and every runner left)
 * @irq_name: name of the wakeup interrupt
 * @flags: GUNYAH_VCPU_WOKEN
 * @wait: where a vCPU waiting for its wakeup interrupt sleeps
 * @removed: the function was removed: runs fail with -ENODEV
 * @run_lock: held by the thread in GUNYAH_VCPU_RUN; protects @pending,
 *            @mmio_len, @exited, @status and @exit_info
 * @pending: what the last exit to the VMM waits for
 * @mmio_len: length of the pending MMIO access
 * @exited: the VM exited; @status and @exit_info are final
 * @status: the GUNYAH_VM_STATUS_* of the VM's exit (a guess while
 *          @pending is %GUNYAH_VCPU_PENDING_STATUS)
 * @exit_info: why the VM exited (idem)
 * @stats: the vCPU's statistics, by enum gunyah_vcpu_stat; written under
 *         @run_lock, read by its stats fds without it
 * @stats_node: the debugfs file of @stats, while the function exists
 */
struct gunyah_vcpu {
	struct gunyah_vm *ghvm;
	struct device *dev;
	const struct gunyah_vcpu_ops *ops;
	u32 id;
	u16 vmid;
	bool demand_paging;
	struct gunyah_vcpu_run *run;
	struct kref kref;

	struct gunyah_vm_resource_ticket ticket;
	struct gunyah_resource *rsc;
	char irq_name[32];
	unsigned long flags;
	wait_queue_head_t wait;
	bool removed;

	struct mutex run_lock;	/* the runner's state, see above */
	enum gunyah_vcpu_pending pending;
	u32 mmio_len;
	bool exited;
	u32 status;
	struct gunyah_vm_exit_info exit_info;
	u64 stats[GUNYAH_VCPU_STATS];
	struct gunyah_stats_node stats_node;
};

/* The run loop's parts, visible to the KUnit tests only */
#if IS_ENABLED(CONFIG_KUNIT)
struct gunyah_vcpu *gunyah_vcpu_alloc(struct gunyah_vm *ghvm,
				      struct device *dev, u32 id);
void gunyah_vcpu_put(struct gunyah_vcpu *vcpu);
int gunyah_vcpu_handle_state(struct gunyah_vcpu *vcpu,
			     const struct gunyah_hypercall_vcpu_run_resp *resp);
int gunyah_vcpu_resume_data(struct gunyah_vcpu *vcpu, unsigned long resume[3]);
long gunyah_vcpu_run(struct gunyah_vcpu *vcpu);
void gunyah_vcpu_remove(struct gunyah_vcpu *vcpu);
#endif

#endif
