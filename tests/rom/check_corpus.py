#!/usr/bin/env python3
"""Runs `romtool verify` on every corpus case and checks the verdict.

Usage: check_corpus.py ROMTOOL CORPUSDIR

A case expecting "valid" must exit 0; every other case must exit 1 and
name its expected defect token on some line. Prints "N passed, N failed".
"""
import os
import subprocess
import sys


def main(tool, corpus):
    passed = failed = 0
    with open(os.path.join(corpus, "MANIFEST")) as manifest:
        cases = [l.split(None, 2) for l in manifest if l.strip() and not l.startswith("#")]
    for name, token, what in cases:
        rom = os.path.join(corpus, name + ".rom")
        out = subprocess.run([tool, "verify", rom], capture_output=True, text=True)
        found = [l for l in out.stdout.splitlines() if f": {token}: " in l]
        if token == "valid":
            ok = out.returncode == 0
            detail = out.stdout.strip()
        else:
            ok = out.returncode == 1 and bool(found)
            detail = found[0] if found else f"exit {out.returncode}, got: " + " | ".join(out.stdout.splitlines()[:3])
        print(f"{'PASS' if ok else 'FAIL'} {name}: {what.strip()} -> {detail}")
        passed += ok
        failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
