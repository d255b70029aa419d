// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interrupt controller of the simulated Gunyah hypervisor, and the
 * devicetree nodes through which the host finds it and the Resource Manager.
 *
 * Interrupts are named like the virtual GIC names them for a real host:
 * 3-cell specifiers (0 SPI / 2 ESPI, number relative to 32 / 4096, flags)
 * and hwirq = the GIC INTID.
 */

#define pr_fmt(fmt) "gunyah_sim: " fmt

#include <linux/fwnode.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/of.h>
#include <linux/of_irq.h>

#include "sim_internal.h"

#define GUNYAH_SIM_SPI_BASE	32
#define GUNYAH_SIM_SPI_END	1020
#define GUNYAH_SIM_ESPI_BASE	4096
#define GUNYAH_SIM_ESPI_END	5120

#define GUNYAH_SIM_IRQ_SPI	0
#define GUNYAH_SIM_IRQ_ESPI	2

static void gunyah_sim_intc_noop(struct irq_data *d)
{
}

static int gunyah_sim_intc_set_type(struct irq_data *d, unsigned int type)
{
	return type == IRQ_TYPE_EDGE_RISING ? 0 : -EINVAL;
}

static struct irq_chip gunyah_sim_intc_chip = {
	.name = "gunyah-sim",
	.irq_mask = gunyah_sim_intc_noop,
	.irq_unmask = gunyah_sim_intc_noop,
	.irq_set_type = gunyah_sim_intc_set_type,
	.flags = IRQCHIP_SKIP_SET_WAKE,
};

static int gunyah_sim_intc_domain_map(struct irq_domain *d, unsigned int virq,
				      irq_hw_number_t hwirq)
{
	irq_set_chip_and_handler(virq, &gunyah_sim_intc_chip, handle_simple_irq);
	irq_set_chip_data(virq, d->host_data);
	return 0;
}

static int gunyah_sim_intc_translate(struct irq_domain *d,
				     struct irq_fwspec *fwspec,
				     unsigned long *hwirq, unsigned int *type)
{
	u32 base, end;

	if (fwspec->param_count != 3)
		return -EINVAL;

	switch (fwspec->param[0]) {
	case GUNYAH_SIM_IRQ_SPI:
		base = GUNYAH_SIM_SPI_BASE;
		end = GUNYAH_SIM_SPI_END;
		break;
	case GUNYAH_SIM_IRQ_ESPI:
		base = GUNYAH_SIM_ESPI_BASE;
		end = GUNYAH_SIM_ESPI_END;
		break;
	default:
		return -EINVAL;
	}
	if (fwspec->param[1] >= end - base)
		return -EINVAL;

	*hwirq = base + fwspec->param[1];
	*type = fwspec->param[2] & IRQ_TYPE_SENSE_MASK;
	return 0;
}

static const struct irq_domain_ops gunyah_sim_intc_domain_ops = {
	.map = gunyah_sim_intc_domain_map,
	.translate = gunyah_sim_intc_translate,
};

static void gunyah_sim_intc_fwspec(struct gunyah_sim_intc *intc, u32 intid,
				   struct irq_fwspec *fwspec)
{
	fwspec->fwnode = of_fwnode_handle(intc->np);
	fwspec->param_count = 3;
	if (intid >= GUNYAH_SIM_ESPI_BASE) {
		fwspec->param[0] = GUNYAH_SIM_IRQ_ESPI;
		fwspec->param[1] = intid - GUNYAH_SIM_ESPI_BASE;
	} else {
		fwspec->param[0] = GUNYAH_SIM_IRQ_SPI;
		fwspec->param[1] = intid - GUNYAH_SIM_SPI_BASE;
	}
	fwspec->param[2] = IRQ_TYPE_EDGE_RISING;
}

/**
 * gunyah_sim_intc_alloc() - Pick a free INTID for a virtual interrupt
 * @intc: the interrupt controller
 *
 * INTIDs are handed out from 962 to 1019, then from the ESPI range.
 *
 * Return: the INTID, or a negative errno.
 */
int gunyah_sim_intc_alloc(struct gunyah_sim_intc *intc)
{
	int id;

	id = ida_alloc_range(&intc->intids, GUNYAH_SIM_FIRST_FREE_INTID,
			     GUNYAH_SIM_SPI_END - 1, GFP_KERNEL);
	if (id == -ENOSPC)
		id = ida_alloc_range(&intc->intids, GUNYAH_SIM_ESPI_BASE,
				     GUNYAH_SIM_ESPI_END - 1, GFP_KERNEL);
	return id;
}

/**
 * gunyah_sim_intc_free() - Give back an INTID from gunyah_sim_intc_alloc()
 * @intc: the interrupt controller
 * @intid: the INTID
 */
void gunyah_sim_intc_free(struct gunyah_sim_intc *intc, u32 intid)
{
	gunyah_sim_intc_unmap(intc, intid);
	ida_free(&intc->intids, intid);
}

/**
 * gunyah_sim_intc_map() - Linux IRQ number of an INTID, as a consumer gets it
 * @intc: the interrupt controller
 * @intid: the INTID
 *
 * Return: the IRQ number, or a negative errno.
 */
int gunyah_sim_intc_map(struct gunyah_sim_intc *intc, u32 intid)
{
	struct irq_fwspec fwspec;
	unsigned int irq;

	gunyah_sim_intc_fwspec(intc, intid, &fwspec);
	irq = irq_create_fwspec_mapping(&fwspec);
	return irq ? irq : -EINVAL;
}

/**
 * gunyah_sim_intc_unmap() - Dispose of the mapping of an INTID, if any
 * @intc: the interrupt controller
 * @intid: the INTID
 */
void gunyah_sim_intc_unmap(struct gunyah_sim_intc *intc, u32 intid)
{
	unsigned int irq = irq_find_mapping(intc->domain, intid);

	if (irq)
		irq_dispose_mapping(irq);
}

/**
 * gunyah_sim_intc_raise() - Assert an edge-triggered virtual interrupt
 * @intc: the interrupt controller
 * @intid: the INTID; nothing happens if nobody mapped it
 *
 * Context: any.
 */
void gunyah_sim_intc_raise(struct gunyah_sim_intc *intc, u32 intid)
{
	generic_handle_domain_irq_safe(intc->domain, intid);
}

static u32 gunyah_sim_free_phandle(void)
{
	struct device_node *np;
	u32 max = 0;

	for (np = of_find_all_nodes(NULL); np; np = of_find_all_nodes(np))
		max = max(max, np->phandle);
	return max + 1;
}

/**
 * gunyah_sim_intc_init() - Create the interrupt controller and its node
 * @intc: the interrupt controller
 *
 * Return: 0 or a negative errno.
 */
int gunyah_sim_intc_init(struct gunyah_sim_intc *intc)
{
	u32 phandle = gunyah_sim_free_phandle();
	struct device_node *np;
	int ret;

	ida_init(&intc->intids);
	of_changeset_init(&intc->node_cs);
	of_changeset_init(&intc->hyp_cs);

	np = of_changeset_create_node(&intc->node_cs, of_root,
				      "gunyah-sim-interrupt-controller");
	if (!np) {
		ret = -ENOMEM;
		goto err_destroy;
	}
	/* The changeset holds the node until it is destroyed. */
	of_node_put(np);
	ret = of_changeset_add_prop_u32(&intc->node_cs, np, "phandle",
					phandle);
	if (ret)
		goto err_destroy;
	ret = of_changeset_add_prop_bool(&intc->node_cs, np,
					 "interrupt-controller");
	if (ret)
		goto err_destroy;
	ret = of_changeset_add_prop_u32(&intc->node_cs, np, "#interrupt-cells",
					3);
	if (ret)
		goto err_destroy;

	/* No driver will bind to it: its provider is this module. */
	of_node_set_flag(np, OF_POPULATED);
	fwnode_dev_initialized(of_fwnode_handle(np), true);

	ret = of_changeset_apply(&intc->node_cs);
	if (ret)
		goto err_destroy;
	/*
	 * The node is attached before its properties are added, so the
	 * attach found no "phandle" property: set what lookups use.
	 */
	np->phandle = phandle;
	intc->np = np;

	intc->domain = irq_domain_create_tree(of_fwnode_handle(np),
					      &gunyah_sim_intc_domain_ops,
					      intc);
	if (!intc->domain) {
		ret = -ENOMEM;
		goto err_revert;
	}
	return 0;

err_revert:
	intc->np = NULL;
	of_changeset_revert(&intc->node_cs);
err_destroy:
	of_changeset_destroy(&intc->node_cs);
	of_changeset_destroy(&intc->hyp_cs);
	ida_destroy(&intc->intids);
	return ret;
}

/**
 * gunyah_sim_intc_exit() - Remove the interrupt controller and its node
 * @intc: the interrupt controller
 *
 * Mappings that consumers left behind are disposed of first.
 */
void gunyah_sim_intc_exit(struct gunyah_sim_intc *intc)
{
	u32 intid;

	for (intid = GUNYAH_SIM_SPI_BASE; intid < GUNYAH_SIM_ESPI_END; intid++)
		gunyah_sim_intc_unmap(intc, intid);
	irq_domain_remove(intc->domain);
	of_changeset_revert(&intc->node_cs);
	of_changeset_destroy(&intc->node_cs);
	of_changeset_destroy(&intc->hyp_cs);
	ida_destroy(&intc->intids);
	intc->np = NULL;
}

/**
 * gunyah_sim_intc_add_hypervisor() - Create /hypervisor for the primary VM
 * @intc: the interrupt controller the RM's interrupts come from
 * @tx_cap: the host-to-RM queue (the host may send)
 * @rx_cap: the RM-to-host queue (the host may receive)
 * @tx_intid: the TX queue's "not full" interrupt
 * @rx_intid: the RX queue's "not empty" interrupt
 *
 * The nodes are those the RM adds to the primary VM's devicetree.
 *
 * Return: 0 or a negative errno.
 */
int gunyah_sim_intc_add_hypervisor(struct gunyah_sim_intc *intc, u64 tx_cap,
				   u64 rx_cap, u32 tx_intid, u32 rx_intid)
{
	static const char * const hyp_compat[] = {
		"qcom,gunyah-hypervisor-1.0", "qcom,gunyah-hypervisor",
		"simple-bus",
	};
	static const char * const vm_compat[] = {
		"qcom,gunyah-vm-id-1.0", "qcom,gunyah-vm-id",
	};
	static const char * const rm_compat[] = {
		"gunyah-resource-manager", "qcom,resource-manager-1-0",
		"qcom,resource-manager",
	};
	struct of_changeset *cs = &intc->hyp_cs;
	struct device_node *hyp, *vm, *rm;
	struct irq_fwspec tx, rx;
	u32 reg[4], irqs[6];
	char name[48];
	int ret;

	/* The changeset holds each node it creates until it is destroyed. */
	hyp = of_changeset_create_node(cs, of_root, "hypervisor");
	if (!hyp)
		return -ENOMEM;
	of_node_put(hyp);
	ret = of_changeset_add_prop_string_array(cs, hyp, "compatible",
						 hyp_compat,
						 ARRAY_SIZE(hyp_compat));
	ret = ret ?: of_changeset_add_prop_u32(cs, hyp, "#address-cells", 2);
	ret = ret ?: of_changeset_add_prop_u32(cs, hyp, "#size-cells", 0);
	if (ret)
		return ret;

	vm = of_changeset_create_node(cs, hyp, "qcom,gunyah-vm");
	if (!vm)
		return -ENOMEM;
	of_node_put(vm);
	ret = of_changeset_add_prop_string_array(cs, vm, "compatible", vm_compat,
						 ARRAY_SIZE(vm_compat));
	ret = ret ?: of_changeset_add_prop_u32(cs, vm, "qcom,vmid", 3);
	ret = ret ?: of_changeset_add_prop_string(cs, vm, "qcom,vendor",
						  "Qualcomm");
	if (ret)
		return ret;

	snprintf(name, sizeof(name), "qcom,resource-manager-rpc@%016llx",
		 tx_cap);
	rm = of_changeset_create_node(cs, hyp, name);
	if (!rm)
		return -ENOMEM;
	of_node_put(rm);
	reg[0] = upper_32_bits(tx_cap);
	reg[1] = lower_32_bits(tx_cap);
	reg[2] = upper_32_bits(rx_cap);
	reg[3] = lower_32_bits(rx_cap);
	gunyah_sim_intc_fwspec(intc, tx_intid, &tx);
	gunyah_sim_intc_fwspec(intc, rx_intid, &rx);
	memcpy(irqs, tx.param, 3 * sizeof(u32));
	memcpy(irqs + 3, rx.param, 3 * sizeof(u32));
	ret = of_changeset_add_prop_string_array(cs, rm, "compatible", rm_compat,
						 ARRAY_SIZE(rm_compat));
	ret = ret ?: of_changeset_add_prop_u32_array(cs, rm, "reg", reg,
						     ARRAY_SIZE(reg));
	ret = ret ?: of_changeset_add_prop_u32(cs, rm, "interrupt-parent",
					       intc->np->phandle);
	ret = ret ?: of_changeset_add_prop_u32_array(cs, rm, "interrupts", irqs,
						     ARRAY_SIZE(irqs));
	ret = ret ?: of_changeset_add_prop_u32(cs, rm, "qcom,free-irq-start",
					       GUNYAH_SIM_RM_TX_INTID);
	ret = ret ?: of_changeset_add_prop_bool(cs, rm, "qcom,is-full-duplex");
	ret = ret ?: of_changeset_add_prop_u32(cs, rm, "qcom,tx-message-size",
					       GUNYAH_SIM_RM_MSG_SIZE);
	ret = ret ?: of_changeset_add_prop_u32(cs, rm, "qcom,rx-message-size",
					       GUNYAH_SIM_RM_MSG_SIZE);
	ret = ret ?: of_changeset_add_prop_u32(cs, rm, "qcom,tx-queue-depth",
					       GUNYAH_SIM_RM_QUEUE_DEPTH);
	ret = ret ?: of_changeset_add_prop_u32(cs, rm, "qcom,rx-queue-depth",
					       GUNYAH_SIM_RM_QUEUE_DEPTH);
	if (ret)
		return ret;

	ret = of_changeset_apply(cs);
	if (ret)
		return ret;
	intc->hyp_applied = true;
	return 0;
}

/**
 * gunyah_sim_intc_remove_hypervisor() - Remove /hypervisor again
 * @intc: the interrupt controller
 */
void gunyah_sim_intc_remove_hypervisor(struct gunyah_sim_intc *intc)
{
	if (intc->hyp_applied)
		of_changeset_revert(&intc->hyp_cs);
	intc->hyp_applied = false;
}
