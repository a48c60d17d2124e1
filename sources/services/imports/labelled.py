"""Label Studio, doccano, brat and CAS XMI: texts with labels, placed onto passages (or new sources),
a batch at a time."""

from collections.abc import Iterable

from ...formats.records import FormatError, LabelledText, ThemeRecord, codebook_order
from ...models import AnnotationStatus
from ..bulk_rows import batched
from .context import ImportContext
from .placer import GivenText, PassageSpot, Placer
from .suggestions import SuggestionWriter
from .writer import BATCH, AnnotationWriter


def import_labelled(context: ImportContext, texts: Iterable[LabelledText], status: str) -> None:
    writer = AnnotationWriter(context)
    suggestions = SuggestionWriter(context)
    placer = Placer(context)
    # Passages the import creates hold only what it writes: the writer need not look for duplicates there.
    writer.new_passages = placer.created_passages
    for batch in batched(texts, BATCH):
        for item in batch:
            for kind, example in item.skipped:
                context.report.skip(kind, example)
        kept = [item for item in batch if item.labels or item.predictions or item.document]
        places = placer.place(
            [
                GivenText(
                    item.text,
                    where=item.where,
                    title=item.title or item.text[:80].split("\n")[0],
                    document=item.document,
                )
                for item in kept
            ]
        )
        for item, place in zip(kept, places, strict=True):
            _add_labels(context, writer, item, place, status)
            _add_predictions(context, suggestions, item, place)
        suggestions.flush()
    writer.flush()


def _targets(
    place: PassageSpot | list[PassageSpot], start: int | None, end: int | None, whole: bool = False
) -> list[tuple[PassageSpot, int | None, int | None]]:
    """Where a label of a text goes: the passage the text is, or the pieces of a source's passages."""
    if isinstance(place, PassageSpot):
        return [(place, start, end)]
    return list(Placer.pieces(place, start, end, whole=whole))


def _add_labels(
    context: ImportContext,
    writer: AnnotationWriter,
    item: LabelledText,
    place: PassageSpot | list[PassageSpot],
    status: str,
) -> None:
    for label in item.labels:
        if label.status is not None and label.status not in AnnotationStatus.values:
            known = ", ".join(AnnotationStatus.values)
            raise FormatError(label.where, "status", f"unknown status '{label.status}'; use one of {known}")
        theme = context.theme_for_label(label.label)
        author = context.user(label.author)
        for target, start, end in _targets(place, label.start, label.end, label.whole):
            writer.add(
                passage_id=target.id,
                passage_text=target.text,
                theme=theme,
                author=author,
                start=start,
                end=end,
                created=label.created,
                updated=label.updated,
                note=label.note,
                status=label.status or status,
            )


def _add_predictions(
    context: ImportContext,
    suggestions: SuggestionWriter,
    item: LabelledText,
    place: PassageSpot | list[PassageSpot],
) -> None:
    for prediction in item.predictions:
        theme = context.theme_for_label(prediction.label)
        for target, start, end in _targets(place, prediction.start, prediction.end):
            suggestions.add(
                passage_id=target.id,
                passage_text=target.text,
                theme=theme,
                start=start,
                end=end,
                score=prediction.score,
            )


def codebook_from_file(context: ImportContext, themes: list[ThemeRecord]) -> None:
    """Themes a file's own codebook declares (brat's annotation.conf, an XMI's tagset) that the
    project lacks, created with their parents, names and colours when the import may create themes."""
    if not context.create_themes:
        return
    known = {t.slug for t in themes}
    for record in codebook_order(themes):
        if record.slug in context.themes or record.name.casefold() in context.themes_by_name:
            continue
        parent = context.themes.get(record.parent) if record.parent in known else None
        context.new_theme(record.slug, record.name, parent, color=record.color, order=record.order)
