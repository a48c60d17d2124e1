"""Large uploads go to the task worker (202 and a job URL); source metadata changes; deleting."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sources.models import RemovedSource, Source

from .conftest import World, url

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"


@pytest.fixture(autouse=True)
def worker_inline(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SOURCE_BACKGROUND_BYTES = 4096


def upload(name: str, data: bytes, project: int, **fields) -> dict:
    return {"file": SimpleUploadedFile(name, data), "project": project, **fields}


def test_a_large_upload_answers_202_and_its_job_tells_the_outcome(world: World, api_as) -> None:
    client = api_as(world.team.instructor)
    data = (CORPUS / "chinese-view-on-sco-expansion.txt").read_bytes()
    started = client.post(
        url("source-list"),
        upload("view.txt", data, world.team.project.pk, title="The view", year=2016),
        format="multipart",
    )
    assert started.status_code == 202, started.json()
    body = started.json()
    assert started["Location"] == body["job"]
    job = client.get(body["job"]).json()
    assert (job["status"], job["percent"], job["error"]) == ("done", 100, "")
    source = Source.objects.get(pk=job["source"])
    assert (source.title, source.year) == ("The view", 2016)
    assert api_as(world.team.annotator).get(body["job"]).status_code == 404


def test_a_failed_background_ingestion_says_why(world: World, api_as) -> None:
    client = api_as(world.team.owner)
    data = "Caf\xe9 au lait. ".encode("latin-1") * 400
    started = client.post(
        url("source-list"), upload("latin.txt", data, world.team.project.pk), format="multipart"
    )
    assert started.status_code == 202
    job = client.get(started["Location"]).json()
    assert job["status"] == "failed"
    assert "UTF-8" in job["error"]
    assert Source.objects.filter(project=world.team.project).count() == 1


def test_a_small_upload_still_answers_201(world: World, api_as) -> None:
    response = api_as(world.team.owner).post(
        url("source-list"),
        upload("small.md", b"# Small\n\nA paragraph.\n", world.team.project.pk),
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["title"] == "Small"


def test_metadata_changes_and_a_bad_year_is_refused(world: World, api_as) -> None:
    client = api_as(world.team.owner)
    response = client.patch(
        url("source-detail", pk=world.source.pk),
        {"authors": ["Doe J.", "Roe R."], "year": 2015},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["authors"], response.json()["year"]) == (["Doe J.", "Roe R."], 2015)
    bad = client.patch(url("source-detail", pk=world.source.pk), {"year": 15}, format="json")
    assert bad.status_code == 400
    assert "year" in bad.json()


def test_deleting_a_source_with_discussions_is_refused_and_without_them_kept_for_restore(
    world: World, api_as
) -> None:
    client = api_as(world.team.owner)
    refused = client.delete(url("source-detail", pk=world.source.pk))
    assert refused.status_code == 409
    assert "discussion" in refused.json()["detail"]
    world.discussion.delete()
    assert client.delete(url("source-detail", pk=world.source.pk)).status_code == 204
    assert RemovedSource.objects.get().tag_count == 2
