"""/api/projects/{slug}/export/ and /import/: streamed files, filters, W3C pages, atomic imports."""

import io
import json

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse

from sources.models import Annotation, Source

from ..factories import MembershipFactory, ProjectFactory
from ..formats.conftest import build_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def corpus(team):
    return build_corpus(team)


def body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def test_export_streams_a_named_file(corpus, team, api_as):
    response = api_as(team.observer).get(
        "/api/projects/class/export/", {"format": "csv", "status": "approved"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="class.csv"'
    assert response["Content-Type"].startswith("text/csv")
    frame = pd.read_csv(io.BytesIO(body(response)), encoding="utf-8-sig")
    assert len(frame) == 5


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "qdpx", "qdc", "w3c"])
def test_every_format_is_served(corpus, team, api_as, fmt):
    response = api_as(team.annotator).get("/api/projects/class/export/", {"format": fmt})
    assert response.status_code == 200
    assert body(response)


def test_bad_filters_and_formats_are_400_with_the_field(corpus, team, api_as):
    client = api_as(team.owner)
    response = client.get("/api/projects/class/export/", {"format": "xls"})
    assert response.status_code == 400 and "format" in response.json()
    response = client.get("/api/projects/class/export/", {"format": "csv", "theme": "nope"})
    assert response.status_code == 400 and "theme" in response.json()


def test_w3c_over_the_api_is_paged(corpus, team, api_as, monkeypatch):
    monkeypatch.setattr("sources.api.exports.W3C_PAGE_SIZE", 4)
    client = api_as(team.owner)
    head = json.loads(body(client.get("/api/projects/class/export/", {"format": "w3c"})))
    assert head["total"] == 10 and head["first"].startswith("http://testserver/api/projects/class/export/?")
    page = json.loads(body(client.get(head["last"])))
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 8 and len(page["items"]) == 2
    past = client.get("/api/projects/class/export/", {"format": "w3c", "page": 3})
    assert past.status_code == 404 and "past its end" in past.json()["detail"]


def test_blind_sessions_hide_others_work_from_annotators_in_exports(corpus, team, api_as):
    corpus.session.blind = True
    corpus.session.save(update_fields=["blind"])
    frame = pd.read_csv(
        io.BytesIO(body(api_as(team.annotator).get("/api/projects/class/export/", {"format": "csv"}))),
        encoding="utf-8-sig",
    )
    assert len(frame) == 9  # annotator2's session tag is hidden until annotator submits
    assert "annotator2" in set(frame["author"])  # outside the session everything shows


def upload(name: str, data: bytes, fmt: str, **extra) -> dict:
    return {"file": SimpleUploadedFile(name, data), "format": fmt, **extra}


def test_import_round_trip_over_the_api(corpus, team, api_as):
    client = api_as(team.owner)
    jsonl = body(client.get("/api/projects/class/export/", {"format": "jsonl"}))
    copy = ProjectFactory(slug="copy", name=team.project.name)
    for role in ("owner", "instructor", "annotator", "annotator2", "observer"):
        MembershipFactory(
            project=copy, user=team.user(role), role="owner" if role == "owner" else "annotator"
        )
    response = client.post(
        "/api/projects/copy/import/",
        upload("class.jsonl", jsonl, "jsonl", create_themes="true"),
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["annotations_created"] == 10
    assert body(client.get("/api/projects/copy/export/", {"format": "jsonl"})) == jsonl


def test_a_failed_import_is_400_naming_the_line_and_writes_nothing(corpus, team, api_as):
    bad = b'{"text": "Nothing like this exists.", "label": [[0, 7, "energy"]]}\n{"text": 5}\n'
    before = (Annotation.objects.count(), Source.objects.count())
    response = api_as(team.instructor).post(
        "/api/projects/class/import/", upload("bad.jsonl", bad, "doccano"), format="multipart"
    )
    assert response.status_code == 400
    assert "line 2, field 'text'" in response.json()["file"][0]
    assert (Annotation.objects.count(), Source.objects.count()) == before


def test_api_imports_credit_only_members_and_otherwise_the_caller(corpus, team, api_as):
    line = json.dumps({"text": corpus.english.passages.get(ordinal=1).text, "label": [[0, 5, "energy"]]})
    doccano = (line + "\n").encode()
    client = api_as(team.instructor)
    response = client.post(
        "/api/projects/class/import/",
        upload("d.jsonl", doccano, "doccano", as_user="outsider"),
        format="multipart",
    )
    assert response.status_code == 400 and "as_user" in response.json()
    data = (
        json.dumps(
            {
                "text": corpus.english.passages.get(ordinal=1).text,
                "label": [[0, 5, "energy"]],
                "user": "outsider",
            }
        )
        + "\n"
    )
    response = client.post(
        "/api/projects/class/import/", upload("d.jsonl", data.encode(), "doccano"), format="multipart"
    )
    assert response.status_code == 201
    assert Annotation.objects.get(theme__slug="energy", start=0, end=5).author == team.instructor
