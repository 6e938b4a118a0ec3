import numpy as np
import pytest

from helpers import checkpoint, inside, rnn

from helpers.workbook import textplots
from helpers.data import Vocabulary

TEXT = "ROMEO:\nBut soft, what light (through yonder) window breaks?\n\nJULIET:\nAy me.\n" * 12


@pytest.fixture
def model():
    vocab = Vocabulary.from_text(TEXT)
    params = rnn.init_params(len(vocab), 12, 0.3, np.random.default_rng(5))
    return params, vocab, vocab.encode(TEXT)


def test_inside_reads_as_surprisal_scores(model):
    params, _, ids = model
    one = rnn.surprisal(params, ids, chunk=11)
    b, H, P = inside.read(params, ids, chunk=13, keep_probs=True)
    assert np.allclose(one, b) and H.shape == (len(ids) - 1, 12)
    assert np.allclose(-np.log2(P[np.arange(len(b)), ids[1:]]), b)   # P predicts the next character


def test_kinds_of_characters():
    kinds = [inside.KINDS[k] for k in inside.char_kinds("Ab c,\nDe")]
    assert kinds == ["capital after a newline", "later letter of a word", "space", "first letter of a word",
                     "punctuation mark", "newline", "capital after a newline", "later letter of a word"]
    table = inside.by_kind(np.arange(8.0), inside.char_kinds("Ab c,\nDe"))
    assert table["first letter of a word"] == (1, 3.0) and "other character" not in table


def test_properties_a_text_lacks_are_left_out_with_their_count():
    props, skipped = inside.properties(TEXT)
    assert props["inside a speaker's name line"][:7].tolist() == [1, 1, 1, 1, 1, 1, 0]
    assert props["position within the line"][:9].tolist() == [0, 1, 2, 3, 4, 5, 6, 0, 1]
    assert props["inside brackets"].sum() == 12 * len("(through yonder)")
    assert skipped == {"inside quotation marks": 0}
    props, skipped = inside.properties("plain prose, no names.\n" * 20)
    assert "inside a speaker's name line" in skipped and len(props) == 3


def test_correlations_find_the_unit_that_tracks_a_property():
    rng = np.random.default_rng(0)
    p = (rng.random(500) > 0.5).astype(float)
    H = np.tanh(rng.standard_normal((500, 6)))
    H[:, 4] = np.tanh(2 * p - 1 + 0.1 * rng.standard_normal(500))
    H[:, 2] = 0.3                                                    # a dead unit: r = 0, no NaN
    corr = inside.correlations(H, {"p": p})
    assert inside.best_units(corr)["p"][0] == 4 and corr["p"][4] > 0.95 and corr["p"][2] == 0
    H[:, 1] = np.where(np.arange(500) % 2, 0.8, -0.8)                # flips at every step
    assert inside.flipping(H).tolist() == [False, True, False, False, False, False]


def test_a_unit_tracks_a_property_only_from_the_threshold():
    assert inside.tracks(-inside.TRACKS) and inside.tracks(0.9)
    assert not inside.tracks(inside.TRACKS - 0.01) and not inside.tracks(-0.02)


def test_showcase_starts_a_line_where_every_property_shows():
    props, _ = inside.properties(TEXT)
    s = inside.showcase(TEXT, props, 60)
    assert s > 0 and TEXT[s - 1] == "\n"
    assert 0 < props["inside a speaker's name line"][s:s + 60].mean() < 1


def test_snapshots_round_trip(tmp_path, model):
    params, _, _ = model
    snaps = {0: params, 500: {k: v + 1 for k, v in params.items()}}
    checkpoint.save_snapshots(tmp_path / "s.npz", snaps)
    back = checkpoint.load_snapshots(tmp_path / "s.npz")
    assert list(back) == [0, 500] and all(np.array_equal(back[500][k], snaps[500][k]) for k in params)
    checkpoint.save_npz(tmp_path / "x.npz", a=np.zeros(2))
    with pytest.raises(ValueError, match="not a snapshot file"):
        checkpoint.load_snapshots(tmp_path / "x.npz")


def test_text_figures_are_written(tmp_path, model):
    params, vocab, ids = model
    b, H, P = inside.read(params, ids[:81], keep_probs=True)
    textplots.coloured_text(TEXT[1:81], b, tmp_path / "s.png", vmin=0, vmax=8)
    textplots.top_predictions(TEXT[:21], P[:20], vocab.chars, tmp_path / "t.png")
    textplots.units_passages(TEXT[:80], H, {"a": (3, 0.5), "b": (4, -0.2)}, tmp_path / "u.png")
    assert all((tmp_path / f).stat().st_size > 5000 for f in ("s.png", "t.png", "u.png"))
    assert textplots.layout("ab\ncdef", 3)[0].tolist() == [0, 0, 0, 1, 1, 1, 2]


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_gated_states_gates_and_saturation(kind):
    from helpers import models
    module = models.get(kind)
    params = module.init_params(9, 6, 0.5, np.random.default_rng(0))
    ids = np.random.default_rng(1).integers(0, 9, 1500)
    H, C, gates = inside.read_gated(kind, params, ids, chunk=400)          # chunks carry the state
    _, _, last = module.forward(params, ids[:-1, None], module.zero_state(params, 1))
    h_last = last[0] if isinstance(last, tuple) else last
    assert H.shape == (1499, 6) and np.allclose(H[-1], h_last[:, 0])
    assert (C is None) == (kind == "gru") and set(gates) == ({"input", "forget", "output"} if kind == "lstm"
                                                             else {"reset", "update"})
    fractions = inside.saturation({"g": np.array([[0.05, 0.5], [0.95, 0.5], [0.95, 0.99]])})
    assert [f.tolist() for f in fractions["g"]] == [[1 / 3, 0.0], [2 / 3, 1 / 3]]
