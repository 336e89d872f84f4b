"""Break down kg's ECB+ cross-document errors on the TRAIN topics (an inspect set).

Never run this on the dev topics: they are measure-only (read only the
aggregate of ``eval_all.py --only xdoc-dev``). The script refuses a gold file
whose name has ``dev``.

It runs the pipeline in memory (parse, per-document extraction, then
``kg.link.link_documents``, the corpus step of the build), scores it as
``kg eval xdoc`` does (named chains, view G, head match) and counts:

* gold mentions of named chains never found, by kind (proper name,
  description, pronoun) and cause: no kg mention with that head at all, a
  kg mention candidate (mention pass) with that head that no written entity
  keeps, a written mention whose head differs, found but on an unnamed
  node, found on a named node;
* cross-document pairs missed (two documents of one topic, one chain, two
  aligned mentions on different nodes), by cause: a side on an unnamed
  node, no shared block key, class conflict, other conflict, no name rule,
  score below threshold, judged a match but kept apart by clustering;
* wrong cross-document merges, by the link rule that joined the nodes.

Usage: ``PYTHONPATH=$PWD python benchmarks/xdoc_errors.py [--examples N]
[--topics N] [--out FILE.json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Hashable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "eval" / "ecbplus" / "ecb_train_gold.json"
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$", "WDT"})


def _kind(g: dict[str, Any]) -> str:
    if g["proper"]:
        return "name"
    if g["head_tag"] in _PRONOUN_TAGS:
        return "pronoun"
    return "description"


def _print_causes(
    title: str, counts: Counter[str], examples: dict[str, Counter[str]], shown: int
) -> None:
    """Print pair counts by cause, each with its most frequent examples."""
    print(f"\n{title}:")
    for cause, n in counts.most_common():
        print(f"  {cause:50} {n}")
        for ex, k in examples[cause].most_common(shown):
            print(f"      {k:4}  {ex}")


def main() -> int:  # noqa: C901, PLR0912, PLR0915
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=TRAIN)
    ap.add_argument("--topics", type=int, default=None)
    ap.add_argument("--examples", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    if "dev" in args.gold.name:
        print("refusing a dev gold file: the dev topics are measure-only")
        return 2

    from kg.build import extract_document
    from kg.eval.xdoc import _align, _with_head, read_ecb_gold, score_xdoc, span_head
    from kg.link import link_documents, summarize_document
    from kg.link.cluster import THRESHOLD
    from kg.link.rules import PAIR_CONFLICT_RULES, conflicts, judge, name_evidence
    from kg.mentions import extract_mentions
    from kg.nlp import load_pipeline

    raw = json.loads(args.gold.read_text())
    gold = read_ecb_gold(args.gold).limited(args.topics)
    ginfo = {
        (m["doc_id"], m["start"], m["end"]): (e, m)
        for e in raw["entities"]
        for m in e["mentions"]
    }
    nlp = load_pipeline(None)
    system = []
    node_info: dict[Hashable, dict[str, Any]] = {}
    cand_heads: dict[str, set[int]] = defaultdict(set)
    all_heads: dict[str, dict[int, Hashable]] = defaultdict(dict)
    summaries: dict[tuple[str, str], Any] = {}  # (doc, local key) -> summary
    local_of: dict[tuple[str, int, int], str] = {}  # mention span -> local key
    name_spans: set[tuple[str, int, int]] = set()
    for topic in gold.topics:
        texts = [(d, t) for d, (tp, t) in gold.documents.items() if tp == topic]
        docs = dict(
            zip([d for d, _ in texts], nlp.pipe(t for _, t in texts), strict=True)
        )
        extracted = []
        for doc_id, doc in docs.items():
            for m in extract_mentions(doc):
                span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
                if span is not None and len(span):
                    cand_heads[doc_id].add(span_head(span).idx)
            d = extract_document(doc, doc_id=doc_id)
            extracted.append(d)
            for s in summarize_document(d):
                summaries[(doc_id, s.key)] = s
            for e in d.entities:
                for m in e.mentions:
                    local_of[(doc_id, m.start_char, m.end_char)] = e.key
        linked = link_documents(extracted)
        for d in linked:
            doc = docs[d.doc_id]
            spans: dict[tuple[int, int], Any] = {}
            for e in d.entities:
                for m in e.mentions:
                    sp = (m.start_char, m.end_char)
                    if sp not in spans or e.key < spans[sp].key:
                        spans[sp] = e
            kinds = {
                (m.start_char, m.end_char): m.kind
                for e in d.entities
                for m in e.mentions
            }
            for (a, b), e in spans.items():
                cluster = (topic, e.key)
                sm = _with_head(doc, d.doc_id, a, b, cluster)
                system.append(sm)
                if kinds[(a, b)] == "name":
                    name_spans.add((d.doc_id, a, b))
                all_heads[d.doc_id][sm.head_start] = cluster
                info = node_info.setdefault(
                    cluster, {"named_in": set(), "label": e.label, "name": e.name}
                )
                if e.named:
                    info["named_in"].add(d.doc_id)
        print(f"topic {topic}: {len(texts)} docs", file=sys.stderr)

    figures = score_xdoc(gold, system)
    f = figures["named"]["G"]
    print(
        f"named view G: mention recall {f.mention_recall:.3f}"
        f" CoNLL {100 * f.conll_f1:.2f}"
        f" pairs P/R/F1 {f.cross_doc.prf.precision:.3f}/{f.cross_doc.prf.recall:.3f}"
        f"/{f.cross_doc.prf.f1:.3f}"
    )
    alignment = _align(gold.mentions, system, "head")
    sys_of = {gid: system[i] for i, gid in alignment.items()}
    named = [g for g in gold.mentions if g.named_chain]

    # --- mentions -------------------------------------------------------------
    causes: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for g in named:
        e, m = ginfo[g.id]
        kind = _kind(m)
        s = sys_of.get(g.id)
        if s is not None:
            info = node_info[s.cluster]
            cause = (
                "on named node" if g.doc_id in info["named_in"] else "on unnamed node"
            )
        elif g.head_start in all_heads[g.doc_id]:
            cause = "head taken by another gold mention"
        elif any(
            x.doc_id == g.doc_id and x.start < g.end and g.start < x.end for x in system
        ):
            cause = "written mention, other head"
        elif g.head_start in cand_heads[g.doc_id]:
            cause = "candidate not written"
        else:
            cause = "no kg mention"
        causes[(kind, cause)] += 1
        if len(examples[(kind, cause)]) < args.examples:
            examples[(kind, cause)].append(f"{g.doc_id} {m['text']!r} [{e['type']}]")
    print("\ngold mentions of named chains by kind and cause:")
    for (kind, cause), n in sorted(causes.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:12} {cause:36} {n}")
        for x in examples[(kind, cause)]:
            print(f"      {x}")

    # --- cross-document pairs ---------------------------------------------------
    by_chain: dict[str, list[Any]] = defaultdict(list)
    for g in named:
        if g.id in sys_of:
            by_chain[g.chain].append(g)
    missed: Counter[str] = Counter()
    missed_ex: dict[str, Counter[str]] = defaultdict(Counter)

    def summary_of(gid: tuple[str, int, int]) -> Any:
        s = sys_of[gid]
        key = local_of.get((s.doc_id, s.start, s.end))
        return None if key is None else summaries.get((s.doc_id, key))

    node_chains: dict[Hashable, Counter[str]] = defaultdict(Counter)
    for g in gold.mentions:
        s = sys_of.get(g.id)
        if s is not None and (s.doc_id, s.start, s.end) in name_spans:
            node_chains[(s.cluster, g.doc_id)][g.chain] += 1
    all_chains: dict[str, list[Any]] = defaultdict(list)
    for g in named:
        all_chains[g.chain].append(g)
    total = lost = 0
    for ms in all_chains.values():
        for i, a in enumerate(ms):
            for b in ms[i + 1 :]:
                if a.doc_id != b.doc_id:
                    total += 1
                    lost += a.id not in sys_of or b.id not in sys_of
    print(f"\ngold cross-doc pairs {total}; with an unfound mention {lost}")

    def owner(g: Any) -> str:
        found = node_chains[(sys_of[g.id].cluster, g.doc_id)]
        return g.chain if found[g.chain] or not found else found.most_common(1)[0][0]

    for chain, ms in by_chain.items():
        for i, a in enumerate(ms):
            for b in ms[i + 1 :]:
                if a.doc_id == b.doc_id:
                    continue
                ca, cb = sys_of[a.id].cluster, sys_of[b.id].cluster
                if ca == cb:
                    continue
                sa, sb = summary_of(a.id), summary_of(b.id)
                if owner(a) != chain or owner(b) != chain:
                    cause = "in-doc: on a node of another chain"
                    ex = f"{ginfo[a.id][1]['text']} | {ginfo[b.id][1]['text']}"
                    ex += f" ({sa.name if sa else '-'} | {sb.name if sb else '-'})"
                elif sa is None or sb is None:
                    both = "both" if sa is None and sb is None else "one"
                    cause = f"unnamed node ({both} side)"
                    ex = f"{ginfo[a.id][1]['text']} | {ginfo[b.id][1]['text']}"
                elif not set(sa.keys) & set(sb.keys):
                    cause = "no shared block key"
                    ex = f"{sa.name} [{sa.label}] | {sb.name} [{sb.label}]"
                else:
                    ex = f"{sa.name} [{sa.label}] | {sb.name} [{sb.label}]"
                    c = conflicts(sa, sb, rules=PAIR_CONFLICT_RULES)
                    if c is not None:
                        cause = f"conflict {c}"
                    elif name_evidence(sa, sb) is None:
                        cause = "no name rule"
                    else:
                        j = judge(sa, sb)
                        if j is None or j.score < THRESHOLD:
                            cause = f"below threshold ({name_evidence(sa, sb).rule})"
                        else:
                            cause = "matched, kept apart by clustering"
                missed[cause] += 1
                missed_ex[cause][ex] += 1
    _print_causes(
        "cross-document pairs missed (named chains, aligned mentions) by cause",
        missed,
        missed_ex,
        args.examples,
    )

    # --- wrong merges ----------------------------------------------------------------
    wrong: Counter[str] = Counter()
    wrong_ex: dict[str, Counter[str]] = defaultdict(Counter)
    by_cluster: dict[Hashable, list[Any]] = defaultdict(list)
    for g in named:
        if g.id in sys_of:
            by_cluster[sys_of[g.id].cluster].append(g)
    for ms in by_cluster.values():
        for i, a in enumerate(ms):
            for b in ms[i + 1 :]:
                if a.doc_id == b.doc_id or a.chain == b.chain:
                    continue
                sa, sb = summary_of(a.id), summary_of(b.id)
                ex = f"{ginfo[a.id][1]['text']} | {ginfo[b.id][1]['text']}"
                if sa is not None and sb is not None:
                    rule = name_evidence(sa, sb)
                    why = rule.rule if rule else "via other members"
                else:
                    why = "unnamed side"
                wrong[why] += 1
                wrong_ex[why][ex] += 1
    _print_causes(
        "wrong cross-document pairs (named chains) by name rule",
        wrong,
        wrong_ex,
        args.examples,
    )
    if args.out is not None:
        args.out.write_text(
            json.dumps(
                {
                    "conll": f.conll_f1,
                    "pairs": f.cross_doc.prf.to_dict(),
                    "mention_recall": f.mention_recall,
                    "mentions": {f"{k}/{c}": n for (k, c), n in causes.items()},
                    "missed_pairs": dict(missed),
                    "wrong_pairs": dict(wrong),
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
