#!/usr/bin/env python3
"""Compares the native instruction counts of two results.json files.

    compare_native.py FIRST.json SECOND.json

Prints one line per configuration and benchmark whose count differs and
exits 1 if any does; prints "N counts identical" and exits 0 otherwise.
The native counts come from QEMU's -icount, so two runs of the same tree
must agree to the last instruction.
"""
import json
import sys


def native_counts(path):
    with open(path) as f:
        native = json.load(f).get("native") or {}
    if not native:
        sys.exit(f"compare_native: {path} has no native results")
    return {(config, name): result["total_ns"]
            for config, run in native.items() for name, result in run["results"].items()}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: compare_native.py FIRST.json SECOND.json")
    first, second = native_counts(sys.argv[1]), native_counts(sys.argv[2])
    differing = 0
    for key in sorted(set(first) | set(second)):
        a, b = first.get(key), second.get(key)
        if a != b:
            differing += 1
            print(f"compare_native: {key[0]} {key[1]}: {a} then {b} instructions")
    if differing:
        sys.exit(f"compare_native: {differing} of {len(first)} counts differ")
    print(f"compare_native: {len(first)} counts identical")


if __name__ == "__main__":
    main()
