"""Passage search: every word, case-insensitively; theme and annotator filters; htmx results."""

from ..factories import AnnotationFactory


def search(client, **params):
    return client.get("/p/class/search/", params)


def test_every_word_must_occur_in_any_case(team, source, client_as):
    client = client_as(team.annotator)
    html = search(client, q="china PIPELINES").content.decode()
    assert "1 passage found." in html
    assert "Energy from Central Asia reaches" in html
    assert '<mark class="match">China</mark>' in html and '<mark class="match">pipelines</mark>' in html
    assert "No passage matches" in search(client, q="china japan").content.decode()


def test_the_theme_and_annotator_filters_narrow_to_tagged_passages(team, source, passages, themes, client_as):
    AnnotationFactory(passage=passages[1], theme=themes["terrorism"], author=team.annotator)
    AnnotationFactory(passage=passages[2], theme=themes["energy"], author=team.annotator2)
    client = client_as(team.observer)
    by_theme = search(client, theme="energy").content.decode()
    assert "Energy from Central Asia" in by_theme and "fight terrorism" not in by_theme
    by_annotator = search(client, q="SCO", annotator=team.annotator.pk).content.decode()
    assert "fight terrorism" in by_annotator and "Kazakhstan" not in by_annotator
    both = search(client, theme="energy", annotator=team.annotator.pk).content.decode()
    assert "No passage matches" in both


def test_htmx_gets_only_the_results_fragment(team, source, client_as, htmx_headers):
    response = client_as(team.annotator).get("/p/class/search/", {"q": "SCO"}, headers=htmx_headers)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html and 'role="search"' not in html
    assert "2 passages found." in html


def test_words_match_whole_words_only(team, source, client_as):
    html = search(client_as(team.annotator), q="pipeline").content.decode()
    assert "No passage matches" in html


def test_an_empty_search_asks_for_words(team, source, client_as):
    assert "Type a few words" in search(client_as(team.annotator)).content.decode()


def test_search_words_are_escaped_in_the_form_and_the_highlights(team, source, client_as):
    html = search(client_as(team.annotator), q='"><script>alert(1)</script> SCO').content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; SCO" in html


def test_non_ascii_words_match(team, source, client_as):
    html = search(client_as(team.annotator), q="Кыргызстан").content.decode()
    assert '<mark class="match">Кыргызстан</mark>' in html
