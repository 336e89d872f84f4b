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

Reading the graph walks rdflib's indexes directly (no copy of the graph, no
SPARQL), and graphs past :data:`PHYSICS_LIMIT` entities get their layout
computed here (a Fruchterman-Reingold variant with a cut-off on repulsion,
:func:`layout_positions`) so the browser only draws.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Literal as Lit

import networkx as nx
import numpy as np
import pyvis
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network
from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node
from scipy.spatial import cKDTree

from kg.errors import ConfigError
from kg.ontology import KGO, KGO_URI, load_ontology
from kg.rdf import write_atomic

__all__ = [
    "PHYSICS_LIMIT",
    "EdgeView",
    "Evidence",
    "GraphView",
    "NodeView",
    "RenderOptions",
    "RenderReport",
    "build_network",
    "collect_view",
    "layout_positions",
    "render_build",
    "render_html",
    "render_page",
    "select_view",
    "write_html",
]

#: Past this many entities the layout is computed in Python and physics is off.
PHYSICS_LIMIT = 150
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
    "Thing": ("#bab0ac", "dot"),
    "Entity": ("#bab0ac", "dot"),
}
_FALLBACK_STYLE = ("#bab0ac", "dot")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence a relation was read from, with both mentions located.

    ``marks`` hold ``(start, end, role)`` offsets into ``sentence`` with
    ``role`` ``"s"`` (subject) or ``"o"`` (object).

    Examples
    --------
    >>> Evidence("Ada met Bob.", "a.txt", 0.9, ((0, 3, "s"), (8, 11, "o"))).marks[1]
    (8, 11, 'o')
    """

    sentence: str
    document: str
    confidence: float | None
    marks: tuple[tuple[int, int, str], ...] = ()


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


def _doc_name(graph: Graph, doc: Node | None, cache: dict[Node, str]) -> str:
    if doc is None:
        return ""
    if doc not in cache:
        label = graph.value(doc, RDFS.label) or graph.value(doc, DCTERMS.source)
        cache[doc] = str(label) if label is not None else _local(doc)
    return cache[doc]


def _entity_classes(graph: Graph) -> dict[Node, str]:
    """Map each entity to its most specific ontology class (local name)."""
    onto = load_ontology()
    depth = {c: len(onto.superclasses.get(c, ())) for c in onto.classes}
    best: dict[Node, str] = {}
    for cls in onto.classes:
        if not onto.is_a(cls, "Entity"):
            continue
        for entity in graph.subjects(RDF.type, URIRef(KGO_URI + cls)):
            current = best.get(entity)
            if current is None or (depth[cls], cls) > (depth[current], current):
                best[entity] = cls
    for entity in set(graph.subjects(KGO.mention, None)) - best.keys():
        best[entity] = "Thing" if "Thing" in onto.classes else "Entity"
    return best


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


def collect_view(graph: Graph) -> GraphView:
    """Read the entities, relations and their provenance out of ``graph``.

    Walks rdflib's indexes (no SPARQL, no copy), so it stays linear in the
    size of the graph.

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
    classes = _entity_classes(graph)
    class_labels: dict[str, str] = {}
    for cls in set(classes.values()):
        label = onto.graph.value(URIRef(KGO_URI + cls), RDFS.label)
        class_labels[cls] = str(label) if label is not None else cls
    doc_names: dict[Node, str] = {}
    sentence_doc: dict[Node, Node | None] = {}

    def doc_of(sentence: Node) -> Node | None:
        if sentence not in sentence_doc:
            sentence_doc[sentence] = graph.value(sentence, DCTERMS.isPartOf)
        return sentence_doc[sentence]

    mentions_in: dict[Node, dict[Node, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    nodes: dict[Node, NodeView] = {}
    for entity, cls in classes.items():
        label = graph.value(entity, SKOS.prefLabel) or graph.value(entity, RDFS.label)
        name = str(label) if label is not None else _local(entity)
        aliases = tuple(
            sorted({str(a) for a in graph.objects(entity, SKOS.altLabel)} - {name})
        )
        n_mentions = 0
        docs: set[str] = set()
        for mention in graph.objects(entity, KGO.mention):
            n_mentions += 1
            sentence = graph.value(mention, KGO.inSentence)
            if sentence is None:
                continue
            docs.add(_doc_name(graph, doc_of(sentence), doc_names))
            start = _int(graph.value(mention, KGO.startChar))
            end = _int(graph.value(mention, KGO.endChar))
            if start is not None and end is not None:
                mentions_in[sentence][entity].append((start, end))
        docs.discard("")
        nodes[entity] = NodeView(
            id=str(entity),
            label=name,
            cls=cls,
            cls_label=class_labels[cls],
            aliases=aliases,
            mentions=n_mentions,
            documents=tuple(sorted(docs)),
        )

    properties = {info.iri: info for info in onto.properties.values()}
    generic = KGO.relatedTo
    evidence: dict[tuple[Node, Node, Node], list[Evidence]] = defaultdict(list)
    texts: dict[tuple[Node, Node, Node], Counter[str]] = defaultdict(Counter)
    for stmt in graph.subjects(RDF.type, RDF.Statement):
        s = graph.value(stmt, RDF.subject)
        p = graph.value(stmt, RDF.predicate)
        o = graph.value(stmt, RDF.object)
        if s not in nodes or o not in nodes or p is None:
            continue
        key = (s, p, o)
        rel = graph.value(stmt, KGO.relationText)
        if rel is not None:
            texts[key][str(rel)] += 1
        confidence = _float(graph.value(stmt, KGO.confidence))
        sentence = graph.value(stmt, PROV.wasDerivedFrom)
        if sentence is None:
            evidence.setdefault(key, [])
            continue
        text_node = graph.value(sentence, RDF.value)
        text = str(text_node) if text_node is not None else ""
        sent_start = _int(graph.value(sentence, KGO.startChar)) or 0
        span_start = _int(graph.value(stmt, KGO.startChar))
        span_end = _int(graph.value(stmt, KGO.endChar))
        span = (
            (span_start, span_end)
            if span_start is not None and span_end is not None
            else None
        )
        in_sentence = mentions_in.get(sentence, {})
        marks = [
            (a, b, "s")
            for a, b in _marks(in_sentence.get(s, ()), sent_start, len(text), span)
        ]
        marks += [
            (a, b, "o")
            for a, b in _marks(in_sentence.get(o, ()), sent_start, len(text), span)
        ]
        evidence[key].append(
            Evidence(
                sentence=text,
                document=_doc_name(graph, doc_of(sentence), doc_names),
                confidence=confidence,
                marks=tuple(sorted(set(marks))),
            )
        )
    for iri in properties:
        for s, o in graph.subject_objects(iri):
            if s in nodes and o in nodes:
                evidence.setdefault((s, iri, o), [])
    edges: list[EdgeView] = []
    for (s, p, o), found in evidence.items():
        info = properties.get(URIRef(str(p)))
        rel_label: str = info.label if info is not None else _local(p)
        if p == generic and texts[(s, p, o)]:
            rel_label = " / ".join(t for t, _ in texts[(s, p, o)].most_common(3))
        found.sort(key=lambda e: (-(e.confidence or 0.0), e.document, e.sentence))
        scores = [e.confidence for e in found if e.confidence is not None]
        edges.append(
            EdgeView(
                source=str(s),
                target=str(o),
                property=str(p),
                label=rel_label,
                confidence=max(scores) if scores else None,
                evidence=tuple(dict.fromkeys(found)),
            )
        )
    edges.sort(key=lambda e: (e.source, e.property, e.target))
    ordered = tuple(sorted(nodes.values(), key=lambda n: (n.label.casefold(), n.id)))
    return GraphView(nodes=ordered, edges=tuple(edges))


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


def _force_layout(
    n: int, pairs: np.ndarray, *, iterations: int, seed: int
) -> np.ndarray:
    """Fruchterman-Reingold with cut-off repulsion; ``pairs`` index into ``n`` nodes."""
    rng = np.random.default_rng(seed)
    radius = math.sqrt(n) * 0.6
    pos = rng.uniform(-radius, radius, size=(n, 2))
    src, dst = pairs[:, 0], pairs[:, 1]
    cutoff = 3.0
    gravity = 0.02
    temperature = radius * 0.2
    cooling = (
        (0.02 / temperature) ** (1.0 / max(iterations, 1))
        if temperature > 0.02
        else 1.0
    )
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        close = cKDTree(pos).query_pairs(cutoff, output_type="ndarray")
        if len(close):
            i, j = close[:, 0], close[:, 1]
            delta = pos[i] - pos[j]
            dist2 = np.maximum((delta**2).sum(axis=1), 1e-4)
            push = delta / dist2[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(i, push[:, axis], minlength=n)
                disp[:, axis] -= np.bincount(j, push[:, axis], minlength=n)
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
    return pos - pos.mean(axis=0)


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
    off past three ideal edge lengths (the neighbours come from a k-d tree, so
    an iteration costs about ``O(n log n)``) and a weak pull to the centre that
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
                "label": {"enabled": True, "min": 12, "max": 20, "drawThreshold": 6},
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
                "iterations": 300,
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
    positions = (
        {}
        if physics
        else layout_positions(
            (
                n.id
                for n in sorted(view.nodes, key=lambda n: (n.cls, -n.mentions, n.label))
            ),
            ((e.source, e.target) for e in view.edges),
        )
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
                "mentions": node.mentions,
                "documents": list(node.documents),
                "degree": degree[node.id],
                "color": color,
            },
            **extra,
        )
    for i, edge in enumerate(view.edges):
        confidence = edge.confidence
        net.add_edge(
            edge.source,
            edge.target,
            id=f"e{i}",
            label=edge.label,
            arrows="to",
            width=1.0 + 2.0 * (confidence if confidence is not None else 0.5),
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
    from kg.store import load_graph

    return write_html(load_graph(out), out / "graph.html", options=options)
