"""Passive-only verb triggers ("be find in") on constructed sentences.

A clause's lemma is its main verb's ("was found" gives "find"); the passive
is recorded in the clause frame, and the ontology writes a trigger that
holds only of the passive as "be <lemma> ...".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import OntologyError
from kg.ontology import _trigger_problem, load_ontology, ontology_dir
from tests.test_relations_nouns import _triples


def _facts(nlp: Language, text: str) -> set[tuple[str, str, str]]:
    return {(t.subject, t.predicate, t.object) for t in _triples(nlp, text)}


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "Jonas Pettersen was found dead in Lake Varmo on Sunday.",
            ("jonas pettersen", "foundAt", "lake varmo"),
        ),
        (
            "Jonas Pettersen was discovered at Brindle Park.",
            ("jonas pettersen", "foundAt", "brindle park"),
        ),
        (
            "Jonas Pettersen, found in Brindle Park, was taken to a clinic.",
            ("jonas pettersen", "foundAt", "brindle park"),
        ),
        (
            "Jonas Pettersen was admitted to Hallow Creek Prison.",
            ("jonas pettersen", "entered", "hallow creek prison"),
        ),
        (
            "Jonas Pettersen was taken to Hallow Creek Prison.",
            ("jonas pettersen", "entered", "hallow creek prison"),
        ),
        (
            "Jonas Pettersen was transferred to Hallow Creek Prison.",
            ("jonas pettersen", "entered", "hallow creek prison"),
        ),
        (
            "Jonas Pettersen was moved to Hallow Creek Prison.",
            ("jonas pettersen", "entered", "hallow creek prison"),
        ),
        (
            "Jonas Pettersen was released from Hallow Creek Prison.",
            ("jonas pettersen", "left", "hallow creek prison"),
        ),
        (
            "Jonas Pettersen was discharged from Hallow Creek Prison.",
            ("jonas pettersen", "left", "hallow creek prison"),
        ),
        (
            "Mira Santos was awarded the Medal of Honor.",
            ("mira santos", "awardReceived", "the medal of honor"),
        ),
    ],
)
def test_a_passive_reads_its_passive_trigger(
    nlp: Language, text: str, fact: tuple[str, str, str]
) -> None:
    assert fact in _facts(nlp, text)


@pytest.mark.parametrize(
    ("text", "prop"),
    [
        # the finder is not found there
        ("Police found Jonas Pettersen in Lake Varmo on Sunday.", "foundAt"),
        ("Jonas Pettersen found a wallet in Lake Varmo.", "foundAt"),
        # the one who takes or transfers does not enter
        ("Jonas Pettersen took Mira Santos to Hallow Creek Prison.", "entered"),
        ("Jonas Pettersen transferred the money to Hallow Creek Bank.", "entered"),
        ("Jonas Pettersen moved to Brindle Park.", "entered"),
        # the one who releases or discharges does not leave
        ("Jonas Pettersen released a statement from Hallow Creek Prison.", "left"),
        ("Jonas Pettersen discharged his gun near Hallow Creek Prison.", "left"),
        # the giver of an award does not receive it
        ("Mira Santos awarded the Medal of Honor to Jonas Pettersen.", "awardReceived"),
    ],
)
def test_the_active_does_not_read_a_passive_trigger(
    nlp: Language, text: str, prop: str
) -> None:
    assert prop not in {p for _, p, _ in _facts(nlp, text)}


def test_a_located_place_stays_located_not_found(nlp: Language) -> None:
    found = _facts(nlp, "Brindle is located in Varmo County.")
    assert ("brindle", "locatedIn", "varmo county") in found
    assert not [f for f in found if f[1] == "foundAt"]


def test_every_passive_trigger_names_a_verb_lemma(nlp: Language) -> None:
    # "be found in" would never match: the clause's lemma is "find"
    onto = load_ontology()
    lemmatizer = nlp.get_pipe("lemmatizer")
    infos = [*onto.properties.values(), *onto.value_properties.values()]
    passives = [t for p in infos for t in p.verb_triggers if t.startswith("be ")]
    assert passives  # the ontology has passive-only triggers
    for trigger in passives:
        word = trigger.split()[1]
        doc = lemmatizer(Doc(nlp.vocab, words=[word], pos=["VERB"], tags=["VBN"]))
        assert doc[0].lemma_ == word, trigger


def test_the_lemma_check_catches_a_participle(nlp: Language) -> None:
    lemmatizer = nlp.get_pipe("lemmatizer")
    doc = lemmatizer(Doc(nlp.vocab, words=["found"], pos=["VERB"], tags=["VBN"]))
    assert doc[0].lemma_ != "found"


@pytest.mark.parametrize(
    "trigger", ["was found in", "be find be", "Be Find In", "is locate in"]
)
def test_an_unmatchable_trigger_is_named(trigger: str) -> None:
    assert _trigger_problem(trigger) is not None


@pytest.mark.parametrize("trigger", ["be find in", "find", "take part in", "be in"])
def test_a_matchable_trigger_passes(trigger: str) -> None:
    assert _trigger_problem(trigger) is None


def test_an_ontology_with_an_unmatchable_trigger_does_not_load(tmp_path: Path) -> None:
    for path in ontology_dir().glob("*.ttl"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"))
    extra = tmp_path / "zz-bad.ttl"
    extra.write_text(
        "@prefix kgo: <https://w3id.org/kg/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "kgo:spottedAt a owl:ObjectProperty ;\n"
        "    rdfs:subPropertyOf kgo:relatedTo ;\n"
        "    rdfs:domain kgo:Entity ; rdfs:range kgo:Place ;\n"
        '    kgo:verbTrigger "was spotted at" .\n',
        encoding="utf-8",
    )
    with pytest.raises(OntologyError, match="was spotted at"):
        load_ontology(tmp_path)
    extra.unlink()
    assert "spottedAt" not in load_ontology(tmp_path).properties
