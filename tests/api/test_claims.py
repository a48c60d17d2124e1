"""/api/claims/ and /api/evidence/: claims under study and the passages that bear on them."""

import pytest

from sources.models import Evidence, Submission

from ..factories import AnnotationFactory, ClaimFactory, EvidenceFactory, SessionFactory
from .conftest import url

pytestmark = pytest.mark.django_db


def test_an_annotator_states_a_claim_from_a_source(world, api_as):
    body = {"project": world.team.project.pk, "text": "  China leads the SCO.  ", "source": world.source.pk}
    response = api_as(world.team.annotator).post(url("claim-list"), body)
    assert response.status_code == 201, response.json()
    assert response.json()["text"] == "China leads the SCO."
    assert response.json()["author"] == world.team.annotator.pk


def test_a_claim_needs_a_text(world, api_as):
    response = api_as(world.team.annotator).post(
        url("claim-list"), {"project": world.team.project.pk, "text": " "}
    )
    assert response.status_code == 400
    assert "text" in response.json()


def test_evidence_links_a_passage_and_the_same_passage_again_is_a_conflict(world, api_as):
    client = api_as(world.team.annotator)
    body = {
        "claim": world.claim.pk,
        "passage": world.passages[2].pk,
        "relation": "contradicts",
        "note": "Hm.",
    }
    first = client.post(url("evidence-list"), body)
    assert first.status_code == 201, first.json()
    again = client.post(url("evidence-list"), body)
    assert again.status_code == 409
    assert again.json()["existing_id"] == first.json()["id"]


def test_evidence_from_a_passage_of_another_project_is_refused(world, api_as):
    world.team.other_project.memberships.create(user=world.team.annotator, role="annotator")
    body = {"claim": world.claim.pk, "passage": world.other_passage.pk, "relation": "supports"}
    response = api_as(world.team.annotator).post(url("evidence-list"), body)
    assert response.status_code == 400
    assert "another project" in response.json()["passage"][0]
    assert not Evidence.objects.filter(passage=world.other_passage).exists()


def test_an_unknown_relation_is_refused(world, api_as):
    body = {"claim": world.claim.pk, "passage": world.passages[2].pk, "relation": "proves"}
    response = api_as(world.team.annotator).post(url("evidence-list"), body)
    assert response.status_code == 400
    assert "relation" in response.json()


def test_evidence_carries_an_etag_and_refuses_a_stale_if_match(world, api_as):
    client = api_as(world.team.annotator)
    pk = world.own_evidence.pk
    etag = client.get(url("evidence-detail", pk=pk))["ETag"]
    assert (
        client.patch(url("evidence-detail", pk=pk), {"relation": "qualifies"}, HTTP_IF_MATCH=etag).status_code
        == 200
    )
    assert client.delete(url("evidence-detail", pk=pk), HTTP_IF_MATCH=etag).status_code == 412
    assert Evidence.objects.get(pk=pk).relation == "qualifies"


def test_claims_carry_an_etag_and_refuse_a_stale_if_match(world, api_as):
    client = api_as(world.team.annotator)
    pk = world.own_claim.pk
    etag = client.get(url("claim-detail", pk=pk))["ETag"]
    assert client.patch(url("claim-detail", pk=pk), {"text": "New."}, HTTP_IF_MATCH=etag).status_code == 200
    assert client.patch(url("claim-detail", pk=pk), {"text": "Newer."}, HTTP_IF_MATCH=etag).status_code == 412


def test_claims_filter_by_the_passage_and_relation_of_one_evidence_link(world, api_as):
    third = ClaimFactory(project=world.team.project, author=world.team.annotator)
    EvidenceFactory(
        claim=third, passage=world.passages[0], relation="contradicts", author=world.team.annotator
    )
    client = api_as(world.team.observer)

    def claims(**params):
        return {row["id"] for row in client.get(url("claim-list"), params).json()["results"]}

    assert claims(passage=world.passages[0].pk) == {world.claim.pk, third.pk}
    assert claims(passage=world.passages[0].pk, relation="supports") == {world.claim.pk}
    assert claims(relation="contradicts") == {third.pk}
    assert claims(project="elsewhere") == set()


def test_evidence_filters_by_claim_passage_and_relation(world, api_as):
    client = api_as(world.team.observer)

    def links(**params):
        return {row["id"] for row in client.get(url("evidence-list"), params).json()["results"]}

    assert links(claim=world.claim.pk) == {world.evidence.pk}
    assert links(passage=world.passages[1].pk) == {world.own_evidence.pk}
    assert links(relation="supports", project="class") == {world.evidence.pk, world.own_evidence.pk}
    assert links(relation="qualifies") == set()


def test_evidence_resting_on_a_blind_annotation_is_hidden_with_it_until_both_submit(world, api_as):
    blind = SessionFactory(project=world.team.project, blind=True)
    blind.sources.set([world.source])
    blind.participants.set([world.team.annotator, world.team.annotator2])
    hidden = AnnotationFactory(
        passage=world.passages[3], theme=world.energy, author=world.team.annotator2, session=blind
    )
    on_hidden = EvidenceFactory(
        claim=world.claim, passage=world.passages[3], annotation=hidden, author=world.team.annotator2
    )
    client = api_as(world.team.annotator)

    def links():
        return {row["id"] for row in client.get(url("evidence-list")).json()["results"]}

    assert links() == {world.evidence.pk, world.own_evidence.pk}
    Submission.objects.create(session=blind, user=world.team.annotator)
    assert links() == {world.evidence.pk, world.own_evidence.pk}  # its author has not submitted yet
    Submission.objects.create(session=blind, user=world.team.annotator2)
    assert links() == {world.evidence.pk, world.own_evidence.pk, on_hidden.pk}
    assert on_hidden.pk in {
        row["id"] for row in api_as(world.team.observer).get(url("evidence-list")).json()["results"]
    }
