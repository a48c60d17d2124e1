"""The write side of worker heartbeats: a running worker says it is alive, and says goodbye."""

import os
import socket
from datetime import datetime, timedelta

from django.utils import timezone

from ..models import WorkerHeartbeat

# A heartbeat older than this belongs to a worker that died without saying goodbye (kill -9, a lost
# machine); it is pruned so the table stays as small as the pool.
FORGOTTEN_AFTER = timedelta(days=1)


def worker_beat(*, worker_id: str, started: datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname(), "pid": os.getpid(), "started": started, "last_seen": now},
    )
    WorkerHeartbeat.objects.filter(last_seen__lt=now - FORGOTTEN_AFTER).delete()


def worker_stopped(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
