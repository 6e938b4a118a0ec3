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


def test_names_of_prose_are_capitalised_words():
    prose = "Harry said that Hermione was late for the feast. I'll go, said Harry. The owl flew. " * 120
    names = textstats.proper_names(prose)
    assert {"Harry", "Hermione"} <= names
    assert "The" not in names and "I'll" not in names       # 'the' is common; apostrophes are out


def test_words_of_any_alphabet():
    assert textstats.words("Élodie, Zoë, José, Søren; λόγος и книга 42 a_b") == \
        ["Élodie", "Zoë", "José", "Søren", "λόγος", "и", "книга", "a", "b"]
    lex = textstats.lexicon("Москва книга")
    assert textstats.real_word_share("книга Москва слово", lex) == pytest.approx(2 / 3)


def test_names_of_a_short_book_need_fewer_occurrences():
    book = ("Pemberton walked. Élodie smiled at the sea. " * 60) + "the end. " * 200
    assert {"Pemberton", "Élodie"} <= textstats.proper_names(book)       # 60 times in 4,000 characters
    assert textstats.name_threshold(book) == 5 and textstats.name_threshold("x" * 10_000_000) == 100
