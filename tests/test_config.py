import re

import pytest

from helpers.workbook import config
from helpers.workbook.config import SETTINGS, SettingError, corpus_name, parse, setting, settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Each test starts from no settings, whatever the shell that runs pytest has set."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


def test_settings_come_from_the_environment(monkeypatch):
    assert setting("STEPS") == 100_000 and setting("SEED", 7) == 7
    monkeypatch.setenv("STEPS", "2_000")
    assert setting("STEPS") == 2000
    monkeypatch.setenv("STEPS", "1e4")
    assert setting("STEPS") == 10000
    monkeypatch.setenv("BENCH_TARGET", "3.25")
    assert setting("BENCH_TARGET") == 3.25
    monkeypatch.setenv("CORPUS", "/data/goblet_book.txt")
    assert setting("CORPUS") == "/data/goblet_book.txt"
    monkeypatch.setenv("RNN_TEST_ETA", "0.05")                 # undeclared: parsed like its default
    assert setting("RNN_TEST_ETA", 0.1) == 0.05
    assert settings("CORPUS", "STEPS", SEED=7) == ("/data/goblet_book.txt", 10000, 7)   # in the order named


def test_quick_mode_scales_the_budgets_down(monkeypatch):
    monkeypatch.setenv("QUICK", "1")
    assert config.quick() and setting("STEPS") == SETTINGS["STEPS"].quick < SETTINGS["STEPS"].default
    assert setting("EXT_STEPS") == SETTINGS["EXT_STEPS"].quick
    monkeypatch.setenv("STEPS", "300")                        # an explicit value still wins
    assert setting("STEPS") == 300
    assert not config.default_run()


@pytest.mark.parametrize("name, raw, message", [
    ("STEPS", "abc", "STEPS=abc: not a whole number"),
    ("STEPS", "2.5", "STEPS=2.5: not a whole number"),
    ("STEPS", "-5", "STEPS=-5: must be at least 100"),
    ("STEPS", "nan", "STEPS=nan: not a whole number"),
    ("QUICK", "2", "QUICK=2: must be 0 or 1"),
    ("SHOW_CODE", "yes", "SHOW_CODE=yes: not a whole number"),
    ("BENCH_TARGET", "x", "BENCH_TARGET=x: not a number"),
    ("BENCH_BUDGET", "0", "BENCH_BUDGET=0: must be at least 1"),
])
def test_bad_settings_name_the_variable(monkeypatch, name, raw, message):
    monkeypatch.setenv(name, raw)
    with pytest.raises(SettingError) as err:
        setting(name)
    assert str(err.value) == message
    with pytest.raises(SettingError, match=f"^{message}$"):
        config.check()


def test_every_setting_is_declared_with_a_type_and_a_help_text():
    for name, spec in SETTINGS.items():
        assert spec.kind in (int, float, str) and spec.help, name
        if spec.default is not None and spec.kind is not str:
            assert parse(name, str(spec.default), spec.kind, spec.low, spec.high) == spec.default


def test_check_reads_the_corpus(monkeypatch, tmp_path):
    book = tmp_path / "book.txt"
    book.write_text("word " * 3000, encoding="utf-8")
    monkeypatch.setenv("CORPUS", str(book))
    assert config.check() == f"settings checked; corpus: {book}, 15,000 characters"
    book.write_text("word " * 10, encoding="utf-8")
    with pytest.raises(SettingError, match=r"^CORPUS=.*book.txt: has 50 characters; at least 10,000"):
        config.check()
    monkeypatch.setenv("CORPUS", "/missing.txt")
    with pytest.raises(SettingError, match="^CORPUS=/missing.txt: file not found$"):
        config.check()


def test_relative_paths_are_read_from_the_repository_root(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)                               # as a kernel running in notebooks/
    monkeypatch.setenv("CORPUS", "data/my_book.txt")
    monkeypatch.setenv("CHECKPOINT_DIR", "scratch/ck")
    assert setting("CORPUS") == str(config.ROOT / "data" / "my_book.txt")
    assert setting("CHECKPOINT_DIR") == str(config.ROOT / "scratch" / "ck")
    monkeypatch.setenv("CORPUS", str(tmp_path / "a.txt"))    # absolute paths stay as they are
    assert setting("CORPUS") == str(tmp_path / "a.txt")
    monkeypatch.setenv("CORPUS", "data/no_such_book.txt")
    where = re.escape(f"{config.ROOT}/data/no_such_book.txt")
    with pytest.raises(SettingError, match=rf"^CORPUS=data/no_such_book.txt: file not found \(looked for {where}\)$"):
        config.check()


def test_default_run(monkeypatch):
    assert config.default_run()
    monkeypatch.setenv("CORPUS", "data/x.txt")
    assert not config.default_run()


def test_corpus_names():
    assert corpus_name(None) == "shakespeare"
    assert corpus_name("data/goblet_book.txt") == "goblet_book"


def test_make_check_echoes_every_setting_as_parsed(monkeypatch, tmp_path):
    monkeypatch.setenv("STEPS", "1e5")
    monkeypatch.setenv("QUICK", "1")
    monkeypatch.setenv("CORPUS", str(tmp_path / "book.txt"))
    lines = {line.split()[0]: line for line in config.parsed()}
    assert lines["STEPS"] == "  STEPS          100,000  (from STEPS=1e5)"
    assert lines["EXT_STEPS"] == f"  EXT_STEPS      {SETTINGS['EXT_STEPS'].quick:,}  (QUICK=1's default)"
    assert lines["CORPUS"] == f"  CORPUS         {tmp_path / 'book.txt'}  (from CORPUS={tmp_path / 'book.txt'})"
    assert lines["SEED"].split("(")[-1] == "default)" and "unset" not in lines["SEED"]
    assert "BENCH_TARGET" not in lines                        # make bench's, unless set
    monkeypatch.setenv("BENCH_TARGET", "3.25")
    assert "3.25  (from BENCH_TARGET=3.25)" in "\n".join(config.parsed())
