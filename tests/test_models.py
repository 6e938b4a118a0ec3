"""One interface for the three models: training, resuming, sampling, scoring, checkpoints, checks."""
import inspect
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from helpers import checkpoint as ck
from helpers import gradcheck, models, optim
from helpers.data import Vocabulary
from helpers.sample import generate
from helpers.train import LoopConfig, TrainConfig, train

# A student copy's RNN runs the student's per-step reference, whose backward knows only the
# cross-entropy's gradient (helpers/teacher/substitutes): there G is that gradient.
STUDENT_COPY = (Path(__file__).resolve().parents[1] / ".student").exists()

TEXT = "the cat sat on the mat. " * 40
NAMES = list(models.MODELS)


@pytest.fixture
def tiny():
    vocab = Vocabulary.from_text(TEXT)
    return vocab, vocab.encode(TEXT)


def fresh(name, K, m=16, seed=0):
    return models.get(name).init_params(K, m, 0.1, np.random.default_rng(seed))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("optimizer, eta", [("adagrad", 0.1), ("adam", 0.01)])
def test_every_model_learns_a_tiny_text(tiny, name, optimizer, eta):
    vocab, ids = tiny
    params = fresh(name, len(vocab))
    before = models.get(name).loss_per_char(params, ids)
    hist = train(params, ids, 300, TrainConfig(seq_length=12, eta=eta, model=name, optimizer=optimizer, batch_size=4),
                 loop=LoopConfig(progress=False))
    assert hist.diverged_at is None
    assert models.get(name).loss_per_char(params, ids) < 0.5 * before


@pytest.mark.parametrize("name", ["lstm", "gru"])
def test_resume_is_exact_for_gated_models_and_adam(tmp_path, tiny, name):
    """As in 06_gated: a run at a constant rate, then resumed with the rate annealed at the end."""
    vocab, ids = tiny
    config = TrainConfig(seq_length=10, eta=0.01, model=name, optimizer="adam", batch_size=3)
    whole = fresh(name, len(vocab))
    train(whole, ids, 60, config, anneal=20, loop=LoopConfig(progress=False))
    part = fresh(name, len(vocab))
    ckpt = LoopConfig(checkpoint=tmp_path / "c.npz", progress=False)
    train(part, ids, 25, config, loop=ckpt)
    train(part, ids, 60, config, anneal=20, loop=replace(ckpt, resume=True))
    for k in whole:
        assert np.array_equal(whole[k], part[k]), k
    with pytest.raises(ValueError, match="c.npz: checkpoint was made with optimizer='adam'; this run has optimizer='adagrad'"):
        train(fresh(name, len(vocab)), ids, 70, replace(config, optimizer="adagrad"), loop=replace(ckpt, resume=True))


@pytest.mark.parametrize("name", NAMES)
def test_sampling_and_checkpoints_for_every_model(tmp_path, tiny, name):
    vocab, ids = tiny
    params = fresh(name, len(vocab))
    text = generate(params, vocab, 50, np.random.default_rng(1), prompt="the ", model=name, temperature=0.7,
                    top_p=0.9)
    assert len(text) == 50 and set(text) <= set(vocab.chars)
    ck.save_best(tmp_path / "m.npz", params, vocab, smooth_loss=1.0, model=name)
    back, vocab2, meta = ck.load_model(tmp_path / "m.npz")
    assert meta["model"] == name and vocab2.chars == vocab.chars
    assert all(np.array_equal(back[k], params[k]) for k in params)
    bits = models.get(name).surprisal(params, ids)
    assert bits.shape == (len(ids) - 1,) and np.isfinite(bits).all()


def test_checkpoints_check_every_shape(tmp_path, tiny):
    vocab, _ = tiny
    params = fresh("lstm", len(vocab))
    params["W"] = params["W"][:, :5]
    with pytest.raises(ValueError, match=r"lstm parameter W has shape \(64, 5\), expected \(64, 16\)"):
        ck.save_model(tmp_path / "x.npz", params, vocab, model="lstm")
    ck.save_npz(tmp_path / "y.npz", chars=np.array(vocab.chars), model=np.array("lstm"),
                **{k: v for k, v in fresh("lstm", len(vocab)).items() if k != "b"})
    with pytest.raises(ValueError, match="y.npz: checkpoint lacks b"):
        ck.load_model(tmp_path / "y.npz")
    ck.save_npz(tmp_path / "z.npz", chars=np.array(vocab.chars), model=np.array("transformer"))
    with pytest.raises(ValueError, match="z.npz: model must be one of rnn, lstm, gru; got 'transformer'"):
        ck.load_model(tmp_path / "z.npz")
    ck.save_npz(tmp_path / "train.npz", **fresh("rnn", len(vocab)))            # a training checkpoint
    with pytest.raises(ValueError, match="train.npz: not a saved model .no vocabulary.; use a run's best.npz"):
        ck.load_model(tmp_path / "train.npz")
    with pytest.raises(ValueError, match=r"gru parameter U has shape \(16, 11\), expected \(48, 11\)"):
        train(fresh("rnn", len(vocab)), np.arange(100) % len(vocab), 5, TrainConfig(model="gru"))


@pytest.mark.parametrize("name", NAMES)
def test_gradient_checks_take_the_model_by_name(name):
    rng = np.random.default_rng(2)
    params = fresh(name, 7, m=5, seed=3)
    x, y = rng.integers(0, 7, 9), rng.integers(0, 7, 9)
    state = models.get(name).zero_state(params, 1)
    result = gradcheck.check_all(params, x, y, state, model=name)
    assert max(r["rel_error"] for r in result["numerical"]) < 1e-6
    assert max(r["rel_error"] for r in result["pytorch"]) < 1e-12
    assert [r["param"] for r in result["pytorch"]] == list(models.get(name).KEYS)


@pytest.mark.parametrize("name", NAMES)
def test_to_torch_and_from_torch_are_inverse(name):
    params = fresh(name, 9, m=6, seed=4)
    params["b"] += 0.3
    module = models.get(name)
    back = module.from_torch(*module.to_torch(params))
    assert all(np.allclose(back[k], params[k]) for k in params)


def test_adam_follows_pytorch():
    rng = np.random.default_rng(0)
    theta = rng.standard_normal(6)
    ours, opt = theta.copy(), optim.Adam(6, eta=0.01, clip=1e9)
    w = torch.tensor(theta.copy(), requires_grad=True)
    ref = torch.optim.Adam([w], lr=0.01, eps=1e-8)
    for _ in range(5):
        g = rng.standard_normal(6)
        opt.step(ours, g.copy())
        w.grad = torch.tensor(g)
        ref.step()
    assert np.allclose(ours, w.detach().numpy(), atol=1e-12)
    with pytest.raises(ValueError, match="optimizer must be one of adagrad, adam"):
        optim.make("sgd", 3, 0.1)


def test_every_model_has_the_whole_interface():
    names = ("KEYS", "shapes", "init_params", "zero_state", "loss_and_grads", "outputs", "step", "surprisal",
             "loss_per_char", "from_torch", "to_torch", "torch_grads")
    for name, module in models.MODELS.items():
        assert [n for n in names if not callable(getattr(module, n, None)) and n != "KEYS"] == [], name
        assert set(module.KEYS) == set(module.shapes(5, 3))


@pytest.mark.parametrize("name", NAMES)
def test_surprisal_reads_every_character_as_stepping_does(name):
    """surprisal(params, ids): len(ids) - 1 values for ids[1:], each predicted from every character
    before it, read in one pass from the zero state, whatever the chunk size."""
    rng = np.random.default_rng(8)
    params = models.get(name).init_params(11, 16, 0.5, rng)
    ids = rng.integers(0, 11, 300)
    module = models.get(name)
    state, stepped = module.zero_state(params, 1), []
    for x, y in zip(ids[:-1], ids[1:]):
        o, state = module.step(params, int(x), state)
        stepped.append(np.log2(np.exp(o - o.max()).sum()) - (o[y] - o.max()) / np.log(2))
    for chunk in (7, 100, 2000):
        bits = module.surprisal(params, ids, chunk=chunk)
        assert bits.shape == (len(ids) - 1,)
        assert np.max(np.abs(bits - np.array(stepped))) < 1e-6, chunk
    assert module.loss_per_char(params, ids) == pytest.approx(np.mean(stepped) * np.log(2), rel=1e-9)


def test_every_model_keeps_one_forward_and_backward_contract():
    signatures = {name: (inspect.signature(m.forward), inspect.signature(m.backward)) for name, m in models.MODELS.items()}
    assert len(set(signatures.values())) == 1, signatures
    assert [list(s.parameters) for s in signatures["rnn"]] == [["params", "X", "state"],
                                                                ["params", "X", "cache", "G", "out"]]


def torch_scores(net, head, X, state, K):
    """PyTorch's scores (tau*B, K), rows ordered as ours, and its last state, for X (tau, B) int."""
    s = tuple(torch.tensor(a.T[None].copy()) for a in state) if isinstance(state, tuple) \
        else torch.tensor(state.T[None].copy())
    out, last = net(torch.nn.functional.one_hot(torch.as_tensor(X), K).double(), s)
    return head(out).reshape(-1, K), last


@pytest.mark.parametrize("name", NAMES)
def test_forward_and_backward_match_pytorch_for_any_output_gradient(name):
    """forward's scores and last state, and backward's gradients for an arbitrary G = dL/dO,
    against PyTorch's modules holding the same parameters (to_torch, torch_grads)."""
    rng, module, (K, m, tau, B) = np.random.default_rng(5), models.get(name), (7, 5, 6, 3)
    params = module.init_params(K, m, 0.4, rng)
    params = {k: v + 0.1 * rng.standard_normal(v.shape) for k, v in params.items()}
    zero = module.zero_state(params, B)
    state = tuple(0.5 * rng.standard_normal(a.shape) for a in zero) if isinstance(zero, tuple) \
        else 0.5 * rng.standard_normal(zero.shape)
    X, G = rng.integers(0, K, (tau, B)), rng.standard_normal((tau * B, K))
    cache, O, last = module.forward(params, X, state)
    if STUDENT_COPY:
        P = np.exp(O - O.max(axis=1, keepdims=True))
        G = P / P.sum(axis=1, keepdims=True)
        G[np.arange(tau * B), rng.integers(0, K, tau * B)] -= 1.0
        G /= B
    net, head = module.to_torch(params)
    O_t, last_t = torch_scores(net, head, X, state, K)
    assert np.allclose(O, O_t.detach().numpy(), atol=1e-12)
    assert np.allclose(np.stack(last) if isinstance(last, tuple) else last,
                       np.stack([a[0].detach().numpy().T for a in last_t]) if isinstance(last, tuple)
                       else last_t[0].detach().numpy().T, atol=1e-12)
    (O_t * torch.as_tensor(G)).sum().backward()
    out = module.backward(params, X, cache, G, {k: np.empty_like(v) for k, v in params.items()})
    truth = module.torch_grads(net, head)
    assert list(truth) == list(module.KEYS)
    for k in module.KEYS:
        assert np.allclose(out[k], truth[k], atol=1e-10), k
