"""The codebook as the caller may see it."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, QuerySet

from ..models import Project, Theme, ThemeAnchor
from .scoping import member_project_ids, with_my_role


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


def codebook_of(project: Project) -> list[Theme]:
    """The project's themes, parents before children and siblings in order, each with `depth`,
    `tag_count` and `anchor_list`."""
    themes = list(
        Theme.objects.filter(project=project)
        .annotate(tag_count=Count("annotations"))
        .order_by("order", "slug", "id")
        .prefetch_related(anchors_with_text())
    )
    children: dict[int | None, list[Theme]] = {}
    for theme in themes:
        children.setdefault(theme.parent_id, []).append(theme)
    ordered: list[Theme] = []

    def visit(parent: int | None, depth: int) -> None:
        for theme in children.get(parent, []):
            theme.depth = depth
            ordered.append(theme)
            visit(theme.pk, depth + 1)

    visit(None, 0)
    return ordered
