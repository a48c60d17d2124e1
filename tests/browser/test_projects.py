"""Projects in a real browser: creating one from the home page, its time zone on the session pages,
a join link opened by another signed-in person, and deleting a project with its progress shown."""

import re

import pytest
from playwright.sync_api import expect

from sources.models import Membership, Project, ProjectDeletion, Session
from sources.services.project_deletion import project_deletion_run
from sources.services.projects import project_create

from ..factories import AnnotationFactory, SourceFactory, ThemeFactory, UserFactory
from .conftest import PASSWORD, close_quietly


@pytest.fixture(autouse=True)
def patient(request) -> None:
    """The first page of a test run waits on a cold live server; on a loaded machine that is slow."""
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_navigation_timeout(30_000)


def person(username: str):
    return UserFactory(username=username, password=PASSWORD)


def test_a_new_user_creates_a_project_from_the_home_page(page, transactional_db, login):
    person("teacher")
    login(page, "teacher")
    expect(page.get_by_text("open the invitation link your instructor sent")).to_be_visible()
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill("Almaty Spring Seminar")
    expect(page.get_by_label("Slug")).to_have_value("almaty-spring-seminar")
    page.get_by_label("Slug").fill("almaty-2027")
    page.get_by_label("Description").fill("Readings on the SCO.")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url("**/p/almaty-2027/")
    expect(page.get_by_role("heading", name="Almaty Spring Seminar")).to_be_visible()
    assert Membership.objects.get(project__slug="almaty-2027").role == "owner"
    assert page.problems == []


def test_a_name_typed_before_the_page_script_ran_still_proposes_the_slug(
    page, live_server, transactional_db, login
):
    """On a slow connection the form is usable before its script has run: the name typed meanwhile
    still gives the slug."""
    person("teacher")
    login(page, "teacher")
    held = []
    # The script waits until the name is typed.
    page.route("**/project-form*.js", lambda route: held.append(route))
    page.goto(f"{live_server.url}/p/new/", wait_until="commit")
    page.get_by_label("Name").fill("Almaty Spring Seminar")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page did not ask for its script"
    expect(page.get_by_label("Slug")).to_have_value("")
    held[0].continue_()
    expect(page.get_by_label("Slug")).to_have_value("almaty-spring-seminar")
    assert page.problems == []


def test_session_times_follow_the_project_time_zone_with_the_viewers_beside(
    browser, live_server, demo, login
):
    context = browser.new_context(base_url=live_server.url, timezone_id="Europe/Berlin")
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    login(page, "instructor")
    page.goto("/p/sco/settings/")
    page.get_by_label("Time zone").select_option("Asia/Almaty")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    session = Session.objects.get(project=demo)
    page.goto(f"/p/sco/sessions/{session.pk}/")
    closed = session.closes_at.astimezone(Project.objects.get(pk=demo.pk).zone)
    expect(page.locator(".session-state")).to_contain_text(closed.strftime("%Y-%m-%d %H:%M +05"))
    expect(page.locator(".session-state .local-time").first).to_contain_text(re.compile(r"CES?T your time"))
    close_quietly(context)
    assert problems == []


def test_a_join_link_brings_another_signed_in_user_in_as_annotator(browser, live_server, page, demo, login):
    login(page, "instructor")
    page.goto("/p/sco/members/")
    page.get_by_label("Role", exact=True).select_option("annotator")
    page.get_by_role("button", name="Create join link").click()
    link = page.locator("input.join-link").first.input_value()
    assert "/join/" in link

    person("student")
    other = browser.new_context(base_url=live_server.url).new_page()
    login(other, "student")
    other.goto(link)
    other.wait_for_url("**/p/sco/")
    expect(other.get_by_text("you joined as annotator")).to_be_visible()
    assert Membership.objects.get(project=demo, user__username="student").role == "annotator"
    page.reload()
    expect(page.locator("table.members-table")).to_contain_text("student")
    close_quietly(other.context)
    assert page.problems == []


def test_deleting_a_project_shows_its_progress_until_it_is_gone(page, transactional_db, login):
    owner = person("teacher")
    project = project_create(owner=owner, slug="old-class", name="Old class")
    source = SourceFactory(project=project, paragraphs=["One.", "Two.", "Three."])
    theme = ThemeFactory(project=project)
    for passage in source.passages.all():
        AnnotationFactory(passage=passage, theme=theme, author=owner)
    login(page, "teacher")
    page.goto("/p/old-class/settings/")
    page.get_by_label("Type the project's slug to confirm").fill("old-class")
    page.get_by_role("button", name="Delete this project").click()
    page.wait_for_url("**/deletions/*/")
    expect(page.locator(".deletion-state")).to_contain_text("Queued · 0 / 6 rows")
    expect(page.get_by_text("Waiting for the task worker")).to_be_visible()
    project_deletion_run(job_id=ProjectDeletion.objects.get().pk)  # what the worker does
    expect(page.get_by_text("is deleted")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "100")
    assert not Project.objects.filter(slug="old-class").exists()
    assert page.problems == []
