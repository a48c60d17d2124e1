"""Passage counts by theme: the theme by source (or by section) matrix, the theme by theme
co-occurrence, and the passages behind any of their cells.

A passage counts once for a theme when it has at least one tag of the theme or of one of its
sub-themes (whole passage or span, by anyone). Each count is one aggregate query over the scope's
annotations (`_masks`), whatever the project's size."""

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


WORD = 62  # themes per mask column: bits of a signed 64-bit integer, with room to spare


def _mask_columns(bits: list[tuple[int, int, int]], words: int) -> tuple[list[str], list[int]]:
    """Each passage's themes as `words` bit masks, and their parameters: `bits` holds (theme id, word,
    bit). A CASE on the tag's theme gives its bit, with no join, so that PostgreSQL can read the tags
    in passage order from the index `annotation_passage_theme` and aggregate each passage as it
    comes; there `bit_or` ORs the bits. SQLite has no `bit_or`, and a sum of distinct bits is the
    same number."""
    aggregate = "BIT_OR({})" if connection.vendor == "postgresql" else "SUM(DISTINCT {})"
    columns, params = [], []
    for w in range(words):
        mine = [(pk, bit) for pk, word, bit in bits if word == w]
        cases = " ".join(["WHEN %s THEN %s"] * len(mine))
        columns.append(aggregate.format(f"CASE t.tid {cases} ELSE 0 END") + f" AS m{w}")
        params += [n for pair in mine for n in pair]
    return columns, params


def _masks(scope: Scope, keys: tuple[str, ...]) -> list[tuple[tuple, frozenset[int], int]]:
    """The scope's tagged passages gathered by the passage columns `keys` (e.g. its source) and by
    the set of themes they have: rows of (key values, positions in `scope.themes` of the themes with
    their ancestors, passages). One aggregate query, once per scope and `keys` (the scope keeps it,
    so the views of one page share it): each passage's themes become a bit mask, the passages are
    joined only then (a tenth of the rows of the tags), and passages with the same keys and mask
    are counted together. The masks are few (passages share their combinations of themes), so
    expanding them here costs little."""
    memo = scope.memo.setdefault("masks", {})
    if keys not in memo:
        finer = next((known for known in memo if known[: len(keys)] == keys), None)
        memo[keys] = _count_masks(scope, keys) if finer is None else _rolled_up(memo[finer], len(keys))
    return memo[keys]


def _rolled_up(
    rows: list[tuple[tuple, frozenset[int], int]], width: int
) -> list[tuple[tuple, frozenset[int], int]]:
    """Rows of `_masks` gathered by the first `width` of their keys (sections into their source)."""
    totals: dict[tuple[tuple, frozenset[int]], int] = {}
    for key, themes, n in rows:
        totals[key[:width], themes] = totals.get((key[:width], themes), 0) + n
    return [(key, themes, n) for (key, themes), n in totals.items()]


def _count_masks(scope: Scope, keys: tuple[str, ...]) -> list[tuple[tuple, frozenset[int], int]]:
    position = {theme.pk: n for n, theme in enumerate(scope.themes)}
    if not position:
        return []
    words = -(-len(position) // WORD)
    columns = scope.annotations.order_by().values(pid=F("passage_id"), tid=F("theme_id"))
    inner, params = columns.query.sql_with_params()
    bits = [(pk, n // WORD, 1 << (n % WORD)) for pk, n in position.items()]
    quote = connection.ops.quote_name
    passages = quote(Passage._meta.db_table)
    group = [*(f"p.{quote(key)}" for key in keys), *(f"per_passage.m{w}" for w in range(words))]
    masks, mask_params = _mask_columns(bits, words)
    query = (
        f"SELECT {', '.join(group)}, COUNT(*) FROM (SELECT t.pid, {', '.join(masks)} FROM ({inner}) AS t "
        f"GROUP BY t.pid) AS per_passage JOIN {passages} AS p ON p.id = per_passage.pid "
        f"GROUP BY {', '.join(group)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, mask_params + list(params))
        found = cursor.fetchall()
    chains = {position[pk]: {position[a] for a in chain} for pk, chain in scope.ancestors.items()}
    expanded: dict[tuple[int, ...], frozenset[int]] = {}
    rows = []
    for row in found:
        key, mask, n = tuple(row[: len(keys)]), tuple(int(m) for m in row[len(keys) : -1]), row[-1]
        if mask not in expanded:
            leaves = [w * WORD + b for w, m in enumerate(mask) for b in range(WORD) if m >> b & 1]
            expanded[mask] = frozenset().union(*(chains[leaf] for leaf in leaves))
        rows.append((key, expanded[mask], n))
    return rows


def theme_matrix(scope: Scope, by: str = "source") -> Matrix:
    """Passages with each theme, per source (`by="source"`) or per section of a source; computed once
    per scope (the comparison, on the same page, sums the same matrix)."""
    if by not in BY:
        raise InvalidFilter({"by": f"'{by[:40]}' is not a grouping; use one of {', '.join(BY)}."})
    memo = scope.memo.setdefault("matrix", {})
    if by not in memo:
        memo[by] = _theme_matrix(scope, by)
    return memo[by]


def _theme_matrix(scope: Scope, by: str) -> Matrix:
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
    counts: dict[tuple, list[int]] = {key: [0] * len(scope.themes) for key in totals}
    for key, themes, n in _masks(scope, tuple(keys)):
        row = counts.setdefault(key, [0] * len(scope.themes))
        for theme in themes:
            row[theme] += n
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
        counts=[counts[key] for key in rows],
    )


def cooccurrence(scope: Scope) -> Cooccurrence:
    """Passages tagged with both themes of each pair (sub-themes counted under their parents). The
    masks counted per source, as the theme by source matrix counts them: one pass for both."""
    counts = [[0] * len(scope.themes) for _ in scope.themes]
    for _, themes, n in _masks(scope, ("source_id",)):
        for a in themes:
            for b in themes:
                counts[a][b] += n
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
