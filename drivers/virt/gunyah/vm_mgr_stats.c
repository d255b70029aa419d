// SPDX-License-Identifier: GPL-2.0-only
/*
 * Statistics of Gunyah VMs and vCPUs: stats fds (GUNYAH_GET_STATS_FD) for
 * the VMM, and the same values as text in debugfs for an operator.
 *
 * A stats fd is a read-only file laid out as struct gunyah_stats_header
 * describes: the header, an id string, one descriptor per statistic and
 * the values. Everything but the values is built when the fd is created;
 * the values are read from their owner (a VM or a vCPU) by every read().
 */

#include <linux/anon_inodes.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/gunyah_vm_mgr.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vm_mgr.h"

/**
 * struct gunyah_stats_file - A stats fd
 * @ops: what the statistics are and how to read them
 * @owner: the VM or vCPU; the fd holds a reference on it
 * @data_offset: file offset of the values
 * @size: size of the file
 * @head: the header, the id string and the descriptors (@data_offset
 *        bytes)
 */
struct gunyah_stats_file {
	const struct gunyah_stats_ops *ops;
	void *owner;
	u32 data_offset;
	u32 size;
	u8 head[] __aligned(8);
};

static ssize_t gunyah_stats_read(struct file *filp, char __user *buf,
				 size_t len, loff_t *ppos)
{
	struct gunyah_stats_file *sf = filp->private_data;
	u64 values[GUNYAH_STATS_MAX];
	loff_t pos = *ppos, dpos;
	ssize_t done = 0, ret;

	if (pos < sf->data_offset) {
		ret = simple_read_from_buffer(buf, len, &pos, sf->head,
					      sf->data_offset);
		if (ret < 0)
			return ret;
		done = ret;
		buf += ret;
		len -= ret;
	}
	if (len && pos >= sf->data_offset && pos < sf->size) {
		memset(values, 0, sizeof(values));
		sf->ops->read(sf->owner, values);
		dpos = pos - sf->data_offset;
		ret = simple_read_from_buffer(buf, len, &dpos, values,
					      sf->size - sf->data_offset);
		if (ret < 0 && !done)
			return ret;
		if (ret > 0) {
			done += ret;
			pos += ret;
		}
	}
	*ppos = pos;
	return done;
}

static int gunyah_stats_release(struct inode *inode, struct file *filp)
{
	struct gunyah_stats_file *sf = filp->private_data;
	struct module *mod = sf->ops->module;

	sf->ops->put(sf->owner);
	kfree(sf);
	module_put(mod);
	return 0;
}

static const struct file_operations gunyah_stats_fd_fops = {
	.owner = THIS_MODULE,
	.read = gunyah_stats_read,
	.release = gunyah_stats_release,
	.llseek = default_llseek,
};

/**
 * gunyah_stats_get_fd() - Create a stats fd
 * @ops: the statistics; @ops->count must not exceed %GUNYAH_STATS_MAX
 * @owner: what they are of (a VM or a vCPU), passed to @ops->read and
 *         @ops->put
 * @id: the file's id string; truncated to %GUNYAH_STATS_NAME_SIZE - 1
 *
 * The caller holds a reference on @owner, which the fd takes over on
 * success: @ops->put drops it when the fd is closed. The module of @ops
 * stays loaded while the fd is open.
 *
 * Context: Process context.
 * Return: the new fd (O_RDONLY, close-on-exec), or a negative errno, in
 * which case the caller still owns its reference.
 */
int gunyah_stats_get_fd(const struct gunyah_stats_ops *ops, void *owner,
			const char *id)
{
	const size_t desc_size = sizeof(struct gunyah_stats_desc) +
				 GUNYAH_STATS_NAME_SIZE;
	struct gunyah_stats_header *hdr;
	struct gunyah_stats_desc *desc;
	struct gunyah_stats_file *sf;
	struct file *file;
	u32 data_offset;
	unsigned int i;
	int fd, ret;

	if (WARN_ON_ONCE(ops->count > GUNYAH_STATS_MAX))
		return -EINVAL;

	data_offset = sizeof(*hdr) + GUNYAH_STATS_NAME_SIZE +
		      ops->count * desc_size;
	sf = kzalloc(struct_size(sf, head, data_offset), GFP_KERNEL_ACCOUNT);
	if (!sf)
		return -ENOMEM;
	sf->ops = ops;
	sf->owner = owner;
	sf->data_offset = data_offset;
	sf->size = data_offset + ops->count * sizeof(u64);

	hdr = (struct gunyah_stats_header *)sf->head;
	hdr->version = GUNYAH_STATS_VERSION;
	hdr->name_size = GUNYAH_STATS_NAME_SIZE;
	hdr->num_desc = ops->count;
	hdr->id_offset = sizeof(*hdr);
	hdr->desc_offset = hdr->id_offset + GUNYAH_STATS_NAME_SIZE;
	hdr->data_offset = data_offset;
	strscpy(sf->head + hdr->id_offset, id, GUNYAH_STATS_NAME_SIZE);
	for (i = 0; i < ops->count; i++) {
		desc = (struct gunyah_stats_desc *)(sf->head + hdr->desc_offset +
						    i * desc_size);
		desc->flags = ops->defs[i].flags;
		desc->exponent = ops->defs[i].exponent;
		desc->size = 1;
		desc->offset = i * sizeof(u64);
		strscpy(desc->name, ops->defs[i].name, GUNYAH_STATS_NAME_SIZE);
	}

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_free;
	}
	file = anon_inode_getfile("gunyah-stats", &gunyah_stats_fd_fops, sf,
				  O_RDONLY);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto err_put_fd;
	}
	file->f_mode |= FMODE_PREAD;
	/* The caller runs in @ops->module: it is alive. */
	__module_get(ops->module);
	fd_install(fd, file);
	return fd;

err_put_fd:
	put_unused_fd(fd);
err_free:
	kfree(sf);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_stats_get_fd);

static const struct gunyah_stat_def gunyah_vm_stat_defs[] = {
	[GUNYAH_VM_STAT_RM_CALLS] = {
		"rm_calls", GUNYAH_STATS_TYPE_CUMULATIVE },
	[GUNYAH_VM_STAT_RM_CALL_ERRORS] = {
		"rm_call_errors", GUNYAH_STATS_TYPE_CUMULATIVE },
	[GUNYAH_VM_STAT_MEM_LENT] = {
		"mem_lent", GUNYAH_STATS_TYPE_INSTANT | GUNYAH_STATS_UNIT_BYTES },
	[GUNYAH_VM_STAT_MEM_SHARED] = {
		"mem_shared",
		GUNYAH_STATS_TYPE_INSTANT | GUNYAH_STATS_UNIT_BYTES },
	[GUNYAH_VM_STAT_MEM_PARCELS] = {
		"mem_parcels", GUNYAH_STATS_TYPE_INSTANT },
	[GUNYAH_VM_STAT_PAGES_PROVIDED] = {
		"pages_provided", GUNYAH_STATS_TYPE_CUMULATIVE },
};

static_assert(ARRAY_SIZE(gunyah_vm_stat_defs) == GUNYAH_VM_STATS);
static_assert(GUNYAH_VM_STATS <= GUNYAH_STATS_MAX);

static void gunyah_vm_stats_read(void *owner, u64 *values)
{
	struct gunyah_vm *ghvm = owner;
	unsigned int i;

	for (i = 0; i < GUNYAH_VM_STATS; i++)
		values[i] = atomic64_read(&ghvm->stats[i]);
}

static void gunyah_vm_stats_put(void *owner)
{
	gunyah_vm_put(owner);
}

static const struct gunyah_stats_ops gunyah_vm_stats_ops = {
	.module = THIS_MODULE,
	.defs = gunyah_vm_stat_defs,
	.count = GUNYAH_VM_STATS,
	.read = gunyah_vm_stats_read,
	.put = gunyah_vm_stats_put,
};

/**
 * gunyah_vm_stats_fd() - GUNYAH_GET_STATS_FD on a VM fd
 * @ghvm: the VM
 *
 * Context: Process context.
 * Return: a stats fd of the VM, or a negative errno.
 */
int gunyah_vm_stats_fd(struct gunyah_vm *ghvm)
{
	char id[GUNYAH_STATS_NAME_SIZE];
	int ret;

	/* The caller's VM fd holds a reference: this one is taken. */
	if (!gunyah_vm_get(ghvm))
		return -ENODEV;
	snprintf(id, sizeof(id), "gunyah-vm-%d", task_tgid_nr(current));
	ret = gunyah_stats_get_fd(&gunyah_vm_stats_ops, ghvm, id);
	if (ret < 0)
		gunyah_vm_put(ghvm);
	return ret;
}

static int gunyah_stats_text_show(struct seq_file *m, void *unused)
{
	struct gunyah_stats_node *node = m->private;
	u64 values[GUNYAH_STATS_MAX] = {};
	unsigned int i;

	node->ops->read(node->owner, values);
	for (i = 0; i < node->ops->count; i++)
		seq_printf(m, "%s %llu\n", node->ops->defs[i].name, values[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gunyah_stats_text);

/**
 * gunyah_vm_debugfs_add_stats() - Show an object's statistics in debugfs
 * @ghvm: the VM, in whose directory the file goes
 * @name: the file's name
 * @node: the file; @node->ops and @node->owner set by the caller
 *
 * The file shows one "name value" line per statistic. The caller removes
 * it with gunyah_stats_debugfs_remove() before the owner goes; reads in
 * progress are waited for. Without debugfs this does nothing.
 *
 * Context: Process context.
 */
void gunyah_vm_debugfs_add_stats(struct gunyah_vm *ghvm, const char *name,
				 struct gunyah_stats_node *node)
{
	node->dentry = debugfs_create_file(name, 0400, ghvm->debugfs, node,
					   &gunyah_stats_text_fops);
}
EXPORT_SYMBOL_GPL(gunyah_vm_debugfs_add_stats);

/**
 * gunyah_stats_debugfs_remove() - Remove a file of gunyah_vm_debugfs_add_stats()
 * @node: the file
 *
 * Context: Process context.
 */
void gunyah_stats_debugfs_remove(struct gunyah_stats_node *node)
{
	debugfs_remove(node->dentry);
	node->dentry = NULL;
}
EXPORT_SYMBOL_GPL(gunyah_stats_debugfs_remove);

/**
 * gunyah_vm_debugfs_init() - Create the debugfs directory of a new VM
 * @ghvm: the VM
 *
 * The directory, gunyah/<pid>-<n> (the creator's process and a number),
 * holds "stats", the VM's statistics, and a file per vCPU. It goes with
 * the VM.
 *
 * Context: Process context.
 */
void gunyah_vm_debugfs_init(struct gunyah_vm *ghvm)
{
	struct gunyah_vm_manager *mgr = ghvm->mgr;
	char name[32];

	snprintf(name, sizeof(name), "%d-%d", task_tgid_nr(current),
		 atomic_inc_return(&mgr->vm_seq));
	ghvm->debugfs = debugfs_create_dir(name, mgr->debugfs);
	ghvm->stats_node.ops = &gunyah_vm_stats_ops;
	ghvm->stats_node.owner = ghvm;
	gunyah_vm_debugfs_add_stats(ghvm, "stats", &ghvm->stats_node);
}
