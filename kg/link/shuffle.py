"""The corpus step as map and reduce tasks, for a build on a Dask cluster.

A cluster build (:mod:`kg.cluster`) runs the expensive part of corpus
entity resolution where the documents are, not on the client:

1. **map** (in the task that extracts a chunk of documents, so documents
   are not shipped twice): each document's entity summaries
   (:func:`kg.link.summary.summarize_document`), split by the reduce
   partition of their block keys (:func:`map_summaries`; an entity goes to
   each partition one of its keys hashes to, with its place in the corpus);
2. **reduce** (one task per partition, :func:`score_partition`): every
   block of the partition holds all its members, in corpus order, so the
   candidate pairs are those the in-memory step finds
   (:func:`kg.link.cluster.candidate_pairs`, big blocks sampled, too common
   words skipped); each is judged (:func:`kg.link.rules.judge`) and the
   pairs with evidence come back: links between entity ids, no documents;
3. on the client, :func:`kg.link.link_into_store` clusters the entities
   over those pairs (:func:`kg.link.cluster.resolve` with ``pairs=``):
   pairs in blocks that share entities meet in one constrained clustering,
   so the result is the one a local build gives.

:func:`premap` runs the same map and reduce in this process.

Examples
--------
>>> from kg.types import Document, Entity, Mention
>>> def doc(name, text):
...     m = Mention(text, "ORG", 0, len(text), 0)
...     e = Entity(text.lower(), "Organization", text, (m,))
...     return Document(name, name, "0" * 64, (), (e,))
>>> found = premap([doc("a", "Acme Inc."), doc("b", "Acme Inc.")], parts=3)
>>> [(p.left, p.right, p.evidence.rule) for p in found.pairs]
[(('a', 'acme inc.'), ('b', 'acme inc.'), 'kg.link.name.v1')]
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.link.cluster import UID, Pair, candidate_pairs
from kg.link.rules import Evidence, judge
from kg.link.summary import DocumentSummary, EntitySummary, summarize_document
from kg.types import Document

__all__ = [
    "MapPart",
    "Premapped",
    "ScoredPair",
    "map_summaries",
    "partition_of",
    "premap",
    "score_partition",
]

#: An entity's place in the corpus: (chunk number, position in the chunk).
Seq = tuple[int, int]
#: The entities a map task sends to one reduce partition, with their places.
MapPart = tuple[tuple[Seq, EntitySummary], ...]


def partition_of(key: str, parts: int) -> int:
    """Return the reduce partition of a block key (the same in every process).

    Examples
    --------
    >>> partition_of("n:acme", 4) == partition_of("n:acme", 4) < 4
    True
    """
    return zlib.crc32(key.encode("utf-8")) % parts


def map_summaries(
    summaries: Iterable[DocumentSummary], *, chunk: int, parts: int
) -> tuple[MapPart, ...]:
    """Split a chunk's entity summaries by the partitions of their block keys.

    Parameters
    ----------
    summaries
        The chunk's documents' summaries, in input order.
    chunk
        The chunk's number in the input order (places entities in the corpus).
    parts
        How many reduce partitions.

    Returns
    -------
    tuple of MapPart
        One per partition: the entities with a key there, with their places.

    Examples
    --------
    >>> s = EntitySummary("a", "x", "Place", "X", ("x",), keys=("n:x", "w:x"))
    >>> [len(p) for p in map_summaries([(s,)], chunk=0, parts=1)]
    [1]
    """
    out: list[list[tuple[Seq, EntitySummary]]] = [[] for _ in range(parts)]
    position = 0
    for document in summaries:
        for s in document:
            for part in sorted({partition_of(k, parts) for k in s.keys}):
                out[part].append(((chunk, position), s))
            position += 1
    return tuple(tuple(p) for p in out)


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two entities (document id, local key) a reduce task judged, earlier first.

    Examples
    --------
    >>> ScoredPair(("a", "x"), ("b", "x"), Evidence("kg.link.name.v1", 0.65)).right
    ('b', 'x')
    """

    left: UID
    right: UID
    evidence: Evidence


def score_partition(
    part: int, parts: int, pieces: Iterable[MapPart]
) -> list[ScoredPair]:
    """Reduce one partition: its blocks' candidate pairs, judged.

    ``pieces`` are every map task's entities for this partition; the
    blocks are those whose keys hash here.

    Examples
    --------
    >>> s = [EntitySummary(d, "x", "Place", "Arden", ("arden",), keys=("n:arden",))
    ...      for d in ("a", "b")]
    >>> parts = map_summaries([(s[0],), (s[1],)], chunk=0, parts=2)
    >>> [len(score_partition(p, 2, [parts[p]])) for p in range(2)]
    [0, 1]
    """
    members = sorted((x for piece in pieces for x in piece), key=lambda x: x[0])
    summaries = [s for _seq, s in members]
    out = []
    for i, j in candidate_pairs(
        summaries, only=lambda key: partition_of(key, parts) == part
    ):
        evidence = judge(summaries[i], summaries[j])
        if evidence is not None:
            out.append(ScoredPair(summaries[i].uid, summaries[j].uid, evidence))
    return out


@dataclass(frozen=True, slots=True)
class Premapped:
    """What the map and reduce tasks give the corpus step of one write.

    ``summaries`` are each document's entity summaries by document id, in
    input order; ``pairs`` the judged candidate pairs among them.

    Examples
    --------
    >>> Premapped({}, ()).indexed([])
    []
    """

    summaries: Mapping[str, DocumentSummary]
    pairs: tuple[ScoredPair, ...]

    def indexed(self, summaries: Sequence[EntitySummary]) -> list[Pair] | None:
        """Return the pairs by index into ``summaries`` (the step's entities).

        None when an entity of a pair is not there or the order differs
        from the tasks' (the pairs would not be the ones found here).
        """
        index = {s.uid: i for i, s in enumerate(summaries)}
        found: dict[tuple[int, int], Pair] = {}
        for p in self.pairs:
            i, j = index.get(p.left), index.get(p.right)
            if i is None or j is None or i >= j:
                return None
            found.setdefault((i, j), Pair(i, j, p.evidence))
        return list(found.values())


def premap(documents: Sequence[Document], *, parts: int = 4) -> Premapped:
    """Run the map and reduce tasks here, over documents in input order.

    Examples
    --------
    >>> premap([]).pairs
    ()
    """
    summaries = {d.doc_id: summarize_document(d) for d in documents}
    pieces = map_summaries(summaries.values(), chunk=0, parts=parts)
    pairs = [
        p for part in range(parts) for p in score_partition(part, parts, [pieces[part]])
    ]
    return Premapped(summaries, tuple(pairs))
