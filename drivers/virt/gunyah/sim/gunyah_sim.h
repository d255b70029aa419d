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

#endif
