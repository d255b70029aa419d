// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated Resource Manager: memory parcels.
 */

#define pr_fmt(fmt) "gunyah_sim: " fmt

#include <linux/bitops.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
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
/* The most one range may cover: the page index costs 8 bytes a page. */
#define GUNYAH_SIM_RANGE_MAX		SZ_64G

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
 * @npages: 4 KiB pages in @sgl
 * @nacl: entries in @acl
 * @acl: the access control list
 * @nsgl: entries in @sgl
 * @sgl_cap: room in @sgl
 * @sgl: the memory ranges; each is also a range of &gunyah_sim_rm.pages
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
	u64 npages;
	unsigned int nacl;
	struct gunyah_sim_rm_acl *acl;
	unsigned int nsgl;
	unsigned int sgl_cap;
	struct gunyah_sim_rm_sgl *sgl;
};

static const char *const gunyah_sim_trans_name[] = {
	[GUNYAH_SIM_TRANS_DONATE] = "donate",
	[GUNYAH_SIM_TRANS_LEND] = "lend",
	[GUNYAH_SIM_TRANS_SHARE] = "share",
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

/*
 * The ACL, memory and attribute lists of a parcel message, from @off to
 * exactly the end of the request.
 */
static u32 gunyah_sim_read_lists(const struct gunyah_sim_rm_call *c,
				 size_t off, struct gunyah_sim_rm_list *acl,
				 struct gunyah_sim_rm_list *sgl,
				 struct gunyah_sim_rm_list *attrs)
{
	u32 err;

	err = gunyah_sim_read_list(c, &off, 4, acl);
	err = err ?: gunyah_sim_read_list(c, &off, 16, sgl);
	err = err ?: gunyah_sim_read_list(c, &off, 4, attrs);
	if (err)
		return err;
	return off == c->len ? GUNYAH_SIM_RM_OK : GUNYAH_SIM_RM_MSG_INVALID;
}

static unsigned long gunyah_sim_pfn(u64 ipa)
{
	return ipa >> 12;
}

/* Pages handled under the lock of the page index before rescheduling. */
#define GUNYAH_SIM_PAGES_BATCH		4096

/*
 * Forget the pages [first, last] that are parcel @p's. Each is looked up
 * and erased on its own: an erase may shrink the tree under an xa_state
 * and end a walk with it early.
 */
static void gunyah_sim_pages_erase(struct gunyah_sim_rm *rm,
				   struct gunyah_sim_rm_parcel *p,
				   unsigned long first, unsigned long last)
{
	unsigned long index = first;
	unsigned int done = 0;
	void *entry;

	for (entry = xa_find(&rm->pages, &index, last, XA_PRESENT); entry;
	     entry = xa_find_after(&rm->pages, &index, last, XA_PRESENT)) {
		if (entry == p)
			xa_erase(&rm->pages, index);
		if (!(++done % GUNYAH_SIM_PAGES_BATCH))
			cond_resched();
	}
}

/* Forget all the pages of a parcel: one walk over the span of its SGL. */
static void gunyah_sim_pages_remove(struct gunyah_sim_rm *rm,
				    struct gunyah_sim_rm_parcel *p)
{
	unsigned long first = ULONG_MAX, last = 0;
	struct gunyah_sim_rm_sgl *e;
	unsigned int i;

	for (i = 0; i < p->nsgl; i++) {
		e = &p->sgl[i];
		first = min(first, gunyah_sim_pfn(e->ipa));
		last = max(last, gunyah_sim_pfn(e->ipa + e->size - 1));
	}
	if (p->nsgl)
		gunyah_sim_pages_erase(rm, p, first, last);
}

/**
 * struct gunyah_sim_pages_cursor - Where adding an SGL's pages got to
 * @i: the SGL entry
 * @off: the page within it
 */
struct gunyah_sim_pages_cursor {
	unsigned int i;
	unsigned long off;
};

/*
 * Record the pages of the SGL entries [cur->i, to) as the parcel's, up to
 * GUNYAH_SIM_PAGES_BATCH of them under one lock; *cur moves past those
 * recorded. -EBUSY if a page is taken, -ENOMEM.
 */
static int gunyah_sim_pages_add_batch(struct gunyah_sim_rm *rm,
				      struct gunyah_sim_rm_parcel *p,
				      struct gunyah_sim_pages_cursor *cur,
				      unsigned int to)
{
	XA_STATE(xas, &rm->pages, 0);
	unsigned int budget = GUNYAH_SIM_PAGES_BATCH;
	struct gunyah_sim_rm_sgl *e;
	int ret = 0;

	do {
		xas_lock(&xas);
		while (cur->i < to && budget) {
			e = &p->sgl[cur->i];
			xas_set(&xas, gunyah_sim_pfn(e->ipa) + cur->off);
			if (xas_load(&xas)) {
				ret = -EBUSY;
				break;
			}
			xas_store(&xas, p);
			if (xas_error(&xas))
				break;
			budget--;
			if (++cur->off == e->size >> 12) {
				cur->i++;
				cur->off = 0;
			}
		}
		xas_unlock(&xas);
	} while (!ret && xas_nomem(&xas, GFP_KERNEL));
	/* Frees a node allocated for a retry that found the page taken. */
	if (ret)
		xas_nomem(&xas, GFP_KERNEL);

	return ret ?: xas_error(&xas);
}

/*
 * Record the pages of the parcel's SGL entries [from, to) as its own; on
 * failure none of them is. -EBUSY if a page is in a parcel already, this
 * one included.
 */
static int gunyah_sim_pages_add(struct gunyah_sim_rm *rm,
				struct gunyah_sim_rm_parcel *p,
				unsigned int from, unsigned int to)
{
	struct gunyah_sim_pages_cursor cur = { .i = from };
	struct gunyah_sim_rm_sgl *e;
	unsigned long pfn;
	int ret = 0;

	while (!ret && cur.i < to) {
		ret = gunyah_sim_pages_add_batch(rm, p, &cur, to);
		cond_resched();
	}
	if (!ret)
		return 0;

	/* Undo: whole entries before the cursor, and the part of its own. */
	for (; from < cur.i; from++) {
		e = &p->sgl[from];
		gunyah_sim_pages_erase(rm, p, gunyah_sim_pfn(e->ipa),
				       gunyah_sim_pfn(e->ipa + e->size - 1));
	}
	if (cur.off) {
		pfn = gunyah_sim_pfn(p->sgl[cur.i].ipa);
		gunyah_sim_pages_erase(rm, p, pfn, pfn + cur.off - 1);
	}
	return ret;
}

/*
 * Check a new SGL and add it to the parcel: 4 KiB aligned, below 2^44,
 * and no page in any live parcel, this one included (MEM_INVALID). The
 * page index finds those in time linear in the pages added.
 */
static u32 gunyah_sim_add_sgl(struct gunyah_sim_rm *rm,
			      struct gunyah_sim_rm_parcel *p,
			      const struct gunyah_sim_rm_list *list)
{
	unsigned int i, n = p->nsgl + list->count, cap;
	struct gunyah_sim_rm_sgl *sgl, *e;
	u64 npages = 0;
	int ret;

	if (n > p->sgl_cap) {
		cap = max(n, 2 * p->sgl_cap);
		sgl = kvrealloc(p->sgl, array_size(cap, sizeof(*sgl)),
				GFP_KERNEL);
		if (!sgl)
			return GUNYAH_SIM_RM_NOMEM;
		p->sgl = sgl;
		p->sgl_cap = cap;
	}

	for (i = 0; i < list->count; i++) {
		e = &p->sgl[p->nsgl + i];
		e->ipa = get_unaligned_le64(list->entries + i * 16);
		e->size = get_unaligned_le64(list->entries + i * 16 + 8);
		if (!e->size || !IS_ALIGNED(e->ipa, SZ_4K) ||
		    !IS_ALIGNED(e->size, SZ_4K) ||
		    e->ipa >= GUNYAH_SIM_ADDR_LIMIT ||
		    e->size > GUNYAH_SIM_ADDR_LIMIT - e->ipa ||
		    e->size > GUNYAH_SIM_RANGE_MAX)
			return GUNYAH_SIM_RM_MEM_INVALID;
		npages += e->size >> 12;
	}

	ret = gunyah_sim_pages_add(rm, p, p->nsgl, n);
	if (ret)
		return ret == -EBUSY ? GUNYAH_SIM_RM_MEM_INVALID :
				       GUNYAH_SIM_RM_NOMEM;
	p->nsgl = n;
	p->npages += npages;
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

static void gunyah_sim_parcel_free(struct gunyah_sim_rm *rm,
				   struct gunyah_sim_rm_parcel *p)
{
	gunyah_sim_pages_remove(rm, p);
	kvfree(p->sgl);
	kfree(p->acl);
	kfree(p);
}

/* Recipients that are READY or running take a finished parcel at once. */
static void gunyah_sim_parcel_finalise(struct gunyah_sim_rm *rm,
				       struct gunyah_sim_rm_parcel *p)
{
	unsigned int i;

	p->finalised = true;
	for (i = 0; i < p->nacl; i++)
		if (p->acl[i].vmid != p->owner &&
		    gunyah_sim_rm_vm_accepts_memory(rm, p->acl[i].vmid))
			p->acl[i].accepted = true;
}

static u32 gunyah_sim_mem_create(struct gunyah_sim_rm *rm,
				 struct gunyah_sim_rm_call *c, u8 trans)
{
	struct gunyah_sim_rm_list acl, sgl, attrs;
	struct gunyah_sim_rm_parcel *p;
	u16 owner = c->client->vmid;
	unsigned int i;
	u8 mem_type, flags;
	u32 err, handle;
	bool share;

	err = gunyah_sim_read_lists(c, 8, &acl, &sgl, &attrs);
	if (err)
		return err;

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
	if (p->finalised)
		gunyah_sim_parcel_finalise(rm, p);
	put_unaligned_le32(handle, c->reply);
	c->reply_len = 4;
	return GUNYAH_SIM_RM_OK;

err_free:
	gunyah_sim_parcel_free(rm, p);
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
		gunyah_sim_parcel_finalise(rm, p);
	return GUNYAH_SIM_RM_OK;
}

/* Whether a recipient still has the parcel accepted. */
static bool gunyah_sim_parcel_in_use(struct gunyah_sim_rm_parcel *p)
{
	unsigned int i;

	for (i = 0; i < p->nacl; i++)
		if (p->acl[i].accepted)
			return true;
	return false;
}

static u32 gunyah_sim_mem_reclaim(struct gunyah_sim_rm *rm,
				  struct gunyah_sim_rm_call *c)
{
	struct gunyah_sim_rm_parcel *p;
	u32 err;

	p = gunyah_sim_parcel_get(rm, c, true, &err);
	if (!p)
		return err;
	if (gunyah_sim_parcel_in_use(p))
		return GUNYAH_SIM_RM_MEM_INUSE;

	xa_erase(&rm->parcels, p->handle);
	gunyah_sim_parcel_free(rm, p);
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
	unsigned int i;
	u32 err;
	u8 flags;

	err = gunyah_sim_read_lists(c, 12, &acl, &sgl, &attrs);
	if (err)
		return err;
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

#define MSG(id, min, fn)	{ id, min, GUNYAH_SIM_RM_LEN_MIN, \
				  GUNYAH_SIM_RM_CALLER_ANY, 0, \
				  GUNYAH_SIM_RM_ANY_STATE, GUNYAH_SIM_RM_ALL, fn }

/* §3.8.5: parcels are checked against their handle by each handler. */
static const struct gunyah_sim_rm_msg_desc gunyah_sim_mem_msgs[] = {
	MSG(GUNYAH_SIM_RM_MEM_DONATE, 8, gunyah_sim_mem_donate),
	MSG(GUNYAH_SIM_RM_MEM_ACCEPT, 12, gunyah_sim_mem_accept),
	MSG(GUNYAH_SIM_RM_MEM_LEND, 8, gunyah_sim_mem_lend),
	MSG(GUNYAH_SIM_RM_MEM_SHARE, 8, gunyah_sim_mem_share),
	MSG(GUNYAH_SIM_RM_MEM_RELEASE, 8, gunyah_sim_mem_release),
	MSG(GUNYAH_SIM_RM_MEM_RECLAIM, 8, gunyah_sim_mem_reclaim),
	MSG(GUNYAH_SIM_RM_MEM_NOTIFY, 12, gunyah_sim_mem_notify),
	MSG(GUNYAH_SIM_RM_MEM_APPEND, 8, gunyah_sim_mem_append),
};

#undef MSG

/**
 * gunyah_sim_rm_mem_desc() - How the RM checks and handles a parcel message
 * @msg_id: the message ID
 *
 * Return: the message's description, or NULL if it is not a parcel message.
 */
const struct gunyah_sim_rm_msg_desc *gunyah_sim_rm_mem_desc(u32 msg_id)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(gunyah_sim_mem_msgs); i++)
		if (gunyah_sim_mem_msgs[i].msg_id == msg_id)
			return &gunyah_sim_mem_msgs[i];
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
		if (acl && vmid != p->owner && (p->finalised || !accept))
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
 * gunyah_sim_rm_mem_read() - Read from a parcel, as the RM reads an image
 * @rm: the RM
 * @handle: the parcel
 * @offset: where, from the start of the parcel
 * @buf: where to
 * @len: how much
 *
 * The parcel's ranges are the owner's IPAs, which for the primary VM are
 * Linux physical addresses; they must be RAM.
 *
 * Return: RM_OK, MEM_INVALID if the parcel is missing or a page is not RAM,
 * ARGUMENT_INVALID if the range lies beyond the parcel.
 */
u32 gunyah_sim_rm_mem_read(struct gunyah_sim_rm *rm, u32 handle, u64 offset,
			   void *buf, size_t len)
{
	struct gunyah_sim_rm_parcel *p = xa_load(&rm->parcels, handle);
	struct gunyah_sim_rm_sgl *e;
	size_t chunk, in_page;
	unsigned int i;
	void *src;
	u64 pa;

	if (!p || p->owner != GUNYAH_SIM_VMID_HLOS)
		return GUNYAH_SIM_RM_MEM_INVALID;
	for (i = 0; i < p->nsgl && len; i++) {
		e = &p->sgl[i];
		if (offset >= e->size) {
			offset -= e->size;
			continue;
		}
		while (len && offset < e->size) {
			pa = e->ipa + offset;
			if (!pfn_valid(PHYS_PFN(pa)))
				return GUNYAH_SIM_RM_MEM_INVALID;
			in_page = offset_in_page(pa);
			chunk = min3(len, PAGE_SIZE - in_page,
				     (size_t)(e->size - offset));
			src = kmap_local_page(pfn_to_page(PHYS_PFN(pa)));
			memcpy(buf, src + in_page, chunk);
			kunmap_local(src);
			buf += chunk;
			len -= chunk;
			offset += chunk;
		}
		offset = 0;
	}
	return len ? GUNYAH_SIM_RM_ARG_INVALID : GUNYAH_SIM_RM_OK;
}

/**
 * gunyah_sim_rm_mem_ranges() - Where the memory of a parcel is
 * @rm: the RM
 * @handle: the parcel, of the primary VM: its IPAs are host addresses
 * @ranges: set to its ranges in order, an array to kfree
 * @n: set to the number of ranges
 *
 * Context: with &gunyah_sim_rm.lock held.
 * Return: 0, -ENOENT if there is no such parcel of the primary VM, or
 * -ENOMEM.
 */
int gunyah_sim_rm_mem_ranges(struct gunyah_sim_rm *rm, u32 handle,
			     struct gunyah_sim_rm_mem_range **ranges,
			     unsigned int *n)
{
	struct gunyah_sim_rm_parcel *p = xa_load(&rm->parcels, handle);
	struct gunyah_sim_rm_mem_range *r;
	unsigned int i;
	u64 offset = 0;

	lockdep_assert_held(&rm->lock);
	if (!p || p->owner != GUNYAH_SIM_VMID_HLOS || !p->nsgl)
		return -ENOENT;
	r = kmalloc_array(p->nsgl, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	for (i = 0; i < p->nsgl; i++) {
		r[i].offset = offset;
		r[i].pa = p->sgl[i].ipa;
		r[i].size = p->sgl[i].size;
		offset += p->sgl[i].size;
	}
	*ranges = r;
	*n = p->nsgl;
	return 0;
}

/**
 * gunyah_sim_rm_mem_usage() - Count the live parcels and their pages
 * @rm: the RM
 * @usage: its parcel and page counts are set; lent pages include donated
 *         parcels; donated pages are those donated to memory extents
 */
void gunyah_sim_rm_mem_usage(struct gunyah_sim_rm *rm,
			     struct gunyah_sim_rm_usage *usage)
{
	struct gunyah_sim_rm_parcel *p;
	unsigned long handle;

	usage->parcels = 0;
	usage->lent_pages = 0;
	usage->shared_pages = 0;
	usage->donated_pages = rm->donated_pages;
	xa_for_each(&rm->parcels, handle, p) {
		usage->parcels++;
		if (p->trans_type == GUNYAH_SIM_TRANS_SHARE)
			usage->shared_pages += p->npages;
		else
			usage->lent_pages += p->npages;
	}
}

/**
 * gunyah_sim_rm_mem_show() - One line per live parcel, for debugfs
 * @rm: the RM
 * @s: where to
 */
void gunyah_sim_rm_mem_show(struct gunyah_sim_rm *rm, struct seq_file *s)
{
	struct gunyah_sim_rm_parcel *p;
	unsigned long handle;

	xa_for_each(&rm->parcels, handle, p)
		seq_printf(s, "parcel %u owner %u %s pages %llu accepted %d\n",
			   p->handle, p->owner,
			   gunyah_sim_trans_name[p->trans_type], p->npages,
			   gunyah_sim_parcel_in_use(p));
}

static void gunyah_sim_parcel_report(struct gunyah_sim_rm_parcel *p)
{
	unsigned int i, len = 0;
	char acl[64] = "";

	for (i = 0; i < p->nacl; i++)
		len += scnprintf(acl + len, sizeof(acl) - len, " %u%s",
				 p->acl[i].vmid,
				 p->acl[i].accepted ? " (accepted)" : "");
	pr_err("memory parcel %u of VM %u still live: %s, %llu pages, to VMs%s\n",
	       p->handle, p->owner, gunyah_sim_trans_name[p->trans_type],
	       p->npages, acl);
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
			gunyah_sim_parcel_report(p);
		xa_erase(&rm->parcels, handle);
		gunyah_sim_parcel_free(rm, p);
	}
	rm->next_handle = 0;
}
