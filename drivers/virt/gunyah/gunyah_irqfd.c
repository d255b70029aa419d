// SPDX-License-Identifier: GPL-2.0-only
/*
 * The irqfd function of Gunyah VMs: an eventfd whose signal rings one of
 * the guest's doorbells, raising its interrupt.
 */

#include <linux/device.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/gunyah.h>
#include <linux/gunyah_vm_mgr.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <uapi/linux/gunyah.h>

/* The doorbell flag an irqfd sets, and the one that asserts the VIRQ */
#define GUNYAH_IRQFD_BELL_FLAG		BIT_ULL(0)

/**
 * struct gunyah_irqfd - An irqfd
 * @ghvm: the VM
 * @ticket: asks for the doorbell (BELL_TX) with the irqfd's label
 * @ctx: the eventfd; a reference is held until unbind
 * @wait: our entry in the eventfd's wait queue
 * @pt: poll table through which @wait is queued
 * @unhook: takes @wait off the eventfd's wait queue after EPOLLHUP
 * @level: level triggered: the doorbell masks its flag until the guest
 *         acknowledges the interrupt
 * @lock: protects @ghrsc, @pending and @hooked; taken inside the
 *        eventfd's wait-queue lock, with interrupts disabled. The
 *        EPOLLHUP callback queues @unhook under it, so that unbind, which
 *        reads @hooked under it, always finds that work queued.
 * @ghrsc: the doorbell, once the VM started; NULL before
 * @pending: the eventfd was signalled before the doorbell existed
 * @hooked: @wait is on the eventfd's wait queue and nobody has started to
 *          take it off yet
 */
struct gunyah_irqfd {
	struct gunyah_vm *ghvm;
	struct gunyah_vm_resource_ticket ticket;
	struct eventfd_ctx *ctx;
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct unhook;
	bool level;

	spinlock_t lock;	/* @ghrsc, @pending, @hooked */
	struct gunyah_resource *ghrsc;
	bool pending;
	bool hooked;
};

/* Ring the doorbell, or remember to once there is one. */
static void gunyah_irqfd_ring_locked(struct gunyah_irqfd *irqfd)
{
	enum gunyah_error gh_error;
	u64 old_flags;

	lockdep_assert_held(&irqfd->lock);

	if (!irqfd->ghrsc) {
		irqfd->pending = true;
		return;
	}
	irqfd->pending = false;
	gh_error = gunyah_hypercall_bell_send(irqfd->ghrsc->capid,
					      GUNYAH_IRQFD_BELL_FLAG,
					      &old_flags);
	if (gh_error != GUNYAH_ERROR_OK)
		dev_warn_ratelimited(gunyah_vm_dev(irqfd->ghvm),
				     "irqfd %u: doorbell_send: %d\n",
				     irqfd->ticket.label, gh_error);
}

/*
 * Take @wait off the eventfd's wait queue, once: either the EPOLLHUP
 * callback or unbind does it, whichever comes first. Returns whether the
 * caller must. With @work the caller is the callback, and the work item
 * that unhooks is queued under @lock: once unbind has seen @hooked false,
 * the work it must flush is already queued.
 */
static bool gunyah_irqfd_claim_unhook(struct gunyah_irqfd *irqfd, bool work)
{
	unsigned long flags;
	bool hooked;

	spin_lock_irqsave(&irqfd->lock, flags);
	hooked = irqfd->hooked;
	irqfd->hooked = false;
	if (hooked && work)
		schedule_work(&irqfd->unhook);
	spin_unlock_irqrestore(&irqfd->lock, flags);
	return hooked;
}

static void gunyah_irqfd_unhook(struct gunyah_irqfd *irqfd)
{
	u64 cnt;

	/*
	 * Takes the wait-queue lock, so a callback running on another CPU
	 * has finished when this returns, and none runs after.
	 */
	eventfd_ctx_remove_wait_queue(irqfd->ctx, &irqfd->wait, &cnt);
}

static void gunyah_irqfd_unhook_work(struct work_struct *work)
{
	gunyah_irqfd_unhook(container_of(work, struct gunyah_irqfd, unhook));
}

/* Called with the eventfd's wait-queue lock held and interrupts disabled */
static int gunyah_irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			       int sync, void *key)
{
	struct gunyah_irqfd *irqfd = container_of(wait, struct gunyah_irqfd,
						  wait);
	__poll_t events = key_to_poll(key);
	int ret = 0;
	u64 cnt;

	if (events & EPOLLIN) {
		/* One interrupt for however many signals were counted. */
		eventfd_ctx_do_read(irqfd->ctx, &cnt);
		spin_lock(&irqfd->lock);
		gunyah_irqfd_ring_locked(irqfd);
		spin_unlock(&irqfd->lock);
		ret = 1;
	}

	if (events & EPOLLHUP) {
		/*
		 * The eventfd is being released. Removing ourselves from its
		 * wait queue needs the lock we are called under: do it from
		 * a work item, unless unbind already is.
		 */
		gunyah_irqfd_claim_unhook(irqfd, true);
	}

	return ret;
}

static void gunyah_irqfd_queue_proc(struct file *file, wait_queue_head_t *wqh,
				    poll_table *pt)
{
	struct gunyah_irqfd *irqfd = container_of(pt, struct gunyah_irqfd, pt);

	add_wait_queue(wqh, &irqfd->wait);
}

static bool gunyah_irqfd_populate(struct gunyah_vm_resource_ticket *ticket,
				  struct gunyah_resource *ghrsc)
{
	struct gunyah_irqfd *irqfd = container_of(ticket, struct gunyah_irqfd,
						  ticket);
	enum gunyah_error gh_error;
	unsigned long flags;

	if (irqfd->level) {
		/*
		 * Assert on our flag and clear it when the VIRQ is asserted:
		 * the interrupt is raised once per signal and stays pending
		 * in the guest until it is acknowledged.
		 */
		gh_error = gunyah_hypercall_bell_set_mask(ghrsc->capid,
							  GUNYAH_IRQFD_BELL_FLAG,
							  GUNYAH_IRQFD_BELL_FLAG);
		if (gh_error != GUNYAH_ERROR_OK)
			dev_warn(gunyah_vm_dev(irqfd->ghvm),
				 "irqfd %u: doorbell_mask: %d; the interrupt is not level triggered\n",
				 ticket->label, gh_error);
	}

	spin_lock_irqsave(&irqfd->lock, flags);
	irqfd->ghrsc = ghrsc;
	if (irqfd->pending)
		gunyah_irqfd_ring_locked(irqfd);
	spin_unlock_irqrestore(&irqfd->lock, flags);
	return true;
}

static void gunyah_irqfd_unpopulate(struct gunyah_vm_resource_ticket *ticket,
				    struct gunyah_resource *ghrsc)
{
	struct gunyah_irqfd *irqfd = container_of(ticket, struct gunyah_irqfd,
						  ticket);
	unsigned long flags;

	spin_lock_irqsave(&irqfd->lock, flags);
	irqfd->ghrsc = NULL;
	spin_unlock_irqrestore(&irqfd->lock, flags);
}

static long gunyah_irqfd_bind(struct gunyah_vm_function_instance *f)
{
	const struct gunyah_fn_irqfd_arg *args = f->argp;
	struct gunyah_irqfd *irqfd;
	__poll_t events;
	struct fd fd;
	long ret;

	if (f->arg_size != sizeof(*args))
		return -EINVAL;
	if ((args->flags & ~GUNYAH_IRQFD_FLAGS_LEVEL) || args->padding)
		return -EINVAL;

	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL_ACCOUNT);
	if (!irqfd)
		return -ENOMEM;

	irqfd->ghvm = f->ghvm;
	irqfd->level = args->flags & GUNYAH_IRQFD_FLAGS_LEVEL;
	spin_lock_init(&irqfd->lock);
	INIT_WORK(&irqfd->unhook, gunyah_irqfd_unhook_work);
	init_waitqueue_func_entry(&irqfd->wait, gunyah_irqfd_wakeup);
	init_poll_funcptr(&irqfd->pt, gunyah_irqfd_queue_proc);

	/* Held until the irqfd is hooked, so that no EPOLLHUP comes first. */
	fd = fdget(args->fd);
	if (!fd_file(fd)) {
		ret = -EBADF;
		goto err_free;
	}
	irqfd->ctx = eventfd_ctx_fileget(fd_file(fd));
	if (IS_ERR(irqfd->ctx)) {
		ret = PTR_ERR(irqfd->ctx);
		goto err_fdput;
	}

	irqfd->ticket.resource_type = GUNYAH_RESOURCE_TYPE_BELL_TX;
	irqfd->ticket.label = args->label;
	irqfd->ticket.owner = THIS_MODULE;
	irqfd->ticket.populate = gunyah_irqfd_populate;
	irqfd->ticket.unpopulate = gunyah_irqfd_unpopulate;
	ret = gunyah_vm_add_resource_ticket(f->ghvm, &irqfd->ticket);
	if (ret)
		goto err_ctx;

	/* From here on the callback may run. */
	irqfd->hooked = true;
	events = vfs_poll(fd_file(fd), &irqfd->pt);
	/* A signal from before: deliver it, as the callback would. */
	if (events & EPOLLIN) {
		spin_lock_irq(&irqfd->lock);
		gunyah_irqfd_ring_locked(irqfd);
		spin_unlock_irq(&irqfd->lock);
	}
	fdput(fd);

	f->data = irqfd;
	return 0;

err_ctx:
	eventfd_ctx_put(irqfd->ctx);
err_fdput:
	fdput(fd);
err_free:
	kfree(irqfd);
	return ret;
}

static void gunyah_irqfd_unbind(struct gunyah_vm_function_instance *f)
{
	struct gunyah_irqfd *irqfd = f->data;

	/*
	 * Unhook from the eventfd unless its EPOLLHUP did; then wait for the
	 * work item that does it. Either way no callback runs after this.
	 */
	if (gunyah_irqfd_claim_unhook(irqfd, false))
		gunyah_irqfd_unhook(irqfd);
	flush_work(&irqfd->unhook);

	gunyah_vm_remove_resource_ticket(irqfd->ghvm, &irqfd->ticket);
	eventfd_ctx_put(irqfd->ctx);
	kfree(irqfd);
}

/* One irqfd per label, whatever its eventfd and flags */
static bool gunyah_irqfd_compare(const struct gunyah_vm_function_instance *f,
				 const void *arg, size_t size)
{
	const struct gunyah_fn_irqfd_arg *inst = f->argp;
	const struct gunyah_fn_irqfd_arg *other = arg;

	if (size != sizeof(*other) || f->arg_size != sizeof(*inst))
		return false;
	return inst->label == other->label;
}

DECLARE_GUNYAH_VM_FUNCTION_INIT(irqfd, GUNYAH_FN_IRQFD, gunyah_irqfd_bind,
				gunyah_irqfd_unbind, gunyah_irqfd_compare);
GUNYAH_FN_MODULE_ALIAS(2);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah irqfd: an eventfd that raises a guest interrupt");
