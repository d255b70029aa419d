// SPDX-License-Identifier: GPL-2.0-only
/*
 * Figures of the vCPU run loop, irqfd and ioeventfd on the simulated
 * hypervisor, from one run, one line each ("bench: name=value ..."):
 *
 *  - an MMIO exit round trip (guest store, exit to userspace, resume)
 *    against a null ioctl on the same vCPU fd (GUNYAH_VCPU_MMAP_SIZE);
 *  - a guest write completed in the kernel by an ioeventfd against the
 *    same write handled in userspace;
 *  - irqfd signals per second: eventfd writes, each ringing the doorbell
 *    (the guest not running), and round trips through a guest that waits
 *    for the doorbell, acknowledges it and stores to MMIO;
 *  - hypercalls (and vcpu_run calls) per MMIO exit, from the simulator's
 *    counters.
 *
 * Not a test: it fails only if the VM cannot be run at all. The number of
 * iterations is GUNYAH_BENCH_ITERS (default 20000).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>

#include "gunyah_util.h"

#define BENCH_ITERS	20000

static unsigned long iters = BENCH_ITERS;

#define bench_err(fmt, ...) printf("bench: error: " fmt "\n", ##__VA_ARGS__)

static int guest_up(struct gh_guest *g, const struct gh_prog *p)
{
	int ret;

	gh_guest_init(g);
	ret = gh_guest_setup(g, p, 1, GH_GUEST_ONE_BINDING);
	if (ret) {
		if (gh_guest_no_vcpu_fn(g, ret))
			printf("bench: skipped: %s\n", NO_VCPU_FN);
		else
			bench_err("%s: %s", g->failed, strerror(-ret));
	}
	return ret;
}

static int start(struct gh_guest *g)
{
	int ret = gh_guest_start(g);

	if (ret)
		bench_err("GUNYAH_VM_START: %s", strerror(-ret));
	return ret;
}

/* Run to the next exit, which must be an MMIO access of @addr */
static int run_to(struct gh_guest *g, uint64_t addr)
{
	struct gunyah_vcpu_run *run = g->run[0];
	int ret;

	ret = gh_vcpu_run(g->vcpu[0]);
	if (ret) {
		bench_err("GUNYAH_VCPU_RUN: %s", strerror(-ret));
		return ret;
	}
	if (run->exit_reason != GUNYAH_VCPU_EXIT_MMIO ||
	    run->mmio.phys_addr != addr) {
		bench_err("exit %u (address %#llx), wanted MMIO at %#llx",
			  run->exit_reason,
			  (unsigned long long)run->mmio.phys_addr,
			  (unsigned long long)addr);
		return -EIO;
	}
	return 0;
}

static double per_iter_ns(uint64_t t0, uint64_t t1, unsigned long n)
{
	return (double)(t1 - t0) / n;
}

/*
 * Each figure is measured in ROUNDS blocks, alternating with the figure it
 * is compared with, and the median block is kept: under an emulated CPU a
 * single long run picks up whatever else the machine does.
 */
#define ROUNDS		11

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v)
{
	qsort(v, ROUNDS, sizeof(*v), cmp_double);
	return v[ROUNDS / 2];
}

#define SIM_TIMING	"/sys/kernel/debug/gunyah_sim/timing"

/* Turn the simulator's timing of vcpu_run on or off. */
static int sim_timing(bool on)
{
	FILE *f = fopen(SIM_TIMING, "w");
	int ret;

	if (!f)
		return -errno;
	ret = fputs(on ? "Y\n" : "N\n", f) < 0 ? -EIO : 0;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/* The time the simulator spent answering vcpu_run, while timing was on */
static int sim_vcpu_run_ns(uint64_t *ns)
{
	unsigned long long h, v, t;
	FILE *f = fopen(GUNYAH_SIM_HYPERCALLS, "r");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "hypercalls %llu vcpu_run %llu vcpu_run_ns %llu", &h, &v,
		   &t);
	fclose(f);
	if (n != 3)
		return -EIO;
	*ns = t;
	return 0;
}

/*
 * The round trip again with the simulator timing itself, so that its own
 * time can be taken out: what is left is what the kernel and the VMM
 * cost, the part a real hypervisor does not change.
 */
static int bench_mmio_driver(struct gh_guest *g, double null_ns)
{
	unsigned long i, block = iters / ROUNDS;
	uint64_t t0, t1, s0, s1;
	double total, hyp;
	int ret = 0;

	if (sim_timing(true) || sim_vcpu_run_ns(&s0)) {
		printf("bench: mmio_exit_without_hypervisor=unavailable (no %s)\n",
		       SIM_TIMING);
		return 0;
	}
	t0 = gh_now_ns();
	for (i = 0; i < block; i++) {
		ret = run_to(g, GH_MMIO(1));
		if (ret)
			break;
	}
	t1 = gh_now_ns();
	sim_timing(false);
	if (ret || sim_vcpu_run_ns(&s1))
		return ret ? ret : -EIO;
	total = per_iter_ns(t0, t1, block);
	hyp = (double)(s1 - s0) / block;
	printf("bench: mmio_exit_without_hypervisor_ns=%.0f null_ioctl_ns=%.0f",
	       total - hyp, null_ns);
	printf(" ratio=%.2f (the simulator's own %.0f ns per vcpu_run taken out of %.0f ns)\n",
	       (total - hyp) / null_ns, hyp, total);
	return 0;
}

/* (a) MMIO exit against a null ioctl, and (d) hypercalls per exit */
static int bench_mmio(void)
{
	unsigned long i, block = iters / ROUNDS, exits = 0;
	uint64_t t0, t1, calls0, runs0, calls1, runs1;
	double mmio[ROUNDS], null[ROUNDS], m, n;
	struct gh_guest g;
	struct gh_prog p;
	unsigned int r;
	bool counters;
	int ret;

	gh_prog_init(&p);
	gh_store(&p, 8, GH_MMIO(1), 1);
	gh_jump(&p, 0);
	ret = guest_up(&g, &p);
	if (ret)
		goto out;
	ret = start(&g);
	if (ret)
		goto out;

	/* The first exit starts the vCPU; the rest are round trips. */
	ret = run_to(&g, GH_MMIO(1));
	if (ret)
		goto out;
	counters = !gh_sim_hypercalls(&calls0, &runs0);
	for (r = 0; r < ROUNDS; r++) {
		t0 = gh_now_ns();
		for (i = 0; i < block; i++) {
			ret = run_to(&g, GH_MMIO(1));
			if (ret)
				goto out;
		}
		t1 = gh_now_ns();
		exits += block;
		mmio[r] = per_iter_ns(t0, t1, block);

		t0 = gh_now_ns();
		for (i = 0; i < block; i++)
			gh_ioctl_val(g.vcpu[0], GUNYAH_VCPU_MMAP_SIZE, 0);
		t1 = gh_now_ns();
		null[r] = per_iter_ns(t0, t1, block);
	}
	if (counters)
		counters = !gh_sim_hypercalls(&calls1, &runs1);

	m = median(mmio);
	n = median(null);
	printf("bench: mmio_exit_ns=%.0f null_ioctl_ns=%.0f", m, n);
	printf(" ratio=%.2f goal<=1.3 iterations=%lu (median of %u blocks)\n",
	       m / n, exits, ROUNDS);
	if (counters) {
		printf("bench: hypercalls_per_mmio_exit=%.3f",
		       (double)(calls1 - calls0) / exits);
		printf(" vcpu_run_per_mmio_exit=%.3f goal=1 exits=%lu\n",
		       (double)(runs1 - runs0) / exits, exits);
	} else {
		printf("bench: hypercalls_per_mmio_exit=unavailable (no %s)\n",
		       GUNYAH_SIM_HYPERCALLS);
	}
	ret = bench_mmio_driver(&g, n);
out:
	gh_guest_close(&g);
	return ret;
}

/* (b) A write completed by an ioeventfd against one handled in userspace */
static int bench_ioeventfd(void)
{
	const uint64_t io = GH_MMIO(2), sentinel = GH_MMIO(3), user = GH_MMIO(4);
	double io_ns[ROUNDS], user_ns[ROUNDS], a, b;
	unsigned long i, block = iters / ROUNDS;
	uint64_t t0, t1, count = 0;
	struct gh_guest g;
	struct gh_prog p;
	unsigned int r;
	int efd, ret;

	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0) {
		bench_err("eventfd: %s", strerror(errno));
		return -errno;
	}
	/* Rounds: a block of ioeventfd writes, then a block of other writes */
	gh_prog_init(&p);
	gh_set_counter(&p, block);
	gh_store(&p, 4, io, 1);
	gh_loop(&p, 1);
	gh_store(&p, 4, sentinel, 0);
	gh_set_counter(&p, block);
	gh_store(&p, 4, user, 1);
	gh_loop(&p, 5);
	gh_jump(&p, 0);
	ret = guest_up(&g, &p);
	if (ret)
		goto out;
	ret = gh_add_ioeventfd(g.v.vm, efd, io, 4, 0, 0);
	if (ret) {
		if (gh_fn_missing(ret)) {
			printf("bench: ioeventfd skipped: no ioeventfd function\n");
			ret = 0;
		} else {
			bench_err("ioeventfd: %s", strerror(-ret));
		}
		goto out;
	}
	ret = start(&g);
	if (ret)
		goto out;

	for (r = 0; r < ROUNDS; r++) {
		/* The block's ioeventfd writes, then one exit at the sentinel */
		t0 = gh_now_ns();
		ret = run_to(&g, sentinel);
		t1 = gh_now_ns();
		if (ret)
			goto out;
		io_ns[r] = per_iter_ns(t0, t1, block);

		t0 = gh_now_ns();
		for (i = 0; i < block; i++) {
			ret = run_to(&g, user);
			if (ret)
				goto out;
		}
		t1 = gh_now_ns();
		user_ns[r] = per_iter_ns(t0, t1, block);
	}
	ret = gh_eventfd_count(efd, &count);
	if (ret || count != block * ROUNDS) {
		bench_err("the ioeventfd counted %llu of %lu writes",
			  (unsigned long long)count, block * ROUNDS);
		ret = -EIO;
		goto out;
	}

	a = median(io_ns);
	b = median(user_ns);
	printf("bench: ioeventfd_write_ns=%.0f userspace_write_ns=%.0f", a, b);
	printf(" ratio=%.2f goal>=3 iterations=%lu (median of %u blocks)\n",
	       b / a, block * ROUNDS, ROUNDS);
out:
	gh_guest_close(&g);
	close(efd);
	return ret;
}

/* (c) irqfd signals per second */
static int bench_irqfd(void)
{
	uint64_t t0, t1, calls0, runs0, calls1, runs1, one = 1;
	unsigned long i, trips = iters / 10 ? iters / 10 : 1;
	struct gh_guest g;
	struct gh_prog p;
	bool counters;
	int efd, ret;

	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0) {
		bench_err("eventfd: %s", strerror(errno));
		return -errno;
	}
	gh_prog_init(&p);
	gh_wait_bell(&p, GH_BELL_LABEL);
	gh_ack_bell(&p, GH_BELL_LABEL);
	gh_store_acc(&p, 8, GH_MMIO(1));
	gh_jump(&p, 0);
	ret = guest_up(&g, &p);
	if (ret)
		goto out;
	ret = gh_add_irqfd(g.v.vm, efd, GH_BELL_LABEL, 0);
	if (ret) {
		if (gh_fn_missing(ret)) {
			printf("bench: irqfd skipped: no irqfd function\n");
			ret = 0;
		} else {
			bench_err("irqfd: %s", strerror(-ret));
		}
		goto out;
	}
	ret = start(&g);
	if (ret)
		goto out;

	/* Raw signals: the vCPU is not run meanwhile. */
	counters = !gh_sim_hypercalls(&calls0, &runs0);
	t0 = gh_now_ns();
	for (i = 0; i < iters; i++) {
		if (write(efd, &one, sizeof(one)) != sizeof(one)) {
			ret = -errno;
			bench_err("eventfd write: %s", strerror(errno));
			goto out;
		}
	}
	t1 = gh_now_ns();
	if (counters)
		counters = !gh_sim_hypercalls(&calls1, &runs1);
	printf("bench: irqfd_signals_per_s=%.0f", iters * 1e9 / (t1 - t0));
	printf(" (eventfd writes, each ringing the doorbell; vCPU not running) ");
	if (counters)
		printf("hypercalls_per_signal=%.3f\n",
		       (double)(calls1 - calls0) / iters);
	else
		printf("hypercalls_per_signal=unavailable\n");

	/* The flag the raw signals left is taken by the first round trip. */
	ret = run_to(&g, GH_MMIO(1));
	if (ret)
		goto out;
	t0 = gh_now_ns();
	for (i = 0; i < trips; i++) {
		if (write(efd, &one, sizeof(one)) != sizeof(one)) {
			ret = -errno;
			bench_err("eventfd write: %s", strerror(errno));
			goto out;
		}
		ret = run_to(&g, GH_MMIO(1));
		if (ret)
			goto out;
	}
	t1 = gh_now_ns();
	printf("bench: irqfd_roundtrips_per_s=%.0f", trips * 1e9 / (t1 - t0));
	printf(" (eventfd write; the guest acknowledges the doorbell, stores to MMIO;");
	printf(" exit) iterations=%lu\n", trips);
out:
	gh_guest_close(&g);
	close(efd);
	return ret;
}

/* The simulated RM's profile, as the simulator says */
static const char *sim_profile(void)
{
	static char buf[32];
	FILE *f = fopen(GUNYAH_SIM_PROFILE, "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		snprintf(buf, sizeof(buf), "unknown");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	const char *env = getenv("GUNYAH_BENCH_ITERS");
	int ret, fail = 0;

	if (env && strtoul(env, NULL, 0))
		iters = strtoul(env, NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("bench: vcpu rm_profile=%s iterations=%lu\n", sim_profile(),
	       iters);

	ret = bench_mmio();
	if (ret && gh_fn_missing(ret))
		return 0;
	fail |= ret != 0;
	fail |= bench_ioeventfd() != 0;
	fail |= bench_irqfd() != 0;
	return fail;
}
