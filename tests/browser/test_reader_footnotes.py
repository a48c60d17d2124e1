"""A PDF's footnote in the reader: a passage of its own that names and links the paragraph citing it."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sources.services.sources import source_import

from .reader_team import open_reader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAPER = Path(__file__).resolve().parents[1] / "data" / "pdf-corpus" / "rescience-detorakis-2017.pdf"


def test_a_footnote_links_to_the_paragraph_whose_marker_cites_it(page, reader_team):
    source = source_import(project=reader_team.project, data=PAPER.read_bytes(), filename=PAPER.name)
    note = source.passages.get(kind="footnote", text__startswith="1Python memory profiler")
    open_reader(page, source, suffix=f"#passage-{note.ordinal}")
    footnote = page.locator(f"#passage-{note.ordinal}")
    expect(footnote).to_have_class(re.compile(r"\bkind-footnote\b"))
    link = footnote.get_by_role("link", name=f"passage {note.attached_to}")
    expect(link).to_be_visible()
    link.click()
    cited = page.locator(f"#passage-{note.attached_to}")
    expect(cited).to_be_in_viewport()
    expect(cited).to_contain_text("was 162 MB1.")
    assert page.problems == []
