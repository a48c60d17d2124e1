"""Rows written in bulk as they are: COPY on PostgreSQL, multi-row INSERT on SQLite, with a history
entry each for a model that keeps history."""

import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Model
from django.utils import timezone

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
    would overwrite), with one history entry each where the model keeps history; return their ids
    in order.

    COPY on PostgreSQL, multi-row INSERT ... RETURNING on SQLite: the ORM's bulk_create spends most
    of its time preparing each value, which an import of a million rows cannot afford. Values must
    be ready for the database (datetimes through `db_datetime`)."""
    if not rows:
        return []
    columns, rows = with_defaults(model, columns, rows)
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
            if hasattr(model, "history"):
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
    if hasattr(model, "history"):
        _record_history(model, ids, user)
    return ids


def with_defaults(model: type[Model], columns: list[str], rows: list[tuple]) -> tuple[list[str], list[tuple]]:
    """The columns and rows with the model's default for each NOT NULL column the caller does not
    give (a field added since the caller was written, such as a source's notes), as the ORM would."""
    given = {*columns, "id"}
    missing = [
        (field.column, field.get_default())
        for field in model._meta.concrete_fields
        if field.column not in given and not field.null
    ]
    defaults = [(column, value) for column, value in missing if isinstance(value, str | int)]
    if not defaults:
        return columns, rows
    values = tuple(value for _, value in defaults)
    return [*columns, *(column for column, _ in defaults)], [(*row, *values) for row in rows]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    """A value in COPY's text format."""
    if isinstance(value, str):
        # Most text has nothing to escape, which four scans tell sooner than a translation.
        plain = "\\" not in value and "\t" not in value and "\n" not in value and "\r" not in value
        return value if plain else value.translate(_COPY_ESCAPES)
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
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
