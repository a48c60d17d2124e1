"""Refusals read like the app: a 403 or 404 page in the site's layout with the reason the code gave
and a way back, logged in one line without a traceback."""

import logging

import pytest

pytestmark = pytest.mark.django_db


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def request_log():
    logger = logging.getLogger("django.request")
    handler = Records()
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


def test_a_refusal_is_a_page_in_the_layout_with_the_reason_and_a_way_back(team, client_as):
    response = client_as(team.annotator).get("/p/class/review/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="topbar"' in html and "Log out" in html
    assert "Only the project&#x27;s owners and instructors review." in html
    assert 'href="/p/class/"' in html and "Back to the project" in html


def test_a_missing_page_names_what_is_missing_and_offers_the_projects(team, client_as):
    response = client_as(team.annotator).get("/p/class/sessions/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="topbar"' in html and "Your projects" in html
    unknown = client_as(team.annotator).get("/no/such/page/").content.decode()
    assert (
        "Not found" in unknown
        and "Resolver404" not in unknown
        and "There is nothing at this address" in unknown
    )


def test_a_refusal_is_logged_once_in_one_line(team, client_as, request_log):
    client_as(team.annotator).get("/p/class/review/")
    [record] = request_log
    assert record.getMessage() == "Forbidden (Permission denied): /p/class/review/"
    assert record.exc_info is None
    # Not handed on to the root logger or Django's own console handler, which would print it again.
    assert logging.getLogger("django.request").propagate is False
