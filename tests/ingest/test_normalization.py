"""One normalized text whatever the file's encoding details: BOM, line ends, Unicode forms, spaces."""

from sources.ingest import parse_document


def test_bom_line_ends_and_unicode_forms_are_normalized() -> None:
    data = "\ufeffCafe\u0301 society\r\n\r\nThe second  paragraph   has\tspaces.   \rThird line.\r\n".encode()
    document = parse_document(data, "notes.txt")
    assert [p.text for p in document.passages] == [
        "Café society",
        "The second paragraph has spaces.",
        "Third line.",
    ]
    assert document.text == "Café society\n\nThe second paragraph has spaces.\n\nThird line."


def test_utf16_text_with_its_bom_is_read() -> None:
    document = parse_document("Қазақстан және Ресей.".encode("utf-16"), "notes.txt")
    assert document.text == "Қазақстан және Ресей."
