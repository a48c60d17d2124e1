"""The grades page: answer key, rubric, a grade per participant, release and the gradebook, for the
project's owners and instructors only."""

import csv
import io
import re

import pytest

from sources.models import Criterion, Grade, Score, Session
from sources.services.feedback import grade_set, rubric_set

from ..factories import AnnotationFactory, MembershipFactory, SessionFactory, ThemeFactory, UserFactory
from .conftest import make_source

SCRIPT = "<script>alert(1)</script>"
# Budget, measured: session and user, membership, the session; the rubric (read again by the grades
# selector), the grades and their scores; the members with their tag counts; the participants; the
# session's sources.
GRADES_QUERIES = 11


@pytest.fixture
def session(team) -> Session:
    source = make_source(team.project, ["Heading", "China and energy.", "Terrorism and the SCO."])
    session = SessionFactory(project=team.project, name="Week 1")
    session.sources.set([source])
    session.participants.set([team.annotator, team.annotator2])
    return session


@pytest.fixture
def rubric(session) -> list[Criterion]:
    return rubric_set(
        session=session,
        criteria=[
            {"name": "Coverage", "description": "Finds the passages", "max_points": 5},
            {"name": "Care", "max_points": 3},
        ],
    )


def page(session) -> str:
    return f"/p/class/sessions/{session.pk}/grades/"


def rubric_post(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteria-{n}-{key}"] = value
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("instructor", 200), ("annotator", 403), ("observer", 403), ("outsider", 404)],
)
def test_only_owners_and_instructors_open_the_grades_page(team, session, client_as, role, status):
    assert client_as(team.user(role)).get(page(session)).status_code == status


@pytest.mark.parametrize("role", ["annotator", "observer"])
def test_students_and_observers_cannot_post_grades(team, session, rubric, client_as, role):
    client = client_as(team.user(role))
    base = page(session)
    for url, data in [
        (f"{base}answer-key/", {"author": team.user(role).pk}),
        (f"{base}rubric/", rubric_post([{"name": "Mine", "max_points": "9"}])),
        (f"{base}{team.annotator.pk}/", {f"grade-{team.annotator.pk}-points-{rubric[0].pk}": "5"}),
        (f"{base}release/", {}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert not Grade.objects.exists()
    assert Session.objects.get(pk=session.pk).answer_key_author is None


def test_choosing_the_answer_key_from_the_members_who_tagged_in_the_session(
    team, session, client_as, htmx_headers
):
    passage = session.sources.get().passages.get(ordinal=1)
    AnnotationFactory(
        passage=passage, theme=ThemeFactory(project=team.project), author=team.instructor, session=session
    )
    client = client_as(team.instructor)
    html = client.get(page(session)).content.decode()
    assert "An instructor who is not a participant may annotate the session to build the key" in html
    options = re.findall(
        r'<option value="(\d+)">([^<]*)</option>', html.split('id="answer-key"')[1].split("</section>")[0]
    )
    # Someone with no tags in the session would make every participant score zero: not offered.
    assert options == [(str(team.instructor.pk), "instructor · instructor · 1 tag in this session")]
    response = client.post(
        f"{page(session)}answer-key/", {"author": team.instructor.pk}, headers=htmx_headers
    )
    assert response.status_code == 200
    assert Session.objects.get(pk=session.pk).answer_key_author == team.instructor
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section id="answer-key"')
    assert "Current key" in fragment and "The answer key is now instructor&#x27;s tags." in fragment

    refused = client.post(f"{page(session)}answer-key/", {"author": team.outsider.pk})
    assert refused.status_code == 422
    assert "Select a valid choice" in refused.content.decode()
    assert Session.objects.get(pk=session.pk).answer_key_author == team.instructor
    cleared = client.post(f"{page(session)}answer-key/", {"author": ""})
    assert cleared.status_code == 302 and cleared["Location"].endswith("#answer-key")
    assert Session.objects.get(pk=session.pk).answer_key_author is None


def test_editing_the_rubric_adds_renames_and_removes_rows(team, session, rubric, client_as):
    client = client_as(team.instructor)
    html = client.get(page(session)).content.decode()
    assert 'value="Coverage"' in html and 'value="Finds the passages"' in html
    assert 'name="criteria-2-name"' in html  # one blank row to add a criterion without JavaScript
    response = client.post(
        f"{page(session)}rubric/",
        rubric_post(
            [
                {"name": "Coverage", "description": "Finds the passages", "max_points": "6"},
                {"name": "Care", "max_points": "3", "DELETE": "on"},
                {"name": "Notes", "description": "Says why", "max_points": "2"},
            ],
            initial=2,
        ),
    )
    assert response.status_code == 302
    assert [(c.name, c.max_points) for c in Criterion.objects.filter(session=session)] == [
        ("Coverage", 6),
        ("Notes", 2),
    ]
    unchanged = client.post(
        f"{page(session)}rubric/",
        rubric_post(
            [
                {"name": "Coverage", "description": "Finds the passages", "max_points": "6"},
                {"name": "Notes", "description": "Says why", "max_points": "2"},
                {"name": "", "description": "", "max_points": ""},
            ],
            initial=2,
        ),
    )
    assert unchanged.status_code == 302  # untouched rows are kept, the blank one is ignored
    assert [c.name for c in Criterion.objects.filter(session=session)] == ["Coverage", "Notes"]


def test_rubric_errors_name_the_field(team, session, rubric, client_as, htmx_headers):
    client = client_as(team.instructor)
    missing = client.post(
        f"{page(session)}rubric/",
        rubric_post([{"name": "Coverage", "max_points": ""}, {"name": "Care", "max_points": "0"}], initial=2),
        headers=htmx_headers,
    )
    assert missing.status_code == 422
    html = missing.content.decode()
    assert re.search(
        r'<p class="field-error" id="id_criteria-0-max_points-error">This field is required.</p>', html
    )
    assert "Ensure this value is greater than or equal to 1." in html
    twice = client.post(
        f"{page(session)}rubric/",
        rubric_post([{"name": "Care", "max_points": "3"}, {"name": "Care", "max_points": "2"}]),
        headers=htmx_headers,
    )
    assert twice.status_code == 422 and "Criterion names must differ." in twice.content.decode()
    assert [c.max_points for c in Criterion.objects.filter(session=session)] == [5, 3]


def test_grading_a_participant_with_points_per_criterion_and_feedback(
    team, session, rubric, client_as, htmx_headers
):
    client = client_as(team.instructor)
    coverage, care = rubric
    prefix = f"grade-{team.annotator.pk}"
    html = client.get(page(session)).content.decode()
    assert 'Coverage <span class="muted">(max 5)</span>' in html
    response = client.post(
        f"{page(session)}{team.annotator.pk}/",
        {
            f"{prefix}-points-{coverage.pk}": "4",
            f"{prefix}-points-{care.pk}": "2.5",
            f"{prefix}-feedback": "Good.",
        },
        headers=htmx_headers,
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<article id="grade-{team.annotator.pk}"')
    assert '6.5 <span class="muted">/ 8</span>' in fragment and "graded, not released" in fragment
    assert 'aria-labelledby="release-title" hx-swap-oob="true">' in fragment
    assert "Release grades (1)" in fragment
    grade = Grade.objects.get(session=session, annotator=team.annotator)
    assert grade.feedback == "Good." and grade.graded_by == team.instructor
    assert sorted(str(s.points) for s in Score.objects.filter(grade=grade)) == ["2.50", "4.00"]


def test_points_over_the_maximum_are_refused_next_to_the_criterion(
    team, session, rubric, client_as, htmx_headers
):
    client = client_as(team.instructor)
    coverage, care = rubric
    prefix = f"grade-{team.annotator.pk}"
    response = client.post(
        f"{page(session)}{team.annotator.pk}/",
        {
            f"{prefix}-points-{coverage.pk}": "7",
            f"{prefix}-points-{care.pk}": "-1",
            f"{prefix}-feedback": "x",
        },
        headers=htmx_headers,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_{prefix}-points-{coverage.pk}-error">At most 5 points on Coverage.</p>' in html
    assert f'id="id_{prefix}-points-{care.pk}-error">Points cannot be negative.</p>' in html
    assert 'value="7"' in html  # what was typed stays, to correct it
    assert not Grade.objects.exists()
    plain = client.post(f"{page(session)}{team.annotator.pk}/", {f"{prefix}-points-{coverage.pk}": "abc"})
    assert plain.status_code == 422 and "Enter a number." in plain.content.decode()


def test_only_participants_are_graded(team, session, rubric, client_as):
    response = client_as(team.instructor).post(f"{page(session)}{team.observer.pk}/", {})
    assert response.status_code == 404


def test_releasing_grades_shows_them_to_their_students_only(team, session, rubric, client_as, htmx_headers):
    grade_set(
        session=session,
        annotator=team.annotator,
        graded_by=team.instructor,
        scores={rubric[0].pk: 3},
        feedback="Fine work.",
    )
    feedback = f"/p/class/sessions/{session.pk}/feedback/"
    student = client_as(team.annotator)
    assert "Fine work." not in student.get(feedback).content.decode()
    lead = client_as(team.instructor)
    assert "Release grades (1)" in lead.get(page(session)).content.decode()
    response = lead.post(f"{page(session)}release/", headers=htmx_headers)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "✓ Released" in fragment and "Released 1 grade: the students see them now." in fragment
    assert f'<span id="grade-state-{team.annotator.pk}" class="grade-state" hx-swap-oob="true">' in fragment
    assert Grade.objects.get(annotator=team.annotator).released_at is not None
    assert "Fine work." in student.get(feedback).content.decode()
    assert "Fine work." not in client_as(team.annotator2).get(feedback).content.decode()
    again = lead.post(f"{page(session)}release/")
    assert again.status_code == 302


def test_the_gradebook_link_downloads_the_csv(team, session, rubric, client_as):
    grade_set(
        session=session,
        annotator=team.annotator,
        graded_by=team.instructor,
        scores={rubric[0].pk: 4},
        feedback=SCRIPT,
    )
    client = client_as(team.instructor)
    html = client.get(page(session)).content.decode()
    link = re.search(r'<a class="button" href="([^"]+)" download>Download CSV</a>', html).group(1)
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (row["username"], row["Coverage"], row["feedback"]) == ("annotator", "4.00", SCRIPT)
    assert SCRIPT not in html


def test_user_text_on_the_grades_page_is_escaped(team, session, client_as):
    rubric_set(session=session, criteria=[{"name": f"Crit {SCRIPT}", "description": SCRIPT, "max_points": 2}])
    team.annotator.first_name, team.annotator.last_name = "<b>Eve</b>", "X"
    team.annotator.save()
    grade_set(
        session=session, annotator=team.annotator, graded_by=team.instructor, scores={}, feedback=SCRIPT
    )
    html = client_as(team.instructor).get(page(session)).content.decode()
    assert SCRIPT not in html and "<b>Eve</b>" not in html
    assert "Crit &lt;script&gt;" in html


def test_the_page_costs_the_same_for_few_or_many_participants(
    team, session, rubric, client_as, django_assert_max_num_queries
):
    client = client_as(team.instructor)
    with django_assert_max_num_queries(GRADES_QUERIES):
        assert client.get(page(session)).status_code == 200
    students = [
        MembershipFactory(project=team.project, user=UserFactory(username=f"s{n}")).user for n in range(30)
    ]
    session.participants.add(*students)
    rubric_set(session=session, criteria=[{"name": f"C{n}", "max_points": 4} for n in range(6)])
    criteria = list(Criterion.objects.filter(session=session))
    for student in students[:20]:
        grade_set(
            session=session, annotator=student, graded_by=team.instructor, scores={c.pk: 2 for c in criteria}
        )
    with django_assert_max_num_queries(GRADES_QUERIES):
        html = client.get(page(session)).content.decode()
    assert html.count('class="card grade-sheet"') == 32
