"""Relation facts: predicted triples against gold facts between gold entities.

Shared by the Re-DocRED scorer (gold relations are Wikidata property ids,
read through the ontology's alignment) and any gold whose relations are
kg's own ontology properties.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.eval.clusters import PRF, fmt, prf_rows
from kg.types import Triple

__all__ = [
    "FactScores",
    "FactTally",
    "PredFact",
    "ontology_forms",
    "pred_facts",
    "tally_facts",
    "wikidata_forms",
]


@dataclass(frozen=True, slots=True)
class FactScores:
    """Relation facts, type-blind (any relation between the ordered pair) and typed.

    ``typed`` precision counts only predictions whose property maps to the
    gold vocabulary (``typed_predicted`` of them); ``typed_in_scope`` is recall
    over the gold facts whose relation kg's ontology can express.
    ``unmatched`` predictions had an argument that matches no gold entity
    (they count as wrong).
    """

    untyped: PRF
    typed: PRF
    typed_in_scope: PRF
    gold: int
    gold_pairs: int
    predicted: int
    typed_predicted: int
    unmatched: int

    def rows(self) -> list[tuple[str, str]]:
        """Table rows."""
        return [
            ("gold facts / entity pairs", f"{self.gold} / {self.gold_pairs}"),
            (
                "predicted pairs / typed triples",
                f"{self.predicted} / {self.typed_predicted}",
            ),
            *prf_rows("facts type-blind", self.untyped),
            *prf_rows("facts typed", self.typed),
            ("facts typed recall, in ontology scope", fmt(self.typed_in_scope.recall)),
        ]

    def to_dict(self) -> dict[str, Any]:
        """Nested dict."""
        return {
            "untyped": self.untyped.to_dict(),
            "typed": self.typed.to_dict(),
            "typed_in_scope": self.typed_in_scope.to_dict(),
            "gold": self.gold,
            "gold_pairs": self.gold_pairs,
            "predicted": self.predicted,
            "typed_predicted": self.typed_predicted,
            "unmatched": self.unmatched,
        }


@dataclass(frozen=True, slots=True)
class PredFact:
    """One predicted triple seen through the gold entities its arguments match."""

    subject: str
    object: str
    subjects: frozenset[Hashable]
    objects: frozenset[Hashable]
    predicate: str
    reversible: bool
    #: typed readings: (gold relation, arguments reversed?)
    forms: tuple[tuple[str, bool], ...]


@dataclass
class FactTally:
    """Counts of fact hits, summed over documents."""

    gold: int = 0
    gold_pairs: int = 0
    gold_hit_untyped: int = 0
    gold_hit_typed: int = 0
    gold_in_scope: int = 0
    gold_in_scope_hit: int = 0
    pred_untyped: int = 0
    pred_untyped_ok: int = 0
    pred_typed: int = 0
    pred_typed_ok: int = 0
    unmatched: int = 0

    def add(self, other: FactTally) -> None:
        """Add another document's counts to these."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> FactScores:
        """Turn the counts into precision, recall and F1."""
        return FactScores(
            untyped=PRF.of(
                self.pred_untyped_ok,
                self.pred_untyped,
                self.gold_hit_untyped,
                self.gold_pairs,
            ),
            typed=PRF.of(
                self.pred_typed_ok, self.pred_typed, self.gold_hit_typed, self.gold
            ),
            typed_in_scope=PRF.of(
                self.pred_typed_ok,
                self.pred_typed,
                self.gold_in_scope_hit,
                self.gold_in_scope,
            ),
            gold=self.gold,
            gold_pairs=self.gold_pairs,
            predicted=self.pred_untyped,
            typed_predicted=self.pred_typed,
            unmatched=self.unmatched,
        )


_Fact = tuple[Hashable, str, Hashable]
_Pair = tuple[Hashable, Hashable]


def _typed_hits(fact: PredFact, typed_alias: Mapping[_Fact, _Fact]) -> set[_Fact]:
    """Gold facts one of the prediction's typed readings states."""
    hits: set[_Fact] = set()
    for s in fact.subjects:
        for o in fact.objects:
            for rel, rev in fact.forms:
                cand = (o, rel, s) if rev else (s, rel, o)
                if cand in typed_alias:
                    hits.add(typed_alias[cand])
    return hits


def _pair_hits(
    fact: PredFact, reversible: bool, gold_pairs: Mapping[_Pair, set[_Pair]]
) -> set[_Pair]:
    """Gold entity pairs the prediction links (either way when ``reversible``)."""
    hits: set[_Pair] = set()
    for s in fact.subjects:
        for o in fact.objects:
            if s == o:
                continue
            for pair in ((s, o), (o, s)) if reversible else ((s, o),):
                hits.update(gold_pairs.get(pair, ()))
    return hits


def tally_facts(
    gold: Iterable[_Fact],
    predicted: Sequence[PredFact],
    *,
    symmetric: frozenset[str],
    in_scope: frozenset[str],
) -> FactTally:
    """Count hits of predicted facts on the gold facts of one document.

    Type-blind (over distinct ordered entity pairs): a prediction is right
    when one of its ordered gold pairs is a gold pair (reversed too when its
    property is symmetric or has an inverse, or the gold relation is
    symmetric). Typed: one of its typed readings is a gold fact.

    Examples
    --------
    >>> f = PredFact("a", "b", frozenset({0}), frozenset({1}), "owns", True,
    ...              (("P1830", False),))
    >>> t = tally_facts([(0, "P1830", 1)], [f], symmetric=frozenset(),
    ...                 in_scope=frozenset({"P1830"}))
    >>> t.pred_typed_ok, t.gold_hit_untyped
    (1, 1)
    """
    gold_facts = set(gold)
    gold_pairs: dict[_Pair, set[_Pair]] = defaultdict(set)
    typed_alias: dict[_Fact, _Fact] = {}
    for h, rel, t in gold_facts:
        gold_pairs[(h, t)].add((h, t))
        typed_alias[(h, rel, t)] = (h, rel, t)
        if rel in symmetric:
            gold_pairs[(t, h)].add((h, t))
            typed_alias.setdefault((t, rel, h), (h, rel, t))
    tally = FactTally(
        gold=len(gold_facts), gold_pairs=len({(h, t) for h, _, t in gold_facts})
    )
    tally.gold_in_scope = sum(1 for _, rel, _ in gold_facts if rel in in_scope)
    hit_pairs: set[_Pair] = set()
    hit_facts: set[_Fact] = set()
    by_pair: dict[tuple[str, str], tuple[PredFact, bool]] = {}
    for fact in predicted:
        if not fact.subjects or not fact.objects:
            tally.unmatched += 1
        key = (fact.subject, fact.object)
        reversible = key in by_pair and by_pair[key][1]
        by_pair[key] = (fact, reversible or fact.reversible)
        if fact.forms:
            tally.pred_typed += 1
            hits = _typed_hits(fact, typed_alias)
            hit_facts |= hits
            tally.pred_typed_ok += bool(hits)
    for fact, reversible in by_pair.values():
        tally.pred_untyped += 1
        pairs = _pair_hits(fact, reversible, gold_pairs)
        hit_pairs |= pairs
        tally.pred_untyped_ok += bool(pairs)
    tally.gold_hit_untyped = len(hit_pairs)
    tally.gold_hit_typed = len(hit_facts)
    tally.gold_in_scope_hit = sum(1 for f in hit_facts if f[1] in in_scope)
    return tally


def pred_facts(
    triples: Iterable[Triple],
    gold_of_entity: Mapping[str, frozenset[Hashable]],
    typed: Callable[[str], tuple[tuple[str, bool], ...]],
) -> list[PredFact]:
    """See each distinct predicted triple through the gold entities of its arguments."""
    from kg.ontology import load_ontology

    props = load_ontology().properties
    out = []
    seen: set[tuple[str, str, str]] = set()
    for t in triples:
        key = (t.subject, t.predicate, t.object)
        if key in seen or t.subject == t.object:
            continue
        seen.add(key)
        info = props.get(t.predicate)
        reversible = info is not None and (info.symmetric or info.inverse is not None)
        out.append(
            PredFact(
                subject=t.subject,
                object=t.object,
                subjects=gold_of_entity.get(t.subject, frozenset()),
                objects=gold_of_entity.get(t.object, frozenset()),
                predicate=t.predicate,
                reversible=reversible,
                forms=typed(t.predicate),
            )
        )
    return out


def wikidata_forms(predicate: str) -> tuple[tuple[str, bool], ...]:
    """Typed readings of an ontology property as Wikidata ids: ``(P-id, reversed?)``.

    A property reads as its own Wikidata ids, as its inverse's ids with the
    arguments swapped, (when symmetric) as its ids swapped too, and as the
    ids of every property it is a sub-property of: the graph entails those
    (``wrote`` is a ``notableWork``, P800; ``country`` is a ``locatedIn``,
    P131). The readings are :meth:`kg.ontology.Ontology.wikidata_relations`.

    Examples
    --------
    >>> wikidata_forms("owns")
    (('P1830', False), ('P127', True))
    >>> wikidata_forms("spouse")
    (('P26', False), ('P26', True))
    >>> wikidata_forms("wrote")
    (('P50', True), ('P800', False))
    >>> wikidata_forms("relatedTo")
    ()
    """
    from kg.ontology import load_ontology

    return load_ontology().wikidata_relations(predicate)


def ontology_forms(predicate: str) -> tuple[tuple[str, bool], ...]:
    """Typed readings of an ontology property in its own vocabulary (news gold).

    Examples
    --------
    >>> ontology_forms("ownedBy")
    (('ownedBy', False), ('owns', True))
    >>> ontology_forms("relatedTo")
    ()
    """
    from kg.ontology import load_ontology

    info = load_ontology().properties.get(predicate)
    if predicate == "relatedTo":
        return ()  # the generic relation has no type to score
    if info is None:
        return ((predicate, False),)
    forms = [(predicate, False)]
    if info.inverse is not None:
        forms.append((info.inverse, True))
    if info.symmetric:
        forms.append((predicate, True))
    return tuple(forms)
