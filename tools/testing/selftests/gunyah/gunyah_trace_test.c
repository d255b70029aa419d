// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of the gunyah trace events: with every event of the "gunyah"
 * system enabled through tracefs, a simulated guest that stores to an MMIO
 * address and powers off leaves a trace in which each event names what
 * happened: the vCPU added, the memory lent and reclaimed, VM_START sent to
 * the RM, the VM_EXITED notification, the vCPU's runs and exits with the
 * address the guest stored to, and the vCPU removed.
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

	for (i = 0; i < sizeof(trace_events) / sizeof(trace_events[0]); i++) {
		snprintf(path, sizeof(path), TRACE_EVENTS "/%s/format",
			 trace_events[i]);
		EXPECT_EQ(0, stat(path, &st)) TH_LOG("%s is missing", path);
	}
}

/* A guest's life, event by event */
TEST_F(trace, guest)
{
	unsigned int vmid, vmid2, vcpu, type, handle, handle2, extents;
	unsigned int extents2, state, reason, msg_id, seq, size, frags, i;
	unsigned long long sz, sz2, data0, data1, r0, r1, addr;
	char f[256];
	bool found;
	long ret;
	int rm_ret;

	gh_store(&self->p, 4, M(1), STORE_DATA);
	gh_poweroff(&self->p, 0);
	if (guest_up(_metadata, &self->g, &self->p, 1, GH_GUEST_ONE_BINDING))
		return;
	RUN_TO_WRITE(0, M(1), 4, STORE_DATA);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
	rm_ret = gh_remove_vcpu(self->g.v.vm, 0);

	self->trace = trace_read();
	ASSERT_NE(NULL, self->trace);

	/* The vCPU was added before the VM had a VMID */
	ASSERT_NE(NULL, trace_find(self->trace, "gunyah_fn_add", 0, f,
				   sizeof(f))) TH_LOG("no gunyah_fn_add");
	ASSERT_EQ(3, sscanf(f, "vmid=%u type=%u ret=%ld", &vmid, &type, &ret))
		TH_LOG("%s", f);
	EXPECT_EQ(0, vmid);
	EXPECT_EQ(GUNYAH_FN_VCPU, type);
	EXPECT_LE(0, ret);

	/* The guest memory, a single parcel, was lent */
	ASSERT_NE(NULL, trace_find(self->trace, "gunyah_mem_lend", 0, f,
				   sizeof(f))) TH_LOG("no gunyah_mem_lend");
	ASSERT_EQ(4, sscanf(f, "vmid=%u handle=%x size=%llx extents=%u",
			    &vmid, &handle, &sz, &extents)) TH_LOG("%s", f);
	EXPECT_NE(0, vmid);
	EXPECT_EQ(GUEST_MEM_SIZE, sz);
	EXPECT_LE(1, extents);
	EXPECT_EQ(NULL, trace_find(self->trace, "gunyah_mem_lend", 1, f,
				   sizeof(f))) TH_LOG("%s", f);

	/* VM_START went to the RM */
	found = false;
	for (i = 0; trace_find(self->trace, "gunyah_rm_send", i, f, sizeof(f));
	     i++) {
		ASSERT_EQ(4, sscanf(f, "msg_id=%x seq=%u size=%u fragments=%u",
				    &msg_id, &seq, &size, &frags))
			TH_LOG("%s", f);
		EXPECT_LE(1, frags);
		if (msg_id == RM_VM_START)
			found = true;
	}
	EXPECT_TRUE(found) TH_LOG("no gunyah_rm_send of VM_START");

	/* The RM said the VM exited */
	found = false;
	for (i = 0; trace_find(self->trace, "gunyah_rm_notification", i, f,
			       sizeof(f)); i++) {
		ASSERT_EQ(2, sscanf(f, "msg_id=%x size=%u", &msg_id, &size))
			TH_LOG("%s", f);
		if (msg_id == RM_NOTIF_VM_EXITED && size >= 4)
			found = true;
	}
	EXPECT_TRUE(found) TH_LOG("no VM_EXITED gunyah_rm_notification");

	/* The first run resumes nothing */
	ASSERT_NE(NULL, trace_find(self->trace, "gunyah_vcpu_run", 0, f,
				   sizeof(f))) TH_LOG("no gunyah_vcpu_run");
	ASSERT_EQ(4, sscanf(f, "vmid=%u vcpu=%u resume0=%llx resume1=%llx",
			    &vmid2, &vcpu, &r0, &r1)) TH_LOG("%s", f);
	EXPECT_EQ(vmid, vmid2);
	EXPECT_EQ(0, vcpu);

	/* The first exit is the store, at its address */
	ASSERT_NE(NULL, trace_find(self->trace, "gunyah_vcpu_exit", 0, f,
				   sizeof(f))) TH_LOG("no gunyah_vcpu_exit");
	ASSERT_EQ(5, sscanf(f, "vmid=%u vcpu=%u state=%x data0=%llx data1=%llx",
			    &vmid2, &vcpu, &state, &data0, &data1))
		TH_LOG("%s", f);
	EXPECT_EQ(vmid, vmid2);
	EXPECT_EQ(0, vcpu);
	EXPECT_EQ(5, state);	/* GUNYAH_VCPU_ADDRSPACE_VMMIO_WRITE */
	EXPECT_EQ(M(1), data0);
	EXPECT_EQ(4, data1);	/* its length */

	/* The next run resumes it, emulated */
	ASSERT_NE(NULL, trace_find(self->trace, "gunyah_vcpu_run", 1, f,
				   sizeof(f))) TH_LOG("one gunyah_vcpu_run only");
	ASSERT_EQ(4, sscanf(f, "vmid=%u vcpu=%u resume0=%llx resume1=%llx",
			    &vmid2, &vcpu, &r0, &r1)) TH_LOG("%s", f);
	EXPECT_EQ(vmid, vmid2);
	EXPECT_EQ(0, r1);	/* GUNYAH_ADDRSPACE_VMMIO_ACTION_EMULATE */

	/* The VMM saw the MMIO exit, then the VM's status */
	ASSERT_NE(NULL, trace_find(self->trace, "gunyah_vcpu_user_exit", 0, f,
				   sizeof(f))) TH_LOG("no gunyah_vcpu_user_exit");
	ASSERT_EQ(4, sscanf(f, "vmid=%u vcpu=%u exit_reason=%u addr=%llx",
			    &vmid2, &vcpu, &reason, &addr)) TH_LOG("%s", f);
	EXPECT_EQ(vmid, vmid2);
	EXPECT_EQ(GUNYAH_VCPU_EXIT_MMIO, reason);
	EXPECT_EQ(M(1), addr);
	ASSERT_NE(NULL, trace_find(self->trace, "gunyah_vcpu_user_exit", 1, f,
				   sizeof(f))) TH_LOG("one user exit only");
	ASSERT_EQ(4, sscanf(f, "vmid=%u vcpu=%u exit_reason=%u addr=%llx",
			    &vmid2, &vcpu, &reason, &addr)) TH_LOG("%s", f);
	EXPECT_EQ(GUNYAH_VCPU_EXIT_STATUS, reason);

	/* The vCPU was removed, with the result the VMM got */
	ASSERT_NE(NULL, trace_find(self->trace, "gunyah_fn_remove", 0, f,
				   sizeof(f))) TH_LOG("no gunyah_fn_remove");
	ASSERT_EQ(3, sscanf(f, "vmid=%u type=%u ret=%ld", &vmid2, &type, &ret))
		TH_LOG("%s", f);
	EXPECT_EQ(vmid, vmid2);
	EXPECT_EQ(GUNYAH_FN_VCPU, type);
	EXPECT_EQ(rm_ret, ret);

	/* Once the VM is gone, the same parcel comes back */
	gh_guest_close(&self->g);
	for (i = 0; i < TEARDOWN_TIMEOUT_MS / 50; i++) {
		free(self->trace);
		self->trace = trace_read();
		ASSERT_NE(NULL, self->trace);
		if (trace_find(self->trace, "gunyah_mem_reclaim", 0, f,
			       sizeof(f)))
			break;
		usleep(50 * 1000);
	}
	ASSERT_NE(NULL, trace_find(self->trace, "gunyah_mem_reclaim", 0, f,
				   sizeof(f))) TH_LOG("no gunyah_mem_reclaim");
	ASSERT_EQ(4, sscanf(f, "vmid=%u handle=%x size=%llx extents=%u",
			    &vmid2, &handle2, &sz2, &extents2)) TH_LOG("%s", f);
	EXPECT_EQ(vmid, vmid2);
	EXPECT_EQ(handle, handle2);
	EXPECT_EQ(sz, sz2);
	EXPECT_EQ(extents, extents2);
}

TEST_HARNESS_MAIN
