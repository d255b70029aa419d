// SPDX-License-Identifier: GPL-2.0-only
/*
 * A VM function type for the tests of the Gunyah VM manager: it is loaded
 * on demand through its module alias and accepts any argument.
 */

#include <linux/gunyah_vm_mgr.h>
#include <linux/module.h>
#include <linux/string.h>

static long gunyah_test_fn_bind(struct gunyah_vm_function_instance *f)
{
	return 0;
}

static void gunyah_test_fn_unbind(struct gunyah_vm_function_instance *f)
{
}

static bool gunyah_test_fn_compare(const struct gunyah_vm_function_instance *f,
				   const void *arg, size_t size)
{
	return size == f->arg_size && !memcmp(arg, f->argp, size);
}

DECLARE_GUNYAH_VM_FUNCTION_INIT(test, 32343, gunyah_test_fn_bind,
				gunyah_test_fn_unbind, gunyah_test_fn_compare);
GUNYAH_FN_MODULE_ALIAS(32343);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test function type for the Gunyah VM manager's tests");
