"""Entity classes against gold types: is every named node of the right class.

A node stands for the gold entity most of its mentions match
(:func:`kg.eval.matching.gold_of_entities`). For each named node standing for
one named gold entity, its class *family* (the class right under
``kgo:Entity`` or ``kgo:Agent``: Person, Organization, Place, Group,
CreativeWork, Event, Product, Language, Belief; ``Thing`` for an untyped
node) is compared with the gold type's family. Gold types are mapped per
data set: kg's own classes (news gold), Re-DocRED's PER/ORG/LOC/MISC and
GUM's person/organization/place/... (``Other``: any family but Person,
Organization and Place, so an untyped ``Thing`` is never right).

Reported: the class accuracy, the share typed ``Thing``, and how many of the
nodes with a person class are gold persons.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.eval.clusters import fmt, ratio
from kg.eval.matching import gold_of_entities
from kg.types import Document

__all__ = [
    "GUM_FAMILIES",
    "OTHER",
    "REDOCRED_FAMILIES",
    "ClassScores",
    "ClassTally",
    "GoldEntity",
    "class_family",
    "tally_classes",
]

#: Gold family standing for any class but Person, Organization and Place.
OTHER = "Other"
_MAIN = frozenset({"Person", "Organization", "Place"})
#: Re-DocRED entity types mapped to class families (TIME and NUM are values).
REDOCRED_FAMILIES: Mapping[str, str] = {
    "PER": "Person",
    "ORG": "Organization",
    "LOC": "Place",
    "MISC": OTHER,
}
#: GUM entity types mapped to class families.
GUM_FAMILIES: Mapping[str, str] = {
    "person": "Person",
    "organization": "Organization",
    "place": "Place",
    "object": OTHER,
    "event": OTHER,
    "abstract": OTHER,
    "substance": OTHER,
    "animal": OTHER,
    "plant": OTHER,
}


def class_family(cls: str) -> str:
    """Return the family of a kg class: the class under Entity or Agent, or Thing.

    Examples
    --------
    >>> class_family("Country"), class_family("Software"), class_family("Thing")
    ('Place', 'Product', 'Thing')
    """
    from kg.classes import family_of

    return family_of(cls)


def _right(family: str, gold: str) -> bool:
    if gold == OTHER:
        return family not in _MAIN and family != "Thing"
    return family == gold


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """A named gold entity: its id, class family and mention spans."""

    id: Hashable
    family: str
    spans: tuple[tuple[int, int], ...]


@dataclass
class ClassTally:
    """Counts behind the class figures, summed over documents."""

    named: int = 0
    right: int = 0
    thing: int = 0
    person_nodes: int = 0
    person_right: int = 0

    def add(self, other: ClassTally) -> None:
        """Add another document's counts."""
        self.named += other.named
        self.right += other.right
        self.thing += other.thing
        self.person_nodes += other.person_nodes
        self.person_right += other.person_right

    def scores(self) -> ClassScores:
        """Return the figures."""
        return ClassScores(
            named=self.named,
            accuracy=ratio(self.right, self.named),
            thing_share=ratio(self.thing, self.named),
            person_nodes=self.person_nodes,
            person_precision=ratio(self.person_right, self.person_nodes),
        )


def tally_classes(document: Document, gold: Sequence[GoldEntity]) -> ClassTally:
    """Count one document's named nodes of the right class (module docstring).

    Examples
    --------
    >>> from kg.types import Entity, Mention
    >>> e = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> t = Entity("x", "Thing", "Xo", (Mention("Xo", "", 5, 7, 0),))
    >>> doc = Document("d", "d", "0" * 64, (), (e, t))
    >>> g = [GoldEntity(1, "Person", ((0, 3),)), GoldEntity(2, "Place", ((5, 7),))]
    >>> s = tally_classes(doc, g).scores()
    >>> s.accuracy, s.thing_share, s.person_precision
    (0.5, 0.5, 1.0)
    """
    families = {g.id: g.family for g in gold}
    spans = [(a, b, g.id) for g in gold for a, b in g.spans]
    gold_of = gold_of_entities(document, spans)
    tally = ClassTally()
    for entity in document.entities:
        ids = gold_of.get(entity.key, frozenset())
        if not entity.named or not ids:
            continue
        family = class_family(entity.label)
        if family == "Person":
            tally.person_nodes += 1
            tally.person_right += any(families[i] == "Person" for i in ids)
        if len(ids) != 1:
            continue
        tally.named += 1
        tally.right += _right(family, families[next(iter(ids))])
        tally.thing += family == "Thing"
    return tally


@dataclass(frozen=True, slots=True)
class ClassScores:
    """Class accuracy of named nodes, the share untyped, and person precision."""

    named: int
    accuracy: float
    thing_share: float
    person_nodes: int
    person_precision: float

    def rows(self, prefix: str = "") -> list[tuple[str, str]]:
        """Table rows."""
        return [
            (
                f"{prefix}classes: named nodes of the gold type's family "
                "(nodes; typed Thing)",
                f"{fmt(self.accuracy)} ({self.named}; {fmt(self.thing_share)})",
            ),
            (
                f"{prefix}classes: person nodes that are gold persons (nodes)",
                f"{fmt(self.person_precision)} ({self.person_nodes})",
            ),
        ]

    def to_dict(self) -> dict[str, Any]:
        """Figures as a dict."""
        return {
            "named": self.named,
            "accuracy": self.accuracy,
            "thing_share": self.thing_share,
            "person_nodes": self.person_nodes,
            "person_precision": self.person_precision,
        }
