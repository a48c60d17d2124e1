"""What the export page and the release datasheet read besides the export itself: filter choices,
the caller's background jobs, releases, members and their roles."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ..models import ExportJob, Membership, Project, Release, Session, Source, Theme


def export_choices(project: Project) -> dict:
    """What the export page offers to filter by."""
    return {
        "themes": Theme.objects.filter(project=project).order_by("order", "slug"),
        "sources": Source.objects.filter(project=project).order_by("title").only("id", "title"),
        "sessions": Session.objects.filter(project=project).order_by("-opens_at").only("id", "name"),
        "authors": Membership.objects.filter(project=project)
        .order_by("user__username")
        .values_list("user__username", flat=True),
    }


def export_jobs_of(project: Project, user: AbstractBaseUser) -> QuerySet[ExportJob]:
    """The caller's own background exports of the project, newest first."""
    return ExportJob.objects.filter(project=project, requested_by=user).order_by("-created", "-id")


def project_member(project: Project, username: str) -> AbstractBaseUser | None:
    membership = (
        Membership.objects.filter(project=project, user__username=username).select_related("user").first()
    )
    return membership.user if membership is not None else None


def releases_of(project: Project) -> QuerySet[Release]:
    return Release.objects.filter(project=project).select_related("created_by").order_by("-number")


def project_members_roles(project: Project) -> dict[str, str]:
    """username -> role, for datasheets."""
    return dict(
        Membership.objects.filter(project=project)
        .values_list("user__username", "role")
        .order_by("user__username")
    )
