"""A class starts on its own, on an empty database, in a real browser: an instructor signs up,
creates a project, uploads both articles at once, writes a small codebook (one nested theme, one
with a rule and an anchor example) and shares a join link; a student signs up through it, lands in
the project as annotator, reads the theme's rule in the reader and tags a span; the instructor
sees the tag on the dashboard. It also renders the README's screenshots of the new pages; set
SCREENSHOT_DIR=docs/screenshots to refresh them."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sources.models import Annotation, Membership, Passage, Role, Source, ThemeAnchor

from .conftest import close_quietly
from .reader_team import SELECT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
FILES = sorted(CORPUS.glob("*.txt"))
PASSWORD = "a-long-passphrase-42"


def sign_up(page, name: str, username: str) -> None:
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Sign Up").click()


def add_theme(page, name: str, colour: str, shortcut: str, **fields: str) -> None:
    page.get_by_label("Name").fill(name)
    page.get_by_label("Colour").fill(colour)
    page.get_by_label("Shortcut").fill(shortcut)
    for label, value in fields.items():
        if label == "Parent":
            page.get_by_label("Parent").select_option(label=value)
        else:
            page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Add theme").click()
    expect(page.locator(".codebook-theme", has_text=name)).to_be_visible()


def test_an_instructor_and_a_student_go_from_sign_up_to_a_tag_seen_on_the_dashboard(
    browser, live_server, page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.ACCOUNT_SIGNUP_OPEN = True
    shots = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.set_default_timeout(30_000)  # ingesting two articles on a busy machine

    # The instructor signs up and creates a project.
    page.goto("/accounts/signup/")
    sign_up(page, "Dana Instructor", "dana")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("open the invitation link your instructor sent")).to_be_visible()
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill("SCO seminar")
    expect(page.get_by_label("Slug")).to_have_value("sco-seminar")
    page.get_by_label("Description").fill("Two articles on the Shanghai Cooperation Organization.")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="SCO seminar")).to_be_visible()

    # Both articles at once.
    page.goto("/p/sco-seminar/sources/new/")
    page.get_by_label("Files").set_input_files([str(path) for path in FILES])
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".upload-preview")).to_have_count(2)
    page.screenshot(path=str(shots / "upload.png"))
    page.get_by_role("button", name="Import 2 files").click()
    expect(page.locator(".upload-result.status-done")).to_have_count(2)
    assert Source.objects.filter(project__slug="sco-seminar").count() == 2

    # A codebook: a nested theme, and one with a rule and an anchor example.
    page.goto("/p/sco-seminar/codebook/")
    add_theme(page, "Three evils", "#c53030", "t")
    add_theme(page, "Separatism", "#b7791f", "s", Parent="Three evils")
    add_theme(
        page,
        "Energy",
        "#2f855a",
        "e",
        **{
            "Include when": "Oil and gas carried across Central Asia.",
            "Exclude when": "Domestic energy use.",
        },
    )
    expect(page.locator(".codebook-theme.depth-1", has_text="Separatism")).to_be_visible()
    page.get_by_role("link", name="Edit Energy").click()
    page.get_by_label("Search passages").fill("pipelines")
    page.get_by_role("button", name="Search").click()
    candidate = page.locator(".anchor-candidate").first
    candidate.get_by_label("Only these words (optional)").fill("pipelines")
    candidate.get_by_role("button", name="Add as anchor").click()
    expect(page.locator(".anchor-list mark")).to_have_text("pipelines")
    assert ThemeAnchor.objects.get(theme__name="Energy").quote == "pipelines"
    page.goto("/p/sco-seminar/codebook/")
    page.screenshot(path=str(shots / "codebook.png"))

    # A join link for annotators, copied from the members page.
    page.goto("/p/sco-seminar/members/")
    page.get_by_label("Role", exact=True).select_option("annotator")
    page.get_by_role("button", name="Create join link").click()
    link = page.locator("input.join-link").first.input_value()
    assert "/join/" in link
    page.screenshot(path=str(shots / "members.png"))

    # A student without an account opens it, signs up (sign-up is closed to anyone else) and lands
    # in the project as annotator.
    settings.ACCOUNT_SIGNUP_OPEN = False
    student_context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    student = student_context.new_page()
    student.set_default_timeout(30_000)
    problems: list[str] = []
    student.on("console", lambda message: message.type == "error" and problems.append(message.text))
    student.goto(link)
    student.wait_for_url("**/accounts/signup/**")
    sign_up(student, "Aigerim Sadykova", "aigerim")
    student.wait_for_url("**/p/sco-seminar/")
    expect(student.get_by_text("you joined as annotator")).to_be_visible()
    assert (
        Membership.objects.get(project__slug="sco-seminar", user__username="aigerim").role == Role.ANNOTATOR
    )

    # The student opens a source, reads the theme's rule and tags a span with its key.
    passage = Passage.objects.filter(source__project__slug="sco-seminar", text__contains="pipelines").first()
    student.goto(f"/p/sco-seminar/sources/{passage.source_id}/#passage-{passage.ordinal}")
    student.wait_for_selector("html.js")
    student.get_by_title("Coding rules of Energy").click()
    rules = student.locator("#coding-rules")
    expect(rules).to_contain_text("Oil and gas carried across Central Asia.")
    expect(rules.locator("mark")).to_have_text("pipelines")
    student.keyboard.press("Escape")
    expect(rules).to_be_hidden()
    student.locator(f"#passage-{passage.ordinal} [data-text]").scroll_into_view_if_needed()
    student.evaluate(SELECT, [passage.ordinal, "transport pipelines"])
    student.keyboard.press("e")
    expect(student.locator(f"#passage-{passage.ordinal} .tag.mine .chip")).to_have_text("Energy")
    tag = Annotation.objects.get(author__username="aigerim")
    assert (tag.theme.name, tag.quote) == ("Energy", "transport pipelines")
    close_quietly(student_context)
    assert problems == []

    # The instructor sees it on the dashboard, by the student's name.
    page.goto("/p/sco-seminar/")
    activity = page.locator("#activity")
    expect(activity).to_contain_text("Aigerim Sadykova")
    expect(activity).to_contain_text("transport pipelines")
