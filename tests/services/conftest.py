"""Service fixtures: the format tests' corpus in the team's project, and an empty project of the
same name to import it into."""

import pytest

from sources.models import Project

from ..factories import MembershipFactory, ProjectFactory
from ..formats.conftest import build_corpus


@pytest.fixture
def corpus(team):
    return build_corpus(team)


@pytest.fixture
def empty(team) -> Project:
    """A project with the same name as the corpus's, and nothing in it."""
    project = ProjectFactory(slug="copy", name=team.project.name)
    MembershipFactory(project=project, user=team.owner, role="owner")
    return project
