"""A Label Studio export's predictions come in as suggestions of the imported recommender: offered
to the project's annotators through the API at the right place, counted in the report, never
duplicated by a second import, never exported; their other results are reported as skipped."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from sources.formats.records import FormatError
from sources.models import Annotation, Suggestion
from sources.services.exports import export_stream
from sources.services.imports import ImportRefused, annotations_import

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).resolve().parent.parent / "data" / "label-studio" / "predictions.json"


def run(project, data: bytes | None = None, **options):
    return annotations_import(
        project=project,
        file=io.BytesIO(EXPORT.read_bytes() if data is None else data),
        format="label-studio",
        **{"as_user": project.memberships.get(role="owner").user, "create_themes": True, **options},
    )


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def offered(user, project) -> list[tuple]:
    response = client_of(user).get("/api/suggestions/", {"project": project.slug})
    assert response.status_code == 200
    return sorted(
        (row["theme_slug"], row["quote"], row["start"], row["end"], row["score"], row["recommender"])
        for row in response.json()["results"]
    )


def test_predictions_are_offered_to_an_annotator_at_their_place_and_counted(team):
    upload = {"file": SimpleUploadedFile("predictions.json", EXPORT.read_bytes()), "format": "label-studio"}
    response = client_of(team.owner).post(
        "/api/projects/class/import/", {**upload, "create_themes": "true"}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    report = response.json()
    assert (report["annotations_created"], report["suggestions_created"]) == (1, 7)
    assert "7 prediction(s) imported as suggestions" in report["summary"]
    assert report["skipped"] == {
        "Label Studio prediction 'rating' result": {
            "count": 1,
            "examples": ["task 0 (id 1), predictions[0], result[3]"],
        }
    }
    assert offered(team.annotator, team.project) == [
        ("energy", "Pipelines", 0, 9, 0.91, "imported"),
        ("infrastructure", "", None, None, 0.64, "imported"),  # the prediction's score
        ("landscape", "steppe", 20, 26, 0.72, "imported"),
        ("place", "Astana", 19, 25, 0.88, "imported"),  # UTF-16 offsets after an emoji, converted
        # A two-paragraph text becomes a source of two passages: the span lands in the second,
        # the choice on each passage whole.
        ("transport", "", None, None, 0.55, "imported"),
        ("transport", "", None, None, 0.55, "imported"),
        ("transport", "trains", 27, 33, 0.8, "imported"),
    ]
    # The owner's own tag (the file's annotation, credited to them) is not suggested to them again.
    assert ("energy", "Pipelines", 0, 9, 0.91, "imported") not in offered(team.owner, team.project)
    assert offered(team.outsider, team.project) == []


def test_a_second_import_of_the_same_export_adds_no_suggestion(team):
    run(team.project)
    again = run(team.project)
    assert again.suggestions_created == 0
    assert again.annotations_created == 0
    assert again.duplicates_skipped == 7 + 1
    assert Suggestion.objects.filter(project=team.project).count() == 7


def test_a_prediction_of_an_unknown_theme_refuses_the_import_as_a_label_does(team):
    task = {"data": {"text": "Buses run late."}, "predictions": [{"result": [
        {"type": "choices", "value": {"choices": ["Punctuality"]}}
    ]}]}  # fmt: skip
    with pytest.raises(ImportRefused, match="Unknown themes: Punctuality"):
        run(team.project, json.dumps([task]).encode(), create_themes=False)
    assert not Suggestion.objects.exists()
    assert not team.project.sources.exists()


@pytest.mark.parametrize("score", [1.5, -0.1, "high", True])
def test_a_score_that_is_not_a_probability_is_refused_naming_it(team, score):
    task = {"id": 5, "data": {"text": "Buses run late."}, "predictions": [{"result": [
        {"type": "choices", "value": {"choices": ["Punctuality"]}, "score": score}
    ]}]}  # fmt: skip
    with pytest.raises(FormatError, match="expected a score from 0 to 1") as error:
        run(team.project, json.dumps([task]).encode())
    assert (error.value.where, error.value.field) == ("task 0 (id 5), predictions[0]", "result[0].score")
    assert not Suggestion.objects.exists()


def test_imported_predictions_are_not_exported(team):
    run(team.project)
    stream = export_stream(project=team.project, format="jsonl")
    rows = [json.loads(line) for line in b"".join(stream.chunks).decode().splitlines() if line]
    exported = [(tag["theme"], tag.get("quote")) for row in rows for tag in row.get("annotations", [])]
    assert exported == [("energy", "Pipelines")]
    assert Annotation.objects.filter(passage__source__project=team.project).count() == 1
