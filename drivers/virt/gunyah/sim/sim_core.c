// SPDX-License-Identifier: GPL-2.0-only
/*
 * A simulated Gunyah hypervisor for testing.
 *
 * It registers itself as the backend of the Gunyah hypercall layer and
 * answers the calls of this kernel the way the hypervisor would: the same
 * function IDs, registers and error codes. Objects such as message queues,
 * doorbells and vCPUs are named by capability IDs in a capability space of
 * their own, so a call on an unknown capability fails as on real hardware.
 */

#define pr_fmt(fmt) "gunyah_sim: " fmt

#include <linux/arm-smccc.h>
#include <linux/debugfs.h>
#include <linux/gunyah.h>
#include <linux/gunyah_hvc_backend.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include "sim_internal.h"

static ushort api_version = GUNYAH_API_V1;
module_param(api_version, ushort, 0444);
MODULE_PARM_DESC(api_version, "API version reported by hyp_identify");

/* SMCCC vendor-hypervisor service calls (fast, SMC32, owner 6). */
#define GUNYAH_SIM_CALL_COUNT	0x8600ff00
#define GUNYAH_SIM_REVISION	0x8600ff03

/* Bits 23:17 of a function ID must be zero. */
#define GUNYAH_SIM_FN_MBZ	GENMASK(23, 17)

/*
 * Features of the public hypervisor as it reports them (0x10000eff): all of
 * bits 0..11 but the watchdog, and the FPRR scheduler.
 */
#define GUNYAH_SIM_FLAGS0	(GENMASK_ULL(11, 9) | GENMASK_ULL(7, 0) | \
				 FIELD_PREP(GUNYAH_API_FLAGS0_SCHEDULER_MASK, 1))

static struct gunyah_sim *gunyah_sim;

typedef void (*gunyah_sim_handler_t)(struct gunyah_sim *sim,
				     const struct arm_smccc_1_2_regs *args,
				     struct arm_smccc_1_2_regs *res);

static void gunyah_sim_call_uid(struct gunyah_sim *sim,
				const struct arm_smccc_1_2_regs *args,
				struct arm_smccc_1_2_regs *res)
{
	spin_lock(&sim->lock);
	if (sim->identity.uid_unsupported) {
		res->a0 = SMCCC_RET_NOT_SUPPORTED;
	} else {
		res->a0 = sim->identity.uid[0];
		res->a1 = sim->identity.uid[1];
		res->a2 = sim->identity.uid[2];
		res->a3 = sim->identity.uid[3];
	}
	spin_unlock(&sim->lock);
}

static void gunyah_sim_revision(struct gunyah_sim *sim,
				const struct arm_smccc_1_2_regs *args,
				struct arm_smccc_1_2_regs *res)
{
	spin_lock(&sim->lock);
	res->a0 = sim->identity.api_info;
	spin_unlock(&sim->lock);
}

static void gunyah_sim_hyp_identify(struct gunyah_sim *sim,
				    const struct arm_smccc_1_2_regs *args,
				    struct arm_smccc_1_2_regs *res)
{
	spin_lock(&sim->lock);
	res->a0 = sim->identity.api_info;
	res->a1 = sim->identity.flags[0];
	res->a2 = sim->identity.flags[1];
	res->a3 = sim->identity.flags[2];
	spin_unlock(&sim->lock);
}

/**
 * gunyah_sim_object_init() - Initialise a cspace object
 * @obj: the object
 * @type: what kind of object it is
 * @rights: the rights the host's capability to it will have
 * @release: frees the object when its last reference goes
 */
void gunyah_sim_object_init(struct gunyah_sim_object *obj,
			    enum gunyah_sim_object_type type, u32 rights,
			    void (*release)(struct gunyah_sim_object *obj))
{
	obj->type = type;
	obj->rights = rights;
	obj->release = release;
	kref_init(&obj->ref);
}

static void gunyah_sim_object_release(struct kref *ref)
{
	struct gunyah_sim_object *obj;

	obj = container_of(ref, struct gunyah_sim_object, ref);
	obj->release(obj);
}

/**
 * gunyah_sim_object_put() - Drop a reference to a cspace object
 * @obj: the object
 */
void gunyah_sim_object_put(struct gunyah_sim_object *obj)
{
	kref_put(&obj->ref, gunyah_sim_object_release);
}

/**
 * gunyah_sim_cap_add() - Give the host a capability to an object
 * @sim: the simulated hypervisor
 * @obj: the object; the cspace takes over the caller's reference
 * @capid: set to the new capability ID
 *
 * Return: 0, or -ENOMEM or -EBUSY if the cspace is full.
 */
int gunyah_sim_cap_add(struct gunyah_sim *sim, struct gunyah_sim_object *obj,
		       u64 *capid)
{
	u32 id;
	int ret;

	ret = xa_alloc_irq(&sim->caps, &id, obj, XA_LIMIT(0, 0xffff),
			   GFP_KERNEL);
	if (ret)
		return ret;

	*capid = id;
	return 0;
}

/**
 * gunyah_sim_cap_remove() - Revoke a capability of the host
 * @sim: the simulated hypervisor
 * @capid: the capability; its reference to the object is dropped
 */
void gunyah_sim_cap_remove(struct gunyah_sim *sim, u64 capid)
{
	struct gunyah_sim_object *obj;

	obj = xa_erase_irq(&sim->caps, capid);
	if (obj)
		gunyah_sim_object_put(obj);
}

/**
 * gunyah_sim_cap_get() - Look up the object a capability names
 * @sim: the simulated hypervisor
 * @capid: the capability
 * @type: the kind of object the call needs
 * @rights: the rights the call needs
 * @err: set to the hypervisor error if the lookup fails
 *
 * Context: any; takes the cspace lock with interrupts disabled.
 * Return: the object with a reference the caller must put, or NULL.
 */
struct gunyah_sim_object *gunyah_sim_cap_get(struct gunyah_sim *sim, u64 capid,
					     enum gunyah_sim_object_type type,
					     u32 rights, unsigned long *err)
{
	struct gunyah_sim_object *obj = NULL;
	unsigned long flags, e;

	xa_lock_irqsave(&sim->caps, flags);
	if (capid <= ULONG_MAX)
		obj = xa_load(&sim->caps, capid);
	if (!obj)
		e = GUNYAH_ERROR_CSPACE_CAP_NULL;
	else if (obj->type != type)
		e = GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE;
	else if ((obj->rights & rights) != rights)
		e = GUNYAH_ERROR_CSPACE_INSUF_RIGHTS;
	else
		e = GUNYAH_ERROR_OK;
	if (e == GUNYAH_ERROR_OK)
		kref_get(&obj->ref);
	else
		obj = NULL;
	xa_unlock_irqrestore(&sim->caps, flags);

	*err = e;
	return obj;
}

/* Calls on objects the simulator does not model yet. */
#define GUNYAH_SIM_OBJECT_CALL(name, objtype)				\
static void gunyah_sim_##name(struct gunyah_sim *sim,			\
			      const struct arm_smccc_1_2_regs *args,	\
			      struct arm_smccc_1_2_regs *res)		\
{									\
	struct gunyah_sim_object *obj;					\
									\
	res->a0 = GUNYAH_ERROR_OK;					\
	obj = gunyah_sim_cap_get(sim, args->a1, objtype, 0, &res->a0);	\
	if (obj) {							\
		res->a0 = GUNYAH_ERROR_UNIMPLEMENTED;			\
		gunyah_sim_object_put(obj);				\
	}								\
}

GUNYAH_SIM_OBJECT_CALL(vcpu_set_affinity, GUNYAH_SIM_OBJ_VCPU)
GUNYAH_SIM_OBJECT_CALL(vpm_group_get_state, GUNYAH_SIM_OBJ_VPM_GROUP)

static const struct {
	u32 fn;
	gunyah_sim_handler_t handler;
} gunyah_sim_calls[] = {
	{ ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, gunyah_sim_call_uid },
	{ GUNYAH_SIM_REVISION, gunyah_sim_revision },
	{ GUNYAH_HYPERCALL_HYP_IDENTIFY, gunyah_sim_hyp_identify },
	{ GUNYAH_HYPERCALL_BELL_SEND, gunyah_sim_bell_send },
	{ GUNYAH_HYPERCALL_BELL_SET_MASK, gunyah_sim_bell_set_mask },
	{ GUNYAH_HYPERCALL_MSGQ_SEND, gunyah_sim_msgq_hvc_send },
	{ GUNYAH_HYPERCALL_MSGQ_RECV, gunyah_sim_msgq_hvc_recv },
	{ GUNYAH_HYPERCALL_ADDRSPACE_MAP, gunyah_sim_addrspace_map },
	{ GUNYAH_HYPERCALL_ADDRSPACE_UNMAP, gunyah_sim_addrspace_unmap },
	{ GUNYAH_HYPERCALL_VCPU_SET_AFFINITY, gunyah_sim_vcpu_set_affinity },
	{ GUNYAH_HYPERCALL_VPM_GROUP_GET_STATE, gunyah_sim_vpm_group_get_state },
	{ GUNYAH_HYPERCALL_MEMEXTENT_DONATE, gunyah_sim_memextent_donate },
	{ GUNYAH_HYPERCALL_VCPU_RUN, gunyah_sim_vcpu_run },
};

/*
 * Dispatch one call. Unknown function IDs, and IDs with bits 23:17 set, get
 * the SMCCC "unknown function" answer, which is also Gunyah's
 * ERROR_UNIMPLEMENTED; CALL_COUNT is deprecated and answers the same.
 * Every call is counted, whatever its function ID.
 */
static void gunyah_sim_call(const struct arm_smccc_1_2_regs *args,
			    struct arm_smccc_1_2_regs *res)
{
	u32 fn = args->a0;
	u64 start;
	int i;

	*res = (struct arm_smccc_1_2_regs) { .a0 = SMCCC_RET_NOT_SUPPORTED };
	atomic64_inc(&gunyah_sim->calls);
	if (args->a0 == GUNYAH_HYPERCALL_VCPU_RUN) {
		atomic64_inc(&gunyah_sim->vcpu_runs);
		if (READ_ONCE(gunyah_sim->timing)) {
			start = ktime_get_ns();
			gunyah_sim_vcpu_run(gunyah_sim, args, res);
			atomic64_add(ktime_get_ns() - start,
				     &gunyah_sim->vcpu_run_ns);
			return;
		}
	}

	if (upper_32_bits(args->a0) || (fn & GUNYAH_SIM_FN_MBZ))
		return;

	for (i = 0; i < ARRAY_SIZE(gunyah_sim_calls); i++) {
		if (gunyah_sim_calls[i].fn == fn) {
			gunyah_sim_calls[i].handler(gunyah_sim, args, res);
			return;
		}
	}
}

static const struct gunyah_hvc_backend gunyah_sim_backend = {
	.owner = THIS_MODULE,
	.call = gunyah_sim_call,
};

/**
 * gunyah_sim_get_identity() - Read how the simulator introduces itself
 * @identity: filled with the UID and hyp_identify answers
 */
void gunyah_sim_get_identity(struct gunyah_sim_identity *identity)
{
	spin_lock(&gunyah_sim->lock);
	*identity = gunyah_sim->identity;
	spin_unlock(&gunyah_sim->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_get_identity);

/**
 * gunyah_sim_set_identity() - Change how the simulator introduces itself
 * @identity: the UID and hyp_identify answers to give from now on
 */
void gunyah_sim_set_identity(const struct gunyah_sim_identity *identity)
{
	spin_lock(&gunyah_sim->lock);
	gunyah_sim->identity = *identity;
	spin_unlock(&gunyah_sim->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_set_identity);

/**
 * gunyah_sim_hypercall_count() - How many hypercalls the host made
 * @calls: set to the calls made since the simulator was loaded, whatever
 *         their function ID
 * @vcpu_runs: set to the vcpu_run calls among them
 */
void gunyah_sim_hypercall_count(u64 *calls, u64 *vcpu_runs)
{
	*vcpu_runs = atomic64_read(&gunyah_sim->vcpu_runs);
	*calls = atomic64_read(&gunyah_sim->calls);
}
EXPORT_SYMBOL_GPL(gunyah_sim_hypercall_count);

/**
 * gunyah_sim_intid_to_irq() - The Linux IRQ of an interrupt of the simulator
 * @intid: the INTID, as the RM gives it in a resource
 *
 * The IRQ is mapped as for any consumer; it goes when the RM frees the
 * INTID, so it must be free by then.
 *
 * Return: the IRQ number, or a negative errno.
 */
int gunyah_sim_intid_to_irq(u32 intid)
{
	return gunyah_sim_intc_map(&gunyah_sim->intc, intid);
}
EXPORT_SYMBOL_GPL(gunyah_sim_intid_to_irq);

/* /sys/kernel/debug/gunyah_sim/hypercalls */
static int gunyah_sim_hypercalls_show(struct seq_file *s, void *unused)
{
	u64 calls, vcpu_runs;

	gunyah_sim_hypercall_count(&calls, &vcpu_runs);
	seq_printf(s, "hypercalls %llu vcpu_run %llu vcpu_run_ns %llu\n", calls,
		   vcpu_runs, (u64)atomic64_read(&gunyah_sim->vcpu_run_ns));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gunyah_sim_hypercalls);

static int __init gunyah_sim_init(void)
{
	struct gunyah_sim *sim;
	u64 tx_cap, rx_cap;
	int ret;

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;

	spin_lock_init(&sim->lock);
	xa_init_flags(&sim->caps, XA_FLAGS_ALLOC | XA_FLAGS_LOCK_IRQ);
	sim->identity = (struct gunyah_sim_identity) {
		.uid = { 0xcd8fd5c1, 0xdb5f53a4, 0x36ce6592, 0x145f3d67 },
		.api_info = FIELD_PREP(GUNYAH_API_INFO_VARIANT_MASK,
				       GUNYAH_API_VARIANT_QUALCOMM) |
			    GUNYAH_API_INFO_IS_64BIT |
			    FIELD_PREP(GUNYAH_API_INFO_API_VERSION_MASK,
				       api_version),
		.flags = { GUNYAH_SIM_FLAGS0, 0, 0 },
	};
	gunyah_sim = sim;

	ret = gunyah_hvc_set_backend(&gunyah_sim_backend);
	if (ret)
		goto err_free;

	ret = gunyah_sim_intc_init(&sim->intc);
	if (ret)
		goto err_clear_backend;

	ret = gunyah_sim_rm_init(sim);
	if (ret)
		goto err_intc_exit;

	gunyah_sim_rm_primary_caps(sim, &tx_cap, &rx_cap);
	ret = gunyah_sim_intc_add_hypervisor(&sim->intc, tx_cap, rx_cap,
					     GUNYAH_SIM_RM_TX_INTID,
					     GUNYAH_SIM_RM_RX_INTID);
	if (ret)
		goto err_rm_exit;

	debugfs_create_bool("timing", 0644, gunyah_sim_rm_debugfs(sim),
			    &sim->timing);
	debugfs_create_file("hypercalls", 0444, gunyah_sim_rm_debugfs(sim), sim,
			    &gunyah_sim_hypercalls_fops);
	pr_info("simulated Gunyah hypervisor ready (API v%u)\n", api_version);
	return 0;

err_rm_exit:
	gunyah_sim_rm_exit(sim);
err_intc_exit:
	gunyah_sim_intc_exit(&sim->intc);
err_clear_backend:
	gunyah_hvc_clear_backend(&gunyah_sim_backend);
err_free:
	gunyah_sim = NULL;
	xa_destroy(&sim->caps);
	kfree(sim);
	return ret;
}

/* Before the Gunyah core looks for a hypervisor when both are built in. */
subsys_initcall(gunyah_sim_init);

static void __exit gunyah_sim_exit(void)
{
	struct gunyah_sim *sim = gunyah_sim;

	gunyah_sim_intc_remove_hypervisor(&sim->intc);
	gunyah_sim_rm_exit(sim);
	gunyah_sim_intc_exit(&sim->intc);
	gunyah_hvc_clear_backend(&gunyah_sim_backend);
	WARN_ON(!xa_empty(&sim->caps));
	xa_destroy(&sim->caps);
	kfree(sim);
	gunyah_sim = NULL;
}
module_exit(gunyah_sim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simulated Gunyah hypervisor for testing");
