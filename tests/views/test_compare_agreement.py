"""The agreement panel: per-theme Krippendorff's alpha, Cohen's and Fleiss' kappa and percent
agreement of a session's submitted annotators, as a table and a server-drawn SVG chart, for leads."""

import re

import pytest

from sources.selectors.agreement import session_agreement

from .test_sessions import open_session, tag


@pytest.fixture
def session(team, source):
    return open_session(team, [source], name="Week 1")


@pytest.fixture
def judged(team, passages, themes, session, client_as):
    """Energy: both tag passages 1 and 2, only `annotator` tags 3. Terrorism: only `annotator`, on 1."""
    for passage in passages[1:3]:
        tag(team.annotator, passage, themes["energy"], session)
        tag(team.annotator2, passage, themes["energy"], session)
    tag(team.annotator, passages[3], themes["energy"], session)
    tag(team.annotator, passages[1], themes["terrorism"], session)
    for user in [team.annotator, team.annotator2]:
        client_as(user).post(f"/p/class/sessions/{session.pk}/submit/", {"confirm": "yes"})
    return session


def panel(client, session=None) -> str:
    params = {"session": session.pk} if session else {}
    response = client.get("/p/class/agreement/", params, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def table_row(html: str, label: str) -> list[str]:
    row = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', html, re.S).group(1)
    return re.findall(r'<td class="num[^"]*">([^<]+)</td>', row)


def shown(value, percent=False) -> str:
    if value is None:
        return "n/a"
    return f"{value * 100:.0f}%" if percent else f"{value:.2f}"


def test_the_panel_shows_each_themes_statistics_as_the_selector_computes_them(team, judged, client_as):
    html = panel(client_as(team.instructor), judged)
    expected = session_agreement(project=team.project, session=judged)
    by_theme = {row["theme"]: row for row in expected["themes"]}
    for label, slug in [("Energy", "energy"), ("Terrorism", "terrorism")]:
        row = by_theme[slug]
        assert table_row(html, label) == [
            shown(row["krippendorff_alpha"]),
            shown(row["cohen_kappa"]),
            shown(row["fleiss_kappa"]),
            shown(row["percent_agreement"], percent=True),
        ], label
    overall = expected["overall"]
    assert table_row(html, "All themes")[-1] == shown(overall["percent_agreement"], percent=True)
    # Energy: 2 of 3 passages agreed; terrorism: never agreed, kappa undefined or negative.
    assert table_row(html, "Energy")[-1] == "67%"
    assert "<strong>2</strong> submitted annotators: annotator, annotator2" in html


def test_undefined_values_read_n_a_in_the_table_and_the_chart(team, source, passages, themes, client_as):
    session = open_session(team, [source], name="Lonely")
    tag(team.annotator, passages[1], themes["energy"], session)
    client_as(team.annotator).post(f"/p/class/sessions/{session.pk}/submit/", {"confirm": "yes"})
    html = panel(client_as(team.owner), session)
    assert "<strong>1</strong> submitted annotator: annotator" in html
    assert "Agreement needs at least two annotators who submitted" in html
    assert table_row(html, "Energy")[:3] == ["n/a", "n/a", "n/a"]
    assert re.search(r'<text class="chart-value is-na"[^>]*>\S+ n/a</text>', html)


def test_the_chart_is_inline_svg_with_a_bar_per_defined_value(team, judged, client_as):
    html = panel(client_as(team.owner), judged)
    svg = html[html.index("<svg") : html.index("</svg>")]
    values = re.findall(r'<text class="chart-value( is-na)?"', svg)
    bars = re.findall(r'<rect class="chart-bar metric-(\w+)"', svg)
    assert len(values) == 4 * 3  # energy, terrorism, all themes
    assert len(bars) == sum(1 for na in values if not na)
    assert 'role="img"' in svg and "<title" in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_choosing_a_session_shows_its_statistics(team, source, judged, client_as):
    other = open_session(team, [source], name="Week 2 (nobody yet)")
    html = panel(client_as(team.owner), other)
    assert re.search(
        rf'<option value="{other.pk}" selected>Week 2 \(nobody yet\) · 0 submitted</option>', html
    )
    assert "<strong>0</strong> submitted annotators" in html
    # Without a choice, the latest session anyone submitted in.
    assert re.search(rf'<option value="{judged.pk}" selected>', panel(client_as(team.owner)))


@pytest.mark.parametrize("role", ["owner", "instructor"])
def test_the_dashboard_loads_the_panel_for_leads(team, judged, client_as, role):
    page = client_as(team.user(role)).get("/p/class/").content.decode()
    assert 'hx-get="/p/class/agreement/" hx-trigger="load"' in page
    full = client_as(team.user(role)).get("/p/class/agreement/")
    assert full.status_code == 200 and "<h1>Agreement</h1>" in full.content.decode()


@pytest.mark.parametrize("role", ["annotator", "observer"])
def test_other_members_get_no_panel_and_403(team, judged, client_as, role):
    client = client_as(team.user(role))
    assert "/p/class/agreement/" not in client.get("/p/class/").content.decode()
    assert client.get("/p/class/agreement/").status_code == 403


def test_an_outsider_gets_404(team, judged, client_as):
    assert client_as(team.outsider).get("/p/class/agreement/").status_code == 404


def test_the_panel_escapes_session_and_theme_names(team, source, themes, client_as):
    themes["energy"].name = "<b>Energy</b>"
    themes["energy"].save()
    open_session(team, [source], name="<script>alert(1)</script>")
    response = client_as(team.owner).get("/p/class/agreement/")
    html = response.content.decode()
    assert "<script>alert" not in html and "<b>Energy</b>" not in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert not re.search(r"\sstyle=", html)
