"""Cost of the mention stage on hostile text against ordinary prose of the same size.

Inputs (each built here, no data file needed):

* ``nested quotes``: quotation marks nested D deep, each level a capitalised
  word (``"Ab "Cd "Ef ... " " "``), and speech nested D deep
  (``Ada said "Tom said "...`` with the closing marks at the end);
* ``name list``: N distinct two-word names joined by "and" in one sentence
  (``Ada Byrne and Tom Hale and ...``);
* ``long line``: a line of ordinary words without any punctuation, parsed
  as the parser cuts it and as one forced sentence (the build splits such a
  line for the parser; the passes must still not be quadratic in sentence
  length).

Ordinary prose of the same number of characters is the GUM development
texts (``../shared/eval/gum``) run together, or the sample article repeated
when that folder is absent. Only :func:`kg.mentions.extract_mentions` is
timed (the parse is not): the best of ``--repeats`` runs, CPU seconds of
this process. The ratio hostile / prose is the figure that matters (target:
at most 3).

Usage::

    python benchmarks/hostile_mentions.py [--scale 1.0] [--repeats 3]

Writes ``benchmarks/results/hostile-mentions.{json,md}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.mentions import extract_mentions  # noqa: E402
from kg.nlp import load_pipeline  # noqa: E402

GUM = ROOT.parent / "shared" / "eval" / "gum" / "gum-dev.json"
SAMPLE = ROOT / "seeds" / "tiger-king-pardon.txt"
RESULTS = ROOT / "benchmarks" / "results"

_GIVEN = [
    "Ada", "Tom", "Ann", "Bob", "Eve", "Max", "Ida", "Sam", "Lia", "Ned", "Uma",
    "Kit", "Ora", "Rex", "Ivy", "Dan", "Joy", "Gus", "Mae", "Roy",
]  # fmt: skip
_FAMILY = [
    "Byrne", "Hale", "Varn", "Tarnby", "Quill", "Moss", "Reed", "Lark", "Frost",
    "Dale", "Penn", "Wick", "Holt", "Crane", "Birch", "Fenn", "Marsh", "Stone",
    "Vale", "Wren", "Ash", "Brook", "Cole", "Drake", "Ewart", "Finch", "Grey",
    "Hurst", "Ives", "Jory", "Kemp", "Lowe", "Mott", "Nash", "Orme", "Pike",
    "Quay", "Rook", "Shaw", "Tate",
]  # fmt: skip


def _names() -> list[str]:
    """Distinct two-word names, as many as the pools allow (820)."""
    return [f"{g} {f}" for f, g in itertools.product(_FAMILY, _GIVEN)]


def name_list(n: int) -> str:
    """``Ada Byrne and Tom Byrne and ...``: n names in one sentence."""
    pool = _names()
    names = [
        pool[i % len(pool)] + ("" if i < len(pool) else f"-{i // len(pool)}")
        for i in range(n)
    ]
    return " and ".join(names) + " met at the harbour."


def nested_quotes(depth: int) -> str:
    """Quotation marks nested ``depth`` deep, a capitalised word at each level."""
    words = [w for w in _FAMILY]
    opening = " ".join(f'"{words[i % len(words)]}' for i in range(depth))
    return opening + " " + " ".join('"' for _ in range(depth))


def nested_speech(depth: int) -> str:
    """``Ada said "Tom said "...`` nested ``depth`` deep, closed at the end."""
    pool = _names()
    opening = " ".join(f'{pool[i % len(pool)]} said "' for i in range(depth))
    return opening + "hello" + '"' * depth + "."


def nested_of_phrases(depth: int) -> str:
    """``the friend of the owner of the ...`` nested ``depth`` deep."""
    nouns = ["friend", "owner", "head", "rival", "sister", "keeper", "chief"]
    chain = " of ".join(f"the {nouns[i % len(nouns)]}" for i in range(depth))
    return f"Ada Byrne is {chain} of Tom Hale."


def nested_clauses(depth: int) -> str:
    """``Ada Byrne, who knew Tom Hale, who knew ...``: relative clauses nested."""
    pool = _names()
    chain = ", who knew ".join(pool[i % len(pool)] for i in range(depth))
    return f"{chain}, left Tarnby."


def bracketed_names(count: int) -> str:
    """``Ada [Byrne] Hale met Tom [Varn] Moss and ...``: editors' brackets."""
    pool = _names()
    parts = [
        "{} [{}] {}".format(*pool[i % len(pool)].split(), _FAMILY[i % len(_FAMILY)])
        for i in range(count)
    ]
    return " and ".join(parts) + " met in Tarnby."


def _prose(chars: int) -> str:
    """Ordinary prose of at least ``chars`` characters."""
    if GUM.is_file():
        data = json.loads(GUM.read_text(encoding="utf-8"))
        docs = data["documents"] if isinstance(data, dict) else data
        texts = [d["text"] for d in docs]
    else:
        texts = [SAMPLE.read_text(encoding="utf-8")]
    out = ""
    for text in itertools.cycle(texts):
        out += text + "\n\n"
        if len(out) >= chars:
            return out[:chars]
    return out


def long_line(chars: int) -> str:
    """Ordinary words without punctuation or line breaks, ``chars`` long."""
    words = re.findall(r"[A-Za-z]+", _prose(chars * 2))
    out = " ".join(words)
    return out[:chars].rsplit(" ", 1)[0]


def _parse(nlp: Language, text: str, *, one_sentence: bool = False) -> Doc:
    if not one_sentence:
        return nlp(text)
    doc = nlp.make_doc(text)
    for token in doc[1:]:
        token.is_sent_start = False
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def _time(doc: Doc, repeats: int) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(repeats):
        start = time.process_time()
        count = sum(1 for _ in extract_mentions(doc))
        best = min(best, time.process_time() - start)
    return best, count


def _case(
    nlp: Language,
    name: str,
    text: str,
    repeats: int,
    *,
    one_sentence: bool = False,
) -> dict[str, object]:
    doc = _parse(nlp, text, one_sentence=one_sentence)
    prose = nlp(_prose(len(text)))
    hostile_s, found = _time(doc, repeats)
    prose_s, prose_found = _time(prose, repeats)
    longest = max(len(s) for s in doc.sents)
    row = {
        "input": name,
        "chars": len(text),
        "tokens": len(doc),
        "longest_sentence": longest,
        "mentions": found,
        "seconds": round(hostile_s, 3),
        "prose_tokens": len(prose),
        "prose_mentions": prose_found,
        "prose_seconds": round(prose_s, 3),
        "ratio": round(hostile_s / prose_s, 2) if prose_s else None,
    }
    print(json.dumps(row), flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    nlp = load_pipeline()
    nlp.max_length = 2_000_000
    # load the lexicons (given names, word lists) before any timing
    list(extract_mentions(nlp("Ada Byrne met Tom Hale in Tarnby. She left.")))
    s = args.scale

    def n(x: int) -> int:
        return max(1, int(x * s))

    cases: list[tuple[str, Callable[[], str], bool]] = [
        (f"nested quotes, depth {n(1000)}", lambda: nested_quotes(n(1000)), False),
        (f"nested quotes, depth {n(5000)}", lambda: nested_quotes(n(5000)), False),
        (f"nested speech, depth {n(1000)}", lambda: nested_speech(n(1000)), False),
        (f"nested speech, depth {n(5000)}", lambda: nested_speech(n(5000)), False),
        (f"name list, {n(500)} names", lambda: name_list(n(500)), False),
        (f"name list, {n(2000)} names", lambda: name_list(n(2000)), False),
        (f"nested of-phrases, depth {n(2000)}",
         lambda: nested_of_phrases(n(2000)), False),
        (f"nested relative clauses, depth {n(2000)}",
         lambda: nested_clauses(n(2000)), False),
        (f"bracketed names, {n(2000)}", lambda: bracketed_names(n(2000)), False),
        (f"line without punctuation, {n(100_000)} chars",
         lambda: long_line(n(100_000)), False),
        (f"one sentence without punctuation, {n(20_000)} chars",
         lambda: long_line(n(20_000)), True),
        (f"one sentence without punctuation, {n(100_000)} chars",
         lambda: long_line(n(100_000)), True),
    ]  # fmt: skip
    rows = [
        _case(nlp, name, make(), args.repeats, one_sentence=one)
        for name, make, one in cases
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    payload = {"measured": stamp, "repeats": args.repeats, "scale": s, "rows": rows}
    (RESULTS / "hostile-mentions.json").write_text(
        json.dumps(payload, indent=2) + "\n", encoding="utf-8"
    )
    lines = [
        "# Mention stage on hostile text",
        "",
        f"Measured {stamp} by `python benchmarks/hostile_mentions.py` (best of "
        f"{args.repeats}, CPU seconds of `extract_mentions` only, the parse not "
        "counted). Prose: as many characters of ordinary text (GUM development "
        "texts run together). Target: ratio at most 3.",
        "",
        "| input | tokens | longest sentence | mentions | s | prose s | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['input']} | {r['tokens']} | {r['longest_sentence']} | {r['mentions']} "
        f"| {r['seconds']} | {r['prose_seconds']} | {r['ratio']} |"
        for r in rows
    ]
    (RESULTS / "hostile-mentions.md").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
