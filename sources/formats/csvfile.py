"""CSV: one row per annotation, columns as in table.COLUMNS.

UTF-8 with a byte-order mark and CRLF line ends, so spreadsheets (Excel included) open Cyrillic
text correctly. Offsets count Unicode code points, end-exclusive; empty start/end = whole passage.
`claim_ids` are separated by ";". Timestamps are ISO 8601 in UTC. Text cells that a spreadsheet would
run as a formula get a leading `'` unless `raw` is asked for (see spreadsheet.py)."""

import csv
import io
from collections.abc import Iterator

from .records import Dataset, format_timestamp
from .spreadsheet import spreadsheet_safe_row
from .table import COLUMNS

ROWS_PER_CHUNK = 1000


def _cells(project: str, bundle, annotation) -> list:
    source, passage = bundle.source, bundle.passage
    return [
        project,
        source.id,
        source.title,
        passage.id,
        passage.ordinal,
        passage.section,
        passage.text,
        annotation.theme,
        annotation.theme_path,
        "" if annotation.start is None else annotation.start,
        "" if annotation.end is None else annotation.end,
        annotation.quote,
        annotation.note,
        annotation.author,
        annotation.status,
        ";".join(map(str, annotation.claim_ids)),
        format_timestamp(annotation.created),
        format_timestamp(annotation.updated),
    ]


def export_csv(dataset: Dataset, *, raw: bool = False) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for count, (bundle, annotation) in enumerate(dataset.annotations(), start=1):
        writer.writerow(spreadsheet_safe_row(_cells(dataset.project, bundle, annotation), raw=raw))
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
