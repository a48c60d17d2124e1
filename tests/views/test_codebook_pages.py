"""The codebook editor: who may change it, its labels and messages, its cost, and the reader's rules."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sources.models import Annotation, Theme, ThemeAnchor

from ..factories import AnnotationFactory, ThemeFactory
from .test_query_counts import count_queries

LABELS = ("Name", "Parent", "Colour", "Shortcut", "Description", "Include when", "Exclude when")


def new_theme(**fields) -> dict:
    return {"name": "Security", "color": "#2b6cb0", "shortcut": "", "description": "", **fields}


@pytest.mark.parametrize("role", ["owner", "instructor"])
def test_leads_see_the_form_with_its_labels_and_add_a_nested_theme(team, themes, client_as, role) -> None:
    client = client_as(team.user(role))
    page = client.get("/p/class/codebook/").content.decode()
    for label in LABELS:
        assert f">{label}</label>" in page
    response = client.post(
        "/p/class/codebook/",
        new_theme(name="Drills", parent=themes["terrorism"].pk, include="Joint exercises.", exclude="Trade."),
    )
    assert response.status_code == 302
    drills = Theme.objects.get(project=team.project, slug="drills")
    assert (drills.parent, drills.include, drills.exclude) == (
        themes["terrorism"],
        "Joint exercises.",
        "Trade.",
    )
    page = client.get("/p/class/codebook/").content.decode()
    assert "Joint exercises." in page
    assert "depth-1" in page


@pytest.mark.parametrize("role", ["annotator", "observer"])
def test_others_read_the_codebook_but_cannot_change_it(team, themes, client_as, role) -> None:
    client = client_as(team.user(role))
    page = client.get("/p/class/codebook/")
    assert page.status_code == 200
    assert b"Terrorism" in page.content
    assert b"Add theme" not in page.content
    assert client.post("/p/class/codebook/", new_theme()).status_code == 403
    assert client.get(f"/p/class/codebook/{themes['energy'].pk}/").status_code == 403
    assert not Theme.objects.filter(slug="security").exists()


def test_an_outsider_gets_404(team, themes, client_as) -> None:
    assert client_as(team.outsider).get("/p/class/codebook/").status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"shortcut": "i"}, "one of the reader&#x27;s own keys"),
        ({"shortcut": "t"}, "already the shortcut of &#x27;Terrorism&#x27;"),
        ({"color": "#fff4a3"}, "against the page background (#f6f5f1); choose one of at least 3:1"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_a_refused_theme_says_why_on_its_field(team, themes, client_as, fields, message) -> None:
    response = client_as(team.owner).post("/p/class/codebook/", new_theme(**fields))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Theme.objects.filter(slug="security").exists()


def test_the_contrast_message_names_the_ratio(team, client_as) -> None:
    response = client_as(team.owner).post("/p/class/codebook/", new_theme(color="#fff4a3"))
    assert "has a contrast of 1.0:1" in response.content.decode()


def test_editing_and_reordering_a_theme(team, themes, client_as) -> None:
    client = client_as(team.instructor)
    energy = themes["energy"]
    response = client.post(
        f"/p/class/codebook/{energy.pk}/", new_theme(name="Energy security", color="#2f855a", shortcut="e")
    )
    assert response.status_code == 302
    energy.refresh_from_db()
    assert energy.name == "Energy security"
    client.post(f"/p/class/codebook/{energy.pk}/move/", {"direction": "up"})
    order = list(Theme.objects.filter(project=team.project).order_by("order").values_list("slug", flat=True))
    assert order == ["energy", "terrorism"]


def test_deleting_a_theme_with_tags_says_how_many_and_asks(team, themes, passages, client_as) -> None:
    client = client_as(team.owner)
    terrorism = themes["terrorism"]
    for author in (team.annotator, team.annotator2):
        AnnotationFactory(passage=passages[1], theme=terrorism, author=author)
    confirm = client.get(f"/p/class/codebook/{terrorism.pk}/delete/").content.decode()
    assert "2 tags" in confirm
    assert Theme.objects.filter(pk=terrorism.pk).exists()
    client.post(f"/p/class/codebook/{terrorism.pk}/delete/", {"with_tags": "yes"})
    assert not Theme.objects.filter(pk=terrorism.pk).exists()
    assert not Annotation.objects.exists()


def test_merging_reports_moved_and_duplicate_tags(team, themes, passages, client_as) -> None:
    AnnotationFactory(passage=passages[1], theme=themes["terrorism"], author=team.annotator)
    AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    AnnotationFactory(passage=passages[2], theme=themes["terrorism"], author=team.annotator)
    client = client_as(team.owner)
    response = client.post(
        "/p/class/codebook/merge/",
        {"theme": themes["terrorism"].pk, "into": themes["energy"].pk},
        follow=True,
    )
    page = response.content.decode()
    assert "1 tag(s) moved, 1 duplicate tag(s) removed" in page
    assert Annotation.objects.filter(theme=themes["energy"]).count() == 2


def test_an_anchor_is_found_by_search_and_added_as_a_span(
    team, themes, passages, client_as, htmx_headers
) -> None:
    client = client_as(team.owner)
    url = f"/p/class/codebook/{themes['energy'].pk}/"
    results = client.get(url, {"q": "pipelines"}, headers=htmx_headers).content.decode()
    assert "through pipelines" in results
    assert f'value="{passages[2].pk}"' in results
    client.post(f"{url}anchors/", {"passage": passages[2].pk, "quote": "oil and gas"})
    anchor = ThemeAnchor.objects.get()
    assert (anchor.quote, anchor.passage) == ("oil and gas", passages[2])
    assert "<mark>oil and gas</mark>" in client.get("/p/class/codebook/").content.decode()


def test_the_reader_dialog_shows_a_themes_rules_and_anchors_to_annotators(
    team, themes, passages, client_as
) -> None:
    energy = themes["energy"]
    Theme.objects.filter(pk=energy.pk).update(include="Pipelines, oil, gas.", exclude="Military drills.")
    ThemeAnchor.objects.create(theme=energy, passage=passages[2], start=0, end=6, quote="Energy")
    client = client_as(team.annotator)
    reader = client.get(f"/p/class/sources/{passages[0].source_id}/").content.decode()
    assert 'id="coding-rules"' in reader
    assert "js/coding-rules.js" in reader
    rules = client.get(f"/p/class/codebook/{energy.pk}/rules/").content.decode()
    assert "Pipelines, oil, gas." in rules
    assert "Military drills." in rules
    assert "<mark>Energy</mark>" in rules
    assert client_as(team.outsider).get(f"/p/class/codebook/{energy.pk}/rules/").status_code == 404


def test_the_codebook_goes_out_and_comes_back_in_from_the_page(team, themes, client_as) -> None:
    client = client_as(team.owner)
    Theme.objects.filter(pk=themes["energy"].pk).update(include="Pipelines.")
    exported = b"".join(client.get("/p/class/codebook/export/", {"format": "json"}).streaming_content)
    body = json.loads(exported)
    body["themes"].append({"slug": "trade", "name": "Trade", "parent": "energy", "shortcut": "i"})
    upload = SimpleUploadedFile("codebook.json", json.dumps(body).encode())
    page = client.post("/p/class/codebook/import/", {"file": upload, "format": "json"}, follow=True)
    text = page.content.decode()
    assert "1 theme(s) added; 2 already in the codebook" in text
    assert "imported without it" in text
    assert Theme.objects.get(slug="trade").parent == themes["energy"]
    qdc = b"".join(client.get("/p/class/codebook/export/", {"format": "qdc"}).streaming_content)
    assert b"<CodeBook" in qdc
    assert b'name="Trade"' in qdc
    broken = client.post(
        "/p/class/codebook/import/",
        {"file": SimpleUploadedFile("x.qdc", b"<nope"), "format": "qdc"},
        follow=True,
    )
    assert "Nothing was imported" in broken.content.decode()


def test_the_codebook_page_costs_the_same_for_two_themes_and_forty(team, themes, passages, client_as) -> None:
    client = client_as(team.instructor)
    few = count_queries(client, "/p/class/codebook/")
    for n in range(40):
        theme = ThemeFactory(
            project=team.project, slug=f"extra-{n}", parent=themes["energy"] if n % 2 else None
        )
        ThemeAnchor.objects.create(theme=theme, passage=passages[n % 4])
        AnnotationFactory(passage=passages[n % 4], theme=theme, author=team.annotator)
    assert count_queries(client, "/p/class/codebook/") == few
