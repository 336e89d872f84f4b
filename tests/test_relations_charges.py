"""Charges and verdicts (rule legal-charge), on constructed sentences."""

from __future__ import annotations

from spacy.language import Language

from kg.types import Triple
from tests.test_relations_nouns import _triples


def _by(found: list[Triple], prop: str) -> set[tuple[str, str, str]]:
    return {(t.subject, t.object, t.modality) for t in found if t.predicate == prop}


def test_charged_with_the_murder_of_names_the_victim(nlp: Language) -> None:
    found = _triples(nlp, "Otto Brandt was charged with the murder of Greta Lind.")
    assert _by(found, "chargedWithCrimeAgainst") == {
        ("otto brandt", "greta lind", "asserted")
    }


def test_active_charge_takes_its_object_as_the_accused(nlp: Language) -> None:
    found = _triples(nlp, "Prosecutors charged Otto Brandt with murdering Greta Lind.")
    assert ("otto brandt", "greta lind", "asserted") in _by(
        found, "chargedWithCrimeAgainst"
    )


def test_the_deed_of_a_charge_is_not_stated_as_done(nlp: Language) -> None:
    found = _triples(nlp, "Otto Brandt was charged with killing Greta Lind.")
    assert all(t.modality != "asserted" for t in found if t.predicate == "killed")


def test_found_guilty_of_conjoined_crimes_names_each_victim(nlp: Language) -> None:
    text = "Otto Brandt was found guilty of slaying Greta Lind and wounding Hans Meyer."
    found = _by(_triples(nlp, text), "convictedOfCrimeAgainst")
    assert {(s, o) for s, o, _ in found} == {
        ("otto brandt", "greta lind"),
        ("otto brandt", "hans meyer"),
    }


def test_a_negated_charge_is_not_asserted(nlp: Language) -> None:
    text = "Otto Brandt was not charged in the death of Greta Lind."
    found = _by(_triples(nlp, text), "chargedWithCrimeAgainst")
    assert found == {("otto brandt", "greta lind", "negated")}


def test_a_suspicion_gives_no_charge(nlp: Language) -> None:
    text = "Otto Brandt is suspected of killing Greta Lind."
    assert not _by(_triples(nlp, text), "chargedWithCrimeAgainst")


def test_a_thing_is_never_the_accused(nlp: Language) -> None:
    text = "The hearing, charged with the murder of Greta Lind, was adjourned."
    assert not _by(_triples(nlp, text), "chargedWithCrimeAgainst")
