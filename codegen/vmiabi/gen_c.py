"""Generates the C headers in abi/include/vmi/ from a validated spec.

The generator emits data only: #defines (usable from assembly), enums,
typedefs, packed layout structs with _Static_asserts, and X-macro lists.
C code decides what to do with the lists.
"""
from .ctypes import TypeSystem
from .spec import CONSTANT_TABLES

LICENSE = "/* SPDX-License-Identifier: GPL-2.0 OR MIT */"


def banner(spec_path, what):
    return (f"{LICENSE}\n"
            f"/*\n * {what}\n *\n"
            f" * Generated from {spec_path} by codegen/vmi-abi; do not edit.\n"
            f" * Change the spec and run `make abi` instead.\n */\n")


def guard(name, body):
    g = f"VMI_{name.upper()}_H"
    return f"#ifndef {g}\n#define {g}\n\n{body}\n#endif /* {g} */\n"


C_INCLUDES = """#ifndef __ASSEMBLER__
#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif
#endif

#ifdef __ASSEMBLER__
#define VMI_U64(x) x
#else
#define VMI_U64(x) x##ULL
#endif
"""


def define(name, value, comment=None):
    line = f"#define {name} {value}"
    if comment:
        line += f"\t/* {comment} */"
    return line


def one_line(doc):
    text = " ".join(doc.split())
    return text.replace("*/", "* /")


def c_value(v):
    return f"({v})" if v < 0 else (f"{v:#x}" if v > 9 else str(v))


def generate_abi(spec, spec_path):
    types = TypeSystem(spec["types"], spec.get("struct", []))
    parts = [C_INCLUDES, version_block(spec), layout_block(spec),
             constants_block(spec), layout_structs(spec), call_block(spec, types),
             structs_block(spec, types), typedef_block(spec, types)]
    body = "\n".join(parts)
    return banner(spec_path, "VMI paravirtual interface ABI.") + "\n" + guard("abi", body)


def version_block(spec):
    abi = spec["abi"]
    return "\n".join([
        "/* ABI version: a guest accepts a ROM whose major equals VMI_ABI_MAJOR. */",
        define("VMI_ABI_MAJOR", abi["major"]),
        define("VMI_ABI_MINOR", abi["minor"]), ""])


def layout_block(spec):
    lay = spec["layout"]
    lines = ["/* Image layout and where a guest scans for a ROM. */"]
    for key in ("scan_start", "scan_end", "scan_step", "block_size",
                "max_image_size", "entry_align", "max_stack_bytes",
                "data_area_align", "data_area_max", "percpu_gs_slot", "max_calls"):
        lines.append(define(f"VMI_{key.upper()}", c_value(lay[key])))
    lines.append(define("VMI_HEADER_OFFSET", c_value(lay["vmi_header_offset"])))
    endbr = lay["endbr64"]
    lines.append(define("VMI_ENDBR64", f"{int.from_bytes(bytes(endbr), 'little'):#x}",
                        "endbr64 as a little-endian u32"))
    lines.append(define("VMI_ENDBR64_LEN", len(endbr)))
    lines.append(define("VMI_ROM_INIT_CODE", f"{lay['rom_init_code'][0]:#x}", "retf"))
    sig = next(f for f in spec["rom_header"]["field"] if f["name"] == "rom_signature")
    vsig = next(f for f in spec["vmi_header"]["field"] if f["name"] == "signature")
    lines.append(define("VMI_ROM_SIGNATURE", f"{sig['value']:#x}"))
    lines.append(define("VMI_SIGNATURE", f"{vsig['value']:#x}"))
    return "\n".join(lines) + "\n"


def constants_block(spec):
    lines = []
    for table, (key, prefix) in CONSTANT_TABLES.items():
        lines.append(f"/* {table.replace('_', ' ')} */")
        for e in spec.get(table, []):
            name = prefix + e["name"]
            if table == "error" and e["name"] == "OK":
                name = "VMI_OK"
            value = f"(VMI_U64(1) << {e['bit']})" if key == "bit" else c_value(e["value"])
            lines.append(f"/* {one_line(e['doc'])} */")
            lines.append(define(name, value))
        lines.append("")
    lines += constant_lists(spec)
    return "\n".join(lines)


def constant_lists(spec):
    """X-macro lists and known-bit masks, so tools need not restate names."""
    lines = []
    for table, macro in (("annotation", "VMI_ANNOTATIONS"), ("entry_flag", "VMI_ENTRY_FLAGS"),
                         ("feature", "VMI_FEATURES")):
        key, prefix = CONSTANT_TABLES[table]
        entries = spec.get(table, [])
        lines.append(f"/* Every {table.replace('_', ' ')}: X({key}, NAME) */")
        lines.append(f"#define {macro}(X) \\")
        lines += [f"\tX({e[key]}, {e['name']}) \\" for e in entries]
        lines.append(f"\t/* end of {macro} */")
        if key == "bit":
            mask = " | ".join(prefix + e["name"] for e in entries) or "0"
            lines.append(define(f"{prefix}KNOWN_MASK", f"({mask})"))
        lines.append("")
    return lines


def layout_structs(spec):
    out = []
    for layout, cname, prefix in (("rom_header", "vmi_rom_header", "VMI_ROM_HEADER"),
                                  ("vmi_header", "vmi_header", "VMI_HEADER"),
                                  ("call_entry", "vmi_call_entry", "VMI_CALL_ENTRY")):
        fields = sorted(spec[layout]["field"], key=lambda f: f["offset"])
        size = spec[layout]["size"]
        out.append(f"/* {layout.replace('_', ' ')} layout, for assembly and C. */")
        for f in fields:
            out.append(define(f"{prefix}_OFF_{f['name'].upper()}", f"{f['offset']:#x}"))
        out.append(define(f"{prefix}_SIZE", f"{size:#x}"))
        out.append("")
        out.append("#ifndef __ASSEMBLER__")
        out.append(f"struct {cname} {{")
        for f in fields:
            ctype = spec["types"][f["type"]]["c"]
            count = f"[{f['count']}]" if "count" in f else ""
            out.append(f"\t/* {one_line(f['doc'])} */")
            out.append(f"\t{ctype} {f['name']}{count};")
        out.append("} __attribute__((packed));")
        out.append(f"_Static_assert(sizeof(struct {cname}) == {size:#x}, \"{cname} size\");")
        for f in fields:
            out.append(f"_Static_assert(offsetof(struct {cname}, {f['name']}) == "
                       f"{prefix}_OFF_{f['name'].upper()}, \"{cname}.{f['name']} offset\");")
        out.append("#endif\n")
    return "\n".join(out)


def call_block(spec, types):
    calls = sorted(spec["call"], key=lambda c: c["number"])
    lines = ["/* Groups and calling-convention classes. */"]
    for i, g in enumerate(spec["groups"]):
        lines.append(define(f"VMI_GROUP_{g.upper()}", i))
    for i, c in enumerate(spec["conventions"]):
        lines.append(define(f"VMI_CONV_{c.upper()}", i))
    lines.append("\n/* Call numbers. */")
    for c in calls:
        lines.append(define(f"VMI_CALL_NR_{c['name'].upper()}", c["number"]))
    lines.append(define("VMI_NR_CALLS", len(calls)))
    lines.append("\n#ifndef __ASSEMBLER__\nenum vmi_call_nr {")
    for c in calls:
        lines.append(f"\tVMI_CALL_{c['name'].upper()} = {c['number']},")
    lines.append("};\n#endif\n")
    lines.append("/*\n * Every call: X(nr, name, NAME, GROUP, CONV, since, may_defer)\n */")
    lines.append("#define VMI_CALLS(X) \\")
    for c in calls:
        lines.append(f"\tX({c['number']}, {c['name']}, {c['name'].upper()}, "
                     f"{c['group'].upper()}, {c['convention'].upper()}, "
                     f"{c['since']}, {int(c['may_defer'])}) \\")
    lines.append("\t/* end of VMI_CALLS */\n")
    return "\n".join(lines)


def natural_layout(fields, types):
    offset, natural = 0, True
    for _, t in fields:
        size = types.size_of(t)
        if offset % size:
            natural = False
        offset += size
    return offset, natural


def structs_block(spec, types):
    out = []
    for s in spec.get("struct", []):
        size, natural = natural_layout(s["fields"], types)
        upper = s["name"].upper()
        out.append(f"/* {one_line(s['doc'])} */")
        offset = 0
        for name, t in s["fields"]:
            out.append(define(f"VMI_{upper}_OFF_{name.upper()}", offset))
            offset += types.size_of(t)
        out.append(define(f"VMI_{upper}_SIZE", size))
        out.append("#ifndef __ASSEMBLER__")
        out.append(f"struct vmi_{s['name']} {{")
        for name, t in s["fields"]:
            out.append(f"\t{types.c_type(t)} {name};")
        out.append("}" + ("" if natural else " __attribute__((packed))") + ";")
        out.append(f"_Static_assert(sizeof(struct vmi_{s['name']}) == VMI_{upper}_SIZE, "
                   f"\"vmi_{s['name']} size\");")
        for name, _ in s["fields"]:
            out.append(f"_Static_assert(offsetof(struct vmi_{s['name']}, {name}) == "
                       f"VMI_{upper}_OFF_{name.upper()}, \"vmi_{s['name']}.{name} offset\");")
        out.append("#endif\n")
    return "\n".join(out)


def prototype(call, types, name):
    args = ", ".join(f"{types.c_type(t)}{'' if types.c_type(t).endswith('*') else ' '}{n}"
                     for n, t in call["args"]) or "void"
    return f"{types.c_type(call['returns'])} {name}({args})"


def typedef_block(spec, types):
    out = ["#ifndef __ASSEMBLER__", "/* The C type of each call's entry. */"]
    for c in sorted(spec["call"], key=lambda c: c["number"]):
        out.append(f"typedef {prototype(c, types, 'vmi_fn_' + c['name'])};")
    out.append("#endif")
    return "\n".join(out) + "\n"


def generate_hypercall(spec, spec_path):
    hc = spec["hypercall"]
    lines = ["/*",
             " * Hypercall transport of ROMs with VMI_FEATURE_HYPERCALL_PORT:",
             " * \"outl %eax, %dx\" with dx = VMI_HC_PORT and eax = the hypercall number;",
             f" * arguments a0..a{len(hc['arg_regs']) - 1} in "
             + ", ".join(hc["arg_regs"]) + f"; the result (s64) in {hc['result_reg']}.",
             " * The hypervisor preserves every other register.",
             " */",
             define("VMI_HC_PORT", f"{hc['port']:#x}"),
             define("VMI_HC_MAX_BATCH", hc["max_batch"]),
             define("VMI_HC_MIN_ROM_QUEUE", hc["min_rom_queue"]), ""]
    calls = sorted(hc["call"], key=lambda c: c["number"])
    for c in calls:
        lines.append(f"/* {one_line(c['doc'])} */")
        lines.append(define(f"VMI_HC_{c['name']}", c["number"]))
    lines.append(define("VMI_NR_HYPERCALLS", max(c["number"] for c in calls) + 1))
    lines.append("\n/* Every hypercall: X(nr, NAME, nargs) */")
    lines.append("#define VMI_HYPERCALLS(X) \\")
    for c in calls:
        lines.append(f"\tX({c['number']}, {c['name']}, {len(c['args'])}) \\")
    lines.append("\t/* end of VMI_HYPERCALLS */")
    body = "\n".join(lines) + "\n"
    return banner(spec_path, "VMI hypercall transport.") + "\n" + guard("hypercall", body)


def generate_platform(spec, spec_path):
    lines = ["/* Platform constants shared by guests, ROMs, the VMM and test guests. */"]
    for key, value in spec["platform"].items():
        lines.append(define(f"VMI_PLATFORM_{key.upper()}", c_value(value)))
    body = "\n".join(lines) + "\n"
    return banner(spec_path, "VMI platform constants.") + "\n" + guard("platform", body)
