"""The role predicates of `sources.permissions`, for templates: `{% if role|may:"review" %}`."""

from collections.abc import Callable

from django import template

from .. import permissions

register = template.Library()

PREDICATES: dict[str, Callable[[str | None], bool]] = {
    "read": permissions.can_read,
    "annotate": permissions.can_annotate,
    "review": permissions.can_review,
    "manage": permissions.can_manage,
    "export": permissions.can_export,
    "administer": permissions.can_administer,
    "own": permissions.can_own,
}


@register.filter
def may(role: str | None, action: str) -> bool:
    return PREDICATES[action](role)
