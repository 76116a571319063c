"""Generation: the headers compile and carry the spec; stale files are named."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SPEC_PATH
from vmiabi.gen_c import generate_abi, generate_hypercall, generate_platform
from vmiabi.gen_md import generate_md
from vmiabi.spec import load_spec

VMI_ABI = [sys.executable, os.path.join(ROOT, "codegen", "vmi-abi")]


@pytest.fixture(scope="module")
def spec():
    return load_spec(SPEC_PATH)


def test_header_has_banner_guard_and_version(spec):
    text = generate_abi(spec, "spec/vmi.toml")
    assert "Generated from spec/vmi.toml by codegen/vmi-abi; do not edit." in text
    assert "#ifndef VMI_ABI_H" in text and text.rstrip().endswith("#endif /* VMI_ABI_H */")
    assert f"#define VMI_ABI_MAJOR {spec['abi']['major']}" in text
    assert f"#define VMI_ABI_MINOR {spec['abi']['minor']}" in text


def test_every_call_is_numbered_listed_and_typed(spec):
    text = generate_abi(spec, "spec/vmi.toml")
    for call in spec["call"]:
        upper = call["name"].upper()
        assert f"#define VMI_CALL_NR_{upper} {call['number']}\n" in text
        assert f"\tVMI_CALL_{upper} = {call['number']},\n" in text
        assert f"\tX({call['number']}, {call['name']}, {upper}," in text
        assert f" vmi_fn_{call['name']}(" in text


def test_every_layout_field_is_asserted(spec):
    text = generate_abi(spec, "spec/vmi.toml")
    for f in spec["vmi_header"]["field"]:
        assert f"#define VMI_HEADER_OFF_{f['name'].upper()} {f['offset']:#x}\n" in text
        assert f"offsetof(struct vmi_header, {f['name']}) == VMI_HEADER_OFF_{f['name'].upper()}" in text


def test_hypercall_and_platform_headers(spec):
    hc = generate_hypercall(spec, "spec/vmi.toml")
    for call in spec["hypercall"]["call"]:
        assert f"#define VMI_HC_{call['name']} {call['number']}\n" in hc
    plat = generate_platform(spec, "spec/vmi.toml")
    assert f"#define VMI_PLATFORM_SERIAL_PORT {spec['platform']['serial_port']:#x}" in plat


def test_reference_has_a_section_per_call(spec):
    md = generate_md(spec, "spec/vmi.toml")
    for call in spec["call"]:
        assert f"#### {call['number']}: {call['name']}\n" in md


@pytest.mark.parametrize("mode", [[], ["-ffreestanding", "-nostdlib"]])
def test_generated_header_compiles_standalone(tmp_path, spec, mode):
    inc = tmp_path / "vmi"
    inc.mkdir()
    (inc / "vmi_abi.h").write_text(generate_abi(spec, "spec/vmi.toml"))
    src = tmp_path / "use.c"
    src.write_text("#include <vmi/vmi_abi.h>\nstruct vmi_header h;\n")
    subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", *mode,
                    f"-I{tmp_path}", "-c", str(src), "-o", str(tmp_path / "use.o")], check=True)


def copy_tree(tmp_path):
    for part in ("spec", "abi"):
        shutil.copytree(os.path.join(ROOT, part), tmp_path / part)
    return tmp_path


def run_cli(*args, cwd):
    return subprocess.run(VMI_ABI + list(args), cwd=cwd, capture_output=True, text=True)


def test_check_stale_passes_on_the_committed_tree():
    result = run_cli("check-stale", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_stale_names_the_stale_header(tmp_path):
    root = copy_tree(tmp_path)
    spec = root / "spec" / "vmi.toml"
    spec.write_text(spec.read_text().replace('native = "wbinvd"', 'native = "wbinvd; nop"'), )
    spec.write_text(spec.read_text().replace("max_stack_bytes = 256", "max_stack_bytes = 512"))
    result = run_cli("check-stale", cwd=root)
    assert result.returncode == 1
    assert "vmi-abi: abi/include/vmi/vmi_abi.h is stale" in result.stdout
    assert "spec/VMI.md is stale" in result.stdout
    assert "vmi_platform.h" not in result.stdout


def test_generate_makes_the_tree_current_again(tmp_path):
    root = copy_tree(tmp_path)
    spec = root / "spec" / "vmi.toml"
    spec.write_text(spec.read_text().replace("max_stack_bytes = 256", "max_stack_bytes = 512"))
    assert run_cli("generate", cwd=root).returncode == 0
    assert run_cli("check-stale", cwd=root).returncode == 0
    assert "#define VMI_MAX_STACK_BYTES 0x200" in (root / "abi/include/vmi/vmi_abi.h").read_text()


def test_generation_is_deterministic(spec):
    assert generate_abi(spec, "x") == generate_abi(spec, "x")


def test_invalid_spec_is_refused_with_one_line_each(tmp_path):
    root = copy_tree(tmp_path)
    spec = root / "spec" / "vmi.toml"
    spec.write_text(spec.read_text().replace('group = "irq"', 'group = "irqs"', 1))
    result = run_cli("generate", cwd=root)
    assert result.returncode == 1
    assert result.stderr.strip() == "vmi-abi: call 'save_fl': unknown group 'irqs'"


def test_summary_counts_calls_per_group(spec):
    result = run_cli("summary", cwd=ROOT)
    assert result.returncode == 0
    assert f"{len(spec['call'])} calls" in result.stdout
    mmu = sum(1 for c in spec["call"] if c["group"] == "mmu")
    assert any(line.split()[:2] == ["mmu", str(mmu)] for line in result.stdout.splitlines())
