"""Load benchmark: a class at work against two app processes and two task workers on one machine.

    python3 -m venv /tmp/locust && /tmp/locust/bin/pip install -r bench/requirements.txt
    LOCUST=/tmp/locust/bin/locust .venv/bin/python bench/load.py          # 8, 32, 64 users, 60 s each
    LOCUST=/tmp/locust/bin/locust .venv/bin/python bench/load.py --users 8 --seconds 20   # a quick look

locust runs in a virtual environment of its own (LOCUST names its executable; without it, `locust`
on PATH): its dependencies would change the app's (with brotli installed, whitenoise and the Sentry
SDK write differently).

It makes the `sco_annot_load` database anew on the PostgreSQL server of BENCH_POSTGRES (default
127.0.0.1), loads the demo project (`seed_demo`: the class reads the same two articles) and adds
accounts for the simulated annotators and instructors, each with a logged-in session. Then it starts,
in the production shape (DEBUG off, static files collected, behind a TLS proxy), two gunicorn servers
on two ports and two task workers (`run_worker`), all sharing that database and one Redis database
(BENCH_REDIS, default redis://127.0.0.1:6379/13, emptied first) for the cache, the throttles and the
log-in lockouts. locust (bench/load_users.py) first measures the floor, a bare Django view
(`/healthz`) through the same servers, then runs the mix at each number of users. Afterwards it waits
for the queued exports and checks in the database that each ran exactly once. The section
"Load: ..." of bench/RESULTS.md is written anew; logs and locust's CSV files stay in the run
directory it prints."""

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

from run import PG_SERVER, fresh_postgres, write_section

ROOT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "sco_annot_load"
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")
PORTS = (8101, 8102)
SLUG = "sco"
ACCOUNTS = {"annotator": 64, "instructor": 8}
SECTION = "# Load: a class at work on two app processes and two task workers"
FLOOR_LATENCY = (1, 15)  # one user, no think time, 15 s: what a request costs when nothing waits
FLOOR_THROUGHPUT = (16, 20)  # sixteen users, no think time, 20 s: how many bare requests the stack serves
EXPORTS_DRAIN_SECONDS = 300


def production_environment(run_dir: Path, database: str = DATABASE_NAME) -> dict[str, str]:
    """The environment of a server in the production shape (DEBUG off, behind a TLS proxy)."""
    return {
        **os.environ,
        "DATABASE_URL": f"{PG_SERVER}/{database}",
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": "load-benchmark-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "true",
        "STATIC_ROOT": str(run_dir / "static"),
        "MEDIA_ROOT": str(run_dir / "media"),
        "PYTHONUNBUFFERED": "1",
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env: dict[str, str]) -> None:
    import redis

    fresh_postgres(DATABASE_NAME)
    redis.Redis.from_url(REDIS_URL).flushdb()
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo")


def write_plan(env: dict[str, str], path: Path) -> dict:
    """Accounts with logged-in sessions, and what the simulated users pick from, for bench/load_users.py."""
    os.environ.update(
        {k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_annot.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    from sources.models import Membership, Passage, Project, Source, Theme

    project = Project.objects.get(slug=SLUG)
    accounts: dict[str, list[dict]] = {}
    for role, count in ACCOUNTS.items():
        accounts[role] = []
        for number in range(count):
            user = get_user_model().objects.create_user(f"load-{role}-{number:02d}")
            Membership.objects.create(project=project, user=user, role=role)
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            accounts[role].append({"session": session.session_key, "csrf": secrets.token_hex(16)})
    passages = Passage.objects.filter(source__project=project).values_list("id", "text")
    words = sorted({w.strip(".,;:()").lower() for _, text in passages for w in text.split() if len(w) > 7})
    plan = {
        "project": {"slug": SLUG, "id": project.pk},
        "accounts": accounts,
        "sources": list(Source.objects.filter(project=project).values_list("id", flat=True)),
        "passages": [(pk, len(text)) for pk, text in passages if len(text) > 20],
        "themes": list(Theme.objects.filter(project=project).values_list("id", flat=True)),
        "words": words[:: max(1, len(words) // 40)],
    }
    path.write_text(json.dumps(plan), encoding="utf-8")
    return plan


def start_stack(env: dict[str, str], run_dir: Path, web_concurrency: int) -> list[subprocess.Popen]:
    processes = []
    for number, port in enumerate(PORTS, 1):
        web_env = {**env, "PORT": str(port), "WEB_CONCURRENCY": str(web_concurrency)}
        web_env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # each server gets its own (sco_annot/gunicorn.py)
        command = ["gunicorn", "--config", "python:sco_annot.gunicorn", "sco_annot.asgi:application"]
        processes.append(spawn(command, web_env, run_dir / f"web{number}.log"))
    for number in (1, 2):
        command = [
            sys.executable,
            "manage.py",
            "run_worker",
            "--no-reload",
            "--worker-id",
            f"load-worker-{number}",
        ]
        processes.append(spawn(command, env, run_dir / f"worker{number}.log"))
    deadline = time.monotonic() + 180
    while not all(ready(port) for port in PORTS):
        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
            stop_stack(processes)
            raise RuntimeError(f"the stack did not become ready; see the logs in {run_dir}")
        time.sleep(1)
    return processes


def spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def ready(port: int) -> bool:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/readyz")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def stop_stack(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def locust_executable() -> str:
    found = os.environ.get("LOCUST") or shutil.which("locust")
    if not found:
        sys.exit("locust not found: install bench/requirements.txt in a venv of its own and set LOCUST")
    return found


def cpu_seconds(processes: list[subprocess.Popen]) -> dict[str, dict[int, float]]:
    """CPU time used so far by each process of the stack: the app servers and workers (every process
    in their process groups) and the PostgreSQL backends serving the benchmark's database. A web
    process opens a connection per request (sco_annot/asgi.py), so most backends end between two
    readings: their time is read from the postmaster's count of its ended children (backends of any
    database on the server, and its autovacuum workers, which on a machine of its own are this run's)."""
    import psycopg2

    connection = psycopg2.connect(f"{PG_SERVER}/postgres")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DATABASE_NAME])
        backends = {pid for (pid,) in cursor.fetchall()}
        cursor.execute("SHOW data_directory")
        (data_directory,) = cursor.fetchone()
    connection.close()
    postmaster = int(Path(data_directory, "postmaster.pid").read_text().split()[0])
    groups = {process.pid for process in processes}
    used: dict[str, dict[int, float]] = {"app": {}, "database": {}}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        pid, group = int(stat.parent.name), int(fields[2])
        seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        if group in groups:
            used["app"][pid] = seconds
        elif pid in backends:
            used["database"][pid] = seconds
        elif pid == postmaster:  # -pid: the ended children's time, kept apart from the postmaster's own
            used["database"][-pid] = (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    return used


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    return {part: sum(t - before[part].get(pid, 0.0) for pid, t in after[part].items()) for part in after}


def locust(
    env: dict[str, str], plan: Path, out: Path, users: int, seconds: int, classes: list[str]
) -> list[dict]:
    """One headless locust run; locust's statistics per endpoint (and the total) from its CSV."""
    hosts = ",".join(f"http://127.0.0.1:{port}" for port in PORTS)
    command = [
        *(locust_executable(), "-f", str(ROOT / "bench" / "load_users.py"), "--headless"),
        *("--users", str(users), "--spawn-rate", str(max(1, users // 2)), "--run-time", f"{seconds}s"),
        *("--host", hosts.split(",")[0], "--csv", str(out), "--only-summary"),
        *("--stop-timeout", "10", "--loglevel", "WARNING", *classes),
    ]
    locust_env = {**env, "LOAD_PLAN": str(plan), "LOAD_HOSTS": hosts}
    with out.with_suffix(".log").open("wb") as log:
        subprocess.run(command, cwd=ROOT, env=locust_env, stdout=log, stderr=subprocess.STDOUT, check=False)
    with out.parent.joinpath(f"{out.name}_stats.csv").open(encoding="utf-8") as handle:
        return [
            {
                "name": row["Name"] if row["Name"] != "Aggregated" else "all requests",
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                **{f"p{q}": milliseconds(row[f"{q}%"]) for q in (50, 95, 99)},
            }
            for row in csv.DictReader(handle)
        ]


def milliseconds(cell: str) -> float:
    return float(cell) if cell not in ("", "N/A") else 0.0


def exports_checked(since: datetime) -> dict:
    """Every export asked for since `since`: finished, and run exactly once (one task, one attempt)."""
    from django_tasks_db.models import DBTaskResult

    from sources.models import ExportJob, JobStatus

    jobs = ExportJob.objects.filter(created__gte=since)
    deadline = time.monotonic() + EXPORTS_DRAIN_SECONDS
    while (
        jobs.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists() and time.monotonic() < deadline
    ):
        time.sleep(2)
    tasks = DBTaskResult.objects.filter(task_path__endswith="export_job_task", enqueued_at__gte=since)
    runs: dict[int, list] = {}
    for args_kwargs, status, worker_ids in tasks.values_list("args_kwargs", "status", "worker_ids"):
        runs.setdefault(args_kwargs["args"][0], []).append((status, worker_ids))
    done = {job.pk: job for job in jobs if job.status == JobStatus.DONE and job.file and job.size > 0}
    once = [pk for pk in done if len(runs.get(pk, [])) == 1 and len(runs[pk][0][1]) == 1]
    by_worker: dict[str, int] = {}
    for pk in once:
        worker = runs[pk][0][1][0]
        by_worker[worker] = by_worker.get(worker, 0) + 1
    return {"asked": jobs.count(), "done": len(done), "exactly_once": len(once), "by_worker": by_worker}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="8,32,64", help="comma-separated numbers of simulated users")
    parser.add_argument("--seconds", type=int, default=60, help="how long each level runs")
    parser.add_argument("--web-concurrency", type=int, default=1, help="gunicorn processes per app server")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        sys.exit("gunicorn is not installed: pip install -r requirements.txt")
    locust_executable()
    run_dir = Path(tempfile.mkdtemp(prefix="sco-annot-load-"))
    print(f"run directory: {run_dir}", flush=True)
    env = production_environment(run_dir)
    prepare_database(env)
    plan_path = run_dir / "plan.json"
    plan = write_plan(env, plan_path)
    processes = start_stack(env, run_dir, args.web_concurrency)
    results: dict = {"levels": {}, "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    results["load_before"] = os.getloadavg()
    try:
        for label, (users, seconds) in (("latency", FLOOR_LATENCY), ("throughput", FLOOR_THROUGHPUT)):
            print(f"floor ({label}): {users} users, {seconds} s", flush=True)
            before = cpu_seconds(processes)
            rows = locust(env, plan_path, run_dir / f"floor-{label}", users, seconds, ["BareView"])
            results[f"floor_{label}"] = {**rows[-1], "cpu": cpu_used(before, cpu_seconds(processes))}
        for users in (int(n) for n in args.users.split(",")):
            print(f"mix: {users} users, {args.seconds} s", flush=True)
            since, before = datetime.now(UTC), cpu_seconds(processes)
            out = run_dir / f"mix-{users}"
            rows = locust(env, plan_path, out, users, args.seconds, ["Annotator", "Instructor"])
            load = os.getloadavg()[0]
            exports = exports_checked(since)  # the exports' work counts: CPU is read once they are done
            cpu = cpu_used(before, cpu_seconds(processes))
            results["levels"][users] = {"rows": rows, "exports": exports, "load": load, "cpu": cpu}
    finally:
        stop_stack(processes)
    results["load"] = os.getloadavg()
    results["plan"] = {"passages": len(plan["passages"]), "sources": len(plan["sources"])}
    (run_dir / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    write_section(args.results, SECTION, report(results, args))
    print(report(results, args))


def report(results: dict, args: argparse.Namespace) -> str:
    latency, throughput = results["floor_latency"], results["floor_throughput"]
    lines = [
        SECTION,
        "",
        f"Run {results['started']} with `python bench/load.py`: two gunicorn servers (two ports, "
        f"{args.web_concurrency} uvicorn worker process each, each request's view on a thread of its own) "
        "and two task workers (`run_worker`) sharing "
        "one PostgreSQL database and one Redis (cache, throttles, log-in lockouts), DEBUG off, behind "
        "a simulated TLS proxy; locust on the same machine, each simulated user one account sent to "
        "one of the two servers in turn. The class works in the demo project "
        f"({results['plan']['sources']} sources, {results['plan']['passages']} passages): nine in ten "
        "users are annotators (reader page 4 : tag a span through the API 3 : search 2 : list the "
        "project's annotations 1), one in ten instructors (review page 4 : approve a draft through the "
        "API 4 : ask for a JSONL export in the background, poll its job each second as the page does, "
        "download it 1); each waits 1-3 s between actions. Each level runs "
        f"{args.seconds} s once its users have started. {machine(results)}",
        "",
        f"Floor, the bare view (`/healthz`) on the same stack: p50 {latency['p50']:.0f} ms with one "
        f"user; {throughput['rps']:.0f} requests/s with {FLOOR_THROUGHPUT[0]} users and no think time "
        f"(p50 {throughput['p50']:.0f} ms, p99 {throughput['p99']:.0f} ms, {throughput['failures']} "
        f"errors), using {cpu_ms(throughput):.1f} ms of CPU per request.",
        "",
        "CPU per request is the CPU time the stack used during the level (both app servers, both task "
        "workers, the PostgreSQL backends of the benchmark's database, those that ended during the "
        "level included; not locust, not Redis), the "
        "exports' work included, divided by the requests served: unlike the timings it does not "
        "depend on what else the machine runs. 2 CPUs / that cost is what a machine of one's own "
        "would serve at most.",
        "",
        "| users | req/s | p50 ms | p95 ms | p99 ms | errors | exports asked / done / run once "
        "| CPU ms per request (app + PostgreSQL) | vs bare | 2 CPUs serve at most |",
        "|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for users, level in results["levels"].items():
        total, exports, cpu = level["rows"][-1], level["exports"], level["cpu"]
        app, database = (cpu[part] * 1000 / max(1, total["requests"]) for part in ("app", "database"))
        ratio = cpu_ms(level) / cpu_ms(throughput)
        lines.append(
            f"| {users} | {total['rps']:.1f} | {total['p50']:.0f} | {total['p95']:.0f} | {total['p99']:.0f} "
            f"| {total['failures']} | {exports['asked']} / {exports['done']} / {exports['exactly_once']} "
            f"| {app + database:.0f} ({app:.0f} + {database:.0f}) | {ratio:.0f}x "
            f"| {2000 / cpu_ms(level):.0f} req/s |"
        )
    lines.append("")
    for users, level in results["levels"].items():
        exports = level["exports"]
        total = level["rows"][-1]
        lines += [
            f"## {users} simulated users",
            "",
            f"Load average {level['load']:.1f} at the end. Exports run exactly once: "
            f"{', '.join(f'{n} by {w}' for w, n in sorted(exports['by_worker'].items())) or 'none'}.",
            "",
            "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors | p50 / bare p50 |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in level["rows"]:
            ratio = row["p50"] / latency["p50"] if latency["p50"] else 0
            name = row["name"] if row["name"] == "all requests" else f"{row['method']} {row['name']}"
            lines.append(
                f"| {name} | {row['requests']:,} | {row['rps']:.1f} | {row['p50']:.0f} | {row['p95']:.0f} "
                f"| {row['p99']:.0f} | {row['failures']} | {ratio:.0f}x |"
            )
        lines.append("")
    return "\n".join(lines)


def machine(results: dict) -> str:
    """How busy the machine was apart from the benchmark: the timings mean little on a crowded one."""
    before, after = results["load_before"][0], results["load"][0]
    if before < 1.5:
        return f"Machine: 2 CPUs, otherwise idle (load average {before:.1f} before, {after:.1f} after)."
    return (
        f"Machine: 2 CPUs shared with other busy processes (load average {before:.1f} before the run, "
        f"{after:.1f} after it), so these numbers are a floor for a machine of one's own."
    )


def cpu_ms(measured: dict) -> float:
    """CPU milliseconds the stack spent per request served."""
    total = measured["rows"][-1] if "rows" in measured else measured
    return sum(measured["cpu"].values()) * 1000 / max(1, total["requests"])


if __name__ == "__main__":
    main()
