"""News shapes read as data: ``ontology/patterns/verb-places.json`` and triggers.

Constructed sentences with invented names; each family checks the fact, its
pattern id (or trigger words) and what it must not read.
"""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.build import extract_document
from kg.relations.engine import load_patterns, match_pattern
from kg.types import Triple


def _triples(nlp: Language, text: str) -> list[Triple]:
    return list(extract_document(nlp(text), doc_id="t").triples)


def _facts(nlp: Language, text: str) -> dict[tuple[str, str, str], Triple]:
    return {(t.subject, t.predicate, t.object): t for t in _triples(nlp, text)}


_ACTIVE = "kg.pattern.verb-place.active-place-before-facility.v1"
_PASSIVE = "kg.pattern.verb-place.passive-place-before-facility.v1"
_WHERE = "kg.pattern.verb-place.where-clause-place-before-facility.v1"


def test_the_verb_place_family_is_loaded() -> None:
    ids = {p.id for p in load_patterns()}
    assert {_ACTIVE, _PASSIVE, _WHERE} <= ids


@pytest.mark.parametrize(
    ("text", "fact", "rule"),
    [
        (
            "Ray Colden died in a Brayton hospital on Monday.",
            ("ray colden", "deathPlace", "brayton"),
            _ACTIVE,
        ),
        (
            "Ray Colden lived in a Brayton apartment.",
            ("ray colden", "residence", "brayton"),
            _ACTIVE,
        ),
        (
            "Ray Colden was found in a Brayton hotel.",
            ("ray colden", "foundAt", "brayton"),
            _PASSIVE,
        ),
        (
            "Ray Colden died of heart disease in an Oakfield, Vermont, hotel, "
            "where he lived.",
            ("ray colden", "residence", "oakfield"),
            _WHERE,
        ),
    ],
)
def test_a_verb_is_placed_by_the_name_before_its_facility(
    nlp: Language, text: str, fact: tuple[str, str, str], rule: str
) -> None:
    found = _facts(nlp, text)
    assert fact in found, found
    assert found[fact].rule == rule
    assert found[fact].modality == "asserted"


def test_a_verb_place_keeps_the_clause_polarity(nlp: Language) -> None:
    found = _facts(nlp, "Ray Colden did not die in a Brayton hospital.")
    fact = found[("ray colden", "deathPlace", "brayton")]
    assert fact.rule == _ACTIVE
    assert fact.modality == "negated"


@pytest.mark.parametrize(
    "text",
    [
        # an organisation's name before the facility owns it; it places nothing
        "Ray Colden died in an Acme factory.",
        # "eat in" triggers no property: no fact, not even a generic one
        "Ray Colden ate in a Brayton restaurant.",
    ],
)
def test_a_verb_place_needs_a_place_and_a_trigger(nlp: Language, text: str) -> None:
    assert not [t for t in _triples(nlp, text) if t.rule.startswith("kg.pattern.verb-")]


# --- triggers added to ontology/kg.ttl for news --------------------------------


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "Oakfield Falcons catcher Marcus Dell was hurt.",
            ("marcus dell", "memberOfSportsTeam", "oakfield falcons"),
        ),
        (
            "Marcus Dell was traded to the Oakfield Falcons.",
            ("marcus dell", "memberOfSportsTeam", "oakfield falcons"),
        ),
    ],
)
def test_sports_team_triggers(
    nlp: Language, text: str, fact: tuple[str, str, str]
) -> None:
    assert fact in _facts(nlp, text)


# --- hyphen-modifiers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fact", "rule"),
    [
        (
            "The Brayton-born Marcus Dell won the race.",
            ("marcus dell", "birthPlace", "brayton"),
            "kg.pattern.hyphen.place-participle-before-name.v1",
        ),
        (
            "Marcus Dell, a Brayton-raised engineer, said the bridge was safe.",
            ("marcus dell", "residence", "brayton"),
            "kg.pattern.hyphen.place-participle-before-noun.v1",
        ),
        (
            "Marcus Dell, a Brayton-born engineer, said the bridge was safe.",
            ("marcus dell", "birthPlace", "brayton"),
            "kg.pattern.hyphen.place-participle-before-noun.v1",
        ),
    ],
)
def test_a_hyphened_place_participle_places_the_name(
    nlp: Language, text: str, fact: tuple[str, str, str], rule: str
) -> None:
    found = _facts(nlp, text)
    assert fact in found, found
    assert found[fact].rule == rule


def test_a_hyphened_participle_in_a_predicate_is_not_read(nlp: Language) -> None:
    # "is not a Brayton-born engineer": a predicate noun, not an apposition
    found = _triples(nlp, "Marcus Dell is not a Brayton-born engineer.")
    assert not [t for t in found if t.rule.startswith("kg.pattern.hyphen.")]


# --- sports-results -------------------------------------------------------------


def test_a_player_carries_a_team_past_its_rival(nlp: Language) -> None:
    found = _facts(nlp, "Marcus Dell led the Oakfield Falcons past the Brayton Bears.")
    fact = found[("oakfield falcons", "defeated", "brayton bears")]
    assert fact.rule == "kg.pattern.sports.carry-over-rival.v1"
    # the player defeated no one
    assert ("marcus dell", "defeated", "brayton bears") not in found


def test_a_side_that_fell_to_another_was_defeated_by_it(nlp: Language) -> None:
    found = _facts(nlp, "The Oakfield Falcons fell to the Brayton Bears on Sunday.")
    fact = found[("brayton bears", "defeated", "oakfield falcons")]
    assert fact.rule == "kg.pattern.sports.lose-to-rival.v1"
    assert fact.modality == "asserted"
    denied = _facts(nlp, "The Oakfield Falcons did not lose to the Brayton Bears.")
    assert denied[("brayton bears", "defeated", "oakfield falcons")].modality == (
        "negated"
    )


def test_losing_a_thing_to_someone_is_no_defeat(nlp: Language) -> None:
    found = _triples(nlp, "Marcus Dell lost the ball to Otto Kessler.")
    assert not [t for t in found if t.predicate == "defeated"]


# --- place triggers added to ontology/kg.ttl ------------------------------------


def test_a_based_body_is_not_placed_by_the_hyphen_family(nlp: Language) -> None:
    # "a Y-based body": headquarters or only a location, the phrase does not tell
    found = _triples(nlp, "Brayton-based Acme announced the deal.")
    assert not [t for t in found if t.rule.startswith("kg.pattern.hyphen.")]


def test_killed_in_a_place_is_the_place_of_death(nlp: Language) -> None:
    found = _facts(nlp, "Marcus Dell was killed in Brayton on Monday.")
    assert found[("marcus dell", "deathPlace", "brayton")].lemma == "be kill in"
    denied = _facts(nlp, "Marcus Dell was not killed in Brayton.")
    assert denied[("marcus dell", "deathPlace", "brayton")].modality == "negated"


# --- a body of water is no place a name lies in ----------------------------------


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "Tourists visited Kelso Island in the Persian Gulf.",
            ("kelso island", "nextToWater", "persian gulf"),
        ),
        (
            "Brayton on the Mossel River flooded.",
            ("brayton", "nextToWater", "mossel river"),
        ),
    ],
)
def test_a_name_in_a_body_of_water_lies_next_to_it(
    nlp: Language, text: str, fact: tuple[str, str, str]
) -> None:
    found = _facts(nlp, text)
    assert found[fact].rule == "kg.pattern.noun-prep.name-by-water.v1"
    assert (fact[0], "locatedIn", fact[2]) not in found


def _island_in_the_gulf(nlp: Language) -> Doc:
    # "Kelso island in the Gulf": the parse and entities news gives this shape
    words = ["Kelso", "island", "in", "the", "Gulf", "shook"]
    return Doc(
        nlp.vocab,
        words=words,
        heads=[1, 5, 1, 4, 2, 5],
        deps=["compound", "nsubj", "prep", "det", "pobj", "ROOT"],
        pos=["PROPN", "NOUN", "ADP", "DET", "PROPN", "VERB"],
        lemmas=["Kelso", "island", "in", "the", "Gulf", "shake"],
        ents=["B-GPE", "O", "O", "O", "B-LOC", "O"],
    )


def test_a_named_island_in_a_gulf_is_read_by_the_water_pattern(
    nlp: Language,
) -> None:
    doc = _island_in_the_gulf(nlp)
    ids = {
        p.id
        for p in load_patterns()
        if p.id.startswith("kg.pattern.place.") and list(match_pattern(doc, p))
    }
    assert ids == {"kg.pattern.place.named-place-noun-by-water.v1"}
    water = next(
        p for p in load_patterns() if p.id.endswith("named-place-noun-by-water.v1")
    )
    (binding,) = match_pattern(doc, water)
    assert (binding["name"].text, binding["place"].text) == ("Kelso", "Gulf")
