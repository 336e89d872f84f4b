"""Relation extraction: clauses, and entity triples normalised to the ontology.

Two layers:

* :func:`extract_clauses` reads open-domain clauses (relation + argument
  texts, as OpenIE systems do) from the dependency parse.
* Extractors turn the same reading into :class:`~kg.types.Triple` objects
  between entities. They come from a registry (``kg.clauses.v1`` is the
  default, ``kg.svo.v1`` the older subject-verb-object one); other packages
  plug in through the ``kg_extractors`` entry-point group. An extractor is a
  callable ``(doc, entities, doc_id) -> Iterator[Triple | Entity]``: the
  entities it yields are described, unnamed things ("the zoo") that take
  part in a fact.

Relation words live in the ontology as data (``kgo:verbTrigger``,
``kgo:nounTrigger``, ``kgo:prepTrigger``, ``kgo:modifierTrigger``,
``kgo:structureTrigger``, and ``kgo:knownName`` for countries, continents and
nationalities); this module holds only grammar.

What ``kg.clauses.v1`` reads, and how sure it is
------------------------------------------------
* Clauses: subject (own, shared by a conjoined verb, the antecedent of a
  relative clause or participle, the controller of "asks X to do Y", the
  clause subject of a gerund) against each object, indirect object,
  prepositional object (a passive's "by" agent swaps the roles) and names
  nested in them. Confidence starts from how the subject was found (0.9 for
  its own subject down to 0.6 for a participle) and drops for long
  arguments and long sentences.
* Predicate nouns ("X is the owner of Y", "X, a town in Y", "her father,
  Z", "American singer Z"), possessives ("Y's zoo"), "X in Y" and place
  chains ("Vancouver, British Columbia, Canada").
* Light verbs read with their noun ("showed interest in Y", "filed a
  lawsuit against Y"), a nested phrase's last preposition ("plotted a
  campaign of lies against Y"), a role noun apposed to a possessive name
  ("in her father, Z's footsteps"), a work's name before a role noun
  ("Some Show star Z", also in a headline's loose parse).
* Weak defaults, marked by their rule and a low confidence: names anywhere
  in a clause (``clause-scope``), the one country a sentence or a text names
  (``sentence-country``, ``document-country``), locations through chains
  (``transitive``), a sub-property's parent, also through an inverse
  (``+entailed``: performer(W, P) gives notableWork(P, W)), and a generic
  fact typed by its arguments' classes where the ontology lists a
  ``default`` structure trigger (``+class-default``: a person and an event
  give participantIn).
* Guesses from the document context, which no sentence states, only with
  the ``kg.clauses.v1+context`` extractor (they are right 22-40% of the
  time on Re-DocRED): the country named last before an unplaced place or
  body (``recent-country``), the one nation a text names for a person
  (``recent-nation``).
* Kinship lists: the people a plural kinship noun lists are siblings ("his
  sons A and B"); the two parents of "the son of A and B" are spouses.
* Reciprocal clauses: conjoined subjects of a verb the ontology marks
  ``reciprocal`` and used without object ("A and B clashed", "A and B met")
  or of a plural relational noun ("A and B are friends") relate each other.
* A possessed noun no property takes still links its bearer to the
  possessor under ``relatedTo`` ("his lawyer, X": ``relational-noun``); a
  person noun joined to a body by at/with/for is employment ("a detective
  with Y": ``occupation``).
* Described things ("her husband") are told apart by their possessor, and
  a possessive states ownership only of a noun of an ownable class (a
  pronoun owns only places and things: "my zoo", not "his team").
* A clause under a verb of asking or wanting ("asked Y to help Z") is
  hedged.
* Negated clauses give no triple; hedged and reported ones keep their
  :data:`~kg.types.Modality`. A generic ``relatedTo`` triple is dropped where
  a specific property links the same pair in that sentence, and a described
  thing becomes a node only where it carries a fact.
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
