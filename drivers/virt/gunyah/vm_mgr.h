/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the Gunyah VM manager, shared with its tests.
 */

#ifndef _GUNYAH_VM_MGR_PRIV_H
#define _GUNYAH_VM_MGR_PRIV_H

#include <linux/atomic.h>
#include <linux/gunyah.h>
#include <linux/gunyah_rsc_mgr.h>
#include <linux/gunyah_vm_mgr.h>
#include <linux/kref.h>
#include <linux/maple_tree.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <uapi/linux/gunyah.h>

/* Boot-context registers: X0..X31, PC, SP_EL0..SP_EL2 */
#define GUNYAH_VM_BOOT_X_REGS		32
#define GUNYAH_VM_BOOT_SP_REGS		3
#define GUNYAH_VM_BOOT_REGS		(GUNYAH_VM_BOOT_X_REGS + 1 + \
					 GUNYAH_VM_BOOT_SP_REGS)
#define GUNYAH_VM_BOOT_PC		GUNYAH_VM_BOOT_X_REGS

/* Memory extents of a demand-paged VM, by their RM label (spec §1.11) */
#define GUNYAH_VM_EXTENT_GUEST_PRIVATE	0
#define GUNYAH_VM_EXTENT_HOST_SHARED	1
#define GUNYAH_VM_EXTENT_HOST_PRIVATE	2
#define GUNYAH_VM_EXTENT_GUEST_SHARED	3
#define GUNYAH_VM_EXTENTS		4

/**
 * enum gunyah_vm_lifecycle - Where a VM is, as the VM manager sees it
 * @GUNYAH_VM_NEW: created, not started
 * @GUNYAH_VM_STARTED: VM_START succeeded
 * @GUNYAH_VM_START_FAILED: an attempt to start failed; only teardown is left
 */
enum gunyah_vm_lifecycle {
	GUNYAH_VM_NEW,
	GUNYAH_VM_STARTED,
	GUNYAH_VM_START_FAILED,
};

/**
 * enum gunyah_binding_kind - Where the memory of a binding comes from
 * @GUNYAH_BINDING_GMEM: a guest-memory fd
 * @GUNYAH_BINDING_USER: pinned process memory (compatibility ioctls)
 */
enum gunyah_binding_kind {
	GUNYAH_BINDING_GMEM,
	GUNYAH_BINDING_USER,
};

/**
 * struct gunyah_vm_binding - A range of guest address space and its memory
 * @gfn: first guest frame
 * @nr: number of frames
 * @kind: where the memory comes from
 * @share: shared with the VM (the host keeps access) rather than lent
 * @perms: the VM's access, GUNYAH_RM_ACL_* bits
 * @label: label of the parcel
 * @file: the guest-memory fd (%GUNYAH_BINDING_GMEM); a reference is held
 * @pgoff: first page of the range in @file
 * @gmem_list: node in the guest-memory fd's list of bindings
 * @gmem_lent: the memory is lent: host faults on it fail (under the
 *             guest-memory fd's invalidate_lock)
 * @pages: the pinned pages (%GUNYAH_BINDING_USER)
 * @mm: mm the pages are accounted to (%GUNYAH_BINDING_USER)
 * @writable: the pages were pinned writable
 * @parcel_handle: handle of the parcel while the memory is given to the
 *                 VM, %GUNYAH_RM_MEM_HANDLE_INVAL otherwise
 * @nr_extents: number of ranges in the parcel (for its trace events)
 * @lost: reclaim failed: the memory stays out of the host's allocator
 * @demand: the memory is given page by page when the guest touches it
 *          (an RM with demand paging), not as a parcel
 * @provided: for @demand, the folios given so far, each at the index of
 *            its first page in the binding; a folio reference is held
 */
struct gunyah_vm_binding {
	u64 gfn;
	u64 nr;
	enum gunyah_binding_kind kind;
	bool share;
	u8 perms;
	u32 label;
	struct file *file;
	pgoff_t pgoff;
	struct list_head gmem_list;
	bool gmem_lent;
	struct page **pages;
	struct mm_struct *mm;
	bool writable;
	u32 parcel_handle;
	u32 nr_extents;
	bool lost;
	bool demand;
	struct xarray provided;
};

struct dentry;
struct gunyah_vm_manager;

/**
 * enum gunyah_rm_option - Optional RM messages the VM manager uses
 * @GUNYAH_RM_BOOT_CONTEXT: VM_SET_BOOT_CONTEXT
 * @GUNYAH_RM_DEMAND_PAGING: VM_SET_DEMAND_PAGING
 * @GUNYAH_RM_OPTIONS: number of options
 */
enum gunyah_rm_option {
	GUNYAH_RM_BOOT_CONTEXT,
	GUNYAH_RM_DEMAND_PAGING,
	GUNYAH_RM_OPTIONS,
};

/**
 * enum gunyah_vm_stat - Statistics of a VM, in the order of its stats fd
 * @GUNYAH_VM_STAT_RM_CALLS: RM calls made for the VM
 * @GUNYAH_VM_STAT_RM_CALL_ERRORS: those that failed
 * @GUNYAH_VM_STAT_MEM_LENT: bytes lent to the VM, in parcels
 * @GUNYAH_VM_STAT_MEM_SHARED: bytes shared with the VM, in parcels
 * @GUNYAH_VM_STAT_MEM_PARCELS: parcels the VM has
 * @GUNYAH_VM_STAT_PAGES_PROVIDED: pages given to the VM on demand
 * @GUNYAH_VM_STATS: number of statistics
 */
enum gunyah_vm_stat {
	GUNYAH_VM_STAT_RM_CALLS,
	GUNYAH_VM_STAT_RM_CALL_ERRORS,
	GUNYAH_VM_STAT_MEM_LENT,
	GUNYAH_VM_STAT_MEM_SHARED,
	GUNYAH_VM_STAT_MEM_PARCELS,
	GUNYAH_VM_STAT_PAGES_PROVIDED,
	GUNYAH_VM_STATS,
};

/**
 * struct gunyah_vm - A VM
 * @mgr: the VM manager it was created through
 * @rm: the Resource Manager that runs it
 * @parent: the RM's device
 * @kref: references: each fd, and the start until it returns
 * @teardown_work: tears the VM down once @kref drops to zero
 * @nb: our notifier on @rm, registered while a VMID is held
 * @vmid: the VMID, %GUNYAH_VMID_INVAL until the VM starts
 * @status_lock: protects @vm_status, @exit_info and @exited; the latter two
 *               are also read without it to tell quickly that nothing
 *               changed (written with WRITE_ONCE())
 * @vm_status: the last status the RM reported
 * @exit_info: why the VM exited, once the RM said so
 * @exited: the RM sent VM_EXITED: @exit_info is valid
 * @status_wait: woken when @vm_status or @exited changes
 * @lock: serialises configuration, start and functions: protects
 *        @lifecycle, @dtb, @boot_regs, @boot_set, @functions
 * @lifecycle: where the VM is
 * @dtb: where the VM's devicetree is; size 0 until set
 * @boot_regs: boot-context registers set by userspace
 * @boot_set: which of @boot_regs were set
 * @functions: functions added to the VM
 * @mem_lock: protects @mem_layout, the bindings in it and @parcels
 * @mem_layout: the bindings, by guest frame range
 * @parcels: number of parcels given to the VM
 * @addrspace_capid: the guest address space, for demand paging
 * @extent_capid: the memory extents of demand paging, by RM label
 * @resources_lock: protects @resources and @resource_tickets
 * @resources: resources the RM gave the host for the VM, not yet taken
 * @resource_tickets: functions waiting for resources
 * @io_handlers: in-kernel MMIO handlers, by guest address; changed under
 *               the xarray's own lock, searched under rcu_read_lock() only
 * @stats: the VM's statistics, by enum gunyah_vm_stat; atomic, as they are
 *         counted under different locks and read under none
 * @debugfs: the VM's debugfs directory, with the statistics of the VM and
 *           of its vCPUs
 * @stats_node: the debugfs file of @stats
 */
struct gunyah_vm {
	struct gunyah_vm_manager *mgr;
	struct gunyah_rm *rm;
	struct device *parent;
	struct kref kref;
	struct work_struct teardown_work;
	struct notifier_block nb;
	u16 vmid;

	spinlock_t status_lock;	/* @vm_status, @exit_info, @exited */
	enum gunyah_rm_vm_status vm_status;
	struct gunyah_vm_exit_info exit_info;
	bool exited;
	wait_queue_head_t status_wait;

	struct mutex lock;	/* configuration, start, functions */
	enum gunyah_vm_lifecycle lifecycle;
	struct gunyah_vm_dtb_config dtb;
	u64 boot_regs[GUNYAH_VM_BOOT_REGS];
	DECLARE_BITMAP(boot_set, GUNYAH_VM_BOOT_REGS);
	struct list_head functions;

	struct rw_semaphore mem_lock;	/* @mem_layout, bindings, @parcels */
	struct maple_tree mem_layout;
	unsigned int parcels;
	u64 addrspace_capid;
	u64 extent_capid[GUNYAH_VM_EXTENTS];

	struct mutex resources_lock;	/* @resources, @resource_tickets */
	struct list_head resources;
	struct list_head resource_tickets;

	struct xarray io_handlers;	/* RCU readers; xa_lock for changes */

	atomic64_t stats[GUNYAH_VM_STATS];
	struct dentry *debugfs;
	struct gunyah_stats_node stats_node;
};

/**
 * gunyah_vm_count_rm_call() - Count an RM call made for a VM
 * @ghvm: the VM
 * @ret: what the call returned: a negative errno if it failed
 */
static inline void gunyah_vm_count_rm_call(struct gunyah_vm *ghvm, int ret)
{
	atomic64_inc(&ghvm->stats[GUNYAH_VM_STAT_RM_CALLS]);
	if (ret < 0)
		atomic64_inc(&ghvm->stats[GUNYAH_VM_STAT_RM_CALL_ERRORS]);
}

int gunyah_vm_stats_fd(struct gunyah_vm *ghvm);
void gunyah_vm_debugfs_init(struct gunyah_vm *ghvm);

/**
 * struct gunyah_vm_manager - The VM manager of one Resource Manager
 * @rm: the Resource Manager
 * @miscdev: /dev/gunyah
 * @wq: runs the teardown of VMs
 * @irq_parent: interrupt controller of the VIRQs the RM hands out (the RM
 *              node's interrupt parent); a reference is held
 * @probe_lock: protects what is learnt from the RM on first use:
 *              @probed, @has, @host_vmid
 * @probed: which enum gunyah_rm_option are known
 * @has: which enum gunyah_rm_option the RM has
 * @host_vmid: our own VMID, for the ACL of shared memory;
 *             %GUNYAH_VMID_INVAL until asked
 * @debugfs: /sys/kernel/debug/gunyah, a directory per VM
 * @vm_seq: numbers the VMs' debugfs directories
 */
struct gunyah_vm_manager {
	struct gunyah_rm *rm;
	struct miscdevice miscdev;
	struct workqueue_struct *wq;
	struct device_node *irq_parent;
	struct mutex probe_lock;	/* what we learnt from the RM */
	DECLARE_BITMAP(probed, GUNYAH_RM_OPTIONS);
	DECLARE_BITMAP(has, GUNYAH_RM_OPTIONS);
	u16 host_vmid;
	struct dentry *debugfs;
	atomic_t vm_seq;
};

int gunyah_vm_manager_init(struct gunyah_vm_manager *mgr,
			   struct gunyah_rm *rm);
void gunyah_vm_manager_exit(struct gunyah_vm_manager *mgr);
int gunyah_vm_manager_register(struct gunyah_vm_manager *mgr,
			       struct gunyah_rm *rm);
void gunyah_vm_manager_unregister(struct gunyah_vm_manager *mgr);
struct gunyah_vm_function *gunyah_vm_function_get(u32 type);
long gunyah_vm_add_function_instance(struct gunyah_vm *ghvm, u32 type,
				     void *arg, size_t arg_size);
long gunyah_vm_remove_function_instance(struct gunyah_vm *ghvm, u32 type,
					const void *arg, size_t arg_size);

struct gunyah_vm *gunyah_vm_alloc(struct gunyah_vm_manager *mgr);
int gunyah_vm_mgr_host_vmid(struct gunyah_vm_manager *mgr, u16 *vmid);
int gunyah_vm_start(struct gunyah_vm *ghvm);
long gunyah_vm_set_boot_context(struct gunyah_vm *ghvm,
				const struct gunyah_vm_boot_context *ctx);
void gunyah_vm_destroy_now(struct gunyah_vm *ghvm);

/* Memory (vm_mgr_mem.c) */
int gunyah_vm_map_mem(struct gunyah_vm *ghvm,
		      const struct gunyah_map_mem_args *args);
int gunyah_vm_map_file(struct gunyah_vm *ghvm,
		       const struct gunyah_map_mem_args *args, struct file *file);
int gunyah_vm_set_user_mem(struct gunyah_vm *ghvm,
			   const struct gunyah_userspace_memory_region *region,
			   bool lend);
int gunyah_vm_give_binding(struct gunyah_vm *ghvm,
			   struct gunyah_vm_binding *b);
int gunyah_vm_give_all_memory(struct gunyah_vm *ghvm,
			      struct gunyah_vm_binding *dtb_binding,
			      bool demand_paging);
int gunyah_vm_set_demand_paging(struct gunyah_vm *ghvm);
int gunyah_vm_take_demand_resources(struct gunyah_vm *ghvm);
bool gunyah_vm_mgr_has(struct gunyah_vm_manager *mgr,
		       enum gunyah_rm_option option);
void gunyah_vm_reclaim_all_memory(struct gunyah_vm *ghvm);
void gunyah_vm_release_bindings(struct gunyah_vm *ghvm);
struct gunyah_vm_binding *gunyah_vm_find_binding(struct gunyah_vm *ghvm,
						 u64 gpa, u64 size);

/**
 * struct gunyah_extents - Physically contiguous ranges of a parcel
 * @entries: the ranges, in guest order
 * @n: number used
 * @max: number allocated
 */
struct gunyah_extents {
	struct gunyah_rm_mem_entry *entries;
	size_t n;
	size_t max;
};

int gunyah_extents_add(struct gunyah_extents *ext, phys_addr_t addr,
		       u64 size);

/* Guest-memory fds (guest_memfd.c) */
int gunyah_gmem_create(const struct gunyah_create_mem_args *args);
struct file *gunyah_gmem_create_file(const struct gunyah_create_mem_args *args);
bool gunyah_gmem_is_gmem(struct file *file);
loff_t gunyah_gmem_size(struct file *file);
int gunyah_gmem_bind(struct gunyah_vm_binding *b);
struct folio *gunyah_gmem_folio(struct gunyah_vm_binding *b, pgoff_t index);
void gunyah_gmem_unbind(struct gunyah_vm_binding *b);
int gunyah_gmem_extents(struct gunyah_vm_binding *b,
			struct gunyah_extents *ext);
void gunyah_gmem_set_lent(struct gunyah_vm_binding *b, bool lent);

#endif
