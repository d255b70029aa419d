/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the Gunyah VM manager offers to VM functions (vCPU, irqfd,
 * ioeventfd, ...), which live in modules of their own.
 */

#ifndef _LINUX_GUNYAH_VM_MGR_H
#define _LINUX_GUNYAH_VM_MGR_H

#include <linux/list.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <linux/gunyah_rsc_mgr.h>

struct dentry;
struct gunyah_vm;

int __must_check gunyah_vm_get(struct gunyah_vm *ghvm);
void gunyah_vm_put(struct gunyah_vm *ghvm);
u16 gunyah_vm_vmid(struct gunyah_vm *ghvm);
struct device *gunyah_vm_dev(struct gunyah_vm *ghvm);
int gunyah_vm_provide_page(struct gunyah_vm *ghvm, u64 gpa);

struct gunyah_vm_exit_info;
int gunyah_vm_exit_status(struct gunyah_vm *ghvm,
			  struct gunyah_vm_exit_info *info);
wait_queue_head_t *gunyah_vm_status_waitqueue(struct gunyah_vm *ghvm);
bool gunyah_vm_has_demand_paging(struct gunyah_vm *ghvm);

/* Most statistics a stats fd has */
#define GUNYAH_STATS_MAX	16

/**
 * struct gunyah_stat_def - A statistic of a stats fd
 * @name: its name
 * @flags: GUNYAH_STATS_TYPE_* | GUNYAH_STATS_UNIT_*
 * @exponent: the power of 10 of its unit
 */
struct gunyah_stat_def {
	const char *name;
	u32 flags;
	s16 exponent;
};

/**
 * struct gunyah_stats_ops - The statistics of one kind of object
 * @module: the module of @read and @put
 * @defs: the statistics, in file order
 * @count: number of @defs, at most %GUNYAH_STATS_MAX
 * @read: store the current values of an object in values[0..@count - 1];
 *        called in process context, without locks held
 * @put: drop the stats fd's reference on an object
 */
struct gunyah_stats_ops {
	struct module *module;
	const struct gunyah_stat_def *defs;
	unsigned int count;
	void (*read)(void *owner, u64 *values);
	void (*put)(void *owner);
};

int gunyah_stats_get_fd(const struct gunyah_stats_ops *ops, void *owner,
			const char *id);

/**
 * struct gunyah_stats_node - The debugfs file of an object's statistics
 * @ops: the statistics
 * @owner: the object, which outlives the file
 * @dentry: the file
 */
struct gunyah_stats_node {
	const struct gunyah_stats_ops *ops;
	void *owner;
	struct dentry *dentry;
};

void gunyah_vm_debugfs_add_stats(struct gunyah_vm *ghvm, const char *name,
				 struct gunyah_stats_node *node);
void gunyah_stats_debugfs_remove(struct gunyah_stats_node *node);

struct gunyah_vm_io_handler;

/**
 * struct gunyah_vm_io_handler_ops - What an in-kernel MMIO handler does
 * @write: handle a guest write of @len bytes of @data at @addr; return 0
 *         if it was handled, or -ENODEV to let the VMM handle it (for
 *         example when the data does not match). Called from the vCPU run
 *         loop under rcu_read_lock(): it must not sleep
 */
struct gunyah_vm_io_handler_ops {
	int (*write)(struct gunyah_vm_io_handler *io_dev, u64 addr, u32 len,
		     u64 data);
};

/**
 * struct gunyah_vm_io_handler - An in-kernel handler of guest MMIO writes
 * @addr: the guest address it handles; at most one handler per address
 * @len: the access length it handles: 1, 2, 4 or 8, or 0 for any
 * @ops: what it does
 */
struct gunyah_vm_io_handler {
	u64 addr;
	u32 len;
	const struct gunyah_vm_io_handler_ops *ops;
};

int gunyah_vm_add_io_handler(struct gunyah_vm *ghvm,
			     struct gunyah_vm_io_handler *io_dev);
void gunyah_vm_remove_io_handler(struct gunyah_vm *ghvm,
				 struct gunyah_vm_io_handler *io_dev);
int gunyah_vm_mmio_write(struct gunyah_vm *ghvm, u64 addr, u32 len, u64 data);

struct gunyah_vm_function_instance;

/**
 * struct gunyah_vm_function - A type of VM function
 * @type: its enum gunyah_fn_type value
 * @name: its name, for messages
 * @mod: the module that provides it
 * @bind: create an instance from @f->argp; returns a value for userspace
 *        (an fd, or 0) or a negative errno
 * @unbind: destroy an instance; only called for instances @bind created
 * @compare: whether an instance matches an argument (the same instance
 *           added twice, or the instance a removal names)
 */
struct gunyah_vm_function {
	u32 type;
	const char *name;
	struct module *mod;
	long (*bind)(struct gunyah_vm_function_instance *f);
	void (*unbind)(struct gunyah_vm_function_instance *f);
	bool (*compare)(const struct gunyah_vm_function_instance *f,
			const void *arg, size_t size);
};

/**
 * struct gunyah_vm_function_instance - A function added to a VM
 * @arg_size: size of @argp
 * @argp: copy of the argument userspace passed
 * @ghvm: the VM; the instance holds no reference on it (the VM outlives
 *        its functions)
 * @fn: the function's type; a module reference is held on @fn->mod
 * @data: the function's private data
 * @vm_list: node in the VM's list of functions
 */
struct gunyah_vm_function_instance {
	size_t arg_size;
	void *argp;
	struct gunyah_vm *ghvm;
	struct gunyah_vm_function *fn;
	void *data;
	struct list_head vm_list;
};

int gunyah_vm_function_register(struct gunyah_vm_function *f);
void gunyah_vm_function_unregister(struct gunyah_vm_function *f);

/*
 * Module alias through which GUNYAH_VM_ADD_FUNCTION finds a function type;
 * @type must be a decimal literal.
 */
#define GUNYAH_FN_MODULE_ALIAS(type)	MODULE_ALIAS("gunyah_fn:" __stringify(type))

/**
 * DECLARE_GUNYAH_VM_FUNCTION_INIT() - Define a function type and the
 *                                     module's init and exit
 * @_name: name of the function
 * @_type: its enum gunyah_fn_type value
 *
 * The module also needs GUNYAH_FN_MODULE_ALIAS() with the type's number,
 * so that it is loaded on demand.
 * @_bind: its &gunyah_vm_function.bind
 * @_unbind: its &gunyah_vm_function.unbind
 * @_compare: its &gunyah_vm_function.compare
 */
#define DECLARE_GUNYAH_VM_FUNCTION_INIT(_name, _type, _bind, _unbind,	\
					_compare)			\
	static struct gunyah_vm_function gunyah_vm_fn_##_name = {	\
		.type = _type,						\
		.name = __stringify(_name),				\
		.mod = THIS_MODULE,					\
		.bind = _bind,						\
		.unbind = _unbind,					\
		.compare = _compare,					\
	};								\
	static int __init gunyah_vm_fn_##_name##_init(void)		\
	{								\
		return gunyah_vm_function_register(&gunyah_vm_fn_##_name); \
	}								\
	static void __exit gunyah_vm_fn_##_name##_exit(void)		\
	{								\
		gunyah_vm_function_unregister(&gunyah_vm_fn_##_name);	\
	}								\
	module_init(gunyah_vm_fn_##_name##_init);			\
	module_exit(gunyah_vm_fn_##_name##_exit)

/**
 * struct gunyah_resource - A hypervisor resource the RM gave the host for
 *                          a VM
 * @type: its enum gunyah_rm_resource_type
 * @capid: the host's capability for it
 * @irq: Linux interrupt of its VIRQ, 0 if it has none
 * @rm_label: its label
 * @list: node in the VM's list of resources, or in a ticket's
 */
struct gunyah_resource {
	enum gunyah_rm_resource_type type;
	u64 capid;
	unsigned int irq;
	u32 rm_label;
	struct list_head list;
};

/**
 * struct gunyah_vm_resource_ticket - A request for a resource of a VM
 * @vm_list: node in the VM's list of tickets
 * @resources: resources handed to this ticket
 * @resource_type: the type wanted
 * @label: the label wanted
 * @owner: module of @populate and @unpopulate; a reference is held while
 *         the ticket is registered
 * @populate: take a matching resource; returns false to leave it for
 *            another ticket. Called with the VM's resource lock held
 * @unpopulate: give the resource back (VM teardown or ticket removal)
 *
 * A function that needs a resource that only exists once the VM runs (a
 * vCPU's capability, a doorbell) registers a ticket; when the RM hands the
 * resource out, the ticket is populated with it.
 */
struct gunyah_vm_resource_ticket {
	struct list_head vm_list;
	struct list_head resources;
	enum gunyah_rm_resource_type resource_type;
	u32 label;
	struct module *owner;
	bool (*populate)(struct gunyah_vm_resource_ticket *ticket,
			 struct gunyah_resource *ghrsc);
	void (*unpopulate)(struct gunyah_vm_resource_ticket *ticket,
			   struct gunyah_resource *ghrsc);
};

int gunyah_vm_add_resource_ticket(struct gunyah_vm *ghvm,
				  struct gunyah_vm_resource_ticket *ticket);
void gunyah_vm_remove_resource_ticket(struct gunyah_vm *ghvm,
				      struct gunyah_vm_resource_ticket *ticket);

#endif
