"""gunicorn's settings for `make serve` and the Procfile, from the environment (docs/deploy.md).

`gunicorn --config python:sco_annot.gunicorn sco_annot.asgi:application`: uvicorn workers, so that
an open event stream (docs/collaboration.md) waits without holding a thread."""

import os
import tempfile

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# Processes serve in parallel; in each, uvicorn's event loop holds the open event streams and runs
# each request's view on a thread of its own. gunicorn's own default for workers is WEB_CONCURRENCY too.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "uvicorn.workers.UvicornWorker"
# A worker that stops answering gunicorn's heartbeat this long is replaced (long work runs in the task
# worker; an event stream is not a request that blocks).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker is replaced after this many requests (with jitter, so not all at once): bounded memory.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Requests are logged by the application as structured lines; gunicorn logs only its own events.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Several processes share one set of Prometheus counters through files in this directory; it must be
# empty when the server starts and is set before any worker imports the client library.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="sco-annot-metrics-")


def child_exit(server: object, worker: object) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
