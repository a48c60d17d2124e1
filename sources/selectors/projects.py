"""Projects and memberships as the caller may see them."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404

from ..models import Membership, Project


def projects_for_user(user: AbstractBaseUser) -> QuerySet[Project]:
    """The caller's projects, each with `my_role` and member/source counts annotated."""
    if not user.is_authenticated:
        return Project.objects.none()
    role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    return (
        # A subquery, not a join on memberships: a join filtered to the caller would also narrow
        # member_count to the caller's own membership.
        Project.objects.filter(pk__in=Membership.objects.filter(user=user).values("project_id"))
        .annotate(
            my_role=Subquery(role),
            member_count=Count("memberships", distinct=True),
            source_count=Count("sources", distinct=True),
        )
        .order_by("slug")
    )


def project_role(user: AbstractBaseUser, project: Project) -> str | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()


def roles_by_project(user: AbstractBaseUser) -> dict[int, str]:
    """Every project id the caller belongs to, with their role there: one query."""
    if not user.is_authenticated:
        return {}
    return dict(Membership.objects.filter(user=user).values_list("project_id", "role"))


def project_for_user(user: AbstractBaseUser, slug: str) -> tuple[Project, str]:
    """The project and the caller's role in it.

    404 for a non-member, never 403, so a project's existence does not leak."""
    if not user.is_authenticated:
        raise Http404("No such project.")
    membership = Membership.objects.select_related("project").filter(project__slug=slug, user=user).first()
    if membership is None:
        raise Http404("No such project.")
    return membership.project, membership.role


def memberships_of(project: Project) -> QuerySet[Membership]:
    return Membership.objects.filter(project=project).select_related("user").order_by("user__username")
