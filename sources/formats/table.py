"""The one-row-per-annotation shape shared by CSV and Parquet (docs/formats.md).

`start`/`end` are code-point offsets into `passage_text`, end-exclusive; both empty means the
annotation tags the whole passage (then `quote` is empty too). `claim_ids` are the claims this
annotation, or its whole passage, is evidence for."""

from collections.abc import Iterator

from .records import AnnotationRecord, Dataset, PassageBundle

COLUMNS = (
    "project",
    "source_id",
    "source_title",
    "passage_id",
    "ordinal",
    "section",
    "passage_text",
    "theme",
    "theme_path",
    "start",
    "end",
    "quote",
    "note",
    "author",
    "status",
    "claim_ids",
    "created",
    "updated",
)


def row(project: str, bundle: PassageBundle, annotation: AnnotationRecord) -> tuple:
    return (
        project,
        bundle.source.id,
        bundle.source.title,
        bundle.passage.id,
        bundle.passage.ordinal,
        bundle.passage.section,
        bundle.passage.text,
        annotation.theme,
        annotation.theme_path,
        annotation.start,
        annotation.end,
        annotation.quote,
        annotation.note,
        annotation.author,
        annotation.status,
        annotation.claim_ids,
        annotation.created,
        annotation.updated,
    )


def rows(dataset: Dataset) -> Iterator[tuple]:
    for bundle, annotation in dataset.annotations():
        yield row(dataset.project, bundle, annotation)
