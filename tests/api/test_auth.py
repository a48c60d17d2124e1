"""Signing in to the API: a token per sign-in, stored as a hash, that expires and can be revoked."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from ..factories import PASSWORD
from .conftest import url

pytestmark = pytest.mark.django_db


def sign_in(api: APIClient, username: str = "annotator", password: str = PASSWORD) -> str:
    response = api.post(url("token"), {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def signed_in(token: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}")


def works(token: str) -> bool:
    status = signed_in(token).get(url("project-detail", slug="class")).status_code
    assert status in {200, 401}
    return status == 200


def test_the_right_password_gives_a_token_that_signs_requests_in(team, api):
    response = api.post(url("token"), {"username": "annotator", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert signed_in(token).get(url("project-detail", slug="class")).json()["my_role"] == "annotator"


def test_the_token_expires_after_the_configured_lifetime(team, api, settings):
    before = timezone.now()
    expiry = parse_datetime(
        api.post(url("token"), {"username": "owner", "password": PASSWORD}).json()["expiry"]
    )
    assert timedelta(days=30) - timedelta(minutes=1) < expiry - before < timedelta(days=30, minutes=1)

    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(days=2)}
    expiry = parse_datetime(
        api.post(url("token"), {"username": "owner", "password": PASSWORD}).json()["expiry"]
    )
    assert expiry - before < timedelta(days=2, minutes=1)


def test_an_expired_token_is_refused(team, api):
    token = sign_in(api)
    AuthToken.objects.filter(user=team.annotator).update(expiry=timezone.now() - timedelta(seconds=1))
    response = signed_in(token).get(url("passage-list"))
    assert response.status_code == 401
    assert not AuthToken.objects.filter(user=team.annotator).exists()


def test_every_sign_in_gets_its_own_token(team, api):
    laptop, notebook = sign_in(api), sign_in(api)
    assert laptop != notebook
    assert works(laptop) and works(notebook)


def test_the_database_holds_only_a_hash_of_the_token(team, api):
    token = sign_in(api)
    row = AuthToken.objects.get(user=team.annotator)
    assert row.digest != token and len(row.digest) == 128
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")
        stored = " ".join(str(value) for record in cursor.fetchall() for value in record)
    # Only the first 15 characters are kept in clear, to find the row; they cannot sign anything in.
    assert token not in stored
    assert token[15:] not in stored
    assert not works(token[:15])


def test_logout_revokes_the_token_used_and_no_other(team, api):
    laptop, notebook = sign_in(api), sign_in(api)
    assert signed_in(laptop).post(url("logout")).status_code == 204
    assert not works(laptop)
    assert works(notebook)


def test_logout_needs_a_token(team, api_as):
    response = api_as(team.annotator).post(url("logout"))
    assert response.status_code == 401


def test_logoutall_revokes_every_token_of_the_user_only(team, api):
    laptop, notebook = sign_in(api), sign_in(api)
    someone_else = sign_in(api, "owner")
    assert signed_in(laptop).post(url("logoutall")).status_code == 204
    assert not works(laptop) and not works(notebook)
    assert works(someone_else)


def test_a_browser_session_can_revoke_every_token(team, api):
    token = sign_in(api)
    browser = APIClient()
    assert browser.login(username="annotator", password=PASSWORD)
    assert browser.post(url("logoutall")).status_code == 204
    assert not works(token)


@pytest.mark.parametrize("how", ["set_password", "changepassword"])
def test_a_new_password_revokes_every_token(team, api, how, monkeypatch):
    tokens = [sign_in(api), sign_in(api)]
    other = sign_in(api, "owner")
    if how == "set_password":  # the admin's password form does exactly this
        user = get_user_model().objects.get(username="annotator")
        user.set_password("a-new-password-42")
        user.save()
    else:
        monkeypatch.setattr("getpass.getpass", lambda prompt="": "a-new-password-42")
        call_command("changepassword", "annotator")
    assert not any(works(token) for token in tokens)
    assert works(other)
    assert works(sign_in(api, password="a-new-password-42"))


def test_saving_a_user_without_a_new_password_keeps_the_tokens(team, api):
    token = sign_in(api)
    user = get_user_model().objects.get(username="annotator")
    user.first_name = "Aigerim"
    user.save()
    assert works(token)


def test_a_wrong_password_gives_no_token(team, api):
    response = api.post(url("token"), {"username": "annotator", "password": "guess"})
    assert response.status_code == 400
    assert "Unable to log in" in response.json()["non_field_errors"][0]
    assert not AuthToken.objects.exists()


def test_the_email_address_signs_in_as_the_username_does(team, api):
    team.annotator.email = "aigerim@example.org"
    team.annotator.save()
    assert works(sign_in(api, "Aigerim@Example.org"))


def test_missing_credentials_are_named(team, api):
    response = api.post(url("token"), {"username": "annotator"})
    assert response.status_code == 400
    assert response.json()["password"] == ["This field is required."]


def test_an_anonymous_request_is_401_with_the_scheme_to_use(team, api):
    response = api.get(url("passage-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "credentials were not provided" in response.json()["detail"]


def test_an_unknown_token_is_401(team):
    response = APIClient(HTTP_AUTHORIZATION="Token not-a-real-token").get(url("passage-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_browser_session_signs_in_too_and_writes_need_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="annotator", password=PASSWORD)
    assert client.get(url("passage-list")).status_code == 200
    body = {"passage": world.passages[2].pk, "theme": world.energy.pk}
    refused = client.post(url("annotation-list"), body)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
