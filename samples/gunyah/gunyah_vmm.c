// SPDX-License-Identifier: GPL-2.0-only
/*
 * A sample VMM for the Gunyah hypervisor.
 *
 * It boots a guest through /dev/gunyah: it loads an image (an arm64 kernel
 * Image or a program of the simulated hypervisor's guests), a devicetree and
 * an optional initrd into guest memory, creates one vCPU per cpu node of the
 * devicetree, starts the VM and runs each vCPU in a thread of its own. It
 * emulates the data and flag registers of a PL011 UART, enough for the
 * guest's earlycon, and prints what the guest writes there. A "doorbell
 * device" shows the in-kernel functions: a guest write to its address
 * signals an ioeventfd, and the VMM answers by signalling an irqfd, which
 * raises the interrupt of the guest's doorbell.
 *
 * The devicetree is also the Resource Manager's configuration of the VM
 * (/gunyah-vm-config): see gunyah-guest.dts next to this file.
 *
 * Build it with CONFIG_SAMPLE_GUNYAH=y, or by hand:
 *   gcc -I usr/include -o gunyah_vmm gunyah_vmm.c -lpthread
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/gunyah.h>

#define PROG			"gunyah_vmm"

/* Defaults, all overridable from the command line */
#define DEFAULT_BASE		0x80000000ULL
#define DEFAULT_MEM_SIZE	(64ULL << 20)
#define DEFAULT_UART		0x09000000ULL
#define DEFAULT_DOORBELL	0x09010000ULL

/*
 * The devicetree goes at the end of guest memory, page aligned, followed by
 * room for what the Resource Manager adds to it (its /hypervisor node, the
 * memory it accepted, ...).
 */
#define DTB_ROOM		0x10000ULL

/* The PL011 registers this VMM emulates, as offsets in its 4 KiB window */
#define UART_SIZE		0x1000
#define UART_DR			0x00	/* data */
#define UART_FR			0x18	/* flags */
#define UART_FR_TXFE		0x80	/* transmit FIFO empty */
#define UART_FR_RXFE		0x10	/* receive FIFO empty */
#define UART_PERIPH_ID		0xfe0	/* identification registers */

/* Exit status of the VMM: see usage() */
#define EXIT_GUEST_CODE_MAX	124
#define EXIT_GUEST_CRASHED	125
#define EXIT_VMM_ERROR		126

/* Where the guest's devicetree says what to build */
struct dt_info {
	unsigned int cpus;		/* cpu nodes under /cpus */
	bool has_base;
	__u64 base;			/* /gunyah-vm-config/memory/base-address */
	bool has_mem_size;
	__u64 mem_size;		/* size of the first memory node */
	bool has_bell;
	__u32 bell_label;		/* the first doorbell toward the host */
	bool has_chosen;
};

struct vmm;

struct vcpu {
	struct vmm *vmm;
	unsigned int id;
	int fd;
	struct gunyah_vcpu_run *run;
	size_t run_size;
	pthread_t thread;
	bool thread_running;
};

struct vmm {
	/* Options */
	const char *image_path, *dtb_path, *initrd_path;
	__u64 base, mem_size, image_offset;
	bool base_set, mem_size_set;
	unsigned int nr_vcpus;
	bool user_mem, user_mem_lend;
	__u64 uart;
	__u64 doorbell;
	bool doorbell_off;
	int verbose;

	/* Files, read whole */
	void *image, *dtb, *initrd;
	size_t image_size, dtb_size, initrd_size;
	size_t dtb_alloc;

	/* Guest memory layout */
	__u64 image_addr, dtb_addr, dtb_config_size, initrd_addr;

	int dev, vm, guest_mem;
	void *mem;			/* host mapping of guest memory */
	struct dt_info dt;
	struct vcpu *vcpus;

	/* The doorbell device */
	int ioeventfd, irqfd, stopfd;
	pthread_t bell_thread;
	bool bell_thread_running;

	/* Protects stopping, exit_status and the vCPUs' thread_running */
	pthread_mutex_t lock;
	bool stopping;
	int exit_status;

	/* Protects the console line; the vCPUs share the UART */
	pthread_mutex_t console_lock;
	char line[256];
	size_t line_len;
};

static const char help[] =
	"usage: " PROG " [options] --dtb FILE IMAGE\n"
	"\n"
	"Boot IMAGE (an arm64 kernel Image, or a program of the simulated\n"
	"hypervisor's guests) as a Gunyah VM through /dev/gunyah, and print what\n"
	"the guest writes to its PL011 UART.\n"
	"\n"
	"Options:\n"
	"  -d, --dtb FILE          the VM's devicetree (required): the guest's and\n"
	"                          the Resource Manager's configuration of the VM\n"
	"  -i, --initrd FILE       load an initrd below the devicetree and point\n"
	"                          /chosen linux,initrd-start/end at it\n"
	"  -m, --mem SIZE          guest memory size, with an optional K, M or G\n"
	"                          suffix (default: the devicetree's memory node,\n"
	"                          else 64M)\n"
	"  -b, --base ADDR         guest physical address of guest memory (default:\n"
	"                          /gunyah-vm-config/memory/base-address, else\n"
	"                          0x80000000)\n"
	"  -o, --image-offset OFF  load IMAGE at base + OFF (default 0); the guest\n"
	"                          starts there with X0 = the devicetree's address\n"
	"  -c, --vcpus N           number of vCPUs (default: one per cpu node of the\n"
	"                          devicetree)\n"
	"  -u, --user-mem[=share|lend]\n"
	"                          give the guest this process's memory with the\n"
	"                          user-memory ioctls (GUNYAH_VM_SET_USER_MEM_REGION\n"
	"                          shares it, GUNYAH_VM_ANDROID_LEND_USER_MEM lends\n"
	"                          it) instead of a guest-memory fd\n"
	"  -U, --uart ADDR         guest address of the emulated PL011 (default\n"
	"                          0x09000000); it must be below 1 GiB\n"
	"  -D, --doorbell ADDR|off guest address of the doorbell device (default\n"
	"                          0x09010000), see below; \"off\" disables it\n"
	"  -v, --verbose           say what the VMM does; twice: also every MMIO\n"
	"                          access it does not emulate\n"
	"  -h, --help              print this help\n"
	"\n"
	"Doorbell device: when the devicetree has a doorbell vdevice whose peer is\n"
	"the host, any write by the guest to the doorbell address signals an\n"
	"ioeventfd; the VMM prints a line and signals an irqfd bound to that\n"
	"doorbell's label, which raises the doorbell's interrupt in the guest.\n"
	"\n"
	"UART: writes to the data register (offset 0x0) are the guest's console;\n"
	"reads of the flag register (0x18) say the transmit FIFO is empty and\n"
	"nothing was received; the PrimeCell ID registers say PL011. Any other\n"
	"MMIO read of the guest returns 0, any other MMIO write is ignored.\n"
	"\n"
	"Exit status:\n"
	"  N    the guest powered off with exit code N (0 <= N <= 123); a larger\n"
	"       code is reported as 124. A guest that asked for a reset is\n"
	"       reported with its exit code too (0): this VMM does not reboot.\n"
	"  125  the guest crashed\n"
	"  126  the VMM failed: bad arguments, a file, an ioctl (the message names\n"
	"       it and the error), the VM could not be loaded, or the guest needed\n"
	"       what this VMM does not provide\n";

static void print_help(FILE *f)
{
	fputs(help, f);
}

static void info(const struct vmm *vmm, const char *fmt, ...)
{
	va_list ap;

	if (!vmm->verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* An ioctl whose failure is reported with its name and errno. */
static int do_ioctl(int fd, unsigned long request, unsigned long arg,
		    const char *name)
{
	int ret = ioctl(fd, request, arg);

	if (ret < 0)
		error("%s: %s", name, strerror(errno));
	return ret;
}

#define IOCTL(fd, request, arg) \
	do_ioctl(fd, request, (unsigned long)(arg), #request)

static __u64 round_up(__u64 v, __u64 align)
{
	return (v + align - 1) & ~(align - 1);
}

static __u64 round_down(__u64 v, __u64 align)
{
	return v & ~(align - 1);
}

/* A number with an optional K, M or G suffix. */
static bool parse_size(const char *s, __u64 *out)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return false;
	switch (*end) {
	case 'k': case 'K':
		shift = 10;
		end++;
		break;
	case 'm': case 'M':
		shift = 20;
		end++;
		break;
	case 'g': case 'G':
		shift = 30;
		end++;
		break;
	}
	if (*end || (shift && v > (ULLONG_MAX >> shift)))
		return false;
	*out = (__u64)v << shift;
	return true;
}

/* Read a whole file; @extra bytes of zeroes follow its contents. */
static void *read_file(const char *path, size_t *size, size_t extra)
{
	struct stat st;
	size_t done = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		error("%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		error("%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	buf = calloc(1, st.st_size + extra);
	if (!buf) {
		error("%s: %s", path, strerror(ENOMEM));
		close(fd);
		return NULL;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, st.st_size - done);

		if (n <= 0) {
			error("%s: %s", path, n ? strerror(errno) :
			      "file shrank while reading");
			free(buf);
			close(fd);
			return NULL;
		}
		done += n;
	}
	close(fd);
	*size = done;
	return buf;
}

/*
 * The flattened devicetree: just enough of it to find what the VMM needs
 * and to add the initrd's location to /chosen.
 */
#define FDT_MAGIC		0xd00dfeed
#define FDT_BEGIN_NODE		1
#define FDT_END_NODE		2
#define FDT_PROP		3
#define FDT_NOP			4
#define FDT_END			9
#define FDT_MAX_DEPTH		16

#define FDT_OFF_TOTALSIZE	4
#define FDT_OFF_STRUCT		8
#define FDT_OFF_STRINGS		12
#define FDT_OFF_RSVMAP		16
#define FDT_OFF_SIZE_STRINGS	32
#define FDT_OFF_SIZE_STRUCT	36
#define FDT_HEADER_SIZE		40

static __u32 be32(const void *p)
{
	const __u8 *b = p;

	return (__u32)b[0] << 24 | (__u32)b[1] << 16 |
	       (__u32)b[2] << 8 | b[3];
}

static void put_be32(void *p, __u32 v)
{
	__u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

/* A property value of @cells 32-bit cells (1 or 2) */
static __u64 fdt_cells(const __u8 *p, unsigned int cells)
{
	return cells == 2 ? (__u64)be32(p) << 32 | be32(p + 4) : be32(p);
}

/* What the walk remembers of each node on the current path */
struct fdt_node {
	const char *name;
	bool memory;		/* device_type = "memory" */
	bool doorbell;		/* vdevice-type = "doorbell" */
	bool peer_other;	/* has "peer" and no "peer-default" */
	bool peer_default;
	bool has_label;
	__u32 label;
	bool has_reg_size;
	__u64 reg_size;
	unsigned int address_cells, size_cells;	/* for its children */
};

static bool node_is(const char *name, const char *want)
{
	size_t n = strlen(want);

	return !strncmp(name, want, n) && (!name[n] || name[n] == '@');
}

static bool fdt_check(const __u8 *fdt, size_t size)
{
	__u32 total, off_struct, off_strings, size_struct, size_strings;

	if (size < FDT_HEADER_SIZE || be32(fdt) != FDT_MAGIC)
		return false;
	total = be32(fdt + FDT_OFF_TOTALSIZE);
	off_struct = be32(fdt + FDT_OFF_STRUCT);
	off_strings = be32(fdt + FDT_OFF_STRINGS);
	size_struct = be32(fdt + FDT_OFF_SIZE_STRUCT);
	size_strings = be32(fdt + FDT_OFF_SIZE_STRINGS);
	return total <= size && off_struct >= FDT_HEADER_SIZE &&
	       off_struct <= total && size_struct <= total - off_struct &&
	       off_strings <= total && size_strings <= total - off_strings &&
	       !(off_struct & 3);
}

/* What a property says about its node, path[depth], or about the VM */
static void fdt_prop(struct fdt_node *path, int depth, const char *name,
		     const __u8 *val, __u32 len, struct dt_info *dt)
{
	struct fdt_node *n = &path[depth];
	struct fdt_node *parent = depth ? &path[depth - 1] : NULL;

	if (!strcmp(name, "#address-cells") && len == 4) {
		n->address_cells = be32(val);
	} else if (!strcmp(name, "#size-cells") && len == 4) {
		n->size_cells = be32(val);
	} else if (!strcmp(name, "device_type")) {
		n->memory = len == sizeof("memory") &&
			    !memcmp(val, "memory", len);
	} else if (!strcmp(name, "vdevice-type")) {
		n->doorbell = len == sizeof("doorbell") &&
			      !memcmp(val, "doorbell", len);
	} else if (!strcmp(name, "peer-default")) {
		n->peer_default = true;
	} else if (!strcmp(name, "peer")) {
		n->peer_other = true;
	} else if ((!strcmp(name, "label") ||
		    (!strcmp(name, "qcom,label") && !n->has_label)) &&
		   len == 4) {
		/* "label" wins over "qcom,label" */
		n->has_label = true;
		n->label = be32(val);
	} else if (!strcmp(name, "reg") && parent &&
		   parent->address_cells <= 2 && parent->size_cells >= 1 &&
		   parent->size_cells <= 2 &&
		   len >= 4 * (parent->address_cells + parent->size_cells)) {
		n->has_reg_size = true;
		n->reg_size = fdt_cells(val + 4 * parent->address_cells,
					parent->size_cells);
	} else if (!strcmp(name, "base-address") && (len == 4 || len == 8) &&
		   depth == 2 && node_is(n->name, "memory") &&
		   (node_is(path[1].name, "gunyah-vm-config") ||
		    node_is(path[1].name, "qcom,vm-config"))) {
		dt->has_base = true;
		dt->base = fdt_cells(val, len / 4);
	}
}

/*
 * Walk the devicetree. Properties come before the subnodes of a node, so
 * what a node says about itself is complete when its subnodes start.
 * Returns false if the blob is malformed.
 */
static bool fdt_scan(const __u8 *fdt, size_t size, struct dt_info *dt)
{
	__u32 off, end, strings, strings_size;
	struct fdt_node path[FDT_MAX_DEPTH];
	int depth = -1;

	memset(dt, 0, sizeof(*dt));
	if (!fdt_check(fdt, size))
		return false;
	off = be32(fdt + FDT_OFF_STRUCT);
	end = off + be32(fdt + FDT_OFF_SIZE_STRUCT);
	strings = be32(fdt + FDT_OFF_STRINGS);
	strings_size = be32(fdt + FDT_OFF_SIZE_STRINGS);

	while (off + 4 <= end) {
		__u32 token = be32(fdt + off);
		struct fdt_node *n;
		const char *pname;
		const __u8 *val;
		__u32 len, nameoff;

		off += 4;
		switch (token) {
		case FDT_BEGIN_NODE:
			if (++depth >= FDT_MAX_DEPTH)
				return false;
			n = &path[depth];
			memset(n, 0, sizeof(*n));
			n->name = (const char *)fdt + off;
			len = strnlen(n->name, end - off);
			if (off + len >= end)
				return false;
			off = round_up(off + len + 1, 4);
			/* The devicetree spec's defaults */
			n->address_cells = 2;
			n->size_cells = 1;
			if (depth == 2 && node_is(path[1].name, "cpus") &&
			    node_is(n->name, "cpu"))
				dt->cpus++;
			if (depth == 1 && node_is(n->name, "chosen"))
				dt->has_chosen = true;
			break;
		case FDT_END_NODE:
			if (depth < 0)
				return false;
			n = &path[depth];
			if (depth == 1 && n->memory && n->has_reg_size &&
			    !dt->has_mem_size) {
				dt->has_mem_size = true;
				dt->mem_size = n->reg_size;
			}
			if (n->doorbell && (n->peer_default || !n->peer_other) &&
			    n->has_label && !dt->has_bell) {
				dt->has_bell = true;
				dt->bell_label = n->label;
			}
			depth--;
			break;
		case FDT_PROP:
			if (depth < 0 || off + 8 > end)
				return false;
			len = be32(fdt + off);
			nameoff = be32(fdt + off + 4);
			val = fdt + off + 8;
			if (len > end - off - 8 || nameoff >= strings_size)
				return false;
			pname = (const char *)fdt + strings + nameoff;
			if (!memchr(pname, 0, strings_size - nameoff))
				return false;
			off = round_up(off + 8 + len, 4);

			fdt_prop(path, depth, pname, val, len, dt);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return depth == -1;
		default:
			return false;
		}
	}
	return false;
}

/*
 * Set a 64-bit property of /chosen: in place if it is there with 8 bytes,
 * else add it as the node's first property. The blob must have room for
 * 16 bytes and the name after its end, and its strings must come last.
 * Returns false if the blob cannot be changed that way.
 */
static bool fdt_set_chosen_u64(__u8 *fdt, size_t room, const char *name,
			       __u64 value)
{
	__u32 total = be32(fdt + FDT_OFF_TOTALSIZE);
	__u32 off = be32(fdt + FDT_OFF_STRUCT);
	__u32 end = off + be32(fdt + FDT_OFF_SIZE_STRUCT);
	__u32 strings = be32(fdt + FDT_OFF_STRINGS);
	__u32 strings_size = be32(fdt + FDT_OFF_SIZE_STRINGS);
	__u32 insert = 0, nameoff, len;
	size_t name_len = strlen(name) + 1;
	const __u32 grow = 12 + 8;
	int depth = -1;
	__u8 *prop;

	if (strings + strings_size != total ||
	    be32(fdt + FDT_OFF_RSVMAP) > off || strings < end)
		return false;

	/* Find /chosen: its first property goes right after its name. */
	while (off + 4 <= end && !insert) {
		__u32 token = be32(fdt + off);

		off += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *node = (const char *)fdt + off;

			depth++;
			off = round_up(off + strlen(node) + 1, 4);
			if (depth == 1 && node_is(node, "chosen"))
				insert = off;
		} else if (token == FDT_END_NODE) {
			depth--;
		} else if (token == FDT_PROP) {
			off = round_up(off + 8 + be32(fdt + off), 4);
		} else if (token != FDT_NOP) {
			return false;
		}
	}
	if (!insert)
		return false;

	/* Already there? */
	for (off = insert; off + 12 <= end && be32(fdt + off) == FDT_PROP;) {
		len = be32(fdt + off + 4);
		nameoff = be32(fdt + off + 8);
		if (!strcmp((const char *)fdt + strings + nameoff, name)) {
			if (len != 8)
				return false;
			put_be32(fdt + off + 12, value >> 32);
			put_be32(fdt + off + 16, value);
			return true;
		}
		off = round_up(off + 12 + len, 4);
	}

	if (total + grow + name_len > room)
		return false;
	/* Make room in the structure block, then append the name. */
	memmove(fdt + insert + grow, fdt + insert, total - insert);
	strings += grow;
	prop = fdt + insert;
	put_be32(prop, FDT_PROP);
	put_be32(prop + 4, 8);
	put_be32(prop + 8, strings_size);
	put_be32(prop + 12, value >> 32);
	put_be32(prop + 16, value);
	memcpy(fdt + strings + strings_size, name, name_len);

	put_be32(fdt + FDT_OFF_STRINGS, strings);
	put_be32(fdt + FDT_OFF_SIZE_STRINGS, strings_size + name_len);
	put_be32(fdt + FDT_OFF_SIZE_STRUCT,
		 be32(fdt + FDT_OFF_SIZE_STRUCT) + grow);
	put_be32(fdt + FDT_OFF_TOTALSIZE, total + grow + name_len);
	return true;
}

/* Room the devicetree buffer keeps for the initrd's /chosen properties */
#define DTB_EXTRA		128

static int load_files(struct vmm *vmm)
{
	vmm->image = read_file(vmm->image_path, &vmm->image_size, 0);
	if (!vmm->image)
		return -1;
	vmm->dtb = read_file(vmm->dtb_path, &vmm->dtb_size, DTB_EXTRA);
	if (!vmm->dtb)
		return -1;
	vmm->dtb_alloc = vmm->dtb_size + DTB_EXTRA;
	if (!fdt_scan(vmm->dtb, vmm->dtb_size, &vmm->dt)) {
		error("%s: not a valid flattened devicetree", vmm->dtb_path);
		return -1;
	}
	/* The blob may be followed by padding: the header has its size. */
	vmm->dtb_size = be32((__u8 *)vmm->dtb + FDT_OFF_TOTALSIZE);
	if (vmm->initrd_path) {
		vmm->initrd = read_file(vmm->initrd_path, &vmm->initrd_size, 0);
		if (!vmm->initrd)
			return -1;
	}
	return 0;
}

/*
 * Decide where everything goes: the image at base + offset, the devicetree
 * and the Resource Manager's room at the end of guest memory, the initrd
 * right below the devicetree.
 */
static int plan_memory(struct vmm *vmm)
{
	__u64 ps = sysconf(_SC_PAGESIZE);
	__u64 image_end, low, end;

	if (!vmm->base_set)
		vmm->base = vmm->dt.has_base ? vmm->dt.base : DEFAULT_BASE;
	if (!vmm->mem_size_set)
		vmm->mem_size = vmm->dt.has_mem_size ? vmm->dt.mem_size :
						       DEFAULT_MEM_SIZE;
	if (!vmm->nr_vcpus)
		vmm->nr_vcpus = vmm->dt.cpus ? vmm->dt.cpus : 1;

	if (vmm->base % ps || !vmm->mem_size || vmm->mem_size % ps) {
		error("guest memory %#llx + %#llx is not page aligned",
		      vmm->base, vmm->mem_size);
		return -1;
	}
	if (vmm->base + vmm->mem_size < vmm->base) {
		error("guest memory %#llx + %#llx overflows",
		      vmm->base, vmm->mem_size);
		return -1;
	}
	if (vmm->dt.has_base && vmm->dt.base != vmm->base)
		error("warning: --base %#llx is not the devicetree's base-address %#llx",
		      vmm->base, vmm->dt.base);

	end = vmm->base + vmm->mem_size;
	vmm->dtb_config_size = round_up(vmm->dtb_size + DTB_EXTRA, ps) +
			       DTB_ROOM;
	if (vmm->dtb_config_size > vmm->mem_size) {
		error("the devicetree does not fit in %#llx bytes of guest memory",
		      vmm->mem_size);
		return -1;
	}
	vmm->dtb_addr = end - vmm->dtb_config_size;
	low = vmm->dtb_addr;
	if (vmm->initrd) {
		if (vmm->initrd_size > vmm->dtb_addr - vmm->base) {
			error("%s does not fit in guest memory", vmm->initrd_path);
			return -1;
		}
		vmm->initrd_addr = round_down(vmm->dtb_addr - vmm->initrd_size,
					      ps);
		low = vmm->initrd_addr;
	}
	vmm->image_addr = vmm->base + vmm->image_offset;
	image_end = vmm->image_addr + vmm->image_size;
	if (vmm->image_offset >= vmm->mem_size || image_end < vmm->image_addr ||
	    image_end > low) {
		error("%s (%zu bytes at offset %#llx) does not fit below %#llx",
		      vmm->image_path, vmm->image_size, vmm->image_offset, low);
		return -1;
	}

	if (vmm->initrd) {
		__u64 start = vmm->initrd_addr;

		if (!vmm->dt.has_chosen ||
		    !fdt_set_chosen_u64(vmm->dtb, vmm->dtb_alloc,
					"linux,initrd-start", start) ||
		    !fdt_set_chosen_u64(vmm->dtb, vmm->dtb_alloc,
					"linux,initrd-end",
					start + vmm->initrd_size)) {
			error("%s: cannot add the initrd to /chosen (is there a /chosen node?)",
			      vmm->dtb_path);
			return -1;
		}
		vmm->dtb_size = be32((__u8 *)vmm->dtb + FDT_OFF_TOTALSIZE);
	}

	info(vmm, "guest memory %#llx-%#llx (%s)", vmm->base,
	     end - 1, !vmm->user_mem ? "guest-memory fd" :
	     vmm->user_mem_lend ? "user memory, lent" : "user memory, shared");
	info(vmm, "image %s at %#llx (%zu bytes)", vmm->image_path,
	     vmm->image_addr, vmm->image_size);
	if (vmm->initrd)
		info(vmm, "initrd %s at %#llx (%zu bytes)",
		     vmm->initrd_path, vmm->initrd_addr, vmm->initrd_size);
	info(vmm, "devicetree %s at %#llx (%zu bytes, %#llx with the RM's room)",
	     vmm->dtb_path, vmm->dtb_addr, vmm->dtb_size,
	     vmm->dtb_config_size);
	return 0;
}

static void fill_memory(struct vmm *vmm)
{
	__u8 *mem = vmm->mem;

	memcpy(mem + (vmm->image_addr - vmm->base), vmm->image,
	       vmm->image_size);
	memcpy(mem + (vmm->dtb_addr - vmm->base), vmm->dtb, vmm->dtb_size);
	if (vmm->initrd)
		memcpy(mem + (vmm->initrd_addr - vmm->base), vmm->initrd,
		       vmm->initrd_size);
}

/*
 * Guest memory from a guest-memory fd: write the guest's files through a
 * mapping of the fd, then bind the whole fd into the VM. The memory is lent
 * to the guest when the VM starts; the host loses access to it then.
 */
static int setup_guest_mem(struct vmm *vmm)
{
	struct gunyah_create_mem_args create = {
		.flags = GHMF_CLOEXEC | GHMF_ALLOW_HUGEPAGE,
		.size = vmm->mem_size,
	};
	struct gunyah_map_mem_args map = {
		.guest_addr = vmm->base,
		.flags = GUNYAH_MEM_DEFAULT_ACCESS | GUNYAH_MEM_ALLOW_RWX,
		.offset = 0,
		.size = vmm->mem_size,
	};

	vmm->guest_mem = IOCTL(vmm->dev, GUNYAH_CREATE_GUEST_MEM, &create);
	if (vmm->guest_mem < 0)
		return -1;
	vmm->mem = mmap(NULL, vmm->mem_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, vmm->guest_mem, 0);
	if (vmm->mem == MAP_FAILED) {
		vmm->mem = NULL;
		error("mmap of the guest memory: %s", strerror(errno));
		return -1;
	}
	fill_memory(vmm);
	munmap(vmm->mem, vmm->mem_size);
	vmm->mem = NULL;

	map.guest_mem_fd = vmm->guest_mem;
	return IOCTL(vmm->vm, GUNYAH_VM_MAP_MEM, &map) < 0 ? -1 : 0;
}

/*
 * Guest memory from this process: anonymous memory, which the kernel pins
 * and shares or lends to the guest as it is. It stays mapped until exit.
 */
static int setup_user_mem(struct vmm *vmm)
{
	struct gunyah_userspace_memory_region region = {
		.label = 0,
		.flags = GUNYAH_USER_MEM_READ | GUNYAH_USER_MEM_WRITE |
			 GUNYAH_USER_MEM_EXEC,
		.guest_phys_addr = vmm->base,
		.memory_size = vmm->mem_size,
	};
	int ret;

	vmm->mem = mmap(NULL, vmm->mem_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vmm->mem == MAP_FAILED) {
		vmm->mem = NULL;
		error("mmap of %#llx bytes of guest memory: %s",
		      vmm->mem_size, strerror(errno));
		return -1;
	}
	fill_memory(vmm);
	region.userspace_addr = (uintptr_t)vmm->mem;
	if (vmm->user_mem_lend)
		ret = IOCTL(vmm->vm, GUNYAH_VM_ANDROID_LEND_USER_MEM, &region);
	else
		ret = IOCTL(vmm->vm, GUNYAH_VM_SET_USER_MEM_REGION, &region);
	return ret < 0 ? -1 : 0;
}

static int set_boot_reg(struct vmm *vmm, __u32 set, __u32 index,
			__u64 value)
{
	struct gunyah_vm_boot_context ctx = {
		.reg = GUNYAH_VM_BOOT_CONTEXT_REG(set, index),
		.value = value,
	};

	return IOCTL(vmm->vm, GUNYAH_VM_SET_BOOT_CONTEXT, &ctx) < 0 ? -1 : 0;
}

/*
 * The arm64 boot protocol: start at the image with X0 = the devicetree's
 * address and X1..X3 = 0. Every Resource Manager starts the boot vCPU with
 * the PC and X0 the VMM asks for (the public one as an offset into the
 * image's memory); only one with the boot-context message takes the other
 * registers, which elsewhere are reset to 0 anyway.
 */
static int setup_boot_context(struct vmm *vmm)
{
	struct gunyah_vm_dtb_config dtb = {
		.guest_phys_addr = vmm->dtb_addr,
		.size = vmm->dtb_config_size,
	};
	int all_regs;
	unsigned int i;

	if (IOCTL(vmm->vm, GUNYAH_VM_SET_DTB_CONFIG, &dtb) < 0)
		return -1;
	if (set_boot_reg(vmm, REG_SET_PC, 0, vmm->image_addr) ||
	    set_boot_reg(vmm, REG_SET_X, 0, vmm->dtb_addr))
		return -1;

	all_regs = ioctl(vmm->vm, GUNYAH_CHECK_EXTENSION,
			 GUNYAH_CAP_BOOT_CONTEXT);
	if (all_regs > 0) {
		for (i = 1; i <= 3; i++)
			if (set_boot_reg(vmm, REG_SET_X, i, 0))
				return -1;
	}
	info(vmm, "boot context: PC %#llx, X0 %#llx%s",
	     vmm->image_addr, vmm->dtb_addr,
	     all_regs > 0 ? ", X1-X3 0 (the RM takes every register)" :
			    " (the RM sets only these)");
	return 0;
}

static int add_function(struct vmm *vmm, __u32 type, void *arg,
			__u32 size, const char *what)
{
	struct gunyah_fn_desc desc = {
		.type = type,
		.arg_size = size,
		.arg = (uintptr_t)arg,
	};
	int ret;

	ret = ioctl(vmm->vm, GUNYAH_VM_ADD_FUNCTION, &desc);
	if (ret < 0)
		error("GUNYAH_VM_ADD_FUNCTION (%s): %s", what, strerror(errno));
	return ret;
}

static int create_vcpus(struct vmm *vmm)
{
	unsigned int i;
	int size;

	vmm->vcpus = calloc(vmm->nr_vcpus, sizeof(*vmm->vcpus));
	if (!vmm->vcpus) {
		error("%s", strerror(ENOMEM));
		return -1;
	}
	for (i = 0; i < vmm->nr_vcpus; i++)
		vmm->vcpus[i].fd = -1;

	for (i = 0; i < vmm->nr_vcpus; i++) {
		struct gunyah_fn_vcpu_arg arg = { .id = i };
		struct vcpu *vcpu = &vmm->vcpus[i];
		char what[32];

		vcpu->vmm = vmm;
		vcpu->id = i;
		snprintf(what, sizeof(what), "vCPU %u", i);
		vcpu->fd = add_function(vmm, GUNYAH_FN_VCPU, &arg, sizeof(arg),
					what);
		if (vcpu->fd < 0)
			return -1;
		size = IOCTL(vcpu->fd, GUNYAH_VCPU_MMAP_SIZE, 0);
		if (size < 0)
			return -1;
		if ((size_t)size < sizeof(*vcpu->run)) {
			error("GUNYAH_VCPU_MMAP_SIZE: %d is too small", size);
			return -1;
		}
		vcpu->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
				 vcpu->fd, 0);
		if (vcpu->run == MAP_FAILED) {
			vcpu->run = NULL;
			error("mmap of the run page of vCPU %u: %s", i,
			      strerror(errno));
			return -1;
		}
		vcpu->run_size = size;
	}
	info(vmm, "%u vCPU%s", vmm->nr_vcpus, vmm->nr_vcpus == 1 ? "" : "s");
	return 0;
}

/*
 * The doorbell device: an ioeventfd for the guest's writes to its address,
 * an irqfd for the guest's doorbell.
 */
static int create_doorbell(struct vmm *vmm)
{
	struct gunyah_fn_ioeventfd_arg io = {
		.addr = vmm->doorbell,
		.len = 0,	/* any width */
	};
	struct gunyah_fn_irqfd_arg irq = {
		.label = vmm->dt.bell_label,
	};

	if (vmm->doorbell_off)
		return 0;
	if (!vmm->dt.has_bell) {
		info(vmm, "no doorbell device: the devicetree has no doorbell toward the host");
		return 0;
	}
	vmm->ioeventfd = eventfd(0, EFD_CLOEXEC);
	vmm->irqfd = eventfd(0, EFD_CLOEXEC);
	vmm->stopfd = eventfd(0, EFD_CLOEXEC);
	if (vmm->ioeventfd < 0 || vmm->irqfd < 0 || vmm->stopfd < 0) {
		error("eventfd: %s", strerror(errno));
		return -1;
	}
	io.fd = vmm->ioeventfd;
	irq.fd = vmm->irqfd;
	if (add_function(vmm, GUNYAH_FN_IOEVENTFD, &io, sizeof(io),
			 "ioeventfd") < 0 ||
	    add_function(vmm, GUNYAH_FN_IRQFD, &irq, sizeof(irq), "irqfd") < 0)
		return -1;
	info(vmm, "doorbell device at %#llx rings doorbell %u",
	     vmm->doorbell, vmm->dt.bell_label);
	return 0;
}

static void *doorbell_thread(void *data)
{
	struct vmm *vmm = data;
	struct pollfd fds[2] = {
		{ .fd = vmm->ioeventfd, .events = POLLIN },
		{ .fd = vmm->stopfd, .events = POLLIN },
	};
	__u64 count, one = 1;

	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			error("poll: %s", strerror(errno));
			break;
		}
		if (fds[1].revents)
			break;
		if (!(fds[0].revents & POLLIN))
			continue;
		if (read(vmm->ioeventfd, &count, sizeof(count)) != sizeof(count))
			continue;
		fprintf(stderr,
			PROG ": doorbell: the guest rang (%llu); ringing its doorbell %u\n",
			count, vmm->dt.bell_label);
		if (write(vmm->irqfd, &one, sizeof(one)) != sizeof(one))
			error("irqfd: %s", strerror(errno));
	}
	return NULL;
}

/* The guest's console: whole lines, so that other output does not cut them. */
static void console_flush_locked(struct vmm *vmm)
{
	size_t done = 0;

	while (done < vmm->line_len) {
		ssize_t n = write(STDOUT_FILENO, vmm->line + done,
				  vmm->line_len - done);

		if (n <= 0 && errno != EINTR)
			break;
		if (n > 0)
			done += n;
	}
	vmm->line_len = 0;
}

static void console_putc(struct vmm *vmm, char c)
{
	pthread_mutex_lock(&vmm->console_lock);
	vmm->line[vmm->line_len++] = c;
	if (c == '\n' || vmm->line_len == sizeof(vmm->line))
		console_flush_locked(vmm);
	pthread_mutex_unlock(&vmm->console_lock);
}

static void console_flush(struct vmm *vmm)
{
	pthread_mutex_lock(&vmm->console_lock);
	console_flush_locked(vmm);
	pthread_mutex_unlock(&vmm->console_lock);
}

static __u64 pl011_read(__u64 reg)
{
	/* PrimeCell identification: a PL011, revision 3 */
	static const __u8 id[8] = { 0x11, 0x10, 0x34, 0x00,
				       0x0d, 0xf0, 0x05, 0xb1 };

	if (reg == UART_FR)
		return UART_FR_TXFE | UART_FR_RXFE;
	if (reg >= UART_PERIPH_ID && reg < UART_PERIPH_ID + 4 * sizeof(id) &&
	    !(reg & 3))
		return id[(reg - UART_PERIPH_ID) / 4];
	return 0;
}

static void handle_mmio(struct vcpu *vcpu)
{
	struct gunyah_vcpu_run *run = vcpu->run;
	struct vmm *vmm = vcpu->vmm;
	__u64 addr = run->mmio.phys_addr, value = 0;
	unsigned int len = run->mmio.len, i;
	bool uart = addr >= vmm->uart && addr < vmm->uart + UART_SIZE;

	if (len > sizeof(run->mmio.data))
		len = sizeof(run->mmio.data);
	if (run->mmio.is_write) {
		/* The data is in the guest's byte order: little-endian. */
		for (i = 0; i < len; i++)
			value |= (__u64)run->mmio.data[i] << (8 * i);
		if (uart && addr - vmm->uart == UART_DR)
			console_putc(vmm, value & 0xff);
		else if (!uart && vmm->verbose > 1)
			info(vmm, "vCPU %u: write %#llx to %#llx (%u bytes)",
			     vcpu->id, value, addr, len);
	} else {
		if (uart)
			value = pl011_read(addr - vmm->uart);
		else if (vmm->verbose > 1)
			info(vmm, "vCPU %u: read %#llx (%u bytes): 0",
			     vcpu->id, addr, len);
		for (i = 0; i < len; i++)
			run->mmio.data[i] = value >> (8 * i);
	}
	/* The kernel presets this; say it anyway. */
	run->mmio.resume_action = GUNYAH_VCPU_RESUME_HANDLED;
}

static void sigusr1(int sig)
{
	(void)sig;
}

/*
 * Stop every vCPU thread once, with @status as the VMM's exit status. A
 * thread may be inside GUNYAH_VCPU_RUN, about to enter it, or emulating an
 * access: immediate_exit catches the second, the signal the first, and the
 * stopping flag the third.
 */
static void vmm_stop(struct vmm *vmm, int status)
{
	unsigned int i;

	pthread_mutex_lock(&vmm->lock);
	if (vmm->stopping) {
		pthread_mutex_unlock(&vmm->lock);
		return;
	}
	vmm->stopping = true;
	vmm->exit_status = status;
	for (i = 0; i < vmm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vmm->vcpus[i];

		if (!vcpu->run)
			continue;
		__atomic_store_n(&vcpu->run->immediate_exit, 1,
				 __ATOMIC_SEQ_CST);
		if (vcpu->thread_running &&
		    !pthread_equal(vcpu->thread, pthread_self()))
			pthread_kill(vcpu->thread, SIGUSR1);
	}
	pthread_mutex_unlock(&vmm->lock);
}

static bool vmm_stopping(struct vmm *vmm)
{
	bool stopping;

	pthread_mutex_lock(&vmm->lock);
	stopping = vmm->stopping;
	pthread_mutex_unlock(&vmm->lock);
	return stopping;
}

static const char *exit_type_name(__u16 type)
{
	switch (type) {
	case 0: return "VM stopped";
	case 1: return "powered off";
	case 2: return "reset";
	case 3: return "reset (SYSTEM_RESET2)";
	case 4: return "watchdog bite";
	case 5: return "software error";
	case 6: return "asynchronous RAS error";
	default: return "unknown exit type";
	}
}

/* The VM is no longer running: the status decides the VMM's exit status. */
static int vm_status(struct vcpu *vcpu)
{
	struct gunyah_vcpu_run *run = vcpu->run;
	const struct gunyah_vm_exit_info *ei = &run->status.exit_info;
	__u32 word0 = 0, code;
	unsigned int i;

	for (i = 0; i < 4 && i < ei->reason_size; i++)
		word0 |= (__u32)ei->reason[i] << (8 * i);
	code = word0 >> 16;

	switch (run->status.status) {
	case GUNYAH_VM_STATUS_EXITED:
		fprintf(stderr, PROG ": the guest exited (%s) with code %u\n",
			exit_type_name(ei->type), code);
		return code > EXIT_GUEST_CODE_MAX - 1 ? EXIT_GUEST_CODE_MAX : code;
	case GUNYAH_VM_STATUS_CRASHED:
		fprintf(stderr, PROG ": the guest crashed (%s, reason %#x)\n",
			exit_type_name(ei->type), word0);
		return EXIT_GUEST_CRASHED;
	case GUNYAH_VM_STATUS_LOAD_FAILED:
		error("the VM could not be loaded");
		return EXIT_VMM_ERROR;
	default:
		error("vCPU %u: unknown VM status %u", vcpu->id,
		      run->status.status);
		return EXIT_VMM_ERROR;
	}
}

static void *vcpu_thread(void *data)
{
	struct vcpu *vcpu = data;
	struct vmm *vmm = vcpu->vmm;
	struct gunyah_vcpu_run *run = vcpu->run;

	while (!vmm_stopping(vmm)) {
		if (ioctl(vcpu->fd, GUNYAH_VCPU_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			error("GUNYAH_VCPU_RUN (vCPU %u): %s", vcpu->id,
			      strerror(errno));
			vmm_stop(vmm, EXIT_VMM_ERROR);
			break;
		}
		switch (run->exit_reason) {
		case GUNYAH_VCPU_EXIT_MMIO:
			handle_mmio(vcpu);
			break;
		case GUNYAH_VCPU_EXIT_STATUS:
			console_flush(vmm);
			vmm_stop(vmm, vm_status(vcpu));
			break;
		case GUNYAH_VCPU_EXIT_PAGE_FAULT:
			error("vCPU %u: no memory at %#llx for the guest: %s",
			      vcpu->id, (unsigned long long)run->page_fault.phys_addr,
			      strerror(-run->page_fault.attempt));
			vmm_stop(vmm, EXIT_VMM_ERROR);
			break;
		default:
			error("vCPU %u: unknown exit reason %u", vcpu->id,
			      run->exit_reason);
			vmm_stop(vmm, EXIT_VMM_ERROR);
			break;
		}
	}
	return NULL;
}

static int run_vm(struct vmm *vmm)
{
	struct sigaction sa = { .sa_handler = sigusr1 };
	unsigned int i;
	int err;

	/* No SA_RESTART: the signal interrupts GUNYAH_VCPU_RUN. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);

	if (IOCTL(vmm->vm, GUNYAH_VM_START, 0) < 0)
		return EXIT_VMM_ERROR;
	info(vmm, "VM started");

	if (vmm->ioeventfd >= 0) {
		err = pthread_create(&vmm->bell_thread, NULL, doorbell_thread,
				     vmm);
		if (err) {
			error("pthread_create: %s", strerror(err));
			return EXIT_VMM_ERROR;
		}
		vmm->bell_thread_running = true;
	}

	pthread_mutex_lock(&vmm->lock);
	for (i = 0; i < vmm->nr_vcpus && !vmm->stopping; i++) {
		struct vcpu *vcpu = &vmm->vcpus[i];

		err = pthread_create(&vcpu->thread, NULL, vcpu_thread, vcpu);
		if (err) {
			pthread_mutex_unlock(&vmm->lock);
			error("pthread_create: %s", strerror(err));
			vmm_stop(vmm, EXIT_VMM_ERROR);
			pthread_mutex_lock(&vmm->lock);
			break;
		}
		vcpu->thread_running = true;
	}
	pthread_mutex_unlock(&vmm->lock);

	for (i = 0; i < vmm->nr_vcpus; i++)
		if (vmm->vcpus[i].thread_running)
			pthread_join(vmm->vcpus[i].thread, NULL);
	console_flush(vmm);

	if (vmm->bell_thread_running) {
		__u64 one = 1;

		if (write(vmm->stopfd, &one, sizeof(one)) != sizeof(one))
			error("eventfd: %s", strerror(errno));
		pthread_join(vmm->bell_thread, NULL);
	}
	return vmm->exit_status;
}

/* Closing the VM's fds is enough: the kernel tears the VM down. */
static void vmm_close(struct vmm *vmm)
{
	unsigned int i;

	for (i = 0; vmm->vcpus && i < vmm->nr_vcpus; i++) {
		if (vmm->vcpus[i].run)
			munmap(vmm->vcpus[i].run, vmm->vcpus[i].run_size);
		if (vmm->vcpus[i].fd >= 0)
			close(vmm->vcpus[i].fd);
	}
	free(vmm->vcpus);
	if (vmm->mem)
		munmap(vmm->mem, vmm->mem_size);
	if (vmm->ioeventfd >= 0)
		close(vmm->ioeventfd);
	if (vmm->irqfd >= 0)
		close(vmm->irqfd);
	if (vmm->stopfd >= 0)
		close(vmm->stopfd);
	if (vmm->guest_mem >= 0)
		close(vmm->guest_mem);
	if (vmm->vm >= 0)
		close(vmm->vm);
	if (vmm->dev >= 0)
		close(vmm->dev);
	free(vmm->image);
	free(vmm->dtb);
	free(vmm->initrd);
}

static int parse_args(struct vmm *vmm, int argc, char **argv)
{
	static const struct option options[] = {
		{ "dtb", required_argument, NULL, 'd' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "mem", required_argument, NULL, 'm' },
		{ "base", required_argument, NULL, 'b' },
		{ "image-offset", required_argument, NULL, 'o' },
		{ "vcpus", required_argument, NULL, 'c' },
		{ "user-mem", optional_argument, NULL, 'u' },
		{ "uart", required_argument, NULL, 'U' },
		{ "doorbell", required_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	__u64 v;
	int opt;

	while ((opt = getopt_long(argc, argv, "d:i:m:b:o:c:u::U:D:vh", options,
				  NULL)) != -1) {
		switch (opt) {
		case 'd':
			vmm->dtb_path = optarg;
			break;
		case 'i':
			vmm->initrd_path = optarg;
			break;
		case 'm':
			if (!parse_size(optarg, &vmm->mem_size))
				goto bad;
			vmm->mem_size_set = true;
			break;
		case 'b':
			if (!parse_size(optarg, &vmm->base))
				goto bad;
			vmm->base_set = true;
			break;
		case 'o':
			if (!parse_size(optarg, &vmm->image_offset))
				goto bad;
			break;
		case 'c':
			if (!parse_size(optarg, &v) || !v || v > 1024)
				goto bad;
			vmm->nr_vcpus = v;
			break;
		case 'u':
			vmm->user_mem = true;
			if (!optarg || !strcmp(optarg, "share"))
				vmm->user_mem_lend = false;
			else if (!strcmp(optarg, "lend"))
				vmm->user_mem_lend = true;
			else
				goto bad;
			break;
		case 'U':
			if (!parse_size(optarg, &vmm->uart) ||
			    vmm->uart >= (1ULL << 30) || vmm->uart % UART_SIZE)
				goto bad;
			break;
		case 'D':
			if (!strcmp(optarg, "off"))
				vmm->doorbell_off = true;
			else if (!parse_size(optarg, &vmm->doorbell) ||
				 vmm->doorbell >= (1ULL << 30))
				goto bad;
			break;
		case 'v':
			vmm->verbose++;
			break;
		case 'h':
			print_help(stdout);
			exit(0);
		default:
			goto usage;
		}
	}
	if (optind != argc - 1) {
		error(optind < argc ? "one IMAGE, please" : "IMAGE is missing");
		goto usage;
	}
	vmm->image_path = argv[optind];
	if (!vmm->dtb_path) {
		error("--dtb is missing");
		goto usage;
	}
	return 0;

bad:
	error("bad value for --%s: %s (see --help)",
	      opt == 'd' ? "dtb" : opt == 'm' ? "mem" : opt == 'b' ? "base" :
	      opt == 'o' ? "image-offset" : opt == 'c' ? "vcpus" :
	      opt == 'u' ? "user-mem" : opt == 'U' ? "uart" : "doorbell",
	      optarg);
	return -1;
usage:
	fprintf(stderr, "Try '" PROG " --help'.\n");
	return -1;
}

int main(int argc, char **argv)
{
	struct vmm vmm = {
		.uart = DEFAULT_UART,
		.doorbell = DEFAULT_DOORBELL,
		.dev = -1,
		.vm = -1,
		.guest_mem = -1,
		.ioeventfd = -1,
		.irqfd = -1,
		.stopfd = -1,
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.console_lock = PTHREAD_MUTEX_INITIALIZER,
	};
	int status = EXIT_VMM_ERROR;

	if (parse_args(&vmm, argc, argv) || load_files(&vmm) ||
	    plan_memory(&vmm))
		goto out;

	vmm.dev = open("/dev/gunyah", O_RDWR | O_CLOEXEC);
	if (vmm.dev < 0) {
		error("/dev/gunyah: %s", strerror(errno));
		goto out;
	}
	vmm.vm = IOCTL(vmm.dev, GUNYAH_CREATE_VM, 0);
	if (vmm.vm < 0)
		goto out;

	if ((vmm.user_mem ? setup_user_mem(&vmm) : setup_guest_mem(&vmm)) ||
	    setup_boot_context(&vmm) || create_doorbell(&vmm) ||
	    create_vcpus(&vmm))
		goto out;

	status = run_vm(&vmm);
out:
	vmm_close(&vmm);
	return status;
}
