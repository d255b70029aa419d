/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Detection helpers of the Gunyah core, visible to its KUnit tests only.
 */

#ifndef _GUNYAH_DETECT_H
#define _GUNYAH_DETECT_H

#include <linux/gunyah.h>

#if IS_ENABLED(CONFIG_KUNIT)
int gunyah_parse_identify(const struct gunyah_hypercall_hyp_identify_resp *resp,
			  struct gunyah_hyp_info *info);
int gunyah_detect(struct gunyah_hyp_info *info);
#endif

#endif
