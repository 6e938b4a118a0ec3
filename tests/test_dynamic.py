"""Models that learn as they read: dynamic evaluation for any model, and the adaptive Kneser-Ney
n-gram, each checked against the static score and against what it may not see."""
import numpy as np
import pytest

from helpers.compress import dynamic, ngram_adaptive

from helpers import models, ngram


def small(name, K=6, m=8, seed=0):
    rng = np.random.default_rng(seed)
    return models.get(name).init_params(K, m, sigma=0.3, rng=rng)


@pytest.mark.parametrize("name", list(models.MODELS))
def test_eta_zero_is_the_static_score(name):
    params = small(name)
    ids = np.random.default_rng(1).integers(0, 6, 301)
    static = models.get(name).surprisal(params, ids)
    assert np.max(np.abs(dynamic.surprisal(name, params, ids, 0.0, segment=17) - static)) < 1e-9
    moved = dynamic.surprisal(name, params, ids, 0.5, segment=17)
    assert np.max(np.abs(moved[:17] - static[:17])) < 1e-9 and np.max(np.abs(moved - static)) > 1e-3


@pytest.mark.parametrize("rule", dynamic.RULES)
@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_no_character_is_seen_before_it_is_scored(name, rule):
    params = small(name)
    ids = np.random.default_rng(2).integers(0, 6, 200)
    bits = dynamic.surprisal(name, params, ids, 0.1, segment=10, decay=0.01, rule=rule)
    for j in (5, 10, 11, 57, 150):                 # inside a segment, at its end, at the next one's start
        changed = ids.copy()
        changed[j] = (ids[j] + 1) % 6
        other = dynamic.surprisal(name, params, changed, 0.1, segment=10, decay=0.01, rule=rule)
        assert np.array_equal(other[: j - 1], bits[: j - 1])     # bits[t] scores ids[t + 1]
        assert not np.array_equal(other[j - 1:], bits[j - 1:])


def test_the_callers_parameters_are_unchanged():
    params = small("gru")
    before = {k: v.copy() for k, v in params.items()}
    dynamic.surprisal("gru", params, np.arange(120) % 6, 0.2, segment=9, rule="rms", decay=0.1)
    assert all(np.array_equal(before[k], params[k]) for k in params)


def test_learning_from_a_repeated_text_helps():
    params = small("rnn")
    ids = np.tile(np.random.default_rng(3).integers(0, 6, 40), 20)
    static = dynamic.surprisal("rnn", params, ids, 0.0).mean()
    assert dynamic.surprisal("rnn", params, ids, 0.05, segment=20).mean() < static - 0.5


def test_full_decay_is_the_static_score():
    params = small("rnn")
    ids = np.random.default_rng(4).integers(0, 6, 150)
    bits = dynamic.surprisal("rnn", params, ids, 0.3, segment=10, decay=1.0)     # pulled all the way back
    assert np.max(np.abs(bits - models.get("rnn").surprisal(params, ids))) < 1e-9


def test_bad_settings_say_which():
    with pytest.raises(ValueError, match="rule must be one of sgd, rms"):
        dynamic.surprisal("rnn", small("rnn"), np.arange(10) % 6, 0.1, rule="adam")
    with pytest.raises(ValueError, match="segment must be at least 1"):
        dynamic.surprisal("rnn", small("rnn"), np.arange(10) % 6, 0.1, segment=0)


@pytest.mark.parametrize("K, n_train, n_query", [(2, 12, 25), (3, 40, 30), (4, 200, 60)])
def test_adaptive_ngram_counts_each_character_once_it_is_scored(K, n_train, n_query):
    rng = np.random.default_rng(K)
    train, query = rng.integers(0, K, n_train), rng.integers(0, K, n_query)
    query[n_query // 2:] = query[: n_query - n_query // 2]        # repeats, for the counts to matter
    orders = [1, 2, 3, 5, 7]
    adaptive = ngram_adaptive.log2_probs(train, query, K, orders)
    for n in orders:                                               # the static model, refitted each time
        oracle = [ngram.log2_probs(np.concatenate([train, query[:i]]), query[: i + 1], K, [n])[n][-1]
                  for i in range(1, n_query)]
        assert np.max(np.abs(adaptive[n] - oracle)) < 1e-12


def test_adaptive_ngram_shares_the_static_models_characters():
    rng = np.random.default_rng(9)
    train, query = rng.integers(0, 5, 3_000), np.tile(rng.integers(0, 5, 100), 5)
    static, adaptive = ngram_adaptive.both(train, query, 5, [1, 3, 6])
    reference = ngram.log2_probs(train, query, 5, [1, 3, 6])
    assert all(np.array_equal(static[n], reference[n]) for n in reference)
    assert all(len(adaptive[n]) == len(query) - 1 for n in adaptive)
    assert -adaptive[6].mean() < -static[6].mean() - 0.5           # the repeats are learned


def test_choose_takes_the_lowest_validation_score():
    params = small("rnn")
    ids = np.tile(np.random.default_rng(3).integers(0, 6, 40), 10)
    grid = [dict(eta=0.0), dict(eta=0.05, segment=20), dict(eta=50.0, segment=20)]
    best, tried = dynamic.choose("rnn", params, ids, grid)
    assert best == dict(eta=0.05, segment=20) and len(tried) == 3
    assert tried[tuple(sorted(best.items()))] == min(tried.values())


@pytest.mark.parametrize("rule", dynamic.RULES)
def test_the_step_is_its_formula_to_the_last_bit(rule):
    # The coder's encoder and decoder rely on the step being the same arithmetic every time: the
    # in-place Stepper must give exactly what the formulas in the module's docstring give.
    rng = np.random.default_rng(5)
    params = small("gru")
    mine, ref = {k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in params.items()}
    step, v = dynamic.Stepper(mine, 0.03, rule, decay=0.05), {k: np.zeros_like(a) for k, a in params.items()}
    for t in range(1, 6):
        grads = {k: rng.standard_normal(a.shape) * 10.0 ** rng.integers(-4, 2) for k, a in params.items()}
        step(mine, grads)
        for k, g in grads.items():
            if rule == "rms":
                v[k] = 0.99 * v[k] + (1 - 0.99) * g * g
                g = g / (np.sqrt(v[k] / (1 - 0.99 ** t)) + 1e-8)
            ref[k] = ref[k] - 0.03 * g
            ref[k] = ref[k] + 0.05 * (params[k] - ref[k])
        assert all(np.array_equal(mine[k], ref[k]) for k in params)
