"""Signs of life from the background task workers."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker's last sign of life, written every few seconds by `manage.py run_worker`, so that
    pages and `/readyz` can tell a job waiting its turn from a job nobody is going to run."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.hostname} (pid {self.pid})"
