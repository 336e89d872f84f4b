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
