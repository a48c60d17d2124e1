"""CSRF on every write, a strict Content-Security-Policy, and user text always escaped."""

import re

import pytest
from django.test import Client

from sources.models import Annotation, Theme

from ..factories import AnnotationFactory, ClaimFactory, EvidenceFactory

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def hostile(team, source, passages, themes):
    """User text with markup everywhere a page shows user text."""
    theme = Theme.objects.create(project=team.project, slug="evil", name=f"Evil {SCRIPT}", color="#123456")
    annotation = AnnotationFactory(
        passage=passages[1], theme=theme, author=team.annotator, note=f"Note {SCRIPT}"
    )
    claim = ClaimFactory(project=team.project, author=team.annotator, text=f"Claim {SCRIPT}")
    EvidenceFactory(claim=claim, passage=passages[1], author=team.annotator, note=f"Why {SCRIPT}")
    source.title = f"Title {SCRIPT}"
    source.save()
    team.annotator.first_name = "<b>Eve</b>"
    team.annotator.save()
    return annotation


def pages(source, passages) -> list[str]:
    return [
        "/",
        "/p/class/",
        f"/p/class/sources/{source.pk}/",
        "/p/class/claims/",
        "/p/class/search/?q=SCO",
        f"/p/class/passages/{passages[1].pk}/link/",
    ]


def test_user_text_is_escaped_on_every_page(team, source, passages, hostile, client_as):
    client = client_as(team.owner)
    for url in pages(source, passages):
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert "<b>Eve</b>" not in html, url
    reader = client.get(f"/p/class/sources/{source.pk}/").content.decode()
    assert "Note &lt;script&gt;alert(1)&lt;/script&gt;" in reader
    board = client.get("/p/class/claims/").content.decode()
    assert "Claim &lt;script&gt;alert(1)&lt;/script&gt;" in board and "Why &lt;script&gt;" in board


def test_pages_carry_a_csp_without_unsafe_inline(team, source, passages, themes, client_as):
    client = client_as(team.annotator)
    for url in [*pages(source, passages), "/accounts/logout/"]:
        response = client.get(url)
        policy = response.get("Content-Security-Policy", "")
        if response.status_code == 405:  # logout is POST only; its 405 still carries the header
            assert policy
            continue
        assert "default-src 'self'" in policy, url
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url


def test_pages_have_no_inline_script_or_style_for_the_csp_to_block(
    team, source, passages, hostile, client_as
):
    client = client_as(team.owner)
    for url in [*pages(source, passages), "/accounts/login/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handlers
        assert "hx-on" not in html, url


def test_htmx_is_vendored_not_loaded_from_a_cdn(team, source, client_as):
    html = client_as(team.annotator).get(f"/p/class/sources/{source.pk}/").content.decode()
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in html
    assert '<script type="module" src="/static/js/reader.js"></script>' in html
    assert "https://" not in html


@pytest.fixture
def csrf_client(team) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.annotator)
    return client


def test_a_write_without_the_csrf_token_is_refused(csrf_client, passages, themes):
    url = f"/p/class/passages/{passages[1].pk}/annotations/"
    response = csrf_client.post(url, {"theme": themes["energy"].pk}, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert not Annotation.objects.exists()


def test_htmx_sends_the_token_from_the_page_and_it_is_accepted(csrf_client, source, passages, themes):
    html = csrf_client.get(f"/p/class/sources/{source.pk}/").content.decode()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', html).group(1)
    assert f'<meta name="csrf-token" content="{token}">' in html
    url = f"/p/class/passages/{passages[1].pk}/annotations/"
    response = csrf_client.post(
        url, {"theme": themes["energy"].pk}, headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert Annotation.objects.count() == 1


def test_every_form_on_the_pages_carries_the_csrf_token(team, source, passages, hostile, client_as):
    client = client_as(team.owner)
    for url in pages(source, passages):
        html = client.get(url).content.decode()
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S):
            assert 'name="csrfmiddlewaretoken"' in form, url


def test_the_theme_stylesheet_colours_each_theme_and_never_pastes_a_bad_value(team, themes, client_as):
    broken = Theme.objects.create(project=team.project, slug="broken", name="Broken", color="red;}*{")
    response = client_as(team.observer).get("/p/class/themes.css")
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert f".theme-{themes['energy'].pk} {{ --theme: #2f855a; --theme-tint: rgba(47, 133, 90, 0.16);" in css
    assert f".theme-{broken.pk} {{ --theme: #5b6372;" in css
    assert "red;" not in css


def test_the_theme_stylesheet_url_changes_with_the_colours(team, source, themes, client_as):
    client = client_as(team.annotator)
    link = re.compile(r'href="/p/class/themes.css\?v=([0-9a-f]+)"')
    before = link.search(client.get(f"/p/class/sources/{source.pk}/").content.decode()).group(1)
    Theme.objects.filter(pk=themes["energy"].pk).update(color="#000000")
    after = link.search(client.get(f"/p/class/sources/{source.pk}/").content.decode()).group(1)
    assert before != after
