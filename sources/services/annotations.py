"""Annotations: tagging passages and spans with themes."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..formats.records import span_problem
from ..models import Annotation, Membership, Passage, Session, Suggestion, Theme
from ..permissions import LEADS
from .errors import ConflictError
from .versioning import locked_for_update


def span_quote(passage: Passage, start: int | None, end: int | None, quote: str | None) -> str:
    """Check a span against the passage text and return its quote ("" for a whole-passage tag)."""
    if start is None and end is None:
        if quote:
            raise ValidationError(
                {"quote": "A whole-passage tag has no quote; give start and end for a span."}
            )
        return ""
    problem = span_problem(start, end, len(passage.text))
    if problem is not None:
        raise ValidationError({problem[0]: problem[1]})
    text = passage.text[start:end]
    if quote is not None and quote != text:
        raise ValidationError(
            {"quote": f"The quote does not match the passage text at {start}:{end} ({text!r})."}
        )
    return text


def _check_session(session: Session | None, passage: Passage, author: AbstractBaseUser) -> None:
    if session is None:
        return
    check_session_work(session, passage.source.project_id, author)
    if not session.sources.filter(pk=passage.source_id).exists():
        raise ValidationError({"session": "This passage's source is not part of the session."})


def check_session_work(session: Session, project_id: int, author: AbstractBaseUser) -> None:
    """May `author` add work (a tag, claim, evidence link) to `session` of project `project_id` now?"""
    if session.project_id != project_id:
        raise ValidationError({"session": "The session belongs to another project."})
    if _leads(session, author):
        return  # instructors annotate a session at any time, e.g. to build its answer key
    if not session.participants.filter(pk=author.pk).exists():
        raise ValidationError({"session": "You are not a participant of this session."})
    _check_session_editable(session, author)


def _leads(session: Session, user: AbstractBaseUser) -> bool:
    """Owners and instructors of the session's project: its time limits bind participants, not them."""
    return Membership.objects.filter(project=session.project_id, user=user, role__in=LEADS).exists()


def _check_change_allowed(annotation: Annotation, editor: AbstractBaseUser | None) -> None:
    if annotation.session_id:
        check_session_unlocked(annotation.session, editor or annotation.author, annotation.author)


def check_session_unlocked(session: Session, editor: AbstractBaseUser, author: AbstractBaseUser) -> None:
    """Refuse a change to `author`'s work in `session` once it closed or they submitted, unless
    `editor` leads the project."""
    if not _leads(session, editor):
        _check_session_editable(session, author)


def _check_session_editable(session: Session, author: AbstractBaseUser) -> None:
    now = timezone.now()
    if now >= session.closes_at:
        raise ValidationError(
            {"session": f"Session '{session.name}' closed at {session.closes_at:%Y-%m-%d %H:%M %Z}."}
        )
    if now < session.opens_at:
        raise ValidationError(
            {"session": f"Session '{session.name}' opens at {session.opens_at:%Y-%m-%d %H:%M %Z}."}
        )
    if session.submissions.filter(user=author).exists():
        raise ValidationError({"session": "You have already submitted your work in this session."})


def duplicate_of(annotation: Annotation) -> Annotation | None:
    same = Q(author=annotation.author_id, passage=annotation.passage_id, theme=annotation.theme_id)
    same &= Q(start=annotation.start) if annotation.start is not None else Q(start__isnull=True)
    same &= Q(end=annotation.end) if annotation.end is not None else Q(end__isnull=True)
    same &= Q(session=annotation.session_id) if annotation.session_id else Q(session__isnull=True)
    return Annotation.objects.filter(same).exclude(pk=annotation.pk).first()


def _save(annotation: Annotation) -> Annotation:
    duplicate = duplicate_of(annotation)
    if duplicate is not None:
        raise ConflictError(
            f"You already tagged this {'span' if annotation.start is not None else 'passage'} with "
            f"{annotation.theme.name}.",
            duplicate.pk,
        )
    annotation.full_clean(validate_constraints=False)
    annotation.save()
    return annotation


def annotation_create(
    *,
    passage: Passage,
    theme: Theme,
    author: AbstractBaseUser,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    note: str = "",
    session: Session | None = None,
    suggestion: Suggestion | None = None,
) -> Annotation:
    """`suggestion`: the suggestion the tag is accepted from, recorded with its recommender."""
    with transaction.atomic():
        if theme.project_id != passage.source.project_id:
            raise ValidationError({"theme": "The theme belongs to another project than the passage."})
        _check_session(session, passage, author)
        annotation = Annotation(
            passage=passage,
            theme=theme,
            author=author,
            start=start,
            end=end,
            quote=span_quote(passage, start, end, quote),
            note=note,
            session=session,
            suggestion=suggestion,
            suggested_by=suggestion.recommender if suggestion is not None else "",
        )
        return _save(annotation)


EDITABLE = frozenset({"theme", "start", "end", "quote", "note"})


def annotation_update(
    *,
    annotation: Annotation,
    expected_version: int | None = None,
    editor: AbstractBaseUser | None = None,
    **changes: Any,
) -> Annotation:
    """Change an annotation. In a session, participants' edits are refused once it closed or they
    submitted; an `editor` who leads the project (adjudicating, say) is not bound by that."""
    with transaction.atomic():
        annotation = locked_for_update(annotation, expected_version)
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed."))
        _check_change_allowed(annotation, editor)
        theme = changes.get("theme", annotation.theme)
        if theme.project_id != annotation.passage.source.project_id:
            raise ValidationError({"theme": "The theme belongs to another project than the passage."})
        annotation.theme = theme
        if "start" in changes or "end" in changes:
            annotation.start = changes.get("start", annotation.start)
            annotation.end = changes.get("end", annotation.end)
            annotation.quote = span_quote(
                annotation.passage, annotation.start, annotation.end, changes.get("quote")
            )
        elif "quote" in changes and changes["quote"] != annotation.quote:
            raise ValidationError({"quote": "The quote follows the offsets; change start and end instead."})
        if "note" in changes:
            annotation.note = changes["note"]
        annotation.version += 1
        return _save(annotation)


def annotation_delete(
    *, annotation: Annotation, expected_version: int | None = None, editor: AbstractBaseUser | None = None
) -> None:
    with transaction.atomic():
        annotation = locked_for_update(annotation, expected_version)
        _check_change_allowed(annotation, editor)
        annotation.delete()
