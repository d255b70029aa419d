// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated hypervisor: guests that run, and the doorbells the host
 * rings into them (§1.9 and §1.10 of the ABI).
 *
 * A guest is a program in the format of gunyah_sim_guest.h, read from the
 * memory the host gave the VM: the image parcel at the VM's base address
 * and, on the full profile, the pages mapped by demand paging. Its vCPUs
 * are proxy-scheduled: each runs only inside the host's vcpu_run, for at
 * most a time slice of instructions, and stops early with a run state when
 * it needs the host.
 *
 * Everything a guest does is under the guest's spinlock, so vcpu_run and
 * bell_send may be called from any context and never sleep. The Resource
 * Manager's side of a guest's exit, which takes the RM's mutex, runs later
 * on the RM's ordered workqueue.
 */

#define pr_fmt(fmt) "gunyah_sim: " fmt

#include <linux/bitmap.h>
#include <linux/highmem.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/unaligned.h>
#include <linux/xarray.h>

#include "gunyah_sim_guest.h"
#include "sim_rm.h"

/* Instructions a vCPU runs in one vcpu_run at most. */
#define GUNYAH_SIM_GUEST_SLICE		64
/* The granule of guest translations. */
#define GUNYAH_SIM_GUEST_GRANULE	SZ_4K
#define GUNYAH_SIM_GUEST_HDR_SIZE	16
#define GUNYAH_SIM_GUEST_INSN_SIZE	24

/* Run-state data (§1.10). */
#define GUNYAH_SIM_POWERED_OFF_EXITED	BIT_ULL(0)
#define GUNYAH_SIM_WAKEUP_FROM_WFI	1
#define GUNYAH_SIM_RESET_SYSTEM_RESET	BIT_ULL(63)
#define GUNYAH_SIM_RESET_TYPE		GENMASK_ULL(31, 0)

/* Exit code of an exit for a software error, in bits 31:16 of word 0. */
#define GUNYAH_SIM_EXIT_CODE_SHIFT	16
#define GUNYAH_SIM_EXIT_CODE_SW_ERROR	1

/**
 * enum gunyah_sim_guest_state - Whether a guest runs
 * @GUNYAH_SIM_GUEST_LOADED: its VM was not started: every vCPU is off
 * @GUNYAH_SIM_GUEST_RUNNING: its VM was started
 * @GUNYAH_SIM_GUEST_EXITED: it exited or was stopped, for good; also once
 *                           its VM was reset
 */
enum gunyah_sim_guest_state {
	GUNYAH_SIM_GUEST_LOADED,
	GUNYAH_SIM_GUEST_RUNNING,
	GUNYAH_SIM_GUEST_EXITED,
};

/**
 * struct gunyah_sim_guest_vcpu - What a vCPU of a guest is doing
 * @intid: its wakeup interrupt in the host, 0 for none
 * @on: powered on
 * @running: a caller is inside vcpu_run for it
 * @pc: index of the instruction it runs next
 * @acc: the accumulator
 * @counter: the loop counter
 * @last: the run state vcpu_run last returned, which says what the resume
 *        data of the next call means; READY once it was consumed
 * @width: access width of the VMMIO access last returned
 * @label: the doorbell it waits for, when @last is EXPECTS_WAKEUP
 * @wakeups: times its wakeup interrupt was raised
 */
struct gunyah_sim_guest_vcpu {
	u32 intid;
	bool on;
	bool running;
	u64 pc;
	u64 acc;
	u64 counter;
	u32 last;
	u8 width;
	u32 label;
	u64 wakeups;
};

/**
 * struct gunyah_sim_guest - A guest of the simulated hypervisor
 * @ref: references: the VM, each of its vCPU and doorbell objects, a
 *       pending @exit_work
 * @rm: the RM whose VM it is
 * @vmid: that VM
 * @exit_work: tells the RM that the guest exited
 * @bells: doorbell label to the &struct gunyah_sim_doorbell the host rings
 *         with that label; entries are cleared when the VM is reset
 * @lock: protects everything below, the vCPUs' state and the state of the
 *        doorbells in @bells
 * @state: whether it runs
 * @full: the RM had the full profile when the VM started: page faults and
 *        resume actions
 * @boot_pc: guest address of the program
 * @count: instructions in the program, once its header was read
 * @mem_base: guest address of the image parcel
 * @mem_size: size of the image parcel
 * @nranges: entries in @ranges
 * @ranges: where the image parcel is in host memory, snapshotted at start
 * @ndp: entries in @dp (full profile)
 * @dp: the demand-paged ranges (full profile)
 * @as: the address space demand paging maps pages in (full profile; holds
 *      a reference), or NULL
 * @exit_type: why it exited, for NOTIFY_VM_EXITED
 * @exit_size: bytes of @exit_reason
 * @exit_reason: the exit reason words
 * @nvcpus: entries in @vcpus
 * @vcpus: the vCPUs, by index
 */
struct gunyah_sim_guest {
	struct kref ref;
	struct gunyah_sim_rm *rm;
	u16 vmid;
	struct work_struct exit_work;
	struct xarray bells;
	spinlock_t lock;	/* protects the guest's state */
	enum gunyah_sim_guest_state state;
	bool full;
	u64 boot_pc;
	u32 count;
	u64 mem_base;
	u64 mem_size;
	unsigned int nranges;
	struct gunyah_sim_rm_mem_range *ranges;
	unsigned int ndp;
	struct gunyah_sim_rm_dp_range dp[GUNYAH_SIM_DP_MAX_RANGES];
	struct gunyah_sim_addrspace *as;
	u16 exit_type;
	u32 exit_size;
	u32 exit_reason[GUNYAH_SIM_EXIT_REASON_MAX / 4];
	unsigned int nvcpus;
	struct gunyah_sim_guest_vcpu vcpus[] __counted_by(nvcpus);
};

/**
 * struct gunyah_sim_guest_out - What vcpu_run returns
 * @state: the run state
 * @data: its data
 */
struct gunyah_sim_guest_out {
	u64 state;
	u64 data[3];
};

/* Called inside each vcpu_run while the caller owns the vCPU (tests). */
static void (*gunyah_sim_run_hook)(u64 capid);

static void gunyah_sim_guest_exit_work(struct work_struct *work);

/**
 * gunyah_sim_guest_create() - Create the guest of a VM
 * @rm: the RM
 * @vmid: the VM, at VM_INIT
 * @nvcpus: how many vCPUs it has, at most %GUNYAH_SIM_VCPUS_MAX
 *
 * Return: the guest, with a reference for the caller, or NULL.
 */
struct gunyah_sim_guest *gunyah_sim_guest_create(struct gunyah_sim_rm *rm,
						 u16 vmid,
						 unsigned int nvcpus)
{
	struct gunyah_sim_guest *g;

	if (WARN_ON(nvcpus > GUNYAH_SIM_VCPUS_MAX))
		return NULL;
	g = kzalloc(struct_size(g, vcpus, nvcpus), GFP_KERNEL);
	if (!g)
		return NULL;
	kref_init(&g->ref);
	g->rm = rm;
	g->vmid = vmid;
	g->nvcpus = nvcpus;
	INIT_WORK(&g->exit_work, gunyah_sim_guest_exit_work);
	xa_init(&g->bells);
	spin_lock_init(&g->lock);
	return g;
}

/**
 * gunyah_sim_guest_get() - Take a reference to a guest
 * @guest: the guest
 *
 * Return: @guest.
 */
struct gunyah_sim_guest *gunyah_sim_guest_get(struct gunyah_sim_guest *guest)
{
	kref_get(&guest->ref);
	return guest;
}

static void gunyah_sim_guest_release(struct kref *ref)
{
	struct gunyah_sim_guest *g;

	g = container_of(ref, struct gunyah_sim_guest, ref);
	if (g->as)
		gunyah_sim_object_put(&g->as->obj);
	xa_destroy(&g->bells);
	kfree(g->ranges);
	kfree(g);
}

/**
 * gunyah_sim_guest_put() - Drop a reference to a guest
 * @guest: the guest
 *
 * Context: any.
 */
void gunyah_sim_guest_put(struct gunyah_sim_guest *guest)
{
	kref_put(&guest->ref, gunyah_sim_guest_release);
}

/**
 * gunyah_sim_guest_set_intid() - Record the wakeup interrupt of a vCPU
 * @guest: the guest
 * @index: the vCPU
 * @intid: its interrupt in the host
 */
void gunyah_sim_guest_set_intid(struct gunyah_sim_guest *guest,
				unsigned int index, u32 intid)
{
	unsigned long flags;

	spin_lock_irqsave(&guest->lock, flags);
	guest->vcpus[index].intid = intid;
	spin_unlock_irqrestore(&guest->lock, flags);
}

/**
 * gunyah_sim_guest_add_bell() - The guest receives on a doorbell
 * @guest: the guest
 * @bell: a doorbell the host rings; the guest finds it by its label, the
 *        first one if several have the same
 *
 * Context: process context, at VM_INIT.
 * Return: 0 or -ENOMEM.
 */
int gunyah_sim_guest_add_bell(struct gunyah_sim_guest *guest,
			      struct gunyah_sim_doorbell *bell)
{
	int ret;

	ret = xa_insert_irq(&guest->bells, bell->label, bell, GFP_KERNEL);
	return ret == -EBUSY ? 0 : ret;
}

/* Raise the wakeup interrupts of the vCPUs in @wake. */
static void gunyah_sim_guest_wake(struct gunyah_sim_guest *g,
				  const unsigned long *wake)
{
	unsigned int i;
	u32 intid;

	for_each_set_bit(i, wake, g->nvcpus) {
		intid = READ_ONCE(g->vcpus[i].intid);
		if (intid)
			gunyah_sim_intc_raise(&g->rm->sim->intc, intid);
	}
}

/* Mark a vCPU to be woken; its wakeups are counted for the tests. */
static void gunyah_sim_guest_mark_wake(struct gunyah_sim_guest *g,
				       unsigned int i, unsigned long *wake)
{
	lockdep_assert_held(&g->lock);
	g->vcpus[i].wakeups++;
	__set_bit(i, wake);
}

/*
 * The guest is gone for good: every vCPU is off, and those not being run
 * are woken so that whoever waits for them notices.
 */
static void gunyah_sim_guest_end(struct gunyah_sim_guest *g,
				 unsigned long *wake)
{
	unsigned int i;

	lockdep_assert_held(&g->lock);
	g->state = GUNYAH_SIM_GUEST_EXITED;
	for (i = 0; i < g->nvcpus; i++) {
		g->vcpus[i].on = false;
		if (!g->vcpus[i].running)
			gunyah_sim_guest_mark_wake(g, i, wake);
	}
}

/*
 * The guest exits by itself: it ends, and the RM learns of it on its
 * workqueue, where it moves the VM to EXITED and notifies the owner.
 */
static void gunyah_sim_guest_exit(struct gunyah_sim_guest *g, u16 type,
				  const u32 *reason, u32 size,
				  unsigned long *wake)
{
	lockdep_assert_held(&g->lock);
	if (g->state != GUNYAH_SIM_GUEST_RUNNING)
		return;
	gunyah_sim_guest_end(g, wake);
	g->exit_type = type;
	g->exit_size = size;
	memcpy(g->exit_reason, reason, size);
	gunyah_sim_guest_get(g);
	if (!queue_work(g->rm->wq, &g->exit_work))
		gunyah_sim_guest_put(g);
}

static void gunyah_sim_guest_exit_work(struct work_struct *work)
{
	struct gunyah_sim_guest *g;
	struct gunyah_sim_rm_vm *vm;
	struct gunyah_sim_rm *rm;

	g = container_of(work, struct gunyah_sim_guest, exit_work);
	rm = g->rm;
	mutex_lock(&rm->lock);
	/* Unless the host stopped or reset the VM first. */
	vm = xa_load(&rm->vms, g->vmid);
	if (vm && vm->guest == g && (vm->state == GUNYAH_SIM_VM_RUNNING ||
				     vm->state == GUNYAH_SIM_VM_PAUSED))
		gunyah_sim_rm_vm_exited(rm, vm, g->exit_type, g->exit_reason,
					g->exit_size);
	mutex_unlock(&rm->lock);
	gunyah_sim_guest_put(g);
}

/**
 * gunyah_sim_guest_start() - Start the guest of a VM
 * @rm: the RM
 * @vm: the VM, at VM_START
 *
 * Snapshots where the image parcel is (it cannot change until the VM is
 * reset), the demand-paged ranges, and powers the boot vCPU (index 0) on
 * at instruction 0 of the program at the boot PC: the PC of the boot
 * context if one was set, else the image's address. Its wakeup interrupt
 * is raised.
 *
 * Context: with &gunyah_sim_rm.lock held.
 * Return: 0 or -ENOMEM.
 */
int gunyah_sim_guest_start(struct gunyah_sim_rm *rm,
			   struct gunyah_sim_rm_vm *vm)
{
	struct gunyah_sim_rm_mem_range *ranges = NULL;
	DECLARE_BITMAP(wake, GUNYAH_SIM_VCPUS_MAX) = {};
	struct gunyah_sim_guest *g = vm->guest;
	struct gunyah_sim_addrspace *as = NULL;
	unsigned int n = 0;
	unsigned long flags;
	u64 size = 0;
	bool full;
	int ret;

	lockdep_assert_held(&rm->lock);
	if (!g)
		return 0;
	ret = gunyah_sim_rm_mem_ranges(rm, vm->image_handle, &ranges, &n);
	if (ret == -ENOMEM)
		return ret;
	if (n)
		size = ranges[n - 1].offset + ranges[n - 1].size;
	full = rm->profile == GUNYAH_SIM_RM_FULL;
	if (full && vm->dp) {
		as = vm->dp->as;
		kref_get(&as->obj.ref);
	}

	spin_lock_irqsave(&g->lock, flags);
	g->full = full;
	g->mem_base = vm->mem_base;
	g->mem_size = size;
	swap(g->ranges, ranges);
	g->nranges = n;
	swap(g->as, as);
	g->ndp = full ? vm->ndp_ranges : 0;
	memcpy(g->dp, vm->dp_ranges, sizeof(g->dp[0]) * g->ndp);
	if (vm->boot_set & BIT_ULL(GUNYAH_SIM_BOOT_REG_PC))
		g->boot_pc = vm->boot_regs[GUNYAH_SIM_BOOT_REG_PC];
	else
		g->boot_pc = vm->mem_base + vm->image_offset;
	g->state = GUNYAH_SIM_GUEST_RUNNING;
	if (g->nvcpus) {
		g->vcpus[0].on = true;
		g->vcpus[0].last = GUNYAH_VCPU_STATE_READY;
		gunyah_sim_guest_mark_wake(g, 0, wake);
	}
	spin_unlock_irqrestore(&g->lock, flags);

	gunyah_sim_guest_wake(g, wake);
	kfree(ranges);
	if (as)
		gunyah_sim_object_put(&as->obj);
	return 0;
}

/**
 * gunyah_sim_guest_stop() - The host stops a guest (VM_STOP with FORCE)
 * @guest: the guest
 *
 * Every vCPU is powered off for good and woken, as when the guest exits
 * by itself.
 */
void gunyah_sim_guest_stop(struct gunyah_sim_guest *guest)
{
	DECLARE_BITMAP(wake, GUNYAH_SIM_VCPUS_MAX) = {};
	unsigned long flags;

	spin_lock_irqsave(&guest->lock, flags);
	gunyah_sim_guest_end(guest, wake);
	spin_unlock_irqrestore(&guest->lock, flags);
	gunyah_sim_guest_wake(guest, wake);
}

/**
 * gunyah_sim_guest_detach() - The VM of a guest is reset or goes away
 * @guest: the guest
 *
 * The guest ends, if it had not, and forgets its doorbells, before their
 * capabilities are revoked. Objects still referring to it keep it until
 * they go.
 */
void gunyah_sim_guest_detach(struct gunyah_sim_guest *guest)
{
	DECLARE_BITMAP(wake, GUNYAH_SIM_VCPUS_MAX) = {};
	struct gunyah_sim_doorbell *bell;
	unsigned long flags, label;

	spin_lock_irqsave(&guest->lock, flags);
	if (guest->state != GUNYAH_SIM_GUEST_EXITED)
		gunyah_sim_guest_end(guest, wake);
	/* Interrupts are off: the xarray's lock is taken without disabling. */
	xa_for_each(&guest->bells, label, bell)
		xa_erase(&guest->bells, label);
	spin_unlock_irqrestore(&guest->lock, flags);
	gunyah_sim_guest_wake(guest, wake);
}

/* Whether a demand-paged range holds @ipa. */
static bool gunyah_sim_guest_in_dp(const struct gunyah_sim_guest *g, u64 ipa)
{
	unsigned int i;

	for (i = 0; i < g->ndp; i++)
		if (ipa >= g->dp[i].base && ipa - g->dp[i].base < g->dp[i].size)
			return true;
	return false;
}

/*
 * The host physical address of guest address @ipa: in the image parcel,
 * else (full profile) mapped by demand paging. False if nothing is there,
 * or only memory the simulator cannot reach.
 */
static bool gunyah_sim_guest_translate(const struct gunyah_sim_guest *g,
				       u64 ipa, phys_addr_t *pa)
{
	const struct gunyah_sim_rm_mem_range *r;
	unsigned int lo = 0, hi = g->nranges, mid;
	u64 off = ipa - g->mem_base;
	void *entry;

	if (ipa >= g->mem_base && off < g->mem_size) {
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (g->ranges[mid].offset <= off)
				lo = mid;
			else
				hi = mid;
		}
		r = &g->ranges[lo];
		*pa = r->pa + (off - r->offset);
	} else if (g->as) {
		entry = xa_load(&g->as->map, ipa / GUNYAH_SIM_GUEST_GRANULE);
		if (!entry)
			return false;
		*pa = (u64)xa_to_value(entry) * GUNYAH_SIM_GUEST_GRANULE +
		      ipa % GUNYAH_SIM_GUEST_GRANULE;
	} else {
		return false;
	}
	return pfn_valid(PHYS_PFN(*pa));
}

/* The most a guest access covers: an instruction. */
#define GUNYAH_SIM_GUEST_MAX_ACCESS	GUNYAH_SIM_GUEST_INSN_SIZE

/*
 * Copy between guest memory at @ipa and @buf, @len bytes. False, with
 * *fault the first guest address where nothing is, if any byte is not
 * there; nothing is copied then.
 */
static bool gunyah_sim_guest_access(const struct gunyah_sim_guest *g,
				    u64 ipa, u8 *buf, unsigned int len,
				    bool write, u64 *fault)
{
	phys_addr_t pa[2];
	unsigned int chunk[2], n = 0, i;
	u64 at = ipa, end = ipa + len;
	void *va;

	BUILD_BUG_ON(GUNYAH_SIM_GUEST_MAX_ACCESS > GUNYAH_SIM_GUEST_GRANULE);
	if (WARN_ON_ONCE(len > GUNYAH_SIM_GUEST_MAX_ACCESS) || end < ipa) {
		*fault = ipa;
		return false;
	}
	while (at < end) {
		chunk[n] = min_t(u64, end - at, GUNYAH_SIM_GUEST_GRANULE -
					       at % GUNYAH_SIM_GUEST_GRANULE);
		if (!gunyah_sim_guest_translate(g, at, &pa[n])) {
			*fault = at;
			return false;
		}
		at += chunk[n++];
	}
	for (i = 0; i < n; i++) {
		va = kmap_local_page(pfn_to_page(PHYS_PFN(pa[i])));
		if (write)
			memcpy(va + offset_in_page(pa[i]), buf, chunk[i]);
		else
			memcpy(buf, va + offset_in_page(pa[i]), chunk[i]);
		kunmap_local(va);
		buf += chunk[i];
	}
	return true;
}

static void gunyah_sim_guest_set_out(struct gunyah_sim_guest_out *out,
				     u64 state, u64 d0, u64 d1, u64 d2)
{
	out->state = state;
	out->data[0] = d0;
	out->data[1] = d1;
	out->data[2] = d2;
}

/* An unrecoverable fault: the vCPU faults, the VM exits. */
static void gunyah_sim_guest_crash(struct gunyah_sim_guest *g,
				   struct gunyah_sim_guest_out *out,
				   unsigned long *wake)
{
	static const u32 reason[1] = {
		GUNYAH_SIM_EXIT_CODE_SW_ERROR << GUNYAH_SIM_EXIT_CODE_SHIFT,
	};

	gunyah_sim_guest_exit(g, GUNYAH_SIM_EXIT_SOFTWARE_ERROR, reason,
			      sizeof(reason), wake);
	gunyah_sim_guest_set_out(out, GUNYAH_VCPU_STATE_FAULT, 0, 0, 0);
}

/*
 * Nothing at guest address @ipa: the host gets a page fault if demand
 * paging may put a page there (the instruction runs again on the next
 * call), else the guest crashes.
 */
static void gunyah_sim_guest_missing(struct gunyah_sim_guest *g,
				     struct gunyah_sim_guest_vcpu *v, u64 ipa,
				     bool write,
				     struct gunyah_sim_guest_out *out,
				     unsigned long *wake)
{
	if (g->full && gunyah_sim_guest_in_dp(g, ipa)) {
		v->last = GUNYAH_VCPU_ADDRSPACE_PAGE_FAULT;
		gunyah_sim_guest_set_out(out, v->last, ipa, write, 0);
		return;
	}
	gunyah_sim_guest_crash(g, out, wake);
}

static u64 gunyah_sim_guest_mask(unsigned int width)
{
	return width == 8 ? U64_MAX : BIT_ULL(width * 8) - 1;
}

/* LOAD and STORE: VMMIO below 1 GiB, memory elsewhere. */
static bool gunyah_sim_guest_mem_op(struct gunyah_sim_guest *g,
				    struct gunyah_sim_guest_vcpu *v, u32 op,
				    u32 arg, u64 addr, u64 data,
				    struct gunyah_sim_guest_out *out,
				    unsigned long *wake)
{
	unsigned int width = arg & GUNYAH_SIM_GUEST_WIDTH_MASK;
	bool store = op == GUNYAH_SIM_GUEST_STORE;
	u32 allowed = store ? GUNYAH_SIM_GUEST_ACC : 0;
	u8 buf[8] = {};
	u64 fault;

	if (!is_power_of_2(width) || width > 8 ||
	    (arg & ~GUNYAH_SIM_GUEST_WIDTH_MASK & ~allowed)) {
		gunyah_sim_guest_crash(g, out, wake);
		return true;
	}
	if (store && (arg & GUNYAH_SIM_GUEST_ACC))
		data = v->acc;
	data &= gunyah_sim_guest_mask(width);

	if (addr < GUNYAH_SIM_GUEST_VMMIO_END) {
		v->width = width;
		v->last = store ? GUNYAH_VCPU_ADDRSPACE_VMMIO_WRITE :
				  GUNYAH_VCPU_ADDRSPACE_VMMIO_READ;
		gunyah_sim_guest_set_out(out, v->last, addr, width,
					 store ? data : 0);
		return true;
	}

	if (store)
		put_unaligned_le64(data, buf);
	if (!gunyah_sim_guest_access(g, addr, buf, width, store, &fault)) {
		gunyah_sim_guest_missing(g, v, fault, store, out, wake);
		return true;
	}
	if (!store)
		v->acc = get_unaligned_le64(buf);
	v->pc++;
	return false;
}

/* PSCI CPU_ON: an error for a vCPU that does not exist or is on. */
static void gunyah_sim_guest_cpu_on(struct gunyah_sim_guest *g, u32 index,
				    u64 pc, unsigned long *wake)
{
	struct gunyah_sim_guest_vcpu *t;

	if (index >= g->nvcpus || g->vcpus[index].on)
		return;
	t = &g->vcpus[index];
	t->on = true;
	t->pc = pc;
	t->acc = 0;
	t->counter = 0;
	t->last = GUNYAH_VCPU_STATE_READY;
	gunyah_sim_guest_mark_wake(g, index, wake);
}

/* PSCI CPU_OFF; the last vCPU going off powers the VM off. */
static void gunyah_sim_guest_cpu_off(struct gunyah_sim_guest *g,
				     struct gunyah_sim_guest_vcpu *v,
				     struct gunyah_sim_guest_out *out,
				     unsigned long *wake)
{
	static const u32 reason[1];
	unsigned int i;

	v->on = false;
	v->last = GUNYAH_VCPU_STATE_POWERED_OFF;
	gunyah_sim_guest_set_out(out, v->last, 0, 0, 0);
	for (i = 0; i < g->nvcpus; i++)
		if (g->vcpus[i].on)
			return;
	gunyah_sim_guest_exit(g, GUNYAH_SIM_EXIT_PLATFORM_OFF, reason,
			      sizeof(reason), wake);
	out->data[0] = GUNYAH_SIM_POWERED_OFF_EXITED;
}

/* PSCI SYSTEM_RESET (@arg 0) and SYSTEM_RESET2 (@arg 1). */
static void gunyah_sim_guest_reset(struct gunyah_sim_guest *g, u32 arg,
				   u64 cookie, u64 type,
				   struct gunyah_sim_guest_out *out,
				   unsigned long *wake)
{
	static const u32 reset[1];
	u32 reset2[4];

	type &= GUNYAH_SIM_RESET_TYPE;
	switch (arg) {
	case 0:
		gunyah_sim_guest_exit(g, GUNYAH_SIM_EXIT_PLATFORM_RESET, reset,
				      sizeof(reset), wake);
		gunyah_sim_guest_set_out(out,
					 GUNYAH_VCPU_STATE_PSCI_SYSTEM_RESET,
					 GUNYAH_SIM_RESET_SYSTEM_RESET, 0, 0);
		break;
	case 1:
		reset2[0] = 0;
		reset2[1] = type;
		reset2[2] = lower_32_bits(cookie);
		reset2[3] = upper_32_bits(cookie);
		gunyah_sim_guest_exit(g, GUNYAH_SIM_EXIT_PSCI_RESET2, reset2,
				      sizeof(reset2), wake);
		gunyah_sim_guest_set_out(out,
					 GUNYAH_VCPU_STATE_PSCI_SYSTEM_RESET,
					 type, cookie, 0);
		break;
	default:
		gunyah_sim_guest_crash(g, out, wake);
		break;
	}
}

/* The doorbell the host rings with @label, or NULL. */
static struct gunyah_sim_doorbell *
gunyah_sim_guest_bell(struct gunyah_sim_guest *g, u32 label)
{
	return xa_load(&g->bells, label);
}

/* Run one instruction; true if the vCPU stops, with *out set. */
static bool gunyah_sim_guest_insn(struct gunyah_sim_guest *g,
				  unsigned int index, const u8 *insn,
				  struct gunyah_sim_guest_out *out,
				  unsigned long *wake)
{
	struct gunyah_sim_guest_vcpu *v = &g->vcpus[index];
	u32 op = get_unaligned_le32(insn), arg = get_unaligned_le32(insn + 4);
	u64 addr = get_unaligned_le64(insn + 8);
	u64 data = get_unaligned_le64(insn + 16);
	struct gunyah_sim_doorbell *bell;
	u32 code;

	switch (op) {
	case GUNYAH_SIM_GUEST_NOP:
		v->pc++;
		return false;
	case GUNYAH_SIM_GUEST_LOAD:
	case GUNYAH_SIM_GUEST_STORE:
		return gunyah_sim_guest_mem_op(g, v, op, arg, addr, data, out,
					       wake);
	case GUNYAH_SIM_GUEST_WAIT_BELL:
	case GUNYAH_SIM_GUEST_ACK_BELL:
		bell = gunyah_sim_guest_bell(g, arg);
		if (!bell)
			break;
		if (op == GUNYAH_SIM_GUEST_ACK_BELL) {
			v->acc = bell->flags;
			bell->flags = 0;
			bell->asserted = false;
		} else if (!bell->asserted) {
			v->label = arg;
			v->last = GUNYAH_VCPU_STATE_EXPECTS_WAKEUP;
			gunyah_sim_guest_set_out(out, v->last, 0,
						 GUNYAH_SIM_WAKEUP_FROM_WFI, 0);
			return true;
		}
		v->pc++;
		return false;
	case GUNYAH_SIM_GUEST_POWEROFF:
		code = (u16)data << GUNYAH_SIM_EXIT_CODE_SHIFT;
		gunyah_sim_guest_exit(g, GUNYAH_SIM_EXIT_PLATFORM_OFF, &code,
				      sizeof(code), wake);
		gunyah_sim_guest_set_out(out, GUNYAH_VCPU_STATE_POWERED_OFF,
					 GUNYAH_SIM_POWERED_OFF_EXITED, 0, 0);
		return true;
	case GUNYAH_SIM_GUEST_RESET:
		gunyah_sim_guest_reset(g, arg, addr, data, out, wake);
		return true;
	case GUNYAH_SIM_GUEST_SET_COUNTER:
		v->counter = data;
		v->pc++;
		return false;
	case GUNYAH_SIM_GUEST_LOOP:
		v->pc = --v->counter ? arg : v->pc + 1;
		return false;
	case GUNYAH_SIM_GUEST_JUMP:
		v->pc = arg;
		return false;
	case GUNYAH_SIM_GUEST_YIELD:
		v->pc++;
		gunyah_sim_guest_set_out(out, GUNYAH_VCPU_STATE_READY, 0, 0, 0);
		return true;
	case GUNYAH_SIM_GUEST_BLOCK:
		v->pc++;
		gunyah_sim_guest_set_out(out, GUNYAH_VCPU_STATE_BLOCKED, 0, 0, 0);
		return true;
	case GUNYAH_SIM_GUEST_CPU_ON:
		gunyah_sim_guest_cpu_on(g, arg, data, wake);
		v->pc++;
		return false;
	case GUNYAH_SIM_GUEST_CPU_OFF:
		v->pc++;
		gunyah_sim_guest_cpu_off(g, v, out, wake);
		return true;
	}
	/* CRASH, an unknown op, a doorbell the guest does not have. */
	gunyah_sim_guest_crash(g, out, wake);
	return true;
}

/* Run a vCPU for a time slice at most. */
static void gunyah_sim_guest_exec(struct gunyah_sim_guest *g,
				  unsigned int index,
				  struct gunyah_sim_guest_out *out,
				  unsigned long *wake)
{
	struct gunyah_sim_guest_vcpu *v = &g->vcpus[index];
	u8 hdr[GUNYAH_SIM_GUEST_HDR_SIZE], insn[GUNYAH_SIM_GUEST_INSN_SIZE];
	unsigned int n;
	u64 fault, ipa;
	u32 count;

	BUILD_BUG_ON(sizeof(struct gunyah_sim_guest_header) != sizeof(hdr));
	BUILD_BUG_ON(sizeof(struct gunyah_sim_guest_insn) != sizeof(insn));
	/* The header is read once, like a loader would. */
	if (!g->count) {
		if (!gunyah_sim_guest_access(g, g->boot_pc, hdr, sizeof(hdr),
					     false, &fault)) {
			gunyah_sim_guest_missing(g, v, fault, false, out, wake);
			return;
		}
		if (get_unaligned_le32(hdr) != GUNYAH_SIM_GUEST_MAGIC ||
		    get_unaligned_le32(hdr + 4) != GUNYAH_SIM_GUEST_VERSION ||
		    get_unaligned_le32(hdr + 12)) {
			gunyah_sim_guest_crash(g, out, wake);
			return;
		}
		g->count = get_unaligned_le32(hdr + 8);
	}
	count = g->count;

	for (n = 0; n < GUNYAH_SIM_GUEST_SLICE; n++) {
		if (v->pc >= count) {
			gunyah_sim_guest_crash(g, out, wake);
			return;
		}
		ipa = g->boot_pc + sizeof(hdr) + v->pc * sizeof(insn);
		if (!gunyah_sim_guest_access(g, ipa, insn, sizeof(insn), false,
					     &fault)) {
			gunyah_sim_guest_missing(g, v, fault, false, out, wake);
			return;
		}
		if (gunyah_sim_guest_insn(g, index, insn, out, wake))
			return;
	}
	gunyah_sim_guest_set_out(out, GUNYAH_VCPU_STATE_READY, 0, 0, 0);
}

/*
 * Take the resume data as the state last returned says: the value a VMMIO
 * read loads, and on the full profile the resume action after a VMMIO
 * access or a page fault. *stop is set if the vCPU cannot go on (*out
 * says why).
 */
static unsigned long gunyah_sim_guest_resume(struct gunyah_sim_guest *g,
					     struct gunyah_sim_guest_vcpu *v,
					     const unsigned long *resume,
					     struct gunyah_sim_guest_out *out,
					     unsigned long *wake, bool *stop)
{
	unsigned long action = GUNYAH_ADDRSPACE_VMMIO_ACTION_EMULATE;
	u32 last = v->last;

	*stop = false;
	v->last = GUNYAH_VCPU_STATE_READY;
	if (last != GUNYAH_VCPU_ADDRSPACE_VMMIO_READ &&
	    last != GUNYAH_VCPU_ADDRSPACE_VMMIO_WRITE &&
	    last != GUNYAH_VCPU_ADDRSPACE_PAGE_FAULT)
		return GUNYAH_ERROR_OK;

	if (g->full)
		action = resume[1];
	switch (action) {
	case GUNYAH_ADDRSPACE_VMMIO_ACTION_EMULATE:
		/* After a page fault there is nothing to emulate: retry. */
		if (last == GUNYAH_VCPU_ADDRSPACE_PAGE_FAULT)
			break;
		if (last == GUNYAH_VCPU_ADDRSPACE_VMMIO_READ)
			v->acc = resume[0] & gunyah_sim_guest_mask(v->width);
		v->pc++;
		break;
	case GUNYAH_ADDRSPACE_VMMIO_ACTION_RETRY:
		break;
	case GUNYAH_ADDRSPACE_VMMIO_ACTION_FAULT:
		gunyah_sim_guest_crash(g, out, wake);
		*stop = true;
		break;
	default:
		/* Still stopped there: the host may resume properly. */
		v->last = last;
		return GUNYAH_ERROR_ARG_INVAL;
	}
	return GUNYAH_ERROR_OK;
}

static unsigned long gunyah_sim_guest_run(struct gunyah_sim_guest *g,
					  unsigned int index,
					  const unsigned long *resume,
					  struct gunyah_sim_guest_out *out,
					  unsigned long *wake)
{
	struct gunyah_sim_guest_vcpu *v = &g->vcpus[index];
	unsigned long err;
	bool stop;

	lockdep_assert_held(&g->lock);
	if (g->state != GUNYAH_SIM_GUEST_RUNNING) {
		gunyah_sim_guest_set_out(out, GUNYAH_VCPU_STATE_POWERED_OFF,
					 g->state == GUNYAH_SIM_GUEST_EXITED ?
					 GUNYAH_SIM_POWERED_OFF_EXITED : 0,
					 0, 0);
		return GUNYAH_ERROR_OK;
	}
	if (!v->on) {
		v->last = GUNYAH_VCPU_STATE_POWERED_OFF;
		gunyah_sim_guest_set_out(out, v->last, 0, 0, 0);
		return GUNYAH_ERROR_OK;
	}
	err = gunyah_sim_guest_resume(g, v, resume, out, wake, &stop);
	if (!err && !stop)
		gunyah_sim_guest_exec(g, index, out, wake);
	return err;
}

/**
 * gunyah_sim_vcpu_run() - Answer vcpu_run
 * @sim: the simulated hypervisor
 * @args: X1 the vCPU (needs AFFINITY and YIELD_TO), X2..X4 resume data
 * @res: X0 the error; X1 the run state, X2..X4 its data
 *
 * BUSY if the vCPU is not proxy-scheduled or another caller runs it.
 *
 * Context: any; does not sleep.
 */
void gunyah_sim_vcpu_run(struct gunyah_sim *sim,
			 const struct arm_smccc_1_2_regs *args,
			 struct arm_smccc_1_2_regs *res)
{
	const unsigned long resume[3] = { args->a2, args->a3, args->a4 };
	DECLARE_BITMAP(wake, GUNYAH_SIM_VCPUS_MAX) = {};
	struct gunyah_sim_guest_out out = {};
	struct gunyah_sim_guest_vcpu *v;
	struct gunyah_sim_rm_vcpu *vcpu;
	struct gunyah_sim_object *obj;
	struct gunyah_sim_guest *g;
	unsigned long flags, err;
	void (*hook)(u64 capid);
	bool busy;

	obj = gunyah_sim_cap_get(sim, args->a1, GUNYAH_SIM_OBJ_VCPU,
				 GUNYAH_SIM_VCPU_AFFINITY |
				 GUNYAH_SIM_VCPU_YIELD_TO, &err);
	if (!obj) {
		res->a0 = err;
		return;
	}
	vcpu = container_of(obj, struct gunyah_sim_rm_vcpu, obj);
	g = vcpu->guest;
	if (!vcpu->proxy || !g) {
		res->a0 = GUNYAH_ERROR_BUSY;
		goto out_put;
	}
	v = &g->vcpus[vcpu->index];

	/* One critical section per call: this is every MMIO exit's path. */
	hook = READ_ONCE(gunyah_sim_run_hook);
	spin_lock_irqsave(&g->lock, flags);
	busy = v->running;
	if (!busy && hook) {
		v->running = true;
		spin_unlock_irqrestore(&g->lock, flags);
		hook(args->a1);
		spin_lock_irqsave(&g->lock, flags);
	}
	if (!busy) {
		err = gunyah_sim_guest_run(g, vcpu->index, resume, &out, wake);
		v->running = false;
	}
	spin_unlock_irqrestore(&g->lock, flags);
	if (busy) {
		res->a0 = GUNYAH_ERROR_BUSY;
		goto out_put;
	}
	gunyah_sim_guest_wake(g, wake);

	res->a0 = err;
	if (err == GUNYAH_ERROR_OK) {
		res->a1 = out.state;
		res->a2 = out.data[0];
		res->a3 = out.data[1];
		res->a4 = out.data[2];
	}
out_put:
	gunyah_sim_object_put(obj);
}

/*
 * The flags changed or the masks: with enabled flags pending the guest's
 * interrupt is asserted, the acknowledged flags cleared, and the vCPUs
 * waiting for it woken.
 */
static void gunyah_sim_bell_update(struct gunyah_sim_guest *g,
				   struct gunyah_sim_doorbell *bell,
				   unsigned long *wake)
{
	struct gunyah_sim_guest_vcpu *v;
	unsigned int i;

	lockdep_assert_held(&g->lock);
	if (!(bell->flags & bell->enable_mask))
		return;
	bell->asserted = true;
	bell->flags &= ~bell->ack_mask;
	/* Only the doorbell the guest sees with this label wakes it. */
	if (g->state != GUNYAH_SIM_GUEST_RUNNING ||
	    gunyah_sim_guest_bell(g, bell->label) != bell)
		return;
	for (i = 0; i < g->nvcpus; i++) {
		v = &g->vcpus[i];
		if (v->on && !v->running && v->label == bell->label &&
		    v->last == GUNYAH_VCPU_STATE_EXPECTS_WAKEUP)
			gunyah_sim_guest_mark_wake(g, i, wake);
	}
}

static void gunyah_sim_bell_call(struct gunyah_sim *sim,
				 const struct arm_smccc_1_2_regs *args,
				 struct arm_smccc_1_2_regs *res, bool send)
{
	DECLARE_BITMAP(wake, GUNYAH_SIM_VCPUS_MAX) = {};
	struct gunyah_sim_doorbell *bell;
	struct gunyah_sim_object *obj;
	struct gunyah_sim_guest *g;
	unsigned long flags;

	obj = gunyah_sim_cap_get(sim, args->a1, GUNYAH_SIM_OBJ_DOORBELL,
				 GUNYAH_SIM_BELL_SEND, &res->a0);
	if (!obj)
		return;
	bell = container_of(obj, struct gunyah_sim_doorbell, obj);
	g = bell->guest;

	spin_lock_irqsave(&g->lock, flags);
	if (send) {
		res->a1 = bell->flags;
		bell->flags |= args->a2;
	} else {
		bell->enable_mask = args->a2;
		bell->ack_mask = args->a3;
	}
	gunyah_sim_bell_update(g, bell, wake);
	spin_unlock_irqrestore(&g->lock, flags);
	gunyah_sim_guest_wake(g, wake);
	gunyah_sim_object_put(obj);
}

/**
 * gunyah_sim_bell_send() - Answer doorbell_send
 * @sim: the simulated hypervisor
 * @args: X1 the doorbell (needs SEND), X2 the flags to raise
 * @res: X0 the error, X1 the flags before
 *
 * Context: any; does not sleep.
 */
void gunyah_sim_bell_send(struct gunyah_sim *sim,
			  const struct arm_smccc_1_2_regs *args,
			  struct arm_smccc_1_2_regs *res)
{
	gunyah_sim_bell_call(sim, args, res, true);
}

/**
 * gunyah_sim_bell_set_mask() - Answer doorbell_mask
 * @sim: the simulated hypervisor
 * @args: X1 the doorbell, X2 the enable mask, X3 the ack mask
 * @res: X0 the error
 *
 * The host sets the masks of the doorbells it rings, with the SEND right
 * its capability has. Flags pending and enabled by the new mask assert the
 * guest's interrupt at once.
 *
 * Context: any; does not sleep.
 */
void gunyah_sim_bell_set_mask(struct gunyah_sim *sim,
			      const struct arm_smccc_1_2_regs *args,
			      struct arm_smccc_1_2_regs *res)
{
	gunyah_sim_bell_call(sim, args, res, false);
}

/* The guest of a VM, with a reference, or NULL. */
static struct gunyah_sim_guest *gunyah_sim_guest_of(u16 vmid)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_current();
	struct gunyah_sim_guest *g = NULL;
	struct gunyah_sim_rm_vm *vm;

	mutex_lock(&rm->lock);
	vm = xa_load(&rm->vms, vmid);
	if (vm && vm->guest)
		g = gunyah_sim_guest_get(vm->guest);
	mutex_unlock(&rm->lock);
	return g;
}

/**
 * gunyah_sim_bell_state() - The state of a doorbell a VM's guest receives on
 * @vmid: the VM
 * @label: the doorbell's label
 * @flags: set to the flags pending
 * @enable: set to the enable mask
 * @ack: set to the ack mask
 * @asserted: set to whether the guest's interrupt is asserted and not
 *            acknowledged
 *
 * Context: process context.
 * Return: 0, or -ENOENT if the VM has no guest or the guest no such
 * doorbell.
 */
int gunyah_sim_bell_state(u16 vmid, u32 label, u64 *flags, u64 *enable,
			  u64 *ack, bool *asserted)
{
	struct gunyah_sim_doorbell *bell;
	struct gunyah_sim_guest *g;
	unsigned long irqflags;
	int ret = -ENOENT;

	g = gunyah_sim_guest_of(vmid);
	if (!g)
		return ret;
	spin_lock_irqsave(&g->lock, irqflags);
	bell = gunyah_sim_guest_bell(g, label);
	if (bell) {
		*flags = bell->flags;
		*enable = bell->enable_mask;
		*ack = bell->ack_mask;
		*asserted = bell->asserted;
		ret = 0;
	}
	spin_unlock_irqrestore(&g->lock, irqflags);
	gunyah_sim_guest_put(g);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_sim_bell_state);

/**
 * gunyah_sim_get_vcpu_info() - What a vCPU of a VM's guest is doing
 * @vmid: the VM
 * @index: the vCPU
 * @info: filled in
 *
 * Context: process context.
 * Return: 0, or -ENOENT if the VM has no guest or no such vCPU.
 */
int gunyah_sim_get_vcpu_info(u16 vmid, u32 index,
			     struct gunyah_sim_vcpu_info *info)
{
	struct gunyah_sim_guest_vcpu *v;
	struct gunyah_sim_guest *g;
	unsigned long flags;
	int ret = -ENOENT;

	g = gunyah_sim_guest_of(vmid);
	if (!g)
		return ret;
	if (index < g->nvcpus) {
		v = &g->vcpus[index];
		spin_lock_irqsave(&g->lock, flags);
		*info = (struct gunyah_sim_vcpu_info) {
			.on = v->on,
			.running = v->running,
			.pc = v->pc,
			.acc = v->acc,
			.counter = v->counter,
			.last_state = v->last,
			.intid = v->intid,
			.wakeups = v->wakeups,
		};
		spin_unlock_irqrestore(&g->lock, flags);
		ret = 0;
	}
	gunyah_sim_guest_put(g);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_sim_get_vcpu_info);

/**
 * gunyah_sim_set_vcpu_run_hook() - Call a function inside every vcpu_run
 * @hook: called with the vCPU's capability ID while the caller owns the
 *        vCPU, before it runs (another vcpu_run on it then gets BUSY);
 *        NULL for none
 *
 * For tests of concurrent callers.
 */
void gunyah_sim_set_vcpu_run_hook(void (*hook)(u64 capid))
{
	WRITE_ONCE(gunyah_sim_run_hook, hook);
}
EXPORT_SYMBOL_GPL(gunyah_sim_set_vcpu_run_hook);
