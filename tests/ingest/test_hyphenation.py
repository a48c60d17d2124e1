# Russian and Kazakh words are quoted as they are printed.
"""A hyphen at a line's end is kept or dropped as the document itself spells the word."""

from sources.ingest.hyphenation import Vocabulary, join_broken_lines
from sources.ingest.pdf import SOFT_HYPHEN


def joined(lines: list[str], elsewhere: list[str]) -> str:
    return join_broken_lines(lines, Vocabulary([*elsewhere, *lines]))


def test_a_word_the_document_spells_whole_is_joined() -> None:
    assert (
        joined(["the same chal-", "lenge again"], ["A challenge for the region."])
        == "the same challenge again"
    )


def test_a_word_the_document_spells_with_a_hyphen_keeps_it() -> None:
    lines = ["we used hold-", "out validation"]
    assert joined(lines, ["Hold-out validation splits the data."]) == "we used hold-out validation"


def test_an_inflected_form_elsewhere_decides_for_russian_words() -> None:
    lines = ["работу, пред" + SOFT_HYPHEN, "ставленную на защиту"]
    assert joined(lines, ["Работа представленная автором."]) == "работу, представленную на защиту"


def test_kazakh_words_are_joined_from_their_other_forms() -> None:
    lines = ["ынтымақ-", "тастықты дамыту"]
    assert joined(lines, ["Ынтымақтастық ұйымы құрылды."]) == "ынтымақтастықты дамыту"


def test_undecided_compounds_and_capitals_keep_the_hyphen_other_breaks_join() -> None:
    assert joined(["regional cross-", "border trade"], []) == "regional cross-border trade"
    assert joined(["the Kazakh-", "Russian border"], []) == "the Kazakh-Russian border"
    assert joined(["COVID-", "19 cases"], []) == "COVID-19 cases"
    assert joined(["an unusual ter-", "minology"], []) == "an unusual terminology"


def test_compounds_keep_their_hyphens() -> None:
    assert joined(["a leaky integrate-and-", "fire neuron"], []) == "a leaky integrate-and-fire neuron"
    assert joined(["the pulse-", "sizes used"], ["Each pulse had its own size."]) == "the pulse-sizes used"


def test_a_hyphen_set_apart_in_word_output_is_a_break_too() -> None:
    assert joined(["the democ -", "racies of Asia"], ["Democracies differ."]) == "the democracies of Asia"


def test_a_word_broken_at_a_passage_end_keeps_a_visible_hyphen() -> None:
    assert joined(["see ./paper" + SOFT_HYPHEN], []) == "see ./paper-"
