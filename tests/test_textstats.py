import pytest

from helpers import textstats

PLAY = "".join(f"{n}:\nWhat say you, {n.title()}?\n\n" for n in
               ["HAMLET", "HORATIO", "OPHELIA", "LAERTES", "POLONIUS", "GERTRUDE", "CLAUDIUS",
                "OSRIC", "MARCELLUS", "BERNARDO", "FRANCISCO", "REYNALDO"] * 20) + "Exit\n" * 200


def test_words_and_real_word_share():
    lex = textstats.lexicon("the cat sat on the mat")
    assert textstats.words("o'er the cat's mat, 'tis") == ["o'er", "the", "cat's", "mat", "tis"]
    assert textstats.real_word_share("the cat zzq a e", lex) == pytest.approx(2 / 3)   # 'a', 'e' skipped
    assert textstats.real_word_share("", lex) == 0.0
    assert textstats.distinct_words("the the cat") == 2


def test_names_of_a_play_are_its_cast():
    names = textstats.proper_names(PLAY)
    assert {"HAMLET", "Hamlet", "OSRIC", "Osric"} <= names and "Exit" not in names
    assert textstats.names_used("Then Hamlet met OSRIC and Exit", names) == ["Hamlet", "OSRIC"]


NOVEL = ("Ron said that Harry was late. Then Hermione looked at Harry and Ron, and said nothing to Ron. "
         "\"Come on,\" said Harry to Hermione. Mr. Darcy smiled at Harry and with Hermione, for Harry. "
         "Harry ran off. Later Ron met Mr. Darcy again. The owl flew to Hermione. Ask Hermione. I'll go, said Ron.\n") * 40

# a newcomer's non-fiction: licence files, Python code, Greek, Russian and Polish lines
NONFICTION = ('Permission is hereby granted, free of charge, to any person obtaining a copy of this software and '
              'associated documentation files (the "Software"), to deal in the Software without restriction.\n'
              'The above copyright notice shall be included in all copies of the Software.\n'
              'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.\n'
              'Licensed under the Apache License, Version 2.0. You may not use this file except in compliance '
              'with the License.\nThe License is distributed on an "AS IS" BASIS. See the License for details.\n'
              'def main(path=None):\n    """Read the file."""\n    if path is None:\n        return False\n'
              '    This = True\n    return This\n'
              'Η γλώσσα είναι ελληνική. Это русская строка. To jest polski wiersz.\n') * 30


def test_names_of_prose_are_capitalised_words_used_as_names():
    names = textstats.proper_names(NOVEL)
    assert names == {"Harry", "Hermione", "Ron", "Darcy"}        # Mr. Darcy: 'Mr.' ends no sentence
    assert textstats.name_contexts(NOVEL, ["Later", "The"]) == {"Later": (0.0, 0.0), "The": (0.0, 0.0)}


def test_non_fiction_has_no_names():
    """Sentence starts (The, You), code (None, True, False) and a licence's terms (the Software, this
    License, the Apache License, Version): none is a name, so none is claimed."""
    assert textstats.proper_names(NONFICTION) == set()
    contexts = textstats.name_contexts(NONFICTION, ["License", "None", "True", "You"])
    assert contexts["License"][1] >= textstats.ONE_CONTEXT                 # after 'the' or 'this'
    assert all(contexts[w][0] < textstats.MID_SENTENCE for w in ("None", "True", "You"))
    assert "10 speakers" in textstats.names_rule(NONFICTION) and "60%" in textstats.names_rule(NONFICTION)


def test_the_bundled_plays_names_are_their_cast():
    from helpers import data
    names = textstats.proper_names(data.load_corpus(None))
    assert {"HAMLET", "Hamlet", "ROMEO", "Juliet", "FALSTAFF"} <= names and "The" not in names


def test_words_of_any_alphabet():
    assert textstats.words("Élodie, Zoë, José, Søren; λόγος и книга 42 a_b") == \
        ["Élodie", "Zoë", "José", "Søren", "λόγος", "и", "книга", "a", "b"]
    lex = textstats.lexicon("Москва книга")
    assert textstats.real_word_share("книга Москва слово", lex) == pytest.approx(2 / 3)


def test_names_of_a_short_book_need_fewer_occurrences():
    two = "Then Pemberton walked with Élodie. She smiled at Pemberton, and sang to Élodie and Pemberton, for Élodie. "
    book = (two + "Then Zoë ran to Pemberton with Zoë, and sang to Zoë. ") * 20 + "the end. " * 200
    assert {"Pemberton", "Élodie", "Zoë"} <= textstats.proper_names(book)       # 60 times each in 5,000 characters
    assert textstats.name_threshold(book) == 5 and textstats.name_threshold("x" * 10_000_000) == 100


def test_a_text_with_fewer_names_than_a_few_has_none_to_count():
    book = ("Then Pemberton walked with Élodie. She smiled at Pemberton, and sang to Élodie and Pemberton, for Élodie. " * 20
            + "the end. " * 200)
    assert textstats.FEW_NAMES > 2 and textstats.proper_names(book) == set()
    assert f"fewer than {textstats.FEW_NAMES} of its capitalised words" in textstats.names_rule(book)
