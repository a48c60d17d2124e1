"""Many short texts, the peers' shape: import and export of N tasks of ~430 characters with one span
label each (bench/workload.py), beside PostgreSQL's COPY of the same rows, in one run.

    .venv/bin/python bench/short_texts.py --sizes 10000,100000

On a scratch PostgreSQL database (`sco_annot_short_texts`, or BENCH_SHORT_TEXTS_DATABASE, on the server
of BENCH_POSTGRES), per size, each step in its own process (its peak memory its own, DEBUG off): the
Label Studio JSON imported into a new project, the same file again (adds nothing), the doccano JSONL
into another project, and the first project exported as CSV, JSONL and W3C. The floors, taken in the
same run: `COPY FROM` of the rows an import writes (a source, a passage, an annotation and its history
row per task, prepared in memory beforehand) into empty copies of those tables with their indexes, and
`COPY (SELECT the export's rows in its order) TO STDOUT`. Results go to bench/short_texts.json and to
the "Many short texts" section of bench/RESULTS.md, every figure also as a ratio to its floor."""

import argparse
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from run import PG_SERVER, Counter, fresh_postgres, peak_mb, setup_django
from run import run as run_step
from workload import WHEN, tasks

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("BENCH_SHORT_TEXTS_DATABASE", "sco_annot_short_texts")
URL = f"{PG_SERVER}/{DATABASE}"
SCRATCH = Path("/tmp/sco-annot-bench")
EXPORTS = ["csv", "jsonl", "w3c"]
SECTION = "# Many short texts"


# --- workers (each in its own process) ------------------------------------------------------------


def import_step(fmt: str, path: str, slug: str) -> dict:
    from django.contrib.auth import get_user_model

    from sources.models import Project
    from sources.services.imports import annotations_import

    project, _ = Project.objects.get_or_create(slug=slug, defaults={"name": slug})
    owner, _ = get_user_model().objects.get_or_create(username="bench-owner")
    baseline = peak_mb()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        report = annotations_import(
            project=project, file=handle, format=fmt, as_user=owner, create_themes=True
        )
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": peak_mb(),
        "baseline_mb": baseline,
        "summary": report.summary(),
    }


def export_step(fmt: str, slug: str) -> dict:
    from sources.models import Project
    from sources.services.exports import export_stream

    project = Project.objects.get(slug=slug)
    baseline = peak_mb()
    sink = Counter()
    started = time.perf_counter()
    for chunk in export_stream(project=project, format=fmt).chunks:
        sink.write(chunk)
    return {
        "seconds": time.perf_counter() - started,
        "bytes": sink.bytes,
        "peak_mb": peak_mb(),
        "baseline_mb": baseline,
    }


def _copy_rows(rows: list[tuple]) -> io.StringIO:
    escape = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v).translate(escape) for v in row) + "\n")
    buffer.seek(0)
    return buffer


def copy_in_floor(count: int) -> dict:
    """COPY FROM of what an import of `count` tasks writes, into empty copies of the tables (the
    columns not named here get the model's default, as the import's writer gives them)."""
    from django.db import connection, transaction

    from sources.models import Annotation, Passage, Source
    from sources.services.bulk_rows import with_defaults

    models = [Source, Passage, Annotation, Annotation.history.model]
    tables = [model._meta.db_table for model in models]
    moment = WHEN.isoformat()
    sources, passages, annotations, history = [], [], [], []
    for index, (text, start, end, _) in enumerate(tasks(count), start=1):
        sha = hashlib.sha256(text.encode()).hexdigest()
        sources.append((index, 1, text[:80], "[]", "en", "", "imported.txt", text, sha, moment))
        passages.append((index, index, 0, "paragraph", "", text, "en", 0, len(text)))
        row = (index, index, 1, 1, start, end, text[start:end], "", "submitted", 1, moment, moment)
        annotations.append(row)
        history.append((*row, index, moment, "+", "import"))
    annotation = (
        'id, passage_id, theme_id, author_id, start, "end", quote, note, status, version, created, updated'
    )
    columns = {
        "sources_source": "id, project_id, title, authors, language, citation, filename, text, sha256, "
        "created",
        "sources_passage": 'id, source_id, ordinal, kind, section, text, language, start, "end"',
        "sources_annotation": annotation,
        "sources_historicalannotation": f"{annotation}, history_id, history_date, history_type, "
        "history_change_reason",
    }
    filled = [
        with_defaults(model, [c.strip().strip('"') for c in columns[model._meta.db_table].split(",")], rows)
        for model, rows in zip(models, (sources, passages, annotations, history), strict=True)
    ]
    buffers = [_copy_rows(rows) for _, rows in filled]
    names = {
        table: ", ".join(connection.ops.quote_name(c) for c in given)
        for table, (given, _) in zip(tables, filled, strict=True)
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"CREATE TEMP TABLE floor_{table} (LIKE {table} INCLUDING ALL) ON COMMIT DROP")
        started = time.perf_counter()
        for table, buffer in zip(tables, buffers, strict=True):
            cursor.cursor.copy_expert(f"COPY floor_{table} ({names[table]}) FROM STDIN", buffer)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": sum(len(rows) for rows in (sources, passages, annotations, history))}


COPY_OUT = """
COPY (
  SELECT s.title, s.sha256, g.ordinal, g.text, t.slug, a.start, a."end", a.quote, a.note, u.username,
         a.status, se.name, a.created, a.updated
  FROM sources_annotation a
  JOIN sources_passage g ON g.id = a.passage_id
  JOIN sources_source s ON s.id = g.source_id
  JOIN sources_project p ON p.id = s.project_id
  JOIN sources_theme t ON t.id = a.theme_id
  JOIN auth_user u ON u.id = a.author_id
  LEFT JOIN sources_session se ON se.id = a.session_id
  WHERE p.slug = '{slug}'
  ORDER BY s.title, s.sha256, g.ordinal, a.start NULLS FIRST, a."end" NULLS FIRST, t.slug, u.username,
           se.name NULLS FIRST, a.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def copy_out_floor(slug: str) -> dict:
    from django.db import connection

    sink = Counter()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(COPY_OUT.format(slug=slug), sink)
    return {"seconds": time.perf_counter() - started, "bytes": sink.bytes}


def worker(args: list[str]) -> None:
    setup_django()
    task, *rest = args
    steps = {
        "import": import_step,
        "export": export_step,
        "copy-in": copy_in_floor,
        "copy-out": copy_out_floor,
    }
    result = steps[task](*[int(a) if a.isdigit() else a for a in rest])
    print("RESULT " + json.dumps(result))


# --- the driver -----------------------------------------------------------------------------------


def run(*args: str) -> dict:
    return run_step(URL, *args, script=__file__)


def prepare() -> None:
    fresh_postgres(DATABASE)
    env = {**os.environ, "DATABASE_URL": URL}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"], env=env, check=True
    )


def measure(count: int, skip: set[str], tag: str = "") -> dict:
    # Written by a process of its own: a step's process starts from this one, whose peak memory the
    # kernel counts in the step's (ru_maxrss survives fork and exec), so this one stays small.
    workload = Path(__file__).with_name("workload.py")
    subprocess.run([sys.executable, str(workload), str(count), "--out", str(SCRATCH)], check=True)
    label_studio, doccano = SCRATCH / f"tasks-{count}.json", SCRATCH / f"tasks-{count}.jsonl"
    slug = f"ls-{count}{tag}"
    steps: dict[str, dict] = {}

    def step(name: str, *args: str) -> None:
        if name in skip:
            return
        steps[name] = run(*args)
        print(f"[{count:,}] {name}: {steps[name]}", flush=True)

    step("import label-studio", "import", "label-studio", str(label_studio), slug)
    step("import label-studio again", "import", "label-studio", str(label_studio), slug)
    step("import doccano", "import", "doccano", str(doccano), f"dc-{count}{tag}")
    for fmt in EXPORTS:
        step(f"export {fmt}", "export", fmt, slug)
    step("COPY FROM floor", "copy-in", str(count))
    step("COPY TO floor", "copy-out", slug)
    return steps


def ratio(seconds: float, floor: float) -> str:
    return f"{seconds / floor:,.1f}x" if floor else ""


def section(results: dict) -> str:
    lines = [
        SECTION,
        "",
        f"Run {results['when']} with `python bench/short_texts.py` on PostgreSQL (scratch database, same "
        "machine): N distinct texts of ~430 characters with one span label each (`bench/workload.py`, "
        "fixed seed; one text in three Russian), imported as a Label Studio JSON export and as doccano "
        "JSONL, then exported. Each step in its own process; peak MB is its maximum RSS, Django included. "
        "The floor of an import is `COPY FROM` of the rows it writes (per task a source, a passage, an "
        "annotation and its history row) into empty copies of the tables with their indexes; the floor "
        "of an export is `COPY (SELECT its rows in its order) TO STDOUT`, in the same run.",
        "",
        "| N | step | seconds | x floor | peak MB | summary / output |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for count, steps in results["sizes"].items():
        copy_in = steps["COPY FROM floor"]["seconds"]
        copy_out = steps["COPY TO floor"]["seconds"]
        for name, r in steps.items():
            floor = copy_in if name.startswith("import") else copy_out if name.startswith("export") else 0
            note = r.get(
                "summary", f"{r['bytes'] / 1e6:,.1f} MB" if "bytes" in r else f"{r.get('rows', 0):,} rows"
            )
            peak = f"{r['peak_mb']:.0f}" if "peak_mb" in r else ""
            times = f"{r['seconds']:.2f} | {ratio(r['seconds'], floor)}"
            lines.append(f"| {int(count):,} | {name} | {times} | {peak} | {note} |")
    loads = [value for pair in results.get("load", {}).values() for value in pair]
    if loads:
        lines += [
            "",
            f"The machine (2 CPUs, shared) ran at a load average of {min(loads):.0f} to {max(loads):.0f} "
            "during the run: the seconds carry that load; the ratios, taken in the same run, less so.",
        ]
    sizes = list(results["sizes"])
    if len(sizes) > 1:
        small, large = results["sizes"][sizes[0]], results["sizes"][sizes[-1]]
        grow = large["import label-studio"]["seconds"] / small["import label-studio"]["seconds"]
        lines += ["", f"Import time from {int(sizes[0]):,} to {int(sizes[-1]):,} tasks grows {grow:.1f}x."]
    return "\n".join([*lines, "", READING]) + "\n"


READING = """- **Imports are linear.** The project's passages are indexed by text once per import and new
  sources join the index as they are made (before, every new source dropped the index and the next
  task rebuilt it from the database, so 10,000 tasks took about 1,100 s on this machine). Sources,
  passages, annotations and history rows are written with COPY, 2,000 tasks a batch.
- **Above the import floor** is mostly per-text work COPY does not do: language detection of every
  new passage (lingua, one call per batch on both CPUs, reading at most a passage's first 300
  characters), the ingester's layout of each text and its checksum, validating each new source's
  fields; then matching each label to its passage and checking its offsets, and at the end the
  deferred foreign-key checks of the commit and `ANALYZE` of the four tables. New passages are
  written as rows (no model instance each), and into a project without sources no text is looked
  up by checksum.
- **Exports** read consecutive short sources 10,000 passages at a time: a few queries per group
  instead of four per source, evidence links and discussion threads only when the project has some.
  Above the `COPY TO` floor is Python building each record and encoding it (CSV repeats the
  passage's text on each row; W3C adds selectors) and the group's queries, each a pass over the
  project's rows where the floor makes one.
- **Before** (run of 2026-12-01, same machine): at 10,000 tasks import 10.1x its floor, CSV 11.3x,
  JSONL 12.0x, W3C 14.8x; at 30,000 import 10.9x, CSV 10.9x, JSONL 12.7x, W3C 17.8x. Each source's
  passages were model instances, every batch looked its texts up by checksum, whole passages went
  to the language detector, and every group of 2,000 sources asked for evidence and threads.
- **Noise.** On 2026-12-02 three runs at 10,000 tasks (load average 8 to 12 on the 2 CPUs, other
  test suites running) gave, against floors taken in each run: import 8.2x to 12.2x, doccano 6.0x
  to 10.9x, CSV 5.0x to 12.6x, JSONL 5.8x to 11.8x, W3C 6.8x to 15.8x (the first run before exports
  read 10,000 passages a group); the table is the last one. Process CPU, which the load does not
  inflate (the database's excluded): the Label Studio import 4.2 s before these changes, 3.3 s
  after; each export 0.43 to 0.48 s before, 0.39 to 0.42 s after. The targets (import 3x, CSV 2x,
  JSONL and W3C 6x) are not met.
- **Peers** (Label Studio, doccano in their own virtual environments, the same files through their
  APIs) are not part of this run.
- Steps of one size may come from separate passes on the same database (`--merge`, to redo steps);
  the floors are those of the latest pass, so a ratio carries the difference in load between them."""


def write_section(results: dict) -> None:
    """Replace this benchmark's section of bench/RESULTS.md (up to the next heading of any level: the
    section has none of its own, and other benchmarks' sections may follow as `##`), or add it."""
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text()
    new = section(results)
    if SECTION in text:
        before, _, after = text.partition(SECTION)
        rest = re.split(r"\n(?=#{1,6} )", after, maxsplit=1)
        text = before + new + (rest[1] if len(rest) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n\n" + new
    path.write_text(text)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--skip", default="", help='steps to leave out, e.g. "import doccano"')
    parser.add_argument(
        "--merge",
        action="store_true",
        help="add to (or redo steps of) short_texts.json, on the same database",
    )
    parser.add_argument("--tag", default="", help="a suffix for the projects' slugs, to import anew")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the section from short_texts.json"
    )
    options = parser.parse_args()
    out = ROOT / "bench" / "short_texts.json"
    if options.report_only:
        write_section(json.loads(out.read_text()))
        return
    if options.merge:
        results = json.loads(out.read_text())
    else:
        prepare()
        results = {"when": datetime.now(UTC).strftime("%Y-%m-%d"), "sizes": {}}
    skip = {name.strip() for name in options.skip.split(",") if name.strip()}
    for count in (int(size) for size in options.sizes.split(",")):
        load = os.getloadavg()[0]
        results["sizes"].setdefault(str(count), {}).update(measure(count, skip, options.tag))
        results.setdefault("load", {})[str(count)] = [load, os.getloadavg()[0]]
        out.write_text(json.dumps(results, indent=1) + "\n")
        write_section(results)


if __name__ == "__main__":
    main()
