"""Event nouns read as their verbs, and clauses of saying, on constructed sentences."""

from __future__ import annotations

from spacy.language import Language

from tests.test_relations_nouns import _triples


def test_light_verb_with_an_event_noun_reads_the_verb(nlp: Language) -> None:
    found = _triples(nlp, "Springfield Police made an arrest of John Brown on Monday.")
    (t,) = [t for t in found if t.rule.endswith(":nominalisation")]
    assert (t.subject, t.predicate, t.object) == (
        "springfield police",
        "arrested",
        "john brown",
    )


def test_with_an_event_noun_gives_it_the_clause_subject(nlp: Language) -> None:
    text = "The Springfield Lions stayed unbeaten with a victory over the Acme Rovers."
    found = {(t.predicate, t.object) for t in _triples(nlp, text)}
    assert ("defeated", "the acme rovers") in found


def test_an_event_noun_under_a_content_verb_is_no_deed(nlp: Language) -> None:
    # a predicted victory is no victory
    found = _triples(nlp, "Maria Lopez predicted a victory over John Brown.")
    assert not [t for t in found if t.predicate == "defeated"]


def test_a_charge_with_an_event_noun_is_no_deed(nlp: Language) -> None:
    found = _triples(nlp, "John Brown was charged with the attack on Maria Lopez.")
    assert not [t for t in found if t.predicate == "attacked"]


def test_a_clause_of_saying_stays_reported(nlp: Language) -> None:
    found = _triples(nlp, "John Brown said Maria Lopez bought the Acme Building.")
    (t,) = [t for t in found if t.predicate == "owns"]
    assert t.modality == "reported"
