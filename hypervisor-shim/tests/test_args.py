#!/usr/bin/env python3
"""Bad arguments: each gets one clear line on stderr and SHIM_EXIT_USAGE.

Every check runs before the shim touches KVM, so this runs on any machine.
Usage: test_args.py SHIM STOCK_KERNEL
"""
import os
import struct
import subprocess
import sys
import tempfile

from shimtest import EXIT, Results


def run(shim, args):
    """(status, stdout, stderr); status None when the shim got past its checks and ran on."""
    try:
        proc = subprocess.run([shim] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=30)
    except subprocess.TimeoutExpired as e:
        return None, "", f"still running after {e.timeout} s"
    return proc.returncode, proc.stdout, proc.stderr


# Setup-header offsets of the x86 boot protocol (Documentation/x86/boot.rst).
HDR_INITRD_ADDR_MAX = 0x22C
HDR_PREF_ADDRESS = 0x258
XEN_ELFNOTE_PHYS32_ENTRY = 18


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def patched_kernel(kernel, path, offset, fmt, value):
    """The stock bzImage with one setup-header field overwritten."""
    with open(kernel, "rb") as f:
        image = bytearray(f.read())
    struct.pack_into(fmt, image, offset, value)
    return write(path, bytes(image))


def pvh_elf(path, paddr, memsz):
    """A 64-bit PVH ELF: one PT_LOAD of memsz bytes at paddr and the entry note."""
    note = struct.pack("<III4sI", 4, 4, XEN_ELFNOTE_PHYS32_ENTRY, b"Xen\0", paddr)
    code = b"\xf4"  # hlt
    phoff, phnum = 64, 2
    note_at = phoff + phnum * 56
    code_at = note_at + len(note)
    ehdr = struct.pack("<4sBBBBQHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0, 2, 62, 1, paddr,
                       phoff, 0, 0, 64, 56, phnum, 0, 0, 0)
    load = struct.pack("<IIQQQQQQ", 1, 7, code_at, paddr, paddr, len(code), memsz, 0x1000)
    pnote = struct.pack("<IIQQQQQQ", 4, 4, note_at, 0, 0, len(note), len(note), 4)
    return write(path, ehdr + load + pnote + note + code)


def sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def loader_cases(tmp, kernel):
    """Kernel files that lie about themselves, and host files that are too large."""
    initrd = write(os.path.join(tmp, "initrd-1m"), b"\x5a" * (1 << 20))
    low_max = patched_kernel(kernel, os.path.join(tmp, "initrd-max-0.bz"), HDR_INITRD_ADDR_MAX,
                             "<I", 0)
    half_max = patched_kernel(kernel, os.path.join(tmp, "initrd-max-7ffff.bz"),
                              HDR_INITRD_ADDR_MAX, "<I", 0x7FFFF)
    far_pref = patched_kernel(kernel, os.path.join(tmp, "pref-huge.bz"), HDR_PREF_ADDRESS, "<Q",
                              0xFFFFFFFFFFFFF000)
    pvh_full = pvh_elf(os.path.join(tmp, "pvh-60m.elf"), 0x100000, 60 << 20)
    initrd_8m = write(os.path.join(tmp, "initrd-8m"), b"\x5a" * (8 << 20))
    big_rom = write(os.path.join(tmp, "big.rom"), b"\x55\xaa" + b"\0" * (200 << 10))
    huge_initrd = sparse(os.path.join(tmp, "initrd-huge"), 512 << 20)
    return [
        ("initrd_addr_max 0 with an initrd", ["--kernel", low_max, "--initrd", initrd],
         "does not fit"),
        ("initrd_addr_max below 1 MiB with a 1 MiB initrd",
         ["--kernel", half_max, "--initrd", initrd], "does not fit"),
        ("pref_address near 2^64", ["--kernel", far_pref, "--initrd", initrd],
         "memory too small for the kernel"),
        ("PVH initrd that would overwrite a segment",
         ["--kernel", pvh_full, "-m", "64", "--initrd", initrd_8m], "does not fit"),
        ("ROM file larger than the ROM area", ["--kernel", kernel, "--rom", big_rom],
         "at most"),
        ("initrd file larger than RAM", ["--kernel", kernel, "--initrd", huge_initrd],
         "at most"),
    ]


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
            ("console limit not a size", ["--kernel", kernel, "--console-limit", "lots"],
             "--console-limit lots: not a size"),
            ("console limit with an unknown suffix", ["--kernel", kernel, "--console-limit", "5X"],
             "unknown suffix"),
            ("console limit with a sign", ["--kernel", kernel, "--console-limit", " -5"],
             "not a size"),
            ("console limit past 2^64", ["--kernel", kernel, "--console-limit", "99999999999G"],
             "more than 2^64 bytes"),
        ]
        cases += loader_cases(tmp, kernel)
        for what, args, message in cases:
            status, _, err = run(shim, args)
            lines = err.strip().splitlines()
            ok = status == EXIT["SHIM_EXIT_USAGE"] and len(lines) == 1 and message in lines[0]
            results.check(ok, what, f"status {status}, stderr {err.strip()!r}")
    return results.summary()


if __name__ == "__main__":
    sys.exit(main())
