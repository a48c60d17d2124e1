"""Project members and the people who may be added to a project."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from ..models import Membership, Project
from .scoping import member_project_ids, with_my_role


def project_with_role(user: AbstractBaseUser, slug: str) -> Project:
    """The project with the caller's role as `my_role`; 404 for a non-member, never 403."""
    if not user.is_authenticated:
        raise Http404("No such project.")
    project = with_my_role(Project.objects.filter(pk__in=member_project_ids(user)), user, "pk")
    found = project.filter(slug=slug).first()
    if found is None:
        raise Http404("No such project.")
    return found


def membership_of(project: Project, user_id: int) -> Membership:
    membership = Membership.objects.select_related("user").filter(project=project, user=user_id).first()
    if membership is None:
        raise Http404("This user is not a member of the project.")
    return membership


def is_member(project: Project, user: AbstractBaseUser) -> bool:
    return Membership.objects.filter(project=project, user=user).exists()


def active_users() -> QuerySet[AbstractBaseUser]:
    """Everyone who may be added to a project."""
    return get_user_model().objects.filter(is_active=True)
