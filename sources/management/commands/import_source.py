from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...ingest import IngestError
from ...services.errors import ConflictError
from ...services.sources import source_import
from ..arguments import file_and_project


class Command(BaseCommand):
    help = (
        "Ingest a .txt, .md or .pdf into passages of a project; prints the new source's id and passage count."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--project", required=True, help="project slug")
        parser.add_argument("--title")
        parser.add_argument("--authors", default="", help='authors separated by ";", e.g. "Doe J.; Roe R."')
        parser.add_argument("--year", type=int)
        parser.add_argument("--language", help="ISO 639-1 code of the main language, e.g. en")
        parser.add_argument("--citation", default="")

    def handle(self, *args, **options) -> None:
        path, project = file_and_project(options["file"], options["project"])
        try:
            source = source_import(
                project=project,
                data=path.read_bytes(),
                filename=path.name,
                title=options["title"],
                authors=[a for a in options["authors"].split(";") if a.strip()],
                year=options["year"],
                language=options["language"],
                citation=options["citation"],
            )
        except IngestError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except ConflictError as exc:
            raise CommandError(exc.message) from exc
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            raise CommandError(f"{path}: {problems}") from exc
        self.stdout.write(f"source {source.pk}: {source.passages.count()} passages")
