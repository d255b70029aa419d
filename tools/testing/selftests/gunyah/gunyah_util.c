// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the Gunyah VM manager selftests: ioctl wrappers that
 * return -errno, the test VM's devicetree, a VM built up to a given step of
 * its life, the simulated Resource Manager's bookkeeping and a probe for
 * host accesses that fault.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#include <linux/capability.h>

#include "gunyah_util.h"

const char *gh_profile(void)
{
	const char *p = getenv("GUNYAH_SIM_PROFILE");

	return p && *p ? p : "public";
}

bool gh_profile_full(void)
{
	return !strcmp(gh_profile(), "full");
}

int gh_open_dev(void)
{
	int fd = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int gh_create_vm(int dev)
{
	return gh_ioctl_val(dev, GUNYAH_CREATE_VM, 0);
}

int gh_create_mem(int dev, uint64_t size, uint64_t flags)
{
	struct gunyah_create_mem_args args = {
		.flags = flags,
		.size = size,
	};

	return gh_ioctl(dev, GUNYAH_CREATE_GUEST_MEM, &args);
}

int gh_map_mem(int vm, int mem, uint64_t guest_addr, uint64_t offset,
	       uint64_t size, uint32_t flags)
{
	struct gunyah_map_mem_args args = {
		.guest_addr = guest_addr,
		.flags = flags,
		.guest_mem_fd = mem,
		.offset = offset,
		.size = size,
	};

	return gh_ioctl(vm, GUNYAH_VM_MAP_MEM, &args);
}

int gh_unmap_mem(int vm, int mem, uint64_t guest_addr, uint64_t offset,
		 uint64_t size)
{
	return gh_map_mem(vm, mem, guest_addr, offset, size,
			  GUNYAH_MEM_UNMAP | GUEST_MEM_RWX);
}

int gh_set_dtb_config(int vm, uint64_t addr, uint64_t size)
{
	struct gunyah_vm_dtb_config cfg = {
		.guest_phys_addr = addr,
		.size = size,
	};

	return gh_ioctl(vm, GUNYAH_VM_SET_DTB_CONFIG, &cfg);
}

int gh_set_boot_context(int vm, uint32_t set, uint32_t index, uint64_t value)
{
	struct gunyah_vm_boot_context ctx = {
		.reg = GUNYAH_VM_BOOT_CONTEXT_REG(set, index),
		.value = value,
	};

	return gh_ioctl(vm, GUNYAH_VM_SET_BOOT_CONTEXT, &ctx);
}

int gh_start(int vm)
{
	return gh_ioctl_val(vm, GUNYAH_VM_START, 0);
}

int gh_check_extension(int vm, unsigned long cap)
{
	return gh_ioctl_val(vm, GUNYAH_CHECK_EXTENSION, cap);
}

int gh_user_mem(int vm, bool lend, uint32_t label, uint32_t flags,
		uint64_t guest_addr, uint64_t size, void *addr)
{
	struct gunyah_userspace_memory_region region = {
		.label = label,
		.flags = flags,
		.guest_phys_addr = guest_addr,
		.memory_size = size,
		.userspace_addr = (uintptr_t)addr,
	};

	return gh_ioctl(vm, lend ? GUNYAH_VM_ANDROID_LEND_USER_MEM :
			GUNYAH_VM_SET_USER_MEM_REGION, &region);
}

/* The devicetree of the test VM, installed next to the test programs */
const void *gh_dtb(size_t *size)
{
	static char *dtb;
	static size_t dtb_size;
	char path[PATH_MAX], *slash;
	ssize_t len;
	FILE *f;

	if (dtb) {
		*size = dtb_size;
		return dtb;
	}

	len = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (len < 0)
		return NULL;
	path[len] = '\0';
	slash = strrchr(path, '/');
	if (!slash || slash - path + 1 + sizeof(GUNYAH_VM_DTB) > sizeof(path))
		return NULL;
	memcpy(slash + 1, GUNYAH_VM_DTB, sizeof(GUNYAH_VM_DTB));

	f = fopen(path, "rb");
	if (!f)
		return NULL;
	dtb = malloc(65536);
	if (dtb)
		dtb_size = fread(dtb, 1, 65536, f);
	fclose(f);
	/* A flattened devicetree starts with the big-endian magic d00dfeed. */
	if (!dtb || dtb_size < 40 || memcmp(dtb, "\xd0\x0d\xfe\xed", 4)) {
		free(dtb);
		dtb = NULL;
		return NULL;
	}
	*size = dtb_size;
	return dtb;
}

/*
 * Write the test VM's devicetree at @offset of the guest memory through a
 * shared mapping. *@config_size is what to pass to GUNYAH_VM_SET_DTB_CONFIG:
 * the devicetree and at least a page for the Resource Manager's additions.
 */
int gh_write_dtb(int mem, uint64_t offset, uint64_t *config_size)
{
	uint64_t ps = page_size();
	const void *dtb;
	size_t size;
	void *p;

	dtb = gh_dtb(&size);
	if (!dtb)
		return -ENOENT;
	*config_size = (size + ps + ps - 1) & ~(ps - 1);

	p = mmap(NULL, *config_size, PROT_READ | PROT_WRITE, MAP_SHARED, mem,
		 offset);
	if (p == MAP_FAILED)
		return -errno;
	memcpy(p, dtb, size);
	memset((char *)p + size, 0, *config_size - size);
	munmap(p, *config_size);
	return 0;
}

void gh_vm_init(struct gh_vm *v)
{
	memset(v, 0, sizeof(*v));
	v->dev = -1;
	v->vm = -1;
	v->mem = -1;
	v->mem_size = GUEST_MEM_SIZE;
	v->dtb_addr = GUEST_BASE + GUEST_DTB_OFFSET;
}

/*
 * Take the VM through its steps up to and including @last: the whole guest
 * memory lent at GUEST_BASE with the devicetree in it. Returns 0, or the
 * -errno of the step that failed (recorded in failed_step).
 */
int gh_vm_setup(struct gh_vm *v, enum gh_step last)
{
	int ret = 0;
	enum gh_step s;

	if (v->dev < 0) {
		v->dev = gh_open_dev();
		if (v->dev < 0) {
			v->failed_step = GH_STEP_CREATE_VM;
			return v->dev;
		}
	}

	for (s = GH_STEP_CREATE_VM; s <= last; s++) {
		switch (s) {
		case GH_STEP_CREATE_VM:
			ret = gh_create_vm(v->dev);
			if (ret >= 0)
				v->vm = ret;
			break;
		case GH_STEP_CREATE_GUEST_MEM:
			ret = gh_create_mem(v->dev, v->mem_size, 0);
			if (ret < 0)
				break;
			v->mem = ret;
			ret = gh_write_dtb(v->mem, v->dtb_addr - GUEST_BASE,
					   &v->dtb_size);
			break;
		case GH_STEP_MAP_MEM:
			ret = gh_map_mem(v->vm, v->mem, GUEST_BASE, 0,
					 v->mem_size, GUEST_MEM_RWX);
			break;
		case GH_STEP_SET_DTB_CONFIG:
			ret = gh_set_dtb_config(v->vm, v->dtb_addr,
						v->dtb_size);
			break;
		case GH_STEP_START:
			ret = gh_start(v->vm);
			break;
		default:
			break;
		}
		if (ret < 0) {
			v->failed_step = s;
			return ret;
		}
	}
	return 0;
}

void gh_vm_close(struct gh_vm *v)
{
	if (v->mem >= 0)
		close(v->mem);
	if (v->vm >= 0)
		close(v->vm);
	if (v->dev >= 0)
		close(v->dev);
	v->mem = -1;
	v->vm = -1;
	v->dev = -1;
}

/*
 * Parse the last line of rm_state:
 * "vms N parcels N lent_pages N shared_pages N [other_counter N]..."
 */
int rm_state_read(struct rm_state *st)
{
	char line[256], last[256] = "", name[64];
	unsigned long val;
	int pos = 0;
	char *p;
	FILE *f;

	f = fopen(GUNYAH_SIM_RM_STATE, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '\n')
			memcpy(last, line, sizeof(last));
	fclose(f);

	if (sscanf(last, "vms %lu parcels %lu lent_pages %lu shared_pages %lu%n",
		   &st->vms, &st->parcels, &st->lent_pages,
		   &st->shared_pages, &pos) != 4)
		return -EIO;
	/* Counters the simulator added later, such as donated_pages */
	st->other = 0;
	p = last + pos;
	while (sscanf(p, " %63s %lu%n", name, &val, &pos) == 2) {
		st->other += val;
		p += pos;
	}
	return 0;
}

bool rm_state_available(void)
{
	struct rm_state st;

	return !rm_state_read(&st);
}

bool rm_state_equal(const struct rm_state *a, const struct rm_state *b)
{
	return a->vms == b->vms && a->parcels == b->parcels &&
	       a->lent_pages == b->lent_pages &&
	       a->shared_pages == b->shared_pages && a->other == b->other;
}

/* Poll rm_state until it equals @want or TEARDOWN_TIMEOUT_MS pass */
int rm_state_wait(const struct rm_state *want, struct rm_state *last)
{
	struct timespec delay = { .tv_nsec = 20 * 1000 * 1000 };
	int i, ret;

	for (i = 0; i <= TEARDOWN_TIMEOUT_MS / 20; i++) {
		ret = rm_state_read(last);
		if (ret)
			return ret;
		if (rm_state_equal(last, want))
			return 0;
		nanosleep(&delay, NULL);
	}
	return -ETIMEDOUT;
}

int rm_state_wait_idle(struct rm_state *last)
{
	static const struct rm_state idle;

	return rm_state_wait(&idle, last);
}

int gh_count_fds(void)
{
	struct dirent *e;
	int n = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the fd of the directory itself */
}

static sigjmp_buf fault_jmp;

static void fault_handler(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/*
 * Access the byte at @p: read it, or write it back. Returns the signal it
 * raised (SIGBUS or SIGSEGV), or 0 if the access went through.
 */
int gh_access_signal(void *p, bool write)
{
	struct sigaction sa = { .sa_handler = fault_handler }, old_bus, old_segv;
	int sig;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	sig = sigsetjmp(fault_jmp, 1);
	if (!sig) {
		uint8_t val = __atomic_load_n((uint8_t *)p, __ATOMIC_RELAXED);

		if (write)
			__atomic_store_n((uint8_t *)p, val, __ATOMIC_RELAXED);
	}
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return sig;
}

/* Drop CAP_IPC_LOCK, so that RLIMIT_MEMLOCK applies to this process */
int gh_drop_cap_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	int i = CAP_TO_INDEX(CAP_IPC_LOCK);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[i].effective &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	data[i].permitted &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	data[i].inheritable &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}
