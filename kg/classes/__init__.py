"""Entity classes from all of an entity's evidence, and the nodes worth drawing.

The stage after coreference and relation extraction, before the RDF
(:func:`type_document`):

* :mod:`~kg.classes.evidence`: registered, versioned rules read each cue of
  an entity's class (NER labels weighted by their measured reliability,
  known names, the name's own words, titles, given names, predicate
  nominals, appositives, linked descriptions and pronouns, the domain and
  range of its relations) as :class:`Vote` objects;
* :mod:`~kg.classes.reliability`: how often each NER label is right for each
  class, measured on the inspect sets by ``python -m kg.classes.reliability``;
* :mod:`~kg.classes.decide`: the votes weighed into a class, or ``Thing``
  where the evidence is weak (a person needs person evidence);
* :mod:`~kg.classes.nodes`: registered rules that drop what is no node (a
  bare common noun, a name fragment, a capitalised common word, a
  description that carries no fact, page furniture);
* :mod:`~kg.classes.stage`: the stage itself; triples whose domain or range
  the decided classes break are dropped, and so are those of dropped nodes.
"""

from __future__ import annotations

from kg.classes.decide import (
    ClassDecision,
    decide_class,
    families,
    family_of,
    merge_families,
)
from kg.classes.evidence import (
    DEFAULT_RULES,
    PERSON_CUES,
    Vote,
    collect_votes,
    evidence_rules,
    make_context,
)
from kg.classes.nodes import DEFAULT_NODE_RULES, node_rules, select_nodes
from kg.classes.reliability import Reliability, load_reliability
from kg.classes.stage import Typed, fits, settle_classes, type_document

__all__ = [
    "DEFAULT_NODE_RULES",
    "DEFAULT_RULES",
    "PERSON_CUES",
    "ClassDecision",
    "Reliability",
    "Typed",
    "Vote",
    "collect_votes",
    "decide_class",
    "evidence_rules",
    "families",
    "family_of",
    "fits",
    "load_reliability",
    "make_context",
    "merge_families",
    "node_rules",
    "select_nodes",
    "settle_classes",
    "type_document",
]
