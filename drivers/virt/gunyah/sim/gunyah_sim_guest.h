/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The program format of the simulated Gunyah hypervisor's guests.
 *
 * The simulator does not emulate arm64 instructions. A vCPU of a simulated
 * guest executes a small program instead, which the VMM puts in guest memory
 * like any guest image: the simulator reads it at the boot PC, from the
 * memory actually lent or shared to the VM: the header once, when the
 * first vCPU first runs, then one instruction at a time.
 *
 * This header is included by the simulator and by userspace (selftests,
 * program generators), so it uses only the fixed-width types of
 * <linux/types.h>. Everything is little-endian.
 *
 * A program is a struct gunyah_sim_guest_header followed by @count
 * instructions of struct gunyah_sim_guest_insn. The boot vCPU starts at
 * instruction 0; a vCPU started with GUNYAH_SIM_GUEST_CPU_ON starts at the
 * instruction it names. Instruction n is at boot PC + 16 + 24 * n, and its
 * fetch is a guest read like any other: from memory that is not there the
 * vCPU faults, or, on an RM with demand paging, the host gets a page fault.
 *
 * Guest addresses below %GUNYAH_SIM_GUEST_VMMIO_END are VMMIO, as the RM
 * configures every unauthenticated VM: a load or store there stops the vCPU
 * with a VMMIO read or write run state. Any other address is guest memory:
 * the parcel holding the image, mapped at the configured base address, and
 * (full RM) pages the host mapped by demand paging.
 *
 * Each vCPU has two registers: the accumulator, which loads write to and
 * stores can take their data from, and a loop counter.
 */

#ifndef _GUNYAH_SIM_GUEST_H
#define _GUNYAH_SIM_GUEST_H

#include <linux/types.h>

/* "GSIM" */
#define GUNYAH_SIM_GUEST_MAGIC		0x4d495347u
#define GUNYAH_SIM_GUEST_VERSION	1u

/* Guest addresses in [0, this) are VMMIO. */
#define GUNYAH_SIM_GUEST_VMMIO_END	0x40000000ull

/**
 * struct gunyah_sim_guest_header - Start of a simulated guest program
 * @magic: %GUNYAH_SIM_GUEST_MAGIC
 * @version: %GUNYAH_SIM_GUEST_VERSION
 * @count: number of instructions that follow
 * @reserved: zero
 */
struct gunyah_sim_guest_header {
	__u32 magic;
	__u32 version;
	__u32 count;
	__u32 reserved;
};

/**
 * struct gunyah_sim_guest_insn - One instruction of a simulated guest
 * @op: an enum gunyah_sim_guest_op value
 * @arg: the op's small argument (a width, a label, a vCPU or an index),
 *       possibly with %GUNYAH_SIM_GUEST_ACC
 * @addr: the op's guest address
 * @data: the op's value
 */
struct gunyah_sim_guest_insn {
	__u32 op;
	__u32 arg;
	__u64 addr;
	__u64 data;
};

/* In @arg of STORE: store the accumulator instead of @data. */
#define GUNYAH_SIM_GUEST_ACC		0x100u
/* The access width in @arg of LOAD and STORE: 1, 2, 4 or 8 bytes. */
#define GUNYAH_SIM_GUEST_WIDTH_MASK	0xffu

/**
 * enum gunyah_sim_guest_op - Instructions of a simulated guest
 * @GUNYAH_SIM_GUEST_NOP: nothing
 * @GUNYAH_SIM_GUEST_LOAD: load @arg bytes from @addr into the accumulator
 * @GUNYAH_SIM_GUEST_STORE: store @arg bytes of @data (or of the
 *                          accumulator, with %GUNYAH_SIM_GUEST_ACC) to @addr
 * @GUNYAH_SIM_GUEST_WAIT_BELL: wait until the doorbell with label @arg has
 *                              raised its interrupt and it was not
 *                              acknowledged; meanwhile the vCPU expects a
 *                              wakeup (run state EXPECTS_WAKEUP)
 * @GUNYAH_SIM_GUEST_ACK_BELL: acknowledge the interrupt of the doorbell with
 *                             label @arg and receive (clear) its flags; the
 *                             accumulator gets the flags it had
 * @GUNYAH_SIM_GUEST_POWEROFF: PSCI SYSTEM_OFF: the VM exits, exit type
 *                             PLATFORM_OFF, with @data as the exit code
 *                             (bits 31:16 of reason word 0)
 * @GUNYAH_SIM_GUEST_CRASH: an unrecoverable fault: the vCPU faults and the
 *                          VM exits with exit type SOFTWARE_ERROR
 * @GUNYAH_SIM_GUEST_RESET: PSCI SYSTEM_RESET (@arg 0) or SYSTEM_RESET2
 *                          (@arg 1, reset type @data bits 31:0, cookie
 *                          @addr)
 * @GUNYAH_SIM_GUEST_SET_COUNTER: set the loop counter to @data
 * @GUNYAH_SIM_GUEST_LOOP: decrement the loop counter; unless it reached 0,
 *                         continue at instruction @arg
 * @GUNYAH_SIM_GUEST_JUMP: continue at instruction @arg
 * @GUNYAH_SIM_GUEST_YIELD: end the vCPU's time slice (run state READY)
 * @GUNYAH_SIM_GUEST_BLOCK: block in the hypervisor once (run state BLOCKED)
 * @GUNYAH_SIM_GUEST_CPU_ON: PSCI CPU_ON: power on vCPU @arg at instruction
 *                           @data
 * @GUNYAH_SIM_GUEST_CPU_OFF: PSCI CPU_OFF: power this vCPU off
 */
enum gunyah_sim_guest_op {
	GUNYAH_SIM_GUEST_NOP = 0,
	GUNYAH_SIM_GUEST_LOAD = 1,
	GUNYAH_SIM_GUEST_STORE = 2,
	GUNYAH_SIM_GUEST_WAIT_BELL = 3,
	GUNYAH_SIM_GUEST_ACK_BELL = 4,
	GUNYAH_SIM_GUEST_POWEROFF = 5,
	GUNYAH_SIM_GUEST_CRASH = 6,
	GUNYAH_SIM_GUEST_RESET = 7,
	GUNYAH_SIM_GUEST_SET_COUNTER = 8,
	GUNYAH_SIM_GUEST_LOOP = 9,
	GUNYAH_SIM_GUEST_JUMP = 10,
	GUNYAH_SIM_GUEST_YIELD = 11,
	GUNYAH_SIM_GUEST_BLOCK = 12,
	GUNYAH_SIM_GUEST_CPU_ON = 13,
	GUNYAH_SIM_GUEST_CPU_OFF = 14,
};

#endif
