"""Render the graph as one self-contained, offline HTML page with pyvis.

pyvis's stock template loads Bootstrap from a CDN; kg uses its own template
(``kg/templates/graph.html.j2``) that inlines vis-network's script and style
from the pyvis package, so the page works with no network.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pyvis
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from kg.rdf import NS, write_atomic

__all__ = ["ENTITY_QUERY", "RELATION_QUERY", "build_network", "render_html", "write_html"]

ENTITY_QUERY = prepareQuery(
    """
    SELECT ?e ?label ?cls ?clsLabel (COUNT(DISTINCT ?m) AS ?mentions)
    WHERE {
      ?e kgo:mention ?m ; rdfs:label ?label ; a ?cls .
      ?cls rdfs:subClassOf* kgo:Entity .
      OPTIONAL { ?cls rdfs:label ?clsLabel }
    }
    GROUP BY ?e ?label ?cls ?clsLabel
    ORDER BY ?label
    """,
    initNs=NS,
)
RELATION_QUERY = prepareQuery(
    """
    SELECT ?s ?p ?o ?pLabel (GROUP_CONCAT(DISTINCT ?text; separator=" | ") AS ?sentences)
           (MAX(?conf) AS ?confidence)
    WHERE {
      ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
          prov:wasDerivedFrom ?sent ; kgo:confidence ?conf .
      ?sent rdf:value ?text .
      OPTIONAL { ?st kgo:relationText ?rel }
      OPTIONAL { ?p rdfs:label ?plabel }
      BIND(COALESCE(?rel, ?plabel, STR(?p)) AS ?pLabel)
    }
    GROUP BY ?s ?p ?o ?pLabel
    """,
    initNs=NS,
)

_PALETTE = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b",
    "Place": "#59a14f",
    "Facility": "#76b7b2",
    "CreativeWork": "#edc948",
    "Event": "#e15759",
    "Group": "#b07aa1",
    "Product": "#ff9da7",
    "Law": "#9c755f",
    "Thing": "#bab0ac",
}


def _with_ontology(graph: Graph) -> Graph:
    from kg.ontology import load_ontology

    combined = Graph()
    for triple in graph:
        combined.add(triple)
    for triple in load_ontology().graph:
        combined.add(triple)
    return combined


def build_network(graph: Graph, *, heading: str = "kg graph") -> Network:
    """Build a pyvis network of the entities and relations in ``graph``.

    Examples
    --------
    >>> from kg.rdf import new_graph
    >>> len(build_network(new_graph()).nodes)
    0
    """
    data = _with_ontology(graph)
    net = Network(height="100vh", width="100%", directed=True, heading=heading, cdn_resources="in_line")
    seen: set[str] = set()
    for row in data.query(ENTITY_QUERY):
        node_id = str(row.e)
        if node_id in seen:
            continue
        seen.add(node_id)
        cls = str(row.cls).rsplit("#", 1)[-1]
        net.add_node(
            node_id,
            label=str(row.label),
            title=f"{row.label}\n{row.clsLabel or cls} · {int(row.mentions)} mentions",
            color=_PALETTE.get(cls, "#bab0ac"),
            group=cls,
            size=10 + 3 * min(int(row.mentions), 10),
        )
    for row in data.query(RELATION_QUERY):
        s, o = str(row.s), str(row.o)
        if s in seen and o in seen:
            net.add_edge(
                s, o, label=str(row.pLabel), title=str(row.sentences), arrows="to",
                value=float(row.confidence),
            )
    return net


def _environment() -> Environment:
    kg_templates = str(resources.files("kg") / "templates")
    pyvis_templates = str(Path(pyvis.__file__).parent / "templates")
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(kg_templates), FileSystemLoader(pyvis_templates)]),
        autoescape=select_autoescape(default=True),
    )


def render_html(graph: Graph, *, heading: str = "kg graph") -> str:
    """Return the self-contained HTML page drawing ``graph``.

    Examples
    --------
    >>> from kg.rdf import new_graph
    >>> "vis.Network" in render_html(new_graph())
    True
    """
    net = build_network(graph, heading=heading)
    nodes, edges, _heading, height, width, options = net.get_network_data()
    template = _environment().get_template("graph.html.j2")
    return template.render(
        heading=heading,
        nodes=nodes,
        edges=edges,
        height=height,
        width=width,
        bgcolor="#ffffff",
        options=options if isinstance(options, str) else json.dumps(options),
    )


def write_html(graph: Graph, path: Path, *, heading: str = "kg graph") -> Path:
    """Write the graph page to ``path`` atomically and return the path."""
    write_atomic(path, render_html(graph, heading=heading).encode("utf-8"))
    return path
