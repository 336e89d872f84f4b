"""Throughput of ``kg build --cluster`` against the local build and bare ``nlp.pipe``.

All runs go over the same corpus (Re-DocRED dev documents, tokens joined by
spaces, one ``.txt`` file each), in one invocation, each in a fresh child
process, alternating modes when repeated:

* ``bare1``, ``bare2``: bare ``nlp.pipe`` of kg's pipeline with ``n_process``
  1 and 2 (the parse alone: the ceiling of any build);
* ``local0``: ``kg build`` in one process (``--workers 0``);
* ``local``: ``kg build`` as it runs by default on two cores (the parser plus
  one extraction worker process);
* ``cluster1``, ``cluster2``: ``kg build --cluster local:1`` and ``local:2``
  (a Dask ``LocalCluster`` of 1 or 2 worker processes, started by the build).

Words/s count the words of the corpus over the build's extraction and write
(from ``on_start``, once the pipeline is loaded or the cluster's workers are
up, to the end, output written); the total including the start-up of the
pipeline or of the cluster is given too. The cluster's overhead is the
ratio of ``cluster2`` to ``local`` (two processes each) and ``cluster1`` to
``local0`` (one process each); the target is an overhead under 10 %.

Usage::

    python benchmarks/cluster_throughput.py [--docs N] [--repeats R]

Writes ``benchmarks/results/cluster_throughput.{json,md}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDOCRED = ROOT.parent / "shared" / "eval" / "redocred" / "dev_revised.json"
RESULTS = ROOT / "benchmarks" / "results"
_MODES = ("bare1", "bare2", "local0", "local", "cluster1", "cluster2")
_MARKS: dict[str, float] = {}


def _write_corpus(folder: Path, limit: int | None) -> int:
    docs = json.loads(REDOCRED.read_text(encoding="utf-8"))[:limit]
    for i, doc in enumerate(docs):
        text = " ".join(" ".join(sent) for sent in doc["sents"])
        (folder / f"doc{i:04d}.txt").write_text(text, encoding="utf-8")
    return len(docs)


def _cpu_seconds() -> float:
    """CPU time of this process, its reaped descendants and the live ones."""
    import psutil

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    live = 0.0
    for process in psutil.Process().children(recursive=True):
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        live += times.user + times.system
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + live


def _bare(corpus: Path, n_process: int) -> tuple[int, float]:
    from kg.nlp import load_pipeline

    nlp = load_pipeline()
    nlp("warm up the pipeline.")
    files = sorted(corpus.glob("*.txt"))
    started = time.perf_counter()
    _MARKS["cpu"] = _cpu_seconds()
    texts = (p.read_text(encoding="utf-8") for p in files)
    words = sum(
        sum(1 for t in doc if not t.is_space)
        for doc in nlp.pipe(texts, batch_size=16, n_process=n_process)
    )
    return words, started


def _child(mode: str, corpus: Path) -> dict[str, float]:
    load_before = os.getloadavg()[0]
    began = time.perf_counter()
    cpu_began = _cpu_seconds()
    marks: dict[str, float] = {}
    if mode.startswith("bare"):
        words, started = _bare(corpus, int(mode[-1]))
        marks["cpu"] = _MARKS["cpu"]
    else:
        from kg.build import BuildConfig, run_build

        cluster = f"local:{mode[-1]}" if mode.startswith("cluster") else None
        workers = 0 if mode == "local0" else None
        if cluster is None:
            from kg.nlp import load_pipeline

            load_pipeline()("warm up the pipeline.")
        import kg.build

        write = kg.build._write_local

        def written(*args: object, **options: object) -> object:
            done = write(*args, **options)  # type: ignore[arg-type]
            marks["written_cpu"] = _cpu_seconds()  # before the workers shut down
            return done

        kg.build._write_local = written  # type: ignore[assignment]
        with tempfile.TemporaryDirectory() as out:
            config = BuildConfig(out=Path(out), workers=workers, cluster=cluster)

            def on_start(_total: int) -> None:
                marks["start"] = time.perf_counter()
                marks["cpu"] = _cpu_seconds()

            report = run_build([corpus], config=config, on_start=on_start)
        words, started = report.words, marks["start"]
    ended = time.perf_counter()
    return {
        "words": words,
        "seconds": ended - started,
        "words_per_s": words / (ended - started),
        "total_seconds": ended - began,
        "total_words_per_s": words / (ended - began),
        "cpu_seconds": _cpu_seconds() - cpu_began,
        # from on_start (pipeline loaded, cluster up) to the end
        "steady_cpu_seconds": _cpu_seconds() - marks["cpu"],
        # the same, to the end of the write (without the workers' shutdown)
        "written_cpu_seconds": marks.get("written_cpu", _cpu_seconds()) - marks["cpu"],
        "load_avg": load_before,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        / 1024,
    }


def _table(result: dict[str, object], best: dict[str, dict[str, float]]) -> str:
    labels = {
        "bare1": "bare `nlp.pipe`, n_process=1",
        "bare2": "bare `nlp.pipe`, n_process=2",
        "local0": "`kg build --workers 0` (one process)",
        "local": "`kg build` (parser + 1 extraction worker, the default)",
        "cluster1": "`kg build --cluster local:1`",
        "cluster2": "`kg build --cluster local:2`",
    }
    cpu = {
        m: best[m]["words"] / best[m].get("steady_cpu_seconds", best[m]["cpu_seconds"])
        for m in best
    }
    rows = "".join(
        f"| {labels[m]} | {best[m]['words_per_s']:,.0f} "
        f"| {best[m]['total_words_per_s']:,.0f} | {best[m]['cpu_seconds']:.1f} "
        f"| {cpu[m]:,.0f} "
        f"| {best[m]['peak_mib']:,.0f} / {best[m]['children_peak_mib']:,.0f} |\n"
        for m in _MODES
        if m in best
    )

    runs = result.get("runs", {})
    assert isinstance(runs, dict)
    least = {  # the least CPU of the repeats, to the end of the write
        m: min(r.get("written_cpu_seconds", r["steady_cpu_seconds"]) for r in runs[m])
        for m in best
    }
    lean = {m: best[m]["words"] / least[m] for m in best}
    written = "".join(
        f"| {labels[m]} | {least[m]:.2f} | {lean[m]:,.0f} |\n"
        for m in _MODES
        if m in best
    )
    written_note = (
        "\nCPU from the start of extraction to the end of the write (the workers' and "
        "the cluster's shutdown left out, as their start-up is), least of the "
        "repeats:\n\n"
        "| run | CPU s | words per CPU s |\n|---|---:|---:|\n"
        f"{written}"
        "\nOverhead in that CPU: local:2 "
        f"{1 - lean['cluster2'] / lean['local']:+.1%} "
        "against the local build, local:1 "
        f"{1 - lean['cluster1'] / lean['local0']:+.1%} "
        "against one process.\n"
        if {"cluster1", "cluster2", "local", "local0"} <= set(best)
        else ""
    )
    return (
        f"Cluster throughput, {result['date']}, {result['documents']} Re-DocRED dev "
        f"documents, {result['words']:,} words, best of {result['repeats']} "
        "alternating runs each, one invocation:\n\n"
        "| run | words/s (extract + write) | words/s (with start-up) "
        "| CPU s (all processes, with start-up) | words per CPU s (extract + write) "
        "| peak RSS MiB (main / largest child) |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        f"{rows}"
        f"\nCluster overhead (1 - cluster / local words/s, extract + write): "
        f"local:2 against the local build {result['overhead_cluster2']:+.1%}, "
        f"local:1 against one process {result['overhead_cluster1']:+.1%} "
        "(target < 10%). With start-up: "
        f"{result['overhead_cluster2_total']:+.1%} and "
        f"{result['overhead_cluster1_total']:+.1%}. In CPU time (words per CPU "
        "second of all processes from the start of extraction to the end; "
        "steadier than wall time on a shared machine): local:2 "
        f"{1 - cpu['cluster2'] / cpu['local']:+.1%} against the local build, "
        f"local:1 {1 - cpu['cluster1'] / cpu['local0']:+.1%} against one "
        "process.\n"
        f"\nOne-minute load average before the runs: "
        f"{', '.join(str(x) for x in result['load_avg_before_runs'])} "  # type: ignore[attr-defined]
        f"(the machine has {os.cpu_count()} cores and is shared).\n"
        f"{written_note}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--modes", default=",".join(_MODES))
    parser.add_argument("--child", choices=_MODES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--render", action="store_true", help="rewrite the .md from the .json"
    )
    args = parser.parse_args()
    if args.render:
        result = json.loads((RESULTS / "cluster_throughput.json").read_text())
        runs = result["runs"]
        best = {m: max(r, key=lambda x: x["words_per_s"]) for m, r in runs.items()}
        table = _table(result, best)
        (RESULTS / "cluster_throughput.md").write_text(table, encoding="utf-8")
        print(table)
        return
    if args.child:
        print(json.dumps(_child(args.child, args.corpus)))
        return
    modes = [m for m in args.modes.split(",") if m]
    runs: dict[str, list[dict[str, float]]] = {m: [] for m in modes}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        n_docs = _write_corpus(corpus, args.docs)
        for _ in range(args.repeats):
            for mode in modes:
                child = [sys.executable, __file__, "--child", mode]
                out = subprocess.run(
                    [*child, "--corpus", str(corpus)],
                    capture_output=True, text=True, check=True, cwd=ROOT, env=env,
                )  # fmt: skip
                runs[mode].append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(mode, runs[mode][-1], file=sys.stderr, flush=True)
    best = {m: max(r, key=lambda x: x["words_per_s"]) for m, r in runs.items()}

    def overhead(a: str, b: str, key: str = "words_per_s") -> float:
        return 1 - best[a][key] / best[b][key]

    result: dict[str, object] = {
        "date": dt.date.today().isoformat(),
        "documents": n_docs,
        "words": best[modes[0]]["words"],
        "repeats": args.repeats,
        "words_per_s": {m: round(best[m]["words_per_s"]) for m in modes},
        "total_words_per_s": {m: round(best[m]["total_words_per_s"]) for m in modes},
        "overhead_cluster2": round(overhead("cluster2", "local"), 4),
        "overhead_cluster1": round(overhead("cluster1", "local0"), 4),
        "overhead_cluster2_total": round(
            overhead("cluster2", "local", "total_words_per_s"), 4
        ),
        "overhead_cluster1_total": round(
            overhead("cluster1", "local0", "total_words_per_s"), 4
        ),
        "load_avg_before_runs": [
            round(r["load_avg"], 2) for rs in runs.values() for r in rs
        ],
        "runs": runs,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "cluster_throughput.json").write_text(
        json.dumps(result, indent=2) + "\n", encoding="utf-8"
    )
    table = _table(result, best)
    (RESULTS / "cluster_throughput.md").write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
