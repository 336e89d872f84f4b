"""The extent of nominal mentions: the whole noun phrase when it only names others."""

from __future__ import annotations

from kg.mentions import extract_mentions


def _nominals(nlp, text: str) -> list[str]:
    return [m.text for m in extract_mentions(nlp(text)) if m.kind == "nominal"]


def test_a_description_covers_the_names_it_is_modified_by(nlp) -> None:
    text = "In 1950 Ada Byrne became a fellow of the Royal Society."
    assert "a fellow of the Royal Society" in _nominals(nlp, text)


def test_a_description_stops_before_a_common_noun_of_its_own(nlp) -> None:
    text = "Ada Byrne met the owner of the old zoo in Leeds."
    found = _nominals(nlp, text)
    assert "the owner" in found
    assert not any(t.startswith("the owner of") for t in found)


def _names(nlp, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in extract_mentions(nlp(text)) if m.kind == "name"]


def test_a_name_split_by_editorial_brackets_is_one_person(nlp) -> None:
    text = '"I miss [my husband] Tom [Hale] every day," she said.'
    assert ("Tom [Hale]", "PERSON") in _names(nlp, text)


def test_a_group_name_inside_a_show_title_is_no_mention(nlp) -> None:
    text = "The Keeping Up With the Kardashians star met fans in Ohio."
    assert all(t != "Kardashians" for t, _ in _names(nlp, text))
    text = "She met the Kardashians in Paris."
    assert ("Kardashians", "NORP") in _names(nlp, text)
