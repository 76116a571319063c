#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Writes seed inputs for the shim's fuzz targets: fuzz_seeds.py OUTDIR.

One directory per target (hypercall, exit, loader), each seed a small
file in that target's input format (see the header comment of
tests/fuzz_<target>.c). The seeds are the shapes the fuzzer would take
long to find: a bzImage with a real setup header, a PVH ELF laid out as
the test guest is, hypercall sequences through the audit, the panic banner
on the console. make fuzz reads them besides the committed corpus, and
make fuzz-merge keeps those that add coverage.
"""
import os
import struct
import sys

# vmi_hypercall.h, vmi_abi.h
HC_VERSION, HC_ACTIVATE, HC_MMU, HC_MMU_BATCH, HC_CR3_LOAD = 0, 1, 2, 3, 4
HC_CYCLE_FREQUENCY, HC_WALLCLOCK, HC_SHUTDOWN, HC_REBOOT = 5, 6, 7, 8
CALL_WRITE_CR3, CALL_SET_PTE, CALL_SET_PMD, CALL_PTE_CLEAR = 33, 34, 35, 39
CALL_ALLOC_PTE, CALL_RELEASE_PTE, CALL_INVLPG, CALL_FLUSH_TLB_ALL = 44, 49, 54, 57
HC_PORT = 0x5650
SERIAL = 0x3f8

# --- hypercall: flags, pages - 1, cr3, count, calls, then RAM ---------------
H_PAGING, H_LONG, H_AUDIT, H_ACTIVATED = 0x01, 0x02, 0x04, 0x08
H_IDENTITY, H_STATS, H_RECORDS, H_SMALL = 0x10, 0x20, 0x40, 0x80


def record(call, arg0=0, arg1=0, reserved=0):
    return struct.pack("<IIQQ", call, reserved, arg0, arg1)


def ram_bytes(offset, data, op=0):
    return bytes([op]) + struct.pack("<IH", offset, len(data)) + data


def ram_fill(offset, count, value, step=0, op=0x10):
    return bytes([op]) + struct.pack("<IHQQ", offset, count, value, step)


def hypercall_input(flags, pages, calls, rest=b"", cr3=0x1000):
    out = struct.pack("<BBQB", flags, pages - 1, cr3, len(calls))
    for nr, *args in calls:
        args = list(args) + [0] * (4 - len(args))
        out += struct.pack("<5Q", nr, *args)
    return out + rest


def hypercall_seeds():
    full = H_PAGING | H_LONG | H_AUDIT | H_IDENTITY | H_STATS | H_RECORDS | H_SMALL
    batch = record(CALL_SET_PTE, 0x4008, 0x1003) + record(CALL_ALLOC_PTE, 5) + \
        record(CALL_FLUSH_TLB_ALL)
    yield "mmu", hypercall_input(full, 64, [
        (HC_ACTIVATE, 0, 0), (HC_MMU, CALL_SET_PMD, 0x3008, 0x200083),
        (HC_MMU_BATCH, 0x10000, 3), (HC_CR3_LOAD, 0x1000), (HC_WALLCLOCK, 0x20000),
        (HC_MMU, CALL_RELEASE_PTE, 5), (HC_MMU, CALL_INVLPG, 0x1000)],
        ram_bytes(0x10000, batch, op=0) + ram_fill(0x4010, 4, 0x7, 0x1000, op=1))
    yield "many", hypercall_input(full, 256, [(n % 10, n, 0x1000 * n, 8, 0)
                                              for n in range(64)])
    yield "image", hypercall_input(H_PAGING | H_LONG | H_ACTIVATED, 4, [
        (HC_MMU_BATCH, 0x800, 2), (HC_WALLCLOCK, 0x900)],
        struct.pack("<3Q", 0x2003, 0, 0) + b"\0" * 0x7e8 + record(CALL_PTE_CLEAR, 0x1000) * 2)


# --- exit: header, then records ---------------------------------------------
E_AUDIT, E_IDENTITY, E_SMALL, E_IOCTL = 0x01, 0x02, 0x04, 0x08
E_NO_TSC, E_DEFAULT_LIMIT, E_AUDIT_LIMITS, E_REPORT = 0x10, 0x20, 0x40, 0x80
EXIT_HLT, EXIT_INTR, EXIT_SHUTDOWN, EXIT_SYSTEM_EVENT = 0, 1, 2, 3
EXIT_INTERNAL, EXIT_FAIL_ENTRY, EXIT_RAW = 4, 5, 0xff


def header(flags, pages=1024, limit=0xffff, audit_limits=0):
    return struct.pack("<BHHB", flags, pages - 256, limit, audit_limits)


def flip(delay, offset, mask, anywhere=False):
    return bytes([1 | (0x10 if anywhere else 0)]) + struct.pack("<HIB", delay, offset, mask)


def regs(vcpu, rax=0, rbx=0, rcx=0, rsi=0, rdi=0, rip=0x8000, cr3=0x1000, mode=0xf):
    return bytes([2 | vcpu << 3]) + struct.pack("<7QB", rax, rbx, rcx, rsi, rdi, rip, cr3, mode)


def hcall(vcpu, nr, *args, as_is=False):
    args = list(args) + [0] * (4 - len(args))
    return bytes([3 | vcpu << 3 | (0x10 if as_is else 0)]) + struct.pack("<B4Q", nr, *args)


def io(vcpu, out, size, port, data=b"", count=1):
    how = (1 if out else 0) | {1: 0, 2: 2, 4: 4}[size] | (8 if count > 1 else 0)
    body = struct.pack("<BBHH", how, 0xff, port, count - 1)
    return bytes([4 | vcpu << 3]) + body + (data if out else b"")


def outb(port, value, vcpu=0):
    return io(vcpu, True, 1, port, bytes([value]))


def inb(port, vcpu=0):
    return io(vcpu, False, 1, port)


def mmio(vcpu, write, address, data=0, length=4):
    return bytes([5 | vcpu << 3]) + struct.pack("<BBQQ", write, length - 1, address, data)


def other_exit(vcpu, pick, detail=0):
    return bytes([6 | vcpu << 3]) + struct.pack("<BI", pick, detail)


FLUSH = bytes([7])


def console(text, vcpu=0):
    return io(vcpu, True, 1, SERIAL, text, count=len(text))


def exit_seeds():
    tables = E_AUDIT | E_IDENTITY | E_SMALL
    batch = record(CALL_SET_PTE, 0x4008, 0x1003) + record(CALL_ALLOC_PTE, 5) + \
        record(CALL_FLUSH_TLB_ALL)
    yield "mmu", header(tables | E_REPORT) + b"".join([
        hcall(0, HC_ACTIVATE, 0, 0), hcall(1, HC_ACTIVATE, 1, 0x30000),
        hcall(0, HC_MMU, CALL_SET_PMD, 0x3008, 0x200083),
        ram_bytes(0x10000, batch), hcall(0, HC_MMU_BATCH, 0x10000, 3),
        ram_fill(0x3010, 1, 0x400083), hcall(0, HC_CR3_LOAD, 0x1000),
        hcall(1, HC_MMU, CALL_FLUSH_TLB_ALL), hcall(0, HC_MMU, CALL_WRITE_CR3, 0x1000),
        hcall(0, HC_WALLCLOCK, 0x20000), hcall(1, HC_VERSION), hcall(1, HC_CYCLE_FREQUENCY),
        hcall(0, HC_MMU, CALL_RELEASE_PTE, 4), hcall(0, HC_SHUTDOWN)])
    # More differences than the suspect table holds while vCPU 1 has not flushed.
    yield "suspects", header(tables) + b"".join([
        hcall(0, HC_ACTIVATE, 0, 0), hcall(1, HC_ACTIVATE, 1, 0),
        ram_fill(0x1008, 511, 0x10), ram_fill(0x2008, 511, 0x10),
        ram_fill(0x3010, 510, 0x10), ram_fill(0x4000, 512, 0x7, 0x1000),
        hcall(0, HC_CR3_LOAD, 0x1000), hcall(1, HC_CR3_LOAD, 0x1000)])
    yield "flips", header(tables) + b"".join([
        hcall(0, HC_ACTIVATE, 0, 0), ram_bytes(0x10000, batch),
        flip(4, 0, 0x01), flip(9, 8, 0x40), flip(3, 0x4008, 0x80, anywhere=True),
        hcall(0, HC_MMU_BATCH, 0x10000, 3), flip(1, 0, 0x02), hcall(0, HC_CR3_LOAD, 0x1000)])
    yield "limits", header(tables | E_AUDIT_LIMITS | E_REPORT, audit_limits=0x08) + b"".join([
        hcall(0, HC_ACTIVATE, 0, 0), hcall(1, HC_ACTIVATE, 1, 0),
        hcall(0, HC_CR3_LOAD, 0x1000), hcall(1, HC_CR3_LOAD, 0x1000),
        hcall(0, HC_MMU, CALL_FLUSH_TLB_ALL), hcall(0, HC_MMU, CALL_FLUSH_TLB_ALL)])
    uart = [outb(SERIAL + 3, 0x80), outb(SERIAL, 1), outb(SERIAL + 1, 0), outb(SERIAL + 3, 3),
            inb(SERIAL), inb(SERIAL + 1), outb(SERIAL + 2, 7), outb(SERIAL + 1, 3),
            inb(SERIAL + 2), inb(SERIAL + 2), outb(SERIAL + 4, 0x1f), console(b"loop"),
            inb(SERIAL + 5), inb(SERIAL), inb(SERIAL + 6), inb(SERIAL + 2), outb(SERIAL + 2, 2),
            outb(SERIAL + 4, 0x03), inb(SERIAL + 6), outb(SERIAL + 7, 0x5a), inb(SERIAL + 7)]
    yield "uart", header(0, limit=64) + b"".join(uart) + console(b"x" * 100 + b"\n") + FLUSH
    yield "panic", header(E_DEFAULT_LIMIT) + console(
        b"[    1.0] Kernel panic - not syncing: VFS: Unable to mount root fs\n"
        b"[    1.0] ---[ end Kernel panic - not syncing: VFS ]---\n", vcpu=1) + \
        other_exit(0, EXIT_SHUTDOWN)
    yield "power", header(0) + b"".join([
        io(0, False, 4, 0x600), io(0, False, 2, 0x602), io(0, True, 2, 0x602, b"\x01\x00"),
        io(0, False, 2, 0x604), io(0, False, 1, 0x605), io(0, False, 1, 0xcf9),
        io(0, False, 1, 0x64), io(0, False, 1, 0x70), io(0, False, 1, 0x71),
        io(0, False, 4, 0x80), io(1, True, 2, 0x604, struct.pack("<H", 5 << 10 | 0x2000))])
    yield "resets", header(0) + b"".join([
        outb(0xcf9, 0x06), outb(0x64, 0xfe, vcpu=1), io(1, True, 1, 0x605, b"\x34")])
    yield "debug-exit", header(0) + io(1, True, 4, 0xf4, b"\x21\0\0\0") + hcall(0, HC_VERSION)
    yield "exits", header(0) + b"".join([
        other_exit(0, EXIT_HLT), other_exit(1, EXIT_INTR), mmio(0, 0, 0xfec00000),
        mmio(1, 1, 0xfee00300, 0x1234, 8), other_exit(0, EXIT_RAW, 100),
        other_exit(1, EXIT_SYSTEM_EVENT, 2)])
    for name, pick, detail in (("poweroff", EXIT_SYSTEM_EVENT, 1), ("internal", EXIT_INTERNAL, 1),
                               ("fail-entry", EXIT_FAIL_ENTRY, 0x80000021)):
        yield name, header(0) + other_exit(0, pick, detail) + other_exit(1, EXIT_HLT)
    yield "refused", header(E_IDENTITY) + b"".join([
        io(0, True, 4, HC_PORT, b"\1\0\0\0" * 3, count=3), io(0, True, 2, HC_PORT, b"\1\0"),
        regs(0, rax=5), io(0, True, 4, HC_PORT, b"\3\0\0\0"), regs(1, mode=0x3f),
        hcall(1, HC_ACTIVATE, 1), io(0, False, 4, HC_PORT), hcall(0, HC_REBOOT)])
    # The instruction at rip: prefixed out, outs (not a hypercall), rip outside RAM.
    yield "opcodes", header(E_IDENTITY) + b"".join([
        ram_bytes(0x8000, b"\x3e\x48\xef"), hcall(0, HC_VERSION, as_is=True),
        ram_bytes(0x8000, b"\xf3\x6f"), hcall(0, HC_VERSION, as_is=True),
        ram_bytes(0x8000, b"\x66" * 15 + b"\xef"), hcall(0, HC_VERSION, as_is=True),
        regs(1, rip=0x7fffffffff00), hcall(1, HC_VERSION), regs(0, rip=0x3ff000, mode=0x3),
        hcall(0, HC_VERSION)])
    yield "ioctl", header(E_IOCTL | E_NO_TSC) + hcall(0, HC_VERSION) + hcall(1, HC_VERSION)
    yield "protected", header(E_IDENTITY) + regs(0, mode=0) + hcall(0, HC_ACTIVATE, 0, 0x1000) + \
        hcall(0, HC_WALLCLOCK, 0x5000) + regs(1, mode=0x3, cr3=0x1000) + \
        hcall(1, HC_WALLCLOCK, 0x3ff000)


# --- loader: flags, vCPUs - 1, RAM pages above 16 MiB, append length, ROM --
# --- pages - 1, initrd length, initrd, [floor, limit], kernel -------------
L_AS_SHIM, L_LINUX, L_PVH, L_INITRD = 0, 1, 2, 3
L_HAS_INITRD, L_ROM, L_APPEND = 0x04, 0x08, 0x10

# The setup header (0x1f1..0x290) of Debian's 6.1 cloud-amd64 bzImage:
# boot protocol 2.15, xloadflags 0x7f, initrd_addr_max 0x7fffffff,
# pref_address 16 MiB, init_size 0x3378000, cmdline_size 0x7ff.
BZIMAGE_HEADER = bytes.fromhex(
    "27010020830d000000ffff000055aaeb6a486472530f02000000000010c0420001008000"
    "001000000000000000000000000000e05b000000000000ffffff7f0000200001157f00ff"
    "070000000000000000000000000000cc020000779dd60000000000000000000000000100"
    "00000000803703c035d700bcffd7008cd88ec0fc8cd239c289e27416bae059f606110280"
    "74048b16240281c20004730231d283")


def bzimage(setup_sects, payload):
    image = bytearray(512 * (setup_sects + 1))
    image[0x1f1:0x290] = BZIMAGE_HEADER
    image[0x1f1] = setup_sects
    return bytes(image) + payload


def pvh_elf(entry=0x100000, text=b"\xf4" * 0x40, bss=0x8074):
    """ELF64 with the test guest's program headers: text, bss, the Xen note, stack."""
    phnum, text_at = 4, 0x200
    note = struct.pack("<III", 4, 4, 18) + b"Xen\0" + struct.pack("<I", entry)
    body = text + note
    note_at = text_at + len(text)
    ehdr = b"\x7fELF\x02\x01\x01" + b"\0" * 9 + struct.pack(
        "<HHIQQQIHHHHHH", 2, 62, 1, entry, 64, 0, 0, 64, 56, phnum, 64, 0, 0)
    phdrs = b"".join([
        struct.pack("<IIQQQQQQ", 1, 5, text_at, 0x100000, 0x100000, len(body), len(body), 0x1000),
        struct.pack("<IIQQQQQQ", 1, 6, 0, 0x101000, 0x101000, 0, bss, 0x1000),
        struct.pack("<IIQQQQQQ", 4, 4, note_at, 0x100000 + len(text), 0x100000 + len(text),
                    len(note), len(note), 4),
        struct.pack("<IIQQQQQQ", 0x6474e551, 6, 0, 0, 0, 0, 0, 0x10)])
    image = ehdr + phdrs
    return image + b"\0" * (text_at - len(image)) + body


def loader_input(flags, kernel, initrd=b"", smp=1, ram_pages=0, append=0, rom_pages=1,
                 floor=None, limit=None):
    out = struct.pack("<BBHHBH", flags, smp - 1, ram_pages, append, rom_pages - 1, len(initrd))
    out += initrd
    if floor is not None:
        out += struct.pack("<QQ", floor, limit)
    return out + kernel


def loader_seeds():
    initrd = bytes(range(256)) * 2
    # The header's init_size at 16 MiB needs -m 68 MiB or more.
    big = (80 - 16) << 8
    yield "bzimage", loader_input(L_LINUX | L_HAS_INITRD | L_APPEND | L_ROM,
                                  bzimage(1, b"\x90" * 512), initrd, smp=2, ram_pages=big,
                                  append=200, rom_pages=4)
    yield "bzimage-as-shim", loader_input(L_AS_SHIM, bzimage(4, b"\x90" * 1024), ram_pages=big)
    yield "bzimage-small-ram", loader_input(L_AS_SHIM | L_HAS_INITRD, bzimage(1, b"\x90" * 64),
                                            initrd, ram_pages=0)
    yield "pvh", loader_input(L_PVH | L_HAS_INITRD | L_APPEND, pvh_elf(), initrd, smp=4,
                              append=64)
    yield "pvh-as-shim", loader_input(L_AS_SHIM | L_ROM, pvh_elf(bss=0x100000), smp=64,
                                      ram_pages=1, rom_pages=24)
    yield "initrd", loader_input(L_INITRD | L_HAS_INITRD, b"", initrd, ram_pages=16,
                                 floor=0x200000, limit=0x7fffffff)


def main(outdir):
    for target, seeds in (("hypercall", hypercall_seeds), ("exit", exit_seeds),
                          ("loader", loader_seeds)):
        os.makedirs(os.path.join(outdir, target), exist_ok=True)
        for name, data in seeds():
            with open(os.path.join(outdir, target, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
