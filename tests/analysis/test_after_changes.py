"""The analysis views follow every change to the tags: after a tag is made, edited, reviewed, deleted,
restored from its history or imported, the matrix, the co-occurrence and the comparison answer what
counting the database's tags by hand gives, and the page's tables agree with the API."""

import io
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sources.models import Annotation, Passage, Theme
from sources.services.annotations import annotation_create, annotation_delete, annotation_update
from sources.services.history import history_restore
from sources.services.imports import annotations_import
from sources.services.reviews import review_create

from .conftest import Corpus

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"


def by_hand(corpus: Corpus) -> dict:
    """The matrix and co-occurrence of every tag (status `all`), counted from the rows themselves."""
    project = corpus.team.project
    themes = list(Theme.objects.filter(project=project))
    parent = {theme.pk: theme.parent_id for theme in themes}
    themes_of: dict[int, set[int]] = {}
    for passage, theme in Annotation.objects.filter(theme__project=project).values_list("passage", "theme"):
        while theme is not None:
            themes_of.setdefault(passage, set()).add(theme)
            theme = parent[theme]
    source_of = dict(Passage.objects.filter(source__project=project).values_list("pk", "source_id"))
    matrix: dict[tuple[int, int], int] = {}
    together: dict[tuple[int, int], int] = {}
    for passage, tagged in themes_of.items():
        for a in tagged:
            matrix[source_of[passage], a] = matrix.get((source_of[passage], a), 0) + 1
            for b in tagged:
                together[a, b] = together.get((a, b), 0) + 1
    return {"matrix": matrix, "together": together}


def answered(corpus: Corpus) -> dict:
    api = APIClient()
    api.force_authenticate(corpus.team.annotator)
    matrix = api.get("/api/projects/class/analysis/matrix/", {"status": "all"}).json()
    together = api.get("/api/projects/class/analysis/cooccurrence/", {"status": "all"}).json()
    pk = dict(Theme.objects.filter(project=corpus.team.project).values_list("slug", "pk"))
    return {
        "matrix": {
            (source, pk[slug]): n
            for source, row in zip(matrix["rows"], matrix["counts"], strict=True)
            for slug, n in zip(matrix["themes"], row, strict=True)
            if n
        },
        "together": {
            (pk[a], pk[b]): n
            for a, row in zip(together["themes"], together["counts"], strict=True)
            for b, n in zip(together["themes"], row, strict=True)
            if n
        },
    }


def compared_energy(corpus: Corpus) -> list[int]:
    api = APIClient()
    api.force_authenticate(corpus.team.observer)
    answer = api.get(
        "/api/projects/class/analysis/compare/",
        {"status": "all", "a": corpus.chinese.pk, "b": corpus.kazakh.pk},
    ).json()
    row = next(row for row in answer["themes"] if row["theme"] == "energy")
    return [row["count_a"], row["count_b"]]


def page_matrix(corpus: Corpus) -> str:
    client = Client()
    client.force_login(corpus.team.owner)
    return client.get("/p/class/analysis/matrix.csv", {"status": "all"}).content.decode("utf-8-sig")


def test_each_change_to_the_tags_shows_in_the_next_answer(corpus: Corpus) -> None:
    team = corpus.team
    seen = [answered(corpus)]
    assert seen[0] == by_hand(corpus)

    def check() -> None:
        now = answered(corpus)
        assert now == by_hand(corpus)
        assert now != seen[-1], "the change did not show"
        seen.append(now)

    tag = annotation_create(passage=corpus.kz[0], theme=corpus.security, author=team.annotator)
    check()
    assert compared_energy(corpus) == [2, 1]
    tag = annotation_update(annotation=tag, theme=corpus.energy, editor=team.annotator)
    check()
    assert compared_energy(corpus) == [2, 2]
    before_review = page_matrix(corpus)
    review_create(reviewer=team.instructor, decision="reject", comment="Not energy.", annotation=tag)
    assert answered(corpus) == seen[-1]  # status `all`: a review changes no count
    approved = APIClient()
    approved.force_authenticate(team.owner)
    energy = approved.get("/api/projects/class/analysis/matrix/", {"source": corpus.kazakh.pk}).json()
    assert energy["counts"][0][energy["themes"].index("energy")] == 1  # the rejected tag is not approved
    assert page_matrix(corpus) == before_review
    annotation_delete(annotation=tag, editor=team.instructor)
    check()
    record = Annotation.history.filter(id=tag.pk, history_type="-").latest()
    assert compared_energy(corpus) == [2, 1]
    history_restore(model_name="annotation", record=record, user=team.instructor)
    check()
    assert compared_energy(corpus) == [2, 2]
    annotations_import(
        project=team.project,
        file=io.BytesIO((DATA / "doccano" / "sco-spans.jsonl").read_bytes()),
        format="doccano",
        as_user=team.annotator2,
        create_themes=True,
    )
    check()
    assert len(seen[-1]["matrix"]) > len(seen[-2]["matrix"])  # the imported sources have rows
    assert page_matrix(corpus) != before_review
