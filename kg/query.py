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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias
from typing import Literal as Lit

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import ConfigError, QueryError
from kg.rdf import NS, new_graph
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
    "KnowledgeGraph",
    "QueryKind",
    "SelectResult",
    "Value",
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
Value: TypeAlias = "Node | None"

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
_EDGES_QUERY = """
SELECT ?s ?p ?o ?sLabel ?oLabel ?pLabel WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?s ?p ?o .
  OPTIONAL { ?s rdfs:label ?sLabel }
  OPTIONAL { ?o rdfs:label ?oLabel }
  OPTIONAL { ?st kgo:relationText ?pLabel }
}
"""
_NODES_QUERY = """
SELECT ?e ?label ?cls WHERE {
  ?e kgo:mention ?m ; rdfs:label ?label ; a ?cls .
  FILTER(STRSTARTS(STR(?cls), STR(kgo:)))
}
"""
_FIND_ENTITY_QUERY = """
SELECT ?e ?name WHERE {
  ?e kgo:mention ?m ; rdfs:label|skos:altLabel ?label .
  FILTER(LCASE(STR(?label)) = ?name)
}
ORDER BY ?e
LIMIT 1
"""


@dataclass(frozen=True, slots=True)
class SelectResult:
    """The rows of a ``SELECT`` query: variable names and rdflib terms.

    Iterating yields one ``dict`` per row (unbound variables map to None).

    Examples
    --------
    >>> r = SelectResult(("x",), ((Literal(1),),))
    >>> [row["x"].toPython() for row in r], len(r)
    ([1], 1)
    >>> int(r.to_frame().iloc[0, 0])
    1
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]

    def __iter__(self) -> Iterator[dict[str, Value]]:
        for row in self.rows:
            yield dict(zip(self.variables, row, strict=True))

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Value]:
        """Return the values of one variable, in row order."""
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def to_frame(self) -> pd.DataFrame:
        """Return the rows as a pandas DataFrame of Python values.

        IRIs become strings, typed literals their Python value (decimals
        become floats), unbound values ``None``.
        """
        import pandas as pd

        return pd.DataFrame(
            [[_python(v) for v in row] for row in self.rows],
            columns=list(self.variables),
        )

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(v)}</th>" for v in self.variables)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{html.escape(_display(v))}</td>" for v in row)
            + "</tr>"
            for row in self.rows[:200]
        )
        more = (
            f"<p>{len(self.rows) - 200} more rows</p>" if len(self.rows) > 200 else ""
        )
        return (
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
        )


def _python(value: Value) -> object:
    if value is None:
        return None
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, Decimal):
            return float(py)
        return py if not isinstance(py, Literal) else str(py)
    return str(value)


def _display(value: Value) -> str:
    if value is None:
        return ""
    text = str(value)
    for prefix, namespace in PREFIXES.items():
        if isinstance(value, URIRef) and text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def _to_rdflib(term: object) -> Value:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise QueryError(f"unsupported RDF term in a result: {term!r}")


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


def _select(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
) -> SelectResult | bool | Graph:
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    if isinstance(results, ox.QueryTriples):
        graph = new_graph()
        for triple in results:
            graph.add(
                (
                    _to_rdflib(triple.subject),
                    _to_rdflib(triple.predicate),
                    _to_rdflib(triple.object),
                )  # type: ignore[arg-type]
            )
        return graph
    variables = tuple(v.value for v in results.variables)
    try:
        rows = tuple(tuple(_to_rdflib(row[v]) for v in variables) for row in results)
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(
            f"SPARQL evaluation failed: {' '.join(str(exc).split())}"
        ) from exc
    return SelectResult(variables, rows)


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
    _EDGES_QUERY,
    _NODES_QUERY,
    _FIND_ENTITY_QUERY,
):
    prepare_query(_constant)


class KnowledgeGraph:
    """A kg store opened for reading: SPARQL, entities, evidence, networkx.

    Open one with :meth:`open`; it never writes (build with ``kg build`` or
    :func:`kg.run_build`).

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

    @classmethod
    def open(cls, out_dir: Path | str = "output") -> KnowledgeGraph:
        """Open the store of an output folder (read-only, no lock).

        A folder with only a ``graph.ttl`` (or a Turtle file itself) is
        loaded into an in-memory store instead.

        Raises
        ------
        ConfigError
            The folder holds no store and no ``graph.ttl``.
        """
        path = Path(out_dir)
        ttl = path if path.is_file() else path / "graph.ttl"
        if not has_store(path) and ttl.is_file():
            store = ox.Store()
            try:
                store.load(path=str(ttl), format=ox.RdfFormat.TURTLE)
            except SyntaxError as exc:
                raise ConfigError(f"cannot parse {str(ttl)!r}: {exc}") from exc
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

    def query(
        self, text: str, *, bindings: Mapping[str, Node] | None = None
    ) -> SelectResult | bool | Graph:
        """Run a SPARQL query (kg's prefixes predeclared).

        Returns rows for SELECT (``.to_frame()`` gives pandas), a bool for
        ASK, an rdflib graph for CONSTRUCT/DESCRIBE.

        Raises
        ------
        QueryError
            Syntax or evaluation error.
        """
        return _select(run_query(self._store, text, bindings=bindings))

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

    def entities(self) -> pd.DataFrame:
        """Return a DataFrame of entities: IRI, label, class and counts."""
        return self.frame(ENTITIES_QUERY)

    def evidence(self, triple: Sequence[Node | str]) -> pd.DataFrame:
        """Return the sentences behind one edge ``(s, p, o)``, with their provenance.

        The terms are rdflib terms or IRI strings (as in :meth:`frame` output).

        Columns: the sentence ``text``, ``sentence`` IRI, fact offsets
        ``start``/``end``, ``doc`` IRI, ``source`` file, content ``hash``,
        ``rule``, ``confidence``, ``modality`` and the ``statement`` IRI.
        """
        s, p, o = (t if isinstance(t, Node) else URIRef(str(t)) for t in triple)
        frame = self.frame(EVIDENCE_QUERY, bindings={"s": s, "p": p, "o": o})
        return frame.drop(columns=["s", "p", "o"])

    def graph(self) -> Graph:
        """Return the whole store as an in-memory rdflib graph."""
        graph = new_graph()
        data = self._store.dump(
            format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()
        )
        if data:
            graph.parse(data=data, format="nt")
        return graph

    def to_networkx(self) -> nx.MultiDiGraph:
        """Return the entity graph as a networkx ``MultiDiGraph``.

        Nodes are entity IRIs with ``label`` and ``cls`` attributes; each
        plain assertion with a statement behind it is one edge whose key is
        the property IRI, with ``predicate`` and ``label`` attributes.
        """
        import networkx as nx

        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        for row in self.select(_NODES_QUERY):
            node = str(row["e"])
            cls = str(row["cls"]).rsplit("#", 1)[-1]
            if node not in graph:
                graph.add_node(node, label=str(row["label"]), cls=cls)
        for row in self.select(_EDGES_QUERY):
            s, p, o = str(row["s"]), str(row["p"]), str(row["o"])
            if graph.has_edge(s, o, key=p):
                continue
            label = row["pLabel"] or p.rsplit("#", 1)[-1]
            graph.add_edge(s, o, key=p, predicate=p, label=str(label))
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

    def find_entity(self, name: str) -> URIRef:
        """Return the IRI of the entity whose label or alias is ``name`` (any case).

        Raises
        ------
        QueryError
            No entity is called that.
        """
        if name.startswith(("http://", "https://")):
            return URIRef(name)
        rows = self.select(
            _FIND_ENTITY_QUERY, bindings={"name": Literal(name.casefold())}
        )
        if not len(rows):
            raise QueryError(
                f"no entity is labelled {name!r}; see KnowledgeGraph.entities()"
            )
        entity = rows.rows[0][0]
        assert isinstance(entity, URIRef)
        return entity

    def shortest_path(self, source: str, target: str) -> pd.DataFrame:
        """Return the shortest chain of relations linking two entities, with evidence.

        ``source`` and ``target`` are IRIs or labels. Edges are followed in
        either direction; each row is one hop: ``subject``, ``predicate``,
        ``object`` labels and the first ``sentence`` behind it. Empty when
        the two are not connected.
        """
        import networkx as nx
        import pandas as pd

        a, b = str(self.find_entity(source)), str(self.find_entity(target))
        directed = self.to_networkx()
        undirected = nx.Graph(directed)
        columns = ["subject", "predicate", "object", "sentence"]
        try:
            nodes = nx.shortest_path(undirected, a, b)
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return pd.DataFrame([], columns=columns)
        hops = []
        for u, v in zip(nodes, nodes[1:], strict=False):
            s, o = (u, v) if directed.has_edge(u, v) else (v, u)
            key, data = next(iter(directed.get_edge_data(s, o).items()))
            evidence = self.evidence((URIRef(s), URIRef(key), URIRef(o)))
            hops.append(
                (
                    directed.nodes[s]["label"],
                    data["label"],
                    directed.nodes[o]["label"],
                    evidence["text"].iloc[0] if len(evidence) else None,
                )
            )
        return pd.DataFrame(hops, columns=columns)

    def _repr_html_(self) -> str:
        from kg.render import render_html

        page = render_html(self.graph())
        srcdoc = html.escape(page, quote=True)
        return (
            f'<iframe srcdoc="{srcdoc}" '
            'style="width:100%;height:520px;border:1px solid #ddd">'
            "</iframe>"
        )
