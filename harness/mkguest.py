#!/usr/bin/env python3
"""Assemble a program of the simulated hypervisor's guests.

usage: mkguest.py SOURCE OUTPUT

The binary format is drivers/virt/gunyah/sim/gunyah_sim_guest.h: a 16-byte
header (magic "GSIM", version 1, instruction count, 0) and 24-byte
little-endian instructions {u32 op; u32 arg; u64 addr; u64 data}. The VMM
loads it where the boot vCPU starts.

The source has one instruction per line; '#' starts a comment. Numbers are
C-style (0x..., decimal) or a character in single quotes; names defined with
.equ may be used wherever a number goes.

  .equ NAME VALUE           define a constant
  NAME:                     a label (may precede an instruction on its line)
  nop
  load WIDTH ADDR           load WIDTH (1, 2, 4, 8) bytes into the accumulator
  store WIDTH ADDR VALUE    store VALUE; VALUE "acc" stores the accumulator
  puts ADDR "text"          one byte store to ADDR per character; \\n, \\t
                            and \\\\ are escapes
  wait_bell LABEL           wait for the interrupt of doorbell LABEL
  ack_bell LABEL            acknowledge it (the accumulator gets its flags)
  poweroff CODE             PSCI SYSTEM_OFF with exit code CODE
  crash                     an unrecoverable fault
  reset [TYPE]              SYSTEM_RESET, or SYSTEM_RESET2 of TYPE
  set_counter N             set the loop counter
  loop LABEL                decrement the counter; unless 0, go to LABEL
  jump LABEL                go to LABEL
  yield                     end the time slice
  block                     block in the hypervisor once
  cpu_on VCPU LABEL         power on VCPU at LABEL
  cpu_off                   power this vCPU off
"""

import re
import shlex
import struct
import sys

MAGIC = 0x4d495347
VERSION = 1
ACC = 1 << 8

OPS = {
    "nop": 0, "load": 1, "store": 2, "wait_bell": 3, "ack_bell": 4,
    "poweroff": 5, "crash": 6, "reset": 7, "set_counter": 8, "loop": 9,
    "jump": 10, "yield": 11, "block": 12, "cpu_on": 13, "cpu_off": 14,
}
# How many operands each instruction takes (min, max)
ARITY = {
    "nop": (0, 0), "load": (2, 2), "store": (3, 3), "puts": (2, 2),
    "wait_bell": (1, 1), "ack_bell": (1, 1), "poweroff": (1, 1),
    "crash": (0, 0), "reset": (0, 1), "set_counter": (1, 1), "loop": (1, 1),
    "jump": (1, 1), "yield": (0, 0), "block": (0, 0), "cpu_on": (2, 2),
    "cpu_off": (0, 0),
}
U32 = (1 << 32) - 1
U64 = (1 << 64) - 1


class AsmError(Exception):
    pass


def unescape(text):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            out.append({"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out).encode()


def number(tok, consts, labels=None):
    if labels is not None and tok in labels:
        return labels[tok]
    if tok in consts:
        return consts[tok]
    m = re.fullmatch(r"'(\\?.)'", tok)
    if m:
        b = unescape(m.group(1))
        if len(b) != 1:
            raise AsmError("bad character %s" % tok)
        return b[0]
    try:
        return int(tok, 0)
    except ValueError:
        raise AsmError("not a number or a known name: %r" % tok) from None


def tokens(line):
    lex = shlex.shlex(line, posix=False, punctuation_chars=False)
    lex.whitespace_split = True
    lex.commenters = "#"
    return list(lex)


def parse(source):
    """Return (instructions as (lineno, mnemonic, operands), labels, consts)."""
    insns, labels, consts = [], {}, {}
    for lineno, raw in enumerate(source.splitlines(), 1):
        try:
            toks = tokens(raw)
        except ValueError as e:
            raise AsmError("line %d: %s" % (lineno, e)) from None
        while toks and toks[0].endswith(":"):
            name = toks.pop(0)[:-1]
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise AsmError("line %d: bad label %r" % (lineno, name))
            if name in labels or name in consts:
                raise AsmError("line %d: %s defined twice" % (lineno, name))
            labels[name] = sum(n for _, _, _, n in insns)
        if not toks:
            continue
        op, args = toks[0].lower(), toks[1:]
        if op == ".equ":
            if len(args) != 2:
                raise AsmError("line %d: .equ NAME VALUE" % lineno)
            if args[0] in labels or args[0] in consts:
                raise AsmError("line %d: %s defined twice" % (lineno, args[0]))
            try:
                consts[args[0]] = number(args[1], consts)
            except AsmError as e:
                raise AsmError("line %d: %s" % (lineno, e)) from None
            continue
        if op not in ARITY:
            raise AsmError("line %d: unknown instruction %r" % (lineno, op))
        lo, hi = ARITY[op]
        if not lo <= len(args) <= hi:
            raise AsmError("line %d: %s takes %s operand(s)" %
                           (lineno, op, lo if lo == hi else "%d-%d" % (lo, hi)))
        count = 1
        if op == "puts":
            text = args[1]
            if len(text) < 2 or text[0] != '"' or text[-1] != '"':
                raise AsmError("line %d: puts ADDR \"text\"" % lineno)
            count = len(unescape(text[1:-1]))
        insns.append((lineno, op, args, count))
    return insns, labels, consts


def check(value, limit, what, lineno):
    if not 0 <= value <= limit:
        raise AsmError("line %d: %s %#x out of range" % (lineno, what, value))
    return value


def assemble(source):
    insns, labels, consts = parse(source)
    out = []
    for lineno, op, args, _ in insns:
        try:
            def num(tok, what, limit=U64, lbl=False):
                return check(number(tok, consts, labels if lbl else None),
                             limit, what, lineno)

            if op == "puts":
                addr = num(args[0], "address")
                for b in unescape(args[1][1:-1]):
                    out.append((OPS["store"], 1, addr, b))
                continue
            arg = addr = data = 0
            if op == "load":
                arg = num(args[0], "width", 8)
                addr = num(args[1], "address")
            elif op == "store":
                arg = num(args[0], "width", 8)
                addr = num(args[1], "address")
                if args[2].lower() == "acc":
                    arg |= ACC
                else:
                    data = num(args[2], "value")
            elif op in ("wait_bell", "ack_bell"):
                arg = num(args[0], "doorbell label", U32)
            elif op == "poweroff":
                data = num(args[0], "exit code", 0xffff)
            elif op == "reset":
                if args:
                    arg = 1
                    data = num(args[0], "reset type")
            elif op == "set_counter":
                data = num(args[0], "counter")
            elif op in ("loop", "jump"):
                arg = num(args[0], "target", U32, lbl=True)
            elif op == "cpu_on":
                arg = num(args[0], "vCPU", U32)
                data = num(args[1], "target", U64, lbl=True)
            if op in ("load", "store") and (arg & 0xff) not in (1, 2, 4, 8):
                raise AsmError("line %d: width must be 1, 2, 4 or 8" % lineno)
            out.append((OPS[op], arg, addr, data))
        except AsmError as e:
            if str(e).startswith("line "):
                raise
            raise AsmError("line %d: %s" % (lineno, e)) from None
    blob = struct.pack("<IIII", MAGIC, VERSION, len(out), 0)
    for insn in out:
        blob += struct.pack("<IIQQ", *insn)
    return blob


def main():
    if len(sys.argv) != 3 or sys.argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        sys.exit(0 if len(sys.argv) == 2 else 2)
    with open(sys.argv[1]) as f:
        source = f.read()
    try:
        blob = assemble(source)
    except AsmError as e:
        sys.stderr.write("%s:%s\n" % (sys.argv[1], str(e)[4:]))
        sys.exit(1)
    with open(sys.argv[2], "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main()
