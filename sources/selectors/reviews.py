"""Review decisions as the caller may see them."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from ..models import Review
from .scoping import member_project_ids
from .visibility import visible_to


def reviews_for_user(user: AbstractBaseUser) -> QuerySet[Review]:
    """Reviews of annotations and evidence in the caller's projects, oldest first; reviews of work a
    blind session hides from the caller are hidden with it."""
    if not user.is_authenticated:
        return Review.objects.none()
    projects = member_project_ids(user)
    reviews = Review.objects.filter(
        Q(annotation__passage__source__project__in=projects) | Q(evidence__claim__project__in=projects)
    )
    return visible_to(user, reviews).order_by("id")


def reviews_in_project(reviews: QuerySet[Review], slug: str) -> QuerySet[Review]:
    return reviews.filter(
        Q(annotation__passage__source__project__slug=slug) | Q(evidence__claim__project__slug=slug)
    )
