"""Build cost at 1e5 and 1e6 words, and the cost of one more document.

The corpus is real text from the inspect splits of ``../shared/eval``
(:mod:`corpora`: every ECB+ training article, the 500 Re-DocRED dev
documents, the GUM dev documents, the GAP development snippets), written as
one JSON Lines corpus per size (``{"id", "text"}`` a line, streamed by the
build). Past the texts the splits hold, documents are *recombined*: round
``r`` pairs text ``i`` with text ``i + 97 r`` (two articles one after the
other, a distinct text under a distinct id), so no two documents are the
same text.

For each size, ``python -m kg build CORPUS --out OUT`` runs in a child
process under ``nice -n 5`` (the default build: a parser and one extraction
worker), polled every 0.2 s for the resident memory of the client (the
``kg build`` process) and of its children (the extraction worker), with the
wall time and the store's size on disk.

On the 1e6-word store, then: adding one document (a text of the corpus
of 300 words or more under a new id: parsed, linked, written like any new
document) with ``kg
build``, and removing it with ``kg remove``, each against the same command
on a store holding that document alone (a 1-document build into an empty
folder, and its removal); alternated, ``--repeats`` times, medians. Times
are wall clock of the whole command (Python start-up and the spaCy load
included, as a user sees them) and the build's own report (``kg build``
prints its seconds, from the start of ``run_build``).

Usage::

    nice -n 5 python benchmarks/scale.py --sizes 100000 1000000 [--root /tmp/kg-scale]
    python benchmarks/scale.py --steps incremental   # on the built 1e6 store

Writes ``benchmarks/results/scale.{json,md}`` (a run updates the entries it
measures and keeps the others).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from corpora import ecb_all, gap_development, gum, redocred  # noqa: E402

RESULTS = HERE / "results"
DEFAULT_ROOT = Path("/tmp/kg-scale")
_SECONDS = re.compile(r"([0-9.]+) s\s+\(")


def _texts() -> list[str]:
    texts = [t for _n, t in (*ecb_all(), *redocred(500), *gum(), *gap_development())]
    return [t.strip() for t in texts if t.strip()]


def iter_corpus(words: int) -> Iterator[tuple[str, str, int]]:
    """Yield ``(id, text, words)`` until ``words`` words; recombined past the texts."""
    texts = _texts()
    total, n = 0, len(texts)
    for round_ in range(1000):
        for i, text in enumerate(texts):
            if round_:
                text = f"{text}\n\n{texts[(i + 97 * round_) % n]}"
            count = len(text.split())
            yield f"r{round_}-{i:05d}", text, count
            total += count
            if total >= words:
                return


def write_corpus(path: Path, words: int) -> dict[str, int]:
    """Write the corpus of ``words`` words as JSON Lines; return its counts."""
    documents = total = recombined = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for doc_id, text, count in iter_corpus(words):
            fh.write(json.dumps({"id": doc_id, "text": text}) + "\n")
            documents += 1
            total += count
            recombined += doc_id.startswith("r") and not doc_id.startswith("r0-")
    return {"documents": documents, "words": total, "recombined": recombined}


def _tree_rss(proc: psutil.Process) -> tuple[int, int]:
    """RSS of ``proc`` and the sum of its descendants' (bytes)."""
    try:
        main = proc.memory_info().rss
        children = 0
        for child in proc.children(recursive=True):
            try:
                children += child.memory_info().rss
            except psutil.Error:
                pass
        return main, children
    except psutil.Error:
        return 0, 0


def run_measured(args: Sequence[str]) -> dict[str, object]:
    """Run a command; return its wall time, peak RSS (client, children), output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - our own commands
        ["nice", "-n", "5", sys.executable, "-m", "kg", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    watched = psutil.Process(proc.pid)
    peak_main = peak_children = 0
    while proc.poll() is None:
        main, children = _tree_rss(watched)
        peak_main, peak_children = max(peak_main, main), max(peak_children, children)
        time.sleep(0.2)
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"kg {' '.join(args)} failed ({proc.returncode}): {err}")
    found = _SECONDS.search(out)
    return {
        "wall_s": round(wall, 2),
        "build_s": float(found.group(1)) if found else None,
        "peak_rss_client_mib": round(peak_main / 2**20),
        "peak_rss_children_mib": round(peak_children / 2**20),
        "stdout": out.strip().splitlines()[:3],
        "stderr": [line for line in err.strip().splitlines() if "warning" in line][:3],
    }


def _store_mib(out: Path) -> float:
    store = (out / "store").resolve()
    return round(sum(f.stat().st_size for f in store.iterdir()) / 2**20, 1)


def build_size(root: Path, words: int) -> dict[str, object]:
    corpus = root / f"corpus-{words}.jsonl"
    counts = write_corpus(corpus, words)
    out = root / f"out-{words}"
    shutil.rmtree(out, ignore_errors=True)
    measured = run_measured(["build", str(corpus), "--out", str(out)])
    words_done = counts["words"]
    return {
        **counts,
        **measured,
        "words_per_s": round(words_done / float(measured["wall_s"])),  # type: ignore[arg-type]
        "store_mib": _store_mib(out),
        "files": sorted(p.name for p in out.iterdir() if not p.name.startswith(".")),
    }


def incremental(root: Path, words: int, repeats: int) -> dict[str, object]:
    """Add and remove one document on the big store, against a 1-document store."""
    big = root / f"out-{words}"
    if not (big / "store").exists():
        raise SystemExit(f"no store in {big}: run the build of {words} words first")
    # the first text of the corpus of at least 300 words (news-length)
    _id, text, count = next(d for d in iter_corpus(10**9) if d[2] >= 300)
    one = root / "one" / "extra-story.txt"
    one.parent.mkdir(parents=True, exist_ok=True)
    one.write_text(text + "\n", encoding="utf-8")
    small = root / "out-one"
    runs: dict[str, list[dict[str, object]]] = {
        k: [] for k in ("add_big", "add_empty", "remove_big", "remove_small")
    }
    for _ in range(repeats):
        shutil.rmtree(small, ignore_errors=True)
        runs["add_empty"].append(run_measured(["build", str(one), "--out", str(small)]))
        runs["add_big"].append(run_measured(["build", str(one), "--out", str(big)]))
        runs["remove_small"].append(run_measured(["remove", str(one), "--out", str(small)]))
        runs["remove_big"].append(run_measured(["remove", str(one), "--out", str(big)]))

    def median(key: str, field: str) -> float:
        values = [float(r[field]) for r in runs[key] if r[field] is not None]  # type: ignore[arg-type]
        return round(statistics.median(values), 2) if values else float("nan")

    result: dict[str, object] = {
        "document_words": count,
        "repeats": repeats,
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }
    for key in runs:
        result[f"{key}_wall_s"] = median(key, "wall_s")
        if key.startswith("add"):
            result[f"{key}_build_s"] = median(key, "build_s")
    result["add_ratio_wall"] = round(
        float(result["add_big_wall_s"]) / float(result["add_empty_wall_s"]), 2  # type: ignore[arg-type]
    )
    result["add_ratio_build"] = round(
        float(result["add_big_build_s"]) / float(result["add_empty_build_s"]), 2  # type: ignore[arg-type]
    )
    result["remove_ratio_wall"] = round(
        float(result["remove_big_wall_s"]) / float(result["remove_small_wall_s"]), 2  # type: ignore[arg-type]
    )
    result["big_store_derived"] = _derived_state(big)
    return result


def _derived_state(out: Path) -> str:
    sys.path.insert(0, str(ROOT))
    from kg.generations import stale_files

    missing = [n for n in ("graph.ttl", "graph.html") if not (out / n).exists()]
    if missing:
        return f"not written ({', '.join(missing)}: left for `kg render`)"
    stale = stale_files(out)
    return f"behind the store: {', '.join(stale)}" if stale else "current"


def render_big(root: Path, words: int) -> dict[str, object]:
    """``kg render`` on the big store: writes graph.ttl and graph.html again."""
    measured = run_measured(["render", "--out", str(root / f"out-{words}")])
    return {k: measured[k] for k in ("wall_s", "peak_rss_client_mib")}


def _load(path: Path) -> dict[str, object]:
    if path.exists():
        data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
        return data
    return {}


def write_markdown(results: dict[str, object]) -> str:
    lines = [
        f"Build at scale, {results.get('date', '?')} (load average before: "
        f"{results.get('load_before', '?')}), default `kg build` "
        "(parser + 1 extraction worker) under `nice -n 5`, 2 shared cores.",
        "",
        "| corpus | documents (recombined) | words | wall s | words/s | peak RSS client MiB"
        " | peak RSS worker MiB | store MiB | derived files written |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    sizes = results.get("sizes", {})
    assert isinstance(sizes, dict)
    for words, row in sorted(sizes.items(), key=lambda kv: int(kv[0])):
        lines.append(
            f"| {int(words):,} words | {row['documents']:,} ({row['recombined']:,}) | "
            f"{row['words']:,} | {row['wall_s']} | {row['words_per_s']:,} | "
            f"{row['peak_rss_client_mib']:,} | {row['peak_rss_children_mib']:,} | "
            f"{row['store_mib']} | {', '.join(f for f in row['files'] if f != 'store') or 'none'} |"
        )
    inc = results.get("incremental")
    if isinstance(inc, dict):
        lines += [
            "",
            f"One document ({inc['document_words']} words) on the "
            f"{int(inc['words']):,}-word store, against the same command on a store "
            f"holding it alone; medians of {inc['repeats']} alternated runs "
            f"(load average before: {inc.get('load_before', '?')}):",
            "",
            "| command | on the big store | on a 1-document store | ratio |",
            "|---|---:|---:|---:|",
            f"| `kg build ONE` (wall s, with start-up) | {inc['add_big_wall_s']} | "
            f"{inc['add_empty_wall_s']} | {inc['add_ratio_wall']} |",
            f"| `kg build ONE` (build s, as reported) | {inc['add_big_build_s']} | "
            f"{inc['add_empty_build_s']} | {inc['add_ratio_build']} |",
            f"| `kg remove ONE` (wall s) | {inc['remove_big_wall_s']} | "
            f"{inc['remove_small_wall_s']} | {inc['remove_ratio_wall']} |",
            "",
            f"Derived files of the big store after these writes: {inc['big_store_derived']}.",
        ]
    render = results.get("render")
    if isinstance(render, dict):
        lines += [
            "",
            f"`kg render` on the big store (writes graph.ttl and graph.html again): "
            f"{render['wall_s']} s, peak RSS {render['peak_rss_client_mib']} MiB.",
        ]
    notes = results.get("notes")
    if isinstance(notes, list):
        lines += ["", *(str(n) for n in notes)]
    lines += [
        "",
        "Corpus: inspect-split texts of ../shared/eval (ECB+ training articles, "
        "Re-DocRED dev, GUM dev, GAP development), one JSON Lines corpus; past "
        "those texts, documents recombine two texts each (text i then text "
        "i + 97 r in round r), so every document is a distinct text with a distinct id.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument(
        "--steps", nargs="*", default=["build", "incremental"],
        choices=["build", "incremental", "render"],
    )  # fmt: skip
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    json_path = RESULTS / "scale.json"
    results = _load(json_path)
    results["date"] = dt.date.today().isoformat()
    if "build" in args.steps:
        results["load_before"] = [round(x, 2) for x in os.getloadavg()]
    sizes = results.setdefault("sizes", {})
    assert isinstance(sizes, dict)
    biggest = max(args.sizes) if args.sizes else 1_000_000
    if "build" in args.steps:
        for words in args.sizes:
            sizes[str(words)] = build_size(args.root, words)
            print(words, json.dumps(sizes[str(words)]), flush=True)
            json_path.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    if "incremental" in args.steps:
        inc = incremental(args.root, biggest, args.repeats)
        results["incremental"] = {"words": biggest, **inc}
        print(json.dumps(results["incremental"]), flush=True)
    if "render" in args.steps:
        results["render"] = render_big(args.root, biggest)
    json_path.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    (RESULTS / "scale.md").write_text(write_markdown(results), "utf-8")


if __name__ == "__main__":
    main()
