#!/usr/bin/env python3
"""romtool verify on a ROM whose CALL entry aliases an IDENT entry's code:
still valid (the spec allows aliases), with one warning on stderr naming
both calls; the project's own ROMs get no warning.

Usage: check_alias_warning.py ROMTOOL NATIVE.rom ROM...
"""
import os
import subprocess
import sys
import tempfile

import romspec as rs


def entry_of(img, annotation):
    for call in rs.CALLS:
        base = rs.entry_base(img, call["number"])
        if rs.get(img, "entry", "annotation", base) == rs.ANNOTATIONS[annotation]:
            return call, base
    raise SystemExit(f"check_alias_warning: the ROM has no {annotation} entry")


def verify(romtool, path):
    proc = subprocess.run([romtool, "verify", path], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    return proc.returncode, proc.stderr.strip().splitlines()


def main():
    romtool, native, roms = sys.argv[1], sys.argv[2], sys.argv[3:]
    passed = failed = 0
    with open(native, "rb") as f:
        img = bytearray(f.read())
    ident, ident_base = entry_of(img, "IDENT")
    call, call_base = entry_of(img, "CALL")
    for field in ("offset", "length"):
        rs.put(img, "entry", field, rs.get(img, "entry", field, ident_base), call_base)
    rs.fix_checksum(img)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "call-aliases-ident.rom")
        with open(path, "wb") as f:
            f.write(img)
        status, warnings = verify(romtool, path)
    ok = status == 0 and len(warnings) == 1 and call["name"] in warnings[0] \
        and ident["name"] in warnings[0] and "warning:" in warnings[0]
    print(("ok" if ok else "not ok") + " a CALL aliasing IDENT code: valid, one warning naming both"
          + ("" if ok else f": status {status}, stderr {warnings}"))
    passed, failed = passed + ok, failed + (not ok)
    for rom in roms:
        status, warnings = verify(romtool, rom)
        ok = status == 0 and not warnings
        print(("ok" if ok else "not ok") + f" {os.path.basename(rom)}: no warning"
              + ("" if ok else f": {warnings}"))
        passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
