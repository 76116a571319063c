"""ROM layout from spec/vmi.toml, for the ROM tests and the corpus generator.

Every offset and constant comes from the spec; nothing is restated here.
"""
import os
import struct
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "codegen"))
from vmiabi.spec import load_spec  # noqa: E402

SPEC = load_spec(os.path.join(TOP, "spec", "vmi.toml"))
LAYOUT = SPEC["layout"]
_FMT = {"u8": "B", "u16": "H", "u32": "I", "u64": "Q", "char": "s"}


def _fields(block):
    return {f["name"]: f for f in SPEC[block]["field"]}


ROM_HEADER = _fields("rom_header")
VMI_HEADER = _fields("vmi_header")
CALL_ENTRY = _fields("call_entry")
ENTRY_SIZE = SPEC["call_entry"]["size"]
HEADER_SIZE = SPEC["vmi_header"]["size"]
ANNOTATIONS = {a["name"]: a["value"] for a in SPEC["annotation"]}
FEATURES = {f["name"]: 1 << f["bit"] for f in SPEC["feature"]}
ENTRY_FLAGS = {f["name"]: 1 << f["bit"] for f in SPEC["entry_flag"]}
CALLS = sorted(SPEC["call"], key=lambda c: c["number"])
ENDBR64 = bytes(LAYOUT["endbr64"])


def field_offset(block, name, base=0):
    """Image offset of a header field; block is 'rom', 'vmi' or 'entry'."""
    table = {"rom": ROM_HEADER, "vmi": VMI_HEADER, "entry": CALL_ENTRY}[block]
    extra = LAYOUT["vmi_header_offset"] if block == "vmi" else 0
    return base + extra + table[name]["offset"]


def _format(field):
    if field["type"] == "char" or field.get("count"):
        return "<%ds" % field["size"]
    return "<" + _FMT[field["type"]]


def get(image, block, name, base=0):
    table = {"rom": ROM_HEADER, "vmi": VMI_HEADER, "entry": CALL_ENTRY}[block]
    fmt = _format(table[name])
    return struct.unpack_from(fmt, image, field_offset(block, name, base))[0]


def put(image, block, name, value, base=0):
    """Writes a field into a bytearray."""
    table = {"rom": ROM_HEADER, "vmi": VMI_HEADER, "entry": CALL_ENTRY}[block]
    struct.pack_into(_format(table[name]), image, field_offset(block, name, base), value)


def entry_base(image, nr):
    """Image offset of call-table entry nr."""
    return get(image, "vmi", "call_table_offset") + nr * get(image, "vmi", "entry_size")


def fix_checksum(image):
    off = field_offset("vmi", "checksum_adjust")
    image[off] = 0
    image[off] = (-sum(image)) & 0xFF
