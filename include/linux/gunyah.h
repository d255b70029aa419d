/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Types and hypercall interface of the Gunyah hypervisor.
 *
 * Gunyah is a type-1 hypervisor for arm64. Calls into it follow the SMC
 * Calling Convention as vendor-specific hypervisor service calls; this header
 * describes the values those calls exchange and the functions that issue them.
 */

#ifndef _LINUX_GUNYAH_H
#define _LINUX_GUNYAH_H

#include <linux/arm-smccc.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/types.h>
#include <linux/uuid.h>

/* Capability identifier of a hypervisor object; opaque to Linux. */
#define GUNYAH_CAPID_INVAL	U64_MAX

/**
 * enum gunyah_error - Error codes returned by Gunyah hypercalls
 * @GUNYAH_ERROR_OK: success
 * @GUNYAH_ERROR_UNIMPLEMENTED: the call is not implemented by this hypervisor
 * @GUNYAH_ERROR_RETRY: a transient condition; the call may be repeated
 * @GUNYAH_ERROR_ARG_INVAL: an argument is invalid
 * @GUNYAH_ERROR_ARG_SIZE: a size argument is invalid
 * @GUNYAH_ERROR_ARG_ALIGN: an argument is misaligned
 * @GUNYAH_ERROR_NOMEM: the hypervisor is out of memory
 * @GUNYAH_ERROR_NORESOURCES: the hypervisor is out of some other resource
 * @GUNYAH_ERROR_ADDR_OVFL: an address range overflows
 * @GUNYAH_ERROR_ADDR_UNFL: an address range underflows
 * @GUNYAH_ERROR_ADDR_INVAL: an address is not valid for the call
 * @GUNYAH_ERROR_DENIED: the operation is not permitted
 * @GUNYAH_ERROR_BUSY: the object is busy
 * @GUNYAH_ERROR_IDLE: the object is idle
 * @GUNYAH_ERROR_OBJECT_STATE: the object is in the wrong state
 * @GUNYAH_ERROR_OBJECT_CONFIG: the object's configuration is invalid
 * @GUNYAH_ERROR_OBJECT_CONFIGURED: the object is already configured
 * @GUNYAH_ERROR_FAILURE: unspecified failure
 * @GUNYAH_ERROR_VIRQ_BOUND: the virtual interrupt is already bound
 * @GUNYAH_ERROR_VIRQ_NOT_BOUND: the virtual interrupt is not bound
 * @GUNYAH_ERROR_CSPACE_CAP_NULL: the capability does not exist
 * @GUNYAH_ERROR_CSPACE_CAP_REVOKED: the capability was revoked
 * @GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE: the capability names another kind of object
 * @GUNYAH_ERROR_CSPACE_INSUF_RIGHTS: the capability lacks a required right
 * @GUNYAH_ERROR_CSPACE_FULL: the capability space is full
 * @GUNYAH_ERROR_MSGQUEUE_EMPTY: the message queue has no message
 * @GUNYAH_ERROR_MSGQUEUE_FULL: the message queue has no room
 * @GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING: a memory range overlaps another
 * @GUNYAH_ERROR_ALLOCATOR_MEM_INUSE: the memory is in use
 * @GUNYAH_ERROR_MEMDB_EMPTY: the memory database has no entry for the range
 * @GUNYAH_ERROR_MEMDB_NOT_OWNER: the caller does not own the memory
 * @GUNYAH_ERROR_MEMEXTENT_MAPPINGS_FULL: the memory extent has no free mapping
 * @GUNYAH_ERROR_MEMEXTENT_TYPE: the memory extent has the wrong type
 * @GUNYAH_ERROR_EXISTING_MAPPING: the address range is already mapped
 *
 * The hypervisor returns these in a full register; negative values are
 * sign-extended.
 */
enum gunyah_error {
	GUNYAH_ERROR_OK				= 0,
	GUNYAH_ERROR_UNIMPLEMENTED		= -1,
	GUNYAH_ERROR_RETRY			= -2,

	GUNYAH_ERROR_ARG_INVAL			= 1,
	GUNYAH_ERROR_ARG_SIZE			= 2,
	GUNYAH_ERROR_ARG_ALIGN			= 3,

	GUNYAH_ERROR_NOMEM			= 10,
	GUNYAH_ERROR_NORESOURCES		= 11,

	GUNYAH_ERROR_ADDR_OVFL			= 20,
	GUNYAH_ERROR_ADDR_UNFL			= 21,
	GUNYAH_ERROR_ADDR_INVAL			= 22,

	GUNYAH_ERROR_DENIED			= 30,
	GUNYAH_ERROR_BUSY			= 31,
	GUNYAH_ERROR_IDLE			= 32,
	GUNYAH_ERROR_OBJECT_STATE		= 33,
	GUNYAH_ERROR_OBJECT_CONFIG		= 34,
	GUNYAH_ERROR_OBJECT_CONFIGURED		= 35,
	GUNYAH_ERROR_FAILURE			= 36,

	GUNYAH_ERROR_VIRQ_BOUND			= 40,
	GUNYAH_ERROR_VIRQ_NOT_BOUND		= 41,

	GUNYAH_ERROR_CSPACE_CAP_NULL		= 50,
	GUNYAH_ERROR_CSPACE_CAP_REVOKED		= 51,
	GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE	= 52,
	GUNYAH_ERROR_CSPACE_INSUF_RIGHTS	= 53,
	GUNYAH_ERROR_CSPACE_FULL		= 54,

	GUNYAH_ERROR_MSGQUEUE_EMPTY		= 60,
	GUNYAH_ERROR_MSGQUEUE_FULL		= 61,

	GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING = 100,
	GUNYAH_ERROR_ALLOCATOR_MEM_INUSE	= 101,

	GUNYAH_ERROR_MEMDB_EMPTY		= 110,
	GUNYAH_ERROR_MEMDB_NOT_OWNER		= 111,

	GUNYAH_ERROR_MEMEXTENT_MAPPINGS_FULL	= 120,
	GUNYAH_ERROR_MEMEXTENT_TYPE		= 121,

	GUNYAH_ERROR_EXISTING_MAPPING		= 200,
};

/**
 * gunyah_error_remap() - Map a Gunyah hypercall error to a Linux errno
 * @gunyah_error: the error code returned by the hypervisor
 *
 * Every code the hypervisor defines has its own entry; a code this table does
 * not know (from a newer hypervisor) maps to -EIO so that it is never taken
 * for a caller's mistake.
 *
 * Return: 0 for %GUNYAH_ERROR_OK, otherwise a negative errno.
 */
static inline int gunyah_error_remap(enum gunyah_error gunyah_error)
{
	switch (gunyah_error) {
	case GUNYAH_ERROR_OK:
		return 0;
	case GUNYAH_ERROR_UNIMPLEMENTED:
		return -EOPNOTSUPP;
	case GUNYAH_ERROR_RETRY:
		return -EAGAIN;
	case GUNYAH_ERROR_ARG_INVAL:
	case GUNYAH_ERROR_ARG_SIZE:
	case GUNYAH_ERROR_ARG_ALIGN:
	case GUNYAH_ERROR_ADDR_UNFL:
	case GUNYAH_ERROR_OBJECT_CONFIG:
	case GUNYAH_ERROR_MEMEXTENT_TYPE:
		return -EINVAL;
	case GUNYAH_ERROR_NOMEM:
		return -ENOMEM;
	case GUNYAH_ERROR_NORESOURCES:
	case GUNYAH_ERROR_CSPACE_FULL:
	case GUNYAH_ERROR_MEMEXTENT_MAPPINGS_FULL:
		return -ENOSPC;
	case GUNYAH_ERROR_ADDR_OVFL:
		return -EOVERFLOW;
	case GUNYAH_ERROR_ADDR_INVAL:
		return -EFAULT;
	case GUNYAH_ERROR_DENIED:
	case GUNYAH_ERROR_CSPACE_CAP_NULL:
	case GUNYAH_ERROR_CSPACE_CAP_REVOKED:
	case GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE:
	case GUNYAH_ERROR_CSPACE_INSUF_RIGHTS:
		return -EACCES;
	case GUNYAH_ERROR_MEMDB_NOT_OWNER:
		return -EPERM;
	case GUNYAH_ERROR_BUSY:
	case GUNYAH_ERROR_IDLE:
	case GUNYAH_ERROR_OBJECT_STATE:
	case GUNYAH_ERROR_VIRQ_BOUND:
	case GUNYAH_ERROR_ALLOCATOR_MEM_INUSE:
		return -EBUSY;
	case GUNYAH_ERROR_OBJECT_CONFIGURED:
	case GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING:
	case GUNYAH_ERROR_EXISTING_MAPPING:
		return -EEXIST;
	case GUNYAH_ERROR_VIRQ_NOT_BOUND:
	case GUNYAH_ERROR_MEMDB_EMPTY:
		return -ENOENT;
	case GUNYAH_ERROR_MSGQUEUE_EMPTY:
		return -ENODATA;
	case GUNYAH_ERROR_MSGQUEUE_FULL:
		return -ENOBUFS;
	case GUNYAH_ERROR_FAILURE:
	default:
		return -EIO;
	}
}

/*
 * Hypercall numbers. A hypercall is issued as a fast, 64-bit SMCCC call
 * owned by the vendor-specific hypervisor service, with the call number in
 * bits 13:0 and the hypercall class (0b10) in bits 15:14 of the function ID.
 */
#define GUNYAH_HYPERCALL_CLASS			0x8000
#define GUNYAH_HYPERCALL(num)						\
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_64,	\
			   ARM_SMCCC_OWNER_VENDOR_HYP,			\
			   GUNYAH_HYPERCALL_CLASS | (num))

#define GUNYAH_HYPERCALL_HYP_IDENTIFY		GUNYAH_HYPERCALL(0x00)
#define GUNYAH_HYPERCALL_BELL_SEND		GUNYAH_HYPERCALL(0x12)
#define GUNYAH_HYPERCALL_BELL_SET_MASK		GUNYAH_HYPERCALL(0x15)
#define GUNYAH_HYPERCALL_MSGQ_SEND		GUNYAH_HYPERCALL(0x1b)
#define GUNYAH_HYPERCALL_MSGQ_RECV		GUNYAH_HYPERCALL(0x1c)
#define GUNYAH_HYPERCALL_ADDRSPACE_MAP		GUNYAH_HYPERCALL(0x2b)
#define GUNYAH_HYPERCALL_ADDRSPACE_UNMAP	GUNYAH_HYPERCALL(0x2c)
#define GUNYAH_HYPERCALL_VCPU_SET_AFFINITY	GUNYAH_HYPERCALL(0x3d)
#define GUNYAH_HYPERCALL_VPM_GROUP_GET_STATE	GUNYAH_HYPERCALL(0x45)
#define GUNYAH_HYPERCALL_MEMEXTENT_DONATE	GUNYAH_HYPERCALL(0x61)
#define GUNYAH_HYPERCALL_VCPU_RUN		GUNYAH_HYPERCALL(0x65)

/*
 * The vendor-hypervisor service UID call (a fast SMC32 call, see
 * ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID) returns the UUID of the hypervisor
 * as four little-endian words in the low halves of X0..X3.
 */
#define GUNYAH_UUID UUID_INIT(0xc1d58fcd, 0xa453, 0x5fdb, 0x92, 0x65, \
			      0xce, 0x36, 0x67, 0x3d, 0x5f, 0x14)

/* Fields of the API information word returned by hyp_identify (X0). */
#define GUNYAH_API_INFO_API_VERSION_MASK	GENMASK_ULL(13, 0)
#define GUNYAH_API_INFO_BIG_ENDIAN		BIT_ULL(14)
#define GUNYAH_API_INFO_IS_64BIT		BIT_ULL(15)
#define GUNYAH_API_INFO_VARIANT_MASK		GENMASK_ULL(63, 56)

/* The only API version this driver speaks. */
#define GUNYAH_API_V1				1

/* Hypervisor variants reported in the API information word. */
#define GUNYAH_API_VARIANT_GUNYAH		0x48
#define GUNYAH_API_VARIANT_QUALCOMM		0x51

/**
 * enum gunyah_api_feature - Features reported in API flags 0 of hyp_identify
 * @GUNYAH_FEATURE_PARTITION_CSPACE: partition and capability-space calls
 * @GUNYAH_FEATURE_DOORBELL: doorbells
 * @GUNYAH_FEATURE_MSGQUEUE: message queues
 * @GUNYAH_FEATURE_VIC: virtual interrupt controller
 * @GUNYAH_FEATURE_VPM: virtual power-management groups
 * @GUNYAH_FEATURE_VCPU: virtual CPUs
 * @GUNYAH_FEATURE_MEMEXTENT: memory extents
 * @GUNYAH_FEATURE_TRACE_CTRL: trace control
 * @GUNYAH_FEATURE_WATCHDOG: virtual watchdog
 * @GUNYAH_FEATURE_VIRTIO_MMIO: virtio-mmio backends
 * @GUNYAH_FEATURE_PRNG: entropy source
 * @GUNYAH_FEATURE_VCPU_RUN: proxy scheduling with vcpu_run
 *
 * Each value is the bit number of the feature in API flags 0.
 */
enum gunyah_api_feature {
	GUNYAH_FEATURE_PARTITION_CSPACE	= 0,
	GUNYAH_FEATURE_DOORBELL		= 1,
	GUNYAH_FEATURE_MSGQUEUE		= 2,
	GUNYAH_FEATURE_VIC		= 3,
	GUNYAH_FEATURE_VPM		= 4,
	GUNYAH_FEATURE_VCPU		= 5,
	GUNYAH_FEATURE_MEMEXTENT	= 6,
	GUNYAH_FEATURE_TRACE_CTRL	= 7,
	GUNYAH_FEATURE_WATCHDOG		= 8,
	GUNYAH_FEATURE_VIRTIO_MMIO	= 9,
	GUNYAH_FEATURE_PRNG		= 10,
	GUNYAH_FEATURE_VCPU_RUN		= 11,
};

/* Scheduler variant, bits 31:28 of API flags 0. */
#define GUNYAH_API_FLAGS0_SCHEDULER_MASK	GENMASK_ULL(31, 28)

/**
 * struct gunyah_hypercall_hyp_identify_resp - Raw result of hyp_identify
 * @api_info: API version, endianness, width and variant
 * @flags: API flags 0, 1 and 2
 */
struct gunyah_hypercall_hyp_identify_resp {
	u64 api_info;
	u64 flags[3];
};

/**
 * gunyah_api_version() - API version in a hyp_identify result
 * @resp: the result of gunyah_hypercall_hyp_identify()
 *
 * Return: the API version number.
 */
static inline u16
gunyah_api_version(const struct gunyah_hypercall_hyp_identify_resp *resp)
{
	return FIELD_GET(GUNYAH_API_INFO_API_VERSION_MASK, resp->api_info);
}

/**
 * gunyah_api_variant() - Hypervisor variant in a hyp_identify result
 * @resp: the result of gunyah_hypercall_hyp_identify()
 *
 * Return: the variant byte, such as %GUNYAH_API_VARIANT_QUALCOMM.
 */
static inline u8
gunyah_api_variant(const struct gunyah_hypercall_hyp_identify_resp *resp)
{
	return FIELD_GET(GUNYAH_API_INFO_VARIANT_MASK, resp->api_info);
}

/* Message-queue send flag: raise the receiver's interrupt now. */
#define GUNYAH_HYPERCALL_MSGQ_TX_FLAGS_PUSH	BIT(0)

/**
 * struct gunyah_hypercall_vcpu_run_resp - Result of vcpu_run
 * @state: the vCPU run state (&enum gunyah_vcpu_run_state)
 * @sized_state: the run state as a full register, to spot out-of-range values
 * @state_data: data that goes with @state
 */
struct gunyah_hypercall_vcpu_run_resp {
	union {
		u32 state;
		u64 sized_state;
	};
	u64 state_data[3];
};

/**
 * enum gunyah_vcpu_run_state - Why vcpu_run returned
 * @GUNYAH_VCPU_STATE_READY: the vCPU can run again
 * @GUNYAH_VCPU_STATE_EXPECTS_WAKEUP: the vCPU waits for an interrupt
 * @GUNYAH_VCPU_STATE_POWERED_OFF: the vCPU is off
 * @GUNYAH_VCPU_STATE_BLOCKED: the vCPU is blocked in the hypervisor
 * @GUNYAH_VCPU_ADDRSPACE_VMMIO_READ: the guest loaded from a VMMIO range
 * @GUNYAH_VCPU_ADDRSPACE_VMMIO_WRITE: the guest stored to a VMMIO range
 * @GUNYAH_VCPU_STATE_FAULT: the vCPU faulted and cannot continue
 * @GUNYAH_VCPU_ADDRSPACE_PAGE_FAULT: the guest touched memory that is not
 *                                    mapped yet (hypervisors with demand
 *                                    paging only)
 * @GUNYAH_VCPU_STATE_PSCI_SYSTEM_RESET: the guest asked for a system reset
 */
enum gunyah_vcpu_run_state {
	GUNYAH_VCPU_STATE_READY			= 0,
	GUNYAH_VCPU_STATE_EXPECTS_WAKEUP	= 1,
	GUNYAH_VCPU_STATE_POWERED_OFF		= 2,
	GUNYAH_VCPU_STATE_BLOCKED		= 3,
	GUNYAH_VCPU_ADDRSPACE_VMMIO_READ	= 4,
	GUNYAH_VCPU_ADDRSPACE_VMMIO_WRITE	= 5,
	GUNYAH_VCPU_STATE_FAULT			= 6,
	GUNYAH_VCPU_ADDRSPACE_PAGE_FAULT	= 7,
	GUNYAH_VCPU_STATE_PSCI_SYSTEM_RESET	= 0x100,
};

/*
 * Resume data 1 after a VMMIO or page-fault run state, on hypervisors with
 * demand paging (others ignore it): how the vCPU continues.
 */
#define GUNYAH_ADDRSPACE_VMMIO_ACTION_EMULATE	0
#define GUNYAH_ADDRSPACE_VMMIO_ACTION_RETRY	1
#define GUNYAH_ADDRSPACE_VMMIO_ACTION_FAULT	2

/**
 * struct gunyah_addrspace_map_args - Arguments of addrspace_map and unmap
 * @vbase: guest address of the mapping
 * @attrs: access rights and memory type (map only)
 * @flags: mapping flags
 * @offset: offset of the mapped range in the memory extent
 * @size: size of the mapped range
 */
struct gunyah_addrspace_map_args {
	u64 vbase;
	u32 attrs;
	u32 flags;
	u64 offset;
	u64 size;
};

int gunyah_hypercall_get_uid(unsigned long words[4]);
bool gunyah_uid_is_gunyah(const unsigned long words[4]);
void gunyah_hypercall_hyp_identify(struct gunyah_hypercall_hyp_identify_resp *resp);

enum gunyah_error gunyah_hypercall_bell_send(u64 capid, u64 new_flags,
					     u64 *old_flags);
enum gunyah_error gunyah_hypercall_bell_set_mask(u64 capid, u64 enable_mask,
						 u64 ack_mask);

enum gunyah_error gunyah_hypercall_msgq_send(u64 capid, size_t size,
					     const void *buff, u64 tx_flags,
					     bool *ready);
enum gunyah_error gunyah_hypercall_msgq_recv(u64 capid, void *buff,
					     size_t size, size_t *recv_size,
					     bool *ready);

enum gunyah_error
gunyah_hypercall_addrspace_map(u64 capid, u64 extent,
			       const struct gunyah_addrspace_map_args *args);
enum gunyah_error
gunyah_hypercall_addrspace_unmap(u64 capid, u64 extent,
				 const struct gunyah_addrspace_map_args *args);
enum gunyah_error gunyah_hypercall_memextent_donate(u32 options, u64 from,
						    u64 to, u64 offset,
						    u64 size);

enum gunyah_error
gunyah_hypercall_vcpu_run(u64 capid, const unsigned long resume_data[3],
			  struct gunyah_hypercall_vcpu_run_resp *resp);
enum gunyah_error gunyah_hypercall_vcpu_set_affinity(u64 capid, u32 cpu);
enum gunyah_error gunyah_hypercall_vpm_group_get_state(u64 capid, u64 *state);

/**
 * struct gunyah_hyp_info - What the hypervisor said about itself at detection
 * @api_version: API version (always %GUNYAH_API_V1 once detection succeeded)
 * @variant: hypervisor variant
 * @features: API flags 0, a bitmap of &enum gunyah_api_feature
 */
struct gunyah_hyp_info {
	u16 api_version;
	u8 variant;
	u64 features;
};

bool gunyah_has_feature(enum gunyah_api_feature feature);

#endif
