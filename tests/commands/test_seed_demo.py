"""`seed_demo`: the demo project from the shipped articles, idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from sources.models import (
    Annotation,
    Claim,
    Criterion,
    Evidence,
    Membership,
    Passage,
    Project,
    Session,
    Source,
    Submission,
    Theme,
)
from sources.selectors.agreement import session_agreement

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Project,
            Membership,
            Source,
            Passage,
            Theme,
            Annotation,
            Claim,
            Evidence,
            Session,
            Submission,
            Criterion,
        )
    )


def test_the_demo_builds_project_sco_from_both_articles():
    seed()
    project = Project.objects.get(slug="sco")
    sources = {s.title: s for s in project.sources.all()}
    assert len(sources) == 2
    expansion = sources["Chinese View on the Expansion of the Shanghai Cooperation Organization"]
    assert expansion.authors == ["Serikkaliyeva A.E.", "Amirbek A.A."]
    languages = set(expansion.passages.values_list("language", flat=True))
    assert {"en", "kk", "ru"} <= languages
    for source in sources.values():
        for passage in source.passages.all():
            assert source.text[passage.start : passage.end] == passage.text


def test_the_demo_has_the_codebook_with_descriptions_colors_and_shortcuts():
    seed()
    themes = {t.slug: t for t in Theme.objects.filter(project__slug="sco").select_related("parent")}
    assert set(themes) == {
        "three-evils",
        "terrorism",
        "separatism",
        "extremism",
        "energy",
        "multipolarity",
        "expansion",
    }
    assert {themes[s].parent.slug for s in ("terrorism", "separatism", "extremism")} == {"three-evils"}
    assert all(t.description and t.color.startswith("#") and len(t.shortcut) == 1 for t in themes.values())
    assert len({t.shortcut for t in themes.values()}) == len(themes)


def test_the_demo_users_log_in_with_their_roles():
    seed()
    roles = dict(Membership.objects.filter(project__slug="sco").values_list("user__username", "role"))
    assert roles == {
        "instructor": "owner",
        "annotator1": "annotator",
        "annotator2": "annotator",
        "observer": "observer",
    }
    for username in roles:
        assert authenticate(username=username, password="sco-demo") is not None


def test_the_demo_has_agreeing_and_disagreeing_annotations_and_claims_with_evidence():
    seed()
    tags = {
        (a.passage_id, a.theme.slug, a.start, a.end): set()
        for a in Annotation.objects.select_related("theme")
    }
    for a in Annotation.objects.select_related("theme", "author"):
        tags[(a.passage_id, a.theme.slug, a.start, a.end)].add(a.author.username)
    assert any(authors == {"annotator1", "annotator2"} for authors in tags.values())
    assert any(len(authors) == 1 for authors in tags.values())
    for annotation in Annotation.objects.filter(start__isnull=False).select_related("passage"):
        assert annotation.passage.text[annotation.start : annotation.end] == annotation.quote
    assert Claim.objects.count() == 2
    assert set(Evidence.objects.values_list("relation", flat=True)) == {
        "supports",
        "contradicts",
        "qualifies",
    }


def test_seeding_twice_changes_nothing_and_if_empty_skips_a_used_database():
    seed()
    before = counts()
    assert "Checked project 'sco'" in seed()
    assert counts() == before
    assert "not loaded" in seed("--if-empty")
    assert counts() == before


def test_the_demo_has_a_closed_session_both_annotators_submitted_with_an_answer_key():
    seed()
    session = Session.objects.get(project__slug="sco")
    assert session.closes_at < timezone.now()
    assert session.answer_key_author.username == "instructor"
    assert set(session.submissions.values_list("user__username", flat=True)) == {"annotator1", "annotator2"}
    assert session.criteria.count() == 2
    work = Annotation.objects.filter(session=session)
    assert set(work.filter(author__username__startswith="annotator").values_list("status", flat=True)) == {
        "submitted"
    }
    assert work.filter(author__username="instructor").count() == 5
    report = session_agreement(project=session.project, session=session)
    assert report["overall"]


def test_the_demo_session_pages_have_data_for_the_instructor(client):
    seed()
    session = Session.objects.get(project__slug="sco")
    client.login(username="instructor", password="sco-demo")
    base = f"/p/sco/sessions/{session.pk}/"
    for path in (base, f"{base}grades/", f"{base}feedback/", "/p/sco/review/", "/p/sco/compare/"):
        assert client.get(path).status_code == 200, path
    assert "annotator1" in client.get(f"{base}grades/").content.decode()
    assert "Week 1: the three evils" in client.get(f"/p/sco/agreement/?session={session.pk}").content.decode()
