// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the Gunyah VM manager selftests: ioctl wrappers that
 * return -errno, the test VM's devicetree, a VM built up to a given step of
 * its life, the simulated Resource Manager's bookkeeping, a probe for
 * host accesses that fault, and simulated guests: programs built in memory
 * and VMs that run them on vCPUs.
 */
#include <dirent.h>
#include <endian.h>
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

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id	_sigev_un._tid
#endif

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

void gh_prog_init(struct gh_prog *p)
{
	memset(p, 0, sizeof(*p));
	p->hdr.magic = GUNYAH_SIM_GUEST_MAGIC;
	p->hdr.version = GUNYAH_SIM_GUEST_VERSION;
}

/* Append an instruction; returns its index */
unsigned int gh_emit(struct gh_prog *p, uint32_t op, uint32_t arg,
		     uint64_t addr, uint64_t data)
{
	struct gunyah_sim_guest_insn *insn;
	unsigned int n = p->hdr.count;

	if (n >= GH_PROG_MAX) {
		fprintf(stderr, "guest program longer than %d instructions\n",
			GH_PROG_MAX);
		abort();
	}
	insn = &p->insn[n];
	insn->op = op;
	insn->arg = arg;
	insn->addr = addr;
	insn->data = data;
	p->hdr.count = n + 1;
	return n;
}

/* The index the next instruction will get, for jumps forward */
unsigned int gh_prog_next(const struct gh_prog *p)
{
	return p->hdr.count;
}

size_t gh_prog_size(const struct gh_prog *p)
{
	return sizeof(p->hdr) + p->hdr.count * sizeof(p->insn[0]);
}

/* Write the program, little-endian, at @offset of the guest memory @mem */
int gh_prog_write(const struct gh_prog *p, int mem, uint64_t offset)
{
	struct {
		struct gunyah_sim_guest_header hdr;
		struct gunyah_sim_guest_insn insn[GH_PROG_MAX];
	} le = {};
	unsigned int i;

	le.hdr.magic = htole32(p->hdr.magic);
	le.hdr.version = htole32(p->hdr.version);
	le.hdr.count = htole32(p->hdr.count);
	for (i = 0; i < p->hdr.count; i++) {
		le.insn[i].op = htole32(p->insn[i].op);
		le.insn[i].arg = htole32(p->insn[i].arg);
		le.insn[i].addr = htole64(p->insn[i].addr);
		le.insn[i].data = htole64(p->insn[i].data);
	}
	return gh_mem_write(mem, offset, &le, gh_prog_size(p));
}

int gh_fn(int vm, bool add, uint32_t type, uint32_t arg_size, const void *arg)
{
	struct gunyah_fn_desc desc = {
		.type = type,
		.arg_size = arg_size,
		.arg = (uintptr_t)arg,
	};

	return gh_ioctl(vm, add ? GUNYAH_VM_ADD_FUNCTION :
			GUNYAH_VM_REMOVE_FUNCTION, &desc);
}

/* Returns the vCPU fd */
int gh_add_vcpu(int vm, uint32_t id)
{
	struct gunyah_fn_vcpu_arg arg = { .id = id };

	return gh_fn(vm, true, GUNYAH_FN_VCPU, sizeof(arg), &arg);
}

int gh_remove_vcpu(int vm, uint32_t id)
{
	struct gunyah_fn_vcpu_arg arg = { .id = id };

	return gh_fn(vm, false, GUNYAH_FN_VCPU, sizeof(arg), &arg);
}

int gh_add_irqfd(int vm, int fd, uint32_t label, uint32_t flags)
{
	struct gunyah_fn_irqfd_arg arg = {
		.fd = fd,
		.label = label,
		.flags = flags,
	};

	return gh_fn(vm, true, GUNYAH_FN_IRQFD, sizeof(arg), &arg);
}

int gh_remove_irqfd(int vm, uint32_t label)
{
	struct gunyah_fn_irqfd_arg arg = { .label = label };

	return gh_fn(vm, false, GUNYAH_FN_IRQFD, sizeof(arg), &arg);
}

static int gh_ioeventfd(int vm, bool add, int fd, uint64_t addr,
			uint32_t len, uint32_t flags, uint64_t datamatch)
{
	struct gunyah_fn_ioeventfd_arg arg = {
		.datamatch = datamatch,
		.addr = addr,
		.len = len,
		.fd = fd,
		.flags = flags,
	};

	return gh_fn(vm, add, GUNYAH_FN_IOEVENTFD, sizeof(arg), &arg);
}

int gh_add_ioeventfd(int vm, int fd, uint64_t addr, uint32_t len,
		     uint32_t flags, uint64_t datamatch)
{
	return gh_ioeventfd(vm, true, fd, addr, len, flags, datamatch);
}

/* With the argument it was added with */
int gh_remove_ioeventfd(int vm, int fd, uint64_t addr, uint32_t len,
			uint32_t flags, uint64_t datamatch)
{
	return gh_ioeventfd(vm, false, fd, addr, len, flags, datamatch);
}

/* Write @len bytes at @offset of the guest memory @mem through a mapping */
int gh_mem_write(int mem, uint64_t offset, const void *buf, size_t len)
{
	uint64_t ps = page_size();
	uint64_t start = offset & ~(ps - 1);
	size_t map_len = (offset - start + len + ps - 1) & ~(ps - 1);
	char *map;

	map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED, mem,
		   start);
	if (map == MAP_FAILED)
		return -errno;
	memcpy(map + (offset - start), buf, len);
	munmap(map, map_len);
	return 0;
}

/*
 * Whether the Resource Manager pages guest memory in on demand, asked of a
 * VM made for the purpose: 1 if it does, 0 if not, or a -errno.
 */
int gh_rm_demand_paging(void)
{
	int dev, vm, ret;

	dev = gh_open_dev();
	if (dev < 0)
		return dev;
	vm = gh_create_vm(dev);
	if (vm < 0) {
		close(dev);
		return vm;
	}
	ret = gh_check_extension(vm, GUNYAH_CAP_DEMAND_PAGING);
	close(vm);
	close(dev);
	return ret < 0 ? ret : ret > 0;
}

static const char gh_step_add_vcpu[] = "GUNYAH_VM_ADD_FUNCTION (vCPU)";

void gh_guest_init(struct gh_guest *g)
{
	unsigned int i;

	memset(g, 0, sizeof(*g));
	gh_vm_init(&g->v);
	for (i = 0; i < GH_MAX_VCPUS; i++) {
		g->vcpu[i] = -1;
		g->run[i] = MAP_FAILED;
	}
}

/*
 * Build a VM that runs @p: guest memory with the program at GUEST_BASE
 * and the devicetree in it, bound (as one range with GH_GUEST_ONE_BINDING,
 * else as the image and data bindings), the boot PC at the program, and
 * @nr_vcpus vCPUs with their run pages mapped. The VM is not started, so
 * that the caller can add functions first: see gh_guest_start().
 *
 * Returns 0 or the -errno of the step named in g->failed. A kernel without
 * the vCPU function fails at GUNYAH_VM_ADD_FUNCTION: see gh_fn_missing().
 */
int gh_guest_setup(struct gh_guest *g, const struct gh_prog *p,
		   unsigned int nr_vcpus, unsigned int flags)
{
	uint32_t data_flags = GUEST_MEM_RWX;
	unsigned int i;
	int ret;

	if (nr_vcpus > GH_MAX_VCPUS)
		return -EINVAL;
	g->v.dtb_addr = GUEST_BASE + GH_GUEST_DTB_OFFSET;
	g->failed = "VM and guest memory";
	ret = gh_vm_setup(&g->v, GH_STEP_CREATE_GUEST_MEM);
	if (ret)
		return ret;

	g->failed = "writing the program";
	ret = gh_prog_write(p, g->v.mem, 0);
	if (ret)
		return ret;

	g->failed = "GUNYAH_VM_MAP_MEM";
	if (flags & GH_GUEST_ONE_BINDING) {
		ret = gh_map_mem(g->v.vm, g->v.mem, GUEST_BASE, 0,
				 GUEST_MEM_SIZE, GUEST_MEM_RWX);
		if (ret)
			return ret;
	} else {
		ret = gh_map_mem(g->v.vm, g->v.mem, GUEST_BASE, 0,
				 GH_GUEST_IMAGE_SIZE, GUEST_MEM_RWX);
		if (ret)
			return ret;
		if (flags & GH_GUEST_DATA_SHARED)
			data_flags |= GUNYAH_MEM_FORCE_SHARE;
		ret = gh_map_mem(g->v.vm, g->v.mem, GH_GUEST_DATA,
				 GH_GUEST_IMAGE_SIZE, GH_GUEST_DATA_SIZE,
				 data_flags);
		if (ret)
			return ret;
		g->demand_paging = gh_check_extension(g->v.vm,
						      GUNYAH_CAP_DEMAND_PAGING) > 0;
	}

	g->failed = "GUNYAH_VM_SET_DTB_CONFIG";
	ret = gh_set_dtb_config(g->v.vm, g->v.dtb_addr, g->v.dtb_size);
	if (ret)
		return ret;
	g->failed = "GUNYAH_VM_SET_BOOT_CONTEXT (PC)";
	ret = gh_set_boot_context(g->v.vm, REG_SET_PC, 0, GUEST_BASE);
	if (ret)
		return ret;

	for (i = 0; i < nr_vcpus; i++) {
		g->failed = gh_step_add_vcpu;
		ret = gh_add_vcpu(g->v.vm, i);
		if (ret < 0)
			return ret;
		g->vcpu[i] = ret;
		g->nr_vcpus = i + 1;

		g->failed = "GUNYAH_VCPU_MMAP_SIZE";
		ret = gh_ioctl_val(g->vcpu[i], GUNYAH_VCPU_MMAP_SIZE, 0);
		if (ret < 0)
			return ret;
		if (!ret)
			return -EINVAL;
		g->run_size = ret;

		g->failed = "mmap of the vCPU run page";
		g->run[i] = mmap(NULL, g->run_size, PROT_READ | PROT_WRITE,
				 MAP_SHARED, g->vcpu[i], 0);
		if (g->run[i] == MAP_FAILED)
			return -errno;
	}
	g->failed = NULL;
	return 0;
}

/* Whether gh_guest_setup() failed because there is no vCPU function */
bool gh_guest_no_vcpu_fn(const struct gh_guest *g, int ret)
{
	return g->failed == gh_step_add_vcpu && gh_fn_missing(ret);
}

int gh_guest_start(struct gh_guest *g)
{
	int ret;

	g->failed = "GUNYAH_VM_START";
	ret = gh_start(g->v.vm);
	if (!ret)
		g->failed = NULL;
	return ret;
}

void gh_guest_close(struct gh_guest *g)
{
	unsigned int i;

	for (i = 0; i < GH_MAX_VCPUS; i++) {
		if (g->run[i] != MAP_FAILED)
			munmap(g->run[i], g->run_size);
		g->run[i] = MAP_FAILED;
		if (g->vcpu[i] >= 0)
			close(g->vcpu[i]);
		g->vcpu[i] = -1;
	}
	gh_vm_close(&g->v);
}

/* Set by the signal of this thread's gh_vcpu_run_timeout() timer */
static __thread int gh_timer_fired;

static void gh_timer_handler(int sig)
{
	__atomic_store_n(&gh_timer_fired, 1, __ATOMIC_RELAXED);
}

/*
 * GUNYAH_VCPU_RUN, interrupted after @ms milliseconds by a signal to this
 * thread: returns its result, or -ETIMEDOUT if it was still running then.
 */
int gh_vcpu_run_timeout(int vcpu, unsigned int ms)
{
	struct sigaction sa = { .sa_handler = gh_timer_handler };
	struct itimerspec its = {
		.it_value.tv_sec = ms / 1000,
		.it_value.tv_nsec = (ms % 1000) * 1000000L,
	};
	struct sigevent sev = {
		.sigev_notify = SIGEV_THREAD_ID,
		.sigev_signo = SIGUSR2,
	};
	timer_t timer;
	int ret;

	/* No SA_RESTART: the ioctl must come back with EINTR. */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR2, &sa, NULL))
		return -errno;
	sev.sigev_notify_thread_id = syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer))
		return -errno;
	__atomic_store_n(&gh_timer_fired, 0, __ATOMIC_RELAXED);
	if (timer_settime(timer, 0, &its, NULL)) {
		ret = -errno;
		timer_delete(timer);
		return ret;
	}
	ret = gh_vcpu_run(vcpu);
	timer_delete(timer);
	if (ret == -EINTR && __atomic_load_n(&gh_timer_fired, __ATOMIC_RELAXED))
		return -ETIMEDOUT;
	return ret;
}

static void gh_nop_handler(int sig)
{
}

/* Let @sig interrupt system calls (no SA_RESTART) and do nothing else */
void gh_signal_ignore(int sig)
{
	struct sigaction sa = { .sa_handler = gh_nop_handler };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

uint64_t gh_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void gh_sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The data of an MMIO exit: its first len bytes, little-endian */
uint64_t gh_mmio_data(const struct gunyah_vcpu_run *run)
{
	unsigned int i, len = run->mmio.len;
	uint64_t val = 0;

	if (len > sizeof(run->mmio.data))
		len = sizeof(run->mmio.data);
	for (i = 0; i < len; i++)
		val |= (uint64_t)run->mmio.data[i] << (8 * i);
	return val;
}

/* The data a read returns to the guest: the access's bytes, then zeros */
void gh_mmio_set_data(struct gunyah_vcpu_run *run, uint64_t val)
{
	unsigned int i;

	for (i = 0; i < sizeof(run->mmio.data); i++)
		run->mmio.data[i] = i < run->mmio.len ? val >> (8 * i) : 0;
}

/* Word @i of the exit reason of a STATUS exit, little-endian */
uint32_t gh_reason_word(const struct gunyah_vcpu_run *run, unsigned int i)
{
	const uint8_t *r = run->status.exit_info.reason + 4 * i;

	if (4 * i + 4 > GUNYAH_VM_MAX_EXIT_REASON_SIZE)
		return 0;
	return r[0] | r[1] << 8 | r[2] << 16 | (uint32_t)r[3] << 24;
}

/*
 * The simulator's hypercall counters: "hypercalls N vcpu_run N", each
 * counting since the simulator was loaded.
 */
int gh_sim_hypercalls(uint64_t *hypercalls, uint64_t *vcpu_run)
{
	unsigned long long h, v;
	int n;
	FILE *f;

	f = fopen(GUNYAH_SIM_HYPERCALLS, "r");
	if (!f)
		return -errno;
	n = fscanf(f, "hypercalls %llu vcpu_run %llu", &h, &v);
	fclose(f);
	if (n != 2)
		return -EIO;
	*hypercalls = h;
	*vcpu_run = v;
	return 0;
}

/* Read (and reset) the counter of a non-blocking eventfd; 0 if unsignalled */
int gh_eventfd_count(int fd, uint64_t *count)
{
	ssize_t n = read(fd, count, sizeof(*count));

	if (n == sizeof(*count))
		return 0;
	if (n < 0 && errno == EAGAIN) {
		*count = 0;
		return 0;
	}
	return n < 0 ? -errno : -EIO;
}
