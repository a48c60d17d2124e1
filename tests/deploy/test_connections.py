"""Database connections of the web processes: under ASGI a request's view runs on a thread of its own,
so a connection kept for later is never reused. The web closes each request's connection; task workers
and commands keep theirs."""

import secrets
import subprocess
import sys
from collections.abc import Iterator

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from .processes import PRODUCTION, ROOT, environment, free_port, start, stop, wait_for
from .test_serve import get

READ_SETTING = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"


def conn_max_age(entry_point: str, **env: str) -> str:
    setup = f"import {entry_point}" if entry_point else "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", f"{setup}; {READ_SETTING}"],
        cwd=ROOT,
        env=environment(DJANGO_SETTINGS_MODULE="sco_annot.settings", DEBUG="true", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_web_processes_close_connections_while_workers_keep_theirs():
    assert conn_max_age("sco_annot.asgi") == "0"
    assert conn_max_age("") == "60"  # manage.py commands, the task worker among them
    assert conn_max_age("sco_annot.asgi", CONN_MAX_AGE="30") == "30"  # an operator's choice stands


def admin_connection() -> "psycopg2.extensions.connection":
    """A connection to the test server's `postgres` database, outside the test's transaction."""
    server = settings.DATABASES["default"]
    admin = psycopg2.connect(dbname="postgres", host=server["HOST"], port=server["PORT"], user=server["USER"])
    admin.autocommit = True
    return admin


@pytest.fixture
def scratch_database() -> Iterator[str]:
    """An empty database of its own on the test server, so that its backends can be counted."""
    name = f"sco_connections_{secrets.token_hex(4)}"
    server = settings.DATABASES["default"]
    admin = admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{server['USER']}@{server['HOST']}:{server['PORT']}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


def backends(url: str) -> int:
    admin = admin_connection()
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [url.rsplit("/", 1)[1]]
            )
            return cursor.fetchone()[0]
    finally:
        admin.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="counts PostgreSQL's backends")
def test_requests_leave_no_idle_connections_behind(tmp_path, collected_static, scratch_database):
    port = free_port()
    server = start(
        sys.executable, "-m", "gunicorn", "--config", "python:sco_annot.gunicorn",
        "sco_annot.asgi:application",
        log=tmp_path / "gunicorn.log",
        **PRODUCTION, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1",
        DATABASE_URL=scratch_database, STATIC_ROOT=str(collected_static),
    )  # fmt: skip
    try:
        wait_for(
            lambda: get(f"http://127.0.0.1:{port}/healthz")[0] == 200,
            seconds=120,
            what=f"gunicorn to answer; log:\n{(tmp_path / 'gunicorn.log').read_text()}",
        )
        for _ in range(8):  # each reads the database: not migrated, so 503, but it connected
            assert get(f"http://127.0.0.1:{port}/readyz")[0] == 503
        wait_for(
            lambda: backends(scratch_database) == 0, seconds=10, what="the requests' connections to close"
        )
    finally:
        stop(server)
