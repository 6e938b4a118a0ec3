"""The modules a student copy holds in place of helpers/rnn.py and helpers/loss.py
(helpers/teacher/substitutes/): the course's contracts, computed through rnn_reference, to the
precision of the fast path's own tests. The copy leaves this file out (it reads the teacher's tools)."""
import inspect

import numpy as np
import pytest

from helpers import layers, loss, rnn, rnn_reference
from helpers.teacher.substitutes import SUBSTITUTES, loss as slow_loss, rnn as slow_rnn
from problems import random_problem

SHARED = ("shapes", "init_params", "zero_state", "from_torch", "to_torch", "torch_grads", "nats_per_char",
          "bits_per_char")


@pytest.fixture
def slow(monkeypatch):
    """The substitute rnn with the substitute loss layer, as a student copy holds them."""
    monkeypatch.setattr(layers, "loss", slow_loss)
    return slow_rnn


def test_the_substitutes_keep_every_public_name_and_the_shared_code():
    for course, substitute in ((rnn, slow_rnn), (loss, slow_loss)):
        public = {n for n in vars(course) if not n.startswith("_") and n not in ("np", "math", "layers")}
        assert public <= set(vars(substitute)), public - set(vars(substitute))
    assert slow_rnn.KEYS == rnn.KEYS
    for name in SHARED:                      # written twice, kept the same: a test, not care, says so
        assert inspect.getsource(getattr(slow_rnn, name)) == inspect.getsource(getattr(rnn, name)), name
    assert set(SUBSTITUTES) == {"helpers/rnn.py", "helpers/loss.py"}


@pytest.mark.parametrize("K, m, tau, batch", [(4, 3, 1, None), (7, 5, 10, None), (12, 8, 6, 5)])
def test_the_substitute_rnn_matches_the_reference(slow, rng, K, m, tau, batch):
    params, x, y, h0 = random_problem(rng, K, m, tau, sigma=min(0.3, m ** -0.5), batch=batch)
    X, Y = (x, y) if batch else (x[None], y[None])
    singles = [rnn_reference.loss_and_grads_reference(params, X[i], Y[i], h0[:, [i]]) for i in range(len(X))]
    value, grads, last = slow.loss_and_grads(params, x, y, h0)
    assert value == pytest.approx(np.mean([s[0] for s in singles]), rel=1e-12)
    assert np.allclose(last, np.hstack([s[2] for s in singles]), rtol=0, atol=1e-12)
    for k in rnn.KEYS:
        assert np.allclose(grads[k], sum(s[1][k] for s in singles) / len(X), rtol=1e-12, atol=1e-14), k
    fast = rnn.loss_and_grads(params, x, y, h0)
    assert value == pytest.approx(fast[0], rel=1e-12)
    layered = layers.loss_and_grads(slow.forward, slow.backward, params, x, y, h0)   # the contract's own route
    assert layered[0] == pytest.approx(value, rel=1e-12) and np.allclose(layered[2], last, rtol=0, atol=1e-12)
    for k in rnn.KEYS:
        assert np.allclose(layered[1][k], grads[k], rtol=1e-12, atol=1e-14), k


def test_the_substitute_rnn_keeps_the_contract_of_forward_step_and_surprisal(slow, rng):
    params, _, _, _ = random_problem(rng, 9, 6, 1)
    X, h0 = rng.integers(0, 9, (7, 3)), 0.5 * rng.standard_normal((6, 3))
    (_, O, last), (_, O_fast, last_fast) = slow.forward(params, X, h0), rnn.forward(params, X, h0)
    assert O.shape == (21, 9) and np.allclose(O, O_fast, atol=1e-12) and np.allclose(last, last_fast, atol=1e-12)
    o, h = slow.step(params, 3, h0[:, :1])
    assert o.shape == (9,) and h.shape == (6, 1) and np.allclose(o, rnn.step(params, 3, h0[:, :1])[0], atol=1e-12)
    ids = rng.integers(0, 9, 60)
    assert np.allclose(slow.surprisal(params, ids, chunk=7), rnn.surprisal(params, ids), atol=1e-12)
    params32 = {k: v.astype(np.float32) for k, v in params.items()}
    _, grads, h = slow.loss_and_grads(params32, ids[:5], ids[1:6], np.zeros((6, 1), np.float32))
    assert h.dtype == np.float32 and all(g.dtype == np.float32 for g in grads.values())


def test_the_substitute_loss_layer_matches_the_course(rng):
    O, y = 30 * rng.standard_normal((11, 6)), rng.integers(0, 6, 11)
    O[0, y[0]] = -800.0                                  # p underflows to 0: the loss stays finite
    assert np.allclose(slow_loss.softmax(O), loss.softmax(O), atol=1e-15)
    assert np.allclose(slow_loss.cross_entropy(O, y), loss.cross_entropy(O, y), rtol=1e-13)
    for B in (1, 3):
        (v, G), (v_fast, G_fast) = slow_loss.softmax_loss(O.copy(), y, B), loss.softmax_loss(O.copy(), y, B)
        assert np.isfinite(v) and v == pytest.approx(v_fast, rel=1e-13) and np.allclose(G, G_fast, atol=1e-15)


def test_the_substitute_rnn_caches_what_the_fast_path_caches(rng):
    """helpers.inside reads the hidden states from the cache: the substitute's is the same array."""
    params, _, _, _ = random_problem(rng, 9, 6, 1)
    X, h0 = rng.integers(0, 9, (7, 3)), 0.5 * rng.standard_normal((6, 3))
    assert np.allclose(slow_rnn.forward(params, X, h0)[0], rnn.forward(params, X, h0)[0], rtol=0, atol=1e-12)
