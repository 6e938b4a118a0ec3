"""Random problems for gradient tests."""
from helpers import rnn


def random_problem(rng, K, m, tau, sigma=0.3, batch=None):
    """Parameters (with non-zero biases), inputs, targets and h0 for gradient tests."""
    params = rnn.init_params(K, m, sigma, rng)
    params["b"][...] = 0.1 * rng.standard_normal((m, 1))
    params["c"][...] = 0.1 * rng.standard_normal((K, 1))
    shape = (tau,) if batch is None else (batch, tau)
    x, y = rng.integers(0, K, shape), rng.integers(0, K, shape)
    h0 = 0.5 * rng.standard_normal((m, 1 if batch is None else batch))
    return params, x, y, h0
