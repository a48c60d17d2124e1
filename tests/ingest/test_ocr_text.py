# The OCR text quoted is Russian.
# ruff: noqa: RUF001
"""Words an OCR layer splits with stray spaces are put together when the document spells them whole
elsewhere; words of their own stay apart."""

from sources.ingest.ocr_text import mend_split_words, word_counts

DOCUMENT = [
    "5 Заголовок, содержащий имя лица",
    "Имя лица приводят в той форме, в какой оно указано в документе.",
    "МЕЖГОСУДАРСТВЕННЫЙ СТАНДАРТ",
    "Приводят ли сведения в качестве заголовка?",
]


def test_a_word_split_by_stray_spaces_is_whole_again() -> None:
    counts = word_counts(DOCUMENT)
    assert mend_split_words("5 Заголовок, содержащий имя ли ц а.", counts) == (
        "5 Заголовок, содержащий имя лица."
    )


def test_a_letter_spaced_title_is_one_word() -> None:
    counts = word_counts(DOCUMENT)
    assert mend_split_words("М Е Ж Г О С У Д А Р С Т В Е Н Н Ы Й СТАНДАРТ", counts) == (
        "МЕЖГОСУДАРСТВЕННЫЙ СТАНДАРТ"
    )


def test_words_of_their_own_and_words_the_document_never_spells_whole_stay_apart() -> None:
    counts = word_counts(DOCUMENT)
    for line in ("приводят в качестве заголовка", "Т аджикгосстандарт", "ГОСТ 7 .8 0 -2 0 0 0"):
        assert mend_split_words(line, counts) == line


def test_a_short_word_run_into_the_next_is_parted_from_it() -> None:
    counts = word_counts([*DOCUMENT, "в тексте документа", "тексте", "в области", "области значение"])
    assert mend_split_words("упоминаемом втексте документа", counts) == "упоминаемом в тексте документа"
    assert mend_split_words("Вобласти физической", counts) == "В области физической"
    assert mend_split_words("вначале", counts) == "вначале"  # `начале` is no word of the document
    assert mend_split_words("Назначение", counts) == "Назначение"
