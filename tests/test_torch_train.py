"""helpers.torch_train: workbook checkpoints both ways, exact resume, DDP on 2 gloo ranks, one-line errors."""
import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from corpora import awkward_text
from helpers import checkpoint, models
from helpers.compress.__main__ import main as compress_main
from helpers.torch_train import corpus, loop
from helpers.torch_train.__main__ import main

TINY = ["--hidden", "12", "--batch", "4", "--seq", "16", "--steps", "6", "--save-every", "3",
        "--device", "cpu", "--dtype", "float64", "--warmup", "2", "--threads", "1"]


@pytest.fixture
def text_file(tmp_path, monkeypatch):
    path = tmp_path / "book.txt"
    path.write_text(awkward_text(20_000), encoding="utf-8")
    monkeypatch.setenv("CORPUS", str(path))
    monkeypatch.setenv("TQDM_DISABLE", "1")
    for name in ("WORLD_SIZE", "RANK", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)
    return path


def result(out):
    return json.loads((out / "result.json").read_text())


@pytest.mark.parametrize("model", ["gru", "lstm", "rnn"])
def test_the_saved_model_is_the_workbooks_and_scores_as_torch_says(text_file, tmp_path, model):
    out = tmp_path / model
    main(["--model", model, *TINY, "--out", str(out)])
    params, vocab, meta = checkpoint.load_model(out / "model.npz")
    _, parts, _ = corpus.load()
    numpy_bits = models.get(model).loss_per_char(params, parts[1]) / math.log(2)
    r = result(out)
    assert meta["model"] == model and r["best_step"] == meta["step"]
    assert abs(numpy_bits - r["val_bits"]) < 1e-6
    assert abs(models.get(model).loss_per_char(params, parts[2]) / math.log(2) - r["test_bits"]) < 1e-6
    assert len(r["losses"]) == 6 and len(r["val_bits_by_step"]) == 2
    best = min(r["val_bits_by_step"], key=lambda sv: sv[1])           # chosen on validation
    assert best[0] == r["best_step"] and abs(best[1] - r["val_bits"]) < 1e-9


def test_compress_round_trips_a_text_with_it(text_file, tmp_path):
    out = tmp_path / "gru"
    main(["--model", "gru", *TINY, "--out", str(out)])
    source, packed, back = tmp_path / "in.txt", tmp_path / "in.cmp", tmp_path / "back.txt"
    source.write_text(text_file.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    compress_main(["encode", str(out / "model.npz"), str(source), str(packed)])
    compress_main(["decode", str(out / "model.npz"), str(packed), str(back)])
    assert back.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_a_run_killed_after_its_first_checkpoint_resumes_to_the_same_losses(text_file, tmp_path, monkeypatch, capsys):
    main(["--model", "lstm", *TINY, "--out", str(tmp_path / "whole")])
    real, calls = loop.checkpoint_step, []

    def killed(*a):
        calls.append(real(*a))
        raise KeyboardInterrupt                        # as Ctrl-C just after last.npz was written
    monkeypatch.setattr(loop, "checkpoint_step", killed)
    with pytest.raises(SystemExit) as stopped:
        main(["--model", "lstm", *TINY, "--out", str(tmp_path / "cut")])
    assert stopped.value.code == 130                  # an interruption, said in one line
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"interrupted: {tmp_path / 'cut' / 'last.npz'} holds step {TINY[TINY.index('--save-every') + 1]}; "
        "run the same command to resume from it")
    monkeypatch.setattr(loop, "checkpoint_step", real)
    assert len(calls) == 1 and not (tmp_path / "cut" / "result.json").exists()
    main(["--model", "lstm", *TINY, "--out", str(tmp_path / "cut")])
    whole, cut = result(tmp_path / "whole"), result(tmp_path / "cut")
    assert cut["losses"] == whole["losses"] and cut["val_bits"] == whole["val_bits"]


def test_init_continues_from_a_numpy_model_on_the_workbooks_streams(text_file, tmp_path):
    vocab, parts, _ = corpus.load()
    params = models.get("gru").init_params(len(vocab), 12, 0.3, np.random.default_rng(1))
    checkpoint.save_model(tmp_path / "np.npz", params, vocab, "gru", step=0)
    main(["--model", "gru", *TINY, "--init", str(tmp_path / "np.npz"), "--out", str(tmp_path / "o")])
    seg = (len(parts[0]) - 1) // 4                    # the workbook's 4 evenly spaced streams
    rows = (np.arange(4) * seg)[:, None] + np.arange(16)
    loss, _, _ = models.get("gru").loss_and_grads(params, parts[0][rows], parts[0][rows + 1],
                                                  models.get("gru").zero_state(params, 4))
    assert abs(result(tmp_path / "o")["losses"][0] - loss / 16) < 1e-9


def test_two_gloo_ranks_give_one_process_losses(text_file, tmp_path):
    corpus.load()                          # here first, so that a copy's unwritten E6 is named, not a rank's exit
    args = ["--model", "gru", *TINY]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                           "-m", "helpers.torch_train", *args, "--out", str(tmp_path / "ddp")],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    main([*args, "--out", str(tmp_path / "one")])
    ddp, one = result(tmp_path / "ddp")["losses"], result(tmp_path / "one")["losses"]
    assert len(ddp) == len(one) == 6
    assert max(abs(a - b) for a, b in zip(ddp, one)) < 1e-9
    assert proc.stdout.count("saved ") == 1            # rank 0 alone prints


def one_line_error(args, capsys, *words):
    """main(args) exits non-zero with one line on stderr, 'error: ...', holding `words`."""
    with pytest.raises(SystemExit) as stop:
        main(args)
    lines = capsys.readouterr().err.strip().splitlines()
    assert stop.value.code != 0 and len(lines) == 1 and lines[0].startswith("error: "), lines
    assert all(w in lines[0] for w in words), lines[0]


def test_bad_input_is_one_line_and_writes_nothing(text_file, tmp_path, monkeypatch, capsys):
    vocab, _, _ = corpus.load()
    gru = models.get("gru").init_params(len(vocab), 8, 0.1, np.random.default_rng(0))
    checkpoint.save_model(tmp_path / "gru.npz", gru, vocab, "gru")
    other = models.get("gru").init_params(len(vocab) - 1, 8, 0.1, np.random.default_rng(0))
    checkpoint.save_model(tmp_path / "other.npz", other, type(vocab)(vocab.chars[:-1]), "gru")
    out = tmp_path / "never"
    base = [*TINY, "--out", str(out)]
    cases = [(["--model", "lstm", "--init", str(tmp_path / "gru.npz")], {}, ("gru.npz", "lstm")),
             (["--init", str(tmp_path / "other.npz")], {}, ("other.npz", "vocabulary")),
             ([], {"WORLD_SIZE": "8", "RANK": "0", "LOCAL_RANK": "0"}, ("--batch 4", "8 ranks")),
             ([], {"CORPUS": str(tmp_path / "missing.txt")}, ("CORPUS=", "file not found"))]
    import torch
    if not torch.cuda.is_available():
        cases.append((["--device", "cuda"], {}, ("--device cuda", "no CUDA")))
    for extra, env, words in cases:
        with monkeypatch.context() as m:
            for name, value in env.items():
                m.setenv(name, value)
            one_line_error([*base, *extra], capsys, *words)
    assert not out.exists()


def test_model_points_the_notebooks_at_another_model(text_file, tmp_path, monkeypatch):
    from helpers.workbook import config, runs
    from helpers.workbook.stop import Stop
    run = runs.Run(str(text_file))
    assert run.model("best.npz") == run.path("best.npz")
    vocab, _, _ = corpus.load()
    gru = models.get("gru").init_params(len(vocab), 8, 0.1, np.random.default_rng(0))
    checkpoint.save_model(tmp_path / "gru.npz", gru, vocab, "gru")
    monkeypatch.setenv("MODEL", str(tmp_path / "gru.npz"))
    assert run.model("best.npz") == tmp_path / "gru.npz" and not config.default_run()
    other = models.get("gru").init_params(len(vocab) - 1, 8, 0.1, np.random.default_rng(0))
    checkpoint.save_model(tmp_path / "other.npz", other, type(vocab)(vocab.chars[:-1]), "gru")
    monkeypatch.setenv("MODEL", str(tmp_path / "other.npz"))
    with pytest.raises(Stop, match="vocabulary"):
        run.model("best.npz")
    # 08 compares two models: MODEL= may not name the one it already holds (one label, two networks)
    monkeypatch.setenv("MODEL", str(tmp_path / "gru.npz"))
    with pytest.raises(Stop, match="already compares that model"):
        run.model("gated_best.npz", besides=tmp_path / "gru.npz")
    assert run.model("gated_best.npz", besides=run.path("best.npz")) == tmp_path / "gru.npz"
