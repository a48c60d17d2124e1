"""Sources and passages as the caller may see them, and the passage filters that need more than a field."""

import re

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ..models import Passage, Source
from .annotations import annotations_for_user
from .scoping import member_project_ids, with_my_role

# The text search configuration of the GIN index on passages (migration 0002_passage_search): `simple`
# lowercases and splits on word boundaries without stemming, so English and Cyrillic text alike match
# word for word, and the SQLite fallback below can give the same answers.
SEARCH_CONFIG = "simple"
WORD = re.compile(r"\w+")


def sources_for_user(user: AbstractBaseUser) -> QuerySet[Source]:
    """The caller's sources without their full text, each with `passage_count` and `my_role`."""
    if not user.is_authenticated:
        return Source.objects.none()
    sources = (
        Source.objects.filter(project__in=member_project_ids(user))
        .defer("text")
        .annotate(passage_count=Count("passages"))
        .order_by("id")
    )
    return with_my_role(sources, user, "project")


def passages_for_user(user: AbstractBaseUser) -> QuerySet[Passage]:
    if not user.is_authenticated:
        return Passage.objects.none()
    passages = Passage.objects.filter(source__project__in=member_project_ids(user)).order_by("id")
    return with_my_role(passages, user, "source__project")


def passages_tagged(
    passages: QuerySet[Passage],
    user: AbstractBaseUser,
    *,
    theme: str | None = None,
    author: int | None = None,
    status: str | None = None,
    session: int | None = None,
) -> QuerySet[Passage]:
    """Passages having one annotation the caller may see that matches every given criterion
    (`theme` by slug); blind sessions hide others' annotations here as everywhere."""
    annotations = annotations_for_user(user).filter(passage=OuterRef("pk"))
    if theme is not None:
        annotations = annotations.filter(theme__slug=theme)
    if author is not None:
        annotations = annotations.filter(author=author)
    if status is not None:
        annotations = annotations.filter(status=status)
    if session is not None:
        annotations = annotations.filter(session=session)
    return passages.filter(Exists(annotations))


def passages_in_session(passages: QuerySet[Passage], session: int) -> QuerySet[Passage]:
    return passages.filter(source__sessions=session)


def passages_matching(passages: QuerySet[Passage], query: str) -> QuerySet[Passage]:
    """Passages containing every word of `query` (case-insensitive, whole words).

    PostgreSQL answers from the GIN index on to_tsvector('simple', text); SQLite, for development,
    looks for each word between word boundaries, which gives the same result for plain words."""
    words = WORD.findall(query)
    if not words:
        return passages.none()
    if connections[passages.db].vendor == "postgresql":
        vector = SearchVector("text", config=SEARCH_CONFIG)
        return passages.alias(search=vector).filter(
            search=SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="plain")
        )
    condition = Q()
    for word in words:
        condition &= Q(text__iregex=rf"(?<!\w){re.escape(word)}(?!\w)")
    return passages.filter(condition)
