"""ROM images as the guest kernel sees them, for the boot tests.

Firmware maps only option ROMs it accepts (SeaBIOS drops a bad checksum),
and the kernel sees memory, not files: a ROM's extent is what its
size_blocks byte declares. So a malformed ROM is wrapped in a valid
option ROM (the container) whose second 2 KiB step holds it, and what
the kernel must say is what the shared parser (romtool) says about the
bytes the kernel will read there. Every number comes from the spec.
"""
import os
import re
import subprocess
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def romtool():
    return os.environ.get("ROMTOOL", os.path.join(TOP, "build", "romtool"))


def field(spec, table, name):
    """(offset in the image, size, value or None) of a header field."""
    base = 0 if table == "rom_header" else spec["layout"]["vmi_header_offset"]
    for f in spec[table]["field"]:
        if f["name"] == name:
            return base + f["offset"], f["size"], f.get("value")
    raise KeyError(f"{table}.{name} is not in the spec")


def read_field(spec, image, table, name):
    offset, size, _ = field(spec, table, name)
    if len(image) < offset + size:
        return None
    return int.from_bytes(image[offset:offset + size], "little")


def set_header_fields(spec, image, changes):
    """Writes VMI header fields given as name=value into image."""
    for name, value in changes.items():
        offset, size, _ = field(spec, "vmi_header", name)
        image[offset:offset + size] = value.to_bytes(size, "little")


def declared_size(spec, image):
    blocks = read_field(spec, image, "rom_header", "size_blocks")
    return (blocks or 0) * spec["layout"]["block_size"]


def first_defect(view):
    """romtool's first defect token for these bytes, or None when valid."""
    with tempfile.NamedTemporaryFile(suffix=".rom") as f:
        f.write(view)
        f.flush()
        proc = subprocess.run([romtool(), "verify", f.name], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    if proc.returncode == 0:
        return None
    if proc.returncode != 1:
        raise RuntimeError(f"romtool verify failed: {proc.stdout.strip()}")
    return proc.stdout.splitlines()[0].split(": ")[1]


def kernel_verdict(spec, image):
    """("none",), ("active",) or ("rejected", token) for a mapped image."""
    _, _, rom_signature = field(spec, "rom_header", "rom_signature")
    _, _, vmi_signature = field(spec, "vmi_header", "signature")
    if read_field(spec, image, "rom_header", "rom_signature") != rom_signature:
        return ("none",)
    if read_field(spec, image, "vmi_header", "signature") != vmi_signature:
        return ("none",)
    declared = declared_size(spec, image)
    if declared > spec["layout"]["max_image_size"]:
        return ("rejected", "too-large")
    view = (bytes(image) + bytes(declared))[:declared]
    token = first_defect(view)
    return ("active",) if token is None else ("rejected", token)


def container(spec, image):
    """A valid option ROM holding image at its second scan step."""
    layout = spec["layout"]
    step, block = layout["scan_step"], layout["block_size"]
    inner = max(len(image), declared_size(spec, image))
    total = -(-(step + inner) // block) * block
    out = bytearray(total)
    sig_off, sig_size, rom_signature = field(spec, "rom_header", "rom_signature")
    out[sig_off:sig_off + sig_size] = rom_signature.to_bytes(sig_size, "little")
    size_off, _, _ = field(spec, "rom_header", "size_blocks")
    out[size_off] = total // block
    init_off, _, _ = field(spec, "rom_header", "init_code")
    out[init_off] = layout["rom_init_code"][0]
    out[step:step + len(image)] = image
    out[step - 1] = -sum(out) & 0xFF
    return bytes(out)


def batch_average(output):
    """Average records per MMU_BATCH hypercall from the shim's --stats."""
    lines = output.splitlines()
    start = next((i for i, l in enumerate(lines) if "ops per hypercall" in l), None)
    if start is None:
        return None
    for line in lines[start + 1:]:
        m = re.match(r"^stats: MMU_BATCH\s+\d+(?:\s+\d+)*\s+([\d.]+)\s*$", line)
        if m:
            return float(m[1])
    return None


def hypercall_total(output):
    """Hypercalls the shim counted (--stats), or None without stats."""
    total, seen = 0, False
    for line in output.splitlines():
        if "ops per hypercall" in line:
            break
        m = re.match(r"^stats: ([A-Z_]+|\(unknown\))\s+(\d+)\s+\d+", line)
        if m:
            total += int(m[2])
            seen = True
    return total if seen else None
