import json
import math
import pickle
from dataclasses import FrozenInstanceError, replace

import numpy as np
import pytest

from helpers import checkpoint as ck
from helpers import optim, rnn, rnn_reference
from helpers.optim import AdaGrad, annealed
from helpers.data import Vocabulary
from helpers.train import LoopConfig, TrainConfig, train

TEXT = "the cat sat on the mat. " * 8
QUIET = LoopConfig(progress=False)


@pytest.fixture
def tiny():
    vocab = Vocabulary.from_text(TEXT)
    return vocab, vocab.encode(TEXT)


def fresh(K, m=16, seed=0):
    return rnn.init_params(K, m, 0.01, np.random.default_rng(seed))


def test_training_overfits_a_tiny_text(tiny):
    vocab, ids = tiny
    params = fresh(len(vocab), 32)
    hist = train(params, ids, 1500, TrainConfig(seq_length=10, eta=0.1), loop=QUIET)
    start = hist.smooth_loss[0]
    assert start == pytest.approx(10 * math.log(len(vocab)), rel=0.05)
    assert hist.smooth_loss[-1] < 0.6 * start
    final = rnn.loss_per_char(params, ids)
    assert final < 0.3 * math.log(len(vocab))              # far below chance, per character


def test_smooth_loss_formula(tiny):
    vocab, ids = tiny
    hist = train(fresh(len(vocab)), ids, 50, TrainConfig(seq_length=8), loop=QUIET)
    expected = [hist.loss[0]]
    for loss in hist.loss[1:]:
        expected.append(0.999 * expected[-1] + 0.001 * loss)
    assert np.allclose(hist.smooth_loss, expected, rtol=0, atol=1e-12)
    assert len(hist.loss) == len(hist.smooth_loss) == 50


def test_best_params_have_the_lowest_smooth_loss(tiny):
    vocab, ids = tiny
    params = fresh(len(vocab))
    hist = train(params, ids, 300, TrainConfig(seq_length=8), loop=QUIET)
    i = int(np.argmin(hist.smooth_loss))
    assert hist.best_smooth_loss == hist.smooth_loss[i] and hist.best_step == i
    assert set(hist.best_params) == set(rnn.KEYS)
    assert not np.array_equal(hist.best_params["W"], params["W"])   # a copy from step i, not now


def test_annealed_rate_falls_linearly_over_the_last_steps():
    assert [annealed(0.1, s, 10, 0) for s in range(10)] == [0.1] * 10
    rates = [annealed(0.1, s, 10, 4) for s in range(10)]
    assert rates[:7] == [0.1] * 7
    assert np.allclose(rates[6:], [0.1, 0.075, 0.05, 0.025])


def test_anneal_shrinks_the_updates_made_in_training(tiny):
    """Adam's first update moves each parameter by about eta; annealed over 4 steps, by eta / 4."""
    vocab, ids = tiny
    moves = {}
    for anneal in (0, 4):
        params, start = fresh(len(vocab)), fresh(len(vocab))
        train(params, ids, 1, TrainConfig(seq_length=8, eta=0.01, optimizer="adam"), anneal=anneal, loop=QUIET)
        moves[anneal] = max(np.abs(params[k] - start[k]).max() for k in params)
    assert moves[0] == pytest.approx(0.01, rel=1e-3) and moves[4] == pytest.approx(0.0025, rel=1e-3)


def test_clipping_bounds_the_gradient_in_the_update():
    opt = AdaGrad(4, eta=0.1, eps=1e-8, clip=5.0)
    theta, g = np.zeros(4), np.array([-100.0, -2.0, 3.0, 1e6])
    opt.step(theta, g)
    assert np.array_equal(g, [-5.0, -2.0, 3.0, 5.0])                 # clipped element-wise
    assert np.allclose(opt.mem, g ** 2 + 1e-8)
    assert np.allclose(theta, -0.1 * g / np.sqrt(g ** 2 + 1e-8))
    theta2 = theta.copy()
    opt.step(theta2, np.array([1.0, 1.0, 1.0, 1.0]))
    assert np.allclose(theta2 - theta, -0.1 / np.sqrt(np.array([26.0, 5.0, 10.0, 26.0]) + 1e-8))


def test_hprev_is_reset_when_an_epoch_ends(tiny):
    vocab, ids = tiny
    seen = []

    def spy(params, x, y, h0):
        seen.append((int(x[0]), float(np.abs(h0).sum())))
        return rnn_reference.loss_and_grads_reference(params, x, y, h0)

    n_seq = (len(ids) - 2) // 25                         # sequences in one epoch: no target is the last character
    train(fresh(len(vocab)), ids, 2 * n_seq + 1, TrainConfig(seq_length=25), loss_fn=spy, loop=QUIET)
    assert seen[0][1] == 0.0 and seen[1][1] > 0.0         # carried within an epoch
    assert seen[n_seq] == (int(ids[0]), 0.0)              # rewound and forgotten
    assert seen[2 * n_seq] == (int(ids[0]), 0.0)


@pytest.mark.parametrize("options", [{}, {"batch_size": 3, "order": "random"}, {"batch_size": 2}])
def test_resume_is_bit_identical(tiny, tmp_path, options):
    vocab, ids = tiny
    config = TrainConfig(seq_length=7, **options)
    straight = fresh(len(vocab))
    full = train(straight, ids, 120, config, rng=np.random.default_rng(5), loop=QUIET)
    ckpt = tmp_path / "run.npz"
    first = fresh(len(vocab))
    train(first, ids, 50, config, rng=np.random.default_rng(5),
          loop=LoopConfig(every=1000, checkpoint=ckpt, progress=False))
    resumed = fresh(len(vocab), seed=99)                 # overwritten by the checkpoint
    hist = train(resumed, ids, 120, config, rng=np.random.default_rng(77),
                 loop=LoopConfig(checkpoint=ckpt, resume=True, progress=False))
    for k in rnn.KEYS:
        assert np.array_equal(resumed[k], straight[k])
        assert np.array_equal(hist.best_params[k], full.best_params[k])
    assert hist.smooth_loss == full.smooth_loss and hist.best_step == full.best_step


@pytest.mark.parametrize("change", [dict(seq_length=9), dict(eta=0.05), dict(eps=1e-6), dict(clip=1.0),
                                    dict(batch_size=2), dict(order="random"), dict(optimizer="adam")])
def test_resume_refuses_any_other_setting_naming_it(tiny, tmp_path, change):
    vocab, ids = tiny
    ckpt = tmp_path / "run.npz"
    config = TrainConfig(seq_length=7)
    train(fresh(len(vocab)), ids, 5, config, loop=LoopConfig(checkpoint=ckpt, progress=False))
    (name, value), = change.items()
    with pytest.raises(ValueError, match=rf"run.npz: checkpoint was made with {name}=\S+; this run has {name}=") as e:
        train(fresh(len(vocab)), ids, 10, replace(config, **change),
              loop=LoopConfig(checkpoint=ckpt, resume=True, progress=False))
    assert "\n" not in str(e.value) and str(e.value).count("=") == 2         # one line, one setting


def test_resume_refuses_settings_it_cannot_compare_naming_them(tiny, tmp_path):
    """A checkpoint that lacks a setting, records one TrainConfig does not have, or no settings at
    all stops in one line naming the file and the settings."""
    vocab, ids = tiny
    ckpt, config = tmp_path / "old.npz", TrainConfig(seq_length=7)
    resume = LoopConfig(checkpoint=ckpt, resume=True, progress=False)
    train(fresh(len(vocab)), ids, 10, config, loop=LoopConfig(checkpoint=ckpt, progress=False))
    arrays = ck.load_npz(ckpt)
    six = {k: v for k, v in json.loads(str(arrays["config"])).items() if k not in ("eps", "clip")}
    for settings, message in ((six, r"old.npz: checkpoint records settings TrainConfig does not have \(none\) "
                                    r"or lacks some \(eps, clip\)$"),
                              ({**six, "eps": 1e-8, "clip": 5.0, "momentum": 0.9},
                               r"old.npz: checkpoint records settings TrainConfig does not have \(momentum\)"),
                              ({k: v for k, v in six.items() if k != "order"},
                               r"old.npz: .* or lacks some \(eps, clip, order\)"),
                              ([1, 2], "old.npz: checkpoint's settings are not a JSON object")):
        ck.save_npz(ckpt, **{**arrays, "config": json.dumps(settings)})
        with pytest.raises(ValueError, match=message) as e:
            train(fresh(len(vocab)), ids, 30, config, loop=resume)
        assert "\n" not in str(e.value)
    ck.save_npz(ckpt, **{k: v for k, v in arrays.items() if k != "best"})
    with pytest.raises(ValueError, match="old.npz: checkpoint lacks best$"):
        train(fresh(len(vocab)), ids, 30, config, loop=resume)


def test_divergence_stops_and_restores_the_best(tiny):
    vocab, ids = tiny
    calls = []

    def explodes(params, x, y, h0):
        calls.append(1)
        loss, grads, h = rnn_reference.loss_and_grads_reference(params, x, y, h0)
        return (math.nan if len(calls) == 30 else loss), grads, h

    params = fresh(len(vocab))
    with pytest.warns(RuntimeWarning, match="diverged at step 29"):
        hist = train(params, ids, 100, TrainConfig(seq_length=8), loss_fn=explodes, loop=QUIET)
    assert hist.diverged_at == 29 and len(hist.loss) == 29
    for k in rnn.KEYS:
        assert np.array_equal(params[k], hist.best_params[k])


@pytest.mark.parametrize("settings, message", [
    ({"eta": 0.0}, "TrainConfig: eta must be positive"),
    ({"eta": -1.0}, "TrainConfig: eta must be positive"),
    ({"clip": float("nan")}, "TrainConfig: clip must be positive"),
    ({"seq_length": 0}, "TrainConfig: seq_length must be positive"),
    ({"seq_length": -5}, "TrainConfig: seq_length must be positive"),
    ({"seq_length": 2.5}, "TrainConfig: seq_length must be an integer"),
    ({"batch_size": 0}, "TrainConfig: batch_size must be positive"),
    ({"order": "shuffled"}, "TrainConfig: order must be"),
    ({"optimizer": "sgd"}, "TrainConfig: optimizer must be one of adagrad, adam"),
    ({"model": "transformer"}, "TrainConfig: model must be one of rnn, lstm, gru"),
])
def test_bad_settings_are_one_line_naming_the_setting(settings, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**settings)


@pytest.mark.parametrize("config, options, message", [
    (TrainConfig(seq_length=500), {}, "too short"),
    (TrainConfig(), {"anneal": -1}, "anneal must be"),
])
def test_bad_training_options(tiny, config, options, message):
    vocab, ids = tiny
    with pytest.raises(ValueError, match=message):
        train(fresh(len(vocab)), ids, 10, config, loop=QUIET, **options)


@pytest.mark.parametrize("options, message", [
    ({"every": 0}, "LoopConfig: every must be a positive number of steps, got 0"),
    ({"every": 2.5}, "LoopConfig: every must be a positive number of steps, got 2.5"),
    ({"resume": True}, "LoopConfig: resume=True needs the checkpoint to resume from"),
])
def test_bad_loop_options_are_one_line_naming_the_option(options, message):
    with pytest.raises(ValueError, match=message):
        LoopConfig(**options)


def test_resume_from_a_missing_checkpoint_names_it(tiny, tmp_path):
    vocab, ids = tiny
    with pytest.raises(ValueError, match="nothing.npz: checkpoint not found"):
        train(fresh(len(vocab)), ids, 10, TrainConfig(seq_length=8),
              loop=LoopConfig(checkpoint=tmp_path / "nothing.npz", resume=True, progress=False))


def test_the_default_config_is_the_course_and_a_variant_changes_one_setting():
    course = TrainConfig()
    assert (course.model, course.optimizer, course.seq_length, course.eta, course.eps, course.clip,
            course.batch_size, course.order) == ("rnn", "adagrad", 25, 0.1, 1e-8, 5.0, 1, "sequential")
    variant = replace(course, batch_size=np.int64(16))
    assert variant.batch_size == 16 and type(variant.batch_size) is int and course.batch_size == 1
    assert json.loads(variant.to_json())["batch_size"] == 16
    with pytest.raises(FrozenInstanceError):
        course.eta = 0.2


def test_hooks_run_at_step_zero_and_every_n(tiny):
    vocab, ids = tiny
    calls = []
    train(fresh(len(vocab)), ids, 100, TrainConfig(seq_length=8),
          loop=LoopConfig(every=25, hook=lambda s, p, h, x: calls.append((s, h.shape)), progress=False))
    assert calls == [(s, (16, 1)) for s in (0, 25, 50, 75, 100)]


def test_checkpoints_load_without_pickle(tmp_path):
    evil = tmp_path / "evil.npz"
    np.savez(evil, theta=np.array([object()], dtype=object))
    with pytest.raises(ValueError, match="evil.npz: not a readable .npz checkpoint"):
        ck.load_npz(evil)
    (tmp_path / "junk.npz").write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(ValueError, match="junk.npz"):
        ck.load_npz(tmp_path / "junk.npz")
    with pytest.raises(ValueError, match="nothing.npz: checkpoint not found"):
        ck.load_npz(tmp_path / "nothing.npz")


def test_model_round_trip_and_best_is_never_worsened(tmp_path, tiny):
    vocab, _ = tiny
    path = tmp_path / "best.npz"
    good, bad = fresh(len(vocab), seed=1), fresh(len(vocab), seed=2)
    assert ck.save_best(path, good, vocab, smooth_loss=40.0, step=10)
    assert not ck.save_best(path, bad, vocab, smooth_loss=55.0, step=20)
    params, vocab2, meta = ck.load_model(path)
    assert vocab2.chars == vocab.chars and meta == {"smooth_loss": 40.0, "step": 10, "model": "rnn"}
    assert all(np.array_equal(params[k], good[k]) for k in rnn.KEYS)
    assert ck.save_best(path, bad, vocab, smooth_loss=39.0, step=30)
    assert [p.name for p in tmp_path.iterdir()] == ["best.npz"]          # no temporary left behind


def test_a_model_or_snapshots_without_the_models_name_are_refused_naming_it(tmp_path, tiny):
    vocab, _ = tiny
    path = tmp_path / "best.npz"
    ck.save_model(path, fresh(len(vocab)), vocab)
    ck.save_npz(path, **{k: v for k, v in ck.load_npz(path).items() if k != "model"})
    with pytest.raises(ValueError, match=r"best.npz: checkpoint lacks model \(the name of its model"):
        ck.load_model(path)
    ck.save_snapshots(path, {0: fresh(len(vocab))})
    ck.save_npz(path, **{k: v for k, v in ck.load_npz(path).items() if k != "model"})
    with pytest.raises(ValueError, match=r"best.npz: not a snapshot file \(it lacks model"):
        ck.load_snapshots(path)


def test_float32_training_tracks_float64(tiny):
    vocab, ids = tiny
    runs = {}
    for dtype in (np.float64, np.float32):
        params = rnn.init_params(len(vocab), 16, 0.01, np.random.default_rng(0), dtype=dtype)
        runs[dtype] = train(params, ids, 400, TrainConfig(seq_length=8), loop=QUIET)
        assert all(p.dtype == dtype for p in params.values())
    assert runs[np.float32].smooth_loss[-1] == pytest.approx(runs[np.float64].smooth_loss[-1], rel=0.02)


def test_the_progress_bar_is_text_in_a_terminal_and_off_under_tqdm_disable(tiny, capsys, monkeypatch):
    vocab, ids = tiny
    for value, shown in (("", True), ("0", True), ("1", False)):
        monkeypatch.setenv("TQDM_DISABLE", value)
        train(fresh(len(vocab)), ids, 10, TrainConfig(seq_length=8))
        assert ("training rnn (B=1)" in capsys.readouterr().err) == shown, value


def test_learned_says_whether_the_loss_fell(tiny):
    vocab, ids = tiny
    assert train(fresh(len(vocab)), ids, 200, TrainConfig(seq_length=10), loop=QUIET).learned()
    uphill = optim.AdaGrad.step

    def ascend(self, theta, g):                      # a sign error in the update
        uphill(self, theta, -g)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(optim.AdaGrad, "step", ascend)
        assert not train(fresh(len(vocab)), ids, 200, TrainConfig(seq_length=10), loop=QUIET).learned()
