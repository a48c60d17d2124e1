"""What is selected is what is saved: offsets at a passage's first and last characters, across a
colleague's highlight, in Cyrillic and emoji (code points), snapped to whole words unless Alt was
held, and every key of a fast run of theme keys, in order. Real Chromium, no console errors."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from sources.models import Annotation, Claim, Evidence
from sources.services.annotations import annotation_create

from .reader_team import open_reader, select, source_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Energy security binds the SCO together, and pipelines exert influence on every summit."
RUSSIAN = "Кыргызстан 🇰🇿 и Казахстан проводят учения ШОС."


def mine(source, username: str = "annotator1"):
    return Annotation.objects.filter(passage__source=source, author__username=username)


def test_a_selection_from_the_first_character_is_linked_as_that_span_not_the_whole_passage(page, reader_team):
    source = source_of(reader_team, [TEXT])
    open_reader(page, source)
    select(page, 0, "Energy security")
    page.keyboard.press("c")
    dialog = page.locator("#link-dialog")
    expect(dialog.locator("input[name=evidence][value=new]")).to_be_checked()
    expect(dialog).to_contain_text("The selected text “Energy security”")
    dialog.locator("#link-theme").select_option(label="Energy")
    dialog.locator("#link-claim-text").fill("Energy holds the SCO together.")
    dialog.get_by_role("button", name="Link evidence").click()
    expect(dialog).to_be_hidden()

    evidence = Evidence.objects.get(claim=Claim.objects.get(text="Energy holds the SCO together."))
    assert evidence.annotation is not None
    assert (evidence.annotation.start, evidence.annotation.end, evidence.annotation.quote) == (
        0,
        len("Energy security"),
        "Energy security",
    )
    assert page.problems == []


def test_selections_at_the_start_and_at_the_last_character_keep_their_offsets(page, reader_team):
    source = source_of(reader_team, [TEXT])
    open_reader(page, source)
    select(page, 0, "Energy")
    page.keyboard.press("e")
    expect(page.locator("#passage-0 mark.hl.mine")).to_have_text("Energy")
    select(page, 0, "every summit.")
    page.keyboard.press("m")
    expect(page.locator("#passage-0 mark.hl.mine")).to_have_count(2)

    spans = {a.theme.slug: (a.start, a.end, a.quote) for a in mine(source)}
    assert spans == {
        "energy": (0, 6, "Energy"),
        "multipolarity": (len(TEXT) - len("every summit."), len(TEXT), "every summit."),
    }
    assert page.problems == []


def test_a_selection_across_a_colleagues_highlight_is_saved_as_selected(page, reader_team):
    source = source_of(reader_team, [TEXT])
    passage = source.passages.get()
    start = TEXT.index("security binds")
    annotation_create(
        passage=passage,
        theme=reader_team.themes["terrorism"],
        author=User.objects.get(username="annotator2"),
        start=start,
        end=start + len("security binds"),
    )
    open_reader(page, source)
    select(page, 0, "binds the SCO")
    page.keyboard.press("x")
    expect(page.locator("#passage-0 .tag.mine .chip")).to_have_text("Extremism")

    tag = mine(source).get()
    at = TEXT.index("binds the SCO")
    assert (tag.start, tag.end, tag.quote) == (at, at + len("binds the SCO"), "binds the SCO")
    assert page.problems == []


def test_cyrillic_and_a_flag_emoji_count_as_code_points(page, reader_team):
    source = source_of(reader_team, [RUSSIAN])
    open_reader(page, source)
    select(page, 0, "Кыргызстан")
    page.keyboard.press("t")
    expect(page.locator("#passage-0 mark.hl.mine")).to_have_text("Кыргызстан")
    select(page, 0, "🇰🇿 и Казахстан")
    page.keyboard.press("e")
    expect(page.locator("#passage-0 .tag.mine")).to_have_count(2)

    spans = {a.theme.slug: (a.start, a.end, a.quote) for a in mine(source)}
    flag = RUSSIAN.index("🇰🇿")
    assert len("🇰🇿") == 2  # two regional indicators: two code points, four UTF-16 units
    assert spans == {
        "terrorism": (0, 10, "Кыргызстан"),
        "energy": (flag, flag + len("🇰🇿 и Казахстан"), "🇰🇿 и Казахстан"),
    }
    assert page.problems == []


def test_a_selection_cutting_a_word_or_carrying_spaces_snaps_to_whole_words(page, reader_team):
    source = source_of(reader_team, [TEXT])
    open_reader(page, source)
    select(page, 0, " exert i")
    page.keyboard.press("e")
    expect(page.locator("#passage-0 mark.hl.mine")).to_have_text("exert influence")
    expect(page.locator("#flash")).to_contain_text("Tagged “exert influence” as Energy.")

    tag = mine(source).get()
    at = TEXT.index("exert influence")
    assert (tag.start, tag.end, tag.quote) == (at, at + len("exert influence"), "exert influence")
    assert page.problems == []


def test_with_alt_held_while_selecting_the_exact_characters_are_kept(page, reader_team):
    source = source_of(reader_team, [TEXT])
    open_reader(page, source)
    page.locator("#passage-0 [data-text]").dispatch_event("pointerdown", {"altKey": True})
    select(page, 0, "xert i")
    page.keyboard.press("m")
    expect(page.locator("#passage-0 mark.hl.mine")).to_have_text("xert i")

    tag = mine(source).get()
    assert (tag.start, tag.quote) == (TEXT.index("xert i"), "xert i")
    assert page.problems == []


def test_five_theme_keys_pressed_as_fast_as_possible_make_five_tags_in_order(page, reader_team):
    source = source_of(reader_team, ["Heading", TEXT, "A third passage."])
    open_reader(page, source)
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator(".passage.is-current")).to_have_attribute("data-ordinal", "1")
    for key in "tsxem":
        page.keyboard.press(key, delay=0)

    expect(page.locator("#passage-1 .tag.mine")).to_have_count(5)
    tags = mine(source).order_by("id")
    assert [t.theme.slug for t in tags] == ["terrorism", "separatism", "extremism", "energy", "multipolarity"]
    assert {t.passage.ordinal for t in tags} == {1}
    expect(page.locator("#flash")).to_contain_text(
        "No text selected: tagged the whole passage 1 as Multipolarity."
    )
    assert page.problems == []
