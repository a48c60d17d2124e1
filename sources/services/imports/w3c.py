"""W3C Web Annotation: tags and comment threads onto the project's sources, found by checksum.

A W3C file holds no source text, only its SHA-256: its sources must be in the project already
(imported from our JSONL, or uploaded). Each annotation lands on the passage that holds its span; a
span that is a whole passage tags (or comments on) the passage."""

from bisect import bisect_right
from collections.abc import Iterable

from ...formats.records import FormatError, PassageCommentRecord
from ...formats.w3c_read import WebAnnotation
from ...models import AnnotationStatus, Passage, Source
from .comments import comments_import
from .context import ImportContext
from .writer import AnnotationWriter


class _Passages:
    """The passages of the project's sources, by checksum, to place a span of a source's text."""

    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.sources: dict[str, list[tuple[int, int, int, str]]] = {}

    def place(self, annotation: WebAnnotation) -> tuple[int, str, int | None, int | None]:
        """(passage id, passage text, start, end) of the span, start and end None for all of it."""
        if annotation.sha256 not in self.sources:
            source = Source.objects.filter(project=self.context.project, sha256=annotation.sha256).first()
            if source is None:
                raise FormatError(
                    annotation.where, "target.source",
                    "no source of the project has this text (SHA-256); import or upload the source first",
                )  # fmt: skip
            rows = Passage.objects.filter(source=source).order_by("start")
            self.sources[annotation.sha256] = list(rows.values_list("start", "end", "id", "text"))
        passages = self.sources[annotation.sha256]
        index = bisect_right([start for start, *_ in passages], annotation.start) - 1
        if index < 0 or annotation.end > passages[index][1]:
            raise FormatError(
                annotation.where, "target.selector",
                f"{annotation.start}:{annotation.end} is not within one passage of the source",
            )  # fmt: skip
        start, end, pk, text = passages[index]
        if annotation.start == start and annotation.end == end:
            return pk, text, None, None
        return pk, text, annotation.start - start, annotation.end - start


def import_w3c(context: ImportContext, annotations: Iterable[WebAnnotation]) -> None:
    passages = _Passages(context)
    writer = AnnotationWriter(context)
    threads: dict[int, list[PassageCommentRecord]] = {}
    known: dict[str, tuple[int, int]] = {}  # a comment's IRI -> (passage id, index in its thread list)
    for annotation in annotations:
        if annotation.kind == "replying":
            if annotation.replying_to not in known:
                raise FormatError(
                    annotation.where, "target", f"{annotation.replying_to!r} is no comment before this reply"
                )
            passage_id, parent = known[annotation.replying_to]
            start = end = None
            quote = ""
        elif annotation.kind in {"tagging", "commenting"}:
            passage_id, text, start, end = passages.place(annotation)
            quote, parent = (text[start:end] if start is not None else ""), None
        else:
            context.report.skip(f"W3C '{annotation.kind or 'unmotivated'}' annotation", annotation.id)
            continue
        if annotation.kind == "tagging":
            writer.add(
                passage_id=passage_id,
                passage_text=text,
                theme=context.theme_by_path(annotation.value, annotation.value),
                author=context.user(annotation.author),
                start=start,
                end=end,
                created=annotation.created,
                updated=annotation.modified,
                note=annotation.note,
                status=AnnotationStatus.SUBMITTED,
            )
            continue
        thread = threads.setdefault(passage_id, [])
        known[annotation.id] = (passage_id, len(thread))
        thread.append(
            PassageCommentRecord(
                author=annotation.author,
                text=annotation.value,
                created=annotation.created,
                start=start,
                end=end,
                quote=quote,
                reply_to=parent,
                edited=annotation.modified if annotation.modified != annotation.created else None,
                deleted=None if annotation.has_body else annotation.modified,
            )
        )
    writer.flush()
    for passage_id, records in threads.items():
        comments_import(context, passage_id, records)
