/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the Gunyah Resource Manager RPC, shared with its tests.
 */

#ifndef _GUNYAH_RSC_MGR_PRIV_H
#define _GUNYAH_RSC_MGR_PRIV_H

#include <linux/gunyah_msgq.h>
#include <linux/gunyah_rsc_mgr.h>
#include <linux/mailbox_client.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

struct gunyah_rm_message;

/**
 * struct gunyah_rm_stats - Traffic counters of one RM link
 * @calls: requests sent
 * @tx_messages: message-queue messages sent
 * @rx_messages: message-queue messages received
 * @dropped: received messages dropped as malformed or unexpected
 * @notifications: notifications delivered
 */
struct gunyah_rm_stats {
	u64 calls;
	u64 tx_messages;
	u64 rx_messages;
	u64 dropped;
	u64 notifications;
};

/**
 * struct gunyah_rm - One link to a Resource Manager
 * @dev: the device the link belongs to
 * @msgq: the message-queue mailbox to the RM
 * @msgq_client: our client of @msgq
 * @calls: calls waiting for a reply, by sequence number; the xarray's lock
 *         guards insertion and removal, @recv_lock the messages' contents
 * @next_seq: next sequence number to try, for cyclic allocation
 * @call_lock: held by the one caller whose request is outstanding: the RM
 *             keeps a single undelivered reply per client and drops it when
 *             the next reply comes, so no live caller may share the wait
 * @send_lock: held across all fragments of one request, so that two
 *             requests never interleave
 * @tx_inflight: fragments handed to the mailbox and not yet done (0 or 1)
 * @tx_error: error reported for a fragment since the last request began
 * @tx_wq: woken when a fragment is done
 * @recv_lock: serialises received messages against waiters giving up
 * @partial_notif: notification being reassembled, under @recv_lock
 * @notif_wq: delivers notifications in order, outside the receive path
 * @notifiers: notifier chain of RM notifications
 * @unsupported: message IDs the RM answered with UNIMPLEMENTED
 * @stats: traffic counters, updated under @recv_lock (RX) or @send_lock (TX)
 */
struct gunyah_rm {
	struct device *dev;
	struct gunyah_msgq msgq;
	struct mbox_client msgq_client;

	struct xarray calls;
	u32 next_seq;

	struct mutex call_lock;	/* one outstanding request at a time */
	struct mutex send_lock;	/* one request's fragments at a time */
	atomic_t tx_inflight;
	atomic_t tx_error;
	wait_queue_head_t tx_wq;

	struct mutex recv_lock;	/* received messages vs. waiters */
	struct gunyah_rm_message *partial_notif;
	struct workqueue_struct *notif_wq;
	struct blocking_notifier_head notifiers;

	struct xarray unsupported;
	struct gunyah_rm_stats stats;
};

int gunyah_rm_init(struct gunyah_rm *rm, struct device *dev, u64 tx_capid,
		   int tx_irq, u64 rx_capid, int rx_irq);
void gunyah_rm_teardown(struct gunyah_rm *rm);
void gunyah_rm_recv(struct gunyah_rm *rm, const void *data, size_t size);

#endif
