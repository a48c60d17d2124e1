"""Themes through the API: coding rules, anchors, merging, deleting with tags, codebook in and out."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sources.models import Annotation, Theme

from ..factories import AnnotationFactory
from .conftest import World, url


def test_a_theme_is_created_with_rules_and_gets_an_anchor_shown_with_its_text(world: World, api_as) -> None:
    client = api_as(world.team.instructor)
    created = client.post(
        url("theme-list"),
        {
            "project": world.team.project.pk,
            "name": "Joint drills",
            "include": "Exercises.",
            "exclude": "Trade.",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    theme = created.json()
    assert (theme["slug"], theme["include"], theme["exclude"], theme["anchors"]) == (
        "joint-drills",
        "Exercises.",
        "Trade.",
        [],
    )
    anchor = client.post(
        url("theme-anchors", pk=theme["id"]),
        {"passage": world.passages[2].pk, "quote": "учения ШОС"},
        format="json",
    )
    assert anchor.status_code == 201, anchor.json()
    body = client.get(url("theme-detail", pk=theme["id"])).json()
    assert body["anchors"][0]["quote"] == "учения ШОС"
    assert body["anchors"][0]["text"] == world.passages[2].text
    removed = client.delete(url("theme-anchor", pk=theme["id"], anchor_id=body["anchors"][0]["id"]))
    assert removed.status_code == 204


def test_an_anchor_from_another_project_reads_like_an_unknown_passage(world: World, api_as) -> None:
    response = api_as(world.team.owner).post(
        url("theme-anchors", pk=world.energy.pk), {"passage": world.other_passage.pk}, format="json"
    )
    assert response.status_code == 400
    assert "passage" in response.json()


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"shortcut": "j"}, "shortcut", "reader's own keys"),
        ({"color": "#fafafa"}, "color", "against the page background"),
        ({"quote": "not there"}, None, None),
    ],
)
def test_refusals_name_the_field(
    world: World, api_as, body: dict, field: str | None, words: str | None
) -> None:
    client = api_as(world.team.owner)
    if field is None:
        response = client.post(
            url("theme-anchors", pk=world.energy.pk), {"passage": world.passages[0].pk, **body}, format="json"
        )
        assert response.status_code == 400
        assert "not in passage" in json.dumps(response.json())
        return
    response = client.patch(url("theme-detail", pk=world.energy.pk), body, format="json")
    assert response.status_code == 400
    assert words in json.dumps(response.json()[field])


def test_merge_moves_tags_and_reports_duplicates(world: World, api_as) -> None:
    AnnotationFactory(passage=world.passages[1], theme=world.terrorism, author=world.team.annotator)
    response = api_as(world.team.owner).post(
        url("theme-merge", pk=world.terrorism.pk), {"into": world.energy.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    report = response.json()
    assert (report["moved"], report["duplicates"], report["into"]["slug"]) == (1, 1, "energy")
    assert not Theme.objects.filter(pk=world.terrorism.pk).exists()


def test_deleting_a_used_theme_needs_with_tags(world: World, api_as) -> None:
    client = api_as(world.team.owner)
    Annotation.objects.filter(theme=world.energy).exclude(pk=world.own_annotation.pk).delete()
    refused = client.delete(url("theme-detail", pk=world.energy.pk))
    assert refused.status_code == 409
    assert "used by 1 tag" in json.dumps(refused.json())
    assert client.delete(url("theme-detail", pk=world.energy.pk) + "?with_tags=true").status_code == 204
    assert not Annotation.objects.filter(pk=world.own_annotation.pk).exists()


def test_the_codebook_goes_out_as_json_and_qdc_and_comes_in(world: World, api_as) -> None:
    client = api_as(world.team.owner)
    exported = client.get(url("project-codebook", slug="class"), {"format": "json"})
    assert exported.status_code == 200
    body = json.loads(b"".join(exported.streaming_content))
    assert {t["slug"] for t in body["themes"]} == {"terrorism", "energy", "unused"}
    qdc = client.get(url("project-codebook", slug="class"), {"format": "qdc"})
    assert b"<CodeBook" in b"".join(qdc.streaming_content)
    assert client.get(url("project-codebook", slug="class"), {"format": "xlsx"}).status_code == 400
    bad = SimpleUploadedFile("c.json", b'{"format": "nope"}')
    refused = client.post(
        url("project-codebook", slug="class"), {"file": bad, "format": "json"}, format="multipart"
    )
    assert refused.status_code == 400
    assert "Nothing was imported" in json.dumps(refused.json())
