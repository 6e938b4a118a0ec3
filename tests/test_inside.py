import numpy as np
import pytest

from helpers import checkpoint, inside, rnn, textprops

from helpers.workbook import prose_inside, textplots
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
    assert table["first letter of a word"] == (1, 3.0) and inside.KINDS[-1] not in table


def test_properties_a_text_lacks_are_left_out_saying_why_in_plain_words():
    props, skipped = textprops.properties(TEXT)
    assert props["inside a speaker's name line"][:7].tolist() == [1, 1, 1, 1, 1, 1, 0]
    assert props["position within the line"][:9].tolist() == [0, 1, 2, 3, 4, 5, 6, 0, 1]
    assert props["inside brackets"].sum() == 12 * len("(through yonder)")
    assert skipped == {"inside quotation marks": "there are no quotations in the text", "after a punctuation mark":
                       f"there are only 84 such characters in the text, too few to measure "
                       f"(this needs {textprops.RARE})"}
    props, skipped = textprops.properties("plain prose, no (x) names.\n" * 20 + "more words, " * textprops.RARE)
    assert set(props) == {"position within the line", "inside a word", "after a punctuation mark"}
    assert skipped["inside a speaker's name line"] == "there are no speaker lines in the text"
    assert skipped["inside brackets"] == (f"there are only 60 such characters in the text, too few to "
                                          f"measure (this needs {textprops.RARE})")
    assert textprops.properties("a “b” c\n" * 3 + "x" * 200, where="the test part")[1]["inside quotation marks"] \
        == "there are only 3 quotations in the test part, too few to measure (this needs 10)"
    _, skipped = textprops.properties("a “b” c\n" * 3 + "x" * 200)
    assert skipped["inside quotation marks"] == "there are only 3 quotations in the text, too few to measure (this needs 10)"
    line = prose_inside.left_out(skipped)
    assert line.startswith("Left out: *inside a word*, because all but 15 characters of the text are *inside a word*")
    assert "; *inside a speaker's name line*, because there are no speaker lines in the text; " in line
    assert line.count("Left out") == 1 and " 0 " not in line and prose_inside.left_out({}) == ""


def test_quotations_in_many_languages_and_apostrophes_are_not_quotes():
    text = 'Er sagte: „Ich komme.“ Sie: «bien» und »gut«, ‘don’t’, l\'eau "ja" “o’er”'
    found = [text[a:b] for a, b in textprops.quotations(text)]
    assert found == ["„Ich komme.“", "«bien»", "»gut«", "‘don’t’", '"ja"', "“o’er”"]
    mark = textprops.properties(text * 10)[0]["inside quotation marks"]
    assert mark[:len(text)].sum() == sum(map(len, found)) and mark[text.index("„")] == 1
    assert textprops.quotations("the boys’ toys, don’t") == []       # a closing mark alone opens nothing


def test_a_quotation_spans_lines_but_not_a_blank_line_or_more_than_the_cap():
    text = "“one line\nand the next” then “never\n\npast a blank” „x" + "y" * textprops.QUOTE_CAP + "“"
    assert [text[a:b] for a, b in textprops.quotations(text)] == ["“one line\nand the next”"]


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
    shown = [inside.r_text(r) for r in (0.25, -0.004, 0.0, -0.01)]
    assert shown == ["r = +0.25", "|r| < 0.01", "|r| < 0.01", "r = -0.01"]
    assert inside.r_text(-0.4, "|r| = ") == "|r| = 0.40" and inside.r_text(0.3, "") == "+0.30"


def test_showcase_starts_a_line_where_every_property_shows():
    props, _ = textprops.properties(TEXT)
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


def test_a_strip_title_says_when_the_unit_tracks_nothing_or_stays_constant():
    moving = np.linspace(-0.5, 0.5, 40)
    assert textplots.strip_title("inside brackets", 3, 0.6, moving) == "inside brackets: unit 3, r = +0.60"
    faint = textplots.strip_title("inside brackets", 6, -0.004, moving)
    assert faint == "inside brackets: unit 6, |r| < 0.01, so no unit tracks it"
    still = textplots.strip_title("inside a word", 2, 0.5, np.full(40, 0.25))
    assert still.endswith("its activation is constant here (+0.25), the strip shows nothing")
    assert "constant" not in textplots.strip_title("inside a word", 2, 0.5, moving)
