"""People are shown by name, with their initials as a badge beside it, so that two students whose
initials collide are told apart."""

import re

import pytest
from django.template import Context, Template

from ..factories import AnnotationFactory, UserFactory

pytestmark = pytest.mark.django_db


def render(text: str, **context) -> str:
    return Template("{% load people %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("first", "last", "username", "person", "initials"),
    [
        ("Aigerim", "Sadykova", "aigerim", "Aigerim Sadykova", "AS"),
        ("Aigerim Sadykova", "", "as1", "Aigerim Sadykova", "AS"),  # a name given at sign-up
        ("Jean-Luc", "de la Fontaine", "jl", "Jean-Luc de la Fontaine", "JF"),
        ("Plato", "", "plato", "Plato", "PL"),
        ("", "", "observer", "observer", "OB"),
    ],
)
def test_a_persons_name_and_initials(first, last, username, person, initials):
    user = UserFactory(username=username, first_name=first, last_name=last)
    assert render("{{ user|person }}|{{ user|initials }}", user=user) == f"{person}|{initials}"


def test_nobody_is_someone():
    assert render("{{ user|person }}|{{ user|initials }}", user=None) == "someone|?"


def test_a_name_is_escaped():
    user = UserFactory(username="x", first_name="<b>Bold</b>", last_name="")
    assert render("{{ user|person }}", user=user) == "&lt;b&gt;Bold&lt;/b&gt;"


def test_two_annotators_with_the_same_initials_are_told_apart_on_the_reader(
    team, source, passages, themes, client_as
):
    team.annotator.first_name, team.annotator.last_name = "Aigerim", "Akhmetova"
    team.annotator.save()
    team.annotator2.first_name, team.annotator2.last_name = "Asel", "Abenova"
    team.annotator2.save()
    AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    AnnotationFactory(passage=passages[1], theme=themes["terrorism"], author=team.annotator2)

    page = client_as(team.instructor).get(f"/p/class/sources/{source.pk}/").content.decode()
    people = re.findall(r'<span class="person">([^<]+) <abbr class="author initials"[^>]*>(\w+)</abbr>', page)
    assert ("Aigerim Akhmetova", "AA") in people and ("Asel Abenova", "AA") in people


def test_the_top_bar_names_who_is_signed_in(team, client_as):
    team.observer.first_name, team.observer.last_name = "Olzhas", "Observer"
    team.observer.save()
    assert "Olzhas Observer</a>" in client_as(team.observer).get("/").content.decode()
