"""The corpus step in the store's write path: resolve new documents against stored ones.

:func:`link_into_store` is what :func:`kg.store.write_documents` calls with
the documents of a build (their old versions already removed) and the
staged store:

1. **map**: each new document's entity summaries and block keys
   (:func:`kg.link.summary.summarize_document`, a pure function of the
   document);
2. the stored entities of the same blocks: every entity link sharing one
   of the new block keys (a bound-key query on ``kgo:blockKey``), and the
   other members of the corpus entities they are on, with their stored
   summaries (``kgo:linkSummary``); nothing else of the store is read;
3. **reduce**: :func:`kg.link.cluster.resolve` over those, stored entities
   starting in their corpus entities, with the curation file's decisions;
4. the stored corpus entities a new document bridges are merged in place
   (:func:`kg.link.rewrite.rename_entity`); the new documents come back
   with corpus keys, and the quads of their entity links.

Each entity link (``kg:link/DOC#KEY``, a ``kgo:EntityLink``) records the
document (``kgo:inDocument``), the local key, the corpus entity
(``kgo:linksTo``), the rule, score and partner of the decision
(``kgo:linkRule``, ``kgo:linkScore``, ``kgo:linkedWith``), its block keys
and its summary: what the next document's reduce reads.

Examples
--------
>>> from kg.types import Document, Entity, Mention
>>> def doc(name, text):
...     m = Mention(text, "ORG", 0, len(text), 0)
...     e = Entity(text.lower(), "Organization", text, (m,))
...     return Document(name, name, "0" * 64, (), (e,))
>>> out = link_documents([doc("a", "Acme Inc."), doc("b", "Acme Inc.")])
>>> [d.entities[0].key for d in out]
['acme inc.', 'acme inc.']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pyoxigraph as ox

from kg.link.cluster import MAX_BLOCK, THRESHOLD, Decision, class_weight, resolve
from kg.link.curation import Curation
from kg.link.index import StoredLink, links_with_key, members_of
from kg.link.rewrite import (
    entity_class,
    entity_key,
    entity_node,
    link_node,
    rename_entity,
)
from kg.link.rules import judge
from kg.link.shuffle import Premapped
from kg.link.summary import EntitySummary, summarize_document
from kg.ontology import KGO_URI
from kg.rdf import NS, mint_iri
from kg.types import Document, Entity

__all__ = [
    "LinkResult",
    "StoredLink",
    "link_documents",
    "link_into_store",
    "link_quads",
    "score_text",
    "links_with_key",
    "members_of",
]

_DEFAULT = ox.DefaultGraph()
_K = {
    name: ox.NamedNode(f"{KGO_URI}{name}")
    for name in (
        "EntityLink",
        "inDocument",
        "localKey",
        "linksTo",
        "linkRule",
        "linkScore",
        "linkedWith",
        "blockKey",
        "linkSummary",
    )
}
_TYPE = ox.NamedNode(str(NS["rdf"]["type"]))
_DECIMAL = ox.NamedNode(str(NS["xsd"]["decimal"]))


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What the corpus step gives the write: documents, stored entities, link quads.

    ``documents`` carry corpus keys; ``existing`` are the stored corpus
    entities they joined (key and class), ``quads`` their entity links,
    ``merged`` the stored corpus entities merged into others (old key, new
    key), ``decisions`` every decision taken; ``blocks``, ``links_read`` and
    ``entities_read`` count the block keys looked up, the stored entity
    links read and the stored corpus entities they are on (all the step
    read of the store).
    """

    documents: tuple[Document, ...]
    existing: tuple[Entity, ...]
    quads: tuple[ox.Quad, ...]
    merged: tuple[tuple[str, str], ...] = ()
    decisions: tuple[Decision, ...] = ()
    blocks: int = 0
    links_read: int = 0
    entities_read: int = 0


def score_text(score: float) -> str:
    """Return the lexical form of a ``kgo:linkScore`` (as the store keeps it).

    Examples
    --------
    >>> score_text(1.0), score_text(0.65), score_text(0.123456)
    ('1', '0.65', '0.1235')
    """
    return f"{round(score, 4):.4f}".rstrip("0").rstrip(".") or "0"


def link_quads(summary: EntitySummary, decision: Decision) -> list[ox.Quad]:
    """Return the quads of one document's entity link.

    Examples
    --------
    >>> s = EntitySummary("a.txt", "acme", "Organization", "Acme", ("acme",),
    ...                   keys=("n:acme",))
    >>> d = Decision(s.uid, "acme", "kg.link.new.v1", 1.0, None)
    >>> len(link_quads(s, d))
    8
    """
    node = link_node(summary.doc_id, summary.key)
    doc = ox.NamedNode(str(mint_iri("doc", summary.doc_id)))
    score = ox.Literal(score_text(decision.score), datatype=_DECIMAL)
    quads = [
        ox.Quad(node, _TYPE, _K["EntityLink"], _DEFAULT),
        ox.Quad(node, _K["inDocument"], doc, _DEFAULT),
        ox.Quad(node, _K["localKey"], ox.Literal(summary.key), _DEFAULT),
        ox.Quad(node, _K["linksTo"], entity_node(decision.target), _DEFAULT),
        ox.Quad(node, _K["linkRule"], ox.Literal(decision.rule), _DEFAULT),
        ox.Quad(node, _K["linkScore"], score, _DEFAULT),
        ox.Quad(node, _K["linkSummary"], ox.Literal(summary.to_json()), _DEFAULT),
    ]
    if decision.partner is not None:
        partner = link_node(*decision.partner)
        quads.append(ox.Quad(node, _K["linkedWith"], partner, _DEFAULT))
    quads += [
        ox.Quad(node, _K["blockKey"], ox.Literal(k), _DEFAULT) for k in summary.keys
    ]
    return quads


def _stored_neighbours(
    store: ox.Store,
    new: Sequence[EntitySummary],
    curation: Curation,
) -> tuple[dict[tuple[str, str], StoredLink], int, int]:
    """Return the stored entities the new ones may join, with all their members.

    The entity links of the new entities' blocks are read (a ``w:`` block of
    more than :data:`MAX_BLOCK` is too common a word and skipped) and judged
    against the new entities; only the corpus entities of a link scoring at
    least :data:`THRESHOLD` (or named by a ``same-as``/``alias`` decision)
    have their members read. Also returns how many links and corpus
    entities were read.
    """
    new_docs = {s.doc_id for s in new}
    by_key: dict[str, list[EntitySummary]] = defaultdict(list)
    for s in new:
        for key in s.keys:
            by_key[key].append(s)
    for key in curation.block_keys():
        by_key.setdefault(key, [])
    read = 0
    entities: set[str] = set()
    for key in sorted(by_key):
        common = key.startswith("w:")
        found = links_with_key(store, key, capped=common)
        read += len(found)
        if common and len(found) > MAX_BLOCK:
            continue
        for link in found:
            if link.entity.value in entities or link.summary.doc_id in new_docs:
                continue
            named = not by_key[key] and any(
                r.matches(link.summary) for rule in curation.rules for r in rule.refs
            )
            if named or any(
                (e := judge(s, link.summary)) is not None and e.score >= THRESHOLD
                for s in by_key[key]
            ):
                entities.add(link.entity.value)
    stored: dict[tuple[str, str], StoredLink] = {}
    for entity in sorted(entities):
        for link in members_of(store, ox.NamedNode(entity)):
            if link.summary.doc_id not in new_docs:
                stored[link.summary.uid] = link
    return stored, read + len(stored), len(entities)


def _corpus_class(
    decisions: Sequence[Decision], summaries: Sequence[EntitySummary]
) -> dict[str, str]:
    """Return each corpus entity's class: the best-evidenced of its members'."""
    votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for d, s in zip(decisions, summaries, strict=True):
        # evidenced classes first (see class_weight); a bare label breaks ties
        weight = 0 if s.label == "Thing" else 1 + 100 * class_weight(s)
        votes[d.target][s.label] += weight
    return {
        target: max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
        for target, counts in votes.items()
    }


def _rewrite(
    document: Document, mapping: Mapping[str, str], classes: Mapping[str, str]
) -> Document:
    """Give a document's entities their corpus keys (and classes), and its triples."""
    if not mapping:
        return document
    entities = tuple(
        replace(e, key=mapping[e.key], label=classes.get(mapping[e.key], e.label))
        if e.key in mapping
        else e
        for e in document.entities
    )
    triples = tuple(
        replace(
            t,
            subject=mapping.get(t.subject, t.subject),
            object=mapping.get(t.object, t.object),
        )
        for t in document.triples
    )
    return replace(document, entities=entities, triples=triples)


def _has_links(store: ox.Store) -> bool:
    """Tell whether the store holds any entity link (else nothing to read)."""
    found = store.quads_for_pattern(None, _TYPE, _K["EntityLink"], _DEFAULT)
    return next(iter(found), None) is not None


def _new_summaries(
    documents: Sequence[Document], curation: Curation, premapped: Premapped | None
) -> list[EntitySummary]:
    """Return the new documents' entity summaries (mapped ahead or here), curated."""
    new: list[EntitySummary] = []
    for document in documents:
        found = premapped.summaries.get(document.doc_id) if premapped else None
        for s in summarize_document(document) if found is None else found:
            s = curation.with_aliases(s)
            new.append(replace(s, keys=()) if curation.ignored(s) else s)
    return new


def link_into_store(
    store: ox.Store,
    documents: Sequence[Document],
    *,
    curation: Curation | None = None,
    premapped: Premapped | None = None,
) -> LinkResult:
    """Resolve new documents' entities against the store's; merge what they bridge.

    ``store`` is writable (the staged copy of a write) and no longer holds
    the new documents' earlier versions. Stored corpus entities that a new
    document shows to be one are merged in it.

    ``premapped`` is what the map and reduce tasks of a cluster build found
    (:mod:`kg.link.shuffle`): the documents' summaries, and their judged
    candidate pairs, used when they are all the step compares (no stored
    entity shares their blocks, no curation rule, the same documents in the
    same order); else the pairs are found here. Same result either way.

    Returns
    -------
    LinkResult
        The documents with corpus keys, the stored entities they joined,
        the quads of their entity links.

    Examples
    --------
    >>> from kg.types import Document, Entity, Mention
    >>> e = Entity("acme", "Organization", "Acme", (Mention("Acme", "ORG", 0, 4, 0),))
    >>> result = link_into_store(ox.Store(), [Document("a", "a", "0" * 64, (), (e,))])
    >>> [(d.uid, d.target, d.rule) for d in result.decisions]
    [(('a', 'acme'), 'acme', 'kg.link.new.v1')]
    """
    curation = curation or Curation()
    if curation.rules:
        from kg.link.curate import apply_curation

        apply_curation(store, curation)  # hand edits since the last write
    new = _new_summaries(documents, curation, premapped)
    stored: dict[tuple[str, str], StoredLink] = {}
    links_read = touched = 0
    if _has_links(store):
        stored, links_read, touched = _stored_neighbours(store, new, curation)
    pairs = None
    if (
        premapped is not None
        and not stored
        and not curation.rules
        and [d.doc_id for d in documents] == list(premapped.summaries)
    ):
        pairs = premapped.indexed(new)
    fixed: dict[tuple[str, str], str] = {}
    key_of: dict[str, str] = {}
    for uid, link in stored.items():
        if link.entity.value not in key_of:
            key_of[link.entity.value] = entity_key(store, link.entity)
        fixed[uid] = key_of[link.entity.value]
    summaries = [*new, *(link.summary for link in stored.values())]
    same = curation.same_pairs(summaries)

    def taken(key: str) -> bool:
        node = entity_node(key)
        return node.value not in key_of and any(
            True for _ in store.quads_for_pattern(node, None, None, _DEFAULT)
        )

    decisions = resolve(
        summaries,
        fixed=fixed,
        same=same,
        apart=curation.apart,
        taken=taken,
        iri_of=lambda key: entity_node(key).value,
        pairs=pairs,
    )
    merged: list[tuple[str, str]] = []
    done: set[str] = set()
    for decision in decisions[len(new) :]:
        link = stored[decision.uid]
        old = fixed[decision.uid]
        if decision.target != old and link.entity.value not in done:
            rename_entity(store, link.entity, decision.target)
            done.add(link.entity.value)
            merged.append((old, decision.target))
    classes = _corpus_class(decisions, summaries)
    existing = {}
    for decision in decisions[len(new) :]:
        node = entity_node(decision.target)
        cls = entity_class(store, node)
        if cls:
            classes[decision.target] = cls
            existing[decision.target] = Entity(
                decision.target, cls, decision.target, ()
            )
    by_doc: dict[str, dict[str, str]] = defaultdict(dict)
    quads: list[ox.Quad] = []
    for s, decision in zip(new, decisions[: len(new)], strict=True):
        by_doc[s.doc_id][s.key] = decision.target
        quads += link_quads(s, decision)
    out = tuple(_rewrite(d, by_doc.get(d.doc_id, {}), classes) for d in documents)
    return LinkResult(
        out,
        tuple(existing.values()),
        tuple(quads),
        tuple(merged),
        tuple(decisions),
        blocks=len({k for s in new for k in s.keys} | set(curation.block_keys())),
        links_read=links_read,
        entities_read=touched,
    )


def link_documents(
    documents: Sequence[Document], *, curation: Curation | None = None
) -> tuple[Document, ...]:
    """Resolve the entities of documents across them, in memory.

    Entities one document keeps apart stay apart; each document's entities
    get their corpus keys (as a build into an empty store gives them).

    Examples
    --------
    >>> link_documents([])
    ()
    """
    return link_into_store(ox.Store(), documents, curation=curation).documents
