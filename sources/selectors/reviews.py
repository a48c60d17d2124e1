"""Review decisions as the caller may see them."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from ..models import Review
from .annotations import blind_hidden_from
from .scoping import member_project_ids


def reviews_for_user(user: AbstractBaseUser) -> QuerySet[Review]:
    """Reviews of annotations and evidence in the caller's projects, oldest first; reviews of
    annotations a blind session hides from the caller are hidden with them."""
    if not user.is_authenticated:
        return Review.objects.none()
    projects = member_project_ids(user)
    return (
        Review.objects.filter(
            Q(annotation__passage__source__project__in=projects) | Q(evidence__claim__project__in=projects)
        )
        .exclude(blind_hidden_from(user, prefix="annotation__"))
        .order_by("id")
    )


def reviews_in_project(reviews: QuerySet[Review], slug: str) -> QuerySet[Review]:
    return reviews.filter(
        Q(annotation__passage__source__project__slug=slug) | Q(evidence__claim__project__slug=slug)
    )
