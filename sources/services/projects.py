"""Projects and their members."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Annotation, Discussion, Evidence, Membership, Project, Role
from .errors import ConflictError


@transaction.atomic
def project_create(*, owner: AbstractBaseUser, slug: str, name: str, description: str = "") -> Project:
    if Project.objects.filter(slug=slug).exists():
        raise ConflictError(f"A project with the slug '{slug}' already exists.")
    project = Project(slug=slug, name=name, description=description)
    project.full_clean()
    project.save()
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    return project


def project_update(*, project: Project, **fields: str) -> Project:
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_delete(*, project: Project) -> None:
    """Delete a project and everything in it, annotations first: the models protect annotations
    from being dropped as a side effect, so only this deliberate path removes them."""
    Discussion.objects.filter(passage__source__project=project).delete()
    Evidence.objects.filter(claim__project=project).delete()
    Annotation.objects.filter(passage__source__project=project).delete()
    project.sessions.all().delete()
    # Sub-themes protect their parents; unlinking the hierarchy lets the codebook go with the project.
    project.themes.update(parent=None)
    project.delete()


@transaction.atomic
def membership_set(*, project: Project, user: AbstractBaseUser, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role '{role}'; use one of {', '.join(Role.values)}."})
    membership = Membership.objects.select_for_update().filter(project=project, user=user).first()
    if membership is not None and membership.role == Role.OWNER and role != Role.OWNER:
        _ensure_another_owner(project, user)
    if membership is None:
        membership = Membership(project=project, user=user)
    membership.role = role
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, project: Project, user: AbstractBaseUser) -> None:
    membership = Membership.objects.select_for_update().filter(project=project, user=user).first()
    if membership is None:
        raise ValidationError({"user": "This user is not a member of the project."})
    if membership.role == Role.OWNER:
        _ensure_another_owner(project, user)
    membership.delete()


def _ensure_another_owner(project: Project, user: AbstractBaseUser) -> None:
    if not Membership.objects.filter(project=project, role=Role.OWNER).exclude(user=user).exists():
        raise ValidationError({"role": "A project needs at least one owner; make someone else owner first."})
