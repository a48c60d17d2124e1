"""Scoping shared by the selectors: which projects the caller belongs to, and their role in each."""

from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model, OuterRef, QuerySet, Subquery

from ..models import Membership

M = TypeVar("M", bound=Model)


def member_project_ids(user: AbstractBaseUser) -> QuerySet[Membership]:
    """The caller's project ids, as a subquery for `project__in=`."""
    return Membership.objects.filter(user=user).values("project_id")


def with_my_role(queryset: QuerySet[M], user: AbstractBaseUser, project: str) -> QuerySet[M]:
    """Annotate `my_role`, the caller's role in each row's project (`project` is the path to it).

    Permission checks on a fetched object then read `obj.my_role` and need no further query."""
    role = Membership.objects.filter(project=OuterRef(project), user=user).order_by().values("role")[:1]
    return queryset.annotate(my_role=Subquery(role))
