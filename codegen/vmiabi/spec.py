"""Loads spec/vmi.toml and validates it.

load_spec() returns the parsed spec with a few derived keys (each layout's
size, each call's parsed types) or raises SpecError carrying one line per
problem, each naming the call or field at fault.
"""
import re
import tomllib

from . import ctypes

IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
UPPER_IDENT = re.compile(r"^[A-Z_][A-Z0-9_]*$")

CALL_KEYS = {"name", "number", "since", "group", "returns", "args",
             "convention", "may_defer", "native", "doc"}
LAYOUTS = ("rom_header", "vmi_header", "call_entry")
# Tables of named constants: table -> (the key holding the number, C prefix).
# Every generator and the compatibility checker walk this one list.
CONSTANT_TABLES = {
    "annotation": ("value", "VMI_ANNOT_"),
    "entry_flag": ("bit", "VMI_ENTRY_F_"),
    "feature": ("bit", "VMI_FEATURE_"),
    "defer_mode": ("value", "VMI_DEFER_"),
    "error": ("value", "VMI_E_"),
    "limit": ("value", "VMI_LIMIT_"),
}
# Tables whose entries name bounds, not codes: two may share a number.
SHARED_VALUE_TABLES = {"limit"}
LAYOUT_KEYS = {"scan_start", "scan_end", "scan_step", "block_size",
               "max_image_size", "vmi_header_offset", "entry_align", "endbr64",
               "rom_init_code", "max_stack_bytes", "data_area_align",
               "data_area_max", "percpu_gs_slot", "max_calls"}
MAX_REG_ARGS = 4  # pv_ops pass at most four arguments in registers


class SpecError(Exception):
    """A spec that cannot be used; .problems holds one line per defect."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


def load_spec(path):
    try:
        with open(path, "rb") as f:
            raw = tomllib.load(f)
    except OSError as e:
        raise SpecError([f"{path}: cannot read: {e.strerror}"]) from None
    except tomllib.TOMLDecodeError as e:
        raise SpecError([f"{path}: not valid TOML: {e}"]) from None
    return validate(raw)


def validate(raw):
    """Validates a parsed spec in place; returns it or raises SpecError."""
    problems = []
    spec = Validator(raw, problems).run()
    if problems:
        raise SpecError(problems)
    return spec


class Validator:
    def __init__(self, raw, problems):
        self.raw = raw
        self.problems = problems

    def bad(self, what):
        self.problems.append(what)

    def require(self, table, keys, where):
        ok = True
        for key in sorted(keys):
            if key not in table:
                self.bad(f"{where}: missing field '{key}'")
                ok = False
        return ok

    def run(self):
        raw = self.raw
        for section in ("abi", "types", "layout", "groups", "conventions",
                        "call", "platform", "hypercall") + LAYOUTS:
            if section not in raw:
                self.bad(f"spec: missing section '{section}'")
        if self.problems:
            return None
        self.check_abi(raw["abi"])
        self.check_layout_constants(raw["layout"])
        self.types = ctypes.TypeSystem(raw["types"], raw.get("struct", []))
        self.check_structs(raw.get("struct", []))
        for name in LAYOUTS:
            self.check_fields(name, raw[name].get("field", []))
        for table in CONSTANT_TABLES:
            self.check_constants(table, raw.get(table, []))
        self.check_calls(raw["call"])
        self.check_hypercalls(raw["hypercall"])
        return raw

    def check_abi(self, abi):
        if not self.require(abi, {"major", "minor", "name", "rules"}, "abi"):
            return
        for key in ("major", "minor"):
            if not isinstance(abi[key], int) or abi[key] < 0:
                self.bad(f"abi: '{key}' must be a non-negative integer")

    def check_layout_constants(self, layout):
        self.require(layout, LAYOUT_KEYS, "layout")
        for key in layout:
            if key not in LAYOUT_KEYS:
                self.bad(f"layout: unknown field '{key}'")
        if not self.problems and layout["scan_start"] >= layout["scan_end"]:
            self.bad("layout: scan_start must be below scan_end")

    def check_structs(self, structs):
        seen = set()
        for s in structs:
            name = s.get("name", "?")
            if not self.require(s, {"name", "doc", "fields"}, f"struct '{name}'"):
                continue
            if name in seen:
                self.bad(f"struct '{name}': duplicate name")
            seen.add(name)
            for field in s["fields"]:
                if len(field) != 2 or field[1] not in self.raw["types"]:
                    self.bad(f"struct '{name}': field {field!r}: unknown type")

    def check_fields(self, layout, fields):
        if not fields:
            self.bad(f"{layout}: no fields")
            return
        names = set()
        end = 0
        for f in sorted(fields, key=lambda f: f.get("offset", -1)):
            name = f.get("name", "?")
            where = f"{layout} field '{name}'"
            if not self.require(f, {"name", "offset", "type", "doc"}, where):
                continue
            if name in names:
                self.bad(f"{where}: duplicate name")
            names.add(name)
            size = self.types.size_of(f["type"])
            if size is None or size == 0:
                self.bad(f"{where}: unknown type '{f['type']}'")
                continue
            f["size"] = size * f.get("count", 1)
            if f["offset"] < end:
                self.bad(f"{where}: offset {f['offset']:#x} overlaps the field before it (which ends at {end:#x})")
            elif f["offset"] > end:
                self.bad(f"{where}: gap before offset {f['offset']:#x} (previous field ends at {end:#x}); declare reserved bytes")
            end = max(end, f["offset"] + f["size"])
        self.raw[layout]["size"] = end

    def check_constants(self, table, entries):
        key = CONSTANT_TABLES[table][0]
        names, values = {}, {}
        for e in entries:
            name = e.get("name", "?")
            where = f"{table} '{name}'"
            if not self.require(e, {"name", key, "doc"}, where):
                continue
            if not UPPER_IDENT.match(name):
                self.bad(f"{where}: name must be an upper-case C identifier")
            if name in names:
                self.bad(f"{where}: duplicate name")
            if e[key] in values and table not in SHARED_VALUE_TABLES:
                self.bad(f"{where}: {key} {e[key]} already used by '{values[e[key]]}'")
            names[name] = e
            values[e[key]] = name
            if "since" in e and e["since"] > self.raw["abi"].get("minor", 0):
                self.bad(f"{where}: since {e['since']} is above the current minor")

    def check_calls(self, calls):
        names, numbers = {}, {}
        minor = self.raw["abi"].get("minor", 0)
        for call in calls:
            name = call.get("name", "?")
            where = f"call '{name}'"
            if not self.require(call, CALL_KEYS, where):
                continue
            for key in call:
                if key not in CALL_KEYS:
                    self.bad(f"{where}: unknown field '{key}'")
            if not IDENT.match(name):
                self.bad(f"{where}: name must be a lower-case C identifier")
            if name in names:
                self.bad(f"{where}: duplicate name")
            if call["number"] in numbers:
                self.bad(f"{where}: duplicate number {call['number']} (also '{numbers[call['number']]}')")
            names[name] = call
            numbers[call["number"]] = name
            self.check_call_fields(call, where, minor)
        for n in range(len(numbers)):
            if n not in numbers:
                self.bad(f"call numbers: gap at {n}; numbers must be dense from 0")
        if len(calls) > self.raw["layout"].get("max_calls", 0):
            self.bad(f"calls: {len(calls)} calls exceed layout.max_calls")

    def check_call_fields(self, call, where, minor):
        if not isinstance(call["since"], int) or call["since"] < 0:
            self.bad(f"{where}: since must be a non-negative integer")
        elif call["since"] > minor:
            self.bad(f"{where}: since {call['since']} is above the current minor {minor}")
        if call["group"] not in self.raw["groups"]:
            self.bad(f"{where}: unknown group '{call['group']}'")
        if call["convention"] not in self.raw["conventions"]:
            self.bad(f"{where}: unknown convention '{call['convention']}'")
        if not isinstance(call["may_defer"], bool):
            self.bad(f"{where}: may_defer must be true or false")
        if self.types.c_type(call["returns"]) is None:
            self.bad(f"{where}: unknown return type '{call['returns']}'")
        if len(call["args"]) > MAX_REG_ARGS:
            self.bad(f"{where}: {len(call['args'])} arguments; at most {MAX_REG_ARGS} fit in registers")
        arg_names = set()
        for arg in call["args"]:
            if not (isinstance(arg, list) and len(arg) == 2):
                self.bad(f"{where}: argument {arg!r} is not [name, type]")
                continue
            if arg[0] in arg_names or not IDENT.match(arg[0]):
                self.bad(f"{where}: bad or duplicate argument name '{arg[0]}'")
            arg_names.add(arg[0])
            ctype = self.types.c_type(arg[1])
            if ctype is None or ctype == "void":
                self.bad(f"{where}: argument '{arg[0]}' has unknown type '{arg[1]}'")

    def check_hypercalls(self, hc):
        if not self.require(hc, {"port", "arg_regs", "result_reg", "max_batch",
                                 "min_rom_queue", "call"}, "hypercall"):
            return
        names, numbers = set(), {}
        for call in hc["call"]:
            name = call.get("name", "?")
            where = f"hypercall '{name}'"
            if not self.require(call, {"name", "number", "since", "args", "doc"}, where):
                continue
            if name in names:
                self.bad(f"{where}: duplicate name")
            if call["number"] in numbers:
                self.bad(f"{where}: duplicate number {call['number']} (also '{numbers[call['number']]}')")
            names.add(name)
            numbers[call["number"]] = name
            if len(call["args"]) > len(hc["arg_regs"]):
                self.bad(f"{where}: more arguments than transport registers")
            if call["since"] > self.raw["abi"].get("minor", 0):
                self.bad(f"{where}: since {call['since']} is above the current minor")
