"""Cost of the relation stage on hostile text against ordinary prose of the same size.

Builds constructed inputs (no data set text): N comma-joined clauses in one
sentence, a list of N names in one sentence, a reciprocal clause over N
names, and ordinary prose (N short sentences). Each is parsed once; the
script times only the relation stage (``extract_relations`` plus
``extract_value_facts``) in CPU seconds, and writes
``benchmarks/results/relations-cost.{json,md}`` with the ratio of each
hostile input to prose of as many tokens.

usage: python benchmarks/relations_cost.py [N ...]   (default 500 2000)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from kg.coref import resolve_entities
from kg.mentions import extract_mentions
from kg.nlp import load_pipeline
from kg.relations import extract_relations, extract_value_facts
from kg.values import extract_values

FIRST = ["Alan", "Brian", "Carol", "Diane", "Edgar", "Fiona", "Gavin", "Helen"]
LAST = ["Smith", "Jones", "Brown", "Lopez", "Clark", "Young", "Hill", "Moore"]
OUT = Path(__file__).parent / "results"


def _name(i: int) -> str:
    return f"{FIRST[i % 8]} {LAST[(i // 8 + i) % 8]}"


def _inputs(n: int) -> dict[str, str]:
    return {
        "clauses": ", ".join(f"{_name(i)} met {_name(i + 3)}" for i in range(n))
        + ".",
        "list": "The board thanked " + ", ".join(_name(i) for i in range(n)) + ".",
        "reciprocal": ", ".join(_name(i) for i in range(n)) + " met in Vienna.",
        "prose": " ".join(
            f"{_name(i)} bought a farm near Springfield in 1990." for i in range(n)
        ),
    }


def _relation_seconds(nlp, text: str) -> tuple[int, float, int]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    entities = resolve_entities(doc, extract_mentions(doc))
    start = time.process_time()
    _, triples = extract_relations(doc, entities, doc_id="bench")
    extract_value_facts(doc, entities, extract_values(doc), doc_id="bench")
    return len(doc), time.process_time() - start, len(triples)


def main(sizes: list[int]) -> None:
    nlp = load_pipeline()
    rows = []
    for n in sizes:
        runs = {k: _relation_seconds(nlp, t) for k, t in _inputs(n).items()}
        tokens, prose_s, _ = runs["prose"]
        for kind, (size, seconds, triples) in runs.items():
            per_token = prose_s / tokens * size
            rows.append(
                {
                    "n": n,
                    "input": kind,
                    "tokens": size,
                    "cpu_seconds": round(seconds, 3),
                    "triples": triples,
                    "ratio_to_prose_of_as_many_tokens": round(seconds / per_token, 2),
                }
            )
    OUT.mkdir(exist_ok=True)
    (OUT / "relations-cost.json").write_text(json.dumps(rows, indent=2) + "\n")
    lines = [
        "# Relation stage on hostile text (CPU seconds, one run)",
        "",
        "| n | input | tokens | CPU s | triples | ratio to prose of as many tokens |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['n']} | {r['input']} | {r['tokens']} | {r['cpu_seconds']} | "
        f"{r['triples']} | {r['ratio_to_prose_of_as_many_tokens']} |"
        for r in rows
    ]
    (OUT / "relations-cost.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 2000])
