"""The codebook's rules: contrast, reader keys, rules and anchors, merging, deleting, import/export."""

import json

import pytest
from django.core.exceptions import ValidationError

from sources.models import Annotation, Theme
from sources.services.codebook import (
    RESERVED_READER_KEYS,
    contrast_ratio,
    theme_create,
    theme_delete,
    theme_move,
    theme_update,
)
from sources.services.codebook_transfer import codebook_export, codebook_import
from sources.services.errors import ConflictError
from sources.services.theme_anchors import anchor_add
from sources.services.theme_merge import theme_merge

from ..factories import AnnotationFactory, SourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_contrast_ratio_matches_the_wcag_formula() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_a_pale_colour_is_refused_with_its_ratio(team) -> None:
    with pytest.raises(ValidationError) as error:
        theme_create(project=team.project, name="Pale", color="#ffee88")
    message = error.value.message_dict["color"][0]
    assert ":1 against the page background" in message
    assert "at least 3:1" in message


@pytest.mark.parametrize("key", sorted(RESERVED_READER_KEYS))
def test_reader_keys_cannot_be_shortcuts(team, key: str) -> None:
    with pytest.raises(ValidationError) as error:
        theme_create(project=team.project, name="Keyed", shortcut=key)
    assert "reader's own keys" in error.value.message_dict["shortcut"][0]


def test_a_shortcut_is_unique_in_the_project(team) -> None:
    theme_create(project=team.project, name="Energy", shortcut="e")
    with pytest.raises(ValidationError) as error:
        theme_create(project=team.project, name="Economy", shortcut="e")
    assert error.value.message_dict["shortcut"] == ["'e' is already the shortcut of 'Energy'."]


def test_a_new_theme_gets_a_slug_from_its_name_and_goes_last(team) -> None:
    first = theme_create(project=team.project, name="Three evils")
    second = theme_create(project=team.project, name="Three evils!")
    assert (first.slug, second.slug) == ("three-evils", "three-evils-2")
    assert second.order == first.order + 1


def test_moving_a_theme_reorders_its_siblings(team) -> None:
    a, b, c = (theme_create(project=team.project, name=n) for n in "ABC")
    theme_move(theme=c, step=-1)
    names = list(Theme.objects.filter(project=team.project).order_by("order").values_list("name", flat=True))
    assert names == ["A", "C", "B"]
    assert a.pk and b.pk


def test_rules_are_kept_and_a_cycle_of_parents_refused(team) -> None:
    parent = theme_create(project=team.project, name="Security", include="Military cooperation.")
    child = theme_create(project=team.project, name="Drills", parent=parent, exclude="Trade.")
    assert (parent.include, child.exclude) == ("Military cooperation.", "Trade.")
    with pytest.raises(ValidationError):
        theme_update(theme=parent, parent=child)


def test_an_anchor_is_a_passage_or_the_words_given(team) -> None:
    source = SourceFactory(project=team.project, paragraphs=["The SCO fights the three evils together."])
    passage = source.passages.get()
    theme = ThemeFactory(project=team.project)
    whole = anchor_add(theme=theme, passage=passage)
    span = anchor_add(theme=theme, passage=passage, quote="three evils")
    assert whole.start is None
    assert (span.start, span.end, span.quote) == (19, 30, "three evils")
    with pytest.raises(ValidationError, match="not in passage"):
        anchor_add(theme=theme, passage=passage, quote="pipelines")
    other = SourceFactory(paragraphs=["Elsewhere."]).passages.get()
    with pytest.raises(ValidationError, match="another project"):
        anchor_add(theme=theme, passage=other)


def test_merging_moves_tags_and_counts_the_duplicates(team) -> None:
    source = SourceFactory(project=team.project, paragraphs=["One.", "Two."])
    first, second = source.passages.order_by("ordinal")
    old = ThemeFactory(project=team.project, slug="old")
    new = ThemeFactory(project=team.project, slug="new")
    AnnotationFactory(passage=first, theme=old, author=team.annotator)
    AnnotationFactory(passage=second, theme=old, author=team.annotator)
    AnnotationFactory(passage=second, theme=new, author=team.annotator)
    report = theme_merge(theme=old, into=new, user=team.instructor)
    assert (report.moved, report.duplicates) == (1, 1)
    assert Annotation.objects.filter(theme=new).count() == 2
    assert not Theme.objects.filter(pk=old.pk).exists()
    moved = Annotation.objects.get(theme=new, passage=first)
    assert moved.history.first().history_change_reason == "merged 'old' into 'new'"


def test_deleting_a_used_theme_asks_then_takes_its_tags(team) -> None:
    source = SourceFactory(project=team.project, paragraphs=["One."])
    theme = ThemeFactory(project=team.project)
    AnnotationFactory(passage=source.passages.get(), theme=theme, author=team.annotator)
    with pytest.raises(ConflictError, match="used by 1 tag"):
        theme_delete(theme=theme)
    assert theme_delete(theme=theme, with_tags=True) == 1
    assert not Annotation.objects.exists()


def test_codebook_json_round_trips_rules_and_anchors(team) -> None:
    source = SourceFactory(project=team.project, paragraphs=["Energy flows east."])
    parent = theme_create(project=team.project, name="Economy", include="Trade and energy.", shortcut="e")
    child = theme_create(project=team.project, name="Energy", parent=parent, exclude="Military.")
    anchor_add(theme=child, passage=source.passages.get(), quote="Energy")
    _, _, chunks = codebook_export(project=team.project, format="json")
    data = b"".join(chunks)
    body = json.loads(data)
    assert body["themes"][1]["anchors"][0]["quote"] == "Energy"
    SourceFactory(project=team.other_project, paragraphs=["Energy flows east."], sha256=source.sha256)
    report = codebook_import(project=team.other_project, data=data, format="json")
    assert report.created == ["economy", "energy"]
    imported = Theme.objects.get(project=team.other_project, slug="energy")
    assert imported.parent.slug == "economy"
    assert imported.exclude == "Military."
    assert imported.anchors.get().quote == "Energy"
    again = codebook_import(project=team.other_project, data=data, format="json")
    assert again.existing == ["economy", "energy"]


def test_codebook_qdc_export_imports_into_another_project(team) -> None:
    parent = theme_create(project=team.project, name="Security")
    theme_create(project=team.project, name="Drills", parent=parent)
    _, _, chunks = codebook_export(project=team.project, format="qdc")
    report = codebook_import(project=team.other_project, data=b"".join(chunks), format="qdc")
    assert sorted(report.created) == ["drills", "security"]
    assert Theme.objects.get(project=team.other_project, slug="drills").parent.slug == "security"
