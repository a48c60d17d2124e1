"""Page fixtures: a source with passages and a small codebook in the team's project."""

import pytest
from django.db import connection
from django.test import Client

from sources.models import Passage, PassageKind, Source, Theme

from ..conftest import Team
from ..factories import SourceFactory, ThemeFactory
from .blind_world import World, build_world

PARAGRAPHS = [
    "Security first",
    "China uses the SCO to fight terrorism, separatism and extremism.",
    "Energy from Central Asia reaches China through pipelines — oil and gas alike.",
    "Кыргызстан and Kazakhstan 🇰🇿 host SCO exercises.",
]

# On PostgreSQL an event for the live pages also wakes their listeners: one pg_notify per event.
NOTIFY = int(connection.vendor == "postgresql")


def make_source(project, paragraphs: list[str], title: str = "The SCO article") -> Source:
    source = SourceFactory(project=project, title=title, paragraphs=paragraphs)
    Passage.objects.filter(source=source, ordinal=0).update(kind=PassageKind.HEADING)
    Passage.objects.filter(source=source).exclude(ordinal=0).update(section=paragraphs[0])
    return source


@pytest.fixture
def source(team) -> Source:
    return make_source(team.project, PARAGRAPHS)


@pytest.fixture
def themes(team) -> dict[str, Theme]:
    return {
        "terrorism": ThemeFactory(
            project=team.project, slug="terrorism", name="Terrorism", color="#c53030", shortcut="t", order=1
        ),
        "energy": ThemeFactory(
            project=team.project, slug="energy", name="Energy", color="#2f855a", shortcut="e", order=2
        ),
    }


@pytest.fixture
def passages(source) -> list[Passage]:
    return list(source.passages.order_by("ordinal"))


@pytest.fixture
def client_as():
    """client_as(user) -> a test client logged in as that user."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def htmx_headers() -> dict[str, str]:
    return {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The team fixture sets six passwords per test; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(team: Team) -> World:
    return build_world(team)
