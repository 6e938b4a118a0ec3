"""The training loop, modelled on nanoGPT's train.py: one process, or DDP under torchrun (gloo on
the CPU with device_ids=None, NCCL on CUDA). Every rank reads its slice of the global batch; the
gradients DDP averages are the global batch's; rank 0 alone scores, writes and prints."""
import contextlib
import math
import os
import time
from pathlib import Path

import torch
from tqdm.auto import tqdm

from helpers.torch_train import corpus, net as tnet, store
from helpers.torch_train.options import UsageError


def ranks():
    """(rank, local rank, world size) from torchrun's environment; (0, 0, 1) without it."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    return int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0")), world


def connect(device, local, world):
    """Join the process group (nothing for one process); returns the rank's torch device."""
    if world == 1:
        return torch.device(device)
    if device == "mps":
        raise UsageError("--device mps: one process only (DDP has no MPS backend)")
    if device == "cuda":
        torch.cuda.set_device(local)
    torch.distributed.init_process_group(backend="nccl" if device == "cuda" else "gloo")
    return torch.device(f"cuda:{local}" if device == "cuda" else device)


class Trainer:
    """One run's network, optimizer, streams and record; `step` counts the updates made."""

    def __init__(self, args, params, streams, device, recorded):
        self.model, self.args, self.streams, self.recorded = args.model, args, streams, recorded
        self.net = tnet.build(args.model, params, device, args.dtype)
        self.opt = tnet.optimizer(self.net, args.lr, args.weight_decay)
        self.step, self.smooth, self.best_val, self.best_step = 0, math.nan, math.inf, 0
        self.losses, self.vals, self.seconds = [], [], 0.0
        rank, local, world = ranks()
        self.rank, self.world = rank, world
        like = self.net.head.weight
        self.zero_local = tnet.zero_state(args.model, params, args.batch // world, like)   # this rank's streams
        self.zero_one = tnet.zero_state(args.model, params, 1, like)                        # to score with
        self.ddp = self.net if world == 1 else torch.nn.parallel.DistributedDataParallel(
            self.net, device_ids=None if device.type == "cpu" else [local])
        self.train_net = torch.compile(self.ddp) if args.compile else self.ddp
        self.autocast = ((lambda: torch.autocast("cuda", dtype=torch.bfloat16)) if args.bf16
                         else contextlib.nullcontext)

    def update(self, X, Y, state):
        """One AdamW step on this rank's streams X, Y (seq, b) int from `state`; returns the global
        batch's mean loss (nats per character) and the new state."""
        device = self.net.head.weight.device
        for group in self.opt.param_groups:
            group["lr"] = tnet.learning_rate(self.step, self.args)
        X, Y = torch.as_tensor(X, device=device), torch.as_tensor(Y, device=device)
        with self.autocast():
            logits, state = self.train_net(X, state)
            loss = torch.nn.functional.cross_entropy(logits.float() if self.args.bf16 else logits, Y.reshape(-1))
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        if self.args.clip > 0:
            torch.nn.utils.clip_grad_norm_(self.net.parameters(), self.args.clip)
        self.opt.step()
        mean = loss.detach().double()
        if self.world > 1:
            torch.distributed.all_reduce(mean)
            mean /= self.world
        self.step += 1
        return float(mean), tnet.detach(state)

    def record(self, loss):
        self.losses.append(loss)
        course = loss * self.args.seq        # the course's unit: a sequence's summed loss
        self.smooth = course if math.isnan(self.smooth) else 0.999 * self.smooth + 0.001 * course

    def global_state(self, state):
        """Every rank's streams' state gathered, as workbook arrays (m, B) (a collective call)."""
        if self.world == 1:
            return tnet.to_numpy_state(state)
        def gather(t):
            parts = [torch.empty_like(t) for _ in range(self.world)]
            torch.distributed.all_gather(parts, t.contiguous())
            return torch.cat(parts, dim=1)
        return tnet.to_numpy_state(tuple(gather(t) for t in state) if isinstance(state, tuple) else gather(state))


def run(args, vocab, parts, digest, params, device):
    """Train to args.steps, resuming from args.out/last.npz when it is there."""
    rank, _, world = ranks()
    streams = corpus.RankStreams(parts[0], args.seq, args.batch, rank, world)
    out, last = Path(args.out), Path(args.out) / "last.npz"
    if not last.exists() and (out / "model.npz").exists():
        raise UsageError(f"{out}/model.npz: a model without the last.npz to resume it; choose another --out")
    device = connect(device, ranks()[1], world)
    t = Trainer(args, params, streams, device, store.recorded(args, digest))
    state = t.zero_local
    if last.exists():
        g = store.load_last(last, t)
        state = tnet.to_torch_state(_slice(g, streams.rows), t.net.head.weight)
    if rank == 0:
        out.mkdir(parents=True, exist_ok=True)
        print(f"{args.model}-{params['V'].shape[1]} on {device} x{world}, {args.dtype}, B={args.batch}, "
              f"seq={args.seq}: {'resuming at step ' + str(t.step) if t.step else 'from step 0'}", flush=True)
    _train(t, args, streams, state, vocab, parts)
    if world > 1:
        torch.distributed.destroy_process_group()


def _slice(state, rows):
    return tuple(a[:, rows] for a in state) if isinstance(state, tuple) else state[:, rows]


def _train(t, args, streams, state, vocab, parts):
    """The loop: an update per step; validation, the best model and last.npz every --save-every."""
    quiet = os.environ.get("TQDM_DISABLE", "") not in ("", "0")     # as helpers.train reads it
    bar = tqdm(total=args.steps, initial=t.step, disable=quiet or t.rank != 0, unit="step", mininterval=1.0,
               desc=f"torch_train {args.model}")
    chars, start, val, first = args.batch * args.seq, time.perf_counter(), math.nan, t.step
    while t.step < args.steps:
        X, Y, reset = streams.next()
        tick = time.perf_counter()
        loss, state = t.update(X, Y, t.zero_local if reset else state)
        t.seconds += time.perf_counter() - tick          # training alone: no scoring, no saving
        t.record(loss)
        if t.step % args.save_every == 0 or t.step == args.steps:
            full = t.global_state(state)
            if t.rank == 0:
                val = checkpoint_step(t, vocab, parts[1], full)
        rate = chars * (t.step - first) / max(time.perf_counter() - start, 1e-9)
        bar.set_postfix(loss=f"{loss:.3f}", chars_s=f"{rate:,.0f}", val_bits=f"{val / math.log(2):.3f}",
                        refresh=False)
        bar.update(1)
    bar.close()


def checkpoint_step(t, vocab, val_ids, full_state):
    """Score validation; write model.npz if it is the best yet, then last.npz; returns val nats."""
    t.net.eval()
    val = tnet.score_nats(t.net, val_ids[:t.args.eval_chars], t.zero_one)
    t.net.train()
    t.vals.append((t.step, val))
    if val < t.best_val:
        t.best_val, t.best_step = val, t.step
        store.save_best(t.args.out, t, vocab, val)
    store.save_last(t.args.out, t, vocab, full_state)
    return val
