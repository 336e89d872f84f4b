"""Break down kg's Re-DocRED dev errors (an inspect set) from a ``--system-out`` dump.

Run ``kg eval redocred GOLD --system-out OUT.jsonl`` first; this script reads
the dump back (no rebuild), re-scores it with the scorer's own matching, and
prints:

* typed edges by kg property and by rule: ok (a gold fact), wrong property
  (the pair is a gold pair under another Wikidata id), no gold pair (both
  ends are gold entities), an end on no gold entity;
* the gold relations the wrong-property edges hit;
* entity clustering errors: merges (one node, several gold entities) and
  splits (one gold entity, several nodes), weighted by pairs of mentions;
* with ``--examples N``, N examples of each group.

Usage: ``PYTHONPATH=$PWD python benchmarks/redocred_errors.py OUT.jsonl
[--gold GOLD] [--examples N] [--property P] [--rule R]``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Hashable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "eval" / "redocred" / "dev_revised.json"


def _pairs_across(counts: Counter[Any]) -> int:
    """Return the ordered pairs of items that fall in different groups of ``counts``."""
    total = sum(counts.values())
    return total * total - sum(a * a for a in counts.values())


def _documents(path: Path) -> list[Any]:
    from kg.types import Document, Entity, Mention, Provenance, Triple, Value

    out = []
    for line in path.read_text("utf-8").splitlines():
        d = json.loads(line)
        ents = tuple(
            Entity(
                e["key"],
                e["label"],
                e["name"],
                tuple(
                    Mention(m[2], "X", m[0], m[1], 0, kind=m[3]) for m in e["mentions"]
                ),
            )
            for e in d["entities"]
        )
        vals = tuple(
            Value(
                v["key"],
                v["datatype"],
                v["lexical"],
                "date"
                if "g" in v["datatype"][:2] or "date" in v["datatype"]
                else "number",
                tuple(
                    Mention(m[2], "X", m[0], m[1], 0, kind="value")
                    for m in v["mentions"]
                ),
            )
            for v in d["values"]
        )
        prov = Provenance(d["doc_id"], 0, 0, 0, "")
        triples = tuple(
            Triple(
                t["subject"],
                t["predicate"],
                t["object"],
                Provenance(d["doc_id"], t["sentence"], 0, 0, ""),
                t["confidence"],
                t.get("rule", ""),
                t.get("lemma", ""),
            )
            for t in d["triples"]
            if t["plain"]
        )
        del prov
        out.append(
            Document(d["doc_id"], d["doc_id"], "0" * 64, (), ents, triples, vals)
        )
    return out


def main() -> int:  # noqa: C901, PLR0912, PLR0915
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump", type=Path)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--examples", type=int, default=0)
    ap.add_argument("--property", default=None)
    ap.add_argument("--rule", default=None)
    ap.add_argument("--clusters", action="store_true")
    ap.add_argument("--ok", action="store_true", help="print right edges too")
    args = ap.parse_args()

    from kg.eval.facts import wikidata_forms
    from kg.eval.matching import gold_of_entities, mention_and_value_index
    from kg.eval.redocred import (
        _redocred_symmetric,
        detokenize,
        read_redocred,
        score_redocred,
    )

    gold_docs = read_redocred(args.gold)
    docs = _documents(args.dump)
    gold_docs = gold_docs[: len(docs)]
    spans, texts = [], []
    for g in gold_docs:
        text, tok = detokenize(g["sents"])
        texts.append(text)
        spans.append(tok)
    scores = score_redocred(gold_docs, docs, spans)
    f = scores.facts
    print(
        f"typed P/R/F1 {f.typed.precision:.4f} / {f.typed.recall:.4f} / "
        f"{f.typed.f1:.4f}; "
        f"type-blind {f.untyped.precision:.4f} / {f.untyped.recall:.4f} / "
        f"{f.untyped.f1:.4f}; entity B3 "
        f"{scores.entity_clusters.b3.f1 if scores.entity_clusters else 0:.4f}"
    )
    symmetric = _redocred_symmetric()
    by_prop: dict[str, Counter[str]] = defaultdict(Counter)
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    wrong_gold: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    merge_ex: list[tuple[int, str]] = []
    split_ex: list[tuple[int, str]] = []
    for n, (g, doc, tok, text) in enumerate(
        zip(gold_docs, docs, spans, texts, strict=True)
    ):
        gold_mentions: list[tuple[int, int, Hashable]] = []
        ent_spans: list[list[tuple[int, int]]] = []
        for e_idx, vertex in enumerate(g["vertexSet"]):
            ms = []
            for m in vertex:
                sent = tok[m["sent_id"]]
                s, e = sent[m["pos"][0]][0], sent[m["pos"][1] - 1][1]
                gold_mentions.append((s, e, e_idx))
                ms.append((s, e))
            ent_spans.append(ms)
        gmap = gold_of_entities(doc, gold_mentions, values=True)
        names = {e.key: e.name for e in doc.entities}
        names.update({v.key: v.lexical for v in doc.values})
        labels = {e.key: e.label for e in doc.entities}
        gfacts = {(lab["h"], lab["r"], lab["t"]) for lab in g.get("labels", [])}
        pairs: dict[tuple[Hashable, Hashable], set[str]] = defaultdict(set)
        for h, r, t in gfacts:
            pairs[(h, t)].add(r)
            pairs[(t, h)].add(r + "^")
        seen = set()
        for t in doc.triples:
            key = (t.subject, t.predicate, t.object)
            if key in seen or t.subject == t.object:
                continue
            seen.add(key)
            forms = wikidata_forms(t.predicate)
            if not forms:
                continue
            ss, os_ = gmap.get(t.subject, frozenset()), gmap.get(t.object, frozenset())
            if not ss or not os_:
                cls = "no-entity"
            else:
                ok = any(
                    ((o, r, s) if rev else (s, r, o)) in gfacts
                    or (r in symmetric and ((s, r, o) if rev else (o, r, s)) in gfacts)
                    for s in ss
                    for o in os_
                    for r, rev in forms
                )
                gp = set().union(*(pairs.get((s, o), set()) for s in ss for o in os_))
                if ok:
                    cls = "ok"
                elif gp:
                    cls = "wrong-prop"
                    for r in gp:
                        wrong_gold[(t.predicate, r)] += 1
                else:
                    cls = "no-pair"
            by_prop[t.predicate][cls] += 1
            by_prop["ALL"][cls] += 1
            by_rule[t.rule][cls] += 1
            if (args.property in (None, t.predicate)) and (args.rule in (None, t.rule)):
                sent = (
                    g["sents"][t.provenance.sent_index]
                    if t.provenance.sent_index < len(g["sents"])
                    else []
                )
                vs = g["vertexSet"]

                def gnames(ids: frozenset[Hashable], vs: Any = vs) -> str:
                    return "/".join(
                        vs[i][0]["name"] + ":" + vs[i][0]["type"]
                        for i in ids
                        if isinstance(i, int)
                    )

                ex = (
                    f"[{n}] {names.get(t.subject)}({labels.get(t.subject, 'V')}) "
                    f"-{t.predicate}-> {names.get(t.object)}"
                    f"({labels.get(t.object, 'V')})"
                    f" rule={t.rule} lemma={t.lemma} gold={gnames(ss)}|{gnames(os_)}"
                )
                if cls == "wrong-prop":
                    ex += " goldrel=" + ",".join(
                        sorted(
                            set().union(
                                *(pairs.get((s, o), set()) for s in ss for o in os_)
                            )
                        )
                    )
                ex += " :: " + " ".join(sent)[:300]
                examples[(t.predicate, cls)].append(ex)
        if args.clusters:
            index = mention_and_value_index(doc)
            node_of: dict[tuple[int, int], Any] = {}
            for e_idx, ms in enumerate(ent_spans):
                if g["vertexSet"][e_idx][0]["type"] in ("TIME", "NUM"):
                    continue
                for s, e in ms:
                    node = index.best(s, e)
                    if node is not None:
                        node_of[(s, e)] = (node, e_idx)
            by_node: dict[Any, list[tuple[int, tuple[int, int]]]] = defaultdict(list)
            by_gold: dict[int, list[tuple[Any, tuple[int, int]]]] = defaultdict(list)
            for sp, (node, e_idx) in node_of.items():
                by_node[node].append((e_idx, sp))
                by_gold[e_idx].append((node, sp))
            for node, items in by_node.items():
                c = Counter(e for e, _ in items)
                if len(c) > 1:
                    w = _pairs_across(c)
                    desc = "; ".join(
                        f"{g['vertexSet'][e][0]['name']}:{g['vertexSet'][e][0]['type']}"
                        f"={[text[s:t] for ee, (s, t) in items if ee == e]}"
                        for e in c
                    )
                    nm = doc.entities[node].name if isinstance(node, int) else node
                    merge_ex.append((w, f"[{n}] node {nm!r}: {desc}"))
            for e_idx, items in by_gold.items():
                c = Counter(nd for nd, _ in items)
                if len(c) > 1:
                    w = _pairs_across(c)
                    desc = "; ".join(
                        f"{doc.entities[nd].name if isinstance(nd, int) else nd!r}"
                        f"={[text[s:t] for x, (s, t) in items if x == nd]}"
                        for nd in c
                    )
                    split_ex.append(
                        (
                            w,
                            f"[{n}] {g['vertexSet'][e_idx][0]['name']}:"
                            f"{g['vertexSet'][e_idx][0]['type']}: {desc}",
                        )
                    )
    cols = ("ok", "wrong-prop", "no-pair", "no-entity")
    for title, table in (("property", by_prop), ("rule", by_rule)):
        print(f"\n{title:40} " + " ".join(f"{c:>10}" for c in cols) + "       P")
        for k, c in sorted(table.items(), key=lambda kv: -sum(kv[1].values()))[:45]:
            tot = sum(c.values())
            print(
                f"{k[:40]:40} "
                + " ".join(f"{c[x]:>10}" for x in cols)
                + f" {c['ok'] / tot:7.2f}"
            )
    print("\nwrong-property edges: (kg property, gold relation) ")
    for (p, r), k in wrong_gold.most_common(30):
        print(f"  {p:20} {r:8} {k}")
    if args.examples:
        for (p, cls), exs in sorted(examples.items()):
            if cls == "ok" and not args.ok:
                continue
            print(f"\n== {p} {cls} ({len(exs)})")
            for e in exs[: args.examples]:
                print("  ", e)
    if args.clusters:
        print(f"\nmerges: weight {sum(w for w, _ in merge_ex)}")
        for w, e in sorted(merge_ex, key=lambda x: -x[0])[: max(args.examples, 40)]:
            print(f"  {w:4} {e}")
        print(f"\nsplits: weight {sum(w for w, _ in split_ex)}")
        for w, e in sorted(split_ex, key=lambda x: -x[0])[: max(args.examples, 40)]:
            print(f"  {w:4} {e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
