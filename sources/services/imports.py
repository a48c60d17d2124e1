"""Imports: annotations from our own JSONL and qdpx, from Label Studio and from doccano, all or nothing.

One transaction per import: sources are matched by checksum (or, for another tool's text, by a
passage with exactly that text) and created when missing; themes are matched by slug or name and
refused, all names listed, unless `create_themes`; users are matched by username (or e-mail) and
unknown ones become `as_user`. Any bad record raises before the transaction commits, so a failed
import leaves the database as it was. Rows are written with bulk inserts in batches, and the
timestamps a file carries are kept, so export -> import -> export gives the same file.
"""

import hashlib
import io
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from ..formats.doccano import read_doccano
from ..formats.jsonl import read_jsonl
from ..formats.label_studio import read_label_studio
from ..formats.records import DiscussionRecord, FormatError, LabelledText, PassageBundle
from ..formats.refi_qda import QdaProject, QdaSelection, code_guid, read_qdc, read_qdpx, whole_passage_name
from ..models import (
    Annotation,
    AnnotationStatus,
    Claim,
    Comment,
    Discussion,
    Evidence,
    Membership,
    Passage,
    Project,
    Relation,
    Session,
    Source,
    Theme,
)
from .errors import ConflictError
from .sources import source_save_with_passages

BATCH = 2000
STATUSES = frozenset(AnnotationStatus.values)
RELATIONS = frozenset(Relation.values)
FORMATS = ("jsonl", "qdpx", "label-studio", "doccano", "qdc")


class ImportRefused(Exception):
    """The import as a whole cannot go in (unknown themes or users); nothing was written."""


@dataclass
class ImportReport:
    format: str
    annotations_created: int = 0
    duplicates_skipped: int = 0
    sources_created: int = 0
    claims_created: int = 0
    evidence_created: int = 0
    themes_created: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.annotations_created} annotation(s) imported"]
        if self.duplicates_skipped:
            parts.append(f"{self.duplicates_skipped} already present and skipped")
        if self.sources_created:
            parts.append(f"{self.sources_created} source(s) created")
        if self.claims_created or self.evidence_created:
            parts.append(
                f"{self.claims_created} claim(s) and {self.evidence_created} evidence link(s) created"
            )
        if self.themes_created:
            parts.append(f"themes created: {', '.join(self.themes_created)}")
        return "; ".join(parts) + "."


def _batched(items: list, size: int) -> Iterator[list]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def insert_rows(
    model: type[Model], columns: list[str], rows: list[tuple], user: AbstractBaseUser | None
) -> list[int]:
    """Insert rows as they are (the file's `created`/`updated` included, which the ORM's auto_now
    would overwrite), with one history entry each; return their ids in order.

    COPY on PostgreSQL, multi-row INSERT ... RETURNING on SQLite: the ORM's bulk_create spends most
    of its time preparing each value, which an import of a million rows cannot afford. Values must
    be ready for the database (datetimes through `db_datetime`)."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's fast path; it returns nothing, so the ids come from the sequence first.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            buffer = io.StringIO()
            for pk, row in zip(ids, rows, strict=True):
                buffer.write(f"{pk}\t" + "\t".join(map(_copy_text, row)) + "\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({quote('id')}, {names}) FROM STDIN", buffer)
            _copy_history(cursor, model, columns, ids, rows, user)
            return ids
        else:
            one = "(" + ", ".join(["%s"] * len(columns)) + ")"
            for chunk in _batched(rows, max(1, 30_000 // len(columns))):
                values = ", ".join([one] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} ({names}) VALUES {values} RETURNING {quote('id')}",
                    [value for row in chunk for value in row],
                )
                ids.extend(row[0] for row in cursor.fetchall())
    _record_history(model, ids, user)
    return ids


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def db_datetime(moment: datetime) -> object:
    return connection.ops.adapt_datetimefield_value(moment)


def _history_fixed(user: AbstractBaseUser | None) -> dict[str, object]:
    return {
        "history_date": db_datetime(timezone.now()),
        "history_change_reason": "import",
        "history_type": "+",
        "history_user_id": user.pk if user is not None else None,
    }


def _copy_history(
    cursor,
    model: type[Model],
    columns: list[str],
    ids: list[int],
    rows: list[tuple],
    user: AbstractBaseUser | None,
) -> None:
    """PostgreSQL: the history entries COPYed from the rows in hand (a SELECT back from the table
    would be planned on statistics that do not know the rows just written)."""
    history = model.history.model
    quote = connection.ops.quote_name
    fixed = _history_fixed(user)
    targets = [f.column for f in history._meta.concrete_fields if f.column != "history_id"]
    position = {name: index for index, name in enumerate(["id", *columns])}
    buffer = io.StringIO()
    for pk, row in zip(ids, rows, strict=True):
        values = (pk, *row)
        buffer.write(
            "\t".join(_copy_text(values[position[c]] if c in position else fixed[c]) for c in targets) + "\n"
        )
    buffer.seek(0)
    names = ", ".join(quote(c) for c in targets)
    cursor.cursor.copy_expert(f"COPY {quote(history._meta.db_table)} ({names}) FROM STDIN", buffer)


def _record_history(model: type[Model], ids: list[int], user: AbstractBaseUser | None) -> None:
    """One "+" history entry per inserted row, copied by the database from the rows themselves."""
    history = model.history.model
    quote = connection.ops.quote_name
    own = {f.column for f in model._meta.concrete_fields}
    fixed = _history_fixed(user)
    targets, selects, params = [], [], []
    for column in (f.column for f in history._meta.concrete_fields):
        if column == "history_id":
            continue
        targets.append(quote(column))
        if column in own:
            selects.append(quote(column))
        else:
            selects.append("%s")
            params.append(fixed[column])
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(targets)}) "
        f"SELECT {', '.join(selects)} FROM {quote(model._meta.db_table)} WHERE {quote('id')} IN "
    )
    with connection.cursor() as cursor:
        for chunk in _batched(ids, 900):
            cursor.execute(sql + "(" + ", ".join(["%s"] * len(chunk)) + ")", params + chunk)


ANNOTATION_COLUMNS = [
    "passage_id",
    "theme_id",
    "author_id",
    "start",
    "end",
    "quote",
    "note",
    "status",
    "session_id",
    "version",
    "created",
    "updated",
]
EVIDENCE_COLUMNS = [
    "claim_id",
    "passage_id",
    "annotation_id",
    "relation",
    "author_id",
    "note",
    "status",
    "version",
    "created",
    "updated",
]


class _Context:
    """What an import resolves against the project: themes, users, sessions; and what it could not."""

    def __init__(
        self,
        project: Project,
        as_user: AbstractBaseUser | None,
        create_themes: bool,
        report: ImportReport,
        members_only: bool = False,
    ):
        self.project = project
        # Through the API, work is credited only to the project's members: an instructor cannot
        # put words in the mouth of someone outside the team.
        self.members = (
            set(Membership.objects.filter(project=project).values_list("user_id", flat=True))
            if members_only
            else None
        )
        self.as_user = as_user
        self.create_themes = create_themes
        self.report = report
        self.themes = {t.slug: t for t in Theme.objects.filter(project=project)}
        self.themes_by_name = {t.name.casefold(): t for t in self.themes.values()}
        self.users: dict[str, AbstractBaseUser | None] = {}
        self.sessions: dict[str, Session] = {}
        self.unknown_themes: set[str] = set()
        self.unknown_users: set[str] = set()
        self.now = timezone.now()

    # themes --------------------------------------------------------------------------------------

    def new_theme(self, slug_source: str, name: str, parent: Theme | None, **fields) -> Theme:
        base = slugify(slug_source)[:60] or "theme-" + hashlib.sha1(name.encode()).hexdigest()[:8]
        slug, n = base, 2
        while slug in self.themes:
            slug, n = f"{base}-{n}", n + 1
        order = fields.pop(
            "order", len([t for t in self.themes.values() if t.parent_id == getattr(parent, "pk", None)])
        )
        theme = Theme(project=self.project, slug=slug, name=name[:200], parent=parent, order=order, **fields)
        theme.full_clean()
        theme.save()
        self.themes[slug] = theme
        self.themes_by_name.setdefault(theme.name.casefold(), theme)
        self.report.themes_created.append(slug)
        return theme

    def theme_by_path(self, slug: str, path: str) -> Theme | None:
        """Our own files name a theme by slug and path (parent/child); missing parents come along."""
        if slug in self.themes:
            return self.themes[slug]
        if not self.create_themes:
            self.unknown_themes.add(slug)
            return None
        parent = None
        for part in (path or slug).split("/")[:-1]:
            parent = self.themes.get(part) or self.new_theme(
                part, part.replace("-", " ").capitalize(), parent
            )
        return self.new_theme(slug, slug.replace("-", " ").capitalize(), parent)

    def theme_for_label(self, label: str) -> Theme | None:
        """Another tool's label: a slug, a theme name (any case) or a name whose slug we know."""
        theme = (
            self.themes.get(label)
            or self.themes_by_name.get(label.casefold())
            or self.themes.get(slugify(label))
        )
        if theme is not None:
            return theme
        if not self.create_themes:
            self.unknown_themes.add(label)
            return None
        return self.new_theme(label, label, None)

    # users and sessions ----------------------------------------------------------------------------

    def user(self, name: str | None) -> AbstractBaseUser | None:
        if name is None:
            if self.as_user is None:
                self.unknown_users.add("(not named in the file)")
            return self.as_user
        if name not in self.users:
            User = get_user_model()
            found = User.objects.filter(username=name).first()
            if found is None and "@" in name:
                found = User.objects.filter(email__iexact=name).order_by("pk").first()
            if found is not None and self.members is not None and found.pk not in self.members:
                found = None
            self.users[name] = found
        user = self.users[name] or self.as_user
        if user is None:
            self.unknown_users.add(name)
        return user

    def session(self, name: str | None, opens_at: datetime) -> Session | None:
        if name is None:
            return None
        if name not in self.sessions:
            session = Session.objects.filter(project=self.project, name=name).order_by("pk").first()
            if session is None:
                # A session known only from the file: kept as a closed, historical container.
                session = Session.objects.create(
                    project=self.project,
                    name=name,
                    opens_at=opens_at,
                    closes_at=opens_at + timedelta(seconds=1),
                )
            self.sessions[name] = session
        return self.sessions[name]

    def finish(self) -> None:
        problems = []
        if self.unknown_themes:
            problems.append(
                f"Unknown themes: {', '.join(sorted(self.unknown_themes))}. Add them to the codebook, "
                "or import with --create-themes (create_themes) to add them."
            )
        if self.unknown_users:
            problems.append(
                f"Unknown users: {', '.join(sorted(self.unknown_users))}. Name a user to credit with --as."
            )
        if problems:
            raise ImportRefused(" ".join(problems))


class _AnnotationWriter:
    """Collects annotations and inserts them in batches, skipping any that already exist."""

    def __init__(self, context: _Context) -> None:
        self.context = context
        self.pending: list[tuple] = []
        self.keys: set[tuple] = set()
        # Passages this import created hold only what it wrote, which `new_keys` remembers: no need
        # to ask the database (whose statistics do not know about the new rows) for duplicates there.
        self.new_passages: set[int] = set()
        self.new_keys: set[tuple] = set()

    def add(
        self,
        *,
        passage_id: int,
        passage_text: str,
        theme: Theme | None,
        author: AbstractBaseUser | None,
        start: int | None,
        end: int | None,
        created: datetime | None,
        updated: datetime | None,
        note: str = "",
        status: str = AnnotationStatus.DRAFT,
        session: Session | None = None,
    ) -> None:
        if theme is None or author is None:
            return  # reported by the context at the end; keep reading to list every unknown name
        session_id = session.pk if session is not None else None
        key = (passage_id, theme.pk, author.pk, start, end, session_id)
        seen = self.new_keys if passage_id in self.new_passages else self.keys
        if key in seen:
            self.context.report.duplicates_skipped += 1
            return
        seen.add(key)
        created = created or self.context.now
        self.pending.append(
            (
                *key[:5],
                passage_text[start:end] if start is not None else "",
                note,
                status,
                session_id,
                1,
                db_datetime(created),
                db_datetime(updated or created),
            )
        )
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        known = {row[0] for row in self.pending} - self.new_passages
        existing = set(
            Annotation.objects.filter(passage_id__in=known).values_list(
                "passage_id", "theme_id", "author_id", "start", "end", "session_id"
            )
            if known
            else ()
        )
        fresh = [row for row in self.pending if (*row[:5], row[8]) not in existing]
        self.context.report.duplicates_skipped += len(self.pending) - len(fresh)
        insert_rows(Annotation, ANNOTATION_COLUMNS, fresh, self.context.as_user)
        self.context.report.annotations_created += len(fresh)
        self.pending, self.keys = [], set()

    def forget_new(self) -> None:
        """Call once a new source's annotations are all added: flush them and drop their keys."""
        self.flush()
        self.new_passages, self.new_keys = set(), set()


# --- placing another tool's texts onto our passages ----------------------------------------------


@dataclass(frozen=True)
class _PassageSpot:
    id: int
    ordinal: int
    start: int
    end: int
    text: str


class _Placer:
    """Finds where a text from another tool lives: a passage with exactly that text, a source with
    exactly that text, or a new source made from it by the ingester."""

    def __init__(self, context: _Context) -> None:
        self.context = context
        self._by_passage_text: dict[bytes, _PassageSpot] | None = None
        self._source_cache: tuple[int, list[_PassageSpot]] | None = None
        self.created_sources: set[int] = set()

    def _passage_index(self) -> dict[bytes, _PassageSpot]:
        if self._by_passage_text is None:
            index: dict[bytes, _PassageSpot] = {}
            rows = (
                Passage.objects.filter(source__project=self.context.project)
                .order_by("source__title", "source__sha256", "ordinal")
                .values_list("id", "ordinal", "start", "end", "text")
                .iterator(chunk_size=BATCH)
            )
            for pk, ordinal, start, end, text in rows:
                index.setdefault(
                    hashlib.sha1(text.encode()).digest(), _PassageSpot(pk, ordinal, start, end, text)
                )
            self._by_passage_text = index
        return self._by_passage_text

    def passages_of(self, source_id: int) -> list[_PassageSpot]:
        if self._source_cache is None or self._source_cache[0] != source_id:
            rows = Passage.objects.filter(source_id=source_id).order_by("ordinal")
            spots = [_PassageSpot(*row) for row in rows.values_list("id", "ordinal", "start", "end", "text")]
            self._source_cache = (source_id, spots)
        return self._source_cache[1]

    def passage_with_text(self, text: str) -> _PassageSpot | None:
        spot = self._passage_index().get(hashlib.sha1(text.encode()).digest())
        return spot if spot is not None and spot.text == text else None

    def source_with_text(self, text: str, *, where: str, title: str, citation: str = "") -> int:
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        found = (
            Source.objects.filter(project=self.context.project, sha256=sha)
            .values_list("id", flat=True)
            .first()
        )
        if found is not None:
            return found
        from .sources import source_import  # the ingester loads language models: only when needed

        try:
            source = source_import(
                project=self.context.project,
                data=text.encode("utf-8"),
                filename=f"{slugify(title)[:60] or 'imported'}.txt",
                title=title or where,
                citation=citation,
                added_by=self.context.as_user,
            )
        except ConflictError as exc:
            raise FormatError(where, "text", exc.message) from exc
        except ValidationError as exc:
            raise FormatError(where, "text", "; ".join(exc.messages)) from exc
        if source.text != text:
            raise FormatError(
                where,
                "text",
                "the text is not in the project, and the ingester normalizes it (whitespace, line breaks), "
                "so the file's offsets would not fit; import the document with import_source first",
            )
        self.context.report.sources_created += 1
        self.created_sources.add(source.pk)
        self._by_passage_text = None
        return source.pk

    @staticmethod
    def pieces(
        passages: list[_PassageSpot], start: int | None, end: int | None, whole_name: str | None = None
    ) -> Iterator[tuple[_PassageSpot, int | None, int | None]]:
        """A span of a source's text as spans of its passages (split where it crosses a boundary);
        None offsets (the whole text) tag every passage whole."""
        if start is None or end is None:
            for spot in passages:
                yield spot, None, None
            return
        # Passages are in text order: start at the one holding `start`, stop past `end`.
        first = max(0, bisect_right(passages, start, key=lambda spot: spot.start) - 1)
        for index in range(first, len(passages)):
            spot = passages[index]
            if spot.start > end:
                return
            if start == end and spot.start <= start <= spot.end:
                yield spot, start - spot.start, start - spot.start
                return
            lo, hi = max(start, spot.start), min(end, spot.end)
            if lo >= hi:
                continue
            if (lo, hi) == (spot.start, spot.end) and whole_name == whole_passage_name(spot.ordinal):
                yield spot, None, None
            else:
                yield spot, lo - spot.start, hi - spot.start


# --- the formats ----------------------------------------------------------------------------------


def _import_labelled(context: _Context, texts: Iterable[LabelledText], status: str) -> None:
    writer = _AnnotationWriter(context)
    placer = _Placer(context)
    for item in texts:
        if not item.labels:
            continue
        spot = placer.passage_with_text(item.text)
        passages: list[_PassageSpot] = []
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


def _import_qda(context: _Context, qda: QdaProject) -> None:
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
    writer = _AnnotationWriter(context)
    placer = _Placer(context)
    for source in qda.sources:
        where = f"project.qde, TextSource '{source.name}'"
        if not source.selections:
            continue
        source_id = placer.source_with_text(
            source.text, where=where, title=source.name, citation=source.description
        )
        passages = placer.passages_of(source_id)
        if source_id in placer.created_sources:
            writer.new_passages = {p.id for p in passages}
        for selection in source.selections:
            _import_selection(context, writer, placer, passages, selection, codes, qda.users, where)
        writer.forget_new()


def _import_selection(
    context: _Context,
    writer: _AnnotationWriter,
    placer: _Placer,
    passages: list[_PassageSpot],
    selection: QdaSelection,
    codes: dict[str, Theme | None],
    users: dict[str, str],
    where: str,
) -> None:
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
                note="\n\n".join(selection.notes),
            )


def _rebuild_source(context: _Context, where: str, group: list[tuple[str, PassageBundle]]) -> Source:
    """A source our JSONL names but the project lacks: its passages, joined by what lies between
    them, must give back the text whose sha256 the file names."""
    first = group[0][1].source
    passages = sorted({b.passage.ordinal: b.passage for _, b in group}.values(), key=lambda p: p.ordinal)
    text = ""
    for passage in passages:
        gap = passage.start - len(text)
        if gap < 0:
            raise FormatError(where, "passage.start", f"passage {passage.ordinal} overlaps the one before it")
        text += ("\n" * gap if gap != 2 else "\n\n") + passage.text
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != first.sha256:
        raise FormatError(
            where,
            "source.sha256",
            f"source '{first.title}' is not in the project and the file does not hold all of its passages "
            "(a filtered export?); import the source first",
        )
    source = Source(
        project=context.project,
        title=first.title[:500],
        authors=list(first.authors),
        year=first.year,
        language=first.language,
        citation=first.citation,
        filename=first.filename,
        text=text,
        sha256=first.sha256,
        added_by=context.as_user,
    )
    source_save_with_passages(source, passages)
    context.report.sources_created += 1
    return source


class _JsonlImport:
    def __init__(self, context: _Context) -> None:
        self.context = context
        self.writer = _AnnotationWriter(context)
        self.claims: dict[tuple[str, str], Claim | None] = {}
        self.claim_sources: list[tuple[Claim, str]] = []

    def run(self, lines: Iterable[bytes]) -> None:
        group: list[tuple[str, PassageBundle]] = []
        seen: set[str] = set()
        for where, bundle in read_jsonl(lines):
            if group and bundle.source.sha256 != group[0][1].source.sha256:
                self._group(group, seen)
                group = []
            group.append((where, bundle))
        if group:
            self._group(group, seen)
        for claim, sha in self.claim_sources:
            claim.source = Source.objects.filter(project=self.context.project, sha256=sha).first()
            claim.save(update_fields=["source"])

    def _group(self, group: list[tuple[str, PassageBundle]], seen: set[str]) -> None:
        where, first = group[0]
        sha = first.source.sha256
        if sha in seen:
            raise FormatError(where, "source.sha256", "the lines of a source must follow each other")
        seen.add(sha)
        source = Source.objects.filter(project=self.context.project, sha256=sha).first()
        created = source is None
        if created:
            source = _rebuild_source(self.context, where, group)
        passages = {
            ordinal: (pk, text)
            for pk, ordinal, text in Passage.objects.filter(source=source).values_list(
                "id", "ordinal", "text"
            )
        }
        if created:
            self.writer.new_passages = {pk for pk, _ in passages.values()}
        links, threads = [], []
        for where, bundle in group:
            ordinal = bundle.passage.ordinal
            if ordinal not in passages:
                raise FormatError(
                    where, "passage.ordinal", f"source '{source.title}' has no passage {ordinal}"
                )
            passage_id, text = passages[ordinal]
            if text != bundle.passage.text:
                raise FormatError(where, "text", f"differs from passage {ordinal} of source '{source.title}'")
            for index, a in enumerate(bundle.annotations):
                if a.status not in STATUSES:
                    raise FormatError(where, f"annotations[{index}].status", f"unknown status '{a.status}'")
                self.writer.add(
                    passage_id=passage_id,
                    passage_text=text,
                    theme=self.context.theme_by_path(a.theme, a.theme_path),
                    author=self.context.user(a.author),
                    start=a.start,
                    end=a.end,
                    created=a.created,
                    updated=a.updated,
                    note=a.note,
                    status=a.status,
                    session=self.context.session(a.session, a.created),
                )
            for index, e in enumerate(bundle.evidence):
                if e.relation not in RELATIONS:
                    raise FormatError(
                        where, f"evidence[{index}].relation", f"unknown relation '{e.relation}'"
                    )
                if e.status not in STATUSES:
                    raise FormatError(where, f"evidence[{index}].status", f"unknown status '{e.status}'")
                links.append((passage_id, e))
            threads.extend((passage_id, d) for d in bundle.discussions)
        self.writer.forget_new()
        self._evidence(links, list(passages.values()))
        self._discussions(threads)

    def _discussions(self, threads: list[tuple[int, DiscussionRecord]]) -> None:
        """Disagreement threads with their comments and decisions, keeping their own timestamps; a
        thread already there (same passage, theme, starter and time) is skipped."""
        for passage_id, record in threads:
            theme = self.context.theme_by_path(record.theme, record.theme)
            started_by = self.context.user(record.started_by)
            if theme is None or started_by is None:
                continue
            if Discussion.objects.filter(
                passage_id=passage_id, theme=theme, started_by=started_by, created=record.created
            ).exists():
                self.context.report.duplicates_skipped += 1
                continue
            discussion = Discussion.objects.create(
                passage_id=passage_id,
                theme=theme,
                session=self.context.session(record.session, record.created),
                started_by=started_by,
                decision=record.decision,
                reason=record.reason,
                decided_by=self.context.user(record.decided_by) if record.decided_by else None,
                decided_at=record.decided_at,
            )
            Discussion.objects.filter(pk=discussion.pk).update(created=record.created)
            for comment in record.comments:
                author = self.context.user(comment.author)
                if author is None:
                    continue
                made = Comment.objects.create(discussion=discussion, author=author, text=comment.text)
                Comment.objects.filter(pk=made.pk).update(created=comment.created)

    def _claim(self, record) -> Claim | None:
        key = record.key
        if key not in self.claims:
            author = self.context.user(record.author)
            claim = None
            if author is not None:
                claim = Claim.objects.filter(
                    project=self.context.project, text=record.text, author=author
                ).first()
                if claim is None:
                    row = (self.context.project.pk, record.text, author.pk, None, 1)
                    stamps = (db_datetime(record.created), db_datetime(record.updated))
                    columns = [
                        "project_id",
                        "text",
                        "author_id",
                        "source_id",
                        "version",
                        "created",
                        "updated",
                    ]
                    [pk] = insert_rows(Claim, columns, [(*row, *stamps)], self.context.as_user)
                    claim = Claim.objects.get(pk=pk)
                    self.context.report.claims_created += 1
                    if record.source:
                        self.claim_sources.append((claim, record.source))
            self.claims[key] = claim
        return self.claims[key]

    def _evidence(self, links: list, passages: list[tuple[int, str]]) -> None:
        if not links:
            return
        passage_ids = [pk for pk, _ in passages]
        spans = {
            (passage_id, theme, author, start, end, session): pk
            for pk, passage_id, theme, author, start, end, session in Annotation.objects.filter(
                passage_id__in=passage_ids
            ).values_list(
                "id", "passage_id", "theme__slug", "author__username", "start", "end", "session__name"
            )
        }
        existing = set(
            Evidence.objects.filter(passage_id__in=passage_ids).values_list(
                "claim_id", "passage_id", "relation", "author_id"
            )
        )
        fresh = []
        for passage_id, e in links:
            claim = self._claim(e.claim)
            author = self.context.user(e.author)
            if claim is None or author is None:
                continue
            key = (claim.pk, passage_id, e.relation, author.pk)
            if key in existing:
                self.context.report.duplicates_skipped += 1
                continue
            existing.add(key)
            annotation_id = None
            if e.annotation is not None:
                theme, span_author, start, end, session = e.annotation
                span_user = self.context.user(span_author)
                name = span_user.get_username() if span_user is not None else span_author
                annotation_id = spans.get((passage_id, theme, name, start, end, session))
            fresh.append(
                (
                    claim.pk,
                    passage_id,
                    annotation_id,
                    e.relation,
                    author.pk,
                    e.note,
                    e.status,
                    1,
                    db_datetime(e.created),
                    db_datetime(e.updated),
                )
            )
        insert_rows(Evidence, EVIDENCE_COLUMNS, fresh, self.context.as_user)
        self.context.report.evidence_created += len(fresh)


def _import_qdc(context: _Context, data: bytes) -> None:
    _import_qda(context, QdaProject(name="", users={}, codes=read_qdc(data), sources=[]))


def _lines(file: BinaryIO) -> Iterator[bytes]:
    yield from file


@transaction.atomic
def annotations_import(
    *,
    project: Project,
    file: BinaryIO,
    format: str,
    as_user: AbstractBaseUser | None = None,
    create_themes: bool = False,
    members_only: bool = False,
) -> ImportReport:
    """Import a file into the project, all or nothing.

    Users named in the file are matched by username (or e-mail), with `members_only` among the
    project's members only; the others are credited to `as_user`.

    Raises FormatError (a record and field of the file are wrong) or ImportRefused (unknown themes or
    users, every one listed); in both cases the transaction rolls back and nothing is written."""
    if format not in FORMATS:
        raise ValidationError(
            {"format": f"Unknown import format '{format}'; use one of {', '.join(FORMATS)}."}
        )
    report = ImportReport(format=format)
    context = _Context(project, as_user, create_themes or format == "qdc", report, members_only)
    try:
        if format == "jsonl":
            _JsonlImport(context).run(_lines(file))
        elif format == "doccano":
            _import_labelled(context, read_doccano(_lines(file)), AnnotationStatus.SUBMITTED)
        elif format == "label-studio":
            _import_labelled(context, read_label_studio(file.read()), AnnotationStatus.SUBMITTED)
        elif format == "qdpx":
            _import_qda(context, read_qdpx(file))
        else:
            _import_qdc(context, file.read())
    except UnicodeDecodeError as exc:
        # Every format reads UTF-8; a file in another encoding is the file's fault, not a crash.
        raise FormatError("file", "(encoding)", f"not UTF-8 text (invalid byte at {exc.start})") from exc
    context.finish()
    return report
