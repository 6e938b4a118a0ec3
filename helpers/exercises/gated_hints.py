"""The causes E10-E12's hints name, read from which gradients disagree (helpers.exercises.gated).
Gate blocks are the row blocks of W, U and b, in the order the models stack them. The diagnosis
never decides PASS or FAIL."""
import numpy as np

from helpers.exercises import oracles

GATES = {"lstm": ("input gate i", "forget gate f", "candidate g", "output gate o"),
         "gru": ("reset gate r", "update gate z", "candidate n")}
LOCAL = {"input gate i": "the input gate i (di = dc_t * g_t, through sigma')",
         "forget gate f": "the forget gate f (df = dc_t * c_{t-1}, through sigma')",
         "candidate g": "the candidate g (dg = dc_t * i_t, through tanh')",
         "output gate o": "the output gate o (do = dh_t * tanh(c_t), through sigma'), or dc_t's share from h_t",
         "reset gate r": "the reset gate inside the candidate (dr = da_n * e_n, through sigma')",
         "update gate z": "the update gate z (dz = dh_t * (h_{t-1} - n_t), through sigma')",
         "candidate n": "the candidate n (da_n = dh_t * (1 - z_t) * tanh')"}
THROUGH_C = "the forget gate's path through c: dc_{t-1} = dc_t * f_t, carried from step to step"
RECURRENT = {"lstm": "the recurrent path dh_next: dh_{t-1} gathers the gates' gradients times W",
             "gru": "the recurrent path dh_next: dh_{t-1} = dh_t * z_t plus the gates' gradients times W"}
BAR = 1e-10


def wrong(kind, got, want):
    """(the wrong parameter gradients, {gate: wrong}) for one case."""
    names = GATES[kind]
    keys = [k for k in want if oracles.rel_error(got[k], want[k]) > BAR]
    blocks = {gate: any(oracles.rel_error(b1, b2) > BAR for k in "WUb"
                        for b1, b2 in [(np.split(got[k], len(names))[j], np.split(want[k], len(names))[j])])
              for j, gate in enumerate(names)}
    return keys, blocks


def cause(kind, short, long):
    """The hint for a wrong backward pass: `short` the (keys, blocks) of a one-step case, `long` of a
    two-step one; None when every gradient agrees."""
    keys, blocks = short if short[0] else long
    if not keys:
        return None
    named = "wrong: " + ", ".join(f"d{k}" for k in keys)
    if set(keys) <= {"V", "c"}:
        return f"{named}: the output layer, G is dL/ds_t for s_t = V h_t + c"
    gates = [g for g, bad in blocks.items() if bad]
    if "b_n" in keys and set(keys) <= {"W", "b_n"} and set(gates) <= {"candidate n"}:
        return (f"{named}: r_t scales e_n = W_n h_{{t-1}} + b_n, so dW_n and db_n receive de_n = da_n * r_t, "
                f"not da_n")
    if short[0]:
        return f"{named}, in the rows of the {', '.join(gates)}: most likely " + "; or ".join(LOCAL[g] for g in gates)
    if kind == "lstm" and not blocks["output gate o"]:
        return f"{named} only over two steps, the output gate's rows right: most likely {THROUGH_C}"
    return f"{named} only over two steps: most likely {RECURRENT[kind]}"


FROM_ZERO = ("bias correction with t counted from 0: at the first step 1 - b^t must be 1 - b, so self.t "
             "is raised to 1 before the correction (Adam's docstring, 06_gated)")
NO_CORRECTION = ("{} bias correction missing: m^ = m / (1 - b1^t) and v^ = v / (1 - b2^t), with t the steps "
                 "taken so far, counted from 1 (Adam's docstring, 06_gated)")


def first_step(optimizer, theta, g, eta, clip, sealed):
    """The hint for Adam whose moments agree but whose steps do not, from one fresh step on the big
    entries: its size against torch.optim.Adam's tells a missing correction; None when none stands out."""
    want = oracles.adam_run(theta, [(g, eta)], clip)[0] - theta
    got = theta.copy()
    with sealed():
        opt = optimizer(len(theta), eta=eta, eps=1e-8, clip=clip)
        opt.step(got, g.copy())
    if not np.all(np.isfinite(got)):
        return FROM_ZERO
    ratio = np.median(np.abs(got - theta) / np.abs(want))
    b1, b2 = opt.b1, opt.b2
    for factor, which in (((1 - b1) / np.sqrt(1 - b2), "the"), (1 - b1, "m's"), (1 / np.sqrt(1 - b2), "v's")):
        if abs(ratio / factor - 1) < 0.01:
            return NO_CORRECTION.format(which)
    return None
