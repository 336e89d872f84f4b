"""Descriptions with heads no class lexicon types, and the sieves that place them.

Constructed text only: ages as nouns, facility nouns, proxy nouns, hyphenated
person nouns, and a lede that names its person a sentence later.
"""

from __future__ import annotations

from kg.coref import resolve_entities
from kg.mentions import extract_mentions


def _entities(nlp, text: str) -> dict[str, list[tuple[str, str]]]:
    doc = nlp(text)
    ents = resolve_entities(doc, list(extract_mentions(doc)))
    return {e.name: [(m.text, m.link) for m in e.mentions] for e in ents}


def _mentions(nlp, text: str) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    return [(m.text, m.label, m.source) for m in extract_mentions(doc)]


def test_an_age_used_as_a_noun_is_a_person_description(nlp) -> None:
    text = "Dana Velk was arrested in Harlow. The 45-year-old was charged."
    found = _mentions(nlp, text)
    assert ("The 45-year-old", "PERSON", "kg.mentions.ages.v1") in found
    links = _entities(nlp, text)
    assert ("The 45-year-old", "kg.coref.definite_description.v1") in links["Dana Velk"]


def test_an_age_before_its_noun_is_no_mention_of_its_own(nlp) -> None:
    found = _mentions(nlp, "The 45-year-old man was charged.")
    assert not any(source == "kg.mentions.ages.v1" for _, _, source in found)


def test_a_definite_facility_noun_is_a_mention(nlp) -> None:
    found = _mentions(nlp, "They left the facility at noon.")
    assert ("the facility", "FAC", "kg.mentions.facilities.v1") in found
    # an indefinite one points back to nothing
    found = _mentions(nlp, "They built a facility at noon.")
    assert not any(source == "kg.mentions.facilities.v1" for _, _, source in found)


def test_a_facility_noun_joins_the_one_named_establishment(nlp) -> None:
    links = _entities(
        nlp,
        "Dora Quill checked into the Verano Treatment Center on Friday. "
        "She entered the facility after a party.",
    )
    center = next(v for k, v in links.items() if "Verano" in k)
    assert ("the facility", "kg.coref.facility_description.v1") in center
    assert all(t != "the facility" for t, _ in links["Dora Quill"])


def test_a_proxy_noun_is_not_the_person_just_named(nlp) -> None:
    links = _entities(nlp, "Dora Quill entered a clinic. The rep said she was well.")
    assert all(t != "The rep" for t, _ in links["Dora Quill"])
    # a possessor phrase makes any person noun someone else's tie
    links = _entities(
        nlp, "Dora Quill has entered a clinic, the young singer's manager said."
    )
    assert all("manager" not in t for t, _ in links["Dora Quill"])


def test_a_proxy_noun_joins_whom_the_text_called_so(nlp) -> None:
    links = _entities(
        nlp,
        "Dora Quill hired a new lawyer, Ivo Brant, on Monday. "
        "The lawyer said she would appeal.",
    )
    assert ("The lawyer", "kg.coref.proxy_description.v1") in links["Ivo Brant"]


def test_a_hyphenated_person_noun_is_one_mention(nlp) -> None:
    found = _mentions(nlp, "Police say a local man stabbed his ex-girlfriend.")
    assert any(t == "his ex-girlfriend" and label == "PERSON" for t, label, _ in found)


def test_a_lede_description_joins_the_person_named_after_it(nlp) -> None:
    text = "The veteran actress has entered a clinic. Dora Quill checked in on Monday."
    links = _entities(nlp, text)
    assert ("The veteran actress", "kg.coref.lede_cataphora.v1") in links["Dora Quill"]


def test_a_lede_description_is_not_a_clause_mate_nor_after_a_named_person(nlp) -> None:
    # "The gunman shot X": X is someone else
    links = _entities(nlp, "The gunman shot Dora Quill outside her home on Monday.")
    assert all(t != "The gunman" for t, _ in links["Dora Quill"])
    # a person named before: the description is no lede
    links = _entities(
        nlp,
        "Ivo Brant spoke on Monday. The actress has entered a clinic. "
        "Dora Quill checked in on Monday.",
    )
    assert ("The actress", "kg.coref.lede_cataphora.v1") not in links["Dora Quill"]


def test_a_company_named_by_its_trade_joins_the_company(nlp) -> None:
    text = "Velmont said on Tuesday it would fix the flaw. The software giant said so."
    found = _mentions(nlp, text)
    assert ("The software giant", "ORG", "kg.mentions.companies.v1") in found
    links = _entities(nlp, text)
    link = ("The software giant", "kg.coref.definite_description.v1")
    assert link in links["Velmont"]
    # without its industry, "the giant" is no company
    found = _mentions(nlp, "The giant said so.")
    assert not any(source == "kg.mentions.companies.v1" for _, _, source in found)


def test_the_event_joins_the_named_event(nlp) -> None:
    links = _entities(nlp, "The Great Varda War began in 1939. The event changed Arda.")
    war = next(v for k, v in links.items() if "War" in k)
    assert ("The event", "kg.coref.definite_description.v1") in war


def test_the_other_one_is_not_the_one_just_named(nlp) -> None:
    links = _entities(nlp, "Tom Vale spoke in Lyon. The only other Varda player left.")
    assert all("other" not in t for t, _ in links["Tom Vale"])
