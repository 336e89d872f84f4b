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
   pairs with evidence come back: links between entities' places in the
   corpus (two integers, a rule id and a score), no documents;
3. a build writes its documents in batches (:func:`kg.store.write_batches`):
   the reduce runs once per batch, over the map's parts of the chunks that
   batch's documents came from, keeping the batch's places (``within``);
4. on the client, :func:`kg.link.link_into_store` clusters the entities
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
>>> set(found.pairs)  # (place, place, rule, score), from each partition it is in
{(0, 1, 'kg.link.name.v1', 0.75)}
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.link.cluster import Pair, candidate_pairs
from kg.link.rules import Evidence, judge
from kg.link.summary import DocumentSummary, EntitySummary, summarize_document
from kg.types import Document

__all__ = [
    "POSITION_BITS",
    "MapPart",
    "Premapped",
    "ScoredPair",
    "map_summaries",
    "partition_of",
    "premap",
    "score_partition",
]

#: An entity's place in the corpus: its chunk's number shifted by this many
#: bits, plus its position in the chunk (entities of the chunk's documents in
#: input order).
POSITION_BITS = 24
_POSITION = (1 << POSITION_BITS) - 1
#: The entities a map task sends to one reduce partition, with their places.
MapPart = tuple[tuple[int, EntitySummary], ...]
#: A judged candidate pair: the places of its entities (earlier first), the
#: rule and the score of the evidence.
ScoredPair = tuple[int, int, str, float]


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
    out: list[list[tuple[int, EntitySummary]]] = [[] for _ in range(parts)]
    position = 0
    for document in summaries:
        for s in document:
            place = (chunk << POSITION_BITS) | position
            for part in sorted({partition_of(k, parts) for k in s.keys}):
                out[part].append((place, s))
            position += 1
    if position > _POSITION:
        raise ValueError(f"a chunk of {position} entities is too many to place")
    return tuple(tuple(p) for p in out)


def score_partition(
    part: int,
    parts: int,
    pieces: Iterable[MapPart],
    within: tuple[int, int] | None = None,
) -> list[ScoredPair]:
    """Reduce one partition: its blocks' candidate pairs, judged.

    ``pieces`` are every map task's entities for this partition; the
    blocks are those whose keys hash here. ``within`` keeps the entities
    whose places are in ``[start, end)`` (one batch of a build, whose first
    and last chunks may hold documents of other batches). Returns the pairs
    with evidence.

    Examples
    --------
    >>> s = [EntitySummary(d, "x", "Place", "Arden", ("arden",), keys=("n:arden",))
    ...      for d in ("a", "b")]
    >>> parts = map_summaries([(s[0],), (s[1],)], chunk=0, parts=2)
    >>> [score_partition(p, 2, [parts[p]]) for p in range(2)]
    [[(0, 1, 'kg.link.name.v1', 0.65)], []]
    """
    members = sorted((x for piece in pieces for x in piece), key=lambda x: x[0])
    if within is not None:
        start, end = within
        members = [x for x in members if start <= x[0] < end]
    summaries = [s for _place, s in members]
    out = []
    for i, j in candidate_pairs(
        summaries, only=lambda key: partition_of(key, parts) == part
    ):
        evidence = judge(summaries[i], summaries[j])
        if evidence is not None:
            out.append((members[i][0], members[j][0], evidence.rule, evidence.score))
    return out


@dataclass(frozen=True, slots=True)
class Premapped:
    """What the map and reduce tasks give the corpus step of one write.

    ``summaries`` are each document's entity summaries by document id, in
    input order; ``pairs`` the judged candidate pairs among them;
    ``offsets`` each chunk's first entity's index in the summaries in
    order (chunk number -> index).

    Examples
    --------
    >>> Premapped({}, (), {}).indexed([])
    []
    """

    summaries: Mapping[str, DocumentSummary]
    pairs: tuple[ScoredPair, ...]
    offsets: Mapping[int, int]

    def indexed(self, summaries: Sequence[EntitySummary]) -> list[Pair] | None:
        """Return the pairs by index into ``summaries`` (the step's entities).

        ``summaries`` must be :attr:`summaries` in order; None when a pair
        does not fit them (the pairs would not be the ones found here).
        """
        n = len(summaries)
        found: dict[tuple[int, int], Pair] = {}
        for left, right, rule, score in self.pairs:
            i = self.offsets.get(left >> POSITION_BITS, n) + (left & _POSITION)
            j = self.offsets.get(right >> POSITION_BITS, n) + (right & _POSITION)
            if not i < j < n:
                return None
            if (i, j) not in found:
                found[(i, j)] = Pair(i, j, Evidence(rule, score))
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
    return Premapped(summaries, tuple(pairs), {0: 0})
