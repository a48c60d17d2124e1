"""Shared fixtures: a project with one user per role, and an outsider who belongs to another project."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework.test import APIClient

from sources.models import Project, Role

from .factories import MembershipFactory, ProjectFactory, UserFactory

NO_CHROMIUM = "No chromium found"


@dataclass
class Team:
    project: Project
    owner: User
    instructor: User
    annotator: User
    annotator2: User
    observer: User
    outsider: User
    other_project: Project

    def user(self, role: str) -> User:
        return getattr(self, role)


@pytest.fixture(autouse=True)
def no_failed_sign_ins_counted():
    """Failed sign-ins are counted in the cache (the lockout, allauth's rate limits), which outlives a
    test's database; each test starts with none counted."""
    cache.clear()


@pytest.fixture(autouse=True)
def short_event_streams(settings):
    """An event stream answered through the test client (WSGI) polls for EVENT_STREAM_SECONDS before
    it ends; a tenth of a second in tests, which read it whole."""
    settings.EVENT_STREAM_SECONDS = 0.1
    settings.EVENT_POLL_SECONDS = 0.05


@pytest.fixture
def team(db) -> Team:
    project = ProjectFactory(slug="class", name="Class project")
    other = ProjectFactory(slug="elsewhere", name="Another team's project")
    members = {}
    for name, role in [
        ("owner", Role.OWNER),
        ("instructor", Role.INSTRUCTOR),
        ("annotator", Role.ANNOTATOR),
        ("annotator2", Role.ANNOTATOR),
        ("observer", Role.OBSERVER),
    ]:
        members[name] = MembershipFactory(project=project, user=UserFactory(username=name), role=role).user
    outsider = MembershipFactory(project=other, user=UserFactory(username="outsider"), role=Role.OWNER).user
    return Team(project=project, outsider=outsider, other_project=other, **members)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api):
    """api_as(user) -> an APIClient authenticated as that user."""

    def login(user: User) -> APIClient:
        api.force_authenticate(user)
        return api

    return login


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """A STATIC_ROOT filled by `collectstatic` as a production deployment fills it."""
    from .deploy.processes import PRODUCTION, manage

    root = tmp_path_factory.mktemp("staticfiles")
    result = manage("collectstatic", "--noinput", "--verbosity", "0", **PRODUCTION, STATIC_ROOT=str(root))
    assert result.returncode == 0, result.stderr
    return root


def pytest_unconfigure(config: pytest.Config) -> None:
    """Say loudly, after the run's last line, when the browser tests were skipped for want of
    Chromium: a green run without them has not tested the pages."""
    terminalreporter = config.pluginmanager.get_plugin("terminalreporter")
    if terminalreporter is None or hasattr(config, "workerinput"):  # xdist workers report to the main run
        return
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple) and NO_CHROMIUM in str(report.longrepr[2])
    ]
    if skipped:
        terminalreporter.write_sep(
            "!",
            f"BROWSER TESTS NOT RUN: no chromium ({len(skipped)} skipped); "
            "set CHROMIUM_PATH=/usr/bin/chromium or `apt-get install chromium`",
            red=True,
            bold=True,
        )
