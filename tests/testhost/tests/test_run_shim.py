"""run-shim's batch bookkeeping, without booting L1: the console split by
markers, and the further L1 boots for the runs a failed boot left."""
import importlib.machinery
import importlib.util
import os
import zlib

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


def load(script):
    """One of the test host's scripts (they have no .py name) as a module."""
    name = script.replace("-", "_")
    loader = importlib.machinery.SourceFileLoader(name, os.path.join(os.path.dirname(HERE), script))
    spec = importlib.util.spec_from_loader(name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


rs = load("run-shim")


def fake_boot(outdir, script):
    """A boot function for run_l1: L1 boot k runs the pending runs whose
    position is below script[k] (the rest are left unfinished), each
    ending with status 10 + its batch number."""
    calls = []

    def boot(numbers):
        calls.append(list(numbers))
        console = rs.Console(outdir, numbers)
        finished = script[len(calls) - 1]
        for local, number in enumerate(numbers[:finished]):
            console.line(f"@@testhost-begin {local}@@\n")
            console.line(f"output of run {number}\n")
            console.line(f"@@testhost-end {local} status={10 + number}@@\n")
        if finished < len(numbers):
            console.line(f"@@testhost-begin {finished}@@\n")
            console.line("partial output\n")
            console.error = "L1 stuck: its console was silent for 300 s; killed"
        else:
            console.line("@@testhost-done@@\n")
        console.close()
        return console

    return boot, calls


def test_console_numbers_runs_by_the_batch(tmp_path):
    console = rs.Console(str(tmp_path), [4, 7])
    for line in ("@@testhost-begin 1@@\n", "hello\n", "@@testhost-end 1 status=3@@\n"):
        console.line(line)
    assert console.statuses == {7: 3}
    assert (tmp_path / "7.out").read_text() == "hello\n"
    assert (tmp_path / "7.status").read_text() == "3\n"


def test_one_boot_when_every_run_ends(tmp_path):
    boot, calls = fake_boot(str(tmp_path), [3])
    assert rs.run_l1(boot, 3) == {0: 10, 1: 11, 2: 12}
    assert calls == [[0, 1, 2]]


def test_unfinished_runs_get_a_second_boot(tmp_path, capsys):
    boot, calls = fake_boot(str(tmp_path), [1, 2])
    assert rs.run_l1(boot, 3) == {0: 10, 1: 11, 2: 12}
    assert calls == [[0, 1, 2], [1, 2]]
    assert (tmp_path / "1.out").read_text() == "output of run 1\n"
    assert "booting it again (2 of 3) for the 2 runs that did not end" in capsys.readouterr().err


def test_a_third_boot_after_two_failures_in_a_row(tmp_path, capsys):
    boot, calls = fake_boot(str(tmp_path), [1, 0, 2])
    assert rs.run_l1(boot, 3) == {0: 10, 1: 11, 2: 12}
    assert calls == [[0, 1, 2], [1, 2], [1, 2]]
    assert "booting it again (3 of 3) for the 2 runs" in capsys.readouterr().err


def test_failing_every_boot_is_the_test_hosts(tmp_path, capsys):
    boot, calls = fake_boot(str(tmp_path), [1, 0, 1])
    with pytest.raises(SystemExit) as stop:
        rs.run_l1(boot, 3)
    assert stop.value.code == rs.testhost_status()
    assert calls == [[0, 1, 2], [1, 2], [1, 2]]
    err = capsys.readouterr().err
    assert "run-shim: test host: L1 stuck" in err and "(4 of 3)" not in err


def test_a_boot_that_ends_early_without_error_is_retried(tmp_path):
    calls = []

    def boot(numbers):
        calls.append(list(numbers))
        console = rs.Console(str(tmp_path), numbers)
        if len(calls) == 2:
            for local, _ in enumerate(numbers):
                console.line(f"@@testhost-begin {local}@@\n")
                console.line(f"@@testhost-end {local} status=0@@\n")
        return console

    assert rs.run_l1(boot, 2) == {0: 0, 1: 0}
    assert calls == [[0, 1], [0, 1]]


def test_run_qemu_kvm_boots_l1_through_run_shims_bookkeeping(tmp_path, monkeypatch):
    """run-qemu-kvm shares run_l1: its initramfs holds the runs asked for."""
    rqk = load("run-qemu-kvm")
    image = tmp_path / "image"
    image.mkdir()
    (image / "initrd.gz").write_bytes(b"base")
    payload = tmp_path / "payload"
    payload.write_bytes(b"payload")
    monkeypatch.setattr(rqk.rs, "l1_image", lambda: str(image))
    monkeypatch.setattr(rqk, "qemu_payload", lambda: str(payload))
    booted = []

    def boot_l1(image_dir, initrd, outdir, numbers):
        with open(initrd, "rb") as f:
            booted.append((list(numbers), f.read()))
        console = rqk.rs.Console(outdir, numbers)
        for local, _ in enumerate(numbers):
            console.line(f"@@testhost-begin {local}@@\n")
            console.line(f"@@testhost-end {local} status=0@@\n")
        return console

    monkeypatch.setattr(rqk.rs, "boot_l1", boot_l1)
    outdir = tmp_path / "out"
    outdir.mkdir()
    assert rqk.run_nested([["-smp", "2"], ["-smp", "4"]], str(outdir), ["shadow-paging"]) == 0
    assert [numbers for numbers, _ in booted] == [[0, 1]]
    assert booted[0][1].endswith(b"payload" + b"\0")
    # l1-init-qemu loads kvm-amd with npt=0 when the job holds this file.
    blob = booted[0][1]
    job = zlib.decompressobj(wbits=31).decompress(blob[blob.index(b"\x1f\x8b"):])
    assert b"job/shadow-paging" in job and b"kvm-stats" not in job
    assert (outdir / "1.status").read_text() == "0\n"
