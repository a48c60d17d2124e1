"""A source of 5,000 passages: the first screen carries one chunk, later chunks load as they come
into view or when a deep link or j needs them; filters narrow the passages shown."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from sources.services.annotations import annotation_create

from .reader_team import open_reader, source_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSAGES = 5000


@pytest.fixture
def long_source(reader_team):
    texts = [
        f"Section {n}" if n % 50 == 0 else f"Passage {n} on energy and security." for n in range(PASSAGES)
    ]
    return source_of(reader_team, texts, title="A long report")


def test_the_first_screen_renders_one_chunk_and_the_rest_loads_on_scroll(page, long_source):
    open_reader(page, long_source)
    expect(page.locator(".passage")).to_have_count(100)
    expect(page.locator(".reader-head .meta")).to_contain_text("5000 passages")
    assert page.locator(".chunk-pending").count() == 49
    page.locator(".chunk-pending").first.scroll_into_view_if_needed()
    expect(page.locator("#passage-150")).to_be_attached()
    assert page.locator(".passage").count() < 400
    assert page.problems == []


def test_a_deep_link_into_an_unloaded_chunk_lands_on_the_passage(page, long_source):
    open_reader(page, long_source, suffix="#passage-4321")
    target = page.locator("#passage-4321")
    expect(target).to_have_class(re.compile(r"\bis-current\b"))
    expect(target).to_be_in_viewport()
    assert page.locator(".passage").count() <= 300
    assert page.problems == []


def test_j_at_the_end_of_a_chunk_loads_the_next_one(page, long_source):
    open_reader(page, long_source, suffix="#passage-99")
    expect(page.locator("#passage-99")).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("j")
    expect(page.locator(".passage.is-current")).to_have_attribute("data-ordinal", "100")
    page.keyboard.press("k")
    expect(page.locator(".passage.is-current")).to_have_attribute("data-ordinal", "99")
    assert page.problems == []


def test_filters_show_only_the_passages_asked_for(page, reader_team, long_source):
    passages = {p.ordinal: p for p in long_source.passages.filter(ordinal__in=[7, 2500, 4999])}
    me, colleague = User.objects.get(username="annotator1"), User.objects.get(username="annotator2")
    annotation_create(passage=passages[7], theme=reader_team.themes["energy"], author=me)
    annotation_create(passage=passages[2500], theme=reader_team.themes["terrorism"], author=me)
    annotation_create(passage=passages[2500], theme=reader_team.themes["energy"], author=colleague)
    annotation_create(passage=passages[4999], theme=reader_team.themes["energy"], author=colleague)
    open_reader(page, long_source)

    page.get_by_label("Show", exact=True).select_option("mine")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator(".passage")).to_have_count(2)
    expect(page.locator(".reader-head .meta")).to_contain_text("2 of 5000 passages")

    page.get_by_label("Show", exact=True).select_option("disputed")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator(".passage")).to_have_count(1)
    expect(page.locator("#passage-2500")).to_be_visible()

    page.get_by_label("Show", exact=True).select_option("theme")
    page.locator("#reader-filter-theme").select_option(label="Energy")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator(".passage")).to_have_count(3)

    page.get_by_label("Show", exact=True).select_option("untagged")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator(".reader-head .meta")).to_contain_text("4997 of 5000 passages")
    expect(page.locator("#passage-7")).to_have_count(0)
    assert page.problems == []
