"""Who is reading a source now, and at which passage (docs/collaboration.md, "Presence").

Each reader's place is kept in the cache, under one key per (project, source, person), for
`PRESENCE_SECONDS` after its last heartbeat; the list of a source is one read of its members' keys.
A place is not work: every member of the project sees it, in a blind session too."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.http import Http404

from ..models import Membership, Project, Source


@dataclass(frozen=True)
class Place:
    user: int
    name: str
    initials: str
    passage: int | None
    ordinal: int | None


def place_key(project_id: int, source_id: int, user_id: int) -> str:
    return f"presence:{project_id}:{source_id}:{user_id}"


def source_in(project: Project, source_id: int) -> Source:
    """The project's source `source_id`; 404 for any other id."""
    source = Source.objects.filter(pk=source_id, project=project).only("id", "project_id").first()
    if source is None:
        raise Http404("No such source in this project.")
    return source


def presence_on(project: Project, source: Source, viewer: AbstractBaseUser) -> list[Place]:
    """The other members reading `source`, by passage; one query and one cache read."""
    members = (
        Membership.objects.filter(project=project).exclude(user=viewer).values_list("user_id", flat=True)
    )
    keys = [place_key(project.pk, source.pk, user_id) for user_id in members]
    places = [Place(**found) for found in cache.get_many(keys).values()]
    return sorted(places, key=lambda place: (place.ordinal is None, place.ordinal or 0, place.name))
