import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...models import Project
from ...services.exports import FORMATS, export_filters, export_stream


def _problems(exc: ValidationError) -> str:
    return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())


class Command(BaseCommand):
    help = (
        "Export a project's tagged dataset. Offsets count Unicode code points, end-exclusive. "
        "Writes to stdout without --out (not for binary formats)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--project", required=True, help="project slug")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--status", help="draft, submitted, approved or rejected")
        parser.add_argument("--theme", help="theme slug (its sub-themes are included)")
        parser.add_argument("--source", help="source id")
        parser.add_argument("--session", help="session id")
        parser.add_argument("--author", help="username")
        parser.add_argument("--pseudonymise", action="store_true", help="replace usernames with annotator-NN")
        parser.add_argument(
            "--raw-csv",
            action="store_true",
            help="csv: write text cells as they are (by default a cell starting with =, +, -, @, tab or "
            "carriage return gets a leading ' so spreadsheets do not run it as a formula)",
        )
        parser.add_argument("--out", type=Path, help="file to write (default: stdout)")

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"No project with the slug '{options['project']}'.")
        try:
            filters = export_filters(
                project=project,
                status=options["status"],
                theme=options["theme"],
                source=options["source"],
                session=options["session"],
                author=options["author"],
            )
            export = export_stream(
                project=project,
                format=options["format"],
                filters=filters,
                pseudonymise=options["pseudonymise"],
                raw=options["raw_csv"],
            )
        except ValidationError as exc:
            raise CommandError(_problems(exc)) from exc
        out: Path | None = options["out"]
        if out is None:
            if export.binary:
                raise CommandError(f"{options['format']} is a binary format: give --out PATH.")
            target = getattr(self.stdout, "_out", sys.stdout)
            stream = getattr(target, "buffer", None)
            for chunk in export.chunks:
                if stream is not None:
                    stream.write(chunk)
                else:
                    target.write(chunk.decode("utf-8"))
            target.flush()
            return
        written = 0
        with out.open("wb") as handle:
            for chunk in export.chunks:
                handle.write(chunk)
                written += len(chunk)
        self.stderr.write(f"Wrote {written} bytes of {options['format']} to {out}.")
