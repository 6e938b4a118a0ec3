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
