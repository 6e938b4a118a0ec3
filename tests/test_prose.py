"""The report's comparative sentences follow the numbers: each fed numbers one way, then the other."""
import numpy as np

from helpers import inside
from helpers.workbook import conclusion, prose, prose_compression, prose_inside


def m(label, share, distinct=50.0):
    return dict(label=label, share=share, distinct=distinct)


def test_sampling_words_follow_the_measures():
    hot, cool, real = m("T = 1.3", 0.4, 70), m("T = 0.5", 0.9, 30), m("real", 0.95)
    same = prose.sampling_summary(hot, cool, m("theta = 0.95", 0.6), m("theta = 0.5", 0.8), hot, real, 3, 150, 1000)
    assert "rose from 40% to 90%" in same and "fell from 70 to 30" in same and "the same way" in same
    assert "only 3 distinct words" in same
    other = prose.sampling_summary(hot, cool, m("theta = 0.95", 0.8), m("theta = 0.5", 0.6), hot, real, 90, 150, 1000)
    assert "the other way" in other and "fell from 80% to 60%" in other
    assert "only" not in other and "repeats itself" not in other
    one = prose.sampling_summary(hot, cool, m("theta = 0.95", 0.6), m("theta = 0.5", 0.8), hot, real, 1, 4, 1000)
    assert "uses 1 distinct word in" in one and "words" not in one.split("Greedy")[1]   # one word, no plural
    # a change that rounds away is no change: never "fell from 2% to 2%"
    flat = prose.sampling_summary(m("T = 1.3", 0.021), m("T = 0.5", 0.018), m("theta = 0.95", 0.024),
                                  m("theta = 0.5", 0.016), hot, real, 3, 150, 1000)
    assert "the share of real words stayed at 2%" in flat and "leaves the share of real words at 2%" in flat
    assert "from 2% to 2%" not in flat and "the same way" not in flat


def test_mini_batches_are_ahead_or_behind_by_the_numbers():
    run = dict(bits=2.5, seconds=10.0, chars=250_000)
    batch = dict(bits=2.2, seconds=30.0, chars=4_000_000, same_chars=2.9)
    behind = prose.batches_summary(run, batch, run, run, run, 16, 10_000)
    assert "the mini-batch run is behind" in behind
    ahead = prose.batches_summary(run, dict(batch, same_chars=2.1), run, run, run, 16, 10_000)
    assert "the mini-batch run is ahead" in ahead
    # a short run: the mini-batch run's first validation point comes after the course's last
    early = prose.batches_summary(run, dict(batch, same_chars=None), run, run, run, 16, 500)
    assert "cannot be compared here" in early and "stands at" not in early and "run is ahead" not in early


def gated_numbers(lstm_adagrad=3.0, course=2.9, gru_curve=(3.0, 2.6, 2.5), quick=False):
    final = {"rnn": 2.9, "gru": 2.6, "lstm": 2.8, "lstm, AdaGrad": lstm_adagrad}
    chars = np.array([1, 2, 3]) * 1000
    curves = {k: (chars, np.array([3.0, 2.8, 2.7])) for k in final}
    curves["gru"] = (chars, np.array(gru_curve))
    return prose.gated_summary(final, curves, "gru", 2.3, 9_000, 900, course, quick=quick)


def test_gated_summary_follows_the_numbers():
    text = gated_numbers()
    assert "the GRU is ahead" in text and "Adam beats AdaGrad for the LSTM by 0.20" in text
    assert "below the 2.900 of the course's RNN" in text and "unstable" not in text
    text = gated_numbers(lstm_adagrad=2.5, course=2.2, gru_curve=(3.0, 2.2, 2.6))
    assert "AdaGrad, not Adam, is ahead for the LSTM, by 0.30" in text
    assert "not below the 2.200" in text and "The GRU's validation loss did not keep falling" in text


def test_counting_verdict_follows_the_numbers():
    counted = {1: 4.5, 2: 3.3, 3: 2.7, 4: 2.4, 5: 2.3}
    lose = prose_inside.counting_verdict(counted, 2.5, 100, "gru", 2.25)
    assert lose.startswith("Counting wins.") and "beat the 3-gram (2.70)" in lose and "not the 4-gram" in lose
    assert "it beats every count model, the 5-gram by 0.05" in lose
    win = prose_inside.counting_verdict(counted, 2.2, 100, "lstm", 2.35)
    assert win.startswith("The network wins")
    assert "it beats the unigram, 2-gram, 3-gram and 4-gram but not the 5-gram; the best of them" in win
    assert "beats none of them" in prose_inside.counting_verdict(counted, 2.2, 100, "lstm", 5.0)
    uneven = prose_inside.counting_verdict({2: 2.0, 3: 1.42, 7: 1.5}, 1.8, 100, "gru", 1.64)
    assert "it beats the 2-gram but not the 3-gram and 7-gram; the best of them, the 3-gram, is 0.22" in uneven


def test_learned_first_handles_rises_and_overshoots():
    curves = {"space": [6.0, 0.5, 1.0], "newline": [6.0, 7.0, 2.0], "first letter of a word": [6.0, 5.0, 2.0],
              "punctuation mark": [3.0, 3.0, 2.9]}
    text = prose_inside.learned_first(curves, 1000, 5000, 5000)
    assert "a space had already fallen from 6.00 to 0.50 bits, lower than where it ended" in text
    assert "that of a newline had first risen, to 7.00 bits" in text and "-" not in text.split("bits")[0]
    assert "a punctuation mark fell by less than 0.25 bits" in text
    text = prose_inside.learned_first({"space": [6.0, 4.0, 2.0], "newline": [6.0, 5.0, 2.0]}, 500, 50, 5000)
    assert "a space had made 50% of its whole fall" in text and "a newline had made 25%" in text
    assert "the test part's first 50 characters" in text


def test_no_kind_of_character_seen_a_few_times_gets_a_verdict():
    from helpers.textprops import RARE
    table = {"space": (500, 1.5), "later letter of a word": (2000, 2.0), "capital after a newline": (6, 0.74),
             "first letter of a word": (600, 3.0)}
    text = prose_inside.surprisal_by_kind(table, 3106)
    assert text.startswith(f"Kinds seen fewer than {RARE} times here (a capital after a newline) are too rare")
    assert "most confident predicting a space (1.50 bits" in text and "least predicting the first letter" in text
    assert "0.74" not in text
    alone = prose_inside.surprisal_by_kind({"space": (500, 1.5), "newline": (3, 9.0)}, 503)
    assert "most confident" not in alone and "(a newline)" in alone
    curves = {"space": [6.0, 4.0, 2.0]}
    assert "(a capital after a newline) are left out of the figure" in prose_inside.learned_first(
        curves, 500, 50, 5000, ["capital after a newline"])
    seen_twice = inside.by_kind(np.arange(8.0), inside.char_kinds("Ab c,\nDe"), 2)
    assert set(seen_twice) == {"capital after a newline", "later letter of a word"}


def test_units_summary_says_only_what_holds():
    best = {"inside a word": (4, -0.6), "position within the line": (9, 0.3)}
    per_unit, flip = np.array([0.6, 0.2, 0.1]), np.zeros(3, bool)
    text = prose_inside.units_summary(best, per_unit, flip, "gru")
    assert "flip" not in text and "the GRU below has gates, though no cell state" in text
    text = prose_inside.units_summary(best, per_unit, np.array([False, True, False]), "lstm")
    assert "1 unit flips its sign" in text and "the LSTM below has both" in text
    faint = {"inside a word": (6, -0.02), "position within the line": (2, 0.01)}
    text = prose_inside.units_summary(faint, np.array([0.02, 0.01, 0.0]), flip, "gru")
    assert "clearest" not in text and text.startswith("No unit tracks any of these properties")
    assert "r = -0.02" in text and f"|r| = {inside.TRACKS}" in text
    text = prose_inside.gated_clearest("gru", "inside a word", 0.1, 0.02)
    assert text.startswith("No unit of the GRU tracks a property") and "clearest" not in text
    assert "clearest unit tracks *inside a word* with |r| = 0.40" in prose_inside.gated_clearest("gru", "inside a word", -0.4, 0.02)


def test_tracks_clearest_and_either_hold_exactly_on_the_numbers():
    per_unit, flip = np.array([0.02, 0.01, 0.004]), np.zeros(3, bool)
    faint = {"inside a word": (6, -0.004), "position within the line": (2, 0.003)}
    text = prose_inside.units_summary(faint, per_unit, flip)
    assert text.startswith("No unit tracks any") and "|r| < 0.01" in text and "0.00" not in text
    assert "of the 3 units" not in text and "exception" not in text and "The median unit reaches only" in text
    at = {"inside a word": (1, -inside.TRACKS), "position within the line": (2, 0.02)}
    text = prose_inside.units_summary(at, np.array([0.02, inside.TRACKS, 0.01]), np.array([False, True, False]))
    assert text.startswith(f"The clearest unit is 1, for *inside a word* (r = -{inside.TRACKS:.2f})")
    assert "1 of the 3 units tracks some property" in text and "tracking none" not in text
    assert f"it tracks a property (|r| = {inside.TRACKS:.2f})" in text
    below = {"inside a word": (1, -(inside.TRACKS - 0.01))}
    assert "clearest" not in prose_inside.units_summary(below, np.array([inside.TRACKS - 0.01]), np.zeros(1, bool))
    strong_rnn = prose_inside.gated_clearest("gru", "inside a word", 0.02, 0.5, rnn_top=0.5)
    assert "either" not in strong_rnn and "either" not in prose_inside.gated_clearest("gru", "x", 0.02, 0.004)
    weak_rnn = prose_inside.gated_clearest("lstm", "inside a word", 0.02, 0.004, rnn_top=0.1)
    assert "No unit of the LSTM tracks a property either" in weak_rnn and "RNN's best on it: |r| < 0.01" in weak_rnn


def test_the_conclusion_follows_the_numbers():
    e = dict(batch=16, steps=100, bits_batch=2.2, bits_course=2.5, bits_batch_same_chars=2.9, bits_batch32=2.25,
             seconds_batch32=5.0, seconds_batch=8.0)
    assert "behind the course's" in conclusion.extensions(e) and "faster" in conclusion.extensions(e)
    e.update(bits_batch_same_chars=2.4, seconds_batch32=9.0)
    assert "ahead of the course's" in conclusion.extensions(e) and "slower" in conclusion.extensions(e)
    e.update(bits_batch_same_chars=None)
    assert "cannot be compared" in conclusion.extensions(e) and "ahead of" not in conclusion.extensions(e)
    i = dict(ngram={"1": 4.0, "5": 2.2, "7": 2.3}, bits_rnn=2.25, bits_gated=2.1, first_letter=3.0,
             later_letter=1.0, top_unit=3, top_property="inside a word", top_r=0.7, flipping=0, scored=999)
    text = conclusion.inside(i)
    assert "loses to the 5-gram, 7-gram" not in text and "loses to the 5-gram." in text
    assert "beats it by 0.10 bits" in text and "flip" not in text
    i.update(bits_gated=2.4, flipping=2)
    text = conclusion.inside(i)
    assert "does not beat it (0.20 bits behind)" in text and "2 units merely flip their sign" in text
    assert "unit 3 tracks *inside a word*" in text
    i.update(top_r=-0.02)
    assert "no unit tracks a named property" in conclusion.inside(i) and "unit 3" not in conclusion.inside(i)
    i.update(top_r=0.004)
    assert "|r| < 0.01" in conclusion.inside(i) and "0.00" not in conclusion.inside(i)


def test_training_caveats_only_when_they_apply():
    steady = [(100, 5.0), (200, 3.0), (300, 2.5)]
    assert prose.training_caveats(steady, 2.5, 80) == ""
    jumped = [(100, 5.0), (200, 2.7), (300, 7.3)]
    text = prose.training_caveats(jumped, 7.2, 64)
    assert "lowest, 2.70 bits, after step 200 and ended at 7.30" in text
    assert "worse than a uniform guess** (7.20 bits against log2 K = 6.00)" in text and "drift" in text


def test_seconds_never_read_the_same_when_they_differ():
    assert [prose.seconds(s) for s in (1.04, 1.4, 9.96, 64.2)] == ["1.0 s", "1.4 s", "10.0 s", "64 s"]


def test_a_gap_between_validation_and_test_is_flagged():
    val = [(100, 3.5), (200, 3.2)]
    assert "differ" not in prose.training_caveats(val, 3.10, 80, val_bits=3.11)
    text = prose.training_caveats(val, 2.61, 80, val_bits=3.48)
    assert "**Its validation and test scores differ by 0.87 bits.**" in text and "`STEPS`" in text


def test_differences_within_the_margin_read_as_about_the_same():
    assert prose.versus(2.100, 2.104) == 0 and prose.versus(2.10, 2.11) == -1 and prose.versus(2.11, 2.10) == 1
    assert prose.pace(10.2, 10.0) == "about as fast" and prose.pace(5.0, 10.0) == "faster"
    assert prose.leader({"rnn": 2.5, "gru": 2.101, "lstm": 2.1}).startswith("the GRU and LSTM are about the same")
    assert prose.leader({"rnn": 2.5, "gru": 2.2, "lstm": 2.1}) == "the LSTM is ahead"
    text = prose_inside.counting_verdict({1: 4.0, 2: 2.202}, 2.2, 100)
    assert text.startswith("Neither wins") and "beat" not in text
    text = prose_inside.counting_verdict({1: 4.0, 2: 2.3}, 2.4, 100, "gru", 2.302)
    assert "about the same as the 2-gram" in text and "beats every" not in text
    rows = {"xz": {"test_bits": 2.001, "test_bytes": 90, "alone_bytes": 100, "label": "-9"}}
    assert "are about the same" in prose_compression.compressors_verdict(rows, "LSTM", 2.0)
    e = dict(batch=16, steps=100, bits_batch=2.2, bits_course=2.5, bits_batch_same_chars=2.503, bits_batch32=2.25,
             seconds_batch32=8.1, seconds_batch=8.0)
    assert "about level with the course's" in conclusion.extensions(e) and "about as fast" in conclusion.extensions(e)


def test_a_greedy_sample_of_whitespace_is_called_so():
    m = lambda label, share: {"label": label, "share": share, "distinct": 50.0}   # noqa: E731
    hot, cool, real = m("T = 1.3", 0.2), m("T = 0.5", 0.6), m("validation text", 0.9)
    text = prose.sampling_summary(hot, cool, m("theta = 0.95", 0.6), m("theta = 0.5", 0.8), hot, real, 0, 0, 1000)
    assert "writes no word at all in its last 1,000 characters, only whitespace" in text and "uses 0" not in text
    s = dict(share_T1=0.04, best_T=0.5, share_best_T=0.13, share_real=0.86, greedy_distinct=0, greedy_tail=1000)
    assert "writes only whitespace in its last 1,000" in conclusion.sampling(s)


def test_compressors_and_protocols_within_the_margin_are_about_the_same():
    row = lambda bits: {"test_bits": bits, "test_bytes": 90, "alone_bytes": 100, "label": "-9"}   # noqa: E731
    text = prose_compression.compressors_verdict({"xz": row(1.500), "bz2": row(1.503)}, "GRU", 3.0)
    assert "xz (-9) and bzip2 compress the test part about equally well" in text and "compresses the test part best" not in text
    text = prose_compression.protocols_verdict({"GRU": 2.0, "7-gram": 1.8}, {"GRU": 1.500, "7-gram": 1.502}, "xz", 1.9)
    assert "the GRU (1.500) and the 7-gram (1.502) are about the same" in text and "is ahead" not in text


def test_names_are_left_out_where_the_text_has_none():
    from helpers import textstats
    from tests.test_textstats import NONFICTION, PLAY
    names = textstats.proper_names(NONFICTION)
    line = prose.names_found([], names, NONFICTION)
    assert line.startswith("Left out: *names of the corpus*") and "play's cast" in line and "Software" not in line
    assert prose.names_left_out(NONFICTION) == line
    cast = textstats.proper_names(PLAY)
    found = textstats.names_used("Then Hamlet met OSRIC", cast)
    assert prose.names_found(found, cast, PLAY) == "Names of the corpus found in the samples: 2 (Hamlet, OSRIC)."


def test_every_share_of_real_words_says_what_it_was_measured_on():
    """Which model, which sample, how many characters, which temperature: on a licence-and-code text
    and on a play alike."""
    from helpers import textstats
    from tests.test_textstats import NONFICTION, PLAY
    for corpus in (NONFICTION, PLAY):
        lex = textstats.lexicon(corpus)
        first, last = textstats.real_word_share("zq xv" * 40, lex), textstats.real_word_share(corpus[:200], lex)
        t = dict(m=100, steps=2000, seconds=10, bits_test=3.1, smooth_first=100, smooth_last=50,
                 share_first=first, share_last5=last, sample_len=200)
        text = conclusion.training(t, 65)
        assert f"the share of real words in its samples at T = 1 (200 characters each) went from {first:.0%}" in text
        s = dict(share_T1=last, best_T=0.5, share_best_T=0.2, share_real=0.9, greedy_distinct=3, greedy_tail=1000,
                 measure_len=5000)
        assert conclusion.sampling(s).startswith(f"**Its text.** In 5,000 characters sampled at T = 1, {last:.0%} of its")
        assert "in as many at T = 0.5" in conclusion.sampling(s) and "characters of real text (the validation part)" \
            in conclusion.sampling(s)
        g = dict(gated="gru", bits_rnn=2.5, bits_gru=2.2, bits_lstm=2.3, chars_compare=1000, m=256, bits_best=2.0,
                 chars_best=5000, seconds_best=100, share=last, course_share=first, sample_len=1000)
        assert (f"its sample at T = 1 (1,000 characters) holds {last:.0%} real words, against {first:.0%} in as many "
                f"characters of the course's RNN") in conclusion.gated(g)
    m = lambda label, share: dict(label=label, share=share, distinct=40)   # noqa: E731
    summary = prose.sampling_summary(m("T = 1.3", 0.1), m("T = 0.5", 0.3), m("theta = 0.95", 0.2), m("theta = 0.5", 0.3),
                                     m("T = 1.0", 0.15), m("validation text", 0.9), 30, 150, 1000, 5000, "the course's RNN")
    assert summary.startswith("In 5,000 characters per setting of the course's RNN, from the same start: cooling from")
    assert "Plain sampling (T = 1) gives 15%, real text (as many characters of the validation part) 90%" in summary


def test_unseen_test_characters_are_named_as_the_cause_of_a_worse_than_uniform_score():
    train, test = [0, 1, 2, 0, 1, 2], [0, 3, 3, 1, 4]              # 3 of 5 test characters never in training
    text = prose.training_caveats([(100, 3.0)], 3.5, 8, val_bits=3.2, train_ids=train, test_ids=test)
    assert "60% of the test part's characters (3 of 5) never occur in the training part" in text
    assert "unseen characters are a likely cause" in text and "drift" not in text
    assert "log2 K = 3.00), and on the validation part too (3.20 bits)" in text
    seen = prose.training_caveats([(100, 3.0)], 3.5, 8, val_bits=2.9, train_ids=train, test_ids=[0, 1, 2])
    assert "never occur" not in seen and "drift" in seen and "validation part (" not in seen
    assert "never occur" not in prose.training_caveats([(100, 3.0)], 2.0, 8, train_ids=train, test_ids=[0] * 200 + [3])


def test_rare_characters_name_their_part_and_those_absent_from_training():
    text = prose.rare_characters("abcd", [0] * 9 + [1] * 2, [(0, "abd"), (10, "aab"), (20, "c")])
    assert text.startswith("The 3 characters of the vocabulary that occur at most 5 times in the training part")
    assert "(2 of them never: 2 of the vocabulary's 4 characters occur only in the validation or test part)" in text
    assert "appear 2 times in the untrained sample and 2 times in all later" in text
    assert "never" not in prose.rare_characters("ab", [0, 1], [(0, "a"), (1, "b")])
    # none rare: one plain sentence, not "the 0 characters ... appear 0 times"
    assert prose.rare_characters("ab", [0, 1] * 6, [(0, "a")]) == (
        f"Every character of the vocabulary occurs more than {prose.RARE} times in the training part.")


def test_sub_second_times_never_read_as_zero():
    assert prose.seconds(0.3) == "under a second" and prose.seconds(0.0) == "under a second"
    assert prose.seconds(1.0) == "1.0 s"


def test_no_model_is_called_ahead_or_best_when_none_beats_a_uniform_guess():
    assert prose.leader({"rnn": 7.5, "gru": 7.4, "lstm": 7.6}, K=162).startswith(
        "each of the 3 scores no better than a uniform guess over the 162 characters (log2 K = 7.34")
    assert prose.leader({"rnn": 7.5, "gru": 7.0, "lstm": 7.6}, K=162) == "the GRU is ahead"
    final = {"rnn": 7.5, "gru": 7.4, "lstm": 7.6, "lstm, AdaGrad": 7.7}
    curves = {k: (np.array([1, 2]), np.array([7.4, 7.4])) for k in final}
    text = prose.gated_summary(final, curves, "gru", 7.35, 9_000, 900, 7.8, K=162)
    assert "ahead" not in text.split(":")[0] and "Even so, it scores no better than a uniform guess" in text
    text = prose_inside.counting_verdict({1: 7.4, 2: 7.9}, 7.6, 100, "gru", 7.5, K=162)
    assert text.startswith("Every count model and network here scores no better") and "wins:" not in text
    assert "Counting wins" in prose_inside.counting_verdict({1: 7.0, 2: 7.9}, 7.6, 100, "gru", 7.5, K=162)
    i = dict(ngram={"1": 7.5, "5": 7.8}, bits_rnn=7.6, bits_gated=7.4, first_letter=8.0, later_letter=7.0,
             top_unit=3, top_property="inside a word", top_r=0.02, flipping=0, scored=999)
    text = conclusion.inside(i, K=162)
    assert "every Kneser-Ney model, the course's RNN and the best gated model scores no better" in text
    assert "best Kneser-Ney" not in text and "beats" not in text and "no unit tracks" in text
    g = dict(chars_compare=9, m=256, bits_rnn=7.5, bits_gru=7.4, bits_lstm=7.6, gated="gru", bits_best=7.3,
             chars_best=99, seconds_best=0.2, share=0.1, course_share=0.1)
    text = conclusion.gated(g, K=162)
    assert "each of the 3 scores no better" in text and "ahead" not in text and "(under a second)" in text


def test_a_wall_time_ratio_near_one_reads_as_the_same_never_one_times():
    assert prose.times_as_long(10.2, 10.0) == "about the same wall time"
    assert prose.times_as_long(27.0, 10.0) == "2.7 times the wall time"
    assert prose.times_as_long(5.0, 10.0) == "2.0 times less wall time"
    run = {"bits": 2.5, "seconds": 10.0, "chars": 1000}
    text = prose.batches_summary(run, dict(run, same_chars=2.4, seconds=10.1), run, run, run, 16, 100)
    assert "in about the same wall time" in text and "1.0 times" not in text


def test_a_models_record_gives_its_smooth_loss_only_with_its_unit():
    """A torch_train model sums its smooth loss over 100 characters, the course's over 25: a
    smooth loss without its sequence length would compare the two wrongly, so it is left out."""
    own = prose.model_record("the RNN", dict(step=96685, smooth_loss=45.95, seq_length=25, test_nats=np.log(2) * 3.1))
    assert own == ("the RNN, from step 96,685 of its training, with smooth loss 45.95 (summed over "
                   "25-character sequences) and 3.100 bits per character on the test part")
    assert "smooth" not in prose.model_record("the RNN", dict(step=3, smooth_loss=45.95, test_nats=1.0))
    part = prose.model_record("the GRU", dict(step=3, test_nats=1.0, test_chars=1000))
    assert part.endswith("on the first 1,000 characters of the test part")
    assert prose.model_record("the GRU", {}) == "the GRU"


def test_a_quick_run_says_so_and_a_full_one_does_not():
    from helpers.workbook import prose_training as pt
    note = pt.quick_note(True, {"STEPS": 2_000, "EXT_STEPS": 500})
    assert note.startswith("**This is a scaled-down smoke-test run (QUICK=1).**")
    assert "2,000 AdaGrad updates in 03_training instead of the full run's 100,000" in note
    assert "500 updates per run" in note
    assert "not what the model learns" in note and pt.quick_note(False, {"STEPS": 2_000}) == ""
    full_steps = pt.quick_note(True, {"STEPS": pt.COURSE_STEPS, "EXT_STEPS": 500})
    assert "03_training" not in full_steps
    assert "500 updates per run in 05_extensions instead of the full run's 10,000" in full_steps
    short = pt.budget(2_000, 200, True)
    assert "not the course's 100,000" in short and "QUICK=1" in short and "exactly" not in short
    assert "every 200 steps" in short and "set by STEPS" in pt.budget(5_000, 500, False)
    full = pt.budget(pt.COURSE_STEPS, 10_000, False)
    assert "exactly as the assignment prescribes" in full and "every 10,000 steps" in full and "not the" not in full


def test_the_conclusion_of_a_quick_run_opens_with_it():
    r = {"training": dict(m=100, steps=2_000, seconds=9.0, bits_test=3.5, smooth_first=100.0, smooth_last=80.0,
                          share_first=0.1, share_last5=0.3, sample_len=200), "extensions": dict(steps=500)}
    text = conclusion.opening(r, 80, True)
    assert text.startswith("**This is a scaled-down smoke-test run (QUICK=1).**")
    assert "**The course's network.**" in text
    assert "2,000 AdaGrad updates in 03_training instead of the full run's 100,000" in text
    assert "500 updates per run" in text
    assert conclusion.opening(r, 80, False).startswith("**The course's network.**")


def test_the_smooth_loss_tail_is_a_trend_or_wandering_by_its_numbers():
    from helpers.workbook import prose_training as pt
    falling = pt.smooth_tail(np.linspace(78.5, 74.8, 200) + 0.3 * np.sin(np.arange(200)))
    assert "still falling" in falling and "over the last 200 steps" in falling and "not converged" in falling
    assert "not equally easy" not in falling
    wandering = pt.smooth_tail(48.0 + 2 * np.sin(np.linspace(0, 6 * np.pi, 10_000)))
    assert "not equally easy" in wandering and "falling" not in wandering and "between 46.0 and 50.0" in wandering
    assert "rising" in pt.smooth_tail(np.linspace(70.0, 75.0, 50))


def test_the_smooth_loss_is_given_in_bits_too_and_its_lag_only_when_it_reads_higher():
    from helpers.workbook import prose_training as pt
    lagging = pt.nats_and_bits(128.0, 74.75, 25, val_bits=3.9)
    assert "from 5.12 to 2.99 nats per character (7.39 to 4.31 bits)" in lagging
    assert "lags the current loss" in lagging and "higher than the 3.90 bits" in lagging
    assert "lags" not in pt.nats_and_bits(128.0, 74.75, 25, val_bits=4.5)


def test_a_run_that_diverged_is_said_to_have_diverged_not_timed():
    run = dict(bits=5.2, seconds=10.0, chars=250_000)
    batch = dict(bits=5.0, seconds=1.7, chars=4_000_000, same_chars=5.1)
    blown = dict(batch, bits=9.677, seconds=1.2)
    text = prose.batches_summary(run, batch, dict(run, bits=7.69), run, blown, 16, 500, 167)
    assert "float32 ends at 9.677 bits at B = 16, no better than a uniform guess (log2 K = 7.38)" in text
    assert "faster" not in text and "rounding" not in text
    assert "**Random chunks at B = 1 ended no better than a uniform guess over the 167 characters**" in text
    assert "diverged" not in prose.batches_summary(run, batch, run, run, batch, 16, 500, 167)
    e = dict(batch=16, steps=500, bits_batch=5.0, bits_course=5.2, bits_batch_same_chars=5.1, bits_batch32=9.677,
             seconds_batch32=1.2, seconds_batch=1.7)
    assert "single precision diverged" in conclusion.extensions(e, 167) and "faster" not in conclusion.extensions(e, 167)
    assert "faster" in conclusion.extensions(e)


def test_float32_far_from_float64_is_said_and_not_judged_on_a_short_run():
    run = dict(bits=2.5, seconds=10.0, chars=250_000)
    batch = dict(bits=2.9, seconds=30.0, chars=4_000_000, same_chars=2.9)
    apart = prose.batches_summary(run, batch, run, run, dict(batch, bits=2.29, seconds=20.0), 16, 500)
    assert "**The two precisions ended 0.61 bits apart, float32 ahead**" in apart
    assert f"{prose.PRECISION_GAP} bits" in apart and "not a verdict on float32" in apart and "500 updates" in apart
    close = prose.batches_summary(run, batch, run, run, dict(batch, bits=2.8, seconds=20.0), 16, 500)
    assert "precisions" not in close and "verdict" not in close
    e = dict(batch=16, steps=500, bits_batch=2.2, bits_course=2.5, bits_batch_same_chars=2.9, bits_batch32=2.9,
             seconds_batch32=5.0, seconds_batch=8.0)
    assert "0.70 bits apart, float64 ahead" in conclusion.extensions(e)
    assert "apart" not in conclusion.extensions(dict(e, bits_batch32=2.3))


def test_a_quick_run_names_its_short_training_first():
    counted = {1: 4.0, 2: 3.6, 3: 2.9}
    full = prose_inside.counting_verdict(counted, 3.1, 100)
    assert "Its only memory is 100 numbers" in full and "short training" not in full
    quick = prose_inside.counting_verdict(counted, 3.1, 100, quick_steps=2_000)
    assert "The first cause is the short training" in quick and "2,000 updates" in quick
    assert quick.index("short training") < quick.index("its only memory") and "Its only memory" not in quick
    short = gated_numbers(lstm_adagrad=2.5, quick=True)
    assert short.startswith("**Each model here read only 3,000 characters, a smoke test (QUICK=1):**")
    assert short.index("short training") < short.index("AdaGrad, not Adam, is ahead")
    assert "smoke test" not in gated_numbers(lstm_adagrad=2.5)
