"""A session's grades as CSV for a gradebook: one row per student, one column per rubric criterion."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .spreadsheet import spreadsheet_safe_row

if TYPE_CHECKING:
    from ..selectors.grades import GradeView


def gradebook_csv(criteria: Sequence[str], grades: Iterable[GradeView], *, raw: bool = False) -> str:
    """UTF-8 with a byte-order mark, so spreadsheets read non-Latin names correctly; cells a
    spreadsheet would run as formulas are neutralised unless `raw`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        spreadsheet_safe_row(["username", *criteria, "total", "max_total", "released", "feedback"], raw=raw)
    )
    for grade in grades:
        writer.writerow(
            spreadsheet_safe_row(
                [
                    grade.username,
                    *("" if s.points is None else s.points for s in grade.scores),
                    grade.total,
                    grade.max_total,
                    grade.released_at.isoformat() if grade.released_at else "",
                    grade.feedback,
                ],
                raw=raw,
            )
        )
    return "\ufeff" + out.getvalue()
