"""Settings come from the environment; production values pass Django's deployment checks."""

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
