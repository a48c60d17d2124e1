from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...services.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database of the same kind."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="the .tar file `manage.py backup` wrote")
        parser.add_argument("--replace", action="store_true", help="overwrite a database that holds data")

    def handle(self, *args, **options) -> None:
        try:
            summary = backup_restore(path=options["file"], replace=options["replace"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {summary.path}: {summary.vendor} database, {summary.media_files} media files."
        )
