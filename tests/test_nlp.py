"""The spaCy pipeline kg loads: components and sentence boundaries at line breaks."""

from __future__ import annotations

from spacy.language import Language


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
