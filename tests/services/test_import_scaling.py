"""Imports of many short texts (a Label Studio or doccano export of many tasks): the number of queries
grows with the number of batches, not with each new source, and the project's passages are read once;
texts land where they did when each source was written before the next text was read."""

import io
import json
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import Annotation, Passage, Source
from sources.services.imports import annotations_import

from ..factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db

WORDS = "the treaty summit border region energy pipeline security cooperation policy trade".split()  # noqa: SIM905


def texts(count: int, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    return [
        f"Text {index}: " + " ".join(rng.choice(WORDS) for _ in range(30)) + "." for index in range(count)
    ]


def label_studio(items: list[str]) -> bytes:
    tasks = [
        {
            "id": index,
            "data": {"text": text},
            "annotations": [
                {
                    "completed_by": {"email": "annotator@example.org"},
                    "result": [
                        {
                            "type": "labels",
                            "value": {"start": 0, "end": 4, "text": text[:4], "labels": ["Energy"]},
                        }
                    ],
                }
            ],
        }
        for index, text in enumerate(items)
    ]
    return json.dumps(tasks).encode()


def doccano(items: list[str]) -> bytes:
    return "".join(json.dumps({"text": text, "label": [[0, 4, "Energy"]]}) + "\n" for text in items).encode()


WRITERS = {"label-studio": label_studio, "doccano": doccano}


@pytest.fixture
def project(team):
    project = ProjectFactory(slug="many", name="Many short texts")
    MembershipFactory(project=project, user=team.owner, role="owner")
    return project


def counted_import(project, team, fmt: str, data: bytes) -> tuple[int, int, object]:
    """The import's report, its number of queries and how many of them read passages."""
    with CaptureQueriesContext(connection) as queries:
        report = annotations_import(
            project=project, file=io.BytesIO(data), format=fmt, as_user=team.owner, create_themes=True
        )
    reads = [
        q for q in queries.captured_queries if q["sql"].startswith("SELECT") and "sources_passage" in q["sql"]
    ]
    return len(queries), len(reads), report


@pytest.mark.parametrize("fmt", ["label-studio", "doccano"])
def test_query_count_grows_with_batches_not_with_new_sources(team, fmt, monkeypatch):
    monkeypatch.setattr("sources.services.imports.labelled.BATCH", 8)
    counts = []
    for size in (16, 32, 64):
        project = ProjectFactory(slug=f"many-{size}", name=f"{size} texts")
        queries, passage_reads, report = counted_import(project, team, fmt, WRITERS[fmt](texts(size)))
        assert (report.sources_created, report.annotations_created) == (size, size)
        assert passage_reads <= 1 + size // 8  # the index once, then one read per batch at most
        counts.append(queries)
    # Linear in the number of batches: doubling the texts adds twice what the previous doubling did.
    assert counts[2] - counts[1] == 2 * (counts[1] - counts[0])
    assert counts[1] - counts[0] <= 2 * (32 - 16) // 8 * 3  # a few statements a batch, none a source


@pytest.mark.parametrize("fmt", ["label-studio", "doccano"])
def test_a_batch_of_new_texts_costs_about_the_queries_of_a_few(project, team, fmt):
    few, _, _ = counted_import(project, team, fmt, WRITERS[fmt](texts(5, seed=1)))
    other = ProjectFactory(slug="other", name="Other")
    many, _, report = counted_import(other, team, fmt, WRITERS[fmt](texts(200, seed=2)))
    assert report.sources_created == 200
    # The same statements, only the bulk inserts split into more of them (SQLite takes ~100 rows each).
    assert many - few <= 200 // 40
    # Every tag is on the first word of its own source's only passage, with the language detected.
    rows = Annotation.objects.filter(passage__source__project=other).values_list(
        "quote", "passage__text", "passage__source__text", "passage__language"
    )
    assert sorted(rows) == sorted((text[:4], text, text, "en") for text in texts(200, seed=2))


def test_texts_find_sources_made_earlier_in_the_same_batch_and_across_batches(project, team, monkeypatch):
    monkeypatch.setattr("sources.services.imports.labelled.BATCH", 3)
    two_lines = "Energy pipelines cross the border.\nThe summit signed a treaty on security."
    items = [two_lines, "Trade policy of the region.", two_lines, "The summit signed a treaty on security."]
    items += ["Trade policy of the region.", "The summit signed a treaty on security."]
    _, _, report = counted_import(project, team, "doccano", doccano(items))
    assert report.sources_created == 2
    assert (report.annotations_created, report.duplicates_skipped) == (3, 3)
    spots = sorted(
        Annotation.objects.filter(passage__source__project=project).values_list("passage__ordinal", "quote")
    )
    assert spots == [(0, "Ener"), (0, "Trad"), (1, "The ")]
    assert Passage.objects.filter(source__project=project).count() == 3


def test_importing_again_finds_every_text_and_adds_nothing(project, team):
    data = label_studio(texts(30))
    counted_import(project, team, "label-studio", data)
    before = (Source.objects.count(), Passage.objects.count(), Annotation.objects.count())
    _, _, report = counted_import(project, team, "label-studio", data)
    assert (report.sources_created, report.annotations_created, report.duplicates_skipped) == (0, 0, 30)
    assert (Source.objects.count(), Passage.objects.count(), Annotation.objects.count()) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics are PostgreSQL's planner's")
def test_a_large_import_leaves_statistics_for_the_tables_it_filled(project, team):
    def estimated(table: str) -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0]

    counted_import(project, team, "doccano", doccano(texts(1200)))
    for table in ("sources_source", "sources_passage", "sources_annotation", "sources_historicalannotation"):
        assert estimated(table) >= 1200, table


def test_into_a_project_without_sources_no_text_is_looked_up_by_checksum(project, team, monkeypatch):
    monkeypatch.setattr("sources.services.imports.labelled.BATCH", 8)
    with CaptureQueriesContext(connection) as queries:
        report = annotations_import(
            project=project,
            file=io.BytesIO(doccano(texts(24))),
            format="doccano",
            as_user=team.owner,
            create_themes=True,
        )
    assert report.sources_created == 24
    lookups = [q for q in queries.captured_queries if '"sources_source"."sha256" IN' in q["sql"]]
    assert lookups == []
    # A second file with two of those texts and a new one finds the first two, made by the first import.
    again = annotations_import(
        project=project,
        file=io.BytesIO(doccano([*texts(24)[:2], "A text of its own about the border."])),
        format="doccano",
        as_user=team.owner,
        create_themes=True,
    )
    assert (again.sources_created, again.annotations_created, again.duplicates_skipped) == (1, 1, 2)
    assert Source.objects.filter(project=project).count() == 25
