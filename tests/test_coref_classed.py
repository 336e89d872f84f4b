"""A name written without the class noun of its full form ("Cyclone X" ... "X")."""

from __future__ import annotations

from kg.coref import resolve_entities
from kg.coref.sieves.classed import DROPPED_CLASS_WORDS
from kg.mentions import extract_mentions

RULE = "kg.coref.classed_short_name.v1"


def _nodes(nlp, text: str) -> dict[str, list[str]]:
    doc = nlp(text)
    return {
        e.name: [m.text for m in e.mentions]
        for e in resolve_entities(doc, extract_mentions(doc))
    }


def _holding(nodes: dict[str, list[str]], surface: str) -> list[str]:
    return [name for name, texts in nodes.items() if surface in texts]


def test_a_storm_named_without_its_class_noun_is_the_storm(nlp) -> None:
    nodes = _nodes(
        nlp,
        "Cyclone Varuna has winds of 200 kilometers per hour. "
        "Varuna's winds will weaken as it moves inland. Varuna will bring rain.",
    )
    assert _holding(nodes, "Varuna") == ["Cyclone Varuna"]
    assert _holding(nodes, "Varuna's") == ["Cyclone Varuna"]


def test_an_island_and_a_spa_town_keep_one_node_without_their_noun(nlp) -> None:
    island = _nodes(
        nlp,
        "Tarsey Island lies off the coast. Visitors reach Tarsey by ferry. "
        "Tarsey Island has one hotel.",
    )
    assert _holding(island, "Tarsey") == ["Tarsey Island"]
    isle = _nodes(
        nlp,
        "The ferry to Brannock Isle leaves at noon. Brannock has two harbours.",
    )
    assert _holding(isle, "Brannock") == ["Brannock Isle"]


def test_a_team_named_after_its_town_keeps_the_town_apart(nlp) -> None:
    # "Hawks" is no class noun a name drops: the town stays a node of its own
    assert "hawks" not in DROPPED_CLASS_WORDS
    nodes = _nodes(
        nlp,
        "Dana Holt joined the Marlow Hawks in 2010. He later moved to Marlow.",
    )
    assert _holding(nodes, "Marlow") != ["Marlow Hawks"]


def test_a_lake_leaves_the_town_of_its_name_alone(nlp) -> None:
    assert "lake" not in DROPPED_CLASS_WORDS
    nodes = _nodes(
        nlp, "Lake Orvane freezes in winter. Orvane has a bakery and a school."
    )
    assert _holding(nodes, "Orvane") != ["Lake Orvane"]


def test_the_link_records_the_rule(nlp) -> None:
    doc = nlp("Cyclone Varuna gained strength. Varuna will bring rain.")
    entities = resolve_entities(doc, extract_mentions(doc))
    (storm,) = [e for e in entities if e.name == "Cyclone Varuna"]
    assert RULE in {m.link for m in storm.mentions if m.text == "Varuna"}


def test_a_full_name_after_a_person_of_the_bare_name_stays_apart(nlp) -> None:
    nodes = _nodes(
        nlp,
        "Nadia Orvane wrote a novel. Orvane said she liked the sea. "
        "Mount Orvane is in the north.",
    )
    assert _holding(nodes, "Mount Orvane") != _holding(nodes, "Orvane")
