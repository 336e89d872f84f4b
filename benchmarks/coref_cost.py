"""Does coreference stay linear on hostile text? Time per input against ordinary prose.

Issue 22 asks that no stage explode on small inputs: a list "A and B and ..." of
2,000 names and quotation marks nested 5,000 deep must cost no more than a few
times ordinary prose of the same length. This script builds each hostile text,
a text of ordinary constructed prose of the same length (in characters), parses
both with the pipeline, finds their mentions once, and times
:func:`kg.coref.resolve_entities` on each (best of ``--repeat`` runs, CPU time of
this process). It reports the coreference time of each input, the time of the
prose of the same length, and their ratio; the mention pass is timed and reported
too, but belongs to :mod:`kg.mentions`.

Run::

    python benchmarks/coref_cost.py [--names 2000] [--depth 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.coref import resolve_entities
from kg.mentions import extract_mentions
from kg.nlp import load_pipeline
from kg.types import Mention

ROOT = Path(__file__).resolve().parents[1]

_GIVEN = ["Ada", "Tom", "Mira", "Otto", "Lena", "Piet", "Ines", "Karl", "Rosa", "Ivo"]
_ONSETS = ["B", "D", "F", "G", "H", "K", "L", "M", "N", "P", "R", "S", "T", "V", "W"]
_VOWELS = ["a", "e", "i", "o", "u"]
_CODAS = ["rn", "ld", "nt", "rk", "st", "lm", "nd", "rt"]
_PROSE = (
    "Ada Byrne opened a small bakery in Portvale in 1990. She baked bread every "
    "morning, and her brother Tom Vale sold it at the market. The bakery grew "
    "quickly. By 1995 it employed twelve people, and the town council praised "
    "it for its apprentices. Vale later moved to Eastmere, where he opened a "
    'second shop. "We never stopped learning," Byrne said in an interview. '
    "The Portvale Chronicle called her the best baker of the coast. Her "
    "company, Byrne Bakeries Ltd., now supplies three hotels and a hospital. "
)


def name_list(n: int) -> str:
    """Return "A and B and ..." with ``n`` invented, distinct personal names."""
    surnames = [
        f"{o}{v}{c}{e}"
        for o in _ONSETS
        for v in _VOWELS
        for c in _CODAS
        for e in ("er", "on", "ey", "ing")
    ]
    names = [f"{_GIVEN[i % len(_GIVEN)]} {surnames[i]}" for i in range(n)]
    return "The guests were " + " and ".join(names) + "."


def nested_quotes(depth: int) -> str:
    """Return reported speech with quotation marks nested ``depth`` deep."""
    return "Ada said, “" * depth + "we agree" + "”" * depth + "."


def prose(length: int) -> str:
    """Return ordinary prose of about ``length`` characters."""
    text = _PROSE * (length // len(_PROSE) + 1)
    return text[:length].rsplit(". ", 1)[0] + "."


def _cpu(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def measure(nlp: Language, text: str, repeat: int) -> dict[str, float | int]:
    """Parse ``text`` and time its mention pass and its coreference."""
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    doc: Doc = nlp(text)
    started = time.process_time()
    mentions: tuple[Mention, ...] = tuple(extract_mentions(doc))
    mentions_s = time.process_time() - started
    coref_s = _cpu(lambda: resolve_entities(doc, mentions), repeat)
    return {
        "chars": len(text),
        "tokens": len(doc),
        "mentions": len(mentions),
        "mentions_s": round(mentions_s, 3),
        "coref_s": round(coref_s, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=2000)
    parser.add_argument("--depth", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks" / "results" / "coref_cost.md"
    )
    args = parser.parse_args()
    nlp = load_pipeline(None)
    rows = []
    for label, text in (
        (f"{args.names} names joined by 'and'", name_list(args.names)),
        (f"quotation marks nested {args.depth} deep", nested_quotes(args.depth)),
    ):
        hostile = measure(nlp, text, args.repeat)
        ordinary = measure(nlp, prose(len(text)), args.repeat)
        ratio = hostile["coref_s"] / max(ordinary["coref_s"], 1e-3)
        rows.append({"input": label, "hostile": hostile, "prose": ordinary,
                     "ratio": round(ratio, 2)})  # fmt: skip
        print(label, hostile, ordinary, f"ratio {ratio:.2f}", flush=True)
    lines = [
        "# Coreference cost on hostile text (issue 22)",
        "",
        "`python benchmarks/coref_cost.py`: CPU seconds of `resolve_entities` "
        f"(best of {args.repeat}) on each input and on ordinary prose of the same "
        "length, measured in one run. The mention pass (`kg.mentions`) is shown "
        "for reference; it is not part of coreference.",
        "",
        "| input | chars | tokens | mentions | coref s | prose coref s | ratio "
        "| mention pass s (input / prose) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        h, p = row["hostile"], row["prose"]
        lines.append(
            f"| {row['input']} | {h['chars']} | {h['tokens']} | {h['mentions']} | "
            f"{h['coref_s']} | {p['coref_s']} | {row['ratio']} | "
            f"{h['mentions_s']} / {p['mentions_s']} |"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
