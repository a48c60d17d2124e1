"""A task worker that is stopped removes its heartbeat at once, so `/readyz` and the job pages stop
counting on it, also under `make run` (honcho, the worker reloading on code changes) and when only
the reloading parent is signalled."""

import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from .processes import manage, start, stop, wait_for


def heartbeats(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute("select worker_id, pid from sources_workerheartbeat").fetchall()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "MEDIA_ROOT": str(tmp_path / "media")}
    done = manage("migrate", "--noinput", **env)
    assert done.returncode == 0, done.stderr
    return env


HONCHO = str(Path(sys.executable).parent / "honcho")
WAYS_TO_STOP = {
    # `make run` and Ctrl-C: the terminal interrupts honcho, which sends SIGTERM to the worker's group.
    "make run, Ctrl-C": ([HONCHO, "start", "-f", "Procfile.dev", "worker"], signal.SIGINT, "group"),
    # `make worker` and Ctrl-C: the reloading parent and the child running tasks are interrupted.
    "make worker, Ctrl-C": ([sys.executable, "manage.py", "run_worker"], signal.SIGINT, "group"),
    # A process manager that signals only the process it started: the parent passes the signal on.
    "SIGTERM to the parent alone": ([sys.executable, "manage.py", "run_worker"], signal.SIGTERM, "parent"),
}


@pytest.mark.parametrize("way", WAYS_TO_STOP)
def test_a_stopped_worker_removes_its_heartbeat(way, env, tmp_path):
    command, sig, target = WAYS_TO_STOP[way]
    database = tmp_path / "db.sqlite3"
    log = tmp_path / "worker.log"
    process = start(*command, log=log, **env)
    try:
        wait_for(lambda: heartbeats(database), seconds=120, what=f"a heartbeat; log:\n{log.read_text()}")
        [(_, worker_pid)] = heartbeats(database)
        # The row belongs to the reloading child that runs the tasks, not to the process we started.
        assert worker_pid != process.pid
        if target == "group":
            os.killpg(process.pid, sig)
        else:
            os.kill(process.pid, sig)
        process.wait(timeout=30)
    finally:
        stop(process)
    assert heartbeats(database) == [], log.read_text()
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)  # and the child is gone, not left running without its parent
