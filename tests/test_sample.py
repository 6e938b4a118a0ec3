import numpy as np
import pytest

from helpers import rnn
from helpers.data import Vocabulary
from helpers.sample import generate, next_distribution, synthesize


@pytest.fixture
def model():
    vocab = Vocabulary.from_text("abcdefgh \n")
    return rnn.init_params(len(vocab), 12, 0.5, np.random.default_rng(3)), vocab


def test_length_and_vocabulary(model):
    params, vocab = model
    ids = synthesize(params, np.zeros((12, 1)), 0, 300, np.random.default_rng(0))
    assert ids.shape == (300,) and ids.min() >= 0 and ids.max() < len(vocab)
    text = generate(params, vocab, 120, np.random.default_rng(0), prompt="abc")
    assert len(text) == 120 and set(text) <= set(vocab.chars)


def test_seeded_sampling_is_reproducible(model):
    params, vocab = model
    a = generate(params, vocab, 80, np.random.default_rng(7), temperature=0.8, top_p=0.9)
    b = generate(params, vocab, 80, np.random.default_rng(7), temperature=0.8, top_p=0.9)
    assert a == b


def test_tiny_top_p_is_greedy(model):
    params, _ = model
    h0 = np.zeros((12, 1))
    greedy = synthesize(params, h0, 2, 100, None, greedy=True)
    tiny = synthesize(params, h0, 2, 100, np.random.default_rng(0), top_p=1e-9)
    assert np.array_equal(greedy, tiny)


def test_temperature_scales_the_distribution():
    o = np.array([2.0, 1.0, 0.0, -1.0])
    p1 = next_distribution(o)
    assert np.allclose(p1, np.exp(o) / np.exp(o).sum())
    pT = next_distribution(o, temperature=0.5)
    assert np.allclose(pT, p1 ** 2 / (p1 ** 2).sum())                   # p^(1/T)
    entropy = lambda p: -(p * np.log(p)).sum()
    assert entropy(next_distribution(o, 2.0)) > entropy(p1) > entropy(pT)


def test_nucleus_keeps_the_smallest_top_set():
    o = np.log(np.array([0.5, 0.3, 0.15, 0.05]))
    p = next_distribution(o, top_p=0.75)
    assert np.allclose(p, [0.5 / 0.8, 0.3 / 0.8, 0.0, 0.0])
    assert np.allclose(next_distribution(o, top_p=1.0), [0.5, 0.3, 0.15, 0.05])


@pytest.mark.parametrize("kwargs, message", [
    ({"temperature": 0.0}, "temperature must be positive"),
    ({"top_p": 0.0}, r"top_p must be in \(0, 1\]"),
    ({"top_p": 1.5}, r"top_p must be in \(0, 1\]"),
])
def test_bad_sampling_options(model, kwargs, message):
    params, vocab = model
    with pytest.raises(ValueError, match=message):
        generate(params, vocab, 10, np.random.default_rng(0), **kwargs)


def test_unknown_prompt_characters_are_named(model):
    params, vocab = model
    with pytest.raises(ValueError, match="not in the vocabulary: 'XZ'"):
        generate(params, vocab, 10, np.random.default_rng(0), prompt="aXbZ")
