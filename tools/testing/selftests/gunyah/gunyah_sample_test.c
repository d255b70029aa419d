// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot guests of the simulated hypervisor through the sample VMM,
 * samples/gunyah/gunyah_vmm, and check what it prints and its exit status:
 * the guest's console, the doorbell device (ioeventfd in, irqfd out), exit
 * codes, a crash, a second vCPU, the emulated UART registers, with each kind
 * of guest memory the sample offers, and its argument errors.
 *
 * The sample is $GUNYAH_VMM, else gunyah_vmm next to this program or on
 * $PATH; without it the tests are skipped. The guests' devicetree is the
 * selftests' gunyah-vm.dtb: two vCPUs, 4 MiB at 0x80000000 and doorbell 1.
 * The guest programs (drivers/virt/gunyah/sim/gunyah_sim_guest.h) are built
 * here.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "../../../../drivers/virt/gunyah/sim/gunyah_sim_guest.h"
#include "gunyah_util.h"

/* The sample's defaults */
#define UART		0x09000000ULL
#define UART_FR		0x18
#define UART_ID0	0xfe0
#define DOORBELL	0x09010000ULL
#define BELL		1

/* The sample's exit statuses */
#define VMM_EXIT_CODE_MAX	124
#define VMM_CRASHED		125
#define VMM_ERROR		126

#define RUN_TIMEOUT_S	30
#define OUT_MAX		16384
#define PROG_MAX	512

struct prog {
	struct gunyah_sim_guest_insn insn[PROG_MAX];
	unsigned int n;
};

static unsigned int emit(struct prog *p, __u32 op, __u32 arg, __u64 addr,
			 __u64 data)
{
	if (p->n < PROG_MAX)
		p->insn[p->n] = (struct gunyah_sim_guest_insn){
			.op = op, .arg = arg, .addr = addr, .data = data,
		};
	return p->n++;
}

static void emit_puts(struct prog *p, const char *s)
{
	while (*s)
		emit(p, GUNYAH_SIM_GUEST_STORE, 1, UART, (unsigned char)*s++);
}

static int write_prog(const struct prog *p, const char *path)
{
	struct gunyah_sim_guest_header h = {
		.magic = GUNYAH_SIM_GUEST_MAGIC,
		.version = GUNYAH_SIM_GUEST_VERSION,
		.count = p->n,
	};
	FILE *f;
	int ok;

	if (p->n > PROG_MAX)
		return -E2BIG;
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	ok = fwrite(&h, sizeof(h), 1, f) == 1 &&
	     fwrite(p->insn, sizeof(p->insn[0]), p->n, f) == p->n;
	return fclose(f) || !ok ? -EIO : 0;
}

/* The sample: $GUNYAH_VMM, next to this program, or on $PATH */
static const char *vmm_path(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("GUNYAH_VMM");
	char *slash, *dirs, *dir, *save;
	ssize_t len;

	if (env && *env)
		return env;
	len = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (len > 0) {
		path[len] = '\0';
		slash = strrchr(path, '/');
		if (slash && slash - path + sizeof("/gunyah_vmm") <= sizeof(path)) {
			memcpy(slash, "/gunyah_vmm", sizeof("/gunyah_vmm"));
			if (!access(path, X_OK))
				return path;
		}
	}
	env = getenv("PATH");
	dirs = strdup(env ? env : "/bin:/usr/bin");
	for (dir = strtok_r(dirs, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof(path), "%s/gunyah_vmm", dir);
		if (!access(path, X_OK)) {
			free(dirs);
			return path;
		}
	}
	free(dirs);
	return NULL;
}

struct vmm_run {
	int status;		/* exit status, or -1 if killed or timed out */
	bool timed_out;
	char out[OUT_MAX];	/* stdout: the guest's console */
	char err[OUT_MAX];	/* stderr: the sample's messages */
};

static void drain(int fd, char *buf, size_t *len, bool *open_)
{
	ssize_t n = read(fd, buf + *len, OUT_MAX - 1 - *len);

	if (n > 0)
		*len += n;
	else if (n == 0 || errno != EINTR)
		*open_ = false;
	if (*len == OUT_MAX - 1) {
		/* Full: keep reading, drop the rest. */
		char sink[512];

		while (read(fd, sink, sizeof(sink)) > 0)
			;
		*open_ = false;
	}
	buf[*len] = '\0';
}

/* Run the sample with @argv (NULL-terminated, without argv[0]). */
static int run_vmm(const char *vmm, const char *const *argv,
		   struct vmm_run *r)
{
	const char *args[32] = { vmm };
	int out[2], err[2], wstatus;
	bool out_open = true, err_open = true;
	size_t out_len = 0, err_len = 0;
	time_t deadline;
	unsigned int i;
	pid_t pid;

	for (i = 0; argv[i] && i + 2 < 32; i++)
		args[i + 1] = argv[i];
	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		execv(vmm, (char *const *)args);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);

	deadline = time(NULL) + RUN_TIMEOUT_S;
	while (out_open || err_open) {
		struct pollfd fds[2] = {
			{ .fd = out_open ? out[0] : -1, .events = POLLIN },
			{ .fd = err_open ? err[0] : -1, .events = POLLIN },
		};
		int left = deadline - time(NULL);

		if (left <= 0) {
			r->timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(fds, 2, left * 1000) <= 0)
			continue;
		if (fds[0].revents)
			drain(out[0], r->out, &out_len, &out_open);
		if (fds[1].revents)
			drain(err[0], r->err, &err_len, &err_open);
	}
	close(out[0]);
	close(err[0]);
	if (waitpid(pid, &wstatus, 0) != pid)
		return -errno;
	if (WIFEXITED(wstatus) && !r->timed_out)
		r->status = WEXITSTATUS(wstatus);
	return 0;
}

/* Whether @hay has the strings of @needles in this order */
static bool in_order(const char *hay, const char *const *needles)
{
	for (; *needles; needles++) {
		hay = strstr(hay, *needles);
		if (!hay)
			return false;
		hay += strlen(*needles);
	}
	return true;
}

static void dump(struct __test_metadata *_metadata, const struct vmm_run *r)
{
	TH_LOG("status %d%s\n--- stdout ---\n%s\n--- stderr ---\n%s",
	       r->status, r->timed_out ? " (timed out)" : "", r->out, r->err);
}

FIXTURE(sample) {
	const char *vmm;
	char dir[32];
	char prog[64];
	char dtb[64];
	struct prog p;
	struct vmm_run r;
};

FIXTURE_VARIANT(sample) {
	const char *mem;	/* the sample's memory option, or NULL */
};

FIXTURE_VARIANT_ADD(sample, guest_mem) {
	.mem = NULL,
};

FIXTURE_VARIANT_ADD(sample, user_mem_share) {
	.mem = "--user-mem=share",
};

FIXTURE_VARIANT_ADD(sample, user_mem_lend) {
	.mem = "--user-mem=lend",
};

FIXTURE_SETUP(sample)
{
	const void *dtb;
	size_t size;
	FILE *f;

	self->vmm = vmm_path();
	if (!self->vmm)
		SKIP(return, "gunyah_vmm is not next to the test or on $PATH");
	if (access(GUNYAH_DEV, R_OK | W_OK))
		SKIP(return, GUNYAH_DEV ": %s", strerror(errno));
	dtb = gh_dtb(&size);
	ASSERT_NE(NULL, dtb) TH_LOG("%s is missing", GUNYAH_VM_DTB);

	snprintf(self->dir, sizeof(self->dir), "/tmp/gunyah_sample.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->prog, sizeof(self->prog), "%s/guest.gsim", self->dir);
	snprintf(self->dtb, sizeof(self->dtb), "%s/guest.dtb", self->dir);
	f = fopen(self->dtb, "wb");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fwrite(dtb, size, 1, f));
	ASSERT_EQ(0, fclose(f));
}

FIXTURE_TEARDOWN(sample)
{
	struct rm_state st;

	if (!self->dir[0])
		return;
	unlink(self->prog);
	unlink(self->dtb);
	rmdir(self->dir);
	/* Whatever the guest did, the VM is gone once the sample exits. */
	if (rm_state_available())
		EXPECT_EQ(0, rm_state_wait_idle(&st))
			TH_LOG("the RM still holds %lu VMs, %lu parcels",
			       st.vms, st.parcels);
}

/*
 * Run the program built in self->p on the selftests' devicetree, with the
 * variant's memory option and up to two more options.
 */
#define boot(opt1, opt2) \
	boot_prog(self->vmm, self->dtb, self->prog, &self->p, variant->mem, \
		  opt1, opt2, &self->r)

static int boot_prog(const char *vmm, const char *dtb, const char *path,
		     const struct prog *p, const char *mem, const char *opt1,
		     const char *opt2, struct vmm_run *r)
{
	const char *argv[12];
	unsigned int n = 0;
	int ret;

	ret = write_prog(p, path);
	if (ret)
		return ret;
	argv[n++] = "--dtb";
	argv[n++] = dtb;
	if (mem)
		argv[n++] = mem;
	if (opt1)
		argv[n++] = opt1;
	if (opt2)
		argv[n++] = opt2;
	argv[n++] = path;
	argv[n] = NULL;
	return run_vmm(vmm, argv, r);
}

/* The main job: greet, ring the doorbell, take its interrupt, power off. */
TEST_F(sample, greeting)
{
	static const char *const console[] = {
		"guest: hello\n", "guest: rang\n", "guest: got the interrupt\n",
		NULL,
	};
	static const char *const messages[] = {
		"doorbell: the guest rang", "the guest exited (powered off) with code 0",
		NULL,
	};
	struct prog *p = &self->p;

	emit_puts(p, "guest: hello\n");
	emit(p, GUNYAH_SIM_GUEST_STORE, 4, DOORBELL, 1);
	emit_puts(p, "guest: rang\n");
	emit(p, GUNYAH_SIM_GUEST_WAIT_BELL, BELL, 0, 0);
	emit(p, GUNYAH_SIM_GUEST_ACK_BELL, BELL, 0, 0);
	emit_puts(p, "guest: got the interrupt\n");
	emit(p, GUNYAH_SIM_GUEST_POWEROFF, 0, 0, 0);

	ASSERT_EQ(0, boot(NULL, NULL));
	EXPECT_EQ(0, self->r.status);
	EXPECT_TRUE(in_order(self->r.out, console));
	EXPECT_TRUE(in_order(self->r.err, messages));
	if (_metadata->exit_code)
		dump(_metadata, &self->r);
}

/* The doorbell device rings the guest's doorbell once per write. */
TEST_F(sample, doorbell_twice)
{
	static const char *const console[] = { "A\n", "B\n", "C\n", NULL };
	struct prog *p = &self->p;
	unsigned int i;

	emit_puts(p, "A\n");
	for (i = 0; i < 2; i++) {
		emit(p, GUNYAH_SIM_GUEST_STORE, 1, DOORBELL, i);
		emit(p, GUNYAH_SIM_GUEST_WAIT_BELL, BELL, 0, 0);
		emit(p, GUNYAH_SIM_GUEST_ACK_BELL, BELL, 0, 0);
		emit_puts(p, i ? "C\n" : "B\n");
	}
	emit(p, GUNYAH_SIM_GUEST_POWEROFF, 0, 0, 0);

	ASSERT_EQ(0, boot(NULL, NULL));
	EXPECT_EQ(0, self->r.status);
	EXPECT_TRUE(in_order(self->r.out, console));
	EXPECT_NE(NULL, strstr(self->r.err, "doorbell: the guest rang"));
	if (_metadata->exit_code)
		dump(_metadata, &self->r);
}

/* The guest's exit code is the sample's exit status. */
TEST_F(sample, exit_code)
{
	emit_puts(&self->p, "bye\n");
	emit(&self->p, GUNYAH_SIM_GUEST_POWEROFF, 0, 0, 42);

	ASSERT_EQ(0, boot(NULL, NULL));
	EXPECT_EQ(42, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "bye\n"));
	EXPECT_NE(NULL, strstr(self->r.err, "with code 42"));
	if (_metadata->exit_code)
		dump(_metadata, &self->r);
}

/* Codes that do not fit the sample's range are reported as 124. */
TEST_F(sample, exit_code_large)
{
	emit(&self->p, GUNYAH_SIM_GUEST_POWEROFF, 0, 0, 0x1234);

	ASSERT_EQ(0, boot(NULL, NULL));
	EXPECT_EQ(VMM_EXIT_CODE_MAX, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.err, "with code 4660"));
	if (_metadata->exit_code)
		dump(_metadata, &self->r);
}

TEST_F(sample, crash)
{
	emit_puts(&self->p, "about to crash\n");
	emit(&self->p, GUNYAH_SIM_GUEST_CRASH, 0, 0, 0);
	emit_puts(&self->p, "still here\n");

	ASSERT_EQ(0, boot(NULL, NULL));
	EXPECT_EQ(VMM_CRASHED, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "about to crash\n"));
	EXPECT_EQ(NULL, strstr(self->r.out, "still here"));
	EXPECT_NE(NULL, strstr(self->r.err, "the guest crashed"));
	if (_metadata->exit_code)
		dump(_metadata, &self->r);
}

/*
 * vCPU 0 starts vCPU 1 and powers itself off; vCPU 1 ends the VM. The
 * sample must stop vCPU 0's thread, which waits in the kernel.
 */
TEST_F(sample, second_vcpu)
{
	struct prog *p = &self->p;
	unsigned int on;

	emit_puts(p, "vcpu0\n");
	on = emit(p, GUNYAH_SIM_GUEST_CPU_ON, 1, 0, 0);
	emit(p, GUNYAH_SIM_GUEST_CPU_OFF, 0, 0, 0);
	p->insn[on].data = p->n;
	emit_puts(p, "vcpu1\n");
	emit(p, GUNYAH_SIM_GUEST_POWEROFF, 0, 0, 7);

	ASSERT_EQ(0, boot(NULL, NULL));
	EXPECT_EQ(7, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "vcpu0\nvcpu1\n"));
	if (_metadata->exit_code)
		dump(_metadata, &self->r);
}

/* One vCPU although the devicetree has two. */
TEST_F(sample, one_vcpu)
{
	emit_puts(&self->p, "alone\n");
	emit(&self->p, GUNYAH_SIM_GUEST_POWEROFF, 0, 0, 3);

	ASSERT_EQ(0, boot("--vcpus", "1"));
	EXPECT_EQ(3, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "alone\n"));
	if (_metadata->exit_code)
		dump(_metadata, &self->r);
}

/* The flag and identification registers read back; other reads are 0. */
TEST_F(sample, uart_registers)
{
	struct prog *p = &self->p;

	emit_puts(p, "<");
	emit(p, GUNYAH_SIM_GUEST_LOAD, 4, UART + UART_FR, 0);
	emit(p, GUNYAH_SIM_GUEST_STORE, 1 | GUNYAH_SIM_GUEST_ACC, UART, 0);
	emit(p, GUNYAH_SIM_GUEST_LOAD, 4, UART + UART_ID0, 0);
	emit(p, GUNYAH_SIM_GUEST_STORE, 1 | GUNYAH_SIM_GUEST_ACC, UART, 0);
	emit(p, GUNYAH_SIM_GUEST_LOAD, 8, 0x12340000, 0);
	emit(p, GUNYAH_SIM_GUEST_STORE, 1 | GUNYAH_SIM_GUEST_ACC, UART, 0);
	emit_puts(p, ">\n");
	emit(p, GUNYAH_SIM_GUEST_POWEROFF, 0, 0, 0);

	ASSERT_EQ(0, boot(NULL, NULL));
	EXPECT_EQ(0, self->r.status);
	/* TXFE | RXFE, then the PL011's first ID byte, then 0 */
	EXPECT_EQ(0, memcmp(self->r.out, "<\x90\x11\0>\n", 6));
	if (_metadata->exit_code)
		dump(_metadata, &self->r);
}

/* Without the doorbell device, a write there is an ignored MMIO write. */
TEST_F(sample, doorbell_off)
{
	emit(&self->p, GUNYAH_SIM_GUEST_STORE, 4, DOORBELL, 1);
	emit_puts(&self->p, "no bell\n");
	emit(&self->p, GUNYAH_SIM_GUEST_POWEROFF, 0, 0, 0);

	ASSERT_EQ(0, boot("--doorbell", "off"));
	EXPECT_EQ(0, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "no bell\n"));
	EXPECT_EQ(NULL, strstr(self->r.err, "doorbell:"));
	if (_metadata->exit_code)
		dump(_metadata, &self->r);
}

/* An instruction the simulated guest does not know crashes it. */
TEST_F(sample, bad_instruction)
{
	emit_puts(&self->p, "then\n");
	emit(&self->p, 0xdead, 0, 0, 0);
	emit(&self->p, GUNYAH_SIM_GUEST_POWEROFF, 0, 0, 0);

	ASSERT_EQ(0, boot(NULL, NULL));
	EXPECT_EQ(VMM_CRASHED, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "then\n"));
	if (_metadata->exit_code)
		dump(_metadata, &self->r);
}

/* Arguments: help, and each error with its message and status 126 */
FIXTURE(args) {
	const char *vmm;
	struct vmm_run r;
};

FIXTURE_SETUP(args)
{
	self->vmm = vmm_path();
	if (!self->vmm)
		SKIP(return, "gunyah_vmm is not next to the test or on $PATH");
}

FIXTURE_TEARDOWN(args)
{
}

TEST_F(args, help)
{
	static const char *const argv[] = { "--help", NULL };

	ASSERT_EQ(0, run_vmm(self->vmm, argv, &self->r));
	EXPECT_EQ(0, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "usage: gunyah_vmm"));
	EXPECT_NE(NULL, strstr(self->r.out, "--user-mem"));
	EXPECT_NE(NULL, strstr(self->r.out, "Exit status"));
	EXPECT_NE(NULL, strstr(self->r.out, "125  the guest crashed"));
	EXPECT_EQ('\0', self->r.err[0]);
}

struct bad_args {
	const char *argv[6];
	const char *message;
};

static const struct bad_args bad_args[] = {
	{ { NULL }, "IMAGE is missing" },
	{ { "x.gsim", NULL }, "--dtb is missing" },
	{ { "--dtb", "a.dtb", "x", "y", NULL }, "one IMAGE" },
	{ { "--bogus", NULL }, "unrecognized option" },
	{ { "--mem", "12Q", "--dtb", "a", "x", NULL }, "bad value for --mem: 12Q" },
	{ { "--vcpus", "0", "--dtb", "a", "x", NULL }, "bad value for --vcpus" },
	{ { "--user-mem=borrow", "--dtb", "a", "x", NULL },
	  "bad value for --user-mem" },
	{ { "--uart", "0x40000000", "--dtb", "a", "x", NULL },
	  "bad value for --uart" },
	{ { "--doorbell", "on", "--dtb", "a", "x", NULL },
	  "bad value for --doorbell" },
	{ { "--dtb", "/nonexistent.dtb", "/proc/self/exe", NULL },
	  "/nonexistent.dtb: No such file or directory" },
	{ { "--dtb", "/proc/self/exe", "/nonexistent", NULL },
	  "/nonexistent: No such file or directory" },
	{ { "--dtb", "/dev/null", "/dev/null", NULL },
	  "/dev/null: not a regular file" },
};

TEST_F(args, errors)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_args); i++) {
		ASSERT_EQ(0, run_vmm(self->vmm, bad_args[i].argv, &self->r));
		EXPECT_EQ(VMM_ERROR, self->r.status)
			TH_LOG("case %u: %s", i, self->r.err);
		EXPECT_NE(NULL, strstr(self->r.err, bad_args[i].message))
			TH_LOG("case %u: wanted \"%s\", got: %s", i,
			       bad_args[i].message, self->r.err);
	}
}

/* A file that is not a devicetree is refused before /dev/gunyah is used. */
TEST_F(args, bad_dtb)
{
	static const char *const argv[] = {
		"--dtb", "/proc/self/exe", "/proc/self/exe", NULL
	};

	ASSERT_EQ(0, run_vmm(self->vmm, argv, &self->r));
	EXPECT_EQ(VMM_ERROR, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.err, "not a valid flattened devicetree"));
}

TEST_HARNESS_MAIN
