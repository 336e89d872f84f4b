"""Edits of stored corpus entities: merge two nodes, move one document's entity.

When a new document bridges two stored corpus entities, or the curation
file joins or splits them, the store is edited quad by quad, touching only
the nodes concerned (never re-reading the store):

- :func:`rename_entity` moves everything said of and about one entity node
  onto another (its mentions, the facts and statements naming it, its entity
  links, its names as aliases) and drops the old node;
- :func:`move_link` moves one document's entity (its mentions, the
  statements of its document naming it, its entity link) to another node,
  creating that node if needed, and removes the old node if nothing is left;
- :func:`relabel` gives a node the fullest name of its documents' entities
  as label and the others as aliases.

All take Oxigraph terms and work on the default graph of a writable store
(the staged copy of a write).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.link.summary import EntitySummary
from kg.ontology import KGO_URI, load_ontology
from kg.rdf import BASE_IRI, NS, mint_iri, preferred_label

__all__ = [
    "entity_class",
    "entity_key",
    "entity_node",
    "link_node",
    "move_link",
    "relabel",
    "rename_entity",
]

_DEFAULT = ox.DefaultGraph()
_RDF = str(NS["rdf"])
_TYPE = ox.NamedNode(f"{_RDF}type")
_SUBJECT = ox.NamedNode(f"{_RDF}subject")
_OBJECT = ox.NamedNode(f"{_RDF}object")
_PREDICATE = ox.NamedNode(f"{_RDF}predicate")
_LABEL = ox.NamedNode(str(NS["rdfs"]["label"]))
_PREF = ox.NamedNode(str(NS["skos"]["prefLabel"]))
_ALT = ox.NamedNode(str(NS["skos"]["altLabel"]))
_IDENTIFIER = ox.NamedNode(str(NS["dcterms"]["identifier"]))
_MENTION = ox.NamedNode(f"{KGO_URI}mention")
_LINKS_TO = ox.NamedNode(f"{KGO_URI}linksTo")
_LINK_SUMMARY = ox.NamedNode(f"{KGO_URI}linkSummary")
_NAMES = (_LABEL, _PREF, _ALT)
_OWN = frozenset({_TYPE, _IDENTIFIER, *_NAMES})

_DOC_STATEMENTS = """
SELECT DISTINCT ?doc ?entity ?st WHERE {
  ?sent dcterms:isPartOf ?doc .
  ?st prov:wasDerivedFrom ?sent ; a rdf:Statement .
  { ?st rdf:subject ?entity } UNION { ?st rdf:object ?entity }
}
"""
_SUPPORTED = """
ASK { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
"""
_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}


def entity_node(key: str) -> ox.NamedNode:
    """Return the node of the corpus entity with this key.

    Examples
    --------
    >>> entity_node("acme").value
    'https://w3id.org/kg/id/entity/acme'
    """
    return ox.NamedNode(str(mint_iri("entity", key)))


def link_node(doc_id: str, key: str) -> ox.NamedNode:
    """Return the node of a document's entity link.

    Examples
    --------
    >>> link_node("a.txt", "acme").value
    'https://w3id.org/kg/id/link/a-txt-acme'
    """
    return ox.NamedNode(str(mint_iri("link", f"{doc_id}#{key}")))


def _query(store: ox.Store, text: str, **bindings: ox.NamedNode) -> object:
    return store.query(
        text,
        prefixes=_PREFIXES,
        substitutions={ox.Variable(k): v for k, v in bindings.items()},
    )


def _quads(
    store: ox.Store,
    s: ox.NamedNode | None = None,
    p: ox.NamedNode | None = None,
    o: ox.NamedNode | None = None,
) -> list[ox.Quad]:
    return list(store.quads_for_pattern(s, p, o, _DEFAULT))


def _text(term: object) -> str:
    return str(getattr(term, "value", ""))


def _names(store: ox.Store, node: ox.NamedNode) -> set[str]:
    return {_text(q.object) for p in _NAMES for q in _quads(store, node, p)}


def relabel(store: ox.Store, node: ox.NamedNode, names: Iterable[str] = ()) -> None:
    """Label a node with the fullest of its names; the others become aliases.

    ``names`` are added to the node's current names first. The names are
    those of its documents' entities when they are known (their entity
    links' summaries), else the node's own labels.

    Examples
    --------
    >>> store = ox.Store()
    >>> relabel(store, entity_node("x"), ["Roe", "Tom Roe"])
    >>> sorted(q.object.value for q in store)
    ['Roe', 'Tom Roe', 'Tom Roe']
    """
    members = [
        EntitySummary.from_json(_text(q.object))
        for link in (q.subject for q in _quads(store, None, _LINKS_TO, node))
        for q in _quads(store, link, _LINK_SUMMARY)  # type: ignore[arg-type]
    ]
    known = {n for m in members for n in m.names}
    known |= set(names)
    if not known:
        known = _names(store, node)
    if not known:
        return
    best = preferred_label(known)
    for p in _NAMES:
        for q in _quads(store, node, p):
            store.remove(q)
    store.add(ox.Quad(node, _LABEL, ox.Literal(best), _DEFAULT))
    store.add(ox.Quad(node, _PREF, ox.Literal(best), _DEFAULT))
    for name in sorted(known - {best}):
        store.add(ox.Quad(node, _ALT, ox.Literal(name), _DEFAULT))


def rename_entity(store: ox.Store, old: ox.NamedNode, key: str) -> ox.NamedNode:
    """Merge node ``old`` into the node of ``key``: quads naming ``old`` name it.

    The node of ``key`` keeps its class and key (it takes ``old``'s class
    when it does not exist yet); labels are settled by :func:`relabel`.
    Returns the node of ``key``.

    Examples
    --------
    >>> from kg.rdf import document_quads
    >>> from kg.types import Document, Entity, Mention
    >>> e = Entity("acme", "Organization", "Acme", (Mention("Acme", "ORG", 0, 4, 0),))
    >>> store = ox.Store()
    >>> store.extend(document_quads([Document("a", "a", "0" * 64, (), (e,))]))
    >>> rename_entity(store, entity_node("acme"), "acme inc").value
    'https://w3id.org/kg/id/entity/acme-inc'
    >>> entity_key(store, entity_node("acme inc")), len(list(store.quads_for_pattern(
    ...     entity_node("acme"), None, None)))
    ('acme inc', 0)
    """
    new = entity_node(key)
    if old == new:
        return new
    exists = bool(_quads(store, new, _IDENTIFIER))
    for q in _quads(store, old):
        store.remove(q)
        if q.predicate in _NAMES or (exists and q.predicate in _OWN):
            continue
        if q.predicate == _IDENTIFIER:
            store.add(ox.Quad(new, _IDENTIFIER, ox.Literal(key), _DEFAULT))
            continue
        store.add(ox.Quad(new, q.predicate, q.object, _DEFAULT))
    for q in _quads(store, None, None, old):
        store.remove(q)
        store.add(ox.Quad(q.subject, q.predicate, new, _DEFAULT))
    relabel(store, new)
    return new


def _ensure_node(store: ox.Store, node: ox.NamedNode, key: str, label: str) -> None:
    if _quads(store, node, _IDENTIFIER):
        return
    cls = ox.NamedNode(str(load_ontology().class_iri(label)))
    store.add(ox.Quad(node, _TYPE, cls, _DEFAULT))
    store.add(ox.Quad(node, _IDENTIFIER, ox.Literal(key), _DEFAULT))


def _move_statements(
    store: ox.Store, doc: ox.NamedNode, old: ox.NamedNode, new: ox.NamedNode
) -> None:
    """Point the statements of one document naming ``old`` at ``new``."""
    rows = _query(store, _DOC_STATEMENTS, doc=doc, entity=old)
    assert isinstance(rows, ox.QuerySolutions)
    for st in [row["st"] for row in rows]:
        parts = {q.predicate: q.object for q in _quads(store, st)}
        s, p, o = parts.get(_SUBJECT), parts.get(_PREDICATE), parts.get(_OBJECT)
        if s is None or p is None or o is None:
            continue
        for position in (_SUBJECT, _OBJECT):
            if parts.get(position) == old:
                store.remove(ox.Quad(st, position, old, _DEFAULT))
                store.add(ox.Quad(st, position, new, _DEFAULT))
        s2 = new if s == old else s
        o2 = new if o == old else o
        store.add(ox.Quad(s2, p, o2, _DEFAULT))  # type: ignore[arg-type]
        if not _query(store, _SUPPORTED, s=s, p=p, o=o):  # type: ignore[arg-type]
            store.remove(ox.Quad(s, p, o, _DEFAULT))  # type: ignore[arg-type]


def move_link(
    store: ox.Store,
    summary: EntitySummary,
    old: ox.NamedNode,
    key: str,
    label: str,
) -> ox.NamedNode:
    """Move one document's entity from node ``old`` to the node of ``key``.

    Its mentions, the statements of its document that name it and its
    entity link go over; the new node is created (class ``label``) if
    needed; ``old`` is removed when no mention is left on it, else
    relabelled. Returns the new node.

    Examples
    --------
    >>> from kg.rdf import document_quads
    >>> from kg.types import Document, Entity, Mention
    >>> e = Entity("acme", "Organization", "Acme", (Mention("Acme", "ORG", 0, 4, 0),))
    >>> store = ox.Store()
    >>> store.extend(document_quads([Document("a", "a", "0" * 64, (), (e,))]))
    >>> s = EntitySummary("a", "acme", "Organization", "Acme", ("acme",),
    ...                   spans=((0, 4),))
    >>> move_link(store, s, entity_node("acme"), "acme 2", "Organization").value
    'https://w3id.org/kg/id/entity/acme-2'
    """
    new = entity_node(key)
    if new == old:
        return new
    _ensure_node(store, new, key, label)
    doc = ox.NamedNode(str(mint_iri("doc", summary.doc_id)))
    for start, end in summary.spans:
        mention = ox.NamedNode(
            str(mint_iri("mention", f"{summary.doc_id}#{start}-{end}"))
        )
        quad = ox.Quad(old, _MENTION, mention, _DEFAULT)
        if quad in store:
            store.remove(quad)
            store.add(ox.Quad(new, _MENTION, mention, _DEFAULT))
    _move_statements(store, doc, old, new)
    link = link_node(summary.doc_id, summary.key)
    store.remove(ox.Quad(link, _LINKS_TO, old, _DEFAULT))
    store.add(ox.Quad(link, _LINKS_TO, new, _DEFAULT))
    if not _quads(store, old, _MENTION):
        for q in _quads(store, old):
            store.remove(q)
        for q in _quads(store, None, None, old):
            store.remove(q)
    else:
        relabel(store, old)
    relabel(store, new)
    return new


def entity_class(store: ox.Store, node: ox.NamedNode) -> str:
    """Return the local name of a node's kg class ("" when it has none).

    Examples
    --------
    >>> entity_class(ox.Store(), entity_node("x"))
    ''
    """
    for q in _quads(store, node, _TYPE):
        value = _text(q.object)
        if value.startswith(KGO_URI):
            return value[len(KGO_URI) :]
    return ""


def entity_key(store: ox.Store, node: ox.NamedNode) -> str:
    """Return a node's key (its ``dcterms:identifier``, else its IRI's last part).

    Examples
    --------
    >>> entity_key(ox.Store(), entity_node("roe"))
    'roe'
    """
    for q in _quads(store, node, _IDENTIFIER):
        return _text(q.object)
    return node.value[len(f"{BASE_IRI}entity/") :]
