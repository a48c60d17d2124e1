"""QDA-XML projects that other tools exported: the source text is kept as the file gives it (single
line breaks and all), so every PlainTextSelection lands on the characters it names."""

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from sources.models import Annotation, Passage, Source
from sources.services.imports import annotations_import

from ..factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "refi-qda"
NS = {"q": "urn:QDA-XML:project:1.0"}


def selections_of(path: Path) -> dict[str, tuple[str, list[tuple[int, int, str]]]]:
    """Each text source's text and its (start, end, code name) codings, read straight from the file."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        names = {code.get("guid"): code.get("name") for code in root.iterfind(".//q:Code", NS)}
        found = {}
        for source in root.iterfind(".//q:TextSource", NS):
            text = archive.read("Sources/" + source.get("plainTextPath").split("//")[1]).decode("utf-8-sig")
            codings = [
                (int(sel.get("startPosition")), int(sel.get("endPosition")), names[ref.get("targetGUID")])
                for sel in source.iterfind("q:PlainTextSelection", NS)
                for ref in sel.iterfind("q:Coding/q:CodeRef", NS)
            ]
            found[source.get("name")] = (text, codings)
    return found


@pytest.fixture
def project(team):
    project = ProjectFactory(slug="foreign")
    MembershipFactory(project=project, user=team.owner, role="owner")
    return project


def test_an_nvivo_project_with_single_line_breaks_brings_every_coding_onto_its_characters(project, team):
    path = DATA / "nvivo-oltas-teszt.qdpx"
    report = annotations_import(
        project=project,
        file=io.BytesIO(path.read_bytes()),
        format="qdpx",
        as_user=team.owner,
        create_themes=True,
    )
    expected = selections_of(path)
    for name, (text, codings) in expected.items():
        if not codings:
            continue
        source = Source.objects.get(project=project, title=name)
        assert source.text == text  # not a character changed: no doubled line breaks
        assert all(source.text[p.start : p.end] == p.text for p in Passage.objects.filter(source=source))
        # Every coding, split at the line breaks between passages, covers exactly the non-blank text
        # the file named, under the code it named.
        tagged: dict[str, set[int]] = {}
        for annotation in Annotation.objects.filter(passage__source=source).select_related(
            "passage", "theme"
        ):
            lo = annotation.passage.start + (annotation.start or 0)
            hi = annotation.passage.start + (
                annotation.end if annotation.end is not None else len(annotation.passage.text)
            )
            assert annotation.quote == text[lo:hi]
            tagged.setdefault(annotation.theme.name, set()).update(range(lo, hi))
        for start, end, code in codings:
            wanted = {i for i in range(start, end) if not text[i].isspace()}
            assert wanted <= tagged[code], (start, end, code)
    assert report.annotations_created >= sum(len(c) for _, c in expected.values())


TRANSCRIPT = "Interviewer: How do you get to work?\nRespondent: The bus never comes on time.\nSo I walk.\n"


def transcript_qdpx(start: int, end: int) -> bytes:
    project_xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Transcripts" origin="QualCoder 3.6">
  <CodeBook><Codes>
    <Code guid="c0de0000-0000-4000-8000-000000000001" name="Barriers" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="50bce000-0000-4000-8000-000000000001" name="interview 1"
        plainTextPath="internal://50bce000-0000-4000-8000-000000000001.txt">
      <PlainTextSelection guid="5e1ec000-0000-4000-8000-000000000001"
          startPosition="{start}" endPosition="{end}">
        <Coding guid="c0d10000-0000-4000-8000-000000000001">
          <CodeRef targetGUID="c0de0000-0000-4000-8000-000000000001"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", project_xml)
        archive.writestr("Sources/50bce000-0000-4000-8000-000000000001.txt", TRANSCRIPT)
    return buffer.getvalue()


def test_a_transcript_with_a_line_a_turn_keeps_its_text_and_its_coding_across_lines(project, team):
    start, end = TRANSCRIPT.index("The bus"), TRANSCRIPT.index("walk") + len("walk")
    data = transcript_qdpx(start, end)
    report = annotations_import(
        project=project, file=io.BytesIO(data), format="qdpx", as_user=team.owner, create_themes=True
    )
    source = Source.objects.get(project=project)
    assert source.text == TRANSCRIPT
    assert (
        list(source.passages.order_by("ordinal").values_list("text", flat=True))
        == TRANSCRIPT.split("\n")[:-1]
    )
    assert [a.quote for a in Annotation.objects.order_by("passage__ordinal")] == [
        "The bus never comes on time.",
        "So I walk",
    ]
    assert report.sources_created == 1 and report.annotations_created == 2
    again = annotations_import(project=project, file=io.BytesIO(data), format="qdpx", as_user=team.owner)
    assert (again.sources_created, again.annotations_created, again.duplicates_skipped) == (0, 0, 2)
