/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mailbox controller over a pair of Gunyah message queues.
 */

#ifndef _LINUX_GUNYAH_MSGQ_H
#define _LINUX_GUNYAH_MSGQ_H

#include <linux/mailbox_controller.h>
#include <linux/types.h>
#include <linux/workqueue.h>

/* Largest message a Gunyah message queue carries to or from Linux. */
#define GUNYAH_MSGQ_MAX_MSG_SIZE	240

/**
 * struct gunyah_msgq_tx_data - A message to send
 * @length: number of bytes in @data, 1 to %GUNYAH_MSGQ_MAX_MSG_SIZE
 * @push: raise the receiver's interrupt now rather than at its threshold
 * @data: the message
 *
 * Passed to mbox_send_message(); owned by the sender until its tx_done
 * callback runs for it.
 */
struct gunyah_msgq_tx_data {
	size_t length;
	bool push;
	u8 data[] __counted_by(length);
};

/**
 * struct gunyah_msgq_rx_data - A received message
 * @length: number of bytes in @data
 * @data: the message
 *
 * Given to the client's rx_callback, which runs in process context (a
 * threaded interrupt handler) and must copy what it keeps.
 */
struct gunyah_msgq_rx_data {
	size_t length;
	u8 data[GUNYAH_MSGQ_MAX_MSG_SIZE];
};

/**
 * struct gunyah_msgq - A mailbox controller over two message queues
 * @mbox: the controller, with the single channel @chan
 * @chan: the channel clients bind to with mbox_bind_client()
 * @tx_capid: capability of the queue Linux sends on
 * @rx_capid: capability of the queue Linux receives from
 * @tx_irq: "not full" interrupt of the TX queue
 * @rx_irq: "not empty" interrupt of the RX queue
 * @txdone_work: reports TX done outside send_data(), on the BH workqueue
 * @txdone_ret: result to report with the next TX done
 * @rx_data: buffer for received messages, used by the RX thread only
 */
struct gunyah_msgq {
	struct mbox_controller mbox;
	struct mbox_chan chan;
	u64 tx_capid;
	u64 rx_capid;
	int tx_irq;
	int rx_irq;
	struct work_struct txdone_work;
	int txdone_ret;
	struct gunyah_msgq_rx_data rx_data;
};

int gunyah_msgq_init(struct device *parent, struct gunyah_msgq *msgq,
		     u64 tx_capid, int tx_irq, u64 rx_capid, int rx_irq);
void gunyah_msgq_remove(struct gunyah_msgq *msgq);

/**
 * gunyah_msgq_chan() - The channel of a message-queue mailbox
 * @msgq: the mailbox
 *
 * Return: the channel to give to mbox_bind_client().
 */
static inline struct mbox_chan *gunyah_msgq_chan(struct gunyah_msgq *msgq)
{
	return &msgq->chan;
}

#endif
