"""Label Studio and doccano, driven through their HTTP APIs for bench/peers.py: each installed into a
virtual environment of its own outside the repository (reused when present), started fresh on a new
data directory with its default database, then fed and read like a user's script would."""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from workload import LABELS

PAGE = os.sysconf("SC_PAGE_SIZE")
POLL = 0.2
START_TIMEOUT = 900
# The annotator the workload's Label Studio export names (Label Studio refuses annotations by an
# e-mail address it has no account for).
USER, PASSWORD, EMAIL = "bench", "bench-password-14", "annotator@example.org"


# --- memory of a process tree ---------------------------------------------------------------------


def tree_rss_mb(roots: list[int]) -> float:
    """The summed resident memory of `roots` and all their descendants (pages shared between forked
    workers count in each, as `ps` and `top` show them)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        pid = stack.pop()
        if pid not in seen:
            seen.add(pid)
            stack.extend(children.get(pid, []))
    pages = 0
    for pid in seen:
        try:
            with open(f"/proc/{pid}/statm") as handle:
                pages += int(handle.read().split()[1])
        except OSError:
            continue
    return pages * PAGE / 2**20


class Watch:
    """Wall time and the peak resident memory of a process tree (sampled every 0.1 s) over a block."""

    def __init__(self, roots: list[int]) -> None:
        self.roots = roots
        self.idle_mb = tree_rss_mb(roots)
        self.peak_mb = self.idle_mb
        self.seconds = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(0.1):
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self.roots))

    def __enter__(self) -> "Watch":
        self._thread.start()
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._started
        self._done.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, tree_rss_mb(self.roots))

    def result(self, **more: object) -> dict:
        return {"seconds": self.seconds, "peak_mb": self.peak_mb, "idle_mb": self.idle_mb, **more}


# --- HTTP -----------------------------------------------------------------------------------------


def call(method: str, url: str, headers: dict[str, str], body: dict | None = None) -> dict:
    """A JSON request; an HTTP error is raised with the answer's text."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={**headers, "Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=3600) as answer:
            return json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{method} {url}: {error.code} {error.read()[:1000]!r}") from error


def curl(*args: str) -> str:
    """curl streams uploads and downloads from and to disk, so this process stays small."""
    done = subprocess.run(
        ["curl", "-sS", "--fail-with-body", *args], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"curl {' '.join(args)}: {done.stderr.strip()} {done.stdout[:1000]}")
    return done.stdout


def wait_until(check: Callable[[], object], what: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, RuntimeError, urllib.error.URLError):
            pass
        time.sleep(POLL * 5)
    raise RuntimeError(f"{what}: not ready after {timeout:.0f} s")


# --- the peers ------------------------------------------------------------------------------------


class Peer:
    """One peer application: its virtual environment, its server processes, its API."""

    name = ""
    requirements: list[str] = []
    database = ""
    shape = ""

    def __init__(self, venvs: Path, home: Path, port: int) -> None:
        self.venv = venvs / self.name
        self.home = home / self.name
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.processes: list[subprocess.Popen] = []
        self.headers: dict[str, str] = {}

    def install(self) -> str:
        """Make the virtual environment and install the pinned release unless it is there already."""
        marker = self.venv / "installed.txt"
        wanted = "\n".join(self.requirements)
        if marker.exists() and marker.read_text() == wanted:
            return "reused"
        shutil.rmtree(self.venv, ignore_errors=True)
        base_python = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base_python, "-m", "venv", str(self.venv)], check=True)
        log = self.venv.parent / f"{self.name}-install.log"
        with log.open("w") as handle:
            done = subprocess.run(
                [str(self.venv / "bin" / "pip"), "install", *self.requirements],
                stdout=handle,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if done.returncode:
            tail = log.read_text().strip().splitlines()[-5:]
            raise RuntimeError(f"pip install {' '.join(self.requirements)} failed: {' / '.join(tail)}")
        marker.write_text(wanted)
        return "installed"

    def version(self) -> str:
        package = self.requirements[0].split("==")[0]
        done = subprocess.run(
            [str(self.venv / "bin" / "pip"), "show", package], capture_output=True, text=True, check=True
        )
        return next(line.split(": ", 1)[1] for line in done.stdout.splitlines() if line.startswith("Version"))

    def environment(self) -> dict[str, str]:
        return {**os.environ, "PATH": f"{self.venv / 'bin'}:{os.environ['PATH']}"}

    def spawn(self, *args: str, log: str) -> subprocess.Popen:
        handle = (self.home / log).open("ab")
        process = subprocess.Popen(
            [str(self.venv / "bin" / args[0]), *args[1:]],
            env=self.environment(),
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=self.home,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = []

    def roots(self) -> list[int]:
        return [process.pid for process in self.processes]

    def fresh_home(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)
        self.home.mkdir(parents=True)

    def measure(self, workload: Path, out: Path, title: str) -> dict:
        """Start afresh, make a project, import `workload`, export it in each format, stop. A step
        that fails is recorded as `error` (what failed and the peer's answer) and ends the peer's run."""
        steps: dict = {}
        stage = "start"
        try:
            self.start()
            stage = "create project"
            project = self.new_project(title)
            stage = "import"
            with Watch(self.roots()) as watch:
                summary = self.import_file(project, workload)
            steps["import"] = watch.result(summary=summary)
            for step, fmt in self.exports.items():
                stage = step
                target = out / f"{self.name}-{title}.{fmt.lower()}"
                with Watch(self.roots()) as watch:
                    self.export_file(project, fmt, target)
                steps[step] = watch.result(bytes=target.stat().st_size)
        except (OSError, RuntimeError, KeyError, ValueError, subprocess.SubprocessError) as error:
            steps["error"] = f"{stage}: {error}"[:2000]
        finally:
            self.stop()
        return steps

    def start(self) -> None:
        raise NotImplementedError

    def new_project(self, title: str) -> int:
        raise NotImplementedError

    def import_file(self, project: int, path: Path) -> dict:
        raise NotImplementedError

    def export_file(self, project: int, fmt: str, out: Path) -> None:
        raise NotImplementedError


class LabelStudio(Peer):
    name = "label-studio"
    requirements = ["label-studio==1.23.2"]
    database = "SQLite (its default, in the data directory)"
    shape = "`label-studio start`: one Django process (threaded development server, as it ships)"
    files = "json"
    exports = {"export JSON": "JSON", "export CSV": "CSV"}
    token = "bench-token-0123456789abcdef"

    def start(self) -> None:
        self.fresh_home()
        self.spawn(
            "label-studio",
            "start",
            "--no-browser",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.home / "data"),
            "--username",
            EMAIL,
            "--password",
            PASSWORD,
            "--user-token",
            self.token,
            "--enable-legacy-api-token",
            log="server.log",
        )
        self.headers = {"Authorization": f"Token {self.token}"}
        wait_until(lambda: call("GET", f"{self.base}/api/projects", self.headers) is not None, self.name)

    def new_project(self, title: str) -> int:
        labels = "".join(f'<Label value="{label}"/>' for label in LABELS)
        config = (
            f'<View><Labels name="label" toName="text">{labels}</Labels>'
            '<Text name="text" value="$text"/></View>'
        )
        answer = call(
            "POST", f"{self.base}/api/projects", self.headers, {"title": title, "label_config": config}
        )
        return answer["id"]

    def import_file(self, project: int, path: Path) -> dict:
        out = curl(
            "-X", "POST", "-H", f"Authorization: Token {self.token}", "-F", f"file=@{path}",
            f"{self.base}/api/projects/{project}/import",
        )  # fmt: skip
        answer = json.loads(out)
        return {"tasks": answer.get("task_count"), "annotations": answer.get("annotation_count")}

    def export_file(self, project: int, fmt: str, out: Path) -> None:
        curl(
            "-H", f"Authorization: Token {self.token}", "-o", str(out),
            f"{self.base}/api/projects/{project}/export?exportType={fmt}",
        )  # fmt: skip


class Doccano(Peer):
    name = "doccano"
    requirements = ["doccano==1.8.4", "marshmallow<4", "numpy<2"]
    database = "SQLite (its default, `$DOCCANO_HOME/db.sqlite3`; Celery's broker in the same file)"
    shape = (
        "`doccano webserver` (gunicorn, 2 x CPUs + 1 = 5 workers, its default) and `doccano task` "
        "(a Celery worker, concurrency 2): imports and exports run as Celery tasks"
    )
    files = "jsonl"
    exports = {"export JSON": "JSONL"}

    def environment(self) -> dict[str, str]:
        return {**super().environment(), "DOCCANO_HOME": str(self.home)}

    def start(self) -> None:
        self.fresh_home()
        for args in (["init"], ["createuser", "--username", USER, "--password", PASSWORD, "--email", EMAIL]):
            if self.spawn("doccano", *args, log="setup.log").wait():
                tail = (self.home / "setup.log").read_text(errors="replace").strip().splitlines()[-3:]
                raise RuntimeError(f"doccano {args[0]}: {' / '.join(tail)}")
            self.processes.pop()
        self.spawn("doccano", "webserver", "--port", str(self.port), log="server.log")
        self.spawn("doccano", "task", log="task.log")

        def login() -> bool:
            answer = call("POST", f"{self.base}/v1/auth/login/", {}, {"username": USER, "password": PASSWORD})
            self.headers = {"Authorization": f"Token {answer['key']}"}
            return True

        wait_until(login, self.name)

    def new_project(self, title: str) -> int:
        body = {
            "name": title,
            "description": "benchmark",
            "guideline": "",
            "project_type": "SequenceLabeling",
            "resourcetype": "SequenceLabelingProject",
        }
        return call("POST", f"{self.base}/v1/projects", self.headers, body)["id"]

    def finish(self, task_id: str) -> dict:
        """Wait for a Celery task; its result, or its error raised."""
        while True:
            status = call("GET", f"{self.base}/v1/tasks/status/{task_id}", self.headers)
            if status.get("ready"):
                if status.get("error"):
                    raise RuntimeError(f"doccano task {task_id}: {status['error']}")
                return status.get("result") or {}
            time.sleep(POLL)

    def import_file(self, project: int, path: Path) -> dict:
        upload = curl(
            "-X", "POST", "-H", f"Authorization: {self.headers['Authorization']}",
            "-F", f"filepond=@{path}", f"{self.base}/v1/fp/process/",
        ).strip()  # fmt: skip
        body = {
            "uploadIds": [upload],
            "format": "JSONL",
            "task": "SequenceLabeling",
            "column_data": "text",
            "column_label": "label",
            "delimiter": ",",
            "encoding": "utf_8",
        }
        task = call("POST", f"{self.base}/v1/projects/{project}/upload", self.headers, body)["task_id"]
        result = self.finish(task)
        if result.get("error"):
            raise RuntimeError(f"doccano import: {result['error'][:5]}")
        examples = call("GET", f"{self.base}/v1/projects/{project}/examples?limit=1", self.headers)
        spans = call("GET", f"{self.base}/v1/projects/{project}/span-types", self.headers)
        return {"tasks": examples.get("count"), "span types": len(spans)}

    def export_file(self, project: int, fmt: str, out: Path) -> None:
        body = {"format": fmt, "exportApproved": False}
        task = call("POST", f"{self.base}/v1/projects/{project}/download", self.headers, body)["task_id"]
        self.finish(task)
        curl(
            "-H", f"Authorization: {self.headers['Authorization']}", "-o", str(out),
            f"{self.base}/v1/projects/{project}/download?taskId={task}",
        )  # fmt: skip


PEERS = [LabelStudio, Doccano]
