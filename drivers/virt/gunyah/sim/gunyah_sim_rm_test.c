// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the simulated Gunyah Resource Manager, spoken to raw
 * through the message-queue hypercalls on a client of their own.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/gunyah.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/wait.h>

#include "gunyah_sim.h"

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

struct gunyah_sim_rm_test {
	struct gunyah_sim_rm_client_info info;
	atomic_t tx_irqs;
	atomic_t rx_irqs;
	wait_queue_head_t wq;
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
				    HZ));
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
	vmid = t_allocate(test, t);
	KUNIT_ASSERT_EQ(test, t_lend(test, t, vmid, 0x90000000, 4, &handle), 0);

	/* Image and DT must lie inside the 16 KiB parcel. */
	put_unaligned_le16(vmid, cfg);
	put_unaligned_le32(handle, cfg + 4);
	put_unaligned_le64(0x4000, cfg + 24);
	put_unaligned_le64(0x1000, cfg + 32);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_CONFIG, cfg, 40, NULL), 6);
	put_unaligned_le64(0x3000, cfg + 24);
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

/* VM_SET_BOOT_CONTEXT exists only in the full profile. */
static void gunyah_sim_rm_profiles_test(struct kunit *test)
{
	struct gunyah_sim_rm_test *t = test->priv;
	u8 ctx[16] = {}, cfg[40] = {};
	u32 handle;
	u16 vmid;

	vmid = t_allocate(test, t);
	KUNIT_ASSERT_EQ(test, t_lend(test, t, vmid, 0x90000000, 4, &handle), 0);
	put_unaligned_le16(vmid, cfg);
	put_unaligned_le32(handle, cfg + 4);
	KUNIT_ASSERT_EQ(test, t_call(test, t, T_VM_CONFIG, cfg, 40, NULL), 0);
	t_notif(test, t, T_VM_STATUS);
	KUNIT_ASSERT_EQ(test, t_vmid_call(test, t, T_VM_INIT, vmid), 0);
	t_notif(test, t, T_VM_STATUS);

	put_unaligned_le16(vmid, ctx);
	ctx[2] = 1;
	KUNIT_EXPECT_EQ(test, gunyah_sim_rm_get_profile(), GUNYAH_SIM_RM_PUBLIC);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_BOOT_CTX, ctx, 16, NULL),
			0xffffffff);
	gunyah_sim_rm_set_profile(GUNYAH_SIM_RM_FULL);
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_BOOT_CTX, ctx, 16, NULL), 0);
	ctx[3] = 1;
	KUNIT_EXPECT_EQ(test, t_call(test, t, T_VM_BOOT_CTX, ctx, 16, NULL), 6);
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

static struct kunit_case gunyah_sim_rm_test_cases[] = {
	KUNIT_CASE(gunyah_sim_rm_msgq_limits_test),
	KUNIT_CASE(gunyah_sim_rm_irq_edges_test),
	KUNIT_CASE(gunyah_sim_rm_framing_test),
	KUNIT_CASE(gunyah_sim_rm_malformed_test),
	KUNIT_CASE(gunyah_sim_rm_one_pending_reply_test),
	KUNIT_CASE(gunyah_sim_rm_vm_lifecycle_test),
	KUNIT_CASE(gunyah_sim_rm_parcel_rules_test),
	KUNIT_CASE(gunyah_sim_rm_profiles_test),
	KUNIT_CASE(gunyah_sim_rm_fault_hooks_test),
	KUNIT_CASE(gunyah_sim_rm_devicetree_test),
	{}
};

static struct kunit_suite gunyah_sim_rm_suite = {
	.name = "gunyah_sim_rm",
	.init = gunyah_sim_rm_test_init,
	.exit = gunyah_sim_rm_test_exit,
	.test_cases = gunyah_sim_rm_test_cases,
};

kunit_test_suite(gunyah_sim_rm_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the simulated Gunyah Resource Manager");
