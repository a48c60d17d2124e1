"""The production shape: gunicorn with DEBUG off refuses to start without what it needs, and
serves the probes when everything is in place."""

import subprocess
import sys
import urllib.error
import urllib.request

from .processes import PRODUCTION, ROOT, environment, free_port, manage, start, stop, wait_for


def test_debug_off_without_collected_static_files_names_collectstatic(tmp_path):
    result = manage("check", **PRODUCTION, STATIC_ROOT=str(tmp_path))
    assert result.returncode != 0
    assert "Static files are not collected" in result.stderr
    assert "manage.py collectstatic --noinput" in result.stderr


def test_stale_collected_static_files_are_named(tmp_path):
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    result = manage("check", **PRODUCTION, STATIC_ROOT=str(tmp_path))
    assert result.returncode != 0
    assert "Collected static files are out of date" in result.stderr


def gunicorn(tmp_path, port: int, **env: str) -> subprocess.Popen:
    return start(
        sys.executable, "-m", "gunicorn", "--config", "python:sco_annot.gunicorn",
        "sco_annot.asgi:application",
        log=tmp_path / "gunicorn.log",
        **PRODUCTION, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **env,
    )  # fmt: skip


def test_gunicorn_refuses_to_start_without_collected_static_files(tmp_path):
    server = gunicorn(tmp_path, free_port(), STATIC_ROOT=str(tmp_path / "empty"))
    try:
        code = server.wait(timeout=120)
    finally:
        stop(server)
    assert code != 0
    assert "Static files are not collected" in (tmp_path / "gunicorn.log").read_text()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object) -> None:
        return None


def get(url: str, **headers: str) -> tuple[int, bytes]:
    """(status, body) as the server answered, redirects included; 0 when nothing answers."""
    request = urllib.request.Request(url, headers={"Host": "annot.example.org", **headers})
    try:
        with urllib.request.build_opener(NoRedirects).open(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def test_gunicorn_with_debug_off_serves_the_probes_and_metrics(tmp_path, collected_static):
    port = free_port()
    server = gunicorn(tmp_path, port, STATIC_ROOT=str(collected_static))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: get(f"{base}/healthz")[0] == 200,
            seconds=120,
            what=f"gunicorn to answer; log:\n{(tmp_path / 'gunicorn.log').read_text()}",
        )
        assert get(f"{base}/healthz") == (200, b'{"status": "ok"}')
        status, body = get(f"{base}/readyz")  # a fresh database: nothing migrated, no worker
        assert status == 503 and b"run `manage.py migrate`" in body
        for _ in range(4):  # spread over both processes
            get(f"{base}/healthz")
        status, body = get(f"{base}/metrics")
        assert status == 200
        assert b'django_http_responses_total_by_status_total{status="200"}' in body
        assert b"sco_annot_task_queue_readable 0.0" in body  # not migrated: no queue to read, no 500
        # Pages still need HTTPS: only the probes are exempt from the redirect.
        assert get(f"{base}/accounts/login/")[0] == 301
    finally:
        stop(server)


def test_make_serve_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in environment().items() if k != "SECRET_KEY"}
    result = subprocess.run(
        ["make", "-o", ".venv/.installed", "serve"],
        cwd=ROOT,
        env={**env, "ALLOWED_HOSTS": "annot.example.org"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
