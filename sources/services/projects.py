"""Projects and their members."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Membership, Project, Role
from .errors import ConflictError

# Paths under /p/ that are pages, not projects.
RESERVED_SLUGS = frozenset({"new"})
SETTINGS = ("name", "description", "licence", "time_zone", "archived")


@transaction.atomic
def project_create(
    *,
    owner: AbstractBaseUser,
    slug: str,
    name: str,
    description: str = "",
    licence: str = "",
    time_zone: str = "UTC",
) -> Project:
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": f"'{slug}' names a page of the site; choose another slug."})
    if Project.objects.filter(slug=slug).exists():
        raise ConflictError(f"A project with the slug '{slug}' already exists.")
    project = Project(slug=slug, name=name, description=description, licence=licence, time_zone=time_zone)
    project.full_clean()
    project.save()
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    return project


def project_update(*, project: Project, **fields: object) -> Project:
    """Change the project's settings. An archived project changes nothing but being restored."""
    unknown = set(fields) - set(SETTINGS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This setting does not exist."))
    if project.archived and fields.get("archived") is not False:
        changes = {name for name, value in fields.items() if getattr(project, name) != value}
        if changes - {"archived"}:
            raise ValidationError({"archived": "The project is archived: restore it before changing it."})
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    return project


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
    # Owners are locked too, so two owners demoting each other at once cannot both succeed.
    owners = Membership.objects.select_for_update().filter(project=project, role=Role.OWNER)
    if not owners.exclude(user=user).exists():
        raise ValidationError({"role": "A project needs at least one owner; make someone else owner first."})
