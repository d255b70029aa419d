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

#endif /* SELFTEST_GUNYAH_UTIL_H */
