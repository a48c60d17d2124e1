"""Merging one theme into another: its tags, sub-themes, anchors and discussions move over."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from ..models import Annotation, Discussion, Theme
from .annotations import duplicate_of
from .versioning import locked_for_update


@dataclass(frozen=True)
class MergeReport:
    into: Theme
    moved: int  # tags now on `into`
    duplicates: int  # tags dropped because the same person had tagged the same place with `into`
    children: int
    anchors: int

    def summary(self, name: str) -> str:
        text = f"'{name}' was merged into '{self.into.name}': {self.moved} tag(s) moved"
        if self.duplicates:
            text += (
                f", {self.duplicates} duplicate tag(s) removed (the same person had tagged the same place "
            )
            text += "with both themes)"
        return text + "."


@transaction.atomic
def theme_merge(*, theme: Theme, into: Theme, user: AbstractBaseUser | None = None) -> MergeReport:
    """Move everything of `theme` to `into` and delete `theme`; each moved or removed tag gets a
    history entry whose reason names the merge."""
    if theme.project_id != into.project_id:
        raise ValidationError({"into": "The themes belong to different projects."})
    if theme.pk == into.pk:
        raise ValidationError({"into": "Choose another theme to merge into."})
    ancestor = into.parent
    while ancestor is not None:
        if ancestor.pk == theme.pk:
            raise ValidationError(
                {"into": f"'{into.name}' is a sub-theme of '{theme.name}'; merge it upwards."}
            )
        ancestor = ancestor.parent
    theme = locked_for_update(theme, None)
    into = locked_for_update(into, None)
    reason = f"merged '{theme.slug}' into '{into.slug}'"
    moved: list[Annotation] = []
    duplicates = 0
    for annotation in Annotation.objects.filter(theme=theme).select_for_update():
        annotation.theme = into
        if duplicate_of(annotation) is not None:
            annotation.theme = theme
            annotation._change_reason = reason
            annotation._history_user = user
            annotation.delete()
            duplicates += 1
            continue
        annotation.version += 1
        moved.append(annotation)
    if moved:
        bulk_update_with_history(
            moved, Annotation, ["theme", "version"], default_user=user, default_change_reason=reason
        )
    children = Theme.objects.filter(parent=theme)
    child_count = len(children)
    for child in children:
        child.parent = into
        child.version += 1
        child._change_reason = reason
        child.save()
    anchors = theme.anchors.update(theme=into)
    Discussion.objects.filter(theme=theme).update(theme=into)
    theme._change_reason = reason
    theme._history_user = user
    theme.delete()
    into.version += 1
    into._change_reason = reason
    into.save()
    return MergeReport(
        into=into, moved=len(moved), duplicates=duplicates, children=child_count, anchors=anchors
    )
