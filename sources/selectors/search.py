"""Passage search for the search page: words in the text, filtered by theme and annotator.

The matching itself is the API's (`selectors.sources`): every word must occur in the passage as a
whole word, case-insensitively; PostgreSQL answers from its full-text index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet

from ..models import Annotation, Passage, Project
from .sources import WORD, passages_matching, passages_tagged
from .visibility import hidden_annotations

MAX_WORDS = 12


@dataclass
class SearchQuery:
    text: str = ""
    theme: str = ""  # theme slug
    annotator: int | None = None  # user id

    @property
    def words(self) -> list[str]:
        return WORD.findall(self.text)[:MAX_WORDS]

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.theme or self.annotator is not None)


def passages_search(user: AbstractBaseUser, project: Project, query: SearchQuery) -> QuerySet[Passage]:
    """Passages of `project` matching every word, tagged with the theme and/or by the annotator
    (the same annotation when both are given), each with `tag_count` of the caller-visible tags."""
    passages = Passage.objects.filter(source__project=project)
    if query.words:
        passages = passages_matching(passages, " ".join(query.words))
    if query.theme or query.annotator is not None:
        passages = passages_tagged(passages, user, theme=query.theme or None, author=query.annotator)
    hidden = Annotation.objects.filter(hidden_annotations(user)).values("pk")
    visible = ~Q(annotations__pk__in=hidden)
    return (
        passages.select_related("source")
        .annotate(tag_count=Count("annotations", filter=visible, distinct=True))
        .order_by("source_id", "ordinal")
    )


def highlighted(text: str, words: list[str]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_match) pieces, so the template marks matches and escapes all."""
    if not words:
        return [(text, False)]
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    pieces, at = [], 0
    for match in pattern.finditer(text):
        if match.start() > at:
            pieces.append((text[at : match.start()], False))
        pieces.append((match.group(), True))
        at = match.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
