"""What the structured log says about each request and each background job (docs/deploy.md).

django-structlog writes the request line (`request_finished`, with the request id, user id and
client address it binds); this module adds the project, method, path, duration and number of
queries, and writes one `task_finished` line per background job."""

import time
from collections.abc import Callable
from typing import Any

import structlog
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django_structlog import signals as request_signals
from django_tasks.signals import task_finished, task_started

logger = structlog.get_logger("sources.jobs")


class RequestMeasuresMiddleware:
    """Times the request and counts its database queries, for the request's log line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = 0

        def count(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        request.log_measures = {
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "queries": queries,
        }
        return response


def bind_request_fields(sender: object, request: HttpRequest, log_kwargs: dict, **kwargs: object) -> None:
    match = request.resolver_match
    project = match.kwargs.get("slug") or match.kwargs.get("project_slug") if match else None
    log_kwargs.update(
        method=request.method,
        path=request.path,
        project=project,
        view=match.view_name if match else None,
        **getattr(request, "log_measures", {}),
    )


def job_started(sender: object, task_result: Any, **kwargs: object) -> None:
    structlog.contextvars.bind_contextvars(task_id=str(task_result.id))


def job_finished(sender: object, task_result: Any, **kwargs: object) -> None:
    started, finished = task_result.started_at, task_result.finished_at
    logger.info(
        "task_finished",
        task_id=str(task_result.id),
        task=task_result.task.module_path,
        queue=task_result.task.queue_name,
        status=str(task_result.status),
        args=list(task_result.args),
        worker=task_result.worker_ids[-1] if task_result.worker_ids else None,
        duration_ms=round((finished - started).total_seconds() * 1000, 1) if started and finished else None,
        errors=[error.exception_class_path for error in task_result.errors],
    )
    structlog.contextvars.unbind_contextvars("task_id")


def connect() -> None:
    request_signals.bind_extra_request_finished_metadata.connect(
        bind_request_fields, dispatch_uid="sco-request"
    )
    request_signals.bind_extra_request_failed_metadata.connect(bind_request_fields, dispatch_uid="sco-failed")
    task_started.connect(job_started, dispatch_uid="sco-job-started")
    task_finished.connect(job_finished, dispatch_uid="sco-job-finished")
