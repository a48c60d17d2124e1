"""Analysis benchmark: every analysis view of a project of 100,000 passages and 1,000,000 tags on
PostgreSQL, through the API as a lead and as an annotator (whose counts pass the blind-session rule).

    .venv/bin/python bench/analysis.py            # prints a Markdown table
    .venv/bin/python bench/analysis.py --write    # and appends it to bench/RESULTS.md

A scratch database `sco_annot_bench_analysis` on the server of DATABASE_URL (default
127.0.0.1:5432) is migrated and filled in SQL (generate_series): 100 sources of 1,000 passages, a
codebook of 12 themes (three parents with three sub-themes each, three alone), 10 tags a passage by
5 annotators, four in five approved, and 500 claims with 5,000 evidence links. A blind session holds
the tags of the first 10 sources; two of the annotators have submitted it, so the annotator asking
(annotator0, who has not) counts without the others' tags there. Each view, and the analysis page
that draws all five, is fetched through Django's test client (the whole request), the median of
several runs. The floor, timed in
the same run, is one full pass over the tags: `SELECT COUNT(DISTINCT passage_id) FROM` the tags."""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from run import PG_SERVER, fresh_postgres

ROOT = Path(__file__).resolve().parent.parent
NAME = "sco_annot_bench_analysis"
VIEWS = ("matrix", "cooccurrence", "claims", "compare", "timeline")
RUNS = 3


def setup(*, fresh: bool) -> None:
    if fresh:
        fresh_postgres(NAME)
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_annot.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if fresh:
        call_command("migrate", verbosity=0)


def fill(passages: int, per_passage: int) -> None:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from sources.models import Membership, Project, Session, Source, Submission, Theme

    project = Project.objects.create(slug="bench", name="Bench")
    people = [User.objects.create(username=f"annotator{n}") for n in range(5)]
    for user in people:
        Membership.objects.create(project=project, user=user, role="annotator")
    lead = User.objects.create(username="lead")
    Membership.objects.create(project=project, user=lead, role="owner")
    themes = []
    for n in range(3):
        parent = Theme.objects.create(project=project, slug=f"parent-{n}", name=f"Parent {n}", order=n * 4)
        themes.append(parent)
        themes += [
            Theme.objects.create(
                project=project, slug=f"child-{n}-{m}", name=f"Child {n}.{m}", parent=parent, order=n * 4 + m
            )
            for m in range(1, 4)
        ]
    themes += [
        Theme.objects.create(project=project, slug=f"alone-{n}", name=f"Alone {n}", order=20 + n)
        for n in range(3)
    ]
    sources = 100
    size = passages // sources
    theme_ids = "ARRAY[" + ",".join(str(t.pk) for t in themes) + "]"
    author_ids = "ARRAY[" + ",".join(str(u.pk) for u in people) + "]"
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO sources_source (project_id, title, authors, year, language, citation, filename,
                   text, sha256, created, notes)
               SELECT %s, 'Source ' || s, jsonb_build_array('Author ' || (s %% 7)), 2020,
                   CASE WHEN s %% 2 = 0 THEN 'zh' ELSE 'kk' END, '', '', '',
                   md5(s::text) || md5(s::text), now(), ''
               FROM generate_series(1, %s) AS s""",
            [project.pk, sources],
        )
        cursor.execute(
            """INSERT INTO sources_passage (source_id, ordinal, kind, section, text, language, start, "end")
               SELECT src.id, o, 'paragraph', 'Section ' || (o / 100), 'Passage ' || o, '', 0, 0
               FROM sources_source AS src, generate_series(0, %s - 1) AS o WHERE src.project_id = %s""",
            [size, project.pk],
        )
        cursor.execute(
            f"""INSERT INTO sources_annotation (passage_id, theme_id, author_id, start, "end", quote, note,
                   status, session_id, version, created, updated, suggested_by)
               SELECT p.id, ({theme_ids})[1 + (p.id * 7 + k * 5) %% 12], ({author_ids})[1 + k %% 5],
                   k, k + 5, '', '', CASE WHEN (p.id + k) %% 5 = 0 THEN 'submitted' ELSE 'approved' END,
                   NULL, 1,
                   now() - ((p.id + k) %% 30) * interval '1 day', now(), ''
               FROM sources_passage AS p, generate_series(0, %s - 1) AS k
               WHERE p.source_id IN (SELECT id FROM sources_source WHERE project_id = %s)""",
            [per_passage, project.pk],
        )
        cursor.execute(
            """INSERT INTO sources_claim (project_id, text, author_id, version, created, updated)
               SELECT %s, 'Claim ' || c, %s, 1, now(), now() FROM generate_series(1, 500) AS c""",
            [project.pk, lead.pk],
        )
        cursor.execute(
            """INSERT INTO sources_evidence (claim_id, passage_id, relation, author_id, note, status, version,
                   created, updated)
               SELECT c.id, (SELECT min(id) FROM sources_passage) + (c.id * 97 + e * 1009) %% %s,
                   (ARRAY['supports', 'contradicts', 'qualifies'])[1 + e %% 3], %s, '', 'approved', 1,
                   now(), now()
               FROM sources_claim AS c, generate_series(0, 9) AS e WHERE c.project_id = %s""",
            [passages, lead.pk, project.pk],
        )
    blind = Session.objects.create(
        project=project,
        name="Blind week",
        blind=True,
        opens_at=timezone.now() - timezone.timedelta(days=40),
        closes_at=timezone.now() + timezone.timedelta(days=7),
    )
    first = list(Source.objects.filter(project=project).order_by("pk")[:10])
    blind.sources.set(first)
    blind.participants.set(people)
    for user in people[1:3]:
        Submission.objects.create(session=blind, user=user)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sources_annotation SET session_id = %s WHERE passage_id IN "
            "(SELECT id FROM sources_passage WHERE source_id = ANY(%s))",
            [blind.pk, [source.pk for source in first]],
        )
        cursor.execute("VACUUM ANALYZE")


def median_seconds(ask, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        ask()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure() -> list[tuple[str, str, float]]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from rest_framework.test import APIClient

    from sources.models import Source

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(DISTINCT passage_id) FROM sources_annotation")
            cursor.fetchone()

    rows = [("floor", "COUNT(DISTINCT passage_id) over the tags", median_seconds(floor))]
    first, second = Source.objects.order_by("pk").values_list("pk", flat=True)[:2]
    for who in ("lead", "annotator0"):
        caller = f"as {'a lead' if who == 'lead' else 'an annotator'}"
        client = APIClient()
        client.force_authenticate(User.objects.get(username=who))
        for view in VIEWS:
            query = {"status": "all", "a": first, "b": second} if view == "compare" else {"status": "all"}
            url = f"/api/projects/bench/analysis/{view}/"

            def ask(client=client, url=url, query=query) -> None:
                response = client.get(url, query)
                assert response.status_code == 200, response.content[:300]

            rows.append((view, caller, median_seconds(ask)))
        browser = Client()
        browser.force_login(User.objects.get(username=who))

        def page(browser=browser) -> None:
            response = browser.get("/p/bench/analysis/", {"status": "all"})
            assert response.status_code == 200, response.content[:300]

        rows.append(("the page (all five)", caller, median_seconds(page)))
    return rows


def table(rows: list[tuple[str, str, float]], passages: int, tags: int) -> str:
    floor = rows[0][2]
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    lines = [
        "",
        "## Analysis views (PostgreSQL)",
        "",
        f"Run {when} with `python bench/analysis.py`: {passages:,} passages, {tags:,} tags, 500 claims with "
        "5,000 evidence links, a blind session over a tenth of the tags (submitted by two of the five "
        "annotators, not by the one asking); the API answer of each view and the analysis page with "
        f"`status=all`, median of {RUNS} runs. The floor is one `COUNT(DISTINCT passage_id)` over the "
        "tags, timed in the same run.",
        "",
        "| view | caller | seconds | times the floor |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {view} | {who} | {seconds:.2f} | {seconds / floor:.1f} |" for view, who, seconds in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--per-passage", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="append the table to bench/RESULTS.md")
    parser.add_argument("--reuse", action="store_true", help="measure the database of the last run again")
    args = parser.parse_args()
    setup(fresh=not args.reuse)
    if not args.reuse:
        fill(args.passages, args.per_passage)
    result = table(measure(), args.passages, args.passages * args.per_passage)
    print(result)
    if args.write:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as out:
            out.write(result)


if __name__ == "__main__":
    main()
