"""Live-events benchmark: many open event streams while annotators tag, and how long an event takes
to reach every stream.

    .venv/bin/python bench/live.py                 # prints a Markdown table
    .venv/bin/python bench/live.py --write         # and appends it to bench/RESULTS.md

A scratch PostgreSQL database, `sco_annot_live_bench` on the server of BENCH_POSTGRES (default
127.0.0.1), is made anew, migrated and filled with one project, its members and a source of 50
passages. The production web process is started as `make serve` starts it (gunicorn with uvicorn
workers, WEB_CONCURRENCY=2), so events are woken by LISTEN/NOTIFY. The floor is measured in the same
run: one stream, one annotator. Then STREAMS streams stay open while ANNOTATORS annotators each
write a tag every two seconds through the API; a delivery's latency is the time from sending the
POST to the arrival of its event on a stream, over every (stream, event) pair.

That latency is split in two, measured separately: the write (from sending the POST to its 201
answer, per event) and the delivery (from the event's row being written, its `created` time, to its
arrival on a stream, per pair; the server and this script share the machine's clock)."""

import argparse
import asyncio
import itertools
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from run import PG_SERVER, fresh_postgres

ROOT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "sco_annot_live_bench"
DATABASE_URL = f"{PG_SERVER}/{DATABASE_NAME}"
PORT = 8791
TAG_EVERY = 2.0
PROXY = "X-Forwarded-Proto: https\r\n"
SERIAL = itertools.count()


def setup(annotators: int, readers: int) -> dict:
    """Fill the scratch database; the tokens of the annotators and the readers, a passage, a theme."""
    fresh_postgres(DATABASE_NAME)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_annot.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from sources.models import Role
    from sources.services.tokens import token_issue
    from tests.factories import MembershipFactory, ProjectFactory, SourceFactory, ThemeFactory, UserFactory

    call_command("migrate", verbosity=0)
    project = ProjectFactory(slug="live")
    theme = ThemeFactory(project=project, slug="energy")
    source = SourceFactory(
        project=project, paragraphs=[f"Passage {n}: energy and security." for n in range(50)]
    )

    def tokens(prefix: str, count: int) -> list[str]:
        users = [UserFactory(username=f"{prefix}{n}") for n in range(count)]
        for user in users:
            MembershipFactory(project=project, user=user, role=Role.ANNOTATOR)
        return [token_issue(user=user)[0] for user in users]

    world = {
        "writers": tokens("a", annotators),
        "readers": tokens("r", readers),
        "passages": list(source.passages.values_list("pk", flat=True)),
        "theme": theme.pk,
    }
    connection.close()
    return world


def server() -> subprocess.Popen:
    """The web process in the production shape: DEBUG off, static files collected, behind a TLS proxy
    (each request says `X-Forwarded-Proto: https`, as the proxy would)."""
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "false",
        "SECRET_KEY": "live-benchmark-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "true",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="sco-annot-bench-live-static-"),
        "BIND": f"127.0.0.1:{PORT}",
        "WEB_CONCURRENCY": "2",
        "EVENT_STREAM_SECONDS": "600",
    }
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:sco_annot.gunicorn",
        "sco_annot.asgi:application",
    ]
    log = Path("/tmp/sco-annot-bench-live.log").open("wb")  # noqa: SIM115 (the server's lifetime)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


async def request(method: str, path: str, token: str, body: dict | None = None) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    data = json.dumps(body).encode() if body is not None else b""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{PROXY}Authorization: Token {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode() + data)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    status = int(answer.split(b" ", 2)[1])
    return status, answer


async def stream(token: str, arrivals: dict, ready: asyncio.Event, opened: list) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.write(
        f"GET /api/projects/live/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\n{PROXY}"
        f"Authorization: Token {token}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    status = await reader.readline()
    assert b" 200 " in status, status
    opened.append(1)
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b"data: "):
                event = json.loads(line[6:])
                if event["kind"] == "annotation.created":
                    written_at = datetime.fromisoformat(event["created"]).timestamp()
                    arrived = (time.monotonic(), time.time() - written_at)
                    arrivals.setdefault(event["object"], []).append(arrived)
    finally:
        writer.close()


async def annotate(token: str, passages: list[int], theme: int, seconds: float, written: dict) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        n = next(SERIAL)  # a span nobody tagged yet: no duplicate refused
        body = {
            "passage": passages[n % len(passages)],
            "theme": theme,
            "start": 0,
            "end": 8 + n // len(passages),
        }
        sent = time.monotonic()
        status, answer = await request("POST", "/api/annotations/", token, body)
        if status == 201:
            written[json.loads(answer.split(b"\r\n\r\n", 1)[1])["id"]] = (sent, time.monotonic())
        await asyncio.sleep(TAG_EVERY)


async def run(world: dict, streams: int, annotators: int, seconds: float) -> dict:
    arrivals: dict[int, list[float]] = {}
    written: dict[int, float] = {}
    opened: list[int] = []
    readers = [
        asyncio.create_task(
            stream(world["readers"][n % len(world["readers"])], arrivals, asyncio.Event(), opened)
        )
        for n in range(streams)
    ]
    while len(opened) < streams:
        failed = [task for task in readers if task.done()]
        if failed:
            raise RuntimeError(f"a stream did not open: {failed[0].exception()!r}")
        await asyncio.sleep(0.1)
    await asyncio.sleep(1)
    writers = [
        annotate(world["writers"][n], world["passages"], world["theme"], seconds, written)
        for n in range(annotators)
    ]
    await asyncio.gather(*writers)
    await asyncio.sleep(3)
    for task in readers:
        task.cancel()
    pairs = [(written[obj], at) for obj, times in arrivals.items() if obj in written for at in times]
    latencies = sorted(max(0.0, arrived - sent) * 1000 for (sent, _), (arrived, _) in pairs)
    writes = sorted((answered - sent) * 1000 for sent, answered in written.values())
    deliveries = sorted(max(0.0, delay) * 1000 for _, (_, delay) in pairs)
    return {
        "streams": streams,
        "annotators": annotators,
        "events": len(written),
        "deliveries": len(latencies),
        "missing": len(written) * streams - len(latencies),
        **figures("", latencies),
        **figures("write ", writes),
        **figures("delivery ", deliveries),
    }


def figures(prefix: str, times: list[float]) -> dict:
    """p50, p99 and max of sorted `times` (ms), keys starting with `prefix`."""
    if not times:
        return {f"{prefix}p50": None, f"{prefix}p99": None, f"{prefix}max": None}
    return {
        f"{prefix}p50": statistics.median(times),
        f"{prefix}p99": times[max(0, int(len(times) * 0.99) - 1)],
        f"{prefix}max": times[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--annotators", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--write", action="store_true")
    options = parser.parse_args()
    world = setup(options.annotators, min(options.streams, 50))
    web = server()
    try:
        for _ in range(100):
            try:
                asyncio.run(request("GET", "/healthz", ""))
                break
            except OSError:
                time.sleep(0.3)
        asyncio.run(run(world, 2, 2, 4))  # each process imports and connects once, outside the figures
        print("server up; the floor: one stream, one annotator", file=sys.stderr)
        floor = asyncio.run(run(world, 1, 1, 10))
        print(f"floor {floor}; now {options.streams} streams", file=sys.stderr)
        loaded = asyncio.run(run(world, options.streams, options.annotators, options.seconds))
    finally:
        web.terminate()
        web.wait(timeout=30)
    table = [
        "| run | streams | annotators | events | deliveries | missing | p50 ms | p99 ms | max ms "
        "| p99 / floor p99 | write p50 / p99 ms | delivery p50 / p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, result in (("floor", floor), ("load", loaded)):
        ratio = result["p99"] / floor["p99"] if floor["p99"] else float("nan")
        counts = [result[key] for key in ("streams", "annotators", "events", "deliveries", "missing")]
        times = [f"{result[key]:.0f}" for key in ("p50", "p99", "max")]
        split = [
            f"{result[f'{part} p50']:.0f} / {result[f'{part} p99']:.0f}" for part in ("write", "delivery")
        ]
        cells = [*counts, *times, f"{ratio:.1f}", *split]
        table.append(f"| {name} | " + " | ".join(map(str, cells)) + " |")
    text = "\n".join(table)
    print(text)
    if options.write:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d")
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as out:
            out.write(f"\n## Live event streams ({stamp}, `python bench/live.py`)\n\n{text}\n")


if __name__ == "__main__":
    main()
