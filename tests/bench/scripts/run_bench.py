#!/usr/bin/env python3
"""Runs the benchmark boots and records what the report needs.

    run_bench.py --out DIR --kernel BZIMAGE --baseline BZIMAGE --initrd FILE
                 --native-rom ROM --shim-rom ROM --nodefer-rom ROM --kvm-rom ROM
                 --romtool TOOL --bench-audit TOOL [--vmi-off PARAM]
                 [--only native|shim|kvm|audit]

--only runs one part and keeps the other parts' figures from the last
results.json when that run used the same kernels and ROMs.

Native: QEMU TCG with -icount shift=0 (one nanosecond of guest time per
guest instruction), one boot per configuration, every benchmark in it.
Everything that could differ between two runs is pinned (no RDRAND, the
RTC on the virtual clock from a fixed date, no address randomization), so
the counts repeat exactly.

Shim: tests/testhost/run-shim --batch, one boot per benchmark and one that
runs none, for each ROM (deferred on and off), with the guest's smaller
"hypervisor" operation counts; the report subtracts the empty boot's
counts, and sums every boot of a mode for Table 3.

KVM: rom/kvm/exit-counts --json, the guest workload under stock QEMU/KVM
with kvm.rom, without a ROM and with Debian's cloud kernel, KVM's own
statistics of each run (one L1 boot of the test host) for Table 4.

Audit: the shim's bench-audit on the host, its --audit under a hostile
guest (every page a page table) of 1 GiB: time per flush-point hypercall
and the audit's memory, for Table 5.

Writes DIR/raw/ (every console, the exit counts' JSON), DIR/results.json.
A part (native, shim, kvm, audit) that fails is recorded in results.json with one
line naming the run and what was wrong; the other parts still run; the
exit status is then 1.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(TOP, "hypervisor-shim", "tests"))
import benchlib  # noqa: E402
from shimtest import EXIT as SHIM_EXIT  # noqa: E402  the shim's exit statuses

INIT = os.path.join(HERE, "..", "initramfs", "init")
EXIT_COUNTS = os.path.join(TOP, "rom", "kvm", "exit-counts")
BASE_APPEND = "console=ttyS0 nokaslr norandmaps panic=-1 quiet"
GUEST_MEMORY = "512M"
# The report's parts, in the order they run.
PARTS = ("native", "shim", "kvm", "audit")
AUDIT_RAM_MIB = 1024
NATIVE_TIMEOUT = 900
QEMU_NATIVE = ["qemu-system-x86_64", "-accel", "tcg", "-icount", "shift=0,align=off,sleep=off",
               "-cpu", "max,-rdrand,-rdseed", "-smp", "1", "-m", GUEST_MEMORY,
               "-rtc", "base=2024-01-01T00:00:00,clock=vm", "-nographic", "-no-reboot",
               "-nodefaults", "-serial", "stdio"]


def benchmark_names():
    """The benchmark table of the guest's /init, in its order."""
    with open(INIT) as f:
        table = re.search(r'benchmarks="\n(.*?)\n"', f.read(), re.S)
    if not table:
        raise benchlib.BenchError(f"{INIT}: no benchmarks table")
    return [line.split()[0] for line in table[1].splitlines() if line.strip()]


# What the kernel's first "vmi:" line (guest-linux/README.md) must say in
# each configuration, so no column is mislabelled; None: no such line.
VMI_LINE_NATIVE_ROM = r"^vmi: \S+ native ROM, ABI"
VMI_LINE_NO_ROM = r"^vmi: no ROM found"
VMI_LINE_OFF = r"^vmi: disabled by "
VMI_LINE_SHIM_ROM = r"^vmi: \S+ shim ROM, ABI"


def native_configs(args):
    """(name, kernel, rom or None, extra command line, expected vmi line) per column."""
    return [
        ("baseline", args.baseline, None, "", None),
        # Control: the baseline with the ROM present changes only the memory
        # map, which shows how far layout alone moves the counts.
        ("baseline-rom", args.baseline, args.native_rom, "", None),
        ("vmi-norom", args.kernel, None, "", VMI_LINE_NO_ROM),
        ("vmi-native", args.kernel, args.native_rom, "", VMI_LINE_NATIVE_ROM),
        ("vmi-off", args.kernel, args.native_rom, args.vmi_off, VMI_LINE_OFF),
    ]


def check_vmi_line(run, expected, where):
    """Refuses a run whose kernel did not do what its column says."""
    line = run["info"].get("vmi", "").replace("_", " ")
    if expected is None and line:
        raise benchlib.BenchError(f"{where}: the baseline kernel logged '{line}'")
    if expected is not None and not re.search(expected, line):
        raise benchlib.BenchError(f"{where}: kernel logged '{line or 'no vmi: line'}', "
                                  f"expected /{expected}/")


def run_native_one(config, initrd, rawdir):
    name, kernel, rom, extra, expected_vmi = config
    command = QEMU_NATIVE + ["-kernel", kernel, "-initrd", initrd,
                             "-append", f"{BASE_APPEND} {extra} bench=all".replace("  ", " ")]
    if rom:
        command += ["-option-rom", rom]
    log = os.path.join(rawdir, f"native-{name}.log")
    try:
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=NATIVE_TIMEOUT)
        output = proc.stdout
    except subprocess.TimeoutExpired as e:
        output = (e.stdout or b"") + f"\n(killed after {NATIVE_TIMEOUT} s)\n".encode()
    with open(log, "wb") as f:
        f.write(b"# " + shlex.join(command).encode() + b"\n" + output)
    run = benchlib.parse_console(output.decode(errors="replace"), os.path.relpath(log))
    benchlib.require_complete(run, os.path.relpath(log), benchmark_names())
    check_vmi_line(run, expected_vmi, os.path.relpath(log))
    return name, {"command": shlex.join(command), "info": run["info"], "results": run["results"]}


def run_native(args, rawdir):
    jobs = max(1, min(2, int(os.environ.get("BENCH_JOBS", "2"))))
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        done = list(pool.map(lambda c: run_native_one(c, args.initrd, rawdir), native_configs(args)))
    for name, run in done:
        print(f"bench: native {name}: {len(run['results'])} benchmarks", flush=True)
    return dict(done)


def shim_plan(args):
    """(mode, selection, argument list) per shim run, in batch order."""
    plan = []
    for mode, rom in (("defer", args.shim_rom), ("nodefer", args.nodefer_rom)):
        for selection in ["none"] + benchmark_names():
            argv = ["--kernel", args.kernel, "--initrd", args.initrd, "--rom", rom,
                    "-m", GUEST_MEMORY, "--stats",
                    "--append", f"{BASE_APPEND} benchcounts=hypervisor bench={selection}"]
            plan.append((mode, selection, argv))
    return plan


# Boots a run-shim batch may take: a boot with its benchmark takes well
# under a minute on the nested host; one that hangs is killed after this.
SHIM_RUN_TIMEOUT = "300"
# Batches: the first, then reruns of the boots that failed in it.
SHIM_ATTEMPTS = 3


def run_shim_batch(plan, pending, rawdir, attempt):
    """Runs the pending boots of plan as one batch; their outputs' directory."""
    outdir = os.path.join(rawdir, "shim", f"try{attempt}")
    os.makedirs(outdir, exist_ok=True)
    batch = os.path.join(rawdir, f"shim-batch-try{attempt}.txt")
    with open(batch, "w") as f:
        f.writelines(shlex.join(plan[n][2]) + "\n" for n in pending)
    env = dict(os.environ,
               TESTHOST_RUN_TIMEOUT=os.environ.get("TESTHOST_RUN_TIMEOUT", SHIM_RUN_TIMEOUT))
    status = subprocess.call([os.path.join(TOP, "tests", "testhost", "run-shim"),
                              "--batch", batch, "--outdir", outdir], env=env)
    # A test host that failed part-way (L1 stuck or killed) still leaves the
    # boots it finished; the others read as failed and are run again.
    if status != 0:
        print(f"run_bench: run-shim --batch {os.path.relpath(batch)} failed with status "
              f"{status}; the boots it did not finish are run again", file=sys.stderr)
    return outdir


def run_shim(args, rawdir):
    """Every boot of the plan; a boot that fails is rerun (up to
    SHIM_ATTEMPTS batches) and each failure is recorded for the report."""
    plan = shim_plan(args)
    runs, failures = {"defer": {}, "nodefer": {}}, []
    pending = list(range(len(plan)))
    for attempt in range(SHIM_ATTEMPTS):
        if not pending:
            break
        outdir = run_shim_batch(plan, pending, rawdir, attempt)
        still = []
        for index, n in enumerate(pending):
            mode, selection, argv = plan[n]
            try:
                runs[mode][selection] = read_shim_run(outdir, index, mode, selection, argv)
            except benchlib.BenchError as e:
                failures.append(str(e))
                still.append(n)
        pending = still
    if len(pending) == len(plan):
        raise benchlib.BenchError(f"every shim boot failed {SHIM_ATTEMPTS} times; the last: {failures[-1]}")
    # What did run is reported; a benchmark whose boot never completed shows "-".
    print(f"bench: shim: {len(plan)} boots, {len(failures)} failures, "
          f"{len(pending)} never completed", flush=True)
    runs["failures"] = failures
    runs["missing"] = [f"{plan[n][0]} bench={plan[n][1]}" for n in pending]
    return runs


def read_shim_run(outdir, n, mode, selection, argv):
    out = os.path.join(outdir, f"{n}.out")
    where = f"{os.path.relpath(out)} ({mode}, bench={selection})"
    try:
        with open(out, errors="replace") as f:
            text = f.read()
        with open(os.path.join(outdir, f"{n}.status")) as f:
            status = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        raise benchlib.BenchError(f"{where}: no output or status (the test host ended early)") from None
    # The guest ends with a reset: status 4; a power-off would be 0.
    if status in (137, SHIM_EXIT["SHIM_EXIT_STOPPED"]):
        state = " | ".join(l for l in text.splitlines() if re.match(r"vmi-shim: vCPU \d", l))
        raise benchlib.BenchError(f"{where}: hung, stopped after {SHIM_RUN_TIMEOUT} s "
                                  f"({len(text.splitlines())} console lines) {state}")
    if status not in (0, 4):
        raise benchlib.BenchError(f"{where}: the shim exited with status {status}")
    run = benchlib.parse_console(text, where)
    expected = [] if selection == "none" else [selection]
    benchlib.require_complete(run, where, expected)
    check_vmi_line(run, VMI_LINE_SHIM_ROM, where)
    stats = benchlib.parse_stats(text, where)
    if not stats["present"]:
        raise benchlib.BenchError(f"{where}: no --stats output (the shim did not finish?)")
    return {"args": shlex.join(argv), "status": status, "info": run["info"],
            "results": run["results"], "stats": stats}


# What exit-counts boots, whatever --kernel says (it takes no paths).
KVM_KERNEL = os.path.join(TOP, "build", "guest", "bzImage")
KVM_ROM = os.path.join(TOP, "build", "rom", "kvm.rom")


class PartFailed(benchlib.BenchError):
    """A part that measured something but not all it should: the figures
    go into the report beside the failure."""

    def __init__(self, message, figures):
        super().__init__(message)
        self.figures = figures


def check_kvm_inputs(args):
    """Refuses to label Table 4 with a kernel or ROM other than the ones it boots."""
    for option, given, booted in (("--kernel", args.kernel, KVM_KERNEL),
                                  ("--kvm-rom", args.kvm_rom, KVM_ROM)):
        if not (os.path.isfile(booted) and os.path.samefile(given, booted)):
            raise benchlib.BenchError(f"{os.path.relpath(EXIT_COUNTS, TOP)} boots "
                                      f"{os.path.relpath(booted, TOP)}, not {option} {given}")


def run_passing_stderr(command):
    """Runs command with its stderr shown as it comes; (status, its last line),
    so a failure's own explanation reaches results.json."""
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, errors="replace")
    last = ""
    for line in proc.stderr:
        sys.stderr.write(line)
        last = line.strip() or last
    return proc.wait(), last


def failed_kvm_runs(measured):
    """Runs without KVM statistics or whose workload failed, named."""
    return [f"{run['name']}{'' if run['stats'] else ' (no KVM statistics)'}"
            f"{'' if run['workload_pass'] else ' (workload failed)'}"
            for run in measured["runs"] if not run["stats"] or not run["workload_pass"]]


def read_kvm_results(path, status, last_error):
    """The exit counts exit-counts wrote, or why there are none; runs that
    failed keep their figures (PartFailed)."""
    script = os.path.relpath(EXIT_COUNTS, TOP)
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        raise benchlib.BenchError(f"{script} failed with status {status}: "
                                  f"{last_error or 'no message'}") from None
    measured = benchlib.parse_exit_counts(text, os.path.relpath(path))
    failed = failed_kvm_runs(measured)
    if failed:
        raise PartFailed(f"{script}: {', '.join(failed)}", measured)
    if status != 0:
        raise PartFailed(f"{script} ended with status {status}: {last_error or 'no message'}", measured)
    return measured


def run_kvm(args, rawdir):
    check_kvm_inputs(args)
    path = os.path.join(rawdir, "kvm-exit-counts.json")
    status, last_error = run_passing_stderr(
        # Its defaults are Table 4's runs (the JSON names them).
        [EXIT_COUNTS, "--json", path])
    measured = read_kvm_results(path, status, last_error)
    print(f"bench: kvm: {len(measured['runs'])} runs", flush=True)
    return measured


def read_audit_results(text, status):
    """Table 5's figures from bench-audit's BENCH-AUDIT line."""
    found = re.findall(r"^BENCH-AUDIT (\{.*\})$", text, re.M)
    if len(found) != 1:
        raise benchlib.BenchError(f"bench-audit printed {len(found)} BENCH-AUDIT lines, not 1 "
                                  f"(exit status {status})")
    try:
        figures = json.loads(found[0])
    except ValueError as e:
        raise benchlib.BenchError(f"bench-audit's BENCH-AUDIT line is not JSON: {e}") from e
    if status != 0:
        raise PartFailed(f"bench-audit exited {status}: the audit broke its bound or missed a "
                         "change", figures)
    return figures


def run_audit(args, rawdir):
    proc = subprocess.run([args.bench_audit, str(AUDIT_RAM_MIB)], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace")
    with open(os.path.join(rawdir, "audit.txt"), "w") as f:
        f.write(proc.stdout)
    figures = read_audit_results(proc.stdout, proc.returncode)
    print(f"bench: audit: worst flush point {figures['flush_worst_ms']} ms", flush=True)
    return figures


def file_identity(path):
    with open(path, "rb") as f:
        data = f.read()
    # Files outside the tree are named by their base name only.
    inside = os.path.relpath(path, TOP)
    shown = os.path.basename(path) if inside.startswith("..") else inside
    return {"path": shown, "sha256": hashlib.sha256(data).hexdigest()[:16],
            "bytes": len(data)}


def rom_identity(romtool, path):
    info = file_identity(path)
    text = subprocess.run([romtool, "info", path], stdout=subprocess.PIPE, text=True).stdout
    for key in ("abi", "vendor", "backend", "rom_version", "features"):
        m = re.search(rf"^{key}:\s*(.*)$", text, re.M)
        info[key] = m[1].strip() if m else "?"
    return info


def kernel_identity(path):
    info = file_identity(path)
    with open(path, "rb") as f:
        info["version"] = benchlib.kernel_version(f.read(), path)
    return info


def git(*argv):
    proc = subprocess.run(["git", "-C", TOP] + list(argv), stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def host_cpu():
    """(this machine's CPU model, whether it offers hardware virtualization)."""
    with open("/proc/cpuinfo") as f:
        cpuinfo = f.read()
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    real = re.search(r"^flags\s*:.*\b(vmx|svm)\b", cpuinfo, re.M)
    return (model[1].strip() if model else platform.machine()), bool(real)


def nested_host_kind(model, l1):
    return f"nested test host: QEMU TCG -cpu max (L0) on {model}, {l1} (L1), guest in L2"


def shim_host_kind():
    model, real = host_cpu()
    if real and os.environ.get("TESTHOST_NESTED") != "1":
        return f"KVM on {model}"
    return nested_host_kind(model, "Linux KVM")


def kvm_host_kind():
    # exit-counts always runs on the nested test host, even where this
    # machine has KVM itself: it reads KVM's statistics from L1's debugfs.
    model, _ = host_cpu()
    return nested_host_kind(model, "Linux KVM, stock QEMU")


def metadata(args):
    qemu = subprocess.run(["qemu-system-x86_64", "--version"], stdout=subprocess.PIPE,
                          text=True).stdout.splitlines()
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    return {
        "commit": (git("rev-parse", "--short=12", "HEAD") or "unknown") + ("-dirty" if dirty else ""),
        "kernel": kernel_identity(args.kernel),
        "baseline": kernel_identity(args.baseline),
        "roms": {name: rom_identity(args.romtool, path) for name, path in
                 (("native", args.native_rom), ("shim", args.shim_rom), ("shim-nodefer", args.nodefer_rom),
                  ("kvm", args.kvm_rom))},
        "native_host": f"{qemu[0] if qemu else 'QEMU'}, TCG, -icount shift=0 (1 ns = 1 guest instruction)",
        "shim_host": shim_host_kind(),
        "kvm_host": kvm_host_kind(),
        "vmi_off": args.vmi_off,
        "benchmarks": benchmark_names(),
    }


def parse_args():
    parser = argparse.ArgumentParser(description="Runs the benchmark boots.")
    for name in ("out", "kernel", "baseline", "initrd", "native-rom", "shim-rom", "nodefer-rom",
                 "kvm-rom", "romtool", "bench-audit"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--vmi-off", default="vmi=off", help="kernel parameter that disables the interface")
    parser.add_argument("--only", choices=PARTS)
    args = parser.parse_args()
    for name in ("kernel", "baseline", "initrd", "native_rom", "shim_rom", "nodefer_rom", "kvm_rom",
                 "romtool", "bench_audit"):
        path = getattr(args, name)
        if not os.path.isfile(path):
            parser.exit(1, f"run_bench: --{name.replace('_', '-')} {path} does not exist (run make guest / make rom)\n")
    return args


def previous_results(path, meta):
    """The last results.json, when it was made from the same kernels and ROMs."""
    try:
        with open(path) as f:
            previous = json.load(f)
    except (OSError, ValueError):
        return None
    same = all(previous.get("meta", {}).get(key) == meta[key] for key in ("kernel", "baseline", "roms"))
    if not same:
        print("bench: the last results came from other kernels or ROMs; not kept", flush=True)
    return previous if same else None


def keep_other_parts(results, previous, only):
    """--only reran one part: every other part's figures, and its failure
    if it had one, come from the previous results (a part the previous run
    did not have stays empty)."""
    for part in PARTS:
        if part == only:
            continue
        results[part] = previous.get(part, {})
        if part in previous.get("errors", {}):
            results["errors"][part] = previous["errors"][part]
    return results


def clear_raw(rawdir, part):
    for name in os.listdir(rawdir):
        if name.startswith(part):
            path = os.path.join(rawdir, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)


def main():
    args = parse_args()
    rawdir = os.path.join(args.out, "raw")
    os.makedirs(rawdir, exist_ok=True)
    path = os.path.join(args.out, "results.json")
    results = {"meta": metadata(args), **{part: {} for part in PARTS}, "errors": {}}
    runners = {"native": run_native, "shim": run_shim, "kvm": run_kvm, "audit": run_audit}
    for part in PARTS:
        if args.only not in (None, part):
            continue
        clear_raw(rawdir, part)
        # A failed part is recorded and reported; the other parts still run.
        try:
            results[part] = runners[part](args, rawdir)
        except benchlib.BenchError as e:
            results[part] = e.figures if isinstance(e, PartFailed) else {}
            results["errors"][part] = str(e)
            print(f"run_bench: {part}: {e}", file=sys.stderr)
    # --only reran one part: keep the others from the last results.json
    # (read now, so a run of another part that ended meanwhile counts).
    previous = previous_results(path, results["meta"]) if args.only else None
    if previous:
        keep_other_parts(results, previous, args.only)
    with open(path, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    print(f"bench: results in {os.path.relpath(path)}")
    sys.exit(1 if results["errors"] else 0)


if __name__ == "__main__":
    main()
