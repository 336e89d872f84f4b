"""Run all five ``kg eval`` tasks on the full development data and write a table.

The tasks are GAP (``gap-development.tsv``, 2,000 rows), CaRB (``data/dev.txt``,
641 sentences), Re-DocRED (``dev_revised.json``, 500 documents), GUM (74
documents, with the naive floor of ``shared/eval/README.md`` measured by the
same scorer) and the hand-annotated news in ``seeds/gold/``. Each is timed.
The reference points from ``shared/eval/README.md`` go beside kg's figures.

Usage::

    python benchmarks/eval_all.py [--limit N] [--model NAME] [--only TASK ...]

Writes ``benchmarks/results/eval.{json,md}``; ``--limit`` (a quick check) writes
``eval-limit{N}.{json,md}`` instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "benchmarks" / "results"

#: (task, gold path, system) in run order
RUNS: list[tuple[str, Path, str]] = [
    ("gap", SHARED / "gap" / "gap-development.tsv", "kg"),
    ("carb", SHARED / "carb", "kg"),
    ("redocred", SHARED / "redocred" / "dev_revised.json", "kg"),
    ("coref", SHARED / "gum" / "gum-dev.json", "kg"),
    ("coref", SHARED / "gum" / "gum-dev.json", "naive"),
    ("news", ROOT / "seeds" / "gold", "kg"),
]


def _progress(label: str):  # type: ignore[no-untyped-def]
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.perf_counter()
        if done == total or now - last[0] > 5:
            last[0] = now
            print(f"  {label}: {done}/{total}", file=sys.stderr, flush=True)

    return report


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "kg", "ontology"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    # uncommitted changes to the code under test are part of what was measured
    return out.stdout.strip() + ("-dirty" if dirty else "")


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _f(x: float) -> str:
    return f"{x:.3f}"


def _prf(d: dict[str, float]) -> str:
    return f"{_f(d['precision'])} / {_f(d['recall'])} / {_f(d['f1'])}"


def _rows(key: str, r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(task, figure, kg, reference) rows of the markdown table."""
    if key == "gap":
        bias = "-" if r["bias"] is None else f"{r['bias']:.3f}"
        return [
            (
                "GAP",
                "F1 overall (%)",
                _pct(r["f1"]),
                "always TRUE 61.4 (the official scorer prints 62.0 on this split); "
                "nearest name 47; syntactic parallelism 66.9; neural > 80",
            ),
            (
                "GAP",
                "P / R overall (%)",
                f"{_pct(r['precision'])} / {_pct(r['recall'])}",
                "",
            ),
            (
                "GAP",
                "F1 masculine / feminine (%)",
                f"{_pct(r['masculine']['f1'])} / {_pct(r['feminine']['f1'])}",
                "",
            ),
            ("GAP", "bias F/M", bias, "1.00 is unbiased"),
        ]
    if key == "carb":
        return [
            ("CaRB", "AUC", _f(r["auc"]), "OpenIE-5 0.240"),
            (
                "CaRB",
                "F1 (optimal point)",
                _f(r["f1"]),
                "OpenIE-5 0.458; naive spaCy SVO ~0.41; test split: OpenIE-4 0.488, "
                "ClausIE 0.450, IMoJIE 0.535, OpenIE6 0.527",
            ),
            (
                "CaRB",
                "P / R (optimal point)",
                f"{_f(r['precision'])} / {_f(r['recall'])}",
                "",
            ),
            (
                "CaRB",
                "extractions (dropped: < 2 args)",
                f"{r['extractions']} ({r['dropped_under_two_args']})",
                "gold: 2,548 tuples",
            ),
        ]
    if key == "redocred":
        by_type = r["mention_recall_by_type"]
        f = r["facts"]
        return [
            (
                "Re-DocRED",
                "gold mentions found",
                _f(r["mention_recall"]),
                "by type: "
                + ", ".join(f"{t} {_f(v)}" for t, v in sorted(by_type.items())),
            ),
            (
                "Re-DocRED",
                "clustering of found mentions, B³ P / R / F1",
                _prf(r["clusters"]["b3"]),
                "",
            ),
            (
                "Re-DocRED",
                "clustering, MUC F1 / CoNLL F1",
                f"{_f(r['clusters']['muc']['f1'])} / {_f(r['clusters']['conll_f1'])}",
                "",
            ),
            (
                "Re-DocRED",
                "facts type-blind P / R / F1",
                _prf(f["untyped"]),
                f"{f['gold_pairs']} gold entity pairs, {f['predicted']} predicted",
            ),
            (
                "Re-DocRED",
                "facts typed P / R / F1",
                _prf(f["typed"]),
                "ATLOP ~77, DREEAM ~80 typed F1 (gold entities given, test split); "
                "end-to-end systems far lower",
            ),
            (
                "Re-DocRED",
                "facts typed recall, in ontology scope",
                _f(f["typed_in_scope"]["recall"]),
                "gold facts whose Wikidata property the ontology aligns",
            ),
        ]
    if key in ("coref", "coref-naive"):
        name = "GUM coref" if key == "coref" else "GUM coref, naive floor"
        c = r["clusters"]
        ref_b3 = (
            "naive floor B³ 0.90 / 0.42 / 0.57"
            if key == "coref"
            else "README: 0.90 / 0.42 / 0.57"
        )
        return [
            (name, "mentions found", _f(r["mentions_found"]), "naive floor 0.57"),
            (name, "B³ P / R / F1", _prf(c["b3"]), ref_b3),
            (
                name,
                "MUC F1 / CEAF-e F1 / CoNLL F1",
                f"{_f(c['muc']['f1'])} / {_f(c['ceaf_e']['f1'])} / {_f(c['conll_f1'])}",
                "",
            ),
            (
                name,
                "named entities (>1 mention) wholly in one node",
                _f(r["whole_share"]),
                "naive floor 0.19",
            ),
        ]
    if key == "news":
        c, f = r["clusters"], r["facts"]
        return [
            (
                "news",
                "mentions found",
                _f(r["mentions_found"]),
                f"{r['entities']} entities, {r['mentions']} mentions",
            ),
            ("news", "B³ P / R / F1", _prf(c["b3"]), ""),
            ("news", "CoNLL F1", _f(c["conll_f1"]), ""),
            (
                "news",
                "entities (>1 mention) wholly in one node",
                _f(r["whole_share"]),
                "",
            ),
            (
                "news",
                "facts type-blind P / R / F1",
                _prf(f["untyped"]),
                f"{f['gold']} gold facts",
            ),
            ("news", "facts typed P / R / F1", _prf(f["typed"]), ""),
        ]
    raise ValueError(key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--limit", type=int, default=None, help="first N items per task"
    )
    parser.add_argument("--model", default=None, help="spaCy pipeline (default as kg)")
    parser.add_argument("--only", nargs="*", default=None, help="tasks to run")
    args = parser.parse_args()

    from kg.eval import evaluate
    from kg.nlp import load_pipeline, resolve_model_name

    if not SHARED.is_dir():
        print(f"no benchmark data at {SHARED}", file=sys.stderr)
        return 2
    model = resolve_model_name(args.model)
    nlp = load_pipeline(args.model)
    results: dict[str, Any] = {}
    table: list[tuple[str, str, str, str]] = []
    seconds: dict[str, float] = {}
    for task, gold, system in RUNS:
        if args.only and task not in args.only:
            continue
        key = task if system == "kg" else f"{task}-{system}"
        print(f"{key}: {gold}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        result = evaluate(
            task,
            gold,
            limit=args.limit,
            model=args.model,
            system=system,
            progress=_progress(key),
        )
        seconds[key] = time.perf_counter() - started
        results[key] = result.to_dict()
        table += _rows(key, results[key])
        print(f"  {key}: {seconds[key]:.1f} s", file=sys.stderr, flush=True)

    today = dt.date.today().isoformat()
    command = "python benchmarks/eval_all.py" + (
        f" --limit {args.limit}" if args.limit else ""
    )
    if args.model:
        command += f" --model {args.model}"
    meta = {
        "date": today,
        "command": command,
        "model": model,
        "components": list(nlp.pipe_names),
        "commit": _git_commit(),
        "limit": args.limit,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "eval" if args.limit is None else f"eval-limit{args.limit}"
    (RESULTS / f"{stem}.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=2) + "\n",
        encoding="utf-8",
    )
    items = {k: v.get("run", {}).get("items") for k, v in results.items()}
    lines = [
        f"# kg eval: development figures ({today})",
        "",
        f"Command: `{command}` · model `{model}` ({', '.join(nlp.pipe_names)}) · "
        f"commit `{meta['commit']}`"
        + (f" · first {args.limit} items per task" if args.limit else ""),
        "",
        "Data: `../shared/eval` development splits (GAP 2,000 rows, CaRB 641 "
        "sentences, Re-DocRED 500 documents, GUM 74 documents) and `seeds/gold/` "
        "(hand-annotated news). "
        "Reference points are from `../shared/eval/README.md`. "
        "GAP is in percent, all other figures are fractions.",
        "",
        "| task | figure | kg | reference points |",
        "|---|---|---:|---|",
    ]
    lines += [f"| {t} | {f} | {v} | {ref} |" for t, f, v, ref in table]
    lines += ["", "| run | items | seconds |", "|---|---:|---:|"]
    lines += [f"| {k} | {items.get(k)} | {seconds[k]:.1f} |" for k in seconds]
    lines.append("")
    (RESULTS / f"{stem}.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
