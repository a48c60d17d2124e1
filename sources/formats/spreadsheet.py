"""Cells that a spreadsheet will not run as formulas (the OWASP rule for CSV injection).

A text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (`=HYPERLINK(...)`, `@SUM(...)`, DDE payloads), so an
annotator's note could run in a reviewer's spreadsheet. Such a cell gets a leading `'`, which
spreadsheets show as text and do not display. Numbers are written as they are: a negative offset or
score is data, not a formula. People who need the exact text (pandas, R) ask for raw CSV."""

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe_row(cells: Iterable[object], *, raw: bool = False) -> list:
    if raw:
        return list(cells)
    # The rule inlined rather than a call per cell, which was a fifth of a CSV export's time.
    return [
        "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell for cell in cells
    ]


def spreadsheet_safe(value: object) -> object:
    return spreadsheet_safe_row([value])[0]


def raw_requested(value: str | None) -> bool:
    """`raw=1` (or true/yes/on) on a download URL: the caller wants the cells as they are."""
    return (value or "").lower() in ("1", "true", "yes", "on")
