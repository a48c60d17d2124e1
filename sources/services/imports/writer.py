"""Writing imported rows: bulk inserts that keep the file's timestamps, each with its history entry,
and the annotation writer that batches tags and skips those already there."""

import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from ...models import Annotation, AnnotationStatus, Session, Theme
from .context import ImportContext

BATCH = 2000
T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items (the last one shorter), read as they are needed."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert_rows(
    model: type[Model], columns: list[str], rows: list[tuple], user: AbstractBaseUser | None
) -> list[int]:
    """Insert rows as they are (the file's `created`/`updated` included, which the ORM's auto_now
    would overwrite), with one history entry each; return their ids in order.

    COPY on PostgreSQL, multi-row INSERT ... RETURNING on SQLite: the ORM's bulk_create spends most
    of its time preparing each value, which an import of a million rows cannot afford. Values must
    be ready for the database (datetimes through `db_datetime`)."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's fast path; it returns nothing, so the ids come from the sequence first.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            buffer = io.StringIO()
            for pk, row in zip(ids, rows, strict=True):
                buffer.write(f"{pk}\t" + "\t".join(map(_copy_text, row)) + "\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({quote('id')}, {names}) FROM STDIN", buffer)
            _copy_history(cursor, model, columns, ids, rows, user)
            return ids
        else:
            one = "(" + ", ".join(["%s"] * len(columns)) + ")"
            for chunk in batched(rows, max(1, 30_000 // len(columns))):
                values = ", ".join([one] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} ({names}) VALUES {values} RETURNING {quote('id')}",
                    [value for row in chunk for value in row],
                )
                ids.extend(row[0] for row in cursor.fetchall())
    _record_history(model, ids, user)
    return ids


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def db_datetime(moment: datetime) -> object:
    return connection.ops.adapt_datetimefield_value(moment)


def _history_fixed(user: AbstractBaseUser | None) -> dict[str, object]:
    return {
        "history_date": db_datetime(timezone.now()),
        "history_change_reason": "import",
        "history_type": "+",
        "history_user_id": user.pk if user is not None else None,
    }


def _copy_history(
    cursor,
    model: type[Model],
    columns: list[str],
    ids: list[int],
    rows: list[tuple],
    user: AbstractBaseUser | None,
) -> None:
    """PostgreSQL: the history entries COPYed from the rows in hand (a SELECT back from the table
    would be planned on statistics that do not know the rows just written). A column the rows do
    not give (a nullable one the import leaves empty, such as a claim's session) is NULL there too."""
    history = model.history.model
    quote = connection.ops.quote_name
    fixed = _history_fixed(user)
    targets = [f.column for f in history._meta.concrete_fields if f.column != "history_id"]
    position = {name: index for index, name in enumerate(["id", *columns])}
    buffer = io.StringIO()
    for pk, row in zip(ids, rows, strict=True):
        values = (pk, *row)
        buffer.write(
            "\t".join(_copy_text(values[position[c]] if c in position else fixed.get(c)) for c in targets)
            + "\n"
        )
    buffer.seek(0)
    names = ", ".join(quote(c) for c in targets)
    cursor.cursor.copy_expert(f"COPY {quote(history._meta.db_table)} ({names}) FROM STDIN", buffer)


def _record_history(model: type[Model], ids: list[int], user: AbstractBaseUser | None) -> None:
    """One "+" history entry per inserted row, copied by the database from the rows themselves."""
    history = model.history.model
    quote = connection.ops.quote_name
    own = {f.column for f in model._meta.concrete_fields}
    fixed = _history_fixed(user)
    targets, selects, params = [], [], []
    for column in (f.column for f in history._meta.concrete_fields):
        if column == "history_id":
            continue
        targets.append(quote(column))
        if column in own:
            selects.append(quote(column))
        else:
            selects.append("%s")
            params.append(fixed[column])
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(targets)}) "
        f"SELECT {', '.join(selects)} FROM {quote(model._meta.db_table)} WHERE {quote('id')} IN "
    )
    with connection.cursor() as cursor:
        for chunk in batched(ids, 900):
            cursor.execute(sql + "(" + ", ".join(["%s"] * len(chunk)) + ")", params + chunk)


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
                db_datetime(created),
                db_datetime(updated or created),
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
