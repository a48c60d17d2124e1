"""Compare and adjudicate: the annotators' tags side by side per passage, agreements and
disagreements marked in words, and the lead accepting, rejecting or editing a tag in place."""

import re
from html import escape

import pytest

from sources.models import Annotation, AnnotationStatus, Review

from ..factories import AnnotationFactory
from .test_sessions import close, open_session, tag

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def session(team, source):
    return open_session(team, [source], blind=True)


@pytest.fixture
def tags(team, passages, themes, session, client_as):
    """Passage 1: both tag energy (agreement), only `annotator` tags terrorism (disagreement).
    Passage 2: only `annotator2` tags energy (disagreement). Passage 3: nobody. Both submit."""
    made = {
        "energy1": tag(team.annotator, passages[1], themes["energy"], session),
        "terror1": tag(team.annotator, passages[1], themes["terrorism"], session, start=28, end=37),
        "energy1b": tag(team.annotator2, passages[1], themes["energy"], session, start=0, end=5),
        "energy2b": tag(team.annotator2, passages[2], themes["energy"], session),
    }
    for user in [team.annotator, team.annotator2]:
        client_as(user).post(f"/p/class/sessions/{session.pk}/submit/", {"confirm": "yes"})
    return made


def compare(client, session=None, **params) -> str:
    if session is not None:
        params["session"] = session.pk
    response = client.get("/p/class/compare/", params)
    assert response.status_code == 200
    return response.content.decode()


def row(page: str, passage) -> str:
    start = page.index(f'id="compare-passage-{passage.pk}"')
    return page[start : page.index("</tr>", start)]


def verdicts(html: str) -> list[tuple[str, str, str]]:
    """(kind, theme, who) for every verdict in a row."""
    found = re.findall(
        r'<li class="verdict is-(\w+)">.*?<span class="chip[^"]*">([^<]+)</span>\s*'
        r'<span class="verdict-who">([^<]+)</span>',
        html,
        re.S,
    )
    return [(kind, theme, " ".join(who.split())) for kind, theme, who in found]


@pytest.mark.parametrize("role", ["owner", "instructor"])
def test_leads_compare(team, tags, session, client_as, role):
    compare(client_as(team.user(role)), session)


@pytest.mark.parametrize("role", ["annotator", "annotator2", "observer"])
def test_other_members_are_forbidden_compare_and_its_decisions(team, tags, session, client_as, role):
    client = client_as(team.user(role))
    target = tags["energy1"]
    assert client.get(f"/p/class/compare/?session={session.pk}").status_code == 403
    decide = f"/p/class/compare/annotations/{target.pk}/decide/?session={session.pk}"
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    edit = f"/p/class/compare/annotations/{target.pk}/edit/?session={session.pk}"
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"note": "x"}).status_code == 403
    assert not Review.objects.exists()


def test_an_outsider_gets_404(team, tags, session, client_as):
    client = client_as(team.outsider)
    assert client.get(f"/p/class/compare/?session={session.pk}").status_code == 404
    url = f"/p/class/compare/annotations/{tags['energy1'].pk}/decide/?session={session.pk}"
    assert client.post(url, {"decision": "approve"}).status_code == 404


def test_each_submitted_annotator_gets_a_column_and_each_theme_a_verdict(
    team, passages, tags, session, client_as
):
    page = compare(client_as(team.instructor), session)
    assert re.findall(r'<th scope="col" class="cmp-cell"><span class="person">(\w+) <abbr', page) == [
        "annotator",
        "annotator2",
    ]
    first = row(page, passages[1])
    assert verdicts(first) == [
        ("disputed", "Terrorism", "annotator only; not annotator2"),
        ("agreed", "Energy", "all 2 tagged it"),
    ]
    assert "✓ Agreement" in first and "≠ Disagreement" in first
    # Each tag says which it is, in words as well as colour.
    terror = first[first.index(f'id="cmp-annotation-{tags["terror1"].pk}"') :]
    assert "≠ disputed" in terror[:600]
    energy = first[first.index(f'id="cmp-annotation-{tags["energy1"].pk}"') :]
    assert "✓ agreed" in energy[:600]
    assert verdicts(row(page, passages[2])) == [("disputed", "Energy", "annotator2 only; not annotator")]
    assert f'id="compare-passage-{passages[3].pk}"' not in page  # nobody tagged it
    assert "2 agreement" not in page and "1 agreement" in page and "2 disagreements" in page


def test_participants_who_have_not_submitted_are_not_compared(team, source, passages, themes, client_as):
    session = open_session(team, [source])
    tag(team.annotator, passages[1], themes["energy"], session)
    tag(team.annotator2, passages[1], themes["energy"], session)
    client_as(team.annotator).post(f"/p/class/sessions/{session.pk}/submit/", {"confirm": "yes"})
    page = compare(client_as(team.owner), session)
    assert re.findall(r'<th scope="col" class="cmp-cell"><span class="person">(\w+) <abbr', page) == [
        "annotator"
    ]
    assert verdicts(row(page, passages[1])) == [("single", "Energy", "annotator")]


def test_outside_sessions_everyone_who_tagged_the_source_is_a_column(
    team, source, passages, themes, tags, client_as
):
    AnnotationFactory(passage=passages[3], theme=themes["energy"], author=team.annotator2)
    AnnotationFactory(passage=passages[3], theme=themes["energy"], author=team.observer)
    page = compare(client_as(team.owner), source=source.pk)
    assert re.findall(r'<th scope="col" class="cmp-cell"><span class="person">(\w+) <abbr', page) == [
        "annotator2",
        "observer",
    ]
    assert [p for p in (passages[1], passages[2]) if f'id="compare-passage-{p.pk}"' in page] == []
    assert verdicts(row(page, passages[3])) == [("agreed", "Energy", "all 2 tagged it")]


def test_show_disagreements_only_and_one_passage(team, passages, tags, session, client_as):
    client = client_as(team.owner)
    page = compare(client, session, show="disagreements")
    assert (
        f'id="compare-passage-{passages[1].pk}"' in page and f'id="compare-passage-{passages[2].pk}"' in page
    )
    single = compare(client, session, passage=passages[2].pk)
    assert re.findall(r'id="compare-passage-(\d+)"', single) == [str(passages[2].pk)]
    everything = compare(client, session, show="all")
    assert len(re.findall(r'id="compare-passage-\d+"', everything)) == 4


def test_the_form_answers_htmx_with_the_compare_part_alone(team, tags, session, client_as, htmx_headers):
    html = (
        client_as(team.owner)
        .get("/p/class/compare/", {"session": session.pk}, headers=htmx_headers)
        .content.decode()
    )
    assert html.strip().startswith('<div id="compare"')


def test_accepting_a_tag_approves_it_and_leaves_the_other_versions_as_they_are(
    team, passages, tags, session, client_as, htmx_headers
):
    url = f"/p/class/compare/annotations/{tags['energy1'].pk}/decide/?session={session.pk}"
    response = client_as(team.instructor).post(url, {"decision": "approve"}, headers=htmx_headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="compare-passage-{passages[1].pk}"')
    accepted = html[html.index(f'id="cmp-annotation-{tags["energy1"].pk}"') :]
    assert "In the reviewed layer" in accepted[:1500]
    assert escape("Accepted annotator's Energy tag on passage 1.") in html
    review = Review.objects.get()
    assert (review.annotation, review.decision, review.reviewer) == (
        tags["energy1"],
        "approve",
        team.instructor,
    )
    statuses = dict(Annotation.objects.values_list("pk", "status"))
    assert statuses[tags["energy1"].pk] == AnnotationStatus.APPROVED
    assert statuses[tags["energy1b"].pk] == AnnotationStatus.SUBMITTED
    assert statuses[tags["terror1"].pk] == AnnotationStatus.SUBMITTED


def test_rejecting_from_compare_needs_a_comment(team, tags, session, client_as, htmx_headers):
    client = client_as(team.instructor)
    url = f"/p/class/compare/annotations/{tags['terror1'].pk}/decide/?session={session.pk}"
    refused = client.post(url, {"decision": "reject"}, headers=htmx_headers)
    assert refused.status_code == 422 and refused["HX-Retarget"] == "#flash"
    assert "Say why when rejecting" in refused.content.decode()
    response = client.post(
        url, {"decision": "reject", "comment": "Not about terrorism."}, headers=htmx_headers
    )
    assert response.status_code == 200
    assert "Not about terrorism." in response.content.decode()
    assert Annotation.objects.get(pk=tags["terror1"].pk).status == AnnotationStatus.REJECTED
    # Without script, back to the passage's row.
    plain = client.post(url, {"decision": "approve"})
    assert plain["Location"].endswith(f"#compare-passage-{tags['terror1'].passage_id}")
    assert f"session={session.pk}" in plain["Location"]


def test_a_lead_edits_a_submitted_tag_after_closing_and_accepts_it(
    team, passages, themes, tags, session, client_as, htmx_headers
):
    close(session)
    client = client_as(team.instructor)
    target = Annotation.objects.get(pk=tags["terror1"].pk)  # submitting moved its version on
    url = f"/p/class/compare/annotations/{target.pk}/edit/?session={session.pk}"
    editor = client.get(url, headers=htmx_headers).content.decode()
    assert editor.strip().startswith(f'<li class="cmp-tag theme-{themes["terrorism"].pk} is-editing"')
    assert 'value="28"' in editor and 'value="37"' in editor
    assert f'name="version" value="{target.version}"' in editor

    response = client.post(
        url,
        {
            "theme": themes["energy"].pk,
            "start": 0,
            "end": 5,
            "note": "Read as energy.",
            "version": target.version,
            "accept": "on",
        },
        headers=htmx_headers,
    )
    assert response.status_code == 200
    assert escape("Saved annotator's tag and accepted it.") in response.content.decode()
    target.refresh_from_db()
    assert (target.theme, target.start, target.end, target.quote, target.note, target.status) == (
        themes["energy"],
        0,
        5,
        "China",
        "Read as energy.",
        AnnotationStatus.APPROVED,
    )
    # Editing with the old version is a conflict, said in the editor.
    stale = client.post(
        url,
        {"theme": themes["energy"].pk, "start": "", "end": "", "note": "", "version": 1},
        headers=htmx_headers,
    )
    assert stale.status_code == 409
    assert "changed meanwhile" in stale.content.decode()


def test_an_edit_with_a_bad_span_is_refused_next_to_the_form(
    team, themes, tags, session, client_as, htmx_headers
):
    target = Annotation.objects.get(pk=tags["energy1"].pk)
    version = target.version
    url = f"/p/class/compare/annotations/{target.pk}/edit/?session={session.pk}"
    response = client_as(team.owner).post(
        url,
        {"theme": themes["energy"].pk, "start": 3, "end": "", "version": target.version},
        headers=htmx_headers,
    )
    assert response.status_code == 422
    assert "A span needs both start and end." in response.content.decode()
    response = client_as(team.owner).post(
        url,
        {"theme": themes["energy"].pk, "start": 3, "end": 999, "version": target.version},
        headers=htmx_headers,
    )
    assert response.status_code == 422
    assert "is past the passage text" in response.content.decode()
    target.refresh_from_db()
    assert (target.start, target.end, target.version) == (None, None, version)


def test_a_tag_outside_the_compared_session_is_404(team, passages, themes, tags, session, client_as):
    outside = AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    client = client_as(team.owner)
    url = f"/p/class/compare/annotations/{outside.pk}/decide/?session={session.pk}"
    assert client.post(url, {"decision": "approve"}).status_code == 404
    url = f"/p/class/compare/annotations/{tags['energy1'].pk}/decide/"
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert not Review.objects.exists()


def test_compare_escapes_user_text_and_keeps_the_csp(team, tags, session, client_as):
    Annotation.objects.filter(pk=tags["energy1"].pk).update(note=f"Note {SCRIPT}")
    team.annotator.first_name = "<b>Eve</b>"
    team.annotator.save()
    client = client_as(team.owner)
    for url in [
        f"/p/class/compare/?session={session.pk}",
        f"/p/class/compare/annotations/{tags['energy1'].pk}/edit/?session={session.pk}",
    ]:
        response = client.get(url)
        html = response.content.decode()
        assert SCRIPT not in html and "<b>Eve</b>" not in html, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=", html) and not re.search(r"\son[a-z]+=", html), url
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S):
            assert 'name="csrfmiddlewaretoken"' in form, url
    assert "Note &lt;script&gt;" in client.get(f"/p/class/compare/?session={session.pk}").content.decode()
