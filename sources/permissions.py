"""Role predicates shared by the API and the pages (docs/api.md, "Who may do what").

Each predicate takes the caller's role in the project (None for a non-member), so a view looks the
membership up once and asks as many questions as it needs without further queries.

Archived projects are read-only for everyone, decided here: the selectors that look a role up hand
out a `ReadOnlyRole` for an archived project, which compares equal to the role (displays and
blind-session rules are unchanged) but passes no predicate except reading and exporting — so every
page, API call and service gate that asks these predicates refuses writes without knowing about
archiving. Only `can_own` (the settings that restore or delete a project) ignores it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

ARCHIVED_MESSAGE = "This project is archived: it is read-only until an owner restores it in its settings."


class ReadOnlyRole(str):
    """A member's role in an archived project."""


def effective_role(role: str | None, archived: bool) -> str | None:
    return ReadOnlyRole(role) if archived and role is not None else role


def is_read_only(role: str | None) -> bool:
    return isinstance(role, ReadOnlyRole)


WRITERS = frozenset({Role.OWNER, Role.INSTRUCTOR, Role.ANNOTATOR})
LEADS = frozenset({Role.OWNER, Role.INSTRUCTOR})


def can_read(role: str | None) -> bool:
    return role is not None


def can_annotate(role: str | None) -> bool:
    """Create annotations, claims and evidence of one's own."""
    return role in WRITERS and not is_read_only(role)


def can_edit_others(role: str | None) -> bool:
    return role in LEADS and not is_read_only(role)


def can_review(role: str | None) -> bool:
    return role in LEADS and not is_read_only(role)


def can_manage(role: str | None) -> bool:
    """Sources, codebook and sessions."""
    return role in LEADS and not is_read_only(role)


def can_administer(role: str | None) -> bool:
    """Members and invitations."""
    return role == Role.OWNER and not is_read_only(role)


def can_own(role: str | None) -> bool:
    """The project's settings, archiving and restoring it, and deleting it: archived or not."""
    return role == Role.OWNER


def can_export(role: str | None) -> bool:
    return role is not None


def can_change_own_or_others(role: str | None, user: AbstractBaseUser, author_id: int | None) -> bool:
    """Edit or delete a piece of work: leads may touch anyone's, writers only their own."""
    if can_edit_others(role):
        return True
    return can_annotate(role) and author_id == user.pk


def can_restore(role: str | None, user: AbstractBaseUser, author_id: int | None) -> bool:
    """Bring back an earlier version of a piece of work, deletions included: leads anyone's,
    writers their own (a deleted tag of one's own is one's own to bring back)."""
    return can_change_own_or_others(role, user, author_id)
