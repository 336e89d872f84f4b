"""Shared scoring: precision/recall/F1 and the coreference cluster metrics.

B³ (Bagga & Baldwin 1998), MUC (Vilain et al. 1995), entity CEAF with φ4
(Luo 2005), their CoNLL-2012 average, and the pairwise scores of mention
pairs across (or within) documents used for cross-document coreference.
All work over clusters of any hashable mention ids; a mention missing from
the other side is handled as in the CoNLL reference scorer (v8).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "PRF",
    "ClusterScores",
    "PairScores",
    "b_cubed",
    "ceaf_e",
    "fmt",
    "muc",
    "pair_scores",
    "prf_rows",
    "ratio",
]

_H = TypeVar("_H", bound=Hashable)
Clusters = Sequence[frozenset[_H]] | Iterable[Iterable[_H]]


def ratio(num: float, den: float) -> float:
    """Return ``num / den``, or 0 when ``den`` is 0.

    Examples
    --------
    >>> ratio(1, 4), ratio(3, 0)
    (0.25, 0.0)
    """
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def fmt(x: float) -> str:
    """Format a fraction with three decimals, as every table of ``kg eval``.

    Examples
    --------
    >>> fmt(2 / 3)
    '0.667'
    """
    return f"{x:.3f}"


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and their harmonic mean, as fractions.

    Examples
    --------
    >>> PRF.of(3, 4, 3, 6)
    PRF(precision=0.75, recall=0.5, f1=0.6)
    """

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(
        cls, correct_pred: float, n_pred: float, correct_gold: float, n_gold: float
    ) -> PRF:
        """Build from counts: right predictions of all, found gold of all."""
        p, r = ratio(correct_pred, n_pred), ratio(correct_gold, n_gold)
        return cls(p, r, _f1(p, r))

    @classmethod
    def from_pr(cls, precision: float, recall: float) -> PRF:
        """Build from precision and recall."""
        return cls(precision, recall, _f1(precision, recall))

    def to_dict(self) -> dict[str, float]:
        """Return ``{"precision", "recall", "f1"}``."""
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


def prf_rows(name: str, prf: PRF) -> list[tuple[str, str]]:
    """Table rows ``(name precision, …)``, ``(name recall, …)``, ``(name F1, …)``.

    Examples
    --------
    >>> prf_rows("B³", PRF(1.0, 0.5, 2 / 3))[2]
    ('B³ F1', '0.667')
    """
    return [
        (f"{name} precision", fmt(prf.precision)),
        (f"{name} recall", fmt(prf.recall)),
        (f"{name} F1", fmt(prf.f1)),
    ]


@dataclass(frozen=True, slots=True)
class ClusterScores:
    """Coreference cluster metrics and their CoNLL average (F1 of the three).

    Examples
    --------
    >>> s = ClusterScores.of([{1, 2}], [{1, 2}])
    >>> s.b3.f1, s.muc.f1, s.ceaf_e.f1, s.conll_f1
    (1.0, 1.0, 1.0, 1.0)
    """

    b3: PRF
    muc: PRF
    ceaf_e: PRF

    @property
    def conll_f1(self) -> float:
        """Mean F1 of MUC, B³ and CEAF-e (the CoNLL-2012 score)."""
        return (self.b3.f1 + self.muc.f1 + self.ceaf_e.f1) / 3

    @classmethod
    def of(
        cls, key: Iterable[Iterable[_H]], response: Iterable[Iterable[_H]]
    ) -> ClusterScores:
        """Score ``response`` clusters against ``key`` clusters."""
        k = [frozenset(c) for c in key]
        r = [frozenset(c) for c in response]
        return cls(b3=b_cubed(k, r), muc=muc(k, r), ceaf_e=ceaf_e(k, r))

    def rows(self, prefix: str = "") -> list[tuple[str, str]]:
        """Table rows for the three metrics and the CoNLL F1."""
        out = prf_rows(f"{prefix}B³", self.b3)
        out += [
            (f"{prefix}MUC F1", fmt(self.muc.f1)),
            (f"{prefix}CEAF-e F1", fmt(self.ceaf_e.f1)),
        ]
        out.append((f"{prefix}CoNLL F1", fmt(self.conll_f1)))
        return out

    def to_dict(self) -> dict[str, Any]:
        """Nested dict of the metrics."""
        return {
            "b3": self.b3.to_dict(),
            "muc": self.muc.to_dict(),
            "ceaf_e": self.ceaf_e.to_dict(),
            "conll_f1": self.conll_f1,
        }


def b_cubed(key: Clusters[_H], response: Clusters[_H]) -> PRF:
    """B³ (Bagga & Baldwin 1998), mention-weighted, as in the CoNLL scorer.

    Recall averages over key mentions ``|K ∩ R| / |K|``; precision averages over
    response mentions ``|K ∩ R| / |R|``. A mention missing from the other side
    contributes zero.

    Examples
    --------
    The Bagga & Baldwin example: key {1..5} {6,7} {8..12}; a response that
    merges the last two key entities keeps recall 1 and has precision 16/21.

    >>> key = [set(range(1, 6)), {6, 7}, set(range(8, 13))]
    >>> s = b_cubed(key, [set(range(1, 6)), set(range(6, 13))])
    >>> round(s.precision, 4), s.recall
    (0.7619, 1.0)
    """
    k = [frozenset(c) for c in key]
    r = [frozenset(c) for c in response]
    where_r = {m: i for i, c in enumerate(r) for m in c}
    where_k = {m: i for i, c in enumerate(k) for m in c}
    rec_num = sum(
        n * n / len(c)
        for c in k
        for n in Counter(where_r[m] for m in c if m in where_r).values()
    )
    prec_num = sum(
        n * n / len(c)
        for c in r
        for n in Counter(where_k[m] for m in c if m in where_k).values()
    )
    return PRF.from_pr(
        ratio(prec_num, sum(len(c) for c in r)),
        ratio(rec_num, sum(len(c) for c in k)),
    )


def muc(key: Clusters[_H], response: Clusters[_H]) -> PRF:
    """Score clusters with the link-based MUC metric (Vilain et al. 1995).

    Recall is ``Σ(|K| − |p(K)|) / Σ(|K| − 1)`` with ``p(K)`` the parts the
    response cuts key entity ``K`` into (a mention absent from the response is
    a part of its own); precision swaps key and response.

    Examples
    --------
    >>> key = [set(range(1, 6)), {6, 7}, set(range(8, 13))]
    >>> s = muc(key, [set(range(1, 6)), set(range(6, 13))])
    >>> s.precision, s.recall
    (0.9, 1.0)
    """
    k = [frozenset(c) for c in key]
    r = [frozenset(c) for c in response]

    def links(gold: list[frozenset[_H]], other: list[frozenset[_H]]) -> tuple[int, int]:
        where = {m: i for i, c in enumerate(other) for m in c}
        num = den = 0
        for c in gold:
            if not c:
                continue
            parts = {where.get(m, ("alone", m)) for m in c}
            num += len(c) - len(parts)
            den += len(c) - 1
        return num, den

    rn, rd = links(k, r)
    pn, pd = links(r, k)
    return PRF.from_pr(ratio(pn, pd), ratio(rn, rd))


def _max_assignment(weights: list[list[float]]) -> float:
    """Return the largest total weight of a one-to-one row/column assignment.

    The Hungarian method (shortest augmenting paths, O(n² m)) on costs
    ``-weight``; ``weights`` is a rows × columns matrix of non-negative values.
    """
    if not weights or not weights[0]:
        return 0.0
    transpose = len(weights) > len(weights[0])
    a = [list(col) for col in zip(*weights, strict=True)] if transpose else weights
    n, m = len(a), len(a[0])
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    match, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -a[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return sum(a[match[j] - 1][j - 1] for j in range(1, m + 1) if match[j])


def ceaf_e(key: Clusters[_H], response: Clusters[_H]) -> PRF:
    """Entity-based CEAF (Luo 2005) with similarity φ4 = 2|K ∩ R| / (|K| + |R|).

    Examples
    --------
    Luo's example (a): key {1..5} {6,7} {8..12}, response {1..5} {6..12}.

    >>> key = [set(range(1, 6)), {6, 7}, set(range(8, 13))]
    >>> s = ceaf_e(key, [set(range(1, 6)), set(range(6, 13))])
    >>> round(s.precision, 4), round(s.recall, 4), round(s.f1, 4)
    (0.9167, 0.6111, 0.7333)
    """
    k = [frozenset(c) for c in key if c]
    r = [frozenset(c) for c in response if c]
    where_r = {m: i for i, c in enumerate(r) for m in c}
    # only entities that share a mention can score; match within linked groups
    weights: dict[tuple[int, int], float] = {}
    for i, c in enumerate(k):
        for j, n in Counter(where_r[m] for m in c if m in where_r).items():
            weights[(i, j)] = 2 * n / (len(c) + len(r[j]))
    total = 0.0
    for rows, cols in _components(weights):
        if len(rows) == 1 or len(cols) == 1:
            total += max(weights.get((i, j), 0.0) for i in rows for j in cols)
            continue
        matrix = [[weights.get((i, j), 0.0) for j in cols] for i in rows]
        total += _max_assignment(matrix)
    return PRF.from_pr(ratio(total, len(r)), ratio(total, len(k)))


def _components(
    weights: dict[tuple[int, int], float],
) -> Iterator[tuple[list[int], list[int]]]:
    """Split a sparse bipartite weight matrix into connected rows and columns."""
    row_cols: dict[int, list[int]] = defaultdict(list)
    col_rows: dict[int, list[int]] = defaultdict(list)
    for i, j in weights:
        row_cols[i].append(j)
        col_rows[j].append(i)
    seen_rows: set[int] = set()
    for start in sorted(row_cols):
        if start in seen_rows:
            continue
        rows, cols, stack = [], set(), [start]
        seen_rows.add(start)
        while stack:
            i = stack.pop()
            rows.append(i)
            for j in row_cols[i]:
                if j in cols:
                    continue
                cols.add(j)
                for i2 in col_rows[j]:
                    if i2 not in seen_rows:
                        seen_rows.add(i2)
                        stack.append(i2)
        yield sorted(rows), sorted(cols)


@dataclass(frozen=True, slots=True)
class PairScores:
    """Pairwise coreference: mention pairs in one cluster, key against response.

    ``common`` pairs are in one cluster on both sides; ``key``/``response``
    count each side's pairs.
    """

    prf: PRF
    common: int
    key: int
    response: int

    def to_dict(self) -> dict[str, Any]:
        """P/R/F1 and the three counts."""
        return {
            **self.prf.to_dict(),
            "common": self.common,
            "key": self.key,
            "response": self.response,
        }


def _pairs(
    clusters: Iterable[Iterable[_H]], doc_of: Callable[[_H], Hashable], cross: bool
) -> int:
    n = 0
    for c in clusters:
        members = list(c)
        per_doc = Counter(doc_of(m) for m in members)
        same = sum(v * (v - 1) // 2 for v in per_doc.values())
        n += (len(members) * (len(members) - 1) // 2 - same) if cross else same
    return n


def pair_scores(
    key: Clusters[_H],
    response: Clusters[_H],
    doc_of: Callable[[_H], Hashable],
    *,
    cross: bool = True,
) -> PairScores:
    """Score the mention pairs across documents (or, ``cross=False``, within).

    A pair counts when its two mentions are in one cluster and in different
    documents (``doc_of``); precision is the share of the response's pairs
    that are key pairs, recall the share of key pairs the response has.

    Examples
    --------
    >>> key = [{("a", 1), ("a", 2), ("b", 1)}, {("b", 2)}]
    >>> resp = [{("a", 1), ("b", 1)}, {("a", 2)}, {("b", 2), ("c", 9)}]
    >>> s = pair_scores(key, resp, lambda m: m[0])
    >>> (s.common, s.key, s.response), s.prf.precision
    ((1, 2, 2), 0.5)
    """
    k = [frozenset(c) for c in key if c]
    r = [frozenset(c) for c in response if c]
    where_r = {m: i for i, c in enumerate(r) for m in c}
    common = 0
    for c in k:
        groups: dict[int, list[_H]] = defaultdict(list)
        for m in c:
            if m in where_r:
                groups[where_r[m]].append(m)
        common += _pairs(groups.values(), doc_of, cross)
    nk, nr = _pairs(k, doc_of, cross), _pairs(r, doc_of, cross)
    return PairScores(PRF.of(common, nr, common, nk), common, nk, nr)
