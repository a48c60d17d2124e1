"""Comments on passages and spans: threads, replies, @mentions, resolving (docs/collaboration.md)."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .. import permissions as roles
from ..models import Comment, Membership, NotificationKind, Passage, Session
from ..selectors.visibility import hides_any
from .annotations import span_quote
from .errors import ForbiddenError
from .events import event_record
from .notifications import notify

MAX_TEXT = 10_000
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]+)")


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write something."})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": f"At most {MAX_TEXT} characters."})
    return text


def mentioned(text: str, project_id: int) -> list[AbstractBaseUser]:
    """The project's members that `text` names as @username; other names are left as text."""
    names = {name.rstrip(".") for name in MENTION.findall(text)}
    if not names:
        return []
    members = Membership.objects.filter(project=project_id, user__username__in=names).select_related("user")
    return [membership.user for membership in members]


def comment_url(comment: Comment) -> str:
    passage = comment.passage
    reader = reverse("reader", args=[passage.source.project.slug, passage.source_id])
    return f"{reader}#passage-{passage.ordinal}"


def _project_of(comment: Comment):
    return comment.passage.source.project


def _event(comment: Comment, kind: str, actor: AbstractBaseUser) -> None:
    passage = comment.passage
    event_record(
        project_id=passage.source.project_id,
        kind=kind,
        object_id=comment.pk,
        actor=actor,
        author_id=comment.author_id,
        session_id=comment.session_id,
        data={"passage": passage.pk, "source": passage.source_id, "ordinal": passage.ordinal},
    )


def _may_read(person: AbstractBaseUser, comment: Comment) -> bool:
    """A comment written in a blind session is news only to whom it is not hidden from."""
    return comment.session_id is None or not hides_any(person, [(comment.session_id, comment.author_id)])


def _tell_mentioned(comment: Comment, people: list[AbstractBaseUser], already: set[int]) -> None:
    project = _project_of(comment)
    for person in people:
        if person.pk not in already and _may_read(person, comment):
            notify(
                recipient=person,
                kind=NotificationKind.MENTION,
                text=f"{comment.author.username} mentioned you: {comment.text[:200]}",
                url=comment_url(comment),
                project=project,
                actor=comment.author,
                object_id=comment.pk,
            )


@transaction.atomic
def comment_create(
    *,
    passage: Passage,
    author: AbstractBaseUser,
    text: str,
    start: int | None = None,
    end: int | None = None,
    parent: Comment | None = None,
    session: Session | None = None,
) -> Comment:
    """A comment; written in `session` (the session its author reads in), it is that session's work,
    and a reply is in its thread's session."""
    text = _checked_text(text)
    if parent is not None and parent.passage_id != passage.pk:
        raise ValidationError({"parent": "The comment replied to is on another passage."})
    if parent is not None and parent.deleted is not None:
        raise ValidationError({"parent": "The comment replied to was deleted; reply to the thread's others."})
    if parent is not None and (start is not None or end is not None):
        raise ValidationError({"start": "A reply is on its thread's span; give no start and end."})
    if parent is not None:
        session = parent.session
    elif session is not None and not session.sources.filter(pk=passage.source_id).exists():
        raise ValidationError({"session": "This passage's source is not part of that session."})
    comment = Comment.objects.create(
        passage=passage,
        author=author,
        text=text,
        start=start,
        end=end,
        quote=span_quote(passage, start, end, None),
        parent=parent,
        session=session,
    )
    people = mentioned(text, passage.source.project_id)
    comment.mentions.set(people)
    _event(comment, "comment.created", author)
    told: set[int] = set()
    if parent is not None and _may_read(parent.author, comment):
        notify(
            recipient=parent.author,
            kind=NotificationKind.REPLY,
            text=f"{author.username} replied: {text[:200]}",
            url=comment_url(comment),
            project=passage.source.project,
            actor=author,
            object_id=comment.pk,
        )
        told.add(parent.author_id)
    _tell_mentioned(comment, people, told)
    return comment


def _check_author(comment: Comment, user: AbstractBaseUser) -> None:
    if comment.author_id != user.pk:
        raise ForbiddenError("Only its author can change a comment.")
    if comment.deleted is not None:
        raise ValidationError({"comment": "This comment was deleted."})


@transaction.atomic
def comment_edit(*, comment: Comment, editor: AbstractBaseUser, text: str) -> Comment:
    _check_author(comment, editor)
    comment.text = _checked_text(text)
    comment.edited = timezone.now()
    comment.save(update_fields=["text", "edited"])
    before = set(comment.mentions.values_list("pk", flat=True))
    people = mentioned(comment.text, comment.passage.source.project_id)
    comment.mentions.set(people)
    _event(comment, "comment.updated", editor)
    _tell_mentioned(comment, people, before)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, editor: AbstractBaseUser, role: str | None) -> None:
    """Its author deletes a comment, or an owner or instructor (moderating). A comment with replies
    stays in its thread as "deleted", without its text or mentions, so that the replies still read;
    it goes for good with its last reply."""
    if comment.author_id != editor.pk and not roles.can_edit_others(role):
        raise ForbiddenError("Only its author, an instructor or an owner can delete a comment.")
    if comment.deleted is not None:
        raise ValidationError({"comment": "This comment was deleted already."})
    _event(comment, "comment.deleted", editor)
    comment._history_user = editor
    if comment.replies.exists():
        comment.text, comment.deleted = "", timezone.now()
        comment._change_reason = "deleted, its replies kept"
        comment.save(update_fields=["text", "deleted"])
        comment.mentions.clear()
        return
    parent = comment.parent
    comment.delete()
    if parent is not None and parent.deleted is not None and not parent.replies.exists():
        parent._history_user = editor
        parent.delete()


@transaction.atomic
def comment_resolve(*, comment: Comment, user: AbstractBaseUser, role: str | None, resolved: bool) -> Comment:
    """Resolve or reopen a thread: its first comment's author, or an owner or instructor."""
    if comment.parent_id is not None:
        raise ValidationError({"comment": "Resolve or reopen the thread's first comment, not a reply."})
    if comment.author_id != user.pk and not roles.can_edit_others(role):
        raise ForbiddenError("Only the thread's author, an instructor or an owner resolves it.")
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = user if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    _event(comment, "comment.resolved" if resolved else "comment.reopened", user)
    return comment
