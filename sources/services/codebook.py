"""The codebook: themes and their hierarchy."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Project, Theme
from .errors import ConflictError
from .versioning import locked_for_update

THEME_FIELDS = frozenset({"slug", "name", "description", "color", "parent", "shortcut", "order"})


def _check_parent(theme: Theme) -> None:
    parent = theme.parent
    if parent is None:
        return
    if parent.project_id != theme.project_id:
        raise ValidationError({"parent": "The parent theme belongs to another project."})
    seen = {theme.pk}
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": "A theme cannot be its own ancestor."})
        seen.add(parent.pk)
        parent = parent.parent


def _save_theme(theme: Theme) -> Theme:
    _check_parent(theme)
    clash = Theme.objects.filter(project=theme.project_id, slug=theme.slug).exclude(pk=theme.pk).first()
    if clash is not None:
        raise ConflictError(f"The project already has a theme '{theme.slug}' (id {clash.pk}).", clash.pk)
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_create(*, project: Project, **fields: Any) -> Theme:
    unknown = set(fields) - THEME_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown field."))
    return _save_theme(Theme(project=project, **fields))


@transaction.atomic
def theme_update(*, theme: Theme, expected_version: int | None = None, **fields: Any) -> Theme:
    theme = locked_for_update(theme, expected_version)
    for name, value in fields.items():
        if name not in THEME_FIELDS:
            raise ValidationError({name: "Unknown field."})
        setattr(theme, name, value)
    theme.version += 1
    return _save_theme(theme)


@transaction.atomic
def theme_delete(*, theme: Theme, expected_version: int | None = None) -> None:
    theme = locked_for_update(theme, expected_version)
    used = theme.annotations.count()
    if used:
        raise ConflictError(f"Theme '{theme.slug}' is used by {used} annotation(s); it cannot be deleted.")
    if theme.children.exists():
        raise ConflictError(f"Theme '{theme.slug}' has sub-themes; move or delete them first.")
    theme.delete()
