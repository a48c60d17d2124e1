"""Cells that a spreadsheet will not run as formulas (the OWASP rule for CSV injection).

A text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (`=HYPERLINK(...)`, `@SUM(...)`, DDE payloads), so an
annotator's note could run in a reviewer's spreadsheet. Such a cell gets a leading `'`, which
spreadsheets show as text and do not display. Numbers are written as they are: a negative offset or
score is data, not a formula. People who need the exact text (pandas, R) ask for raw CSV."""

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe_row(cells: Iterable[object], *, raw: bool = False) -> list:
    return list(cells) if raw else [spreadsheet_safe(cell) for cell in cells]


def raw_requested(value: str | None) -> bool:
    """`raw=1` (or true/yes/on) on a download URL: the caller wants the cells as they are."""
    return (value or "").lower() in ("1", "true", "yes", "on")
