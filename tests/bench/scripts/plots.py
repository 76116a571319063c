"""The report's plots, drawn by gnuplot (Debian's gnuplot-nox) from data
files written next to them, so a plot can be redrawn or checked by hand."""
import os
import subprocess

TERMINAL = "set terminal pngcairo size 900,500 noenhanced font 'sans,10'"


def _gnuplot(script, path):
    with open(path + ".gp", "w") as f:
        f.write(script)
    subprocess.run(["gnuplot", path + ".gp"], check=True, stdout=subprocess.DEVNULL)
    return path


def _clustered(title, ylabel, columns, extra):
    return "\n".join([
        TERMINAL, f"set title '{title}'", f"set ylabel '{ylabel}'",
        "set style data histogram", "set style histogram clustered gap 1",
        "set style fill solid 0.8 border -1", "set boxwidth 0.9", "set key top left",
        "set xtics rotate by -30", "set grid ytics"] + extra) + "\n"


def write_parity(rows, labels, limit, outdir):
    """rows: (benchmark, [ratio per column]); labels: one per column."""
    data = os.path.join(outdir, "parity.dat")
    with open(data, "w") as f:
        f.write("# benchmark " + " ".join(f'"{label}"' for label in labels) + "\n")
        for name, ratios in rows:
            f.write(name + " " + " ".join(f"{r:.6f}" for r in ratios) + "\n")
    low = min([1.0] + [r for _, ratios in rows for r in ratios])
    high = max([limit] + [r for _, ratios in rows for r in ratios])
    span = high - low
    plot = ", ".join(f"'{data}' using {i + 2}:xtic(1) title '{label}'" for i, label in enumerate(labels))
    script = _clustered("Native parity: instructions per operation / baseline", "ratio",
                        labels, [f"set yrange [{low - span * 0.2:.6f}:{high + span * 0.2:.6f}]",
                                 f"set output '{os.path.join(outdir, 'parity.png')}'",
                                 f"plot {plot}, {limit} with lines lw 2 dt 2 lc rgb 'red' title 'target {limit}'"])
    return _gnuplot(script, os.path.join(outdir, "parity.png"))


def write_batching(rows, labels, target, xen_limit, outdir):
    """rows: (benchmark, [updates per hypercall per mode, None when not run])."""
    data = os.path.join(outdir, "batching.dat")
    with open(data, "w") as f:
        f.write("# benchmark " + " ".join(f'"{label}"' for label in labels) + "\n")
        for name, values in rows:
            f.write(name + " " + " ".join("NaN" if v is None else f"{v:.3f}" for v in values) + "\n")
    plot = ", ".join(f"'{data}' using {i + 2}:xtic(1) title '{label}'" for i, label in enumerate(labels))
    script = _clustered("Page-table updates per hypercall under the shim", "updates per hypercall (log)",
                        labels, ["set logscale y", "set yrange [0.5:*]",
                                 f"set output '{os.path.join(outdir, 'batching.png')}'",
                                 f"plot {plot}, {target} with lines lw 2 dt 2 lc rgb 'red' title 'target {target}', "
                                 f"{xen_limit} with lines lw 1 dt 3 lc rgb 'gray40' "
                                 f"title 'Xen multicall limit {xen_limit}'"])
    return _gnuplot(script, os.path.join(outdir, "batching.png"))
