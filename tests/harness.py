#!/usr/bin/env python3
"""Runs the check targets `make check` collects and sums their results.

Each target is run as `make -s <target>`. Its output goes to
build/check/<target>.log and is echoed. A target that ends with a line
"N passed, N failed" (or pytest's summary) contributes those counts; any
other target counts as one test, passed when it exits 0. A target whose
counts say nothing failed but which exits non-zero counts one failure more.
The last line printed is the total: "N passed, N failed".
"""
import os
import re
import subprocess
import sys

PLAIN = re.compile(r"^(?:\w+:\s*)?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$")
PYTEST = re.compile(r"^=*\s*((?:\d+ \w+)(?:, \d+ \w+)*) in [\d.]+s\b.*$")


def counts_from(lines):
    """Returns (passed, failed, skipped) from the last summary line, or None."""
    for line in reversed(lines):
        m = PLAIN.match(line.strip())
        if m:
            return int(m[1]), int(m[2]), int(m[3] or 0)
        m = PYTEST.match(line.strip())
        if m:
            found = {k: int(n) for n, k in re.findall(r"(\d+) (\w+)", m[1])}
            return (found.get("passed", 0),
                    found.get("failed", 0) + found.get("error", 0) + found.get("errors", 0),
                    found.get("skipped", 0))
    return None


def run(target, logdir):
    print(f"== {target}", flush=True)
    log_path = os.path.join(logdir, f"{target}.log")
    lines = []
    with open(log_path, "w") as log:
        proc = subprocess.Popen(["make", "-s", "--no-print-directory", target],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace")
        for line in proc.stdout:
            sys.stdout.write(line)
            log.write(line)
            lines.append(line)
        status = proc.wait()
    counted = counts_from(lines)
    if counted is None:
        counted = (1, 0, 0) if status == 0 else (0, 1, 0)
    elif status != 0 and counted[1] == 0:
        counted = (counted[0], 1, counted[2])
    verdict = "ok" if counted[1] == 0 else "FAILED"
    print(f"== {target}: {verdict} ({counted[0]} passed, {counted[1]} failed, "
          f"{counted[2]} skipped; log {os.path.relpath(log_path)})", flush=True)
    return counted


def main(targets):
    if not targets:
        print("harness: no check targets given", file=sys.stderr)
        return 2
    logdir = os.path.join("build", "check")
    os.makedirs(logdir, exist_ok=True)
    totals = [0, 0, 0]
    failed_targets = []
    for target in targets:
        result = run(target, logdir)
        for i in range(3):
            totals[i] += result[i]
        if result[1]:
            failed_targets.append(target)
    if failed_targets:
        print("failed: " + " ".join(failed_targets))
    print(f"{totals[0]} passed, {totals[1]} failed, {totals[2]} skipped")
    return 1 if totals[1] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
