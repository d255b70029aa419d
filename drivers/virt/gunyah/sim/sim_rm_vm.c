// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated Resource Manager: VM lifecycle messages.
 */

#define pr_fmt(fmt) "gunyah_sim: " fmt

#include <linux/libfdt.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/of_fdt.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "sim_rm.h"

static uint vcpus = 1;
module_param(vcpus, uint, 0444);
MODULE_PARM_DESC(vcpus, "vCPUs of a VM whose config devicetree has no /cpus (1..8)");

#define GUNYAH_SIM_VCPUS_DEFAULT_MAX	8
/* Reply room: (14616 - 8) / 44 entries, rounded down. */
#define GUNYAH_SIM_RES_MAX		256
#define GUNYAH_SIM_DT_MAX_DEPTH		16
#define GUNYAH_SIM_MSGQ_DEF_DEPTH	8
#define GUNYAH_SIM_MSGQ_DEF_SIZE	240

#define GUNYAH_SIM_RM_VM_ALLOCATE	0x56000001
#define GUNYAH_SIM_RM_VM_DEALLOCATE	0x56000002
#define GUNYAH_SIM_RM_VM_START		0x56000004
#define GUNYAH_SIM_RM_VM_STOP		0x56000005
#define GUNYAH_SIM_RM_VM_RESET		0x56000006
#define GUNYAH_SIM_RM_VM_CONFIG_IMAGE	0x56000009
#define GUNYAH_SIM_RM_VM_INIT		0x5600000b
#define GUNYAH_SIM_RM_VM_GET_STATE	0x56000017
#define GUNYAH_SIM_RM_VM_GET_HYP_RES	0x56000020
#define GUNYAH_SIM_RM_VM_GET_VMID	0x56000024
#define GUNYAH_SIM_RM_VM_SET_BOOT_CTX	0x56000031
#define GUNYAH_SIM_RM_VM_SET_FW_MEM	0x56000032
#define GUNYAH_SIM_RM_VM_SET_DEMAND_PG	0x56000033
#define GUNYAH_SIM_RM_VM_SET_ADDR_LAYOUT 0x56000034
#define GUNYAH_SIM_RM_VM_HOST_GET_TYPE	0x560000a0

#define GUNYAH_SIM_RM_STOP_FORCE	BIT(0)
#define GUNYAH_SIM_RM_RES_ENTRY_SIZE	44
#define GUNYAH_SIM_RM_AUTH_PLATFORM	1
#define GUNYAH_SIM_RM_AUTH_MAX		2
#define GUNYAH_SIM_OS_RUN		4

/* Bit n set: state n may be entered from the states in the mask. */
static const u16 gunyah_sim_vm_from[] = {
	[GUNYAH_SIM_VM_NONE] = BIT(GUNYAH_SIM_VM_RESET),
	[GUNYAH_SIM_VM_LOAD] = BIT(GUNYAH_SIM_VM_NONE),
	[GUNYAH_SIM_VM_AUTH] = BIT(GUNYAH_SIM_VM_LOAD) | BIT(GUNYAH_SIM_VM_RESET),
	[GUNYAH_SIM_VM_INIT] = BIT(GUNYAH_SIM_VM_LOAD) | BIT(GUNYAH_SIM_VM_AUTH) |
			       BIT(GUNYAH_SIM_VM_RESET),
	[GUNYAH_SIM_VM_READY] = BIT(GUNYAH_SIM_VM_INIT),
	[GUNYAH_SIM_VM_RUNNING] = BIT(GUNYAH_SIM_VM_READY) |
				  BIT(GUNYAH_SIM_VM_PAUSED),
	[GUNYAH_SIM_VM_PAUSED] = BIT(GUNYAH_SIM_VM_RUNNING),
	[GUNYAH_SIM_VM_INIT_FAILED] = BIT(GUNYAH_SIM_VM_INIT) |
				      BIT(GUNYAH_SIM_VM_READY) |
				      BIT(GUNYAH_SIM_VM_LOAD) |
				      BIT(GUNYAH_SIM_VM_AUTH) |
				      BIT(GUNYAH_SIM_VM_RESET),
	[GUNYAH_SIM_VM_EXITED] = BIT(GUNYAH_SIM_VM_RUNNING) |
				 BIT(GUNYAH_SIM_VM_PAUSED),
	[GUNYAH_SIM_VM_RESETTING] = BIT(GUNYAH_SIM_VM_EXITED) |
				    BIT(GUNYAH_SIM_VM_READY) |
				    BIT(GUNYAH_SIM_VM_INIT_FAILED),
	[GUNYAH_SIM_VM_RESET] = BIT(GUNYAH_SIM_VM_RESETTING),
};

static bool gunyah_sim_vm_may_enter(struct gunyah_sim_rm_vm *vm, u8 state)
{
	return gunyah_sim_vm_from[state] & BIT(vm->state);
}

/*
 * Move a VM to a state it may enter, telling its owner. The message table
 * only lets through requests whose transition is valid, so an invalid one
 * here is a bug of the simulator.
 */
static void gunyah_sim_vm_set_state(struct gunyah_sim_rm *rm,
				    struct gunyah_sim_rm_vm *vm, u8 state)
{
	u8 payload[8] = {};

	if (WARN_ON_ONCE(!gunyah_sim_vm_may_enter(vm, state)))
		return;
	vm->state = state;
	put_unaligned_le16(vm->vmid, payload);
	payload[4] = state;
	gunyah_sim_rm_notify(rm, vm->client, GUNYAH_SIM_RM_NOTIF_VM_STATUS,
			     payload, sizeof(payload));
}

static void gunyah_sim_vcpu_release(struct gunyah_sim_object *obj)
{
	struct gunyah_sim_rm_vcpu *vcpu;

	vcpu = container_of(obj, struct gunyah_sim_rm_vcpu, obj);
	if (vcpu->guest)
		gunyah_sim_guest_put(vcpu->guest);
	kfree(vcpu);
}

static void gunyah_sim_doorbell_release(struct gunyah_sim_object *obj)
{
	struct gunyah_sim_doorbell *bell;

	bell = container_of(obj, struct gunyah_sim_doorbell, obj);
	if (bell->guest)
		gunyah_sim_guest_put(bell->guest);
	kfree(bell);
}

/*
 * Forget a VM's guest and revoke the host's capabilities to its resources
 * and free their IRQs.
 */
static void gunyah_sim_vm_destroy_res(struct gunyah_sim_rm *rm,
				      struct gunyah_sim_rm_vm *vm)
{
	struct gunyah_sim_rm_res *res;

	if (vm->guest) {
		gunyah_sim_guest_detach(vm->guest);
		gunyah_sim_guest_put(vm->guest);
		vm->guest = NULL;
	}
	while (vm->nres) {
		res = &vm->res[--vm->nres];
		if (res->intid)
			gunyah_sim_intc_free(&rm->sim->intc, res->intid);
		gunyah_sim_cap_remove(rm->sim, res->capid);
	}
	kfree(vm->res);
	vm->res = NULL;
	vm->nvcpus = 0;
	vm->proxy = false;
	vm->mem_base = 0;
}

/*
 * Give the host a capability to @obj (taking over the caller's reference)
 * and, with @virq, an interrupt; record it as a resource of @vm.
 */
static int gunyah_sim_vm_add_res(struct gunyah_sim_rm *rm,
				 struct gunyah_sim_rm_vm *vm, u8 type,
				 u32 label, struct gunyah_sim_object *obj,
				 bool virq)
{
	struct gunyah_sim_rm_res *res;
	int ret;

	if (vm->nres == GUNYAH_SIM_RES_MAX) {
		ret = -ENOSPC;
		goto err_put;
	}
	res = &vm->res[vm->nres];
	*res = (struct gunyah_sim_rm_res) {
		.type = type, .label = label, .obj = obj,
	};
	if (virq) {
		ret = gunyah_sim_intc_alloc(&rm->sim->intc);
		if (ret < 0)
			goto err_put;
		res->intid = ret;
	}
	ret = gunyah_sim_cap_add(rm->sim, obj, &res->capid);
	if (ret)
		goto err_free_intid;
	vm->nres++;
	return 0;

err_free_intid:
	if (res->intid)
		gunyah_sim_intc_free(&rm->sim->intc, res->intid);
err_put:
	gunyah_sim_object_put(obj);
	return ret;
}

static int gunyah_sim_vm_add_vcpu(struct gunyah_sim_rm *rm,
				  struct gunyah_sim_rm_vm *vm)
{
	struct gunyah_sim_rm_vcpu *vcpu;
	int ret;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL);
	if (!vcpu)
		return -ENOMEM;
	gunyah_sim_object_init(&vcpu->obj, GUNYAH_SIM_OBJ_VCPU,
			       GUNYAH_SIM_VCPU_AFFINITY |
			       GUNYAH_SIM_VCPU_YIELD_TO,
			       gunyah_sim_vcpu_release);
	vcpu->vmid = vm->vmid;
	vcpu->index = vm->nvcpus;
	vcpu->proxy = vm->proxy;
	vcpu->guest = gunyah_sim_guest_get(vm->guest);
	ret = gunyah_sim_vm_add_res(rm, vm, GUNYAH_SIM_RES_VCPU, vm->nvcpus,
				    &vcpu->obj, true);
	if (ret)
		return ret;
	gunyah_sim_guest_set_intid(vm->guest, vm->nvcpus,
				   vm->res[vm->nres - 1].intid);
	vm->nvcpus++;
	return 0;
}

static int gunyah_sim_vm_add_doorbell(struct gunyah_sim_rm *rm,
				      struct gunyah_sim_rm_vm *vm, u32 label,
				      bool host_receives)
{
	struct gunyah_sim_doorbell *bell;
	int ret;

	bell = kzalloc(sizeof(*bell), GFP_KERNEL);
	if (!bell)
		return -ENOMEM;
	gunyah_sim_object_init(&bell->obj, GUNYAH_SIM_OBJ_DOORBELL,
			       host_receives ? GUNYAH_SIM_BELL_RECEIVE :
					       GUNYAH_SIM_BELL_SEND,
			       gunyah_sim_doorbell_release);
	bell->vmid = vm->vmid;
	bell->label = label;
	bell->guest = gunyah_sim_guest_get(vm->guest);
	bell->enable_mask = U64_MAX;
	ret = gunyah_sim_vm_add_res(rm, vm, host_receives ?
				    GUNYAH_SIM_RES_BELL_RX :
				    GUNYAH_SIM_RES_BELL_TX, label,
				    &bell->obj, host_receives);
	/* The guest receives on the doorbells the host rings. */
	if (!ret && !host_receives)
		ret = gunyah_sim_guest_add_bell(vm->guest, bell);
	return ret;
}

static int gunyah_sim_vm_add_msgq_pair(struct gunyah_sim_rm *rm,
				       struct gunyah_sim_rm_vm *vm,
				       struct device_node *np, u32 label)
{
	u32 depth = GUNYAH_SIM_MSGQ_DEF_DEPTH, size = GUNYAH_SIM_MSGQ_DEF_SIZE;
	struct gunyah_sim_msgq *tx, *rx;
	int ret;

	of_property_read_u32(np, "queue-depth", &depth);
	of_property_read_u32(np, "message-size", &size);
	if (depth > GUNYAH_SIM_MSGQ_MAX_DEPTH || size > GUNYAH_SIM_MSGQ_MAX_SIZE)
		return -EINVAL;

	tx = gunyah_sim_msgq_create(depth, size, GUNYAH_SIM_MSGQ_SEND);
	if (!tx)
		return -EINVAL;
	ret = gunyah_sim_vm_add_res(rm, vm, GUNYAH_SIM_RES_MSGQ_TX, label,
				    &tx->obj, true);
	if (ret)
		return ret;
	rx = gunyah_sim_msgq_create(depth, size, GUNYAH_SIM_MSGQ_RECEIVE);
	if (!rx)
		return -EINVAL;
	return gunyah_sim_vm_add_res(rm, vm, GUNYAH_SIM_RES_MSGQ_RX, label,
				     &rx->obj, true);
}

/* Whether a vdevice's peer is the VM's owner: "peer-default" or no "peer". */
static bool gunyah_sim_vdev_peer_is_owner(struct gunyah_sim_rm_vm *vm,
					  struct device_node *np)
{
	u32 peer;

	if (of_property_read_bool(np, "peer-default") ||
	    of_property_read_u32(np, "peer", &peer))
		return true;
	return peer == vm->owner;
}

static int gunyah_sim_vm_add_vdev(struct gunyah_sim_rm *rm,
				  struct gunyah_sim_rm_vm *vm,
				  struct device_node *np)
{
	const char *type;
	u32 label = 0;

	if (of_property_read_string(np, "vdevice-type", &type))
		return 0;
	if (!gunyah_sim_vdev_peer_is_owner(vm, np))
		return 0;
	if (of_property_read_u32(np, "label", &label))
		of_property_read_u32(np, "qcom,label", &label);

	if (!strcmp(type, "doorbell"))
		return gunyah_sim_vm_add_doorbell(rm, vm, label, false);
	if (!strcmp(type, "doorbell-source"))
		return gunyah_sim_vm_add_doorbell(rm, vm, label, true);
	if (!strcmp(type, "message-queue-pair"))
		return gunyah_sim_vm_add_msgq_pair(rm, vm, np, label);
	return 0;
}

static int gunyah_sim_vm_walk_vdevs(struct gunyah_sim_rm *rm,
				    struct gunyah_sim_rm_vm *vm,
				    struct device_node *parent,
				    unsigned int depth)
{
	struct device_node *np;
	int ret;

	if (depth > GUNYAH_SIM_DT_MAX_DEPTH)
		return -EINVAL;
	for_each_child_of_node(parent, np) {
		ret = gunyah_sim_vm_add_vdev(rm, vm, np);
		ret = ret ?: gunyah_sim_vm_walk_vdevs(rm, vm, np, depth + 1);
		if (ret) {
			of_node_put(np);
			return ret;
		}
	}
	return 0;
}

/*
 * The guest, and its vCPUs: one per /cpus/cpu@N, or the vcpus parameter
 * without /cpus.
 */
static int gunyah_sim_vm_add_vcpus(struct gunyah_sim_rm *rm,
				   struct gunyah_sim_rm_vm *vm,
				   struct device_node *root)
{
	struct device_node *cpus, *np;
	unsigned int n = 0;
	int ret = 0;

	cpus = of_get_child_by_name(root, "cpus");
	if (!cpus)
		n = clamp_t(uint, vcpus, 1, GUNYAH_SIM_VCPUS_DEFAULT_MAX);
	for_each_child_of_node(cpus, np)
		n += of_node_name_eq(np, "cpu");
	of_node_put(cpus);
	if (n > GUNYAH_SIM_VCPUS_MAX)
		return -ENOSPC;

	vm->guest = gunyah_sim_guest_create(rm, vm->vmid, n);
	if (!vm->guest)
		return -ENOMEM;
	while (!ret && vm->nvcpus < n)
		ret = gunyah_sim_vm_add_vcpu(rm, vm);
	return ret;
}

/* The VM's settings in /gunyah-vm-config (or /qcom,vm-config). */
static void gunyah_sim_vm_read_config(struct gunyah_sim_rm_vm *vm,
				      struct device_node *root)
{
	struct device_node *cfg, *np;
	const char *affinity;

	cfg = of_get_child_by_name(root, "gunyah-vm-config") ?:
	      of_get_child_by_name(root, "qcom,vm-config");
	if (!cfg)
		return;
	np = of_get_child_by_name(cfg, "vcpus");
	if (np && !of_property_read_string(np, "affinity", &affinity))
		vm->proxy = !strcmp(affinity, "proxy");
	of_node_put(np);
	np = of_get_child_by_name(cfg, "memory");
	if (np)
		of_property_read_u64(np, "base-address", &vm->mem_base);
	of_node_put(np);
	of_node_put(cfg);
}

/*
 * Read the config devicetree out of the image parcel: its header must be
 * valid and fit in the room VM_CONFIG_IMAGE gave. Returns a copy to kvfree.
 */
static u32 gunyah_sim_vm_read_dt(struct gunyah_sim_rm *rm,
				 struct gunyah_sim_rm_vm *vm, void **blob)
{
	struct fdt_header hdr;
	u32 size, err;
	void *buf;

	if (vm->dt_size < sizeof(hdr))
		return GUNYAH_SIM_RM_ARG_INVALID;
	err = gunyah_sim_rm_mem_read(rm, vm->image_handle, vm->dt_offset, &hdr,
				     sizeof(hdr));
	if (err)
		return err;
	size = fdt_totalsize(&hdr);
	if (fdt_magic(&hdr) != FDT_MAGIC || size < sizeof(hdr) ||
	    size > vm->dt_size)
		return GUNYAH_SIM_RM_ARG_INVALID;

	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return GUNYAH_SIM_RM_NOMEM;
	err = gunyah_sim_rm_mem_read(rm, vm->image_handle, vm->dt_offset, buf,
				     size);
	if (err) {
		kvfree(buf);
		return err;
	}
	*blob = buf;
	return GUNYAH_SIM_RM_OK;
}

/*
 * VM_INIT's work: parse the config devicetree and create the VM's
 * hypervisor objects.
 */
static u32 gunyah_sim_vm_configure(struct gunyah_sim_rm *rm,
				   struct gunyah_sim_rm_vm *vm)
{
	struct device_node *root, *np;
	void *blob, *tree;
	u32 err;
	int ret;

	err = gunyah_sim_vm_read_dt(rm, vm, &blob);
	if (err)
		return err;
	/* The unflattened tree points into the blob: keep both till done. */
	tree = of_fdt_unflatten_tree(blob, NULL, &root);
	if (!tree || !root) {
		err = GUNYAH_SIM_RM_ARG_INVALID;
		goto out_free_blob;
	}

	np = of_get_child_by_name(root, "hypervisor");
	if (np) {
		of_node_put(np);
		err = GUNYAH_SIM_RM_DENIED;
		goto out_free_tree;
	}

	vm->res = kcalloc(GUNYAH_SIM_RES_MAX, sizeof(*vm->res), GFP_KERNEL);
	if (!vm->res) {
		err = GUNYAH_SIM_RM_NOMEM;
		goto out_free_tree;
	}
	gunyah_sim_vm_read_config(vm, root);
	ret = gunyah_sim_vm_add_vcpus(rm, vm, root);
	ret = ret ?: gunyah_sim_vm_walk_vdevs(rm, vm, root, 0);
	ret = ret ?: gunyah_sim_rm_dp_create(rm, vm);
	if (ret) {
		gunyah_sim_vm_destroy_res(rm, vm);
		err = ret == -ENOMEM ? GUNYAH_SIM_RM_NOMEM :
				       GUNYAH_SIM_RM_ARG_INVALID;
	}

out_free_tree:
	kfree(tree);
out_free_blob:
	kvfree(blob);
	return err;
}

static void gunyah_sim_vm_free(struct gunyah_sim_rm *rm,
			       struct gunyah_sim_rm_vm *vm)
{
	gunyah_sim_vm_destroy_res(rm, vm);
	gunyah_sim_rm_dp_destroy(rm, vm);
	xa_erase(&rm->vms, vm->vmid);
	kfree(vm);
}

static void gunyah_sim_reply_u32(struct gunyah_sim_rm_call *c, u32 val)
{
	put_unaligned_le32(val, c->reply);
	c->reply_len = sizeof(__le32);
}

static u32 gunyah_sim_vm_allocate(struct gunyah_sim_rm *rm,
				  struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm;
	u16 vmid;
	int ret;

	vmid = get_unaligned_le16(c->req);
	/* Specific VMIDs are the QEMU platform's secondary VMIDs, 4..31. */
	if (vmid && (vmid < 4 || vmid > 31))
		return GUNYAH_SIM_RM_NORESOURCE;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return GUNYAH_SIM_RM_NOMEM;
	vm->owner = c->client->vmid;
	vm->client = c->client;
	vm->state = GUNYAH_SIM_VM_LOAD;

	if (vmid) {
		vm->vmid = vmid;
		ret = xa_insert(&rm->vms, vmid, vm, GFP_KERNEL);
	} else {
		u32 id;

		ret = xa_alloc(&rm->vms, &id, vm,
			       XA_LIMIT(GUNYAH_SIM_VMID_DYN_FIRST,
					GUNYAH_SIM_VMID_DYN_LAST), GFP_KERNEL);
		vm->vmid = id;
	}
	if (ret) {
		kfree(vm);
		return ret == -ENOMEM ? GUNYAH_SIM_RM_NOMEM :
					GUNYAH_SIM_RM_NORESOURCE;
	}

	if (!vmid)
		gunyah_sim_reply_u32(c, vm->vmid);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_deallocate(struct gunyah_sim_rm *rm,
				    struct gunyah_sim_rm_call *c)
{
	gunyah_sim_vm_free(rm, c->vm);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_config_image(struct gunyah_sim_rm *rm,
				      struct gunyah_sim_rm_call *c)
{
	u64 img_off, img_size, dt_off, dt_size;
	struct gunyah_sim_rm_vm *vm = c->vm;
	u32 handle, err;
	u16 auth;

	auth = get_unaligned_le16(c->req + 2);
	handle = get_unaligned_le32(c->req + 4);
	img_off = get_unaligned_le64(c->req + 8);
	img_size = get_unaligned_le64(c->req + 16);
	dt_off = get_unaligned_le64(c->req + 24);
	dt_size = get_unaligned_le64(c->req + 32);
	if (auth > GUNYAH_SIM_RM_AUTH_MAX || img_off + img_size < img_off ||
	    dt_off + dt_size < dt_off)
		return GUNYAH_SIM_RM_ARG_INVALID;

	err = gunyah_sim_rm_mem_image_check(rm, handle, vm->vmid,
					    img_off + img_size,
					    dt_off + dt_size);
	if (err)
		return err;

	vm->auth = auth;
	vm->image_handle = handle;
	vm->image_offset = img_off;
	vm->image_size = img_size;
	vm->dt_offset = dt_off;
	vm->dt_size = dt_size;
	gunyah_sim_vm_set_state(rm, vm, auth == GUNYAH_SIM_RM_AUTH_PLATFORM ?
				GUNYAH_SIM_VM_AUTH : GUNYAH_SIM_VM_INIT);
	return GUNYAH_SIM_RM_OK;
}

/*
 * The config devicetree is read here. A DTB that is malformed, does not fit
 * or names /hypervisor fails the VM (INIT_FAILED and a VM_STATUS); the reply
 * says why: ARGUMENT_INVALID, DENIED for /hypervisor, NOMEM.
 */
static u32 gunyah_sim_vm_init(struct gunyah_sim_rm *rm,
			      struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm = c->vm;
	u32 err;

	if (get_unaligned_le16(c->req + 2))
		return GUNYAH_SIM_RM_ARG_INVALID;

	err = gunyah_sim_vm_configure(rm, vm);
	if (err) {
		gunyah_sim_vm_set_state(rm, vm, GUNYAH_SIM_VM_INIT_FAILED);
		return err;
	}
	gunyah_sim_vm_set_state(rm, vm, GUNYAH_SIM_VM_READY);
	/* A READY VM has taken the parcels lent or shared to it. */
	gunyah_sim_rm_mem_vm_accept(rm, vm->vmid, true);
	return GUNYAH_SIM_RM_OK;
}

/* The boot vCPU of the guest powers on; INIT_FAILED if that fails. */
static u32 gunyah_sim_vm_start(struct gunyah_sim_rm *rm,
			       struct gunyah_sim_rm_call *c)
{
	if (gunyah_sim_guest_start(rm, c->vm)) {
		gunyah_sim_vm_set_state(rm, c->vm, GUNYAH_SIM_VM_INIT_FAILED);
		return GUNYAH_SIM_RM_NOMEM;
	}
	gunyah_sim_vm_set_state(rm, c->vm, GUNYAH_SIM_VM_RUNNING);
	return GUNYAH_SIM_RM_OK;
}

/**
 * gunyah_sim_rm_vm_exited() - A running VM exits
 * @rm: the RM
 * @vm: the VM, RUNNING or PAUSED
 * @exit_type: the exit type of NOTIFY_VM_EXITED (§3.8.3)
 * @reason: the exit reason, in 32-bit words
 * @reason_size: its size in bytes, a multiple of 4, at most 16
 *
 * The VM enters EXITED with a VM_STATUS, and its owner gets a VM_EXITED.
 *
 * Context: with &gunyah_sim_rm.lock held.
 */
void gunyah_sim_rm_vm_exited(struct gunyah_sim_rm *rm,
			     struct gunyah_sim_rm_vm *vm, u16 exit_type,
			     const u32 *reason, u32 reason_size)
{
	u8 exited[8 + GUNYAH_SIM_EXIT_REASON_MAX] = {};
	unsigned int i;

	lockdep_assert_held(&rm->lock);
	if (WARN_ON_ONCE(reason_size > GUNYAH_SIM_EXIT_REASON_MAX))
		return;
	gunyah_sim_vm_set_state(rm, vm, GUNYAH_SIM_VM_EXITED);
	put_unaligned_le16(vm->vmid, exited);
	put_unaligned_le16(exit_type, exited + 2);
	put_unaligned_le32(reason_size, exited + 4);
	for (i = 0; i < reason_size / 4; i++)
		put_unaligned_le32(reason[i], exited + 8 + 4 * i);
	gunyah_sim_rm_notify(rm, vm->client, GUNYAH_SIM_RM_NOTIF_VM_EXITED,
			     exited, 8 + reason_size);
}

/* FORCE: the guest stops at once, every vCPU powered off for good. */
static u32 gunyah_sim_vm_stop(struct gunyah_sim_rm *rm,
			      struct gunyah_sim_rm_call *c)
{
	static const u32 reason[1];

	/* Without FORCE the VM is asked to shut down; it has no client here. */
	if (!(c->req[2] & GUNYAH_SIM_RM_STOP_FORCE))
		return GUNYAH_SIM_RM_OK;

	if (c->vm->guest)
		gunyah_sim_guest_stop(c->vm->guest);
	gunyah_sim_rm_vm_exited(rm, c->vm, GUNYAH_SIM_EXIT_STOP_FORCED, reason,
				sizeof(reason));
	return GUNYAH_SIM_RM_OK;
}

/*
 * VM_RESET: RESETTING now (its VM_STATUS follows the reply), the rest from
 * the RM's event loop once the reply has gone.
 */
static u32 gunyah_sim_vm_reset(struct gunyah_sim_rm *rm,
			       struct gunyah_sim_rm_call *c)
{
	gunyah_sim_vm_set_state(rm, c->vm, GUNYAH_SIM_VM_RESETTING);
	queue_work(rm->wq, &rm->reset_work);
	return GUNYAH_SIM_RM_OK;
}

/**
 * gunyah_sim_rm_vm_reset_work() - Finish the resets in progress
 * @work: &gunyah_sim_rm.reset_work
 *
 * Each VM in RESETTING gives its parcels back and loses its hypervisor
 * objects, boot context, demand-paged ranges and the mappings of its
 * address space, then enters RESET with a VM_STATUS. Its address space
 * and memory extents stay, with the pages donated to them, until the VM
 * is deallocated: the owner takes its pages back after the reset.
 */
void gunyah_sim_rm_vm_reset_work(struct work_struct *work)
{
	struct gunyah_sim_rm *rm = container_of(work, struct gunyah_sim_rm,
						reset_work);
	struct gunyah_sim_rm_vm *vm;
	unsigned long vmid;

	mutex_lock(&rm->lock);
	xa_for_each(&rm->vms, vmid, vm) {
		if (vm->state != GUNYAH_SIM_VM_RESETTING)
			continue;
		gunyah_sim_rm_mem_vm_accept(rm, vm->vmid, false);
		gunyah_sim_vm_destroy_res(rm, vm);
		gunyah_sim_rm_dp_reset(rm, vm);
		vm->boot_set = 0;
		memset(vm->boot_regs, 0, sizeof(vm->boot_regs));
		gunyah_sim_vm_set_state(rm, vm, GUNYAH_SIM_VM_RESET);
	}
	mutex_unlock(&rm->lock);
}

static u32 gunyah_sim_vm_get_state(struct gunyah_sim_rm *rm,
				   struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm;
	u16 vmid;

	vmid = get_unaligned_le16(c->req);
	if (!vmid || vmid == c->client->vmid) {
		gunyah_sim_reply_u32(c, GUNYAH_SIM_VM_RUNNING |
					GUNYAH_SIM_OS_RUN << 8);
		return GUNYAH_SIM_RM_OK;
	}
	vm = xa_load(&rm->vms, vmid);
	if (!vm)
		return GUNYAH_SIM_RM_VMID_INVALID;
	if (vm->owner != c->client->vmid)
		return GUNYAH_SIM_RM_DENIED;
	gunyah_sim_reply_u32(c, vm->state);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_get_vmid(struct gunyah_sim_rm *rm,
				  struct gunyah_sim_rm_call *c)
{
	gunyah_sim_reply_u32(c, c->client->vmid);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_host_get_type(struct gunyah_sim_rm *rm,
				       struct gunyah_sim_rm_call *c)
{
	gunyah_sim_reply_u32(c, 0x01000164);
	return GUNYAH_SIM_RM_OK;
}

static void gunyah_sim_vm_put_res(struct gunyah_sim_rm_call *c,
				  unsigned int n, u16 vmid, u8 type, u32 label,
				  u64 capid, u32 intid)
{
	u8 *e = c->reply + 4 + n * GUNYAH_SIM_RM_RES_ENTRY_SIZE;

	memset(e, 0, GUNYAH_SIM_RM_RES_ENTRY_SIZE);
	e[0] = type;
	put_unaligned_le16(vmid, e + 2);
	put_unaligned_le32(label, e + 8);
	put_unaligned_le64(capid, e + 12);
	put_unaligned_le32(intid, e + 24);
}

/*
 * vCPU entries go to the owner only (§3.8.4), and so do the address space
 * and memory extents of demand paging, after the other resources.
 */
static u32 gunyah_sim_vm_get_hyp_resources(struct gunyah_sim_rm *rm,
					   struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_res *res;
	struct gunyah_sim_rm_vm *vm;
	unsigned int i, n = 0;
	bool owner;

	vm = xa_load(&rm->vms, get_unaligned_le16(c->req));
	if (!vm)
		return GUNYAH_SIM_RM_ARG_INVALID;
	if (vm->state == GUNYAH_SIM_VM_LOAD || vm->state == GUNYAH_SIM_VM_AUTH ||
	    vm->state == GUNYAH_SIM_VM_RESET)
		return GUNYAH_SIM_RM_NORESOURCE;

	owner = vm->owner == c->client->vmid;
	for (i = 0; i < vm->nres; i++) {
		res = &vm->res[i];
		if (res->type == GUNYAH_SIM_RES_VCPU && !owner)
			continue;
		gunyah_sim_vm_put_res(c, n++, vm->vmid, res->type, res->label,
				      res->capid, res->intid);
	}
	if (owner && vm->dp) {
		gunyah_sim_vm_put_res(c, n++, vm->vmid,
				      GUNYAH_SIM_RES_ADDR_SPACE, 0,
				      vm->dp->as_cap, 0);
		for (i = 0; i < GUNYAH_SIM_EXT_COUNT; i++)
			gunyah_sim_vm_put_res(c, n++, vm->vmid,
					      GUNYAH_SIM_RES_MEM_EXTENT, i,
					      vm->dp->ext_cap[i], 0);
	}
	put_unaligned_le32(n, c->reply);
	c->reply_len = 4 + n * GUNYAH_SIM_RM_RES_ENTRY_SIZE;
	return GUNYAH_SIM_RM_OK;
}

/*
 * The public RM needs firmware registered with FW_SET_VM_FIRMWARE for the
 * VM's auth type; the simulator never has any, so a valid request fails
 * with NORESOURCE, followed by the hypervisor-error placeholder word.
 */
static u32 gunyah_sim_vm_set_firmware_mem(struct gunyah_sim_rm *rm,
					  struct gunyah_sim_rm_call *c)
{
	gunyah_sim_reply_u32(c, GUNYAH_ERROR_ARG_INVAL);
	return GUNYAH_SIM_RM_NORESOURCE;
}

/* Stored for the simulated guest: X0..X31, PC, SP_EL0..SP_EL2. */
static u32 gunyah_sim_vm_set_boot_context(struct gunyah_sim_rm *rm,
					  struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm = c->vm;
	u8 set = c->req[2], index = c->req[3];
	unsigned int reg;

	switch (set) {
	case 0:
		if (index > 31)
			return GUNYAH_SIM_RM_ARG_INVALID;
		reg = index;
		break;
	case 1:
		if (index)
			return GUNYAH_SIM_RM_ARG_INVALID;
		reg = GUNYAH_SIM_BOOT_REG_PC;
		break;
	case 2:
		if (index > 2)
			return GUNYAH_SIM_RM_ARG_INVALID;
		reg = GUNYAH_SIM_BOOT_REG_SP + index;
		break;
	default:
		return GUNYAH_SIM_RM_ARG_INVALID;
	}
	vm->boot_regs[reg] = get_unaligned_le64(c->req + 8);
	vm->boot_set |= BIT_ULL(reg);
	return GUNYAH_SIM_RM_OK;
}

static void gunyah_sim_dp_range_at(const struct gunyah_sim_rm_call *c,
				   unsigned int i,
				   struct gunyah_sim_rm_dp_range *r)
{
	r->base = get_unaligned_le64(c->req + 8 + 16 * i);
	r->size = get_unaligned_le64(c->req + 16 + 16 * i);
}

/*
 * The guest IPA ranges the owner will give memory to on demand: page
 * aligned, not empty, not wrapping, not overlapping; they replace those
 * given before. The address space and memory extents are created at
 * VM_INIT.
 */
static u32 gunyah_sim_vm_set_demand_paging(struct gunyah_sim_rm *rm,
					   struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_dp_range r, o;
	struct gunyah_sim_rm_vm *vm = c->vm;
	u32 count = get_unaligned_le32(c->req + 4);
	unsigned int i, j;

	if (c->len != 8 + 16 * (size_t)count)
		return GUNYAH_SIM_RM_MSG_INVALID;
	if (count > GUNYAH_SIM_DP_MAX_RANGES)
		return GUNYAH_SIM_RM_ARG_INVALID;
	for (i = 0; i < count; i++) {
		gunyah_sim_dp_range_at(c, i, &r);
		if (!r.size || !IS_ALIGNED(r.base, SZ_4K) ||
		    !IS_ALIGNED(r.size, SZ_4K) || r.size - 1 > U64_MAX - r.base)
			return GUNYAH_SIM_RM_ARG_INVALID;
		for (j = 0; j < i; j++) {
			gunyah_sim_dp_range_at(c, j, &o);
			if (r.base <= o.base + (o.size - 1) &&
			    o.base <= r.base + (r.size - 1))
				return GUNYAH_SIM_RM_ARG_INVALID;
		}
	}
	for (i = 0; i < count; i++)
		gunyah_sim_dp_range_at(c, i, &vm->dp_ranges[i]);
	vm->ndp_ranges = count;
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_set_address_layout(struct gunyah_sim_rm *rm,
					    struct gunyah_sim_rm_call *c)
{
	if (get_unaligned_le32(c->req + 4) > 1)
		return GUNYAH_SIM_RM_ARG_INVALID;
	return GUNYAH_SIM_RM_OK;
}

#define S(state)	BIT(GUNYAH_SIM_VM_##state)
#define HLOS		GUNYAH_SIM_RM_CALLER_HLOS
#define OWNER		GUNYAH_SIM_RM_CALLER_OWNER
#define EXACT		GUNYAH_SIM_RM_LEN_EXACT
#define AT_LEAST	GUNYAH_SIM_RM_LEN_MIN
#define DENIED		GUNYAH_SIM_RM_DENIED
#define VMID_INVALID	GUNYAH_SIM_RM_VMID_INVALID

/* §3.8.1 and §3.8.3: who may send what, how long, in which VM state. */
static const struct gunyah_sim_rm_msg_desc gunyah_sim_vm_msgs[] = {
	{ GUNYAH_SIM_RM_VM_ALLOCATE, 4, EXACT, HLOS, 0, 0,
	  GUNYAH_SIM_RM_ALL, gunyah_sim_vm_allocate },
	{ GUNYAH_SIM_RM_VM_DEALLOCATE, 4, EXACT, OWNER, DENIED,
	  S(LOAD) | S(RESET), GUNYAH_SIM_RM_ALL, gunyah_sim_vm_deallocate },
	{ GUNYAH_SIM_RM_VM_START, 4, EXACT, OWNER, DENIED, S(READY),
	  GUNYAH_SIM_RM_ALL, gunyah_sim_vm_start },
	{ GUNYAH_SIM_RM_VM_STOP, 8, EXACT, OWNER, VMID_INVALID,
	  S(RUNNING) | S(PAUSED), GUNYAH_SIM_RM_ALL, gunyah_sim_vm_stop },
	{ GUNYAH_SIM_RM_VM_RESET, 4, EXACT, OWNER, VMID_INVALID,
	  S(EXITED) | S(READY) | S(INIT_FAILED), GUNYAH_SIM_RM_ALL,
	  gunyah_sim_vm_reset },
	{ GUNYAH_SIM_RM_VM_CONFIG_IMAGE, 40, EXACT, HLOS | OWNER, DENIED,
	  S(LOAD) | S(RESET), GUNYAH_SIM_RM_ALL, gunyah_sim_vm_config_image },
	{ GUNYAH_SIM_RM_VM_INIT, 4, EXACT, HLOS | OWNER, DENIED, S(INIT),
	  GUNYAH_SIM_RM_ALL, gunyah_sim_vm_init },
	{ GUNYAH_SIM_RM_VM_GET_STATE, 4, EXACT, 0, 0, 0,
	  GUNYAH_SIM_RM_ALL, gunyah_sim_vm_get_state },
	{ GUNYAH_SIM_RM_VM_GET_HYP_RES, 4, EXACT, 0, 0, 0,
	  GUNYAH_SIM_RM_ALL, gunyah_sim_vm_get_hyp_resources },
	{ GUNYAH_SIM_RM_VM_GET_VMID, 0, EXACT, 0, 0, 0,
	  GUNYAH_SIM_RM_ALL, gunyah_sim_vm_get_vmid },
	{ GUNYAH_SIM_RM_VM_HOST_GET_TYPE, 0, EXACT, 0, 0, 0,
	  GUNYAH_SIM_RM_ALL, gunyah_sim_vm_host_get_type },
	{ GUNYAH_SIM_RM_VM_SET_FW_MEM, 24, EXACT, OWNER, DENIED, S(INIT),
	  GUNYAH_SIM_RM_ALL, gunyah_sim_vm_set_firmware_mem },
	{ GUNYAH_SIM_RM_VM_SET_BOOT_CTX, 16, EXACT, OWNER, DENIED, S(READY),
	  GUNYAH_SIM_RM_FULL_ONLY, gunyah_sim_vm_set_boot_context },
	{ GUNYAH_SIM_RM_VM_SET_DEMAND_PG, 8, AT_LEAST, OWNER, DENIED, S(INIT),
	  GUNYAH_SIM_RM_FULL_ONLY, gunyah_sim_vm_set_demand_paging },
	{ GUNYAH_SIM_RM_VM_SET_ADDR_LAYOUT, 24, EXACT, OWNER, DENIED, S(INIT),
	  GUNYAH_SIM_RM_FULL_ONLY, gunyah_sim_vm_set_address_layout },
};

#undef S
#undef HLOS
#undef OWNER
#undef EXACT
#undef AT_LEAST
#undef DENIED
#undef VMID_INVALID

/**
 * gunyah_sim_rm_vm_desc() - How the RM checks and handles a VM message
 * @msg_id: the message ID
 *
 * Return: the message's description, or NULL if it is not a VM message.
 */
const struct gunyah_sim_rm_msg_desc *gunyah_sim_rm_vm_desc(u32 msg_id)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(gunyah_sim_vm_msgs); i++)
		if (gunyah_sim_vm_msgs[i].msg_id == msg_id)
			return &gunyah_sim_vm_msgs[i];
	return NULL;
}

/**
 * gunyah_sim_rm_vm_valid_acl_vmid() - Whether a VMID may be in a parcel's ACL
 * @rm: the RM
 * @vmid: the VMID
 *
 * Return: true for HLOS, the RM, the platform's secondary VMIDs and
 * allocated VMIDs.
 */
bool gunyah_sim_rm_vm_valid_acl_vmid(struct gunyah_sim_rm *rm, u16 vmid)
{
	return vmid == GUNYAH_SIM_VMID_HLOS || vmid == GUNYAH_SIM_VMID_RM ||
	       (vmid >= 4 && vmid <= 31) || xa_load(&rm->vms, vmid);
}

/**
 * gunyah_sim_rm_vm_accepts_memory() - Whether a VM takes parcels given to it
 * @rm: the RM
 * @vmid: the VMID
 *
 * Return: true for a VM that is READY, RUNNING or PAUSED: the RM has
 * processed its parcels and maps new ones right away.
 */
bool gunyah_sim_rm_vm_accepts_memory(struct gunyah_sim_rm *rm, u16 vmid)
{
	struct gunyah_sim_rm_vm *vm = xa_load(&rm->vms, vmid);

	return vm && (vm->state == GUNYAH_SIM_VM_READY ||
		      vm->state == GUNYAH_SIM_VM_RUNNING ||
		      vm->state == GUNYAH_SIM_VM_PAUSED);
}

/**
 * gunyah_sim_rm_vm_client_gone() - Stop notifying a client that goes away
 * @rm: the RM
 * @client: the client
 */
void gunyah_sim_rm_vm_client_gone(struct gunyah_sim_rm *rm,
				  struct gunyah_sim_rm_client *client)
{
	struct gunyah_sim_rm_vm *vm;
	unsigned long vmid;

	xa_for_each(&rm->vms, vmid, vm)
		if (vm->client == client)
			vm->client = NULL;
}

/**
 * gunyah_sim_rm_vm_forget_all() - Forget every VM
 * @rm: the RM
 * @warn: report each VM that is still allocated
 */
void gunyah_sim_rm_vm_forget_all(struct gunyah_sim_rm *rm, bool warn)
{
	struct gunyah_sim_rm_vm *vm;
	unsigned long vmid;

	xa_for_each(&rm->vms, vmid, vm) {
		if (warn)
			pr_err("VM %lu of VM %u still allocated (state %u)\n",
			       vmid, vm->owner, vm->state);
		gunyah_sim_vm_free(rm, vm);
	}
}
