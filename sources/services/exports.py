"""Exports: a project's data, filtered, as a stream of bytes in one of the export formats.

The command line, the API and background jobs all go through `export_stream`, so every entry point
writes the same bytes for the same data."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django_tasks import task

from ..formats.aif import export_aif
from ..formats.bibtex import export_bibtex
from ..formats.brat import export_brat
from ..formats.csvfile import export_csv
from ..formats.jsonl import export_jsonl
from ..formats.parquet import export_parquet
from ..formats.records import Dataset
from ..formats.refi_qda import export_qdc, export_qdpx
from ..formats.w3c import export_w3c, export_w3c_page
from ..formats.xmi import export_xmi
from ..models import AnnotationStatus, ExportJob, JobStatus, Project, Session, Source, Theme
from ..selectors.exports import ExportFilters, ProjectExport, export_dataset


@dataclass(frozen=True)
class ExportFormat:
    name: str
    extension: str
    content_type: str
    binary: bool  # not for a terminal: the command refuses stdout
    write: Callable[[Dataset, ProjectExport, dict], Iterator[bytes]]
    label: str = ""


def _w3c(dataset: Dataset, stream: ProjectExport, options: dict) -> Iterator[bytes]:
    total = stream.count() + stream.comment_count()
    collection = options.get("collection") or f"urn:sco-annot:project:{dataset.project}:w3c"
    page_size = options.get("page_size")
    if options.get("page") is not None and page_size:
        if options["page"] > max(0, (total - 1) // page_size):
            message = f"The collection has {total} annotation(s): page {options['page']} is past its end."
            raise Http404(message)
        return export_w3c_page(
            dataset, total=total, collection=collection, page=options["page"], page_size=page_size
        )
    return export_w3c(dataset, total=total, collection=collection, page_size=page_size)


FORMATS: dict[str, ExportFormat] = {}


def register(fmt: ExportFormat) -> None:
    FORMATS[fmt.name] = fmt


register(
    ExportFormat(
        "csv",
        "csv",
        "text/csv; charset=utf-8",
        False,
        lambda d, s, o: export_csv(d, raw=bool(o.get("raw"))),
        "CSV",
    )
)
register(
    ExportFormat(
        "jsonl",
        "jsonl",
        "application/x-ndjson; charset=utf-8",
        False,
        lambda d, s, o: export_jsonl(d),
        "JSONL",
    )
)
register(
    ExportFormat(
        "parquet",
        "parquet",
        "application/vnd.apache.parquet",
        True,
        lambda d, s, o: export_parquet(d),
        "Parquet",
    )
)
register(
    ExportFormat("qdpx", "qdpx", "application/zip", True, lambda d, s, o: export_qdpx(d), "REFI-QDA project")
)
register(
    ExportFormat(
        "qdc",
        "qdc",
        "application/xml; charset=utf-8",
        False,
        lambda d, s, o: export_qdc(d),
        "REFI-QDA codebook",
    )
)
register(
    ExportFormat("aif", "json", "application/json", False, lambda d, s, o: export_aif(d), "AIF argument map")
)
register(
    ExportFormat(
        "bib",
        "bib",
        "application/x-bibtex; charset=utf-8",
        False,
        lambda d, s, o: export_bibtex(d.sources),
        "BibTeX",
    )
)
register(ExportFormat("w3c", "jsonld", "application/ld+json", False, _w3c, "W3C Web Annotation"))
register(
    ExportFormat("brat", "brat.zip", "application/zip", True, lambda d, s, o: export_brat(d), "brat standoff")
)


register(
    ExportFormat(
        "xmi", "xmi.zip", "application/zip", True, lambda d, s, o: export_xmi(d), "UIMA CAS XMI (INCEpTION)"
    )
)


@dataclass(frozen=True)
class ExportStream:
    filename: str
    content_type: str
    chunks: Iterator[bytes]
    binary: bool


def export_filters(
    *,
    project: Project,
    status: str | None = None,
    theme: str | None = None,
    source: int | str | None = None,
    session: int | str | None = None,
    author: str | None = None,
) -> ExportFilters:
    """Check filter values against the project; a ValidationError names the bad one."""
    if status and status not in AnnotationStatus.values:
        raise ValidationError(
            {"status": f"Unknown status '{status}'; use one of {', '.join(AnnotationStatus.values)}."}
        )
    if theme and not Theme.objects.filter(project=project, slug=theme).exists():
        raise ValidationError({"theme": f"The project has no theme '{theme}'."})
    numbers = {}
    for name, value, model in (("source", source, Source), ("session", session, Session)):
        if value in (None, ""):
            numbers[name] = None
            continue
        try:
            numbers[name] = int(value)
        except (TypeError, ValueError):
            raise ValidationError({name: f"Give the {name} as a number, not '{value}'."}) from None
        if not model.objects.filter(project=project, pk=numbers[name]).exists():
            raise ValidationError({name: f"The project has no {name} {value}."})
    if author and not get_user_model().objects.filter(username=author).exists():
        raise ValidationError({"author": f"No user '{author}'."})
    return ExportFilters(
        status=status or None,
        theme=theme or None,
        source=numbers["source"],
        session=numbers["session"],
        author=author or None,
    )


def export_stream(
    *,
    project: Project,
    format: str,
    filters: ExportFilters | None = None,
    viewer: AbstractBaseUser | None = None,
    pseudonymise: bool = False,
    progress: Callable[[int], None] | None = None,
    **options: object,
) -> ExportStream:
    fmt = FORMATS.get(format)
    if fmt is None:
        raise ValidationError(
            {"format": f"Unknown format '{format}'; use one of {', '.join(sorted(FORMATS))}."}
        )
    dataset, stream = export_dataset(
        project=project, filters=filters, viewer=viewer, pseudonymise=pseudonymise
    )
    stream.progress = progress
    return ExportStream(
        filename=f"{project.slug}.{fmt.extension}",
        content_type=fmt.content_type,
        chunks=fmt.write(dataset, stream, options),
        binary=fmt.binary,
    )


# --- background jobs ------------------------------------------------------------------------------

PROGRESS_EVERY = 5000
FILTER_NAMES = ("status", "theme", "source", "session", "author")


def export_job_start(*, project: Project, user: AbstractBaseUser, format: str, filters: dict) -> ExportJob:
    """Queue an export for the task worker; the filters are checked now, so a bad one fails here."""
    if format not in FORMATS:
        raise ValidationError(
            {"format": f"Unknown format '{format}'; use one of {', '.join(sorted(FORMATS))}."}
        )
    given = {name: filters[name] for name in FILTER_NAMES if filters.get(name) not in (None, "")}
    checked = export_filters(project=project, **given)
    total = export_dataset(project=project, filters=checked, viewer=user)[1].count()
    job = ExportJob.objects.create(
        project=project, requested_by=user, format=format, filters=given, total=total
    )
    export_job_task.enqueue(job.pk)
    return job


@task()
def export_job_task(job_id: int) -> None:
    export_job_run(job_id=job_id)


def export_job_run(*, job_id: int) -> ExportJob:
    """Write the job's export under MEDIA_ROOT/exports/, telling the job how far it got as it goes."""
    job = ExportJob.objects.select_related("project", "requested_by").get(pk=job_id)
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    written = 0

    def progress(count: int) -> None:
        nonlocal written
        before = written
        written += count
        if written // PROGRESS_EVERY != before // PROGRESS_EVERY:
            ExportJob.objects.filter(pk=job.pk).update(done=written)

    try:
        filters = export_filters(project=job.project, **job.filters)
        export = export_stream(
            project=job.project,
            format=job.format,
            filters=filters,
            viewer=job.requested_by,
            progress=progress,
        )
        name = f"exports/{job.project.slug}/{job.pk}-{export.filename}"
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        with path.open("wb") as handle:
            for chunk in export.chunks:
                handle.write(chunk)
                size += len(chunk)
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc), finished=timezone.now()
        )
        raise
    written_for = export_dataset(project=job.project, filters=filters, viewer=job.requested_by)[1]
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        blind_work=written_for.blind_work(),
        done=written,
        file=name,
        filename=export.filename,
        size=size,
        finished=timezone.now(),
    )
    job.refresh_from_db()
    return job
