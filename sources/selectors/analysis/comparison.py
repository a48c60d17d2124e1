"""Two sources, or two groups of sources (by author or by language), side by side: each theme's
share of the group's passages with a 95% confidence interval (Wilson, statsmodels), and Fisher's
exact test of the difference (SciPy), Holm-adjusted over the themes compared (statsmodels).

The counts are the theme by source matrix (`counts.theme_matrix`) summed over each group: a passage
belongs to one source, so the sums count each passage once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scipy.stats import fisher_exact
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from ...models import Source
from .counts import theme_matrix
from .filters import InvalidFilter, Scope

GROUPINGS = ("source", "author", "language")
ALPHA = 0.05


@dataclass
class Group:
    label: str
    sources: list[int]
    passages: int


@dataclass
class Comparison:
    by: str
    a: Group
    b: Group
    rows: list[dict]  # per theme: counts, shares, intervals, p values, note

    @property
    def notes(self) -> list[str]:
        return [row["note"] for row in self.rows if row["note"]]

    def as_dict(self) -> dict:
        return {
            "by": self.by,
            "groups": [vars(self.a), vars(self.b)],
            "themes": self.rows,
            "alpha": ALPHA,
            "test": "Fisher's exact test, two-sided, Holm-adjusted over the themes compared",
            "interval": "95% Wilson score interval",
        }


def _members(sources: list[dict], by: str, value: str) -> tuple[list[int], str]:
    """The sources of a group, and its label."""
    if by == "source":
        wanted = {int(part) for part in value.split(",") if part.strip().isdigit()}
        found = [s for s in sources if s["pk"] in wanted]
        return [s["pk"] for s in found], "; ".join(s["title"] for s in found)
    if by == "author":
        return [s["pk"] for s in sources if value in (s["authors"] or [])], value
    return [s["pk"] for s in sources if s["language"] == value], value


def groups_of(scope: Scope, by: str) -> list[tuple[str, str, int]]:
    """The groups one may compare by `by`: (value for the query, label, number of sources)."""
    sources = list(
        Source.objects.filter(project=scope.project)
        .order_by("title")
        .values("pk", "title", "authors", "language")
    )
    if by == "source":
        return [(str(s["pk"]), s["title"], 1) for s in sources]
    key = "authors" if by == "author" else "language"
    counts: dict[str, int] = {}
    for source in sources:
        for value in source[key] if by == "author" else [source[key]]:
            if value:
                counts[value] = counts.get(value, 0) + 1
    return [(value, value, n) for value, n in sorted(counts.items())]


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _note(label: str, a: Group, b: Group, row: dict, tested: int) -> str:
    if row["p_adjusted"] is None or row["p_adjusted"] >= ALPHA:
        return ""
    more, less = (a, b) if row["share_a"] > row["share_b"] else (b, a)
    high, low = max(row["share_a"], row["share_b"]), min(row["share_a"], row["share_b"])
    return (
        f"{label}: {_percent(high)} of the passages of {more.label} against {_percent(low)} of "
        f"{less.label}'s. A difference this large would come up by chance less than once in "
        f"{round(1 / ALPHA)} comparisons (Fisher's exact test, p = {row['p_adjusted']:.3g} after "
        f"adjusting for the {tested} themes compared)."
    )


def comparison(scope: Scope, query: Mapping[str, str]) -> Comparison:
    """Compare group `a` with group `b` of `query` (`by`: source ids, comma-separated; an author's
    name; a language code)."""
    by = (query.get("by") or "source").strip()
    errors: dict[str, str] = {}
    if by not in GROUPINGS:
        raise InvalidFilter({"by": f"'{by[:40]}' is not a grouping; use one of {', '.join(GROUPINGS)}."})
    sources = list(Source.objects.filter(project=scope.project).values("pk", "title", "authors", "language"))
    chosen = {}
    for side in ("a", "b"):
        value = (query.get(side) or "").strip()[:200]
        members, label = _members(sources, by, value) if value else ([], "")
        if not members:
            errors[side] = f"Name a {by} with sources in this project" + (
                f"; '{value}' has none." if value else "."
            )
        chosen[side] = (members, label or value)
    if not errors and set(chosen["a"][0]) & set(chosen["b"][0]):
        errors["b"] = "A source cannot be in both groups."
    if errors:
        raise InvalidFilter(errors)
    matrix = theme_matrix(scope, "source")
    position = {source: n for n, source in enumerate(matrix.rows)}

    def group(side: str) -> tuple[Group, list[int]]:
        members, label = chosen[side]
        rows = [position[s] for s in members if s in position]
        counts = [sum(matrix.counts[r][t] for r in rows) for t in range(len(matrix.themes))]
        return Group(label=label, sources=members, passages=sum(matrix.passages[r] for r in rows)), counts

    (a, counts_a), (b, counts_b) = group("a"), group("b")
    rows = []
    for n, slug in enumerate(matrix.themes):
        ka, kb = counts_a[n], counts_b[n]
        row = {"theme": slug, "label": matrix.theme_labels[n], "count_a": ka, "count_b": kb}
        for side, k, g in (("a", ka, a), ("b", kb, b)):
            low, high = (
                proportion_confint(k, g.passages, alpha=ALPHA, method="wilson")
                if g.passages
                else (None, None)
            )
            row[f"share_{side}"] = round(k / g.passages, 4) if g.passages else None
            row[f"ci_{side}"] = [round(float(low), 4), round(float(high), 4)] if g.passages else None
        tested = a.passages and b.passages and (ka or kb)
        row["p"] = (
            float(fisher_exact([[ka, a.passages - ka], [kb, b.passages - kb]]).pvalue) if tested else None
        )
        rows.append(row)
    tested = [row for row in rows if row["p"] is not None]
    if tested:
        adjusted = multipletests([row["p"] for row in tested], method="holm")[1]
        for row, p in zip(tested, adjusted, strict=True):
            row["p_adjusted"] = round(float(p), 6)
    for row in rows:
        row.setdefault("p_adjusted", None)
        row["p"] = None if row["p"] is None else round(row["p"], 6)
        row["significant"] = row["p_adjusted"] is not None and row["p_adjusted"] < ALPHA
        row["note"] = _note(row["label"], a, b, row, len(tested))
    return Comparison(by=by, a=a, b=b, rows=rows)
