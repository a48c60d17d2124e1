"""Imports: our own JSONL and qdpx round-trip byte for byte; Label Studio and doccano files land on the
right passages; a bad record anywhere leaves the database exactly as it was."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.formats.records import FormatError
from sources.models import Annotation, Claim, Evidence, Passage, Session, Source, Theme
from sources.services.exports import export_stream
from sources.services.imports import ImportRefused, annotations_import

from ..formats.conftest import RUSSIAN

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def export(project, fmt: str) -> bytes:
    return b"".join(export_stream(project=project, format=fmt).chunks)


def run_import(project, data: bytes, fmt: str, **options):
    return annotations_import(project=project, file=io.BytesIO(data), format=fmt, **options)


def snapshot() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Source, Passage, Theme, Annotation, Claim, Evidence, Session, Annotation.history.model)
    }


@pytest.mark.parametrize("fmt", ["jsonl", "qdpx"])
def test_export_import_export_is_byte_identical(corpus, empty, fmt):
    first = export(corpus.project, fmt)
    report = run_import(empty, first, fmt, create_themes=True)
    assert report.annotations_created == 10
    assert report.sources_created == 2
    assert export(empty, fmt) == first


def test_qdpx_round_trip_keeps_each_tags_review_status_and_note_and_the_source_notes(corpus, empty):
    Source.objects.filter(pk=corpus.english.pk).update(notes="Interview memo:\n\nread with the 2019 report.")
    data = export(corpus.project, "qdpx")
    run_import(empty, data, "qdpx", create_themes=True)
    run_import(empty, data, "qdpx", create_themes=True)  # a second time adds nothing, notes included
    assert Source.objects.get(project=empty, sha256=corpus.english.sha256).notes == (
        "Interview memo:\n\nread with the 2019 report."
    )

    def tags(project):
        rows = Annotation.objects.filter(passage__source__project=project)
        return sorted(rows.values_list("theme__slug", "author__username", "start", "end", "status", "note"))

    assert tags(empty) == tags(corpus.project)


def test_jsonl_round_trip_keeps_timestamps_claims_evidence_and_sessions(corpus, empty):
    report = run_import(empty, export(corpus.project, "jsonl"), "jsonl", create_themes=True)
    assert (report.claims_created, report.evidence_created) == (3, 5)
    original = Annotation.objects.filter(passage__source__project=corpus.project)
    copied = Annotation.objects.filter(passage__source__project=empty)
    assert sorted(original.values_list("created", "updated", "status")) == sorted(
        copied.values_list("created", "updated", "status")
    )
    assert copied.filter(session__name="Week 1").count() == 2
    pipeline = Evidence.objects.get(claim__project=empty, annotation__quote='"energy security" <matters>')
    assert pipeline.claim.source.title == "Chinese View on SCO Expansion"
    assert Theme.objects.get(project=empty, slug="terrorism").parent.slug == "three-evils"


def test_imported_rows_have_history(corpus, empty):
    run_import(empty, export(corpus.project, "jsonl"), "jsonl", create_themes=True)
    annotation = Annotation.objects.filter(passage__source__project=empty).first()
    assert annotation.history.count() == 1
    assert annotation.history.first().history_change_reason == "import"


def test_importing_the_same_file_twice_adds_nothing_the_second_time(corpus):
    report = run_import(corpus.project, export(corpus.project, "jsonl"), "jsonl")
    assert report.annotations_created == 0
    assert report.duplicates_skipped == 15  # 10 annotations and 5 evidence links


def test_a_bad_record_anywhere_leaves_the_database_unchanged(corpus, empty):
    lines = export(corpus.project, "jsonl").decode().splitlines()
    broken = json.loads(lines[-2])
    broken["annotations"] = (
        [{**broken["annotations"][0], "quote": "not what the passage says"}]
        if broken["annotations"]
        else [
            {
                "theme": "energy",
                "author": "annotator",
                "start": 0,
                "end": 3,
                "quote": "xyz",
                "created": "2026-01-01T00:00:00.000000Z",
                "updated": "2026-01-01T00:00:00.000000Z",
            }
        ]
    )
    lines[-2] = json.dumps(broken, ensure_ascii=False)
    before = snapshot()
    with pytest.raises(FormatError) as error:
        run_import(empty, ("\n".join(lines) + "\n").encode(), "jsonl", create_themes=True)
    assert error.value.where == f"line {len(lines) - 1}"
    assert error.value.field == "annotations[0].quote"
    assert snapshot() == before


def test_unknown_themes_are_refused_all_named_and_nothing_written(corpus, empty):
    before = snapshot()
    with pytest.raises(ImportRefused) as error:
        run_import(empty, export(corpus.project, "jsonl"), "jsonl")
    for slug in ("energy", "multipolarity", "terrorism", "separatism", "extremism", "three-evils"):
        assert slug in str(error.value)
    assert snapshot() == before


def test_a_filtered_export_cannot_create_its_sources(corpus, empty):
    from sources.selectors.exports import ExportFilters

    data = b"".join(
        export_stream(project=corpus.project, format="jsonl", filters=ExportFilters(status="approved")).chunks
    )
    with pytest.raises(FormatError, match="import the source first"):
        run_import(empty, data, "jsonl", create_themes=True)
    assert not Source.objects.filter(project=empty).exists()


def test_qdc_codebook_round_trips(corpus, empty):
    codebook = export(corpus.project, "qdc")
    report = run_import(empty, codebook, "qdc")
    assert sorted(report.themes_created) == sorted(corpus.themes)
    assert export(empty, "qdc") == codebook


def test_qdpx_import_into_a_project_with_the_codebook_matches_themes_by_guid(corpus, empty):
    run_import(empty, export(corpus.project, "qdc"), "qdc")
    report = run_import(empty, export(corpus.project, "qdpx"), "qdpx")
    assert report.themes_created == [] and report.annotations_created == 10
    whole = Annotation.objects.filter(passage__source__project=empty, start__isnull=True)
    assert whole.count() == 2


# --- Label Studio ---------------------------------------------------------------------------------


@pytest.fixture
def emails(team):
    for user in (team.annotator, team.annotator2):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


def test_label_studio_tasks_land_on_the_passages_with_their_text(corpus, team, emails):
    data = (DATA / "label-studio" / "sco-tasks.json").read_bytes()
    last = Annotation.objects.order_by("-pk").first().pk
    report = run_import(corpus.project, data, "label-studio", as_user=team.instructor)
    # Two of the six tags are already in the corpus (same author, passage, theme and span).
    assert (report.annotations_created, report.duplicates_skipped, report.sources_created) == (4, 2, 0)
    new = Annotation.objects.filter(pk__gt=last).select_related("passage", "theme", "author")
    assert {a.status for a in new} == {"submitted"}
    for annotation in new:
        if annotation.start is not None:
            assert annotation.passage.text[annotation.start : annotation.end] == annotation.quote
    by_quote = {(a.quote, a.theme.slug): a for a in new}
    energy = by_quote[("идут в Китай", "energy")]  # offsets were UTF-16 units after the emoji
    assert energy.author == team.annotator
    assert energy.note == "Поставки после 🛢 — смещение UTF-16"
    assert energy.created.isoformat() == "2026-03-04T10:00:00+00:00"
    assert energy.updated.isoformat() == "2026-03-04T10:00:30+00:00"
    whole = Annotation.objects.get(
        passage__text=RUSSIAN[1], theme__slug="three-evils", author=team.annotator2
    )
    assert whole.start is None  # the Label Studio choice was this whole-passage tag, already there
    assert by_quote[("separatism", "separatism")].author == team.instructor  # unknown e-mail -> --as
    assert by_quote[("", "multipolarity")].author == team.instructor  # a bare LS user id -> --as
    assert not new.filter(quote="нефть и газ").exists()  # cancelled


def test_label_studio_unknown_labels_are_refused_or_created(corpus, team, emails):
    data = (DATA / "label-studio" / "unknown-labels.json").read_bytes()
    before = snapshot()
    with pytest.raises(ImportRefused, match="Organisation, Security"):
        run_import(corpus.project, data, "label-studio", as_user=team.instructor)
    assert snapshot() == before
    report = run_import(corpus.project, data, "label-studio", as_user=team.instructor, create_themes=True)
    assert sorted(report.themes_created) == ["organisation", "security"]
    assert report.annotations_created == 3


def test_label_studio_without_as_refuses_unknown_users(corpus):
    data = (DATA / "label-studio" / "sco-tasks.json").read_bytes()
    with pytest.raises(ImportRefused, match=r"guest@elsewhere\.example"):
        run_import(corpus.project, data, "label-studio")


def test_a_new_text_becomes_a_source_through_the_ingester(corpus, team, emails):
    data = (DATA / "label-studio" / "new-text.json").read_bytes()
    report = run_import(corpus.project, data, "label-studio", as_user=team.instructor)
    assert report.sources_created == 1 and report.annotations_created == 2
    source = Source.objects.get(project=corpus.project, title__startswith="Kazakhstan hosts")
    quotes = set(Annotation.objects.filter(passage__source=source).values_list("quote", flat=True))
    assert quotes == {"energy transit", "counter-terrorism"}


# --- doccano --------------------------------------------------------------------------------------


def test_doccano_spans_classes_and_entities(corpus, team):
    last = Annotation.objects.order_by("-pk").first().pk
    total = 0
    for name, expected in (("sco-spans.jsonl", 4), ("sco-classes.jsonl", 3), ("sco-entities.jsonl", 1)):
        data = (DATA / "doccano" / name).read_bytes()
        report = run_import(corpus.project, data, "doccano", as_user=team.annotator2)
        assert report.annotations_created + report.duplicates_skipped == expected, name
        total += report.annotations_created
    new = Annotation.objects.filter(pk__gt=last)
    assert new.count() == total == 5  # three of the eight tags were already in the corpus
    assert {a.status for a in new} == {"submitted"}
    for annotation in new.select_related("passage"):
        if annotation.start is not None:
            assert annotation.passage.text[annotation.start : annotation.end] == annotation.quote
    china = new.get(quote="Китай", theme__slug="energy")
    assert china.passage.text.endswith("идут в Китай.")
    assert new.filter(start__isnull=True, theme__slug="three-evils").count() == 1


def test_doccano_bad_offsets_name_the_line_and_change_nothing(corpus, team):
    data = (DATA / "doccano" / "bad-offsets.jsonl").read_bytes()
    before = snapshot()
    with pytest.raises(FormatError) as error:
        run_import(corpus.project, data, "doccano", as_user=team.annotator2)
    assert error.value.where == "line 2" and error.value.field == "label[0]"
    assert snapshot() == before


# --- the command ----------------------------------------------------------------------------------


def test_command_imports_and_reports(corpus, team, tmp_path):
    path = tmp_path / "doccano.jsonl"
    path.write_bytes((DATA / "doccano" / "sco-spans.jsonl").read_bytes())
    out = io.StringIO()
    call_command(
        "import_annotations", str(path), project="class", format="doccano", as_user="annotator2", stdout=out
    )
    assert out.getvalue().strip() == "3 annotation(s) imported; 1 already present and skipped."


def test_command_names_the_bad_line(corpus, team, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes((DATA / "doccano" / "bad-offsets.jsonl").read_bytes())
    with pytest.raises(CommandError, match=r"line 2, field .label\[0\]..*nothing was imported"):
        call_command("import_annotations", str(path), project="class", format="doccano", as_user="annotator2")
    with pytest.raises(CommandError, match="No user 'ghost'"):
        call_command("import_annotations", str(path), project="class", format="doccano", as_user="ghost")


# --- REFI-QDA from another tool -------------------------------------------------------------------


def qdpx(project_xml: str, files: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", project_xml)
        for name, text in (files or {}).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_qdpx_from_another_tool_lands_on_passages_split_at_their_bounds(corpus, team):
    text = corpus.english.text
    start = text.index("terrorism")
    end = text.index("Pipelines") + len("Pipelines")  # crosses from passage 1 into passage 2
    project_xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="From ATLAS.ti" origin="ATLAS.ti 23">
  <Users><User guid="{{AB5C37D3-8D0E-4F3A-9A56-5A9B7C1D2E3F}}" name="annotator2"/></Users>
  <CodeBook><Codes>
    <Code guid="{{11111111-2222-4333-8444-555555555555}}" name="Security" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="0a1b2c3d-0000-4000-8000-000000000001" name="Chinese View"
        plainTextPath="internal://0a1b.txt">
      <PlainTextSelection guid="0a1b2c3d-0000-4000-8000-000000000002"
          startPosition="{start}" endPosition="{end}"
          creatingUser="{{AB5C37D3-8D0E-4F3A-9A56-5A9B7C1D2E3F}}" creationDateTime="2026-02-01T10:00:00Z">
        <Coding guid="0a1b2c3d-0000-4000-8000-000000000003">
          <CodeRef targetGUID="{{11111111-2222-4333-8444-555555555555}}"/>
        </Coding>
        <NoteRef targetGUID="0a1b2c3d-0000-4000-8000-000000000004"/>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes><Note guid="0a1b2c3d-0000-4000-8000-000000000004" name="memo">
    <PlainTextContent>Security framing</PlainTextContent>
  </Note></Notes>
</Project>"""
    data = qdpx(project_xml, {"Sources/0a1b.txt": text})
    report = run_import(corpus.project, data, "qdpx", create_themes=True)
    assert report.themes_created == ["security"] and report.annotations_created == 2
    pieces = Annotation.objects.filter(theme__slug="security").order_by("passage__ordinal")
    assert [a.quote for a in pieces] == [
        corpus.english.passages.get(ordinal=1).text[start - corpus.english.passages.get(ordinal=1).start :],
        "Pipelines",
    ]
    assert {a.author for a in pieces} == {team.annotator2}
    assert {a.note for a in pieces} == {"Security framing"}
    assert pieces[0].created.isoformat() == "2026-02-01T10:00:00+00:00"


def test_a_broken_project_qde_names_its_line_and_changes_nothing(corpus):
    before = snapshot()
    with pytest.raises(FormatError) as error:
        run_import(
            corpus.project,
            qdpx('<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0">\n<Users>\n'),
            "qdpx",
        )
    assert error.value.where.startswith("project.qde line")
    with pytest.raises(FormatError, match="not a zip"):
        run_import(corpus.project, b"plain text", "qdpx")
    assert snapshot() == before


def test_a_tag_given_twice_in_a_file_for_a_new_source_is_written_once(corpus, empty):
    lines = export(corpus.project, "jsonl").decode().splitlines()
    index = next(i for i, line in enumerate(lines) if json.loads(line)["annotations"])
    line = json.loads(lines[index])
    line["annotations"].append(line["annotations"][0])
    lines[index] = json.dumps(line, ensure_ascii=False)
    report = run_import(empty, ("\n".join(lines) + "\n").encode(), "jsonl", create_themes=True)
    assert (report.annotations_created, report.duplicates_skipped) == (10, 1)


def test_a_disagreement_thread_and_its_decision_travel_in_jsonl(corpus, team, empty):
    from sources.services.discussions import discussion_comment, discussion_decide, discussion_start

    annotation = Annotation.objects.filter(passage__source__project=corpus.project).order_by("id").first()
    thread = discussion_start(
        passage=annotation.passage, theme=annotation.theme, started_by=team.annotator, text="Is this right?"
    )
    discussion_comment(discussion=thread, author=team.instructor, text="Read the next sentence.")
    discussion_decide(
        discussion=thread, decided_by=team.instructor, decision="accepted", reason="Fits the codebook.",
        approve=[annotation],
    )  # fmt: skip
    first = export(corpus.project, "jsonl")
    [line] = [json.loads(row) for row in first.splitlines() if b'"discussions"' in row]
    [exported] = line["discussions"]
    assert (exported["decision"], exported["reason"], exported["decided_by"]) == (
        "accepted", "Fits the codebook.", "instructor",
    )  # fmt: skip
    assert [c["text"] for c in exported["comments"]] == ["Is this right?", "Read the next sentence."]
    assert exported["theme"] == annotation.theme.slug

    run_import(empty, first, "jsonl", create_themes=True)
    assert export(empty, "jsonl") == first
