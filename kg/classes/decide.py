"""Weigh an entity's class evidence and decide its class, or ``Thing``.

The votes of :mod:`kg.classes.evidence` are summed per class *family* (the
classes right under ``kgo:Entity`` and ``kgo:Agent``: Person, Organization,
Place, Group, CreativeWork, Event, Product, Language, Belief); a vote for a
subclass counts for its family, a vote for a wider class (``Agent``, from a
relation's domain) for every family under it. The family with the most
weight wins when:

* its weight reaches :data:`MIN_WEIGHT` (one reliable NER label does, a
  one-word ``PERSON`` span alone does not);
* no other family comes within :data:`TIE_SHARE` of it;
* for ``Person``, person evidence (a title, a given name, a person noun,
  he/she, a relation only a person takes) weighs at least
  :data:`MIN_PERSON_EVIDENCE`; without it the next family may win, else the
  entity is a ``Thing``.

Within the family the most specific class that holds at least half of the
family's weight is chosen ("Software" over "Product", "Country" over
"Place"). Every decision keeps its votes, so it can say why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.classes.evidence import PERSON_CUES, Vote
from kg.ontology import Ontology, load_ontology
from kg.types import Entity

__all__ = [
    "DECIDE",
    "MIN_PERSON_EVIDENCE",
    "MIN_WEIGHT",
    "TIE_SHARE",
    "ClassDecision",
    "decide_class",
    "families",
    "family_of",
    "merge_families",
]

DECIDE = "kg.classes.decide.v1"
#: Weight a family needs to be chosen at all.
MIN_WEIGHT = 1.0
#: A runner-up with this share of the winner's weight makes the call a tie.
TIE_SHARE = 0.85
#: Person evidence a person needs.
MIN_PERSON_EVIDENCE = 1.0
#: Share of its family's weight a subclass needs to be chosen.
SUBCLASS_SHARE = 0.5
_FALLBACK = "Thing"
_NOT_FAMILIES = frozenset({"Entity", "Agent", "Thing", "Nation"})
#: families by ontology (an Ontology holds mappings: it does not hash)
_FAMILIES: dict[int, tuple[Ontology, tuple[str, ...]]] = {}


@dataclass(frozen=True, slots=True)
class ClassDecision:
    """The class decided for one entity, and the evidence it was decided on.

    Examples
    --------
    >>> v = Vote("Person", 3.0, "kg.classes.title.v1", "title 'Dr.'")
    >>> d = decide_class((v,))
    >>> d.cls, d.explain().split(": ")[1]
    ('Person', "+3.0 Person kg.classes.title.v1 title 'Dr.'")
    """

    cls: str
    votes: tuple[Vote, ...]
    weights: tuple[tuple[str, float], ...]
    reason: str = ""
    rule: str = DECIDE

    def explain(self) -> str:
        """Say the class, the rule and each vote, strongest first."""
        votes = sorted(self.votes, key=lambda v: -abs(v.weight))
        parts = [f"{v.weight:+.1f} {v.cls} {v.rule} {v.cue}" for v in votes]
        head = f"{self.cls} ({self.rule}{'; ' + self.reason if self.reason else ''})"
        return head + (": " + "; ".join(parts) if parts else "")


def families(onto: Ontology | None = None) -> tuple[str, ...]:
    """Return the class families: the classes right under Entity and Agent.

    Examples
    --------
    >>> {"Person", "Organization", "Place", "Belief"} <= set(families())
    True
    >>> "Country" in families()
    False
    """
    onto = onto or load_ontology()
    known = _FAMILIES.get(id(onto))
    if known is not None and known[0] is onto:
        return known[1]
    found = [
        c
        for c in onto.classes
        if c not in _NOT_FAMILIES
        and onto.is_a(c, "Entity")
        and set(onto.superclasses.get(c, ())) <= {"Entity", "Agent"}
    ]
    _FAMILIES[id(onto)] = (onto, tuple(sorted(found)))
    return _FAMILIES[id(onto)][1]


def family_of(cls: str, onto: Ontology | None = None) -> str:
    """Return the family of a class (the class under Entity or Agent), or Thing.

    Examples
    --------
    >>> family_of("Country"), family_of("Publication"), family_of("Thing")
    ('Place', 'Organization', 'Thing')
    """
    onto = onto or load_ontology()
    return next((f for f in families(onto) if onto.is_a(cls, f)), _FALLBACK)


def merge_families(entity: Entity, onto: Ontology | None = None) -> frozenset[str]:
    """Return the families an entity may be linked across documents within.

    A typed entity's own family; an untyped ``Thing`` (weak evidence in its
    document: a lone surname, a headline name) the families of its mentions'
    NER labels, so that it still links to the one entity of that name that
    another document typed.

    Examples
    --------
    >>> from kg.types import Mention
    >>> m = Mention("Vantry", "PERSON", 0, 6, 0)
    >>> sorted(merge_families(Entity("v", "Thing", "Vantry", (m,))))
    ['Person']
    >>> sorted(merge_families(Entity("v", "Country", "Vantry", (m,))))
    ['Place']
    """
    onto = onto or load_ontology()
    family = family_of(entity.label, onto)
    if family != _FALLBACK:
        return frozenset({family})
    found = {
        family_of(cls, onto)
        for m in entity.mentions
        if m.label and (cls := onto.class_for_ner_label(m.label)) is not None
    }
    return frozenset(found or {_FALLBACK})


def _family_weights(
    votes: Iterable[Vote], onto: Ontology, fams: Sequence[str]
) -> dict[str, float]:
    weights: dict[str, float] = defaultdict(float)
    for v in votes:
        for fam in fams:
            # a vote for a subclass counts for its family; a vote for a wider
            # class (Agent) for every family under it
            if onto.is_a(v.cls, fam) or onto.is_a(fam, v.cls):
                weights[fam] += v.weight
    return weights


def _person_evidence(votes: Iterable[Vote]) -> float:
    return sum(v.weight for v in votes if v.cls == "Person" and v.rule in PERSON_CUES)


def _subclass(votes: Sequence[Vote], family: str, total: float, onto: Ontology) -> str:
    """Return the most specific class of a family holding enough of its weight."""
    support: dict[str, float] = defaultdict(float)
    for v in votes:
        if not onto.is_a(v.cls, family):
            continue
        for cls in (v.cls, *onto.superclasses.get(v.cls, ())):
            if onto.is_a(cls, family):
                support[cls] += v.weight
    fitting = [c for c, w in support.items() if w > 0 and w >= SUBCLASS_SHARE * total]
    if not fitting:
        return family
    return max(
        fitting, key=lambda c: (len(onto.superclasses.get(c, ())), support[c], c)
    )


def decide_class(
    votes: Sequence[Vote], *, onto: Ontology | None = None
) -> ClassDecision:
    """Decide a class from the votes (see the module docstring).

    Examples
    --------
    >>> ner = Vote("Person", 1.0, "kg.classes.ner.v1", "PERSON 'Tarnby'")
    >>> decide_class((ner,)).cls
    'Thing'
    >>> org = Vote("Organization", 1.2, "kg.classes.ner.v1", "ORG 'Acme'")
    >>> decide_class((org,)).cls
    'Organization'
    """
    onto = onto or load_ontology()
    fams = families(onto)
    weights = _family_weights(votes, onto, fams)
    ranked = sorted(
        ((w, f) for f, w in weights.items() if w > 0), key=lambda x: (-x[0], x[1])
    )
    table = tuple((f, round(w, 3)) for w, f in ranked)
    reason = ""
    if (
        ranked
        and ranked[0][1] == "Person"
        and _person_evidence(votes) < MIN_PERSON_EVIDENCE
    ):
        # the next family must win on its own votes, not on a shared "Agent"
        own = [v for v in votes if v.cls in onto.classes and v.cls != "Agent"]
        rest = _family_weights(own, onto, fams)
        ranked = sorted(
            ((w, f) for f, w in rest.items() if w > 0 and f != "Person"),
            key=lambda x: (-x[0], x[1]),
        )
        reason = "no person evidence"
    if not ranked or ranked[0][0] < MIN_WEIGHT:
        return ClassDecision(_FALLBACK, tuple(votes), table, reason or "weak evidence")
    best, family = ranked[0]
    if len(ranked) > 1 and ranked[1][0] >= TIE_SHARE * best:
        tie = f"{family} and {ranked[1][1]} tie"
        return ClassDecision(_FALLBACK, tuple(votes), table, tie)
    cls = _subclass(votes, family, best, onto)
    return ClassDecision(cls, tuple(votes), table, reason)


def decision_map(
    decisions: Mapping[str, ClassDecision],
) -> dict[str, str]:
    """Map entity keys to their decided class.

    Examples
    --------
    >>> decision_map({"a": ClassDecision("Person", (), ())})
    {'a': 'Person'}
    """
    return {key: d.cls for key, d in decisions.items()}
