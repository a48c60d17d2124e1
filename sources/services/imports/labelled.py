"""Label Studio and doccano: texts with labels, placed onto passages (or new sources)."""

from collections.abc import Iterable

from ...formats.records import LabelledText
from .context import ImportContext
from .placer import PassageSpot, Placer
from .writer import AnnotationWriter


def import_labelled(context: ImportContext, texts: Iterable[LabelledText], status: str) -> None:
    writer = AnnotationWriter(context)
    placer = Placer(context)
    for item in texts:
        for kind, example in item.skipped:
            context.report.skip(kind, example)
        if not item.labels:
            continue
        spot = placer.passage_with_text(item.text)
        passages: list[PassageSpot] = []
        if spot is None:
            source_id = placer.source_with_text(
                item.text, where=item.where, title=item.text[:80].split("\n")[0]
            )
            passages = placer.passages_of(source_id)
            if source_id in placer.created_sources:
                writer.new_passages |= {p.id for p in passages}
        for label in item.labels:
            theme = context.theme_for_label(label.label)
            author = context.user(label.author)
            targets = (
                [(spot, label.start, label.end)]
                if spot is not None
                else placer.pieces(passages, label.start, label.end)
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
    writer.flush()
