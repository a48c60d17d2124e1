"""/healthz, /readyz and /metrics as a load balancer, an orchestrator and Prometheus see them."""

import ipaddress
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sources.models import WorkerHeartbeat
from sources.services.exports import export_job_task
from sources.services.workers import worker_beat

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_asking_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_503_without_a_live_worker_and_names_the_missing_part(client):
    WorkerHeartbeat.objects.create(
        worker_id="old",
        hostname="h",
        pid=1,
        started=timezone.now(),
        last_seen=timezone.now() - timedelta(minutes=5),
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]
    assert body["checks"]["worker"] == {
        "ok": False,
        "detail": "no task worker has reported in the last minute; start `manage.py run_worker`",
    }


def test_readyz_is_200_with_database_migrations_and_a_worker(client):
    worker_beat(worker_id="w1", started=timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["worker"]["detail"] == "1 seen in the last minute"
    assert "cache" not in response.json()["checks"]  # local memory: nothing to reach


def test_metrics_are_readable_from_loopback_and_count_requests_and_the_queue(client, team):
    export_job_task.enqueue(1)
    export_job_task.enqueue(2)
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert "sco_annot_task_queue_readable 1.0" in text
    assert 'sco_annot_task_queue_depth{queue="default"} 2.0' in text
    assert 'sco_annot_tasks{queue="default",status="ready"} 2.0' in text


def test_metrics_histogram_holds_finished_job_durations(client):
    export_job_task.enqueue(1)
    now = timezone.now()
    DBTaskResult.objects.update(status="SUCCESSFUL", started_at=now - timedelta(seconds=3), finished_at=now)
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    labels = 'status="successful",task="sources.services.exports.export_job_task"'
    assert f'sco_annot_task_duration_seconds_bucket{{le="2.5",{labels}}} 0.0' in text
    assert f'sco_annot_task_duration_seconds_bucket{{le="5.0",{labels}}} 1.0' in text
    assert f"sco_annot_task_duration_seconds_count{{{labels}}} 1.0" in text
    assert f"sco_annot_task_duration_seconds_sum{{{labels}}} 3.0" in text


@pytest.mark.parametrize(
    ("remote", "headers", "allowed"),
    [
        ("203.0.113.9", {}, False),
        ("10.1.2.3", {}, True),
        ("203.0.113.9", {"HTTP_AUTHORIZATION": "Bearer s3cret-scrape-token"}, True),
        ("203.0.113.9", {"HTTP_AUTHORIZATION": "Bearer wrong"}, False),
        # Relayed by a proxy on the same machine: the loopback address is the proxy's, not the client's.
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}, False),
    ],
)
def test_metrics_are_only_for_the_configured_range_or_token(client, settings, remote, headers, allowed):
    settings.METRICS_ALLOWED_IPS = [ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("10.0.0.0/8")]
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    response = client.get("/metrics", REMOTE_ADDR=remote, **headers)
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert b"METRICS_ALLOWED_IPS" in response.content and b"django_http" not in response.content


def readyz_with_redis(client, settings, location: str) -> tuple[int, dict]:
    worker_beat(worker_id="w1", started=timezone.now())
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }
    response = client.get("/readyz")
    return response.status_code, response.json()["checks"]["cache"]


def test_readyz_reports_an_unreachable_cache(client, settings):
    status, cache = readyz_with_redis(client, settings, "redis://127.0.0.1:1/0")
    assert (status, cache) == (503, {"ok": False, "detail": "unreachable (ConnectionError)"})


def test_readyz_reaches_a_configured_redis(client, settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    status, cache = readyz_with_redis(client, settings, "redis://127.0.0.1:6379/0")
    assert (status, cache) == (200, {"ok": True, "detail": "reachable"})
