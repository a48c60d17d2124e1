"""Signing in to the API: a token from username and password, or the browser session."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ..factories import PASSWORD
from .conftest import url

pytestmark = pytest.mark.django_db


def test_the_right_password_gives_a_token_that_signs_requests_in(team, api):
    response = api.post(url("token"), {"username": "annotator", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=team.annotator).key
    assert api.post(url("token"), {"username": "annotator", "password": PASSWORD}).json()["token"] == token

    signed_in = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert signed_in.get(url("project-detail", slug="class")).json()["my_role"] == "annotator"


def test_a_wrong_password_gives_no_token(team, api):
    response = api.post(url("token"), {"username": "annotator", "password": "guess"})
    assert response.status_code == 400
    assert "Unable to log in" in response.json()["non_field_errors"][0]
    assert not Token.objects.exists()


def test_password_guessing_is_throttled(team, api):
    statuses = [
        api.post(url("token"), {"username": "owner", "password": f"guess{n}"}).status_code for n in range(11)
    ]
    assert statuses == [400] * 10 + [429]
    refused = api.post(url("token"), {"username": "owner", "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"]


def test_an_anonymous_request_is_401_with_the_scheme_to_use(team, api):
    response = api.get(url("passage-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "credentials were not provided" in response.json()["detail"]


def test_an_unknown_token_is_401(team):
    response = APIClient(HTTP_AUTHORIZATION="Token not-a-real-token").get(url("passage-list"))
    assert response.status_code == 401


def test_a_browser_session_signs_in_too_and_writes_need_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="annotator", password=PASSWORD)
    assert client.get(url("passage-list")).status_code == 200
    body = {"passage": world.passages[2].pk, "theme": world.energy.pk}
    refused = client.post(url("annotation-list"), body)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
