"""Sources: ingesting a document into a Source and its Passages."""

import hashlib
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..formats.records import PassageRecord
from ..ingest import PassageDraft, parse_document, verbatim_document
from ..models import Passage, Project, Source
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
    as_given: bool = False,
) -> Source:
    """Ingest a .txt, .md or .pdf into a new source with its passages.

    `as_given` (UTF-8 text from another tool, whose offsets point into it): the text is stored as it
    is, a passage a line, unless the ingester's normalized text is that very text.

    Raises IngestError for unreadable files and ConflictError when the project already has this text;
    nothing is written in either case."""
    document = parse_document(data, filename, language=language)
    if as_given and document.text != (given := data.decode("utf-8")):
        document = verbatim_document(given, language=language)
    sha256 = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
    existing = Source.objects.filter(project=project, sha256=sha256).values_list("id", "title").first()
    if existing is not None:
        raise ConflictError(
            f"This text is already in project '{project.slug}' as source {existing[0]} ('{existing[1]}').",
            existing_id=existing[0],
        )
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


def source_save_with_passages(source: Source, passages: Iterable[PassageDraft | PassageRecord]) -> Source:
    """Validate and save a new source, then write its passages in bulk (offsets already checked)."""
    source.full_clean()
    source.save()
    Passage.objects.bulk_create(
        (
            Passage(
                source=source,
                ordinal=p.ordinal,
                kind=p.kind,
                section=p.section[:500],
                text=p.text,
                language=p.language,
                start=p.start,
                end=p.end,
            )
            for p in passages
        ),
        batch_size=2000,
    )
    return source
