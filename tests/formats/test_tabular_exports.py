"""CSV, JSONL, Parquet and W3C exports, read back with the tools analysts use."""

import io
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.formats.parquet import SCHEMA
from sources.formats.table import COLUMNS
from sources.models import Annotation, Source
from sources.selectors.exports import ExportFilters
from sources.services.exports import export_filters, export_stream

from ..factories import SourceFactory
from .conftest import all_annotations

pytestmark = pytest.mark.django_db


def export(project, fmt, filters=None, **options) -> bytes:
    return b"".join(export_stream(project=project, format=fmt, filters=filters, **options).chunks)


def passage_texts(project) -> dict[int, str]:
    return {a.pk: a.passage.text for a in all_annotations(project).select_related("passage")}


def test_csv_has_the_design_columns_a_bom_and_one_row_per_annotation(corpus):
    data = export(corpus.project, "csv")
    assert data.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert tuple(frame.columns) == COLUMNS
    assert len(frame) == all_annotations(corpus.project).count() == 10
    assert "Шанхайская организация сотрудничества" not in set(frame["passage_text"])  # untagged heading
    assert "терроризмом" in set(frame["quote"])


def test_csv_offsets_point_at_the_quote_in_every_row(corpus):
    frame = pd.read_csv(
        io.BytesIO(export(corpus.project, "csv")), encoding="utf-8-sig", keep_default_na=False
    )
    for row in frame.itertuples():
        if row.start == "":
            assert row.quote == ""
            continue
        assert row.passage_text[int(row.start) : int(row.end)] == row.quote


def test_csv_theme_path_and_claim_ids(corpus):
    frame = pd.read_csv(
        io.BytesIO(export(corpus.project, "csv")), encoding="utf-8-sig", keep_default_na=False
    )
    paths = dict(zip(frame["theme"], frame["theme_path"], strict=True))
    assert paths["terrorism"] == "three-evils/terrorism"
    assert paths["energy"] == "energy"
    energy_claim = corpus.claims[1]
    pipeline = frame[frame["quote"] == '"energy security" <matters>'].iloc[0]
    assert str(pipeline["claim_ids"]) == str(energy_claim.pk)
    emoji = frame[frame["quote"] == "🛢"].iloc[0]
    assert str(emoji["claim_ids"]) == ""  # the evidence rests on another span of that passage


def test_jsonl_is_one_line_per_passage_and_loads_with_pandas(corpus):
    data = export(corpus.project, "jsonl")
    frame = pd.read_json(io.BytesIO(data), lines=True)
    assert len(frame) == 7  # every passage of both sources, tagged or not
    lines = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    texts = {s.sha256: s.text for s in Source.objects.filter(project=corpus.project)}
    count = 0
    for line in lines:
        passage = line["passage"]
        assert texts[line["source"]["sha256"]][passage["start"] : passage["end"]] == line["text"]
        for annotation in line["annotations"]:
            count += 1
            if annotation["start"] is None:
                assert annotation["quote"] == ""
            else:
                assert line["text"][annotation["start"] : annotation["end"]] == annotation["quote"]
    assert count == 10
    assert sum(len(line["evidence"]) for line in lines) == 5


def test_jsonl_names_things_by_stable_keys_not_database_ids(corpus):
    line = json.loads(export(corpus.project, "jsonl").decode("utf-8").splitlines()[0])
    assert set(line) == {"source", "passage", "text", "annotations", "evidence"}
    assert "id" not in line["source"] and "id" not in line["passage"]
    assert len(line["source"]["sha256"]) == 64


def test_parquet_reads_back_with_pyarrow_typed_and_exact(corpus, tmp_path):
    path = tmp_path / "data.parquet"
    path.write_bytes(export(corpus.project, "parquet"))
    table = pq.read_table(path)
    assert table.schema.names == list(COLUMNS)
    assert table.schema.equals(SCHEMA)
    assert table.num_rows == 10
    for row in table.to_pylist():
        if row["start"] is None:
            assert row["end"] is None and row["quote"] == ""
        else:
            assert row["passage_text"][row["start"] : row["end"]] == row["quote"]
        assert row["created"].tzinfo is not None
    frame = pd.read_parquet(path)
    assert set(frame["author"]) == {"annotator", "annotator2"}


def test_parquet_row_groups_stream(corpus, tmp_path):
    from sources.formats.parquet import export_parquet
    from sources.selectors.exports import export_dataset

    dataset, _ = export_dataset(project=corpus.project)
    chunks = list(export_parquet(dataset, row_group=3))
    assert len(chunks) >= 4
    path = tmp_path / "small-groups.parquet"
    path.write_bytes(b"".join(chunks))
    assert pq.ParquetFile(path).num_row_groups == 4
    assert pq.read_table(path).num_rows == 10


def w3c(project, **options) -> dict:
    return json.loads(export(project, "w3c", **options))


def test_w3c_is_an_annotation_collection_with_one_embedded_page(corpus):
    document = w3c(corpus.project)
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    assert document["total"] == 10
    page = document["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0
    assert page["partOf"] == document["id"]
    assert len(page["items"]) == 10
    ids = [item["id"] for item in page["items"]]
    assert len(set(ids)) == 10 and all(i.startswith("urn:uuid:") for i in ids)


def test_w3c_annotations_carry_bodies_creator_and_both_selectors(corpus):
    texts = {s.sha256: s.text for s in Source.objects.filter(project=corpus.project)}
    from sources.formats.w3c import source_iri

    by_iri = {source_iri(sha): text for sha, text in texts.items()}
    items = w3c(corpus.project)["first"]["items"]
    for item in items:
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["type"] == "Annotation"
        assert item["created"].endswith("Z") and item["creator"]["type"] == "Person"
        purposes = [body["purpose"] for body in item["body"]]
        assert purposes[0] == "tagging" and set(purposes) <= {"tagging", "commenting"}
        assert all(body["type"] == "TextualBody" for body in item["body"])
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        text = by_iri[item["target"]["source"]]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
    notes = [body["value"] for item in items for body in item["body"] if body["purpose"] == "commenting"]
    assert "Один из «трёх зол»" in notes


def test_w3c_pages_a_large_collection(corpus):
    collection = "https://example.org/api/projects/class/export/?format=w3c"
    head = w3c(corpus.project, page_size=4, collection=collection)
    assert head["total"] == 10 and "items" not in head
    assert head["first"] == collection + "&page=0" and head["last"] == collection + "&page=2"
    seen = []
    for page in range(3):
        document = w3c(corpus.project, page_size=4, page=page, collection=collection)
        assert document["type"] == "AnnotationPage"
        assert document["partOf"]["total"] == 10
        assert document["startIndex"] == page * 4
        assert ("next" in document) == (page < 2) and ("prev" in document) == (page > 0)
        seen += [item["id"] for item in document["items"]]
    assert seen == [item["id"] for item in w3c(corpus.project)["first"]["items"]]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "w3c"])
def test_two_exports_of_the_same_data_are_byte_identical(corpus, fmt):
    assert export(corpus.project, fmt) == export(corpus.project, fmt)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "approved"}, 5),
        ({"theme": "three-evils"}, 6),  # with its sub-themes
        ({"theme": "energy"}, 3),
        ({"author": "annotator2"}, 5),
    ],
)
def test_filters_narrow_the_rows(corpus, filters, expected):
    frame = pd.read_csv(
        io.BytesIO(export(corpus.project, "csv", export_filters(project=corpus.project, **filters))),
        encoding="utf-8-sig",
    )
    assert len(frame) == expected


def test_source_and_session_filters(corpus):
    by_source = export_filters(project=corpus.project, source=str(corpus.english.pk))
    lines = export(corpus.project, "jsonl", by_source).decode().splitlines()
    assert len(lines) == 4
    by_session = export_filters(project=corpus.project, session=corpus.session.pk)
    frame = pd.read_csv(io.BytesIO(export(corpus.project, "csv", by_session)), encoding="utf-8-sig")
    assert len(frame) == 2


def test_a_narrowing_filter_leaves_out_passages_without_matching_tags(corpus):
    lines = export(corpus.project, "jsonl", ExportFilters(status="rejected")).decode().splitlines()
    assert len(lines) == 1
    assert [a["status"] for a in json.loads(lines[0])["annotations"]] == ["rejected"]


def test_unknown_filter_values_are_refused_by_name(corpus, team):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        export_filters(project=corpus.project, theme="nope")
    assert "theme" in error.value.message_dict
    elsewhere = SourceFactory(project=team.other_project)
    with pytest.raises(ValidationError) as error:
        export_filters(project=corpus.project, source=str(elsewhere.pk))
    assert "source" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        export_filters(project=corpus.project, author="ghost")
    assert "author" in error.value.message_dict


def test_export_queries_do_not_grow_with_the_rows(corpus, team):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export(corpus.project, "jsonl")
        return len(captured)

    before = queries()
    passage = corpus.english.passages.get(ordinal=0)
    for theme in corpus.themes.values():
        Annotation.objects.create(passage=passage, theme=theme, author=team.owner)
    assert queries() == before


def test_command_writes_csv_to_stdout(corpus):
    out = io.StringIO()
    call_command("export_dataset", project="class", format="csv", status="approved", stdout=out)
    frame = pd.read_csv(io.StringIO(out.getvalue()), keep_default_na=False)
    assert len(frame) == 5


def test_command_writes_binary_formats_to_a_file_only(corpus, tmp_path):
    with pytest.raises(CommandError, match="--out"):
        call_command("export_dataset", project="class", format="parquet", stdout=io.StringIO())
    out = tmp_path / "class.parquet"
    call_command("export_dataset", project="class", format="parquet", out=out, stderr=io.StringIO())
    assert pq.read_table(out).num_rows == 10


def test_command_refuses_unknown_projects_and_filters(corpus):
    with pytest.raises(CommandError, match="No project"):
        call_command("export_dataset", project="nope", format="csv")
    with pytest.raises(CommandError, match="theme"):
        call_command("export_dataset", project="class", format="csv", theme="nope")
