"""Undo in the reader: u, Ctrl+Z and the status line's Undo button take back one's own last tag,
deletion or note, several steps back, through the history instructors restore from."""

import re

import pytest
from playwright.sync_api import expect

from sources.models import Annotation

from .reader_team import open_reader, select, source_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Energy security binds the SCO together, and pipelines exert influence on every summit."


def mine(source):
    return Annotation.objects.filter(passage__source=source, author__username="annotator1")


def test_a_stray_key_tags_the_passage_says_so_and_one_undo_takes_it_back(page, reader_team):
    source = source_of(reader_team, [TEXT])
    open_reader(page, source)
    page.keyboard.press("j")
    page.keyboard.press("e")
    flash = page.locator("#flash")
    expect(flash).to_contain_text("No text selected: tagged the whole passage 0 as Energy.")
    expect(flash.get_by_role("button", name="Undo")).to_be_visible()
    assert mine(source).count() == 1

    flash.get_by_role("button", name="Undo").click()
    expect(flash).to_contain_text("Undid tagging the passage as Energy.")
    expect(page.locator("#passage-0 .tag")).to_have_count(0)
    assert mine(source).count() == 0
    history = Annotation.history.filter(history_type="-").get()
    assert history.history_change_reason.startswith("undo annotation-")
    assert page.problems == []


def test_several_undos_take_back_a_note_a_deletion_and_a_tag_in_turn(page, reader_team):
    source = source_of(reader_team, [TEXT])
    open_reader(page, source)
    select(page, 0, "pipelines")
    page.keyboard.press("e")
    expect(page.locator("#passage-0 mark.hl.mine")).to_have_text("pipelines")
    select(page, 0, "Energy security")
    page.keyboard.press("m")
    expect(page.locator("#passage-0 mark.hl.mine")).to_have_count(2)
    energy = mine(source).get(theme__slug="energy")
    multipolarity = mine(source).get(theme__slug="multipolarity")

    entry = page.locator(f"#annotation-{energy.pk}")
    entry.get_by_text("Add note").click()
    entry.get_by_label("Note on this Energy tag").fill("Pipelines as leverage.")
    entry.get_by_role("button", name="Save note").click()
    expect(page.locator(f"#annotation-{energy.pk} .tag-note")).to_have_text("Pipelines as leverage.")
    page.locator(f"#annotation-{multipolarity.pk}").get_by_role("button", name=re.compile("^Delete")).click()
    expect(page.locator(f"#annotation-{multipolarity.pk}")).to_have_count(0)

    page.locator("#passage-0").click(position={"x": 2, "y": 2})
    page.keyboard.press("u")  # the deletion
    expect(page.locator(f"#annotation-{multipolarity.pk}")).to_be_visible()
    expect(page.locator("#flash")).to_contain_text("Undid deleting the Multipolarity tag.")
    page.keyboard.press("Control+z")  # the note
    expect(page.locator(f"#annotation-{energy.pk} .tag-note")).to_have_count(0)
    page.keyboard.press("u")  # the Multipolarity tag
    expect(page.locator(f"#annotation-{multipolarity.pk}")).to_have_count(0)

    assert list(mine(source).values_list("pk", "note")) == [(energy.pk, "")]
    page.keyboard.press("u")  # the Energy tag
    expect(page.locator("#passage-0 .tag")).to_have_count(0)
    page.keyboard.press("u")
    expect(page.locator("#flash")).to_contain_text("Not undone: Nothing of yours to undo here.")
    assert mine(source).count() == 0
    assert page.problems == []


def test_an_annotator_brings_back_their_own_deleted_tag_from_the_history(page, reader_team):
    source = source_of(reader_team, [TEXT])
    open_reader(page, source)
    select(page, 0, "pipelines")
    page.keyboard.press("t")
    expect(page.locator("#passage-0 mark.hl.mine")).to_have_text("pipelines")
    tag = mine(source).get()
    page.locator(f"#annotation-{tag.pk}").get_by_role("button", name=re.compile("^Delete")).click()
    expect(page.locator(f"#annotation-{tag.pk}")).to_have_count(0)

    page.goto("/p/sco/history/")
    page.get_by_role("link", name=re.compile("Terrorism tag by annotator1")).click()
    page.get_by_text("Undo this deletion…").click()
    page.get_by_role("button", name="Yes, restore").click()
    expect(page.locator("#flash")).to_contain_text("Restored the")
    assert Annotation.objects.filter(pk=tag.pk, quote="pipelines").exists()
    assert page.problems == []
