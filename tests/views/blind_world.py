"""A blind session's world for the channel tests: one annotator (the writer) works in a blind
session — a tag with a note, a claim, an evidence link with a note, a discussion, a comment on the
passage naming the reader — and an instructor comments on the tag in a review. Each piece carries a
marker string that another annotator (the reader) must not find anywhere until both have submitted."""

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import pyarrow.parquet as pq
from django.http import HttpResponse
from rest_framework.test import APIClient

from sources.models import Annotation, Claim, Comment, Discussion, Evidence, Release, Review, Session
from sources.services.releases import release_create

from ..conftest import Team
from ..factories import SessionFactory, SourceFactory, ThemeFactory

MARKERS = {
    "tag": "zqTAGNOTEzq",
    "claim": "zqCLAIMTEXTzq",
    "evidence": "zqEVIDENCENOTEzq",
    "discussion": "zqDISCUSSIONzq",
    "review": "zqREVIEWCOMMENTzq",
    "comment": "zqPASSAGECOMMENTzq",
}
PARAGRAPHS = [
    "China uses the SCO to fight terrorism, separatism and extremism.",
    "Energy from Central Asia reaches China through pipelines, oil and gas alike.",
    "The expansion of the SCO to India and Pakistan made consensus harder.",
]
PHASES = ("nobody submitted", "the reader submitted", "both submitted")


@dataclass
class World:
    team: Team
    session: Session
    passages: list
    energy: Any
    tag: Annotation
    claim: Claim
    evidence: Evidence
    discussion: Discussion
    review: Review
    comment: Comment
    phase: int = 0
    made_release: Release | None = None

    @property
    def release(self) -> Release:
        """An instructor's release, made (the first time it is asked for) while the instructor sees
        everything: before anyone submitted, in the tests that ask for it."""
        if self.made_release is None:
            self.made_release = release_create(project=self.team.project, user=self.team.instructor)
        return self.made_release

    @property
    def reader(self):
        return self.team.annotator

    @property
    def writer(self):
        return self.team.annotator2

    @property
    def slug(self) -> str:
        return self.team.project.slug


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def created(response) -> int:
    assert response.status_code == 201, response.content[:300]
    return response.json()["id"]


def build_world(team: Team) -> World:
    """The blind session of the module docstring, its work made through the API by the writer."""
    project = team.project
    source = SourceFactory(project=project, title="The SCO article", paragraphs=PARAGRAPHS)
    passages = list(source.passages.order_by("ordinal"))
    energy = ThemeFactory(project=project, slug="energy", name="Energy")
    ThemeFactory(project=project, slug="terrorism", name="Terrorism")
    session = SessionFactory(
        project=project, name="Blind week", blind=True, answer_key_author=team.instructor
    )
    session.sources.set([source])
    session.participants.set([team.annotator, team.annotator2])
    # The writer's work goes through the API, as a participant makes it, naming the session.
    writer = api_client(team.annotator2)
    tag = created(
        writer.post(
            "/api/annotations/",
            {
                "passage": passages[0].pk,
                "theme": energy.pk,
                "start": 0,
                "end": 5,
                "note": MARKERS["tag"],
                "session": session.pk,
            },
        )
    )
    claim = created(
        writer.post("/api/claims/", {"project": project.pk, "text": MARKERS["claim"], "session": session.pk})
    )
    evidence = created(
        writer.post(
            "/api/evidence/",
            {
                "claim": claim,
                "passage": passages[0].pk,
                "annotation": tag,
                "relation": "supports",
                "note": MARKERS["evidence"],
            },
        )
    )
    discussion = created(
        writer.post(
            "/api/discussions/",
            {
                "passage": passages[0].pk,
                "theme": energy.pk,
                "session": session.pk,
                "text": MARKERS["discussion"],
            },
        )
    )
    comment = created(
        writer.post(
            "/api/comments/",
            {
                "passage": passages[0].pk,
                "session": session.pk,
                "text": f"@{team.annotator.username} {MARKERS['comment']}",
            },
        )
    )
    review = created(
        api_client(team.instructor).post(
            "/api/reviews/", {"annotation": tag, "decision": "comment", "comment": MARKERS["review"]}
        )
    )
    return World(
        team=team,
        session=session,
        passages=passages,
        energy=energy,
        tag=Annotation.objects.get(pk=tag),
        claim=Claim.objects.get(pk=claim),
        evidence=Evidence.objects.get(pk=evidence),
        discussion=Discussion.objects.get(pk=discussion),
        review=Review.objects.get(pk=review),
        comment=Comment.objects.get(pk=comment),
    )


def body_text(response: HttpResponse) -> str:
    """What a person could read in the answer: zip members and Parquet rows unpacked."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    if raw.startswith(b"PAR1"):
        return json.dumps(pq.read_table(io.BytesIO(raw)).to_pylist(), default=str)
    return raw.decode("utf-8", "replace")


T, C, E, D, R, M = "tag", "claim", "evidence", "discussion", "review", "comment"
