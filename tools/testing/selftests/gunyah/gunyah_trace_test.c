// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of the gunyah trace events: with every event of the "gunyah"
 * system enabled through tracefs, a simulated guest that stores to an MMIO
 * address and powers off leaves a trace in which each event names what
 * happened: the vCPU added, the memory lent and reclaimed, VM_START sent to
 * the RM, the VM_EXITED notification, the vCPU's runs and exits with the
 * address the guest stored to, and the vCPU removed. Memory shared rather
 * than lent is traced as shared, and reclaimed with the same parcel; a
 * message the RM refuses is traced with the RM's error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"
#include "gunyah_guest_test.h"

#define TRACEFS			"/sys/kernel/tracing"
#define TRACE_EVENTS		TRACEFS "/events/gunyah"

#define RM_VM_START		0x56000004U
#define RM_VM_INIT		0x5600000bU
#define RM_ERROR_ARG_INVALID	0x6U
#define RM_NOTIF_VM_EXITED	0x56100001U
#define STORE_DATA		0x5a5aU

static const char * const trace_events[] = {
	"gunyah_rm_send", "gunyah_rm_reply_error", "gunyah_rm_notification",
	"gunyah_vcpu_run", "gunyah_vcpu_exit", "gunyah_vcpu_user_exit",
	"gunyah_mem_lend", "gunyah_mem_share", "gunyah_mem_reclaim",
	"gunyah_fn_add", "gunyah_fn_remove",
};

static int trace_write(const char *file, const char *val)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

/* The whole of the trace buffer, as text; NULL on error */
static char *trace_read(void)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap), *p;
	ssize_t n;
	int fd;

	fd = open(TRACEFS "/trace", O_RDONLY);
	if (fd < 0 || !buf)
		goto err;
	for (;;) {
		if (cap - len < 4096) {
			p = realloc(buf, cap * 2);
			if (!p)
				goto err;
			buf = p;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0)
			goto err;
		if (!n)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return buf;
err:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/*
 * The fields of the @nth (from 0) line of event @event in @trace, or NULL:
 * what follows "event: ", up to the end of the line (not included).
 */
static const char *trace_find(const char *trace, const char *event,
			      unsigned int nth, char *fields, size_t size)
{
	char key[64];
	const char *p = trace, *end;
	size_t n;

	snprintf(key, sizeof(key), " %s: ", event);
	while ((p = strstr(p, key))) {
		p += strlen(key);
		if (nth--)
			continue;
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		n = end - p < (ptrdiff_t)size - 1 ? end - p : size - 1;
		memcpy(fields, p, n);
		fields[n] = '\0';
		return fields;
	}
	return NULL;
}

/* Mount tracefs if needed; false if there is none or no gunyah events */
static bool trace_available(void)
{
	struct stat st;

	if (stat(TRACEFS "/trace", &st))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	return !stat(TRACEFS "/trace", &st) && !stat(TRACE_EVENTS, &st);
}

FIXTURE(trace) {
	struct gh_guest g;
	struct gh_prog p;
	char *trace;
	bool on;
};

FIXTURE_SETUP(trace)
{
	int dev;

	gh_guest_init(&self->g);
	gh_prog_init(&self->p);
	self->trace = NULL;
	self->on = false;

	/* The events appear with the driver: make sure it is loaded. */
	dev = gh_open_dev();
	if (dev >= 0)
		close(dev);
	if (!trace_available())
		SKIP(return, "no tracefs, or no gunyah trace events in it");

	ASSERT_EQ(0, trace_write("tracing_on", "0"));
	ASSERT_EQ(0, trace_write("buffer_size_kb", "1024"));
	ASSERT_EQ(0, trace_write("trace", ""));
	ASSERT_EQ(0, trace_write("events/gunyah/enable", "1"));
	self->on = true;
	ASSERT_EQ(0, trace_write("tracing_on", "1"));
}

FIXTURE_TEARDOWN(trace)
{
	gh_guest_close(&self->g);
	if (self->on) {
		trace_write("tracing_on", "0");
		trace_write("events/gunyah/enable", "0");
		trace_write("trace", "");
	}
	free(self->trace);
}

/* Every event is there, with a format for perf and trace-cmd */
TEST_F(trace, formats)
{
	char path[256];
	unsigned int i;
	struct stat st;

	for (i = 0; i < ARRAY_SIZE(trace_events); i++) {
		snprintf(path, sizeof(path), TRACE_EVENTS "/%s/format",
			 trace_events[i]);
		EXPECT_EQ(0, stat(path, &st)) TH_LOG("%s is missing", path);
	}
}

/*
 * The value of field @name in the fields of an event line, or ~0 if it is
 * not there
 */
static unsigned long long fld(const char *fields, const char *name)
{
	size_t n = strlen(name);
	const char *p = fields;
	char *end;
	unsigned long long v;

	while ((p = strstr(p, name))) {
		if ((p == fields || p[-1] == ' ') && p[n] == '=') {
			v = strtoull(p + n + 1, &end, 0);
			if (end != p + n + 1)
				return v;
		}
		p += n;
	}
	return ~0ULL;
}

/* The fields of the @nth line of @event; fails the test if there is none */
static void __find(struct __test_metadata *_metadata, const char *trace,
		   const char *event, unsigned int nth, char *f, size_t size)
{
	f[0] = '\0';
	ASSERT_NE(NULL, trace_find(trace, event, nth, f, size))
		TH_LOG("no %s #%u in the trace", event, nth);
}

#define FIND(event, nth) \
	__find(_metadata, self->trace, event, nth, f, sizeof(f))

/*
 * From the simulated RM's rm_state: the number of VMs it has and the VMID
 * of the last one listed, and, for the parcel @handle, how it was given
 * ("lend", "share", ...) in @trans (of @trans_size bytes) and its size in
 * pages in *@pages, ~0 if there is no such parcel. Returns 0 or a -errno.
 */
static int rm_state_vm_parcel(unsigned int *vms, unsigned long long *vmid,
			      unsigned long long handle, char *trans,
			      size_t trans_size, unsigned long long *pages)
{
	unsigned long long id, h, n;
	char line[256], t[16];
	FILE *f;

	*vms = 0;
	*vmid = ~0ULL;
	*pages = ~0ULL;
	trans[0] = '\0';
	f = fopen(GUNYAH_SIM_RM_STATE, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "vm %llu state", &id) == 1) {
			(*vms)++;
			*vmid = id;
		} else if (sscanf(line, "parcel %llu owner %*u %15s pages %llu",
				  &h, t, &n) == 3 && h == handle) {
			snprintf(trans, trans_size, "%s", t);
			*pages = n;
		}
	}
	fclose(f);
	return 0;
}

/* Wait up to TEARDOWN_TIMEOUT_MS for a @event in the trace */
static void trace_wait(struct __test_metadata *_metadata, char **trace,
		       const char *event)
{
	char f[256];
	unsigned int i;

	for (i = 0; i < TEARDOWN_TIMEOUT_MS / 50; i++) {
		free(*trace);
		*trace = trace_read();
		ASSERT_NE(NULL, *trace);
		if (trace_find(*trace, event, 0, f, sizeof(f)))
			return;
		usleep(50 * 1000);
	}
}

/*
 * Wait for the simulated RM (if it says what it holds) to forget the VMs
 * of earlier tests, then empty the trace of their teardown.
 */
static void rm_idle(struct __test_metadata *_metadata)
{
	struct rm_state st;

	if (rm_state_available())
		ASSERT_EQ(0, rm_state_wait_idle(&st))
			TH_LOG("vms %lu parcels %lu: the RM is not idle",
			       st.vms, st.parcels);
	ASSERT_EQ(0, trace_write("trace", ""));
}

/* A guest's life, event by event */
TEST_F(trace, guest)
{
	unsigned long long vmid, handle, size, extents;
	char f[256];
	unsigned int i;
	bool found;
	int ret;

	gh_store(&self->p, 4, M(1), STORE_DATA);
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, GH_GUEST_ONE_BINDING))
		return;
	RUN_TO_WRITE(0, M(1), 4, STORE_DATA);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
	ret = gh_remove_vcpu(self->g.v.vm, 0);

	self->trace = trace_read();
	ASSERT_NE(NULL, self->trace);

	/* The vCPU was added before the VM had a VMID */
	FIND("gunyah_fn_add", 0);
	EXPECT_EQ(0, fld(f, "vmid")) TH_LOG("%s", f);
	EXPECT_EQ(GUNYAH_FN_VCPU, fld(f, "type")) TH_LOG("%s", f);
	EXPECT_GT(1024, (long long)fld(f, "ret")) TH_LOG("%s", f);
	EXPECT_LE(0, (long long)fld(f, "ret")) TH_LOG("%s", f);

	/* The guest memory, a single parcel, was lent once */
	FIND("gunyah_mem_lend", 0);
	vmid = fld(f, "vmid");
	handle = fld(f, "handle");
	size = fld(f, "size");
	extents = fld(f, "extents");
	EXPECT_NE(0, vmid) TH_LOG("%s", f);
	EXPECT_GT(0x10000, vmid) TH_LOG("%s", f);
	EXPECT_NE(~0ULL, handle) TH_LOG("%s", f);
	EXPECT_EQ(GUEST_MEM_SIZE, size) TH_LOG("%s", f);
	EXPECT_LE(1, extents) TH_LOG("%s", f);
	EXPECT_GE(GUEST_MEM_SIZE / page_size(), extents) TH_LOG("%s", f);
	EXPECT_EQ(NULL, trace_find(self->trace, "gunyah_mem_lend", 1, f,
				   sizeof(f))) TH_LOG("%s", f);

	/* VM_START went to the RM */
	found = false;
	for (i = 0; trace_find(self->trace, "gunyah_rm_send", i, f, sizeof(f));
	     i++) {
		EXPECT_LE(1, fld(f, "fragments")) TH_LOG("%s", f);
		if (fld(f, "msg_id") == RM_VM_START)
			found = true;
	}
	EXPECT_TRUE(found) TH_LOG("no gunyah_rm_send of VM_START");

	/* The RM said the VM exited */
	found = false;
	for (i = 0; trace_find(self->trace, "gunyah_rm_notification", i, f,
			       sizeof(f)); i++) {
		if (fld(f, "msg_id") == RM_NOTIF_VM_EXITED &&
		    fld(f, "size") >= 4)
			found = true;
	}
	EXPECT_TRUE(found) TH_LOG("no VM_EXITED gunyah_rm_notification");

	/* The first run of the vCPU */
	FIND("gunyah_vcpu_run", 0);
	EXPECT_EQ(vmid, fld(f, "vmid")) TH_LOG("%s", f);
	EXPECT_EQ(0, fld(f, "vcpu")) TH_LOG("%s", f);

	/* Its first exit is the store, at its address and length */
	FIND("gunyah_vcpu_exit", 0);
	EXPECT_EQ(vmid, fld(f, "vmid")) TH_LOG("%s", f);
	EXPECT_EQ(0, fld(f, "vcpu")) TH_LOG("%s", f);
	EXPECT_EQ(5, fld(f, "state")) TH_LOG("%s", f);	/* VMMIO_WRITE */
	EXPECT_EQ(M(1), fld(f, "data0")) TH_LOG("%s", f);
	EXPECT_EQ(4, fld(f, "data1")) TH_LOG("%s", f);

	/* The next run resumes it as emulated */
	FIND("gunyah_vcpu_run", 1);
	EXPECT_EQ(vmid, fld(f, "vmid")) TH_LOG("%s", f);
	EXPECT_EQ(0, fld(f, "resume1")) TH_LOG("%s", f);

	/* The VMM saw the MMIO exit, then the VM's status */
	FIND("gunyah_vcpu_user_exit", 0);
	EXPECT_EQ(vmid, fld(f, "vmid")) TH_LOG("%s", f);
	EXPECT_EQ(GUNYAH_VCPU_EXIT_MMIO, fld(f, "exit_reason")) TH_LOG("%s", f);
	EXPECT_EQ(M(1), fld(f, "addr")) TH_LOG("%s", f);
	FIND("gunyah_vcpu_user_exit", 1);
	EXPECT_EQ(GUNYAH_VCPU_EXIT_STATUS, fld(f, "exit_reason"))
		TH_LOG("%s", f);

	/* The vCPU was removed, with the result the VMM got */
	FIND("gunyah_fn_remove", 0);
	EXPECT_EQ(vmid, fld(f, "vmid")) TH_LOG("%s", f);
	EXPECT_EQ(GUNYAH_FN_VCPU, fld(f, "type")) TH_LOG("%s", f);
	EXPECT_EQ(ret, (long long)fld(f, "ret")) TH_LOG("%s", f);

	/* Once the VM is gone, the same parcel comes back */
	gh_guest_close(&self->g);
	trace_wait(_metadata, &self->trace, "gunyah_mem_reclaim");
	FIND("gunyah_mem_reclaim", 0);
	EXPECT_EQ(vmid, fld(f, "vmid")) TH_LOG("%s", f);
	EXPECT_EQ(handle, fld(f, "handle")) TH_LOG("%s", f);
	EXPECT_EQ(size, fld(f, "size")) TH_LOG("%s", f);
	EXPECT_EQ(extents, fld(f, "extents")) TH_LOG("%s", f);
}

/*
 * Memory shared with the guest: one parcel, all of the guest memory (it
 * holds the devicetree, so even an RM with demand paging gets it at
 * start), shared once and never lent, then reclaimed at teardown.
 */
TEST_F(trace, mem_share)
{
	unsigned long long vmid, handle, size, extents, rm_vmid, pages;
	struct gh_vm *v = &self->g.v;
	unsigned int vms;
	char f[256], trans[16];
	int ret;

	/* The RM must list no VM but ours. */
	rm_idle(_metadata);

	ret = gh_vm_setup(v, GH_STEP_CREATE_GUEST_MEM);
	ASSERT_EQ(0, ret) TH_LOG("VM and guest memory: %s", strerror(-ret));
	ASSERT_EQ(0, gh_map_mem(v->vm, v->mem, GUEST_BASE, 0, GUEST_MEM_SIZE,
				GUNYAH_MEM_FORCE_SHARE | GUEST_MEM_RWX));
	ASSERT_EQ(0, gh_set_dtb_config(v->vm, v->dtb_addr, v->dtb_size));
	ret = gh_start(v->vm);
	ASSERT_EQ(0, ret) TH_LOG("GUNYAH_VM_START: %s", strerror(-ret));

	self->trace = trace_read();
	ASSERT_NE(NULL, self->trace);

	/* Shared once, all of it, and nothing lent */
	FIND("gunyah_mem_share", 0);
	vmid = fld(f, "vmid");
	handle = fld(f, "handle");
	size = fld(f, "size");
	extents = fld(f, "extents");
	EXPECT_NE(0, vmid) TH_LOG("%s", f);
	EXPECT_GT(0x10000, vmid) TH_LOG("%s", f);
	EXPECT_NE(~0ULL, handle) TH_LOG("%s", f);
	EXPECT_EQ(GUEST_MEM_SIZE, size) TH_LOG("%s", f);
	EXPECT_LE(1, extents) TH_LOG("%s", f);
	EXPECT_GE(GUEST_MEM_SIZE / page_size(), extents) TH_LOG("%s", f);
	EXPECT_EQ(NULL, trace_find(self->trace, "gunyah_mem_share", 1, f,
				   sizeof(f))) TH_LOG("%s", f);
	EXPECT_EQ(NULL, trace_find(self->trace, "gunyah_mem_lend", 0, f,
				   sizeof(f))) TH_LOG("%s", f);

	/* The RM has our VM, with that VMID, and the parcel, shared */
	if (rm_state_available()) {
		ASSERT_EQ(0, rm_state_vm_parcel(&vms, &rm_vmid, handle, trans,
						sizeof(trans), &pages));
		EXPECT_EQ(1, vms);
		EXPECT_EQ(rm_vmid, vmid);
		EXPECT_STREQ("share", trans);
		EXPECT_EQ(GUEST_MEM_SIZE / page_size(), pages);
	}

	/* Once the VM is gone, the same parcel comes back */
	gh_guest_close(&self->g);
	trace_wait(_metadata, &self->trace, "gunyah_mem_reclaim");
	FIND("gunyah_mem_reclaim", 0);
	EXPECT_EQ(vmid, fld(f, "vmid")) TH_LOG("%s", f);
	EXPECT_EQ(handle, fld(f, "handle")) TH_LOG("%s", f);
	EXPECT_EQ(size, fld(f, "size")) TH_LOG("%s", f);
	EXPECT_EQ(extents, fld(f, "extents")) TH_LOG("%s", f);
	EXPECT_EQ(NULL, trace_find(self->trace, "gunyah_mem_reclaim", 1, f,
				   sizeof(f))) TH_LOG("%s", f);
}

/*
 * A message the RM refuses: a devicetree whose magic is wrong is only
 * read by VM_INIT, which every RM answers with ARGUMENT_INVALID. The
 * error names the message and the sequence number it was sent with.
 */
TEST_F(trace, rm_reply_error)
{
	unsigned long long seq = ~0ULL;
	struct gh_vm *v = &self->g.v;
	const uint32_t bad_magic = 0;
	unsigned int i, sent = 0, errors = 0;
	char f[256], s[256];
	int ret;

	/* No reply of an earlier test's teardown is to be seen. */
	rm_idle(_metadata);

	ret = gh_vm_setup(v, GH_STEP_SET_DTB_CONFIG);
	ASSERT_EQ(0, ret) TH_LOG("VM up to its devicetree: %s", strerror(-ret));
	ASSERT_EQ(0, gh_mem_write(v->mem, v->dtb_addr - GUEST_BASE, &bad_magic,
				  sizeof(bad_magic)));
	EXPECT_EQ(-EINVAL, gh_start(v->vm));

	self->trace = trace_read();
	ASSERT_NE(NULL, self->trace);

	/* VM_INIT was sent once */
	for (i = 0; trace_find(self->trace, "gunyah_rm_send", i, f, sizeof(f));
	     i++) {
		if (fld(f, "msg_id") != RM_VM_INIT)
			continue;
		seq = fld(f, "seq");
		sent++;
	}
	ASSERT_EQ(1, sent) TH_LOG("%u gunyah_rm_send of VM_INIT", sent);
	EXPECT_GT(0x10000, seq);

	/* and refused once, with its sequence number and the RM's error */
	for (i = 0; trace_find(self->trace, "gunyah_rm_reply_error", i, f,
			       sizeof(f)); i++) {
		if (fld(f, "msg_id") != RM_VM_INIT)
			continue;
		errors++;
		EXPECT_EQ(seq, fld(f, "seq")) TH_LOG("%s", f);
		EXPECT_EQ(RM_ERROR_ARG_INVALID, fld(f, "rm_error"))
			TH_LOG("%s", f);
	}
	EXPECT_EQ(1, errors) TH_LOG("%u VM_INIT gunyah_rm_reply_error", errors);

	/* Every error is the reply to a message sent with that number */
	for (i = 0; trace_find(self->trace, "gunyah_rm_reply_error", i, f,
			       sizeof(f)); i++) {
		unsigned int j;
		bool found = false;

		for (j = 0; trace_find(self->trace, "gunyah_rm_send", j, s,
				       sizeof(s)); j++) {
			if (fld(s, "msg_id") == fld(f, "msg_id") &&
			    fld(s, "seq") == fld(f, "seq"))
				found = true;
		}
		EXPECT_TRUE(found) TH_LOG("no gunyah_rm_send for %s", f);
	}

	/* The start stopped there: VM_START was never sent */
	for (i = 0; trace_find(self->trace, "gunyah_rm_send", i, f, sizeof(f));
	     i++)
		EXPECT_NE(RM_VM_START, fld(f, "msg_id")) TH_LOG("%s", f);
}

TEST_HARNESS_MAIN
