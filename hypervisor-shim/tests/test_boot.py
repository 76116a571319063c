#!/usr/bin/env python3
"""Boots real guests on real KVM through tests/testhost/run-shim, one batch
(one test-host boot) for every run, then checks each run's console and exit
status:

- Debian's stock cloud kernel with a busybox initramfs: power-off, --smp 2,
  reboot, panic, and with the shim ROM reserved in the e820 map;
- the shim's PVH test guest: hypercall checks (good and hostile calls),
  --audit catching an unnotified PTE write, --stats tables, debug exit,
  SHUTDOWN and REBOOT hypercalls, triple fault;
- the test guest's hostile-guest tests (HOSTILE), one run each in a batch
  of their own: hypercalls from ring 3, string I/O to the hypercall port,
  a console flood under --console-limit, VMM writes behind read-only
  entries, across the end of RAM and past 2^64, MMU_BATCH records there,
  page-table cycles under --audit, and a second vCPU rewriting records and
  tables while the first one makes hypercalls. Each prints one line,
  "hostile NAME: SUCCESS" or "hostile NAME: FAILURE: ...", and ends with a
  debug exit; a run without that line crashed.

Usage: test_boot.py SHIM STOCK_KERNEL INITRAMFS TEST_GUEST [ROM]
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

from shimtest import EXIT, PLATFORM, TOP, Results, debug_exit_status

LINUX_APPEND = "console=ttyS0 quiet panic=-1"
DEBUG_VALUE = 42


def linux_runs(kernel, initramfs, rom):
    base = ["--kernel", kernel, "--initrd", initramfs, "-m", "256"]
    runs = {
        "linux poweroff": base + ["--append", f"{LINUX_APPEND} shimtest=poweroff"],
        "linux smp 2": base + ["--smp", "2", "--append", f"{LINUX_APPEND} shimtest=poweroff"],
        "linux reboot": base + ["--append", f"{LINUX_APPEND} shimtest=reboot"],
        "linux panic": base + ["--append", f"{LINUX_APPEND} shimtest=panic"],
    }
    if rom:
        runs["linux with rom"] = base + ["--rom", rom, "--append", f"{LINUX_APPEND} shimtest=poweroff"]
    return runs


def guest_runs(guest):
    base = ["--kernel", guest, "-m", "64"]
    return {
        "guest checks": base + ["--append", "mode=checks"],
        "guest audit": base + ["--audit", "--stats", "--append", "mode=checks"],
        "guest debug exit": base + ["--append", f"mode=exit:{DEBUG_VALUE}"],
        "guest shutdown": base + ["--append", "mode=shutdown"],
        "guest reboot": base + ["--append", "mode=reboot"],
        "guest triple fault": base + ["--append", "mode=triple-fault"],
    }


AUDIT_SUMMARY = r"audit: (\d+) unnotified page-table changes in (\d+) checks"
CONSOLE_LIMIT = 32 * 1024    # the guest floods 256 KiB


class Hostile:
    """One hostile test: mode=hostile:NAME with these shim options. The
    guest must print "hostile NAME: <result>" (result None: its line is past
    the console cap, so only the debug-exit status reports) and end with
    debug exit 0; stderr must show one line matching each of `stderr`; the
    run's output must be `output` (min, max) bytes long."""

    def __init__(self, name, options=(), result="SUCCESS", stderr=(), output=None):
        self.name, self.options, self.result = name, list(options), result
        self.stderr, self.output = list(stderr), output


HOSTILE = [
    Hostile("cpl3-hypercall"),
    Hostile("rep-outs-hypercall", stderr=["string I/O writes to the hypercall port refused"]),
    # Past the cap only the last CONSOLE_TAIL (4 KiB) are kept, printed at
    # the end: the result line is among them.
    Hostile("console-flood", ["--console-limit", f"{CONSOLE_LIMIT // 1024}K"],
            stderr=["console output reached its limit", "bytes past the console limit"],
            output=(CONSOLE_LIMIT, CONSOLE_LIMIT + 2 * 4096)),
    Hostile("wallclock-readonly"),
    Hostile("wallclock-end-of-ram"),
    Hostile("wallclock-wrap"),
    Hostile("records-end-of-ram"),
    Hostile("records-wrap"),
    Hostile("pt-cycles", ["--audit"], stderr=[AUDIT_SUMMARY]),
    Hostile("smp-rewrite", ["--smp", "2", "--audit"], stderr=[AUDIT_SUMMARY]),
]


def hostile_runs(guest):
    return {f"hostile {t.name}": ["--kernel", guest, "-m", "64", *t.options,
                                  "--append", f"mode=hostile:{t.name}"] for t in HOSTILE}


# Every run here takes seconds; a run still going after this many is hung.
RUN_TIMEOUT = "180"


def run_batch(runs, overrides=None):
    """{name: (status, console)}; status None when the run never ended."""
    env = dict(os.environ)
    env.setdefault("TESTHOST_RUN_TIMEOUT", RUN_TIMEOUT)
    env.update(overrides or {})
    with tempfile.TemporaryDirectory(prefix="shim-boot-") as tmp:
        batch = os.path.join(tmp, "batch")
        with open(batch, "w") as f:
            for args in runs.values():
                f.write(shlex.join(args) + "\n")
        outdir = os.path.join(tmp, "out")
        subprocess.run([os.path.join(TOP, "tests", "testhost", "run-shim"), "--batch", batch,
                        "--outdir", outdir], check=False, env=env)
        return {name: read_run(outdir, n) for n, name in enumerate(runs)}


def read_run(outdir, n):
    text, status = "", None
    try:
        with open(os.path.join(outdir, f"{n}.out"), errors="replace") as f:
            text = f.read()
        with open(os.path.join(outdir, f"{n}.status")) as f:
            status = int(f.read())
    except (OSError, ValueError):
        pass
    return status, text


def hung(status):
    return status is None or status in (EXIT["SHIM_EXIT_STOPPED"], 128 + 9)


def run_with_one_retry(runs):
    """The nested test host (KVM inside an emulator) has been seen to hang a
    guest that never touches the shim's hypercalls, once in many hundred
    runs. A hung run is reported with the vCPU state the shim printed, then
    run once more; a second hang fails its check."""
    out = run_batch(runs)
    again = {name: runs[name] for name, (status, _) in out.items() if hung(status)}
    for name in again:
        status, text = out[name]
        state = [l for l in text.splitlines() if l.startswith("vmi-shim:")]
        print(f"# {name} hung (status {status}); run again. " + " | ".join(state[-4:]))
    if again:
        out.update(run_batch(again))
    return out


def stopped_run(guest):
    """A guest that never ends, stopped by the runner's SIGTERM after a few
    seconds: its own short batch, since the limit is per batch."""
    env = {"TESTHOST_RUN_TIMEOUT": "5"}
    return run_batch({"guest hang": ["--kernel", guest, "-m", "64", "--stats",
                                     "--append", "mode=hang"]}, env)


def check_stopped(results, out):
    status, text = out["guest hang"]
    state = re.search(r"vmi-shim: vCPU 0 runnable: rip (0x[0-9a-f]+) .* code ([0-9a-f]+)", text)
    results.check(status == EXIT["SHIM_EXIT_STOPPED"] and "stopped by" in text,
                  "SIGTERM stops a hung guest with its own status", f"status {status}")
    # The hang loop is `cli; pause; jmp .-5`: fa, f3 90, eb fb.
    results.check(bool(state) and state[2].startswith(("fa", "f390", "ebfb")),
                  "the stopped guest's vCPU state shows the code it spins in",
                  state[0] if state else "no vCPU state line")
    results.check(re.search(r"stats: ", text) is not None,
                  "a stopped guest still gets its --stats tables")


def check_linux(results, out, rom):
    status, text = out["linux poweroff"]
    results.check(status == EXIT["SHIM_EXIT_POWEROFF"] and "SHIM-TEST-MARKER cpus=1" in text,
                  "stock kernel prints its marker and powers off", f"status {status}")
    status, text = out["linux smp 2"]
    results.check(status == EXIT["SHIM_EXIT_POWEROFF"] and "SHIM-TEST-MARKER cpus=2" in text,
                  "stock kernel with --smp 2 sees 2 CPUs", f"status {status}")
    status, text = out["linux reboot"]
    results.check(status == EXIT["SHIM_EXIT_REBOOT"] and "SHIM-TEST-MARKER" in text,
                  "stock kernel reboot ends with the reboot status", f"status {status}")
    status, text = out["linux panic"]
    results.check(status == EXIT["SHIM_EXIT_PANIC"] and "Kernel panic" in text,
                  "stock kernel panic ends with the panic status", f"status {status}")
    if rom:
        status, text = out["linux with rom"]
        size = (os.path.getsize(rom) + 0xFFF) & ~0xFFF
        start = PLATFORM["VMI_PLATFORM_SHIM_ROM_GPA"]
        line = f"SHIM-TEST-IOMEM {start:08x}-{start + size - 1:08x} : Reserved"
        results.check(status == EXIT["SHIM_EXIT_POWEROFF"] and line in text,
                      "the ROM range is reserved in the guest's e820 map", f"no '{line}'")


def check_guest(results, out):
    status, text = out["guest checks"]
    results.check(status == debug_exit_status(0) and "checks passed" in text,
                  "hypercall checks, hostile calls refused, VMM keeps running",
                  f"status {status}; " + "; ".join(l for l in text.splitlines() if "not ok" in l))
    results.check("audit:" not in text, "no audit output without --audit")
    status, text = out["guest audit"]
    gpa = re.search(r"unnotified pte at gpa (\d+)", text)
    reported = gpa and re.search(rf"audit: unnotified change at gpa {int(gpa[1]):#x} ", text)
    summary = re.search(r"audit: (\d+) unnotified page-table changes in (\d+) checks", text)
    results.check(status == debug_exit_status(0) and bool(reported),
                  "--audit reports the unnotified PTE write with its address", f"status {status}")
    results.check(bool(summary) and summary[1] == "1" and int(summary[2]) >= 2,
                  "--audit counts exactly that write (the notified one is not reported)",
                  summary[0] if summary else "no summary line")
    results.check(re.search(r"stats: MMU_BATCH\s+\d+\s+\d+", text) is not None and
                  re.search(r"stats: set_pte\s+\d+", text) is not None and
                  "ops per hypercall" in text, "--stats prints the hypercall and MMU tables")
    expected = {
        "guest debug exit": debug_exit_status(DEBUG_VALUE),
        "guest shutdown": EXIT["SHIM_EXIT_POWEROFF"],
        "guest reboot": EXIT["SHIM_EXIT_REBOOT"],
        "guest triple fault": EXIT["SHIM_EXIT_TRIPLE_FAULT"],
    }
    for name, want in expected.items():
        status, _ = out[name]
        results.check(status == want, f"{name} ends with status {want}", f"status {status}")
    _, text = out["guest triple fault"]
    results.check(re.search(r"vmi-shim: vCPU 0 (reset|\w+: rip 0x[0-9a-f]+ .* cr3 )", text)
                  is not None, "a triple fault reports the vCPU's state")


def hostile_problems(test, status, text):
    """What is wrong with one hostile run, [] when nothing."""
    result = re.search(rf"^hostile {re.escape(test.name)}: (SUCCESS|FAILURE.*)$", text, re.M)
    if test.result and not result:
        state = [l for l in text.splitlines() if l.startswith("vmi-shim:")]
        return [f"crashed (status {status})"] + state[-3:]
    problems = []
    if result and result[1] != (test.result or "SUCCESS"):
        problems.append(result[1])
    if status != debug_exit_status(0):
        problems.append(f"status {status}, want {debug_exit_status(0)} (debug exit 0)")
    for pattern in test.stderr:
        lines = [l for l in text.splitlines() if re.search(pattern, l)]
        if len(lines) != 1:
            problems.append(f"{len(lines)} lines matching '{pattern}', want 1")
    if test.output and not test.output[0] <= len(text) <= test.output[1]:
        problems.append(f"{len(text)} bytes of output, want {test.output[0]} to {test.output[1]}")
    return problems


def check_hostile(results, out):
    for test in HOSTILE:
        status, text = out[f"hostile {test.name}"]
        problems = hostile_problems(test, status, text)
        results.check(not problems, f"hostile {test.name}", "; ".join(problems))


def main():
    shim, kernel, initramfs, guest = sys.argv[1:5]
    rom = sys.argv[5] if len(sys.argv) > 5 and os.path.exists(sys.argv[5]) else None
    os.environ["SHIM"] = shim
    results = Results()
    statuses = [EXIT[k] for k in ("SHIM_EXIT_POWEROFF", "SHIM_EXIT_REBOOT", "SHIM_EXIT_PANIC",
                                  "SHIM_EXIT_TRIPLE_FAULT", "SHIM_EXIT_USAGE", "SHIM_EXIT_INTERNAL",
                                  "SHIM_EXIT_TESTHOST", "SHIM_EXIT_STOPPED")]
    statuses.append(debug_exit_status(DEBUG_VALUE))
    results.check(len(set(statuses)) == len(statuses), "exit statuses are distinct")
    runs = {**linux_runs(kernel, initramfs, rom), **guest_runs(guest)}
    out = run_with_one_retry(runs)
    check_linux(results, out, rom)
    check_guest(results, out)
    hostile = run_with_one_retry(hostile_runs(guest))
    check_hostile(results, hostile)
    out.update(hostile)
    stopped = stopped_run(guest)
    check_stopped(results, stopped)
    out.update(stopped)
    for name, (status, text) in out.items():
        if status is None:
            results.check(False, f"{name} ran")
    if results.failed:
        for name, (status, text) in out.items():
            print(f"--- {name}: status {status}\n{text[-3000:]}")
    return results.summary()


if __name__ == "__main__":
    sys.exit(main())
