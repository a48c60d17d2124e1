"""The demo project `sco`: both articles through the ingester, the codebook, users and example work.

Idempotent: running it again finds what exists and adds only what is missing."""

import json
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..models import Annotation, Claim, Evidence, Membership, Passage, Project, Session, Source, Theme
from .annotations import annotation_create
from .errors import ConflictError
from .feedback import answer_key_set, rubric_set
from .sessions import session_create, session_submit
from .sources import source_import

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@dataclass
class DemoReport:
    project: Project
    created: bool
    sources: int
    passages: int
    annotations: int


class DemoDataError(Exception):
    """The demo fixture does not match the shipped articles (a phrase not found, say)."""


def _passage_with(project: Project, phrase: str) -> Passage:
    matches = list(Passage.objects.filter(source__project=project, text__contains=phrase)[:2])
    if len(matches) != 1:
        raise DemoDataError(f"Expected one passage containing {phrase!r}, found {len(matches)}.")
    return matches[0]


def _tag(project: Project, entry: dict, themes: dict, users: dict, session: Session | None = None) -> None:
    """A fixture tag: `passage` is a phrase naming the passage, `span` (optional) the words tagged."""
    passage = _passage_with(project, entry["passage"])
    start = end = None
    if "span" in entry:
        start = passage.text.find(entry["span"])
        if start < 0:
            raise DemoDataError(f"Span {entry['span']!r} not in the passage with {entry['passage']!r}.")
        end = start + len(entry["span"])
    annotation_create(
        passage=passage,
        theme=themes[entry["theme"]],
        author=users[entry["author"]],
        start=start,
        end=end,
        note=entry.get("note", ""),
        session=session,
    )


def _closed_session(project: Project, spec: dict, themes: dict, users: dict) -> None:
    """A session both annotators took part in and submitted, with an answer key and a rubric, closed
    a week ago: review, compare, agreement, feedback and grades have something to show at once."""
    if Session.objects.filter(project=project, name=spec["name"]).exists():
        return
    now = timezone.now()
    key_author = users[spec["answer_key"]]
    session = session_create(
        project=project,
        created_by=key_author,
        name=spec["name"],
        instructions=spec["instructions"],
        # Open while the work below is written and submitted (the services check that), then closed.
        opens_at=now - timedelta(days=8),
        closes_at=now + timedelta(hours=1),
        sources=[Source.objects.get(project=project, title=spec["source"])],
        participants=[users[name] for name in spec["participants"]],
    )
    for entry in spec["tags"]:
        _tag(project, entry, themes, users, session=session)
    for name in spec["participants"]:
        session_submit(session=session, user=users[name])
    answer_key_set(session=session, author=key_author)
    rubric_set(session=session, criteria=spec["rubric"])
    Session.objects.filter(pk=session.pk).update(closes_at=now - timedelta(days=7))


@transaction.atomic
def demo_seed(*, fixture: Path = FIXTURES / "demo.json") -> DemoReport:
    spec = json.loads(fixture.read_text(encoding="utf-8"))
    project, created = Project.objects.get_or_create(
        slug=spec["project"]["slug"],
        defaults={"name": spec["project"]["name"], "description": spec["project"]["description"]},
    )
    users = {}
    User = get_user_model()
    for entry in spec["users"]:
        user, new = User.objects.get_or_create(
            username=entry["username"],
            defaults={"first_name": entry["first_name"], "last_name": entry["last_name"]},
        )
        if new:
            user.set_password(spec["password"])
            user.save()
        Membership.objects.get_or_create(project=project, user=user, defaults={"role": entry["role"]})
        users[entry["username"]] = user

    owner = users[spec["users"][0]["username"]]
    for entry in spec["sources"]:
        path = FIXTURES / entry["file"]
        with suppress(ConflictError):  # already imported on an earlier run
            source_import(
                project=project,
                data=path.read_bytes(),
                filename=path.name,
                title=entry["title"],
                authors=entry["authors"],
                year=entry.get("year"),
                language=entry.get("language"),
                citation=entry["citation"],
                added_by=owner,
            )

    themes = {}
    for order, entry in enumerate(spec["themes"]):
        theme, _ = Theme.objects.update_or_create(
            project=project,
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "description": entry["description"],
                "color": entry["color"],
                "shortcut": entry["shortcut"],
                "parent": themes.get(entry.get("parent")),
                "order": order,
            },
        )
        themes[entry["slug"]] = theme

    for entry in spec["annotations"]:
        with suppress(ConflictError):
            _tag(project, entry, themes, users)

    for entry in spec["claims"]:
        claim, _ = Claim.objects.get_or_create(
            project=project, text=entry["text"], defaults={"author": users[entry["author"]]}
        )
        for link in entry["evidence"]:
            Evidence.objects.get_or_create(
                claim=claim,
                passage=_passage_with(project, link["passage"]),
                relation=link["relation"],
                author=users[link["author"]],
                defaults={"note": link.get("note", "")},
            )

    if "session" in spec:
        _closed_session(project, spec["session"], themes, users)

    return DemoReport(
        project=project,
        created=created,
        sources=Source.objects.filter(project=project).count(),
        passages=Passage.objects.filter(source__project=project).count(),
        annotations=Annotation.objects.filter(passage__source__project=project).count(),
    )
