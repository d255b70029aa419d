#!/usr/bin/env python3
"""Read a test boot's console log and judge it.

  results.py LOG [--expect-suite NAME ...]

Prints the KUnit and selftest results (KTAP/TAP) and any report of the debug
options, then one line "RESULT: N passed, N failed". Exits non-zero if a test
failed, a plan was not fulfilled, the boot did not finish, or a KASAN,
lockdep, kmemleak, UBSAN or other kernel report appeared, even when every
test passed.
"""

import re
import sys

STAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
RESULT = re.compile(r"^(not ok|ok) (\d+)(?: (.*?))?(?: # (SKIP|TODO).*)?$")
PLAN = re.compile(r"^1\.\.(\d+)")

# Reports of the debug options and other kernel complaints. Any one fails
# the run.
REPORTS = [
    r"BUG: KASAN", r"BUG: KFENCE", r"BUG: ",
    r"WARNING: possible", r"WARNING: suspicious RCU", r"WARNING: .*lock",
    r"INFO: possible", r"INFO: task .* blocked",
    r"unreferenced object 0x", r"UBSAN: ", r"ODEBUG: ",
    r"list_(add|del) corruption", r"Kernel panic", r"Internal error: ",
    r"Unable to handle kernel", r"------------\[ cut here \]------------",
    r"rcu: INFO: ", r"general protection fault",
    r"Call trace:", r"kmemleak: \d+ new suspected memory leaks",
]
REPORT = re.compile("|".join("(?:%s)" % r for r in REPORTS))


class Node:
    def __init__(self, name, depth):
        self.name = name
        self.depth = depth
        self.plan = None
        self.results = []     # (ok, num, name, directive)


def strip(line):
    return STAMP.sub("", line.rstrip("\r\n"))


def parse_tap(lines):
    """Return the flat list of results with their depth, and plan errors.

    Each result is (depth, ok, name, directive, suite): suite is the name
    of the enclosing "# Subtest:", so that a failed case of a selftest
    program run on several profiles says which run it belongs to.
    """
    results = []
    errors = []
    plans = {}
    subtest = {}
    for line in lines:
        body = line.lstrip(" ")
        depth = (len(line) - len(body)) // 4
        if body.startswith("# Subtest:"):
            subtest[depth] = body[len("# Subtest:"):].strip()
            continue
        m = PLAN.match(body)
        if m:
            if depth in plans and plans[depth][1] != plans[depth][0]:
                errors.append("a plan of %d at depth %d saw %d results"
                              % (plans[depth][0], depth, plans[depth][1]))
            plans[depth] = [int(m.group(1)), 0]
            # A new plan at this depth resets deeper ones.
            for d in list(plans):
                if d > depth:
                    del plans[d]
            continue
        m = RESULT.match(body)
        if m:
            ok = m.group(1) == "ok"
            results.append((depth, ok, m.group(3) or "", m.group(4),
                            subtest.get(depth, "")))
            if depth in plans:
                plans[depth][1] += 1
    for d, (want, got) in plans.items():
        if want != got:
            errors.append("a plan of %d at depth %d saw %d results"
                          % (want, d, got))
    return results, errors


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    path = args[0]
    expect = []
    i = 1
    while i < len(args):
        if args[i] == "--expect-suite" and i + 1 < len(args):
            expect.append(args[i + 1])
            i += 2
        else:
            sys.exit(__doc__)
    with open(path, errors="replace") as f:
        raw = [strip(x) for x in f]

    problems = []
    if "harness: done" not in raw:
        problems.append("the boot did not reach the end of /init "
                        "(crash, hang or timeout)")
    for line in raw:
        if line.startswith("harness: FAIL"):
            problems.append(line)
        elif REPORT.search(line):
            problems.append("kernel report: " + line.strip())

    # kmemleak's report is printed between two markers and must be empty.
    if "harness: kmemleak report begins" in raw:
        a = raw.index("harness: kmemleak report begins")
        b = raw.index("harness: kmemleak report ends") \
            if "harness: kmemleak report ends" in raw else len(raw)
        leak = [x for x in raw[a + 1:b] if x.strip() and
                not x.startswith("harness:")]
        if leak:
            problems.append("kmemleak reported %d lines, first: %s"
                            % (len(leak), leak[0]))

    # Only the TAP lines: drop kernel messages that are not KTAP.
    tap = [x for x in raw if RESULT.match(x.lstrip(" ")) or
           PLAN.match(x.lstrip(" ")) or
           x.lstrip(" ").startswith(("KTAP version", "TAP version",
                                     "# Subtest:"))]
    results, plan_errors = parse_tap(tap)
    problems += plan_errors

    suites = [r for r in results if r[0] == 0]
    cases = [r for r in results if r[0] == 1]
    params = [r for r in results if r[0] == 2]
    # Leaves: in TAP a parent's result follows its children's, so a result
    # right after deeper ones closes a parent; parameterised cases count
    # once per parameter.
    leaves = []
    depth_prev = [0] + [r[0] for r in results[:-1]]
    for r, prev in zip(results, depth_prev):
        if r[0] >= 1 and prev <= r[0]:
            leaves.append(r)
    passed = sum(1 for r in leaves if r[1] and r[3] != "SKIP")
    skipped = sum(1 for r in leaves if r[3] == "SKIP")
    failed = sum(1 for r in leaves if not r[1])
    for r in results:
        if not r[1]:
            problems.append("test failed: %s%s"
                            % (r[4] + ": " if r[4] else "", r[2]))

    # Leaf counts of each suite (the top-level result that follows them).
    counts = {}
    pending = [0, 0, 0]
    for r in results:
        if r[0] == 0:
            counts[r[2]] = pending
            pending = [0, 0, 0]
        elif r in leaves:
            pending[0 if r[1] and r[3] != "SKIP" else
                    2 if r[3] == "SKIP" else 1] += 1

    names = {r[2] for r in suites}
    for s in expect:
        if s not in names:
            problems.append("suite %s did not run" % s)

    print("tests: %d suites, %d cases, %d parameter runs; %d leaf results: "
          "%d passed, %d failed, %d skipped"
          % (len(suites), len(cases), len(params), len(leaves), passed,
             failed, skipped))
    for r in suites:
        c = counts.get(r[2], [0, 0, 0])
        print("  %-6s %s (%d passed, %d failed, %d skipped)"
              % ("ok" if r[1] else "FAIL", r[2], c[0], c[1], c[2]))
    for p in problems:
        print("PROBLEM: %s" % p)
    if not leaves:
        problems.append("no test ran")
        print("PROBLEM: no test ran")
    print("RESULT: %d passed, %d failed" % (passed, failed + len(problems)))
    sys.exit(1 if problems or failed else 0)


if __name__ == "__main__":
    main()
