// SPDX-License-Identifier: GPL-2.0-only
/*
 * Message queues of the simulated Gunyah hypervisor.
 *
 * A queue is unidirectional: the host holds one capability to it, with the
 * right to send or to receive, and the other end belongs to the simulated
 * Resource Manager, which uses the queue directly. Interrupts are edge-like:
 * the receiver is told when a send makes the count reach one (or the sender
 * asks with PUSH), the sender when a receive makes the queue stop being full.
 */

#include <linux/gunyah.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim_internal.h"

#define GUNYAH_SIM_MSGQ_PUSH	BIT(0)

static void gunyah_sim_msgq_release(struct gunyah_sim_object *obj)
{
	struct gunyah_sim_msgq *q = container_of(obj, struct gunyah_sim_msgq,
						 obj);

	kfree(q->data);
	kfree(q->sizes);
	kfree(q);
}

/**
 * gunyah_sim_msgq_create() - Create a message queue
 * @depth: how many messages fit (1..255)
 * @max_size: the largest message in bytes (1..1023)
 * @rights: rights of the host's capability to it
 *
 * Return: the queue with one reference, or NULL.
 */
struct gunyah_sim_msgq *gunyah_sim_msgq_create(u16 depth, u16 max_size,
					       u32 rights)
{
	struct gunyah_sim_msgq *q;

	if (!depth || depth > GUNYAH_SIM_MSGQ_MAX_DEPTH || !max_size ||
	    max_size > GUNYAH_SIM_MSGQ_MAX_SIZE)
		return NULL;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return NULL;

	q->sizes = kcalloc(depth, sizeof(*q->sizes), GFP_KERNEL);
	if (!q->sizes)
		goto err_free_q;
	q->data = kcalloc(depth, max_size, GFP_KERNEL);
	if (!q->data)
		goto err_free_sizes;

	spin_lock_init(&q->lock);
	q->depth = depth;
	q->max_size = max_size;
	gunyah_sim_object_init(&q->obj, GUNYAH_SIM_OBJ_MSGQUEUE, rights,
			       gunyah_sim_msgq_release);
	return q;

err_free_sizes:
	kfree(q->sizes);
err_free_q:
	kfree(q);
	return NULL;
}

/**
 * gunyah_sim_msgq_set_callbacks() - Choose whom a queue tells about changes
 * @q: the queue
 * @not_empty: told that the receiver has messages waiting, or NULL
 * @not_full: told that the sender may send again, or NULL
 * @ctx: their argument
 *
 * Once this returns with NULL callbacks, no old callback is running any more.
 *
 * Context: process context, may sleep.
 */
void gunyah_sim_msgq_set_callbacks(struct gunyah_sim_msgq *q,
				   void (*not_empty)(void *ctx),
				   void (*not_full)(void *ctx), void *ctx)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	WRITE_ONCE(q->not_empty, not_empty);
	WRITE_ONCE(q->not_full, not_full);
	WRITE_ONCE(q->ctx, ctx);
	spin_unlock_irqrestore(&q->lock, flags);

	/* Callbacks run under RCU: wait for those that saw the old ones. */
	synchronize_rcu();
}

static void gunyah_sim_msgq_notify(struct gunyah_sim_msgq *q, bool receiver)
{
	void (*fn)(void *ctx);

	rcu_read_lock();
	fn = receiver ? READ_ONCE(q->not_empty) : READ_ONCE(q->not_full);
	if (fn)
		fn(READ_ONCE(q->ctx));
	rcu_read_unlock();
}

/**
 * gunyah_sim_msgq_put() - Send one message, as msgq_send does
 * @q: the queue
 * @buf: the message
 * @size: its size
 * @push: raise the receiver's interrupt whatever the count
 * @not_full: set to whether the queue can take another message
 *
 * As in the hypervisor's source, a message of size 0 or larger than the
 * queue's maximum is not an error: nothing is queued and the queue is
 * reported not full.
 *
 * Context: any.
 * Return: GUNYAH_ERROR_OK or GUNYAH_ERROR_MSGQUEUE_FULL.
 */
unsigned long gunyah_sim_msgq_put(struct gunyah_sim_msgq *q, const void *buf,
				  size_t size, bool push, bool *not_full)
{
	bool notify = false;
	unsigned long flags;
	unsigned int slot;

	spin_lock_irqsave(&q->lock, flags);
	if (q->count == q->depth) {
		spin_unlock_irqrestore(&q->lock, flags);
		*not_full = false;
		return GUNYAH_ERROR_MSGQUEUE_FULL;
	}
	if (!size || size > q->max_size) {
		spin_unlock_irqrestore(&q->lock, flags);
		*not_full = true;
		return GUNYAH_ERROR_OK;
	}

	slot = (q->head + q->count) % q->depth;
	memcpy(q->data + slot * q->max_size, buf, size);
	q->sizes[slot] = size;
	q->count++;
	notify = push || q->count == 1;
	*not_full = q->count < q->depth;
	spin_unlock_irqrestore(&q->lock, flags);

	if (notify)
		gunyah_sim_msgq_notify(q, true);
	return GUNYAH_ERROR_OK;
}

/**
 * gunyah_sim_msgq_get() - Receive one message, as msgq_recv does
 * @q: the queue
 * @buf: where to put the message
 * @buf_size: room in @buf
 * @size: set to the message's size; 0 if @buf is too small, in which case
 *        the message stays at the head of the queue
 * @not_empty: set to whether more messages remain
 *
 * Context: any.
 * Return: GUNYAH_ERROR_OK or GUNYAH_ERROR_MSGQUEUE_EMPTY.
 */
unsigned long gunyah_sim_msgq_get(struct gunyah_sim_msgq *q, void *buf,
				  size_t buf_size, size_t *size,
				  bool *not_empty)
{
	bool notify = false;
	unsigned long flags;
	u16 msg_size;

	*size = 0;
	spin_lock_irqsave(&q->lock, flags);
	if (!q->count) {
		spin_unlock_irqrestore(&q->lock, flags);
		*not_empty = false;
		return GUNYAH_ERROR_MSGQUEUE_EMPTY;
	}

	msg_size = q->sizes[q->head];
	if (msg_size <= buf_size) {
		memcpy(buf, q->data + q->head * q->max_size, msg_size);
		*size = msg_size;
		q->head = (q->head + 1) % q->depth;
		q->count--;
		notify = q->count == q->depth - 1;
	}
	*not_empty = q->count > 0;
	spin_unlock_irqrestore(&q->lock, flags);

	if (notify)
		gunyah_sim_msgq_notify(q, false);
	return GUNYAH_ERROR_OK;
}

/**
 * gunyah_sim_msgq_hvc_send() - The msgq_send hypercall
 * @sim: the simulated hypervisor
 * @args: X1 capability, X2 size, X3 kernel VA of the message, X4 flags
 * @res: X0 error, X1 not_full
 */
void gunyah_sim_msgq_hvc_send(struct gunyah_sim *sim,
			      const struct arm_smccc_1_2_regs *args,
			      struct arm_smccc_1_2_regs *res)
{
	struct gunyah_sim_object *obj;
	struct gunyah_sim_msgq *q;
	bool not_full = false;

	obj = gunyah_sim_cap_get(sim, args->a1, GUNYAH_SIM_OBJ_MSGQUEUE,
				 GUNYAH_SIM_MSGQ_SEND, &res->a0);
	if (!obj)
		return;
	q = container_of(obj, struct gunyah_sim_msgq, obj);

	if (args->a4 & ~GUNYAH_SIM_MSGQ_PUSH)
		res->a0 = GUNYAH_ERROR_ARG_INVAL;
	else if (args->a2 > q->max_size)
		/* The source quirk: nothing queued, yet no error. */
		res->a0 = gunyah_sim_msgq_put(q, NULL, 0, false, &not_full);
	else
		res->a0 = gunyah_sim_msgq_put(q, (const void *)args->a3,
					      args->a2,
					      args->a4 & GUNYAH_SIM_MSGQ_PUSH,
					      &not_full);
	res->a1 = not_full;
	gunyah_sim_object_put(obj);
}

/**
 * gunyah_sim_msgq_hvc_recv() - The msgq_recv hypercall
 * @sim: the simulated hypervisor
 * @args: X1 capability, X2 kernel VA of the buffer, X3 its size
 * @res: X0 error, X1 size received, X2 not_empty
 */
void gunyah_sim_msgq_hvc_recv(struct gunyah_sim *sim,
			      const struct arm_smccc_1_2_regs *args,
			      struct arm_smccc_1_2_regs *res)
{
	struct gunyah_sim_object *obj;
	struct gunyah_sim_msgq *q;
	bool not_empty = false;
	size_t size = 0;

	obj = gunyah_sim_cap_get(sim, args->a1, GUNYAH_SIM_OBJ_MSGQUEUE,
				 GUNYAH_SIM_MSGQ_RECEIVE, &res->a0);
	if (!obj)
		return;
	q = container_of(obj, struct gunyah_sim_msgq, obj);

	res->a0 = gunyah_sim_msgq_get(q, (void *)args->a2, args->a3, &size,
				      &not_empty);
	res->a1 = size;
	res->a2 = not_empty;
	gunyah_sim_object_put(obj);
}
