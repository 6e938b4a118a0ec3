"""figures/benchmark.md: the speed benchmark's measurements (helpers.bench) as short tables.

Each mode of training is a row with a short label ("vectorised", "mini-batch, B = 16"); its
precision and its input path are columns, or a pair of columns side by side, so that every table
fits the page of the PDF report and a legend above it says what the columns hold.
"""
import re

from helpers.bench import gated as bench_gated

NONE = "–"                                   # a cell with nothing measured


def parts(name):
    """'mini-batch B=16, float32, lookup' -> ('mini-batch, B = 16', 'float32', 'lookup'); the input
    path is None for a name without one ('vectorised, float64')."""
    mode, precision, *path = name.split(", ")
    mode = re.sub(r" B=(\d+)$", r", B = \1", mode)
    return mode, precision, (path[0] if path else None)


def by_precision(throughput, value):
    """Rows (mode, input, {precision: value(name, row)}) in the order the modes were measured."""
    rows = {}
    for name, r in throughput.items():
        mode, precision, path = parts(name)
        rows.setdefault((mode, path), {})[precision] = value(name, r)
    return [(mode, path, values) for (mode, path), values in rows.items()]


def side_by_side(rows, head, cell):
    """A table of `rows` from by_precision with the float64 and float32 columns side by side.
    head: the two columns' names for one precision; cell(value) -> their two cells."""
    lines = ["| mode | input | " + " | ".join(f"{bits}, {h}" if i == 0 else h for bits in ("float64", "float32")
                                             for i, h in enumerate(head)) + " |",
             "|:---|:---|---:|---:|---:|---:|"]
    for mode, path, values in rows:
        cells = [c for bits in ("float64", "float32")
                 for c in (cell(values[bits]) if bits in values else (NONE, NONE))]
        lines.append(f"| {mode} | {path} | " + " | ".join(cells) + " |")
    return lines


def speed(res):
    """Characters per second of each mode and its ratio to the per-step reference."""
    rows = by_precision(res["throughput"], lambda name, r: r)
    return ["**Speed.** Characters read per second, and × reference: the ratio to the per-step "
            "reference's characters per second, measured in the same run (per update, divide by the "
            "batch size B). Input *lookup* reads U x as a row of U; *one-hot* multiplies one-hot vectors "
            "by U, the only path nn.RNN has.", ""] + side_by_side(
        rows, ("characters/s", "× reference"), lambda r: (f"{r['chars_per_s']:,.0f}", f"{r['speedup_chars']:.1f}"))


def arithmetic(res, gflops):
    """GFLOP/s of each mode (gflops: {throughput name: GFLOP/s}) and its share of the BLAS peak."""
    peak = res["peak_gflops"]
    rows = by_precision(res["throughput"], lambda name, r: (gflops[name], gflops[name] / peak[parts(name)[1]]))
    return ["", f"**Arithmetic.** GFLOP/s, and its share of one core's BLAS peak in the same precision, "
            f"measured on a 1000 x 1000 product: {peak['float64']:.1f} GFLOP/s in float64, "
            f"{peak['float32']:.1f} in float32. One update at batch 1 is {res['flops_per_step'] / 1e6:.2f} "
            f"MFLOP with the lookup.", ""] + side_by_side(
        rows, ("GFLOP/s", "share of peak"), lambda v: (f"{v[0]:.2f}", f"{v[1]:.1%}"))


def against_pytorch(res):
    """One sentence: the vectorised path against nn.RNN, same precision, same one-hot input."""
    t = res["throughput"]
    vs = {bits: t[f"vectorised, {bits}, one-hot"]["steps_per_s"] / t[f"PyTorch nn.RNN, {bits}, one-hot"]["steps_per_s"]
          for bits in ("float64", "float32")}
    return ["", f"At the same precision and on the same one-hot input path, the vectorised path runs "
            f"{vs['float64']:.1f} times as fast as PyTorch's nn.RNN in float64, and {vs['float32']:.1f} "
            f"times in float32."]


def time_to_target(res):
    """Training seconds until each mode reached the target validation bits per character."""
    runs = res["time_to_target"]
    ref = runs["per-step reference, float64"]["seconds"]
    lines = ["", f"**Time to {res['target_bits']} bits.** Training seconds (evaluation excluded) until the "
             f"validation part scores {res['target_bits']} bits per character or less, within a budget of "
             f"{res['budget']:.0f} s ({NONE}: not reached), and × reference: the per-step reference's "
             f"seconds over the mode's.", "",
             "| mode | precision | seconds | updates | characters read | bits reached | × reference |",
             "|:---|:---|---:|---:|---:|---:|---:|"]
    for name, r in runs.items():
        mode, precision, _ = parts(name)
        sec = NONE if r["seconds"] is None else f"{r['seconds']:.1f}"
        ratio = NONE if r["seconds"] is None or ref is None else f"{ref / r['seconds']:.1f}"
        lines.append(f"| {mode} | {precision} | {sec} | {r['steps']:,} | {r['chars']:,} | {r['bits']:.3f} | {ratio} |")
    return lines


def scaling(res):
    """Steps per second of the reference and the vectorised path as m, then tau, grows."""
    lines = ["", "**Size.** Updates per second as the hidden size m and the sequence length tau grow "
             "(float64, lookup, batch 1):"]
    for key in ("m", "tau"):
        lines += ["", f"| {key} | reference | vectorised | ratio |", "|---:|---:|---:|---:|"]
        lines += [f"| {v} | {r['reference']:,.0f} | {r['vectorised']:,.0f} | {r['vectorised'] / r['reference']:.1f} |"
                  for v, r in res["scaling"][key].items()]
    return lines


def markdown(res, gflops):
    """The whole of figures/benchmark.md from the measurements `res` (helpers.bench.main) and
    gflops: {throughput mode's name: GFLOP/s}."""
    threads = res["blas_threads"]
    lines = [f"Benchmark on {threads} BLAS thread{'s' if threads > 1 else ''} (PyTorch: one thread), m = 100, "
             f"tau = 25, K = {res['K']}; every figure is the median of {res['repeats']} runs.", ""]
    lines += speed(res) + against_pytorch(res) + arithmetic(res, gflops) + time_to_target(res) + scaling(res)
    lines += bench_gated.markdown(res["gated"]) if "gated" in res else []
    return "\n".join(lines) + "\n"
