/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interface of the simulated Gunyah hypervisor for its tests.
 */

#ifndef _GUNYAH_SIM_H
#define _GUNYAH_SIM_H

#include <linux/types.h>

/**
 * struct gunyah_sim_identity - How the simulator introduces itself
 * @uid: X0..X3 returned by the vendor-hypervisor UID call
 * @uid_unsupported: answer the UID call with "not supported" instead
 * @api_info: the API information word returned by hyp_identify
 * @flags: API flags 0..2 returned by hyp_identify
 */
struct gunyah_sim_identity {
	unsigned long uid[4];
	bool uid_unsupported;
	u64 api_info;
	u64 flags[3];
};

void gunyah_sim_get_identity(struct gunyah_sim_identity *identity);
void gunyah_sim_set_identity(const struct gunyah_sim_identity *identity);

/**
 * enum gunyah_sim_rm_profile - Which Resource Manager the simulator imitates
 * @GUNYAH_SIM_RM_PUBLIC: the public 12/2023 RM: its message set, everything
 *                        else RM_ERROR_UNIMPLEMENTED
 * @GUNYAH_SIM_RM_FULL: also VM_SET_BOOT_CONTEXT, VM_SET_DEMAND_PAGING and
 *                      VM_SET_ADDRESS_LAYOUT, and demand paging: the
 *                      address space and memory extents of a VM, the
 *                      donation types 3 and 4 and the map flags PRIVATE
 *                      and VMMIO
 */
enum gunyah_sim_rm_profile {
	GUNYAH_SIM_RM_PUBLIC,
	GUNYAH_SIM_RM_FULL,
};

void gunyah_sim_rm_set_profile(enum gunyah_sim_rm_profile profile);
enum gunyah_sim_rm_profile gunyah_sim_rm_get_profile(void);
void gunyah_sim_rm_reset(void);

/**
 * struct gunyah_sim_rm_stats - What the simulated RM has done
 * @packets_rx: msgq messages the RM received from hosts
 * @requests: complete requests processed
 * @dropped_rx: malformed or unmatched packets dropped
 * @packets_tx: msgq messages the RM sent
 * @replies: replies generated (dropped ones included)
 * @notifications: notifications generated
 * @dropped_replies: buffered replies replaced by newer ones
 */
struct gunyah_sim_rm_stats {
	u64 packets_rx;
	u64 requests;
	u64 dropped_rx;
	u64 packets_tx;
	u64 replies;
	u64 notifications;
	u64 dropped_replies;
};

void gunyah_sim_rm_get_stats(struct gunyah_sim_rm_stats *stats);
int gunyah_sim_rm_last_request(u32 *msg_id, u16 *seq, void *buf,
			       size_t buf_size, size_t *len,
			       unsigned int *fragments);
int gunyah_sim_rm_script_reply(u32 msg_id, u32 rm_error, const void *data,
			       size_t len);
void gunyah_sim_rm_fail_nth(u32 msg_id, unsigned int nth, u32 rm_error);
void gunyah_sim_rm_hold_output(bool hold);
void gunyah_sim_rm_drop_next_reply(u32 msg_id);
void gunyah_sim_rm_corrupt_next_output(unsigned int fragment_index,
				       unsigned int byte_offset, u8 xor);
void gunyah_sim_rm_pause_input(bool pause);
int gunyah_sim_rm_inject_packet(const void *buf, size_t len);
struct gunyah_sim_rm_client_info;
int gunyah_sim_rm_send_notification(const struct gunyah_sim_rm_client_info *to,
				    u32 msg_id, const void *payload, size_t len);

/**
 * struct gunyah_sim_rm_client_info - An extra RM client queue pair
 * @tx_cap: host-to-RM queue; the host may send on it
 * @rx_cap: RM-to-host queue; the host may receive from it
 * @tx_irq: Linux IRQ of @tx_cap's "not full" interrupt
 * @rx_irq: Linux IRQ of @rx_cap's "not empty" interrupt
 */
struct gunyah_sim_rm_client_info {
	u64 tx_cap, rx_cap;
	int tx_irq, rx_irq;
};

/**
 * struct gunyah_sim_rm_usage - What the simulated RM holds
 * @vms: allocated VMs
 * @parcels: live memory parcels
 * @lent_pages: 4 KiB pages in lent or donated parcels
 * @shared_pages: 4 KiB pages in shared parcels
 * @donated_pages: 4 KiB pages donated to the memory extents of guests
 *                 (demand paging, full profile)
 */
struct gunyah_sim_rm_usage {
	unsigned int vms;
	unsigned int parcels;
	u64 lent_pages;
	u64 shared_pages;
	u64 donated_pages;
};

void gunyah_sim_rm_get_usage(struct gunyah_sim_rm_usage *usage);
int gunyah_sim_rm_ipa_lookup(u16 vmid, u64 ipa, u64 *pa);
int gunyah_sim_rm_vm_state(u16 vmid);

/**
 * struct gunyah_sim_rm_vm_info - What the simulated RM knows of a VM
 * @state: its state (§3.8.3 of the ABI)
 * @owner: its owner's VMID
 * @mem_base: guest IPA of its image parcel, from its config devicetree
 * @vcpus: vCPUs created from its config devicetree
 * @proxy: its vCPUs are proxy-scheduled
 * @resources: hypervisor resources the owner gets for it, vCPUs, address
 *             space and memory extents included
 */
struct gunyah_sim_rm_vm_info {
	u8 state;
	u16 owner;
	u64 mem_base;
	unsigned int vcpus;
	bool proxy;
	unsigned int resources;
};

int gunyah_sim_rm_get_vm_info(u16 vmid, struct gunyah_sim_rm_vm_info *info);
int gunyah_sim_rm_vm_boot_reg(u16 vmid, unsigned int reg, u64 *value);
void gunyah_sim_rm_trace_start(void);
void gunyah_sim_rm_trace_stop(void);
size_t gunyah_sim_rm_trace_get(u32 *ids, size_t max);

/**
 * struct gunyah_sim_vm_dt - What a VM's config devicetree built by
 *                           gunyah_sim_vm_dtb() holds
 * @cpus: /cpus/cpu@N nodes; 0 for no /cpus
 * @proxy: /gunyah-vm-config/vcpus affinity = "proxy"
 * @hypervisor: a /hypervisor node, which the RM refuses
 * @base: /gunyah-vm-config/memory base-address
 * @vdevs: doorbell label 5 and doorbell-source label 6 for the host,
 *         message-queue-pair label 7 (peer-default), a doorbell label 8
 *         whose peer is another VM
 */
struct gunyah_sim_vm_dt {
	unsigned int cpus;
	bool proxy;
	bool hypervisor;
	u64 base;
	bool vdevs;
};

ssize_t gunyah_sim_vm_dtb(const struct gunyah_sim_vm_dt *dt, void *dst,
			  size_t size);

void gunyah_sim_hypercall_count(u64 *calls, u64 *vcpu_runs);
int gunyah_sim_intid_to_irq(u32 intid);
int gunyah_sim_bell_state(u16 vmid, u32 label, u64 *flags, u64 *enable,
			  u64 *ack, bool *asserted);

/**
 * struct gunyah_sim_vcpu_info - What a vCPU of a simulated guest is doing
 * @on: powered on
 * @running: a caller is inside vcpu_run for it
 * @pc: index of the instruction it runs next
 * @acc: its accumulator
 * @counter: its loop counter
 * @last_state: the run state vcpu_run last returned and whose resume data
 *              is still to be taken (0 once taken)
 * @intid: its wakeup interrupt in the host
 * @wakeups: times that interrupt was raised
 */
struct gunyah_sim_vcpu_info {
	bool on;
	bool running;
	u64 pc;
	u64 acc;
	u64 counter;
	u32 last_state;
	u32 intid;
	u64 wakeups;
};

int gunyah_sim_get_vcpu_info(u16 vmid, u32 index,
			     struct gunyah_sim_vcpu_info *info);
void gunyah_sim_set_vcpu_run_hook(void (*hook)(u64 capid));

int gunyah_sim_rm_create_client(struct gunyah_sim_rm_client_info *info);
void gunyah_sim_rm_destroy_client(const struct gunyah_sim_rm_client_info *info);
int gunyah_sim_rm_set_client_vmid(const struct gunyah_sim_rm_client_info *info,
				  u16 vmid);

#endif
