"""Every validation refusal: one line naming the call or field, and no output."""
import pytest

from conftest import call_named
from vmiabi.spec import SpecError, load_spec, validate


def problems_of(raw):
    with pytest.raises(SpecError) as e:
        validate(raw)
    return e.value.problems


def test_the_spec_is_valid(raw):
    spec = validate(raw)
    assert spec["vmi_header"]["size"] == 0x48
    assert len(spec["call"]) >= 60


def test_duplicate_call_name(raw):
    call_named(raw, "set_pmd")["name"] = "set_pte"
    assert "call 'set_pte': duplicate name" in problems_of(raw)


def test_duplicate_call_number(raw):
    call_named(raw, "set_pmd")["number"] = 34
    probs = problems_of(raw)
    assert any("call 'set_pmd': duplicate number 34 (also 'set_pte')" == p for p in probs)


def test_gap_in_numbers(raw):
    raw["call"] = [c for c in raw["call"] if c["name"] != "wbinvd"]
    assert "call numbers: gap at 12; numbers must be dense from 0" in problems_of(raw)


def test_unknown_type(raw):
    call_named(raw, "set_pte")["args"][1][1] = "u128"
    assert "call 'set_pte': argument 'value' has unknown type 'u128'" in problems_of(raw)


def test_unknown_return_type(raw):
    call_named(raw, "read_cr0")["returns"] = "float"
    assert "call 'read_cr0': unknown return type 'float'" in problems_of(raw)


def test_struct_by_value_is_refused(raw):
    call_named(raw, "cpuid")["args"][0][1] = "struct vmi_cpuid_regs"
    assert any("call 'cpuid': argument 'regs' has unknown type" in p for p in problems_of(raw))


def test_unknown_group(raw):
    call_named(raw, "halt")["group"] = "power"
    assert "call 'halt': unknown group 'power'" in problems_of(raw)


def test_unknown_convention(raw):
    call_named(raw, "halt")["convention"] = "fastcall"
    assert "call 'halt': unknown convention 'fastcall'" in problems_of(raw)


def test_since_above_minor(raw):
    call_named(raw, "halt")["since"] = raw["abi"]["minor"] + 1
    probs = problems_of(raw)
    assert any(p.startswith("call 'halt': since") and "above the current minor" in p for p in probs)


@pytest.mark.parametrize("field", ["number", "since", "group", "returns", "args",
                                   "convention", "may_defer", "native", "doc"])
def test_missing_call_field(raw, field):
    del call_named(raw, "halt")[field]
    assert f"call 'halt': missing field '{field}'" in problems_of(raw)


def test_unknown_call_field(raw):
    call_named(raw, "halt")["deferable"] = True
    assert "call 'halt': unknown field 'deferable'" in problems_of(raw)


def test_too_many_arguments(raw):
    call_named(raw, "write_gdt_entry")["args"].append(["extra", "u64"])
    assert "call 'write_gdt_entry': 5 arguments; at most 4 fit in registers" in problems_of(raw)


def test_bad_call_name(raw):
    call_named(raw, "halt")["name"] = "Halt"
    assert "call 'Halt': name must be a lower-case C identifier" in problems_of(raw)


def test_overlapping_header_fields(raw):
    field = next(f for f in raw["vmi_header"]["field"] if f["name"] == "abi_minor")
    field["offset"] = 0x05
    probs = problems_of(raw)
    assert any(p.startswith("vmi_header field 'abi_minor': offset 0x5 overlaps") for p in probs)


def test_gap_between_header_fields(raw):
    raw["vmi_header"]["field"] = [f for f in raw["vmi_header"]["field"] if f["name"] != "rom_version"]
    probs = problems_of(raw)
    assert any(p.startswith("vmi_header field 'checksum_adjust': gap before offset 0x44") for p in probs)


def test_unknown_header_field_type(raw):
    raw["call_entry"]["field"][0]["type"] = "u24"
    assert "call_entry field 'offset': unknown type 'u24'" in problems_of(raw)


def test_missing_section(raw):
    del raw["hypercall"]
    assert "spec: missing section 'hypercall'" in problems_of(raw)


def test_duplicate_feature_bit(raw):
    raw["feature"][1]["bit"] = raw["feature"][0]["bit"]
    probs = problems_of(raw)
    assert any(p.startswith("feature 'PT_NOTIFY': bit 0 already used by 'DEFERRED_MMU'") for p in probs)


def test_duplicate_error_name(raw):
    raw["error"][2]["name"] = raw["error"][1]["name"]
    assert "error 'INVAL': duplicate name" in problems_of(raw)


def test_duplicate_hypercall_number(raw):
    raw["hypercall"]["call"][1]["number"] = 0
    probs = problems_of(raw)
    assert any("hypercall 'ACTIVATE': duplicate number 0" in p for p in probs)


def test_struct_with_unknown_type(raw):
    raw["struct"][0]["fields"].append(["esi", "u31"])
    assert any(p.startswith("struct 'cpuid_regs': field") for p in problems_of(raw))


def test_unknown_layout_constant(raw):
    raw["layout"]["scan_stride"] = 4096
    assert "layout: unknown field 'scan_stride'" in problems_of(raw)


def test_every_problem_is_reported_at_once(raw):
    call_named(raw, "halt")["group"] = "power"
    call_named(raw, "read_cr0")["returns"] = "float"
    assert len(problems_of(raw)) == 2


def test_unreadable_file(tmp_path):
    with pytest.raises(SpecError) as e:
        load_spec(tmp_path / "missing.toml")
    assert "cannot read" in e.value.problems[0]


def test_not_toml(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[abi\nmajor = 1\n")
    with pytest.raises(SpecError) as e:
        load_spec(bad)
    assert "not valid TOML" in e.value.problems[0]


def test_limits_may_share_a_value(raw):
    raw["limit"][1]["value"] = raw["limit"][0]["value"]
    assert validate(raw)["limit"][1]["value"] == raw["limit"][0]["value"]


def test_duplicate_limit_name(raw):
    raw["limit"][1]["name"] = raw["limit"][0]["name"]
    assert f"limit '{raw['limit'][0]['name']}': duplicate name" in problems_of(raw)
