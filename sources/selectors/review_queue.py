"""The review queue: submitted annotations and evidence links of a project, filtered and paged, each
with the passage around it and its latest review, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from ..models import Annotation, AnnotationStatus, Evidence, Project, Review
from .visibility import visible_to

PAGE_SIZE = 40
CONTEXT = 220  # characters of passage text shown on either side of a span
WHOLE = 400  # characters shown of a passage tagged as a whole

KINDS = ("annotations", "evidence")
STATUSES = {
    "submitted": "Waiting for review",
    "approved": "Approved",
    "rejected": "Rejected",
    "reviewed": "Approved or rejected",
}


def with_latest_review(queryset: QuerySet, target: str = "annotation") -> QuerySet:
    """Annotate each annotation (or evidence link, `target="evidence"`) with its latest review:
    `review_decision`, `review_comment` and `reviewer_name` (None when never reviewed).

    Subqueries in the same SELECT, not a prefetch: the pages that show them keep their query count."""
    latest = Review.objects.filter(**{target: OuterRef("pk")}).order_by("-created", "-id")
    return queryset.annotate(
        review_decision=Subquery(latest.values("decision")[:1]),
        review_comment=Subquery(latest.values("comment")[:1]),
        reviewer_name=Subquery(latest.values("reviewer__username")[:1]),
    )


@dataclass(frozen=True)
class ReviewFilters:
    kind: str = "annotations"
    status: str = "submitted"
    session: int | None = None
    annotator: int | None = None
    theme: str = ""
    source: int | None = None
    page: int = 1

    @classmethod
    def from_query(cls, data) -> ReviewFilters:
        """Read the filters from a GET or POST; anything malformed falls back to its default."""

        def number(name: str) -> int | None:
            value = (data.get(name) or "").strip()
            return int(value) if value.isdigit() and int(value) > 0 else None

        kind = data.get("kind", "")
        status = data.get("status", "")
        return cls(
            kind=kind if kind in KINDS else "annotations",
            status=status if status in STATUSES else "submitted",
            session=number("session"),
            annotator=number("annotator"),
            theme=(data.get("theme") or "").strip()[:64],
            source=number("source"),
            page=number("page") or 1,
        )

    def query(self, **changes) -> dict[str, str]:
        """The filters as query parameters (defaults left out), with `changes` applied."""
        values = {
            "kind": self.kind,
            "status": self.status,
            "session": self.session,
            "annotator": self.annotator,
            "theme": self.theme,
            "source": self.source,
            "page": self.page,
        } | changes
        defaults = {"kind": "annotations", "status": "submitted", "page": 1}
        return {k: str(v) for k, v in values.items() if v not in (None, "") and defaults.get(k) != v}


def _status_filter(status: str) -> Q:
    if status == "reviewed":
        return Q(status__in=[AnnotationStatus.APPROVED, AnnotationStatus.REJECTED])
    return Q(status=status)


def _narrowed(queryset: QuerySet, filters: ReviewFilters, *, to_annotation: str) -> QuerySet:
    """Apply the session, annotator, theme and source filters; `to_annotation` is the path from the
    queried model to the annotation carrying the session and theme ("" for annotations)."""
    wanted = {
        f"{to_annotation}session": filters.session,
        "author": filters.annotator,
        f"{to_annotation}theme__slug": filters.theme or None,
        "passage__source": filters.source,
    }
    return queryset.filter(**{path: value for path, value in wanted.items() if value is not None})


def queue_annotations(
    user: AbstractBaseUser, project: Project, filters: ReviewFilters
) -> QuerySet[Annotation]:
    annotations = Annotation.objects.filter(_status_filter(filters.status), passage__source__project=project)
    return visible_to(user, _narrowed(annotations, filters, to_annotation=""))


def queue_evidence(user: AbstractBaseUser, project: Project, filters: ReviewFilters) -> QuerySet[Evidence]:
    """Evidence links have no submit step of their own (submitting a session submits its tags), so
    every link not reviewed yet, draft or submitted, waits for review."""
    if filters.status == "submitted":
        status = Q(status__in=[AnnotationStatus.DRAFT, AnnotationStatus.SUBMITTED])
    else:
        status = _status_filter(filters.status)
    evidence = Evidence.objects.filter(status, claim__project=project)
    narrowed = _narrowed(evidence, filters, to_annotation="annotation__")
    return visible_to(user, narrowed)


@dataclass
class Context:
    """A passage's text cut around a span: `before` and `after` trimmed to CONTEXT characters."""

    before: str
    span: str
    after: str
    cut_before: bool = False
    cut_after: bool = False


def _head(text: str, limit: int) -> str:
    """The first `limit` characters of `text`, ending at a word boundary when cut."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def _tail(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[-limit:].split(" ", 1)[-1]


def context_of(text: str, start: int | None, end: int | None) -> Context:
    if start is None or end is None:
        return Context(before="", span="", after=_head(text, WHOLE), cut_after=len(text) > WHOLE)
    before, after = text[:start], text[end:]
    return Context(
        before=_tail(before, CONTEXT),
        span=text[start:end],
        after=_head(after, CONTEXT),
        cut_before=len(before) > CONTEXT,
        cut_after=len(after) > CONTEXT,
    )


@dataclass
class ReviewItem:
    kind: str  # "annotation" or "evidence"
    target: Annotation | Evidence
    context: Context

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.target.pk}"

    @property
    def dom_id(self) -> str:
        return f"review-{self.kind}-{self.target.pk}"


@dataclass
class ReviewQueue:
    filters: ReviewFilters
    items: list[ReviewItem]
    counts: dict[str, int] = field(default_factory=dict)  # per kind, with the filters applied
    pages: int = 1

    @property
    def total(self) -> int:
        return self.counts.get(self.filters.kind, 0)


def _annotation_rows(queryset: QuerySet[Annotation]) -> QuerySet[Annotation]:
    return with_latest_review(
        queryset.select_related("theme", "author", "passage__source", "session").defer(
            "passage__source__text"
        )
    ).order_by("passage__source_id", "passage__ordinal", F("start").asc(nulls_first=True), "id")


def _evidence_rows(queryset: QuerySet[Evidence]) -> QuerySet[Evidence]:
    return with_latest_review(
        queryset.select_related("claim", "author", "passage__source", "annotation__theme").defer(
            "passage__source__text"
        ),
        target="evidence",
    ).order_by("passage__source_id", "passage__ordinal", "id")


def annotation_item(annotation: Annotation) -> ReviewItem:
    return ReviewItem(
        "annotation", annotation, context_of(annotation.passage.text, annotation.start, annotation.end)
    )


def evidence_item(evidence: Evidence) -> ReviewItem:
    span = evidence.annotation
    start, end = (span.start, span.end) if span is not None else (None, None)
    return ReviewItem("evidence", evidence, context_of(evidence.passage.text, start, end))


def review_queue(user: AbstractBaseUser, project: Project, filters: ReviewFilters) -> ReviewQueue:
    """One page of the queue: two counts and one query for the page's items, whatever the size."""
    annotations = queue_annotations(user, project, filters)
    evidence = queue_evidence(user, project, filters)
    counts = {"annotations": annotations.count(), "evidence": evidence.count()}
    total = counts[filters.kind]
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    window = slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    if filters.kind == "evidence":
        items = [evidence_item(e) for e in _evidence_rows(evidence)[window]]
    else:
        items = [annotation_item(a) for a in _annotation_rows(annotations)[window]]
    return ReviewQueue(filters=filters, items=items, counts=counts, pages=pages)


def review_annotation_item(user: AbstractBaseUser, project: Project, annotation_id: int) -> ReviewItem:
    annotations = Annotation.objects.filter(passage__source__project=project, pk=annotation_id)
    annotation = _annotation_rows(visible_to(user, annotations)).first()
    if annotation is None:
        raise Http404("No such annotation in this project.")
    return annotation_item(annotation)


def review_evidence_item(user: AbstractBaseUser, project: Project, evidence_id: int) -> ReviewItem:
    links = Evidence.objects.filter(claim__project=project, pk=evidence_id)
    evidence = _evidence_rows(visible_to(user, links)).first()
    if evidence is None:
        raise Http404("No such evidence link in this project.")
    return evidence_item(evidence)


def review_targets(
    user: AbstractBaseUser, project: Project, keys: list[str]
) -> tuple[list[Annotation], list[Evidence]]:
    """The annotations and evidence links named "annotation:<id>" / "evidence:<id>" that belong to the
    project; unknown or malformed keys are left out."""
    annotation_ids, evidence_ids = set(), set()
    for key in keys:
        kind, _, pk = key.partition(":")
        if pk.isdigit():
            (annotation_ids if kind == "annotation" else evidence_ids if kind == "evidence" else set()).add(
                int(pk)
            )
    annotations = visible_to(
        user, Annotation.objects.filter(passage__source__project=project, pk__in=annotation_ids)
    )
    evidence = visible_to(user, Evidence.objects.filter(claim__project=project, pk__in=evidence_ids))
    return list(annotations.order_by("id")), list(evidence.order_by("id"))
