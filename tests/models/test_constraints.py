"""The invariants the database itself enforces, whatever code writes to it (run on SQLite and PostgreSQL)."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from sources.models import Annotation, Membership, Passage, Review, Session, Theme

from ..factories import (
    AnnotationFactory,
    EvidenceFactory,
    MembershipFactory,
    PassageFactory,
    ProjectFactory,
    SessionFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_user_is_member_of_a_project_once():
    membership = MembershipFactory()
    refused(
        lambda: Membership.objects.create(project=membership.project, user=membership.user, role="observer")
    )


def test_membership_role_must_be_known():
    refused(lambda: MembershipFactory(role="dean"))


def test_the_same_text_cannot_be_imported_twice_into_a_project():
    source = SourceFactory()
    refused(lambda: SourceFactory(project=source.project, sha256=source.sha256))


def test_the_same_text_may_live_in_two_projects():
    source = SourceFactory()
    assert SourceFactory(sha256=source.sha256).pk


def test_passage_offsets_must_be_ordered():
    passage = PassageFactory()
    refused(lambda: Passage.objects.filter(pk=passage.pk).update(start=10, end=5))


def test_passage_ordinals_are_unique_within_a_source():
    passage = PassageFactory()
    refused(lambda: PassageFactory(source=passage.source, ordinal=passage.ordinal))


def test_theme_slug_is_unique_per_project():
    theme = ThemeFactory(slug="energy")
    refused(lambda: ThemeFactory(project=theme.project, slug="energy"))
    assert ThemeFactory(slug="energy").pk  # another project may use it


def test_theme_shortcut_is_unique_per_project_but_blank_is_free():
    theme = ThemeFactory(shortcut="e")
    ThemeFactory(project=theme.project, shortcut="")
    ThemeFactory(project=theme.project, shortcut="")
    refused(lambda: ThemeFactory(project=theme.project, shortcut="e"))


def test_a_whole_passage_tag_cannot_be_doubled():
    annotation = AnnotationFactory()
    refused(
        lambda: Annotation.objects.create(
            passage=annotation.passage, theme=annotation.theme, author=annotation.author
        )
    )


def test_the_same_span_cannot_be_doubled_but_another_span_can():
    annotation = AnnotationFactory(start=0, end=5)
    refused(
        lambda: Annotation.objects.create(
            passage=annotation.passage, theme=annotation.theme, author=annotation.author, start=0, end=5
        )
    )
    assert Annotation.objects.create(
        passage=annotation.passage, theme=annotation.theme, author=annotation.author, start=0, end=6
    ).pk


def test_the_same_tag_in_a_session_is_another_annotation():
    annotation = AnnotationFactory()
    session = SessionFactory(project=annotation.theme.project)
    assert Annotation.objects.create(
        passage=annotation.passage, theme=annotation.theme, author=annotation.author, session=session
    ).pk
    refused(
        lambda: Annotation.objects.create(
            passage=annotation.passage, theme=annotation.theme, author=annotation.author, session=session
        )
    )


@pytest.mark.parametrize(("start", "end"), [(5, 2), (None, 3), (3, None)])
def test_a_span_needs_both_offsets_in_order(start, end):
    passage = PassageFactory()
    theme = ThemeFactory(project=passage.source.project)
    refused(
        lambda: Annotation.objects.create(
            passage=passage, theme=theme, author=UserFactory(), start=start, end=end
        )
    )


def test_annotation_status_must_be_known():
    refused(lambda: AnnotationFactory(status="maybe"))


def test_a_review_targets_exactly_one_thing():
    annotation = AnnotationFactory()
    evidence = EvidenceFactory()
    reviewer = UserFactory()
    refused(lambda: Review.objects.create(reviewer=reviewer, decision="approve"))
    refused(
        lambda: Review.objects.create(
            reviewer=reviewer, decision="approve", annotation=annotation, evidence=evidence
        )
    )
    refused(lambda: Review.objects.create(reviewer=reviewer, decision="maybe", annotation=annotation))


def test_a_session_closes_after_it_opens():
    now = timezone.now()
    refused(lambda: SessionFactory(opens_at=now, closes_at=now - timezone.timedelta(minutes=1)))


def test_deleting_a_passage_or_theme_never_drops_annotations():
    annotation = AnnotationFactory()
    with pytest.raises(ProtectedError):
        annotation.passage.delete()
    with pytest.raises(ProtectedError):
        Theme.objects.get(pk=annotation.theme_id).delete()
    with pytest.raises(ProtectedError):
        annotation.author.delete()
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_deleting_a_session_with_annotations_is_refused():
    annotation = AnnotationFactory()
    session = SessionFactory(project=annotation.theme.project)
    Annotation.objects.filter(pk=annotation.pk).update(session=session)
    with pytest.raises(ProtectedError):
        Session.objects.get(pk=session.pk).delete()


def test_a_theme_cannot_be_deleted_while_it_has_children():
    parent = ThemeFactory()
    ThemeFactory(project=parent.project, parent=parent)
    with pytest.raises(ProtectedError):
        parent.delete()


def test_a_theme_is_not_its_own_parent():
    theme = ThemeFactory()
    refused(lambda: Theme.objects.filter(pk=theme.pk).update(parent=theme))


def test_project_deletion_service_removes_everything_deliberately():
    from sources.services.project_deletion import project_delete

    annotation = AnnotationFactory()
    project = annotation.theme.project
    ThemeFactory(project=project, parent=annotation.theme)
    EvidenceFactory(claim__project=project, passage=annotation.passage)
    project_delete(project=ProjectFactory._meta.model.objects.get(pk=project.pk))
    assert not Annotation.objects.exists()
    assert not Theme.objects.exists()
