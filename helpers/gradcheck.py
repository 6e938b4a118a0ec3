"""Gradient verification: centred differences and PyTorch autograd, both in float64, for any
model of helpers.models (the oracle is PyTorch's own nn.RNN, nn.LSTM or nn.GRU)."""
import numpy as np

from helpers import models


def rel_error(a, b):
    """||a - b|| / (||a|| + ||b||), the course's relative error of two arrays of one shape, with
    Euclidean (Frobenius) norms over all entries; 0.0 when both are zero. Returns a float."""
    # BEGIN SOLUTION E7: the float ||a - b|| / (||a|| + ||b||) over all entries, and 0.0 when a and b are both zero
    # HINT: the norm of a matrix here is the square root of the sum of its squared entries.
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denom) if denom > 0 else 0.0
    # END SOLUTION


def max_rel_error(a, b, floor=1e-8):
    """The largest element-wise |a - b| / (|a| + |b|), over entries with |a| + |b| > floor.

    Below the floor, a centred difference's round-off (about 1e-16 * L / h) dominates.
    """
    denom = np.abs(a) + np.abs(b)
    mask = denom > floor
    return float(np.max(np.abs(a - b)[mask] / denom[mask])) if mask.any() else 0.0


def numerical_grads(loss_fn, params, entries=None, h=1e-4):
    """Centred differences (L(p + h) - L(p - h)) / 2h of loss_fn(params) -> float.

    entries: None for every entry, or {key: flat indices} to check only those.
    Returns {key: (indices, values)}; params are restored afterwards.
    """
    out = {}
    for k in params:
        p = params[k].reshape(-1)                      # a view: edits reach params[k]
        idx = np.arange(p.size) if entries is None else np.asarray(entries[k])
        vals = np.empty(idx.size)
        # BEGIN SOLUTION E7: vals[j], the centred difference at entry idx[j] of p, every j; p left as it was
        # HINT: p is a flat view of params[k]: changing p[i] changes the parameters loss_fn(params) reads.
        # HINT: the step is h on each side; restore the entry exactly, not by adding h back.
        for j, i in enumerate(idx):
            old = p[i]
            p[i] = old + h
            up = loss_fn(params)
            p[i] = old - h
            down = loss_fn(params)
            p[i] = old
            vals[j] = (up - down) / (2 * h)
        # END SOLUTION
        out[k] = (idx, vals)
    return out


def support(*grads):
    """{key: flat indices where any of the given gradients ({key: ndarray}) is non-zero}.

    Elsewhere both sides are zero by structure (a column of U for a character the sequence lacks),
    so comparing there would agree whatever the backward pass computes.
    """
    return {k: np.flatnonzero(np.any([g[k].reshape(-1) != 0 for g in grads], axis=0)) for k in grads[0]}


def sample_entries(params, n, rng, among=None):
    """Up to n flat indices per parameter, drawn without replacement from rng, sorted.

    among: None to draw from every entry, or {key: flat indices} (see `support`) to draw only there.
    """
    pools = {k: np.arange(params[k].size) if among is None else np.asarray(among[k]) for k in params}
    return {k: np.sort(rng.choice(pool, size=min(n, pool.size), replace=False)) for k, pool in pools.items()}


def torch_grads(params, x, y, state, model="rnn"):
    """Loss and gradients from PyTorch's own module for `model`, holding the same parameters.

    x, y: (tau,) int; state: as the model's loss_and_grads takes it. Returns (loss, {key: ndarray}).
    """
    import torch
    module = models.get(model)
    net, head = module.to_torch(params)
    K = params["V"].shape[0]
    X = torch.nn.functional.one_hot(torch.as_tensor(x), K).to(torch.float64).unsqueeze(1)   # (tau, 1, K)
    parts = state if isinstance(state, tuple) else (state,)
    s = tuple(torch.tensor(a.T[None].copy()) for a in parts)                                  # (1, 1, m)
    out, _ = net(X, s if isinstance(state, tuple) else s[0])
    loss = torch.nn.functional.cross_entropy(head(out[:, 0]), torch.as_tensor(y), reduction="sum")
    loss.backward()
    return loss.item(), module.torch_grads(net, head)


def compare(analytic, reference):
    """Rows {param, checked, rel_error, max_rel_error} of analytic grads against reference values.

    reference: {key: array} for full gradients, or {key: (indices, values)} for sampled ones.
    checked is False when every compared entry is zero on both sides: such a row agrees by
    construction, so its errors are None and it must not count toward a verdict.
    """
    rows = []
    for k in reference:
        a, r = analytic[k].reshape(-1), reference[k]
        if isinstance(r, tuple):
            a, r = a[r[0]], r[1]
        r = np.asarray(r).reshape(-1)
        checked = bool(np.any(a != 0) or np.any(r != 0))
        rows.append({"param": k, "checked": checked, "rel_error": rel_error(a, r) if checked else None,
                     "max_rel_error": max_rel_error(a, r) if checked else None})
    return rows


def worst(rows):
    """The largest rel_error over the checked rows, and the names of the rows not checked.

    Returns (float or None when nothing was checked, [param, ...])."""
    errors = [r["rel_error"] for r in rows if r["checked"]]
    return (max(errors) if errors else None), [r["param"] for r in rows if not r["checked"]]


def check_all(params, x, y, state, loss_fn=None, entries=None, h=1e-4, model="rnn"):
    """Both checks of loss_fn's gradients (default: the model's loss_and_grads):
    {'numerical': rows, 'pytorch': rows} (see `compare`)."""
    loss_fn = models.get(model).loss_and_grads if loss_fn is None else loss_fn
    _, grads, _ = loss_fn(params, x, y, state)
    numerical = numerical_grads(lambda p: loss_fn(p, x, y, state)[0], params, entries, h)
    _, torch_g = torch_grads(params, x, y, state, model)
    return {"numerical": compare(grads, numerical), "pytorch": compare(grads, torch_g)}
