"""The sieve architecture: registry, order, link ids, and the ids kept in the RDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph

from kg.build import extract_document
from kg.coref import (
    SIEVE_ORDER,
    make_sieve_resolver,
    resolve_entities,
    sieve,
    sieves,
)
from kg.coref.resolve import mention_class
from kg.coref.sieves import MENTION_CLASSES, Sieve
from kg.coref.state import build_discourse
from kg.errors import ConfigError
from kg.mentions import extract_mentions
from kg.ontology import KGO
from kg.rdf import build_graph, serialize

TEXT = "Ada Byrne founded Acme Corporation in 1990. Byrne said she loved the company."


def _links(nlp, text: str, **kwargs: object) -> dict[str, list[tuple[str, str]]]:
    doc = nlp(text)
    ents = resolve_entities(doc, extract_mentions(doc), **kwargs)  # type: ignore[arg-type]
    return {e.name: [(m.text, m.link) for m in e.mentions] for e in ents}


def test_every_sieve_of_the_order_is_registered_once_with_a_versioned_id() -> None:
    assert len(SIEVE_ORDER) == len(set(SIEVE_ORDER))
    for name in SIEVE_ORDER:
        entry = sieves.get(name)
        assert isinstance(entry, Sieve)
        assert entry.id == name
        assert name.startswith("kg.coref.")
        assert name.rsplit(".", 1)[1].startswith("v")
        assert entry.classes <= MENTION_CLASSES


def test_every_link_names_the_sieve_that_made_it(nlp) -> None:
    links = _links(nlp, TEXT)
    assert links["Ada Byrne"] == [
        ("Ada Byrne", ""),
        ("Byrne", "kg.coref.lone_name_word.v1"),
        ("she", "kg.coref.pronoun_salience.v1"),
    ]
    assert links["Acme Corporation"] == [
        ("Acme Corporation", ""),
        ("the company", "kg.coref.definite_description.v1"),
    ]


def test_each_entity_has_one_first_mention_without_a_link(nlp) -> None:
    text = (
        "The poet Ann Lee met Tom Vale in Portvale. Lee told Vale that she liked "
        "the town. He said it was quiet, and Lee agreed with him."
    )
    doc = nlp(text)
    for entity in resolve_entities(doc, extract_mentions(doc)):
        unlinked = [m for m in entity.mentions if not m.link]
        assert len(unlinked) == 1, [(m.text, m.link) for m in entity.mentions]
        assert all(m.link.startswith("kg.coref.") for m in entity.mentions if m.link)


def test_the_rdf_keeps_the_sieve_of_each_linked_mention(nlp, tmp_path: Path) -> None:
    document = extract_document(nlp(TEXT), doc_id="linked.txt")
    path = serialize(build_graph([document]), tmp_path / "graph.ttl")
    graph = Graph().parse(path, format="turtle")
    by_text = {
        str(graph.value(node, RDF.value)): str(graph.value(node, KGO.linkedBy) or "")
        for node in graph.subjects(RDF.type, KGO.Mention)
    }
    assert by_text["Byrne"] == "kg.coref.lone_name_word.v1"
    assert by_text["she"] == "kg.coref.pronoun_salience.v1"
    assert by_text["the company"] == "kg.coref.definite_description.v1"
    # an entity's first mention was linked by no rule
    assert by_text["Ada Byrne"] == by_text["Acme Corporation"] == ""


def test_a_resolver_made_of_some_sieves_links_only_by_them(nlp) -> None:
    names_only = make_sieve_resolver(["kg.coref.exact_name.v1"])
    doc = nlp("Ada Byrne spoke. Ada Byrne left. She smiled at Byrne.")
    ents = names_only(doc, tuple(extract_mentions(doc)))
    assert {e.name: [(m.text, m.link) for m in e.mentions] for e in ents} == {
        "Ada Byrne": [("Ada Byrne", ""), ("Ada Byrne", "kg.coref.exact_name.v1")],
        # no surname sieve, no pronoun sieve: "Byrne" is a node of its own
        "Byrne": [("Byrne", "")],
    }


def test_an_unknown_sieve_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="kg.coref.exact_name.v1"):
        make_sieve_resolver(["kg.coref.no_such_sieve.v1"])


def test_a_plugged_in_sieve_runs_where_the_order_puts_it(nlp) -> None:
    seen: list[str] = []

    @sieve("test.watch.v1", "pronoun")
    def watch(state, index):  # type: ignore[no-untyped-def]
        seen.append(state.mentions[index].text)
        return False

    resolver = make_sieve_resolver(("test.watch.v1", *SIEVE_ORDER))
    doc = nlp("Ada Byrne arrived. She sat down.")
    ents = resolver(doc, tuple(extract_mentions(doc)))
    assert seen == ["She"]
    assert [m.text for m in ents[0].mentions] == ["Ada Byrne", "She"]


def test_a_sieve_reads_only_classes_it_declares() -> None:
    with pytest.raises(ValueError, match="mention classes"):
        Sieve("test.bad.v1", frozenset({"verb"}), lambda state, index: False)


def test_mentions_fall_into_the_classes_the_sieves_read(nlp) -> None:
    doc = nlp('We met Ada Byrne at the museum. "I like you," she said.')
    state = build_discourse(doc, list(extract_mentions(doc)))
    classes = {m.text: mention_class(state, i) for i, m in enumerate(state.mentions)}
    assert classes["We"] == "we"
    assert classes["Ada Byrne"] == "name"
    assert classes["I"] == classes["you"] == "speech"
    assert classes["she"] == "pronoun"
