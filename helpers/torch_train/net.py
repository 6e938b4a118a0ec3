"""The network torch_train trains: a registry cell (to_torch / from_torch of helpers.models) and
its linear read-out, fed one-hot characters; its states, scores, optimizer and schedule."""
import copy
import math

import numpy as np
import torch

from helpers import models

DTYPES = {"float32": torch.float32, "float64": torch.float64}
EVAL_CHUNK = 10_000        # characters scored per call: the state is carried across chunks


class CharNet(torch.nn.Module):
    """cell (nn.RNN, nn.LSTM or nn.GRU, one layer, K inputs) and head (nn.Linear(m, K))."""

    def __init__(self, cell, head):
        super().__init__()
        self.cell, self.head = cell, head
        self.K = head.out_features

    def forward(self, X, state):
        """Scores (seq*B, K) for X (seq, B) int from `state` (the cell's: (1, B, m) tensors), and
        the last state."""
        one_hot = torch.nn.functional.one_hot(X, self.K).to(self.head.weight.dtype)
        out, state = self.cell(one_hot, state)
        return self.head(out.reshape(-1, out.shape[-1])), state


def build(model, params, device, dtype):
    """A CharNet holding the workbook parameters `params` of `model`, on `device` in `dtype`."""
    cell, head = models.get(model).to_torch(params)
    return CharNet(cell, head).to(device=device, dtype=DTYPES[dtype])


def workbook_params(model, net):
    """The workbook's parameters (float64 numpy, helpers.models' names) of a CharNet."""
    return models.get(model).from_torch(_cpu(net.cell), _cpu(net.head))


def _cpu(module):
    """A float64 CPU copy of `module` (from_torch reads numpy arrays)."""
    return copy.deepcopy(module).to(device="cpu", dtype=torch.float64)


def zero_state(model, params, B, like):
    """The cell's zero state for B streams as torch tensors (1, B, m), shaped by the registry."""
    return to_torch_state(models.get(model).zero_state(params, B), like)


def to_torch_state(state, like):
    """A workbook state ((m, B) arrays, or a tuple of them) as (1, B, m) tensors like `like`."""
    def one(a):
        return torch.as_tensor(np.ascontiguousarray(a.T[None])).to(device=like.device, dtype=like.dtype)
    return tuple(one(a) for a in state) if isinstance(state, tuple) else one(state)


def to_numpy_state(state):
    """The inverse of to_torch_state: (m, B) float64 arrays."""
    def one(t):
        return t.detach().to(device="cpu", dtype=torch.float64).numpy()[0].T.copy()
    return tuple(one(t) for t in state) if isinstance(state, tuple) else one(state)


def detach(state):
    return tuple(t.detach() for t in state) if isinstance(state, tuple) else state.detach()


@torch.no_grad()
def score_nats(net, ids, zero):
    """Mean nats per character of ids[1:] (ids: (n,) int), read once as one stream from the zero
    state `zero`, as helpers.models' loss_per_char reads it."""
    device = net.head.weight.device
    ids, state, total = torch.as_tensor(np.asarray(ids), device=device), zero, 0.0
    for s in range(0, len(ids) - 1, EVAL_CHUNK):
        X, Y = ids[s:s + EVAL_CHUNK], ids[s + 1:s + EVAL_CHUNK + 1]
        logits, state = net(X[:len(Y), None], state)
        total += float(torch.nn.functional.cross_entropy(logits.double(), Y, reduction="sum"))
    return total / (len(ids) - 1)


def optimizer(net, lr, weight_decay):
    """AdamW with weight decay on the weight matrices only, not on the biases (nanoGPT's split)."""
    params = list(net.parameters())
    groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
              {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.99))


def learning_rate(step, args):
    """nanoGPT's schedule: linear warm-up over --warmup steps, then cosine decay to --min-lr at --steps."""
    if step < args.warmup:
        return args.lr * (step + 1) / (args.warmup + 1)
    if step >= args.steps:
        return args.min_lr
    ratio = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (args.lr - args.min_lr)
