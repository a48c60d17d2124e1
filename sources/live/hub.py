"""One reader of the event table per server process: every open stream of the process waits on it,
so that a hundred streams cost one query per wake-up, not a hundred.

The hub reads new events when woken (`wakeup.listen`) and at least every `EVENT_POLL_SECONDS`, keeps
the newest of them in memory, and wakes the streams, each of which takes the events of its project
and filters them for its user. Database work runs on a small pool of threads of its own, so that
the streams hold a few database connections between them, not one each."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from ..selectors.events import PAGE, EventRow, event_rows, last_event_id
from .wakeup import listen

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

# The events kept in memory; a stream that falls further behind reads the table instead.
KEPT = 5000
THREADS = 4
DATABASE_THREADS = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="events-db")


def _fresh(function: Callable[P, R]) -> Callable[P, R]:
    """These threads live as long as the process, so each keeps its connection whatever CONN_MAX_AGE
    says for requests (0 under ASGI, sco_annot/asgi.py); one that failed or went away is replaced."""

    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.connection is not None and (connection.errors_occurred or not connection.is_usable()):
            connection.close()
        return function(*args, **kwargs)

    return run


async def in_database_thread(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a database read on the streams' own threads."""
    call = sync_to_async(_fresh(function), thread_sensitive=False, executor=DATABASE_THREADS)
    return await call(*args, **kwargs)


class Hub:
    def __init__(self) -> None:
        self.last_id = 0
        # The hub holds every event with an id above `floor`; a stream further behind reads the table.
        self.floor = 0
        self.kept: deque[EventRow] = deque(maxlen=KEPT)
        self.changed = asyncio.Condition()
        self.woken = asyncio.Event()
        self.tasks: list[asyncio.Task] = []
        self.starting = asyncio.Lock()

    async def start(self) -> None:
        async with self.starting:
            if self.tasks:
                return
            self.last_id = self.floor = await in_database_thread(last_event_id)
            self.tasks = [asyncio.create_task(self._read()), asyncio.create_task(listen(self.woken.set))]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks = []

    async def _read(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.woken.wait(), settings.EVENT_POLL_SECONDS)
            self.woken.clear()
            try:
                await self._read_new()
            except DatabaseError as error:  # read again at the next poll
                log.warning("events not read: %s", error)

    async def _read_new(self) -> None:
        rows = await in_database_thread(event_rows, self.last_id)
        while rows:
            self.kept.extend(rows)
            self.last_id = rows[-1].id
            if len(self.kept) == KEPT:
                self.floor = self.kept[0].id - 1
            async with self.changed:
                self.changed.notify_all()
            rows = await in_database_thread(event_rows, self.last_id) if len(rows) >= PAGE else []

    def after(self, event_id: int, project_id: int) -> list[EventRow]:
        """Kept events of `project_id` with an id above `event_id`: read from the newest back, so that
        a stream a few events behind costs a few steps, not one per event kept."""
        newer = []
        for row in reversed(self.kept):
            if row.id <= event_id:
                break
            if row.project_id == project_id:
                newer.append(row)
        newer.reverse()
        return newer

    async def wait_past(self, event_id: int, timeout: float) -> None:
        """Until an event above `event_id` has been read, or `timeout` seconds."""
        async with self.changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait_for(lambda: self.last_id > event_id), timeout)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


async def stop_hub() -> None:
    """Stop this event loop's hub and close the database connections of the streams' threads (a
    server shutting down, a test ending)."""
    found = _hubs.pop(asyncio.get_running_loop(), None)
    if found is not None:
        await found.stop()
    everyone = threading.Barrier(THREADS)

    def close() -> None:
        everyone.wait(timeout=10)  # one call on each thread of the pool
        connections.close_all()

    await asyncio.gather(*(asyncio.wrap_future(DATABASE_THREADS.submit(close)) for _ in range(THREADS)))


async def hub() -> Hub:
    """This event loop's hub, started on first use."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub()
    found = _hubs[loop]
    await found.start()
    return found
