// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of the registry of VM functions: a function type whose module is
 * loaded on demand, and adding functions while that module is unloaded
 * and loaded again underneath.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "gunyah_util.h"

/* The function type of the test module gunyah_vm_test_fn */
#define TEST_FN_TYPE	32343
#define TEST_FN_MODULE	"gunyah_vm_test_fn"

static int add_fn(int vm, unsigned long request, uint8_t val)
{
	struct gunyah_fn_desc desc = {
		.type = TEST_FN_TYPE,
		.arg_size = sizeof(val),
		.arg = (uintptr_t)&val,
	};

	return gh_ioctl(vm, request, &desc);
}

static bool test_fn_available(int vm)
{
	int ret = add_fn(vm, GUNYAH_VM_ADD_FUNCTION, 0xff);

	if (ret)
		return false;
	return add_fn(vm, GUNYAH_VM_REMOVE_FUNCTION, 0xff) == 0;
}

FIXTURE(registry) {
	struct gh_vm v;
};

FIXTURE_SETUP(registry)
{
	gh_vm_init(&self->v);
	ASSERT_EQ(0, gh_vm_setup(&self->v, GH_STEP_CREATE_VM));
	if (!test_fn_available(self->v.vm))
		SKIP(return, "the test function module " TEST_FN_MODULE " is not there");
}

FIXTURE_TEARDOWN(registry)
{
	gh_vm_close(&self->v);
}

TEST_F(registry, add_remove)
{
	EXPECT_EQ(0, add_fn(self->v.vm, GUNYAH_VM_ADD_FUNCTION, 1));
	EXPECT_EQ(-EEXIST, add_fn(self->v.vm, GUNYAH_VM_ADD_FUNCTION, 1));
	EXPECT_EQ(0, add_fn(self->v.vm, GUNYAH_VM_ADD_FUNCTION, 2));
	EXPECT_EQ(-ENOENT, add_fn(self->v.vm, GUNYAH_VM_REMOVE_FUNCTION, 3));
	EXPECT_EQ(0, add_fn(self->v.vm, GUNYAH_VM_REMOVE_FUNCTION, 1));
	EXPECT_EQ(-ENOENT, add_fn(self->v.vm, GUNYAH_VM_REMOVE_FUNCTION, 1));
	/* The instance left holds the module. */
	EXPECT_NE(0, syscall(SYS_delete_module, TEST_FN_MODULE, O_NONBLOCK));
}

/*
 * While a child unloads the module over and over, add and remove the
 * function: every add either finds the type (and holds its module until
 * the removal) or reports that there is none; nothing else, and the
 * kernel stays sound (the harness fails on any kernel report).
 */
TEST_F(registry, unload_race)
{
	int i, ret, added = 0, absent = 0, status;
	int *unloads;
	pid_t child;

	unloads = mmap(NULL, sizeof(*unloads), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)unloads);
	*unloads = 0;

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		for (;;)
			if (!syscall(SYS_delete_module, TEST_FN_MODULE, O_NONBLOCK))
				__atomic_add_fetch(unloads, 1, __ATOMIC_RELAXED);
	}

	/* Until the module went away under us a few times. */
	for (i = 0; i < 5000 &&
	     __atomic_load_n(unloads, __ATOMIC_RELAXED) < 5; i++) {
		ret = add_fn(self->v.vm, GUNYAH_VM_ADD_FUNCTION, 7);
		if (ret == -ENODEV) {
			absent++;
			continue;
		}
		ASSERT_EQ(0, ret);
		added++;
		/* Held: the module cannot go while the instance exists. */
		ASSERT_EQ(0, add_fn(self->v.vm, GUNYAH_VM_REMOVE_FUNCTION, 7));
	}
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	TH_LOG("%d adds found the type, %d did not; the module went %d times",
	       added, absent, *unloads);
	EXPECT_LT(0, added);
	EXPECT_LT(0, *unloads);
	munmap(unloads, sizeof(*unloads));
}

TEST_HARNESS_MAIN
