"""check-bench: the benchmark parsers and the report generator on recorded
output (tests/bench/tests/samples/), and the consistency of the guest's
benchmark table with the programs. No guest is booted."""
import copy
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
SAMPLES = os.path.join(HERE, "samples")
sys.path.insert(0, os.path.join(BENCH, "scripts"))
import benchlib  # noqa: E402
import report  # noqa: E402
import run_bench  # noqa: E402


def sample(name):
    with open(os.path.join(SAMPLES, name), errors="replace") as f:
        return f.read()


# --- guest console --------------------------------------------------------

def test_console_sample_parses_through_firmware_escapes():
    run = benchlib.parse_console(sample("native-console.log"))
    assert run["done"] and not run["errors"]
    # The first BENCH-INFO line follows SeaBIOS's terminal resets on one line.
    assert run["info"]["kernel"] == "6.1.192"
    result = run["results"]["syscall"]
    assert (result["ops"], result["warmup"], result["total_ns"]) == (20000, 4, 5501754)
    assert result["per_op"] == pytest.approx(5501754 / 20000)
    assert list(run["results"]) == run_bench.benchmark_names()


@pytest.mark.parametrize("line, complaint", [
    ("BENCH name=x warmup=4 total_ns=10", "ops is missing"),
    ("BENCH name=x ops=0 warmup=4 total_ns=10", "ran 0 operations"),
    ("BENCH name=x ops=5 warmup=4 total_ns=-1", "total_ns is missing or not a count"),
    ("BENCH name=X! ops=5 warmup=4 total_ns=1", "malformed"),
    ("BENCH name=x ops=5 warmup=4 total_ns", "is not key=value"),
])
def test_malformed_result_lines_are_refused(line, complaint):
    with pytest.raises(benchlib.BenchError, match=complaint):
        benchlib.parse_console(line)


def test_duplicate_result_is_refused():
    line = "BENCH name=x ops=5 warmup=4 total_ns=1\n"
    with pytest.raises(benchlib.BenchError, match="reported twice"):
        benchlib.parse_console(line * 2)


def test_incomplete_runs_are_refused():
    text = sample("native-console.log")
    cut = benchlib.parse_console(text.split("BENCH-DONE")[0])
    with pytest.raises(benchlib.BenchError, match="no BENCH-DONE"):
        benchlib.require_complete(cut, "cut")
    failed = benchlib.parse_console(text + "BENCH-ERROR name=pagefault status=1\n")
    with pytest.raises(benchlib.BenchError, match="pagefault"):
        benchlib.require_complete(failed, "failed")
    done = benchlib.parse_console(text)
    with pytest.raises(benchlib.BenchError, match="no result for nosuch"):
        benchlib.require_complete(done, "done", ["syscall", "nosuch"])


# --- shim --stats ---------------------------------------------------------

def test_stats_sample_parses():
    stats = benchlib.parse_stats(sample("shim-stats-synthetic.txt"))
    assert stats["present"] and stats["refused"] == 2
    batch = stats["hypercall"]["MMU_BATCH"]
    assert (batch["count"], batch["errors"], batch["avg_us"]) == (830, 2, 11.02)
    assert len(batch["hist"]) == len(benchlib.LATENCY_BUCKETS)
    assert sum(batch["hist"]) == batch["count"]
    assert stats["ops"]["MMU_BATCH"]["ops"] == 61000
    assert sum(stats["ops"]["MMU_BATCH"]["hist"]) == batch["count"]
    assert (stats["ops"]["MMU_BATCH"]["max"], stats["ops"]["MMU_BATCH"]["avg"]) == (300, 73.49)
    assert stats["ops"]["MMU"]["max"] == 1
    assert stats["mmu"]["set_pte"]["count"] == 40000


def test_recorded_shim_boots_parse_and_subtract():
    none = benchlib.parse_stats(sample("shim-defer-none.out"))
    syscall = benchlib.parse_stats(sample("shim-defer-syscall.out"))
    assert syscall["hypercall"]["MMU_BATCH"]["count"] == 419
    assert syscall["ops"]["MMU_BATCH"]["ops"] == 11099
    assert syscall["mmu"]["set_pte"]["count"] == 19431
    # Every latency histogram adds up to its count, every ops histogram to
    # its hypercall count: a misaligned column would break both.
    for stats in (none, syscall):
        for table in ("hypercall", "mmu"):
            for row in stats[table].values():
                assert sum(row["hist"]) == row["count"]
        for name, row in stats["ops"].items():
            assert sum(row["hist"]) == stats["hypercall"][name]["count"]
    delta = benchlib.stats_delta(syscall, none)
    assert delta["records"] == (20359 + 11099) - (19840 + 10623)
    assert delta["notify_hypercalls"] == (20359 + 419) - (19840 + 396)
    assert delta["hypercalls"]["CR3_LOAD"] == 3102 - 3079
    # Recorded before the shim printed its maximum: unknown, not guessed
    # from the ">=256" bucket.
    assert syscall["ops"]["MMU_BATCH"]["max"] is None and syscall["ops"]["MMU_BATCH"]["avg"] == 26.49
    assert delta["batch_max"] is None


# The ops table as the shim prints it, with "max ops" or (older) without.
OPS_HEADER = ("stats: ops per hypercall       total ops        0        1       <4      <16      <64"
              "     <256    >=256  max ops   avg ops\n")
OLD_OPS_HEADER = OPS_HEADER.replace("  max ops", "")


def ops_text(batch_row, header=OPS_HEADER):
    return header + "stats: MMU_BATCH " + batch_row + "\n"


def test_the_max_comes_from_its_own_column():
    # Batches of 3, 200 and 130 records: 333 in all, buckets <4 and <256.
    stats = benchlib.parse_stats(ops_text("333 0 0 1 0 0 2 0 200 111.00"))
    row = stats["ops"]["MMU_BATCH"]
    assert (row["ops"], row["hist"], row["max"], row["avg"]) == (333, [0, 0, 1, 0, 0, 2, 0], 200, 111.0)
    assert benchlib.largest_batch(stats) == 200
    old = benchlib.parse_stats(ops_text("333 0 0 1 0 0 2 0 111.00", OLD_OPS_HEADER))
    assert old["ops"]["MMU_BATCH"]["hist"] == row["hist"] and benchlib.largest_batch(old) is None
    # Without MMU_BATCH records the ops table has no row: no batch carried any.
    assert benchlib.largest_batch(benchlib.parse_stats(OPS_HEADER)) == 0


@pytest.mark.parametrize("batch_row, header, complaint", [
    ("333 0 0 1 0 0 2 0 111.00", OPS_HEADER, "has 9 values, expected 10"),
    ("333 0 0 1 0 0 2 0 200 111.00", OLD_OPS_HEADER, "has 10 values, expected 9"),
    ("333 0 0 1 0 0 2 0 256 111.00", OPS_HEADER, "max ops 256 outside its highest bucket <256"),
    ("333 0 0 1 0 0 2 0 63 111.00", OPS_HEADER, "max ops 63 outside its highest bucket <256"),
    ("600 0 0 0 0 0 0 2 255 300.00", OPS_HEADER, "max ops 255 outside its highest bucket >=256"),
])
def test_a_max_that_cannot_be_is_refused(batch_row, header, complaint):
    with pytest.raises(benchlib.BenchError, match=complaint):
        benchlib.parse_stats(ops_text(batch_row, header))


def test_stats_sum_adds_counts_and_weights_averages():
    none = benchlib.parse_stats(sample("shim-defer-none.out"))
    syscall = benchlib.parse_stats(sample("shim-defer-syscall.out"))
    total = benchlib.stats_sum([none, syscall])
    mmu = total["hypercall"]["MMU"]
    assert mmu["count"] == 19840 + 20359
    assert mmu["avg_us"] == pytest.approx((25.67 * 19840 + 28.32 * 20359) / (19840 + 20359))
    assert mmu["hist"][2] == 16258 + 17910
    batch = total["ops"]["MMU_BATCH"]
    assert batch["ops"] == 10623 + 11099
    assert batch["avg"] == pytest.approx((26.83 * 396 + 26.49 * 419) / (396 + 419))
    assert batch["max"] is None
    assert none["hypercall"]["MMU"]["count"] == 19840      # inputs untouched


def test_stats_sum_keeps_the_largest_max_and_unknown_stays_unknown():
    small, large = scaled_stats(1), scaled_stats(1)
    small["ops"]["MMU_BATCH"]["max"], large["ops"]["MMU_BATCH"]["max"] = 257, 512
    for runs in ([small, large], [large, small]):
        assert benchlib.stats_sum(runs)["ops"]["MMU_BATCH"]["max"] == 512
    assert small["ops"]["MMU_BATCH"]["max"] == 257      # inputs untouched
    old = benchlib.parse_stats(sample("shim-defer-none.out"))
    del old["ops"]["MMU_BATCH"]["max"]                  # results.json from before the column
    for runs in ([old, large], [large, old]):
        assert benchlib.stats_sum(runs)["ops"]["MMU_BATCH"]["max"] is None


def test_stats_without_hypercalls_and_without_stats():
    assert benchlib.parse_stats("stats: no hypercalls\n")["present"]
    empty = benchlib.parse_stats("BENCH-DONE\n")
    assert not empty["present"] and not empty["hypercall"]


def test_stats_rows_of_the_wrong_shape_are_refused():
    text = sample("shim-stats-synthetic.txt").replace("      9.50", "")
    with pytest.raises(benchlib.BenchError, match="ACTIVATE"):
        benchlib.parse_stats(text)
    with pytest.raises(benchlib.BenchError, match="before any table header"):
        benchlib.parse_stats("stats: MMU 1 0 0 0 0 0 0 0 1 1.0\n")


def scaled_stats(factor):
    """The sample's counts multiplied by factor: a run that did more."""
    stats = benchlib.parse_stats(sample("shim-stats-synthetic.txt"))
    for table in ("hypercall", "ops"):
        for row in stats[table].values():
            for key in ("count", "ops"):
                if key in row:
                    row[key] *= factor
            row["hist"] = [h * factor for h in row["hist"]]
    return stats


def test_stats_delta_subtracts_the_empty_boot():
    base, run = scaled_stats(1), scaled_stats(3)
    delta = benchlib.stats_delta(run, base)
    assert delta["records"] == 2 * (5210 + 61000)
    assert delta["notify_hypercalls"] == 2 * (5210 + 830)
    assert delta["batches"] == 2 * 830
    assert delta["all_hypercalls"] == 2 * (1 + 5210 + 830 + 1400 + 1 + 1)
    # The benchmark boot's own largest batch: neither subtracted nor the
    # empty boot's.
    base["ops"]["MMU_BATCH"]["max"] = 512
    assert benchlib.stats_delta(run, base)["batch_max"] == 300


# --- kernel identity --------------------------------------------------------

def test_kernel_version_from_setup_header():
    image = bytearray(0x400)
    image[0x202:0x206] = b"HdrS"
    image[0x20E:0x210] = (0x100).to_bytes(2, "little")
    image[0x300:0x310] = b"6.1.192 (test)\0\0"
    assert benchlib.kernel_version(bytes(image)) == "6.1.192 (test)"
    with pytest.raises(benchlib.BenchError, match="not a bzImage"):
        benchlib.kernel_version(b"\x7fELF" + bytes(0x400))


# --- report -----------------------------------------------------------------

def results_from_samples():
    """results.json as run_bench writes it, built from the samples."""
    native_run = benchlib.parse_console(sample("native-console.log"))
    native = {config: {"command": "qemu", "info": native_run["info"],
                       "results": copy.deepcopy(native_run["results"])}
              for config in ("baseline", "baseline-rom", "vmi-norom", "vmi-native", "vmi-off")}
    names = list(native_run["results"])
    shim = {}
    for mode in ("defer", "nodefer"):
        shim[mode] = {"none": {"stats": scaled_stats(1), "results": {}}}
        for name in names:
            results = copy.deepcopy(native_run["results"])
            shim[mode][name] = {"stats": scaled_stats(2), "results": results}
    identity = {"path": "k", "sha256": "0" * 16, "version": "6.1.192"}
    rom = {"path": "r", "sha256": "1" * 16, "abi": "1.0", "vendor": "v", "backend": "b",
           "rom_version": "1", "features": "0x7"}
    meta = {"commit": "abc", "kernel": identity, "baseline": identity,
            "roms": {"native": rom, "shim": rom, "shim-nodefer": rom},
            "native_host": "QEMU", "shim_host": "test", "vmi_off": "vmi=off", "benchmarks": names}
    return {"meta": meta, "native": native, "shim": shim, "errors": {}}


def test_report_ratios_and_parity_misses():
    results = results_from_samples()
    results["native"]["vmi-native"]["results"]["fork_exit"]["per_op"] *= 1.006
    rows = {row["name"]: row for row in report.parity_rows(results)}
    assert rows["fork_exit"]["columns"]["vmi-native"][1] == pytest.approx(1.006)
    assert rows["syscall"]["columns"]["vmi-off"][1] == pytest.approx(1.0)
    text = report.render(results)
    assert "| fork_exit |" in text and "**1.0060**" in text
    assert ("Misses (bold): 1 of 30 series ratios above 1.005; the largest, 1.0060, "
            "is fork_exit (series, native ROM).") in text
    results["native"]["vmi-native"]["results"]["fork_exit"]["per_op"] /= 1.006
    assert "Every one of the 30 series ratios is within 1.005." in report.render(results)


def test_report_batching_figures_and_target():
    results = results_from_samples()
    e = report.efficiency(results, "defer", "mmap_16m")
    ops = 8 + 4         # the sample's mmap_16m ops plus warm-up
    assert e["updates"] == pytest.approx((5210 + 61000) / ops)
    assert e["per_hypercall"] == pytest.approx((5210 + 61000) / (5210 + 830))
    assert e["per_batch"] == pytest.approx(61000 / 830)
    text = report.render(results)
    assert "Every batched path averages at least 64 updates per batch." in text
    assert "| max updates in one batch (deferred on) |" in text and "| largest" not in text
    assert table2_cells(text, "mmap_16m")[5:7] == ["73.5", "300"]
    # Batches of 10 on the fork path: below 64, reported as measured.
    fork = results["shim"]["defer"]["fork_exit"]["stats"]["ops"]["MMU_BATCH"]
    fork["ops"] = 61000 + 830 * 10
    text = report.render(results)
    assert "Below target (bold): fork_exit (10.0)." in text
    assert "## Table 3: per-operation latency" in text and "`set_pte`" in text


def table2_cells(text, benchmark):
    """The cells of a benchmark's row of Table 2."""
    table2 = text[text.index("## Table 2"):text.index("## Table 3")]
    row = next(line for line in table2.splitlines() if line.startswith(f"| {benchmark} |"))
    return [cell.strip() for cell in row.strip("|").split("|")]


def test_report_prints_the_benchmark_boots_exact_max():
    results = results_from_samples()
    results["shim"]["defer"]["none"]["stats"]["ops"]["MMU_BATCH"]["max"] = 512
    results["shim"]["defer"]["fork_exit"]["stats"]["ops"]["MMU_BATCH"]["max"] = 257
    assert report.efficiency(results, "defer", "fork_exit")["batch_max"] == 257
    text = report.render(results)
    assert table2_cells(text, "fork_exit")[6] == "257"
    assert table2_cells(text, "mmap_16m")[6] == "300"
    assert "the maximum is the benchmark boot's own" in text
    # Table 3: the largest over every boot of the mode.
    assert re.search(r"\| `MMU_BATCH` \| \d+ \|( \d+ \|){7} 512 \| ", text)


def test_report_says_n_a_for_a_max_the_shim_did_not_print():
    results = results_from_samples()
    none = benchlib.parse_stats(sample("shim-defer-none.out"))
    syscall = benchlib.parse_stats(sample("shim-defer-syscall.out"))
    results["meta"]["benchmarks"] = ["syscall"]
    results["shim"] = {mode: {"none": {"stats": none, "results": {}},
                              "syscall": {"stats": syscall,
                                          "results": results["native"]["baseline"]["results"]}}
                       for mode in ("defer", "nodefer")}
    text = report.render(results)
    assert table2_cells(text, "syscall")[6] == "n/a"
    assert re.search(r"\| `MMU_BATCH` \| \d+ \|( \d+ \|){7} n/a \| ", text)


def test_report_says_what_was_not_run():
    results = results_from_samples()
    results["shim"] = {}
    results["errors"]["shim"] = "run-shim failed with status 12"
    text = report.render(results)
    assert "**The shim runs failed:** run-shim failed with status 12" in text
    assert "Not run: run-shim failed with status 12." in text


@pytest.mark.skipif(shutil.which("gnuplot") is None, reason="gnuplot-nox not installed (make deps)")
def test_plots_are_written(tmp_path):
    written = report.write_plots(results_from_samples(), str(tmp_path))
    assert [os.path.basename(p) for p in written] == ["parity.png", "batching.png"]
    for path in written:
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_report_command_refuses_bad_input(tmp_path):
    bad = tmp_path / "results.json"
    bad.write_text("{}")
    proc = subprocess.run([sys.executable, os.path.join(BENCH, "scripts", "report.py"), str(bad),
                           str(tmp_path), "--no-plots"], stderr=subprocess.PIPE, text=True)
    assert proc.returncode != 0 and "cannot report" in proc.stderr


# --- guest table ------------------------------------------------------------

def test_every_benchmark_in_the_guest_table_has_a_program_that_reports_it():
    with open(os.path.join(BENCH, "initramfs", "init")) as f:
        table = re.search(r'benchmarks="\n(.*?)\n"', f.read(), re.S)[1]
    with open(os.path.join(BENCH, "build.mk")) as f:
        built = f.read()
    for line in table.splitlines():
        name, native_ops, hypervisor_ops, program = line.split()[:4]
        assert int(native_ops) > 0 and int(hypervisor_ops) > 0
        assert re.search(rf"\b{program}\b", built), f"{program} is not built"
        with open(os.path.join(BENCH, "src", f"{program}.c")) as f:
            source = f.read()
        # mmap_touch names itself from its size argument.
        assert f'"{name}"' in source or (program == "mmap_touch" and '"mmap_%ldm"' in source)


def test_a_run_whose_kernel_did_not_do_what_its_column_says_is_refused():
    def run_with(line):
        return {"info": {"vmi": line.replace(" ", "_")}}
    native = "vmi: vmi-pv native ROM, ABI 1.0, 60 calls via ROM, 7 native"
    run_bench.check_vmi_line(run_with(native), run_bench.VMI_LINE_NATIVE_ROM, "ok")
    run_bench.check_vmi_line(run_with(""), None, "baseline")
    with pytest.raises(benchlib.BenchError, match="expected"):
        run_bench.check_vmi_line(run_with("vmi: no ROM found, running native"),
                                 run_bench.VMI_LINE_NATIVE_ROM, "rom not found")
    with pytest.raises(benchlib.BenchError, match="no vmi: line"):
        run_bench.check_vmi_line(run_with(""), run_bench.VMI_LINE_OFF, "silent")
    with pytest.raises(benchlib.BenchError, match="baseline kernel logged"):
        run_bench.check_vmi_line(run_with(native), None, "baseline")


def test_compare_native_finds_a_changed_count(tmp_path):
    results = results_from_samples()
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps(results))
    second.write_text(json.dumps(results))
    script = os.path.join(BENCH, "scripts", "compare_native.py")
    same = subprocess.run([sys.executable, script, str(first), str(second)],
                          stdout=subprocess.PIPE, text=True)
    assert same.returncode == 0 and "50 counts identical" in same.stdout
    results["native"]["vmi-off"]["results"]["pagefault"]["total_ns"] += 1
    second.write_text(json.dumps(results))
    changed = subprocess.run([sys.executable, script, str(first), str(second)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert changed.returncode == 1 and "vmi-off pagefault" in changed.stdout
    assert "1 of 50 counts differ" in changed.stderr


def test_a_half_is_kept_only_from_a_run_of_the_same_kernels_and_roms(tmp_path):
    results = results_from_samples()
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    assert run_bench.previous_results(str(path), results["meta"])["shim"]
    other = copy.deepcopy(results["meta"])
    other["kernel"]["sha256"] = "f" * 16
    assert run_bench.previous_results(str(path), other) is None
    assert run_bench.previous_results(str(tmp_path / "missing.json"), results["meta"]) is None


def test_a_killed_or_missing_shim_boot_is_a_failure_naming_the_boot(tmp_path):
    (tmp_path / "0.out").write_text("Killed\n")
    (tmp_path / "0.status").write_text("137\n")
    with pytest.raises(benchlib.BenchError, match=r"defer, bench=fork_exec\): hung, stopped after"):
        run_bench.read_shim_run(str(tmp_path), 0, "defer", "fork_exec", [])
    (tmp_path / "3.out").write_text("vmi-shim: vCPU 1 halted: rip 0xffffffff81000000 rsp 0\n")
    (tmp_path / "3.status").write_text(f"{run_bench.SHIM_EXIT['SHIM_EXIT_STOPPED']}\n")
    with pytest.raises(benchlib.BenchError, match=r"hung, .* vCPU 1 halted: rip 0xffffffff81000000"):
        run_bench.read_shim_run(str(tmp_path), 3, "defer", "fork_exec", [])
    with pytest.raises(benchlib.BenchError, match="no output or status"):
        run_bench.read_shim_run(str(tmp_path), 1, "defer", "none", [])
    (tmp_path / "2.out").write_text(sample("shim-defer-syscall.out"))
    (tmp_path / "2.status").write_text("4\n")
    run = run_bench.read_shim_run(str(tmp_path), 2, "defer", "syscall", ["--stats"])
    assert run["stats"]["hypercall"]["MMU_BATCH"]["count"] == 419


def test_report_lists_reruns():
    results = results_from_samples()
    results["shim"]["failures"] = ["raw/shim/try0/3.out (defer, bench=fork_exec): killed after 300 s"]
    results["shim"]["missing"] = ["nodefer bench=mmap_64m"]
    del results["shim"]["nodefer"]["mmap_64m"]
    text = report.render(results)
    assert "1 boots failed and were rerun" in text and "bench=fork_exec): killed after 300 s" in text
    assert "Never completed in any attempt (shown as -): nodefer bench=mmap_64m." in text
    assert report.efficiency(results, "nodefer", "mmap_64m") is None
