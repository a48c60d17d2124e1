"""Feedback, grades and history in a real browser, on the demo project. Every test also fails on a
console error, which includes any CSP violation."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from sources.models import Annotation, Passage, Session, Source, Theme
from sources.services.annotations import annotation_create, annotation_delete, annotation_update
from sources.services.discussions import discussion_comment, discussion_start
from sources.services.feedback import grade_set, grades_release, rubric_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def first_source(project) -> Source:
    return Source.objects.get(project=project, title__startswith="Chinese Foreign Policy")


def passage_with(source: Source, phrase: str) -> Passage:
    return source.passages.filter(text__contains=phrase).order_by("ordinal").first()


def user(name: str) -> User:
    return User.objects.get(username=name)


def test_an_instructor_restores_a_deleted_tag_and_the_annotator_sees_it_back(page, demo, login):
    source = first_source(demo)
    passage = passage_with(source, "China needs to import oil and gas")
    tag = Annotation.objects.get(passage=passage, author__username="annotator1", theme__slug="energy")
    annotation_delete(annotation=tag)

    login(page, "instructor")
    page.goto("/p/sco/history/")
    deleted = page.locator(".deleted-item", has_text="Energy tag by annotator1")
    expect(deleted).to_be_visible()
    deleted.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("History of this tag")
    expect(page.locator(".entry").first.locator(".action-badge")).to_have_text("deleted")
    page.get_by_text("Undo this deletion…").click()
    page.get_by_role("button", name="Yes, restore").click()
    expect(page.locator("#flash")).to_contain_text("Restored the tag as it was on")
    expect(page.locator(".entry").first.locator(".action-badge")).to_have_text("restored")
    expect(page.locator(".entry").first.locator(".entry-who")).to_have_text("by instructor")
    assert Annotation.objects.get(pk=tag.pk).passage_id == passage.pk

    page.context.clear_cookies()
    login(page, "annotator1")
    page.goto(f"/p/sco/sources/{source.pk}/#passage-{passage.ordinal}")
    restored = page.locator(f"#annotation-{tag.pk}")
    expect(restored).to_be_visible()
    expect(restored.locator(".chip")).to_have_text("Energy")
    expect(restored.locator(".history-link")).to_have_count(0)  # the history link is for leads
    assert page.problems == []


def keyed_session(demo) -> Session:
    """A closed session on the first article: the instructor's answer key, annotator1's work (agreeing
    on some passages, missing and adding others) and a released grade."""
    source = first_source(demo)
    themes = {t.slug: t for t in Theme.objects.filter(project=demo)}
    instructor, annotator = user("instructor"), user("annotator1")
    session = Session.objects.create(
        project=demo,
        name="Week 3: energy and security",
        opens_at=timezone.now() - timezone.timedelta(days=3),
        closes_at=timezone.now() + timezone.timedelta(hours=1),
        answer_key_author=instructor,
        created_by=instructor,
    )
    session.sources.set([source])
    session.participants.set([annotator, user("annotator2")])

    def tag(author, phrase, theme, span=None, note=""):
        passage = passage_with(source, phrase)
        start = passage.text.index(span) if span else None
        annotation_create(
            passage=passage,
            theme=themes[theme],
            author=author,
            start=start,
            end=start + len(span) if span else None,
            note=note,
            session=session,
        )

    tag(instructor, "fight against “three evils”", "terrorism", span="terrorism")
    tag(instructor, "China needs to import oil and gas", "energy")
    tag(instructor, "multipolar world continues", "multipolarity", span="multipolar world")
    tag(
        instructor,
        "stimulating the formation of",
        "multipolarity",
        note="Liu Qiang ties the SCO to multipolarity.",
    )
    tag(
        instructor,
        "SCO charter and anti-terrorism center",
        "terrorism",
        span="anti-terrorism center",
        note="An institution built against terrorism counts.",
    )
    tag(annotator, "fight against “three evils”", "terrorism", span="fight against “three evils”")
    tag(annotator, "China needs to import oil and gas", "energy", span="oil and gas")
    tag(annotator, "multipolar world continues", "multipolarity")
    tag(annotator, "stimulating the formation of", "expansion")
    Session.objects.filter(pk=session.pk).update(closes_at=timezone.now() - timezone.timedelta(minutes=1))
    coverage, care, notes = rubric_set(
        session=session,
        criteria=[
            {"name": "Coverage", "description": "Finds the passages the key tags", "max_points": 5},
            {"name": "Precision", "description": "Tags only what the codebook means", "max_points": 3},
            {"name": "Notes", "max_points": 2},
        ],
    )
    grade_set(
        session=session,
        annotator=annotator,
        graded_by=instructor,
        scores={coverage.pk: 4, care.pk: "2.5", notes.pk: 2},
        feedback="Careful spans on energy and terrorism. You missed the SCO's anti-terrorism centre: "
        "institutions built against the three evils count as terrorism too.",
    )
    grades_release(session=session)
    return session


def test_screenshots_of_feedback_and_history_after_scoring_grading_and_a_discussion(
    page, demo, login, tmp_path
):
    """Also renders the README's screenshots of the feedback and history pages; set
    SCREENSHOT_DIR=docs/screenshots to refresh them."""
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    session = keyed_session(demo)
    login(page, "annotator1")
    page.goto(f"/p/sco/sessions/{session.pk}/feedback/")
    terrorism = page.locator('.scores-table tr[data-theme="terrorism"]')
    expect(terrorism.locator('[data-metric="precision"] .metric-value')).to_have_text("100%")
    expect(terrorism.locator('[data-metric="recall"] .metric-value')).to_have_text("50%")
    expect(page.locator(".difference-passage")).to_have_count(2)
    expect(page.locator("mark.hl.key", has_text="anti-terrorism center")).to_be_visible()
    expect(page.locator(".grade-card .total")).to_contain_text("8.5")
    expect(page.locator(".written-feedback")).to_contain_text("anti-terrorism centre")
    page.screenshot(path=out / "feedback.png")

    # Discuss a difference with the instructor, in place.
    missed = page.locator(".difference.kind-missed", has_text="Terrorism")
    missed.get_by_role("link", name="Discuss").click()
    panel = missed.locator(".discussion-panel")
    expect(panel).to_be_visible()
    panel.get_by_label("Start a discussion").fill("Is a centre really a terrorism passage?")
    panel.get_by_role("button", name="Start discussion").click()
    expect(missed.locator(".discussion-panel .comment-text")).to_have_text(
        "Is a centre really a terrorism passage?"
    )

    passage = passage_with(first_source(demo), "China needs to import oil and gas")
    tag = Annotation.objects.get(passage=passage, author__username="annotator1", session=None)
    annotation_update(annotation=tag, note="Energy security: imports from Central Asia.", editor=tag.author)
    thread = discussion_start(
        passage=passage, theme=tag.theme, started_by=user("annotator2"), text="Is this energy or economics?"
    )
    discussion_comment(discussion=thread, author=user("annotator1"), text="Energy: oil and gas imports.")
    page.context.clear_cookies()
    login(page, "instructor")
    page.goto(f"/p/sco/discussions/?passage={passage.pk}&theme={tag.theme_id}")
    panel = page.locator(".discussion-panel")
    panel.get_by_text("Decide", exact=True).click()
    panel.get_by_label("Accepted").check()
    panel.get_by_label(re.compile("^Reason")).fill("Imports of oil and gas are the codebook's energy.")
    panel.locator(f'input[name="decide-{thread.pk}-tag-{tag.pk}"][value="approve"]').check()
    panel.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".discussion-panel .decision")).to_contain_text("Accepted by Demo Instructor")
    assert Annotation.objects.get(pk=tag.pk).status == "approved"
    page.goto(f"/p/sco/history/?model=annotation&id={tag.pk}")
    expect(page.locator(".entry-reason").first).to_contain_text("adjudicated (accepted)")
    expect(page.locator(".entry").first.locator(".entry-who")).to_have_text("by instructor")
    expect(page.locator(".history-discussions .decision")).to_contain_text("Accepted")
    page.screenshot(path=out / "history.png", full_page=True)

    page.goto(f"/p/sco/sessions/{session.pk}/grades/")
    expect(page.locator(".release-card")).to_contain_text("1 released")
    # Grading without a reload: a criterion added by the rubric's JavaScript, then a grade refused
    # next to its field, corrected, and released.
    page.get_by_role("button", name="+ Add a criterion").click()
    expect(page.locator(".criterion-row")).to_have_count(5)
    page.locator("#id_criteria-4-name").fill("Discussion")
    page.locator("#id_criteria-4-max_points").fill("4")
    page.get_by_role("button", name="Save rubric").click()
    expect(page.locator("#flash")).to_contain_text("Rubric saved: 4 criteria.")
    second = page.locator(f"#grade-{user('annotator2').pk}")
    second.get_by_label(re.compile("^Discussion")).fill("6")
    second.get_by_label(re.compile("^Coverage")).fill("3")
    # The browser's own range check would stop the form; the server's message is what is tested.
    page.evaluate("document.querySelectorAll('.grade-form').forEach((f) => { f.noValidate = true; })")
    second.get_by_role("button", name="Save grade").click()
    expect(second.locator(".field-error")).to_have_text("At most 4 points on Discussion.")
    # The browser logs the refused grade's 422 answer; nothing else went wrong.
    assert [p for p in page.problems if "status of 422" not in p] == []
    page.problems.clear()
    second.get_by_label(re.compile("^Discussion")).fill("3.5")
    second.get_by_role("button", name="Save grade").click()
    expect(second.locator(".grade-state")).to_contain_text("graded, not released")
    expect(second.locator(".grade-total")).to_contain_text("6.5 / 14")
    page.get_by_role("button", name="Release grades (1)").click()
    expect(page.locator(".release-card")).to_contain_text("2 released")
    expect(second.locator(".grade-state")).to_contain_text("released")
    assert all((out / name).stat().st_size > 10_000 for name in ["feedback.png", "history.png"])
    assert re.search(r"/grades/$", page.url)
    assert page.problems == []
