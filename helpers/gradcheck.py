"""Gradient verification: centred differences and PyTorch autograd, both in float64."""
import numpy as np

from .rnn import KEYS


def rel_error(a, b):
    """||a - b|| / (||a|| + ||b||), the course's relative error (0 when both are zero)."""
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denom) if denom > 0 else 0.0


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
    for k in KEYS:
        p = params[k].reshape(-1)                      # a view: edits reach params[k]
        idx = np.arange(p.size) if entries is None else np.asarray(entries[k])
        vals = np.empty(idx.size)
        for j, i in enumerate(idx):
            old = p[i]
            p[i] = old + h
            up = loss_fn(params)
            p[i] = old - h
            down = loss_fn(params)
            p[i] = old
            vals[j] = (up - down) / (2 * h)
        out[k] = (idx, vals)
    return out


def sample_entries(params, n, rng):
    """Up to n flat indices per parameter, drawn without replacement from rng."""
    return {k: np.sort(rng.choice(params[k].size, size=min(n, params[k].size), replace=False))
            for k in KEYS}


def torch_grads(params, x, y, h0):
    """Loss and gradients from an independent forward pass written in torch operations.

    Shapes as helpers.rnn.loss_and_grads_reference; returns (loss, {key: ndarray}).
    """
    import torch
    P = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    K = P["V"].shape[0]
    X = torch.nn.functional.one_hot(torch.as_tensor(x), K).T.to(torch.float64)   # (K, tau)
    h = torch.tensor(h0, dtype=torch.float64)
    loss = torch.zeros((), dtype=torch.float64)
    for t in range(len(x)):
        h = torch.tanh(P["W"] @ h + P["U"] @ X[:, t:t + 1] + P["b"])
        o = P["V"] @ h + P["c"]
        loss = loss - torch.log_softmax(o, dim=0)[int(y[t]), 0]
    loss.backward()
    return loss.item(), {k: P[k].grad.numpy() for k in KEYS}


def compare(analytic, reference):
    """Rows {param, rel_error, max_rel_error} of analytic grads against reference values.

    reference: {key: array} for full gradients, or {key: (indices, values)} for sampled ones.
    """
    rows = []
    for k in KEYS:
        a, r = analytic[k].reshape(-1), reference[k]
        if isinstance(r, tuple):
            a, r = a[r[0]], r[1]
        r = np.asarray(r).reshape(-1)
        rows.append({"param": k, "rel_error": rel_error(a, r), "max_rel_error": max_rel_error(a, r)})
    return rows


def check_all(params, x, y, h0, loss_fn, entries=None, h=1e-4):
    """Both checks of loss_fn's gradients: {'numerical': rows, 'pytorch': rows} (see `compare`)."""
    _, grads, _ = loss_fn(params, x, y, h0)
    numerical = numerical_grads(lambda p: loss_fn(p, x, y, h0)[0], params, entries, h)
    _, torch_g = torch_grads(params, x, y, h0)
    return {"numerical": compare(grads, numerical), "pytorch": compare(grads, torch_g)}
