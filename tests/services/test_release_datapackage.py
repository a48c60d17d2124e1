"""Every release's datapackage.json passes the Frictionless validator, as a reader would run it
(`frictionless validate datapackage.json` on the unzipped release): empty or not, with a table
schema whose offsets are integers, the project's licence and its contributors."""

import json
import zipfile
from pathlib import Path

import pytest
from frictionless import Package, validate

from sources.models import Release
from sources.services.projects import project_update

from ..formats.conftest import build_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def unzipped(release: Release, into: Path) -> Path:
    with zipfile.ZipFile(release.file.path) as archive:
        archive.extractall(into)
    return into / f"{release.project.slug}-release-{release.number}" / "datapackage.json"


def assert_valid(descriptor: Path) -> None:
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["resourceName", "type", "note"])


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_a_release_with_approved_data_validates(team, tmp_path, pseudonymise):
    from sources.services.releases import release_create

    build_corpus(team)
    project_update(project=team.project, licence="CC-BY-4.0")
    release = release_create(project=team.project, user=team.instructor, pseudonymise=pseudonymise)
    descriptor = unzipped(release, tmp_path)
    assert_valid(descriptor)

    package = Package(str(descriptor))
    rows = package.get_resource("annotations").read_rows()
    assert len(rows) == 5
    spans = [(row["start"], row["end"]) for row in rows]
    assert all(isinstance(start, int) and isinstance(end, int) for start, end in spans if start is not None)
    assert (None, None) in spans  # the approved whole-passage tag
    described = json.loads(descriptor.read_text())
    parquet = next(r for r in described["resources"] if r["name"] == "annotations-parquet")
    offsets = [f["type"] for f in parquet["schema"]["fields"] if f["name"] in {"start", "end"}]
    assert offsets == ["integer", "integer"]
    assert described["licenses"][0]["name"] == "CC-BY-4.0"
    contributors = {c["title"]: c["role"] for c in described["contributors"]}
    if pseudonymise:
        assert not {"annotator", "annotator2", "instructor"} & set(contributors)
    else:
        assert contributors["annotator"] == contributors["annotator2"] == "author"
        assert contributors["instructor"] == contributors["owner"] == "maintainer"


def test_an_empty_release_validates(team, tmp_path):
    from sources.services.releases import release_create

    descriptor = unzipped(release_create(project=team.project, user=team.instructor), tmp_path)
    assert (descriptor.parent / "data" / "passages.jsonl").stat().st_size == 0
    assert_valid(descriptor)
    assert Package(str(descriptor)).get_resource("annotations").read_rows() == []


def test_a_damaged_release_file_fails_validation(team, tmp_path):
    """The validator does check the files against the sizes and checksums the package gives."""
    from sources.services.releases import release_create

    build_corpus(team)
    descriptor = unzipped(release_create(project=team.project, user=team.instructor), tmp_path)
    parquet = descriptor.parent / "data" / "annotations.parquet"
    parquet.write_bytes(parquet.read_bytes()[:-1] + b"\0")
    report = validate(str(descriptor))
    assert not report.valid
    assert {error[0] for error in report.flatten(["type"])} == {"hash-count"}
