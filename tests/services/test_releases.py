"""Dataset releases: the approved layer frozen as a numbered zip with a datasheet and a datapackage."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from sources.models import Release

from ..factories import MembershipFactory

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "refi-qda"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def open_release(release: Release) -> tuple[zipfile.ZipFile, str]:
    data = Path(release.file.path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == release.sha256 and len(data) == release.size
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, f"{release.project.slug}-release-{release.number}/"


def test_a_release_holds_the_approved_layer_with_checksummed_files(corpus, team):
    from sources.services.releases import release_create

    release = release_create(project=corpus.project, user=team.instructor, notes="Week 1 gold layer")
    assert release.number == 1 and release.counts["approved_annotations"] == 5
    archive, root = open_release(release)
    frame = pd.read_csv(io.BytesIO(archive.read(root + "data/annotations.csv")), encoding="utf-8-sig")
    assert set(frame["status"]) == {"approved"} and len(frame) == 5
    package = json.loads(archive.read(root + "datapackage.json"))
    assert package["profile"] == "data-package" and package["version"] == "1"
    assert {oct(info.external_attr >> 16) for info in archive.infolist()} == {"0o100644"}
    for resource in package["resources"]:
        body = archive.read(root + resource["path"])
        assert resource["bytes"] == len(body)
        assert resource["hash"] == "sha256:" + hashlib.sha256(body).hexdigest()
    names = {r["path"] for r in package["resources"]}
    assert {
        "data/annotations.csv",
        "data/passages.jsonl",
        "data/annotations.parquet",
        "data/project.qdpx",
        "codebook.qdc",
        "sources.bib",
        "arguments.aif.json",
        "agreement.json",
        "README.md",
    } <= names
    qdc = etree.fromstring(archive.read(root + "codebook.qdc"))
    assert etree.XMLSchema(etree.parse(str(SCHEMAS / "Codebook.xsd"))).validate(qdc)


def test_the_datasheet_cites_sources_codebook_annotators_and_counts(corpus, team):
    from sources.services.releases import release_create

    release = release_create(project=corpus.project, user=team.instructor)
    archive, root = open_release(release)
    sheet = archive.read(root + "README.md").decode()
    assert "*Chinese View on SCO Expansion*, Serikkaliyeva A.E.; Amirbek A.A. (2020)." in sheet
    assert "**Terrorism** (`terrorism`)" in sheet
    assert "annotator (annotator): 4 approved annotation(s)" in sheet
    assert "approved annotations: 5" in sheet
    assert "Week 1: fewer than two annotators submitted" in sheet


def test_pseudonymised_releases_carry_no_usernames(corpus, team):
    from sources.services.releases import release_create

    release = release_create(project=corpus.project, user=team.instructor, pseudonymise=True)
    archive, root = open_release(release)
    for name in archive.namelist():
        body = archive.read(name)
        if name.endswith(".qdpx"):
            inner = zipfile.ZipFile(io.BytesIO(body))
            body = inner.read("project.qde")
        assert b"annotator2" not in body, name
        assert b'"annotator"' not in body and b",annotator," not in body, name
    assert b"annotator-0" in archive.read(root + "data/annotations.csv")


def test_releases_are_numbered_in_order_and_kept(corpus, team):
    from sources.services.releases import release_create

    first = release_create(project=corpus.project, user=team.instructor)
    second = release_create(project=corpus.project, user=team.owner)
    assert (first.number, second.number) == (1, 2)
    assert Path(first.file.path).exists() and first.file.path != second.file.path
    assert list(Release.objects.filter(project=corpus.project).values_list("number", flat=True)) == [2, 1]


def test_agreement_is_reported_for_sessions_with_submissions(corpus, team):
    from sources.models import Submission
    from sources.services.releases import release_create

    for user in (team.annotator, team.annotator2):
        Submission.objects.create(session=corpus.session, user=user)
    MembershipFactory(project=team.other_project)
    archive, root = open_release(release_create(project=corpus.project, user=team.instructor))
    agreement = json.loads(archive.read(root + "agreement.json"))
    assert agreement[0]["annotators"] == ["annotator", "annotator2"]
    assert "overall" in agreement[0]


def test_a_release_carries_the_licence_chosen_in_the_project_settings(corpus, team):
    from sources.services.projects import project_update
    from sources.services.releases import release_create

    unlicensed = release_create(project=corpus.project, user=team.instructor)
    archive, root = open_release(unlicensed)
    assert "licenses" not in json.loads(archive.read(root + "datapackage.json"))
    assert "No licence chosen: all rights reserved" in archive.read(root + "README.md").decode()

    project_update(project=corpus.project, licence="CC-BY-4.0")
    archive, root = open_release(release_create(project=corpus.project, user=team.instructor))
    package = json.loads(archive.read(root + "datapackage.json"))
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "CC BY 4.0 (attribution)",
        }
    ]
    assert (
        "`CC-BY-4.0`, https://creativecommons.org/licenses/by/4.0/"
        in archive.read(root + "README.md").decode()
    )
