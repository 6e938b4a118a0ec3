import numpy as np
import pytest

from helpers import gradcheck as gc
from helpers import rnn, rnn_reference
from problems import random_problem

CONFIGS = [(5, 5, 25), (11, 7, 4), (20, 3, 13)]      # (K, m, tau), the first is the course's


@pytest.mark.parametrize("K, m, tau", CONFIGS)
@pytest.mark.parametrize("fn", [rnn_reference.loss_and_grads_reference, rnn.loss_and_grads])
def test_analytic_matches_numerical(rng, fn, K, m, tau):
    params, x, y, h0 = random_problem(rng, K, m, tau)
    _, grads, _ = fn(params, x, y, h0)
    numerical = gc.numerical_grads(lambda p: fn(p, x, y, h0)[0], params)
    for row in gc.compare(grads, numerical):
        assert row["rel_error"] < 1e-6, row


@pytest.mark.parametrize("K, m, tau", CONFIGS + [(80, 100, 25)])
def test_analytic_matches_pytorch(rng, K, m, tau):
    params, x, y, h0 = random_problem(rng, K, m, tau, sigma=0.1)
    loss, grads, _ = rnn.loss_and_grads(params, x, y, h0)
    loss_t, grads_t = gc.torch_grads(params, x, y, h0)
    assert loss == pytest.approx(loss_t, rel=1e-12)
    for row in gc.compare(grads, grads_t):
        assert row["rel_error"] < 1e-12, row


def test_sampled_check_at_full_size(rng):
    params, x, y, h0 = random_problem(rng, 80, 100, 25, sigma=0.01)
    _, grads, _ = rnn.loss_and_grads(params, x, y, h0)
    entries = gc.sample_entries(params, 15, rng)
    numerical = gc.numerical_grads(lambda p: rnn.loss_and_grads(p, x, y, h0)[0], params, entries)
    assert all(len(numerical[k][0]) == 15 for k in rnn.KEYS)
    for row in gc.compare(grads, numerical):
        assert row["rel_error"] < 1e-6, row


def test_minibatch_gradient_is_checked(rng):
    params, X, Y, H0 = random_problem(rng, 6, 4, 5, batch=3)
    _, grads, _ = rnn.loss_and_grads(params, X, Y, H0)
    numerical = gc.numerical_grads(lambda p: rnn.loss_and_grads(p, X, Y, H0)[0], params)
    for row in gc.compare(grads, numerical):
        assert row["rel_error"] < 1e-6, row


def test_a_wrong_gradient_is_caught(rng):
    params, x, y, h0 = random_problem(rng, 5, 5, 6)
    _, grads, _ = rnn.loss_and_grads(params, x, y, h0)
    grads["W"] = grads["W"] * 1.01                        # a 1% bug must not pass
    numerical = gc.numerical_grads(lambda p: rnn.loss_and_grads(p, x, y, h0)[0], params)
    worst = {r["param"]: r["rel_error"] for r in gc.compare(grads, numerical)}
    assert worst["W"] > 1e-3 and worst["U"] < 1e-6


def test_rel_error_definition():
    a, b = np.array([3.0, 4.0]), np.array([3.0, 4.0 + 1e-3])
    assert gc.rel_error(a, b) == pytest.approx(1e-3 / (5.0 + np.linalg.norm(b)))
    assert gc.rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gc.max_rel_error(np.array([1.0, 0.0]), np.array([1.0, 0.0])) == 0.0


def test_sampled_entries_fall_where_the_gradient_can_be_non_zero(rng):
    params, x, y, h0 = random_problem(rng, 60, 8, 5, sigma=0.01)   # K = 60, 5 characters: most of U is 0
    _, grads, _ = rnn.loss_and_grads(params, x, y, h0)
    among = gc.support(grads, gc.torch_grads(params, x, y, h0)[1])
    columns = np.unique(np.asarray(among["U"]) % params["U"].shape[1])
    assert set(columns) == set(np.unique(x).tolist())              # U's columns of the characters present
    entries = gc.sample_entries(params, 20, rng, among)
    assert all(np.all(grads[k].reshape(-1)[entries[k]] != 0) for k in rnn.KEYS)


def test_a_row_of_zeros_on_both_sides_is_not_checked():
    rows = gc.compare({"U": np.zeros((2, 3)), "W": np.ones(2)},
                      {"U": (np.array([0, 4]), np.zeros(2)), "W": np.ones(2) * (1 + 1e-3)})
    assert [r["checked"] for r in rows] == [False, True] and rows[0]["rel_error"] is None
    largest, unchecked = gc.worst(rows)
    assert unchecked == ["U"] and largest == pytest.approx(gc.rel_error(np.ones(2), np.ones(2) * (1 + 1e-3)))
    assert gc.worst(rows[:1]) == (None, ["U"])
