"""A PDF's footnote is a passage of its own, attached to the paragraph whose superscript marker cites
it: stored with the passage, answered by the API, shown in the reader, carried through JSONL."""

import io
import json
from pathlib import Path

import pytest
from django.test import Client

from sources.formats.records import FormatError
from sources.models import Passage, Source
from sources.services.exports import export_stream
from sources.services.imports import annotations_import
from sources.services.sources import source_import

pytestmark = pytest.mark.django_db

PAPER = Path(__file__).resolve().parent.parent / "data" / "pdf-corpus" / "rescience-detorakis-2017.pdf"
NOTE = "1Python memory profiler used"
CITING = "All simulations ran on a Dell OptiPlex 7040"


@pytest.fixture
def paper(team) -> Source:
    return source_import(project=team.project, data=PAPER.read_bytes(), filename=PAPER.name)


def note_and_paragraph(source: Source) -> tuple[Passage, Passage]:
    passages = source.passages.all()
    note = next(p for p in passages if p.text.startswith(NOTE))
    return note, next(p for p in passages if p.text.startswith(CITING))


def export_jsonl(project) -> bytes:
    return b"".join(export_stream(project=project, format="jsonl").chunks)


def test_a_footnote_is_attached_to_the_paragraph_whose_marker_cites_it(paper) -> None:
    note, paragraph = note_and_paragraph(paper)
    assert paragraph.text.endswith("was 162 MB1.")
    assert (note.kind, note.attached_to) == ("footnote", paragraph.ordinal)
    assert all(p.attached_to is None for p in paper.passages.exclude(kind="footnote"))


def test_the_api_and_the_reader_name_the_footnotes_paragraph(paper, team, api_as) -> None:
    note, paragraph = note_and_paragraph(paper)
    answer = api_as(team.annotator).get(f"/api/passages/{note.pk}/").json()
    assert (answer["kind"], answer["attached_to"]) == ("footnote", paragraph.ordinal)
    client = Client()
    client.force_login(team.annotator)
    page = client.get(f"/p/class/sources/{paper.pk}/").content.decode()
    assert f'Footnote to <a href="#passage-{paragraph.ordinal}">passage {paragraph.ordinal}</a>' in page


def test_jsonl_carries_the_attachment_and_imports_it_again(paper, team, empty) -> None:
    note, paragraph = note_and_paragraph(paper)
    first = export_jsonl(team.project)
    lines = [json.loads(line) for line in first.decode().splitlines()]
    attached = [line["passage"] for line in lines if "attached_to" in line["passage"]]
    assert attached == [{**attached[0], "ordinal": note.ordinal, "attached_to": paragraph.ordinal}]
    annotations_import(project=empty, file=io.BytesIO(first), format="jsonl", create_themes=True)
    copied = Source.objects.get(project=empty)
    assert note_and_paragraph(copied)[0].attached_to == paragraph.ordinal
    assert export_jsonl(empty) == first


def test_a_jsonl_attachment_to_no_passage_of_the_source_is_refused(paper, team, empty) -> None:
    lines = export_jsonl(team.project).decode().splitlines()
    broken = [json.loads(line) for line in lines]
    note = next(line for line in broken if "attached_to" in line["passage"])
    note["passage"]["attached_to"] = len(broken) + 5
    data = "\n".join(json.dumps(line, ensure_ascii=False) for line in broken).encode()
    with pytest.raises(FormatError, match=r"passage\.attached_to"):
        annotations_import(project=empty, file=io.BytesIO(data), format="jsonl", create_themes=True)
    assert not Source.objects.filter(project=empty).exists()
    note["passage"]["attached_to"] = note["passage"]["ordinal"]
    data = "\n".join(json.dumps(line, ensure_ascii=False) for line in broken).encode()
    with pytest.raises(FormatError, match="another passage"):
        annotations_import(project=empty, file=io.BytesIO(data), format="jsonl", create_themes=True)
