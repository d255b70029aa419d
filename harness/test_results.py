#!/usr/bin/env python3
"""Check that results.py fails a run for each kind of problem it must catch."""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

GOOD = """\
[    1.0] Run /init as init process
harness: mode=check kernel=6.12
[    3.9] KTAP version 1
[    3.9] 1..1
[    3.9]     KTAP version 1
[    3.9]     # Subtest: gunyah_error
[    3.9]     1..2
[    3.9]         KTAP version 1
[    3.9]         # Subtest: remap
[    3.9]         ok 1 error 0
[    3.9]         ok 2 error 1
[    3.9]     ok 1 remap
[    3.9]     ok 2 table
[    3.9] ok 1 gunyah_error
KTAP version 1
1..1
    KTAP version 1
    # Subtest: gunyah_dev_public
    TAP version 13
    1..2
    # Starting 2 tests from 1 test cases.
    #  RUN           dev.create_vm ...
    #            OK  dev.create_vm
    ok 1 dev.create_vm
    #  RUN           dev.node ...
    #      SKIP      no node
    ok 2 dev.node # SKIP no node
    # Totals: pass:1 fail:0 xfail:0 xpass:0 skip:1 error:0
ok 1 gunyah_dev_public
harness: kmemleak report begins
harness: kmemleak report ends
harness: done
"""

BAD = {
    "kasan": ("harness: done", "[ 4.0] BUG: KASAN: slab-use-after-free in x\nharness: done"),
    "lockdep": ("harness: done", "[ 4.0] WARNING: possible circular locking dependency detected\nharness: done"),
    "sleep-in-atomic": ("harness: done", "[ 4.0] BUG: sleeping function called from invalid context at x\nharness: done"),
    "ubsan": ("harness: done", "[ 4.0] UBSAN: array-index-out-of-bounds in x\nharness: done"),
    "warn": ("harness: done", "[ 4.0] ------------[ cut here ]------------\nharness: done"),
    "kmemleak": ("harness: kmemleak report ends", "unreferenced object 0xffff0000 (size 64):\nharness: kmemleak report ends"),
    "failed-test": ("ok 2 error 1", "not ok 2 error 1"),
    "failed-selftest": ("    ok 1 dev.create_vm", "    not ok 1 dev.create_vm"),
    "selftest-crashed": ("    ok 2 dev.node # SKIP no node\n", ""),
    "selftest-suite-failed": ("ok 1 gunyah_dev_public", "not ok 1 gunyah_dev_public"),
    "short-plan": ("    ok 2 table\n", ""),
    "no-end": ("harness: done\n", ""),
    "modprobe": ("harness: done", "harness: FAIL modprobe gunyah_test\nharness: done"),
}


def run(text, *extra):
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
        f.write(text)
    try:
        r = subprocess.run([sys.executable, os.path.join(HERE, "results.py"),
                            f.name] + list(extra), capture_output=True,
                           text=True)
    finally:
        os.unlink(f.name)
    return r


def main():
    failures = 0
    r = run(GOOD, "--expect-suite", "gunyah_error",
            "--expect-suite", "gunyah_dev_public")
    ok = (r.returncode == 0 and "RESULT: 4 passed, 0 failed" in r.stdout and
          "1 skipped" in r.stdout)
    print("%s good log passes" % ("ok" if ok else "FAIL"))
    failures += not ok
    r = run(GOOD.replace("    ok 1 dev.create_vm", "    not ok 1 dev.create_vm"))
    ok = "test failed: gunyah_dev_public: dev.create_vm" in r.stdout
    print("%s a failed selftest is named with its suite" % ("ok" if ok else "FAIL"))
    failures += not ok
    r = run(GOOD, "--expect-suite", "gunyah_error")
    ok = r.returncode == 0 and "RESULT: 4 passed, 0 failed" in r.stdout
    print("%s good log passes, one suite expected" % ("ok" if ok else "FAIL"))
    failures += not ok
    r = run(GOOD, "--expect-suite", "gunyah_missing")
    ok = r.returncode != 0
    print("%s missing suite fails" % ("ok" if ok else "FAIL"))
    failures += not ok
    for name, (old, new) in BAD.items():
        assert old in GOOD, name
        r = run(GOOD.replace(old, new, 1))
        ok = r.returncode != 0
        print("%s %s fails the run" % ("ok" if ok else "FAIL", name))
        failures += not ok
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
