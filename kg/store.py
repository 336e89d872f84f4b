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

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import ConfigError
from kg.generations import (
    STORE_DIRNAME,
)
from kg.ontology import KGO_URI
from kg.rdf import (
    NS,
    new_graph,
)
from kg.types import Entity

__all__ = [
    "EXPORT_FORMATS",
    "STORE_DIRNAME",
    "PreparedDocument",
    "StoredDocument",
    "WriteReport",
    "AUTO_DERIVE_BYTES",
    "DERIVED_POLICIES",
    "stored_hash",
    "store_bytes",
    "wants_derived",
    "write_batches",
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
    >>> from kg.types import Document
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


# moved modules; the names stay importable from here (they import kg.store)
from kg.document_names import resolve_document  # noqa: E402
from kg.export import export_store  # noqa: E402
from kg.store_documents import (  # noqa: E402
    PreparedDocument,
    prepare_document,
    stored_hash,
)
from kg.store_writes import (  # noqa: E402
    AUTO_DERIVE_BYTES,
    DERIVED_POLICIES,
    WriteReport,
    remove_documents,
    store_bytes,
    wants_derived,
    write_batches,
    write_documents,
)

# validation moved to kg.validate; the names stay importable from here
from kg.validate import (  # noqa: E402 - kg.validate imports kg.store lazily
    ValidationReport,
    shapes_path,
    validate_graph,
    validate_output,
)
