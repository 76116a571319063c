#!/usr/bin/env python3
"""Checks built ROMs against the spec, independently of the shared parser.

Usage: check_roms.py ROMTOOL ROM...

For each ROM: `romtool verify` accepts it; `romtool info` lists exactly the
spec's calls, in order, with the annotations the image really holds; the
raw bytes (decoded here with offsets from the spec) obey the build rules:
size in whole blocks, zero 8-bit sum, retf at byte 3, endbr64 and
alignment at every entry, IDENT only for calls the spec gives a native
sequence, DEFERS only on calls that may defer. Prints one line per check
and "N passed, N failed".
"""
import re
import subprocess
import sys

import romspec as rs

INFO_LINE = re.compile(r"^\s*(\d+) (\S+)\s+(UNSUPPORTED|IDENT|NOP|CALL)\s+offset (0x[0-9a-f]+) length\s+(\d+)")
ANNOT_NAME = {v: k for k, v in rs.ANNOTATIONS.items()}


class Results:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what):
        print(("PASS " if ok else "FAIL ") + what)
        if ok:
            self.passed += 1
        else:
            self.failed += 1


def romtool(tool, cmd, rom):
    return subprocess.run([tool, cmd, rom], capture_output=True, text=True)


def check_info(res, tool, rom, image):
    out = romtool(tool, "info", rom)
    rows = [INFO_LINE.match(l) for l in out.stdout.splitlines()]
    rows = [m.groups() for m in rows if m]
    names = [(int(r[0]), r[1]) for r in rows]
    want = [(c["number"], c["name"]) for c in rs.CALLS]
    res.check(out.returncode == 0 and names == want,
              f"{rom}: info lists the spec's {len(want)} calls in order")
    agree = all(
        ANNOT_NAME[rs.get(image, "entry", "annotation", rs.entry_base(image, int(r[0])))] == r[2]
        and rs.get(image, "entry", "offset", rs.entry_base(image, int(r[0]))) == int(r[3], 16)
        for r in rows)
    res.check(bool(rows) and agree, f"{rom}: info annotations and offsets match the image bytes")


def entries(image):
    for call in rs.CALLS:
        base = rs.entry_base(image, call["number"])
        yield (call, rs.get(image, "entry", "annotation", base),
               rs.get(image, "entry", "offset", base),
               rs.get(image, "entry", "length", base),
               rs.get(image, "entry", "flags", base))


def check_bytes(res, rom, image):
    layout = rs.LAYOUT
    res.check(len(image) % layout["block_size"] == 0 and
              rs.get(image, "rom", "size_blocks") * layout["block_size"] == len(image),
              f"{rom}: size {len(image)} is whole blocks and matches size_blocks")
    res.check(sum(image) % 256 == 0, f"{rom}: 8-bit sum is zero")
    init = rs.field_offset("rom", "init_code")
    res.check(image[init:init + 1] == bytes(layout["rom_init_code"]), f"{rom}: retf at byte {init}")
    res.check(rs.get(image, "vmi", "num_calls") == len(rs.CALLS), f"{rom}: num_calls is the spec's")
    present = [e for e in entries(image) if e[1] != rs.ANNOTATIONS["UNSUPPORTED"]]
    res.check(all(image[o:o + 4] == rs.ENDBR64 and o % layout["entry_align"] == 0
                  for _, _, o, _, _ in present),
              f"{rom}: all {len(present)} entries aligned and begin with endbr64")
    bad_ident = [c["name"] for c, a, *_ in entries(image)
                 if a == rs.ANNOTATIONS["IDENT"] and not c["native"]]
    res.check(not bad_ident, f"{rom}: IDENT only where the spec has a native sequence {bad_ident or ''}")
    bad_defer = [c["name"] for c, _, _, _, f in entries(image)
                 if f & rs.ENTRY_FLAGS["DEFERS"] and not c["may_defer"]]
    res.check(not bad_defer, f"{rom}: DEFERS only on may_defer calls {bad_defer or ''}")
    noreturn_nop = [c["name"] for c, a, *_ in entries(image)
                    if c["convention"] == "noreturn" and a == rs.ANNOTATIONS["NOP"]]
    res.check(not noreturn_nop, f"{rom}: no noreturn call is a NOP {noreturn_nop or ''}")


def check_shim(res, rom, image):
    features = rs.get(image, "vmi", "features")
    want = rs.FEATURES["DEFERRED_MMU"] | rs.FEATURES["PT_NOTIFY"] | rs.FEATURES["HYPERCALL_PORT"]
    res.check(features & want == want, f"{rom}: features DEFERRED_MMU, PT_NOTIFY, HYPERCALL_PORT")
    deferring = [c["name"] for c, a, _, _, f in entries(image)
                 if c["group"] == "mmu" and c["may_defer"] and
                 not (a == rs.ANNOTATIONS["CALL"] and f & rs.ENTRY_FLAGS["DEFERS"])]
    res.check(not deferring, f"{rom}: every deferrable MMU call is a deferring CALL {deferring or ''}")


def main(tool, roms):
    res = Results()
    for rom in roms:
        image = bytearray(open(rom, "rb").read())
        out = romtool(tool, "verify", rom)
        res.check(out.returncode == 0, f"{rom}: romtool verify accepts it {out.stdout.strip()}")
        check_info(res, tool, rom, image)
        check_bytes(res, rom, image)
        if rs.get(image, "vmi", "backend").rstrip(b"\0") == b"shim":
            check_shim(res, rom, image)
    print(f"{res.passed} passed, {res.failed} failed")
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
