"""Label Studio, doccano, brat and CAS XMI: texts with labels, placed onto passages (or new sources)."""

from collections.abc import Iterable

from ...formats.records import FormatError, LabelledText, ThemeRecord, codebook_order
from ...models import AnnotationStatus
from .context import ImportContext
from .placer import PassageSpot, Placer
from .writer import AnnotationWriter


def import_labelled(context: ImportContext, texts: Iterable[LabelledText], status: str) -> None:
    writer = AnnotationWriter(context)
    placer = Placer(context)
    for item in texts:
        for kind, example in item.skipped:
            context.report.skip(kind, example)
        if not item.labels and not item.document:
            continue
        spot = None if item.document else placer.passage_with_text(item.text)
        passages: list[PassageSpot] = []
        if spot is None:
            source_id = placer.source_with_text(
                item.text, where=item.where, title=item.title or item.text[:80].split("\n")[0]
            )
            passages = placer.passages_of(source_id)
            if source_id in placer.created_sources:
                writer.new_passages |= {p.id for p in passages}
        for label in item.labels:
            if label.status is not None and label.status not in AnnotationStatus.values:
                known = ", ".join(AnnotationStatus.values)
                problem = f"unknown status '{label.status}'; use one of {known}"
                raise FormatError(label.where, "status", problem)
            theme = context.theme_for_label(label.label)
            author = context.user(label.author)
            targets = (
                [(spot, label.start, label.end)]
                if spot is not None
                else placer.pieces(passages, label.start, label.end, whole=label.whole)
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
                    status=label.status or status,
                )
    writer.flush()


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
