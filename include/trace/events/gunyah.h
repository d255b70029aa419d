/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the Gunyah drivers: resource-manager RPC, vCPU runs and
 * exits, memory given to and taken back from VMs, and VM functions.
 *
 * The events are defined in the gunyah_rsc_mgr module; those used by the
 * vCPU function are exported from it.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM gunyah

#if !defined(_TRACE_GUNYAH_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_GUNYAH_H

#include <linux/tracepoint.h>
#include <linux/types.h>

TRACE_EVENT(gunyah_rm_send,
	    TP_PROTO(u32 msg_id, u16 seq, size_t size, size_t fragments),
	    TP_ARGS(msg_id, seq, size, fragments),
	    TP_STRUCT__entry(__field(u32, msg_id)
			     __field(u16, seq)
			     __field(u32, size)
			     __field(u32, fragments)
	    ),
	    TP_fast_assign(__entry->msg_id = msg_id;
			   __entry->seq = seq;
			   __entry->size = size;
			   __entry->fragments = fragments;
	    ),
	    TP_printk("msg_id=%#x seq=%u size=%u fragments=%u",
		      __entry->msg_id, __entry->seq, __entry->size,
		      __entry->fragments)
);

TRACE_EVENT(gunyah_rm_reply_error,
	    TP_PROTO(u32 msg_id, u16 seq, u32 rm_error),
	    TP_ARGS(msg_id, seq, rm_error),
	    TP_STRUCT__entry(__field(u32, msg_id)
			     __field(u16, seq)
			     __field(u32, rm_error)
	    ),
	    TP_fast_assign(__entry->msg_id = msg_id;
			   __entry->seq = seq;
			   __entry->rm_error = rm_error;
	    ),
	    TP_printk("msg_id=%#x seq=%u rm_error=%#x",
		      __entry->msg_id, __entry->seq, __entry->rm_error)
);

TRACE_EVENT(gunyah_rm_notification,
	    TP_PROTO(u32 msg_id, size_t size),
	    TP_ARGS(msg_id, size),
	    TP_STRUCT__entry(__field(u32, msg_id)
			     __field(u32, size)
	    ),
	    TP_fast_assign(__entry->msg_id = msg_id;
			   __entry->size = size;
	    ),
	    TP_printk("msg_id=%#x size=%u", __entry->msg_id, __entry->size)
);

TRACE_EVENT(gunyah_vcpu_run,
	    TP_PROTO(u16 vmid, u32 vcpu, u64 resume0, u64 resume1),
	    TP_ARGS(vmid, vcpu, resume0, resume1),
	    TP_STRUCT__entry(__field(u16, vmid)
			     __field(u32, vcpu)
			     __field(u64, resume0)
			     __field(u64, resume1)
	    ),
	    TP_fast_assign(__entry->vmid = vmid;
			   __entry->vcpu = vcpu;
			   __entry->resume0 = resume0;
			   __entry->resume1 = resume1;
	    ),
	    TP_printk("vmid=%u vcpu=%u resume0=%#llx resume1=%#llx",
		      __entry->vmid, __entry->vcpu, __entry->resume0,
		      __entry->resume1)
);

TRACE_EVENT(gunyah_vcpu_exit,
	    TP_PROTO(u16 vmid, u32 vcpu, u32 state, u64 data0, u64 data1),
	    TP_ARGS(vmid, vcpu, state, data0, data1),
	    TP_STRUCT__entry(__field(u16, vmid)
			     __field(u32, vcpu)
			     __field(u32, state)
			     __field(u64, data0)
			     __field(u64, data1)
	    ),
	    TP_fast_assign(__entry->vmid = vmid;
			   __entry->vcpu = vcpu;
			   __entry->state = state;
			   __entry->data0 = data0;
			   __entry->data1 = data1;
	    ),
	    TP_printk("vmid=%u vcpu=%u state=%#x data0=%#llx data1=%#llx",
		      __entry->vmid, __entry->vcpu, __entry->state,
		      __entry->data0, __entry->data1)
);

TRACE_EVENT(gunyah_vcpu_user_exit,
	    TP_PROTO(u16 vmid, u32 vcpu, u32 exit_reason, u64 addr),
	    TP_ARGS(vmid, vcpu, exit_reason, addr),
	    TP_STRUCT__entry(__field(u16, vmid)
			     __field(u32, vcpu)
			     __field(u32, exit_reason)
			     __field(u64, addr)
	    ),
	    TP_fast_assign(__entry->vmid = vmid;
			   __entry->vcpu = vcpu;
			   __entry->exit_reason = exit_reason;
			   __entry->addr = addr;
	    ),
	    TP_printk("vmid=%u vcpu=%u exit_reason=%u addr=%#llx",
		      __entry->vmid, __entry->vcpu, __entry->exit_reason,
		      __entry->addr)
);

DECLARE_EVENT_CLASS(gunyah_mem_parcel,
		    TP_PROTO(u16 vmid, u32 handle, u64 size, u32 extents),
		    TP_ARGS(vmid, handle, size, extents),
		    TP_STRUCT__entry(__field(u16, vmid)
				     __field(u32, handle)
				     __field(u64, size)
				     __field(u32, extents)
		    ),
		    TP_fast_assign(__entry->vmid = vmid;
				   __entry->handle = handle;
				   __entry->size = size;
				   __entry->extents = extents;
		    ),
		    TP_printk("vmid=%u handle=%#x size=%#llx extents=%u",
			      __entry->vmid, __entry->handle, __entry->size,
			      __entry->extents)
);

DEFINE_EVENT(gunyah_mem_parcel, gunyah_mem_lend,
	     TP_PROTO(u16 vmid, u32 handle, u64 size, u32 extents),
	     TP_ARGS(vmid, handle, size, extents)
);

DEFINE_EVENT(gunyah_mem_parcel, gunyah_mem_share,
	     TP_PROTO(u16 vmid, u32 handle, u64 size, u32 extents),
	     TP_ARGS(vmid, handle, size, extents)
);

DEFINE_EVENT(gunyah_mem_parcel, gunyah_mem_reclaim,
	     TP_PROTO(u16 vmid, u32 handle, u64 size, u32 extents),
	     TP_ARGS(vmid, handle, size, extents)
);

DECLARE_EVENT_CLASS(gunyah_fn,
		    TP_PROTO(u16 vmid, u32 type, long ret),
		    TP_ARGS(vmid, type, ret),
		    TP_STRUCT__entry(__field(u16, vmid)
				     __field(u32, type)
				     __field(long, ret)
		    ),
		    TP_fast_assign(__entry->vmid = vmid;
				   __entry->type = type;
				   __entry->ret = ret;
		    ),
		    TP_printk("vmid=%u type=%u ret=%ld",
			      __entry->vmid, __entry->type, __entry->ret)
);

DEFINE_EVENT(gunyah_fn, gunyah_fn_add,
	     TP_PROTO(u16 vmid, u32 type, long ret),
	     TP_ARGS(vmid, type, ret)
);

DEFINE_EVENT(gunyah_fn, gunyah_fn_remove,
	     TP_PROTO(u16 vmid, u32 type, long ret),
	     TP_ARGS(vmid, type, ret)
);

#endif /* _TRACE_GUNYAH_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
