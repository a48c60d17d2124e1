"""Suggestions as a user is offered them, and the recommenders' figures (docs/suggestions.md).

A user is offered a suggestion of their projects when its recommender beat the project's threshold
on its theme (imported predictions need no evaluation: an instructor brought them in), they have
not rejected it, and they have not tagged it already. Suggestions are learnt from work outside
blind sessions only, so they show nothing a blind session hides; the reader shows them outside
session views only."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from ..models import (
    Annotation,
    Project,
    Recommender,
    RecommenderEvaluation,
    Suggestion,
    SuggestionRejection,
)
from .scoping import member_project_ids


def _same_span(prefix: str = "") -> Q:
    return Q(start__isnull=True) | Q(start=OuterRef(f"{prefix}start"), end=OuterRef(f"{prefix}end"))


def offered_to(
    user: AbstractBaseUser, suggestions: QuerySet[Suggestion] | None = None
) -> QuerySet[Suggestion]:
    """`suggestions` (all of the user's projects by default) that `user` is offered, by passage and
    place in it; one query whatever their number."""
    if not user.is_authenticated:
        return Suggestion.objects.none()
    suggestions = Suggestion.objects.all() if suggestions is None else suggestions
    offered = RecommenderEvaluation.objects.filter(
        theme=OuterRef("theme"), recommender=OuterRef("recommender"), offered=True
    )
    rejected = SuggestionRejection.objects.annotate(
        start_key=Coalesce("start", Value(-1)), end_key=Coalesce("end", Value(-1))
    ).filter(
        user=user,
        passage=OuterRef("passage"),
        theme=OuterRef("theme"),
        start_key=Coalesce(OuterRef("start"), Value(-1)),
        end_key=Coalesce(OuterRef("end"), Value(-1)),
    )
    mine = Annotation.objects.filter(author=user, passage=OuterRef("passage"), theme=OuterRef("theme"))
    return (
        suggestions.filter(project__in=member_project_ids(user))
        .filter(Exists(offered) | Q(recommender=Recommender.IMPORTED))
        .exclude(Exists(rejected))
        .exclude(Q(start__isnull=True) & Exists(mine))
        .exclude(Q(start__isnull=False) & Exists(mine.filter(_same_span())))
        .select_related("theme")
        .order_by("passage_id", "start", "-score", "id")
    )


def suggestion_for(user: AbstractBaseUser, suggestion_id: int) -> Suggestion | None:
    """One suggestion of the user's projects (offered or not), with its passage and project."""
    return (
        Suggestion.objects.filter(project__in=member_project_ids(user), pk=suggestion_id)
        .select_related("passage__source", "theme", "project")
        .first()
    )


def evaluations_of(project: Project) -> QuerySet[RecommenderEvaluation]:
    return (
        RecommenderEvaluation.objects.filter(project=project)
        .select_related("theme")
        .order_by("theme__order", "theme__slug", "recommender")
    )
