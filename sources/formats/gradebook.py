"""A session's grades as CSV for a gradebook: one row per student, one column per rubric criterion."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..selectors.grades import GradeView


def gradebook_csv(criteria: Sequence[str], grades: Iterable[GradeView]) -> str:
    """UTF-8 with a byte-order mark, so spreadsheets read non-Latin names correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["username", *criteria, "total", "max_total", "released", "feedback"])
    for grade in grades:
        writer.writerow(
            [
                grade.username,
                *("" if s.points is None else s.points for s in grade.scores),
                grade.total,
                grade.max_total,
                grade.released_at.isoformat() if grade.released_at else "",
                grade.feedback,
            ]
        )
    return "\ufeff" + out.getvalue()
