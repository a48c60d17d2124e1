"""Our own JSONL: passages matched by source sha256 and ordinal (a missing source rebuilt from its
passages), with annotations, claims and evidence links, discussion threads and comments."""

import hashlib
from collections.abc import Iterable

from ...formats.records import DiscussionRecord, FormatError, PassageBundle
from ...models import (
    Annotation,
    AnnotationStatus,
    Claim,
    Comment,
    Discussion,
    Evidence,
    Passage,
    Relation,
    Source,
)
from ..bulk_rows import db_datetime, insert_rows
from ..sources import source_save_with_passages
from .comments import comments_import
from .context import ImportContext
from .writer import EVIDENCE_COLUMNS, AnnotationWriter

STATUSES = frozenset(AnnotationStatus.values)
RELATIONS = frozenset(Relation.values)


def _rebuild_source(context: ImportContext, where: str, group: list[tuple[str, PassageBundle]]) -> Source:
    """A source our JSONL names but the project lacks: its passages, joined by what lies between
    them, must give back the text whose sha256 the file names."""
    first = group[0][1].source
    passages = sorted({b.passage.ordinal: b.passage for _, b in group}.values(), key=lambda p: p.ordinal)
    ordinals = {passage.ordinal for passage in passages}
    text = ""
    for passage in passages:
        if passage.attached_to is not None and passage.attached_to not in ordinals:
            raise FormatError(
                where, "passage.attached_to", f"passage {passage.ordinal} names no passage of its source"
            )
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


class JsonlImport:
    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.writer = AnnotationWriter(context)
        self.claims: dict[tuple[str, str], Claim | None] = {}
        self.claim_sources: list[tuple[Claim, str]] = []

    def run(self, bundles: Iterable[tuple[str, PassageBundle]]) -> None:
        group: list[tuple[str, PassageBundle]] = []
        seen: set[str] = set()
        for where, bundle in bundles:
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
        links, threads, remarks = [], [], []
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
            if bundle.comments:
                remarks.append((passage_id, bundle.comments))
        self.writer.forget_new()
        self._evidence(links, list(passages.values()))
        self._discussions(threads)
        for passage_id, comments in remarks:
            comments_import(self.context, passage_id, comments)

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
