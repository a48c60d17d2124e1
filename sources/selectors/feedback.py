"""The feedback and grades pages: a participant's scores against the answer key with every difference
laid out in its passage, and what an instructor needs to grade a session.

Each function runs a fixed number of queries, whatever the number of passages, annotations or
participants: the scores come from `session_scores`, the passages and tags behind the differences
from one query each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.http import Http404

from ..models import Annotation, Membership, Passage, Project, Session, Source, Theme
from .reader import Segment, segments
from .scores import session_scores

MISSED, EXTRA = "missed", "extra"


def session_of_project(project: Project, session_id: int) -> Session:
    """The project's session (with its answer key's author); 404 for another project's."""
    session = (
        Session.objects.select_related("answer_key_author").filter(project=project, pk=session_id).first()
    )
    if session is None:
        raise Http404("No such session in this project.")
    return session


def session_participants(session: Session) -> list[AbstractBaseUser]:
    return list(get_user_model().objects.filter(annotation_sessions=session).order_by("username"))


def session_sources(session: Session) -> list[Source]:
    return list(Source.objects.filter(sessions=session).only("id", "title").order_by("title", "id"))


def answer_key_candidates(session: Session) -> list[Membership]:
    """The members who tagged in the session (and the current key's author, whatever they have left),
    each with `tag_count`: how many annotations they made in it. Someone without tags there would
    make every participant score zero."""
    return list(
        Membership.objects.filter(project=session.project_id)
        .select_related("user")
        .annotate(tag_count=Count("user__annotations", filter=Q(user__annotations__session=session)))
        .filter(Q(tag_count__gt=0) | Q(user=session.answer_key_author_id))
        .order_by("user__username")
    )


@dataclass
class ThemeRow:
    theme: Theme
    precision: float | None
    recall: float | None
    kappa: float | None
    missed: int = 0
    extra: int = 0

    @property
    def used(self) -> bool:
        """Whether the key or the participant tagged anything with the theme."""
        return self.precision is not None or self.recall is not None


@dataclass
class Difference:
    """One theme on which the participant and the key disagree about a passage, with the tags that
    make the difference: the key's when the participant missed it, the participant's when they added it."""

    theme: Theme
    kind: str
    tags: list[Annotation]

    @property
    def whole_passage(self) -> bool:
        return any(tag.start is None for tag in self.tags)


@dataclass
class PassageDifferences:
    passage: Passage
    segments: list[Segment]
    differences: list[Difference] = field(default_factory=list)


@dataclass
class Feedback:
    participant: AbstractBaseUser
    themes: list[ThemeRow]
    passages: list[PassageDifferences]

    @property
    def used_themes(self) -> list[ThemeRow]:
        return [row for row in self.themes if row.used]

    @property
    def unused_themes(self) -> list[ThemeRow]:
        return [row for row in self.themes if not row.used]

    @property
    def missed(self) -> int:
        return sum(row.missed for row in self.themes)

    @property
    def extra(self) -> int:
        return sum(row.extra for row in self.themes)


def session_feedback(session: Session, participant: AbstractBaseUser, themes: list[Theme]) -> Feedback:
    """The participant's scores per theme against the session's answer key, and each difference in
    its passage. The session must have an answer key; `themes` is the project's codebook."""
    key_id = session.answer_key_author_id
    rows = session_scores(session=session, key_author_id=key_id, user_ids=[participant.pk])
    by_slug_theme = {theme.slug: theme for theme in themes}
    theme_of = {theme.pk: theme for theme in themes}
    if not rows:  # the key's own author, or not a participant
        return Feedback(participant=participant, themes=[], passages=[])
    [scores] = rows
    table = [
        ThemeRow(by_slug_theme[s.theme], s.precision, s.recall, s.kappa)
        for s in scores.themes
        if s.theme in by_slug_theme
    ]
    by_slug = {row.theme.slug: row for row in table}
    differences = [d for d in scores.differences if d.theme in by_slug]
    passage_ids = {d.passage_id for d in differences}
    passages = Passage.objects.filter(pk__in=passage_ids).select_related("source")
    tags: dict[tuple[int, int, int], list[Annotation]] = defaultdict(list)
    found = Annotation.objects.filter(
        session=session, passage_id__in=passage_ids, author_id__in=[key_id, participant.pk]
    ).order_by("start", "end", "id")
    for tag in found:
        tags[(tag.passage_id, tag.theme_id, tag.author_id)].append(tag)

    grouped: dict[int, list[Difference]] = defaultdict(list)
    for difference in differences:
        row = by_slug[difference.theme]
        author = key_id if difference.kind == MISSED else participant.pk
        grouped[difference.passage_id].append(
            Difference(row.theme, difference.kind, tags[(difference.passage_id, row.theme.pk, author)])
        )
        if difference.kind == MISSED:
            row.missed += 1
        else:
            row.extra += 1
    laid_out = []
    for passage in sorted(passages, key=lambda p: (p.source.title, p.source_id, p.ordinal)):
        found_here = grouped[passage.pk]
        spans = [tag for d in found_here for tag in d.tags if tag.start is not None]
        for tag in spans:
            tag.theme = theme_of[tag.theme_id]  # the highlight's title names it; no query per tag
        laid_out.append(PassageDifferences(passage, segments(passage.text, spans), found_here))
    return Feedback(participant=participant, themes=table, passages=laid_out)
