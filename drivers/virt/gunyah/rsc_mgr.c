// SPDX-License-Identifier: GPL-2.0-only
/*
 * RPC with the Gunyah Resource Manager.
 *
 * Every message is one or more message-queue messages ("fragments") of at
 * most 240 bytes: an 8-byte header and up to 232 bytes of payload. The first
 * fragment carries the message type and how many continuation fragments
 * follow; the continuations repeat the sequence number and message ID.
 *
 * Requests are numbered with sequence numbers from an xarray and matched to
 * their replies by sequence number and message ID. Callers take turns: the
 * RM keeps one undelivered reply per client and drops it when the next one
 * comes, so only one request is outstanding at a time. The RM neither times
 * out nor retransmits: a waiter can only be killed, and its sequence number
 * stays reserved until the late reply arrives and is dropped.
 */

#include <kunit/visibility.h>
#include <linux/device.h>
#include <linux/gunyah.h>
#include <linux/gunyah_msgq.h>
#include <linux/gunyah_rsc_mgr.h>
#include <linux/mailbox_client.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "rsc_mgr.h"
#include "vm_mgr.h"

#define CREATE_TRACE_POINTS
#include <trace/events/gunyah.h>

EXPORT_TRACEPOINT_SYMBOL_GPL(gunyah_vcpu_run);
EXPORT_TRACEPOINT_SYMBOL_GPL(gunyah_vcpu_exit);
EXPORT_TRACEPOINT_SYMBOL_GPL(gunyah_vcpu_user_exit);

#define GUNYAH_RM_RPC_API_WORDS		0x21	/* API version 1, 2 header words */
#define GUNYAH_RM_RPC_HDR_SIZE		8
#define GUNYAH_RM_RPC_PAYLOAD		(GUNYAH_MSGQ_MAX_MSG_SIZE - \
					 GUNYAH_RM_RPC_HDR_SIZE)
#define GUNYAH_RM_RPC_MAX_CONTINUATIONS	62

#define GUNYAH_RM_RPC_TYPE_MASK		GENMASK(1, 0)
#define GUNYAH_RM_RPC_FRAGMENTS_MASK	GENMASK(7, 2)

enum gunyah_rm_rpc_type {
	GUNYAH_RM_RPC_CONTINUATION	= 0,
	GUNYAH_RM_RPC_REQUEST		= 1,
	GUNYAH_RM_RPC_REPLY		= 2,
	GUNYAH_RM_RPC_NOTIFICATION	= 3,
};

/**
 * struct gunyah_rm_rpc_hdr - Header of every fragment
 * @api: API version and header size in words, always 0x21
 * @type: message type in bits 1:0, continuation count in bits 7:2
 * @seq: sequence number
 * @msg_id: message ID
 */
struct gunyah_rm_rpc_hdr {
	u8 api;
	u8 type;
	__le16 seq;
	__le32 msg_id;
} __packed;

/**
 * struct gunyah_rm_message - A reply or notification being received
 * @msg_id: its message ID
 * @seq: its sequence number
 * @num_fragments: continuations announced by the first fragment
 * @fragments_received: continuations received so far
 * @started: the first fragment of the reply has arrived
 * @abandoned: the caller gave up; the receive path frees the message
 * @payload: the payload (for replies, without the error word)
 * @size: bytes in @payload
 * @capacity: size of @payload's buffer
 * @rm_error: the RM's error code (replies)
 * @ret: a local error that fails the call instead (malformed reply)
 * @done: completed when the reply is complete
 */
struct gunyah_rm_message {
	u32 msg_id;
	u16 seq;
	u8 num_fragments;
	u8 fragments_received;
	bool started;
	bool abandoned;
	void *payload;
	size_t size;
	size_t capacity;
	u32 rm_error;
	int ret;
	struct completion done;
};

/**
 * struct gunyah_rm_notif_work - A notification waiting for delivery
 * @work: runs on the link's notification workqueue
 * @rm: the link
 * @msg: the notification
 */
struct gunyah_rm_notif_work {
	struct work_struct work;
	struct gunyah_rm *rm;
	struct gunyah_rm_message *msg;
};

static const int gunyah_rm_errnos[] = {
	[GUNYAH_RM_ERROR_OK]			= 0,
	[GUNYAH_RM_ERROR_NOMEM]			= -ENOMEM,
	[GUNYAH_RM_ERROR_NORESOURCE]		= -ENOSPC,
	[GUNYAH_RM_ERROR_DENIED]		= -EPERM,
	[GUNYAH_RM_ERROR_MSG_INVALID]		= -EBADMSG,
	[GUNYAH_RM_ERROR_BUSY]			= -EBUSY,
	[GUNYAH_RM_ERROR_ARGUMENT_INVALID]	= -EINVAL,
	[GUNYAH_RM_ERROR_HANDLE_INVALID]	= -ENOENT,
	[GUNYAH_RM_ERROR_VALIDATE_FAILED]	= -EINVAL,
	[GUNYAH_RM_ERROR_MAP_FAILED]		= -EFAULT,
	[GUNYAH_RM_ERROR_MEM_INVALID]		= -EFAULT,
	[GUNYAH_RM_ERROR_MEM_INUSE]		= -EBUSY,
	[GUNYAH_RM_ERROR_MEM_RELEASED]		= -EALREADY,
	[GUNYAH_RM_ERROR_VMID_INVALID]		= -ESRCH,
	[GUNYAH_RM_ERROR_LOOKUP_FAILED]		= -ENOENT,
	[GUNYAH_RM_ERROR_IRQ_INVALID]		= -EINVAL,
	[GUNYAH_RM_ERROR_IRQ_INUSE]		= -EBUSY,
	[GUNYAH_RM_ERROR_IRQ_RELEASED]		= -EALREADY,
	[GUNYAH_RM_ERROR_IN_USE]		= -EBUSY,
	[GUNYAH_RM_ERROR_IRQ_NOT_MAPPED]	= -ENXIO,
	[GUNYAH_RM_ERROR_VM_STATE]		= -EBADFD,
};

/**
 * gunyah_rm_error_remap() - Map an RM error code to a Linux errno
 * @rm_error: the code from the RM's reply
 *
 * Every code the RM defines has its own entry; an unknown code maps to -EIO.
 *
 * Return: 0 for %GUNYAH_RM_ERROR_OK, otherwise a negative errno.
 */
int gunyah_rm_error_remap(enum gunyah_rm_error rm_error)
{
	if (rm_error == GUNYAH_RM_ERROR_UNIMPLEMENTED)
		return -EOPNOTSUPP;
	if (rm_error < ARRAY_SIZE(gunyah_rm_errnos))
		return gunyah_rm_errnos[rm_error];
	return -EIO;
}
EXPORT_SYMBOL_GPL(gunyah_rm_error_remap);

static void gunyah_rm_message_free(struct gunyah_rm_message *msg)
{
	kfree(msg->payload);
	kfree(msg);
}

static void gunyah_rm_drop(struct gunyah_rm *rm, const char *why, u32 msg_id,
			   u16 seq)
{
	rm->stats.dropped++;
	dev_warn_ratelimited(rm->dev,
			     "dropped RM message (%s): id %#x seq %u\n",
			     why, msg_id, seq);
}

/* Make room for the payload of a message announcing num_fragments. */
static int gunyah_rm_message_alloc_payload(struct gunyah_rm_message *msg,
					   u8 num_fragments, size_t first_size)
{
	size_t capacity = first_size + num_fragments * GUNYAH_RM_RPC_PAYLOAD;

	kfree(msg->payload);
	msg->payload = NULL;
	msg->size = 0;
	msg->capacity = 0;
	msg->num_fragments = num_fragments;
	msg->fragments_received = 0;
	if (!capacity)
		return 0;

	msg->payload = kmalloc(capacity, GFP_KERNEL);
	if (!msg->payload)
		return -ENOMEM;
	msg->capacity = capacity;
	return 0;
}

static bool gunyah_rm_message_append(struct gunyah_rm_message *msg,
				     const void *data, size_t size)
{
	if (size > msg->capacity - msg->size)
		return false;
	memcpy(msg->payload + msg->size, data, size);
	msg->size += size;
	return true;
}

static void gunyah_rm_notif_work(struct work_struct *work)
{
	struct gunyah_rm_notif_work *nw =
		container_of(work, struct gunyah_rm_notif_work, work);
	struct gunyah_rm_notification notif = {
		.data = nw->msg->payload,
		.size = nw->msg->size,
	};

	blocking_notifier_call_chain(&nw->rm->notifiers, nw->msg->msg_id,
				     &notif);
	gunyah_rm_message_free(nw->msg);
	kfree(nw);
}

/* Hand a complete notification to the workqueue. Called with recv_lock. */
static void gunyah_rm_deliver_notification(struct gunyah_rm *rm,
					   struct gunyah_rm_message *msg)
{
	struct gunyah_rm_notif_work *nw;

	nw = kzalloc(sizeof(*nw), GFP_KERNEL);
	if (!nw) {
		gunyah_rm_drop(rm, "no memory", msg->msg_id, msg->seq);
		gunyah_rm_message_free(msg);
		return;
	}

	INIT_WORK(&nw->work, gunyah_rm_notif_work);
	nw->rm = rm;
	nw->msg = msg;
	rm->stats.notifications++;
	trace_gunyah_rm_notification(msg->msg_id, msg->size);
	queue_work(rm->notif_wq, &nw->work);
}

/* The reply is complete (or broken): wake its caller. Called with recv_lock. */
static void gunyah_rm_complete_reply(struct gunyah_rm *rm,
				     struct gunyah_rm_message *msg)
{
	xa_erase(&rm->calls, msg->seq);
	if (msg->abandoned)
		gunyah_rm_message_free(msg);
	else
		complete(&msg->done);
}

static void gunyah_rm_start_notification(struct gunyah_rm *rm, u32 msg_id,
					 u16 seq, u8 num_fragments,
					 const void *payload, size_t size)
{
	struct gunyah_rm_message *msg;

	if (rm->partial_notif) {
		gunyah_rm_drop(rm, "incomplete notification",
			       rm->partial_notif->msg_id, rm->partial_notif->seq);
		gunyah_rm_message_free(rm->partial_notif);
		rm->partial_notif = NULL;
	}

	msg = kzalloc(sizeof(*msg), GFP_KERNEL);
	if (!msg || gunyah_rm_message_alloc_payload(msg, num_fragments, size)) {
		kfree(msg);
		gunyah_rm_drop(rm, "no memory", msg_id, seq);
		return;
	}
	msg->msg_id = msg_id;
	msg->seq = seq;
	gunyah_rm_message_append(msg, payload, size);

	if (num_fragments)
		rm->partial_notif = msg;
	else
		gunyah_rm_deliver_notification(rm, msg);
}

static void gunyah_rm_start_reply(struct gunyah_rm *rm, u32 msg_id, u16 seq,
				  u8 num_fragments, const void *payload,
				  size_t size)
{
	struct gunyah_rm_message *msg = xa_load(&rm->calls, seq);

	if (!msg || msg->msg_id != msg_id) {
		gunyah_rm_drop(rm, "reply to no call", msg_id, seq);
		return;
	}
	if (msg->started)
		gunyah_rm_drop(rm, "reply restarted", msg_id, seq);

	msg->started = true;
	if (size < sizeof(__le32)) {
		msg->ret = -EBADMSG;
		gunyah_rm_complete_reply(rm, msg);
		return;
	}
	msg->rm_error = get_unaligned_le32(payload);
	payload += sizeof(__le32);
	size -= sizeof(__le32);

	if (gunyah_rm_message_alloc_payload(msg, num_fragments, size)) {
		msg->ret = -ENOMEM;
		gunyah_rm_complete_reply(rm, msg);
		return;
	}
	gunyah_rm_message_append(msg, payload, size);
	if (!num_fragments)
		gunyah_rm_complete_reply(rm, msg);
}

static void gunyah_rm_continue(struct gunyah_rm *rm, u32 msg_id, u16 seq,
			       u8 num_fragments, const void *payload,
			       size_t size)
{
	struct gunyah_rm_message *msg = xa_load(&rm->calls, seq);
	bool notif = false;

	if (!msg || !msg->started || msg->msg_id != msg_id ||
	    msg->num_fragments != num_fragments ||
	    msg->fragments_received == msg->num_fragments) {
		msg = rm->partial_notif;
		notif = true;
		if (!msg || msg->msg_id != msg_id || msg->seq != seq ||
		    msg->num_fragments != num_fragments) {
			gunyah_rm_drop(rm, "continuation of nothing", msg_id,
				       seq);
			return;
		}
	}

	if (!gunyah_rm_message_append(msg, payload, size)) {
		/* Cannot happen with full-sized fragments; refuse anyway. */
		gunyah_rm_drop(rm, "oversized message", msg_id, seq);
		if (notif) {
			gunyah_rm_message_free(msg);
			rm->partial_notif = NULL;
		} else {
			msg->ret = -EBADMSG;
			gunyah_rm_complete_reply(rm, msg);
		}
		return;
	}

	if (++msg->fragments_received < msg->num_fragments)
		return;

	if (notif) {
		rm->partial_notif = NULL;
		gunyah_rm_deliver_notification(rm, msg);
	} else {
		gunyah_rm_complete_reply(rm, msg);
	}
}

/**
 * gunyah_rm_recv() - Handle one message from the RM's queue
 * @rm: the link
 * @data: the message
 * @size: its size
 *
 * Anything malformed is dropped with a rate-limited warning.
 *
 * Context: Process context; takes and releases @rm->recv_lock.
 */
VISIBLE_IF_KUNIT void gunyah_rm_recv(struct gunyah_rm *rm, const void *data,
				     size_t size)
{
	const struct gunyah_rm_rpc_hdr *hdr = data;
	u8 type, num_fragments;
	u32 msg_id;
	u16 seq;

	mutex_lock(&rm->recv_lock);
	rm->stats.rx_messages++;

	if (size < GUNYAH_RM_RPC_HDR_SIZE || size > GUNYAH_MSGQ_MAX_MSG_SIZE) {
		gunyah_rm_drop(rm, "bad size", 0, 0);
		goto out;
	}

	msg_id = le32_to_cpu(hdr->msg_id);
	seq = le16_to_cpu(hdr->seq);
	if (hdr->api != GUNYAH_RM_RPC_API_WORDS) {
		gunyah_rm_drop(rm, "bad header", msg_id, seq);
		goto out;
	}

	type = FIELD_GET(GUNYAH_RM_RPC_TYPE_MASK, hdr->type);
	num_fragments = FIELD_GET(GUNYAH_RM_RPC_FRAGMENTS_MASK, hdr->type);
	if (num_fragments > GUNYAH_RM_RPC_MAX_CONTINUATIONS) {
		gunyah_rm_drop(rm, "too many fragments", msg_id, seq);
		goto out;
	}

	data += GUNYAH_RM_RPC_HDR_SIZE;
	size -= GUNYAH_RM_RPC_HDR_SIZE;

	switch (type) {
	case GUNYAH_RM_RPC_NOTIFICATION:
		gunyah_rm_start_notification(rm, msg_id, seq, num_fragments,
					     data, size);
		break;
	case GUNYAH_RM_RPC_REPLY:
		gunyah_rm_start_reply(rm, msg_id, seq, num_fragments, data,
				      size);
		break;
	case GUNYAH_RM_RPC_CONTINUATION:
		gunyah_rm_continue(rm, msg_id, seq, num_fragments, data, size);
		break;
	default:
		gunyah_rm_drop(rm, "request from the RM", msg_id, seq);
		break;
	}
out:
	mutex_unlock(&rm->recv_lock);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_rm_recv);

static void gunyah_rm_rx_callback(struct mbox_client *cl, void *mssg)
{
	struct gunyah_rm *rm = container_of(cl, struct gunyah_rm, msgq_client);
	struct gunyah_msgq_rx_data *rx = mssg;

	gunyah_rm_recv(rm, rx->data, rx->length);
}

static void gunyah_rm_tx_done(struct mbox_client *cl, void *mssg, int r)
{
	struct gunyah_rm *rm = container_of(cl, struct gunyah_rm, msgq_client);

	kfree(mssg);
	if (r) {
		dev_warn_ratelimited(rm->dev, "RM message not sent: %d\n", r);
		atomic_set(&rm->tx_error, r);
	}
	atomic_dec(&rm->tx_inflight);
	wake_up(&rm->tx_wq);
}

static int gunyah_rm_wait_tx_idle(struct gunyah_rm *rm)
{
	return wait_event_killable(rm->tx_wq, !atomic_read(&rm->tx_inflight));
}

/*
 * Send a request, one fragment at a time: the mailbox has a short queue of
 * its own, and the RM's queue is only 8 messages deep. Only the last
 * fragment of a multi-fragment request raises the RM's interrupt at once.
 */
static int gunyah_rm_send_request(struct gunyah_rm *rm, u32 msg_id, u16 seq,
				  const void *req, size_t size, bool *sent)
{
	size_t fragments = size ? DIV_ROUND_UP(size, GUNYAH_RM_RPC_PAYLOAD) : 1;
	struct gunyah_msgq_tx_data *frag;
	struct gunyah_rm_rpc_hdr *hdr;
	size_t i, chunk, off = 0;
	int ret;

	ret = mutex_lock_killable(&rm->send_lock);
	if (ret)
		return ret;

	rm->stats.calls++;
	trace_gunyah_rm_send(msg_id, seq, size, fragments);
	for (i = 0; i < fragments; i++) {
		ret = gunyah_rm_wait_tx_idle(rm);
		if (ret)
			goto out;
		if (!i)
			atomic_set(&rm->tx_error, 0);

		chunk = min_t(size_t, size - off, GUNYAH_RM_RPC_PAYLOAD);
		frag = kzalloc(struct_size(frag, data,
					   GUNYAH_RM_RPC_HDR_SIZE + chunk),
			       GFP_KERNEL);
		if (!frag) {
			ret = -ENOMEM;
			goto out;
		}
		frag->length = GUNYAH_RM_RPC_HDR_SIZE + chunk;
		frag->push = fragments > 1 && i == fragments - 1;

		hdr = (struct gunyah_rm_rpc_hdr *)frag->data;
		hdr->api = GUNYAH_RM_RPC_API_WORDS;
		hdr->type = FIELD_PREP(GUNYAH_RM_RPC_TYPE_MASK,
				       i ? GUNYAH_RM_RPC_CONTINUATION :
					   GUNYAH_RM_RPC_REQUEST) |
			    FIELD_PREP(GUNYAH_RM_RPC_FRAGMENTS_MASK,
				       fragments - 1);
		hdr->seq = cpu_to_le16(seq);
		hdr->msg_id = cpu_to_le32(msg_id);
		memcpy(frag->data + GUNYAH_RM_RPC_HDR_SIZE, req + off, chunk);
		off += chunk;

		atomic_inc(&rm->tx_inflight);
		ret = mbox_send_message(gunyah_msgq_chan(&rm->msgq), frag);
		if (ret < 0) {
			atomic_dec(&rm->tx_inflight);
			kfree(frag);
			goto out;
		}
		*sent = true;
		rm->stats.tx_messages++;
	}

	/* Report a fragment the hypervisor refused. */
	ret = gunyah_rm_wait_tx_idle(rm);
	if (!ret)
		ret = atomic_read(&rm->tx_error);
out:
	mutex_unlock(&rm->send_lock);
	return ret;
}

/**
 * gunyah_rm_call() - Send a request to the RM and wait for its reply
 * @rm: the link to the RM
 * @message_id: the request's message ID (not 0)
 * @req: the request payload
 * @req_size: size of @req, at most %GUNYAH_RM_MAX_REQUEST_SIZE
 * @resp: if not NULL, set to the reply's payload (after the error code), to
 *        be freed with kfree(), or NULL when the reply has none
 * @resp_size: if not NULL, set to the size of the reply's payload
 *
 * Callers take turns: a request is sent only once the previous caller has
 * its reply (or was killed), as the RM expects of its clients. The RM never
 * times out, so the wait can only be cut short by a fatal signal.
 *
 * Context: Process context; sleeps.
 * Return: 0 on success; the RM's error mapped by gunyah_rm_error_remap();
 * -E2BIG if the request is too large (nothing is sent); -EBADMSG for a
 * malformed reply; -EINTR if the caller was killed.
 */
int gunyah_rm_call(struct gunyah_rm *rm, u32 message_id, const void *req,
		   size_t req_size, void **resp, size_t *resp_size)
{
	struct gunyah_rm_message *msg;
	bool sent = false, abandoned;
	u32 seq;
	int ret;

	if (resp)
		*resp = NULL;
	if (resp_size)
		*resp_size = 0;
	if (!message_id || (req_size && !req))
		return -EINVAL;
	if (req_size > GUNYAH_RM_MAX_REQUEST_SIZE)
		return -E2BIG;

	msg = kzalloc(sizeof(*msg), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	msg->msg_id = message_id;
	init_completion(&msg->done);

	ret = mutex_lock_killable(&rm->call_lock);
	if (ret)
		goto err_free;

	ret = xa_alloc_cyclic(&rm->calls, &seq, msg, XA_LIMIT(0, U16_MAX),
			      &rm->next_seq, GFP_KERNEL);
	if (ret < 0) {
		mutex_unlock(&rm->call_lock);
		goto err_free;
	}
	msg->seq = seq;

	ret = gunyah_rm_send_request(rm, message_id, seq, req, req_size, &sent);
	if (!ret)
		ret = wait_for_completion_killable(&msg->done);
	/* Ours came, or we gave up on it: a reply dropped now is not awaited. */
	mutex_unlock(&rm->call_lock);

	if (ret) {
		mutex_lock(&rm->recv_lock);
		abandoned = false;
		if (completion_done(&msg->done)) {
			/* The reply came after all: use it. */
			ret = 0;
		} else if (sent) {
			/*
			 * A reply may still come: keep the sequence number
			 * until it does, then the receive path frees it.
			 */
			msg->abandoned = true;
			abandoned = true;
		} else {
			xa_erase(&rm->calls, seq);
		}
		mutex_unlock(&rm->recv_lock);
		if (abandoned)
			return fatal_signal_pending(current) ? -EINTR : ret;
		if (ret)
			goto err_free;
	}

	ret = msg->ret;
	if (ret)
		goto err_free;

	if (msg->rm_error != GUNYAH_RM_ERROR_OK) {
		trace_gunyah_rm_reply_error(message_id, msg->seq, msg->rm_error);
		if (msg->rm_error == GUNYAH_RM_ERROR_UNIMPLEMENTED)
			xa_store(&rm->unsupported, message_id, xa_mk_value(1),
				 GFP_KERNEL);
		ret = gunyah_rm_error_remap(msg->rm_error);
		dev_dbg(rm->dev, "RM message %#x failed: RM error %#x\n",
			message_id, msg->rm_error);
		goto err_free;
	}

	if (resp && msg->size) {
		*resp = msg->payload;
		msg->payload = NULL;
	}
	if (resp_size)
		*resp_size = resp ? msg->size : 0;

err_free:
	gunyah_rm_message_free(msg);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_rm_call);

/**
 * gunyah_rm_supports() - Whether the RM handles a message
 * @rm: the link to the RM
 * @message_id: the message ID
 *
 * Return: false once the RM answered @message_id with UNIMPLEMENTED.
 */
bool gunyah_rm_supports(struct gunyah_rm *rm, u32 message_id)
{
	return !xa_load(&rm->unsupported, message_id);
}
EXPORT_SYMBOL_GPL(gunyah_rm_supports);

/**
 * gunyah_rm_notifier_register() - Receive the RM's notifications
 * @rm: the link to the RM
 * @nb: notifier; its action is the message ID and its data a
 *      &struct gunyah_rm_notification, valid during the call only
 *
 * Notifications are delivered in order from a workqueue, so a notifier may
 * call gunyah_rm_call().
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_notifier_register(struct gunyah_rm *rm, struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&rm->notifiers, nb);
}
EXPORT_SYMBOL_GPL(gunyah_rm_notifier_register);

/**
 * gunyah_rm_notifier_unregister() - Stop receiving the RM's notifications
 * @rm: the link to the RM
 * @nb: notifier given to gunyah_rm_notifier_register()
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_notifier_unregister(struct gunyah_rm *rm,
				  struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&rm->notifiers, nb);
}
EXPORT_SYMBOL_GPL(gunyah_rm_notifier_unregister);

/**
 * gunyah_rm_init() - Set up a link to an RM over two message queues
 * @rm: the link; lives until gunyah_rm_teardown()
 * @dev: the device that owns the link
 * @tx_capid: capability of the queue to the RM
 * @tx_irq: its "not full" interrupt
 * @rx_capid: capability of the queue from the RM
 * @rx_irq: its "not empty" interrupt
 *
 * Context: Process context.
 * Return: 0 on success or a negative errno.
 */
VISIBLE_IF_KUNIT int gunyah_rm_init(struct gunyah_rm *rm, struct device *dev,
				    u64 tx_capid, int tx_irq, u64 rx_capid,
				    int rx_irq)
{
	int ret;

	rm->dev = dev;
	xa_init_flags(&rm->calls, XA_FLAGS_ALLOC);
	xa_init(&rm->unsupported);
	mutex_init(&rm->call_lock);
	mutex_init(&rm->send_lock);
	mutex_init(&rm->recv_lock);
	atomic_set(&rm->tx_inflight, 0);
	atomic_set(&rm->tx_error, 0);
	init_waitqueue_head(&rm->tx_wq);
	BLOCKING_INIT_NOTIFIER_HEAD(&rm->notifiers);

	rm->notif_wq = alloc_ordered_workqueue("gunyah_rm_notif", 0);
	if (!rm->notif_wq)
		return -ENOMEM;

	ret = gunyah_msgq_init(dev, &rm->msgq, tx_capid, tx_irq, rx_capid,
			       rx_irq);
	if (ret)
		goto err_destroy_wq;

	rm->msgq_client.dev = dev;
	rm->msgq_client.tx_block = false;
	rm->msgq_client.knows_txdone = false;
	rm->msgq_client.rx_callback = gunyah_rm_rx_callback;
	rm->msgq_client.tx_done = gunyah_rm_tx_done;
	ret = mbox_bind_client(gunyah_msgq_chan(&rm->msgq), &rm->msgq_client);
	if (ret)
		goto err_remove_msgq;

	/*
	 * Binding pinned the module of @dev's driver as the mailbox's
	 * provider. That driver is this client itself, which could then never
	 * be unloaded; the link goes away in its remove, before the module
	 * can, so drop the reference (and take it back in teardown).
	 */
	module_put(dev->driver->owner);
	return 0;

err_remove_msgq:
	gunyah_msgq_remove(&rm->msgq);
err_destroy_wq:
	destroy_workqueue(rm->notif_wq);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_rm_init);

/**
 * gunyah_rm_teardown() - Take down a link set up by gunyah_rm_init()
 * @rm: the link
 *
 * Callers still waiting are failed with -ENODEV; notifications already
 * received are delivered first.
 *
 * Context: Process context; sleeps.
 */
VISIBLE_IF_KUNIT void gunyah_rm_teardown(struct gunyah_rm *rm)
{
	struct gunyah_rm_message *msg;
	unsigned long seq;

	__module_get(rm->dev->driver->owner);
	mbox_free_channel(gunyah_msgq_chan(&rm->msgq));
	gunyah_msgq_remove(&rm->msgq);
	destroy_workqueue(rm->notif_wq);

	mutex_lock(&rm->recv_lock);
	xa_for_each(&rm->calls, seq, msg) {
		xa_erase(&rm->calls, seq);
		if (msg->abandoned) {
			gunyah_rm_message_free(msg);
		} else {
			msg->ret = -ENODEV;
			complete(&msg->done);
		}
	}
	if (rm->partial_notif)
		gunyah_rm_message_free(rm->partial_notif);
	rm->partial_notif = NULL;
	mutex_unlock(&rm->recv_lock);

	xa_destroy(&rm->calls);
	xa_destroy(&rm->unsupported);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_rm_teardown);

/**
 * struct gunyah_rm_device - What the RM's device drives
 * @rm: the link to the RM
 * @vm_mgr: the VM manager, /dev/gunyah
 */
struct gunyah_rm_device {
	struct gunyah_rm rm;
	struct gunyah_vm_manager vm_mgr;
};

static int gunyah_rm_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct gunyah_rm_device *rmdev;
	u64 tx_capid, rx_capid;
	int tx_irq, rx_irq;
	int ret;

	if (!gunyah_has_feature(GUNYAH_FEATURE_MSGQUEUE))
		return dev_err_probe(dev, -EOPNOTSUPP,
				     "hypervisor has no message queues\n");

	ret = of_property_read_u64_index(dev->of_node, "reg", 0, &tx_capid);
	if (ret)
		return dev_err_probe(dev, ret, "no TX capability\n");
	ret = of_property_read_u64_index(dev->of_node, "reg", 1, &rx_capid);
	if (ret)
		return dev_err_probe(dev, ret, "no RX capability\n");

	tx_irq = platform_get_irq(pdev, 0);
	if (tx_irq < 0)
		return tx_irq;
	rx_irq = platform_get_irq(pdev, 1);
	if (rx_irq < 0)
		return rx_irq;

	rmdev = devm_kzalloc(dev, sizeof(*rmdev), GFP_KERNEL);
	if (!rmdev)
		return -ENOMEM;

	ret = gunyah_rm_init(&rmdev->rm, dev, tx_capid, tx_irq, rx_capid,
			     rx_irq);
	if (ret)
		return dev_err_probe(dev, ret, "cannot reach the RM\n");

	ret = gunyah_vm_manager_register(&rmdev->vm_mgr, &rmdev->rm);
	if (ret) {
		gunyah_rm_teardown(&rmdev->rm);
		return dev_err_probe(dev, ret, "cannot create /dev/gunyah\n");
	}

	platform_set_drvdata(pdev, rmdev);
	return 0;
}

static void gunyah_rm_remove(struct platform_device *pdev)
{
	struct gunyah_rm_device *rmdev = platform_get_drvdata(pdev);

	gunyah_vm_manager_unregister(&rmdev->vm_mgr);

	gunyah_rm_teardown(&rmdev->rm);
}

static const struct of_device_id gunyah_rm_of_match[] = {
	{ .compatible = "gunyah-resource-manager" },
	{}
};
MODULE_DEVICE_TABLE(of, gunyah_rm_of_match);

static struct platform_driver gunyah_rm_driver = {
	.probe = gunyah_rm_probe,
	.remove = gunyah_rm_remove,
	.driver = {
		.name = "gunyah_rsc_mgr",
		.of_match_table = gunyah_rm_of_match,
		/* VMs refer to the RM: it goes only with the module. */
		.suppress_bind_attrs = true,
	},
};
module_platform_driver(gunyah_rm_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah Resource Manager RPC");
