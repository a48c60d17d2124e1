"""Sources: ingesting a document into a Source and its Passages."""

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ..formats.records import PassageRecord
from ..ingest import PassageDraft, parse_document, verbatim_document
from ..models import Passage, Project, Source
from ..models.source import PASSAGE_FIELDS
from .bulk_rows import db_datetime, insert_rows
from .errors import ConflictError


@transaction.atomic
def source_import(
    *,
    project: Project,
    data: bytes,
    filename: str,
    title: str | None = None,
    authors: Sequence[str] = (),
    year: int | None = None,
    language: str | None = None,
    citation: str = "",
    added_by: AbstractBaseUser | None = None,
    progress: Callable[[int], None] | None = None,
    as_given: bool = False,
) -> Source:
    """Ingest a .txt, .md or .pdf into a new source with its passages; `progress` hears the percentage
    done after each stage.

    `as_given` (UTF-8 text from another tool, whose offsets point into it): the text is stored as it
    is, a passage a line, unless the ingester's normalized text is that very text.

    Raises IngestError for unreadable files and ConflictError when the project already has this text;
    nothing is written in either case."""
    document = parse_document(data, filename, language=language)
    if as_given and document.text != (given := data.decode("utf-8")):
        document = verbatim_document(given, language=language)
    if progress is not None:
        progress(60)
    sha256 = text_hash(document.text)
    check_text_is_new(project, sha256)
    source = Source(
        project=project,
        title=(title or document.title or filename.rsplit("/", 1)[-1])[:500],
        authors=[a.strip() for a in authors if a.strip()],
        year=year,
        language=language or document.language,
        citation=citation,
        filename=filename.rsplit("/", 1)[-1][:255],
        text=document.text,
        sha256=sha256,
        added_by=added_by,
    )
    return source_save_with_passages(source, document.passages)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_text_is_new(project: Project, sha256: str) -> None:
    existing = Source.objects.filter(project=project, sha256=sha256).values_list("id", "title").first()
    if existing is not None:
        raise ConflictError(
            f"This text is already in project '{project.slug}' as source {existing[0]} ('{existing[1]}').",
            existing_id=existing[0],
        )


SOURCE_FIELDS = frozenset({"title", "authors", "year", "language", "citation", "notes"})


@transaction.atomic
def source_update(*, source: Source, **fields: Any) -> Source:
    """Change a source's metadata (its text and passages stay as ingested)."""
    source = Source.objects.select_for_update().get(pk=source.pk)
    for name, value in fields.items():
        if name not in SOURCE_FIELDS:
            raise ValidationError({name: "Unknown field, or not one that can change."})
        if name == "authors":
            value = [author.strip() for author in value if author.strip()]
        setattr(source, name, value)
    source.full_clean()
    source.save(update_fields=list(fields))
    return source


def source_save_with_passages(source: Source, passages: Iterable[PassageDraft | PassageRecord]) -> Source:
    """Validate and save a new source, then write its passages in bulk (offsets already checked)."""
    source.full_clean()
    sources_save_with_passages([(source, passages)])
    return source


SOURCE_COLUMNS = [
    "project_id",
    "title",
    "authors",
    "year",
    "language",
    "citation",
    "filename",
    "text",
    "sha256",
    "added_by_id",
    "created",
]
PASSAGE_COLUMNS = ["source_id", *PASSAGE_FIELDS]


def sources_save_with_passages(
    documents: Sequence[tuple[Source, Iterable[PassageDraft | PassageRecord]]],
) -> list[list[int]]:
    """Validate the fields of new sources and save them with their passages, all in bulk; return the
    ids of each source's passages in order. The caller has made sure the texts are new and that the
    project and user exist (checking them would cost a query a source). Passages are written as rows,
    not model instances: their offsets were checked where they were made, and building an instance
    a passage cost more than writing it."""
    now = timezone.now()
    created = db_datetime(now)
    for source, _ in documents:
        source.created = now
        source.full_clean(exclude=["project", "added_by"], validate_unique=False, validate_constraints=False)
    source_ids = insert_rows(
        Source,
        SOURCE_COLUMNS,
        [
            (
                s.project_id,
                s.title,
                json.dumps(s.authors, ensure_ascii=False),
                s.year,
                s.language,
                s.citation,
                s.filename,
                s.text,
                s.sha256,
                s.added_by_id,
                created,
            )
            for s, _ in documents
        ],
        None,
    )
    rows: list[tuple] = []
    counts = []
    for (source, drafts), pk in zip(documents, source_ids, strict=True):
        source.pk = pk
        source._state.adding, source._state.db = False, connection.alias
        before = len(rows)
        rows.extend(
            (pk, p.ordinal, p.kind, p.section[:500], p.text, p.language, p.start, p.end, p.attached_to)
            for p in drafts
        )
        counts.append(len(rows) - before)
    passage_ids = iter(insert_rows(Passage, PASSAGE_COLUMNS, rows, None))
    return [list(islice(passage_ids, count)) for count in counts]
