"""Tagging, notes and deleting from the reader: htmx fragments, plain-form fallbacks, roles."""

import pytest
from django.utils import timezone

from sources.models import Annotation

from ..factories import AnnotationFactory, SessionFactory


def tag_url(passage) -> str:
    return f"/p/class/passages/{passage.pk}/annotations/"


def test_an_annotator_tags_a_span_and_gets_the_passage_back_as_a_fragment(
    team, passages, themes, client_as, htmx_headers
):
    passage = passages[1]
    start = passage.text.index("terrorism")
    response = client_as(team.annotator).post(
        tag_url(passage),
        {"theme": themes["terrorism"].pk, "start": start, "end": start + 9, "quote": "terrorism"},
        headers=htmx_headers,
    )
    assert response.status_code == 200
    annotation = Annotation.objects.get()
    assert (annotation.author, annotation.start, annotation.end, annotation.quote) == (
        team.annotator,
        start,
        start + 9,
        "terrorism",
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article id="passage-{passage.ordinal}"')
    assert "<html" not in html
    assert f'data-annotation="{annotation.pk}"' in html
    assert ">terrorism</mark>" in html
    assert 'hx-swap-oob="innerHTML"' in html and "Tagged “terrorism” as Terrorism." in html


def test_offsets_are_code_points_so_text_after_an_emoji_is_found(
    team, passages, themes, client_as, htmx_headers
):
    passage = passages[3]  # "Кыргызстан and Kazakhstan 🇰🇿 host SCO exercises."
    start = passage.text.index("host SCO")
    response = client_as(team.annotator).post(
        tag_url(passage),
        {"theme": themes["energy"].pk, "start": start, "end": start + 8, "quote": "host SCO"},
        headers=htmx_headers,
    )
    assert response.status_code == 200
    assert Annotation.objects.get().quote == "host SCO"


def test_a_whole_passage_tag_has_no_offsets(team, passages, themes, client_as, htmx_headers):
    client_as(team.annotator).post(
        tag_url(passages[2]),
        {"theme": themes["energy"].pk, "start": "", "end": "", "quote": ""},
        headers=htmx_headers,
    )
    annotation = Annotation.objects.get()
    assert (annotation.start, annotation.end, annotation.quote) == (None, None, "")


def test_without_script_a_plain_form_post_redirects_back_to_the_passage(
    team, source, passages, themes, client_as
):
    response = client_as(team.annotator).post(tag_url(passages[2]), {"theme": themes["energy"].pk})
    assert response.status_code == 302
    assert response["Location"] == f"/p/class/sources/{source.pk}/#passage-2"
    assert Annotation.objects.count() == 1


def test_a_quote_that_does_not_match_the_offsets_is_refused_with_a_message(
    team, passages, themes, client_as, htmx_headers
):
    response = client_as(team.annotator).post(
        tag_url(passages[1]),
        {"theme": themes["energy"].pk, "start": 0, "end": 5, "quote": "Japan"},
        headers=htmx_headers,
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#flash"
    assert "does not match the passage text" in response.content.decode()
    assert not Annotation.objects.exists()


def test_offsets_past_the_passage_are_refused(team, passages, themes, client_as, htmx_headers):
    response = client_as(team.annotator).post(
        tag_url(passages[1]), {"theme": themes["energy"].pk, "start": 3, "end": 999}, headers=htmx_headers
    )
    assert response.status_code == 422
    assert "past the passage text" in response.content.decode()


def test_an_empty_span_is_refused(team, passages, themes, client_as, htmx_headers):
    response = client_as(team.annotator).post(
        tag_url(passages[1]), {"theme": themes["energy"].pk, "start": 3, "end": 3}, headers=htmx_headers
    )
    assert response.status_code == 422
    assert "an empty span tags nothing" in response.content.decode()
    assert not Annotation.objects.exists()


def test_a_theme_of_another_project_is_refused(team, passages, client_as, htmx_headers):
    from ..factories import ThemeFactory

    foreign = ThemeFactory(project=team.other_project)
    response = client_as(team.annotator).post(
        tag_url(passages[1]), {"theme": foreign.pk}, headers=htmx_headers
    )
    assert response.status_code == 422
    assert not Annotation.objects.exists()


def test_tagging_the_same_span_twice_is_a_conflict(team, passages, themes, client_as, htmx_headers):
    client = client_as(team.annotator)
    data = {"theme": themes["energy"].pk, "start": 0, "end": 5}
    assert client.post(tag_url(passages[1]), data, headers=htmx_headers).status_code == 200
    response = client.post(tag_url(passages[1]), data, headers=htmx_headers)
    assert response.status_code == 409
    assert "already tagged this span" in response.content.decode()
    assert Annotation.objects.count() == 1


def test_an_observer_cannot_tag(team, passages, themes, client_as, htmx_headers):
    response = client_as(team.observer).post(
        tag_url(passages[1]), {"theme": themes["energy"].pk}, headers=htmx_headers
    )
    assert response.status_code == 403
    assert not Annotation.objects.exists()


def test_an_annotator_edits_the_note_of_their_own_tag(team, passages, themes, client_as, htmx_headers):
    annotation = AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    response = client_as(team.annotator).post(
        f"/p/class/annotations/{annotation.pk}/", {"note": "Oil, mostly.", "version": 1}, headers=htmx_headers
    )
    assert response.status_code == 200
    assert '<p class="tag-note">Oil, mostly.</p>' in response.content.decode()
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("Oil, mostly.", 2)


def test_a_note_saved_from_a_stale_page_is_a_conflict(team, passages, themes, client_as, htmx_headers):
    annotation = AnnotationFactory(
        passage=passages[1], theme=themes["energy"], author=team.annotator, version=3
    )
    response = client_as(team.annotator).post(
        f"/p/class/annotations/{annotation.pk}/", {"note": "Late.", "version": 2}, headers=htmx_headers
    )
    assert response.status_code == 409
    assert "changed meanwhile" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.note == ""


@pytest.mark.parametrize(("role", "status"), [("annotator2", 403), ("observer", 403), ("instructor", 200)])
def test_only_the_author_or_a_lead_changes_a_tag(
    team, passages, themes, client_as, htmx_headers, role, status
):
    annotation = AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    client = client_as(team.user(role))
    response = client.post(
        f"/p/class/annotations/{annotation.pk}/", {"note": "Mine now"}, headers=htmx_headers
    )
    assert response.status_code == status
    response = client.post(f"/p/class/annotations/{annotation.pk}/delete/", headers=htmx_headers)
    assert response.status_code == status
    assert Annotation.objects.filter(pk=annotation.pk).exists() == (status != 200)


def test_an_annotator_deletes_their_own_tag(team, passages, themes, client_as, htmx_headers):
    annotation = AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    response = client_as(team.annotator).post(
        f"/p/class/annotations/{annotation.pk}/delete/", headers=htmx_headers
    )
    assert response.status_code == 200
    assert f'data-annotation="{annotation.pk}"' not in response.content.decode()
    assert "Deleted the Energy tag." in response.content.decode()
    assert not Annotation.objects.exists()


def test_writes_answer_post_only(team, passages, themes, client_as):
    annotation = AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    client = client_as(team.annotator)
    assert client.get(tag_url(passages[1])).status_code == 405
    assert client.get(f"/p/class/annotations/{annotation.pk}/delete/").status_code == 405
    assert client.put(f"/p/class/annotations/{annotation.pk}/").status_code == 405


def test_overlapping_spans_of_two_annotators_are_both_highlighted_on_their_own_lane(
    team, source, passages, themes, client_as
):
    passage = passages[1]  # "China uses the SCO to fight terrorism, separatism and extremism."
    wide = AnnotationFactory(
        passage=passage, theme=themes["energy"], author=team.annotator2, start=15, end=37
    )
    inner = AnnotationFactory(
        passage=passage, theme=themes["terrorism"], author=team.annotator, start=28, end=47
    )
    html = client_as(team.annotator).get(f"/p/class/sources/{source.pk}/").content.decode()
    text = html[html.index(f'id="passage-{passage.ordinal}"') :]
    text = text[: text.index("</p>")]
    assert f'class="hl theme-{themes["energy"].pk} lane-0" data-annotation="{wide.pk}"' in text
    assert (
        f'class="hl theme-{themes["terrorism"].pk} lane-1 mine span-end" data-annotation="{inner.pk}"' in text
    )
    # The overlap "terrorism" is inside both marks; each span's end carries its author's label.
    assert 'data-label="annotator2"' in text and 'data-label="annotator"' in text
    assert text.count("<mark") == 4  # SCO to fight | terrorism (two marks) | , separatism


def test_a_blind_sessions_unsubmitted_work_of_others_is_hidden_from_an_annotator(
    team, source, passages, themes, client_as
):
    session = SessionFactory(
        project=team.project, blind=True, opens_at=timezone.now() - timezone.timedelta(hours=1)
    )
    session.sources.add(source)
    hidden = AnnotationFactory(
        passage=passages[1], theme=themes["energy"], author=team.annotator2, session=session, note="Secret"
    )
    as_annotator = client_as(team.annotator).get(f"/p/class/sources/{source.pk}/").content.decode()
    assert f'data-annotation="{hidden.pk}"' not in as_annotator and "Secret" not in as_annotator
    as_owner = client_as(team.owner).get(f"/p/class/sources/{source.pk}/").content.decode()
    assert f'data-annotation="{hidden.pk}"' in as_owner
    response = client_as(team.annotator).post(f"/p/class/annotations/{hidden.pk}/delete/")
    assert response.status_code == 404


def test_the_note_editor_comes_as_a_fragment_and_goes_away_on_cancel(
    team, passages, themes, client_as, htmx_headers
):
    annotation = AnnotationFactory(
        passage=passages[1], theme=themes["energy"], author=team.annotator, note="Old"
    )
    client = client_as(team.annotator)
    editor = client.get(f"/p/class/annotations/{annotation.pk}/", headers=htmx_headers).content.decode()
    assert editor.lstrip().startswith(
        f'<li class="tag theme-{themes["energy"].pk} mine" id="annotation-{annotation.pk}"'
    )
    assert '<textarea id="note-' in editor and ">Old</textarea>" in editor
    assert 'name="csrfmiddlewaretoken"' in editor
    cancel = client.get(
        f"/p/class/annotations/{annotation.pk}/?cancel=1", headers=htmx_headers
    ).content.decode()
    assert "<textarea" not in cancel and '<p class="tag-note">Old</p>' in cancel


def test_without_script_the_note_editor_is_a_page_that_returns_to_the_passage(
    team, source, passages, themes, client_as
):
    annotation = AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    client = client_as(team.annotator)
    page = client.get(f"/p/class/annotations/{annotation.pk}/").content.decode()
    assert "<html" in page and "hx-disable" in page and "<textarea" in page
    response = client.post(f"/p/class/annotations/{annotation.pk}/", {"note": "Plain form.", "version": 1})
    assert response["Location"] == f"/p/class/sources/{source.pk}/#passage-1"
    cancel = client.get(f"/p/class/annotations/{annotation.pk}/?cancel=1")
    assert cancel["Location"] == f"/p/class/sources/{source.pk}/#passage-1"


def test_the_note_editor_of_someone_elses_tag_is_refused(team, passages, themes, client_as, htmx_headers):
    annotation = AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    response = client_as(team.annotator2).get(f"/p/class/annotations/{annotation.pk}/", headers=htmx_headers)
    assert response.status_code == 403
