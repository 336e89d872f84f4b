"""The shortest chain of relations between two entities, read level by level.

:meth:`kg.query.KnowledgeGraph.shortest_path` asks three things of the
store, none of which reads the whole graph:

1. :func:`shortest_chain`: a bidirectional breadth-first search over the
   entity graph (relations followed either way). Each step expands the
   smaller side's whole frontier with one query (:func:`expand_frontier`:
   the frontier bound in a ``VALUES`` block, distinct neighbours only,
   deduplicated in Oxigraph), so a path of five hops costs about five
   queries however many hubs lie on the way;
2. :func:`hop_relations`: the relations joining the consecutive entities of
   the chain found, one query with the pairs bound; per hop the stated
   relation of highest confidence is kept;
3. the sentence behind each hop (:func:`kg.lookup.read_evidence`).

Measured on the 500-document store: ``benchmarks/results/api.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.lookup import DRAWN_MODALITIES, Relation
from kg.rdf import NS

__all__ = [
    "Expand",
    "PathReader",
    "entity_degrees",
    "entity_labels",
    "expand_frontier",
    "hop_relations",
    "hop_sentences",
    "shortest_chain",
    "Weigh",
]

#: Neighbours of each entity of a frontier (entity → its neighbours).
Expand = Callable[[Sequence[str]], Mapping[str, Iterable[str]]]
#: What expanding a frontier would cost (its entities' statements).
Weigh = Callable[[Sequence[str]], int]

_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_STRENGTH = {m: i for i, m in enumerate(DRAWN_MODALITIES)}
_DEFAULT = ox.DefaultGraph()
_LABEL = ox.NamedNode(str(NS["rdfs"]["label"]))
_PREF = ox.NamedNode(str(NS["skos"]["prefLabel"]))
# distinct neighbours of a frontier; a negated statement or a question is no
# relation; ``stated`` keeps asserted statements typed by a property other
# than kgo:relatedTo (the same relations as Relation.stated). MINUS with the
# values written out is a lookup per statement (a third faster than a join on
# ?m and a filter).
_FRONTIER = """
SELECT DISTINCT ?e ?other WHERE {
  { ?st rdf:subject ?e ; rdf:object ?other }
  UNION { ?st rdf:object ?e ; rdf:subject ?other }
  FILTER(isIRI(?other) && ?other != ?e)
  MINUS { ?st kgo:modality "negated" }
  MINUS { ?st kgo:modality "question" }
}"""
_FRONTIER_STATED = """
SELECT DISTINCT ?e ?other WHERE {
  { ?st rdf:subject ?e ; rdf:object ?other }
  UNION { ?st rdf:object ?e ; rdf:subject ?other }
  FILTER(isIRI(?other) && ?other != ?e)
  ?st kgo:modality "asserted" .
  MINUS { ?st rdf:predicate kgo:relatedTo }
}"""
# statements naming each entity of a frontier, counted in Oxigraph
_DEGREE = """
SELECT ?e (COUNT(?st) AS ?n) WHERE {
  { ?st rdf:subject ?e } UNION { ?st rdf:object ?e }
} GROUP BY ?e"""
# the sentences of some edges (all three terms bound), with their modality
_SENTENCES = """
SELECT ?s ?p ?o ?text ?source ?start ?modality WHERE {
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?sent ;
      kgo:modality ?modality .
  ?sent rdf:value ?text ; dcterms:isPartOf ?doc .
  OPTIONAL { ?st kgo:startChar ?start }
  OPTIONAL { ?doc dcterms:source ?source }
}"""
_HOPS = """
SELECT ?s ?p ?o (MAX(?c) AS ?confidence) (COUNT(?st) AS ?sentences)
       (GROUP_CONCAT(DISTINCT ?m; separator=" ") AS ?modalities) WHERE {
  ?st rdf:subject ?s ; rdf:object ?o ; rdf:predicate ?p ; kgo:modality ?m ;
      kgo:confidence ?c .
} GROUP BY ?s ?p ?o"""


def _with_values(query: str, variables: str, rows: Iterable[str]) -> str:
    """Start the WHERE clause with a ``VALUES`` block of terms Oxigraph wrote."""
    head, where, body = query.partition("WHERE {")
    block = " ".join(rows)
    return f"{head}{where}\n  VALUES ({variables}) {{ {block} }}{body}"


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    result = store.query(query, prefixes=_PREFIXES)
    assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT
    return result


def expand_frontier(
    store: ox.Store, frontier: Sequence[str], *, stated_only: bool = False
) -> dict[str, set[str]]:
    """Return the neighbours of every entity of ``frontier``, in one query.

    A neighbour is the other end of a relation in either direction (a
    negated statement or a question is none; ``stated_only``: asserted
    facts typed by a property other than ``kgo:relatedTo`` only). The
    frontier's IRIs are written into a ``VALUES`` block by Oxigraph's
    serialiser, which Oxigraph plans as index lookups.

    Examples
    --------
    >>> expand_frontier(ox.Store(), ["urn:nobody"])
    {}
    """
    if not frontier:
        return {}
    terms = (f"({ox.NamedNode(iri)})" for iri in frontier)
    query = _with_values(_FRONTIER_STATED if stated_only else _FRONTIER, "?e", terms)
    found: dict[str, set[str]] = {}
    for entity, other in _select(store, query):  # the two variables, in order
        found.setdefault(str(entity.value), set()).add(str(other.value))
    return found


def entity_degrees(store: ox.Store, entities: Sequence[str]) -> dict[str, int]:
    """Return how many statements name each entity (counted in Oxigraph, one query).

    What expanding it would read: a hub weighs its thousands of statements,
    where counting them costs one index scan.

    Examples
    --------
    >>> entity_degrees(ox.Store(), ["urn:nobody"])
    {}
    """
    if not entities:
        return {}
    terms = (f"({ox.NamedNode(iri)})" for iri in entities)
    return {
        str(row["e"].value): int(row["n"].value)
        for row in _select(store, _with_values(_DEGREE, "?e", terms))
    }


@dataclass(slots=True)
class PathReader:
    """Frontier expansions and degrees read from one store, each entity's once.

    The store of an opened :class:`~kg.query.KnowledgeGraph` never changes,
    so what one path search read (a hub's neighbours above all) serves the
    next: only entities not expanded before are asked for. It holds at most
    the adjacency of the entities searched through.

    Examples
    --------
    >>> reader = PathReader(ox.Store())
    >>> reader.expand(["urn:a"]), reader.weigh(["urn:a"])
    ({'urn:a': frozenset()}, 0)
    """

    store: ox.Store
    neighbours: dict[bool, dict[str, frozenset[str]]] = field(
        default_factory=lambda: {False: {}, True: {}}
    )
    degrees: dict[str, int] = field(default_factory=dict)

    def expand(
        self, frontier: Sequence[str], *, stated_only: bool = False
    ) -> dict[str, frozenset[str]]:
        """Return each entity's neighbours (:func:`expand_frontier`, remembered)."""
        known = self.neighbours[stated_only]
        todo = [node for node in frontier if node not in known]
        if todo:
            found = expand_frontier(self.store, todo, stated_only=stated_only)
            for node in todo:
                known[node] = frozenset(found.get(node, ()))
        return {node: known[node] for node in frontier}

    def weigh(self, frontier: Sequence[str]) -> int:
        """Return how many statements name the entities of ``frontier``."""
        todo = [node for node in frontier if node not in self.degrees]
        if todo:
            found = entity_degrees(self.store, todo)
            for node in todo:
                self.degrees[node] = found.get(node, 0)
        return sum(self.degrees[node] for node in frontier)


def _walk(came: Mapping[str, str | None], node: str) -> list[str]:
    """Return the nodes from ``node`` back to the side's start, ``node`` first."""
    chain = [node]
    while (parent := came[chain[-1]]) is not None:
        chain.append(parent)
    return chain


def shortest_chain(
    expand: Expand, source: str, target: str, *, weigh: Weigh = len
) -> list[str] | None:
    """Return the entities of a shortest chain from ``source`` to ``target``.

    A bidirectional breadth-first search: each step expands the whole
    frontier of the side that ``weigh`` finds lighter (by default the one
    with fewer entities; :func:`frontier_weight` counts their statements, so
    a hub is expanded only when the other side would cost more), with one
    call of ``expand`` (see :func:`expand_frontier`). The first level on which the
    two sides meet gives a shortest chain (every meeting there has the same
    length); ties are broken by IRI, so the answer is deterministic.
    ``None`` when nothing links them, ``[source]`` when they are the same.

    Examples
    --------
    >>> edges = {"a": {"b"}, "b": {"a", "c"}, "c": {"b", "d"}, "d": {"c"}}
    >>> def expand(nodes):
    ...     return {n: edges.get(n, set()) for n in nodes}
    >>> shortest_chain(expand, "a", "d")
    ['a', 'b', 'c', 'd']
    >>> shortest_chain(expand, "a", "z") is None
    True
    """
    if source == target:
        return [source]
    came: tuple[dict[str, str | None], dict[str, str | None]] = (
        {source: None},
        {target: None},
    )
    frontier = ([source], [target])
    weight = [weigh(frontier[0]), weigh(frontier[1])]
    while frontier[0] and frontier[1]:
        side = 0 if weight[0] <= weight[1] else 1
        here, there = came[side], came[1 - side]
        neighbours = expand(frontier[side])
        meetings: list[tuple[str, str]] = []
        grown: list[str] = []
        for node in frontier[side]:  # sorted: the first parent found wins
            for other in sorted(neighbours.get(node, ())):
                if other in there:
                    meetings.append((node, other))
                elif other not in here:
                    here[other] = node
                    grown.append(other)
        if meetings:
            node, other = min(meetings, key=lambda m: (m[1], m[0]))
            near = _walk(here, node)[::-1]
            far = _walk(there, other)
            chain = near + far
            return chain if side == 0 else chain[::-1]
        grown.sort()
        frontier = (grown, frontier[1]) if side == 0 else (frontier[0], grown)
        weight[side] = weigh(grown)
    return None


def _best(relations: Iterable[Relation], *, stated_only: bool) -> Relation | None:
    kept = [r for r in relations if r.stated or not stated_only]
    kept.sort(key=lambda r: (not r.stated, -(r.confidence or 0.0), r.predicate))
    return kept[0] if kept else None


def hop_relations(
    store: ox.Store, chain: Sequence[str], *, stated_only: bool = False
) -> list[Relation]:
    """Return one relation per hop of ``chain`` (consecutive entities).

    One query reads every relation between consecutive entities, in both
    directions; per hop a stated relation beats a reported or hedged one,
    then the higher confidence wins. A hop with no relation (a chain not
    from :func:`shortest_chain`) is left out.

    Examples
    --------
    >>> hop_relations(ox.Store(), ["urn:a", "urn:b"])
    []
    """
    pairs = list(zip(chain, chain[1:], strict=False))
    if not pairs:
        return []
    terms = (
        f"({ox.NamedNode(s)} {ox.NamedNode(o)})"
        for a, b in pairs
        for s, o in ((a, b), (b, a))
    )
    found: dict[frozenset[str], list[Relation]] = {}
    for row in _select(store, _with_values(_HOPS, "?s ?o", terms)):
        drawn = [m for m in str(row["modalities"].value).split() if m in _STRENGTH]
        if not drawn:
            continue
        s, o = str(row["s"].value), str(row["o"].value)
        confidence = row["confidence"]
        relation = Relation(
            s,
            str(row["p"].value),
            o,
            min(drawn, key=_STRENGTH.__getitem__),
            float(confidence.value) if confidence is not None else None,
            int(row["sentences"].value),
        )
        found.setdefault(frozenset((s, o)), []).append(relation)
    hops = []
    for a, b in pairs:
        best = _best(found.get(frozenset((a, b)), ()), stated_only=stated_only)
        if best is not None:
            hops.append(best)
    return hops


def hop_sentences(
    store: ox.Store, hops: Sequence[Relation], *, stated_only: bool = False
) -> list[tuple[str | None, str | None]]:
    """Return the first sentence stating each hop, with its source document.

    One query for all hops (the edges bound in a ``VALUES`` block); per
    hop the first by document and offset among the statements of drawn
    modalities (a negated statement of the same edge is not its evidence;
    ``stated_only``: asserted ones). ``(None, None)`` for a hop without one.

    Examples
    --------
    >>> hop = Relation("urn:a", "urn:p", "urn:b", "asserted", 1, 1)
    >>> hop_sentences(ox.Store(), [hop])
    [(None, None)]
    """
    if not hops:
        return []
    terms = (
        f"({ox.NamedNode(h.subject)} {ox.NamedNode(h.predicate)} "
        f"{ox.NamedNode(h.object)})"
        for h in hops
    )
    best: dict[tuple[str, str, str], tuple[tuple[str, int], str, str | None]] = {}
    for row in _select(store, _with_values(_SENTENCES, "?s ?p ?o", terms)):
        modality = str(row["modality"].value)
        if modality not in _STRENGTH or (stated_only and modality != "asserted"):
            continue
        edge = (str(row["s"].value), str(row["p"].value), str(row["o"].value))
        source = str(row["source"].value) if row["source"] is not None else None
        start = row["start"]
        order = (source or "", int(start.value) if start is not None else -1)
        if edge not in best or order < best[edge][0]:
            best[edge] = (order, str(row["text"].value), source)
    found = [best.get((h.subject, h.predicate, h.object)) for h in hops]
    return [(f[1], f[2]) if f is not None else (None, None) for f in found]


def entity_labels(store: ox.Store, entities: Iterable[str]) -> dict[str, str]:
    """Return the label of each entity (``skos:prefLabel`` over ``rdfs:label``).

    Examples
    --------
    >>> entity_labels(ox.Store(), ["urn:nobody"])
    {}
    """
    labels: dict[str, str] = {}
    for iri in entities:
        node = ox.NamedNode(iri)
        for prop in (_LABEL, _PREF):  # the preferred label wins
            for quad in store.quads_for_pattern(node, prop, None, _DEFAULT):
                labels[iri] = str(getattr(quad.object, "value", ""))
    return labels
