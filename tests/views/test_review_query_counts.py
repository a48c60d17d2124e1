"""The session, review and compare pages run a fixed number of queries, whatever the number of
participants, annotations and evidence links."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import Annotation, AnnotationStatus, Evidence, Review, Submission
from sources.services.annotations import annotation_create
from sources.services.sessions import session_submit

from ..factories import ClaimFactory, MembershipFactory, UserFactory
from .conftest import NOTIFY, make_source
from .test_sessions import open_session

# Measured. Every page: session, user, membership. Then:
# sessions list: the sessions with their counts, and the caller's sources to do when they have open work;
SESSIONS = 5
# session page: the session, its sources to do, the passage total and participants' progress;
SESSION = 7
# its polled part: the same without the page around it;
SESSION_LIVE = 7
# reader in a session: the session, then what the plain reader runs;
READER_IN_SESSION = 12  # the reader's 11 (ordinals shown and headings included) and the session
# review queue: codebook, two counts, one page of items, sessions, members, sources;
REVIEW = 10
# compare: the session, sources, the chosen source, columns, tags, passages, codebook, sessions;
COMPARE = 11
# one decision from the queue: the item, the review written (savepoint, lock, insert, update, history),
# the events of the review and of the tag's new status for the live pages, the item read again;
DECIDE = 15 + 2 * NOTIFY
# the agreement panel: sessions, submissions, names, passages, themes, tags, codebook.
AGREEMENT = 10


def paragraphs(n: int) -> list[str]:
    return ["Heading"] + [
        f"Paragraph {i}: China, the SCO and energy security in Central Asia." for i in range(n)
    ]


def count(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.fixture
def small(team, themes):
    """A session on a two-paragraph source where both annotators tagged once and submitted."""
    source = make_source(team.project, paragraphs(2), title="Small")
    session = open_session(team, [source], blind=True)
    passage = source.passages.get(ordinal=1)
    for user in [team.annotator, team.annotator2]:
        annotation_create(passage=passage, theme=themes["energy"], author=user, session=session)
        session_submit(session=session, user=user)
    return session


def grow(team, themes, session, *, students: int, passages: int) -> None:
    """A big source in the session, `students` more participants who all tag every passage (some
    spans, some notes), submit, get reviewed; evidence on every other passage."""
    source = make_source(team.project, paragraphs(passages), title="Large")
    session.sources.add(source)
    people = [
        MembershipFactory(project=team.project, user=UserFactory(username=f"student{n}")).user
        for n in range(students)
    ]
    session.participants.add(*people)
    palette = list(themes.values())
    tags = []
    for n, person in enumerate(people):
        for passage in source.passages.all():
            start = (n * 3) % 20
            tags.append(
                Annotation(
                    passage=passage,
                    theme=palette[(n + passage.ordinal) % len(palette)],
                    author=person,
                    session=session,
                    start=start if n % 2 else None,
                    end=start + 10 if n % 2 else None,
                    quote=passage.text[start : start + 10] if n % 2 else "",
                    note=f"note {n}",
                    status=AnnotationStatus.SUBMITTED,
                )
            )
    Annotation.objects.bulk_create(tags)
    Submission.objects.bulk_create(Submission(session=session, user=person) for person in people)
    created = Annotation.objects.filter(session=session).order_by("id")
    Review.objects.bulk_create(
        Review(annotation=a, reviewer=team.owner, decision="comment", comment="Looked at it.")
        for a in created[::7]
    )
    claim = ClaimFactory(project=team.project, author=team.annotator)
    Evidence.objects.bulk_create(
        Evidence(claim=claim, passage=p, author=person, relation="supports")
        for person in people[:3]
        for p in source.passages.all()[::2]
    )


PAGES = [
    ("sessions list", "annotator", lambda s: "/p/class/sessions/", {}, SESSIONS),
    ("session page", "annotator", lambda s: f"/p/class/sessions/{s.pk}/", {}, SESSION),
    (
        "session live part",
        "owner",
        lambda s: f"/p/class/sessions/{s.pk}/",
        {"HX-Request": "true"},
        SESSION_LIVE,
    ),
    ("review queue", "owner", lambda s: f"/p/class/review/?session={s.pk}", {}, REVIEW),
    ("review evidence", "owner", lambda s: "/p/class/review/?kind=evidence", {}, REVIEW),
    ("compare", "instructor", lambda s: f"/p/class/compare/?session={s.pk}&show=all", {}, COMPARE),
    (
        "agreement",
        "owner",
        lambda s: f"/p/class/agreement/?session={s.pk}",
        {"HX-Request": "true"},
        AGREEMENT,
    ),
]


@pytest.mark.parametrize(("name", "role", "url", "headers", "budget"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_costs_the_same_for_a_small_and_a_large_session(
    team, themes, small, client_as, django_assert_max_num_queries, name, role, url, headers, budget
):
    client = client_as(team.user(role))
    with django_assert_max_num_queries(budget):
        client.get(url(small), headers=headers)
    before = count(client, url(small), **headers)
    grow(team, themes, small, students=12, passages=120)
    assert Annotation.objects.filter(session=small).count() > 1400
    with django_assert_max_num_queries(budget):
        client.get(url(small), headers=headers)
    assert count(client, url(small), **headers) == before


def test_the_compare_page_of_the_large_source_costs_the_same(
    team, themes, small, client_as, django_assert_max_num_queries
):
    client = client_as(team.owner)
    small_source = small.sources.get()
    before = count(client, f"/p/class/compare/?session={small.pk}&source={small_source.pk}")
    grow(team, themes, small, students=12, passages=120)
    large = small.sources.get(title="Large")
    with django_assert_max_num_queries(COMPARE):
        client.get(f"/p/class/compare/?session={small.pk}&source={large.pk}")
    assert count(client, f"/p/class/compare/?session={small.pk}&source={large.pk}") == before


def test_the_reader_in_a_session_costs_the_same_for_a_large_source(
    team, themes, small, client_as, django_assert_max_num_queries
):
    client = client_as(team.annotator)
    small_source = small.sources.get()
    with django_assert_max_num_queries(READER_IN_SESSION):
        client.get(f"/p/class/sources/{small_source.pk}/?session={small.pk}")
    grow(team, themes, small, students=12, passages=120)
    large = small.sources.get(title="Large")
    # The first screen renders the first chunk of passages; the rest load as they come into view.
    last_of_first_chunk = large.passages.order_by("ordinal")[99]
    for reader in [client, client_as(team.owner)]:
        with django_assert_max_num_queries(READER_IN_SESSION):
            response = reader.get(f"/p/class/sources/{large.pk}/?session={small.pk}")
        assert response.status_code == 200
        assert f'id="passage-{last_of_first_chunk.ordinal}"' in response.text


def test_a_decision_costs_the_same_on_a_busy_queue(
    team, themes, small, client_as, django_assert_max_num_queries
):
    grow(team, themes, small, students=12, passages=120)
    target = Annotation.objects.filter(session=small).last()
    client = client_as(team.owner)
    with django_assert_max_num_queries(DECIDE):
        response = client.post(
            f"/p/class/review/annotation/{target.pk}/",
            {"decision": "approve"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
