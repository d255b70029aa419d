/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the Gunyah VM manager selftests.
 */
#ifndef SELFTEST_GUNYAH_UTIL_H
#define SELFTEST_GUNYAH_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/gunyah.h>

#include "gunyah_sim_guest.h"

#define GUNYAH_DEV		"/dev/gunyah"
#define GUNYAH_SIM_DIR		"/sys/kernel/debug/gunyah_sim"
#define GUNYAH_SIM_RM_STATE	GUNYAH_SIM_DIR "/rm_state"
#define GUNYAH_SIM_PROFILE	GUNYAH_SIM_DIR "/profile"
#define GUNYAH_VM_DTB		"gunyah-vm.dtb"

/*
 * The guest of every test: one range of guest memory at GUEST_BASE (the
 * base address in gunyah-vm.dts) holding the devicetree at GUEST_DTB_OFFSET.
 */
#define GUEST_BASE		0x80000000ULL
#define GUEST_MEM_SIZE		0x400000ULL
#define GUEST_DTB_OFFSET	(GUEST_MEM_SIZE - 0x200000ULL)

#define GUEST_MEM_RWX		GUNYAH_MEM_ALLOW_RWX

/* Why a test that needs the simulated RM's bookkeeping is skipped */
#define NO_RM_STATE	GUNYAH_SIM_RM_STATE " is missing: cannot see the RM's VMs"

/* How long asynchronous VM teardown may take, in milliseconds */
#define TEARDOWN_TIMEOUT_MS	5000

/* What the simulated Resource Manager holds, from its rm_state file */
struct rm_state {
	unsigned long vms;
	unsigned long parcels;
	unsigned long lent_pages;
	unsigned long shared_pages;
	unsigned long other;	/* sum of the counters that follow */
};

/* The steps of a VM's life, in the order a VMM takes them */
enum gh_step {
	GH_STEP_NONE,
	GH_STEP_CREATE_VM,
	GH_STEP_CREATE_GUEST_MEM,
	GH_STEP_MAP_MEM,
	GH_STEP_SET_DTB_CONFIG,
	GH_STEP_START,
};

/* A VM and its guest memory, as gh_vm_setup() builds them */
struct gh_vm {
	int dev;
	int vm;
	int mem;
	uint64_t mem_size;
	uint64_t dtb_addr;
	uint64_t dtb_size;
	enum gh_step failed_step;
};

static inline uint64_t page_size(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

/* ioctl() returning the result, or -errno on failure */
static inline int gh_ioctl(int fd, unsigned long request, void *arg)
{
	int ret = ioctl(fd, request, arg);

	return ret < 0 ? -errno : ret;
}

static inline int gh_ioctl_val(int fd, unsigned long request,
			       unsigned long arg)
{
	int ret = ioctl(fd, request, arg);

	return ret < 0 ? -errno : ret;
}

const char *gh_profile(void);
bool gh_profile_full(void);

int gh_open_dev(void);
int gh_create_vm(int dev);
int gh_create_mem(int dev, uint64_t size, uint64_t flags);
int gh_map_mem(int vm, int mem, uint64_t guest_addr, uint64_t offset,
	       uint64_t size, uint32_t flags);
int gh_unmap_mem(int vm, int mem, uint64_t guest_addr, uint64_t offset,
		 uint64_t size);
int gh_set_dtb_config(int vm, uint64_t addr, uint64_t size);
int gh_set_boot_context(int vm, uint32_t set, uint32_t index, uint64_t value);
int gh_start(int vm);
int gh_check_extension(int vm, unsigned long cap);
int gh_user_mem(int vm, bool lend, uint32_t label, uint32_t flags,
		uint64_t guest_addr, uint64_t size, void *addr);

const void *gh_dtb(size_t *size);
int gh_write_dtb(int mem, uint64_t offset, uint64_t *config_size);

void gh_vm_init(struct gh_vm *v);
int gh_vm_setup(struct gh_vm *v, enum gh_step last);
void gh_vm_close(struct gh_vm *v);

int rm_state_read(struct rm_state *st);
bool rm_state_available(void);
bool rm_state_equal(const struct rm_state *a, const struct rm_state *b);
int rm_state_wait(const struct rm_state *want, struct rm_state *last);
int rm_state_wait_idle(struct rm_state *last);

int gh_count_fds(void);
int gh_access_signal(void *p, bool write);
int gh_drop_cap_ipc_lock(void);

/*
 * Simulated guests (see gunyah_sim_guest.h): a program built in memory,
 * written at the start of the guest memory and run from there.
 */
#define GUNYAH_SIM_HYPERCALLS	GUNYAH_SIM_DIR "/hypercalls"

/* Largest program the helpers build */
#define GH_PROG_MAX		64

/*
 * The guest memory of a simulated guest: the program at GUEST_BASE and the
 * devicetree at GH_GUEST_DTB_OFFSET in the first binding, the "image"
 * binding; the second half is bound on its own, the "data" binding, so that
 * on an RM with demand paging it is given to the guest page by page.
 */
#define GH_GUEST_IMAGE_SIZE	(GUEST_MEM_SIZE / 2)
#define GH_GUEST_DTB_OFFSET	0x100000ULL
#define GH_GUEST_DATA		(GUEST_BASE + GH_GUEST_IMAGE_SIZE)
#define GH_GUEST_DATA_SIZE	(GUEST_MEM_SIZE - GH_GUEST_IMAGE_SIZE)

/* VMMIO addresses (below GUNYAH_SIM_GUEST_VMMIO_END) the tests emulate */
#define GH_MMIO_BASE		0x10000000ULL
#define GH_MMIO(n)		(GH_MMIO_BASE + 0x1000ULL * (n))

/* The label of the doorbell in gunyah-vm.dts */
#define GH_BELL_LABEL		1

#define GH_MAX_VCPUS		2

/* Why a test is skipped when the kernel has no vCPU function */
#define NO_VCPU_FN	"no vCPU function (GUNYAH_FN_VCPU) in this kernel"

struct gh_prog {
	struct gunyah_sim_guest_header hdr;
	struct gunyah_sim_guest_insn insn[GH_PROG_MAX];
};

/* A running (or ready to start) simulated guest */
struct gh_guest {
	struct gh_vm v;
	int vcpu[GH_MAX_VCPUS];
	struct gunyah_vcpu_run *run[GH_MAX_VCPUS];
	unsigned int nr_vcpus;
	size_t run_size;
	bool demand_paging;	/* the RM pages the data binding in on demand */
	const char *failed;	/* the step gh_guest_setup() failed at */
};

/* Flags of gh_guest_setup() */
#define GH_GUEST_ONE_BINDING	0x1U	/* no separate data binding */
#define GH_GUEST_DATA_SHARED	0x2U	/* share the data binding */

void gh_prog_init(struct gh_prog *p);
unsigned int gh_emit(struct gh_prog *p, uint32_t op, uint32_t arg,
		     uint64_t addr, uint64_t data);
unsigned int gh_prog_next(const struct gh_prog *p);
size_t gh_prog_size(const struct gh_prog *p);
int gh_prog_write(const struct gh_prog *p, int mem, uint64_t offset);

static inline unsigned int gh_nop(struct gh_prog *p)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_NOP, 0, 0, 0);
}

static inline unsigned int gh_load(struct gh_prog *p, uint32_t width,
				   uint64_t addr)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_LOAD, width, addr, 0);
}

static inline unsigned int gh_store(struct gh_prog *p, uint32_t width,
				    uint64_t addr, uint64_t data)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_STORE, width, addr, data);
}

/* Store the accumulator */
static inline unsigned int gh_store_acc(struct gh_prog *p, uint32_t width,
					uint64_t addr)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_STORE, width | GUNYAH_SIM_GUEST_ACC,
		       addr, 0);
}

static inline unsigned int gh_wait_bell(struct gh_prog *p, uint32_t label)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_WAIT_BELL, label, 0, 0);
}

static inline unsigned int gh_ack_bell(struct gh_prog *p, uint32_t label)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_ACK_BELL, label, 0, 0);
}

static inline unsigned int gh_poweroff(struct gh_prog *p, uint16_t code)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_POWEROFF, 0, 0, code);
}

static inline unsigned int gh_crash(struct gh_prog *p)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_CRASH, 0, 0, 0);
}

/* SYSTEM_RESET, or SYSTEM_RESET2 of @type if @reset2 */
static inline unsigned int gh_reset(struct gh_prog *p, bool reset2,
				    uint32_t type)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_RESET, reset2, 0, type);
}

static inline unsigned int gh_set_counter(struct gh_prog *p, uint64_t n)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_SET_COUNTER, 0, 0, n);
}

static inline unsigned int gh_loop(struct gh_prog *p, unsigned int target)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_LOOP, target, 0, 0);
}

static inline unsigned int gh_jump(struct gh_prog *p, unsigned int target)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_JUMP, target, 0, 0);
}

static inline unsigned int gh_yield(struct gh_prog *p)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_YIELD, 0, 0, 0);
}

static inline unsigned int gh_block(struct gh_prog *p)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_BLOCK, 0, 0, 0);
}

static inline unsigned int gh_cpu_on(struct gh_prog *p, uint32_t vcpu,
				     unsigned int target)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_CPU_ON, vcpu, 0, target);
}

static inline unsigned int gh_cpu_off(struct gh_prog *p)
{
	return gh_emit(p, GUNYAH_SIM_GUEST_CPU_OFF, 0, 0, 0);
}

int gh_fn(int vm, bool add, uint32_t type, uint32_t arg_size, const void *arg);
int gh_add_vcpu(int vm, uint32_t id);
int gh_remove_vcpu(int vm, uint32_t id);
int gh_add_irqfd(int vm, int fd, uint32_t label, uint32_t flags);
int gh_remove_irqfd(int vm, uint32_t label);
int gh_add_ioeventfd(int vm, int fd, uint64_t addr, uint32_t len,
		     uint32_t flags, uint64_t datamatch);
int gh_remove_ioeventfd(int vm, int fd, uint64_t addr, uint32_t len,
			uint32_t flags, uint64_t datamatch);

static inline bool gh_fn_missing(int ret)
{
	return ret == -ENODEV || ret == -ENOENT;
}

int gh_mem_write(int mem, uint64_t offset, const void *buf, size_t len);

int gh_rm_demand_paging(void);

void gh_guest_init(struct gh_guest *g);
int gh_guest_setup(struct gh_guest *g, const struct gh_prog *p,
		   unsigned int nr_vcpus, unsigned int flags);
bool gh_guest_no_vcpu_fn(const struct gh_guest *g, int ret);
int gh_guest_start(struct gh_guest *g);
void gh_guest_close(struct gh_guest *g);

static inline int gh_vcpu_run(int vcpu)
{
	return gh_ioctl_val(vcpu, GUNYAH_VCPU_RUN, 0);
}

int gh_vcpu_run_timeout(int vcpu, unsigned int ms);
void gh_signal_ignore(int sig);
uint64_t gh_now_ns(void);
void gh_sleep_ms(unsigned int ms);

uint64_t gh_mmio_data(const struct gunyah_vcpu_run *run);
void gh_mmio_set_data(struct gunyah_vcpu_run *run, uint64_t val);
uint32_t gh_reason_word(const struct gunyah_vcpu_run *run, unsigned int i);

int gh_sim_hypercalls(uint64_t *hypercalls, uint64_t *vcpu_run);
int gh_eventfd_count(int fd, uint64_t *count);

#endif /* SELFTEST_GUNYAH_UTIL_H */
