"""Role predicates shared by the API and the pages (docs/api.md, "Who may do what").

Each predicate takes the caller's role in the project (None for a non-member), so a view looks the
membership up once and asks as many questions as it needs without further queries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

WRITERS = frozenset({Role.OWNER, Role.INSTRUCTOR, Role.ANNOTATOR})
LEADS = frozenset({Role.OWNER, Role.INSTRUCTOR})


def can_read(role: str | None) -> bool:
    return role is not None


def can_annotate(role: str | None) -> bool:
    """Create annotations, claims and evidence of one's own."""
    return role in WRITERS


def can_edit_others(role: str | None) -> bool:
    return role in LEADS


def can_review(role: str | None) -> bool:
    return role in LEADS


def can_manage(role: str | None) -> bool:
    """Sources, codebook and sessions."""
    return role in LEADS


def can_administer(role: str | None) -> bool:
    """Members, and deleting the project."""
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
