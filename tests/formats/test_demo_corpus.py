"""Every format on the real demo corpus (both SCO articles through the ingester): every offset points at
exactly the annotated text, qdpx validates, and jsonl and qdpx survive a round trip byte for byte."""

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from lxml import etree

from sources.models import Annotation, Evidence, Project, Review, Source
from sources.services.demo import demo_seed
from sources.services.exports import export_stream
from sources.services.imports import annotations_import

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "refi-qda"


@pytest.fixture
def demo(db):
    return demo_seed().project


def export(project, fmt: str) -> bytes:
    return b"".join(export_stream(project=project, format=fmt).chunks)


def test_every_csv_and_parquet_row_points_at_its_quote(demo, tmp_path):
    count = Annotation.objects.filter(passage__source__project=demo).count()
    assert count > 0
    frame = pd.read_csv(io.BytesIO(export(demo, "csv")), encoding="utf-8-sig", keep_default_na=False)
    path = tmp_path / "demo.parquet"
    path.write_bytes(export(demo, "parquet"))
    table = pq.read_table(path).to_pylist()
    assert len(frame) == len(table) == count
    for row in table:
        if row["start"] is not None:
            assert row["passage_text"][row["start"] : row["end"]] == row["quote"]


def test_every_w3c_position_points_at_its_exact_quote(demo):
    texts = {s.sha256: s.text for s in Source.objects.filter(project=demo)}
    from sources.formats.w3c import source_iri

    by_iri = {source_iri(sha): text for sha, text in texts.items()}
    for item in json.loads(export(demo, "w3c"))["first"]["items"]:
        quote, position = item["target"]["selector"]
        assert by_iri[item["target"]["source"]][position["start"] : position["end"]] == quote["exact"]


def test_demo_qdpx_validates_and_its_selections_point_at_the_quotes(demo):
    data = export(demo, "qdpx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n).decode() for n in archive.namelist() if n.startswith("Sources/")}
    assert etree.XMLSchema(etree.parse(str(SCHEMAS / "Project.xsd"))).validate(root)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    expected = sorted(
        a.quote or a.passage.text
        for a in Annotation.objects.filter(passage__source__project=demo).select_related("passage")
    )
    found = []
    for source in root.iterfind("q:Sources/q:TextSource", ns):
        text = texts["Sources/" + source.get("plainTextPath").removeprefix("internal://")]
        for selection in source.iterfind("q:PlainTextSelection", ns):
            found.append(text[int(selection.get("startPosition")) : int(selection.get("endPosition"))])
    assert sorted(found) == expected


@pytest.mark.parametrize("fmt", ["jsonl", "qdpx"])
def test_demo_round_trips_byte_for_byte(demo, fmt):
    if fmt == "qdpx":
        # REFI-QDA has no place for a session: the demo's session tags that repeat a tag made outside
        # it would come back as one (docs/formats.md). The round trip is of the work outside sessions.
        in_sessions = Annotation.objects.filter(passage__source__project=demo, session__isnull=False)
        Review.objects.filter(annotation__in=in_sessions).delete()
        Evidence.objects.filter(annotation__in=in_sessions).delete()
        in_sessions.delete()
    first = export(demo, fmt)
    copy = Project.objects.create(slug="sco-copy", name=demo.name)
    annotations_import(project=copy, file=io.BytesIO(first), format=fmt, create_themes=True)
    assert export(copy, fmt) == first
