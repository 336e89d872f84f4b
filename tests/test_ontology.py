"""The ontology files: declared terms, documented properties, inverses, Wikidata."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from rdflib import OWL, RDF, RDFS, URIRef

from kg.ontology import KGO, KGO_URI, WDT, load_ontology
from tests.fixtures import SHARED_EVAL

REDOCRED_DEV = SHARED_EVAL / "redocred" / "dev_revised.json"
#: Re-DocRED relations whose object is a date or number: kg declares them as
#: datatype properties (aligned to Wikidata) but extracts no literal values yet.
LITERAL_RELATIONS = frozenset({"P577", "P569", "P570", "P571", "P580", "P582", "P585"})


def kgo_terms() -> list[str]:
    return [name for name in KGO.__annotations__ if not name.startswith("_")]


@pytest.mark.parametrize("name", kgo_terms())
def test_every_kgo_term_is_declared_in_the_ontology(name: str) -> None:
    graph = load_ontology().graph
    iri = URIRef(KGO_URI + name)
    assert (iri, RDF.type, None) in graph, f"kgo:{name} has no rdf:type in ontology/"
    assert (iri, RDFS.label, None) in graph, f"kgo:{name} has no rdfs:label"


def test_every_property_is_documented_with_domain_and_range() -> None:
    onto = load_ontology()
    graph = onto.graph
    assert len(onto.properties) >= 30
    for name, info in onto.properties.items():
        for predicate in (RDFS.label, RDFS.comment, RDFS.domain, RDFS.range):
            assert (info.iri, predicate, None) in graph, f"kgo:{name} lacks {predicate}"
        assert info.domain in onto.classes, f"kgo:{name} domain {info.domain}"
        assert info.range in onto.classes, f"kgo:{name} range {info.range}"


def test_inverse_pairs_are_consistent() -> None:
    onto = load_ontology()
    pairs = [(p, p.inverse) for p in onto.properties.values() if p.inverse]
    assert {("owns", "ownedBy"), ("parent", "child"), ("founded", "foundedBy")} <= {
        (p.name, q) for p, q in pairs
    }
    for info, inverse_name in pairs:
        inverse = onto.properties[inverse_name]
        assert inverse.inverse == info.name, f"{info.name} / {inverse_name}"
        assert (info.domain, info.range) == (inverse.range, inverse.domain), info.name


def test_symmetric_properties_have_matching_domain_and_range() -> None:
    onto = load_ontology()
    symmetric = {p.name for p in onto.properties.values() if p.symmetric}
    assert {"spouse", "sibling", "friendOf"} <= symmetric
    for name in symmetric:
        info = onto.properties[name]
        assert info.domain == info.range, name
        assert info.inverse is None, name


def test_triggers_are_lower_case_lemmas() -> None:
    for info in load_ontology().properties.values():
        for trigger in (*info.verb_triggers, *info.noun_triggers, *info.prep_triggers):
            assert trigger, info.name
            assert trigger == trigger.strip().lower(), (info.name, trigger)
            assert len(trigger.split()) <= 3, (info.name, trigger)
        for label in info.modifier_triggers:
            assert label.isupper(), (info.name, label)


def test_known_place_names_do_not_clash() -> None:
    onto = load_ontology()
    assert onto.class_for_name("France") == "Country"
    assert onto.class_for_name("Asia") == "Continent"
    assert onto.class_for_name("French") == "Nationality"
    assert onto.is_a("Country", "Place")
    assert onto.is_a("Country", "Nation")
    assert onto.is_a("Nationality", "Nation")
    assert not onto.is_a("Nationality", "Place")


def test_wikidata_alignment_covers_the_top_redocred_relations() -> None:
    if not REDOCRED_DEV.is_file():
        pytest.skip(f"Re-DocRED dev data not found at {REDOCRED_DEV}")
    docs = json.loads(REDOCRED_DEV.read_text(encoding="utf-8"))
    counts = Counter(label["r"] for doc in docs for label in doc["labels"])
    top = [pid for pid, _ in counts.most_common(20)]
    graph = load_ontology().graph
    aligned = {
        str(o)[len(str(WDT)) :]
        for o in graph.objects(None, OWL.equivalentProperty)
        if str(o).startswith(str(WDT))
    }
    missing = [pid for pid in top if pid not in aligned]
    assert not missing, f"top Re-DocRED relations without a kg property: {missing}"
    object_ids = {
        pid for info in load_ontology().properties.values() for pid in info.wikidata
    }
    # every top relation but the literal-valued ones is an object property kg extracts
    assert [pid for pid in top if pid not in object_ids] == [
        pid for pid in top if pid in LITERAL_RELATIONS
    ]


def test_wikidata_readings_follow_inverses_and_sub_properties() -> None:
    onto = load_ontology()
    assert ("P127", True) in onto.wikidata_relations("owns")
    assert ("P26", True) in onto.wikidata_relations("spouse")
    assert {("P17", False), ("P131", False)} <= set(onto.wikidata_relations("country"))
    assert onto.wikidata_relations("relatedTo") == ()


def test_class_nouns_name_one_class_each_mostly() -> None:
    onto = load_ontology()
    assert onto.classes_for_noun("village") == ("Place",)
    assert onto.classes_for_noun("album") == ("CreativeWork",)
    assert onto.classes_for_noun("Singer") == ("Person",)
    for noun, classes in onto.class_nouns.items():
        assert noun == noun.lower(), noun
        assert all(c in onto.classes for c in classes), (noun, classes)
