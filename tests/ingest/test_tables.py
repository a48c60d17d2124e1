# A list marker quoted is Cyrillic.
# ruff: noqa: RUF001
"""Tables set in the body's type are told by their layout: rows of cells side by side on a baseline."""

from sources.ingest.pdf import PdfLine
from sources.ingest.pdf_tables import table_lines

PITCH = 12.0
RIGHT = 490.0


def line(text: str, x0: float, top: float, x1: float | None = None) -> PdfLine:
    return PdfLine(0, text, x0, x1 if x1 is not None else x0 + 5 * len(text), top, top + 10, 10.0, False)


def tables(lines: list[PdfLine]) -> set[str]:
    return {found.text for found in table_lines(lines, dict.fromkeys(lines, 0), {0: RIGHT}, PITCH)}


def test_rows_of_cells_with_a_header_and_a_row_of_one_cell_are_a_table() -> None:
    lines = [
        line("We provide all equations and parameters of the model in tables as suggested.", 50, 100, RIGHT),
        line("Model Summary", 50, 124),
        line("Populations", 50, 136),
        line("No population – single neuron model", 200, 136),
        line("Connectivity –", 50, 148),
        line("Topology", 50, 160),
        line("–", 200, 160),
        line("All simulations ran on a Dell OptiPlex 7040, equipped with a processor.", 50, 190, RIGHT),
    ]
    assert tables(lines) == {
        "Model Summary",
        "Populations",
        "No population – single neuron model",
        "Connectivity –",
        "Topology",
        "–",
    }


def test_list_items_and_a_single_row_are_no_table() -> None:
    markers = [
        line("а)", 50, 100),
        line("текстовые документы, содержащие сплошной текст;", 90, 100),
        line("б)", 50, 112),
        line("документы, содержащие текст, разбитый на графы.", 90, 112),
    ]
    assert tables(markers) == set()
    single = [line("Received", 50, 100), line("17 February 2020", 200, 100), line("Prose follows.", 50, 112)]
    assert tables(single) == set()
