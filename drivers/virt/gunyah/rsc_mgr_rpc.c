// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Resource Manager messages a host VM manager sends, as typed calls.
 *
 * Every request is laid out byte for byte as the RM expects it, and every
 * reply is checked for its exact size before it is used.
 */

#include <linux/gunyah_rsc_mgr.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

/* Request of the calls that only name a VM. */
struct gunyah_rm_vm_common_vmid_req {
	__le16 vmid;
	__le16 reserved0;
} __packed;

struct gunyah_rm_vm_alloc_vmid_resp {
	__le16 vmid;
	__le16 reserved0;
} __packed;

struct gunyah_rm_vm_stop_req {
	__le16 vmid;
	u8 flags;
	u8 reserved;
	__le32 stop_reason;
} __packed;

struct gunyah_rm_vm_config_image_req {
	__le16 vmid;
	__le16 auth_mech;
	__le32 mem_handle;
	__le64 image_offset;
	__le64 image_size;
	__le64 dtb_offset;
	__le64 dtb_size;
} __packed;

struct gunyah_rm_vm_set_boot_context_req {
	__le16 vmid;
	u8 reg_set;
	u8 reg_index;
	__le32 reserved;
	__le64 value;
} __packed;

struct gunyah_rm_vm_set_demand_paging_req {
	__le16 vmid;
	__le16 reserved;
	__le32 range_count;
	struct gunyah_rm_range ranges[];
} __packed;

struct gunyah_rm_vm_set_address_layout_req {
	__le16 vmid;
	__le16 reserved;
	__le32 range_id;
	__le64 range_base;
	__le64 range_size;
} __packed;

struct gunyah_rm_vm_set_firmware_mem_req {
	__le16 vmid;
	__le16 reserved;
	__le32 mem_handle;
	__le64 fw_offset;
	__le64 fw_size;
} __packed;

/* Header of a memory parcel request; the three lists follow. */
struct gunyah_rm_mem_share_req_header {
	u8 mem_type;
	u8 reserved0;
	u8 flags;
	u8 reserved1;
	__le32 label;
} __packed;

/* Header of each list: its entry count, padded to a word. */
struct gunyah_rm_list_header {
	__le16 n_entries;
	__le16 reserved;
} __packed;

#define GUNYAH_RM_MEM_APPEND_END	BIT(0)

struct gunyah_rm_mem_append_req_header {
	__le32 mem_handle;
	u8 flags;
	u8 reserved[3];
} __packed;

struct gunyah_rm_mem_release_req {
	__le32 mem_handle;
	u8 flags;
	u8 reserved[3];
} __packed;

struct gunyah_rm_mem_notify_req_header {
	__le32 mem_handle;
	u8 flags;
	u8 reserved[3];
	__le32 mem_info_tag;
} __packed;

#define GUNYAH_RM_MEM_NOTIFY_RECIPIENT_SHARED	BIT(0)
#define GUNYAH_RM_MEM_NOTIFY_RECALL		BIT(3)

/* A call whose reply carries no data. */
static int gunyah_rm_call_noreply(struct gunyah_rm *rm, u32 message_id,
				  const void *req, size_t req_size)
{
	void *resp;
	size_t resp_size;
	int ret;

	ret = gunyah_rm_call(rm, message_id, req, req_size, &resp, &resp_size);
	if (ret)
		return ret;
	kfree(resp);
	return resp_size ? -EBADMSG : 0;
}

static int gunyah_rm_common_vmid_call(struct gunyah_rm *rm, u32 message_id,
				      u16 vmid)
{
	struct gunyah_rm_vm_common_vmid_req req = {
		.vmid = cpu_to_le16(vmid),
	};

	return gunyah_rm_call_noreply(rm, message_id, &req, sizeof(req));
}

/**
 * gunyah_rm_alloc_vmid() - Allocate a VMID
 * @rm: the RM
 * @vmid: 0 for a dynamically allocated VMID, else the VMID wanted
 *
 * Return: the VMID on success, or a negative errno.
 */
int gunyah_rm_alloc_vmid(struct gunyah_rm *rm, u16 vmid)
{
	struct gunyah_rm_vm_common_vmid_req req = {
		.vmid = cpu_to_le16(vmid),
	};
	struct gunyah_rm_vm_alloc_vmid_resp *resp;
	size_t resp_size;
	int ret;

	ret = gunyah_rm_call(rm, GUNYAH_RM_RPC_VM_ALLOC_VMID, &req, sizeof(req),
			     (void **)&resp, &resp_size);
	if (ret)
		return ret;

	if (!vmid) {
		/* A dynamic VMID comes back as a 32-bit word. */
		if (resp_size == sizeof(*resp))
			ret = le16_to_cpu(resp->vmid);
		else
			ret = -EBADMSG;
	} else {
		ret = resp_size ? -EBADMSG : vmid;
	}
	kfree(resp);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_rm_alloc_vmid);

/**
 * gunyah_rm_dealloc_vmid() - Give back a VMID
 * @rm: the RM
 * @vmid: the VMID; its VM must be freshly allocated or reset
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_dealloc_vmid(struct gunyah_rm *rm, u16 vmid)
{
	return gunyah_rm_common_vmid_call(rm, GUNYAH_RM_RPC_VM_DEALLOC_VMID,
					  vmid);
}
EXPORT_SYMBOL_GPL(gunyah_rm_dealloc_vmid);

/**
 * gunyah_rm_vm_reset() - Reset a VM, releasing its resources
 * @rm: the RM
 * @vmid: the VM
 *
 * The RM replies before the reset completes; a VM status notification with
 * %GUNYAH_RM_VM_STATUS_RESET tells when it has.
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_vm_reset(struct gunyah_rm *rm, u16 vmid)
{
	return gunyah_rm_common_vmid_call(rm, GUNYAH_RM_RPC_VM_RESET, vmid);
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_reset);

/**
 * gunyah_rm_vm_start() - Start a VM
 * @rm: the RM
 * @vmid: the VM, initialised
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_vm_start(struct gunyah_rm *rm, u16 vmid)
{
	return gunyah_rm_common_vmid_call(rm, GUNYAH_RM_RPC_VM_START, vmid);
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_start);

/**
 * gunyah_rm_vm_stop() - Stop a VM
 * @rm: the RM
 * @vmid: the VM
 * @flags: %GUNYAH_RM_VM_STOP_FLAG_FORCE_STOP to stop it at once
 * @reason: stop reason given to the VM
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_vm_stop(struct gunyah_rm *rm, u16 vmid, u8 flags, u32 reason)
{
	struct gunyah_rm_vm_stop_req req = {
		.vmid = cpu_to_le16(vmid),
		.flags = flags,
		.stop_reason = cpu_to_le32(reason),
	};

	return gunyah_rm_call_noreply(rm, GUNYAH_RM_RPC_VM_STOP, &req,
				      sizeof(req));
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_stop);

/**
 * gunyah_rm_vm_configure() - Tell the RM where a VM's image and config are
 * @rm: the RM
 * @vmid: the VM
 * @auth_mechanism: how the image is authenticated
 * @mem_handle: the memory parcel holding the image and the config DTB
 * @image_offset: offset of the image in the parcel
 * @image_size: size of the image
 * @dtb_offset: offset of the config DTB in the parcel
 * @dtb_size: room for the DTB, which the RM may grow
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_vm_configure(struct gunyah_rm *rm, u16 vmid,
			   enum gunyah_rm_vm_auth_mechanism auth_mechanism,
			   u32 mem_handle, u64 image_offset, u64 image_size,
			   u64 dtb_offset, u64 dtb_size)
{
	struct gunyah_rm_vm_config_image_req req = {
		.vmid = cpu_to_le16(vmid),
		.auth_mech = cpu_to_le16(auth_mechanism),
		.mem_handle = cpu_to_le32(mem_handle),
		.image_offset = cpu_to_le64(image_offset),
		.image_size = cpu_to_le64(image_size),
		.dtb_offset = cpu_to_le64(dtb_offset),
		.dtb_size = cpu_to_le64(dtb_size),
	};

	return gunyah_rm_call_noreply(rm, GUNYAH_RM_RPC_VM_CONFIG_IMAGE, &req,
				      sizeof(req));
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_configure);

/**
 * gunyah_rm_vm_init() - Have the RM create a configured VM's objects
 * @rm: the RM
 * @vmid: the VM
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_vm_init(struct gunyah_rm *rm, u16 vmid)
{
	return gunyah_rm_common_vmid_call(rm, GUNYAH_RM_RPC_VM_INIT, vmid);
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_init);

/**
 * gunyah_rm_vm_get_state() - Read a VM's state
 * @rm: the RM
 * @vmid: the VM
 * @vm_status: set to the RM's state of the VM
 * @os_status: if not NULL, set to the guest OS state
 * @app_status: if not NULL, set to the guest application state
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_vm_get_state(struct gunyah_rm *rm, u16 vmid,
			   enum gunyah_rm_vm_status *vm_status, u8 *os_status,
			   u16 *app_status)
{
	struct gunyah_rm_vm_common_vmid_req req = {
		.vmid = cpu_to_le16(vmid),
	};
	size_t resp_size;
	__le32 *resp;
	u32 state;
	int ret;

	ret = gunyah_rm_call(rm, GUNYAH_RM_RPC_VM_GET_STATE, &req, sizeof(req),
			     (void **)&resp, &resp_size);
	if (ret)
		return ret;

	if (resp_size != sizeof(*resp)) {
		kfree(resp);
		return -EBADMSG;
	}
	state = le32_to_cpu(*resp);
	kfree(resp);

	*vm_status = state & 0xff;
	if (os_status)
		*os_status = (state >> 8) & 0xff;
	if (app_status)
		*app_status = state >> 16;
	return 0;
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_get_state);

/**
 * gunyah_rm_get_vmid() - Ask for our own VMID
 * @rm: the RM
 * @vmid: set to the VMID of this VM
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_get_vmid(struct gunyah_rm *rm, u16 *vmid)
{
	size_t resp_size;
	__le32 *resp;
	int ret;

	ret = gunyah_rm_call(rm, GUNYAH_RM_RPC_VM_GET_VMID, NULL, 0,
			     (void **)&resp, &resp_size);
	if (ret)
		return ret;

	if (resp_size != sizeof(*resp))
		ret = -EBADMSG;
	else
		*vmid = le32_to_cpu(*resp) & U16_MAX;
	kfree(resp);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_rm_get_vmid);

/**
 * gunyah_rm_get_hyp_resources() - Ask for the hypervisor resources of a VM
 * @rm: the RM
 * @vmid: the VM
 * @resources: set to the resources, to be freed with kfree()
 *
 * Return: 0 on success, -EBADMSG if the reply's size does not match its
 * entry count, or another negative errno.
 */
int gunyah_rm_get_hyp_resources(struct gunyah_rm *rm, u16 vmid,
				struct gunyah_rm_hyp_resources **resources)
{
	struct gunyah_rm_vm_common_vmid_req req = {
		.vmid = cpu_to_le16(vmid),
	};
	struct gunyah_rm_hyp_resources *resp;
	size_t resp_size;
	int ret;

	ret = gunyah_rm_call(rm, GUNYAH_RM_RPC_VM_GET_HYP_RESOURCES, &req,
			     sizeof(req), (void **)&resp, &resp_size);
	if (ret)
		return ret;

	if (resp_size < sizeof(*resp) ||
	    resp_size != struct_size(resp, entries,
				     le32_to_cpu(resp->n_entries))) {
		kfree(resp);
		return -EBADMSG;
	}

	*resources = resp;
	return 0;
}
EXPORT_SYMBOL_GPL(gunyah_rm_get_hyp_resources);

/**
 * gunyah_rm_vm_set_boot_context() - Set a register of a VM's boot vCPU
 * @rm: the RM
 * @vmid: the VM, initialised and not started
 * @reg_set: &enum gunyah_rm_boot_context_reg
 * @reg_index: register in the set
 * @value: its value
 *
 * Not every RM has this message; see gunyah_rm_supports().
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_vm_set_boot_context(struct gunyah_rm *rm, u16 vmid, u8 reg_set,
				  u8 reg_index, u64 value)
{
	struct gunyah_rm_vm_set_boot_context_req req = {
		.vmid = cpu_to_le16(vmid),
		.reg_set = reg_set,
		.reg_index = reg_index,
		.value = cpu_to_le64(value),
	};

	return gunyah_rm_call_noreply(rm, GUNYAH_RM_RPC_VM_SET_BOOT_CONTEXT,
				      &req, sizeof(req));
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_set_boot_context);

/**
 * gunyah_rm_vm_set_demand_paging() - Name a VM's demand-paged ranges
 * @rm: the RM
 * @vmid: the VM
 * @count: number of ranges
 * @ranges: the ranges
 *
 * Not every RM has this message; see gunyah_rm_supports().
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_vm_set_demand_paging(struct gunyah_rm *rm, u16 vmid, u32 count,
				   const struct gunyah_rm_range *ranges)
{
	struct gunyah_rm_vm_set_demand_paging_req *req;
	size_t size = struct_size(req, ranges, count);
	int ret;

	if (size > GUNYAH_RM_MAX_REQUEST_SIZE)
		return -E2BIG;

	req = kzalloc(size, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->vmid = cpu_to_le16(vmid);
	req->range_count = cpu_to_le32(count);
	memcpy(req->ranges, ranges, flex_array_size(req, ranges, count));

	ret = gunyah_rm_call_noreply(rm, GUNYAH_RM_RPC_VM_SET_DEMAND_PAGING,
				     req, size);
	kfree(req);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_set_demand_paging);

/**
 * gunyah_rm_vm_set_address_layout() - Place a range of a VM
 * @rm: the RM
 * @vmid: the VM
 * @range_id: which range
 * @base: guest address of the range
 * @size: its size
 *
 * Not every RM has this message; see gunyah_rm_supports().
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_vm_set_address_layout(struct gunyah_rm *rm, u16 vmid,
				    enum gunyah_rm_range_id range_id,
				    u64 base, u64 size)
{
	struct gunyah_rm_vm_set_address_layout_req req = {
		.vmid = cpu_to_le16(vmid),
		.range_id = cpu_to_le32(range_id),
		.range_base = cpu_to_le64(base),
		.range_size = cpu_to_le64(size),
	};

	return gunyah_rm_call_noreply(rm, GUNYAH_RM_RPC_VM_SET_ADDRESS_LAYOUT,
				      &req, sizeof(req));
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_set_address_layout);

/**
 * gunyah_rm_vm_set_firmware_mem() - Give a VM its firmware memory
 * @rm: the RM
 * @vmid: the VM
 * @mem_handle: memory parcel of the firmware
 * @offset: offset of the firmware in the parcel
 * @size: size of the firmware
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_vm_set_firmware_mem(struct gunyah_rm *rm, u16 vmid,
				  u32 mem_handle, u64 offset, u64 size)
{
	struct gunyah_rm_vm_set_firmware_mem_req req = {
		.vmid = cpu_to_le16(vmid),
		.mem_handle = cpu_to_le32(mem_handle),
		.fw_offset = cpu_to_le64(offset),
		.fw_size = cpu_to_le64(size),
	};

	return gunyah_rm_call_noreply(rm, GUNYAH_RM_RPC_VM_SET_FIRMWARE_MEM,
				      &req, sizeof(req));
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_set_firmware_mem);

/* Write a list header and its entries at @p; return the end of the list. */
static void *gunyah_rm_put_list(void *p, const void *entries, size_t n,
				size_t entry_size)
{
	struct gunyah_rm_list_header *hdr = p;

	hdr->n_entries = cpu_to_le16(n);
	hdr->reserved = 0;
	p += sizeof(*hdr);
	if (n)
		memcpy(p, entries, n * entry_size);
	return p + n * entry_size;
}

static int gunyah_rm_mem_append(struct gunyah_rm *rm, u32 mem_handle,
				const struct gunyah_rm_mem_entry *entries,
				size_t n, bool end)
{
	struct gunyah_rm_mem_append_req_header *hdr;
	size_t size = sizeof(*hdr) + sizeof(struct gunyah_rm_list_header) +
		      n * sizeof(*entries);
	int ret;

	hdr = kzalloc(size, GFP_KERNEL);
	if (!hdr)
		return -ENOMEM;
	hdr->mem_handle = cpu_to_le32(mem_handle);
	hdr->flags = end ? GUNYAH_RM_MEM_APPEND_END : 0;
	gunyah_rm_put_list(hdr + 1, entries, n, sizeof(*entries));

	ret = gunyah_rm_call_noreply(rm, GUNYAH_RM_RPC_MEM_APPEND, hdr, size);
	kfree(hdr);
	return ret;
}

static int gunyah_rm_mem_give(struct gunyah_rm *rm, u32 message_id,
			      struct gunyah_rm_mem_parcel *p)
{
	size_t first = min_t(size_t, p->n_mem_entries,
			     GUNYAH_RM_MAX_MEM_ENTRIES);
	struct gunyah_rm_mem_share_req_header *hdr;
	size_t size, resp_size, done;
	__le32 *resp;
	void *end;
	int ret;

	if (!p->n_acl_entries || !p->n_mem_entries ||
	    p->n_acl_entries > GUNYAH_RM_MAX_MEM_ENTRIES ||
	    p->n_attr_entries > GUNYAH_RM_MAX_MEM_ENTRIES ||
	    (p->flags & ~GUNYAH_RM_MEM_FLAGS_SANITIZE))
		return -EINVAL;

	size = sizeof(*hdr) + 3 * sizeof(struct gunyah_rm_list_header) +
	       p->n_acl_entries * sizeof(*p->acl_entries) +
	       first * sizeof(*p->mem_entries) +
	       p->n_attr_entries * sizeof(*p->attr_entries);
	if (size > GUNYAH_RM_MAX_REQUEST_SIZE)
		return -E2BIG;

	hdr = kzalloc(size, GFP_KERNEL);
	if (!hdr)
		return -ENOMEM;
	hdr->mem_type = p->mem_type;
	hdr->flags = p->flags;
	if (p->n_mem_entries > first)
		hdr->flags |= GUNYAH_RM_MEM_FLAGS_APPEND;
	hdr->label = cpu_to_le32(p->label);
	end = gunyah_rm_put_list(hdr + 1, p->acl_entries, p->n_acl_entries,
				 sizeof(*p->acl_entries));
	end = gunyah_rm_put_list(end, p->mem_entries, first,
				 sizeof(*p->mem_entries));
	gunyah_rm_put_list(end, p->attr_entries, p->n_attr_entries,
			   sizeof(*p->attr_entries));

	ret = gunyah_rm_call(rm, message_id, hdr, size, (void **)&resp,
			     &resp_size);
	kfree(hdr);
	if (ret)
		return ret;

	if (resp_size != sizeof(*resp)) {
		kfree(resp);
		return -EBADMSG;
	}
	p->mem_handle = le32_to_cpu(*resp);
	kfree(resp);

	for (done = first; done < p->n_mem_entries; done += first) {
		first = min_t(size_t, p->n_mem_entries - done,
			      GUNYAH_RM_MAX_MEM_ENTRIES);
		ret = gunyah_rm_mem_append(rm, p->mem_handle,
					   p->mem_entries + done, first,
					   done + first == p->n_mem_entries);
		if (ret) {
			/* Take back what is there; the caller owns it again. */
			gunyah_rm_mem_reclaim(rm, p->mem_handle, 0);
			p->mem_handle = GUNYAH_RM_MEM_HANDLE_INVAL;
			return ret;
		}
	}

	return 0;
}

/**
 * gunyah_rm_mem_lend() - Lend memory to other VMs
 * @rm: the RM
 * @parcel: the memory and who gets it; the caller must not be in the ACL.
 *          More than 512 ranges are sent with append messages.
 *
 * On success @parcel->mem_handle names the parcel.
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_mem_lend(struct gunyah_rm *rm,
		       struct gunyah_rm_mem_parcel *parcel)
{
	return gunyah_rm_mem_give(rm, GUNYAH_RM_RPC_MEM_LEND, parcel);
}
EXPORT_SYMBOL_GPL(gunyah_rm_mem_lend);

/**
 * gunyah_rm_mem_share() - Share memory with other VMs
 * @rm: the RM
 * @parcel: the memory and who gets it; the caller must be in the ACL
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_mem_share(struct gunyah_rm *rm,
			struct gunyah_rm_mem_parcel *parcel)
{
	return gunyah_rm_mem_give(rm, GUNYAH_RM_RPC_MEM_SHARE, parcel);
}
EXPORT_SYMBOL_GPL(gunyah_rm_mem_share);

/**
 * gunyah_rm_mem_donate() - Give memory away for good
 * @rm: the RM
 * @parcel: the memory and the one VM that gets it
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_mem_donate(struct gunyah_rm *rm,
			 struct gunyah_rm_mem_parcel *parcel)
{
	return gunyah_rm_mem_give(rm, GUNYAH_RM_RPC_MEM_DONATE, parcel);
}
EXPORT_SYMBOL_GPL(gunyah_rm_mem_donate);

/**
 * gunyah_rm_mem_reclaim() - Take back lent or shared memory
 * @rm: the RM
 * @mem_handle: the parcel
 * @flags: %GUNYAH_RM_MEM_FLAGS_SANITIZE to have it zeroed, or 0
 *
 * Return: 0 on success or a negative errno; the memory stays given away on
 * failure.
 */
int gunyah_rm_mem_reclaim(struct gunyah_rm *rm, u32 mem_handle, u8 flags)
{
	struct gunyah_rm_mem_release_req req = {
		.mem_handle = cpu_to_le32(mem_handle),
		.flags = flags,
	};

	return gunyah_rm_call_noreply(rm, GUNYAH_RM_RPC_MEM_RECLAIM, &req,
				      sizeof(req));
}
EXPORT_SYMBOL_GPL(gunyah_rm_mem_reclaim);

/**
 * gunyah_rm_mem_notify() - Tell VMs about a memory parcel
 * @rm: the RM
 * @mem_handle: the parcel
 * @flags: exactly one of shared (1), released (2), accepted (4), recall (8)
 * @mem_info_tag: tag passed on to the recipients
 * @n_vmids: number of VMs in @vmids (shared and recall only)
 * @vmids: the VMs to tell
 *
 * Return: 0 on success or a negative errno.
 */
int gunyah_rm_mem_notify(struct gunyah_rm *rm, u32 mem_handle, u8 flags,
			 u32 mem_info_tag, size_t n_vmids, const u16 *vmids)
{
	bool has_list = flags & (GUNYAH_RM_MEM_NOTIFY_RECIPIENT_SHARED |
				 GUNYAH_RM_MEM_NOTIFY_RECALL);
	struct gunyah_rm_mem_notify_req_header *hdr;
	struct gunyah_rm_list_header *list;
	__le16 *entry;
	size_t size, i;
	int ret;

	if (hweight8(flags) != 1 || flags > BIT(3) ||
	    n_vmids > GUNYAH_RM_MAX_MEM_ENTRIES || (!has_list && n_vmids))
		return -EINVAL;

	size = sizeof(*hdr);
	if (has_list)
		size += sizeof(*list) + n_vmids * 2 * sizeof(__le16);

	hdr = kzalloc(size, GFP_KERNEL);
	if (!hdr)
		return -ENOMEM;
	hdr->mem_handle = cpu_to_le32(mem_handle);
	hdr->flags = flags;
	hdr->mem_info_tag = cpu_to_le32(mem_info_tag);
	if (has_list) {
		list = (void *)(hdr + 1);
		list->n_entries = cpu_to_le16(n_vmids);
		entry = (void *)(list + 1);
		for (i = 0; i < n_vmids; i++)
			entry[2 * i] = cpu_to_le16(vmids[i]);
	}

	ret = gunyah_rm_call_noreply(rm, GUNYAH_RM_RPC_MEM_NOTIFY, hdr, size);
	kfree(hdr);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_rm_mem_notify);
