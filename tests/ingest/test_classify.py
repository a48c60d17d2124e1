"""What a block of text is taken for, from its wording alone (sources/ingest/classify.py), at the edges
of each rule: headings, list items, quotations and the end of a sentence."""

import pytest

from sources.ingest.classify import classify, ends_sentence, is_caps_heading, is_heading, is_quotation


@pytest.mark.parametrize(
    ("text", "lines", "kind"),
    [
        ("Energy policy of China", 1, "heading"),
        ("Energy policy of China", 2, "paragraph"),  # a short line that wraps is no title
        (
            "INTRODUCTION TO THE SHANGHAI COOPERATION ORGANIZATION",
            2,
            "heading",
        ),  # a title in capitals may wrap
        ("China joined the SCO as a founding member in 2001.", 1, "paragraph"),
        ("1. fighting terrorism, separatism and extremism;", 1, "list_item"),
        ("— building trust along the borders", 1, "list_item"),
        ("“The SCO is not a military alliance,” said the minister.", 2, "quote"),
        (
            "“Three evils” is the name the charter gives to terrorism, separatism and extremism.",
            2,
            "paragraph",
        ),
    ],
)
def test_a_block_is_taken_for_what_its_wording_says(text: str, lines: int, kind: str) -> None:
    assert classify(text, lines) == kind


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("The members met in Astana.", True),
        ("The members met in Astana.  ", True),  # trailing spaces
        ("as the minister put it: “a club of equals.”", True),  # closing quote after the full stop
        ("a larger role (and more power).", True),
        ("the trend continued.[3]", True),  # footnote marker
        ("the trend continued.[3] [4]", True),
        ("the trend continued", False),
        ("the organization, which", False),
        ("", False),
    ],
)
def test_the_end_of_a_sentence_is_found_past_quotes_brackets_and_footnotes(text: str, ends: bool) -> None:
    assert ends_sentence(text) is ends


def test_capitals_make_a_title_from_four_letters_on_unless_the_line_ends_a_sentence() -> None:
    assert is_caps_heading("1. NATO")
    assert not is_caps_heading("2. SCO")  # three letters: an acronym, not a title
    assert not is_caps_heading("ШОС И НАТО.")  # noqa: RUF001
    assert not is_caps_heading("The SCO")


def test_a_heading_is_short_starts_with_a_capital_or_digit_and_ends_on_a_letter() -> None:
    assert is_heading("2 Methods")
    assert is_heading("Energy policy")
    assert not is_heading("energy policy")
    assert not is_heading("Energy policy,")
    assert not is_heading("Amirbek A.A.2")
    twenty = " ".join(["Word"] * 20)
    assert is_heading(twenty) and not is_heading(twenty + " Word")
    longest = "A" + "b" * 149
    assert is_heading(longest) and not is_heading(longest + "c")


def test_a_quotation_is_mostly_the_quoted_words() -> None:
    assert is_quotation('"We fight the three evils together," the minister said.')
    assert is_quotation("«ШОС — не военный союз», — сказал министр.")
    assert is_quotation("“The SCO is a club, said the minister")  # never closed: all of it is quoted
    assert not is_quotation("“Three evils” is what the charter calls “terrorism, separatism and extremism”.")
    assert not is_quotation("“” is an empty quotation at the start of this sentence.")
    assert not is_quotation("The minister said “the SCO is a club”.")
    # Exactly half the passage quoted still counts; one character less does not.
    assert is_quotation("“abc” said")
    assert not is_quotation("“abc” said.")
