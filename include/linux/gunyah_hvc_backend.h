/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test seam of the Gunyah hypercall layer.
 *
 * With CONFIG_GUNYAH_SIMULATOR a software hypervisor may take over every
 * Gunyah hypercall issued by this kernel. Without it this header declares
 * nothing and hypercalls go straight to the HVC instruction.
 */

#ifndef _LINUX_GUNYAH_HVC_BACKEND_H
#define _LINUX_GUNYAH_HVC_BACKEND_H

#include <linux/arm-smccc.h>

struct module;

/**
 * struct gunyah_hvc_backend - A software implementation of Gunyah hypercalls
 * @owner: module that provides @call; pinned for the duration of each call
 * @call: answers the SMCCC call in @args->a0 with the arguments in
 *        @args->a1..a17, writing results to @res as the hypervisor would
 */
struct gunyah_hvc_backend {
	struct module *owner;
	void (*call)(const struct arm_smccc_1_2_regs *args,
		     struct arm_smccc_1_2_regs *res);
};

#if IS_ENABLED(CONFIG_GUNYAH_SIMULATOR)
int gunyah_hvc_set_backend(const struct gunyah_hvc_backend *backend);
void gunyah_hvc_clear_backend(const struct gunyah_hvc_backend *backend);
#endif

#endif
