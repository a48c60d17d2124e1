"""Imports: annotations from our own JSONL and qdpx, from Label Studio and from doccano, all or nothing.

One transaction per import: sources are matched by checksum (or, for another tool's text, by a
passage with exactly that text) and created when missing; themes are matched by slug or name and
refused, all names listed, unless `create_themes`; users are matched by username (or e-mail) and
unknown ones become `as_user`. Any bad record raises before the transaction commits, so a failed
import leaves the database as it was. Rows are written with bulk inserts in batches, and the
timestamps a file carries are kept, so export -> import -> export gives the same file.
"""

from collections.abc import Iterator
from typing import BinaryIO

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from ...formats.doccano import read_doccano
from ...formats.label_studio import read_label_studio
from ...formats.records import FormatError
from ...formats.refi_qda import read_qdpx
from ...models import AnnotationStatus, Project
from .context import ImportContext, ImportRefused, ImportReport
from .jsonl import JsonlImport
from .labelled import import_labelled
from .qda import import_qda, import_qdc

FORMATS = ("jsonl", "qdpx", "label-studio", "doccano", "qdc")

__all__ = ["FORMATS", "ImportRefused", "ImportReport", "annotations_import"]


def _lines(file: BinaryIO) -> Iterator[bytes]:
    yield from file


@transaction.atomic
def annotations_import(
    *,
    project: Project,
    file: BinaryIO,
    format: str,
    as_user: AbstractBaseUser | None = None,
    create_themes: bool = False,
    members_only: bool = False,
) -> ImportReport:
    """Import a file into the project, all or nothing.

    Users named in the file are matched by username (or e-mail), with `members_only` among the
    project's members only; the others are credited to `as_user`.

    Raises FormatError (a record and field of the file are wrong) or ImportRefused (unknown themes or
    users, every one listed); in both cases the transaction rolls back and nothing is written."""
    if format not in FORMATS:
        raise ValidationError(
            {"format": f"Unknown import format '{format}'; use one of {', '.join(FORMATS)}."}
        )
    report = ImportReport(format=format)
    context = ImportContext(project, as_user, create_themes or format == "qdc", report, members_only)
    try:
        if format == "jsonl":
            JsonlImport(context).run(_lines(file))
        elif format == "doccano":
            import_labelled(context, read_doccano(_lines(file)), AnnotationStatus.SUBMITTED)
        elif format == "label-studio":
            import_labelled(context, read_label_studio(file.read()), AnnotationStatus.SUBMITTED)
        elif format == "qdpx":
            import_qda(context, read_qdpx(file))
        else:
            import_qdc(context, file.read())
    except UnicodeDecodeError as exc:
        # Every format reads UTF-8; a file in another encoding is the file's fault, not a crash.
        raise FormatError("file", "(encoding)", f"not UTF-8 text (invalid byte at {exc.start})") from exc
    context.finish()
    return report
