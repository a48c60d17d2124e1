"""The analysis tables of a release's datasheet: the theme-by-source matrix and the co-occurrence
table of the approved layer (sources.selectors.analysis), as Markdown."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser

from ..models import AnnotationStatus, Project
from ..selectors.analysis.counts import cooccurrence, theme_matrix
from ..selectors.analysis.filters import Filters, analysis_scope


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list]) -> Iterator[str]:
    yield "| " + " | ".join(_cell(str(h)) for h in header) + " |"
    yield "|" + "|".join([" --- "] + [" ---: "] * (len(header) - 1)) + "|"
    for row in rows:
        yield "| " + " | ".join(_cell(str(value)) for value in row) + " |"


def analysis_tables(project: Project, user: AbstractBaseUser) -> list[str]:
    """Datasheet lines: passages per source and theme, and passages per pair of themes, of the
    approved annotations (a passage counts once for a theme with a tag of it or of a sub-theme)."""
    scope = analysis_scope(user, project, Filters(status=AnnotationStatus.APPROVED))
    lines = ["## Themes by source", ""]
    matrix = theme_matrix(scope)
    if not matrix.rows or not matrix.themes:
        lines += ["No sources or no themes.", ""]
    else:
        lines += [
            "Passages with at least one approved tag of the theme or of a sub-theme, per source",
            "(the `passages` column: all passages of the source).",
            "",
        ]
        rows = [
            [label, total, *counts]
            for label, total, counts in zip(matrix.row_labels, matrix.passages, matrix.counts, strict=True)
        ]
        lines += [*_table(["source", "passages", *matrix.themes], rows), ""]
    together = cooccurrence(scope)
    lines += ["## Themes together", ""]
    pairs = [
        [together.themes[i], together.themes[j], together.counts[i][j], together.jaccard[i][j]]
        for i in range(len(together.themes))
        for j in range(i + 1, len(together.themes))
        if together.counts[i][j]
    ]
    if not pairs:
        lines += ["No passage has approved tags of two themes.", ""]
    else:
        lines += [
            "Passages with approved tags of both themes, and the Jaccard index (both over either).",
            "",
            *_table(["theme", "with theme", "passages", "jaccard"], pairs),
            "",
        ]
    return lines
