#!/usr/bin/env python3
"""Bounds the stack every ROM entry can use, from the linked ROM's code.

Usage: check-stack.py ROM.elf [--report]

Walks the call graph from each entry (vmi_entry_<call>) through the
functions it calls or tail-jumps to, charging each function every push and
every `sub $N, %rsp` it contains (an over-estimate: pushes and pops that
cancel are still counted), plus 8 bytes per call for the return address and
8 for the guest's own call into the entry. Fails when an entry can use more
than VMI_MAX_STACK_BYTES (from the generated ABI header), when code calls
through a pointer or into the middle of a function, or recurses: all three
make the bound unknowable.
"""
import os
import re
import subprocess
import sys

ABI_H = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     "..", "..", "abi", "include", "vmi", "vmi_abi.h")
INSN = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$")
TARGET = re.compile(r"^([0-9a-f]+) <[^>]+>$")
SUB_RSP = re.compile(r"^\$0x([0-9a-f]+),%rsp$")
RETURN_ADDRESS = 8


def max_stack_bytes():
    with open(ABI_H) as f:
        m = re.search(r"#define VMI_MAX_STACK_BYTES (0x[0-9a-f]+|\d+)", f.read())
    if not m:
        sys.exit(f"check-stack: VMI_MAX_STACK_BYTES not found in {ABI_H}")
    return int(m[1], 0)


def ranges(elf):
    """Code ranges by name: entries [vmi_entry_X, vmi_end_X), C functions."""
    out = subprocess.run(["nm", "-S", "--defined-only", elf], capture_output=True,
                         text=True, check=True).stdout
    symbols, result = {}, {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tT":
            start = int(parts[0], 16)
            result[parts[3]] = (start, start + int(parts[1], 16))
        elif len(parts) >= 3:
            symbols[parts[-1]] = int(parts[0], 16)
    for name, start in symbols.items():
        if name.startswith("vmi_entry_"):
            end = symbols.get("vmi_end_" + name[len("vmi_entry_"):])
            if end is None:
                sys.exit(f"check-stack: {name} has no end label")
            result[name] = (start, end)
    return result


def instructions(elf):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", elf],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        m = INSN.match(line)
        if m:
            yield int(m[1], 16), m[2], m[3].strip()


def parse(elf):
    """Per function: bytes it pushes or reserves, calls, tail jumps, errors."""
    code = ranges(elf)
    starts = {start: name for name, (start, _) in code.items()}
    funcs = {name: {"own": 0, "calls": set(), "jumps": set(), "errors": []} for name in code}
    bounds = sorted((start, end, name) for name, (start, end) in code.items())
    for addr, op, args in instructions(elf):
        for start, end, name in bounds:
            if start <= addr < end:
                account(funcs[name], code[name], starts, op, args)
    return funcs


def account(f, extent, starts, op, args):
    if op.startswith("push"):
        f["own"] += 8
    elif op == "sub" and SUB_RSP.match(args):
        f["own"] += int(SUB_RSP.match(args)[1], 16)
    elif op == "enter":
        f["errors"].append("uses enter")
    elif op.startswith("call") or op.startswith("jmp"):
        t = TARGET.match(args)
        if not t:
            f["errors"].append(f"{op} {args}: indirect")
            return
        target = int(t[1], 16)
        if extent[0] <= target < extent[1] and not op.startswith("call"):
            return  # a branch inside the function
        if target not in starts:
            f["errors"].append(f"{op} {args}: not to the start of a function")
            return
        f["calls" if op.startswith("call") else "jumps"].add(starts[target])


def depth(name, funcs, memo, path):
    """Worst bytes below the entry's rsp at start; raises on recursion."""
    if name in memo:
        return memo[name]
    if name in path:
        raise ValueError("recursion: " + " -> ".join(path + [name]))
    f = funcs[name]
    if f["errors"]:
        raise ValueError(f"{name}: " + "; ".join(f["errors"]))
    deeper = [RETURN_ADDRESS + depth(c, funcs, memo, path + [name]) for c in f["calls"]]
    deeper += [depth(j, funcs, memo, path + [name]) for j in f["jumps"]]
    memo[name] = f["own"] + max(deeper, default=0)
    return memo[name]


def main(elf, report):
    limit = max_stack_bytes()
    funcs = parse(elf)
    memo, bad = {}, []
    entries = sorted(n for n in funcs if n.startswith("vmi_entry_"))
    for entry in entries:
        try:
            used = RETURN_ADDRESS + depth(entry, funcs, memo, [])
        except ValueError as err:
            bad.append(f"  {entry[len('vmi_entry_'):]}: bound unknown: {err}")
            continue
        if used > limit:
            bad.append(f"  {entry[len('vmi_entry_'):]}: up to {used} bytes")
        elif report:
            print(f"{entry[len('vmi_entry_'):]:24} {used:4} bytes")
    if bad:
        print(f"{elf}: entries may use more stack than VMI_MAX_STACK_BYTES ({limit}):",
              file=sys.stderr)
        print("\n".join(bad), file=sys.stderr)
        print("  (a deliberately broken test ROM opts out with noverify, the 4th"
              " argument of $(call vmi_rom,...); see rom/README.md)", file=sys.stderr)
        return 1
    if report:
        worst = max((RETURN_ADDRESS + memo[e] for e in entries), default=0)
        print(f"{len(entries)} entries, worst case {worst} of {limit} bytes")
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--report"):
        sys.exit("usage: check-stack.py ROM.elf [--report]")
    sys.exit(main(sys.argv[1], len(sys.argv) == 3))
