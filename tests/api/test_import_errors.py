"""Every refused import is a 400 from /api/projects/{slug}/import/ and a one-line CommandError from
`import_annotations`, naming the record and field, with nothing written: the hostile files of the
services tests, through both channels."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.models import Annotation, Source, Theme

from ..formats.conftest import build_corpus
from ..services.test_hostile_imports import HOSTILE, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(team):
    return build_corpus(team)


def counts() -> tuple[int, int, int]:
    return (Annotation.objects.count(), Source.objects.count(), Theme.objects.count())


@pytest.mark.parametrize("name", HOSTILE)
def test_the_api_answers_400_naming_record_and_field(corpus, team, api_as, name):
    hostile = HOSTILE[name]
    before = counts()
    response = api_as(team.instructor).post(
        f"/api/projects/{team.project.slug}/import/",
        {
            "file": SimpleUploadedFile(f"hostile.{hostile.fmt}", build(hostile, corpus)),
            "format": hostile.fmt,
            "create_themes": "true",
        },
        format="multipart",
    )
    assert response.status_code == 400, response.content[:300]
    [message] = response.json()["file"]
    assert f"{hostile.where}, field '{hostile.field}'" in message
    assert "Nothing was imported." in message
    assert counts() == before


@pytest.mark.parametrize("name", HOSTILE)
def test_the_command_says_one_line_naming_record_and_field(corpus, team, tmp_path, name):
    hostile = HOSTILE[name]
    path = tmp_path / f"hostile.{hostile.fmt}"
    path.write_bytes(build(hostile, corpus))
    before = counts()
    with pytest.raises(CommandError) as error:
        call_command(
            "import_annotations",
            str(path),
            project=team.project.slug,
            format=hostile.fmt,
            as_user="instructor",
            create_themes=True,
        )
    message = str(error.value)
    assert "\n" not in message
    assert f"{hostile.where}, field '{hostile.field}'" in message
    assert message.endswith("nothing was imported.")
    assert counts() == before
