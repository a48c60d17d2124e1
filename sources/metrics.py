"""Prometheus metrics: django-prometheus' request, latency and database counters, plus the task
queue read from the shared database (depth, job durations, live workers)."""

import hmac
import ipaddress
import os
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django_tasks import TaskResultStatus
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

from .selectors.task_queue import task_counts, task_durations
from .selectors.workers import workers_seen_recently


class TaskQueueCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        # A database that is down or not migrated yet must not cost Prometheus the request metrics.
        try:
            queue = list(self._queue())
        except DatabaseError:
            queue = []
        yield GaugeMetricFamily(
            "sco_annot_task_queue_readable", "Whether the task queue could be read.", value=1 if queue else 0
        )
        yield from queue

    def _queue(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "sco_annot_task_queue_depth", "Background tasks waiting for a worker.", labels=["queue"]
        )
        tasks = GaugeMetricFamily(
            "sco_annot_tasks", "Background tasks in the queue table, by state.", labels=["queue", "status"]
        )
        waiting: dict[str, int] = {"default": 0}
        for queue, status, number in task_counts():
            tasks.add_metric([queue, status.lower()], number)
            if status == TaskResultStatus.READY:
                waiting[queue] = number
        for queue, number in waiting.items():
            depth.add_metric([queue], number)
        durations = HistogramMetricFamily(
            "sco_annot_task_duration_seconds",
            "How long finished background tasks ran.",
            labels=["task", "status"],
        )
        for row in task_durations():
            buckets = [(floatToGoString(bound), count) for bound, count in row["buckets"]]
            durations.add_metric(
                [row["task"], row["status"].lower()], [*buckets, ("+Inf", row["count"])], row["seconds"]
            )
        yield depth
        yield tasks
        yield durations
        yield GaugeMetricFamily(
            "sco_annot_workers_alive",
            "Task workers that reported a heartbeat in the last minute.",
            value=workers_seen_recently(),
        )


def metrics_exposition() -> bytes:
    """The text exposition: under gunicorn every process's counters (multiprocess mode, see
    sco_annot/gunicorn.py), otherwise this process's; then the queue, read once for the pool."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    queue = CollectorRegistry(auto_describe=False)
    queue.register(TaskQueueCollector())
    return generate_latest(processes) + generate_latest(queue)


def may_read_metrics(request: HttpRequest) -> bool:
    """A client in METRICS_ALLOWED_IPS, or one that sends METRICS_TOKEN as a bearer token. A request
    relayed by a proxy (X-Forwarded-For) is the proxy's address, so only the token counts for it."""
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].encode(), token.encode()):
        return True
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_IPS)
