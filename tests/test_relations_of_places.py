"""Placements from "of", brackets, chains and lists; verb readings; constructed text.

An "of" inside a name or after a person's name places nothing; the place
in a person's brackets is a birth or death place; a place chain places
what the sentence places in its first place; a list of places after one
verb takes no typed default reading; starring in a film is acting in it, and
running or operating a thing is no ownership.
"""

from __future__ import annotations

from spacy.language import Language

from kg.coref import resolve_entities
from kg.mentions import extract_mentions
from kg.relations import extract_relations
from kg.types import Triple
from tests.test_relations import ner_entities


def _triples(nlp: Language, text: str) -> list[Triple]:
    doc = nlp(text)
    _, found = extract_relations(doc, ner_entities(doc), doc_id="t")
    return list(found)


def _facts(found: list[Triple]) -> set[tuple[str, str, str]]:
    return {(t.subject, t.predicate, t.object) for t in found}


def test_of_inside_a_name_places_nothing(nlp: Language) -> None:
    text = "Springfield is a small city. The Bay of Springfield offers a wide view."
    doc = nlp(text)
    entities = resolve_entities(doc, extract_mentions(doc))
    assert {"Bay of Springfield", "Springfield"} <= {e.name for e in entities}
    _, found = extract_relations(doc, entities, doc_id="t")
    assert not [t for t in found if t.predicate == "locatedIn"]


def test_of_after_a_person_is_no_placement_but_a_nation(nlp: Language) -> None:
    found = _facts(_triples(nlp, "Otto Brandt of Springfield won the race in 1910."))
    assert not [f for f in found if f[2] == "springfield"]
    found = _facts(_triples(nlp, "King Otto III of Norway died in 1410."))
    assert ("otto iii", "citizenOf", "norway") in found


def test_of_after_a_person_names_no_employer(nlp: Language) -> None:
    found = _facts(_triples(nlp, "Greta Lind of the Blue Foxes sang at the fair."))
    assert not [f for f in found if f[1] in {"employer", "memberOf"}]
    # a role noun still states the employer
    found = _facts(_triples(nlp, "Bob Hale, the head of Acme Corp, resigned."))
    assert ("bob hale", "employer", "acme corp") in found


def test_places_in_a_persons_brackets_are_birth_and_death(nlp: Language) -> None:
    text = (
        "Otto Brandt (11 October 1874, in Springfield – 6 January 1915, in Boston)"
        " was a doctor."
    )
    found = _triples(nlp, text)
    facts = _facts(found)
    assert ("otto brandt", "birthPlace", "springfield") in facts
    assert ("otto brandt", "deathPlace", "boston") in facts
    rules = {t.rule for t in found if t.object in {"springfield", "boston"}}
    assert rules
    assert all(rule.endswith("life-place") for rule in rules)


def test_a_place_chain_places_the_placed_thing_in_each_place(nlp: Language) -> None:
    text = "He studied at the Varden Institute in Fontainebleau, France."
    found = _triples(nlp, text)
    (t,) = [t for t in found if t.object == "france" and t.subject != "fontainebleau"]
    assert (t.predicate, t.rule) == ("country", "kg.clauses.v3:chain-placed")
    # a person is not placed by a chain
    found = _triples(nlp, "Otto Brandt stayed in Fontainebleau, France.")
    assert not [t for t in found if t.rule.endswith("chain-placed")]


def test_a_state_of_a_country_lies_in_the_country(nlp: Language) -> None:
    found = _triples(nlp, "Lake Varno is a lake in the U.S. state of Oregon.")
    (t,) = [
        t
        for t in found
        if "oregon" in {t.subject, t.object} and "u.s." in {t.subject, t.object}
    ]
    assert (t.subject, t.object) == ("oregon", "u.s.")
    assert t.rule == "kg.pattern.place.named-noun-of-name.v1"
    # and the lake in the state lies in the country too
    placed = {(t.subject, t.predicate, t.object, t.rule) for t in found}
    assert ("lake varno", "country", "u.s.", "kg.clauses.v3:chain-placed") in placed


def test_a_list_of_places_after_one_verb_takes_no_default_reading(
    nlp: Language,
) -> None:
    text = "The Acme Corporation opened offices in Norway, Sweden, Denmark and Finland."
    found = [t for t in _triples(nlp, text) if t.subject == "the acme corporation"]
    assert not [t for t in found if t.predicate in {"country", "locatedIn"}]
    # one place keeps the class's default reading
    found = _facts(_triples(nlp, "The Acme Corporation opened offices in Norway."))
    assert ("the acme corporation", "country", "norway") in found


def test_a_person_starring_in_a_film_acts_in_it(nlp: Language) -> None:
    text = "Blue Skies is a film. John Brown starred in Blue Skies in 1990."
    found = _facts(_triples(nlp, text))
    assert ("john brown", "actsIn", "blue skies") in found


def test_running_or_operating_a_thing_is_no_ownership(nlp: Language) -> None:
    for verb in ("runs", "operates"):
        found = _facts(_triples(nlp, f"Acme Corp {verb} Varno Radio."))
        assert ("acme corp", "relatedTo", "varno radio") in found
        assert ("acme corp", "owns", "varno radio") not in found


def test_an_apposed_place_in_a_persons_brackets_is_the_birth_place(
    nlp: Language,
) -> None:
    text = (
        "Ada Varn (Springfield, Illinois, August 29, 1869 – Boston, Massachusetts,"
        " July 1, 1925) was a painter."
    )
    found = _triples(nlp, text)
    (t,) = [t for t in found if t.subject == "ada varn" and t.object == "springfield"]
    assert t.predicate == "birthPlace"
    assert t.rule.endswith("life-place")


def test_a_part_of_a_place_lies_in_it(nlp: Language) -> None:
    found = _facts(_triples(nlp, "Varnley is the southernmost part of Norway."))
    assert ("varnley", "country", "norway") in found
    # a part of a body stays a part
    found = _facts(_triples(nlp, "Acme School is part of Acme University."))
    assert ("acme school", "partOf", "acme university") in found
