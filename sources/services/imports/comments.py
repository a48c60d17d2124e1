"""Comments on passages from a file (our JSONL, W3C Web Annotation): threads kept as threads, with
their own times, resolutions and deletions; nobody is notified of what an import brings."""

from collections.abc import Sequence

from ...formats.records import PassageCommentRecord
from ...models import Comment
from ..comments import mentioned
from .context import ImportContext


def comments_import(context: ImportContext, passage_id: int, records: Sequence[PassageCommentRecord]) -> None:
    """One passage's comments, oldest first, each reply after the comment it answers (`reply_to`, an
    index into `records`). A comment already on the passage (same author and time) is skipped, and
    replies to it attach to it; a reply to a comment left out starts a thread of its own."""
    made: dict[int, Comment | None] = {}
    for index, record in enumerate(records):
        author = context.user(record.author)
        if author is None:
            made[index] = None
            continue
        same = Comment.objects.filter(passage_id=passage_id, author=author, created=record.created)
        existing = same.first()
        if existing is not None:
            made[index] = existing
            context.report.duplicates_skipped += 1
            continue
        parent = made.get(record.reply_to) if record.reply_to is not None else None
        comment = Comment.objects.create(
            passage_id=passage_id,
            author=author,
            text=record.text,
            start=record.start if parent is None else None,
            end=record.end if parent is None else None,
            quote=record.quote if parent is None else "",
            parent=parent,
            session=parent.session if parent is not None else context.session(record.session, record.created),
            edited=record.edited,
            resolved_at=record.resolved_at if parent is None else None,
            resolved_by=context.user(record.resolved_by) if record.resolved_at and parent is None else None,
            deleted=record.deleted,
        )
        # auto_now_add stamped the import's time; the comment keeps the one the file gives.
        Comment.objects.filter(pk=comment.pk).update(created=record.created)
        comment.created = record.created
        comment.mentions.set(mentioned(record.text, context.project.pk))
        made[index] = comment
        context.report.comments_created += 1
