"""Command line of codegen/vmi-abi.

  vmi-abi generate [--spec S] [--root DIR]   write abi/ headers and spec/VMI.md under DIR
  vmi-abi check-stale [--spec S] [--root DIR] fail, naming each committed file that differs
  vmi-abi validate [SPEC]                    exit 0 when the spec is valid
  vmi-abi check-compat OLD NEW               exit 0 when NEW is a valid successor of OLD
  vmi-abi summary [--spec S]                 print the version and calls per group
"""
import argparse
import os
import sys
import tempfile

from .compat import check_compat
from .gen_c import generate_abi, generate_hypercall, generate_platform
from .gen_md import generate_md
from .spec import SpecError, load_spec

DEFAULT_SPEC = "spec/vmi.toml"
OUTPUTS = {  # path relative to the repository root -> generator
    "abi/include/vmi/vmi_abi.h": generate_abi,
    "abi/include/vmi/vmi_hypercall.h": generate_hypercall,
    "abi/include/vmi/vmi_platform.h": generate_platform,
    "spec/VMI.md": generate_md,
}


def render_all(spec_path):
    spec = load_spec(spec_path)
    shown = os.path.relpath(spec_path)
    if shown.startswith(".."):
        shown = os.path.basename(spec_path)
    return {path: gen(spec, shown) for path, gen in OUTPUTS.items()}


def write_outputs(files, root):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def cmd_generate(args):
    write_outputs(render_all(args.spec), args.root)
    return 0


def cmd_check_stale(args):
    files = render_all(args.spec)
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        write_outputs(files, tmp)
        for rel in files:
            committed = os.path.join(args.root, rel)
            try:
                with open(committed) as f:
                    same = f.read() == files[rel]
            except OSError:
                same = False
            if not same:
                stale.append(rel)
    for rel in stale:
        print(f"vmi-abi: {rel} is stale: it differs from what {args.spec} generates; run `make abi`")
    return 1 if stale else 0


def cmd_validate(args):
    load_spec(args.spec)
    print(f"vmi-abi: {args.spec} is valid")
    return 0


def cmd_check_compat(args):
    old, new = load_spec(args.old), load_spec(args.new)
    problems = check_compat(old, new)
    for p in problems:
        print(f"{args.new}: {p}")
    if not problems:
        print(f"vmi-abi: {args.new} ({new['abi']['major']}.{new['abi']['minor']}) is a valid "
              f"successor of {args.old} ({old['abi']['major']}.{old['abi']['minor']})")
    return 1 if problems else 0


def cmd_summary(args):
    spec = load_spec(args.spec)
    abi = spec["abi"]
    counts = {g: 0 for g in spec["groups"]}
    for c in spec["call"]:
        counts[c["group"]] += 1
    print(f"VMI ABI {abi['major']}.{abi['minor']}: {len(spec['call'])} calls, "
          f"{len(spec['hypercall']['call'])} hypercalls, {len(spec.get('feature', []))} features")
    for g, n in counts.items():
        names = ", ".join(c["name"] for c in sorted(spec["call"], key=lambda c: c["number"])
                          if c["group"] == g)
        print(f"  {g:<9} {n:3}  {names}")
    lay = spec["layout"]
    print(f"  ROM scan {lay['scan_start']:#x}-{lay['scan_end'] - 1:#x} step {lay['scan_step']:#x}, "
          f"max image {lay['max_image_size']:#x}, header {spec['vmi_header']['size']:#x} bytes "
          f"at {lay['vmi_header_offset']:#x}, entry {spec['call_entry']['size']} bytes")
    return 0


def parser():
    p = argparse.ArgumentParser(prog="vmi-abi", description="VMI ABI code generator")
    sub = p.add_subparsers(dest="command", required=True)
    for name, fn in (("generate", cmd_generate), ("check-stale", cmd_check_stale)):
        s = sub.add_parser(name)
        s.add_argument("--spec", default=DEFAULT_SPEC)
        s.add_argument("--root", default=".")
        s.set_defaults(fn=fn)
    s = sub.add_parser("validate")
    s.add_argument("spec", nargs="?", default=DEFAULT_SPEC)
    s.set_defaults(fn=cmd_validate)
    s = sub.add_parser("check-compat")
    s.add_argument("old")
    s.add_argument("new")
    s.set_defaults(fn=cmd_check_compat)
    s = sub.add_parser("summary")
    s.add_argument("--spec", default=DEFAULT_SPEC)
    s.set_defaults(fn=cmd_summary)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return args.fn(args)
    except SpecError as e:
        for line in e.problems:
            print(f"vmi-abi: {line}", file=sys.stderr)
        return 1
