"""The rows of an export, read for a group of sources (or a window of one source's passages) in
export order: source title and checksum, passage ordinal, then each kind's own key."""

from collections.abc import Iterator
from datetime import UTC, datetime

from django.db import connection
from django.db.models import CharField, F, Prefetch, Q, QuerySet
from django.db.models.functions import Cast

from ..formats.records import CommentRecord, DiscussionRecord, PassageCommentRecord
from ..models import Comment, Project

# Rows fetched at a time from a cursor.
FETCH = 2000


def db_moment(name: str) -> F | Cast:
    """A timestamp column as SQLite stores it (UTC text), read as such: Django's per-value conversion
    of SQLite datetimes costs more than the rest of an export row. Other databases give datetimes."""
    return Cast(name, CharField()) if connection.vendor == "sqlite" else F(name)


def ordinals(field: str, window: dict[str, int]) -> dict[str, int]:
    return {f"{field}__{lookup}": bound for lookup, bound in window.items()}


def as_datetime(value: datetime | str) -> datetime:
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value


def sources_between(project: Project, first: tuple[str, str], last: tuple[str, str], prefix: str = "") -> Q:
    """The project's sources from `first` to `last` (title, sha256) in export order, as a filter on
    the source reached through `prefix`."""
    title, sha = f"{prefix}title", f"{prefix}sha256"
    from_first = Q(**{f"{title}__gt": first[0]}) | Q(**{title: first[0], f"{sha}__gte": first[1]})
    to_last = Q(**{f"{title}__lt": last[0]}) | Q(**{title: last[0], f"{sha}__lte": last[1]})
    return Q(**{f"{prefix}project": project}) & from_first & to_last


def discussion_records(
    discussions: QuerySet, usernames: dict[int, str], sources: Q, window: dict[str, int]
) -> dict[tuple[int, int], tuple[DiscussionRecord, ...]]:
    """The sources' disagreement threads by (source id, passage ordinal), in two queries; threads
    are few, so they are held for the sources while their passages stream."""
    threads = (
        discussions.filter(sources, **ordinals("passage__ordinal", window))
        .select_related("theme", "session")
        .prefetch_related(Prefetch("comments", queryset=Comment.objects.order_by("created", "id")))
        .annotate(ordinal=F("passage__ordinal"), source_ref=F("passage__source_id"))
        .order_by("passage__ordinal", "theme__slug", "created", "id")
    )
    name = usernames.get
    by_passage: dict[tuple[int, int], list[DiscussionRecord]] = {}
    for thread in threads:
        by_passage.setdefault((thread.source_ref, thread.ordinal), []).append(
            DiscussionRecord(
                theme=thread.theme.slug,
                started_by=name(thread.started_by_id, ""),
                created=as_datetime(thread.created),
                comments=tuple(
                    CommentRecord(author=name(c.author_id, ""), text=c.text, created=as_datetime(c.created))
                    for c in thread.comments.all()
                ),
                session=thread.session.name if thread.session else None,
                decision=thread.decision,
                reason=thread.reason,
                decided_by=name(thread.decided_by_id) if thread.decided_by_id else None,
                decided_at=as_datetime(thread.decided_at) if thread.decided_at else None,
            )
        )
    return {place: tuple(records) for place, records in by_passage.items()}


COMMENT_COLUMNS = (
    "passage__source_id", "passage__ordinal", "id", "parent_id", "author_id", "text", "start", "end", "quote",
    "session__name", "created", "edited", "resolved_at", "resolved_by_id", "deleted",
)  # fmt: skip


def comment_records(
    comments: QuerySet, usernames: dict[int, str], sources: Q, window: dict[str, int]
) -> dict[tuple[int, int], tuple[PassageCommentRecord, ...]]:
    """The sources' comments on passages by (source id, passage ordinal), oldest first, each reply
    naming the index of the comment it answers: one query (comments, like threads, are few)."""
    rows = (
        comments.filter(sources, **ordinals("passage__ordinal", window))
        .order_by("passage__source_id", "passage__ordinal", "id")
        .values_list(*COMMENT_COLUMNS)
    )
    name = usernames.get
    by_passage: dict[tuple[int, int], list[PassageCommentRecord]] = {}
    index: dict[int, int] = {}
    for source_id, ordinal, pk, parent, author, text, start, end, quote, session, *moments in rows:
        created, edited, resolved_at, resolved_by, deleted = moments
        records = by_passage.setdefault((source_id, ordinal), [])
        index[pk] = len(records)
        records.append(
            PassageCommentRecord(
                author=name(author, ""),
                text=text,
                created=as_datetime(created),
                start=start,
                end=end,
                quote=quote,
                reply_to=index.get(parent) if parent is not None else None,
                session=session,
                edited=as_datetime(edited) if edited else None,
                resolved_at=as_datetime(resolved_at) if resolved_at else None,
                resolved_by=name(resolved_by) if resolved_by else None,
                deleted=as_datetime(deleted) if deleted else None,
            )
        )
    return {place: tuple(records) for place, records in by_passage.items()}


def annotation_rows(annotations: QuerySet, sources: Q, window: dict[str, int]) -> Iterator[tuple]:
    """The sources' annotations in export order, each row led by its passage's source id and ordinal."""
    return (
        annotations.filter(sources, **ordinals("passage__ordinal", window))
        .annotate(created_raw=db_moment("created"), updated_raw=db_moment("updated"))
        .order_by(
            "passage__source__title",
            "passage__source__sha256",
            "passage__ordinal",
            F("start").asc(nulls_first=True),
            F("end").asc(nulls_first=True),
            "theme__slug",
            "author__username",
            F("session__name").asc(nulls_first=True),
            "id",
        )
        .values_list(
            "passage__source_id",
            "passage__ordinal",
            "theme_id",
            "author_id",
            "start",
            "end",
            "quote",
            "note",
            "status",
            "session__name",
            "created_raw",
            "updated_raw",
            "id",
        )
        .iterator(chunk_size=FETCH)
    )


def evidence_rows(evidence: QuerySet, sources: Q, window: dict[str, int]) -> Iterator[tuple]:
    """The sources' evidence links in export order, each row led by its passage's source id and ordinal."""
    return (
        evidence.filter(sources, **ordinals("passage__ordinal", window))
        .annotate(created_raw=db_moment("created"), updated_raw=db_moment("updated"))
        .order_by(
            "passage__source__title",
            "passage__source__sha256",
            "passage__ordinal",
            "claim__text",
            "claim__author__username",
            "relation",
            "author__username",
        )
        .values_list(
            "passage__source_id",
            "passage__ordinal",
            "claim_id",
            "relation",
            "author_id",
            "note",
            "status",
            "created_raw",
            "updated_raw",
            "annotation_id",
            "annotation__theme__slug",
            "annotation__author_id",
            "annotation__start",
            "annotation__end",
            "annotation__session__name",
        )
        .iterator(chunk_size=FETCH)
    )
