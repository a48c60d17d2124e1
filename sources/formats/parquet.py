"""Parquet: the CSV columns (table.COLUMNS) with types: ids and offsets as integers (start/end null
for a whole-passage tag), claim_ids as list<int64>, created/updated as UTC timestamps (µs).
Offsets count Unicode code points, end-exclusive. Written in row groups, so memory stays flat."""

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .records import Dataset
from .sink import ChunkSink
from .table import COLUMNS, rows

ROW_GROUP = 50_000

SCHEMA = pa.schema(
    [
        ("project", pa.string()),
        ("source_id", pa.int64()),
        ("source_title", pa.string()),
        ("passage_id", pa.int64()),
        ("ordinal", pa.int32()),
        ("section", pa.string()),
        ("passage_text", pa.string()),
        ("theme", pa.string()),
        ("theme_path", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("quote", pa.string()),
        ("note", pa.string()),
        ("author", pa.string()),
        ("status", pa.string()),
        ("claim_ids", pa.list_(pa.int64())),
        ("created", pa.timestamp("us", tz="UTC")),
        ("updated", pa.timestamp("us", tz="UTC")),
    ]
)


def _table(batch: list[tuple]) -> pa.Table:
    columns = list(zip(*batch, strict=True)) if batch else [[] for _ in COLUMNS]
    return pa.Table.from_arrays(
        [
            pa.array([list(v) for v in col] if name == "claim_ids" else col, type=SCHEMA.field(name).type)
            for name, col in zip(COLUMNS, columns, strict=True)
        ],
        schema=SCHEMA,
    )


def export_parquet(dataset: Dataset, row_group: int = ROW_GROUP) -> Iterator[bytes]:
    sink = ChunkSink()
    writer = pq.ParquetWriter(sink, SCHEMA, compression="zstd", write_statistics=True)
    batch: list[tuple] = []
    wrote = False
    for values in rows(dataset):
        batch.append(values)
        if len(batch) >= row_group:
            writer.write_table(_table(batch))
            wrote = True
            batch.clear()
            yield sink.drain()
    if batch or not wrote:
        writer.write_table(_table(batch))
    writer.close()
    yield sink.drain()
