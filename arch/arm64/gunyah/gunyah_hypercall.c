// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercall wrappers for the Gunyah hypervisor.
 *
 * Every call goes through gunyah_hvc(). In a production kernel that is the
 * HVC instruction itself; a kernel built with CONFIG_GUNYAH_SIMULATOR may
 * hand the calls to a registered software hypervisor instead.
 */

#include <linux/arm-smccc.h>
#include <linux/export.h>
#include <linux/gunyah.h>
#include <linux/gunyah_hvc_backend.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/uuid.h>

#if IS_ENABLED(CONFIG_GUNYAH_SIMULATOR)
/*
 * The registered backend. Writers hold gunyah_hvc_backend_lock; readers use
 * RCU and pin the backend's module before calling into it.
 */
static const struct gunyah_hvc_backend __rcu *gunyah_hvc_backend;
static DEFINE_SPINLOCK(gunyah_hvc_backend_lock);

/**
 * gunyah_hvc_set_backend() - Route Gunyah hypercalls to a software backend
 * @backend: the backend; must stay valid until gunyah_hvc_clear_backend()
 *
 * Context: Process context.
 * Return: 0 on success, -EBUSY if another backend is registered.
 */
int gunyah_hvc_set_backend(const struct gunyah_hvc_backend *backend)
{
	int ret = 0;

	spin_lock(&gunyah_hvc_backend_lock);
	if (rcu_access_pointer(gunyah_hvc_backend))
		ret = -EBUSY;
	else
		rcu_assign_pointer(gunyah_hvc_backend, backend);
	spin_unlock(&gunyah_hvc_backend_lock);

	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_hvc_set_backend);

/**
 * gunyah_hvc_clear_backend() - Stop routing hypercalls to a software backend
 * @backend: the backend given to gunyah_hvc_set_backend()
 *
 * Returns once no caller can still enter @backend.
 *
 * Context: Process context; may sleep.
 */
void gunyah_hvc_clear_backend(const struct gunyah_hvc_backend *backend)
{
	spin_lock(&gunyah_hvc_backend_lock);
	if (rcu_access_pointer(gunyah_hvc_backend) == backend)
		RCU_INIT_POINTER(gunyah_hvc_backend, NULL);
	spin_unlock(&gunyah_hvc_backend_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(gunyah_hvc_clear_backend);

static const struct gunyah_hvc_backend *gunyah_hvc_get_backend(void)
{
	const struct gunyah_hvc_backend *backend;

	rcu_read_lock();
	backend = rcu_dereference(gunyah_hvc_backend);
	if (backend && !try_module_get(backend->owner))
		backend = NULL;
	rcu_read_unlock();

	return backend;
}

static bool gunyah_hvc_simulated(const struct arm_smccc_1_2_regs *args,
				 struct arm_smccc_1_2_regs *res)
{
	const struct gunyah_hvc_backend *backend = gunyah_hvc_get_backend();

	if (!backend)
		return false;

	backend->call(args, res);
	module_put(backend->owner);
	return true;
}
#else
static inline bool gunyah_hvc_simulated(const struct arm_smccc_1_2_regs *args,
					struct arm_smccc_1_2_regs *res)
{
	return false;
}
#endif

static inline void gunyah_hvc(const struct arm_smccc_1_2_regs *args,
			      struct arm_smccc_1_2_regs *res)
{
	if (!gunyah_hvc_simulated(args, res))
		arm_smccc_1_2_hvc(args, res);
}

/*
 * The UID query is issued before Linux knows that it runs on Gunyah, so it
 * uses whatever SMCCC conduit firmware advertised and gets "not supported"
 * back when there is none.
 */
static void gunyah_smccc_query_uid(struct arm_smccc_1_2_regs *res)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID,
	};
	struct arm_smccc_res smccc_res;

	if (gunyah_hvc_simulated(&args, res))
		return;

	arm_smccc_1_1_invoke(ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, &smccc_res);
	*res = (struct arm_smccc_1_2_regs) {
		.a0 = smccc_res.a0,
		.a1 = smccc_res.a1,
		.a2 = smccc_res.a2,
		.a3 = smccc_res.a3,
	};
}

/**
 * gunyah_uid_is_gunyah() - Whether a vendor-hypervisor UID names Gunyah
 * @words: X0..X3 as returned by the UID call
 *
 * The UUID bytes are the low 32 bits of each register, little-endian, in
 * register order.
 *
 * Return: true if the UID is Gunyah's.
 */
bool gunyah_uid_is_gunyah(const unsigned long words[4])
{
	const uuid_t gunyah_uuid = GUNYAH_UUID;
	__le32 bytes[4];
	int i;

	for (i = 0; i < ARRAY_SIZE(bytes); i++) {
		/* Anything above bit 31 means this was not a UID at all. */
		if (upper_32_bits(words[i]))
			return false;
		bytes[i] = cpu_to_le32(lower_32_bits(words[i]));
	}

	return uuid_equal((const uuid_t *)bytes, &gunyah_uuid);
}
EXPORT_SYMBOL_GPL(gunyah_uid_is_gunyah);

/**
 * gunyah_hypercall_get_uid() - Ask the hypervisor for its vendor UID
 * @words: filled with X0..X3 of the reply on success
 *
 * Return: 0 on success, -EOPNOTSUPP if no hypervisor answers the query.
 */
int gunyah_hypercall_get_uid(unsigned long words[4])
{
	struct arm_smccc_1_2_regs res;

	gunyah_smccc_query_uid(&res);
	if ((long)res.a0 == SMCCC_RET_NOT_SUPPORTED)
		return -EOPNOTSUPP;

	words[0] = res.a0;
	words[1] = res.a1;
	words[2] = res.a2;
	words[3] = res.a3;

	return 0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_get_uid);

/**
 * gunyah_hypercall_hyp_identify() - Ask the hypervisor for its API version
 * @resp: filled with the API information word and the three API flag words
 *
 * The call has no error code; it is only valid once the UID showed that the
 * hypervisor is Gunyah.
 */
void gunyah_hypercall_hyp_identify(struct gunyah_hypercall_hyp_identify_resp *resp)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = GUNYAH_HYPERCALL_HYP_IDENTIFY,
	};
	struct arm_smccc_1_2_regs res;

	gunyah_hvc(&args, &res);

	resp->api_info = res.a0;
	resp->flags[0] = res.a1;
	resp->flags[1] = res.a2;
	resp->flags[2] = res.a3;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_hyp_identify);

/**
 * gunyah_hypercall_bell_send() - Set flags on a doorbell
 * @capid: the doorbell's capability ID (needs the send right)
 * @new_flags: flags to OR into the doorbell
 * @old_flags: if not NULL, filled with the flags before the OR
 *
 * Return: the hypervisor's error code.
 */
enum gunyah_error gunyah_hypercall_bell_send(u64 capid, u64 new_flags,
					     u64 *old_flags)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = GUNYAH_HYPERCALL_BELL_SEND,
		.a1 = capid,
		.a2 = new_flags,
	};
	struct arm_smccc_1_2_regs res;

	gunyah_hvc(&args, &res);

	if (res.a0 == GUNYAH_ERROR_OK && old_flags)
		*old_flags = res.a1;

	return res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_bell_send);

/**
 * gunyah_hypercall_bell_set_mask() - Set the masks of a doorbell
 * @capid: the doorbell's capability ID
 * @enable_mask: flags that raise the doorbell's interrupt
 * @ack_mask: flags cleared automatically when the interrupt is raised
 *
 * Return: the hypervisor's error code.
 */
enum gunyah_error gunyah_hypercall_bell_set_mask(u64 capid, u64 enable_mask,
						 u64 ack_mask)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = GUNYAH_HYPERCALL_BELL_SET_MASK,
		.a1 = capid,
		.a2 = enable_mask,
		.a3 = ack_mask,
	};
	struct arm_smccc_1_2_regs res;

	gunyah_hvc(&args, &res);

	return res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_bell_set_mask);

/**
 * gunyah_hypercall_msgq_send() - Send a message on a message queue
 * @capid: the queue's capability ID (needs the send right)
 * @size: size of the message; the caller checks it against the queue's limit
 * @buff: the message
 * @tx_flags: %GUNYAH_HYPERCALL_MSGQ_TX_FLAGS_PUSH or 0
 * @ready: set to whether the queue can take another message
 *
 * Return: the hypervisor's error code; %GUNYAH_ERROR_MSGQUEUE_FULL when the
 * queue had no room and nothing was sent.
 */
enum gunyah_error gunyah_hypercall_msgq_send(u64 capid, size_t size,
					     const void *buff, u64 tx_flags,
					     bool *ready)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = GUNYAH_HYPERCALL_MSGQ_SEND,
		.a1 = capid,
		.a2 = size,
		.a3 = (unsigned long)buff,
		.a4 = tx_flags,
	};
	struct arm_smccc_1_2_regs res;

	gunyah_hvc(&args, &res);

	*ready = res.a0 == GUNYAH_ERROR_OK && res.a1;

	return res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_msgq_send);

/**
 * gunyah_hypercall_msgq_recv() - Receive a message from a message queue
 * @capid: the queue's capability ID (needs the receive right)
 * @buff: buffer for the message
 * @size: size of @buff; at least the queue's maximum message size
 * @recv_size: set to the size of the received message
 * @ready: set to whether more messages are queued
 *
 * Return: the hypervisor's error code; %GUNYAH_ERROR_MSGQUEUE_EMPTY when no
 * message was queued.
 */
enum gunyah_error gunyah_hypercall_msgq_recv(u64 capid, void *buff,
					     size_t size, size_t *recv_size,
					     bool *ready)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = GUNYAH_HYPERCALL_MSGQ_RECV,
		.a1 = capid,
		.a2 = (unsigned long)buff,
		.a3 = size,
	};
	struct arm_smccc_1_2_regs res;

	gunyah_hvc(&args, &res);

	if (res.a0 == GUNYAH_ERROR_OK) {
		*recv_size = res.a1;
		*ready = res.a2;
	} else {
		*recv_size = 0;
		*ready = false;
	}

	return res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_msgq_recv);

/**
 * gunyah_hypercall_addrspace_map() - Map part of a memory extent into a guest
 * @capid: the guest address space's capability ID (needs the map right)
 * @extent: the memory extent's capability ID (needs the map right)
 * @args: where and how to map
 *
 * Return: the hypervisor's error code.
 */
enum gunyah_error
gunyah_hypercall_addrspace_map(u64 capid, u64 extent,
			       const struct gunyah_addrspace_map_args *args)
{
	struct arm_smccc_1_2_regs hvc_args = {
		.a0 = GUNYAH_HYPERCALL_ADDRSPACE_MAP,
		.a1 = capid,
		.a2 = extent,
		.a3 = args->vbase,
		.a4 = args->attrs,
		.a5 = args->flags,
		.a6 = args->offset,
		.a7 = args->size,
	};
	struct arm_smccc_1_2_regs res;

	gunyah_hvc(&hvc_args, &res);

	return res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_addrspace_map);

/**
 * gunyah_hypercall_addrspace_unmap() - Unmap part of a memory extent
 * @capid: the guest address space's capability ID (needs the map right)
 * @extent: the memory extent's capability ID
 * @args: what to unmap; @args->attrs is not used
 *
 * Return: the hypervisor's error code.
 */
enum gunyah_error
gunyah_hypercall_addrspace_unmap(u64 capid, u64 extent,
				 const struct gunyah_addrspace_map_args *args)
{
	struct arm_smccc_1_2_regs hvc_args = {
		.a0 = GUNYAH_HYPERCALL_ADDRSPACE_UNMAP,
		.a1 = capid,
		.a2 = extent,
		.a3 = args->vbase,
		.a4 = args->flags,
		.a5 = args->offset,
		.a6 = args->size,
	};
	struct arm_smccc_1_2_regs res;

	gunyah_hvc(&hvc_args, &res);

	return res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_addrspace_unmap);

/**
 * gunyah_hypercall_memextent_donate() - Move memory between memory extents
 * @options: donation type in bits 7:0, and the no-sync flag in bit 31
 * @from: capability ID of the extent (or partition) giving the memory
 * @to: capability ID of the extent receiving it
 * @offset: start of the range
 * @size: size of the range
 *
 * Return: the hypervisor's error code.
 */
enum gunyah_error gunyah_hypercall_memextent_donate(u32 options, u64 from,
						    u64 to, u64 offset,
						    u64 size)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = GUNYAH_HYPERCALL_MEMEXTENT_DONATE,
		.a1 = options,
		.a2 = from,
		.a3 = to,
		.a4 = offset,
		.a5 = size,
	};
	struct arm_smccc_1_2_regs res;

	gunyah_hvc(&args, &res);

	return res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_memextent_donate);

/**
 * gunyah_hypercall_vcpu_run() - Run a proxy-scheduled vCPU on this CPU
 * @capid: the vCPU's capability ID (needs the affinity and yield-to rights)
 * @resume_data: data for the vCPU, interpreted per the state last returned
 * @resp: filled with the run state and its data when the call succeeds
 *
 * Return: the hypervisor's error code.
 */
enum gunyah_error
gunyah_hypercall_vcpu_run(u64 capid, const unsigned long resume_data[3],
			  struct gunyah_hypercall_vcpu_run_resp *resp)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = GUNYAH_HYPERCALL_VCPU_RUN,
		.a1 = capid,
		.a2 = resume_data[0],
		.a3 = resume_data[1],
		.a4 = resume_data[2],
	};
	struct arm_smccc_1_2_regs res;

	gunyah_hvc(&args, &res);

	if (res.a0 == GUNYAH_ERROR_OK) {
		resp->sized_state = res.a1;
		resp->state_data[0] = res.a2;
		resp->state_data[1] = res.a3;
		resp->state_data[2] = res.a4;
	}

	return res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_vcpu_run);

/**
 * gunyah_hypercall_vcpu_set_affinity() - Bind a vCPU to a physical CPU
 * @capid: the vCPU's capability ID (needs the affinity right)
 * @cpu: the CPU index, or U32_MAX for none
 *
 * Return: the hypervisor's error code.
 */
enum gunyah_error gunyah_hypercall_vcpu_set_affinity(u64 capid, u32 cpu)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = GUNYAH_HYPERCALL_VCPU_SET_AFFINITY,
		.a1 = capid,
		.a2 = cpu == U32_MAX ? ULONG_MAX : cpu,
		.a3 = ULONG_MAX,	/* reserved, must be all ones */
	};
	struct arm_smccc_1_2_regs res;

	gunyah_hvc(&args, &res);

	return res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_vcpu_set_affinity);

/**
 * gunyah_hypercall_vpm_group_get_state() - Read a power-management group's state
 * @capid: the group's capability ID (needs the query right)
 * @state: filled with the state on success
 *
 * Return: the hypervisor's error code.
 */
enum gunyah_error gunyah_hypercall_vpm_group_get_state(u64 capid, u64 *state)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = GUNYAH_HYPERCALL_VPM_GROUP_GET_STATE,
		.a1 = capid,
	};
	struct arm_smccc_1_2_regs res;

	gunyah_hvc(&args, &res);

	if (res.a0 == GUNYAH_ERROR_OK)
		*state = res.a1;

	return res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_vpm_group_get_state);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah hypervisor hypercalls");
