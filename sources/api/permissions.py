"""DRF permission classes: thin adapters over the role predicates of `sources.permissions`.

Reads need no class here: every queryset comes from a selector scoped to the caller's projects, so
a non-member gets 404 before any permission is asked. Writes check the caller's role in the object's
project, read from the `my_role` annotation the selectors put on every object (no extra query). A
create checks the object it hangs from (the passage of a new annotation, the project of a new theme).
"""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .. import permissions as roles


def role_of(obj: Any) -> str | None:
    return getattr(obj, "my_role", None)


class CanAnnotate(BasePermission):
    message = "Your role in this project does not allow adding annotations, claims or evidence."

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return roles.can_annotate(role_of(obj))


class CanChangeWork(BasePermission):
    """Annotations, claims, evidence: writers change their own, owners and instructors anyone's."""

    message = "Only its author, an instructor or an owner of the project can change this."

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return roles.can_change_own_or_others(role_of(obj), request.user, obj.author_id)


class CanReview(BasePermission):
    message = "Only the project's owners and instructors review annotations and evidence."

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return roles.can_review(role_of(obj))


class CanManage(BasePermission):
    message = "Only the project's owners and instructors manage its sources, codebook and sessions."

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return roles.can_manage(role_of(obj))


class CanAdminister(BasePermission):
    message = "Only the project's owners manage its members and the project itself."

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return roles.can_administer(role_of(obj))


class RoleChecked:
    """Viewset mixin: `role_rules` maps an action to the permission its object must pass.

    Actions on an existing object are checked by `get_object()`; a create calls
    `check_object_permissions(request, parent)` once its input names the parent."""

    role_rules: dict[str, type[BasePermission]] = {}

    def get_permissions(self) -> list[BasePermission]:
        permissions = super().get_permissions()  # type: ignore[misc]
        rule = self.role_rules.get(self.action)  # type: ignore[attr-defined]
        return [*permissions, rule()] if rule is not None else permissions
