"""The caller's language is the document's; each passage is still detected on its own."""

from sources.ingest import parse_document

TEXT = (
    "The summit participants reaffirmed the importance of a political solution to the crisis.\n\n"
    "Участники саммита подтвердили важность политического урегулирования кризиса.\n\n"
    "Саммит қатысушылары дағдарысты саяси жолмен шешудің маңыздылығын растады.\n\n"
    "2016.\n"
)


def test_each_passage_is_detected_and_short_ones_follow_the_passage_before() -> None:
    document = parse_document(TEXT.encode(), "notes.txt")
    assert [p.language for p in document.passages] == ["en", "ru", "kk", "kk"]
    assert document.language == "en"


def test_a_given_language_is_the_documents_and_the_fallback_at_its_start() -> None:
    document = parse_document(("2016.\n\n" + TEXT).encode(), "notes.txt", language="KK")
    assert document.language == "kk"
    assert [p.language for p in document.passages] == ["kk", "en", "ru", "kk", "kk"]


def test_a_language_tag_with_a_region_gives_its_language() -> None:
    assert parse_document(b"Some text.", "notes.txt", language="en-GB").language == "en"


def test_a_document_without_words_is_of_undetermined_language() -> None:
    assert parse_document(b"2016. 2017.", "numbers.txt").language == "und"


def test_a_long_passage_is_judged_by_its_opening_sentences() -> None:
    english = "The summit participants reaffirmed the importance of a political solution to the crisis. " * 4
    russian = "Участники саммита подтвердили важность политического урегулирования кризиса. " * 20
    document = parse_document((english + russian).encode(), "notes.txt")
    assert [p.language for p in document.passages] == ["en"]
    assert parse_document((russian + english).encode(), "notes.txt").language == "ru"
