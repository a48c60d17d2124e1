"""Saying where one reads (docs/collaboration.md, "Presence"): the reader's heartbeat keeps the
caller's place on a source in the cache, and a `presence` event tells the others' pages when they
arrive, move to another passage or leave, not at every heartbeat."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError

from ..models import Passage, Project, Source
from ..selectors.presence import Place, place_key
from ..templatetags.people import initials, person
from .events import event_record

KIND = "presence"


def _announce(project: Project, source: Source, user: AbstractBaseUser, place: Place | None) -> None:
    event_record(
        project_id=project.pk,
        kind=KIND,
        object_id=user.pk,
        actor=user,
        data={
            "source": source.pk,
            "present": place is not None,
            "passage": place.passage if place else None,
            "ordinal": place.ordinal if place else None,
            "name": person(user),
            "initials": initials(user),
        },
    )


def presence_mark(
    *, project: Project, source: Source, user: AbstractBaseUser, passage_id: int | None
) -> Place:
    """`user` reads `source`, at passage `passage_id` (None: at no passage in particular)."""
    ordinal = None
    if passage_id is not None:
        ordinal = (
            Passage.objects.filter(pk=passage_id, source=source).values_list("ordinal", flat=True).first()
        )
        if ordinal is None:
            raise ValidationError({"passage": f"No passage {passage_id} in source {source.pk}."})
    place = Place(
        user=user.pk, name=person(user), initials=initials(user), passage=passage_id, ordinal=ordinal
    )
    key = place_key(project.pk, source.pk, user.pk)
    before = cache.get(key)
    cache.set(key, asdict(place), settings.PRESENCE_SECONDS)
    if before is None or before.get("passage") != passage_id:
        _announce(project, source, user, place)
    return place


def presence_leave(*, project: Project, source: Source, user: AbstractBaseUser) -> None:
    """`user` left `source` (closed the page, went elsewhere)."""
    key = place_key(project.pk, source.pk, user.pk)
    if cache.get(key) is not None:
        cache.delete(key)
        _announce(project, source, user, None)
