"""`manage.py run_worker`: django-tasks-db's `db_worker`, plus a heartbeat.

The worker loop itself is db_worker's; a side thread records every few seconds that this worker is
alive (also while a long task runs), and the row is removed when the worker stops, so job pages and
`/readyz` know whether queued work will ever be picked up. A starting worker queues the periodic
round of session reminders and daily digests (`services.mail_rounds`) unless one is waiting.

Under `--reload` (the default, and what `make run` starts) a parent process watches for code changes
and restarts the child that runs the tasks. Django's own parent kills that child outright when it is
stopped, before the child has removed its heartbeat; this command's parent gives the child time to
say goodbye instead."""

import os
import signal
import subprocess
import threading
import time
from types import FrameType

from django.db import connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, get_child_arguments
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from ...services.mail_rounds import mail_rounds_scheduled
from ...services.workers import worker_beat, worker_stopped

BEAT_SECONDS = 10
# Django's autoreloader protocol: a child that exits with this code wants to be started again.
RELOAD_EXIT_CODE = 3
# A stop signal usually reaches the child too (Ctrl-C and honcho signal the whole process group);
# the parent passes it on only to a child still running after this long, and kills one that
# ignores it.
GOODBYE_SECONDS = 2
KILL_AFTER_SECONDS = 20
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Heartbeat:
    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.started = timezone.now()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)

    def __enter__(self) -> "Heartbeat":
        worker_beat(worker_id=self.worker_id, started=self.started)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # The process is stopping: a second signal (honcho's SIGTERM right after the terminal's
        # Ctrl-C) must not cut the goodbye short and leave the worker looking alive for a minute.
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        self.stopping.set()
        self.thread.join(timeout=5)
        worker_stopped(worker_id=self.worker_id)

    def _run(self) -> None:
        try:
            while not self.stopping.wait(BEAT_SECONDS):
                worker_beat(worker_id=self.worker_id, started=self.started)
        finally:
            connection.close()  # this thread's own connection


class ReloadingParent:
    """The `--reload` parent: starts the task-running child, again each time it exits to reload."""

    def __init__(self) -> None:
        self.stop_requested = False

    def _request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_requested = True

    def run(self) -> int:
        for number in STOP_SIGNALS:
            signal.signal(number, self._request_stop)
        environment = {**os.environ, DJANGO_AUTORELOAD_ENV: "true"}
        while True:
            child = subprocess.Popen(get_child_arguments(), env=environment, close_fds=False)
            code = self._wait(child)
            if code != RELOAD_EXIT_CODE or self.stop_requested:
                return code

    def _wait(self, child: subprocess.Popen) -> int:
        while child.poll() is None and not self.stop_requested:
            time.sleep(0.2)
        if child.poll() is None:
            self._stop(child)
        return child.wait()

    def _stop(self, child: subprocess.Popen) -> None:
        try:
            child.wait(timeout=GOODBYE_SECONDS)
            return
        except subprocess.TimeoutExpired:
            child.terminate()
        try:
            child.wait(timeout=KILL_AFTER_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()


class Command(DatabaseWorkerCommand):
    help = "Run a background task worker (django-tasks-db's db_worker) that reports a heartbeat."

    def handle(self, *args: object, **options: object) -> None:
        # Under --reload this process only watches files; the child it starts runs the tasks.
        watching_only = options.get("reload") and not options.get("batch")
        if watching_only and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            raise SystemExit(ReloadingParent().run())
        with Heartbeat(str(options["worker_id"])):
            # The periodic round of reminders and digests: queued once, each round queues the next.
            mail_rounds_scheduled()
            super().handle(*args, **options)
