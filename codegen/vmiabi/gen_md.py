"""Generates spec/VMI.md, the human reference, from a validated spec."""
from .ctypes import TypeSystem
from .gen_c import prototype
from .spec import CONSTANT_TABLES


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def hexs(v):
    return f"{v:#x}" if isinstance(v, int) and v > 9 else str(v)


def generate_md(spec, spec_path):
    types = TypeSystem(spec["types"], spec.get("struct", []))
    abi = spec["abi"]
    out = [f"# VMI paravirtual interface, ABI {abi['major']}.{abi['minor']}\n",
           f"Generated from `{spec_path}` by `codegen/vmi-abi`; do not edit.\n"]
    out += versioning(spec) + layout(spec) + constants(spec) + conventions(spec)
    out += structs(spec, types) + hypercalls(spec) + calls(spec, types)
    return "\n".join(out)


def versioning(spec):
    rules = spec["abi"]["rules"]
    return ["## Versioning\n",
            f"- A guest accepts a ROM whose major is {rules['guest_major']} to its own.",
            f"- Minor: {rules['guest_minor']}; calls whose `since` is above the ROM's minor "
            "are absent and the guest keeps its native operation for them.",
            "- Under one major a new version may only: " + ", ".join(rules["same_major_may"]) + ".",
            f"- A call added under the same major has since = the new minor ({rules['new_call_since']}).",
            "- Anything else needs a major bump.\n"]


def layout(spec):
    lay = spec["layout"]
    out = ["## ROM image\n",
           table(["constant", "value"], [[k, hexs(v)] for k, v in lay.items()])]
    for name in ("rom_header", "vmi_header", "call_entry"):
        fields = sorted(spec[name]["field"], key=lambda f: f["offset"])
        rows = [[hexs(f["offset"]), f["name"], f["type"] + (f"[{f['count']}]" if "count" in f else ""),
                 hexs(f["value"]) if "value" in f else "", " ".join(f["doc"].split())] for f in fields]
        out.append(f"### {name.replace('_', ' ')} ({spec[name]['size']:#x} bytes)\n")
        out.append(table(["offset", "field", "type", "value", "meaning"], rows))
    return out


def constants(spec):
    out = []
    for name, (key, _) in CONSTANT_TABLES.items():
        out.append(f"## {name.replace('_', ' ').capitalize()}s\n")
        out.append(table(["name", key, "meaning"],
                         [[e["name"], e[key], " ".join(e["doc"].split())] for e in spec.get(name, [])]))
    return out


def conventions(spec):
    rows = [[n, ", ".join(c["preserved"]) or "-", c["doc"]] for n, c in spec["conventions"].items()]
    return ["## Calling conventions\n", table(["class", "preserved", "meaning"], rows),
            f"Every entry uses at most {spec['layout']['max_stack_bytes']} bytes of stack "
            "below the caller's stack pointer (counting the return address the call pushed), "
            "no FPU/SSE state, and never faults.\n"]


def structs(spec, types):
    out = ["## Structures\n"]
    for s in spec.get("struct", []):
        out.append(f"- `struct vmi_{s['name']}` {{ " +
                   "; ".join(f"{types.c_type(t)} {n}" for n, t in s["fields"]) +
                   f" }}: {s['doc']}")
    return out + [""]


def hypercalls(spec):
    hc = spec["hypercall"]
    out = ["## Hypercall transport\n",
           f"`outl %eax, %dx` with dx = {hc['port']:#x} and eax = the number; arguments in "
           f"{', '.join(hc['arg_regs'])}; result in {hc['result_reg']}. At most "
           f"{hc['max_batch']} records per batch; a deferring ROM queues at least "
           f"{hc['min_rom_queue']}.\n"]
    rows = [[c["number"], c["name"], ", ".join(c["args"]) or "-", " ".join(c["doc"].split())]
            for c in sorted(hc["call"], key=lambda c: c["number"])]
    out.append(table(["nr", "name", "args", "meaning"], rows))
    out.append("## Platform constants\n")
    out.append(table(["name", "value"], [[k, hexs(v)] for k, v in spec["platform"].items()]))
    return out


def calls(spec, types):
    out = ["## Calls\n"]
    by_group = {}
    for c in sorted(spec["call"], key=lambda c: c["number"]):
        by_group.setdefault(c["group"], []).append(c)
    for group, doc in spec["groups"].items():
        out.append(f"### Group {group}\n\n{doc}\n")
        for c in by_group.get(group, []):
            out.append(f"#### {c['number']}: {c['name']}\n")
            out.append(f"`{prototype(c, types, c['name'])}`\n")
            out.append(f"- since: {c['since']}; convention: {c['convention']}; "
                       f"may defer: {'yes' if c['may_defer'] else 'no'}")
            out.append(f"- native: `{c['native']}`" if c["native"] else "- native: no single instruction sequence")
            out.append("\n" + " ".join(c["doc"].split()) + "\n")
    return out
