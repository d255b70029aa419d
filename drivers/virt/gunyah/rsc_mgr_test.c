// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Resource Manager RPC, against the simulated RM.
 *
 * Every test gets a link of its own to the simulated RM, on a message-queue
 * pair the simulator creates for it, so the link bound to the devicetree
 * node is left alone.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/gunyah_rsc_mgr.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "rsc_mgr.h"
#include "sim/gunyah_sim.h"

#define TEST_MSG_ID	0x56ff0001	/* a message the RM does not know */
#define PAYLOAD		232

struct gunyah_rm_test {
	struct gunyah_sim_rm_client_info client;
	struct gunyah_rm rm;
};

static int gunyah_rm_test_init(struct kunit *test)
{
	struct gunyah_rm_test *t;
	struct device *dev;
	int ret;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;

	gunyah_sim_rm_reset();
	gunyah_sim_rm_set_profile(GUNYAH_SIM_RM_PUBLIC);

	dev = kunit_device_register(test, "gunyah-rm-test");
	if (IS_ERR(dev))
		return PTR_ERR(dev);

	ret = gunyah_sim_rm_create_client(&t->client);
	if (ret)
		return ret;

	ret = gunyah_rm_init(&t->rm, dev, t->client.tx_cap, t->client.tx_irq,
			     t->client.rx_cap, t->client.rx_irq);
	if (ret) {
		gunyah_sim_rm_destroy_client(&t->client);
		return ret;
	}

	test->priv = t;
	return 0;
}

static void gunyah_rm_test_exit(struct kunit *test)
{
	struct gunyah_rm_test *t = test->priv;

	gunyah_sim_rm_pause_input(false);
	gunyah_sim_rm_hold_output(false);
	gunyah_rm_teardown(&t->rm);
	gunyah_sim_rm_destroy_client(&t->client);
	gunyah_sim_rm_reset();
}

static struct gunyah_rm *test_rm(struct kunit *test)
{
	return &((struct gunyah_rm_test *)test->priv)->rm;
}

static void fill_pattern(u8 *buf, size_t size, u8 seed)
{
	size_t i;

	for (i = 0; i < size; i++)
		buf[i] = seed + i * 7 + (i >> 8);
}

static size_t min_fragments(size_t size)
{
	return size ? DIV_ROUND_UP(size, PAYLOAD) : 1;
}

/* Wait up to two seconds for a condition polled every millisecond. */
#define wait_until(cond) ({						\
	bool __met = false;						\
	int __i;							\
	for (__i = 0; __i < 2000; __i++) {				\
		if (cond) {						\
			__met = true;					\
			break;						\
		}							\
		usleep_range(1000, 2000);				\
	}								\
	__met;								\
})

static const size_t request_sizes[] = { 0, 1, 232, 233, 14384 };

static void size_desc(const size_t *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu bytes", *size);
}

KUNIT_ARRAY_PARAM(request_size, request_sizes, size_desc);

/* A request of each size reaches the RM whole, in the fewest fragments. */
static void gunyah_rm_request_fragments_test(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	struct gunyah_rm *rm = test_rm(test);
	size_t len = 0, tx_before = rm->stats.tx_messages;
	unsigned int fragments = 0;
	u8 *req, *got;
	u32 msg_id = 0;
	u16 seq;

	req = kunit_kzalloc(test, GUNYAH_RM_MAX_REQUEST_SIZE + 1, GFP_KERNEL);
	got = kunit_kzalloc(test, GUNYAH_RM_MAX_REQUEST_SIZE + PAYLOAD,
			    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_ASSERT_NOT_NULL(test, got);
	fill_pattern(req, size, size);

	KUNIT_EXPECT_EQ(test, gunyah_rm_call(rm, TEST_MSG_ID, req, size, NULL,
					     NULL), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, rm->stats.tx_messages - tx_before,
			min_fragments(size));

	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_last_request(&msg_id, &seq, got,
							 GUNYAH_RM_MAX_REQUEST_SIZE + PAYLOAD,
							 &len, &fragments), 0);
	KUNIT_EXPECT_EQ(test, msg_id, TEST_MSG_ID);
	KUNIT_EXPECT_EQ(test, len, size);
	KUNIT_EXPECT_EQ(test, fragments, min_fragments(size));
	KUNIT_EXPECT_MEMEQ(test, got, req, size);
}

/* One byte more than 62 fragments is refused before anything is sent. */
static void gunyah_rm_request_too_big_test(struct kunit *test)
{
	struct gunyah_rm *rm = test_rm(test);
	struct gunyah_sim_rm_stats before, after;
	u64 tx_before = rm->stats.tx_messages;
	u8 *req;

	req = kunit_kzalloc(test, GUNYAH_RM_MAX_REQUEST_SIZE + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);

	gunyah_sim_rm_get_stats(&before);
	KUNIT_EXPECT_EQ(test, gunyah_rm_call(rm, TEST_MSG_ID, req,
					     GUNYAH_RM_MAX_REQUEST_SIZE + 1,
					     NULL, NULL), -E2BIG);
	gunyah_sim_rm_get_stats(&after);
	KUNIT_EXPECT_EQ(test, rm->stats.tx_messages, tx_before);
	KUNIT_EXPECT_EQ(test, after.packets_rx, before.packets_rx);

	/* Message ID 0 is reserved. */
	KUNIT_EXPECT_EQ(test, gunyah_rm_call(rm, 0, NULL, 0, NULL, NULL),
			-EINVAL);
}

static const size_t reply_sizes[] = { 0, 1, 228, 229, 232, 233, 14384, 14612 };

KUNIT_ARRAY_PARAM(reply_size, reply_sizes, size_desc);

/* Replies of every size are reassembled whole. */
static void gunyah_rm_reply_fragments_test(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	struct gunyah_rm *rm = test_rm(test);
	size_t resp_size;
	void *resp;
	u8 *data;

	data = kunit_kzalloc(test, size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	fill_pattern(data, size, 3);

	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_script_reply(TEST_MSG_ID,
							 GUNYAH_RM_ERROR_OK,
							 data, size), 0);
	KUNIT_ASSERT_EQ(test, gunyah_rm_call(rm, TEST_MSG_ID, NULL, 0, &resp,
					     &resp_size), 0);
	KUNIT_EXPECT_EQ(test, resp_size, size);
	if (size) {
		KUNIT_ASSERT_NOT_NULL(test, resp);
		KUNIT_EXPECT_MEMEQ(test, resp, data, size);
	} else {
		KUNIT_EXPECT_NULL(test, resp);
	}
	kfree(resp);
}

struct gunyah_rm_caller {
	struct gunyah_rm *rm;
	u32 msg_id;
	const void *req;
	size_t req_size;
	int calls;
	int ok;
	int ret;
	void *resp;
	size_t resp_size;
	struct completion done;
	struct task_struct *task;
};

static int gunyah_rm_vmid_caller(void *data)
{
	struct gunyah_rm_caller *c = data;
	u16 vmid;
	int i;

	for (i = 0; i < c->calls; i++) {
		vmid = 0;
		if (!gunyah_rm_get_vmid(c->rm, &vmid) && vmid == GUNYAH_VMID_HLOS)
			c->ok++;
	}
	complete(&c->done);
	return 0;
}

/* Several threads calling at once all get their own replies. */
static void gunyah_rm_concurrent_test(struct kunit *test)
{
	struct gunyah_rm_caller *c;
	int i, n = 4;

	c = kunit_kcalloc(test, n, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);

	for (i = 0; i < n; i++) {
		c[i].rm = test_rm(test);
		c[i].calls = 64;
		init_completion(&c[i].done);
		c[i].task = kthread_run(gunyah_rm_vmid_caller, &c[i],
					"gunyah-rm-test/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(c[i].task));
	}
	for (i = 0; i < n; i++) {
		wait_for_completion(&c[i].done);
		KUNIT_EXPECT_EQ(test, c[i].ok, c[i].calls);
	}
}

static int gunyah_rm_big_caller(void *data)
{
	struct gunyah_rm_caller *c = data;
	int i;

	for (i = 0; i < c->calls; i++)
		if (gunyah_rm_call(c->rm, TEST_MSG_ID, c->req, c->req_size,
				   NULL, NULL) == -EOPNOTSUPP)
			c->ok++;
	complete(&c->done);
	return 0;
}

/* Multi-fragment requests from several threads never interleave. */
static void gunyah_rm_concurrent_fragments_test(struct kunit *test)
{
	struct gunyah_sim_rm_stats before, after;
	struct gunyah_rm_caller *c;
	int i, n = 4;
	u8 *req;

	c = kunit_kcalloc(test, n, sizeof(*c), GFP_KERNEL);
	req = kunit_kzalloc(test, 2000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, req);
	fill_pattern(req, 2000, 5);

	gunyah_sim_rm_get_stats(&before);
	for (i = 0; i < n; i++) {
		c[i].rm = test_rm(test);
		c[i].req = req;
		c[i].req_size = 2000;
		c[i].calls = 16;
		init_completion(&c[i].done);
		c[i].task = kthread_run(gunyah_rm_big_caller, &c[i],
					"gunyah-rm-big/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(c[i].task));
	}
	for (i = 0; i < n; i++) {
		wait_for_completion(&c[i].done);
		KUNIT_EXPECT_EQ(test, c[i].ok, c[i].calls);
	}
	gunyah_sim_rm_get_stats(&after);
	/* 64 requests of 9 fragments each, none dropped as malformed. */
	KUNIT_EXPECT_EQ(test, after.requests - before.requests, 64);
	KUNIT_EXPECT_EQ(test, after.packets_rx - before.packets_rx, 64 * 9);
	KUNIT_EXPECT_EQ(test, after.dropped_rx, before.dropped_rx);
}

static int gunyah_rm_one_caller(void *data)
{
	struct gunyah_rm_caller *c = data;

	allow_signal(SIGKILL);
	c->ret = gunyah_rm_call(c->rm, c->msg_id, c->req, c->req_size,
				&c->resp, &c->resp_size);
	complete(&c->done);
	return 0;
}

static void start_caller(struct kunit *test, struct gunyah_rm_caller *c,
			 u32 msg_id, const void *req, size_t req_size)
{
	c->rm = test_rm(test);
	c->msg_id = msg_id;
	c->req = req;
	c->req_size = req_size;
	init_completion(&c->done);
	c->task = kthread_run(gunyah_rm_one_caller, c, "gunyah-rm-caller");
	KUNIT_ASSERT_FALSE(test, IS_ERR(c->task));
}

static unsigned long count_calls(struct gunyah_rm *rm)
{
	unsigned long seq, n = 0;
	void *entry;

	xa_for_each(&rm->calls, seq, entry)
		n++;
	return n;
}

/* The sequence number of a waiting call other than @not. */
static long find_seq(struct gunyah_rm *rm, long not)
{
	unsigned long seq;
	void *entry;

	xa_for_each(&rm->calls, seq, entry)
		if (seq != not)
			return seq;
	return -1;
}

/* Build one fragment as the RM would. */
static size_t make_packet(u8 *buf, u8 type, u8 continuations, u16 seq,
			  u32 msg_id, const void *payload, size_t size)
{
	buf[0] = 0x21;
	buf[1] = type | (continuations << 2);
	put_unaligned_le16(seq, buf + 2);
	put_unaligned_le32(msg_id, buf + 4);
	memcpy(buf + 8, payload, size);
	return 8 + size;
}

static void feed_reply(struct gunyah_rm *rm, u16 seq, u32 msg_id,
		       const char *text)
{
	u8 payload[64] = {}, pkt[240];
	size_t len = strlen(text);

	memcpy(payload + 4, text, len);	/* after the error word 0 */
	gunyah_rm_recv(rm, pkt, make_packet(pkt, 2, 0, seq, msg_id, payload,
					    4 + len));
}

/*
 * Callers take turns: the RM keeps one undelivered reply per client, so a
 * second request waits until the first has its reply.
 */
static void gunyah_rm_one_outstanding_test(struct kunit *test)
{
	struct gunyah_rm *rm = test_rm(test);
	struct gunyah_rm_caller a = {}, b = {};
	long seq_a, seq_b;

	gunyah_sim_rm_pause_input(true);
	start_caller(test, &a, TEST_MSG_ID, NULL, 0);
	KUNIT_ASSERT_TRUE(test, wait_until(count_calls(rm) == 1));
	seq_a = find_seq(rm, -1);
	start_caller(test, &b, TEST_MSG_ID + 1, NULL, 0);
	msleep(100);
	KUNIT_EXPECT_EQ(test, count_calls(rm), 1);

	feed_reply(rm, seq_a, TEST_MSG_ID, "first");
	wait_for_completion(&a.done);
	KUNIT_ASSERT_TRUE(test, wait_until(count_calls(rm) == 1 &&
					   find_seq(rm, seq_a) >= 0));
	seq_b = find_seq(rm, seq_a);
	/* A reply for a call that is over is dropped, not given to b. */
	feed_reply(rm, seq_a, TEST_MSG_ID, "stale");
	KUNIT_EXPECT_FALSE(test, completion_done(&b.done));
	feed_reply(rm, seq_b, TEST_MSG_ID + 1, "second");
	wait_for_completion(&b.done);

	KUNIT_EXPECT_EQ(test, a.ret, 0);
	KUNIT_EXPECT_EQ(test, b.ret, 0);
	KUNIT_ASSERT_EQ(test, a.resp_size, 5);
	KUNIT_ASSERT_EQ(test, b.resp_size, 6);
	KUNIT_EXPECT_MEMEQ(test, a.resp, "first", 5);
	KUNIT_EXPECT_MEMEQ(test, b.resp, "second", 6);
	kfree(a.resp);
	kfree(b.resp);
}

struct gunyah_rm_test_notifier {
	struct notifier_block nb;
	unsigned long action;
	u8 data[64];
	size_t size;
	struct completion done;
};

static int gunyah_rm_test_notify(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	struct gunyah_rm_test_notifier *n =
		container_of(nb, struct gunyah_rm_test_notifier, nb);
	struct gunyah_rm_notification *notif = data;

	n->action = action;
	n->size = notif->size;
	memcpy(n->data, notif->data, min(notif->size, sizeof(n->data)));
	complete(&n->done);
	return NOTIFY_OK;
}

/* A notification between two fragments of a reply spoils neither. */
static void gunyah_rm_notification_between_fragments_test(struct kunit *test)
{
	struct gunyah_rm_test_notifier n = {
		.nb.notifier_call = gunyah_rm_test_notify,
	};
	struct gunyah_rm *rm = test_rm(test);
	struct gunyah_rm_caller c = {};
	u8 first[PAYLOAD], second[100], pkt[240], expected[228 + 100];
	long seq;

	init_completion(&n.done);
	KUNIT_ASSERT_EQ(test, gunyah_rm_notifier_register(rm, &n.nb), 0);

	gunyah_sim_rm_pause_input(true);
	start_caller(test, &c, TEST_MSG_ID, NULL, 0);
	KUNIT_ASSERT_TRUE(test, wait_until(count_calls(rm) == 1));
	seq = find_seq(rm, -1);

	memset(first, 0, 4);
	fill_pattern(first + 4, sizeof(first) - 4, 1);
	fill_pattern(second, sizeof(second), 2);
	memcpy(expected, first + 4, 228);
	memcpy(expected + 228, second, sizeof(second));

	gunyah_rm_recv(rm, pkt, make_packet(pkt, 2, 1, seq, TEST_MSG_ID, first,
					    sizeof(first)));
	gunyah_rm_recv(rm, pkt, make_packet(pkt, 3, 0, 77, 0x56100008,
					    "notify!!", 8));
	KUNIT_EXPECT_FALSE(test, completion_done(&c.done));
	gunyah_rm_recv(rm, pkt, make_packet(pkt, 0, 1, seq, TEST_MSG_ID, second,
					    sizeof(second)));
	wait_for_completion(&c.done);

	KUNIT_EXPECT_EQ(test, c.ret, 0);
	KUNIT_ASSERT_EQ(test, c.resp_size, sizeof(expected));
	KUNIT_EXPECT_MEMEQ(test, c.resp, expected, sizeof(expected));
	kfree(c.resp);

	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&n.done, 2 * HZ));
	KUNIT_EXPECT_EQ(test, n.action, 0x56100008);
	KUNIT_EXPECT_EQ(test, n.size, 8);
	KUNIT_EXPECT_MEMEQ(test, n.data, "notify!!", 8);
	gunyah_rm_notifier_unregister(rm, &n.nb);
}

/* A notification from the simulated RM goes through the real queue. */
static void gunyah_rm_sim_notification_test(struct kunit *test)
{
	struct gunyah_rm_test_notifier n = {
		.nb.notifier_call = gunyah_rm_test_notify,
	};
	struct gunyah_rm_test *t = test->priv;
	u8 payload[8] = { 0x80, 0, 0, 0, 3, 0, 0, 0 };

	init_completion(&n.done);
	KUNIT_ASSERT_EQ(test, gunyah_rm_notifier_register(&t->rm, &n.nb), 0);
	KUNIT_ASSERT_EQ(test,
			gunyah_sim_rm_send_notification(&t->client, 0x56100008, payload,
							sizeof(payload)),
			0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&n.done, 2 * HZ));
	KUNIT_EXPECT_EQ(test, n.action, 0x56100008);
	KUNIT_EXPECT_EQ(test, n.size, sizeof(payload));
	KUNIT_EXPECT_MEMEQ(test, n.data, payload, sizeof(payload));
	gunyah_rm_notifier_unregister(&t->rm, &n.nb);
}

struct gunyah_rm_error_case {
	u32 rm_error;
	int err;
};

static const struct gunyah_rm_error_case rm_error_cases[] = {
	{ GUNYAH_RM_ERROR_UNIMPLEMENTED, -EOPNOTSUPP },
	{ GUNYAH_RM_ERROR_NOMEM, -ENOMEM },
	{ GUNYAH_RM_ERROR_NORESOURCE, -ENOSPC },
	{ GUNYAH_RM_ERROR_DENIED, -EPERM },
	{ GUNYAH_RM_ERROR_MSG_INVALID, -EBADMSG },
	{ GUNYAH_RM_ERROR_BUSY, -EBUSY },
	{ GUNYAH_RM_ERROR_ARGUMENT_INVALID, -EINVAL },
	{ GUNYAH_RM_ERROR_HANDLE_INVALID, -ENOENT },
	{ GUNYAH_RM_ERROR_VALIDATE_FAILED, -EINVAL },
	{ GUNYAH_RM_ERROR_MAP_FAILED, -EFAULT },
	{ GUNYAH_RM_ERROR_MEM_INVALID, -EFAULT },
	{ GUNYAH_RM_ERROR_MEM_INUSE, -EBUSY },
	{ GUNYAH_RM_ERROR_MEM_RELEASED, -EALREADY },
	{ GUNYAH_RM_ERROR_VMID_INVALID, -ESRCH },
	{ GUNYAH_RM_ERROR_LOOKUP_FAILED, -ENOENT },
	{ GUNYAH_RM_ERROR_IRQ_INVALID, -EINVAL },
	{ GUNYAH_RM_ERROR_IRQ_INUSE, -EBUSY },
	{ GUNYAH_RM_ERROR_IRQ_RELEASED, -EALREADY },
	{ GUNYAH_RM_ERROR_IN_USE, -EBUSY },
	{ GUNYAH_RM_ERROR_IRQ_NOT_MAPPED, -ENXIO },
	{ GUNYAH_RM_ERROR_VM_STATE, -EBADFD },
	{ 0x15, -EIO },
	{ 0x1000, -EIO },
	{ 0xfffffffe, -EIO },
};

static void rm_error_desc(const struct gunyah_rm_error_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "RM error %#x", c->rm_error);
}

KUNIT_ARRAY_PARAM(rm_error, rm_error_cases, rm_error_desc);

/* Each RM error code in a real reply gives its errno. */
static void gunyah_rm_error_test(struct kunit *test)
{
	const struct gunyah_rm_error_case *c = test->param_value;
	struct gunyah_rm *rm = test_rm(test);
	u32 msg_id = TEST_MSG_ID + 0x10;

	KUNIT_EXPECT_EQ(test, gunyah_rm_error_remap(c->rm_error), c->err);

	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_script_reply(msg_id, c->rm_error,
							 NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_call(rm, msg_id, NULL, 0, NULL, NULL),
			c->err);
	/* Only UNIMPLEMENTED marks a message as unsupported. */
	KUNIT_EXPECT_EQ(test, gunyah_rm_supports(rm, msg_id),
			c->rm_error != GUNYAH_RM_ERROR_UNIMPLEMENTED);
}

/* A killed caller keeps its sequence number until the late reply. */
static void gunyah_rm_killed_waiter_test(struct kunit *test)
{
	struct gunyah_rm *rm = test_rm(test);
	struct gunyah_rm_caller c = {};
	u16 vmid = 0;
	long seq;

	gunyah_sim_rm_hold_output(true);
	start_caller(test, &c, GUNYAH_RM_RPC_VM_GET_VMID, NULL, 0);
	KUNIT_ASSERT_TRUE(test, wait_until(count_calls(rm) == 1));
	seq = find_seq(rm, -1);
	/* Let the RM take the request before the caller dies. */
	KUNIT_ASSERT_TRUE(test, wait_until(({
		struct gunyah_sim_rm_stats s;

		gunyah_sim_rm_get_stats(&s);
		s.requests >= 1;
	})));

	send_sig(SIGKILL, c.task, 1);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&c.done, 2 * HZ));
	KUNIT_EXPECT_EQ(test, c.ret, -EINTR);
	KUNIT_EXPECT_NULL(test, c.resp);
	/* Still reserved: no other call can be given this number. */
	KUNIT_EXPECT_NOT_NULL(test, xa_load(&rm->calls, seq));

	gunyah_sim_rm_hold_output(false);
	KUNIT_EXPECT_TRUE(test, wait_until(!xa_load(&rm->calls, seq)));

	/* The link still works. */
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_vmid(rm, &vmid), 0);
	KUNIT_EXPECT_EQ(test, vmid, GUNYAH_VMID_HLOS);
}

/*
 * A reply whose continuation arrives corrupted is dropped piecewise: the
 * caller can only be killed, and its sequence number stays reserved.
 */
static void gunyah_rm_corrupt_reply_test(struct kunit *test)
{
	struct gunyah_rm *rm = test_rm(test);
	struct gunyah_rm_caller c = {};
	u64 dropped = rm->stats.dropped;
	u8 data[300];
	long seq;

	fill_pattern(data, sizeof(data), 4);
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_script_reply(TEST_MSG_ID,
							 GUNYAH_RM_ERROR_OK,
							 data, sizeof(data)), 0);
	/* Spoil the header byte of the reply's second fragment. */
	gunyah_sim_rm_corrupt_next_output(1, 0, 0xff);

	start_caller(test, &c, TEST_MSG_ID, NULL, 0);
	KUNIT_ASSERT_TRUE(test, wait_until(rm->stats.dropped > dropped));
	KUNIT_EXPECT_FALSE(test, completion_done(&c.done));
	seq = find_seq(rm, -1);
	KUNIT_ASSERT_GE(test, seq, 0);

	send_sig(SIGKILL, c.task, 1);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&c.done, 2 * HZ));
	KUNIT_EXPECT_EQ(test, c.ret, -EINTR);
	KUNIT_EXPECT_NOT_NULL(test, xa_load(&rm->calls, seq));
}

/* A full queue holds the sender back until the RM drains it. */
static void gunyah_rm_full_queue_test(struct kunit *test)
{
	struct gunyah_rm *rm = test_rm(test);
	size_t size = 20 * PAYLOAD, len = 0;
	u64 tx_before = rm->stats.tx_messages, sent;
	struct gunyah_rm_caller c = {};
	unsigned int fragments;
	u32 msg_id;
	u8 *req, *got;
	u16 seq;

	req = kunit_kzalloc(test, size, GFP_KERNEL);
	got = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_ASSERT_NOT_NULL(test, got);
	fill_pattern(req, size, 9);

	gunyah_sim_rm_pause_input(true);
	start_caller(test, &c, TEST_MSG_ID, req, size);

	/* Eight fragments fill the queue; the ninth waits for room. */
	KUNIT_ASSERT_TRUE(test, wait_until(rm->stats.tx_messages - tx_before == 8));
	msleep(50);
	sent = rm->stats.tx_messages - tx_before;
	KUNIT_EXPECT_EQ(test, sent, 8);
	KUNIT_EXPECT_FALSE(test, completion_done(&c.done));

	gunyah_sim_rm_pause_input(false);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&c.done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, c.ret, -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, rm->stats.tx_messages - tx_before, 20);
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_last_request(&msg_id, &seq, got,
							 size, &len,
							 &fragments), 0);
	KUNIT_EXPECT_EQ(test, len, size);
	KUNIT_EXPECT_MEMEQ(test, got, req, size);
}

struct gunyah_rm_bad_packet {
	const char *name;
	u8 bytes[16];
	size_t size;
};

static const struct gunyah_rm_bad_packet bad_packets[] = {
	{ "short", { 0x21, 0x02, 0, 0 }, 4 },
	{ "empty", { 0 }, 0 },
	{ "wrong header byte", { 0x22, 0x02, 0, 0, 1, 0, 0, 0x56, 0, 0, 0, 0 }, 12 },
	{ "API version 2", { 0x12, 0x02, 0, 0, 1, 0, 0, 0x56, 0, 0, 0, 0 }, 12 },
	{ "63 continuations", { 0x21, (63 << 2) | 3, 0, 0, 1, 0, 0, 0x56 }, 8 },
	{ "continuation of nothing", { 0x21, (1 << 2) | 0, 5, 0, 1, 0, 0, 0x56 }, 8 },
	{ "reply to no call", { 0x21, 0x02, 0x34, 0x12, 1, 0, 0, 0x56, 0, 0, 0, 0 }, 12 },
	{ "request from the RM", { 0x21, 0x01, 0, 0, 1, 0, 0, 0x56 }, 8 },
};

static void bad_packet_desc(const struct gunyah_rm_bad_packet *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_packet, bad_packets, bad_packet_desc);

/* Malformed input is dropped, counted, and harms nothing. */
static void gunyah_rm_bad_packet_test(struct kunit *test)
{
	const struct gunyah_rm_bad_packet *p = test->param_value;
	struct gunyah_rm *rm = test_rm(test);
	u64 dropped = rm->stats.dropped;
	u8 *buf;
	u16 vmid;

	/* Exactly the packet's size, so KASAN sees any read past it. */
	buf = kunit_kzalloc(test, max_t(size_t, p->size, 1), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, p->bytes, p->size);

	gunyah_rm_recv(rm, buf, p->size);
	KUNIT_EXPECT_EQ(test, rm->stats.dropped, dropped + 1);
	KUNIT_EXPECT_EQ(test, count_calls(rm), 0);

	KUNIT_EXPECT_EQ(test, gunyah_rm_get_vmid(rm, &vmid), 0);
}

/* More than a message-queue message, and a continuation past the end. */
static void gunyah_rm_oversized_test(struct kunit *test)
{
	struct gunyah_rm *rm = test_rm(test);
	u64 dropped = rm->stats.dropped;
	struct gunyah_rm_caller c = {};
	u8 *big, pkt[240], payload[8] = {};
	long seq;

	big = kunit_kzalloc(test, 241, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	make_packet(big, 3, 0, 0, 0x56100008, payload, 8);
	gunyah_rm_recv(rm, big, 241);
	KUNIT_EXPECT_EQ(test, rm->stats.dropped, dropped + 1);

	gunyah_sim_rm_pause_input(true);
	start_caller(test, &c, TEST_MSG_ID, NULL, 0);
	KUNIT_ASSERT_TRUE(test, wait_until(count_calls(rm) == 1));
	seq = find_seq(rm, -1);
	gunyah_rm_recv(rm, pkt, make_packet(pkt, 2, 1, seq, TEST_MSG_ID,
					    payload, 8));
	gunyah_rm_recv(rm, pkt, make_packet(pkt, 0, 1, seq, TEST_MSG_ID,
					    payload, 8));
	wait_for_completion(&c.done);
	KUNIT_EXPECT_EQ(test, c.ret, 0);
	KUNIT_EXPECT_EQ(test, c.resp_size, 12);
	kfree(c.resp);
	/* The message is complete: one more continuation is for nothing. */
	gunyah_rm_recv(rm, pkt, make_packet(pkt, 0, 1, seq, TEST_MSG_ID,
					    payload, 8));
	KUNIT_EXPECT_EQ(test, rm->stats.dropped, dropped + 2);
}

/* A reply too short for its error word fails the call. */
static void gunyah_rm_short_reply_test(struct kunit *test)
{
	struct gunyah_rm *rm = test_rm(test);
	struct gunyah_rm_caller c = {};
	u8 pkt[240];
	long seq;

	gunyah_sim_rm_pause_input(true);
	start_caller(test, &c, TEST_MSG_ID, NULL, 0);
	KUNIT_ASSERT_TRUE(test, wait_until(count_calls(rm) == 1));
	seq = find_seq(rm, -1);
	gunyah_rm_recv(rm, pkt, make_packet(pkt, 2, 0, seq, TEST_MSG_ID,
					    "ab", 2));
	wait_for_completion(&c.done);
	KUNIT_EXPECT_EQ(test, c.ret, -EBADMSG);
}

static struct page **alloc_scattered_pages(struct kunit *test, size_t n)
{
	struct page **pages;
	size_t i;

	pages = kunit_kcalloc(test, n, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	return pages;
}

static void free_pages_array(struct page **pages, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pages[i])
			__free_page(pages[i]);
}

/* 2,000 ranges: a lend and three appends of at most 512, the last the end. */
static void gunyah_rm_parcel_append_test(struct kunit *test)
{
	struct gunyah_rm *rm = test_rm(test);
	struct gunyah_sim_rm_stats before, after;
	struct gunyah_rm_mem_acl_entry acl;
	struct gunyah_rm_mem_parcel parcel = {};
	struct gunyah_rm_mem_entry *mem;
	size_t n = 2000, i, len;
	unsigned int fragments;
	struct page **pages;
	u8 *last;
	u32 msg_id;
	u16 seq;
	int vmid;

	pages = alloc_scattered_pages(test, n);
	mem = kunit_kcalloc(test, n, sizeof(*mem), GFP_KERNEL);
	last = kunit_kzalloc(test, GUNYAH_RM_MAX_REQUEST_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_NOT_NULL(test, last);
	for (i = 0; i < n; i++) {
		mem[i].phys_addr = cpu_to_le64(page_to_phys(pages[i]));
		mem[i].size = cpu_to_le64(PAGE_SIZE);
	}

	vmid = gunyah_rm_alloc_vmid(rm, 0);
	KUNIT_ASSERT_GE(test, vmid, 0x80);
	acl = (struct gunyah_rm_mem_acl_entry) {
		.vmid = cpu_to_le16(vmid),
		.perms = GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W | GUNYAH_RM_ACL_X,
	};
	parcel = (struct gunyah_rm_mem_parcel) {
		.mem_type = GUNYAH_RM_MEM_TYPE_NORMAL,
		.label = 7,
		.n_acl_entries = 1,
		.acl_entries = &acl,
		.n_mem_entries = n,
		.mem_entries = mem,
	};

	gunyah_sim_rm_get_stats(&before);
	KUNIT_ASSERT_EQ(test, gunyah_rm_mem_lend(rm, &parcel), 0);
	gunyah_sim_rm_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.requests - before.requests, 4);
	KUNIT_EXPECT_NE(test, parcel.mem_handle, GUNYAH_RM_MEM_HANDLE_INVAL);

	/* The last append: handle, END flag, 2000 - 3 * 512 = 464 ranges. */
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_last_request(&msg_id, &seq, last,
							 GUNYAH_RM_MAX_REQUEST_SIZE,
							 &len, &fragments), 0);
	KUNIT_EXPECT_EQ(test, msg_id, GUNYAH_RM_RPC_MEM_APPEND);
	KUNIT_EXPECT_EQ(test, len, 8 + 4 + 464 * 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(last), parcel.mem_handle);
	KUNIT_EXPECT_EQ(test, last[4], 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(last + 8), 464);
	KUNIT_EXPECT_MEMEQ(test, last + 12, &mem[1536], 464 * 16);

	/* Lending the same memory again is refused by the RM. */
	KUNIT_EXPECT_LT(test, gunyah_rm_mem_lend(rm, &parcel), 0);

	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_reclaim(rm, parcel.mem_handle, 0),
			0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_dealloc_vmid(rm, vmid), 0);
	free_pages_array(pages, n);
}

static const enum gunyah_sim_rm_profile profiles[] = {
	GUNYAH_SIM_RM_PUBLIC, GUNYAH_SIM_RM_FULL,
};

static void profile_desc(const enum gunyah_sim_rm_profile *p, char *desc)
{
	strscpy(desc, *p == GUNYAH_SIM_RM_FULL ? "full" : "public",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(profile, profiles, profile_desc);

/* Check the bytes of the last request against the spec's layout. */
static void expect_request(struct kunit *test, u32 msg_id, const u8 *bytes,
			   size_t size)
{
	u32 got_id = 0;
	unsigned int fragments;
	size_t len = 0;
	u8 buf[256];
	u16 seq;

	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_last_request(&got_id, &seq, buf,
							 sizeof(buf), &len,
							 &fragments), 0);
	KUNIT_EXPECT_EQ(test, got_id, msg_id);
	KUNIT_ASSERT_EQ(test, len, size);
	if (size)
		KUNIT_EXPECT_MEMEQ(test, buf, bytes, size);
}

static void script(struct kunit *test, u32 msg_id, const void *data,
		   size_t size)
{
	KUNIT_ASSERT_EQ(test, gunyah_sim_rm_script_reply(msg_id,
							 GUNYAH_RM_ERROR_OK,
							 data, size), 0);
}

/* Every call's request, byte for byte, and its reply parsed, per profile. */
static void gunyah_rm_call_layout_test(struct kunit *test)
{
	static const u8 vmid_req[] = { 0x81, 0x00, 0x00, 0x00 };
	static const u8 stop_req[] = { 0x81, 0x00, 0x01, 0x00, 0x03, 0, 0, 0 };
	static const u8 config_req[40] = {
		0x81, 0x00, 0x02, 0x00, 0x44, 0x33, 0x22, 0x11,
		0x00, 0x10, 0, 0, 0, 0, 0, 0,	/* image offset 0x1000 */
		0x00, 0x20, 0, 0, 0, 0, 0, 0,	/* image size 0x2000 */
		0x00, 0x30, 0, 0, 0, 0, 0, 0,	/* DTB offset 0x3000 */
		0x00, 0x40, 0, 0, 0, 0, 0, 0,	/* DTB size 0x4000 */
	};
	static const u8 boot_req[16] = {
		0x81, 0x00, 0x01, 0x00, 0, 0, 0, 0,
		0x00, 0x00, 0x00, 0x80, 0, 0, 0, 0,
	};
	static const u8 layout_req[24] = {
		0x81, 0x00, 0, 0, 0x01, 0, 0, 0,
		0x00, 0x00, 0x00, 0x80, 0, 0, 0, 0,
		0x00, 0x00, 0x10, 0, 0, 0, 0, 0,
	};
	static const u8 fw_req[24] = {
		0x81, 0x00, 0, 0, 0x05, 0, 0, 0,
		0x00, 0x10, 0, 0, 0, 0, 0, 0,
		0x00, 0x00, 0x01, 0, 0, 0, 0, 0,
	};
	static const u8 paging_req[8 + 32] = {
		0x81, 0x00, 0, 0, 0x02, 0, 0, 0,
		0x00, 0x00, 0x00, 0x80, 0, 0, 0, 0,
		0x00, 0x10, 0, 0, 0, 0, 0, 0,
		0x00, 0x00, 0x00, 0x90, 0, 0, 0, 0,
		0x00, 0x20, 0, 0, 0, 0, 0, 0,
	};
	static const u8 reclaim_req[8] = { 0x05, 0, 0, 0, 0x01, 0, 0, 0 };
	static const u8 notify_req[] = {
		0x05, 0, 0, 0, 0x01, 0, 0, 0, 0x99, 0, 0, 0,
		0x02, 0x00, 0, 0, 0x81, 0x00, 0, 0, 0x82, 0x00, 0, 0,
	};
	static const u8 share_req[] = {
		0x00, 0x00, 0x01, 0x00, 0x2a, 0, 0, 0,	/* normal, sanitize, label 42 */
		0x02, 0x00, 0, 0,			/* ACL: 2 entries */
		0x03, 0x00, 0x06, 0x00, 0x81, 0x00, 0x04, 0x00,
		0x01, 0x00, 0, 0,			/* SGL: 1 entry */
		0x00, 0x00, 0x40, 0, 0, 0, 0, 0, 0x00, 0x30, 0, 0, 0, 0, 0, 0,
		0x01, 0x00, 0, 0,			/* attributes: 1 entry */
		0x03, 0x00, 0x81, 0x00,
	};
	static const u8 resources[4 + 44] = {
		1, 0, 0, 0,
		4, 0, 0x81, 0, 0, 0, 0, 0, 0x02, 0, 0, 0,	/* vCPU, label 2 */
		0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,	/* cap */
		0, 0, 0, 0, 0xc2, 0x03, 0, 0,			/* VIRQ 962 */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	static const u8 state[4] = { 0x03, 0x04, 0x42, 0x00 };
	static const u8 handle[4] = { 0x05, 0, 0, 0 };
	static const u8 vmid_resp[4] = { 0x81, 0, 0, 0 };
	struct gunyah_rm *rm = test_rm(test);
	struct gunyah_rm_mem_acl_entry acl[2] = {
		{ .vmid = cpu_to_le16(3), .perms = 6 },
		{ .vmid = cpu_to_le16(0x81), .perms = 4 },
	};
	struct gunyah_rm_mem_entry mem = {
		.phys_addr = cpu_to_le64(0x400000), .size = cpu_to_le64(0x3000),
	};
	struct gunyah_rm_mem_attr_entry attr = {
		.attr = cpu_to_le16(3), .vmid = cpu_to_le16(0x81),
	};
	struct gunyah_rm_mem_parcel parcel = {
		.mem_type = GUNYAH_RM_MEM_TYPE_NORMAL,
		.flags = GUNYAH_RM_MEM_FLAGS_SANITIZE,
		.label = 42,
		.n_acl_entries = 2, .acl_entries = acl,
		.n_mem_entries = 1, .mem_entries = &mem,
		.n_attr_entries = 1, .attr_entries = &attr,
	};
	struct gunyah_rm_range ranges[2] = {
		{ cpu_to_le64(0x80000000), cpu_to_le64(0x1000) },
		{ cpu_to_le64(0x90000000), cpu_to_le64(0x2000) },
	};
	struct gunyah_rm_hyp_resources *res;
	const u16 vmids[2] = { 0x81, 0x82 };
	enum gunyah_rm_vm_status status;
	u16 app, vmid;
	u8 os;

	gunyah_sim_rm_set_profile(*(const enum gunyah_sim_rm_profile *)
				  test->param_value);

	script(test, GUNYAH_RM_RPC_VM_ALLOC_VMID, vmid_resp, 4);
	KUNIT_EXPECT_EQ(test, gunyah_rm_alloc_vmid(rm, 0), 0x81);
	expect_request(test, GUNYAH_RM_RPC_VM_ALLOC_VMID,
		       (const u8[]){ 0, 0, 0, 0 }, 4);

	script(test, GUNYAH_RM_RPC_VM_DEALLOC_VMID, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_dealloc_vmid(rm, 0x81), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_DEALLOC_VMID, vmid_req, 4);

	script(test, GUNYAH_RM_RPC_VM_CONFIG_IMAGE, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_configure(rm, 0x81,
						     GUNYAH_RM_VM_AUTH_QCOM_ANDROID_PVM,
						     0x11223344, 0x1000, 0x2000,
						     0x3000, 0x4000), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_CONFIG_IMAGE, config_req, 40);

	script(test, GUNYAH_RM_RPC_VM_INIT, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_init(rm, 0x81), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_INIT, vmid_req, 4);

	script(test, GUNYAH_RM_RPC_VM_START, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_start(rm, 0x81), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_START, vmid_req, 4);

	script(test, GUNYAH_RM_RPC_VM_STOP, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_stop(rm, 0x81,
						GUNYAH_RM_VM_STOP_FLAG_FORCE_STOP,
						GUNYAH_RM_VM_STOP_REASON_FORCE_STOP),
			0);
	expect_request(test, GUNYAH_RM_RPC_VM_STOP, stop_req, 8);

	script(test, GUNYAH_RM_RPC_VM_RESET, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_reset(rm, 0x81), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_RESET, vmid_req, 4);

	script(test, GUNYAH_RM_RPC_VM_GET_STATE, state, 4);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_get_state(rm, 0x81, &status, &os,
						     &app), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_GET_STATE, vmid_req, 4);
	KUNIT_EXPECT_EQ(test, status, GUNYAH_RM_VM_STATUS_RUNNING);
	KUNIT_EXPECT_EQ(test, os, 4);
	KUNIT_EXPECT_EQ(test, app, 0x42);

	script(test, GUNYAH_RM_RPC_VM_GET_VMID, handle, 4);
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_vmid(rm, &vmid), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_GET_VMID, NULL, 0);
	KUNIT_EXPECT_EQ(test, vmid, 5);

	script(test, GUNYAH_RM_RPC_VM_GET_HYP_RESOURCES, resources,
	       sizeof(resources));
	KUNIT_ASSERT_EQ(test, gunyah_rm_get_hyp_resources(rm, 0x81, &res), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_GET_HYP_RESOURCES, vmid_req, 4);
	KUNIT_ASSERT_EQ(test, le32_to_cpu(res->n_entries), 1);
	KUNIT_EXPECT_EQ(test, res->entries[0].type, GUNYAH_RESOURCE_TYPE_VCPU);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(res->entries[0].partner_vmid), 0x81);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(res->entries[0].resource_label), 2);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(res->entries[0].cap_id),
			0xfedcba9876543210ULL);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(res->entries[0].virq), 962);
	kfree(res);

	/* A count that does not match the reply's size is refused. */
	script(test, GUNYAH_RM_RPC_VM_GET_HYP_RESOURCES, resources, 4 + 43);
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_hyp_resources(rm, 0x81, &res),
			-EBADMSG);

	script(test, GUNYAH_RM_RPC_VM_SET_BOOT_CONTEXT, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_set_boot_context(rm, 0x81,
							    GUNYAH_RM_BOOT_CONTEXT_PC,
							    0, 0x80000000), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_SET_BOOT_CONTEXT, boot_req, 16);

	script(test, GUNYAH_RM_RPC_VM_SET_ADDRESS_LAYOUT, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_set_address_layout(rm, 0x81,
							      GUNYAH_RM_RANGE_ID_FIRMWARE,
							      0x80000000,
							      0x100000), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_SET_ADDRESS_LAYOUT, layout_req,
		       24);

	script(test, GUNYAH_RM_RPC_VM_SET_DEMAND_PAGING, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_set_demand_paging(rm, 0x81, 2,
							     ranges), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_SET_DEMAND_PAGING, paging_req,
		       sizeof(paging_req));

	script(test, GUNYAH_RM_RPC_VM_SET_FIRMWARE_MEM, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_set_firmware_mem(rm, 0x81, 5, 0x1000,
							    0x10000), 0);
	expect_request(test, GUNYAH_RM_RPC_VM_SET_FIRMWARE_MEM, fw_req, 24);

	script(test, GUNYAH_RM_RPC_MEM_SHARE, handle, 4);
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_share(rm, &parcel), 0);
	expect_request(test, GUNYAH_RM_RPC_MEM_SHARE, share_req,
		       sizeof(share_req));
	KUNIT_EXPECT_EQ(test, parcel.mem_handle, 5);

	script(test, GUNYAH_RM_RPC_MEM_LEND, handle, 4);
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_lend(rm, &parcel), 0);
	expect_request(test, GUNYAH_RM_RPC_MEM_LEND, share_req,
		       sizeof(share_req));

	script(test, GUNYAH_RM_RPC_MEM_DONATE, handle, 4);
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_donate(rm, &parcel), 0);
	expect_request(test, GUNYAH_RM_RPC_MEM_DONATE, share_req,
		       sizeof(share_req));

	/* A handle reply of the wrong size is refused. */
	script(test, GUNYAH_RM_RPC_MEM_LEND, handle, 3);
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_lend(rm, &parcel), -EBADMSG);

	script(test, GUNYAH_RM_RPC_MEM_RECLAIM, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_reclaim(rm, 5,
						    GUNYAH_RM_MEM_FLAGS_SANITIZE),
			0);
	expect_request(test, GUNYAH_RM_RPC_MEM_RECLAIM, reclaim_req, 8);

	script(test, GUNYAH_RM_RPC_MEM_NOTIFY, NULL, 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_notify(rm, 5, 1, 0x99, 2, vmids), 0);
	expect_request(test, GUNYAH_RM_RPC_MEM_NOTIFY, notify_req,
		       sizeof(notify_req));

	/* Data in a reply that should have none is refused. */
	script(test, GUNYAH_RM_RPC_VM_START, handle, 4);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_start(rm, 0x81), -EBADMSG);
}

static int wait_vm_status(struct gunyah_rm *rm, u16 vmid,
			  enum gunyah_rm_vm_status want)
{
	enum gunyah_rm_vm_status status = GUNYAH_RM_VM_STATUS_NO_STATE;
	int i, ret = 0;

	for (i = 0; i < 2000; i++) {
		ret = gunyah_rm_vm_get_state(rm, vmid, &status, NULL, NULL);
		if (ret || status == want)
			break;
		usleep_range(1000, 2000);
	}
	return ret ?: status;
}

/* A VM's whole life against the simulated RM's state machine. */
static void gunyah_rm_lifecycle_test(struct kunit *test)
{
	enum gunyah_sim_rm_profile profile =
		*(const enum gunyah_sim_rm_profile *)test->param_value;
	bool full = profile == GUNYAH_SIM_RM_FULL;
	struct gunyah_rm *rm = test_rm(test);
	struct gunyah_rm_mem_acl_entry acl;
	struct gunyah_rm_mem_entry mem;
	struct gunyah_rm_mem_parcel parcel = {};
	/* Without /cpus the simulated RM gives the VM one vCPU. */
	const struct gunyah_sim_vm_dt dt = {};
	struct gunyah_rm_hyp_resources *res;
	struct page *page;
	int vmid, ret;
	u16 self;

	gunyah_sim_rm_set_profile(profile);

	KUNIT_ASSERT_EQ(test, gunyah_rm_get_vmid(rm, &self), 0);
	KUNIT_EXPECT_EQ(test, self, GUNYAH_VMID_HLOS);

	vmid = gunyah_rm_alloc_vmid(rm, 0);
	KUNIT_ASSERT_GE(test, vmid, 0x80);
	KUNIT_ASSERT_LE(test, vmid, 0xbe);
	KUNIT_EXPECT_EQ(test, wait_vm_status(rm, vmid, GUNYAH_RM_VM_STATUS_LOAD),
			GUNYAH_RM_VM_STATUS_LOAD);

	page = alloc_pages(GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* The RM reads the config devicetree at VM_INIT. */
	KUNIT_ASSERT_GT(test, gunyah_sim_vm_dtb(&dt, page_address(page) + PAGE_SIZE,
						PAGE_SIZE), 0);
	acl = (struct gunyah_rm_mem_acl_entry) {
		.vmid = cpu_to_le16(vmid),
		.perms = GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W | GUNYAH_RM_ACL_X,
	};
	mem = (struct gunyah_rm_mem_entry) {
		.phys_addr = cpu_to_le64(page_to_phys(page)),
		.size = cpu_to_le64(4 * PAGE_SIZE),
	};
	parcel = (struct gunyah_rm_mem_parcel) {
		.n_acl_entries = 1, .acl_entries = &acl,
		.n_mem_entries = 1, .mem_entries = &mem,
	};
	/* Sharing requires ourselves in the ACL. */
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_share(rm, &parcel), -EINVAL);
	KUNIT_ASSERT_EQ(test, gunyah_rm_mem_lend(rm, &parcel), 0);

	KUNIT_ASSERT_EQ(test, gunyah_rm_vm_configure(rm, vmid,
						     GUNYAH_RM_VM_AUTH_NONE,
						     parcel.mem_handle, 0, 0,
						     PAGE_SIZE, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, gunyah_rm_vm_init(rm, vmid), 0);
	KUNIT_EXPECT_EQ(test, wait_vm_status(rm, vmid, GUNYAH_RM_VM_STATUS_READY),
			GUNYAH_RM_VM_STATUS_READY);

	/* Optional messages: only the full RM has them. */
	ret = gunyah_rm_vm_set_boot_context(rm, vmid, GUNYAH_RM_BOOT_CONTEXT_PC,
					    0, 0x80000000);
	KUNIT_EXPECT_EQ(test, ret, full ? 0 : -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, gunyah_rm_supports(rm,
						 GUNYAH_RM_RPC_VM_SET_BOOT_CONTEXT),
			full);

	KUNIT_ASSERT_EQ(test, gunyah_rm_get_hyp_resources(rm, vmid, &res), 0);
	KUNIT_EXPECT_GE(test, le32_to_cpu(res->n_entries), 1);
	if (le32_to_cpu(res->n_entries))
		KUNIT_EXPECT_EQ(test, res->entries[0].type,
				GUNYAH_RESOURCE_TYPE_VCPU);
	kfree(res);

	/* A configured VM cannot be deallocated before it is reset. */
	KUNIT_EXPECT_EQ(test, gunyah_rm_dealloc_vmid(rm, vmid), -EBADFD);

	KUNIT_ASSERT_EQ(test, gunyah_rm_vm_start(rm, vmid), 0);
	KUNIT_EXPECT_EQ(test, wait_vm_status(rm, vmid,
					     GUNYAH_RM_VM_STATUS_RUNNING),
			GUNYAH_RM_VM_STATUS_RUNNING);
	KUNIT_ASSERT_EQ(test, gunyah_rm_vm_stop(rm, vmid,
						GUNYAH_RM_VM_STOP_FLAG_FORCE_STOP,
						GUNYAH_RM_VM_STOP_REASON_FORCE_STOP),
			0);
	KUNIT_EXPECT_EQ(test, wait_vm_status(rm, vmid,
					     GUNYAH_RM_VM_STATUS_EXITED),
			GUNYAH_RM_VM_STATUS_EXITED);
	KUNIT_ASSERT_EQ(test, gunyah_rm_vm_reset(rm, vmid), 0);
	KUNIT_EXPECT_EQ(test, wait_vm_status(rm, vmid, GUNYAH_RM_VM_STATUS_RESET),
			GUNYAH_RM_VM_STATUS_RESET);
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_reclaim(rm, parcel.mem_handle, 0),
			0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_dealloc_vmid(rm, vmid), 0);
	__free_pages(page, 2);
}

/*
 * Figures, printed for the note: message-queue sends per call against the
 * minimum (checked), and calls per second (printed only).
 */
static void gunyah_rm_figures_test(struct kunit *test)
{
	static const size_t sizes[] = { 0, 232, 233, 1000, 8192, 14384 };
	struct gunyah_rm *rm = test_rm(test);
	u64 before, elapsed_ns;
	ktime_t start;
	int i, calls = 2000;
	u8 *req;
	u16 vmid;

	req = kunit_kzalloc(test, GUNYAH_RM_MAX_REQUEST_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		before = rm->stats.tx_messages;
		gunyah_rm_call(rm, TEST_MSG_ID, req, sizes[i], NULL, NULL);
		KUNIT_EXPECT_EQ(test, rm->stats.tx_messages - before,
				min_fragments(sizes[i]));
		kunit_info(test, "figure: %zu-byte request: %llu sends (minimum %zu)\n",
			   sizes[i], rm->stats.tx_messages - before,
			   min_fragments(sizes[i]));
	}

	start = ktime_get();
	for (i = 0; i < calls; i++)
		KUNIT_ASSERT_EQ(test, gunyah_rm_get_vmid(rm, &vmid), 0);
	elapsed_ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	kunit_info(test, "figure: %d VM_GET_VMID calls in %llu us: %llu calls/s\n",
		   calls, elapsed_ns / 1000,
		   div64_u64((u64)calls * NSEC_PER_SEC, elapsed_ns ?: 1));
}

static struct kunit_case gunyah_rm_test_cases[] = {
	KUNIT_CASE_PARAM(gunyah_rm_request_fragments_test,
			 request_size_gen_params),
	KUNIT_CASE(gunyah_rm_request_too_big_test),
	KUNIT_CASE_PARAM(gunyah_rm_reply_fragments_test, reply_size_gen_params),
	KUNIT_CASE(gunyah_rm_concurrent_test),
	KUNIT_CASE(gunyah_rm_concurrent_fragments_test),
	KUNIT_CASE(gunyah_rm_one_outstanding_test),
	KUNIT_CASE(gunyah_rm_notification_between_fragments_test),
	KUNIT_CASE(gunyah_rm_sim_notification_test),
	KUNIT_CASE_PARAM(gunyah_rm_error_test, rm_error_gen_params),
	KUNIT_CASE(gunyah_rm_killed_waiter_test),
	KUNIT_CASE(gunyah_rm_corrupt_reply_test),
	KUNIT_CASE(gunyah_rm_full_queue_test),
	KUNIT_CASE_PARAM(gunyah_rm_bad_packet_test, bad_packet_gen_params),
	KUNIT_CASE(gunyah_rm_oversized_test),
	KUNIT_CASE(gunyah_rm_short_reply_test),
	KUNIT_CASE(gunyah_rm_parcel_append_test),
	KUNIT_CASE_PARAM(gunyah_rm_call_layout_test, profile_gen_params),
	KUNIT_CASE_PARAM(gunyah_rm_lifecycle_test, profile_gen_params),
	KUNIT_CASE_SLOW(gunyah_rm_figures_test),
	{}
};

static struct kunit_suite gunyah_rm_suite = {
	.name = "gunyah_rsc_mgr",
	.init = gunyah_rm_test_init,
	.exit = gunyah_rm_test_exit,
	.test_cases = gunyah_rm_test_cases,
};

kunit_test_suite(gunyah_rm_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the Gunyah Resource Manager RPC");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
