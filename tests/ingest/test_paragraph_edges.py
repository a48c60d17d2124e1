"""The line-layout rules at their thresholds (sources/ingest/lines.py): how wide the column is, when a
line break counts as falling inside a sentence, when a blank line follows every line, how many indented
lines make an indented document, and how much room the next word needs."""

from sources.ingest.lines import text_blocks

WORDS = "the members of the organization agree on the rules of trade and security across the region "


def unfinished(length: int, start: str = "") -> str:
    text = (start + WORDS * 4)[:length]
    return text[:-1] + "s" if text.endswith(" ") else text


def finished(length: int, start: str = "") -> str:
    text = (start + WORDS * 4)[: length - 1]
    return (text[:-1] + "s" if text.endswith(" ") else text) + "."


def test_the_helpers_make_lines_of_the_length_asked() -> None:
    assert len(unfinished(70)) == 70 and len(finished(54, "The ")) == 54
    assert finished(54).endswith(".") and not unfinished(70).endswith(".")


def test_a_sentence_ends_its_paragraph_when_the_next_word_would_have_fitted_on_its_line() -> None:
    # The column is 72 wide. "Its" needs 1 + 3 characters after the finished line.
    top = unfinished(72)
    fits, too_long = finished(68), finished(69)
    after = "Its " + unfinished(60)
    assert text_blocks("\n".join([top, fits, after])) == [[top, fits], [after]]
    assert text_blocks("\n".join([top, too_long, after])) == [[top, too_long, after]]


def test_the_column_is_the_longest_line_within_four_lines_either_side() -> None:
    short = [unfinished(60) for _ in range(10)]
    sentence_end = finished(64)  # the next word fits in a column of 72, not in one of 64
    after = "Its " + unfinished(56)
    for distance, splits in [(-4, True), (4, True), (3, True), (-5, False), (5, False)]:
        lines = [*short[:5], sentence_end, after, *short[5:]]
        lines[5 + distance] = unfinished(72)
        blocks = text_blocks("\n".join(lines))
        assert (len(blocks) == 2) is splits, distance


def test_a_short_heading_line_ends_its_block_before_a_capital_even_after_a_quotation_mark() -> None:
    text = [unfinished(72) + "", finished(72)]
    for first in ["China needs", "“China needs", "«Xinjiang", "2001 saw"]:
        body = first + " " + unfinished(60)
        assert text_blocks("\n".join(["Energy policy", body, *text])) == [["Energy policy"], [body, *text]], (
            first
        )
    lower = "and " + unfinished(60)
    assert text_blocks("\n".join(["Energy policy", lower, *text])) == [["Energy policy", lower, *text]]


def test_a_page_starting_with_a_capital_after_a_short_unfinished_line_starts_a_block() -> None:
    column = [unfinished(72), unfinished(72)]
    page = " The " + unfinished(60)
    assert text_blocks("\n".join([*column, unfinished(53), page])) == [
        [*column, unfinished(53)],
        [page.strip()],
    ]
    # Three quarters of the column (54 of 72) is not short: the paragraph goes on over the page.
    assert text_blocks("\n".join([*column, unfinished(54), page])) == [
        [*column, unfinished(54), page.strip()]
    ]


def test_two_spaces_of_indentation_in_three_lines_make_an_indented_document() -> None:
    body = [unfinished(72), unfinished(72)]
    close_to_full = finished(67)  # 93 % of the column: short only when paragraphs are indented
    then = "It " + unfinished(60)
    indented = [
        "  " + unfinished(72),
        *body,
        "  " + unfinished(72),
        close_to_full,
        then,
        "  " + unfinished(72),
    ]
    blocks = text_blocks("\n".join(indented))
    assert blocks == [
        [indented[0].strip(), *body],
        [indented[3].strip(), close_to_full, then],
        [indented[6].strip()],
    ]
    # Without indented paragraphs, the next word would have fitted: the sentence ends the paragraph.
    plain = [unfinished(72), *body, close_to_full, then]
    assert text_blocks("\n".join(plain)) == [[unfinished(72), *body, close_to_full], [then]]


def test_chinese_lines_without_capitals_run_on() -> None:
    lines = [
        "上海合作组织成立于二零零一年由中国俄罗斯和中亚四国",
        "共同创立其首要关切是安全即打击恐怖主义分裂主义",
        "和极端主义这三股势力。",
    ]
    assert text_blocks("\n".join(lines)) == [lines]


def test_paragraphs_a_line_stay_apart_even_when_one_line_breaks_a_sentence() -> None:
    lines = [
        finished(40, "The "),
        finished(50, "Its "),
        unfinished(60, "China "),
        "and " + finished(30),
        finished(45, "Trade "),
        finished(70, "Energy "),
        finished(35, "Russia "),
        finished(44, "India "),
    ]
    assert text_blocks("\n".join(lines)) == [[line] for line in lines]  # 1 of 7 breaks inside a sentence


def test_a_quarter_of_breaks_inside_sentences_is_enough_to_take_text_as_wrapped() -> None:
    top = unfinished(72, "The ")
    lines = [top, "and " + finished(40), finished(30, "Its "), finished(30, "China "), finished(30, "Trade ")]
    assert text_blocks("\n".join(lines)) == [[top, lines[1]], [lines[2]], [lines[3]], [lines[4]]]


def _spaced(lines: list[str], separators: str) -> str:
    """`lines` joined by a blank line ("b") or a plain line break ("n"), one letter per break."""
    return lines[0] + "".join(
        ("\n\n" if s == "b" else "\n") + text for s, text in zip(separators, lines[1:], strict=True)
    )


def test_a_blank_line_after_every_line_means_more_than_twice_as_many_blank_breaks_as_plain_ones() -> None:
    lines = [unfinished(70, "and ") for _ in range(7)] + [finished(50, "and ")]
    # Five blank breaks, two plain: a blank line after every line; single blank lines join.
    assert text_blocks(_spaced(lines, "bnbbnbb")) == [lines]
    # Four blank, two plain: not more than twice as many; every blank line separates.
    assert text_blocks(_spaced(lines[1:], "bnbnbb")) == [
        lines[1:2],
        lines[2:4],
        lines[4:6],
        lines[6:7],
        lines[7:],
    ]


def test_double_spaced_text_needs_a_quarter_of_its_blank_breaks_inside_sentences() -> None:
    lines = [
        unfinished(70, "and "),
        unfinished(70, "Russia "),
        unfinished(70, "China "),
        unfinished(70, "Astana "),
        finished(50, "and "),
    ]
    # Only the last break falls inside a sentence (a lowercase line after an unfinished one): 1 of 4.
    assert text_blocks(_spaced(lines, "bbbb")) == [lines]
