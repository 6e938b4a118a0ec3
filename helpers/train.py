"""AdaGrad training of the vanilla RNN on successive (or random) seq_length-character chunks.

One update:  g <- clip(dL/dtheta, -5, 5);  G <- G + g*g;  theta <- theta - eta * g / sqrt(G + eps)
Clipping lives here, in the update, so loss_and_grads always returns the true gradient.
"""
import json
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from .adagrad import AdaGrad, Flat
from .checkpoint import load_npz, save_npz
from .rnn import KEYS, loss_and_grads, loss_per_char


@dataclass
class History:
    """What a run recorded; `loss` and `smooth_loss` hold one value per step (course unit)."""
    loss: list = field(default_factory=list)
    smooth_loss: list = field(default_factory=list)
    val: list = field(default_factory=list)          # (step, nats per character)
    best_params: dict = None
    best_step: int = 0                                # updates made before the best parameters
    best_smooth_loss: float = math.inf
    diverged_at: int = None


class Streams:
    """Where B streams read: evenly spaced offsets read in order, or random chunks."""

    def __init__(self, ids, seq_length, batch_size, order, rng):
        self.ids, self.tau, self.B, self.order, self.rng = ids, seq_length, batch_size, order, rng
        self.seg = (len(ids) - 1) // batch_size          # each stream's share of the text
        self.starts = np.arange(batch_size) * self.seg
        self.pos = 0

    def next(self, h):
        """Inputs, targets ((tau,) each for B = 1, else (B, tau)) and h, zeroed where a stream
        starts afresh: at the end of an epoch, or at every random chunk."""
        if self.order == "random":
            self.starts = self.rng.integers(0, len(self.ids) - self.tau - 1, size=self.B)
            self.pos, h = 0, np.zeros_like(h)
        elif self.pos + self.tau > self.seg:             # end of epoch: rewind and forget
            self.pos, h = 0, np.zeros_like(h)
        rows = (self.starts + self.pos)[:, None] + np.arange(self.tau)
        self.pos += self.tau
        X, Y = self.ids[rows], self.ids[rows + 1]
        return (X[0], Y[0], h) if self.B == 1 else (X, Y, h)


def _gradient(loss_fn, params, X, Y, h, gbuf):
    """(loss, h_last), with the gradient left in gbuf.theta; the fast path writes it in place."""
    if loss_fn is loss_and_grads:
        loss, _, h = loss_fn(params, X, Y, h, out=gbuf.params)
    else:
        loss, grads, h = loss_fn(params, X, Y, h)
        gbuf.theta[...] = gbuf.flatten(grads)
    return loss, h


def _check(ids, steps, seq_length, eta, batch_size, order):
    if seq_length <= 0:
        raise ValueError(f"seq_length must be positive, got {seq_length}")
    if not eta > 0:
        raise ValueError(f"eta must be positive, got {eta}")
    if steps < 0 or batch_size <= 0:
        raise ValueError(f"steps must be >= 0 and batch_size > 0, got {steps}, {batch_size}")
    if order not in ("sequential", "random"):
        raise ValueError(f"order must be 'sequential' or 'random', got {order!r}")
    if (len(ids) - 1) // batch_size < seq_length + 1:
        raise ValueError(f"text of {len(ids)} characters is too short for batch_size={batch_size} "
                         f"streams of seq_length={seq_length}")


def train(params, ids, steps, seq_length=25, eta=0.1, *, eps=1e-8, clip=5.0, batch_size=1,
          order="sequential", rng=None, loss_fn=loss_and_grads, hook=None, hook_every=10_000,
          val_ids=None, val_every=10_000, checkpoint=None, checkpoint_every=10_000,
          resume=None, progress=True):
    """Train `params` in place with AdaGrad until `steps` updates have been made; return History.

    ids: (N,) int training text. batch_size B: B streams read the text at evenly spaced offsets,
    each with its own hidden state; the loss is the mean over streams of the summed loss.
    order: 'sequential' (the course: hprev carried, reset with the position when an epoch ends)
    or 'random' (each step reads B chunks at random offsets drawn from `rng`, from h = 0).
    hook(step, params, h, x) runs at step 0 and every `hook_every` steps: h (m, 1) and x (int)
    are stream 0's hidden state and last input. `checkpoint`: a path written every
    `checkpoint_every` steps and at the end; `resume`: such a path to continue from exactly.
    """
    ids = np.asarray(ids)
    _check(ids, steps, seq_length, eta, batch_size, order)
    rng = np.random.default_rng(0) if rng is None else rng
    flat, gbuf, m = Flat(params), Flat(params), params["W"].shape[0]
    streams = Streams(ids, seq_length, batch_size, order, rng)
    config = dict(seq_length=seq_length, batch_size=batch_size, order=order, eta=eta)
    s = dict(step=0, pos=0, h=np.zeros((m, batch_size)), mem=None,
             smooth=None, history=History(best_params={k: v.copy() for k, v in params.items()}))
    if resume is not None:
        s = _load_state(resume, flat, rng, config, s)
    hist, h, step, smooth, streams.pos = s["history"], s["h"], s["step"], s["smooth"], s["pos"]
    opt = AdaGrad(flat.theta.size, eta, eps, clip)
    if s["mem"] is not None:
        opt.mem[...] = s["mem"]
    best = flat.flatten(hist.best_params)
    bar = tqdm(total=steps, initial=step, disable=not progress, mininterval=1.0,
               desc=f"training (B={batch_size})", unit="step")
    if hook is not None and step == 0:
        hook(0, flat.params, h[:, :1].copy(), int(ids[0]))
    while step < steps:
        X, Y, h = streams.next(h)
        loss, h = _gradient(loss_fn, flat.params, X, Y, h, gbuf)
        if not math.isfinite(loss):
            _diverged(hist, step, loss, flat, best)
            break
        smooth = loss if smooth is None else 0.999 * smooth + 0.001 * loss
        if smooth < hist.best_smooth_loss:              # the parameters that gave this loss
            np.copyto(best, flat.theta)
            hist.best_smooth_loss, hist.best_step = smooth, step
        opt.step(flat.theta, gbuf.theta)
        step += 1
        hist.loss.append(loss)
        hist.smooth_loss.append(smooth)
        if step % 500 == 0:
            bar.update(step - bar.n)
            bar.set_postfix(smooth_loss=f"{smooth:.2f}", refresh=False)
        if val_ids is not None and step % val_every == 0:
            hist.val.append((step, loss_per_char(flat.params, val_ids)))
        if hook is not None and step % hook_every == 0:
            hook(step, flat.params, h[:, :1].copy(), int(np.atleast_2d(X)[0, -1]))
        if checkpoint is not None and (step % checkpoint_every == 0 or step == steps):
            hist.best_params = flat.unflatten(best)
            _save_state(checkpoint, flat, opt.mem, step, streams.pos, h, smooth, rng, config, hist)
    bar.update(step - bar.n)
    bar.close()
    hist.best_params = flat.unflatten(best)
    for k in KEYS:
        params[k][...] = flat.params[k]
    return hist


def _diverged(hist, step, loss, flat, best):
    """Stop on a NaN or infinite loss: restore the best parameters and say so."""
    hist.diverged_at = step
    flat.theta[...] = best
    warnings.warn(f"training diverged at step {step} (loss {loss}); stopped and restored the best "
                  f"parameters, from step {hist.best_step}. Try a smaller eta.", RuntimeWarning)


def _save_state(path, flat, mem, step, pos, h, smooth, rng, config, hist):
    best = np.concatenate([hist.best_params[k].ravel() for k in KEYS])
    save_npz(path, theta=flat.theta, mem=mem, step=step, pos=pos, h=h, smooth=smooth,
             best=best, best_step=hist.best_step, best_smooth_loss=hist.best_smooth_loss,
             loss=np.array(hist.loss), smooth_loss=np.array(hist.smooth_loss),
             val=np.array(hist.val, dtype=float).reshape(-1, 2),
             rng=json.dumps(rng.bit_generator.state), config=json.dumps(config))


def _load_state(path, flat, rng, config, s):
    a = load_npz(path, required=("theta", "mem", "step", "pos", "h", "rng", "config"))
    saved = json.loads(str(a["config"]))
    if saved != config:
        raise ValueError(f"{path}: checkpoint was made with {saved}, not {config}")
    if a["theta"].shape != flat.theta.shape:
        raise ValueError(f"{path}: checkpoint has {a['theta'].size} parameters, the model {flat.theta.size}")
    flat.theta[...] = a["theta"]
    rng.bit_generator.state = json.loads(str(a["rng"]))
    hist = History(loss=a["loss"].tolist(), smooth_loss=a["smooth_loss"].tolist(),
                   val=[(int(st), v) for st, v in a["val"]], best_params=flat.unflatten(a["best"]),
                   best_step=int(a["best_step"]), best_smooth_loss=float(a["best_smooth_loss"]))
    return dict(step=int(a["step"]), pos=int(a["pos"]), h=a["h"], mem=a["mem"],
                smooth=float(a["smooth"]), history=hist)
