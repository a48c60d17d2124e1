"""CSV: one row per annotation, columns as in table.COLUMNS.

UTF-8 with a byte-order mark and CRLF line ends, so spreadsheets (Excel included) open Cyrillic
text correctly. Offsets count Unicode code points, end-exclusive; empty start/end = whole passage.
`claim_ids` are separated by ";". Timestamps are ISO 8601 in UTC."""

import csv
import io
from collections.abc import Iterator

from .records import Dataset, format_timestamp
from .table import COLUMNS, rows

ROWS_PER_CHUNK = 1000


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ";".join(str(v) for v in value)
    if hasattr(value, "astimezone"):
        return format_timestamp(value)
    return value


def export_csv(dataset: Dataset) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for count, values in enumerate(rows(dataset), start=1):
        writer.writerow([_cell(v) for v in values])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
