"""Phones and tablets: the palette within reach, sections and keys in a drawer, no sideways
scrolling, and a span tagged by touch at 390 and 1024 pixels wide."""

import re

import pytest
from playwright.sync_api import expect

from sources.models import Annotation

from .conftest import close_quietly
from .reader_team import open_reader, select, source_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Energy security binds the SCO together, and pipelines exert influence on every summit."
LONG = [f"Section {n}" if n % 10 == 0 else f"Paragraph {n}: {TEXT}" for n in range(60)]


@pytest.fixture
def touch(browser, live_server):
    """A page on a touch screen of the width asked for."""
    contexts = []

    def open_touch(width: int, height: int = 844):
        context = browser.new_context(
            viewport={"width": width, "height": height}, has_touch=True, base_url=live_server.url
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.problems = []
        page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        return page

    yield open_touch
    for context in contexts:
        close_quietly(context)


@pytest.mark.parametrize("width", [390, 1024])
def test_a_span_is_tagged_by_touch(touch, reader_team, width):
    page = touch(width)
    source = source_of(reader_team, LONG)
    open_reader(page, source, suffix="#passage-35")
    expect(page.locator("#passage-35")).to_have_class(re.compile(r"\bis-current\b"))
    select(page, 35, "pipelines exert")
    page.locator("#palette").get_by_role("button", name="Energy").tap()
    expect(page.locator("#passage-35 mark.hl.mine")).to_have_text("pipelines exert")
    tag = Annotation.objects.get()
    assert (tag.passage.ordinal, tag.quote) == (35, "pipelines exert")
    assert page.problems == []


def test_on_a_phone_the_palette_is_a_bar_at_the_bottom_and_nothing_scrolls_sideways(touch, reader_team):
    page = touch(390)
    source = source_of(reader_team, LONG)
    open_reader(page, source, suffix="#passage-45")
    page.wait_for_timeout(300)
    palette = page.locator("#palette").bounding_box()
    assert abs(palette["y"] + palette["height"] - 844) <= 1, palette
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    passage = page.locator("#passage-45").bounding_box()
    assert passage["y"] < 844, "the deep-linked passage is on screen"
    assert page.problems == []


@pytest.mark.parametrize("width", [390, 1024])
def test_sections_and_keys_open_in_a_drawer(touch, reader_team, width):
    page = touch(width)
    source = source_of(reader_team, LONG)
    open_reader(page, source)
    toc = page.locator("#toc")
    expect(toc).to_be_hidden()
    page.get_by_role("button", name="Sections & keys").tap()
    expect(toc).to_be_visible()
    expect(toc).to_contain_text("next / previous passage")
    toc.get_by_role("link", name="Section 50").tap()
    expect(toc).to_be_hidden()
    expect(page.locator("#passage-50")).to_be_in_viewport()
    assert page.problems == []
