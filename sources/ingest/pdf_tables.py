# The docstring names a Cyrillic list marker.
# ruff: noqa: RUF002
"""Tables set in the body's type: rows of cells side by side on one baseline within a column.

Small type is taken for figure or table text by its size alone; a table set at body size is told by
its layout instead. Two lines of one column on the same baseline that are not one line (they stand
more than three ems apart) are cells of a row; two such rows or more, with the short lines among
them (a header, a row of one cell), each close to the one before, are a table. A row whose first
cell is only a list marker (`а)`, `1.`) is a list item, not cells; a cell longer than a table's
usually is makes its row prose."""

from collections.abc import Sequence

from .classify import ends_sentence
from .pdf import PdfLine, same_baseline

# How far below the one before, in line pitches, a table's row may stand.
_ROW_GAP = 2.0
_MIN_ROWS = 2
_MAX_CELL_CHARS = 60
_MARKER_CHARS = 3


def table_lines(
    lines: Sequence[PdfLine], columns: dict[PdfLine, int], right_edges: dict[int, float], pitch: float
) -> set[PdfLine]:
    """The lines of a page that are cells of a table set in body-size type."""
    found: set[PdfLine] = set()
    for column in set(columns.values()) - {-1}:
        own = sorted((line for line in lines if columns[line] == column), key=lambda line: line.top)
        found.update(_column_tables(own, right_edges[column], pitch))
    return found


def _column_tables(lines: list[PdfLine], right: float, pitch: float) -> set[PdfLine]:
    """Runs of rows, each close to the one before, that are cells or short lines ending no sentence
    (a header, a row of one cell): those with two rows of cells or more are tables."""
    found: set[PdfLine] = set()
    run: list[list[PdfLine]] = []
    for row in [*_rows(lines), None]:
        fits = row is not None and (_is_cells(row) or _short(row, right, pitch))
        if fits and run and row[0].top - run[-1][0].bottom <= _ROW_GAP * pitch:
            run.append(row)
            continue
        if sum(_is_cells(cells) for cells in run) >= _MIN_ROWS:
            found.update(line for cells in run for line in cells)
        run = [row] if fits else []
    return found


def _rows(lines: list[PdfLine]) -> list[list[PdfLine]]:
    """The lines grouped by baseline, top to bottom, each row's cells from left to right."""
    rows: list[list[PdfLine]] = []
    for line in lines:
        if rows and same_baseline(rows[-1][0], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda line: line.x0) for row in rows]


def _is_cells(row: list[PdfLine]) -> bool:
    return (
        len(row) >= 2
        and len(row[0].text) > _MARKER_CHARS
        and all(len(cell.text) <= _MAX_CELL_CHARS for cell in row)
    )


def _short(row: list[PdfLine], right: float, pitch: float) -> bool:
    """A row that ends well before the column's right edge, ends no sentence and is no longer than a
    cell: a header or a row of one cell, not prose between two formulas."""
    return (
        row[-1].x1 < right - pitch
        and not ends_sentence(row[-1].text)
        and all(len(cell.text) <= _MAX_CELL_CHARS for cell in row)
    )
