#!/usr/bin/env python3
"""make demo: the one guest bzImage natively, with the native ROM and under
the shim, one line per run: environment, the kernel's vmi: line, workload
result, and where the shim runs, its hypercall count, MMU batch size and
audit result."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import boot_test  # noqa: E402
import rom_views  # noqa: E402


def line(environment, boot, extra=""):
    result = f"{boot.workload} {boot.result}" if boot.result else "no result"
    print(f"{environment:<28} vmi: {boot.vmi or '(none)'} | workload {result}{extra}", flush=True)
    return boot.result == "pass"


def shim_boot():
    run_shim = os.path.join(boot_test.TOP, "tests", "testhost", "run-shim")
    args = ["--kernel", boot_test.KERNEL, "--initrd", boot_test.INITRD,
            "--rom", os.path.join(boot_test.ROM_DIR, "shim.rom"), "-m", "512M",
            "--smp", "2", "--stats", "--audit",
            "--append", "console=ttyS0 panic=-1 no_timer_check vmitest=full"]
    proc = subprocess.run([run_shim] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, env=boot_test.shim_env())
    boot = boot_test.Boot(proc.stdout.decode(errors="replace"), proc.returncode)
    boot_test.save_log("demo shim", boot.output)
    return boot


def main():
    ok = line("QEMU TCG, no ROM", boot_test.qemu(boot_test.KERNEL, "vmitest=full"))
    rom = os.path.join(boot_test.ROM_DIR, "native.rom")
    ok &= line("QEMU TCG, native ROM", boot_test.qemu(boot_test.KERNEL, "vmitest=full", rom))
    boot = shim_boot()
    hypercalls = rom_views.hypercall_total(boot.output)
    batch = rom_views.batch_average(boot.output)
    audit = re.search(r"audit: (\d+) unnotified", boot.output)
    ok &= line("vmi-shim (KVM), shim ROM", boot,
               f" | {hypercalls} hypercalls, {batch} updates per MMU batch"
               f" | {audit[1] if audit else '?'} unnotified page-table changes")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
