"""The codebook as the caller may see it."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects

from ..models import Annotation, Project, Theme, ThemeAnchor
from .reader import themes_of
from .scoping import member_project_ids, with_my_role
from .visibility import visible_to


def anchors_with_text() -> Prefetch:
    """Each theme's anchors, with the passage and source they quote, as `theme.anchor_list`."""
    anchors = ThemeAnchor.objects.select_related("passage__source").defer("passage__source__text")
    return Prefetch("anchors", queryset=anchors.order_by("id"), to_attr="anchor_list")


def themes_for_user(user: AbstractBaseUser) -> QuerySet[Theme]:
    """The caller's themes in codebook order, each with `my_role` and its anchors."""
    if not user.is_authenticated:
        return Theme.objects.none()
    themes = (
        Theme.objects.filter(project__in=member_project_ids(user))
        .order_by("project_id", "order", "slug", "id")
        .prefetch_related(anchors_with_text())
    )
    return with_my_role(themes, user, "project")


def with_anchors(themes: list[Theme]) -> list[Theme]:
    """The given themes with `anchor_list` filled in, in one query."""
    prefetch_related_objects(themes, anchors_with_text())
    return themes


def codebook_of(project: Project, viewer: AbstractBaseUser | None = None) -> list[Theme]:
    """The project's themes, parents before children and siblings in order, each with `depth`,
    `tag_count` (of the tags `viewer` may see; all of them without a viewer) and `anchor_list`."""
    themes = with_anchors(themes_of(project))
    tags = Annotation.objects.filter(theme__project=project)
    if viewer is not None:
        tags = visible_to(viewer, tags)
    counts = dict(tags.values("theme").annotate(count=Count("id")).values_list("theme", "count"))
    for theme in themes:
        theme.tag_count = counts.get(theme.pk, 0)
    return themes
