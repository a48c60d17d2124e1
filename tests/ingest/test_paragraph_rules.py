"""The line-layout rules one at a time (sources/ingest/lines.py), each in a text where no other rule
would give the same blocks: every line but the last of a paragraph fills the column, so a paragraph
never ends merely because a line is short (the next line's first word would not have fitted on it)."""

from sources.ingest.classify import is_caps_heading, starts_list_marker
from sources.ingest.lines import text_blocks

FIRST = [
    "The Shanghai Cooperation Organization was founded in 2001 by China, Russia",
    "and four Central Asian states that had settled their borders with China in",
    "the treaties of the nineties, and it has grown since into a body of eight.",
]
SECOND = [
    "Its first concern was security: terrorism, separatism and extremism, the",
    "three evils of its charter, which every later summit of the heads of state",
    "has named again, while trade and energy came later and stayed second.",
]


def test_a_blank_line_separates_wrapped_paragraphs():
    assert text_blocks("\n".join(FIRST) + "\n\n" + "\n".join(SECOND)) == [FIRST, SECOND]
    # Without it, the full-width last line of the first paragraph runs on into the second.
    assert text_blocks("\n".join(FIRST + SECOND)) == [FIRST + SECOND]


def test_with_a_blank_line_after_every_line_only_a_spaced_line_or_a_run_of_blanks_separates():
    wrapped = "\n\n".join(FIRST) + "{}" + "\n\n".join(SECOND)
    assert text_blocks(wrapped.format("\n\n")) == [FIRST + SECOND]
    assert text_blocks(wrapped.format("\n \n")) == [FIRST, SECOND]
    assert text_blocks(wrapped.format("\n\n\n")) == [FIRST, SECOND]


def test_an_indented_line_starts_a_paragraph():
    indented = ["    " + FIRST[0], *FIRST[1:], "    " + SECOND[0], *SECOND[1:], "    " + FIRST[0], *FIRST[1:]]
    assert text_blocks("\n".join(indented)) == [FIRST, SECOND, FIRST]


def test_a_title_in_capitals_wraps_over_lines_but_never_runs_into_the_text():
    title = [
        "CHINA'S VIEW ON THE EXPANSION OF THE SHANGHAI COOPERATION ORGANIZATION TO",
        "INDIA AND PAKISTAN",
    ]
    assert all(map(is_caps_heading, title))
    assert text_blocks(
        "\n".join(title + FIRST + ["2. METHODS AND SOURCES", "3.1 THE ARCHIVES"] + SECOND)
    ) == [
        title,
        FIRST,
        ["2. METHODS AND SOURCES"],
        ["3.1 THE ARCHIVES"],
        SECOND,
    ]


def test_a_list_item_starts_a_block_only_after_a_finished_line():
    intro = "The charter of the organization names the aims its members share as these:"
    items = [
        "1. fighting terrorism, separatism and extremism in all the member states;",
        "2. building trust among the armed forces of the members along the border;",
    ]
    assert all(map(starts_list_marker, items))
    assert text_blocks("\n".join([*FIRST, intro, *items])) == [[*FIRST, intro], [items[0]], [items[1]]]
    # After a line that leaves its sentence unfinished, a line that looks like an item goes on with it.
    unfinished = "The organization grew from its six founding members in the year 2001 to"
    going_on = "8. states when India and Pakistan joined it at the summit held in Astana,"
    assert starts_list_marker(going_on)
    assert text_blocks("\n".join([*FIRST, unfinished, going_on, *SECOND])) == [
        [*FIRST, unfinished, going_on, *SECOND]
    ]
