"""Scoping shared by the selectors: which projects the caller belongs to, and their role in each."""

from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, CharField, F, Model, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat

from ..models import Membership
from ..permissions import ReadOnlyRole

M = TypeVar("M", bound=Model)

# How a role in an archived project travels from the database: a prefix the field below strips.
ARCHIVED_MARK = "archived:"


class RoleField(CharField):
    """A looked-up role: in an archived project, a `ReadOnlyRole` (see `sources.permissions`)."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is not None and value.startswith(ARCHIVED_MARK):
            return ReadOnlyRole(value.removeprefix(ARCHIVED_MARK))
        return value


def member_project_ids(user: AbstractBaseUser) -> QuerySet[Membership]:
    """The caller's project ids, as a subquery for `project__in=`."""
    return Membership.objects.filter(user=user).values("project_id")


def role_subquery(project: str, user: AbstractBaseUser) -> Subquery:
    """The caller's role in the project at `project` (a path from the outer row), archive-aware."""
    role = (
        Membership.objects.filter(project=OuterRef(project), user=user)
        .order_by()
        .annotate(
            effective=Case(
                When(project__archived=True, then=Concat(Value(ARCHIVED_MARK), F("role"))),
                default=F("role"),
                output_field=CharField(),
            )
        )
        .values("effective")[:1]
    )
    return Subquery(role, output_field=RoleField())


def with_my_role(queryset: QuerySet[M], user: AbstractBaseUser, project: str) -> QuerySet[M]:
    """Annotate `my_role`, the caller's role in each row's project (`project` is the path to it).

    Permission checks on a fetched object then read `obj.my_role` and need no further query."""
    return queryset.annotate(my_role=role_subquery(project, user))
