"""Matching predicted mentions to gold mentions by character overlap.

A gold mention is *found* when some predicted mention overlaps it, and it is
assigned to the predicted mention that overlaps it best (highest overlap /
union, then the earliest). Predicted entities stand for the gold entity most
of their mentions match.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.types import Document, Entity, Value

__all__ = [
    "ClusterTally",
    "SpanIndex",
    "gold_of_entities",
    "mention_and_value_index",
    "mention_index",
    "tally_clusters",
]


class SpanIndex:
    """Find the stored spans that overlap a character span, fast.

    Examples
    --------
    >>> idx = SpanIndex([(0, 12, "ada"), (17, 32, "charles"), (23, 32, "babbage")])
    >>> idx.overlapping(20, 30)
    ['charles', 'babbage']
    >>> idx.best(23, 32), idx.best(40, 45)
    ('babbage', None)
    """

    def __init__(self, spans: Iterable[tuple[int, int, Any]]) -> None:
        self._spans = sorted(spans, key=lambda s: (s[0], s[1]))
        self._starts = [s[0] for s in self._spans]
        self._longest = max((e - s for s, e, _ in self._spans), default=0)

    def _candidates(self, start: int, end: int) -> Iterator[tuple[int, int, Any]]:
        hi = bisect.bisect_left(self._starts, end)
        lo = bisect.bisect_left(self._starts, start - self._longest)
        for s, e, payload in self._spans[lo:hi]:
            if s < end and e > start:
                yield s, e, payload

    def overlapping(self, start: int, end: int) -> list[Any]:
        """Return the payloads of the spans sharing text with ``[start, end)``."""
        return [p for _, _, p in self._candidates(start, end)]

    def best(self, start: int, end: int) -> Any:
        """Payload of the overlapping span with the highest overlap/union, or None."""
        best, best_score = None, 0.0
        for s, e, payload in self._candidates(start, end):
            inter = min(e, end) - max(s, start)
            union = max(e, end) - min(s, start)
            score = inter / union if union else 1.0
            if score > best_score:
                best, best_score = payload, score
        return best


def mention_index(document: Document) -> SpanIndex:
    """Index every mention of a Document by span; the payload is the entity index.

    Examples
    --------
    >>> from kg.types import Mention
    >>> e = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> mention_index(Document("d", "d", "0" * 64, (), (e,))).best(0, 2)
    0
    """
    return SpanIndex(
        (m.start_char, m.end_char, i)
        for i, e in enumerate(document.entities)
        for m in e.mentions
    )


def mention_and_value_index(document: Document) -> SpanIndex:
    """Index entity mentions (payload: entity index) and value mentions too.

    A value's payload is ``("value", key)``: the mentions of one date or
    number form one cluster, as Re-DocRED's TIME and NUM entities do.

    Examples
    --------
    >>> from kg.types import Mention
    >>> v = Value("1990^^gYear", "gYear", "1990", "date",
    ...           (Mention("1990", "DATE", 3, 7, 0, kind="value"),))
    >>> doc = Document("d", "d", "0" * 64, (), values=(v,))
    >>> mention_and_value_index(doc).best(3, 7)
    ('value', '1990^^gYear')
    """
    entities = (
        (m.start_char, m.end_char, i)
        for i, e in enumerate(document.entities)
        for m in e.mentions
    )
    values = (
        (m.start_char, m.end_char, ("value", v.key))
        for v in document.values
        for m in v.mentions
    )
    return SpanIndex([*entities, *values])


def gold_of_entities(
    document: Document,
    gold_mentions: Iterable[tuple[int, int, Hashable]],
    *,
    values: bool = False,
) -> dict[str, frozenset[Hashable]]:
    """Map each predicted entity key to the gold entity most of its mentions match.

    Each predicted mention votes for the gold entity of the gold mention it
    overlaps best; the entity with most votes wins (all of them on a tie), so
    one stray pronoun does not make a node stand for two gold entities. With
    ``values``, the document's values (dates, numbers) are matched too, by
    their keys.

    Examples
    --------
    >>> from kg.types import Mention
    >>> e = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> gold_of_entities(Document("d", "d", "0" * 64, (), (e,)), [(0, 3, "g1")])
    {'ada': frozenset({'g1'})}
    """
    index = SpanIndex(gold_mentions)
    votes: dict[str, Counter[Hashable]] = defaultdict(Counter)
    holders: list[Entity | Value] = [*document.entities]
    if values:
        holders += document.values
    for e in holders:
        for m in e.mentions:
            g = index.best(m.start_char, m.end_char)
            if g is not None:
                votes[e.key][g] += 1
    out: dict[str, frozenset[Hashable]] = {}
    for key, counter in votes.items():
        top = max(counter.values())
        out[key] = frozenset(g for g, n in counter.items() if n == top)
    return out


@dataclass
class ClusterTally:
    """Per-document pieces of the mention and cluster figures, summed over documents."""

    mentions: int = 0
    found: int = 0
    multi: int = 0
    whole: int = 0
    key: list[frozenset[Hashable]] = field(default_factory=list)
    response: list[frozenset[Hashable]] = field(default_factory=list)
    found_key: list[frozenset[Hashable]] = field(default_factory=list)
    found_response: list[frozenset[Hashable]] = field(default_factory=list)

    def add(self, other: ClusterTally) -> None:
        """Add another document's tally to this one."""
        self.mentions += other.mentions
        self.found += other.found
        self.multi += other.multi
        self.whole += other.whole
        self.key += other.key
        self.response += other.response
        self.found_key += other.found_key
        self.found_response += other.found_response


def tally_clusters(
    doc_id: str,
    document: Document,
    gold_entities: Sequence[Sequence[tuple[int, int]]],
    *,
    index: SpanIndex | None = None,
) -> ClusterTally:
    """Match gold mentions to predicted ones and build key/response clusters.

    Mentions are identified as ``(doc_id, start, end)``. ``key``/``response``
    cover every gold mention (one never found is a singleton of its own);
    ``found_key``/``found_response`` only the found ones. ``index`` is the
    predicted mentions (default: the entities' mentions, no values).

    Examples
    --------
    >>> from kg.types import Mention
    >>> e = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> t = tally_clusters("d", Document("d", "d", "0" * 64, (), (e,)),
    ...                    [[(0, 3), (10, 13)]])
    >>> t.mentions, t.found, t.whole
    (2, 1, 0)
    """
    if index is None:
        index = mention_index(document)
    tally = ClusterTally()
    response: dict[Hashable, set[Hashable]] = defaultdict(set)
    found_response: dict[Hashable, set[Hashable]] = defaultdict(set)
    seen: set[tuple[int, int]] = set()
    for mentions in gold_entities:
        ids, found_ids, nodes = [], [], set()
        all_found = True
        for start, end in mentions:
            if (start, end) in seen:
                continue  # a span annotated twice is scored once
            seen.add((start, end))
            mid = (doc_id, start, end)
            ids.append(mid)
            tally.mentions += 1
            node = index.best(start, end)
            if node is None:
                all_found = False
                response[("unfound", mid)].add(mid)
                continue
            tally.found += 1
            found_ids.append(mid)
            nodes.add(node)
            response[(doc_id, node)].add(mid)
            found_response[(doc_id, node)].add(mid)
        if ids:
            tally.key.append(frozenset(ids))
        if found_ids:
            tally.found_key.append(frozenset(found_ids))
        if len(ids) > 1:
            tally.multi += 1
            tally.whole += all_found and len(nodes) == 1
    tally.response = [frozenset(c) for c in response.values()]
    tally.found_response = [frozenset(c) for c in found_response.values()]
    return tally
