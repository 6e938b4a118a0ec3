"""Timing for the benchmarks: medians of interleaved repeats."""
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
