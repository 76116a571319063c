#!/usr/bin/env python3
"""Bad arguments: each gets one clear line on stderr and SHIM_EXIT_USAGE.

Every check runs before the shim touches KVM, so this runs on any machine.
Usage: test_args.py SHIM STOCK_KERNEL
"""
import os
import subprocess
import sys
import tempfile

from shimtest import EXIT, Results


def run(shim, args):
    proc = subprocess.run([shim] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def main():
    shim, kernel = sys.argv[1], sys.argv[2]
    results = Results()
    with tempfile.TemporaryDirectory() as tmp:
        junk = os.path.join(tmp, "junk.bin")
        with open(junk, "wb") as f:
            f.write(b"\x7fnot a kernel" * 100)
        bad_rom = os.path.join(tmp, "bad.rom")
        with open(bad_rom, "wb") as f:
            f.write(b"\x55\xaa\x01\xcb" + b"\0" * 508)  # 512 bytes, VMI header missing
        elf32 = os.path.join(tmp, "guest32.elf")
        with open(elf32, "wb") as f:
            f.write(b"\x7fELF\x01\x01\x01" + b"\0" * 100)
        cases = [
            ("no kernel", [], "no --kernel given"),
            ("missing kernel file", ["--kernel", os.path.join(tmp, "nope")], "cannot open kernel"),
            ("not a bzImage", ["--kernel", junk], "is not a bzImage"),
            ("32-bit ELF", ["--kernel", elf32], "only 64-bit ELF"),
            ("missing initrd file", ["--kernel", kernel, "--initrd", os.path.join(tmp, "nope")],
             "cannot open initrd"),
            ("missing ROM file", ["--kernel", kernel, "--rom", os.path.join(tmp, "nope")],
             "cannot open ROM"),
            ("ROM that does not verify", ["--kernel", kernel, "--rom", bad_rom], "does not verify"),
            ("ROM that is not a ROM", ["--kernel", kernel, "--rom", junk], "does not verify"),
            ("memory too small for the kernel", ["--kernel", kernel, "-m", "32"],
             "memory too small for the kernel"),
            ("memory below the minimum", ["--kernel", kernel, "-m", "1"], "at least"),
            ("memory above the maximum", ["--kernel", kernel, "-m", "64G"], "at most"),
            ("memory not a size", ["--kernel", kernel, "-m", "lots"], "not a size"),
            ("bad --smp", ["--kernel", kernel, "--smp", "0"], "vCPU count"),
            ("unknown option", ["--kernel", kernel, "--frobnicate"], "unknown argument"),
            ("option without value", ["--kernel"], "needs a value"),
        ]
        for what, args, message in cases:
            status, _, err = run(shim, args)
            lines = err.strip().splitlines()
            ok = status == EXIT["SHIM_EXIT_USAGE"] and len(lines) == 1 and message in lines[0]
            results.check(ok, what, f"status {status}, stderr {err.strip()!r}")
    return results.summary()


if __name__ == "__main__":
    sys.exit(main())
