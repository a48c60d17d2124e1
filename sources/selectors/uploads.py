"""Source uploads and removed sources, as the project's owners and instructors may see them."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ..models import Membership, Project, RemovedSource, SourceUpload
from ..permissions import LEADS


def source_uploads_for_user(user: AbstractBaseUser) -> QuerySet[SourceUpload]:
    if not user.is_authenticated:
        return SourceUpload.objects.none()
    managed = Membership.objects.filter(user=user, role__in=LEADS).values("project_id")
    return SourceUpload.objects.filter(project__in=managed).order_by("-created", "-id")


def uploads_in(project: Project, ids: list[int]) -> list[SourceUpload]:
    return list(SourceUpload.objects.filter(project=project, pk__in=ids).order_by("id"))


def removed_sources_of(project: Project) -> QuerySet[RemovedSource]:
    return RemovedSource.objects.filter(project=project).select_related("removed_by").defer("rows")
