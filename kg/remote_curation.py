"""The curation file against an external store (``--store URL``).

The embedded store applies a decision of ``OUT/curation.txt`` (``same-as``,
``not-same-as``, ``alias``, ``ignore``) by editing its default graph
(:mod:`kg.link.curate`). An external store keeps one named graph per
document (:mod:`kg.remote`), so the same edit is made in three steps:

1. the decision runs on an in-memory copy of what it reads: for the
   curation file (``kg build --store``, ``kg render --store``), the entity
   links under the block keys of the names it mentions, the other members of
   the corpus entities they are on, those entities' nodes and their mention
   links (the part of the store the decision touches, never all of it);
   for ``kg merge`` and ``kg split``, which look entities up by any label,
   a snapshot of the store (as ``kg explain --store``);
2. the entity links and entity nodes of that copy are compared before and
   after: a link that changed is replaced in its document's graph; a
   document entity that moved from corpus entity X to Z has every triple of
   its document's graph naming X renamed to Z; an entity node whose class,
   key or names changed gets them replaced in every document graph that
   links to it;
3. all of it goes to the store as one SPARQL Update request (Oxigraph
   applies a request in one transaction), so the store follows the decision
   entirely or not at all.

``kg merge`` and ``kg split`` then append the decision to ``OUT/curation.txt``
(``--out``), as with the embedded store; later builds and renders with
``--store`` apply the file. Known difference: a document that calls two of
its own entities by names of one corpus entity, and has only one of them
moved by a split, has both moved in its graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.link.curate import CurationReport, apply_curation, apply_rule
from kg.link.curation import Curation, curation_path, format_rule, read_curation
from kg.ontology import KGO_URI
from kg.rdf import BASE_IRI, NS, write_atomic
from kg.remote import (
    _KEY_SUFFIXES,
    _LINKS_QUERY,
    _MEMBERS_QUERY,
    _MENTIONS_QUERY,
    _NODES_QUERY,
    RemoteStore,
    _chunks,
    _construct,
    _prologue,
    _request,
    _terms,
    snapshot_remote,
)

__all__ = ["curate_remote", "merge_remote", "split_remote"]

_TYPE = ox.NamedNode(str(NS["rdf"]["type"]))
_LINK = ox.NamedNode(f"{KGO_URI}EntityLink")
_LINKS_TO = ox.NamedNode(f"{KGO_URI}linksTo")
_IN_DOCUMENT = ox.NamedNode(f"{KGO_URI}inDocument")
_OWN = (
    _TYPE,
    ox.NamedNode(str(NS["dcterms"]["identifier"])),
    ox.NamedNode(str(NS["rdfs"]["label"])),
    ox.NamedNode(str(NS["skos"]["prefLabel"])),
    ox.NamedNode(str(NS["skos"]["altLabel"])),
)
_OWN_LIST = ", ".join(str(p) for p in _OWN)
_ENTITY = f"{BASE_IRI}entity/"

_PairSet = frozenset[tuple[ox.NamedNode, ox.NamedNode | ox.Literal | ox.BlankNode]]


@dataclass(frozen=True, slots=True)
class _State:
    """The entity links (their triples) and entity nodes (their own triples)."""

    links: dict[ox.NamedNode, _PairSet]
    entities: dict[ox.NamedNode, _PairSet]


def _pairs(store: ox.Store, node: ox.NamedNode, own: bool) -> _PairSet:
    return frozenset(
        (q.predicate, q.object)  # type: ignore[misc]
        for q in store.quads_for_pattern(node, None, None)
        if not own or q.predicate in _OWN
    )


def _state(store: ox.Store) -> _State:
    links = {
        q.subject: _pairs(store, q.subject, False)
        for q in store.quads_for_pattern(None, _TYPE, _LINK)
        if isinstance(q.subject, ox.NamedNode)
    }
    nodes = {
        q.subject
        for q in store.quads_for_pattern(None, None, None)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(_ENTITY)
    }
    return _State(links, {n: _pairs(store, n, True) for n in nodes})


def _value(pairs: _PairSet, predicate: ox.NamedNode) -> ox.NamedNode | None:
    for p, o in pairs:
        if p == predicate and isinstance(o, ox.NamedNode):
            return o
    return None


def _data(subject: ox.NamedNode, pairs: Iterable[tuple[object, object]]) -> str:
    return " ".join(f"{subject} {p} {o} ." for p, o in sorted(pairs, key=str))


def _graph_updates(graph: ox.NamedNode, before: _State, after: _State) -> list[str]:
    """Return the operations that bring one document graph in line with ``after``."""
    ops: list[str] = []
    own = f"FILTER (?p IN ({_OWN_LIST}))"
    not_own = f"FILTER (?p NOT IN ({_OWN_LIST}))"
    mine = {
        link
        for state in (before, after)
        for link, pairs in state.links.items()
        if (_IN_DOCUMENT, graph) in pairs
    }
    targets = {
        t
        for link in mine
        if (t := _value(after.links.get(link, frozenset()), _LINKS_TO))
    }
    for link in sorted(mine, key=str):
        old = _value(before.links.get(link, frozenset()), _LINKS_TO)
        new = _value(after.links.get(link, frozenset()), _LINKS_TO)
        if old is not None and new is not None and old != new:
            ops.append(
                f"DELETE {{ GRAPH {graph} {{ {old} ?p ?o }} }} "
                f"INSERT {{ GRAPH {graph} {{ {new} ?p ?o }} }} "
                f"WHERE {{ GRAPH {graph} {{ {old} ?p ?o {not_own} }} }}"
            )
            ops.append(
                f"DELETE {{ GRAPH {graph} {{ ?s ?p {old} }} }} "
                f"INSERT {{ GRAPH {graph} {{ ?s ?p {new} }} }} "
                f"WHERE {{ GRAPH {graph} {{ ?s ?p {old} }} }}"
            )
            if old not in targets:
                ops.append(f"DELETE WHERE {{ GRAPH {graph} {{ {old} ?p ?o }} }}")
    for link in sorted(mine, key=str):
        pairs = after.links.get(link)
        if before.links.get(link) == pairs:
            continue
        ops.append(f"DELETE WHERE {{ GRAPH {graph} {{ {link} ?p ?o }} }}")
        if pairs:
            ops.append(f"INSERT DATA {{ GRAPH {graph} {{ {_data(link, pairs)} }} }}")
    for node in sorted(targets, key=str):
        pairs = after.entities.get(node, frozenset())
        moved = any(
            _value(before.links.get(link, frozenset()), _LINKS_TO) != node
            and _value(after.links.get(link, frozenset()), _LINKS_TO) == node
            for link in mine
        )
        if not pairs or (before.entities.get(node) == pairs and not moved):
            continue
        ops.append(
            f"DELETE {{ GRAPH {graph} {{ {node} ?p ?o }} }} "
            f"WHERE {{ GRAPH {graph} {{ {node} ?p ?o {own} }} }}"
        )
        ops.append(f"INSERT DATA {{ GRAPH {graph} {{ {_data(node, pairs)} }} }}")
    return ops


def _push(store: RemoteStore, before: _State, after: _State) -> tuple[int, int]:
    """Send the changes between two states as one SPARQL Update; return counts."""
    changed = {
        link
        for link in before.links.keys() | after.links.keys()
        if before.links.get(link) != after.links.get(link)
    }
    relabelled = {
        node
        for node in before.entities.keys() | after.entities.keys()
        if before.entities.get(node) != after.entities.get(node)
    }
    graphs: set[ox.NamedNode] = set()
    for state in (before, after):
        for link, pairs in state.links.items():
            target = _value(pairs, _LINKS_TO)
            if link in changed or target in relabelled:
                doc = _value(pairs, _IN_DOCUMENT)
                if doc is not None:
                    graphs.add(doc)
    ops = [
        op for g in sorted(graphs, key=str) for op in _graph_updates(g, before, after)
    ]
    if ops:
        text = _prologue() + " ;\n".join(ops)
        _request(store, "POST", store.update_url, data={"update": text})
    return len(graphs), len(changed)


def _curation_mirror(store: RemoteStore, curation: Curation) -> ox.Store:
    """Copy the links, members and nodes the curation file's names lead to."""
    mirror = ox.Store()
    keys = _terms(
        ox.Literal(k)
        for rule in curation.rules
        for ref in rule.refs
        for k in ref.block_keys()
    )
    for chunk in _chunks(keys):
        _construct(store, _LINKS_QUERY % (chunk, ""), mirror)
    linked = {q.object for q in mirror.quads_for_pattern(None, _LINKS_TO, None)}
    entities = _terms(t for t in linked if isinstance(t, ox.NamedNode))
    for chunk in _chunks(entities):
        _construct(store, _MEMBERS_QUERY % (chunk, ""), mirror)
    keys_of = [n.value[len(_ENTITY) :] for n in linked if isinstance(n, ox.NamedNode)]
    nodes = _terms(
        [
            *(t for t in linked if isinstance(t, ox.NamedNode)),
            *(_suffixed(k, n) for k in keys_of for n in range(2, _KEY_SUFFIXES)),
        ]
    )
    for chunk in _chunks(nodes):
        _construct(store, _NODES_QUERY % (chunk, ""), mirror)
    for chunk in _chunks(entities):  # whether a node keeps mentions after a move
        _construct(store, _MENTIONS_QUERY % (chunk, ""), mirror)
    return mirror


def _suffixed(key: str, n: int) -> ox.NamedNode:
    from kg.link.rewrite import entity_node

    return entity_node(f"{key} {n}")


def curate_remote(store: RemoteStore, out_dir: Path | str) -> list[str]:
    """Bring the external store in line with ``OUT/curation.txt``; return the changes.

    Reads only what the file's names lead to; sends nothing when the store
    follows the file already.

    Raises
    ------
    ConfigError
        A bad line in the curation file.
    RemoteError
        The store cannot be reached or answered an error (nothing changed).

    Examples
    --------
    >>> import tempfile
    >>> curate_remote(RemoteStore.parse("http://127.0.0.1:9"), tempfile.mkdtemp())
    []
    """
    curation = read_curation(out_dir)
    if not curation.rules:
        return []
    mirror = _curation_mirror(store, curation)
    before = _state(mirror)
    changes = apply_curation(mirror, curation)
    _push(store, before, _state(mirror))
    return changes


def _decide(
    store: RemoteStore, out_dir: Path | str, a: str, b: str, kind: str
) -> CurationReport:
    from kg.link.curate import merge_rule, split_rule

    snapshot = snapshot_remote(store)
    check = merge_rule if kind == "merge" else split_rule
    rule, curation, text = check(snapshot, out_dir, a, b)
    before = _state(snapshot)
    changes = apply_rule(snapshot, rule, curation)
    _push(store, before, _state(snapshot))
    write_atomic(curation_path(out_dir), text)
    return CurationReport(tuple(changes), format_rule(rule))


def merge_remote(
    store: RemoteStore, out_dir: Path | str, a: str, b: str
) -> CurationReport:
    """``kg merge A B --store URL``: one entity in the external store, and in the file.

    Raises
    ------
    ConfigError
        As :func:`kg.link.curate.merge` (nothing changed).
    RemoteError
        The store cannot be reached or answered an error (nothing changed).

    Examples
    --------
    >>> merge_remote(RemoteStore.parse("http://127.0.0.1:9", timeout=2), ".", "a", "b")
    Traceback (most recent call last):
    ...
    kg.remote.RemoteError: cannot reach the store http://127.0.0.1:9: ...
    """
    return _decide(store, out_dir, a, b, "merge")


def split_remote(
    store: RemoteStore, out_dir: Path | str, a: str, b: str
) -> CurationReport:
    """``kg split A B --store URL``: two entities in the external store and the file.

    Raises
    ------
    ConfigError
        As :func:`kg.link.curate.split` (nothing changed).
    RemoteError
        The store cannot be reached or answered an error (nothing changed).

    Examples
    --------
    >>> split_remote(RemoteStore.parse("http://127.0.0.1:9", timeout=2), ".", "a", "b")
    Traceback (most recent call last):
    ...
    kg.remote.RemoteError: cannot reach the store http://127.0.0.1:9: ...
    """
    return _decide(store, out_dir, a, b, "split")
