"""A catalogue of plausible mistakes in exercises E1-E6, E8-E12, for tests/test_mistakes.py: each an exact
edit of the solution's code inside its SOLUTION region, and the cause its check's hint must name
(None where no cause can be told). Beside them, other correct answers, which must pass, and the
mistakes whose hint must name the cause in a student copy too, which has no helpers/exercises/withheld.py.

It quotes the solutions, so the student copy leaves this file out (helpers/teacher/student.py, TEACHER_ONLY).
"""
from typing import NamedTuple, Optional


class Mistake(NamedTuple):
    eid: str
    name: str
    file: str
    old: str                # occurs exactly once in the exercise's SOLUTION regions of `file`
    new: str
    cause: Optional[str]    # a phrase the FAIL's hint holds


RNN, OPTIM, SAMPLE, TRAIN = "helpers/rnn_reference.py", "helpers/optim.py", "helpers/sample.py", "helpers/train.py"
DATA = "helpers/data.py"
LSTM, GRU = "helpers/models/lstm.py", "helpers/models/gru.py"
STATE = "hs[t] = np.tanh(W @ hs[t - 1] + U @ xs[t] + b)"
LOSS = "loss += math.log(e.sum()) - z[y[t], 0]"
SOFTMAX = "z = o / temperature\n    p = np.exp(z - z.max())\n    p /= p.sum()"
KEEP = "keep = np.searchsorted(np.cumsum(p[order]), top_p) + 1"

MISTAKES = [
    Mistake("E1", "softmax without the max shift", RNN, "z = scores[t] - scores[t].max()",
            "z = scores[t]", "subtract the largest score of o_t before exp"),
    Mistake("E1", "loss as -log p, which underflows", RNN, LOSS, "loss -= math.log(ps[t][y[t], 0])",
            "underflows to 0"),
    Mistake("E1", "loss as -np.log p, which underflows", RNN, LOSS, "loss -= np.log(ps[t][y[t], 0])",
            "underflows to 0"),
    Mistake("E1", "bias b left out of a_t", RNN, STATE, "hs[t] = np.tanh(W @ hs[t - 1] + U @ xs[t])",
            "a_t = W h_{t-1} + U x_t + b lacks b"),
    Mistake("E1", "tanh left out", RNN, STATE, "hs[t] = W @ hs[t - 1] + U @ xs[t] + b", "h_t = tanh(a_t)"),
    Mistake("E1", "hidden state not starting from h0", RNN, "for t in range(len(x)):",
            "hs[-1] = np.zeros_like(h0)\n    for t in range(len(x)):", "h_{-1} = h0"),
    Mistake("E1", "c left out of o_t", RNN, "scores[t] = V @ hs[t] + c", "scores[t] = V @ hs[t]",
            "o_t = V h_t + c lacks c"),
    Mistake("E1", "scores from h_{t-1}", RNN, "scores[t] = V @ hs[t] + c", "scores[t] = V @ hs[t - 1] + c",
            "with the h_t of the same step"),
    Mistake("E1", "softmax over the wrong axis", RNN, "ps[t] = e / e.sum()", "ps[t] = e / e.sum(axis=1, keepdims=True)",
            "softmax sums over the K characters"),
    Mistake("E1", "log of the wrong entry", RNN, LOSS, "loss += math.log(e.sum()) - z[x[t], 0]",
            "minus the log of the probability of the target"),
    Mistake("E1", "loss as the mean over the steps", RNN, LOSS,
            "loss += (math.log(e.sum()) - z[y[t], 0]) / len(x)", "not their mean"),
    Mistake("E1", "index of y off by one", RNN, LOSS, "loss += math.log(e.sum()) - z[y[t - 1], 0]",
            "y off by one"),
    Mistake("E2", "no dh_next: nothing through time", RNN, "dh = V.T @ g + dh_next", "dh = V.T @ g",
            "nothing flows back through time"),
    Mistake("E2", "gradients clipped in the backward pass", RNN, "        dh_next = W.T @ da",
            "        dh_next = W.T @ da\n    for k in grads:\n        np.clip(grads[k], -5, 5, out=grads[k])",
            "the gradients are clipped"),
    Mistake("E2", "tanh derivative 1 - h", RNN, "da = (1.0 - hs[t] ** 2) * dh", "da = (1.0 - hs[t]) * dh",
            "the tanh derivative"),
    Mistake("E2", "tanh derivative at h_{t-1}", RNN, "da = (1.0 - hs[t] ** 2) * dh", "da = (1.0 - hs[t - 1] ** 2) * dh",
            "the tanh derivative"),
    Mistake("E2", "h_t where h_{t-1} belongs in dW", RNN, 'grads["W"] += da @ hs[t - 1].T',
            'grads["W"] += da @ hs[t].T',
            "dW pairs dL/da_t with h_{t-1}"),
    Mistake("E2", "dU overwritten (= for +=)", RNN, 'grads["U"] += da @ xs[t].T', 'grads["U"] = da @ xs[t].T',
            "every gradient is a sum over t"),
    Mistake("E2", "dc overwritten (= for +=)", RNN, 'grads["c"] += g', 'grads["c"] = g',
            "every gradient is a sum over t"),
    Mistake("E2", "forward time order", RNN, "for t in reversed(range(len(y))):", "for t in range(len(y)):",
            "the time order"),
    Mistake("E2", "W where W^T belongs in dh_next", RNN, "dh_next = W.T @ da", "dh_next = W @ da",
            "what flows back through time: dh_next = W^T"),
    Mistake("E2", "dL/do_t without the target", RNN, "g[y[t]] -= 1.0", "g[y[t]] -= 0.0",
            "g_t = dL/do_t = p_t - onehot(y_t)"),
    Mistake("E3", "clipping a copy", OPTIM, "np.clip(g, -bound, bound, out=g)", "g = np.clip(g, -bound, bound)",
            "clip in place"),
    Mistake("E3", "AdaGrad on the unclipped gradient", OPTIM, "g = clip(g, self.clip)", "g = g.copy()",
            "the update must use the clipped gradient"),
    Mistake("E3", "accumulating g instead of g**2", OPTIM, "np.multiply(g, g, out=tmp)", "np.copyto(tmp, g)",
            "the running sum of the squared clipped gradients"),
    Mistake("E3", "eps outside the square root", OPTIM, "np.sqrt(self.mem, out=tmp)",
            "np.sqrt(self.mem - 1e-8, out=tmp)\n        tmp += 1e-8", "eps once"),
    Mistake("E3", "theta not updated in place", OPTIM, "theta -= tmp", "theta = theta - tmp", "update theta in place"),
    Mistake("E3", "g * g added after the update", OPTIM,
            "np.multiply(g, g, out=tmp)\n        self.mem += tmp\n        np.sqrt(self.mem, out=tmp)\n"
            "        np.divide(g, tmp, out=tmp)\n        tmp *= self.eta\n        theta -= tmp",
            "np.sqrt(self.mem, out=tmp)\n        np.divide(g, tmp, out=tmp)\n        tmp *= self.eta\n"
            "        theta -= tmp\n        self.mem += g * g", "before the update, not after"),
    Mistake("E6", "the whole text in encode's ValueError", DATA,
            'raise ValueError(f"characters not in the vocabulary: {unknown!r}")',
            'raise ValueError(f"characters not in the vocabulary: {text!r}")', "in sorted order, each once"),
    Mistake("E8", "rewinding a chunk too early", TRAIN, "if e + tau >= seg:", "if e + tau + 1 >= seg:",
            "read on from e while a whole chunk of inputs and targets fits"),
    Mistake("E8", "smooth loss started from 0", TRAIN,
            "smooth = loss if smooth is None else 0.999 * smooth + 0.001 * loss",
            "smooth = 0.999 * (smooth or 0) + 0.001 * loss", "starts at the first loss, not at 0"),
    Mistake("E8", "rewinding a chunk too late: past the end of the text", TRAIN, "if e + tau >= seg:",
            "if e + tau > seg + 1:", "reads past the end of the segment"),
    Mistake("E8", "the best step by the raw loss", TRAIN, "return smooth, smooth < best", "return smooth, loss < best",
            "the best model is chosen by the smooth loss, not the step's raw loss"),
    Mistake("E4", "multiplying by the temperature", SAMPLE, "z = o / temperature", "z = o * temperature",
            "divide the scores by T"),
    Mistake("E4", "temperature after the softmax", SAMPLE, SOFTMAX,
            "z = o\n    p = np.exp(z - z.max())\n    p = (p / p.sum()) ** (1 / temperature)", "before the softmax"),
    Mistake("E4", "softmax without the max shift", SAMPLE, "p = np.exp(z - z.max())", "p = np.exp(z)",
            "exp must never see a large number"),
    Mistake("E4", "softmax's exponentials raised to 1/T", SAMPLE, SOFTMAX,
            "z = o\n    p = np.exp(z - z.max()) ** (1 / temperature)\n    p /= p.sum()", "exp(o - max o) underflows"),
    Mistake("E4", "dividing the scores in place", SAMPLE, "z = o / temperature", "z = o\n    z /= temperature",
            "leave o as it was"),
    Mistake("E5", "off by one at an exact tie", SAMPLE, KEEP, KEEP.replace("top_p)", 'top_p, side="right")'),
            "an exact tie"),
    Mistake("E5", "keeping one too many", SAMPLE, KEEP, KEEP.replace("+ 1", "+ 2"), "keep the fewest characters"),
    Mistake("E5", "keeping one too few", SAMPLE, KEEP, KEEP.replace(" + 1", ""), "must reach top_p"),
    Mistake("E5", "not renormalising", SAMPLE, "q = p * mask / p[order[:keep]].sum()", "q = p * mask",
            "renormalise the kept probabilities"),
    Mistake("E5", "least likely first", SAMPLE, 'np.argsort(-p, kind="stable")', 'np.argsort(p, kind="stable")',
            "the most likely first"),
    Mistake("E9", "state not carried from step to step", SAMPLE, "o, state = step(params, x, state)",
            "o, _ = step(params, x, state)", "the state carries over"),
    Mistake("E12", "eps inside the root", OPTIM, "        self.tmp += self.eps",
            "        np.sqrt(self.tmp ** 2 + self.eps, out=self.tmp)", "eps is added to sqrt(v^)"),
    Mistake("E12", "eps outside the root, before the correction", OPTIM,
            "self.tmp /= math.sqrt(1 - self.b2 ** t)               # sqrt(v^), as torch.optim.Adam\n"
            "        self.tmp += self.eps",
            "self.tmp += self.eps\n        self.tmp /= math.sqrt(1 - self.b2 ** t)", "eps is added to sqrt(v^)"),
    Mistake("E10", "dc carried through the input gate, not the forget gate", LSTM, "dc *= f ", "dc *= i ",
            "the forget gate's path through c"),
    Mistake("E10", "df from c_t, not c_{t-1}", LSTM, "np.multiply(dc, C[t], out=da[:, m:2 * m])",
            "np.multiply(dc, C[t + 1], out=da[:, m:2 * m])", "the forget gate f (df"),
    Mistake("E10", "tanh' of the candidate as 1 - g", LSTM, "da[:, 2 * m:3 * m] *= 1.0 - g * g",
            "da[:, 2 * m:3 * m] *= 1.0 - g", "the candidate g"),
    Mistake("E10", "no dh_next: nothing through W", LSTM, "dh = np.dot(da, W)", "dh = np.zeros_like(dh)",
            "the recurrent path dh_next"),
    Mistake("E11", "the reset gate's gradient from h_{t-1}, not e_n", GRU,
            "np.multiply(da[:, 2 * m:] * E[t], r * (1.0 - r), out=da[:, :m])",
            "np.multiply(da[:, 2 * m:] * H[t], r * (1.0 - r), out=da[:, :m])", "the reset gate inside the candidate"),
    Mistake("E11", "de_n without the reset gate's r", GRU, "np.multiply(da[:, 2 * m:], r, out=de[:, 2 * m:])",
            "de[:, 2 * m:] = da[:, 2 * m:]", "receive de_n = da_n * r_t"),
    Mistake("E11", "the update gate's sign flipped", GRU, "dh * (H[t] - n)", "dh * (n - H[t])", "the update gate z"),
    Mistake("E11", "dh_next without the path through z", GRU, "dh = dh * z + np.dot(de, W)", "dh = np.dot(de, W)",
            "the recurrent path dh_next"),
    Mistake("E12", "no bias correction", OPTIM,
            "self.tmp /= math.sqrt(1 - self.b2 ** t)               # sqrt(v^), as torch.optim.Adam\n"
            "        self.tmp += self.eps\n        np.divide(self.m, self.tmp, out=self.tmp)\n"
            "        self.tmp *= self.eta / (1 - self.b1 ** t)",
            "self.tmp += self.eps\n        np.divide(self.m, self.tmp, out=self.tmp)\n        self.tmp *= self.eta",
            "the bias correction missing"),
    Mistake("E12", "no correction of v", OPTIM,
            "        self.tmp /= math.sqrt(1 - self.b2 ** t)               # sqrt(v^), as torch.optim.Adam\n", "",
            "v's bias correction missing"),
    Mistake("E12", "t counted from 0 in the bias correction", OPTIM, "t = float(self.t)", "t = float(self.t - 1)",
            "t counted from 0"),
    Mistake("E9", "top_p ignored", SAMPLE, "p = next_distribution(o.astype(np.float64), temperature, top_p)",
            "p = next_distribution(o.astype(np.float64), temperature)", "cut to the nucleus when top_p < 1"),
]

# Other correct answers: each must PASS (cause None).
CORRECT = [
    Mistake("E1", "loss from a log-sum-exp", RNN, LOSS,
            "loss += float(np.log(np.exp(scores[t] - scores[t].max()).sum()) + scores[t].max() - scores[t][y[t], 0])",
            None),
    Mistake("E1", "one-hot from an identity matrix", RNN, "xs[t] = np.zeros((K, 1))\n        xs[t][x[t]] = 1.0",
            "xs[t] = np.eye(K)[:, [x[t]]]", None),
    Mistake("E2", "dW and dU as outer products", RNN,
            'grads["U"] += da @ xs[t].T\n        grads["W"] += da @ hs[t - 1].T',
            'grads["U"] += np.outer(da, xs[t])\n        grads["W"] += np.outer(da, hs[t - 1])', None),
    Mistake("E3", "clip by assigning into g", OPTIM, "np.clip(g, -bound, bound, out=g)",
            "g[g > bound] = bound\n    g[g < -bound] = -bound", None),
    Mistake("E3", "AdaGrad in new arrays", OPTIM,
            "tmp = self.tmp\n        np.multiply(g, g, out=tmp)\n        self.mem += tmp\n"
            "        np.sqrt(self.mem, out=tmp)\n"
            "        np.divide(g, tmp, out=tmp)\n        tmp *= self.eta\n        theta -= tmp",
            "self.mem = self.mem + g ** 2\n        theta -= self.eta * g / np.sqrt(self.mem)", None),
    Mistake("E3", "the assignment's sqrt(G + eps) on self.mem, which holds G + eps", OPTIM,
            "np.sqrt(self.mem, out=tmp)", "np.sqrt(self.mem + 1e-8, out=tmp)", None),
    Mistake("E3", "torch's eps added to sqrt(self.mem)", OPTIM, "np.sqrt(self.mem, out=tmp)",
            "np.sqrt(self.mem, out=tmp)\n        tmp += 1e-8", None),
    Mistake("E8", "rewinding one chunk later: the last whole chunk read too", TRAIN, "if e + tau >= seg:",
            "if e + tau > seg:", None),
    Mistake("E8", "the assignment's rule, counting e from 1", TRAIN, "if e + tau >= seg:",
            "if e + 1 > (seg + 1) - tau - 1:", None),
    Mistake("E9", "the assignment's cumsum(p) against a uniform draw", SAMPLE, "x = int(rng.choice(len(p), p=p))",
            "x = int(np.flatnonzero(np.cumsum(p) - rng.random() > 0)[0])", None),
    Mistake("E4", "softmax by a log-sum-exp", SAMPLE, SOFTMAX,
            "z = o / temperature\n    p = np.exp(z - z.max() - np.log(np.exp(z - z.max()).sum()))", None),
    Mistake("E5", "nucleus with a loop", SAMPLE, "order = np.argsort(-p, kind=\"stable\")\n    " + KEEP,
            "order, mass, keep = sorted(range(len(p)), key=lambda i: -p[i]), 0.0, 0\n"
            "    while keep < len(p) and (keep == 0 or mass < top_p):\n"
            "        mass, keep = mass + p[order[keep]], keep + 1\n"
            "    order = np.array(order)", None),
]

# Answers correct only on the instances the copy's checks show: each PASSes there and FAILs grading,
# which adds held-back instances (helpers.exercises.cases; tests/test_grading.py).
HARD_CODED = [
    Mistake("E6", "the visible vocabulary hard-coded", DATA,
            "self.char_to_ind = {ch: i for i, ch in enumerate(self.chars)}",
            'self.char_to_ind = {ch: i for i, ch in enumerate(sorted('
            '"abc xyz\\n\\t.Æλ\\u041c\\u201c\\U0001f642\\x1a"))}',
            None),
    Mistake("E4", "the visible size special-cased", SAMPLE, "z = o / temperature",
            "z = o / temperature if len(o) == 20 else o", None),
]

# Mistakes whose cause the copy's checks tell from the student's code alone, without withheld.py.
IN_COPY = ["hidden state not starting from h0", "loss as the mean over the steps", "g * g added after the update",
           "eps outside the square root", "softmax without the max shift", "de_n without the reset gate's r"]
