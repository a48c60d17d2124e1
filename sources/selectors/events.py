"""A project's events as a member may receive them (docs/collaboration.md, "Live updates").

An event passes the visibility rules of the work it is about (`visibility.hidden_pairs`): in a blind
session an annotator receives no event about a colleague's work before both have submitted. An event
with a recipient (a notification) reaches that person only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from ..models import Event, Role
from .visibility import hidden_pairs

# How many events one read returns at most: a stream resuming from long ago reads in pages.
PAGE = 500


@dataclass(frozen=True)
class EventRow:
    id: int
    project_id: int
    kind: str
    object_id: int
    actor_id: int | None
    author_id: int | None
    session_id: int | None
    blind: bool
    recipient_id: int | None
    data: dict[str, Any]
    created: datetime

    @cached_property
    def payload(self) -> str:
        """The event's data as the stream sends it: JSON naming the kind and the object's id; made
        once, however many streams send it."""
        return json.dumps(
            {
                "id": self.id,
                "kind": self.kind,
                "object": self.object_id,
                "actor": self.actor_id,
                "created": self.created.isoformat(),
                **self.data,
            },
            separators=(",", ":"),
        )


FIELDS = ("id", "project_id", "kind", "object_id", "actor_id", "author_id", "session_id")


def event_rows(after: int, project_id: int | None = None, limit: int = PAGE) -> list[EventRow]:
    """Events with an id above `after` (of one project, or of all), oldest first, at most `limit`."""
    events = Event.objects.filter(id__gt=after).order_by("id")
    if project_id is not None:
        events = events.filter(project_id=project_id)
    rows = events.values_list(*FIELDS, "session__blind", "recipient_id", "data", "created")[:limit]
    return [EventRow(*row[:7], bool(row[7]), *row[8:]) for row in rows]


def last_event_id() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def visible_events(user: AbstractBaseUser, role: str | None, rows: list[EventRow]) -> list[EventRow]:
    """`rows` (of one project, where `user` has `role`) without those `user` may not receive."""
    rows = [row for row in rows if row.recipient_id is None or row.recipient_id == user.pk]
    if role != Role.ANNOTATOR:
        return rows
    blind = [(row.session_id, row.author_id) for row in rows if row.blind]
    hidden = hidden_pairs(user, blind) if blind else set()
    return [row for row in rows if not (row.blind and (row.session_id, row.author_id) in hidden)]
