"""REFI-QDA: a qdpx project's codes, sources and codings, or a qdc codebook alone."""

from ...formats.records import FormatError
from ...formats.refi_qda import code_guid
from ...formats.refi_qda_read import QdaProject, QdaSelection
from ...models import AnnotationStatus, Source, Theme
from .context import ImportContext
from .placer import GivenText, PassageSpot, Placer
from .writer import AnnotationWriter


def import_qda(context: ImportContext, qda: QdaProject) -> None:
    codes: dict[str, Theme | None] = {}
    by_guid = {code_guid(slug): theme for slug, theme in context.themes.items()}
    for code in qda.codes:  # parents come before their children
        theme = by_guid.get(code.guid) or context.themes_by_name.get(code.name.casefold())
        if theme is None:
            if context.create_themes:
                theme = context.new_theme(
                    code.name,
                    code.name,
                    codes.get(code.parent) if code.parent else None,
                    description=code.description,
                    color=code.color,
                    order=code.order,
                )
            else:
                context.unknown_themes.add(code.name)
        codes[code.guid] = theme
    for kind, example in qda.skipped:
        context.report.skip(kind, example)
    writer = AnnotationWriter(context)
    placer = Placer(context)
    for source in qda.sources:  # read one at a time, with its selections
        where = f"project.qde, TextSource '{source.name}'"
        # A source without codings is still a source of the project.
        [source_id] = placer.sources_with_texts(
            [GivenText(source.text, where=where, title=source.name, citation=source.description)]
        )
        _keep_notes(source_id, source.notes)
        passages = placer.passages_of(source_id)
        if source_id in placer.created_sources:
            writer.new_passages = {p.id for p in passages}
        for selection in source.selections:
            _import_selection(context, writer, placer, passages, selection, codes, qda.users, where)
        writer.forget_new()


def _import_selection(
    context: ImportContext,
    writer: AnnotationWriter,
    placer: Placer,
    passages: list[PassageSpot],
    selection: QdaSelection,
    codes: dict[str, Theme | None],
    users: dict[str, str],
    where: str,
) -> None:
    quote = _covered_text(passages, selection)
    if not selection.codings:
        context.report.skip("selection without a code", "; ".join((quote, *selection.notes)))
        return
    if not quote.strip():
        context.report.skip("selection of blank text", f"{where}, {selection.start}:{selection.end}")
        return
    for coding in selection.codings:
        if coding.code not in codes:
            raise FormatError(
                f"{where}, PlainTextSelection {selection.guid}", "CodeRef", "names no Code of the codebook"
            )
        user_guid = coding.user or selection.user
        author = context.user(users.get(user_guid) if user_guid else None)
        created = selection.created or coding.created
        for spot, start, end in placer.pieces(passages, selection.start, selection.end, selection.name):
            writer.add(
                passage_id=spot.id,
                passage_text=spot.text,
                theme=codes[coding.code],
                author=author,
                start=start,
                end=end,
                created=created,
                updated=selection.modified or created,
                note="\n\n".join((*selection.notes, *coding.notes)),
                status=_status(selection, where),
            )


def _covered_text(passages: list[PassageSpot], selection: QdaSelection) -> str:
    """The passages' text a selection covers (what the report quotes)."""
    return " ".join(
        spot.text[start or 0 : len(spot.text) if end is None else end]
        for spot, start, end in Placer.pieces(passages, selection.start, selection.end)
    )


def _status(selection: QdaSelection, where: str) -> str:
    if selection.status is None:
        return AnnotationStatus.DRAFT
    if selection.status not in AnnotationStatus.values:
        raise FormatError(
            f"{where}, PlainTextSelection {selection.guid}",
            "Set",
            f"unknown review status '{selection.status}'",
        )
    return selection.status


def _keep_notes(source_id: int, notes: tuple[str, ...]) -> None:
    """The notes on a source become the source's notes; notes it already has are not repeated."""
    if not notes:
        return
    kept = Source.objects.get(pk=source_id)
    fresh = [note for note in notes if note not in kept.notes]
    if fresh:
        kept.notes = "\n\n".join([*filter(None, [kept.notes]), *fresh])
        kept.save(update_fields=["notes"])
