"""The event stream under ASGI, as uvicorn serves it: a tag written while a stream is open arrives
within two seconds, woken by PostgreSQL NOTIFY, by Redis pub/sub, or by polling the table (SQLite)."""

import asyncio
import json
import time

import pytest
import redis
from asgiref.sync import sync_to_async
from django.db import connection
from django.test import AsyncClient

from sources.live.hub import stop_hub
from sources.models import Event
from sources.services.annotations import annotation_create

from ..factories import (
    AnnotationFactory,
    MembershipFactory,
    ProjectFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def redis_up() -> bool:
    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(params=["poll", "postgresql", "redis"])
def transport(request, settings) -> str:
    """How the streams are woken; without a wake-up (polling) they read the table every 0.05 s, with
    one they would wait 30 s for the poll, so an event within two seconds proves the wake-up."""
    way = request.param
    if way == "postgresql" and connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL (set DATABASE_URL)")
    if way == "redis" and connection.vendor != "postgresql":
        # The hub's reader thread and the test would share SQLite's in-memory test database, whose
        # locks can leave the stream waiting for ever; SQLite deployments poll anyway.
        pytest.skip("Redis wake-ups are tested on PostgreSQL (set DATABASE_URL)")
    if way == "redis" and not redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379")
    if way == "poll" and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL always wakes by NOTIFY")
    settings.REDIS_URL = "redis://127.0.0.1:6379/15" if way == "redis" else ""
    settings.EVENT_POLL_SECONDS = 0.05 if way == "poll" else 30
    settings.EVENT_STREAM_SECONDS = 5
    return way


@pytest.fixture
def reading(transactional_db):
    project = ProjectFactory(slug="live")
    writer, reader = UserFactory(username="writer"), UserFactory(username="reader")
    for user in (writer, reader):
        MembershipFactory(project=project, user=user, role="annotator")
    source = SourceFactory(project=project, paragraphs=["Energy and security in Central Asia."])
    theme = ThemeFactory(project=project, slug="energy")
    AnnotationFactory(passage=source.passages.get(), theme=theme, author=reader)  # an older event
    return project, writer, reader, source.passages.get(), theme


async def next_event(chunks, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        chunk = await asyncio.wait_for(anext(chunks), deadline - time.monotonic())
        for block in chunk.decode().split("\n\n"):
            data = [line[6:] for line in block.splitlines() if line.startswith("data: ")]
            if data:
                return json.loads(data[0])
    raise AssertionError("no event")


async def test_a_tag_reaches_an_open_stream_within_two_seconds(transport, reading):
    project, writer, reader, passage, theme = reading
    client = AsyncClient()
    await client.aforce_login(reader)
    try:
        response = await client.get(
            f"/api/projects/{project.slug}/events/", headers={"Accept": "text/event-stream"}
        )
        assert response.status_code == 200 and response["Content-Type"] == "text/event-stream"
        chunks = aiter(response.streaming_content)
        opening = (await anext(chunks)).decode()
        assert "retry: " in opening  # the stream starts now: the older tag is not replayed
        await asyncio.sleep(0.3)  # the hub is listening
        written = time.monotonic()
        annotation = await sync_to_async(annotation_create)(
            passage=passage, theme=theme, author=writer, start=0, end=6
        )
        event = await next_event(chunks, 2)
        assert time.monotonic() - written < 2
        assert event["kind"] == "annotation.created" and event["object"] == annotation.pk
        assert (
            event["id"]
            == await Event.objects.filter(object_id=annotation.pk).values_list("id", flat=True).aget()
        )
    finally:
        await stop_hub()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="counts PostgreSQL's backends")
async def test_the_streams_threads_keep_their_connections_when_requests_do_not():
    """Web processes close a request's connection at its end (CONN_MAX_AGE 0 under ASGI); the
    streams' few long-lived threads keep theirs, or every wake-up would open a connection."""
    from sources.live.hub import THREADS, in_database_thread

    def backend() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    kept = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 0  # the dict every thread's connection is made from
    try:
        first = {await in_database_thread(backend) for _ in range(THREADS * 3)}
        again = {await in_database_thread(backend) for _ in range(THREADS * 3)}
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = kept
    assert again <= first and len(first) <= THREADS
