"""Writing imported rows: bulk inserts that keep the file's timestamps, each with its history entry,
and the annotation writer that batches tags and skips those already there."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection

from ...models import Annotation, AnnotationStatus, Session, Theme
from ..bulk_rows import insert_rows
from .context import ImportContext

BATCH = 2000


ANNOTATION_COLUMNS = [
    "passage_id",
    "theme_id",
    "author_id",
    "start",
    "end",
    "quote",
    "note",
    "status",
    "session_id",
    "version",
    "created",
    "updated",
]
EVIDENCE_COLUMNS = [
    "claim_id",
    "passage_id",
    "annotation_id",
    "relation",
    "author_id",
    "note",
    "status",
    "version",
    "created",
    "updated",
]


class AnnotationWriter:
    """Collects annotations and inserts them in batches, skipping any that already exist."""

    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.pending: list[tuple] = []
        self.keys: set[tuple] = set()
        # Passages this import created hold only what it wrote, which `new_keys` remembers: no need
        # to ask the database (whose statistics do not know about the new rows) for duplicates there.
        self.new_passages: set[int] = set()
        self.new_keys: set[tuple] = set()
        # The database's form of a timestamp (bulk_rows.db_datetime), looked up once, not per row.
        self.db_datetime = connection.ops.adapt_datetimefield_value

    def add(
        self,
        *,
        passage_id: int,
        passage_text: str,
        theme: Theme | None,
        author: AbstractBaseUser | None,
        start: int | None,
        end: int | None,
        created: datetime | None,
        updated: datetime | None,
        note: str = "",
        status: str = AnnotationStatus.DRAFT,
        session: Session | None = None,
    ) -> None:
        if theme is None or author is None:
            return  # reported by the context at the end; keep reading to list every unknown name
        session_id = session.pk if session is not None else None
        key = (passage_id, theme.pk, author.pk, start, end, session_id)
        seen = self.new_keys if passage_id in self.new_passages else self.keys
        if key in seen:
            self.context.report.duplicates_skipped += 1
            return
        seen.add(key)
        created = created or self.context.now
        self.pending.append(
            (
                *key[:5],
                passage_text[start:end] if start is not None else "",
                note,
                status,
                session_id,
                1,
                self.db_datetime(created),
                self.db_datetime(updated or created),
            )
        )
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        known = {row[0] for row in self.pending} - self.new_passages
        existing = set(
            Annotation.objects.filter(passage_id__in=known).values_list(
                "passage_id", "theme_id", "author_id", "start", "end", "session_id"
            )
            if known
            else ()
        )
        fresh = [row for row in self.pending if (*row[:5], row[8]) not in existing]
        self.context.report.duplicates_skipped += len(self.pending) - len(fresh)
        insert_rows(Annotation, ANNOTATION_COLUMNS, fresh, self.context.as_user)
        self.context.report.annotations_created += len(fresh)
        self.pending, self.keys = [], set()

    def forget_new(self) -> None:
        """Call once a new source's annotations are all added: flush them and drop their keys."""
        self.flush()
        self.new_passages, self.new_keys = set(), set()
