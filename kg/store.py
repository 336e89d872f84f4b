"""The persistent store: an embedded Oxigraph database under ``output/store``.

kg keeps its graph in `Oxigraph <https://github.com/oxigraph/oxigraph>`_
(``pyoxigraph``), an embedded RocksDB-backed triple store whose SPARQL engine
is written in Rust, used directly rather than through ``oxrdflib`` because
that is where it is fast (see ``benchmarks/sparql_latency.py``). Everything
lives in the store's default graph, so a plain ``?s kgo:owns ?o`` just works
in any tool that opens it (``oxigraph serve-read-only --location
output/store``). ``graph.ttl`` next to it is the same graph in Turtle.

Writes are atomic from the user's point of view: ``output/store`` is a
symbolic link to a generation folder ``output/.store-<token>``. A write
checkpoints the current generation into a new folder (hard links, cheap),
applies its changes there, and only then repoints the link with one
``rename``. A failed or interrupted build leaves the link, and so the store,
as it was. Writers take turns (``flock`` on ``output/.kg-write.lock``);
readers open a generation read-only and never wait; the replaced generation
is kept one more write for readers that opened it just before the switch.

A document stored with the same id and content hash is not written again;
a changed one replaces its earlier version.

New facts go in as Oxigraph terms (:func:`kg.rdf.own_quads`, or what the
build's extraction worker serialised ahead, :func:`prepare_document`)
through the bulk loader, with no rdflib graph in between. A write into an
empty store (a new output) pieces ``graph.ttl`` together from the
documents' Turtle, since the store will hold exactly those quads, and
``kg build`` draws its ``graph.html`` from the merged documents while the
store loads (``on_merged``); otherwise both are derived from the closed
staged copy, the Turtle by a forked process when the store is big
(``parallel``), the page from SPARQL (:func:`kg.render.collect_store_view`).
See ``benchmarks/results/throughput-notes.md``.

Incremental builds rely on the provenance model only: a document's facts are
found through its sentences (``dcterms:isPartOf``), statements
(``prov:wasDerivedFrom``) and mentions (``kgo:inSentence``); a plain
assertion ``?s ?p ?o`` is kept as long as one ``rdf:Statement`` anywhere in
the store still supports it, and an entity as long as one mention of it is
left.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import ConfigError
from kg.generations import (
    _TURTLE_PREFIXES,
    STORE_DIRNAME,
    _commit_files,
    _stage_outputs,
    _transact,
)
from kg.ontology import KGO_URI
from kg.rdf import (
    NS,
    document_iri,
    entity_quads,
    mint_iri,
    new_graph,
    own_quads,
    preferred_label,
)
from kg.types import Document, Entity

if TYPE_CHECKING:
    from kg.link.shuffle import Premapped

__all__ = [
    "EXPORT_FORMATS",
    "STORE_DIRNAME",
    "PreparedDocument",
    "StoredDocument",
    "WriteReport",
    "export_store",
    "has_store",
    "list_documents",
    "load_graph",
    "open_store",
    "prepare_document",
    "remove_documents",
    "resolve_document",
    "shapes_path",
    "store_path",
    "stored_entities",
    "ValidationReport",
    "validate_graph",
    "validate_output",
    "write_documents",
]

log = logging.getLogger(__name__)

_T = TypeVar("_T")
_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: ``kg export --format`` names and the Oxigraph format they write.
EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_DEFAULT = ox.DefaultGraph()
_RDF_TYPE = ox.NamedNode(str(NS["rdf"]["type"]))
_KGO_MENTION = ox.NamedNode(f"{KGO_URI}mention")
_SKOS_ALT = ox.NamedNode(str(NS["skos"]["altLabel"]))
_SKOS_PREF = ox.NamedNode(str(NS["skos"]["prefLabel"]))
_RDFS_LABEL = ox.NamedNode(str(NS["rdfs"]["label"]))

_DOCUMENTS_QUERY = """
SELECT ?doc ?id ?source ?hash (COUNT(DISTINCT ?sent) AS ?sentences)
WHERE {
  ?doc a kgo:Document ; kgo:contentHash ?hash .
  OPTIONAL { ?doc kgo:documentPath ?id }
  OPTIONAL { ?doc dcterms:source ?source }
  OPTIONAL { ?sent dcterms:isPartOf ?doc }
}
GROUP BY ?doc ?id ?source ?hash
ORDER BY ?id
"""
#: Every node that belongs to one document alone: its sentences, the
#: statements derived from them and the mentions in them. (A substituted
#: variable is bound after evaluation, so it is only used in triple patterns.)
_DOCUMENT_NODES_QUERY = """
SELECT DISTINCT ?doc ?node ?kind WHERE {
  { ?node dcterms:isPartOf ?doc ; a kgo:Sentence . BIND("sentence" AS ?kind) }
  UNION { ?sent dcterms:isPartOf ?doc .
          ?node prov:wasDerivedFrom ?sent ; a rdf:Statement .
          BIND("stmt" AS ?kind) }
  UNION { ?sent dcterms:isPartOf ?doc . ?node kgo:inSentence ?sent ; a kgo:Mention .
          BIND("mention" AS ?kind) }
  UNION { ?node kgo:inDocument ?doc ; a kgo:EntityLink . BIND("link" AS ?kind) }
}
"""
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
_ENTITIES_QUERY = """
SELECT ?e ?key ?cls ?name (SAMPLE(?kind) AS ?named)
       (GROUP_CONCAT(DISTINCT ?alt; separator="\\u001f") AS ?alts)
WHERE {
  ?e kgo:mention ?m ; a ?cls ; rdfs:label ?name .
  FILTER(STRSTARTS(STR(?cls), STR(kgo:)))
  OPTIONAL { ?e dcterms:identifier ?key }
  OPTIONAL { ?e skos:altLabel ?alt }
  OPTIONAL { ?e kgo:mention/kgo:mentionKind ?kind FILTER(?kind = "name") }
}
GROUP BY ?e ?key ?cls ?name
ORDER BY ?e
"""


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document held in the store.

    Examples
    --------
    >>> iri = "https://w3id.org/kg/id/doc/a-txt"
    >>> StoredDocument(iri, "a.txt", "a.txt", "0" * 64, 3).doc_id
    'a.txt'
    """

    iri: str
    doc_id: str
    source: str
    sha256: str
    sentences: int


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What one write to the store changed.

    Examples
    --------
    >>> WriteReport(10, 14, ("a.txt",), ()).added
    4
    """

    triples_before: int
    triples_after: int
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...] = ()

    @property
    def added(self) -> int:
        """Net number of triples added (negative when the store shrank)."""
        return self.triples_after - self.triples_before


def store_path(out_dir: Path | str) -> Path:
    """Return the path of the store inside an output folder.

    Examples
    --------
    >>> store_path("output")
    PosixPath('output/store')
    """
    return Path(out_dir) / STORE_DIRNAME


def has_store(out_dir: Path | str) -> bool:
    """Tell whether ``out_dir`` holds a kg store.

    Examples
    --------
    >>> import tempfile
    >>> has_store(tempfile.mkdtemp())
    False
    """
    return store_path(out_dir).is_dir()


def open_store(out_dir: Path | str) -> ox.Store:
    """Open the store of an output folder read-only.

    Read-only instances take no lock, so any number of readers (``kg query``,
    ``kg serve``, notebooks) can share a store.

    Raises
    ------
    ConfigError
        The folder holds no store yet.

    Examples
    --------
    >>> import tempfile
    >>> open_store(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: no kg store in ...
    """
    path = store_path(out_dir)
    if not path.is_dir():
        raise ConfigError(
            f"no kg store in {str(Path(out_dir))!r}; "
            f"run `kg build FILES --out {out_dir}` first"
        )
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as either
        detail = " ".join(str(exc).split())
        raise ConfigError(
            f"cannot open the store {str(path)!r}: {detail}; "
            f"rebuild it with `kg build FILES --out {out_dir}`"
        ) from exc


def _query(store: ox.Store, text: str, **bindings: _Term) -> object:
    return store.query(
        text,
        prefixes=_PREFIXES,
        substitutions={ox.Variable(k): v for k, v in bindings.items()},
    )


def _graph_from(store: ox.Store) -> Graph:
    graph = new_graph()
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=_DEFAULT)
    if data:
        graph.parse(data=data, format="nt")
    return graph


def load_graph(out_dir: Path | str) -> Graph:
    """Return the graph stored in ``out_dir`` as an in-memory rdflib graph.

    Falls back to ``out_dir/graph.ttl`` when the folder has no store (a
    folder written by an older kg). kg's prefixes are bound.

    Raises
    ------
    ConfigError
        The folder holds neither a store nor ``graph.ttl``.

    Examples
    --------
    >>> import tempfile
    >>> load_graph(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: no kg store in ...
    """
    ttl = Path(out_dir) / "graph.ttl"
    if not has_store(out_dir) and ttl.is_file():
        graph = new_graph()
        graph.parse(ttl, format="turtle")
        return graph
    return _graph_from(open_store(out_dir))


def _text(term: object) -> str:
    return str(getattr(term, "value", "")) if term is not None else ""


def list_documents(out_dir: Path | str) -> tuple[StoredDocument, ...]:
    """Return the documents held in the store of ``out_dir``, by id.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, ())])
    >>> [doc.doc_id for doc in list_documents(d)]
    ['a.txt']
    """
    return _documents(open_store(out_dir))


def _documents(store: ox.Store) -> tuple[StoredDocument, ...]:
    rows = _query(store, _DOCUMENTS_QUERY)
    assert isinstance(rows, ox.QuerySolutions)
    return tuple(
        StoredDocument(
            iri=_text(row["doc"]),
            doc_id=_text(row["id"]),
            source=_text(row["source"]),
            sha256=_text(row["hash"]),
            sentences=int(_text(row["sentences"]) or 0),
        )
        for row in rows
    )


def stored_entities(store: ox.Store) -> tuple[Entity, ...]:
    """Return the entities of a store, for merging new documents into them.

    Mentions are not loaded (merging compares names, classes and keys only).

    Examples
    --------
    >>> stored_entities(ox.Store())
    ()
    """
    rows = _query(store, _ENTITIES_QUERY)
    assert isinstance(rows, ox.QuerySolutions)
    entities: dict[str, Entity] = {}
    for row in rows:
        iri = _text(row["e"])
        if iri in entities:
            continue
        key = _text(row["key"]) or iri.rsplit("/", 1)[-1]
        cls = _text(row["cls"])[len(KGO_URI) :]
        alts = tuple(sorted(a for a in _text(row["alts"]).split("\x1f") if a))
        entities[iri] = Entity(
            key=key,
            label=cls,
            name=_text(row["name"]),
            mentions=(),
            aliases=alts,
            named=row["named"] is not None,
        )
    return tuple(entities.values())


def _subject_quads(store: ox.Store, node: ox.NamedNode | ox.BlankNode) -> list[ox.Quad]:
    return list(store.quads_for_pattern(node, None, None, _DEFAULT))


def _remove_document(store: ox.Store, doc: ox.NamedNode) -> bool:
    """Take one document and the facts only it supports out of ``store``."""
    rows = _query(store, _DOCUMENT_NODES_QUERY, doc=doc)
    assert isinstance(rows, ox.QuerySolutions)
    if not _subject_quads(store, doc):
        return False
    nodes: list[tuple[_Term, str]] = [(doc, "doc")]
    nodes += [
        (row["node"], _text(row["kind"])) for row in rows if row["node"] is not None
    ]
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


def _canonical_classes(
    documents: Sequence[Document], existing: Sequence[Entity]
) -> tuple[Document, ...]:
    """Give entities merged into stored ones the stored class.

    The first document to mention an entity fixes its class, so adding or
    removing a later one never retypes it. (Labels are settled afterwards by
    :func:`_settle_labels`.)
    """
    known = {e.key: e.label for e in existing}
    out: list[Document] = []
    for document in documents:
        entities = tuple(
            replace(e, label=known[e.key])
            if known.get(e.key, e.label) != e.label
            else e
            for e in document.entities
        )
        out.append(replace(document, entities=entities))
    return tuple(out)


def _settle_labels(store: ox.Store, entities: Iterable[ox.NamedNode]) -> bool:
    """Leave each entity one label, the fullest of its names; the rest are aliases.

    Returns whether any entity had more than one.
    """
    settled = False
    for entity in entities:
        labels = {
            _text(q.object)
            for q in store.quads_for_pattern(entity, _SKOS_PREF, None, _DEFAULT)
        }
        if len(labels) <= 1:
            continue
        best = preferred_label(labels)
        for predicate in (_SKOS_PREF, _RDFS_LABEL):
            for quad in list(
                store.quads_for_pattern(entity, predicate, None, _DEFAULT)
            ):
                store.remove(quad)
            store.add(ox.Quad(entity, predicate, ox.Literal(best), _DEFAULT))
        for name in labels - {best}:
            store.add(ox.Quad(entity, _SKOS_ALT, ox.Literal(name), _DEFAULT))
        settled = True
    return settled


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


def write_documents(
    out_dir: Path | str,
    documents: Sequence[Document],
    *,
    derive: Callable[[ox.Store], Mapping[str, bytes]] | None = None,
    refresh: bool = False,
    turtle: str | None = "graph.ttl",
    prepared: Mapping[str, PreparedDocument] | None = None,
    premapped: Premapped | None = None,
    parallel: bool = True,
    on_merged: Callable[[Sequence[Document], bool, Sequence[ox.Quad]], None]
    | None = None,
) -> WriteReport:
    """Add documents to the store of ``out_dir``, replacing earlier versions.

    A document already stored with the same id and content hash is left as
    it is (so building the same document again changes nothing, whatever was
    added since), unless ``refresh`` asks to extract it again. Any other
    document replaces the stored document of the same id (its facts are
    removed first, keeping facts other documents support); its entities are
    resolved against the stored ones by the corpus step
    (:func:`kg.link.link_into_store`, following the curation file of
    ``out_dir``), which also writes each entity's link (why it is on its
    node). The write is staged and published atomically.

    Parameters
    ----------
    out_dir
        The output folder; its store is created if missing.
    documents
        Extracted documents (entity keys local to each document).
    derive
        Optional function from the new store (the staged, not yet published
        generation) to files (name → bytes) to write next to the store, e.g.
        ``graph.html``; they are prepared before the store is published and
        renamed into place after. It reads the store directly (e.g.
        :func:`kg.render.collect_store_view`), with no copy into rdflib.
    refresh
        Replace stored documents even when their content is unchanged (after
        an extractor change).
    turtle
        File name of the Turtle copy of the graph written next to the store
        (``graph.ttl``); None writes none.
    prepared
        :func:`prepare_document` of documents computed ahead (e.g. by the
        build's extraction worker), by document id; used for a document that
        merging left unchanged (the others are converted here). Same store
        either way.
    premapped
        The corpus step's map and reduce, run ahead on a cluster
        (:class:`kg.link.Premapped`).
    parallel
        Let a forked process dump a big store's ``graph.ttl`` while
        ``derive`` runs here; False keeps all the work in this process.
        Same files either way.
    on_merged
        Called with the documents as they will be stored (entities merged
        with each other and with the stored ones) before they are loaded,
        whether the store held nothing before this write (then they are
        all it will hold) and the quads of their entity links, e.g. to start
        drawing ``graph.html`` from them while the store is loaded
        (``kg build``).

    Returns
    -------
    WriteReport
        Triple counts before and after, documents written.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> r = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, ())])
    >>> r.triples_before, r.triples_after > 0
    (0, True)
    """
    from kg.link import link_into_store, read_curation

    curation = read_curation(out_dir)  # a bad curation file stops here
    if not refresh and documents and has_store(out_dir):
        # nothing new: no staged generation, no rewritten files
        store = open_store(out_dir)
        stored = {d.doc_id: d.sha256 for d in _documents(store)}
        if all(stored.get(d.doc_id) == d.sha256 for d in documents):
            size = len(store)
            return WriteReport(size, size, (), (), tuple(d.doc_id for d in documents))
    todo: list[Document] = []
    unchanged: list[str] = []
    made_turtle: list[bytes] = []  # graph.ttl, when made without the store

    def apply(store: ox.Store) -> tuple[int, int]:
        before = len(store)
        stored = {d.doc_id: d.sha256 for d in _documents(store)}
        for document in documents:
            if not refresh and stored.get(document.doc_id) == document.sha256:
                unchanged.append(document.doc_id)
                continue
            todo.append(document)
            _remove_document(store, ox.NamedNode(str(document_iri(document.doc_id))))
        if todo:
            linked = link_into_store(
                store, todo, curation=curation, premapped=premapped
            )
            merged, existing = linked.documents, linked.existing
            final = _canonical_classes(merged, existing)
            if on_merged is not None:
                on_merged(final, before == 0, linked.quads)
            ready: dict[str, PreparedDocument] = {}
            for document in final:
                ahead = prepared.get(document.doc_id) if prepared else None
                if ahead is not None and ahead.document == document:
                    ready[document.doc_id] = ahead
            # the staged copy is private until published, so the faster
            # non-transactional bulk loaders are safe (a failure deletes it).
            # Oxigraph's loader runs without the GIL: the N-Quads made ahead
            # load in a thread while the other documents' quads are made here.
            with ThreadPoolExecutor(max_workers=1) as loader:
                loading = (
                    loader.submit(
                        store.bulk_load,
                        b"".join(r.nquads for r in ready.values()),
                        format=ox.RdfFormat.N_QUADS,
                    )
                    if ready
                    else None
                )
                own = {d.doc_id: own_quads(d) for d in final if d.doc_id not in ready}
                entities = entity_quads(final) + list(linked.quads)
                # a new store holds exactly these quads: graph.ttl is their
                # Turtle, pieced together, instead of a dump of the store
                pieces = [_turtle_header(), _turtle_body(entities)]
                if before == 0 and turtle is not None:
                    for document in final:
                        done = ready.get(document.doc_id)
                        pieces.append(
                            done.turtle
                            if done is not None
                            else _turtle_body(own[document.doc_id])
                        )
                if loading is not None:
                    loading.result()
            rest = [q for quads in own.values() for q in quads] + entities
            store.bulk_load(
                bytes(ox.serialize(rest, format=ox.RdfFormat.N_QUADS) or b""),
                format=ox.RdfFormat.N_QUADS,
            )
            # entity_quads gives each entity one label: only entities that
            # were stored already can have two (a new store has none)
            settled = before > 0 and _settle_labels(
                store,
                {
                    ox.NamedNode(str(mint_iri("entity", e.key)))
                    for d in merged
                    for e in d.entities
                },
            )
            if before == 0 and turtle is not None and not settled:
                made_turtle.append(b"".join(pieces))
        return before, len(store)

    outputs = functools.partial(
        _stage_outputs,
        Path(out_dir),
        derive,
        turtle,
        parallel=parallel,
        made_turtle=made_turtle,
    )
    (before, after), staged = _transact(out_dir, apply, outputs)
    _commit_files(staged)
    written = tuple(d.doc_id for d in todo)
    return WriteReport(before, after, written, (), tuple(unchanged))


def remove_documents(
    out_dir: Path | str,
    names: Sequence[str],
    *,
    derive: Callable[[ox.Store], Mapping[str, bytes]] | None = None,
    turtle: str | None = "graph.ttl",
) -> WriteReport:
    """Take documents, and the facts only they support, out of the store.

    A fact (plain assertion) that another document also states stays, and
    so does an entity another document mentions. ``derive`` and ``turtle``
    are as in :func:`write_documents`.

    Raises
    ------
    ConfigError
        A name matches no stored document.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, ())])
    >>> remove_documents(d, ["a.txt"]).triples_after
    0
    """
    found = [resolve_document(out_dir, name) for name in names]

    def apply(store: ox.Store) -> tuple[int, int]:
        before = len(store)
        for doc in found:
            _remove_document(store, ox.NamedNode(doc.iri))
        return before, len(store)

    (before, after), staged = _transact(
        out_dir, apply, functools.partial(_stage_outputs, Path(out_dir), derive, turtle)
    )
    _commit_files(staged)
    return WriteReport(before, after, (), tuple(d.doc_id for d in found))


# moved modules; the names stay importable from here (they import kg.store)
from kg.document_names import resolve_document  # noqa: E402
from kg.export import export_store  # noqa: E402

# validation moved to kg.validate; the names stay importable from here
from kg.validate import (  # noqa: E402 - kg.validate imports kg.store lazily
    ValidationReport,
    shapes_path,
    validate_graph,
    validate_output,
)
