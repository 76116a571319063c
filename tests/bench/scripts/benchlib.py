"""Parsers shared by the benchmark runner, the report and their tests.

Three kinds of input:
  - the guest console of a benchmark boot: "BENCH-INFO key=value",
    "BENCH name=... ops=N warmup=W total_ns=T ns_per_op=X", "BENCH-ERROR ...",
    "BENCH-DONE" (tests/bench/initramfs/init and tests/bench/src/bench.h write them);
  - the shim's --stats tables on stderr (hypervisor-shim/stats.c);
  - the KVM exit counts rom/kvm/exit-counts --json writes.
Every malformed input raises BenchError naming what was wrong.
"""
import copy
import json
import re

BENCH_LINE = re.compile(r"\b(BENCH(?:-INFO|-ERROR|-DONE)?)(?=\s|$)(.*)$")
# Terminal control sequences firmware writes to the serial console.
ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[A-Za-z]|[@-~])")
STATS_PREFIX = "stats:"
LATENCY_BUCKETS = ["<2", "<4", "<8", "<16", "<32", "<64", ">=64"]
OPS_BUCKETS = ["0", "1", "<4", "<16", "<64", "<256", ">=256"]
# The fewest records per hypercall each ops bucket holds.
OPS_BUCKET_LOW = [0, 1, 2, 4, 16, 64, 256]
# Hypercalls that carry page-table notifications (spec/vmi.toml [hypercall]).
NOTIFY_HYPERCALLS = ("MMU", "MMU_BATCH")


class BenchError(Exception):
    """Input that cannot be a benchmark result; the message says why."""


def _fields(text, where):
    fields = {}
    for token in text.split():
        key, sep, value = token.partition("=")
        if not sep or not key:
            raise BenchError(f"{where}: '{token}' is not key=value")
        fields[key] = value
    return fields


def _count(fields, key, where):
    value = fields.get(key)
    if value is None or not value.isdigit():
        raise BenchError(f"{where}: {key} is missing or not a count ({value!r})")
    return int(value)


def parse_console(text, source="console"):
    """Returns {"info": {...}, "results": {name: {...}}, "errors": [...], "done": bool}."""
    run = {"info": {}, "results": {}, "errors": [], "done": False}
    for number, line in enumerate(text.splitlines(), start=1):
        m = BENCH_LINE.search(ANSI_ESCAPE.sub("", line))
        if not m:
            continue
        kind, where = m[1], f"{source}:{number}"
        if kind == "BENCH-DONE":
            run["done"] = True
        elif kind == "BENCH-ERROR":
            run["errors"].append(m[2].strip())
        elif kind == "BENCH-INFO":
            key, _, value = m[2].strip().partition("=")
            run["info"][key] = value
        else:
            result = _parse_result(_fields(m[2], where), where)
            if result["name"] in run["results"]:
                raise BenchError(f"{where}: benchmark {result['name']} reported twice")
            run["results"][result["name"]] = result
    return run


def _parse_result(fields, where):
    name = fields.get("name")
    if not name or not re.fullmatch(r"[a-z0-9_]+", name):
        raise BenchError(f"{where}: benchmark name {name!r} is missing or malformed")
    ops = _count(fields, "ops", where)
    warmup = _count(fields, "warmup", where)
    total = _count(fields, "total_ns", where)
    if ops == 0:
        raise BenchError(f"{where}: benchmark {name} ran 0 operations")
    return {"name": name, "ops": ops, "warmup": warmup, "total_ns": total, "per_op": total / ops}


def require_complete(run, source, expected=None):
    """Raises unless the run finished, reported no error and has every expected benchmark."""
    if run["errors"]:
        raise BenchError(f"{source}: benchmark failed: {run['errors'][0]}")
    if not run["done"]:
        raise BenchError(f"{source}: no BENCH-DONE line (the guest crashed, hung or was cut off)")
    missing = [name for name in (expected or []) if name not in run["results"]]
    if missing:
        raise BenchError(f"{source}: no result for {', '.join(missing)}")


def _stats_row(tokens, width, where):
    name, values = tokens[0], tokens[1:]
    if len(values) != width:
        raise BenchError(f"{where}: stats row '{name}' has {len(values)} values, expected {width}")
    try:
        numbers = [int(v) for v in values[:-1]] + [float(values[-1])]
    except ValueError:
        raise BenchError(f"{where}: stats row '{name}' has a value that is not a number") from None
    return name, numbers


def _latency_entry(numbers):
    return {"count": numbers[0], "errors": numbers[1], "hist": numbers[2:-1], "avg_us": numbers[-1]}


def _check_max(name, entry, where):
    """A max outside the highest bucket that holds a hypercall is a misread column."""
    top = max((i for i, n in enumerate(entry["hist"]) if n), default=None)
    if entry["max"] is None or top is None:
        return
    high = OPS_BUCKET_LOW[top + 1] if top + 1 < len(OPS_BUCKET_LOW) else None
    if entry["max"] < OPS_BUCKET_LOW[top] or (high is not None and entry["max"] >= high):
        raise BenchError(f"{where}: stats row '{name}' has max ops {entry['max']} outside its "
                         f"highest bucket {OPS_BUCKETS[top]}")


def _ops_entry(name, numbers, has_max, where):
    """max is the most records one hypercall carried; None from a shim that
    printed only the histogram (before its "max ops" column)."""
    hist_end = len(OPS_BUCKETS) + 1
    entry = {"ops": numbers[0], "hist": numbers[1:hist_end],
             "max": numbers[hist_end] if has_max else None, "avg": numbers[-1]}
    _check_max(name, entry, where)
    return entry


def parse_stats(text, source="stats"):
    """Returns {"hypercall": {NAME: row}, "ops": {NAME: row}, "mmu": {call: row},
    "refused": N, "present": bool} from the shim's --stats output; present is
    False when the output has no stats at all. An ops row's max is None when
    the table has no "max ops" column (output of an older shim)."""
    stats = {"hypercall": {}, "ops": {}, "mmu": {}, "refused": 0, "present": False}
    section, ops_max = None, False
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{source}:{number}"
        if m := re.search(r"vmi-shim: (\d+) bad hypercalls refused", line):
            stats["refused"] = int(m[1])
        at = line.find(STATS_PREFIX)
        if at < 0:
            continue
        rest = line[at + len(STATS_PREFIX):].strip()
        tokens = rest.split()
        stats["present"] = True
        if not tokens or rest == "no hypercalls":
            continue
        if rest.startswith("hypercall ") and "count" in tokens:
            section = "hypercall"
        elif rest.startswith("ops per hypercall"):
            section, ops_max = "ops", "max" in tokens
        elif rest.startswith("mmu operation"):
            section = "mmu"
        elif tokens[0].endswith("%"):
            continue        # the percentages under a latency row
        elif section is None:
            raise BenchError(f"{where}: stats row before any table header")
        elif section == "ops":
            width = len(OPS_BUCKETS) + (3 if ops_max else 2)
            name, numbers = _stats_row(tokens, width, where)
            stats["ops"][name] = _ops_entry(name, numbers, ops_max, where)
        else:
            name, numbers = _stats_row(tokens, len(LATENCY_BUCKETS) + 3, where)
            stats[section][name] = _latency_entry(numbers)
    return stats


def _sum_count(table, names, key):
    return sum(table.get(name, {}).get(key, 0) for name in names)


def largest_batch(stats):
    """The most records one MMU_BATCH carried in this boot; 0 when no batch
    carried any (the ops table leaves such a hypercall out); None when the
    shim did not print its maximum (results kept from before it did)."""
    row = stats["ops"].get("MMU_BATCH")
    return 0 if row is None else row.get("max")


def stats_delta(run, base):
    """The counts a benchmark added over a boot that ran none: per hypercall
    type, notification records, batches and the records in them; and
    batch_max, the largest batch of the benchmark boot itself (a maximum
    does not subtract)."""
    hypercalls = {name: run["hypercall"][name]["count"] - base["hypercall"].get(name, {}).get("count", 0)
                  for name in run["hypercall"]}
    records = _sum_count(run["ops"], NOTIFY_HYPERCALLS, "ops") - _sum_count(base["ops"], NOTIFY_HYPERCALLS, "ops")
    notify = _sum_count(run["hypercall"], NOTIFY_HYPERCALLS, "count") - \
        _sum_count(base["hypercall"], NOTIFY_HYPERCALLS, "count")
    batches = run["hypercall"].get("MMU_BATCH", {}).get("count", 0) - \
        base["hypercall"].get("MMU_BATCH", {}).get("count", 0)
    batched = run["ops"].get("MMU_BATCH", {}).get("ops", 0) - base["ops"].get("MMU_BATCH", {}).get("ops", 0)
    return {"hypercalls": hypercalls, "all_hypercalls": sum(hypercalls.values()),
            "notify_hypercalls": notify, "batches": batches, "records": records,
            "batched_records": batched, "batch_max": largest_batch(run)}


def _add_row(total, row, weight_key, average_key):
    if not total:
        return copy.deepcopy(row)
    weight = total[weight_key] + row[weight_key]
    if weight:
        total[average_key] = (total[average_key] * total[weight_key] +
                              row[average_key] * row[weight_key]) / weight
    for key, value in row.items():
        if key == "hist":
            total["hist"] = [a + b for a, b in zip(total["hist"], value)]
        elif key == "max":
            total["max"] = None if None in (total["max"], value) else max(total["max"], value)
        elif key != average_key:
            total[key] += value
    return total


def stats_sum(runs):
    """Several boots' --stats as one: counts and buckets add, averages are
    weighted by count (latency) or by hypercalls (ops per hypercall), the
    largest records per hypercall is the largest of all (None if one boot
    did not say)."""
    total = {"hypercall": {}, "ops": {}, "mmu": {}, "refused": 0, "present": False}
    for stats in runs:
        total["refused"] += stats["refused"]
        total["present"] = total["present"] or stats["present"]
        for table in ("hypercall", "mmu"):
            for name, row in stats[table].items():
                total[table][name] = _add_row(total[table].get(name), row, "count", "avg_us")
        for name, row in stats["ops"].items():
            calls = stats["hypercall"].get(name, {}).get("count", 0)
            row = dict(row, calls=calls, max=row.get("max"))
            total["ops"][name] = _add_row(total["ops"].get(name), row, "calls", "avg")
    return total


def kernel_version(image_bytes, source="kernel"):
    """The version string a bzImage's setup header points at (boot protocol
    >= 2.00: kernel_version at 0x20e, relative to 0x200)."""
    if len(image_bytes) < 0x210 or image_bytes[0x202:0x206] != b"HdrS":
        raise BenchError(f"{source}: not a bzImage (no HdrS setup header)")
    pointer = int.from_bytes(image_bytes[0x20E:0x210], "little")
    start = 0x200 + pointer
    end = image_bytes.find(b"\0", start, start + 256)
    if pointer == 0 or end < 0:
        raise BenchError(f"{source}: the setup header has no kernel version string")
    return image_bytes[start:end].decode(errors="replace")


def _exit_counts_run_problem(run):
    """What is wrong with one run of an exit-counts document, or None."""
    if not isinstance(run, dict):
        return "is not an object"
    for key, kind in (("name", str), ("round", int), ("stats", dict), ("workload_pass", bool),
                      ("cpus", int)):
        if not isinstance(run.get(key), kind):
            return f"has no {key} ({kind.__name__})"
    # null: the kernel logged no vmi: line (Debian's has no series).
    if "vmi" not in run or not (run["vmi"] is None or isinstance(run["vmi"], str)):
        return "has no vmi (a string or null)"
    # guest_ipis: the guest's own IPI counts, from exit-counts of after 1.1.
    for key in ("stats", "guest_ipis"):
        counts = run.get(key, {})
        if not isinstance(counts, dict):
            return f"has a {key} that is not an object"
        bad = [name for name, value in counts.items() if not _is_count(value)]
        if bad:
            return f"has {key} that are not counts: {', '.join(bad)}"
    return None


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def parse_exit_counts(text, source="exit-counts"):
    """rom/kvm/exit-counts --json output, its shape checked so the report can
    trust every field: {"smp", "workload", "rounds", "runs": [...]}."""
    try:
        measured = json.loads(text)
    except ValueError as e:
        raise BenchError(f"{source}: not JSON ({e})") from None
    if not isinstance(measured, dict):
        raise BenchError(f"{source}: not a JSON object")
    for key, kind in (("smp", int), ("workload", str), ("rounds", int), ("runs", list)):
        if not isinstance(measured.get(key), kind):
            raise BenchError(f"{source}: no {key} ({kind.__name__})")
    if not measured["runs"]:
        raise BenchError(f"{source}: no runs")
    shown = measured.get("shown", [])
    if not isinstance(shown, list) or not all(isinstance(stat, str) for stat in shown):
        raise BenchError(f"{source}: shown is not a list of statistic names")
    for number, run in enumerate(measured["runs"]):
        problem = _exit_counts_run_problem(run)
        if problem:
            raise BenchError(f"{source}: run {number} {problem}")
    return measured
