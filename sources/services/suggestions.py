"""Accepting and rejecting suggestions, one at a time or, for instructors, in bulk with undo."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ..models import (
    Annotation,
    AnnotationStatus,
    BulkAcceptance,
    Project,
    Source,
    Suggestion,
    SuggestionRejection,
    Theme,
)
from .annotations import annotation_create


def suggestion_accept(*, suggestion: Suggestion, user: AbstractBaseUser) -> Annotation:
    """The suggestion as `user`'s own draft tag, outside any session, recording where it came from."""
    return annotation_create(
        passage=suggestion.passage,
        theme=suggestion.theme,
        author=user,
        start=suggestion.start,
        end=suggestion.end,
        quote=suggestion.quote if suggestion.start is not None else None,
        suggestion=suggestion,
    )


def suggestion_reject(*, suggestion: Suggestion, user: AbstractBaseUser) -> SuggestionRejection:
    """Remember that `user` said no: not offered to them again, a negative example when retraining."""
    return SuggestionRejection.objects.get_or_create(
        user=user,
        passage=suggestion.passage,
        theme=suggestion.theme,
        start=suggestion.start,
        end=suggestion.end,
    )[0]


@transaction.atomic
def bulk_accept(
    *,
    project: Project,
    theme: Theme,
    min_score: float,
    author: AbstractBaseUser,
    made_by: AbstractBaseUser,
    source: Source | None = None,
) -> BulkAcceptance:
    """Every suggestion of `theme` scoring at least `min_score` (in `source`, or the whole project)
    as a draft tag of `author`, outside sessions; a tag `author` has already is skipped."""
    if not 0 <= min_score <= 1:
        raise ValidationError({"min_score": "The score is between 0 and 1."})
    if theme.project_id != project.pk or (source is not None and source.project_id != project.pk):
        raise ValidationError({"theme": "The theme and source must be of this project."})
    chosen = Suggestion.objects.filter(project=project, theme=theme, score__gte=min_score)
    if source is not None:
        chosen = chosen.filter(passage__source=source)
    tags: dict[tuple, Annotation] = {}
    for suggestion in chosen.order_by("passage_id", "start", "-score"):
        key = (suggestion.passage_id, suggestion.start, suggestion.end)
        tags.setdefault(
            key,
            Annotation(
                passage_id=suggestion.passage_id,
                theme=theme,
                author=author,
                start=suggestion.start,
                end=suggestion.end,
                quote=suggestion.quote if suggestion.start is not None else "",
                status=AnnotationStatus.DRAFT,
                suggestion=suggestion,
                suggested_by=suggestion.recommender,
            ),
        )
    existing = set(
        Annotation.objects.filter(
            author=author, theme=theme, session__isnull=True, passage__in={key[0] for key in tags}
        ).values_list("passage_id", "start", "end")
    )
    fresh = [tag for key, tag in tags.items() if key not in existing]
    made = bulk_create_with_history(fresh, Annotation, batch_size=2000, default_user=made_by)
    return BulkAcceptance.objects.create(
        project=project,
        theme=theme,
        source=source,
        min_score=min_score,
        author=author,
        made_by=made_by,
        annotations=[tag.pk for tag in made],
    )


@transaction.atomic
def bulk_undo(*, acceptance: BulkAcceptance) -> int:
    """Delete the tags a bulk acceptance made that are still untouched drafts; how many went."""
    if acceptance.undone is not None:
        raise ValidationError("This bulk acceptance was undone already.")
    untouched = Annotation.objects.filter(
        pk__in=acceptance.annotations, status=AnnotationStatus.DRAFT, version=1
    )
    count = untouched.count()
    untouched.delete()
    acceptance.undone = timezone.now()
    acceptance.save(update_fields=["undone"])
    return count
