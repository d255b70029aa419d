// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mailbox controller over Gunyah message queues.
 *
 * A Gunyah message queue is unidirectional: one VM sends, another receives,
 * each through its own capability. A mailbox here pairs two of them, the one
 * Linux sends on and the one it receives from, into a single channel.
 *
 * The queue's interrupts fire on threshold crossings, like edges: the TX
 * "not full" interrupt when a full queue drains by one message, the RX "not
 * empty" interrupt when an empty queue gets a message. So the TX side
 * remembers that the queue was full and waits for the interrupt, and the RX
 * side drains the queue until the hypervisor says it is empty.
 */

#include <linux/device.h>
#include <linux/gunyah.h>
#include <linux/gunyah_msgq.h>
#include <linux/interrupt.h>
#include <linux/mailbox_controller.h>
#include <linux/module.h>
#include <linux/printk.h>

static struct gunyah_msgq *to_gunyah_msgq(struct mbox_chan *chan)
{
	return container_of(chan->mbox, struct gunyah_msgq, mbox);
}

/*
 * The mailbox framework wants TX done reported after send_data() returns,
 * but the hypervisor tells us at once whether the queue has room for more.
 * Report it from the BH workqueue.
 */
static void gunyah_msgq_txdone_work(struct work_struct *work)
{
	struct gunyah_msgq *msgq = container_of(work, struct gunyah_msgq,
						txdone_work);

	mbox_chan_txdone(&msgq->chan, READ_ONCE(msgq->txdone_ret));
}

/* The TX queue drained below full: what waited for room can go. */
static irqreturn_t gunyah_msgq_tx_irq(int irq, void *data)
{
	struct gunyah_msgq *msgq = data;

	mbox_chan_txdone(&msgq->chan, 0);

	return IRQ_HANDLED;
}

static irqreturn_t gunyah_msgq_rx_thread(int irq, void *data)
{
	struct gunyah_msgq *msgq = data;
	struct gunyah_msgq_rx_data *rx = &msgq->rx_data;
	enum gunyah_error err;
	bool ready;

	do {
		err = gunyah_hypercall_msgq_recv(msgq->rx_capid, rx->data,
						 sizeof(rx->data), &rx->length,
						 &ready);
		if (err != GUNYAH_ERROR_OK) {
			if (err != GUNYAH_ERROR_MSGQUEUE_EMPTY)
				dev_warn_ratelimited(msgq->mbox.dev,
						     "message queue receive failed: %d\n",
						     gunyah_error_remap(err));
			break;
		}
		/* A message longer than the buffer stays queued: give up. */
		if (!rx->length) {
			dev_warn_ratelimited(msgq->mbox.dev,
					     "message larger than %zu bytes\n",
					     sizeof(rx->data));
			break;
		}
		mbox_chan_received_data(&msgq->chan, rx);
	} while (ready);

	return IRQ_HANDLED;
}

static int gunyah_msgq_send_data(struct mbox_chan *chan, void *data)
{
	struct gunyah_msgq *msgq = to_gunyah_msgq(chan);
	struct gunyah_msgq_tx_data *msg = data;
	enum gunyah_error err;
	bool ready;

	/*
	 * The hypervisor answers OK to a message of a bad size and drops it,
	 * so check here; the message is consumed and fails.
	 */
	if (!msg->length || msg->length > GUNYAH_MSGQ_MAX_MSG_SIZE) {
		WRITE_ONCE(msgq->txdone_ret, -EMSGSIZE);
		queue_work(system_bh_wq, &msgq->txdone_work);
		return 0;
	}

	err = gunyah_hypercall_msgq_send(msgq->tx_capid, msg->length, msg->data,
					 msg->push ? GUNYAH_HYPERCALL_MSGQ_TX_FLAGS_PUSH : 0,
					 &ready);

	/*
	 * Full: the message stays first in the framework's queue and goes
	 * again when the TX interrupt says there is room.
	 */
	if (err == GUNYAH_ERROR_MSGQUEUE_FULL)
		return -EAGAIN;

	/* Sent, and it filled the queue: TX done comes with the interrupt. */
	if (err == GUNYAH_ERROR_OK && !ready)
		return 0;

	WRITE_ONCE(msgq->txdone_ret, gunyah_error_remap(err));
	queue_work(system_bh_wq, &msgq->txdone_work);
	return 0;
}

static int gunyah_msgq_startup(struct mbox_chan *chan)
{
	struct gunyah_msgq *msgq = to_gunyah_msgq(chan);
	int ret;

	ret = request_irq(msgq->tx_irq, gunyah_msgq_tx_irq, 0,
			  "gunyah-msgq-tx", msgq);
	if (ret)
		return ret;

	ret = request_threaded_irq(msgq->rx_irq, NULL, gunyah_msgq_rx_thread,
				   IRQF_ONESHOT, "gunyah-msgq-rx", msgq);
	if (ret)
		goto err_free_tx;

	return 0;

err_free_tx:
	free_irq(msgq->tx_irq, msgq);
	return ret;
}

static void gunyah_msgq_shutdown(struct mbox_chan *chan)
{
	struct gunyah_msgq *msgq = to_gunyah_msgq(chan);

	free_irq(msgq->rx_irq, msgq);
	free_irq(msgq->tx_irq, msgq);
	cancel_work_sync(&msgq->txdone_work);
}

static const struct mbox_chan_ops gunyah_msgq_ops = {
	.send_data = gunyah_msgq_send_data,
	.startup = gunyah_msgq_startup,
	.shutdown = gunyah_msgq_shutdown,
};

/**
 * gunyah_msgq_init() - Register a mailbox over two message queues
 * @parent: device that owns the mailbox
 * @msgq: the mailbox to set up; lives until gunyah_msgq_remove()
 * @tx_capid: capability of the queue to send on (with the send right)
 * @tx_irq: Linux IRQ of that queue's "not full" interrupt
 * @rx_capid: capability of the queue to receive from (receive right)
 * @rx_irq: Linux IRQ of that queue's "not empty" interrupt
 *
 * The interrupts are requested when a client binds to the channel with
 * mbox_bind_client() and released when it is freed.
 *
 * Context: Process context.
 * Return: 0 on success or a negative errno.
 */
int gunyah_msgq_init(struct device *parent, struct gunyah_msgq *msgq,
		     u64 tx_capid, int tx_irq, u64 rx_capid, int rx_irq)
{
	if (tx_capid == GUNYAH_CAPID_INVAL || rx_capid == GUNYAH_CAPID_INVAL ||
	    tx_irq <= 0 || rx_irq <= 0)
		return -EINVAL;

	memset(msgq, 0, sizeof(*msgq));
	msgq->tx_capid = tx_capid;
	msgq->rx_capid = rx_capid;
	msgq->tx_irq = tx_irq;
	msgq->rx_irq = rx_irq;
	INIT_WORK(&msgq->txdone_work, gunyah_msgq_txdone_work);

	msgq->mbox.dev = parent;
	msgq->mbox.ops = &gunyah_msgq_ops;
	msgq->mbox.chans = &msgq->chan;
	msgq->mbox.num_chans = 1;
	msgq->mbox.txdone_irq = true;

	return mbox_controller_register(&msgq->mbox);
}
EXPORT_SYMBOL_GPL(gunyah_msgq_init);

/**
 * gunyah_msgq_remove() - Unregister a message-queue mailbox
 * @msgq: the mailbox given to gunyah_msgq_init()
 *
 * Frees the channel (and so its interrupts) if a client is still bound.
 *
 * Context: Process context; may sleep.
 */
void gunyah_msgq_remove(struct gunyah_msgq *msgq)
{
	mbox_controller_unregister(&msgq->mbox);
}
EXPORT_SYMBOL_GPL(gunyah_msgq_remove);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah message queue mailbox");
