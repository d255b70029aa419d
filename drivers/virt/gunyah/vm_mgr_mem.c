// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory of Gunyah VMs: bindings of guest address ranges to guest-memory
 * fds or to pinned process memory, and the memory parcels that give them
 * to the VM.
 */

#define pr_fmt(fmt) "gunyah_vm_mgr: " fmt

#include <kunit/visibility.h>
#include <linux/file.h>
#include <linux/hugetlb.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>

#include <trace/events/gunyah.h>

#include "vm_mgr.h"

/* Pages pinned per call of pin_user_pages_fast() */
#define GUNYAH_PIN_BATCH	512

/**
 * gunyah_extents_add() - Append a physical range to a parcel's ranges
 * @ext: the ranges
 * @addr: start of the range
 * @size: its size
 *
 * A range that continues the last one extends it.
 *
 * Return: 0 or -ENOMEM.
 */
int gunyah_extents_add(struct gunyah_extents *ext, phys_addr_t addr,
		       u64 size)
{
	struct gunyah_rm_mem_entry *last, *entries;
	size_t max;

	if (ext->n) {
		last = &ext->entries[ext->n - 1];
		if (le64_to_cpu(last->phys_addr) + le64_to_cpu(last->size) ==
		    addr) {
			le64_add_cpu(&last->size, size);
			return 0;
		}
	}

	if (ext->n == ext->max) {
		/* kvrealloc: a huge parcel never needs a high-order page. */
		max = ext->max ? ext->max * 2 : 64;
		entries = kvrealloc(ext->entries, array_size(max,
							     sizeof(*entries)),
				    GFP_KERNEL_ACCOUNT);
		if (!entries)
			return -ENOMEM;
		ext->entries = entries;
		ext->max = max;
	}
	ext->entries[ext->n].phys_addr = cpu_to_le64(addr);
	ext->entries[ext->n].size = cpu_to_le64(size);
	ext->n++;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_extents_add);

static int gunyah_user_extents(struct gunyah_vm_binding *b,
			       struct gunyah_extents *ext)
{
	u64 i;
	int ret;

	for (i = 0; i < b->nr; i++) {
		ret = gunyah_extents_add(ext, page_to_phys(b->pages[i]),
					 PAGE_SIZE);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * gunyah_vm_give_binding() - Lend or share a binding's memory to the VM
 * @ghvm: the VM, which has a VMID
 * @b: the binding
 *
 * Context: Process context; the VM's memory lock is held for writing.
 * Return: 0 or a negative errno; on error nothing is given.
 */
int gunyah_vm_give_binding(struct gunyah_vm *ghvm, struct gunyah_vm_binding *b)
{
	struct gunyah_rm_mem_acl_entry acl[2] = {};
	struct gunyah_rm_mem_parcel parcel = {};
	struct gunyah_extents ext = {};
	u16 host_vmid;
	int ret;

	acl[0].vmid = cpu_to_le16(ghvm->vmid);
	acl[0].perms = b->perms;
	parcel.n_acl_entries = 1;
	if (b->share) {
		ret = gunyah_vm_mgr_host_vmid(ghvm->mgr, &host_vmid);
		if (ret)
			return ret;
		acl[1].vmid = cpu_to_le16(host_vmid);
		acl[1].perms = GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W |
			       GUNYAH_RM_ACL_X;
		parcel.n_acl_entries = 2;
	}

	/* Lent memory leaves every host mapping before the guest gets it. */
	if (b->kind == GUNYAH_BINDING_GMEM) {
		if (!b->share)
			gunyah_gmem_set_lent(b, true);
		ret = gunyah_gmem_extents(b, &ext);
	} else {
		ret = gunyah_user_extents(b, &ext);
	}
	if (ret)
		goto err;

	parcel.mem_type = GUNYAH_RM_MEM_TYPE_NORMAL;
	parcel.label = b->label;
	parcel.acl_entries = acl;
	parcel.n_mem_entries = ext.n;
	parcel.mem_entries = ext.entries;
	if (b->share)
		ret = gunyah_rm_mem_share(ghvm->rm, &parcel);
	else
		ret = gunyah_rm_mem_lend(ghvm->rm, &parcel);
	gunyah_vm_count_rm_call(ghvm, ret);
	if (ret) {
		dev_dbg(ghvm->parent, "VM %u: MEM_%s of %zu ranges: %d\n",
			ghvm->vmid, b->share ? "SHARE" : "LEND", ext.n, ret);
		goto err;
	}
	kvfree(ext.entries);
	b->parcel_handle = parcel.mem_handle;
	b->nr_extents = ext.n;
	if (b->share) {
		trace_gunyah_mem_share(ghvm->vmid, b->parcel_handle,
				       b->nr << PAGE_SHIFT, ext.n);
		atomic64_add(b->nr << PAGE_SHIFT,
			     &ghvm->stats[GUNYAH_VM_STAT_MEM_SHARED]);
	} else {
		trace_gunyah_mem_lend(ghvm->vmid, b->parcel_handle,
				      b->nr << PAGE_SHIFT, ext.n);
		atomic64_add(b->nr << PAGE_SHIFT,
			     &ghvm->stats[GUNYAH_VM_STAT_MEM_LENT]);
	}
	ghvm->parcels++;
	atomic64_inc(&ghvm->stats[GUNYAH_VM_STAT_MEM_PARCELS]);
	return 0;

err:
	kvfree(ext.entries);
	if (b->kind == GUNYAH_BINDING_GMEM && !b->share)
		gunyah_gmem_set_lent(b, false);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_give_binding);

static int gunyah_vm_reclaim_binding(struct gunyah_vm *ghvm,
				     struct gunyah_vm_binding *b)
{
	int ret;

	if (b->parcel_handle == GUNYAH_RM_MEM_HANDLE_INVAL)
		return 0;

	ret = gunyah_rm_mem_reclaim(ghvm->rm, b->parcel_handle, 0);
	gunyah_vm_count_rm_call(ghvm, ret);
	if (ret) {
		dev_dbg(ghvm->parent, "VM %u: MEM_RECLAIM of %#x: %d\n",
			ghvm->vmid, b->parcel_handle, ret);
		return ret;
	}
	trace_gunyah_mem_reclaim(ghvm->vmid, b->parcel_handle,
				 b->nr << PAGE_SHIFT, b->nr_extents);
	b->parcel_handle = GUNYAH_RM_MEM_HANDLE_INVAL;
	ghvm->parcels--;
	atomic64_dec(&ghvm->stats[GUNYAH_VM_STAT_MEM_PARCELS]);
	atomic64_sub(b->nr << PAGE_SHIFT,
		     &ghvm->stats[b->share ? GUNYAH_VM_STAT_MEM_SHARED :
					     GUNYAH_VM_STAT_MEM_LENT]);
	if (b->kind == GUNYAH_BINDING_GMEM && !b->share)
		gunyah_gmem_set_lent(b, false);
	return 0;
}

/**
 * gunyah_vm_give_all_memory() - Give the bindings' memory to the VM
 * @ghvm: the VM, which has a VMID
 * @dtb_binding: the binding that holds the devicetree
 * @demand_paging: the RM provides memory on demand: guest-memory bindings
 *                 other than @dtb_binding are given page by page later
 *
 * Memory given on demand is hidden from the host now if it will be lent.
 *
 * Context: Process context; the VM's memory lock is held for writing.
 * Return: 0 or the first error; what was given stays given (teardown
 * reclaims it).
 */
int gunyah_vm_give_all_memory(struct gunyah_vm *ghvm,
			      struct gunyah_vm_binding *dtb_binding,
			      bool demand_paging)
{
	struct gunyah_vm_binding *b;
	unsigned long index = 0;
	int ret;

	mt_for_each(&ghvm->mem_layout, b, index, ULONG_MAX) {
		if (b->parcel_handle != GUNYAH_RM_MEM_HANDLE_INVAL || b->demand)
			continue;
		if (demand_paging && b != dtb_binding &&
		    b->kind == GUNYAH_BINDING_GMEM) {
			b->demand = true;
			if (!b->share)
				gunyah_gmem_set_lent(b, true);
			continue;
		}
		ret = gunyah_vm_give_binding(ghvm, b);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * gunyah_vm_set_demand_paging() - Tell the RM which ranges are demand-paged
 * @ghvm: the VM, configured and not initialised
 *
 * Context: Process context; the VM's memory lock is held.
 * Return: 0 or the RM's error.
 */
int gunyah_vm_set_demand_paging(struct gunyah_vm *ghvm)
{
	struct gunyah_rm_range *ranges;
	struct gunyah_vm_binding *b;
	unsigned long index = 0;
	u32 n = 0;
	int ret;

	mt_for_each(&ghvm->mem_layout, b, index, ULONG_MAX)
		n += b->demand;
	if (!n)
		return 0;

	ranges = kcalloc(n, sizeof(*ranges), GFP_KERNEL);
	if (!ranges)
		return -ENOMEM;
	n = 0;
	index = 0;
	mt_for_each(&ghvm->mem_layout, b, index, ULONG_MAX) {
		if (!b->demand)
			continue;
		ranges[n].base = cpu_to_le64(b->gfn << PAGE_SHIFT);
		ranges[n].size = cpu_to_le64(b->nr << PAGE_SHIFT);
		n++;
	}
	ret = gunyah_rm_vm_set_demand_paging(ghvm->rm, ghvm->vmid, n, ranges);
	gunyah_vm_count_rm_call(ghvm, ret);
	if (ret)
		dev_dbg(ghvm->parent, "VM %u: VM_SET_DEMAND_PAGING: %d\n",
			ghvm->vmid, ret);
	kfree(ranges);
	return ret;
}

/**
 * gunyah_vm_take_demand_resources() - Find the address space and memory
 *                                     extents of demand paging
 * @ghvm: the VM, whose resources the RM has given
 *
 * Context: Process context.
 * Return: 0, or -ENXIO if memory is demand-paged and a resource is missing.
 */
int gunyah_vm_take_demand_resources(struct gunyah_vm *ghvm)
{
	struct gunyah_vm_binding *b;
	struct gunyah_resource *ghrsc;
	unsigned long index = 0;
	bool demand = false;
	unsigned int i;

	mt_for_each(&ghvm->mem_layout, b, index, ULONG_MAX)
		demand |= b->demand;
	if (!demand)
		return 0;

	mutex_lock(&ghvm->resources_lock);
	list_for_each_entry(ghrsc, &ghvm->resources, list) {
		if (ghrsc->type == GUNYAH_RESOURCE_TYPE_ADDR_SPACE &&
		    !ghrsc->rm_label)
			ghvm->addrspace_capid = ghrsc->capid;
		else if (ghrsc->type == GUNYAH_RESOURCE_TYPE_MEM_EXTENT &&
			 ghrsc->rm_label < GUNYAH_VM_EXTENTS)
			ghvm->extent_capid[ghrsc->rm_label] = ghrsc->capid;
	}
	mutex_unlock(&ghvm->resources_lock);

	for (i = 0; i < GUNYAH_VM_EXTENTS; i++) {
		if (ghvm->extent_capid[i] == GUNYAH_CAPID_INVAL)
			break;
	}
	if (ghvm->addrspace_capid == GUNYAH_CAPID_INVAL ||
	    i < GUNYAH_VM_EXTENTS) {
		dev_dbg(ghvm->parent,
			"VM %u: no address space or memory extents for demand paging\n",
			ghvm->vmid);
		return -ENXIO;
	}
	return 0;
}

/* Donation types and mapping flags of demand paging (spec §1.11) */
#define GUNYAH_DONATE_TO_SIBLING	2
#define GUNYAH_DONATE_TO_PROTECTED	3
#define GUNYAH_DONATE_FROM_PROTECTED	4
#define GUNYAH_MAP_PARTIAL		BIT(0)
#define GUNYAH_MAP_PRIVATE		BIT(1)
#define GUNYAH_MAP_VMMIO		BIT(2)
#define GUNYAH_MEMTYPE_NORMAL_WB	0xf

/**
 * struct gunyah_demand_op - How one folio of a binding is given or taken
 * @to_guest: donation type towards the guest
 * @to_host: donation type back
 * @host_extent: the host's memory extent
 * @guest_extent: the guest's memory extent
 * @map: the guest mapping
 */
struct gunyah_demand_op {
	u32 to_guest;
	u32 to_host;
	u64 host_extent;
	u64 guest_extent;
	struct gunyah_addrspace_map_args map;
};

/* The part of @folio inside @b, from index @first: what to donate and map. */
static void gunyah_demand_op(struct gunyah_vm *ghvm,
			     struct gunyah_vm_binding *b, struct folio *folio,
			     pgoff_t first, struct gunyah_demand_op *op)
{
	pgoff_t end = min(folio_next_index(folio), (pgoff_t)(b->pgoff + b->nr));
	u32 access = b->perms;	/* ACL and page-table access share bits */

	if (b->share) {
		op->to_guest = GUNYAH_DONATE_TO_SIBLING;
		op->to_host = GUNYAH_DONATE_TO_SIBLING;
		op->host_extent = ghvm->extent_capid[GUNYAH_VM_EXTENT_HOST_SHARED];
		op->guest_extent = ghvm->extent_capid[GUNYAH_VM_EXTENT_GUEST_SHARED];
		op->map.flags = GUNYAH_MAP_PARTIAL | GUNYAH_MAP_VMMIO;
	} else {
		op->to_guest = GUNYAH_DONATE_TO_PROTECTED;
		op->to_host = GUNYAH_DONATE_FROM_PROTECTED;
		op->host_extent = ghvm->extent_capid[GUNYAH_VM_EXTENT_HOST_PRIVATE];
		op->guest_extent = ghvm->extent_capid[GUNYAH_VM_EXTENT_GUEST_PRIVATE];
		op->map.flags = GUNYAH_MAP_PARTIAL | GUNYAH_MAP_PRIVATE;
	}
	op->map.vbase = (b->gfn + (first - b->pgoff)) << PAGE_SHIFT;
	op->map.attrs = access | access << 4 | GUNYAH_MEMTYPE_NORMAL_WB << 16;
	op->map.offset = PFN_PHYS(folio_pfn(folio) + (first - folio->index));
	op->map.size = (u64)(end - first) << PAGE_SHIFT;
}

/**
 * gunyah_vm_provide_page() - Give the guest the memory behind an address
 * @ghvm: the VM, started on an RM with demand paging
 * @gpa: a guest address the guest touched
 *
 * The whole folio of guest memory that holds @gpa (as far as it is bound
 * at @gpa) is donated to the guest and mapped there.
 *
 * Context: Process context; takes the VM's memory lock.
 * Return: 0 (also if it was given already), -ENOENT if nothing is bound
 * at @gpa, -EINVAL if the memory there is not demand-paged, or an error
 * of the hypervisor or of allocation.
 */
int gunyah_vm_provide_page(struct gunyah_vm *ghvm, u64 gpa)
{
	struct gunyah_vm_binding *b;
	struct gunyah_demand_op op;
	enum gunyah_error gerr;
	struct folio *folio;
	pgoff_t index, first;
	int ret;

	down_write(&ghvm->mem_lock);
	b = mtree_load(&ghvm->mem_layout, gpa >> PAGE_SHIFT);
	if (!b || !b->demand) {
		ret = b ? -EINVAL : -ENOENT;
		goto out;
	}
	index = b->pgoff + ((gpa >> PAGE_SHIFT) - b->gfn);
	folio = gunyah_gmem_folio(b, index);
	if (IS_ERR(folio)) {
		ret = PTR_ERR(folio);
		goto out;
	}
	first = max_t(pgoff_t, folio->index, b->pgoff);
	if (xa_load(&b->provided, first)) {
		ret = 0;
		goto out_put;
	}
	/* Recorded first: once donated, the folio must not be forgotten. */
	ret = xa_insert(&b->provided, first, folio, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto out_put;

	gunyah_demand_op(ghvm, b, folio, first, &op);
	gerr = gunyah_hypercall_memextent_donate(op.to_guest, op.host_extent,
						 op.guest_extent, op.map.offset,
						 op.map.size);
	if (gerr != GUNYAH_ERROR_OK) {
		xa_erase(&b->provided, first);
		ret = gunyah_error_remap(gerr);
		goto out_put;
	}
	/* Counted once donated: the page is the guest's, mapped or not. */
	atomic64_add(op.map.size >> PAGE_SHIFT,
		     &ghvm->stats[GUNYAH_VM_STAT_PAGES_PROVIDED]);
	gerr = gunyah_hypercall_addrspace_map(ghvm->addrspace_capid,
					      op.guest_extent, &op.map);
	if (gerr != GUNYAH_ERROR_OK) {
		/* Donated but not mapped: teardown takes it back. */
		ret = gunyah_error_remap(gerr);
		dev_dbg(ghvm->parent, "VM %u: map of %#llx: %d\n", ghvm->vmid,
			op.map.vbase, ret);
	}
	/* The folio stays referenced while the guest has it. */
	folio_unlock(folio);
	goto out;

out_put:
	folio_unlock(folio);
	folio_put(folio);
out:
	up_write(&ghvm->mem_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_vm_provide_page);

/* Take back what the guest was given of a demand-paged binding. */
static int gunyah_vm_reclaim_demand(struct gunyah_vm *ghvm,
				    struct gunyah_vm_binding *b)
{
	struct gunyah_demand_op op;
	enum gunyah_error gerr;
	struct folio *folio;
	unsigned long first;
	int ret = 0;

	xa_for_each(&b->provided, first, folio) {
		gunyah_demand_op(ghvm, b, folio, first, &op);
		/* A reset VM has no mappings left; unmap for an RM that keeps them. */
		gunyah_hypercall_addrspace_unmap(ghvm->addrspace_capid,
						 op.guest_extent, &op.map);
		gerr = gunyah_hypercall_memextent_donate(op.to_host,
							 op.guest_extent,
							 op.host_extent,
							 op.map.offset,
							 op.map.size);
		if (gerr != GUNYAH_ERROR_OK) {
			ret = gunyah_error_remap(gerr);
			continue;
		}
		xa_erase(&b->provided, first);
		folio_put(folio);
	}
	if (!ret && !b->share)
		gunyah_gmem_set_lent(b, false);
	return ret;
}

/**
 * gunyah_vm_reclaim_all_memory() - Take every parcel back from the VM
 * @ghvm: the VM, stopped and reset (or never started)
 *
 * Memory the RM does not give back is marked lost: it is never touched,
 * unpinned or freed by the host again.
 *
 * Context: Process context.
 */
void gunyah_vm_reclaim_all_memory(struct gunyah_vm *ghvm)
{
	struct gunyah_vm_binding *b;
	unsigned long index = 0;
	int ret;

	down_write(&ghvm->mem_lock);
	mt_for_each(&ghvm->mem_layout, b, index, ULONG_MAX) {
		if (b->demand)
			ret = gunyah_vm_reclaim_demand(ghvm, b);
		else
			ret = gunyah_vm_reclaim_binding(ghvm, b);
		if (!ret)
			continue;
		dev_err(ghvm->parent,
			"VM %u: parcel %#x (%llu pages at guest %#llx) not reclaimed: %d; its memory is kept from the host\n",
			ghvm->vmid, b->parcel_handle, b->nr,
			b->gfn << PAGE_SHIFT, ret);
		b->lost = true;
	}
	up_write(&ghvm->mem_lock);
}

static void gunyah_unpin_user(struct gunyah_vm_binding *b);

/**
 * gunyah_vm_release_bindings() - Free a VM's bindings
 * @ghvm: the VM, which the RM no longer knows
 *
 * A binding whose memory was not reclaimed is kept for ever, and with it
 * what keeps its memory from the host: its pins, or its reference on the
 * guest-memory fd and the lent mark that makes host faults fail.
 *
 * Context: Process context.
 */
void gunyah_vm_release_bindings(struct gunyah_vm *ghvm)
{
	struct gunyah_vm_binding *b;
	unsigned long index = 0;

	down_write(&ghvm->mem_lock);
	mt_for_each(&ghvm->mem_layout, b, index, ULONG_MAX) {
		if (b->lost) {
			kmemleak_not_leak(b);
			continue;
		}
		xa_destroy(&b->provided);
		if (b->kind == GUNYAH_BINDING_GMEM) {
			gunyah_gmem_unbind(b);
		} else {
			gunyah_unpin_user(b);
			mmdrop(b->mm);
			kvfree(b->pages);
		}
		kfree(b);
	}
	mtree_destroy(&ghvm->mem_layout);
	up_write(&ghvm->mem_lock);
}

/**
 * gunyah_vm_find_binding() - The binding that holds a guest range
 * @ghvm: the VM
 * @gpa: guest address
 * @size: size of the range
 *
 * Context: The VM's memory lock is held.
 * Return: the binding, or NULL if no single binding holds the whole range.
 */
struct gunyah_vm_binding *gunyah_vm_find_binding(struct gunyah_vm *ghvm,
						 u64 gpa, u64 size)
{
	struct gunyah_vm_binding *b;
	u64 end;

	if (!size || check_add_overflow(gpa, size - 1, &end))
		return NULL;
	b = mtree_load(&ghvm->mem_layout, gpa >> PAGE_SHIFT);
	if (!b || (end >> PAGE_SHIFT) >= b->gfn + b->nr)
		return NULL;
	return b;
}

static u8 gunyah_map_perms(u32 flags)
{
	u8 perms = 0;

	if (flags & GUNYAH_MEM_ALLOW_READ)
		perms |= GUNYAH_RM_ACL_R;
	if (flags & GUNYAH_MEM_ALLOW_WRITE)
		perms |= GUNYAH_RM_ACL_W;
	if (flags & GUNYAH_MEM_ALLOW_EXEC)
		perms |= GUNYAH_RM_ACL_X;
	return perms;
}

static int gunyah_vm_insert_binding(struct gunyah_vm *ghvm,
				    struct gunyah_vm_binding *b)
{
	return mtree_insert_range(&ghvm->mem_layout, b->gfn,
				  b->gfn + b->nr - 1, b, GFP_KERNEL_ACCOUNT);
}

static bool gunyah_vm_started(struct gunyah_vm *ghvm)
{
	return ghvm->lifecycle == GUNYAH_VM_STARTED;
}

static int gunyah_vm_bind_gmem(struct gunyah_vm *ghvm,
			       const struct gunyah_map_mem_args *args,
			       struct file *file)
{
	struct gunyah_vm_binding *b;
	u64 end;
	int ret;

	if (!gunyah_gmem_is_gmem(file))
		return -EINVAL;
	if (check_add_overflow(args->offset, args->size, &end) ||
	    end > gunyah_gmem_size(file))
		return -ENXIO;

	b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b)
		return -ENOMEM;
	b->kind = GUNYAH_BINDING_GMEM;
	b->gfn = args->guest_addr >> PAGE_SHIFT;
	b->nr = args->size >> PAGE_SHIFT;
	b->share = (args->flags & GUNYAH_MEM_ACCESS_MASK) ==
		   GUNYAH_MEM_FORCE_SHARE;
	b->perms = gunyah_map_perms(args->flags);
	b->file = get_file(file);
	b->pgoff = args->offset >> PAGE_SHIFT;
	b->parcel_handle = GUNYAH_RM_MEM_HANDLE_INVAL;
	xa_init(&b->provided);

	ret = gunyah_vm_insert_binding(ghvm, b);
	if (ret)
		goto err_free;
	ret = gunyah_gmem_bind(b);
	if (ret)
		goto err_erase;
	if (gunyah_vm_started(ghvm)) {
		ret = gunyah_vm_give_binding(ghvm, b);
		if (ret)
			goto err_unbind;
	}
	return 0;

err_unbind:
	gunyah_gmem_unbind(b);
	mtree_erase(&ghvm->mem_layout, b->gfn);
	kfree(b);
	return ret;
err_erase:
	mtree_erase(&ghvm->mem_layout, b->gfn);
err_free:
	fput(file);
	kfree(b);
	return ret;
}

/* Cut [start, end) (guest frames) out of @b; pieces left over stay bound. */
static int gunyah_vm_cut_binding(struct gunyah_vm *ghvm,
				 struct gunyah_vm_binding *b, u64 start,
				 u64 end)
{
	struct gunyah_vm_binding *piece[2] = {};
	bool demand, hidden;
	unsigned int i;
	int ret;

	/* What the guest was given page by page it keeps until reset. */
	if (b->demand && !xa_empty(&b->provided))
		return -EBUSY;

	if (start > b->gfn) {
		piece[0] = kmemdup(b, sizeof(*b), GFP_KERNEL_ACCOUNT);
		if (!piece[0])
			return -ENOMEM;
		piece[0]->nr = start - b->gfn;
	}
	if (end < b->gfn + b->nr) {
		piece[1] = kmemdup(b, sizeof(*b), GFP_KERNEL_ACCOUNT);
		if (!piece[1]) {
			kfree(piece[0]);
			return -ENOMEM;
		}
		piece[1]->gfn = end;
		piece[1]->nr = b->gfn + b->nr - end;
		piece[1]->pgoff = b->pgoff + (end - b->gfn);
	}

	/* A parcel is all or nothing: take it back, give the pieces anew. */
	ret = gunyah_vm_reclaim_binding(ghvm, b);
	if (ret) {
		kfree(piece[0]);
		kfree(piece[1]);
		return ret;
	}

	/* Demand-paged pieces stay so, and hidden from the host if lent. */
	demand = b->demand;
	hidden = b->gmem_lent;
	mtree_erase(&ghvm->mem_layout, b->gfn);
	gunyah_gmem_unbind(b);
	xa_destroy(&b->provided);
	kfree(b);

	for (i = 0; i < ARRAY_SIZE(piece); i++) {
		if (!piece[i])
			continue;
		piece[i]->parcel_handle = GUNYAH_RM_MEM_HANDLE_INVAL;
		piece[i]->gmem_lent = hidden;
		piece[i]->demand = demand;
		xa_init(&piece[i]->provided);
		get_file(piece[i]->file);
		ret = gunyah_vm_insert_binding(ghvm, piece[i]);
		if (ret) {
			fput(piece[i]->file);
			kfree(piece[i]);
			piece[i] = NULL;
			continue;
		}
		ret = gunyah_gmem_bind(piece[i]);
		if (ret) {
			mtree_erase(&ghvm->mem_layout, piece[i]->gfn);
			fput(piece[i]->file);
			kfree(piece[i]);
			piece[i] = NULL;
		}
	}
	if (!gunyah_vm_started(ghvm) || demand)
		return ret;
	for (i = 0; i < ARRAY_SIZE(piece); i++) {
		if (piece[i])
			ret = gunyah_vm_give_binding(ghvm, piece[i]) ?: ret;
	}
	return ret;
}

static int gunyah_vm_unbind_gmem(struct gunyah_vm *ghvm,
				 const struct gunyah_map_mem_args *args,
				 struct file *file)
{
	u64 gfn = args->guest_addr >> PAGE_SHIFT;
	u64 end = gfn + (args->size >> PAGE_SHIFT);
	u64 pgoff = args->offset >> PAGE_SHIFT;
	struct gunyah_vm_binding *b;
	u64 g, next;
	int ret;

	/* The whole range must be bound from this fd, at these offsets. */
	for (g = gfn; g < end; g = b->gfn + b->nr) {
		b = mtree_load(&ghvm->mem_layout, g);
		if (!b || b->kind != GUNYAH_BINDING_GMEM || b->file != file ||
		    b->pgoff + (g - b->gfn) != pgoff + (g - gfn))
			return -ENOENT;
		if (b->lost)
			return -EBUSY;
	}

	for (g = gfn; g < end; g = next) {
		b = mtree_load(&ghvm->mem_layout, g);
		next = min(end, b->gfn + b->nr);
		ret = gunyah_vm_cut_binding(ghvm, b, g, next);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * gunyah_vm_map_file() - GUNYAH_VM_MAP_MEM, with the fd looked up
 * @ghvm: the VM
 * @args: the ioctl's argument
 * @file: the file of @args->guest_mem_fd
 *
 * Context: Process context; takes the VM's lock and its memory lock.
 * Return: 0 or a negative errno, see GUNYAH_VM_MAP_MEM.
 */
int gunyah_vm_map_file(struct gunyah_vm *ghvm,
		       const struct gunyah_map_mem_args *args, struct file *file)
{
	const u32 valid = GUNYAH_MEM_ACCESS_MASK | GUNYAH_MEM_ALLOW_RWX |
			  GUNYAH_MEM_UNMAP;
	u64 end;
	int ret;

	if (args->flags & ~valid)
		return -EINVAL;
	if ((args->flags & GUNYAH_MEM_ACCESS_MASK) > GUNYAH_MEM_FORCE_SHARE)
		return -EINVAL;
	if (!(args->flags & GUNYAH_MEM_UNMAP) &&
	    !(args->flags & GUNYAH_MEM_ALLOW_RWX))
		return -EINVAL;
	if (!args->size || !PAGE_ALIGNED(args->size) ||
	    !PAGE_ALIGNED(args->guest_addr) || !PAGE_ALIGNED(args->offset))
		return -EINVAL;
	if (check_add_overflow(args->guest_addr, args->size - 1, &end) ||
	    check_add_overflow(args->offset, args->size - 1, &end))
		return -EOVERFLOW;

	mutex_lock(&ghvm->lock);
	down_write(&ghvm->mem_lock);
	if (args->flags & GUNYAH_MEM_UNMAP)
		ret = gunyah_vm_unbind_gmem(ghvm, args, file);
	else
		ret = gunyah_vm_bind_gmem(ghvm, args, file);
	up_write(&ghvm->mem_lock);
	mutex_unlock(&ghvm->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_map_file);

/**
 * gunyah_vm_map_mem() - GUNYAH_VM_MAP_MEM
 * @ghvm: the VM
 * @args: the ioctl's argument
 *
 * Context: Process context; takes the VM's lock and its memory lock.
 * Return: 0 or a negative errno, see GUNYAH_VM_MAP_MEM.
 */
int gunyah_vm_map_mem(struct gunyah_vm *ghvm,
		      const struct gunyah_map_mem_args *args)
{
	struct file *file;
	int ret;

	file = fget(args->guest_mem_fd);
	if (!file)
		return -EBADF;
	ret = gunyah_vm_map_file(ghvm, args, file);
	fput(file);
	return ret;
}

/* Memory that may be pinned for the life of a VM: anonymous or shmem. */
static int gunyah_check_user_vmas(unsigned long start, unsigned long end)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(mm);
	while (start < end) {
		vma = vma_lookup(mm, start);
		if (!vma) {
			ret = -EFAULT;
			break;
		}
		if (vma_is_dax(vma) ||
		    (vma->vm_file && !shmem_file(vma->vm_file) &&
		     !is_file_hugepages(vma->vm_file))) {
			ret = -EOPNOTSUPP;
			break;
		}
		start = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

static int gunyah_pin_user(struct gunyah_vm_binding *b, unsigned long uaddr)
{
	unsigned int gup_flags = FOLL_LONGTERM;
	u64 done = 0;
	int ret;

	/* A region the guest may not write is pinned read-only. */
	if (b->writable)
		gup_flags |= FOLL_WRITE;

	b->pages = kvcalloc(b->nr, sizeof(*b->pages), GFP_KERNEL_ACCOUNT);
	if (!b->pages)
		return -ENOMEM;

	while (done < b->nr) {
		ret = pin_user_pages_fast(uaddr + (done << PAGE_SHIFT),
					  min_t(u64, b->nr - done,
						GUNYAH_PIN_BATCH),
					  gup_flags, b->pages + done);
		if (ret <= 0) {
			ret = ret ?: -EFAULT;
			goto err_unpin;
		}
		done += ret;
	}
	return 0;

err_unpin:
	unpin_user_pages(b->pages, done);
	kvfree(b->pages);
	b->pages = NULL;
	return ret;
}

static void gunyah_unpin_user(struct gunyah_vm_binding *b)
{
	unpin_user_pages_dirty_lock(b->pages, b->nr, b->writable);
	account_locked_vm(b->mm, b->nr, false);
}

static struct gunyah_vm_binding *gunyah_vm_find_label(struct gunyah_vm *ghvm,
						      u32 label)
{
	struct gunyah_vm_binding *b;
	unsigned long index = 0;

	mt_for_each(&ghvm->mem_layout, b, index, ULONG_MAX) {
		if (b->kind == GUNYAH_BINDING_USER && b->label == label)
			return b;
	}
	return NULL;
}

static int gunyah_vm_remove_user_mem(struct gunyah_vm *ghvm, u32 label)
{
	struct gunyah_vm_binding *b;
	int ret;

	b = gunyah_vm_find_label(ghvm, label);
	if (!b)
		return -ENOENT;
	if (b->lost)
		return -EBUSY;
	ret = gunyah_vm_reclaim_binding(ghvm, b);
	if (ret)
		return ret;
	mtree_erase(&ghvm->mem_layout, b->gfn);
	gunyah_unpin_user(b);
	mmdrop(b->mm);
	kvfree(b->pages);
	kfree(b);
	return 0;
}

static int gunyah_vm_add_user_mem(struct gunyah_vm *ghvm,
				  const struct gunyah_userspace_memory_region *region,
				  bool lend)
{
	struct gunyah_vm_binding *b;
	int ret;

	if (gunyah_vm_find_label(ghvm, region->label))
		return -EEXIST;

	b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b)
		return -ENOMEM;
	b->kind = GUNYAH_BINDING_USER;
	b->gfn = region->guest_phys_addr >> PAGE_SHIFT;
	b->nr = region->memory_size >> PAGE_SHIFT;
	b->share = !lend;
	b->label = region->label;
	b->writable = region->flags & GUNYAH_USER_MEM_WRITE;
	if (region->flags & GUNYAH_USER_MEM_READ)
		b->perms |= GUNYAH_RM_ACL_R;
	if (region->flags & GUNYAH_USER_MEM_WRITE)
		b->perms |= GUNYAH_RM_ACL_W;
	if (region->flags & GUNYAH_USER_MEM_EXEC)
		b->perms |= GUNYAH_RM_ACL_X;
	b->parcel_handle = GUNYAH_RM_MEM_HANDLE_INVAL;
	xa_init(&b->provided);

	ret = gunyah_vm_insert_binding(ghvm, b);
	if (ret)
		goto err_free;

	ret = gunyah_check_user_vmas(region->userspace_addr,
				     region->userspace_addr +
				     region->memory_size);
	if (ret)
		goto err_erase;

	b->mm = current->mm;
	mmgrab(b->mm);
	ret = account_locked_vm(b->mm, b->nr, true);
	if (ret) {
		dev_dbg(ghvm->parent,
			"user memory of %llu pages is above RLIMIT_MEMLOCK\n",
			b->nr);
		goto err_mmdrop;
	}

	ret = gunyah_pin_user(b, region->userspace_addr);
	if (ret)
		goto err_unaccount;

	if (gunyah_vm_started(ghvm)) {
		ret = gunyah_vm_give_binding(ghvm, b);
		if (ret)
			goto err_unpin;
	}
	return 0;

err_unpin:
	unpin_user_pages(b->pages, b->nr);
	kvfree(b->pages);
err_unaccount:
	account_locked_vm(b->mm, b->nr, false);
err_mmdrop:
	mmdrop(b->mm);
err_erase:
	mtree_erase(&ghvm->mem_layout, b->gfn);
err_free:
	kfree(b);
	return ret;
}

/**
 * gunyah_vm_set_user_mem() - The user-memory compatibility ioctls
 * @ghvm: the VM
 * @region: the ioctl's argument
 * @lend: lend rather than share
 *
 * Context: Process context; takes the VM's lock and its memory lock.
 * Return: 0 or a negative errno, see GUNYAH_VM_SET_USER_MEM_REGION.
 */
int gunyah_vm_set_user_mem(struct gunyah_vm *ghvm,
			   const struct gunyah_userspace_memory_region *region,
			   bool lend)
{
	const u32 access = GUNYAH_USER_MEM_READ | GUNYAH_USER_MEM_WRITE |
			   GUNYAH_USER_MEM_EXEC;
	u64 end;
	int ret;

	if (region->flags & ~access)
		return -EINVAL;
	if (region->memory_size) {
		if (!(region->flags & access))
			return -EINVAL;
		if (!PAGE_ALIGNED(region->memory_size) ||
		    !PAGE_ALIGNED(region->guest_phys_addr) ||
		    !PAGE_ALIGNED(region->userspace_addr))
			return -EINVAL;
		if (check_add_overflow(region->guest_phys_addr,
				       region->memory_size - 1, &end) ||
		    check_add_overflow(region->userspace_addr,
				       region->memory_size - 1, &end))
			return -EOVERFLOW;
	}

	mutex_lock(&ghvm->lock);
	down_write(&ghvm->mem_lock);
	if (region->memory_size)
		ret = gunyah_vm_add_user_mem(ghvm, region, lend);
	else
		ret = gunyah_vm_remove_user_mem(ghvm, region->label);
	up_write(&ghvm->mem_lock);
	mutex_unlock(&ghvm->lock);
	return ret;
}
