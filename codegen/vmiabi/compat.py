"""Checks that a new spec is a valid successor of a released one.

Returns one line per violation, each naming the call or field.
"""

CALL_ABI_KEYS = ("number", "returns", "convention", "may_defer", "since")
from .spec import CONSTANT_TABLES


def check_compat(old, new):
    om, on = old["abi"]["major"], new["abi"]["major"]
    if on == om + 1:
        return [] if new["abi"]["minor"] == 0 else [
            f"abi: a major bump ({om} -> {on}) must reset minor to 0"]
    if on != om:
        return [f"abi: major {on} cannot follow {om} (same major, or major + 1)"]
    problems = []
    old_minor, new_minor = old["abi"]["minor"], new["abi"]["minor"]
    if new_minor < old_minor:
        problems.append(f"abi: minor went down ({old_minor} -> {new_minor})")
    problems += compare_calls(old["call"], new["call"], old_minor, new_minor)
    for name in ("rom_header", "vmi_header", "call_entry"):
        problems += compare_layout(name, old[name]["field"], new[name]["field"])
    problems += compare_structs(old.get("struct", []), new.get("struct", []))
    for table, (key, _) in CONSTANT_TABLES.items():
        problems += compare_constants(table, key, old.get(table, []), new.get(table, []),
                                      old_minor, new_minor)
    problems += compare_values("layout", old["layout"], new["layout"])
    problems += compare_values("platform", old["platform"], new["platform"])
    problems += compare_hypercalls(old["hypercall"], new["hypercall"], old_minor, new_minor)
    return problems


def compare_calls(old_calls, new_calls, old_minor, new_minor):
    problems = []
    new_by_name = {c["name"]: c for c in new_calls}
    new_by_number = {c["number"]: c for c in new_calls}
    old_names = {c["name"] for c in old_calls}
    for oc in old_calls:
        nc = new_by_name.get(oc["name"])
        if nc is None:
            other = new_by_number.get(oc["number"])
            if other is not None and other["name"] not in old_names:
                problems.append(f"call '{oc['name']}' (number {oc['number']}) renamed to "
                                f"'{other['name']}' without a major bump")
            else:
                problems.append(f"call '{oc['name']}' (number {oc['number']}) removed "
                                "without a major bump")
            continue
        for key in CALL_ABI_KEYS:
            if oc[key] != nc[key]:
                problems.append(f"call '{oc['name']}': {key} changed "
                                f"({oc[key]!r} -> {nc[key]!r}) without a major bump")
        if [t for _, t in oc["args"]] != [t for _, t in nc["args"]]:
            problems.append(f"call '{oc['name']}': argument types changed without a major bump")
    for nc in new_calls:
        if nc["name"] in old_names:
            continue
        if nc["number"] in {c["number"] for c in old_calls}:
            continue  # reported as a rename above
        if new_minor <= old_minor:
            problems.append(f"call '{nc['name']}' added without a minor bump "
                            f"(minor is still {new_minor})")
        elif not old_minor < nc["since"] <= new_minor:
            problems.append(f"call '{nc['name']}' added with since {nc['since']}; "
                            f"{since_rule(old_minor, new_minor)}")
    return problems


def since_rule(old_minor, new_minor):
    """What since an addition may have. Against the latest release that is
    exactly the new minor; against an older one, any minor released since
    it (a 1.2 spec holds 1.1's calls with since 1, which 1.0 lacks)."""
    if new_minor == old_minor + 1:
        return f"it must be the new minor {new_minor}"
    return f"it must be above the released minor {old_minor} and at most the new minor {new_minor}"


def compare_layout(layout, old_fields, new_fields):
    problems = []
    new_by_name = {f["name"]: f for f in new_fields}
    old_end = max(f["offset"] + f["size"] for f in old_fields)
    for of in old_fields:
        nf = new_by_name.get(of["name"])
        if nf is None:
            problems.append(f"{layout} field '{of['name']}' removed without a major bump")
        elif (nf["offset"], nf["type"], nf.get("count", 1)) != (of["offset"], of["type"], of.get("count", 1)):
            problems.append(f"{layout} field '{of['name']}' moved or retyped "
                            f"(offset {of['offset']:#x} -> {nf['offset']:#x}) without a major bump")
        elif nf.get("value") != of.get("value"):
            problems.append(f"{layout} field '{of['name']}' value changed without a major bump")
    old_names = {f["name"] for f in old_fields}
    for nf in new_fields:
        if nf["name"] not in old_names and nf["offset"] < old_end:
            problems.append(f"{layout} field '{nf['name']}' added at {nf['offset']:#x} inside "
                            f"the old layout (ends at {old_end:#x}); only trailing fields may be added")
    return problems


def compare_structs(old_structs, new_structs):
    new_by_name = {s["name"]: s for s in new_structs}
    problems = []
    for s in old_structs:
        n = new_by_name.get(s["name"])
        if n is None:
            problems.append(f"struct '{s['name']}' removed without a major bump")
        elif n["fields"] != s["fields"]:
            problems.append(f"struct '{s['name']}' fields changed without a major bump")
    return problems


def compare_constants(table, key, old, new, old_minor, new_minor):
    problems = []
    new_by_name = {e["name"]: e for e in new}
    for e in old:
        n = new_by_name.get(e["name"])
        if n is None:
            problems.append(f"{table} '{e['name']}' removed without a major bump")
        elif n[key] != e[key]:
            problems.append(f"{table} '{e['name']}' {key} changed ({e[key]} -> {n[key]}) "
                            "without a major bump")
    old_names = {e["name"] for e in old}
    for n in new:
        if n["name"] in old_names:
            continue
        if new_minor <= old_minor:
            problems.append(f"{table} '{n['name']}' added without a minor bump")
        elif "since" in n and not old_minor < n["since"] <= new_minor:
            problems.append(f"{table} '{n['name']}' added with since {n['since']}; "
                            f"{since_rule(old_minor, new_minor)}")
    return problems


def compare_values(section, old, new):
    return [f"{section} '{k}' changed ({old[k]!r} -> {new.get(k)!r}) without a major bump"
            for k in old if new.get(k) != old[k]]


def compare_hypercalls(old, new, old_minor, new_minor):
    problems = compare_values("hypercall", {k: v for k, v in old.items() if k != "call"},
                              {k: v for k, v in new.items() if k != "call"})
    new_by_name = {c["name"]: c for c in new["call"]}
    for c in old["call"]:
        n = new_by_name.get(c["name"])
        if n is None:
            problems.append(f"hypercall '{c['name']}' removed without a major bump")
        elif (n["number"], n["args"]) != (c["number"], c["args"]):
            problems.append(f"hypercall '{c['name']}' renumbered or changed without a major bump")
    old_names = {c["name"] for c in old["call"]}
    for n in new["call"]:
        if n["name"] not in old_names and new_minor <= old_minor:
            problems.append(f"hypercall '{n['name']}' added without a minor bump")
    return problems
