"""``--store URL``: build into, query and remove from an external SPARQL 1.1 store.

Each document goes to its own named graph, the document's IRI: everything
the embedded store would hold for it (:func:`kg.rdf.own_quads`: its node,
sentences, mentions, statements and stated facts), what its entities say
about themselves (:func:`kg.rdf.entity_quads` of that document: class, key,
labels) and its entity links (:mod:`kg.link.persist`). A graph is replaced
with one Graph Store Protocol ``PUT`` (Oxigraph's server clears the graph,
then loads the new one in one transaction), and the document's content hash
is the body's last triple: a graph is listed as a stored document only with
it. So:

- rebuilding a document replaces its graph (never duplicates it), and
  builds from several machines meet in one store;
- a document listed is complete; a build that stops part way (the store
  went down, a ``PUT`` failed) leaves the documents it wrote complete and
  the others as they were or absent (a reader may see a document being
  replaced missing for that moment), and the next build writes those (it
  compares content hashes, as with the embedded store);
- removing a document is one ``DELETE`` of its graph, and takes its facts,
  and the entities only it names, with it.

There is no corpus graph: every triple belongs to the document that states
it. Corpus entity resolution (:func:`kg.link.link_into_store`) runs on an
in-memory mirror of the part of the store it reads: the entity links that
share a block key with the new entities, the other members of the corpus
entities they are on, and the nodes of those entities and of the keys the
new entities would take (read with ``CONSTRUCT`` queries over ``GRAPH ?g``,
standard SPARQL 1.1).

Known differences from the embedded store (see the README, "External
store"): the default graph of a query is the union of the documents' graphs,
so a triple two documents state (an entity's class, a fact both report)
comes once per document (use ``DISTINCT``), and an entity that a later
document names more fully than the stored ones carries both labels. Two
stored corpus entities a new document shows to be one are merged in every
document graph with one SPARQL Update (``BASE/update``), before the new
documents' graphs are written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pyoxigraph as ox

from kg.errors import ConfigError, KGError, QueryError
from kg.ontology import KGO_URI
from kg.rdf import NS, document_iri, entity_quads, own_quads, preferred_label
from kg.types import Document

if TYPE_CHECKING:
    from kg.link.curation import Curation
    from kg.render import RenderOptions, RenderReport

__all__ = [
    "WRITE_BATCH",
    "RemoteBatches",
    "RemoteError",
    "RemoteStore",
    "RemoteWrite",
    "remote_documents",
    "remove_remote",
    "render_remote",
    "query_remote",
    "snapshot_remote",
    "write_remote",
]

log = logging.getLogger(__name__)

_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_IN_DOCUMENT = ox.NamedNode(f"{KGO_URI}inDocument")
_LINKS_TO = ox.NamedNode(f"{KGO_URI}linksTo")
_CONTENT_HASH = ox.NamedNode(f"{KGO_URI}contentHash")
_LABEL = ox.NamedNode(str(NS["rdfs"]["label"]))
_PREF_LABEL = ox.NamedNode(str(NS["skos"]["prefLabel"]))
_ALT_LABEL = ox.NamedNode(str(NS["skos"]["altLabel"]))
#: terms per VALUES block of one mirror query
_VALUES_CHUNK = 200
#: suffixes "KEY 2" .. a new entity may take when KEY is taken (kg.link.cluster)
_KEY_SUFFIXES = 10

_DOCUMENTS_QUERY = """
SELECT ?g ?id ?source ?hash WHERE {
  GRAPH ?g { ?g a kgo:Document ; kgo:contentHash ?hash ; kgo:documentPath ?id .
             OPTIONAL { ?g dcterms:source ?source } }
}
ORDER BY ?id
"""
_LINKS_QUERY = """
CONSTRUCT { ?link ?p ?o } WHERE {
  VALUES ?key { %s }
  GRAPH ?g { ?link kgo:blockKey ?key ; ?p ?o }
  %s
}
"""
_MEMBERS_QUERY = """
CONSTRUCT { ?link ?p ?o } WHERE {
  VALUES ?entity { %s }
  GRAPH ?g { ?link kgo:linksTo ?entity ; ?p ?o }
  %s
}
"""
#: Merge corpus entity ?old into ?new in every document graph, as
#: :func:`kg.link.rewrite.rename_entity` does in the embedded store: the
#: node's own triples (class, key, names) are replaced by ?new's, its other
#: triples and every triple naming it move to ?new. One request.
_MERGE_UPDATE = """
DELETE { GRAPH ?g { ?old ?p ?o } }
INSERT { GRAPH ?g { ?new a ?cls ; dcterms:identifier ?key ;
                      rdfs:label ?best ; skos:prefLabel ?best ; skos:altLabel ?alt } }
WHERE {
  VALUES (?old ?new ?cls ?key ?best) { %s }
  GRAPH ?g { ?old ?p ?o
             FILTER (?p IN (rdf:type, dcterms:identifier, rdfs:label,
                            skos:prefLabel, skos:altLabel)) }
  OPTIONAL { GRAPH ?g { ?old rdfs:label|skos:altLabel ?alt FILTER (?alt != ?best) } }
} ;
DELETE { GRAPH ?g { ?old ?p ?o } } INSERT { GRAPH ?g { ?new ?p ?o } }
WHERE { VALUES (?old ?new) { %s } GRAPH ?g { ?old ?p ?o } } ;
DELETE { GRAPH ?g { ?s ?p ?old } } INSERT { GRAPH ?g { ?s ?p ?new } }
WHERE { VALUES (?old ?new) { %s } GRAPH ?g { ?s ?p ?old } }
"""
_NODES_QUERY = """
CONSTRUCT { ?node ?p ?o } WHERE {
  VALUES ?node { %s }
  VALUES ?p { rdf:type dcterms:identifier rdfs:label skos:prefLabel skos:altLabel }
  GRAPH ?g { ?node ?p ?o }
  %s
}
"""


#: the mentions of corpus entities: curation edits (kg.link.rewrite.move_link)
#: tell whether a node keeps mentions after a document's entity moves off it
_MENTIONS_QUERY = """
CONSTRUCT { ?node kgo:mention ?m } WHERE {
  VALUES ?node { %s }
  GRAPH ?g { ?node kgo:mention ?m }
  %s
}
"""


class RemoteError(KGError):
    """The external store cannot be reached or answered an error."""


@dataclass(frozen=True, slots=True)
class RemoteStore:
    """An external SPARQL 1.1 store, by its base URL.

    The Graph Store Protocol endpoint is ``BASE/store`` and the query
    endpoint ``BASE/query`` (Oxigraph's server layout).

    Examples
    --------
    >>> s = RemoteStore.parse("http://127.0.0.1:7878/")
    >>> s.store_url, s.query_url
    ('http://127.0.0.1:7878/store', 'http://127.0.0.1:7878/query')
    >>> RemoteStore.parse("ftp://x")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: store URL 'ftp://x' is not an http(s) URL, ...
    """

    base: str
    timeout: float = 60.0

    @classmethod
    def parse(cls, url: str, *, timeout: float = 60.0) -> RemoteStore:
        """Check ``url`` (an http(s) base URL) and return the store it names."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query:
            raise ConfigError(
                f"store URL {url!r} is not an http(s) URL, "
                "e.g. http://127.0.0.1:7878 (an Oxigraph server's base URL)"
            )
        return cls(url.rstrip("/"), timeout)

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint."""
        return f"{self.base}/store"

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint."""
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        """The SPARQL update endpoint."""
        return f"{self.base}/update"


@dataclass(frozen=True, slots=True)
class RemoteWrite:
    """What one build wrote to the external store.

    Examples
    --------
    >>> RemoteWrite(("a.txt",), 12).triples
    12
    """

    written: tuple[str, ...]
    triples: int


def _request(
    store: RemoteStore,
    method: str,
    url: str,
    *,
    params: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    import httpx

    try:
        response = httpx.request(
            method,
            url,
            params=params,
            data=data,
            content=content,
            headers=headers,
            timeout=store.timeout,
        )
    except httpx.HTTPError as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise RemoteError(
            f"cannot reach the store {store.base}: {detail}; "
            "is the server running? (the next build completes what this one did not)"
        ) from exc
    if response.status_code >= 300:
        text = " ".join(response.text.split())[:200]
        raise RemoteError(
            f"the store {store.base} answered HTTP {response.status_code} "
            f"to {method} {url}: {text}"
        )
    return response.content


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _PREFIXES.items())


def _select(store: RemoteStore, text: str) -> ox.QuerySolutions:
    data = _request(
        store,
        "POST",
        store.query_url,
        data={"query": _prologue() + text},
        headers={"Accept": "application/sparql-results+json"},
    )
    rows = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    assert isinstance(rows, ox.QuerySolutions)
    return rows


def _construct(store: RemoteStore, text: str, into: ox.Store) -> None:
    data = _request(
        store,
        "POST",
        store.query_url,
        data={"query": _prologue() + text},
        headers={"Accept": "application/n-triples"},
    )
    if data.strip():
        into.load(data, format=ox.RdfFormat.N_TRIPLES)


def _text(term: object) -> str:
    return str(getattr(term, "value", "")) if term is not None else ""


@dataclass(frozen=True, slots=True)
class _Stored:
    iri: str
    doc_id: str
    source: str
    sha256: str


def _stored(store: RemoteStore) -> list[_Stored]:
    return [
        _Stored(_text(r["g"]), _text(r["id"]), _text(r["source"]), _text(r["hash"]))
        for r in _select(store, _DOCUMENTS_QUERY)
    ]


def remote_documents(store: RemoteStore) -> dict[str, str]:
    """Return the documents the external store holds: id → content hash.

    Raises
    ------
    RemoteError
        The store cannot be reached or answered an error.

    Examples
    --------
    >>> remote_documents(RemoteStore.parse("http://127.0.0.1:9", timeout=2))
    Traceback (most recent call last):
    ...
    kg.remote.RemoteError: cannot reach the store http://127.0.0.1:9: ...
    """
    return {d.doc_id: d.sha256 for d in _stored(store)}


def _terms(terms: Iterable[ox.NamedNode | ox.Literal]) -> list[str]:
    # N-Triples serialisation of minted IRIs and literals: escaped, safe in VALUES
    return sorted({str(t) for t in terms})


def _chunks(items: Sequence[str]) -> Iterable[str]:
    for i in range(0, len(items), _VALUES_CHUNK):
        yield " ".join(items[i : i + _VALUES_CHUNK])


def _not_in(graphs: Sequence[ox.NamedNode]) -> str:
    if not graphs:
        return ""
    return f"FILTER (?g NOT IN ({', '.join(_terms(graphs))}))"


def _mirror(
    store: RemoteStore, documents: Sequence[Document], extra: Sequence[str] = ()
) -> ox.Store:
    """Copy into memory what corpus entity resolution reads of the stored graph.

    The graphs of ``documents`` (their earlier versions) are left out, as
    the embedded store removes them before resolving; ``extra`` block keys
    (the curation file's) are read too.
    """
    from kg.link.rewrite import entity_node
    from kg.link.summary import summarize_document

    mirror = ox.Store()
    skip = _not_in([ox.NamedNode(str(document_iri(d.doc_id))) for d in documents])
    summaries = [s for d in documents for s in summarize_document(d)]
    keys = _terms(
        ox.Literal(k) for k in [*(k for s in summaries for k in s.keys), *extra]
    )
    for chunk in _chunks(keys):
        _construct(store, _LINKS_QUERY % (chunk, skip), mirror)
    linked = {q.object for q in mirror.quads_for_pattern(None, _LINKS_TO, None)}
    entities = _terms(t for t in linked if isinstance(t, ox.NamedNode))
    for chunk in _chunks(entities):
        _construct(store, _MEMBERS_QUERY % (chunk, skip), mirror)
    wanted = [entity_node(s.key) for s in summaries]
    wanted += [
        entity_node(f"{s.key} {n}") for s in summaries for n in range(2, _KEY_SUFFIXES)
    ]
    nodes = _terms([*wanted, *(ox.NamedNode(e[1:-1]) for e in entities)])
    for chunk in _chunks(nodes):
        _construct(store, _NODES_QUERY % (chunk, skip), mirror)
    if extra:  # the curation file may move documents' entities off these nodes
        for chunk in _chunks(entities):
            _construct(store, _MENTIONS_QUERY % (chunk, skip), mirror)
    return mirror


def _labels(mirror: ox.Store) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for q in mirror.quads_for_pattern(None, _PREF_LABEL, None):
        names.setdefault(_text(q.subject), set()).add(_text(q.object))
    return names


def _merge(
    store: RemoteStore,
    mirror: ox.Store,
    merged: Sequence[tuple[str, str]],
    names: dict[str, set[str]],
) -> None:
    """Merge stored corpus entities a new document showed to be one (one Update)."""
    from kg.link.rewrite import entity_class, entity_node

    rows: list[str] = []
    pairs: list[str] = []
    for old_key, new_key in merged:
        old, new = entity_node(old_key), entity_node(new_key)
        cls = entity_class(mirror, new)
        labels = names.get(old.value, set()) | names.get(new.value, set())
        if not cls or not labels:
            continue
        best = ox.Literal(preferred_label(labels))
        cls_node = ox.NamedNode(f"{KGO_URI}{cls}")
        rows.append(f"({old} {new} {cls_node} {ox.Literal(new_key)} {best})")
        pairs.append(f"({old} {new})")
    if not rows:
        return
    update = _MERGE_UPDATE % (" ".join(rows), " ".join(pairs), " ".join(pairs))
    _request(
        store,
        "POST",
        store.update_url,
        data={"update": _prologue() + update},
    )


def _settled(
    quads: Sequence[ox.Quad],
    mirror: ox.Store,
    batch: dict[str, str] | None = None,
) -> list[ox.Quad]:
    """Settle the labels of entities the store names already, as the embedded store.

    The fullest of the stored labels and this document's label is the label
    (``rdfs:label``, ``skos:prefLabel``); the other is an ``skos:altLabel``.
    ``batch`` gives the label each entity takes over the documents written
    together (:func:`kg.rdf.entity_quads` of all of them, as the embedded
    store writes them), so documents of one batch naming one entity
    differently settle on the same label.
    (A stored document's graph keeps its own label: when this document's
    name is the fuller one, the union shows both labels.)
    """
    labels = {_text(q.subject): _text(q.object) for q in quads if q.predicate == _LABEL}
    best: dict[str, str] = {}
    extra: list[ox.Quad] = []
    for iri, label in labels.items():
        node = ox.NamedNode(iri)
        stored = {
            _text(q.object) for q in mirror.quads_for_pattern(node, _PREF_LABEL, None)
        }
        if batch is not None and iri in batch:
            stored.add(batch[iri])
        if not stored or stored == {label}:
            continue
        best[iri] = preferred_label({label, *stored})
        extra += [
            ox.Quad(node, _ALT_LABEL, ox.Literal(name))
            for name in sorted({label, *stored} - {best[iri]})
        ]
    out: list[ox.Quad] = []
    for q in quads:
        settled = best.get(_text(q.subject))
        if settled is None:
            out.append(q)
        elif q.predicate in {_LABEL, _PREF_LABEL}:
            out.append(ox.Quad(q.subject, q.predicate, ox.Literal(settled)))
        elif q.predicate != _ALT_LABEL or _text(q.object) != settled:
            out.append(q)
    return list(dict.fromkeys([*out, *extra]))


def _document_graph(
    document: Document,
    links: Sequence[ox.Quad],
    mirror: ox.Store,
    batch: dict[str, str] | None = None,
) -> bytes:
    """Return the N-Triples of a document's graph, its content hash last.

    The hash is what marks a stored document complete (:func:`remote_documents`
    lists only graphs that have it), so a store that loads a body in pieces
    and stops part way leaves a document the next build writes again.
    """
    entities = _settled(entity_quads([document]), mirror, batch)
    quads = (*own_quads(document), *entities, *links)
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in quads
        if q.predicate != _CONTENT_HASH
    ]
    triples += [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in quads
        if q.predicate == _CONTENT_HASH
    ]
    return bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")


def write_remote(
    store: RemoteStore,
    documents: Sequence[Document],
    *,
    refresh: bool = False,
    curation: Curation | None = None,
) -> RemoteWrite:
    """Write extracted documents to the external store, one named graph each.

    A document stored with the same id and content hash is left as it is
    unless ``refresh``. The others' entities are resolved against the
    stored ones (:func:`kg.link.link_into_store` on a mirror of what it
    reads), following ``curation`` (the curation file, which the build
    applied to the stored entities first, :func:`kg.remote_curation.curate_remote`),
    then each document's graph is replaced with one ``PUT``.

    Raises
    ------
    RemoteError
        The store cannot be reached or answered an error (the documents
        written before it stay complete; the rest are as they were).

    Examples
    --------
    >>> write_remote(RemoteStore.parse("http://127.0.0.1:9", timeout=2), [])
    Traceback (most recent call last):
    ...
    kg.remote.RemoteError: cannot reach the store http://127.0.0.1:9: ...
    """
    from kg.link import link_into_store
    from kg.store_writes import _canonical_classes

    stored = {} if refresh else remote_documents(store)
    todo = [d for d in documents if refresh or stored.get(d.doc_id) != d.sha256]
    if not todo:
        return RemoteWrite((), 0)
    extra = _curation_keys(curation) if curation is not None else ()
    mirror = _mirror(store, todo, extra)
    names = _labels(mirror)
    linked = link_into_store(mirror, todo, curation=curation)
    if linked.merged:
        # before the documents: a merge stands on its own, and a re-run of
        # a document that then fails finds the stored entities merged
        _merge(store, mirror, linked.merged, names)
    final = _canonical_classes(linked.documents, linked.existing)
    # each entity link goes to the graph of the document it is in
    doc_of = {
        _text(q.subject): _text(q.object)
        for q in linked.quads
        if q.predicate == _IN_DOCUMENT
    }
    links: dict[str, list[ox.Quad]] = {}
    for quad in linked.quads:
        links.setdefault(doc_of[_text(quad.subject)], []).append(quad)
    batch = {
        _text(q.subject): _text(q.object)
        for q in entity_quads(final)
        if q.predicate == _LABEL
    }
    triples = 0
    for document in final:
        iri = str(document_iri(document.doc_id))
        data = _document_graph(document, links.get(iri, []), mirror, batch)
        triples += data.count(b"\n")
        _request(
            store,
            "PUT",
            store.store_url,
            params={"graph": iri},
            content=data,
            headers={"Content-Type": "application/n-triples"},
        )
    return RemoteWrite(tuple(d.doc_id for d in final), triples)


def _curation_keys(curation: Curation) -> tuple[str, ...]:
    return tuple(
        sorted({k for r in curation.rules for f in r.refs for k in f.block_keys()})
    )


#: documents resolved and written together by ``kg build --store``
WRITE_BATCH = 64


class RemoteBatches:
    """Write documents to the external store in batches, as a build extracts them.

    The client holds at most :data:`WRITE_BATCH` extracted documents; each
    batch is resolved against what the store holds (the earlier batches
    included) and written (:func:`write_remote`), whether or not the store
    holds it already (the build skipped unchanged documents before).

    Examples
    --------
    >>> batches = RemoteBatches(RemoteStore.parse("http://127.0.0.1:9"))
    >>> batches.close()  # nothing pending: no request
    >>> batches.written
    0
    """

    def __init__(
        self,
        store: RemoteStore,
        *,
        size: int | None = None,
        curation: Curation | None = None,
    ) -> None:
        self.store = store
        self.size = size or WRITE_BATCH
        self.curation = curation
        self.pending: list[Document] = []
        self.written = 0

    def add(self, document: Document) -> None:
        """Take one document; write the batch when it is full."""
        self.pending.append(document)
        if len(self.pending) >= self.size:
            self.close()

    def close(self) -> None:
        """Write the documents still pending."""
        if self.pending:
            # the build left out the documents stored unchanged already: no
            # listing of every stored document per batch
            done = write_remote(
                self.store, self.pending, refresh=True, curation=self.curation
            )
            self.written += len(done.written)
            self.pending = []


def _resolve(documents: Sequence[_Stored], name: str) -> _Stored:
    from kg.inputs import document_id

    exact = [d for d in documents if name in {d.doc_id, d.iri}]
    if not exact:
        try:
            path = document_id(name)
        except KGError:
            path = ""
        exact = [d for d in documents if d.doc_id == path]
    if not exact and "/" not in name:
        exact = [d for d in documents if d.source == name]
    if len(exact) == 1:
        return exact[0]
    if exact:
        names = ", ".join(repr(d.doc_id) for d in exact[:8])
        raise ConfigError(
            f"{name!r} names {len(exact)} documents: {names}; give its id"
        )
    known = ", ".join(repr(d.doc_id) for d in documents[:8]) or "none"
    raise ConfigError(f"no document {name!r} in the store; stored documents: {known}")


def remove_remote(store: RemoteStore, names: Sequence[str]) -> tuple[str, ...]:
    """Delete documents' graphs from the external store; return their ids.

    Every name is resolved (id, IRI, path or a file name naming one
    document) before anything is deleted.

    Raises
    ------
    ConfigError
        A name matches no stored document, or several.
    RemoteError
        The store cannot be reached or answered an error.

    Examples
    --------
    >>> remove_remote(RemoteStore.parse("http://127.0.0.1:9", timeout=2), ["a.txt"])
    Traceback (most recent call last):
    ...
    kg.remote.RemoteError: cannot reach the store http://127.0.0.1:9: ...
    """
    documents = _stored(store)
    found = [_resolve(documents, name) for name in names]
    for doc in found:
        _request(store, "DELETE", store.store_url, params={"graph": doc.iri})
    return tuple(d.doc_id for d in found)


_SNAPSHOT_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def snapshot_remote(store: RemoteStore) -> ox.Store:
    """Copy the union of the store's document graphs into an in-memory store.

    For what reads a whole graph (``kg render``, ``kg explain``): it reads
    the whole store, so its memory grows with it.

    Raises
    ------
    RemoteError
        The store cannot be reached or answered an error.

    Examples
    --------
    >>> snapshot_remote(RemoteStore.parse("http://127.0.0.1:9", timeout=2))
    Traceback (most recent call last):
    ...
    kg.remote.RemoteError: cannot reach the store http://127.0.0.1:9: ...
    """
    snapshot = ox.Store()
    _construct(store, _SNAPSHOT_QUERY, snapshot)
    return snapshot


def render_remote(
    store: RemoteStore, out: Path, *, options: RenderOptions | None = None
) -> RenderReport:
    """Draw ``out/graph.html`` from a snapshot of the store (:func:`snapshot_remote`).

    Raises
    ------
    RemoteError
        The store cannot be reached or answered an error (nothing written).
    ConfigError
        ``out`` cannot be made.

    Examples
    --------
    >>> render_remote(RemoteStore.parse("http://127.0.0.1:9", timeout=2), Path("x"))
    Traceback (most recent call last):
    ...
    kg.remote.RemoteError: cannot reach the store http://127.0.0.1:9: ...
    """
    from kg.render import collect_store_view, write_html

    snapshot = snapshot_remote(store)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot write to the output folder {str(out)!r} "
            f"({exc.strerror or exc}); choose another with --out"
        ) from exc
    return write_html(collect_store_view(snapshot), out / "graph.html", options=options)


def query_remote(
    store: RemoteStore, text: str
) -> ox.QuerySolutions | ox.QueryBoolean | bytes:
    """Run a read-only SPARQL query on the union of the store's document graphs.

    kg's prefixes are declared ahead of ``text``. ``SELECT`` and ``ASK``
    give Oxigraph results (as :func:`kg.query.run_query` does), ``CONSTRUCT``
    and ``DESCRIBE`` N-Triples bytes. The union default graph is asked for
    with Oxigraph's ``union-default-graph`` parameter.

    Raises
    ------
    QueryError
        A syntax error or a SPARQL Update.
    RemoteError
        The store cannot be reached or answered an error.

    Examples
    --------
    >>> query_remote(RemoteStore.parse("http://127.0.0.1:9"), "DELETE WHERE {?s ?p ?o}")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: kg queries are read-only: ...
    """
    from kg.query import is_update, prepare_query, query_kind

    if is_update(text):
        raise QueryError(
            "kg queries are read-only: SPARQL Update (INSERT, DELETE, LOAD, ...) "
            "is refused; rebuild with `kg build` or `kg remove` instead"
        )
    prepare_query(text)  # a syntax error is reported here, with its position
    graph = query_kind(text) in {"construct", "describe"}
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    data = _request(
        store,
        "POST",
        store.query_url,
        params={"union-default-graph": ""},
        data={"query": _prologue() + text},
        headers={"Accept": accept},
    )
    if graph:
        return data
    result = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    assert isinstance(result, ox.QuerySolutions | ox.QueryBoolean)
    return result
