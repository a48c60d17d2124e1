"""Live pages with two browsers (docs/collaboration.md, "Live updates" and "Presence"): who else is
reading a source and at which passage; the session page, the dashboard and the review queue
following a colleague's tags, submission and decisions within two seconds, without a reload."""

import re

from playwright.sync_api import expect

from sources.models import Role
from sources.services.annotations import annotation_create

from ..factories import MembershipFactory, SessionFactory, UserFactory
from .reader_team import LIVE_MARKS, PIPELINES, Team, open_reader, select, sign_in, source_of

pytestmark = LIVE_MARKS
PARAGRAPHS = PIPELINES


def still_the_same_page(page) -> None:
    """Marks the page; `page.evaluate("window.notReloaded")` is None once it reloads."""
    page.evaluate("window.notReloaded = true")


def session_of(team: Team, source):
    session = SessionFactory(project=team.project, name="Week 1")
    session.sources.set([source])
    annotators = team.project.memberships.filter(role=Role.ANNOTATOR).values_list("user", flat=True)
    session.participants.set(annotators)
    return session


def tag_passage(page, ordinal: int) -> None:
    select(page, ordinal, "pipeline by pipeline")
    page.keyboard.press("e")
    expect(page.locator(f"#passage-{ordinal} mark.hl.mine")).to_have_count(1)


def test_the_presence_list_shows_who_else_reads_the_source_and_where(reader_team, page, colleague):
    source = source_of(reader_team, PARAGRAPHS)
    open_reader(colleague, source, "annotator2")
    presence = colleague.locator("#presence")
    expect(presence).to_contain_text("nobody else")
    still_the_same_page(colleague)

    open_reader(page, source, "annotator1")
    expect(presence.locator(".presence-person")).to_have_count(1, timeout=2000)
    expect(presence.locator(".presence-person")).to_contain_text("annotator1")
    expect(page.locator("#presence .presence-person")).to_contain_text("annotator2")

    page.locator("#passage-20 .passage-text").click()
    expect(presence.get_by_role("link", name="passage 20")).to_be_visible(timeout=2000)

    page.goto(f"/p/{source.project.slug}/")  # annotator1 leaves the source
    expect(presence.locator(".presence-person")).to_have_count(0, timeout=2000)
    assert colleague.evaluate("window.notReloaded") is True


def test_the_session_page_and_the_dashboard_count_a_colleagues_tags_as_they_are_made(
    reader_team, page, colleague
):
    source = source_of(reader_team, PARAGRAPHS[:4])
    session = session_of(reader_team, source)
    sign_in(colleague, "instructor")
    colleague.goto(f"/p/sco/sessions/{session.pk}/")
    row = colleague.locator(".progress-table tr", has_text="annotator1")
    expect(row).to_contain_text("0 / 4")
    still_the_same_page(colleague)

    open_reader(page, source, "annotator1", f"?session={session.pk}")
    tag_passage(page, 2)
    expect(row).to_contain_text("1 / 4", timeout=2000)  # the page's own poll is every 10 s

    colleague.goto("/p/sco/")
    card = colleague.locator(".source-card")
    expect(card.locator(".meta")).to_contain_text("1 tag")
    still_the_same_page(colleague)
    tag_passage(page, 3)
    expect(card.locator(".meta")).to_contain_text("2 tags", timeout=2000)
    expect(colleague.locator("#activity .activity-item")).to_have_count(2, timeout=2000)
    assert colleague.evaluate("window.notReloaded") is True


def test_the_review_queue_shows_submitted_work_and_another_reviewers_decision(reader_team, page, colleague):
    source = source_of(reader_team, PARAGRAPHS[:3])
    session = session_of(reader_team, source)
    annotator1 = reader_team.project.memberships.get(user__username="annotator1").user
    annotation_create(
        passage=source.passages.get(ordinal=1),
        theme=reader_team.themes["energy"],
        author=annotator1,
        session=session,
    )
    MembershipFactory(
        project=reader_team.project, user=UserFactory(username="reviewer2"), role=Role.INSTRUCTOR
    )
    sign_in(colleague, "instructor")
    colleague.goto("/p/sco/review/")
    expect(colleague.locator(".review-items .empty")).to_be_visible()
    still_the_same_page(colleague)

    sign_in(page, "annotator1")
    page.goto(f"/p/sco/sessions/{session.pk}/")
    page.get_by_label("I am done").check()
    page.get_by_role("button", name="Submit my work").click()
    expect(page.locator(".status-submitted")).to_be_visible()

    item = colleague.locator("[data-review-item]")
    expect(item).to_have_count(1, timeout=2000)
    expect(colleague.locator(".tabs .count").first).to_have_text("1")
    expect(colleague.locator(".review-items .empty")).to_have_count(0)
    colleague.locator("[data-comment]").fill("Half typed")

    page.context.clear_cookies()  # annotator1 leaves; another reviewer sits down
    sign_in(page, "reviewer2")
    page.goto("/p/sco/review/")
    page.get_by_role("button", name="a Approve").click()
    expect(page.locator("[data-review-item]")).to_have_class(re.compile("is-approved"))

    expect(item).to_have_class(re.compile("is-approved"), timeout=2000)
    expect(item.locator(".review-head .status")).to_have_text("Approved")
    expect(item).to_contain_text("Approved by another reviewer")
    expect(colleague.locator("[data-comment]")).to_have_value("Half typed")
    assert colleague.evaluate("window.notReloaded") is True
