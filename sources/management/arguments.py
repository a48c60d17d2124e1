"""What the import commands take from the command line, checked before anything is read or written."""

from pathlib import Path

from django.core.management.base import CommandError

from ..models import Project
from ..permissions import ARCHIVED_MESSAGE


def file_and_project(path: Path, slug: str) -> tuple[Path, Project]:
    """The file to read and the project to write into; a CommandError names whichever is missing."""
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise CommandError(f"No project with the slug '{slug}'.")
    if project.archived:
        raise CommandError(f"{ARCHIVED_MESSAGE} (project '{slug}')")
    return path, project
