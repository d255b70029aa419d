// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of the statistics fds of VMs and vCPUs (GUNYAH_GET_STATS_FD): the
 * layout of the file and how it is read, and the values a scripted guest
 * makes exact: the exits of each kind and the MMIO writes completed in the
 * kernel, the runs ended by immediate_exit or a signal, the memory given
 * to the VM and the RM calls made for it, the pages given on demand (on
 * an RM with demand paging), and the values still read once the VM and
 * vCPU fds are closed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"
#include "gunyah_guest_test.h"

#define MB		0x100000ULL

/* Most descriptors a stats file of these tests may have */
#define MAX_DESC	64
#define DESC_SIZE	(sizeof(struct gunyah_stats_desc) + GUNYAH_STATS_NAME_SIZE)

#define CUMULATIVE	GUNYAH_STATS_TYPE_CUMULATIVE
#define INSTANT		GUNYAH_STATS_TYPE_INSTANT
#define NONE		GUNYAH_STATS_UNIT_NONE
#define BYTES		GUNYAH_STATS_UNIT_BYTES
#define SECONDS		GUNYAH_STATS_UNIT_SECONDS

/*
 * A statistic the kernel must have, in the order of its descriptor; the
 * lists end with an empty entry.
 */
struct stat_want {
	const char *name;
	uint32_t flags;
	int16_t exponent;
};

static const struct stat_want vm_want[] = {
	{ "rm_calls", CUMULATIVE | NONE, 0 },
	{ "rm_call_errors", CUMULATIVE | NONE, 0 },
	{ "mem_lent", INSTANT | BYTES, 0 },
	{ "mem_shared", INSTANT | BYTES, 0 },
	{ "mem_parcels", INSTANT | NONE, 0 },
	{ "pages_provided", CUMULATIVE | NONE, 0 },
	{}
};

static const struct stat_want vcpu_want[] = {
	{ "vcpu_run_calls", CUMULATIVE | NONE, 0 },
	{ "vcpu_run_time", CUMULATIVE | SECONDS, -9 },
	{ "exits_mmio", CUMULATIVE | NONE, 0 },
	{ "exits_status", CUMULATIVE | NONE, 0 },
	{ "exits_page_fault", CUMULATIVE | NONE, 0 },
	{ "mmio_in_kernel", CUMULATIVE | NONE, 0 },
	{ "page_faults_served", CUMULATIVE | NONE, 0 },
	{ "wakeup_waits", CUMULATIVE | NONE, 0 },
	{ "signal_exits", CUMULATIVE | NONE, 0 },
	{}
};

/* What a stats fd says of itself, read once: all but the values */
struct stats {
	int fd;
	struct gunyah_stats_header hdr;
	char id[GUNYAH_STATS_NAME_SIZE];
	struct gunyah_stats_desc desc[MAX_DESC];
	char name[MAX_DESC][GUNYAH_STATS_NAME_SIZE];
	size_t data_size;	/* the values take [data_offset, + this) */
};

/* The values of a stats file, by descriptor */
struct snap {
	uint64_t v[MAX_DESC];
};

static int stats_fd(int fd)
{
	return gh_ioctl_val(fd, GUNYAH_GET_STATS_FD, 0);
}

/* pread() of exactly @len bytes, or -errno, or -EIO if short */
static int pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/*
 * Read the header, id and descriptors of the stats fd @fd, checking only
 * what the reading needs.
 */
static void __stats_load(struct __test_metadata *_metadata, int fd,
			 struct stats *s)
{
	uint8_t buf[DESC_SIZE];
	uint32_t i, end;
	int ret;

	memset(s, 0, sizeof(*s));
	s->fd = fd;
	ret = pread_all(s->fd, &s->hdr, sizeof(s->hdr), 0);
	ASSERT_EQ(0, ret) TH_LOG("header: %s", strerror(-ret));
	ASSERT_EQ(GUNYAH_STATS_VERSION, s->hdr.version);
	ASSERT_EQ(GUNYAH_STATS_NAME_SIZE, s->hdr.name_size);
	ASSERT_GE(MAX_DESC, s->hdr.num_desc);
	ASSERT_LT(0, s->hdr.num_desc);

	ret = pread_all(s->fd, s->id, sizeof(s->id), s->hdr.id_offset);
	ASSERT_EQ(0, ret) TH_LOG("id: %s", strerror(-ret));
	s->data_size = 0;
	for (i = 0; i < s->hdr.num_desc; i++) {
		ret = pread_all(s->fd, buf, sizeof(buf),
				s->hdr.desc_offset + i * DESC_SIZE);
		ASSERT_EQ(0, ret) TH_LOG("descriptor %u: %s", i, strerror(-ret));
		memcpy(&s->desc[i], buf, sizeof(s->desc[i]));
		memcpy(s->name[i], buf + sizeof(s->desc[i]),
		       GUNYAH_STATS_NAME_SIZE);
		end = s->desc[i].offset + 8 * s->desc[i].size;
		if (end > s->data_size)
			s->data_size = end;
	}
	ASSERT_GE(MAX_DESC * 8, s->data_size);
}

#define stats_load(fd, s)	__stats_load(_metadata, fd, s)

/* Get the stats fd of the VM or vCPU @fd, and load it */
static void __stats_open(struct __test_metadata *_metadata, int fd,
			 struct stats *s)
{
	int sfd = stats_fd(fd);

	ASSERT_LE(0, sfd) TH_LOG("GUNYAH_GET_STATS_FD: %s", strerror(-sfd));
	/* A new fd: never one of the standard streams, which are open */
	ASSERT_LT(STDERR_FILENO, sfd) TH_LOG("GUNYAH_GET_STATS_FD returned %d",
					     sfd);
	s->fd = sfd;
	__stats_load(_metadata, sfd, s);
}

#define stats_open(fd, s)	__stats_open(_metadata, fd, s)

static void stats_close(struct stats *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static void __stats_read(struct __test_metadata *_metadata,
			 const struct stats *s, struct snap *snap)
{
	uint64_t data[MAX_DESC];
	uint32_t i;
	int ret;

	memset(snap, 0, sizeof(*snap));
	ret = pread_all(s->fd, data, s->data_size, s->hdr.data_offset);
	ASSERT_EQ(0, ret) TH_LOG("values: %s", strerror(-ret));
	for (i = 0; i < s->hdr.num_desc; i++)
		memcpy(&snap->v[i], (uint8_t *)data + s->desc[i].offset,
		       sizeof(snap->v[i]));
}

#define stats_read(s, snap)	__stats_read(_metadata, s, snap)

static int stat_index(const struct stats *s, const char *name)
{
	uint32_t i;

	for (i = 0; i < s->hdr.num_desc; i++)
		if (!strncmp(s->name[i], name, GUNYAH_STATS_NAME_SIZE))
			return i;
	return -1;
}

static uint64_t __stat(struct __test_metadata *_metadata,
		       const struct stats *s, const struct snap *snap,
		       const char *name)
{
	int i = stat_index(s, name);

	ASSERT_LE(0, i) TH_LOG("no statistic %s", name);
	return snap->v[i];
}

/* The value of statistic @name in @snap, a snapshot of stats @s */
#define STAT(s, snap, name)	__stat(_metadata, s, snap, name)

/* Every value of @snap is 0 */
static void __expect_zero(struct __test_metadata *_metadata,
			  const struct stats *s, const struct snap *snap)
{
	uint32_t i;

	for (i = 0; i < s->hdr.num_desc; i++)
		EXPECT_EQ(0, snap->v[i]) TH_LOG("%s", s->name[i]);
}

#define EXPECT_ZERO(s, snap)	__expect_zero(_metadata, s, snap)

static void __expect_same(struct __test_metadata *_metadata,
			  const struct stats *s, const struct snap *a,
			  const struct snap *b)
{
	uint32_t i;

	for (i = 0; i < s->hdr.num_desc; i++)
		EXPECT_EQ(a->v[i], b->v[i]) TH_LOG("%s", s->name[i]);
}

#define EXPECT_SAME(s, a, b)	__expect_same(_metadata, s, a, b)

static void log_stats(struct __test_metadata *_metadata,
		      const struct stats *s, const struct snap *snap)
{
	uint32_t i;

	for (i = 0; i < s->hdr.num_desc; i++)
		TH_LOG("%s %s %llu", s->id, s->name[i],
		       (unsigned long long)snap->v[i]);
}

/*
 * The whole layout of a stats file: the header, the id, the descriptors
 * (the expected ones first, in order, with their flags and exponents) and
 * the values; read() of the whole file against pread() of its parts; the
 * end of the file; write(); and the fd's flags.
 */
static void __check_layout(struct __test_metadata *_metadata,
			   const struct stats *s, const char *id,
			   const struct stat_want *want)
{
	const struct gunyah_stats_header *h = &s->hdr;
	size_t size = h->data_offset + s->data_size;
	bool seen[MAX_DESC] = {};
	uint8_t *file, *part;
	uint32_t i, j;
	unsigned int nr_want = 0;
	ssize_t n;
	int flags, err;

	while (want[nr_want].name)
		nr_want++;
	EXPECT_EQ(sizeof(*h), h->id_offset);
	EXPECT_EQ(h->id_offset + GUNYAH_STATS_NAME_SIZE, h->desc_offset);
	EXPECT_EQ(h->desc_offset + h->num_desc * DESC_SIZE, h->data_offset);
	EXPECT_EQ(0, h->data_offset % 8);
	ASSERT_NE(NULL, memchr(s->id, '\0', sizeof(s->id)));
	EXPECT_STREQ(id, s->id);

	ASSERT_LE(nr_want, h->num_desc);
	if (h->num_desc > nr_want)
		TH_LOG("%s: %u statistics not known to this test", id,
		       h->num_desc - nr_want);
	for (i = 0; i < h->num_desc; i++) {
		const struct gunyah_stats_desc *d = &s->desc[i];

		ASSERT_NE(NULL, memchr(s->name[i], '\0', GUNYAH_STATS_NAME_SIZE))
			TH_LOG("descriptor %u", i);
		EXPECT_EQ(0, d->reserved) TH_LOG("%s", s->name[i]);
		EXPECT_EQ(1, d->size) TH_LOG("%s", s->name[i]);
		EXPECT_EQ(0, d->offset % 8) TH_LOG("%s", s->name[i]);
		ASSERT_GT(8 * h->num_desc, d->offset) TH_LOG("%s", s->name[i]);
		EXPECT_FALSE(seen[d->offset / 8])
			TH_LOG("%s: offset %u taken", s->name[i], d->offset);
		seen[d->offset / 8] = true;
		for (j = 0; j < i; j++)
			EXPECT_STRNE(s->name[j], s->name[i]);
		if (i >= nr_want)
			continue;
		EXPECT_STREQ(want[i].name, s->name[i]);
		EXPECT_EQ(want[i].flags, d->flags) TH_LOG("%s", s->name[i]);
		EXPECT_EQ(want[i].exponent, d->exponent) TH_LOG("%s", s->name[i]);
	}
	for (i = 0; i < nr_want; i++)
		EXPECT_LE(0, stat_index(s, want[i].name))
			TH_LOG("no statistic %s", want[i].name);
	EXPECT_EQ(8 * h->num_desc, s->data_size);

	/* read() from offset 0, in one go, then EOF */
	file = calloc(1, size + 64);
	part = calloc(1, size + 64);
	ASSERT_NE(NULL, file);
	ASSERT_NE(NULL, part);
	n = read(s->fd, file, size + 64);
	EXPECT_EQ((ssize_t)size, n) TH_LOG("read: %s", n < 0 ? strerror(errno) : "short");
	EXPECT_EQ(0, read(s->fd, part, 8));
	EXPECT_EQ(0, memcmp(file, &s->hdr, sizeof(s->hdr)));
	EXPECT_EQ(0, memcmp(file + h->id_offset, s->id, sizeof(s->id)));
	for (i = 0; i < h->num_desc; i++) {
		uint8_t *d = file + h->desc_offset + i * DESC_SIZE;

		EXPECT_EQ(0, memcmp(d, &s->desc[i], sizeof(s->desc[i])));
		EXPECT_EQ(0, memcmp(d + sizeof(s->desc[i]), s->name[i],
				    GUNYAH_STATS_NAME_SIZE));
	}
	/* The values, and any range of the file, pread() alike */
	ASSERT_EQ(0, pread_all(s->fd, part, s->data_size, h->data_offset));
	EXPECT_EQ(0, memcmp(file + h->data_offset, part, s->data_size));
	ASSERT_EQ(0, pread_all(s->fd, part, size - 13, 13));
	EXPECT_EQ(0, memcmp(file + 13, part, size - 13));
	ASSERT_EQ(0, pread_all(s->fd, part, 5, h->data_offset - 2));
	EXPECT_EQ(0, memcmp(file + h->data_offset - 2, part, 5));

	/* At and after the end: nothing; just before it: the rest */
	EXPECT_EQ(0, pread(s->fd, part, 8, size));
	EXPECT_EQ(0, pread(s->fd, part, 8, size + 1));
	EXPECT_EQ(0, pread(s->fd, part, 8, size + 4096));
	EXPECT_EQ(3, pread(s->fd, part, 8, size - 3));
	free(file);
	free(part);

	/* Read-only */
	n = write(s->fd, &s->hdr, sizeof(s->hdr));
	err = errno;
	EXPECT_EQ(-1, n);
	EXPECT_EQ(EBADF, err) TH_LOG("write: %s", strerror(err));
	/* A file without pwrite() may say so (ESPIPE) before EBADF. */
	n = pwrite(s->fd, &s->hdr, 4, h->data_offset);
	err = errno;
	EXPECT_EQ(-1, n);
	EXPECT_TRUE(err == EBADF || err == ESPIPE)
		TH_LOG("pwrite: %s", strerror(err));
	flags = fcntl(s->fd, F_GETFL);
	ASSERT_LE(0, flags);
	EXPECT_EQ(O_RDONLY, flags & O_ACCMODE);
	flags = fcntl(s->fd, F_GETFD);
	ASSERT_LE(0, flags);
	EXPECT_TRUE(flags & FD_CLOEXEC);
}

#define CHECK_LAYOUT(s, id, want)	__check_layout(_metadata, s, id, want)

FIXTURE(stats) {
	struct gh_guest g;
	struct gh_prog p;
	struct stats vm;
	struct stats vcpu;
	int efd;
	char vm_id[GUNYAH_STATS_NAME_SIZE];
	char vcpu_id[GUNYAH_STATS_NAME_SIZE];
};

FIXTURE_SETUP(stats)
{
	gh_guest_init(&self->g);
	gh_prog_init(&self->p);
	self->vm.fd = -1;
	self->vcpu.fd = -1;
	self->efd = -1;
	snprintf(self->vm_id, sizeof(self->vm_id), "gunyah-vm-%d", getpid());
	snprintf(self->vcpu_id, sizeof(self->vcpu_id), "gunyah-vm-%d-vcpu-0",
		 getpid());
}

FIXTURE_TEARDOWN(stats)
{
	stats_close(&self->vm);
	stats_close(&self->vcpu);
	gh_guest_close(&self->g);
	if (self->efd >= 0)
		close(self->efd);
}

/* The guest set up with one vCPU, not started, and both stats fds open */
static bool __stats_guest(struct __test_metadata *_metadata,
			  struct gh_guest *g, const struct gh_prog *p,
			  struct stats *vm, struct stats *vcpu)
{
	if (guest_setup(_metadata, g, p, 1, 0))
		return true;
	stats_open(g->v.vm, vm);
	stats_open(g->vcpu[0], vcpu);
	return false;
}

#define stats_guest() \
	__stats_guest(_metadata, &self->g, &self->p, &self->vm, &self->vcpu)

TEST_F(stats, layout)
{
	gh_poweroff(&self->p, 0);
	if (stats_guest())
		return;

	EXPECT_EQ(GUNYAH_STATS_VERSION,
		  gh_check_extension(self->g.v.vm, GUNYAH_CAP_STATS));
	EXPECT_EQ(-EINVAL, gh_ioctl_val(self->g.v.vm, GUNYAH_GET_STATS_FD, 1));
	EXPECT_EQ(-EINVAL, gh_ioctl_val(self->g.vcpu[0], GUNYAH_GET_STATS_FD,
					1));
	CHECK_LAYOUT(&self->vm, self->vm_id, vm_want);
	CHECK_LAYOUT(&self->vcpu, self->vcpu_id, vcpu_want);
}

/* Each GUNYAH_GET_STATS_FD is a new fd, with its own file position */
TEST_F(stats, fds_independent)
{
	struct stats again = { .fd = -1 };
	struct gunyah_stats_header h;

	gh_poweroff(&self->p, 0);
	if (stats_guest())
		return;
	stats_open(self->g.vcpu[0], &again);
	EXPECT_NE(self->vcpu.fd, again.fd);
	EXPECT_EQ(0, memcmp(&self->vcpu.hdr, &again.hdr, sizeof(h)));
	EXPECT_EQ(sizeof(h), read(self->vcpu.fd, &h, sizeof(h)));
	EXPECT_EQ(sizeof(h), read(again.fd, &h, sizeof(h)));
	EXPECT_EQ(GUNYAH_STATS_VERSION, h.version);
	stats_close(&again);
}

/*
 * The exits: N MMIO writes nobody handles, K MMIO reads, M writes to an
 * ioeventfd's address (completed in the kernel), and power-off; one
 * immediate_exit run on the way.
 */
#define N_WRITES	7
#define K_READS		3
#define M_IOEVENTFD	5
#define IO_ADDR		M(5)

TEST_F(stats, exits_counted)
{
	uint64_t calls0 = 0, runs0 = 0, calls1, runs1, count, runs;
	struct snap vm, vc, before;
	bool counters;
	int i, ret;

	for (i = 0; i < N_WRITES; i++)
		gh_store(&self->p, 4, M(1), i);
	for (i = 0; i < K_READS; i++)
		gh_load(&self->p, 4, M(2));
	for (i = 0; i < M_IOEVENTFD; i++)
		gh_store(&self->p, 4, IO_ADDR, 0x10 + i);
	gh_poweroff(&self->p, 0);
	if (stats_guest())
		return;
	self->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
	ret = gh_add_ioeventfd(self->g.v.vm, self->efd, IO_ADDR, 4, 0, 0);
	if (gh_fn_missing(ret))
		SKIP(return, "no ioeventfd function in this kernel");
	ASSERT_EQ(0, ret) TH_LOG("ioeventfd: %s", strerror(-ret));

	/* Nothing ran, nothing was given. */
	stats_read(&self->vcpu, &vc);
	EXPECT_ZERO(&self->vcpu, &vc);
	stats_read(&self->vm, &vm);
	EXPECT_ZERO(&self->vm, &vm);

	guest_start(_metadata, &self->g);
	counters = !gh_sim_hypercalls(&calls0, &runs0);
	stats_read(&self->vcpu, &vc);
	EXPECT_ZERO(&self->vcpu, &vc);

	RUN_TO_WRITE(0, M(1), 4, 0);
	stats_read(&self->vcpu, &before);
	EXPECT_EQ(1, STAT(&self->vcpu, &before, "exits_mmio"));
	EXPECT_LE(1, STAT(&self->vcpu, &before, "vcpu_run_calls"));
	EXPECT_EQ(0, STAT(&self->vcpu, &before, "signal_exits"));

	/* immediate_exit: EINTR, counted, and no vcpu_run call */
	self->g.run[0]->immediate_exit = 1;
	EXPECT_EQ(-EINTR, gh_vcpu_run_timeout(self->g.vcpu[0], RUN_MS));
	self->g.run[0]->immediate_exit = 0;
	stats_read(&self->vcpu, &vc);
	EXPECT_EQ(1, STAT(&self->vcpu, &vc, "signal_exits"));
	EXPECT_EQ(STAT(&self->vcpu, &before, "vcpu_run_calls"),
		  STAT(&self->vcpu, &vc, "vcpu_run_calls"));
	EXPECT_EQ(1, STAT(&self->vcpu, &vc, "exits_mmio"));

	for (i = 1; i < N_WRITES; i++)
		RUN_TO_WRITE(0, M(1), 4, i);
	for (i = 0; i < K_READS; i++) {
		RUN(0);
		EXPECT_MMIO(0, false, M(2), 4);
		gh_mmio_set_data(self->g.run[0], i);
	}
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
	ASSERT_EQ(0, gh_eventfd_count(self->efd, &count));
	EXPECT_EQ(M_IOEVENTFD, count);

	stats_read(&self->vcpu, &vc);
	log_stats(_metadata, &self->vcpu, &vc);
	EXPECT_EQ(N_WRITES + K_READS, STAT(&self->vcpu, &vc, "exits_mmio"));
	EXPECT_EQ(M_IOEVENTFD, STAT(&self->vcpu, &vc, "mmio_in_kernel"));
	EXPECT_EQ(1, STAT(&self->vcpu, &vc, "exits_status"));
	EXPECT_EQ(0, STAT(&self->vcpu, &vc, "exits_page_fault"));
	EXPECT_EQ(0, STAT(&self->vcpu, &vc, "page_faults_served"));
	EXPECT_EQ(0, STAT(&self->vcpu, &vc, "wakeup_waits"));
	EXPECT_EQ(1, STAT(&self->vcpu, &vc, "signal_exits"));
	runs = STAT(&self->vcpu, &vc, "vcpu_run_calls");
	EXPECT_LE(N_WRITES + K_READS + M_IOEVENTFD + 1, runs);
	EXPECT_LT(0, STAT(&self->vcpu, &vc, "vcpu_run_time"));
	/* The simulator counts the same calls, of this vCPU alone. */
	if (counters) {
		ASSERT_EQ(0, gh_sim_hypercalls(&calls1, &runs1));
		EXPECT_EQ(runs1 - runs0, runs);
	}

	stats_read(&self->vm, &vm);
	log_stats(_metadata, &self->vm, &vm);
	EXPECT_LT(0, STAT(&self->vm, &vm, "rm_calls"));
	EXPECT_EQ(0, STAT(&self->vm, &vm, "rm_call_errors"));
	EXPECT_EQ(0, STAT(&self->vm, &vm, "pages_provided"));
}

/*
 * A vCPU sleeping for its wakeup interrupt (the guest waits for a doorbell
 * no one rings), taken out by a signal: one signal exit, and it slept.
 */
TEST_F(stats, wait_and_signal)
{
	struct snap vc;

	gh_wait_bell(&self->p, GH_BELL_LABEL);
	gh_poweroff(&self->p, 0);
	if (stats_guest())
		return;
	guest_start(_metadata, &self->g);

	EXPECT_EQ(-ETIMEDOUT, gh_vcpu_run_timeout(self->g.vcpu[0], SLEEP_MS));
	stats_read(&self->vcpu, &vc);
	log_stats(_metadata, &self->vcpu, &vc);
	EXPECT_EQ(1, STAT(&self->vcpu, &vc, "signal_exits"));
	EXPECT_LE(1, STAT(&self->vcpu, &vc, "wakeup_waits"));
	EXPECT_LE(1, STAT(&self->vcpu, &vc, "vcpu_run_calls"));
	EXPECT_EQ(0, STAT(&self->vcpu, &vc, "exits_mmio"));
	EXPECT_EQ(0, STAT(&self->vcpu, &vc, "exits_status"));
	EXPECT_EQ(0, STAT(&self->vcpu, &vc, "mmio_in_kernel"));
}

/*
 * Memory: the guest-memory fd lent whole at start, then a range lent and
 * one shared after start, each a parcel of its own; each RM-backed ioctl
 * makes RM calls, and an unbind the RM refuses is a failed one.
 */
TEST_F(stats, memory)
{
	struct stats *s = &self->vm;
	struct snap a, b;
	int lend = -1, share = -1, ret;

	gh_vm_init(&self->g.v);
	ret = gh_vm_setup(&self->g.v, GH_STEP_SET_DTB_CONFIG);
	ASSERT_EQ(0, ret) TH_LOG("step %d: %s", self->g.v.failed_step,
				 strerror(-ret));
	stats_open(self->g.v.vm, s);

	/* Bound, not given yet */
	stats_read(s, &a);
	EXPECT_ZERO(s, &a);

	ASSERT_EQ(0, gh_start(self->g.v.vm));
	stats_read(s, &a);
	log_stats(_metadata, s, &a);
	EXPECT_LT(0, STAT(s, &a, "rm_calls"));
	EXPECT_EQ(0, STAT(s, &a, "rm_call_errors"));
	EXPECT_EQ(GUEST_MEM_SIZE, STAT(s, &a, "mem_lent"));
	EXPECT_EQ(0, STAT(s, &a, "mem_shared"));
	EXPECT_EQ(1, STAT(s, &a, "mem_parcels"));
	EXPECT_EQ(0, STAT(s, &a, "pages_provided"));

	/* Reading changes nothing. */
	stats_read(s, &b);
	EXPECT_SAME(s, &a, &b);

	lend = gh_create_mem(self->g.v.dev, 2 * MB, 0);
	ASSERT_LE(0, lend);
	ASSERT_EQ(0, gh_map_mem(self->g.v.vm, lend, GUEST_BASE + GUEST_MEM_SIZE,
				0, 2 * MB, GUNYAH_MEM_FORCE_LEND | GUEST_MEM_RWX));
	stats_read(s, &b);
	EXPECT_LT(STAT(s, &a, "rm_calls"), STAT(s, &b, "rm_calls"));
	EXPECT_EQ(0, STAT(s, &b, "rm_call_errors"));
	EXPECT_EQ(GUEST_MEM_SIZE + 2 * MB, STAT(s, &b, "mem_lent"));
	EXPECT_EQ(0, STAT(s, &b, "mem_shared"));
	EXPECT_EQ(2, STAT(s, &b, "mem_parcels"));

	share = gh_create_mem(self->g.v.dev, MB, 0);
	ASSERT_LE(0, share);
	ASSERT_EQ(0, gh_map_mem(self->g.v.vm, share,
				GUEST_BASE + GUEST_MEM_SIZE + 2 * MB, 0, MB,
				GUNYAH_MEM_FORCE_SHARE | GUEST_MEM_RWX));
	stats_read(s, &a);
	EXPECT_LT(STAT(s, &b, "rm_calls"), STAT(s, &a, "rm_calls"));
	EXPECT_EQ(0, STAT(s, &a, "rm_call_errors"));
	EXPECT_EQ(GUEST_MEM_SIZE + 2 * MB, STAT(s, &a, "mem_lent"));
	EXPECT_EQ(MB, STAT(s, &a, "mem_shared"));
	EXPECT_EQ(3, STAT(s, &a, "mem_parcels"));

	/* The running guest keeps it: the RM refuses MEM_RECLAIM. */
	EXPECT_EQ(-EBUSY, gh_unmap_mem(self->g.v.vm, lend,
				       GUEST_BASE + GUEST_MEM_SIZE, 0, 2 * MB));
	stats_read(s, &b);
	log_stats(_metadata, s, &b);
	EXPECT_EQ(STAT(s, &a, "rm_calls") + 1, STAT(s, &b, "rm_calls"));
	EXPECT_EQ(1, STAT(s, &b, "rm_call_errors"));
	EXPECT_EQ(GUEST_MEM_SIZE + 2 * MB, STAT(s, &b, "mem_lent"));
	EXPECT_EQ(MB, STAT(s, &b, "mem_shared"));
	EXPECT_EQ(3, STAT(s, &b, "mem_parcels"));

	/* An ioctl that is not the RM's business makes no call. */
	EXPECT_EQ(GUNYAH_STATS_VERSION,
		  gh_check_extension(self->g.v.vm, GUNYAH_CAP_STATS));
	stats_read(s, &a);
	EXPECT_SAME(s, &b, &a);
	close(lend);
	close(share);
}

/*
 * Demand paging (an RM that has it): the guest touches P pages of the data
 * binding, one twice; each is a fault served in the kernel and a page
 * provided, without an exit.
 */
#define P_PAGES		5

TEST_F(stats, demand_paging)
{
	uint64_t calls0 = 0, runs0 = 0, calls1, runs1, runs;
	uint64_t ps = page_size();
	struct snap vm, vc;
	bool counters;
	int i;

	for (i = 0; i < P_PAGES; i++)
		gh_load(&self->p, 8, GH_GUEST_DATA + (3 * i + 1) * ps);
	gh_store(&self->p, 8, GH_GUEST_DATA + ps + 8, 0x77);
	gh_store(&self->p, 4, M(1), 1);
	gh_poweroff(&self->p, 0);
	if (stats_guest())
		return;
	guest_start(_metadata, &self->g);
	if (!self->g.demand_paging)
		SKIP(return, "the %s RM has no demand paging: %s", gh_profile(),
		     "no pages provided");

	stats_read(&self->vm, &vm);
	EXPECT_EQ(0, STAT(&self->vm, &vm, "pages_provided"));
	EXPECT_EQ(1, STAT(&self->vm, &vm, "mem_parcels"));

	counters = !gh_sim_hypercalls(&calls0, &runs0);
	RUN_TO_WRITE(0, M(1), 4, 1);
	stats_read(&self->vcpu, &vc);
	stats_read(&self->vm, &vm);
	log_stats(_metadata, &self->vcpu, &vc);
	log_stats(_metadata, &self->vm, &vm);
	EXPECT_EQ(P_PAGES, STAT(&self->vm, &vm, "pages_provided"));
	EXPECT_EQ(P_PAGES, STAT(&self->vcpu, &vc, "page_faults_served"));
	EXPECT_EQ(0, STAT(&self->vcpu, &vc, "exits_page_fault"));
	EXPECT_EQ(1, STAT(&self->vcpu, &vc, "exits_mmio"));
	EXPECT_EQ(1, STAT(&self->vm, &vm, "mem_parcels"));
	/* Each fault, then the run that ends in the store */
	runs = STAT(&self->vcpu, &vc, "vcpu_run_calls");
	EXPECT_LE(P_PAGES + 1, runs);
	if (counters) {
		ASSERT_EQ(0, gh_sim_hypercalls(&calls1, &runs1));
		EXPECT_EQ(runs1 - runs0, runs);
	}

	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
	stats_read(&self->vm, &vm);
	EXPECT_EQ(P_PAGES, STAT(&self->vm, &vm, "pages_provided"));
}

/*
 * A page fault the kernel cannot serve (the binding removed after start,
 * on an RM with demand paging) is an exit to the VMM, not a fault served.
 */
TEST_F(stats, page_fault_exit)
{
	struct snap vc;

	gh_load(&self->p, 8, GH_GUEST_DATA + 0x3000);
	gh_poweroff(&self->p, 0);
	if (stats_guest())
		return;
	guest_start(_metadata, &self->g);
	if (!self->g.demand_paging)
		SKIP(return, "the %s RM has no demand paging: %s", gh_profile(),
		     "no PAGE_FAULT exits");
	ASSERT_EQ(0, gh_unmap_mem(self->g.v.vm, self->g.v.mem, GH_GUEST_DATA,
				  GH_GUEST_IMAGE_SIZE, GH_GUEST_DATA_SIZE));

	RUN(0);
	ASSERT_EQ(GUNYAH_VCPU_EXIT_PAGE_FAULT, self->g.run[0]->exit_reason)
		TH_LOG("%s", exit_str(self->g.run[0]));
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_CRASHED, EXIT_TYPE_SW_ERROR, 1U << 16);
	stats_read(&self->vcpu, &vc);
	log_stats(_metadata, &self->vcpu, &vc);
	EXPECT_EQ(1, STAT(&self->vcpu, &vc, "exits_page_fault"));
	EXPECT_EQ(0, STAT(&self->vcpu, &vc, "page_faults_served"));
	EXPECT_EQ(1, STAT(&self->vcpu, &vc, "exits_status"));
	EXPECT_EQ(0, STAT(&self->vcpu, &vc, "exits_mmio"));
}

/*
 * The stats fds hold the VM and the vCPU: with every other fd of the VM
 * closed they still read, with the values as before, and once they are
 * closed the VM goes away.
 */
TEST_F(stats, outlive_vm)
{
	struct stats vm_again, vcpu_again;
	struct snap vm0, vc0, vm1, vc1;
	struct rm_state st;
	int ret;

	gh_store(&self->p, 4, M(1), 1);
	gh_poweroff(&self->p, 0);
	if (stats_guest())
		return;
	guest_start(_metadata, &self->g);
	RUN_TO_WRITE(0, M(1), 4, 1);
	RUN(0);
	EXPECT_STATUS(0, GUNYAH_VM_STATUS_EXITED, EXIT_TYPE_OFF, 0);
	stats_read(&self->vm, &vm0);
	stats_read(&self->vcpu, &vc0);
	EXPECT_EQ(1, STAT(&self->vcpu, &vc0, "exits_mmio"));
	EXPECT_EQ(1, STAT(&self->vcpu, &vc0, "exits_status"));
	EXPECT_LT(0, STAT(&self->vm, &vm0, "rm_calls"));

	gh_guest_close(&self->g);
	stats_read(&self->vm, &vm1);
	stats_read(&self->vcpu, &vc1);
	EXPECT_SAME(&self->vm, &vm0, &vm1);
	EXPECT_SAME(&self->vcpu, &vc0, &vc1);

	/* The layout too, read afresh */
	stats_load(self->vm.fd, &vm_again);
	stats_load(self->vcpu.fd, &vcpu_again);
	EXPECT_EQ(0, memcmp(&self->vm, &vm_again, sizeof(vm_again)));
	EXPECT_EQ(0, memcmp(&self->vcpu, &vcpu_again, sizeof(vcpu_again)));
	CHECK_LAYOUT(&vm_again, self->vm_id, vm_want);
	CHECK_LAYOUT(&vcpu_again, self->vcpu_id, vcpu_want);

	EXPECT_EQ(0, close(self->vcpu.fd));
	self->vcpu.fd = -1;
	stats_read(&self->vm, &vm1);
	EXPECT_SAME(&self->vm, &vm0, &vm1);
	EXPECT_EQ(0, close(self->vm.fd));
	self->vm.fd = -1;

	if (!rm_state_available()) {
		TH_LOG("%s: not checking that the VM went away", NO_RM_STATE);
		return;
	}
	ret = rm_state_wait_idle(&st);
	EXPECT_EQ(0, ret) TH_LOG("the RM still holds %lu VMs, %lu parcels",
				 st.vms, st.parcels);
}

/*
 * A vCPU's stats fd does not hold the VM: with it alone left open the VM
 * goes away, and the vCPU's values still read as they were.
 */
TEST_F(stats, vcpu_outlives_vm)
{
	struct snap vc0, vc1;
	struct rm_state st;
	int ret;

	gh_store(&self->p, 4, M(1), 1);
	gh_poweroff(&self->p, 0);
	if (stats_guest())
		return;
	guest_start(_metadata, &self->g);
	RUN_TO_WRITE(0, M(1), 4, 1);
	stats_read(&self->vcpu, &vc0);
	EXPECT_EQ(1, STAT(&self->vcpu, &vc0, "exits_mmio"));

	stats_close(&self->vm);
	gh_guest_close(&self->g);
	if (rm_state_available()) {
		ret = rm_state_wait_idle(&st);
		EXPECT_EQ(0, ret) TH_LOG("the RM still holds %lu VMs, %lu parcels",
					 st.vms, st.parcels);
	} else {
		TH_LOG("%s: not checking that the VM went away", NO_RM_STATE);
	}
	stats_read(&self->vcpu, &vc1);
	EXPECT_SAME(&self->vcpu, &vc0, &vc1);
	CHECK_LAYOUT(&self->vcpu, self->vcpu_id, vcpu_want);
}

TEST_HARNESS_MAIN
