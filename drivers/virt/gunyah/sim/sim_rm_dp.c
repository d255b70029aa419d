// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated hypervisor: demand paging (§1.11 of the ABI).
 *
 * On the full profile the Resource Manager gives the owner of a VM with
 * demand-paged ranges an address space and four memory extents. The owner
 * moves its pages into the guest's extents with memextent_donate, maps them
 * in the guest with addrspace_map, and takes them back the other way.
 *
 * The host's IPA is the Linux physical address. A page donated to a guest's
 * extent has an entry in the RM's page index, like a page in a memory
 * parcel, so a page is never both lent in a parcel and donated.
 *
 * Everything here runs under the RM's mutex: the hypercalls of this file
 * may sleep, unlike those of a real hypervisor.
 */

#define pr_fmt(fmt) "gunyah_sim: " fmt

#include <linux/bitfield.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "sim_rm.h"

/* memextent_donate options */
#define GUNYAH_SIM_DONATE_TYPE		GENMASK_ULL(7, 0)
#define GUNYAH_SIM_DONATE_RES0		(GENMASK_ULL(63, 32) | GENMASK_ULL(30, 8))
#define GUNYAH_SIM_DONATE_TO_SIBLING	2
#define GUNYAH_SIM_DONATE_TO_PROTECTED	3
#define GUNYAH_SIM_DONATE_FROM_PROTECTED 4

/* addrspace_map and addrspace_unmap flags */
#define GUNYAH_SIM_MAP_PARTIAL		BIT_ULL(0)
#define GUNYAH_SIM_MAP_PRIVATE		BIT_ULL(1)
#define GUNYAH_SIM_MAP_VMMIO		BIT_ULL(2)
#define GUNYAH_SIM_MAP_RES0_PUBLIC	(GENMASK_ULL(63, 32) | GENMASK_ULL(30, 1))
#define GUNYAH_SIM_MAP_RES0_FULL	(GENMASK_ULL(63, 32) | GENMASK_ULL(30, 3))
/* addrspace_map attrs: bits 31:24, 15:8, 7 and 3 are reserved. */
#define GUNYAH_SIM_MAP_ATTRS_RES0	(GENMASK_ULL(63, 24) | \
					 GENMASK_ULL(15, 7) | BIT_ULL(3))

/* Host pages and guest addresses the simulator handles: below 2^44. */
#define GUNYAH_SIM_DP_ADDR_LIMIT	BIT_ULL(44)
/* Pages handled before rescheduling. */
#define GUNYAH_SIM_DP_BATCH		4096

/* The key of an extent: a serial number, the VMID and the label (0..3). */
#define GUNYAH_SIM_EXT_KEY_SERIAL	GENMASK(57, 18)
#define GUNYAH_SIM_EXT_KEY_VMID		GENMASK(17, 2)
#define GUNYAH_SIM_EXT_KEY_LABEL	GENMASK(1, 0)

/**
 * struct gunyah_sim_dp_map - Arguments of addrspace_map and addrspace_unmap
 * @vbase: guest IPA
 * @attrs: access and memory type (map only)
 * @flags: PARTIAL, PRIVATE, VMMIO, NOSYNC
 * @offset: host physical address of the first page
 * @size: length
 */
struct gunyah_sim_dp_map {
	u64 vbase;
	u64 attrs;
	u64 flags;
	u64 offset;
	u64 size;
};

static void gunyah_sim_memextent_release(struct gunyah_sim_object *obj)
{
	kfree(container_of(obj, struct gunyah_sim_memextent, obj));
}

static void gunyah_sim_addrspace_release(struct gunyah_sim_object *obj)
{
	struct gunyah_sim_addrspace *as;

	as = container_of(obj, struct gunyah_sim_addrspace, obj);
	xa_destroy(&as->map);
	kfree(as);
}

static void *gunyah_sim_ext_entry(const struct gunyah_sim_memextent *ext)
{
	return xa_mk_value(ext->key);
}

/* Remove every mapping of an address space. */
static void gunyah_sim_as_unmap_all(struct gunyah_sim_rm *rm,
				    struct gunyah_sim_addrspace *as)
{
	unsigned long gfn, n = 0;
	void *entry;

	lockdep_assert_held(&rm->lock);
	xa_for_each(&as->map, gfn, entry) {
		xa_clear_mark(&rm->pages, xa_to_value(entry),
			      GUNYAH_SIM_PAGE_MAPPED);
		xa_erase(&as->map, gfn);
		if (!(++n % GUNYAH_SIM_DP_BATCH))
			cond_resched();
	}
}

/* Revoke the capabilities of demand-paging objects, created or not. */
static void gunyah_sim_dp_free(struct gunyah_sim_rm *rm,
			       struct gunyah_sim_rm_dp *dp)
{
	unsigned int i;

	for (i = 0; i < GUNYAH_SIM_EXT_COUNT; i++) {
		if (!dp->ext[i])
			continue;
		dp->ext[i]->dead = true;
		gunyah_sim_cap_remove(rm->sim, dp->ext_cap[i]);
	}
	if (dp->as) {
		gunyah_sim_as_unmap_all(rm, dp->as);
		dp->as->dead = true;
		gunyah_sim_cap_remove(rm->sim, dp->as_cap);
	}
	kfree(dp);
}

static int gunyah_sim_dp_add_extent(struct gunyah_sim_rm *rm,
				    struct gunyah_sim_rm_vm *vm,
				    struct gunyah_sim_rm_dp *dp, u32 label)
{
	struct gunyah_sim_memextent *ext;
	int ret;

	ext = kzalloc(sizeof(*ext), GFP_KERNEL);
	if (!ext)
		return -ENOMEM;
	gunyah_sim_object_init(&ext->obj, GUNYAH_SIM_OBJ_MEMEXTENT, 0,
			       gunyah_sim_memextent_release);
	ext->vmid = vm->vmid;
	ext->label = label;
	ext->key = FIELD_PREP(GUNYAH_SIM_EXT_KEY_SERIAL, rm->next_extent++) |
		   FIELD_PREP(GUNYAH_SIM_EXT_KEY_VMID, vm->vmid) |
		   FIELD_PREP(GUNYAH_SIM_EXT_KEY_LABEL, label);
	ret = gunyah_sim_cap_add(rm->sim, &ext->obj, &dp->ext_cap[label]);
	if (ret) {
		gunyah_sim_object_put(&ext->obj);
		return ret;
	}
	dp->ext[label] = ext;
	return 0;
}

/**
 * gunyah_sim_rm_dp_create() - Create the demand-paging objects of a VM
 * @rm: the RM
 * @vm: the VM, at VM_INIT
 *
 * Nothing for a VM without demand-paged ranges. A VM initialised again
 * after a reset keeps the objects it had, and the pages donated to them.
 *
 * Context: with &gunyah_sim_rm.lock held.
 * Return: 0, or -ENOMEM, or -EBUSY if the cspace is full.
 */
int gunyah_sim_rm_dp_create(struct gunyah_sim_rm *rm,
			    struct gunyah_sim_rm_vm *vm)
{
	struct gunyah_sim_addrspace *as;
	struct gunyah_sim_rm_dp *dp;
	unsigned int i;
	int ret;

	lockdep_assert_held(&rm->lock);
	if (vm->dp) {
		vm->dp->as->guest_gone = false;
		return 0;
	}
	if (!vm->ndp_ranges)
		return 0;

	dp = kzalloc(sizeof(*dp), GFP_KERNEL);
	if (!dp)
		return -ENOMEM;

	as = kzalloc(sizeof(*as), GFP_KERNEL);
	if (!as) {
		ret = -ENOMEM;
		goto err_free;
	}
	gunyah_sim_object_init(&as->obj, GUNYAH_SIM_OBJ_ADDRSPACE, 0,
			       gunyah_sim_addrspace_release);
	as->vmid = vm->vmid;
	xa_init(&as->map);
	ret = gunyah_sim_cap_add(rm->sim, &as->obj, &dp->as_cap);
	if (ret) {
		gunyah_sim_object_put(&as->obj);
		goto err_free;
	}
	dp->as = as;

	for (i = 0; i < GUNYAH_SIM_EXT_COUNT; i++) {
		ret = gunyah_sim_dp_add_extent(rm, vm, dp, i);
		if (ret)
			goto err_free;
	}
	vm->dp = dp;
	return 0;

err_free:
	gunyah_sim_dp_free(rm, dp);
	return ret;
}

/**
 * gunyah_sim_rm_dp_reset() - A VM is reset: its guest is gone
 * @rm: the RM
 * @vm: the VM
 *
 * Forgets the demand-paged ranges and removes every mapping of the VM's
 * address space. The pages donated to its extents stay there until the
 * owner donates them back.
 *
 * Context: with &gunyah_sim_rm.lock held.
 */
void gunyah_sim_rm_dp_reset(struct gunyah_sim_rm *rm,
			    struct gunyah_sim_rm_vm *vm)
{
	lockdep_assert_held(&rm->lock);
	vm->ndp_ranges = 0;
	if (!vm->dp)
		return;
	gunyah_sim_as_unmap_all(rm, vm->dp->as);
	vm->dp->as->guest_gone = true;
}

/**
 * gunyah_sim_rm_dp_destroy() - A VM is deallocated
 * @rm: the RM
 * @vm: the VM
 *
 * Revokes the owner's capabilities to the VM's address space and extents.
 * Pages still donated to the extents stay out of the host's reach; they
 * are reported when the RM is reset or unloaded.
 *
 * Context: with &gunyah_sim_rm.lock held.
 */
void gunyah_sim_rm_dp_destroy(struct gunyah_sim_rm *rm,
			      struct gunyah_sim_rm_vm *vm)
{
	lockdep_assert_held(&rm->lock);
	vm->ndp_ranges = 0;
	if (!vm->dp)
		return;
	gunyah_sim_dp_free(rm, vm->dp);
	vm->dp = NULL;
}

static void gunyah_sim_dp_report(unsigned long key, unsigned long pfn,
				 unsigned long n)
{
	pr_err("%lu pages at %#llx still donated to memory extent %lu of VM %lu\n",
	       n, (u64)pfn << PAGE_SHIFT,
	       FIELD_GET(GUNYAH_SIM_EXT_KEY_LABEL, key),
	       FIELD_GET(GUNYAH_SIM_EXT_KEY_VMID, key));
}

/**
 * gunyah_sim_rm_dp_forget_all() - Forget the pages donated to extents
 * @rm: the RM, with no VM and no parcel left
 * @warn: report each run of pages still donated
 *
 * Context: with &gunyah_sim_rm.lock held.
 */
void gunyah_sim_rm_dp_forget_all(struct gunyah_sim_rm *rm, bool warn)
{
	unsigned long pfn, first = 0, key = 0, n = 0;
	void *entry;

	lockdep_assert_held(&rm->lock);
	xa_for_each(&rm->pages, pfn, entry) {
		if (WARN_ON_ONCE(!xa_is_value(entry)))
			continue;
		if (n && (xa_to_value(entry) != key || pfn != first + n)) {
			if (warn)
				gunyah_sim_dp_report(key, first, n);
			n = 0;
		}
		if (!n) {
			key = xa_to_value(entry);
			first = pfn;
		}
		n++;
		xa_erase(&rm->pages, pfn);
		if (!(n % GUNYAH_SIM_DP_BATCH))
			cond_resched();
	}
	if (n && warn)
		gunyah_sim_dp_report(key, first, n);
	rm->donated_pages = 0;
	rm->next_extent = 0;
}

/* 4 KiB aligned, not empty, below 2^44. */
static unsigned long gunyah_sim_dp_check_range(u64 addr, u64 size)
{
	if (!IS_ALIGNED(addr, SZ_4K) || !IS_ALIGNED(size, SZ_4K))
		return GUNYAH_ERROR_ARG_ALIGN;
	if (!size)
		return GUNYAH_ERROR_ARG_SIZE;
	if (addr >= GUNYAH_SIM_DP_ADDR_LIMIT ||
	    size > GUNYAH_SIM_DP_ADDR_LIMIT - addr)
		return GUNYAH_ERROR_ADDR_OVFL;
	return GUNYAH_ERROR_OK;
}

static struct gunyah_sim_memextent *
gunyah_sim_ext_get(struct gunyah_sim *sim, u64 capid, unsigned long *err)
{
	struct gunyah_sim_object *obj;

	obj = gunyah_sim_cap_get(sim, capid, GUNYAH_SIM_OBJ_MEMEXTENT, 0, err);
	return obj ? container_of(obj, struct gunyah_sim_memextent, obj) : NULL;
}

/*
 * The donations a host makes (§1.11): lent memory from its private extent
 * to the guest's and back, shared memory between the shared extents. Sets
 * *to_guest for the way in.
 */
static unsigned long gunyah_sim_donate_check(struct gunyah_sim_rm *rm,
					     u64 type,
					     struct gunyah_sim_memextent *from,
					     struct gunyah_sim_memextent *to,
					     bool *to_guest)
{
	if (from->dead || to->dead)
		return GUNYAH_ERROR_CSPACE_CAP_REVOKED;
	/* The public hypervisor knows types 0..2 only. */
	if (rm->profile != GUNYAH_SIM_RM_FULL &&
	    type > GUNYAH_SIM_DONATE_TO_SIBLING)
		return GUNYAH_ERROR_ARG_INVAL;
	if (from->vmid != to->vmid)
		return GUNYAH_ERROR_ARG_INVAL;

	switch (type) {
	case GUNYAH_SIM_DONATE_TO_SIBLING:
		if (from->label == GUNYAH_SIM_EXT_HOST_SHARED &&
		    to->label == GUNYAH_SIM_EXT_GUEST_SHARED) {
			*to_guest = true;
			return GUNYAH_ERROR_OK;
		}
		if (from->label == GUNYAH_SIM_EXT_GUEST_SHARED &&
		    to->label == GUNYAH_SIM_EXT_HOST_SHARED) {
			*to_guest = false;
			return GUNYAH_ERROR_OK;
		}
		break;
	case GUNYAH_SIM_DONATE_TO_PROTECTED:
		if (from->label == GUNYAH_SIM_EXT_HOST_PRIVATE &&
		    to->label == GUNYAH_SIM_EXT_GUEST_PRIVATE) {
			*to_guest = true;
			return GUNYAH_ERROR_OK;
		}
		break;
	case GUNYAH_SIM_DONATE_FROM_PROTECTED:
		if (from->label == GUNYAH_SIM_EXT_GUEST_PRIVATE &&
		    to->label == GUNYAH_SIM_EXT_HOST_PRIVATE) {
			*to_guest = false;
			return GUNYAH_ERROR_OK;
		}
		break;
	}
	return GUNYAH_ERROR_ARG_INVAL;
}

/* Host pages to a guest extent: none may be in a parcel or donated. */
static unsigned long gunyah_sim_donate_in(struct gunyah_sim_rm *rm,
					  struct gunyah_sim_memextent *ext,
					  unsigned long pfn, unsigned long n)
{
	unsigned long i, j;

	for (i = 0; i < n; i++) {
		if (xa_load(&rm->pages, pfn + i))
			return GUNYAH_ERROR_MEMDB_NOT_OWNER;
		if (!((i + 1) % GUNYAH_SIM_DP_BATCH))
			cond_resched();
	}
	for (i = 0; i < n; i++) {
		if (xa_is_err(xa_store(&rm->pages, pfn + i,
				       gunyah_sim_ext_entry(ext),
				       GFP_KERNEL)))
			goto err_undo;
		if (!((i + 1) % GUNYAH_SIM_DP_BATCH))
			cond_resched();
	}
	ext->pages += n;
	rm->donated_pages += n;
	return GUNYAH_ERROR_OK;

err_undo:
	for (j = 0; j < i; j++)
		xa_erase(&rm->pages, pfn + j);
	return GUNYAH_ERROR_NOMEM;
}

/* Guest extent pages back to the host: all its own, none mapped. */
static unsigned long gunyah_sim_donate_out(struct gunyah_sim_rm *rm,
					   struct gunyah_sim_memextent *ext,
					   unsigned long pfn, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (xa_load(&rm->pages, pfn + i) != gunyah_sim_ext_entry(ext))
			return GUNYAH_ERROR_MEMDB_NOT_OWNER;
		if (xa_get_mark(&rm->pages, pfn + i, GUNYAH_SIM_PAGE_MAPPED))
			return GUNYAH_ERROR_BUSY;
		if (!((i + 1) % GUNYAH_SIM_DP_BATCH))
			cond_resched();
	}
	for (i = 0; i < n; i++) {
		xa_erase(&rm->pages, pfn + i);
		if (!((i + 1) % GUNYAH_SIM_DP_BATCH))
			cond_resched();
	}
	ext->pages -= n;
	rm->donated_pages -= n;
	return GUNYAH_ERROR_OK;
}

/**
 * gunyah_sim_memextent_donate() - Answer memextent_donate
 * @sim: the simulated hypervisor
 * @args: X1 options, X2 the extent giving, X3 the extent taking, X4 the
 *        host physical address, X5 the size
 * @res: X0 the error
 *
 * Context: process context; takes the RM's mutex.
 */
void gunyah_sim_memextent_donate(struct gunyah_sim *sim,
				 const struct arm_smccc_1_2_regs *args,
				 struct arm_smccc_1_2_regs *res)
{
	struct gunyah_sim_memextent *from, *to = NULL;
	struct gunyah_sim_rm *rm = sim->rm;
	u64 offset = args->a4, size = args->a5;
	unsigned long err;
	bool to_guest;

	might_sleep();
	if (args->a1 & GUNYAH_SIM_DONATE_RES0) {
		res->a0 = GUNYAH_ERROR_ARG_INVAL;
		return;
	}
	from = gunyah_sim_ext_get(sim, args->a2, &err);
	if (!from)
		goto out;
	to = gunyah_sim_ext_get(sim, args->a3, &err);
	if (!to)
		goto out_put_from;

	mutex_lock(&rm->lock);
	err = gunyah_sim_donate_check(rm,
				      FIELD_GET(GUNYAH_SIM_DONATE_TYPE, args->a1),
				      from, to, &to_guest);
	if (!err)
		err = gunyah_sim_dp_check_range(offset, size);
	if (!err && to_guest)
		err = gunyah_sim_donate_in(rm, to, offset >> 12, size >> 12);
	else if (!err)
		err = gunyah_sim_donate_out(rm, from, offset >> 12, size >> 12);
	mutex_unlock(&rm->lock);

	gunyah_sim_object_put(&to->obj);
out_put_from:
	gunyah_sim_object_put(&from->obj);
out:
	res->a0 = err;
}

/* Whether [base, base + size) is covered by the VM's demand-paged ranges. */
static bool gunyah_sim_dp_in_ranges(const struct gunyah_sim_rm_vm *vm,
				    u64 base, u64 size)
{
	const struct gunyah_sim_rm_dp_range *r;
	u64 end = base + size;
	bool progress = true;
	unsigned int i;

	while (base < end && progress) {
		progress = false;
		for (i = 0; i < vm->ndp_ranges; i++) {
			r = &vm->dp_ranges[i];
			if (base >= r->base && base - r->base < r->size) {
				base = min(end, r->base + r->size);
				progress = true;
				break;
			}
		}
	}
	return base >= end;
}

/*
 * The checks map and unmap share: live objects of one VM, no reserved
 * bit, PARTIAL, PRIVATE for the guest's private extent and VMMIO for its
 * shared one, aligned ranges.
 */
static unsigned long gunyah_sim_map_check(struct gunyah_sim_rm *rm,
					  struct gunyah_sim_addrspace *as,
					  struct gunyah_sim_memextent *ext,
					  const struct gunyah_sim_dp_map *m,
					  bool map)
{
	u64 res0, want;

	if (as->dead || ext->dead)
		return GUNYAH_ERROR_CSPACE_CAP_REVOKED;
	res0 = rm->profile == GUNYAH_SIM_RM_FULL ? GUNYAH_SIM_MAP_RES0_FULL :
						   GUNYAH_SIM_MAP_RES0_PUBLIC;
	if ((m->flags & res0) || (map && (m->attrs & GUNYAH_SIM_MAP_ATTRS_RES0)))
		return GUNYAH_ERROR_ARG_INVAL;
	/* The extents are sparse: mapped a part at a time. */
	if (!(m->flags & GUNYAH_SIM_MAP_PARTIAL) || as->vmid != ext->vmid)
		return GUNYAH_ERROR_ARG_INVAL;
	switch (ext->label) {
	case GUNYAH_SIM_EXT_GUEST_PRIVATE:
		want = GUNYAH_SIM_MAP_PRIVATE;
		break;
	case GUNYAH_SIM_EXT_GUEST_SHARED:
		want = GUNYAH_SIM_MAP_VMMIO;
		break;
	default:
		return GUNYAH_ERROR_ARG_INVAL;
	}
	if ((m->flags & (GUNYAH_SIM_MAP_PRIVATE | GUNYAH_SIM_MAP_VMMIO)) != want)
		return GUNYAH_ERROR_ARG_INVAL;
	return gunyah_sim_dp_check_range(m->vbase, m->size) ?:
	       gunyah_sim_dp_check_range(m->offset, m->size);
}

/*
 * Map pages of the extent inside the VM's demand-paged ranges: each page
 * donated to the extent, mapped nowhere, at an IPA where nothing is.
 */
static unsigned long gunyah_sim_as_map(struct gunyah_sim_rm *rm,
				       struct gunyah_sim_addrspace *as,
				       struct gunyah_sim_memextent *ext,
				       const struct gunyah_sim_dp_map *m)
{
	unsigned long gfn = m->vbase >> 12, pfn = m->offset >> 12;
	unsigned long i, j, n = m->size >> 12;
	struct gunyah_sim_rm_vm *vm;

	vm = xa_load(&rm->vms, as->vmid);
	if (!vm || !gunyah_sim_dp_in_ranges(vm, m->vbase, m->size))
		return GUNYAH_ERROR_ADDR_INVAL;
	for (i = 0; i < n; i++) {
		if (xa_load(&rm->pages, pfn + i) != gunyah_sim_ext_entry(ext))
			return GUNYAH_ERROR_ARG_INVAL;
		if (xa_get_mark(&rm->pages, pfn + i, GUNYAH_SIM_PAGE_MAPPED) ||
		    xa_load(&as->map, gfn + i))
			return GUNYAH_ERROR_EXISTING_MAPPING;
		if (!((i + 1) % GUNYAH_SIM_DP_BATCH))
			cond_resched();
	}
	for (i = 0; i < n; i++) {
		if (xa_is_err(xa_store(&as->map, gfn + i,
				       xa_mk_value(pfn + i), GFP_KERNEL)))
			goto err_undo;
		xa_set_mark(&rm->pages, pfn + i, GUNYAH_SIM_PAGE_MAPPED);
		if (!((i + 1) % GUNYAH_SIM_DP_BATCH))
			cond_resched();
	}
	return GUNYAH_ERROR_OK;

err_undo:
	for (j = 0; j < i; j++) {
		xa_erase(&as->map, gfn + j);
		xa_clear_mark(&rm->pages, pfn + j, GUNYAH_SIM_PAGE_MAPPED);
	}
	return GUNYAH_ERROR_NOMEM;
}

/*
 * Unmap exactly what is mapped: each IPA mapped to that page of the
 * extent. Once the VM was reset its mappings are gone already, and pages
 * of the extent that are not mapped are accepted.
 */
static unsigned long gunyah_sim_as_unmap(struct gunyah_sim_rm *rm,
					 struct gunyah_sim_addrspace *as,
					 struct gunyah_sim_memextent *ext,
					 const struct gunyah_sim_dp_map *m)
{
	unsigned long gfn = m->vbase >> 12, pfn = m->offset >> 12;
	unsigned long i, n = m->size >> 12;
	void *entry;

	for (i = 0; i < n; i++) {
		if (xa_load(&rm->pages, pfn + i) != gunyah_sim_ext_entry(ext))
			return GUNYAH_ERROR_ARG_INVAL;
		entry = xa_load(&as->map, gfn + i);
		if (!entry && !as->guest_gone)
			return GUNYAH_ERROR_ADDR_INVAL;
		if (entry && xa_to_value(entry) != pfn + i)
			return GUNYAH_ERROR_ARG_INVAL;
		if (!((i + 1) % GUNYAH_SIM_DP_BATCH))
			cond_resched();
	}
	for (i = 0; i < n; i++) {
		if (xa_erase(&as->map, gfn + i))
			xa_clear_mark(&rm->pages, pfn + i,
				      GUNYAH_SIM_PAGE_MAPPED);
		if (!((i + 1) % GUNYAH_SIM_DP_BATCH))
			cond_resched();
	}
	return GUNYAH_ERROR_OK;
}

static unsigned long gunyah_sim_dp_mapping(struct gunyah_sim *sim, u64 as_cap,
					   u64 ext_cap,
					   const struct gunyah_sim_dp_map *m,
					   bool map)
{
	struct gunyah_sim_object *as_obj, *ext_obj;
	struct gunyah_sim_rm *rm = sim->rm;
	struct gunyah_sim_memextent *ext;
	struct gunyah_sim_addrspace *as;
	unsigned long err;

	might_sleep();
	as_obj = gunyah_sim_cap_get(sim, as_cap, GUNYAH_SIM_OBJ_ADDRSPACE, 0,
				    &err);
	if (!as_obj)
		return err;
	ext_obj = gunyah_sim_cap_get(sim, ext_cap, GUNYAH_SIM_OBJ_MEMEXTENT, 0,
				     &err);
	if (!ext_obj)
		goto out_put_as;
	as = container_of(as_obj, struct gunyah_sim_addrspace, obj);
	ext = container_of(ext_obj, struct gunyah_sim_memextent, obj);

	mutex_lock(&rm->lock);
	err = gunyah_sim_map_check(rm, as, ext, m, map);
	if (!err && map)
		err = gunyah_sim_as_map(rm, as, ext, m);
	else if (!err)
		err = gunyah_sim_as_unmap(rm, as, ext, m);
	mutex_unlock(&rm->lock);

	gunyah_sim_object_put(ext_obj);
out_put_as:
	gunyah_sim_object_put(as_obj);
	return err;
}

/**
 * gunyah_sim_addrspace_map() - Answer addrspace_map
 * @sim: the simulated hypervisor
 * @args: X1 the address space, X2 the extent, X3 the IPA, X4 the
 *        attributes, X5 the flags, X6 the host physical address, X7 the
 *        size
 * @res: X0 the error
 *
 * Context: process context; takes the RM's mutex.
 */
void gunyah_sim_addrspace_map(struct gunyah_sim *sim,
			      const struct arm_smccc_1_2_regs *args,
			      struct arm_smccc_1_2_regs *res)
{
	const struct gunyah_sim_dp_map m = {
		.vbase = args->a3, .attrs = args->a4, .flags = args->a5,
		.offset = args->a6, .size = args->a7,
	};

	res->a0 = gunyah_sim_dp_mapping(sim, args->a1, args->a2, &m, true);
}

/**
 * gunyah_sim_addrspace_unmap() - Answer addrspace_unmap
 * @sim: the simulated hypervisor
 * @args: X1 the address space, X2 the extent, X3 the IPA, X4 the flags,
 *        X5 the host physical address, X6 the size
 * @res: X0 the error
 *
 * Context: process context; takes the RM's mutex.
 */
void gunyah_sim_addrspace_unmap(struct gunyah_sim *sim,
				const struct arm_smccc_1_2_regs *args,
				struct arm_smccc_1_2_regs *res)
{
	const struct gunyah_sim_dp_map m = {
		.vbase = args->a3, .flags = args->a4, .offset = args->a5,
		.size = args->a6,
	};

	res->a0 = gunyah_sim_dp_mapping(sim, args->a1, args->a2, &m, false);
}

/**
 * gunyah_sim_rm_dp_lookup() - What a guest IPA of a VM maps
 * @rm: the RM
 * @vm: the VM
 * @ipa: the guest IPA
 * @pa: set to the host physical address mapped there
 *
 * Context: with &gunyah_sim_rm.lock held.
 * Return: 0, or -ENOENT if nothing is mapped there.
 */
int gunyah_sim_rm_dp_lookup(struct gunyah_sim_rm *rm,
			    struct gunyah_sim_rm_vm *vm, u64 ipa, u64 *pa)
{
	void *entry;

	lockdep_assert_held(&rm->lock);
	if (!vm->dp)
		return -ENOENT;
	entry = xa_load(&vm->dp->as->map, ipa >> 12);
	if (!entry)
		return -ENOENT;
	*pa = ((u64)xa_to_value(entry) << 12) | (ipa & (SZ_4K - 1));
	return 0;
}
