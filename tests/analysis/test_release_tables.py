"""A release's datasheet carries the theme-by-source matrix and the co-occurrence table of its
approved layer (tests/analysis/conftest.py's corpus, counted by hand)."""

import zipfile

import pytest

from sources.services.releases import release_create

from .conftest import Corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_the_datasheet_has_the_matrix_and_the_cooccurrence_of_the_approved_layer(corpus: Corpus) -> None:
    release = release_create(project=corpus.team.project, user=corpus.team.instructor)
    with zipfile.ZipFile(release.file.path) as archive:
        datasheet = archive.read(f"class-release-{release.number}/README.md").decode()
    assert "## Themes by source" in datasheet and "## Themes together" in datasheet
    assert "| source | passages | security | terrorism | energy | expansion |" in datasheet
    assert "| Chinese view | 4 | 2 | 1 | 2 | 0 |" in datasheet  # the submitted expansion tag is left out
    assert "| Kazakh view | 3 | 1 | 1 | 1 | 0 |" in datasheet
    assert "| security | terrorism | 2 | 0.6667 |" in datasheet
    assert "| security | energy | 1 | 0.2 |" in datasheet
    assert "\n| terrorism | energy |" not in datasheet  # no passage has both
