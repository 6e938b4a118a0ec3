"""Speed benchmark: `make bench` (one BLAS thread). Writes figures/benchmark.{md,json,png}.
Not part of the assignment.

Every figure is the median of REPEATS runs, reported beside its ratio to the per-step reference
measured in the same run. Each row names its precision and its input path: our models read U x_t
as a row lookup; PyTorch's nn.RNN, nn.LSTM and nn.GRU can only multiply one-hot vectors, so our models are
also timed doing that product (`one_hot_inputs`), and PyTorch is compared like with like.
Settings: BENCH_REPEATS, BENCH_TARGET (validation bits per character to reach), BENCH_BUDGET
(seconds allowed per mode to reach it).
"""
import json
import math
import tempfile
import time
from pathlib import Path

import numpy as np

from helpers.bench import gated as bench_gated, tables as bench_tables, torch_ways as bench_torch_ways

from helpers import data, rnn, rnn_reference

from helpers.workbook import plots
from helpers.workbook.config import FIGURES, setting
from helpers.bench.timing import blas_threads, median_times, one_hot_inputs, timed, torch_update
from helpers.train import LoopConfig, TrainConfig, train

K_SEED = 0


def corpus(val_chars=50_000):
    text = data.load_corpus(setting("CORPUS", None))
    vocab = data.Vocabulary.from_text(text)
    train_ids, val_ids, _ = data.split(vocab.encode(text))
    return len(vocab), train_ids, val_ids[:val_chars]


def numpy_runner(K, ids, m=100, config=TrainConfig(), dtype=np.float64, loss_fn=None):
    """A function steps -> seconds that trains a fresh model with helpers.train."""
    def run(steps):
        params = rnn.init_params(K, m, 0.01, np.random.default_rng(K_SEED), dtype=dtype)
        start = time.perf_counter()
        train(params, ids, steps, config, loop=LoopConfig(progress=False), loss_fn=loss_fn)
        return time.perf_counter() - start, params
    return run


def torch_runner(K, ids, m=100, tau=25, dtype=np.float64):
    """What a user would reach for: nn.RNN + nn.Linear fed one-hot vectors, batch 1, Adagrad,
    clipping at 5, in `dtype`, on one thread."""
    import torch
    torch.set_num_threads(1)
    tdtype = torch.float64 if dtype == np.float64 else torch.float32

    def run(steps):
        torch.manual_seed(K_SEED)
        net, head = torch.nn.RNN(K, m, nonlinearity="tanh").to(tdtype), torch.nn.Linear(m, K).to(tdtype)
        params = list(net.parameters()) + list(head.parameters())
        opt = torch.optim.Adagrad(params, lr=0.1, eps=1e-8)
        data_t = torch.as_tensor(ids)
        eye = torch.eye(K, dtype=tdtype)
        h, pos = torch.zeros(1, 1, m, dtype=tdtype), 0
        start = time.perf_counter()
        for _ in range(steps):
            if pos + tau + 1 > len(ids):
                pos, h = 0, torch.zeros(1, 1, m, dtype=tdtype)
            x, y = data_t[pos:pos + tau], data_t[pos + 1:pos + tau + 1]
            out, h = net(eye[x].unsqueeze(1), h.detach())
            loss = torch.nn.functional.cross_entropy(head(out[:, 0]), y, reduction="sum")
            torch_update(opt, loss, params)
            pos += tau
        return time.perf_counter() - start, (net, head)
    return run


def throughput(K, ids, repeats):
    """Steps and characters per second for every training mode, in one run."""
    modes = {"per-step reference, float64, one-hot": (numpy_runner(K, ids, loss_fn=rnn_reference.loss_and_grads_reference), 1, 300)}
    for dtype, bits in ((np.float64, "float64"), (np.float32, "float32")):
        modes[f"vectorised, {bits}, lookup"] = (numpy_runner(K, ids, dtype=dtype), 1, 2000)
        modes[f"vectorised, {bits}, one-hot"] = (numpy_runner(K, ids, dtype=dtype, loss_fn=one_hot_inputs(rnn, K)), 1, 2000)
        modes[f"PyTorch nn.RNN, {bits}, one-hot"] = (torch_runner(K, ids, dtype=dtype), 1, 500)
    for B in (4, 16, 64):
        batch = TrainConfig(batch_size=B)
        modes[f"mini-batch B={B}, float64, lookup"] = (numpy_runner(K, ids, config=batch), B, max(100, 2000 // B))
        modes[f"mini-batch B={B}, float32, lookup"] = (numpy_runner(K, ids, config=batch, dtype=np.float32),
                                                       B, max(100, 2000 // B))
    times = median_times({name: (run, steps) for name, (run, _, steps) in modes.items()}, repeats)
    rows = {}
    for name, (_, B, steps) in modes.items():
        t = times[name]
        rows[name] = {"steps_per_s": steps / t, "chars_per_s": steps * B * 25 / t, "batch": B}
        print(f"{name:28s} {steps / t:9.0f} steps/s {steps * B * 25 / t:11.0f} chars/s", flush=True)
    ref = rows["per-step reference, float64, one-hot"]
    for r in rows.values():
        r["speedup_steps"] = r["steps_per_s"] / ref["steps_per_s"]
        r["speedup_chars"] = r["chars_per_s"] / ref["chars_per_s"]
    return rows


def time_to_target(K, ids, val_ids, target_bits, budget, chunk_chars=50_000):
    """Training seconds (evaluation excluded) until validation bits per character <= target."""
    batch = TrainConfig(batch_size=16)
    modes = {"per-step reference, float64": dict(loss_fn=rnn_reference.loss_and_grads_reference), "vectorised, float64": {},
             "vectorised, float32": dict(dtype=np.float32), "mini-batch B=16, float64": dict(config=batch),
             "mini-batch B=16, float32": dict(config=batch, dtype=np.float32)}
    out, ckpt_path = {}, Path(tempfile.mkdtemp()) / "ttt.npz"
    for name, opts in modes.items():
        config, dtype = opts.get("config", TrainConfig()), opts.get("dtype", np.float64)
        B = config.batch_size
        params = rnn.init_params(K, 100, 0.01, np.random.default_rng(K_SEED), dtype=dtype)
        chunk = max(1, chunk_chars // (25 * B))
        steps, seconds, bits = 0, 0.0, math.inf
        while bits > target_bits and seconds < budget:
            start = time.perf_counter()
            # Resume from the last chunk's checkpoint, written at its end, so the run is one uninterrupted training.
            loop = LoopConfig(every=chunk, checkpoint=ckpt_path, resume=steps > 0, progress=False)
            train(params, ids, steps + chunk, config, loop=loop, loss_fn=opts.get("loss_fn"))
            seconds += time.perf_counter() - start
            steps += chunk
            bits = rnn.bits_per_char(rnn.loss_per_char(params, val_ids))
        out[name] = {"seconds": seconds if bits <= target_bits else None, "steps": steps,
                     "chars": steps * 25 * B, "bits": bits}
        print(f"{name:28s} reached {bits:.3f} bits after {steps} steps, {seconds:.1f} s", flush=True)
    return out


def scaling(K, ids, repeats):
    """Steps per second of the reference and the vectorised path as m and tau grow."""
    out = {}
    for key, values in (("m", (50, 100, 200, 400)), ("tau", (10, 25, 50, 100))):
        runs = {}
        for v in values:
            size = dict(m=v) if key == "m" else dict(config=TrainConfig(seq_length=v))
            runs[(v, "reference")] = (numpy_runner(K, ids, loss_fn=rnn_reference.loss_and_grads_reference, **size), 200)
            runs[(v, "vectorised")] = (numpy_runner(K, ids, **size), 1000)
        times = median_times(runs, repeats)
        out[key] = {v: {impl: runs[(v, impl)][1] / times[(v, impl)] for impl in ("reference", "vectorised")}
                    for v in values}
        print(key, {v: round(r["vectorised"] / r["reference"], 1) for v, r in out[key].items()}, flush=True)
    return out


def peak_gflops(n=1000, repeats=5, dtype=np.float64):
    """What one core's BLAS reaches on a large matrix product in `dtype`: the arithmetic limit here."""
    a = np.random.default_rng(0).standard_normal((n, n)).astype(dtype)
    t = min(timed(lambda: a @ a) for _ in range(repeats))
    return 2 * n ** 3 / t / 1e9


def flops_per_step(K, m=100, tau=25, one_hot=False):
    """Multiply-adds x 2 of one forward and backward pass over tau characters (with one_hot, the
    forward product of the one-hot inputs with U too)."""
    return 2 * tau * (3 * m * m + (5 if one_hot else 4) * K * m)   # W h, dW, dh; V h, dV, dh; dU [; U x]


def write_markdown(res, path):
    """figures/benchmark.md: the measurements `res` as short tables (helpers.bench.tables)."""
    gflops = {name: r["steps_per_s"] * r["batch"] * flops_per_step(res["K"], one_hot="one-hot" in name) / 1e9
              for name, r in res["throughput"].items()}
    Path(path).write_text(bench_tables.markdown(res, gflops) + bench_torch_ways.markdown(res.get("torch_ways")))


def main():
    repeats = setting("BENCH_REPEATS", 5)
    target, budget = setting("BENCH_TARGET", 3.5), setting("BENCH_BUDGET", 300.0)
    K, ids, val_ids = corpus()
    print(f"K = {K}; {repeats} repeats; {blas_threads()} BLAS thread(s)", flush=True)
    res = {"K": K, "repeats": repeats, "blas_threads": blas_threads(), "target_bits": target, "budget": budget, "flops_per_step": flops_per_step(K),
           "peak_gflops": {"float64": peak_gflops(), "float32": peak_gflops(dtype=np.float32)}}
    res["throughput"] = throughput(K, ids, repeats)
    res["scaling"] = scaling(K, ids, repeats)
    res["time_to_target"] = time_to_target(K, ids, val_ids, target, budget)
    res["gated"] = bench_gated.measure(K, ids, repeats)
    res["torch_ways"] = bench_torch_ways.measure(K, ids, repeats)
    FIGURES.mkdir(exist_ok=True)
    (FIGURES / "benchmark.json").write_text(json.dumps(res, indent=1))
    write_markdown(res, FIGURES / "benchmark.md")
    plots.benchmark(res, FIGURES / "benchmark.png")
    print((FIGURES / "benchmark.md").read_text())

