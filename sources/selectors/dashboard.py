"""The project dashboard: progress per annotator, theme counts per source, recent activity.

Every figure comes from one aggregate query, so the page costs the same whatever the project's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q

from ..models import Annotation, Claim, Evidence, Membership, Project, Role, Source, Theme
from .reader import themes_of
from .visibility import visible_to

RECENT = 12


@dataclass
class Bar:
    """One labelled bar of a chart; `percent` is of the chart's scale, `share` of the whole."""

    label: str
    value: int
    total: int
    percent: float
    theme: Theme | None = None
    user: AbstractBaseUser | None = None


@dataclass
class SourceSummary:
    source: Source
    passage_count: int
    annotation_count: int
    progress: list[Bar]
    themes: list[Bar]


@dataclass
class Activity:
    when: datetime
    kind: str  # "annotation" or "evidence"
    item: Annotation | Evidence


@dataclass
class Dashboard:
    sources: list[SourceSummary]
    themes: list[Theme]
    activity: list[Activity]
    claim_count: int
    annotator_count: int


def _percent(value: int, scale: int) -> float:
    return round(100 * value / scale, 1) if scale else 0.0


def project_activity(user: AbstractBaseUser, project: Project, limit: int = RECENT) -> list[Activity]:
    """The latest annotations and evidence links, newest first: two queries."""
    annotations = (
        visible_to(user, Annotation.objects.filter(passage__source__project=project))
        .select_related("theme", "author", "passage__source")
        .order_by("-created", "-id")[:limit]
    )
    evidence = (
        visible_to(user, Evidence.objects.filter(claim__project=project))
        .select_related("claim", "author", "passage__source")
        .order_by("-created", "-id")[:limit]
    )
    items = [Activity(a.created, "annotation", a) for a in annotations]
    items += [Activity(e.created, "evidence", e) for e in evidence]
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]


def project_dashboard(user: AbstractBaseUser, project: Project) -> Dashboard:
    visible = visible_to(user, Annotation.objects.filter(passage__source__project=project))
    sources = list(
        Source.objects.filter(project=project)
        .defer("text")
        .annotate(passage_count=Count("passages"))
        .order_by("id")
    )
    tagged = {
        (row["passage__source"], row["author"]): row["n"]
        for row in visible.values("passage__source", "author").annotate(n=Count("passage", distinct=True))
    }
    per_theme: dict[tuple[int, int], int] = {
        (row["passage__source"], row["theme"]): row["n"]
        for row in visible.values("passage__source", "theme").annotate(n=Count("id"))
    }
    themes = themes_of(project)
    authors_with_work = {author for _, author in tagged}
    annotators = [
        m.user
        for m in Membership.objects.filter(project=project)
        .filter(Q(role=Role.ANNOTATOR) | Q(user__in=authors_with_work))
        .exclude(role=Role.OBSERVER)
        .select_related("user")
        .order_by("user__username")
    ]

    summaries = []
    for source in sources:
        counts = [(theme, per_theme.get((source.pk, theme.pk), 0)) for theme in themes]
        scale = max((n for _, n in counts), default=0)
        summaries.append(
            SourceSummary(
                source=source,
                passage_count=source.passage_count,
                annotation_count=sum(n for _, n in counts),
                progress=[
                    Bar(
                        label=person.get_username(),
                        value=tagged.get((source.pk, person.pk), 0),
                        total=source.passage_count,
                        percent=_percent(tagged.get((source.pk, person.pk), 0), source.passage_count),
                        user=person,
                    )
                    for person in annotators
                ],
                themes=[
                    Bar(label=theme.name, value=n, total=scale, percent=_percent(n, scale), theme=theme)
                    for theme, n in counts
                ],
            )
        )
    return Dashboard(
        sources=summaries,
        themes=themes,
        activity=project_activity(user, project),
        claim_count=visible_to(user, Claim.objects.filter(project=project)).count(),
        annotator_count=len(annotators),
    )
