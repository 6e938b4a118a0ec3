"""The torch_train part of `make bench`: the same GRU, at 06_gated's size, trained three ways on this
CPU -- the workbook's numpy cell, helpers.torch_train in one process, and torch_train with 2 gloo
ranks under torchrun (the same global batch, split between them) -- plus a CUDA line where there is
a CUDA device. Characters per second of training alone (torch_train's result.json
`train_chars_per_s`: its scoring and checkpoints are not counted); one thread per process.

    python -m helpers.bench.torch_ways [STEPS]    (prints the section; used by helpers.bench)
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from helpers.bench import gated
from helpers.bench.timing import median_times

STEPS = gated.STEPS                              # training steps per timed run
NO_GPU = "not measured: no CUDA device"


def torch_train(steps, device="cpu", ranks=1):
    """Training characters per second of one helpers.torch_train run (a fresh process, or
    `ranks` under torchrun), at gated.GATED's size, float32, one thread per process."""
    g = gated.GATED
    with tempfile.TemporaryDirectory() as out:
        args = ["--model", "gru", "--hidden", str(g["m"]), "--batch", str(g["B"]), "--seq", str(g["tau"]),
                "--lr", str(g["eta"]), "--steps", str(steps), "--save-every", str(steps), "--device", device,
                "--dtype", "float32", "--threads", "1", "--eval-chars", "2000", "--out", out]
        launch = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={ranks}"]
        cmd = (launch if ranks > 1 else [sys.executable]) + ["-m", "helpers.torch_train"] + args
        env = {**os.environ, "OMP_NUM_THREADS": "1", "TQDM_DISABLE": "1"}
        subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        return json.loads((Path(out) / "result.json").read_text())["train_chars_per_s"]


def measure(K, ids, repeats, steps=STEPS):
    """{way: characters per second} (the GPU's: NO_GPU without CUDA), each the median of `repeats`."""
    import torch
    chars = gated.GATED["B"] * gated.GATED["tau"] * steps
    numpy_s = median_times({"numpy": (gated.numpy_runner("gru", K, ids), steps)}, repeats, warmup=2)["numpy"]
    ways = {"numpy cell": chars / numpy_s}
    for name, device, ranks in (("torch_train, CPU", "cpu", 1),
                                ("torch_train, 2 ranks", "cpu", 2),
                                ("torch_train, CUDA", "cuda", 1)):
        if device == "cuda" and not torch.cuda.is_available():
            ways[name] = NO_GPU
            continue
        ways[name] = float(np.median([torch_train(steps, device, ranks) for _ in range(repeats)]))
        print(f"{name}: {ways[name]:,.0f} chars/s", flush=True)
    return {"settings": gated.GATED, "steps": steps, "ways": ways}


def markdown(r):
    """The section's Markdown, to append to benchmark.md ('' when `r` is None: a benchmark.json from before it)."""
    if r is None:
        return ""
    st = r["settings"]
    lines = ["", f"The same GRU trained three ways on this CPU (m = {st['m']}, batch {st['B']}, sequences of "
             f"{st['tau']}, float32, {r['steps']} steps, one thread per process; the numpy cell is helpers.models.gru "
             "with Adam and element-wise clipping, torch_train uses AdamW and norm clipping; its 2 ranks are "
             "2 gloo processes on two cores, each with half the batch):", "",
             "| way | characters per second |", "|:---|---:|"]
    lines += [f"| {way} | {v if isinstance(v, str) else f'{v:,.0f}'} |" for way, v in r["ways"].items()]
    return "\n".join(lines) + "\n"


def main():
    from helpers.bench import corpus
    K, ids, _ = corpus()
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else STEPS
    print(markdown(measure(K, ids, 1, steps)))


if __name__ == "__main__":
    main()
