from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...services.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the media files into one tar file (docs/deploy.md, Backups)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", type=Path, default=Path("backups"), help="directory (default: backups)"
        )

    def handle(self, *args, **options) -> None:
        try:
            summary = backup_create(output=options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        media = f"{summary.media_files} media files"
        self.stdout.write(f"{summary.path} ({summary.vendor} database, {media}, {summary.size:,} bytes)")
