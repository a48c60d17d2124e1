"""Live reading with two browsers: annotator2 sees annotator1's new tag appear without a reload and
without the page moving under them, except a tag in a blind session (docs/collaboration.md)."""

from playwright.sync_api import expect

from sources.models import Annotation, Role
from sources.services.annotations import annotation_create

from ..factories import SessionFactory
from .reader_team import LIVE_MARKS, PIPELINES, open_reader, select, source_of

pytestmark = LIVE_MARKS
PARAGRAPHS = PIPELINES


def top_of(page, ordinal: int) -> float:
    return page.evaluate(f"document.getElementById('passage-{ordinal}').getBoundingClientRect().top")


def test_a_colleagues_tag_appears_without_a_reload_and_the_page_stays_put(page, colleague, reader_team):
    source = source_of(reader_team, PARAGRAPHS)
    open_reader(page, source, "annotator1")
    open_reader(colleague, source, "annotator2")
    colleague.evaluate("document.getElementById('passage-20').scrollIntoView({block: 'start'})")
    colleague.wait_for_timeout(300)
    top = top_of(colleague, 20)
    marker = colleague.evaluate("window.notReloaded = true")  # gone if the page reloads
    assert marker is True

    for ordinal in (5, 20):  # one above what the colleague reads, one in view
        page.evaluate(f"document.getElementById('passage-{ordinal}').scrollIntoView()")
        select(page, ordinal, "pipeline by pipeline")
        page.keyboard.press("e")
        expect(page.locator(f"#passage-{ordinal} mark.hl.mine")).to_have_count(1)

    expect(colleague.locator("#passage-20 mark.hl")).to_have_count(1, timeout=2000)
    expect(colleague.locator("#passage-5 mark.hl")).to_have_count(1, timeout=2000)
    expect(colleague.locator("#passage-20 .tag")).to_contain_text("Energy")
    assert colleague.evaluate("window.notReloaded") is True
    assert abs(top_of(colleague, 20) - top) <= 2, "the passage in view moved"

    page.locator("#passage-20 .tag").first.get_by_role("button", name="Delete").click()
    expect(colleague.locator("#passage-20 mark.hl")).to_have_count(0, timeout=2000)


def test_a_tag_in_a_blind_session_does_not_reach_a_colleague(page, colleague, reader_team):
    source = source_of(reader_team, PARAGRAPHS[:3])
    session = SessionFactory(project=reader_team.project, name="Blind reading", blind=True)
    session.sources.set([source])
    annotators = reader_team.project.memberships.filter(role=Role.ANNOTATOR).values_list("user", flat=True)
    session.participants.set(annotators)
    open_reader(page, source, "annotator1", f"?session={session.pk}")
    open_reader(colleague, source, "annotator2")

    select(page, 0, "pipeline by pipeline")
    page.keyboard.press("e")
    expect(page.locator("#passage-0 mark.hl.mine")).to_have_count(1)
    # Then a tag outside the session, which the colleague may see: once it is in, the blind one
    # (written before it, on the same stream) has had its chance to arrive.
    annotation_create(
        passage=source.passages.get(ordinal=1),
        theme=reader_team.themes["energy"],
        author=Annotation.objects.get().author,
    )
    expect(colleague.locator("#passage-1 .tag")).to_have_count(1, timeout=2000)
    expect(colleague.locator("#passage-0 mark.hl")).to_have_count(0)
    expect(colleague.locator("#passage-0 .tag")).to_have_count(0)


def test_a_mention_reaches_the_bell_of_the_person_named(page, colleague, reader_team):
    source = source_of(reader_team, PARAGRAPHS[:2])
    open_reader(colleague, source, "annotator2")
    bell = colleague.locator(".bell")
    expect(bell.locator(".bell-count")).to_be_hidden()
    colleague.evaluate("window.notReloaded = true")

    open_reader(page, source, "annotator1")
    passage = page.locator("#passage-1")
    passage.get_by_text("Comment", exact=True).click()
    passage.get_by_label("Comment on passage 1").fill("Is this energy, @annotator2?")
    passage.get_by_role("button", name="Post").click()
    expect(page.locator("#passage-1 .comment-text")).to_have_text("Is this energy, @annotator2?")

    expect(bell.locator(".bell-count")).to_have_text("1", timeout=3000)
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")
    expect(colleague.locator("#passage-1 .comment-text")).to_have_text("Is this energy, @annotator2?")
    assert colleague.evaluate("window.notReloaded") is True
    bell.click()
    expect(
        colleague.get_by_role("link", name="annotator1 mentioned you: Is this energy, @annotator2?")
    ).to_be_visible()
