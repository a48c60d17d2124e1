"""Pages run a fixed number of queries, whatever the size of the source, codebook or team's work."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import Annotation, Evidence

from ..factories import ClaimFactory, MembershipFactory, ThemeFactory, UserFactory
from .conftest import NOTIFY, make_source

# Measured. Every page: session, user, membership. Then the reader: source, the codebook, the ordinals
# shown, the headings, then the first chunk's passages, their tags, their evidence, their comments, the
# suggestions offered (one query each, outside session views); a chunk loaded later
# (or a filtered page's extra count) costs the same whatever its place in the source. The dashboard:
# sources, two aggregates, codebook, annotators, recent tags,
# recent evidence, claim count. The board: codebook, claims, evidence. Search: codebook, members, results.
READER = 12
READER_CHUNK = 11  # a disputed filter reads the chunk's tags once more
READER_FILTERED = 15
DASHBOARD = 11
CLAIMS = 6
SEARCH = 6
# the checks and writes of annotation_create (savepoint, history, the live pages' event and the
# recommenders' retraining queued included), then the fragment
TAG_WRITE = 20 + NOTIFY


def grow(team, themes, source, *, passages: int, per_passage: int) -> None:
    """A source of `passages` paragraphs, each with `per_passage` tags by several annotators, spans
    overlapping, and evidence on every other passage."""
    extra = [ThemeFactory(project=team.project, slug=f"extra-{n}", order=10 + n) for n in range(4)]
    annotators = [team.annotator, team.annotator2] + [
        MembershipFactory(project=team.project, user=UserFactory(username=f"student{n}")).user
        for n in range(3)
    ]
    palette = [*themes.values(), *extra]
    claim = ClaimFactory(project=team.project, author=team.annotator)
    tags, links = [], []
    for passage in source.passages.all():
        for n in range(per_passage):
            start = (n * 3) % 20
            tags.append(
                Annotation(
                    passage=passage,
                    theme=palette[n % len(palette)],
                    author=annotators[n % len(annotators)],
                    start=start if n % 4 else None,
                    end=start + 15 if n % 4 else None,
                    quote=passage.text[start : start + 15] if n % 4 else "",
                    note=f"note {n}",
                )
            )
        if passage.ordinal % 2:
            links.append(Evidence(claim=claim, passage=passage, author=team.annotator2, relation="supports"))
    Annotation.objects.bulk_create(tags)
    Evidence.objects.bulk_create(links)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def paragraphs(n: int) -> list[str]:
    return ["Heading"] + [
        f"Paragraph {i}: China, the SCO and energy security in Central Asia." for i in range(n)
    ]


@pytest.fixture
def small(team, themes):
    return make_source(team.project, paragraphs(2), title="Small")


@pytest.fixture
def large(team, themes):
    source = make_source(team.project, paragraphs(300), title="Large")
    grow(team, themes, source, passages=300, per_passage=6)
    return source


def test_the_reader_costs_the_same_for_a_small_and_a_large_source(
    team, small, large, client_as, django_assert_max_num_queries
):
    client = client_as(team.annotator)
    assert Annotation.objects.filter(passage__source=large).count() > 1800
    with django_assert_max_num_queries(READER):
        client.get(f"/p/class/sources/{small.pk}/")
    with django_assert_max_num_queries(READER):
        client.get(f"/p/class/sources/{large.pk}/")
    assert count_queries(client, f"/p/class/sources/{small.pk}/") == count_queries(
        client, f"/p/class/sources/{large.pk}/"
    )


@pytest.mark.parametrize("shown", ["", "untagged", "mine", "disputed", "theme"])
def test_every_filter_and_every_chunk_of_a_long_source_costs_the_same(
    team, themes, large, client_as, django_assert_max_num_queries, shown
):
    client = client_as(team.annotator)
    query = {"filter": shown, "theme": themes["energy"].pk}
    with django_assert_max_num_queries(READER_FILTERED):
        page = client.get(f"/p/class/sources/{large.pk}/", query)
    assert page.status_code == 200
    for first, last in [(1, 100), (201, 300)]:
        with django_assert_max_num_queries(READER_CHUNK):
            chunk = client.get(
                f"/p/class/sources/{large.pk}/",
                {**query, "from": first, "to": last},
                headers={"HX-Request": "true"},
            )
        assert chunk.status_code == 200


def test_a_tag_written_from_the_reader_costs_the_same_on_a_busy_passage(
    team, themes, large, client_as, django_assert_max_num_queries
):
    passage = large.passages.get(ordinal=5)
    client = client_as(team.annotator)
    with django_assert_max_num_queries(TAG_WRITE):
        response = client.post(
            f"/p/class/passages/{passage.pk}/annotations/",
            {"theme": themes["energy"].pk},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200


def test_the_dashboard_costs_the_same_for_one_small_or_many_large_sources(
    team, themes, small, client_as, django_assert_max_num_queries
):
    client = client_as(team.owner)
    with django_assert_max_num_queries(DASHBOARD):
        client.get("/p/class/")
    before = count_queries(client, "/p/class/")
    big = make_source(team.project, paragraphs(80), title="Big")
    grow(team, themes, big, passages=80, per_passage=4)
    for n in range(3):
        make_source(team.project, paragraphs(20), title=f"More {n}")
    with django_assert_max_num_queries(DASHBOARD):
        client.get("/p/class/")
    assert count_queries(client, "/p/class/") == before


def test_the_claims_board_costs_the_same_for_few_or_many_claims_and_links(
    team, themes, small, large, client_as, django_assert_max_num_queries
):
    client = client_as(team.annotator)
    with django_assert_max_num_queries(CLAIMS):
        client.get("/p/class/claims/")
    before = count_queries(client, "/p/class/claims/")
    for n in range(20):
        claim = ClaimFactory(project=team.project, author=team.annotator2, text=f"Claim {n}")
        Evidence.objects.bulk_create(
            Evidence(claim=claim, passage=p, author=team.annotator, relation="qualifies")
            for p in large.passages.all()[:10]
        )
    assert count_queries(client, "/p/class/claims/") == before


def test_search_costs_the_same_for_few_or_many_matches(
    team, small, large, client_as, django_assert_max_num_queries
):
    client = client_as(team.annotator)
    with django_assert_max_num_queries(SEARCH):
        few = client.get("/p/class/search/", {"q": "Heading"})
    with django_assert_max_num_queries(SEARCH):
        many = client.get("/p/class/search/", {"q": "china energy", "theme": "energy"})
    assert (few.status_code, many.status_code) == (200, 200)
    assert "2 passages found" in few.text  # the two sources' headings
    assert "The first" in many.text and "Paragraph 1:" in many.text
