// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated Resource Manager: its RPC transport.
 *
 * Each client VM is connected to the RM by a pair of message queues. When a
 * client sends, the RM is woken on an ordered workqueue, like the RM's event
 * loop; it drains the client's queue, reassembles fragmented messages,
 * handles complete requests one at a time and replies synchronously, with
 * the quirks of the public RM: one buffered reply per client, at most 256
 * buffered notifications, one global notification sequence counter, and
 * no answer at all to malformed packets.
 */

#define pr_fmt(fmt) "gunyah_sim: " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>

#include "sim_rm.h"

static char *profile = "public";
module_param(profile, charp, 0444);
MODULE_PARM_DESC(profile, "RM to behave like: public (12/2023) or full");

/* The one simulated RM, for the test hooks. */
static struct gunyah_sim_rm *gunyah_sim_rm_instance;

static void gunyah_sim_rm_free_msgs(struct list_head *list)
{
	struct gunyah_sim_rm_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, list, node) {
		list_del(&msg->node);
		kfree(msg);
	}
}

static struct gunyah_sim_rm_msg *
gunyah_sim_rm_msg_alloc(struct gunyah_sim_rm_client *client, u8 type, u16 seq,
			u32 msg_id, const void *payload, size_t len)
{
	struct gunyah_sim_rm_msg *msg;

	msg = kzalloc(struct_size(msg, payload, len), GFP_KERNEL);
	if (!msg)
		return NULL;
	msg->len = len;
	msg->client = client;
	msg->type = type;
	msg->seq = seq;
	msg->msg_id = msg_id;
	msg->nfrags = len ? DIV_ROUND_UP(len, GUNYAH_SIM_RM_PAYLOAD) : 1;
	memcpy(msg->payload, payload, len);
	return msg;
}

/* Send what can be sent of a client's pending output. */
static void gunyah_sim_rm_flush(struct gunyah_sim_rm *rm,
				struct gunyah_sim_rm_client *client)
{
	u8 buf[GUNYAH_SIM_RM_MSG_SIZE];
	struct gunyah_sim_rm_msg *msg;
	size_t off, chunk;
	bool not_full;

	lockdep_assert_held(&rm->lock);

	while (!rm->hold && !list_empty(&client->out)) {
		msg = list_first_entry(&client->out, struct gunyah_sim_rm_msg,
				       node);
		if (!msg->next_frag) {
			if (msg->type == GUNYAH_SIM_RM_TYPE_NOTIF)
				client->out_notifs--;
			if (rm->corrupt_armed) {
				rm->corrupt_armed = false;
				msg->corrupt = true;
				msg->corrupt_frag = rm->corrupt_frag;
				msg->corrupt_off = rm->corrupt_off;
				msg->corrupt_xor = rm->corrupt_xor;
			}
		}

		off = msg->next_frag * GUNYAH_SIM_RM_PAYLOAD;
		chunk = min_t(size_t, msg->len - off, GUNYAH_SIM_RM_PAYLOAD);
		buf[0] = GUNYAH_SIM_RM_HDR_BYTE0;
		buf[1] = (msg->next_frag ? GUNYAH_SIM_RM_TYPE_CONT : msg->type) |
			 (msg->nfrags - 1) << 2;
		put_unaligned_le16(msg->seq, buf + 2);
		put_unaligned_le32(msg->msg_id, buf + 4);
		memcpy(buf + GUNYAH_SIM_RM_HDR_SIZE, msg->payload + off, chunk);
		if (msg->corrupt && msg->corrupt_frag == msg->next_frag &&
		    msg->corrupt_off < GUNYAH_SIM_RM_HDR_SIZE + chunk)
			buf[msg->corrupt_off] ^= msg->corrupt_xor;

		if (gunyah_sim_msgq_put(client->rx, buf,
					GUNYAH_SIM_RM_HDR_SIZE + chunk, false,
					&not_full) != GUNYAH_ERROR_OK)
			return;

		rm->stats.packets_tx++;
		if (++msg->next_frag == msg->nfrags) {
			list_del(&msg->node);
			kfree(msg);
		}
	}
}

static void gunyah_sim_rm_queue_notif(struct gunyah_sim_rm *rm,
				      struct gunyah_sim_rm_msg *msg)
{
	struct gunyah_sim_rm_client *client = msg->client;
	struct gunyah_sim_rm_msg *old;

	if (client->out_notifs == GUNYAH_SIM_RM_MAX_NOTIFS) {
		list_for_each_entry(old, &client->out, node) {
			if (old->type == GUNYAH_SIM_RM_TYPE_NOTIF &&
			    !old->next_frag) {
				list_del(&old->node);
				kfree(old);
				client->out_notifs--;
				break;
			}
		}
	}
	list_add_tail(&msg->node, &client->out);
	client->out_notifs++;
}

/**
 * gunyah_sim_rm_notify() - Send a notification to a client
 * @rm: the RM
 * @client: the client, or NULL to send nothing
 * @msg_id: the notification's message ID
 * @payload: its payload
 * @len: payload length
 *
 * Notifications raised while a request is handled follow its reply.
 *
 * Context: process context, &gunyah_sim_rm.lock held.
 */
void gunyah_sim_rm_notify(struct gunyah_sim_rm *rm,
			  struct gunyah_sim_rm_client *client, u32 msg_id,
			  const void *payload, size_t len)
{
	struct gunyah_sim_rm_msg *msg;

	lockdep_assert_held(&rm->lock);
	if (!client)
		return;

	msg = gunyah_sim_rm_msg_alloc(client, GUNYAH_SIM_RM_TYPE_NOTIF,
				      rm->notif_seq++, msg_id, payload, len);
	if (!msg)
		return;
	rm->stats.notifications++;
	if (rm->in_request) {
		list_add_tail(&msg->node, &rm->deferred);
		return;
	}
	gunyah_sim_rm_queue_notif(rm, msg);
	gunyah_sim_rm_flush(rm, client);
}

static void gunyah_sim_rm_reply(struct gunyah_sim_rm *rm,
				struct gunyah_sim_rm_client *client, u16 seq,
				u32 msg_id, const void *payload, size_t len)
{
	struct gunyah_sim_rm_msg *msg, *old, *tmp;

	if (rm->drop_armed && (!rm->drop_id || rm->drop_id == msg_id)) {
		rm->drop_armed = false;
		return;
	}

	msg = gunyah_sim_rm_msg_alloc(client, GUNYAH_SIM_RM_TYPE_REPLY, seq,
				      msg_id, payload, len);
	if (!msg)
		return;
	rm->stats.replies++;

	/* A reply still waiting for room is dropped for the newer one. */
	if (!rm->hold) {
		list_for_each_entry_safe(old, tmp, &client->out, node) {
			if (old->type == GUNYAH_SIM_RM_TYPE_REPLY &&
			    !old->next_frag) {
				list_del(&old->node);
				kfree(old);
				rm->stats.dropped_replies++;
			}
		}
	}
	list_add_tail(&msg->node, &client->out);
	gunyah_sim_rm_flush(rm, client);
}

/*
 * The checks every request goes through before its handler (§3.7, §3.8):
 * profile, length, caller, then the state of the VM it names.
 */
static u32 gunyah_sim_rm_dispatch(struct gunyah_sim_rm *rm,
				  struct gunyah_sim_rm_call *c)
{
	const struct gunyah_sim_rm_msg_desc *d;
	struct gunyah_sim_rm_vm *vm;

	d = gunyah_sim_rm_vm_desc(c->msg_id) ?: gunyah_sim_rm_mem_desc(c->msg_id);
	if (!d || (d->full_only && rm->profile != GUNYAH_SIM_RM_FULL))
		return GUNYAH_SIM_RM_UNIMPLEMENTED;
	if (d->len_rule == GUNYAH_SIM_RM_LEN_EXACT ? c->len != d->len :
						     c->len < d->len)
		return GUNYAH_SIM_RM_MSG_INVALID;
	if ((d->caller & GUNYAH_SIM_RM_CALLER_HLOS) &&
	    c->client->vmid != GUNYAH_SIM_VMID_HLOS)
		return GUNYAH_SIM_RM_DENIED;
	if (d->caller & GUNYAH_SIM_RM_CALLER_OWNER) {
		vm = xa_load(&rm->vms, get_unaligned_le16(c->req));
		if (!vm)
			return GUNYAH_SIM_RM_VMID_INVALID;
		if (vm->owner != c->client->vmid)
			return d->not_owner;
		if (d->states && !(d->states & BIT(vm->state)))
			return GUNYAH_SIM_RM_VM_STATE;
		c->vm = vm;
	}
	return d->handler(rm, c);
}

static struct gunyah_sim_rm_script *
gunyah_sim_rm_find_script(struct gunyah_sim_rm *rm, u32 msg_id)
{
	struct gunyah_sim_rm_script *script;

	list_for_each_entry(script, &rm->scripts, node)
		if (!script->msg_id || script->msg_id == msg_id)
			return script;
	return NULL;
}

static void gunyah_sim_rm_request(struct gunyah_sim_rm *rm,
				  struct gunyah_sim_rm_client *client)
{
	struct gunyah_sim_rm_call call = {
		.client = client,
		.msg_id = client->in_id,
		.req = client->in_buf,
		.len = client->in_len,
		.reply = rm->reply + sizeof(__le32),
	};
	struct gunyah_sim_rm_script *script;
	struct gunyah_sim_rm_msg *msg, *tmp;
	u32 err;

	rm->stats.requests++;
	if (rm->trace_on && rm->trace_n++ < GUNYAH_SIM_RM_TRACE_MAX)
		rm->trace[rm->trace_n - 1] = client->in_id;
	rm->has_last = true;
	rm->last_id = client->in_id;
	rm->last_seq = client->in_seq;
	rm->last_frags = client->in_cont + 1;
	rm->last_len = client->in_len;
	memcpy(rm->last_buf, client->in_buf, client->in_len);

	script = gunyah_sim_rm_find_script(rm, call.msg_id);
	if (script) {
		list_del(&script->node);
		gunyah_sim_rm_reply(rm, client, client->in_seq, call.msg_id,
				    script->data, script->len);
		kfree(script);
		return;
	}

	if (rm->fail_count && (!rm->fail_id || rm->fail_id == call.msg_id) &&
	    !--rm->fail_count) {
		err = rm->fail_error;
	} else {
		rm->in_request = true;
		err = gunyah_sim_rm_dispatch(rm, &call);
		rm->in_request = false;
	}

	put_unaligned_le32(err, rm->reply);
	gunyah_sim_rm_reply(rm, client, client->in_seq, call.msg_id, rm->reply,
			    sizeof(__le32) + call.reply_len);

	list_for_each_entry_safe(msg, tmp, &rm->deferred, node) {
		list_del(&msg->node);
		gunyah_sim_rm_queue_notif(rm, msg);
		gunyah_sim_rm_flush(rm, msg->client);
	}
}

/* One packet from a client: validate it and reassemble, as do_recv does. */
static void gunyah_sim_rm_packet(struct gunyah_sim_rm *rm,
				 struct gunyah_sim_rm_client *client,
				 const u8 *buf, size_t size)
{
	size_t chunk = size - GUNYAH_SIM_RM_HDR_SIZE;
	u8 type, cont;
	u16 seq;
	u32 id;

	if (size < GUNYAH_SIM_RM_HDR_SIZE || buf[0] != GUNYAH_SIM_RM_HDR_BYTE0)
		goto drop;
	type = buf[1] & 0x3;
	cont = buf[1] >> 2;
	seq = get_unaligned_le16(buf + 2);
	id = get_unaligned_le32(buf + 4);
	if (cont > GUNYAH_SIM_RM_MAX_CONT)
		goto drop;

	if (type != GUNYAH_SIM_RM_TYPE_CONT) {
		client->partial = true;
		client->in_type = type;
		client->in_seq = seq;
		client->in_id = id;
		client->in_cont = cont;
		client->in_got = 0;
		client->in_len = 0;
	} else if (!client->partial || client->in_id != id ||
		   client->in_seq != seq || client->in_cont != cont) {
		goto drop;
	} else {
		client->in_got++;
	}

	memcpy(client->in_buf + client->in_len, buf + GUNYAH_SIM_RM_HDR_SIZE,
	       chunk);
	client->in_len += chunk;
	if (client->in_got < client->in_cont)
		return;

	client->partial = false;
	/* Only requests are handled; clients' replies and notifications not. */
	if (client->in_type == GUNYAH_SIM_RM_TYPE_REQUEST)
		gunyah_sim_rm_request(rm, client);
	return;

drop:
	rm->stats.dropped_rx++;
}

static void gunyah_sim_rm_work(struct work_struct *work)
{
	struct gunyah_sim_rm_client *client;
	u8 buf[GUNYAH_SIM_RM_MSG_SIZE];
	struct gunyah_sim_rm *rm;
	bool not_empty;
	size_t size;

	client = container_of(work, struct gunyah_sim_rm_client, work);
	rm = client->rm;

	mutex_lock(&rm->lock);
	while (!rm->paused &&
	       gunyah_sim_msgq_get(client->tx, buf, sizeof(buf), &size,
				   &not_empty) == GUNYAH_ERROR_OK) {
		rm->stats.packets_rx++;
		gunyah_sim_rm_packet(rm, client, buf, size);
	}
	gunyah_sim_rm_flush(rm, client);
	mutex_unlock(&rm->lock);
}

static void gunyah_sim_rm_kick(void *ctx)
{
	struct gunyah_sim_rm_client *client = ctx;

	queue_work(client->rm->wq, &client->work);
}

static void gunyah_sim_rm_raise_tx(void *ctx)
{
	struct gunyah_sim_rm_client *client = ctx;

	gunyah_sim_intc_raise(&client->rm->sim->intc, client->tx_intid);
}

static void gunyah_sim_rm_raise_rx(void *ctx)
{
	struct gunyah_sim_rm_client *client = ctx;

	gunyah_sim_intc_raise(&client->rm->sim->intc, client->rx_intid);
}

static struct gunyah_sim_rm_client *
gunyah_sim_rm_client_create(struct gunyah_sim_rm *rm, u32 tx_intid,
			    u32 rx_intid)
{
	struct gunyah_sim_rm_client *client;
	int ret;

	client = kzalloc(sizeof(*client), GFP_KERNEL);
	if (!client)
		return ERR_PTR(-ENOMEM);

	client->rm = rm;
	client->vmid = GUNYAH_SIM_VMID_HLOS;
	client->tx_intid = tx_intid;
	client->rx_intid = rx_intid;
	INIT_WORK(&client->work, gunyah_sim_rm_work);
	INIT_LIST_HEAD(&client->out);
	INIT_LIST_HEAD(&client->node);

	ret = -ENOMEM;
	client->in_buf = kmalloc(GUNYAH_SIM_RM_MAX_MSG, GFP_KERNEL);
	if (!client->in_buf)
		goto err_free;
	client->tx = gunyah_sim_msgq_create(GUNYAH_SIM_RM_QUEUE_DEPTH,
					    GUNYAH_SIM_RM_MSG_SIZE,
					    GUNYAH_SIM_MSGQ_SEND);
	if (!client->tx)
		goto err_free_buf;
	client->rx = gunyah_sim_msgq_create(GUNYAH_SIM_RM_QUEUE_DEPTH,
					    GUNYAH_SIM_RM_MSG_SIZE,
					    GUNYAH_SIM_MSGQ_RECEIVE);
	if (!client->rx)
		goto err_put_tx;

	gunyah_sim_msgq_set_callbacks(client->tx, gunyah_sim_rm_kick,
				      gunyah_sim_rm_raise_tx, client);
	gunyah_sim_msgq_set_callbacks(client->rx, gunyah_sim_rm_raise_rx,
				      gunyah_sim_rm_kick, client);

	/* The cspace gets a reference of its own to each queue. */
	kref_get(&client->tx->obj.ref);
	ret = gunyah_sim_cap_add(rm->sim, &client->tx->obj,
				 &client->info.tx_cap);
	if (ret) {
		gunyah_sim_object_put(&client->tx->obj);
		goto err_put_rx;
	}
	kref_get(&client->rx->obj.ref);
	ret = gunyah_sim_cap_add(rm->sim, &client->rx->obj,
				 &client->info.rx_cap);
	if (ret) {
		gunyah_sim_object_put(&client->rx->obj);
		goto err_remove_tx;
	}

	mutex_lock(&rm->lock);
	list_add_tail(&client->node, &rm->clients);
	mutex_unlock(&rm->lock);
	return client;

err_remove_tx:
	gunyah_sim_cap_remove(rm->sim, client->info.tx_cap);
err_put_rx:
	gunyah_sim_msgq_set_callbacks(client->rx, NULL, NULL, NULL);
	gunyah_sim_object_put(&client->rx->obj);
err_put_tx:
	gunyah_sim_msgq_set_callbacks(client->tx, NULL, NULL, NULL);
	gunyah_sim_object_put(&client->tx->obj);
err_free_buf:
	kfree(client->in_buf);
err_free:
	kfree(client);
	return ERR_PTR(ret);
}

static void gunyah_sim_rm_client_destroy(struct gunyah_sim_rm *rm,
					 struct gunyah_sim_rm_client *client)
{
	mutex_lock(&rm->lock);
	list_del_init(&client->node);
	gunyah_sim_rm_vm_client_gone(rm, client);
	gunyah_sim_rm_mem_client_gone(rm, client);
	mutex_unlock(&rm->lock);

	gunyah_sim_cap_remove(rm->sim, client->info.rx_cap);
	gunyah_sim_cap_remove(rm->sim, client->info.tx_cap);
	gunyah_sim_msgq_set_callbacks(client->rx, NULL, NULL, NULL);
	gunyah_sim_msgq_set_callbacks(client->tx, NULL, NULL, NULL);
	cancel_work_sync(&client->work);

	gunyah_sim_rm_free_msgs(&client->out);
	gunyah_sim_object_put(&client->rx->obj);
	gunyah_sim_object_put(&client->tx->obj);
	kfree(client->in_buf);
	kfree(client);
}

/* Forget faults, scripts, VMs and parcels. */
static void gunyah_sim_rm_forget(struct gunyah_sim_rm *rm, bool warn)
{
	struct gunyah_sim_rm_script *script, *tmp;

	lockdep_assert_held(&rm->lock);

	list_for_each_entry_safe(script, tmp, &rm->scripts, node) {
		list_del(&script->node);
		kfree(script);
	}
	rm->fail_count = 0;
	rm->drop_armed = false;
	rm->corrupt_armed = false;
	rm->hold = false;
	rm->paused = false;
	rm->has_last = false;
	rm->trace_on = false;
	rm->trace_n = 0;
	gunyah_sim_rm_mem_forget_all(rm, warn);
	gunyah_sim_rm_vm_forget_all(rm, warn);
	gunyah_sim_rm_dp_forget_all(rm, warn);
}

static void gunyah_sim_rm_kick_all(struct gunyah_sim_rm *rm)
{
	struct gunyah_sim_rm_client *client;

	lockdep_assert_held(&rm->lock);
	list_for_each_entry(client, &rm->clients, node)
		queue_work(rm->wq, &client->work);
}

static int gunyah_sim_rm_state_show(struct seq_file *s, void *unused)
{
	struct gunyah_sim_rm *rm = s->private;
	struct gunyah_sim_rm_usage usage;
	struct gunyah_sim_rm_vm *vm;
	unsigned long vmid;

	mutex_lock(&rm->lock);
	usage.vms = 0;
	xa_for_each(&rm->vms, vmid, vm) {
		seq_printf(s, "vm %u state %u owner %u\n", vm->vmid, vm->state,
			   vm->owner);
		usage.vms++;
	}
	gunyah_sim_rm_mem_show(rm, s);
	gunyah_sim_rm_mem_usage(rm, &usage);
	seq_printf(s,
		   "vms %u parcels %u lent_pages %llu shared_pages %llu donated_pages %llu\n",
		   usage.vms, usage.parcels, usage.lent_pages,
		   usage.shared_pages, usage.donated_pages);
	mutex_unlock(&rm->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gunyah_sim_rm_state);

static const char *const gunyah_sim_rm_profile_names[] = {
	[GUNYAH_SIM_RM_PUBLIC] = "public",
	[GUNYAH_SIM_RM_FULL] = "full",
};

static int gunyah_sim_rm_profile_show(struct seq_file *s, void *unused)
{
	struct gunyah_sim_rm *rm = s->private;
	enum gunyah_sim_rm_profile profile;

	mutex_lock(&rm->lock);
	profile = rm->profile;
	mutex_unlock(&rm->lock);
	seq_printf(s, "%s\n", gunyah_sim_rm_profile_names[profile]);
	return 0;
}

static int gunyah_sim_rm_profile_open(struct inode *inode, struct file *file)
{
	return single_open(file, gunyah_sim_rm_profile_show, inode->i_private);
}

static ssize_t gunyah_sim_rm_profile_write(struct file *file,
					   const char __user *ubuf,
					   size_t count, loff_t *ppos)
{
	struct gunyah_sim_rm *rm = file_inode(file)->i_private;
	char buf[16];
	int profile;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	profile = sysfs_match_string(gunyah_sim_rm_profile_names, buf);
	if (profile < 0)
		return profile;

	mutex_lock(&rm->lock);
	rm->profile = profile;
	mutex_unlock(&rm->lock);
	return count;
}

static const struct file_operations gunyah_sim_rm_profile_fops = {
	.owner = THIS_MODULE,
	.open = gunyah_sim_rm_profile_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = gunyah_sim_rm_profile_write,
	.release = single_release,
};

/* /sys/kernel/debug/gunyah_sim/{rm_state,profile}; optional, never fails. */
static void gunyah_sim_rm_debugfs_init(struct gunyah_sim_rm *rm)
{
	rm->debugfs = debugfs_create_dir("gunyah_sim", NULL);
	debugfs_create_file("rm_state", 0444, rm->debugfs, rm,
			    &gunyah_sim_rm_state_fops);
	debugfs_create_file("profile", 0644, rm->debugfs, rm,
			    &gunyah_sim_rm_profile_fops);
}

/**
 * gunyah_sim_rm_init() - Start the RM and connect the primary VM to it
 * @sim: the simulated hypervisor
 *
 * Return: 0 or a negative errno.
 */
int gunyah_sim_rm_init(struct gunyah_sim *sim)
{
	struct gunyah_sim_rm_client *primary;
	struct gunyah_sim_rm *rm;
	int ret;

	rm = kzalloc(sizeof(*rm), GFP_KERNEL);
	if (!rm)
		return -ENOMEM;

	rm->sim = sim;
	mutex_init(&rm->lock);
	INIT_LIST_HEAD(&rm->clients);
	INIT_LIST_HEAD(&rm->deferred);
	INIT_LIST_HEAD(&rm->scripts);
	xa_init_flags(&rm->vms, XA_FLAGS_ALLOC);
	xa_init_flags(&rm->parcels, XA_FLAGS_ALLOC1);
	xa_init(&rm->pages);
	INIT_WORK(&rm->reset_work, gunyah_sim_rm_vm_reset_work);

	ret = -EINVAL;
	if (sysfs_streq(profile, "public"))
		rm->profile = GUNYAH_SIM_RM_PUBLIC;
	else if (sysfs_streq(profile, "full"))
		rm->profile = GUNYAH_SIM_RM_FULL;
	else
		goto err_free;

	ret = -ENOMEM;
	rm->reply = kmalloc(GUNYAH_SIM_RM_MAX_MSG, GFP_KERNEL);
	if (!rm->reply)
		goto err_free;
	rm->last_buf = kmalloc(GUNYAH_SIM_RM_MAX_MSG, GFP_KERNEL);
	if (!rm->last_buf)
		goto err_free_reply;
	rm->wq = alloc_ordered_workqueue("gunyah_sim_rm", 0);
	if (!rm->wq)
		goto err_free_last;

	primary = gunyah_sim_rm_client_create(rm, GUNYAH_SIM_RM_TX_INTID,
					      GUNYAH_SIM_RM_RX_INTID);
	if (IS_ERR(primary)) {
		ret = PTR_ERR(primary);
		goto err_destroy_wq;
	}
	rm->primary = primary;
	sim->rm = rm;
	gunyah_sim_rm_instance = rm;
	gunyah_sim_rm_debugfs_init(rm);
	return 0;

err_destroy_wq:
	destroy_workqueue(rm->wq);
err_free_last:
	kfree(rm->last_buf);
err_free_reply:
	kfree(rm->reply);
err_free:
	xa_destroy(&rm->parcels);
	xa_destroy(&rm->vms);
	mutex_destroy(&rm->lock);
	kfree(rm);
	return ret;
}

/**
 * gunyah_sim_rm_debugfs() - The simulator's debugfs directory
 * @sim: the simulated hypervisor, whose RM is started
 *
 * Return: the directory, or an error pointer if debugfs has none.
 */
struct dentry *gunyah_sim_rm_debugfs(struct gunyah_sim *sim)
{
	return sim->rm->debugfs;
}

/**
 * gunyah_sim_rm_current() - The simulated RM, for the test hooks
 *
 * Return: the RM.
 */
struct gunyah_sim_rm *gunyah_sim_rm_current(void)
{
	return gunyah_sim_rm_instance;
}

/**
 * gunyah_sim_rm_primary_caps() - The primary VM's RM capabilities
 * @sim: the simulated hypervisor
 * @tx_cap: set to the host-to-RM queue
 * @rx_cap: set to the RM-to-host queue
 *
 * Return: 0.
 */
int gunyah_sim_rm_primary_caps(struct gunyah_sim *sim, u64 *tx_cap,
			       u64 *rx_cap)
{
	*tx_cap = sim->rm->primary->info.tx_cap;
	*rx_cap = sim->rm->primary->info.rx_cap;
	return 0;
}

/**
 * gunyah_sim_rm_exit() - Stop the RM
 * @sim: the simulated hypervisor
 *
 * VMs, memory parcels and pages donated to memory extents still there are
 * reported, then forgotten.
 */
void gunyah_sim_rm_exit(struct gunyah_sim *sim)
{
	struct gunyah_sim_rm_client *client, *tmp;
	struct gunyah_sim_rm *rm = sim->rm;

	debugfs_remove_recursive(rm->debugfs);
	gunyah_sim_rm_instance = NULL;

	mutex_lock(&rm->lock);
	gunyah_sim_rm_forget(rm, true);
	mutex_unlock(&rm->lock);

	list_for_each_entry_safe(client, tmp, &rm->clients, node)
		gunyah_sim_rm_client_destroy(rm, client);

	destroy_workqueue(rm->wq);
	kfree(rm->last_buf);
	kfree(rm->reply);
	xa_destroy(&rm->pages);
	xa_destroy(&rm->parcels);
	xa_destroy(&rm->vms);
	mutex_destroy(&rm->lock);
	kfree(rm);
	sim->rm = NULL;
}

/**
 * gunyah_sim_rm_set_profile() - Choose which RM the simulator behaves like
 * @profile: %GUNYAH_SIM_RM_PUBLIC: the message set of the public 12/2023 RM;
 *           %GUNYAH_SIM_RM_FULL: also VM_SET_BOOT_CONTEXT,
 *           VM_SET_DEMAND_PAGING and VM_SET_ADDRESS_LAYOUT
 */
void gunyah_sim_rm_set_profile(enum gunyah_sim_rm_profile profile)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;

	mutex_lock(&rm->lock);
	rm->profile = profile;
	mutex_unlock(&rm->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_set_profile);

/**
 * gunyah_sim_rm_get_profile() - Which RM the simulator behaves like
 *
 * Return: the current profile.
 */
enum gunyah_sim_rm_profile gunyah_sim_rm_get_profile(void)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	enum gunyah_sim_rm_profile ret;

	mutex_lock(&rm->lock);
	ret = rm->profile;
	mutex_unlock(&rm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_get_profile);

/**
 * gunyah_sim_rm_reset() - Put the RM back in its initial state
 *
 * Forgets faults, scripts, held output, paused input, the request trace,
 * VMs, memory parcels and pages donated to memory extents (reporting those
 * still there with pr_err, as at unload), zeroes the statistics and
 * restarts the notification sequence numbers at 0. The profile and the
 * clients stay.
 *
 * Context: process context.
 */
void gunyah_sim_rm_reset(void)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;

	mutex_lock(&rm->lock);
	gunyah_sim_rm_forget(rm, true);
	memset(&rm->stats, 0, sizeof(rm->stats));
	rm->notif_seq = 0;
	gunyah_sim_rm_kick_all(rm);
	mutex_unlock(&rm->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_reset);

/**
 * gunyah_sim_rm_get_stats() - Read the RM's counters
 * @stats: filled with the counters
 */
void gunyah_sim_rm_get_stats(struct gunyah_sim_rm_stats *stats)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;

	mutex_lock(&rm->lock);
	*stats = rm->stats;
	mutex_unlock(&rm->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_get_stats);

/**
 * gunyah_sim_rm_last_request() - The last complete request the RM received
 * @msg_id: set to its message ID
 * @seq: set to its sequence number
 * @buf: receives its payload (without headers), truncated to @buf_size
 * @buf_size: room in @buf
 * @len: set to the full payload length
 * @fragments: set to the number of fragments it came in (1 + continuations)
 *
 * Return: 0, or -ENOENT if no request arrived since the last reset.
 */
int gunyah_sim_rm_last_request(u32 *msg_id, u16 *seq, void *buf,
			       size_t buf_size, size_t *len,
			       unsigned int *fragments)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	int ret = -ENOENT;

	mutex_lock(&rm->lock);
	if (rm->has_last) {
		*msg_id = rm->last_id;
		*seq = rm->last_seq;
		*len = rm->last_len;
		*fragments = rm->last_frags;
		memcpy(buf, rm->last_buf, min(buf_size, rm->last_len));
		ret = 0;
	}
	mutex_unlock(&rm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_last_request);

/**
 * gunyah_sim_rm_script_reply() - Answer a future request with a given reply
 * @msg_id: the request to answer, 0 for any
 * @rm_error: the RM error word of the reply
 * @data: what follows the error word
 * @len: its length
 *
 * Scripts are used in the order they were added; each answers one request,
 * which is otherwise not handled.
 *
 * Return: 0, -E2BIG if the reply would not fit in an RM message, or -ENOMEM.
 */
int gunyah_sim_rm_script_reply(u32 msg_id, u32 rm_error, const void *data,
			       size_t len)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	struct gunyah_sim_rm_script *script;

	if (len > GUNYAH_SIM_RM_MAX_MSG - sizeof(__le32))
		return -E2BIG;

	script = kzalloc(struct_size(script, data, len + sizeof(__le32)),
			 GFP_KERNEL);
	if (!script)
		return -ENOMEM;
	script->msg_id = msg_id;
	script->len = len + sizeof(__le32);
	put_unaligned_le32(rm_error, script->data);
	if (len)
		memcpy(script->data + sizeof(__le32), data, len);

	mutex_lock(&rm->lock);
	list_add_tail(&script->node, &rm->scripts);
	mutex_unlock(&rm->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_script_reply);

/**
 * gunyah_sim_rm_fail_nth() - Fail a future request with an RM error
 * @msg_id: the request to fail, 0 for any
 * @nth: fail the nth matching request from now (1 = the next); 0 cancels
 * @rm_error: the error of the standard reply it gets instead of handling
 */
void gunyah_sim_rm_fail_nth(u32 msg_id, unsigned int nth, u32 rm_error)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;

	mutex_lock(&rm->lock);
	rm->fail_id = msg_id;
	rm->fail_count = nth;
	rm->fail_error = rm_error;
	mutex_unlock(&rm->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_fail_nth);

/**
 * gunyah_sim_rm_hold_output() - Hold or release everything the RM sends
 * @hold: while true, replies and notifications are queued but not sent
 *        (and no reply replaces another); false sends them in order
 */
void gunyah_sim_rm_hold_output(bool hold)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;

	mutex_lock(&rm->lock);
	rm->hold = hold;
	if (!hold)
		gunyah_sim_rm_kick_all(rm);
	mutex_unlock(&rm->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_hold_output);

/**
 * gunyah_sim_rm_drop_next_reply() - Lose the next reply to a request
 * @msg_id: the request whose reply to drop, 0 for any
 */
void gunyah_sim_rm_drop_next_reply(u32 msg_id)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;

	mutex_lock(&rm->lock);
	rm->drop_armed = true;
	rm->drop_id = msg_id;
	mutex_unlock(&rm->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_drop_next_reply);

/**
 * gunyah_sim_rm_corrupt_next_output() - Damage the next message the RM sends
 * @fragment_index: which fragment of it (0 = the first)
 * @byte_offset: which byte of that fragment, header included
 * @xor: XORed into that byte
 */
void gunyah_sim_rm_corrupt_next_output(unsigned int fragment_index,
				       unsigned int byte_offset, u8 xor)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;

	mutex_lock(&rm->lock);
	rm->corrupt_armed = true;
	rm->corrupt_frag = fragment_index;
	rm->corrupt_off = byte_offset;
	rm->corrupt_xor = xor;
	mutex_unlock(&rm->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_corrupt_next_output);

/**
 * gunyah_sim_rm_pause_input() - Stop or restart draining the clients' queues
 * @pause: while true, what hosts send stays in their queues, which fill up
 */
void gunyah_sim_rm_pause_input(bool pause)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;

	mutex_lock(&rm->lock);
	rm->paused = pause;
	if (!pause)
		gunyah_sim_rm_kick_all(rm);
	mutex_unlock(&rm->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_pause_input);

/**
 * gunyah_sim_rm_inject_packet() - Put raw bytes into the primary client's queue
 * @buf: the message
 * @len: its length, 1..240
 *
 * The message is queued as one msgq message, behind anything the RM already
 * sent, and the "not empty" interrupt is raised as for any message.
 *
 * Return: 0, -EINVAL for a bad length, or -EBUSY if the queue is full.
 */
int gunyah_sim_rm_inject_packet(const void *buf, size_t len)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	unsigned long err;
	bool not_full;

	if (!len || len > GUNYAH_SIM_RM_MSG_SIZE)
		return -EINVAL;

	mutex_lock(&rm->lock);
	err = gunyah_sim_msgq_put(rm->primary->rx, buf, len, false, &not_full);
	mutex_unlock(&rm->lock);
	return err == GUNYAH_ERROR_OK ? 0 : -EBUSY;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_inject_packet);

/**
 * gunyah_sim_rm_send_notification() - Notify a client
 * @to: a client from gunyah_sim_rm_create_client(), or NULL for the primary
 * @msg_id: the notification's message ID
 * @payload: its payload
 * @len: payload length, at most 63 * 232 bytes
 *
 * The notification is fragmented, stamped with the global sequence counter
 * and queued like those the RM raises itself.
 *
 * Return: 0, -E2BIG, -ENOENT (no such client) or -ENOMEM.
 */
int gunyah_sim_rm_send_notification(const struct gunyah_sim_rm_client_info *to,
				    u32 msg_id, const void *payload, size_t len)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	struct gunyah_sim_rm_client *client, *dest = NULL;
	u64 before;
	int ret;

	if (len > GUNYAH_SIM_RM_MAX_MSG)
		return -E2BIG;

	mutex_lock(&rm->lock);
	list_for_each_entry(client, &rm->clients, node) {
		if (to ? client->info.tx_cap == to->tx_cap :
			 client == rm->primary) {
			dest = client;
			break;
		}
	}
	if (!dest) {
		mutex_unlock(&rm->lock);
		return -ENOENT;
	}
	before = rm->stats.notifications;
	gunyah_sim_rm_notify(rm, dest, msg_id, payload, len);
	ret = rm->stats.notifications == before ? -ENOMEM : 0;
	mutex_unlock(&rm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_send_notification);

/**
 * gunyah_sim_rm_create_client() - Connect an extra client queue pair to the RM
 * @info: filled with the capabilities and Linux IRQ numbers of the pair
 *
 * The client speaks for the primary VM (VMID 3) but is not in the
 * devicetree; notifications about the VMs it creates go to it.
 *
 * Return: 0 or a negative errno.
 */
int gunyah_sim_rm_create_client(struct gunyah_sim_rm_client_info *info)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	struct gunyah_sim_intc *intc = &rm->sim->intc;
	struct gunyah_sim_rm_client *client;
	int tx_intid, rx_intid, ret;

	tx_intid = gunyah_sim_intc_alloc(intc);
	if (tx_intid < 0)
		return tx_intid;
	rx_intid = gunyah_sim_intc_alloc(intc);
	if (rx_intid < 0) {
		ret = rx_intid;
		goto err_free_tx;
	}

	client = gunyah_sim_rm_client_create(rm, tx_intid, rx_intid);
	if (IS_ERR(client)) {
		ret = PTR_ERR(client);
		goto err_free_rx;
	}

	ret = gunyah_sim_intc_map(intc, tx_intid);
	if (ret < 0)
		goto err_destroy;
	client->info.tx_irq = ret;
	ret = gunyah_sim_intc_map(intc, rx_intid);
	if (ret < 0)
		goto err_destroy;
	client->info.rx_irq = ret;

	*info = client->info;
	return 0;

err_destroy:
	gunyah_sim_rm_client_destroy(rm, client);
err_free_rx:
	gunyah_sim_intc_free(intc, rx_intid);
err_free_tx:
	gunyah_sim_intc_free(intc, tx_intid);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_create_client);

/**
 * gunyah_sim_rm_destroy_client() - Disconnect a client from
 *                                  gunyah_sim_rm_create_client()
 * @info: as filled by gunyah_sim_rm_create_client(); the IRQs must be free
 */
void gunyah_sim_rm_destroy_client(const struct gunyah_sim_rm_client_info *info)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	struct gunyah_sim_rm_client *client, *found = NULL;
	u32 tx_intid, rx_intid;

	mutex_lock(&rm->lock);
	list_for_each_entry(client, &rm->clients, node) {
		if (client != rm->primary &&
		    client->info.tx_cap == info->tx_cap) {
			found = client;
			break;
		}
	}
	mutex_unlock(&rm->lock);
	if (!found)
		return;

	tx_intid = found->tx_intid;
	rx_intid = found->rx_intid;
	gunyah_sim_rm_client_destroy(rm, found);
	gunyah_sim_intc_free(&rm->sim->intc, rx_intid);
	gunyah_sim_intc_free(&rm->sim->intc, tx_intid);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_destroy_client);

/**
 * gunyah_sim_rm_get_usage() - What the RM holds now
 * @usage: filled with the numbers of VMs and live parcels, and the pages
 *         lent (or donated) and shared in them
 */
void gunyah_sim_rm_get_usage(struct gunyah_sim_rm_usage *usage)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	struct gunyah_sim_rm_vm *vm;
	unsigned long vmid;

	mutex_lock(&rm->lock);
	usage->vms = 0;
	xa_for_each(&rm->vms, vmid, vm)
		usage->vms++;
	gunyah_sim_rm_mem_usage(rm, usage);
	mutex_unlock(&rm->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_get_usage);

/**
 * gunyah_sim_rm_ipa_lookup() - What a guest address of a VM maps
 * @vmid: the VM
 * @ipa: the guest IPA
 * @pa: set to the host physical address that addrspace_map put there
 *
 * Return: 0, or -ENOENT if the VM is not allocated or nothing is mapped at
 * @ipa.
 */
int gunyah_sim_rm_ipa_lookup(u16 vmid, u64 ipa, u64 *pa)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	struct gunyah_sim_rm_vm *vm;
	int ret = -ENOENT;

	mutex_lock(&rm->lock);
	vm = xa_load(&rm->vms, vmid);
	if (vm)
		ret = gunyah_sim_rm_dp_lookup(rm, vm, ipa, pa);
	mutex_unlock(&rm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_ipa_lookup);

/**
 * gunyah_sim_rm_vm_state() - The state of a VM
 * @vmid: the VM
 *
 * Return: its state (§3.8.3), or -ENOENT if it is not allocated.
 */
int gunyah_sim_rm_vm_state(u16 vmid)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	struct gunyah_sim_rm_vm *vm;
	int ret = -ENOENT;

	mutex_lock(&rm->lock);
	vm = xa_load(&rm->vms, vmid);
	if (vm)
		ret = vm->state;
	mutex_unlock(&rm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_vm_state);

/**
 * gunyah_sim_rm_get_vm_info() - What the RM knows of a VM
 * @vmid: the VM
 * @info: filled in
 *
 * Return: 0, or -ENOENT if it is not allocated.
 */
int gunyah_sim_rm_get_vm_info(u16 vmid, struct gunyah_sim_rm_vm_info *info)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	struct gunyah_sim_rm_vm *vm;
	int ret = -ENOENT;

	mutex_lock(&rm->lock);
	vm = xa_load(&rm->vms, vmid);
	if (vm) {
		*info = (struct gunyah_sim_rm_vm_info) {
			.state = vm->state,
			.owner = vm->owner,
			.mem_base = vm->mem_base,
			.vcpus = vm->nvcpus,
			.proxy = vm->proxy,
			.resources = vm->nres +
				     (vm->dp ? 1 + GUNYAH_SIM_EXT_COUNT : 0),
		};
		ret = 0;
	}
	mutex_unlock(&rm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_get_vm_info);

/**
 * gunyah_sim_rm_vm_boot_reg() - A boot-context register of a VM
 * @vmid: the VM
 * @reg: 0..31 for X0..X31, 32 for PC, 33..35 for SP_EL0..SP_EL2
 * @value: set to the value VM_SET_BOOT_CONTEXT gave
 *
 * Return: 0, -ENOENT if the VM is not allocated or the register was not
 * set since the VM was allocated or reset, -EINVAL for a bad @reg.
 */
int gunyah_sim_rm_vm_boot_reg(u16 vmid, unsigned int reg, u64 *value)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	struct gunyah_sim_rm_vm *vm;
	int ret = -ENOENT;

	if (reg >= GUNYAH_SIM_BOOT_REGS)
		return -EINVAL;
	mutex_lock(&rm->lock);
	vm = xa_load(&rm->vms, vmid);
	if (vm && (vm->boot_set & BIT_ULL(reg))) {
		*value = vm->boot_regs[reg];
		ret = 0;
	}
	mutex_unlock(&rm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_vm_boot_reg);

/**
 * gunyah_sim_rm_trace_start() - Record the message ID of every request
 *
 * Forgets what was recorded before. At most 1024 IDs are kept.
 */
void gunyah_sim_rm_trace_start(void)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;

	mutex_lock(&rm->lock);
	rm->trace_n = 0;
	rm->trace_on = true;
	mutex_unlock(&rm->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_trace_start);

/**
 * gunyah_sim_rm_trace_stop() - Stop recording; what was recorded stays
 */
void gunyah_sim_rm_trace_stop(void)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;

	mutex_lock(&rm->lock);
	rm->trace_on = false;
	mutex_unlock(&rm->lock);
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_trace_stop);

/**
 * gunyah_sim_rm_trace_get() - The requests recorded, in the order handled
 * @ids: receives their message IDs
 * @max: room in @ids
 *
 * Return: the number of requests handled since the trace started, which
 * may be more than were copied.
 */
size_t gunyah_sim_rm_trace_get(u32 *ids, size_t max)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	size_t n;

	mutex_lock(&rm->lock);
	n = rm->trace_n;
	memcpy(ids, rm->trace, min3(max, n, (size_t)GUNYAH_SIM_RM_TRACE_MAX) *
	       sizeof(*ids));
	mutex_unlock(&rm->lock);
	return n;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_trace_get);

/**
 * gunyah_sim_rm_set_client_vmid() - Make a client speak for another VM
 * @info: a client from gunyah_sim_rm_create_client()
 * @vmid: the VMID the RM takes the client's requests to come from
 *
 * For tests of the rules on who may send what. Notifications about the VMs
 * the client allocated still go to it.
 *
 * Return: 0, or -ENOENT if there is no such client.
 */
int gunyah_sim_rm_set_client_vmid(const struct gunyah_sim_rm_client_info *info,
				  u16 vmid)
{
	struct gunyah_sim_rm *rm = gunyah_sim_rm_instance;
	struct gunyah_sim_rm_client *client;
	int ret = -ENOENT;

	mutex_lock(&rm->lock);
	list_for_each_entry(client, &rm->clients, node) {
		if (client != rm->primary &&
		    client->info.tx_cap == info->tx_cap) {
			client->vmid = vmid;
			ret = 0;
			break;
		}
	}
	mutex_unlock(&rm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_sim_rm_set_client_vmid);
