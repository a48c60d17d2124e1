"""Accounts in a real browser: sign up through the page, land home, log out, log in again."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-passphrase-42"


def test_sign_up_log_out_and_log_in_again(page, live_server, settings):
    settings.ACCOUNT_SIGNUP_OPEN = True
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Name", exact=True).fill("Aigerim Sadykova")
    page.get_by_label("Username", exact=True).fill("aigerim")
    page.get_by_label("Email").fill("aigerim@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".topbar .who")).to_contain_text("Aigerim Sadykova")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    expect(page.locator(".topbar .who")).to_have_count(0)

    page.fill("#id_login", "aigerim@example.org")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".topbar .who")).to_contain_text("Aigerim Sadykova")
    page.screenshot(path="/tmp/auth-home.png")
    assert page.problems == []


def test_the_account_pages_load_without_console_errors(page, live_server, settings):
    settings.ACCOUNT_SIGNUP_OPEN = True
    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        page.screenshot(path=f"/tmp/auth{path.replace('/', '-')}.png", full_page=True)
    assert page.problems == []
