"""Pages that show or take times do so in the project's time zone (its settings say which)."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from ..models import Project
from ..selectors.projects import project_for_user


def zoned_project(user: AbstractBaseUser, slug: str) -> tuple[Project, str | None]:
    """The project and the caller's role (404 for a non-member), with the project's zone active for
    the rest of the request: templates show times in it and form fields read them in it. The time
    zone middleware resets it when the response is done."""
    project, role = project_for_user(user, slug)
    timezone.activate(project.zone)
    return project, role
