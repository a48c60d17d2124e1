"""A real task worker process (`manage.py run_worker`) picks up a queued export, finishes it, and
reports a heartbeat while it runs."""

import signal
import sqlite3
import sys

from .processes import manage, start, stop, wait_for

QUEUE_AN_EXPORT = """
from django.contrib.auth import get_user_model
from sources.models import Membership, Project, Role
from sources.services.exports import export_job_start
user = get_user_model().objects.create_user("annotator1")
project = Project.objects.create(slug="sco", name="SCO")
Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
job = export_job_start(project=project, user=user, format="qdc", filters={})
print(job.pk)
"""


def test_a_worker_process_runs_a_queued_export_and_beats_while_alive(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "MEDIA_ROOT": str(tmp_path / "media")}
    for step in (("migrate", "--noinput"), ("shell", "--no-imports", "-c", QUEUE_AN_EXPORT)):
        done = manage(*step, **env)
        assert done.returncode == 0, done.stderr
    job_id = int(done.stdout.split()[-1])

    def row(sql: str) -> tuple | None:
        with sqlite3.connect(database) as db:
            return db.execute(sql).fetchone()

    assert row(f"select status from sources_exportjob where id={job_id}") == ("queued",)
    log = tmp_path / "worker.log"
    worker = start(
        sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2",
        log=log, **env,
    )  # fmt: skip
    try:
        wait_for(
            lambda: row(f"select status from sources_exportjob where id={job_id}") == ("done",),
            seconds=90,
            what=f"the export to finish; worker log:\n{log.read_text()}",
        )
        assert row("select pid from sources_workerheartbeat") is not None
        name, size = row(f"select file, size from sources_exportjob where id={job_id}")
        assert (tmp_path / "media" / name).stat().st_size == size > 0
    finally:
        assert stop(worker, signal.SIGTERM) == 0, log.read_text()
    # A worker that stops says so: pages no longer count on it.
    assert row("select count(*) from sources_workerheartbeat") == (0,)
