/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the simulated Resource Manager.
 */

#ifndef _GUNYAH_SIM_RM_H
#define _GUNYAH_SIM_RM_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "sim_internal.h"

struct seq_file;
struct gunyah_sim_guest;

#define GUNYAH_SIM_RM_HDR_SIZE		8
#define GUNYAH_SIM_RM_PAYLOAD		(GUNYAH_SIM_RM_MSG_SIZE - \
					 GUNYAH_SIM_RM_HDR_SIZE)
#define GUNYAH_SIM_RM_MAX_CONT		62
#define GUNYAH_SIM_RM_MAX_MSG		((GUNYAH_SIM_RM_MAX_CONT + 1) * \
					 GUNYAH_SIM_RM_PAYLOAD)
#define GUNYAH_SIM_RM_HDR_BYTE0		0x21

#define GUNYAH_SIM_RM_TYPE_CONT		0
#define GUNYAH_SIM_RM_TYPE_REQUEST	1
#define GUNYAH_SIM_RM_TYPE_REPLY	2
#define GUNYAH_SIM_RM_TYPE_NOTIF	3

#define GUNYAH_SIM_RM_MAX_NOTIFS	256
#define GUNYAH_SIM_RM_TRACE_MAX		1024

/* RM error codes */
#define GUNYAH_SIM_RM_OK		0x0
#define GUNYAH_SIM_RM_UNIMPLEMENTED	0xffffffff
#define GUNYAH_SIM_RM_NOMEM		0x1
#define GUNYAH_SIM_RM_NORESOURCE	0x2
#define GUNYAH_SIM_RM_DENIED		0x3
#define GUNYAH_SIM_RM_MSG_INVALID	0x4
#define GUNYAH_SIM_RM_ARG_INVALID	0x6
#define GUNYAH_SIM_RM_HANDLE_INVALID	0x7
#define GUNYAH_SIM_RM_VALIDATE_FAILED	0x8
#define GUNYAH_SIM_RM_MEM_INVALID	0xa
#define GUNYAH_SIM_RM_MEM_INUSE		0xb
#define GUNYAH_SIM_RM_MEM_RELEASED	0xc
#define GUNYAH_SIM_RM_VMID_INVALID	0xd
#define GUNYAH_SIM_RM_VM_STATE		0x14

/* Resource types of VM_GET_HYP_RESOURCES (§3.8.4). */
#define GUNYAH_SIM_RES_BELL_TX		0
#define GUNYAH_SIM_RES_BELL_RX		1
#define GUNYAH_SIM_RES_MSGQ_TX		2
#define GUNYAH_SIM_RES_MSGQ_RX		3
#define GUNYAH_SIM_RES_VCPU		4
#define GUNYAH_SIM_RES_MEM_EXTENT	9
#define GUNYAH_SIM_RES_ADDR_SPACE	10

/* Labels of the demand-paging memory extents (§1.11). */
#define GUNYAH_SIM_EXT_GUEST_PRIVATE	0
#define GUNYAH_SIM_EXT_HOST_SHARED	1
#define GUNYAH_SIM_EXT_HOST_PRIVATE	2
#define GUNYAH_SIM_EXT_GUEST_SHARED	3
#define GUNYAH_SIM_EXT_COUNT		4

/* Most ranges VM_SET_DEMAND_PAGING takes. */
#define GUNYAH_SIM_DP_MAX_RANGES	32

/* Doorbell capability rights. */
#define GUNYAH_SIM_BELL_SEND		BIT(0)
#define GUNYAH_SIM_BELL_RECEIVE		BIT(1)

/* Most vCPUs a VM may have. */
#define GUNYAH_SIM_VCPUS_MAX		64

/* Exit types of NOTIFY_VM_EXITED (§3.8.3). */
#define GUNYAH_SIM_EXIT_PLATFORM_OFF	1
#define GUNYAH_SIM_EXIT_PLATFORM_RESET	2
#define GUNYAH_SIM_EXIT_PSCI_RESET2	3
#define GUNYAH_SIM_EXIT_SOFTWARE_ERROR	5
#define GUNYAH_SIM_EXIT_STOP_FORCED	7
/* Bytes of exit reason NOTIFY_VM_EXITED carries at most. */
#define GUNYAH_SIM_EXIT_REASON_MAX	16

/* Registers of VM_SET_BOOT_CONTEXT: X0..X31, then PC, then SP_EL0..2. */
#define GUNYAH_SIM_BOOT_REG_PC		32
#define GUNYAH_SIM_BOOT_REG_SP		33
#define GUNYAH_SIM_BOOT_REGS		36

/* Mark of &gunyah_sim_rm.pages: a donated page is mapped in a guest. */
#define GUNYAH_SIM_PAGE_MAPPED		XA_MARK_1

/* Transaction types of memory parcels. */
#define GUNYAH_SIM_TRANS_DONATE		0
#define GUNYAH_SIM_TRANS_LEND		1
#define GUNYAH_SIM_TRANS_SHARE		2

/* VMIDs */
#define GUNYAH_SIM_VMID_HLOS		3
#define GUNYAH_SIM_VMID_RM		0xff
#define GUNYAH_SIM_VMID_DYN_FIRST	0x80
#define GUNYAH_SIM_VMID_DYN_LAST	0xbe

/* VM states */
#define GUNYAH_SIM_VM_NONE		0
#define GUNYAH_SIM_VM_INIT		1
#define GUNYAH_SIM_VM_READY		2
#define GUNYAH_SIM_VM_RUNNING		3
#define GUNYAH_SIM_VM_PAUSED		4
#define GUNYAH_SIM_VM_LOAD		5
#define GUNYAH_SIM_VM_AUTH		6
#define GUNYAH_SIM_VM_INIT_FAILED	8
#define GUNYAH_SIM_VM_EXITED		9
#define GUNYAH_SIM_VM_RESETTING		10
#define GUNYAH_SIM_VM_RESET		11

/* Notifications */
#define GUNYAH_SIM_RM_NOTIF_VM_EXITED	0x56100001
#define GUNYAH_SIM_RM_NOTIF_VM_SHUTDOWN	0x56100002
#define GUNYAH_SIM_RM_NOTIF_VM_STATUS	0x56100008
#define GUNYAH_SIM_RM_NOTIF_MEM_SHARED	0x51100011
#define GUNYAH_SIM_RM_NOTIF_MEM_RELEASED 0x51100012
#define GUNYAH_SIM_RM_NOTIF_MEM_ACCEPTED 0x51100013
#define GUNYAH_SIM_RM_NOTIF_MEM_RECALL	0x51100014

/**
 * struct gunyah_sim_rm_msg - A message the RM has to send to a client
 * @node: entry in &gunyah_sim_rm_client.out or &gunyah_sim_rm.deferred
 * @client: the client it goes to
 * @type: REPLY or NOTIFICATION
 * @seq: sequence number for every fragment
 * @msg_id: message ID
 * @next_frag: the next fragment to send; non-zero once sending started
 * @nfrags: number of fragments
 * @corrupt: XOR one byte of one fragment when sending it
 * @corrupt_frag: which fragment
 * @corrupt_off: which byte of it
 * @corrupt_xor: with what
 * @len: payload length
 * @payload: the payload
 */
struct gunyah_sim_rm_msg {
	struct list_head node;
	struct gunyah_sim_rm_client *client;
	u8 type;
	u16 seq;
	u32 msg_id;
	unsigned int next_frag;
	unsigned int nfrags;
	bool corrupt;
	unsigned int corrupt_frag;
	unsigned int corrupt_off;
	u8 corrupt_xor;
	size_t len;
	u8 payload[] __counted_by(len);
};

/**
 * struct gunyah_sim_rm_vcpu - A vCPU the RM created for a VM
 * @obj: the cspace object
 * @vmid: the VM it belongs to
 * @index: its index in the VM, the label of its resource
 * @proxy: proxy-scheduled: it runs only when the host calls vcpu_run
 * @guest: the guest it runs (holds a reference); its execution state is
 *         there, at @index
 */
struct gunyah_sim_rm_vcpu {
	struct gunyah_sim_object obj;
	u16 vmid;
	u32 index;
	bool proxy;
	struct gunyah_sim_guest *guest;
};

/**
 * struct gunyah_sim_doorbell - A doorbell the RM created for a VM
 * @obj: the cspace object; its rights are those of the host's capability
 * @vmid: the VM whose config created it
 * @label: the label of its vdevice
 * @guest: the guest it rings (holds a reference)
 * @flags: flags sent and not yet received by the guest
 * @enable_mask: flags that assert the guest's interrupt (default all)
 * @ack_mask: flags cleared when the interrupt is asserted (default none)
 * @asserted: the guest's interrupt is asserted and not acknowledged
 *
 * @flags, @enable_mask, @ack_mask and @asserted are protected by the
 * guest's lock.
 */
struct gunyah_sim_doorbell {
	struct gunyah_sim_object obj;
	u16 vmid;
	u32 label;
	struct gunyah_sim_guest *guest;
	u64 flags;
	u64 enable_mask;
	u64 ack_mask;
	bool asserted;
};

/**
 * struct gunyah_sim_rm_res - A hypervisor resource the host gets for a VM
 * @type: resource type (GUNYAH_SIM_RES_*)
 * @label: its label: the vCPU index, or the vdevice's label
 * @capid: the host's capability to it
 * @intid: its interrupt in the host, 0 for none
 * @obj: the object @capid names (the cspace holds the reference)
 */
struct gunyah_sim_rm_res {
	u8 type;
	u32 label;
	u64 capid;
	u32 intid;
	struct gunyah_sim_object *obj;
};

/**
 * struct gunyah_sim_memextent - A demand-paging memory extent of a VM
 * @obj: the cspace object
 * @vmid: the VM it was created for
 * @label: GUNYAH_SIM_EXT_*, the label of its resource
 * @key: what &gunyah_sim_rm.pages holds (as a value entry) for each page
 *       donated to it: a serial number, @vmid and @label
 * @pages: 4 KiB pages donated to it
 * @dead: its VM is gone; calls naming it fail as on a revoked capability
 *
 * @pages and @dead are protected by &gunyah_sim_rm.lock.
 */
struct gunyah_sim_memextent {
	struct gunyah_sim_object obj;
	u16 vmid;
	u32 label;
	unsigned long key;
	u64 pages;
	bool dead;
};

/**
 * struct gunyah_sim_addrspace - The guest address space of a VM
 * @obj: the cspace object
 * @vmid: the VM it was created for
 * @map: guest page frame number (IPA >> 12) to the host page frame number
 *       mapped there, as a value entry
 * @guest_gone: the VM was reset since it last started: its mappings were
 *              removed, so unmapping what is not mapped succeeds
 * @dead: its VM is gone; calls naming it fail as on a revoked capability
 *
 * All but @obj are protected by &gunyah_sim_rm.lock.
 */
struct gunyah_sim_addrspace {
	struct gunyah_sim_object obj;
	u16 vmid;
	struct xarray map;
	bool guest_gone;
	bool dead;
};

/**
 * struct gunyah_sim_rm_dp_range - A demand-paged range of guest IPAs
 * @base: first IPA
 * @size: length
 */
struct gunyah_sim_rm_dp_range {
	u64 base;
	u64 size;
};

/**
 * struct gunyah_sim_rm_dp - The demand-paging objects of a VM
 * @as: its address space
 * @as_cap: the owner's capability to @as
 * @ext: its memory extents, by label
 * @ext_cap: the owner's capabilities to @ext
 *
 * Created at the first VM_INIT that has demand-paged ranges; they stay
 * across VM_RESET, so that the owner can take its pages back, and go with
 * VM_DEALLOCATE.
 */
struct gunyah_sim_rm_dp {
	struct gunyah_sim_addrspace *as;
	u64 as_cap;
	struct gunyah_sim_memextent *ext[GUNYAH_SIM_EXT_COUNT];
	u64 ext_cap[GUNYAH_SIM_EXT_COUNT];
};

/**
 * struct gunyah_sim_rm_vm - A VM the RM manages
 * @vmid: its VMID
 * @owner: the owner's VMID
 * @client: where notifications for the owner go, or NULL
 * @state: VM state (§3.8.3)
 * @auth: authentication type given to VM_CONFIG_IMAGE
 * @image_handle: the parcel holding the image and the config devicetree
 * @image_offset: offset of the image in that parcel
 * @image_size: size of the image
 * @dt_offset: offset of the config devicetree in that parcel
 * @dt_size: room for the config devicetree
 * @mem_base: guest IPA where the image parcel is mapped, from
 *            /gunyah-vm-config/memory base-address
 * @proxy: the vCPUs are proxy-scheduled (/gunyah-vm-config/vcpus affinity)
 * @nvcpus: number of vCPU resources in @res
 * @nres: number of entries in @res
 * @res: the hypervisor resources created at VM_INIT, vCPUs first
 * @boot_set: bit n set: @boot_regs[n] was given by VM_SET_BOOT_CONTEXT
 * @boot_regs: boot context (full profile): X0..X31, PC, SP_EL0..SP_EL2
 * @ndp_ranges: entries in @dp_ranges
 * @dp_ranges: demand-paged IPA ranges from VM_SET_DEMAND_PAGING (full
 *             profile); forgotten at VM_RESET
 * @dp: its demand-paging objects, or NULL
 * @guest: what its vCPUs run, from VM_INIT to VM_RESET, or NULL
 */
struct gunyah_sim_rm_vm {
	u16 vmid;
	u16 owner;
	struct gunyah_sim_rm_client *client;
	u8 state;
	u16 auth;
	u32 image_handle;
	u64 image_offset;
	u64 image_size;
	u64 dt_offset;
	u64 dt_size;
	u64 mem_base;
	bool proxy;
	unsigned int nvcpus;
	unsigned int nres;
	struct gunyah_sim_rm_res *res;
	u64 boot_set;
	u64 boot_regs[GUNYAH_SIM_BOOT_REGS];
	unsigned int ndp_ranges;
	struct gunyah_sim_rm_dp_range dp_ranges[GUNYAH_SIM_DP_MAX_RANGES];
	struct gunyah_sim_rm_dp *dp;
	struct gunyah_sim_guest *guest;
};

/**
 * struct gunyah_sim_rm_mem_range - A range of a memory parcel
 * @offset: where it starts, from the start of the parcel
 * @pa: host physical address
 * @size: length
 */
struct gunyah_sim_rm_mem_range {
	u64 offset;
	u64 pa;
	u64 size;
};

/**
 * struct gunyah_sim_rm_client - The RM end of a client's queue pair
 * @rm: the RM
 * @vmid: the client VM's VMID
 * @tx: host-to-RM queue (the RM receives)
 * @rx: RM-to-host queue (the RM sends)
 * @info: capabilities and IRQs as the host sees them
 * @tx_intid: INTID of @tx's "not full" interrupt
 * @rx_intid: INTID of @rx's "not empty" interrupt
 * @work: drains @tx and pushes pending output
 * @node: entry in &gunyah_sim_rm.clients
 * @partial: a message is being reassembled
 * @in_type: its type
 * @in_seq: its sequence number
 * @in_id: its message ID
 * @in_cont: its continuation count
 * @in_got: continuations received so far
 * @in_len: bytes reassembled so far
 * @in_buf: reassembly buffer
 * @out: messages waiting to be sent, in order
 * @out_notifs: notifications on @out that have not started
 *
 * All but @tx, @rx and @work are protected by &gunyah_sim_rm.lock.
 */
struct gunyah_sim_rm_client {
	struct gunyah_sim_rm *rm;
	u16 vmid;
	struct gunyah_sim_msgq *tx;
	struct gunyah_sim_msgq *rx;
	struct gunyah_sim_rm_client_info info;
	u32 tx_intid;
	u32 rx_intid;
	struct work_struct work;
	struct list_head node;
	bool partial;
	u8 in_type;
	u16 in_seq;
	u32 in_id;
	u8 in_cont;
	u8 in_got;
	size_t in_len;
	u8 *in_buf;
	struct list_head out;
	unsigned int out_notifs;
};

/**
 * struct gunyah_sim_rm_script - A reply to give instead of handling a request
 * @node: entry in &gunyah_sim_rm.scripts
 * @msg_id: the request it answers, 0 for any
 * @len: reply payload length, error word included
 * @data: reply payload
 */
struct gunyah_sim_rm_script {
	struct list_head node;
	u32 msg_id;
	size_t len;
	u8 data[] __counted_by(len);
};

/**
 * struct gunyah_sim_rm - The simulated Resource Manager
 * @sim: the hypervisor it runs on
 * @lock: protects everything below but @wq
 * @wq: ordered: the RM handles one event at a time
 * @clients: &struct gunyah_sim_rm_client
 * @primary: the primary VM's client, named in the devicetree
 * @profile: which RM the simulator behaves like
 * @stats: counters for tests
 * @notif_seq: the next notification sequence number, shared by all clients
 * @vms: VMID to &struct gunyah_sim_rm_vm
 * @parcels: handle to &struct gunyah_sim_rm_parcel
 * @pages: page frame number (HLOS IPA >> 12) to the &struct
 *         gunyah_sim_rm_parcel the page is in, or for a page donated to a
 *         memory extent the value entry of its &gunyah_sim_memextent.key
 *         (marked %GUNYAH_SIM_PAGE_MAPPED while a guest maps it): finding
 *         whether a range is free costs one lookup per page, whatever the
 *         number of parcels and ranges
 * @donated_pages: pages donated to memory extents
 * @next_extent: serial number of the next memory extent
 * @reset_work: finishes the VM resets in progress (RESETTING to RESET)
 * @debugfs: the simulator's debugfs directory
 * @trace_on: record the message ID of every request in @trace
 * @trace_n: requests recorded since the trace started (may exceed the
 *           room in @trace)
 * @trace: the recorded message IDs
 * @next_handle: the next memparcel handle to try
 * @in_request: a request is being handled
 * @deferred: notifications raised while handling a request, sent after
 *            its reply
 * @reply: scratch space for reply payloads
 * @scripts: scripted replies
 * @fail_id: message ID that fail_nth applies to
 * @fail_count: requests of @fail_id left until the failure, 0 = none
 * @fail_error: the error to fail with
 * @drop_armed: drop the next reply to @drop_id
 * @drop_id: message ID whose reply to drop, 0 for any
 * @corrupt_armed: corrupt the next message sent
 * @corrupt_frag: fragment to corrupt
 * @corrupt_off: byte to corrupt
 * @corrupt_xor: how
 * @hold: output is held
 * @paused: input is not drained
 * @has_last: @last_* describe a request
 * @last_id: the last complete request's message ID
 * @last_seq: its sequence number
 * @last_frags: its number of fragments
 * @last_len: its payload length
 * @last_buf: its payload
 *
 * Lock order: @lock, then the cspace's and @pages' internal locks. @pages
 * is only changed with @lock held too.
 */
struct gunyah_sim_rm {
	struct gunyah_sim *sim;
	struct mutex lock;	/* protects the RM state and all clients */
	struct workqueue_struct *wq;
	struct list_head clients;
	struct gunyah_sim_rm_client *primary;
	enum gunyah_sim_rm_profile profile;
	struct gunyah_sim_rm_stats stats;
	u16 notif_seq;
	struct xarray vms;
	struct xarray parcels;
	struct xarray pages;
	u64 donated_pages;
	unsigned long next_extent;
	struct work_struct reset_work;
	struct dentry *debugfs;
	bool trace_on;
	size_t trace_n;
	u32 trace[GUNYAH_SIM_RM_TRACE_MAX];
	u32 next_handle;
	bool in_request;
	struct list_head deferred;
	u8 *reply;
	struct list_head scripts;
	u32 fail_id;
	unsigned int fail_count;
	u32 fail_error;
	bool drop_armed;
	u32 drop_id;
	bool corrupt_armed;
	unsigned int corrupt_frag;
	unsigned int corrupt_off;
	u8 corrupt_xor;
	bool hold;
	bool paused;
	bool has_last;
	u32 last_id;
	u16 last_seq;
	unsigned int last_frags;
	size_t last_len;
	u8 *last_buf;
};

/**
 * struct gunyah_sim_rm_call - One request being handled
 * @client: who sent it
 * @msg_id: its message ID
 * @req: its payload
 * @len: payload length
 * @reply: where the handler writes reply data (after the error word)
 * @reply_len: how much it wrote
 * @vm: the VM the request names, for messages whose caller rule needs one
 */
struct gunyah_sim_rm_call {
	struct gunyah_sim_rm_client *client;
	u32 msg_id;
	const u8 *req;
	size_t len;
	u8 *reply;
	size_t reply_len;
	struct gunyah_sim_rm_vm *vm;
};

typedef u32 (*gunyah_sim_rm_handler_t)(struct gunyah_sim_rm *rm,
				       struct gunyah_sim_rm_call *call);

/**
 * enum gunyah_sim_rm_len_rule - How a request's length is checked
 * @GUNYAH_SIM_RM_LEN_EXACT: exactly &gunyah_sim_rm_msg_desc.len bytes
 * @GUNYAH_SIM_RM_LEN_MIN: at least that many; the handler checks the rest
 */
enum gunyah_sim_rm_len_rule {
	GUNYAH_SIM_RM_LEN_EXACT,
	GUNYAH_SIM_RM_LEN_MIN,
};

/* Caller rules of &struct gunyah_sim_rm_msg_desc, combined with OR. */
#define GUNYAH_SIM_RM_CALLER_ANY	0
#define GUNYAH_SIM_RM_CALLER_HLOS	BIT(0)	/* the primary VM only: DENIED */
#define GUNYAH_SIM_RM_CALLER_OWNER	BIT(1)	/* owner of the VM at +0 */

/* Profiles a message exists in. */
#define GUNYAH_SIM_RM_ALL		false
#define GUNYAH_SIM_RM_FULL_ONLY		true

/* Any VM state: no state check. */
#define GUNYAH_SIM_RM_ANY_STATE		0

/**
 * struct gunyah_sim_rm_msg_desc - How the RM checks and handles a request
 * @msg_id: the message ID
 * @len: request length, see @len_rule
 * @len_rule: &enum gunyah_sim_rm_len_rule; MSG_INVALID if not met
 * @caller: GUNYAH_SIM_RM_CALLER_* rules; the VM is named by the u16 at
 *          offset 0 of the request, and an unknown VMID gets VMID_INVALID
 * @not_owner: the error a caller that is not the VM's owner gets
 * @states: bit n set: the VM may be in state n; VM_STATE otherwise;
 *          %GUNYAH_SIM_RM_ANY_STATE for no check (needs the OWNER rule)
 * @full_only: the message exists only on the full profile, the public RM
 *             answers UNIMPLEMENTED
 * @handler: handles a request that passed the checks
 */
struct gunyah_sim_rm_msg_desc {
	u32 msg_id;
	u16 len;
	u8 len_rule;
	u8 caller;
	u32 not_owner;
	u16 states;
	bool full_only;
	gunyah_sim_rm_handler_t handler;
};

void gunyah_sim_rm_notify(struct gunyah_sim_rm *rm,
			  struct gunyah_sim_rm_client *client, u32 msg_id,
			  const void *payload, size_t len);

/* VMs (sim_rm_vm.c) */
const struct gunyah_sim_rm_msg_desc *gunyah_sim_rm_vm_desc(u32 msg_id);
bool gunyah_sim_rm_vm_valid_acl_vmid(struct gunyah_sim_rm *rm, u16 vmid);
bool gunyah_sim_rm_vm_accepts_memory(struct gunyah_sim_rm *rm, u16 vmid);
void gunyah_sim_rm_vm_reset_work(struct work_struct *work);
void gunyah_sim_rm_vm_client_gone(struct gunyah_sim_rm *rm,
				  struct gunyah_sim_rm_client *client);
void gunyah_sim_rm_vm_forget_all(struct gunyah_sim_rm *rm, bool warn);
void gunyah_sim_rm_vm_exited(struct gunyah_sim_rm *rm,
			     struct gunyah_sim_rm_vm *vm, u16 exit_type,
			     const u32 *reason, u32 reason_size);
struct gunyah_sim_rm *gunyah_sim_rm_current(void);

/* Simulated guests (sim_guest.c) */
struct gunyah_sim_guest *gunyah_sim_guest_create(struct gunyah_sim_rm *rm,
						 u16 vmid,
						 unsigned int nvcpus);
struct gunyah_sim_guest *gunyah_sim_guest_get(struct gunyah_sim_guest *guest);
void gunyah_sim_guest_put(struct gunyah_sim_guest *guest);
void gunyah_sim_guest_set_intid(struct gunyah_sim_guest *guest,
				unsigned int index, u32 intid);
int gunyah_sim_guest_add_bell(struct gunyah_sim_guest *guest,
			      struct gunyah_sim_doorbell *bell);
int gunyah_sim_guest_start(struct gunyah_sim_rm *rm,
			   struct gunyah_sim_rm_vm *vm);
void gunyah_sim_guest_stop(struct gunyah_sim_guest *guest);
void gunyah_sim_guest_detach(struct gunyah_sim_guest *guest);

/* Demand paging (sim_rm_dp.c) */
int gunyah_sim_rm_dp_create(struct gunyah_sim_rm *rm,
			    struct gunyah_sim_rm_vm *vm);
void gunyah_sim_rm_dp_reset(struct gunyah_sim_rm *rm,
			    struct gunyah_sim_rm_vm *vm);
void gunyah_sim_rm_dp_destroy(struct gunyah_sim_rm *rm,
			      struct gunyah_sim_rm_vm *vm);
void gunyah_sim_rm_dp_forget_all(struct gunyah_sim_rm *rm, bool warn);
int gunyah_sim_rm_dp_lookup(struct gunyah_sim_rm *rm,
			    struct gunyah_sim_rm_vm *vm, u64 ipa, u64 *pa);

/* Memory parcels (sim_rm_mem.c) */
const struct gunyah_sim_rm_msg_desc *gunyah_sim_rm_mem_desc(u32 msg_id);
u32 gunyah_sim_rm_mem_image_check(struct gunyah_sim_rm *rm, u32 handle,
				  u16 vmid, u64 end1, u64 end2);
u32 gunyah_sim_rm_mem_read(struct gunyah_sim_rm *rm, u32 handle, u64 offset,
			   void *buf, size_t len);
void gunyah_sim_rm_mem_vm_accept(struct gunyah_sim_rm *rm, u16 vmid,
				 bool accept);
void gunyah_sim_rm_mem_usage(struct gunyah_sim_rm *rm,
			     struct gunyah_sim_rm_usage *usage);
void gunyah_sim_rm_mem_show(struct gunyah_sim_rm *rm, struct seq_file *s);
void gunyah_sim_rm_mem_client_gone(struct gunyah_sim_rm *rm,
				   struct gunyah_sim_rm_client *client);
void gunyah_sim_rm_mem_forget_all(struct gunyah_sim_rm *rm, bool warn);
int gunyah_sim_rm_mem_ranges(struct gunyah_sim_rm *rm, u32 handle,
			     struct gunyah_sim_rm_mem_range **ranges,
			     unsigned int *n);

#endif
