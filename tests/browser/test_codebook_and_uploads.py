"""Adding sources and defining the codebook in a real browser, then the codebook's rules in the
reader. Every test also fails on a console error, which includes any CSP violation."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from sources.models import Membership, Project, Role, Source, Theme, ThemeAnchor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
FILES = sorted(CORPUS.glob("*.txt"))

# Drops files on the drop zone as a drag from the desktop would: a DataTransfer holding File objects.
DROP = """([names, texts]) => {
  const transfer = new DataTransfer();
  names.forEach((name, i) => transfer.items.add(new File([texts[i]], name, { type: "text/plain" })));
  const zone = document.querySelector("[data-drop-zone]");
  zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
}"""


@pytest.fixture
def empty_project(demo) -> Project:
    project = Project.objects.create(slug="class", name="Spring class")
    Membership.objects.create(project=project, user=User.objects.get(username="instructor"), role=Role.OWNER)
    return project


@pytest.fixture(autouse=True)
def media(settings, tmp_path, page) -> None:
    settings.MEDIA_ROOT = tmp_path
    # Ingesting two articles on a busy machine can take longer than a click usually does.
    page.set_default_timeout(30_000)


def preview_and_import(page) -> None:
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".upload-preview")).to_have_count(2)
    expect(page.locator(".upload-preview").first).to_contain_text("Segmentation")
    expect(page.locator(".preview-passage.kind-heading").first).to_be_visible()
    page.get_by_role("button", name="Import 2 files").click()
    expect(page.locator(".upload-result.status-done")).to_have_count(2)
    page.goto("/p/class/")
    expect(page.locator(".source-card")).to_have_count(2)


def test_both_corpus_files_are_uploaded_at_once_through_the_file_input(page, empty_project, login):
    login(page, "instructor")
    page.goto("/p/class/sources/new/")
    page.get_by_label("Files").set_input_files([str(path) for path in FILES])
    expect(page.locator("[data-drop-list] li")).to_have_count(2)
    preview_and_import(page)
    titles = set(Source.objects.filter(project=empty_project).values_list("title", flat=True))
    assert len(titles) == 2
    assert page.problems == []


def test_both_corpus_files_are_dropped_on_the_drop_zone(page, empty_project, login):
    login(page, "instructor")
    page.goto("/p/class/sources/new/")
    page.wait_for_function("document.querySelector('[data-drop-zone]') !== null")
    page.evaluate(DROP, [[p.name for p in FILES], [p.read_text(encoding="utf-8") for p in FILES]])
    expect(page.locator("[data-drop-list] li")).to_have_count(2)
    preview_and_import(page)
    assert Source.objects.filter(project=empty_project).count() == 2
    assert page.problems == []


def test_a_nested_theme_and_a_theme_with_a_rule_and_an_anchor_reach_the_reader(page, demo, login):
    login(page, "instructor")
    page.goto("/p/sco/codebook/")
    page.get_by_label("Name").fill("Border security")
    page.get_by_label("Parent").select_option(label="Three evils")
    page.get_by_label("Colour").fill("#6b46c1")
    page.get_by_role("button", name="Add theme").click()
    expect(page.locator(".codebook-theme.depth-1", has_text="Border security")).to_be_visible()

    page.get_by_label("Name").fill("Energy transit")
    page.get_by_label("Colour").fill("#2b6cb0")
    page.get_by_label("Shortcut").fill("g")
    page.get_by_label("Include when").fill("Oil and gas crossing Central Asia by pipeline.")
    page.get_by_label("Exclude when").fill("Energy produced and used at home.")
    page.get_by_role("button", name="Add theme").click()
    expect(page.locator(".codebook-theme", has_text="Energy transit")).to_contain_text("Oil and gas crossing")

    page.get_by_role("link", name="Edit Energy transit").click()
    page.get_by_label("Search passages").fill("pipelines")
    page.get_by_role("button", name="Search").click()
    candidate = page.locator(".anchor-candidate").first
    expect(candidate).to_contain_text("pipelines")
    candidate.get_by_label("Only these words (optional)").fill("pipelines")
    candidate.get_by_role("button", name="Add as anchor").click()
    expect(page.locator(".anchor-list mark")).to_have_text("pipelines")
    theme = Theme.objects.get(project=demo, name="Energy transit")
    assert ThemeAnchor.objects.get(theme=theme).quote == "pipelines"
    assert Theme.objects.get(project=demo, name="Border security").parent.slug == "three-evils"
    assert page.problems == []

    page.context.clear_cookies()
    login(page, "annotator1")
    source = Source.objects.get(project=demo, title__startswith="Chinese Foreign Policy")
    page.goto(f"/p/sco/sources/{source.pk}/")
    help_button = page.get_by_title("Coding rules of Energy transit")
    help_button.click()
    dialog = page.locator("#coding-rules")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Oil and gas crossing Central Asia by pipeline.")
    expect(dialog).to_contain_text("Energy produced and used at home.")
    expect(dialog.locator("mark")).to_have_text("pipelines")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.get_by_role("button", name="g Energy transit").click()  # the theme used last
    page.keyboard.press("i")
    expect(dialog).to_be_visible()
    expect(page.locator("#coding-rules-title")).to_have_text("Coding rules: Energy transit")
    expect(dialog).to_contain_text("Oil and gas crossing")
    page.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    assert page.problems == []
