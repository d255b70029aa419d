// SPDX-License-Identifier: GPL-2.0-only
/*
 * Detection of the Gunyah hypervisor.
 *
 * The module loads only on Gunyah: it checks the vendor-hypervisor UID, asks
 * the hypervisor for its API version and features, and keeps them for the
 * other Gunyah drivers, which depend on this module.
 */

#define pr_fmt(fmt) "gunyah: " fmt

#include <kunit/visibility.h>
#include <linux/bitops.h>
#include <linux/export.h>
#include <linux/gunyah.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/printk.h>

#include "gunyah_detect.h"

/* Written once by gunyah_init() and read-only afterwards. */
static struct gunyah_hyp_info gunyah_info;

static const char * const gunyah_feature_names[] = {
	[GUNYAH_FEATURE_PARTITION_CSPACE]	= "partition",
	[GUNYAH_FEATURE_DOORBELL]		= "doorbell",
	[GUNYAH_FEATURE_MSGQUEUE]		= "msgqueue",
	[GUNYAH_FEATURE_VIC]			= "vic",
	[GUNYAH_FEATURE_VPM]			= "vpm",
	[GUNYAH_FEATURE_VCPU]			= "vcpu",
	[GUNYAH_FEATURE_MEMEXTENT]		= "memextent",
	[GUNYAH_FEATURE_TRACE_CTRL]		= "trace",
	[GUNYAH_FEATURE_WATCHDOG]		= "watchdog",
	[GUNYAH_FEATURE_VIRTIO_MMIO]		= "virtio_mmio",
	[GUNYAH_FEATURE_PRNG]			= "prng",
	[GUNYAH_FEATURE_VCPU_RUN]		= "vcpu_run",
};

/**
 * gunyah_parse_identify() - Check and decode the result of hyp_identify
 * @resp: what the hypervisor returned
 * @info: filled with the decoded version, variant and features on success
 *
 * This driver speaks API version 1 of a 64-bit hypervisor whose byte order is
 * the kernel's; anything else is refused.
 *
 * Return: 0 on success, -EOPNOTSUPP if the API is not one this driver speaks.
 */
VISIBLE_IF_KUNIT int
gunyah_parse_identify(const struct gunyah_hypercall_hyp_identify_resp *resp,
		      struct gunyah_hyp_info *info)
{
	bool big_endian = resp->api_info & GUNYAH_API_INFO_BIG_ENDIAN;

	if (gunyah_api_version(resp) != GUNYAH_API_V1)
		return -EOPNOTSUPP;
	if (!(resp->api_info & GUNYAH_API_INFO_IS_64BIT))
		return -EOPNOTSUPP;
	if (big_endian != IS_ENABLED(CONFIG_CPU_BIG_ENDIAN))
		return -EOPNOTSUPP;

	info->api_version = gunyah_api_version(resp);
	info->variant = gunyah_api_variant(resp);
	info->features = resp->flags[0];

	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_parse_identify);

/**
 * gunyah_detect() - Find out whether Linux runs on a usable Gunyah
 * @info: filled with what the hypervisor reported on success
 *
 * Return: 0 on success, -ENODEV if the hypervisor is not Gunyah (or there is
 * none), -EOPNOTSUPP if it is Gunyah with an API this driver does not speak.
 */
VISIBLE_IF_KUNIT int gunyah_detect(struct gunyah_hyp_info *info)
{
	struct gunyah_hypercall_hyp_identify_resp resp;
	unsigned long uid[4];

	if (gunyah_hypercall_get_uid(uid) || !gunyah_uid_is_gunyah(uid))
		return -ENODEV;

	gunyah_hypercall_hyp_identify(&resp);

	return gunyah_parse_identify(&resp, info);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_detect);

/**
 * gunyah_has_feature() - Whether the hypervisor reported a feature
 * @feature: the feature
 *
 * Only meaningful in the Gunyah drivers, which cannot load unless detection
 * succeeded.
 *
 * Return: true if the hypervisor has @feature.
 */
bool gunyah_has_feature(enum gunyah_api_feature feature)
{
	return gunyah_info.features & BIT_ULL(feature);
}
EXPORT_SYMBOL_GPL(gunyah_has_feature);

static void gunyah_print_info(const struct gunyah_hyp_info *info)
{
	char names[128] = "";
	size_t len = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(gunyah_feature_names); i++) {
		if (info->features & BIT_ULL(i))
			len += scnprintf(names + len, sizeof(names) - len,
					 " %s", gunyah_feature_names[i]);
	}

	pr_info("Gunyah hypervisor detected: API v%u, variant %#x, features %#llx:%s\n",
		info->api_version, info->variant, info->features, names);
}

/*
 * The hypervisor's devicetree node holds the resource manager's node; the
 * boot firmware marks it "simple-bus", but a node added later (or a bare
 * "gunyah-hypervisor") needs its children created here.
 */
static int gunyah_hyp_probe(struct platform_device *pdev)
{
	return devm_of_platform_populate(&pdev->dev);
}

static const struct of_device_id gunyah_hyp_of_match[] = {
	{ .compatible = "qcom,gunyah-hypervisor" },
	{ .compatible = "gunyah-hypervisor" },
	{}
};
MODULE_DEVICE_TABLE(of, gunyah_hyp_of_match);

static struct platform_driver gunyah_hyp_driver = {
	.probe = gunyah_hyp_probe,
	.driver = {
		.name = "gunyah",
		.of_match_table = gunyah_hyp_of_match,
	},
};

static int __init gunyah_init(void)
{
	int ret;

	ret = gunyah_detect(&gunyah_info);
	if (ret == -EOPNOTSUPP)
		pr_warn("unsupported hypervisor API, not using Gunyah\n");
	if (ret)
		return ret;

	gunyah_print_info(&gunyah_info);
	return platform_driver_register(&gunyah_hyp_driver);
}
module_init(gunyah_init);

static void __exit gunyah_exit(void)
{
	platform_driver_unregister(&gunyah_hyp_driver);
}
module_exit(gunyah_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah hypervisor detection");
