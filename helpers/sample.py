"""Synthesising text from any model of helpers.models: temperature, nucleus (top-p), greedy."""
import numpy as np

from helpers import models


def temperature_softmax(o, temperature=1.0):
    """(K,) probabilities softmax(o / T) from the scores o (K,), for a temperature T > 0.

    T = 1 is the model's own distribution; T < 1 sharpens it towards the most likely character,
    T > 1 flattens it towards uniform. In exact arithmetic p is proportional to softmax(o)^(1/T);
    in floating point that form loses every score whose exp underflows.
    """
    # BEGIN SOLUTION E4: a new p = softmax(o / temperature), with no overflow for any scores; o unchanged
    # HINT: softmax(z) does not change when a constant is subtracted from every z.
    z = o / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    # END SOLUTION
    return p


def nucleus(p, top_p):
    """(K,) the distribution p (K,) cut to its nucleus and renormalised: the fewest most likely
    characters whose probability adds up to at least top_p (always at least the most likely one)."""
    # BEGIN SOLUTION E5: a new array: the fewest most likely characters with mass >= top_p, renormalised; 0 elsewhere
    # HINT: order the characters by probability; p itself stays as it was.
    order = np.argsort(-p, kind="stable")
    keep = np.searchsorted(np.cumsum(p[order]), top_p) + 1   # first index reaching top_p
    mask = np.zeros_like(p)
    mask[order[:keep]] = 1.0
    q = p * mask / p[order[:keep]].sum()
    # END SOLUTION
    return q


def next_distribution(o, temperature=1.0, top_p=1.0):
    """Probabilities (K,) for the next character from the scores o (K,): `temperature_softmax`,
    then, when top_p < 1, cut to its `nucleus`. temperature > 0; top_p in (0, 1]."""
    p = temperature_softmax(o, temperature)
    return p if top_p >= 1.0 else nucleus(p, top_p)


def _check(temperature, top_p, n):
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    if not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")


def synthesize(params, h0, x0, n, rng, temperature=1.0, top_p=1.0, greedy=False, model="rnn"):
    """n character indices sampled one at a time, each fed back as the next input.

    h0: the model's state for one stream ((m, 1) arrays); x0: int, the first input character;
    rng: numpy Generator. For each character, in order: the model's `step` from the last input
    and state gives the scores o (K,); greedy=True takes the most likely character (rng is then
    unused); otherwise p = next_distribution(o, temperature, top_p) and the character is drawn
    with exactly one call rng.choice(K, p=p), so that a seeded rng gives the same text every
    time. Returns (n,) int64.
    """
    _check(temperature, top_p, n)
    step = models.get(model).step
    state, x = h0, int(x0)
    out = np.empty(n, dtype=np.int64)
    # BEGIN SOLUTION E9: for each t: o and the state from step(params, x, state); out[t] = the next x
    # HINT: the character drawn at step t is the input of step t + 1, and the state carries over.
    # HINT: next_distribution wants float64 scores; the draw is int(rng.choice(K, p=p)).
    for t in range(n):
        o, state = step(params, x, state)
        if greedy:
            x = int(np.argmax(o))
        else:
            p = next_distribution(o.astype(np.float64), temperature, top_p)
            x = int(rng.choice(len(p), p=p))
        out[t] = x
    # END SOLUTION
    return out


def run_prompt(params, ids, h0=None, model="rnn"):
    """Feed the character indices `ids` through the model; return (state, last id)."""
    module = models.get(model)
    state = module.zero_state(params, 1) if h0 is None else h0
    for x in ids[:-1]:
        _, state = module.step(params, int(x), state)
    return state, int(ids[-1])


def generate(params, vocab, n, rng, prompt="\n", model="rnn", **options):
    """Text of n characters continuing `prompt` (fed through the model first).

    Characters of the prompt that are not in the vocabulary raise ValueError naming them.
    options: temperature, top_p, greedy, as in `synthesize`.
    """
    if not prompt:
        raise ValueError("prompt must hold at least one character")
    state, x = run_prompt(params, vocab.encode(prompt), model=model)
    return vocab.decode(synthesize(params, state, x, n, rng, model=model, **options))
