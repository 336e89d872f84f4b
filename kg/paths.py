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

import pyoxigraph as ox

from kg.lookup import DRAWN_MODALITIES, EVIDENCE_COLUMNS, Relation, read_evidence
from kg.rdf import NS

__all__ = [
    "Expand",
    "expand_frontier",
    "frontier_weight",
    "hop_relations",
    "hop_sentence",
    "shortest_chain",
    "Weigh",
]

#: Neighbours of each entity of a frontier (entity → its neighbours).
Expand = Callable[[Sequence[str]], Mapping[str, Iterable[str]]]
#: What expanding a frontier would cost (its entities' statements).
Weigh = Callable[[Sequence[str]], int]

_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_STRENGTH = {m: i for i, m in enumerate(DRAWN_MODALITIES)}
_TEXT = EVIDENCE_COLUMNS.index("text")
_SOURCE = EVIDENCE_COLUMNS.index("source")
_MODALITY = EVIDENCE_COLUMNS.index("modality")
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
SELECT (COUNT(?st) AS ?n) WHERE {
  { ?st rdf:subject ?e } UNION { ?st rdf:object ?e }
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
    for row in _select(store, query):
        entity, other = row["e"], row["other"]
        found.setdefault(str(entity.value), set()).add(str(other.value))
    return found


def frontier_weight(store: ox.Store, frontier: Sequence[str]) -> int:
    """Return how many statements name an entity of ``frontier`` (counted in Oxigraph).

    What expanding the frontier would read: a hub weighs its thousands of
    statements, where counting them costs one index scan.

    Examples
    --------
    >>> frontier_weight(ox.Store(), ["urn:nobody"])
    0
    """
    if not frontier:
        return 0
    terms = (f"({ox.NamedNode(iri)})" for iri in frontier)
    for row in _select(store, _with_values(_DEGREE, "?e", terms)):
        return int(row["n"].value)
    return 0


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


def hop_sentence(
    store: ox.Store, relation: Relation, *, stated_only: bool = False
) -> tuple[str | None, str | None]:
    """Return the first sentence stating ``relation`` and its source document.

    The first by document and offset among the statements of the relation's
    modalities (a negated statement of the same edge is not its evidence;
    ``stated_only``: asserted ones). ``(None, None)`` when there is none.

    Examples
    --------
    >>> hop_sentence(ox.Store(), Relation("urn:a", "urn:p", "urn:b", "asserted", 1, 1))
    (None, None)
    """
    rows = read_evidence(
        store, relation.subject, relation.predicate, ox.NamedNode(relation.object)
    )
    for row in rows:
        modality, source = row[_MODALITY], row[_SOURCE]
        if modality in _STRENGTH and (modality == "asserted" or not stated_only):
            return str(row[_TEXT]), (str(source) if source is not None else None)
    return None, None
