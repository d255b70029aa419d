// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of what someone debugging a VM reads without the VMM's help: the
 * debug messages that name the RM call behind a failure (dynamic debug),
 * and the statistics of each VM and vCPU in debugfs, which must agree with
 * the VMM's stats fds.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"

#define DYNDBG_CONTROL	"/sys/kernel/debug/dynamic_debug/control"
#define GUNYAH_DEBUGFS	"/sys/kernel/debug/gunyah"
#define LOG_SIZE	65536
#define MAX_STATS	16

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

/* The messages logged since @fd was opened at the end of /dev/kmsg */
static void kmsg_drain(int fd, char *log, size_t size)
{
	size_t len = 0, l;
	char rec[1024], *msg;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		l = strcspn(msg, "\n");
		if (len + l + 2 > size)
			break;
		memcpy(log + len, msg, l);
		len += l;
		log[len++] = '\n';
	}
	log[len] = '\0';
}

static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Break the devicetree of a VM ready to start: the RM's VM_INIT fails */
static void break_dtb(struct __test_metadata *_metadata, struct gh_vm *v)
{
	uint32_t *p;

	p = mmap(NULL, page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, v->mem,
		 GUEST_DTB_OFFSET);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0;	/* the FDT magic */
	munmap(p, page_size());
}

/* A failed start names the RM call and its error, once enabled */
TEST(rm_failure_named)
{
	char want[64], *log;
	struct gh_vm v;
	int kmsg, ret;

	if (access(DYNDBG_CONTROL, W_OK))
		SKIP(return, "no dynamic debug in this kernel");
	log = malloc(LOG_SIZE);
	ASSERT_NE(NULL, log);

	/* Off (the default): the failure is silent */
	ASSERT_EQ(0, write_str(DYNDBG_CONTROL, "module gunyah_rsc_mgr -p"));
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg);
	gh_vm_init(&v);
	ASSERT_EQ(0, gh_vm_setup(&v, GH_STEP_SET_DTB_CONFIG));
	break_dtb(_metadata, &v);
	ret = gh_start(v.vm);
	ASSERT_GT(0, ret);
	gh_vm_close(&v);
	kmsg_drain(kmsg, log, LOG_SIZE);
	close(kmsg);
	EXPECT_EQ(NULL, strstr(log, "VM_INIT")) TH_LOG("logged: %s", log);

	/* On: the message names VM_INIT and the errno START returned */
	ASSERT_EQ(0, write_str(DYNDBG_CONTROL, "module gunyah_rsc_mgr +p"));
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg);
	gh_vm_init(&v);
	ASSERT_EQ(0, gh_vm_setup(&v, GH_STEP_SET_DTB_CONFIG));
	break_dtb(_metadata, &v);
	ret = gh_start(v.vm);
	gh_vm_close(&v);
	write_str(DYNDBG_CONTROL, "module gunyah_rsc_mgr -p");
	ASSERT_GT(0, ret);
	kmsg_drain(kmsg, log, LOG_SIZE);
	close(kmsg);
	snprintf(want, sizeof(want), ": VM_INIT: %d\n", ret);
	EXPECT_NE(NULL, strstr(log, want))
		TH_LOG("no \"%s\" in: %s", want, log);
	free(log);
}

struct stat_line {
	char name[GUNYAH_STATS_NAME_SIZE];
	unsigned long long value;
};

/* Parse a debugfs stats file: returns the number of lines, or -errno */
static int read_text_stats(const char *path, struct stat_line *lines)
{
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return -errno;
	while (n < MAX_STATS &&
	       fscanf(f, "%47s %llu", lines[n].name, &lines[n].value) == 2)
		n++;
	fclose(f);
	return n;
}

/* The values of a stats fd, by descriptor; returns their number */
static int read_fd_stats(int fd, struct stat_line *lines)
{
	struct gunyah_stats_header h;
	char desc[sizeof(struct gunyah_stats_desc) + GUNYAH_STATS_NAME_SIZE];
	struct gunyah_stats_desc *d = (void *)desc;
	uint64_t value;
	uint32_t i;

	if (pread(fd, &h, sizeof(h), 0) != sizeof(h) ||
	    h.name_size != GUNYAH_STATS_NAME_SIZE || h.num_desc > MAX_STATS)
		return -EINVAL;
	for (i = 0; i < h.num_desc; i++) {
		if (pread(fd, desc, sizeof(desc),
			  h.desc_offset + i * sizeof(desc)) != sizeof(desc) ||
		    pread(fd, &value, sizeof(value),
			  h.data_offset + d->offset) != sizeof(value))
			return -EIO;
		snprintf(lines[i].name, sizeof(lines[i].name), "%s", d->name);
		lines[i].value = value;
	}
	return h.num_desc;
}

/* This process's VM directory in debugfs (there is one VM at a time) */
static bool find_vm_dir(char *path, size_t size)
{
	char prefix[32];
	struct dirent *e;
	bool found = false;
	DIR *d;

	snprintf(prefix, sizeof(prefix), "%d-", getpid());
	d = opendir(GUNYAH_DEBUGFS);
	if (!d)
		return false;
	while ((e = readdir(d))) {
		if (!strncmp(e->d_name, prefix, strlen(prefix))) {
			snprintf(path, size, "%s/%s", GUNYAH_DEBUGFS, e->d_name);
			found = true;
			break;
		}
	}
	closedir(d);
	return found;
}

static void expect_same(struct __test_metadata *_metadata, const char *file,
			int fd)
{
	struct stat_line text[MAX_STATS], bin[MAX_STATS];
	int n_text, n_bin, i;

	n_text = read_text_stats(file, text);
	n_bin = read_fd_stats(fd, bin);
	ASSERT_LT(0, n_bin);
	ASSERT_EQ(n_bin, n_text) TH_LOG("%s", file);
	for (i = 0; i < n_bin; i++) {
		EXPECT_STREQ(bin[i].name, text[i].name);
		EXPECT_EQ(bin[i].value, text[i].value)
			TH_LOG("%s: %s", file, bin[i].name);
	}
}

/*
 * gunyah/<pid>-<n>/stats shows the VM's statistics and vcpu<id> those of
 * each vCPU while it exists, with the names and values of the stats fds;
 * the directory goes with the VM.
 */
TEST(debugfs_stats)
{
	char dir[320], path[400];
	int vm_stats, vcpu, vcpu_stats, waited;
	struct gh_vm v;

	if (access(GUNYAH_DEBUGFS, R_OK))
		SKIP(return, "no " GUNYAH_DEBUGFS);
	gh_vm_init(&v);
	ASSERT_EQ(0, gh_vm_setup(&v, GH_STEP_START));
	ASSERT_TRUE(find_vm_dir(dir, sizeof(dir)));

	vm_stats = gh_ioctl_val(v.vm, GUNYAH_GET_STATS_FD, 0);
	ASSERT_LE(0, vm_stats);
	snprintf(path, sizeof(path), "%s/stats", dir);
	expect_same(_metadata, path, vm_stats);

	vcpu = gh_add_vcpu(v.vm, 0);
	ASSERT_LE(0, vcpu);
	vcpu_stats = gh_ioctl_val(vcpu, GUNYAH_GET_STATS_FD, 0);
	ASSERT_LE(0, vcpu_stats);
	snprintf(path, sizeof(path), "%s/vcpu0", dir);
	expect_same(_metadata, path, vcpu_stats);

	/* The vCPU's file goes with its function, not with its fds */
	ASSERT_EQ(0, gh_remove_vcpu(v.vm, 0));
	EXPECT_NE(0, access(path, F_OK));
	close(vcpu_stats);
	close(vcpu);

	close(vm_stats);
	gh_vm_close(&v);
	for (waited = 0; !access(dir, F_OK) && waited < TEARDOWN_TIMEOUT_MS;
	     waited += 10)
		usleep(10000);
	EXPECT_NE(0, access(dir, F_OK)) TH_LOG("%s outlived its VM", dir);
}

TEST_HARNESS_MAIN
