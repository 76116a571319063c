#!/usr/bin/env python3
"""The series carries kernel copies of the generated ABI header and of the
shared ROM parser. This module says how each copy derives from its source
(only the include lines differ), and checks or writes the copies.

    kernel_copies.py check PATCHDIR   compare the files the series creates
    kernel_copies.py write TREE       write the copies into a kernel tree
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# kernel path -> (source path, [(text in source, text in the kernel copy)])
COPIES = {
    "arch/x86/include/asm/vmi_abi.h": ("abi/include/vmi/vmi_abi.h", []),
    "arch/x86/include/asm/vmi_rom_parse.h": (
        "rom/parser/vmi_rom_parse.h",
        [("#include <stddef.h>\n#include <stdint.h>\n\n#include <vmi/vmi_abi.h>\n",
          "#include <asm/vmi_abi.h>\n")]),
    "arch/x86/kernel/vmi_rom_parse.c": (
        "rom/parser/vmi_rom_parse.c",
        [("#include <string.h>\n\n#include \"vmi_rom_parse.h\"\n",
          "#include <linux/string.h>\n\n#include <asm/vmi_rom_parse.h>\n")]),
}


def expected(kernel_path):
    source, edits = COPIES[kernel_path]
    with open(os.path.join(TOP, source)) as f:
        text = f.read()
    for old, new in edits:
        if old not in text:
            raise SystemExit(f"kernel_copies: {source} no longer contains {old!r}; "
                             "update guest-linux/scripts/kernel_copies.py")
        text = text.replace(old, new)
    return text


def created_files(patchdir):
    """Returns {path: content} for every file the series creates."""
    files = {}
    series = os.path.join(patchdir, "series")
    names = [l.split("#")[0].strip() for l in open(series)]
    for name in filter(None, names):
        path = None
        for line in open(os.path.join(patchdir, name)).read().split("\n"):
            m = re.match(r"^diff --git a/(\S+) b/", line)
            if m:
                path = None
                pending = m[1]
            elif line.startswith("new file mode"):
                path = pending
                files[path] = []
            elif path and line.startswith("+") and not line.startswith("+++"):
                files[path].append(line[1:])
            elif path and line.startswith("-- "):
                path = None
    return {p: "\n".join(lines) + "\n" for p, lines in files.items()}


def check(patchdir):
    created = created_files(patchdir)
    passed = failed = 0
    for kernel_path in COPIES:
        want = expected(kernel_path)
        got = created.get(kernel_path)
        if got is None:
            print(f"FAIL {kernel_path}: the series does not create it")
            failed += 1
        elif got != want:
            print(f"FAIL {kernel_path}: differs from {COPIES[kernel_path][0]}; "
                  "regenerate the series (guest-linux/README.md)")
            failed += 1
        else:
            print(f"ok   {kernel_path} matches {COPIES[kernel_path][0]}")
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def write(tree):
    for kernel_path in COPIES:
        with open(os.path.join(tree, kernel_path), "w") as f:
            f.write(expected(kernel_path))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("check", "write"):
        raise SystemExit("usage: kernel_copies.py check PATCHDIR | write TREE")
    sys.exit(check(sys.argv[2]) if sys.argv[1] == "check" else write(sys.argv[2]))
