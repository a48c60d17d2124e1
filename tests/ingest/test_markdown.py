"""Markdown: its markup decides the passages' kinds; the markers are not part of the text."""

from sources.ingest import parse_document

MARKDOWN = """# The SCO and its expansion

The organization was founded in 2001
by six states.

## Interests

China's interests are as follows:

- creating favourable conditions for the
  development of the country;
* a peaceful external environment;
1. Increasing China's international influence.

> The rapidly changing situation in the world is characterized
> by increased geopolitical tensions.

Members
-------

India and Pakistan joined in 2017.
"""


def test_markdown_markup_sets_kinds_and_is_stripped() -> None:
    document = parse_document(MARKDOWN.encode(), "notes.md")
    assert [(p.kind, p.text) for p in document.passages] == [
        ("heading", "The SCO and its expansion"),
        ("paragraph", "The organization was founded in 2001 by six states."),
        ("heading", "Interests"),
        ("paragraph", "China's interests are as follows:"),
        ("list_item", "creating favourable conditions for the development of the country;"),
        ("list_item", "a peaceful external environment;"),
        ("list_item", "1. Increasing China's international influence."),
        (
            "quote",
            "The rapidly changing situation in the world is characterized by increased "
            "geopolitical tensions.",
        ),
        ("heading", "Members"),
        ("paragraph", "India and Pakistan joined in 2017."),
    ]
    assert document.title == "The SCO and its expansion"
    assert [p.section for p in document.passages][3:5] == ["Interests", "Interests"]
    for passage in document.passages:
        assert document.text[passage.start : passage.end] == passage.text


def test_markdown_without_a_heading_has_no_title() -> None:
    document = parse_document(b"Just a paragraph.\n\n---\n\nAnd another one.", "notes.md")
    assert document.title is None
    assert [p.text for p in document.passages] == ["Just a paragraph.", "And another one."]
