// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ioeventfd function of Gunyah VMs: guest writes to an address are
 * completed in the kernel by signalling an eventfd, without a trip to the
 * VMM.
 */

#include <linux/eventfd.h>
#include <linux/gunyah_vm_mgr.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include <uapi/linux/gunyah.h>

/*
 * crosvm asks for DATAMATCH with bit 1 (it shifts the flag by its bit
 * number twice): accepted as the same flag.
 */
#define GUNYAH_IOEVENTFD_FLAGS_DATAMATCH_ALIAS	BIT(1)
#define GUNYAH_IOEVENTFD_VALID_FLAGS	(GUNYAH_IOEVENTFD_FLAGS_DATAMATCH | \
					 GUNYAH_IOEVENTFD_FLAGS_DATAMATCH_ALIAS)

/**
 * struct gunyah_ioeventfd - An ioeventfd
 * @io: its in-kernel MMIO handler
 * @ctx: the eventfd; a reference is held until unbind
 * @datamatch: only writes of this value count, if @has_datamatch
 * @has_datamatch: the guest must write @datamatch
 */
struct gunyah_ioeventfd {
	struct gunyah_vm_io_handler io;
	struct eventfd_ctx *ctx;
	u64 datamatch;
	bool has_datamatch;
};

/* Called from the vCPU run loop under rcu_read_lock(): must not sleep */
static int gunyah_ioeventfd_write(struct gunyah_vm_io_handler *io_dev,
				  u64 addr, u32 len, u64 data)
{
	struct gunyah_ioeventfd *iofd = container_of(io_dev,
						     struct gunyah_ioeventfd,
						     io);

	if (iofd->has_datamatch) {
		if (len < sizeof(data))
			data &= BIT_ULL(len * BITS_PER_BYTE) - 1;
		if (data != iofd->datamatch)
			return -ENODEV;	/* the VMM's to handle */
	}
	eventfd_signal(iofd->ctx);
	return 0;
}

static const struct gunyah_vm_io_handler_ops gunyah_ioeventfd_ops = {
	.write = gunyah_ioeventfd_write,
};

static long gunyah_ioeventfd_bind(struct gunyah_vm_function_instance *f)
{
	const struct gunyah_fn_ioeventfd_arg *args = f->argp;
	struct gunyah_ioeventfd *iofd;
	u64 end;
	long ret;

	if (f->arg_size != sizeof(*args))
		return -EINVAL;
	if ((args->flags & ~GUNYAH_IOEVENTFD_VALID_FLAGS) || args->padding)
		return -EINVAL;
	switch (args->len) {
	case 0:
	case 1:
	case 2:
	case 4:
	case 8:
		break;
	default:
		return -EINVAL;
	}
	if (check_add_overflow(args->addr, (u64)args->len, &end))
		return -EOVERFLOW;

	iofd = kzalloc(sizeof(*iofd), GFP_KERNEL_ACCOUNT);
	if (!iofd)
		return -ENOMEM;

	iofd->ctx = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(iofd->ctx)) {
		ret = PTR_ERR(iofd->ctx);
		goto err_free;
	}

	iofd->has_datamatch = args->flags & GUNYAH_IOEVENTFD_VALID_FLAGS;
	iofd->datamatch = args->datamatch;
	iofd->io.addr = args->addr;
	iofd->io.len = args->len;
	iofd->io.ops = &gunyah_ioeventfd_ops;

	ret = gunyah_vm_add_io_handler(f->ghvm, &iofd->io);
	if (ret)
		goto err_ctx;

	f->data = iofd;
	return 0;

err_ctx:
	eventfd_ctx_put(iofd->ctx);
err_free:
	kfree(iofd);
	return ret;
}

static void gunyah_ioeventfd_unbind(struct gunyah_vm_function_instance *f)
{
	struct gunyah_ioeventfd *iofd = f->data;

	/* Returns once no vCPU can be in gunyah_ioeventfd_write(). */
	gunyah_vm_remove_io_handler(f->ghvm, &iofd->io);
	eventfd_ctx_put(iofd->ctx);
	kfree(iofd);
}

/*
 * The ioeventfd at the argument's address; a length of 0 in the argument
 * matches any (crosvm removes with only the address set).
 */
static bool
gunyah_ioeventfd_compare(const struct gunyah_vm_function_instance *f,
			 const void *arg, size_t size)
{
	const struct gunyah_fn_ioeventfd_arg *inst = f->argp;
	const struct gunyah_fn_ioeventfd_arg *other = arg;

	if (size != sizeof(*other) || f->arg_size != sizeof(*inst))
		return false;
	return inst->addr == other->addr &&
	       (!other->len || other->len == inst->len);
}

DECLARE_GUNYAH_VM_FUNCTION_INIT(ioeventfd, GUNYAH_FN_IOEVENTFD,
				gunyah_ioeventfd_bind, gunyah_ioeventfd_unbind,
				gunyah_ioeventfd_compare);
GUNYAH_FN_MODULE_ALIAS(3);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah ioeventfd: guest writes that signal an eventfd");
