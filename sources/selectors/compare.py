"""Annotators side by side on a source's passages, for leads settling the reviewed layer.

In a session the columns are the participants who submitted and only the session's tags count;
outside sessions, everyone who tagged the source outside any session. A theme on a passage is an
agreement when every column tagged it (anywhere in the passage, whole or span, as the agreement
statistics count it) and a disagreement when only some did."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, QuerySet

from ..models import Annotation, Passage, Project, Session, Source, Submission, Theme
from .reader import Segment, segments
from .review_queue import with_latest_review
from .visibility import visible_to

SHOW = {
    "tagged": "Passages someone tagged",
    "disagreements": "Disagreements only",
    "all": "Every passage",
}


@dataclass
class Verdict:
    theme: Theme
    taggers: list[str]
    missing: list[str]

    @property
    def agreed(self) -> bool:
        return not self.missing and len(self.taggers) > 1

    @property
    def kind(self) -> str:
        """ "agreed" (every column tagged the theme), "disputed" (only some), or "single" (one column)."""
        if self.missing:
            return "disputed"
        return "agreed" if len(self.taggers) > 1 else "single"


@dataclass
class CompareRow:
    passage: Passage
    segments: list[Segment]
    cells: list[list[Annotation]]
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def disagreements(self) -> int:
        return sum(v.kind == "disputed" for v in self.verdicts)


@dataclass
class Comparison:
    session: Session | None
    source: Source
    columns: list[AbstractBaseUser]
    rows: list[CompareRow]

    @property
    def agreed(self) -> int:
        return sum(v.kind == "agreed" for row in self.rows for v in row.verdicts)

    @property
    def disputed(self) -> int:
        return sum(v.kind == "disputed" for row in self.rows for v in row.verdicts)


def compare_sources(project: Project, session: Session | None) -> QuerySet[Source]:
    """The sources one may compare: the session's, or the project's."""
    sources = Source.objects.filter(project=project).defer("text").order_by("title", "id")
    return sources.filter(sessions=session) if session is not None else sources


def compare_source_of(project: Project, session: Session | None, source_id: int | None) -> Source | None:
    """The chosen source, else the first one: choosing another session on the page keeps the source
    chosen before only when the new session has it too."""
    sources = compare_sources(project, session)
    chosen = sources.filter(pk=source_id).first() if source_id is not None else None
    return chosen or sources.first()


def _columns(source: Source, session: Session | None) -> list[AbstractBaseUser]:
    users = get_user_model().objects.order_by("username")
    if session is not None:
        return list(users.filter(pk__in=Submission.objects.filter(session=session).values("user_id")))
    authors = Annotation.objects.filter(passage__source=source, session__isnull=True).values("author_id")
    return list(users.filter(pk__in=authors))


def compare_source(
    user: AbstractBaseUser,
    source: Source,
    session: Session | None,
    *,
    passage_id: int | None = None,
    show: str = "tagged",
) -> Comparison:
    """Rows of passages with each column's tags and a verdict per theme: three queries."""
    columns = _columns(source, session)
    position = {person.pk: n for n, person in enumerate(columns)}
    annotations = visible_to(
        user, Annotation.objects.filter(passage__source=source, author__in=list(position))
    )
    annotations = (
        annotations.filter(session=session)
        if session is not None
        else annotations.filter(session__isnull=True)
    )
    passages = Passage.objects.filter(source=source).order_by("ordinal")
    if passage_id is not None:
        passages = passages.filter(pk=passage_id)
        annotations = annotations.filter(passage=passage_id)
    by_passage: dict[int, list[Annotation]] = {}
    rows_of = with_latest_review(annotations.select_related("theme", "author")).order_by(
        F("start").asc(nulls_first=True), "end", "id"
    )
    for annotation in rows_of:
        by_passage.setdefault(annotation.passage_id, []).append(annotation)
    if show != "all" and passage_id is None:
        passages = passages.filter(pk__in=list(by_passage))
    names = [person.get_username() for person in columns]

    rows = []
    for passage in passages:
        tags = by_passage.get(passage.pk, [])
        cells: list[list[Annotation]] = [[] for _ in columns]
        tagged_by: dict[int, set[int]] = {}
        themes: dict[int, Theme] = {}
        for tag in tags:
            cells[position[tag.author_id]].append(tag)
            tagged_by.setdefault(tag.theme_id, set()).add(position[tag.author_id])
            themes[tag.theme_id] = tag.theme
        verdicts = [
            Verdict(
                theme=themes[theme_id],
                taggers=[names[n] for n in sorted(who)],
                missing=[name for n, name in enumerate(names) if n not in who],
            )
            for theme_id, who in sorted(
                tagged_by.items(), key=lambda kv: (themes[kv[0]].order, themes[kv[0]].slug)
            )
        ]
        kinds = {v.theme.pk: v.kind for v in verdicts}
        for tag in tags:
            tag.verdict = kinds[tag.theme_id]
        row = CompareRow(
            passage=passage,
            segments=segments(passage.text, [t for t in tags if t.start is not None]),
            cells=cells,
            verdicts=verdicts,
        )
        if show == "disagreements" and passage_id is None and not row.disagreements:
            continue
        rows.append(row)
    return Comparison(session=session, source=source, columns=columns, rows=rows)
