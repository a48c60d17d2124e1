"""Adding sources in the browser's pages: many files, preview, confirm, per-file errors, background
ingestion; editing, deleting and restoring a source."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sources.models import Annotation, RemovedSource, Source, SourceUpload

from ..factories import AnnotationFactory

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
FILES = ("chinese-foreign-policy-in-the-sco.txt", "chinese-view-on-sco-expansion.txt")


@pytest.fixture(autouse=True)
def scratch(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def corpus_files(*extra: SimpleUploadedFile) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, (CORPUS / name).read_bytes()) for name in FILES] + list(extra)


def confirm_all(client, preview_url: str) -> str:
    page = client.get(preview_url).content.decode()
    ids = [int(part) for part in preview_url.split("preview=")[1].split(",")]
    data = {"upload": ids}
    for upload in SourceUpload.objects.filter(pk__in=ids):
        for field in ("title", "authors", "year", "language", "citation"):
            marker = f'name="u{upload.pk}-{field}"'
            if marker in page and field == "title":
                data[f"u{upload.pk}-title"] = upload.filename.rsplit(".", 1)[0]
    return client.post("/p/class/sources/new/confirm/", data).content.decode()


def test_the_preview_names_the_passage_a_pdfs_footnote_is_attached_to(team, client_as) -> None:
    paper = Path(__file__).resolve().parents[1] / "data" / "pdf-corpus" / "rescience-detorakis-2017.pdf"
    client = client_as(team.owner)
    upload = SimpleUploadedFile(paper.name, paper.read_bytes())
    response = client.post("/p/class/sources/new/", {"files": [upload]})
    preview = client.get(response["Location"]).content.decode()
    note = preview.split('<li class="preview-passage kind-footnote">')[1].split("</li>")[0]
    assert "1Python memory profiler used" in note
    assert re.search(r"footnote to passage \d+", note)
    assert not Source.objects.exists()


@pytest.mark.parametrize("role", ["owner", "instructor"])
def test_two_files_are_previewed_then_imported(team, client_as, role) -> None:
    client = client_as(team.user(role))
    form = client.get("/p/class/sources/new/").content.decode()
    assert '<label for="id_files">Files</label>' in form
    response = client.post("/p/class/sources/new/", {"files": corpus_files()})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert preview.count('class="card upload-preview"') == 2
    assert "Segmentation" in preview
    assert "heading" in preview
    assert 'value="CHINESE VIEW ON THE EXPANSION' in preview.upper().replace("VALUE", "value")
    assert not Source.objects.exists()
    results = confirm_all(client, response["Location"])
    assert results.count(">imported</span>") == 2
    assert Source.objects.filter(project=team.project).count() == 2


def test_a_bad_file_is_reported_and_the_others_imported(team, client_as) -> None:
    client = client_as(team.owner)
    bad = SimpleUploadedFile("latin.txt", "Caf\xe9 d\xe9j\xe0 vu.".encode("latin-1"))
    empty = SimpleUploadedFile("empty.md", b"")
    wrong = SimpleUploadedFile("slides.pptx", b"PK")
    response = client.post("/p/class/sources/new/", {"files": corpus_files(bad, empty, wrong)})
    preview = client.get(response["Location"]).content.decode()
    assert "latin.txt: " in preview
    assert "UTF-8" in preview
    assert "empty.md: " in preview
    ids = [int(part) for part in response["Location"].split("preview=")[1].split(",")]
    results = client.post("/p/class/sources/new/confirm/", {"upload": ids}).content.decode()
    assert results.count(">imported</span>") == 2
    assert Source.objects.count() == 2
    follow = client.post(
        "/p/class/sources/new/", {"files": [SimpleUploadedFile("x.pptx", b"PK")]}, follow=True
    )
    assert "is not a .txt, .md or .pdf file" in follow.content.decode()


def test_a_duplicate_is_named_and_not_imported_twice(team, client_as) -> None:
    client = client_as(team.owner)
    first = client.post("/p/class/sources/new/", {"files": corpus_files()[:1]})
    confirm_all(client, first["Location"])
    again = client.post("/p/class/sources/new/", {"files": corpus_files()[:1]})
    assert "already in project &#x27;class&#x27;" in client.get(again["Location"]).content.decode()
    assert Source.objects.count() == 1


def test_a_large_file_is_ingested_in_the_background_and_its_row_polls(team, client_as, settings) -> None:
    settings.SOURCE_BACKGROUND_BYTES = 1000
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_as(team.owner)
    response = client.post("/p/class/sources/new/", {"files": corpus_files()[:1]})
    preview = client.get(response["Location"]).content.decode()
    assert "split into passages in the background" in preview
    upload = SourceUpload.objects.get()
    results = client.post("/p/class/sources/new/confirm/", {"upload": [upload.pk]}).content.decode()
    assert f'hx-get="/p/class/sources/uploads/{upload.pk}/"' in results
    assert "waiting for the worker" in results
    from sources.services.source_uploads import upload_run

    upload_run(upload_id=upload.pk)
    row = client.get(f"/p/class/sources/uploads/{upload.pk}/").content.decode()
    assert ">imported</span>" in row
    assert "hx-get" not in row


def test_pasted_text_becomes_a_source(team, client_as) -> None:
    client = client_as(team.instructor)
    response = client.post(
        "/p/class/sources/new/", {"title": "Notes", "text": "# Notes\n\nThe SCO met in Astana."}
    )
    confirm_all(client, response["Location"])
    assert Source.objects.get().passages.count() == 2


@pytest.mark.parametrize("role", ["annotator", "observer"])
def test_others_cannot_add_or_change_sources(team, source, client_as, role) -> None:
    client = client_as(team.user(role))
    assert client.get("/p/class/sources/new/").status_code == 403
    assert client.post("/p/class/sources/new/", {"files": corpus_files()[:1]}).status_code == 403
    assert client.get(f"/p/class/sources/{source.pk}/edit/").status_code == 403
    assert client.post(f"/p/class/sources/{source.pk}/delete/").status_code == 403
    assert Source.objects.count() == 1
    assert client_as(team.outsider).get("/p/class/sources/new/").status_code == 404


def test_metadata_is_edited_and_validated(team, source, client_as) -> None:
    client = client_as(team.owner)
    url = f"/p/class/sources/{source.pk}/edit/"
    bad = client.post(url, {"title": "New", "year": "12"})
    assert bad.status_code == 422
    assert "greater than or equal to 1000" in bad.content.decode()
    client.post(url, {"title": "New title", "authors": "Doe J.; Roe R.", "year": "2019", "language": "en"})
    source.refresh_from_db()
    assert (source.title, source.authors, source.year) == ("New title", ["Doe J.", "Roe R."], 2019)


def test_notes_on_a_source_are_edited_and_shown_above_its_text(team, source, client_as, api_as) -> None:
    client = client_as(team.owner)
    url = f"/p/class/sources/{source.pk}/edit/"
    assert client.post(url, {"title": source.title, "notes": "x" * 20_001}).status_code == 422
    client.post(url, {"title": source.title, "notes": "Scanned copy.\nPages 3-4 missing."})
    reader = client_as(team.annotator).get(f"/p/class/sources/{source.pk}/").content.decode()
    assert "Notes on this source" in reader and "Scanned copy.<br>Pages 3-4 missing." in reader
    assert "Pages 3-4 missing." in client.get(url).content.decode()  # the form shows them again

    api = api_as(team.owner)
    assert api.get(f"/api/sources/{source.pk}/").json()["notes"] == "Scanned copy.\nPages 3-4 missing."
    assert api.patch(f"/api/sources/{source.pk}/", {"notes": "y" * 20_001}, format="json").status_code == 400
    answer = api.patch(f"/api/sources/{source.pk}/", {"notes": ""}, format="json")
    assert answer.status_code == 200 and answer.json()["notes"] == ""
    assert "Notes on this source" not in client.get(f"/p/class/sources/{source.pk}/").content.decode()


def test_deleting_names_the_tags_and_restoring_brings_them_back(
    team, source, themes, passages, client_as
) -> None:
    AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    AnnotationFactory(passage=passages[2], theme=themes["energy"], author=team.annotator2)
    client = client_as(team.owner)
    assert (
        "Delete the source and 2 tags" in client.get(f"/p/class/sources/{source.pk}/edit/").content.decode()
    )
    client.post(f"/p/class/sources/{source.pk}/delete/")
    assert not Source.objects.exists()
    page = client.get("/p/class/sources/new/").content.decode()
    assert "Deleted sources" in page
    removed = RemovedSource.objects.get()
    response = client.post(f"/p/class/sources/removed/{removed.pk}/restore/")
    assert response["Location"] == f"/p/class/sources/{source.pk}/"
    assert Annotation.objects.filter(passage__source=source).count() == 2
