"""Run the project's own commands in child processes, as an operator would."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The browser tests allow Django's sync calls from Playwright's event loop in this process; a
# deployment would not, so the child process does not inherit that, nor the test run's settings.
NOT_INHERITED = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "PROMETHEUS_MULTIPROC_DIR",
}

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#Lq0-production-like-secret-key-with-enough-entropy-9f2b81c4d6e0a3",
    "ALLOWED_HOSTS": "annot.example.org",
}


def environment(**env: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    bin_dir = str(Path(sys.executable).parent)
    return {**clean, "PATH": f"{bin_dir}:{clean.get('PATH', '')}", "PYTHONUNBUFFERED": "1", **env}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def start(*command: str, log: Path, **env: str) -> subprocess.Popen:
    """A long-running child (a worker, gunicorn) writing to `log`, in its own process group."""
    with log.open("wb") as out:
        return subprocess.Popen(
            list(command),
            cwd=ROOT,
            env=environment(**env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen, sig: int = 15) -> int:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        return process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], *, seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"gave up after {seconds:.0f} s waiting for {what}")
