"""Relation extraction: clause-level open IE and ontology-normalised triples.

Each test uses a short constructed sentence (never one of the sample
article's) and asserts the relation/arguments or the normalised triple.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.relations import extract_clauses
from kg.types import Clause


def clauses(nlp: Language, text: str) -> list[Clause]:
    return list(extract_clauses(nlp(text)))


def pairs(nlp: Language, text: str) -> set[tuple[str, tuple[str, ...]]]:
    return {(c.relation, c.arguments) for c in clauses(nlp, text)}


# --- clauses ------------------------------------------------------------------


def test_active_subject_verb_object(nlp: Language) -> None:
    assert ("bought", ("The farmer", "a tractor")) in pairs(
        nlp, "The farmer bought a tractor."
    )


def test_verb_preposition_object_goes_into_relation(nlp: Language) -> None:
    assert ("wrote to", ("Maria", "the mayor")) in pairs(nlp, "Maria wrote to the mayor.")


def test_passive_keeps_agent(nlp: Language) -> None:
    found = pairs(nlp, "The bridge was designed by a young engineer.")
    assert ("was designed by", ("The bridge", "a young engineer")) in found


def test_indirect_object(nlp: Language) -> None:
    found = pairs(nlp, "The bank gave the company a loan.")
    assert ("gave", ("The bank", "the company", "a loan")) in found


def test_conjoined_subjects_give_one_clause_each(nlp: Language) -> None:
    found = pairs(nlp, "Peter and Susan visited the museum.")
    assert ("visited", ("Peter", "the museum")) in found
    assert ("visited", ("Susan", "the museum")) in found


def test_conjoined_objects_give_one_clause_each(nlp: Language) -> None:
    found = pairs(nlp, "The chef cooked pasta and soup.")
    assert ("cooked", ("The chef", "pasta")) in found
    assert ("cooked", ("The chef", "soup")) in found


def test_conjoined_verbs_share_the_subject(nlp: Language) -> None:
    found = pairs(nlp, "The senator wrote a book and founded a charity.")
    assert ("wrote", ("The senator", "a book")) in found
    assert ("founded", ("The senator", "a charity")) in found


def test_relative_clause_subject_is_the_antecedent(nlp: Language) -> None:
    found = pairs(nlp, "He met a lawyer who represents the union.")
    assert ("represents", ("a lawyer", "the union")) in found


def test_relative_clause_object_gap(nlp: Language) -> None:
    found = pairs(nlp, "The house that the architect built was sold.")
    assert ("built", ("the architect", "The house")) in found


def test_copula(nlp: Language) -> None:
    assert ("is", ("The museum", "a popular attraction")) in pairs(
        nlp, "The museum is a popular attraction."
    )


def test_appositive(nlp: Language) -> None:
    found = pairs(nlp, "John Smith, the owner of the bakery, sued the city.")
    assert ("is", ("John Smith", "the owner of the bakery")) in found
    assert ("sued", ("John Smith", "the city")) in found


def test_possessive(nlp: Language) -> None:
    found = pairs(nlp, "The police searched Robert's old farm.")
    assert ("has", ("Robert", "old farm")) in found


def test_clausal_complement_with_object_control(nlp: Language) -> None:
    found = pairs(nlp, "She asked the governor to pardon her brother.")
    assert ("asked", ("She", "the governor")) in found
    assert ("to pardon", ("the governor", "her brother")) in found


def test_clausal_complement_as_argument(nlp: Language) -> None:
    found = clauses(nlp, "The study showed that the drug reduces pain.")
    assert ("showed that", ("The study", "the drug reduces pain")) in {
        (c.relation, c.arguments) for c in found
    }
    inner = [c for c in found if c.relation == "reduces"]
    assert inner and inner[0].modality == "reported"


def test_negation_is_flagged(nlp: Language) -> None:
    (clause,) = [c for c in clauses(nlp, "The firm did not pay the workers.")]
    assert clause.negated
    assert "not" in clause.relation.split()


def test_hedged_modal(nlp: Language) -> None:
    found = [c for c in clauses(nlp, "The company may sell the factory.")]
    assert found and all(c.modality == "hedged" for c in found)


def test_plain_statement_is_asserted(nlp: Language) -> None:
    found = clauses(nlp, "The company sold the factory.")
    assert found and all(c.modality == "asserted" and not c.negated for c in found)


def test_arguments_are_exact_token_text_of_ptb_input(nlp: Language) -> None:
    text = "The mayor of Pittsburgh 's largest suburb opened a new school ."
    words = set(text.split())
    for clause in clauses(nlp, text):
        for part in clause.arguments:
            assert set(part.split()) <= words, part


@pytest.mark.parametrize(
    "text",
    ["The farmer bought a tractor.", "The bridge was designed by a young engineer."],
)
def test_confidence_in_unit_interval_and_sentence_index(nlp: Language, text: str) -> None:
    doc = nlp("It rained. " + text)
    found = list(extract_clauses(doc))
    assert found
    assert all(0.0 <= c.confidence <= 1.0 and c.sent_index == 1 for c in found)
