"""A country's, people's or continent's name and a longer name holding it.

"Peru" and "Peru Vendra" (a company), "the United States" and "the United
States Navy": the place and the entity named after it stay two nodes, whatever
sieve would join them (:func:`kg.coref.naming.another_entity_of_place`).
"""

from __future__ import annotations

from kg.coref import resolve_entities
from kg.coref.names import parse_name
from kg.coref.naming import another_entity_of_place
from kg.coref.state import Cluster
from kg.mentions import extract_mentions


def _holding(nlp, text: str, surface: str) -> list[str]:
    doc = nlp(text)
    return [
        e.name
        for e in resolve_entities(doc, extract_mentions(doc))
        if surface in [m.text for m in e.mentions]
    ]


def test_a_country_alone_is_not_the_company_named_after_it(nlp) -> None:
    text = (
        "Norvik Holdings bought Peru Vendra in 2004. Peru Vendra makes pumps. "
        "The pumps are sold in Peru."
    )
    assert _holding(nlp, text, "Peru") == ["Peru"]


def test_a_country_inside_a_navy_name_is_the_country(nlp) -> None:
    text = (
        "Ada Quell served in the United States Navy for ten years. "
        "She later moved back to the United States."
    )
    holders = _holding(nlp, text, "United States")
    assert holders
    assert "United States Navy" not in holders


def test_a_surname_that_is_a_country_name_still_names_the_person(nlp) -> None:
    text = "Tomas Peru wrote a novel in 1990. Peru later taught at a college in Lima."
    assert _holding(nlp, text, "Peru") == ["Tomas Peru"]


def _cluster(*keys: str, surnames: tuple[str, ...] = (), cues: int = 0) -> Cluster:
    ref = Cluster(0, "name")
    ref.keys.update(keys)
    ref.surnames.update(surnames)
    ref.person_cues = cues
    return ref


def test_longer_forms_of_the_place_own_name_are_no_other_entity() -> None:
    assert not another_entity_of_place(parse_name("Peru"), _cluster("republic of peru"))
    assert not another_entity_of_place(
        parse_name("the Kingdom of Peru"), _cluster("peru")
    )
    assert another_entity_of_place(parse_name("Peru Vendra"), _cluster("peru"))
    assert another_entity_of_place(parse_name("Peruvian"), _cluster("peruvian navy"))


def test_a_place_word_joins_a_person_only_as_a_surname_with_cues() -> None:
    person = _cluster("tomas peru", surnames=("peru",), cues=1)
    assert not another_entity_of_place(parse_name("Peru"), person)
    opened = _cluster("peru vendra", cues=1)  # "Peru" only opens the name
    assert another_entity_of_place(parse_name("Peru"), opened)


def test_a_longer_name_with_a_persons_surname_joins_the_person() -> None:
    # "Tomas Peru ... Peru ... Bosun Peru": the word is his surname
    person = _cluster("tomas peru", "peru", surnames=("peru",), cues=1)
    assert not another_entity_of_place(parse_name("Bosun Peru"), person)
    place = _cluster("peru")
    assert another_entity_of_place(parse_name("Bosun Peru"), place)
