"""JSONL: one JSON object per line, one line per passage, UTF-8; loads with
`pandas.read_json(path, lines=True)` and `datasets.load_dataset("json", data_files=path)`.

    {"source": {"sha256", "title", "authors", "year", "language", "citation", "filename"},
     "passage": {"ordinal", "kind", "section", "language", "start", "end"},
     "text": "...the passage text...",
     "annotations": [{"theme", "theme_path", "start", "end", "quote", "note", "author", "status",
                      "session", "created", "updated"}],
     "evidence": [{"claim": {"text", "author", "source", "created", "updated"}, "relation", "author",
                   "note", "status", "created", "updated",
                   "annotation": {"theme", "author", "start", "end", "session"} or null}],
     "discussions": [{"theme", "session", "started_by", "created", "decision", "reason", "decided_by",
                      "decided_at", "comments": [{"author", "text", "created"}]}],
     "comments": [{"author", "text", "start", "end", "quote", "reply_to", "session", "created", "edited",
                   "resolved_at", "resolved_by", "deleted"}]}

`discussions` (threads about a disagreement, with the adjudication's decision and reason) appears
only on passages that have one, `comments` (comments on the passage or a span of it, oldest first;
`reply_to` is the index in this list of the comment a reply answers) only on passages that have one;
`passage.attached_to` (a footnote's: the ordinal of the passage of the same source it is attached to)
only on footnotes attached to a passage.

`passage.start`/`end` locate the passage in its source's text; annotation `start`/`end` locate the
quote in the passage text (`text[start:end] == quote`), both null for a whole-passage tag. All
offsets count Unicode code points, end-exclusive. Timestamps are ISO 8601 UTC with microseconds.
Sources, themes and users are named by stable keys (sha256, slug, username), never database ids,
so a file can be imported into another project and exported again byte for byte.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from .bounded import ReadLimits, check_count, json_lines
from .records import (
    AnnotationRecord,
    ClaimRecord,
    CommentRecord,
    Dataset,
    DiscussionRecord,
    EvidenceRecord,
    FormatError,
    PassageBundle,
    PassageCommentRecord,
    PassageRecord,
    SourceRecord,
    format_timestamp,
    parse_timestamp,
    span_problem,
)

LINES_PER_CHUNK = 200
FIELDS_PER_PASSAGE = ("annotations", "evidence", "discussions", "comments")


def _annotation(a: AnnotationRecord) -> dict:
    return {
        "theme": a.theme,
        "theme_path": a.theme_path,
        "start": a.start,
        "end": a.end,
        "quote": a.quote,
        "note": a.note,
        "author": a.author,
        "status": a.status,
        "session": a.session,
        "created": format_timestamp(a.created),
        "updated": format_timestamp(a.updated),
    }


def _evidence(e: EvidenceRecord) -> dict:
    span = None
    if e.annotation is not None:
        theme, author, start, end, session = e.annotation
        span = {"theme": theme, "author": author, "start": start, "end": end, "session": session}
    return {
        "claim": {
            "text": e.claim.text,
            "author": e.claim.author,
            "source": e.claim.source,
            "created": format_timestamp(e.claim.created),
            "updated": format_timestamp(e.claim.updated),
        },
        "relation": e.relation,
        "author": e.author,
        "note": e.note,
        "status": e.status,
        "created": format_timestamp(e.created),
        "updated": format_timestamp(e.updated),
        "annotation": span,
    }


def _discussion(d: DiscussionRecord) -> dict:
    return {
        "theme": d.theme,
        "session": d.session,
        "started_by": d.started_by,
        "created": format_timestamp(d.created),
        "decision": d.decision,
        "reason": d.reason,
        "decided_by": d.decided_by,
        "decided_at": format_timestamp(d.decided_at) if d.decided_at else None,
        "comments": [
            {"author": c.author, "text": c.text, "created": format_timestamp(c.created)} for c in d.comments
        ],
    }


def _stamp(moment: datetime | None) -> str | None:
    return format_timestamp(moment) if moment is not None else None


def _comment(c: PassageCommentRecord) -> dict:
    return {
        "author": c.author,
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "quote": c.quote,
        "reply_to": c.reply_to,
        "session": c.session,
        "created": format_timestamp(c.created),
        "edited": _stamp(c.edited),
        "resolved_at": _stamp(c.resolved_at),
        "resolved_by": c.resolved_by,
        "deleted": _stamp(c.deleted),
    }


def bundle_json(bundle: PassageBundle) -> str:
    source, passage = bundle.source, bundle.passage
    line = {
        "source": {
            "sha256": source.sha256,
            "title": source.title,
            "authors": list(source.authors),
            "year": source.year,
            "language": source.language,
            "citation": source.citation,
            "filename": source.filename,
        },
        "passage": {
            "ordinal": passage.ordinal,
            "kind": passage.kind,
            "section": passage.section,
            "language": passage.language,
            "start": passage.start,
            "end": passage.end,
        },
        "text": passage.text,
        "annotations": [_annotation(a) for a in bundle.annotations],
        "evidence": [_evidence(e) for e in bundle.evidence],
    }
    if passage.attached_to is not None:
        line["passage"]["attached_to"] = passage.attached_to
    if bundle.discussions:
        line["discussions"] = [_discussion(d) for d in bundle.discussions]
    if bundle.comments:
        line["comments"] = [_comment(c) for c in bundle.comments]
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def export_jsonl(dataset: Dataset) -> Iterator[bytes]:
    lines: list[str] = []
    for bundle in dataset.bundles:
        lines.append(bundle_json(bundle))
        if len(lines) >= LINES_PER_CHUNK:
            yield ("\n".join(lines) + "\n").encode("utf-8")
            lines.clear()
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


# --- reading -----------------------------------------------------------------------------------


class _Fields:
    """Typed access to one JSON object, raising FormatError with the line and the dotted field name."""

    def __init__(self, where: str, data: object, prefix: str = "") -> None:
        if not isinstance(data, dict):
            raise FormatError(where, prefix.rstrip(".") or "(line)", "expected a JSON object")
        self.where, self.data, self.prefix = where, data, prefix

    def get(self, name: str, kind: type | tuple[type, ...], *, optional: bool = False, default=None):
        value = self.data.get(name, default)
        if value is None and optional:
            return default
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            value = None  # true/false is not a number here
        if not isinstance(value, kind):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise FormatError(self.where, self.prefix + name, f"expected {expected}, got {value!r}")
        return value

    def timestamp(self, name: str, *, optional: bool = False):
        if optional and self.data.get(name) is None:
            return None
        text = self.get(name, str)
        try:
            return parse_timestamp(text)
        except ValueError as exc:
            raise FormatError(self.where, self.prefix + name, f"not an ISO 8601 timestamp: {text!r}") from exc

    def child(self, name: str) -> "_Fields":
        return _Fields(self.where, self.data.get(name), f"{self.prefix}{name}.")

    def child_at(self, name: str, index: int) -> "_Fields":
        return _Fields(self.where, self.data[name][index], f"{self.prefix}{name}[{index}].")


def _span(fields: _Fields, text: str) -> tuple[int | None, int | None]:
    start = fields.get("start", int, optional=True)
    end = fields.get("end", int, optional=True)
    problem = span_problem(start, end, len(text))
    if problem is not None:
        raise FormatError(fields.where, fields.prefix + problem[0], problem[1])
    return start, end


def _read_annotation(fields: _Fields, text: str) -> AnnotationRecord:
    start, end = _span(fields, text)
    quote = fields.get("quote", str, optional=True, default="")
    expected = text[start:end] if start is not None else ""
    if quote != expected:
        raise FormatError(
            fields.where, fields.prefix + "quote", f"{quote!r} is not the text at {start}:{end}"
        )
    return AnnotationRecord(
        theme=fields.get("theme", str),
        theme_path=fields.get("theme_path", str, optional=True, default=""),
        author=fields.get("author", str),
        start=start,
        end=end,
        quote=quote,
        note=fields.get("note", str, optional=True, default=""),
        status=fields.get("status", str, optional=True, default="draft"),
        session=fields.get("session", str, optional=True),
        created=fields.timestamp("created"),
        updated=fields.timestamp("updated"),
    )


def _read_evidence(fields: _Fields, text: str) -> EvidenceRecord:
    claim = fields.child("claim")
    span = None
    if fields.data.get("annotation") is not None:
        a = fields.child("annotation")
        start, end = _span(a, text)
        span = (a.get("theme", str), a.get("author", str), start, end, a.get("session", str, optional=True))
    return EvidenceRecord(
        claim=ClaimRecord(
            text=claim.get("text", str),
            author=claim.get("author", str),
            source=claim.get("source", str, optional=True),
            created=claim.timestamp("created"),
            updated=claim.timestamp("updated"),
        ),
        relation=fields.get("relation", str),
        author=fields.get("author", str),
        note=fields.get("note", str, optional=True, default=""),
        status=fields.get("status", str, optional=True, default="draft"),
        created=fields.timestamp("created"),
        updated=fields.timestamp("updated"),
        annotation=span,
    )


def _read_discussion(fields: _Fields) -> DiscussionRecord:
    comments = fields.get("comments", list, optional=True, default=[])
    decided_at = fields.data.get("decided_at")
    return DiscussionRecord(
        theme=fields.get("theme", str),
        started_by=fields.get("started_by", str),
        created=fields.timestamp("created"),
        session=fields.get("session", str, optional=True),
        decision=fields.get("decision", str, optional=True, default=""),
        reason=fields.get("reason", str, optional=True, default=""),
        decided_by=fields.get("decided_by", str, optional=True),
        decided_at=fields.timestamp("decided_at") if decided_at is not None else None,
        comments=tuple(
            CommentRecord(
                author=c.get("author", str), text=c.get("text", str), created=c.timestamp("created")
            )
            for c in (fields.child_at("comments", i) for i in range(len(comments)))
        ),
    )


def _read_comment(fields: _Fields, text: str, index: int) -> PassageCommentRecord:
    start, end = _span(fields, text)
    quote = fields.get("quote", str, optional=True, default="")
    if start is not None and quote != text[start:end]:
        raise FormatError(
            fields.where, fields.prefix + "quote", f"{quote!r} is not the text at {start}:{end}"
        )
    reply_to = fields.get("reply_to", int, optional=True)
    if reply_to is not None and not 0 <= reply_to < index:
        raise FormatError(
            fields.where, fields.prefix + "reply_to", f"{reply_to} is not the index of an earlier comment"
        )
    deleted = fields.timestamp("deleted", optional=True)
    body = fields.get("text", str, optional=deleted is not None, default="")
    if not body.strip() and deleted is None:
        raise FormatError(fields.where, fields.prefix + "text", "a comment needs text")
    return PassageCommentRecord(
        author=fields.get("author", str),
        text=body,
        created=fields.timestamp("created"),
        start=start,
        end=end,
        quote=quote if start is not None else "",
        reply_to=reply_to,
        session=fields.get("session", str, optional=True),
        edited=fields.timestamp("edited", optional=True),
        resolved_at=fields.timestamp("resolved_at", optional=True),
        resolved_by=fields.get("resolved_by", str, optional=True),
        deleted=deleted,
    )


def _attached_to(passage: _Fields, where: str) -> int | None:
    """A footnote's passage: the ordinal of another passage of its source, or none."""
    attached_to = passage.get("attached_to", int, optional=True)
    if attached_to is not None and (attached_to < 0 or attached_to == passage.get("ordinal", int)):
        raise FormatError(where, "passage.attached_to", "expected the ordinal of another passage")
    return attached_to


def read_jsonl(lines: Iterable[bytes | str], limits: ReadLimits) -> Iterator[tuple[str, PassageBundle]]:
    """Yield ("line N", PassageBundle) per non-blank line. The source records carry no text (empty string):
    the importer matches sources by sha256 or rebuilds them from their passages."""
    for where, data in json_lines(lines, limits):
        fields = _Fields(where, data)
        text = fields.get("text", str)
        s = fields.child("source")
        p = fields.child("passage")
        sha = s.get("sha256", str)
        if len(sha) != 64:
            raise FormatError(where, "source.sha256", "expected 64 hex digits")
        start, end = p.get("start", int), p.get("end", int)
        if end - start != len(text):
            raise FormatError(
                where, "passage.end", f"{start}:{end} does not fit a text of {len(text)} characters"
            )
        annotations = fields.get("annotations", list, optional=True, default=[])
        evidence = fields.get("evidence", list, optional=True, default=[])
        discussions = fields.get("discussions", list, optional=True, default=[])
        comments = fields.get("comments", list, optional=True, default=[])
        for name, items in (
            ("annotations", annotations),
            ("evidence", evidence),
            ("discussions", discussions),
            ("comments", comments),
        ):
            check_count(len(items), where, name, limits)
        yield (
            where,
            PassageBundle(
                source=SourceRecord(
                    sha256=sha,
                    title=s.get("title", str),
                    text="",
                    authors=tuple(s.get("authors", list, optional=True, default=[])),
                    year=s.get("year", int, optional=True),
                    language=s.get("language", str, optional=True, default=""),
                    citation=s.get("citation", str, optional=True, default=""),
                    filename=s.get("filename", str, optional=True, default=""),
                ),
                passage=PassageRecord(
                    ordinal=p.get("ordinal", int),
                    text=text,
                    start=start,
                    end=end,
                    kind=p.get("kind", str, optional=True, default="paragraph"),
                    section=p.get("section", str, optional=True, default=""),
                    language=p.get("language", str, optional=True, default=""),
                    attached_to=_attached_to(p, where),
                ),
                annotations=tuple(
                    _read_annotation(_Fields(where, item, f"annotations[{i}]."), text)
                    for i, item in enumerate(annotations)
                ),
                evidence=tuple(
                    _read_evidence(_Fields(where, item, f"evidence[{i}]."), text)
                    for i, item in enumerate(evidence)
                ),
                discussions=tuple(
                    _read_discussion(_Fields(where, item, f"discussions[{i}]."))
                    for i, item in enumerate(discussions)
                ),
                comments=tuple(
                    _read_comment(_Fields(where, item, f"comments[{i}]."), text, i)
                    for i, item in enumerate(comments)
                ),
            ),
        )
