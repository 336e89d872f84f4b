"""Round-6 precision rules from the Re-DocRED inspect set; constructed text.

An act or a quality ("the redesign of Y") is placed nowhere; a fact whose
subject the typing stage decides is a person takes the person's form of its
property (country -> citizenOf; a person "in" a place is not located there,
unless a verb says so);
a name closed by "Records" or "Bros." is a company's; an isthmus is a place;
a sub-property's fact reads as its parents' Wikidata ids too (wrote -> P800).
"""

from __future__ import annotations

from spacy.language import Language

from kg.build import extract_document
from kg.classes import type_document
from kg.eval.facts import PredFact, tally_facts, wikidata_forms
from kg.types import Entity, Mention, Provenance, Triple
from tests.test_relations_of_places import _triples


def _entity(text: str, key: str, name: str, label: str = "") -> Entity:
    start = text.index(name)
    return Entity(
        key, "Thing", name, (Mention(name, label, start, start + len(name), 0),)
    )


def test_an_act_of_a_place_is_not_located_there(nlp: Language) -> None:
    text = "In the 1950s, Odenvik advocated for the redesign of Brenford, to add roads."
    found = _triples(nlp, text)
    assert not [t for t in found if t.predicate in {"locatedIn", "country"}]


def test_a_described_place_is_still_located(nlp: Language) -> None:
    found = _triples(nlp, "Borvik belongs to the region of Varland.")
    assert [t for t in found if t.predicate == "locatedIn" and t.object == "varland"]


def test_a_person_subject_takes_citizen_of_not_country(nlp: Language) -> None:
    text = "Jorvan Pelt is a racer. He won twice in Canada."
    doc = nlp(text)
    jorvan = _entity(text, "jorvan", "Jorvan Pelt", "PERSON")
    place = _entity(text, "canada", "Canada", "GPE")
    prov = Provenance("t", 0, 0, 22, text[:22])
    country = Triple("jorvan", "country", "canada", prov, rule="x:modifier")
    located = Triple("jorvan", "locatedIn", "canada", prov, rule="x:noun-prep")
    held = Triple("jorvan", "locatedIn", "canada", prov, rule="x:verb:own")
    typed = type_document(doc, [jorvan, place], (country, located, held))
    assert {e.key: e.label for e in typed.entities}["jorvan"] == "Person"
    assert [(t.predicate, t.rule) for t in typed.triples] == [
        ("citizenOf", "x:modifier+person"),
        ("relatedTo", "x:noun-prep+person"),
        ("locatedIn", "x:verb:own"),  # "he is held in Y": a verb states it
    ]


def test_a_records_label_named_after_a_given_name_is_a_company(nlp: Language) -> None:
    document = extract_document(
        nlp("The album was released by Harriet Records in 1994."), doc_id="t"
    )
    classes = {e.name: e.label for e in document.entities}
    assert classes.get("Harriet Records") == "Organization"


def test_an_isthmus_is_a_place(nlp: Language) -> None:
    document = extract_document(
        nlp("Dorothy Neck is a narrow isthmus. Dorothy Neck is windy."), doc_id="t"
    )
    assert {e.name: e.label for e in document.entities}.get("Dorothy Neck") == "Place"


def test_wrote_reads_as_notable_work_through_its_parent() -> None:
    assert ("P800", False) in wikidata_forms("wrote")
    fact = PredFact(
        "a", "w", frozenset({0}), frozenset({1}), "wrote", True, wikidata_forms("wrote")
    )
    tally = tally_facts(
        [(0, "P800", 1)], [fact], symmetric=frozenset(), in_scope=frozenset({"P800"})
    )
    assert tally.pred_typed_ok == 1
