"""The reader page: a source's passages with the tags and evidence the caller may see.

Span highlights are laid out here, not in the template: overlapping spans are cut into segments at
every span boundary, and each span keeps one "lane" (its underline level) across its segments, so
spans by different themes and annotators stay visible and tell apart where they overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ..models import Annotation, Evidence, Passage, Project, Session, Source, Suggestion, Theme
from .review_queue import with_latest_review
from .suggestions import offered_to
from .visibility import visible_to

MAX_LANE = 5


@dataclass
class Layer:
    """One span's mark around a segment (a tag's, or a suggestion's); `last` marks the segment where
    the span ends."""

    annotation: Annotation | Suggestion
    lane: int
    last: bool


@dataclass
class Segment:
    text: str
    layers: list[Layer] = field(default_factory=list)


@dataclass
class ReaderPassage:
    passage: Passage
    segments: list[Segment]
    whole_tags: list[Annotation]
    span_tags: list[Annotation]
    evidence: list[Evidence]
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def tag_count(self) -> int:
        return len(self.whole_tags) + len(self.span_tags)


def visible_annotations(user: AbstractBaseUser, session: Session | None = None) -> QuerySet[Annotation]:
    """Annotations as `user` sees them on a page: blind sessions hide others' unsubmitted work.

    With a `session`, only that session's annotations (the reader opened to annotate in it). Each
    carries its latest review (`review_decision`, `review_comment`, `reviewer_name`)."""
    annotations = visible_to(user, Annotation.objects.all())
    if session is not None:
        annotations = annotations.filter(session=session)
    return with_latest_review(
        annotations.select_related("theme", "author", "session").order_by("start", "end", "id")
    )


def _passages(user: AbstractBaseUser, session: Session | None = None) -> QuerySet[Passage]:
    """With the tags, evidence and — outside session views — suggestions the user is offered."""
    suggestions = offered_to(user) if session is None else Suggestion.objects.none()
    return Passage.objects.prefetch_related(
        Prefetch("suggestions", queryset=suggestions),
        Prefetch("annotations", queryset=visible_annotations(user, session)),
        Prefetch(
            "evidence",
            queryset=visible_to(user, Evidence.objects.all())
            .select_related("claim", "author")
            .order_by("relation", "id"),
        ),
    )


def source_for_reader(project: Project, source_id: int) -> Source:
    source = Source.objects.filter(project=project, pk=source_id).defer("text").first()
    if source is None:
        raise Http404("No such source in this project.")
    return source


def passage_in_project(project: Project, passage_id: int) -> Passage:
    passage = Passage.objects.select_related("source").filter(source__project=project, pk=passage_id).first()
    if passage is None:
        raise Http404("No such passage in this project.")
    return passage


def annotation_in_project(user: AbstractBaseUser, project: Project, annotation_id: int) -> Annotation:
    annotation = (
        visible_annotations(user)
        .select_related("passage__source", "session")
        .filter(passage__source__project=project, pk=annotation_id)
        .first()
    )
    if annotation is None:
        raise Http404("No such annotation in this project.")
    return annotation


def reader_passages(
    user: AbstractBaseUser, passages: QuerySet[Passage], session: Session | None = None
) -> list[ReaderPassage]:
    """`passages` in order, laid out for the reader: three queries whatever their number."""
    shown = _passages(user, session).filter(pk__in=passages.values("pk")).order_by("ordinal")
    return [reader_passage_of(p) for p in shown]


def reader_passage(
    user: AbstractBaseUser, project: Project, passage_id: int, session: Session | None = None
) -> ReaderPassage:
    """One passage laid out for the reader, as an htmx fragment re-renders it after a change."""
    passage = (
        _passages(user, session)
        .select_related("source")
        .filter(source__project=project, pk=passage_id)
        .first()
    )
    if passage is None:
        raise Http404("No such passage in this project.")
    return reader_passage_of(passage)


def reader_passage_of(passage: Passage) -> ReaderPassage:
    annotations = list(passage.annotations.all())
    spans = [a for a in annotations if a.start is not None]
    suggested = list(passage.suggestions.all())
    return ReaderPassage(
        passage=passage,
        segments=segments(passage.text, [*spans, *(s for s in suggested if s.start is not None)]),
        whole_tags=[a for a in annotations if a.start is None],
        span_tags=spans,
        evidence=list(passage.evidence.all()),
        suggestions=suggested,
    )


def lanes(spans: Iterable[Annotation | Suggestion]) -> dict[int, int]:
    """Give each span (by `id()`: tags and suggestions share none) the lowest underline level free
    at its start (interval colouring)."""
    lane_ends: list[int] = []
    assigned: dict[int, int] = {}
    for span in sorted(spans, key=lambda a: (a.start, -a.end, a.pk)):
        for lane, end in enumerate(lane_ends):
            if end <= span.start:
                lane_ends[lane] = span.end
                break
        else:
            lane = len(lane_ends)
            lane_ends.append(span.end)
        assigned[id(span)] = min(lane, MAX_LANE)
    return assigned


def segments(text: str, spans: Sequence[Annotation | Suggestion]) -> list[Segment]:
    """Cut `text` at every span boundary; each piece lists the spans covering it, outermost first.

    Joined, the segments' texts are exactly `text`, so offsets counted in the page's DOM text are
    offsets into the passage (Python slices count code points, as the offsets do)."""
    spans = [s for s in spans if s.start < s.end <= len(text)]
    if not spans:
        return [Segment(text)] if text else []
    lane_of = lanes(spans)
    cuts = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    pieces = []
    for a, b in pairwise(cuts):
        covering = [s for s in spans if s.start <= a and b <= s.end]
        covering.sort(key=lambda s: (-lane_of[id(s)], s.pk))
        pieces.append(Segment(text[a:b], [Layer(s, lane_of[id(s)], s.end == b) for s in covering]))
    return pieces


def project_themes(project: Project) -> QuerySet[Theme]:
    """The codebook as a queryset, for choosing a theme in a form."""
    return Theme.objects.filter(project=project).order_by("order", "slug")


def themes_of(project: Project) -> list[Theme]:
    """The codebook in its order, parents before their children."""
    themes = list(project_themes(project))
    by_parent: dict[int | None, list[Theme]] = {}
    for theme in themes:
        by_parent.setdefault(theme.parent_id, []).append(theme)
    ordered: list[Theme] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for theme in by_parent.get(parent_id, []):
            theme.depth = depth
            ordered.append(theme)
            walk(theme.pk, depth + 1)

    walk(None, 0)
    seen = {t.pk for t in ordered}
    for orphan in themes:  # a parent from elsewhere would be a data error; still show the theme
        if orphan.pk not in seen:
            orphan.depth = 0
            ordered.append(orphan)
    return ordered
