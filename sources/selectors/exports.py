"""The read side of exports: a project's data as plain records, streamed in a stable order.

Sources are read in groups (consecutive sources of at most CHUNK passages together, five times as many
where server-side cursors stream the rows, a longer one alone), each group in a few ordered, chunked
queries (passages, annotations, evidence, discussions, comments; a kind the export holds none of is not
asked for) merged by passage, so the number of queries does not grow with the number of short sources,
memory stays flat however many rows there are, and the order depends only on the data (source title and
checksum, passage ordinal, annotation key), never on database ids.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Count, Q, QuerySet

from ..formats.records import (
    AnnotationRecord,
    ClaimRecord,
    Dataset,
    EvidenceRecord,
    PassageBundle,
    PassageRecord,
    SourceRecord,
    ThemeRecord,
    UserRecord,
    theme_paths,
)
from ..models import (
    Annotation,
    Claim,
    Comment,
    Discussion,
    Evidence,
    Passage,
    Project,
    Source,
    Theme,
)
from ..models.source import PASSAGE_FIELDS
from .export_rows import (
    annotation_rows,
    as_datetime,
    comment_records,
    discussion_records,
    evidence_rows,
    ordinals,
    sources_between,
)
from .visibility import blind_work, visible_to

CHUNK = 2000
# Read through server-side cursors, a group's rows stream however many there are, so a group may
# hold this many times CHUNK passages (and sources): fewer queries, and fewer passes over the
# project's rows, for many short sources. Without them a group's rows come whole: CHUNK passages.
STREAMED_GROUP = 5


@dataclass(frozen=True)
class ExportFilters:
    status: str | None = None
    theme: str | None = None  # slug; its sub-themes are included
    source: int | None = None
    session: int | None = None
    author: str | None = None  # username

    @property
    def narrows_annotations(self) -> bool:
        return any(value is not None for value in (self.status, self.theme, self.session, self.author))


def _theme_and_descendants(themes: list[ThemeRecord], slug: str) -> set[str]:
    wanted = {slug}
    grew = True
    while grew:
        more = {t.slug for t in themes if t.parent in wanted} - wanted
        wanted |= more
        grew = bool(more)
    return wanted


def pseudonyms(usernames: list[str]) -> dict[str, str]:
    """Stable pseudonyms: annotators numbered in username order (annotator-01, ...)."""
    width = max(2, len(str(len(usernames))))
    return {name: f"annotator-{i:0{width}d}" for i, name in enumerate(sorted(usernames), start=1)}


class ProjectExport:
    """A re-iterable stream of PassageBundles for one project, filtered; see `export_dataset`."""

    def __init__(
        self,
        project: Project,
        filters: ExportFilters,
        viewer: AbstractBaseUser | None,
        usernames: dict[int, str],
        themes: dict[int, ThemeRecord],
    ) -> None:
        self.project = project
        self.filters = filters
        self.viewer = viewer
        self.usernames = usernames
        self.themes = themes
        self.progress: Callable[[int], None] | None = None  # told how many annotations each bundle held
        # Comments on passages come with an export of all the tags (a filter by status, theme, session
        # or author leaves them out, as it leaves out passages without such tags), not pseudonymised:
        # their text names people.
        self.with_comments = not filters.narrows_annotations
        self._holds: dict[str, bool] = {}

    # --- querysets ----------------------------------------------------------------------------

    def sources(self):
        sources = Source.objects.filter(project=self.project)
        if self.filters.source is not None:
            sources = sources.filter(pk=self.filters.source)
        return sources.order_by("title", "sha256")

    def annotations(self):
        annotations = Annotation.objects.filter(passage__source__project=self.project)
        f = self.filters
        if f.status is not None:
            annotations = annotations.filter(status=f.status)
        if f.theme is not None:
            wanted = _theme_and_descendants(list(self.themes.values()), f.theme)
            annotations = annotations.filter(theme__slug__in=wanted, theme__project=self.project)
        if f.session is not None:
            annotations = annotations.filter(session_id=f.session)
        if f.author is not None:
            annotations = annotations.filter(author__username=f.author)
        return self._visible(annotations)

    def evidence(self):
        evidence = Evidence.objects.filter(claim__project=self.project)
        if self.filters.status is not None:
            evidence = evidence.filter(status=self.filters.status)
        if self.filters.author is not None:
            evidence = evidence.filter(author__username=self.filters.author)
        return self._visible(evidence)

    def claim_rows(self):
        return self._visible(Claim.objects.filter(project=self.project))

    def discussions(self):
        threads = self._visible(Discussion.objects.filter(passage__source__project=self.project))
        if self.filters.theme is not None:
            slugs = _theme_and_descendants(list(self.themes.values()), self.filters.theme)
            threads = threads.filter(theme__slug__in=slugs)
        if self.filters.session is not None:
            threads = threads.filter(session_id=self.filters.session)
        return threads

    def comments(self):
        comments = Comment.objects.filter(passage__source__project=self.project)
        if not self.with_comments:
            return comments.none()
        if self.filters.source is not None:
            comments = comments.filter(passage__source_id=self.filters.source)
        return self._visible(comments)

    def _visible(self, queryset: QuerySet) -> QuerySet:
        """What the viewer may see of `queryset`; everything without a viewer (the command line)."""
        return queryset if self.viewer is None else visible_to(self.viewer, queryset)

    def blind_work(self) -> list[list[int]]:
        """The (session, author) pairs of blind-session work the export holds: the file's readers are
        those from whom none of it is hidden (`visibility.hides_any`)."""
        evidence = self.evidence()
        return blind_work(
            [
                (self.annotations(), "author_id"),
                (evidence, "author_id"),
                (Annotation.objects.filter(evidence__in=evidence), "author_id"),
                (self.claim_rows(), "author_id"),
                (self.discussions(), "started_by_id"),
                (self.comments(), "author_id"),
            ]
        )

    def count(self) -> int:
        """How many annotations the export holds (W3C `total`, progress bars)."""
        annotations = self.annotations()
        if self.filters.source is not None:
            annotations = annotations.filter(passage__source_id=self.filters.source)
        return annotations.count()

    def comment_count(self) -> int:
        """How many comments the export holds (part of the W3C `total`)."""
        return self.comments().count()

    def author_ids(self) -> set[int]:
        """Users whose annotations the export holds."""
        annotations = self.annotations()
        if self.filters.source is not None:
            annotations = annotations.filter(passage__source_id=self.filters.source)
        return set(annotations.order_by().values_list("author_id", flat=True).distinct())

    def claims(self) -> dict[int, ClaimRecord]:
        rows = self.claim_rows().values_list(
            "id", "text", "author_id", "created", "updated", "source__sha256"
        )
        return {
            pk: ClaimRecord(
                text=text,
                author=self.usernames[author],
                created=created,
                updated=updated,
                source=sha,
                id=pk,
            )
            for pk, text, author, created, updated, sha in rows
        }

    # --- the stream ---------------------------------------------------------------------------

    def source_records(self) -> Iterator[SourceRecord]:
        rows = self.sources().values_list(
            "id", "sha256", "title", "authors", "year", "language", "citation", "filename"
        )
        for pk, sha, title, authors, year, language, citation, filename in rows:
            yield SourceRecord(
                sha256=sha,
                title=title,
                text="",
                authors=tuple(authors or ()),
                year=year,
                language=language,
                citation=citation,
                filename=filename,
                id=pk,
            )

    def __iter__(self) -> Iterator[PassageBundle]:
        claims = self.claims()
        narrowed = self.filters.narrows_annotations
        # A kind the export holds none of (most projects of many short texts have tags only) is not
        # asked for again group after group.
        self._holds = {
            "evidence": self.evidence().exists(),
            "discussions": self.discussions().exists(),
            "comments": self.with_comments and self.comments().exists(),
        }
        for group in self._source_groups():
            for bundle in self._group_bundles(group, claims, narrowed):
                yield bundle
                if self.progress is not None:
                    self.progress(len(bundle.annotations))

    def _source_groups(self) -> Iterator[list[SourceRecord]]:
        """The sources in export order, a group at a time: consecutive sources of at most CHUNK passages
        together (STREAMED_GROUP times as many with server-side cursors), or one longer source alone,
        so that each query reads many short sources at once."""
        sizes = (
            self.sources()
            .values("id", "title", "sha256")
            .annotate(size=Count("passages"))
            .values_list("title", "sha256", "size")
        )
        streamed = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
        most = CHUNK * (STREAMED_GROUP if streamed else 1)
        group: list[tuple[str, str]] = []
        total = 0
        for title, sha, size in sizes:
            if group and (total + size > most or len(group) >= most):
                yield self._source_records(group[0], group[-1])
                group, total = [], 0
            group.append((title, sha))
            total += size
        if group:
            yield self._source_records(group[0], group[-1])

    def _span(self, first: SourceRecord, last: SourceRecord, prefix: str = "") -> Q:
        """The project's sources from `first` to `last` in export order, as a filter through `prefix`:
        one condition however many sources lie between (a list of their ids would grow with them)."""
        return sources_between(self.project, (first.title, first.sha256), (last.title, last.sha256), prefix)

    def _source_records(self, first: tuple[str, str], last: tuple[str, str]) -> list[SourceRecord]:
        rows = (
            self.sources()
            .filter(sources_between(self.project, first, last))
            .values_list(
                "id",
                "sha256",
                "title",
                "text",
                "authors",
                "year",
                "language",
                "citation",
                "filename",
                "notes",
            )
        )
        return [
            SourceRecord(
                sha256=sha,
                title=title,
                text=text,
                authors=tuple(authors or ()),
                year=year,
                language=language,
                citation=citation,
                filename=filename,
                id=pk,
                notes=notes,
            )
            for pk, sha, title, text, authors, year, language, citation, filename, notes in rows
        ]

    def _group_bundles(
        self, sources: list[SourceRecord], claims: dict[int, ClaimRecord], narrowed: bool
    ) -> Iterator[PassageBundle]:
        if len(sources) > 1 or not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
            yield from self._window_bundles(sources, claims, narrowed, {})
            return
        # Without server-side cursors (PgBouncer in transaction pooling mode) `.iterator()` fetches a
        # whole result at once, so a long source is read in keyset windows of CHUNK passages instead.
        after = -1
        while True:
            passages = Passage.objects.filter(source_id=sources[0].id, ordinal__gt=after).order_by("ordinal")
            last = list(passages.values_list("ordinal", flat=True)[CHUNK - 1 : CHUNK])
            window = {"gt": after, "lte": last[0]} if last else {"gt": after}
            yield from self._window_bundles(sources, claims, narrowed, window)
            if not last:
                return
            after = last[0]

    def _window_bundles(
        self,
        sources: list[SourceRecord],
        claims: dict[int, ClaimRecord],
        narrowed: bool,
        window: dict[str, int],
    ) -> Iterator[PassageBundle]:
        """The bundles of the sources' passages whose ordinals are within `window` (lookups: gt, lte).

        Passages, annotations and evidence come in export order (source title and checksum, then
        passage ordinal), each row keyed by its passage's place: (the source's index, the ordinal)."""
        position = {source.id: index for index, source in enumerate(sources)}
        first, last = sources[0], sources[-1]
        through_passage = self._span(first, last, "passage__source__")

        def place(row: tuple) -> tuple[int, int]:
            return position[row[0]], row[1]

        passages = (
            Passage.objects.filter(self._span(first, last, "source__"), **ordinals("ordinal", window))
            .order_by("source__title", "source__sha256", "ordinal")
            .values_list("source_id", "id", *PASSAGE_FIELDS)
            .iterator(chunk_size=CHUNK)
        )
        annotations = groupby(annotation_rows(self.annotations(), through_passage, window), key=place)
        discussions = (
            discussion_records(self.discussions(), self.usernames, through_passage, window)
            if self._holds["discussions"]
            else {}
        )
        comments = (
            comment_records(self.comments(), self.usernames, through_passage, window)
            if self._holds["comments"]
            else {}
        )
        evidence = (
            groupby(evidence_rows(self.evidence(), through_passage, window), key=place)
            if self._holds["evidence"]
            else iter(())
        )
        next_annotations = next(annotations, None)
        next_evidence = next(evidence, None)
        for source_id, pk, ordinal, kind, section, text, language, start, end, attached_to in passages:
            key = (position[source_id], ordinal)
            rows: list = []
            while next_annotations is not None and next_annotations[0] <= key:
                if next_annotations[0] == key:
                    rows = list(next_annotations[1])
                next_annotations = next(annotations, None)
            links: list = []
            while next_evidence is not None and next_evidence[0] <= key:
                if next_evidence[0] == key:
                    links = list(next_evidence[1])
                next_evidence = next(evidence, None)
            if narrowed and not rows:
                continue
            evidence_records = tuple(self._evidence_record(row, claims) for row in links)
            annotation_records = tuple(self._annotation_record(row, links) for row in rows)
            yield PassageBundle(
                source=sources[key[0]],
                passage=PassageRecord(
                    ordinal=ordinal,
                    text=text,
                    start=start,
                    end=end,
                    kind=kind,
                    section=section,
                    language=language,
                    id=pk,
                    attached_to=attached_to,
                ),
                annotations=annotation_records,
                evidence=evidence_records,
                discussions=discussions.get((source_id, ordinal), ()),
                comments=comments.get((source_id, ordinal), ()),
            )

    def _annotation_record(self, row: tuple, links: list[tuple]) -> AnnotationRecord:
        _, _, theme_id, author_id, start, end, quote, note, status, session, created, updated, pk = row
        theme = self.themes[theme_id]
        claim_ids = sorted({link[2] for link in links if link[9] is None or link[9] == pk})
        return AnnotationRecord(
            theme=theme.slug,
            theme_path=theme.path,
            author=self.usernames[author_id],
            start=start,
            end=end,
            quote=quote,
            note=note,
            status=status,
            session=session,
            created=as_datetime(created),
            updated=as_datetime(updated),
            claim_ids=tuple(claim_ids),
            id=pk,
        )

    def _evidence_record(self, row: tuple, claims: dict[int, ClaimRecord]) -> EvidenceRecord:
        (_, _, claim_id, relation, author_id, note, status, created, updated, annotation_id, *span) = row
        span_key = None
        if annotation_id is not None:
            theme, author, start, end, session = span
            span_key = (theme, self.usernames[author], start, end, session)
        return EvidenceRecord(
            claim=claims[claim_id],
            relation=relation,
            author=self.usernames[author_id],
            note=note,
            status=status,
            created=as_datetime(created),
            updated=as_datetime(updated),
            annotation=span_key,
        )


def _usernames(project: Project) -> dict[int, str]:
    """Every user whose name can appear in the project's data: members and all authors."""
    User = get_user_model()
    authors = (
        Q(memberships__project=project)
        | Q(pk__in=Annotation.objects.filter(passage__source__project=project).values("author_id"))
        | Q(pk__in=Evidence.objects.filter(claim__project=project).values("author_id"))
        | Q(pk__in=Claim.objects.filter(project=project).values("author_id"))
        | Q(pk__in=Comment.objects.filter(passage__source__project=project).values("author_id"))
    )
    rows = User.objects.filter(authors).distinct().values_list("id", "username", "first_name", "last_name")
    return {pk: (username, f"{first} {last}".strip()) for pk, username, first, last in rows}


def export_dataset(
    *,
    project: Project,
    filters: ExportFilters | None = None,
    viewer: AbstractBaseUser | None = None,
    pseudonymise: bool = False,
) -> tuple[Dataset, ProjectExport]:
    """The project's data for an export. `viewer` hides what blind sessions hide from that user
    (None: everything, for the command line); `pseudonymise` replaces usernames with annotator-NN."""
    filters = filters or ExportFilters()
    people = _usernames(project)
    names = {pk: username for pk, (username, _) in people.items()}
    full_names = dict(people.values())
    if pseudonymise:
        aliases = pseudonyms(list(names.values()))
        names = {pk: aliases[username] for pk, username in names.items()}
        full_names = dict.fromkeys(aliases.values(), "")
    theme_rows = list(
        Theme.objects.filter(project=project).values_list(
            "id", "slug", "name", "description", "color", "parent__slug", "shortcut", "order"
        )
    )
    drafts = [
        ThemeRecord(
            slug=slug,
            name=name,
            description=description,
            color=color,
            parent=parent,
            shortcut=shortcut,
            order=order,
        )
        for _, slug, name, description, color, parent, shortcut, order in theme_rows
    ]
    paths = theme_paths(drafts)
    themes = {
        row[0]: ThemeRecord(**{**_theme_fields(draft), "path": paths[draft.slug]})
        for row, draft in zip(theme_rows, drafts, strict=True)
    }
    stream = ProjectExport(project, filters, viewer, names, themes)
    stream.with_comments = stream.with_comments and not pseudonymise
    used = sorted({names[pk] for pk in stream.author_ids()})
    dataset = Dataset(
        project=project.slug,
        name=project.name,
        themes=tuple(sorted(themes.values(), key=lambda t: (t.order, t.slug))),
        users=tuple(UserRecord(username=u, name=full_names.get(u, "")) for u in used),
        bundles=stream,
        claims=_ClaimStream(stream),
        sources=_SourceStream(stream),
    )
    return dataset, stream


def _theme_fields(theme: ThemeRecord) -> dict:
    return {name: getattr(theme, name) for name in ThemeRecord.__slots__}


class _SourceStream:
    def __init__(self, stream: ProjectExport) -> None:
        self.stream = stream

    def __iter__(self) -> Iterator[SourceRecord]:
        return self.stream.source_records()


class _ClaimStream:
    """All the project's claims (with or without evidence), ordered by text then author."""

    def __init__(self, stream: ProjectExport) -> None:
        self.stream = stream

    def __iter__(self) -> Iterator[ClaimRecord]:
        return iter(sorted(self.stream.claims().values(), key=lambda c: (c.text, c.author, c.id or 0)))
