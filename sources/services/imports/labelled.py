"""Label Studio and doccano: texts with labels, placed onto passages (or new sources), a batch at a time."""

from collections.abc import Iterable

from ...formats.records import LabelledText
from ..bulk_rows import batched
from .context import ImportContext
from .placer import GivenText, PassageSpot, Placer
from .writer import BATCH, AnnotationWriter


def import_labelled(context: ImportContext, texts: Iterable[LabelledText], status: str) -> None:
    writer = AnnotationWriter(context)
    placer = Placer(context)
    # Passages the import creates hold only what it writes: the writer need not look for duplicates there.
    writer.new_passages = placer.created_passages
    for batch in batched(texts, BATCH):
        for item in batch:
            for kind, example in item.skipped:
                context.report.skip(kind, example)
        labelled = [item for item in batch if item.labels]
        places = placer.place(
            [GivenText(item.text, where=item.where, title=item.text[:80].split("\n")[0]) for item in labelled]
        )
        for item, place in zip(labelled, places, strict=True):
            _add_labels(context, writer, item, place, status)
    writer.flush()


def _add_labels(
    context: ImportContext,
    writer: AnnotationWriter,
    item: LabelledText,
    place: PassageSpot | list[PassageSpot],
    status: str,
) -> None:
    for label in item.labels:
        theme = context.theme_for_label(label.label)
        author = context.user(label.author)
        targets = (
            [(place, label.start, label.end)]
            if isinstance(place, PassageSpot)
            else Placer.pieces(place, label.start, label.end)
        )
        for target, start, end in targets:
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
                status=status,
            )
