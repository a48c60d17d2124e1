from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...ingest import IngestError, parse_document
from ...ingest.report import suspects

_KIND_WIDTH = 10


class Command(BaseCommand):
    help = (
        "Show how a .txt, .md or .pdf file would be split into passages, with their kinds and sections, "
        "and flag suspect ones (fragments, repeated lines, long unbroken words). Writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--language", help="ISO 639-1 code of the main language, e.g. en")
        parser.add_argument("--width", type=int, default=160, help="characters of each passage shown")
        parser.add_argument("--suspects", action="store_true", help="show only the suspect passages")

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        width: int = options["width"]
        if width < 20:
            raise CommandError("--width must be at least 20")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror})") from exc
        try:
            document = parse_document(data, path.name, options["language"])
        except IngestError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        flagged = suspects(document)
        kinds = Counter(passage.kind for passage in document.passages)
        self.stdout.write(
            f"{path.name}: {len(document.passages)} passages ("
            + ", ".join(f"{kind} {count}" for kind, count in kinds.most_common())
            + f"), language {document.language}"
            + (f', title "{document.title}"' if document.title else "")
        )
        for passage in document.passages:
            reasons = flagged.get(passage.ordinal, [])
            if options["suspects"] and not reasons:
                continue
            section = f"§ {passage.section[:40]} | " if passage.section and passage.kind != "heading" else ""
            text = passage.text if len(passage.text) <= width else passage.text[: width - 1] + "…"
            note = f"→ {passage.attached_to} " if passage.attached_to is not None else ""
            self.stdout.write(f"{passage.ordinal:5} {passage.kind:<{_KIND_WIDTH}} {note}{section}{text}")
            for reason in reasons:
                self.stdout.write(f"{'':6}! {reason}")
        reasons = Counter(reason.split(":")[0] for found in flagged.values() for reason in found)
        summary = ", ".join(f"{reason} {count}" for reason, count in reasons.most_common())
        self.stdout.write(f"suspect passages: {len(flagged)}" + (f" ({summary})" if summary else ""))
