"""A small project for the reader's browser tests: two annotators, an instructor and a codebook
with shortcut keys, lighter than the demo corpus. Sources are made per test with `source_of`."""

from dataclasses import dataclass

import pytest

from sources.models import PassageKind, Project, Role, Source, Theme

from ..factories import PASSWORD, MembershipFactory, ProjectFactory, SourceFactory, ThemeFactory, UserFactory

CODEBOOK = [
    ("terrorism", "Terrorism", "t", "#c53030"),
    ("separatism", "Separatism", "s", "#b7791f"),
    ("extremism", "Extremism", "x", "#6b46c1"),
    ("energy", "Energy", "e", "#2f855a"),
    ("multipolarity", "Multipolarity", "m", "#2b6cb0"),
]

# Puts a selection over `phrase` (its first occurrence, or the one after `after` characters) in a
# passage's text the way a drag would: a DOM Range over the text nodes, across highlight <mark>s.
SELECT = """([ordinal, phrase]) => {
  const text = document.querySelector(`#passage-${ordinal} [data-text]`);
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let length = 0;
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, length]);
    length += walker.currentNode.data.length;
  }
  const at = text.textContent.indexOf(phrase);
  if (at < 0) throw new Error(`${phrase} is not in passage ${ordinal}`);
  const locate = (i) => {
    for (const [node, from] of nodes) if (i <= from + node.data.length) return [node, i - from];
  };
  const range = document.createRange();
  range.setStart(...locate(at));
  range.setEnd(...locate(at + phrase.length));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


# The live tests' marks: a real browser, a database the live server shares, short event streams.
LIVE_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("short_streams"),
]
# Forty passages, long enough to scroll: one in view while a colleague works on another.
PIPELINES = [
    f"Paragraph {n}: energy and security meet in Central Asia, pipeline by pipeline." for n in range(40)
]


@dataclass
class Team:
    project: Project
    themes: dict[str, Theme]


@pytest.fixture
def reader_team(transactional_db) -> Team:
    project = ProjectFactory(slug="sco", name="SCO reading group")
    for username, role in [
        ("annotator1", Role.ANNOTATOR),
        ("annotator2", Role.ANNOTATOR),
        ("instructor", Role.INSTRUCTOR),
    ]:
        MembershipFactory(project=project, user=UserFactory(username=username), role=role)
    themes = {
        slug: ThemeFactory(project=project, slug=slug, name=name, shortcut=key, color=color, order=n)
        for n, (slug, name, key, color) in enumerate(CODEBOOK)
    }
    return Team(project, themes)


def source_of(team: Team, paragraphs: list[str], title: str = "Reader source") -> Source:
    """A source of `paragraphs`; those starting "Section " are its headings."""
    source = SourceFactory(project=team.project, title=title, paragraphs=paragraphs)
    source.passages.filter(text__startswith="Section ").update(kind=PassageKind.HEADING)
    return source


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def open_reader(page, source: Source, username: str = "annotator1", suffix: str = "") -> None:
    sign_in(page, username)
    page.goto(f"/p/{source.project.slug}/sources/{source.pk}/{suffix}")
    page.wait_for_selector("html.js")


def select(page, ordinal: int, phrase: str) -> None:
    page.evaluate(SELECT, [ordinal, phrase])
