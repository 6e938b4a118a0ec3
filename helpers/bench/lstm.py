"""The gated part of `make bench`: our float32 LSTM against torch.nn.LSTM, same settings, same
optimizer (Adam), one core; then both with two BLAS threads (in a subprocess, because the thread
count is fixed when numpy loads); and where one forward and backward pass spends its time.

    python -m helpers.bench.lstm THREADS REPEATS   (prints JSON; used by helpers.bench)
"""
import json
import os
import subprocess
import sys
import time

import numpy as np

from helpers import data

from helpers.models import lstm
from helpers.bench.timing import median_times, one_hot_inputs, timed, torch_update
from helpers.train import TrainConfig, train

K_SEED = 0
LSTM = dict(m=256, B=32, tau=100, eta=2e-3)      # the gated comparison: PyTorch's usual settings
CONFIG = TrainConfig(model="lstm", optimizer="adam", seq_length=LSTM["tau"], batch_size=LSTM["B"], eta=LSTM["eta"])


def lstm_runner(K, ids, one_hot=False):
    """A function steps -> seconds: our float32 LSTM with Adam and clipping, through train(),
    reading its inputs by row lookup, or (one_hot) as PyTorch does. Its BLAS threads are the
    process's (set by the environment before numpy loads)."""
    loss_fn = one_hot_inputs(lstm, K) if one_hot else None

    def run(steps):
        params = lstm.init_params(K, LSTM["m"], (3 * LSTM["m"]) ** -0.5, np.random.default_rng(K_SEED), dtype=np.float32)
        start = time.perf_counter()
        train(params, ids, steps, CONFIG, progress=False, loss_fn=loss_fn)
        return time.perf_counter() - start, params
    return run


def torch_lstm_runner(K, ids, threads=1):
    """The same with torch.nn.LSTM + nn.Linear: one-hot inputs, Adam, clipping at 5, B streams."""
    import torch
    torch.set_num_threads(threads)
    m, B, tau = LSTM["m"], LSTM["B"], LSTM["tau"]

    def run(steps):
        torch.manual_seed(K_SEED)
        net, head = torch.nn.LSTM(K, m), torch.nn.Linear(m, K)
        params = list(net.parameters()) + list(head.parameters())
        opt = torch.optim.Adam(params, lr=LSTM["eta"])
        data_t, eye = torch.as_tensor(ids), torch.eye(K)
        starts = torch.arange(B) * ((len(ids) - 1) // B)
        state, pos = None, 0
        start = time.perf_counter()
        for _ in range(steps):
            rows = (starts + pos)[None, :] + torch.arange(tau)[:, None]       # (tau, B)
            out, state = net(eye[data_t[rows]], state)
            state = tuple(s.detach() for s in state)
            loss = torch.nn.functional.cross_entropy(head(out.reshape(-1, m)), data_t[rows + 1].reshape(-1),
                                                     reduction="sum") / B
            torch_update(opt, loss, params)
            pos += tau
        return time.perf_counter() - start, (net, head)
    return run


def lstm_throughput(K, ids, repeats, threads=1):
    """Characters per second of our LSTM and PyTorch's, same settings, in one run."""
    runs = {"numpy LSTM, lookup": (lstm_runner(K, ids), 30), "numpy LSTM, one-hot": (lstm_runner(K, ids, True), 30),
            "PyTorch nn.LSTM, one-hot": (torch_lstm_runner(K, ids, threads), 30)}
    times = median_times(runs, repeats, warmup=2)
    chars = LSTM["B"] * LSTM["tau"] * 30
    out = {name: chars / t for name, t in times.items()}
    out["ratio"] = out["numpy LSTM, one-hot"] / out["PyTorch nn.LSTM, one-hot"]
    print(f"LSTM, {threads} thread(s): " + ", ".join(f"{k} {v:,.2f}" for k, v in out.items()), flush=True)
    return out


def lstm_breakdown(K, repeats=5):
    """Milliseconds of one forward and backward pass of our LSTM: the matrix products against
    the element-wise work (everything else), measured on the same shapes."""
    m, B, tau = LSTM["m"], LSTM["B"], LSTM["tau"]
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
    """lstm_throughput with `threads` BLAS and torch threads, in a fresh Python process."""
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads),
           "MKL_NUM_THREADS": str(threads)}
    out = subprocess.run([sys.executable, "-m", "helpers.bench.lstm", str(threads), str(repeats)],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(K, ids, repeats):
    """The LSTM section of benchmark.json."""
    return {"settings": LSTM, "one_thread": lstm_throughput(K, ids, repeats),
            "two_threads": with_threads(2, repeats), "breakdown": lstm_breakdown(K)}


def markdown(r):
    """The LSTM section: ours against PyTorch, one and two threads, and where the time goes."""
    st, b = r["settings"], r["breakdown"]
    lines = ["", f"The LSTM against PyTorch: m = {st['m']}, batch {st['B']}, sequences of {st['tau']}, "
             f"float32 on both sides, Adam (lr {st['eta']}) with clipping, whole training steps; the ratio "
             f"compares the same one-hot input path (`06_gated` trains on two threads, with the lookup):", "",
             "| BLAS threads | numpy LSTM, lookup (characters/s) | numpy LSTM, one-hot | PyTorch nn.LSTM, one-hot | ratio (one-hot) |",
             "|---:|---:|---:|---:|---:|"]
    for n, key in ((1, "one_thread"), (2, "two_threads")):
        t = r[key]
        lines.append(f"| {n} | {t['numpy LSTM, lookup']:,.0f} | {t['numpy LSTM, one-hot']:,.0f} | "
                     f"{t['PyTorch nn.LSTM, one-hot']:,.0f} | {t['ratio']:.2f}x |")
    lines += ["", f"One forward and backward pass of ours takes {b['total_ms']:.1f} ms: {b['products_ms']:.1f} ms "
              f"in matrix products ({b['products_ms'] / b['total_ms']:.0%}) and {b['elementwise_ms']:.1f} ms "
              f"in element-wise work and overhead ({b['elementwise_ms'] / b['total_ms']:.0%})."]
    return lines


def main():
    threads, repeats = int(sys.argv[1]), int(sys.argv[2])
    text = data.load_corpus(os.environ.get("CORPUS") or None)
    vocab = data.Vocabulary.from_text(text)
    ids = data.split(vocab.encode(text))[0]
    print(json.dumps(lstm_throughput(len(vocab), ids, repeats, threads)))


if __name__ == "__main__":
    main()
