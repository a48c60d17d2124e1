"""Real headless Chromium (Debian's package, never a downloaded browser) against the live server.

Skipped, with the reason, when no chromium binary is found; `.ci/run` installs one and exports
CHROMIUM_PATH."""

import os
import shutil
from pathlib import Path

import pytest

from sources.services.demo import demo_seed

from .reader_team import reader_team  # noqa: F401 (the reader tests' small project, a fixture)

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still plain synchronous calls, so Django's async-safety guard is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "sco-demo"


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if configured and Path(configured).is_file():
        return configured
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip(
            "No chromium found (set CHROMIUM_PATH or `apt-get install chromium`); browser tests skipped."
        )
    from django.urls import get_resolver
    from playwright.sync_api import sync_playwright

    # Import every view now (the agreement statistics pull in scikit-learn), not during the first
    # page load of a test, whose 10-second timeout a busy machine would otherwise exceed.
    assert get_resolver().url_patterns

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Problems(list):
    """Console errors (CSP violations among them) and dialogs seen by a page."""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = Problems()
    page.dialogs = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    return demo_seed().project


@pytest.fixture
def login():
    def log_in(page, username: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/")

    return log_in
