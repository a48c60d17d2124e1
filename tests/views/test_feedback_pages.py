"""The feedback page: a student's scores against the answer key, every difference in its passage, and
their grade once released; instructors see any participant's. The rules are the API's."""

import re
from dataclasses import dataclass

import pytest
from django.utils import timezone

from sources.models import Annotation, Passage, Session, Source, Theme
from sources.services.annotations import annotation_create
from sources.services.feedback import grade_set, grades_release, rubric_set

from ..factories import MembershipFactory, SessionFactory, ThemeFactory, UserFactory
from .conftest import make_source

PARAGRAPHS = [
    "Week one reading",
    "Energy from Central Asia reaches China through pipelines, oil and gas alike.",
    "China uses the SCO to fight terrorism, separatism and extremism.",
    "Kazakhstan sells uranium and gas to its eastern neighbour.",
    "The expansion of the SCO to India and Pakistan made consensus harder.",
]
SCRIPT = "<script>alert(1)</script>"
# Budget, measured: session and user, membership, the session, its participants, the codebook; the
# scores (participants, passages, themes, tags); the passages and tags behind the differences; the
# grades (criteria, grades, their scores).
FEEDBACK_QUERIES = 15


@dataclass
class Keyed:
    session: Session
    source: Source
    passages: list[Passage]
    energy: Theme
    terrorism: Theme


def close(session: Session) -> None:
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        opens_at=now - timezone.timedelta(days=2), closes_at=now - timezone.timedelta(minutes=5)
    )
    session.refresh_from_db()


def tag(user, passage, theme, session, phrase: str | None = None, note: str = "") -> Annotation:
    start = passage.text.index(phrase) if phrase else None
    return annotation_create(
        passage=passage,
        theme=theme,
        author=user,
        start=start,
        end=start + len(phrase) if phrase else None,
        note=note,
        session=session,
    )


@pytest.fixture
def keyed(team) -> Keyed:
    """The instructor's key: energy on passages 1 ("pipelines" span) and 4 (whole). annotator: energy
    on 1, 4 and 3 ("uranium and gas" span); annotator2: energy on 2 only. Terrorism: key on 2."""
    source = make_source(team.project, PARAGRAPHS)
    passages = list(source.passages.order_by("ordinal"))
    energy = ThemeFactory(project=team.project, slug="energy", name="Energy", order=1)
    terrorism = ThemeFactory(project=team.project, slug="terrorism", name="Terrorism", order=2)
    ThemeFactory(project=team.project, slug="unused", name="Unused", order=3)
    session = SessionFactory(project=team.project, name="Week 1", answer_key_author=team.instructor)
    session.sources.set([source])
    session.participants.set([team.annotator, team.annotator2])
    tag(team.instructor, passages[1], energy, session, "pipelines", note=f"Pipelines are energy {SCRIPT}")
    tag(team.instructor, passages[4], energy, session)
    tag(team.instructor, passages[2], terrorism, session, "terrorism")
    tag(team.annotator, passages[1], energy, session)
    tag(team.annotator, passages[4], energy, session)
    tag(team.annotator, passages[3], energy, session, "uranium and gas")
    tag(team.annotator2, passages[2], energy, session)
    return Keyed(session, source, passages, energy, terrorism)


def url(keyed: Keyed, query: str = "") -> str:
    return f"/p/class/sessions/{keyed.session.pk}/feedback/{query}"


def metric(html: str, theme: str, name: str) -> str:
    row = re.search(rf'<tr class="theme-\d+" data-theme="{theme}">(.*?)</tr>', html, re.S).group(1)
    cell = re.search(rf'data-metric="{name}">(.*?)</td>', row, re.S).group(1)
    return re.sub(r"<[^>]+>", " ", cell).split()[0]


def test_scores_on_the_page_equal_a_hand_computation(team, keyed, client_as):
    close(keyed.session)
    html = client_as(team.annotator).get(url(keyed)).content.decode()
    # Four passages besides the heading. Energy: key {1, 4}, annotator {1, 3, 4}: precision 2/3,
    # recall 2/2; kappa: p_o = 3/4, p_e = 3/4*2/4 + 1/4*2/4 = 1/2, (3/4 - 1/2) / (1/2) = 0.50.
    assert (metric(html, "energy", "precision"), metric(html, "energy", "recall")) == ("67%", "100%")
    assert metric(html, "energy", "kappa") == "0.50"
    # Terrorism: key {2}, annotator none: precision undefined, recall 0, kappa undefined (one class).
    assert (metric(html, "terrorism", "precision"), metric(html, "terrorism", "recall")) == ("—", "0%")
    assert "Used by neither you nor the key: Unused." in html

    other = client_as(team.instructor).get(url(keyed, f"?user={team.annotator2.pk}")).content.decode()
    # annotator2: energy {2} against {1, 4}: precision 0, recall 0; p_o = 1/4, p_e = 1/2, kappa -0.50.
    assert (metric(other, "energy", "precision"), metric(other, "energy", "recall")) == ("0%", "0%")
    assert metric(other, "energy", "kappa") == "-0.50"


def test_every_difference_is_shown_in_its_passage_with_the_spans_marked(team, keyed, client_as):
    close(keyed.session)
    html = client_as(team.annotator).get(url(keyed)).content.decode()
    differences = re.findall(r'<li class="difference-passage card" id="difference-(\d+)">', html)
    # Passage 3 (added energy) and passage 2 (missed terrorism); passages 1 and 4 agree.
    assert sorted(int(pk) for pk in differences) == sorted([keyed.passages[2].pk, keyed.passages[3].pk])
    added = html[html.index(f'id="difference-{keyed.passages[3].pk}"') :]
    added = added[: added.index("</li>\n            \n")] if "</li>\n            \n" in added else added
    assert "Kazakhstan sells" in added
    assert re.search(
        r'<mark class="hl theme-\d+ lane-0 yours span-end" data-label="you"[^>]*>uranium and gas</mark>',
        added,
    )
    assert "You added" in html and "You missed" in html
    missed = html[html.index(f'id="difference-{keyed.passages[2].pk}"') :]
    assert re.search(
        r'<mark class="hl theme-\d+ lane-0 key span-end" data-label="key"[^>]*>terrorism</mark>', missed
    )
    assert "the key tags “terrorism”" in missed


def test_the_keys_note_is_shown_escaped_on_a_missed_passage(team, keyed, client_as):
    Annotation.objects.filter(author=team.annotator, passage=keyed.passages[1]).delete()
    close(keyed.session)
    html = client_as(team.annotator).get(url(keyed)).content.decode()
    assert SCRIPT not in html
    assert "Pipelines are energy &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_before_closing_a_student_sees_when_feedback_appears(team, keyed, client_as):
    html = client_as(team.annotator).get(url(keyed)).content.decode()
    assert "Feedback appears when the session closes on" in html
    assert keyed.session.closes_at.strftime("%Y") in html
    assert "scores-table" not in html and "difference-passage" not in html


def test_instructors_see_feedback_before_closing_and_pick_any_participant(team, keyed, client_as):
    client = client_as(team.instructor)
    html = client.get(url(keyed)).content.decode()
    assert "students see this page once it closes" in html
    assert re.search(rf'<option value="{team.annotator.pk}" selected>annotator</option>', html)
    assert f'<option value="{team.annotator2.pk}">annotator2</option>' in html
    assert f'<option value="{team.instructor.pk}"' not in html  # the key's author is not scored
    assert "scores-table" in html
    assert client.get(url(keyed, f"?user={team.observer.pk}")).status_code == 404


def test_a_student_sees_only_their_own_feedback(team, keyed, client_as):
    close(keyed.session)
    html = client_as(team.annotator2).get(url(keyed, f"?user={team.annotator.pk}")).content.decode()
    # annotator2's own row (energy precision 0), not annotator's (67%), and no picker.
    assert metric(html, "energy", "precision") == "0%"
    assert 'name="user"' not in html


def test_observers_get_403_and_outsiders_404(team, keyed, client_as):
    close(keyed.session)
    assert client_as(team.observer).get(url(keyed)).status_code == 403
    assert client_as(team.outsider).get(url(keyed)).status_code == 404
    other = SessionFactory(project=team.other_project)
    assert client_as(team.annotator).get(f"/p/class/sessions/{other.pk}/feedback/").status_code == 404


def test_a_member_who_did_not_take_part_is_told_so(team, keyed, client_as):
    newcomer = MembershipFactory(project=team.project, user=UserFactory(username="newcomer")).user
    close(keyed.session)
    html = client_as(newcomer).get(url(keyed)).content.decode()
    assert "You did not take part in this session" in html


def test_without_an_answer_key_the_page_says_so(team, keyed, client_as):
    Session.objects.filter(pk=keyed.session.pk).update(answer_key_author=None)
    close(keyed.session)
    html = client_as(team.annotator).get(url(keyed)).content.decode()
    assert "has not chosen an answer key" in html
    assert "scores-table" not in html


def test_the_grade_is_invisible_until_released_then_shown_with_its_feedback(team, keyed, client_as):
    close(keyed.session)
    [coverage, care] = rubric_set(
        session=keyed.session,
        criteria=[{"name": "Coverage", "max_points": 5}, {"name": "Care", "max_points": 3}],
    )
    grade_set(
        session=keyed.session,
        annotator=team.annotator,
        graded_by=team.instructor,
        scores={coverage.pk: 4, care.pk: "2.5"},
        feedback=f"Good eye for energy. {SCRIPT}",
    )
    student = client_as(team.annotator)
    before = student.get(url(keyed)).content.decode()
    assert "not released yet" in before and "Good eye" not in before

    lead = client_as(team.instructor).get(url(keyed)).content.decode()
    assert "Not released" in lead and "Good eye for energy." in lead

    grades_release(session=keyed.session)
    after = student.get(url(keyed)).content.decode()
    assert "Good eye for energy. &lt;script&gt;" in after and SCRIPT not in after
    assert re.search(r"Coverage</th><td class=\"num\">4 <span class=\"muted\">/ 5</span>", after)
    assert re.search(r'class="num total">6.5 <span class="muted">/ 8</span>', after)
    # Another student still sees no grade of theirs, and nothing of annotator's.
    other = client_as(team.annotator2).get(url(keyed)).content.decode()
    assert "not released yet" in other and "Good eye" not in other


def test_the_page_costs_the_same_for_a_small_or_a_large_session(
    team, keyed, client_as, django_assert_max_num_queries
):
    close(keyed.session)
    client = client_as(team.annotator)
    with django_assert_max_num_queries(FEEDBACK_QUERIES):
        assert client.get(url(keyed)).status_code == 200

    big = make_source(
        team.project, ["Heading"] + [f"Paragraph {n} on pipelines and gas." for n in range(150)]
    )
    keyed.session.sources.add(big)
    students = [
        MembershipFactory(project=team.project, user=UserFactory(username=f"s{n}")).user for n in range(12)
    ]
    keyed.session.participants.add(*students)
    rows = []
    for passage in big.passages.exclude(ordinal=0):
        for n, author in enumerate([team.instructor, team.annotator, *students]):
            if (passage.ordinal + n) % 3:
                theme = keyed.energy if n % 2 else keyed.terrorism
                start = passage.text.index("pipelines") if n % 4 == 1 else None
                rows.append(
                    Annotation(
                        passage=passage,
                        theme=theme,
                        author=author,
                        session=keyed.session,
                        start=start,
                        end=start + 9 if start is not None else None,
                        quote="pipelines" if start is not None else "",
                    )
                )
    Annotation.objects.bulk_create(rows, ignore_conflicts=True)
    [criterion] = rubric_set(session=keyed.session, criteria=[{"name": "Coverage", "max_points": 5}])
    for person in [team.annotator, *students]:
        grade_set(
            session=keyed.session, annotator=person, graded_by=team.instructor, scores={criterion.pk: 3}
        )
    grades_release(session=keyed.session)
    with django_assert_max_num_queries(FEEDBACK_QUERIES):
        html = client.get(url(keyed)).content.decode()
    assert html.count('class="difference-passage card"') > 50
    lead = client_as(team.instructor)
    with django_assert_max_num_queries(FEEDBACK_QUERIES):
        assert lead.get(url(keyed, f"?user={students[3].pk}")).status_code == 200


def test_the_session_page_links_to_feedback_and_grades(client, team):
    from django.urls import reverse

    from ..factories import SessionFactory

    session = SessionFactory(project=team.project)
    session.participants.add(team.annotator)
    client.force_login(team.instructor)
    page = client.get(reverse("session", args=[team.project.slug, session.pk])).content.decode()
    assert reverse("session-grades", args=[team.project.slug, session.pk]) in page
    client.force_login(team.annotator)
    page = client.get(reverse("session", args=[team.project.slug, session.pk])).content.decode()
    assert reverse("session-feedback", args=[team.project.slug, session.pk]) in page
    assert reverse("session-grades", args=[team.project.slug, session.pk]) not in page
