"""Account pages (django-allauth): sign up open or by invitation only, log in by username or e-mail,
change and reset the password by e-mail; a new password signs the API tokens out."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from sources.services.tokens import token_issue

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-long-passphrase-7"
SIGN_UP = {
    "name": "  Aigerim   Sadykova ",
    "username": "aigerim",
    "email": "aigerim@example.org",
    "password1": "a-long-passphrase-42",
    "password2": "a-long-passphrase-42",
}


@pytest.fixture
def signup_open(settings):
    settings.ACCOUNT_SIGNUP_OPEN = True


@pytest.fixture
def invitation_only(settings):
    settings.ACCOUNT_SIGNUP_OPEN = False


def test_open_sign_up_asks_a_name_creates_the_account_and_signs_in(client, signup_open):
    page = client.get("/accounts/signup/").content.decode()
    assert '<label for="id_name">Name</label>' in page
    assert '<link rel="stylesheet" href="/static/css/app.css">' in page

    response = client.post("/accounts/signup/", SIGN_UP)
    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(username="aigerim")
    assert user.get_full_name() == "Aigerim Sadykova"
    assert user.email == "aigerim@example.org"
    home = client.get("/").content.decode()
    assert "Aigerim Sadykova" in home and "Log out" in home


def test_sign_up_without_a_name_is_refused_naming_the_field(client, signup_open):
    page = client.post("/accounts/signup/", {**SIGN_UP, "name": "   "}).content.decode()
    assert "This field is required." in page or "Give the name" in page
    assert not get_user_model().objects.filter(username="aigerim").exists()


def test_invitation_only_sign_up_is_closed_to_strangers(client, invitation_only):
    assert "Sign Up Closed" in client.get("/accounts/signup/").content.decode()
    client.post("/accounts/signup/", SIGN_UP)
    assert not get_user_model().objects.filter(username="aigerim").exists()
    assert "Create an account" not in client.get("/accounts/login/").content.decode()


def test_an_invitation_in_the_session_opens_sign_up_and_returns_to_the_join_page(client, invitation_only):
    session = client.session
    session["invitation_token"] = "class-code-123"
    session.save()
    assert '<label for="id_name">Name</label>' in client.get("/accounts/signup/").content.decode()
    response = client.post("/accounts/signup/?next=/join/class-code-123/", SIGN_UP)
    assert response.status_code == 302 and response["Location"] == "/join/class-code-123/"
    assert get_user_model().objects.filter(username="aigerim").exists()


def test_mandatory_verification_mails_a_confirmation_link(client, signup_open, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client.post("/accounts/signup/", SIGN_UP)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aigerim@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert client.get("/").status_code == 302  # not signed in until confirmed


@pytest.mark.parametrize("login", ["annotator", "annotator@example.org", "ANNOTATOR@example.org"])
def test_log_in_by_username_or_email(client, team, login):
    team.annotator.email = "annotator@example.org"
    team.annotator.save()
    response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_password_says_so_on_the_form(client, team):
    response = client.post("/accounts/login/", {"login": "annotator", "password": "nope"})
    assert response.status_code == 200
    assert "username and/or password you specified are not correct" in response.content.decode()


def test_changing_the_password_signs_the_api_tokens_out(client, team):
    token, _ = token_issue(user=team.annotator)
    client.force_login(team.annotator)
    assert "Change Password" in client.get("/accounts/password/change/").content.decode()
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/passages/").status_code == 401
    assert not AuthToken.objects.filter(user=team.annotator).exists()
    assert client.get("/").status_code == 200  # this browser stays signed in
    assert Client().login(username="annotator", password=NEW_PASSWORD)


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, team):
    team.annotator.email = "annotator@example.org"
    team.annotator.save()
    token_issue(user=team.annotator)
    response = client.post("/accounts/password/reset/", {"email": "annotator@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["annotator@example.org"] and message.subject.startswith("[sco-annot]")
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    action = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert not AuthToken.objects.filter(user=team.annotator).exists()
    assert Client().login(username="annotator", password=NEW_PASSWORD)


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, team):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_log_out_is_a_post(client, team):
    client.force_login(team.annotator)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302
