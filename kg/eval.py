"""Evaluation: score kg's extraction against public benchmarks and annotated news.

``kg eval TASK GOLD`` runs the real pipeline (:func:`kg.nlp.load_pipeline`,
``nlp.pipe``, :func:`kg.build.extract_document`) over a gold file and scores
what comes out. One section per task:

``gap``
    GAP pronoun resolution. Writes the official system TSV; the scorer is a
    port of the official ``gap_scorer.py`` (same counts, same scorecard).
``carb``
    CaRB open information extraction over :func:`kg.relations.extract_clauses`.
    Writes the official tabbed file; the scorer is a port of ``carb.py`` with
    its default matcher (``binary_linient_tuple_match``): same PR curve, AUC
    and optimal-F1 point.
``redocred``
    Re-DocRED end to end: gold-mention recall, entity clustering (B³, MUC)
    and relation facts between gold entities, type-blind and typed through
    the ontology's alignment to Wikidata property ids.
``coref``
    Full coreference on GUM (``gum-dev.json`` or any CorefUD CoNLL-U file or
    folder) over the mentions of *named* entities: B³, MUC, CEAF-e, CoNLL F1,
    mentions found, share of named entities wholly in one node.
``news``
    Hand-annotated news articles in kg's own gold format (see
    ``seeds/gold/README.md``): entity clustering and fact P/R/F1.

Every scorer is a pure function over plain data and returns a frozen
dataclass; the ``evaluate_*`` functions read the gold file, run the pipeline
(reporting progress through an optional ``progress(done, total)`` callback)
and call the scorer. Figures are fractions in [0, 1] (GAP's scorecard prints
percentages, as the official scorer does).

Matching predicted to gold mentions is by character overlap: a gold mention
is *found* when some predicted mention overlaps it, and it is assigned to the
predicted mention that overlaps it best (highest overlap / union, then the
earliest).
"""

from __future__ import annotations

import bisect
import csv
import functools
import hashlib
import json
import math
import re
import string
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from spacy.tokens import Doc

from kg.errors import ConfigError
from kg.types import Document, Entity, Mention, Value

__all__ = [
    "PRF",
    "TASKS",
    "CarbExtraction",
    "CarbScores",
    "ClusterScores",
    "CorefDocument",
    "CorefScores",
    "EvalResult",
    "FactScores",
    "GapExample",
    "GapScores",
    "NewsGold",
    "NewsScores",
    "RedocredScores",
    "b_cubed",
    "ceaf_e",
    "evaluate",
    "kg_system",
    "muc",
    "naive_system",
    "read_carb_gold",
    "read_carb_tabbed",
    "read_conllu_coref",
    "read_coref_gold",
    "read_gap",
    "read_gap_system",
    "read_news_gold",
    "score_carb",
    "score_coref",
    "score_gap",
    "score_news",
    "score_redocred",
]

Task = Literal["gap", "carb", "redocred", "coref", "news"]
TASKS: tuple[Task, ...] = ("gap", "carb", "redocred", "coref", "news")
#: ``progress(done, total)``, called after each item of a run.
ProgressFn = Callable[[int, int], None]
#: A system turns one parsed document into kg's extraction of it.
SystemFn = Callable[[Doc, str], Document]
_H = TypeVar("_H", bound=Hashable)
_T = TypeVar("_T")


# =============================================================================
# Common: P/R/F1, results, gold-file helpers
# =============================================================================


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


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
        p, r = _ratio(correct_pred, n_pred), _ratio(correct_gold, n_gold)
        return cls(p, r, _f1(p, r))

    @classmethod
    def from_pr(cls, precision: float, recall: float) -> PRF:
        """Build from precision and recall."""
        return cls(precision, recall, _f1(precision, recall))

    def to_dict(self) -> dict[str, float]:
        """Return ``{"precision", "recall", "f1"}``."""
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


class EvalResult(Protocol):
    """What every task's score object offers the CLI and the benchmark script."""

    @property
    def task(self) -> str:
        """The task name: gap, carb, redocred, coref or news."""
        ...

    def rows(self) -> list[tuple[str, str]]:
        """Rows ``(metric, value)`` for a printed table."""
        ...

    def to_dict(self) -> dict[str, Any]:
        """Figures for ``--json``: ``task``, ``precision``, ``recall``, ``f1``, more."""
        ...


@dataclass(frozen=True, slots=True)
class RunInfo:
    """How a run was made: gold file, model, items scored, seconds."""

    gold: str
    model: str
    items: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a dict."""
        return {
            "gold": self.gold,
            "model": self.model,
            "items": self.items,
            "seconds": round(self.seconds, 2),
        }


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def _prf_rows(name: str, prf: PRF) -> list[tuple[str, str]]:
    return [
        (f"{name} precision", _fmt(prf.precision)),
        (f"{name} recall", _fmt(prf.recall)),
        (f"{name} F1", _fmt(prf.f1)),
    ]


def _check_file(path: Path, what: str) -> None:
    if not path.exists():
        raise ConfigError(f"{what} {str(path)!r} does not exist")
    if not path.is_file():
        raise ConfigError(f"{what} {str(path)!r} is not a file")


def _load_json(path: Path, what: str) -> Any:
    _check_file(path, what)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} {str(path)!r} is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{what} {str(path)!r} is not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from exc


def _limit(items: Sequence[_T], limit: int | None) -> Sequence[_T]:
    if limit is not None and limit < 1:
        raise ConfigError(f"--limit must be a positive number, got {limit}")
    return items if limit is None else items[:limit]


# =============================================================================
# Cluster metrics: B³, MUC, CEAF-e (over any hashable mentions)
# =============================================================================


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
        out = _prf_rows(f"{prefix}B³", self.b3)
        out += [
            (f"{prefix}MUC F1", _fmt(self.muc.f1)),
            (f"{prefix}CEAF-e F1", _fmt(self.ceaf_e.f1)),
        ]
        out.append((f"{prefix}CoNLL F1", _fmt(self.conll_f1)))
        return out

    def to_dict(self) -> dict[str, Any]:
        """Nested dict of the metrics."""
        return {
            "b3": self.b3.to_dict(),
            "muc": self.muc.to_dict(),
            "ceaf_e": self.ceaf_e.to_dict(),
            "conll_f1": self.conll_f1,
        }


def b_cubed(
    key: Sequence[frozenset[_H]] | Iterable[Iterable[_H]],
    response: Sequence[frozenset[_H]] | Iterable[Iterable[_H]],
) -> PRF:
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
        _ratio(prec_num, sum(len(c) for c in r)),
        _ratio(rec_num, sum(len(c) for c in k)),
    )


def muc(
    key: Sequence[frozenset[_H]] | Iterable[Iterable[_H]],
    response: Sequence[frozenset[_H]] | Iterable[Iterable[_H]],
) -> PRF:
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
            parts = {where.get(m, ("alone", m)) for m in c}
            num += len(c) - len(parts)
            den += len(c) - 1
        return num, den

    rn, rd = links(k, r)
    pn, pd = links(r, k)
    return PRF.from_pr(_ratio(pn, pd), _ratio(rn, rd))


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


def ceaf_e(
    key: Sequence[frozenset[_H]] | Iterable[Iterable[_H]],
    response: Sequence[frozenset[_H]] | Iterable[Iterable[_H]],
) -> PRF:
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
    weights = [[0.0] * len(r) for _ in k]
    for i, c in enumerate(k):
        for j, n in Counter(where_r[m] for m in c if m in where_r).items():
            weights[i][j] = 2 * n / (len(c) + len(r[j]))
    total = 0.0
    for rows, cols in _components(weights):
        total += _max_assignment([[weights[i][j] for j in cols] for i in rows])
    return PRF.from_pr(_ratio(total, len(r)), _ratio(total, len(k)))


def _components(weights: list[list[float]]) -> Iterator[tuple[list[int], list[int]]]:
    """Split a bipartite weight matrix into connected groups of rows and columns."""
    n = len(weights)
    m = len(weights[0]) if weights else 0
    col_rows: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        for j in range(m):
            if weights[i][j] > 0:
                col_rows[j].append(i)
    seen_rows: set[int] = set()
    for start in range(n):
        if start in seen_rows:
            continue
        rows, cols, stack = [], set(), [start]
        seen_rows.add(start)
        while stack:
            i = stack.pop()
            rows.append(i)
            for j in range(m):
                if weights[i][j] > 0 and j not in cols:
                    cols.add(j)
                    for i2 in col_rows[j]:
                        if i2 not in seen_rows:
                            seen_rows.add(i2)
                            stack.append(i2)
        if cols:
            yield sorted(rows), sorted(cols)


# =============================================================================
# Mention matching by character overlap
# =============================================================================


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


def _mention_index(document: Document) -> SpanIndex:
    """Index every mention of a Document by span; the payload is the entity index."""
    return SpanIndex(
        (m.start_char, m.end_char, i)
        for i, e in enumerate(document.entities)
        for m in e.mentions
    )


def _mention_and_value_index(document: Document) -> SpanIndex:
    """Index entity mentions (payload: entity index) and value mentions too.

    A value's payload is ``("value", key)``: the mentions of one date or
    number form one cluster, as Re-DocRED's TIME and NUM entities do.
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


# =============================================================================
# Running the pipeline
# =============================================================================


def kg_system(doc: Doc, doc_id: str, *, extractor: str | None = None) -> Document:
    """Kg's own extraction of a parsed document (the system under test).

    ``extractor`` names a registered relation extractor (default: kg's).
    """
    from kg.build import extract_document
    from kg.relations import DEFAULT_EXTRACTOR

    return extract_document(
        doc, doc_id=doc_id, extractor=extractor or DEFAULT_EXTRACTOR
    )


def naive_system(doc: Doc, doc_id: str) -> Document:
    """Extract the naive floor of ``shared/eval/README.md``: NER spans, one node each.

    Every spaCy entity span is a mention; spans with the same lower-cased text
    form one entity. No pronouns, no relations.

    Examples
    --------
    >>> d = naive_system(nlp("Ada met Bob. ADA left."), "x")
    >>> sorted(len(e.mentions) for e in d.entities)
    [1, 2]
    """
    groups: dict[str, list[Mention]] = defaultdict(list)
    for i, sent in enumerate(doc.sents):
        for ent in sent.ents:
            groups[ent.text.lower()].append(
                Mention(ent.text, ent.label_, ent.start_char, ent.end_char, i)
            )
    entities = tuple(
        Entity(key=key, label=ms[0].label, name=ms[0].text, mentions=tuple(ms))
        for key, ms in groups.items()
    )
    return Document(
        doc_id, doc_id, hashlib.sha256(doc.text.encode()).hexdigest(), (), entities
    )


SYSTEMS: Mapping[str, SystemFn] = {"kg": kg_system, "naive": naive_system}


def _get_system(name: str) -> SystemFn:
    """Return the system ``name``: ``kg``, ``naive``, or kg with that extractor."""
    if name in SYSTEMS:
        return SYSTEMS[name]
    from kg.relations import extractors

    if name in extractors.get_all():
        return functools.partial(kg_system, extractor=name)
    raise ConfigError(
        f"unknown system {name!r}; choose one of {sorted(SYSTEMS)} "
        f"or a relation extractor ({', '.join(sorted(extractors.get_all()))})"
    )


def _run(
    inputs: Sequence[str | Doc],
    ids: Sequence[str],
    *,
    model: str | None,
    system: SystemFn,
    progress: ProgressFn | None,
    batch_size: int = 32,
) -> Iterator[tuple[Doc, Document]]:
    """Parse texts (or pre-tokenised Docs) in a stream and run ``system`` on each."""
    from kg.nlp import load_pipeline

    nlp = load_pipeline(model)
    total = len(inputs)
    if progress is not None:
        progress(0, total)
    for i, doc in enumerate(nlp.pipe(inputs, batch_size=batch_size)):
        yield doc, system(doc, ids[i])
        if progress is not None:
            progress(i + 1, total)


def _model_name(model: str | None) -> str:
    from kg.nlp import resolve_model_name

    return resolve_model_name(model)


def _document_json(document: Document) -> dict[str, Any]:
    """Return a compact JSON view of one extraction, for ``--system-out``."""
    return {
        "doc_id": document.doc_id,
        "entities": [
            {
                "key": e.key,
                "label": e.label,
                "name": e.name,
                "mentions": [
                    [m.start_char, m.end_char, m.text, m.kind] for m in e.mentions
                ],
            }
            for e in document.entities
        ],
        "triples": [
            [t.subject, t.predicate, t.object, t.confidence, t.provenance.sent_index]
            for t in document.triples
        ],
        "values": [
            {
                "key": v.key,
                "datatype": v.datatype,
                "lexical": v.lexical,
                "mentions": [[m.start_char, m.end_char, m.text] for m in v.mentions],
            }
            for v in document.values
        ],
    }


def _write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


# =============================================================================
# GAP: pronoun → name A / name B
# =============================================================================

_GAP_GOLD_FIELDS = [
    "ID",
    "Text",
    "Pronoun",
    "Pronoun-offset",
    "A",
    "A-offset",
    "A-coref",
    "B",
    "B-offset",
    "B-coref",
    "URL",
]
_GAP_SYSTEM_FIELDS = ["ID", "A-coref", "B-coref"]
#: The official scorer's pronoun → gender map (reflexives are not in GAP).
GAP_GENDERS: Mapping[str, str] = {
    "she": "feminine",
    "her": "feminine",
    "hers": "feminine",
    "he": "masculine",
    "his": "masculine",
    "him": "masculine",
}


@dataclass(frozen=True, slots=True)
class GapExample:
    """One GAP row: a text, a pronoun and two candidate names with gold labels."""

    id: str
    text: str
    pronoun: str
    pronoun_offset: int
    a: str
    a_offset: int
    a_coref: bool | None
    b: str
    b_offset: int
    b_coref: bool | None

    @property
    def gender(self) -> str:
        """``masculine`` or ``feminine``, from the pronoun."""
        return GAP_GENDERS[self.pronoun.lower()]


def _gap_bool(value: str | None) -> bool | None:
    """Parse a label as the official ``is_true``: TRUE/FALSE any case, else None."""
    if value is None:
        return None
    low = value.lower()
    return True if low == "true" else False if low == "false" else None


def read_gap(path: Path) -> list[GapExample]:
    """Read a GAP gold TSV (header line first), as the official scorer does.

    Raises
    ------
    ConfigError
        The file is missing, lacks the GAP header, or a row is malformed.
    """
    _check_file(path, "GAP gold file")
    examples: list[GapExample] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as f:
        header = f.readline().rstrip("\r\n").split("\t")
        if header[: len(_GAP_GOLD_FIELDS) - 1] != _GAP_GOLD_FIELDS[:-1]:
            raise ConfigError(
                f"{str(path)!r} is not a GAP TSV: expected a tab-separated header "
                f"{', '.join(_GAP_GOLD_FIELDS)}"
            )
        reader = csv.DictReader(f, fieldnames=_GAP_GOLD_FIELDS, delimiter="\t")
        for n, row in enumerate(reader, start=2):
            if row["ID"] in seen:
                continue  # the official scorer keeps the first annotation
            try:
                ex = GapExample(
                    id=row["ID"],
                    text=row["Text"],
                    pronoun=row["Pronoun"],
                    pronoun_offset=int(row["Pronoun-offset"]),
                    a=row["A"],
                    a_offset=int(row["A-offset"]),
                    a_coref=_gap_bool(row["A-coref"]),
                    b=row["B"],
                    b_offset=int(row["B-offset"]),
                    b_coref=_gap_bool(row["B-coref"]),
                )
                ex.gender  # noqa: B018 - validates the pronoun
            except (TypeError, ValueError, KeyError, AttributeError):
                raise ConfigError(
                    f"{str(path)}:{n}: malformed GAP row (bad offset, missing column "
                    "or a pronoun outside he/him/his/she/her/hers)"
                ) from None
            seen.add(ex.id)
            examples.append(ex)
    if not examples:
        raise ConfigError(f"{str(path)!r} holds no GAP examples")
    return examples


def read_gap_system(path: Path) -> dict[str, tuple[bool | None, bool | None]]:
    """Read a system TSV (``ID TAB A-coref TAB B-coref``); first line per ID wins."""
    _check_file(path, "GAP system file")
    out: dict[str, tuple[bool | None, bool | None]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, fieldnames=_GAP_SYSTEM_FIELDS, delimiter="\t"):
            if row["ID"] not in out:
                out[row["ID"]] = (_gap_bool(row["A-coref"]), _gap_bool(row["B-coref"]))
    return out


def write_gap_system(path: Path, predictions: Mapping[str, tuple[bool, bool]]) -> None:
    """Write the official system TSV: ``ID TAB TRUE|FALSE TAB TRUE|FALSE``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for ex_id, (a, b) in predictions.items():
            out.write(f"{ex_id}\t{str(a).upper()}\t{str(b).upper()}\n")


@dataclass(frozen=True, slots=True)
class GapCounts:
    """True/false positives/negatives over the (pronoun, name) pairs."""

    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    @property
    def prf(self) -> PRF:
        """Precision, recall, F1 as fractions."""
        return PRF.of(self.tp, self.tp + self.fp, self.tp, self.tp + self.fn)


@dataclass(frozen=True, slots=True)
class GapScores:
    """GAP scores overall and per gender, as the official scorer counts them.

    Examples
    --------
    >>> ex = GapExample("d-1", "t", "she", 0, "A", 0, True, "B", 0, False)
    >>> s = score_gap([ex], {"d-1": (True, True)})
    >>> s.overall, round(s.overall.prf.f1, 3)
    (GapCounts(tp=1, fp=1, tn=0, fn=0), 0.667)
    """

    overall: GapCounts
    masculine: GapCounts
    feminine: GapCounts
    examples: int
    run: RunInfo | None = None
    task: str = "gap"

    @property
    def bias(self) -> float | None:
        """F1(feminine) / F1(masculine), None when either is zero."""
        m, f = self.masculine.prf.f1, self.feminine.prf.f1
        return f / m if m and f else None

    def scorecard(self) -> str:
        """Return the official scorer's printed scorecard, character for character."""
        lines = []
        for name, c in (
            ("Overall", self.overall),
            ("Masculine", self.masculine),
            ("Feminine", self.feminine),
        ):
            prf = c.prf
            lines.append(
                f"{name} recall: {100 * prf.recall:.1f} "
                f"precision: {100 * prf.precision:.1f} "
                f"f1: {100 * prf.f1:.1f}"
            )
            lines.append(f"\t\ttp {c.tp:d}\tfp {c.fp:d}")
            lines.append(f"\t\tfn {c.fn:d}\ttn {c.tn:d}")
        bias = "-" if self.bias is None else f"{self.bias:.2f}"
        lines.append(f"Bias (F/M): {bias}\n")
        return "\n".join(lines)

    def rows(self) -> list[tuple[str, str]]:
        """Table rows, in percent as the official scorecard."""
        out = [("examples", str(self.examples))]
        for name, c in (
            ("overall", self.overall),
            ("masculine", self.masculine),
            ("feminine", self.feminine),
        ):
            prf = c.prf
            out.append(
                (
                    f"{name} P / R / F1 (%)",
                    f"{100 * prf.precision:.1f} / {100 * prf.recall:.1f} / "
                    f"{100 * prf.f1:.1f}",
                )
            )
        # three decimals: a target such as 0.95 is not met by 0.9466
        out.append(("bias F/M", "-" if self.bias is None else f"{self.bias:.3f}"))
        return out

    def to_dict(self) -> dict[str, Any]:
        """Figures as fractions; counts per gender."""
        d: dict[str, Any] = {"task": self.task, **self.overall.prf.to_dict()}
        for name, c in (
            ("overall", self.overall),
            ("masculine", self.masculine),
            ("feminine", self.feminine),
        ):
            d[name] = {
                **c.prf.to_dict(),
                "tp": c.tp,
                "fp": c.fp,
                "tn": c.tn,
                "fn": c.fn,
            }
        d["bias"] = self.bias
        d["examples"] = self.examples
        if self.run is not None:
            d["run"] = self.run.to_dict()
        return d


def score_gap(
    gold: Sequence[GapExample],
    system: Mapping[str, tuple[bool | None, bool | None]],
    *,
    run: RunInfo | None = None,
) -> GapScores:
    """Score system answers against GAP gold, exactly as ``gap_scorer.py``.

    A gold example with no system answer counts a false negative for both
    names (the official "Missing output").
    """
    counts: dict[str, list[int]] = {
        k: [0, 0, 0, 0] for k in ("overall", "masculine", "feminine")
    }
    for ex in gold:
        sys_a, sys_b = system.get(ex.id, (None, None))
        for bucket in ("overall", ex.gender):
            c = counts[bucket]
            for g, s in ((ex.a_coref, sys_a), (ex.b_coref, sys_b)):
                if s is None or (g and not s):
                    c[3] += 1
                elif g and s:
                    c[0] += 1
                elif not g and s:
                    c[1] += 1
                else:
                    c[2] += 1
    made = {k: GapCounts(*v) for k, v in counts.items()}
    return GapScores(
        made["overall"], made["masculine"], made["feminine"], len(gold), run
    )


def predict_gap(
    examples: Sequence[GapExample],
    *,
    model: str | None = None,
    system: SystemFn = kg_system,
    progress: ProgressFn | None = None,
) -> dict[str, tuple[bool, bool]]:
    """Run the pipeline on each text: is the pronoun in the entity of A, of B.

    The pronoun and each name are mapped to the entity of the predicted
    mention that overlaps them best; an answer is TRUE when the pronoun's
    entity is the name's entity.
    """
    out: dict[str, tuple[bool, bool]] = {}
    stream = _run(
        [e.text for e in examples],
        [e.id for e in examples],
        model=model,
        system=system,
        progress=progress,
    )
    for ex, (_doc, document) in zip(examples, stream, strict=True):
        index = _mention_index(document)
        pron = index.best(ex.pronoun_offset, ex.pronoun_offset + len(ex.pronoun))
        a = index.best(ex.a_offset, ex.a_offset + len(ex.a))
        b = index.best(ex.b_offset, ex.b_offset + len(ex.b))
        out[ex.id] = (pron is not None and pron == a, pron is not None and pron == b)
    return out


def evaluate_gap(
    gold_path: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system: str = "kg",
    system_out: Path | None = None,
    progress: ProgressFn | None = None,
) -> GapScores:
    """Run and score GAP; write the official system TSV to ``system_out``."""
    started = time.perf_counter()
    examples = list(_limit(read_gap(gold_path), limit))
    predictions = predict_gap(
        examples, model=model, system=_get_system(system), progress=progress
    )
    if system_out is not None:
        write_gap_system(system_out, predictions)
    run = RunInfo(
        str(gold_path), _model_name(model), len(examples), time.perf_counter() - started
    )
    return score_gap(examples, predictions, run=run)


# =============================================================================
# CaRB: open information extraction, sentence → tuples
# =============================================================================


@dataclass(frozen=True, slots=True)
class CarbExtraction:
    """One tuple of a CaRB file: sentence, relation, arguments, confidence."""

    sentence: str
    relation: str
    arguments: tuple[str, ...]
    confidence: float = 1.0


def read_carb_gold(path: Path) -> dict[str, list[CarbExtraction]]:
    """Read CaRB gold tuples (``SENTENCE TAB RELATION TAB ARG1 ...``) as ``GoldReader``.

    Arguments holding ``"C: "`` (context) are dropped, as the official reader does.
    """
    _check_file(path, "CaRB gold file")
    gold: dict[str, list[CarbExtraction]] = defaultdict(list)
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            data = line.strip().split("\t")
            if len(data) < 2:
                raise ConfigError(
                    f"{str(path)}:{n}: not a CaRB gold line "
                    "(SENTENCE<TAB>RELATION<TAB>ARGS...)"
                )
            text, rel = data[:2]
            args = tuple(a.strip() for a in data[2:] if "C: " not in a)
            gold[text.strip()].append(CarbExtraction(text.strip(), rel.strip(), args))
    if not gold:
        raise ConfigError(f"{str(path)!r} holds no CaRB gold tuples")
    return dict(gold)


def read_carb_tabbed(path: Path) -> dict[str, list[CarbExtraction]]:
    """Read a tabbed system file (``SENTENCE TAB CONF TAB REL TAB ARGS``)."""
    _check_file(path, "CaRB system file")
    out: dict[str, list[CarbExtraction]] = {}
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            data = line.strip().split("\t")
            try:
                text, conf, rel = data[:3]
                confidence = float(conf)
            except ValueError:
                raise ConfigError(
                    f"{str(path)}:{n}: not a tabbed extraction "
                    "(SENTENCE<TAB>CONF<TAB>REL<TAB>ARGS)"
                ) from None
            out.setdefault(text, []).append(
                CarbExtraction(text, rel, tuple(data[3:]), confidence)
            )
    return out


def write_carb_tabbed(path: Path, extractions: Iterable[CarbExtraction]) -> None:
    """Write the official tabbed system file, one extraction per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for ex in extractions:
            fields = [
                ex.sentence,
                _carb_conf(ex.confidence),
                ex.relation,
                *ex.arguments,
            ]
            out.write("\t".join(fields) + "\n")


def _carb_conf(confidence: float) -> str:
    return f"{confidence:.4f}"


_PTB_ESCAPES = [
    ("(", "-LRB-"),
    (")", "-RRB-"),
    ("[", "-LSB-"),
    ("]", "-RSB-"),
    ("{", "-LCB-"),
    ("}", "-RCB-"),
]
_PUNCT_RE = re.compile(f"[{re.escape(string.punctuation)}]")
_BE_FORMS = ("be", "is", "am", "are", "was", "were", "been", "being")
_SAID_RELATIONS = ("said", "told", "added", "adds", "says", "adds")


def _carb_key(sentence: str) -> str:
    """``Benchmark.normalizeKey``: no spaces, PTB brackets unescaped, no punctuation."""
    s = sentence.replace(" ", "")
    for plain, escaped in _PTB_ESCAPES:
        s = s.replace(escaped, plain)
    return _PUNCT_RE.sub("", s)


def _lenient_match(
    ref_rel: str, ref_args: Sequence[str], ex_rel: str, ex_args: Sequence[str]
) -> tuple[float, float]:
    """Port ``Matcher.linient_tuple_match``: token-overlap precision and recall."""
    prec_num = prec_den = rec_num = rec_den = 0
    predicted = ex_rel.split()
    gold_words = ref_rel.split()
    prec_den += len(predicted)
    rec_den += len(gold_words)
    matching = 0
    for w in gold_words:
        if w in predicted:
            matching += 1
            predicted.remove(w)
    if "be" in predicted:
        for form in _BE_FORMS:
            if form in gold_words:
                matching += 1
                predicted.remove("be")
                break
    if matching == 0:
        return (0, 0)
    prec_num += matching
    rec_num += matching
    for i, ref_arg in enumerate(ref_args):
        gold_words = ref_arg.split()
        rec_den += len(gold_words)
        if len(ex_args) <= i:
            if i < 2:
                return (0, 0)
            continue
        predicted = ex_args[i].split()
        prec_den += len(predicted)
        matching = 0
        for w in gold_words:
            if w in predicted:
                matching += 1
                predicted.remove(w)
        prec_num += matching
        rec_num += matching
    return (prec_num / prec_den if prec_den else 0, rec_num / rec_den if rec_den else 0)


def carb_match(ref: CarbExtraction, ex: CarbExtraction) -> tuple[float, float]:
    """CaRB's default matcher (``binary_linient_tuple_match``): (precision, recall).

    Arguments after the first are joined into one; for "said"-type gold
    relations the predicted arguments may also match in reverse order.

    Examples
    --------
    >>> g = CarbExtraction("s", "wrote to", ("Ada", "Charles Babbage"))
    >>> carb_match(g, CarbExtraction("s", "wrote to", ("Ada", "Babbage")))
    (1.0, 0.8)
    """
    r_args = (
        [ref.arguments[0], " ".join(ref.arguments[1:])]
        if len(ref.arguments) >= 2
        else list(ref.arguments)
    )
    e_args = (
        [ex.arguments[0], " ".join(ex.arguments[1:])]
        if len(ex.arguments) >= 2
        else list(ex.arguments)
    )
    straight = _lenient_match(ref.relation, r_args, ex.relation, e_args)
    if not any(v in ref.relation for v in _SAID_RELATIONS):
        return straight
    if len(ex.arguments) >= 2:
        e_args = [" ".join(ex.arguments[1:]), ex.arguments[0]]
    reverse = _lenient_match(ref.relation, r_args, ex.relation, e_args)
    return max(straight, reverse)


@dataclass(frozen=True, slots=True)
class CarbScores:
    """CaRB figures: AUC of the PR curve and its optimal-F1 point.

    ``curve`` holds ``(precision, recall, confidence)`` per distinct
    confidence, as the official ``--out`` file (sorted by recall).
    """

    auc: float
    optimal: PRF
    curve: tuple[tuple[float, float, float], ...]
    sentences: int
    extractions: int
    dropped: int = 0
    run: RunInfo | None = None
    task: str = "carb"

    def rows(self) -> list[tuple[str, str]]:
        """Table rows."""
        return [
            ("sentences", str(self.sentences)),
            ("extractions", str(self.extractions)),
            ("AUC", _fmt(self.auc)),
            *_prf_rows("optimal", self.optimal),
        ]

    def to_dict(self) -> dict[str, Any]:
        """Figures; ``precision``/``recall``/``f1`` are the optimal-F1 point."""
        d: dict[str, Any] = {
            "task": self.task,
            **self.optimal.to_dict(),
            "auc": self.auc,
            "sentences": self.sentences,
            "extractions": self.extractions,
            "dropped_under_two_args": self.dropped,
        }
        if self.run is not None:
            d["run"] = self.run.to_dict()
        return d


def _auc(x: Sequence[float], y: Sequence[float]) -> float:
    """``sklearn.metrics.auc``: trapezoidal area under a monotonic curve."""
    dx = [b - a for a, b in zip(x, x[1:], strict=False)]
    direction = 1.0
    if any(d < 0 for d in dx):
        if all(d <= 0 for d in dx):
            direction = -1.0
        else:
            raise ValueError("x is neither increasing nor decreasing")
    return direction * sum(d * (y[i + 1] + y[i]) / 2.0 for i, d in enumerate(dx))


def score_carb(
    gold: Mapping[str, Sequence[CarbExtraction]],
    predicted: Mapping[str, Sequence[CarbExtraction]],
    *,
    dropped: int = 0,
    run: RunInfo | None = None,
) -> CarbScores:
    """Score extractions against CaRB gold exactly as ``Benchmark.compare`` of carb.py.

    Sentences are matched on a normalised key (no spaces or punctuation);
    predictions for sentences without gold are ignored; every distinct
    confidence is a threshold of the PR curve.
    """
    pred = {_carb_key(k): v for k, v in predicted.items()}
    gold_n = {_carb_key(k): v for k, v in gold.items()}
    thresholds = sorted({ex.confidence for exs in pred.values() for ex in exs})
    position = {c: i for i, c in enumerate(thresholds)}
    n = len(thresholds)
    p, pl, r, rl = [0.0] * n, [0] * n, [0.0] * n, [0] * n
    for sent, golds in gold_n.items():
        exs = list(pred.get(sent, []))
        scores = [[carb_match(g, e) for e in exs] for g in golds]
        prev = 0
        for conf in sorted(e.confidence for e in exs):
            c = position[conf]
            chosen = [j for j, e in enumerate(exs) if e.confidence >= conf]
            rec_num = sum(max((row[j][1] for j in chosen), default=0) for row in scores)
            prec_num = 0.0
            rows_taken: list[int] = []
            cols_taken: list[int] = []
            for _ in range(min(len(scores), len(chosen))):
                best_row, best_col, best_p = -1, -1, -1.0
                for i in range(len(scores)):
                    if i in rows_taken:
                        continue
                    for j in chosen:
                        if j in cols_taken:
                            continue
                        if scores[i][j][0] > best_p:
                            best_p, best_row, best_col = scores[i][j][0], i, j
                rows_taken.append(best_row)
                cols_taken.append(best_col)
                prec_num += scores[best_row][best_col][0]
            for k in range(prev, c + 1):
                p[k] += prec_num
                pl[k] += len(chosen)
                r[k] += rec_num
                rl[k] += len(scores)
            prev = c + 1
        for k in range(prev, n):
            rl[k] += len(scores)
    precs = [a / b if b > 0 else 1.0 for a, b in zip(p, pl, strict=True)]
    recs = [a / b if b > 0 else 0.0 for a, b in zip(r, rl, strict=True)]
    f1s = [
        2 * a * b / (a + b) if a + b else math.nan
        for a, b in zip(precs, recs, strict=True)
    ]
    finite = [(f, -i) for i, f in enumerate(f1s) if not math.isnan(f)]
    if finite:
        best = -max(finite)[1]
        optimal = PRF(precs[best], recs[best], f1s[best])
    else:
        optimal = PRF(0.0, 0.0, 0.0)
    area = _auc([*recs, 0.0], [*precs, 1.0]) if n else 0.0
    curve = tuple(sorted(zip(precs, recs, thresholds, strict=True), key=lambda t: t[1]))
    return CarbScores(
        auc=area,
        optimal=optimal,
        curve=curve,
        sentences=len(gold_n),
        extractions=sum(len(v) for v in pred.values()),
        dropped=dropped,
        run=run,
    )


def read_carb_sentences(path: Path) -> list[str]:
    """Read one sentence per line (PTB-tokenised, kept exactly)."""
    _check_file(path, "CaRB sentence file")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{str(path)!r} is not UTF-8 text") from exc
    sentences = [line for line in lines if line.strip()]
    if not sentences:
        raise ConfigError(f"{str(path)!r} holds no sentences")
    return sentences


def _carb_paths(gold: Path) -> tuple[Path, Path | None]:
    """Find the gold TSV and sentences: a CaRB folder (``data/``) or a gold TSV."""
    if gold.is_dir():
        tsv, txt = gold / "data" / "gold" / "dev.tsv", gold / "data" / "dev.txt"
        if not tsv.is_file():
            raise ConfigError(
                f"{str(gold)!r} is not a CaRB folder: no data/gold/dev.tsv"
            )
        return tsv, txt if txt.is_file() else None
    _check_file(gold, "CaRB gold file")
    sibling = gold.parent.parent / f"{gold.stem}.txt"
    return gold, sibling if sibling.is_file() else None


def extract_carb(
    sentences: Sequence[str],
    *,
    model: str | None = None,
    progress: ProgressFn | None = None,
) -> tuple[list[CarbExtraction], int]:
    """Run :func:`kg.relations.extract_clauses` on each PTB-tokenised sentence.

    Each sentence is parsed as given (one token per space-separated word), so
    arguments are exact token spans of it. Clauses with fewer than two
    arguments cannot be CaRB tuples: they are dropped and counted.
    """
    from spacy.tokens import Doc

    from kg.nlp import load_pipeline

    try:
        from kg.relations import extract_clauses
    except ImportError as exc:
        raise ConfigError(
            "this kg has no clause extractor (kg.relations.extract_clauses); "
            "kg eval carb needs it"
        ) from exc
    nlp = load_pipeline(model)
    docs = [Doc(nlp.vocab, words=s.split()) for s in sentences]
    out: list[CarbExtraction] = []
    dropped = 0
    for sentence, (doc, _document) in zip(
        sentences,
        _run(
            docs,
            [str(i) for i in range(len(docs))],
            model=model,
            system=lambda d, i: Document(i, i, "0" * 64, ()),
            progress=progress,
        ),
        strict=True,
    ):
        for clause in extract_clauses(doc):
            args = tuple(" ".join(a.split()) for a in clause.arguments)
            rel = " ".join(clause.relation.split())
            if len(args) < 2 or not rel or not all(args):
                dropped += 1
                continue
            conf = float(_carb_conf(clause.confidence))
            out.append(CarbExtraction(sentence, rel, args, conf))
    return out, dropped


def evaluate_carb(
    gold: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system_out: Path | None = None,
    progress: ProgressFn | None = None,
) -> CarbScores:
    """Run kg's clause extractor on the CaRB sentences and score it."""
    started = time.perf_counter()
    tsv, txt = _carb_paths(gold)
    gold_tuples = read_carb_gold(tsv)
    sentences = read_carb_sentences(txt) if txt is not None else list(gold_tuples)
    sentences = list(_limit(sentences, limit))
    if limit is not None:
        keys = {_carb_key(s) for s in sentences}
        gold_tuples = {k: v for k, v in gold_tuples.items() if _carb_key(k) in keys}
    extractions, dropped = extract_carb(sentences, model=model, progress=progress)
    if system_out is not None:
        write_carb_tabbed(system_out, extractions)
    predicted: dict[str, list[CarbExtraction]] = {}
    for ex in extractions:
        predicted.setdefault(ex.sentence, []).append(ex)
    run = RunInfo(
        str(gold), _model_name(model), len(sentences), time.perf_counter() - started
    )
    return score_carb(gold_tuples, predicted, dropped=dropped, run=run)


# =============================================================================
# Facts: predicted triples against gold facts between gold entities
# =============================================================================


@dataclass(frozen=True, slots=True)
class FactScores:
    """Relation facts, type-blind (any relation between the ordered pair) and typed.

    ``typed`` precision counts only predictions whose property maps to the
    gold vocabulary (``typed_predicted`` of them); ``typed_in_scope`` is recall
    over the gold facts whose relation kg's ontology can express.
    ``unmatched`` predictions had an argument that matches no gold entity
    (they count as wrong).
    """

    untyped: PRF
    typed: PRF
    typed_in_scope: PRF
    gold: int
    gold_pairs: int
    predicted: int
    typed_predicted: int
    unmatched: int

    def rows(self) -> list[tuple[str, str]]:
        """Table rows."""
        return [
            ("gold facts / entity pairs", f"{self.gold} / {self.gold_pairs}"),
            (
                "predicted pairs / typed triples",
                f"{self.predicted} / {self.typed_predicted}",
            ),
            *_prf_rows("facts type-blind", self.untyped),
            *_prf_rows("facts typed", self.typed),
            ("facts typed recall, in ontology scope", _fmt(self.typed_in_scope.recall)),
        ]

    def to_dict(self) -> dict[str, Any]:
        """Nested dict."""
        return {
            "untyped": self.untyped.to_dict(),
            "typed": self.typed.to_dict(),
            "typed_in_scope": self.typed_in_scope.to_dict(),
            "gold": self.gold,
            "gold_pairs": self.gold_pairs,
            "predicted": self.predicted,
            "typed_predicted": self.typed_predicted,
            "unmatched": self.unmatched,
        }


@dataclass(frozen=True, slots=True)
class _PredFact:
    """One predicted triple seen through the gold entities its arguments match."""

    subject: str
    object: str
    subjects: frozenset[Hashable]
    objects: frozenset[Hashable]
    predicate: str
    reversible: bool
    #: typed readings: (gold relation, arguments reversed?)
    forms: tuple[tuple[str, bool], ...]


@dataclass
class _FactTally:
    gold: int = 0
    gold_pairs: int = 0
    gold_hit_untyped: int = 0
    gold_hit_typed: int = 0
    gold_in_scope: int = 0
    gold_in_scope_hit: int = 0
    pred_untyped: int = 0
    pred_untyped_ok: int = 0
    pred_typed: int = 0
    pred_typed_ok: int = 0
    unmatched: int = 0

    def add(self, other: _FactTally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> FactScores:
        return FactScores(
            untyped=PRF.of(
                self.pred_untyped_ok,
                self.pred_untyped,
                self.gold_hit_untyped,
                self.gold_pairs,
            ),
            typed=PRF.of(
                self.pred_typed_ok, self.pred_typed, self.gold_hit_typed, self.gold
            ),
            typed_in_scope=PRF.of(
                self.pred_typed_ok,
                self.pred_typed,
                self.gold_in_scope_hit,
                self.gold_in_scope,
            ),
            gold=self.gold,
            gold_pairs=self.gold_pairs,
            predicted=self.pred_untyped,
            typed_predicted=self.pred_typed,
            unmatched=self.unmatched,
        )


def _tally_facts(
    gold: Iterable[tuple[Hashable, str, Hashable]],
    predicted: Sequence[_PredFact],
    *,
    symmetric: frozenset[str],
    in_scope: frozenset[str],
) -> _FactTally:
    """Count hits of predicted facts on the gold facts of one document.

    Type-blind (over distinct ordered entity pairs): a prediction is right
    when one of its ordered gold pairs is a gold pair (reversed too when its
    property is symmetric or has an inverse, or the gold relation is
    symmetric). Typed: one of its typed readings is a
    gold fact.
    """
    gold_facts = set(gold)
    gold_pairs: dict[tuple[Hashable, Hashable], set[tuple[Hashable, Hashable]]] = (
        defaultdict(set)
    )
    typed_alias: dict[
        tuple[Hashable, str, Hashable], tuple[Hashable, str, Hashable]
    ] = {}
    for h, rel, t in gold_facts:
        gold_pairs[(h, t)].add((h, t))
        typed_alias[(h, rel, t)] = (h, rel, t)
        if rel in symmetric:
            gold_pairs[(t, h)].add((h, t))
            typed_alias.setdefault((t, rel, h), (h, rel, t))
    tally = _FactTally(
        gold=len(gold_facts), gold_pairs=len({(h, t) for h, _, t in gold_facts})
    )
    tally.gold_in_scope = sum(1 for _, rel, _ in gold_facts if rel in in_scope)
    hit_pairs: set[tuple[Hashable, Hashable]] = set()
    hit_facts: set[tuple[Hashable, str, Hashable]] = set()
    by_pair: dict[tuple[str, str], tuple[_PredFact, bool]] = {}
    for fact in predicted:
        if not fact.subjects or not fact.objects:
            tally.unmatched += 1
        key = (fact.subject, fact.object)
        reversible = key in by_pair and by_pair[key][1]
        by_pair[key] = (fact, reversible or fact.reversible)
        if fact.forms:
            tally.pred_typed += 1
            found = False
            for s in fact.subjects:
                for o in fact.objects:
                    for rel, rev in fact.forms:
                        cand = (o, rel, s) if rev else (s, rel, o)
                        if cand in typed_alias:
                            hit_facts.add(typed_alias[cand])
                            found = True
            tally.pred_typed_ok += found
    for fact, reversible in by_pair.values():
        tally.pred_untyped += 1
        found = False
        for s in fact.subjects:
            for o in fact.objects:
                if s == o:
                    continue
                for pair in ((s, o), (o, s)) if reversible else ((s, o),):
                    if pair in gold_pairs:
                        hit_pairs.update(gold_pairs[pair])
                        found = True
        tally.pred_untyped_ok += found
    tally.gold_hit_untyped = len(hit_pairs)
    tally.gold_hit_typed = len(hit_facts)
    tally.gold_in_scope_hit = sum(1 for f in hit_facts if f[1] in in_scope)
    return tally


def _pred_facts(
    document: Document,
    gold_of_entity: Mapping[str, frozenset[Hashable]],
    typed: Callable[[str], tuple[tuple[str, bool], ...]],
) -> list[_PredFact]:
    """See each distinct predicted triple through the gold entities of its arguments."""
    from kg.ontology import load_ontology

    props = load_ontology().properties
    out = []
    seen: set[tuple[str, str, str]] = set()
    for t in document.triples:
        key = (t.subject, t.predicate, t.object)
        if key in seen or t.subject == t.object:
            continue
        seen.add(key)
        info = props.get(t.predicate)
        reversible = info is not None and (info.symmetric or info.inverse is not None)
        out.append(
            _PredFact(
                subject=t.subject,
                object=t.object,
                subjects=gold_of_entity.get(t.subject, frozenset()),
                objects=gold_of_entity.get(t.object, frozenset()),
                predicate=t.predicate,
                reversible=reversible,
                forms=typed(t.predicate),
            )
        )
    return out


def wikidata_forms(predicate: str) -> tuple[tuple[str, bool], ...]:
    """Typed readings of an ontology property as Wikidata ids: ``(P-id, reversed?)``.

    A property reads as its own Wikidata ids, as its inverse's ids with the
    arguments swapped, and (when symmetric) as its ids swapped too.

    Examples
    --------
    >>> wikidata_forms("owns")
    (('P1830', False), ('P127', True))
    >>> wikidata_forms("spouse")
    (('P26', False), ('P26', True))
    >>> wikidata_forms("relatedTo")
    ()
    """
    from kg.ontology import load_ontology

    onto = load_ontology()
    props = onto.properties
    info = props.get(predicate) or onto.value_properties.get(predicate)
    if info is None:
        return ()
    forms = [(p, False) for p in info.wikidata]
    if info.inverse is not None and info.inverse in props:
        forms += [(p, True) for p in props[info.inverse].wikidata]
    if info.symmetric:
        forms += [(p, True) for p in info.wikidata]
    return tuple(dict.fromkeys(forms))


def ontology_forms(predicate: str) -> tuple[tuple[str, bool], ...]:
    """Typed readings of an ontology property in its own vocabulary (news gold).

    Examples
    --------
    >>> ontology_forms("ownedBy")
    (('ownedBy', False), ('owns', True))
    >>> ontology_forms("relatedTo")
    ()
    """
    from kg.ontology import load_ontology

    info = load_ontology().properties.get(predicate)
    if predicate == "relatedTo":
        return ()  # the generic relation has no type to score
    if info is None:
        return ((predicate, False),)
    forms = [(predicate, False)]
    if info.inverse is not None:
        forms.append((info.inverse, True))
    if info.symmetric:
        forms.append((predicate, True))
    return tuple(forms)


def _gold_of_entities(
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


# =============================================================================
# Mentions and clusters of one document against gold entities
# =============================================================================


@dataclass
class _ClusterTally:
    """Per-document pieces of the mention and cluster figures, summed over documents."""

    mentions: int = 0
    found: int = 0
    multi: int = 0
    whole: int = 0
    key: list[frozenset[Hashable]] = field(default_factory=list)
    response: list[frozenset[Hashable]] = field(default_factory=list)
    found_key: list[frozenset[Hashable]] = field(default_factory=list)
    found_response: list[frozenset[Hashable]] = field(default_factory=list)

    def add(self, other: _ClusterTally) -> None:
        self.mentions += other.mentions
        self.found += other.found
        self.multi += other.multi
        self.whole += other.whole
        self.key += other.key
        self.response += other.response
        self.found_key += other.found_key
        self.found_response += other.found_response


def _tally_clusters(
    doc_id: str,
    document: Document,
    gold_entities: Sequence[Sequence[tuple[int, int]]],
    *,
    index: SpanIndex | None = None,
) -> _ClusterTally:
    """Match gold mentions to predicted ones and build key/response clusters.

    Mentions are identified as ``(doc_id, start, end)``. ``key``/``response``
    cover every gold mention (one never found is a singleton of its own);
    ``found_key``/``found_response`` only the found ones. ``index`` is the
    predicted mentions (default: the entities' mentions, no values).
    """
    if index is None:
        index = _mention_index(document)
    tally = _ClusterTally()
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


# =============================================================================
# Re-DocRED: document-level entities and relations, end to end
# =============================================================================

_NO_SPACE_BEFORE = frozenset(
    {
        ",",
        ".",
        ";",
        ":",
        "!",
        "?",
        ")",
        "]",
        "}",
        "%",
        "'s",
        "'S",
        "n't",
        "'re",
        "'ve",
        "'m",
        "'ll",
        "'d",
        "''",
        "'",
    }
)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "``", "#"})
#: Wikidata properties that are their own inverse, besides the ontology's symmetric.
_SYMMETRIC_WIKIDATA = frozenset({"P26", "P3373", "P47", "P530"})


def detokenize(
    tokens: Sequence[Sequence[str]],
) -> tuple[str, list[list[tuple[int, int]]]]:
    """Join tokenised sentences into text; return it and each token's character span.

    Sentences are joined by a space; within a sentence, no space goes before
    closing punctuation and clitics or after opening brackets, and straight
    double quotes alternate between opening and closing.

    Examples
    --------
    >>> sents = [["Ada", "(", "born", "1815", ")", "wrote", "."], ["Hi", "!"]]
    >>> text, spans = detokenize(sents)
    >>> text
    'Ada (born 1815) wrote. Hi!'
    >>> text[slice(*spans[1][0])]
    'Hi'
    """
    parts: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    pos = 0
    for sent in tokens:
        sent_spans = []
        quote_open = False
        glue = True  # no space before the first token of the text
        for tok in sent:
            space = not glue and tok not in _NO_SPACE_BEFORE
            if tok == '"':
                space = not glue and not quote_open
            if space:
                parts.append(" ")
                pos += 1
            parts.append(tok)
            sent_spans.append((pos, pos + len(tok)))
            pos += len(tok)
            glue = tok in _NO_SPACE_AFTER
            if tok == '"':
                glue = not quote_open
                quote_open = not quote_open
        spans.append(sent_spans)
        if pos:
            parts.append(" ")
            pos += 1
    text = "".join(parts).rstrip(" ")
    return text, spans


@dataclass(frozen=True, slots=True)
class RedocredScores:
    """Re-DocRED end to end: mentions found, clustering, relation facts."""

    documents: int
    mention_recall: float
    mention_recall_by_type: Mapping[str, float]
    clusters: ClusterScores
    facts: FactScores
    run: RunInfo | None = None
    task: str = "redocred"

    def rows(self) -> list[tuple[str, str]]:
        """Table rows."""
        out = [
            ("documents", str(self.documents)),
            ("gold mentions found", _fmt(self.mention_recall)),
        ]
        out += [
            (f"  found, {t}", _fmt(v))
            for t, v in sorted(self.mention_recall_by_type.items())
        ]
        out += self.clusters.rows("clustering (found mentions) ")
        return out + self.facts.rows()

    def to_dict(self) -> dict[str, Any]:
        """Figures; ``precision``/``recall``/``f1`` are the typed relation facts."""
        d: dict[str, Any] = {
            "task": self.task,
            **self.facts.typed.to_dict(),
            "documents": self.documents,
            "mention_recall": self.mention_recall,
            "mention_recall_by_type": dict(self.mention_recall_by_type),
            "clusters": self.clusters.to_dict(),
            "facts": self.facts.to_dict(),
        }
        if self.run is not None:
            d["run"] = self.run.to_dict()
        return d


def read_redocred(path: Path) -> list[dict[str, Any]]:
    """Read a (Re-)DocRED JSON list of documents (``sents``, ``vertexSet``...)."""
    data = _load_json(path, "Re-DocRED gold file")
    ok = isinstance(data, list) and all(
        isinstance(d, dict) and {"sents", "vertexSet"} <= d.keys() for d in data
    )
    if not ok or not data:
        raise ConfigError(
            f"{str(path)!r} is not a DocRED file: expected a JSON list of documents "
            "with 'sents', 'vertexSet' and 'labels'"
        )
    return data  # type: ignore[no-any-return]


def _redocred_symmetric() -> frozenset[str]:
    from kg.ontology import load_ontology

    onto = load_ontology()
    ids = {
        p for info in onto.properties.values() if info.symmetric for p in info.wikidata
    }
    return frozenset(ids | _SYMMETRIC_WIKIDATA)


def _redocred_scope() -> frozenset[str]:
    from kg.ontology import load_ontology

    onto = load_ontology()
    return frozenset(
        p
        for info in (*onto.properties.values(), *onto.value_properties.values())
        for p in info.wikidata
    )


def score_redocred(
    gold_docs: Sequence[Mapping[str, Any]],
    documents: Sequence[Document],
    spans: Sequence[Sequence[Sequence[tuple[int, int]]]],
    *,
    run: RunInfo | None = None,
) -> RedocredScores:
    """Score kg's Documents against Re-DocRED gold.

    ``spans[d][s][i]`` is the character span of token ``i`` of sentence ``s`` of
    document ``d`` in the text the Document was extracted from.
    """
    found_by_type: Counter[str] = Counter()
    total_by_type: Counter[str] = Counter()
    clusters = _ClusterTally()
    facts = _FactTally()
    symmetric, scope = _redocred_symmetric(), _redocred_scope()
    for n, (gold, document, tok) in enumerate(
        zip(gold_docs, documents, spans, strict=True)
    ):
        entities: list[list[tuple[int, int]]] = []
        gold_mentions: list[tuple[int, int, Hashable]] = []
        for e_idx, vertex in enumerate(gold["vertexSet"]):
            ms = []
            for m in vertex:
                sent = tok[m["sent_id"]]
                start, end = sent[m["pos"][0]][0], sent[m["pos"][1] - 1][1]
                ms.append((start, end))
                gold_mentions.append((start, end, e_idx))
            entities.append(ms)
        # dates and numbers are values, not entities: Re-DocRED's TIME and
        # NUM mentions are found (and clustered) among the values' mentions
        index = _mention_and_value_index(document)
        for vertex, ms in zip(gold["vertexSet"], entities, strict=True):
            for m, (s, e) in zip(vertex, ms, strict=True):
                total_by_type[m["type"]] += 1
                found_by_type[m["type"]] += index.best(s, e) is not None
        clusters.add(_tally_clusters(str(n), document, entities, index=index))
        gold_facts = [(lab["h"], lab["r"], lab["t"]) for lab in gold.get("labels", [])]
        pred = _pred_facts(
            document,
            _gold_of_entities(document, gold_mentions, values=True),
            wikidata_forms,
        )
        facts.add(_tally_facts(gold_facts, pred, symmetric=symmetric, in_scope=scope))
    return RedocredScores(
        documents=len(documents),
        mention_recall=_ratio(clusters.found, clusters.mentions),
        mention_recall_by_type={
            t: _ratio(found_by_type[t], total_by_type[t]) for t in sorted(total_by_type)
        },
        clusters=ClusterScores.of(clusters.found_key, clusters.found_response),
        facts=facts.scores(),
        run=run,
    )


def evaluate_redocred(
    gold_path: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system: str = "kg",
    system_out: Path | None = None,
    progress: ProgressFn | None = None,
) -> RedocredScores:
    """Run the pipeline on each Re-DocRED document (tokens joined) and score it."""
    started = time.perf_counter()
    gold_docs = list(_limit(read_redocred(gold_path), limit))
    texts, spans = [], []
    for g in gold_docs:
        text, tok = detokenize(g["sents"])
        texts.append(text)
        spans.append(tok)
    ids = [str(g.get("title") or i) for i, g in enumerate(gold_docs)]
    documents = [
        d
        for _, d in _run(
            texts, ids, model=model, system=_get_system(system), progress=progress
        )
    ]
    if system_out is not None:
        _write_jsonl(system_out, (_document_json(d) for d in documents))
    run = RunInfo(
        str(gold_path),
        _model_name(model),
        len(gold_docs),
        time.perf_counter() - started,
    )
    return score_redocred(gold_docs, documents, spans, run=run)


# =============================================================================
# Coref: GUM / any CorefUD corpus, over the mentions of named entities
# =============================================================================


@dataclass(frozen=True, slots=True)
class CorefEntity:
    """One gold entity: type, Wikipedia link (empty unless named), mention spans."""

    id: str
    type: str
    link: str
    mentions: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class CorefDocument:
    """A gold coreference document: its text and entities."""

    id: str
    text: str
    entities: tuple[CorefEntity, ...]


def read_coref_gold(path: Path) -> list[CorefDocument]:
    """Read GUM's flattened JSON, a CorefUD ``.conllu`` file, or a folder of them.

    Raises
    ------
    ConfigError
        The path is missing or holds neither format.
    """
    if path.is_dir():
        files = sorted(path.glob("*.conllu"))
        if not files:
            raise ConfigError(f"folder {str(path)!r} holds no .conllu files")
        return [d for f in files for d in read_conllu_coref(f)]
    _check_file(path, "coreference gold file")
    if path.suffix == ".conllu":
        return read_conllu_coref(path)
    data = _load_json(path, "coreference gold file")
    try:
        docs = [
            CorefDocument(
                id=str(d["id"]),
                text=d["text"],
                entities=tuple(
                    CorefEntity(
                        str(e["id"]),
                        e.get("type", ""),
                        e.get("link", "") or "",
                        tuple((int(m[0]), int(m[1])) for m in e["mentions"]),
                    )
                    for e in d["entities"]
                ),
            )
            for d in data
        ]
    except (TypeError, KeyError, IndexError, ValueError):
        raise ConfigError(
            f"{str(path)!r} is not a coreference JSON file: expected a list of "
            "documents with 'id', 'text' and 'entities' (each with 'mentions' "
            "as [start, end, surface])"
        ) from None
    if not docs:
        raise ConfigError(f"{str(path)!r} holds no documents")
    return docs


_ENTITY_ATTR = re.compile(r"(?:^|\|)Entity=([^|]*)")


def _parse_entity_field(value: str) -> Iterator[tuple[str, str, bool]]:
    """Yield ``(kind, content, closes_here)`` for a CorefUD ``Entity=`` value.

    ``kind`` is ``open`` (content: the dash-separated attributes) or ``close``
    (content: the entity id).
    """
    i = 0
    while i < len(value):
        if value[i] == "(":
            j = i + 1
            while j < len(value) and value[j] not in "()":
                j += 1
            single = j < len(value) and value[j] == ")"
            yield "open", value[i + 1 : j], single
            i = j + 1 if single else j
        else:
            j = value.find(")", i)
            if j < 0:
                return
            yield "close", value[i:j], True
            i = j + 1


def read_conllu_coref(path: Path) -> list[CorefDocument]:
    """Read coreference from a CorefUD CoNLL-U file.

    The text of a document is its sentences (``# text =``) joined by a space,
    paragraphs (``# newpar``) by a blank line, as in ``gum-dev.json``. Entity
    attributes follow ``# global.Entity``; its ``identity`` attribute is the
    Wikipedia link that marks a named entity (GUM's ``link`` attribute is the
    kind of coreference link, not a Wikipedia page). Empty nodes carry no text
    and are skipped; discontinuous mentions keep their outer span.
    """
    _check_file(path, "CoNLL-U file")
    fields = ["eid", "etype"]
    docs: list[CorefDocument] = []
    doc_id: str | None = None
    parts: list[str] = []
    pos = 0
    new_par = False
    ents: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    stack: dict[str, list[int]] = defaultdict(list)
    sent_text = ""
    cursor = 0
    word_span: dict[int, tuple[int, int]] = {}
    mwt: tuple[int, int, int, int] | None = None
    sub = 0

    def finish() -> None:
        nonlocal parts, pos, ents, order
        if doc_id is not None:
            text = "".join(parts)
            docs.append(
                CorefDocument(
                    doc_id,
                    text,
                    tuple(
                        CorefEntity(
                            eid,
                            ents[eid]["type"],
                            ents[eid]["link"],
                            tuple(sorted(ents[eid]["mentions"])),
                        )
                        for eid in order
                    ),
                )
            )
        parts, pos, ents, order = [], 0, {}, []
        stack.clear()

    def locate(form: str) -> tuple[int, int]:
        nonlocal cursor
        while cursor < len(sent_text) and sent_text[cursor].isspace():
            cursor += 1
        at = sent_text.find(form, cursor)
        if at < 0 or at - cursor > 2:
            at = cursor
        cursor = at + len(form)
        return at, at + len(form)

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{str(path)!r} is not UTF-8 text") from exc
    for n, line in enumerate(lines, start=1):
        if line.startswith("#"):
            key, _, val = line[1:].partition("=")
            key, val = key.strip(), val.strip()
            if key == "newdoc id" or key.startswith("newdoc") and "id" in key:
                finish()
                doc_id = val
                new_par = False
            elif key == "global.Entity":
                fields = val.split("-")
            elif key.startswith("newpar"):
                new_par = True
            elif key == "text":
                if doc_id is None:
                    doc_id = path.stem
                if parts:
                    sep = "\n\n" if new_par else " "
                    parts.append(sep)
                    pos += len(sep)
                new_par = False
                sent_text, cursor = val, 0
                parts.append(val)
                word_span = {}
                mwt = None
                pos += len(val)
            continue
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise ConfigError(
                f"{str(path)}:{n}: not a CoNLL-U line (10 tab-separated columns)"
            )
        if "." in cols[0]:
            continue  # empty node
        base = pos - len(sent_text)
        if "-" in cols[0]:
            first, last = (int(x) for x in cols[0].split("-"))
            s, e = locate(cols[1])
            mwt = (first, last, s, e)
            sub = s
            continue
        wid = int(cols[0])
        if mwt is not None and mwt[0] <= wid <= mwt[1]:
            surface = sent_text[mwt[2] : mwt[3]]
            off = surface.find(cols[1], sub - mwt[2]) if cols[1] else -1
            if off >= 0:
                s, e = mwt[2] + off, mwt[2] + off + len(cols[1])
                sub = e
            else:
                s, e = mwt[2], mwt[3]
            if wid == mwt[1]:
                mwt = None
        else:
            s, e = locate(cols[1])
        word_span[wid] = (base + s, base + e)
        match = _ENTITY_ATTR.search(cols[9])
        if not match:
            continue
        for kind, content, closes in _parse_entity_field(match.group(1)):
            if kind == "open":
                values = content.split("-")
                attrs = dict(zip(fields, values, strict=False))
                if len(values) > len(fields):  # hyphens inside the last value
                    attrs[fields[-1]] = "-".join(values[len(fields) - 1 :])
                eid = re.sub(r"\[.*\]$", "", attrs.get("eid", values[0]))
                if eid not in ents:
                    link = attrs.get("identity") or ""
                    ents[eid] = {
                        "type": attrs.get("etype", ""),
                        "link": link,
                        "mentions": [],
                    }
                    order.append(eid)
                if closes:
                    ents[eid]["mentions"].append((base + s, base + e))
                else:
                    stack[eid].append(base + s)
            else:
                eid = re.sub(r"\[.*\]$", "", content)
                if stack[eid]:
                    ents[eid]["mentions"].append((stack[eid].pop(), base + e))
    finish()
    if not docs:
        raise ConfigError(f"{str(path)!r} holds no CoNLL-U sentences")
    return docs


@dataclass(frozen=True, slots=True)
class CorefScores:
    """Coreference over the mentions of named entities (GUM-style gold).

    ``mentions_found`` is the share of gold mentions some predicted mention
    overlaps; ``clusters`` counts a gold mention never found as a singleton;
    ``whole_share`` is the share of named entities with more than one mention
    whose mentions were all found and all landed on one node.
    """

    documents: int
    entities: int
    mentions: int
    mentions_found: float
    clusters: ClusterScores
    multi_mention_entities: int
    whole_share: float
    run: RunInfo | None = None
    task: str = "coref"

    def rows(self) -> list[tuple[str, str]]:
        """Table rows."""
        return [
            ("documents", str(self.documents)),
            ("named entities / mentions", f"{self.entities} / {self.mentions}"),
            ("mentions found", _fmt(self.mentions_found)),
            *self.clusters.rows(),
            ("named entities (>1 mention) wholly in one node", _fmt(self.whole_share)),
        ]

    def to_dict(self) -> dict[str, Any]:
        """Figures; ``precision``/``recall``/``f1`` are B³."""
        d: dict[str, Any] = {
            "task": self.task,
            **self.clusters.b3.to_dict(),
            "documents": self.documents,
            "entities": self.entities,
            "mentions": self.mentions,
            "mentions_found": self.mentions_found,
            "clusters": self.clusters.to_dict(),
            "multi_mention_entities": self.multi_mention_entities,
            "whole_share": self.whole_share,
        }
        if self.run is not None:
            d["run"] = self.run.to_dict()
        return d


def score_coref(
    gold_docs: Sequence[CorefDocument],
    documents: Sequence[Document],
    *,
    named_only: bool = True,
    run: RunInfo | None = None,
) -> CorefScores:
    """Score kg's Documents against gold coreference, over named entities' mentions."""
    tally = _ClusterTally()
    entities = 0
    for gold, document in zip(gold_docs, documents, strict=True):
        chosen = [e.mentions for e in gold.entities if e.link or not named_only]
        entities += len(chosen)
        tally.add(_tally_clusters(gold.id, document, chosen))
    return CorefScores(
        documents=len(gold_docs),
        entities=entities,
        mentions=tally.mentions,
        mentions_found=_ratio(tally.found, tally.mentions),
        clusters=ClusterScores.of(tally.key, tally.response),
        multi_mention_entities=tally.multi,
        whole_share=_ratio(tally.whole, tally.multi),
        run=run,
    )


def evaluate_coref(
    gold_path: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system: str = "kg",
    system_out: Path | None = None,
    progress: ProgressFn | None = None,
) -> CorefScores:
    """Run the pipeline on each gold document's text; score named-entity coreference."""
    started = time.perf_counter()
    gold_docs = list(_limit(read_coref_gold(gold_path), limit))
    documents = [
        d
        for _, d in _run(
            [g.text for g in gold_docs],
            [g.id for g in gold_docs],
            model=model,
            system=_get_system(system),
            progress=progress,
        )
    ]
    if system_out is not None:
        _write_jsonl(system_out, (_document_json(d) for d in documents))
    run = RunInfo(
        str(gold_path),
        _model_name(model),
        len(gold_docs),
        time.perf_counter() - started,
    )
    return score_coref(gold_docs, documents, run=run)


# =============================================================================
# News: kg's own gold format for annotated articles
# =============================================================================

NEWS_FORMAT = "kg-news-gold/1"
_MENTION_KINDS = frozenset({"name", "nominal", "pronoun"})


@dataclass(frozen=True, slots=True)
class NewsEntity:
    """A gold entity of an article: id, ontology class, name, mentions."""

    id: str
    type: str
    name: str
    named: bool
    mentions: tuple[tuple[int, int, str, str], ...]  # start, end, surface, kind


@dataclass(frozen=True, slots=True)
class NewsFact:
    """A gold fact: subject id, ontology property, object id, evidence span."""

    subject: str
    property: str
    object: str
    evidence: tuple[int, int]
    modality: str = "asserted"


@dataclass(frozen=True, slots=True)
class NewsGold:
    """One annotated article (see ``seeds/gold/README.md`` for the format)."""

    path: str
    text: str
    entities: tuple[NewsEntity, ...]
    facts: tuple[NewsFact, ...]


def _news_error(path: Path, msg: str) -> ConfigError:
    return ConfigError(f"news gold {str(path)!r}: {msg}")


def read_news_gold(path: Path) -> list[NewsGold]:
    """Read one news gold JSON file, or every ``*.json`` in a folder.

    Offsets are checked against the article text: every mention's surface and
    the article's SHA-256 must match, every fact must name declared entities
    and an ontology property.

    Raises
    ------
    ConfigError
        The file is missing, not in the format, or out of step with its article.
    """
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise ConfigError(f"folder {str(path)!r} holds no news gold (*.json) files")
        return [g for f in files for g in read_news_gold(f)]
    from kg.ontology import load_ontology

    data = _load_json(path, "news gold file")
    if not isinstance(data, dict) or data.get("format") != NEWS_FORMAT:
        raise _news_error(
            path, f'not a news gold file (expected "format": {NEWS_FORMAT!r})'
        )
    try:
        source = path.parent / data["source"]
        raw = source.read_bytes()
    except KeyError:
        raise _news_error(
            path, "no 'source' (the article's path, relative to the gold file)"
        ) from None
    except OSError:
        raise _news_error(
            path, f"cannot read its article {data.get('source')!r}"
        ) from None
    if data.get("sha256") and hashlib.sha256(raw).hexdigest() != data["sha256"]:
        raise _news_error(
            path, f"article {str(source)!r} changed since it was annotated (sha256)"
        )
    text = raw.decode("utf-8-sig")
    props = load_ontology().properties
    entities: list[NewsEntity] = []
    try:
        for e in data["entities"]:
            mentions = []
            for m in e["mentions"]:
                start, end, surface, kind = int(m[0]), int(m[1]), str(m[2]), str(m[3])
                if text[start:end] != surface:
                    raise _news_error(
                        path,
                        f"entity {e['id']!r}: text[{start}:{end}] is "
                        f"{text[start:end]!r}, not {surface!r}",
                    )
                if kind not in _MENTION_KINDS:
                    raise _news_error(
                        path, f"entity {e['id']!r}: mention kind {kind!r}"
                    )
                mentions.append((start, end, surface, kind))
            entities.append(
                NewsEntity(
                    str(e["id"]),
                    str(e["type"]),
                    str(e.get("name", e["id"])),
                    bool(e.get("named", True)),
                    tuple(mentions),
                )
            )
        ids = [e.id for e in entities]
        if len(set(ids)) != len(ids):
            raise _news_error(path, "duplicate entity ids")
        facts = []
        for f in data["facts"]:
            for role in ("subject", "object"):
                if f[role] not in ids:
                    raise _news_error(path, f"fact {f}: unknown {role} {f[role]!r}")
            if f["property"] not in props:
                raise _news_error(
                    path, f"fact {f}: {f['property']!r} is not an ontology property"
                )
            ev = f.get("evidence") or [0, 0]
            facts.append(
                NewsFact(
                    f["subject"],
                    f["property"],
                    f["object"],
                    (int(ev[0]), int(ev[1])),
                    f.get("modality", "asserted"),
                )
            )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise _news_error(
            path,
            f"malformed entry ({exc.__class__.__name__}: {exc}); "
            "see seeds/gold/README.md for the format",
        ) from None
    return [NewsGold(str(path), text, tuple(entities), tuple(facts))]


@dataclass(frozen=True, slots=True)
class NewsScores:
    """Annotated news: mentions found, entity clustering, facts."""

    documents: int
    entities: int
    mentions: int
    mentions_found: float
    clusters: ClusterScores
    whole_share: float
    facts: FactScores
    run: RunInfo | None = None
    task: str = "news"

    def rows(self) -> list[tuple[str, str]]:
        """Table rows."""
        return [
            ("documents", str(self.documents)),
            ("entities / mentions", f"{self.entities} / {self.mentions}"),
            ("mentions found", _fmt(self.mentions_found)),
            *self.clusters.rows(),
            ("entities (>1 mention) wholly in one node", _fmt(self.whole_share)),
            *self.facts.rows()[:-1],
        ]

    def to_dict(self) -> dict[str, Any]:
        """Figures; ``precision``/``recall``/``f1`` are the typed facts."""
        d: dict[str, Any] = {
            "task": self.task,
            **self.facts.typed.to_dict(),
            "documents": self.documents,
            "entities": self.entities,
            "mentions": self.mentions,
            "mentions_found": self.mentions_found,
            "clusters": self.clusters.to_dict(),
            "whole_share": self.whole_share,
            "facts": self.facts.to_dict(),
        }
        if self.run is not None:
            d["run"] = self.run.to_dict()
        return d


def score_news(
    golds: Sequence[NewsGold],
    documents: Sequence[Document],
    *,
    run: RunInfo | None = None,
) -> NewsScores:
    """Score kg's Documents against annotated articles.

    Clustering is over every gold mention (one never found is a singleton);
    facts are typed by ontology property, inverse and symmetric properties
    read both ways.
    """
    from kg.ontology import load_ontology

    props = load_ontology().properties
    symmetric = frozenset(n for n, info in props.items() if info.symmetric)
    clusters = _ClusterTally()
    facts = _FactTally()
    for gold, document in zip(golds, documents, strict=True):
        entity_spans = [[(m[0], m[1]) for m in e.mentions] for e in gold.entities]
        clusters.add(_tally_clusters(gold.path, document, entity_spans))
        gold_mentions = [(m[0], m[1], e.id) for e in gold.entities for m in e.mentions]
        pred = _pred_facts(
            document, _gold_of_entities(document, gold_mentions), ontology_forms
        )
        gold_facts = [(f.subject, f.property, f.object) for f in gold.facts]
        facts.add(
            _tally_facts(
                gold_facts, pred, symmetric=symmetric, in_scope=frozenset(props)
            )
        )
    return NewsScores(
        documents=len(golds),
        entities=sum(len(g.entities) for g in golds),
        mentions=clusters.mentions,
        mentions_found=_ratio(clusters.found, clusters.mentions),
        clusters=ClusterScores.of(clusters.key, clusters.response),
        whole_share=_ratio(clusters.whole, clusters.multi),
        facts=facts.scores(),
        run=run,
    )


def evaluate_news(
    gold_path: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system: str = "kg",
    system_out: Path | None = None,
    progress: ProgressFn | None = None,
) -> NewsScores:
    """Run the pipeline on each annotated article and score it."""
    started = time.perf_counter()
    golds = list(_limit(read_news_gold(gold_path), limit))
    documents = [
        d
        for _, d in _run(
            [g.text for g in golds],
            [Path(g.path).name for g in golds],
            model=model,
            system=_get_system(system),
            progress=progress,
        )
    ]
    if system_out is not None:
        _write_jsonl(system_out, (_document_json(d) for d in documents))
    run = RunInfo(
        str(gold_path), _model_name(model), len(golds), time.perf_counter() - started
    )
    return score_news(golds, documents, run=run)


# =============================================================================
# Dispatch
# =============================================================================


def evaluate(
    task: str,
    gold: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system_out: Path | None = None,
    system: str = "kg",
    progress: ProgressFn | None = None,
) -> EvalResult:
    """Run one evaluation task on a gold file; see the module docstring.

    Parameters
    ----------
    task
        One of :data:`TASKS`.
    gold
        The gold file (or folder, for ``carb``, ``coref`` and ``news``).
    limit
        Score only the first ``limit`` items (rows, sentences, documents).
    model
        spaCy pipeline to run (default as ``kg build``).
    system_out
        Where to write the system output (official format for GAP and CaRB,
        JSON lines of extractions for the other tasks).
    system
        ``kg`` (the default), ``naive`` (the README's naive floor; not for
        CaRB), or the name of a registered relation extractor (kg with that
        extractor, e.g. ``kg.clauses.v1+context``).
    progress
        ``progress(done, total)`` after each item.

    Raises
    ------
    ConfigError
        Unknown task or system, or a bad gold path or format.
    """
    if task not in TASKS:
        raise ConfigError(
            f"unknown eval task {task!r}; choose one of {', '.join(TASKS)}"
        )
    if not gold.exists():
        raise ConfigError(f"gold path {str(gold)!r} does not exist")
    if task == "carb":
        if system != "kg":
            raise ConfigError("kg eval carb scores kg's clause extractor only")
        return evaluate_carb(
            gold, limit=limit, model=model, system_out=system_out, progress=progress
        )
    runners: dict[str, Callable[..., EvalResult]] = {
        "gap": evaluate_gap,
        "redocred": evaluate_redocred,
        "coref": evaluate_coref,
        "news": evaluate_news,
    }
    runner = runners[task]
    result: EvalResult = runner(
        gold,
        limit=limit,
        model=model,
        system=system,
        system_out=system_out,
        progress=progress,
    )
    return result
