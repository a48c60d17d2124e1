"""Real headless Chromium (Debian's package, never a downloaded browser) against the live server.

Skipped, with the reason, when no chromium binary is found (and the run's summary ends with a loud
line saying so); `.ci/run` installs one and exports CHROMIUM_PATH.

Every test using `page` fails when the page logged a console error or threw, which includes every
CSP violation. A test that provokes an error on purpose checks `page.problems` and clears it.
`accessible(page)` runs axe-core (vendored in vendor/, see its README) on the page as it is."""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.urls import get_resolver

from sources.services.demo import demo_seed

from ..conftest import NO_CHROMIUM
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


class InFlight:
    """The live server's requests in progress. A request starts and finishes on its own thread."""

    def __init__(self) -> None:
        self.open = 0
        self.lock = threading.Lock()

    def started(self, sender: object, **kwargs: object) -> None:
        with self.lock:
            self.open += 1

    def finished(self, sender: object, **kwargs: object) -> None:
        with self.lock:
            self.open -= 1


IN_FLIGHT = InFlight()
request_started.connect(IN_FLIGHT.started, dispatch_uid="browser-tests-in-flight-started")
request_finished.connect(IN_FLIGHT.finished, dispatch_uid="browser-tests-in-flight-finished")


def close_quietly(context) -> None:
    """Close a browser context so that nothing it sent is still at work once the test is over: a page's
    last request (the reader's presence `leave`, sent as it is hidden) would write, and an open event
    stream read, while the test database is being emptied. Requests on their way are waited for
    (event streams last two seconds here, `short_streams`)."""
    context.route("**/*", lambda route: route.abort())
    context.close()
    deadline = time.monotonic() + 10
    while IN_FLIGHT.open > 0 and time.monotonic() < deadline:
        time.sleep(0.05)


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
            f"{NO_CHROMIUM} (set CHROMIUM_PATH or `apt-get install chromium`); browser tests skipped."
        )
    from playwright.sync_api import sync_playwright

    # Import every view (the agreement statistics pull in scikit-learn: seconds on a busy machine)
    # here, not inside the first page load, which has only the page timeout to finish.
    assert get_resolver().url_patterns

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Problems(list):
    """Console errors (CSP violations among them) and dialogs seen by a page."""


# Chromium logs CSP violations to the console already; the event adds the directive and the blocked
# sample, which makes a failure say what to fix.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  console.error(`CSP violation: ${event.violatedDirective} blocked ${blocked} ${event.sample}`);
});
"""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Fail a browser test whose page logged a console error, even if the test never looked."""
    result = yield
    page = item.funcargs.get("page")
    if page is None:
        return result
    page.wait_for_timeout(50)  # let console events the browser already queued arrive
    if page.problems:
        pytest.fail("The page logged console errors:\n" + "\n".join(page.problems), pytrace=False)
    return result


def browser_page(browser, live_server):
    """A page in a context of its own (a person at their own machine) that records console errors,
    CSP violations among them, in `page.problems`."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    # A page load waits for the live server, which a busy machine (the suite runs on every core) slows.
    page.set_default_navigation_timeout(30_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page.problems = Problems()
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


@pytest.fixture
def page(browser, live_server):
    page = browser_page(browser, live_server)
    page.dialogs = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    close_quietly(page.context)


@pytest.fixture
def colleague(browser, live_server):
    """A second person at another machine, beside `page`; fails the test on its console errors."""
    other = browser_page(browser, live_server)
    yield other
    problems = list(other.problems)
    close_quietly(other.context)
    assert problems == [], problems


@pytest.fixture(autouse=True)
def short_streams(settings):
    """Event streams of two seconds: each reconnect resumes from the last id, as after a dropped
    network, and no stream outlives its test by long."""
    settings.EVENT_STREAM_SECONDS = 2


@pytest.fixture
def demo(transactional_db):
    return demo_seed().project


@pytest.fixture
def login():
    def log_in(page, username: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_login", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/")

    return log_in


AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# WCAG 2.1 A and AA, which include 4.5:1 contrast for text (rule color-contrast, impact serious).
AXE_RUN = """async () => {
  const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
  }));
}"""


def accessibility_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now.

    The script is evaluated through the DevTools protocol, which the page's CSP does not govern, so
    the check runs under the same policy the users get."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations
    )


@pytest.fixture
def accessible():
    """accessible(page): assert axe-core finds no serious or critical violation on the page."""

    def check(page) -> None:
        violations = accessibility_violations(page)
        assert violations == [], describe(violations)

    return check
