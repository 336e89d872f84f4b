"""Is a port of Python rules to relation patterns a pure refactoring? Compare graphs.

``dump`` parses the inspect texts (the news dev articles, the sample article,
Re-DocRED dev documents, GUM dev documents and CaRB dev in blocks of ten
sentences) and writes, per extractor, every entity and every triple kg
extracts from each (``kg.build.extract_document``: relations, dates, classes)
as JSON lines. ``compare`` reads two dumps and reports every difference but
the rule ids, and how the rule ids moved (``kg.clauses.vN:`` prefixes are
compared without their version, so a renamed default compares equal).

Inspect sets only. Usage::

    PYTHONPATH=$PWD python benchmarks/pattern_equivalence.py dump OUT.jsonl \
        --extractors kg.clauses.v2 kg.clauses.v2+described
    python benchmarks/pattern_equivalence.py compare BEFORE.jsonl AFTER.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def _texts(redocred: int, carb_blocks: int) -> Iterator[tuple[str, str]]:
    """Yield (id, text) of the inspect texts."""
    from kg.eval.redocred import detokenize

    gold = ROOT / "benchmarks" / "gold" / "news-dev"
    for path in sorted(gold.glob("*.json")):
        source = json.loads(path.read_text(encoding="utf-8"))["source"]
        yield f"news/{path.stem}", (gold / source).resolve().read_text(encoding="utf-8")
    sample = ROOT / "seeds" / "tiger-king-pardon.txt"
    yield "sample", sample.read_text(encoding="utf-8")
    docs = json.loads((EVAL / "redocred" / "dev_revised.json").read_text())
    for i, doc in enumerate(docs[:redocred]):
        yield f"redocred/{i}", detokenize(doc["sents"])[0]
    for doc in json.loads((EVAL / "gum" / "gum-dev.json").read_text()):
        yield f"gum/{doc['id']}", doc["text"]
    lines = (EVAL / "carb" / "data" / "dev.txt").read_text().splitlines()
    for b in range(min(carb_blocks, (len(lines) + 9) // 10)):
        yield f"carb/{b}", " ".join(lines[b * 10 : b * 10 + 10])


def _dump(args: argparse.Namespace) -> int:
    from kg.build import extract_document
    from kg.nlp import load_pipeline

    nlp = load_pipeline()
    started = time.perf_counter()
    n = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for doc_id, text in _texts(args.redocred, args.carb):
            doc = nlp(text)
            for extractor in args.extractors:
                d = extract_document(doc, doc_id=doc_id, extractor=extractor)
                row = {
                    "doc": doc_id,
                    "extractor": extractor,
                    "entities": sorted(
                        [e.key, e.label, e.name, e.named] for e in d.entities
                    ),
                    "triples": sorted(
                        [
                            t.subject,
                            t.predicate,
                            t.object,
                            t.provenance.sent_index,
                            t.provenance.start_char,
                            t.provenance.end_char,
                            t.confidence,
                            t.modality,
                            t.lemma,
                            t.rule,
                        ]
                        for t in d.triples
                    ),
                }
                out.write(json.dumps(row) + "\n")
            n += 1
    took = time.perf_counter() - started
    print(f"{n} texts, {len(args.extractors)} extractors, {took:.0f}s", file=sys.stderr)
    return 0


_VERSION = re.compile(r"^kg\.clauses\.v\d+")


def _rule(rule: str) -> str:
    return _VERSION.sub("kg.clauses", rule)


def _by_position(path: str) -> dict[tuple[str, int], dict[str, object]]:
    rows: dict[tuple[str, int], dict[str, object]] = {}
    seen: Counter[str] = Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            rows[(row["doc"], seen[row["doc"]])] = row
            seen[row["doc"]] += 1
    return rows


def _compare(args: argparse.Namespace) -> int:
    before, after = _by_position(args.before), _by_position(args.after)
    diffs = 0
    moved: Counter[tuple[str, str]] = Counter()
    facts = 0
    if set(before) != set(after):
        print(f"different texts: {len(set(before) ^ set(after))}")
        diffs += 1
    for key in sorted(set(before) & set(after)):
        a, b = before[key], after[key]
        if a["entities"] != b["entities"]:
            diffs += 1
            print(f"{key}: entities differ")
        ta = sorted(map(tuple, a["triples"]))  # type: ignore[arg-type]
        tb = sorted(map(tuple, b["triples"]))  # type: ignore[arg-type]
        facts += len(ta)
        if [t[:-1] for t in ta] != [t[:-1] for t in tb]:
            diffs += 1
            only_a = Counter(t[:-1] for t in ta) - Counter(t[:-1] for t in tb)
            only_b = Counter(t[:-1] for t in tb) - Counter(t[:-1] for t in ta)
            print(f"{key[0]} [{a['extractor']} / {b['extractor']}]")
            for t in only_a:
                rule = next(x[-1] for x in ta if x[:-1] == t)
                print(f"  - {t} {rule}")
            for t in only_b:
                rule = next(x[-1] for x in tb if x[:-1] == t)
                print(f"  + {t} {rule}")
            continue
        for x, y in zip(ta, tb, strict=True):
            if _rule(str(x[-1])) != _rule(str(y[-1])):
                moved[(str(x[-1]), str(y[-1]))] += 1
    print(f"{len(before)} text x extractor rows, {facts} triples before")
    print(f"rows differing other than in rule ids: {diffs}")
    for (old, new), n in moved.most_common():
        print(f"  {n:5d}  {old} -> {new}")
    return 1 if diffs else 0


def main(argv: list[str] | None = None) -> int:
    """Run ``dump`` or ``compare``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out")
    d.add_argument("--extractors", nargs="+", default=["kg.clauses.v2"])
    d.add_argument("--redocred", type=int, default=500)
    d.add_argument("--carb", type=int, default=65)
    c = sub.add_parser("compare")
    c.add_argument("before")
    c.add_argument("after")
    args = parser.parse_args(argv)
    return _dump(args) if args.cmd == "dump" else _compare(args)


if __name__ == "__main__":
    sys.exit(main())
