"""`manage.py backup` / `restore`: a backup restored into an empty database gives back the same
exports byte for byte, the full history and the media files."""

import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sources.models import Annotation, ExportJob
from sources.services.annotations import annotation_update
from sources.services.exports import export_job_start, export_stream

from ..formats.conftest import build_corpus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def scratch_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def snapshot(project_slug: str) -> dict:
    from sources.models import Project

    project = Project.objects.get(slug=project_slug)
    history = list(
        Annotation.history.order_by("history_id").values_list(
            "history_id", "id", "note", "status", "history_type", "history_user_id", "history_date"
        )
    )
    return {
        format: b"".join(export_stream(project=project, format=format).chunks) for format in ("jsonl", "qdpx")
    } | {"history": history}


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_a_restored_backup_gives_the_same_exports_history_and_files(team, tmp_path, settings):
    corpus = build_corpus(team)
    annotation = Annotation.objects.filter(passage__source=corpus.english).first()
    annotation_update(annotation=annotation, editor=annotation.author, note="second thoughts")
    job = export_job_start(project=corpus.project, user=team.owner, format="csv", filters={})
    job.refresh_from_db()
    before = snapshot("class")
    file_bytes = job.file.open("rb").read()
    assert before["history"] and before["jsonl"]

    printed = run("backup", "--output", str(tmp_path / "backups"))
    [backup] = (tmp_path / "backups").glob("sco-annot-*.tar")
    assert str(backup) in printed and "1 media files" in printed

    call_command("flush", interactive=False)
    for file in Path(settings.MEDIA_ROOT).rglob("*"):
        if file.is_file():
            file.unlink()
    assert not Annotation.history.exists()

    assert "1 media files" in run("restore", str(backup))
    after = snapshot("class")
    assert after["jsonl"] == before["jsonl"]
    assert after["qdpx"] == before["qdpx"]
    assert after["history"] == before["history"]
    restored = ExportJob.objects.get(pk=job.pk)
    assert restored.file.open("rb").read() == file_bytes


def test_restore_refuses_a_database_that_holds_data(team, tmp_path):
    run("backup", "--output", str(tmp_path))
    [backup] = tmp_path.glob("*.tar")
    with pytest.raises(CommandError, match="already holds data; restore into an empty database"):
        run("restore", str(backup))


def test_restore_names_a_file_that_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "notes.tar"
    with tarfile.open(not_a_backup, "w") as archive:
        archive.add(__file__, arcname="notes.txt")
    with pytest.raises(CommandError, match=r"is not a sco-annot backup: it has no readable manifest\.json"):
        run("restore", str(not_a_backup))


def test_restore_refuses_another_kind_of_database(tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(f'{{"format": 1, "database": {{"vendor": "{other}", "file": "database"}}}}')
    backup = tmp_path / "other.tar"
    with tarfile.open(backup, "w") as archive:
        archive.add(manifest, arcname="manifest.json")
    with pytest.raises(CommandError, match=f"holds a {other} database but DATABASE_URL points to"):
        run("restore", str(backup))
