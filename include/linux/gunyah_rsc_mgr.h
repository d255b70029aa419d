/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Gunyah Resource Manager: the VM that creates and runs other VMs on
 * request, reached by RPC over a pair of message queues.
 */

#ifndef _LINUX_GUNYAH_RSC_MGR_H
#define _LINUX_GUNYAH_RSC_MGR_H

#include <linux/gunyah.h>
#include <linux/notifier.h>
#include <linux/types.h>

struct gunyah_rm;

/* VMIDs with a fixed meaning. */
#define GUNYAH_VMID_HYP		0
#define GUNYAH_VMID_HLOS	3
#define GUNYAH_VMID_ROOT_VM	0xff
#define GUNYAH_VMID_INVAL	U16_MAX

/* The largest request the RM takes: 62 fragments of 232 payload bytes. */
#define GUNYAH_RM_MAX_REQUEST_SIZE	(62 * 232)

/**
 * enum gunyah_rm_error - Error codes in the RM's replies
 * @GUNYAH_RM_ERROR_OK: success
 * @GUNYAH_RM_ERROR_UNIMPLEMENTED: the RM does not handle this message
 * @GUNYAH_RM_ERROR_NOMEM: the RM is out of memory
 * @GUNYAH_RM_ERROR_NORESOURCE: no such resource is free
 * @GUNYAH_RM_ERROR_DENIED: the caller may not do this
 * @GUNYAH_RM_ERROR_MSG_INVALID: the message is malformed
 * @GUNYAH_RM_ERROR_BUSY: the resource is busy
 * @GUNYAH_RM_ERROR_ARGUMENT_INVALID: an argument is invalid
 * @GUNYAH_RM_ERROR_HANDLE_INVALID: no object has this handle
 * @GUNYAH_RM_ERROR_VALIDATE_FAILED: validation of the request failed
 * @GUNYAH_RM_ERROR_MAP_FAILED: mapping memory failed
 * @GUNYAH_RM_ERROR_MEM_INVALID: the memory is not the caller's to give
 * @GUNYAH_RM_ERROR_MEM_INUSE: the memory is still in use by a recipient
 * @GUNYAH_RM_ERROR_MEM_RELEASED: the memory was already released
 * @GUNYAH_RM_ERROR_VMID_INVALID: no such VM, or not the caller's
 * @GUNYAH_RM_ERROR_LOOKUP_FAILED: nothing matches the lookup
 * @GUNYAH_RM_ERROR_IRQ_INVALID: no such interrupt
 * @GUNYAH_RM_ERROR_IRQ_INUSE: the interrupt is in use
 * @GUNYAH_RM_ERROR_IRQ_RELEASED: the interrupt was already released
 * @GUNYAH_RM_ERROR_IN_USE: the object is in use
 * @GUNYAH_RM_ERROR_IRQ_NOT_MAPPED: the interrupt is not mapped
 * @GUNYAH_RM_ERROR_VM_STATE: the VM is in the wrong state for this
 */
enum gunyah_rm_error {
	GUNYAH_RM_ERROR_OK			= 0x0,
	GUNYAH_RM_ERROR_UNIMPLEMENTED		= 0xffffffff,
	GUNYAH_RM_ERROR_NOMEM			= 0x1,
	GUNYAH_RM_ERROR_NORESOURCE		= 0x2,
	GUNYAH_RM_ERROR_DENIED			= 0x3,
	GUNYAH_RM_ERROR_MSG_INVALID		= 0x4,
	GUNYAH_RM_ERROR_BUSY			= 0x5,
	GUNYAH_RM_ERROR_ARGUMENT_INVALID	= 0x6,
	GUNYAH_RM_ERROR_HANDLE_INVALID		= 0x7,
	GUNYAH_RM_ERROR_VALIDATE_FAILED		= 0x8,
	GUNYAH_RM_ERROR_MAP_FAILED		= 0x9,
	GUNYAH_RM_ERROR_MEM_INVALID		= 0xa,
	GUNYAH_RM_ERROR_MEM_INUSE		= 0xb,
	GUNYAH_RM_ERROR_MEM_RELEASED		= 0xc,
	GUNYAH_RM_ERROR_VMID_INVALID		= 0xd,
	GUNYAH_RM_ERROR_LOOKUP_FAILED		= 0xe,
	GUNYAH_RM_ERROR_IRQ_INVALID		= 0xf,
	GUNYAH_RM_ERROR_IRQ_INUSE		= 0x10,
	GUNYAH_RM_ERROR_IRQ_RELEASED		= 0x11,
	GUNYAH_RM_ERROR_IN_USE			= 0x12,
	GUNYAH_RM_ERROR_IRQ_NOT_MAPPED		= 0x13,
	GUNYAH_RM_ERROR_VM_STATE		= 0x14,
};

int gunyah_rm_error_remap(enum gunyah_rm_error rm_error);

/**
 * struct gunyah_rm_notification - A notification from the RM
 * @data: its payload
 * @size: size of @data
 *
 * Passed as the data of the notifier chain, whose action is the message ID.
 */
struct gunyah_rm_notification {
	const void *data;
	size_t size;
};

int gunyah_rm_call(struct gunyah_rm *rm, u32 message_id, const void *req,
		   size_t req_size, void **resp, size_t *resp_size);
bool gunyah_rm_supports(struct gunyah_rm *rm, u32 message_id);
int gunyah_rm_notifier_register(struct gunyah_rm *rm,
				struct notifier_block *nb);
int gunyah_rm_notifier_unregister(struct gunyah_rm *rm,
				  struct notifier_block *nb);

/* RM message IDs a host VM manager uses. */
#define GUNYAH_RM_RPC_MEM_DONATE		0x51000010
#define GUNYAH_RM_RPC_MEM_LEND			0x51000012
#define GUNYAH_RM_RPC_MEM_SHARE			0x51000013
#define GUNYAH_RM_RPC_MEM_RECLAIM		0x51000015
#define GUNYAH_RM_RPC_MEM_NOTIFY		0x51000017
#define GUNYAH_RM_RPC_MEM_APPEND		0x51000018
#define GUNYAH_RM_RPC_VM_ALLOC_VMID		0x56000001
#define GUNYAH_RM_RPC_VM_DEALLOC_VMID		0x56000002
#define GUNYAH_RM_RPC_VM_START			0x56000004
#define GUNYAH_RM_RPC_VM_STOP			0x56000005
#define GUNYAH_RM_RPC_VM_RESET			0x56000006
#define GUNYAH_RM_RPC_VM_CONFIG_IMAGE		0x56000009
#define GUNYAH_RM_RPC_VM_INIT			0x5600000b
#define GUNYAH_RM_RPC_VM_GET_STATE		0x56000017
#define GUNYAH_RM_RPC_VM_GET_HYP_RESOURCES	0x56000020
#define GUNYAH_RM_RPC_VM_GET_VMID		0x56000024
#define GUNYAH_RM_RPC_VM_SET_BOOT_CONTEXT	0x56000031
#define GUNYAH_RM_RPC_VM_SET_FIRMWARE_MEM	0x56000032
#define GUNYAH_RM_RPC_VM_SET_DEMAND_PAGING	0x56000033
#define GUNYAH_RM_RPC_VM_SET_ADDRESS_LAYOUT	0x56000034

/* Notifications. */
#define GUNYAH_RM_NOTIFICATION_VM_EXITED	0x56100001
#define GUNYAH_RM_NOTIFICATION_VM_STATUS	0x56100008

/* Most entries one list of a memory parcel request may carry. */
#define GUNYAH_RM_MAX_MEM_ENTRIES		512

#define GUNYAH_RM_ACL_X				BIT(0)
#define GUNYAH_RM_ACL_W				BIT(1)
#define GUNYAH_RM_ACL_R				BIT(2)

/**
 * struct gunyah_rm_mem_acl_entry - Who may access a memory parcel, and how
 * @vmid: the VM
 * @perms: %GUNYAH_RM_ACL_R, %GUNYAH_RM_ACL_W and %GUNYAH_RM_ACL_X
 * @reserved: must be 0
 */
struct gunyah_rm_mem_acl_entry {
	__le16 vmid;
	u8 perms;
	u8 reserved;
} __packed;

/**
 * struct gunyah_rm_mem_entry - A range of a memory parcel
 * @phys_addr: start, in the owner's address space; 4 KiB aligned
 * @size: size; 4 KiB aligned
 */
struct gunyah_rm_mem_entry {
	__le64 phys_addr;
	__le64 size;
} __packed;

/**
 * struct gunyah_rm_mem_attr_entry - Memory attributes of a parcel for a VM
 * @attr: 0 normal, 1 device, 2 uncached, 3 cached
 * @vmid: the VM
 */
struct gunyah_rm_mem_attr_entry {
	__le16 attr;
	__le16 vmid;
} __packed;

/**
 * enum gunyah_rm_mem_type - Kinds of memory in a parcel
 * @GUNYAH_RM_MEM_TYPE_NORMAL: ordinary memory
 * @GUNYAH_RM_MEM_TYPE_IO: device memory
 */
enum gunyah_rm_mem_type {
	GUNYAH_RM_MEM_TYPE_NORMAL	= 0,
	GUNYAH_RM_MEM_TYPE_IO		= 1,
};

/* Parcel flags of lend, share and donate. */
#define GUNYAH_RM_MEM_FLAGS_SANITIZE	BIT(0)
#define GUNYAH_RM_MEM_FLAGS_APPEND	BIT(1)

/**
 * struct gunyah_rm_mem_parcel - Memory given to other VMs
 * @mem_type: normal or device memory
 * @flags: %GUNYAH_RM_MEM_FLAGS_SANITIZE or 0
 * @label: the caller's tag for the parcel
 * @n_acl_entries: entries in @acl_entries (1 to 512)
 * @acl_entries: who gets access
 * @n_mem_entries: entries in @mem_entries (at least 1)
 * @mem_entries: the ranges
 * @n_attr_entries: entries in @attr_entries (0 to 512)
 * @attr_entries: memory attributes per VM
 * @mem_handle: set to the RM's handle for the parcel once it exists
 */
struct gunyah_rm_mem_parcel {
	enum gunyah_rm_mem_type mem_type;
	u8 flags;
	u32 label;
	size_t n_acl_entries;
	struct gunyah_rm_mem_acl_entry *acl_entries;
	size_t n_mem_entries;
	struct gunyah_rm_mem_entry *mem_entries;
	size_t n_attr_entries;
	struct gunyah_rm_mem_attr_entry *attr_entries;
	u32 mem_handle;
};

#define GUNYAH_RM_MEM_HANDLE_INVAL	U32_MAX

/**
 * enum gunyah_rm_vm_auth_mechanism - How the RM authenticates a VM's image
 * @GUNYAH_RM_VM_AUTH_NONE: no authentication
 * @GUNYAH_RM_VM_AUTH_QCOM_PIL_ELF: platform authentication
 * @GUNYAH_RM_VM_AUTH_QCOM_ANDROID_PVM: Android protected VM firmware
 */
enum gunyah_rm_vm_auth_mechanism {
	GUNYAH_RM_VM_AUTH_NONE			= 0,
	GUNYAH_RM_VM_AUTH_QCOM_PIL_ELF		= 1,
	GUNYAH_RM_VM_AUTH_QCOM_ANDROID_PVM	= 2,
};

/**
 * enum gunyah_rm_vm_status - VM states of the RM
 * @GUNYAH_RM_VM_STATUS_NO_STATE: none
 * @GUNYAH_RM_VM_STATUS_INIT: configured
 * @GUNYAH_RM_VM_STATUS_READY: initialised, can start
 * @GUNYAH_RM_VM_STATUS_RUNNING: running
 * @GUNYAH_RM_VM_STATUS_PAUSED: paused
 * @GUNYAH_RM_VM_STATUS_LOAD: VMID allocated
 * @GUNYAH_RM_VM_STATUS_AUTH: waiting for authentication
 * @GUNYAH_RM_VM_STATUS_INIT_FAILED: configuration or start failed
 * @GUNYAH_RM_VM_STATUS_EXITED: stopped
 * @GUNYAH_RM_VM_STATUS_RESETTING: being reset
 * @GUNYAH_RM_VM_STATUS_RESET: reset; can be configured again or deallocated
 */
enum gunyah_rm_vm_status {
	GUNYAH_RM_VM_STATUS_NO_STATE	= 0,
	GUNYAH_RM_VM_STATUS_INIT	= 1,
	GUNYAH_RM_VM_STATUS_READY	= 2,
	GUNYAH_RM_VM_STATUS_RUNNING	= 3,
	GUNYAH_RM_VM_STATUS_PAUSED	= 4,
	GUNYAH_RM_VM_STATUS_LOAD	= 5,
	GUNYAH_RM_VM_STATUS_AUTH	= 6,
	GUNYAH_RM_VM_STATUS_INIT_FAILED	= 8,
	GUNYAH_RM_VM_STATUS_EXITED	= 9,
	GUNYAH_RM_VM_STATUS_RESETTING	= 10,
	GUNYAH_RM_VM_STATUS_RESET	= 11,
};

/**
 * struct gunyah_rm_vm_status_payload - Payload of a VM status notification
 * @vmid: the VM
 * @reserved: 0
 * @vm_status: &enum gunyah_rm_vm_status
 * @os_status: state of the guest OS
 * @app_status: state of the guest application
 */
struct gunyah_rm_vm_status_payload {
	__le16 vmid;
	u16 reserved;
	u8 vm_status;
	u8 os_status;
	__le16 app_status;
} __packed;

/**
 * struct gunyah_rm_vm_exited_payload - Payload of a VM exited notification
 * @vmid: the VM
 * @exit_type: why it exited
 * @exit_reason_size: bytes in @exit_reason
 * @exit_reason: details of the exit
 */
struct gunyah_rm_vm_exited_payload {
	__le16 vmid;
	__le16 exit_type;
	__le32 exit_reason_size;
	u8 exit_reason[] __counted_by_le(exit_reason_size);
} __packed;

/* VM_STOP flags and the reason Linux gives. */
#define GUNYAH_RM_VM_STOP_FLAG_FORCE_STOP	BIT(0)
#define GUNYAH_RM_VM_STOP_REASON_FORCE_STOP	3

/**
 * enum gunyah_rm_resource_type - Kinds of hypervisor resource given to a host
 * @GUNYAH_RESOURCE_TYPE_BELL_TX: a doorbell the host rings
 * @GUNYAH_RESOURCE_TYPE_BELL_RX: a doorbell the host receives
 * @GUNYAH_RESOURCE_TYPE_MSGQ_TX: a message queue the host sends on
 * @GUNYAH_RESOURCE_TYPE_MSGQ_RX: a message queue the host receives from
 * @GUNYAH_RESOURCE_TYPE_VCPU: a vCPU of the guest
 * @GUNYAH_RESOURCE_TYPE_VPM_GROUP: a power-management group
 * @GUNYAH_RESOURCE_TYPE_VIRTIO_MMIO: a virtio-mmio backend
 * @GUNYAH_RESOURCE_TYPE_VRTC: a virtual RTC
 * @GUNYAH_RESOURCE_TYPE_WATCHDOG: a watchdog
 * @GUNYAH_RESOURCE_TYPE_MEM_EXTENT: a memory extent (demand paging)
 * @GUNYAH_RESOURCE_TYPE_ADDR_SPACE: the guest address space (demand paging)
 */
enum gunyah_rm_resource_type {
	GUNYAH_RESOURCE_TYPE_BELL_TX		= 0,
	GUNYAH_RESOURCE_TYPE_BELL_RX		= 1,
	GUNYAH_RESOURCE_TYPE_MSGQ_TX		= 2,
	GUNYAH_RESOURCE_TYPE_MSGQ_RX		= 3,
	GUNYAH_RESOURCE_TYPE_VCPU		= 4,
	GUNYAH_RESOURCE_TYPE_VPM_GROUP		= 5,
	GUNYAH_RESOURCE_TYPE_VIRTIO_MMIO	= 6,
	GUNYAH_RESOURCE_TYPE_VRTC		= 7,
	GUNYAH_RESOURCE_TYPE_WATCHDOG		= 8,
	GUNYAH_RESOURCE_TYPE_MEM_EXTENT		= 9,
	GUNYAH_RESOURCE_TYPE_ADDR_SPACE		= 10,
};

/**
 * struct gunyah_rm_hyp_resource - One hypervisor resource of a VM (44 bytes)
 * @type: &enum gunyah_rm_resource_type
 * @reserved: 0
 * @partner_vmid: the VM the resource belongs to
 * @resource_handle: RM handle, 0 for these entries
 * @resource_label: label from the VM's configuration (vCPU index for vCPUs)
 * @cap_id: capability in the host's capability space
 * @virq_handle: 0
 * @virq: interrupt of the resource in the host's interrupt controller, or 0
 * @base: base address (virtio-mmio)
 * @size: size (virtio-mmio)
 */
struct gunyah_rm_hyp_resource {
	u8 type;
	u8 reserved;
	__le16 partner_vmid;
	__le32 resource_handle;
	__le32 resource_label;
	__le64 cap_id;
	__le32 virq_handle;
	__le32 virq;
	__le64 base;
	__le64 size;
} __packed;

/**
 * struct gunyah_rm_hyp_resources - Reply of VM_GET_HYP_RESOURCES
 * @n_entries: entries in @entries
 * @entries: the resources
 */
struct gunyah_rm_hyp_resources {
	__le32 n_entries;
	struct gunyah_rm_hyp_resource entries[] __counted_by_le(n_entries);
} __packed;

/**
 * enum gunyah_rm_boot_context_reg - Register sets of VM_SET_BOOT_CONTEXT
 * @GUNYAH_RM_BOOT_CONTEXT_X: general purpose registers X0..X31
 * @GUNYAH_RM_BOOT_CONTEXT_PC: the program counter
 * @GUNYAH_RM_BOOT_CONTEXT_SP: the stack pointers SP_EL0..SP_EL2
 */
enum gunyah_rm_boot_context_reg {
	GUNYAH_RM_BOOT_CONTEXT_X	= 0,
	GUNYAH_RM_BOOT_CONTEXT_PC	= 1,
	GUNYAH_RM_BOOT_CONTEXT_SP	= 2,
};

/**
 * enum gunyah_rm_range_id - Ranges of VM_SET_ADDRESS_LAYOUT
 * @GUNYAH_RM_RANGE_ID_IMAGE: where the VM image is
 * @GUNYAH_RM_RANGE_ID_FIRMWARE: where the VM firmware is
 */
enum gunyah_rm_range_id {
	GUNYAH_RM_RANGE_ID_IMAGE	= 0,
	GUNYAH_RM_RANGE_ID_FIRMWARE	= 1,
};

/**
 * struct gunyah_rm_range - A guest address range
 * @base: start
 * @size: size
 */
struct gunyah_rm_range {
	__le64 base;
	__le64 size;
} __packed;

int gunyah_rm_alloc_vmid(struct gunyah_rm *rm, u16 vmid);
int gunyah_rm_dealloc_vmid(struct gunyah_rm *rm, u16 vmid);
int gunyah_rm_vm_reset(struct gunyah_rm *rm, u16 vmid);
int gunyah_rm_vm_start(struct gunyah_rm *rm, u16 vmid);
int gunyah_rm_vm_stop(struct gunyah_rm *rm, u16 vmid, u8 flags, u32 reason);
int gunyah_rm_vm_init(struct gunyah_rm *rm, u16 vmid);
int gunyah_rm_vm_configure(struct gunyah_rm *rm, u16 vmid,
			   enum gunyah_rm_vm_auth_mechanism auth_mechanism,
			   u32 mem_handle, u64 image_offset, u64 image_size,
			   u64 dtb_offset, u64 dtb_size);
int gunyah_rm_vm_get_state(struct gunyah_rm *rm, u16 vmid,
			   enum gunyah_rm_vm_status *vm_status, u8 *os_status,
			   u16 *app_status);
int gunyah_rm_get_vmid(struct gunyah_rm *rm, u16 *vmid);
int gunyah_rm_get_hyp_resources(struct gunyah_rm *rm, u16 vmid,
				struct gunyah_rm_hyp_resources **resources);
int gunyah_rm_vm_set_boot_context(struct gunyah_rm *rm, u16 vmid, u8 reg_set,
				  u8 reg_index, u64 value);
int gunyah_rm_vm_set_demand_paging(struct gunyah_rm *rm, u16 vmid, u32 count,
				   const struct gunyah_rm_range *ranges);
int gunyah_rm_vm_set_address_layout(struct gunyah_rm *rm, u16 vmid,
				    enum gunyah_rm_range_id range_id,
				    u64 base, u64 size);
int gunyah_rm_vm_set_firmware_mem(struct gunyah_rm *rm, u16 vmid,
				  u32 mem_handle, u64 offset, u64 size);

int gunyah_rm_mem_lend(struct gunyah_rm *rm,
		       struct gunyah_rm_mem_parcel *parcel);
int gunyah_rm_mem_share(struct gunyah_rm *rm,
			struct gunyah_rm_mem_parcel *parcel);
int gunyah_rm_mem_donate(struct gunyah_rm *rm,
			 struct gunyah_rm_mem_parcel *parcel);
int gunyah_rm_mem_reclaim(struct gunyah_rm *rm, u32 mem_handle, u8 flags);
int gunyah_rm_mem_notify(struct gunyah_rm *rm, u32 mem_handle, u8 flags,
			 u32 mem_info_tag, size_t n_vmids, const u16 *vmids);

#endif
