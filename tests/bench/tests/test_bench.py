"""check-bench: the benchmark parsers and the report generator on recorded
output (tests/bench/tests/samples/), and the consistency of the guest's
benchmark table with the programs. No guest is booted."""
import argparse
import copy
import importlib.machinery
import importlib.util
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


def load_exit_counts():
    """rom/kvm/exit-counts as a module (it has no .py name); loading it boots nothing."""
    path = os.path.join(run_bench.TOP, "rom", "kvm", "exit-counts")
    loader = importlib.machinery.SourceFileLoader("exit_counts", path)
    spec = importlib.util.spec_from_loader("exit_counts", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


exit_counts = load_exit_counts()


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


# --- KVM exit counts (Table 4) ------------------------------------------------

# The counts are rom/kvm/README.md's first measured run (-smp 2, full
# workload; its table has no nmi_injections, tlb_flush or remote_tlb_flush,
# so the sample has none). That run did not record the vmi: lines: the
# sample's are in the kernel's format (guest-linux/README.md).
EXIT_COUNTS_SAMPLE = "exit-counts-readme-measured.json"


def measured_sample():
    return benchlib.parse_exit_counts(sample(EXIT_COUNTS_SAMPLE), EXIT_COUNTS_SAMPLE)


def test_recorded_exit_counts_parse():
    measured = measured_sample()
    assert (measured["smp"], measured["workload"], measured["rounds"]) == (2, "full", 1)
    runs = {run["name"]: run for run in measured["runs"]}
    assert list(runs) == ["kvm-rom", "no-rom", "debian"]
    assert runs["kvm-rom"]["stats"]["mmio_exits"] == 196267
    assert runs["no-rom"]["stats"]["hypercalls"] == 1580
    assert runs["debian"]["stats"]["io_exits"] == 59173
    assert all(run["workload_pass"] and run["cpus"] == 2 for run in runs.values())
    assert runs["debian"]["vmi"] is None


def broken(change):
    """The sample with change(document) applied, as JSON text."""
    document = json.loads(sample(EXIT_COUNTS_SAMPLE))
    change(document)
    return json.dumps(document)


@pytest.mark.parametrize("text, complaint", [
    ("not json", "not JSON"),
    ("[]", "not a JSON object"),
    (broken(lambda d: d.pop("smp")), "no smp"),
    (broken(lambda d: d.update(runs=[])), "no runs"),
    (broken(lambda d: d["runs"][1].pop("stats")), "run 1 has no stats"),
    (broken(lambda d: d["runs"][0].update(workload_pass="yes")), "run 0 has no workload_pass"),
    (broken(lambda d: d["runs"][2].pop("vmi")), "run 2 has no vmi"),
    (broken(lambda d: d["runs"][0]["stats"].update(exits="many")), "not counts: exits"),
    (broken(lambda d: d["runs"][1].update(guest_ipis=[3])), "run 1 has a guest_ipis that is not an object"),
    (broken(lambda d: d["runs"][1].update(guest_ipis={"TLB": -1})), "guest_ipis that are not counts: TLB"),
    (broken(lambda d: d.update(shown="exits")), "shown is not a list"),
    (broken(lambda d: d.update(shown=[1])), "shown is not a list"),
])
def test_malformed_exit_counts_are_refused(text, complaint):
    with pytest.raises(benchlib.BenchError, match=complaint):
        benchlib.parse_exit_counts(text)


def console_of(run):
    """A console as the test host writes it for one run: the guest's lines,
    then L1's kvm-stat lines."""
    lines = ["[    0.000000] Linux version 6.1.0 (test)"]
    if run["vmi"] is not None:
        lines.append(f"[    0.412345] vmi: {run['vmi']}")
    lines.append(f"VMI-TEST: cpus={run['cpus']}")
    # As init prints /proc/interrupts: one count per CPU (here all on CPU0).
    lines += [f"VMI-TEST: ipis {kind}:{count:>10}{0:>10}   IPIs"
              for kind, count in run.get("guest_ipis", {}).items()]
    lines.append(f"VMI-TEST: workload=full result={'pass' if run['workload_pass'] else 'fail'}")
    lines += [f"kvm-stat: {name} {value}" for name, value in run["stats"].items()]
    return "\r\n".join(lines) + "\r\n"


def test_exit_counts_json_from_a_test_host_output_directory(tmp_path):
    expected = measured_sample()
    for n, run in enumerate(expected["runs"]):
        (tmp_path / f"{n}.out").write_text(console_of(run))
    runs = exit_counts.read_runs([run["name"] for run in expected["runs"]], str(tmp_path), 1)
    args = exit_counts.parse_args(["--smp", "2", "--workload", "full",
                                   "--json", str(tmp_path / "counts.json")])
    exit_counts.write_json(args.json, exit_counts.json_document(args, runs))
    written = benchlib.parse_exit_counts((tmp_path / "counts.json").read_text())
    for run in expected["runs"]:
        run["guest_ipis"] = {}          # the full workload prints none
    assert written == expected


def test_exit_counts_sums_the_guests_ipis_over_its_cpus(tmp_path):
    (tmp_path / "0.out").write_text(
        "VMI-TEST: cpus=4\r\n"
        "VMI-TEST: ipis RES:        120         35          7          1   Rescheduling interrupts\r\n"
        "VMI-TEST: ipis CAL:       2000        400        300        200   Function call interrupts\r\n"
        "VMI-TEST: ipis TLB:       1500        300        200        100   TLB shootdowns\r\n"
        "VMI-TEST: workload=ipi result=pass\r\n")
    run = exit_counts.read_runs(["kvm-rom"], str(tmp_path), 1)[0]
    assert run["guest_ipis"] == {"RES": 163, "CAL": 2900, "TLB": 2100}
    assert run["cpus"] == 4 and run["workload_pass"]


def test_table4_shows_the_guests_ipis_when_measured():
    measured = measured_sample()
    for run, tlb in zip(measured["runs"], (2100, 2050, 1990)):
        run["guest_ipis"] = {"TLB": tlb, "RES": 160}
    text = report.render(with_kvm(results_from_samples(), measured))
    assert table4_cells(text, "guest: TLB shootdown IPIs") == ["2100", "2050", "1990"]
    assert table4_cells(text, "guest: rescheduling IPIs") == ["160", "160", "160"]
    assert "guest: function call IPIs" not in text
    assert "guest:" not in report.render(with_kvm(results_from_samples(), measured_sample()))


def test_exit_counts_json_keeps_a_run_that_failed_or_never_ran(tmp_path):
    failed = dict(measured_sample()["runs"][0], workload_pass=False)
    (tmp_path / "0.out").write_text(console_of(failed))
    # No 1.out: the test host ended before the second run.
    runs = exit_counts.read_runs(["kvm-rom", "kvm-rom"], str(tmp_path), 2)
    assert [run["round"] for run in runs] == [1, 2]
    assert runs[0]["stats"]["exits"] == 395065 and not runs[0]["workload_pass"]
    assert runs[1] == {"name": "kvm-rom", "round": 2, "stats": {}, "workload_pass": False,
                       "cpus": 0, "vmi": None, "guest_ipis": {}}


@pytest.mark.parametrize("argv, complaint", [
    (["--json", "{tmp}/no/such/dir/counts.json"], "does not exist"),
    (["--json", "{tmp}"], "is a directory"),
    (["--smp", "0"], "at least one vCPU"),
    (["--smp", "two"], "invalid int value"),
    (["--workload", "huge"], "invalid choice"),
    (["--rounds", "0"], "at least one round"),
])
def test_exit_counts_refuses_bad_arguments_in_one_line(tmp_path, capsys, argv, complaint):
    # parse_args refuses before anything boots; main() is never called here.
    with pytest.raises(SystemExit) as stop:
        exit_counts.parse_args([arg.format(tmp=tmp_path) for arg in argv])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("exit-counts: ") and complaint in error and error.count("\n") == 1


def test_table4_rows_are_the_statistics_exit_counts_prints():
    measured = measured_sample()
    measured["shown"] = ["hypercalls", "exits"]
    rows = report.kvm_rows(measured)
    assert [row[0] for row in rows[:2]] == ["hypercalls", "exits"]
    assert exit_counts.json_document(argparse.Namespace(smp=2, workload="full", rounds=1),
                                     [])["shown"] == exit_counts.SHOWN


def test_table4_of_output_that_names_no_statistics_has_every_one():
    measured = measured_sample()
    del measured["shown"]
    names = [row[0] for row in report.kvm_rows(measured)]
    assert names[:len(measured["runs"][0]["stats"])] == sorted(measured["runs"][0]["stats"])


def with_kvm(results, measured, error=None):
    results["kvm"] = measured
    results["meta"]["kvm_host"] = "nested test host: QEMU TCG -cpu max (L0) on test"
    if error:
        results["errors"]["kvm"] = error
    return results


def table4_cells(text, first_cell):
    """The cells of Table 4's row that starts with first_cell."""
    table4 = text[text.index("## Table 4"):]
    row = next(line for line in table4.splitlines() if line.startswith(f"| {first_cell} |"))
    return [cell.strip() for cell in row.strip("|").split("|")][1:]


def test_table4_renders_the_exit_counts():
    text = report.render(with_kvm(results_from_samples(), measured_sample()))
    assert "## Table 4: KVM exits under stock QEMU/KVM" in text
    assert "Host: nested test host: QEMU TCG -cpu max (L0) on test." in text
    assert "- kvm host: nested test host" in text
    assert "| KVM statistic | bzImage, kvm.rom | bzImage, no ROM | Debian cloud kernel |" in text
    assert table4_cells(text, "exits") == ["395065", "106669", "133659"]
    assert table4_cells(text, "mmio_exits") == ["196267", "40", "122"]
    assert table4_cells(text, "hypercalls") == ["0", "1580", "84"]
    assert table4_cells(text, "tlb_flush") == ["-", "-", "-"]         # not in the sample
    assert table4_cells(text, "exits, ratio to no ROM") == [
        f"{395065 / 106669:.2f}", "1.00", f"{133659 / 106669:.2f}"] == ["3.70", "1.00", "1.25"]
    assert table4_cells(text, "CPUs the guest brought up") == ["2", "2", "2"]
    assert table4_cells(text, "workload (full)") == ["pass", "pass", "pass"]
    assert "- bzImage, kvm.rom: `vmi: vmi-pv kvm ROM, ABI 1.1, 21 calls via ROM, 52 native`" in text
    assert "- Debian cloud kernel: no `vmi:` line" in text
    assert "read in L1 after the guest powered off" in text and "Incomplete" not in text


def test_table4_without_the_kvm_part():
    # A results.json from before Table 4: no "kvm", no kvm host.
    results = results_from_samples()
    text = report.render(results)
    assert "## Table 4" in text and "Not run: no kvm results." in text
    assert "kvm host" not in text
    results["kvm"] = {}
    results["errors"]["kvm"] = "rom/kvm/exit-counts failed with status 2: exit-counts: the test host failed"
    text = report.render(results)
    assert "**The kvm runs failed:** rom/kvm/exit-counts failed with status 2" in text
    assert "Not run: rom/kvm/exit-counts failed with status 2: exit-counts: the test host failed." in text


def test_table4_shows_the_figures_of_a_part_that_failed():
    measured = measured_sample()
    measured["runs"][2].update(workload_pass=False, cpus=1)
    measured["runs"][1]["stats"] = {}
    text = report.render(with_kvm(results_from_samples(), measured, "rom/kvm/exit-counts: debian"))
    assert table4_cells(text, "workload (full)") == ["pass", "pass", "**FAIL**"]
    assert table4_cells(text, "CPUs the guest brought up") == ["2", "2", "**1**"]
    # Without the no-ROM run's exits there is nothing to divide by.
    assert table4_cells(text, "exits, ratio to no ROM") == ["-", "-", "-"]
    assert "Incomplete: rom/kvm/exit-counts: debian." in text


def test_table4_labels_rounds_and_divides_within_a_round():
    measured = measured_sample()
    second = copy.deepcopy(measured["runs"])
    for run in second:
        run["round"] = 2
    second[1]["stats"]["exits"] = 2 * 106669
    measured["runs"] = [measured["runs"][0], second[0], measured["runs"][1], second[1]]
    measured["rounds"] = 2
    text = report.render(with_kvm(results_from_samples(), measured))
    assert "| KVM statistic | bzImage, kvm.rom, round 1 | bzImage, kvm.rom, round 2 |" in text
    assert table4_cells(text, "exits, ratio to no ROM") == ["3.70", "1.85", "1.00", "1.00"]


def test_kvm_results_read_from_exit_counts(tmp_path):
    path = tmp_path / "kvm-exit-counts.json"
    with pytest.raises(benchlib.BenchError, match="failed with status 2: exit-counts: the test host failed"):
        run_bench.read_kvm_results(str(path), 2, "exit-counts: the test host failed")
    path.write_text(sample(EXIT_COUNTS_SAMPLE))
    assert run_bench.read_kvm_results(str(path), 0, "") == measured_sample()
    with pytest.raises(run_bench.PartFailed, match="ended with status 2") as failed:
        run_bench.read_kvm_results(str(path), 2, "")
    assert failed.value.figures == measured_sample()
    path.write_text(broken(lambda d: d["runs"][2].update(workload_pass=False, stats={})))
    with pytest.raises(run_bench.PartFailed,
                       match=r"exit-counts: debian \(no KVM statistics\) \(workload failed\)") as failed:
        run_bench.read_kvm_results(str(path), 1, "exit-counts: no statistics or a failed workload: debian")
    assert failed.value.figures["runs"][0]["stats"]["exits"] == 395065


def test_the_kvm_part_refuses_inputs_it_does_not_boot(tmp_path, monkeypatch):
    kernel, rom, other = tmp_path / "bzImage", tmp_path / "kvm.rom", tmp_path / "other"
    for path in (kernel, rom, other):
        path.write_bytes(b"x")
    monkeypatch.setattr(run_bench, "KVM_KERNEL", str(kernel))
    monkeypatch.setattr(run_bench, "KVM_ROM", str(rom))

    class Args:
        pass
    args = Args()
    args.kernel, args.kvm_rom = str(kernel), str(rom)
    run_bench.check_kvm_inputs(args)
    args.kernel = str(other)
    with pytest.raises(benchlib.BenchError, match=f"not --kernel {other}"):
        run_bench.check_kvm_inputs(args)


def test_only_one_part_keeps_the_others_from_the_previous_run():
    previous = with_kvm(results_from_samples(), measured_sample(), None)
    previous["audit"] = audit_sample()
    previous["errors"]["shim"] = "run-shim failed"
    for only in run_bench.PARTS:
        fresh = {"meta": {}, **{part: {} for part in run_bench.PARTS}, "errors": {}}
        fresh[only] = {"rerun": True}
        merged = run_bench.keep_other_parts(fresh, previous, only)
        assert merged[only] == {"rerun": True}
        for part in run_bench.PARTS:
            if part != only:
                assert merged[part] == previous[part]
        assert ("shim" in merged["errors"]) == (only != "shim")
    # A results.json from before the kvm part: the kvm part stays empty.
    old = results_from_samples()
    fresh = {"meta": {}, "native": {"rerun": True}, "shim": {}, "kvm": {}, "errors": {}}
    merged = run_bench.keep_other_parts(fresh, old, "native")
    assert merged["shim"] == old["shim"] and merged["kvm"] == {} and merged["native"] == {"rerun": True}


# --- Table 5: the audit under a hostile guest ------------------------------

def audit_sample():
    return run_bench.read_audit_results(sample("bench-audit.txt"), 0)


def test_recorded_bench_audit_parses():
    figures = audit_sample()
    assert figures["ram_mib"] == 1024 and figures["tables"] == 262143
    assert figures["differences"] == figures["changed"] == 1000
    assert 0 < figures["flush_mean_ms"] <= figures["flush_p99_ms"] <= figures["flush_worst_ms"]


@pytest.mark.parametrize("text, complaint", [
    ("bench-audit: guest 1024 MiB\n", "printed 0 BENCH-AUDIT lines"),
    ("BENCH-AUDIT {}\nBENCH-AUDIT {}\n", "printed 2 BENCH-AUDIT lines"),
    ("BENCH-AUDIT {not json}\n", "is not JSON"),
])
def test_malformed_bench_audit_output_is_refused(text, complaint):
    with pytest.raises(benchlib.BenchError, match=complaint):
        run_bench.read_audit_results(text, 0)


def test_a_failed_bench_audit_keeps_its_figures():
    with pytest.raises(run_bench.PartFailed, match="exited 1") as failure:
        run_bench.read_audit_results(sample("bench-audit.txt"), 1)
    assert failure.value.figures["tables"] == 262143


def table5_cell(text, first_cell):
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0].startswith(first_cell):
            return cells[1]
    raise AssertionError(f"no Table 5 row {first_cell!r}")


def test_table5_renders_the_audit_figures():
    results = results_from_samples()
    results["audit"] = audit_sample()
    text = report.render(results)
    assert "## Table 5: the shim's audit under a hostile guest" in text
    assert table5_cell(text, "page tables in it") == "262143"
    assert table5_cell(text, "unnotified changes found") == "1000 of 1000"
    worst = table5_cell(text, "flush point, worst (target 10 ms)")
    assert not worst.startswith("**") and worst.endswith(" ms")


def test_table5_prints_a_miss_in_bold():
    results = results_from_samples()
    results["audit"] = dict(audit_sample(), flush_worst_ms=57.7, differences=3)
    text = report.render(results)
    assert table5_cell(text, "flush point, worst (target 10 ms)") == "**57.70 ms**"
    assert table5_cell(text, "unnotified changes found") == "**3 of 1000**"


def test_table5_without_the_audit_part():
    text = report.render(results_from_samples())
    assert "## Table 5" in text and "Not run: no audit results." in text
