"""PDFs: pypdf's text goes through the same line pipeline as plain text."""

from sources.ingest import parse_document

from .minimal_pdf import minimal_pdf

FIRST_PAGE = [
    "1. INTRODUCTION",
    "The Shanghai Cooperation Organization was founded in 2001 by six states",
    "that wanted to settle their borders. It has since grown into a forum for",
    "regional security and for cross-",
]
SECOND_PAGE = [
    "border trade, although the members disagree about the pace of economic",
    "cooperation and about its expansion.",
    "India and Pakistan joined the organization in 2017, after two years of",
    "accession procedures and long negotiations.",
]


def test_a_pdf_is_split_into_passages_across_its_pages() -> None:
    document = parse_document(minimal_pdf([FIRST_PAGE, SECOND_PAGE]), "paper.PDF")
    assert [(p.kind, p.section, p.text) for p in document.passages] == [
        ("heading", "1. INTRODUCTION", "1. INTRODUCTION"),
        (
            "paragraph",
            "1. INTRODUCTION",
            "The Shanghai Cooperation Organization was founded in 2001 by six states that wanted to "
            "settle their borders. It has since grown into a forum for regional security and for "
            "cross-border trade, although the members disagree about the pace of economic cooperation "
            "and about its expansion.",
        ),
        (
            "paragraph",
            "1. INTRODUCTION",
            "India and Pakistan joined the organization in 2017, after two years of accession procedures and "
            "long negotiations.",
        ),
    ]
    assert document.language == "en"
    for passage in document.passages:
        assert document.text[passage.start : passage.end] == passage.text
