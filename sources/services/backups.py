"""Backups that restore: the database (PostgreSQL's custom-format `pg_dump`, or SQLite's online
backup API) and the media files, in one tar file with a manifest.

A backup is taken while the site runs: pg_dump reads one consistent snapshot, and SQLite's backup API
copies a consistent database even while the workers write. Restoring goes into an empty database
(or, with `replace`, over an existing one) of the same kind."""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup that cannot be taken or restored; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    vendor: str
    media_files: int
    size: int


def _postgres_environment() -> dict[str, str]:
    """libpq's variables, so the password never appears on a command line."""
    db = connection.settings_dict
    values = {"PGDATABASE": db["NAME"], "PGUSER": db["USER"], "PGPASSWORD": db["PASSWORD"]}
    values |= {"PGHOST": db["HOST"], "PGPORT": str(db["PORT"] or "")}
    return {**os.environ, **{name: value for name, value in values.items() if value}}


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(command, env=_postgres_environment(), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"`{command[0]}` is not installed; install PostgreSQL's client tools.") from None
    if done.returncode != 0:
        raise BackupError(f"`{command[0]}` failed: {done.stderr.strip()}")


def _dump_database(target: Path) -> None:
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


def backup_create(*, output: Path) -> BackupSummary:
    """Write `sco-annot-<UTC time>.tar` into `output`: the manifest, the database and MEDIA_ROOT."""
    output.mkdir(parents=True, exist_ok=True)
    created = datetime.now(tz=UTC)
    path = output / f"sco-annot-{created:%Y%m%dT%H%M%SZ}.tar"
    media = Path(settings.MEDIA_ROOT)
    media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
    database_name = DATABASE_FILES.get(connection.vendor, "database")
    with tempfile.TemporaryDirectory(dir=output) as scratch:
        dump = Path(scratch) / database_name
        _dump_database(dump)
        manifest = {
            "format": FORMAT_VERSION,
            "created": created.isoformat(),
            "database": {"vendor": connection.vendor, "file": database_name},
            "media_files": len(media_files),
        }
        (Path(scratch) / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = Path(scratch) / path.name
        with tarfile.open(partial, "w") as archive:
            archive.add(Path(scratch) / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=database_name)
            for file in media_files:
                archive.add(file, arcname=f"media/{file.relative_to(media).as_posix()}")
        partial.replace(path)  # a backup file exists only once it is complete
    return BackupSummary(
        path=path, vendor=connection.vendor, media_files=len(media_files), size=path.stat().st_size
    )


def _database_is_empty() -> bool:
    try:
        return not get_user_model().objects.exists()
    except DatabaseError:  # no tables yet
        return True


def _read_manifest(archive: tarfile.TarFile, path: Path) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError):
        raise BackupError(f"{path} is not a sco-annot backup: it has no readable {MANIFEST}.") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup in format {manifest.get('format')!r}; this version reads {FORMAT_VERSION}."
        )
    vendor = manifest.get("database", {}).get("vendor")
    if vendor != connection.vendor:
        raise BackupError(
            f"{path} holds a {vendor} database but DATABASE_URL points to {connection.vendor}; "
            "restore into the same kind of database."
        )
    return manifest


def _restore_database(vendor: str, dump: Path) -> None:
    if vendor == "postgresql":
        connection.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(dump)])  # fmt: skip
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def _restore_media(archive: tarfile.TarFile) -> int:
    """Regular files under media/ only, each kept inside MEDIA_ROOT (tarfile's `data` filter)."""
    media = Path(settings.MEDIA_ROOT)
    members = [m for m in archive.getmembers() if m.name.startswith("media/") and m.isfile()]
    for member in members:
        member.name = member.name.removeprefix("media/")
        archive.extract(member, media, filter="data")
    return len(members)


def backup_restore(*, path: Path, replace: bool = False) -> BackupSummary:
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    if not replace and not _database_is_empty():
        raise BackupError(
            "The database already holds data; restore into an empty database, "
            "or pass --replace to overwrite it."
        )
    try:
        with tarfile.open(path, "r") as archive, tempfile.TemporaryDirectory() as scratch:
            manifest = _read_manifest(archive, path)
            name = manifest["database"]["file"]
            try:
                member = archive.getmember(name)
            except KeyError:
                raise BackupError(f"{path} has no {name}.") from None
            dump = Path(scratch) / "database"
            with archive.extractfile(member) as packed, dump.open("wb") as unpacked:
                shutil.copyfileobj(packed, unpacked)
            _restore_database(manifest["database"]["vendor"], dump)
            media_files = _restore_media(archive)
    except tarfile.TarError as error:
        raise BackupError(f"{path} is not a readable backup: {error}.") from None
    vendor = manifest["database"]["vendor"]
    return BackupSummary(path=path, vendor=vendor, media_files=media_files, size=path.stat().st_size)
