"""Server-Sent Events for one member of one project: the events they may receive, from a given id on.

Under ASGI (uvicorn) a stream is an async generator waiting on the process's hub; under WSGI (the
test client, a `runserver` started by hand) it is a plain generator polling the event table. Either
ends after `EVENT_STREAM_SECONDS`; the browser's EventSource reconnects by itself, sending the last
id it received as `Last-Event-ID`, so a reconnect resumes without losing an event."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError

from ..selectors.events import PAGE, EventRow, event_rows, visible_events
from .hub import Hub, hub, in_database_thread

KEEPALIVE = ": keep-alive\n\n"


@dataclass
class Listener:
    user: AbstractBaseUser
    role: str
    project_id: int
    after: int

    def opening(self) -> str:
        """How long the browser waits before reconnecting (ms), and the stream's position."""
        return f"retry: {settings.EVENT_RETRY_MS}\nid: {self.after}\n\n"


def sse(row: EventRow) -> str:
    """One event; no `event:` field, so that EventSource's `onmessage` receives every kind."""
    return f"id: {row.id}\ndata: {row.payload}\n\n"


def _needs_database(rows: list[EventRow]) -> bool:
    return any(row.blind for row in rows)


def polled(listener: Listener) -> Iterator[str]:
    """The stream under WSGI: the event table, read every `EVENT_POLL_SECONDS`."""
    yield listener.opening()
    deadline = time.monotonic() + settings.EVENT_STREAM_SECONDS
    quiet_since = time.monotonic()
    while True:
        try:
            rows = event_rows(listener.after, listener.project_id)
        except DatabaseError:
            return  # the browser reconnects and resumes from its last id
        if rows:
            listener.after = rows[-1].id
            for row in visible_events(listener.user, listener.role, rows):
                quiet_since = time.monotonic()
                yield sse(row)
            if len(rows) == PAGE:
                continue
        if time.monotonic() >= deadline:
            return
        if time.monotonic() - quiet_since >= settings.EVENT_KEEPALIVE_SECONDS:
            quiet_since = time.monotonic()
            yield KEEPALIVE
        time.sleep(settings.EVENT_POLL_SECONDS)


async def _next_rows(listener: Listener, events: Hub, timeout: float) -> list[EventRow]:
    """The events after the listener's position: from the hub, or from the table when it is behind
    what the hub holds; [] after `timeout` seconds without any."""
    if listener.after < events.floor:
        rows = await in_database_thread(event_rows, listener.after, listener.project_id)
        if len(rows) < PAGE:  # the table has nothing more of the project up to the hub's floor
            listener.after = max(rows[-1].id if rows else 0, events.floor, listener.after)
        return rows
    rows = events.after(listener.after, listener.project_id)
    if not rows:
        await events.wait_past(events.last_id, timeout)
        rows = events.after(listener.after, listener.project_id)
    return rows


async def pushed(listener: Listener) -> AsyncIterator[str]:
    """The stream under ASGI: woken by the process's hub."""
    yield listener.opening()
    events = await hub()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.EVENT_STREAM_SECONDS
    while (left := deadline - loop.time()) > 0:
        rows = await _next_rows(listener, events, min(left, settings.EVENT_KEEPALIVE_SECONDS))
        if not rows:
            yield KEEPALIVE
            continue
        listener.after = max(listener.after, rows[-1].id)
        if _needs_database(rows):
            visible = await in_database_thread(visible_events, listener.user, listener.role, rows)
        else:
            visible = visible_events(listener.user, listener.role, rows)
        for row in visible:
            yield sse(row)
