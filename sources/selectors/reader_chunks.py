"""Which passages of a source the reader shows, and in what pieces.

A long source is not rendered whole: the page carries the first chunk and a placeholder for each
later one, which the browser loads as it comes into view (or when a deep link or `j` needs it).
Filters (untagged, mine, disputed, one theme) narrow the passages before they are cut into chunks.
Every step is a fixed number of queries, whatever the length of the source."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ..models import AnnotationStatus, Passage, Session, Source
from .reader import visible_annotations

CHUNK = 100
FILTERS = {
    "": "All passages",
    "untagged": "Untagged",
    "mine": "Tagged by me",
    "disputed": "Disputed",
    "theme": "One theme",
}


@dataclass(frozen=True)
class ReaderFilter:
    """What the reader is asked to show: `kind` is a key of FILTERS; `theme` a theme id."""

    kind: str = ""
    theme: int | None = None

    @classmethod
    def parse(cls, kind: str, theme: str, theme_ids: set[int]) -> ReaderFilter:
        """Unknown filters, or a theme that is not the project's, show everything."""
        if kind == "theme":
            chosen = int(theme) if theme.isdigit() else None
            return cls("theme", chosen) if chosen in theme_ids else cls()
        return cls(kind) if kind in FILTERS else cls()

    @property
    def query(self) -> str:
        if self.kind == "theme":
            return f"filter=theme&theme={self.theme}"
        return f"filter={self.kind}" if self.kind else ""


@dataclass(frozen=True)
class Chunk:
    first: int  # ordinals, inclusive
    last: int
    count: int


def _disputed(tags: QuerySet) -> set[int]:
    """Passages two or more people tagged without choosing the same themes, or with a tag
    rejected in review: where a discussion or an adjudication is due."""
    themes_by: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    rejected: set[int] = set()
    for passage_id, author_id, theme_id, status in tags.values_list(
        "passage_id", "author_id", "theme_id", "status"
    ):
        themes_by[passage_id][author_id].add(theme_id)
        if status == AnnotationStatus.REJECTED:
            rejected.add(passage_id)
    split = {
        passage_id
        for passage_id, by_author in themes_by.items()
        if len(by_author) > 1 and len({frozenset(themes) for themes in by_author.values()}) > 1
    }
    return split | rejected


def matching_passages(
    user: AbstractBaseUser,
    source: Source,
    session: Session | None,
    chosen: ReaderFilter,
    between: tuple[int, int] | None = None,
) -> QuerySet[Passage]:
    """The source's passages the filter keeps (ordinals within `between`, inclusive, if given)."""
    passages = Passage.objects.filter(source=source)
    if between is not None:
        passages = passages.filter(ordinal__gte=between[0], ordinal__lte=between[1])
    tags = visible_annotations(user, session).filter(passage__source=source)
    if between is not None:
        tags = tags.filter(passage__ordinal__gte=between[0], passage__ordinal__lte=between[1])

    # The tagged passages' ids in a query of their own: inside the passages' query, as EXISTS or IN,
    # PostgreSQL planned the visibility rules once per passage (a minute on 5,000 passages).
    def tagged(which: QuerySet) -> set[int]:
        return set(which.order_by().values_list("passage_id", flat=True))

    if chosen.kind == "untagged":
        passages = passages.exclude(pk__in=tagged(tags))
    elif chosen.kind == "mine":
        passages = passages.filter(pk__in=tagged(tags.filter(author=user)))
    elif chosen.kind == "theme":
        passages = passages.filter(pk__in=tagged(tags.filter(theme=chosen.theme)))
    elif chosen.kind == "disputed":
        passages = passages.filter(pk__in=_disputed(tags.order_by()))
    return passages.order_by("ordinal")


def chunks_of(ordinals: list[int], size: int = CHUNK) -> list[Chunk]:
    """Consecutive runs of `size` shown passages, named by their first and last ordinals."""
    return [
        Chunk(ordinals[at], ordinals[min(at + size, len(ordinals)) - 1], len(ordinals[at : at + size]))
        for at in range(0, len(ordinals), size)
    ]


def section_headings(source: Source) -> list[tuple[int, str]]:
    """Every heading of the source (ordinal, text), for the table of contents of a long source."""
    return list(
        Passage.objects.filter(source=source, kind="heading")
        .order_by("ordinal")
        .values_list("ordinal", "text")
    )


def passage_total(source: Source) -> int:
    return Passage.objects.filter(source=source).count()
