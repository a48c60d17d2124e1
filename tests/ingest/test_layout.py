"""Plain text laid out in lines: which line breaks end a paragraph and which only wrap it."""

from sources.ingest import parse_document


def passage_texts(text: str) -> list[str]:
    return [p.text for p in parse_document(text.encode(), "notes.txt").passages]


def test_paragraphs_on_single_lines_are_passages_of_their_own() -> None:
    paragraphs = [
        "The Shanghai Cooperation Organization was founded in 2001 by six states.",
        "Its first concern was security: terrorism, separatism and extremism, the three evils named in its "
        "founding documents, which every later summit has repeated.",
        "Economic cooperation came later.",
    ]
    for separator in ("\n", "\n\n"):
        assert passage_texts(separator.join(paragraphs)) == paragraphs


def test_text_wrapped_by_hand_is_unwrapped_into_paragraphs() -> None:
    text = (
        "Energy\n"
        "\n"
        "China needs to import oil and gas from Central Asia and to ensure cross-\n"
        "border energy transportation capacities, while Russia is interested in\n"
        "effective control of the energy resources of the region.\n"
        "\n"
        "Kyrgyzstan and Tajikistan, which lack gas and oil, are interested in\n"
        "developing water resources and hydropower instead.\n"
    )
    document = parse_document(text.encode(), "notes.txt")
    assert [(p.kind, p.text) for p in document.passages] == [
        ("heading", "Energy"),
        (
            "paragraph",
            "China needs to import oil and gas from Central Asia and to ensure cross-border energy "
            "transportation capacities, while Russia is interested in effective control of the energy "
            "resources of the region.",
        ),
        (
            "paragraph",
            "Kyrgyzstan and Tajikistan, which lack gas and oil, are interested in developing water resources "
            "and hydropower instead.",
        ),
    ]


def test_a_blank_line_after_every_line_is_not_a_paragraph_break() -> None:
    lines = [
        "Founded in 2001, the Shanghai Cooperation Organization now has China, Kazakhstan,",
        "Kyrgyzstan, Russia, Tajikistan and Uzbekistan as its full members.",
        " ",
        "Most analysts agree that this regional organization is largely a Chinese initiative",
        "and that China plays a leading role in the SCO process, while Russia keeps its",
        "influence through other organizations of the region.",
    ]
    document = parse_document("\n\n".join(lines).encode(), "notes.txt")
    assert [p.text for p in document.passages] == [
        " ".join(lines[:2]),
        " ".join(lines[3:]),
    ]


def test_a_page_that_continues_a_sentence_joins_it_even_after_a_short_line() -> None:
    lines = [
        "In this institutional dimension, China has more freedom to play, since",
        "its partners do not treat the issue as a priority, and Russia and the",
        "Central Asian states understand the utility that the SCO provides to",
        "them and to",
        " their neighbours. This multilateral institution is also helping China",
        "and Russia to regulate their interactions in Central Asia.",
    ]
    assert passage_texts("\n\n".join(lines)) == [" ".join(line.strip() for line in lines)]


def test_a_page_that_starts_after_a_finished_sentence_starts_a_passage() -> None:
    lines = [
        "Keywords: China, SCO, multilateral economic cooperation, security, energy,",
        "expansion.",
        " Abstract. The article analyzes the policy of China on the expansion of",
        "the organization and on the admission of India and Pakistan to it.",
    ]
    assert passage_texts("\n\n".join(lines)) == [
        "Keywords: China, SCO, multilateral economic cooperation, security, energy, expansion.",
        "Abstract. The article analyzes the policy of China on the expansion of the organization and on "
        "the admission of India and Pakistan to it.",
    ]
