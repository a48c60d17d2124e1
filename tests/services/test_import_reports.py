"""Nothing dropped in silence: what another tool's file holds comes in where the project can hold it,
the rest is counted by kind with examples in the import's report, and what cannot be read as text
(an image task) is refused with a message naming it. doccano's own example files load."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from sources.formats.records import FormatError
from sources.models import Annotation, Membership, Source
from sources.services.imports import annotations_import

from ..factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db

DOCCANO = Path(__file__).resolve().parent.parent / "data" / "doccano"


@pytest.fixture
def project(team):
    project = ProjectFactory(slug="fresh")
    MembershipFactory(project=project, user=team.owner, role="owner")
    return project


def run(project, data: bytes, fmt: str, **options):
    return annotations_import(project=project, file=io.BytesIO(data), format=fmt, **options)


def tags(project) -> list[tuple[str, str, str | None]]:
    """(source text, theme slug, quote or None for a whole-passage tag), sorted."""
    rows = Annotation.objects.filter(passage__source__project=project).select_related(
        "passage__source", "theme"
    )
    return sorted(
        (a.passage.source.text, a.theme.slug, a.quote if a.start is not None else None) for a in rows
    )


# --- doccano's examples --------------------------------------------------------------------------


def test_doccanos_pretty_printed_json_array_of_classes_loads(project, team):
    report = run(
        project,
        (DOCCANO / "doccano-text-classification.json").read_bytes(),
        "doccano",
        as_user=team.owner,
        create_themes=True,
    )
    assert report.sources_created == 3 and report.annotations_created == 3
    assert tags(project) == [
        ("Great price.", "positive", None),
        ("Really great transaction.", "positive", None),
        ("Terrible customer service.", "negative", None),
    ]


def test_doccanos_intent_detection_entities_and_cats_both_come_in(project, team):
    data = (DOCCANO / "doccano-intent-detection.jsonl").read_bytes()
    run(project, data, "doccano", as_user=team.owner, create_themes=True)
    expected = []
    for line in data.decode().splitlines():
        example = json.loads(line)
        text = example["text"]
        expected += [(text, label.lower(), text[start:end]) for start, end, label in example["entities"]]
        expected += [(text, cat, None) for cat in example["cats"]]
    assert tags(project) == sorted(expected)


def test_doccanos_pretty_printed_relation_example_loads_its_entities_and_reports_its_relations(project, team):
    data = (DOCCANO / "doccano-relation-extraction.jsonl").read_bytes()
    report = run(project, data, "doccano", as_user=team.owner, create_themes=True)
    example = json.loads(data)
    text = example["text"]
    assert tags(project) == sorted(
        (text, e["label"].lower(), text[e["start_offset"] : e["end_offset"]]) for e in example["entities"]
    )
    assert report.skipped["doccano relation"].count == 3
    assert "skipped 3 doccano relation(s)" in report.summary()


def test_doccanos_sequence_labelling_example_lands_on_its_characters(project, team):
    data = (DOCCANO / "doccano-sequence-labeling.jsonl").read_bytes()
    run(project, data, "doccano", as_user=team.owner, create_themes=True)
    expected = []
    for line in data.decode().splitlines():
        example = json.loads(line)
        expected += [(example["text"], name.lower(), example["text"][s:e]) for s, e, name in example["label"]]
    assert tags(project) == sorted(expected)


def test_spacy_style_cats_scores_tag_the_classes_that_hold(project, team):
    line = {"text": "A quiet harbour town.", "cats": {"place": 1.0, "person": 0.0, "calm": True}}
    run(project, json.dumps(line).encode(), "doccano", as_user=team.owner, create_themes=True)
    assert [slug for _, slug, _ in tags(project)] == ["calm", "place"]


# --- Label Studio ------------------------------------------------------------------------------


def image_task() -> list[dict]:
    return [{"id": 7, "data": {"image": "/data/upload/1/cat.jpg"}, "annotations": []}]


def test_a_label_studio_image_task_is_refused_with_a_message_naming_it(project, team):
    with pytest.raises(FormatError, match=r"non-text task \(image\)") as error:
        run(project, json.dumps(image_task()).encode(), "label-studio", as_user=team.owner)
    assert error.value.where == "task 0 (id 7)"
    assert not Source.objects.filter(project=project).exists()


def test_label_studio_non_text_results_are_reported_as_skipped_and_predictions_suggested(project, team):
    task = {
        "id": 9,
        "data": {"text": "Pipelines cross the steppe."},
        "annotations": [
            {
                "completed_by": {"email": "annotator@example.org"},
                "result": [
                    {
                        "type": "labels",
                        "value": {"start": 0, "end": 9, "text": "Pipelines", "labels": ["Energy"]},
                    },
                    {"type": "rating", "value": {"rating": 4}},
                ],
            }
        ],
        "predictions": [
            {
                "result": [
                    {"type": "choices", "value": {"choices": ["Energy"]}},
                    {"type": "rectanglelabels", "value": {"x": 1, "rectanglelabels": ["Energy"]}},
                ]
            }
        ],
    }
    report = run(project, json.dumps([task]).encode(), "label-studio", as_user=team.owner, create_themes=True)
    assert report.annotations_created == 1
    assert report.suggestions_created == 1
    assert report.skipped["Label Studio prediction 'rectanglelabels' result"].examples == [
        "task 0 (id 9), predictions[0], result[1]"
    ]
    assert report.skipped["Label Studio 'rating' result"].count == 1


# --- QDA-XML --------------------------------------------------------------------------------------

TEXT = "First answer about buses.\nSecond answer about trains.\n"
UNCODED = "A text nobody coded yet.\n"


def qda_project(user_name: str) -> bytes:
    start, end = TEXT.index("buses"), TEXT.index("buses") + len("buses")
    memo_start = TEXT.index("trains")
    project_xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Report" origin="MAXQDA 24">
  <Users><User guid="00000000-0000-4000-8000-0000000000a1" name="{user_name}"/></Users>
  <CodeBook><Codes>
    <Code guid="00000000-0000-4000-8000-0000000000c1" name="Transport" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="00000000-0000-4000-8000-0000000000f1" name="interview" plainTextPath="internal://f1.txt">
      <PlainTextSelection guid="00000000-0000-4000-8000-0000000000e1" startPosition="{start}"
          endPosition="{end}" creatingUser="00000000-0000-4000-8000-0000000000a1">
        <Coding guid="00000000-0000-4000-8000-0000000000d1"
            creatingUser="00000000-0000-4000-8000-0000000000a1">
          <CodeRef targetGUID="00000000-0000-4000-8000-0000000000c1"/>
          <NoteRef targetGUID="00000000-0000-4000-8000-0000000000b1"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="00000000-0000-4000-8000-0000000000e2" startPosition="{memo_start}"
          endPosition="{memo_start + 6}">
        <NoteRef targetGUID="00000000-0000-4000-8000-0000000000b2"/>
      </PlainTextSelection>
      <NoteRef targetGUID="00000000-0000-4000-8000-0000000000b3"/>
    </TextSource>
    <TextSource guid="00000000-0000-4000-8000-0000000000f2" name="uncoded" plainTextPath="internal://f2.txt"/>
    <PictureSource guid="00000000-0000-4000-8000-0000000000f3" name="photo.jpg" path="internal://f3.jpg"/>
  </Sources>
  <Notes>
    <Note guid="00000000-0000-4000-8000-0000000000b1"><PlainTextContent>coding memo</PlainTextContent></Note>
    <Note guid="00000000-0000-4000-8000-0000000000b2"><PlainTextContent>memo only</PlainTextContent></Note>
    <Note guid="00000000-0000-4000-8000-0000000000b3">
      <PlainTextContent>about the interview</PlainTextContent>
    </Note>
  </Notes>
  <Sets><Set guid="00000000-0000-4000-8000-000000000051" name="approved"/></Sets>
</Project>"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", project_xml)
        archive.writestr("Sources/f1.txt", TEXT)
        archive.writestr("Sources/f2.txt", UNCODED)
    return buffer.getvalue()


def test_a_qda_project_brings_what_the_project_holds_and_reports_the_rest(project, team):
    report = run(
        project, qda_project("annotator"), "qdpx", as_user=team.owner, create_themes=True, members_only=True
    )
    assert sorted(Source.objects.filter(project=project).values_list("text", flat=True)) == sorted(
        [TEXT, UNCODED]
    )
    annotation = Annotation.objects.get(passage__source__project=project)
    assert (annotation.quote, annotation.note) == ("buses", "coding memo")
    # annotator is not a member of this project, and was not asked to become one
    assert annotation.author == team.owner
    assert {kind: entry.count for kind, entry in report.skipped.items()} == {
        "Set": 1,
        "PictureSource": 1,
        "selection without a code": 1,
    }
    assert Source.objects.get(project=project, text=TEXT).notes == "about the interview"
    assert report.skipped["selection without a code"].examples == ["trains; memo only"]
    assert report.skipped["Set"].examples == ["approved"]
    assert report.sources_created == 2


def test_users_named_in_the_file_become_members_when_asked(project, team):
    report = run(
        project, qda_project("annotator"), "qdpx", as_user=team.owner, create_themes=True, add_members=True
    )
    assert Membership.objects.get(project=project, user=team.annotator).role == "annotator"
    assert Annotation.objects.get(passage__source__project=project).author == team.annotator
    assert report.members_added == ["annotator"] and "members added: annotator" in report.summary()


def test_the_api_answer_and_the_command_give_the_report(project, team, api_as, tmp_path):
    client = api_as(team.owner)
    response = client.post(
        f"/api/projects/{project.slug}/import/",
        {
            "file": SimpleUploadedFile("p.qdpx", qda_project("annotator")),
            "format": "qdpx",
            "create_themes": "1",
            "add_members": "1",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["skipped"]["Set"] == {"count": 1, "examples": ["approved"]}
    assert body["members_added"] == ["annotator"]
    path = tmp_path / "relations.jsonl"
    path.write_bytes((DOCCANO / "doccano-relation-extraction.jsonl").read_bytes())
    out = io.StringIO()
    call_command(
        "import_annotations",
        str(path),
        project=project.slug,
        format="doccano",
        as_user="owner",
        create_themes=True,
        stdout=out,
    )
    assert "skipped 3 doccano relation(s), e.g. 'example 0, relations[0]'" in out.getvalue()
