// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM config devicetrees for tests of the simulated Resource Manager and
 * of the drivers that talk to it.
 */

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "gunyah_sim.h"

#define GUNYAH_FDT_MAGIC	0xd00dfeed
#define GUNYAH_FDT_BEGIN_NODE	1
#define GUNYAH_FDT_END_NODE	2
#define GUNYAH_FDT_PROP		3
#define GUNYAH_FDT_END		9
/* Header, then an empty memory reservation map */
#define GUNYAH_FDT_HDR_SIZE	40
#define GUNYAH_FDT_RSV_SIZE	16

/**
 * struct gunyah_fdt - A flattened devicetree being written, laid out as
 *                     dtc does: header, empty reservation map, structure
 *                     block, strings block
 * @st: the structure block
 * @st_len: bytes used in @st
 * @str: the strings block
 * @str_len: bytes used in @str
 * @overflow: something did not fit
 */
struct gunyah_fdt {
	u8 st[2048];
	size_t st_len;
	char str[512];
	size_t str_len;
	bool overflow;
};

static void gunyah_fdt_bytes(struct gunyah_fdt *f, const void *p, size_t len)
{
	if (f->st_len + ALIGN(len, 4) > sizeof(f->st)) {
		f->overflow = true;
		return;
	}
	memcpy(f->st + f->st_len, p, len);
	memset(f->st + f->st_len + len, 0, ALIGN(len, 4) - len);
	f->st_len += ALIGN(len, 4);
}

static void gunyah_fdt_u32(struct gunyah_fdt *f, u32 v)
{
	__be32 b = cpu_to_be32(v);

	gunyah_fdt_bytes(f, &b, sizeof(b));
}

static void gunyah_fdt_begin(struct gunyah_fdt *f, const char *name)
{
	gunyah_fdt_u32(f, GUNYAH_FDT_BEGIN_NODE);
	gunyah_fdt_bytes(f, name, strlen(name) + 1);
}

static void gunyah_fdt_end(struct gunyah_fdt *f)
{
	gunyah_fdt_u32(f, GUNYAH_FDT_END_NODE);
}

static void gunyah_fdt_prop(struct gunyah_fdt *f, const char *name,
			    const void *val, size_t len)
{
	size_t name_len = strlen(name) + 1;

	if (f->str_len + name_len > sizeof(f->str)) {
		f->overflow = true;
		return;
	}
	gunyah_fdt_u32(f, GUNYAH_FDT_PROP);
	gunyah_fdt_u32(f, len);
	gunyah_fdt_u32(f, f->str_len);
	memcpy(f->str + f->str_len, name, name_len);
	f->str_len += name_len;
	gunyah_fdt_bytes(f, val, len);
}

static void gunyah_fdt_u32_prop(struct gunyah_fdt *f, const char *name, u32 v)
{
	__be32 b = cpu_to_be32(v);

	gunyah_fdt_prop(f, name, &b, sizeof(b));
}

static void gunyah_fdt_str_prop(struct gunyah_fdt *f, const char *name,
				const char *v)
{
	gunyah_fdt_prop(f, name, v, strlen(v) + 1);
}

static void gunyah_fdt_vdev(struct gunyah_fdt *f, const char *name,
			    const char *type, u32 label)
{
	gunyah_fdt_begin(f, name);
	gunyah_fdt_str_prop(f, "vdevice-type", type);
	gunyah_fdt_u32_prop(f, "label", label);
}

static void gunyah_fdt_vm(struct gunyah_fdt *f, const struct gunyah_sim_vm_dt *dt)
{
	__be32 base[2] = { cpu_to_be32(upper_32_bits(dt->base)),
			   cpu_to_be32(lower_32_bits(dt->base)) };
	char name[16];
	unsigned int i;

	gunyah_fdt_begin(f, "");
	gunyah_fdt_u32_prop(f, "#address-cells", 2);
	gunyah_fdt_u32_prop(f, "#size-cells", 2);

	gunyah_fdt_begin(f, "gunyah-vm-config");
	gunyah_fdt_str_prop(f, "vm-type", "aarch64-guest");
	gunyah_fdt_str_prop(f, "os-type", "linux");
	gunyah_fdt_begin(f, "memory");
	gunyah_fdt_prop(f, "base-address", base, sizeof(base));
	gunyah_fdt_end(f);
	gunyah_fdt_begin(f, "vcpus");
	gunyah_fdt_str_prop(f, "affinity", dt->proxy ? "proxy" : "static");
	gunyah_fdt_end(f);
	if (dt->vdevs) {
		gunyah_fdt_begin(f, "vdevices");
		gunyah_fdt_vdev(f, "bell-tx", "doorbell", 5);
		gunyah_fdt_prop(f, "peer-default", NULL, 0);
		gunyah_fdt_end(f);
		gunyah_fdt_vdev(f, "bell-rx", "doorbell-source", 6);
		gunyah_fdt_end(f);
		gunyah_fdt_vdev(f, "msgq", "message-queue-pair", 7);
		gunyah_fdt_u32_prop(f, "message-size", 240);
		gunyah_fdt_u32_prop(f, "queue-depth", 8);
		gunyah_fdt_end(f);
		gunyah_fdt_vdev(f, "bell-other", "doorbell", 8);
		gunyah_fdt_u32_prop(f, "peer", 0x90);
		gunyah_fdt_end(f);
		gunyah_fdt_end(f);
	}
	gunyah_fdt_end(f);

	if (dt->cpus) {
		gunyah_fdt_begin(f, "cpus");
		for (i = 0; i < dt->cpus; i++) {
			snprintf(name, sizeof(name), "cpu@%u", i);
			gunyah_fdt_begin(f, name);
			gunyah_fdt_str_prop(f, "device_type", "cpu");
			gunyah_fdt_str_prop(f, "enable-method", "psci");
			gunyah_fdt_end(f);
		}
		gunyah_fdt_end(f);
	}
	if (dt->hypervisor) {
		gunyah_fdt_begin(f, "hypervisor");
		gunyah_fdt_end(f);
	}
	gunyah_fdt_end(f);
	gunyah_fdt_u32(f, GUNYAH_FDT_END);
}

/**
 * gunyah_sim_vm_dtb() - Write a VM config devicetree
 * @dt: what it holds
 * @dst: where to write it
 * @size: room at @dst
 *
 * Return: its size, -E2BIG if it does not fit, or -ENOMEM.
 */
ssize_t gunyah_sim_vm_dtb(const struct gunyah_sim_vm_dt *dt, void *dst,
			  size_t size)
{
	size_t off_st = GUNYAH_FDT_HDR_SIZE + GUNYAH_FDT_RSV_SIZE, off_str;
	struct gunyah_fdt *f;
	ssize_t total;
	u8 *p = dst;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	gunyah_fdt_vm(f, dt);

	off_str = off_st + f->st_len;
	total = off_str + f->str_len;
	if (f->overflow || total > size) {
		total = -E2BIG;
		goto out;
	}
	memset(p, 0, off_st);
	put_unaligned_be32(GUNYAH_FDT_MAGIC, p);
	put_unaligned_be32(total, p + 4);
	put_unaligned_be32(off_st, p + 8);		/* structure block */
	put_unaligned_be32(off_str, p + 12);		/* strings block */
	put_unaligned_be32(GUNYAH_FDT_HDR_SIZE, p + 16); /* reservation map */
	put_unaligned_be32(17, p + 20);			/* version */
	put_unaligned_be32(16, p + 24);			/* last compatible */
	put_unaligned_be32(f->str_len, p + 32);
	put_unaligned_be32(f->st_len, p + 36);
	memcpy(p + off_st, f->st, f->st_len);
	memcpy(p + off_str, f->str, f->str_len);
out:
	kfree(f);
	return total;
}
EXPORT_SYMBOL_GPL(gunyah_sim_vm_dtb);
