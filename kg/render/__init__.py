"""The graph page: one self-contained, offline HTML file per build.

The page draws entities (colour and shape by ontology class, size by mention
count or degree, grouped by community) and relations (labelled by the
property's ``rdfs:label``, or by the relation words for the generic
``kgo:relatedTo``). Its first view holds the stated facts only; loose
(``relatedTo``), hedged and reported relations and entities with no relation
are there on demand, drawn so a guess never looks like a fact. Clicking shows
where a fact comes from: the sentence, with both mentions marked, the
document, the rule and the confidence. Search, filters that combine (class,
confidence, document, community, linked), neighbours on demand and the path
between two entities make big graphs explorable.

The package follows the data: :mod:`~kg.render.collect` reads a graph or a
store, :mod:`~kg.render.documents` documents not yet stored, into a
:class:`GraphView` (:mod:`~kg.render.model`);
:mod:`~kg.render.structure` finds communities, label order and colours;
:mod:`~kg.render.layout` places the entities; :mod:`~kg.render.page` writes
the page (``kg/templates/``).
"""

from __future__ import annotations

from kg.render.collect import collect_store_view, collect_view
from kg.render.documents import collect_documents_view
from kg.render.layout import layout_positions
from kg.render.model import (
    EdgeView,
    Evidence,
    GraphView,
    NodeView,
    RenderOptions,
    RenderReport,
    is_default_edge,
    select_view,
)
from kg.render.page import (
    page_data,
    render_build,
    render_html,
    render_page,
    write_html,
)
from kg.render.structure import (
    class_styles,
    corpus_title,
    detect_communities,
    rank_nodes,
)

__all__ = [
    "EdgeView",
    "Evidence",
    "GraphView",
    "NodeView",
    "RenderOptions",
    "RenderReport",
    "class_styles",
    "collect_documents_view",
    "collect_store_view",
    "collect_view",
    "corpus_title",
    "detect_communities",
    "is_default_edge",
    "layout_positions",
    "page_data",
    "rank_nodes",
    "render_build",
    "render_html",
    "render_page",
    "select_view",
    "write_html",
]
