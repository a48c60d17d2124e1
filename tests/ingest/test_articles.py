# The ingester reads Cyrillic text and typographic punctuation, so the tests quote both.
# ruff: noqa: RUF001
"""The two demo articles, as users hand them over: every paragraph one passage, in order."""

import re

import pytest

from sources.ingest import ParsedDocument, PassageDraft

from .conftest import EXPANSION_ARTICLE, POLICY_ARTICLE, parse_article


def passage_with(document: ParsedDocument, fragment: str) -> PassageDraft:
    found = [p for p in document.passages if fragment in p.text]
    assert len(found) == 1, f"{len(found)} passages contain {fragment!r}"
    return found[0]


def starting_with(document: ParsedDocument, opening: str) -> PassageDraft:
    found = [p for p in document.passages if p.text.startswith(opening)]
    assert len(found) == 1, f"{len(found)} passages start with {opening!r}"
    return found[0]


@pytest.mark.parametrize("name", [POLICY_ARTICLE, EXPANSION_ARTICLE])
def test_passages_tile_the_normalized_text_in_order(name: str) -> None:
    document = parse_article(name)
    assert document.passages
    assert [p.ordinal for p in document.passages] == list(range(len(document.passages)))
    assert document.text == "\n\n".join(p.text for p in document.passages)
    previous_end = None
    for passage in document.passages:
        assert document.text[passage.start : passage.end] == passage.text
        assert passage.text
        assert passage.text == passage.text.strip()
        assert "  " not in passage.text
        assert "\n" not in passage.text
        if previous_end is not None:
            assert passage.start == previous_end + 2
        previous_end = passage.end
    assert previous_end == len(document.text)


@pytest.mark.parametrize("name", [POLICY_ARTICLE, EXPANSION_ARTICLE])
def test_no_passage_starts_in_the_middle_of_a_sentence(name: str) -> None:
    document = parse_article(name)
    assert [p.text for p in document.passages if p.text[0].islower()] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "in relation to participation in international organizations but changed its attitude.",
        "China shares a long border with three Central Asian countries and Russia,",
        "anti-terrorism center to be established as soon as possible.",
        "a period of rapid development, large-scale changes and serious reorganization.",
    ],
)
def test_a_page_break_inside_a_sentence_joins_the_two_pages(
    policy_article: ParsedDocument, sentence: str
) -> None:
    passage_with(policy_article, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "security threats and to eliminate or to ease the external factors of disruption",
        "said Putin at a meeting of heads of SCO member states in an enlarged format.",
        "since its partners do not treat the issue as a priority.",
        "has changed its direction toward the interface with the Chinese initiative. [11]",
    ],
)
def test_a_page_break_in_the_second_article_joins_the_two_pages(
    expansion_article: ParsedDocument, sentence: str
) -> None:
    passage_with(expansion_article, sentence)


def test_a_short_line_ending_a_sentence_ends_the_paragraph(expansion_article: ParsedDocument) -> None:
    ended = passage_with(expansion_article, "regional democratic trend.[3]")
    assert ended.text.endswith("democratic trend.[3]")
    following = expansion_article.passages[ended.ordinal + 1]
    assert following.text.startswith("Most analysts agree that this regional organization")
    assert following.kind == "paragraph"


def test_a_short_line_inside_a_sentence_does_not_end_the_paragraph(expansion_article: ParsedDocument) -> None:
    passage_with(expansion_article, "proceed from the fact that these efforts should be undertaken")
    passage_with(expansion_article, "the main mechanism or guide for China's policy in Central Asia")
    passage_with(expansion_article, "a new initiative – “One Belt, One Road”.")


def test_deep_indentation_starts_a_paragraph(policy_article: ParsedDocument) -> None:
    introduction = starting_with(policy_article, "The Shanghai Cooperation Organization (SCO) does not exist")
    assert introduction.text.endswith("emphasizing its core elements (Denisov, Safranchuk, 2016).")
    assert introduction.section == "1. INTRODUCTION"
    assert policy_article.passages[introduction.ordinal - 1].text == "1. INTRODUCTION"
    following = starting_with(policy_article, "China remains concerned about extremist activities")
    assert policy_article.passages[following.ordinal - 1].text.endswith("in the global arena.")


def test_the_first_article_has_its_seven_headings_and_every_paragraph_once(
    policy_article: ParsedDocument,
) -> None:
    headings = [p.text for p in policy_article.passages if p.kind == "heading"]
    assert headings == [
        "ABSTRACT",
        "1. INTRODUCTION",
        "2. LITERATURE REVIEW",
        "3. RESEARCH",
        "A. History of Chinese engagement in the central Asian region",
        "B. Chinese foreign policy regarding the SCO",
        "4. CONCLUSION",
    ]
    kinds = [p.kind for p in policy_article.passages]
    assert (kinds.count("paragraph"), kinds.count("list_item"), kinds.count("quote")) == (25, 6, 0)


def test_a_passage_belongs_to_the_section_of_the_nearest_heading(policy_article: ParsedDocument) -> None:
    assert policy_article.passages[1].section == "ABSTRACT"
    assert passage_with(policy_article, "Scepticism regarding the work of the SCO").section == (
        "B. Chinese foreign policy regarding the SCO"
    )
    assert passage_with(policy_article, "China's foreign policy can be divided").section == (
        "A. History of Chinese engagement in the central Asian region"
    )
    assert policy_article.passages[-1].section == "4. CONCLUSION"
    assert all(p.section == p.text for p in policy_article.passages if p.kind == "heading")


def test_in_a_multilingual_article_the_section_is_the_nearest_heading_in_the_passage_language(
    expansion_article: ParsedDocument,
) -> None:
    english_title = "CHINESE VIEW ON THE EXPANSION OF THE SHANGHAI COOPERATION ORGANIZATION"
    assert passage_with(expansion_article, "Founded in 2001").section == english_title
    assert starting_with(expansion_article, "Аннотация.").section.startswith("КИТАЙСКОЕ ВИДЕНИЕ")
    assert starting_with(expansion_article, "Аңдатпа.").section.startswith("ҚЫТАЙДЫҢ ШАНХАЙ")


def test_a_title_in_capitals_over_two_lines_is_one_heading_and_the_title(
    expansion_article: ParsedDocument,
) -> None:
    title = "CHINESE VIEW ON THE EXPANSION OF THE SHANGHAI COOPERATION ORGANIZATION"
    assert expansion_article.title == title
    headings = [p.text for p in expansion_article.passages if p.kind == "heading"]
    assert headings == [
        title,
        "ҚЫТАЙДЫҢ ШАНХАЙ ЫНТЫМАҚТАСТЫҚ ҰЙЫМЫН КЕҢЕЙТУ ТУРАЛЫ КӨЗҚАРАСЫ",
        "КИТАЙСКОЕ ВИДЕНИЕ РАСШИРЕНИЯ ШАНХАЙСКОЙ ОРГАНИЗАЦИИ",
        "The SCO countries will share their experience in dealing with the economic crisis",
    ]
    assert expansion_article.passages[1].text.startswith("Abstract. The article analyzes")


def test_an_article_opening_with_abstract_has_no_title(policy_article: ParsedDocument) -> None:
    assert policy_article.title is None


def test_header_lines_after_a_page_break_are_separate_passages(expansion_article: ParsedDocument) -> None:
    russian_title = starting_with(expansion_article, "КИТАЙСКОЕ ВИДЕНИЕ")
    authors, abstract = expansion_article.passages[russian_title.ordinal + 1 : russian_title.ordinal + 3]
    assert authors.text == "Сериккалиева А.Е.1, Амирбек А.А.2"
    assert abstract.text.startswith("Аннотация. В статье проводится анализ")
    assert abstract.text.endswith("Китай обратил внимание на будущее расширение членства ШОС.")


def test_numbered_sentences_are_list_items_not_headings(policy_article: ParsedDocument) -> None:
    items = [p.text for p in policy_article.passages if p.kind == "list_item"]
    assert items[0] == (
        "1. Maintaining political stability (no one wants a political crisis that could bring radical "
        "Islamist movements to power)."
    )
    assert items[1] == "2. Preservation of the power of secular regimes."
    assert items[2] == (
        "3. Acceleration of the economic development of the countries of the region as the only "
        "political basis for stability."
    )
    assert items[3].startswith("1. Creating favourable conditions")
    assert items[3].endswith("ensuring the openness of the region;")
    assert items[4].startswith("2. The creation and maintenance of relations of eternal friendship")
    assert items[4].endswith("common prosperity of members SCO as a whole;")
    assert items[5].startswith("3. Increasing China’s international influence")
    assert policy_article.passages[passage_with(policy_article, items[0]).ordinal - 1].text.endswith(
        "with respect to the following three key factors:"
    )


def test_a_word_hyphenated_across_lines_keeps_its_hyphen(
    policy_article: ParsedDocument, expansion_article: ParsedDocument
) -> None:
    passage_with(policy_article, "ensure cross-border energy transportation capacities")
    passage_with(policy_article, "a solid foundation for Russian-Chinese cooperation")
    for document in (policy_article, expansion_article):
        assert not re.search(r"\w- \w", document.text.replace(" - ", "")), "a hyphenated word was split"
        assert "cross- border" not in document.text


@pytest.mark.parametrize(
    ("opening", "language"),
    [
        ("ҚЫТАЙДЫҢ ШАНХАЙ", "kk"),
        ("Аңдатпа. Мақала ШЫҰ кеңейту", "kk"),
        ("Түйін сөздер:", "kk"),
        ("КИТАЙСКОЕ ВИДЕНИЕ", "ru"),
        ("Аннотация. В статье", "ru"),
        ("Ключевые слова:", "ru"),
        ("CHINESE VIEW ON THE EXPANSION", "en"),
        ("Abstract. The article analyzes", "en"),
        ("Keywords: China, SCO", "en"),
        ("Founded in 2001", "en"),
    ],
)
def test_each_passage_of_a_three_language_article_has_its_own_language(
    expansion_article: ParsedDocument, opening: str, language: str
) -> None:
    assert starting_with(expansion_article, opening).language == language


def test_a_document_is_in_the_language_most_of_its_text_is_in(
    policy_article: ParsedDocument, expansion_article: ParsedDocument
) -> None:
    assert expansion_article.language == "en"
    assert policy_article.language == "en"
    assert {p.language for p in policy_article.passages} == {"en"}


def test_author_lines_take_the_language_of_their_header(expansion_article: ParsedDocument) -> None:
    authors = [p for p in expansion_article.passages if p.text == "Сериккалиева А.Е.1, Амирбек А.А.2"]
    assert [p.language for p in authors] == ["kk", "ru"]


def test_a_paragraph_that_is_an_officials_words_is_a_quote(expansion_article: ParsedDocument) -> None:
    declaration = passage_with(expansion_article, "- stated in the Tashkent Declaration.")
    assert declaration.kind == "quote"
    assert declaration.text.startswith("“The rapidly changing situation in the world")
    assert passage_with(expansion_article, "- said Putin at a meeting").kind == "quote"


def test_a_quotation_inside_a_paragraph_leaves_it_a_paragraph(policy_article: ParsedDocument) -> None:
    assert passage_with(policy_article, "“This factor significantly prevents").kind == "paragraph"


def test_footnote_markers_stay_in_the_text(expansion_article: ParsedDocument) -> None:
    markers = re.findall(r"\[(\d+)\]", expansion_article.text)
    assert markers == [str(n) for n in range(1, 14)]
