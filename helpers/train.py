"""Training any model of helpers.models on successive (or random) seq_length-character chunks.

The course's update is AdaGrad:  g <- clip(dL/dtheta, -5, 5);  G <- G + g*g;
theta <- theta - eta * g / sqrt(G + eps). Adam is the alternative (helpers.optim). Clipping
lives in the update, so loss_and_grads always returns the true gradient. What a run sets is one
TrainConfig (helpers.train_config), the course's settings by default.
"""
import math
import os
import warnings
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm          # a widget in Jupyter (ipywidgets), a text bar in a terminal

from helpers import models, optim
from helpers.checkpoint import load_run, save_run
from helpers.train_config import LoopConfig, TrainConfig


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
    It reads on from e (start = e, reset = False) until the assignment's loop would rewind; then
    start = 0 and reset = True (hprev is then set to zeros). The assignment rewinds when
    `e > length(book_data) - seq_length - 1`, in MATLAB, with e counted from 1 and book_data here
    the stream's seg + 1 characters (its inputs and the last target); e here counts from 0. Translated
    exactly, a target never reaches the stream's last character; the checks also accept the rule
    left 1-based, which reads one chunk more (docs/exercises.md). The caller moves e to start + tau.
    """
    # BEGIN SOLUTION E8: (start, reset) for the next chunk: the assignment's rewind rule, translated from 1-based MATLAB
    # HINT: the assignment rewinds when e > length(book_data) - seq_length - 1 (e from 1); here e counts from 0.
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


def train(params, ids, steps, config=TrainConfig(), *, loop=LoopConfig(), anneal=0, rng=None, loss_fn=None):
    """Train `params` of `config.model` in place until `steps` updates have been made; return History.

    ids: (N,) int training text. config: the run's settings (TrainConfig; the default is the
    course's). With batch_size B, B streams read the text at evenly spaced offsets, each with its
    own state; the loss is the mean over streams of the summed loss. order 'random' reads B chunks
    at random offsets drawn from `rng`, each from zero. loop: what this call does along the way
    (LoopConfig: validation, a hook, its checkpoint, resuming from it). anneal: over the last
    `anneal` of the `steps` updates eta falls linearly toward 0 (0: eta stays constant, the
    course's); a resumed run may choose another schedule, but not another config.
    loss_fn: another loss_and_grads (the checks and the benchmark use it).
    """
    module, ids = models.get(config.model), np.asarray(ids)
    models.check_shapes(config.model, params)
    _check(ids, steps, config, anneal)
    run = _start(params, ids, config, np.random.default_rng(0) if rng is None else rng)
    if loop.resume:
        load_run(loop.checkpoint, run)
    loss_fn = module.loss_and_grads if loss_fn is None else loss_fn
    gbuf = optim.Flat(params, module.KEYS)
    bar = _progress_bar(loop, config, steps, run.step)
    if loop.hook is not None and run.step == 0:
        loop.hook(0, run.flat.params, models.first_stream(run.state), int(ids[0]))
    while run.step < steps:
        X = _update(run, module, loss_fn, gbuf, optim.annealed(config.eta, run.step, steps, anneal))
        if X is None:
            break
        _along_the_way(run, loop, module, steps, X, bar)
    bar.update(run.step - bar.n)
    bar.close()
    run.history.best_params = run.flat.unflatten(run.best)
    for k in module.KEYS:
        params[k][...] = run.flat.params[k]
    return run.history


@dataclass
class _Run:
    """What a checkpoint holds (helpers.checkpoint.save_run): all the loop needs to go on exactly."""
    config: TrainConfig
    flat: optim.Flat            # the parameters: one vector, flat.theta, with a view per parameter
    opt: object                 # the optimizer and its state (helpers.optim)
    rng: np.random.Generator    # draws the random chunks
    streams: Streams            # where the streams read (streams.pos)
    state: object               # the model's state for the B streams
    history: History
    best: np.ndarray            # the best parameters so far, flat like flat.theta
    step: int = 0               # updates made
    smooth: float = None        # the smooth loss, None before the first update


def _start(params, ids, config, rng):
    """A run at step 0: the parameters copied into one flat vector, the optimizer fresh."""
    module, B = models.get(config.model), config.batch_size
    flat = optim.Flat(params, module.KEYS)
    streams = Streams(ids, config.seq_length, B, config.order, rng, lambda: module.zero_state(flat.params, B))
    opt = optim.make(config.optimizer, flat.theta.size, config.eta, config.eps, config.clip)
    return _Run(config, flat, opt, rng, streams, streams.zero(), History(), flat.theta.copy())


def _update(run, module, loss_fn, gbuf, eta):
    """One update at rate `eta`, with its bookkeeping; the chunk's inputs X, or None on divergence."""
    hist, flat = run.history, run.flat
    X, Y, state = run.streams.next(run.state)
    loss, run.state = _gradient(module, loss_fn, flat.params, X, Y, state, gbuf)
    if not math.isfinite(loss):
        _diverged(hist, run.step, loss, flat, run.best)
        return None
    run.smooth, improved = smooth_and_best(run.smooth, hist.best_smooth_loss, loss)
    if improved:                                    # the parameters that gave this loss
        np.copyto(run.best, flat.theta)
        hist.best_smooth_loss, hist.best_step = run.smooth, run.step
    run.opt.eta = eta
    run.opt.step(flat.theta, gbuf.theta)
    run.step += 1
    hist.loss.append(loss)
    hist.smooth_loss.append(run.smooth)
    return X


def _along_the_way(run, loop, module, steps, X, bar):
    """After an update: the progress bar, then every loop.every steps validation, the hook and the
    checkpoint (also written at the last step)."""
    step, params = run.step, run.flat.params
    if step % 500 == 0:
        bar.update(step - bar.n)
        bar.set_postfix(smooth_loss=f"{run.smooth:.2f}", refresh=False)
    due = step % loop.every == 0
    if loop.val_ids is not None and due:
        run.history.val.append((step, module.loss_per_char(params, loop.val_ids)))
    if loop.hook is not None and due:
        loop.hook(step, params, models.first_stream(run.state), int(np.atleast_2d(X)[0, -1]))
    if loop.checkpoint is not None and (due or step == steps):
        save_run(loop.checkpoint, run)


def _progress_bar(loop, config, steps, step):
    quiet = os.environ.get("TQDM_DISABLE", "") not in ("", "0")   # make's runs; tqdm's widget ignores it
    return tqdm(total=steps, initial=step, disable=quiet or not loop.progress, mininterval=1.0,
                desc=f"training {config.model} (B={config.batch_size})", unit="step")


def _diverged(hist, step, loss, flat, best):
    """Stop on a NaN or infinite loss: restore the best parameters and say so."""
    hist.diverged_at = step
    flat.theta[...] = best
    warnings.warn(f"training diverged at step {step} (loss {loss}); stopped and restored the best "
                  f"parameters, from step {hist.best_step}. Try a smaller eta.", RuntimeWarning)
