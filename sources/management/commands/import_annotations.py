from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...formats.records import FormatError
from ...services.imports import FORMATS, ImportRefused, annotations_import
from ..arguments import file_and_project


class Command(BaseCommand):
    help = (
        "Import annotations into a project, all or nothing: our jsonl or qdpx, a REFI-QDA codebook (qdc), "
        "a Label Studio JSON export, a doccano export, a brat collection (zip) or UIMA CAS XMI from "
        "INCEpTION (zip). Offsets are Unicode code points."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--project", required=True, help="project slug")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument(
            "--as", dest="as_user", help="username credited with work whose author is unknown here"
        )
        parser.add_argument(
            "--create-themes", action="store_true", help="add themes the codebook lacks instead of refusing"
        )
        parser.add_argument(
            "--add-members",
            action="store_true",
            help="users of this server named in the file join the project as annotators",
        )

    def handle(self, *args, **options) -> None:
        path, project = file_and_project(options["file"], options["project"])
        as_user = None
        if options["as_user"]:
            as_user = get_user_model().objects.filter(username=options["as_user"]).first()
            if as_user is None:
                raise CommandError(f"No user '{options['as_user']}' (--as).")
        try:
            with path.open("rb") as handle:
                report = annotations_import(
                    project=project,
                    file=handle,
                    format=options["format"],
                    as_user=as_user,
                    create_themes=options["create_themes"],
                    add_members=options["add_members"],
                )
        except FormatError as exc:
            raise CommandError(f"{path}: {exc} — nothing was imported.") from exc
        except ImportRefused as exc:
            raise CommandError(f"{path}: {exc} Nothing was imported.") from exc
        except ValidationError as exc:
            raise CommandError(f"{path}: {'; '.join(exc.messages)} — nothing was imported.") from exc
        self.stdout.write(report.summary())
