import pytest

from helpers.config import corpus_name, setting


def test_settings_come_from_the_environment(monkeypatch):
    assert setting("RNN_TEST_STEPS", 100) == 100
    monkeypatch.setenv("RNN_TEST_STEPS", "2_000")
    assert setting("RNN_TEST_STEPS", 100) == 2000
    monkeypatch.setenv("RNN_TEST_STEPS", "1e4")
    assert setting("RNN_TEST_STEPS", 100) == 10000
    monkeypatch.setenv("RNN_TEST_ETA", "0.05")
    assert setting("RNN_TEST_ETA", 0.1) == 0.05
    monkeypatch.setenv("RNN_TEST_CORPUS", "data/goblet_book.txt")
    assert setting("RNN_TEST_CORPUS", None) == "data/goblet_book.txt"


def test_bad_settings_name_the_variable(monkeypatch):
    monkeypatch.setenv("RNN_TEST_STEPS", "many")
    with pytest.raises(ValueError, match="RNN_TEST_STEPS='many' is not a valid int"):
        setting("RNN_TEST_STEPS", 100)
    monkeypatch.setenv("RNN_TEST_STEPS", "2.5")
    with pytest.raises(ValueError, match="not a valid int"):
        setting("RNN_TEST_STEPS", 100)


def test_corpus_names():
    assert corpus_name(None) == "shakespeare"
    assert corpus_name("data/goblet_book.txt") == "goblet_book"
