"""What the benchmarks share: medians of interleaved repeats, BLAS threads, PyTorch's input path."""
import time

import numpy as np


def timed(f):
    """Seconds one call of f() takes."""
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def median_times(runs, repeats, warmup=10):
    """{name: median seconds} for runs {name: (run, steps)}, where run(steps) -> (seconds, result).
    The repeats are interleaved, one run of every mode per round, so that a slow phase of the
    machine hits all modes alike; each mode first runs `warmup` steps."""
    for run, _ in runs.values():
        run(warmup)
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, (run, steps) in runs.items():
            times[name].append(run(steps)[0])
    return {name: float(np.median(t)) for name, t in times.items()}


def torch_update(opt, loss, params, clip=5.0):
    """One PyTorch reference update: backward, element-wise clipping, the optimizer's step."""
    import torch
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(params, clip)
    opt.step()


def blas_threads():
    """How many threads numpy's BLAS uses in this process."""
    from threadpoolctl import threadpool_info
    return max((p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"), default=1)


def one_hot_inputs(module, K):
    """The model's loss_and_grads, with the forward pass also multiplying the inputs' one-hot
    vectors by U, (tau*B, K) x (K, m), as nn.RNN and nn.LSTM must: the input path PyTorch takes.
    x: (tau,) or (B, tau) int; the rest as module.loss_and_grads."""
    def loss_fn(params, x, y, state):
        U = params["U"]
        np.dot(np.eye(K, dtype=U.dtype)[np.asarray(x).reshape(-1)], U.T)
        return module.loss_and_grads(params, x, y, state)
    return loss_fn
