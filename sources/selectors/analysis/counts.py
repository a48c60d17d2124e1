"""Passage counts by theme: the theme by source (or by section) matrix, the theme by theme
co-occurrence, and the passages behind any of their cells.

A passage counts once for a theme when it has at least one tag of the theme or of one of its
sub-themes (whole passage or span, by anyone). Each count is one aggregate query over the scope's
annotations joined to the codebook's (theme, ancestor) pairs, whatever the project's size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, QuerySet

from ...models import Passage, Source
from .filters import InvalidFilter, Scope

BY = ("source", "section")
PASSAGES_SHOWN = 100


@dataclass
class Matrix:
    by: str  # "source" or "section"
    rows: list  # source ids, or [source id, section] pairs
    row_labels: list[str]
    passages: list[int]  # passages in each row
    themes: list[str]  # slugs
    theme_labels: list[str]
    counts: list[list[int]]  # rows by themes: passages with the theme

    @property
    def shares(self) -> list[list[float | None]]:
        return [
            [round(n / total, 4) if total else None for n in row]
            for row, total in zip(self.counts, self.passages, strict=True)
        ]

    def as_dict(self) -> dict:
        return {
            "by": self.by,
            "rows": self.rows,
            "row_labels": self.row_labels,
            "passages": self.passages,
            "themes": self.themes,
            "counts": self.counts,
            "shares": self.shares,
        }


@dataclass
class Cooccurrence:
    themes: list[str]
    theme_labels: list[str]
    counts: list[list[int]]  # themes by themes: passages with both (the diagonal: with the theme)

    @property
    def jaccard(self) -> list[list[float | None]]:
        """Passages with both over passages with either; None when neither theme has any."""
        diagonal = [self.counts[i][i] for i in range(len(self.themes))]
        return [
            [
                round(both / union, 4) if (union := diagonal[i] + diagonal[j] - both) else None
                for j, both in enumerate(row)
            ]
            for i, row in enumerate(self.counts)
        ]

    def as_dict(self) -> dict:
        return {"themes": self.themes, "counts": self.counts, "jaccard": self.jaccard}


def _tagged(scope: Scope, **columns: F) -> tuple[str, str, list]:
    """The scope's annotations in SQL: a CTE `closure(theme_id, ancestor_id)` pairing each theme shown
    with itself and its ancestors; a FROM clause joining the annotations (as `t`, with `columns` and
    `tid`, the theme) to it (as `c`); and the parameters of both, in that order."""
    closure = scope.closure()
    inner, params = scope.annotations.order_by().values(tid=F("theme_id"), **columns).query.sql_with_params()
    values = ", ".join(["(%s, %s)"] * len(closure))
    cte = f"WITH closure (theme_id, ancestor_id) AS (VALUES {values})"
    source = f"({inner}) AS t JOIN closure AS c ON c.theme_id = t.tid"
    return cte, source, [*(n for pair in closure for n in pair), *params]


def _run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def theme_matrix(scope: Scope, by: str = "source") -> Matrix:
    """Passages with each theme, per source (`by="source"`) or per section of a source."""
    if by not in BY:
        raise InvalidFilter({"by": f"'{by[:40]}' is not a grouping; use one of {', '.join(BY)}."})
    passages: QuerySet = Passage.objects.filter(source__project=scope.project)
    if scope.source is not None:
        passages = passages.filter(source=scope.source)
    keys = ["source_id"] if by == "source" else ["source_id", "section"]
    totals = {
        tuple(row[:-1]): row[-1]
        for row in passages.order_by().values_list(*keys).annotate(n=Count("id")).order_by(*keys)
    }
    sources = Source.objects.filter(project=scope.project)
    titles = dict(sources.values_list("pk", "title"))
    counts: dict[tuple, dict[int, int]] = {key: {} for key in totals}
    if scope.themes:
        group = "t.sid, t.section" if by == "section" else "t.sid"
        cte, source, params = _tagged(
            scope, pid=F("passage_id"), sid=F("passage__source_id"), section=F("passage__section")
        )
        query = (
            f"{cte} SELECT {group}, c.ancestor_id, COUNT(DISTINCT t.pid) FROM {source} "
            f"GROUP BY {group}, c.ancestor_id"
        )
        for *key, theme_id, n in _run(query, params):
            counts.setdefault(tuple(key), {})[theme_id] = n
    rows = sorted(counts, key=lambda key: (titles.get(key[0], ""), key))
    return Matrix(
        by=by,
        rows=[key[0] if by == "source" else list(key) for key in rows],
        row_labels=[
            titles.get(key[0], "")
            if by == "source"
            else f"{titles.get(key[0], '')} / {key[1] or '(no section)'}"
            for key in rows
        ],
        passages=[totals.get(key, 0) for key in rows],
        themes=scope.slugs,
        theme_labels=[theme.name for theme in scope.themes],
        counts=[[counts[key].get(theme.pk, 0) for theme in scope.themes] for key in rows],
    )


def cooccurrence(scope: Scope) -> Cooccurrence:
    """Passages tagged with both themes of each pair (sub-themes counted under their parents)."""
    index = {theme.pk: n for n, theme in enumerate(scope.themes)}
    counts = [[0] * len(index) for _ in index]
    if index:
        cte, source, params = _tagged(scope, pid=F("passage_id"))
        query = (
            f"{cte}, tagged AS (SELECT DISTINCT t.pid AS pid, c.ancestor_id AS tid FROM {source}) "
            "SELECT x.tid, y.tid, COUNT(*) FROM tagged AS x JOIN tagged AS y ON x.pid = y.pid "
            "AND x.tid <= y.tid GROUP BY x.tid, y.tid"
        )
        for a, b, n in _run(query, params):
            counts[index[a]][index[b]] = counts[index[b]][index[a]] = n
    return Cooccurrence(
        themes=scope.slugs, theme_labels=[theme.name for theme in scope.themes], counts=counts
    )


@dataclass
class CellPassages:
    themes: list[str]
    source: int | None
    total: int
    passages: list[Passage]


def cell_passages(scope: Scope, slugs: list[str], source: int | None = None) -> CellPassages:
    """The passages behind a cell: tagged with every theme of `slugs` (each with its sub-themes),
    of `source` if given; the first PASSAGES_SHOWN in reading order, and how many there are."""
    by_slug = {theme.slug: theme.pk for theme in scope.themes}
    unknown = [slug for slug in slugs if slug not in by_slug]
    if unknown or not slugs:
        raise InvalidFilter({"cell": f"No theme '{(unknown or [''])[0][:64]}' among the themes shown."})
    passages = Passage.objects.filter(source__project=scope.project)
    for slug in slugs:
        under = [theme for theme, chain in scope.ancestors.items() if by_slug[slug] in chain]
        passages = passages.filter(pk__in=scope.annotations.filter(theme__in=under).values("passage_id"))
    if source is not None:
        passages = passages.filter(source_id=source)
    shown = list(
        passages.select_related("source")
        .only("pk", "ordinal", "text", "section", "source__title")
        .order_by("source__title", "source_id", "ordinal")[:PASSAGES_SHOWN]
    )
    total = len(shown) if len(shown) < PASSAGES_SHOWN else passages.count()
    return CellPassages(themes=slugs, source=source, total=total, passages=shown)
