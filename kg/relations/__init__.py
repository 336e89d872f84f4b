"""Relation extraction: clauses, and entity triples normalised to the ontology.

Two layers:

* :func:`extract_clauses` reads open-domain clauses (relation + argument
  texts, as OpenIE systems do) from the dependency parse.
* Extractors turn the same reading into :class:`~kg.types.Triple` objects
  between entities. They come from a registry (``kg.clauses.v3`` is the
  default; ``kg.clauses.v3+context`` adds guesses from the document
  context; ``kg.clauses.v1`` is the previous default, ``kg.svo.v1`` the
  older subject-verb-object one); other packages plug in through the
  ``kg_extractors`` entry-point group. An extractor is a callable ``(doc,
  entities, doc_id) -> Iterator[Triple | Entity]``: the entities it yields
  are described, unnamed things ("the zoo") that take part in a fact.

Data, not code: relation words live in the ontology (``kgo:verbTrigger``,
``kgo:nounTrigger``, ``kgo:prepTrigger``, ``kgo:modifierTrigger``,
``kgo:structureTrigger``, and ``kgo:knownName`` for countries, continents and
nationalities); dependency shapes that state a fact are patterns in
``ontology/patterns/*.json``, run by :mod:`kg.relations.engine`; the word
lists the rules read (polarity, light and reporting verbs, prepositions of
roles and places) are ``ontology/lexicons/*``.

The package, in data-flow order: ``parse`` (arguments and subjects of the
dependency parse), ``polarity`` (negated, asked, hedged, reported),
``clauses`` (open IE frames), ``nodes`` (arguments to graph nodes, the
choice of a property), ``verbs``, ``nouns`` and ``places`` (the rule
families), ``engine`` (the data patterns), ``context`` (the opt-in
guesses), ``triples`` (the extractors), ``values`` (dates).

What ``kg.clauses.v3`` reads: facts its sentence states
-------------------------------------------------------
* Clauses: subject (own, shared by a conjoined verb, the antecedent of a
  relative clause or participle, the controller of "asks X to do Y", the
  clause subject of a gerund) against each object, indirect object,
  prepositional object (a passive's "by" agent swaps the roles) and names
  nested in them. Confidence starts from how the subject was found (0.9 for
  its own subject down to 0.6 for a participle) and drops for long
  arguments and long sentences.
* Predicate nouns ("X is the owner of Y", "X, a town in Y", "her father,
  Z"), possessives ("Y's zoo"), "X in Y", place chains ("Vancouver, British
  Columbia, Canada") and the pattern families of ``ontology/patterns/``
  ("Canadian actor Z", "the Acme Works in Springfield", "Elm Street,
  Oakfield", "an Acme factory", "Acme Rescue in Oakfield").
* Light verbs read with their noun ("showed interest in Y", "filed a
  lawsuit against Y"), a nested phrase's last preposition ("plotted a
  campaign of lies against Y"), a role noun apposed to a possessive name
  ("in her father, Z's footsteps"), a work's name before a role noun
  ("Some Show star Z", also in a headline's loose parse).
* Kinship lists, reciprocal clauses ("A and B met", "A and B are
  friends"), occupations ("a detective with Y"), and a generic fact typed
  by its arguments' classes where the ontology lists a ``default``
  structure trigger (``+class-default``).
* A generic ``relatedTo`` fact needs words that state a relation: a
  content verb or a relational noun ("his lawyer, X"), never a copula, a
  light verb, a verb of saying, thinking or wanting alone, a name somewhere
  in the clause, a nationality, or a verb of place before a place ("was
  shot in Y"). It is dropped where a specific property links the same pair
  in that sentence, and a described thing becomes a node only where it
  carries a fact. A described thing a name places, owns or possesses has
  one key in every document of a corpus (:mod:`~kg.relations.described`:
  "her lawyer" of one Z is one node).
* Every fact carries its clause's :data:`~kg.types.Modality`: negated and
  asked ones are kept (the RDF reifies them) but never asserted; hedged
  and reported ones say so. No self-loop, and no entailed parent property
  as a second edge (``country`` is not also drawn as ``locatedIn``).

Only with ``kg.clauses.v3+context``: guesses no sentence states
---------------------------------------------------------------
The one country a sentence or a text names (``sentence-country``,
``document-country``), the country named last before an unplaced place or
body (``recent-country``), the one nation a text names for a person
(``recent-nation``) and locations through chains (``transitive``). They
are right 22-70% of the time on Re-DocRED and carry confidences of
0.15-0.3.
"""

from __future__ import annotations

from kg.relations.clauses import extract_clauses
from kg.relations.registry import (
    DEFAULT_EXTRACTOR,
    Extractor,
    extractors,
    get_extractor,
    register_extractor,
)
from kg.relations.triples import (
    extract_relations,
    extract_triples,
    normalise_relation,
)
from kg.relations.values import extract_value_facts

__all__ = [
    "DEFAULT_EXTRACTOR",
    "Extractor",
    "extract_clauses",
    "extract_relations",
    "extract_triples",
    "extract_value_facts",
    "extractors",
    "get_extractor",
    "normalise_relation",
    "register_extractor",
]
