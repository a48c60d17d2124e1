"""/api/sources/: uploading a document ingests it into passages; bad files are refused by name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sources.models import Passage, Source

from .conftest import url

pytestmark = pytest.mark.django_db

TEXT = "# The SCO and energy\n\nOil and gas from Central Asia.\n\nPipelines cross the border.\n"


def upload(client, project, data: bytes, name: str = "energy.md", **fields):
    body = {"file": SimpleUploadedFile(name, data), "project": project.pk, **fields}
    return client.post(url("source-list"), body, format="multipart")


def test_an_instructor_uploads_a_markdown_file_and_gets_its_passages(team, api_as):
    response = upload(
        api_as(team.instructor),
        team.project,
        TEXT.encode(),
        title="Energy",
        authors="Doe J.; Roe R.",
        year=2021,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["title"], body["authors"], body["year"]) == ("Energy", ["Doe J.", "Roe R."], 2021)
    assert body["passage_count"] == 3
    source = Source.objects.get(pk=body["id"])
    for passage in Passage.objects.filter(source=source):
        assert source.text[passage.start : passage.end] == passage.text


def test_authors_may_also_come_as_repeated_fields(team, api_as):
    client = api_as(team.owner)
    body = {
        "file": SimpleUploadedFile("a.txt", b"One paragraph."),
        "project": team.project.pk,
        "authors": ["Doe J.", "Roe R."],
    }
    response = client.post(url("source-list"), body, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["authors"] == ["Doe J.", "Roe R."]


def test_the_same_text_twice_is_a_conflict_naming_the_first_source(team, api_as):
    client = api_as(team.owner)
    first = upload(client, team.project, TEXT.encode()).json()
    again = upload(client, team.project, TEXT.encode(), "copy.md")
    assert again.status_code == 409
    assert again.json()["existing_id"] == first["id"]
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "empty"),
        (b"  \n\n ", "blank.txt", "empty"),
        (b"\x00\x01\x02\x03binary\xff\xfe", "blob.txt", "binary"),
        ("Привет, мир".encode("cp1251"), "legacy.txt", "not UTF-8"),
        (b"text", "notes.docx", "unsupported file type"),
    ],
)
def test_an_unusable_file_is_refused_with_a_message_and_writes_nothing(team, api_as, data, name, message):
    response = upload(api_as(team.owner), team.project, data, name)
    assert response.status_code == 400, response.json()
    assert message in response.json()["file"][0]
    assert not Source.objects.exists() and not Passage.objects.exists()


def test_a_file_over_the_upload_limit_is_413(team, api_as, settings):
    settings.MAX_UPLOAD_BYTES = 100
    response = upload(api_as(team.owner), team.project, b"x" * 500, "big.txt")
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_a_year_out_of_range_is_refused(team, api_as):
    response = upload(api_as(team.owner), team.project, TEXT.encode(), year=99)
    assert response.status_code == 400
    assert "year" in response.json()


def test_sources_list_without_their_text_filtered_by_project(world, api_as):
    response = api_as(world.team.observer).get(url("source-list"), {"project": "class"})
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [world.source.pk]
    assert "text" not in rows[0]
    assert rows[0]["passage_count"] == 4
