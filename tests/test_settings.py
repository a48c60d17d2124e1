"""Settings come from the environment; production values pass Django's deployment checks."""

import subprocess

from .deploy.processes import PRODUCTION, manage


def test_production_settings_pass_the_deployment_checks(collected_static):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, STATIC_ROOT=str(collected_static)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="annot.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_boolean_is_named():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def setting(name: str, **env: str) -> subprocess.CompletedProcess:
    return manage(
        "shell", "--no-imports", "-c", f"from django.conf import settings; print(settings.{name})", **env
    )


def test_sign_up_is_by_invitation_in_production_unless_opened():
    assert setting("ACCOUNT_SIGNUP_OPEN", **PRODUCTION).stdout.strip() == "False"
    assert setting("ACCOUNT_SIGNUP_OPEN", **PRODUCTION, SIGNUP_OPEN="true").stdout.strip() == "True"
    assert setting("ACCOUNT_SIGNUP_OPEN").stdout.strip() == "True"  # a laptop: DEBUG on


def test_email_url_configures_smtp():
    url = "smtp://mailer%40example.org:s3cr%2Ft@smtp.example.org:587/?tls=true"
    names = "EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS"
    code = f"from django.conf import settings as s; print([getattr(s, n) for n in '{names}'.split(', ')])"
    result = manage("shell", "--no-imports", "-c", code, EMAIL_URL=url)
    assert result.stdout.strip() == (
        "['django.core.mail.backends.smtp.EmailBackend', 'smtp.example.org', 587, 'mailer@example.org', "
        "'s3cr/t', True]"
    )


def test_a_malformed_email_url_is_named():
    for url in ["smtp:/nohost", "imap://host", "smtp://host:port/", "smtp://host/?tls=maybe"]:
        result = manage("check", EMAIL_URL=url)
        assert result.returncode != 0, url
        assert "EMAIL_URL" in result.stderr, url


def test_a_malformed_lockout_or_token_setting_is_named():
    for name, value in [
        ("LOGIN_FAILURE_LIMIT", "0"),
        ("TOKEN_TTL_DAYS", "soon"),
        ("EMAIL_VERIFICATION", "always"),
    ]:
        result = manage("check", **{name: value})
        assert result.returncode != 0, name
        assert name in result.stderr, name
