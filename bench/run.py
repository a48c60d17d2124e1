"""Export and import benchmark: a project of 100,000 passages and 1,000,000 annotations.

    .venv/bin/python bench/run.py                      # SQLite and PostgreSQL, full size
    .venv/bin/python bench/run.py --databases sqlite --passages 10000 --per-passage 10   # quicker

For each database it migrates a scratch database (SQLite: a file under /tmp; PostgreSQL: the
`sco_annot_bench` database on the server of DATABASE_URL / 127.0.0.1), generates the project, then runs
every export format and the imports each in a fresh process, reporting rows per second and the
process's peak memory (max RSS, which includes the ~100 MB of a started Django). On PostgreSQL it
also times `COPY (SELECT the same rows in the same order) TO STDOUT` as the floor no exporter beats.
Results go to bench/RESULTS.md (and bench/results.json)."""

import argparse
import hashlib
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASES = {"sqlite": "sqlite:////tmp/sco-annot-bench.sqlite3", "postgres": f"{PG_SERVER}/sco_annot_bench"}
EXPORTS = ["csv", "jsonl", "parquet", "w3c", "qdpx"]
SLUG = "bench"

WORDS_EN = "the organization cooperation security energy pipeline region border summit treaty policy".split()  # noqa: SIM905
WORDS_RU = "организация сотрудничество безопасность энергетика регион граница саммит договор".split()  # noqa: SIM905


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_annot.settings")
    import django

    django.setup()


def fresh_sqlite(database: Path) -> None:
    """Django on a new, migrated SQLite file at `database` (the reader and recommender benchmarks)."""
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def laid_out(source: object, texts: list[str], **fields: object) -> list:
    """Passages (unsaved) of `texts` as they lie in `source.text`: joined by blank lines, in order."""
    from sources.models import Passage

    offset, passages = 0, []
    for ordinal, body in enumerate(texts):
        passages.append(
            Passage(source=source, ordinal=ordinal, text=body, start=offset, end=offset + len(body), **fields)
        )
        offset += len(body) + 2
    return passages


def fresh_postgres(name: str) -> None:
    """Make the scratch database `name` anew on BENCH_POSTGRES's server, dropping an earlier run's."""
    import psycopg2

    connection = psycopg2.connect(f"{PG_SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def write_section(path: Path, heading: str, section: str) -> None:
    """Replace a benchmark's section of a results file (from `heading` up to the next top-level
    heading) with `section`, or add it at the end."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start = text.find(heading)
    if start < 0:
        text = text.rstrip("\n") + "\n\n\n" + section
    else:
        end = text.find("\n# ", start + len(heading))
        text = text[:start] + section + ("\n" + text[end:] if end >= 0 else "")
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


# --- workers (each runs in its own process so its peak memory is its own) --------------------------


def passage_text(rng: random.Random, index: int) -> str:
    words = WORDS_RU if index % 3 == 0 else WORDS_EN
    return " ".join(rng.choice(words) for _ in range(40)).capitalize() + "."


def generate(passages: int, per_passage: int, sources: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from sources.models import Membership, Passage, Project, Source, Theme

    started = time.perf_counter()
    rng = random.Random(6)
    User = get_user_model()
    with transaction.atomic():
        project = Project.objects.create(slug=SLUG, name="Benchmark")
        users = [
            User.objects.get_or_create(username=f"bench-annotator-{i:02d}")[0] for i in range(per_passage)
        ]
        Membership.objects.bulk_create(Membership(project=project, user=u, role="annotator") for u in users)
        parent = Theme.objects.create(project=project, slug="three-evils", name="Three evils")
        themes = [parent] + [
            Theme.objects.create(
                project=project, slug=f"theme-{i}", name=f"Theme {i}", parent=parent if i < 4 else None
            )
            for i in range(11)
        ]
        per_source = passages // sources
        for s in range(sources):
            texts = [passage_text(rng, s * per_source + i) for i in range(per_source)]
            text = "\n\n".join(texts)
            source = Source.objects.create(
                project=project,
                title=f"Source {s:04d}",
                authors=["Doe J."],
                year=2020,
                language="en",
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
            )
            Passage.objects.bulk_create(laid_out(source, texts, language="en"), batch_size=5000)
        moment = datetime(2026, 1, 1, tzinfo=UTC)
        rows = []
        spans = (
            Passage.objects.filter(source__project=project)
            .values_list("id", "text")
            .iterator(chunk_size=5000)
        )
        for passage_id, body in spans:
            for k in range(per_passage):
                theme = themes[(passage_id + k) % len(themes)]
                if k % 4 == 0:
                    start = end = None
                    quote = ""
                else:
                    start = rng.randrange(0, len(body) // 2)
                    end = start + rng.randrange(1, 40)
                    quote = body[start:end]
                created = moment + timedelta(seconds=passage_id * per_passage + k)
                rows.append(
                    (
                        passage_id,
                        theme.pk,
                        users[k].pk,
                        start,
                        end,
                        quote,
                        "",
                        "approved",
                        1,
                        created,
                        created,
                    )
                )
            if len(rows) >= 50_000:
                insert_annotations(connection, rows)
                rows = []
        insert_annotations(connection, rows)
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_mb()}


def insert_annotations(connection, rows: list[tuple]) -> None:
    columns = 'passage_id, theme_id, author_id, start, "end", quote, note, status, version, created, updated'
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write(
                    "\t".join(
                        "\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", " ") for v in row
                    )
                    + "\n"
                )
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY sources_annotation ({columns}) FROM STDIN", buffer)
        else:
            marks = ", ".join(["%s"] * 11)
            adapt = connection.ops.adapt_datetimefield_value
            cursor.executemany(
                f"INSERT INTO sources_annotation ({columns}) VALUES ({marks})",
                [(*row[:9], adapt(row[9]), adapt(row[10])) for row in rows],
            )


def export(fmt: str, out: str) -> dict:
    from sources.models import Annotation, Project
    from sources.services.exports import export_stream

    project = Project.objects.get(slug=SLUG)
    rows = Annotation.objects.filter(passage__source__project=project).count()
    baseline = peak_mb()
    started = time.perf_counter()
    written = 0
    with open(out, "wb") as handle:
        for chunk in export_stream(project=project, format=fmt).chunks:
            handle.write(chunk)
            written += len(chunk)
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "bytes": written, "peak_mb": peak_mb(), "baseline_mb": baseline}


def import_file(fmt: str, path: str) -> dict:
    from django.contrib.auth import get_user_model

    from sources.models import Project
    from sources.services.imports import annotations_import

    # A fresh project per import (the scratch database is made anew for every run).
    project = Project.objects.create(slug=f"{SLUG}-import-{fmt}-{int(time.time())}", name="Benchmark")
    as_user = get_user_model().objects.get(username="bench-annotator-00")
    baseline = peak_mb()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        report = annotations_import(
            project=project, file=handle, format=fmt, as_user=as_user, create_themes=True
        )
    seconds = time.perf_counter() - started
    return {
        "rows": report.annotations_created,
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "baseline_mb": baseline,
        "summary": report.summary(),
    }


COPY_SQL = """
COPY (
  SELECT p.slug, s.id, s.title, g.id, g.ordinal, g.section, g.text, t.slug, a.start, a."end", a.quote, a.note,
         u.username, a.status, a.created, a.updated
  FROM sources_annotation a
  JOIN sources_passage g ON g.id = a.passage_id
  JOIN sources_source s ON s.id = g.source_id
  JOIN sources_project p ON p.id = s.project_id
  JOIN sources_theme t ON t.id = a.theme_id
  JOIN auth_user u ON u.id = a.author_id
  LEFT JOIN sources_session se ON se.id = a.session_id
  WHERE p.slug = 'bench'
  ORDER BY s.title, s.sha256, g.ordinal, a.start NULLS FIRST, a."end" NULLS FIRST, t.slug, u.username,
           se.name NULLS FIRST, a.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


class Counter(io.RawIOBase):
    def __init__(self) -> None:
        self.bytes = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.bytes += len(data)
        return len(data)


def copy_floor() -> dict:
    from django.db import connection

    from sources.models import Annotation

    rows = Annotation.objects.filter(passage__source__project__slug=SLUG).count()
    sink = Counter()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(COPY_SQL, sink)
    return {"rows": rows, "seconds": time.perf_counter() - started, "bytes": sink.bytes, "peak_mb": peak_mb()}


def worker(args: list[str]) -> None:
    setup_django()
    task = args[0]
    if task == "generate":
        result = generate(int(args[1]), int(args[2]), int(args[3]))
    elif task == "export":
        result = export(args[1], args[2])
    elif task == "import":
        result = import_file(args[1], args[2])
    else:
        result = copy_floor()
    print("RESULT " + json.dumps(result))


# --- the driver -----------------------------------------------------------------------------------


def run(database_url: str, *args: str, script: str = __file__) -> dict:
    """One step in a process of its own: `script --worker ARGS`, which prints its result as a line
    `RESULT {json}`."""
    # DEBUG off, as in production: with it on, Django keeps and formats every query it runs.
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost",
    }
    done = subprocess.run(
        [sys.executable, script, "--worker", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{args}: {done.stderr[-3000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def prepare(name: str, url: str) -> None:
    if name == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        fresh_postgres(url.rsplit("/", 1)[1])
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )


LABEL_STUDIO = {"export": 147.0, "import": 158.0}  # seconds for 100,000 labelled passages, 1.3 GB


def report(results: dict) -> str:
    """bench/RESULTS.md from results.json."""
    lines = [
        "# Export and import benchmark",
        "",
        f"Run {results['when']} with `python bench/run.py`: a project of {results['passages']:,} passages "
        f"(100 sources) and {results['annotations']:,} annotations "
        "(10 per passage, three in four of them spans), "
        "exported in every format and imported back, each step in its own process. Rows are annotations. "
        "Peak memory is the process's maximum RSS, Django itself included (the `baseline` column: RSS before "
        "the step started). Machine: 2 CPUs, 23 GB RAM; PostgreSQL on the same machine.",
        "",
        "Yardstick: Label Studio needs about 147 s to export and 158 s to import 100,000 labelled passages, "
        "its memory growing to 1.3 GB.",
        "",
    ]
    for name, entry in results["databases"].items():
        lines += [
            f"## {'SQLite' if name == 'sqlite' else 'PostgreSQL'}",
            "",
            "| step | rows | seconds | rows/s | passages/s | peak MB | baseline MB | output |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for step, r in entry.items():
            if step == "generate":
                continue
            rate = r["rows"] / r["seconds"] if r["seconds"] else 0
            passages = results["passages"] / r["seconds"] if r["seconds"] else 0
            size = f"{r['bytes'] / 1e6:,.0f} MB" if "bytes" in r else ""
            lines.append(
                f"| {step} | {r['rows']:,} | {r['seconds']:.1f} | {rate:,.0f} | {passages:,.0f} "
                f"| {r['peak_mb']:.0f} | {r.get('baseline_mb', 0):.0f} | {size} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--per-passage", type=int, default=10, help="annotations per passage")
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    parser.add_argument("--report-only", action="store_true", help="rewrite RESULTS.md from results.json")
    parser.add_argument(
        "--only",
        help='rerun these steps on the data already generated, e.g. "import jsonl,import qdpx"; '
        "results are merged into results.json",
    )
    options = parser.parse_args()
    if options.report_only:
        results = json.loads((options.out / "results.json").read_text())
        (options.out / "RESULTS.md").write_text(report(results))
        return
    results: dict = {
        "passages": options.passages,
        "annotations": options.passages * options.per_passage,
        "when": datetime.now(UTC).strftime("%Y-%m-%d"),
        "databases": {},
    }
    scratch = Path("/tmp/sco-annot-bench")
    scratch.mkdir(exist_ok=True)
    if options.only:
        results = json.loads((options.out / "results.json").read_text())
        for name in options.databases.split(","):
            env = {**os.environ, "DATABASE_URL": DATABASES[name]}
            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
                env=env,
                check=True,
                cwd=ROOT,
            )
            for step in options.only.split(","):
                kind, _, fmt = step.strip().partition(" ")
                args = ("copy",) if kind == "COPY" else (kind, fmt, str(scratch / f"{name}.{fmt}"))
                results["databases"][name][step.strip()] = run(DATABASES[name], *args)
                print(f"[{name}] {step}: {results['databases'][name][step.strip()]}", flush=True)
        (options.out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
        (options.out / "RESULTS.md").write_text(report(results))
        return
    for name in options.databases.split(","):
        url = DATABASES[name]
        print(f"[{name}] migrating and generating ...", flush=True)
        prepare(name, url)
        entry: dict = {
            "generate": run(
                url, "generate", str(options.passages), str(options.per_passage), str(options.sources)
            )
        }
        for fmt in EXPORTS:
            entry[f"export {fmt}"] = run(url, "export", fmt, str(scratch / f"{name}.{fmt}"))
            print(f"[{name}] export {fmt}: {entry[f'export {fmt}']}", flush=True)
        for fmt in ("jsonl", "qdpx"):
            entry[f"import {fmt}"] = run(url, "import", fmt, str(scratch / f"{name}.{fmt}"))
            print(f"[{name}] import {fmt}: {entry[f'import {fmt}']}", flush=True)
        if name == "postgres":
            entry["COPY floor"] = run(url, "copy")
            print(f"[{name}] COPY: {entry['COPY floor']}", flush=True)
        results["databases"][name] = entry
        (options.out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (options.out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (options.out / "RESULTS.md").write_text(report(results))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
