/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Userspace interface of the Gunyah VM manager: /dev/gunyah, VM fds,
 * guest-memory fds, functions and vCPU fds.
 *
 * See Documentation/virt/gunyah/vm-manager.rst for the semantics of each
 * ioctl and the errors it returns.
 */

#ifndef _UAPI_LINUX_GUNYAH_H
#define _UAPI_LINUX_GUNYAH_H

#include <linux/const.h>
#include <linux/types.h>
#include <linux/ioctl.h>

/* Ioctl type of /dev/gunyah and of the fds it hands out */
#define GUNYAH_IOCTL_TYPE		'G'
/* Ioctl type of the extensions Android's VMMs use */
#define GUNYAH_ANDROID_IOCTL_TYPE	'A'

/*
 * ioctls for /dev/gunyah fds:
 */

/**
 * define GUNYAH_CREATE_VM - Create a VM; the argument must be 0
 *
 * Returns a VM fd.
 */
#define GUNYAH_CREATE_VM	_IO(GUNYAH_IOCTL_TYPE, 0x0)

/**
 * enum gunyah_mem_flags - Flags of struct gunyah_create_mem_args
 * @GHMF_CLOEXEC: close the guest-memory fd on exec
 * @GHMF_ALLOW_HUGEPAGE: back the guest memory with large folios where
 *                       possible
 */
enum gunyah_mem_flags {
	GHMF_CLOEXEC = (1UL << 0),
	GHMF_ALLOW_HUGEPAGE = (1UL << 1),
};

/**
 * struct gunyah_create_mem_args - Argument of GUNYAH_CREATE_GUEST_MEM
 * @flags: GHMF_* flags
 * @size: size of the guest memory in bytes, a non-zero multiple of the
 *        page size
 * @reserved: must be zero
 */
struct gunyah_create_mem_args {
	__u64 flags;
	__u64 size;
	__u64 reserved[6];
};

/**
 * define GUNYAH_CREATE_GUEST_MEM - Create a guest memory fd
 *
 * Returns the fd. Ranges of it are bound into VMs with GUNYAH_VM_MAP_MEM.
 */
#define GUNYAH_CREATE_GUEST_MEM \
	_IOW(GUNYAH_IOCTL_TYPE, 0x8, struct gunyah_create_mem_args)

/*
 * ioctls for VM fds:
 */

/**
 * struct gunyah_userspace_memory_region - Argument of the user-memory ioctls
 * @label: identifies the region; also the label of its memory parcel
 * @flags: GUNYAH_USER_MEM_* access the guest gets
 * @guest_phys_addr: guest address of the region
 * @memory_size: size of the region in bytes, a multiple of the page size;
 *               0 removes the region with this label
 * @userspace_addr: start of the host mapping that backs the region
 */
struct gunyah_userspace_memory_region {
	__u32 label;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
};

/* Access of a user-memory region (not the GUNYAH_MEM_ALLOW_* values) */
#define GUNYAH_USER_MEM_READ	_BITUL(0)
#define GUNYAH_USER_MEM_WRITE	_BITUL(1)
#define GUNYAH_USER_MEM_EXEC	_BITUL(2)

/**
 * define GUNYAH_VM_SET_USER_MEM_REGION - Share user memory with the guest
 *
 * The host keeps access to the memory. Compatibility ioctl of VMMs that
 * predate guest-memory fds.
 */
#define GUNYAH_VM_SET_USER_MEM_REGION \
	_IOW(GUNYAH_IOCTL_TYPE, 0x1, struct gunyah_userspace_memory_region)

/**
 * define GUNYAH_VM_ANDROID_LEND_USER_MEM - Lend user memory to the guest
 *
 * The host loses access to the memory until the VM is destroyed or the
 * region removed. Compatibility ioctl of VMMs that predate guest-memory fds.
 */
#define GUNYAH_VM_ANDROID_LEND_USER_MEM \
	_IOW(GUNYAH_ANDROID_IOCTL_TYPE, 0x11, \
	     struct gunyah_userspace_memory_region)

/**
 * struct gunyah_vm_firmware_config - Argument of GUNYAH_VM_ANDROID_SET_FW_CONFIG
 * @guest_phys_addr: guest address of the firmware
 * @size: size of the firmware region
 */
struct gunyah_vm_firmware_config {
	__u64 guest_phys_addr;
	__u64 size;
};

/**
 * define GUNYAH_VM_ANDROID_SET_FW_CONFIG - Place the VM's firmware
 *
 * Not supported yet: always fails with EOPNOTSUPP.
 */
#define GUNYAH_VM_ANDROID_SET_FW_CONFIG \
	_IOW(GUNYAH_ANDROID_IOCTL_TYPE, 0x12, struct gunyah_vm_firmware_config)

/**
 * define GUNYAH_CHECK_EXTENSION - Ask whether the VM supports a capability
 *
 * The argument is a GUNYAH_CAP_* value, passed by value. Returns a positive
 * value if it is supported, 0 if not or if the value is unknown.
 */
#define GUNYAH_CHECK_EXTENSION	_IO(GUNYAH_ANDROID_IOCTL_TYPE, 0x17)

/* Wake-up of vCPUs by their timer (probed by crosvm; not supported) */
#define GUNYAH_CAP_VCPU_TIMER_WAKEUP	0
/* The Resource Manager takes every boot-context register */
#define GUNYAH_CAP_BOOT_CONTEXT		0x100
/* The Resource Manager provides memory on demand (page faults) */
#define GUNYAH_CAP_DEMAND_PAGING	0x101
/* GUNYAH_CREATE_GUEST_MEM and GUNYAH_VM_MAP_MEM are available */
#define GUNYAH_CAP_GUEST_MEM		0x102
/* The user-memory compatibility ioctls are available */
#define GUNYAH_CAP_USER_MEM		0x103
/* GUNYAH_GET_STATS_FD is available; returns GUNYAH_STATS_VERSION */
#define GUNYAH_CAP_STATS		0x104

/**
 * struct gunyah_vm_dtb_config - Argument of GUNYAH_VM_SET_DTB_CONFIG
 * @guest_phys_addr: guest address of the VM's devicetree, which must lie in
 *                   memory given to the VM
 * @size: size of the devicetree plus room for what the Resource Manager
 *        adds to it
 */
struct gunyah_vm_dtb_config {
	__u64 guest_phys_addr;
	__u64 size;
};

/**
 * define GUNYAH_VM_SET_DTB_CONFIG - Say where the VM's devicetree is
 */
#define GUNYAH_VM_SET_DTB_CONFIG \
	_IOW(GUNYAH_IOCTL_TYPE, 0x2, struct gunyah_vm_dtb_config)

/**
 * define GUNYAH_VM_START - Start the VM
 */
#define GUNYAH_VM_START		_IO(GUNYAH_IOCTL_TYPE, 0x3)

/**
 * enum gunyah_fn_type - Types of VM functions
 * @GUNYAH_FN_VCPU: a vCPU; the argument is struct gunyah_fn_vcpu_arg and
 *                  GUNYAH_VM_ADD_FUNCTION returns a vCPU fd
 * @GUNYAH_FN_IRQFD: an eventfd that raises an interrupt in the guest; the
 *                   argument is struct gunyah_fn_irqfd_arg
 * @GUNYAH_FN_IOEVENTFD: an eventfd signalled by guest writes to an address;
 *                       the argument is struct gunyah_fn_ioeventfd_arg
 */
enum gunyah_fn_type {
	GUNYAH_FN_VCPU = 1,
	GUNYAH_FN_IRQFD,
	GUNYAH_FN_IOEVENTFD,
};

/* Largest argument of a function */
#define GUNYAH_FN_MAX_ARG_SIZE		256

/**
 * struct gunyah_fn_vcpu_arg - Argument of a GUNYAH_FN_VCPU function
 * @id: index of the vCPU, from 0
 */
struct gunyah_fn_vcpu_arg {
	__u32 id;
};

/**
 * enum gunyah_irqfd_flags - Flags of struct gunyah_fn_irqfd_arg
 * @GUNYAH_IRQFD_FLAGS_LEVEL: the interrupt is level triggered: it stays
 *                            asserted until the guest acknowledges it
 */
enum gunyah_irqfd_flags {
	GUNYAH_IRQFD_FLAGS_LEVEL = (1UL << 0),
};

/**
 * struct gunyah_fn_irqfd_arg - Argument of a GUNYAH_FN_IRQFD function
 * @fd: the eventfd
 * @label: label of the guest doorbell to ring
 * @flags: GUNYAH_IRQFD_FLAGS_* flags
 * @padding: must be zero
 */
struct gunyah_fn_irqfd_arg {
	__u32 fd;
	__u32 label;
	__u32 flags;
	__u32 padding;
};

/**
 * enum gunyah_ioeventfd_flags - Flags of struct gunyah_fn_ioeventfd_arg
 * @GUNYAH_IOEVENTFD_FLAGS_DATAMATCH: signal only when the guest writes
 *                                    @datamatch
 */
enum gunyah_ioeventfd_flags {
	GUNYAH_IOEVENTFD_FLAGS_DATAMATCH = (1UL << 0),
};

/**
 * struct gunyah_fn_ioeventfd_arg - Argument of a GUNYAH_FN_IOEVENTFD function
 * @datamatch: the value to match when GUNYAH_IOEVENTFD_FLAGS_DATAMATCH is set
 * @addr: guest address
 * @len: access length: 1, 2, 4 or 8, or 0 for any
 * @fd: the eventfd
 * @flags: GUNYAH_IOEVENTFD_FLAGS_* flags
 * @padding: must be zero
 */
struct gunyah_fn_ioeventfd_arg {
	__u64 datamatch;
	__u64 addr;
	__u32 len;
	__s32 fd;
	__u32 flags;
	__u32 padding;
};

/**
 * struct gunyah_fn_desc - Argument of GUNYAH_VM_ADD_FUNCTION and
 *                         GUNYAH_VM_REMOVE_FUNCTION
 * @type: an enum gunyah_fn_type value
 * @arg_size: size of the argument, at most GUNYAH_FN_MAX_ARG_SIZE
 * @arg: user pointer to the argument
 */
struct gunyah_fn_desc {
	__u32 type;
	__u32 arg_size;
	__u64 arg;
};

/**
 * define GUNYAH_VM_ADD_FUNCTION - Add a function to the VM
 *
 * Returns a vCPU fd for GUNYAH_FN_VCPU, 0 for the other types.
 */
#define GUNYAH_VM_ADD_FUNCTION \
	_IOW(GUNYAH_IOCTL_TYPE, 0x4, struct gunyah_fn_desc)
/**
 * define GUNYAH_VM_REMOVE_FUNCTION - Remove a function from the VM
 *
 * The function is found by its argument: an irqfd by its label, an
 * ioeventfd by its address (and length unless it is 0), a vCPU by its id.
 */
#define GUNYAH_VM_REMOVE_FUNCTION \
	_IOW(GUNYAH_IOCTL_TYPE, 0x7, struct gunyah_fn_desc)

/**
 * enum gunyah_map_flags - Flags of struct gunyah_map_mem_args
 * @GUNYAH_MEM_DEFAULT_ACCESS: lend unless the memory must be shared
 * @GUNYAH_MEM_FORCE_LEND: lend: the host loses access to the memory
 * @GUNYAH_MEM_FORCE_SHARE: share: the host keeps access to the memory
 * @GUNYAH_MEM_ALLOW_READ: the guest may read
 * @GUNYAH_MEM_ALLOW_WRITE: the guest may write
 * @GUNYAH_MEM_ALLOW_EXEC: the guest may execute
 * @GUNYAH_MEM_ALLOW_RWX: the guest may read, write and execute
 * @GUNYAH_MEM_UNMAP: remove the range from the guest instead
 */
enum gunyah_map_flags {
	GUNYAH_MEM_DEFAULT_ACCESS = 0,
	GUNYAH_MEM_FORCE_LEND = 1,
	GUNYAH_MEM_FORCE_SHARE = 2,
#define GUNYAH_MEM_ACCESS_MASK 0x7

	GUNYAH_MEM_ALLOW_READ = 1UL << 4,
	GUNYAH_MEM_ALLOW_WRITE = 1UL << 5,
	GUNYAH_MEM_ALLOW_EXEC = 1UL << 6,
	GUNYAH_MEM_ALLOW_RWX =
		(GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_WRITE |
		 GUNYAH_MEM_ALLOW_EXEC),

	GUNYAH_MEM_UNMAP = 1UL << 8,
};

/**
 * struct gunyah_map_mem_args - Argument of GUNYAH_VM_MAP_MEM
 * @guest_addr: guest address of the range, page aligned
 * @flags: GUNYAH_MEM_* flags
 * @guest_mem_fd: the guest-memory fd
 * @offset: offset of the range in the guest-memory fd, page aligned
 * @size: size of the range, a non-zero multiple of the page size
 */
struct gunyah_map_mem_args {
	__u64 guest_addr;
	__u32 flags;
	__u32 guest_mem_fd;
	__u64 offset;
	__u64 size;
};

/**
 * define GUNYAH_VM_MAP_MEM - Bind (or with GUNYAH_MEM_UNMAP unbind) a range
 *                            of a guest-memory fd into the VM
 */
#define GUNYAH_VM_MAP_MEM	_IOW(GUNYAH_IOCTL_TYPE, 0x9, \
				     struct gunyah_map_mem_args)

/**
 * enum gunyah_vm_boot_context_reg - Register sets of the boot context
 * @REG_SET_X: general purpose registers X0..X31
 * @REG_SET_PC: the program counter (index 0)
 * @REG_SET_SP: stack pointers SP_EL0..SP_EL2 (index 0..2)
 */
enum gunyah_vm_boot_context_reg {
	REG_SET_X = 0,
	REG_SET_PC = 1,
	REG_SET_SP = 2,
};

#define GUNYAH_VM_BOOT_CONTEXT_REG_SHIFT	8
#define GUNYAH_VM_BOOT_CONTEXT_REG(reg, idx)	\
	((((reg) & 0xff) << GUNYAH_VM_BOOT_CONTEXT_REG_SHIFT) | ((idx) & 0xff))

/**
 * struct gunyah_vm_boot_context - Argument of GUNYAH_VM_SET_BOOT_CONTEXT
 * @reg: GUNYAH_VM_BOOT_CONTEXT_REG(set, index)
 * @reserved: must be zero
 * @value: the value of the register when the VM starts
 */
struct gunyah_vm_boot_context {
	__u32 reg;
	__u32 reserved;
	__u64 value;
};

/**
 * define GUNYAH_VM_SET_BOOT_CONTEXT - Set a register of the boot vCPU
 */
#define GUNYAH_VM_SET_BOOT_CONTEXT \
	_IOW(GUNYAH_IOCTL_TYPE, 0xa, struct gunyah_vm_boot_context)

/*
 * ioctls for vCPU fds:
 */

/**
 * enum gunyah_vm_status - Status of a VM in a GUNYAH_VCPU_EXIT_STATUS exit
 * @GUNYAH_VM_STATUS_LOAD_FAILED: the VM could not be started
 * @GUNYAH_VM_STATUS_EXITED: the VM exited
 * @GUNYAH_VM_STATUS_CRASHED: the VM crashed
 */
enum gunyah_vm_status {
	GUNYAH_VM_STATUS_LOAD_FAILED = 1,
	GUNYAH_VM_STATUS_EXITED = 2,
	GUNYAH_VM_STATUS_CRASHED = 3,
};

/* Largest exit reason reported in struct gunyah_vm_exit_info */
#define GUNYAH_VM_MAX_EXIT_REASON_SIZE	8u

/**
 * struct gunyah_vm_exit_info - Why the VM exited, from the Resource Manager
 * @type: the exit type
 * @padding: zero
 * @reason_size: number of valid bytes in @reason
 * @reason: the exit reason
 */
struct gunyah_vm_exit_info {
	__u16 type;
	__u16 padding;
	__u32 reason_size;
	__u8 reason[GUNYAH_VM_MAX_EXIT_REASON_SIZE];
};

/**
 * enum gunyah_vcpu_exit - Why GUNYAH_VCPU_RUN returned
 * @GUNYAH_VCPU_EXIT_UNKNOWN: not set by the kernel
 * @GUNYAH_VCPU_EXIT_MMIO: the guest accessed an address the VMM emulates
 * @GUNYAH_VCPU_EXIT_STATUS: the VM is no longer running
 * @GUNYAH_VCPU_EXIT_PAGE_FAULT: the kernel could not provide memory the
 *                               guest touched
 */
enum gunyah_vcpu_exit {
	GUNYAH_VCPU_EXIT_UNKNOWN,
	GUNYAH_VCPU_EXIT_MMIO,
	GUNYAH_VCPU_EXIT_STATUS,
	GUNYAH_VCPU_EXIT_PAGE_FAULT,
};

/**
 * enum gunyah_vcpu_resume_action - How the vCPU continues after an exit
 * @GUNYAH_VCPU_RESUME_HANDLED: the access was emulated (for a read, with
 *                              the data in mmio.data)
 * @GUNYAH_VCPU_RESUME_FAULT: inject a fault into the guest
 * @GUNYAH_VCPU_RESUME_RETRY: retry the access, for example after memory
 *                            was provided
 */
enum gunyah_vcpu_resume_action {
	GUNYAH_VCPU_RESUME_HANDLED = 0,
	GUNYAH_VCPU_RESUME_FAULT,
	GUNYAH_VCPU_RESUME_RETRY,
};

/**
 * struct gunyah_vcpu_run - The vCPU run page, mmapped from the vCPU fd
 * @immediate_exit: set by the VMM to make GUNYAH_VCPU_RUN return EINTR
 *                  at once
 * @padding: reserved
 * @exit_reason: an enum gunyah_vcpu_exit value
 * @mmio: GUNYAH_VCPU_EXIT_MMIO
 * @mmio.phys_addr: the guest address
 * @mmio.data: the data written, or for the VMM to fill for a read
 * @mmio.len: access length in bytes
 * @mmio.is_write: 1 for a write
 * @mmio.resume_action: an enum gunyah_vcpu_resume_action value; the
 *                      kernel presets GUNYAH_VCPU_RESUME_HANDLED
 * @status: GUNYAH_VCPU_EXIT_STATUS
 * @status.status: an enum gunyah_vm_status value
 * @status.exit_info: why the VM exited
 * @page_fault: GUNYAH_VCPU_EXIT_PAGE_FAULT
 * @page_fault.phys_addr: the guest address
 * @page_fault.attempt: negative errno of the kernel's attempt to provide
 *                      the memory
 * @page_fault.resume_action: an enum gunyah_vcpu_resume_action value
 */
struct gunyah_vcpu_run {
	__u8 immediate_exit;
	__u8 padding[7];

	__u32 exit_reason;

	union {
		struct {
			__u64 phys_addr;
			__u8 data[8];
			__u32 len;
			__u8 is_write;
			__u8 resume_action;
		} mmio;

		struct {
			__u32 status;
			struct gunyah_vm_exit_info exit_info;
		} status;

		struct {
			__u64 phys_addr;
			__s32 attempt;
			__u8 resume_action;
		} page_fault;
	};
};

/**
 * define GUNYAH_VCPU_RUN - Run the vCPU until the VMM has work to do
 */
#define GUNYAH_VCPU_RUN		_IO(GUNYAH_IOCTL_TYPE, 0x5)
/**
 * define GUNYAH_VCPU_MMAP_SIZE - Size of the run page to mmap
 */
#define GUNYAH_VCPU_MMAP_SIZE	_IO(GUNYAH_IOCTL_TYPE, 0x6)

/*
 * Statistics of a VM or a vCPU, read from a stats fd. The file is laid out
 * as: the header at offset 0, the id string at @id_offset, @num_desc
 * descriptors at @desc_offset, each followed by its name, and the values
 * (__u64 each) at @data_offset. Everything but the values is fixed for the
 * life of the fd; the values are read afresh by every read().
 */

/* Layout version of the stats file */
#define GUNYAH_STATS_VERSION		1
/* Size of the id string and of each descriptor's name, NUL included */
#define GUNYAH_STATS_NAME_SIZE		48

/**
 * struct gunyah_stats_header - Start of a stats file
 * @version: GUNYAH_STATS_VERSION; another value means another layout
 * @name_size: size of the id string and of each name, in bytes
 * @num_desc: number of descriptors
 * @id_offset: file offset of the id string, which names the VM or vCPU
 * @desc_offset: file offset of the first descriptor
 * @data_offset: file offset of the values
 *
 * New statistics are only ever added, at the end; a reader finds the ones
 * it knows by name and skips the others.
 */
struct gunyah_stats_header {
	__u32 version;
	__u32 name_size;
	__u32 num_desc;
	__u32 id_offset;
	__u32 desc_offset;
	__u32 data_offset;
};

#define GUNYAH_STATS_TYPE_SHIFT		0
#define GUNYAH_STATS_TYPE_MASK		(0xfu << GUNYAH_STATS_TYPE_SHIFT)
/* A count since the VM or vCPU was created; it never decreases */
#define GUNYAH_STATS_TYPE_CUMULATIVE	(0x0u << GUNYAH_STATS_TYPE_SHIFT)
/* A current amount, which goes up and down */
#define GUNYAH_STATS_TYPE_INSTANT	(0x1u << GUNYAH_STATS_TYPE_SHIFT)

#define GUNYAH_STATS_UNIT_SHIFT		4
#define GUNYAH_STATS_UNIT_MASK		(0xfu << GUNYAH_STATS_UNIT_SHIFT)
#define GUNYAH_STATS_UNIT_NONE		(0x0u << GUNYAH_STATS_UNIT_SHIFT)
#define GUNYAH_STATS_UNIT_BYTES		(0x1u << GUNYAH_STATS_UNIT_SHIFT)
#define GUNYAH_STATS_UNIT_SECONDS	(0x2u << GUNYAH_STATS_UNIT_SHIFT)

/**
 * struct gunyah_stats_desc - Descriptor of one statistic
 * @flags: a GUNYAH_STATS_TYPE_* value ORed with a GUNYAH_STATS_UNIT_* one
 * @exponent: the value times 10 to this power is in the unit (-9 for
 *            nanoseconds)
 * @size: number of __u64 values of the statistic
 * @offset: offset of its first value from the header's @data_offset
 * @reserved: 0
 * @name: its name, NUL-terminated, in @name_size bytes
 *
 * Descriptors are sizeof(struct gunyah_stats_desc) + @name_size bytes
 * apart.
 */
struct gunyah_stats_desc {
	__u32 flags;
	__s16 exponent;
	__u16 size;
	__u32 offset;
	__u32 reserved;
	char name[];
};

/**
 * define GUNYAH_GET_STATS_FD - Get an fd to read the statistics from
 *
 * On a VM fd, the statistics of the VM; on a vCPU fd, those of the vCPU.
 * The argument must be 0. The new fd keeps the VM or vCPU alive, is
 * opened O_RDONLY | O_CLOEXEC and supports positioned reads.
 */
#define GUNYAH_GET_STATS_FD	_IO(GUNYAH_IOCTL_TYPE, 0xb)

#endif
