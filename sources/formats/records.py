"""The plain records every export and import format speaks: no ORM, no database ids as keys.

Records are identified by stable keys, so they survive a trip to another project or installation:
a source by the sha256 of its text, a passage by its source and ordinal, a theme by its slug, a user
by username, an annotation by (passage, theme, author, start, end, session).

Offsets count Unicode code points and are end-exclusive: `passage.text[start:end] == quote`, and a
passage sits at `source.text[passage.start:passage.end]`. An annotation with start and end None tags
the whole passage.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
PROBLEM_CHARS = 300


def format_timestamp(moment: datetime) -> str:
    """UTC, always with microseconds, so the text form is one-to-one with the stored value
    (TIMESTAMP_FORMAT; isoformat writes it a few times faster than strftime, for every row of an export)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")[:26] + "Z"


def parse_timestamp(text: str) -> datetime:
    """Read an ISO 8601 timestamp; one without a zone is taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def span_problem(
    start: int | None, end: int | None, length: int, within: str = "the passage text"
) -> tuple[str, str] | None:
    """The one rule for a span of a passage (or another tool's text) of `length` characters, used by
    the API, the pages and every import: (field, message) naming what is wrong, or None.

    Both offsets None tag the whole text; otherwise 0 <= start < end <= length, since an empty span
    marks nothing a reader could see or review."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        return ("start" if start is None else "end", "A span needs both start and end.")
    if start < 0 or end < 0:
        return ("start" if start < 0 else "end", f"Offsets cannot be negative ({start}:{end}).")
    if start > end:
        return ("end", f"end ({end}) must not be before start ({start}).")
    if start == end:
        return (
            "end",
            f"end ({end}) equals start: an empty span tags nothing; select at least one character.",
        )
    if end > length:
        return ("end", f"end ({end}) is past {within} ({length} characters).")
    return None


class FormatError(ValueError):
    """A file does not say what its format promises; names where (line or record) and which field."""

    def __init__(self, where: str, field: str, problem: str) -> None:
        if len(problem) > PROBLEM_CHARS:  # a problem may quote the file, which may be huge
            problem = problem[:PROBLEM_CHARS] + "…"
        super().__init__(f"{where}, field '{field}': {problem}")
        self.where = where
        self.field = field
        self.problem = problem


@dataclass(frozen=True, slots=True)
class UserRecord:
    username: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class ThemeRecord:
    slug: str
    name: str
    description: str = ""
    color: str = "#4c6ef5"
    parent: str | None = None
    shortcut: str = ""
    order: int = 0
    path: str = ""  # slugs from the root, e.g. "three-evils/terrorism"


@dataclass(frozen=True, slots=True)
class SourceRecord:
    sha256: str
    title: str
    text: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    language: str = ""
    citation: str = ""
    filename: str = ""
    id: int | None = None  # database id, shown in CSV/Parquet only; never a key
    notes: str = ""  # memos on the source as a whole


@dataclass(frozen=True, slots=True)
class PassageRecord:
    ordinal: int
    text: str
    start: int
    end: int
    kind: str = "paragraph"
    section: str = ""
    language: str = ""
    id: int | None = None
    attached_to: int | None = None  # a footnote's passage, by ordinal


@dataclass(frozen=True, slots=True)
class AnnotationRecord:
    theme: str
    author: str
    start: int | None
    end: int | None
    quote: str
    created: datetime
    updated: datetime
    note: str = ""
    status: str = "draft"
    session: str | None = None
    theme_path: str = ""
    claim_ids: tuple[int, ...] = ()
    id: int | None = None

    @property
    def key(self) -> tuple:
        return (self.theme, self.author, self.start, self.end, self.session)


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    text: str
    author: str
    created: datetime
    updated: datetime
    source: str | None = None  # sha256 of the source that states the claim
    id: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.text, self.author)


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    claim: ClaimRecord
    relation: str
    author: str
    created: datetime
    updated: datetime
    note: str = ""
    status: str = "draft"
    annotation: tuple | None = None  # AnnotationRecord.key of the span it rests on, if any


@dataclass(frozen=True, slots=True)
class CommentRecord:
    author: str
    text: str
    created: datetime


@dataclass(frozen=True, slots=True)
class PassageCommentRecord:
    """A comment on a passage, or on a span of it (`start`/`end`, code points into the passage text),
    in a thread: `reply_to` is the index of the comment it answers among its passage's comments
    (always an earlier one), None for a thread's first. A deleted comment kept for its replies has
    `deleted` set and no text."""

    author: str
    text: str
    created: datetime
    start: int | None = None
    end: int | None = None
    quote: str = ""
    reply_to: int | None = None
    session: str | None = None
    edited: datetime | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    deleted: datetime | None = None


@dataclass(frozen=True, slots=True)
class DiscussionRecord:
    """A thread about a disagreement on one theme of a passage, and its adjudication if settled."""

    theme: str
    started_by: str
    created: datetime
    comments: tuple[CommentRecord, ...] = ()
    session: str | None = None
    decision: str = ""
    reason: str = ""
    decided_by: str | None = None
    decided_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PassageBundle:
    """One passage with its source and everything attached to it: the unit exports stream."""

    source: SourceRecord
    passage: PassageRecord
    annotations: tuple[AnnotationRecord, ...] = ()
    evidence: tuple[EvidenceRecord, ...] = ()
    discussions: tuple[DiscussionRecord, ...] = ()
    comments: tuple[PassageCommentRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class LabelDraft:
    """A label from another tool on a text: a span (code points into the text, end-exclusive) or, with
    start and end None, the whole text. `author` is the other tool's user name, if it says one."""

    where: str
    label: str
    start: int | None = None
    end: int | None = None
    author: str | None = None
    created: datetime | None = None
    updated: datetime | None = None
    note: str = ""
    status: str | None = None  # the review status, where the tool keeps one
    whole: bool = False  # the span marks a whole passage (brat's and XMI's way to say so)


@dataclass(frozen=True, slots=True)
class PredictionDraft:
    """A label another tool's model proposed for a text (a span, or the whole text with start and end
    None), with its score from 0 to 1: imported as a suggestion, not as a tag."""

    where: str
    label: str
    start: int | None
    end: int | None
    score: float


@dataclass(frozen=True, slots=True)
class LabelledText:
    """A text with its labels, as Label Studio tasks and doccano lines are."""

    where: str
    text: str
    labels: tuple[LabelDraft, ...]
    # What the record holds that the project cannot: (kind, example) pairs for the import's report.
    skipped: tuple[tuple[str, str], ...] = ()
    title: str = ""  # the document's name, for a new source
    document: bool = False  # a whole document (brat, XMI): it becomes a source even without labels
    predictions: tuple[PredictionDraft, ...] = ()


@dataclass(frozen=True)
class Dataset:
    """What an export writes. `bundles` may be iterated more than once (each pass re-reads the data),
    ordered by source, then passage ordinal, then annotation key."""

    project: str
    name: str
    themes: tuple[ThemeRecord, ...]
    users: tuple[UserRecord, ...]
    bundles: Iterable[PassageBundle] = ()
    claims: Iterable[ClaimRecord] = field(default=())
    sources: Iterable[SourceRecord] = field(default=())  # metadata only: text is ""

    def annotations(self) -> Iterator[tuple[PassageBundle, AnnotationRecord]]:
        for bundle in self.bundles:
            for annotation in bundle.annotations:
                yield bundle, annotation


def theme_paths(themes: Iterable[ThemeRecord]) -> dict[str, str]:
    """slug -> "root/child/slug" for a codebook given with parent slugs."""
    parents = {theme.slug: theme.parent for theme in themes}
    paths: dict[str, str] = {}
    for slug in parents:
        chain, seen, current = [], set(), slug
        while current is not None and current not in seen:
            seen.add(current)
            chain.append(current)
            current = parents.get(current)
        paths[slug] = "/".join(reversed(chain))
    return paths


def codebook_order(themes: Iterable[ThemeRecord]) -> list[ThemeRecord]:
    """Parents before children, siblings by (order, slug): the order codebooks are written and created in."""
    themes = list(themes)
    children: dict[str | None, list[ThemeRecord]] = {}
    known = {theme.slug for theme in themes}
    for theme in themes:
        parent = theme.parent if theme.parent in known else None
        children.setdefault(parent, []).append(theme)
    ordered: list[ThemeRecord] = []

    def visit(parent: str | None) -> None:
        for theme in sorted(children.get(parent, []), key=lambda t: (t.order, t.slug)):
            ordered.append(theme)
            visit(theme.slug)

    visit(None)
    return ordered
