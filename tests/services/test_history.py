"""History and undo: every change is recorded with who and when, and deletions can be undone."""

import pytest

from sources.models import Annotation, Claim, Evidence
from sources.selectors.history import history_entries, history_record, history_records
from sources.services.annotations import annotation_create, annotation_delete, annotation_update
from sources.services.claims import claim_create, claim_delete, evidence_create
from sources.services.errors import ConflictError
from sources.services.history import history_restore

from ..factories import PassageFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged():
    passage = PassageFactory()
    theme = ThemeFactory(project=passage.source.project)
    author = UserFactory(username="amina")
    annotation = annotation_create(passage=passage, theme=theme, author=author, start=0, end=5, note="first")
    return annotation


def entries(model: str, object_id: int):
    return history_entries(model, history_records(model, object_id))


def test_every_change_is_an_entry_newest_first_with_who_when_before_and_after(tagged):
    annotation_update(annotation=tagged, note="second")
    annotation_delete(annotation=Annotation.objects.get(pk=tagged.pk))
    found = entries("annotation", tagged.pk)
    assert [e.action for e in found] == ["deleted", "changed", "created"]
    assert all(e.username == "amina" and e.at is not None for e in found)
    deleted, changed, created = found
    assert created.before is None and created.after["note"] == "first"
    assert changed.before["note"] == "first" and changed.after["note"] == "second"
    assert deleted.before["note"] == "second" and deleted.after is None
    assert deleted.id == f"annotation-{history_records('annotation', tagged.pk)[0].history_id}"


def test_a_deleted_annotation_is_restored_under_its_old_id_with_its_history(tagged):
    created_at = tagged.created
    annotation_delete(annotation=tagged)
    deleted_entry = entries("annotation", tagged.pk)[0]
    model_name, record = history_record(deleted_entry.id)
    restored = history_restore(model_name=model_name, record=record, user=UserFactory(username="teacher"))
    again = Annotation.objects.get(pk=tagged.pk)
    assert (again.quote, again.note, again.start, again.end) == ("China", "first", 0, 5)
    assert again.created == created_at
    assert restored.pk == tagged.pk
    found = entries("annotation", tagged.pk)
    assert [e.action for e in found] == ["restored", "deleted", "created"]
    assert found[0].username == "teacher"


def test_restoring_an_older_state_reverts_the_change(tagged):
    annotation_update(annotation=tagged, note="a mistake")
    created_entry = entries("annotation", tagged.pk)[-1]
    history_restore(model_name="annotation", record=history_record(created_entry.id)[1], user=None)
    assert Annotation.objects.get(pk=tagged.pk).note == "first"


def test_a_deleted_claim_comes_back_with_the_evidence_deleted_with_it(tagged):
    author = tagged.author
    claim = claim_create(
        project=tagged.passage.source.project, author=author, text="The SCO is about security."
    )
    evidence = evidence_create(claim=claim, passage=tagged.passage, relation="supports", author=author)
    claim_delete(claim=claim)
    assert not Evidence.objects.exists()
    record = history_record(entries("claim", claim.pk)[0].id)[1]
    history_restore(model_name="claim", record=record, user=author)
    assert Claim.objects.get(pk=claim.pk).text == "The SCO is about security."
    assert Evidence.objects.get(pk=evidence.pk).claim_id == claim.pk
    assert [e.action for e in entries("evidence", evidence.pk)] == ["restored", "deleted", "created"]


def test_restoring_is_refused_when_an_identical_annotation_exists_again(tagged):
    annotation_delete(annotation=tagged)
    annotation_create(passage=tagged.passage, theme=tagged.theme, author=tagged.author, start=0, end=5)
    record = history_record(entries("annotation", tagged.pk)[0].id)[1]
    with pytest.raises(ConflictError, match="identical tag exists now"):
        history_restore(model_name="annotation", record=record, user=None)
    assert not Annotation.objects.filter(pk=tagged.pk).exists()
