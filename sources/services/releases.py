"""Dataset releases: the approved layer of a project frozen as a numbered zip.

The zip holds the data (CSV, JSONL, Parquet, REFI-QDA qdpx), the codebook (qdc), the sources
(BibTeX), the argument map (AIF), the agreement report of every session, a datasheet (README.md)
and a Frictionless `datapackage.json` listing every file with its size and sha256, which the
Frictionless validator passes, and the licence and contributors. A release is
written once: nothing changes or deletes it afterwards."""

import hashlib
import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from ..formats.records import Dataset, ThemeRecord, codebook_order
from ..formats.zip_members import zip_member
from ..models import (
    LICENCE_URLS,
    Annotation,
    AnnotationStatus,
    Evidence,
    Project,
    Release,
    Role,
    Session,
)
from ..selectors.export_pages import project_members_roles
from ..selectors.exports import ExportFilters, export_dataset, pseudonyms
from .exports import FORMATS
from .release_tables import analysis_tables

APPROVED = ExportFilters(status=AnnotationStatus.APPROVED)


@dataclass(frozen=True)
class ReleaseFile:
    path: str
    format: str
    mediatype: str
    description: str


FILES = [
    ("csv", ReleaseFile("data/annotations.csv", "csv", "text/csv", "One row per approved annotation.")),
    ("jsonl", ReleaseFile("data/passages.jsonl", "jsonl", "application/x-ndjson", "One line per passage.")),
    (
        "parquet",
        ReleaseFile("data/annotations.parquet", "parquet", "application/vnd.apache.parquet", "Typed."),
    ),
    (
        "qdpx",
        ReleaseFile("data/project.qdpx", "qdpx", "application/zip", "REFI-QDA project (NVivo, ATLAS.ti)."),
    ),
    ("qdc", ReleaseFile("codebook.qdc", "qdc", "application/xml", "The codebook, REFI-QDA.")),
    ("bib", ReleaseFile("sources.bib", "bib", "application/x-bibtex", "The sources, BibTeX.")),
    ("aif", ReleaseFile("arguments.aif.json", "json", "application/json", "Claims and evidence, AIF.")),
]


def _agreement(project: Project) -> list[dict]:
    """The agreement report of every session (sources.selectors.agreement); sessions where fewer than
    two annotators submitted have nothing to compare and are listed without scores."""
    from ..selectors.agreement import session_agreement

    reports = []
    for session in Session.objects.filter(project=project).order_by("opens_at", "pk"):
        submitted = session.submissions.count()
        if submitted < 2:
            reports.append(
                {"session": session.pk, "name": session.name, "annotators": submitted, "scores": None}
            )
            continue
        reports.append({"name": session.name, **session_agreement(project=project, session=session)})
    return reports


def _codebook_lines(themes: tuple[ThemeRecord, ...]) -> Iterator[str]:
    depth = {t.slug: t.path.count("/") for t in themes}
    for theme in codebook_order(themes):
        description = f": {theme.description}" if theme.description else ""
        yield f"{'  ' * depth[theme.slug]}- **{theme.name}** (`{theme.slug}`){description}"


def _datasheet(
    project: Project,
    release_number: int,
    when: str,
    dataset: Dataset,
    counts: dict,
    annotators: list[tuple[str, str, int]],
    agreement: list[dict],
    pseudonymised: bool,
    tables: list[str],
) -> str:
    lines = [
        f"# {project.name}: release {release_number}",
        "",
        f"Released {when} from sco-annot project `{project.slug}`. {project.description}".rstrip(),
        "",
        "This is the **approved layer**: annotations and evidence links a reviewer approved. Offsets count",
        "Unicode code points and are end-exclusive (`passage_text[start:end] == quote`; empty start/end tag",
        "the whole passage).",
        "",
        "## Counts",
        "",
        *(f"- {name.replace('_', ' ')}: {value}" for name, value in counts.items() if name != "by_status"),
        "",
        "## Review status of the whole project",
        "",
        *(f"- {status}: {n}" for status, n in counts.get("by_status", {}).items()),
        "",
        "## Sources",
        "",
    ]
    for source in dataset.sources:
        who = "; ".join(source.authors) or "unknown authors"
        year = f" ({source.year})" if source.year else ""
        cite = f" {source.citation}" if source.citation else ""
        entry = f"{who}{year}"
        lines.append(
            f"- *{source.title}*, {entry}{'' if entry.endswith('.') else '.'}{cite} sha256 `{source.sha256}`"
        )
    lines += ["", "## Codebook", "", *_codebook_lines(dataset.themes), "", *tables, "## Annotators", ""]
    if pseudonymised:
        lines += ["Pseudonymised on request: names are replaced by stable numbers.", ""]
    lines += [f"- {name} ({role}): {n} approved annotation(s)" for name, role, n in annotators]
    lines += ["", "## Agreement", ""]
    if not agreement:
        lines.append("No annotation sessions: no agreement to report.")
    for report in agreement:
        if report.get("scores", True) is None:
            lines.append(f"- {report['name']}: fewer than two annotators submitted; nothing to compare.")
        else:
            overall = report.get("overall", {})
            scores = ", ".join(f"{k} {v:.3f}" for k, v in overall.items() if isinstance(v, float))
            lines.append(f"- {report['name']}: {scores or 'no scores'} (details in agreement.json)")
    lines += [
        "",
        "## Files",
        "",
        *(f"- `{f.path}`: {f.description}" for _, f in FILES),
        "- `agreement.json`: agreement per session (Krippendorff's alpha, Cohen's and Fleiss' kappa).",
        "- `datapackage.json`: Frictionless Data Package with sizes and sha256 of every file.",
        "",
        "Load with pandas: `pandas.read_csv('data/annotations.csv')`, `pandas.read_parquet(...)`,",
        "`pandas.read_json('data/passages.jsonl', lines=True)`.",
        "",
        "## Licence",
        "",
        _licence_line(project),
        "",
    ]
    return "\n".join(lines)


def _licence_line(project: Project) -> str:
    if not project.licence:
        return "No licence chosen: all rights reserved; ask the project's owners before reusing the data."
    return f"{project.get_licence_display()} — `{project.licence}`, {LICENCE_URLS[project.licence]}"


def _licences(project: Project) -> list[dict]:
    """The Frictionless `licenses` property: the project's licence, or none when none is chosen."""
    if not project.licence:
        return []
    return [
        {
            "name": project.licence,
            "path": LICENCE_URLS[project.licence],
            "title": project.get_licence_display(),
        }
    ]


def _table_schema(*, typed_lists: bool) -> dict:
    """The Table Schema of the one-row-per-annotation columns: ids and offsets are integers (an empty
    cell is a whole-passage tag's missing offset), so pandas and `datasets` do not read them as floats.
    In CSV `claim_ids` is text joined by `;`; in Parquet a list of integers."""
    from ..formats.table import COLUMNS

    integer = {"source_id", "passage_id", "ordinal", "start", "end"}
    moments = {"created", "updated"}

    def field(column: str) -> dict:
        if column == "claim_ids" and typed_lists:
            return {"name": column, "type": "array", "arrayItem": {"type": "integer"}}
        kind = "integer" if column in integer else "datetime" if column in moments else "string"
        return {"name": column, "type": kind}

    return {"fields": [field(c) for c in COLUMNS], "missingValues": [""]}


def _resource(fmt: str, spec: ReleaseFile) -> dict:
    """A file's Frictionless resource. The CSV is the tabular resource, read and checked row by row
    against its schema. The others are files, checked by size and sha256: the Parquet file carries
    its own types (its schema is given for readers; Frictionless reads neither its list column nor
    its nullable integers), and the JSONL's lines are nested documents, not rows."""
    resource = {
        "name": spec.path.rsplit("/", 1)[-1].split(".")[0]
        + ("-" + fmt if fmt in {"parquet", "qdpx"} else ""),
        "type": "table" if fmt == "csv" else "file",
        "format": spec.format,
        "mediatype": spec.mediatype,
        "description": spec.description,
    }
    if fmt == "csv":
        resource.update(
            {
                "profile": "tabular-data-resource",
                "encoding": "utf-8-sig",
                "schema": _table_schema(typed_lists=False),
            }
        )
    elif fmt == "parquet":
        resource["schema"] = _table_schema(typed_lists=True)
    return resource


def _contributors(annotators: list[tuple[str, str, int]]) -> list[dict]:
    """Data Package contributors: whoever wrote approved annotations, and the project's owners and
    instructors, who reviewed and released them (names pseudonymised with the rest, if asked)."""
    contributors = []
    for name, role, approved in annotators:
        if approved:
            contributors.append({"title": name, "role": "author"})
        elif role in {Role.OWNER, Role.INSTRUCTOR}:
            contributors.append({"title": name, "role": "maintainer"})
    return contributors


@transaction.atomic
def release_create(
    *, project: Project, user: AbstractBaseUser, title: str = "", notes: str = "", pseudonymise: bool = False
) -> Release:
    # The project row lock numbers releases one after the other, even when two are asked at once.
    Project.objects.select_for_update().get(pk=project.pk)
    number = (Release.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    when = now.strftime("%Y-%m-%d")
    name = f"releases/{project.slug}/{project.slug}-release-{number}.zip"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)

    dataset, stream = export_dataset(project=project, filters=APPROVED, pseudonymise=pseudonymise)
    approved = Annotation.objects.filter(passage__source__project=project, status=AnnotationStatus.APPROVED)
    by_author = Counter(dict(approved.values_list("author__username").annotate(n=Count("id")).order_by()))
    roles = project_members_roles(project)
    aliases = pseudonyms(list(set(roles) | set(by_author))) if pseudonymise else {}
    annotators = sorted(
        (aliases.get(u, u), roles.get(u, "former member"), by_author.get(u, 0))
        for u in set(roles) | set(by_author)
    )
    everything = Annotation.objects.filter(passage__source__project=project)
    counts = {
        "sources": stream.sources().count(),
        "approved_annotations": approved.count(),
        "passages_with_approved_annotations": approved.values("passage_id").distinct().count(),
        "approved_evidence_links": Evidence.objects.filter(
            claim__project=project, status=AnnotationStatus.APPROVED
        ).count(),
        "themes": len(dataset.themes),
        "annotators": len([a for a in annotators if a[2]]),
        "by_status": dict(everything.values_list("status").annotate(n=Count("id")).order_by("status")),
    }
    agreement = _agreement(project)
    if pseudonymise:
        agreement = json.loads(_replace_names(json.dumps(agreement), aliases))

    resources = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(file_path: str, chunks: Iterator[bytes] | bytes, resource: dict) -> None:
            digest, size = hashlib.sha256(), 0
            info = zip_member(f"{project.slug}-release-{number}/{file_path}")
            with archive.open(info, "w") as entry:
                for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
                    entry.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            resources.append(
                {**resource, "path": file_path, "bytes": size, "hash": f"sha256:{digest.hexdigest()}"}
            )

        for fmt, spec in FILES:
            release_dataset, release_stream = export_dataset(
                project=project, filters=APPROVED, pseudonymise=pseudonymise
            )
            add(spec.path, FORMATS[fmt].write(release_dataset, release_stream, {}), _resource(fmt, spec))
        add(
            "agreement.json",
            (json.dumps(agreement, ensure_ascii=False, indent=1) + "\n").encode(),
            {"name": "agreement", "type": "file", "format": "json", "mediatype": "application/json"},
        )
        tables = analysis_tables(project, user)
        datasheet = _datasheet(
            project, number, when, dataset, counts, annotators, agreement, pseudonymise, tables
        )
        add(
            "README.md",
            datasheet.encode("utf-8"),
            {"name": "datasheet", "type": "file", "format": "md", "mediatype": "text/markdown"},
        )
        package = {
            "profile": "data-package",
            "name": f"{project.slug}-release-{number}",
            "title": title or f"{project.name}, release {number}",
            "description": notes or project.description,
            "version": str(number),
            "created": now.isoformat(),
            "contributors": _contributors(annotators),
            **({"licenses": licences} if (licences := _licences(project)) else {}),
            "resources": resources,
        }
        info = zip_member(f"{project.slug}-release-{number}/datapackage.json")
        archive.writestr(info, json.dumps(package, ensure_ascii=False, indent=1) + "\n")

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return Release.objects.create(
        project=project,
        number=number,
        title=title or f"{project.name}, release {number}",
        notes=notes,
        pseudonymised=pseudonymise,
        created_by=user,
        file=name,
        sha256=digest.hexdigest(),
        size=path.stat().st_size,
        counts=counts,
        blind_work=stream.blind_work(),
    )


def _replace_names(text: str, aliases: dict[str, str]) -> str:
    for real, alias in sorted(aliases.items(), key=lambda item: -len(item[0])):
        text = text.replace(json.dumps(real), json.dumps(alias))
    return text
