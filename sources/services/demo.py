"""The demo project `sco`: both articles through the ingester, the codebook, users and example work.

Idempotent: running it again finds what exists and adds only what is missing."""

import json
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from ..models import Annotation, Claim, Evidence, Membership, Passage, Project, Source, Theme
from .annotations import annotation_create
from .errors import ConflictError
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
        passage = _passage_with(project, entry["passage"])
        start = end = None
        if "span" in entry:
            start = passage.text.find(entry["span"])
            if start < 0:
                raise DemoDataError(f"Span {entry['span']!r} not in the passage with {entry['passage']!r}.")
            end = start + len(entry["span"])
        with suppress(ConflictError):
            annotation_create(
                passage=passage,
                theme=themes[entry["theme"]],
                author=users[entry["author"]],
                start=start,
                end=end,
                note=entry.get("note", ""),
            )

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

    return DemoReport(
        project=project,
        created=created,
        sources=Source.objects.filter(project=project).count(),
        passages=Passage.objects.filter(source__project=project).count(),
        annotations=Annotation.objects.filter(passage__source__project=project).count(),
    )
