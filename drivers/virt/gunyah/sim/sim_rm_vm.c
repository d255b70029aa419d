// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated Resource Manager: VM lifecycle messages.
 */

#define pr_fmt(fmt) "gunyah_sim: " fmt

#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "sim_rm.h"

static uint vcpus = 1;
module_param(vcpus, uint, 0444);
MODULE_PARM_DESC(vcpus, "vCPUs of each VM the RM creates (1..8)");

#define GUNYAH_SIM_VCPUS_MAX		8

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
#define GUNYAH_SIM_RM_EXIT_STOP_FORCED	7
#define GUNYAH_SIM_RM_RES_VCPU		4
#define GUNYAH_SIM_RM_RES_ENTRY_SIZE	44
#define GUNYAH_SIM_RM_AUTH_PLATFORM	1
#define GUNYAH_SIM_RM_AUTH_MAX		2
#define GUNYAH_SIM_OS_RUN		4

/**
 * struct gunyah_sim_rm_vcpu - A vCPU the RM created for a VM
 * @obj: the cspace object
 * @capid: the host's capability to it
 * @intid: its wakeup interrupt
 */
struct gunyah_sim_rm_vcpu {
	struct gunyah_sim_object obj;
	u64 capid;
	u32 intid;
};

/**
 * struct gunyah_sim_rm_vm - A VM the RM manages
 * @vmid: its VMID
 * @owner: the owner's VMID
 * @client: where notifications for the owner go, or NULL
 * @state: VM state (§3.8.3)
 * @nvcpus: number of entries in @vcpus
 * @vcpus: its vCPUs, created at VM_INIT
 */
struct gunyah_sim_rm_vm {
	u16 vmid;
	u16 owner;
	struct gunyah_sim_rm_client *client;
	u8 state;
	unsigned int nvcpus;
	struct gunyah_sim_rm_vcpu *vcpus[GUNYAH_SIM_VCPUS_MAX];
};

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

/* Move a VM to a state it may enter, telling its owner. */
static void gunyah_sim_vm_set_state(struct gunyah_sim_rm *rm,
				    struct gunyah_sim_rm_vm *vm, u8 state)
{
	u8 payload[8] = {};

	vm->state = state;
	put_unaligned_le16(vm->vmid, payload);
	payload[4] = state;
	gunyah_sim_rm_notify(rm, vm->client, GUNYAH_SIM_RM_NOTIF_VM_STATUS,
			     payload, sizeof(payload));
}

static void gunyah_sim_vcpu_release(struct gunyah_sim_object *obj)
{
	kfree(container_of(obj, struct gunyah_sim_rm_vcpu, obj));
}

static void gunyah_sim_vm_destroy_vcpus(struct gunyah_sim_rm *rm,
					struct gunyah_sim_rm_vm *vm)
{
	struct gunyah_sim_rm_vcpu *vcpu;

	while (vm->nvcpus) {
		vcpu = vm->vcpus[--vm->nvcpus];
		gunyah_sim_intc_free(&rm->sim->intc, vcpu->intid);
		gunyah_sim_cap_remove(rm->sim, vcpu->capid);
	}
}

static int gunyah_sim_vm_create_vcpus(struct gunyah_sim_rm *rm,
				      struct gunyah_sim_rm_vm *vm)
{
	unsigned int n = clamp_t(uint, vcpus, 1, GUNYAH_SIM_VCPUS_MAX);
	struct gunyah_sim_rm_vcpu *vcpu;
	int ret;

	while (vm->nvcpus < n) {
		vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL);
		if (!vcpu) {
			ret = -ENOMEM;
			goto err_destroy;
		}
		gunyah_sim_object_init(&vcpu->obj, GUNYAH_SIM_OBJ_VCPU,
				       GUNYAH_SIM_VCPU_AFFINITY |
				       GUNYAH_SIM_VCPU_YIELD_TO,
				       gunyah_sim_vcpu_release);
		ret = gunyah_sim_intc_alloc(&rm->sim->intc);
		if (ret < 0)
			goto err_free;
		vcpu->intid = ret;
		ret = gunyah_sim_cap_add(rm->sim, &vcpu->obj, &vcpu->capid);
		if (ret)
			goto err_free_intid;
		vm->vcpus[vm->nvcpus++] = vcpu;
	}
	return 0;

err_free_intid:
	gunyah_sim_intc_free(&rm->sim->intc, vcpu->intid);
err_free:
	kfree(vcpu);
err_destroy:
	gunyah_sim_vm_destroy_vcpus(rm, vm);
	return ret;
}

static void gunyah_sim_vm_free(struct gunyah_sim_rm *rm,
			       struct gunyah_sim_rm_vm *vm)
{
	gunyah_sim_vm_destroy_vcpus(rm, vm);
	xa_erase(&rm->vms, vm->vmid);
	kfree(vm);
}

/*
 * The VM a request names, if the caller may act on it as owner. Sets *err
 * to @not_owner if the caller is not the owner.
 */
static struct gunyah_sim_rm_vm *gunyah_sim_vm_owned(struct gunyah_sim_rm *rm,
						    struct gunyah_sim_rm_call *c,
						    u16 vmid, u32 not_owner,
						    u32 *err)
{
	struct gunyah_sim_rm_vm *vm = xa_load(&rm->vms, vmid);

	if (!vm) {
		*err = GUNYAH_SIM_RM_VMID_INVALID;
		return NULL;
	}
	if (vm->owner != c->client->vmid) {
		*err = not_owner;
		return NULL;
	}
	return vm;
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

	if (c->len != 4)
		return GUNYAH_SIM_RM_MSG_INVALID;
	if (c->client->vmid != GUNYAH_SIM_VMID_HLOS)
		return GUNYAH_SIM_RM_DENIED;

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
	struct gunyah_sim_rm_vm *vm;
	u32 err;

	if (c->len != 4)
		return GUNYAH_SIM_RM_MSG_INVALID;
	vm = gunyah_sim_vm_owned(rm, c, get_unaligned_le16(c->req),
				 GUNYAH_SIM_RM_DENIED, &err);
	if (!vm)
		return err;
	if (vm->state != GUNYAH_SIM_VM_LOAD && vm->state != GUNYAH_SIM_VM_RESET)
		return GUNYAH_SIM_RM_VM_STATE;

	gunyah_sim_vm_free(rm, vm);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_config_image(struct gunyah_sim_rm *rm,
				      struct gunyah_sim_rm_call *c)
{
	u64 img_off, img_size, dt_off, dt_size;
	struct gunyah_sim_rm_vm *vm;
	u16 auth;
	u32 err;

	if (c->len != 40)
		return GUNYAH_SIM_RM_MSG_INVALID;
	if (c->client->vmid != GUNYAH_SIM_VMID_HLOS)
		return GUNYAH_SIM_RM_DENIED;
	vm = gunyah_sim_vm_owned(rm, c, get_unaligned_le16(c->req),
				 GUNYAH_SIM_RM_DENIED, &err);
	if (!vm)
		return err;
	if (!gunyah_sim_vm_may_enter(vm, GUNYAH_SIM_VM_AUTH))
		return GUNYAH_SIM_RM_VM_STATE;

	auth = get_unaligned_le16(c->req + 2);
	img_off = get_unaligned_le64(c->req + 8);
	img_size = get_unaligned_le64(c->req + 16);
	dt_off = get_unaligned_le64(c->req + 24);
	dt_size = get_unaligned_le64(c->req + 32);
	if (auth > GUNYAH_SIM_RM_AUTH_MAX || img_off + img_size < img_off ||
	    dt_off + dt_size < dt_off)
		return GUNYAH_SIM_RM_ARG_INVALID;

	err = gunyah_sim_rm_mem_image_check(rm, get_unaligned_le32(c->req + 4),
					    vm->vmid, img_off + img_size,
					    dt_off + dt_size);
	if (err)
		return err;

	gunyah_sim_vm_set_state(rm, vm, auth == GUNYAH_SIM_RM_AUTH_PLATFORM ?
				GUNYAH_SIM_VM_AUTH : GUNYAH_SIM_VM_INIT);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_init(struct gunyah_sim_rm *rm,
			      struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm;
	u32 err;

	if (c->len != 4)
		return GUNYAH_SIM_RM_MSG_INVALID;
	if (get_unaligned_le16(c->req + 2))
		return GUNYAH_SIM_RM_ARG_INVALID;
	if (c->client->vmid != GUNYAH_SIM_VMID_HLOS)
		return GUNYAH_SIM_RM_DENIED;
	vm = gunyah_sim_vm_owned(rm, c, get_unaligned_le16(c->req),
				 GUNYAH_SIM_RM_DENIED, &err);
	if (!vm)
		return err;
	if (vm->state != GUNYAH_SIM_VM_INIT)
		return GUNYAH_SIM_RM_VM_STATE;

	if (gunyah_sim_vm_create_vcpus(rm, vm)) {
		gunyah_sim_vm_set_state(rm, vm, GUNYAH_SIM_VM_INIT_FAILED);
		return GUNYAH_SIM_RM_NOMEM;
	}
	gunyah_sim_vm_set_state(rm, vm, GUNYAH_SIM_VM_READY);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_start(struct gunyah_sim_rm *rm,
			       struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm;
	u32 err;

	if (c->len != 4)
		return GUNYAH_SIM_RM_MSG_INVALID;
	vm = gunyah_sim_vm_owned(rm, c, get_unaligned_le16(c->req),
				 GUNYAH_SIM_RM_DENIED, &err);
	if (!vm)
		return err;
	if (vm->state != GUNYAH_SIM_VM_READY)
		return GUNYAH_SIM_RM_VM_STATE;

	/* The VM accepts the parcels lent or shared to it. */
	gunyah_sim_rm_mem_vm_accept(rm, vm->vmid, true);
	gunyah_sim_vm_set_state(rm, vm, GUNYAH_SIM_VM_RUNNING);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_stop(struct gunyah_sim_rm *rm,
			      struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm;
	u8 exited[12] = {};
	u32 err;

	if (c->len != 8)
		return GUNYAH_SIM_RM_MSG_INVALID;
	vm = gunyah_sim_vm_owned(rm, c, get_unaligned_le16(c->req),
				 GUNYAH_SIM_RM_VMID_INVALID, &err);
	if (!vm)
		return err;
	if (!gunyah_sim_vm_may_enter(vm, GUNYAH_SIM_VM_EXITED))
		return GUNYAH_SIM_RM_VM_STATE;

	/* Without FORCE the VM is asked to shut down; it has no client here. */
	if (!(c->req[2] & GUNYAH_SIM_RM_STOP_FORCE))
		return GUNYAH_SIM_RM_OK;

	gunyah_sim_vm_set_state(rm, vm, GUNYAH_SIM_VM_EXITED);
	put_unaligned_le16(vm->vmid, exited);
	put_unaligned_le16(GUNYAH_SIM_RM_EXIT_STOP_FORCED, exited + 2);
	put_unaligned_le32(4, exited + 4);
	gunyah_sim_rm_notify(rm, vm->client, GUNYAH_SIM_RM_NOTIF_VM_EXITED,
			     exited, sizeof(exited));
	return GUNYAH_SIM_RM_OK;
}

/* VM_RESET, once the reply has gone: RESETTING, release, RESET. */
static void gunyah_sim_vm_reset_post(struct gunyah_sim_rm *rm, u16 vmid)
{
	struct gunyah_sim_rm_vm *vm = xa_load(&rm->vms, vmid);

	if (!vm || !gunyah_sim_vm_may_enter(vm, GUNYAH_SIM_VM_RESETTING))
		return;
	gunyah_sim_vm_set_state(rm, vm, GUNYAH_SIM_VM_RESETTING);
	gunyah_sim_rm_mem_vm_accept(rm, vmid, false);
	gunyah_sim_vm_destroy_vcpus(rm, vm);
	gunyah_sim_vm_set_state(rm, vm, GUNYAH_SIM_VM_RESET);
}

static u32 gunyah_sim_vm_reset(struct gunyah_sim_rm *rm,
			       struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm;
	u32 err;

	if (c->len != 4)
		return GUNYAH_SIM_RM_MSG_INVALID;
	vm = gunyah_sim_vm_owned(rm, c, get_unaligned_le16(c->req),
				 GUNYAH_SIM_RM_VMID_INVALID, &err);
	if (!vm)
		return err;
	if (!gunyah_sim_vm_may_enter(vm, GUNYAH_SIM_VM_RESETTING))
		return GUNYAH_SIM_RM_VM_STATE;

	c->post = gunyah_sim_vm_reset_post;
	c->post_vmid = vm->vmid;
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_get_state(struct gunyah_sim_rm *rm,
				   struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm;
	u16 vmid;

	if (c->len != 4)
		return GUNYAH_SIM_RM_MSG_INVALID;
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
	if (c->len)
		return GUNYAH_SIM_RM_MSG_INVALID;
	gunyah_sim_reply_u32(c, c->client->vmid);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_host_get_type(struct gunyah_sim_rm *rm,
				       struct gunyah_sim_rm_call *c)
{
	if (c->len)
		return GUNYAH_SIM_RM_MSG_INVALID;
	gunyah_sim_reply_u32(c, 0x01000164);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_get_hyp_resources(struct gunyah_sim_rm *rm,
					   struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm;
	unsigned int i, n = 0;
	u8 *e;

	if (c->len != 4)
		return GUNYAH_SIM_RM_MSG_INVALID;
	vm = xa_load(&rm->vms, get_unaligned_le16(c->req));
	if (!vm)
		return GUNYAH_SIM_RM_ARG_INVALID;
	if (vm->state == GUNYAH_SIM_VM_LOAD || vm->state == GUNYAH_SIM_VM_AUTH ||
	    vm->state == GUNYAH_SIM_VM_RESET)
		return GUNYAH_SIM_RM_NORESOURCE;

	if (vm->owner == c->client->vmid)
		n = vm->nvcpus;
	memset(c->reply, 0, 4 + n * GUNYAH_SIM_RM_RES_ENTRY_SIZE);
	put_unaligned_le32(n, c->reply);
	for (i = 0; i < n; i++) {
		e = c->reply + 4 + i * GUNYAH_SIM_RM_RES_ENTRY_SIZE;
		e[0] = GUNYAH_SIM_RM_RES_VCPU;
		put_unaligned_le16(vm->vmid, e + 2);
		put_unaligned_le32(i, e + 8);
		put_unaligned_le64(vm->vcpus[i]->capid, e + 12);
		put_unaligned_le32(vm->vcpus[i]->intid, e + 24);
	}
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
	struct gunyah_sim_rm_vm *vm;
	u32 err;

	if (c->len != 24)
		return GUNYAH_SIM_RM_MSG_INVALID;
	vm = gunyah_sim_vm_owned(rm, c, get_unaligned_le16(c->req),
				 GUNYAH_SIM_RM_DENIED, &err);
	if (!vm)
		return err;
	if (vm->state != GUNYAH_SIM_VM_INIT)
		return GUNYAH_SIM_RM_VM_STATE;
	gunyah_sim_reply_u32(c, GUNYAH_ERROR_ARG_INVAL);
	return GUNYAH_SIM_RM_NORESOURCE;
}

static u32 gunyah_sim_vm_set_boot_context(struct gunyah_sim_rm *rm,
					  struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm;
	u8 set, index;
	u32 err;

	if (c->len != 16)
		return GUNYAH_SIM_RM_MSG_INVALID;
	vm = gunyah_sim_vm_owned(rm, c, get_unaligned_le16(c->req),
				 GUNYAH_SIM_RM_DENIED, &err);
	if (!vm)
		return err;
	if (vm->state != GUNYAH_SIM_VM_READY)
		return GUNYAH_SIM_RM_VM_STATE;
	set = c->req[2];
	index = c->req[3];
	if ((set == 0 && index > 31) || (set == 1 && index) ||
	    (set == 2 && index > 2) || set > 2)
		return GUNYAH_SIM_RM_ARG_INVALID;
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_set_demand_paging(struct gunyah_sim_rm *rm,
					   struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm;
	u32 err;

	if (c->len < 8 ||
	    c->len != 8 + 16 * (size_t)get_unaligned_le32(c->req + 4))
		return GUNYAH_SIM_RM_MSG_INVALID;
	vm = gunyah_sim_vm_owned(rm, c, get_unaligned_le16(c->req),
				 GUNYAH_SIM_RM_DENIED, &err);
	if (!vm)
		return err;
	if (vm->state != GUNYAH_SIM_VM_INIT)
		return GUNYAH_SIM_RM_VM_STATE;
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_vm_set_address_layout(struct gunyah_sim_rm *rm,
					    struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_vm *vm;
	u32 err;

	if (c->len != 24)
		return GUNYAH_SIM_RM_MSG_INVALID;
	vm = gunyah_sim_vm_owned(rm, c, get_unaligned_le16(c->req),
				 GUNYAH_SIM_RM_DENIED, &err);
	if (!vm)
		return err;
	if (get_unaligned_le32(c->req + 4) > 1)
		return GUNYAH_SIM_RM_ARG_INVALID;
	if (vm->state != GUNYAH_SIM_VM_INIT)
		return GUNYAH_SIM_RM_VM_STATE;
	return GUNYAH_SIM_RM_OK;
}

static const struct {
	u32 msg_id;
	bool full_only;
	gunyah_sim_rm_handler_t handler;
} gunyah_sim_vm_handlers[] = {
	{ GUNYAH_SIM_RM_VM_ALLOCATE, false, gunyah_sim_vm_allocate },
	{ GUNYAH_SIM_RM_VM_DEALLOCATE, false, gunyah_sim_vm_deallocate },
	{ GUNYAH_SIM_RM_VM_START, false, gunyah_sim_vm_start },
	{ GUNYAH_SIM_RM_VM_STOP, false, gunyah_sim_vm_stop },
	{ GUNYAH_SIM_RM_VM_RESET, false, gunyah_sim_vm_reset },
	{ GUNYAH_SIM_RM_VM_CONFIG_IMAGE, false, gunyah_sim_vm_config_image },
	{ GUNYAH_SIM_RM_VM_INIT, false, gunyah_sim_vm_init },
	{ GUNYAH_SIM_RM_VM_GET_STATE, false, gunyah_sim_vm_get_state },
	{ GUNYAH_SIM_RM_VM_GET_HYP_RES, false,
	  gunyah_sim_vm_get_hyp_resources },
	{ GUNYAH_SIM_RM_VM_GET_VMID, false, gunyah_sim_vm_get_vmid },
	{ GUNYAH_SIM_RM_VM_HOST_GET_TYPE, false, gunyah_sim_vm_host_get_type },
	{ GUNYAH_SIM_RM_VM_SET_FW_MEM, false, gunyah_sim_vm_set_firmware_mem },
	{ GUNYAH_SIM_RM_VM_SET_BOOT_CTX, true, gunyah_sim_vm_set_boot_context },
	{ GUNYAH_SIM_RM_VM_SET_DEMAND_PG, true,
	  gunyah_sim_vm_set_demand_paging },
	{ GUNYAH_SIM_RM_VM_SET_ADDR_LAYOUT, true,
	  gunyah_sim_vm_set_address_layout },
};

/**
 * gunyah_sim_rm_vm_handler() - The handler of a VM message
 * @msg_id: the message ID
 * @full: whether the full profile is active
 *
 * Return: the handler, or NULL.
 */
gunyah_sim_rm_handler_t gunyah_sim_rm_vm_handler(u32 msg_id, bool full)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(gunyah_sim_vm_handlers); i++)
		if (gunyah_sim_vm_handlers[i].msg_id == msg_id &&
		    (full || !gunyah_sim_vm_handlers[i].full_only))
			return gunyah_sim_vm_handlers[i].handler;
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
 * gunyah_sim_rm_vm_is_running() - Whether a VM runs (so holds its memory)
 * @rm: the RM
 * @vmid: the VMID
 *
 * Return: true for HLOS and for RUNNING or PAUSED VMs.
 */
bool gunyah_sim_rm_vm_is_running(struct gunyah_sim_rm *rm, u16 vmid)
{
	struct gunyah_sim_rm_vm *vm = xa_load(&rm->vms, vmid);

	if (vmid == GUNYAH_SIM_VMID_HLOS)
		return true;
	return vm && (vm->state == GUNYAH_SIM_VM_RUNNING ||
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
			pr_warn("VM %lu still allocated (state %u)\n", vmid,
				vm->state);
		gunyah_sim_vm_free(rm, vm);
	}
}
