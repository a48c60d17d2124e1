# The corpus holds Russian documents and typographic punctuation, so the checkpoints quote both.
# ruff: noqa: RUF001, RUF003
"""Real PDFs from public repositories (tests/data/pdf-corpus/SOURCES.md), read as a careful reader
would: headings found, paragraphs whole across lines, pages and figures, no running head or page
furniture inside a passage, words hyphenated at a line's end joined again."""

import itertools
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from sources.ingest import ParsedDocument, parse_document
from sources.ingest.pdf import pdf_pages

CORPUS = Path(__file__).resolve().parents[1] / "data" / "pdf-corpus"


@dataclass(frozen=True)
class Checkpoints:
    headings: list[str]
    # (opening, ending, kind) of a passage that must be whole: one passage from its first line to its last.
    whole: list[tuple[str, str, str]]
    # Running heads or footers printed on the pages, which no passage may contain.
    furniture: list[str] = field(default_factory=list)
    # Words the PDF breaks with a hyphen at a line's end, to be joined again.
    joined: list[str] = field(default_factory=list)
    # Openings of footnotes, which are passages of their own and in no paragraph.
    footnotes: list[str] = field(default_factory=list)
    # (footnote's opening, opening of the paragraph whose superscript marker cites it).
    cited: list[tuple[str, str]] = field(default_factory=list)
    # Texts in the order a reader reads them (authors side by side before the text below them).
    order: list[str] = field(default_factory=list)
    # Words an OCR layer splits (`имя ли ц а`) or runs together (`втексте`), as the text must read.
    words: list[str] = field(default_factory=list)


CHECKPOINTS = {
    "gost-7.0.5-ocr.pdf": Checkpoints(
        headings=[
            "1 Область применения",
            "4 Общие положения",
            "5 Внутритекстовая библиографическая ссылка",
            "6 Подстрочная библиографическая ссылка",
        ],
        whole=[
            (
                "4.2 Библиографическая ссылка содержит библиографические сведения",
                "для его идентификации, поиска и общей характеристики.",
                "paragraph",
            ),
            # A clause ends where the next one's indented number starts (4.5, then 4.5.1).
            (
                "4.5 По составу элементов библиографическая ссылка",
                "наличия библиографической информации в тексте документа.",
                "paragraph",
            ),
            (
                "ГОСТ 7.1—2003 Система стандартов по информации,",
                "Общие требования и правила составления",
                "paragraph",
            ),
        ],
        furniture=["ГОСТР 7.0.5—2008"],
        joined=["источником", "рассматриваемом"],
        words=["упоминаемом в тексте документа", "В области физической характеристики"],
    ),
    "gost-2.105.pdf": Checkpoints(
        headings=["1 Область применения", "3 Общие положения", "4.1 Построение документа"],
        whole=[
            (
                "3.1 Текстовые документы подразделяют на документы,",
                "ведомости, таблицы и т. п.).",
                "paragraph",
            )
        ],
        furniture=["ГОСТ 2.105-95"],
        joined=["сертификации", "классификатору"],
    ),
    "gost-7.0.11.pdf": Checkpoints(
        headings=["3 Общие положения", "5.2 Оформление оглавления"],
        whole=[
            (
                "Автореферат диссертации — документ, напечатанный",
                "в виде рукописи и изданной монографии.",
                "paragraph",
            )
        ],
        furniture=["ГОСТ Р 7.0.11—2011"],
        joined=["государственная", "организациями"],
    ),
    "gost-7.80.pdf": Checkpoints(
        headings=["1 Область применения", "2 Нормативные ссылки"],
        whole=[
            # Each normative reference is a passage of its own, whole over its two lines.
            (
                "ГОСТ 7.1—84 Система стандартов по информации,",
                "Общие требования и правила составления",
                "paragraph",
            ),
            (
                "ГОСТ 7.76—96 Система стандартов по информации,",
                "Каталогизация. Термины и определения",
                "paragraph",
            ),
        ],
        furniture=["ГОСТ 7.80-2000"],
        joined=["библиографическую", "издательское"],
        words=["5 Заголовок, содержащий имя лица"],  # the OCR layer reads `имя ли ц а`
    ),
    "ieee-paper-conference.pdf": Checkpoints(
        headings=["I. Introduction", "II. Related Work", "A. Handling of paragraphs"],
        whole=[
            (
                "The remainder of the paper starts with a presentation",
                "future work is made (Section IV).",
                "paragraph",
            ),
            (
                "Nulla malesuada porttitor diam.",
                "Vestibulum pellentesque felis eu massa.TODO!",
                "paragraph",
            ),
        ],
        order=[
            "First Author, Second Author",
            "{lastname}@example.org",
            "Third Author",
            "http://www.example.org",
            "Abstract—Lorem ipsum",
            "I. Introduction",
        ],
    ),
    "rescience-broman-2020.pdf": Checkpoints(
        headings=["1 Introduction", "2 Challenges", "References"],
        whole=[
            (
                "The first challenge in reproducing the analyses in",
                "actually reading the original article.",
                "paragraph",
            )
        ],
        furniture=["ReScience C 6.1 (#12) – Broman 2020"],
        joined=["Biostatistics", "transposon"],
    ),
    "rescience-caze-2018.pdf": Checkpoints(
        headings=[
            "Introduction",
            "Neural network model",
            "Semi-analytical and analytical methods",
            "Discussion",
        ],
        whole=[
            (
                "The original study was based on simulation and analysis",
                "of a non-standard neuron model.",
                "paragraph",
            )
        ],
        furniture=["rescience.github.io"],
        joined=["Mathematica", "implementation", "synchronous"],
    ),
    "rescience-detorakis-2017.pdf": Checkpoints(
        headings=["Introduction", "Methods", "Results", "References"],
        whole=[
            (
                "All three figures from the original article have",
                "panels G and O ([−145, −25] mV).",
                "paragraph",
            ),
            # A table set in the body's type, from its header to its last row.
            ("Model Summary Populations No population", "Membrane potential, phase plane", "table"),
        ],
        furniture=["rescience.github.io"],
        footnotes=["1Python memory profiler used"],
        cited=[("1Python memory profiler used", "All simulations ran on a Dell OptiPlex 7040")],
    ),
    "rescience-diem-2017.pdf": Checkpoints(
        headings=["Introduction", "Methods", "Results", "Conclusion"],
        whole=[
            (
                "The paper indicates that the original code was",
                "larger than 1e-4 or smaller than 1e-11.",
                "paragraph",
            )
        ],
        furniture=["rescience.github.io"],
        joined=["equilibration", "neurovascular"],
    ),
    "rescience-etherington-2018.pdf": Checkpoints(
        headings=["Prediction error", "Hold-out cross-validation", "K-fold cross-validation"],
        whole=[
            (
                "During the replication process it became apparent",
                "descriptions within the references.",
                "paragraph",
            )
        ],
        furniture=["rescience.github.io"],
        joined=["independent", "partitions"],
    ),
    "rescience-poisot-2017.pdf": Checkpoints(
        headings=["Introduction", "Methods", "Results", "Conclusion", "References"],
        whole=[
            (
                "The entire sequence within a timestep is: generate",
                "as required to reach equilibrium.",
                "paragraph",
            ),
            ("[4] David Sloan Wilson and Jin Yoshimura.", "(Visited on 10/10/2017).", "reference"),
        ],
        furniture=["rescience.github.io"],
        joined=["preferences", "specialists"],
    ),
    "thesis-flick-2014.pdf": Checkpoints(
        headings=["1 Introduction", "1.2.3 Protein-protein interaction networks", "Bibliography"],
        whole=[
            (
                "We represent protein-protein interactions as an undirected",
                "interaction between the two proteins p1 and p2.",
                "paragraph",
            ),
            ("[1] Réka Albert and Albert-László Barabási.", "RevModPhys.74.47.", "reference"),
        ],
        # The running head names the chapter beside the page number, so it repeats on few pages.
        furniture=["CHAPTER 1. INTRODUCTION", "1.3. COMPLEX NETWORKS"],
        joined=["phosphorylation", "transcription", "housekeeping"],
    ),
    "ru-dissertation.pdf": Checkpoints(
        headings=["Введение", "1.1 Форматирование текста", "Заключение", "Список литературы"],
        whole=[
            ("2. Соколов А. Н., Сердобинцев К. С. Гражданское", "ЮИ МВД России, 2009. — 218 с.", "reference")
        ],
        joined=["надстрочными", "уравнений"],
    ),
    "ru-synopsis.pdf": Checkpoints(
        headings=["Общая характеристика работы", "Содержание работы"],
        whole=[
            (
                "Во введении обосновывается актуальность исследований,",
                "значимость представляемой работы.",
                "paragraph",
            )
        ],
        joined=["диссертационного", "сформулированы"],
    ),
}


@cache
def parsed(name: str) -> ParsedDocument:
    return parse_document((CORPUS / name).read_bytes(), name)


@cache
def printed_lines(name: str) -> tuple[str, ...]:
    """The PDF's lines as printed, before any layout analysis."""
    return tuple(line.text for page in pdf_pages((CORPUS / name).read_bytes()) for line in page.lines)


def test_every_document_in_the_corpus_has_checkpoints() -> None:
    assert sorted(path.name for path in CORPUS.glob("*.pdf")) == sorted(CHECKPOINTS)


@pytest.mark.parametrize("name", sorted(CHECKPOINTS))
def test_passages_tile_the_text(name: str) -> None:
    document = parsed(name)
    for passage in document.passages:
        assert document.text[passage.start : passage.end] == passage.text
        assert passage.text == passage.text.strip()
        assert "\N{SOFT HYPHEN}" not in passage.text


@pytest.mark.parametrize("name", sorted(CHECKPOINTS))
def test_headings_are_found(name: str) -> None:
    headings = [p.text for p in parsed(name).passages if p.kind == "heading"]
    for heading in CHECKPOINTS[name].headings:
        assert heading in headings


@pytest.mark.parametrize("name", sorted(CHECKPOINTS))
def test_paragraphs_are_whole(name: str) -> None:
    for opening, ending, kind in CHECKPOINTS[name].whole:
        found = [p for p in parsed(name).passages if p.text.startswith(opening)]
        assert len(found) == 1, opening
        assert found[0].text.endswith(ending), found[0].text
        assert found[0].kind == kind


@pytest.mark.parametrize("name", sorted(name for name, points in CHECKPOINTS.items() if points.furniture))
def test_running_heads_are_in_no_passage_or_section(name: str) -> None:
    lines = printed_lines(name)
    for furniture in CHECKPOINTS[name].furniture:
        assert sum(furniture in line for line in lines) >= 2, f"{furniture!r} is no running head"
        assert [p.text for p in parsed(name).passages if furniture in p.text] == []
        assert [p.section for p in parsed(name).passages if furniture in p.section] == []


def broken_at_line_end(lines: tuple[str, ...], word: str) -> str | None:
    """The first part of `word` where the PDF breaks it with a hyphen at a line's end."""
    for line, following in itertools.pairwise(lines):
        head = re.search(r"(\w+)[-\N{SOFT HYPHEN}\N{HYPHEN}]$", line)
        tail = re.match(r"\w+", following)
        if head and tail and head[1] + tail[0] == word:
            return head[1]
    return None


@pytest.mark.parametrize("name", sorted(name for name, points in CHECKPOINTS.items() if points.joined))
def test_words_hyphenated_at_a_line_end_are_joined(name: str) -> None:
    text = parsed(name).text
    for word in CHECKPOINTS[name].joined:
        head = broken_at_line_end(printed_lines(name), word)
        assert head is not None, f"{word!r} is not broken at a line's end in the PDF"
        assert re.search(rf"\b{word}\b", text)
        assert f"{head}-{word[len(head) :]}" not in text


@pytest.mark.parametrize("name", sorted(name for name, points in CHECKPOINTS.items() if points.footnotes))
def test_footnotes_are_passages_of_their_own(name: str) -> None:
    passages = parsed(name).passages
    for opening in CHECKPOINTS[name].footnotes:
        assert [p.kind for p in passages if p.text.startswith(opening)] == ["footnote"]
        assert [p.text for p in passages if opening in p.text and p.kind != "footnote"] == []


@pytest.mark.parametrize("name", sorted(name for name, points in CHECKPOINTS.items() if points.cited))
def test_a_footnote_is_attached_to_the_paragraph_that_cites_it(name: str) -> None:
    passages = parsed(name).passages
    for note, citing in CHECKPOINTS[name].cited:
        [footnote] = [p for p in passages if p.text.startswith(note)]
        [paragraph] = [p for p in passages if p.text.startswith(citing)]
        assert (footnote.kind, footnote.attached_to) == ("footnote", paragraph.ordinal)


@pytest.mark.parametrize("name", sorted(name for name, points in CHECKPOINTS.items() if points.order))
def test_text_is_read_in_order(name: str) -> None:
    text = parsed(name).text
    places = [text.find(piece) for piece in CHECKPOINTS[name].order]
    assert -1 not in places
    assert places == sorted(places)


@pytest.mark.parametrize("name", sorted(name for name, points in CHECKPOINTS.items() if points.words))
def test_words_an_ocr_layer_splits_or_runs_together_read_as_printed(name: str) -> None:
    text = parsed(name).text
    for words in CHECKPOINTS[name].words:
        assert words in text


@pytest.mark.parametrize(
    ("name", "scanned"),
    [("gost-7.0.5-ocr.pdf", True), ("gost-7.80.pdf", True), ("rescience-caze-2018.pdf", False)],
)
def test_a_scans_ocr_layer_is_recognised_invisible_or_under_the_page_image(name: str, scanned: bool) -> None:
    assert {page.ocr for page in pdf_pages((CORPUS / name).read_bytes())} == {scanned}
