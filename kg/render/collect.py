"""Render the graph as one self-contained, offline HTML page with pyvis.

The page draws entities (colour and shape by ontology class, size by mention
count or degree) and relations (labelled by the property's ``rdfs:label``, or
by the relation words for the generic ``kgo:relatedTo``). Hovering or clicking
shows where a fact comes from: the sentence, with both mentions marked, the
document and the confidence. A search box, class and confidence filters,
neighbourhood highlighting and a reset button make big graphs explorable.

pyvis's stock template loads Bootstrap from a CDN; kg uses its own template
(``kg/templates/graph.html.j2``) that inlines vis-network's script and style
from the pyvis package, so the page makes no request outside the file. Data
goes into the page as JSON (``tojson`` escapes ``<``, ``>`` and ``&``) and the
page builds its panels with ``textContent``, never ``innerHTML``, so labels
and sentences always show as text.

Reading the graph walks rdflib's indexes directly (:func:`collect_view`: no
copy of the graph, no SPARQL) or, for ``kg render`` on a build's store, runs a
few SELECTs in Oxigraph (:func:`collect_store_view`); a new build's page is
read from its merged documents before they are stored
(:func:`collect_documents_view`, the same view). Graphs past
:data:`PHYSICS_LIMIT` entities get their layout computed here (a
Fruchterman-Reingold variant with a cut-off on repulsion, summed on a grid
by FFT, :func:`layout_positions`) so the browser only draws; smaller ones are laid
out by vis-network's physics, which stops once stable. Timings:
``benchmarks/results/render.md``.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Literal as Lit

import networkx as nx
import numpy as np
import pyoxigraph as ox
import pyvis
import scipy.fft
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network
from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node
from scipy.spatial import cKDTree

from kg.errors import ConfigError
from kg.ontology import KGO, KGO_URI, load_ontology
from kg.rdf import (
    NS,
    confidence_text,
    iri_text,
    preferred_label,
    statement_iri_text,
    write_atomic,
)
from kg.types import Document

__all__ = [
    "PHYSICS_LIMIT",
    "EdgeView",
    "Evidence",
    "GraphView",
    "NodeView",
    "RenderOptions",
    "RenderReport",
    "build_network",
    "collect_documents_view",
    "collect_store_view",
    "collect_view",
    "layout_positions",
    "render_build",
    "render_html",
    "render_page",
    "select_view",
    "write_html",
]

#: Past this many entities the layout is computed in Python and physics is off.
PHYSICS_LIMIT = 300
#: Past this many relations edge labels are only shown in the info panel.
EDGE_LABEL_LIMIT = 1500
#: How many left-out entity names the page and the CLI list.
OMITTED_SHOWN = 20
#: Pixels per unit of layout length (the ideal edge length).
_SCALE = 140.0

SizeBy = Lit["mentions", "degree"]
_SIZE_BY = ("mentions", "degree")

_STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#4e79a7", "dot"),
    "Organization": ("#f28e2b", "square"),
    "Agent": ("#8cd17d", "dot"),
    "Place": ("#59a14f", "diamond"),
    "Facility": ("#76b7b2", "triangleDown"),
    "CreativeWork": ("#edc948", "star"),
    "Event": ("#e15759", "hexagon"),
    "Group": ("#b07aa1", "triangle"),
    "Product": ("#ff9da7", "hexagon"),
    "Law": ("#9c755f", "star"),
    "Language": ("#d4a6c8", "dot"),
    "Thing": ("#bab0ac", "dot"),
    "Entity": ("#bab0ac", "dot"),
}
_FALLBACK_STYLE = ("#bab0ac", "dot")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence a relation was read from, with both mentions located.

    ``marks`` hold ``(start, end, role)`` offsets into ``sentence`` with
    ``role`` ``"s"`` (subject) or ``"o"`` (object); ``modality`` says whether
    the sentence asserts, hedges or reports the fact.

    Examples
    --------
    >>> Evidence("Ada met Bob.", "a.txt", 0.9, ((0, 3, "s"), (8, 11, "o"))).marks[1]
    (8, 11, 'o')
    """

    sentence: str
    document: str
    confidence: float | None
    marks: tuple[tuple[int, int, str], ...] = ()
    modality: str = ""


@dataclass(frozen=True, slots=True)
class NodeView:
    """An entity as the page shows it.

    Examples
    --------
    >>> NodeView("urn:x", "Ada", "Person", "person").aliases
    ()
    """

    id: str
    label: str
    cls: str
    cls_label: str
    aliases: tuple[str, ...] = ()
    mentions: int = 0
    documents: tuple[str, ...] = ()
    #: dates the text states about it ("date of birth: 1931-07-14"); values
    #: are literals, never nodes
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EdgeView:
    """A relation ``source --property--> target`` with its evidence.

    Examples
    --------
    >>> EdgeView("urn:a", "urn:b", "urn:p", "met", None).confidence is None
    True
    """

    source: str
    target: str
    property: str
    label: str
    confidence: float | None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class GraphView:
    """The entities and relations to draw, and what was left out.

    Examples
    --------
    >>> GraphView((), ()).omitted_nodes
    0
    """

    nodes: tuple[NodeView, ...]
    edges: tuple[EdgeView, ...]
    omitted_nodes: int = 0
    omitted_edges: int = 0
    omitted_names: tuple[str, ...] = ()
    filtered_edges: int = 0


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Options of the graph page.

    Parameters
    ----------
    heading
        The page title.
    max_nodes
        Keep only the ``max_nodes`` most connected entities (``None``: all).
    min_confidence
        Leave out relations whose best confidence is below this; the page's
        confidence slider starts here.
    physics
        ``True``: vis-network lays the graph out, then physics stops;
        ``False``: the layout is computed in Python; ``None``: ``True`` up to
        :data:`PHYSICS_LIMIT` entities.
    size_by
        ``"mentions"`` or ``"degree"``.

    Raises
    ------
    ConfigError
        An option is out of range.

    Examples
    --------
    >>> RenderOptions(max_nodes=0)
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: --max-nodes must be at least 1, got 0
    """

    heading: str = "kg graph"
    max_nodes: int | None = None
    min_confidence: float = 0.0
    physics: bool | None = None
    size_by: SizeBy = "mentions"

    def __post_init__(self) -> None:
        if self.max_nodes is not None and self.max_nodes < 1:
            raise ConfigError(f"--max-nodes must be at least 1, got {self.max_nodes}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(
                f"--min-confidence must be between 0 and 1, got {self.min_confidence}"
            )
        if self.size_by not in _SIZE_BY:
            raise ConfigError(
                f"--size-by {self.size_by!r} is not one of {', '.join(_SIZE_BY)}"
            )


@dataclass(frozen=True, slots=True)
class RenderReport:
    """What a render drew and left out.

    Examples
    --------
    >>> RenderReport(3, 2).summary()
    'drew 3 entities and 2 relations'
    """

    nodes: int
    edges: int
    omitted_nodes: int = 0
    omitted_edges: int = 0
    omitted_names: tuple[str, ...] = ()
    filtered_edges: int = 0
    physics: bool = True
    path: Path | None = None

    def summary(self) -> str:
        """Return one line saying what was drawn and what was left out."""
        text = f"drew {self.nodes} entities and {self.edges} relations"
        if self.omitted_nodes:
            names = ", ".join(self.omitted_names)
            more = self.omitted_nodes - len(self.omitted_names)
            text += (
                f"; left out {self.omitted_nodes} less connected entities "
                f"and {self.omitted_edges} relations"
            )
            if names:
                text += f" ({names}{f' and {more} more' if more > 0 else ''})"
        if self.filtered_edges:
            text += (
                f"; hid {self.filtered_edges} relations below the minimum confidence"
            )
        return text


# --- reading the graph ---------------------------------------------------------


def _local(iri: Node) -> str:
    text = str(iri)
    return text[len(KGO_URI) :] if text.startswith(KGO_URI) else text.rsplit("/", 1)[-1]


def _int(value: Node | None) -> int | None:
    if isinstance(value, Literal):
        try:
            return int(value.toPython())
        except (TypeError, ValueError):
            return None
    return None


def _float(value: Node | None) -> float | None:
    if isinstance(value, Literal):
        try:
            return float(value.toPython())
        except (TypeError, ValueError):
            return None
    return None


@dataclass(slots=True)
class _Rows:
    """What the page needs from a graph, as plain strings and numbers.

    Filled either by walking an rdflib graph (:func:`collect_view`) or by
    SPARQL over an Oxigraph store (:func:`collect_store_view`), then turned
    into a :class:`GraphView` by :func:`_assemble`.
    """

    types: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)
    #: entity -> "property label: literal" of its value facts (dates)
    values: dict[str, set[str]] = field(default_factory=dict)
    #: (entity, mention, sentence or "", start, end)
    mentions: list[tuple[str, str, str, int | None, int | None]] = field(
        default_factory=list
    )
    #: sentence -> (text, start, document name)
    sentences: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    #: (statement, s, p, o, sentence or "", start, end, confidence, relation
    #: text, modality)
    statements: list[
        tuple[str, str, str, str, str, int | None, int | None, float | None, str, str]
    ] = field(default_factory=list)
    plain: set[tuple[str, str, str]] = field(default_factory=set)


def _pick_class(found: set[str], depth: Mapping[str, int]) -> str:
    return max(found, key=lambda c: (depth.get(c, 0), c))


def _marks(
    mentions: Iterable[tuple[int, int]],
    sent_start: int,
    text_len: int,
    span: tuple[int, int] | None,
) -> list[tuple[int, int]]:
    inside: list[tuple[int, int]] = []
    outside: list[tuple[int, int]] = []
    for start, end in mentions:
        rel = (start - sent_start, end - sent_start)
        if not 0 <= rel[0] < rel[1] <= text_len:
            continue
        if span is not None and span[0] <= start and end <= span[1]:
            inside.append(rel)
        else:
            outside.append(rel)
    return sorted(inside or outside)


def _assemble(rows: _Rows) -> GraphView:
    onto = load_ontology()
    depth = {c: len(onto.superclasses.get(c, ())) for c in onto.classes}
    fallback = "Thing" if "Thing" in onto.classes else "Entity"
    entity_ids = {e for e, _m, _s, _a, _b in rows.mentions} | set(rows.types)
    class_labels: dict[str, str] = {}
    for cls in onto.classes:
        label = onto.graph.value(URIRef(KGO_URI + cls), RDFS.label)
        class_labels[cls] = str(label) if label is not None else cls
    counts: Counter[str] = Counter()
    docs: dict[str, set[str]] = defaultdict(set)
    mentions_in: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for entity, _mention, sentence, start, end in rows.mentions:
        counts[entity] += 1
        if not sentence:
            continue
        sent = rows.sentences.get(sentence)
        if sent is not None and sent[2]:
            docs[entity].add(sent[2])
        if start is not None and end is not None:
            mentions_in[sentence][entity].append((start, end))
    nodes: dict[str, NodeView] = {}
    for entity in entity_ids:
        cls = (
            _pick_class(rows.types[entity], depth) if entity in rows.types else fallback
        )
        name = rows.names.get(entity) or entity.rsplit("/", 1)[-1]
        nodes[entity] = NodeView(
            id=entity,
            label=name,
            cls=cls,
            cls_label=class_labels.get(cls, cls),
            aliases=tuple(sorted(rows.aliases.get(entity, set()) - {name})),
            mentions=counts[entity],
            documents=tuple(sorted(docs[entity])),
            values=tuple(sorted(rows.values.get(entity, ()))),
        )

    labels = {str(info.iri): info.label for info in onto.properties.values()}
    generic = str(KGO.relatedTo)
    evidence: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    texts: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for (
        _st,
        s,
        p,
        o,
        sentence,
        start,
        end,
        confidence,
        rel,
        modality,
    ) in rows.statements:
        if s not in nodes or o not in nodes:
            continue
        key = (s, p, o)
        if rel:
            texts[key][rel] += 1
        sent = rows.sentences.get(sentence) if sentence else None
        if sent is None:
            evidence.setdefault(key, [])
            continue
        text, sent_start, doc = sent
        span = (start, end) if start is not None and end is not None else None
        here = mentions_in.get(sentence, {})
        marks = [
            (a, b, "s") for a, b in _marks(here.get(s, ()), sent_start, len(text), span)
        ]
        marks += [
            (a, b, "o") for a, b in _marks(here.get(o, ()), sent_start, len(text), span)
        ]
        evidence[key].append(
            Evidence(
                sentence=text,
                document=doc,
                confidence=confidence,
                modality=modality,
                marks=tuple(sorted(set(marks))),
            )
        )
    for s, p, o in rows.plain:
        if s in nodes and o in nodes:
            evidence.setdefault((s, p, o), [])
    edges: list[EdgeView] = []
    for (s, p, o), found in evidence.items():
        rel_label = labels.get(p) or p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if p == generic and texts[(s, p, o)]:
            # most frequent first, ties by text (not by the order rows came in)
            common = sorted(texts[(s, p, o)].items(), key=lambda tc: (-tc[1], tc[0]))
            rel_label = " / ".join(t for t, _ in common[:3])
        # every field in the key: ties must not fall back on set order (hash seed)
        unique = sorted(
            set(found),
            key=lambda e: (
                -(e.confidence or 0.0),
                e.document,
                e.sentence,
                e.marks,
                e.modality,
                e.confidence is None,
            ),
        )
        scores = [e.confidence for e in unique if e.confidence is not None]
        edges.append(
            EdgeView(
                source=s,
                target=o,
                property=p,
                label=rel_label,
                confidence=max(scores) if scores else None,
                evidence=tuple(unique),
            )
        )
    edges.sort(key=lambda e: (e.source, e.property, e.target))
    ordered = tuple(sorted(nodes.values(), key=lambda n: (n.label.casefold(), n.id)))
    return GraphView(nodes=ordered, edges=tuple(edges))


def collect_view(graph: Graph) -> GraphView:
    """Read the entities, relations and their provenance out of ``graph``.

    Walks rdflib's indexes (no SPARQL, no copy), so it stays linear in the
    size of the graph.

    Parameters
    ----------
    graph
        A kg graph (entities with ``kgo:mention``, reified statements with
        ``prov:wasDerivedFrom`` sentences), without the ontology.

    Returns
    -------
    GraphView
        Every entity (a mention or an entity class) and every relation between
        two entities (a reified statement or a plain ``kgo:relatedTo``
        sub-property triple), with their evidence.

    See Also
    --------
    collect_store_view : the same, read from an Oxigraph store.

    Examples
    --------
    >>> from kg.rdf import build_graph
    >>> from kg.types import Document, Entity, Mention, Provenance, Sentence, Triple
    >>> s = Sentence(0, 0, 12, "Ada met Bob.")
    >>> ents = (Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),)),
    ...         Entity("bob", "Person", "Bob", (Mention("Bob", "PERSON", 8, 11, 0),)))
    >>> t = Triple("ada", "meets", "bob", Provenance("a.txt", 0, 0, 11, s.text))
    >>> doc = Document("a.txt", "a.txt", "0" * 64, (s,), ents, (t,))
    >>> view = collect_view(build_graph([doc]))
    >>> [(e.label, e.evidence[0].marks) for e in view.edges]
    [('met', ((0, 3, 's'), (8, 11, 'o')))]
    """
    onto = load_ontology()
    rows = _Rows()
    for cls in onto.classes:
        if onto.is_a(cls, "Entity"):
            for entity in graph.subjects(RDF.type, URIRef(KGO_URI + cls)):
                rows.types.setdefault(str(entity), set()).add(cls)
    doc_names: dict[Node, str] = {}
    seen_sentences: set[Node] = set()

    def add_sentence(sentence: Node) -> None:
        if sentence in seen_sentences:
            return
        seen_sentences.add(sentence)
        text = graph.value(sentence, RDF.value)
        if text is None:
            return
        doc = graph.value(sentence, DCTERMS.isPartOf)
        if doc is not None and doc not in doc_names:
            name = graph.value(doc, RDFS.label) or graph.value(doc, DCTERMS.source)
            doc_names[doc] = str(name) if name is not None else _local(doc)
        start = _int(graph.value(sentence, KGO.startChar)) or 0
        rows.sentences[str(sentence)] = (
            str(text),
            start,
            doc_names[doc] if doc is not None else "",
        )

    for entity, mention in graph.subject_objects(KGO.mention):
        sentence = graph.value(mention, KGO.inSentence)
        if sentence is not None:
            add_sentence(sentence)
        rows.mentions.append(
            (
                str(entity),
                str(mention),
                str(sentence) if sentence is not None else "",
                _int(graph.value(mention, KGO.startChar)),
                _int(graph.value(mention, KGO.endChar)),
            )
        )
    for key in {e for e, *_ in rows.mentions} | set(rows.types):
        node = URIRef(key)
        name = graph.value(node, SKOS.prefLabel) or graph.value(node, RDFS.label)
        if name is not None:
            rows.names[key] = str(name)
        alt = {str(a) for a in graph.objects(node, SKOS.altLabel)}
        if alt:
            rows.aliases[key] = alt
    for stmt in graph.subjects(RDF.type, RDF.Statement):
        s = graph.value(stmt, RDF.subject)
        p = graph.value(stmt, RDF.predicate)
        o = graph.value(stmt, RDF.object)
        if s is None or p is None or o is None:
            continue
        sentence = graph.value(stmt, PROV.wasDerivedFrom)
        if sentence is not None:
            add_sentence(sentence)
        rel = graph.value(stmt, KGO.relationText)
        modality = graph.value(stmt, KGO.modality)
        rows.statements.append(
            (
                str(stmt),
                str(s),
                str(p),
                str(o),
                str(sentence) if sentence is not None else "",
                _int(graph.value(stmt, KGO.startChar)),
                _int(graph.value(stmt, KGO.endChar)),
                _float(graph.value(stmt, KGO.confidence)),
                str(rel) if rel is not None else "",
                str(modality) if modality is not None else "",
            )
        )
    for info in onto.properties.values():
        for s, o in graph.subject_objects(info.iri):
            rows.plain.add((str(s), str(info.iri), str(o)))
    for info in onto.value_properties.values():
        for s, o in graph.subject_objects(info.iri):
            _add_value_row(rows, str(s), info.label, str(o))
    return _assemble(rows)


def _add_value_row(rows: _Rows, entity: str, label: str, literal: str) -> None:
    """Note a value fact for the entity's side panel (values are not nodes)."""
    rows.values.setdefault(entity, set()).add(f"{label}: {literal}")


_STORE_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_STORE_TYPES = "SELECT ?e ?c WHERE { ?e a ?c }"
_STORE_MENTIONS = """
SELECT ?e ?m ?sent ?start ?end WHERE {
  ?e kgo:mention ?m .
  OPTIONAL { ?m kgo:inSentence ?sent }
  OPTIONAL { ?m kgo:startChar ?start }
  OPTIONAL { ?m kgo:endChar ?end }
}"""
_STORE_NAMES = """
SELECT ?e ?pref ?label WHERE {
  { SELECT DISTINCT ?e WHERE { ?e kgo:mention ?m } }
  OPTIONAL { ?e skos:prefLabel ?pref }
  OPTIONAL { ?e rdfs:label ?label }
}"""
_STORE_ALIASES = "SELECT ?e ?alias WHERE { ?e kgo:mention ?m ; skos:altLabel ?alias }"
_STORE_SENTENCES = """
SELECT DISTINCT ?sent ?text ?start ?doc ?docLabel ?docSource WHERE {
  { ?x kgo:inSentence ?sent } UNION { ?x prov:wasDerivedFrom ?sent }
  ?sent rdf:value ?text .
  OPTIONAL { ?sent kgo:startChar ?start }
  OPTIONAL { ?sent dcterms:isPartOf ?doc .
             OPTIONAL { ?doc rdfs:label ?docLabel }
             OPTIONAL { ?doc dcterms:source ?docSource } }
}"""
_STORE_STATEMENTS = """
SELECT ?st ?s ?p ?o ?sent ?start ?end ?conf ?rel ?modality WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?st prov:wasDerivedFrom ?sent }
  OPTIONAL { ?st kgo:startChar ?start }
  OPTIONAL { ?st kgo:endChar ?end }
  OPTIONAL { ?st kgo:confidence ?conf }
  OPTIONAL { ?st kgo:relationText ?rel }
  OPTIONAL { ?st kgo:modality ?modality }
}"""


def _ox_str(term: object) -> str:
    return str(getattr(term, "value", "")) if term is not None else ""


def _ox_int(term: object) -> int | None:
    try:
        return int(_ox_str(term)) if term is not None else None
    except ValueError:
        return None


def _ox_float(term: object) -> float | None:
    try:
        return float(_ox_str(term)) if term is not None else None
    except ValueError:
        return None


def collect_store_view(store: ox.Store) -> GraphView:
    """Read the page's data straight out of an Oxigraph store with SPARQL.

    Same result as :func:`collect_view` on the store's graph, without copying
    the store into rdflib first (a few SELECTs, evaluated in Rust).

    Parameters
    ----------
    store
        An open store, e.g. :func:`kg.store.open_store` of a build folder.

    Returns
    -------
    GraphView
        As :func:`collect_view`.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import open_store, write_documents
    >>> from kg.types import Document, Entity, Mention, Sentence
    >>> s = Sentence(0, 0, 4, "Ada.")
    >>> e = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> out = tempfile.mkdtemp()
    >>> _ = write_documents(out, [Document("a.txt", "a.txt", "0" * 64, (s,), (e,))])
    >>> view = collect_store_view(open_store(out))
    >>> [(n.label, n.cls, n.mentions) for n in view.nodes]
    [('Ada', 'Person', 1)]
    """
    onto = load_ontology()

    def select(text: str) -> Iterable[ox.QuerySolution]:
        result = store.query(text, prefixes=_STORE_PREFIXES)
        assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - SELECT only
        return result

    entity_classes = {KGO_URI + c: c for c in onto.classes if onto.is_a(c, "Entity")}
    rows = _Rows()
    for row in select(_STORE_TYPES):
        cls = entity_classes.get(_ox_str(row["c"]))
        if cls is not None:
            rows.types.setdefault(_ox_str(row["e"]), set()).add(cls)
    for row in select(_STORE_MENTIONS):
        rows.mentions.append(
            (
                _ox_str(row["e"]),
                _ox_str(row["m"]),
                _ox_str(row["sent"]),
                _ox_int(row["start"]),
                _ox_int(row["end"]),
            )
        )
    for row in select(_STORE_NAMES):
        entity = _ox_str(row["e"])
        name = row["pref"] or row["label"]
        if name is not None and entity not in rows.names:
            rows.names[entity] = _ox_str(name)
    for row in select(_STORE_ALIASES):
        rows.aliases.setdefault(_ox_str(row["e"]), set()).add(_ox_str(row["alias"]))
    for row in select(_STORE_SENTENCES):
        sentence = _ox_str(row["sent"])
        if sentence in rows.sentences:
            continue
        doc = row["doc"]
        doc_name = _ox_str(row["docLabel"] or row["docSource"]) or (
            _local(URIRef(_ox_str(doc))) if doc is not None else ""
        )
        rows.sentences[sentence] = (
            _ox_str(row["text"]),
            _ox_int(row["start"]) or 0,
            doc_name,
        )
    for row in select(_STORE_STATEMENTS):
        rows.statements.append(
            (
                _ox_str(row["st"]),
                _ox_str(row["s"]),
                _ox_str(row["p"]),
                _ox_str(row["o"]),
                _ox_str(row["sent"]),
                _ox_int(row["start"]),
                _ox_int(row["end"]),
                _ox_float(row["conf"]),
                _ox_str(row["rel"]),
                _ox_str(row["modality"]),
            )
        )
    for info in onto.properties.values():
        prop = ox.NamedNode(str(info.iri))
        for quad in store.quads_for_pattern(None, prop, None, ox.DefaultGraph()):
            rows.plain.add((_ox_str(quad.subject), str(info.iri), _ox_str(quad.object)))
    for info in onto.value_properties.values():
        prop = ox.NamedNode(str(info.iri))
        for quad in store.quads_for_pattern(None, prop, None, ox.DefaultGraph()):
            subject, literal = _ox_str(quad.subject), _ox_str(quad.object)
            _add_value_row(rows, subject, info.label, literal)
    return _assemble(rows)


def _product(
    *values: set[str | None],
) -> Iterable[tuple[str | None, ...]]:
    """Rows of a join of optional values: one per combination, None when absent."""
    return itertools.product(*(sorted(v, key=str) if v else (None,) for v in values))


def _rows_from_documents(documents: Iterable[Document]) -> _Rows:
    """Read what :func:`collect_store_view` reads, straight from the documents.

    Mirrors :func:`kg.rdf.own_quads` and :func:`kg.rdf.entity_quads` (what
    :func:`kg.store.write_documents` loads into an empty store) as sets of
    values per node, so nodes whose IRIs coincide combine as they do in a
    store, and the rows are those the store's SELECTs return.
    """
    onto = load_ontology()
    entity_classes = {c for c in onto.classes if onto.is_a(c, "Entity")}
    rows = _Rows()
    # entity node -> (class of the first document naming it, names, aliases)
    entities: dict[str, tuple[str, list[str], set[str]]] = {}
    mentioned: dict[str, set[str]] = defaultdict(set)  # entity -> mention nodes
    # mention node -> (sentences, starts, ends)
    mention_at: dict[str, tuple[set[str | None], ...]] = {}
    # sentence node -> (texts, starts, documents)
    sentence_of: dict[str, tuple[set[str | None], ...]] = {}
    doc_names: dict[str, tuple[set[str | None], ...]] = {}  # doc -> (labels,)
    # statement node -> (s, p, o, sentence, start, end, confidence, text, modality)
    statement_of: dict[str, tuple[set[str | None], ...]] = {}
    properties: dict[str, str] = {}  # relation name -> property IRI
    object_properties = {str(info.iri) for info in onto.properties.values()}
    value_labels: dict[str, list[str]] = defaultdict(list)
    for info in onto.value_properties.values():
        value_labels[str(info.iri)].append(info.label)
    for document in documents:
        doc_id = document.doc_id
        doc = iri_text("doc", doc_id)
        doc_names.setdefault(doc, (set(),))[0].add(document.source)
        for sent in document.sentences:
            sent_node = iri_text("sentence", f"{doc_id}#{sent.index}")
            values = sentence_of.get(sent_node) or sentence_of.setdefault(
                sent_node, (set(), set(), set())
            )
            values[0].add(sent.text)
            values[1].add(str(sent.start_char))
            values[2].add(doc)
        for entity in document.entities:
            node = iri_text("entity", entity.key)
            if node not in entities:
                entities[node] = (entity.label, [], set())
            entities[node][1].append(entity.name)
            entities[node][2].update(entity.aliases)
            for m in entity.mentions:
                mention = iri_text("mention", f"{doc_id}#{m.start_char}-{m.end_char}")
                mentioned[node].add(mention)
                values = mention_at.get(mention) or mention_at.setdefault(
                    mention, (set(), set(), set())
                )
                values[0].add(iri_text("sentence", f"{doc_id}#{m.sent_index}"))
                values[1].add(str(m.start_char))
                values[2].add(str(m.end_char))
        # a triple whose object is one of the document's values ends in its
        # literal (kg.rdf.own_quads), read back as its lexical form
        literals = {v.key: v.lexical for v in document.values}
        for triple in document.triples:
            s = iri_text("entity", triple.subject)
            lexical = literals.get(triple.object)
            o = lexical if lexical is not None else iri_text("entity", triple.object)
            p = properties.get(triple.predicate) or properties.setdefault(
                triple.predicate, str(onto.property_iri(triple.predicate))
            )
            if p in object_properties:
                rows.plain.add((s, p, o))
            for label in value_labels.get(p, ()):
                _add_value_row(rows, s, label, o)
            prov = triple.provenance
            stmt = statement_iri_text(triple)
            parts = statement_of.get(stmt) or statement_of.setdefault(
                stmt, (set(), set(), set(), set(), set(), set(), set(), set(), set())
            )
            parts[0].add(s)
            parts[1].add(p)
            parts[2].add(o)
            parts[3].add(iri_text("sentence", f"{prov.doc_id}#{prov.sent_index}"))
            parts[4].add(str(prov.start_char))
            parts[5].add(str(prov.end_char))
            parts[6].add(confidence_text(triple.confidence))
            if triple.lemma:
                parts[7].add(triple.lemma)
            parts[8].add(triple.modality)
    for node, (cls, names, aliases) in entities.items():
        if cls in entity_classes:
            rows.types[node] = {cls}
        if node not in mentioned:
            continue
        label = preferred_label(names)
        rows.names[node] = label
        others = (set(names) | aliases) - {label}
        if others:
            rows.aliases[node] = others
    for kind, nodes in (
        ("Document", doc_names),
        ("Sentence", sentence_of),
        ("Mention", mention_at),
    ):
        if kind in entity_classes:
            for node in nodes:
                rows.types.setdefault(node, set()).add(kind)
    used: set[str | None] = set()
    for node, mentions in mentioned.items():
        for mention in sorted(mentions):
            at, starts, ends = mention_at[mention]
            used |= at
            for where, begin, stop in _product(at, starts, ends):
                rows.mentions.append(
                    (node, mention, where or "", _int_text(begin), _int_text(stop))
                )
    for stmt in sorted(statement_of):
        parts = statement_of[stmt]
        used |= parts[3]
        for subj, prop, obj, where, begin, stop, conf, rel, modality in _product(
            *parts
        ):
            rows.statements.append(
                (
                    stmt,
                    subj or "",
                    prop or "",
                    obj or "",
                    where or "",
                    _int_text(begin),
                    _int_text(stop),
                    _float_text(conf),
                    rel or "",
                    modality or "",
                )
            )
    for sentence in sorted(x for x in used if x is not None):
        found = sentence_of.get(sentence)
        if found is None or not found[0]:
            continue  # no text: the store has no such sentence node
        text, begin, doc_node = next(iter(_product(*found)))
        labels = doc_names.get(doc_node or "", (set(),))[0]
        doc_label = min(labels, key=str) if labels else None
        rows.sentences[sentence] = (
            text or "",
            _int_text(begin) or 0,
            doc_label or (_local(URIRef(doc_node)) if doc_node else ""),
        )
    return rows


def _int_text(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _float_text(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def collect_documents_view(documents: Iterable[Document]) -> GraphView:
    """Read the view of the graph of ``documents`` without a store.

    The same :class:`GraphView` as :func:`collect_store_view` on a store
    that held nothing before :func:`kg.store.write_documents` wrote these
    (already merged) documents into it: ``kg build`` uses it to draw a new
    output's page while the store is still being loaded.

    Examples
    --------
    >>> from kg.types import Entity, Mention, Sentence
    >>> s = Sentence(0, 0, 4, "Ada.")
    >>> e = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> doc = Document("a.txt", "a.txt", "0" * 64, (s,), (e,))
    >>> view = collect_documents_view([doc])
    >>> [(n.label, n.cls, n.mentions, n.documents) for n in view.nodes]
    [('Ada', 'Person', 1, ('a.txt',))]
    """
    return _assemble(_rows_from_documents(documents))


def _degrees(view: GraphView) -> Counter[str]:
    degree: Counter[str] = Counter()
    for edge in view.edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    return degree


def select_view(
    view: GraphView, *, max_nodes: int | None = None, min_confidence: float = 0.0
) -> GraphView:
    """Drop weak relations, then keep the ``max_nodes`` most connected entities.

    Entities are ranked by degree, then mention count, then name; the
    returned view counts and names what it left out.

    Parameters
    ----------
    view
        The full view.
    max_nodes
        How many entities to keep (``None``: all).
    min_confidence
        Relations whose best confidence is below this are dropped first
        (relations without a confidence are kept).

    Returns
    -------
    GraphView
        The kept entities and the relations among them, with
        ``omitted_nodes``, ``omitted_edges``, ``omitted_names`` and
        ``filtered_edges`` filled in.

    Examples
    --------
    >>> a, b, c = (NodeView(i, i, "Person", "person") for i in "abc")
    >>> v = GraphView((a, b, c), (EdgeView("a", "b", "p", "p", 0.9),))
    >>> small = select_view(v, max_nodes=2)
    >>> [n.id for n in small.nodes], small.omitted_names
    (['a', 'b'], ('c',))
    >>> select_view(v, min_confidence=0.95).filtered_edges
    1
    """
    edges = tuple(
        e for e in view.edges if e.confidence is None or e.confidence >= min_confidence
    )
    filtered = view.filtered_edges + len(view.edges) - len(edges)
    view = replace(view, edges=edges, filtered_edges=filtered)
    if max_nodes is None or len(view.nodes) <= max_nodes:
        return view
    degree = _degrees(view)
    ranked = sorted(
        view.nodes, key=lambda n: (-degree[n.id], -n.mentions, n.label.casefold(), n.id)
    )
    keep_ids = {n.id for n in ranked[:max_nodes]}
    left = ranked[max_nodes:]
    kept_edges = tuple(
        e for e in edges if e.source in keep_ids and e.target in keep_ids
    )
    return replace(
        view,
        nodes=tuple(n for n in view.nodes if n.id in keep_ids),
        edges=kept_edges,
        omitted_nodes=view.omitted_nodes + len(left),
        omitted_edges=view.omitted_edges + len(edges) - len(kept_edges),
        omitted_names=(view.omitted_names + tuple(n.label for n in left))[
            :OMITTED_SHOWN
        ],
    )


# --- layout --------------------------------------------------------------------


#: Repulsion acts up to this many ideal edge lengths.
_CUTOFF = 3.0
#: Cell size of the grid the far part of the repulsion is computed on.
_CELL = 0.25


@functools.lru_cache(maxsize=8)
def _kernel_spectra(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Fourier transforms of the repulsion kernel ``d / |d|**2`` (``|d| <= cutoff``).

    The kernel is laid out with wrap-around on a grid of ``shape`` cells of
    :data:`_CELL`, so a product of spectra is a (circular) convolution.
    """
    reach = math.ceil(_CUTOFF / _CELL)
    offsets = np.arange(-reach, reach + 1)
    dx, dy = np.meshgrid(offsets * _CELL, offsets * _CELL, indexing="ij")
    d2 = dx**2 + dy**2
    inside = (d2 > 0) & (d2 <= _CUTOFF**2)
    safe = np.where(inside, d2, 1.0)
    rows = (offsets % shape[0])[:, None]
    cols = (offsets % shape[1])[None, :]
    spectra = []
    for component in (dx, dy):
        kernel = np.zeros(shape)
        kernel[rows, cols] = np.where(inside, component / safe, 0.0)
        spectra.append(scipy.fft.rfft2(kernel))
    return spectra[0], spectra[1]


def _grid_size(cells: int) -> int:
    """Round a grid side up (to few distinct sizes, so kernel spectra are reused)."""
    if cells <= 64:
        return 64
    return int(scipy.fft.next_fast_len(-(-cells // 32) * 32, real=True))


def _repulsion(pos: np.ndarray) -> np.ndarray:
    """Sum of ``d / |d|**2`` over all pairs closer than :data:`_CUTOFF`, per node.

    The far part is a particle-mesh sum: the nodes are spread on a grid of
    :data:`_CELL` (cloud in cell), the grid is convolved with the kernel by
    FFT and the field read back at the nodes (``O(n log n)``; the same
    weights for spreading and reading make a node's force on itself zero).
    Pairs closer than one cell, which the grid smooths, are added exactly.
    """
    n = len(pos)
    reach = math.ceil(_CUTOFF / _CELL)
    scaled = (pos - pos.min(axis=0)) / _CELL
    cell = np.floor(scaled).astype(np.int64)
    frac = scaled - cell
    # room for the kernel's reach past the last node, so nothing wraps round
    top = cell.max(axis=0)
    shape = (_grid_size(int(top[0]) + 2 + reach), _grid_size(int(top[1]) + 2 + reach))
    width = shape[1]
    flat = cell[:, 0] * width + cell[:, 1]
    corners = (flat, flat + width, flat + 1, flat + width + 1)
    fx, fy = frac[:, 0], frac[:, 1]
    weights = (
        (1 - fx) * (1 - fy),
        fx * (1 - fy),
        (1 - fx) * fy,
        fx * fy,
    )
    size = shape[0] * width
    density = sum(
        np.bincount(c, w, minlength=size) for c, w in zip(corners, weights, strict=True)
    )
    spectrum = scipy.fft.rfft2(np.reshape(density, shape))
    push = np.zeros((n, 2))
    for axis, kernel in enumerate(_kernel_spectra(shape)):
        field = scipy.fft.irfft2(spectrum * kernel, s=shape).ravel()
        push[:, axis] = sum(field[c] * w for c, w in zip(corners, weights, strict=True))
    close = cKDTree(pos).query_pairs(_CELL, output_type="ndarray")
    if len(close):
        i, j = close[:, 0], close[:, 1]
        delta = pos[i] - pos[j]
        near = delta / np.maximum((delta**2).sum(axis=1), 1e-4)[:, None]
        for axis in (0, 1):
            push[:, axis] += np.bincount(i, near[:, axis], minlength=n)
            push[:, axis] -= np.bincount(j, near[:, axis], minlength=n)
    return push


def _force_layout(
    n: int, pairs: np.ndarray, *, iterations: int, seed: int
) -> np.ndarray:
    """Fruchterman-Reingold with cut-off repulsion; ``pairs`` index into ``n`` nodes.

    Each iteration costs about ``O(n log n)`` (:func:`_repulsion`).
    """
    rng = np.random.default_rng(seed)
    radius = math.sqrt(n) * 0.6
    pos = rng.uniform(-radius, radius, size=(n, 2))
    src, dst = pairs[:, 0], pairs[:, 1]
    gravity = 0.02
    temperature = radius * 0.2
    cooling = (
        (0.02 / temperature) ** (1.0 / max(iterations, 1))
        if temperature > 0.02
        else 1.0
    )
    for _ in range(iterations):
        disp = _repulsion(pos)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.sqrt((delta**2).sum(axis=1))
            pull = delta * dist[:, None]
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(src, pull[:, axis], minlength=n)
                disp[:, axis] += np.bincount(dst, pull[:, axis], minlength=n)
        disp -= gravity * pos
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    centred: np.ndarray = pos - pos.mean(axis=0)
    return centred


def _grid_beside(main: np.ndarray, count: int, *, spacing: float = 0.9) -> np.ndarray:
    """Place ``count`` points on a grid to the right of the ``main`` points."""
    y0 = x1 = y1 = 0.0
    if len(main):
        y0, x1, y1 = main[:, 1].min(), main[:, 0].max(), main[:, 1].max()
    rows = max(int((y1 - y0) / spacing) + 1, math.ceil(math.sqrt(count)), 1)
    cols = math.ceil(count / rows)
    rows = math.ceil(count / cols)
    k = np.arange(count)
    left = x1 + 2 * spacing if len(main) else 0.0
    top = (y0 + y1) / 2 - (rows - 1) * spacing / 2
    return np.column_stack([left + (k // rows) * spacing, top + (k % rows) * spacing])


def layout_positions(
    node_ids: Iterable[str],
    edges: Iterable[tuple[str, str]],
    *,
    iterations: int = 120,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Lay a graph out in the plane, fast enough for thousands of nodes.

    Nodes with relations get Fruchterman-Reingold forces with repulsion cut
    off past three ideal edge lengths (summed on a grid by FFT, with the
    closest pairs added exactly, so an iteration costs about ``O(n log n)``:
    about 0.4 s for 5,000 linked entities) and a weak pull to the centre that
    keeps components together; entities with no relation go on a grid beside
    them instead of a ring around them. Small graphs use networkx's exact
    ``spring_layout``. Positions are in pixels, about :data:`_SCALE` per
    edge; deterministic for a seed.

    Examples
    --------
    >>> pos = layout_positions("abc", [("a", "b"), ("b", "c")])
    >>> sorted(pos), all(isinstance(x, float) for p in pos.values() for x in p)
    (['a', 'b', 'c'], True)
    """
    ids = list(dict.fromkeys(node_ids))
    n = len(ids)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(ids)}
    pairs = np.array(
        [
            (index[a], index[b])
            for a, b in edges
            if a in index and b in index and a != b
        ],
        dtype=np.int64,
    ).reshape(-1, 2)
    if n <= 60:
        small = nx.Graph()
        small.add_nodes_from(range(n))
        small.add_edges_from(map(tuple, pairs.tolist()))
        spring = nx.spring_layout(small, seed=seed, k=1.0, scale=None)
        pos = np.array([spring[i] for i in range(n)], dtype=float)
    else:
        linked = np.zeros(n, dtype=bool)
        linked[pairs.ravel()] = True
        order = np.flatnonzero(linked)
        remap = np.full(n, -1, dtype=np.int64)
        remap[order] = np.arange(len(order))
        pos = np.zeros((n, 2))
        if len(order):
            pos[order] = _force_layout(
                len(order), remap[pairs], iterations=iterations, seed=seed
            )
        alone = np.flatnonzero(~linked)
        if len(alone):
            pos[alone] = _grid_beside(pos[order], len(alone))
    return {
        node: (float(x * _SCALE), float(y * _SCALE))
        for node, (x, y) in zip(ids, pos, strict=True)
    }


# --- the pyvis network ---------------------------------------------------------


class _Network(Network):  # type: ignore[misc]
    """pyvis network whose edge checks look nodes up in a dict, not a list."""

    def get_nodes(self) -> Iterable[str]:
        return self.node_map.keys()  # type: ignore[no-any-return]


def _vis_options(n_nodes: int, n_edges: int, physics: bool) -> dict[str, object]:
    big = n_nodes > PHYSICS_LIMIT
    options: dict[str, object] = {
        "autoResize": True,
        "nodes": {
            "font": {
                "size": 14,
                "face": "system-ui, sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {
                "min": 8,
                "max": 36,
                # past the physics limit hubs get bigger labels, readable zoomed out
                "label": {
                    "enabled": True,
                    "min": 12,
                    "max": 40 if big else 20,
                    "drawThreshold": 6,
                },
            },
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "color": {"color": "#9aa5b1", "highlight": "#1f4e79", "hover": "#1f4e79"},
            "font": {
                "size": 0 if n_edges > EDGE_LABEL_LIMIT else 11,
                "color": "#555555",
                "strokeWidth": 3,
                "align": "horizontal",
            },
            "smooth": False if big else {"enabled": True, "type": "dynamic"},
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": n_edges > EDGE_LABEL_LIMIT,
            "navigationButtons": False,
            "keyboard": False,
        },
        "layout": {"improvedLayout": n_nodes <= 100, "randomSeed": 7},
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 110,
                "avoidOverlap": 0.4,
            },
            "stabilization": {
                "enabled": True,
                "iterations": 150,
                "updateInterval": 50,
                "fit": True,
            },
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def build_network(
    view: GraphView,
    *,
    heading: str = "kg graph",
    physics: bool | None = None,
    size_by: SizeBy = "mentions",
) -> Network:
    """Build the pyvis network of a :class:`GraphView`.

    Each node and edge carries a ``kg`` field with what the info panel shows.

    Parameters
    ----------
    view
        What to draw (already selected, see :func:`select_view`).
    heading
        The page title.
    physics
        As in :class:`RenderOptions`; with physics on, the Python layout is
        the starting point, otherwise it is final.
    size_by
        ``"mentions"`` or ``"degree"``.

    Returns
    -------
    pyvis.network.Network
        Nodes, edges and vis-network options.

    Examples
    --------
    >>> view = GraphView((NodeView("a", "Ada", "Person", "person", mentions=2),), ())
    >>> net = build_network(view)
    >>> net.nodes[0]["shape"], net.nodes[0]["kg"]["mentions"]
    ('dot', 2)
    """
    if physics is None:
        physics = len(view.nodes) <= PHYSICS_LIMIT
    net = _Network(
        height="100%",
        width="100%",
        directed=True,
        heading=heading,
        cdn_resources="in_line",
    )
    degree = _degrees(view)
    # with physics on, the Python layout is only the starting point
    positions = layout_positions(
        (n.id for n in sorted(view.nodes, key=lambda n: (n.cls, -n.mentions, n.label))),
        ((e.source, e.target) for e in view.edges),
    )
    for node in view.nodes:
        color, shape = _STYLE.get(node.cls, _FALLBACK_STYLE)
        size_value = node.mentions if size_by == "mentions" else degree[node.id]
        extra: dict[str, object] = {}
        if node.id in positions:
            extra["x"], extra["y"] = positions[node.id]
        net.add_node(
            node.id,
            label=node.label,
            shape=shape,
            color=color,
            value=max(size_value, 1),
            kg={
                "cls": node.cls,
                "clsLabel": node.cls_label,
                "aliases": list(node.aliases),
                "values": list(node.values),
                "mentions": node.mentions,
                "documents": list(node.documents),
                "degree": degree[node.id],
                "color": color,
            },
            **extra,
        )
    parallel: Counter[frozenset[str]] = Counter()
    for i, edge in enumerate(view.edges):
        confidence = edge.confidence
        # edges between the same two entities curve apart instead of overlapping
        pair = frozenset((edge.source, edge.target))
        extra = {}
        if parallel[pair]:
            roundness = min(0.15 * parallel[pair], 0.9)
            extra["smooth"] = {
                "enabled": True,
                "type": "curvedCW",
                "roundness": roundness,
            }
        parallel[pair] += 1
        net.add_edge(
            edge.source,
            edge.target,
            id=f"e{i}",
            label=edge.label,
            arrows="to",
            width=1.0 + 2.0 * (confidence if confidence is not None else 0.5),
            **extra,
            kg={
                "property": edge.property,
                "label": edge.label,
                "confidence": confidence,
                "evidence": [
                    {
                        "sentence": ev.sentence,
                        "document": ev.document,
                        "confidence": ev.confidence,
                        "marks": [list(m) for m in ev.marks],
                        "modality": ev.modality,
                    }
                    for ev in edge.evidence
                ],
            },
        )
    net.options = _vis_options(len(view.nodes), len(view.edges), physics)
    return net


# --- the page --------------------------------------------------------------------


@functools.cache
def _environment() -> Environment:
    kg_templates = str(resources.files("kg") / "templates")
    pyvis_templates = str(Path(pyvis.__file__).parent / "templates")
    return Environment(
        loader=ChoiceLoader(
            [FileSystemLoader(kg_templates), FileSystemLoader(pyvis_templates)]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def _legend(view: GraphView) -> list[dict[str, object]]:
    counts = Counter(n.cls for n in view.nodes)
    labels = {n.cls: n.cls_label for n in view.nodes}
    return [
        {
            "cls": cls,
            "label": labels[cls],
            "count": counts[cls],
            "color": _STYLE.get(cls, _FALLBACK_STYLE)[0],
            "shape": _STYLE.get(cls, _FALLBACK_STYLE)[1],
        }
        for cls in sorted(counts, key=lambda c: (-counts[c], c))
    ]


def _page(view: GraphView, options: RenderOptions) -> tuple[str, bool]:
    physics = options.physics
    if physics is None:
        physics = len(view.nodes) <= PHYSICS_LIMIT
    net = build_network(
        view, heading=options.heading, physics=physics, size_by=options.size_by
    )
    nodes, edges, _heading, _height, _width, vis_options = net.get_network_data()
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(vis_options)
        if isinstance(vis_options, str)
        else vis_options,
        "legend": _legend(view),
        "physics": physics,
        "minConfidence": options.min_confidence,
        "omitted": {
            "nodes": view.omitted_nodes,
            "edges": view.omitted_edges,
            "names": list(view.omitted_names),
            "filteredEdges": view.filtered_edges,
            "maxNodes": options.max_nodes,
        },
    }
    template = _environment().get_template("graph.html.j2")
    return template.render(heading=options.heading, data=data), physics


def render_page(
    graph: Graph | GraphView, *, options: RenderOptions | None = None
) -> tuple[str, RenderReport]:
    """Return the page drawing ``graph`` and a report of what it drew and left out.

    Parameters
    ----------
    graph
        A kg graph, or a view already read from one.
    options
        Page options; default :class:`RenderOptions()`.

    Returns
    -------
    tuple of str and RenderReport
        The self-contained HTML and what it drew, left out and filtered.

    Raises
    ------
    ConfigError
        Bad options (raised when :class:`RenderOptions` is built).

    Examples
    --------
    >>> from kg.rdf import new_graph
    >>> html, report = render_page(new_graph(), options=RenderOptions(max_nodes=5))
    >>> report.summary()
    'drew 0 entities and 0 relations'
    """
    opts = options or RenderOptions()
    view = graph if isinstance(graph, GraphView) else collect_view(graph)
    view = select_view(
        view, max_nodes=opts.max_nodes, min_confidence=opts.min_confidence
    )
    html, physics = _page(view, opts)
    report = RenderReport(
        nodes=len(view.nodes),
        edges=len(view.edges),
        omitted_nodes=view.omitted_nodes,
        omitted_edges=view.omitted_edges,
        omitted_names=view.omitted_names,
        filtered_edges=view.filtered_edges,
        physics=physics,
    )
    return html, report


def render_html(
    graph: Graph | GraphView,
    *,
    heading: str = "kg graph",
    options: RenderOptions | None = None,
) -> str:
    """Return the self-contained HTML page drawing ``graph``.

    Examples
    --------
    >>> from kg.rdf import new_graph
    >>> "vis.Network" in render_html(new_graph())
    True
    """
    return render_page(graph, options=options or RenderOptions(heading=heading))[0]


def write_html(
    graph: Graph | GraphView,
    path: Path,
    *,
    heading: str = "kg graph",
    options: RenderOptions | None = None,
) -> RenderReport:
    """Write the graph page to ``path`` atomically and report what it drew.

    Examples
    --------
    >>> import tempfile
    >>> from kg.rdf import new_graph
    >>> report = write_html(new_graph(), Path(tempfile.mkdtemp()) / "graph.html")
    >>> report.path.is_file(), report.nodes
    (True, 0)
    """
    html, report = render_page(graph, options=options or RenderOptions(heading=heading))
    write_atomic(path, html.encode("utf-8"))
    return replace(report, path=path)


def render_build(out: Path, *, options: RenderOptions | None = None) -> RenderReport:
    """Redraw ``out/graph.html`` from an existing build, without re-extracting.

    The graph comes from the build's store (or its ``graph.ttl``), through
    :func:`kg.store.load_graph`.

    Raises
    ------
    ConfigError
        ``out`` holds no build.

    Examples
    --------
    >>> import tempfile
    >>> from kg.rdf import new_graph, serialize
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = serialize(new_graph(), out / "graph.ttl")
    >>> render_build(out).path.name
    'graph.html'
    """
    from kg.store import has_store, load_graph, open_store

    source: Graph | GraphView
    source = collect_store_view(open_store(out)) if has_store(out) else load_graph(out)
    return write_html(source, out / "graph.html", options=options)
