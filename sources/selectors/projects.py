"""Projects and memberships as the caller may see them."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from ..models import Annotation, Membership, Project, ProjectDeletion
from ..permissions import effective_role
from .scoping import role_subquery
from .visibility import visible_to


def projects_for_user(user: AbstractBaseUser) -> QuerySet[Project]:
    """The caller's projects, each with `my_role` and member/source counts annotated."""
    if not user.is_authenticated:
        return Project.objects.none()
    return (
        # A subquery, not a join on memberships: a join filtered to the caller would also narrow
        # member_count to the caller's own membership.
        Project.objects.filter(pk__in=Membership.objects.filter(user=user).values("project_id"))
        .annotate(
            my_role=role_subquery("pk", user),
            member_count=Count("memberships", distinct=True),
            source_count=Count("sources", distinct=True),
        )
        .order_by("slug")
    )


def project_role(user: AbstractBaseUser, project: Project) -> str | None:
    if not user.is_authenticated:
        return None
    role = Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()
    return effective_role(role, project.archived)


def roles_by_project(user: AbstractBaseUser) -> dict[int, str]:
    """Every project id the caller belongs to, with their role there: one query."""
    if not user.is_authenticated:
        return {}
    rows = Membership.objects.filter(user=user).values_list("project_id", "role", "project__archived")
    return {project_id: effective_role(role, archived) for project_id, role, archived in rows}


def project_for_user(user: AbstractBaseUser, slug: str) -> tuple[Project, str]:
    """The project and the caller's role in it.

    404 for a non-member, never 403, so a project's existence does not leak."""
    if not user.is_authenticated:
        raise Http404("No such project.")
    membership = Membership.objects.select_related("project").filter(project__slug=slug, user=user).first()
    if membership is None:
        raise Http404("No such project.")
    return membership.project, effective_role(membership.role, membership.project.archived)


def memberships_of(project: Project, viewer: AbstractBaseUser) -> QuerySet[Membership]:
    """The members, each with `tag_count`, their annotations in the project that `viewer` may see
    (one query for all)."""
    tags = (
        visible_to(
            viewer, Annotation.objects.filter(author=OuterRef("user"), passage__source__project=project)
        )
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Membership.objects.filter(project=project)
        .select_related("user")
        .annotate(tag_count=Coalesce(Subquery(tags, output_field=IntegerField()), Value(0)))
        .order_by("user__username")
    )


def deletion_of(user: AbstractBaseUser, deletion_id: int) -> ProjectDeletion:
    """A project deletion, for the person who asked for it (the project is gone, so no role decides)."""
    if not user.is_authenticated:
        raise Http404("No such deletion.")
    deletion = ProjectDeletion.objects.filter(pk=deletion_id, requested_by=user).first()
    if deletion is None:
        raise Http404("No such deletion.")
    return deletion
