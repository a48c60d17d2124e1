"""Uploading sources: staging, preview, ingesting at once or in the background, editing, deleting
and restoring with the work on them."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter

from sources.models import Annotation, Evidence, RemovedSource, Review, Source, SourceUpload
from sources.services.errors import ConflictError
from sources.services.source_removal import source_delete, source_restore
from sources.services.source_uploads import (
    upload_confirm,
    upload_preview,
    upload_stage,
    upload_stage_text,
)
from sources.services.sources import source_update

from ..factories import AnnotationFactory, ClaimFactory, EvidenceFactory, SourceFactory, ThemeFactory
from ..ingest.minimal_pdf import minimal_pdf

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"


@pytest.fixture(autouse=True)
def scratch(settings, tmp_path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def staged(team, name: str, data: bytes) -> SourceUpload:
    return upload_stage(project=team.project, user=team.instructor, file=SimpleUploadedFile(name, data))


def test_preview_shows_passages_kinds_and_sections_and_writes_nothing(team) -> None:
    data = (CORPUS / "chinese-view-on-sco-expansion.txt").read_bytes()
    preview = upload_preview(staged(team, "expansion.txt", data))
    assert preview.error == ""
    assert preview.passage_count > 20
    assert preview.kinds["paragraph"] > 10
    assert preview.metadata["language"] == "en"
    assert preview.passages[0].kind == "heading"
    assert not Source.objects.exists()


def test_preview_flags_the_passages_ingest_report_flags(team) -> None:
    text = (
        "Journal of Eurasian Studies\n\nThe members disagree about the pace of cooperation.\n\n"
        "Journal of Eurasian Studies\n\nand about its expansion\n"
    )
    preview = upload_preview(staged(team, "notes.md", text.encode()))
    assert [(passage.text, reasons) for passage, reasons in preview.listed] == [
        ("Journal of Eurasian Studies", ["fragment", "repeated"]),
        ("The members disagree about the pace of cooperation.", []),
        ("Journal of Eurasian Studies", ["fragment", "repeated"]),
        ("and about its expansion", ["fragment"]),
    ]


def test_markdown_heading_and_pdf_metadata_prefill_the_form(team) -> None:
    preview = upload_preview(staged(team, "notes.md", b"# Energy in the SCO\n\nPipelines run east.\n"))
    assert preview.metadata["title"] == "Energy in the SCO"
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(minimal_pdf([["Security in Central Asia", "A long paragraph."]]))))
    writer.add_metadata({"/Title": "Security", "/Author": "Doe J.; Roe R.", "/CreationDate": "D:20190301"})
    out = io.BytesIO()
    writer.write(out)
    preview = upload_preview(staged(team, "paper.pdf", out.getvalue()))
    assert (preview.metadata["title"], preview.metadata["authors"], preview.metadata["year"]) == (
        "Security",
        ["Doe J.", "Roe R."],
        2019,
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("latin.txt", "Caf\xe9 au lait, d\xe9j\xe0 vu.".encode("latin-1"), "UTF-8"),
        ("broken.pdf", b"%PDF-1.4 this is not a pdf", "PDF"),
    ],
)
def test_unreadable_files_get_the_ingesters_message(team, name: str, data: bytes, message: str) -> None:
    preview = upload_preview(staged(team, name, data))
    assert message in preview.error
    upload = upload_confirm(upload=staged(team, name, data), metadata={})
    assert upload.status == "failed"
    assert message in upload.error
    assert not Source.objects.exists()


def test_a_duplicate_fails_alone(team) -> None:
    text = b"The SCO was founded in 2001.\n\nIt fights the three evils.\n"
    first = upload_confirm(upload=staged(team, "a.txt", text), metadata={"title": "A"})
    second = upload_confirm(upload=staged(team, "b.txt", text), metadata={"title": "B"})
    assert first.status == "done"
    assert first.source.title == "A"
    assert second.status == "failed"
    assert "already in project" in second.error
    assert Source.objects.count() == 1


def test_a_large_file_is_ingested_by_the_worker_with_progress(team, settings) -> None:
    settings.SOURCE_BACKGROUND_BYTES = 100
    data = (CORPUS / "chinese-foreign-policy-in-the-sco.txt").read_bytes()
    upload = staged(team, "policy.txt", data)
    assert upload_preview(upload).large
    done = upload_confirm(upload=upload, metadata={"title": "Policy", "authors": ["Doe J."], "year": 2016})
    assert (done.status, done.percent) == ("done", 100)
    assert done.source.passages.count() > 20
    assert (done.source.title, done.source.year) == ("Policy", 2016)
    assert not done.file


def test_pasted_text_is_a_source_too(team) -> None:
    upload = upload_stage_text(project=team.project, user=team.owner, text="# Notes\n\nA line.", title="")
    assert upload.filename == "Pasted text.md"
    assert upload_confirm(upload=upload, metadata={}).source.title == "Notes"


def test_metadata_is_edited_without_touching_the_text(team) -> None:
    source = SourceFactory(project=team.project, paragraphs=["One."])
    source_update(source=source, title="Renamed", authors=[" Doe J. ", ""], year=2001)
    source.refresh_from_db()
    assert (source.title, source.authors, source.year, source.text) == ("Renamed", ["Doe J."], 2001, "One.")


def test_a_deleted_source_comes_back_with_its_tags_evidence_and_reviews(team) -> None:
    source = SourceFactory(project=team.project, paragraphs=["One.", "Two."])
    first, second = source.passages.order_by("ordinal")
    theme = ThemeFactory(project=team.project)
    tag = AnnotationFactory(passage=first, theme=theme, author=team.annotator, start=0, end=3)
    Review.objects.create(annotation=tag, reviewer=team.instructor, decision="approve")
    claim = ClaimFactory(project=team.project, author=team.annotator, source=source)
    EvidenceFactory(claim=claim, passage=second, author=team.annotator, annotation=tag)
    removed = source_delete(source=source, user=team.instructor)
    assert removed.tag_count == 1
    assert not Source.objects.filter(pk=source.pk).exists()
    assert Annotation.history.filter(id=tag.pk, history_type="-").exists()
    restored, tags = source_restore(removed=removed, user=team.instructor)
    assert (restored.pk, tags) == (source.pk, 1)
    tag_again = Annotation.objects.get(pk=tag.pk)
    assert (tag_again.quote, tag_again.created) == (tag.quote, tag.created)
    assert Evidence.objects.get(passage=second).annotation_id == tag.pk
    assert Review.objects.filter(annotation=tag).count() == 1
    claim.refresh_from_db()
    assert claim.source_id == source.pk
    assert not RemovedSource.objects.exists()


def test_a_restore_is_refused_while_the_text_is_back_under_another_id(team) -> None:
    source = SourceFactory(project=team.project, paragraphs=["One."])
    removed = source_delete(source=source, user=team.owner)
    SourceFactory(project=team.project, paragraphs=["One."], sha256=source.sha256)
    with pytest.raises(ConflictError, match="has this text again"):
        source_restore(removed=removed, user=team.owner)
