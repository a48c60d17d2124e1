"""REFI-QDA: the qdpx project validates against the QDA-XML 1.0 Project.xsd, the qdc codebook against
Codebook.xsd, and every selection points at exactly the annotated text."""

import io
import uuid
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from sources.formats.refi_qda import CODEBOOK_NS, PROJECT_NS
from sources.models import Source
from sources.selectors.exports import ExportFilters
from sources.services.exports import export_stream

from .conftest import all_annotations

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "refi-qda"
NS = {"q": PROJECT_NS}


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def export(project, fmt: str, filters=None) -> bytes:
    return b"".join(export_stream(project=project, format=fmt, filters=filters).chunks)


def unpack(data: bytes) -> tuple[etree._Element, dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        root = etree.fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("Sources/")}
    return root, texts


def test_qdpx_project_is_valid_against_the_refi_qda_schema(corpus):
    Source.objects.filter(pk=corpus.russian.pk).update(notes="A memo on the whole source.")
    root, _ = unpack(export(corpus.project, "qdpx"))
    project_schema = schema("Project.xsd")
    assert project_schema.validate(root), project_schema.error_log
    [note] = root.iterfind("q:Notes/q:Note[@name='Source note']", NS)
    assert note.findtext("q:PlainTextContent", namespaces=NS) == "A memo on the whole source."
    refs = [r.get("targetGUID") for r in root.iterfind("q:Sources/q:TextSource/q:NoteRef", NS)]
    assert refs == [note.get("guid")]


def test_qdpx_holds_users_nested_codes_sources_and_notes(corpus):
    root, texts = unpack(export(corpus.project, "qdpx"))
    assert {u.get("name") for u in root.iterfind("q:Users/q:User", NS)} >= {"annotator", "annotator2"}
    top = [c.get("name") for c in root.iterfind("q:CodeBook/q:Codes/q:Code", NS)]
    assert top == ["Three evils", "Energy", "Multipolarity"]
    nested = [c.get("name") for c in root.iterfind("q:CodeBook/q:Codes/q:Code/q:Code", NS)]
    assert nested == ["Terrorism", "Separatism", "Extremism"]
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert len(sources) == 2 and len(texts) == 2
    assert len(root.findall(".//q:PlainTextSelection", NS)) == all_annotations(corpus.project).count()
    texts_of = {
        n.get("guid"): n.findtext("q:PlainTextContent", namespaces=NS)
        for n in root.iterfind("q:Notes/q:Note", NS)
    }
    notes = [
        n.findtext("q:PlainTextContent", namespaces=NS)
        for n in root.iterfind("q:Notes/q:Note[@name='Note']", NS)
    ]
    assert sorted(notes) == sorted(["Один из «трёх зол»", "emoji = one code point", 'quotes " and , commas'])
    refs = {r.get("targetGUID") for r in root.iterfind(".//q:PlainTextSelection/q:NoteRef", NS)}
    assert refs == set(texts_of)


def test_qdpx_keeps_each_codings_review_status_as_a_set_of_status_notes(corpus):
    root, _ = unpack(export(corpus.project, "qdpx"))
    texts_of = {
        n.get("guid"): n.findtext("q:PlainTextContent", namespaces=NS)
        for n in root.iterfind("q:Notes/q:Note", NS)
    }
    members = {
        s.get("name"): [texts_of[m.get("targetGUID")] for m in s.iterfind("q:MemberNote", NS)]
        for s in root.iterfind("q:Sets/q:Set", NS)
    }
    expected = {}
    for status in all_annotations(corpus.project).values_list("status", flat=True):
        expected.setdefault(f"Review status: {status}", []).append(status)
    assert members == expected
    assert len(members["Review status: approved"]) == 5


def test_every_qdpx_selection_points_at_the_annotated_text(corpus):
    root, texts = unpack(export(corpus.project, "qdpx"))
    quotes = sorted(
        a.quote or a.passage.text for a in all_annotations(corpus.project).select_related("passage")
    )
    found = []
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        text = texts["Sources/" + source.get("plainTextPath").removeprefix("internal://")]
        assert text == Source.objects.get(project=corpus.project, title=source.get("name")).text
        for selection in source.iterfind("q:PlainTextSelection", NS):
            found.append(text[int(selection.get("startPosition")) : int(selection.get("endPosition"))])
            coding = selection.find("q:Coding", NS)
            assert coding.find("q:CodeRef", NS).get("targetGUID")
    assert sorted(found) == quotes


def test_qdpx_guids_are_deterministic_uuids(corpus):
    first, second = export(corpus.project, "qdpx"), export(corpus.project, "qdpx")
    assert first == second
    root, _ = unpack(first)
    guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(guids) == len(set(guids))
    assert all(uuid.UUID(g).version == 5 for g in guids)


def test_qdpx_follows_the_filters(corpus):
    root, _ = unpack(export(corpus.project, "qdpx", ExportFilters(status="approved")))
    assert len(root.findall(".//q:PlainTextSelection", NS)) == 5
    assert schema("Project.xsd").validate(root)


def test_qdc_codebook_is_valid_and_nested(corpus):
    root = etree.fromstring(export(corpus.project, "qdc"))
    codebook_schema = schema("Codebook.xsd")
    assert codebook_schema.validate(root), codebook_schema.error_log
    assert root.tag == f"{{{CODEBOOK_NS}}}CodeBook"
    terror = root.find(".//c:Code[@name='Three evils']/c:Code[@name='Terrorism']", {"c": CODEBOOK_NS})
    assert terror is not None and terror.get("isCodable") == "true"
