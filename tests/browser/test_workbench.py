"""The annotation workbench in a real browser, on the demo project: tag by keyboard, link evidence,
notes, roles. Every test also fails on a console error, which includes any CSP violation."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from sources.models import Annotation, Claim, Evidence, Passage, Source, Theme
from sources.services.annotations import annotation_create

from ..factories import SourceFactory
from .reader_team import SELECT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHRASE = "fight against “three evils”"


def select(page, passage: Passage, phrase: str) -> None:
    page.evaluate(SELECT, [passage.ordinal, phrase])


def first_source(project) -> Source:
    return Source.objects.get(project=project, title__startswith="Chinese Foreign Policy")


def passage_with(source: Source, phrase: str) -> Passage:
    return source.passages.get(text__contains=phrase)


def tag_phrase(page, passage: Passage, phrase: str, key: str) -> None:
    select(page, passage, phrase)
    page.keyboard.press(key)
    expect(page.locator(f"#passage-{passage.ordinal} mark.hl.mine")).to_have_text(phrase)


def test_a_phrase_tagged_by_shortcut_is_saved_with_its_offsets_and_survives_a_reload(page, demo, login):
    login(page, "annotator1")
    source = first_source(demo)
    passage = passage_with(source, PHRASE)
    page.goto(f"/p/sco/sources/{source.pk}/")

    tag_phrase(page, passage, PHRASE, "t")
    expect(page.locator("#flash")).to_contain_text("Tagged “fight against “three evils”” as Terrorism")

    start = passage.text.index(PHRASE)
    annotation = Annotation.objects.get(
        passage=passage, author__username="annotator1", theme__slug="terrorism"
    )
    assert (annotation.start, annotation.end, annotation.quote) == (start, start + len(PHRASE), PHRASE)

    page.reload()
    mark = page.locator(f"#passage-{passage.ordinal} mark.hl.mine")
    expect(mark).to_have_text(PHRASE)
    expect(mark).to_have_attribute("title", re.compile(r"^Terrorism · "))
    expect(page.locator(f"#annotation-{annotation.pk} .chip")).to_have_text("Terrorism")

    listed = page.request.get(f"/api/annotations/?passage={passage.pk}")
    assert listed.ok
    rows = [row for row in listed.json()["results"] if row["id"] == annotation.pk]
    assert rows and (rows[0]["start"], rows[0]["end"], rows[0]["quote"]) == (
        start,
        start + len(PHRASE),
        PHRASE,
    )
    assert page.problems == []


def test_offsets_count_code_points_not_utf16_units(page, demo, login):
    # Flags and mathematical letters lie outside the BMP: two UTF-16 units, one code point each.
    flags, letters = "\U0001f1f0\U0001f1ff\U0001f1e8\U0001f1f3", "\U0001d4ae\U0001d49e"
    text = f"Flags {flags} and {letters} mark the pipeline deal of 2024."
    source = SourceFactory(project=demo, title="Emoji source", paragraphs=[text])
    passage = source.passages.get()
    login(page, "annotator1")
    page.goto(f"/p/sco/sources/{source.pk}/")

    tag_phrase(page, passage, "pipeline deal", "e")

    annotation = Annotation.objects.get(passage=passage)
    assert (annotation.start, annotation.end) == (text.index("pipeline deal"), text.index(" of 2024"))
    assert annotation.quote == "pipeline deal"
    assert page.problems == []


def test_j_and_k_move_between_passages_and_a_key_without_selection_tags_the_whole_passage(page, demo, login):
    login(page, "annotator1")
    source = first_source(demo)
    page.goto(f"/p/sco/sources/{source.pk}/")

    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    current = page.locator(".passage.is-current")
    expect(current).to_have_attribute("data-ordinal", "1")
    expect(current).to_be_focused()

    page.keyboard.press("e")
    expect(page.locator("#passage-1 .tag.mine .chip")).to_have_text("Energy")
    expect(page.locator("#passage-1 .tag.mine .tag-scope")).to_have_text("whole passage")
    tag = Annotation.objects.get(passage__source=source, passage__ordinal=1, author__username="annotator1")
    assert (tag.theme.slug, tag.start, tag.end, tag.quote) == ("energy", None, None, "")
    # Focus stays on the re-rendered passage, so the keys go on working.
    page.keyboard.press("j")
    expect(page.locator(".passage.is-current")).to_have_attribute("data-ordinal", "2")
    assert page.problems == []


def test_a_tagged_phrase_linked_as_supporting_shows_on_the_claims_board(page, demo, login):
    login(page, "annotator1")
    source = first_source(demo)
    passage = passage_with(source, PHRASE)
    claim = Claim.objects.get(project=demo, text__startswith="China uses the SCO above all")
    page.goto(f"/p/sco/sources/{source.pk}/")
    tag_phrase(page, passage, PHRASE, "t")
    annotation = Annotation.objects.get(
        passage=passage, author__username="annotator1", theme__slug="terrorism"
    )

    select(page, passage, PHRASE)
    page.keyboard.press("c")
    dialog = page.locator("#link-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(f"input[name=evidence][value='{annotation.pk}']")).to_be_checked()
    dialog.locator("#link-claim").select_option(str(claim.pk))
    dialog.get_by_label("Supports").check()
    dialog.get_by_role("button", name="Link evidence").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#passage-{passage.ordinal} .link.relation-supports")).to_contain_text(
        "China uses the SCO"
    )

    evidence = Evidence.objects.get(claim=claim, passage=passage, author__username="annotator1")
    assert (evidence.relation, evidence.annotation_id) == ("supports", annotation.pk)

    page.goto("/p/sco/claims/")
    card = page.locator(f"#claim-{claim.pk} .relation-supports #evidence-{evidence.pk}")
    expect(card.locator("blockquote mark")).to_have_text(PHRASE)
    back = card.get_by_role("link", name=re.compile(r"passage \d+"))
    expect(back).to_have_attribute("href", f"/p/sco/sources/{source.pk}/#passage-{passage.ordinal}")
    back.click()
    expect(page.locator(f"#passage-{passage.ordinal}")).to_have_class(re.compile(r"\bis-current\b"))
    assert page.problems == []


def test_an_untagged_selection_is_tagged_and_linked_to_a_new_claim_in_one_step(page, demo, login):
    login(page, "annotator2")
    source = first_source(demo)
    passage = passage_with(source, PHRASE)
    page.goto(f"/p/sco/sources/{source.pk}/")

    select(page, passage, "Belt and Road Initiative")
    page.keyboard.press("c")
    dialog = page.locator("#link-dialog")
    expect(dialog.locator("input[name=evidence][value=new]")).to_be_checked()
    dialog.locator("#link-theme").select_option(label="Multipolarity")
    dialog.locator("#link-claim").select_option("new")
    dialog.locator("#link-claim-text").fill("China builds parallel institutions beside the SCO.")
    dialog.get_by_label("Qualifies").check()
    dialog.get_by_role("button", name="Link evidence").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#passage-{passage.ordinal} mark.hl.mine")).to_have_text("Belt and Road Initiative")

    page.goto("/p/sco/claims/")
    claim = Claim.objects.get(text="China builds parallel institutions beside the SCO.")
    expect(page.locator(f"#claim-{claim.pk} .relation-qualifies blockquote mark")).to_have_text(
        "Belt and Road Initiative"
    )
    assert page.problems == []


def test_a_note_with_markup_is_shown_as_text_and_runs_nothing(page, demo, login):
    login(page, "annotator1")
    source = first_source(demo)
    passage = passage_with(source, PHRASE)
    page.goto(f"/p/sco/sources/{source.pk}/")
    tag_phrase(page, passage, PHRASE, "x")
    annotation = Annotation.objects.get(passage=passage, author__username="annotator1")

    entry = page.locator(f"#annotation-{annotation.pk}")
    entry.get_by_text("Add note").click()
    entry.get_by_label("Note on this Extremism tag").fill("<script>alert(1)</script> and <b>bold</b>")
    entry.get_by_role("button", name="Save note").click()
    note = page.locator(f"#annotation-{annotation.pk} .tag-note")
    expect(note).to_have_text("<script>alert(1)</script> and <b>bold</b>")
    page.reload()
    expect(note).to_have_text("<script>alert(1)</script> and <b>bold</b>")
    assert note.locator("script, b").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.problems == []


def test_an_annotator_deletes_their_own_tag_but_sees_no_delete_on_a_colleagues(page, demo, login):
    login(page, "annotator1")
    source = Source.objects.get(project=demo, title__startswith="Chinese View")
    theirs = Annotation.objects.filter(passage__source=source, author__username="annotator2").first()
    mine = Annotation.objects.filter(passage=theirs.passage, author__username="annotator1").first()
    page.goto(f"/p/sco/sources/{source.pk}/")

    expect(page.locator(f"#annotation-{theirs.pk}")).to_be_visible()
    expect(page.locator(f"#annotation-{theirs.pk} button", has_text="Delete")).to_have_count(0)
    page.locator(f"#annotation-{mine.pk}").get_by_role("button", name=re.compile("^Delete")).click()
    expect(page.locator(f"#annotation-{mine.pk}")).to_have_count(0)
    assert not Annotation.objects.filter(pk=mine.pk).exists()
    assert Annotation.objects.filter(pk=theirs.pk).exists()
    assert page.problems == []


def test_an_observer_reads_tags_and_evidence_with_no_editing_controls(page, demo, login):
    login(page, "observer")
    source = Source.objects.get(project=demo, title__startswith="Chinese View")
    passage = source.passages.get(text__contains="the so-called three evil forces")
    before = Annotation.objects.count()
    page.goto(f"/p/sco/sources/{source.pk}/")

    expect(page.locator(f"#passage-{passage.ordinal} mark.hl").first).to_be_visible()
    expect(page.locator(f"#passage-{passage.ordinal} .tag").first).to_be_visible()
    expect(page.locator(".readonly-note")).to_be_visible()
    for control in ["#palette", ".tag-form", ".note-editor", "#link-dialog", "form[action*='/delete/']"]:
        expect(page.locator(control)).to_have_count(0)

    select(page, passage, "international terrorism")
    page.keyboard.press("t")
    page.keyboard.press("c")
    page.wait_for_timeout(500)
    assert Annotation.objects.count() == before

    page.goto("/p/sco/claims/")
    expect(page.locator(".claim").first).to_be_visible()
    expect(page.locator(".claim-form")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
    assert page.problems == []


def test_screenshots_of_the_reader_and_the_claims_board(page, demo, login, tmp_path):
    """Renders the README's screenshots; set SCREENSHOT_DIR=docs/screenshots to refresh them."""
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    login(page, "annotator1")
    source = Source.objects.get(project=demo, title__startswith="Chinese View")
    passage = source.passages.get(text__contains="the so-called three evil forces")
    # One more span, by another annotator and theme, across two existing ones: overlaps on show.
    span = "three evil forces: international terrorism, ethnic separatism"
    annotation_create(
        passage=passage,
        theme=Theme.objects.get(project=demo, slug="three-evils"),
        author=User.objects.get(username="annotator2"),
        start=passage.text.index(span),
        end=passage.text.index(span) + len(span),
        note="The founding trio, named together.",
    )
    page.goto(f"/p/sco/sources/{source.pk}/#passage-{passage.ordinal}")
    expect(page.locator(f"#passage-{passage.ordinal}.is-current")).to_be_visible()
    page.screenshot(path=out / "reader.png")
    page.goto("/p/sco/claims/")
    page.screenshot(path=out / "claims.png")
    page.goto("/p/sco/")
    page.screenshot(path=out / "dashboard.png")
    assert all((out / name).stat().st_size > 10_000 for name in ["reader.png", "claims.png", "dashboard.png"])
    assert page.problems == []


def test_clicking_a_theme_in_the_bar_tags_the_selection(page, demo, login):
    login(page, "annotator2")
    source = first_source(demo)
    passage = passage_with(source, PHRASE)
    page.goto(f"/p/sco/sources/{source.pk}/")
    select(page, passage, "Asian Infrastructure Investment Bank")
    page.locator("#palette").get_by_role("button", name="Energy").click()
    expect(page.locator(f"#passage-{passage.ordinal} mark.hl.mine")).to_have_text(
        "Asian Infrastructure Investment Bank"
    )
    annotation = Annotation.objects.get(passage=passage, author__username="annotator2")
    assert annotation.theme.slug == "energy"
    assert page.problems == []


def test_search_results_follow_the_words_typed(page, demo, login):
    login(page, "observer")
    page.goto("/p/sco/search/")
    page.get_by_label("Words").fill("pipelines")
    results = page.locator("#results")
    expect(results.locator("mark.match").first).to_have_text(re.compile("^pipelines$", re.IGNORECASE))
    expect(page).to_have_url(re.compile(r"/p/sco/search/\?q=pipelines"))
    page.get_by_label("Theme").select_option(label="Expansion")
    expect(results).to_contain_text("No passage matches")
    assert page.problems == []
