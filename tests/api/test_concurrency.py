"""Writes racing each other on PostgreSQL, with real connections in threads and a real process killed
mid-import: identical requests give one row and clean refusals, never a 500 or half an import."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from sources.models import Annotation, Source, Theme

from ..factories import MembershipFactory, ProjectFactory, SourceFactory
from ..formats.conftest import build_corpus
from .conftest import url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's concurrency"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]


def race(count: int, request: Callable[[APIClient], object]) -> list:
    """Run `request` in `count` threads released at once, each with its own client and connection."""
    barrier = threading.Barrier(count)
    answers: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            answers[index] = request(APIClient())
        except Exception as exc:  # a crash in a thread must fail the test, not vanish
            answers[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def statuses(answers: list) -> Counter:
    return Counter(getattr(answer, "status_code", repr(answer)) for answer in answers)


def test_six_identical_imports_at_once_all_succeed_and_write_the_rows_once(team):
    corpus = build_corpus(team)
    export = APIClient()
    export.force_authenticate(team.owner)
    data = b"".join(export.get("/api/projects/class/export/", {"format": "jsonl"}).streaming_content)
    copy = ProjectFactory(slug="copy", name=team.project.name)
    MembershipFactory(project=copy, user=team.owner, role="owner")

    def post(client: APIClient):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_authenticate(team.owner)
        upload = {"file": SimpleUploadedFile("class.jsonl", data), "format": "jsonl", "create_themes": "true"}
        return client.post("/api/projects/copy/import/", upload, format="multipart")

    answers = race(6, post)
    assert statuses(answers) == {201: 6}
    assert sum(answer.json()["annotations_created"] for answer in answers) == 10
    assert Annotation.objects.filter(passage__source__project=copy).count() == 10
    assert Source.objects.filter(project=copy).count() == 2
    assert Theme.objects.filter(project=copy).count() == len(corpus.themes)


def test_twenty_identical_tags_at_once_give_one_row_and_nineteen_conflicts(world):
    def post(client: APIClient):
        client.force_authenticate(world.team.annotator)
        tag = {"passage": world.passages[2].pk, "theme": world.energy.pk, "start": 0, "end": 10}
        return client.post(url("annotation-list"), tag, format="json")

    answers = race(20, post)
    assert statuses(answers) == {201: 1, 409: 19}
    assert Annotation.objects.filter(passage=world.passages[2], theme=world.energy).count() == 1


def test_twenty_patches_with_one_if_match_give_one_success_and_nineteen_412(world):
    annotation = world.own_annotation
    etag = f'"{annotation.pk}-{annotation.version}"'

    def patch(client: APIClient):
        client.force_authenticate(world.team.annotator)
        note = f"edit {threading.get_ident()}"
        return client.patch(url("annotation-detail", pk=annotation.pk), {"note": note}, HTTP_IF_MATCH=etag)

    answers = race(20, patch)
    assert statuses(answers) == {200: 1, 412: 19}
    annotation.refresh_from_db()
    assert annotation.version == 2
    assert annotation.note == next(a.json()["note"] for a in answers if a.status_code == 200)


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _other_backends(sql_like: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND query ILIKE %s AND xact_start IS NOT NULL",
            [sql_like],
        )
        return cursor.fetchone()[0]


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_an_import_killed_mid_way_writes_nothing(team, tmp_path):
    """kill -9 once the import has written its first batches: its transaction dies with it."""
    theme = team.project.themes.create(slug="energy", name="Energy")
    texts = [f"Passage {n}: energy from Central Asia reaches China through pipelines." for n in range(1500)]
    source = SourceFactory(project=team.project, paragraphs=texts)
    path = tmp_path / "large.jsonl"
    with path.open("w") as out:
        for passage in source.passages.order_by("ordinal"):
            annotations = [
                {
                    "theme": theme.slug,
                    "author": "annotator",
                    "start": i,
                    "end": i + 5,
                    "quote": passage.text[i : i + 5],
                    "created": "2026-01-01T00:00:00.000000Z",
                    "updated": "2026-01-01T00:00:00.000000Z",
                }
                for i in range(60)
            ]
            line = {
                "source": {"sha256": source.sha256, "title": source.title},
                "passage": {"ordinal": passage.ordinal, "start": passage.start, "end": passage.end},
                "text": passage.text,
                "annotations": annotations,
            }
            out.write(json.dumps(line) + "\n")
    history_before = Annotation.history.model.objects.count()
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "import_annotations",
            str(path),
            "--project",
            "class",
            "--format",
            "jsonl",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url()},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert _wait_for(lambda: _other_backends("COPY %") > 0, 120), "the import never started writing"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(30)
    assert process.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    # PostgreSQL notices the dead client and rolls its transaction back.
    assert _wait_for(lambda: _other_backends("%") == 0, 60)
    assert not Annotation.objects.filter(passage__source=source).exists()
    assert Annotation.history.model.objects.count() == history_before
