// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest-memory fds: memory for Gunyah VMs that belongs to the fd rather
 * than to a process, so it is never pinned through GUP.
 */

#define pr_fmt(fmt) "gunyah_vm_mgr: " fmt

#include <kunit/visibility.h>
#include <linux/anon_inodes.h>
#include <linux/falloc.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include "vm_mgr.h"

/**
 * struct gunyah_gmem - A guest-memory fd
 * @flags: GHMF_* flags it was created with
 * @bindings: the VM bindings of its ranges (&gunyah_vm_binding.gmem_list),
 *            under the mapping's invalidate_lock
 *
 * While a binding's memory is lent (&gunyah_vm_binding.gmem_lent), host
 * faults on its range raise SIGBUS: the fault path checks the bindings
 * under the invalidate_lock, which lending takes for writing.
 */
struct gunyah_gmem {
	u64 flags;
	struct list_head bindings;
};

static const struct file_operations gunyah_gmem_fops;

static struct gunyah_gmem *gunyah_gmem_of(struct inode *inode)
{
	return inode->i_private;
}

/* Get a folio of the fd, allocated and zeroed if new; locked. */
static struct folio *gunyah_gmem_get_folio(struct inode *inode, pgoff_t index)
{
	struct gunyah_gmem *gmem = gunyah_gmem_of(inode);
	struct address_space *mapping = inode->i_mapping;
	fgf_t fgp = FGP_LOCK | FGP_ACCESSED | FGP_CREAT;
	pgoff_t huge_nr = PMD_SIZE >> PAGE_SHIFT;
	pgoff_t huge = ALIGN_DOWN(index, huge_nr);
	struct folio *folio;

	/* A huge folio only where one fits below the end of the fd. */
	if ((gmem->flags & GHMF_ALLOW_HUGEPAGE) &&
	    huge + huge_nr <= i_size_read(inode) >> PAGE_SHIFT)
		fgp |= fgf_set_order(PMD_SIZE);

	folio = __filemap_get_folio(mapping, index, fgp,
				    mapping_gfp_mask(mapping));
	if (IS_ERR(folio))
		return folio;

	if (!folio_test_uptodate(folio)) {
		folio_zero_range(folio, 0, folio_size(folio));
		flush_dcache_folio(folio);
		folio_mark_uptodate(folio);
	}
	return folio;
}

static bool gunyah_gmem_lent(struct gunyah_gmem *gmem, pgoff_t index)
{
	struct gunyah_vm_binding *b;

	list_for_each_entry(b, &gmem->bindings, gmem_list) {
		if (b->gmem_lent && index >= b->pgoff &&
		    index < b->pgoff + b->nr)
			return true;
	}
	return false;
}

static vm_fault_t gunyah_gmem_fault(struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	struct folio *folio;
	vm_fault_t ret = VM_FAULT_LOCKED;

	filemap_invalidate_lock_shared(inode->i_mapping);
	if (vmf->pgoff >= i_size_read(inode) >> PAGE_SHIFT ||
	    gunyah_gmem_lent(gunyah_gmem_of(inode), vmf->pgoff)) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	}

	folio = gunyah_gmem_get_folio(inode, vmf->pgoff);
	if (IS_ERR(folio)) {
		ret = PTR_ERR(folio) == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
		goto out;
	}
	vmf->page = folio_file_page(folio, vmf->pgoff);
out:
	filemap_invalidate_unlock_shared(inode->i_mapping);
	return ret;
}

static const struct vm_operations_struct gunyah_gmem_vm_ops = {
	.fault = gunyah_gmem_fault,
};

static int gunyah_gmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	/* A private copy of guest memory makes no sense. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;

	file_accessed(file);
	vma->vm_ops = &gunyah_gmem_vm_ops;
	return 0;
}

static bool gunyah_gmem_bound(struct gunyah_gmem *gmem, pgoff_t start,
			      pgoff_t end)
{
	struct gunyah_vm_binding *b;

	list_for_each_entry(b, &gmem->bindings, gmem_list) {
		if (start < b->pgoff + b->nr && b->pgoff < end)
			return true;
	}
	return false;
}

static long gunyah_gmem_punch_hole(struct inode *inode, loff_t offset,
				   loff_t len)
{
	struct address_space *mapping = inode->i_mapping;
	long ret = 0;

	filemap_invalidate_lock(mapping);
	if (gunyah_gmem_bound(gunyah_gmem_of(inode), offset >> PAGE_SHIFT,
			      (offset + len) >> PAGE_SHIFT)) {
		ret = -EBUSY;
		goto out;
	}
	unmap_mapping_range(mapping, offset, len, 0);
	truncate_inode_pages_range(mapping, offset, offset + len - 1);
out:
	filemap_invalidate_unlock(mapping);
	return ret;
}

static long gunyah_gmem_allocate(struct inode *inode, loff_t offset,
				 loff_t len)
{
	pgoff_t index = offset >> PAGE_SHIFT;
	pgoff_t end = (offset + len) >> PAGE_SHIFT;
	struct folio *folio;
	long ret = 0;

	filemap_invalidate_lock_shared(inode->i_mapping);
	if (offset + len > i_size_read(inode)) {
		ret = -EINVAL;
		goto out;
	}
	while (index < end) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		folio = gunyah_gmem_get_folio(inode, index);
		if (IS_ERR(folio)) {
			ret = PTR_ERR(folio);
			break;
		}
		index = folio_next_index(folio);
		folio_unlock(folio);
		folio_put(folio);
		cond_resched();
	}
out:
	filemap_invalidate_unlock_shared(inode->i_mapping);
	return ret;
}

static long gunyah_gmem_fallocate(struct file *file, int mode, loff_t offset,
				  loff_t len)
{
	struct inode *inode = file_inode(file);

	if (!PAGE_ALIGNED(offset) || !PAGE_ALIGNED(len) || len <= 0)
		return -EINVAL;
	if (mode == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE))
		return gunyah_gmem_punch_hole(inode, offset, len);
	if (!mode)
		return gunyah_gmem_allocate(inode, offset, len);
	return -EOPNOTSUPP;
}

static int gunyah_gmem_release(struct inode *inode, struct file *file)
{
	struct gunyah_gmem *gmem = gunyah_gmem_of(inode);

	/* Each binding holds a reference on the file: none is left. */
	WARN_ON(!list_empty(&gmem->bindings));
	kfree(gmem);
	return 0;
}

static const struct file_operations gunyah_gmem_fops = {
	.owner = THIS_MODULE,
	.mmap = gunyah_gmem_mmap,
	.fallocate = gunyah_gmem_fallocate,
	.release = gunyah_gmem_release,
	.llseek = generic_file_llseek,
};

static int gunyah_gmem_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
			       struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	struct address_space *mapping = inode->i_mapping;
	int ret;

	ret = setattr_prepare(idmap, dentry, attr);
	if (ret)
		return ret;

	if (attr->ia_valid & ATTR_SIZE) {
		if (!PAGE_ALIGNED(attr->ia_size))
			return -EINVAL;
		filemap_invalidate_lock(mapping);
		if (attr->ia_size < i_size_read(inode) &&
		    gunyah_gmem_bound(gunyah_gmem_of(inode),
				      attr->ia_size >> PAGE_SHIFT,
				      i_size_read(inode) >> PAGE_SHIFT)) {
			filemap_invalidate_unlock(mapping);
			return -EBUSY;
		}
		truncate_setsize(inode, attr->ia_size);
		filemap_invalidate_unlock(mapping);
	}
	setattr_copy(idmap, inode, attr);
	return 0;
}

static const struct inode_operations gunyah_gmem_iops = {
	.setattr = gunyah_gmem_setattr,
};

/* Folios lent to a guest must stay where the guest was told they are. */
static int gunyah_gmem_migrate_folio(struct address_space *mapping,
				     struct folio *dst, struct folio *src,
				     enum migrate_mode mode)
{
	return -EBUSY;
}

static const struct address_space_operations gunyah_gmem_aops = {
	.dirty_folio = noop_dirty_folio,
	.migrate_folio = gunyah_gmem_migrate_folio,
};

/**
 * gunyah_gmem_create_file() - Create a guest-memory file
 * @args: the argument of GUNYAH_CREATE_GUEST_MEM
 *
 * Return: the file, or an ERR_PTR().
 */
struct file *
gunyah_gmem_create_file(const struct gunyah_create_mem_args *args)
{
	struct gunyah_gmem *gmem;
	struct inode *inode;
	struct file *file;
	unsigned int i;

	if (args->flags & ~(u64)(GHMF_CLOEXEC | GHMF_ALLOW_HUGEPAGE))
		return ERR_PTR(-EINVAL);
	for (i = 0; i < ARRAY_SIZE(args->reserved); i++)
		if (args->reserved[i])
			return ERR_PTR(-EINVAL);
	if (!args->size || !PAGE_ALIGNED(args->size) ||
	    args->size > MAX_LFS_FILESIZE)
		return ERR_PTR(-EINVAL);

	gmem = kzalloc(sizeof(*gmem), GFP_KERNEL_ACCOUNT);
	if (!gmem)
		return ERR_PTR(-ENOMEM);
	gmem->flags = args->flags;
	INIT_LIST_HEAD(&gmem->bindings);

	file = anon_inode_create_getfile("[gunyah-gmem]", &gunyah_gmem_fops,
					 gmem, O_RDWR, NULL);
	if (IS_ERR(file)) {
		kfree(gmem);
		return file;
	}
	file->f_flags |= O_LARGEFILE;

	inode = file_inode(file);
	inode->i_private = gmem;
	inode->i_op = &gunyah_gmem_iops;
	inode->i_mapping->a_ops = &gunyah_gmem_aops;
	inode->i_mode |= S_IFREG;
	inode->i_size = args->size;
	mapping_set_gfp_mask(inode->i_mapping, GFP_HIGHUSER);
	mapping_set_unevictable(inode->i_mapping);
	if (args->flags & GHMF_ALLOW_HUGEPAGE)
		mapping_set_large_folios(inode->i_mapping);
	return file;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_gmem_create_file);

/**
 * gunyah_gmem_create() - GUNYAH_CREATE_GUEST_MEM
 * @args: the ioctl's argument
 *
 * Return: the new fd, or a negative errno.
 */
int gunyah_gmem_create(const struct gunyah_create_mem_args *args)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(args->flags & GHMF_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0)
		return fd;

	file = gunyah_gmem_create_file(args);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

/**
 * gunyah_gmem_is_gmem() - Whether a file is a guest-memory fd
 * @file: the file
 *
 * Return: true if it is.
 */
bool gunyah_gmem_is_gmem(struct file *file)
{
	return file->f_op == &gunyah_gmem_fops;
}

/**
 * gunyah_gmem_size() - Size of a guest-memory fd
 * @file: the guest-memory fd
 *
 * Return: its size in bytes.
 */
loff_t gunyah_gmem_size(struct file *file)
{
	return i_size_read(file_inode(file));
}

/**
 * gunyah_gmem_bind() - Record a VM binding of a range of the fd
 * @b: the binding; it holds a reference on its file from now until
 *     gunyah_gmem_unbind()
 *
 * Context: Process context.
 * Return: 0, -ENXIO if the range is not inside the fd, -EBUSY if part of it
 * is bound already.
 */
int gunyah_gmem_bind(struct gunyah_vm_binding *b)
{
	struct inode *inode = file_inode(b->file);
	struct gunyah_gmem *gmem = gunyah_gmem_of(inode);
	int ret = 0;

	filemap_invalidate_lock(inode->i_mapping);
	if (b->pgoff + b->nr > i_size_read(inode) >> PAGE_SHIFT)
		ret = -ENXIO;
	else if (gunyah_gmem_bound(gmem, b->pgoff, b->pgoff + b->nr))
		ret = -EBUSY;
	else
		list_add(&b->gmem_list, &gmem->bindings);
	filemap_invalidate_unlock(inode->i_mapping);
	return ret;
}

/**
 * gunyah_gmem_unbind() - Forget a binding recorded by gunyah_gmem_bind()
 * @b: the binding, whose memory is not lent
 *
 * Drops the binding's reference on its file.
 *
 * Context: Process context.
 */
void gunyah_gmem_unbind(struct gunyah_vm_binding *b)
{
	struct inode *inode = file_inode(b->file);

	filemap_invalidate_lock(inode->i_mapping);
	list_del(&b->gmem_list);
	filemap_invalidate_unlock(inode->i_mapping);
	fput(b->file);
	b->file = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_gmem_unbind);

/**
 * gunyah_gmem_set_lent() - Hide a binding's range from the host, or not
 * @b: the binding
 * @lent: whether the memory is now lent
 *
 * Lending removes the range from every host mapping of the fd; until it
 * is reclaimed, host faults on it raise SIGBUS.
 *
 * Context: Process context.
 */
void gunyah_gmem_set_lent(struct gunyah_vm_binding *b, bool lent)
{
	struct address_space *mapping = file_inode(b->file)->i_mapping;

	filemap_invalidate_lock(mapping);
	b->gmem_lent = lent;
	if (lent)
		unmap_mapping_range(mapping, (loff_t)b->pgoff << PAGE_SHIFT,
				    (loff_t)b->nr << PAGE_SHIFT, 0);
	filemap_invalidate_unlock(mapping);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_gmem_set_lent);

/**
 * gunyah_gmem_folio() - A folio of a binding's range, for the guest
 * @b: the binding
 * @index: page index in the guest-memory fd, inside @b
 *
 * Context: Process context.
 * Return: the folio, allocated if needed, locked and with a reference;
 * or an ERR_PTR().
 */
struct folio *gunyah_gmem_folio(struct gunyah_vm_binding *b, pgoff_t index)
{
	return gunyah_gmem_get_folio(file_inode(b->file), index);
}

/**
 * gunyah_gmem_extents() - The physical ranges of a binding
 * @b: the binding
 * @ext: the ranges are appended here, neighbours merged
 *
 * Memory not allocated yet is allocated. For a lent binding, host mappings
 * that a fault in flight made during gunyah_gmem_set_lent() are removed
 * again once that fault is done (it holds the folio lock, taken here).
 *
 * Context: Process context.
 * Return: 0 or a negative errno.
 */
int gunyah_gmem_extents(struct gunyah_vm_binding *b, struct gunyah_extents *ext)
{
	struct inode *inode = file_inode(b->file);
	pgoff_t index = b->pgoff, end = b->pgoff + b->nr, n;
	struct folio *folio;
	int ret = 0;

	while (index < end) {
		folio = gunyah_gmem_get_folio(inode, index);
		if (IS_ERR(folio)) {
			ret = PTR_ERR(folio);
			break;
		}
		n = min(folio_next_index(folio), end) - index;
		ret = gunyah_extents_add(ext,
					 PFN_PHYS(folio_pfn(folio) +
						  (index - folio->index)),
					 (u64)n << PAGE_SHIFT);
		folio_unlock(folio);
		folio_put(folio);
		if (ret)
			break;
		index += n;
		cond_resched();
	}

	if (b->gmem_lent)
		unmap_mapping_range(inode->i_mapping,
				    (loff_t)b->pgoff << PAGE_SHIFT,
				    (loff_t)b->nr << PAGE_SHIFT, 0);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_gmem_extents);
