"""One document's quads in the store: serialised ahead, looked up, taken out.

Everything here touches one document (and the entities it mentions), never
the whole store, so adding or removing a document costs time in proportion
to that document: :func:`stored_hash` looks a document up by its IRI,
:func:`prepare_document` serialises its quads where it is extracted, and
:func:`remove_document` takes it and the facts only it supports out.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg.generations import _TURTLE_PREFIXES
from kg.ontology import KGO_URI
from kg.rdf import NS, document_iri, own_quads, preferred_label
from kg.types import Document

__all__ = [
    "PreparedDocument",
    "prepare_document",
    "remove_document",
    "stored_hash",
]

_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_DEFAULT = ox.DefaultGraph()
_RDF_TYPE = ox.NamedNode(str(NS["rdf"]["type"]))
_KGO_MENTION = ox.NamedNode(f"{KGO_URI}mention")
_CONTENT_HASH = ox.NamedNode(f"{KGO_URI}contentHash")
_SKOS_ALT = ox.NamedNode(str(NS["skos"]["altLabel"]))
_SKOS_PREF = ox.NamedNode(str(NS["skos"]["prefLabel"]))
_RDFS_LABEL = ox.NamedNode(str(NS["rdfs"]["label"]))
_IS_PART_OF = ox.NamedNode(str(NS["dcterms"]["isPartOf"]))
_DERIVED_FROM = ox.NamedNode(str(NS["prov"]["wasDerivedFrom"]))
_IN_SENTENCE = ox.NamedNode(f"{KGO_URI}inSentence")
_IN_DOCUMENT = ox.NamedNode(f"{KGO_URI}inDocument")
_SENTENCE = ox.NamedNode(f"{KGO_URI}Sentence")
_STATEMENT = ox.NamedNode(str(NS["rdf"]["Statement"]))
_MENTION = ox.NamedNode(f"{KGO_URI}Mention")
_ENTITY_LINK = ox.NamedNode(f"{KGO_URI}EntityLink")

_SUPPORTED_QUERY = """
ASK { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
"""
_HAS_MENTION_QUERY = "ASK { ?e kgo:mention ?m }"
_MENTION_TEXTS_QUERY = """
SELECT DISTINCT ?e ?text ?kind WHERE {
  ?e kgo:mention ?m . ?m rdf:value ?text .
  OPTIONAL { ?m kgo:mentionKind ?kind }
}
"""


def _query(store: ox.Store, text: str, **bindings: _Term) -> object:
    return store.query(
        text,
        prefixes=_PREFIXES,
        substitutions={ox.Variable(k): v for k, v in bindings.items()},
    )


def _text(term: object) -> str:
    return str(getattr(term, "value", "")) if term is not None else ""


def stored_hash(store: ox.Store, doc_id: str) -> str | None:
    """Return the content hash of the stored document ``doc_id`` (None: not stored).

    One index lookup, whatever the size of the store.

    Examples
    --------
    >>> stored_hash(ox.Store(), "a.txt") is None
    True
    """
    node = ox.NamedNode(str(document_iri(doc_id)))
    for quad in store.quads_for_pattern(node, _CONTENT_HASH, None, _DEFAULT):
        return _text(quad.object)
    return None


def _subject_quads(store: ox.Store, node: ox.NamedNode | ox.BlankNode) -> list[ox.Quad]:
    return list(store.quads_for_pattern(node, None, None, _DEFAULT))


def _typed(store: ox.Store, node: _Term, cls: ox.NamedNode) -> bool:
    return ox.Quad(node, _RDF_TYPE, cls, _DEFAULT) in store  # type: ignore[arg-type]


def _document_nodes(store: ox.Store, doc: ox.NamedNode) -> list[tuple[_Term, str]]:
    """Return the nodes that belong to one document alone, with their kind.

    Its sentences, the statements derived from them, the mentions in them
    and its entity links, found by index lookups from the document node
    (a SPARQL union over them scans the store, whatever is bound).
    """
    found: dict[_Term, str] = {}
    for part in store.quads_for_pattern(None, _IS_PART_OF, doc, _DEFAULT):
        sent = part.subject
        if _typed(store, sent, _SENTENCE):
            found.setdefault(sent, "sentence")
        for q in store.quads_for_pattern(None, _DERIVED_FROM, sent, _DEFAULT):
            if _typed(store, q.subject, _STATEMENT):
                found.setdefault(q.subject, "stmt")
        for q in store.quads_for_pattern(None, _IN_SENTENCE, sent, _DEFAULT):
            if _typed(store, q.subject, _MENTION):
                found.setdefault(q.subject, "mention")
    for q in store.quads_for_pattern(None, _IN_DOCUMENT, doc, _DEFAULT):
        if _typed(store, q.subject, _ENTITY_LINK):
            found.setdefault(q.subject, "link")
    return list(found.items())


def remove_document(store: ox.Store, doc: ox.NamedNode) -> bool:
    """Take one document and the facts only it supports out of ``store``.

    Returns whether the store held it. Reads only the document's own nodes
    and the entities and facts they name.

    Examples
    --------
    >>> remove_document(ox.Store(), ox.NamedNode("https://w3id.org/kg/id/doc/a"))
    False
    """
    if not _subject_quads(store, doc):
        return False
    nodes: list[tuple[_Term, str]] = [(doc, "doc"), *_document_nodes(store, doc)]
    assertions: set[tuple[_Term, _Term, _Term]] = set()
    touched: set[_Term] = set()
    doomed: list[ox.Quad] = []
    for node, kind in nodes:
        quads = _subject_quads(store, node)  # type: ignore[arg-type]
        doomed.extend(quads)
        if kind == "stmt":
            parts = {q.predicate.value: q.object for q in quads}
            rdf = str(NS["rdf"])
            spo = (
                parts.get(f"{rdf}subject"),
                parts.get(f"{rdf}predicate"),
                parts.get(f"{rdf}object"),
            )
            if None not in spo:
                assertions.add(spo)  # type: ignore[arg-type]
        elif kind == "mention":
            for quad in store.quads_for_pattern(None, _KGO_MENTION, node, _DEFAULT):
                doomed.append(quad)
                touched.add(quad.subject)
    for quad in doomed:
        store.remove(quad)
    for s, p, o in assertions:
        supported = _query(store, _SUPPORTED_QUERY, s=s, p=p, o=o)
        if not supported:
            store.remove(ox.Quad(s, p, o, _DEFAULT))  # type: ignore[arg-type]
    for entity in touched:
        if not _query(store, _HAS_MENTION_QUERY, e=entity):
            for quad in _subject_quads(store, entity):  # type: ignore[arg-type]
                store.remove(quad)
            continue
        _prune_labels(store, entity)  # type: ignore[arg-type]
    return True


def _prune_labels(store: ox.Store, entity: ox.NamedNode | ox.BlankNode) -> None:
    """Keep an entity's names to those its remaining mentions still use.

    Aliases no mention uses any more go; a label no mention uses any more is
    replaced by the fullest remaining name (most words, then longest).
    """
    rows = _query(store, _MENTION_TEXTS_QUERY, e=entity)
    assert isinstance(rows, ox.QuerySolutions)
    mentions = [(_text(r["text"]), _text(r["kind"]) or "name") for r in rows]
    texts = {text for text, _kind in mentions}
    for quad in list(store.quads_for_pattern(entity, _SKOS_ALT, None, _DEFAULT)):
        if _text(quad.object) not in texts:
            store.remove(quad)
    labels = list(store.quads_for_pattern(entity, _SKOS_PREF, None, _DEFAULT))
    names = [text for text, kind in mentions if kind == "name"]
    if not names or any(_text(q.object) in texts for q in labels):
        return
    best = preferred_label(names)
    for predicate in (_SKOS_PREF, _RDFS_LABEL):
        for quad in list(store.quads_for_pattern(entity, predicate, None, _DEFAULT)):
            store.remove(quad)
        store.add(ox.Quad(entity, predicate, ox.Literal(best), _DEFAULT))
    store.remove(ox.Quad(entity, _SKOS_ALT, ox.Literal(best), _DEFAULT))


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """A document's own quads (:func:`kg.rdf.own_quads`), serialised ahead.

    Made where the document is extracted (the build's extraction worker) by
    :func:`prepare_document`: N-Quads for the bulk loader and a Turtle body
    (no prefix declarations) for ``graph.ttl``.
    """

    document: Document
    nquads: bytes
    turtle: bytes


def prepare_document(document: Document) -> PreparedDocument:
    """Serialise a document's own quads ahead, for :func:`write_documents`.

    Examples
    --------
    >>> ready = prepare_document(Document("a.txt", "a.txt", "0" * 64, ()))
    >>> len(ready.nquads.splitlines()), ready.turtle.startswith(b"doc:a-txt-")
    (6, True)
    """
    quads = own_quads(document)
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    return PreparedDocument(document, bytes(nquads), _turtle_body(quads))


def _turtle_body(quads: Sequence[ox.Quad]) -> bytes:
    """Turtle of ``quads`` with kg's prefixes, without the prefix declarations."""
    data = ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=_TURTLE_PREFIXES)
    body = bytes(data or b"")
    end = 0
    while body.startswith(b"@prefix ", end):
        end = body.index(b"\n", end) + 1
    return body[end:]


@functools.cache
def _turtle_header() -> bytes:
    """Return the prefix declarations Oxigraph writes before kg's Turtle."""
    probe = [ox.Quad(_RDF_TYPE, _RDF_TYPE, _RDF_TYPE, _DEFAULT)]
    data = bytes(
        ox.serialize(probe, format=ox.RdfFormat.TURTLE, prefixes=_TURTLE_PREFIXES)
        or b""
    )
    return data[: len(data) - len(_turtle_body(probe))]
