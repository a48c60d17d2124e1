"""Every page, in a real browser: no console error or CSP violation while htmx swaps parts of it,
no serious accessibility violation (axe-core, low contrast included), refusals in the site's layout,
messages in the users' words, and URLs without CSRF tokens."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from sources.models import Annotation, Passage, Source

from .conftest import accessibility_violations, describe
from .test_review import run_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_harness_reports_a_csp_violation_as_a_console_error(page, demo, login):
    login(page, "annotator1")
    page.evaluate("() => document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(100)
    assert any("style-src" in problem for problem in page.problems), page.problems
    page.problems.clear()  # provoked on purpose; the hook would fail the test otherwise


def pages_of(project, session) -> dict[str, list[str]]:
    """Who opens which pages: every page of the site once, as someone allowed to see it."""
    source = Source.objects.filter(project=project).order_by("title").first()
    passage = Passage.objects.filter(source=source, kind="paragraph").order_by("ordinal").first()
    tag = Annotation.objects.filter(session=session, author__username="annotator1").first()
    base = f"/p/{project.slug}"
    return {
        "instructor": [
            "/",
            f"{base}/",
            f"{base}/sources/{source.pk}/",
            f"{base}/claims/",
            f"{base}/search/?q=energy",
            f"{base}/sessions/",
            f"{base}/sessions/new/",
            f"{base}/sessions/{session.pk}/",
            f"{base}/sessions/{session.pk}/edit/",
            f"{base}/review/?session={session.pk}",
            f"{base}/compare/?session={session.pk}",
            f"{base}/agreement/?session={session.pk}",
            f"{base}/sessions/{session.pk}/grades/",
            f"{base}/sessions/{session.pk}/feedback/?user={tag.author_id}",
            f"{base}/discussions/?passage={tag.passage_id}&theme={tag.theme_id}",
            f"{base}/history/",
            f"{base}/export/",
            f"{base}/passages/{passage.pk}/link/",
            f"{base}/no-such-page/",
        ],
        "annotator1": [
            f"{base}/sources/{source.pk}/?session={session.pk}",
            f"{base}/sessions/{session.pk}/feedback/",
            f"{base}/review/",
        ],
    }


def test_every_page_passes_the_accessibility_check(page, demo, login):
    session = run_session(demo)
    found = {}
    for username, urls in pages_of(demo, session).items():
        page.context.clear_cookies()
        login(page, username)
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            violations = accessibility_violations(page)
            if violations:
                found[f"{username} {url}"] = describe(violations)
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    if violations := accessibility_violations(page):
        found["login"] = describe(violations)
    assert found == {}, "\n\n".join(f"{where}\n{what}" for where, what in found.items())
    # The 404 and 403 answers are logged by the browser; nothing else is.
    assert all(re.search(r"status of 40[34]", p) for p in page.problems), page.problems
    page.problems.clear()


def test_the_download_url_carries_no_csrf_token_and_the_background_export_starts_in_place(page, demo, login):
    login(page, "annotator1")
    page.goto("/p/sco/export/")
    expect(page.locator(".crumbs")).to_contain_text("Export")
    expect(page.locator("#export-choices .export-fields .field")).to_have_count(6)
    page.get_by_label("Format").select_option("csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download now").click()
    assert "format=csv" in download.value.url
    assert "csrfmiddlewaretoken" not in download.value.url

    page.get_by_label("Theme").select_option(label="Energy")
    page.get_by_role("button", name="Prepare in the background").click()
    job = page.locator("#export-jobs li.export-job")
    expect(job).to_have_count(1)
    expect(job).to_contain_text("csv")
    expect(page.locator(".export-jobs-empty")).to_be_hidden()
    assert page.url.endswith("/p/sco/export/")  # swapped in place, not a new page


def test_refusals_and_messages_read_like_the_app(page, demo, login):
    login(page, "annotator1")
    page.goto("/p/sco/review/")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.locator(".refusal")).to_contain_text("Only the project's owners and instructors review.")
    page.get_by_role("link", name="Back to the project").click()
    expect(page).to_have_url(re.compile(r"/p/sco/$"))

    page.goto("/p/sco/sources/999999/")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_role("link", name="Your projects")).to_be_visible()

    index = page.request.get("/api/")
    assert index.json()["docs"].endswith("/api/docs/")
    assert "annotations" in index.json()["resources"]
    missing = page.goto("/api/annotations/abc/")
    assert (missing.status, missing.json()) == (404, {"detail": "Not found."})

    # A second tag of the same passage with the same theme: the message names the theme.
    source = Source.objects.filter(project=demo).order_by("title").first()
    page.goto(f"/p/sco/sources/{source.pk}/")
    page.keyboard.press("j")
    page.keyboard.press("e")
    expect(page.locator(".passage.is-current .tag.mine .chip")).to_have_text("Energy")
    page.keyboard.press("e")
    expect(page.locator("#flash")).to_contain_text("You already tagged this passage with Energy.")
    expect(page.locator("#flash")).not_to_contain_text("energy")  # the slug
    assert all(re.search(r"status of 40[349]", p) for p in page.problems), page.problems
    page.problems.clear()


def test_the_answer_key_picker_offers_only_members_who_tagged_in_the_session(page, demo, login):
    session = run_session(demo)
    login(page, "instructor")
    page.goto(f"/p/sco/sessions/{session.pk}/grades/")
    picker = page.locator("#answer-key select")
    taggers = dict(
        User.objects.filter(username__in=["annotator1", "annotator2"]).values_list("username", "pk")
    )
    offered = [o.get_attribute("value") for o in picker.locator("option:not([value=''])").all()]
    assert offered == [str(taggers["annotator1"]), str(taggers["annotator2"])]
    picker.select_option(str(taggers["annotator1"]))
    page.get_by_role("button", name="Save answer key").click()
    tags = Annotation.objects.filter(session=session, author__username="annotator1").count()
    expect(page.locator("#answer-key .key-current")).to_contain_text(
        f"(annotator1) · {tags} tags in this session"
    )
