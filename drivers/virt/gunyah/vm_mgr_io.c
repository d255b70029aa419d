// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-kernel handlers of guest MMIO writes (ioeventfds): a registry by
 * guest address that the vCPU run loop searches without taking a lock.
 */

#include <linux/rcupdate.h>
#include <linux/xarray.h>

#include "vm_mgr.h"

/**
 * gunyah_vm_add_io_handler() - Complete guest writes to an address in the
 *                              kernel
 * @ghvm: the VM
 * @io_dev: the handler; must stay valid until
 *          gunyah_vm_remove_io_handler() returns
 *
 * At most one handler exists per guest address, whatever its length;
 * handlers at different addresses may cover overlapping ranges. The
 * handler may be called as soon as this returns.
 *
 * Context: Process context.
 * Return: 0, -EINVAL for a handler without a write op or with a length
 * other than 0, 1, 2, 4 or 8, -EEXIST if the address has a handler,
 * -ENOMEM.
 */
int gunyah_vm_add_io_handler(struct gunyah_vm *ghvm,
			     struct gunyah_vm_io_handler *io_dev)
{
	int ret;

	if (!io_dev->ops || !io_dev->ops->write)
		return -EINVAL;
	if (io_dev->len > 8 || (io_dev->len & (io_dev->len - 1)))
		return -EINVAL;

	ret = xa_insert(&ghvm->io_handlers, io_dev->addr, io_dev,
			GFP_KERNEL_ACCOUNT);
	return ret == -EBUSY ? -EEXIST : ret;
}
EXPORT_SYMBOL_GPL(gunyah_vm_add_io_handler);

/**
 * gunyah_vm_remove_io_handler() - Withdraw an in-kernel MMIO handler
 * @ghvm: the VM
 * @io_dev: a handler added with gunyah_vm_add_io_handler()
 *
 * When this returns no vCPU is calling @io_dev any more and none will, so
 * the caller may free it and what its write op uses. A handler that is not
 * registered (for example because its addition failed) is left alone.
 *
 * Context: Process context; waits for an RCU grace period.
 */
void gunyah_vm_remove_io_handler(struct gunyah_vm *ghvm,
				 struct gunyah_vm_io_handler *io_dev)
{
	/* Only this handler: never one that another caller added since. */
	if (xa_cmpxchg(&ghvm->io_handlers, io_dev->addr, io_dev, NULL, 0) !=
	    io_dev)
		return;
	/* Writers found it under rcu_read_lock(): wait until they are done. */
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(gunyah_vm_remove_io_handler);

/**
 * gunyah_vm_mmio_write() - Offer a guest MMIO write to the in-kernel
 *                          handlers
 * @ghvm: the VM
 * @addr: guest address written
 * @len: access length in bytes
 * @data: the value written, in the low @len bytes
 *
 * The handler registered at @addr takes the write if its length is 0 or
 * @len and its write op accepts it. Takes no lock: safe to call on every
 * MMIO exit of every vCPU at once.
 *
 * Context: Any context; the handler runs under rcu_read_lock().
 * Return: 0 if a handler completed the write; -ENODEV if none did, and the
 * VMM must handle it.
 */
int gunyah_vm_mmio_write(struct gunyah_vm *ghvm, u64 addr, u32 len, u64 data)
{
	struct gunyah_vm_io_handler *io_dev;
	int ret = -ENODEV;

	rcu_read_lock();
	io_dev = xa_load(&ghvm->io_handlers, addr);
	if (io_dev && (!io_dev->len || io_dev->len == len))
		ret = io_dev->ops->write(io_dev, addr, len, data) ? -ENODEV : 0;
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_vm_mmio_write);
