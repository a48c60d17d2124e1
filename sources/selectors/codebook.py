"""The codebook as the caller may see it."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ..models import Theme
from .scoping import member_project_ids, with_my_role


def themes_for_user(user: AbstractBaseUser) -> QuerySet[Theme]:
    """The caller's themes in codebook order, each with `my_role`."""
    if not user.is_authenticated:
        return Theme.objects.none()
    themes = Theme.objects.filter(project__in=member_project_ids(user)).order_by(
        "project_id", "order", "slug", "id"
    )
    return with_my_role(themes, user, "project")
