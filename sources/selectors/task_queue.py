"""The read side of the task queue, for the metrics: how much is waiting, how long jobs take.

Read from the database the workers share, so any web process reports the whole pool's numbers."""

from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django_tasks_db.models import DBTaskResult

# Upper bounds (seconds) of the job duration histogram: from a quick release to a large export.
DURATION_BUCKETS = (0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)


def task_counts() -> list[tuple[str, str, int]]:
    """(queue, status, number of tasks) for every combination present."""
    rows = DBTaskResult.objects.values_list("queue_name", "status").annotate(n=Count("id")).order_by()
    return list(rows)


def task_durations() -> list[dict]:
    """Per task and final status: how many finished, their total seconds, and how many took at most
    each bucket's bound (cumulative, as a Prometheus histogram counts)."""
    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    buckets = {
        f"le_{index}": Count("id", filter=Q(duration__lte=timedelta(seconds=bound)))
        for index, bound in enumerate(DURATION_BUCKETS)
    }
    rows = (
        DBTaskResult.objects.filter(finished_at__isnull=False, started_at__isnull=False)
        .annotate(duration=duration)
        .values("task_path", "status")
        .annotate(count=Count("id"), total=Sum("duration"), **buckets)
        .order_by("task_path", "status")
    )
    return [
        {
            "task": row["task_path"],
            "status": row["status"],
            "count": row["count"],
            "seconds": row["total"].total_seconds() if row["total"] else 0.0,
            "buckets": [(bound, row[f"le_{index}"]) for index, bound in enumerate(DURATION_BUCKETS)],
        }
        for row in rows
    ]
