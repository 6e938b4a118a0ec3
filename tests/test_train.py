import math
import pickle

import numpy as np
import pytest

from helpers import checkpoint as ck
from helpers import optim, rnn
from helpers.optim import AdaGrad, annealed
from helpers.data import Vocabulary
from helpers.train import train

TEXT = "the cat sat on the mat. " * 8


@pytest.fixture
def tiny():
    vocab = Vocabulary.from_text(TEXT)
    return vocab, vocab.encode(TEXT)


def fresh(K, m=16, seed=0):
    return rnn.init_params(K, m, 0.01, np.random.default_rng(seed))


def test_training_overfits_a_tiny_text(tiny):
    vocab, ids = tiny
    params = fresh(len(vocab), 32)
    hist = train(params, ids, 1500, seq_length=10, eta=0.1, progress=False)
    start = hist.smooth_loss[0]
    assert start == pytest.approx(10 * math.log(len(vocab)), rel=0.05)
    assert hist.smooth_loss[-1] < 0.6 * start
    final = rnn.loss_per_char(params, ids)
    assert final < 0.3 * math.log(len(vocab))              # far below chance, per character


def test_smooth_loss_formula(tiny):
    vocab, ids = tiny
    hist = train(fresh(len(vocab)), ids, 50, seq_length=8, progress=False)
    expected = [hist.loss[0]]
    for loss in hist.loss[1:]:
        expected.append(0.999 * expected[-1] + 0.001 * loss)
    assert np.allclose(hist.smooth_loss, expected, rtol=0, atol=1e-12)
    assert len(hist.loss) == len(hist.smooth_loss) == 50


def test_best_params_have_the_lowest_smooth_loss(tiny):
    vocab, ids = tiny
    params = fresh(len(vocab))
    hist = train(params, ids, 300, seq_length=8, progress=False)
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
        train(params, ids, 1, seq_length=8, eta=0.01, optimizer="adam", anneal=anneal, progress=False)
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
        return rnn.loss_and_grads_reference(params, x, y, h0)

    n_seq = (len(ids) - 1) // 25                         # full sequences in one epoch
    train(fresh(len(vocab)), ids, 2 * n_seq + 1, seq_length=25, loss_fn=spy, progress=False)
    assert seen[0][1] == 0.0 and seen[1][1] > 0.0         # carried within an epoch
    assert seen[n_seq] == (int(ids[0]), 0.0)              # rewound and forgotten
    assert seen[2 * n_seq] == (int(ids[0]), 0.0)


@pytest.mark.parametrize("options", [{}, {"batch_size": 3, "order": "random"}, {"batch_size": 2}])
def test_resume_is_bit_identical(tiny, tmp_path, options):
    vocab, ids = tiny
    straight = fresh(len(vocab))
    full = train(straight, ids, 120, seq_length=7, rng=np.random.default_rng(5), progress=False, **options)
    ckpt = tmp_path / "run.npz"
    first = fresh(len(vocab))
    train(first, ids, 50, seq_length=7, rng=np.random.default_rng(5), checkpoint=ckpt,
          checkpoint_every=1000, progress=False, **options)
    resumed = fresh(len(vocab), seed=99)                 # overwritten by the checkpoint
    hist = train(resumed, ids, 120, seq_length=7, rng=np.random.default_rng(77), resume=ckpt,
                 progress=False, **options)
    for k in rnn.KEYS:
        assert np.array_equal(resumed[k], straight[k])
        assert np.array_equal(hist.best_params[k], full.best_params[k])
    assert hist.smooth_loss == full.smooth_loss and hist.best_step == full.best_step


def test_resume_refuses_another_configuration(tiny, tmp_path):
    vocab, ids = tiny
    ckpt = tmp_path / "run.npz"
    train(fresh(len(vocab)), ids, 5, seq_length=7, checkpoint=ckpt, progress=False)
    with pytest.raises(ValueError, match="run.npz: checkpoint was made with"):
        train(fresh(len(vocab)), ids, 10, seq_length=9, resume=ckpt, progress=False)


def test_divergence_stops_and_restores_the_best(tiny):
    vocab, ids = tiny
    calls = []

    def explodes(params, x, y, h0):
        calls.append(1)
        loss, grads, h = rnn.loss_and_grads_reference(params, x, y, h0)
        return (math.nan if len(calls) == 30 else loss), grads, h

    params = fresh(len(vocab))
    with pytest.warns(RuntimeWarning, match="diverged at step 29"):
        hist = train(params, ids, 100, seq_length=8, loss_fn=explodes, progress=False)
    assert hist.diverged_at == 29 and len(hist.loss) == 29
    for k in rnn.KEYS:
        assert np.array_equal(params[k], hist.best_params[k])


@pytest.mark.parametrize("kwargs, message", [
    ({"eta": 0.0}, "eta must be positive"),
    ({"eta": -1.0}, "eta must be positive"),
    ({"seq_length": 0}, "seq_length must be positive"),
    ({"seq_length": -5}, "seq_length must be positive"),
    ({"seq_length": 500}, "too short"),
    ({"order": "shuffled"}, "order must be"),
    ({"anneal": -1}, "anneal must be"),
])
def test_bad_training_options(tiny, kwargs, message):
    vocab, ids = tiny
    with pytest.raises(ValueError, match=message):
        train(fresh(len(vocab)), ids, 10, progress=False, **kwargs)


def test_hooks_run_at_step_zero_and_every_n(tiny):
    vocab, ids = tiny
    calls = []
    train(fresh(len(vocab)), ids, 100, seq_length=8, hook=lambda s, p, h, x: calls.append((s, h.shape)),
          hook_every=25, progress=False)
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


def test_float32_training_tracks_float64(tiny):
    vocab, ids = tiny
    runs = {}
    for dtype in (np.float64, np.float32):
        params = rnn.init_params(len(vocab), 16, 0.01, np.random.default_rng(0), dtype=dtype)
        runs[dtype] = train(params, ids, 400, seq_length=8, progress=False)
        assert all(p.dtype == dtype for p in params.values())
    assert runs[np.float32].smooth_loss[-1] == pytest.approx(runs[np.float64].smooth_loss[-1], rel=0.02)


def test_the_progress_bar_is_text_in_a_terminal_and_off_under_tqdm_disable(tiny, capsys, monkeypatch):
    vocab, ids = tiny
    for value, shown in (("", True), ("0", True), ("1", False)):
        monkeypatch.setenv("TQDM_DISABLE", value)
        train(fresh(len(vocab)), ids, 10, seq_length=8)
        assert ("training rnn (B=1)" in capsys.readouterr().err) == shown, value


def test_learned_says_whether_the_loss_fell(tiny):
    vocab, ids = tiny
    assert train(fresh(len(vocab)), ids, 200, seq_length=10, eta=0.1, progress=False).learned()
    uphill = optim.AdaGrad.step

    def ascend(self, theta, g):                      # a sign error in the update
        uphill(self, theta, -g)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(optim.AdaGrad, "step", ascend)
        assert not train(fresh(len(vocab)), ids, 200, seq_length=10, eta=0.1, progress=False).learned()
