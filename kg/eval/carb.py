"""CaRB: open information extraction, sentence → tuples.

CaRB is sentence-level open IE: tuples per sentence, not a graph, so this
task scores :func:`kg.relations.extract_clauses` on each sentence rather
than a build (the one ``kg eval`` task that does). The official tabbed file
is written by :func:`write_carb_tabbed`; the scorer is a port of ``carb.py``
with its default matcher (``binary_linient_tuple_match``): same PR curve,
AUC and optimal-F1 point.
"""

from __future__ import annotations

import math
import re
import string
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.eval.clusters import PRF, fmt, prf_rows
from kg.eval.result import (
    ProgressFn,
    RunInfo,
    check_file,
    limit_items,
    model_name,
)

__all__ = [
    "CarbExtraction",
    "CarbScores",
    "carb_match",
    "evaluate_carb",
    "extract_carb",
    "read_carb_gold",
    "read_carb_sentences",
    "read_carb_tabbed",
    "score_carb",
    "write_carb_tabbed",
]


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
    check_file(path, "CaRB gold file")
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
    check_file(path, "CaRB system file")
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
            ("AUC", fmt(self.auc)),
            *prf_rows("optimal", self.optimal),
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


def _greedy_precision(
    scores: Sequence[Sequence[tuple[float, float]]], chosen: Sequence[int]
) -> float:
    """Sum of precisions of carb.py's greedy one-to-one gold/extraction pairing."""
    total = 0.0
    rows_taken: list[int] = []
    cols_taken: list[int] = []
    for _ in range(min(len(scores), len(chosen))):
        best_row, best_col, best_p = -1, -1, -1.0
        for i, row in enumerate(scores):
            if i in rows_taken:
                continue
            for j in chosen:
                if j not in cols_taken and row[j][0] > best_p:
                    best_p, best_row, best_col = row[j][0], i, j
        rows_taken.append(best_row)
        cols_taken.append(best_col)
        total += scores[best_row][best_col][0]
    return total


@dataclass
class _Curve:
    """Per-threshold sums of carb.py's PR curve: precision, recall and their counts."""

    p: list[float]
    pl: list[int]
    r: list[float]
    rl: list[int]

    def add_sentence(
        self,
        golds: Sequence[CarbExtraction],
        exs: Sequence[CarbExtraction],
        position: Mapping[float, int],
    ) -> None:
        scores = [[carb_match(g, e) for e in exs] for g in golds]
        prev = 0
        for conf in sorted(e.confidence for e in exs):
            c = position[conf]
            chosen = [j for j, e in enumerate(exs) if e.confidence >= conf]
            rec_num = sum(max((row[j][1] for j in chosen), default=0) for row in scores)
            prec_num = _greedy_precision(scores, chosen)
            for k in range(prev, c + 1):
                self.p[k] += prec_num
                self.pl[k] += len(chosen)
                self.r[k] += rec_num
                self.rl[k] += len(scores)
            prev = c + 1
        for k in range(prev, len(self.rl)):
            self.rl[k] += len(scores)


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

    Examples
    --------
    >>> g = {"A b c .": [CarbExtraction("A b c .", "b", ("A", "c"))]}
    >>> score_carb(g, g).optimal.f1
    1.0
    """
    pred = {_carb_key(k): v for k, v in predicted.items()}
    gold_n = {_carb_key(k): v for k, v in gold.items()}
    thresholds = sorted({ex.confidence for exs in pred.values() for ex in exs})
    position = {c: i for i, c in enumerate(thresholds)}
    n = len(thresholds)
    sums = _Curve([0.0] * n, [0] * n, [0.0] * n, [0] * n)
    for sent, golds in gold_n.items():
        sums.add_sentence(golds, list(pred.get(sent, [])), position)
    precs = [a / b if b > 0 else 1.0 for a, b in zip(sums.p, sums.pl, strict=True)]
    recs = [a / b if b > 0 else 0.0 for a, b in zip(sums.r, sums.rl, strict=True)]
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
    check_file(path, "CaRB sentence file")
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
    check_file(gold, "CaRB gold file")
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
    if progress is not None:
        progress(0, len(docs))
    for i, (sentence, doc) in enumerate(
        zip(sentences, nlp.pipe(docs, batch_size=32), strict=True)
    ):
        for clause in extract_clauses(doc):
            args = tuple(" ".join(a.split()) for a in clause.arguments)
            rel = " ".join(clause.relation.split())
            if len(args) < 2 or not rel or not all(args):
                dropped += 1
                continue
            conf = float(_carb_conf(clause.confidence))
            out.append(CarbExtraction(sentence, rel, args, conf))
        if progress is not None:
            progress(i + 1, len(docs))
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
    sentences = list(limit_items(sentences, limit))
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
        str(gold),
        model_name(model),
        len(sentences),
        time.perf_counter() - started,
        "per-sentence extraction",
    )
    return score_carb(gold_tuples, predicted, dropped=dropped, run=run)
