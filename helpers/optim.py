"""The update step on one flat parameter vector, with element-wise clipping: AdaGrad (the
course's) and Adam. Their state stays float64 even when the model runs in float32.
Both clip through `clip`, one place: in a student copy it and AdaGrad.step are exercise E3, and
Adam.step is the optional E12."""
import math

import numpy as np


class Flat:
    """One contiguous buffer with a view per parameter, so an update is a few vector ops."""

    def __init__(self, params, keys):
        self.keys = tuple(keys)
        self.shapes = {k: params[k].shape for k in self.keys}
        self.theta = np.concatenate([params[k].ravel() for k in self.keys])
        self.params = self.unflatten(self.theta, copy=False)

    def flatten(self, grads):
        return np.concatenate([grads[k].ravel() for k in self.keys])

    def unflatten(self, vector, copy=True):
        """A dict of views into `vector` (of copies when `copy`), with the parameters' shapes."""
        out, start = {}, 0
        for k in self.keys:
            size = math.prod(self.shapes[k])
            out[k] = vector[start:start + size].reshape(self.shapes[k])
            out[k] = out[k].copy() if copy else out[k]
            start += size
        return out


def clip(g, bound):
    """g (n,) clipped element-wise to [-bound, bound], in place; returns g."""
    # BEGIN SOLUTION E3: clip every entry of g to [-bound, bound], in place, and return g
    np.clip(g, -bound, bound, out=g)
    # END SOLUTION
    return g


class AdaGrad:
    """theta <- theta - eta * g / sqrt(G + eps), g = clip(grad), G the running sum of g^2.

    Flat vectors and preallocated scratch space: seven in-place passes per update. `mem` holds
    G + eps (it starts at eps), so sqrt(mem) needs no extra pass. It stays float64 even when the
    model runs in float32: a float32 sum drops the small late increments, and training then
    stalls (05_extensions compares float32 with float64 training).
    """

    def __init__(self, size, eta, eps=1e-8, clip=5.0):
        self.eta, self.clip = eta, clip
        self.mem = np.full(size, eps)
        self.tmp = np.empty(size)

    def step(self, theta, g):
        """Update theta (n,) in place from the gradient g (n,), clipped in place, element-wise."""
        # BEGIN SOLUTION E3: the class docstring's update: clip g, add this step to self.mem, then update theta; in place
        # HINT: clip with `clip` above, at self.clip.
        # HINT: self.mem starts at eps (see __init__), so it already holds G + eps.
        # HINT: read the learning rate from self.eta every time: training may lower it as it goes.
        g = clip(g, self.clip)
        tmp = self.tmp
        np.multiply(g, g, out=tmp)
        self.mem += tmp
        np.sqrt(self.mem, out=tmp)
        np.divide(g, tmp, out=tmp)
        tmp *= self.eta
        theta -= tmp
        # END SOLUTION

    def state(self):
        return {"mem": self.mem}


class Adam:
    """m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;  theta <- theta - eta m^ / (sqrt(v^) + eps),
    with m^, v^ corrected for their start at zero (Kingma and Ba, 2015); g clipped element-wise."""

    def __init__(self, size, eta=2e-3, eps=1e-8, clip=5.0, betas=(0.9, 0.999)):
        self.eta, self.eps, self.clip, (self.b1, self.b2) = eta, eps, clip, betas
        self.m, self.v, self.t = np.zeros(size), np.zeros(size), np.zeros(())
        self.tmp = np.empty(size)

    def step(self, theta, g):
        """Update theta (n,) in place from the gradient g (n,), clipped in place, element-wise."""
        g = clip(g, self.clip)
        # BEGIN SOLUTION E12: the class docstring's update: self.t, self.m, self.v, then theta; all in place
        # HINT: m and v start at zero, so early on they are too small: divide by 1 - b1^t and 1 - b2^t.
        # HINT: eps is added to sqrt(v^), after the correction, as torch.optim.Adam does.
        self.t += 1
        self.m *= self.b1
        self.m += (1 - self.b1) * g
        self.v *= self.b2
        self.v += (1 - self.b2) * g * g
        t = float(self.t)
        np.sqrt(self.v, out=self.tmp)
        self.tmp /= math.sqrt(1 - self.b2 ** t)               # sqrt(v^), as torch.optim.Adam
        self.tmp += self.eps
        np.divide(self.m, self.tmp, out=self.tmp)
        self.tmp *= self.eta / (1 - self.b1 ** t)
        theta -= self.tmp
        # END SOLUTION

    def state(self):
        return {"m": self.m, "v": self.v, "t": self.t}


def annealed(eta, step, steps, anneal):
    """The learning rate of update `step` (0-based) of `steps`: eta, falling linearly over the last
    `anneal` updates to eta / anneal at the last one. Smaller final steps settle the parameters
    nearer a minimum than a constant rate can, which bounces around it."""
    return eta if step < steps - anneal else eta * (steps - step) / anneal


OPTIMIZERS = {"adagrad": AdaGrad, "adam": Adam}


def make(name, size, eta, eps=1e-8, clip=5.0):
    """The optimizer `name` ('adagrad' or 'adam') for `size` parameters."""
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}; got {name!r}")
    return OPTIMIZERS[name](size, eta, eps, clip)
