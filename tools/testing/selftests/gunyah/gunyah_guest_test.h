/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Assertions and helpers of the tests that run simulated guests. Include
 * after kselftest_harness.h and gunyah_util.h; the macros expect a fixture
 * with a struct gh_guest g.
 */
#ifndef SELFTEST_GUNYAH_GUEST_TEST_H
#define SELFTEST_GUNYAH_GUEST_TEST_H

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* How long a run that must come back may take, in milliseconds */
#define RUN_MS		10000
/* How long a vCPU that must stay inside VCPU_RUN is watched */
#define SLEEP_MS	300

#define M(n)		GH_MMIO(n)

/* Exit types of the RM: PLATFORM_OFF, _RESET, _RESET2, SOFTWARE_ERROR */
#define EXIT_TYPE_OFF		1
#define EXIT_TYPE_RESET		2
#define EXIT_TYPE_RESET2	3
#define EXIT_TYPE_SW_ERROR	5

static inline const char *exit_str(const struct gunyah_vcpu_run *run)
{
	static __thread char buf[160];

	switch (run->exit_reason) {
	case GUNYAH_VCPU_EXIT_MMIO:
		snprintf(buf, sizeof(buf),
			 "MMIO %s addr %#llx len %u data %#llx action %u",
			 run->mmio.is_write ? "write" : "read",
			 (unsigned long long)run->mmio.phys_addr, run->mmio.len,
			 (unsigned long long)gh_mmio_data(run),
			 run->mmio.resume_action);
		break;
	case GUNYAH_VCPU_EXIT_STATUS:
		snprintf(buf, sizeof(buf),
			 "STATUS %u type %u reason_size %u words %#x %#x",
			 run->status.status, run->status.exit_info.type,
			 run->status.exit_info.reason_size,
			 gh_reason_word(run, 0), gh_reason_word(run, 1));
		break;
	case GUNYAH_VCPU_EXIT_PAGE_FAULT:
		snprintf(buf, sizeof(buf),
			 "PAGE_FAULT addr %#llx attempt %d action %u",
			 (unsigned long long)run->page_fault.phys_addr,
			 run->page_fault.attempt,
			 run->page_fault.resume_action);
		break;
	default:
		snprintf(buf, sizeof(buf), "exit reason %u", run->exit_reason);
	}
	return buf;
}

static inline void __run(struct __test_metadata *_metadata, int vcpu)
{
	int ret = gh_vcpu_run_timeout(vcpu, RUN_MS);

	ASSERT_EQ(0, ret) TH_LOG("GUNYAH_VCPU_RUN: %s%s", strerror(-ret),
				 ret == -ETIMEDOUT ? " (did not come back)" : "");
}

static inline void __expect_mmio(struct __test_metadata *_metadata,
				 const struct gunyah_vcpu_run *run, bool write,
				 uint64_t addr, uint32_t len)
{
	ASSERT_EQ(GUNYAH_VCPU_EXIT_MMIO, run->exit_reason) TH_LOG("%s", exit_str(run));
	EXPECT_EQ(addr, run->mmio.phys_addr) TH_LOG("%s", exit_str(run));
	EXPECT_EQ(len, run->mmio.len) TH_LOG("%s", exit_str(run));
	EXPECT_EQ(write, run->mmio.is_write) TH_LOG("%s", exit_str(run));
}

/* A STATUS exit with this status, exit type and reason word 0 */
static inline void __expect_status(struct __test_metadata *_metadata,
				   const struct gunyah_vcpu_run *run,
				   uint32_t status, uint16_t type, uint32_t word0)
{
	ASSERT_EQ(GUNYAH_VCPU_EXIT_STATUS, run->exit_reason) TH_LOG("%s", exit_str(run));
	EXPECT_EQ(status, run->status.status) TH_LOG("%s", exit_str(run));
	EXPECT_EQ(type, run->status.exit_info.type) TH_LOG("%s", exit_str(run));
	EXPECT_LE(4, run->status.exit_info.reason_size) TH_LOG("%s", exit_str(run));
	EXPECT_GE(GUNYAH_VM_MAX_EXIT_REASON_SIZE,
		  run->status.exit_info.reason_size) TH_LOG("%s", exit_str(run));
	EXPECT_EQ(0, run->status.exit_info.padding);
	EXPECT_EQ(word0, gh_reason_word(run, 0)) TH_LOG("%s", exit_str(run));
}

#define RUN(i)			__run(_metadata, self->g.vcpu[i])
#define EXPECT_MMIO(i, w, a, l)	__expect_mmio(_metadata, self->g.run[i], w, a, l)
#define EXPECT_STATUS(i, s, t, w) \
	__expect_status(_metadata, self->g.run[i], s, t, w)

static inline void __run_to_write(struct __test_metadata *_metadata,
				  struct gh_guest *g, unsigned int i,
				  uint64_t addr, uint32_t len, uint64_t data)
{
	__run(_metadata, g->vcpu[i]);
	__expect_mmio(_metadata, g->run[i], true, addr, len);
	EXPECT_EQ(data, gh_mmio_data(g->run[i])) TH_LOG("%s", exit_str(g->run[i]));
}

/* Run vCPU @i to the MMIO write of @data to @addr with width @len */
#define RUN_TO_WRITE(i, addr, len, data) \
	__run_to_write(_metadata, &self->g, i, addr, len, data)

/*
 * Build the guest, not started: true if the test was skipped because the
 * kernel has no vCPU function.
 */
static inline bool guest_setup(struct __test_metadata *_metadata,
			       struct gh_guest *g, const struct gh_prog *p,
			       unsigned int nr_vcpus, unsigned int flags)
{
	int ret = gh_guest_setup(g, p, nr_vcpus, flags);

	if (gh_guest_no_vcpu_fn(g, ret))
		SKIP(return true, NO_VCPU_FN);
	ASSERT_EQ(0, ret) TH_LOG("%s: %s", g->failed, strerror(-ret));
	return false;
}

static inline void guest_start(struct __test_metadata *_metadata,
			       struct gh_guest *g)
{
	int ret = gh_guest_start(g);

	ASSERT_EQ(0, ret) TH_LOG("GUNYAH_VM_START: %s", strerror(-ret));
}

/* Build and start the guest: true if the test was skipped */
static inline bool guest_up(struct __test_metadata *_metadata,
			    struct gh_guest *g, const struct gh_prog *p,
			    unsigned int nr_vcpus, unsigned int flags)
{
	if (guest_setup(_metadata, g, p, nr_vcpus, flags))
		return true;
	guest_start(_metadata, g);
	return false;
}

/* A thread in GUNYAH_VCPU_RUN */
struct runner {
	int vcpu;
	struct gunyah_vcpu_run *run;
	/* Run until a STATUS exit or an error, instead of once */
	bool loop;
	/* The MMIO write every MMIO exit must be */
	uint64_t addr;
	uint32_t len;
	uint64_t data;

	pthread_t thread;
	/* Results, valid once done */
	int ret;
	unsigned int mmio_exits;
	unsigned int bad_exits;
	unsigned int other_exits;
	bool status;
	int done;
};

static inline void *runner_fn(void *data)
{
	struct runner *r = data;
	struct gunyah_vcpu_run *run = r->run;

	do {
		r->ret = gh_vcpu_run(r->vcpu);
		if (r->ret)
			break;
		switch (run->exit_reason) {
		case GUNYAH_VCPU_EXIT_MMIO:
			r->mmio_exits++;
			if (run->mmio.phys_addr != r->addr || !run->mmio.is_write ||
			    run->mmio.len != r->len || gh_mmio_data(run) != r->data)
				r->bad_exits++;
			break;
		case GUNYAH_VCPU_EXIT_STATUS:
			r->status = true;
			break;
		default:
			r->other_exits++;
			break;
		}
	} while (r->loop && !r->status);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static inline int runner_start(struct runner *r, int vcpu,
			       struct gunyah_vcpu_run *run)
{
	r->vcpu = vcpu;
	r->run = run;
	r->ret = 0;
	r->mmio_exits = 0;
	r->bad_exits = 0;
	r->other_exits = 0;
	r->status = false;
	r->done = 0;
	return pthread_create(&r->thread, NULL, runner_fn, r);
}

static inline bool runner_done(struct runner *r)
{
	return __atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
}

/* Wait up to @ms for the runner to come back, and join it */
static inline bool runner_wait(struct runner *r, unsigned int ms)
{
	uint64_t end = gh_now_ns() + ms * 1000000ULL;

	while (!runner_done(r)) {
		if (gh_now_ns() > end)
			return false;
		gh_sleep_ms(10);
	}
	pthread_join(r->thread, NULL);
	return true;
}

/*
 * Signal the runner (SIGUSR1, which must not restart system calls) until
 * it comes back, for up to @ms; true if it did, joined.
 */
static inline bool runner_interrupt(struct runner *r, unsigned int ms)
{
	unsigned int waited;

	for (waited = 0; waited < ms; waited += 100) {
		pthread_kill(r->thread, SIGUSR1);
		if (runner_wait(r, 100))
			return true;
	}
	return false;
}

#endif /* SELFTEST_GUNYAH_GUEST_TEST_H */
