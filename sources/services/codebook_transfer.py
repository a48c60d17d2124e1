"""Codebook import and export: REFI-QDA `qdc` (through the project import) and the project's JSON,
which also carries each theme's coding rules and anchor examples."""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from ..formats.codebook_json import AnchorRecord, CodebookTheme, export_codebook_json, read_codebook_json
from ..formats.records import Dataset, ThemeRecord
from ..formats.refi_qda import export_qdc
from ..models import Passage, Project, Theme, ThemeAnchor
from ..selectors.codebook import codebook_of
from .codebook import theme_create
from .imports import annotations_import
from .theme_anchors import anchor_add

CODEBOOK_FORMATS = {"qdc": ("qdc", "application/xml; charset=utf-8"), "json": ("json", "application/json")}


@dataclass
class CodebookImportReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    anchors_added: int = 0
    anchors_missing: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{len(self.created)} theme(s) added"]
        if self.existing:
            parts.append(f"{len(self.existing)} already in the codebook, left as they are")
        if self.anchors_added or self.anchors_missing:
            parts.append(f"{self.anchors_added} anchor example(s) added")
        if self.anchors_missing:
            parts.append(f"{self.anchors_missing} anchor(s) skipped: their passage is not in this project")
        return "; ".join(parts) + "." + "".join(f" {note}" for note in self.notes)


def _anchor_records(anchors: list[ThemeAnchor]) -> tuple[AnchorRecord, ...]:
    return tuple(
        AnchorRecord(
            source=a.passage.source.sha256,
            passage=a.passage.ordinal,
            start=a.start,
            end=a.end,
            quote=a.quote,
            note=a.note,
        )
        for a in anchors
    )


def codebook_export(*, project: Project, format: str) -> tuple[str, str, Iterator[bytes]]:
    """(file name, content type, bytes) of the project's codebook in `format` (qdc or json)."""
    if format not in CODEBOOK_FORMATS:
        raise ValidationError({"format": f"Unknown codebook format '{format}'; use qdc or json."})
    themes = codebook_of(project)
    slugs = {theme.pk: theme.slug for theme in themes}
    extension, content_type = CODEBOOK_FORMATS[format]
    filename = f"{project.slug}-codebook.{extension}"
    records = [
        CodebookTheme(
            slug=t.slug,
            name=t.name,
            description=t.description,
            include=t.include,
            exclude=t.exclude,
            color=t.color,
            parent=slugs.get(t.parent_id),
            shortcut=t.shortcut,
            order=t.order,
            anchors=_anchor_records(t.anchor_list),
        )
        for t in themes
    ]
    if format == "qdc":
        # REFI-QDA codes have a name, colour and description only; rules and anchors stay behind.
        shared = ("slug", "name", "description", "color", "parent", "shortcut", "order")
        codes = tuple(ThemeRecord(**{name: getattr(r, name) for name in shared}) for r in records)
        dataset = Dataset(project=project.slug, name=project.name, themes=codes, users=())
        return filename, content_type, export_qdc(dataset)
    return filename, content_type, export_codebook_json(records)


def _create(
    project: Project, record: CodebookTheme, parent: Theme | None, report: CodebookImportReport
) -> Theme:
    fields = {
        "slug": record.slug,
        "name": record.name,
        "description": record.description,
        "include": record.include,
        "exclude": record.exclude,
        "color": record.color,
        "shortcut": record.shortcut,
        "order": record.order,
        "parent": parent,
    }
    # A colour or key this project cannot take does not sink the whole codebook: the theme comes in
    # without it, and the report says so.
    while True:
        try:
            with transaction.atomic():
                return theme_create(project=project, **fields)
        except ValidationError as error:
            problems = set(error.message_dict)
            droppable = problems & {"shortcut", "color"}
            if not droppable or problems - droppable or not droppable <= set(fields):
                raise ValidationError({f"theme '{record.slug}'": error.messages}) from error
            report.notes.append(f"'{record.slug}': {' '.join(error.messages)} It was imported without it.")
            for name in droppable:
                fields.pop(name)


def _import_json(project: Project, data: bytes, report: CodebookImportReport) -> None:
    records = read_codebook_json(data)
    themes = {t.slug: t for t in Theme.objects.filter(project=project)}
    known = {record.slug for record in records}
    pending = list(records)
    while pending:
        ready = [r for r in pending if r.parent is None or r.parent in themes or r.parent not in known]
        if not ready:
            raise ValidationError(
                {"parent": f"The themes {', '.join(r.slug for r in pending)} form a cycle."}
            )
        for record in ready:
            pending.remove(record)
            if record.slug in themes:
                report.existing.append(record.slug)
                continue
            themes[record.slug] = _create(project, record, themes.get(record.parent or ""), report)
            report.created.append(record.slug)
            for anchor in record.anchors:
                passage = (
                    Passage.objects.select_related("source")
                    .filter(source__project=project, source__sha256=anchor.source, ordinal=anchor.passage)
                    .first()
                )
                if passage is None:
                    report.anchors_missing += 1
                    continue
                anchor_add(
                    theme=themes[record.slug],
                    passage=passage,
                    start=anchor.start,
                    end=anchor.end,
                    note=anchor.note,
                )
                report.anchors_added += 1


@transaction.atomic
def codebook_import(*, project: Project, data: bytes, format: str) -> CodebookImportReport:
    """Add the file's themes the codebook lacks (themes with a known slug are left as they are);
    all or nothing. Raises FormatError or ValidationError naming the problem."""
    report = CodebookImportReport()
    if format == "qdc":
        result = annotations_import(project=project, file=io.BytesIO(data), format="qdc", create_themes=True)
        report.created = list(result.themes_created)
        return report
    if format == "json":
        _import_json(project, data, report)
        return report
    raise ValidationError({"format": f"Unknown codebook format '{format}'; use qdc or json."})
