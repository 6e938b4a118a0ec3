"""What the exercise checks compare against, computed before the student's code runs: random RNN
problems, PyTorch's own nn.RNN, softmax and Adagrad update on them, centred differences, and the
course's relative error.

Nothing here calls the checked copy's helpers, so that a copy cannot change what it is graded
against. Before a student's function runs, helpers.exercises.run reads its code and fails it when it
reaches these functions or PyTorch, so that no exercise passes by calling them. The student copy
holds this file, so every oracle that computes an exercise's answer does it with PyTorch (or by
another method than the exercise's, as numerical_grads): pasted into an exercise, it reaches
PyTorch too, and FAILs the same way. Like helpers.exercises.checks, a teacher's copy of this file
serves a submitted copy (`python -m helpers.exercises grade`).
"""
import numpy as np


def random_params(rng, K, m, sigma, bias=0.1):
    """Random RNN parameters: U (m, K), W (m, m), V (K, m) ~ N(0, sigma^2); b (m, 1), c (K, 1) ~ N(0, bias^2)."""
    shapes = {"U": (m, K), "W": (m, m), "V": (K, m), "b": (m, 1), "c": (K, 1)}
    return {k: (sigma if k in "UWV" else bias) * rng.standard_normal(shape) for k, shape in shapes.items()}


def problem(rng, K, m, tau, sigma=0.3):
    """Random parameters (non-zero biases), inputs x, targets y (tau,) and a state h0 (m, 1)."""
    p, x, y = random_params(rng, K, m, sigma), rng.integers(0, K, tau), rng.integers(0, K, tau)
    return p, x, y, 0.5 * rng.standard_normal((m, 1))


def _torch_net(params, x, h0):
    """PyTorch's nn.RNN and nn.Linear holding params, run on x from h0: ({key: its torch
    parameter}, hidden states (tau, m) and scores (tau, K) as tensors)."""
    import torch
    K, m = params["V"].shape
    with torch.random.fork_rng(devices=[]):     # making the modules draws from torch's global generator
        net, head = torch.nn.RNN(K, m, nonlinearity="tanh").double(), torch.nn.Linear(m, K).double()
    ours = {"U": net.weight_ih_l0, "W": net.weight_hh_l0, "V": head.weight, "b": net.bias_ih_l0, "c": head.bias}
    with torch.no_grad():
        for k, p in ours.items():
            p.copy_(torch.as_tensor(params[k]).reshape(p.shape))
        net.bias_hh_l0.zero_()
    X = torch.nn.functional.one_hot(torch.as_tensor(x), K).double().unsqueeze(1)
    hs, _ = net(X, torch.tensor(h0.T[None].copy()))
    return ours, hs[:, 0], head(hs[:, 0])


def _grads(ours, params):
    return {k: p.grad.numpy().reshape(params[k].shape) for k, p in ours.items()}


def torch_run(params, x, y, h0):
    """PyTorch's nn.RNN and nn.Linear holding params: loss, hidden states (tau, m), scores (tau, K),
    and the gradients {key: array shaped like params[key]}."""
    import torch
    ours, hs, scores = _torch_net(params, x, h0)
    loss = torch.nn.functional.cross_entropy(scores, torch.as_tensor(y), reduction="sum")
    loss.backward()
    return loss.item(), hs.detach().numpy(), scores.detach().numpy(), _grads(ours, params)


def torch_vjp(params, x, h0, g):
    """The gradients {key: array shaped like params[key]} that the output gradients g (tau, K),
    g[t] = dL/do_t, send back through PyTorch's nn.RNN run on x from h0 (m, 1)."""
    import torch
    ours, _, scores = _torch_net(params, x, h0)
    (scores * torch.as_tensor(g)).sum().backward()
    return _grads(ours, params)


def softmax_rows(scores):
    """torch.softmax of each row of scores (n, K)."""
    import torch
    return torch.softmax(torch.as_tensor(scores), dim=1).numpy()


def clamp(g, bound):
    """torch.clamp of g to [-bound, bound], as a new array."""
    import torch
    return torch.clamp(torch.as_tensor(g), -bound, bound).numpy()


def adagrad_run(theta, steps, bound, eps=1e-8, outside=0.0):
    """(theta (n,), sum of squares + eps (n,)) after torch.optim.Adagrad's update for each (g, eta)
    of `steps`, every g clamped to [-bound, bound] first (bound = inf: not clipped), dividing by
    sqrt(sum + eps) + outside (torch's own eps); theta itself stays as it was."""
    import torch
    from torch.optim.adagrad import adagrad     # torch.optim.Adagrad's update, without building an optimizer
    t_theta, t_step = torch.tensor(theta), torch.tensor(0.0)
    t_sum = torch.full((len(theta),), eps, dtype=torch.float64)
    for g, eta in steps:
        adagrad([t_theta], [torch.as_tensor(clamp(g, bound))], [t_sum], [t_step], lr=eta,
                weight_decay=0, lr_decay=0, eps=outside, maximize=False, foreach=False)
    return t_theta.numpy(), t_sum.numpy()


def numerical_grads(loss, params, h=1e-4):
    """Five-point differences (8 (f(p+h) - f(p-h)) - (f(p+2h) - f(p-2h))) / 12h for every entry of
    params (restored): fourth order, not the course's centred difference, which E7 asks for."""
    out = {}
    for k, v in params.items():
        flat, g = v.reshape(-1), np.empty(v.size)      # flat is a view: edits reach params[k]
        for i in range(v.size):
            old, f = flat[i], {}
            for step in (-2, -1, 1, 2):
                flat[i] = old + step * h
                f[step] = loss(params)
            g[i] = (8 * (f[1] - f[-1]) - (f[2] - f[-2])) / (12 * h)
            flat[i] = old
        out[k] = g.reshape(v.shape)
    return out


def rel_error(a, b):
    """||a - b|| / (||a|| + ||b||), the course's relative error, by torch.linalg.norm over all
    entries (0 when both are zero, NaN when either holds a NaN or an infinity, so that it fails
    every bar)."""
    import torch
    a, b = torch.as_tensor(np.asarray(a, dtype=float)), torch.as_tensor(np.asarray(b, dtype=float))
    denom = torch.linalg.norm(a) + torch.linalg.norm(b)
    return 0.0 if denom == 0 else float(torch.linalg.norm(a - b) / denom)


# --- What the checks of E6-E12 (helpers.exercises.course) compare against ---------------------


def smooth_losses(losses):
    """(n,) the course's smooth loss after each of `losses` (n,), in closed form with torch: a
    weighted sum of the first loss and every later one, not the step-by-step recursion."""
    import torch
    losses = torch.as_tensor(np.asarray(losses, dtype=float))
    k = torch.arange(len(losses), dtype=torch.float64)
    back = torch.tril(0.999 ** (k[:, None] - k[None, :]))     # the weight of a loss i - j steps back
    later = (0.001 * back[:, 1:] * losses[1:]).sum(dim=1)
    return (0.999 ** k * losses[0] + later).numpy()


def course_chunks(n_text, tau, steps, last_chunk=False):
    """(starts (steps,), resets (steps,) bool): where the course's walk over a text of n_text
    characters reads at each step, and whether hprev is zeroed there (every rewind after the
    first step), as torch counts them. The course's rule (the assignment's `e > len - seq_length
    - 1`, min-char-rnn's `p + seq_length + 1 >= len(data)`) never lets a chunk's targets reach the
    last character; last_chunk=True reads that last whole chunk too, as the workbook once did."""
    import torch
    per_epoch = torch.div(torch.tensor(n_text - 1 - (not last_chunk)), tau, rounding_mode="floor")
    k = torch.remainder(torch.arange(steps), per_epoch)           # chunks read since the last rewind
    return (k * tau).numpy(), ((k == 0) & (torch.arange(steps) > 0)).numpy()


def _gated_torch(kind, params, X, state):
    """(module, head, O) for PyTorch's nn.LSTM or nn.GRU holding params, run on X (tau, B) int
    from `state` ((h, c) or h, each (m, B)); O (tau*B, K) requires grad."""
    import torch
    K, m = params["V"].shape
    with torch.random.fork_rng(devices=[]):
        net = (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(K, m).double()
        head = torch.nn.Linear(m, K).double()
    b_hh = np.zeros(4 * m) if kind == "lstm" else np.concatenate([np.zeros(2 * m), params["b_n"][:, 0]])
    with torch.no_grad():
        for name, value in (("weight_ih_l0", params["U"]), ("weight_hh_l0", params["W"]),
                            ("bias_ih_l0", params["b"][:, 0]), ("bias_hh_l0", b_hh)):
            getattr(net, name).copy_(torch.as_tensor(value))
        head.weight.copy_(torch.as_tensor(params["V"]))
        head.bias.copy_(torch.as_tensor(params["c"][:, 0]))
    inputs = torch.nn.functional.one_hot(torch.as_tensor(X), K).double()          # (tau, B, K)
    parts = tuple(torch.tensor(a.T[None].copy()) for a in (state if kind == "lstm" else (state,)))
    out, _ = net(inputs, parts if kind == "lstm" else parts[0])
    return net, head, head(out.reshape(-1, m))


def gated_grads(kind, params, X, state, G):
    """{key: array shaped like params[key]}: the gradients of sum(O * G) for PyTorch's nn.LSTM
    (kind 'lstm') or nn.GRU ('gru') holding params, O their scores (tau*B, K) on X (tau, B)."""
    import torch
    net, head, O = _gated_torch(kind, params, X, state)
    (O * torch.as_tensor(G)).sum().backward()
    g = {name: p.grad.numpy() for name, p in net.named_parameters()}
    m = params["V"].shape[1]
    out = {"U": g["weight_ih_l0"], "W": g["weight_hh_l0"], "b": g["bias_ih_l0"][:, None],
           "V": head.weight.grad.numpy(), "c": head.bias.grad.numpy()[:, None]}
    if kind == "gru":
        out["b_n"] = g["bias_hh_l0"][2 * m:, None]
    return out


def adam_run(theta, steps, bound, betas=(0.9, 0.999), eps=1e-8):
    """(theta, m, v) after torch.optim.Adam's update for each (g, eta) of `steps`, every g clamped
    to [-bound, bound] first; theta itself stays as it was."""
    import torch
    from torch.optim.adam import adam            # torch.optim.Adam's update, without building an optimizer
    t_theta, m, v = torch.tensor(theta), torch.zeros(len(theta), dtype=torch.float64), \
        torch.zeros(len(theta), dtype=torch.float64)
    step = torch.tensor(0.0)
    for g, eta in steps:
        adam([t_theta], [torch.as_tensor(clamp(g, bound))], [m], [v], [], [step], foreach=False,
             amsgrad=False, beta1=betas[0], beta2=betas[1], lr=eta, weight_decay=0, eps=eps, maximize=False)
    return t_theta.numpy(), m.numpy(), v.numpy()


def nucleus_rows(P, top_p):
    """Each row of P (n, K) cut to its fewest most likely entries whose mass reaches top_p, then
    renormalised, by torch.sort and torch.cumsum: what nucleus sampling draws from (no ties among
    the rows' entries assumed)."""
    import torch
    P = torch.as_tensor(np.asarray(P, dtype=float))
    sorted_p, order = torch.sort(P, dim=1, descending=True)
    before = torch.cumsum(sorted_p, dim=1) - sorted_p              # the mass of the more likely ones
    kept = torch.zeros_like(P).scatter(1, order, (before < top_p - 1e-12).double())
    return (P * kept / (P * kept).sum(dim=1, keepdim=True)).numpy()
