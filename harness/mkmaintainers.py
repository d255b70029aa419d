#!/usr/bin/env python3
"""Regenerate patches/maintainers-N.patch from the F: lines each series step
adds to the MAINTAINERS entry (checkpatch wants every patch that adds files
to touch MAINTAINERS). Edit STEPS, then run this from the repository root
with the pinned base extracted in build/base."""

import subprocess

STEPS = [
    ["arch/arm64/gunyah/", "drivers/virt/gunyah/Kconfig",
     "include/linux/gunyah.h", "include/linux/gunyah_hvc_backend.h"],
    ["Documentation/devicetree/bindings/firmware/qcom,gunyah-hypervisor.yaml"],
    ["drivers/virt/gunyah/Makefile", "drivers/virt/gunyah/gunyah.c",
     "drivers/virt/gunyah/gunyah_detect.h",
     "drivers/virt/gunyah/gunyah_test.c"],
    ["drivers/virt/gunyah/sim/"],
    ["drivers/mailbox/gunyah-msgq.c", "include/linux/gunyah_msgq.h"],
    ["drivers/virt/gunyah/rsc_mgr.c", "drivers/virt/gunyah/rsc_mgr.h",
     "include/linux/gunyah_rsc_mgr.h", "include/trace/events/gunyah.h"],
    ["drivers/virt/gunyah/rsc_mgr_rpc.c"],
    ["drivers/virt/gunyah/rsc_mgr_test.c"],
    ["Documentation/virt/gunyah/vm-manager.rst",
     "drivers/virt/gunyah/guest_memfd.c",
     "drivers/virt/gunyah/vm_mgr.c", "drivers/virt/gunyah/vm_mgr.h",
     "drivers/virt/gunyah/vm_mgr_io.c",
     "drivers/virt/gunyah/vm_mgr_mem.c",
     "drivers/virt/gunyah/vm_mgr_stats.c", "include/linux/gunyah_vm_mgr.h",
     "include/uapi/linux/gunyah.h"],
    ["drivers/virt/gunyah/vm_mgr_sim_test.c",
     "drivers/virt/gunyah/vm_mgr_test.c",
     "drivers/virt/gunyah/vm_mgr_test_fn.c"],
    ["drivers/virt/gunyah/gunyah_vcpu.c", "drivers/virt/gunyah/gunyah_vcpu.h",
     "drivers/virt/gunyah/gunyah_vcpu_test.c"],
    ["drivers/virt/gunyah/gunyah_irqfd.c"],
    ["drivers/virt/gunyah/gunyah_ioeventfd.c"],
    ["tools/testing/selftests/gunyah/"],
    ["samples/gunyah/"],
    ["-Documentation/virt/gunyah/vm-manager.rst", "Documentation/virt/gunyah/"],
]
ANCHOR = ("GUID PARTITION TABLE (GPT)\nM:\tDavidlohr Bueso <dave@stgolabs.net>\n"
          "L:\tlinux-efi@vger.kernel.org\nS:\tMaintained\n"
          "F:\tblock/partitions/efi.*\n\n")
HEAD = ("GUNYAH HYPERVISOR DRIVERS\n"
        "M:\tGunyah Kernel Team <kernel-team@gunyah-drivers.invalid>\n"
        "L:\tlinux-arm-msm@vger.kernel.org\nS:\tSupported\n")

base = open("build/base/MAINTAINERS").read()
assert ANCHOR in base
files, prev = [], base
for i, step in enumerate(STEPS):
    # "-path" drops a path an earlier step added (a directory takes over).
    files = [f for f in files if "-" + f not in step]
    files += [f for f in step if not f.startswith("-")]
    entry = HEAD + "".join("F:\t%s\n" % f for f in sorted(files)) + "\n"
    cur = base.replace(ANCHOR, ANCHOR + entry)
    with open("/tmp/m_prev", "w") as f:
        f.write(prev)
    with open("/tmp/m_cur", "w") as f:
        f.write(cur)
    d = subprocess.run(["diff", "-u", "--label", "a/MAINTAINERS", "--label",
                        "b/MAINTAINERS", "/tmp/m_prev", "/tmp/m_cur"],
                       capture_output=True, text=True).stdout
    with open("patches/maintainers-%d.patch" % (i + 1), "w") as f:
        f.write("diff --git a/MAINTAINERS b/MAINTAINERS\n" + d)
    prev = cur
