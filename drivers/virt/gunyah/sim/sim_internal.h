/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals shared by the parts of the simulated Gunyah hypervisor.
 */

#ifndef _GUNYAH_SIM_INTERNAL_H
#define _GUNYAH_SIM_INTERNAL_H

#include <linux/arm-smccc.h>
#include <linux/atomic.h>
#include <linux/gunyah.h>
#include <linux/irqdomain.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/of.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include "gunyah_sim.h"

struct gunyah_sim_rm;

/**
 * enum gunyah_sim_object_type - Kinds of object in the simulated cspace
 * @GUNYAH_SIM_OBJ_MSGQUEUE: a message queue
 * @GUNYAH_SIM_OBJ_DOORBELL: a doorbell
 * @GUNYAH_SIM_OBJ_VCPU: a virtual CPU
 * @GUNYAH_SIM_OBJ_ADDRSPACE: a guest address space
 * @GUNYAH_SIM_OBJ_MEMEXTENT: a memory extent
 * @GUNYAH_SIM_OBJ_VPM_GROUP: a virtual power-management group
 */
enum gunyah_sim_object_type {
	GUNYAH_SIM_OBJ_MSGQUEUE,
	GUNYAH_SIM_OBJ_DOORBELL,
	GUNYAH_SIM_OBJ_VCPU,
	GUNYAH_SIM_OBJ_ADDRSPACE,
	GUNYAH_SIM_OBJ_MEMEXTENT,
	GUNYAH_SIM_OBJ_VPM_GROUP,
};

/* Message-queue capability rights. */
#define GUNYAH_SIM_MSGQ_SEND		BIT(0)
#define GUNYAH_SIM_MSGQ_RECEIVE		BIT(1)

/* vCPU capability rights the RM gives the owner of a VM. */
#define GUNYAH_SIM_VCPU_AFFINITY	BIT(1)
#define GUNYAH_SIM_VCPU_YIELD_TO	BIT(4)

/* Limits of a message queue of the hypervisor. */
#define GUNYAH_SIM_MSGQ_MAX_DEPTH	255
#define GUNYAH_SIM_MSGQ_MAX_SIZE	1023

/* The interrupts of the primary RM client, as the real RM picks them. */
#define GUNYAH_SIM_RM_TX_INTID		960
#define GUNYAH_SIM_RM_RX_INTID		961
#define GUNYAH_SIM_FIRST_FREE_INTID	962

/* The RM's queues: depth and message size, both directions. */
#define GUNYAH_SIM_RM_QUEUE_DEPTH	8
#define GUNYAH_SIM_RM_MSG_SIZE		240

/**
 * struct gunyah_sim_object - An object named by a capability
 * @type: what kind of object this is
 * @rights: the rights of the host's capability to it
 * @ref: references: the cspace holds one, each user of the object another
 * @release: frees the object when the last reference goes
 */
struct gunyah_sim_object {
	enum gunyah_sim_object_type type;
	u32 rights;
	struct kref ref;
	void (*release)(struct gunyah_sim_object *obj);
};

/**
 * struct gunyah_sim_intc - The simulated interrupt controller
 * @np: its devicetree node
 * @domain: its irq domain; hwirq is the GIC INTID
 * @intids: INTIDs handed out from %GUNYAH_SIM_FIRST_FREE_INTID up
 * @node_cs: the changeset that created @np
 * @hyp_cs: the changeset that created /hypervisor
 * @hyp_applied: whether @hyp_cs is applied
 */
struct gunyah_sim_intc {
	struct device_node *np;
	struct irq_domain *domain;
	struct ida intids;
	struct of_changeset node_cs;
	struct of_changeset hyp_cs;
	bool hyp_applied;
};

/**
 * struct gunyah_sim - The simulated hypervisor
 * @lock: protects @identity
 * @identity: how the hypervisor introduces itself
 * @caps: the host's capability space, capability ID to &struct
 *        gunyah_sim_object; the xarray's own (irq-safe) lock serialises
 *        changes and lookups that take a reference
 * @intc: the interrupt controller the host sees
 * @rm: the Resource Manager
 * @calls: hypercalls made, whatever their function ID
 * @vcpu_runs: vcpu_run calls among them
 * @timing: measure the time spent answering vcpu_run (debugfs knob, for
 *          the benchmark: it costs two clock reads per call)
 * @vcpu_run_ns: that time, in nanoseconds, while @timing was on
 */
struct gunyah_sim {
	spinlock_t lock;	/* protects identity */
	struct gunyah_sim_identity identity;
	struct xarray caps;
	struct gunyah_sim_intc intc;
	struct gunyah_sim_rm *rm;
	atomic64_t calls;
	atomic64_t vcpu_runs;
	bool timing;
	atomic64_t vcpu_run_ns;
};

/**
 * struct gunyah_sim_msgq - A unidirectional message queue
 * @obj: the cspace object; its rights are those of the host's capability
 * @lock: protects @head, @count, @sizes, @data and the callbacks
 * @depth: how many messages fit
 * @max_size: the largest message, in bytes
 * @head: index of the oldest message
 * @count: number of queued messages
 * @sizes: size of each slot's message
 * @data: @depth slots of @max_size bytes
 * @not_empty: called (under RCU, any context) when the receiver should be
 *             told that messages are waiting
 * @not_full: called (under RCU, any context) when the sender should be
 *            told that the queue has room again
 * @ctx: argument of both callbacks
 */
struct gunyah_sim_msgq {
	struct gunyah_sim_object obj;
	spinlock_t lock;	/* protects the ring and the callbacks */
	u16 depth;
	u16 max_size;
	unsigned int head;
	unsigned int count;
	u16 *sizes;
	u8 *data;
	void (*not_empty)(void *ctx);
	void (*not_full)(void *ctx);
	void *ctx;
};

/* Capability space (sim_core.c) */
int gunyah_sim_cap_add(struct gunyah_sim *sim, struct gunyah_sim_object *obj,
		       u64 *capid);
void gunyah_sim_cap_remove(struct gunyah_sim *sim, u64 capid);
struct gunyah_sim_object *gunyah_sim_cap_get(struct gunyah_sim *sim, u64 capid,
					     enum gunyah_sim_object_type type,
					     u32 rights, unsigned long *err);
void gunyah_sim_object_init(struct gunyah_sim_object *obj,
			    enum gunyah_sim_object_type type, u32 rights,
			    void (*release)(struct gunyah_sim_object *obj));
void gunyah_sim_object_put(struct gunyah_sim_object *obj);

/* Message queues (sim_msgq.c) */
struct gunyah_sim_msgq *gunyah_sim_msgq_create(u16 depth, u16 max_size,
					       u32 rights);
void gunyah_sim_msgq_set_callbacks(struct gunyah_sim_msgq *q,
				   void (*not_empty)(void *ctx),
				   void (*not_full)(void *ctx), void *ctx);
unsigned long gunyah_sim_msgq_put(struct gunyah_sim_msgq *q, const void *buf,
				  size_t size, bool push, bool *not_full);
unsigned long gunyah_sim_msgq_get(struct gunyah_sim_msgq *q, void *buf,
				  size_t buf_size, size_t *size,
				  bool *not_empty);
void gunyah_sim_msgq_hvc_send(struct gunyah_sim *sim,
			      const struct arm_smccc_1_2_regs *args,
			      struct arm_smccc_1_2_regs *res);
void gunyah_sim_msgq_hvc_recv(struct gunyah_sim *sim,
			      const struct arm_smccc_1_2_regs *args,
			      struct arm_smccc_1_2_regs *res);

/* Interrupt controller and devicetree (sim_intc.c) */
int gunyah_sim_intc_init(struct gunyah_sim_intc *intc);
void gunyah_sim_intc_exit(struct gunyah_sim_intc *intc);
int gunyah_sim_intc_alloc(struct gunyah_sim_intc *intc);
void gunyah_sim_intc_free(struct gunyah_sim_intc *intc, u32 intid);
int gunyah_sim_intc_map(struct gunyah_sim_intc *intc, u32 intid);
void gunyah_sim_intc_unmap(struct gunyah_sim_intc *intc, u32 intid);
void gunyah_sim_intc_raise(struct gunyah_sim_intc *intc, u32 intid);
int gunyah_sim_intc_add_hypervisor(struct gunyah_sim_intc *intc, u64 tx_cap,
				   u64 rx_cap, u32 tx_intid, u32 rx_intid);
void gunyah_sim_intc_remove_hypervisor(struct gunyah_sim_intc *intc);

/* Demand-paging hypercalls (sim_rm_dp.c) */
void gunyah_sim_memextent_donate(struct gunyah_sim *sim,
				 const struct arm_smccc_1_2_regs *args,
				 struct arm_smccc_1_2_regs *res);
void gunyah_sim_addrspace_map(struct gunyah_sim *sim,
			      const struct arm_smccc_1_2_regs *args,
			      struct arm_smccc_1_2_regs *res);
void gunyah_sim_addrspace_unmap(struct gunyah_sim *sim,
				const struct arm_smccc_1_2_regs *args,
				struct arm_smccc_1_2_regs *res);

/* Guests and their doorbells (sim_guest.c) */
void gunyah_sim_vcpu_run(struct gunyah_sim *sim,
			 const struct arm_smccc_1_2_regs *args,
			 struct arm_smccc_1_2_regs *res);
void gunyah_sim_bell_send(struct gunyah_sim *sim,
			  const struct arm_smccc_1_2_regs *args,
			  struct arm_smccc_1_2_regs *res);
void gunyah_sim_bell_set_mask(struct gunyah_sim *sim,
			      const struct arm_smccc_1_2_regs *args,
			      struct arm_smccc_1_2_regs *res);

/* Resource Manager (sim_rm.c) */
int gunyah_sim_rm_init(struct gunyah_sim *sim);
struct dentry *gunyah_sim_rm_debugfs(struct gunyah_sim *sim);
void gunyah_sim_rm_exit(struct gunyah_sim *sim);
int gunyah_sim_rm_primary_caps(struct gunyah_sim *sim, u64 *tx_cap,
			       u64 *rx_cap);

#endif
