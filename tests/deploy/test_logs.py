"""Logs an operator can use: one structured line per request and per background job, JSON in
production, and errors sent to Sentry when a DSN is configured."""

import gzip
import importlib
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from sources.services.exports import export_job_start

from .processes import manage

pytestmark = pytest.mark.django_db


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict]:
    return [r.msg for r in caplog.records if isinstance(r.msg, dict) and r.msg.get("event") == name]


def test_each_request_writes_one_line_with_who_what_where_and_how_long(client, team, caplog):
    caplog.set_level(logging.INFO)
    client.force_login(team.annotator)
    caplog.clear()
    assert client.get("/p/class/").status_code == 200
    [line] = events(caplog, "request_finished")
    assert events(caplog, "request_started") == []
    assert line["user_id"] == team.annotator.pk
    assert (line["method"], line["path"], line["project"], line["code"]) == ("GET", "/p/class/", "class", 200)
    assert line["queries"] > 0 and line["duration_ms"] > 0
    assert len(line["request_id"]) == 36


def test_each_background_job_writes_a_line_with_its_outcome(team, settings, tmp_path, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.INFO)
    job = export_job_start(project=team.project, user=team.annotator, format="csv", filters={})
    [line] = events(caplog, "task_finished")
    assert line["task"] == "sources.services.exports.export_job_task"
    assert line["status"] == "SUCCESSFUL" and line["args"] == [job.pk]
    assert line["duration_ms"] >= 0


def test_production_logs_are_json_lines():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.test import Client; Client().get('/healthz')",
        LOG_FORMAT="json",
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    [request] = [line for line in lines if line["event"] == "request_finished"]
    assert request["path"] == "/healthz" and request["code"] == 200 and request["level"] == "info"
    assert {"request_id", "timestamp", "duration_ms", "queries", "user_id"} <= request.keys()


def unpacked(encoding: str, body: bytes) -> bytes:
    """An envelope as the SDK sent it: gzip, or brotli when that is installed (locust brings it)."""
    if encoding == "br":
        return importlib.import_module("brotli").decompress(body)
    return gzip.decompress(body) if encoding == "gzip" else body


def test_errors_go_to_sentry_when_a_dsn_is_set():
    received: list[bytes] = []

    class Sentry(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(unpacked(self.headers.get("Content-Encoding", ""), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Sentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    script = (
        "import sentry_sdk\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    sentry_sdk.capture_exception()\n"
        "sentry_sdk.flush(10)\n"
    )
    try:
        result = manage(
            "shell",
            "--no-imports",
            "-c",
            script,
            SENTRY_DSN=f"http://publickey@127.0.0.1:{server.server_port}/1",
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert any(b"ZeroDivisionError" in body for body in received)
