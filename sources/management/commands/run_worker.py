"""`manage.py run_worker`: django-tasks-db's `db_worker`, plus a heartbeat.

The worker loop itself is db_worker's; a side thread records every few seconds that this worker is
alive (also while a long task runs), and the row is removed when the worker stops, so job pages and
`/readyz` know whether queued work will ever be picked up."""

import os
import signal
import threading

from django.db import connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from ...services.workers import worker_beat, worker_stopped

BEAT_SECONDS = 10


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
        for number in (signal.SIGINT, signal.SIGTERM):
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


class Command(DatabaseWorkerCommand):
    help = "Run a background task worker (django-tasks-db's db_worker) that reports a heartbeat."

    def handle(self, *args: object, **options: object) -> None:
        # Under --reload the parent process only watches files; the child it starts runs the tasks.
        watching_only = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if watching_only:
            super().handle(*args, **options)
            return
        with Heartbeat(str(options["worker_id"])):
            super().handle(*args, **options)
