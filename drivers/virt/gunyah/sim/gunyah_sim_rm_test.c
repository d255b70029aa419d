// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the simulated Gunyah Resource Manager, spoken to raw
 * through the message-queue hypercalls on a client of their own.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/gunyah.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/wait.h>

#include "gunyah_sim.h"
#include "gunyah_sim_guest.h"

#define T_MSG		240
#define T_PAYLOAD	232
#define T_VM_ALLOCATE	0x56000001
#define T_VM_DEALLOCATE	0x56000002
#define T_VM_START	0x56000004
#define T_VM_STOP	0x56000005
#define T_VM_RESET	0x56000006
#define T_VM_CONFIG	0x56000009
#define T_VM_INIT	0x5600000b
#define T_VM_HYP_RES	0x56000020
#define T_VM_GET_VMID	0x56000024
#define T_VM_BOOT_CTX	0x56000031
#define T_MEM_LEND	0x51000012
#define T_MEM_SHARE	0x51000013
#define T_MEM_RECLAIM	0x51000015
#define T_MEM_APPEND	0x51000018
#define T_VM_STATUS	0x56100008
#define T_VM_EXITED	0x56100001
#define T_VM_DEMAND_PG	0x56000033
#define T_VM_ADDR_LAYOUT 0x56000034

#define T_MEM_INVALID	0xa
#define T_MEM_INUSE	0xb
#define T_VM_STATE	0x14

/* VM states (§3.8.3). */
#define T_INIT		1
#define T_READY		2
#define T_RUNNING	3
#define T_LOAD		5
#define T_INIT_FAILED	8
#define T_EXITED	9
#define T_RESETTING	10
#define T_RESET		11

/* Where the tests put the config devicetree in a VM's image parcel. */
#define T_DT_OFFSET	0x1000
#define T_DT_SIZE	0x2000
#define T_IMAGE_ORDER	2

struct gunyah_sim_rm_test {
	struct gunyah_sim_rm_client_info info;
	atomic_t tx_irqs;
	atomic_t rx_irqs;
	wait_queue_head_t wq;
	long timeout;
	u16 seq;
	u8 *buf;
};

static irqreturn_t gunyah_sim_rm_test_tx_irq(int irq, void *data)
{
	struct gunyah_sim_rm_test *t = data;

	atomic_inc(&t->tx_irqs);
	wake_up(&t->wq);
	return IRQ_HANDLED;
}

static irqreturn_t gunyah_sim_rm_test_rx_irq(int irq, void *data)
{
	struct gunyah_sim_rm_test *t = data;

	atomic_inc(&t->rx_irqs);
	wake_up(&t->wq);
	return IRQ_HANDLED;
}

static int gunyah_sim_rm_test_init(struct kunit *test)
{
	struct gunyah_sim_rm_test *t;
	int ret;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->buf = kunit_kzalloc(test, 16384, GFP_KERNEL);
	if (!t->buf)
		return -ENOMEM;
	init_waitqueue_head(&t->wq);
	t->timeout = HZ;
	gunyah_sim_rm_reset();

	ret = gunyah_sim_rm_create_client(&t->info);
	if (ret)
		return ret;
	ret = request_irq(t->info.tx_irq, gunyah_sim_rm_test_tx_irq, 0,
			  "gunyah_sim_rm_test_tx", t);
	if (ret)
		goto err_destroy;
	ret = request_irq(t->info.rx_irq, gunyah_sim_rm_test_rx_irq, 0,
			  "gunyah_sim_rm_test_rx", t);
	if (ret)
		goto err_free_tx;
	test->priv = t;
	return 0;

err_free_tx:
	free_irq(t->info.tx_irq, t);
err_destroy:
	gunyah_sim_rm_destroy_client(&t->info);
	return ret;
}

static void gunyah_sim_rm_test_exit(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;

	free_irq(t->info.rx_irq, t);
	free_irq(t->info.tx_irq, t);
	gunyah_sim_rm_destroy_client(&t->info);
	gunyah_sim_rm_reset();
	gunyah_sim_rm_set_profile(GUNYAH_SIM_RM_PUBLIC);
}

/* Wait until the RM has handled this many requests in total. */
static void t_wait_requests(struct kunit *test, u64 n)
{
	struct gunyah_sim_rm_stats st;
	int i;

	for (i = 0; i < 1000; i++) {
		gunyah_sim_rm_get_stats(&st);
		if (st.requests >= n)
			return;
		usleep_range(1000, 2000);
	}
	KUNIT_FAIL(test, "RM handled %llu requests, expected %llu",
		   st.requests, n);
}

static void t_wait_rx_packets(struct kunit *test, u64 n)
{
	struct gunyah_sim_rm_stats st;
	int i;

	for (i = 0; i < 1000; i++) {
		gunyah_sim_rm_get_stats(&st);
		if (st.packets_rx >= n)
			return;
		usleep_range(1000, 2000);
	}
	KUNIT_FAIL(test, "RM received %llu packets, expected %llu",
		   st.packets_rx, n);
}

static unsigned long t_send(struct gunyah_sim_rm_test *t, const void *buf,
			    size_t len)
{
	bool ready;

	return gunyah_hypercall_msgq_send(t->info.tx_cap, len, (void *)buf, 0,
					  &ready);
}

/* Receive one message, waiting for the "not empty" interrupt if needed. */
static size_t t_recv(struct kunit *test, struct gunyah_sim_rm_test *t, u8 *buf)
{
	size_t size;
	bool ready;
	int seen;

	do {
		seen = atomic_read(&t->rx_irqs);
		if (gunyah_hypercall_msgq_recv(t->info.rx_cap, buf, T_MSG,
					       &size, &ready) == GUNYAH_ERROR_OK)
			return size;
	} while (wait_event_timeout(t->wq, atomic_read(&t->rx_irqs) != seen,
				    t->timeout));
	return 0;
}

static bool t_rx_empty(struct gunyah_sim_rm_test *t)
{
	size_t size;
	bool ready;
	u8 buf[T_MSG];

	return gunyah_hypercall_msgq_recv(t->info.rx_cap, buf, sizeof(buf),
					  &size, &ready) ==
	       GUNYAH_ERROR_MSGQUEUE_EMPTY;
}

static void t_hdr(u8 *p, u8 type, unsigned int cont, u16 seq, u32 id)
{
	p[0] = 0x21;
	p[1] = type | cont << 2;
	put_unaligned_le16(seq, p + 2);
	put_unaligned_le32(id, p + 4);
}

/* Send a request, fragmented; returns its sequence number. */
static u16 t_request(struct kunit *test, struct gunyah_sim_rm_test *t,
		     u32 id, const void *payload, size_t len)
{
	unsigned int n = len ? DIV_ROUND_UP(len, T_PAYLOAD) : 1, i;
	u16 seq = ++t->seq;
	u8 pkt[T_MSG];
	size_t chunk;
	int seen;

	for (i = 0; i < n; i++) {
		chunk = min_t(size_t, len - i * T_PAYLOAD, T_PAYLOAD);
		t_hdr(pkt, i ? 0 : 1, n - 1, seq, id);
		if (chunk)
			memcpy(pkt + 8, payload + i * T_PAYLOAD, chunk);
		for (;;) {
			seen = atomic_read(&t->tx_irqs);
			if (t_send(t, pkt, 8 + chunk) == GUNYAH_ERROR_OK)
				break;
			KUNIT_ASSERT_GT(test,
					wait_event_timeout(t->wq, atomic_read(&t->tx_irqs) != seen,
							   HZ),
					0);
		}
	}
	return seq;
}

/*
 * Receive one whole message into t->buf; returns its payload length and
 * sets type, seq and id.
 */
static size_t t_message(struct kunit *test, struct gunyah_sim_rm_test *t,
			u8 *type, u16 *seq, u32 *id)
{
	unsigned int cont, i;
	u8 pkt[T_MSG];
	size_t size, len;

	size = t_recv(test, t, pkt);
	KUNIT_ASSERT_GE(test, size, 8);
	KUNIT_ASSERT_EQ(test, pkt[0], 0x21);
	*type = pkt[1] & 3;
	cont = pkt[1] >> 2;
	*seq = get_unaligned_le16(pkt + 2);
	*id = get_unaligned_le32(pkt + 4);
	len = size - 8;
	memcpy(t->buf, pkt + 8, len);
	for (i = 0; i < cont; i++) {
		size = t_recv(test, t, pkt);
		KUNIT_ASSERT_GE(test, size, 8);
		KUNIT_ASSERT_EQ(test, pkt[1], cont << 2);
		KUNIT_ASSERT_EQ(test, get_unaligned_le16(pkt + 2), *seq);
		KUNIT_ASSERT_EQ(test, get_unaligned_le32(pkt + 4), *id);
		memcpy(t->buf + len, pkt + 8, size - 8);
		len += size - 8;
	}
	return len;
}

/* The reply to a request: returns the RM error, data left in t->buf + 4. */
static u32 t_reply(struct kunit *test, struct gunyah_sim_rm_test *t, u16 seq,
		   u32 id, size_t *len)
{
	u16 rseq;
	u32 rid;
	u8 type;
	size_t l;

	l = t_message(test, t, &type, &rseq, &rid);
	KUNIT_ASSERT_EQ(test, type, 2);
	KUNIT_EXPECT_EQ(test, rseq, seq);
	KUNIT_EXPECT_EQ(test, rid, id);
	KUNIT_ASSERT_GE(test, l, 4);
	if (len)
		*len = l - 4;
	return get_unaligned_le32(t->buf);
}

static u32 t_call(struct kunit *test, struct gunyah_sim_rm_test *t, u32 id,
		  const void *payload, size_t len, size_t *reply_len)
{
	u16 seq = t_request(test, t, id, payload, len);

	return t_reply(test, t, seq, id, reply_len);
}

/* A notification; returns its seq, payload in t->buf. */
static u16 t_notif(struct kunit *test, struct gunyah_sim_rm_test *t, u32 id)
{
	u16 seq;
	u32 rid;
	u8 type;

	t_message(test, t, &type, &seq, &rid);
	KUNIT_EXPECT_EQ(test, type, 3);
	KUNIT_EXPECT_EQ(test, rid, id);
	return seq;
}

static u32 t_vmid_call(struct kunit *test, struct gunyah_sim_rm_test *t,
		       u32 id, u16 vmid)
{
	u8 req[4] = {};

	put_unaligned_le16(vmid, req);
	return t_call(test, t, id, req, sizeof(req), NULL);
}

/* Build a LEND/SHARE request: ACL of nacl VMIDs, nsgl pages from base. */
static size_t t_mem_req(u8 *req, u8 flags, const u16 *acl, unsigned int nacl,
			u64 base, unsigned int nsgl)
{
	size_t off = 8;
	unsigned int i;

	memset(req, 0, 8);
	req[2] = flags;
	put_unaligned_le32(nacl, req + off);
	off += 4;
	for (i = 0; i < nacl; i++, off += 4) {
		put_unaligned_le16(acl[i], req + off);
		req[off + 2] = 7;
		req[off + 3] = 0;
	}
	put_unaligned_le32(nsgl, req + off);
	off += 4;
	for (i = 0; i < nsgl; i++, off += 16) {
		put_unaligned_le64(base + i * 0x2000ULL, req + off);
		put_unaligned_le64(0x1000, req + off + 8);
	}
	put_unaligned_le32(0, req + off);
	return off + 4;
}

static u16 t_allocate(struct kunit *test, struct gunyah_sim_rm_test *t)
{
	u8 req[4] = {};
	size_t len;

	KUNIT_ASSERT_EQ(test, t_call(test, t, T_VM_ALLOCATE, req, sizeof(req),
				     &len), 0);
	KUNIT_ASSERT_EQ(test, len, 4);
	return get_unaligned_le16(t->buf + 4);
}

static u32 t_lend(struct kunit *test, struct gunyah_sim_rm_test *t, u16 vmid,
		  u64 base, unsigned int pages, u32 *handle)
{
	u8 *req = kunit_kzalloc(test, 16384, GFP_KERNEL);
	size_t len;
	u32 err;

	KUNIT_ASSERT_NOT_NULL(test, req);
	err = t_call(test, t, T_MEM_LEND, req,
		     t_mem_req(req, 0, &vmid, 1, base, pages), &len);
	if (!err) {
		KUNIT_EXPECT_EQ(test, len, 4);
		*handle = get_unaligned_le32(t->buf + 4);
	}
	return err;
}

/* Create a parcel of one range, lent (one ACL entry) or shared. */
static u32 t_mem_range(struct kunit *test, struct gunyah_sim_rm_test *t,
		       u32 id, const u16 *acl, unsigned int nacl, u64 base,
		       u64 size, u32 *handle)
{
	u8 req[8 + 4 + 2 * 4 + 4 + 16 + 4] = {};
	size_t off = 8, len;
	unsigned int i;
	u32 err;

	put_unaligned_le32(nacl, req + off);
	off += 4;
	for (i = 0; i < nacl; i++, off += 4) {
		put_unaligned_le16(acl[i], req + off);
		req[off + 2] = 7;
	}
	put_unaligned_le32(1, req + off);
	put_unaligned_le64(base, req + off + 4);
	put_unaligned_le64(size, req + off + 12);
	off += 20;
	put_unaligned_le32(0, req + off);
	err = t_call(test, t, id, req, off + 4, &len);
	if (!err) {
		KUNIT_EXPECT_EQ(test, len, 4);
		*handle = get_unaligned_le32(t->buf + 4);
	}
	return err;
}

static u32 t_reclaim(struct kunit *test, struct gunyah_sim_rm_test *t,
		     u32 handle)
{
	u8 req[8] = {};

	put_unaligned_le32(handle, req);
	return t_call(test, t, T_MEM_RECLAIM, req, sizeof(req), NULL);
}

/* A VM_STATUS notification about vmid, with the given state. */
static void t_status(struct kunit *test, struct gunyah_sim_rm_test *t,
		     u16 vmid, u8 state)
{
	t_notif(test, t, T_VM_STATUS);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->buf), vmid);
	KUNIT_EXPECT_EQ(test, t->buf[4], state);
}

/**
 * struct t_vm_dt - What a test VM's config devicetree holds
 * @dt: the devicetree, as gunyah_sim_vm_dtb() builds it
 * @garbage: no devicetree at all, bytes that are not one
 */
struct t_vm_dt {
	struct gunyah_sim_vm_dt dt;
	bool garbage;
};

static size_t t_vm_dtb(struct kunit *test, const struct t_vm_dt *dt, u8 *dst)
{
	ssize_t len;

	if (dt->garbage) {
		memset(dst, 0x5a, T_DT_SIZE);
		return T_DT_SIZE;
	}
	len = gunyah_sim_vm_dtb(&dt->dt, dst, T_DT_SIZE);
	KUNIT_ASSERT_GT(test, len, 0);
	return len;
}

/**
 * struct t_vm - A VM a test drives
 * @vmid: its VMID
 * @handle: its image parcel: 16 KiB, lent, config devicetree at 4 KiB
 * @pages: the memory of the parcel
 */
struct t_vm {
	u16 vmid;
	u32 handle;
	struct page *pages;
};

static void t_free_image(void *pages)
{
	__free_pages(pages, T_IMAGE_ORDER);
}

/* LOAD: a new VM, and its image parcel lent to it with the devicetree. */
static void t_vm_load(struct kunit *test, struct gunyah_sim_rm_test *t,
		      const struct t_vm_dt *dt, struct t_vm *vm)
{
	u8 *image;

	vm->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, T_IMAGE_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, vm->pages);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_free_image,
							vm->pages), 0);
	image = page_address(vm->pages);
	t_vm_dtb(test, dt, image + T_DT_OFFSET);

	vm->vmid = t_allocate(test, t);
	KUNIT_ASSERT_EQ(test, t_mem_range(test, t, T_MEM_LEND, &vm->vmid, 1,
					  page_to_phys(vm->pages),
					  PAGE_SIZE << T_IMAGE_ORDER,
					  &vm->handle), 0);
}

static u32 t_vm_configure(struct kunit *test, struct gunyah_sim_rm_test *t,
			  struct t_vm *vm)
{
	u8 cfg[40] = {};
	u32 err;

	put_unaligned_le16(vm->vmid, cfg);
	put_unaligned_le32(vm->handle, cfg + 4);
	put_unaligned_le64(T_DT_OFFSET, cfg + 24);
	put_unaligned_le64(T_DT_SIZE, cfg + 32);
	err = t_call(test, t, T_VM_CONFIG, cfg, sizeof(cfg), NULL);
	if (!err)
		t_status(test, t, vm->vmid, T_INIT);
	return err;
}

/*
 * A VM message naming vmid (VM_STOP with FORCE and reason 3); on success
 * the notifications it brings are checked and consumed.
 */
static u32 t_vm_op(struct kunit *test, struct gunyah_sim_rm_test *t, u32 id,
		   u16 vmid)
{
	u8 req[8] = {};
	size_t len = 4;
	u32 err;

	put_unaligned_le16(vmid, req);
	if (id == T_VM_STOP) {
		req[2] = 1;
		put_unaligned_le32(3, req + 4);
		len = 8;
	}
	err = t_call(test, t, id, req, len, NULL);
	if (id == T_VM_INIT && err && err != T_VM_STATE)
		t_status(test, t, vmid, T_INIT_FAILED);
	if (err)
		return err;
	switch (id) {
	case T_VM_INIT:
		t_status(test, t, vmid, T_READY);
		break;
	case T_VM_START:
		t_status(test, t, vmid, T_RUNNING);
		break;
	case T_VM_STOP:
		t_status(test, t, vmid, T_EXITED);
		t_notif(test, t, T_VM_EXITED);
		KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->buf), vmid);
		KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->buf + 2), 7);
		break;
	case T_VM_RESET:
		t_status(test, t, vmid, T_RESETTING);
		t_status(test, t, vmid, T_RESET);
		break;
	}
	return err;
}

/* Bring a VM from LOAD to a state, the way a host would. */
static void t_vm_drive(struct kunit *test, struct gunyah_sim_rm_test *t,
		       struct t_vm *vm, int state)
{
	if (state == T_LOAD)
		return;
	KUNIT_ASSERT_EQ(test, t_vm_configure(test, t, vm), 0);
	if (state == T_INIT)
		return;
	if (state == T_INIT_FAILED) {
		KUNIT_ASSERT_NE(test, t_vm_op(test, t, T_VM_INIT, vm->vmid), 0);
		return;
	}
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_INIT, vm->vmid), 0);
	if (state == T_READY)
		return;
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_START, vm->vmid), 0);
	if (state == T_RUNNING)
		return;
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_STOP, vm->vmid), 0);
	if (state == T_EXITED)
		return;
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_RESET, vm->vmid), 0);
}

/*
 * Tear a VM down from any state, as a host must: stop it if it runs,
 * initialise it if it is only configured (INIT can only go forward), reset
 * it and wait for RESET, then reclaim its parcel and deallocate it.
 */
static void t_vm_teardown(struct kunit *test, struct gunyah_sim_rm_test *t,
			  struct t_vm *vm)
{
	int state = gunyah_sim_rm_vm_state(vm->vmid);

	if (state == T_RUNNING)
		KUNIT_EXPECT_EQ(test, t_vm_op(test, t, T_VM_STOP, vm->vmid), 0);
	if (state == T_INIT)
		t_vm_op(test, t, T_VM_INIT, vm->vmid);
	state = gunyah_sim_rm_vm_state(vm->vmid);
	if (state == T_EXITED || state == T_READY || state == T_INIT_FAILED)
		KUNIT_EXPECT_EQ(test, t_vm_op(test, t, T_VM_RESET, vm->vmid),
				0);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, vm->handle), 0);
	if (state >= 0)
		KUNIT_EXPECT_EQ(test, t_vm_op(test, t, T_VM_DEALLOCATE,
					      vm->vmid), 0);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_vm_state(vm->vmid), -ENOENT);
}

/* Depth 8, FULL, EMPTY, the size quirk and the rights of each capability. */
static void gunyah_sim_rm_msgq_limits_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	u8 msg[T_MSG + 16] = { 1 };
	size_t size = 1;
	bool ready;
	int i;

	gunyah_sim_rm_pause_input(true);
	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_EQ(test,
				gunyah_hypercall_msgq_send(t->info.tx_cap, T_MSG, msg, 0, &ready),
				GUNYAH_ERROR_OK);
		KUNIT_EXPECT_EQ(test, ready, i < 7);
	}
	KUNIT_EXPECT_EQ(test,
			gunyah_hypercall_msgq_send(t->info.tx_cap, 8, msg, 0, &ready),
			GUNYAH_ERROR_MSGQUEUE_FULL);
	KUNIT_EXPECT_FALSE(test, ready);
	/* Receiving needs the RECEIVE right, sending the SEND right. */
	KUNIT_EXPECT_EQ(test,
			gunyah_hypercall_msgq_recv(t->info.tx_cap, msg, T_MSG, &size, &ready),
			GUNYAH_ERROR_CSPACE_INSUF_RIGHTS);
	KUNIT_EXPECT_EQ(test,
			gunyah_hypercall_msgq_send(t->info.rx_cap, 8, msg, 0, &ready),
			GUNYAH_ERROR_CSPACE_INSUF_RIGHTS);
	KUNIT_EXPECT_EQ(test,
			gunyah_hypercall_bell_send(t->info.tx_cap, 1, (u64 *)msg),
			GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE);
	KUNIT_EXPECT_EQ(test,
			gunyah_hypercall_msgq_recv(t->info.rx_cap, msg, T_MSG, &size, &ready),
			GUNYAH_ERROR_MSGQUEUE_EMPTY);
	gunyah_sim_rm_pause_input(false);
	t_wait_rx_packets(test, 8);

	/* Size 0 and size > 240: OK, not full, nothing queued. */
	gunyah_sim_rm_pause_input(true);
	KUNIT_EXPECT_EQ(test,
			gunyah_hypercall_msgq_send(t->info.tx_cap, 0, msg, 0, &ready),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_TRUE(test, ready);
	KUNIT_EXPECT_EQ(test,
			gunyah_hypercall_msgq_send(t->info.tx_cap, T_MSG + 1, msg, 0, &ready),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_TRUE(test, ready);
	gunyah_sim_rm_pause_input(false);
	msleep(20);
	{
		struct gunyah_sim_rm_stats st;

		gunyah_sim_rm_get_stats(&st);
		KUNIT_EXPECT_EQ(test, st.packets_rx, 8);
		KUNIT_EXPECT_EQ(test, st.dropped_rx, 8);
	}
}

/* "Not full" fires once when a full queue drops to 7; "not empty" at 1. */
static void gunyah_sim_rm_irq_edges_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	struct gunyah_sim_rm_stats st;
	u8 msg[8] = { 0x55 };
	int i;

	gunyah_sim_rm_pause_input(true);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, t_send(t, msg, sizeof(msg)),
				GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->tx_irqs), 0);
	gunyah_sim_rm_pause_input(false);
	t_wait_rx_packets(test, 8);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->tx_irqs), 1);

	gunyah_sim_rm_hold_output(true);
	for (i = 0; i < 3; i++)
		t_request(test, t, T_VM_GET_VMID, NULL, 0);
	t_wait_requests(test, 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->rx_irqs), 0);
	gunyah_sim_rm_hold_output(false);
	/* All three queued before the host receives: one edge only. */
	for (i = 0; i < 1000; i++) {
		gunyah_sim_rm_get_stats(&st);
		if (st.packets_tx >= 3)
			break;
		usleep_range(1000, 2000);
	}
	KUNIT_EXPECT_EQ(test, st.packets_tx, 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->rx_irqs), 1);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, t_reply(test, t, i + 1, T_VM_GET_VMID,
					      NULL), 0);
}

/* Single and multi-fragment requests and replies. */
static void gunyah_sim_rm_framing_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	u8 *req = kunit_kzalloc(test, 16384, GFP_KERNEL);
	unsigned int frags, i;
	size_t len, rlen;
	u16 vmid, seq;
	u32 id;

	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_GET_VMID, NULL, 0, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(t->buf + 4), 3);

	/* 100 ranges: 1652 bytes, 8 fragments. */
	vmid = t_allocate(test, t);
	KUNIT_EXPECT_EQ(test, vmid, 0x80);
	len = t_mem_req(req, 0, &vmid, 1, 0x80000000, 100);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_LEND, req, len, &rlen), 0);
	KUNIT_EXPECT_EQ(test, rlen, 4);
	KUNIT_ASSERT_EQ(test,
			gunyah_sim_rm_last_request(&id, &seq, t->buf, 16384, &rlen, &frags),
			0);
	KUNIT_EXPECT_EQ(test, id, T_MEM_LEND);
	KUNIT_EXPECT_EQ(test, seq, t->seq);
	KUNIT_EXPECT_EQ(test, rlen, len);
	KUNIT_EXPECT_EQ(test, frags, DIV_ROUND_UP(len, T_PAYLOAD));
	KUNIT_EXPECT_EQ(test, memcmp(t->buf, req, len), 0);

	/* A reply of 1000 data bytes comes in 5 fragments. */
	for (i = 0; i < 1000; i++)
		req[i] = i * 7;
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_script_reply(T_VM_GET_VMID, 0x12,
							 req, 1000), 0);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_GET_VMID, NULL, 0, &len),
			0x12);
	KUNIT_EXPECT_EQ(test, len, 1000);
	KUNIT_EXPECT_EQ(test, memcmp(t->buf + 4, req, 1000), 0);
}

/* Short, bad header byte, bad fragment count, stray continuation. */
static void gunyah_sim_rm_malformed_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	struct gunyah_sim_rm_stats st;
	u8 pkt[16];

	t_hdr(pkt, 1, 0, 1, T_VM_GET_VMID);
	KUNIT_EXPECT_EQ(test, t_send(t, pkt, 7), GUNYAH_ERROR_OK);
	pkt[0] = 0x31;
	KUNIT_EXPECT_EQ(test, t_send(t, pkt, 8), GUNYAH_ERROR_OK);
	t_hdr(pkt, 1, 63, 2, T_VM_GET_VMID);
	KUNIT_EXPECT_EQ(test, t_send(t, pkt, 8), GUNYAH_ERROR_OK);
	t_hdr(pkt, 0, 1, 3, T_VM_GET_VMID);
	KUNIT_EXPECT_EQ(test, t_send(t, pkt, 8), GUNYAH_ERROR_OK);
	/* A continuation for another message ID than the partial one. */
	t_hdr(pkt, 1, 1, 4, T_VM_GET_VMID);
	KUNIT_EXPECT_EQ(test, t_send(t, pkt, 8), GUNYAH_ERROR_OK);
	t_hdr(pkt, 0, 1, 4, T_VM_ALLOCATE);
	KUNIT_EXPECT_EQ(test, t_send(t, pkt, 8), GUNYAH_ERROR_OK);
	t_wait_rx_packets(test, 6);
	gunyah_sim_rm_get_stats(&st);
	KUNIT_EXPECT_EQ(test, st.dropped_rx, 5);
	KUNIT_EXPECT_EQ(test, st.requests, 0);

	/* The next good request is the first thing answered. */
	t->seq = 99;
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_GET_VMID, NULL, 0, NULL), 0);
	KUNIT_EXPECT_TRUE(test, t_rx_empty(t));
	/* Message ID 0 is just unknown. */
	KUNIT_EXPECT_EQ(test, t_call(test, t, 0, NULL, 0, NULL), 0xffffffff);
	/* Wrong length: MSG_INVALID. */
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_GET_VMID, pkt, 4, NULL), 4);
}

/* With the queue full, a newer reply replaces the buffered one. */
static void gunyah_sim_rm_one_pending_reply_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	struct gunyah_sim_rm_stats st;
	int i;

	for (i = 0; i < 10; i++) {
		t_request(test, t, T_VM_GET_VMID, NULL, 0);
		t_wait_requests(test, i + 1);
	}
	gunyah_sim_rm_get_stats(&st);
	KUNIT_EXPECT_EQ(test, st.replies, 10);
	KUNIT_EXPECT_EQ(test, st.dropped_replies, 1);
	for (i = 1; i <= 8; i++)
		KUNIT_EXPECT_EQ(test, t_reply(test, t, i, T_VM_GET_VMID, NULL),
				0);
	KUNIT_EXPECT_EQ(test, t_reply(test, t, 10, T_VM_GET_VMID, NULL), 0);
	KUNIT_EXPECT_TRUE(test, t_rx_empty(t));
}

/* The whole VM lifecycle, with its notifications and forbidden moves. */
static void gunyah_sim_rm_vm_lifecycle_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	u8 cfg[40] = {}, stop[8] = {}, note[4] = {};
	const struct t_vm_dt dt = { .dt.cpus = 1 };
	struct t_vm vm;
	size_t len;
	u32 handle;
	u16 vmid;

	/* The counter is global: two notifications went to the primary. */
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_send_notification(NULL, 0x56100080, note,
							      sizeof(note)), 0);
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_send_notification(NULL, 0x56100080, note,
							      sizeof(note)), 0);

	vmid = t_allocate(test, t);
	KUNIT_EXPECT_EQ(test, t_vmid_call(test, t, T_VM_DEALLOCATE, vmid), 0);
	t_vm_load(test, t, &dt, &vm);
	vmid = vm.vmid;
	handle = vm.handle;

	/* Image and DT must lie inside the 16 KiB parcel. */
	put_unaligned_le16(vmid, cfg);
	put_unaligned_le32(handle, cfg + 4);
	put_unaligned_le64(0x4000, cfg + 24);
	put_unaligned_le64(0x1000, cfg + 32);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_CONFIG, cfg, 40, NULL), 6);
	put_unaligned_le64(T_DT_OFFSET, cfg + 24);
	put_unaligned_le64(T_DT_SIZE, cfg + 32);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_CONFIG, cfg, 39, NULL), 4);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_CONFIG, cfg, 40, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_notif(test, t, T_VM_STATUS), 2);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->buf), vmid);
	KUNIT_EXPECT_EQ(test, t->buf[4], 1);

	/* Configured: no deallocation without a reset. */
	KUNIT_EXPECT_EQ(test, t_vmid_call(test, t, T_VM_DEALLOCATE, vmid), 0x14);
	KUNIT_EXPECT_EQ(test, t_vmid_call(test, t, T_VM_START, vmid), 0x14);
	KUNIT_EXPECT_EQ(test, t_vmid_call(test, t, T_VM_INIT, vmid), 0);
	KUNIT_EXPECT_EQ(test, t_notif(test, t, T_VM_STATUS), 3);
	KUNIT_EXPECT_EQ(test, t->buf[4], 2);

	put_unaligned_le16(vmid, cfg);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_HYP_RES, cfg, 4, &len), 0);
	KUNIT_ASSERT_EQ(test, len, 4 + 44);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(t->buf + 4), 1);
	KUNIT_EXPECT_EQ(test, t->buf[8], 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->buf + 10), vmid);
	KUNIT_EXPECT_GE(test, get_unaligned_le32(t->buf + 8 + 24), 962);

	KUNIT_EXPECT_EQ(test, t_vmid_call(test, t, T_VM_START, vmid), 0);
	KUNIT_EXPECT_EQ(test, t_notif(test, t, T_VM_STATUS), 4);
	KUNIT_EXPECT_EQ(test, t->buf[4], 3);

	/* Lent to a running VM: in use. */
	put_unaligned_le32(handle, note);
	memset(cfg, 0, 8);
	put_unaligned_le32(handle, cfg);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_RECLAIM, cfg, 8, NULL),
			0xb);

	put_unaligned_le16(vmid, stop);
	stop[2] = 1;
	put_unaligned_le32(3, stop + 4);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_STOP, stop, 8, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_notif(test, t, T_VM_STATUS), 5);
	KUNIT_EXPECT_EQ(test, t->buf[4], 9);
	KUNIT_EXPECT_EQ(test, t_notif(test, t, T_VM_EXITED), 6);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->buf + 2), 7);

	/* Reset: reply first, then RESETTING and RESET. */
	KUNIT_EXPECT_EQ(test, t_vmid_call(test, t, T_VM_RESET, vmid), 0);
	t_notif(test, t, T_VM_STATUS);
	KUNIT_EXPECT_EQ(test, t->buf[4], 10);
	t_notif(test, t, T_VM_STATUS);
	KUNIT_EXPECT_EQ(test, t->buf[4], 11);

	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_RECLAIM, cfg, 8, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_RECLAIM, cfg, 8, NULL), 7);
	KUNIT_EXPECT_EQ(test, t_vmid_call(test, t, T_VM_DEALLOCATE, vmid), 0);
	KUNIT_EXPECT_TRUE(test, t_rx_empty(t));
}

/* ACL rules, list limits, overlaps and the APPEND flow. */
static void gunyah_sim_rm_parcel_rules_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	u8 *req = kunit_kzalloc(test, 16384, GFP_KERNEL);
	u16 acl[2];
	size_t len;
	u32 handle, h2;

	KUNIT_ASSERT_NOT_NULL(test, req);
	acl[0] = t_allocate(test, t);
	acl[1] = 3;

	/* SHARE needs the owner in the ACL, LEND forbids it. */
	len = t_mem_req(req, 0, acl, 1, 0x80000000, 1);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_SHARE, req, len, NULL), 6);
	len = t_mem_req(req, 0, acl, 2, 0x80000000, 1);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_LEND, req, len, NULL), 6);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_SHARE, req, len, NULL), 0);
	/* The range is in a live parcel now. */
	KUNIT_EXPECT_EQ(test, t_lend(test, t, acl[0], 0x80000000, 1, &h2), 0xa);
	/* Duplicate VMIDs. */
	acl[1] = acl[0];
	len = t_mem_req(req, 0, acl, 2, 0xa0000000, 1);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_LEND, req, len, NULL), 6);
	/* Misaligned, and data left over. */
	len = t_mem_req(req, 0, acl, 1, 0xa0000800, 1);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_LEND, req, len, NULL), 0xa);
	len = t_mem_req(req, 0, acl, 1, 0xa0000000, 1);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_LEND, req, len + 4, NULL),
			4);
	/* 513 ranges: NORESOURCE. */
	len = t_mem_req(req, 0, acl, 1, 0xa0000000, 513);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_LEND, req, len, NULL), 2);

	/* 512 with APPEND, then 100 more with END: 612 ranges. */
	len = t_mem_req(req, 2, acl, 1, 0xa0000000, 512);
	KUNIT_ASSERT_EQ(test, t_call(test, t, T_MEM_LEND, req, len, NULL), 0);
	handle = get_unaligned_le32(t->buf + 4);
	len = t_mem_req(req, 0, acl, 1, 0xa0000000 + 512 * 0x2000, 100);
	/* Reuse the SGL part: handle, flags END, then the list. */
	memmove(req + 8, req + 16, len - 16 - 4);
	put_unaligned_le32(handle, req);
	put_unaligned_le32(1, req + 4);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_APPEND, req, len - 12,
				     NULL), 0);
	/* Finalised: no more appending. */
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_APPEND, req, len - 12,
				     NULL), 3);
	put_unaligned_le32(handle, req);
	put_unaligned_le32(0, req + 4);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_MEM_RECLAIM, req, 8, NULL), 0);
}

/*
 * VM_SET_BOOT_CONTEXT, VM_SET_DEMAND_PAGING and VM_SET_ADDRESS_LAYOUT exist
 * only in the full profile, which keeps the boot context for the guest.
 */
static void gunyah_sim_rm_profiles_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	const struct t_vm_dt dt = { .dt.cpus = 1 };
	u8 ctx[16] = {}, layout[24] = {};
	struct t_vm vm;
	u64 val;

	t_vm_load(test, t, &dt, &vm);
	KUNIT_ASSERT_EQ(test, t_vm_configure(test, t, &vm), 0);
	put_unaligned_le16(vm.vmid, layout);
	put_unaligned_le16(vm.vmid, ctx);

	/* Public: all three unknown, even with a bad length. */
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_get_profile(), GUNYAH_SIM_RM_PUBLIC);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_ADDR_LAYOUT, layout, 24,
				     NULL), 0xffffffff);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_DEMAND_PG, layout, 8, NULL),
			0xffffffff);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_BOOT_CTX, ctx, 3, NULL),
			0xffffffff);

	/* Full: address layout and demand paging before VM_INIT only. */
	gunyah_sim_rm_set_profile(GUNYAH_SIM_RM_FULL);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_ADDR_LAYOUT, layout, 24,
				     NULL), 0);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_DEMAND_PG, layout, 8, NULL),
			0);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_DEMAND_PG, layout, 12,
				     NULL), 4);
	/* The boot context is set between VM_INIT and VM_START. */
	ctx[2] = 1;
	put_unaligned_le64(0x80001000, ctx + 8);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_BOOT_CTX, ctx, 16, NULL),
			T_VM_STATE);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_INIT, vm.vmid), 0);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_ADDR_LAYOUT, layout, 24,
				     NULL), T_VM_STATE);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_BOOT_CTX, ctx, 15, NULL), 4);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_BOOT_CTX, ctx, 16, NULL), 0);
	ctx[2] = 0;
	ctx[3] = 31;
	put_unaligned_le64(0x48000000, ctx + 8);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_BOOT_CTX, ctx, 16, NULL), 0);
	ctx[3] = 32;
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_BOOT_CTX, ctx, 16, NULL), 6);
	ctx[2] = 1;
	ctx[3] = 1;
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_BOOT_CTX, ctx, 16, NULL), 6);

	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_vm_boot_reg(vm.vmid, 32, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 0x80001000);
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_vm_boot_reg(vm.vmid, 31, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 0x48000000);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_vm_boot_reg(vm.vmid, 0, &val),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_vm_boot_reg(vm.vmid, 36, &val),
			-EINVAL);

	/* A reset forgets it. */
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_RESET, vm.vmid), 0);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_vm_boot_reg(vm.vmid, 32, &val),
			-ENOENT);
	t_vm_teardown(test, t, &vm);
}

/*
 * Every VM message from every state a host can reach (§3.8.1, §3.8.3): the
 * allowed ones move the VM on, the others get VM_STATE and change nothing.
 */
static const int t_states[] = {
	T_LOAD, T_INIT, T_READY, T_RUNNING, T_EXITED, T_RESET, T_INIT_FAILED,
};

static const struct {
	u32 id;
	const char *name;
	u16 from;	/* bit n: allowed from state n */
	int to;		/* the state afterwards, -ENOENT for none */
} t_moves[] = {
	{ T_VM_CONFIG, "CONFIG_IMAGE", BIT(T_LOAD) | BIT(T_RESET), T_INIT },
	{ T_VM_INIT, "INIT", BIT(T_INIT), T_READY },
	{ T_VM_START, "START", BIT(T_READY), T_RUNNING },
	{ T_VM_STOP, "STOP", BIT(T_RUNNING), T_EXITED },
	{ T_VM_RESET, "RESET", BIT(T_EXITED) | BIT(T_READY) |
			       BIT(T_INIT_FAILED), T_RESET },
	{ T_VM_DEALLOCATE, "DEALLOCATE", BIT(T_LOAD) | BIT(T_RESET), -ENOENT },
};

static void gunyah_sim_rm_transitions_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	const struct t_vm_dt good = { .dt.cpus = 1 };
	const struct t_vm_dt bad = { .dt.hypervisor = true };
	struct gunyah_sim_rm_usage usage;
	unsigned int i, j;
	struct t_vm vm;
	bool allowed;
	int state;
	u32 err;

	for (i = 0; i < ARRAY_SIZE(t_states); i++) {
		for (j = 0; j < ARRAY_SIZE(t_moves); j++) {
			state = t_states[i];
			t_vm_load(test, t, state == T_INIT_FAILED ? &bad : &good,
				  &vm);
			t_vm_drive(test, t, &vm, state);
			KUNIT_ASSERT_EQ(test, gunyah_sim_rm_vm_state(vm.vmid),
					state);

			allowed = t_moves[j].from & BIT(state);
			if (t_moves[j].id == T_VM_CONFIG)
				err = t_vm_configure(test, t, &vm);
			else
				err = t_vm_op(test, t, t_moves[j].id, vm.vmid);
			KUNIT_EXPECT_EQ_MSG(test, err, allowed ? 0 : T_VM_STATE,
					    "%s from state %d", t_moves[j].name,
					    state);
			KUNIT_EXPECT_EQ_MSG(test, gunyah_sim_rm_vm_state(vm.vmid),
					    allowed ? t_moves[j].to : state,
					    "%s from state %d", t_moves[j].name,
					    state);
			t_vm_teardown(test, t, &vm);
		}
	}
	KUNIT_EXPECT_TRUE(test, t_rx_empty(t));
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.vms, 0);
	KUNIT_EXPECT_EQ(test, usage.parcels, 0);
}

/*
 * Pages belong to one parcel at a time; a parcel is the guest's from READY
 * (MEM_INUSE) until the VM is reset.
 */
static void gunyah_sim_rm_parcel_ownership_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	const struct t_vm_dt dt = { .dt.cpus = 1 };
	struct gunyah_sim_rm_usage usage;
	const u64 base = 0x8000000000ULL;
	u32 h1, h2, h3;
	struct t_vm vm;
	u16 acl[2];

	t_vm_load(test, t, &dt, &vm);
	acl[0] = vm.vmid;
	acl[1] = 3;

	/* 16 pages lent; any page of them again, lent or shared: refused. */
	KUNIT_ASSERT_EQ(test, t_mem_range(test, t, T_MEM_LEND, acl, 1, base,
					  0x10000, &h1), 0);
	KUNIT_EXPECT_EQ(test, t_mem_range(test, t, T_MEM_LEND, acl, 1, base,
					  0x1000, &h2), T_MEM_INVALID);
	KUNIT_EXPECT_EQ(test, t_mem_range(test, t, T_MEM_LEND, acl, 1,
					  base + 0xf000, 0x1000, &h2),
			T_MEM_INVALID);
	KUNIT_EXPECT_EQ(test, t_mem_range(test, t, T_MEM_SHARE, acl, 2,
					  base - 0x1000, 0x2000, &h2),
			T_MEM_INVALID);
	/* The neighbours are free. */
	KUNIT_ASSERT_EQ(test, t_mem_range(test, t, T_MEM_SHARE, acl, 2,
					  base + 0x10000, 0x3000, &h2), 0);
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.parcels, 3);
	KUNIT_EXPECT_EQ(test, usage.lent_pages, 16 + 4);
	KUNIT_EXPECT_EQ(test, usage.shared_pages, 3);

	/* Unknown handles. */
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, 0x7777), 7);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, 0xffffffff), 7);

	/* Not accepted yet: reclaim works, and the pages are free again. */
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, h1), 0);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, h1), 7);
	KUNIT_ASSERT_EQ(test, t_mem_range(test, t, T_MEM_LEND, acl, 1, base,
					  0x10000, &h1), 0);

	/* READY: the VM has accepted them all. */
	t_vm_drive(test, t, &vm, T_READY);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, h1), T_MEM_INUSE);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, h2), T_MEM_INUSE);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, vm.handle), T_MEM_INUSE);
	/* Given to a READY VM: accepted at once. */
	KUNIT_ASSERT_EQ(test, t_mem_range(test, t, T_MEM_LEND, acl, 1,
					  base + 0x20000, 0x1000, &h3), 0);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, h3), T_MEM_INUSE);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_START, vm.vmid), 0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_STOP, vm.vmid), 0);
	/* Stopped is not reset: still the guest's. */
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, h1), T_MEM_INUSE);

	/* The reset releases them. */
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_RESET, vm.vmid), 0);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, h1), 0);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, h2), 0);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, h3), 0);
	t_vm_teardown(test, t, &vm);
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.parcels, 0);
	KUNIT_EXPECT_EQ(test, usage.lent_pages, 0);
	KUNIT_EXPECT_EQ(test, usage.shared_pages, 0);
}

/*
 * The caller rules of §3.7/§3.8.1: HLOS-only messages, owner-only ones
 * (DENIED, or VMID_INVALID for VM_STOP and VM_RESET), unknown VMIDs, and
 * no vCPU entries for a VM one does not own.
 */
static void gunyah_sim_rm_caller_rules_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	const struct t_vm_dt dt = { .dt.cpus = 2 };
	u8 req[4] = {};
	struct t_vm vm;
	size_t len;

	t_vm_load(test, t, &dt, &vm);
	t_vm_drive(test, t, &vm, T_READY);

	/* Speak for VM 4, a platform secondary VM. */
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_set_client_vmid(&t->info, 4), 0);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_ALLOCATE, req, 4, NULL), 3);
	KUNIT_EXPECT_EQ(test, t_vm_configure(test, t, &vm), 3);
	KUNIT_EXPECT_EQ(test, t_vm_op(test, t, T_VM_START, vm.vmid), 3);
	KUNIT_EXPECT_EQ(test, t_vm_op(test, t, T_VM_STOP, vm.vmid), 0xd);
	KUNIT_EXPECT_EQ(test, t_vm_op(test, t, T_VM_RESET, vm.vmid), 0xd);
	KUNIT_EXPECT_EQ(test, t_vm_op(test, t, T_VM_DEALLOCATE, vm.vmid), 3);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, vm.handle), 3);
	put_unaligned_le16(vm.vmid, req);
	KUNIT_ASSERT_EQ(test, t_call(test, t, T_VM_HYP_RES, req, 4, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(t->buf + 4), 0);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_vm_state(vm.vmid), T_READY);

	/* Back to HLOS: an unknown VMID, then the VM's owner again. */
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_set_client_vmid(&t->info, 3), 0);
	KUNIT_EXPECT_EQ(test, t_vm_op(test, t, T_VM_START, 0x99), 0xd);
	KUNIT_EXPECT_EQ(test, t_vm_op(test, t, T_VM_DEALLOCATE, 0x99), 0xd);
	KUNIT_ASSERT_EQ(test, t_call(test, t, T_VM_HYP_RES, req, 4, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 4 + 2 * 44);
	put_unaligned_le16(0x99, req);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_HYP_RES, req, 4, NULL), 6);
	t_vm_teardown(test, t, &vm);
}

/* A resource entry of VM_GET_HYP_RESOURCES' reply in t->buf. */
static const u8 *t_res(struct gunyah_sim_rm_test *t, unsigned int i)
{
	return t->buf + 8 + i * 44;
}

/* §3.11: vCPUs, proxy scheduling, memory base and vdevices from the DTB. */
static void gunyah_sim_rm_config_dt_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	const struct t_vm_dt dt = {
		.dt = { .cpus = 3, .proxy = true, .base = 0x80000000,
			.vdevs = true },
	};
	static const u8 want_type[] = { 4, 4, 4, 0, 1, 2, 3 };
	static const u32 want_label[] = { 0, 1, 2, 5, 6, 7, 7 };
	struct gunyah_sim_rm_vm_info info;
	u64 caps[ARRAY_SIZE(want_type)];
	u64 data = 1, bell = 0;
	unsigned int i;
	struct t_vm vm;
	u8 req[4] = {};
	bool ready;
	size_t len;
	u32 virq;

	t_vm_load(test, t, &dt, &vm);
	t_vm_drive(test, t, &vm, T_READY);
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_get_vm_info(vm.vmid, &info), 0);
	KUNIT_EXPECT_EQ(test, info.state, T_READY);
	KUNIT_EXPECT_EQ(test, info.owner, 3);
	KUNIT_EXPECT_EQ(test, info.mem_base, 0x80000000);
	KUNIT_EXPECT_EQ(test, info.vcpus, 3);
	KUNIT_EXPECT_TRUE(test, info.proxy);
	KUNIT_EXPECT_EQ(test, info.resources, ARRAY_SIZE(want_type));

	put_unaligned_le16(vm.vmid, req);
	KUNIT_ASSERT_EQ(test, t_call(test, t, T_VM_HYP_RES, req, 4, &len), 0);
	KUNIT_ASSERT_EQ(test, len, 4 + 44 * ARRAY_SIZE(want_type));
	KUNIT_ASSERT_EQ(test, get_unaligned_le32(t->buf + 4),
			ARRAY_SIZE(want_type));
	for (i = 0; i < ARRAY_SIZE(want_type); i++) {
		KUNIT_EXPECT_EQ(test, t_res(t, i)[0], want_type[i]);
		KUNIT_EXPECT_EQ(test, get_unaligned_le16(t_res(t, i) + 2),
				vm.vmid);
		KUNIT_EXPECT_EQ(test, get_unaligned_le32(t_res(t, i) + 8),
				want_label[i]);
		virq = get_unaligned_le32(t_res(t, i) + 24);
		/* Doorbells the host rings have no interrupt. */
		if (want_type[i] == 0)
			KUNIT_EXPECT_EQ(test, virq, 0);
		else
			KUNIT_EXPECT_GE(test, virq, 962);
		caps[i] = get_unaligned_le64(t_res(t, i) + 12);
	}

	/* The capabilities name real objects of the right kind. */
	KUNIT_EXPECT_NE(test, gunyah_hypercall_bell_send(caps[3], 1, &bell),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(caps[0], 1, &bell),
			GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_msgq_send(caps[5], 8, &data, 0,
							 &ready),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_msgq_send(caps[6], 8, &data, 0,
							 &ready),
			GUNYAH_ERROR_CSPACE_INSUF_RIGHTS);

	/* A reset takes them away. */
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_RESET, vm.vmid), 0);
	for (i = 0; i < ARRAY_SIZE(want_type); i++)
		KUNIT_EXPECT_EQ(test, gunyah_hypercall_msgq_send(caps[i], 8,
								 &data, 0,
								 &ready),
				GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_HYP_RES, req, 4, NULL), 2);
	t_vm_teardown(test, t, &vm);
}

/* Config devicetrees the RM refuses at VM_INIT, failing the VM. */
static const struct {
	const char *name;
	struct t_vm_dt dt;
	u64 dt_size;
	u32 err;
} t_bad_dts[] = {
	{ "/hypervisor", { .dt = { .cpus = 1, .hypervisor = true } },
	  T_DT_SIZE, 3 },
	{ "garbage", { .garbage = true }, T_DT_SIZE, 6 },
	{ "larger than its room", { .dt = { .cpus = 1 } }, 64, 6 },
};

static void gunyah_sim_rm_config_dt_refused_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	struct gunyah_sim_rm_vm_info info;
	u8 cfg[40] = {};
	struct t_vm vm;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t_bad_dts); i++) {
		t_vm_load(test, t, &t_bad_dts[i].dt, &vm);
		put_unaligned_le16(vm.vmid, cfg);
		put_unaligned_le32(vm.handle, cfg + 4);
		put_unaligned_le64(T_DT_OFFSET, cfg + 24);
		put_unaligned_le64(t_bad_dts[i].dt_size, cfg + 32);
		KUNIT_ASSERT_EQ(test, t_call(test, t, T_VM_CONFIG, cfg, 40,
					     NULL), 0);
		t_status(test, t, vm.vmid, T_INIT);

		/* The reply says why; VM_STATUS says INIT_FAILED. */
		KUNIT_EXPECT_EQ_MSG(test, t_vm_op(test, t, T_VM_INIT, vm.vmid),
				    t_bad_dts[i].err, "%s", t_bad_dts[i].name);
		KUNIT_ASSERT_EQ(test, gunyah_sim_rm_get_vm_info(vm.vmid, &info),
				0);
		KUNIT_EXPECT_EQ(test, info.state, T_INIT_FAILED);
		KUNIT_EXPECT_EQ(test, info.resources, 0);
		t_vm_teardown(test, t, &vm);
	}
}

/*
 * The host's whole flow (§7, §3.10), with every request and notification
 * in order, and nothing left afterwards.
 */
static void gunyah_sim_rm_flow_order_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	static const u32 want[] = {
		T_VM_ALLOCATE, T_MEM_LEND, T_MEM_SHARE, T_VM_CONFIG, T_VM_INIT,
		T_VM_HYP_RES, T_VM_START, T_VM_STOP, T_VM_RESET, T_MEM_RECLAIM,
		T_MEM_RECLAIM, T_VM_DEALLOCATE,
	};
	const struct t_vm_dt dt = { .dt.cpus = 2, .dt.proxy = true };
	struct gunyah_sim_rm_usage usage;
	u32 ids[16], shared;
	struct t_vm vm;
	u16 acl[2];
	size_t n;

	gunyah_sim_rm_trace_start();
	t_vm_load(test, t, &dt, &vm);
	acl[0] = vm.vmid;
	acl[1] = 3;
	KUNIT_ASSERT_EQ(test, t_mem_range(test, t, T_MEM_SHARE, acl, 2,
					  0x8000000000ULL, 0x100000, &shared),
			0);
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.vms, 1);
	KUNIT_EXPECT_EQ(test, usage.parcels, 2);
	KUNIT_EXPECT_EQ(test, usage.lent_pages, 4);
	KUNIT_EXPECT_EQ(test, usage.shared_pages, 256);

	/* Each t_vm_op checks the VM_STATUS and VM_EXITED that follow. */
	KUNIT_ASSERT_EQ(test, t_vm_configure(test, t, &vm), 0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_INIT, vm.vmid), 0);
	KUNIT_ASSERT_EQ(test, t_vmid_call(test, t, T_VM_HYP_RES, vm.vmid), 0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_START, vm.vmid), 0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_STOP, vm.vmid), 0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_RESET, vm.vmid), 0);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, shared), 0);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, vm.handle), 0);
	KUNIT_EXPECT_EQ(test, t_vm_op(test, t, T_VM_DEALLOCATE, vm.vmid), 0);
	KUNIT_EXPECT_TRUE(test, t_rx_empty(t));

	gunyah_sim_rm_trace_stop();
	n = gunyah_sim_rm_trace_get(ids, ARRAY_SIZE(ids));
	KUNIT_ASSERT_EQ(test, n, ARRAY_SIZE(want));
	KUNIT_EXPECT_MEMEQ(test, ids, want, sizeof(want));

	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.vms, 0);
	KUNIT_EXPECT_EQ(test, usage.parcels, 0);
	KUNIT_EXPECT_EQ(test, usage.lent_pages, 0);
	KUNIT_EXPECT_EQ(test, usage.shared_pages, 0);
}

/*
 * 1 GiB in 262144 scattered pages: a LEND with APPEND and 511 MEM_APPENDs
 * of 512 ranges. The addresses need not be RAM: only the image is read.
 */
static void gunyah_sim_rm_big_parcel_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	const u64 base = 0x8000000000ULL, stride = 0x2000;
	const unsigned int per_msg = 512, msgs = 512;
	u8 *req = kunit_kzalloc(test, 16384, GFP_KERNEL);
	struct gunyah_sim_rm_usage usage;
	unsigned int m, i;
	u32 handle, other;
	ktime_t start;
	size_t off;
	u16 vmid;

	KUNIT_ASSERT_NOT_NULL(test, req);
	/* Under a debug kernel on an emulator, each page costs tens of us. */
	t->timeout = 60 * HZ;
	vmid = t_allocate(test, t);
	start = ktime_get();
	KUNIT_ASSERT_EQ(test, t_call(test, t, T_MEM_LEND, req,
				     t_mem_req(req, 2, &vmid, 1, base, per_msg),
				     NULL), 0);
	handle = get_unaligned_le32(t->buf + 4);
	for (m = 1; m < msgs; m++) {
		put_unaligned_le32(handle, req);
		put_unaligned_le32(m == msgs - 1, req + 4);
		put_unaligned_le32(per_msg, req + 8);
		off = 12;
		for (i = 0; i < per_msg; i++, off += 16) {
			put_unaligned_le64(base + (m * per_msg + i) * stride,
					   req + off);
			put_unaligned_le64(0x1000, req + off + 8);
		}
		KUNIT_ASSERT_EQ(test, t_call(test, t, T_MEM_APPEND, req, off,
					     NULL), 0);
	}
	kunit_info(test, "1 GiB of 4 KiB pages lent in %lld ms\n",
		   ktime_ms_delta(ktime_get(), start));

	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.lent_pages, 262144);
	/* A page in the middle is taken, the gap next to it is not. */
	KUNIT_EXPECT_EQ(test, t_mem_range(test, t, T_MEM_LEND, &vmid, 1,
					  base + 131071 * stride, 0x1000,
					  &other), T_MEM_INVALID);
	KUNIT_EXPECT_EQ(test, t_mem_range(test, t, T_MEM_LEND, &vmid, 1,
					  base + 131071 * stride - 0x1000,
					  0x3000, &other), T_MEM_INVALID);
	KUNIT_ASSERT_EQ(test, t_mem_range(test, t, T_MEM_LEND, &vmid, 1,
					  base + 131071 * stride + 0x1000,
					  0x1000, &other), 0);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, other), 0);

	start = ktime_get();
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, handle), 0);
	kunit_info(test, "and reclaimed in %lld ms\n",
		   ktime_ms_delta(ktime_get(), start));
	/* Every page is free again, the last ones too. */
	KUNIT_EXPECT_EQ(test, t_mem_range(test, t, T_MEM_LEND, &vmid, 1,
					  base + 262143 * stride, 0x1000,
					  &other), 0);
	KUNIT_EXPECT_EQ(test, t_reclaim(test, t, other), 0);
	KUNIT_EXPECT_EQ(test, t_vmid_call(test, t, T_VM_DEALLOCATE, vmid), 0);
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.parcels, 0);
	KUNIT_EXPECT_EQ(test, usage.lent_pages, 0);
}

/* fail_nth, drop_next_reply, corrupt_next_output, inject_packet. */
static void gunyah_sim_rm_fault_hooks_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	u8 pkt[T_MSG] = {};
	u16 seq;

	gunyah_sim_rm_fail_nth(T_VM_GET_VMID, 2, 3);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_GET_VMID, NULL, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_GET_VMID, NULL, 0, NULL), 3);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_GET_VMID, NULL, 0, NULL), 0);

	gunyah_sim_rm_drop_next_reply(T_VM_GET_VMID);
	t_request(test, t, T_VM_GET_VMID, NULL, 0);
	seq = t_request(test, t, T_VM_GET_VMID, NULL, 0);
	KUNIT_EXPECT_EQ(test, t_reply(test, t, seq, T_VM_GET_VMID, NULL), 0);

	gunyah_sim_rm_corrupt_next_output(0, 0, 0xff);
	t_request(test, t, T_VM_GET_VMID, NULL, 0);
	KUNIT_EXPECT_EQ(test, t_recv(test, t, pkt), 16);
	KUNIT_EXPECT_EQ(test, pkt[0], 0x21 ^ 0xff);
	KUNIT_EXPECT_TRUE(test, t_rx_empty(t));

	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_inject_packet(pkt, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_inject_packet(pkt, T_MSG + 1),
			-EINVAL);
}

/* /hypervisor describes the primary client as the RM does. */
static void gunyah_sim_rm_devicetree_test(struct kunit *test)
{
	struct device_node *np;
	u32 irqs[6];
	u64 tx, rx;

	np = of_find_compatible_node(NULL, NULL, "gunyah-resource-manager");
	KUNIT_ASSERT_NOT_NULL(test, np);
	KUNIT_EXPECT_TRUE(test, of_device_is_compatible(np->parent, "qcom,gunyah-hypervisor"));
	KUNIT_EXPECT_EQ(test, of_property_read_u64_index(np, "reg", 0, &tx), 0);
	KUNIT_EXPECT_EQ(test, of_property_read_u64_index(np, "reg", 1, &rx), 0);
	KUNIT_EXPECT_NE(test, tx, rx);
	KUNIT_EXPECT_EQ(test, of_property_read_u32_array(np, "interrupts", irqs,
							 6), 0);
	KUNIT_EXPECT_EQ(test, irqs[1], 928);
	KUNIT_EXPECT_EQ(test, irqs[4], 929);
	KUNIT_EXPECT_TRUE(test, of_property_read_bool(np, "qcom,is-full-duplex"));
	of_node_put(np);
}

/* Demand paging (§1.11): host pages, guest IPA ranges, extent labels. */
#define T_HOST_PA	0x8800000000ULL
#define T_IPA0		0x80000000ULL
#define T_IPA0_SIZE	0x100000ULL
#define T_IPA1		0x90000000ULL
#define T_IPA1_SIZE	0x10000ULL
#define T_GP		0
#define T_HS		1
#define T_HP		2
#define T_GS		3
#define T_AS		4
#define T_VCPU		5
#define T_PARTIAL	BIT(0)
#define T_PRIVATE	BIT(1)
#define T_VMMIO		BIT(2)
#define T_TO_SIBLING	2
#define T_TO_PROT	3
#define T_FROM_PROT	4
/* Stage-2 normal write-back memory, RWX for the guest. */
#define T_ATTRS		(0x7 | 0x7 << 4 | 0x3f << 16)

/**
 * struct t_dp_vm - A READY VM with demand paging
 * @vm: the VM
 * @caps: its memory extents by label, then its address space, then vCPU 0
 */
struct t_dp_vm {
	struct t_vm vm;
	u64 caps[6];
};

static u32 t_set_dp(struct kunit *test, struct gunyah_sim_rm_test *t,
		    u16 vmid, const u64 (*ranges)[2], unsigned int n)
{
	u8 *req = kunit_kzalloc(test, 8 + 16 * n, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, req);
	put_unaligned_le16(vmid, req);
	put_unaligned_le32(n, req + 4);
	for (i = 0; i < n; i++) {
		put_unaligned_le64(ranges[i][0], req + 8 + 16 * i);
		put_unaligned_le64(ranges[i][1], req + 16 + 16 * i);
	}
	return t_call(test, t, T_VM_DEMAND_PG, req, 8 + 16 * n, NULL);
}

/*
 * Bring a VM to READY on the full profile, with demand paging of two IPA
 * ranges if @dp, and collect its capabilities; returns the resources.
 */
static unsigned int t_dp_vm_ready(struct kunit *test,
				  struct gunyah_sim_rm_test *t,
				  struct t_dp_vm *v, bool dp)
{
	static const u64 ranges[][2] = {
		{ T_IPA0, T_IPA0_SIZE }, { T_IPA1, T_IPA1_SIZE },
	};
	const struct t_vm_dt dt = { .dt.cpus = 1 };
	unsigned int i, n;
	u8 req[4] = {};
	const u8 *e;
	size_t len;

	memset(v->caps, 0xff, sizeof(v->caps));
	gunyah_sim_rm_set_profile(GUNYAH_SIM_RM_FULL);
	t_vm_load(test, t, &dt, &v->vm);
	KUNIT_ASSERT_EQ(test, t_vm_configure(test, t, &v->vm), 0);
	if (dp)
		KUNIT_ASSERT_EQ(test, t_set_dp(test, t, v->vm.vmid, ranges,
					       ARRAY_SIZE(ranges)), 0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_INIT, v->vm.vmid), 0);

	put_unaligned_le16(v->vm.vmid, req);
	KUNIT_ASSERT_EQ(test, t_call(test, t, T_VM_HYP_RES, req, 4, &len), 0);
	n = get_unaligned_le32(t->buf + 4);
	KUNIT_ASSERT_EQ(test, len, 4 + 44 * n);
	for (i = 0; i < n; i++) {
		e = t_res(t, i);
		if (e[0] == 9) {
			KUNIT_ASSERT_LT(test, get_unaligned_le32(e + 8), 4);
			v->caps[get_unaligned_le32(e + 8)] =
				get_unaligned_le64(e + 12);
		} else if (e[0] == 10) {
			KUNIT_EXPECT_EQ(test, get_unaligned_le32(e + 8), 0);
			v->caps[T_AS] = get_unaligned_le64(e + 12);
		} else if (e[0] == 4) {
			v->caps[T_VCPU] = get_unaligned_le64(e + 12);
			continue;
		}
		KUNIT_EXPECT_EQ(test, get_unaligned_le32(e + 24), 0);
	}
	return n;
}

static enum gunyah_error t_donate(struct t_dp_vm *v, u32 options, int from,
				  int to, u64 pa, u64 size)
{
	return gunyah_hypercall_memextent_donate(options, v->caps[from],
						 v->caps[to], pa, size);
}

static enum gunyah_error t_map(struct t_dp_vm *v, bool map, int ext,
			       u32 flags, u64 ipa, u64 pa, u64 size)
{
	const struct gunyah_addrspace_map_args args = {
		.vbase = ipa, .attrs = T_ATTRS, .flags = flags, .offset = pa,
		.size = size,
	};

	if (map)
		return gunyah_hypercall_addrspace_map(v->caps[T_AS],
						      v->caps[ext], &args);
	return gunyah_hypercall_addrspace_unmap(v->caps[T_AS], v->caps[ext],
						&args);
}

static u64 t_donated_pages(void)
{
	struct gunyah_sim_rm_usage usage;

	gunyah_sim_rm_get_usage(&usage);
	return usage.donated_pages;
}

/* The address space and extents exist on the full profile with ranges. */
static void gunyah_sim_rm_dp_resources_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	struct gunyah_sim_rm_vm_info info;
	struct gunyah_addrspace_map_args args = {
		.vbase = T_IPA0, .attrs = T_ATTRS,
		.flags = T_PARTIAL | T_PRIVATE, .offset = T_HOST_PA,
		.size = SZ_4K,
	};
	struct t_dp_vm plain, dp, other;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, t_dp_vm_ready(test, t, &plain, false), 1);
	for (i = 0; i <= T_AS; i++)
		KUNIT_EXPECT_EQ(test, plain.caps[i], U64_MAX);

	KUNIT_EXPECT_EQ(test, t_dp_vm_ready(test, t, &dp, true), 6);
	for (i = 0; i <= T_AS; i++)
		KUNIT_EXPECT_NE(test, dp.caps[i], U64_MAX);
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_get_vm_info(dp.vm.vmid, &info), 0);
	KUNIT_EXPECT_EQ(test, info.resources, 6);
	/* The capabilities name extents and an address space. */
	KUNIT_EXPECT_EQ(test, t_donate(&dp, T_TO_PROT, T_HP, T_GP, T_HOST_PA,
				       SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_donate(&dp, T_FROM_PROT, T_GP, T_HP, T_HOST_PA,
				       SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_donate(&dp, T_TO_PROT, T_AS, T_GP, T_HOST_PA,
				       SZ_4K),
			GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE);

	/* Objects of another VM do not mix with them. */
	KUNIT_EXPECT_EQ(test, t_dp_vm_ready(test, t, &other, true), 6);
	KUNIT_EXPECT_EQ(test,
			gunyah_hypercall_memextent_donate(T_TO_PROT,
							  dp.caps[T_HP],
							  other.caps[T_GP],
							  T_HOST_PA, SZ_4K),
			GUNYAH_ERROR_ARG_INVAL);
	KUNIT_ASSERT_EQ(test, t_donate(&other, T_TO_PROT, T_HP, T_GP,
				       T_HOST_PA, SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_addrspace_map(dp.caps[T_AS],
							     other.caps[T_GP],
							     &args),
			GUNYAH_ERROR_ARG_INVAL);
	KUNIT_EXPECT_EQ(test, t_donate(&other, T_FROM_PROT, T_GP, T_HP,
				       T_HOST_PA, SZ_4K), GUNYAH_ERROR_OK);

	t_vm_teardown(test, t, &other.vm);
	t_vm_teardown(test, t, &plain.vm);
	t_vm_teardown(test, t, &dp.vm);
	/* Deallocation revokes them. */
	KUNIT_EXPECT_EQ(test, t_donate(&dp, T_TO_PROT, T_HP, T_GP, T_HOST_PA,
				       SZ_4K), GUNYAH_ERROR_CSPACE_CAP_NULL);
}

static const struct {
	const char *name;
	int len_delta;
	u32 count;
	u64 ranges[3][2];
	u32 rm_error;
} t_dp_ranges[] = {
	{ "one", 0, 1, { { 0x80000000, 0x1000 } }, 0 },
	{ "none", 0, 0, {}, 0 },
	{ "length short", 16, 2, { { 0x80000000, 0x1000 } }, 4 },
	{ "length long", -4, 1, { { 0x80000000, 0x1000 } }, 4 },
	{ "too many", 0, 33, {}, 6 },
	{ "empty", 0, 1, { { 0x80000000, 0 } }, 6 },
	{ "unaligned base", 0, 1, { { 0x80000800, 0x1000 } }, 6 },
	{ "unaligned size", 0, 1, { { 0x80000000, 0x1800 } }, 6 },
	{ "wraps", 0, 1, { { 0xfffffffffffff000ULL, 0x2000 } }, 6 },
	{ "overlap", 0, 2, { { 0x80000000, 0x2000 }, { 0x80001000, 0x1000 } },
	  6 },
	{ "inside", 0, 3, { { 0x90000000, 0x1000 }, { 0x80000000, 0x10000 },
			    { 0x80004000, 0x1000 } }, 6 },
	{ "adjacent", 0, 3, { { 0x80001000, 0x1000 }, { 0x80000000, 0x1000 },
			      { 0xfffffffffffff000ULL, 0x1000 } }, 0 },
};

/* VM_SET_DEMAND_PAGING's length and ranges; UNIMPLEMENTED when public. */
static void gunyah_sim_rm_dp_ranges_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	const struct t_vm_dt dt = { .dt.cpus = 1 };
	u8 *req = kunit_kzalloc(test, 8 + 16 * 33, GFP_KERNEL);
	unsigned int i, j;
	struct t_vm vm;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, req);
	t_vm_load(test, t, &dt, &vm);
	KUNIT_ASSERT_EQ(test, t_vm_configure(test, t, &vm), 0);
	put_unaligned_le16(vm.vmid, req);
	put_unaligned_le32(1, req + 4);
	put_unaligned_le64(0x80000000, req + 8);
	put_unaligned_le64(0x1000, req + 16);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_DEMAND_PG, req, 24, NULL),
			0xffffffff);

	gunyah_sim_rm_set_profile(GUNYAH_SIM_RM_FULL);
	for (i = 0; i < ARRAY_SIZE(t_dp_ranges); i++) {
		memset(req + 8, 0, 16 * 33);
		put_unaligned_le32(t_dp_ranges[i].count, req + 4);
		for (j = 0; j < ARRAY_SIZE(t_dp_ranges[i].ranges); j++) {
			put_unaligned_le64(t_dp_ranges[i].ranges[j][0],
					   req + 8 + 16 * j);
			put_unaligned_le64(t_dp_ranges[i].ranges[j][1],
					   req + 16 + 16 * j);
		}
		len = (int)(8 + 16 * t_dp_ranges[i].count) -
		      t_dp_ranges[i].len_delta;
		KUNIT_EXPECT_EQ_MSG(test, t_call(test, t, T_VM_DEMAND_PG, req,
						 len, NULL),
				    t_dp_ranges[i].rm_error, "%s",
				    t_dp_ranges[i].name);
	}
	t_vm_teardown(test, t, &vm);
}

/* Lent and shared pages into the guest, mapped, unmapped and back. */
static void gunyah_sim_rm_dp_round_trip_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	struct gunyah_sim_rm_usage usage;
	const u64 shared = T_HOST_PA + 0x10000;
	struct t_dp_vm v;
	u64 pa;

	t_dp_vm_ready(test, t, &v, true);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_START, v.vm.vmid), 0);

	/* Lent: three pages, host-private to guest-private, NOSYNC. */
	KUNIT_ASSERT_EQ(test, t_donate(&v, T_TO_PROT | BIT(31), T_HP, T_GP,
				       T_HOST_PA, 3 * SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_donated_pages(), 3);
	KUNIT_ASSERT_EQ(test, t_map(&v, true, T_GP, T_PARTIAL | T_PRIVATE,
				    T_IPA0, T_HOST_PA, 2 * SZ_4K),
			GUNYAH_ERROR_OK);
	/* One page at the end of the first range, one in the second. */
	KUNIT_ASSERT_EQ(test, t_map(&v, true, T_GP, T_PARTIAL | T_PRIVATE,
				    T_IPA1 + T_IPA1_SIZE - SZ_4K,
				    T_HOST_PA + 2 * SZ_4K, SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_ipa_lookup(v.vm.vmid,
						       T_IPA0 + 0x1234, &pa),
			0);
	KUNIT_EXPECT_EQ(test, pa, T_HOST_PA + 0x1234);
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_ipa_lookup(v.vm.vmid,
						       T_IPA1 + 0xf008, &pa),
			0);
	KUNIT_EXPECT_EQ(test, pa, T_HOST_PA + 0x2008);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_ipa_lookup(v.vm.vmid,
						       T_IPA0 + 0x2000, &pa),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_ipa_lookup(0x7777, T_IPA0, &pa),
			-ENOENT);

	/* Shared: one page between the shared extents. */
	KUNIT_ASSERT_EQ(test, t_donate(&v, T_TO_SIBLING, T_HS, T_GS, shared,
				       SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_ASSERT_EQ(test, t_map(&v, true, T_GS, T_PARTIAL | T_VMMIO,
				    T_IPA0 + 0x8000, shared, SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_ipa_lookup(v.vm.vmid,
						       T_IPA0 + 0x8000, &pa),
			0);
	KUNIT_EXPECT_EQ(test, pa, shared);
	gunyah_sim_rm_get_usage(&usage);
	KUNIT_EXPECT_EQ(test, usage.donated_pages, 4);
	KUNIT_EXPECT_EQ(test, usage.lent_pages, 4);
	KUNIT_EXPECT_EQ(test, usage.parcels, 1);

	/* Unmapped a page at a time, then given back. */
	KUNIT_EXPECT_EQ(test, t_map(&v, false, T_GP,
				    T_PARTIAL | T_PRIVATE | BIT(31),
				    T_IPA0 + SZ_4K, T_HOST_PA + SZ_4K, SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_map(&v, false, T_GP, T_PARTIAL | T_PRIVATE,
				    T_IPA0, T_HOST_PA, SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_ipa_lookup(v.vm.vmid, T_IPA0, &pa),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, t_donate(&v, T_FROM_PROT, T_GP, T_HP, T_HOST_PA,
				       2 * SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_donated_pages(), 2);
	KUNIT_EXPECT_EQ(test, t_map(&v, false, T_GS, T_PARTIAL | T_VMMIO,
				    T_IPA0 + 0x8000, shared, SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_donate(&v, T_TO_SIBLING, T_GS, T_HS, shared,
				       SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_map(&v, false, T_GP, T_PARTIAL | T_PRIVATE,
				    T_IPA1 + T_IPA1_SIZE - SZ_4K,
				    T_HOST_PA + 2 * SZ_4K, SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_donate(&v, T_FROM_PROT, T_GP, T_HP,
				       T_HOST_PA + 2 * SZ_4K, SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_donated_pages(), 0);
	/* The host's again: it may lend them in a parcel. */
	t_vm_teardown(test, t, &v.vm);
}

/* Pages of the refusal cases. */
enum t_dp_page {
	T_P_MAPPED,	/* donated to guest-private, mapped at T_IPA0 */
	T_P_DONATED,	/* donated to guest-private, not mapped */
	T_P_LENT,	/* in the VM's image parcel */
	T_P_FREE,	/* the host's */
};

enum t_dp_op { T_OP_DONATE, T_OP_MAP, T_OP_UNMAP };

/**
 * struct t_dp_refusal - A call the simulated hypervisor refuses
 * @name: what it tries
 * @op: donate, map or unmap
 * @public: on the public profile
 * @options: donate options, or map flags
 * @from: donate: the extent giving; map: the address space
 * @to: the extent taking, or mapped
 * @page: the host page
 * @delta: added to its address
 * @ipa: map: guest IPA
 * @size: length
 * @error: the error
 */
struct t_dp_refusal {
	const char *name;
	enum t_dp_op op;
	bool public;
	u32 options;
	int from;
	int to;
	enum t_dp_page page;
	u64 delta;
	u64 ipa;
	u64 size;
	enum gunyah_error error;
};

static const struct t_dp_refusal t_dp_refusals[] = {
	{ "donate type 0", T_OP_DONATE, false, 0, T_HP, T_GP, T_P_FREE, 0, 0,
	  SZ_4K, GUNYAH_ERROR_ARG_INVAL },
	{ "donate type 5", T_OP_DONATE, false, 5, T_HP, T_GP, T_P_FREE, 0, 0,
	  SZ_4K, GUNYAH_ERROR_ARG_INVAL },
	{ "donate reserved option", T_OP_DONATE, false, T_TO_PROT | BIT(8),
	  T_HP, T_GP, T_P_FREE, 0, 0, SZ_4K, GUNYAH_ERROR_ARG_INVAL },
	{ "to-protected backwards", T_OP_DONATE, false, T_TO_PROT, T_GP, T_HP,
	  T_P_DONATED, 0, 0, SZ_4K, GUNYAH_ERROR_ARG_INVAL },
	{ "to-protected shared", T_OP_DONATE, false, T_TO_PROT, T_HS, T_GS,
	  T_P_FREE, 0, 0, SZ_4K, GUNYAH_ERROR_ARG_INVAL },
	{ "sibling private", T_OP_DONATE, false, T_TO_SIBLING, T_HP, T_GP,
	  T_P_FREE, 0, 0, SZ_4K, GUNYAH_ERROR_ARG_INVAL },
	{ "from-protected to guest", T_OP_DONATE, false, T_FROM_PROT, T_HP,
	  T_GP, T_P_FREE, 0, 0, SZ_4K, GUNYAH_ERROR_ARG_INVAL },
	{ "donate from a vCPU", T_OP_DONATE, false, T_TO_PROT, T_VCPU, T_GP,
	  T_P_FREE, 0, 0, SZ_4K, GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE },
	{ "donate unaligned", T_OP_DONATE, false, T_TO_PROT, T_HP, T_GP,
	  T_P_FREE, 0x800, 0, SZ_4K, GUNYAH_ERROR_ARG_ALIGN },
	{ "donate unaligned size", T_OP_DONATE, false, T_TO_PROT, T_HP, T_GP,
	  T_P_FREE, 0, 0, 0x800, GUNYAH_ERROR_ARG_ALIGN },
	{ "donate nothing", T_OP_DONATE, false, T_TO_PROT, T_HP, T_GP,
	  T_P_FREE, 0, 0, 0, GUNYAH_ERROR_ARG_SIZE },
	{ "donate a lent page", T_OP_DONATE, false, T_TO_PROT, T_HP, T_GP,
	  T_P_LENT, 0, 0, SZ_4K, GUNYAH_ERROR_MEMDB_NOT_OWNER },
	{ "donate again", T_OP_DONATE, false, T_TO_PROT, T_HP, T_GP,
	  T_P_DONATED, 0, 0, SZ_4K, GUNYAH_ERROR_MEMDB_NOT_OWNER },
	{ "donate again shared", T_OP_DONATE, false, T_TO_SIBLING, T_HS, T_GS,
	  T_P_FREE, -SZ_4K, 0, 2 * SZ_4K, GUNYAH_ERROR_MEMDB_NOT_OWNER },
	{ "give back not donated", T_OP_DONATE, false, T_FROM_PROT, T_GP, T_HP,
	  T_P_FREE, 0, 0, SZ_4K, GUNYAH_ERROR_MEMDB_NOT_OWNER },
	{ "give back from the other", T_OP_DONATE, false, T_TO_SIBLING, T_GS,
	  T_HS, T_P_DONATED, 0, 0, SZ_4K, GUNYAH_ERROR_MEMDB_NOT_OWNER },
	{ "give back mapped", T_OP_DONATE, false, T_FROM_PROT, T_GP, T_HP,
	  T_P_MAPPED, 0, 0, SZ_4K, GUNYAH_ERROR_BUSY },
	{ "public to-protected", T_OP_DONATE, true, T_TO_PROT, T_HP, T_GP,
	  T_P_FREE, 0, 0, SZ_4K, GUNYAH_ERROR_ARG_INVAL },
	{ "public from-protected", T_OP_DONATE, true, T_FROM_PROT, T_GP, T_HP,
	  T_P_DONATED, 0, 0, SZ_4K, GUNYAH_ERROR_ARG_INVAL },
	{ "map outside", T_OP_MAP, false, T_PARTIAL | T_PRIVATE, T_AS, T_GP,
	  T_P_DONATED, 0, T_IPA0 - SZ_4K, SZ_4K, GUNYAH_ERROR_ADDR_INVAL },
	{ "map past a range", T_OP_MAP, false, T_PARTIAL | T_PRIVATE, T_AS,
	  T_GP, T_P_DONATED, 0, T_IPA1 + T_IPA1_SIZE - SZ_4K, 2 * SZ_4K,
	  GUNYAH_ERROR_ADDR_INVAL },
	{ "map not donated", T_OP_MAP, false, T_PARTIAL | T_PRIVATE, T_AS,
	  T_GP, T_P_FREE, 0, T_IPA0 + 0x10000, SZ_4K,
	  GUNYAH_ERROR_ARG_INVAL },
	{ "map a lent page", T_OP_MAP, false, T_PARTIAL | T_PRIVATE, T_AS,
	  T_GP, T_P_LENT, 0, T_IPA0 + 0x10000, SZ_4K,
	  GUNYAH_ERROR_ARG_INVAL },
	{ "map from the other", T_OP_MAP, false, T_PARTIAL | T_VMMIO, T_AS,
	  T_GS, T_P_DONATED, 0, T_IPA0 + 0x10000, SZ_4K,
	  GUNYAH_ERROR_ARG_INVAL },
	{ "map twice at an IPA", T_OP_MAP, false, T_PARTIAL | T_PRIVATE, T_AS,
	  T_GP, T_P_DONATED, 0, T_IPA0, SZ_4K,
	  GUNYAH_ERROR_EXISTING_MAPPING },
	{ "map a page twice", T_OP_MAP, false, T_PARTIAL | T_PRIVATE, T_AS,
	  T_GP, T_P_MAPPED, 0, T_IPA0 + 0x10000, SZ_4K,
	  GUNYAH_ERROR_EXISTING_MAPPING },
	{ "map private as VMMIO", T_OP_MAP, false, T_PARTIAL | T_VMMIO, T_AS,
	  T_GP, T_P_DONATED, 0, T_IPA0 + 0x10000, SZ_4K,
	  GUNYAH_ERROR_ARG_INVAL },
	{ "map without PARTIAL", T_OP_MAP, false, T_PRIVATE, T_AS, T_GP,
	  T_P_DONATED, 0, T_IPA0 + 0x10000, SZ_4K, GUNYAH_ERROR_ARG_INVAL },
	{ "map a host extent", T_OP_MAP, false, T_PARTIAL | T_PRIVATE, T_AS,
	  T_HP, T_P_FREE, 0, T_IPA0 + 0x10000, SZ_4K,
	  GUNYAH_ERROR_ARG_INVAL },
	{ "map reserved flag", T_OP_MAP, false, T_PARTIAL | T_PRIVATE | BIT(5),
	  T_AS, T_GP, T_P_DONATED, 0, T_IPA0 + 0x10000, SZ_4K,
	  GUNYAH_ERROR_ARG_INVAL },
	{ "map unaligned", T_OP_MAP, false, T_PARTIAL | T_PRIVATE, T_AS, T_GP,
	  T_P_DONATED, 0, T_IPA0 + 0x10800, SZ_4K, GUNYAH_ERROR_ARG_ALIGN },
	{ "map in a vCPU", T_OP_MAP, false, T_PARTIAL | T_PRIVATE, T_VCPU,
	  T_GP, T_P_DONATED, 0, T_IPA0 + 0x10000, SZ_4K,
	  GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE },
	{ "public private map", T_OP_MAP, true, T_PARTIAL | T_PRIVATE, T_AS,
	  T_GP, T_P_DONATED, 0, T_IPA0 + 0x10000, SZ_4K,
	  GUNYAH_ERROR_ARG_INVAL },
	{ "unmap not mapped", T_OP_UNMAP, false, T_PARTIAL | T_PRIVATE, T_AS,
	  T_GP, T_P_DONATED, 0, T_IPA0 + 0x10000, SZ_4K,
	  GUNYAH_ERROR_ADDR_INVAL },
	{ "unmap another page", T_OP_UNMAP, false, T_PARTIAL | T_PRIVATE, T_AS,
	  T_GP, T_P_DONATED, 0, T_IPA0, SZ_4K, GUNYAH_ERROR_ARG_INVAL },
	{ "unmap too much", T_OP_UNMAP, false, T_PARTIAL | T_PRIVATE, T_AS,
	  T_GP, T_P_MAPPED, 0, T_IPA0, 2 * SZ_4K, GUNYAH_ERROR_ADDR_INVAL },
};

/* Each refusal, and none changes what is donated and mapped. */
static void gunyah_sim_rm_dp_refusals_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	struct gunyah_addrspace_map_args args;
	const struct t_dp_refusal *c;
	enum gunyah_error err;
	u64 pages[4], pa;
	struct t_dp_vm v;
	unsigned int i;
	u32 handle;

	t_dp_vm_ready(test, t, &v, true);
	pages[T_P_MAPPED] = T_HOST_PA;
	pages[T_P_DONATED] = T_HOST_PA + SZ_4K;
	pages[T_P_LENT] = page_to_phys(v.vm.pages);
	pages[T_P_FREE] = T_HOST_PA + 2 * SZ_4K;
	KUNIT_ASSERT_EQ(test, t_donate(&v, T_TO_PROT, T_HP, T_GP, T_HOST_PA,
				       2 * SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_ASSERT_EQ(test, t_map(&v, true, T_GP, T_PARTIAL | T_PRIVATE,
				    T_IPA0, T_HOST_PA, SZ_4K),
			GUNYAH_ERROR_OK);

	for (i = 0; i < ARRAY_SIZE(t_dp_refusals); i++) {
		c = &t_dp_refusals[i];
		gunyah_sim_rm_set_profile(c->public ? GUNYAH_SIM_RM_PUBLIC :
						      GUNYAH_SIM_RM_FULL);
		pa = pages[c->page] + c->delta;
		args = (struct gunyah_addrspace_map_args) {
			.vbase = c->ipa, .attrs = T_ATTRS, .flags = c->options,
			.offset = pa, .size = c->size,
		};
		if (c->op == T_OP_DONATE)
			err = t_donate(&v, c->options, c->from, c->to, pa,
				       c->size);
		else if (c->op == T_OP_MAP)
			err = gunyah_hypercall_addrspace_map(v.caps[c->from],
							     v.caps[c->to],
							     &args);
		else
			err = gunyah_hypercall_addrspace_unmap(v.caps[c->from],
							       v.caps[c->to],
							       &args);
		KUNIT_EXPECT_EQ_MSG(test, err, c->error, "%s", c->name);
	}
	gunyah_sim_rm_set_profile(GUNYAH_SIM_RM_FULL);

	/* Reserved attribute bits. */
	args = (struct gunyah_addrspace_map_args) {
		.vbase = T_IPA0 + 0x10000, .attrs = T_ATTRS | BIT(3),
		.flags = T_PARTIAL | T_PRIVATE, .offset = pages[T_P_DONATED],
		.size = SZ_4K,
	};
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_addrspace_map(v.caps[T_AS],
							     v.caps[T_GP],
							     &args),
			GUNYAH_ERROR_ARG_INVAL);

	/* A donated page cannot be lent in a parcel either. */
	KUNIT_EXPECT_EQ(test, t_mem_range(test, t, T_MEM_LEND, &v.vm.vmid, 1,
					  pages[T_P_DONATED], SZ_4K, &handle),
			T_MEM_INVALID);

	/* Nothing changed. */
	KUNIT_EXPECT_EQ(test, t_donated_pages(), 2);
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_ipa_lookup(v.vm.vmid, T_IPA0, &pa),
			0);
	KUNIT_EXPECT_EQ(test, pa, T_HOST_PA);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_ipa_lookup(v.vm.vmid,
						       T_IPA0 + 0x10000, &pa),
			-ENOENT);

	KUNIT_EXPECT_EQ(test, t_map(&v, false, T_GP, T_PARTIAL | T_PRIVATE,
				    T_IPA0, T_HOST_PA, SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_donate(&v, T_FROM_PROT, T_GP, T_HP, T_HOST_PA,
				       2 * SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_donated_pages(), 0);
	t_vm_teardown(test, t, &v.vm);
}

/*
 * The host's teardown: a reset unmaps everything but leaves the pages in
 * the guest's extents, which the host unmaps and takes back before it
 * deallocates the VM. Pages it leaves there are reported.
 */
static void gunyah_sim_rm_dp_reset_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	const u64 shared = T_HOST_PA + 0x10000;
	struct t_dp_vm v;
	u64 pa;

	t_dp_vm_ready(test, t, &v, true);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_START, v.vm.vmid), 0);
	KUNIT_ASSERT_EQ(test, t_donate(&v, T_TO_PROT, T_HP, T_GP, T_HOST_PA,
				       SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_ASSERT_EQ(test, t_map(&v, true, T_GP, T_PARTIAL | T_PRIVATE,
				    T_IPA0, T_HOST_PA, SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_ASSERT_EQ(test, t_donate(&v, T_TO_SIBLING, T_HS, T_GS, shared,
				       SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_ASSERT_EQ(test, t_map(&v, true, T_GS, T_PARTIAL | T_VMMIO,
				    T_IPA1, shared, SZ_4K), GUNYAH_ERROR_OK);

	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_STOP, v.vm.vmid), 0);
	/* Stopped is not reset: still mapped. */
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_ipa_lookup(v.vm.vmid, T_IPA1, &pa),
			0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_RESET, v.vm.vmid), 0);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_ipa_lookup(v.vm.vmid, T_IPA0, &pa),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_ipa_lookup(v.vm.vmid, T_IPA1, &pa),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, t_donated_pages(), 2);
	/* The ranges are gone with the guest: nothing can be mapped. */
	KUNIT_EXPECT_EQ(test, t_map(&v, true, T_GP, T_PARTIAL | T_PRIVATE,
				    T_IPA0, T_HOST_PA, SZ_4K),
			GUNYAH_ERROR_ADDR_INVAL);

	/* The host's unmaps find nothing to do; its pages come back. */
	KUNIT_EXPECT_EQ(test, t_map(&v, false, T_GP, T_PARTIAL | T_PRIVATE,
				    T_IPA0, T_HOST_PA, SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_donate(&v, T_FROM_PROT, T_GP, T_HP, T_HOST_PA,
				       SZ_4K), GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_map(&v, false, T_GS, T_PARTIAL | T_VMMIO,
				    T_IPA1, shared, SZ_4K), GUNYAH_ERROR_OK);
	/* One page is left in the guest's shared extent. */
	KUNIT_EXPECT_EQ(test, t_donated_pages(), 1);
	t_vm_teardown(test, t, &v.vm);
	KUNIT_EXPECT_EQ(test, t_donate(&v, T_TO_SIBLING, T_GS, T_HS, shared,
				       SZ_4K), GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, t_donated_pages(), 1);
	/* Out of the host's reach until the RM is reset, which reports it. */
	gunyah_sim_rm_reset();
	KUNIT_EXPECT_EQ(test, t_donated_pages(), 0);
}

/* Simulated guests: a program at the start of the image parcel. */
#define T_BASE		0x80000000ULL
#define T_DATA		(T_BASE + 0x2000)	/* parcel pages 2 and 3 */
#define T_MMIO		0x9000000ULL
#define T_DP		0x100000000ULL		/* demand-paged, 64 KiB */
#define T_DP_SIZE	0x10000ULL
#define T_NOWHERE	0x200000000ULL
#define T_BELL		5
#define T_EXIT_OFF	1
#define T_EXIT_RESET	2
#define T_EXIT_RESET2	3
#define T_EXIT_SW_ERROR	5
#define T_ST_READY	GUNYAH_VCPU_STATE_READY
#define T_ST_WAKEUP	GUNYAH_VCPU_STATE_EXPECTS_WAKEUP
#define T_ST_OFF	GUNYAH_VCPU_STATE_POWERED_OFF
#define T_ST_BLOCKED	GUNYAH_VCPU_STATE_BLOCKED
#define T_ST_READ	GUNYAH_VCPU_ADDRSPACE_VMMIO_READ
#define T_ST_WRITE	GUNYAH_VCPU_ADDRSPACE_VMMIO_WRITE
#define T_ST_FAULT	GUNYAH_VCPU_STATE_FAULT
#define T_ST_PF		GUNYAH_VCPU_ADDRSPACE_PAGE_FAULT
#define T_ST_RESET	GUNYAH_VCPU_STATE_PSCI_SYSTEM_RESET
#define T_EMULATE	GUNYAH_ADDRSPACE_VMMIO_ACTION_EMULATE
#define T_RETRY		GUNYAH_ADDRSPACE_VMMIO_ACTION_RETRY
#define T_FAULT		GUNYAH_ADDRSPACE_VMMIO_ACTION_FAULT
#define T_ACC		GUNYAH_SIM_GUEST_ACC

#define T_I(o, a, ad, d) \
	{ .op = GUNYAH_SIM_GUEST_##o, .arg = (a), .addr = (ad), .data = (d) }

/**
 * struct t_guest_cfg - How a test guest is set up
 * @cpus: its vCPUs, at most 4
 * @full: on the full profile, with demand paging of [T_DP, + T_DP_SIZE)
 * @static_vcpus: not proxy-scheduled
 * @magic: program header magic, 0 for the right one
 * @version: program header version, 0 for the right one
 * @reserved: program header reserved word
 */
struct t_guest_cfg {
	unsigned int cpus;
	bool full;
	bool static_vcpus;
	u32 magic;
	u32 version;
	u32 reserved;
};

/**
 * struct t_guest - A READY or running VM with a program
 * @dp: the VM, and its demand-paging capabilities on the full profile
 * @vcpu: capabilities to its vCPUs
 * @bell: the doorbell the host rings (label 5)
 * @rx_bell: the doorbell the host receives on (label 6)
 */
struct t_guest {
	struct t_dp_vm dp;
	u64 vcpu[4];
	u64 bell;
	u64 rx_bell;
};

static void t_prog(u8 *dst, const struct t_guest_cfg *cfg,
		   const struct gunyah_sim_guest_insn *prog, unsigned int n)
{
	unsigned int i;

	put_unaligned_le32(cfg->magic ?: GUNYAH_SIM_GUEST_MAGIC, dst);
	put_unaligned_le32(cfg->version ?: GUNYAH_SIM_GUEST_VERSION, dst + 4);
	put_unaligned_le32(n, dst + 8);
	put_unaligned_le32(cfg->reserved, dst + 12);
	for (i = 0; i < n; i++) {
		u8 *p = dst + 16 + 24 * i;

		put_unaligned_le32(prog[i].op, p);
		put_unaligned_le32(prog[i].arg, p + 4);
		put_unaligned_le64(prog[i].addr, p + 8);
		put_unaligned_le64(prog[i].data, p + 16);
	}
}

/* The VM's capabilities, from VM_GET_HYP_RESOURCES. */
static void t_guest_caps(struct kunit *test, struct gunyah_sim_rm_test *t,
			 struct t_guest *g)
{
	unsigned int i, n, label;
	u8 req[4] = {};
	const u8 *e;
	size_t len;

	memset(g->vcpu, 0xff, sizeof(g->vcpu));
	memset(g->dp.caps, 0xff, sizeof(g->dp.caps));
	put_unaligned_le16(g->dp.vm.vmid, req);
	KUNIT_ASSERT_EQ(test, t_call(test, t, T_VM_HYP_RES, req, 4, &len), 0);
	n = get_unaligned_le32(t->buf + 4);
	KUNIT_ASSERT_EQ(test, len, 4 + 44 * n);
	for (i = 0; i < n; i++) {
		e = t_res(t, i);
		label = get_unaligned_le32(e + 8);
		if (e[0] == 4 && label < ARRAY_SIZE(g->vcpu))
			g->vcpu[label] = get_unaligned_le64(e + 12);
		else if (e[0] == 0 && label == T_BELL)
			g->bell = get_unaligned_le64(e + 12);
		else if (e[0] == 1 && label == T_BELL + 1)
			g->rx_bell = get_unaligned_le64(e + 12);
		else if (e[0] == 9 && label < 4)
			g->dp.caps[label] = get_unaligned_le64(e + 12);
		else if (e[0] == 10)
			g->dp.caps[T_AS] = get_unaligned_le64(e + 12);
	}
}

/* Bring a VM with a program to READY. */
static void t_guest_ready(struct kunit *test, struct gunyah_sim_rm_test *t,
			  struct t_guest *g, const struct t_guest_cfg *cfg,
			  const struct gunyah_sim_guest_insn *prog,
			  unsigned int n)
{
	static const u64 ranges[][2] = { { T_DP, T_DP_SIZE } };
	const struct t_vm_dt dt = {
		.dt = { .cpus = cfg->cpus, .proxy = !cfg->static_vcpus,
			.base = T_BASE, .vdevs = true },
	};

	gunyah_sim_rm_set_profile(cfg->full ? GUNYAH_SIM_RM_FULL :
				  GUNYAH_SIM_RM_PUBLIC);
	t_vm_load(test, t, &dt, &g->dp.vm);
	t_prog(page_address(g->dp.vm.pages), cfg, prog, n);
	KUNIT_ASSERT_EQ(test, t_vm_configure(test, t, &g->dp.vm), 0);
	if (cfg->full)
		KUNIT_ASSERT_EQ(test, t_set_dp(test, t, g->dp.vm.vmid, ranges,
					       ARRAY_SIZE(ranges)), 0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_INIT, g->dp.vm.vmid), 0);
	t_guest_caps(test, t, g);
}

static void t_guest_start(struct kunit *test, struct gunyah_sim_rm_test *t,
			  struct t_guest *g, const struct t_guest_cfg *cfg,
			  const struct gunyah_sim_guest_insn *prog,
			  unsigned int n)
{
	t_guest_ready(test, t, g, cfg, prog, n);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_START, g->dp.vm.vmid), 0);
}

static enum gunyah_error t_run(u64 cap, u64 r0, u64 r1,
			       struct gunyah_hypercall_vcpu_run_resp *resp)
{
	const unsigned long resume[3] = { r0, r1, 0 };

	memset(resp, 0x5a, sizeof(*resp));
	return gunyah_hypercall_vcpu_run(cap, resume, resp);
}

/* One vcpu_run, and the state and data it must return. */
static void t_expect_run(struct kunit *test, const char *what, u64 cap,
			 u64 r0, u64 r1, u64 state, u64 d0, u64 d1, u64 d2)
{
	struct gunyah_hypercall_vcpu_run_resp r;
	enum gunyah_error err = t_run(cap, r0, r1, &r);

	KUNIT_EXPECT_EQ_MSG(test, err, GUNYAH_ERROR_OK, "%s", what);
	if (err)
		return;
	KUNIT_EXPECT_EQ_MSG(test, r.sized_state, state, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, r.state_data[0], d0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, r.state_data[1], d1, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, r.state_data[2], d2, "%s", what);
}

static struct gunyah_sim_vcpu_info t_vcpu(struct kunit *test,
					  struct t_guest *g, u32 index)
{
	struct gunyah_sim_vcpu_info info = {};

	KUNIT_EXPECT_EQ(test, gunyah_sim_get_vcpu_info(g->dp.vm.vmid, index,
						       &info), 0);
	return info;
}

/* The guest exited: VM_STATUS EXITED, then VM_EXITED with its reason. */
static void t_expect_exited(struct kunit *test, struct gunyah_sim_rm_test *t,
			    struct t_guest *g, u16 type, const u32 *reason,
			    u32 size)
{
	unsigned int i;

	t_status(test, t, g->dp.vm.vmid, T_EXITED);
	t_notif(test, t, T_VM_EXITED);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->buf), g->dp.vm.vmid);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->buf + 2), type);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(t->buf + 4), size);
	for (i = 0; i < size / 4; i++)
		KUNIT_EXPECT_EQ(test, get_unaligned_le32(t->buf + 8 + 4 * i),
				reason[i]);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_vm_state(g->dp.vm.vmid), T_EXITED);
}

static const u32 t_sw_error[] = { 1 << 16 };

/* A crash: FAULT, then POWERED_OFF for good; SOFTWARE_ERROR exit. */
static void t_expect_crash(struct kunit *test, struct gunyah_sim_rm_test *t,
			   struct t_guest *g, const char *what, u64 r0, u64 r1)
{
	t_expect_run(test, what, g->vcpu[0], r0, r1, T_ST_FAULT, 0, 0, 0);
	t_expect_run(test, what, g->vcpu[0], 0, 0, T_ST_OFF, 1, 0, 0);
	t_expect_exited(test, t, g, T_EXIT_SW_ERROR, t_sw_error,
			sizeof(t_sw_error));
}

/* Memory ops, the loop counter, jumps, YIELD, BLOCK, the time slice. */
static void gunyah_sim_guest_ops_test(struct kunit *test)
{
	static const struct gunyah_sim_guest_insn prog[] = {
		T_I(SET_COUNTER, 0, 0, 3),
		T_I(STORE, 8, T_DATA, 0x1122334455667788),
		T_I(LOAD, 4, T_DATA, 0),
		T_I(STORE, 2 | T_ACC, T_DATA + 8, 0),
		T_I(LOOP, 1, 0, 0),
		T_I(YIELD, 0, 0, 0),
		T_I(BLOCK, 0, 0, 0),
		T_I(NOP, 0, 0, 0),
		T_I(JUMP, 10, 0, 0),
		T_I(CRASH, 0, 0, 0),
		T_I(STORE, 1, T_DATA + 16, 0x1ff),
		/* Across the page boundary of the parcel's pages 2 and 3. */
		T_I(STORE, 8, T_DATA + 0xffc, 0x0807060504030201),
		T_I(LOAD, 1, T_DATA + 16, 0),
		T_I(YIELD, 0, 0, 0),
		T_I(LOAD, 8, T_DATA + 0xffc, 0),
		T_I(JUMP, 15, 0, 0),
	};
	const struct t_guest_cfg cfg = { .cpus = 1 };
	struct gunyah_sim_rm_test *t = test->priv;
	struct gunyah_sim_vcpu_info info;
	struct t_guest g;
	u8 *data;

	t_guest_ready(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
	data = page_address(g.dp.vm.pages) + 0x2000;
	/* Not started: off, not exited. */
	t_expect_run(test, "before start", g.vcpu[0], 0, 0, T_ST_OFF, 0, 0, 0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_START, g.dp.vm.vmid), 0);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).wakeups, 1);

	t_expect_run(test, "yield", g.vcpu[0], 0, 0, T_ST_READY, 0, 0, 0);
	info = t_vcpu(test, &g, 0);
	KUNIT_EXPECT_EQ(test, info.pc, 6);
	KUNIT_EXPECT_EQ(test, info.counter, 0);
	KUNIT_EXPECT_EQ(test, info.acc, 0x55667788);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(data), 0x1122334455667788);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(data + 8), 0x7788);
	KUNIT_EXPECT_EQ(test, data[10], 0);

	t_expect_run(test, "block", g.vcpu[0], 0, 0, T_ST_BLOCKED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).pc, 7);
	t_expect_run(test, "yield 2", g.vcpu[0], 0, 0, T_ST_READY, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).acc, 0xff);
	KUNIT_EXPECT_EQ(test, data[16], 0xff);
	KUNIT_EXPECT_EQ(test, data[17], 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(data + 0xffc), 0x04030201);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(data + 0x1000), 0x08070605);

	/* An endless loop ends its time slice: READY, 64 instructions. */
	t_expect_run(test, "slice", g.vcpu[0], 0, 0, T_ST_READY, 0, 0, 0);
	info = t_vcpu(test, &g, 0);
	KUNIT_EXPECT_EQ(test, info.pc, 15);
	KUNIT_EXPECT_EQ(test, info.acc, 0x0807060504030201);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_vm_state(g.dp.vm.vmid), T_RUNNING);
	t_vm_teardown(test, t, &g.dp.vm);
}

/* VMMIO reads and writes of each width, on both profiles. */
static void gunyah_sim_guest_vmmio_test(struct kunit *test)
{
	static const struct gunyah_sim_guest_insn prog[] = {
		T_I(LOAD, 1, T_MMIO, 0),
		T_I(STORE, 8 | T_ACC, T_MMIO + 8, 0),
		T_I(LOAD, 2, T_MMIO + 2, 0),
		T_I(LOAD, 4, T_MMIO + 4, 0),
		T_I(LOAD, 8, T_MMIO + 8, 0),
		T_I(STORE, 1, T_MMIO, 0x1234),
		T_I(STORE, 2, T_MMIO, 0x12345678),
		T_I(STORE, 4, 0x3ffffffc, 0x123456789),
		T_I(YIELD, 0, 0, 0),
	};
	struct gunyah_sim_rm_test *t = test->priv;
	struct t_guest_cfg cfg = { .cpus = 1 };
	struct t_guest g;
	u64 c;

	for (cfg.full = false; ; cfg.full = true) {
		t_guest_start(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
		c = g.vcpu[0];
		t_expect_run(test, "load 1", c, 0, 0, T_ST_READ, T_MMIO, 1, 0);
		t_expect_run(test, "store acc", c, 0x1ff, T_EMULATE, T_ST_WRITE,
			     T_MMIO + 8, 8, 0xff);
		KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).acc, 0xff);
		t_expect_run(test, "load 2", c, 0, 0, T_ST_READ, T_MMIO + 2, 2,
			     0);
		t_expect_run(test, "load 4", c, 0xabcdef, 0, T_ST_READ,
			     T_MMIO + 4, 4, 0);
		KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).acc, 0xcdef);
		t_expect_run(test, "load 8", c, 0x122334455, 0, T_ST_READ,
			     T_MMIO + 8, 8, 0);
		KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).acc, 0x22334455);
		t_expect_run(test, "store 1", c, U64_MAX, 0, T_ST_WRITE, T_MMIO,
			     1, 0x34);
		KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).acc, U64_MAX);
		t_expect_run(test, "store 2", c, 0, 0, T_ST_WRITE, T_MMIO, 2,
			     0x5678);
		t_expect_run(test, "store 4", c, 0, 0, T_ST_WRITE, 0x3ffffffc,
			     4, 0x23456789);
		t_expect_run(test, "yield", c, 0, 0, T_ST_READY, 0, 0, 0);
		t_vm_teardown(test, t, &g.dp.vm);
		if (cfg.full)
			break;
	}
}

/* Resume actions: RETRY and FAULT on the full profile, ignored on public. */
static void gunyah_sim_guest_resume_test(struct kunit *test)
{
	static const struct gunyah_sim_guest_insn prog[] = {
		T_I(LOAD, 4, T_MMIO, 0),
		T_I(STORE, 4, T_MMIO, 7),
		T_I(YIELD, 0, 0, 0),
	};
	struct gunyah_sim_rm_test *t = test->priv;
	struct t_guest_cfg cfg = { .cpus = 1, .full = true };
	struct gunyah_hypercall_vcpu_run_resp r;
	struct t_guest g;
	u64 c;

	t_guest_start(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
	c = g.vcpu[0];
	t_expect_run(test, "read", c, 0, 0, T_ST_READ, T_MMIO, 4, 0);
	t_expect_run(test, "read retried", c, 5, T_RETRY, T_ST_READ, T_MMIO,
		     4, 0);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).acc, 0);
	t_expect_run(test, "read emulated", c, 5, T_EMULATE, T_ST_WRITE,
		     T_MMIO, 4, 7);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).acc, 5);
	t_expect_run(test, "write retried", c, 0, T_RETRY, T_ST_WRITE, T_MMIO,
		     4, 7);
	/* An unknown action is refused; the exit stays pending. */
	KUNIT_EXPECT_EQ(test, t_run(c, 0, 3, &r), GUNYAH_ERROR_ARG_INVAL);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).last_state, T_ST_WRITE);
	t_expect_crash(test, t, &g, "write faulted", 0, T_FAULT);
	t_vm_teardown(test, t, &g.dp.vm);

	cfg.full = false;
	t_guest_start(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
	c = g.vcpu[0];
	t_expect_run(test, "public read", c, 0, 0, T_ST_READ, T_MMIO, 4, 0);
	t_expect_run(test, "RETRY ignored", c, 5, T_RETRY, T_ST_WRITE, T_MMIO,
		     4, 7);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).acc, 5);
	t_expect_run(test, "FAULT ignored", c, 0, T_FAULT, T_ST_READY, 0, 0,
		     0);
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_vm_state(g.dp.vm.vmid), T_RUNNING);
	t_vm_teardown(test, t, &g.dp.vm);
}

/* A donated page mapped at @ipa, with a reference in @pages. */
static void t_guest_map(struct kunit *test, struct t_guest *g,
			struct page *page, u64 ipa)
{
	KUNIT_ASSERT_EQ(test, t_donate(&g->dp, T_TO_PROT, T_HP, T_GP,
				       page_to_phys(page), SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_ASSERT_EQ(test, t_map(&g->dp, true, T_GP, T_PARTIAL | T_PRIVATE,
				    ipa, page_to_phys(page), SZ_4K),
			GUNYAH_ERROR_OK);
}

/* After the reset the host takes its page back. */
static void t_guest_unmap(struct kunit *test, struct t_guest *g,
			  struct page *page, u64 ipa)
{
	KUNIT_EXPECT_EQ(test, t_map(&g->dp, false, T_GP, T_PARTIAL | T_PRIVATE,
				    ipa, page_to_phys(page), SZ_4K),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_donate(&g->dp, T_FROM_PROT, T_GP, T_HP,
				       page_to_phys(page), SZ_4K),
			GUNYAH_ERROR_OK);
}

static void t_free_page(void *page)
{
	__free_pages(page, 1);
}

/* Full profile: page faults in a demand-paged range, then the page runs. */
static void gunyah_sim_guest_page_fault_test(struct kunit *test)
{
	static const struct gunyah_sim_guest_insn prog[] = {
		T_I(LOAD, 4, T_DP + 0x10, 0),
		T_I(STORE, 8, T_DP + 0x1008, 0x55aa),
		T_I(LOAD, 4, T_NOWHERE, 0),
	};
	const struct t_guest_cfg cfg = { .cpus = 1, .full = true };
	struct gunyah_sim_rm_test *t = test->priv;
	struct page *pages;
	struct t_guest g;
	u8 *host;

	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_free_page,
							pages), 0);
	host = page_address(pages);
	put_unaligned_le32(0x12345678, host + 0x10);

	t_guest_start(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
	t_expect_run(test, "read fault", g.vcpu[0], 0, 0, T_ST_PF, T_DP + 0x10,
		     0, 0);
	t_expect_run(test, "still not there", g.vcpu[0], 0, T_RETRY, T_ST_PF,
		     T_DP + 0x10, 0, 0);
	t_guest_map(test, &g, pages, T_DP);
	t_expect_run(test, "write fault", g.vcpu[0], 0, T_RETRY, T_ST_PF,
		     T_DP + 0x1008, 1, 0);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).acc, 0x12345678);
	t_guest_map(test, &g, pages + 1, T_DP + SZ_4K);
	/* Outside every range: a crash. */
	t_expect_crash(test, t, &g, "nothing there", 0, T_RETRY);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(host + 0x1008), 0x55aa);

	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_RESET, g.dp.vm.vmid), 0);
	t_guest_unmap(test, &g, pages, T_DP);
	t_guest_unmap(test, &g, pages + 1, T_DP + SZ_4K);
	t_vm_teardown(test, t, &g.dp.vm);
}

/* Full profile: the boot PC from the boot context, in a paged range. */
static void gunyah_sim_guest_boot_context_test(struct kunit *test)
{
	static const struct gunyah_sim_guest_insn prog[] = {
		T_I(POWEROFF, 0, 0, 9),
	};
	static const struct gunyah_sim_guest_insn none[] = {
		T_I(CRASH, 0, 0, 0),
	};
	const struct t_guest_cfg cfg = { .cpus = 1, .full = true };
	struct gunyah_sim_rm_test *t = test->priv;
	static const u32 reason[] = { 9 << 16 };
	u8 req[16] = {};
	struct page *pages;
	struct t_guest g;

	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_free_page,
							pages), 0);
	t_prog(page_address(pages), &cfg, prog, ARRAY_SIZE(prog));

	t_guest_ready(test, t, &g, &cfg, none, ARRAY_SIZE(none));
	put_unaligned_le16(g.dp.vm.vmid, req);
	req[2] = 1;
	put_unaligned_le64(T_DP + 0x8000, req + 8);
	KUNIT_ASSERT_EQ(test, t_call(test, t, T_VM_BOOT_CTX, req, sizeof(req),
				     NULL), 0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_START, g.dp.vm.vmid), 0);
	t_expect_run(test, "fetch fault", g.vcpu[0], 0, 0, T_ST_PF,
		     T_DP + 0x8000, 0, 0);
	t_guest_map(test, &g, pages, T_DP + 0x8000);
	t_expect_run(test, "poweroff", g.vcpu[0], 0, T_RETRY, T_ST_OFF, 1, 0,
		     0);
	t_expect_exited(test, t, &g, T_EXIT_OFF, reason, sizeof(reason));

	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_RESET, g.dp.vm.vmid), 0);
	t_guest_unmap(test, &g, pages, T_DP + 0x8000);
	t_vm_teardown(test, t, &g.dp.vm);
}

/* Programs that crash, each on the public profile. */
static const struct {
	const char *name;
	struct t_guest_cfg cfg;
	struct gunyah_sim_guest_insn insn;
} t_crashes[] = {
	{ "CRASH", { 1 }, T_I(CRASH, 0, 0, 0) },
	{ "bad magic", { 1, .magic = 0x4d495348 }, T_I(NOP, 0, 0, 0) },
	{ "bad version", { 1, .version = 2 }, T_I(NOP, 0, 0, 0) },
	{ "reserved header word", { 1, .reserved = 1 }, T_I(NOP, 0, 0, 0) },
	{ "jump past count", { 1 }, T_I(JUMP, 1, 0, 0) },
	{ "unknown op", { 1 }, T_I(CPU_OFF + 1, 0, 0, 0) },
	{ "width 3", { 1 }, T_I(LOAD, 3, T_DATA, 0) },
	{ "width 16", { 1 }, T_I(STORE, 16, T_MMIO, 0) },
	{ "LOAD with ACC", { 1 }, T_I(LOAD, 4 | T_ACC, T_MMIO, 0) },
	{ "no such doorbell", { 1 }, T_I(WAIT_BELL, 99, 0, 0) },
	{ "RESET 2", { 1 }, T_I(RESET, 2, 0, 0) },
	{ "missing memory", { 1 }, T_I(LOAD, 4, T_NOWHERE, 0) },
	{ "missing, in a paged range", { 1 }, T_I(STORE, 4, T_DP, 0) },
};

static void gunyah_sim_guest_crash_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	struct t_guest g;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t_crashes); i++) {
		t_guest_start(test, t, &g, &t_crashes[i].cfg,
			      &t_crashes[i].insn, 1);
		t_expect_crash(test, t, &g, t_crashes[i].name, 0, 0);
		t_vm_teardown(test, t, &g.dp.vm);
	}
}

static atomic_t t_wake_irqs;

static irqreturn_t t_wake_irq(int irq, void *data)
{
	atomic_inc(&t_wake_irqs);
	return IRQ_HANDLED;
}

static void t_bell_expect(struct kunit *test, struct t_guest *g, u64 flags,
			  u64 enable, u64 ack, bool asserted)
{
	u64 f = 0, e = 0, a = 0;
	bool as = !asserted;

	KUNIT_EXPECT_EQ(test, gunyah_sim_bell_state(g->dp.vm.vmid, T_BELL, &f,
						    &e, &a, &as), 0);
	KUNIT_EXPECT_EQ(test, f, flags);
	KUNIT_EXPECT_EQ(test, e, enable);
	KUNIT_EXPECT_EQ(test, a, ack);
	KUNIT_EXPECT_EQ(test, as, asserted);
}

/* Doorbells: flags, masks, assertion, WAIT_BELL and ACK_BELL, wakeups. */
static void gunyah_sim_guest_doorbell_test(struct kunit *test)
{
	static const struct gunyah_sim_guest_insn prog[] = {
		T_I(WAIT_BELL, T_BELL, 0, 0),
		T_I(ACK_BELL, T_BELL, 0, 0),
		T_I(YIELD, 0, 0, 0),
		T_I(WAIT_BELL, T_BELL, 0, 0),
		T_I(ACK_BELL, T_BELL, 0, 0),
		T_I(YIELD, 0, 0, 0),
	};
	const struct t_guest_cfg cfg = { .cpus = 1 };
	struct gunyah_sim_rm_test *t = test->priv;
	struct t_guest g;
	u64 old = 0, c;
	int irq;

	t_guest_ready(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
	c = g.vcpu[0];
	t_bell_expect(test, &g, 0, U64_MAX, 0, false);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(g.rx_bell, 1, &old),
			GUNYAH_ERROR_CSPACE_INSUF_RIGHTS);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_set_mask(g.rx_bell, 1, 1),
			GUNYAH_ERROR_CSPACE_INSUF_RIGHTS);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(c, 1, &old),
			GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_START, g.dp.vm.vmid), 0);

	irq = gunyah_sim_intid_to_irq(t_vcpu(test, &g, 0).intid);
	KUNIT_ASSERT_GT(test, irq, 0);
	atomic_set(&t_wake_irqs, 0);
	KUNIT_ASSERT_EQ(test, request_irq(irq, t_wake_irq, 0, "t_wake", &g),
			0);
	/* Only EXPECTs until the IRQ is free again. */
	t_expect_run(test, "wait", c, 0, 0, T_ST_WAKEUP, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_set_mask(g.bell, 2, 0),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(g.bell, 1, &old),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, old, 0);
	t_bell_expect(test, &g, 1, 2, 0, false);
	t_expect_run(test, "not enabled", c, 0, 0, T_ST_WAKEUP, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(g.bell, 4, &old),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, old, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t_wake_irqs), 0);
	/* A mask enabling pending flags asserts; acked flags are cleared. */
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_set_mask(g.bell, 4, 1),
			GUNYAH_ERROR_OK);
	t_bell_expect(test, &g, 4, 4, 1, true);
	KUNIT_EXPECT_EQ(test, atomic_read(&t_wake_irqs), 1);
	t_expect_run(test, "acked", c, 0, 0, T_ST_READY, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).acc, 4);
	t_bell_expect(test, &g, 0, 4, 1, false);

	/* Level, as irqfd sets it: the flag is taken at assertion. */
	t_expect_run(test, "wait 2", c, 0, 0, T_ST_WAKEUP, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_set_mask(g.bell, 1, 1),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, atomic_read(&t_wake_irqs), 1);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(g.bell, 1, &old),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, old, 0);
	t_bell_expect(test, &g, 0, 1, 1, true);
	KUNIT_EXPECT_EQ(test, atomic_read(&t_wake_irqs), 2);
	/* Not waiting any more: no wakeup. */
	t_expect_run(test, "acked 2", c, 0, 0, T_ST_READY, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(g.bell, 1, &old),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, atomic_read(&t_wake_irqs), 2);
	free_irq(irq, &g);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).wakeups, 3);
	t_vm_teardown(test, t, &g.dp.vm);
}

/* CPU_ON, CPU_OFF, and the last vCPU off powering the VM off. */
static void gunyah_sim_guest_power_test(struct kunit *test)
{
	static const struct gunyah_sim_guest_insn prog[] = {
		T_I(CPU_ON, 1, 0, 4),
		T_I(CPU_ON, 1, 0, 0),	/* on already: PSCI error, go on */
		T_I(CPU_ON, 7, 0, 0),	/* no such vCPU */
		T_I(WAIT_BELL, T_BELL, 0, 0),
		T_I(SET_COUNTER, 0, 0, 2),	/* vCPU 1 starts here */
		T_I(CPU_OFF, 0, 0, 0),
	};
	const struct t_guest_cfg cfg = { .cpus = 2 };
	struct gunyah_sim_rm_test *t = test->priv;
	static const u32 reason[] = { 0 };
	struct gunyah_sim_vcpu_info info;
	struct t_guest g;
	u64 old;

	t_guest_ready(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
	t_expect_run(test, "0 not started", g.vcpu[0], 0, 0, T_ST_OFF, 0, 0, 0);
	t_expect_run(test, "1 not started", g.vcpu[1], 0, 0, T_ST_OFF, 0, 0, 0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_START, g.dp.vm.vmid), 0);
	t_expect_run(test, "1 off", g.vcpu[1], 0, 0, T_ST_OFF, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 1).wakeups, 0);

	t_expect_run(test, "0 waits", g.vcpu[0], 0, 0, T_ST_WAKEUP, 0, 1, 0);
	info = t_vcpu(test, &g, 1);
	KUNIT_EXPECT_TRUE(test, info.on);
	KUNIT_EXPECT_EQ(test, info.pc, 4);
	KUNIT_EXPECT_EQ(test, info.wakeups, 1);
	t_expect_run(test, "1 off again", g.vcpu[1], 0, 0, T_ST_OFF, 0, 0, 0);
	info = t_vcpu(test, &g, 1);
	KUNIT_EXPECT_FALSE(test, info.on);
	KUNIT_EXPECT_EQ(test, info.counter, 2);
	t_expect_run(test, "1 stays off", g.vcpu[1], 0, 0, T_ST_OFF, 0, 0, 0);

	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(g.bell, 1, &old),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).wakeups, 2);
	t_expect_run(test, "last off", g.vcpu[0], 0, 0, T_ST_OFF, 1, 0, 0);
	t_expect_exited(test, t, &g, T_EXIT_OFF, reason, sizeof(reason));
	t_vm_teardown(test, t, &g.dp.vm);
}

/* The exits a guest asks for: run state, VM_EXITED, the other vCPU. */
static const struct {
	const char *name;
	struct gunyah_sim_guest_insn insn;
	u64 state, d0, d1;
	u16 type;
	u32 size;
	u32 reason[4];
} t_exits[] = {
	{ "POWEROFF", T_I(POWEROFF, 0, 0, 0x1234), T_ST_OFF, 1, 0,
	  T_EXIT_OFF, 4, { 0x1234 << 16 } },
	{ "POWEROFF, 16 bits", T_I(POWEROFF, 0, 0, 0x12345), T_ST_OFF, 1, 0,
	  T_EXIT_OFF, 4, { 0x2345 << 16 } },
	{ "CRASH", T_I(CRASH, 0, 0, 0), T_ST_FAULT, 0, 0,
	  T_EXIT_SW_ERROR, 4, { 1 << 16 } },
	{ "SYSTEM_RESET", T_I(RESET, 0, 0, 5), T_ST_RESET, BIT_ULL(63), 0,
	  T_EXIT_RESET, 4, { 0 } },
	{ "SYSTEM_RESET2", T_I(RESET, 1, 0x1122334455667788, 0x180000001),
	  T_ST_RESET, 0x80000001, 0x1122334455667788, T_EXIT_RESET2, 16,
	  { 0, 0x80000001, 0x55667788, 0x11223344 } },
};

static void gunyah_sim_guest_exits_test(struct kunit *test)
{
	struct gunyah_sim_guest_insn prog[] = {
		T_I(CPU_ON, 1, 0, 3),
		T_I(YIELD, 0, 0, 0),
		T_I(NOP, 0, 0, 0),	/* the exit */
		T_I(WAIT_BELL, T_BELL, 0, 0),
	};
	const struct t_guest_cfg cfg = { .cpus = 2 };
	struct gunyah_sim_rm_test *t = test->priv;
	struct t_guest g;
	unsigned int i;
	u64 w;

	for (i = 0; i < ARRAY_SIZE(t_exits); i++) {
		prog[2] = t_exits[i].insn;
		t_guest_start(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
		t_expect_run(test, t_exits[i].name, g.vcpu[0], 0, 0,
			     T_ST_READY, 0, 0, 0);
		t_expect_run(test, t_exits[i].name, g.vcpu[1], 0, 0,
			     T_ST_WAKEUP, 0, 1, 0);
		w = t_vcpu(test, &g, 1).wakeups;
		t_expect_run(test, t_exits[i].name, g.vcpu[0], 0, 0,
			     t_exits[i].state, t_exits[i].d0, t_exits[i].d1, 0);
		KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 1).wakeups, w + 1);
		t_expect_run(test, t_exits[i].name, g.vcpu[1], 0, 0, T_ST_OFF, 1,
			     0, 0);
		t_expect_run(test, t_exits[i].name, g.vcpu[0], 0, 0, T_ST_OFF, 1,
			     0, 0);
		t_expect_exited(test, t, &g, t_exits[i].type, t_exits[i].reason,
				t_exits[i].size);
		KUNIT_EXPECT_EQ(test, t_vm_op(test, t, T_VM_STOP, g.dp.vm.vmid),
				T_VM_STATE);
		t_vm_teardown(test, t, &g.dp.vm);
	}
}

/* VM_STOP with FORCE powers every vCPU off; VM_RESET forgets the guest. */
static void gunyah_sim_guest_stop_reset_test(struct kunit *test)
{
	static const struct gunyah_sim_guest_insn prog[] = {
		T_I(WAIT_BELL, T_BELL, 0, 0),
		T_I(POWEROFF, 0, 0, 3),
	};
	const struct t_guest_cfg cfg = { .cpus = 2 };
	struct gunyah_sim_rm_test *t = test->priv;
	struct gunyah_hypercall_vcpu_run_resp r;
	u64 old = 0, f, e, a;
	struct t_guest g;
	bool as;

	t_guest_start(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
	t_expect_run(test, "wait", g.vcpu[0], 0, 0, T_ST_WAKEUP, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(g.bell, 8, &old),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).wakeups, 2);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_STOP, g.dp.vm.vmid), 0);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).wakeups, 3);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 1).wakeups, 1);
	t_expect_run(test, "0 stopped", g.vcpu[0], 0, 0, T_ST_OFF, 1, 0, 0);
	t_expect_run(test, "1 stopped", g.vcpu[1], 0, 0, T_ST_OFF, 1, 0, 0);

	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_RESET, g.dp.vm.vmid), 0);
	KUNIT_EXPECT_EQ(test, t_run(g.vcpu[0], 0, 0, &r),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(g.bell, 1, &old),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	KUNIT_EXPECT_EQ(test, gunyah_sim_bell_state(g.dp.vm.vmid, T_BELL, &f,
						    &e, &a, &as), -ENOENT);

	/* Configured again, the VM has a new guest, from the start. */
	KUNIT_ASSERT_EQ(test, t_vm_configure(test, t, &g.dp.vm), 0);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_INIT, g.dp.vm.vmid), 0);
	t_guest_caps(test, t, &g);
	t_bell_expect(test, &g, 0, U64_MAX, 0, false);
	KUNIT_ASSERT_EQ(test, t_vm_op(test, t, T_VM_START, g.dp.vm.vmid), 0);
	t_expect_run(test, "new guest", g.vcpu[0], 0, 0, T_ST_WAKEUP, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).pc, 0);
	t_vm_teardown(test, t, &g.dp.vm);
}

static u64 t_busy_cap;
static enum gunyah_error t_busy_err;
static enum gunyah_error t_other_err;
static u64 t_other_cap;

/* Inside vcpu_run: another caller on the same vCPU, and on another one. */
static void t_busy_hook(u64 capid)
{
	struct gunyah_hypercall_vcpu_run_resp r;

	if (capid != t_busy_cap)
		return;
	t_busy_cap = GUNYAH_CAPID_INVAL;
	t_busy_err = t_run(capid, 0, 0, &r);
	t_other_err = t_run(t_other_cap, 0, 0, &r);
}

/* BUSY for a concurrent caller and for a vCPU that is not proxy-run. */
static void gunyah_sim_guest_busy_test(struct kunit *test)
{
	static const struct gunyah_sim_guest_insn prog[] = {
		T_I(YIELD, 0, 0, 0),
		T_I(YIELD, 0, 0, 0),
	};
	struct t_guest_cfg cfg = { .cpus = 2 };
	struct gunyah_sim_rm_test *t = test->priv;
	struct gunyah_hypercall_vcpu_run_resp r;
	struct t_guest g;

	t_guest_start(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
	t_busy_cap = g.vcpu[0];
	t_other_cap = g.vcpu[1];
	t_busy_err = GUNYAH_ERROR_OK;
	t_other_err = GUNYAH_ERROR_BUSY;
	gunyah_sim_set_vcpu_run_hook(t_busy_hook);
	t_expect_run(test, "owner", g.vcpu[0], 0, 0, T_ST_READY, 0, 0, 0);
	gunyah_sim_set_vcpu_run_hook(NULL);
	KUNIT_EXPECT_EQ(test, t_busy_err, GUNYAH_ERROR_BUSY);
	KUNIT_EXPECT_EQ(test, t_other_err, GUNYAH_ERROR_OK);
	KUNIT_EXPECT_FALSE(test, t_vcpu(test, &g, 0).running);
	KUNIT_EXPECT_EQ(test, t_vcpu(test, &g, 0).pc, 1);
	/* Rights and object type. */
	KUNIT_EXPECT_EQ(test, t_run(g.bell, 0, 0, &r),
			GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE);
	t_vm_teardown(test, t, &g.dp.vm);

	cfg.static_vcpus = true;
	t_guest_start(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
	KUNIT_EXPECT_EQ(test, t_run(g.vcpu[0], 0, 0, &r), GUNYAH_ERROR_BUSY);
	t_vm_teardown(test, t, &g.dp.vm);
}

/* Every hypercall is counted once, and vcpu_run on its own. */
static void gunyah_sim_guest_counter_test(struct kunit *test)
{
	static const struct gunyah_sim_guest_insn prog[] = {
		T_I(SET_COUNTER, 0, 0, 3),
		T_I(STORE, 4, T_MMIO, 1),
		T_I(LOOP, 1, 0, 0),
		T_I(YIELD, 0, 0, 0),
	};
	const struct t_guest_cfg cfg = { .cpus = 1 };
	struct gunyah_sim_rm_test *t = test->priv;
	struct gunyah_hypercall_vcpu_run_resp r;
	u64 calls0, runs0, calls1, runs1, old;
	struct t_guest g;
	int i;

	t_guest_start(test, t, &g, &cfg, prog, ARRAY_SIZE(prog));
	gunyah_sim_hypercall_count(&calls0, &runs0);
	/* Three MMIO exits, one hypercall each. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, t_run(g.vcpu[0], 0, 0, &r),
				GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, r.state, T_ST_WRITE);
	gunyah_sim_hypercall_count(&calls1, &runs1);
	KUNIT_EXPECT_EQ(test, calls1 - calls0, 3);
	KUNIT_EXPECT_EQ(test, runs1 - runs0, 3);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_send(g.bell, 1, &old),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, gunyah_hypercall_bell_set_mask(g.bell, 1, 0),
			GUNYAH_ERROR_OK);
	KUNIT_EXPECT_EQ(test, t_run(GUNYAH_CAPID_INVAL, 0, 0, &r),
			GUNYAH_ERROR_CSPACE_CAP_NULL);
	gunyah_sim_hypercall_count(&calls0, &runs0);
	KUNIT_EXPECT_EQ(test, calls0 - calls1, 3);
	KUNIT_EXPECT_EQ(test, runs0 - runs1, 1);
	t_vm_teardown(test, t, &g.dp.vm);
}

static void gunyah_sim_guest_test_exit(struct kunit *test)
{
	gunyah_sim_set_vcpu_run_hook(NULL);
	gunyah_sim_rm_test_exit(test);
}

static struct kunit_case gunyah_sim_guest_test_cases[] = {
	KUNIT_CASE(gunyah_sim_guest_ops_test),
	KUNIT_CASE(gunyah_sim_guest_vmmio_test),
	KUNIT_CASE(gunyah_sim_guest_resume_test),
	KUNIT_CASE(gunyah_sim_guest_page_fault_test),
	KUNIT_CASE(gunyah_sim_guest_boot_context_test),
	KUNIT_CASE(gunyah_sim_guest_crash_test),
	KUNIT_CASE(gunyah_sim_guest_doorbell_test),
	KUNIT_CASE(gunyah_sim_guest_power_test),
	KUNIT_CASE(gunyah_sim_guest_exits_test),
	KUNIT_CASE(gunyah_sim_guest_stop_reset_test),
	KUNIT_CASE(gunyah_sim_guest_busy_test),
	KUNIT_CASE(gunyah_sim_guest_counter_test),
	{}
};

static struct kunit_suite gunyah_sim_guest_suite = {
	.name = "gunyah_sim_guest",
	.init = gunyah_sim_rm_test_init,
	.exit = gunyah_sim_guest_test_exit,
	.test_cases = gunyah_sim_guest_test_cases,
};

static struct kunit_case gunyah_sim_rm_test_cases[] = {
	KUNIT_CASE(gunyah_sim_rm_msgq_limits_test),
	KUNIT_CASE(gunyah_sim_rm_irq_edges_test),
	KUNIT_CASE(gunyah_sim_rm_framing_test),
	KUNIT_CASE(gunyah_sim_rm_malformed_test),
	KUNIT_CASE(gunyah_sim_rm_one_pending_reply_test),
	KUNIT_CASE(gunyah_sim_rm_vm_lifecycle_test),
	KUNIT_CASE(gunyah_sim_rm_parcel_rules_test),
	KUNIT_CASE(gunyah_sim_rm_profiles_test),
	KUNIT_CASE_SLOW(gunyah_sim_rm_transitions_test),
	KUNIT_CASE(gunyah_sim_rm_parcel_ownership_test),
	KUNIT_CASE(gunyah_sim_rm_caller_rules_test),
	KUNIT_CASE(gunyah_sim_rm_config_dt_test),
	KUNIT_CASE(gunyah_sim_rm_config_dt_refused_test),
	KUNIT_CASE(gunyah_sim_rm_flow_order_test),
	KUNIT_CASE_SLOW(gunyah_sim_rm_big_parcel_test),
	KUNIT_CASE(gunyah_sim_rm_fault_hooks_test),
	KUNIT_CASE(gunyah_sim_rm_devicetree_test),
	KUNIT_CASE(gunyah_sim_rm_dp_resources_test),
	KUNIT_CASE(gunyah_sim_rm_dp_ranges_test),
	KUNIT_CASE(gunyah_sim_rm_dp_round_trip_test),
	KUNIT_CASE(gunyah_sim_rm_dp_refusals_test),
	KUNIT_CASE(gunyah_sim_rm_dp_reset_test),
	{}
};

static struct kunit_suite gunyah_sim_rm_suite = {
	.name = "gunyah_sim_rm",
	.init = gunyah_sim_rm_test_init,
	.exit = gunyah_sim_rm_test_exit,
	.test_cases = gunyah_sim_rm_test_cases,
};

kunit_test_suites(&gunyah_sim_rm_suite, &gunyah_sim_guest_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the simulated Gunyah Resource Manager");
