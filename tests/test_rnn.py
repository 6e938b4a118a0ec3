import math

import numpy as np
import pytest

from helpers import rnn, rnn_reference
from problems import random_problem


@pytest.mark.parametrize("K, m, tau", [(4, 3, 1), (7, 5, 10), (30, 16, 25), (80, 100, 25)])
def test_fast_path_matches_reference(rng, K, m, tau):
    # sigma = 1/sqrt(m) keeps W's spectral radius near 1; far above it, the recurrence is
    # chaotic and amplifies last-bit differences in summation order beyond 1e-12.
    params, x, y, h0 = random_problem(rng, K, m, tau, sigma=min(0.3, m ** -0.5))
    loss_r, grads_r, h_r = rnn_reference.loss_and_grads_reference(params, x, y, h0)
    loss_f, grads_f, h_f = rnn.loss_and_grads(params, x, y, h0)
    assert abs(loss_f - loss_r) <= 1e-12 * abs(loss_r)
    assert h_f.shape == (m, 1) and np.allclose(h_f, h_r, rtol=0, atol=1e-12)
    for k in rnn.KEYS:
        assert grads_f[k].shape == params[k].shape
        assert np.max(np.abs(grads_f[k] - grads_r[k])) <= 1e-12 * max(1.0, np.max(np.abs(grads_r[k])))


def test_batch_is_the_mean_of_its_streams(rng):
    params, X, Y, H0 = random_problem(rng, 12, 8, 6, batch=5)
    loss, grads, h_last = rnn.loss_and_grads(params, X, Y, H0)
    singles = [rnn_reference.loss_and_grads_reference(params, X[i], Y[i], H0[:, [i]]) for i in range(5)]
    assert loss == pytest.approx(np.mean([s[0] for s in singles]), rel=1e-13)
    assert h_last.shape == (8, 5)
    for i, s in enumerate(singles):
        assert np.allclose(h_last[:, [i]], s[2], atol=1e-13)
    for k in rnn.KEYS:
        mean = sum(s[1][k] for s in singles) / 5
        assert np.allclose(grads[k], mean, rtol=1e-12, atol=1e-14)


def test_init_params_shapes_and_zero_biases(rng):
    p = rnn.init_params(80, 100, 0.01, rng)
    assert {k: p[k].shape for k in rnn.KEYS} == {"U": (100, 80), "W": (100, 100), "V": (80, 100),
                                                  "b": (100, 1), "c": (80, 1)}
    assert all(p[k].dtype == np.float64 for k in rnn.KEYS)
    assert not p["b"].any() and not p["c"].any()
    assert 0.009 < p["W"].std() < 0.011
    again = rnn.init_params(80, 100, 0.01, np.random.default_rng(1234))
    assert np.array_equal(again["U"], p["U"])          # same seed, same draw


def test_loss_at_initialisation_is_tau_ln_K(rng):
    K, tau = 80, 25
    p = rnn.init_params(K, 100, 0.01, rng)
    x, y = rng.integers(0, K, tau), rng.integers(0, K, tau)
    loss, _, _ = rnn.loss_and_grads(p, x, y, np.zeros((100, 1)))
    assert loss == pytest.approx(tau * math.log(K), rel=0.01)


@pytest.mark.parametrize("K, m", [(0, 5), (5, 0), (5, -3)])
def test_bad_sizes_are_refused(K, m):
    with pytest.raises(ValueError, match="must be positive"):
        rnn.init_params(K, m)


def test_loss_per_char_matches_summed_loss(rng):
    params, _, _, _ = random_problem(rng, 9, 6, 1)
    ids = rng.integers(0, 9, 401)
    loss, _, _ = rnn.loss_and_grads(params, ids[:-1], ids[1:], np.zeros((6, 1)))
    assert rnn.loss_per_char(params, ids, chunk=37) == pytest.approx(loss / 400, rel=1e-12)


def test_unit_conversions():
    assert rnn.nats_per_char(50.0, 25) == 2.0
    assert rnn.bits_per_char(math.log(2)) == pytest.approx(1.0)


def test_float32_mode_keeps_dtype(rng):
    p = rnn.init_params(10, 8, 0.1, rng, dtype=np.float32)
    x, y = rng.integers(0, 10, 5), rng.integers(0, 10, 5)
    loss, grads, h = rnn.loss_and_grads(p, x, y, np.zeros((8, 1), np.float32))
    assert all(g.dtype == np.float32 for g in grads.values()) and h.dtype == np.float32
    p64 = {k: v.astype(np.float64) for k, v in p.items()}
    assert loss == pytest.approx(rnn.loss_and_grads(p64, x, y, np.zeros((8, 1)))[0], rel=1e-5)
