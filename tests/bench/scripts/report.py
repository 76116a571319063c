#!/usr/bin/env python3
"""Turns results.json (run_bench.py) into report.md and the plots.

    report.py RESULTS.json OUTDIR [--no-plots]

Writes OUTDIR/report.md, OUTDIR/parity.png and OUTDIR/batching.png (with
gnuplot; their data files beside them) and prints the tables. Targets are
checked and misses reported as they are; nothing here changes a figure.
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import plots  # noqa: E402

# Issue targets: native ratio to baseline; deferred-mode batch size on the
# paths that tear down or copy address spaces (munmap, exit, fork).
PARITY_LIMIT = 1.005
BATCH_TARGET = 64
XEN_MULTICALL_BATCH = 32
BATCHED_PATHS = ("fork_exit", "fork_exec", "mmap_1m", "mmap_16m", "mmap_64m")
NATIVE_COLUMNS = [("baseline-rom", "baseline, ROM present (control)"), ("vmi-norom", "series, no ROM"), ("vmi-native", "series, native ROM"),
                  ("vmi-off", "series, `{vmi_off}`")]
MODES = [("defer", "deferred on"), ("nodefer", "deferred off")]
KVM_RUN_LABELS = {"kvm-rom": "bzImage, kvm.rom", "no-rom": "bzImage, no ROM",
                  "debian": "Debian cloud kernel"}
# The guest's own IPI counts (/proc/interrupts, summed over its CPUs), which
# exit-counts records for the ipi workload: the kernels' work, not KVM's.
GUEST_IPI_LABELS = {"TLB": "guest: TLB shootdown IPIs", "CAL": "guest: function call IPIs",
                    "RES": "guest: rescheduling IPIs"}
# Each run's total exits are compared with this run's of the same round.
KVM_REFERENCE_RUN = "no-rom"


def kvm_stats(measured):
    """Table 4's rows: the statistics exit-counts printed, in its order
    (every one the first run has, sorted, in its output from before it
    named them)."""
    return measured.get("shown") or sorted(measured["runs"][0]["stats"])


def fmt(value, digits=1):
    return "-" if value is None else f"{value:,.{digits}f}"


def fmt_max(value):
    """A largest count of records, exact; n/a from a shim that did not print it."""
    return "n/a" if value is None else str(value)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def parity_rows(results):
    """Per benchmark: baseline instructions/op, then (per-op, ratio) per column."""
    native = results["native"]
    rows = []
    for name in results["meta"]["benchmarks"]:
        base = native["baseline"]["results"][name]["per_op"]
        row = {"name": name, "baseline": base, "columns": {}}
        for config, _ in NATIVE_COLUMNS:
            per_op = native[config]["results"][name]["per_op"]
            row["columns"][config] = (per_op, per_op / base)
        rows.append(row)
    return rows


def misses_line(misses, what, total):
    """One line: how many of the ratios missed, and the worst."""
    if not misses:
        return f"Every one of the {total} {what} is within {PARITY_LIMIT}."
    worst_ratio, worst = max(misses)
    return (f"Misses (bold): {len(misses)} of {total} {what} above {PARITY_LIMIT}; "
            f"the largest, {worst_ratio:.4f}, is {worst}.")


def native_section(results):
    out = ["## Table 1: native parity", "",
           f"Guest instructions per operation on {results['meta']['native_host']}; "
           f"ratio to `bzImage.baseline`. Target: every ratio at most {PARITY_LIMIT}. "
           "The control column boots the baseline kernel with the native ROM in memory, which "
           "changes nothing but the memory map: its distance from 1 is how far layout alone "
           "moves these counts.", ""]
    if not results.get("native"):
        return out + ["Not run: " + results.get("errors", {}).get("native", "no native results") + ".", ""]
    vmi_off = results["meta"]["vmi_off"]
    header = ["benchmark", "baseline"]
    for _, label in NATIVE_COLUMNS:
        header += [label.format(vmi_off=vmi_off), "ratio"]
    rows, misses = [], []
    for row in parity_rows(results):
        cells = [row["name"], fmt(row["baseline"])]
        for config, label in NATIVE_COLUMNS:
            per_op, ratio = row["columns"][config]
            miss = ratio > PARITY_LIMIT
            cells += [fmt(per_op), f"**{ratio:.4f}**" if miss else f"{ratio:.4f}"]
            if miss and config != "baseline-rom":
                misses.append((ratio, f"{row['name']} ({label.format(vmi_off=vmi_off)})"))
        rows.append(cells)
    out += table(header, rows) + [""]
    out.append(misses_line(misses, "series ratios", len(rows) * (len(NATIVE_COLUMNS) - 1)))
    out.append("")
    out.append("Kernel log per column: " + "; ".join(
        f"{config}: `{run['info'].get('vmi', '').replace('_', ' ') or 'no vmi: line'}`"
        for config, run in results["native"].items()) + ".")
    return out + [""]


def efficiency(results, mode, name):
    """Table 2 figures of one benchmark in one mode, or None when not run."""
    runs = results["shim"].get(mode, {})
    if name not in runs or "none" not in runs:
        return None
    run = runs[name]
    result = run["results"][name]
    ops = result["ops"] + result["warmup"]
    delta = benchlib.stats_delta(run["stats"], runs["none"]["stats"])
    notify = delta["notify_hypercalls"]
    batches = delta["batches"]
    return {"hypercalls": delta["all_hypercalls"] / ops, "updates": delta["records"] / ops,
            "notify": notify / ops, "per_hypercall": delta["records"] / notify if notify > 0 else None,
            "per_batch": delta["batched_records"] / batches if batches > 0 else None,
            "batch_max": delta["batch_max"]}


def operations_run(results, name):
    """Operations (warm-up included) per mode's boot, e.g. "10" or "10/10"."""
    counts = []
    for mode, _ in MODES:
        run = results["shim"].get(mode, {}).get(name)
        if run and name in run["results"]:
            counts.append(str(run["results"][name]["ops"] + run["results"][name]["warmup"]))
    return "/".join(sorted(set(counts))) or "-"


def shim_section(results):
    out = ["## Table 2: virtualized efficiency under the shim", "",
           f"Host: {results['meta']['shim_host']}. Per operation of each benchmark: all hypercalls, "
           "page-table notification records (updates); updates per notification hypercall "
           "(`MMU` + `MMU_BATCH`: page faults, outside deferred mode, send one `MMU` each); "
           "updates per `MMU_BATCH` (what the deferred paths, munmap, exit, fork and mprotect, "
           "send) and the maximum updates in one batch, exact. Each figure but the maximum is a "
           "boot running the benchmark minus a boot running none, over the benchmark's operations; "
           "the maximum is the benchmark boot's own: its largest `MMU_BATCH`, kernel start-up "
           "included, since a maximum does not subtract (n/a from a shim that did not print it). "
           "Counts that differ between two boots anyway (context switches, so `CR3_LOAD`, by some "
           "tens) make small per-operation hypercall figures noisy, even negative. Same kernel; "
           "deferred off is `shim-nodefer.rom`, the shim ROM with every notification sent at once. "
           f"Target: at least {BATCH_TARGET} updates per batch with deferred mode on for "
           f"{', '.join(BATCHED_PATHS)} (Xen multicalls stop at {XEN_MULTICALL_BATCH}).", ""]
    if not results.get("shim"):
        return out + ["Not run: " + results.get("errors", {}).get("shim", "no shim results") + ".", ""]
    header = ["benchmark", "ops"]
    for mode, label in MODES:
        header += [f"hypercalls/op ({label})", f"updates/op ({label})", f"updates/hypercall ({label})"]
        header += [f"updates/batch ({label})", f"max updates in one batch ({label})"] \
            if mode == "defer" else []
    rows, misses = [], []
    for name in results["meta"]["benchmarks"]:
        cells = [name, operations_run(results, name)]
        for mode, _ in MODES:
            e = efficiency(results, mode, name)
            if e is None:
                cells += ["-"] * (5 if mode == "defer" else 3)
                continue
            cells += [fmt(e["hypercalls"], 2), fmt(e["updates"], 1), fmt(e["per_hypercall"], 2)]
            if mode != "defer":
                continue
            per_batch = fmt(e["per_batch"], 1)
            miss = name in BATCHED_PATHS and (e["per_batch"] or 0) < BATCH_TARGET
            cells += [f"**{per_batch}**" if miss else per_batch, fmt_max(e["batch_max"])]
            if miss:
                misses.append(f"{name} ({per_batch})")
        rows.append(cells)
    out += table(header, rows) + [""]
    failures = results["shim"].get("failures", [])
    if failures:
        out += [f"{len(failures)} boots failed and were rerun (the figures come from the reruns):", ""]
        out += [f"- {failure}" for failure in failures] + [""]
    missing = results["shim"].get("missing", [])
    if missing:
        out += [f"Never completed in any attempt (shown as -): {', '.join(missing)}.", ""]
    out.append(f"Below target (bold): {'; '.join(misses)}." if misses else
               f"Every batched path averages at least {BATCH_TARGET} updates per batch.")
    return out + [""]


def latency_table(rows, what):
    header = [what, "count", "errors"] + [f"{b} us" for b in benchlib.LATENCY_BUCKETS] + ["avg us"]
    body = []
    for name, row in rows.items():
        total = row["count"] or 1
        body.append([f"`{name}`", row["count"], row["errors"]] +
                    [f"{n} ({100.0 * n / total:.1f}%)" for n in row["hist"]] + [f"{row['avg_us']:.2f}"])
    return table(header, body)


def ops_table(rows):
    header = ["hypercall", "total updates"] + [f"{b} per call" for b in benchlib.OPS_BUCKETS] + ["max per call", "avg"]
    return table(header, [[f"`{name}`", row["ops"]] + row["hist"] + [fmt_max(row.get("max")),
                                                                     f"{row['avg']:.2f}"]
                          for name, row in rows.items()])


def latency_section(results):
    out = ["## Table 3: per-operation latency", "",
           f"Host: {results['meta']['shim_host']}. The shim's `--stats`, summed over every boot "
           "of the mode (the empty one and one per benchmark): time the VMM spent per exit (count, histogram buckets with their share, "
           "average), then updates per notification hypercall (histogram, the most one carried, "
           "average), then the same latency per MMU operation inside them. These are wall-clock "
           "times on a shared machine: compare shapes, not digits.", ""]
    for mode, label in MODES:
        runs = results.get("shim", {}).get(mode, {})
        if not runs:
            out += [f"### {label}", "", "Not run.", ""]
            continue
        stats = benchlib.stats_sum([run["stats"] for run in runs.values()])
        if not stats["hypercall"]:
            out += [f"### {label}", "", "The shim counted no hypercalls in this boot.", ""]
            continue
        out += [f"### {label}", ""] + latency_table(stats["hypercall"], "hypercall") + [""]
        out += ops_table(stats["ops"]) + [""] + latency_table(stats["mmu"], "mmu operation") + [""]
        if stats["refused"]:
            out += [f"The shim refused {stats['refused']} hypercalls in these boots.", ""]
    return out


def kvm_column_label(run, rounds):
    label = KVM_RUN_LABELS.get(run["name"], run["name"])
    return f"{label}, round {run['round']}" if rounds > 1 else label


def exits_ratio(run, runs):
    """The run's total exits over the reference run's of its round; None
    when either counted none."""
    reference = next((r for r in runs if r["name"] == KVM_REFERENCE_RUN
                      and r["round"] == run["round"]), None)
    base = reference["stats"].get("exits") if reference else None
    exits = run["stats"].get("exits")
    return exits / base if exits is not None and base else None


def kvm_rows(measured):
    """Table 4's body: a row per KVM statistic ("-": not counted), then the
    exits ratio, the CPUs brought up and the workload's verdict, misses bold."""
    runs = measured["runs"]
    rows = [[stat] + [run["stats"].get(stat, "-") for run in runs] for stat in kvm_stats(measured)]
    kinds = [kind for kind in GUEST_IPI_LABELS if any(kind in run.get("guest_ipis", {}) for run in runs)]
    rows += [[GUEST_IPI_LABELS[kind]] + [run.get("guest_ipis", {}).get(kind, "-") for run in runs]
             for kind in kinds]
    ratios = [exits_ratio(run, runs) for run in runs]
    rows.append(["exits, ratio to no ROM"] + ["-" if r is None else f"{r:.2f}" for r in ratios])
    rows.append(["CPUs the guest brought up"] +
                [run["cpus"] if run["cpus"] == measured["smp"] else f"**{run['cpus']}**" for run in runs])
    rows.append([f"workload ({measured['workload']})"] +
                ["pass" if run["workload_pass"] else "**FAIL**" for run in runs])
    return rows


def kvm_section(results):
    out = ["## Table 4: KVM exits under stock QEMU/KVM", "",
           f"Host: {results['meta'].get('kvm_host', 'not recorded')}. The guest initramfs's "
           "workload under `qemu-system-x86_64 -enable-kvm -cpu host` in L1, three runs in one L1 "
           "boot (rom/kvm/exit-counts): the series' `bzImage` with `kvm.rom`, the same `bzImage` "
           "without a ROM, and Debian's stock cloud kernel with its own KVM guest support. "
           "The counts are KVM's own statistics of the whole run, read in L1 after the guest "
           "powered off: exact, but interrupt-driven counts (interrupts, interrupt windows, halts, "
           "injections) follow wall time, so the MMIO, I/O and hypercall counts are the stable ones.",
           ""]
    measured = results.get("kvm")
    error = results.get("errors", {}).get("kvm")
    if not measured:
        return out + ["Not run: " + (error or "no kvm results") + ".", ""]
    runs = measured["runs"]
    out += [f"Measured with `-smp {measured['smp']}` and `vmitest={measured['workload']}`; the "
            "ratio row divides each run's exits by those of the run without a ROM.", ""]
    header = ["KVM statistic"] + [kvm_column_label(run, measured["rounds"]) for run in runs]
    out += table(header, kvm_rows(measured)) + [""]
    out += ["The kernel's `vmi:` line per run:", ""]
    out += [f"- {kvm_column_label(run, measured['rounds'])}: "
            + (f"`vmi: {run['vmi']}`" if run["vmi"] is not None else "no `vmi:` line")
            for run in runs] + [""]
    if error:
        out += [f"Incomplete: {error}.", ""]
    return out


def audit_section(results):
    out = ["## Table 5: the shim's audit under a hostile guest", "",
           "`vmi-shim --audit` keeps a shadow of the guest's page tables and walks the live ones "
           "at every flush point, under one lock every vCPU waits on. Here the guest is hostile: "
           "every page of its RAM is a page table, it changes leaves without notifying, and its "
           "two vCPUs make flush-point hypercalls (empty `MMU_BATCH`) in turn "
           "(hypervisor-shim/tests/bench_audit.c, run on the host over the shim's own handlers); "
           "then every leaf of the tables the audit keeps changes before each flush point. "
           "Each call visits a bounded number of tables and carries the rest of its walk to the "
           "next; the audit keeps a bounded number of tables. Times are the CPU time of one call "
           "(what a vCPU waiting on the lock waits for); the wall time of this shared host is "
           "shown beside it.", ""]
    figures = results.get("audit")
    error = results.get("errors", {}).get("audit")
    if not figures:
        return out + ["Not run: " + (error or "no audit results") + ".", ""]
    worst = figures["flush_worst_ms"]
    missed = worst >= figures["target_ms"]
    worst_cell = f"**{worst:.2f} ms**" if missed else f"{worst:.2f} ms"
    found = f"{figures['differences']} of {figures['changed']}"
    rows = [
        ["guest RAM", f"{figures['ram_mib']} MiB"],
        ["page tables in it", str(figures["tables"])],
        ["tables the audit keeps, at most", str(figures["tables_kept"])],
        ["tables' worth of entries one call reads, at most", f"{figures['tables_per_call']} "
         f"(most tables entered: {figures['most_visits']})"],
        ["ACTIVATE, worst", f"{figures['activate_worst_ms']:.2f} ms"],
        ["flush-point hypercalls", str(figures["flush_calls"])],
        ["flush point, mean", f"{figures['flush_mean_ms']:.2f} ms"],
        ["flush point, 99th percentile", f"{figures['flush_p99_ms']:.2f} ms"],
        [f"flush point, worst (target {figures['target_ms']:.0f} ms)", worst_cell],
        ["flush point, worst wall time", f"{figures['flush_worst_wall_ms']:.2f} ms"],
        ["flush point while every kept leaf changes, worst",
         f"{figures['churn_worst_ms']:.2f} ms" if figures["churn_worst_ms"] < figures["target_ms"]
         else f"**{figures['churn_worst_ms']:.2f} ms**"],
        ["host memory of the audit", f"{figures['audit_mib']} MiB"],
        ["unnotified changes found", found if figures["differences"] == figures["changed"]
         else f"**{found}**"],
    ]
    out += table(["", "measured"], rows) + [""]
    if error:
        out += [f"Incomplete: {error}.", ""]
    return out


def header_section(results):
    meta = results["meta"]
    out = ["# Benchmark report", "", "Generated by `make bench` (tests/bench/). "
           "Instruction, hypercall and KVM exit counts, not seconds.", "",
           f"- commit: `{meta['commit']}`",
           f"- kernel: `{meta['kernel']['version']}` ({meta['kernel']['path']}, sha256 {meta['kernel']['sha256']})",
           f"- baseline: `{meta['baseline']['version']}` ({meta['baseline']['path']}, "
           f"sha256 {meta['baseline']['sha256']})"]
    for name, rom in meta["roms"].items():
        out.append(f"- ROM {name}: {rom['vendor']}/{rom['backend']} ABI {rom['abi']} "
                   f"rom_version {rom['rom_version']}, features {rom['features']} "
                   f"({rom['path']}, sha256 {rom['sha256']})")
    out += [f"- native host: {meta['native_host']}", f"- shim host: {meta['shim_host']}"]
    # Results from before Table 4 have no KVM host.
    out += [f"- kvm host: {meta['kvm_host']}"] if "kvm_host" in meta else []
    out.append("")
    for part, error in sorted(results.get("errors", {}).items()):
        out += [f"**The {part} runs failed:** {error}", ""]
    return out


def render(results):
    parity_plot = ["![parity](parity.png)", ""] if results.get("native") else []
    batching_plot = [] if not results.get("shim") else ["![batching](batching.png)", ""] \
        if batching_rows(results) else ["No batching plot: no page-table notification hypercalls were counted.", ""]
    lines = header_section(results) + native_section(results) + parity_plot + \
        shim_section(results) + batching_plot + latency_section(results) + kvm_section(results) + \
        audit_section(results)
    return "\n".join(lines) + "\n"


BATCHING_SERIES = [("defer", "per_hypercall", "deferred on, per notification hypercall"),
                   ("defer", "per_batch", "deferred on, per MMU_BATCH"),
                   ("nodefer", "per_hypercall", "deferred off, per notification hypercall")]


def batching_rows(results):
    """(benchmark, [updates per hypercall per BATCHING_SERIES]); [] when none has any."""
    rows = []
    for name in results["meta"]["benchmarks"]:
        values = []
        for mode, key, _ in BATCHING_SERIES:
            e = efficiency(results, mode, name)
            values.append(e[key] if e else None)
        rows.append((name, values))
    return rows if any(v is not None for _, values in rows for v in values) else []


def write_plots(results, outdir):
    """The plots the data exists for; their paths."""
    written = []
    if results.get("native"):
        vmi_off = results["meta"]["vmi_off"]
        rows = [(row["name"], [row["columns"][config][1] for config, _ in NATIVE_COLUMNS])
                for row in parity_rows(results)]
        labels = [label.format(vmi_off=vmi_off).replace("`", "") for _, label in NATIVE_COLUMNS]
        written.append(plots.write_parity(rows, labels, PARITY_LIMIT, outdir))
    if results.get("shim") and batching_rows(results):
        written.append(plots.write_batching(batching_rows(results), [s[2] for s in BATCHING_SERIES],
                                            BATCH_TARGET, XEN_MULTICALL_BATCH, outdir))
    return written


def main():
    parser = argparse.ArgumentParser(description="Writes the benchmark report.")
    parser.add_argument("results")
    parser.add_argument("outdir")
    parser.add_argument("--no-plots", action="store_true")
    args = parser.parse_args()
    try:
        with open(args.results) as f:
            results = json.load(f)
        text = render(results)
    except (OSError, ValueError, KeyError, benchlib.BenchError) as e:
        sys.exit(f"report: cannot report {args.results}: {type(e).__name__}: {e}")
    os.makedirs(args.outdir, exist_ok=True)
    path = os.path.join(args.outdir, "report.md")
    with open(path, "w") as f:
        f.write(text)
    if not args.no_plots:
        try:
            written = write_plots(results, args.outdir)
        except (OSError, subprocess.CalledProcessError) as e:
            sys.exit(f"report: gnuplot failed: {e}")
        text += "\nPlots: " + ", ".join(os.path.relpath(p) for p in written) + "\n"
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
