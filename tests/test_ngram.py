import math

import numpy as np
import pytest

from corpora import awkward_text
from helpers import ngram
from helpers.data import Vocabulary


def test_hand_computed_unigram():
    # counts a = 3, b = 1; n1 = 1, n2 = 0 so D = 1; P(b) = 0/4 + 1 * 2/4 * 1/2 = 1/4. The first
    # character of the scored text is read, not scored, as by a network from its zero state.
    assert ngram.bits_per_char("aaab", "ab", 1) == pytest.approx(2.0, abs=1e-12)
    assert ngram.bits_per_char("aaab", "ba", 1) == pytest.approx(-math.log2(3 / 4), abs=1e-12)


def test_hand_computed_bigram():
    # Bigrams of "abab": ab twice, ba once, so D_1 = 1 / (1 + 2) = 1/3. Continuation counts of
    # a and b are 1 each (only "ba" and "ab" end in them), so D_0 = 1 and P_0 = 1/2 for both.
    # P(a | b) = (1 - 1/3) / 1 + 1/3 * 1/1 * 1/2 = 5/6;  P(b | b) = 1/3 * 1/1 * 1/2 = 1/6.
    assert ngram.bits_per_char("abab", "ba", 2) == pytest.approx(-math.log2(5 / 6), abs=1e-12)
    assert ngram.bits_per_char("abab", "bb", 2) == pytest.approx(-math.log2(1 / 6), abs=1e-12)


def test_the_scored_text_is_its_own_only_context():
    rng = np.random.default_rng(5)
    train, query = rng.integers(0, 4, 3_000), rng.integers(0, 4, 50)
    lp = ngram.log2_probs(train, query, 4, [1, 2, 3, 6])
    assert all(len(v) == len(query) - 1 for v in lp.values())     # query[1:], like a network
    # Scored character t has only t + 1 characters before it. Were the training text's tail its
    # context, order 6 would read further back than order 3 (4) at t = 0 (1), and they would differ.
    lp4 = ngram.log2_probs(train, query, 4, [4])[4]
    assert lp[6][0] == lp[3][0] and lp[6][1] == lp4[1] and lp[6][1] != lp[3][1]
    prefix = ngram.log2_probs(train, query[:20], 4, [6])[6]
    assert np.array_equal(prefix, lp[6][:19])                      # the future is never read


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_every_distribution_sums_to_one(order):
    rng = np.random.default_rng(order)
    train = rng.integers(0, 6, 300)
    for context in ([1, 2], [5, 5, 5, 5], [0], [3, 1, 4, 1, 5]):     # seen and unseen contexts
        p = ngram.distribution(train, np.array(context), 7, order)     # symbol 6 never seen
        assert p.shape == (7,) and (p > 0).all()
        assert p.sum() == pytest.approx(1.0, abs=1e-12)


def test_more_data_never_makes_a_fixed_text_worse():
    text = awkward_text(60_000, seed=3)
    val = text[-5_000:]
    for order in (2, 4):
        bits = [ngram.bits_per_char(text[-5_000 - n:-5_000], val, order) for n in (5_000, 20_000, 50_000)]
        assert all(b <= a + 0.02 for a, b in zip(bits, bits[1:])), (order, bits)


def test_higher_orders_fit_structured_text_better_and_beat_uniform():
    text = awkward_text(40_000, seed=4)
    vocab = Vocabulary.from_text(text)
    ids, K = vocab.encode(text), len(vocab)
    s = ngram.scores(ids[:-4_000], ids[-4_000:], K, orders=range(1, 6))
    assert s[1] < math.log2(K) and s[2] < s[1] and s[3] < s[2]
    assert s == pytest.approx({n: ngram.bits_per_char(text[:-4_000], text[-4_000:], n) for n in s})


def test_bad_order_is_refused():
    with pytest.raises(ValueError, match="order must be at least 1"):
        ngram.bits_per_char("abc", "a", 0)
