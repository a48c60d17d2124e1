"""Imports: annotations from our own JSONL and qdpx, from Label Studio, doccano, brat, XMI and W3C Web
Annotation, all or nothing.

One transaction per import: sources are matched by checksum (or, for another tool's text, by a
passage with exactly that text) and created when missing; themes are matched by slug or name and
refused, all names listed, unless `create_themes`; users are matched by username (or e-mail) and
unknown ones become `as_user`. Any bad record raises before the transaction commits, so a failed
import leaves the database as it was. Rows are written with bulk inserts in batches, and the
timestamps a file carries are kept, so export -> import -> export gives the same file.
"""

from typing import BinaryIO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import JSONField, Model, TextField

from ...formats.bounded import ReadLimits, lines
from ...formats.brat import read_brat
from ...formats.doccano import read_doccano_file
from ...formats.jsonl import read_jsonl
from ...formats.label_studio import read_label_studio
from ...formats.records import FormatError
from ...formats.refi_qda_read import QdaProject, read_qdc, read_qdpx
from ...formats.w3c_read import read_w3c
from ...formats.xmi import read_xmi
from ...models import Annotation, AnnotationStatus, Claim, Evidence, Passage, Project, Source, Suggestion
from .context import ImportContext, ImportRefused, ImportReport
from .jsonl import JsonlImport
from .labelled import codebook_from_file, import_labelled
from .qda import import_qda
from .w3c import import_w3c

FORMATS = ("jsonl", "qdpx", "label-studio", "doccano", "qdc", "brat", "xmi", "w3c")
# The first key of the project's advisory lock, so it cannot meet a lock taken for another purpose.
IMPORT_LOCK_SPACE = 0x1A9017
# Rows of a kind an import must write before it refreshes the tables' statistics itself.
ANALYZE_AFTER = 1000

__all__ = ["FORMATS", "ImportRefused", "ImportReport", "annotations_import"]


def _one_import_at_a_time(project: Project) -> None:
    """Wait until no other import into the project is running, for the rest of this transaction.

    Two imports of one file at once would both find a row missing and both insert it, the loser
    failing on the unique constraint; serialized, the second finds the first's rows committed and
    skips them, as a repeated import does. SQLite lets one writer at a time in already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK_SPACE, project.pk])


def read_limits() -> ReadLimits:
    """The settings' caps on what one file may ask of the server."""
    return ReadLimits(
        depth=settings.IMPORT_MAX_DEPTH,
        labels=settings.IMPORT_MAX_LABELS,
        line_bytes=settings.IMPORT_MAX_LINE_BYTES,
        member_bytes=settings.IMPORT_MAX_MEMBER_BYTES,
        ratio=settings.IMPORT_MAX_RATIO,
        document_bytes=settings.IMPORT_MAX_DOCUMENT_BYTES,
    )


@transaction.atomic
def annotations_import(
    *,
    project: Project,
    file: BinaryIO,
    format: str,
    as_user: AbstractBaseUser | None = None,
    create_themes: bool = False,
    members_only: bool = False,
    add_members: bool = False,
) -> ImportReport:
    """Import a file into the project, all or nothing.

    Users named in the file are matched by username (or e-mail), with `members_only` among the
    project's members only; the others are credited to `as_user`. With `add_members`, users of this
    server named in the file become members of the project (annotators) and keep their work.

    Raises FormatError (a record and field of the file are wrong) or ImportRefused (unknown themes or
    users, every one listed); in both cases the transaction rolls back and nothing is written."""
    if format not in FORMATS:
        raise ValidationError(
            {"format": f"Unknown import format '{format}'; use one of {', '.join(FORMATS)}."}
        )
    _one_import_at_a_time(project)
    report = ImportReport(format=format)
    limits = read_limits()
    context = ImportContext(
        project, as_user, create_themes or format == "qdc", report, members_only, add_members
    )
    try:
        if format == "jsonl":
            JsonlImport(context).run(read_jsonl(lines(file, limits), limits))
        elif format == "doccano":
            import_labelled(context, read_doccano_file(file, limits), AnnotationStatus.SUBMITTED)
        elif format == "label-studio":
            import_labelled(context, read_label_studio(file.read(), limits), AnnotationStatus.SUBMITTED)
        elif format == "brat":
            collection = read_brat(file, limits)
            codebook_from_file(context, collection.themes)
            import_labelled(context, collection.documents, AnnotationStatus.SUBMITTED)
        elif format == "xmi":
            import_labelled(context, read_xmi(file, limits), AnnotationStatus.SUBMITTED)
        elif format == "w3c":
            import_w3c(context, read_w3c(file.read(), limits))
        elif format == "qdpx":
            import_qda(context, read_qdpx(file, limits))
        else:
            import_qda(
                context, QdaProject(name="", users={}, codes=read_qdc(file.read(), limits), sources=[])
            )
    except UnicodeDecodeError as exc:
        # Every format reads UTF-8; a file in another encoding is the file's fault, not a crash.
        raise FormatError("file", "(encoding)", f"not UTF-8 text (invalid byte at {exc.start})") from exc
    context.finish()
    _analyze_filled_tables(report)
    return report


def _analyze_filled_tables(report: ImportReport) -> None:
    """PostgreSQL: statistics for the tables a large import filled, so that the next queries are not
    planned for the empty tables they were (a list that takes milliseconds took most of a second)."""
    if connection.vendor != "postgresql":
        return
    filled = [
        (report.sources_created, (Source, Passage)),
        (report.annotations_created, (Annotation, Annotation.history.model)),
        (report.claims_created, (Claim, Claim.history.model)),
        (report.evidence_created, (Evidence, Evidence.history.model)),
        (report.suggestions_created, (Suggestion,)),
    ]
    tables = [
        _analyzed_columns(model) for count, models in filled if count >= ANALYZE_AFTER for model in models
    ]
    if tables:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(tables))


def _analyzed_columns(model: type[Model]) -> str:
    """A table and its columns but the long texts: no plan depends on them, and reading them is most
    of what ANALYZE costs."""
    quote = connection.ops.quote_name
    columns = [
        quote(f.column) for f in model._meta.concrete_fields if not isinstance(f, TextField | JSONField)
    ]
    return f"{quote(model._meta.db_table)} ({', '.join(columns)})"
