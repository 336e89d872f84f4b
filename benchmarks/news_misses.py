"""Why the default graph misses a news gold fact: a breakdown by cause.

Builds the annotated articles of a news gold folder as one corpus (as
``kg eval news`` does) and sorts every asserted gold fact that no default
edge states into the first cause that applies:

* ``no node``: no node stands for the gold entity at one end (split by
  whether that entity is named or only described, and whether its evidence
  mention was found at all or sits on a node standing for another entity);
* ``held``: a statement links the two ends but is not asserted (negated,
  reported, hedged, asked) or not drawn;
* ``relatedTo only``: only a generic edge links them;
* ``other property``: an edge of another property links them;
* ``class blocks``: no statement, and the gold property's domain or range
  rules out a node's class;
* ``no trigger``: no statement, and no word of the evidence span triggers the
  gold property;
* ``trigger not read``: a trigger word is there but no rule read the shape.

Inspect sets only (the news dev gold is built from ECB+ train topics).

Usage: ``PYTHONPATH=$PWD python benchmarks/news_misses.py [GOLD] [--extractor X]
[--show CAUSE]``
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Hashable
from pathlib import Path

from kg.eval.matching import gold_of_entities
from kg.eval.news import NewsFact, NewsGold, _edge, matches, read_news_gold
from kg.eval.product import BuiltDocument
from kg.eval.systems import run_system
from kg.ontology import load_ontology

ROOT = Path(__file__).resolve().parent.parent


def _triggers(prop: str) -> set[str]:
    info = load_ontology().properties[prop]
    words: set[str] = set()
    for group in (
        info.verb_triggers,
        info.noun_triggers,
        info.prep_triggers,
        info.modifier_triggers,
    ):
        for trigger in group:
            words.update(trigger.lower().split())
    if info.inverse:
        inv = load_ontology().properties.get(info.inverse)
        if inv is not None:
            for group in (inv.verb_triggers, inv.noun_triggers, inv.prep_triggers):
                for trigger in group:
                    words.update(trigger.lower().split())
    return words


def _class_ok(cls: str, wanted: str) -> bool:
    onto = load_ontology()
    return cls == "Thing" or onto.is_a(cls, wanted) or onto.is_a(wanted, cls)


def classify(
    fact: NewsFact, gold: NewsGold, built: BuiltDocument, nlp: object
) -> tuple[str, str]:
    """Return ``(cause, detail)`` for one missed asserted fact."""
    document = built.document
    gold_mentions = [(m[0], m[1], e.id) for e in gold.entities for m in e.mentions]
    gold_of = gold_of_entities(document, gold_mentions)
    ents = {e.id: e for e in gold.entities}
    nodes: dict[str, list[str]] = {}
    for end in (fact.subject, fact.object):
        nodes[end] = [k for k, g in gold_of.items() if end in g]
    for end in (fact.subject, fact.object):
        if not nodes[end]:
            e = ents[end]
            spans = [(m[0], m[1]) for m in e.mentions]
            found_on = {
                ent.key
                for ent in document.entities
                for m in ent.mentions
                if any(m.start_char < b and a < m.end_char for a, b in spans)
            }
            kind = "named" if e.named else "described"
            where = "found on another node" if found_on else "mention not found"
            return f"no node ({kind}; {where})", f"{e.name!r}"
    s_nodes, o_nodes = set(nodes[fact.subject]), set(nodes[fact.object])
    between = [
        (t, drawn)
        for t, drawn in zip(document.triples, built.plain, strict=True)
        if {t.subject, t.object} & s_nodes and {t.subject, t.object} & o_nodes
    ]
    if between:
        held = [t for t, drawn in between if t.modality != "asserted" or not drawn]
        if held:
            return "held (modality / not drawn)", ", ".join(
                f"{t.predicate}[{t.modality}]" for t in held
            )
        preds = sorted({t.predicate for t, _ in between})
        labels = {e.key: e.label for e in document.entities}
        classes = (
            f"{[labels.get(k) for k in s_nodes]} / {[labels.get(k) for k in o_nodes]}"
        )
        if preds == ["relatedTo"]:
            return "relatedTo only", ", ".join(
                t.lemma for t, _ in between
            ) + " " + classes
        return "other property", ", ".join(preds) + " " + classes
    labels = {e.key: e.label for e in document.entities}
    info = load_ontology().properties[fact.property]
    s_cls = {labels.get(k, "Thing") for k in s_nodes}
    o_cls = {labels.get(k, "Thing") for k in o_nodes}
    if not any(_class_ok(c, info.domain) for c in s_cls) or not any(
        _class_ok(c, info.range) for c in o_cls
    ):
        return (
            "class blocks",
            f"{sorted(s_cls)} {info.domain} / {sorted(o_cls)} {info.range}",
        )
    span = gold.text[fact.evidence[0] : fact.evidence[1]]
    doc = nlp(span)  # type: ignore[operator]
    words = {t.lemma_.lower() for t in doc} | {t.lower_ for t in doc}
    if not words & _triggers(fact.property):
        return "no trigger", ""
    return "trigger not read", ", ".join(sorted(words & _triggers(fact.property)))


def _print_edges(
    gold: NewsGold, built: BuiltDocument, gold_of: dict[str, frozenset[Hashable]]
) -> None:
    """Print each default typed edge of one article, right (+) or wrong (-)."""
    names = {e.key: e.name for e in built.document.entities}
    asserted = [f for f in gold.facts if f.modality == "asserted"]
    for t, drawn in zip(built.document.triples, built.plain, strict=True):
        if not drawn or t.modality != "asserted" or t.predicate == "relatedTo":
            continue
        ok = any(matches(_edge(t, gold_of, frozenset()), f) for f in asserted)
        print(
            f"{'+' if ok else '-'} {Path(gold.path).stem} "
            f"{names.get(t.subject, t.subject)!r} {t.predicate} "
            f"{names.get(t.object, t.object)!r} [{t.rule}] "
            f":: {t.provenance.sentence[:140]!r}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("gold", nargs="?", default=ROOT / "benchmarks/gold/news-dev")
    parser.add_argument("--extractor", default="kg.clauses.v3")
    parser.add_argument("--show", action="append", default=[])
    parser.add_argument(
        "--edges",
        action="store_true",
        help="list every default typed edge, right (+) or wrong (-), with its rule",
    )
    args = parser.parse_args(argv)
    golds = read_news_gold(Path(args.gold))
    built = run_system(
        [(Path(g.path).stem, g.text) for g in golds], system=args.extractor
    )
    from kg.nlp import load_pipeline

    nlp = load_pipeline(None)
    causes: Counter[str] = Counter()
    total = missed = 0
    for gold, b in zip(golds, built, strict=True):
        gold_mentions = [(m[0], m[1], e.id) for e in gold.entities for m in e.mentions]
        gold_of: dict[str, frozenset[Hashable]] = gold_of_entities(
            b.document, gold_mentions
        )
        edges = [
            _edge(t, gold_of, frozenset())
            for t, drawn in zip(b.document.triples, b.plain, strict=True)
            if drawn and t.modality == "asserted" and t.predicate != "relatedTo"
        ]
        if args.edges:
            _print_edges(gold, b, gold_of)
        for fact in gold.facts:
            if fact.modality != "asserted":
                continue
            total += 1
            if any(matches(e, fact) for e in edges):
                continue
            missed += 1
            cause, detail = classify(fact, gold, b, nlp)
            causes[cause] += 1
            if any(cause.startswith(s) for s in args.show) or "all" in args.show:
                quote = gold.text[fact.evidence[0] : fact.evidence[1]].replace(
                    "\n", " "
                )
                print(
                    f"[{cause}] {Path(gold.path).stem} {fact.subject} "
                    f"{fact.property} {fact.object} :: {quote[:150]!r} :: {detail}"
                )
    print(f"asserted gold facts {total}, missed {missed}")
    for cause, n in causes.most_common():
        print(f"{n:5d}  {cause}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
