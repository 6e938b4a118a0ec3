"""The checks of the course's other exercises, E6-E8 (vocabulary, numerical gradients, the training
loop; E9, synthesis, is in helpers.exercises.synth_checks), in the style of
helpers.exercises.checks: what to compare against first (helpers.exercises.oracles, or an exact
value worked out by hand), then the student's functions inside `sealed()`, and measurements
(what, error, bar, hint) whose hints point to the maths. COURSE holds Exercise's fields;
helpers.exercises.checks adds them, and the optional ones (helpers.exercises.gated), to EXERCISES.
Imports are absolute, so that a teacher's copy of this file, loaded by path, checks a submitted
copy's `helpers`.
"""
import traceback

import numpy as np

from helpers.exercises import cases, oracles
from helpers.exercises.synth_checks import check_synthesize

VOCAB = "01_data, 'Vocabulary and one-hot encoding'"


def _mismatches(got, want):
    """How many entries of `got` differ from `want` (all of them when the shapes differ)."""
    got = np.asarray(got)
    return int(np.sum(got != want)) if got.shape == np.shape(want) else int(np.size(want))


def _map_errors(got, want):
    """Entries of the dict `want` that the mapping `got` lacks or holds otherwise, and extra ones."""
    if not isinstance(got, dict):
        return len(want)
    return sum(got.get(k, object()) != v for k, v in want.items()) + len(set(got) - set(want))


def check_vocabulary(sealed):
    from helpers import data
    rng = cases.rng(1506)
    pool = list("abc xyz\n\t.Æλ\u041c\u201c\U0001f642\x1a")
    if cases.held():                          # other characters too, but never those encode must refuse
        pool += [c for c in map(chr, rng.integers(0x21, 0x3000, 12)) if c not in "\u03a9Z"]
    text = "".join(rng.choice(pool, cases.size(rng, 500, 200, 800)))
    chars = sorted(set(text))
    K, want = len(chars), np.array([chars.index(c) for c in text])
    with sealed():
        vocab = data.Vocabulary(chars)
        ids, empty = vocab.encode(text), vocab.encode("")
        back, back_list, X = vocab.decode(ids), vocab.decode(want[:40].tolist()), vocab.one_hot(want[:30])
        try:
            vocab.encode("ab\u03a9cZ")
            unknown = ""
        except ValueError as e:
            unknown = str(e)
    return [
        ("char_to_ind entries wrong or missing", _map_errors(getattr(vocab, "char_to_ind", None),
                                                             {c: i for i, c in enumerate(chars)}), 0,
         f"char_to_ind maps each character to its position in chars ({VOCAB})"),
        ("ind_to_char entries wrong or missing",
         _map_errors(getattr(vocab, "ind_to_char", None), dict(enumerate(chars))), 0,
         "ind_to_char is the inverse map: each index to its character"),
        ("indices wrong in encode(text)", _mismatches(ids, want), 0, "one index per character, char_to_ind's"),
        ("encode(text) not an integer array (1 = yes)", float(np.asarray(ids).dtype.kind not in "iu"), 0,
         "indices are whole numbers: an int64 array"),
        ("encode('') not an empty array (1 = yes)", float(np.shape(empty) != (0,)), 0, "no characters, no indices"),
        ("characters wrong in decode(encode(text))", _mismatches(list(back), list(text)), 0,
         "decode maps each index back through ind_to_char and joins the characters"),
        ("characters wrong in decode of a list", _mismatches(list(back_list), list(text[:40])), 0,
         "decode takes a list of indices as well as an array"),
        ("one_hot entries against the identity's columns", _mismatches(X, np.eye(K)[:, want[:30]]), 0,
         "column j of one_hot(ids) is zero except a 1 in row ids[j]: shape (K, n)"),
        ("one_hot not float64 (1 = yes)", float(np.asarray(X).dtype != np.float64), 0,
         "the network multiplies it: float64"),
        ("unknown characters not named in a ValueError", sum(c not in unknown for c in "\u03a9Z"), 0,
         "a character outside the vocabulary raises ValueError, naming it (encode's docstring)"),
        ("ValueError's message not one line ending in the unknown characters, sorted, as repr shows them "
         "(1 = yes)", float("\n" in unknown or not unknown.endswith(repr("Z\u03a9"))), 0,
         "ValueError(f\"characters not in the vocabulary: {unknown!r}\"), unknown the distinct characters "
         "in sorted order, each once (encode's docstring)")]


NUMERICAL = "02_gradients, 'The two checks'"


def _cubic(rng):
    """A loss whose centred differences are known exactly: L = sum(a A^3) + sum(d b^3) + s (sum b)^2.

    Returns (loss, params, exact(h, entries)): the centred difference of each entry is
    a (3 A^2 + h^2) for A, d (3 b^2 + h^2) + 2 s sum(b) for b, with no truncation error left."""
    A, b = (cases.size(rng, 3, 2, 5), cases.size(rng, 4, 2, 6)), (cases.size(rng, 5, 2, 7), 1)
    a, d, s = rng.standard_normal(A), rng.standard_normal(b), 0.7
    params = {"A": rng.standard_normal(A), "b": rng.standard_normal(b)}

    def loss(p):
        return float(np.sum(a * p["A"] ** 3) + np.sum(d * p["b"] ** 3) + s * np.sum(p["b"]) ** 2)

    def exact(h, entries):
        full = {"A": a * (3 * params["A"] ** 2 + h * h),
                "b": d * (3 * params["b"] ** 2 + h * h) + 2 * s * np.sum(params["b"])}
        return {k: full[k].reshape(-1)[entries[k]] for k in full}
    return loss, params, exact


def _numerical_errors(got, want, entries):
    """The worst relative error of numerical_grads' {key: (indices, values)} against want (an
    entry near zero counts against 1e-3, so that the rounding of a right answer stays within the bar)."""
    try:
        return max(float(np.max(np.abs(np.asarray(got[k][1]) - w) / np.maximum(np.abs(w), 1e-3))) if
                   np.array_equal(got[k][0], entries[k]) and np.shape(got[k][1]) == w.shape else np.inf
                   for k, w in want.items())
    except (KeyError, TypeError, IndexError):
        return np.inf


def check_numerical(sealed):
    from helpers import gradcheck
    rng, out = cases.rng(1507), []
    loss, params, exact = _cubic(rng)
    before = {k: v.copy() for k, v in params.items()}
    some = {"A": np.array([0, 5, 11]), "b": np.array([2])} if not cases.held() else \
        {k: np.sort(rng.choice(v.size, max(1, v.size // 3), replace=False)) for k, v in params.items()}
    for h, entries in ((1e-2, None), (1e-3, some)):
        every = entries or {k: np.arange(v.size) for k, v in params.items()}
        with sealed():
            got = gradcheck.numerical_grads(loss, params, entries, h)
        out += [(f"h = {h:g}{', some entries' * (entries is not None)}: against the exact centred difference",
                 _numerical_errors(got, exact(h, every), every), 1e-8,
                 f"(L(theta + h) - L(theta - h)) / 2h, one entry at a time, for the entries asked ({NUMERICAL})"),
                ("parameters changed by the check", max(np.abs(params[k] - before[k]).max() for k in params), 0,
                 "put every entry back exactly as it was before the next one")]
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    with sealed():
        errors = {"random": gradcheck.rel_error(a, b), "a, 2a": gradcheck.rel_error(a, 2 * a),
                  "a, -a": gradcheck.rel_error(a, -a), "zeros": gradcheck.rel_error(np.zeros(3), np.zeros(3))}
    want = {"random": oracles.rel_error(a, b), "a, 2a": 1 / 3, "a, -a": 1.0, "zeros": 0.0}
    return out + [(f"rel_error({case}) against ||a - b|| / (||a|| + ||b||)", abs(float(errors[case]) - w), 1e-14,
                   "norms over all entries; 0 when both are zero" if case == "zeros" else
                   "the norm of the difference over the sum of the norms, not element by element")
                  for case, w in want.items()]


LOOP = "03_training, 'The smooth loss'; train.py's docstrings"


def _scripted_losses(rng, steps):
    """(losses (steps,), dip): losses that fall, then rise, so that the smooth loss has its minimum
    inside the run; a low loss at step `dip`, after that minimum, barely moves the smooth loss."""
    losses, dip = 4.0 + 0.5 * rng.standard_normal(steps), steps // 2 + 5
    losses[1:steps // 2] -= 2.0
    losses[steps // 2:] += 3.0
    losses[dip] = 1.0
    return losses, dip


FROM_ZERO = ("the smooth loss starts at the first loss, not at 0: smooth_and_best gets smooth = None at the "
             "first step, and 0.999 * 0 + 0.001 * loss is a thousandth of it, which every later step remembers "
             f"({LOOP})")


RAW = ("the best model is chosen by the smooth loss, not the step's raw loss: a single low loss, at a step whose "
       f"smooth loss is not the lowest, made it the best ({LOOP})")
PAST_END = ("a chunk reads past the end of the segment: its last target lies beyond the text (an IndexError when the "
            "text's length is a multiple of seq_length); rewind while a whole chunk of inputs and targets still fits "
            f"({LOOP})")


def _loop_cause(kept, losses, chosen, dip):
    """The cause of a wrong smooth loss `kept` (steps,) for the scripted `losses`, or of the best
    step `chosen` where the best is another step than the low loss at `dip`; None if unknown."""
    from_zero = oracles.smooth_losses(np.r_[0.0, losses])[1:]
    if kept.shape == from_zero.shape and np.allclose(kept, from_zero, rtol=1e-10, atol=0):
        return FROM_ZERO
    return RAW if chosen == dip != int(np.argmin(oracles.smooth_losses(losses))) else None


def _past_end(error):
    """True when `error` (an IndexError) came from Streams.next reading a chunk, not the student's code."""
    return traceback.extract_tb(error.__traceback__)[-1].name == "next"


def check_loop(sealed):
    from helpers import train
    rng, out = cases.rng(1508), []
    # (31, 5): the two rules part, at the chunk whose last target is the last character; (37, 5):
    # one chunk before it, where a rule that rewinds a chunk too early parts from both; (30, 5): a
    # whole chunk past it, where a rule that rewinds too late reads beyond the text
    visible = ((31, 5, 40), (40, 7, 33), (37, 5, 30), (30, 5, 35))
    sizes = [(cases.size(rng, tau, 3, 9), n_text, steps) for n_text, tau, steps in visible]
    sizes = [(cases.size(rng, n_text, 2 * tau + 2, 6 * tau), tau, cases.size(rng, steps, 20, 45))
             for tau, n_text, steps in sizes]
    for n_text, tau, steps in sizes:
        (losses, dip), seen = _scripted_losses(rng, steps), []
        params = oracles.random_params(rng, n_text, 3, 0.1)      # ids = 0..n-1: an input names its position
        rules = [oracles.course_chunks(n_text, tau, steps, last) for last in (False, True)]
        smooth = oracles.smooth_losses(losses)
        best = int(np.argmin(smooth))

        def loss_fn(p, x, y, h):
            seen.append((int(x[0]), bool(np.all(h == 0)), p["c"].copy()))
            return float(losses[min(len(seen), steps) - 1]), {k: np.full_like(v, 0.01) for k, v in p.items()}, h + 1.0
        try:
            with sealed():
                hist = train.train(params, np.arange(n_text), steps, train.TrainConfig(seq_length=tau),
                                   loss_fn=loss_fn, loop=train.LoopConfig(progress=False))
        except IndexError as e:
            if not _past_end(e):
                raise
            return [(f"a chunk read past the end of a text of {n_text} (1 = yes)", 1.0, 0, PAST_END)]
        if len(seen) != steps:
            return [("steps run against those asked", abs(len(seen) - steps), 0, "train runs every step it is asked")]
        zeroed = np.array([z for _, z, _ in seen])
        kept = np.asarray(hist.smooth_loss, dtype=float)
        read = [s for s, _, _ in seen]      # either rule passes: the course's, or one that reads the last chunk too
        starts, resets = min(rules, key=lambda rule: _mismatches(read, rule[0]))
        out += [(f"chunks read at a wrong position (of {steps})", _mismatches(read, starts), 0,
                 f"read on from e while a whole chunk of inputs and targets fits, else from 0 ({LOOP})"),
                (f"states zeroed where no rewind is, or kept at one (of {steps})",
                 _mismatches(zeroed[1:], resets[1:]), 0,
                 "hprev goes back to zeros exactly when the position goes back to the start"),
                ("smooth loss against the course's", float(np.max(np.abs(kept - smooth) / smooth))
                 if kept.shape == smooth.shape else np.inf, 1e-10,
                 "it starts at the first loss, then 0.999 * smooth + 0.001 * loss"),
                ("best step against the lowest smooth loss's", abs(hist.best_step - best), 0,
                 "the best step is the one whose smooth loss is the lowest so far"),
                ("best parameters against those of the best step",
                 float(np.abs(hist.best_params["c"] - seen[best][2]).max()), 0,
                 "keep the parameters of the step whose smooth loss is the lowest")]
        cause = _loop_cause(kept, losses, hist.best_step, dip)
        if cause:
            return [(w, e, b, cause) for w, e, b, _ in out]
    return out


# Exercise's fields: title, where, notebook, needs, check, optional, points.
COURSE = {
    "E6": ("vocabulary and one-hot",
           "helpers/data.py: Vocabulary.__init__, Vocabulary.encode, Vocabulary.decode and Vocabulary.one_hot",
           "notebooks/01_data.ipynb", (), check_vocabulary, False, 10),
    "E7": ("numerical gradient check", "helpers/gradcheck.py: numerical_grads and rel_error",
           "notebooks/02_gradients.ipynb", (), check_numerical, False, 10),
    "E8": ("the course's training loop", "helpers/train.py: course_position and smooth_and_best",
           "notebooks/03_training.ipynb", ("E3",), check_loop, False, 15),
    "E9": ("synthesis of a sequence", "helpers/sample.py: synthesize", "notebooks/04_sampling.ipynb",
           ("E1", "E4"), check_synthesize, False, 10),
}
