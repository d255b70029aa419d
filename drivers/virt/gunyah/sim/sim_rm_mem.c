// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated Resource Manager: memory parcels.
 */

#define pr_fmt(fmt) "gunyah_sim: " fmt

#include <linux/bitops.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "sim_rm.h"

#define GUNYAH_SIM_RM_MEM_DONATE	0x51000010
#define GUNYAH_SIM_RM_MEM_ACCEPT	0x51000011
#define GUNYAH_SIM_RM_MEM_LEND		0x51000012
#define GUNYAH_SIM_RM_MEM_SHARE		0x51000013
#define GUNYAH_SIM_RM_MEM_RELEASE	0x51000014
#define GUNYAH_SIM_RM_MEM_RECLAIM	0x51000015
#define GUNYAH_SIM_RM_MEM_NOTIFY	0x51000017
#define GUNYAH_SIM_RM_MEM_APPEND	0x51000018

#define GUNYAH_SIM_TRANS_DONATE		0
#define GUNYAH_SIM_TRANS_LEND		1
#define GUNYAH_SIM_TRANS_SHARE		2

#define GUNYAH_SIM_MEM_NORMAL		0
#define GUNYAH_SIM_MEM_IO		1

#define GUNYAH_SIM_MEM_SANITIZE		BIT(0)
#define GUNYAH_SIM_MEM_APPEND_FLAG	BIT(1)
#define GUNYAH_SIM_MEM_APPEND_END	BIT(0)

#define GUNYAH_SIM_ATTR_DEVICE		1
#define GUNYAH_SIM_ATTR_MAX		3

#define GUNYAH_SIM_PERM_X		BIT(0)
#define GUNYAH_SIM_PERM_RW		6
#define GUNYAH_SIM_PERM_RWX		7

#define GUNYAH_SIM_MAX_LIST		512
#define GUNYAH_SIM_MAX_PARCELS		64
#define GUNYAH_SIM_ADDR_LIMIT		BIT_ULL(44)

#define GUNYAH_SIM_NOTIFY_SHARED	BIT(0)
#define GUNYAH_SIM_NOTIFY_RELEASED	BIT(1)
#define GUNYAH_SIM_NOTIFY_ACCEPTED	BIT(2)
#define GUNYAH_SIM_NOTIFY_RECALL	BIT(3)

#define GUNYAH_SIM_ACCEPT_VALIDATE_ACL	BIT(1)
#define GUNYAH_SIM_ACCEPT_VALIDATE_LABEL BIT(2)
#define GUNYAH_SIM_ACCEPT_MAP_OTHER	BIT(3)

/**
 * struct gunyah_sim_rm_acl - An ACL entry of a parcel
 * @vmid: the VM
 * @rights: its access rights
 * @accepted: the VM has accepted the parcel
 */
struct gunyah_sim_rm_acl {
	u16 vmid;
	u8 rights;
	bool accepted;
};

/**
 * struct gunyah_sim_rm_sgl - A memory range of a parcel
 * @ipa: start, in the owner's IPA space
 * @size: length
 */
struct gunyah_sim_rm_sgl {
	u64 ipa;
	u64 size;
};

/**
 * struct gunyah_sim_rm_parcel - A memory parcel
 * @handle: its handle
 * @owner: the owner's VMID
 * @client: the owner's client, where notifications go, or NULL
 * @mem_type: NORMAL or IO
 * @trans_type: DONATE, LEND or SHARE
 * @flags: the flags it was created with
 * @label: the owner's label
 * @finalised: no more MEM_APPEND
 * @nacl: entries in @acl
 * @acl: the access control list
 * @nsgl: entries in @sgl
 * @sgl: the memory ranges
 */
struct gunyah_sim_rm_parcel {
	u32 handle;
	u16 owner;
	struct gunyah_sim_rm_client *client;
	u8 mem_type;
	u8 trans_type;
	u8 flags;
	u32 label;
	bool finalised;
	unsigned int nacl;
	struct gunyah_sim_rm_acl *acl;
	unsigned int nsgl;
	struct gunyah_sim_rm_sgl *sgl;
};

/* An RM list within a request: u16 count, u16 second word, entries. */
struct gunyah_sim_rm_list {
	unsigned int count;
	u16 word;
	const u8 *entries;
};

/*
 * Read the list at *off, as rm_rpc_read_list does: none at the very end of
 * the message means an empty list; padded to 4 bytes.
 */
static u32 gunyah_sim_read_list(const struct gunyah_sim_rm_call *c,
				size_t *off, size_t entry_size,
				struct gunyah_sim_rm_list *list)
{
	size_t end;

	memset(list, 0, sizeof(*list));
	if (*off == c->len)
		return GUNYAH_SIM_RM_OK;
	if (*off + 4 > c->len)
		return GUNYAH_SIM_RM_MSG_INVALID;

	list->count = get_unaligned_le16(c->req + *off);
	list->word = get_unaligned_le16(c->req + *off + 2);
	if (list->count > GUNYAH_SIM_MAX_LIST)
		return GUNYAH_SIM_RM_NORESOURCE;
	end = *off + 4 + list->count * entry_size;
	if (end > c->len)
		return GUNYAH_SIM_RM_MSG_INVALID;
	list->entries = c->req + *off + 4;
	*off = min(ALIGN(end, 4), c->len);
	if (ALIGN(end, 4) > c->len && end != c->len)
		return GUNYAH_SIM_RM_MSG_INVALID;
	return GUNYAH_SIM_RM_OK;
}

static bool gunyah_sim_ranges_overlap(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

/* Whether a range is free of the owner's live parcels. */
static bool gunyah_sim_range_free(struct gunyah_sim_rm *rm, u16 owner,
				  u64 ipa, u64 size)
{
	struct gunyah_sim_rm_parcel *p;
	unsigned long handle;
	unsigned int i;

	xa_for_each(&rm->parcels, handle, p) {
		if (p->owner != owner)
			continue;
		for (i = 0; i < p->nsgl; i++)
			if (gunyah_sim_ranges_overlap(ipa, size, p->sgl[i].ipa,
						      p->sgl[i].size))
				return false;
	}
	return true;
}

/*
 * Check a new SGL and add it to the parcel: 4 KiB aligned, below 2^44,
 * overlapping neither itself nor the owner's other parcels.
 */
static u32 gunyah_sim_add_sgl(struct gunyah_sim_rm *rm,
			      struct gunyah_sim_rm_parcel *p,
			      const struct gunyah_sim_rm_list *list)
{
	struct gunyah_sim_rm_sgl *sgl, *e;
	u64 ipa, size, e_ipa, e_size;
	unsigned int i, j;

	for (i = 0; i < list->count; i++) {
		ipa = get_unaligned_le64(list->entries + i * 16);
		size = get_unaligned_le64(list->entries + i * 16 + 8);
		if (!size || !IS_ALIGNED(ipa, SZ_4K) ||
		    !IS_ALIGNED(size, SZ_4K) || ipa >= GUNYAH_SIM_ADDR_LIMIT ||
		    size > GUNYAH_SIM_ADDR_LIMIT - ipa)
			return GUNYAH_SIM_RM_MEM_INVALID;
		if (!gunyah_sim_range_free(rm, p->owner, ipa, size))
			return GUNYAH_SIM_RM_MEM_INVALID;
		for (j = 0; j < i; j++) {
			e_ipa = get_unaligned_le64(list->entries + j * 16);
			e_size = get_unaligned_le64(list->entries + j * 16 + 8);
			if (gunyah_sim_ranges_overlap(ipa, size, e_ipa, e_size))
				return GUNYAH_SIM_RM_MEM_INVALID;
		}
	}

	sgl = krealloc_array(p->sgl, p->nsgl + list->count, sizeof(*sgl),
			     GFP_KERNEL);
	if (!sgl)
		return GUNYAH_SIM_RM_NOMEM;
	p->sgl = sgl;
	for (i = 0; i < list->count; i++) {
		e = &sgl[p->nsgl + i];
		e->ipa = get_unaligned_le64(list->entries + i * 16);
		e->size = get_unaligned_le64(list->entries + i * 16 + 8);
	}
	p->nsgl += list->count;
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_check_acl(struct gunyah_sim_rm *rm, u8 mem_type,
				const struct gunyah_sim_rm_list *acl)
{
	unsigned int i, j;
	u16 vmid;
	u8 rights;

	for (i = 0; i < acl->count; i++) {
		vmid = get_unaligned_le16(acl->entries + i * 4);
		rights = acl->entries[i * 4 + 2];
		if (rights < 4 || rights > 7 ||
		    (mem_type == GUNYAH_SIM_MEM_IO && (rights & GUNYAH_SIM_PERM_X)))
			return GUNYAH_SIM_RM_ARG_INVALID;
		if (!gunyah_sim_rm_vm_valid_acl_vmid(rm, vmid))
			return GUNYAH_SIM_RM_VMID_INVALID;
		for (j = 0; j < i; j++)
			if (get_unaligned_le16(acl->entries + j * 4) == vmid)
				return GUNYAH_SIM_RM_ARG_INVALID;
	}
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_check_attrs(u8 mem_type,
				  const struct gunyah_sim_rm_list *attrs)
{
	unsigned int i, j;
	bool io = mem_type == GUNYAH_SIM_MEM_IO;
	u16 attr, vmid;
	bool device;

	for (i = 0; i < attrs->count; i++) {
		attr = get_unaligned_le16(attrs->entries + i * 4);
		vmid = get_unaligned_le16(attrs->entries + i * 4 + 2);
		device = attr == GUNYAH_SIM_ATTR_DEVICE;
		if (attr > GUNYAH_SIM_ATTR_MAX || io != device)
			return GUNYAH_SIM_RM_ARG_INVALID;
		for (j = 0; j < i; j++)
			if (get_unaligned_le16(attrs->entries + j * 4 + 2) == vmid)
				return GUNYAH_SIM_RM_ARG_INVALID;
	}
	return GUNYAH_SIM_RM_OK;
}

static bool gunyah_sim_acl_has(const struct gunyah_sim_rm_list *acl, u16 vmid)
{
	unsigned int i;

	for (i = 0; i < acl->count; i++)
		if (get_unaligned_le16(acl->entries + i * 4) == vmid)
			return true;
	return false;
}

static unsigned int gunyah_sim_count_parcels(struct gunyah_sim_rm *rm,
					     u16 owner)
{
	struct gunyah_sim_rm_parcel *p;
	unsigned long handle;
	unsigned int n = 0;

	xa_for_each(&rm->parcels, handle, p)
		n += p->owner == owner;
	return n;
}

static void gunyah_sim_parcel_free(struct gunyah_sim_rm_parcel *p)
{
	kfree(p->sgl);
	kfree(p->acl);
	kfree(p);
}

static u32 gunyah_sim_mem_create(struct gunyah_sim_rm *rm,
				 struct gunyah_sim_rm_call *c, u8 trans)
{
	struct gunyah_sim_rm_list acl, sgl, attrs;
	struct gunyah_sim_rm_parcel *p;
	u16 owner = c->client->vmid;
	size_t off = 8;
	unsigned int i;
	u8 mem_type, flags;
	u32 err, handle;
	bool share;

	if (c->len < 8)
		return GUNYAH_SIM_RM_MSG_INVALID;
	err = gunyah_sim_read_list(c, &off, 4, &acl);
	err = err ?: gunyah_sim_read_list(c, &off, 16, &sgl);
	err = err ?: gunyah_sim_read_list(c, &off, 4, &attrs);
	if (err)
		return err;
	if (off != c->len)
		return GUNYAH_SIM_RM_MSG_INVALID;

	mem_type = c->req[0];
	flags = c->req[2];
	if (mem_type > GUNYAH_SIM_MEM_IO ||
	    (flags & ~(GUNYAH_SIM_MEM_SANITIZE | GUNYAH_SIM_MEM_APPEND_FLAG)) ||
	    (mem_type == GUNYAH_SIM_MEM_IO && (flags & GUNYAH_SIM_MEM_SANITIZE)))
		return GUNYAH_SIM_RM_ARG_INVALID;
	if (!acl.count || !sgl.count)
		return GUNYAH_SIM_RM_ARG_INVALID;
	err = gunyah_sim_check_acl(rm, mem_type, &acl);
	err = err ?: gunyah_sim_check_attrs(mem_type, &attrs);
	if (err)
		return err;
	share = trans == GUNYAH_SIM_TRANS_SHARE;
	if (gunyah_sim_acl_has(&acl, owner) != share)
		return GUNYAH_SIM_RM_ARG_INVALID;
	if (trans == GUNYAH_SIM_TRANS_DONATE &&
	    (acl.count != 1 || attrs.count ||
	     acl.entries[2] != (mem_type == GUNYAH_SIM_MEM_IO ?
				GUNYAH_SIM_PERM_RW : GUNYAH_SIM_PERM_RWX)))
		return GUNYAH_SIM_RM_ARG_INVALID;
	if (gunyah_sim_count_parcels(rm, owner) >= GUNYAH_SIM_MAX_PARCELS)
		return GUNYAH_SIM_RM_DENIED;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return GUNYAH_SIM_RM_NOMEM;
	p->acl = kcalloc(acl.count, sizeof(*p->acl), GFP_KERNEL);
	if (!p->acl) {
		err = GUNYAH_SIM_RM_NOMEM;
		goto err_free;
	}
	p->owner = owner;
	p->client = c->client;
	p->mem_type = mem_type;
	p->trans_type = trans;
	p->flags = flags;
	p->label = get_unaligned_le32(c->req + 4);
	p->finalised = !(flags & GUNYAH_SIM_MEM_APPEND_FLAG);
	p->nacl = acl.count;
	for (i = 0; i < acl.count; i++) {
		p->acl[i].vmid = get_unaligned_le16(acl.entries + i * 4);
		p->acl[i].rights = acl.entries[i * 4 + 2];
	}
	err = gunyah_sim_add_sgl(rm, p, &sgl);
	if (err)
		goto err_free;

	if (xa_alloc_cyclic(&rm->parcels, &handle, p,
			    XA_LIMIT(1, U32_MAX - 1), &rm->next_handle,
			    GFP_KERNEL) < 0) {
		err = GUNYAH_SIM_RM_NOMEM;
		goto err_free;
	}
	p->handle = handle;
	put_unaligned_le32(handle, c->reply);
	c->reply_len = 4;
	return GUNYAH_SIM_RM_OK;

err_free:
	gunyah_sim_parcel_free(p);
	return err;
}

static u32 gunyah_sim_mem_lend(struct gunyah_sim_rm *rm,
			       struct gunyah_sim_rm_call *c)
{
	return gunyah_sim_mem_create(rm, c, GUNYAH_SIM_TRANS_LEND);
}

static u32 gunyah_sim_mem_share(struct gunyah_sim_rm *rm,
				struct gunyah_sim_rm_call *c)
{
	return gunyah_sim_mem_create(rm, c, GUNYAH_SIM_TRANS_SHARE);
}

static u32 gunyah_sim_mem_donate(struct gunyah_sim_rm *rm,
				 struct gunyah_sim_rm_call *c)
{
	return gunyah_sim_mem_create(rm, c, GUNYAH_SIM_TRANS_DONATE);
}

static struct gunyah_sim_rm_parcel *
gunyah_sim_parcel_get(struct gunyah_sim_rm *rm, struct gunyah_sim_rm_call *c,
		      bool owner, u32 *err)
{
	struct gunyah_sim_rm_parcel *p;
	bool is_owner;

	p = xa_load(&rm->parcels, get_unaligned_le32(c->req));
	is_owner = p && p->owner == c->client->vmid;
	if (!p) {
		*err = GUNYAH_SIM_RM_HANDLE_INVALID;
		return NULL;
	}
	if (owner != is_owner) {
		*err = GUNYAH_SIM_RM_DENIED;
		return NULL;
	}
	return p;
}

static u32 gunyah_sim_mem_append(struct gunyah_sim_rm *rm,
				 struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_parcel *p;
	struct gunyah_sim_rm_list sgl;
	size_t off = 8;
	u32 err;

	if (c->len < 8)
		return GUNYAH_SIM_RM_MSG_INVALID;
	err = gunyah_sim_read_list(c, &off, 16, &sgl);
	if (err)
		return err;
	if (off != c->len)
		return GUNYAH_SIM_RM_MSG_INVALID;
	p = gunyah_sim_parcel_get(rm, c, true, &err);
	if (!p)
		return err;
	if (p->finalised)
		return GUNYAH_SIM_RM_DENIED;
	if (c->req[4] & ~GUNYAH_SIM_MEM_APPEND_END || !sgl.count)
		return GUNYAH_SIM_RM_ARG_INVALID;

	err = gunyah_sim_add_sgl(rm, p, &sgl);
	if (err)
		return err;
	if (c->req[4] & GUNYAH_SIM_MEM_APPEND_END)
		p->finalised = true;
	return GUNYAH_SIM_RM_OK;
}

static bool gunyah_sim_parcel_in_use(struct gunyah_sim_rm *rm,
				     struct gunyah_sim_rm_parcel *p)
{
	unsigned int i;

	for (i = 0; i < p->nacl; i++)
		if (p->acl[i].accepted &&
		    gunyah_sim_rm_vm_is_running(rm, p->acl[i].vmid))
			return true;
	return false;
}

static u32 gunyah_sim_mem_reclaim(struct gunyah_sim_rm *rm,
				  struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_parcel *p;
	u32 err;

	if (c->len < 8)
		return GUNYAH_SIM_RM_MSG_INVALID;
	p = gunyah_sim_parcel_get(rm, c, true, &err);
	if (!p)
		return err;
	if (gunyah_sim_parcel_in_use(rm, p))
		return GUNYAH_SIM_RM_MEM_INUSE;

	xa_erase(&rm->parcels, p->handle);
	gunyah_sim_parcel_free(p);
	return GUNYAH_SIM_RM_OK;
}

static struct gunyah_sim_rm_acl *
gunyah_sim_parcel_acl(struct gunyah_sim_rm_parcel *p, u16 vmid)
{
	unsigned int i;

	for (i = 0; i < p->nacl; i++)
		if (p->acl[i].vmid == vmid)
			return &p->acl[i];
	return NULL;
}

static void gunyah_sim_notify_owner(struct gunyah_sim_rm *rm,
				    struct gunyah_sim_rm_parcel *p, u32 msg_id,
				    u16 vmid, u32 tag)
{
	u8 payload[12] = {};

	put_unaligned_le32(p->handle, payload);
	put_unaligned_le16(vmid, payload + 4);
	put_unaligned_le32(tag, payload + 8);
	gunyah_sim_rm_notify(rm, p->client, msg_id, payload, sizeof(payload));
}

static u32 gunyah_sim_mem_notify(struct gunyah_sim_rm *rm,
				 struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_parcel *p;
	struct gunyah_sim_rm_list vmids;
	size_t off = 12;
	u32 err, tag;
	u8 flags;

	if (c->len < 12)
		return GUNYAH_SIM_RM_MSG_INVALID;
	flags = c->req[4];
	tag = get_unaligned_le32(c->req + 8);
	if (hweight8(flags) != 1 || flags > GUNYAH_SIM_NOTIFY_RECALL)
		return GUNYAH_SIM_RM_ARG_INVALID;

	if (flags & (GUNYAH_SIM_NOTIFY_SHARED | GUNYAH_SIM_NOTIFY_RECALL)) {
		err = gunyah_sim_read_list(c, &off, 4, &vmids);
		if (err)
			return err;
		if (off != c->len)
			return GUNYAH_SIM_RM_MSG_INVALID;
		p = gunyah_sim_parcel_get(rm, c, true, &err);
		if (!p)
			return err;
		/* The recipients have no RM client in the simulator. */
		return GUNYAH_SIM_RM_OK;
	}

	if (c->len != 12)
		return GUNYAH_SIM_RM_MSG_INVALID;
	p = gunyah_sim_parcel_get(rm, c, false, &err);
	if (!p)
		return err;
	if (!gunyah_sim_parcel_acl(p, c->client->vmid))
		return GUNYAH_SIM_RM_DENIED;
	gunyah_sim_notify_owner(rm, p, flags & GUNYAH_SIM_NOTIFY_ACCEPTED ?
				GUNYAH_SIM_RM_NOTIF_MEM_ACCEPTED :
				GUNYAH_SIM_RM_NOTIF_MEM_RELEASED,
				c->client->vmid, tag);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_mem_accept(struct gunyah_sim_rm *rm,
				 struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_list acl, sgl, attrs;
	struct gunyah_sim_rm_parcel *p;
	struct gunyah_sim_rm_acl *mine;
	size_t off = 12;
	unsigned int i;
	u32 err;
	u8 flags;

	if (c->len < 12)
		return GUNYAH_SIM_RM_MSG_INVALID;
	err = gunyah_sim_read_list(c, &off, 4, &acl);
	err = err ?: gunyah_sim_read_list(c, &off, 16, &sgl);
	err = err ?: gunyah_sim_read_list(c, &off, 4, &attrs);
	if (err)
		return err;
	if (off != c->len)
		return GUNYAH_SIM_RM_MSG_INVALID;
	p = gunyah_sim_parcel_get(rm, c, false, &err);
	if (!p)
		return err;
	mine = gunyah_sim_parcel_acl(p, c->client->vmid);
	flags = c->req[6];
	if (!mine || !p->finalised || (flags & GUNYAH_SIM_ACCEPT_MAP_OTHER))
		return GUNYAH_SIM_RM_DENIED;
	if (c->req[4] != p->mem_type || c->req[5] != p->trans_type || sgl.word)
		return GUNYAH_SIM_RM_ARG_INVALID;
	if ((flags & GUNYAH_SIM_ACCEPT_VALIDATE_LABEL) &&
	    get_unaligned_le32(c->req + 8) != p->label)
		return GUNYAH_SIM_RM_VALIDATE_FAILED;
	if (flags & GUNYAH_SIM_ACCEPT_VALIDATE_ACL) {
		if (acl.count != p->nacl)
			return GUNYAH_SIM_RM_VALIDATE_FAILED;
		for (i = 0; i < acl.count; i++)
			if (get_unaligned_le16(acl.entries + i * 4) !=
			    p->acl[i].vmid ||
			    acl.entries[i * 4 + 2] != p->acl[i].rights)
				return GUNYAH_SIM_RM_VALIDATE_FAILED;
	}
	if (mine->accepted)
		return GUNYAH_SIM_RM_MEM_INUSE;

	mine->accepted = true;
	if (!sgl.count) {
		unsigned int n = min(p->nsgl, 900U);

		put_unaligned_le16(n, c->reply);
		c->reply[2] = n < p->nsgl;
		c->reply[3] = 0;
		for (i = 0; i < n; i++) {
			put_unaligned_le64(p->sgl[i].ipa, c->reply + 4 + i * 16);
			put_unaligned_le64(p->sgl[i].size,
					   c->reply + 12 + i * 16);
		}
		c->reply_len = 4 + n * 16;
	}
	gunyah_sim_notify_owner(rm, p, GUNYAH_SIM_RM_NOTIF_MEM_ACCEPTED,
				c->client->vmid, 0);
	return GUNYAH_SIM_RM_OK;
}

static u32 gunyah_sim_mem_release(struct gunyah_sim_rm *rm,
				  struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_parcel *p;
	struct gunyah_sim_rm_acl *mine;
	u32 err;

	if (c->len < 8)
		return GUNYAH_SIM_RM_MSG_INVALID;
	p = gunyah_sim_parcel_get(rm, c, false, &err);
	if (!p)
		return err;
	mine = gunyah_sim_parcel_acl(p, c->client->vmid);
	if (!mine || !mine->accepted)
		return GUNYAH_SIM_RM_MEM_RELEASED;
	mine->accepted = false;
	gunyah_sim_notify_owner(rm, p, GUNYAH_SIM_RM_NOTIF_MEM_RELEASED,
				c->client->vmid, 0);
	return GUNYAH_SIM_RM_OK;
}

static const struct {
	u32 msg_id;
	gunyah_sim_rm_handler_t handler;
} gunyah_sim_mem_handlers[] = {
	{ GUNYAH_SIM_RM_MEM_DONATE, gunyah_sim_mem_donate },
	{ GUNYAH_SIM_RM_MEM_ACCEPT, gunyah_sim_mem_accept },
	{ GUNYAH_SIM_RM_MEM_LEND, gunyah_sim_mem_lend },
	{ GUNYAH_SIM_RM_MEM_SHARE, gunyah_sim_mem_share },
	{ GUNYAH_SIM_RM_MEM_RELEASE, gunyah_sim_mem_release },
	{ GUNYAH_SIM_RM_MEM_RECLAIM, gunyah_sim_mem_reclaim },
	{ GUNYAH_SIM_RM_MEM_NOTIFY, gunyah_sim_mem_notify },
	{ GUNYAH_SIM_RM_MEM_APPEND, gunyah_sim_mem_append },
};

/**
 * gunyah_sim_rm_mem_handler() - The handler of a memory-parcel message
 * @msg_id: the message ID
 *
 * Return: the handler, or NULL.
 */
gunyah_sim_rm_handler_t gunyah_sim_rm_mem_handler(u32 msg_id)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(gunyah_sim_mem_handlers); i++)
		if (gunyah_sim_mem_handlers[i].msg_id == msg_id)
			return gunyah_sim_mem_handlers[i].handler;
	return NULL;
}

/**
 * gunyah_sim_rm_mem_image_check() - Check the parcel VM_CONFIG_IMAGE names
 * @rm: the RM
 * @handle: the parcel
 * @vmid: the VM being configured, which must be in its ACL
 * @end1: end of the image within the parcel
 * @end2: end of the devicetree within the parcel
 *
 * Return: RM_OK, MEM_INVALID for a parcel that is missing, unfinished or not
 * for @vmid, or ARGUMENT_INVALID if an end lies beyond the parcel.
 */
u32 gunyah_sim_rm_mem_image_check(struct gunyah_sim_rm *rm, u32 handle,
				  u16 vmid, u64 end1, u64 end2)
{
	struct gunyah_sim_rm_parcel *p = xa_load(&rm->parcels, handle);
	unsigned int i;
	u64 size = 0;

	if (!p || !p->finalised || !gunyah_sim_parcel_acl(p, vmid))
		return GUNYAH_SIM_RM_MEM_INVALID;
	for (i = 0; i < p->nsgl; i++)
		size += p->sgl[i].size;
	if (end1 > size || end2 > size)
		return GUNYAH_SIM_RM_ARG_INVALID;
	return GUNYAH_SIM_RM_OK;
}

/**
 * gunyah_sim_rm_mem_vm_accept() - A VM takes or gives back its parcels
 * @rm: the RM
 * @vmid: the VM
 * @accept: true when it starts, false when it is reset
 */
void gunyah_sim_rm_mem_vm_accept(struct gunyah_sim_rm *rm, u16 vmid,
				 bool accept)
{
	struct gunyah_sim_rm_parcel *p;
	struct gunyah_sim_rm_acl *acl;
	unsigned long handle;

	xa_for_each(&rm->parcels, handle, p) {
		acl = gunyah_sim_parcel_acl(p, vmid);
		if (acl && (p->finalised || !accept))
			acl->accepted = accept;
	}
}

/**
 * gunyah_sim_rm_mem_client_gone() - Stop notifying a client that goes away
 * @rm: the RM
 * @client: the client
 */
void gunyah_sim_rm_mem_client_gone(struct gunyah_sim_rm *rm,
				   struct gunyah_sim_rm_client *client)
{
	struct gunyah_sim_rm_parcel *p;
	unsigned long handle;

	xa_for_each(&rm->parcels, handle, p)
		if (p->client == client)
			p->client = NULL;
}

/**
 * gunyah_sim_rm_mem_forget_all() - Forget every parcel
 * @rm: the RM
 * @warn: report each parcel that is still live
 */
void gunyah_sim_rm_mem_forget_all(struct gunyah_sim_rm *rm, bool warn)
{
	struct gunyah_sim_rm_parcel *p;
	unsigned long handle;

	xa_for_each(&rm->parcels, handle, p) {
		if (warn)
			pr_warn("memory parcel %lu of VM %u still live\n",
				handle, p->owner);
		xa_erase(&rm->parcels, handle);
		gunyah_sim_parcel_free(p);
	}
	rm->next_handle = 0;
}
