"""The spaCy pipeline kg loads: components and sentence boundaries at line breaks."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.nlp import layout_kind, non_prose_spans


def _sentences(nlp: Language, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents]


def test_pipeline_marks_paragraphs_before_the_parser(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names.index("kg_paragraphs") < names.index("parser")


def test_a_headline_is_its_own_sentence(nlp: Language) -> None:
    text = (
        "Mayor Fires Harbour Master After Long Dispute\n\n"
        'The mayor, Ada "Bunny" Lovelace, dismissed the harbour master on Monday.'
    )
    sents = _sentences(nlp, text)
    assert sents[0] == "Mayor Fires Harbour Master After Long Dispute"
    # the forced start does not cut the next sentence after its first word
    assert sents[1].startswith("The mayor, Ada")
    assert sents[1].endswith("on Monday.")


def test_a_section_title_on_its_own_line_is_a_sentence(nlp: Language) -> None:
    text = (
        "Early Life and Career\n"
        "Grace Hopper was born in New York City. She studied at Vassar College."
    )
    assert _sentences(nlp, text)[0] == "Early Life and Career"


def test_wrapped_prose_is_not_cut_at_line_breaks(nlp: Language) -> None:
    text = (
        "The committee met on Tuesday and decided that the new bridge\n"
        "would be built by the regional council before the winter."
    )
    assert len(_sentences(nlp, text)) == 1


def test_a_short_verbless_line_before_a_capitalised_line_ends_a_sentence(
    nlp: Language,
) -> None:
    # a caption line under a photo runs into the story otherwise
    text = "Ada Byrne at the Tarnby pier\nThe harbour board met on Monday."
    assert _sentences(nlp, text)[0] == "Ada Byrne at the Tarnby pier"


def test_a_wrapped_line_ending_on_a_function_word_is_not_cut(nlp: Language) -> None:
    text = "In the early hours of a\nMonday the ferry left the harbour."
    assert len(_sentences(nlp, text)) == 1


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Photo: Mara Velt/Varn News", "credit"),
        ("Image caption Tom Hale speaks in Tarnby", "caption"),
        ("Image copyright Varn News", "credit"),
        ("By Ada Byrne and Tom Hale", "byline"),
        ("By Ada Byrne, Varn News", "byline"),
        ("Tags: ferries, Tarnby, harbour board", "category"),
        ("Filed under Harbour News", "category"),
        ("Related: Tarnby ferry fares to rise", "related"),
        ("See also Kessby port reopens", "related"),
        ("TARNBY, May 3 (Varn News) -", "dateline"),
        # prose that opens with the same words
        ("By 1990 the ferry ran twice a day.", ""),
        ("By the time she left, Tarnby had grown.", ""),
        ("By plane", ""),
        ("Photographs of the pier were sold.", ""),
        ("Related reports were published later.", ""),
        ("The harbour board met on Monday.", ""),
        ("NASA - the agency - said no.", ""),
    ],
)  # fmt: skip
def test_layout_lines_are_told_from_prose(nlp: Language, line: str, kind: str) -> None:
    assert layout_kind(nlp(line)[:]) == kind


def test_layout_lines_are_sentences_of_their_own(nlp: Language) -> None:
    text = (
        "By Ada Byrne\n"
        "TARNBY, May 3 (Varn News) - The board dismissed Ben Quill on Monday.\n"
        "Photo: Mara Velt/Varn News\n"
        "Quill said he would appeal."
    )
    doc = nlp(text)
    sents = [s.text.strip() for s in doc.sents]
    assert "By Ada Byrne" in sents
    assert "TARNBY, May 3 (Varn News) -" in sents
    assert "Photo: Mara Velt/Varn News" in sents
    kinds = [kind for _, _, kind in non_prose_spans(doc)]
    assert kinds == ["byline", "dateline", "credit"]


def test_a_caption_label_mid_line_starts_a_sentence(nlp: Language) -> None:
    text = "The mayor thanked Ada Byrne Image copyright Varn News on Monday."
    doc = nlp(text)
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "The mayor thanked Ada Byrne"
    assert [kind for _, _, kind in non_prose_spans(doc)] == ["credit"]


def test_a_bracketed_credit_inside_a_sentence_is_no_prose(nlp: Language) -> None:
    doc = nlp("The board met in Kessby (Photo: Ida Lark) on Monday.")
    spans = [(doc[a:b].text, kind) for a, b, kind in non_prose_spans(doc)]
    assert spans == [("(Photo: Ida Lark)", "credit")]
