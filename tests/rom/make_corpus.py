#!/usr/bin/env python3
"""Generates the malformed-ROM corpus from a valid ROM.

Usage: make_corpus.py VALID.rom OUTDIR

Writes OUTDIR/<case>.rom for every case below plus OUTDIR/MANIFEST, one
line per case: "<case> <expected-defect-token> <what was broken>". The
token is the shared parser's (rom/parser/vmi_rom_parse.h); the case
"valid" is an untouched copy and expects "valid". Each mutation breaks one
thing and, unless the checksum is the point, re-seals the checksum so the
intended defect is the one that shows. All offsets come from the spec.
"""
import os
import sys

import romspec as rs

BLOCK = rs.LAYOUT["block_size"]
CASES = []


def case(name, token, what):
    def register(fn):
        CASES.append((name, token, what, fn))
        return fn
    return register


def first_entry(img, annotation):
    for call in rs.CALLS:
        base = rs.entry_base(img, call["number"])
        if rs.get(img, "entry", "annotation", base) == rs.ANNOTATIONS[annotation]:
            return base
    raise SystemExit(f"make_corpus: source ROM has no {annotation} entry")


@case("valid", "valid", "untouched copy of the source ROM")
def _valid(img):
    return img


@case("empty", "truncated", "zero-length file")
def _empty(img):
    return bytearray()


@case("truncated", "truncated", "cut inside the VMI header")
def _truncated(img):
    return img[:rs.LAYOUT["vmi_header_offset"] + rs.HEADER_SIZE // 2]


@case("not-blocks", "size-not-blocks", "100 bytes appended: size not a multiple of 512")
def _not_blocks(img):
    return img + bytes(100)


@case("size-mismatch", "size-mismatch", "size_blocks one more than the image")
def _size_mismatch(img):
    rs.put(img, "rom", "size_blocks", rs.get(img, "rom", "size_blocks") + 1)
    return img


@case("too-large", "too-large", "padded past the maximum image size")
def _too_large(img):
    blocks = rs.LAYOUT["max_image_size"] // BLOCK + 1
    img = img + bytes(blocks * BLOCK - len(img))
    rs.put(img, "rom", "size_blocks", blocks)
    return img


@case("bad-checksum", "bad-checksum", "last byte changed, checksum not resealed")
def _bad_checksum(img):
    img[-1] ^= 0x5A
    return img


@case("bad-rom-signature", "bad-rom-signature", "option-ROM signature bytes swapped")
def _bad_rom_signature(img):
    sig = rs.ROM_HEADER["rom_signature"]["value"]
    rs.put(img, "rom", "rom_signature", ((sig & 0xFF) << 8) | (sig >> 8))
    return img


@case("bad-init-code", "bad-init-code", "byte 3 is nop, not retf")
def _bad_init_code(img):
    img[rs.field_offset("rom", "init_code")] = 0x90
    return img


@case("rom-reserved", "rom-reserved-nonzero", "pci_data_offset set")
def _rom_reserved(img):
    rs.put(img, "rom", "pci_data_offset", 0x40)
    return img


@case("bad-vmi-signature", "bad-vmi-signature", "VMI signature of the historical ABI")
def _bad_vmi_signature(img):
    rs.put(img, "vmi", "signature", 0x696D5663)
    return img


@case("other-major", "unknown-abi-major", "ABI major one above the spec's")
def _other_major(img):
    rs.put(img, "vmi", "abi_major", rs.SPEC["abi"]["major"] + 1)
    return img


@case("header-size-small", "bad-header-size", "header_size below this version's header")
def _header_small(img):
    rs.put(img, "vmi", "header_size", rs.HEADER_SIZE - 8)
    return img


@case("header-past-end", "bad-header-size", "header_size runs past the image end")
def _header_past_end(img):
    rs.put(img, "vmi", "header_size", 0xFFFF)
    return img


@case("table-past-end", "call-table-outside-image", "call_table_offset near the image end")
def _table_past_end(img):
    rs.put(img, "vmi", "call_table_offset", len(img) - rs.ENTRY_SIZE)
    return img


@case("table-offset-wraps", "call-table-outside-image", "call_table_offset 0xfffffff0 (32-bit wrap)")
def _table_wraps(img):
    rs.put(img, "vmi", "call_table_offset", 0xFFFFFFF0)
    return img


@case("table-in-header", "call-table-overlaps-header", "call table placed on the VMI header")
def _table_in_header(img):
    rs.put(img, "vmi", "call_table_offset", rs.LAYOUT["vmi_header_offset"])
    return img


@case("entry-size-small", "bad-entry-size", "entry_size below this version's entry")
def _entry_size_small(img):
    rs.put(img, "vmi", "entry_size", rs.ENTRY_SIZE // 2)
    return img


@case("zero-calls", "no-calls", "num_calls is 0")
def _zero_calls(img):
    rs.put(img, "vmi", "num_calls", 0)
    return img


@case("too-many-calls", "too-many-calls", "num_calls above the maximum")
def _too_many_calls(img):
    rs.put(img, "vmi", "num_calls", rs.LAYOUT["max_calls"] + 1)
    return img


@case("absurd-data-area", "bad-data-area-size", "data_area_size 2 GiB")
def _absurd_data_area(img):
    rs.put(img, "vmi", "data_area_size", 0x80000000)
    return img


@case("unknown-features", "unknown-features", "feature bit 40 set")
def _unknown_features(img):
    rs.put(img, "vmi", "features", rs.get(img, "vmi", "features") | (1 << 40))
    return img


@case("bad-vendor", "bad-name", "vendor name with a control character")
def _bad_vendor(img):
    rs.put(img, "vmi", "vendor", b"evil\x07vendor")
    return img


@case("header-reserved", "header-reserved-nonzero", "VMI header reserved bytes set")
def _header_reserved(img):
    rs.put(img, "vmi", "reserved", b"\x01\x02\x03")
    return img


@case("entry-outside", "entry-outside-image", "a CALL entry's offset past the image end")
def _entry_outside(img):
    rs.put(img, "entry", "offset", len(img) + 0x10, first_entry(img, "CALL"))
    return img


@case("entry-length-wraps", "entry-outside-image", "a CALL entry's length 0xffffffff")
def _entry_length_wraps(img):
    rs.put(img, "entry", "length", 0xFFFFFFFF, first_entry(img, "CALL"))
    return img


@case("entry-no-endbr64", "entry-missing-endbr64", "a CALL entry's endbr64 replaced by nops")
def _entry_no_endbr(img):
    off = rs.get(img, "entry", "offset", first_entry(img, "CALL"))
    img[off:off + len(rs.ENDBR64)] = b"\x90" * len(rs.ENDBR64)
    return img


@case("entry-misaligned", "entry-misaligned", "a CALL entry's offset moved by 4")
def _entry_misaligned(img):
    base = first_entry(img, "CALL")
    rs.put(img, "entry", "offset", rs.get(img, "entry", "offset", base) + 4, base)
    rs.put(img, "entry", "length", rs.get(img, "entry", "length", base) - 4, base)
    return img


@case("entry-too-short", "entry-too-short", "a CALL entry 2 bytes long")
def _entry_too_short(img):
    rs.put(img, "entry", "length", 2, first_entry(img, "CALL"))
    return img


@case("entries-overlap", "entries-overlap", "an IDENT entry grown over its neighbour")
def _entries_overlap(img):
    base = first_entry(img, "IDENT")
    rs.put(img, "entry", "length", rs.get(img, "entry", "length", base) + 0x20, base)
    return img


@case("entry-in-header", "entry-overlaps-header", "a CALL entry pointing into the headers")
def _entry_in_header(img):
    base = first_entry(img, "CALL")
    rs.put(img, "entry", "offset", rs.LAYOUT["vmi_header_offset"], base)
    return img


@case("bad-annotation", "bad-annotation", "annotation 7")
def _bad_annotation(img):
    rs.put(img, "entry", "annotation", 7, first_entry(img, "CALL"))
    return img


@case("unsupported-not-empty", "unsupported-entry-not-empty", "an UNSUPPORTED entry with an offset")
def _unsupported_not_empty(img):
    rs.put(img, "entry", "offset", 0x100, first_entry(img, "UNSUPPORTED"))
    return img


@case("unknown-entry-flags", "unknown-entry-flags", "entry flag bit 7 set")
def _unknown_entry_flags(img):
    rs.put(img, "entry", "flags", 0x80, first_entry(img, "CALL"))
    return img


@case("entry-reserved", "entry-reserved-nonzero", "entry reserved bytes set")
def _entry_reserved(img):
    rs.put(img, "entry", "reserved", b"\xff" * 6, first_entry(img, "CALL"))
    return img


RESEAL_EXEMPT = {"valid", "empty", "truncated", "bad-checksum"}


def main(source, outdir):
    original = open(source, "rb").read()
    os.makedirs(outdir, exist_ok=True)
    lines = []
    for name, token, what, mutate in CASES:
        img = mutate(bytearray(original))
        if name not in RESEAL_EXEMPT:
            rs.fix_checksum(img)
        with open(os.path.join(outdir, name + ".rom"), "wb") as f:
            f.write(img)
        lines.append(f"{name} {token} {what}")
    with open(os.path.join(outdir, "MANIFEST"), "w") as f:
        f.write("# case expected-defect description (generated by tests/rom/make_corpus.py)\n")
        f.write("\n".join(lines) + "\n")
    print(f"make_corpus: {len(CASES)} cases from {source} in {outdir}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make_corpus.py VALID.rom OUTDIR")
    sys.exit(main(sys.argv[1], sys.argv[2]))
