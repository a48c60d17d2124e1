"""Password guessing is bounded: failures count per account and per client address, on the login page
and the token endpoint alike, and at the limit both refuse with 429 and Retry-After."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ..factories import PASSWORD
from .conftest import url

pytestmark = pytest.mark.django_db

LIMIT = 5  # LOGIN_FAILURE_LIMIT's default
COOLOFF = 15 * 60


def token(username: str, password: str, address: str = "10.0.0.1", **headers: str):
    return APIClient(REMOTE_ADDR=address).post(
        url("token"), {"username": username, "password": password}, headers=headers
    )


def log_in(username: str, password: str, address: str = "10.0.0.1", client: Client | None = None):
    return (client or Client(REMOTE_ADDR=address)).post(
        "/accounts/login/", {"login": username, "password": password}
    )


def assert_locked_out_json(response) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(COOLOFF)
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert response.json()["retry_after"] == COOLOFF


def test_spoofed_forwarded_for_headers_do_not_escape_the_limit(team):
    statuses = [
        token("owner", f"guess{n}", **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(60)
    ]
    assert statuses[: LIMIT - 1] == [400] * (LIMIT - 1)
    assert set(statuses[LIMIT - 1 :]) == {429}
    assert_locked_out_json(token("owner", PASSWORD, **{"X-Forwarded-For": "198.51.100.9"}))


def test_an_account_is_locked_whatever_address_the_guesses_come_from(team):
    for n in range(LIMIT):
        token("owner", f"guess{n}", address=f"10.0.1.{n}")
    assert_locked_out_json(token("owner", PASSWORD, address="10.0.2.1"))
    # The account is locked, not the new address: another account signs in from there.
    assert token("annotator", PASSWORD, address="10.0.2.1").status_code == 200


def test_an_address_is_locked_whatever_accounts_it_guesses(team):
    for n in range(LIMIT):
        token(f"nobody{n}", "guess", address="10.0.3.1")
    assert_locked_out_json(token("annotator", PASSWORD, address="10.0.3.1"))
    assert token("annotator", PASSWORD, address="10.0.3.2").status_code == 200


def test_the_username_and_the_email_address_count_as_one_account(team):
    team.owner.email = "owner@example.org"
    team.owner.save()
    for n in range(LIMIT):
        login = "OWNER@example.org" if n % 2 else "Owner"
        token(login, f"guess{n}", address=f"10.0.4.{n}")
    assert_locked_out_json(token("owner", PASSWORD, address="10.0.5.1"))


def test_the_login_page_locks_out_and_then_refuses_the_right_password(team):
    client = Client(REMOTE_ADDR="10.0.6.1")
    # allauth limits any address to 30 log-in posts a minute besides; this stays under that.
    statuses = [log_in("annotator", f"guess{n}", client=client).status_code for n in range(25)]
    assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1)  # the form again, with its error
    assert set(statuses[LIMIT - 1 :]) == {429}

    response = log_in("annotator", PASSWORD, client=client)
    assert response.status_code == 429
    assert response["Retry-After"] == str(COOLOFF)
    page = response.content.decode()
    assert "Too many failed sign-in attempts" in page and "15 minutes" in page
    assert '<link rel="stylesheet" href="/static/css/app.css">' in page  # in the site's layout
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still signed out


def test_the_login_page_and_the_token_endpoint_share_the_count(team):
    for n in range(3):
        log_in("annotator", f"guess{n}", address=f"10.0.7.{n}")
    for n in range(2):
        token("annotator", f"guess{n}", address=f"10.0.8.{n}")
    assert_locked_out_json(token("annotator", PASSWORD, address="10.0.9.1"))
    assert log_in("annotator", PASSWORD, address="10.0.9.2").status_code == 429


def test_behind_a_trusted_proxy_the_address_it_saw_counts(team, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.10.1"
    for n in range(LIMIT):
        # The client wrote the left entry itself; the proxy appended the address it saw.
        forwarded = {"X-Forwarded-For": f"192.0.2.{n}, 203.0.113.7"}
        token(f"nobody{n}", "guess", address=proxy, **forwarded)
    assert_locked_out_json(token("annotator", PASSWORD, address=proxy, **{"X-Forwarded-For": "203.0.113.7"}))
    other_client = {"X-Forwarded-For": "203.0.113.8"}
    assert token("annotator", PASSWORD, address=proxy, **other_client).status_code == 200


def test_a_right_password_in_between_does_not_reset_an_address_count(team):
    for n in range(LIMIT - 1):
        token(f"nobody{n}", "guess", address="10.0.11.1")
    assert token("annotator", PASSWORD, address="10.0.11.1").status_code == 200
    token("nobody", "guess", address="10.0.11.1")
    assert_locked_out_json(token("owner", PASSWORD, address="10.0.11.1"))


def test_after_the_cool_off_the_account_may_sign_in_again(team, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    for n in range(LIMIT):
        token("owner", f"guess{n}")
    assert token("owner", PASSWORD).status_code == 429
    time.sleep(1.2)
    assert token("owner", PASSWORD).status_code == 200
