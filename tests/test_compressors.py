"""Compressors as language models: conditioned scores, settings chosen on validation, what each
can see, and the sentences of 08_compression, fed numbers one way and then the other."""
import numpy as np
import pytest

from helpers.compress import baselines as compressors

from helpers.workbook import prose_compression

SMALL = {"gzip": [("level 9", {"level": 9})], "bz2": [("level 9", {"level": 9})],
         "xz": [("preset 6", {"preset": 6})], "zstd": [("level 3", {"level": 3}), ("level 19", {"level": 19})],
         "ppmd": [("order 2, 16 MB", {"order": 2, "mb": 16}), ("order 6, 16 MB", {"order": 6, "mb": 16})]}


def words(seed, n=3_000):
    rng = np.random.default_rng(seed)
    vocab = ["".join(rng.choice(list("abcdefghij"), 5)) for _ in range(60)]
    return " ".join(rng.choice(vocab, n // 6))


@pytest.mark.parametrize("name", list(compressors.GRID))
def test_a_context_that_holds_the_text_makes_it_cheap(name):
    text, other = words(1), words(2)
    setting = compressors.GRID[name][-1][1]
    seen = compressors.conditioned_bytes(name, setting, (other + text).encode(), text.encode())
    unseen = compressors.conditioned_bytes(name, setting, other.encode(), text.encode())
    assert seen < 0.5 * unseen


def test_the_score_is_what_the_text_adds_to_the_compressed_context():
    context, text = words(3).encode(), words(4, 600).encode()
    added = len(compressors.compress("bz2", context + text)) - len(compressors.compress("bz2", context))
    assert compressors.conditioned_bytes("bz2", {"level": 9}, context, text) == added
    assert compressors.bits(added, "é" * added) == 8                     # per character, not per byte


def test_choose_picks_the_lowest_validation_score_and_score_keeps_it():
    train, val, test = words(5, 20_000), words(5, 2_000), words(6, 2_000)
    chosen = compressors.choose(train, val, SMALL)
    assert chosen["ppmd"]["label"] == "order 6, 16 MB" and chosen["gzip"]["val_bits"] is None
    rows = compressors.score(train, test, chosen)
    for name, row in rows.items():
        assert row["setting"] == chosen[name]["setting"] and row["alone_bytes"] > 0
        assert row["test_bits"] == pytest.approx(8 * row["test_bytes"] / len(test))
    assert rows["ppmd"]["test_bits"] < rows["gzip"]["test_bits"]


def test_every_compressor_gives_the_text_back():
    data = words(7, 1_000).encode()
    for name, settings in compressors.GRID.items():
        setting = settings[0][1]
        assert compressors.decompress(name, compressors.compress(name, data, **setting), **setting) == data


def test_what_each_can_see():
    assert compressors.sees("gzip", {}, 32 << 10) == "a 32 KB window: all of the training text"
    assert "the last 1.0% of" in compressors.sees("gzip", {}, 100 * (32 << 10))
    assert "all of" in compressors.sees("xz", {}, 10 << 20) and "20.0%" in compressors.sees("bz2", {}, 4_500_000)
    assert "up to 8 bytes" in compressors.sees("ppmd", {"order": 8, "mb": 256}, 1)
    assert compressors.sees("bz2", {}, 4_500_000) == ("blocks of 900 kB compressed apart: at most the last 20.0% of "
                                                     "the training text, the part in the test text's own block")
    assert compressors.sees("bz2", {"level": 1}, 60_000).endswith(": the whole training text fits in the test text's block")


def test_an_unknown_compressor_is_named():
    with pytest.raises(ValueError, match="compressor must be one of gzip, bz2, xz, zstd, ppmd; got 'rar'"):
        compressors.compress("rar", b"x")


def rows(ppmd=1.9, gzip=3.1, gzip_alone=100):
    return {"ppmd": dict(test_bits=ppmd, test_bytes=60, alone_bytes=80, label="order 8, 256 MB"),
            "gzip": dict(test_bits=gzip, test_bytes=98, alone_bytes=gzip_alone, label="level 9")}


def test_compressors_verdict_follows_the_numbers():
    text = prose_compression.compressors_verdict(rows(), "GRU", 2.13)
    assert text.startswith("PPMd (order 8, 256 MB) compresses the test part best, to 1.900 bits per character, "
                           "1.200 fewer than the next, gzip.")
    assert "barely helps gzip" in text and "helps PPMd most: given it, the test part compresses 25% smaller" in text
    assert "PPMd beats the best frozen network, the GRU (2.130), by 0.230" in text
    other = prose_compression.compressors_verdict(rows(ppmd=2.4, gzip_alone=200), "GRU", 2.13)
    assert "beats every compressor, PPMd by 0.270" in other and "barely" not in other
    assert "helps gzip most: given it, the test part compresses 51% smaller" in other


def test_protocols_verdict_follows_the_numbers():
    static = {"7-gram": 2.20, "RNN": 2.40, "GRU": 2.13}
    text = prose_compression.protocols_verdict(static, {"7-gram": 2.00, "RNN": 2.30, "GRU": 1.90}, "PPMd", 1.956)
    assert "helps every model that can learn; the GRU gains most, 0.230" in text and "changes the order" not in text
    assert "The GRU is ahead under both protocols (2.130 frozen, 1.900 learning as it reads)" in text
    assert "The GRU beats PPMd (1.956) by 0.056" in text
    text = prose_compression.protocols_verdict(static, {"7-gram": 1.95, "RNN": 2.45, "GRU": 2.10}, "PPMd", 1.9)
    assert "helps the 7-gram and GRU" in text and "The RNN gets worse learning as it reads" in text
    assert "the 7-gram (1.950), so the protocol changes the order" in text
    assert "PPMd (1.900) still beats the 7-gram, by 0.050" in text
    # a mixture of weight 0 is its n-gram: never "about the same" as itself
    same = prose_compression.protocols_verdict({"7-gram": 0.3, "GRU": 2.6, "mix": 0.3},
                                               {"7-gram": 0.21, "GRU": 2.5, "mix": 0.21}, "bzip2", 0.165)
    assert "about the same" not in same and "bzip2 (0.165) still beats the 7-gram" in same
    noise = prose_compression.protocols_verdict({"unigram": 4.7, "GRU": 2.13}, {"unigram": 4.701, "GRU": 1.9},
                                                "PPMd", 1.956)
    assert "helps only the GRU, by 0.230" in noise and "worse" not in noise
    assert "The unigram stays within 0.005 bits of its frozen score" in noise


def test_coder_verdict_follows_the_numbers():
    text = prose_compression.coder_verdict("GRU", 59_000, 58_990.4, 236_000, rows())
    assert "59,000 bytes, 2.000 bits per character, over the bound of 58,990 bytes" in text
    assert "PPMd, given the training text, needs 58,940" in text
    assert "within the bound of 59,002 bytes" in prose_compression.coder_verdict("GRU", 59_000, 59_002, 236_000,
                                                                                   rows())
    assert "bytes fewer than PPMd" in prose_compression.coder_verdict("GRU", 50, 49, 200, rows())
    ppmd = rows()["ppmd"]["test_bytes"]
    learned = prose_compression.coder_verdict("GRU", ppmd + 900, ppmd + 950, 236_000, rows(), ("GRU", ppmd - 40, ppmd))
    assert f"the GRU takes {ppmd - 40:,} bytes" in learned and "within its bound" in learned
    assert "The learning coder's file is 40 bytes smaller than that of PPMd" in learned
    behind = prose_compression.coder_verdict("GRU", ppmd + 900, ppmd + 950, 236_000, rows(), ("GRU", ppmd + 30, ppmd))
    assert "over its bound" in behind and "PPMd, given the training text, still needs 30 bytes fewer than the learning"\
        in behind and "does not pay" not in behind
    frozen = prose_compression.coder_verdict("GRU", ppmd - 5, ppmd, 236_000, rows(), ("GRU", ppmd + 30, ppmd + 40))
    assert "Learning does not pay in bytes here. The frozen coder's file is 5 bytes smaller" in frozen


def test_the_conclusion_follows_the_numbers():
    from helpers.workbook import conclusion
    c = dict(compressors={"gzip": 3.1, "ppmd": 1.956}, labels={"gzip": "level 9", "ppmd": "order 8, 256 MB"},
             static={"uniform over K = 90": 6.49, "7-gram": 2.2, "the GRU": 2.13},
             adaptive={"7-gram": 2.0, "the GRU": 1.95})
    text = conclusion.compression(c)
    assert "PPMd (order 8, 256 MB), reads the test part at 1.956" in text
    assert "best frozen model, the GRU, at 2.130" in text
    assert "the best is the GRU at 1.950: 0.006 bits ahead of PPMd." in text and "arithmetic" not in text
    c.update(adaptive=dict(c["adaptive"], **{"7-gram": 1.97, "the GRU": 2.0}), coded_bytes=61_000,
             bound_bytes=60_990, coder="gru")
    text = conclusion.compression(c)
    assert "the best is the 7-gram at 1.970: PPMd stays 0.014 bits ahead." in text
    assert "the GRU writes the test part in 61,000 bytes, 10 over its bound" in text
    c.update(bound_bytes=61_003)
    assert "61,000 bytes, 3 under its bound." in conclusion.compression(c)
    c.update(adaptive_coded_bytes=60_900, adaptive_bound_bytes=60_950, adaptive_coder="gru",
             compressor_bytes={"gzip": 90_000, "ppmd": 60_950})
    text = conclusion.compression(c)
    assert "61,000 bytes, 3 under its bound; learning as it codes, the GRU writes it in 60,900 bytes, 50 under its" \
           " bound: the smaller file takes 50 bytes fewer than PPMd's." in text
    c.update(adaptive_coded_bytes=61_100)
    assert "the smaller file takes 50 bytes more than PPMd's." in conclusion.compression(c)


def test_mixture_verdict_follows_the_numbers():
    text = prose_compression.mixture_verdict("GRU", "7-gram", {"frozen": (2.135, 2.204, 2.05),
                                                               "learning as they read": (1.943, 2.002, 1.83)},
                                             {"frozen": 0.6, "learning as they read": 0.54})
    assert text.startswith("Frozen, 0.60 of the GRU and 0.40 of the 7-gram score 2.050, 0.085 bits per character "
                           "below the better part alone, the GRU (2.135). Learning as they read, 0.54 of the GRU")
    assert "1.830, 0.113 bits per character below" in text and "each must predict some characters better" in text
    text = prose_compression.mixture_verdict("GRU", "7-gram", {"frozen": (2.3, 2.2, 2.197),
                                                               "learning as they read": (1.9, 2.0, 1.95)},
                                             {"frozen": 0.1, "learning as they read": 0.5})
    assert "score 2.197, within 0.005 bits of the better part alone, the 7-gram (2.200)" in text
    assert "1.950, 0.050 bits per character above the better part alone, the GRU (1.900)" in text
    assert "each must" not in text
    alone = prose_compression.mixture_verdict("GRU", "7-gram", {"frozen": (2.1, 2.2, 2.1)}, {"frozen": 1.0})
    assert alone.startswith("Frozen, the weight chosen on validation, w = 1, keeps the GRU alone.")
    both = prose_compression.mixture_verdict("GRU", "7-gram", {"frozen": (2.6, 0.3, 0.3), "learning as they read":
                                             (2.5, 0.21, 0.21)}, {"frozen": 0.0, "learning as they read": 0.0})
    assert both == ("Under both protocols the weight chosen on validation, w = 0, keeps the 7-gram alone: "
                    "the mixture is that model, and adds nothing here.")


def test_the_conclusion_names_the_mixture():
    from helpers.workbook import conclusion
    c = dict(compressors={"ppmd": 1.956}, labels={"ppmd": "order 8, 256 MB"},
             static={"7-gram": 2.2, "the GRU": 2.13, "mixture of the GRU and the 7-gram": 2.05},
             adaptive={"7-gram": 2.0, "the GRU": 1.95, "mixture of the GRU and the 7-gram": 1.84},
             mixture=dict(label="mixture of the GRU and the 7-gram", network="the GRU", ngram="7-gram", weight=0.55))
    text = conclusion.compression(c)
    assert "the best is the mixture of the GRU and the 7-gram at 1.840: 0.116 bits ahead of PPMd." in text
    assert ("Mixed as they read, 0.55 of the GRU and 0.45 of the 7-gram score 1.840, 0.110 bits per character "
            "below the better part alone, the GRU (1.950).") in text


def test_the_protocols_figure_draws_every_model(tmp_path):
    from helpers.workbook import plots
    fig = plots.protocols({"uniform": 6.3, "7-gram": 2.2, "GRU": 2.1}, {"GRU": 1.9, "7-gram": 2.0},
                          tmp_path / "p.png", reference=("PPMd", 1.95))
    static, adaptive = fig.axes[0].containers
    assert [b.get_width() for b in static] == [6.3, 2.2, 2.1] and [b.get_width() for b in adaptive] == [2.0, 1.9]
    assert (tmp_path / "p.png").stat().st_size > 0


def test_the_goals_give_the_gap_where_one_is_missed():
    text = prose_compression.goals(("the GRU", 2.135), ("mixture", 1.831), 60_600, 60_975)
    assert "the GRU reaches 2.135, 0.085 bits per character short" in text
    assert "the mixture reaches 1.831, met" in text and "375 bytes smaller, met" in text
    text = prose_compression.goals(("the GRU", 2.0), ("the GRU", 1.9), 61_000, 60_975)
    assert "the GRU reaches 2.000, met" in text and "0.050 bits per character short" in text
    assert "25 bytes larger, missed" in text


def test_a_training_text_that_makes_a_compressor_worse_is_not_said_to_barely_help():
    text = prose_compression.compressors_verdict(rows(gzip_alone=90), "GRU", 2.13)
    assert "makes gzip worse: given it, the test part compresses larger than alone, by" in text
    assert "barely helps gzip" not in text and "helps gzip most" not in text


def test_no_model_is_praised_when_none_beats_a_uniform_guess():
    text = prose_compression.compressors_verdict(rows(), "GRU", 7.5, K=162)
    assert "the GRU (7.500), scores no better than a uniform guess over the 162 characters (log2 K = 7.34" in text
    assert "best frozen" not in text and "beats every" not in text
    static, adaptive = {"unigram": 7.6, "GRU": 7.9}, {"unigram": 7.5, "GRU": 7.7}
    text = prose_compression.protocols_verdict(static, adaptive, "PPMd", 2.0, K=162)
    assert "Under both protocols every model scores no better than a uniform guess" in text
    assert "ahead" not in text and "beats PPMd" not in text and "so does PPMd" not in text
    assert "helps every model that can learn" in text
    assert "ahead" in prose_compression.protocols_verdict(static, adaptive, "PPMd", 2.0, K=512)


def test_the_conclusion_praises_no_model_below_uniform_and_counts_from_the_printed_bound():
    from helpers.workbook import conclusion
    c = dict(compressors={"gzip": 3.1, "ppmd": 2.9}, labels={"gzip": "level 9", "ppmd": "order 8, 256 MB"},
             static={"uniform over K = 162": 7.34, "7-gram": 7.6, "the GRU": 7.5},
             adaptive={"7-gram": 7.5, "the GRU": 7.4})
    text = conclusion.compression(c, K=162)
    assert "every model scores no better than a uniform guess over the 162 characters" in text
    assert "best frozen" not in text and "the best is" not in text and "reads it at 2.900" in text
    assert "best frozen model" in conclusion.compression(c, K=1024)
    c = dict(coded_bytes=9_487, bound_bytes=9_499.6)    # 08 prints the bound as 9,500
    assert conclusion.coded(c) == "9,487 bytes, 13 under its bound"
