"""Training any model of helpers.models on successive (or random) seq_length-character chunks.

The course's update is AdaGrad:  g <- clip(dL/dtheta, -5, 5);  G <- G + g*g;
theta <- theta - eta * g / sqrt(G + eps). Adam is the alternative (helpers.optim). Clipping
lives in the update, so loss_and_grads always returns the true gradient. What a run sets is one
TrainConfig (helpers.train_config), the course's settings by default.
"""
import json
import math
import os
import warnings
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm          # a widget in Jupyter (ipywidgets), a text bar in a terminal

from helpers import models, optim
from helpers.checkpoint import load_npz, save_npz
from helpers.train_config import TrainConfig, check_resumable


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

    def learned(self):
        """True when the last tenth of the steps' losses averages below the first step's: training
        moved the model for the better (a wrong sign or a broken gradient does not)."""
        tail = self.loss[-max(1, len(self.loss) // 10):]
        return bool(self.loss) and float(np.mean(tail)) < self.loss[0]


def course_position(e, tau, seg):
    """The course's walk through the text: (start, reset) for the next chunk of a stream that has
    read up to position `e` (int, 0 at the start) of its `seg` inputs.

    A chunk reads the inputs [start, start + tau) and their targets [start + 1, start + tau + 1).
    The course rewinds when e + tau >= seg, as the assignment's loop does (`e > length(book_data)
    - seq_length - 1`, 1-based) and min-char-rnn's (`p + seq_length + 1 >= len(data)`): start = 0
    and reset = True (hprev is then set to zeros); otherwise start = e and reset = False. So a
    target never reaches the stream's last character. The caller moves e to start + tau.
    """
    # BEGIN SOLUTION E8: (0, True) when e + tau >= seg (the assignment's rewind, 0-based), else (e, False)
    # HINT: the assignment rewinds when e > length(book_data) - seq_length - 1, with e counted from 1.
    if e + tau >= seg:
        return 0, True
    return e, False
    # END SOLUTION


def smooth_and_best(smooth, best, loss):
    """The course's bookkeeping after one step's `loss`: (smooth loss, is it the best yet).

    smooth: the smooth loss so far, None before the first step; best: the lowest smooth loss so
    far (inf at first). The smooth loss starts at the first loss and is then
    0.999 * smooth + 0.001 * loss; the parameters that gave it are the best when it is below best.
    """
    # BEGIN SOLUTION E8: the new smooth loss (the loss at the first step) and whether it is below best
    smooth = loss if smooth is None else 0.999 * smooth + 0.001 * loss
    return smooth, smooth < best
    # END SOLUTION


class Streams:
    """Where B streams read: evenly spaced offsets read in order, or random chunks."""

    def __init__(self, ids, seq_length, batch_size, order, rng, zero):
        self.ids, self.tau, self.B, self.order, self.rng = ids, seq_length, batch_size, order, rng
        self.zero = zero                                 # () -> the model's zero state for B streams
        self.seg = (len(ids) - 1) // batch_size          # each stream's share of the text
        self.starts = np.arange(batch_size) * self.seg
        self.pos = 0

    def next(self, state):
        """Inputs, targets ((tau,) each for B = 1, else (B, tau)) and the state, zeroed where a
        stream starts afresh: at the end of an epoch, or at every random chunk."""
        if self.order == "random":
            self.starts = self.rng.integers(0, len(self.ids) - self.tau - 1, size=self.B)
            self.pos, state = 0, self.zero()
        else:
            self.pos, reset = course_position(self.pos, self.tau, self.seg)
            state = self.zero() if reset else state         # end of epoch: rewind and forget
        rows = (self.starts + self.pos)[:, None] + np.arange(self.tau)
        self.pos += self.tau
        X, Y = self.ids[rows], self.ids[rows + 1]
        return (X[0], Y[0], state) if self.B == 1 else (X, Y, state)


def _gradient(module, loss_fn, params, X, Y, state, gbuf):
    """(loss, last state), with the gradient left in gbuf.theta; the fast path writes in place."""
    if loss_fn is module.loss_and_grads:
        loss, _, state = loss_fn(params, X, Y, state, out=gbuf.params)
    else:
        loss, grads, state = loss_fn(params, X, Y, state)
        gbuf.theta[...] = gbuf.flatten(grads)
    return loss, state


def _check(ids, steps, config, anneal):
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    if anneal < 0:
        raise ValueError(f"anneal must be >= 0 steps, got {anneal}")
    if (len(ids) - 1) // config.batch_size < config.seq_length + 1:
        raise ValueError(f"text of {len(ids)} characters is too short for batch_size={config.batch_size} "
                         f"streams of seq_length={config.seq_length}")


def train(params, ids, steps, config=TrainConfig(), *, anneal=0, rng=None, val_ids=None, val_every=10_000,
          hook=None, hook_every=10_000, checkpoint=None, checkpoint_every=10_000, resume=None,
          loss_fn=None, progress=True):
    """Train `params` of `config.model` in place until `steps` updates have been made; return History.

    ids: (N,) int training text. config: the run's settings (TrainConfig; the default is the
    course's). With batch_size B, B streams read the text at evenly spaced offsets, each with its
    own state; the loss is the mean over streams of the summed loss. order 'random' reads B chunks
    at random offsets drawn from `rng`, each from zero. anneal: over the last `anneal` of the
    `steps` updates eta falls linearly toward 0 (0: eta stays constant, the course's); a resumed
    run may choose another schedule, but not another config.
    hook(step, params, state, x) runs at step 0 and every `hook_every` steps, with stream 0's
    state ((m, 1) arrays) and last input (int). `checkpoint`: a path written every
    `checkpoint_every` steps and at the end; `resume`: such a path to continue from exactly, made
    with the same config. loss_fn: another loss_and_grads (the checks and the benchmark use it).
    """
    model, B = config.model, config.batch_size
    module, ids = models.get(model), np.asarray(ids)
    models.check_shapes(model, params)
    _check(ids, steps, config, anneal)
    rng = np.random.default_rng(0) if rng is None else rng
    loss_fn = module.loss_and_grads if loss_fn is None else loss_fn
    flat, gbuf = optim.Flat(params, module.KEYS), optim.Flat(params, module.KEYS)
    streams = Streams(ids, config.seq_length, B, config.order, rng, lambda: module.zero_state(flat.params, B))
    opt = optim.make(config.optimizer, flat.theta.size, config.eta, config.eps, config.clip)
    s = dict(step=0, pos=0, state=streams.zero(), smooth=None,
             history=History(best_params={k: v.copy() for k, v in params.items()}))
    if resume is not None:
        s = _load_state(resume, flat, opt, rng, config, s)
    hist, state, step, smooth, streams.pos = s["history"], s["state"], s["step"], s["smooth"], s["pos"]
    best = flat.flatten(hist.best_params)
    quiet = os.environ.get("TQDM_DISABLE", "") not in ("", "0")   # make's runs; tqdm's widget ignores it
    bar = tqdm(total=steps, initial=step, disable=quiet or not progress, mininterval=1.0,
               desc=f"training {model} (B={B})", unit="step")
    if hook is not None and step == 0:
        hook(0, flat.params, models.first_stream(state), int(ids[0]))
    while step < steps:
        X, Y, state = streams.next(state)
        loss, state = _gradient(module, loss_fn, flat.params, X, Y, state, gbuf)
        if not math.isfinite(loss):
            _diverged(hist, step, loss, flat, best)
            break
        smooth, improved = smooth_and_best(smooth, hist.best_smooth_loss, loss)
        if improved:                                    # the parameters that gave this loss
            np.copyto(best, flat.theta)
            hist.best_smooth_loss, hist.best_step = smooth, step
        opt.eta = optim.annealed(config.eta, step, steps, anneal)
        opt.step(flat.theta, gbuf.theta)
        step += 1
        hist.loss.append(loss)
        hist.smooth_loss.append(smooth)
        if step % 500 == 0:
            bar.update(step - bar.n)
            bar.set_postfix(smooth_loss=f"{smooth:.2f}", refresh=False)
        if val_ids is not None and step % val_every == 0:
            hist.val.append((step, module.loss_per_char(flat.params, val_ids)))
        if hook is not None and step % hook_every == 0:
            hook(step, flat.params, models.first_stream(state), int(np.atleast_2d(X)[0, -1]))
        if checkpoint is not None and (step % checkpoint_every == 0 or step == steps):
            hist.best_params = flat.unflatten(best)
            _save_state(checkpoint, flat, opt, step, streams.pos, state, smooth, rng, config, hist)
    bar.update(step - bar.n)
    bar.close()
    hist.best_params = flat.unflatten(best)
    for k in module.KEYS:
        params[k][...] = flat.params[k]
    return hist


def _diverged(hist, step, loss, flat, best):
    """Stop on a NaN or infinite loss: restore the best parameters and say so."""
    hist.diverged_at = step
    flat.theta[...] = best
    warnings.warn(f"training diverged at step {step} (loss {loss}); stopped and restored the best "
                  f"parameters, from step {hist.best_step}. Try a smaller eta.", RuntimeWarning)


def _save_state(path, flat, opt, step, pos, state, smooth, rng, config, hist):
    save_npz(path, theta=flat.theta, step=step, pos=pos, h=models.pack(state), smooth=smooth,
             best=flat.flatten(hist.best_params), best_step=hist.best_step,
             best_smooth_loss=hist.best_smooth_loss,
             loss=np.array(hist.loss), smooth_loss=np.array(hist.smooth_loss),
             val=np.array(hist.val, dtype=float).reshape(-1, 2),
             rng=json.dumps(rng.bit_generator.state), config=config.to_json(),
             **{f"opt_{k}": v for k, v in opt.state().items()})


def _load_state(path, flat, opt, rng, config, s):
    a = load_npz(path, required=("theta", "step", "pos", "h", "rng", "config"))
    check_resumable(path, str(a["config"]), config)
    missing = [k for k in opt.state() if f"opt_{k}" not in a]
    if missing:
        raise ValueError(f"{path}: checkpoint lacks the optimizer's {', '.join(missing)}")
    if a["theta"].shape != flat.theta.shape:
        raise ValueError(f"{path}: checkpoint has {a['theta'].size} parameters, the model {flat.theta.size}")
    flat.theta[...] = a["theta"]
    for k, v in opt.state().items():
        v[...] = a[f"opt_{k}"]
    rng.bit_generator.state = json.loads(str(a["rng"]))
    hist = History(loss=a["loss"].tolist(), smooth_loss=a["smooth_loss"].tolist(),
                   val=[(int(st), v) for st, v in a["val"]], best_params=flat.unflatten(a["best"]),
                   best_step=int(a["best_step"]), best_smooth_loss=float(a["best_smooth_loss"]))
    return dict(step=int(a["step"]), pos=int(a["pos"]), state=models.unpack(a["h"], s["state"]),
                smooth=float(a["smooth"]), history=hist)
