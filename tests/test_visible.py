from helpers.workbook.visible import describe, label, md, printable, vocabulary_table
from helpers.workbook.visible import shown as shown_text


def test_labels_make_every_character_visible():
    assert [label(c) for c in "\n\t a"] == ["\\n", "\\t", "\u2423", "a"]
    assert label("\x1a") == "U+001A" and label("\u200b") == "U+200B" and label("\xa0") == "U+00A0"
    assert label("\u0301") == "\u25cc\u0301"                      # a lone combining accent
    assert label("λ") == "λ" and label("ж") == "ж"


def test_characters_that_look_alike_show_their_code_point():
    shown = [label(c) for c in "'\u2019\"\u201c`\u2018-\u2013"]
    assert shown == ["' U+0027", "\u2019 U+2019", '" U+0022', "\u201c U+201C", "` U+0060", "\u2018 U+2018",
                     "- U+002D", "\u2013 U+2013"]
    assert len(set(shown)) == len(shown)
    # Greek letters drawn as p, v, i, k, u, x, a, and Cyrillic Ze drawn as the digit 3
    assert [label(c) for c in "\u03c1\u03bd\u03b9\u03ba\u03c5\u03c7\u03b1\u0417"] == [
        "\u03c1 U+03C1", "\u03bd U+03BD", "\u03b9 U+03B9", "\u03ba U+03BA", "\u03c5 U+03C5", "\u03c7 U+03C7",
        "\u03b1 U+03B1", "\u0417 U+0417"]
    assert label("p") == "p" and label("3") == "3"             # the Latin letter and the digit stay as they are


def test_a_blank_sample_is_made_visible_and_others_are_left_alone():
    assert shown_text("  \n ") == "\u2423\u2423\u21b5\u2423" and shown_text("") == "(nothing)"
    assert shown_text("a b\n") == "a b\n" and shown_text("x\x1a") == "x[U+001A]"


def test_describe_counts_the_kinds_of_characters():
    assert describe(list("abλ1 \n.")) == "2 Latin letters, 2 whitespace characters, 1 Greek letter, 1 digit and 1 punctuation mark"


def test_printable_keeps_layout_and_names_the_rest():
    assert printable("a\tb\nc") == "a\tb\nc"
    assert printable("end\x1a\x00.") == "end[U+001A][U+0000]."
    assert printable("zero\u200bwidth") == "zero[U+200B]width"


def test_markdown_escapes_every_special_character():
    specials = "\\ { } $ & # ^ _ ~ % * ` | < > [ ]"
    escaped = md(specials)
    for ch in specials.split():
        assert "\\" + ch in escaped
    assert md("a\nb\tc") == "a\u21b5b\u2192c"                     # one line, tab visible
    assert md("Ærø λόγος") == "Ærø λόγος"


def test_vocabulary_table_has_every_character_once():
    chars = sorted(set("\n\t \x1aabcλжé|$"))
    table = vocabulary_table(chars, per_row=5).splitlines()
    assert len(table) == 2 + 3                                     # head, rule, three rows
    assert all(line.count("|") - line.count("\\|") == 7 for line in table)   # 6 columns each
    body = "".join(table[2:])
    assert "U\\+001A" in body and "\\\\n" in body and "λ" in body and "\\|" in body
