"""Exports read many short sources a group at a time: every format runs as many queries for 50
sources as for 5, and still carries every source's passages and tags."""

import io
import json
import zipfile

import pyarrow.parquet as pq
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import Annotation, Discussion, Evidence, Project
from sources.services.exports import FORMATS, export_stream

from ..factories import ClaimFactory, ProjectFactory, SourceFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def short_sources(count: int) -> Project:
    """`count` sources of two passages each, every passage tagged, each source's first passage the
    evidence of a claim, and one disagreement thread."""
    project = ProjectFactory(slug=f"short-{count}", name=f"{count} short sources")
    author = UserFactory(username=f"reader-{count}")
    theme = ThemeFactory(project=project, slug="energy")
    claim = ClaimFactory(project=project, author=author, text="Energy is what holds the region together.")
    passages = []
    for index in range(count):
        source = SourceFactory(
            project=project,
            title=f"Report {index:03d}",
            paragraphs=[f"Report {index} on the summit.", f"Pipelines and energy, part {index}."],
        )
        passages += list(source.passages.order_by("ordinal"))
    Annotation.objects.bulk_create(
        Annotation(passage=p, theme=theme, author=author, start=0, end=6, quote=p.text[:6]) for p in passages
    )
    Evidence.objects.bulk_create(
        Evidence(claim=claim, passage=p, relation="supports", author=author) for p in passages[::2]
    )
    Discussion.objects.create(passage=passages[-1], theme=theme, started_by=author)
    return project


def counted_export(project: Project, fmt: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        data = b"".join(export_stream(project=project, format=fmt).chunks)
    return len(queries), data


@pytest.fixture
def projects() -> tuple[Project, Project]:
    return short_sources(5), short_sources(50)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_an_export_runs_the_same_queries_for_fifty_sources_as_for_five(projects, fmt):
    few, many = projects
    few_queries, _ = counted_export(few, fmt)
    many_queries, many_data = counted_export(many, fmt)
    assert many_queries == few_queries
    # What shows the last source is in: its text, or for a bibliography its title (a codebook has neither).
    marker = {"bib": "Report 049", "qdc": "Energy"}.get(fmt, "Report 49 on the summit")
    assert marker in readable(fmt, many_data)


def readable(fmt: str, data: bytes) -> str:
    """The text of an export, whatever its container."""
    if fmt == "parquet":
        return str(pq.read_table(io.BytesIO(data)).to_pylist())
    if data.startswith(b"PK"):  # qdpx, brat and xmi: zips of text files
        archive = zipfile.ZipFile(io.BytesIO(data))
        return "".join(archive.read(name).decode() for name in archive.namelist())
    return data.decode()


def test_the_jsonl_of_fifty_sources_holds_every_passage_tag_and_link_in_order(projects):
    _, many = projects
    _, data = counted_export(many, "jsonl")
    lines = [json.loads(line) for line in data.decode().splitlines()]
    assert [(line["source"]["title"], line["passage"]["ordinal"]) for line in lines] == [
        (f"Report {index:03d}", ordinal) for index in range(50) for ordinal in (0, 1)
    ]
    assert all(len(line["annotations"]) == 1 for line in lines)
    assert [len(line["evidence"]) for line in lines] == [1, 0] * 50
    assert [len(line.get("discussions", ())) for line in lines] == [0] * 99 + [1]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "w3c"])
def test_an_export_of_tags_alone_reads_no_evidence_or_threads_group_after_group(fmt, monkeypatch):
    project = ProjectFactory(slug="tags-only", name="Tags only")
    author = UserFactory(username="tagger")
    theme = ThemeFactory(project=project, slug="energy")
    for index in range(12):
        note = f"Energy note {index}."
        source = SourceFactory(project=project, title=f"Note {index:02d}", paragraphs=[note])
        Annotation.objects.create(
            passage=source.passages.get(), theme=theme, author=author, start=0, end=6, quote="Energy"
        )
    monkeypatch.setattr("sources.selectors.exports.STREAMED_GROUP", 1)
    reads = []
    for chunk in (100, 4):  # one group of twelve sources, then three groups of four
        monkeypatch.setattr("sources.selectors.exports.CHUNK", chunk)
        with CaptureQueriesContext(connection) as queries:
            data = b"".join(export_stream(project=project, format=fmt).chunks)
        assert "note 11." in data.decode()
        kinds = ('FROM "sources_evidence"', 'FROM "sources_discussion"')
        reads.append([q["sql"] for q in queries.captured_queries if any(kind in q["sql"] for kind in kinds)])
    # One look at each kind finds none (beside the export's list of the people it names); more groups
    # of sources do not ask again.
    assert len(reads[1]) == len(reads[0]) <= 3
