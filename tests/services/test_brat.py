"""brat standoff both ways: our export reads back into an empty project as the same bytes, and
collections brat itself ships (tests/data/brat/) come in with every text-bound annotation on its text."""

import io
import zipfile
from pathlib import Path

import pytest

from sources.formats.records import FormatError
from sources.models import Annotation, Theme

from ..factories import ProjectFactory
from .test_imports import export, run_import, snapshot

pytestmark = pytest.mark.django_db
BRAT = Path(__file__).resolve().parent.parent / "data" / "brat"


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def members(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_brat_export_import_export_is_byte_identical(corpus, empty):
    first = export(corpus.project, "brat")
    report = run_import(empty, first, "brat", create_themes=True)
    assert (report.annotations_created, report.sources_created) == (10, 2)
    assert report.skipped == {}
    assert export(empty, "brat") == first
    statuses = sorted(
        Annotation.objects.filter(passage__source__project=empty).values_list("status", flat=True)
    )
    assert statuses.count("approved") == 5 and "rejected" in statuses


def test_brat_lines_name_the_annotated_text(corpus):
    files = members(export(corpus.project, "brat"))
    ann = next(
        body for name, body in files.items() if name.startswith("китай-и-шос") and name.endswith(".ann")
    )
    text = files[next(n for n in files if n.startswith("китай-и-шос") and n.endswith(".txt"))]
    spans = [line.split("\t") for line in ann.splitlines() if line.startswith("T")]
    for _, head, quoted in spans:
        _, start, end = head.split(" ")
        assert text[int(start) : int(end)] == quoted
    assert any(head.startswith("energy ") and quoted == "🛢" for _, head, quoted in spans)
    assert "#1\tAnnotatorNotes T" in ann and "Один из «трёх зол»" in ann
    assert "\tWholePassage T" in ann
    conf = files["annotation.conf"]
    assert (
        "three-evils\n\tterrorism\n" in conf
        and "Status\tArg:<ENTITY>, Value:draft|submitted|approved|rejected" in conf
    )


def test_a_brat_line_whose_text_does_not_match_is_refused_naming_it(corpus, empty):
    files = members(export(corpus.project, "brat"))
    name = next(n for n in files if n.endswith(".ann") and files[n])
    lines = files[name].splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("T"))
    lines[index] = lines[index].rsplit("\t", 1)[0] + "\tsomething else"
    files[name] = "\n".join(lines) + "\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, body in files.items():
            archive.writestr(member, body)
    before = snapshot()
    with pytest.raises(
        FormatError, match=rf"{name} line {index + 1}, field 'T\d+': 'something else' is not the text"
    ):
        run_import(empty, buffer.getvalue(), "brat", create_themes=True)
    assert snapshot() == before


def zipped_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{folder.name}/{path.name}")
    return buffer.getvalue()


def imported(project) -> list[tuple[str, str, str]]:
    rows = Annotation.objects.filter(passage__source__project=project).select_related(
        "passage__source", "theme"
    )
    found = []
    for tag in rows:
        start = tag.passage.start + (tag.start or 0)
        assert tag.passage.source.text[start : start + len(tag.quote)] == tag.quote
        found.append((tag.passage.source.title, tag.theme.name, tag.quote))
    return sorted(found)


def test_brats_tutorial_collection_comes_in_with_notes_and_reports_the_rest(team):
    project = ProjectFactory(slug="brat-news")
    report = run_import(project, zipped_folder(BRAT / "news"), "brat", create_themes=True, as_user=team.owner)
    assert report.sources_created == 2
    assert report.annotations_created == 7 + 21  # every T line of the two documents
    assert {kind: entry.count for kind, entry in report.skipped.items()} == {
        "brat event": 5,
        "brat relation": 2,
        "brat attribute": 5,
        "brat normalisation": 1,
    }
    tags = imported(project)
    assert ("000-introduction", "Money", "$100 million") in tags
    assert ("000-introduction", "Geo-political entity", "Switzerland") in tags  # visual.conf's name
    note = Annotation.objects.get(passage__source__project=project, quote="$100 million").note
    assert note == "100000000 USD"


def test_a_bionlp_corpus_brings_its_entity_types_and_reports_events_and_modifiers(team):
    project = ProjectFactory(slug="bionlp")
    report = run_import(
        project, zipped_folder(BRAT / "bionlp-id"), "brat", create_themes=True, as_user=team.owner
    )
    assert report.annotations_created == 33
    assert report.skipped["brat event"].count == 21 and report.skipped["brat attribute"].count == 2
    names = set(Theme.objects.filter(project=project).values_list("name", flat=True))
    assert {"Protein", "Entity", "Chemical", "Organism", "Two-component-system", "Regulon-operon"} <= names
    assert ("PMC2565068-02-Results-07", "Organism", "non-invasive isolate 1566") in imported(project)
