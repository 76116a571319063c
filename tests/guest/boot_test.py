#!/usr/bin/env python3
"""Boot tests of the VMI guest kernel: one bzImage, many environments.

    boot_test.py SET [SET...]

Sets: native, native-rom, shim-rom-emulated, vmi-off, corpus, skew,
baseline, shim. Each case boots the kernel, reads the kernel's "vmi:" line
and the initramfs's result line from the console, and compares them with
what the case expects.
Every set ends with "N passed, N failed".

Environment: KERNEL, BASELINE, INITRD (defaults under build/guest/),
ROMTOOL, ROM_DIR, BOOT_TIMEOUT (seconds per QEMU boot, default 300).
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "codegen"))
sys.path.insert(0, HERE)

from vmiabi.spec import load_spec  # noqa: E402
import rom_views  # noqa: E402

sys.path.insert(0, os.path.join(TOP, "hypervisor-shim", "tests"))
from shimtest import EXIT as SHIM_EXIT  # noqa: E402

BUILD = os.path.join(TOP, "build")
KERNEL = os.environ.get("KERNEL", os.path.join(BUILD, "guest", "bzImage"))
BASELINE = os.environ.get("BASELINE", os.path.join(BUILD, "guest", "bzImage.baseline"))
INITRD = os.environ.get("INITRD", os.path.join(BUILD, "guest", "initrd.gz"))
ROM_DIR = os.environ.get("ROM_DIR", os.path.join(BUILD, "rom"))
WORK = os.path.join(BUILD, "guest", "test-roms")
TIMEOUT = int(os.environ.get("BOOT_TIMEOUT", "300"))

VMI_LINE = re.compile(r"\]\s+vmi: (.*?)\s*$")
RESULT = re.compile(r"VMI-TEST: workload=(\S+) result=(\S+)")
CPUS = re.compile(r"VMI-TEST: cpus=(\d+)")
# A kernel WARNING is reported but not fatal: some come from the platform
# (a hypervisor's CPUID), not from the code under test.
CRASH = re.compile(r"Kernel panic|Oops|BUG:|general protection fault")
WARNING = re.compile(r"WARNING: .*")
ACTIVE = re.compile(r"^(\S+) (\S+) ROM, ABI (\d+)\.(\d+), (\d+) calls via ROM, (\d+) native$")


class Boot:
    """What one boot printed."""

    def __init__(self, output, status):
        self.output = output
        self.status = status
        lines = output.splitlines()
        self.vmi = next((m[1] for m in map(VMI_LINE.search, lines) if m), None)
        result = next((m for m in map(RESULT.search, lines) if m), None)
        self.workload, self.result = (result[1], result[2]) if result else (None, None)
        cpus = next((m for m in map(CPUS.search, lines) if m), None)
        self.cpus = int(cpus[1]) if cpus else 0
        self.crash = next((line for line in lines if CRASH.search(line)), None)
        self.warnings = [m[0] for m in map(WARNING.search, lines) if m]
        self.active = ACTIVE.match(self.vmi or "")

    def summary(self):
        warned = f"; {len(self.warnings)} kernel warnings ({self.warnings[0]})" if self.warnings else ""
        return (f"vmi: {self.vmi or '(no vmi line)'}; workload {self.workload} "
                f"{self.result or 'no result'}; {self.cpus} CPUs{warned}")


def qemu(kernel, append, rom=None, smp=2):
    command = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-m", "512",
               "-smp", str(smp), "-nographic", "-no-reboot", "-vga", "none", "-nic", "none",
               "-kernel", kernel, "-initrd", INITRD,
               "-append", f"console=ttyS0 panic=-1 no_timer_check {append}"]
    if rom:
        command += ["-option-rom", rom]
    try:
        proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, timeout=TIMEOUT)
        return Boot(proc.stdout.decode(errors="replace"), proc.returncode)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace")
        return Boot(out + f"\n(boot timed out after {TIMEOUT} s)", -1)


def save_log(name, output):
    """Keeps each boot's console under build/guest/boot-logs/ for diagnosis."""
    logs = os.path.join(BUILD, "guest", "boot-logs")
    os.makedirs(logs, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    with open(os.path.join(logs, f"{slug}.log"), "w") as f:
        f.write(output)


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, boot, why=""):
        detail = boot.summary() if boot else ""
        if boot:
            save_log(name, boot.output)
        if ok:
            self.passed += 1
            print(f"ok   {name}: {detail}", flush=True)
            return
        self.failed += 1
        print(f"FAIL {name}: {why}; {detail}", flush=True)
        if boot and boot.crash:
            print(f"     first crash line: {boot.crash.strip()}")
        if boot:
            tail = boot.output.strip().splitlines()[-15:]
            print("     console tail:\n       " + "\n       ".join(tail))


def workload_ok(boot, workload):
    return boot.workload == workload and boot.result == "pass" and not boot.crash


def expect_native(results, name, boot, vmi_text, workload):
    ok = boot.vmi == vmi_text and workload_ok(boot, workload) and boot.cpus == 2
    results.check(name, ok, boot, f"expected 'vmi: {vmi_text}', workload pass, 2 CPUs")


def set_native(results):
    boot = qemu(KERNEL, "vmitest=full")
    expect_native(results, "qemu, no ROM", boot, "no ROM found, running native", "full")


def expect_rom_full(results, name, backend, why):
    """build/rom/BACKEND.rom under QEMU on 2 CPUs: active, full workload."""
    boot = qemu(KERNEL, "vmitest=full", os.path.join(ROM_DIR, f"{backend}.rom"))
    ok = (boot.active is not None and boot.active[2] == backend
          and workload_ok(boot, "full") and boot.cpus == 2)
    results.check(name, ok, boot, why)


def set_native_rom(results):
    expect_rom_full(results, "qemu, native ROM", "native",
                    "expected the native ROM active, workload pass")


def set_shim_rom_emulated(results):
    """The shim ROM's CALL paths (stores, per-CPU queues, lazy mode) on 2
    CPUs under the emulator, where its hypercall port has no listener: the
    guest side of SMP without the nested host's timing."""
    expect_rom_full(results, "qemu, shim ROM without its hypervisor, 2 CPUs", "shim",
                    "expected the shim ROM active, workload pass, 2 CPUs")


def set_vmi_off(results):
    rom = os.path.join(ROM_DIR, "native.rom")
    boot = qemu(KERNEL, "vmi=off vmitest=quick", rom)
    expect_native(results, "qemu, native ROM, vmi=off", boot, "disabled by vmi=off", "quick")


def set_baseline(results):
    boot = qemu(BASELINE, "vmitest=full")
    ok = boot.vmi is None and workload_ok(boot, "full") and boot.cpus == 2
    results.check("qemu, baseline kernel", ok, boot, "expected no vmi line, workload pass")


def expect_verdict(results, name, boot, verdict):
    """verdict: ("none",), ("active",) or ("rejected", token)."""
    if verdict[0] == "none":
        ok = boot.vmi == "no ROM found, running native"
        want = "no ROM found"
    elif verdict[0] == "active":
        ok = boot.active is not None
        want = "ROM active"
    else:
        ok = bool(re.fullmatch(rf"ROM at 0x[0-9a-f]+ rejected: {re.escape(verdict[1])}, running native",
                               boot.vmi or ""))
        want = f"rejected: {verdict[1]}"
    results.check(name, ok and workload_ok(boot, "quick"), boot, f"expected {want}, workload pass")


def set_corpus(results):
    spec = load_spec(os.path.join(TOP, "spec", "vmi.toml"))
    corpus = os.path.join(ROM_DIR, "corpus")
    manifest = os.path.join(corpus, "MANIFEST")
    if not os.path.exists(manifest):
        results.check("corpus", False, None, f"no {manifest} (run make)")
        return
    os.makedirs(WORK, exist_ok=True)
    for line in open(manifest):
        if not line.strip() or line.startswith("#"):
            continue
        case, manifest_token = line.split()[:2]
        with open(os.path.join(corpus, f"{case}.rom"), "rb") as f:
            image = f.read()
        verdict = rom_views.kernel_verdict(spec, image)
        container = os.path.join(WORK, f"corpus-{case}.rom")
        with open(container, "wb") as f:
            f.write(rom_views.container(spec, image))
        boot = qemu(KERNEL, "vmitest=quick", container)
        seen = "valid" if verdict[0] == "active" else verdict[-1]
        note = "" if seen == manifest_token else f" (romtool on the file: {manifest_token})"
        expect_verdict(results, f"corpus {case}{note}", boot, verdict)


def derived_rom(name, source, **changes):
    path = os.path.join(WORK, f"skew-{name}.rom")
    os.makedirs(WORK, exist_ok=True)
    with open(source, "rb") as f:
        image = bytearray(f.read())
    spec = load_spec(os.path.join(TOP, "spec", "vmi.toml"))
    rom_views.set_header_fields(spec, image, changes)
    with open(path, "wb") as f:
        f.write(image)
    subprocess.run([rom_views.romtool(), "fix-checksum", path], check=True,
                   stdout=subprocess.DEVNULL)
    return path


def set_skew(results):
    """Version skew against the template ROM, whose CALL entries run on QEMU."""
    template = os.path.join(ROM_DIR, "template.rom")
    spec = load_spec(os.path.join(TOP, "spec", "vmi.toml"))
    major, minor = spec["abi"]["major"], spec["abi"]["minor"]
    full = qemu(KERNEL, "vmitest=quick", template)
    ok = full.active is not None and workload_ok(full, "quick")
    results.check("skew: template ROM as built", ok, full, "expected ROM active")
    via_full = int(full.active[5]) if full.active else -1

    few = derived_rom("fewer-calls", template, num_calls=30)
    boot = qemu(KERNEL, "vmitest=quick", few)
    via = int(boot.active[5]) if boot.active else -1
    ok = boot.active is not None and 0 <= via < via_full and workload_ok(boot, "quick")
    results.check("skew: ROM with fewer calls (num_calls 30)", ok, boot,
                  f"expected ROM active with fewer than {via_full} calls via ROM")

    if minor > 0:
        older = derived_rom("lower-minor", template, abi_minor=minor - 1)
        boot = qemu(KERNEL, "vmitest=quick", older)
        ok = (boot.active is not None and boot.active[4] == str(minor - 1)
              and workload_ok(boot, "quick"))
        results.check(f"skew: ROM with minor {minor - 1} (calls since {minor} stay native)",
                      ok, boot, f"expected ROM active, ABI {major}.{minor - 1}")

    newer = derived_rom("higher-minor", template, abi_minor=minor + 1)
    boot = qemu(KERNEL, "vmitest=quick", newer)
    ok = (boot.active is not None and boot.active[4] == str(minor + 1)
          and int(boot.active[5]) == via_full and workload_ok(boot, "quick"))
    results.check(f"skew: ROM with minor {minor + 1}", ok, boot,
                  f"expected ROM active, ABI {major}.{minor + 1}, {via_full} calls via ROM")

    other = derived_rom("other-major", template, abi_major=major + 1)
    boot = qemu(KERNEL, "vmitest=quick", other)
    expect_verdict(results, f"skew: ROM with major {major + 1}", boot,
                   ("rejected", "unknown-abi-major"))


def shim_env():
    """The nested test host is slow on a loaded machine: the full workload
    can outlast run-shim's default per-run limit (600 s)."""
    env = dict(os.environ)
    env.setdefault("TESTHOST_RUN_TIMEOUT", "1500")
    return env


def shim_hung(boot):
    """The shim stopped a guest at its time limit (SIGTERM, or SIGKILL after it)."""
    return boot.status in (SHIM_EXIT["SHIM_EXIT_STOPPED"], 128 + 9)


def set_shim(results):
    """As check-shim-boot: a run the nested host hung is reported with the
    vCPU state the shim printed, then run once more; a second hang fails."""
    run_shim = os.path.join(TOP, "tests", "testhost", "run-shim")
    rom = os.path.join(ROM_DIR, "shim.rom")
    args = ["--kernel", KERNEL, "--initrd", INITRD, "--rom", rom, "-m", "512M",
            "--smp", "2", "--audit", "--stats",
            "--append", "console=ttyS0 panic=-1 no_timer_check vmitest=full"]
    for attempt in (1, 2):
        proc = subprocess.run([run_shim] + args, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              env=shim_env())
        boot = Boot(proc.stdout.decode(errors="replace"), proc.returncode)
        if attempt == 2 or not shim_hung(boot):
            break
        save_log("shim-hung", boot.output)
        state = [l for l in boot.output.splitlines() if l.startswith("vmi-shim:")]
        print(f"# shim run hung (status {boot.status}); run again. " + " | ".join(state[-4:]),
              flush=True)
    shim_report(results, boot)


def shim_report(results, boot):
    ok = boot.active is not None and boot.active[2] == "shim" and workload_ok(boot, "full")
    results.check("shim, shim ROM, 2 vCPUs", ok and boot.cpus == 2, boot,
                  "expected the shim ROM active, workload pass, 2 CPUs")
    audit = re.search(r"audit: (\d+) unnotified page-table changes in (\d+) checks", boot.output)
    ok = audit is not None and audit[1] == "0" and int(audit[2]) > 0
    results.check(f"shim audit ({audit[0] if audit else 'no audit line'})", ok, None,
                  "expected 0 unnotified page-table changes in more than 0 checks")
    batch = rom_views.batch_average(boot.output)
    hypercalls = rom_views.hypercall_total(boot.output)
    ok = batch is not None and batch > 1.0
    results.check(f"shim stats ({hypercalls} hypercalls, {batch} updates per MMU batch)", ok,
                  None, "expected more than one update per MMU batch on average")


SETS = {
    "native": set_native,
    "native-rom": set_native_rom,
    "shim-rom-emulated": set_shim_rom_emulated,
    "vmi-off": set_vmi_off,
    "corpus": set_corpus,
    "skew": set_skew,
    "baseline": set_baseline,
    "shim": set_shim,
}


def main(names):
    unknown = [n for n in names if n not in SETS]
    if not names or unknown:
        print(f"boot_test: give sets from {', '.join(SETS)}; unknown: {' '.join(unknown)}",
              file=sys.stderr)
        return 2
    for path in (KERNEL, INITRD):
        if not os.path.exists(path):
            print(f"boot_test: {path} is missing (run make guest)", file=sys.stderr)
            return 2
    results = Results()
    for name in names:
        SETS[name](results)
    print(f"{results.passed} passed, {results.failed} failed")
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
