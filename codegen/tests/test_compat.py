"""The versioning rules, through `vmi-abi check-compat OLD NEW`."""
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

VMI_ABI = [sys.executable, os.path.join(ROOT, "codegen", "vmi-abi")]

NEW_CALL = '''
[[call]]
name = "send_ipi"
number = {number}
since = {since}
group = "misc"
returns = "void"
args = [["vector", "u32"], ["cpu_mask", "u64"]]
convention = "sysv"
may_defer = false
native = ""
doc = "Sends vector to the CPUs in cpu_mask."
'''


# The released 1.0 spec: frozen, so the edits below stay valid as the
# current spec grows.
RELEASED_1_0 = os.path.join(ROOT, "spec", "history", "vmi-1.0.toml")


@pytest.fixture
def old(tmp_path):
    path = tmp_path / "old.toml"
    with open(RELEASED_1_0) as f:
        path.write_text(f.read())
    return path


def call_count(text):
    return len(re.findall(r"^\[\[call\]\]", text, re.M))


def with_minor(text, minor):
    return re.sub(r"^minor = \d+", f"minor = {minor}", text, count=1, flags=re.M)


def with_major(text, major):
    return re.sub(r"^major = \d+", f"major = {major}", text, count=1, flags=re.M)


def without_call(text, name):
    blocks = text.split("\n[[call]]\n")
    kept = [b for b in blocks if not b.startswith(f'name = "{name}"\n')]
    assert len(kept) == len(blocks) - 1, f"no call {name}"
    return "\n[[call]]\n".join(kept)


def compat(old, new_text, tmp_path):
    new = tmp_path / "new.toml"
    new.write_text(new_text)
    result = subprocess.run(VMI_ABI + ["check-compat", str(old), str(new)],
                            capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr


def test_identical_spec_is_compatible(old, tmp_path):
    code, out = compat(old, old.read_text(), tmp_path)
    assert code == 0, out


def test_removed_call_is_rejected_by_name(old, tmp_path):
    code, out = compat(old, without_call(old.read_text(), "shutdown"), tmp_path)
    assert code == 1
    assert "call 'shutdown' (number 66) removed without a major bump" in out


def test_added_call_without_minor_bump_is_rejected(old, tmp_path):
    text = old.read_text()
    code, out = compat(old, text + NEW_CALL.format(number=call_count(text), since=0), tmp_path)
    assert code == 1
    assert "call 'send_ipi' added without a minor bump" in out


def test_added_call_with_minor_bump_is_accepted(old, tmp_path):
    text = old.read_text()
    new = with_minor(text, 1) + NEW_CALL.format(number=call_count(text), since=1)
    code, out = compat(old, new, tmp_path)
    assert code == 0, out


def test_added_call_with_wrong_since_is_rejected(old, tmp_path):
    text = with_minor(old.read_text(), 1)
    new = text + NEW_CALL.format(number=call_count(text), since=0)
    code, out = compat(old, new, tmp_path)
    assert code == 1
    assert "call 'send_ipi' added with since 0; it must be the new minor 1" in out


def test_added_call_two_minors_on_must_be_since_a_minor_in_between(old, tmp_path):
    # (A since above the new minor never gets here: the spec itself is refused.)
    text = with_minor(old.read_text(), 2)
    new = text + NEW_CALL.format(number=call_count(text), since=0)
    code, out = compat(old, new, tmp_path)
    assert code == 1
    assert ("call 'send_ipi' added with since 0; it must be above the released "
            "minor 0 and at most the new minor 2") in out


def test_a_call_of_an_intermediate_minor_is_accepted(old, tmp_path):
    # 1.0 -> 1.2: a call 1.1 added (since 1) is a valid addition.
    text = with_minor(old.read_text(), 2)
    code, out = compat(old, text + NEW_CALL.format(number=call_count(text), since=1), tmp_path)
    assert code == 0, out


def test_renamed_call_is_rejected(old, tmp_path):
    code, out = compat(old, old.read_text().replace('name = "wbinvd"', 'name = "flush_caches"'), tmp_path)
    assert code == 1
    assert "call 'wbinvd' (number 12) renamed to 'flush_caches'" in out


def test_retyped_call_is_rejected(old, tmp_path):
    text = old.read_text().replace('args = [["counter", "u32"]]', 'args = [["counter", "u64"]]')
    code, out = compat(old, text, tmp_path)
    assert code == 1
    assert "call 'read_pmc': argument types changed without a major bump" in out


def test_changed_convention_is_rejected(old, tmp_path):
    text = old.read_text()
    i = text.index('name = "read_cr2"')
    j = text.index('convention = "callee_save"', i)
    text = text[:j] + 'convention = "sysv"' + text[j + len('convention = "callee_save"'):]
    code, out = compat(old, text, tmp_path)
    assert code == 1
    assert "call 'read_cr2': convention changed ('callee_save' -> 'sysv')" in out


def test_moved_header_field_is_rejected(old, tmp_path):
    text = old.read_text().replace('name = "rom_version"\noffset = 0x40\ntype = "u32"',
                                   'name = "rom_version"\noffset = 0x40\ntype = "u16"')
    text = text.replace('name = "checksum_adjust"\noffset = 0x44', 'name = "checksum_adjust"\noffset = 0x42')
    text = text.replace('name = "reserved"\noffset = 0x45\ntype = "u8"\ncount = 3',
                        'name = "reserved"\noffset = 0x43\ntype = "u8"\ncount = 5')
    code, out = compat(old, text, tmp_path)
    assert code == 1
    assert "vmi_header field 'rom_version' moved or retyped" in out
    assert "vmi_header field 'checksum_adjust' moved or retyped" in out


def test_trailing_header_field_with_minor_bump_is_accepted(old, tmp_path):
    text = with_minor(old.read_text(), 1) + (
        '\n[[vmi_header.field]]\nname = "apic_flags"\noffset = 0x48\ntype = "u64"\ndoc = "New."\n')
    code, out = compat(old, text, tmp_path)
    assert code == 0, out


def test_changed_constant_is_rejected(old, tmp_path):
    code, out = compat(old, old.read_text().replace("port = 0x5650", "port = 0x5651"), tmp_path)
    assert code == 1
    assert "hypercall 'port' changed (22096 -> 22097) without a major bump" in out


def test_major_bump_may_remove_calls(old, tmp_path):
    text = with_minor(with_major(without_call(old.read_text(), "shutdown"), 2), 0)
    code, out = compat(old, text, tmp_path)
    assert code == 0, out


def test_major_bump_must_reset_minor(old, tmp_path):
    text = with_minor(with_major(old.read_text(), 2), 1)
    text = re.sub(r"^since = 0", "since = 0", text, flags=re.M)
    code, out = compat(old, text, tmp_path)
    assert code == 1
    assert "a major bump (1 -> 2) must reset minor to 0" in out


def test_minor_going_down_is_rejected(old, tmp_path):
    bumped = tmp_path / "bumped.toml"
    bumped.write_text(with_minor(old.read_text(), 3))
    code, out = compat(bumped, old.read_text(), tmp_path)
    assert code == 1
    assert "abi: minor went down (3 -> 0)" in out


def test_invalid_new_spec_is_rejected(old, tmp_path):
    code, out = compat(old, without_call(old.read_text(), "wbinvd"), tmp_path)
    assert code == 1
    assert "gap at 12" in out


LIMIT = '\n[[limit]]\nname = "IPI_MAX_WORDS"\nvalue = {value}\nsince = {since}\ndoc = "Bound."\n'


def test_limit_added_with_minor_bump_is_accepted(old, tmp_path):
    text = with_minor(old.read_text(), 1) + LIMIT.format(value=64, since=1)
    code, out = compat(old, text, tmp_path)
    assert code == 0, out


def test_limit_added_without_minor_bump_is_rejected(old, tmp_path):
    code, out = compat(old, old.read_text() + LIMIT.format(value=64, since=0), tmp_path)
    assert code == 1
    assert "limit 'IPI_MAX_WORDS' added without a minor bump" in out


def test_changed_limit_is_rejected(tmp_path):
    released = tmp_path / "released.toml"
    released.write_text(with_minor(open(RELEASED_1_0).read(), 1) + LIMIT.format(value=64, since=1))
    code, out = compat(released, released.read_text().replace("value = 64", "value = 128"),
                       tmp_path)
    assert code == 1
    assert "limit 'IPI_MAX_WORDS' value changed (64 -> 128) without a major bump" in out
