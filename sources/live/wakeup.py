"""Waking the event streams when an event is written, through Redis pub/sub when `REDIS_URL` is set,
PostgreSQL `LISTEN/NOTIFY` on PostgreSQL, and not at all on SQLite, where the streams poll the event
table. The table stays the one record: a lost wake-up only delays an event until the next poll."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from functools import cache

import redis
from django.conf import settings
from django.db import connection, transaction

CHANNEL = "sco_annot_events"
log = logging.getLogger(__name__)


def transport() -> str:
    """ "redis", "postgresql" or "poll": how the streams of this deployment learn of new events."""
    if settings.REDIS_URL:
        return "redis"
    if connection.vendor == "postgresql":
        return "postgresql"
    return "poll"


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)


def _publish(event_id: int) -> None:
    try:
        _redis().publish(CHANNEL, str(event_id))
    except redis.RedisError as error:  # the streams' poll delivers it a moment later
        log.warning("event wake-up not published: %s", error)


def announce(event_id: int) -> None:
    """Wake the streams once the transaction that wrote event `event_id` commits."""
    way = transport()
    if way == "redis":
        transaction.on_commit(lambda: _publish(event_id))
    elif way == "postgresql":  # PostgreSQL delivers a NOTIFY when its transaction commits
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(event_id)])


async def listen(wake: Callable[[], None]) -> None:
    """Call `wake` whenever an event is announced, until cancelled; returns at once when polling."""
    way = await asyncio.to_thread(transport)
    if way == "redis":
        await _listen_redis(wake)
    elif way == "postgresql":
        await _listen_postgresql(wake)


async def _listen_redis(wake: Callable[[], None]) -> None:
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(settings.REDIS_URL)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    try:
        await pubsub.subscribe(CHANNEL)
        async for _message in pubsub.listen():
            wake()
    finally:
        with suppress(redis.RedisError, OSError):
            await pubsub.aclose()
            await client.aclose()


async def _listen_postgresql(wake: Callable[[], None]) -> None:
    """A connection of its own, outside Django's (whose connections belong to threads), LISTENing."""
    import psycopg2
    import psycopg2.extensions

    params = connection.get_connection_params()
    listener = await asyncio.to_thread(psycopg2.connect, **params)
    listener.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    loop = asyncio.get_running_loop()

    def readable() -> None:
        listener.poll()
        if listener.notifies:
            listener.notifies.clear()
            wake()

    try:
        with listener.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")
        loop.add_reader(listener.fileno(), readable)
        await asyncio.Event().wait()  # until cancelled
    finally:
        with suppress(ValueError, OSError):
            loop.remove_reader(listener.fileno())
        listener.close()
