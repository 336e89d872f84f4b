"""Train the pronoun or description ranker on gold coreference.

``python -m kg.coref.train_ranker GOLD --out kg/coref/data/pronoun-ranker.json``
(the pronoun ranker, :mod:`kg.coref.ranker`);
``python -m kg.coref.train_ranker GOLD --kind description --exclude IDS
--out kg/coref/data/description-ranker.json`` (the description ranker,
:mod:`kg.coref.description_ranker`: definite descriptions the rule sieves
left alone, recorded where the ranker sieve stands, after the description
sieves; ``--exclude`` names a file of document ids, one a line, left out of
training so they stay held out).

GOLD is a coreference file :func:`kg.eval.coref.read_coref_gold` reads (GUM's
flattened JSON, a CorefUD ``.conllu`` file or a folder of them). Each text is
parsed and resolved by the sieves; where a third-person pronoun reaches the
pronoun sieves, every candidate cluster is recorded with its features and a
label: does the candidate's last mention before the pronoun belong to the
pronoun's gold entity? (A pronoun that is no gold mention labels every
candidate false.) The salience sieve then decides, so training sees the states
the resolver builds. A logistic regression (scikit-learn, lbfgs, fixed
``random_state``; deterministic) is fitted on the pairs, the link threshold is
0.5 (``--threshold``), and the weights are written as
JSON (feature names, weights, intercept, threshold), rounded to six decimals.

scikit-learn is needed only here (``pip install kg[test]``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from kg.coref import description_ranker
from kg.coref.grammar import span_head
from kg.coref.ranker import Pair, candidate_pairs
from kg.coref.resolve import run_sieves
from kg.coref.sieves import SIEVE_ORDER, Sieve, sieves
from kg.coref.sieves.ranked import DESCRIPTION_RANKER, PRONOUN_RANKER
from kg.coref.state import Discourse, build_discourse
from kg.errors import ConfigError, KGError
from kg.eval.coref import CorefDocument, read_coref_gold
from kg.mentions import extract_mentions

__all__ = [
    "Example",
    "collect_examples",
    "description_train_order",
    "fit",
    "main",
    "train_order",
]

SALIENCE = "kg.coref.pronoun_salience.v1"
COLLECT = "kg.coref.train_collect"
#: Inverse regularisation strength of the logistic regression.
C = 1.0
#: The description ranker learns from fewer mentions: stronger regularisation.
DESCRIPTION_C = 0.3
#: Link threshold: the pair must more likely corefer than not, else the
#: pronoun goes on to the salience sieve (None: where most pronouns come out
#: right on the training data, for the ranker alone).
THRESHOLD: float | None = 0.5
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(1, 20))
#: The description ranker is trained where the definite-description sieve
#: stands: it sees every definite description no more precise sieve linked.
DESCRIPTIONS_AT = "kg.coref.definite_description.v1"


@dataclass(frozen=True, slots=True)
class Example:
    """One pronoun and its candidates: features and gold labels."""

    doc_id: str
    pronoun: int
    features: tuple[dict[str, float], ...]
    labels: tuple[bool, ...]


def _gold_of_tokens(doc: Doc, gold: CorefDocument) -> dict[int, tuple[str, int]]:
    """Map each token to the entity of the smallest gold mention holding it.

    The value is (entity id, length in tokens of that mention).
    """
    out: dict[int, tuple[str, int]] = {}
    for entity in gold.entities:
        for start, end in entity.mentions:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            for i in range(span.start, span.end):
                if i not in out or len(span) < out[i][1]:
                    out[i] = (entity.id, len(span))
    return out


def _labels(
    gold: dict[int, tuple[str, int]],
    entity: str | None,
    before: int,
    pairs: Sequence[Pair],
) -> tuple[bool, ...]:
    """Label the candidates of a pronoun of gold ``entity``.

    A candidate is right when its last mention is of the entity and no other
    candidate holds more of the entity's mentions: the pronoun should join
    the cluster that stands for the entity (its name's), not a stray chain of
    pronouns the resolver left apart from it.
    """
    if entity is None:
        return tuple(False for _ in pairs)
    counts = [
        sum(
            1
            for h in p.cluster.history
            if h[1] < before and (g := gold.get(h[1])) is not None and g[0] == entity
        )
        for p in pairs
    ]
    most = max(counts)
    return tuple(
        (g := gold.get(p.token)) is not None and g[0] == entity and n == most
        for p, n in zip(pairs, counts, strict=True)
    )


def _description_labels(
    gold: dict[int, tuple[str, int]],
    entity: str | None,
    before: int,
    pairs: Sequence[Pair],
) -> tuple[bool, ...]:
    """Label the candidates of a description of gold ``entity``.

    A candidate is right when most of its mentions before the description
    (by their head tokens) are of the entity: a named cluster stands for the
    entity of its names, whatever a stray pronoun last put on it.
    """
    if entity is None:
        return tuple(False for _ in pairs)
    out: list[bool] = []
    for p in pairs:
        votes = Counter(
            g[0]
            for h in p.cluster.history
            if h[1] < before and (g := gold.get(h[1])) is not None
        )
        top = max(votes.values()) if votes else 0
        out.append(top > 0 and votes[entity] == top)
    return tuple(out)


def train_order(order: Sequence[str] = SIEVE_ORDER) -> list[str]:
    """Return the sieve order for training: the collector, then salience.

    They take the place of the pronoun sieves ``order`` ends with (the
    ranker or the salience sieve), so the states training sees are those
    the hand-set salience sieve builds, whichever order is the default.

    Examples
    --------
    >>> train_order(["a", PRONOUN_RANKER, SALIENCE])
    ['a', 'kg.coref.train_collect', 'kg.coref.pronoun_salience.v1']
    """
    names = [n for n in order if n not in {PRONOUN_RANKER, SALIENCE, COLLECT}]
    return [*names, COLLECT, SALIENCE]


def description_train_order(
    order: Sequence[str] = SIEVE_ORDER, at: str = DESCRIPTIONS_AT
) -> list[str]:
    """Return the sieve order for training the description ranker.

    The collector stands just before sieve ``at`` (the ranker itself left
    out), so training sees every definite description the more precise
    sieves leave to the description sieves.

    Examples
    --------
    >>> description_train_order(["a", DESCRIPTION_RANKER, DESCRIPTIONS_AT, "b"])
    ['a', 'kg.coref.train_collect', 'kg.coref.definite_description.v1', 'b']
    """
    names = [n for n in order if n not in {DESCRIPTION_RANKER, COLLECT}]
    k = names.index(at)
    return [*names[:k], COLLECT, *names[k:]]


def _description_collector(
    gold: dict[int, tuple[str, int]], doc_id: str, out: list[Example]
) -> Sieve:
    def collect(state: Discourse, index: int) -> bool:
        span = state.spans[index]
        if span is None or not description_ranker.is_ranked_description(span):
            return False
        pairs = description_ranker.candidate_pairs(state, index)
        if not pairs:
            return False
        head = span_head(span)
        own = gold.get(head.i)
        entity = own[0] if own is not None else None
        labels = _description_labels(gold, entity, head.i, pairs)
        features = tuple(dict(p.features) for p in pairs)
        out.append(Example(doc_id, index, features, labels))
        return False

    return Sieve(COLLECT, frozenset({"nominal"}), collect)


def _collector(
    gold: dict[int, tuple[str, int]], doc_id: str, out: list[Example]
) -> Sieve:
    def collect(state: Discourse, index: int) -> bool:
        span = state.spans[index]
        if span is None:
            return False
        token = span.root
        pairs = candidate_pairs(state, token, state.mentions[index].sent_index)
        if not pairs:
            return False
        own = gold.get(token.i)
        entity = own[0] if own is not None and own[1] == 1 else None
        labels = _labels(gold, entity, token.i, pairs)
        features = tuple(dict(p.features) for p in pairs)
        out.append(Example(doc_id, index, features, labels))
        return False

    return Sieve(COLLECT, frozenset({"pronoun"}), collect)


def collect_examples(
    gold_docs: Sequence[CorefDocument],
    docs: Iterable[Doc],
    *,
    progress: Callable[[int], None] | None = None,
    kind: str = "pronoun",
) -> list[Example]:
    """Resolve each parsed text and record every pronoun's candidates.

    With ``kind="description"``, every ranked description's candidates.
    """
    examples: list[Example] = []
    make, order = (
        (_description_collector, description_train_order())
        if kind == "description"
        else (_collector, train_order())
    )
    for k, (gold, doc) in enumerate(zip(gold_docs, docs, strict=True)):
        state = build_discourse(doc, list(extract_mentions(doc)))
        chain = [
            make(_gold_of_tokens(doc, gold), gold.id, examples)
            if name == COLLECT
            else sieves.get(name)
            for name in order
        ]
        run_sieves(state, chain)
        if progress is not None:
            progress(k + 1)
    return examples


def _threshold(examples: Sequence[Example], probs: Sequence[Sequence[float]]) -> float:
    """Return the threshold at which the most pronouns are decided right."""
    best_t, best_right = 0.5, -1
    for t in THRESHOLDS:
        right = 0
        for ex, ps in zip(examples, probs, strict=True):
            top = max(range(len(ps)), key=lambda k: ps[k])
            right += ex.labels[top] if ps[top] >= t else not any(ex.labels)
        if right > best_right:
            best_t, best_right = t, right
    return best_t


def fit(
    examples: Sequence[Example],
    *,
    c: float = C,
    threshold: float | None = THRESHOLD,
    model_id: str = PRONOUN_RANKER,
) -> dict[str, Any]:
    """Fit the pair model; return the weights file's content."""
    from sklearn.linear_model import LogisticRegression

    names = sorted({n for ex in examples for f in ex.features for n in f})
    column = {n: k for k, n in enumerate(names)}
    rows: list[list[float]] = []
    ys: list[int] = []
    for ex in examples:
        for f, label in zip(ex.features, ex.labels, strict=True):
            row = [0.0] * len(names)
            for n, v in f.items():
                row[column[n]] = v
            rows.append(row)
            ys.append(int(label))
    if len(set(ys)) < 2:
        raise ConfigError(
            "the gold data gave candidates of one label only; train on more documents"
        )
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, random_state=0)
    model.fit(rows, ys)
    weights = [round(float(w), 6) for w in model.coef_[0]]
    intercept = round(float(model.intercept_[0]), 6)
    probs: list[list[float]] = []
    at = 0
    scored = model.predict_proba(rows)[:, 1]
    for ex in examples:
        probs.append([float(p) for p in scored[at : at + len(ex.labels)]])
        at += len(ex.labels)
    best = _threshold(examples, probs)
    return {
        "model": model_id,
        "features": names,
        "weights": weights,
        "intercept": intercept,
        "threshold": threshold if threshold is not None else best,
        "training": {
            "threshold_most_right": best,
            "pronouns": len(examples),
            "pairs": len(ys),
            "positive_pairs": sum(ys),
            "anaphoric_pronouns": sum(any(ex.labels) for ex in examples),
            "C": c,
        },
    }


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m kg.coref.train_ranker", description=__doc__.splitlines()[0]
    )
    p.add_argument("gold", type=Path, help="gold coreference file or folder")
    p.add_argument("--out", type=Path, required=True, help="weights file to write")
    p.add_argument(
        "--kind",
        choices=("pronoun", "description"),
        default="pronoun",
        help="which ranker to train (default: pronoun)",
    )
    p.add_argument(
        "--exclude",
        type=Path,
        default=None,
        help="file of document ids, one a line, to leave out of training",
    )
    p.add_argument("--limit", type=int, default=None, help="first N documents only")
    p.add_argument("--model", default=None, help="spaCy model (default: kg's)")
    p.add_argument(
        "--c",
        type=float,
        default=None,
        help=f"inverse regularisation (default {C} for pronouns, {DESCRIPTION_C} "
        "for descriptions)",
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=THRESHOLD,
        help="link threshold (default 0.5; a negative value: the one at which "
        "most training mentions come out right)",
    )
    p.add_argument(
        "--veto",
        type=float,
        default=0.0,
        help="description ranker: a rule sieve's pick scored below this is not "
        "linked (default 0: the rules decide)",
    )
    return p


def _excluded(path: Path | None) -> frozenset[str]:
    """Read the ids of the documents to leave out (one a line)."""
    if path is None:
        return frozenset()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read the excluded documents' ids from {str(path)!r} ({exc})"
        ) from exc
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def train(
    gold_path: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    c: float = C,
    threshold: float | None = THRESHOLD,
    kind: str = "pronoun",
    exclude: frozenset[str] = frozenset(),
    veto: float = 0.0,
) -> dict[str, Any]:
    """Parse the gold texts, collect the mentions' candidates and fit the model."""
    from kg.nlp import load_pipeline

    gold_docs = [g for g in read_coref_gold(gold_path) if g.id not in exclude][:limit]
    nlp = load_pipeline(model)
    docs = nlp.pipe(g.text for g in gold_docs)
    examples = collect_examples(gold_docs, docs, kind=kind)
    if not examples:
        raise ConfigError(f"{str(gold_path)!r} gave no {kind} with a candidate")
    model_id = DESCRIPTION_RANKER if kind == "description" else PRONOUN_RANKER
    data = fit(examples, c=c, threshold=threshold, model_id=model_id)
    t = data["training"]
    if kind == "description":
        data["veto"] = veto
        t["descriptions"] = t.pop("pronouns")
        t["anaphoric_descriptions"] = t.pop("anaphoric_pronouns")
    t["gold"] = gold_path.name
    t["documents"] = len(gold_docs)
    t["excluded_documents"] = len(exclude)
    return data


def main(argv: Sequence[str] | None = None) -> int:
    """Train and write the weights file; ``kg: error: ...`` on bad input."""
    args = _parser().parse_args(argv)
    try:
        threshold = None if args.threshold < 0 else args.threshold
        data = train(
            args.gold,
            limit=args.limit,
            model=args.model,
            c=args.c
            if args.c is not None
            else DESCRIPTION_C
            if args.kind == "description"
            else C,
            threshold=threshold,
            kind=args.kind,
            exclude=_excluded(args.exclude),
            veto=args.veto,
        )
    except KGError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    t = data["training"]
    print(
        f"{t.get('pronouns', t.get('descriptions'))} {args.kind}s, {t['pairs']} "
        f"pairs, {len(data['features'])} features, threshold {data['threshold']}: "
        f"wrote {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
