"""Uploading sources from the pages and the API: a file is staged, its segmentation previewed, then it
is ingested — at once, or by the task worker when it is larger than SOURCE_BACKGROUND_BYTES, so a
large PDF never runs into the web server's request timeout.

Every path ends in `source_import`, the one writer of sources and passages."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils import timezone
from django_tasks import task

from ..ingest import IngestError, PassageDraft, parse_document
from ..ingest.metadata import pdf_metadata
from ..ingest.report import suspects
from ..models import Project, SourceUpload, UploadStatus
from .errors import ConflictError
from .sources import check_text_is_new, source_import, text_hash

SUFFIXES = (".txt", ".md", ".pdf")
PREVIEW_PASSAGES = 30
METADATA_FIELDS = ("title", "authors", "year", "language", "citation")


def is_large(size: int) -> bool:
    return size > settings.SOURCE_BACKGROUND_BYTES


@dataclass
class Preview:
    """What a staged file will become: its metadata as read from the file, and its first passages."""

    upload: SourceUpload
    metadata: dict = field(default_factory=dict)
    passages: list[PassageDraft] = field(default_factory=list)
    passage_count: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)
    suspects: dict[int, list[str]] = field(default_factory=dict)  # by ordinal: what may be wrong
    error: str = ""

    @property
    def listed(self) -> list[tuple[PassageDraft, list[str]]]:
        """The passages shown, each with what is suspect about it (`ingest.report.suspects`)."""
        return [(passage, self.suspects.get(passage.ordinal, [])) for passage in self.passages]

    @property
    def large(self) -> bool:
        return is_large(self.upload.size)


def error_text(error: Exception) -> str:
    if isinstance(error, ConflictError):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _check_name(filename: str) -> str:
    name = PurePath(filename or "").name[:255]
    if PurePath(name).suffix.lower() not in SUFFIXES:
        raise ValidationError({"file": f"'{name}' is not a .txt, .md or .pdf file."})
    return name


def upload_stage(
    *, project: Project, user: AbstractBaseUser, file: File, metadata: dict | None = None
) -> SourceUpload:
    """Keep an uploaded file until it is confirmed (or, from the API, ingested)."""
    name = _check_name(file.name)
    if file.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": f"'{name}' has {file.size} bytes; the limit is {settings.MAX_UPLOAD_BYTES}."}
        )
    upload = SourceUpload(project=project, uploaded_by=user, filename=name, size=file.size)
    upload.metadata = {k: v for k, v in (metadata or {}).items() if k in METADATA_FIELDS}
    upload.file.save(f"{project.pk}/{name}", file, save=False)
    upload.save()
    return upload


def upload_stage_text(*, project: Project, user: AbstractBaseUser, text: str, title: str) -> SourceUpload:
    """Pasted text, staged as a file: Markdown when it has Markdown headings, plain text otherwise."""
    if not text.strip():
        raise ValidationError({"text": "The pasted text is empty."})
    markdown = any(line.startswith("#") for line in text.splitlines())
    name = (title.strip() or "Pasted text")[:200] + (".md" if markdown else ".txt")
    file = ContentFile(text.encode("utf-8"), name=name.replace("/", "-"))
    return upload_stage(project=project, user=user, file=file, metadata={"title": title.strip()})


def upload_preview(upload: SourceUpload) -> Preview:
    """Parse a staged file as the ingester will, without writing anything; a large file is not parsed
    here (that is the worker's job), only its metadata is read."""
    preview = Preview(upload=upload)
    with upload.file.open("rb") as handle:
        data = handle.read() if not preview.large or upload.filename.lower().endswith(".pdf") else b""
    if upload.filename.lower().endswith(".pdf"):
        preview.metadata.update(pdf_metadata(data))
    if preview.large:
        return preview
    try:
        document = parse_document(data, upload.filename)
        check_text_is_new(upload.project, text_hash(document.text))
    except (IngestError, ConflictError) as error:
        preview.error = error_text(error)
        return preview
    preview.metadata.setdefault("title", document.title or PurePath(upload.filename).stem)
    preview.metadata["language"] = document.language
    preview.passages = document.passages[:PREVIEW_PASSAGES]
    preview.passage_count = len(document.passages)
    preview.kinds = dict(Counter(p.kind for p in document.passages))
    preview.suspects = suspects(document)
    preview.sections = list(dict.fromkeys(p.text for p in document.passages if p.kind == "heading"))[:20]
    preview.metadata.update({k: v for k, v in upload.metadata.items() if v})
    return preview


def upload_confirm(*, upload: SourceUpload, metadata: dict) -> SourceUpload:
    """Ingest a staged file with the metadata the person confirmed: now, or queued for the worker."""
    if upload.status != UploadStatus.STAGED:
        raise ValidationError({"upload": f"'{upload.filename}' was already {upload.get_status_display()}."})
    upload.metadata = {k: v for k, v in metadata.items() if k in METADATA_FIELDS}
    if is_large(upload.size):
        upload.status = UploadStatus.QUEUED
        upload.save(update_fields=["metadata", "status"])
        source_upload_task.enqueue(upload.pk)
        upload.refresh_from_db()
        return upload
    upload.save(update_fields=["metadata"])
    return upload_run(upload_id=upload.pk)


def upload_discard(*, upload: SourceUpload) -> None:
    if upload.status == UploadStatus.STAGED:
        upload.file.delete(save=False)
        upload.delete()


@task()
def source_upload_task(upload_id: int) -> None:
    upload_run(upload_id=upload_id)


def _progress(upload: SourceUpload, percent: int) -> None:
    SourceUpload.objects.filter(pk=upload.pk).update(percent=percent)


def upload_run(*, upload_id: int) -> SourceUpload:
    """Ingest the upload's file into a source; a file the ingester refuses fails the upload with the
    ingester's message and writes nothing else. The stored file is removed either way."""
    upload = SourceUpload.objects.select_related("project", "uploaded_by").get(pk=upload_id)
    SourceUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.RUNNING, percent=10)
    meta = upload.metadata
    try:
        with upload.file.open("rb") as handle:
            data = handle.read()
        source = source_import(
            project=upload.project,
            data=data,
            filename=upload.filename,
            title=meta.get("title") or None,
            authors=meta.get("authors") or (),
            year=meta.get("year") or None,
            language=meta.get("language") or None,
            citation=meta.get("citation") or "",
            added_by=upload.uploaded_by,
            progress=lambda percent: _progress(upload, percent),
        )
    except (IngestError, ConflictError, ValidationError, OSError) as error:
        upload.status, upload.error, upload.source = UploadStatus.FAILED, error_text(error), None
    else:
        upload.status, upload.error, upload.source = UploadStatus.DONE, "", source
    upload.percent = 100
    upload.finished = timezone.now()
    upload.file.delete(save=False)
    upload.save(update_fields=["status", "error", "source", "percent", "finished", "file"])
    return upload
