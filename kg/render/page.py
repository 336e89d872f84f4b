"""The graph page: one self-contained, offline HTML file drawn by vis-network.

Python decides everything that needs the whole graph (communities, label
order, colours, layout: :mod:`kg.render.structure`, :mod:`kg.render.layout`)
and writes it into the page as JSON; the page's script
(``kg/templates/graph.js``) only filters and draws. vis-network (shipped in
the pyvis package) draws the entities and handles zoom, pan, drag and
selection; the script draws the relations (in a few batched canvas paths, so
5,000 entities stay responsive), the community outlines and the labels
(placed most important first, never on top of one another).

Nothing is fetched: vis-network's script and style are inlined from the pyvis
package, read as files (pyvis itself is not imported). Data goes into the
page as JSON (``tojson`` escapes ``<``, ``>`` and ``&``) and the script builds
its panels with ``textContent``, never ``innerHTML``, so labels and sentences
always show as text.
"""

from __future__ import annotations

import functools
import importlib.util
from collections import Counter
from dataclasses import replace
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph

from kg.errors import ConfigError
from kg.render.layout import layout_positions
from kg.render.model import (
    GUESS_BELOW,
    EdgeView,
    Explanation,
    GraphView,
    NodeView,
    RenderOptions,
    RenderReport,
    SizeBy,
    degrees,
    is_default_edge,
    select_view,
)
from kg.render.structure import (
    class_styles,
    corpus_title,
    detect_communities,
    rank_nodes,
)

__all__ = [
    "page_data",
    "render_build",
    "render_html",
    "render_page",
    "write_html",
]

#: The vis-network release pyvis ships (script and style are inlined).
_VIS = "lib/vis-9.1.2"
#: Node sizes (radius in layout pixels) of the least and the most mentioned.
_SIZE_MIN, _SIZE_MAX = 7.0, 22.0


def _vis_file(name: str) -> str:
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the pyvis package (which ships vis-network) is missing")
    path = Path(spec.submodule_search_locations[0]) / "templates" / _VIS / name
    return path.read_text(encoding="utf-8")


@functools.cache
def _assets() -> dict[str, str]:
    templates = resources.files("kg") / "templates"
    return {
        "vis_js": _vis_file("vis-network.min.js"),
        "vis_css": _vis_file("vis-network.css"),
        "page_js": (templates / "graph.js").read_text(encoding="utf-8"),
        "page_css": (templates / "graph.css").read_text(encoding="utf-8"),
    }


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(resources.files("kg") / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def _sizes(view: GraphView, size_by: SizeBy) -> dict[str, float]:
    degree = degrees(view)
    value = {
        n.id: float(n.mentions if size_by == "mentions" else degree[n.id])
        for n in view.nodes
    }
    top = max(value.values(), default=1.0) or 1.0
    return {
        node: _SIZE_MIN + (_SIZE_MAX - _SIZE_MIN) * (max(v, 0.0) / top) ** 0.5
        for node, v in value.items()
    }


def _node_data(
    node: NodeView,
    *,
    position: tuple[float, float],
    size: float,
    rank: int,
    group: int,
    degree: int,
    doc_index: dict[str, int],
    terms: dict[str, int],
) -> dict[str, object]:
    data: dict[str, object] = {
        "id": node.id,
        "name": node.label,
        "cls": node.cls,
        "clsLabel": node.cls_label,
        "x": round(position[0], 1),
        "y": round(position[1], 1),
        "size": round(size, 1),
        "rank": rank,
        "group": group,
        "degree": degree,
        "mentions": node.mentions,
        "aliases": list(node.aliases),
        "values": list(node.values),
        "docs": [doc_index[d] for d in node.documents if d in doc_index],
    }
    if node.explanation.documents:
        data["why"] = _why_data(node.explanation, doc_index, terms)
    return data


def _term(terms: dict[str, int], text: str) -> int:
    """Index of a rule id or mention kind in the page's table (-1: none)."""
    if not text:
        return -1
    return terms.setdefault(text, len(terms))


def _why_data(
    why: Explanation, doc_index: dict[str, int], terms: dict[str, int]
) -> dict[str, object]:
    """Return the entity panel's explanation, compact: rule ids and kinds by index.

    Per document ``[document, entity name, rule, score, partner, mentions,
    mentions left out]`` with ``partner`` ``[document, name]`` or null and
    each mention ``[text, kind, found by, linked by]``; ``more`` counts the
    documents and mentions left out.
    """
    return {
        "docs": [
            [
                doc_index.get(d.document, -1),
                d.name,
                _term(terms, d.rule),
                d.score,
                [doc_index.get(d.partner[0], -1), d.partner[1]] if d.partner else None,
                [
                    [
                        m.text,
                        _term(terms, m.kind),
                        _term(terms, m.found_by),
                        _term(terms, m.linked_by),
                    ]
                    for m in d.mentions
                ],
                d.more,
            ]
            for d in why.documents
        ],
        "more": [why.more_documents, why.more_mentions],
    }


def _edge_data(edge: EdgeView, doc_index: dict[str, int]) -> dict[str, object]:
    return {
        "from": edge.source,
        "to": edge.target,
        "property": edge.property,
        "label": edge.label,
        "conf": edge.confidence,
        "modality": edge.modality,
        "loose": edge.loose,
        "guess": edge.confidence is not None and edge.confidence < GUESS_BELOW,
        "docs": sorted(
            {doc_index[e.document] for e in edge.evidence if e.document in doc_index}
        ),
        "evidence": [
            {
                "sentence": ev.sentence,
                "doc": doc_index.get(ev.document, -1),
                "conf": ev.confidence,
                "marks": [list(m) for m in ev.marks],
                "modality": ev.modality,
                "rule": ev.rule,
                "words": ev.words,
            }
            for ev in edge.evidence
        ],
    }


def _groups(
    view: GraphView, communities: dict[str, int], ranks: dict[str, int]
) -> list[dict[str, object]]:
    members: dict[int, list[NodeView]] = {}
    for node in view.nodes:
        members.setdefault(communities[node.id], []).append(node)
    groups = []
    for group, nodes in sorted(members.items()):
        if len(nodes) < 3:
            continue
        nodes.sort(key=lambda n: ranks[n.id])
        groups.append(
            {"id": group, "size": len(nodes), "names": [n.label for n in nodes[:3]]}
        )
    return groups


def page_data(view: GraphView, options: RenderOptions) -> dict[str, object]:
    """Return everything the page's script needs, as JSON-ready values.

    Parameters
    ----------
    view
        What to draw (already selected, see :func:`kg.render.select_view`).
    options
        The page's options.

    Returns
    -------
    dict
        ``title``, ``nodes`` (position, size, label rank, community, the
        explanation ``why``...), ``terms`` (the rule ids and mention kinds
        the explanations refer to by index),
        ``edges`` (with their evidence), ``classes`` (legend), ``documents``,
        ``groups``, thresholds and what was left out.

    Examples
    --------
    >>> a = NodeView("urn:a", "Ada", "Person", "person", mentions=2)
    >>> b = NodeView("urn:b", "Bob", "Person", "person", mentions=1)
    >>> e = EdgeView("urn:a", "urn:b", "urn:p", "met", 0.9)
    >>> data = page_data(GraphView((a, b), (e,)), RenderOptions(heading="demo"))
    >>> data["title"], [n["name"] for n in data["nodes"]], data["edges"][0]["guess"]
    ('demo', ['Ada', 'Bob'], False)
    """
    from kg.ontology import load_ontology

    onto = load_ontology()
    communities = detect_communities(view)
    ranks = rank_nodes(view, communities)
    default_edges = [e for e in view.edges if is_default_edge(e)]
    positions = layout_positions(
        (n.id for n in sorted(view.nodes, key=lambda n: (n.cls, ranks[n.id]))),
        ((e.source, e.target) for e in default_edges),
        secondary=((e.source, e.target) for e in view.edges if not is_default_edge(e)),
        groups=communities,
    )
    sizes = _sizes(view, options.size_by)
    degree = degrees(view)
    documents = list(view.documents) or sorted(
        {d for n in view.nodes for d in n.documents}
    )
    doc_index = {d: i for i, d in enumerate(documents)}
    counts = Counter(n.cls for n in view.nodes)
    labels = {n.cls: n.cls_label for n in view.nodes}
    styles = class_styles(counts, onto.superclasses)
    title = options.heading or corpus_title(documents)
    linked = {e.source for e in default_edges} | {e.target for e in default_edges}
    terms: dict[str, int] = {}
    nodes = [
        _node_data(
            n,
            position=positions[n.id],
            size=sizes[n.id],
            rank=ranks[n.id],
            group=communities[n.id],
            degree=degree[n.id],
            doc_index=doc_index,
            terms=terms,
        )
        for n in view.nodes
    ]
    return {
        "title": title,
        "nodes": nodes,
        "terms": list(terms),
        "edges": [_edge_data(e, doc_index) for e in view.edges],
        "classes": [
            {
                "cls": cls,
                "label": labels[cls],
                "count": counts[cls],
                "color": styles[cls][0],
                "shape": styles[cls][1],
            }
            for cls in sorted(counts, key=lambda c: (-counts[c], c))
        ],
        "documents": documents,
        "groups": _groups(view, communities, ranks),
        "guessBelow": GUESS_BELOW,
        "minConfidence": options.min_confidence,
        "first": {"nodes": len(linked), "edges": len(default_edges)},
        "omitted": {
            "nodes": view.omitted_nodes,
            "edges": view.omitted_edges,
            "names": list(view.omitted_names),
            "filteredEdges": view.filtered_edges,
            "maxNodes": options.max_nodes,
        },
    }


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
    from kg.render.collect import collect_view

    opts = options or RenderOptions()
    view = graph if isinstance(graph, GraphView) else collect_view(graph)
    view = select_view(
        view, max_nodes=opts.max_nodes, min_confidence=opts.min_confidence
    )
    data = page_data(view, opts)
    template = _environment().get_template("graph.html.j2")
    html = template.render(title=data["title"], data=data, **_assets())
    first = data["first"]
    assert isinstance(first, dict)  # noqa: S101 - built just above
    report = RenderReport(
        nodes=len(view.nodes),
        edges=len(view.edges),
        omitted_nodes=view.omitted_nodes,
        omitted_edges=view.omitted_edges,
        omitted_names=view.omitted_names,
        filtered_edges=view.filtered_edges,
        first_nodes=int(first["nodes"]),
        first_edges=int(first["edges"]),
        title=str(data["title"]),
    )
    return html, report


def render_html(
    graph: Graph | GraphView,
    *,
    heading: str | None = None,
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
    heading: str | None = None,
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
    from kg.rdf import write_atomic

    html, report = render_page(graph, options=options or RenderOptions(heading=heading))
    write_atomic(path, html.encode("utf-8"))
    return replace(report, path=path)


def render_build(out: Path, *, options: RenderOptions | None = None) -> RenderReport:
    """Redraw ``out/graph.html`` from an existing build, without re-extracting.

    The graph comes from the build's store (or its ``graph.ttl``).

    Raises
    ------
    ConfigError
        ``out`` holds no build, or its store cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> from kg.rdf import new_graph, serialize
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = serialize(new_graph(), out / "graph.ttl")
    >>> render_build(out).path.name
    'graph.html'
    """
    from kg.render.collect import collect_store_view
    from kg.store import has_store, load_graph, open_store

    source: Graph | GraphView
    if has_store(out):
        store = open_store(out)
        try:
            source = collect_store_view(store)
        except (OSError, RuntimeError) as exc:
            detail = " ".join(str(exc).split())
            raise ConfigError(
                f"cannot read the store in {str(out)!r}: {detail}"
            ) from exc
    else:
        source = load_graph(out)
    return write_html(source, out / "graph.html", options=options)
