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


class RolePermission(BasePermission):
    """Asks `allows`; a refusal in an archived project says so instead of blaming the role."""

    message = ""

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if self.allows(role_of(obj), request, obj):
            return True
        if roles.is_read_only(role_of(obj)):
            self.message = roles.ARCHIVED_MESSAGE
        return False

    def allows(self, role: str | None, request: Request, obj: Any) -> bool:
        raise NotImplementedError


class CanAnnotate(RolePermission):
    message = "Your role in this project does not allow adding annotations, claims or evidence."

    def allows(self, role: str | None, request: Request, obj: Any) -> bool:
        return roles.can_annotate(role)


class CanChangeWork(RolePermission):
    """Annotations, claims, evidence: writers change their own, owners and instructors anyone's."""

    message = "Only its author, an instructor or an owner of the project can change this."

    def allows(self, role: str | None, request: Request, obj: Any) -> bool:
        return roles.can_change_own_or_others(role, request.user, obj.author_id)


class CanReview(RolePermission):
    message = "Only the project's owners and instructors review annotations and evidence."

    def allows(self, role: str | None, request: Request, obj: Any) -> bool:
        return roles.can_review(role)


class CanManage(RolePermission):
    message = "Only the project's owners and instructors manage its sources, codebook and sessions."

    def allows(self, role: str | None, request: Request, obj: Any) -> bool:
        return roles.can_manage(role)


class CanAdminister(RolePermission):
    message = "Only the project's owners manage its members and invitations."

    def allows(self, role: str | None, request: Request, obj: Any) -> bool:
        return roles.can_administer(role)


class CanOwn(RolePermission):
    """The project's settings and its deletion: owners, archived project or not."""

    message = "Only the project's owners change its settings or delete it."

    def allows(self, role: str | None, request: Request, obj: Any) -> bool:
        return roles.can_own(role)


class RoleChecked:
    """Viewset mixin: `role_rules` maps an action to the permission its object must pass.

    Actions on an existing object are checked by `get_object()`; a create calls
    `check_object_permissions(request, parent)` once its input names the parent."""

    role_rules: dict[str, type[BasePermission]] = {}

    def get_permissions(self) -> list[BasePermission]:
        permissions = super().get_permissions()  # type: ignore[misc]
        rule = self.role_rules.get(self.action)  # type: ignore[attr-defined]
        return [*permissions, rule()] if rule is not None else permissions
