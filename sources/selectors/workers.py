"""The read side of worker heartbeats: has any task worker been seen lately?"""

from datetime import timedelta

from django.utils import timezone

from ..models import WorkerHeartbeat

# A worker beats every few seconds (`run_worker`); a minute of silence means none is running.
SEEN_WITHIN = timedelta(minutes=1)


def workers_seen_recently() -> int:
    """How many workers have beaten within the last minute."""
    return WorkerHeartbeat.objects.filter(last_seen__gte=timezone.now() - SEEN_WITHIN).count()
