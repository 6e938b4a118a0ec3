"""The gated part of `make bench`: our float32 LSTM and GRU against torch.nn.LSTM and nn.GRU, same
settings, same optimizer (Adam), one core; then with two BLAS threads (in a subprocess, because the
thread count is fixed when numpy loads); and where one LSTM forward and backward pass spends its time.

    python -m helpers.bench.gated THREADS REPEATS   (prints JSON; used by helpers.bench)
"""
import json
import os
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np

from helpers import data, models

from helpers.models import lstm
from helpers.bench.timing import median_times, one_hot_inputs, timed, torch_update
from helpers.train import LoopConfig, TrainConfig, train

K_SEED = 0
KINDS = ("lstm", "gru")
GATED = dict(m=256, B=32, tau=100, eta=2e-3)     # the gated comparison: PyTorch's usual settings
CONFIG = TrainConfig(optimizer="adam", seq_length=GATED["tau"], batch_size=GATED["B"], eta=GATED["eta"])
STEPS = 30                                       # training steps per timed run


def numpy_runner(kind, K, ids, one_hot=False):
    """A function steps -> seconds: our float32 model `kind` with Adam and clipping, through
    train(), reading its inputs by row lookup, or (one_hot) as PyTorch does. Its BLAS threads are
    the process's (set by the environment before numpy loads)."""
    module = models.get(kind)
    loss_fn = one_hot_inputs(module, K) if one_hot else None
    config = replace(CONFIG, model=kind)

    def run(steps):
        m = GATED["m"]
        params = module.init_params(K, m, (3 * m) ** -0.5, np.random.default_rng(K_SEED), dtype=np.float32)
        start = time.perf_counter()
        train(params, ids, steps, config, loop=LoopConfig(progress=False), loss_fn=loss_fn)
        return time.perf_counter() - start, params
    return run


def torch_runner(kind, K, ids, threads=1):
    """The same with torch.nn.LSTM or nn.GRU + nn.Linear: one-hot inputs, Adam, clipping at 5."""
    import torch
    torch.set_num_threads(threads)
    m, B, tau = GATED["m"], GATED["B"], GATED["tau"]

    def run(steps):
        torch.manual_seed(K_SEED)
        net, head = (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(K, m), torch.nn.Linear(m, K)
        params = list(net.parameters()) + list(head.parameters())
        opt = torch.optim.Adam(params, lr=GATED["eta"])
        data_t, eye = torch.as_tensor(ids), torch.eye(K)
        starts = torch.arange(B) * ((len(ids) - 1) // B)
        state, pos = None, 0
        start = time.perf_counter()
        for _ in range(steps):
            rows = (starts + pos)[None, :] + torch.arange(tau)[:, None]       # (tau, B)
            out, state = net(eye[data_t[rows]], state)
            state = tuple(s.detach() for s in state) if kind == "lstm" else state.detach()
            loss = torch.nn.functional.cross_entropy(head(out.reshape(-1, m)), data_t[rows + 1].reshape(-1),
                                                     reduction="sum") / B
            torch_update(opt, loss, params)
            pos += tau
        return time.perf_counter() - start, (net, head)
    return run


def throughput(K, ids, repeats, threads=1):
    """{kind: {path: characters per second, "ratio": ours / PyTorch's, one-hot}} for the LSTM and
    the GRU, ours (lookup and one-hot inputs) and PyTorch's, the same settings, in one run."""
    runs = {}
    for kind in KINDS:
        name = kind.upper()
        runs[kind, f"numpy {name}, lookup"] = (numpy_runner(kind, K, ids), STEPS)
        runs[kind, f"numpy {name}, one-hot"] = (numpy_runner(kind, K, ids, True), STEPS)
        runs[kind, f"PyTorch nn.{name}, one-hot"] = (torch_runner(kind, K, ids, threads), STEPS)
    times = median_times(runs, repeats, warmup=2)
    out = {kind: {} for kind in KINDS}
    for (kind, path), t in times.items():
        out[kind][path] = GATED["B"] * GATED["tau"] * STEPS / t
    for kind, r in out.items():
        name = kind.upper()
        r["ratio"] = r[f"numpy {name}, one-hot"] / r[f"PyTorch nn.{name}, one-hot"]
        print(f"{name}, {threads} thread(s): " + ", ".join(f"{k} {v:,.2f}" for k, v in r.items()), flush=True)
    return out


def lstm_breakdown(K, repeats=5):
    """Milliseconds of one forward and backward pass of our LSTM: the matrix products against
    the element-wise work (everything else), measured on the same shapes."""
    m, B, tau = GATED["m"], GATED["B"], GATED["tau"]
    rng = np.random.default_rng(0)
    p = lstm.init_params(K, m, 0.01, rng, dtype=np.float32)
    x, y = rng.integers(0, K, (B, tau)), rng.integers(0, K, (B, tau))
    out, state = {k: np.empty_like(v) for k, v in p.items()}, lstm.zero_state(p, B)
    total = min(timed(lambda: lstm.loss_and_grads(p, x, y, state, out)) for _ in range(repeats))
    h, a, W = np.ones((B, m), np.float32), np.ones((B, 4 * m), np.float32), p["W"]
    A, H, G = np.ones((tau * B, 4 * m), np.float32), np.ones((tau * B, m), np.float32), np.ones((tau * B, K), np.float32)

    def products():
        for _ in range(tau):
            np.dot(h, W.T)
            np.dot(a, W)
        np.dot(A.T, H), np.dot(A.T, np.zeros((tau * B, K), np.float32)), np.dot(H, p["V"].T)
        np.dot(G, p["V"]), np.dot(G.T, H)
    prod = min(timed(products) for _ in range(repeats))
    return {"total_ms": 1e3 * total, "products_ms": 1e3 * prod, "elementwise_ms": 1e3 * (total - prod)}



def with_threads(threads, repeats):
    """`throughput` with `threads` BLAS and torch threads, in a fresh Python process."""
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads),
           "MKL_NUM_THREADS": str(threads)}
    out = subprocess.run([sys.executable, "-m", "helpers.bench.gated", str(threads), str(repeats)],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(K, ids, repeats):
    """The gated section of benchmark.json."""
    return {"settings": GATED, "one_thread": throughput(K, ids, repeats),
            "two_threads": with_threads(2, repeats), "breakdown": lstm_breakdown(K)}


def markdown(r):
    """The gated section: ours against PyTorch, one and two threads, and where the LSTM's time goes."""
    st, b = r["settings"], r["breakdown"]
    lines = ["", f"The gated models against PyTorch: m = {st['m']}, batch {st['B']}, sequences of {st['tau']}, "
             f"float32 on both sides, Adam (lr {st['eta']}) with clipping, whole training steps, in characters "
             f"per second; the ratio compares the same one-hot input path (`06_gated` trains on two threads, "
             f"with the lookup):", "",
             "| model | BLAS threads | ours, lookup | ours, one-hot | PyTorch, one-hot | ratio (one-hot) |",
             "|:---|---:|---:|---:|---:|---:|"]
    for kind in KINDS:
        name = kind.upper()
        for n, key in ((1, "one_thread"), (2, "two_threads")):
            t = r[key][kind]
            lines.append(f"| {name} | {n} | {t[f'numpy {name}, lookup']:,.0f} | {t[f'numpy {name}, one-hot']:,.0f} | "
                         f"{t[f'PyTorch nn.{name}, one-hot']:,.0f} | {t['ratio']:.2f}x |")
    lines += ["", f"One forward and backward pass of our LSTM takes {b['total_ms']:.1f} ms: {b['products_ms']:.1f} ms "
              f"in matrix products ({b['products_ms'] / b['total_ms']:.0%}) and {b['elementwise_ms']:.1f} ms "
              f"in element-wise work and overhead ({b['elementwise_ms'] / b['total_ms']:.0%})."]
    return lines


def main():
    threads, repeats = int(sys.argv[1]), int(sys.argv[2])
    text = data.load_corpus(os.environ.get("CORPUS") or None)
    vocab = data.Vocabulary.from_text(text)
    ids = data.split(vocab.encode(text))[0]
    print(json.dumps(throughput(len(vocab), ids, repeats, threads)))


if __name__ == "__main__":
    main()
