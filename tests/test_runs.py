"""A run's outputs belong to that run: its folder follows the corpus and the settings, and only
what a notebook published is read."""
import os

import pytest

from helpers import checkpoint

from helpers.workbook import results, runs
from helpers.workbook.config import ROOT, SETTINGS
from helpers.workbook.stop import Stop


@pytest.fixture(autouse=True)
def book(monkeypatch, tmp_path):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CHECKPOINT_DIR", str(tmp_path / "ck"))
    book = tmp_path / "book.txt"
    book.write_text("a small book. " * 1000)
    return book


def test_each_corpus_and_setting_gets_its_own_folder(monkeypatch, book, tmp_path):
    first = runs.Run(book).folder()
    assert first.name.startswith("book-") and (first / "run.json").exists()
    assert runs.Run(str(book)).folder() == first                  # the same run, the same folder
    monkeypatch.setenv("QUICK", "1")
    quick = runs.Run(book).folder()
    monkeypatch.setenv("SEED", "7")
    seeded = runs.Run(book).folder()
    monkeypatch.delenv("QUICK")
    monkeypatch.delenv("SEED")
    (tmp_path / "other").mkdir()
    namesake = tmp_path / "other" / "book.txt"                     # same name, other folder
    namesake.write_text(book.read_text())
    elsewhere = runs.Run(namesake).folder()
    book.write_text("an edited book. " * 1000)                     # same path, other content
    os.utime(book, ns=(1, 1))
    edited = runs.Run(book).folder()
    assert len({first, quick, seeded, elsewhere, edited}) == 5


def test_a_corpus_named_in_a_notebook_is_read_from_the_repository_root(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)                                    # as a kernel in notebooks/
    name = f"test_runs_{os.getpid()}.txt"
    (ROOT / "data" / name).write_text("a book in data/. " * 1000)
    try:
        run = runs.Run(f"data/{name}")
        assert run.corpus == ROOT / "data" / name and run.describe()["corpus"] == f"data/{name}"
        assert run.folder() != runs.Run(None).folder()             # not the environment's corpus
    finally:
        (ROOT / "data" / name).unlink()


def test_only_published_outputs_are_read(monkeypatch, book):
    run = runs.Run(book)
    results.record(run, "training", bits_test=2.5)
    run.out("best.npz").write_bytes(b"a model")
    assert results.load(run) == {} and not run.path("best.npz").exists()   # a notebook that failed
    results.record(run, "sampling", share=0.5)
    assert run.publish() == ["best.npz", "results.json"]
    assert results.load(run) == {"training": {"bits_test": 2.5}, "sampling": {"share": 0.5}}
    monkeypatch.setenv("QUICK", "1")
    assert results.load(runs.Run(book)) == {}                      # a quick run sees none of it
    with pytest.raises(Stop, match=r"^run notebooks/03_training.ipynb, notebooks/07_inside.ipynb first "
                                   r"\(or make\): this run has no results from them yet$"):
        results.require(runs.Run(book), "training", "inside")


def test_a_chapter_publishes_its_numbers_with_its_outputs(book):
    run = runs.Run(book)
    run.out("best.npz").write_bytes(b"a model")
    with pytest.raises(TypeError, match="chapter"):
        run.publish(bits_test=2.5)                                  # numbers of no chapter
    assert results.load(run) == {} and not run.path("best.npz").exists()
    assert run.publish("training", bits_test=2.5) == ["best.npz", "results.json"]
    assert run.publish("sampling", share=0.5) == ["results.json"]   # the other chapters' are kept
    assert results.load(run) == {"training": {"bits_test": 2.5}, "sampling": {"share": 0.5}}


def test_a_notebook_publishes_only_what_it_staged(book):
    gated = runs.Run(book)                                          # 06, stopped after its first model
    gated.out("gated_rnn_adam.npz").write_bytes(b"half a run")
    training = runs.Run(book)                                       # then 03, in another kernel
    training.out("best.npz").write_bytes(b"a model")
    assert training.publish() == ["best.npz"] and not gated.path("gated_rnn_adam.npz").exists()
    assert gated.publish() == ["gated_rnn_adam.npz"] and gated.path("gated_rnn_adam.npz").read_bytes() == b"half a run"


def test_a_best_model_is_weighed_against_the_published_one(book, tmp_path):
    from helpers import rnn
    from helpers.data import Vocabulary
    import numpy as np
    run, vocab = runs.Run(book), Vocabulary.from_text("ab")
    params = rnn.init_params(2, 3, rng=np.random.default_rng(0))
    checkpoint.save_best(run.out("best.npz", keep=True), params, vocab, smooth_loss=10.0)
    run.publish()
    assert not checkpoint.save_best(run.out("best.npz", keep=True), params, vocab, smooth_loss=11.0)
    run.publish()
    assert checkpoint.load_model(run.path("best.npz"))[2]["smooth_loss"] == 10.0


def test_a_notebook_run_too_early_names_every_notebook_to_run_first(book):
    run = runs.Run(book)
    with pytest.raises(Stop) as err:
        run.require("best.npz", "snapshots.npz", "gated_best.npz")
    assert str(err.value).startswith("run notebooks/03_training.ipynb, notebooks/06_gated.ipynb first "
                                     "(or make): this run (book-")
    assert str(err.value).endswith("has no best.npz, snapshots.npz, gated_best.npz yet")
    assert err.value._render_traceback_() == [f"error: {err.value}"]        # one line in Jupyter
    run.out("best.npz").write_bytes(b"")
    run.publish()
    with pytest.raises(Stop, match="^run notebooks/03_training.ipynb first .* has no snapshots.npz yet$"):
        run.require("best.npz", "snapshots.npz")


def test_a_model_is_named_by_its_cell_width_and_origin(monkeypatch, book, tmp_path):
    """runs.model_name: a run's own models keep the names the prose always gave them; any other
    checkpoint is named by what it holds (cell, width) and where it came from, so that two models
    of one cell never share a name."""
    import numpy as np
    from helpers import models
    from helpers.data import Vocabulary
    from helpers.torch_train import store
    from helpers.workbook import conclusion, prose

    run, vocab = runs.Run(book), Vocabulary.from_text("ab")

    def saved(path, kind, m, **meta):
        params = models.get(kind).init_params(len(vocab), m, 0.1, np.random.default_rng(m))
        checkpoint.save_model(path, params, vocab, kind, step=1, **meta)
        return checkpoint.load_model(path)

    course = saved(run.out("best.npz"), "rnn", 5)
    gated = saved(run.out("gated_best.npz"), "gru", 6)
    run.publish()
    mine = runs.model_name(run.path("best.npz"), *course[::2], run)
    assert mine.own and mine.short == runs.COURSE and mine.full.startswith(mine.short)
    assert "5 hidden units" in mine.full and runs.MADE_BY["best.npz"] in mine.full
    theirs = runs.model_name(run.path("gated_best.npz"), *gated[::2], run)
    assert theirs.own and theirs.short == f"the {prose.NAMES['gru']}" and runs.MADE_BY["gated_best.npz"] in theirs.full

    elsewhere = runs.model_name(run.path("gated_best.npz"), *gated[::2])       # read as another run's file
    assert not elsewhere.own and "GRU-6" in elsewhere.short and run.folder(create=False).name in elsewhere.short

    (tmp_path / "tg").mkdir()
    trained = saved(tmp_path / "tg" / "model.npz", "gru", 7, trained_by=store.TRAINED_BY)
    torch_name = runs.model_name(tmp_path / "tg" / "model.npz", *trained[::2], run)
    assert not torch_name.own and "GRU-7" in torch_name.short and "torch_train" in torch_name.short
    assert str(tmp_path / "tg" / "model.npz") in torch_name.full and store.TRAINED_BY in torch_name.full
    assert len({mine.short, theirs.short, torch_name.short}) == 3                 # no two models share a name

    (tmp_path / "old").mkdir()                                    # an older torch_train folder: no trained_by
    older = saved(tmp_path / "old" / "model.npz", "lstm", 4)
    for left in ("last.npz", "result.json"):
        (tmp_path / "old" / left).write_text("")
    assert store.TRAINED_BY in runs.model_name(tmp_path / "old" / "model.npz", *older[::2], run).full
    (tmp_path / "old" / "result.json").unlink()
    stray = runs.model_name(tmp_path / "old" / "model.npz", *older[::2], run)
    assert "LSTM-4" in stray.short and "model.npz" in stray.short and store.TRAINED_BY not in stray.full

    s = dict(share_T1=0.5, best_T=0.5, share_best_T=0.6, share_real=0.9, greedy_distinct=3, greedy_tail=1000)
    assert conclusion.sampling(s).startswith("**Its text.**")                     # 04 recorded no name: as before
    assert conclusion.sampling(dict(s, model=mine.short, model_full=mine.full)) == conclusion.sampling(s)
    other = conclusion.sampling(dict(s, model=torch_name.short, model_full=torch_name.full))
    assert torch_name.short in other and torch_name.full in other and "Its text" not in other
