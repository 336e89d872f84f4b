"""Held-out precision of definite-description links: rule sieves vs the ranker.

``python benchmarks/description_ranker.py [GOLD] [--folds 5] [--c 0.3]``

On an inspect set (default ``../shared/eval/gum/gum-dev.json``), every
singular definite description that reaches the description sieves is
collected with its candidate named clusters (as ``python -m
kg.coref.train_ranker --kind description`` does). The ranker is trained on
all folds but one (by document) and scores the held-out fold. Printed: how
many of these descriptions the rule sieves would link to a named cluster and
how many of those links are right (the description's gold entity is the
cluster's), and the same for the ranker at each threshold. A link of a
description whose gold entity is unnamed is wrong here, though the B³ of
``kg eval coref`` (named entities' mentions only) does not see it.

Only aggregate counts are printed. Run it on inspect sets only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.coref.ranker import RankerModel  # noqa: E402
from kg.coref.train_ranker import DESCRIPTION_C, Example, collect_examples, fit  # noqa: E402
from kg.eval.coref import read_coref_gold  # noqa: E402
from kg.nlp import load_pipeline  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "gum" / "gum-dev.json"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
RULE_KEYS = ("rule_description", "rule_head_noun")


def _rule_pick(ex: Example) -> int | None:
    for key in RULE_KEYS:
        for k, f in enumerate(ex.features):
            if f.get(key):
                return k
    return None


def held_out_scores(
    examples: list[Example], folds: int, c: float
) -> dict[tuple[str, int], list[float]]:
    """Score each example with a model trained on the other folds."""
    ids = sorted({ex.doc_id for ex in examples})
    fold = {d: k % folds for k, d in enumerate(ids)}
    out: dict[tuple[str, int], list[float]] = {}
    for f in range(folds):
        data = fit([ex for ex in examples if fold[ex.doc_id] != f], c=c)
        model = RankerModel(
            dict(zip(data["features"], data["weights"], strict=True)),
            data["intercept"],
            0.5,
        )
        for ex in examples:
            if fold[ex.doc_id] == f:
                out[(ex.doc_id, ex.pronoun)] = [model.score(x) for x in ex.features]
    return out


def main() -> int:
    """Collect, cross-validate, print the counts as JSON."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--c", type=float, default=DESCRIPTION_C)
    args = p.parse_args()
    gold = read_coref_gold(args.gold)
    nlp = load_pipeline(None)
    examples = collect_examples(
        gold, nlp.pipe(g.text for g in gold), kind="description"
    )
    probs = held_out_scores(examples, args.folds, args.c)
    rules = [0, 0, 0]
    for ex in examples:
        k = _rule_pick(ex)
        if k is not None:
            rules[0] += 1
            rules[1] += int(ex.labels[k])
            # wrong, and no candidate is right: the description's entity is
            # unnamed (or not among the candidates)
            rules[2] += int(not any(ex.labels))
    ranker = {}
    for t in THRESHOLDS:
        linked = right = 0
        for ex in examples:
            ps = probs[(ex.doc_id, ex.pronoun)]
            k = max(range(len(ps)), key=lambda i: ps[i])
            if ps[k] >= t:
                linked += 1
                right += int(ex.labels[k])
        ranker[str(t)] = {"linked": linked, "right": right}
    report = {
        "gold": args.gold.name,
        "documents": len(gold),
        "descriptions": len(examples),
        "with a gold named antecedent among the candidates": sum(
            any(ex.labels) for ex in examples
        ),
        "rules": {
            "linked": rules[0],
            "right": rules[1],
            "wrong, no candidate right": rules[2],
        },
        "ranker (held out, by threshold)": ranker,
        "folds": args.folds,
        "C": args.c,
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
