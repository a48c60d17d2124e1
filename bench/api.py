"""API benchmark: the annotation and passage lists and tagging, each beside a bare Django view that
answers the same rows (or writes the same tag and its history row) with no authentication,
permission check, validation or serializer, on the same gunicorn and PostgreSQL, in the same run.

    .venv/bin/python bench/api.py              # prints a Markdown table
    .venv/bin/python bench/api.py --write      # and replaces its section of bench/RESULTS.md

Needs wrk (Debian: `apt install wrk`). The scratch database `sco_annot_api_bench` on the PostgreSQL
server of BENCH_POSTGRES (default 127.0.0.1) is made anew and filled with one project: a source of
2,000 passages and 20,000 tags by four annotators. One gunicorn server in the production shape
(DEBUG off, two uvicorn worker processes) serves the app with the floor's views added
(bench/api_settings.py, bench/api_urls.py). wrk then drives each endpoint for a fixed time with 32
connections (reads) or 8 (writes), signed in with an API token as a member of the project; the
deep page is the API's cursor after 19,000 tags."""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from load import production_environment, spawn, stop_stack
from run import fresh_postgres, laid_out, write_section

ROOT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "sco_annot_api_bench"
PORT = 8121
PASSAGES = 2000
AUTHORS = 4
TAGS_PER_PASSAGE = 10
PAGE = 100
THREADS = 2  # wrk's; TAG_SCRIPT counts on two
# As the TLS proxy in front of the server says (BEHIND_PROXY): otherwise every request is redirected.
PROXY = {"X-Forwarded-Proto": "https"}
SECTION = "# API: lists and tagging beside a bare Django view"
# A tag per request on a new span of a passage: thread `id` (set in setup), a counter and the round
# (the warm-up is round 0, the measured run round 1) never repeat.
TAG_SCRIPT = """
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
function init(args)
  first, count, theme, author = tonumber(args[1]), tonumber(args[2]), args[3], args[4]
  round = tonumber(args[5])
  sent = 0
  headers = {["Content-Type"] = "application/json"}  -- with the -H headers (token, proxy)
  for name, value in pairs(wrk.headers) do headers[name] = value end
end
function request()
  local n = ((sent * 2) + id) * 2 + round
  sent = sent + 1
  local start = math.floor(n / count) % 250
  local body = string.format('{"passage": %d, "theme": %s, "start": %d, "end": %d}',
    first + n % count, theme, start, start + 5)
  return wrk.format("POST", wrk.path .. author, headers, body)
end
"""


def environment(run_dir: Path) -> dict[str, str]:
    return {
        **production_environment(run_dir, DATABASE_NAME),
        "DJANGO_SETTINGS_MODULE": "api_settings",
        "PYTHONPATH": str(ROOT / "bench"),
        "WEB_CONCURRENCY": "2",
        # Not replaced mid-run: a replaced worker resets the keep-alive connections wrk is reusing.
        "GUNICORN_MAX_REQUESTS": "1000000",
        "PORT": str(PORT),
        "LOG_LEVEL": "WARNING",
    }


def prepare_database(env: dict[str, str]) -> None:
    fresh_postgres(DATABASE_NAME)
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)


def fill(env: dict[str, str]) -> dict:
    """The project, its members and their tags; what the requests need to name."""
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "sco_annot.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from knox.models import AuthToken

    from sources.models import Annotation, Membership, Passage, Project, Source, Theme

    User = get_user_model()
    project = Project.objects.create(slug="api", name="API benchmark")
    reader = User.objects.create_user("api-reader")
    floor_author = User.objects.create_user("api-floor")
    authors = [User.objects.create_user(f"api-annotator-{n}") for n in range(AUTHORS)]
    for user in (reader, floor_author, *authors):
        Membership.objects.create(project=project, user=user, role="annotator")
    themes = [Theme.objects.create(project=project, slug=f"theme-{n}", name=f"Theme {n}") for n in range(6)]
    sentence = "Energy corridors and regional security shape the SCO's agenda in Central Asia. "
    texts = [f"{n}. " + sentence * 4 for n in range(PASSAGES)]
    text = "\n\n".join(texts)
    source = Source.objects.create(project=project, title="API benchmark", text=text, sha256="0" * 64)
    passages = Passage.objects.bulk_create(laid_out(source, texts, language="en"))
    tags = [
        Annotation(
            passage=passage,
            theme=themes[k % len(themes)],
            author=authors[k % AUTHORS],
            start=k * 7,
            end=k * 7 + 6,
            quote=passage.text[k * 7 : k * 7 + 6],
        )
        for passage in passages
        for k in range(TAGS_PER_PASSAGE)
    ]
    Annotation.objects.bulk_create(tags, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _, token = AuthToken.objects.create(reader)
    return {
        "project": project.pk,
        "slug": project.slug,
        "source": source.pk,
        "theme": themes[0].pk,
        "first_passage": passages[0].pk,
        "floor_author": floor_author.pk,
        "reader": reader.pk,
        "token": token,
    }


def get_json(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}", **PROXY})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def deep_page(base: str, plan: dict) -> str:
    """The API's own cursor after 19,000 of the 20,000 tags, followed page by page."""
    url = f"{base}/api/annotations/?project={plan['slug']}&page_size=500"
    for _ in range(19_000 // 500):
        url = get_json(url, plan["token"])["next"].replace("https://", "http://", 1)
    return url.replace("page_size=500", f"page_size={PAGE}")


def milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(
    url: str, *, seconds: int, clients: int, token: str | None = None, script: list[str] | None = None
) -> dict:
    command = ["wrk", f"-t{THREADS}", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += [arg for name, value in PROXY.items() for arg in ("-H", f"{name}: {value}")]
    if token:
        command += ["-H", f"Authorization: Token {token}"]
    if script:
        command += ["-s", script[0], url, "--", *script[1:]]
    else:
        command.append(url)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": milliseconds(latency["50"]),
        "p99": milliseconds(latency["99"]),
        "errors": (int(errors.group(1)) if errors else 0) + (sum(map(int, failed.groups())) if failed else 0),
    }


def measure(plan: dict, run_dir: Path, seconds: int) -> list[dict]:
    base = f"http://127.0.0.1:{PORT}"
    token = plan["token"]
    deep = deep_page(base, plan)
    tag_script = run_dir / "tag.lua"
    tag_script.write_text(TAG_SCRIPT, encoding="utf-8")
    tag_args = [str(plan["first_passage"]), str(PASSAGES), str(plan["theme"])]
    steps = [
        ("annotations, first page", f"{base}/floor/annotations/?project={plan['project']}&page_size={PAGE}",
         f"{base}/api/annotations/?project={plan['slug']}&page_size={PAGE}", 32, None),
        ("annotations, deep page", None, deep, 32, None),
        ("passages, first page", f"{base}/floor/passages/?source={plan['source']}&page_size={PAGE}",
         f"{base}/api/passages/?source={plan['source']}&page_size={PAGE}", 32, None),
        ("tag a span (POST)", f"{base}/floor/tag/", f"{base}/api/annotations/", 8,
         ([*tag_args, f"?author={plan['floor_author']}"], [*tag_args, ""])),
    ]  # fmt: skip
    rows = []
    for name, floor_url, api_url, clients, tag in steps:
        row = {"name": name, "clients": clients}
        for side, url in (("floor", floor_url), ("api", api_url)):
            if url is None:
                continue
            script = [str(tag_script), *tag[0 if side == "floor" else 1]] if tag else None
            warm_up, measured = ([*script, str(round)] if script else None for round in (0, 1))
            warm_up = wrk(url, seconds=2, clients=clients, token=token, script=warm_up)
            row[side] = wrk(url, seconds=seconds, clients=clients, token=token, script=measured)
            if tag:  # every request wrote its tag (a redirect or a refusal would count as served)
                author = plan["floor_author"] if side == "floor" else plan["reader"]
                expected = warm_up["requests"] + row[side]["requests"]
                row[side]["errors"] += max(0, expected - tags_by(author))  # in flight at the end: written
            print(name, side, row[side], flush=True)
        rows.append(row)
    return rows


def tags_by(author: int) -> int:
    from sources.models import Annotation

    return Annotation.objects.filter(author_id=author).count()


def report(rows: list[dict], started: str, seconds: int, load: tuple[float, float]) -> str:
    first = rows[0]["api"]
    lines = [
        SECTION,
        "",
        f"Run {started} with `python bench/api.py`: one gunicorn server (two uvicorn worker processes, "
        "DEBUG off) and PostgreSQL on the same 2-CPU machine as wrk (two threads), each endpoint driven "
        f"for {seconds} s after a 2 s warm-up. The project: one source of {PASSAGES:,} passages and "
        f"{PASSAGES * TAGS_PER_PASSAGE:,} tags by {AUTHORS} annotators; pages of {PAGE} rows; the "
        "client signs in with an API token as an annotator of the project. The floor is a bare Django "
        "view on the same server answering the same rows and columns as JSON (or writing the same tag, "
        "with its history row), with no authentication, permission check, validation or serializer. "
        "Errors are non-2xx answers and socket errors as wrk counts them. "
        f"Load average {load[0]:.1f} before the run, {load[1]:.1f} after it.",
        "",
        "| request | clients | floor req/s | API req/s | API / floor | API p50 ms | API p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        api, floor = row["api"], row.get("floor")
        if floor:
            floor_rps, ratio = f"{floor['rps']:.0f}", f"{api['rps'] / floor['rps']:.2f}"
        else:
            floor_rps, ratio = "-", f"{api['rps'] / first['rps']:.2f} of the first page's"
        lines.append(
            f"| {row['name']} | {row['clients']} | {floor_rps} | {api['rps']:.0f} | {ratio} "
            f"| {api['p50']:.1f} | {api['p99']:.1f} | {api['errors']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="replace this section of bench/RESULTS.md")
    args = parser.parse_args()
    run_dir = Path(tempfile.mkdtemp(prefix="sco-annot-api-"))
    print(f"run directory: {run_dir}", flush=True)
    env = environment(run_dir)
    prepare_database(env)
    plan = fill(env)
    server = spawn(
        ["gunicorn", "--config", "python:sco_annot.gunicorn", "sco_annot.asgi:application"],
        env,
        run_dir / "web.log",
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"the server did not start; see {run_dir / 'web.log'}") from None
                time.sleep(1)
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        before = os.getloadavg()[0]
        rows = measure(plan, run_dir, args.seconds)
        section = report(rows, started, args.seconds, (before, os.getloadavg()[0]))
    finally:
        stop_stack([server])
    print(section)
    if args.write:
        write_section(ROOT / "bench" / "RESULTS.md", SECTION, section)


if __name__ == "__main__":
    main()
