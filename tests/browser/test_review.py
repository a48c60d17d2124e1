"""Sessions, review and adjudication in a real browser, on the demo project: two annotators tag in a
blind session and submit, the instructor reviews from the keyboard and in bulk, compares and settles
a disagreement; the annotator reads the decision in the reader. Every test also fails on a console
error, which includes any CSP violation."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from sources.models import Annotation, AnnotationStatus, Review, Session, Source, Theme
from sources.services.annotations import annotation_create
from sources.services.sessions import session_create, session_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Which theme each annotator gives a passage containing one of the words (case-insensitive):
# annotator2 reads "member" as no sign of expansion and sees energy in the economy, so they
# disagree on some passages and agree on the rest.
READINGS = {
    "annotator1": {
        "terrorism": ["terror"],
        "separatism": ["separatis"],
        "extremism": ["extremis"],
        "energy": ["energy", "oil", "gas"],
        "multipolarity": ["multipolar", "geopolitical"],
        "expansion": ["expan", "enlarg", "new members"],
    },
    "annotator2": {
        "terrorism": ["terror"],
        "separatism": ["separatis"],
        "extremism": ["extremis", "radical"],
        "energy": ["energy", "econom"],
        "multipolarity": ["multipolar"],
        "expansion": ["expan", "enlarg"],
    },
}
NOTES = {
    ("annotator1", "terrorism"): "Afghanistan named as the source of the threat.",
    ("annotator2", "energy"): "Economic cooperation read as energy policy.",
}
# Spans besides the whole-passage tags: (who, theme, phrase, note).
SPANS = [
    (
        "annotator1",
        "expansion",
        "the issue of expansion of the SCO",
        "The article's question, stated up front.",
    ),
    ("annotator2", "expansion", "expansion of the SCO", ""),
    ("annotator1", "terrorism", "counteract the terrorist threat", ""),
    (
        "annotator2",
        "terrorism",
        "the terrorist threat, which comes from Afghanistan",
        "Names where it comes from.",
    ),
]


def expansion_source(project) -> Source:
    return Source.objects.get(project=project, title__startswith="Chinese View")


def run_session(project, *, blind: bool = True, submit: bool = True) -> Session:
    """A session on the expansion article in which both demo annotators tagged by their readings
    (and, with `submit`, submitted): agreements and disagreements for the pages to show."""
    source = expansion_source(project)
    users = {u.username: u for u in User.objects.filter(username__in=["instructor", *READINGS])}
    session = session_create(
        project=project,
        created_by=users["instructor"],
        name="Week 3: security and expansion",
        instructions="Tag every passage that speaks to a theme of the codebook.\n\n"
        "Whole passages unless one phrase carries the theme; add a note when unsure.",
        opens_at=timezone.now() - timezone.timedelta(hours=2),
        closes_at=timezone.now() + timezone.timedelta(days=2),
        blind=blind,
        sources=[source],
        participants=[users["annotator1"], users["annotator2"]],
    )
    themes = {t.slug: t for t in Theme.objects.filter(project=project)}
    passages = source.passages.exclude(kind="heading").order_by("ordinal")
    for username, reading in READINGS.items():
        for passage in passages:
            text = passage.text.lower()
            for slug, words in reading.items():
                if any(word in text for word in words):
                    annotation_create(
                        passage=passage,
                        theme=themes[slug],
                        author=users[username],
                        note=NOTES.get((username, slug), ""),
                        session=session,
                    )
    for username, slug, phrase, note in SPANS:
        passage = passages.filter(text__contains=phrase).first()
        start = passage.text.index(phrase)
        annotation_create(
            passage=passage,
            theme=themes[slug],
            author=users[username],
            start=start,
            end=start + len(phrase),
            note=note,
            session=session,
        )
    if submit:
        for username in READINGS:
            session_submit(session=session, user=users[username])
    return session


def test_screenshots_of_the_session_review_and_compare_pages(page, demo, login, tmp_path):
    """Renders the README's screenshots; set SCREENSHOT_DIR=docs/screenshots to refresh them."""
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    session = run_session(demo, submit=False)
    source = expansion_source(demo)
    session_submit(session=session, user=User.objects.get(username="annotator2"))
    page.set_viewport_size({"width": 1280, "height": 960})
    login(page, "annotator1")
    page.goto(f"/p/sco/sessions/{session.pk}/")
    page.screenshot(path=out / "session.png")
    page.context.clear_cookies()

    session_submit(session=session, user=User.objects.get(username="annotator1"))
    login(page, "instructor")
    annotator1 = User.objects.get(username="annotator1")
    page.goto(f"/p/sco/review/?session={session.pk}&annotator={annotator1.pk}")
    expect(page.locator(".review-item.is-current")).to_have_count(1)  # review.js has run
    page.keyboard.press("a")
    expect(page.locator(".review-item.is-approved")).to_have_count(1)
    page.keyboard.press("r")
    page.keyboard.type("Tag the whole passage: the span leaves out why the SCO expands.")
    page.keyboard.press("Enter")
    expect(page.locator(".review-item.is-rejected")).to_have_count(1)
    page.wait_for_timeout(600)  # the move to the next item scrolls smoothly
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=out / "review.png")
    page.goto(f"/p/sco/compare/?session={session.pk}&source={source.pk}&show=disagreements")
    page.screenshot(path=out / "compare.png")
    page.goto("/p/sco/")
    page.locator(".agreement-chart").scroll_into_view_if_needed()
    page.screenshot(path=out / "agreement.png")
    names = ["session.png", "review.png", "compare.png", "agreement.png"]
    assert all((out / name).stat().st_size > 10_000 for name in names)
    assert page.problems == []


def first_items(session, count: int) -> list[Annotation]:
    """The queue's first items in its order: by source, passage, start, id."""
    return list(
        Annotation.objects.filter(session=session, status=AnnotationStatus.SUBMITTED).order_by(
            "passage__source_id", "passage__ordinal", F("start").asc(nulls_first=True), "id"
        )[:count]
    )


def test_the_instructor_reviews_from_the_keyboard_and_the_annotator_reads_the_decision(page, demo, login):
    session = run_session(demo)
    approved, rejected = first_items(session, 2)
    login(page, "instructor")
    page.goto(f"/p/sco/review/?session={session.pk}")
    first = page.locator(f"#review-annotation-{approved.pk}")
    expect(first).to_have_class(re.compile(r"\bis-current\b"))

    page.keyboard.press("a")
    expect(first.locator(".status")).to_have_text("Approved")
    expect(page.locator("#flash")).to_contain_text("Approved the annotation")
    second = page.locator(f"#review-annotation-{rejected.pk}")
    expect(second).to_have_class(re.compile(r"\bis-current\b"))  # moved on by itself

    page.keyboard.press("r")
    comment = second.get_by_label("Comment")
    expect(comment).to_be_focused()
    page.keyboard.press("Enter")  # no reason given: refused, and the item says why
    expect(second.locator(".field-error")).to_contain_text("Say why when rejecting")
    expect(second).to_be_focused()
    page.keyboard.press("r")  # reject again: the key opens the comment, it is not typed into it
    expect(second.get_by_label("Comment")).to_be_focused()
    expect(second.get_by_label("Comment")).to_have_value("")
    page.keyboard.type("The passage names expansion only in passing.")
    page.keyboard.press("Enter")
    expect(second.locator(".status")).to_have_text("Rejected")
    expect(page.locator(".review-item.is-current")).not_to_have_id(second.get_attribute("id"))

    page.keyboard.press("k")
    expect(second).to_have_class(re.compile(r"\bis-current\b"))
    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert (approved.status, rejected.status) == (AnnotationStatus.APPROVED, AnnotationStatus.REJECTED)
    review = Review.objects.get(annotation=rejected)
    assert (review.decision, review.comment) == ("reject", "The passage names expansion only in passing.")
    # The browser logs the refused rejection's 422 answer; nothing else went wrong.
    assert [p for p in page.problems if "status of 422" not in p] == []
    assert len(page.problems) == 1

    # The annotator opens the reader in the session and reads the decisions next to their tags.
    author = rejected.author.username
    page.problems.clear()
    page.context.clear_cookies()
    login(page, author)
    page.goto(
        f"/p/sco/sources/{rejected.passage.source_id}/?session={session.pk}#passage-{rejected.passage.ordinal}"
    )
    entry = page.locator(f"#annotation-{rejected.pk}")
    expect(entry.locator(".status")).to_have_text("Rejected")
    expect(entry.locator(".tag-review")).to_have_text(
        "instructor (rejected): The passage names expansion only in passing."
    )
    if approved.author.username == author:
        expect(page.locator(f"#annotation-{approved.pk} .status")).to_have_text("Approved")
    assert page.problems == []


def test_the_first_j_goes_to_the_first_item_and_the_next_j_to_the_second(page, demo, login):
    session = run_session(demo)
    first, second = first_items(session, 2)
    login(page, "instructor")
    page.goto(f"/p/sco/review/?session={session.pk}")
    expect(page.locator(f"#review-annotation-{first.pk}")).to_have_class(re.compile(r"\bis-current\b"))

    page.keyboard.press("j")
    expect(page.locator(f"#review-annotation-{first.pk}")).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator(f"#review-annotation-{second.pk}")).to_be_focused()
    page.keyboard.press("k")
    page.keyboard.press("a")
    expect(page.locator(f"#review-annotation-{first.pk} .status")).to_have_text("Approved")
    second.refresh_from_db()
    assert second.status == AnnotationStatus.SUBMITTED


def test_ticked_items_are_approved_in_bulk(page, demo, login):
    session = run_session(demo)
    one, two, three = first_items(session, 3)
    login(page, "instructor")
    page.goto(f"/p/sco/review/?session={session.pk}")
    expect(page.locator(f"#review-annotation-{one.pk}")).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("x")  # the first item is the current one
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.locator("input[name=items]:checked")).to_have_count(2)
    page.get_by_role("button", name="Approve selected").click()
    expect(page.locator("#flash")).to_contain_text("Approved 2 items.")
    expect(page.locator(f"#review-annotation-{one.pk}")).to_have_count(0)  # no longer waiting
    expect(page.locator(f"#review-annotation-{two.pk}")).to_be_visible()
    statuses = dict(Annotation.objects.filter(pk__in=[one.pk, two.pk, three.pk]).values_list("pk", "status"))
    assert statuses == {one.pk: "approved", two.pk: "submitted", three.pk: "approved"}
    assert Review.objects.filter(decision="approve").count() == 2
    assert page.problems == []


def test_two_annotators_in_a_blind_session_see_each_others_tags_only_after_both_submitted(page, demo, login):
    session = run_session(demo, submit=False)
    source = expansion_source(demo)
    theirs = Annotation.objects.filter(session=session, author__username="annotator1").first()
    mine = Annotation.objects.filter(session=session, author__username="annotator2").first()
    login(page, "annotator2")
    page.goto("/p/sco/sessions/")
    page.locator(".todo-card").get_by_role("link", name=source.title).click()
    expect(page.locator(".session-banner")).to_contain_text("Week 3: security and expansion")
    expect(page.locator(f"#annotation-{mine.pk}")).to_be_visible()
    expect(page.locator(f"#annotation-{theirs.pk}")).to_have_count(0)

    # Tagging here tags in the session.
    passage = source.passages.get(ordinal=2)
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))  # reader.js has run
    page.locator(f"#passage-{passage.ordinal} [data-text]").click(position={"x": 4, "y": 4})
    expect(page.locator(f"#passage-{passage.ordinal}")).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("m")
    expect(
        page.locator(f"#passage-{passage.ordinal} .tag.mine .chip", has_text="Multipolarity")
    ).to_be_visible()
    assert (
        Annotation.objects.get(
            passage=passage, author__username="annotator2", theme__slug="multipolarity"
        ).session
        == session
    )

    page.goto(f"/p/sco/sessions/{session.pk}/")
    page.get_by_role("button", name="Submit my work").click()  # the confirmation box is required
    expect(page.locator(".submitted-note")).to_have_count(0)
    page.get_by_label("I am done").check()
    page.get_by_role("button", name="Submit my work").click()
    expect(page.locator(".submitted-note")).to_contain_text("Submitted")
    expect(page.locator("#my-work")).to_contain_text("Submitted your work:")

    page.goto(f"/p/sco/sources/{source.pk}/?session={session.pk}")
    expect(page.locator(".readonly-note")).to_be_visible()
    expect(page.locator(f"#annotation-{theirs.pk}")).to_have_count(0)  # annotator1 has not submitted
    session_submit(session=session, user=User.objects.get(username="annotator1"))
    page.reload()
    expect(page.locator(f"#annotation-{theirs.pk}")).to_be_visible()
    expect(page.locator("#palette")).to_have_count(0)
    expect(page.locator(".readonly-note")).to_contain_text("You submitted your work in this session")
    assert page.problems == []


def test_the_instructor_accepts_one_version_of_a_disagreement_on_the_compare_page(page, demo, login):
    session = run_session(demo)
    source = expansion_source(demo)
    login(page, "instructor")
    page.goto(f"/p/sco/compare/?session={session.pk}&source={source.pk}&show=disagreements")
    disputed = page.locator(".cmp-tag.is-disputed").first
    annotation_id = int(disputed.get_attribute("id").rsplit("-", 1)[1])
    disputed.get_by_role("button", name="Accept").click()
    expect(page.locator(f"#cmp-annotation-{annotation_id} .accepted-note")).to_have_text(
        "In the reviewed layer"
    )
    assert Annotation.objects.get(pk=annotation_id).status == AnnotationStatus.APPROVED

    # Edit another tag in place: the editor replaces the tag, saving re-renders the row.
    other = page.locator(".cmp-tag:not(.is-editing)").filter(has_not_text="In the reviewed layer").first
    other_id = int(other.get_attribute("id").rsplit("-", 1)[1])
    other.get_by_role("link", name=re.compile("^Edit")).click()
    editor = page.locator(f"#cmp-annotation-{other_id}.is-editing")
    editor.get_by_label("Note").fill("Settled in class: the passage is about expansion.")
    editor.get_by_label("Accept it into the reviewed layer").check()
    editor.get_by_role("button", name="Save").click()
    expect(page.locator(f"#cmp-annotation-{other_id} .tag-note")).to_have_text(
        "Settled in class: the passage is about expansion."
    )
    edited = Annotation.objects.get(pk=other_id)
    assert (edited.note, edited.status) == ("Settled in class: the passage is about expansion.", "approved")
    assert page.problems == []
