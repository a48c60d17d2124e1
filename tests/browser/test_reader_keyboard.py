"""Tagging without a mouse: v selects the current passage's first word, Shift+arrows grow and
shrink the selection by words, arrows move it, Escape cancels, a theme key tags it; a screen reader
hears each step. ? lists every key of the page, at any width."""

import pytest
from playwright.sync_api import expect

from sources.models import Annotation

from .reader_team import open_reader, source_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Energy security binds the SCO together, and pipelines exert influence on every summit."


def test_a_span_is_selected_and_tagged_from_the_keyboard_and_announced(page, reader_team):
    source = source_of(reader_team, ["Heading", TEXT])
    open_reader(page, source)
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("v")
    status = page.locator("#selection-status")
    expect(status).to_have_attribute("aria-live", "assertive")
    expect(status).to_contain_text("Selected “Energy”, 1 word.")
    for key in ["Shift+ArrowRight", "Shift+ArrowRight", "Shift+ArrowRight", "Shift+ArrowLeft"]:
        page.keyboard.press(key)
    expect(status).to_contain_text("Selected “Energy security binds”, 3 words.")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(status).to_contain_text("Selected “binds the SCO”, 3 words.")
    page.keyboard.press("e")
    expect(page.locator("#passage-1 mark.hl.mine")).to_have_text("binds the SCO")

    tag = Annotation.objects.get(passage__source=source)
    at = TEXT.index("binds the SCO")
    assert (tag.passage.ordinal, tag.start, tag.end, tag.quote) == (1, at, at + 13, "binds the SCO")
    assert page.problems == []


def test_escape_cancels_a_keyboard_selection_and_the_key_then_tags_the_passage(page, reader_team):
    source = source_of(reader_team, [TEXT])
    open_reader(page, source)
    page.keyboard.press("j")
    page.keyboard.press("v")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Escape")
    expect(page.locator("#selection-status")).to_have_text("Selection cancelled.")
    page.keyboard.press("m")
    expect(page.locator("#passage-0 .tag.mine .tag-scope")).to_have_text("whole passage")
    assert Annotation.objects.get().start is None
    assert page.problems == []


@pytest.mark.parametrize("width", [1280, 1024, 390])
def test_question_mark_lists_every_key_of_the_page(page, reader_team, width):
    page.set_viewport_size({"width": width, "height": 800})
    source = source_of(reader_team, [TEXT])
    open_reader(page, source)
    page.keyboard.press("?")
    overlay = page.locator("#keys-dialog")
    expect(overlay).to_be_visible()
    for text in [
        "next / previous passage",
        "as Terrorism",
        "as Multipolarity",
        "extend / shrink",
        "undo your last",
    ]:
        expect(overlay).to_contain_text(text)
    for key in ["j", "k", "t", "s", "x", "e", "m", "v", "c", "u", "?", "Esc"]:
        expect(overlay.locator("kbd", has_text=key).first).to_be_visible()
    page.keyboard.press("Escape")
    expect(overlay).to_be_hidden()
    assert page.problems == []
