"""SPARQL over the store: prepared queries, results, and :class:`KnowledgeGraph`.

Queries run on Oxigraph (the store's own Rust engine). kg's prefixes
(:data:`kg.rdf.NS`: ``kg``, ``kgo``, ``rdf``, ``rdfs``, ``prov``,
``dcterms``, ``skos``, ``schema``...) are predeclared, so a query can say
``?s kgo:owns ?o`` without a ``PREFIX`` line. User values enter a query only
as bound terms (``bindings={"s": URIRef(...)}``), never spliced into text.

The sentences behind an edge ``?s ?p ?o`` (:data:`EVIDENCE_QUERY`)::

    SELECT ?text ?doc ?source ?rule ?confidence WHERE {
      ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
          prov:wasDerivedFrom ?sent ; kgo:confidence ?confidence .
      OPTIONAL { ?st kgo:rule ?rule }
      ?sent rdf:value ?text ; dcterms:isPartOf ?doc .
      ?doc dcterms:source ?source .
    }
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Literal as Lit

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import ConfigError, QueryError
from kg.lookup import (
    EVIDENCE_COLUMNS,
    EntityIndex,
    Relation,
    describe_entities,
    entity_relations,
    index_entities,
    read_evidence,
    read_relations,
    resolve_entity,
)
from kg.paths import (
    PathReader,
    entity_labels,
    hop_relations,
    hop_sentences,
    shortest_chain,
)
from kg.rdf import NS, new_graph
from kg.results import SelectResult, Value, to_python_results
from kg.sparql import check_query, inspect_query
from kg.sparql_messages import describe_syntax_error
from kg.store import has_store, open_store

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = [
    "ENTITIES_QUERY",
    "EVIDENCE_QUERY",
    "PREFIXES",
    "RESULT_FORMATS",
    "NEIGHBOUR_COLUMNS",
    "PATH_COLUMNS",
    "KnowledgeGraph",
    "QueryKind",
    "SelectResult",
    "Value",
    "bind_values",
    "prepare_query",
    "query_kind",
    "run_query",
    "serialize_result",
    "is_update",
    "uses_service",
]

#: Prefixes predeclared in every query (prefix → namespace IRI).
PREFIXES: dict[str, str] = {prefix: str(ns) for prefix, ns in NS.items()}
#: ``--format`` names of the SPARQL 1.1 results formats kg writes.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
QueryKind = Lit["select", "ask", "construct", "describe"]

ENTITIES_QUERY = """
SELECT ?entity ?label ?class (COUNT(DISTINCT ?m) AS ?mentions)
       (COUNT(DISTINCT ?doc) AS ?documents)
WHERE {
  ?entity kgo:mention ?m ; rdfs:label ?label ; a ?cls .
  ?m kgo:inSentence/dcterms:isPartOf ?doc .
  FILTER(STRSTARTS(STR(?cls), STR(kgo:)))
  BIND(STRAFTER(STR(?cls), "#") AS ?class)
}
GROUP BY ?entity ?label ?class
ORDER BY DESC(?mentions) ?label
"""
EVIDENCE_QUERY = """
SELECT ?s ?p ?o ?text ?sentence ?start ?end ?doc ?source ?hash ?rule ?confidence
       ?modality ?statement
WHERE {
  ?statement a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      prov:wasDerivedFrom ?sentence .
  OPTIONAL { ?statement kgo:confidence ?confidence }
  OPTIONAL { ?statement kgo:rule ?rule }
  OPTIONAL { ?statement kgo:modality ?modality }
  OPTIONAL { ?statement kgo:startChar ?start ; kgo:endChar ?end }
  ?sentence rdf:value ?text ; dcterms:isPartOf ?doc .
  OPTIONAL { ?doc dcterms:source ?source }
  OPTIONAL { ?doc kgo:contentHash ?hash }
}
ORDER BY ?source ?start
"""


def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot bind {term!r}: give a URIRef or Literal")


def _syntax_error(exc: SyntaxError, text: str) -> QueryError:
    """Word Oxigraph's syntax error: where, what was expected, what was found."""
    where = describe_syntax_error(text, str(exc), PREFIXES)
    return QueryError(f"SPARQL syntax error at {where}")


def uses_service(text: str) -> bool:
    """Tell whether a SPARQL query calls a remote ``SERVICE``.

    Decided on the query's tokens (:func:`kg.sparql.inspect_query`), so a
    "SERVICE" inside a string, an IRI, a prefixed name or a comment does
    not count.

    Examples
    --------
    >>> uses_service("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT * { ?s <http://x/service> "SERVICE" } # SERVICE')
    False
    """
    return inspect_query(text).service


def is_update(text: str) -> bool:
    """Tell whether ``text`` is SPARQL Update (INSERT, DELETE, LOAD, ...).

    Decided on the first keyword after the ``PREFIX``/``BASE`` lines.

    Examples
    --------
    >>> is_update("LOAD <http://example.org/data.ttl>")
    True
    >>> is_update("SELECT * { ?s <http://x/load> ?o }")
    False
    """
    return inspect_query(text).update


def query_kind(text: str) -> QueryKind:
    """Tell what form a SPARQL query has (select, ask, construct, describe).

    Raises
    ------
    QueryError
        The text is not a SPARQL query (an update, or garbage).

    Examples
    --------
    >>> query_kind("PREFIX a: <http://a/> ASK { ?s a:p ?o }")
    'ask'
    """
    kind = inspect_query(text).kind
    if kind is None:
        raise QueryError(
            "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE "
            "(kg is read-only: SPARQL Update is refused)"
        )
    return kind


def prepare_query(text: str) -> str:
    """Check that ``text`` parses with kg's prefixes; return it unchanged.

    Use it on module constants so a broken query fails at import time.

    Raises
    ------
    QueryError
        A syntax error, in words with its line and column, or a query over
        the size and nesting limits (:func:`kg.sparql.check_query`).

    Examples
    --------
    >>> prepare_query("SELECT ?s WHERE { ?s kgo:owns ?o }")
    'SELECT ?s WHERE { ?s kgo:owns ?o }'
    >>> prepare_query("SELECT ?s WHERE { ?s kgo:owns }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: SPARQL syntax error at line 1, column 31: ...
    """
    check_query(text)
    try:
        ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise _syntax_error(exc, text) from exc
    return text


def run_query(
    store: ox.Store,
    text: str,
    *,
    bindings: Mapping[str, Node] | None = None,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a SPARQL query on a store and return Oxigraph's raw results.

    Raises
    ------
    QueryError
        Syntax error (with position) or evaluation error.

    Examples
    --------
    >>> bool(run_query(ox.Store(), "ASK { ?s ?p ?o }"))
    False
    """
    check_query(text)
    substitutions = {ox.Variable(k): _to_ox(v) for k, v in (bindings or {}).items()}
    try:
        return store.query(
            text,
            prefixes=PREFIXES,
            substitutions=substitutions or None,  # type: ignore[arg-type]
        )
    except SyntaxError as exc:
        if is_update(text):
            raise QueryError(
                "kg queries are read-only: SPARQL Update (INSERT, DELETE, LOAD, ...) "
                "is refused; rebuild with `kg build` or `kg remove` instead"
            ) from exc
        raise _syntax_error(exc, text) from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(
            f"SPARQL evaluation failed: {' '.join(str(exc).split())}"
        ) from exc


def serialize_result(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, format: str
) -> bytes:
    """Serialise raw results in a SPARQL 1.1 results format (json, xml, csv, tsv).

    ``CONSTRUCT``/``DESCRIBE`` results are written as N-Triples.

    Raises
    ------
    ConfigError
        Unknown format.

    Examples
    --------
    >>> serialize_result(run_query(ox.Store(), "ASK {}"), "json")
    b'{"head":{},"boolean":true}'
    """
    if isinstance(results, ox.QueryTriples):
        return bytes(results.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
    fmt = RESULT_FORMATS.get(format)
    if fmt is None:
        raise ConfigError(
            f"unknown result format {format!r}; "
            f"choose one of {', '.join(RESULT_FORMATS)}"
        )
    try:
        return bytes(results.serialize(format=fmt) or b"")
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(
            f"SPARQL evaluation failed: {' '.join(str(exc).split())}"
        ) from exc


for _constant in (
    ENTITIES_QUERY,
    EVIDENCE_QUERY,
):
    prepare_query(_constant)


_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(text: str, bindings: Mapping[str, Node]) -> str | None:
    """Bind variables with a ``VALUES`` block at the start of the WHERE clause.

    Oxigraph plans a query whose variables come as ``substitutions`` as if
    they were free (62 s for the evidence of one edge of a 24-document
    store), and one that starts with their values in a ``VALUES`` block as a
    lookup (0.03 s). The terms are written by Oxigraph's own serialiser
    (validated IRIs, escaped literals), never by formatting user text; a
    query with a sub-query (where a block would scope differently) gets
    ``None``, and is run with substitutions instead.

    Examples
    --------
    >>> print(bind_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": URIRef("urn:a")}))
    SELECT ?o WHERE {
      VALUES (?s) { (<urn:a>) }
     ?s ?p ?o }
    """
    matches = list(_WHERE.finditer(text))
    if len(matches) != 1 or not bindings:
        return None
    names = list(bindings)
    if not all(_VARIABLE.fullmatch(name) for name in names):
        raise QueryError(f"bad variable names to bind: {', '.join(names)}")
    variables = " ".join("?" + name for name in names)
    terms = " ".join(str(_to_ox(bindings[name])) for name in names)
    cut = matches[0].end()
    return (
        text[:cut] + "\n  VALUES (" + variables + ") { (" + terms + ") }\n" + text[cut:]
    )


#: Columns of :meth:`KnowledgeGraph.neighbours`.
NEIGHBOUR_COLUMNS = [
    "direction",
    "predicate",
    "relation",
    "entity",
    "label",
    "class",
    "modality",
    "confidence",
    "sentences",
]
#: Columns of :meth:`KnowledgeGraph.shortest_path`.
PATH_COLUMNS = [
    "subject",
    "predicate",
    "relation",
    "object",
    "modality",
    "confidence",
    "sentence",
    "source",
]


class KnowledgeGraph:
    """A kg store opened for reading: SPARQL, entities, evidence, networkx.

    Open one with :meth:`open`; it never writes (build with ``kg build`` or
    :func:`kg.run_build`). Wherever an entity is expected, an IRI, a
    prefixed name (``kg:entity/ada``) or a label or alias does; an
    ambiguous name raises a :class:`~kg.errors.QueryError` listing its
    candidates. One entity's questions are answered from the store's
    indexes (:mod:`kg.lookup`; a path: :mod:`kg.paths`, one query per level
    of a bidirectional search); only :meth:`entities`, :meth:`to_networkx`
    and a name in an unusual case read the whole graph.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import write_documents
    >>> from kg.types import Document
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, ())])
    >>> kg = KnowledgeGraph.open(d)
    >>> kg.query("SELECT ?d WHERE { ?d a kgo:Document }").to_frame()["d"].tolist()
    ['https://w3id.org/kg/id/doc/a-txt-cfc7b4885384']
    """

    def __init__(self, store: ox.Store, out_dir: Path) -> None:
        self._store = store
        self.path = out_dir
        self._index: EntityIndex | None = None
        self._relations: tuple[Relation, ...] | None = None
        self._paths: PathReader | None = None

    @classmethod
    def open(cls, out_dir: Path | str = "output") -> KnowledgeGraph:
        """Open the store of an output folder (read-only, no lock).

        A folder with only a ``graph.ttl`` (or a Turtle file itself) is
        loaded into an in-memory store instead.

        Raises
        ------
        ConfigError
            The folder holds no store and no ``graph.ttl``, or they cannot
            be read.
        """
        path = Path(out_dir)
        ttl = path if path.is_file() else path / "graph.ttl"
        if not has_store(path) and ttl.is_file():
            store = ox.Store()
            try:
                store.load(path=str(ttl), format=ox.RdfFormat.TURTLE)
            except (SyntaxError, OSError, ValueError) as exc:
                detail = " ".join(str(exc).split())
                raise ConfigError(f"cannot read {str(ttl)!r}: {detail}") from exc
            return cls(store, path)
        return cls(open_store(path), path)

    def __len__(self) -> int:
        return len(self._store)

    def __repr__(self) -> str:
        return f"KnowledgeGraph({str(self.path)!r}, triples={len(self)})"

    @property
    def store(self) -> ox.Store:
        """The underlying read-only :class:`pyoxigraph.Store`."""
        return self._store

    # --- SPARQL ------------------------------------------------------------------

    def query(
        self, text: str, *, bindings: Mapping[str, Node] | None = None
    ) -> SelectResult | bool | Graph:
        """Run a SPARQL query (kg's prefixes predeclared).

        Returns rows for SELECT (``.to_frame()`` gives pandas), a bool for
        ASK, an rdflib graph for CONSTRUCT/DESCRIBE. ``bindings`` give
        variables their values (see :func:`bind_values`).

        Raises
        ------
        QueryError
            Syntax or evaluation error.
        """
        if bindings:
            bound = bind_values(text, bindings)
            if bound is not None:
                return to_python_results(run_query(self._store, bound))
        return to_python_results(run_query(self._store, text, bindings=bindings))

    def select(
        self, text: str, *, bindings: Mapping[str, Node] | None = None
    ) -> SelectResult:
        """Run a SELECT query and return its rows.

        Raises
        ------
        QueryError
            The query is not a SELECT, or fails.
        """
        result = self.query(text, bindings=bindings)
        if not isinstance(result, SelectResult):
            raise QueryError("expected a SELECT query")
        return result

    def frame(
        self, text: str, *, bindings: Mapping[str, Node] | None = None
    ) -> pd.DataFrame:
        """Run a SELECT query and return a pandas DataFrame."""
        return self.select(text, bindings=bindings).to_frame()

    # --- entities and relations ----------------------------------------------------

    def _entity_index(self) -> EntityIndex:
        if self._index is None:
            self._index = index_entities(self._store)
        return self._index

    def _all_relations(self) -> tuple[Relation, ...]:
        if self._relations is None:
            self._relations = read_relations(self._store, self._entity_index().entities)
        return self._relations

    def entities(self) -> pd.DataFrame:
        """Return a DataFrame of entities: IRI, label, class and counts."""
        return self.frame(ENTITIES_QUERY)

    def find_entity(self, name: str) -> URIRef:
        """Return the IRI of the entity ``name`` stands for.

        ``name`` is an IRI, a prefixed name or a label or alias (any case).

        Raises
        ------
        QueryError
            No entity is called that, or several are (listed in the message).
        """
        return URIRef(resolve_entity(name, store=self._store, index=self._entity_index))

    def _term(self, value: Node | str, *, entity: bool) -> Node:
        if isinstance(value, Node):
            return value
        text = str(value)
        if entity:
            return self.find_entity(text)
        return URIRef(_property_iri(text))

    def evidence(self, triple: Sequence[Node | str]) -> pd.DataFrame:
        """Return the sentences behind one edge ``(s, p, o)``, with their provenance.

        The subject and object are rdflib terms, IRIs or entity names; the
        property an IRI, a prefixed name (``kgo:owns``) or an ontology
        property's local name (``owns``).

        Columns: the sentence ``text``, ``sentence`` IRI, fact offsets
        ``start``/``end``, ``doc`` IRI, ``source`` file, content ``hash``,
        ``rule``, ``confidence``, ``modality`` and the ``statement`` IRI.

        Raises
        ------
        QueryError
            An entity name that names no entity, or several.
        """
        if len(triple) != 3:
            raise QueryError(f"an edge is (subject, property, object), got {triple!r}")
        import pandas as pd

        s = self._term(triple[0], entity=True)
        p = self._term(triple[1], entity=False)
        o = self._term(triple[2], entity=True)
        obj = _to_ox(o)
        if isinstance(obj, ox.BlankNode) or not isinstance(s, URIRef):
            frame = self.frame(EVIDENCE_QUERY, bindings={"s": s, "p": p, "o": o})
            return frame.drop(columns=["s", "p", "o"])
        rows = read_evidence(self._store, str(s), str(p), obj)
        return pd.DataFrame(rows, columns=list(EVIDENCE_COLUMNS))

    def neighbours(
        self, entity: Node | str, *, stated_only: bool = False
    ) -> pd.DataFrame:
        """Return the relations of one entity, one row per relation.

        Columns: ``direction`` (``out``: the entity is the subject, ``in``:
        the object), ``predicate`` IRI, ``relation`` (its label), the other
        ``entity`` IRI, its ``label`` and ``class``, the strongest
        ``modality`` of the relation's sentences (asserted, reported or
        hedged; negated statements and questions are no relation), the best
        ``confidence`` and the number of ``sentences``; stated facts first,
        then by confidence. ``stated_only`` keeps asserted facts typed by a
        property other than ``kgo:relatedTo``.

        Raises
        ------
        QueryError
            ``entity`` names no entity, or several.
        """
        import pandas as pd

        iri = str(self._term(entity, entity=True))
        found = [
            (direction, rel)
            for direction, rel in entity_relations(self._store, iri)
            if rel.stated or not stated_only
        ]
        others = {rel.object if d == "out" else rel.subject for d, rel in found}
        records = describe_entities(self._store, others)
        labels = _property_labels()
        rows = []
        for direction, rel in found:
            other = rel.object if direction == "out" else rel.subject
            record = records.get(other)
            rows.append(
                (
                    direction,
                    rel.predicate,
                    labels.get(rel.predicate, _local_name(rel.predicate)),
                    other,
                    record.label if record else None,
                    record.cls if record else None,
                    rel.modality,
                    rel.confidence,
                    rel.sentences,
                )
            )
        rows.sort(key=lambda r: (r[6] != "asserted", -(r[7] or 0.0), str(r[4]), r[3]))
        return pd.DataFrame(rows, columns=NEIGHBOUR_COLUMNS)

    def shortest_path(
        self, source: Node | str, target: Node | str, *, stated_only: bool = False
    ) -> pd.DataFrame:
        """Return the shortest chain of relations linking two entities, with evidence.

        ``source`` and ``target`` are IRIs or names. Relations are followed
        in either direction (``stated_only``: asserted facts typed by a
        property other than ``kgo:relatedTo`` only); each row is one hop:
        ``subject``, ``predicate`` IRI, ``relation`` label, ``object`` (entity
        labels), ``modality``, ``confidence`` and the first ``sentence``
        behind it with its ``source`` document. Empty when the two are not
        connected.

        Raises
        ------
        QueryError
            A name that names no entity, or several.
        """
        import pandas as pd

        a = str(self._term(source, entity=True))
        b = str(self._term(target, entity=True))
        if self._paths is None:
            self._paths = PathReader(self._store)
        reader = self._paths
        chain = shortest_chain(
            lambda nodes: reader.expand(nodes, stated_only=stated_only),
            a,
            b,
            weigh=reader.weigh,
        )
        hops = hop_relations(self._store, chain or (), stated_only=stated_only)
        sentences = hop_sentences(self._store, hops, stated_only=stated_only)
        names = entity_labels(self._store, chain or ())
        labels = _property_labels()
        rows = [
            (
                names.get(rel.subject) or _local_name(rel.subject),
                rel.predicate,
                labels.get(rel.predicate, _local_name(rel.predicate)),
                names.get(rel.object) or _local_name(rel.object),
                rel.modality,
                rel.confidence,
                text,
                document,
            )
            for rel, (text, document) in zip(hops, sentences, strict=True)
        ]
        return pd.DataFrame(rows, columns=PATH_COLUMNS)

    # --- whole graphs ---------------------------------------------------------------

    def graph(self) -> Graph:
        """Return the whole store as an in-memory rdflib graph."""
        graph = new_graph()
        data = self._store.dump(
            format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()
        )
        if data:
            graph.parse(data=data, format="nt")
        return graph

    def to_networkx(self, *, stated_only: bool = False) -> nx.MultiDiGraph:
        """Return the entity graph as a networkx ``MultiDiGraph``.

        Nodes are entity IRIs with ``label``, ``cls`` and ``mentions``
        attributes; each relation (negated statements and questions are
        none) is one edge whose key is the property IRI, with ``predicate``,
        ``label``, ``modality``, ``confidence`` and ``sentences``
        attributes. ``stated_only`` keeps asserted facts typed by a property
        other than ``kgo:relatedTo``.
        """
        import networkx as nx

        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        for record in self._entity_index().entities.values():
            graph.add_node(
                record.iri, label=record.label, cls=record.cls, mentions=record.mentions
            )
        labels = _property_labels()
        for rel in self._all_relations():
            if stated_only and not rel.stated:
                continue
            graph.add_edge(
                rel.subject,
                rel.object,
                key=rel.predicate,
                predicate=rel.predicate,
                label=labels.get(rel.predicate, _local_name(rel.predicate)),
                modality=rel.modality,
                confidence=rel.confidence,
                sentences=rel.sentences,
            )
        return graph

    def central_entities(self, top: int = 10) -> pd.DataFrame:
        """Return the ``top`` most central entities of the relation graph.

        Columns: ``entity`` IRI, ``label``, ``class``, ``degree`` (number of
        distinct neighbours), ``betweenness`` (networkx betweenness
        centrality of the undirected graph), ranked by betweenness then degree.
        """
        import networkx as nx
        import pandas as pd

        graph = nx.Graph(self.to_networkx())
        betweenness = nx.betweenness_centrality(graph) if len(graph) else {}
        rows = [
            (
                n,
                d.get("label"),
                d.get("cls"),
                graph.degree(n),
                round(betweenness.get(n, 0.0), 4),
            )
            for n, d in graph.nodes(data=True)
        ]
        frame = pd.DataFrame(
            rows, columns=["entity", "label", "class", "degree", "betweenness"]
        )
        ranked = frame.sort_values(
            ["betweenness", "degree", "label"], ascending=[False, False, True]
        )
        return ranked.head(top).reset_index(drop=True)

    def _repr_html_(self) -> str:
        from kg.render import render_html
        from kg.render.collect import collect_store_view

        page = render_html(collect_store_view(self._store))
        srcdoc = html.escape(page, quote=True)
        return (
            f'<iframe srcdoc="{srcdoc}" '
            'style="width:100%;height:560px;border:1px solid #ddd">'
            "</iframe>"
        )


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _property_labels() -> dict[str, str]:
    from kg.ontology import load_ontology

    return {str(i.iri): i.label for i in load_ontology().properties.values()}


def _property_iri(text: str) -> str:
    """Expand ``kgo:owns``, ``owns`` or ``<…>`` to a property IRI."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://", "urn:")):
        return text
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return PREFIXES["kgo"] + text
