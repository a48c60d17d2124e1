"""Feedback for students: each annotator's session work against the session's answer key.

Passage level: for a theme, the key tags a set of passages and the annotator another; precision is
the share of the annotator's passages the key also tags, recall the share of the key's passages
the annotator found, kappa Cohen's kappa over all of the session's passages (headings excluded)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from ..models import Annotation, Passage, PassageKind, Session, Theme
from ..reliability import cohen_kappa


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    precision: float | None
    recall: float | None
    kappa: float | None


@dataclass(frozen=True)
class Difference:
    """A passage where the annotator and the key disagree on a theme."""

    passage_id: int
    theme: str
    kind: str  # "missed": the key tags it, the annotator did not; "extra": the other way round


@dataclass
class ParticipantScores:
    user: int
    username: str
    themes: list[ThemeScore] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def session_scores(
    *, session: Session, key_author_id: int, user_ids: list[int] | None = None
) -> list[ParticipantScores]:
    """Scores of the session's participants (or of `user_ids`) against the key author's annotations."""
    participants = get_user_model().objects.filter(annotation_sessions=session).exclude(pk=key_author_id)
    if user_ids is not None:
        participants = participants.filter(pk__in=user_ids)
    people = list(participants.order_by("username").values_list("pk", "username"))
    passage_ids = list(
        Passage.objects.filter(source__sessions=session)
        .exclude(kind=PassageKind.HEADING)
        .order_by("source_id", "ordinal")
        .values_list("pk", flat=True)
    )
    themes = list(
        Theme.objects.filter(project=session.project_id).order_by("order", "slug").values_list("pk", "slug")
    )
    tagged: dict[tuple[int, int], set[int]] = defaultdict(set)
    rows = Annotation.objects.filter(
        session=session, author_id__in=[key_author_id, *(pk for pk, _ in people)]
    ).values_list("author_id", "theme_id", "passage_id")
    for author_id, theme_id, passage_id in rows.iterator():
        tagged[(author_id, theme_id)].add(passage_id)

    results = []
    for user_id, username in people:
        scores = ParticipantScores(user=user_id, username=username)
        for theme_id, slug in themes:
            key, mine = tagged[(key_author_id, theme_id)], tagged[(user_id, theme_id)]
            hits = len(key & mine)
            vectors = [[int(p in mine) for p in passage_ids], [int(p in key) for p in passage_ids]]
            scores.themes.append(
                ThemeScore(
                    theme=slug,
                    precision=_ratio(hits, len(mine)),
                    recall=_ratio(hits, len(key)),
                    kappa=cohen_kappa(vectors) if passage_ids else None,
                )
            )
            missed, extra = key - mine, mine - key
            scores.differences += [Difference(p, slug, "missed") for p in passage_ids if p in missed]
            scores.differences += [Difference(p, slug, "extra") for p in passage_ids if p in extra]
        results.append(scores)
    return results
