"""The structure the page shows first: communities, label order, class colours.

Computed in Python once per page, so the browser only draws:

* :func:`detect_communities`: Louvain communities (networkx) of the stated
  facts, the groups the page outlines and lists;
* :func:`rank_nodes`: the order in which the page gives entities a label when
  they compete for room (the most connected and most mentioned first, and
  the head of every community early, so each group is named at any zoom);
* :func:`class_styles`: a colour and a shape for every class, distinct
  colours within a page;
* :func:`corpus_title`: the corpus name the page is titled with.
"""

from __future__ import annotations

import math
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath

from kg.render.model import GraphView, is_default_edge

__all__ = [
    "PALETTE",
    "class_styles",
    "corpus_title",
    "detect_communities",
    "rank_nodes",
]

#: Preferred colour and shape of kg's classes; other classes (a plug-in's, or
#: one added to the ontology) take the first unused colour of
#: :data:`PALETTE` and the shape of their nearest styled superclass.
_PREFERRED: dict[str, tuple[str, str]] = {
    "Person": ("#4e79a7", "dot"),
    "Organization": ("#f28e2b", "square"),
    "Agent": ("#a0cbe8", "dot"),
    "Place": ("#59a14f", "diamond"),
    "Country": ("#b6992d", "diamond"),
    "Continent": ("#8cd17d", "diamond"),
    "Facility": ("#499894", "triangleDown"),
    "Nation": ("#f1ce63", "triangle"),
    "Nationality": ("#ffbe7d", "triangle"),
    "Group": ("#b07aa1", "triangle"),
    "CreativeWork": ("#d37295", "star"),
    "Law": ("#9d7660", "star"),
    "Event": ("#e15759", "hexagon"),
    "Product": ("#ff9d9a", "hexagon"),
    "Software": ("#17becf", "hexagon"),
    "Publication": ("#bcbd22", "square"),
    "Belief": ("#9467bd", "triangle"),
    "Language": ("#d4a6c8", "dot"),
    "Thing": ("#79706e", "dot"),
    "Entity": ("#bab0ac", "dot"),
}
#: Colours for classes without a preferred one, in order of use.
PALETTE: tuple[str, ...] = (
    "#17becf",
    "#bcbd22",
    "#8c564b",
    "#e377c2",
    "#9467bd",
    "#86bcb6",
    "#fabfd2",
    "#d7b5a6",
    "#2ca02c",
    "#1f77b4",
    "#ff7f0e",
    "#7f7f7f",
)


def class_styles(
    classes: Iterable[str], superclasses: Mapping[str, Sequence[str]] | None = None
) -> dict[str, tuple[str, str]]:
    """Give every class a colour and a shape, no two classes the same colour.

    Parameters
    ----------
    classes
        The classes to style (those of one page).
    superclasses
        Each class's superclasses, nearest first (for an unknown class's
        shape); default none.

    Returns
    -------
    dict
        ``class -> (colour, shape)``.

    Examples
    --------
    >>> above = {"Software": ["Product"]}
    >>> styles = class_styles(["Person", "Country", "Software"], above)
    >>> styles["Person"], styles["Software"]
    (('#4e79a7', 'dot'), ('#17becf', 'hexagon'))
    >>> len({colour for colour, _ in styles.values()})
    3
    """
    wanted = sorted(set(classes))
    styles: dict[str, tuple[str, str]] = {
        c: _PREFERRED[c] for c in wanted if c in _PREFERRED
    }
    used = {colour for colour, _ in styles.values()}
    spare = [c for c in PALETTE if c not in used]
    for index, cls in enumerate(c for c in wanted if c not in styles):
        shape = next(
            (
                _PREFERRED[s][1]
                for s in (superclasses or {}).get(cls, ())
                if s in _PREFERRED
            ),
            "dot",
        )
        colour = spare[index] if index < len(spare) else _hashed_colour(cls, index)
        styles[cls] = (colour, shape)
    return styles


def _hashed_colour(name: str, index: int) -> str:
    """Return a colour off the palette (pages with more classes than colours)."""
    hue = (index * 137.508) % 360  # the golden angle spreads hues evenly
    return f"hsl({hue:.0f}, 55%, 45%)"


def detect_communities(view: GraphView, *, seed: int = 0) -> dict[str, int]:
    """Group the entities into communities of densely related ones (Louvain).

    Communities are found on the stated facts (the edges the page draws
    first), with networkx's ``louvain_communities``; entities without a
    stated fact are communities of their own. Numbered by size, largest
    first (ties by the smallest member id), so the result is deterministic.

    Examples
    --------
    >>> from kg.render.model import EdgeView, NodeView
    >>> nodes = tuple(NodeView(i, i, "Person", "person") for i in "abcdef")
    >>> pairs = ["ab", "bc", "ca", "de", "ef", "fd", "cd"]
    >>> edges = tuple(EdgeView(a, b, "urn:p", "p", 0.9) for a, b in pairs)
    >>> groups = detect_communities(GraphView(nodes, edges))
    >>> groups["a"] == groups["b"] == groups["c"], groups["a"] != groups["d"]
    (True, True)
    """
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(sorted(n.id for n in view.nodes))
    weights: Counter[tuple[str, str]] = Counter()
    for edge in view.edges:
        if is_default_edge(edge) and edge.source != edge.target:
            a, b = sorted((edge.source, edge.target))
            weights[(a, b)] += 1
    for (a, b), weight in sorted(weights.items()):
        if a in graph and b in graph:
            graph.add_edge(a, b, weight=weight)
    found: list[set[str]] = []
    for component in nx.connected_components(graph):
        if len(component) <= 3:
            found.append(set(component))
            continue
        sub = graph.subgraph(component)
        found.extend(nx.community.louvain_communities(sub, seed=seed, weight="weight"))
    ordered = sorted(found, key=lambda c: (-len(c), min(c)))
    return {node: index for index, members in enumerate(ordered) for node in members}


def rank_nodes(view: GraphView, communities: Mapping[str, int]) -> dict[str, int]:
    """Order the entities by how much they deserve a label (0: the first).

    Importance is the number of distinct entities an entity is related to by
    stated facts, then its other relations, documents and mentions. Each
    community's most important entity is moved up among the first ones, so
    a small group is named before a big group's minor members.

    Examples
    --------
    >>> from kg.render.model import EdgeView, NodeView
    >>> nodes = tuple(NodeView(i, i, "Person", "person", mentions=1) for i in "abcde")
    >>> pairs = ("ab", "ac", "de")
    >>> edges = tuple(EdgeView(x, y, "urn:p", "p", 1.0) for x, y in pairs)
    >>> groups = {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1}
    >>> ranks = rank_nodes(GraphView(nodes, edges), groups)
    >>> sorted(ranks, key=ranks.get)  # d, the second group's head, before c
    ['a', 'b', 'd', 'c', 'e']
    """
    stated: dict[str, set[str]] = defaultdict(set)
    other: dict[str, set[str]] = defaultdict(set)
    for edge in view.edges:
        if edge.source == edge.target:
            continue
        bucket = stated if is_default_edge(edge) else other
        bucket[edge.source].add(edge.target)
        bucket[edge.target].add(edge.source)

    def score(node_id: str, documents: int, mentions: int) -> float:
        return (
            2.0 * len(stated[node_id])
            + 0.5 * len(other[node_id])
            + 0.5 * documents
            + 0.25 * math.log1p(mentions)
        )

    scored = sorted(
        view.nodes,
        key=lambda n: (
            -score(n.id, len(n.documents), n.mentions),
            n.label.casefold(),
            n.id,
        ),
    )
    heads: list[str] = []
    seen: set[int] = set()
    for node in scored:
        group = communities.get(node.id, -1)
        if group not in seen and stated[node.id]:
            seen.add(group)
            heads.append(node.id)
    # community heads interleave with the overall order: head k comes no later
    # than position 2k, so every group is named among the first labels
    order: list[str] = []
    placed: set[str] = set()
    rest = iter(n.id for n in scored)
    for head in heads:
        for node_id in rest:
            if node_id in placed:
                continue
            order.append(node_id)
            placed.add(node_id)
            break
        if head not in placed:
            order.append(head)
            placed.add(head)
    order.extend(n.id for n in scored if n.id not in placed)
    return {node_id: index for index, node_id in enumerate(order)}


def corpus_title(documents: Sequence[str], *, default: str = "kg graph") -> str:
    """Name a corpus after its documents: their shared folder, or the one file.

    Examples
    --------
    >>> corpus_title(["/data/news-2024/a.txt", "/data/news-2024/b.txt"])
    'news-2024'
    >>> corpus_title(["/data/one-story.txt"])
    'one-story'
    >>> corpus_title([])
    'kg graph'
    """
    paths = [PurePath(d) for d in documents if d]
    if not paths:
        return default
    if len(paths) == 1:
        return paths[0].stem or default
    try:
        shared = PurePath(os.path.commonpath([str(p.parent) for p in paths]))
    except ValueError:  # relative and absolute paths mixed
        return default
    return shared.name or default
