from pathlib import Path

import pytest

from sources.ingest import ParsedDocument, parse_document

POLICY_ARTICLE = "chinese-foreign-policy-in-the-sco.txt"
EXPANSION_ARTICLE = "chinese-view-on-sco-expansion.txt"


def corpus_dir() -> Path:
    """The demo corpus in the repository, or the shared copy it is made from."""
    repo = Path(__file__).resolve().parents[2]
    in_repo = repo / "fixtures" / "corpus"
    return in_repo if (in_repo / POLICY_ARTICLE).exists() else repo.parent / "shared" / "corpus"


def parse_article(name: str) -> ParsedDocument:
    return parse_document((corpus_dir() / name).read_bytes(), name)


@pytest.fixture(scope="session")
def policy_article() -> ParsedDocument:
    """The first article: English, paragraphs marked by indentation, headings 1. to 4., A. and B."""
    return parse_article(POLICY_ARTICLE)


@pytest.fixture(scope="session")
def expansion_article() -> ParsedDocument:
    """The second article: English, Kazakh and Russian headers and abstracts, then the English body."""
    return parse_article(EXPANSION_ARTICLE)
