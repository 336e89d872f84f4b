"""What the graph page shows: entities, relations, their evidence, and options.

Plain frozen dataclasses filled by :mod:`kg.render.collect` and drawn by
:mod:`kg.render.page`; :func:`select_view` trims a view to the most connected
entities.
"""

from __future__ import annotations

import builtins
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal as Lit

from kg.errors import ConfigError
from kg.ontology import KGO_URI

__all__ = [
    "DEFAULT_MODALITY",
    "DRAWN_MODALITIES",
    "DocumentNote",
    "Explanation",
    "MentionNote",
    "GUESS_BELOW",
    "EdgeView",
    "Evidence",
    "GraphView",
    "NodeView",
    "RenderOptions",
    "RenderReport",
    "SizeBy",
    "degrees",
    "is_default_edge",
    "select_view",
]

#: How many left-out entity names the page and the CLI list.
OMITTED_SHOWN = 20
#: A relation whose best confidence is below this is drawn as a guess (dashed,
#: its label ending in "?"), never like a stated fact.
GUESS_BELOW = 0.5
#: The modality of a statement the text asserts (``kgo:modality``).
DEFAULT_MODALITY = "asserted"
#: Modalities drawn as edges, strongest first: a negated fact or a question is
#: never an edge.
DRAWN_MODALITIES = ("asserted", "reported", "hedged")
#: The generic property whose edges carry only the clause's words.
LOOSE_PROPERTY = KGO_URI + "relatedTo"

SizeBy = Lit["mentions", "degree"]
_SIZE_BY = ("mentions", "degree")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence a relation was read from, with both mentions located.

    ``marks`` hold ``(start, end, role)`` offsets into ``sentence`` with
    ``role`` ``"s"`` (subject) or ``"o"`` (object); ``modality`` says whether
    the sentence asserts, hedges or reports the fact; ``rule`` is the id of
    the extraction rule and ``words`` the clause's relation words.

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
    rule: str = ""
    words: str = ""


@dataclass(frozen=True, slots=True)
class MentionNote:
    """One mention as the entity panel lists it, with the rules that placed it.

    ``found_by`` is the mention pass that found it (``kgo:foundBy``),
    ``linked_by`` the coreference rule that put it on the document's entity
    (``kgo:linkedBy``; "" for the entity's first mention).

    Examples
    --------
    >>> MentionNote("she", "pronoun", "kg.mentions.pronouns.v1").linked_by
    ''
    """

    text: str
    kind: str
    found_by: str = ""
    linked_by: str = ""


@dataclass(frozen=True, slots=True)
class DocumentNote:
    """What one document says of an entity and why it is on the node.

    ``name`` is the document entity's name, ``rule``/``score`` the corpus
    rule that put it on the node (``kgo:linkRule``/``kgo:linkScore``; ""
    when the store keeps no entity link), ``partner`` the (document, name)
    of the entity it was matched with (``None``: it started the node, or its
    partner's document was removed). ``mentions`` are capped; ``more``
    counts those left out.

    Examples
    --------
    >>> DocumentNote("a.txt", "Acme", "kg.link.new.v1", 1.0).partner is None
    True
    """

    document: str
    name: str = ""
    rule: str = ""
    score: float | None = None
    partner: tuple[str, str] | None = None
    mentions: tuple[MentionNote, ...] = ()
    more: int = 0


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why an entity's mentions are one node: ``kg explain`` for the page.

    One :class:`DocumentNote` per document (capped; ``more_documents`` and
    ``more_mentions`` count the documents left out and their mentions).

    Examples
    --------
    >>> Explanation().documents
    ()
    """

    documents: tuple[DocumentNote, ...] = ()
    more_documents: int = 0
    more_mentions: int = 0


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
    #: its mentions per document and the corpus rule that joined each
    explanation: Explanation = Explanation()


@dataclass(frozen=True, slots=True)
class EdgeView:
    """A relation ``source --property--> target`` with its evidence.

    ``modality`` is the strongest of its sentences' (asserted, then reported,
    then hedged).

    Examples
    --------
    >>> EdgeView("urn:a", "urn:b", "urn:p", "met", None).modality
    'asserted'
    """

    source: str
    target: str
    property: str
    label: str
    confidence: float | None
    evidence: tuple[Evidence, ...] = ()
    modality: str = DEFAULT_MODALITY

    @builtins.property
    def loose(self) -> bool:
        """Whether this is a generic ``kgo:relatedTo`` edge (only the words)."""
        return self.property == LOOSE_PROPERTY


@dataclass(frozen=True, slots=True)
class GraphView:
    """The entities and relations to draw, and what was left out.

    ``documents`` names every document of the graph (its source path).

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
    documents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Options of the graph page.

    Parameters
    ----------
    heading
        The page title; ``None``: the corpus name (the folder its documents
        share, or the one document's name).
    max_nodes
        Keep only the ``max_nodes`` most connected entities (``None``: all).
    min_confidence
        Leave out relations whose best confidence is below this; the page's
        confidence slider starts here.
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

    heading: str | None = None
    max_nodes: int | None = None
    min_confidence: float = 0.0
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
    """What a render drew, what its first view shows, and what it left out.

    ``first_nodes``/``first_edges`` count what the page shows before the user
    touches a filter: stated facts (asserted, not ``relatedTo``) and the
    entities they link.

    Examples
    --------
    >>> print(RenderReport(3, 2, first_nodes=2, first_edges=1).summary())
    drew 3 entities and 2 relations; the first view shows 2 entities linked
    by 1 stated fact ...
    """

    nodes: int
    edges: int
    omitted_nodes: int = 0
    omitted_edges: int = 0
    omitted_names: tuple[str, ...] = ()
    filtered_edges: int = 0
    first_nodes: int = 0
    first_edges: int = 0
    title: str = ""
    path: Path | None = None

    def summary(self) -> str:
        """Return one line saying what was drawn and what was left out."""
        text = f"drew {self.nodes} entities and {self.edges} relations"
        if self.nodes:
            facts = "stated fact" if self.first_edges == 1 else "stated facts"
            text += (
                f"; the first view shows {self.first_nodes} entities linked by "
                f"{self.first_edges} {facts}"
            )
            if self.edges > self.first_edges or self.nodes > self.first_nodes:
                text += (
                    " (loose, hedged and reported relations and unlinked "
                    "entities are behind the page's filters)"
                )
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


def is_default_edge(edge: EdgeView) -> bool:
    """Tell whether the page draws ``edge`` before the user asks for more.

    The first view holds stated facts only: asserted, and typed by a
    property other than the generic ``kgo:relatedTo``.

    Examples
    --------
    >>> is_default_edge(EdgeView("a", "b", "urn:p", "p", 0.9))
    True
    >>> is_default_edge(EdgeView("a", "b", "urn:p", "p", 0.9, modality="reported"))
    False
    """
    return not edge.loose and edge.modality == DEFAULT_MODALITY


def degrees(view: GraphView) -> Counter[str]:
    """Count each entity's relations in ``view`` (both directions).

    Examples
    --------
    >>> v = GraphView((), (EdgeView("a", "b", "p", "p", None),))
    >>> degrees(v)["a"], degrees(v)["c"]
    (1, 0)
    """
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
    degree = degrees(view)
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
