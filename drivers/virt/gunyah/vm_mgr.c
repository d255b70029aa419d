// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Gunyah VM manager: /dev/gunyah, VM fds, VM lifecycle and functions.
 */

#define pr_fmt(fmt) "gunyah_vm_mgr: " fmt

#include <kunit/visibility.h>
#include <linux/anon_inodes.h>
#include <linux/compat.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/of_irq.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <trace/events/gunyah.h>

#include "rsc_mgr.h"
#include "vm_mgr.h"

/* How long teardown waits for the RM to report a state change */
#define GUNYAH_VM_STATUS_TIMEOUT	(10 * HZ)

/*
 * Registered function types, by type. gunyah_functions_lock serialises
 * registration against lookups, so that a lookup either sees a type whose
 * module it could take a reference on, or does not see it at all.
 */
static DEFINE_XARRAY(gunyah_functions);
static DEFINE_MUTEX(gunyah_functions_lock);

/**
 * gunyah_vm_function_register() - Make a function type available to VMs
 * @fn: the function type; lives until gunyah_vm_function_unregister()
 *
 * Context: Process context.
 * Return: 0, -EINVAL for an incomplete @fn, -EEXIST if the type is taken.
 */
int gunyah_vm_function_register(struct gunyah_vm_function *fn)
{
	int ret;

	if (!fn->bind || !fn->unbind || !fn->compare)
		return -EINVAL;

	mutex_lock(&gunyah_functions_lock);
	ret = xa_insert(&gunyah_functions, fn->type, fn, GFP_KERNEL);
	mutex_unlock(&gunyah_functions_lock);
	return ret == -EBUSY ? -EEXIST : ret;
}
EXPORT_SYMBOL_GPL(gunyah_vm_function_register);

/**
 * gunyah_vm_function_unregister() - Withdraw a function type
 * @fn: the function type
 *
 * Instances hold a reference on @fn->mod, so none exist when its module
 * exit calls this.
 *
 * Context: Process context.
 */
void gunyah_vm_function_unregister(struct gunyah_vm_function *fn)
{
	mutex_lock(&gunyah_functions_lock);
	xa_erase(&gunyah_functions, fn->type);
	mutex_unlock(&gunyah_functions_lock);
}
EXPORT_SYMBOL_GPL(gunyah_vm_function_unregister);

static struct gunyah_vm_function *gunyah_vm_function_try_get(u32 type)
{
	struct gunyah_vm_function *fn;

	mutex_lock(&gunyah_functions_lock);
	fn = xa_load(&gunyah_functions, type);
	if (fn && !try_module_get(fn->mod))
		fn = NULL;	/* its module is going away */
	mutex_unlock(&gunyah_functions_lock);
	return fn;
}

/**
 * gunyah_vm_function_get() - Find a function type, loading its module if
 *                            needed
 * @type: the type
 *
 * Return: the type, with a reference on its module; ERR_PTR(-ENODEV) if
 * there is no such type.
 */
struct gunyah_vm_function *gunyah_vm_function_get(u32 type)
{
	struct gunyah_vm_function *fn;

	fn = gunyah_vm_function_try_get(type);
	if (fn)
		return fn;

	request_module("gunyah_fn:%u", type);
	return gunyah_vm_function_try_get(type) ?: ERR_PTR(-ENODEV);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_function_get);

/**
 * gunyah_vm_get() - Take a reference on a VM
 * @ghvm: the VM
 *
 * Return: 1 if a reference was taken, 0 if the VM is being torn down.
 */
int gunyah_vm_get(struct gunyah_vm *ghvm)
{
	return kref_get_unless_zero(&ghvm->kref);
}
EXPORT_SYMBOL_GPL(gunyah_vm_get);

static void gunyah_vm_release(struct kref *kref)
{
	struct gunyah_vm *ghvm = container_of(kref, struct gunyah_vm, kref);

	/* The RM calls of teardown may sleep long: not in the caller's context. */
	queue_work(ghvm->mgr->wq, &ghvm->teardown_work);
}

/**
 * gunyah_vm_put() - Drop a reference on a VM
 * @ghvm: the VM
 *
 * The last reference starts the VM's teardown, in the background.
 */
void gunyah_vm_put(struct gunyah_vm *ghvm)
{
	kref_put(&ghvm->kref, gunyah_vm_release);
}
EXPORT_SYMBOL_GPL(gunyah_vm_put);

/**
 * gunyah_vm_vmid() - The VM's VMID
 * @ghvm: the VM
 *
 * Return: the VMID, or %GUNYAH_VMID_INVAL before the VM has started.
 */
u16 gunyah_vm_vmid(struct gunyah_vm *ghvm)
{
	return READ_ONCE(ghvm->vmid);
}
EXPORT_SYMBOL_GPL(gunyah_vm_vmid);

/**
 * gunyah_vm_dev() - The device to print messages about a VM against
 * @ghvm: the VM
 *
 * Return: the Resource Manager's device.
 */
struct device *gunyah_vm_dev(struct gunyah_vm *ghvm)
{
	return ghvm->parent;
}
EXPORT_SYMBOL_GPL(gunyah_vm_dev);

static bool gunyah_ticket_matches(struct gunyah_vm_resource_ticket *ticket,
				  struct gunyah_resource *ghrsc)
{
	return ticket->resource_type == ghrsc->type &&
	       ticket->label == ghrsc->rm_label;
}

/**
 * gunyah_vm_add_resource_ticket() - Ask for a resource of a VM
 * @ghvm: the VM
 * @ticket: the ticket; registered until gunyah_vm_remove_resource_ticket()
 *
 * If the resource exists already, @ticket is populated at once.
 *
 * Context: Process context; takes the VM's resource lock.
 * Return: 0, -EEXIST if a ticket for that resource exists, -ENODEV if the
 * ticket's module is going away.
 */
int gunyah_vm_add_resource_ticket(struct gunyah_vm *ghvm,
				  struct gunyah_vm_resource_ticket *ticket)
{
	struct gunyah_vm_resource_ticket *t;
	struct gunyah_resource *ghrsc, *next;
	int ret = 0;

	mutex_lock(&ghvm->resources_lock);
	list_for_each_entry(t, &ghvm->resource_tickets, vm_list) {
		if (t->resource_type == ticket->resource_type &&
		    t->label == ticket->label) {
			ret = -EEXIST;
			goto out;
		}
	}
	if (!try_module_get(ticket->owner)) {
		ret = -ENODEV;
		goto out;
	}

	INIT_LIST_HEAD(&ticket->resources);
	list_add(&ticket->vm_list, &ghvm->resource_tickets);
	list_for_each_entry_safe(ghrsc, next, &ghvm->resources, list) {
		if (gunyah_ticket_matches(ticket, ghrsc) &&
		    ticket->populate(ticket, ghrsc))
			list_move(&ghrsc->list, &ticket->resources);
	}
out:
	mutex_unlock(&ghvm->resources_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_vm_add_resource_ticket);

/**
 * gunyah_vm_remove_resource_ticket() - Withdraw a resource ticket
 * @ghvm: the VM
 * @ticket: the ticket
 *
 * Resources the ticket holds are unpopulated and given back to the VM.
 *
 * Context: Process context; takes the VM's resource lock.
 */
void gunyah_vm_remove_resource_ticket(struct gunyah_vm *ghvm,
				      struct gunyah_vm_resource_ticket *ticket)
{
	struct gunyah_resource *ghrsc, *next;

	mutex_lock(&ghvm->resources_lock);
	list_for_each_entry_safe(ghrsc, next, &ticket->resources, list) {
		ticket->unpopulate(ticket, ghrsc);
		list_move(&ghrsc->list, &ghvm->resources);
	}
	list_del(&ticket->vm_list);
	mutex_unlock(&ghvm->resources_lock);
	module_put(ticket->owner);
}
EXPORT_SYMBOL_GPL(gunyah_vm_remove_resource_ticket);

/*
 * The RM names interrupts by their number in the host's interrupt
 * controller (GIC numbering); translate through the RM node's parent.
 */
static unsigned int gunyah_vm_map_virq(struct gunyah_vm *ghvm, u32 virq)
{
	struct irq_fwspec fwspec = { .param_count = 3 };

	if (virq >= 32 && virq < 1020) {
		fwspec.param[0] = 0;	/* SPI */
		fwspec.param[1] = virq - 32;
	} else if (virq >= 4096 && virq < 5120) {
		fwspec.param[0] = 2;	/* extended SPI */
		fwspec.param[1] = virq - 4096;
	} else {
		return 0;
	}
	fwspec.param[2] = IRQ_TYPE_EDGE_RISING;

	if (!ghvm->mgr->irq_parent)
		return 0;
	fwspec.fwnode = of_fwnode_handle(ghvm->mgr->irq_parent);
	return irq_create_fwspec_mapping(&fwspec);
}

static void gunyah_vm_free_resource(struct gunyah_resource *ghrsc)
{
	if (ghrsc->irq)
		irq_dispose_mapping(ghrsc->irq);
	kfree(ghrsc);
}

static void gunyah_vm_add_resource(struct gunyah_vm *ghvm,
				   struct gunyah_resource *ghrsc)
{
	struct gunyah_vm_resource_ticket *ticket;

	mutex_lock(&ghvm->resources_lock);
	list_for_each_entry(ticket, &ghvm->resource_tickets, vm_list) {
		if (gunyah_ticket_matches(ticket, ghrsc) &&
		    ticket->populate(ticket, ghrsc)) {
			list_add(&ghrsc->list, &ticket->resources);
			goto out;
		}
	}
	list_add(&ghrsc->list, &ghvm->resources);
out:
	mutex_unlock(&ghvm->resources_lock);
}

static int gunyah_vm_add_resources(struct gunyah_vm *ghvm)
{
	struct gunyah_rm_hyp_resources *res;
	struct gunyah_vm_resource_ticket *ticket;
	struct gunyah_resource *ghrsc;
	u32 i, n, virq;
	int ret;

	ret = gunyah_rm_get_hyp_resources(ghvm->rm, ghvm->vmid, &res);
	gunyah_vm_count_rm_call(ghvm, ret);
	if (ret) {
		dev_dbg(ghvm->parent, "VM %u: VM_GET_HYP_RESOURCES: %d\n",
			ghvm->vmid, ret);
		return ret;
	}

	n = le32_to_cpu(res->n_entries);
	for (i = 0; i < n; i++) {
		ghrsc = kzalloc(sizeof(*ghrsc), GFP_KERNEL);
		if (!ghrsc) {
			ret = -ENOMEM;
			goto out;
		}
		ghrsc->type = res->entries[i].type;
		ghrsc->capid = le64_to_cpu(res->entries[i].cap_id);
		ghrsc->rm_label = le32_to_cpu(res->entries[i].resource_label);
		virq = le32_to_cpu(res->entries[i].virq);
		if (virq) {
			ghrsc->irq = gunyah_vm_map_virq(ghvm, virq);
			if (!ghrsc->irq)
				dev_warn(ghvm->parent,
					 "VM %u: cannot map VIRQ %u of resource type %u label %u\n",
					 ghvm->vmid, virq, ghrsc->type,
					 ghrsc->rm_label);
		}
		gunyah_vm_add_resource(ghvm, ghrsc);
	}

	/* A function waiting for something the RM did not create never runs. */
	mutex_lock(&ghvm->resources_lock);
	list_for_each_entry(ticket, &ghvm->resource_tickets, vm_list) {
		if (list_empty(&ticket->resources))
			dev_warn(ghvm->parent,
				 "VM %u: the RM gave no resource of type %u with label %u\n",
				 ghvm->vmid, ticket->resource_type,
				 ticket->label);
	}
	mutex_unlock(&ghvm->resources_lock);
out:
	kfree(res);
	return ret;
}

static void gunyah_vm_free_resources(struct gunyah_vm *ghvm)
{
	struct gunyah_resource *ghrsc, *next;

	/* Functions are gone, and with them every ticket. */
	WARN_ON(!list_empty(&ghvm->resource_tickets));
	list_for_each_entry_safe(ghrsc, next, &ghvm->resources, list) {
		list_del(&ghrsc->list);
		gunyah_vm_free_resource(ghrsc);
	}
}

/* Exit types of VM_EXITED that mean the guest crashed (spec §3.8.3) */
#define GUNYAH_RM_VM_EXIT_WATCHDOG_BITE		4
#define GUNYAH_RM_VM_EXIT_SOFTWARE_ERROR	5
#define GUNYAH_RM_VM_EXIT_ASYNC_HW_ERROR	6

static void gunyah_vm_report_exit(struct gunyah_vm *ghvm)
{
	switch (ghvm->exit_info.type) {
	case GUNYAH_RM_VM_EXIT_WATCHDOG_BITE:
	case GUNYAH_RM_VM_EXIT_SOFTWARE_ERROR:
	case GUNYAH_RM_VM_EXIT_ASYNC_HW_ERROR:
		dev_warn(ghvm->parent, "VM %u crashed: exit type %u\n",
			 ghvm->vmid, ghvm->exit_info.type);
		break;
	default:
		dev_dbg(ghvm->parent, "VM %u exited: exit type %u\n",
			ghvm->vmid, ghvm->exit_info.type);
	}
}

static int gunyah_vm_rm_notification(struct notifier_block *nb,
				     unsigned long action, void *data)
{
	struct gunyah_vm *ghvm = container_of(nb, struct gunyah_vm, nb);
	const struct gunyah_rm_notification *notif = data;
	const struct gunyah_rm_vm_status_payload *status;
	const struct gunyah_rm_vm_exited_payload *exited;
	size_t reason_size;

	switch (action) {
	case GUNYAH_RM_NOTIFICATION_VM_STATUS:
		status = notif->data;
		if (notif->size < sizeof(*status) ||
		    le16_to_cpu(status->vmid) != ghvm->vmid)
			return NOTIFY_DONE;
		spin_lock(&ghvm->status_lock);
		WRITE_ONCE(ghvm->vm_status, status->vm_status);
		spin_unlock(&ghvm->status_lock);
		break;
	case GUNYAH_RM_NOTIFICATION_VM_EXITED:
		exited = notif->data;
		if (notif->size < sizeof(*exited) ||
		    le16_to_cpu(exited->vmid) != ghvm->vmid)
			return NOTIFY_DONE;
		reason_size = min3(notif->size - sizeof(*exited),
				   (size_t)le32_to_cpu(exited->exit_reason_size),
				   (size_t)GUNYAH_VM_MAX_EXIT_REASON_SIZE);
		spin_lock(&ghvm->status_lock);
		ghvm->exit_info.type = le16_to_cpu(exited->exit_type);
		ghvm->exit_info.reason_size = reason_size;
		memcpy(ghvm->exit_info.reason, exited->exit_reason,
		       reason_size);
		WRITE_ONCE(ghvm->exited, true);
		spin_unlock(&ghvm->status_lock);
		gunyah_vm_report_exit(ghvm);
		break;
	default:
		return NOTIFY_DONE;
	}
	wake_up_all(&ghvm->status_wait);
	return NOTIFY_OK;
}

/**
 * gunyah_vm_exit_status() - Whether and how the VM has exited
 * @ghvm: the VM
 * @info: filled, when the VM has exited, with why (zeroed when the RM gave
 *        no reason, as for %GUNYAH_VM_STATUS_LOAD_FAILED)
 *
 * The VM has exited once the RM sent VM_EXITED for it: its exit types 4, 5
 * and 6 (watchdog bite, software error, asynchronous hardware error) are
 * %GUNYAH_VM_STATUS_CRASHED, the others %GUNYAH_VM_STATUS_EXITED. A VM
 * whose initialisation the RM reported as failed is
 * %GUNYAH_VM_STATUS_LOAD_FAILED. A VM_STATUS of EXITED alone does not count:
 * the RM sends it just before VM_EXITED, which carries the reason.
 *
 * The common answer, "not exited", takes no lock, so that vCPUs may ask
 * on every run.
 *
 * Context: Any context but hard interrupt; takes the VM's status lock.
 * Return: 0 while the VM has not exited, else a GUNYAH_VM_STATUS_* value.
 */
int gunyah_vm_exit_status(struct gunyah_vm *ghvm,
			  struct gunyah_vm_exit_info *info)
{
	int status = 0;

	if (!READ_ONCE(ghvm->exited) &&
	    READ_ONCE(ghvm->vm_status) != GUNYAH_RM_VM_STATUS_INIT_FAILED)
		return 0;

	spin_lock(&ghvm->status_lock);
	if (ghvm->exited) {
		*info = ghvm->exit_info;
		switch (info->type) {
		case GUNYAH_RM_VM_EXIT_WATCHDOG_BITE:
		case GUNYAH_RM_VM_EXIT_SOFTWARE_ERROR:
		case GUNYAH_RM_VM_EXIT_ASYNC_HW_ERROR:
			status = GUNYAH_VM_STATUS_CRASHED;
			break;
		default:
			status = GUNYAH_VM_STATUS_EXITED;
		}
	} else if (ghvm->vm_status == GUNYAH_RM_VM_STATUS_INIT_FAILED) {
		memset(info, 0, sizeof(*info));
		status = GUNYAH_VM_STATUS_LOAD_FAILED;
	}
	spin_unlock(&ghvm->status_lock);
	return status;
}
EXPORT_SYMBOL_GPL(gunyah_vm_exit_status);

/**
 * gunyah_vm_status_waitqueue() - Where to wait for the VM's status to change
 * @ghvm: the VM
 *
 * The queue is woken on every status the RM reports for the VM (VM_STATUS
 * and VM_EXITED), so a waiter can recheck gunyah_vm_exit_status(). A
 * function may also wake it to make its own waiters recheck their
 * conditions.
 *
 * Return: the VM's status wait queue; it lives as long as the VM.
 */
wait_queue_head_t *gunyah_vm_status_waitqueue(struct gunyah_vm *ghvm)
{
	return &ghvm->status_wait;
}
EXPORT_SYMBOL_GPL(gunyah_vm_status_waitqueue);

/**
 * gunyah_vm_has_demand_paging() - Whether the VM's memory is demand paged
 * @ghvm: the VM
 *
 * True when the RM has demand paging (the VM manager then uses it for every
 * VM): its hypervisor then reports page faults of the guest and honours
 * the resume actions RETRY and FAULT after a VMMIO or page-fault run state.
 *
 * Context: Process context; may ask the RM once, the first time.
 * Return: true if it has.
 */
bool gunyah_vm_has_demand_paging(struct gunyah_vm *ghvm)
{
	return gunyah_vm_mgr_has(ghvm->mgr, GUNYAH_RM_DEMAND_PAGING);
}
EXPORT_SYMBOL_GPL(gunyah_vm_has_demand_paging);

static enum gunyah_rm_vm_status gunyah_vm_status(struct gunyah_vm *ghvm)
{
	enum gunyah_rm_vm_status status;

	spin_lock(&ghvm->status_lock);
	status = ghvm->vm_status;
	spin_unlock(&ghvm->status_lock);
	return status;
}

/*
 * The RM's view of the VM: asked for, since a notification may have been
 * lost with a killed caller or never sent (a VM that failed to start).
 */
static enum gunyah_rm_vm_status gunyah_vm_query_status(struct gunyah_vm *ghvm)
{
	enum gunyah_rm_vm_status status;
	u16 app_status;
	u8 os_status;
	int ret;

	ret = gunyah_rm_vm_get_state(ghvm->rm, ghvm->vmid, &status, &os_status,
				     &app_status);
	gunyah_vm_count_rm_call(ghvm, ret);
	if (ret)
		return gunyah_vm_status(ghvm);

	spin_lock(&ghvm->status_lock);
	WRITE_ONCE(ghvm->vm_status, status);
	spin_unlock(&ghvm->status_lock);
	return status;
}

static bool gunyah_vm_wait_status(struct gunyah_vm *ghvm,
				  enum gunyah_rm_vm_status want)
{
	wait_event_timeout(ghvm->status_wait, gunyah_vm_status(ghvm) == want,
			   GUNYAH_VM_STATUS_TIMEOUT);
	return gunyah_vm_query_status(ghvm) == want;
}

/*
 * Bring the VM back to a state the RM lets us deallocate from: stop it if
 * it runs, finish a half-done initialisation, and reset it. Each step is
 * tried even if an earlier one failed; what cannot be undone is reported.
 */
static void gunyah_vm_rm_stop_and_reset(struct gunyah_vm *ghvm)
{
	enum gunyah_rm_vm_status status = gunyah_vm_query_status(ghvm);
	int ret;

	if (status == GUNYAH_RM_VM_STATUS_RUNNING ||
	    status == GUNYAH_RM_VM_STATUS_PAUSED) {
		ret = gunyah_rm_vm_stop(ghvm->rm, ghvm->vmid,
					GUNYAH_RM_VM_STOP_FLAG_FORCE_STOP,
					GUNYAH_RM_VM_STOP_REASON_FORCE_STOP);
		gunyah_vm_count_rm_call(ghvm, ret);
		if (ret)
			dev_warn(ghvm->parent, "VM %u: VM_STOP failed: %d\n",
				 ghvm->vmid, ret);
		else
			gunyah_vm_wait_status(ghvm, GUNYAH_RM_VM_STATUS_EXITED);
		status = gunyah_vm_query_status(ghvm);
	}

	if (status == GUNYAH_RM_VM_STATUS_INIT) {
		/* Configured but not initialised: neither reset nor freed. */
		ret = gunyah_rm_vm_init(ghvm->rm, ghvm->vmid);
		gunyah_vm_count_rm_call(ghvm, ret);
		if (ret)
			dev_dbg(ghvm->parent, "VM %u: VM_INIT: %d\n",
				ghvm->vmid, ret);
		status = gunyah_vm_query_status(ghvm);
	}

	if (status == GUNYAH_RM_VM_STATUS_EXITED ||
	    status == GUNYAH_RM_VM_STATUS_READY ||
	    status == GUNYAH_RM_VM_STATUS_INIT_FAILED) {
		ret = gunyah_rm_vm_reset(ghvm->rm, ghvm->vmid);
		gunyah_vm_count_rm_call(ghvm, ret);
		if (ret)
			dev_warn(ghvm->parent, "VM %u: VM_RESET failed: %d\n",
				 ghvm->vmid, ret);
		else if (!gunyah_vm_wait_status(ghvm, GUNYAH_RM_VM_STATUS_RESET))
			dev_warn(ghvm->parent, "VM %u: did not reach RESET\n",
				 ghvm->vmid);
	}
}

static void gunyah_vm_free_instance(struct gunyah_vm_function_instance *inst)
{
	module_put(inst->fn->mod);
	kfree(inst->argp);
	kfree(inst);
}

static void gunyah_vm_remove_functions(struct gunyah_vm *ghvm)
{
	struct gunyah_vm_function_instance *inst, *next;

	list_for_each_entry_safe(inst, next, &ghvm->functions, vm_list) {
		list_del(&inst->vm_list);
		inst->fn->unbind(inst);
		gunyah_vm_free_instance(inst);
	}
}

static void gunyah_vm_teardown(struct work_struct *work)
{
	struct gunyah_vm *ghvm = container_of(work, struct gunyah_vm,
					      teardown_work);
	int ret;

	gunyah_vm_remove_functions(ghvm);

	if (ghvm->vmid != GUNYAH_VMID_INVAL)
		gunyah_vm_rm_stop_and_reset(ghvm);

	/*
	 * The guest is gone (or cannot be made to go): take the memory back,
	 * and give it to the host before the VMID goes, so that a VMM that
	 * sees the VM gone from the RM can reuse its memory at once.
	 */
	gunyah_vm_reclaim_all_memory(ghvm);
	gunyah_vm_release_bindings(ghvm);

	if (ghvm->vmid != GUNYAH_VMID_INVAL) {
		ret = gunyah_rm_dealloc_vmid(ghvm->rm, ghvm->vmid);
		gunyah_vm_count_rm_call(ghvm, ret);
		if (ret)
			dev_err(ghvm->parent, "VM %u: VM_DEALLOCATE failed: %d; the VMID is lost\n",
				ghvm->vmid, ret);
		gunyah_rm_notifier_unregister(ghvm->rm, &ghvm->nb);
	}

	gunyah_vm_free_resources(ghvm);
	gunyah_vm_destroy_now(ghvm);
}

/**
 * gunyah_vm_destroy_now() - Free a VM that holds nothing in the RM
 * @ghvm: the VM
 *
 * Releases the bindings (a binding whose memory could not be reclaimed
 * keeps it out of the allocator) and frees the VM.
 */
void gunyah_vm_destroy_now(struct gunyah_vm *ghvm)
{
	/* Each handler belongs to a function, and the functions are gone. */
	WARN_ON(!xa_empty(&ghvm->io_handlers));
	debugfs_remove(ghvm->debugfs);
	xa_destroy(&ghvm->io_handlers);
	gunyah_vm_release_bindings(ghvm);
	put_device(ghvm->parent);
	kfree(ghvm);
}

/**
 * gunyah_vm_alloc() - Create a VM in the VM manager only
 * @mgr: the VM manager
 *
 * Nothing is asked of the RM before the VM starts.
 *
 * Return: the VM with one reference, or an ERR_PTR().
 */
struct gunyah_vm *gunyah_vm_alloc(struct gunyah_vm_manager *mgr)
{
	struct gunyah_vm *ghvm;

	ghvm = kzalloc(sizeof(*ghvm), GFP_KERNEL);
	if (!ghvm)
		return ERR_PTR(-ENOMEM);

	ghvm->mgr = mgr;
	ghvm->rm = mgr->rm;
	ghvm->parent = get_device(mgr->rm->dev);
	kref_init(&ghvm->kref);
	INIT_WORK(&ghvm->teardown_work, gunyah_vm_teardown);
	ghvm->nb.notifier_call = gunyah_vm_rm_notification;
	ghvm->vmid = GUNYAH_VMID_INVAL;
	spin_lock_init(&ghvm->status_lock);
	init_waitqueue_head(&ghvm->status_wait);
	mutex_init(&ghvm->lock);
	INIT_LIST_HEAD(&ghvm->functions);
	init_rwsem(&ghvm->mem_lock);
	mt_init(&ghvm->mem_layout);
	ghvm->addrspace_capid = GUNYAH_CAPID_INVAL;
	memset(ghvm->extent_capid, 0xff, sizeof(ghvm->extent_capid));
	mutex_init(&ghvm->resources_lock);
	INIT_LIST_HEAD(&ghvm->resources);
	INIT_LIST_HEAD(&ghvm->resource_tickets);
	xa_init(&ghvm->io_handlers);
	return ghvm;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_alloc);

/**
 * gunyah_vm_mgr_has() - Whether the RM has an optional message
 * @mgr: the VM manager
 * @option: the message
 *
 * The public RM answers these messages with UNIMPLEMENTED. Each is asked
 * once, for a VMID that cannot exist, and the answer remembered.
 *
 * Context: Process context; takes the manager's probe lock.
 * Return: true if the RM has it.
 */
bool gunyah_vm_mgr_has(struct gunyah_vm_manager *mgr,
		       enum gunyah_rm_option option)
{
	int ret;

	mutex_lock(&mgr->probe_lock);
	if (!test_bit(option, mgr->probed)) {
		if (option == GUNYAH_RM_BOOT_CONTEXT)
			ret = gunyah_rm_vm_set_boot_context(mgr->rm, 0,
							    REG_SET_X, 0, 0);
		else
			ret = gunyah_rm_vm_set_demand_paging(mgr->rm, 0, 0,
							     NULL);
		if (ret != -EOPNOTSUPP)
			__set_bit(option, mgr->has);
		__set_bit(option, mgr->probed);
	}
	mutex_unlock(&mgr->probe_lock);
	return test_bit(option, mgr->has);
}

/**
 * gunyah_vm_mgr_host_vmid() - Our own VMID, asked of the RM once
 * @mgr: the VM manager
 * @vmid: the VMID
 *
 * Context: Process context.
 * Return: 0 or the RM's error.
 */
int gunyah_vm_mgr_host_vmid(struct gunyah_vm_manager *mgr, u16 *vmid)
{
	int ret = 0;

	mutex_lock(&mgr->probe_lock);
	if (mgr->host_vmid == GUNYAH_VMID_INVAL)
		ret = gunyah_rm_get_vmid(mgr->rm, &mgr->host_vmid);
	*vmid = mgr->host_vmid;
	mutex_unlock(&mgr->probe_lock);
	return ret;
}

static int gunyah_vm_check_boot_reg(struct gunyah_vm *ghvm, unsigned int idx,
				    u64 value)
{
	if (gunyah_vm_mgr_has(ghvm->mgr, GUNYAH_RM_BOOT_CONTEXT))
		return 0;

	/*
	 * The public RM starts the boot vCPU at the image offset of
	 * VM_CONFIG_IMAGE with X0 = the devicetree and every other register
	 * at its reset value, 0.
	 */
	if (idx == GUNYAH_VM_BOOT_PC || !value)
		return 0;
	/* X0: checked again at start if the devicetree is not known yet. */
	if (!idx && (!ghvm->dtb.size || value == ghvm->dtb.guest_phys_addr))
		return 0;
	dev_dbg(ghvm->parent,
		"boot register %u = %#llx: this RM sets only PC and X0\n",
		idx, value);
	return -EOPNOTSUPP;
}

/**
 * gunyah_vm_set_boot_context() - GUNYAH_VM_SET_BOOT_CONTEXT
 * @ghvm: the VM
 * @ctx: the ioctl's argument
 *
 * Context: Process context; takes the VM's lock.
 * Return: 0 or a negative errno, see GUNYAH_VM_SET_BOOT_CONTEXT.
 */
long gunyah_vm_set_boot_context(struct gunyah_vm *ghvm,
				const struct gunyah_vm_boot_context *ctx)
{
	unsigned int set, index, idx;
	int ret;

	if (ctx->reserved || ctx->reg >> 16)
		return -EINVAL;
	set = ctx->reg >> GUNYAH_VM_BOOT_CONTEXT_REG_SHIFT;
	index = ctx->reg & 0xff;
	switch (set) {
	case REG_SET_X:
		if (index >= GUNYAH_VM_BOOT_X_REGS)
			return -EINVAL;
		idx = index;
		break;
	case REG_SET_PC:
		if (index)
			return -EINVAL;
		idx = GUNYAH_VM_BOOT_PC;
		break;
	case REG_SET_SP:
		if (index >= GUNYAH_VM_BOOT_SP_REGS)
			return -EINVAL;
		idx = GUNYAH_VM_BOOT_PC + 1 + index;
		break;
	default:
		return -EINVAL;
	}

	mutex_lock(&ghvm->lock);
	if (ghvm->lifecycle != GUNYAH_VM_NEW) {
		ret = -EBUSY;
		goto out;
	}
	ret = gunyah_vm_check_boot_reg(ghvm, idx, ctx->value);
	if (ret)
		goto out;
	ghvm->boot_regs[idx] = ctx->value;
	__set_bit(idx, ghvm->boot_set);
out:
	mutex_unlock(&ghvm->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_set_boot_context);

static int gunyah_vm_send_boot_context(struct gunyah_vm *ghvm)
{
	unsigned int idx;
	u8 set, index;
	int ret;

	for_each_set_bit(idx, ghvm->boot_set, GUNYAH_VM_BOOT_REGS) {
		if (idx < GUNYAH_VM_BOOT_X_REGS) {
			set = REG_SET_X;
			index = idx;
		} else if (idx == GUNYAH_VM_BOOT_PC) {
			set = REG_SET_PC;
			index = 0;
		} else {
			set = REG_SET_SP;
			index = idx - GUNYAH_VM_BOOT_PC - 1;
		}
		ret = gunyah_rm_vm_set_boot_context(ghvm->rm, ghvm->vmid, set,
						    index,
						    ghvm->boot_regs[idx]);
		gunyah_vm_count_rm_call(ghvm, ret);
		if (ret) {
			dev_dbg(ghvm->parent,
				"VM %u: VM_SET_BOOT_CONTEXT %u.%u: %d\n",
				ghvm->vmid, set, index, ret);
			return ret;
		}
	}
	return 0;
}

/*
 * The RM side of starting, from VMID allocation to VM_START. Whatever it
 * leaves in the RM on failure is undone by teardown.
 */
static int gunyah_vm_rm_start(struct gunyah_vm *ghvm,
			      struct gunyah_vm_binding *dtb_binding,
			      u64 image_offset, bool boot_context)
{
	bool demand_paging = gunyah_vm_mgr_has(ghvm->mgr, GUNYAH_RM_DEMAND_PAGING);
	u64 base = dtb_binding->gfn << PAGE_SHIFT;
	int ret;

	ret = gunyah_rm_notifier_register(ghvm->rm, &ghvm->nb);
	if (ret)
		return ret;

	ret = gunyah_rm_alloc_vmid(ghvm->rm, 0);
	gunyah_vm_count_rm_call(ghvm, ret);
	if (ret < 0) {
		gunyah_rm_notifier_unregister(ghvm->rm, &ghvm->nb);
		dev_dbg(ghvm->parent, "VM_ALLOCATE: %d\n", ret);
		return ret;
	}
	WRITE_ONCE(ghvm->vmid, ret);
	WRITE_ONCE(ghvm->vm_status, GUNYAH_RM_VM_STATUS_LOAD);

	ret = gunyah_vm_give_all_memory(ghvm, dtb_binding, demand_paging);
	if (ret)
		return ret;

	ret = gunyah_rm_vm_configure(ghvm->rm, ghvm->vmid,
				     GUNYAH_RM_VM_AUTH_NONE,
				     dtb_binding->parcel_handle, image_offset,
				     0, ghvm->dtb.guest_phys_addr - base,
				     ghvm->dtb.size);
	gunyah_vm_count_rm_call(ghvm, ret);
	if (ret) {
		dev_dbg(ghvm->parent, "VM %u: VM_CONFIG_IMAGE: %d\n",
			ghvm->vmid, ret);
		return ret;
	}

	if (demand_paging) {
		ret = gunyah_vm_set_demand_paging(ghvm);
		if (ret)
			return ret;
	}

	ret = gunyah_rm_vm_init(ghvm->rm, ghvm->vmid);
	gunyah_vm_count_rm_call(ghvm, ret);
	if (ret) {
		dev_dbg(ghvm->parent, "VM %u: VM_INIT: %d\n", ghvm->vmid, ret);
		return ret;
	}

	if (boot_context) {
		ret = gunyah_vm_send_boot_context(ghvm);
		if (ret)
			return ret;
	}

	ret = gunyah_vm_add_resources(ghvm);
	if (ret)
		return ret;
	ret = gunyah_vm_take_demand_resources(ghvm);
	if (ret)
		return ret;

	ret = gunyah_rm_vm_start(ghvm->rm, ghvm->vmid);
	gunyah_vm_count_rm_call(ghvm, ret);
	if (ret)
		dev_dbg(ghvm->parent, "VM %u: VM_START: %d\n", ghvm->vmid, ret);
	return ret;
}

/**
 * gunyah_vm_start() - Start a VM
 * @ghvm: the VM
 *
 * Context: Process context; takes the VM's lock and its memory lock.
 * Return: 0 or a negative errno, see GUNYAH_VM_START.
 */
int gunyah_vm_start(struct gunyah_vm *ghvm)
{
	struct gunyah_vm_binding *b;
	bool boot_context;
	u64 image_offset = 0, base, end, pc;
	int ret;

	mutex_lock(&ghvm->lock);
	if (ghvm->lifecycle == GUNYAH_VM_STARTED) {
		ret = -EBUSY;
		goto out;
	}
	if (ghvm->lifecycle == GUNYAH_VM_START_FAILED) {
		ret = -EBADFD;
		goto out;
	}
	if (!ghvm->dtb.size) {
		ret = -EINVAL;
		goto out;
	}

	down_write(&ghvm->mem_lock);
	b = gunyah_vm_find_binding(ghvm, ghvm->dtb.guest_phys_addr,
				   ghvm->dtb.size);
	if (!b) {
		dev_dbg(ghvm->parent, "the devicetree is not in VM memory\n");
		ret = -ENXIO;
		goto out_mem;
	}

	boot_context = gunyah_vm_mgr_has(ghvm->mgr, GUNYAH_RM_BOOT_CONTEXT);
	if (!boot_context) {
		base = b->gfn << PAGE_SHIFT;
		end = base + (b->nr << PAGE_SHIFT);
		pc = ghvm->boot_regs[GUNYAH_VM_BOOT_PC];
		if (test_bit(GUNYAH_VM_BOOT_PC, ghvm->boot_set)) {
			if (pc < base || pc >= end) {
				dev_dbg(ghvm->parent,
					"PC %#llx is not in the devicetree's memory\n",
					pc);
				ret = -ENXIO;
				goto out_mem;
			}
			image_offset = pc - base;
		}
		if (test_bit(0, ghvm->boot_set) &&
		    ghvm->boot_regs[0] != ghvm->dtb.guest_phys_addr) {
			dev_dbg(ghvm->parent,
				"X0 is not the devicetree's address\n");
			ret = -EOPNOTSUPP;
			goto out_mem;
		}
	}

	ret = gunyah_vm_rm_start(ghvm, b, image_offset, boot_context);
	ghvm->lifecycle = ret ? GUNYAH_VM_START_FAILED : GUNYAH_VM_STARTED;
out_mem:
	up_write(&ghvm->mem_lock);
out:
	mutex_unlock(&ghvm->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_start);

/**
 * gunyah_vm_add_function_instance() - Add a function to a VM
 * @ghvm: the VM
 * @type: the function's type
 * @arg: its argument, allocated with kmalloc(); the function takes it
 * @arg_size: size of @arg
 *
 * Context: Process context; takes the VM's lock.
 * Return: what the function's bind returns (an fd or 0), or a negative
 * errno, see GUNYAH_VM_ADD_FUNCTION.
 */
long gunyah_vm_add_function_instance(struct gunyah_vm *ghvm, u32 type,
				     void *arg, size_t arg_size)
{
	struct gunyah_vm_function_instance *inst, *other;
	struct gunyah_vm_function *fn;
	long ret;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL_ACCOUNT);
	if (!inst) {
		kfree(arg);
		return -ENOMEM;
	}
	inst->argp = arg;
	inst->arg_size = arg_size;
	inst->ghvm = ghvm;

	fn = gunyah_vm_function_get(type);
	if (IS_ERR(fn)) {
		kfree(arg);
		kfree(inst);
		return PTR_ERR(fn);
	}
	inst->fn = fn;

	mutex_lock(&ghvm->lock);
	list_for_each_entry(other, &ghvm->functions, vm_list) {
		if (other->fn == fn && fn->compare(other, arg, arg_size)) {
			ret = -EEXIST;
			goto err;
		}
	}
	ret = fn->bind(inst);
	if (ret < 0)
		goto err;
	list_add(&inst->vm_list, &ghvm->functions);
	mutex_unlock(&ghvm->lock);
	return ret;

err:
	mutex_unlock(&ghvm->lock);
	gunyah_vm_free_instance(inst);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_add_function_instance);

/**
 * gunyah_vm_remove_function_instance() - Remove a function from a VM
 * @ghvm: the VM
 * @type: the function's type
 * @arg: an argument that the function matches against its instances
 * @arg_size: size of @arg
 *
 * Context: Process context; takes the VM's lock.
 * Return: 0, -ENODEV for an unknown type, -ENOENT if nothing matches.
 */
long
gunyah_vm_remove_function_instance(struct gunyah_vm *ghvm, u32 type,
				   const void *arg, size_t arg_size)
{
	struct gunyah_vm_function_instance *inst;
	struct gunyah_vm_function *fn;
	long ret = -ENOENT;

	fn = gunyah_vm_function_try_get(type);
	if (!fn)
		return -ENODEV;

	mutex_lock(&ghvm->lock);
	list_for_each_entry(inst, &ghvm->functions, vm_list) {
		if (inst->fn == fn && fn->compare(inst, arg, arg_size)) {
			list_del(&inst->vm_list);
			fn->unbind(inst);
			gunyah_vm_free_instance(inst);
			ret = 0;
			break;
		}
	}
	mutex_unlock(&ghvm->lock);
	module_put(fn->mod);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_remove_function_instance);

static long gunyah_vm_function_ioctl(struct gunyah_vm *ghvm,
				     const struct gunyah_fn_desc *desc,
				     bool add)
{
	u16 vmid = READ_ONCE(ghvm->vmid);
	void *arg = NULL;
	long ret;

	if (vmid == GUNYAH_VMID_INVAL)
		vmid = 0;	/* not started yet */
	if (desc->arg_size > GUNYAH_FN_MAX_ARG_SIZE)
		return -E2BIG;
	if (desc->arg_size) {
		arg = memdup_user(u64_to_user_ptr(desc->arg), desc->arg_size);
		if (IS_ERR(arg))
			return PTR_ERR(arg);
	}

	if (add) {
		ret = gunyah_vm_add_function_instance(ghvm, desc->type, arg,
						      desc->arg_size);
		trace_gunyah_fn_add(vmid, desc->type, ret);
		return ret;
	}
	ret = gunyah_vm_remove_function_instance(ghvm, desc->type, arg,
						 desc->arg_size);
	trace_gunyah_fn_remove(vmid, desc->type, ret);
	kfree(arg);
	return ret;
}

static long gunyah_vm_check_extension(struct gunyah_vm *ghvm,
				      unsigned long cap)
{
	switch (cap) {
	case GUNYAH_CAP_BOOT_CONTEXT:
		return gunyah_vm_mgr_has(ghvm->mgr, GUNYAH_RM_BOOT_CONTEXT);
	case GUNYAH_CAP_DEMAND_PAGING:
		return gunyah_vm_mgr_has(ghvm->mgr, GUNYAH_RM_DEMAND_PAGING);
	case GUNYAH_CAP_GUEST_MEM:
	case GUNYAH_CAP_USER_MEM:
		return 1;
	case GUNYAH_CAP_STATS:
		return GUNYAH_STATS_VERSION;
	default:
		return 0;
	}
}

static long gunyah_vm_set_dtb_config(struct gunyah_vm *ghvm,
				     const struct gunyah_vm_dtb_config *cfg)
{
	u64 end;
	long ret = 0;

	if (!cfg->size ||
	    check_add_overflow(cfg->guest_phys_addr, cfg->size, &end))
		return -EINVAL;

	mutex_lock(&ghvm->lock);
	if (ghvm->lifecycle != GUNYAH_VM_NEW)
		ret = -EBUSY;
	else
		ghvm->dtb = *cfg;
	mutex_unlock(&ghvm->lock);
	return ret;
}

static long gunyah_vm_ioctl(struct file *filp, unsigned int cmd,
			    unsigned long arg)
{
	struct gunyah_vm *ghvm = filp->private_data;
	void __user *argp = (void __user *)arg;
	union {
		struct gunyah_vm_dtb_config dtb;
		struct gunyah_vm_boot_context ctx;
		struct gunyah_fn_desc fn;
		struct gunyah_map_mem_args map;
		struct gunyah_userspace_memory_region region;
	} u;

	switch (cmd) {
	case GUNYAH_VM_SET_DTB_CONFIG:
		if (copy_from_user(&u.dtb, argp, sizeof(u.dtb)))
			return -EFAULT;
		return gunyah_vm_set_dtb_config(ghvm, &u.dtb);
	case GUNYAH_VM_SET_BOOT_CONTEXT:
		if (copy_from_user(&u.ctx, argp, sizeof(u.ctx)))
			return -EFAULT;
		return gunyah_vm_set_boot_context(ghvm, &u.ctx);
	case GUNYAH_VM_START:
		return gunyah_vm_start(ghvm);
	case GUNYAH_VM_ADD_FUNCTION:
		if (copy_from_user(&u.fn, argp, sizeof(u.fn)))
			return -EFAULT;
		return gunyah_vm_function_ioctl(ghvm, &u.fn, true);
	case GUNYAH_VM_REMOVE_FUNCTION:
		if (copy_from_user(&u.fn, argp, sizeof(u.fn)))
			return -EFAULT;
		return gunyah_vm_function_ioctl(ghvm, &u.fn, false);
	case GUNYAH_VM_MAP_MEM:
		if (copy_from_user(&u.map, argp, sizeof(u.map)))
			return -EFAULT;
		return gunyah_vm_map_mem(ghvm, &u.map);
	case GUNYAH_VM_SET_USER_MEM_REGION:
	case GUNYAH_VM_ANDROID_LEND_USER_MEM:
		if (copy_from_user(&u.region, argp, sizeof(u.region)))
			return -EFAULT;
		return gunyah_vm_set_user_mem(ghvm, &u.region,
					      cmd == GUNYAH_VM_ANDROID_LEND_USER_MEM);
	case GUNYAH_VM_ANDROID_SET_FW_CONFIG:
		return -EOPNOTSUPP;
	case GUNYAH_CHECK_EXTENSION:
		return gunyah_vm_check_extension(ghvm, arg);
	case GUNYAH_GET_STATS_FD:
		if (arg)
			return -EINVAL;
		return gunyah_vm_stats_fd(ghvm);
	default:
		return -ENOTTY;
	}
}

static int gunyah_vm_release_file(struct inode *inode, struct file *filp)
{
	gunyah_vm_put(filp->private_data);
	return 0;
}

static const struct file_operations gunyah_vm_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = gunyah_vm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = gunyah_vm_release_file,
	.llseek = noop_llseek,
};

static long gunyah_dev_create_vm(struct gunyah_vm_manager *mgr,
				 unsigned long arg)
{
	struct gunyah_vm *ghvm;
	int fd;

	if (arg)
		return -EINVAL;

	ghvm = gunyah_vm_alloc(mgr);
	if (IS_ERR(ghvm))
		return PTR_ERR(ghvm);
	gunyah_vm_debugfs_init(ghvm);

	fd = anon_inode_getfd("gunyah-vm", &gunyah_vm_fops, ghvm,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0)
		gunyah_vm_destroy_now(ghvm);
	return fd;
}

static long gunyah_dev_ioctl(struct file *filp, unsigned int cmd,
			     unsigned long arg)
{
	struct miscdevice *miscdev = filp->private_data;
	struct gunyah_vm_manager *mgr = container_of(miscdev,
						     struct gunyah_vm_manager,
						     miscdev);
	struct gunyah_create_mem_args args;

	switch (cmd) {
	case GUNYAH_CREATE_VM:
		return gunyah_dev_create_vm(mgr, arg);
	case GUNYAH_CREATE_GUEST_MEM:
		if (copy_from_user(&args, (void __user *)arg, sizeof(args)))
			return -EFAULT;
		return gunyah_gmem_create(&args);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations gunyah_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = gunyah_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/**
 * gunyah_vm_manager_init() - Set up a VM manager without /dev/gunyah
 * @mgr: the VM manager, zeroed
 * @rm: the Resource Manager
 *
 * Return: 0 or -ENOMEM.
 */
int gunyah_vm_manager_init(struct gunyah_vm_manager *mgr,
			   struct gunyah_rm *rm)
{
	mgr->rm = rm;
	mgr->host_vmid = GUNYAH_VMID_INVAL;
	mutex_init(&mgr->probe_lock);
	mgr->wq = alloc_workqueue("gunyah_vm", WQ_UNBOUND, 0);
	if (!mgr->wq)
		return -ENOMEM;
	if (rm->dev->of_node)
		mgr->irq_parent = of_irq_find_parent(rm->dev->of_node);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_manager_init);

/**
 * gunyah_vm_manager_exit() - Undo gunyah_vm_manager_init()
 * @mgr: the VM manager
 *
 * Waits for the teardown of VMs in progress.
 */
void gunyah_vm_manager_exit(struct gunyah_vm_manager *mgr)
{
	destroy_workqueue(mgr->wq);
	of_node_put(mgr->irq_parent);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_manager_exit);

/**
 * gunyah_vm_manager_register() - Create /dev/gunyah for a Resource Manager
 * @mgr: the VM manager, zeroed; lives until gunyah_vm_manager_unregister()
 * @rm: the Resource Manager
 *
 * Context: Process context.
 * Return: 0 or a negative errno.
 */
int gunyah_vm_manager_register(struct gunyah_vm_manager *mgr,
			       struct gunyah_rm *rm)
{
	int ret;

	ret = gunyah_vm_manager_init(mgr, rm);
	if (ret)
		return ret;

	mgr->miscdev.parent = rm->dev;
	mgr->miscdev.name = "gunyah";
	mgr->miscdev.minor = MISC_DYNAMIC_MINOR;
	mgr->miscdev.fops = &gunyah_dev_fops;
	mgr->miscdev.mode = 0600;
	ret = misc_register(&mgr->miscdev);
	if (ret) {
		gunyah_vm_manager_exit(mgr);
		return ret;
	}
	mgr->debugfs = debugfs_create_dir("gunyah", NULL);
	return 0;
}

/**
 * gunyah_vm_manager_unregister() - Remove /dev/gunyah
 * @mgr: the VM manager
 *
 * VMs still being torn down are finished first. The module cannot go while
 * a VM fd is open, since each fd holds a reference on it.
 *
 * Context: Process context; sleeps.
 */
void gunyah_vm_manager_unregister(struct gunyah_vm_manager *mgr)
{
	misc_deregister(&mgr->miscdev);
	gunyah_vm_manager_exit(mgr);
	debugfs_remove(mgr->debugfs);
}
