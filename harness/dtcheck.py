#!/usr/bin/python3
# Validate the binding's example against the processed binding, with
# Debian bookworm's dt-schema (2022.08), which `make dt_binding_check` of
# this kernel refuses and whose dt-validate cannot load a .dtb once the
# kernel's bindings are processed.  Instead:
#   dtschema's load_schema + fixup_schema -> the processed binding
#   dtc -O yaml EXAMPLE                   -> the example as a YAML tree
# and every node that the binding describes is validated with dtschema's
# own validator.  Each node gets its name as "$nodename", as dt-validate
# does when it loads a tree.
#
# Then the same is done for broken copies of the example, each of which
# must be rejected: a check that accepts anything is no check.
#
# Usage: dtcheck.py BINDING EXAMPLE.pp.dts OUTDIR
import os
import re
import subprocess
import sys

import dtschema
import dtschema.lib
import yaml


def load_tree(dts, outdir, name):
    path = f"{outdir}/{name}.dt.yaml"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "yaml", "-o", path, dts],
                   check=True)
    with open(path) as f:
        return yaml.safe_load(f)[0]


def add_nodenames(node, name):
    node["$nodename"] = [name]
    for k, v in list(node.items()):
        if isinstance(v, dict):
            add_nodenames(v, k)


def errors(schema, tree):
    node = tree["example-0"]["hypervisor"]
    add_nodenames(node, "hypervisor")
    v = dtschema.DTValidator(schema)
    return [e.message for e in v.iter_errors(node)]


# Each broken copy: a regular expression and its replacement in the
# preprocessed example, and why the binding must reject the result.
BROKEN = [
    (r"qcom,vmid = <3>;", 'qcom,vmid = "three";', "VMID not a u32"),
    (r"qcom,vendor = \"Qualcomm\";", "qcom,vendor = <1>;",
     "vendor not a string"),
    (r"reg = <0 0>, <0 1>;", "", "RM node without reg"),
    (r"#size-cells = <0>;", "#size-cells = <1>;", "size cells"),
    (r"qcom,gh-watchdog \{", "qcom,gh-bogus {", "unknown child node"),
    (r"\"qcom,resource-manager-1-0\",\s*", "", "RM compatible list"),
    (r"qcom,tx-message-size = <240>;", 'qcom,tx-message-size = "240";',
     "message size not a u32"),
]


def main():
    binding, example, outdir = sys.argv[1:4]
    schema = dtschema.lib.load_schema(os.path.abspath(binding))
    dtschema.lib.fixup_schema(schema)
    with open(example) as f:
        text = f.read()

    failed = 0
    errs = errors(schema, load_tree(example, outdir, "example"))
    if errs:
        print("the example does not validate:", *errs, sep="\n  ")
        failed += 1
    for i, (pat, rep, why) in enumerate(BROKEN):
        broken, n = re.subn(pat, rep, text)
        if n != 1:
            print(f"broken copy {i} ({why}): pattern not found once")
            failed += 1
            continue
        path = f"{outdir}/broken{i}.dts"
        with open(path, "w") as f:
            f.write(broken)
        if not errors(schema, load_tree(path, outdir, f"broken{i}")):
            print(f"broken copy {i} ({why}) was accepted")
            failed += 1
    if failed:
        sys.exit(1)
    print(f"example valid; {len(BROKEN)} broken copies rejected")


main()
