"""Two models mixed, P = w P_a + (1 - w) P_b, from the bits each spends on the correct character:
against the two full distributions mixed, at its ends, in its bounds, and its weight chosen."""
import numpy as np
import pytest

from helpers.compress import mixture


def softmax(O):
    """(n, K) probabilities of scores O (n, K)."""
    E = np.exp(O - O.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def random_bits(n=500, seed=0):
    rng = np.random.default_rng(seed)
    return rng.exponential(3.0, n), rng.exponential(3.0, n)


def test_the_ends_are_the_parts():
    a, b = random_bits()
    assert np.array_equal(mixture.bits(a, b, 1.0), a) and np.array_equal(mixture.bits(a, b, 0.0), b)


def test_it_is_the_two_full_distributions_mixed_and_scored():
    rng = np.random.default_rng(1)
    n, K, w = 300, 17, 0.37
    P_a, P_b = softmax(3 * rng.standard_normal((n, K))), softmax(3 * rng.standard_normal((n, K)))
    y = rng.integers(0, K, n)
    P = w * P_a + (1 - w) * P_b                                   # (n, K), each row sums to 1
    assert np.allclose(P.sum(axis=1), 1)
    rows = np.arange(n)
    mixed = mixture.bits(-np.log2(P_a[rows, y]), -np.log2(P_b[rows, y]), w)
    assert np.max(np.abs(mixed - -np.log2(P[rows, y]))) < 1e-9


@pytest.mark.parametrize("w", [0.01, 0.3, 0.5, 0.99])
def test_never_worse_than_the_worse_part_nor_better_than_the_better(w):
    a, b = random_bits(seed=2)
    mixed = mixture.bits(a, b, w)
    assert np.all(mixed <= np.maximum(a, b) + 1e-12) and np.all(mixed >= np.minimum(a, b) - 1e-12)
    assert np.all(mixed <= a - np.log2(w) + 1e-12) and np.all(mixed <= b - np.log2(1 - w) + 1e-12)


def test_a_character_one_part_finds_impossible_costs_the_others_bits_plus_its_weight():
    mixed = mixture.bits(np.array([3000.0, 2.0]), np.array([1.0, 5000.0]), 0.25)   # 2^-3000 underflows
    assert np.all(np.isfinite(mixed)) and np.allclose(mixed, [1 - np.log2(0.75), 2 - np.log2(0.25)])


def test_one_weight_per_character():
    a, b = random_bits(seed=3)
    w = np.random.default_rng(4).uniform(0, 1, len(a))
    each = [mixture.bits(a[i:i + 1], b[i:i + 1], w[i])[0] for i in range(len(a))]
    assert np.allclose(mixture.bits(a, b, w), each)


def test_choose_finds_the_share_of_characters_only_a_predicts():
    # a is sure and right on 30 % of the characters, b on the rest, each giving the other's
    # characters no chance: mean bits -0.3 log2 w - 0.7 log2 (1 - w), lowest at w = 0.3.
    a = np.where(np.arange(1000) < 300, 0.0, 1e4)
    w, tried = mixture.choose(a, 1e4 - a)
    assert abs(w - 0.3) < 1e-9 and tried[w] == min(tried.values())
    assert tried[1.0] == a.mean() and tried[0.0] == (1e4 - a).mean()


def test_choose_is_no_worse_than_either_part():
    a, b = random_bits(seed=5)
    w, tried = mixture.choose(a, b, [0.0, 0.2, 0.6, 1.0])
    assert set(tried) == {0.0, 0.2, 0.6, 1.0} and tried[w] <= min(a.mean(), b.mean())


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="the two models must score the same characters; got"):
        mixture.bits(np.zeros(3), np.zeros(4), 0.5)
    with pytest.raises(ValueError, match=r"the weight w must lie in \[0, 1\]; got 1.5"):
        mixture.bits(np.zeros(3), np.zeros(3), 1.5)
